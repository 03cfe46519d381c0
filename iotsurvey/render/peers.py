"""The chapter on other surveys: its glue keys and its tables (its charts are figures of the book,
:mod:`iotsurvey.render.figures`).

Every number comes from the ``context_*`` tables (through :mod:`iotsurvey.model.peers`) or, for this survey,
from its findings; every sentence whose reasoning rests on those numbers is guarded with
:func:`iotsurvey.render.glue.claim` in the chapter.
"""

from __future__ import annotations

from ..model import peers
from ..model.survey import date_in_words, load
from . import markup
from .figures import CHARTED, TM_NAME, charted
from .glue import glue
from .outputs import show_table
from .words import and_words

TM_COUNTRIES = ("US", "UK", "France", "Germany", "Japan")


def _peers() -> peers.Peers:
    return peers.load()


def kind_values(kind: str) -> list[float]:
    return [f.value for f in charted(kind)]


def whole_sample_improvement() -> list[peers.PeerFigure]:
    """Whole-sample "needs improvement at any level" figures: their complements are "no improvement needed"."""
    return [f for f in charted("needs_improvement") if f.answer_form == "any_level" and f.share_of == "all_respondents"]


def _value_words(f: peers.PeerFigure) -> str:
    return ("more than " if f.is_bound else "about " if f.approximate else "") + f"{f.value:g}%"


def _range_words(figures: list[peers.PeerFigure]) -> tuple[str, str, str]:
    """(lowest, highest, "lowest to highest") of some figures, a bound said as a bound."""
    low, high = min(figures, key=lambda f: f.value), max(figures, key=lambda f: f.value)
    words = _value_words(low) if low.value == high.value else f"{_value_words(low)} to {_value_words(high)}"
    return _value_words(low), _value_words(high), words


def _names(surveys) -> str:
    return and_words([x.name for x in surveys])


def conflicts() -> list[tuple[str, str, str, str]]:
    """Every disagreement between pages, once: (survey, what, as most pages give it, what other pages say)."""
    p = _peers()
    rows = [(f.survey.name, f.wording, f.as_published, f.conflict) for f in p.figures.values() if f.conflict]
    rows += [(x.name, "Design", "", x.conflict) for x in p.surveys.values() if x.conflict]
    return rows


def glue_peers() -> None:
    """The chapter's keys (peers-...); the sentences that reason on them are guarded in the chapter."""
    p = _peers()
    figures = list(p.figures.values())
    surveys = list(p.surveys.values())
    glue("peers-surveys", len(surveys))
    glue("peers-figures", len(figures))
    glue("peers-charted", sum(1 for f in figures if f.kind in CHARTED and f.value is not None))
    glue("peers-single-page", sum(f.single_page for f in figures))
    glue("peers-mirror-only", sum(f.mirror_only for f in figures))
    glue("peers-conflicts", len(conflicts()))
    glue("peers-conflicts-design", sum(1 for x in surveys if x.conflict))
    glue("peers-with-interval", sum(f.interval is not None for f in figures if f.kind in CHARTED))
    glue("peers-not-security", _names(x for x in surveys if x.scope == "not_security"))
    glue("peers-peripheral", _names(x for x in surveys if x.scope == "peripheral"))
    glue("peers-methods-not-found", sum(x.methods == "not_found" for x in surveys))
    glue("peers-methods-unread", _names(x for x in surveys if x.methods == "report_unread"))
    glue("peers-methods-unread-count", sum(x.methods == "report_unread" for x in surveys))
    for kind in ("needs_improvement", "top_box", "concern", "preparedness", "incidence"):
        low, high, words = _range_words(charted(kind))
        glue(f"peers-{kind}-low", low)
        glue(f"peers-{kind}-high", high)
        glue(f"peers-{kind}-count", len(charted(kind)))
        glue(f"peers-{kind}-range", words)
    improve = load().finding("N01")
    glue("peers-tm-improve", f"{improve.value:g}%")
    whole = whole_sample_improvement()
    glue("peers-no-improvement", f"{100 - whole[0].value:g}%" if whole else "none found")
    glue("peers-no-improvement-survey", whole[0].survey.name if whole else "none found")
    glue("peers-improve-above-tm", f"{min(kind_values('needs_improvement')) - improve.value:g}")
    glue("peers-top-box-surveys", _names(p.surveys[i] for i in dict.fromkeys(f.survey.id for f in charted("top_box"))))
    concern = charted("concern")
    others = max(f.value for f in concern if f.answer_form != "any_level")
    top = [f for f in concern if f.value > others]
    glue("peers-concern-any-level-top", len(top))
    glue("peers-concern-any-level-from", f"{min(f.value for f in top):g}%" if top else "none")
    glue("peers-concern-other-max", f"{others:g}%")
    glue("peers-same-agency", _names(x for x in surveys if x.agency and "Vanson Bourne" in x.agency))
    glue(
        "peers-same-countries",
        _names(x for x in surveys if x.countries and all(c in x.countries for c in TM_COUNTRIES)),
    )
    glue("peers-no-n", _names(x for x in surveys if x.n_status == "not_found"))
    glue("peers-n-conflict", _names(x for x in surveys if x.conflict and "ample" in x.conflict))
    counts = [sum(peers.disclosed_items(x).values()) for x in surveys]
    glue("peers-disclosed-low", min(counts))
    glue("peers-disclosed-high", max(counts))
    glue("peers-items", len(peers.DESIGN_ITEMS))
    glue("peers-poll-items", sum(peers.disclosed_items(_conference_poll()).values()))
    detect = detect_conflict()
    glue("peers-detect-value", f"{detect.value:g}%")
    glue("peers-detect-survey", detect.survey.name)
    glue("peers-detect-pages", detect.verified_by)


def _conference_poll() -> peers.PeerSurvey:
    return next(x for x in _peers().surveys.values() if "convenience sample" in x.respondents)


def detect_conflict() -> peers.PeerFigure:
    """The figure one page reads the other way round (able / unable to detect a breach)."""
    return next(f for f in _peers().figures.values() if f.conflict and "unable to detect" in f.conflict)


def _design_cell(fact_id: str, text: str | None = None) -> str:
    """A design fact of this survey, marked where one page read states it as released."""
    fact = load().design[fact_id]
    return (text or fact.value) + (peers.STATUS_WORDS["single_page"] if len(fact.stated_by) == 1 else "")


def baseline_items() -> dict[int, bool]:
    """This survey scored by the same rule as the others (:func:`iotsurvey.model.peers.disclosed_items`)."""
    design = load().design
    return {2: "M07" in design, 4: "M02" in design, 6: "M06" in design, 7: "M04" in design, 8: "M01" in design}


def show_design_comparison(name: str = "tbl-peers-design") -> None:
    s = load()
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
            "none published (see the methodology chapter's audit)",
        ]
    ]
    for x in _peers().surveys.values():
        items = peers.disclosed_items(x)
        rows.append(
            [
                x.name + (f" ({x.scope_note})" if x.scope != "security" else ""),
                x.sponsor,
                x.field("agency"),
                x.field("fieldwork"),
                x.field("mode"),
                x.field("n"),
                x.field("countries"),
                x.respondents,
                x.field("organisation_size"),
                f"{sum(items.values())} of {len(items)}",
                x.methods_words,
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
        f"Design facts found on a page read (of {len(peers.DESIGN_ITEMS)})",
        "Question wording, response rate, weighting",
    ]
    show_table(markup.Table(name, "The designs side by side, as stated by the pages read", header, rows))


def show_conflicts(name: str = "tbl-peers-conflicts") -> None:
    rows = [list(row) for row in conflicts()]
    show_table(
        markup.Table(
            name,
            "Where pages disagree, each disagreement once: shown as published, not resolved",
            ["Survey", "Figure", "As most pages give it", "What other pages say"],
            rows,
        )
    )


def show_other_figures(name: str = "tbl-peers-other") -> None:
    """The figures not charted: other questions, or not one percentage."""
    rows = [
        [f.survey.name, f.wording, f.as_published, f.base, "; ".join(f.marks) or "none"]
        for f in _peers().figures.values()
        if f.kind not in CHARTED or f.value is None
    ]
    show_table(
        markup.Table(
            name,
            "The other figures: questions with no counterpart here, or not one percentage",
            ["Survey", "Figure", "As published", "Base", "Marks"],
            rows,
        )
    )
