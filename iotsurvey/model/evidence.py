"""The evidence status of a finding: what it is a share of, whether an interval exists, its grade.

``data/findings.csv`` stores these as columns (``base``, ``stated``, ``interval``,
``pages``, ``single_source``, ``wording``, ``evidence``) so that every file and
page derives them from one place.  This module holds the rules that tie the
columns together, which the validator enforces, and the words a reader sees.
Nothing here reads files.
"""

from __future__ import annotations

# What a percentage is a share of, by base: the words for axis labels, tables and CSVs.
SHARE_OF = {
    "all_respondents": "all respondents",
    "country": "respondents in one country",
    "subgroup": "a subgroup of respondents whose size was not published",
    "projects": "new IoT projects, not respondents",
    "unclear": "attacks or respondents (unclear which)",
    "organisations": "responding organisations (an amount, not a share)",
}

# Why no interval can be computed, by the ``interval`` column (computable and
# country_scenarios have intervals, the latter only under an assumed size).
NO_INTERVAL_BECAUSE = {
    "base_size_unknown": "the size of its base was not published",
    "base_unclear": "it is unclear what the figure is a share of",
    "bound": "it was published only as a bound",
    "rank": "it was published only as an order",
    "not_a_share": "it is an amount with no published spread",
}

INTERVAL_METHOD = {
    "computable": "Wilson score, 95%, n = 1,150 (simple random sampling assumed)",
    "country_scenarios": "Wilson score, 95%, at an assumed number of respondents in the country",
}

# The grades, in the order the rubric tries them; the first that applies is the grade.
GRADES = {
    "order_only": ("Order only", "published as an order of items, with no values"),
    "bound_only": ("Bound only", 'published only as a bound ("more than", "nearly"); never drawn as a point'),
    "single_source": ("Single source", "found on one page read; it could not be checked against a second"),
    "coverage_only": (
        "Coverage only",
        "found only in outlets' reports, in no copy of its release; the value and its base are the outlets' account",
    ),
    "base_unclear": ("Base unclear", "what the percentage is a share of is ambiguous; no interval"),
    "amount_no_spread": ("Amount, no spread", "an amount (money, attacks) published without any spread; no interval"),
    "base_size_unknown": (
        "Base size unknown",
        "a share of a subgroup or of projects whose number was not published; no interval",
    ),
    "country_size_assumed": (
        "Country size assumed",
        "a share of one country's respondents, whose number was not published; intervals only under assumed sizes",
    ),
    "base_presumed": (
        "Base presumed: all respondents",
        "the release gives a share of all respondents for a question that reads as put only to organisations "
        "with IoT projects; the modelled interval at n = 1,150 holds only if everyone was asked",
    ),
    "several_sources": (
        "Base known, in the release",
        "a share of all respondents, carried by a copy of its release and stated on several pages (mostly copies "
        "of one release, so not independent confirmation); a modelled interval at n = 1,150",
    ),
}

# The flags, shown beside the grade wherever it appears; each is a column of data/findings.csv.
FLAGS = {
    "contested": "contested: a page reads it another way",
    "coverage_only": "coverage only",
    "wording_differs": "worded differently from its whole-sample item",
    "base_presumed": "base presumed: all respondents",
}
# The discrepancies that make a finding contested: some page reads it another way, or it may be another statistic.
CONTESTING = ("unresolved", "meaning_inverted", "contradictory_reading")
# Pages that are the release itself: a copy of it, or Trend Micro's own newsroom page.
RELEASE_KINDS = ("release_copy", "vendor_release")


def expected_interval(unit: str, stated: str, base: str) -> str:
    """The ``interval`` value the other columns imply."""
    if stated == "rank":
        return "rank"
    if stated in ("more_than", "nearly"):
        return "bound"
    if unit != "percent":
        return "not_a_share"
    return {
        "all_respondents": "computable",
        "country": "country_scenarios",
        "subgroup": "base_size_unknown",
        "projects": "base_size_unknown",
        "unclear": "base_unclear",
    }.get(base, "base_unclear")


def expected_grade(
    unit: str, stated: str, base: str, single_source: bool, coverage_only: bool = False, base_presumed: bool = False
) -> str:
    """The grade by the rubric: the first rule of ``GRADES`` that applies."""
    if stated == "rank":
        return "order_only"
    if stated in ("more_than", "nearly"):
        return "bound_only"
    if single_source:
        return "single_source"
    if coverage_only:
        return "coverage_only"
    if base == "unclear":
        return "base_unclear"
    if unit != "percent":
        return "amount_no_spread"
    if base in ("subgroup", "projects"):
        return "base_size_unknown"
    if base == "country":
        return "country_size_assumed"
    if base_presumed:
        return "base_presumed"
    return "several_sources"


def grade_label(grade: str) -> str:
    return GRADES[grade][0]


def shown_flags(grade: str, flags: dict[str, bool]) -> list[str]:
    """The flags to show beside a grade, in words: those set, less the one the grade already names."""
    return [FLAGS[name] for name in FLAGS if flags.get(name) and name != grade]


def grade_with_flags(grade: str, flags: dict[str, bool]) -> str:
    """ "Base presumed: all respondents (contested: a page reads it another way)": the grade and its flags."""
    shown = shown_flags(grade, flags)
    return grade_label(grade) + (f" ({'; '.join(shown)})" if shown else "")
