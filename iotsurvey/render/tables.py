"""The tables and boxes chapters show: design, disclosure, scenarios, the evidence rubric, the front page's
findings, spending, countries, the key findings in plain words, and each chapter's data.

Every cell is typed (:mod:`iotsurvey.render.markup`): text from data is escaped by construction, links and
cross-references say what they are.
"""

from __future__ import annotations

from ..model import evidence, intervals
from ..model.scenarios import EQUAL_SPLIT, SCENARIO_NS, country_gaps, gaps_of, stated_together
from ..model.survey import Finding, date_in_words, load
from . import markup
from .charts import finding_label, source_rank
from .glue import STATUS_WORDS
from .markup import Doc, Link, Role, Strong
from .outputs import Paragraph, bullets, show_passage, show_table
from .words import and_words, in_sentence, points, the


def show_design_table(name: str = "tbl-design") -> None:
    """Every disclosed design fact, with the pages that state it as released."""
    rows = []
    for fact in load().design.values():
        value = fact.value
        if fact.unit in ("respondents", "countries", "employees"):
            value = f"{fact.number:,}" + (" or more employees" if fact.unit == "employees" else "")
        elif fact.unit == "date":
            value = date_in_words(fact.date)
        pages = sorted(fact.stated_by, key=source_rank)
        stated = [
            x for k, s in enumerate(pages[:3]) for x in ([", "] if k else []) + [Link(s.outlet, s.url), f" ({s.when})"]
        ]
        if len(pages) > 3:
            stated.append(f" and {len(pages) - 3} more")
        differ = len(fact.differing_sources)
        rows.append(
            [
                fact.fact,
                value + (f" ({fact.detail})" if fact.detail else ""),
                stated,
                [f"{differ} (see the discrepancies in ", Doc("sources"), ")"] if differ else "none",
            ]
        )
    show_table(
        markup.Table(
            name,
            "What the releases disclose about the survey's design",
            ["Fact", "Value", "Stated as released by", "Pages that gave it differently"],
            rows,
        )
    )


def show_disclosure_table(standard: str, name: str, caption: str) -> None:
    """The disclosure audit against one standard (AAPOR or BPC), from data/disclosure.csv."""
    rows = [
        [
            str(i.item),
            i.requirement,
            Strong(STATUS_WORDS[i.status]),
            i.known,
            Link(i.source.outlet, i.source.url) if i.source else "None found",
        ]
        for i in load().disclosure(standard)
    ]
    show_table(
        markup.Table(
            name, caption, ["Item", "What the standard asks for", "Status", "What is known", "Disclosed by"], rows
        )
    )


def show_scenario_table(name: str = "tbl-scenarios") -> None:
    """Precision under each assumed country size: modelled margins by design effect and the smallest clear gap."""
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
        + ["Smallest gap between two groups of this size that the modelled interval separates (points, at 50%)"]
    )
    caption = (
        "Precision under each assumed number of respondents. The maximum modelled margin is the half-width of the "
        "95% Wilson interval at 50% (the Wald formula often quoted gives slightly larger margins)"
    )
    show_table(markup.Table(name, caption, header, rows))


def show_glance_table(name: str, chapters: dict[str, str]) -> None:
    """The November headline findings, each linked to the chapter that discusses it.

    ``chapters`` maps finding ids to chapter documents.  Interval, base, marks and evidence grade with its flags
    come from each finding's evidence columns, as in the chapters.
    """
    s = load()
    rows = []
    for fid, doc in chapters.items():
        f = s.finding(fid)
        if f.has_interval:
            p = f.precision()
            interval = f"{points(p.low)} to {points(p.high)}" + (" (if everyone was asked)" if f.base_presumed else "")
        else:
            interval = f"none: {f.no_interval_because}"
        rows.append([finding_label(f), f.label, f.share_of, interval, f.grade_and_flags, Doc(doc)])
    show_table(
        markup.Table(
            name,
            "The November 2018 findings and where the book discusses them",
            [
                "Finding",
                "Published",
                "Share of",
                f"Modelled {intervals.LEVEL:.0%} interval (n = {intervals.TOTAL_N:,}, design effect 1)",
                "Evidence",
                "Chapter",
            ],
            rows,
        )
    )


def show_spending_table(name: str, findings: list[Finding]) -> None:
    """Amounts (not percentages): what was published and what is not known about each."""
    rows = [[f.measure, f.label, f.base_note, f.release.name] for f in findings]
    show_table(
        markup.Table(
            name,
            "Spending and attacks: published only as an average or a lower bound",
            ["Measure", "Published", "Base, and what is not known", "Release"],
            rows,
        )
    )


def show_country_table(name: str) -> None:
    """Every country figure: its global figure, and the gap interval under the scenarios and both weightings.

    A figure the release states for two countries together is one row, its respondents pooled, at sizes per
    country that keep the other countries inside the scenario range (:func:`iotsurvey.model.intervals.group_sizes`).
    """
    s = load()
    rows = []
    for f in s.countries_findings():
        members = stated_together(f)
        if members[0] is not f:
            continue
        g = s.finding(f.global_id) if f.global_id else None
        cells = [f"{finding_label(f)}: {f.label}", f"{g.label} ({in_sentence(g.measure)})" if g else "none published"]
        if g:
            gaps = gaps_of(members)
            sizes = sorted({size for size, _ in gaps})
            each = " each" if len(members) > 1 else ""
            shown = (min(SCENARIO_NS), EQUAL_SPLIT, max(SCENARIO_NS))
            cells += [
                f"{points(gaps[(size, 1.0)].low)} to {points(gaps[(size, 1.0)].high)}"
                + (f" (n = {size}{each})" if size not in shown or each else "")
                for size in (sizes[0], EQUAL_SPLIT, sizes[-1])
            ]
            cells.append(f"{sum(gap.clear for gap in gaps.values())} of {len(gaps)}")
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
        markup.Table(
            name,
            "Every country figure against the other countries' respondents: modelled 95% interval of the gap in "
            "points (design effect 1, pooled total) and how many of the scenarios (sizes times design effects) "
            "separate it from zero, if the total pools the countries unweighted or weights them equally. A figure "
            "published for two countries together is compared once, for their respondents pooled, at sizes that "
            "leave each other country at least the smallest scenario size",
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
        )
    )


def show_evidence_rubric(name: str) -> None:
    """The evidence grades, in the order the rubric tries them, with what each means and which findings have it."""
    findings = list(load().findings.values())
    rows = []
    for grade, (label, meaning) in evidence.GRADES.items():
        mine = [f for f in findings if f.evidence == grade]
        which = "; ".join(f"{in_sentence(f.measure)} ({', '.join([f.label, *f.flag_words])})" for f in mine)
        rows.append([label, meaning, str(len(mine)), which or "none"])
    show_table(
        markup.Table(
            name,
            "The evidence grades, in the order the rubric tries them: a finding gets the first that applies, and "
            "its flags are listed with it",
            ["Grade", "When it applies", "Findings", "Which"],
            rows,
        )
    )


# ---------------------------------------------------------------------------
# Key findings in plain words

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


def key_finding_words(f: Finding) -> tuple[list, set[str]]:
    """One finding in plain words (as parts), and the caveats it needs (said once for the whole box).

    As people where the count can be known, with how sure one can be; an amount as an amount.
    """
    marks = [name for name in MARKS if getattr(f, name)]
    caveats: set[str] = set(marks)
    lone = f" ({', '.join(MARKS[m] for m in marks)})" if marks else ""
    what = in_sentence(f.measure) + lone
    label = Strong(f.label)
    if f.interval == "computable":
        p = f.precision()
        caveats.add("random")
        if f.base_presumed:
            caveats.add("presumed")
        base = "respondents" + (" (if everyone was asked)" if f.base_presumed else "")
        return (
            [
                label,
                f" of the {intervals.TOTAL_N:,} {base}: {what}. That is between {p.kmin:,} and {p.kmax:,} people; "
                f"the modelled interval runs from {p.low:.0f}% to {p.high:.0f}%.",
            ],
            caveats,
        )
    if f.interval == "country_scenarios":
        members = stated_together(f)
        countries = and_words([m.share_of.removeprefix("respondents in ") for m in members])
        what = in_sentence(f.measure.removesuffix(f" ({f.country})")) + lone
        caveats.add("country")
        together = " together (one figure for both)" if len(members) > 1 else ""
        return [label, f" of the respondents in {countries}{together}: {what}."], caveats
    if f.interval == "rank":
        items = "; ".join(item for _, item, _ in f.ranking)
        return [Strong("An order, no numbers"), f": {what}: {items}. No share was published for any of them."], caveats
    if f.interval == "bound":
        unknown = (
            "the exact share, and how many people it stands for, are unknown"
            if f.is_percent
            else "the exact amount is unknown, and so is whether it is an average or a minimum"
        )
        return [label, f": {what}. It was published only as a bound, so {unknown}."], caveats
    if f.interval == "base_unclear":
        return (
            [
                label,
                f": {what}. It is unclear whether this is a share of attacks or of respondents, so no count of "
                "people and no interval can be given.",
            ],
            caveats,
        )
    if f.interval == "base_size_unknown":
        return [
            label,
            f": {what}. It is a share of {f.share_of}, so no count of people and no interval can be given.",
        ], caveats
    return [label, f": {what}. An amount published without any spread, so how precise it is is unknown."], caveats


def show_key_findings(*findings: Finding, lead: list | None = None) -> None:
    """The box that opens a findings chapter: each finding in plain words, generated from the data, then each
    caveat once.  ``lead`` is a first item that sums up the findings."""
    items, caveats = [], set()
    for f in dict.fromkeys(stated_together(f)[0] for f in findings):
        words, needs = key_finding_words(f)
        items.append(words)
        caveats |= needs
    closing = " ".join(CAVEATS[c] for c in CAVEATS if c in caveats)
    parts = bullets(([lead] if lead else []) + items)
    if closing:
        parts.append(Paragraph(closing))
    show_passage(*parts, box="Key findings in plain words", box_class="tip iot-key-findings")


def country_verdict_words(compared) -> list:
    """Whether any country differs from the others, in plain words, from the scenario results."""
    clear = [members for members, gaps in compared if all(g.clear for g in gaps.values())]
    names = [
        f"{and_words([the(m.country_name) for m in members])}{' together' if len(members) > 1 else ''} "
        f"({in_sentence(members[0].measure.removesuffix(f' ({members[0].country})'))})"
        for members in clear
    ]
    if not clear:
        return [
            Strong("No country can be told apart"),
            f" from the others in every scenario: of the {len(compared)} country figures that have a whole-sample "
            "counterpart, none is clear of zero under every assumed size and design effect.",
        ]
    return [
        Strong(f"Of the {len(compared)} country figures"),
        f" that have a whole-sample counterpart, {and_words(names)} {'is' if len(clear) == 1 else 'are'} clear of "
        "zero in every scenario the book considers; the others are not.",
    ]


# ---------------------------------------------------------------------------
# The chapter's data


def show_chapter_data(chapter) -> None:
    """Links to the chapter's data (written by the export step before the build) and to the whole package."""
    count = len(chapter.findings)
    what = (
        "This chapter uses no single finding; the file lists none"
        if count == 0
        else f"The {count} finding{'s' if count != 1 else ''} this chapter uses, with "
        f"{'their' if count != 1 else 'its'} bases, evidence grades and flags, intervals, releases and sources"
    )
    name = f"{chapter.name}-findings.csv"
    show_passage(
        Paragraph(
            f"{what}: ",
            Role("book-download", f"chapters/{name}", name),
            " and ",
            Role("book-download", "chapters/chapter-findings.schema.json", "its schema"),
            ". The whole data package, with its schema and a README: ",
            Role("book-download", "iot-survey-data-package.zip", "iot-survey-data-package.zip"),
            ". Each figure's values are linked under the figure.",
        )
    )
