"""Charts in the house style: a finding as a bar with its conditions, and the book's charts built from them."""

from __future__ import annotations

import math

from . import evidence, figures, intervals, schemas
from .glue import EQUAL_SPLIT, KIND_WORDS, SCENARIO_NS, country_gaps, group_gaps, stated_together, survey
from .publish import _and, _publish, _round, _source_line, _source_rank, in_sentence, md_escape
from .survey import LANGUAGES, Finding, Source

Bar = figures.Bar
BASE_NOTES = {
    "subgroup": "[share of a subgroup of unknown size]",
    "projects": "[share of projects, not respondents]",
    "unclear": "[share of attacks or of respondents: unclear]",
}
PRESUMED_NOTE = "[base presumed: all respondents]"
SINGLE_SOURCE_MARK = " (single source)"
COVERAGE_MARK = " (coverage only)"


def countries_words(members: tuple[Finding, ...]) -> str:
    """ "UK and US": the countries of findings stated together."""
    return _and([m.country for m in members])


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


def finding_bar(
    f: Finding,
    n: int = intervals.TOTAL_N,
    deff: float = 1.0,
    country_n: int | None = None,
    label: str | None = None,
    role: str | None = None,
) -> Bar:
    """One finding as a row, its interval, flags and labels taken from its evidence columns.

    The one path every chart row of a finding goes through: an interval only
    where ``f.interval`` allows one (a country figure at the assumed
    ``country_n``, the equal split unless said otherwise), a bound as a bound,
    a single-source mark, and what the share is of.
    """
    if not f.is_percent:
        raise ValueError(f"{f.id} is not a percentage ({f.label}); it cannot share a percent axis")
    role = role or {"all_respondents": "all", "country": "country"}.get(f.base, "other")
    meta = dict(
        finding_id=f.id,
        share_of=f.share_of,
        grade=f.grade,
        release=f.release.name,
        label=finding_label(f, label),
        value=f.value,
        stated=f.stated,
        role=role,
    )
    if f.interval == "computable" or f.interval == "country_scenarios":
        size = n if f.interval == "computable" else (country_n or EQUAL_SPLIT) * len(stated_together(f))
        p = f.precision(size, deff)
        method = f.interval_method + ("" if not f.base_presumed else "; only if everyone was asked")
        if len(stated_together(f)) > 1:
            method += f"; the countries' respondents pooled ({size:,} assumed)"
        return Bar(**meta, low=p.low, high=p.high, n=size, deff=deff, method=method)
    return Bar(**meta, no_interval=f.no_interval_because, method=f.interval_method)


def finding_bars(
    findings: list[Finding], n: int = intervals.TOTAL_N, deff: float = 1.0, country_n: int = None
) -> list[Bar]:
    """``finding_bar`` for each finding; a figure stated for two countries together is drawn once."""
    drawn = dict.fromkeys(stated_together(f)[0] for f in findings)
    return [finding_bar(f, n, deff, country_n) for f in drawn]


def axis_label(bars: list[Bar]) -> str:
    """What the percent axis is a share of: named when every row shares it, else "each row's base"."""
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
    """The standard words under a chart: what the whiskers assume."""
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


FIGURE_COLUMNS = schemas.columns("figure-values")


def show_chart(
    name: str,
    bars: list[Bar],
    *,
    title: str,
    caption: str,
    assumption: str,
    sources: list[Source] | None = None,
    ordered: bool = False,
    xlabel: str | None = None,
    xmax: float = 100,
    xmin: float = 0,
) -> None:
    """A numbered bar chart in the house style, with alt text, source note and downloads.

    ``name`` is the figure's stable label (``{numref}`name```); ``title`` is a
    short description that opens the alt text; ``caption`` is the chapter's
    words; ``assumption`` says what the whiskers assume.  The axis says what
    the percentages are shares of, from the findings' bases, unless ``xlabel``
    is given; the caption ends with the evidence grade of each finding shown.
    The source note names, for each finding drawn (or that a row rests on), a
    page that carries it as released; ``sources`` names the pages of rows that
    are not findings (the other surveys' figures).
    """
    xlabel = xlabel or axis_label(bars)
    ids = [i for b in bars for i in (b.finding_id, *b.rests_on) if i]
    if ids:  # the pages that carry what is drawn, chosen from the data (and those of other rows, given)
        sources = figure_sources([survey().finding(i) for i in dict.fromkeys(ids)]) + list(sources or [])
    elif not sources:
        raise ValueError(f"{name}: a chart of rows that are not findings needs its sources")
    note = f"Source: {_source_line(sources)}. {assumption}"

    def draw(look):
        return figures.bar_chart(bars, source=note, ordered=ordered, xlabel=xlabel, xmax=xmax, xmin=xmin, look=look)

    drawn = figures.drawing_order(bars, ordered)
    rows = [FIGURE_COLUMNS]
    rows += [
        [
            b.finding_id or "",
            b.label,
            _measure(b),
            b.share_of or "",
            b.stated,
            "" if b.value is None else b.value,
            b.unit.strip(),
            _round(b.low),
            _round(b.high),
            b.n or "",
            "" if b.deff is None else f"{b.deff:g}",
            b.method or "",
            b.no_interval or "",
            b.grade or "",
            _flags(b),
            b.release or "",
            xlabel,
        ]
        for b in drawn
    ]
    alt = figures.alt_text(title, drawn, f"Axis: {xlabel}. {assumption}")
    _publish(name, draw, alt, caption + _evidence_line(drawn), sources, assumption, rows, "figure-values")


def figure_sources(findings: list[Finding]) -> list[Source]:
    """One page per finding that carries it: its release's copy if that page has it, else its first page."""
    pages = []
    for f in findings:
        as_released = [x for x in sorted(f.sources, key=_source_rank) if x not in f.differing_sources]
        pages.append(
            f.release.copy if f.release.copy in as_released else (as_released or sorted(f.sources, key=_source_rank))[0]
        )
    return list(dict.fromkeys(pages))


def _flags(bar: Bar) -> str:
    """The evidence flags of a row's finding, in words, separated by semicolons."""
    return "; ".join(survey().finding(bar.finding_id).flag_words) if bar.finding_id else ""


def _measure(bar: Bar) -> str:
    if bar.finding_id:
        return survey().finding(bar.finding_id).measure
    return bar.label


def _evidence_line(bars: list[Bar]) -> str:
    """ " Evidence: <grade>: <value>, <value>; ..." for the findings among the rows, linked to the rubric."""
    grades: dict[str, list[str]] = {}
    for b in bars:
        if b.finding_id and b.grade:
            f = survey().finding(b.finding_id)
            item = f"{in_sentence(f.measure)} ({'; '.join([f.label, *f.flag_words])})"
            if item not in grades.setdefault(b.grade, []):  # several rows can show one finding (scenarios)
                grades[b.grade].append(item)
    if not grades:
        return ""
    parts = "; ".join(f"{grade}: " + ", ".join(md_escape(x) for x in items) for grade, items in grades.items())
    return f" {{ref}}`Evidence <evidence-grades>`: {parts}."


def show_precision_chart(name: str, *, caption: str, sources: list[Source], marked=(150, 230, 500, 1150)) -> None:
    """Maximum margin of error against n, for each design effect, as a numbered figure."""
    ns = sorted(set(range(100, 1201, 10)) | set(marked))
    margins = {d: [intervals.max_margin(n, d) for n in ns] for d in intervals.DESIGN_EFFECTS}
    assumption = (
        "Maximum modelled margin: half-width of the 95% Wilson interval at 50%, assuming simple random "
        "sampling, with n divided by the design effect."
    )
    note = f"Source: computed by the book from {_source_line(sources)}. {assumption}"

    def draw(look):
        return figures.precision_chart(
            ns,
            margins,
            list(marked),
            source=note,
            band=(min(SCENARIO_NS), max(SCENARIO_NS)),
            band_label="per-country sizes in the scenarios",
            look=look,
        )

    described = "; ".join(
        f"design effect {d:g}: " + ", ".join(f"n = {n:,} ±{intervals.max_margin(n, d):.1f}" for n in marked)
        for d in intervals.DESIGN_EFFECTS
    )
    alt = (
        f"Line chart of the maximum margin of error, in points, against the number of respondents, "
        f"one line per design effect; the margin falls as n grows. {described}. {assumption}"
    )
    rows = [["n", "design_effect", "max_modelled_margin_points"]]
    rows += [[n, f"{d:g}", _round(intervals.max_margin(n, d))] for d in intervals.DESIGN_EFFECTS for n in ns]
    _publish(name, draw, alt, caption, sources, assumption, rows, "precision-values")


def gap_bars(finding: Finding, deff: float = 1.0) -> list[Bar]:  # a single country: see _gap_bar for pairs
    """One bar per assumed country size: the country minus the rest, with its interval, in points."""
    return [
        _gap_bar(
            finding,
            size,
            finding_label(
                finding, f"{size:,} in {finding.country_name}" + (" (equal split)" if size == EQUAL_SPLIT else "")
            ),
            deff,
        )
        for size in SCENARIO_NS
    ]


def rank_bars(finding: Finding, lead: Finding | None = None, n: int = intervals.TOTAL_N) -> list[Bar]:
    """A ranking as rows in its published order; only ``lead`` (a valued finding for rank 1) gets a bar."""
    bars = []
    for rank, item, tied in finding.ranking:
        if rank == 1 and lead is not None:
            bars.append(finding_bar(lead, n, label=item))
        else:
            bars.append(Bar(item, None, "rank", rank=rank, tied=tied))
    return bars


def show_country_chart(name: str) -> None:
    """Every country figure beside its whole-sample figure (pairs in a fixed order), with intervals."""
    s = survey()
    bars = []
    for f in sorted(survey().countries_findings(), key=lambda f: (f.global_id or "~", f.id)):
        if stated_together(f)[0] is not f:
            continue  # drawn with the country it is stated with
        if f.global_id:
            g = s.finding(f.global_id)
            if not any(b.finding_id == g.id for b in bars):
                bars.append(finding_bar(g, label=_pair_label(g)))
        bars.append(finding_bar(f, country_n=EQUAL_SPLIT))
    show_chart(
        name,
        bars,
        ordered=True,
        title="Every published country figure, each after the whole-sample figure it belongs with",
        caption="Country figures (in another colour, with the country in the label) after the whole-sample "
        "figure of the same measure, where one was published.",
        assumption=interval_note(country=True),
    )


def _pair_label(f: Finding) -> str:
    return f.measure if f.country != "All" else f"All respondents: {f.measure}"


GAP_METHOD = (
    "Newcombe hybrid score, 95%, over every pair of whole counts consistent with both rounded figures; "
    "total assumed to pool the country samples unweighted"
)


def _gap_bar(f: Finding, size: int, label: str, deff: float = 1.0) -> Bar:
    members = stated_together(f)
    gap = (group_gaps(*members) if len(members) > 1 else country_gaps(f))[(size, deff)]
    g = survey().finding(f.global_id)
    wording = "; worded differently from the whole-sample item" if f.wording_differs else ""
    return Bar(
        label,
        f.value - gap.rest_percent,
        "exact",
        gap.low,
        gap.high,
        "country",
        " points",
        finding_id=f.id,
        share_of=f"difference: {_share_of(members)} minus the other countries' respondents, "
        f'against the whole-sample item "{g.measure}" ({g.label}){wording}',
        n=size,
        deff=deff,
        method=GAP_METHOD,
        grade=f.grade,
        release=f.release.name,
        rests_on=(g.id,),
    )


def _share_of(members: tuple[Finding, ...]) -> str:
    if len(members) == 1:
        return members[0].share_of
    return f"respondents in the {countries_words(members)} together"


def show_country_gap_chart(name: str) -> None:
    """Each country (or countries stated together) minus the other countries, at the equal split, with Newcombe
    whiskers."""
    bars = [
        _gap_bar(
            f,
            EQUAL_SPLIT,
            finding_label(
                f,
                f"{countries_words(stated_together(f)) + ' together' if f.stated_with else f.country_name}: "
                f"{f.measure.removesuffix(f' ({f.country})')}" + (" (worded differently)" if f.wording_differs else ""),
            ),
        )
        for f in survey().countries_findings()
        if f.global_id and stated_together(f)[0] is f
    ]
    xmin = 5 * math.floor(min(0.0, *(b.low for b in bars)) / 5)
    xmax = 5 * math.ceil(max(b.high for b in bars) / 5 + 0.5)
    show_chart(
        name,
        bars,
        xmin=xmin,
        xmax=xmax,
        xlabel="Country minus the other countries, percentage points",
        title="Each country figure minus its whole-sample item among the other countries' respondents",
        caption=f"How far each country is from the respondents of the other countries, assuming "
        f"{EQUAL_SPLIT} respondents per country; a figure published for two countries together is compared once, "
        "for their respondents pooled.",
        assumption=f"Whiskers: modelled {intervals.LEVEL:.0%} Newcombe intervals of the difference over every pair of "
        f"counts consistent with both rounded figures; {EQUAL_SPLIT} respondents per country "
        "assumed (not published); the total assumed to pool the countries unweighted; simple "
        "random sampling model.",
    )


def show_travel_chart(name: str, finding: Finding) -> None:
    """How one figure travelled: how many pages carried it as released, and how many in each other way."""
    differing = survey().discrepancies_of([finding.id])
    counts: dict[str, list[str]] = {}
    for page in finding.sources:
        if page not in finding.differing_sources:
            key = f"As released: {finding.label}"
        else:
            d = next(d for d in differing if page in d.pages)
            said = d.outlet_says.split(";")[0].split(",")[0]
            key = f"{KIND_WORDS[d.kind].capitalize()} (discrepancy {d.id}): {said}"
        counts.setdefault(key, []).append(page.language)
    bars = [
        Bar(
            f"{label} ({_and(sorted({LANGUAGES[c] for c in langs}))})",
            len(langs),
            "exact",
            None,
            None,
            "all" if label.startswith("As released") else "country",
            " pages",
        )
        for label, langs in counts.items()
    ]
    show_chart(
        name,
        bars,
        xmax=max(b.value for b in bars) * 1.15,
        xlabel="Number of pages",
        title=f"How the figure {in_sentence(finding.measure)} ({finding.label}) was reported, page by page",
        caption=f"How the figure {in_sentence(finding.measure)} ({finding.label}) was carried by the "
        f"{len(finding.sources)} pages that reported it, by reading and language.",
        sources=[finding.release.copy],
        assumption="Counts of pages in the book's source list; not a sample of all coverage.",
    )
