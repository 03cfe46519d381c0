"""The glue keys: every number a chapter pastes into its prose, and the grammar the tests recompute.

Every number in a chapter's prose is pasted with ``{glue:text}`` from a key glued here, and every key
follows one grammar so that the tests recompute it from ``data/`` with code of their own
(``tests/helpers/expected.py``); ``python -m iotsurvey keys <chapter>`` lists a chapter's keys::

    <id>                    the value as published, in words ("86%", "more than 50%")
    <id>-value              the number itself
    <id>[-n<N>][-deff<D>]-<stat>
                            stat = low, high (95% Wilson interval), kmin, kmax
                            (counts consistent with the rounding), envlow, envhigh
                            (interval envelope over those counts); n defaults
                            to 1,150 and deff to 1
    moe-n<N>[-deff<D>]      half-width of the 95% Wilson interval at 50%
    gap-n<N>[-p<P>]         smallest whole-point gap two groups of N can tell apart, centred on 50% (or P%)
    <fact id>               a design fact (M01 ...), as text
    level                   the confidence level of every interval ("95%")
    count-<what>, release-<id>, disclosure-<standard>-<status>, equal-split,
    scenario-low, scenario-high
                            see glue_overview() and glue_disclosure()
    smallest-n-every-percent the n from which every whole percentage can arise
    <id>-vs-rest-n<N>[-deff<D>]-(low|high|rest), <id>-vs-rest-(clear|scenarios|verdict)
                            a country against the other countries (glue_country_gap)
    <id>-<id>-vs-rest-..., <id>-<id>-sizes-(low|high)
                            countries stated together, pooled, against the others (glue_group_gap)
    sum-<id>-<id>...        published values added up
    <id>-bound-(low|high)   how far sampling could move a bound (glue_bound)
    <id>-first, <id>-second the items of a ranking, in order
    <id>-sources, <id>-as-released, <id>-languages
                            how many pages carried a finding, how many as released, their languages
    D<nn>-pages             how many pages a discrepancy concerns
    count-kind-<kind>       discrepancies of each kind
    <id>-others-max, <id>-third-max
                            what a ranking leaves if shares sum to 100 (glue_attack_bounds)
"""

from __future__ import annotations

from ..model import evidence, intervals, peers
from ..model.scenarios import (
    EQUAL_SPLIT,
    GAP_CENTRE_LOW,
    SCENARIO_NS,
    compared,
    country_gaps,
    group_gaps,
)
from ..model.survey import KIND_WORDS, Finding, date_in_words, load
from .words import and_words

RECORDER_ENV = "IOTSURVEY_GLUE_TO"  # `python -m iotsurvey keys` reads the keys a chapter glues from this file


def survey():
    """The validated survey (validated once per kernel)."""
    return load()


_GLUED: dict[str, object] = {}  # this kernel's keys: a key is glued once (myst-nb warns on a second)


def glue(key: str, value) -> None:
    """Glue one value for the prose, without showing it (myst-nb's glue; a ``{glue:text}`` role pastes it).

    Gluing a key again with the same value does nothing; with another value it is an error.
    """
    import os

    from myst_nb import glue as myst_nb_glue

    if key in _GLUED:
        if _GLUED[key] != value:
            raise ValueError(f"glue key {key!r} glued twice with different values: {_GLUED[key]!r}, {value!r}")
        return
    _GLUED[key] = value
    myst_nb_glue(key, value, display=False)
    recorder = os.environ.get(RECORDER_ENV)
    if recorder:  # the keys command: one "key<TAB>repr" line per key
        with open(recorder, "a", encoding="utf-8") as handle:
            handle.write(f"{key}\t{value!r}\n")


def _suffix(n: int | None, deff: float = 1.0) -> str:
    """The scenario part of a key: "-n<N>" unless n is the whole sample (or None), "-deff<D>" unless 1."""
    s = "" if n in (None, intervals.TOTAL_N) else f"-n{n}"
    return s + ("" if deff == 1 else f"-deff{deff:g}")


def glue_precision(finding: Finding, n: int = intervals.TOTAL_N, deff: float = 1.0) -> None:
    """Glue the interval, counts and envelope of an exact percentage at n (and deff)."""
    p = finding.precision(n, deff)
    for stat in ("low", "high", "kmin", "kmax", "envlow", "envhigh"):
        glue(f"{finding.id}{_suffix(n, deff)}-{stat}", getattr(p, stat))


def glue_finding(finding: Finding, n: int | None = None) -> None:
    """Glue a finding's published value and, for an exact percentage, its precision.

    Whole-sample and unclear-base percentages get intervals at n = 1,150; a
    country figure gets them under every allocation scenario (``SCENARIO_NS``).
    """
    glue(finding.id, finding.label)
    for (_, item, _), word in zip(finding.ranking, ("first", "second", "third"), strict=False):
        glue(f"{finding.id}-{word}", item)
    if finding.value is not None:
        glue(f"{finding.id}-value", finding.value)
    if not (finding.is_percent and finding.stated == "exact"):
        return
    if finding.country != "All":
        for size in SCENARIO_NS:
            glue_precision(finding, size)
    elif finding.base in ("all_respondents", "unclear") or n:
        glue_precision(finding, n or intervals.TOTAL_N)
        for deff in intervals.DESIGN_EFFECTS[1:]:
            glue_precision(finding, n or intervals.TOTAL_N, deff)


def glue_findings(*findings: Finding, sources: bool = False) -> None:
    """glue_finding for each, and glue_sources too when the chapter talks about where they appeared."""
    for finding in findings:
        glue_finding(finding)
        if sources:
            glue_sources(finding)


def glue_design() -> None:
    """Glue every design fact as text (numbers with thousands separators)."""
    for fact in survey().design.values():
        if fact.unit in ("respondents", "countries", "employees"):
            glue(fact.id, f"{fact.number:,}")
        elif fact.unit == "date":
            glue(fact.id, date_in_words(fact.date))
        else:
            glue(fact.id, fact.value)


def glue_scenarios(ns=SCENARIO_NS + (intervals.TOTAL_N,)) -> None:
    """Glue the maximum margin and the smallest clear gap at each assumed n."""
    for n in ns:
        for deff in intervals.DESIGN_EFFECTS:
            glue(f"moe-n{n}{_suffix(None, deff)}", intervals.max_margin(n, deff))
        glue(f"gap-n{n}", intervals.smallest_clear_gap(n))
        glue(f"gap-n{n}-p{GAP_CENTRE_LOW}", intervals.smallest_clear_gap(n, GAP_CENTRE_LOW))
    glue("gap-centre-low", f"{GAP_CENTRE_LOW}%")
    glue("smallest-n-every-percent", intervals.smallest_n_for_every_percent())


STATUS_WORDS = {"disclosed": "Disclosed", "partly": "Partly", "not_disclosed": "Not disclosed"}


def disclosure_counts(standard: str) -> dict[str, int]:
    """How many items of a standard are disclosed, partly disclosed and not disclosed."""
    items = survey().disclosure(standard)
    return {status: sum(i.status == status for i in items) for status in STATUS_WORDS}


def glue_overview() -> None:
    """Counts of what the data holds, and the release dates, for the prose.

    Keys: count-findings, count-sources, count-releases, count-discrepancies,
    count-country-findings, count-languages, release-<release id> (its date in words).
    """
    s = survey()
    t = s.tables
    glue("level", f"{intervals.LEVEL:.0%}")
    glue("count-findings", len(s.findings))
    glue("count-sources", len(s.sources))
    blogs = sum(r.copy.kind == "vendor_blog" for r in s.releases.values())
    releases = len(s.releases) - blogs
    glue("count-releases", releases)
    glue(
        "publications",
        f"{releases} press release{'s' if releases != 1 else ''}"
        + (f" and {'a blog post' if blogs == 1 else f'{blogs} blog posts'}" if blogs else ""),
    )
    glue("count-discrepancies", len(t["discrepancies"]))
    glue("count-country-findings", len(s.countries_findings()))
    glue("count-languages", int(t["sources"]["language"].nunique()))
    glue("equal-split", EQUAL_SPLIT)
    glue("scenario-low", min(SCENARIO_NS))
    glue("scenario-high", max(SCENARIO_NS))
    for release in s.releases.values():
        glue(f"release-{release.id}", release.when)


def glue_disclosure() -> None:
    """Keys disclosure-<standard>-<status> and disclosure-<standard>-items."""
    for standard in ("AAPOR", "BPC"):
        counts = disclosure_counts(standard)
        for status, count in counts.items():
            glue(f"disclosure-{standard}-{status}", count)
        glue(f"disclosure-{standard}-items", sum(counts.values()))


def verdict(gaps) -> str:
    """The words for how many scenarios separate a gap from zero: all, none, or some."""
    gaps = list(gaps)
    clear = sum(g.clear for g in gaps)
    if clear == len(gaps):
        return "clear of zero in every scenario the book considers"
    if clear == 0:
        return "clear of zero in none of the scenarios the book considers"
    return (
        f"clear of zero in {clear} of {len(gaps)} scenarios and not in the others, so the published figures "
        "cannot settle it"
    )


def zero_words(gap: intervals.CountryGap) -> str:
    """Where an interval of a difference lies against zero, in words."""
    if gap.low > 0:
        return "lies wholly above zero"
    if gap.high < 0:
        return "lies wholly below zero"
    return "includes zero"


class ClaimError(AssertionError):
    """A sentence in a chapter no longer matches the numbers it rests on."""


def claim(holds: bool, sentence: str, *rests_on) -> None:
    """Guard a sentence whose truth depends on the data: stop the build, naming it, if it no longer holds.

    ``rests_on`` are the findings (or other surveys' figures and surveys) the premise reads; the message names
    their rows in data/ with their current values, so that the row that changed is among those named.
    """
    if not holds:
        rows = "; ".join(_row(x) for x in rests_on) or "data/"
        raise ClaimError(
            f'The sentence "{sentence}" no longer holds for {rows}. Rewrite it (or generate it from the '
            "numbers) before building again."
        )


def _row(item) -> str:
    """Where a premise's number lives: "data/findings.csv, row N01 (85%)"."""
    if isinstance(item, Finding):
        return f"data/findings.csv, row {item.id} ({item.label})"
    if isinstance(item, peers.PeerFigure):
        return f"data/context_figures.csv, row {item.id} ({item.as_published})"
    if isinstance(item, peers.PeerSurvey):
        return f"data/context_surveys.csv, row {item.id}"
    return str(item)


def glue_country_gap(finding: Finding) -> list[intervals.CountryGap]:
    """Glue a country figure against the respondents of the other countries, under every scenario.

    Keys: <id>-vs-rest-n<N>[-deff<D>]-(low|high|rest) for each assumed country size N
    and design effect D; <id>-vs-rest-clear (how many of those scenarios separate the
    country from the rest) and <id>-vs-rest-scenarios (how many there are).
    Returns the gaps, in the order glued.
    """
    gaps = country_gaps(finding)
    _glue_grid(finding.id, gaps)
    for size in SCENARIO_NS:
        glue(f"{finding.id}-vs-rest-n{size}-zero", zero_words(gaps[(size, 1.0)]))
    equal = country_gaps(finding, "equal")
    glue(f"{finding.id}-vs-rest-equal-clear", sum(g.clear for g in equal.values()))
    glue(f"{finding.id}-vs-rest-equal-verdict", verdict(equal.values()))
    for size in SCENARIO_NS:
        glue(f"{finding.id}-vs-rest-equal-n{size}-rest", equal[(size, 1.0)].rest_percent)
    return list(gaps.values())


def _glue_grid(key: str, gaps: dict) -> None:
    """A scenario grid's keys: <key>-vs-rest-n<N>[-deff<D>]-(low|high|rest) and <key>-vs-rest-(clear|scenarios|verdict)."""
    for (size, deff), gap in gaps.items():
        prefix = f"{key}-vs-rest-n{size}{_suffix(None, deff)}"
        glue(f"{prefix}-low", gap.low)
        glue(f"{prefix}-high", gap.high)
        glue(f"{prefix}-rest", gap.rest_percent)
    glue(f"{key}-vs-rest-clear", sum(g.clear for g in gaps.values()))
    glue(f"{key}-vs-rest-scenarios", len(gaps))
    glue(f"{key}-vs-rest-verdict", verdict(gaps.values()))


def glue_sum(*findings: Finding) -> None:
    """Key sum-<id>-<id>...: the published values added up (to show complements)."""
    glue("sum-" + "-".join(f.id for f in findings), sum(f.value for f in findings))


def glue_bound(finding: Finding, n: int = intervals.TOTAL_N) -> None:
    """For a bound: how far sampling alone could move it, at n.

    Keys: <id>-bound-low (more_than: the Wilson lower limit at the bound) or
    <id>-bound-high (nearly: the Wilson upper limit at the bound).
    """
    low, high = intervals.wilson(finding.value, n)
    if finding.stated == "more_than":
        glue(f"{finding.id}-bound-low", low)
    elif finding.stated == "nearly":
        glue(f"{finding.id}-bound-high", high)
    else:
        raise ValueError(f"{finding.id} is not a bound ({finding.label})")


def glue_attack_bounds(lead: Finding) -> None:
    """What a ranking allows if the leading share is a share of a whole that sums to 100.

    The lead was rounded to a whole percent, so it may be as low as half a point below its published value.
    Keys: <id>-others-max (100 minus the lowest lead the rounding allows: the most the rest can hold
    together) and <id>-third-max (half of that: the most the third-ranked can hold, being below the second).
    """
    others = 100 - (lead.value - 0.5)
    glue(f"{lead.id}-others-max", others)
    glue(f"{lead.id}-third-max", others / 2)


def glue_sources(finding: Finding) -> None:
    """Keys <id>-sources (how many pages carried it), <id>-as-released (how many as released)
    and <id>-languages (their languages, in words)."""
    glue(f"{finding.id}-sources", len(finding.sources))
    glue(f"{finding.id}-as-released", len(finding.sources) - len(finding.differing_sources))
    glue(f"{finding.id}-languages", and_words(finding.languages))


def glue_countries() -> list[tuple[tuple[Finding, ...], dict]]:
    """Glue each country figure's gaps against the respondents of the other countries (a figure stated for two
    countries together once, as one group: :func:`glue_group_gap`), with the figures compared.  Returns (the
    country findings compared, their scenario grid), in data order."""
    out = compared()
    for members, _ in out:
        glue_findings(*members, load().finding(members[0].global_id), sources=True)
        if len(members) > 1:
            glue_group_gap(*members)
        else:
            glue_country_gap(members[0])
    return out


def glue_discrepancy_pages(discrepancy_id: str) -> None:
    """Key <discrepancy id>-pages: how many pages a discrepancy concerns."""
    glue(f"{discrepancy_id}-pages", len(survey().discrepancies[discrepancy_id].pages))


def glue_discrepancy_counts() -> None:
    """Keys count-kind-<kind>: how many discrepancies of each kind."""
    kinds = [d.kind for d in survey().discrepancies.values()]
    for kind in KIND_WORDS:
        glue(f"count-kind-{kind}", kinds.count(kind))


def group_key(*members: Finding) -> str:
    return "-".join(m.id for m in members)


def glue_group_gap(*members: Finding) -> list[intervals.CountryGap]:
    """Countries published with one figure together against the respondents of the other countries.

    The members' figure is read as one rounded percentage of their pooled respondents.  Keys
    <ids>-vs-rest-n<N>[-deff<D>]-(low|high|rest) for each assumed size N per member country and design
    effect D; <ids>-vs-rest-(clear|scenarios|verdict); <ids>-sizes-(low|high), the smallest and largest
    size per member country.
    """
    key = group_key(*members)
    gaps = group_gaps(*members)
    _glue_grid(key, gaps)
    sizes = sorted({size for size, _ in gaps})
    glue(f"{key}-sizes-low", sizes[0])
    glue(f"{key}-sizes-high", sizes[-1])
    return list(gaps.values())


def glue_evidence() -> None:
    """Keys evidence-<grade>: how many findings have each grade; count-single-source."""
    findings = list(survey().findings.values())
    for grade in evidence.GRADES:
        glue(f"evidence-{grade}", sum(f.evidence == grade for f in findings))
    glue("count-single-source", sum(f.single_source for f in findings))
    glue("count-coverage-only", sum(f.coverage_only for f in findings))
    for flag in evidence.FLAGS:
        glue(f"count-flag-{flag}", sum(getattr(f, flag) for f in findings))
