"""The survey as a reader meets it: findings with their evidence, releases, sources, design facts,
discrepancies and the disclosure audit.

``load()`` validates the data package once per process and returns a :class:`Survey`; chapters ask it for
findings by id.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import data, evidence, intervals

LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "ja": "Japanese",
    "fa": "Persian",
}  # the languages of data/sources.csv, in the order the book lists them
KIND_WORDS = {
    "rounding": "rounding",
    "base_error": "base error",
    "meaning_inverted": "meaning inverted",
    "population_relabelled": "population relabelled",
    "contradictory_reading": "contradictory reading",
    "unit_drift": "unit drift",
    "misstated": "misstated",
    "omission": "omission",
    "attribution": "attribution (not a figure)",
    "unresolved": "unresolved",
}  # the kinds of discrepancy, in words
COUNTRY_NAMES = {
    "All": "All five countries",
    "US": "United States",
    "UK": "United Kingdom",
    "France": "France",
    "Germany": "Germany",
    "Japan": "Japan",
}


def date_in_words(date: _dt.date | None, note: str | None = None) -> str:
    """ "21 November 2018", or what is known of an inexact date, or "undated"."""
    if date:
        return f"{date.day} {date:%B %Y}"
    return note or "undated"


def _fmt_number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    description: str
    url: str
    date: _dt.date | None
    date_note: str | None
    language: str
    kind: str

    @property
    def when(self) -> str:
        """The date as a reader should see it."""
        return date_in_words(self.date, self.date_note)


@dataclass(frozen=True)
class Release:
    id: str
    name: str
    issuer: str
    date: _dt.date | None
    date_note: str | None
    language: str
    copy: Source

    @property
    def when(self) -> str:
        return date_in_words(self.date, self.date_note)


@dataclass(frozen=True)
class Finding:
    """One published figure, with what is known about its base."""

    id: str
    release: Release
    theme: str
    measure: str
    stated: str  # exact | more_than | nearly | rank
    value: float | None  # the percentage or amount as published; None for a ranking
    unit: str
    base: str
    base_note: str
    country: str
    global_id: str | None
    note: str | None
    sources: tuple[Source, ...]
    differing_sources: tuple[Source, ...]
    ranking: tuple[tuple[int, str, bool], ...] = ()
    interval: str = "computable"  # the evidence columns of data/findings.csv (see iotsurvey.model.evidence)
    pages: int = 1
    single_source: bool = False
    wording: str = "summary_only"
    evidence: str = "several_sources"
    # the flags (data/findings.csv), shown with the grade wherever it appears
    contested: bool = False  # a page reads it another way, or it may be another statistic (data/discrepancies.csv)
    coverage_only: bool = False  # no copy of its release carries it
    base_presumed: bool = False  # "all respondents" is presumed for a question put to organisations with IoT
    wording_differs: bool = False  # a country figure worded differently from its whole-sample item
    stated_with: str | None = None  # the other country of a figure the release states for two countries together

    @property
    def languages(self) -> list[str]:
        """The languages of the pages that carried it, in words, in the book's fixed order (English first)."""
        codes = {s.language for s in self.sources}
        return [LANGUAGES[c] for c in LANGUAGES if c in codes]

    @property
    def is_percent(self) -> bool:
        return self.unit == "percent"

    @property
    def is_bound(self) -> bool:
        """A value published as a bound ("more than", "nearly"), not a point."""
        return self.stated in ("more_than", "nearly")

    @property
    def has_interval(self) -> bool:
        """Whether a modelled interval exists (for a country figure, only under an assumed size)."""
        return self.interval in ("computable", "country_scenarios")

    @property
    def no_interval_because(self) -> str | None:
        return evidence.NO_INTERVAL_BECAUSE.get(self.interval)

    @property
    def share_of(self) -> str:
        """What the percentage is a share of, in words (for a country figure, names the country)."""
        if self.base == "country":
            name = self.country_name
            return f"respondents in {'the ' if name.startswith('United') else ''}{name}"
        return evidence.SHARE_OF[self.base]

    @property
    def flags(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in evidence.FLAGS}

    @property
    def grade(self) -> str:
        """The evidence grade in words ("Single source", "Base presumed: all respondents", ...)."""
        return evidence.grade_label(self.evidence)

    @property
    def flag_words(self) -> list[str]:
        """The flags shown beside the grade, in words (the one the grade already names left out)."""
        return evidence.shown_flags(self.evidence, self.flags)

    @property
    def grade_and_flags(self) -> str:
        """The grade with its flags, as a reader sees it: "Base presumed: all respondents (contested: ...)"."""
        return evidence.grade_with_flags(self.evidence, self.flags)

    @property
    def interval_method(self) -> str:
        return evidence.INTERVAL_METHOD.get(self.interval, "none: " + (self.no_interval_because or ""))

    @property
    def country_name(self) -> str:
        return COUNTRY_NAMES[self.country]

    @property
    def label(self) -> str:
        """The value in words, as published: "86%", "more than 50%", "nearly 33%"."""
        if self.unit == "rank":
            return "; ".join(f"{r}. {item}" for r, item, _ in self.ranking)
        number = _fmt_number(self.value)
        text = {"percent": f"{number}%", "usd_million": f"{number} million US dollars", "attacks": f"{number} attacks"}[
            self.unit
        ]
        prefix = {"exact": "", "more_than": "more than ", "nearly": "nearly "}[self.stated]
        return prefix + text

    def precision(self, n: int = intervals.TOTAL_N, deff: float = 1.0) -> Precision:
        """Wilson interval and rounding band of an exact percentage at an assumed n."""
        if not self.is_percent or self.stated != "exact":
            raise ValueError(f"{self.id} is {self.label}: only an exact percentage has a point interval")
        low, high = intervals.wilson(self.value, n, deff)
        k_min, k_max = intervals.consistent_counts(int(self.value), n)
        env_low, env_high = intervals.rounding_envelope(int(self.value), n, deff)
        return Precision(self.id, n, deff, self.value, low, high, k_min, k_max, env_low, env_high)


@dataclass(frozen=True)
class Precision:
    finding_id: str
    n: int
    deff: float
    value: float
    low: float
    high: float
    kmin: int
    kmax: int
    envlow: float
    envhigh: float


@dataclass(frozen=True)
class DesignFact:
    id: str
    fact: str
    value: str
    unit: str
    detail: str | None
    sources: tuple[Source, ...]  # every page that gives the fact, as released or not
    differing_sources: tuple[Source, ...] = ()  # pages that gave it differently (see the discrepancies)

    @property
    def stated_by(self) -> tuple[Source, ...]:
        """The pages that state the fact as released."""
        return tuple(x for x in self.sources if x not in self.differing_sources)

    @property
    def number(self) -> int:
        return int(self.value)

    @property
    def date(self) -> _dt.date:
        return _dt.date.fromisoformat(self.value)


@dataclass(frozen=True)
class Discrepancy:
    """A way in which outlets reported a figure or fact differently from the release."""

    id: str
    kind: str
    finding_id: str | None
    design_id: str | None
    related_id: str | None
    release_says: str
    outlet_says: str
    pages: tuple[Source, ...]

    @property
    def subject(self) -> str:
        return self.finding_id or self.design_id or "none"


@dataclass(frozen=True)
class DisclosureItem:
    """One item of a disclosure standard, and what the releases disclose of it."""

    standard: str  # AAPOR | BPC
    item: int
    requirement: str
    status: str  # disclosed | partly | not_disclosed
    known: str
    source: Source | None  # the page that discloses it, if any


class Survey:
    """All published figures of the fieldwork, validated."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables
        none = lambda v: None if pd.isna(v) else v  # noqa: E731
        self.sources = {
            r.source_id: Source(
                r.source_id, r.outlet, r.description, r.url, none(r.date), none(r.date_note), r.language, r.kind
            )
            for r in tables["sources"].itertuples()
        }
        self.releases = {
            r.release_id: Release(
                r.release_id, r.name, r.issuer, none(r.date), none(r.date_note), r.language, self.sources[r.copy_used]
            )
            for r in tables["releases"].itertuples()
        }
        pages = tables["discrepancy_sources"]
        self.discrepancies = {
            r.discrepancy_id: Discrepancy(
                r.discrepancy_id,
                r.kind,
                none(r.finding_id),
                none(r.design_id),
                none(r.related_id),
                r.release_says,
                r.outlet_says,
                tuple(self.sources[x] for x in pages[pages.discrepancy_id == r.discrepancy_id].source_id),
            )
            for r in tables["discrepancies"].itertuples()
        }
        links = tables["finding_sources"]
        ranks = tables["rankings"]
        self.findings: dict[str, Finding] = {}
        for r in tables["findings"].itertuples():
            mine = links[links.finding_id == r.finding_id]
            value = none(r.percent) if r.unit == "percent" else none(r.amount)
            self.findings[r.finding_id] = Finding(
                id=r.finding_id,
                release=self.releases[r.release_id],
                theme=r.theme,
                measure=r.measure,
                stated=r.stated,
                value=None if value is None else float(value),
                unit=r.unit,
                base=r.base,
                base_note=r.base_note,
                country=r.country,
                global_id=none(r.global_id),
                note=none(r.note),
                sources=tuple(self.sources[s] for s in mine.source_id),
                differing_sources=tuple(self.sources[s] for s in mine[~mine.as_released.astype(bool)].source_id),
                ranking=tuple(
                    (int(x.rank), x.item, bool(x.tied)) for x in ranks[ranks.finding_id == r.finding_id].itertuples()
                ),
                interval=r.interval,
                pages=int(r.pages),
                single_source=bool(r.single_source),
                wording=r.wording,
                evidence=r.evidence,
                contested=bool(r.contested),
                coverage_only=bool(r.coverage_only),
                base_presumed=bool(r.base_presumed),
                wording_differs=bool(r.wording_differs),
                stated_with=none(r.stated_with),
            )
        dlinks = tables["design_sources"]
        self.design = {}
        for r in tables["design"].itertuples():
            mine = dlinks[dlinks.design_id == r.design_id]
            self.design[r.design_id] = DesignFact(
                r.design_id,
                r.fact,
                r.value,
                r.unit,
                none(r.detail),
                tuple(self.sources[x] for x in mine.source_id),
                tuple(self.sources[x] for x in mine[~mine.as_released.astype(bool)].source_id),
            )

    def disclosure(self, standard: str) -> list[DisclosureItem]:
        """The disclosure audit against one standard (AAPOR or BPC), item by item."""
        table = self.tables["disclosure"]
        return [
            DisclosureItem(
                r.standard,
                int(r.item),
                r.requirement,
                r.status,
                r.known,
                self.sources[r.source_id] if isinstance(r.source_id, str) else None,
            )
            for r in table[table.standard == standard].itertuples()
        ]

    def finding(self, finding_id: str) -> Finding:
        try:
            return self.findings[finding_id]
        except KeyError:
            raise KeyError(f"no finding {finding_id!r} in data/findings.csv") from None

    def theme(self, theme: str) -> list[Finding]:
        return [f for f in self.findings.values() if f.theme == theme]

    def discrepancies_of(self, ids) -> list[Discrepancy]:
        """The discrepancies that concern any of these finding or design ids (as subject or related finding)."""
        ids = set(ids)
        return [d for d in self.discrepancies.values() if d.subject in ids or d.related_id in ids]

    def countries_findings(self) -> list[Finding]:
        """Every figure for a single country, in data order."""
        return [f for f in self.findings.values() if f.country != "All"]

    @property
    def respondents(self) -> int:
        return self.design["M01"].number

    @property
    def countries(self) -> int:
        return self.design["M02"].number


@lru_cache(maxsize=1)
def load() -> Survey:
    """The validated survey; validation runs once per process."""
    return Survey(data.read_validated())
