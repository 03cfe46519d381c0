"""The chapter on other surveys: its glue keys, design table, charts by kind of question, and lists.

Every number comes from the ``context_*`` tables (through :mod:`iotsurvey.peers`)
or, for this survey, from its findings; every sentence that depends on numbers is
guarded with :func:`iotsurvey.book.claim`.
"""

from __future__ import annotations

from . import peers
from .book import Bar, claim, glue, md_escape, show_chart, show_table, survey
from .survey import Source, date_in_words

# This survey's findings beside the others, by kind of question; N04 (a share of attacks) has no counterpart.
BASELINE = {"needs_improvement": ("N01",), "top_box": ("N02",)}  # N03 and N04 have no counterpart
CHARTED = ("needs_improvement", "improvement_degree", "top_box", "concern", "preparedness", "incidence")
TM_NAME = "Trend Micro 2018 (this survey)"


def _peers() -> peers.Peers:
    return peers.load()


def page_of(f: peers.PeerFigure) -> peers.PeerSource:
    """The page a chart cites for a figure: the first that is not a mirror copy, else the first."""
    return next((p for p in f.sources if not p.mirror), f.sources[0])


def figure_label(f: peers.PeerFigure) -> str:
    marks = f" ({'; '.join(f.marks)})" if f.marks else ""
    return f"{f.survey.name}: {f.wording}{marks}"


def peer_bar(f: peers.PeerFigure) -> Bar:
    interval = f.interval
    return Bar(
        label=figure_label(f),
        value=f.value,
        stated="about" if f.approximate else "exact",
        low=interval[0] if interval else None,
        high=interval[1] if interval else None,
        role="other",
        share_of=peers.SHARE_OF[f.share_of],
        no_interval=f.no_interval_because,
        n=f.survey.n if interval else None,
        deff=1.0 if interval else None,
        method="Wilson score, 95%, simple random sample of the published n" if interval else None,
        release=f"{f.survey.name}, published {f.survey.published}",
    )


def charted(kind: str) -> list[peers.PeerFigure]:
    """The figures of one kind that can be drawn: one percentage each."""
    return [f for f in _peers().of_kind(kind) if f.value is not None]


def kind_values(kind: str, whole_sample: bool = True) -> list[float]:
    return [f.value for f in charted(kind) if f.share_of == "all_respondents" or not whole_sample]


def glue_peers() -> None:
    p = _peers()
    figures = list(p.figures.values())
    glue("peers-surveys", len(p.surveys))
    glue("peers-figures", len(figures))
    glue("peers-charted", sum(1 for f in figures if f.kind in CHARTED and f.value is not None))
    glue("peers-single-page", sum(f.single_page for f in figures))
    glue("peers-mirror-only", sum(f.mirror_only for f in figures))
    glue("peers-conflicts", sum(bool(f.conflict) for f in figures) + sum(bool(s.conflict) for s in p.surveys.values()))
    glue("peers-with-interval", sum(f.interval is not None for f in figures if f.kind in CHARTED))
    glue("peers-not-security", _names(x for x in p.surveys.values() if not x.about_security))
    glue("peers-no-wording", len(p.surveys))  # none publishes its questionnaire: every survey
    for kind in ("needs_improvement", "top_box", "concern"):
        values = kind_values(kind, whole_sample=False)
        glue(f"peers-{kind}-low", f"{min(values):g}%")
        glue(f"peers-{kind}-high", f"{max(values):g}%")
        glue(f"peers-{kind}-count", len(values))
        glue(
            f"peers-{kind}-range",
            f"{min(values):g}%" if min(values) == max(values) else f"{min(values):g}% to {max(values):g}%",
        )
    improve, complete = survey().finding("N01"), survey().finding("N02")
    glue("peers-tm-improve", f"{improve.value:g}%")
    glue("peers-tm-complete", f"{complete.value:g}%")
    low_improve = min(kind_values("needs_improvement", whole_sample=False))
    claim(improve.value <= low_improve, "the 86% is at or below every 'needs improvement' figure of the other surveys")
    tops = kind_values("top_box", whole_sample=False)
    claim(min(tops) <= complete.value <= max(tops), "the 14% lies inside the range of the other top-box figures")
    claim(low_improve > max(tops), "every 'needs improvement' figure is above every top-box figure")
    glue("peers-improve-above-tm", f"{low_improve - improve.value:g}")
    scaled = {f.survey.id for f in charted("improvement_degree")}
    claim(
        bool(scaled & {f.survey.id for f in charted("needs_improvement")}),
        "the chart shows the answer scale behind one of the 'needs improvement' figures",
    )
    glue("peers-same-agency", _names(x for x in p.surveys.values() if x.agency and "Vanson Bourne" in x.agency))
    glue(
        "peers-same-countries",
        _names(x for x in p.surveys.values() if x.countries and all(c in x.countries for c in TM_COUNTRIES)),
    )
    glue("peers-no-n", _names(x for x in p.surveys.values() if x.n_status == "not_found"))
    glue("peers-n-conflict", _names(x for x in p.surveys.values() if x.conflict and "ample size" in x.conflict))
    glue("peers-top-box-surveys", _names(p.surveys[i] for i in dict.fromkeys(f.survey.id for f in charted("top_box"))))
    counts = [sum(peers.disclosed_items(x).values()) for x in p.surveys.values()]
    glue("peers-disclosed-low", min(counts))
    glue("peers-disclosed-high", max(counts))
    glue("peers-items", len(peers.disclosed_items(next(iter(p.surveys.values())))))
    incidence = kind_values("incidence", whole_sample=False)
    glue("peers-incidence-low", f"{min(incidence):g}%")
    glue("peers-incidence-high", f"{max(incidence):g}%")
    preparedness = kind_values("preparedness", whole_sample=False)
    glue("peers-preparedness-low", f"{min(preparedness):g}%")
    glue("peers-preparedness-high", f"{max(preparedness):g}%")
    conflict = next(f for f in p.figures.values() if f.conflict and "unable to detect" in f.conflict)
    glue("peers-detect-value", f"{conflict.value:g}%")
    glue("peers-detect-survey", conflict.survey.name)


TM_COUNTRIES = ("US", "UK", "France", "Germany", "Japan")


def _names(surveys) -> str:
    names = [x.name for x in surveys]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else "none"


def _tm_bar(finding_id: str) -> Bar:
    from .book import finding_bar, finding_label

    f = survey().finding(finding_id)
    bar = finding_bar(f)
    return Bar(**{**bar.__dict__, "label": f"{TM_NAME}: {finding_label(f)}", "role": "all"})


def show_peer_chart(name: str, *kinds: str) -> None:
    """One chart of one kind of question (and the answer scale behind it, where drawn with it)."""
    figures = [f for kind in kinds for f in sorted(charted(kind), key=lambda f: -f.value)]
    rows = [_tm_bar(i) for kind in kinds for i in BASELINE.get(kind, ())] + [peer_bar(f) for f in figures]
    pages = {page_of(f) for f in figures}
    sources = [
        Source(p.id, p.site + (" (mirror copy)" if p.mirror else ""), "", p.url, None, "undated", "en", "article")
        for p in sorted(pages, key=lambda p: (p.site, p.url))
    ]
    heading = peers.KINDS[kinds[0]]
    show_chart(
        name,
        rows,
        title=f"{heading}: figures from different surveys, each its own question",
        caption=(
            f"{heading}. Each bar is a different question in a different survey: the bars share a kind of "
            "question, not a measure. Whiskers only where the survey published one number of respondents on "
            "several pages and the figure is a share of all of them."
        ),
        assumption=(
            "Intervals (95%, Wilson) cover sampling variability only, under a simple random sample of the "
            "published number; they say nothing about question wording, sample source or sponsor."
        ),
        xlabel="Percent of all respondents, unless the label names another base",
        sources=sources,
        ordered=True,
    )


def _design_cell(fact_id: str, text: str | None = None) -> str:
    """A design fact of this survey, marked "(one page)" where a single page states it as released."""
    fact = survey().design[fact_id]
    return (text or fact.value) + (" (one page)" if len(fact.stated_by) == 1 else "")


def baseline_items() -> dict[int, bool]:
    """This survey scored by the same rule as the others (:func:`iotsurvey.peers.disclosed_items`)."""
    design = survey().design
    return {2: "M07" in design, 4: "M02" in design, 6: "M06" in design, 7: "M04" in design, 8: "M01" in design}


def show_design_comparison(name: str = "tbl-peers-design") -> None:
    s = survey()
    items = baseline_items()
    rows = [
        [
            TM_NAME,
            s.design["M08"].value,
            _design_cell("M07"),
            _design_cell("M04", f"{date_in_words(s.design['M04'].date)} to {date_in_words(s.design['M05'].date)}"),
            _design_cell("M06"),
            _design_cell("M01", f"{s.respondents:,}"),
            _design_cell("M02", s.design["M02"].detail),
            s.design["M01"].detail,
            _design_cell("M03", f"{s.design['M03'].number:,} or more employees"),
            f"{sum(items.values())} of {len(items)}",
        ]
    ]
    for x in _peers().surveys.values():
        items = peers.disclosed_items(x)
        conflict = f" Conflict: {x.conflict}." if x.conflict else ""
        rows.append(
            [
                x.name + ("" if x.about_security else " (not about security; design only)"),
                x.sponsor,
                x.field("agency"),
                x.field("fieldwork"),
                x.field("mode"),
                x.field("n"),
                x.field("countries"),
                x.respondents + conflict,
                x.field("organisation_size"),
                f"{sum(items.values())} of {len(items)}",
            ]
        )
    header = [
        "Survey",
        "Sponsor",
        "Agency",
        "Fieldwork",
        "Mode",
        "Respondents (n)",
        "Countries",
        "Who answered",
        "Organisation size",
        f"AAPOR items found (of {len(items)})",
    ]
    show_table(name, header, rows, caption="The designs side by side, as stated by the pages read")


def show_conflicts(name: str = "tbl-peers-conflicts") -> None:
    p = _peers()
    rows = [
        [f.survey.name, md_escape(f.wording), md_escape(f.as_published), md_escape(f.conflict)]
        for f in p.figures.values()
        if f.conflict
    ]
    rows += [[x.name, "Design", "", md_escape(x.conflict)] for x in p.surveys.values() if x.conflict]
    show_table(
        name,
        ["Survey", "Figure", "As most pages give it", "What other pages say"],
        rows,
        escape=False,
        caption="Where pages disagree: shown as published, not resolved",
    )


def show_other_figures(name: str = "tbl-peers-other") -> None:
    """The figures not charted: other questions, or not one percentage."""
    p = _peers()
    rows = [
        [
            f.survey.name,
            md_escape(f.wording),
            md_escape(f.as_published),
            md_escape(f.base),
            "; ".join(f.marks) or "none",
        ]
        for f in p.figures.values()
        if f.kind not in CHARTED or f.value is None
    ]
    show_table(
        name,
        ["Survey", "Figure", "As published", "Base", "Marks"],
        rows,
        escape=False,
        caption="The other figures: questions with no counterpart here, or not one percentage",
    )
