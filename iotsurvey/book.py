"""What a chapter calls: glue a finding's numbers, show a figure.

A chapter's hidden first cell is ``from iotsurvey.book import *``.  Every number
in the prose is pasted with ``{glue:text}`` from a key glued here, and every
key follows one grammar so that the tests can recompute it from ``data/``::

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
    <id>-vs-rest-n<N>[-deff<D>]-(low|high|rest), <id>-vs-rest-(clear|scenarios)
                            a country against the other countries (glue_country_gap)
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

import csv
import datetime as _dt
import functools
import io
import math
from pathlib import Path

from IPython.display import Markdown, display
from myst_nb import glue as _glue

from . import figures, intervals
from .data import BUILD, PACKAGE_ZIP
from .survey import LANGUAGES, Finding, Source, date_in_words, load

FIGURES = BUILD / "figures"
SCENARIO_NS = (150, 230, 300, 400, 500)  # assumed respondents per country (sample chapter)
GAP_CENTRE_LOW = 15  # a share near the end of the scale, to show how the clear gap shrinks there

__all__ = ["survey", "glue", "glue_finding", "glue_findings", "country_gaps", "glue_precision", "glue_design", "glue_scenarios", "glue_overview",
           "glue_disclosure", "show_chart", "show_precision_chart", "show_table", "show_design_table",
           "show_disclosure_table", "show_scenario_table", "finding_bars", "md_escape", "Bar", "intervals",
           "SCENARIO_NS", "glue_country_gap", "gap_bars", "glue_sum", "glue_bound", "rank_bars", "show_sources",
           "show_glance", "interval_note", "EQUAL_SPLIT", "glue_attack_bounds", "glue_sources", "languages_of",
           "show_spending_table", "show_country_chart", "glue_countries", "show_country_gap_chart",
           "show_country_table", "show_all_sources", "show_source_table", "show_discrepancy_table",
           "glue_discrepancy_counts", "show_travel_chart", "country_findings", "glue_discrepancy_pages",
           "show_chapter_data"]

Bar = figures.Bar


def survey():
    """The validated survey (validated once per kernel)."""
    return load()


def glue(key: str, value) -> None:
    """Glue one value without showing it."""
    _glue(key, value, display=False)


def _suffix(n: int | None, deff: float = 1.0) -> str:
    """The scenario part of a key: "-n<N>" unless n is the whole sample (or None), "-deff<D>" unless 1."""
    s = "" if n in (None, intervals.TOTAL_N) else f"-n{n}"
    return s + ("" if deff == 1 else f"-deff{deff:g}")


def glue_precision(finding: Finding, n: int = intervals.TOTAL_N, deff: float = 1.0) -> None:
    """Glue the interval, counts and envelope of an exact percentage at n (and deff)."""
    p = finding.precision(n, deff)
    for stat in ("low", "high", "kmin", "kmax", "envlow", "envhigh"):
        glue(f"{finding.id}{_suffix(n, deff)}-{stat}", getattr(p, stat))


_USED: dict[str, Finding] = {}  # the findings this kernel glued, in order: the chapter's data


def glue_finding(finding: Finding, n: int | None = None) -> None:
    """Glue a finding's published value and, for an exact percentage, its precision.

    Whole-sample and unclear-base percentages get intervals at n = 1,150; a
    country figure gets them under every allocation scenario (``SCENARIO_NS``).
    """
    _USED.setdefault(finding.id, finding)
    glue(finding.id, finding.label)
    for (_, item, _), word in zip(finding.ranking, ("first", "second", "third")):
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


EQUAL_SPLIT = intervals.TOTAL_N // 5  # the equal-allocation scenario: respondents per country


BASE_NOTES = {"subgroup": "[share of a subgroup of unknown size]", "projects": "[share of projects]"}


def finding_bars(findings: list[Finding], n: int = intervals.TOTAL_N, deff: float = 1.0,
                 country_n: int = EQUAL_SPLIT) -> list[Bar]:
    """Bars for percentage findings: exact values with their interval, bounds as bounds.

    Whole-sample figures get intervals at ``n``; a country figure at the assumed
    ``country_n`` (the equal split unless said otherwise); a figure whose base
    size is unknown (a subgroup, projects) gets no whisker, another colour and a
    note in its label.  A figure found on one page only says so in its label.
    """
    bars = []
    for f in findings:
        if not f.is_percent:
            raise ValueError(f"{f.id} is not a percentage ({f.label}); it cannot share a percent axis")
        role = "all" if f.country == "All" else "country"
        label = f.measure + (" (one source only)" if f.single_source else "")
        if f.base in BASE_NOTES:
            role, label = "other", f"{label} {BASE_NOTES[f.base]}"
        if f.stated != "exact":
            bars.append(Bar(label, f.value, f.stated, None, None, role))
        elif f.country != "All":
            p = f.precision(country_n, deff)
            bars.append(Bar(label, f.value, "exact", p.low, p.high, role))
        elif f.base in ("all_respondents", "unclear"):
            p = f.precision(n, deff)
            bars.append(Bar(label, f.value, "exact", p.low, p.high, role))
        else:
            bars.append(Bar(label, f.value, "exact", None, None, role))
    return bars


def interval_note(country: bool = False, unknown_base: bool = False, bounds: bool = False) -> str:
    """The standard words under a chart: what the whiskers assume."""
    text = (f"Whiskers: {intervals.LEVEL:.0%} Wilson intervals at n = {intervals.TOTAL_N:,} for all respondents")
    if country:
        text += (f", and at an assumed {EQUAL_SPLIT} for a country (equal split; the real number was not "
                 "published)")
    text += "; sampling variability only, assuming simple random sampling."
    if unknown_base:
        text += " Bars without whiskers are shares of groups whose size was not published."
    if bounds:
        text += " Arrows: values published only as bounds."
    return text


def md_escape(text: str) -> str:
    """Text from data, made inert for MyST: every ASCII punctuation mark backslash-escaped.

    CommonMark treats a backslash before any ASCII punctuation as a literal,
    so a measure that contains ``<script>``, ``*`` or ``|`` shows as written.
    """
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in " ".join(str(text).split()))


_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _source_line(sources: list[Source]) -> str:
    return "; ".join(f"{s.outlet}, {s.when}" for s in sources)


def _source_links(sources: list[Source]) -> str:
    return "; ".join(f"[{md_escape(s.outlet)}]({s.url}) ({md_escape(s.when)})" for s in sources)


def show_chart(name: str, bars: list[Bar], *, title: str, caption: str, sources: list[Source],
               assumption: str, ordered: bool = False, xlabel: str = "Percent of respondents",
               xmax: float = 100, xmin: float = 0) -> None:
    """A numbered bar chart in the house style, with alt text, source note and downloads.

    ``name`` is the figure's stable label (``{numref}`name```); ``title`` is a
    short description that opens the alt text; ``caption`` is the chapter's
    words; ``assumption`` says what the whiskers assume.
    """
    note = f"Source: {_source_line(sources)}. {assumption}"
    fig = figures.bar_chart(bars, source=note, ordered=ordered, xlabel=xlabel, xmax=xmax, xmin=xmin)
    drawn = figures.drawing_order(bars, ordered)
    rows = [["label", "stated", "value", "interval_low", "interval_high", "role"]]
    rows += [[b.label, b.stated, b.value, _round(b.low), _round(b.high), b.role] for b in drawn]
    _publish(name, fig, figures.alt_text(title, drawn, assumption), caption, sources, assumption, rows)


def show_precision_chart(name: str, *, caption: str, sources: list[Source], marked=(150, 230, 500, 1150)) -> None:
    """Maximum margin of error against n, for each design effect, as a numbered figure."""
    ns = sorted(set(range(100, 1201, 10)) | set(marked))
    margins = {d: [intervals.max_margin(n, d) for n in ns] for d in intervals.DESIGN_EFFECTS}
    assumption = ("Maximum margin: half-width of the 95% Wilson interval at 50%, assuming simple random "
                  "sampling, with n divided by the design effect.")
    note = f"Source: computed by the book from {_source_line(sources)}. {assumption}"
    fig = figures.precision_chart(ns, margins, list(marked), source=note, band=(min(SCENARIO_NS), max(SCENARIO_NS)),
                                  band_label="per-country sizes in the scenarios")
    described = "; ".join(
        f"design effect {d:g}: " + ", ".join(f"n = {n:,} ±{intervals.max_margin(n, d):.1f}" for n in marked)
        for d in intervals.DESIGN_EFFECTS)
    alt = (f"Line chart of the maximum margin of error, in points, against the number of respondents, "
           f"one line per design effect; the margin falls as n grows. {described}. {assumption}")
    rows = [["n", "design_effect", "max_margin_points"]]
    rows += [[n, f"{d:g}", _round(intervals.max_margin(n, d))] for d in intervals.DESIGN_EFFECTS for n in ns]
    _publish(name, fig, alt, caption, sources, assumption, rows)


def show_table(name: str, header: list[str], rows: list[list], *, caption: str, escape: bool = True) -> None:
    """A numbered table (``{numref}`name```) from data; cells are escaped unless ``escape=False``."""
    cell = (lambda v: md_escape(v)) if escape else (lambda v: " ".join(str(v).split()).replace("|", "\\|"))
    lines = [f"```{{table}} {md_escape(caption)}", f":name: {name}", ":align: left", "",
             "| " + " | ".join(md_escape(h) for h in header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    lines.append("```")
    display(Markdown("\n".join(lines)))


def _round(x):
    return "" if x is None else round(float(x), 2)


def _publish(name: str, fig, alt: str, caption: str, sources: list[Source], assumption: str, rows: list[list]) -> None:
    """Write the figure's SVG, PNG and CSV to _build/figures and show it as a numbered figure."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    stem = FIGURES / name
    figures.save(fig, stem)
    _write_csv(stem.with_suffix(".csv"), rows)
    rel = f"/_build/figures/{name}"
    markdown = "\n".join([
        f"```{{figure}} {rel}.svg",
        f":name: {name}",
        f":alt: {_one_line(alt)}",
        ":width: 100%",
        "",
        caption,
        "",
        f"{md_escape(assumption)} Source: {_source_links(sources)}. "
        f"Download: {{download}}`SVG <{rel}.svg>`, {{download}}`PNG <{rel}.png>`, "
        f"{{download}}`values (CSV) <{rel}.csv>`.",
        "```",
    ])
    display(Markdown(markdown))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def csv_safe(value) -> str:
    """A cell that no spreadsheet will run as a formula (OWASP: prefix = + - @ tab CR with ')."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _write_csv(path: Path, rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------------------
# Tables the chapters share

STATUS_WORDS = {"disclosed": "Disclosed", "partly": "Partly", "not_disclosed": "Not disclosed"}


def _source_rank(source: Source):
    """Releases and their copies first, then the rest, oldest first, undated last."""
    kind = 0 if source.kind in ("release_copy", "vendor_release") else 1
    return (kind, source.date is None, source.date or _dt.date.max, source.outlet)


def _cite(source: Source) -> str:
    """A citation of a page, resolved against the bibliography on the how-to-cite page."""
    return f"{{cite:p}}`src-{source.id}`"


def _link(source: Source) -> str:
    return f"[{md_escape(source.outlet)}]({source.url})"


def show_design_table(name: str = "tbl-design") -> None:
    """Every disclosed design fact, with the pages that state it."""
    rows = []
    for fact in survey().design.values():
        value = fact.value
        if fact.unit in ("respondents", "countries", "employees"):
            value = f"{fact.number:,}" + (" or more employees" if fact.unit == "employees" else "")
        elif fact.unit == "date":
            value = date_in_words(fact.date)
        detail = f" ({fact.detail})" if fact.detail else ""
        as_released = sorted(fact.sources, key=_source_rank)
        rows.append([md_escape(fact.id), md_escape(fact.fact), md_escape(value + detail),
                     ", ".join(_link(s) for s in as_released[:3]) + (f" and {len(as_released) - 3} more" if len(as_released) > 3 else "")])
    show_table(name, ["Id", "Fact", "Value", "Stated by"], rows, escape=False,
               caption="What the releases disclose about the survey's design")


def show_disclosure_table(standard: str, name: str, caption: str) -> None:
    """The disclosure audit against one standard (AAPOR or BPC), from data/disclosure.csv."""
    s = survey()
    table = s.tables["disclosure"]
    rows = []
    for r in table[table.standard == standard].itertuples():
        source = s.sources[r.source_id] if isinstance(r.source_id, str) else None
        rows.append([str(r.item), md_escape(r.requirement), f"**{STATUS_WORDS[r.status]}**", md_escape(r.known),
                     _link(source) if source else "None found"])
    show_table(name, ["Item", "What the standard asks for", "Status", "What is known", "Disclosed by"], rows,
               escape=False, caption=caption)


def disclosure_counts(standard: str) -> dict[str, int]:
    """How many items of a standard are disclosed, partly disclosed and not disclosed."""
    table = survey().tables["disclosure"]
    counts = table[table.standard == standard]["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUS_WORDS}


def show_scenario_table(name: str = "tbl-scenarios") -> None:
    """Precision under each assumed country size: margins by design effect and the smallest clear gap."""
    rows = []
    for n in SCENARIO_NS + (intervals.TOTAL_N,):
        label = f"{n:,}" + (" (equal split)" if n == EQUAL_SPLIT else " (whole sample)" if n == intervals.TOTAL_N else "")
        rows.append([label] + [f"±{intervals.max_margin(n, d):.1f}" for d in intervals.DESIGN_EFFECTS]
                    + [f"{intervals.smallest_clear_gap(n)}"])
    header = ["Respondents (n)"] + [f"Maximum margin, design effect {d:g}" for d in intervals.DESIGN_EFFECTS] \
        + ["Smallest gap between two groups of this size that the interval separates (points, at 50%)"]
    show_table(name, header, rows, caption="Precision under each assumed number of respondents")


def glue_overview() -> None:
    """Counts of what the data holds, and the release dates, for the prose.

    Keys: count-findings, count-sources, count-releases, count-discrepancies,
    count-country-findings, count-languages, release-<release id> (its date in words).
    """
    s = survey()
    t = s.tables
    glue("level", f"{intervals.LEVEL:.0%}")
    glue("count-findings", len(t["findings"]))
    glue("count-sources", len(t["sources"]))
    glue("count-releases", len(t["releases"]))
    glue("count-discrepancies", len(t["discrepancies"]))
    glue("count-country-findings", int((t["findings"]["country"] != "All").sum()))
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


# ---------------------------------------------------------------------------
# Findings chapters


def country_gaps(finding: Finding) -> dict[tuple[int, float], intervals.CountryGap]:
    """A country figure against the other countries, for every assumed size and design effect.

    The one place the scenario grid is computed; keyed by (country size, design effect)
    in the order design effect, then size.  Cached per kernel, since a chapter glues,
    draws and tabulates the same gaps.
    """
    return _country_gaps(finding.id)


@functools.lru_cache(maxsize=None)
def _country_gaps(finding_id: str) -> dict[tuple[int, float], intervals.CountryGap]:
    s = survey()
    finding = s.finding(finding_id)
    total = s.finding(finding.global_id)
    return {(size, deff): intervals.country_against_rest(int(finding.value), int(total.value), size, deff)
            for deff in intervals.DESIGN_EFFECTS for size in SCENARIO_NS}


def glue_country_gap(finding: Finding) -> list[intervals.CountryGap]:
    """Glue a country figure against the respondents of the other countries, under every scenario.

    Keys: <id>-vs-rest-n<N>[-deff<D>]-(low|high|rest) for each assumed country size N
    and design effect D; <id>-vs-rest-clear (how many of those scenarios separate the
    country from the rest) and <id>-vs-rest-scenarios (how many there are).
    Returns the gaps, in the order glued.
    """
    gaps = country_gaps(finding)
    for (size, deff), gap in gaps.items():
        key = f"{finding.id}-vs-rest-n{size}{_suffix(None, deff)}"
        glue(f"{key}-low", gap.low)
        glue(f"{key}-high", gap.high)
        glue(f"{key}-rest", gap.rest_percent)
    glue(f"{finding.id}-vs-rest-clear", sum(g.clear for g in gaps.values()))
    glue(f"{finding.id}-vs-rest-scenarios", len(gaps))
    return list(gaps.values())


def gap_bars(finding: Finding, deff: float = 1.0) -> list[Bar]:
    """One bar per assumed country size: the country minus the rest, with its interval, in points."""
    bars = []
    for size in SCENARIO_NS:
        gap = country_gaps(finding)[(size, deff)]
        label = f"{size:,} in {finding.country_name}" + (" (equal split)" if size == EQUAL_SPLIT else "")
        bars.append(Bar(label, finding.value - gap.rest_percent, "exact", gap.low, gap.high, "country", " points"))
    return bars


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

    Keys: <id>-others-max (100 minus the lead: the most the rest can hold together) and
    <id>-third-max (half of that: the most the third-ranked can hold, being below the second).
    """
    others = 100 - lead.value
    glue(f"{lead.id}-others-max", others)
    glue(f"{lead.id}-third-max", others / 2)


def rank_bars(finding: Finding, lead: Finding | None = None, n: int = intervals.TOTAL_N) -> list[Bar]:
    """A ranking as rows in its published order; only ``lead`` (a valued finding for rank 1) gets a bar."""
    bars = []
    for rank, item, tied in finding.ranking:
        if rank == 1 and lead is not None:
            p = lead.precision(n)
            bars.append(Bar(item, lead.value, "exact", p.low, p.high))
        else:
            bars.append(Bar(item, None, "rank", rank=rank, tied=tied))
    return bars


def show_sources(findings: list[Finding]) -> None:
    """Where each finding was published: every page, with its date; differing reports marked."""
    lines = []
    for f in findings:
        pages = sorted(f.sources, key=_source_rank)
        differing = {s.id for s in f.differing_sources}
        items = ", ".join(_link(s) + f" ({md_escape(s.when)}) {_cite(s)}" + (" *reported differently*" if s.id in differing else "")
                          for s in pages)
        lines.append(f"- **{md_escape(f.id)}** ({md_escape(f.label)}), {md_escape(f.release.name)}: {items}.")
    display(Markdown("\n".join(lines)))


def show_glance(name: str, chapters: dict[str, str]) -> None:
    """The November headline findings as one figure, then a table linking each to its chapter.

    ``chapters`` maps finding ids to chapter documents; rankings appear in the table only.
    """
    s = survey()
    findings = [s.finding(fid) for fid in chapters]
    valued = [f for f in findings if f.value is not None]
    release = s.releases["nov-2018"]
    show_chart(name, finding_bars(valued), title=f"The headline findings of the {release.name} release",
               caption="The November 2018 release's findings for all respondents, with modelled intervals.",
               sources=[release.copy],
               assumption=interval_note(bounds=True))
    rows = []
    for f in findings:
        interval = ""
        if f.is_percent and f.stated == "exact":
            p = f.precision()
            interval = f"{p.low:.1f} to {p.high:.1f}"
        rows.append([md_escape(f.id), md_escape(f.measure), md_escape(f.label), interval,
                     f"{{doc}}`{chapters[f.id]}`"])
    show_table(f"{name}-table", ["Id", "Finding", "Published", f"{intervals.LEVEL:.0%} interval (n = {intervals.TOTAL_N:,})", "Chapter"],
               rows, escape=False, caption="The November 2018 findings and where the book discusses them")


# ---------------------------------------------------------------------------
# The rest of the fieldwork, the countries, and the sources

KIND_WORDS = {
    "rounding": "rounding", "base_error": "base error", "meaning_inverted": "meaning inverted",
    "population_relabelled": "population relabelled", "contradictory_reading": "contradictory reading",
    "unit_drift": "unit drift", "misstated": "misstated", "omission": "omission",
    "attribution": "attribution (not a figure)", "unresolved": "unresolved",
}


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def languages_of(finding: Finding) -> list[str]:
    """The languages of the pages that carried a finding, in a fixed order (English first)."""
    codes = {s.language for s in finding.sources}
    return [LANGUAGES[c] for c in LANGUAGES if c in codes]


def glue_sources(finding: Finding) -> None:
    """Keys <id>-sources (how many pages carried it), <id>-as-released (how many as released)
    and <id>-languages (their languages, in words)."""
    glue(f"{finding.id}-sources", len(finding.sources))
    glue(f"{finding.id}-as-released", len(finding.sources) - len(finding.differing_sources))
    glue(f"{finding.id}-languages", _and(languages_of(finding)))


def show_spending_table(name: str, findings: list[Finding]) -> None:
    """Amounts (not percentages): what was published and what is not known about each."""
    rows = [[md_escape(f.id), md_escape(f.measure), md_escape(f.label), md_escape(f.base_note), md_escape(f.release.name)]
            for f in findings]
    show_table(name, ["Id", "Measure", "Published", "Base, and what is not known", "Release"], rows, escape=False,
               caption="Spending and attacks: published only as an average or a lower bound")


def country_findings() -> list[Finding]:
    return [f for f in survey().findings.values() if f.country != "All"]


def show_country_chart(name: str) -> None:
    """Every country figure beside its whole-sample figure (pairs in a fixed order), with intervals."""
    s = survey()
    bars, sources = [], []
    for f in sorted(country_findings(), key=lambda f: (f.global_id or "~", f.id)):
        if f.global_id:
            g = s.finding(f.global_id)
            if not any(b.label == _pair_label(g) for b in bars):
                p = g.precision()
                bars.append(Bar(_pair_label(g), g.value, "exact", p.low, p.high, "all"))
                sources.append(g.release.copy)
        p = f.precision(EQUAL_SPLIT)
        bars.append(Bar(_pair_label(f), f.value, "exact", p.low, p.high, "country"))
        sources.append(f.release.copy)
    show_chart(name, bars, ordered=True,
               title="Every published country figure, each after the whole-sample figure it belongs with",
               caption="Country figures (vermillion) after the whole-sample figure of the same measure (blue), where "
                       "one was published.",
               sources=list(dict.fromkeys(sources)), assumption=interval_note(country=True))


def _pair_label(f: Finding) -> str:
    return f.measure if f.country != "All" else f"All respondents: {f.measure}"


def glue_countries() -> list[tuple[Finding, list[intervals.CountryGap]]]:
    """Glue every country figure, its gaps against the rest of the sample, and the whole-sample
    figures they are compared with (in a fixed order)."""
    s = survey()
    out = []
    for f in country_findings():
        glue_findings(f, sources=True)
        if f.global_id:
            out.append((f, glue_country_gap(f)))
    for total in dict.fromkeys(s.finding(f.global_id) for f, _ in out):
        glue_finding(total)
    return out


def show_country_gap_chart(name: str) -> None:
    """Each country minus the other countries, at the equal split, with Newcombe whiskers."""
    bars = []
    for f in country_findings():
        if not f.global_id:
            continue
        g = country_gaps(f)[(EQUAL_SPLIT, 1.0)]
        bars.append(Bar(f"{f.id} {f.country_name}: {f.measure}", f.value - g.rest_percent, "exact", g.low, g.high,
                        "country", " points"))
    xmin = 5 * math.floor(min(0.0, *(b.low for b in bars)) / 5)
    xmax = 5 * math.ceil(max(b.high for b in bars) / 5 + 0.5)
    show_chart(name, bars, xmin=xmin, xmax=xmax, xlabel="Country minus the other countries, percentage points",
               title="Each country figure minus the same measure among the other countries' respondents",
               caption=f"How far each country is from the respondents of the other countries, assuming "
                       f"{EQUAL_SPLIT} respondents per country.",
               sources=list(dict.fromkeys(f.release.copy for f in country_findings())),
               assumption=f"Whiskers: {intervals.LEVEL:.0%} Newcombe intervals of the difference, widened for the "
                          f"rounding of both figures; {EQUAL_SPLIT} respondents per country assumed (not published); "
                          "simple random sampling.")


def show_country_table(name: str) -> None:
    """Every country figure: its global figure, and the gap interval under the scenarios."""
    s = survey()
    rows = []
    for f in country_findings():
        g = s.finding(f.global_id) if f.global_id else None
        cells = [f"**{md_escape(f.id)}** {md_escape(f.measure)}: {md_escape(f.label)}",
                 md_escape(f"{g.label} ({g.id})") if g else "none published"]
        if g:
            gaps = country_gaps(f)
            spans = [f"{gaps[(size, 1.0)].low:+.1f} to {gaps[(size, 1.0)].high:+.1f}"
                     for size in (min(SCENARIO_NS), EQUAL_SPLIT, max(SCENARIO_NS))]
            cells += spans + [f"{sum(gap.clear for gap in gaps.values())} of {len(gaps)}"]
        else:
            cells += ["", "", "", "no comparison"]
        rows.append(cells)
    lo, hi = min(SCENARIO_NS), max(SCENARIO_NS)
    show_table(name, ["Country figure", "Whole sample", f"Gap, n = {lo}", f"n = {EQUAL_SPLIT}", f"n = {hi}",
                      "Clear of zero"],
               rows, escape=False,
               caption="Every country figure against the other countries' respondents: 95% interval of the gap in "
                       "points (design effect 1) and how many of the scenarios (sizes times design effects) "
                       "separate it from zero")


def show_all_sources() -> None:
    """Every finding and design fact, release by release, with every page that published it."""
    s = survey()
    lines = []
    for release in s.releases.values():
        findings = [f for f in s.findings.values() if f.release.id == release.id]
        lines.append(f"\n**{md_escape(release.name)}** ({md_escape(release.issuer)}, {md_escape(release.when)}; "
                     f"read in {_link(release.copy)})\n")
        for f in findings:
            pages = sorted(f.sources, key=_source_rank)
            differing = {x.id for x in f.differing_sources}
            items = "; ".join(f"{_link(x)} ({md_escape(x.when)}, {LANGUAGES[x.language]})"
                              + (" *differs*" if x.id in differing else "") for x in pages)
            lines.append(f"- {md_escape(f.id)} {md_escape(f.measure)}, {md_escape(f.label)}: {items}")
    lines.append("\n**Design facts**\n")
    for fact in s.design.values():
        items = "; ".join(f"{_link(x)} ({md_escape(x.when)})" for x in sorted(fact.sources, key=_source_rank))
        lines.append(f"- {md_escape(fact.id)} {md_escape(fact.fact)}: {items}")
    display(Markdown("\n".join(lines)))


def show_source_table(name: str) -> None:
    """Every page in the data package: outlet, what it is, date, language and address."""
    rows = [[f"{md_escape(x.outlet)} {_cite(x)}", md_escape(x.description), md_escape(x.when), LANGUAGES[x.language],
             f"[{md_escape(_short_url(x.url))}]({x.url})"] for x in sorted(survey().sources.values(), key=_source_rank)]
    show_table(name, ["Outlet", "What it is", "Date", "Language", "Address"], rows, escape=False,
               caption="Every page the book's figures come from")


def _short_url(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def show_discrepancy_table(name: str) -> None:
    """Every documented discrepancy: figure, kind, what the release said, what the outlets said, where."""
    s = survey()
    t = s.tables
    links = t["discrepancy_sources"]
    rows = []
    for d in t["discrepancies"].itertuples():
        subject = d.finding_id if isinstance(d.finding_id, str) else d.design_id if isinstance(d.design_id, str) else "none"
        pages = [s.sources[x] for x in links[links.discrepancy_id == d.discrepancy_id].source_id]
        rows.append([md_escape(d.discrepancy_id), md_escape(subject), md_escape(KIND_WORDS[d.kind]), md_escape(d.release_says),
                     md_escape(d.outlet_says), ", ".join(_link(x) for x in pages)])
    show_table(name, ["Id", "Figure", "Kind", "The release says", "The outlet says", "Outlets"], rows, escape=False,
               caption="Every documented discrepancy between the releases and the outlets, classified")


def glue_discrepancy_pages(discrepancy_id: str) -> None:
    """Key <discrepancy id>-pages: how many pages a discrepancy concerns."""
    links = survey().tables["discrepancy_sources"]
    glue(f"{discrepancy_id}-pages", int((links.discrepancy_id == discrepancy_id).sum()))


def glue_discrepancy_counts() -> None:
    """Keys count-kind-<kind>: how many discrepancies of each kind."""
    kinds = survey().tables["discrepancies"]["kind"].value_counts()
    for kind in KIND_WORDS:
        glue(f"count-kind-{kind}", int(kinds.get(kind, 0)))


def show_travel_chart(name: str, finding: Finding) -> None:
    """How one figure travelled: how many pages carried it as released, and how many in each other way."""
    s = survey()
    t = s.tables
    disc = t["discrepancies"].merge(t["discrepancy_sources"], on="discrepancy_id")
    disc = disc[disc.finding_id == finding.id]
    counts: dict[str, list[str]] = {}
    for page in finding.sources:
        if page not in finding.differing_sources:
            key = f"As released: {finding.label}"
        else:
            row = disc[disc.source_id == page.id].iloc[0]
            said = row.outlet_says.split(";")[0].split(",")[0]
            key = f"{row.discrepancy_id}, {KIND_WORDS[row.kind]}: {said}"
        counts.setdefault(key, []).append(page.language)
    bars = [Bar(f"{label} ({_and(sorted({LANGUAGES[c] for c in langs}))})", len(langs), "exact", None, None,
                "all" if label.startswith("As released") else "country", " pages")
            for label, langs in counts.items()]
    show_chart(name, bars, xmax=max(b.value for b in bars) * 1.15, xlabel="Number of pages",
               title=f"How the figure {finding.id} ({finding.label}) was reported, page by page",
               caption=f"How {finding.id}, {finding.measure.lower()} ({finding.label}), was carried by the "
                       f"{len(finding.sources)} pages that reported it, by reading and language.",
               sources=[finding.release.copy],
               assumption="Counts of pages in the book's source list; not a sample of all coverage.")


DOWNLOADS = BUILD / "downloads"


def show_chapter_data(name: str) -> None:
    """Write the findings this chapter glued as a CSV and link it, with the whole data package.

    The CSV is safe to open in a spreadsheet: no cell can start a formula.
    """
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    path = DOWNLOADS / f"{name}-findings.csv"
    rows = [["finding_id", "measure", "stated", "value", "unit", "base", "base_note", "country", "release",
             "release_date", "sources"]]
    for f in _USED.values():
        rows.append([f.id, f.measure, f.stated, "" if f.value is None else f.value, f.unit, f.base, f.base_note,
                     f.country, f.release.name, f.release.when, " ".join(x.url for x in f.sources)])
    _write_csv(path, rows)
    display(Markdown(
        f"The {len(_USED)} findings this chapter uses, with their bases, releases and sources: "
        f"{{download}}`{name}-findings.csv </_build/downloads/{name}-findings.csv>`. "
        f"The whole data package, with its schema: {{download}}`{PACKAGE_ZIP} </_build/downloads/{PACKAGE_ZIP}>`. "
        "Each figure's values are linked under the figure."))
