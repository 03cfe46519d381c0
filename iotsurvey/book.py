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

from . import evidence, figures, intervals, schemas
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
           "show_chapter_data", "finding_bar", "finding_label", "axis_label", "show_discrepancies", "claim",
           "verdict", "zero_words", "glue_group_gap", "glue_evidence", "show_evidence_rubric", "show_key_findings"]

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


BASE_NOTES = {"subgroup": "[share of a subgroup of unknown size]", "projects": "[share of projects, not respondents]",
              "unclear": "[share of attacks or of respondents: unclear]"}
SINGLE_SOURCE_MARK = " (single source)"


def finding_label(f: Finding, label: str | None = None) -> str:
    """A row's label: the measure (or ``label``), a single-source mark, and the base where it is not respondents."""
    text = (label or f.measure) + (SINGLE_SOURCE_MARK if f.single_source else "")
    return f"{text} {BASE_NOTES[f.base]}" if f.base in BASE_NOTES else text


def finding_bar(f: Finding, n: int = intervals.TOTAL_N, deff: float = 1.0, country_n: int | None = None,
                label: str | None = None, role: str | None = None) -> Bar:
    """One finding as a row, its interval, flags and labels taken from its evidence columns.

    The one path every chart row of a finding goes through: an interval only
    where ``f.interval`` allows one (a country figure at the assumed
    ``country_n``, the equal split unless said otherwise), a bound as a bound,
    a single-source mark, and what the share is of.
    """
    if not f.is_percent:
        raise ValueError(f"{f.id} is not a percentage ({f.label}); it cannot share a percent axis")
    role = role or {"all_respondents": "all", "country": "country"}.get(f.base, "other")
    meta = dict(finding_id=f.id, share_of=f.share_of, grade=f.grade, release=f.release.name,
                label=finding_label(f, label), value=f.value, stated=f.stated, role=role)
    if f.interval == "computable" or f.interval == "country_scenarios":
        size = n if f.interval == "computable" else (country_n or EQUAL_SPLIT)
        p = f.precision(size, deff)
        return Bar(**meta, low=p.low, high=p.high, n=size, deff=deff, method=f.interval_method)
    return Bar(**meta, no_interval=f.no_interval_because, method=f.interval_method)


def finding_bars(findings: list[Finding], n: int = intervals.TOTAL_N, deff: float = 1.0,
                 country_n: int = None) -> list[Bar]:
    """``finding_bar`` for each finding."""
    return [finding_bar(f, n, deff, country_n) for f in findings]


def axis_label(bars: list[Bar]) -> str:
    """What the percent axis is a share of: named when every row shares it, else "each row's base"."""
    bases = {b.share_of for b in bars if b.finding_id}
    if len(bases) == 1:
        return f"Percent of {bases.pop()}"
    everyone = evidence.SHARE_OF["all_respondents"]
    country = {b for b in bases if b.startswith("respondents in ")}
    others = bases - country - {everyone}
    text = "Percent of " + ", or of ".join(([everyone] if everyone in bases else [])
                                           + (["one country's respondents"] if country else []))
    if others:
        text = (text if text != "Percent of " else "Percent") + "; other bases in brackets"
    return text


def interval_note(country: bool = False, unknown_base: bool = False, bounds: bool = False) -> str:
    """The standard words under a chart: what the whiskers assume."""
    text = (f"Whiskers: modelled {intervals.LEVEL:.0%} Wilson intervals at n = {intervals.TOTAL_N:,} for all "
            "respondents")
    if country:
        text += (f", and at an assumed {EQUAL_SPLIT} for a country (equal split; the real number was not "
                 "published)")
    text += ("; sampling variability only, under a simple random sampling model with design effect 1 (whether the "
             "results were weighted was not published).")
    if unknown_base:
        text += (" Bars without whiskers: no interval can be computed, because the base's size was not "
                 "published or it is unclear what the figure is a share of.")
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


FIGURE_COLUMNS = schemas.columns("figure-values")


def show_chart(name: str, bars: list[Bar], *, title: str, caption: str, assumption: str,
               sources: list[Source] | None = None, ordered: bool = False, xlabel: str | None = None,
               xmax: float = 100, xmin: float = 0) -> None:
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
    rows += [[b.finding_id or "", b.label, _measure(b), b.share_of or "", b.stated, "" if b.value is None else b.value,
              b.unit.strip(), _round(b.low), _round(b.high), b.n or "", "" if b.deff is None else f"{b.deff:g}",
              b.method or "", b.no_interval or "", b.grade or "", b.release or "", xlabel] for b in drawn]
    alt = figures.alt_text(title, drawn, f"Axis: {xlabel}. {assumption}")
    _publish(name, draw, alt, caption + _evidence_line(drawn), sources, assumption, rows, "figure-values")


def in_sentence(text: str) -> str:
    """A measure inside a sentence: its first letter lowered unless the first word is an acronym ("IoT", "CISO")."""
    first = text.split(" ", 1)[0]
    if any(ch.isupper() for ch in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def figure_sources(findings: list[Finding]) -> list[Source]:
    """One page per finding that carries it: its release's copy if that page has it, else its first page."""
    pages = []
    for f in findings:
        as_released = [x for x in sorted(f.sources, key=_source_rank) if x not in f.differing_sources]
        pages.append(f.release.copy if f.release.copy in as_released else (as_released or sorted(f.sources, key=_source_rank))[0])
    return list(dict.fromkeys(pages))


def _measure(bar: Bar) -> str:
    if bar.finding_id:
        return survey().finding(bar.finding_id).measure
    return bar.label


def _evidence_line(bars: list[Bar]) -> str:
    """" Evidence: <grade>: <value>, <value>; ..." for the findings among the rows, linked to the rubric."""
    grades: dict[str, list[str]] = {}
    for b in bars:
        if b.finding_id and b.grade:
            f = survey().finding(b.finding_id)
            item = f"{in_sentence(f.measure)} ({f.label})"
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
    assumption = ("Maximum margin: half-width of the 95% Wilson interval at 50%, assuming simple random "
                  "sampling, with n divided by the design effect.")
    note = f"Source: computed by the book from {_source_line(sources)}. {assumption}"
    def draw(look):
        return figures.precision_chart(ns, margins, list(marked), source=note, band=(min(SCENARIO_NS), max(SCENARIO_NS)),
                                       band_label="per-country sizes in the scenarios", look=look)
    described = "; ".join(
        f"design effect {d:g}: " + ", ".join(f"n = {n:,} ±{intervals.max_margin(n, d):.1f}" for n in marked)
        for d in intervals.DESIGN_EFFECTS)
    alt = (f"Line chart of the maximum margin of error, in points, against the number of respondents, "
           f"one line per design effect; the margin falls as n grows. {described}. {assumption}")
    rows = [["n", "design_effect", "max_margin_points"]]
    rows += [[n, f"{d:g}", _round(intervals.max_margin(n, d))] for d in intervals.DESIGN_EFFECTS for n in ns]
    _publish(name, draw, alt, caption, sources, assumption, rows, "precision-values")


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


def _publish(name: str, draw, alt: str, caption: str, sources: list[Source], assumption: str, rows: list[list],
             schema: str) -> None:
    """Write the figure (every look: light and dark, desktop and phone, as SVG; a PNG), its CSV and the CSV's
    schema to _build/figures, and show it as a numbered figure.  The Sphinx extension adds the other looks
    beside the light, wide image, for the browser to choose."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    stem = FIGURES / name
    figures.save(draw, stem)
    _write_csv(stem.with_suffix(".csv"), rows)
    _write_schema(FIGURES / f"{schema}.schema.json", schema)
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
        f"{{download}}`values (CSV) <{rel}.csv>` and {{download}}`its schema </_build/figures/{schema}.schema.json>`.",
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


def _write_schema(path: Path, name: str) -> None:
    if not path.exists():
        schemas.write(path, name)


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
        as_released = sorted(fact.stated_by, key=_source_rank)
        differ = len(fact.differing_sources)
        rows.append([md_escape(fact.fact), md_escape(value + detail),
                     ", ".join(f"{_link(s)} ({md_escape(s.when)})" for s in as_released[:3])
                     + (f" and {len(as_released) - 3} more" if len(as_released) > 3 else ""),
                     f"{differ} (see the discrepancies in {{doc}}`sources`)" if differ else "none"])
    show_table(name, ["Fact", "Value", "Stated as released by", "Pages that gave it differently"], rows, escape=False,
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
    blogs = sum(r.copy.kind == "vendor_blog" for r in s.releases.values())
    releases = len(s.releases) - blogs
    glue("count-releases", releases)
    glue("publications", f"{releases} press release{'s' if releases != 1 else ''}"
                         + (f" and {'a blog post' if blogs == 1 else f'{blogs} blog posts'}" if blogs else ""))
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


def country_gaps(finding: Finding, weighting: str = "pooled") -> dict[tuple[int, float], intervals.CountryGap]:
    """A country figure against the other countries, for every assumed size and design effect.

    The one place the scenario grid is computed; keyed by (country size, design effect)
    in the order design effect, then size.  ``weighting`` is how the total is assumed
    to be formed ("pooled": the main assumption; "equal": the alternative, a total
    weighted to equal country shares).  Cached per kernel, since a chapter glues,
    draws and tabulates the same gaps.
    """
    return _country_gaps(finding.id, weighting)


@functools.lru_cache(maxsize=None)
def _country_gaps(finding_id: str, weighting: str) -> dict[tuple[int, float], intervals.CountryGap]:
    s = survey()
    finding = s.finding(finding_id)
    total = s.finding(finding.global_id)
    return {(size, deff): intervals.country_against_rest(int(finding.value), int(total.value), size, deff,
                                                         weighting=weighting)
            for deff in intervals.DESIGN_EFFECTS for size in SCENARIO_NS}


def verdict(gaps) -> str:
    """The words for how many scenarios separate a gap from zero: all, none, or some."""
    gaps = list(gaps)
    clear = sum(g.clear for g in gaps)
    if clear == len(gaps):
        return "clear of zero in every scenario the book considers"
    if clear == 0:
        return "clear of zero in none of the scenarios the book considers"
    return (f"clear of zero in {clear} of {len(gaps)} scenarios and not in the others, so the published figures "
            "cannot settle it")


def zero_words(gap: intervals.CountryGap) -> str:
    """Where an interval of a difference lies against zero, in words."""
    if gap.low > 0:
        return "lies wholly above zero"
    if gap.high < 0:
        return "lies wholly below zero"
    return "includes zero"


class ClaimError(AssertionError):
    """A sentence in a chapter no longer matches the numbers it rests on."""


def claim(holds: bool, sentence: str) -> None:
    """Guard a sentence whose truth depends on computed values: stop the build, naming it, if it no longer holds."""
    if not holds:
        raise ClaimError(f"The sentence \"{sentence}\" no longer holds for the data in data/; "
                         "rewrite it (or generate it from the numbers) before building again.")


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
    glue(f"{finding.id}-vs-rest-verdict", verdict(gaps.values()))
    for size in SCENARIO_NS:
        glue(f"{finding.id}-vs-rest-n{size}-zero", zero_words(gaps[(size, 1.0)]))
    equal = country_gaps(finding, "equal")
    glue(f"{finding.id}-vs-rest-equal-clear", sum(g.clear for g in equal.values()))
    glue(f"{finding.id}-vs-rest-equal-verdict", verdict(equal.values()))
    for size in SCENARIO_NS:
        glue(f"{finding.id}-vs-rest-equal-n{size}-rest", equal[(size, 1.0)].rest_percent)
    return list(gaps.values())


def gap_bars(finding: Finding, deff: float = 1.0) -> list[Bar]:
    """One bar per assumed country size: the country minus the rest, with its interval, in points."""
    return [_gap_bar(finding, size, finding_label(finding, f"{size:,} in {finding.country_name}"
                                                   + (" (equal split)" if size == EQUAL_SPLIT else "")), deff)
            for size in SCENARIO_NS]


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
            bars.append(finding_bar(lead, n, label=item))
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
        lines.append(f"- **{md_escape(f.measure)}** ({md_escape(f.label)}), {md_escape(f.release.name)}: {items}.")
    display(Markdown("\n".join(lines)))


def show_glance(name: str, chapters: dict[str, str]) -> None:
    """The November headline findings as one figure, then a table linking each to its chapter.

    ``chapters`` maps finding ids to chapter documents; rankings appear in the table only.
    Interval, base, single-source mark and evidence grade come from each finding's
    evidence columns, as in the chapters.
    """
    s = survey()
    findings = [s.finding(fid) for fid in chapters]
    valued = [f for f in findings if f.value is not None]
    release = s.releases["nov-2018"]
    show_chart(name, finding_bars(valued), title=f"The headline findings of the {release.name} release",
               caption="The November 2018 release's findings, with modelled intervals where the base allows one.",
               assumption=interval_note(unknown_base=any(not f.has_interval for f in valued),
                                        bounds=any(f.is_bound for f in valued)))
    rows = []
    for f in findings:
        if f.has_interval:
            p = f.precision()
            interval = f"{p.low:.1f} to {p.high:.1f}"
        else:
            interval = f"none: {f.no_interval_because}"
        grade = f.grade + ("; some outlets read it the opposite way" if f.contested else "")
        rows.append([md_escape(finding_label(f)), md_escape(f.label), md_escape(f.share_of), md_escape(interval),
                     md_escape(grade), f"{{doc}}`{chapters[f.id]}`"])
    show_table(f"{name}-table", ["Finding", "Published", "Share of",
                                 f"Modelled {intervals.LEVEL:.0%} interval (n = {intervals.TOTAL_N:,}, design effect 1)",
                                 "Evidence", "Chapter"],
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
    rows = [[md_escape(f.measure), md_escape(f.label), md_escape(f.base_note), md_escape(f.release.name)]
            for f in findings]
    show_table(name, ["Measure", "Published", "Base, and what is not known", "Release"], rows, escape=False,
               caption="Spending and attacks: published only as an average or a lower bound")


def country_findings() -> list[Finding]:
    return survey().countries_findings()


def show_country_chart(name: str) -> None:
    """Every country figure beside its whole-sample figure (pairs in a fixed order), with intervals."""
    s = survey()
    bars = []
    for f in sorted(country_findings(), key=lambda f: (f.global_id or "~", f.id)):
        if f.global_id:
            g = s.finding(f.global_id)
            if not any(b.finding_id == g.id for b in bars):
                bars.append(finding_bar(g, label=_pair_label(g)))
        bars.append(finding_bar(f, country_n=EQUAL_SPLIT))
    show_chart(name, bars, ordered=True,
               title="Every published country figure, each after the whole-sample figure it belongs with",
               caption="Country figures (in another colour, with the country in the label) after the whole-sample "
                       "figure of the same measure, where one was published.",
               assumption=interval_note(country=True))


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


GAP_METHOD = ("Newcombe hybrid score, 95%, over every pair of whole counts consistent with both rounded figures; "
              "total assumed to pool the country samples unweighted")


def same_wording(f: Finding) -> bool:
    """Whether a country figure's measure is its whole-sample figure's measure with the country named."""
    g = survey().finding(f.global_id)
    return f.measure.rsplit(" (", 1)[0] == g.measure


def _gap_bar(f: Finding, size: int, label: str, deff: float = 1.0) -> Bar:
    gap = country_gaps(f)[(size, deff)]
    g = survey().finding(f.global_id)
    wording = "" if same_wording(f) else "; worded differently from the whole-sample item"
    return Bar(label, f.value - gap.rest_percent, "exact", gap.low, gap.high, "country", " points",
               finding_id=f.id, share_of=f"difference: {f.share_of} minus the other countries' respondents, "
                                         f"against the whole-sample item \"{g.measure}\" ({g.label}){wording}",
               n=size, deff=deff, method=GAP_METHOD, grade=f.grade, release=f.release.name, rests_on=(g.id,))


def show_country_gap_chart(name: str) -> None:
    """Each country minus the other countries, at the equal split, with Newcombe whiskers."""
    bars = [_gap_bar(f, EQUAL_SPLIT, finding_label(f, f"{f.country_name}: {f.measure.removesuffix(f' ({f.country})')}"
                                                   + ("" if same_wording(f) else " (worded differently)")))
            for f in country_findings() if f.global_id]
    xmin = 5 * math.floor(min(0.0, *(b.low for b in bars)) / 5)
    xmax = 5 * math.ceil(max(b.high for b in bars) / 5 + 0.5)
    show_chart(name, bars, xmin=xmin, xmax=xmax, xlabel="Country minus the other countries, percentage points",
               title="Each country figure minus its whole-sample item among the other countries' respondents",
               caption=f"How far each country is from the respondents of the other countries, assuming "
                       f"{EQUAL_SPLIT} respondents per country.",
               assumption=f"Whiskers: modelled {intervals.LEVEL:.0%} Newcombe intervals of the difference over every pair of "
                          f"counts consistent with both rounded figures; {EQUAL_SPLIT} respondents per country "
                          "assumed (not published); the total assumed to pool the countries unweighted; simple "
                          "random sampling model.")


def show_country_table(name: str) -> None:
    """Every country figure: its global figure, and the gap interval under the scenarios and both weightings."""
    s = survey()
    rows = []
    for f in country_findings():
        g = s.finding(f.global_id) if f.global_id else None
        cells = [f"{md_escape(finding_label(f))}: {md_escape(f.label)}",
                 md_escape(f"{g.label} ({in_sentence(g.measure)})") if g else "none published"]
        if g:
            gaps = country_gaps(f)
            spans = [f"{figures.points(gaps[(size, 1.0)].low)} to {figures.points(gaps[(size, 1.0)].high)}"
                     for size in (min(SCENARIO_NS), EQUAL_SPLIT, max(SCENARIO_NS))]
            equal = country_gaps(f, "equal")
            cells += spans + [f"{sum(gap.clear for gap in gaps.values())} of {len(gaps)}",
                              f"{sum(gap.clear for gap in equal.values())} of {len(equal)}"]
        else:
            cells += ["", "", "", "no comparison", "no comparison"]
        rows.append(cells)
    lo, hi = min(SCENARIO_NS), max(SCENARIO_NS)
    show_table(name, ["Country figure", "Whole sample", f"Gap, n = {lo}", f"n = {EQUAL_SPLIT}", f"n = {hi}",
                      "Clear of zero (pooled total)", "Clear of zero (equal-weight total)"],
               rows, escape=False,
               caption="Every country figure against the other countries' respondents: 95% interval of the gap in "
                       "points (design effect 1, pooled total) and how many of the scenarios (sizes times design "
                       "effects) separate it from zero, if the total pools the countries unweighted or weights them "
                       "equally")


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
        items = "; ".join(f"{_link(x)} ({md_escape(x.when)})" + (" *differs*" if x in fact.differing_sources else "")
                          for x in sorted(fact.sources, key=_source_rank))
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
    rows = []
    for d in s.discrepancies.values():
        rows.append([md_escape(d.id), md_escape(_subject_words(d.subject)), md_escape(KIND_WORDS[d.kind]),
                     md_escape(d.release_says), md_escape(d.outlet_says), ", ".join(_link(x) for x in d.pages)])
    show_table(name, ["Discrepancy", "Figure", "Kind", "The release says", "The outlet says", "Outlets"], rows, escape=False,
               caption="Every documented discrepancy between the releases and the outlets, classified. Each "
                       "discrepancy has a number (D01 onwards) that the chapters' lists refer to; the figure is named "
                       "by its id in the data package (J, S, F and N for the July, September, October and November "
                       "releases, M for design facts) and in words")


def _subject_words(subject: str, with_id: bool = True) -> str:
    s = survey()
    prefix = f"{subject}: " if with_id else ""
    if subject in s.findings:
        f = s.findings[subject]
        return f"{prefix}{in_sentence(f.measure) if not with_id else f.measure} ({f.label})"
    if subject in s.design:
        return f"{prefix}{s.design[subject].fact if with_id else in_sentence(s.design[subject].fact)}"
    return "no figure (a quotation)"


def show_discrepancies(findings: list[Finding] | None = None) -> None:
    """The discrepancies that concern these findings (by default, every finding the chapter glued).

    Each is named with its kind, its figure and the outlets; what the outlets said is
    stated once only, in the sources chapter's table, which each item points to.
    """
    found = survey().discrepancies_of(f.id for f in (_USED.values() if findings is None else findings))
    if not found:
        display(Markdown("No outlet is recorded as having reported these figures differently from the release."))
        return
    lines = [f"- **Discrepancy {md_escape(d.id)}** ({md_escape(KIND_WORDS[d.kind])}), about "
             f"{md_escape(_subject_words(d.subject, with_id=False))}: "
             f"{len(d.pages)} page{'s' if len(d.pages) != 1 else ''} ({', '.join(_link(x) for x in d.pages)})."
             for d in found]
    lines.append("\nThe numbers (D01 onwards) are the book's own, one for each way a figure was reported "
                 "differently. What each outlet said, beside what the release said, is in {numref}`tbl-discrepancies` "
                 "of the sources chapter; the book uses the release's figure.")
    display(Markdown("\n".join(lines)))


def glue_discrepancy_pages(discrepancy_id: str) -> None:
    """Key <discrepancy id>-pages: how many pages a discrepancy concerns."""
    glue(f"{discrepancy_id}-pages", len(survey().discrepancies[discrepancy_id].pages))


def glue_discrepancy_counts() -> None:
    """Keys count-kind-<kind>: how many discrepancies of each kind."""
    kinds = [d.kind for d in survey().discrepancies.values()]
    for kind in KIND_WORDS:
        glue(f"count-kind-{kind}", kinds.count(kind))


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
    bars = [Bar(f"{label} ({_and(sorted({LANGUAGES[c] for c in langs}))})", len(langs), "exact", None, None,
                "all" if label.startswith("As released") else "country", " pages")
            for label, langs in counts.items()]
    show_chart(name, bars, xmax=max(b.value for b in bars) * 1.15, xlabel="Number of pages",
               title=f"How the figure {in_sentence(finding.measure)} ({finding.label}) was reported, page by page",
               caption=f"How the figure {in_sentence(finding.measure)} ({finding.label}) was carried by the "
                       f"{len(finding.sources)} pages that reported it, by reading and language.",
               sources=[finding.release.copy],
               assumption="Counts of pages in the book's source list; not a sample of all coverage.")


DOWNLOADS = BUILD / "downloads"


def show_chapter_data(name: str) -> None:
    """Write the findings this chapter glued as a CSV (with its schema) and link both, with the whole data package.

    Each row carries the finding's evidence status and, where one exists, its
    interval at the whole sample (or, for a country, at the equal split).  The
    CSV is safe to open in a spreadsheet: no cell can start a formula.
    """
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    path = DOWNLOADS / f"{name}-findings.csv"
    rows = [schemas.columns("chapter-findings")]
    for f in _USED.values():
        low = high = size = deff = ""
        if f.has_interval:
            size = intervals.TOTAL_N if f.interval == "computable" else EQUAL_SPLIT
            p = f.precision(size)
            low, high, deff = _round(p.low), _round(p.high), "1"
        rows.append([f.id, f.measure, f.label, f.stated, "" if f.value is None else f.value, f.unit, f.share_of,
                     f.base_note, f.country, f.interval, low, high, size, deff, f.interval_method, f.grade,
                     str(f.single_source).lower(), f.pages, f.wording, f.release.name, f.release.when,
                     " ".join(x.url for x in f.sources)])
    _write_csv(path, rows)
    _write_schema(DOWNLOADS / "chapter-findings.schema.json", "chapter-findings")
    count = len(_USED)
    what = ("This chapter uses no single finding; the file lists none" if count == 0 else
            f"The {count} finding{'s' if count != 1 else ''} this chapter uses, with "
            f"{'their' if count != 1 else 'its'} bases, evidence grades, intervals, releases and sources")
    display(Markdown(
        f"{what}: "
        f"{{download}}`{name}-findings.csv </_build/downloads/{name}-findings.csv>` and "
        f"{{download}}`its schema </_build/downloads/chapter-findings.schema.json>`. "
        f"The whole data package, with its schema: {{download}}`{PACKAGE_ZIP} </_build/downloads/{PACKAGE_ZIP}>`. "
        "Each figure's values are linked under the figure."))


def glue_group_gap(key: str, *members: Finding, size: int = EQUAL_SPLIT) -> intervals.CountryGap:
    """Countries published with one figure together (each at ``size`` respondents) against the others.

    The members' figure is read as one rounded percentage of their pooled
    respondents.  Keys <key>-rest (the others' implied share), <key>-low and
    <key>-high (the interval of the difference, paired counts).
    """
    totals, values = {m.global_id for m in members}, {m.value for m in members}
    if len(totals) != 1 or None in totals or len(values) != 1:
        raise ValueError(f"expected one published figure for countries of one whole-sample figure, found "
                         f"{sorted(map(str, values))} against {sorted(map(str, totals))}")
    total = survey().finding(totals.pop())
    gap = intervals.group_against_rest([(int(values.pop()), size * len(members))], int(total.value))
    glue(f"{key}-rest", gap.rest_percent)
    glue(f"{key}-low", gap.low)
    glue(f"{key}-high", gap.high)
    return gap


def glue_evidence() -> None:
    """Keys evidence-<grade>: how many findings have each grade; count-single-source."""
    findings = list(survey().findings.values())
    for grade in evidence.GRADES:
        glue(f"evidence-{grade}", sum(f.evidence == grade for f in findings))
    glue("count-single-source", sum(f.single_source for f in findings))


def show_evidence_rubric(name: str) -> None:
    """The evidence grades, in the order the rubric tries them, with what each means and which findings have it."""
    findings = list(survey().findings.values())
    rows = []
    for grade, (label, meaning) in evidence.GRADES.items():
        mine = [f for f in findings if f.evidence == grade]
        rows.append([md_escape(label), md_escape(meaning), str(len(mine)),
                     md_escape(", ".join(f"{in_sentence(f.measure)} ({f.label})" for f in mine)) or "none"])
    show_table(name, ["Grade", "When it applies", "Findings", "Which"], rows, escape=False,
               caption="The evidence grades, in the order the rubric tries them: a finding gets the first that applies")


def key_finding_words(f: Finding) -> str:
    """One finding in plain words: as people where the count can be known, and how sure one can be, and why."""
    what = md_escape(in_sentence(f.measure))  # data: made inert, like every other string from data/
    lone = " It comes from a single page that could not be checked against another." if f.single_source else ""
    if f.interval == "computable":
        p = f.precision()
        return (f"**{f.label}** of the {intervals.TOTAL_N:,} respondents: {what}. That is between {p.kmin:,} and "
                f"{p.kmax:,} people; the exact number is not known, because the release rounded the percentage. "
                f"If the respondents had been picked at random, chance "
                f"alone would put the share between {p.low:.0f}% and {p.high:.0f}%; how they were really recruited "
                f"is unknown, so the real uncertainty is larger.{lone}")
    if f.interval == "country_scenarios":
        country = md_escape(f.share_of.removeprefix("respondents in "))
        what = md_escape(in_sentence(f.measure.removesuffix(f" ({f.country})")))
        return (f"**{f.label}** of the respondents in {country}: {what}. How many people that is cannot be "
                f"said, because the number interviewed in {country} was not published.{lone}")
    if f.interval == "rank":
        items = md_escape("; ".join(item for _, item, _ in f.ranking))
        return f"**An order, no numbers**: {what}: {items}. No share was published for any of them.{lone}"
    if f.interval == "bound":
        return (f"**{f.label}**: {what}. It was published only as a bound, so the exact share, and how many people "
                f"it stands for, are unknown.{lone}")
    if f.interval == "base_unclear":
        return (f"**{f.label}**: {what}. It is unclear whether this is a share of attacks or of respondents, so no "
                f"count of people and no interval can be given.{lone}")
    if f.interval == "base_size_unknown":
        return (f"**{f.label}**: {what}. It is a share of {md_escape(f.share_of)}, so no count of people and no interval can "
                f"be given.{lone}")
    return f"**{f.label}**: {what}. An amount published without any spread, so how precise it is is unknown.{lone}"


def show_key_findings(*findings: Finding) -> None:
    """The box that opens a findings chapter: each finding in plain words, generated from the data."""
    items = "\n".join(f"- {key_finding_words(f)}" for f in findings)
    display(Markdown(f":::{{admonition}} Key findings in plain words\n:class: tip iot-key-findings\n{items}\n:::"))
