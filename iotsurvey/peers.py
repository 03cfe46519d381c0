"""Other surveys of organisations on IoT security, 2017-2020: their designs and figures, as published.

The four ``context_*`` tables of the data package hold what
``shared/sources/context_surveys.csv`` states and nothing more: a field no page
states is empty with its status ``not_found``; a figure one page alone states
is ``single_page``; a page that copies another site's text is a ``mirror``; a
figure that pages give differently carries the ``conflict`` in words.  The
Trend Micro survey's own figures are findings (``data/findings.csv``), not rows
here.

:func:`check` holds the rules the schema cannot state; the data validator
calls it with the other rules, so bad context data stops the build with file,
row and column like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import intervals

# The kinds of question the chapter groups figures by, in the chapter's order, with their headings.
KINDS = {
    "needs_improvement": "Something 'needs improvement' or 'could be improved'",
    "improvement_degree": "How much improvement: answers on the scale behind a 'needs improvement' figure",
    "top_box": "The extreme answer: 'complete', 'very', 'everything'",
    "concern": "Concern, worry or expected harm",
    "preparedness": "Preparedness and visibility, asked either way ('can' or 'cannot')",
    "incidence": "Incidence: attacked or breached",
    "other": "Other questions, with no counterpart in the Trend Micro releases",
}
SHARE_OF = {
    "all_respondents": "all respondents",
    "subgroup": "a subgroup of unknown size",
    "unclear": "unclear",
    "not_respondents": "not respondents",
}
DESIGN_FIELDS = ("agency", "fieldwork", "mode", "countries", "organisation_size")
STATUS_WORDS = {
    "stated": "",
    "single_page": " (one page)",
    "mirror_only": " (mirror copies only)",
    "not_found": "not published",
}


@dataclass(frozen=True)
class PeerSource:
    id: str
    url: str
    site: str
    mirror: bool


@dataclass(frozen=True)
class PeerSurvey:
    id: str
    sponsor: str
    agency: str | None
    agency_status: str
    fieldwork: str | None
    fieldwork_status: str
    mode: str | None
    mode_status: str
    n: int | None  # the number of respondents, when one number is published
    n_as_published: str | None
    n_status: str
    countries: str | None
    countries_status: str
    respondents: str
    organisation_size: str | None
    organisation_size_status: str
    published: str | None
    conflict: str | None
    about_security: bool

    def field(self, name: str) -> str:
        """A design field as the table shows it: the value, "(one page)" if one page states it, or "not published"."""
        value = self.n_as_published if name == "n" else getattr(self, name)  # n as the pages give it
        status = getattr(self, f"{name}_status")
        return STATUS_WORDS["not_found"] if status == "not_found" else f"{value}{STATUS_WORDS[status]}"

    @property
    def name(self) -> str:
        """ "Palo Alto Networks 2020": the sponsor and the year in the survey's id."""
        return f"{self.sponsor} {self.id[-4:]}"


@dataclass(frozen=True)
class PeerFigure:
    id: str
    survey: PeerSurvey
    kind: str
    wording: str
    value: float | None  # None when the published figure is not one percentage
    as_published: str
    approximate: bool
    share_of: str
    base: str
    quote: str
    verified_by: int
    single_page: bool
    conflict: str | None
    note: str | None
    sources: tuple[PeerSource, ...]

    @property
    def mirror_only(self) -> bool:
        return all(s.mirror for s in self.sources)

    @property
    def interval(self) -> tuple[float, float] | None:
        """The modelled 95% Wilson interval, only where the number asked and the base are both known."""
        if self.no_interval_because:
            return None
        return intervals.wilson(self.value, self.survey.n)

    @property
    def no_interval_because(self) -> str | None:
        if self.value is None:
            return "not one percentage"
        if self.approximate:
            return "published only in words ('about')"
        if self.share_of != "all_respondents":
            return {
                "subgroup": "a share of a subgroup whose size was not published",
                "unclear": "it is unclear what the figure is a share of",
                "not_respondents": "not a share of respondents",
            }[self.share_of]
        if self.survey.n is None:
            return "the number of respondents was not published as one number"
        if self.survey.n_status != "stated":
            return "the number of respondents rests on one page"
        return None

    @property
    def marks(self) -> list[str]:
        """What a reader must know beside the number, in words."""
        marks = []
        if self.single_page:
            marks.append("one page")
        if self.mirror_only:
            marks.append("mirror copy only")
        if self.conflict:
            marks.append("pages conflict")
        if self.share_of != "all_respondents":
            marks.append(f"base: {SHARE_OF[self.share_of]}")
        if "convenience sample" in self.survey.respondents:
            marks.append("conference poll")
        return marks


class Peers:
    def __init__(self, tables: dict[str, pd.DataFrame]):
        def none(x):
            return None if pd.isna(x) else x

        self.sources = {
            r.source_id: PeerSource(r.source_id, r.url, r.site, bool(r.mirror))
            for r in tables["context_sources"].itertuples()
        }
        self.surveys = {}
        for r in tables["context_surveys"].itertuples():
            values = {k: none(getattr(r, k)) for k in r._fields if k != "Index"}
            values["n"] = None if values["n"] is None else int(values["n"])
            values["id"] = values.pop("survey_id")
            values["about_security"] = bool(values["about_security"])
            self.surveys[values["id"]] = PeerSurvey(**values)
        links = tables["context_figure_sources"]
        self.figures = {}
        for r in tables["context_figures"].itertuples():
            self.figures[r.figure_id] = PeerFigure(
                id=r.figure_id,
                survey=self.surveys[r.survey_id],
                kind=r.question_kind,
                wording=r.wording,
                value=none(r.value) if none(r.value) is None else float(r.value),
                as_published=r.as_published,
                approximate=bool(r.approximate),
                share_of=r.share_of,
                base=r.base,
                quote=r.quote,
                verified_by=int(r.verified_by),
                single_page=bool(r.single_page),
                conflict=none(r.conflict),
                note=none(r.note),
                sources=tuple(self.sources[s] for s in links[links.figure_id == r.figure_id].source_id),
            )

    def of_kind(self, kind: str) -> list[PeerFigure]:
        return [f for f in self.figures.values() if f.kind == kind]

    def of_survey(self, survey_id: str) -> list[PeerFigure]:
        return [f for f in self.figures.values() if f.survey.id == survey_id]


@lru_cache(maxsize=1)
def load() -> Peers:
    """The other surveys, read with (and validated like) the rest of the data package."""
    from .survey import load as load_survey

    return Peers(load_survey().tables)


# ---------------------------------------------------------------------------
# Disclosure: the AAPOR items the methodology chapter audits, judged from what the pages state


# The AAPOR disclosure items (methodology chapter, tbl-aapor) that a design table can show, by number.
DESIGN_ITEMS = {
    2: "who sponsored and who ran it",
    4: "population: who answered, and where",
    6: "mode",
    7: "dates of fieldwork",
    8: "sample size",
}


def disclosed_items(s: PeerSurvey) -> dict[int, bool]:
    """For each item of ``DESIGN_ITEMS``: does some page read state it?

    The same rule scores this survey (:func:`iotsurvey.peer_views.baseline_items`).  A field stated
    on one page, or only on mirror copies, counts; the table marks it.  Item 2 needs the agency as
    well as the sponsor (an own survey counts); item 4 needs the countries or regions as well as who
    answered.  The other AAPOR items (question wording, recruitment, weighting, processing,
    limitations) are stated by none of these surveys in anything read, nor by this one, and item 1
    (the data collection strategy) is not judged.
    """
    return {
        2: s.agency_status != "not_found",
        4: s.countries_status != "not_found",
        6: s.mode_status != "not_found",
        7: s.fieldwork_status != "not_found",
        8: s.n_status != "not_found",
    }


# ---------------------------------------------------------------------------
# Rules the schema cannot state (called by iotsurvey.data with the other rules)


def check(tables: dict[str, pd.DataFrame]) -> list[tuple[str, int, str, str]]:
    """(table, row index, column, what was expected and found) for each problem."""
    problems = []
    surveys, figures = tables["context_surveys"], tables["context_figures"]
    linked = set(tables["context_figure_sources"]["figure_id"])
    with_figures = set(figures["survey_id"])
    for i, s in surveys.iterrows():
        for name in DESIGN_FIELDS:
            empty, status = pd.isna(s[name]), s[f"{name}_status"]
            if empty != (status == "not_found"):
                problems.append(
                    (
                        "context_surveys",
                        i,
                        f"{name}_status",
                        f"expected not_found exactly when {name} is empty, found {status} with "
                        + ("an empty cell" if empty else f'"{s[name]}"'),
                    )
                )
        if pd.notna(s["n"]):
            if s["n_status"] == "not_found":
                problems.append(
                    (
                        "context_surveys",
                        i,
                        "n_status",
                        f"expected stated or single_page because n is {s['n']}, found not_found",
                    )
                )
            if f"{int(s['n']):,}" not in str(s["n_as_published"]).replace(" ", ""):
                problems.append(
                    (
                        "context_surveys",
                        i,
                        "n",
                        f'expected n to appear in n_as_published ("{s["n_as_published"]}"), found {s["n"]}',
                    )
                )
        if s["survey_id"] not in with_figures:
            problems.append(
                (
                    "context_surveys",
                    i,
                    "survey_id",
                    f"expected at least one figure of {s['survey_id']} in data/context_figures.csv, found none",
                )
            )
    for i, f in figures.iterrows():
        if f["figure_id"] not in linked:
            problems.append(
                (
                    "context_figures",
                    i,
                    "figure_id",
                    f"expected at least one row for {f['figure_id']} in data/context_figure_sources.csv, found none (a figure without a page)",
                )
            )
        if bool(f["single_page"]) != (f["verified_by"] == 1):
            problems.append(
                (
                    "context_figures",
                    i,
                    "single_page",
                    f"expected {str(f['verified_by'] == 1).lower()} because verified_by is {f['verified_by']}, found {str(bool(f['single_page'])).lower()}",
                )
            )
        published = str(f["as_published"]).lstrip("~")
        if pd.notna(f["value"]):
            number = f"{f['value']:g}"
            if not published.startswith(number + "%"):
                problems.append(
                    (
                        "context_figures",
                        i,
                        "value",
                        f'expected the number as published ("{f["as_published"]}"), found {number}',
                    )
                )
        if str(f["as_published"]).startswith("~") and not bool(f["approximate"]):
            problems.append(
                (
                    "context_figures",
                    i,
                    "approximate",
                    f'expected true for "{f["as_published"]}" (published only as a rounded phrase), found false',
                )
            )
    return problems
