"""The book's figures, by name: what each one draws.

Each figure is a function that builds its chart from the model (``BarChart`` or ``PrecisionChart``).  The
chapters show them by name (``show_figure("fig-awareness")``, in a cell whose ``mystnb.figure`` metadata
gives the name and the caption), and the export step writes each one's values from the same function
before the build, so that the file a reader downloads is the chart the page shows.  A figure's name is its
address: once published, keep it (``tests/fixtures/anchors.txt``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import intervals, peers
from ..model.scenarios import EQUAL_SPLIT, SCENARIO_NS, stated_together
from ..model.survey import KIND_WORDS, LANGUAGES, Finding, load
from .charts import (
    Bar,
    BarChart,
    Page,
    PrecisionChart,
    as_released,
    countries_words,
    finding_bar,
    finding_bars,
    finding_label,
    gap_bar,
    gap_bars,
    interval_note,
    rank_bars,
    xrange_for_gaps,
)
from .words import and_words, distinct_names, in_sentence


@dataclass(frozen=True)
class Figure:
    name: str
    chapter: str  # the page that shows it (chapters/<name>, or index)
    build: Callable[[], BarChart | PrecisionChart]


FIGURES: dict[str, Figure] = {}

# Findings no figure draws, and why (every other finding is a row of some figure: tests/unit/test_chapters.py).
NOT_DRAWN = {
    "J08": "an amount (attacks per organisation), not a share: in the spending and attacks table",
    "S03": "an amount in US dollars, published as a bound: in the spending and attacks table",
    "S04": "an amount in US dollars, published as a bound: in the spending and attacks table",
    "S05": "a share of projects, not of respondents: said in words beside the decisions figure",
    "J18": "one German blog post, outside the July release's list: said in words beside the consequences figure",
}


def figure(name: str, chapter: str):
    """Register a figure of the book under its name (its address) and the page that shows it."""

    def register(build):
        if name in FIGURES:
            raise ValueError(f"two figures named {name}")
        FIGURES[name] = Figure(name, chapter, build)
        return build

    return register


def chart(name: str) -> BarChart | PrecisionChart:
    """The chart of a figure, built from the data as they are now."""
    try:
        return FIGURES[name].build()
    except KeyError:
        raise KeyError(f"no figure named {name!r} in iotsurvey/render/figures.py") from None


def pages_of(findings: list[Finding]) -> list[Page]:
    """One page per finding that carries it: its release's copy if that page has it, else its first page."""
    chosen = []
    for f in findings:
        pages = as_released(f)
        chosen.append(f.release.copy if f.release.copy in pages else pages[0])
    return [Page.of(p) for p in dict.fromkeys(chosen)]


def findings_chart(name: str, ids: list[str], *, title: str, assumption: str, ordered: bool = False) -> BarChart:
    """A chart of findings: one row each (countries stated together once), the pages that carry them."""
    s = load()
    findings = [s.finding(i) for i in ids]
    return BarChart(name, title, finding_bars(findings), assumption, pages_of(findings), ordered=ordered)


# ---------------------------------------------------------------------------
# The front page and the survey


@figure("fig-glance", "index")
def glance() -> BarChart:
    s = load()
    findings = [f for f in s.findings.values() if f.release.id == "nov-2018" and f.value is not None]
    return BarChart(
        "fig-glance",
        "The headline findings of the {} release ({})".format(*s.releases["nov-2018"].name.split(": ", 1)),
        finding_bars(findings),
        interval_note(
            unknown_base=any(not f.has_interval for f in findings),
            bounds=any(f.is_bound for f in findings),
            presumed=any(f.base_presumed for f in findings),
        ),
        pages_of(findings),
    )


@figure("fig-precision", "chapters/sample")
def precision() -> PrecisionChart:
    return PrecisionChart(
        "fig-precision",
        "The widest modelled margin a percentage can have, by number of respondents and design effect",
        [Page.of(load().releases["nov-2018"].copy)],
        band=(min(SCENARIO_NS), max(SCENARIO_NS)),
        band_label="per-country sizes in the scenarios",
    )


# ---------------------------------------------------------------------------
# The November findings


@figure("fig-awareness", "chapters/awareness")
def awareness() -> BarChart:
    return findings_chart(
        "fig-awareness",
        ["N01", "N02", "N08"],
        title="Awareness of IoT threats, November 2018 release",
        assumption=interval_note(country=True),
    )


@figure("fig-awareness-germany", "chapters/awareness")
def awareness_germany() -> BarChart:
    germany = load().finding("N08")
    return BarChart(
        "fig-awareness-germany",
        "Germany's awareness figure minus that of the other countries, by assumed number of German respondents",
        gap_bars(germany),
        "Whiskers: modelled 95% Newcombe intervals of the difference over every pair of counts consistent "
        "with both rounded figures; total assumed to pool the countries unweighted; simple random sampling "
        "model. The number of German respondents was not published: each row is a scenario.",
        pages_of([germany, load().finding(germany.global_id)]),
        ordered=True,
        xlabel="Germany minus the other four countries, percentage points",
        xmin=-10,
        xmax=20,
    )


@figure("fig-security-needs", "chapters/security-needs")
def security_needs() -> BarChart:
    return findings_chart(
        "fig-security-needs",
        ["N03", "J01", "S01", "S02", "S06"],
        title="Five different questions from three releases, in release order (not a ranking)",
        assumption=interval_note(bounds=True, presumed=True),
        ordered=True,
    )


@figure("fig-attack-targets", "chapters/attack-targets")
def attack_targets() -> BarChart:
    s = load()
    ranking, office = s.finding("N05"), s.finding("N04")
    return BarChart(
        "fig-attack-targets",
        "Targets of corporate IoT attacks, in the published order",
        rank_bars(ranking, lead=office),
        "No whisker: it is unclear whether the value is a share of attacks or of respondents, so no interval "
        "can be computed. Ranks 2 and 3 have no published value.",
        pages_of([office, ranking]),
        ordered=True,
    )


@figure("fig-priorities", "chapters/priorities")
def priorities() -> BarChart:
    s = load()
    prioritise, sought = s.finding("N06"), s.finding("N07")
    return BarChart(
        "fig-priorities",
        "Prioritising IoT security capabilities, November 2018 release",
        finding_bars([prioritise]) + rank_bars(sought),
        "Arrow: a value published only as a lower bound. The two capabilities have no published values and "
        "are drawn as ranks.",
        pages_of([prioritise, sought]),
        ordered=True,
    )


# ---------------------------------------------------------------------------
# The rest of the fieldwork


@figure("fig-risk", "chapters/risk")
def risk() -> BarChart:
    return findings_chart(
        "fig-risk",
        ["J01", "J02", "N09", "F01", "J03", "J04", "J05", "J06", "J07", "J19", "J20"],
        title="Perceived risk of IoT, July 2018 release and later country versions",
        assumption=interval_note(country=True, presumed=True),
        ordered=True,
    )


@figure("fig-consequences", "chapters/consequences")
def consequences() -> BarChart:
    return findings_chart(
        "fig-consequences",
        ["J13", "J14", "J15", "J16", "J17"],
        title="Consequences of an IoT breach named by respondents, July 2018 release and its coverage",
        assumption=interval_note(),
    )


@figure("fig-decisions", "chapters/decisions")
def decisions() -> BarChart:
    return findings_chart(
        "fig-decisions",
        ["S01", "S02", "S06", "J09", "J10", "J11", "J12"],
        title="Who takes part in IoT decisions, July and September 2018 releases",
        assumption=interval_note(unknown_base=True, bounds=True, presumed=True),
        ordered=True,
    )


@figure("fig-incidents", "chapters/spending-incidents")
def incidents() -> BarChart:
    return findings_chart(
        "fig-incidents",
        ["S07"],
        title="Recognised at least one IoT threat to critical infrastructure, as reported from the September 2018 release",
        assumption=interval_note(),
    )


@figure("fig-countries", "chapters/countries")
def countries() -> BarChart:
    s = load()
    bars, findings = [], []
    for f in sorted(s.countries_findings(), key=lambda f: (f.global_id or "~", f.id)):
        if stated_together(f)[0] is not f:
            continue  # drawn with the country it is stated with
        if f.global_id:
            g = s.finding(f.global_id)
            if not any(b.finding_id == g.id for b in bars):
                bars.append(finding_bar(g, label=f"All respondents: {g.measure}"))
                findings.append(g)
        bars.append(finding_bar(f, country_n=EQUAL_SPLIT))
        findings += stated_together(f)
    return BarChart(
        "fig-countries",
        "Every published country figure, each after the whole-sample figure it belongs with",
        bars,
        interval_note(country=True),
        pages_of(findings),
        ordered=True,
    )


@figure("fig-country-gaps", "chapters/countries")
def country_gaps_chart() -> BarChart:
    s = load()
    compared = [f for f in s.countries_findings() if f.global_id and stated_together(f)[0] is f]
    bars = [
        gap_bar(
            f,
            EQUAL_SPLIT,
            finding_label(
                f,
                f"{countries_words(stated_together(f)) + ' together' if f.stated_with else f.country_name}: "
                f"{f.measure.removesuffix(f' ({f.country})')}" + (" (worded differently)" if f.wording_differs else ""),
            ),
        )
        for f in compared
    ]
    xmin, xmax = xrange_for_gaps(bars)
    findings = [m for f in compared for m in (*stated_together(f), s.finding(f.global_id))]
    return BarChart(
        "fig-country-gaps",
        "Each country figure minus its whole-sample item among the other countries' respondents",
        bars,
        f"Whiskers: modelled {intervals.LEVEL:.0%} Newcombe intervals of the difference over every pair of counts "
        f"consistent with both rounded figures; {EQUAL_SPLIT} respondents per country assumed (not published); the "
        "total assumed to pool the countries unweighted; simple random sampling model.",
        pages_of(list(dict.fromkeys(findings))),
        ordered=True,
        xlabel="Country minus the other countries, percentage points",
        xmin=xmin,
        xmax=xmax,
    )


# ---------------------------------------------------------------------------
# In context: the other surveys, one chart per kind of question


TM_NAME = "Trend Micro 2018 (this survey)"
BASELINE = {"needs_improvement": ("N01",)}  # this survey's figures with a counterpart among the others'
CHARTED = ("needs_improvement", "improvement_degree", "top_box", "concern", "preparedness", "incidence")


def charted(kind: str) -> list[peers.PeerFigure]:
    """The other surveys' figures of one kind that can be drawn: one percentage each."""
    return [f for f in peers.load().of_kind(kind) if f.value is not None]


def peer_label(f: peers.PeerFigure) -> str:
    """ "Survey 2019: wording [answer form] (marks)": what a reader must know beside the number."""
    marks = f" ({'; '.join(f.marks)})" if f.marks else ""
    return f"{f.survey.name}: {f.wording} [{peers.ANSWER_FORMS[f.answer_form]}]{marks}"


def peer_page(f: peers.PeerFigure) -> peers.PeerSource:
    """The page a chart cites for a figure: the first that is not a mirror copy, else the first."""
    return next((p for p in f.sources if not p.mirror), f.sources[0])


def peer_bar(f: peers.PeerFigure) -> Bar:
    interval = f.interval
    return Bar(
        label=peer_label(f),
        value=f.value,
        stated=f.stated,
        low=interval[0] if interval else None,
        high=interval[1] if interval else None,
        role="other",
        share_of=peers.SHARE_OF[f.share_of],
        no_interval=f.no_interval_because,
        n=f.survey.n if interval else None,
        deff=1.0 if interval else None,
        method="Wilson score, 95%, simple random sample of the published n" if interval else None,
        release=f.survey.name + (f", published {f.survey.published}" if f.survey.published else ""),
        pages=tuple(p.url for p in f.sources),
    )


def peer_chart(name: str, *kinds: str) -> BarChart:
    s = load()
    figures = [f for kind in kinds for f in sorted(charted(kind), key=lambda f: -f.value)]
    baseline = [s.finding(i) for kind in kinds for i in BASELINE.get(kind, ())]
    rows = [
        Bar(**{**finding_bar(f).__dict__, "label": f"{TM_NAME}: {finding_label(f)}", "role": "all"}) for f in baseline
    ] + [peer_bar(f) for f in figures]
    read = sorted({peer_page(f) for f in figures}, key=lambda p: (p.site, p.url))
    names = distinct_names(read, name=lambda p: p.site, when=lambda p: "undated")
    pages = pages_of(baseline) + [
        Page(n + (" (mirror copy)" if p.mirror else ""), "undated", p.url) for p, n in zip(read, names, strict=True)
    ]
    return BarChart(
        name,
        f"{peers.KINDS[kinds[0]]}: figures from different surveys, each its own question",
        rows,
        "Intervals (95%, Wilson) cover sampling variability only, under a simple random sample of the published "
        "number; they say nothing about question wording, sample source or sponsor.",
        pages,
        ordered=True,
        xlabel="Percent of all respondents, unless the label names another base",
    )


@figure("fig-peers-improve", "chapters/peers")
def peers_improve() -> BarChart:
    return peer_chart("fig-peers-improve", "needs_improvement", "improvement_degree")


@figure("fig-peers-top-box", "chapters/peers")
def peers_top_box() -> BarChart:
    return peer_chart("fig-peers-top-box", "top_box")


@figure("fig-peers-concern", "chapters/peers")
def peers_concern() -> BarChart:
    return peer_chart("fig-peers-concern", "concern")


@figure("fig-peers-preparedness", "chapters/peers")
def peers_preparedness() -> BarChart:
    return peer_chart("fig-peers-preparedness", "preparedness")


@figure("fig-peers-incidence", "chapters/peers")
def peers_incidence() -> BarChart:
    return peer_chart("fig-peers-incidence", "incidence")


# ---------------------------------------------------------------------------
# Sources


@figure("fig-travel", "chapters/sources")
def travel() -> BarChart:
    """How one figure travelled: how many pages carried it as released, and how many in each other way."""
    s = load()
    finding = s.finding("J01")
    differing = s.discrepancies_of([finding.id])
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
            f"{label} ({and_words(sorted({LANGUAGES[c] for c in langs}))})",
            len(langs),
            "exact",
            None,
            None,
            "all" if label.startswith("As released") else "country",
            " pages",
        )
        for label, langs in counts.items()
    ]
    return BarChart(
        "fig-travel",
        f"How the figure {in_sentence(finding.measure)} ({finding.label}) was reported, page by page",
        bars,
        "Counts of pages in the book's source list; not a sample of all coverage.",
        [Page.of(finding.release.copy)],
        xlabel="Number of pages",
        xmax=max(b.value for b in bars) * 1.15,
    )
