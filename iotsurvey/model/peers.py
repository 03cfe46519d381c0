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
    "top_box": "The extreme answer: 'complete', 'total', 'completely'",
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
# How the answer behind a figure was given, as marked on the charts (context_figures.answer_form).
ANSWER_FORMS = {
    "any_level": "any level combined",
    "one_option": "one option",
    "agreement": "agreement",
    "from_list": "from a list",
    "not_stated": "answer form not stated",
}
STATUS_WORDS = {
    "stated": "",
    "single_page": " (found on one page read)",
    "mirror_only": " (mirror copies only)",
    "not_found": "not found in any page read",
}
METHODS_WORDS = {
    "not_found": "not found in any page read",
    "report_unread": "a copy of the full report was found, but its methods section could not be read",
}


@dataclass(frozen=True)
class PeerSource:
    id: str
    url: str
    site: str
    mirror: bool
    copy_of: str | None = None  # the page this one reposts, if it is in the table


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
    scope: str  # security | peripheral | not_security
    scope_note: str | None
    methods: str  # not_found | report_unread: whether a page read states question wording, response rate, weighting
    methods_note: str | None

    @property
    def methods_words(self) -> str:
        """Question wording, response rate and weighting: what the pages read say of them."""
        return METHODS_WORDS[self.methods] + (f" ({self.methods_note})" if self.methods_note else "")

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
    answer_form: str
    value: float | None  # None when the published figure is not one percentage
    as_published: str
    stated: str  # exact | about | more_than
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
    def approximate(self) -> bool:
        """Published only as a rounded phrase ("9 in 10", "around 95%")."""
        return self.stated == "about"

    @property
    def is_bound(self) -> bool:
        return self.stated == "more_than"

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
        if self.is_bound:
            return "published only as a bound"
        if self.mirror_only:
            return "it rests on mirror copies only"
        if self.conflict:
            return "pages give it differently"
        if self.share_of != "all_respondents":
            return {
                "subgroup": "a share of a subgroup whose size was not published",
                "unclear": "it is unclear what the figure is a share of",
                "not_respondents": "not a share of respondents",
            }[self.share_of]
        if self.survey.n is None:
            return "the number of respondents was not published as one number"
        if self.survey.n_status != "stated":
            return "the number of respondents was found on one page read"
        return None

    @property
    def marks(self) -> list[str]:
        """What a reader must know beside the number, in words."""
        marks = []
        if self.single_page:
            marks.append("found on one page read")
        if self.mirror_only:
            marks.append("mirror copy only")
        if self.conflict:
            marks.append("pages conflict")
        if self.share_of != "all_respondents":
            marks.append(f"base: {SHARE_OF[self.share_of]}")
        if "convenience sample" in self.survey.respondents:
            marks.append("conference poll")
        if self.survey.scope != "security":
            marks.append(self.survey.scope_note or "not about security")
        return marks


class Peers:
    def __init__(self, tables: dict[str, pd.DataFrame]):
        def none(x):
            return None if pd.isna(x) else x

        self.sources = {
            r.source_id: PeerSource(r.source_id, r.url, r.site, bool(r.mirror), none(r.copy_of))
            for r in tables["context_sources"].itertuples()
        }
        self.surveys = {}
        for r in tables["context_surveys"].itertuples():
            values = {k: none(getattr(r, k)) for k in r._fields if k != "Index"}
            values["n"] = None if values["n"] is None else int(values["n"])
            values["id"] = values.pop("survey_id")
            self.surveys[values["id"]] = PeerSurvey(**values)
        design = tables["context_survey_sources"]
        self.design_pages = {
            survey_id: tuple(
                (self.sources[x.source_id], x.states) for x in design[design.survey_id == survey_id].itertuples()
            )
            for survey_id in self.surveys
        }  # pages read for a survey's design, with what each states
        links = tables["context_figure_sources"]
        self.figures = {}
        for r in tables["context_figures"].itertuples():
            self.figures[r.figure_id] = PeerFigure(
                id=r.figure_id,
                survey=self.surveys[r.survey_id],
                kind=r.question_kind,
                wording=r.wording,
                answer_form=r.answer_form,
                value=none(r.value) if none(r.value) is None else float(r.value),
                as_published=r.as_published,
                stated=r.stated,
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
    """For each design fact of ``DESIGN_ITEMS``: does some page read state it?

    The same rule scores this survey (:func:`iotsurvey.render.peers.baseline_items`).  A field stated
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
