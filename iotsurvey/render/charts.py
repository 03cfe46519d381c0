"""Charts as data: the rows a chart draws, each with its conditions, and what the chart says about them.

A :class:`BarChart` or :class:`PrecisionChart` is a specification: it names the chart, lists its rows and
its sources, and knows its values file, its alt text and its evidence line.  It draws nothing (that is
:mod:`iotsurvey.render.draw`), so that the export step can write the values of every chart before the
build, from the very objects the chapters draw.

Every row of a finding goes through :func:`finding_bar`, which takes its interval, bound, marks and base
from the finding's evidence columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model import evidence, intervals
from ..model.scenarios import EQUAL_SPLIT, country_gaps, group_gaps, stated_together
from ..model.survey import Finding, Source, load
from . import markup
from .words import ORDINALS, and_words, in_sentence, number, points

BASE_NOTES = {
    "subgroup": "[share of a subgroup of unknown size]",
    "projects": "[share of projects, not respondents]",
    "unclear": "[share of attacks or of respondents: unclear]",
}
PRESUMED_NOTE = "[base presumed: all respondents]"
SINGLE_SOURCE_MARK = " (single source)"
COVERAGE_MARK = " (coverage only)"
UNITS = {"%": "percent", " points": "percentage points", " pages": "pages"}  # the unit as drawn -> in the CSV
ALT_MAX = 250  # characters: a short description; the full values are in the table beside the chart


@dataclass(frozen=True)
class Page:
    """A page a chart cites: an outlet, when it published, its address."""

    outlet: str
    when: str
    url: str

    @classmethod
    def of(cls, source: Source) -> Page:
        return cls(source.outlet, source.when, source.url)


@dataclass(frozen=True)
class Bar:
    """One row of a chart."""

    label: str  # the direct label, in words
    value: float | None  # the published value, the bound for a bound, None for a rank
    stated: str = "exact"  # exact | about (published in rounded words) | more_than | nearly | rank
    low: float | None = None  # interval, same unit as value
    high: float | None = None
    role: str = "all"  # all | country | other: picks the colour
    unit: str = "%"

    rank: int | None = None  # for stated == "rank": the published position
    tied: bool = False  # for a rank: shares its position with another item

    # What the row is, for the values CSV and the alt text; set for rows drawn from a finding.
    finding_id: str | None = None
    share_of: str | None = None  # what the percentage is a share of, in words
    no_interval: str | None = None  # why no interval is drawn, when none can be computed
    n: int | None = None  # the number of respondents the interval assumes
    deff: float | None = None
    method: str | None = None  # how the interval was computed
    grade: str | None = None  # the evidence grade, in words
    flags: str = ""  # the evidence flags, in words
    release: str | None = None
    rests_on: tuple[str, ...] = ()  # other findings the row is computed from (a gap's whole-sample figure)
    pages: tuple[str, ...] = ()  # addresses of the pages the row's value comes from

    @property
    def value_label(self) -> str:
        if self.stated == "rank":
            position = ("joint " if self.tied else "ranked ") + str(ORDINALS.get(self.rank, self.rank))
            return f"{position}, no value published"
        prefix = {"exact": "", "about": "about ", "more_than": "more than ", "nearly": "nearly "}[self.stated]
        return f"{prefix}{number(self.value)}{self.unit}".replace("-", "\u2212")  # a true minus, as the axis has

    def describe(self) -> str:
        """The bar in words: its label, value and interval (or why it has none)."""
        text = f"{self.label}: {self.value_label}"
        if self.low is not None and self.high is not None:
            text += f" (modelled 95% interval {points(self.low)} to {points(self.high)})"
        elif self.no_interval:
            text += f" (no interval: {self.no_interval})"
        return text

    def short(self) -> str:
        """The label without its marks (single source, coverage only, base notes), for a short description; a
        country or a group stays ("(Germany)", "(UK and US together)")."""
        text = self.label.split(" [", 1)[0]
        for mark in (SINGLE_SOURCE_MARK, COVERAGE_MARK, " (worded differently)", " (equal split)"):
            text = text.replace(mark, "")
        return text


# ---------------------------------------------------------------------------
# A finding as a row


def countries_words(members: tuple[Finding, ...]) -> str:
    """ "UK and US": the countries of findings stated together."""
    return and_words([m.country for m in members])


def measure_of(f: Finding) -> str:
    """The measure, for a figure stated for two countries together naming both ("... (UK and US together)")."""
    members = stated_together(f)
    if len(members) == 1:
        return f.measure
    return f"{f.measure.removesuffix(f' ({f.country})')} ({countries_words(members)} together)"


def finding_label(f: Finding, label: str | None = None) -> str:
    """A row's label: the measure (or ``label``), single-source and coverage-only marks, and the base where it is
    not, or is only presumed to be, all respondents."""
    text = (label or measure_of(f)) + (SINGLE_SOURCE_MARK if f.single_source else "")
    text += COVERAGE_MARK if f.coverage_only else ""
    if f.base_presumed:
        return f"{text} {PRESUMED_NOTE}"
    return f"{text} {BASE_NOTES[f.base]}" if f.base in BASE_NOTES else text


def as_released(f: Finding) -> list[Source]:
    """The pages that give a finding as released, releases and their copies first."""
    pages = [x for x in f.sources if x not in f.differing_sources] or list(f.sources)
    return sorted(pages, key=source_rank)


def source_rank(source: Source):
    """Releases and their copies first, then the rest, oldest first, undated last."""
    kind = 0 if source.kind in ("release_copy", "vendor_release") else 1
    import datetime as _dt

    return (kind, source.date is None, source.date or _dt.date.max, source.outlet)


def finding_bar(
    f: Finding,
    n: int = intervals.TOTAL_N,
    deff: float = 1.0,
    country_n: int | None = None,
    label: str | None = None,
    role: str | None = None,
) -> Bar:
    """One finding as a row, its interval, flags and labels taken from its evidence columns.

    The one path every chart row of a finding goes through: an interval only where ``f.interval`` allows
    one (a country figure at the assumed ``country_n``, the equal split unless said otherwise; countries
    stated together pooled), a bound as a bound, single-source and coverage-only marks, and what the share
    is of.
    """
    if not f.is_percent:
        raise ValueError(f"{f.id} is not a percentage ({f.label}); it cannot share a percent axis")
    role = role or {"all_respondents": "all", "country": "country"}.get(f.base, "other")
    meta = dict(
        finding_id=f.id,
        share_of=f.share_of,
        grade=f.grade,
        flags="; ".join(f.flag_words),
        release=f.release.name,
        label=finding_label(f, label),
        value=f.value,
        stated=f.stated,
        role=role,
        pages=tuple(x.url for x in as_released(f)),
    )
    members = stated_together(f)
    if f.interval in ("computable", "country_scenarios"):
        size = n if f.interval == "computable" else (country_n or EQUAL_SPLIT) * len(members)
        p = f.precision(size, deff)
        method = f.interval_method + ("; only if everyone was asked" if f.base_presumed else "")
        if len(members) > 1:
            method += f"; the countries' respondents pooled ({size:,} assumed)"
        return Bar(**meta, low=p.low, high=p.high, n=size, deff=deff, method=method)
    return Bar(**meta, no_interval=f.no_interval_because, method=f.interval_method)


def finding_bars(findings: list[Finding], country_n: int | None = None) -> list[Bar]:
    """``finding_bar`` for each finding; a figure stated for two countries together is drawn once."""
    drawn = dict.fromkeys(stated_together(f)[0] for f in findings)
    return [finding_bar(f, country_n=country_n) for f in drawn]


def rank_bars(finding: Finding, lead: Finding | None = None) -> list[Bar]:
    """A ranking as rows in its published order; only ``lead`` (a valued finding for rank 1) gets a bar."""
    bars = []
    for rank, item, tied in finding.ranking:
        if rank == 1 and lead is not None:
            bars.append(finding_bar(lead, label=item))
        else:
            bars.append(
                Bar(
                    item,
                    None,
                    "rank",
                    rank=rank,
                    tied=tied,
                    finding_id=finding.id,
                    share_of=finding.share_of,
                    no_interval="a rank, published without a value",
                    grade=finding.grade,
                    flags="; ".join(finding.flag_words),
                    release=finding.release.name,
                    pages=tuple(x.url for x in as_released(finding)),
                )
            )
    return bars


GAP_METHOD = (
    "Newcombe hybrid score, 95%, over every pair of whole counts consistent with both rounded figures; "
    "total assumed to pool the country samples unweighted"
)


def gap_bar(f: Finding, size: int, label: str, deff: float = 1.0) -> Bar:
    """A country (or countries stated together) minus the respondents of the other countries, in points."""
    members = stated_together(f)
    gap = (group_gaps(*members) if len(members) > 1 else country_gaps(f))[(size, deff)]
    g = load().finding(f.global_id)
    wording = "; worded differently from the whole-sample item" if f.wording_differs else ""
    share = f.share_of if len(members) == 1 else f"respondents in the {countries_words(members)} together"
    return Bar(
        label,
        f.value - gap.rest_percent,
        "exact",
        gap.low,
        gap.high,
        "country",
        " points",
        finding_id=f.id,
        share_of=f"difference: {share} minus the other countries' respondents, "
        f'against the whole-sample item "{g.measure}" ({g.label}){wording}',
        n=size,
        deff=deff,
        method=GAP_METHOD,
        grade=f.grade,
        flags="; ".join(f.flag_words),
        release=f.release.name,
        rests_on=(g.id,),
        pages=tuple(dict.fromkeys(x.url for m in (*members, g) for x in as_released(m))),
    )


def gap_bars(finding: Finding) -> list[Bar]:
    """One bar per assumed country size: the country minus the rest, with its interval, in points."""
    from ..model.scenarios import SCENARIO_NS

    return [
        gap_bar(
            finding,
            size,
            finding_label(
                finding, f"{size:,} in {finding.country_name}" + (" (equal split)" if size == EQUAL_SPLIT else "")
            ),
        )
        for size in SCENARIO_NS
    ]


# ---------------------------------------------------------------------------
# The words under a chart


def axis_label(bars: list[Bar]) -> str:
    """What the percent axis is a share of: named when every row shares it, else each base in its label."""
    bases = {b.share_of for b in bars if b.finding_id}
    if len(bases) == 1:
        return f"Percent of {bases.pop()}"
    everyone = evidence.SHARE_OF["all_respondents"]
    country = {b for b in bases if b.startswith("respondents in ")}
    others = bases - country - {everyone}
    text = "Percent of " + ", or of ".join(
        ([everyone] if everyone in bases else []) + (["one country's respondents"] if country else [])
    )
    if others:
        text = (text if text != "Percent of " else "Percent") + "; other bases in brackets"
    return text


def interval_note(
    country: bool = False, unknown_base: bool = False, bounds: bool = False, presumed: bool = False
) -> str:
    """The standard words in a chart's note: what the whiskers assume."""
    text = f"Whiskers: modelled {intervals.LEVEL:.0%} Wilson intervals at n = {intervals.TOTAL_N:,} for all respondents"
    if country:
        text += f", and at an assumed {EQUAL_SPLIT} for a country (equal split; the real number was not published)"
    text += (
        "; sampling variability only, under a simple random sampling model with design effect 1 (whether the "
        "results were weighted was not published)."
    )
    if unknown_base:
        text += (
            " Bars without whiskers: no interval can be computed, because the base's size was not "
            "published or it is unclear what the figure is a share of."
        )
    if presumed:
        text += (
            " Rows marked [base presumed: all respondents]: the whisker holds only if everyone was asked, for a "
            "question that reads as put to organisations with IoT projects."
        )
    if bounds:
        text += " Arrows: values published only as bounds."
    return text


def interval_end(x):
    """An interval end at the precision the book prints (one decimal; two near zero, as the pages show it)."""
    if x is None:
        return ""
    return float(points(x))


@dataclass
class BarChart:
    """A bar chart in the house style: horizontal bars from zero, sorted unless ordered, whiskers only where an
    interval exists, bounds as bounds, ranks as words."""

    name: str
    title: str  # what the chart shows, in a phrase: opens the alt text and names the chart in citations
    bars: list[Bar]
    assumption: str  # what the whiskers assume, drawn in the chart's note
    sources: list[Page]
    ordered: bool = False
    xlabel: str | None = None
    xmin: float = 0
    xmax: float = 100
    schema: str = field(default="figure-values", init=False)

    def __post_init__(self):
        if not self.bars:
            raise ValueError(f"{self.name}: a chart needs at least one bar")
        if not self.sources:
            raise ValueError(f"{self.name}: a chart needs its sources")
        self.xlabel = self.xlabel or axis_label(self.bars)

    @property
    def drawn(self) -> list[Bar]:
        """The rows top to bottom: as given, or largest value first."""
        if self.ordered:
            return list(self.bars)
        if any(b.stated == "rank" for b in self.bars):
            raise ValueError(f"{self.name}: rank rows have no value to sort by: pass ordered=True")
        return sorted(self.bars, key=lambda b: -b.value)

    @property
    def note(self) -> str:
        """The note drawn inside the image, so that a download keeps it: the source and the assumption."""
        return f"Source: {source_line(self.sources)}. {self.assumption}"

    @property
    def alt(self) -> str:
        """A short description (at most ``ALT_MAX`` characters): what is compared and the main result."""
        valued = [b for b in self.drawn if b.value is not None]
        if not valued:
            return _fit(f"{self.title}.")
        top, bottom = max(valued, key=lambda b: b.value), min(valued, key=lambda b: b.value)
        ranks = sum(b.stated == "rank" for b in self.drawn)
        rest = f" {ranks} more rows are ranks with no value." if ranks else ""
        if top is bottom:
            return _fit(f"{self.title}: {top.short()}, {top.value_label}.{rest}", f"{self.title}: {top.value_label}.")
        return _fit(
            f"{self.title}. {len(self.drawn)} rows, from {top.short()} at {top.value_label} to {bottom.short()} "
            f"at {bottom.value_label}.{rest}",
            # too long with the rows' names: the extremes' values only (the table beside the chart names every row)
            f"{self.title}. {len(self.drawn)} rows, from {top.value_label} to {bottom.value_label}.{rest}",
        )

    def rows(self) -> list[dict]:
        """The values of the chart, one dict per bar, top to bottom (the export writes them in its schema's order)."""
        return [
            {
                "finding_id": b.finding_id or "",
                "label": b.label,
                "measure_or_row": measure_of(load().finding(b.finding_id)) if b.finding_id else b.label,
                "share_of": b.share_of or "",
                "stated": b.stated,
                "value": "" if b.value is None else (b.value if b.unit == "%" else interval_end(b.value)),
                "unit": UNITS[b.unit],
                "interval_low": interval_end(b.low),
                "interval_high": interval_end(b.high),
                "assumed_n": b.n or "",
                "design_effect": "" if b.deff is None else f"{b.deff:g}",
                "interval_method": b.method or "",
                "no_interval_because": b.no_interval or "",
                "evidence_grade": b.grade or "",
                "evidence_flags": b.flags,
                "release": b.release or "",
                "sources": " ".join(b.pages or [p.url for p in self.sources]),
                "axis": self.xlabel,
            }
            for b in self.drawn
        ]

    def evidence(self) -> list:
        """ "Evidence: <grade>: <item>, <item>; ..." for the findings among the rows, linked to the rubric."""
        grades: dict[str, list[str]] = {}
        for b in self.drawn:
            if b.finding_id and b.grade:
                f = load().finding(b.finding_id)
                item = f"{in_sentence(measure_of(f))} ({'; '.join([f.label, *f.flag_words])})"
                if item not in grades.setdefault(b.grade, []):  # several rows can show one finding (scenarios)
                    grades[b.grade].append(item)
        if not grades:
            return []
        parts = "; ".join(f"{grade}: " + ", ".join(items) for grade, items in grades.items())
        return [markup.Ref("evidence-grades", "Evidence"), f": {parts}."]


@dataclass
class PrecisionChart:
    """The widest modelled margin a percentage can have, by number of respondents, one line per design effect."""

    name: str
    title: str
    sources: list[Page]
    marked: tuple[int, ...] = (150, 230, 500, 1150)
    band: tuple[int, int] | None = None
    band_label: str = ""
    schema: str = field(default="precision-values", init=False)
    assumption: str = (
        "Maximum modelled margin: half-width of the 95% Wilson interval at 50%, assuming simple random "
        "sampling, with n divided by the design effect."
    )

    @property
    def ns(self) -> list[int]:
        return sorted(set(range(100, 1201, 10)) | set(self.marked))

    @property
    def margins(self) -> dict[float, list[float]]:
        return {d: [intervals.max_margin(n, d) for n in self.ns] for d in intervals.DESIGN_EFFECTS}

    @property
    def note(self) -> str:
        return f"Source: computed by the book from {source_line(self.sources)}. {self.assumption}"

    @property
    def alt(self) -> str:
        d = intervals.DESIGN_EFFECTS[0]
        lo, hi = min(self.marked), max(self.marked)
        return _fit(
            f"{self.title}: the margin falls as the number of respondents grows, from "
            f"±{intervals.max_margin(lo, d):.1f} points at n = {lo:,} to ±{intervals.max_margin(hi, d):.1f} at "
            f"n = {hi:,} (design effect {d:g}); larger design effects widen it."
        )

    def rows(self) -> list[dict]:
        return [
            {"n": n, "design_effect": f"{d:g}", "max_modelled_margin_points": interval_end(m)}
            for d, values in self.margins.items()
            for n, m in zip(self.ns, values, strict=True)
        ]

    def evidence(self) -> list:
        return []


def source_line(pages: list[Page]) -> str:
    return "; ".join(f"{p.outlet}, {p.when}" for p in pages)


def _fit(text: str, shorter: str = "") -> str:
    """The text if it has at most ``ALT_MAX`` characters, else the shorter one, else that cut at a word."""
    for candidate in (text, shorter):
        if candidate and len(candidate) <= ALT_MAX:
            return candidate
    cut = (shorter or text)[: ALT_MAX - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def xrange_for_gaps(bars: list[Bar]) -> tuple[float, float]:
    """An axis from below zero to past the largest whisker, in steps of five points."""
    xmin = 5 * math.floor(min(0.0, *(b.low for b in bars)) / 5)
    xmax = 5 * math.ceil(max(b.high for b in bars) / 5 + 0.5)
    return xmin, xmax
