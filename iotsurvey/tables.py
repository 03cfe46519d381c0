"""Tables and lists a chapter shows: design, disclosure, scenarios, sources, discrepancies, key findings, data."""

from __future__ import annotations

from IPython.display import Markdown, display

from . import evidence, figures, intervals, reads, schemas
from .charts import finding_bars, finding_label, interval_note, show_chart
from .glue import _USED, EQUAL_SPLIT, SCENARIO_NS, STATUS_WORDS, country_gaps, group_gaps, stated_together, survey
from .paths import DOWNLOADS, PACKAGE_ZIP
from .publish import (
    _and,
    _link,
    _round,
    _source_rank,
    _write_csv,
    _write_schema,
    in_sentence,
    md_escape,
    show_table,
)
from .survey import Finding, date_in_words


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
        rows.append(
            [
                md_escape(fact.fact),
                md_escape(value + detail),
                ", ".join(f"{_link(s)} ({md_escape(s.when)})" for s in as_released[:3])
                + (f" and {len(as_released) - 3} more" if len(as_released) > 3 else ""),
                f"{differ} (see the discrepancies in {{doc}}`sources`)" if differ else "none",
            ]
        )
    show_table(
        name,
        ["Fact", "Value", "Stated as released by", "Pages that gave it differently"],
        rows,
        escape=False,
        caption="What the releases disclose about the survey's design",
    )


def show_disclosure_table(standard: str, name: str, caption: str) -> None:
    """The disclosure audit against one standard (AAPOR or BPC), from data/disclosure.csv."""
    rows = [
        [
            str(i.item),
            md_escape(i.requirement),
            f"**{STATUS_WORDS[i.status]}**",
            md_escape(i.known),
            _link(i.source) if i.source else "None found",
        ]
        for i in survey().disclosure(standard)
    ]
    show_table(
        name,
        ["Item", "What the standard asks for", "Status", "What is known", "Disclosed by"],
        rows,
        escape=False,
        caption=caption,
    )


def show_scenario_table(name: str = "tbl-scenarios") -> None:
    """Precision under each assumed country size: margins by design effect and the smallest clear gap."""
    rows = []
    for n in SCENARIO_NS + (intervals.TOTAL_N,):
        label = f"{n:,}" + (
            " (equal split)" if n == EQUAL_SPLIT else " (whole sample)" if n == intervals.TOTAL_N else ""
        )
        rows.append(
            [label]
            + [f"±{intervals.max_margin(n, d):.1f}" for d in intervals.DESIGN_EFFECTS]
            + [f"{intervals.smallest_clear_gap(n)}"]
        )
    header = (
        ["Respondents (n)"]
        + [f"Maximum modelled margin, design effect {d:g}" for d in intervals.DESIGN_EFFECTS]
        + ["Smallest gap between two groups of this size that the interval separates (points, at 50%)"]
    )
    show_table(name, header, rows, caption="Precision under each assumed number of respondents")


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
    show_chart(
        name,
        finding_bars(valued),
        title=f"The headline findings of the {release.name} release",
        caption="The November 2018 release's findings, with modelled intervals where the base allows one.",
        assumption=interval_note(
            unknown_base=any(not f.has_interval for f in valued), bounds=any(f.is_bound for f in valued)
        ),
    )
    rows = []
    for f in findings:
        if f.has_interval:
            p = f.precision()
            interval = f"{p.low:.1f} to {p.high:.1f}"
        else:
            interval = f"none: {f.no_interval_because}"
        grade = f.grade_and_flags
        rows.append(
            [
                md_escape(finding_label(f)),
                md_escape(f.label),
                md_escape(f.share_of),
                md_escape(interval),
                md_escape(grade),
                f"{{doc}}`{chapters[f.id]}`",
            ]
        )
    show_table(
        f"{name}-table",
        [
            "Finding",
            "Published",
            "Share of",
            f"Modelled {intervals.LEVEL:.0%} interval (n = {intervals.TOTAL_N:,}, design effect 1)",
            "Evidence",
            "Chapter",
        ],
        rows,
        escape=False,
        caption="The November 2018 findings and where the book discusses them",
    )


def show_spending_table(name: str, findings: list[Finding]) -> None:
    """Amounts (not percentages): what was published and what is not known about each."""
    rows = [
        [md_escape(f.measure), md_escape(f.label), md_escape(f.base_note), md_escape(f.release.name)] for f in findings
    ]
    show_table(
        name,
        ["Measure", "Published", "Base, and what is not known", "Release"],
        rows,
        escape=False,
        caption="Spending and attacks: published only as an average or a lower bound",
    )


def show_country_table(name: str) -> None:
    """Every country figure: its global figure, and the gap interval under the scenarios and both weightings.

    A figure the release states for two countries together is one row, its respondents pooled, at sizes per
    country that keep the other countries inside the scenario range (:func:`iotsurvey.intervals.group_sizes`).
    """
    s = survey()
    rows = []
    for f in s.countries_findings():
        members = stated_together(f)
        if members[0] is not f:
            continue
        g = s.finding(f.global_id) if f.global_id else None
        cells = [
            f"{md_escape(finding_label(f))}: {md_escape(f.label)}",
            md_escape(f"{g.label} ({in_sentence(g.measure)})") if g else "none published",
        ]
        if g:
            gaps = group_gaps(*members) if len(members) > 1 else country_gaps(f)
            sizes = sorted({size for size, _ in gaps})
            each = " each" if len(members) > 1 else ""
            spans = [
                f"{figures.points(gaps[(size, 1.0)].low)} to {figures.points(gaps[(size, 1.0)].high)}"
                + (
                    f" (n = {size}{each})"
                    if size not in (min(SCENARIO_NS), EQUAL_SPLIT, max(SCENARIO_NS)) or each
                    else ""
                )
                for size in (sizes[0], EQUAL_SPLIT, sizes[-1])
            ]
            cells += spans + [f"{sum(gap.clear for gap in gaps.values())} of {len(gaps)}"]
            if len(members) > 1:
                cells.append("not computed for two countries together")
            else:
                equal = country_gaps(f, "equal")
                cells.append(f"{sum(gap.clear for gap in equal.values())} of {len(equal)}")
        else:
            cells += ["", "", "", "no comparison", "no comparison"]
        rows.append(cells)
    lo, hi = min(SCENARIO_NS), max(SCENARIO_NS)
    show_table(
        name,
        [
            "Country figure",
            "Whole sample",
            f"Gap, n = {lo}",
            f"n = {EQUAL_SPLIT}",
            f"n = {hi}",
            "Clear of zero (pooled total)",
            "Clear of zero (equal-weight total)",
        ],
        rows,
        escape=False,
        caption="Every country figure against the other countries' respondents: 95% interval of the gap in "
        "points (design effect 1, pooled total) and how many of the scenarios (sizes times design "
        "effects) separate it from zero, if the total pools the countries unweighted or weights them "
        "equally. A figure published for two countries together is compared once, for their respondents "
        "pooled, at sizes that leave each other country at least the smallest scenario size",
    )


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
        rows.append(
            [
                f.id,
                f.measure,
                f.label,
                f.stated,
                "" if f.value is None else f.value,
                f.unit,
                f.share_of,
                f.base_note,
                f.country,
                f.interval,
                low,
                high,
                size,
                deff,
                f.interval_method,
                f.grade,
                "; ".join(f.flag_words),
                str(f.single_source).lower(),
                f.pages,
                f.wording,
                f.release.name,
                f.release.when,
                " ".join(x.url for x in f.sources),
            ]
        )
    _write_csv(path, rows)
    _write_schema(DOWNLOADS / "chapter-findings.schema.json", "chapter-findings")
    reads.chapter_is(name)  # the last cell of every chapter: from here the build keeps what the chapter read
    count = len(_USED)
    what = (
        "This chapter uses no single finding; the file lists none"
        if count == 0
        else f"The {count} finding{'s' if count != 1 else ''} this chapter uses, with "
        f"{'their' if count != 1 else 'its'} bases, evidence grades, intervals, releases and sources"
    )
    display(
        Markdown(
            f"{what}: "
            f"{{download}}`{name}-findings.csv </_build/downloads/{name}-findings.csv>` and "
            f"{{download}}`its schema </_build/downloads/chapter-findings.schema.json>`. "
            f"The whole data package, with its schema: {{download}}`{PACKAGE_ZIP} </_build/downloads/{PACKAGE_ZIP}>`. "
            "Each figure's values are linked under the figure."
        )
    )


def show_evidence_rubric(name: str) -> None:
    """The evidence grades, in the order the rubric tries them, with what each means and which findings have it."""
    findings = list(survey().findings.values())
    rows = []
    for grade, (label, meaning) in evidence.GRADES.items():
        mine = [f for f in findings if f.evidence == grade]
        rows.append(
            [
                md_escape(label),
                md_escape(meaning),
                str(len(mine)),
                md_escape("; ".join(f"{in_sentence(f.measure)} ({', '.join([f.label, *f.flag_words])})" for f in mine))
                or "none",
            ]
        )
    show_table(
        name,
        ["Grade", "When it applies", "Findings", "Which"],
        rows,
        escape=False,
        caption="The evidence grades, in the order the rubric tries them: a finding gets the first that applies",
    )


def key_finding_words(f: Finding) -> tuple[str, set[str]]:
    """One finding in plain words, and the caveats it needs (said once for the whole box, see ``CAVEATS``).

    As people where the count can be known, with how sure one can be; an amount as an amount.
    """
    what = md_escape(in_sentence(f.measure))  # data: made inert, like every other string from data/
    marks = [name for name in MARKS if getattr(f, name)]
    caveats: set[str] = set(marks)
    lone = f" ({', '.join(MARKS[m] for m in marks)})" if marks else ""
    what += lone
    if f.interval == "computable":
        p = f.precision()
        caveats.add("random")
        if f.base_presumed:
            caveats.add("presumed")
        base = "respondents" + (" (if everyone was asked)" if f.base_presumed else "")
        return (
            f"**{f.label}** of the {intervals.TOTAL_N:,} {base}: {what}. That is between {p.kmin:,} and "
            f"{p.kmax:,} people; the modelled interval runs from {p.low:.0f}% to {p.high:.0f}%.",
            caveats,
        )
    if f.interval == "country_scenarios":
        members = stated_together(f)
        countries = _and([md_escape(m.share_of.removeprefix("respondents in ")) for m in members])
        what = md_escape(in_sentence(f.measure.removesuffix(f" ({f.country})"))) + lone
        caveats.add("country")
        together = " together (one figure for both)" if len(members) > 1 else ""
        return f"**{f.label}** of the respondents in {countries}{together}: {what}.", caveats
    if f.interval == "rank":
        items = md_escape("; ".join(item for _, item, _ in f.ranking))
        return f"**An order, no numbers**: {what}: {items}. No share was published for any of them.", caveats
    if f.interval == "bound":
        unknown = (
            "the exact share, and how many people it stands for, are unknown"
            if f.is_percent
            else "the exact amount is unknown, and so is whether it is an average or a minimum"
        )
        return f"**{f.label}**: {what}. It was published only as a bound, so {unknown}.", caveats
    if f.interval == "base_unclear":
        return (
            f"**{f.label}**: {what}. It is unclear whether this is a share of attacks or of respondents, so no "
            f"count of people and no interval can be given.",
            caveats,
        )
    if f.interval == "base_size_unknown":
        return (
            f"**{f.label}**: {what}. It is a share of {md_escape(f.share_of)}, so no count of people and no interval "
            f"can be given.",
            caveats,
        )
    return (
        f"**{f.label}**: {what}. An amount published without any spread, so how precise it is is unknown.",
        caveats,
    )


# Short marks after a finding in the box; what each means is said once, after the findings.
MARKS = {"single_source": "single source", "coverage_only": "coverage only", "contested": "contested"}
# What the box says once, after its findings, for the findings that need it.
CAVEATS = {
    "single_source": "Marked single source: the figure was found on a single page, which could not be checked "
    "against another.",
    "coverage_only": "Marked coverage only: no copy of the release carries the figure; it is known only from "
    "outlets' reports.",
    "contested": "Marked contested: a page reads the figure another way (see the discrepancies at the end of the "
    "chapter).",
    "random": "The counts allow for the release's rounding. The modelled intervals show how far chance alone could "
    "move a share if the respondents had been picked at random; how they were really recruited is unknown, so the "
    "real uncertainty is larger.",
    "presumed": 'Where a figure is marked "if everyone was asked", the release gives it as a share of all '
    "respondents, but the question reads as put only to organisations with IoT projects.",
    "country": "How many people were interviewed in each country was not published, so a country figure cannot be "
    "turned into a number of people.",
}


def show_key_findings(*findings: Finding, lead: str | None = None) -> None:
    """The box that opens a findings chapter: each finding in plain words, generated from the data, then each
    caveat once.  ``lead`` is a first item, in the chapter's words, that sums up the findings."""
    items, caveats = [], set()
    for f in dict.fromkeys(stated_together(f)[0] for f in findings):
        words, needs = key_finding_words(f)
        items.append(words)
        caveats |= needs
    lines = ([f"- {lead}"] if lead else []) + [f"- {item}" for item in items]
    closing = " ".join(CAVEATS[c] for c in CAVEATS if c in caveats)
    body = "\n".join(lines) + (f"\n\n{closing}" if closing else "")
    display(Markdown(f":::{{admonition}} Key findings in plain words\n:class: tip iot-key-findings\n{body}\n:::"))


def country_verdict_words(compared) -> str:
    """Whether any country differs from the others, in plain words, from the scenario results of glue_countries."""
    clear = [members for members, gaps in compared if all(g.clear for g in gaps)]
    names = [
        f"{_and([the(m.country_name) for m in members])}{' together' if len(members) > 1 else ''} "
        f"({in_sentence(measure_of_pair(members))})"
        for members in clear
    ]
    if not clear:
        return (
            f"**No country can be told apart** from the others in every scenario: of the {len(compared)} country "
            "figures that have a whole-sample counterpart, none is clear of zero under every assumed size and "
            "design effect."
        )
    return (
        f"**Of the {len(compared)} country figures** that have a whole-sample counterpart, "
        f"{md_escape(_and(names))} {'is' if len(clear) == 1 else 'are'} clear of zero in every scenario the book "
        f"considers; the others are not."
    )


def measure_of_pair(members) -> str:
    f = members[0]
    return f.measure.removesuffix(f" ({f.country})")


def the(country: str) -> str:
    """ "the United Kingdom", "Japan": a country's name as a sentence needs it."""
    return f"the {country}" if country.startswith("United") else country
