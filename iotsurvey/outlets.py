"""Where the figures were published and how outlets reported them: the chapters' source lists, the
sources chapter's tables, and each chapter's discrepancies."""

from __future__ import annotations

from IPython.display import Markdown, display

from .glue import _USED, KIND_WORDS, survey
from .publish import (
    _cite,
    _link,
    _short_url,
    _source_rank,
    in_sentence,
    md_escape,
    show_table,
)
from .survey import LANGUAGES, Finding


def show_sources(findings: list[Finding] | None = None) -> None:
    """Where each finding was published: every page, with its date; differing reports marked.

    Without ``findings``, every finding the chapter glued, in the order it glued them."""
    lines = []
    for f in _USED.values() if findings is None else findings:
        pages = sorted(f.sources, key=_source_rank)
        differing = {s.id for s in f.differing_sources}
        items = ", ".join(
            _link(s) + f" ({md_escape(s.when)}) {_cite(s)}" + (" *reported differently*" if s.id in differing else "")
            for s in pages
        )
        lines.append(f"- **{md_escape(f.measure)}** ({md_escape(f.label)}), {md_escape(f.release.name)}: {items}.")
    display(Markdown("\n".join(lines)))


def show_all_sources() -> None:
    """Every finding and design fact, release by release, with every page that published it."""
    s = survey()
    lines = []
    for release in s.releases.values():
        findings = [f for f in s.findings.values() if f.release.id == release.id]
        lines.append(
            f"\n**{md_escape(release.name)}** ({md_escape(release.issuer)}, {md_escape(release.when)}; "
            f"read in {_link(release.copy)})\n"
        )
        for f in findings:
            pages = sorted(f.sources, key=_source_rank)
            differing = {x.id for x in f.differing_sources}
            items = "; ".join(
                f"{_link(x)} ({md_escape(x.when)}, {LANGUAGES[x.language]})"
                + (" *differs*" if x.id in differing else "")
                for x in pages
            )
            lines.append(f"- {md_escape(f.id)} {md_escape(f.measure)}, {md_escape(f.label)}: {items}")
    lines.append("\n**Design facts**\n")
    for fact in s.design.values():
        items = "; ".join(
            f"{_link(x)} ({md_escape(x.when)})" + (" *differs*" if x in fact.differing_sources else "")
            for x in sorted(fact.sources, key=_source_rank)
        )
        lines.append(f"- {md_escape(fact.id)} {md_escape(fact.fact)}: {items}")
    display(Markdown("\n".join(lines)))


def show_source_table(name: str) -> None:
    """Every page in the data package: outlet, what it is, date, language and address."""
    rows = [
        [
            f"{md_escape(x.outlet)} {_cite(x)}",
            md_escape(x.description),
            md_escape(x.when),
            LANGUAGES[x.language],
            f"[{md_escape(_short_url(x.url))}]({x.url})",
        ]
        for x in sorted(survey().sources.values(), key=_source_rank)
    ]
    show_table(
        name,
        ["Outlet", "What it is", "Date", "Language", "Address"],
        rows,
        escape=False,
        caption="Every page the book's figures come from",
    )


def show_discrepancy_table(name: str) -> None:
    """Every documented discrepancy: figure, kind, what the release said, what the outlets said, where."""
    s = survey()
    rows = []
    for d in s.discrepancies.values():
        rows.append(
            [
                md_escape(d.id),
                md_escape(_subject_words(d.subject)),
                md_escape(KIND_WORDS[d.kind]),
                md_escape(d.release_says),
                md_escape(d.outlet_says),
                ", ".join(_link(x) for x in d.pages),
            ]
        )
    show_table(
        name,
        ["Discrepancy", "Figure", "Kind", "The release says", "The outlet says", "Outlets"],
        rows,
        escape=False,
        caption="Every documented discrepancy between the releases and the outlets, classified. Each "
        "discrepancy has a number (D01 onwards) that the chapters' lists refer to; the figure is named "
        "by its id in the data package (J, S, F and N for the July, September, October and November "
        "releases, M for design facts) and in words",
    )


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
    lines = [
        f"- **Discrepancy {md_escape(d.id)}** ({md_escape(KIND_WORDS[d.kind])}), about "
        f"{md_escape(_subject_words(d.subject, with_id=False))}: "
        f"{len(d.pages)} page{'s' if len(d.pages) != 1 else ''} ({', '.join(_link(x) for x in d.pages)})."
        for d in found
    ]
    lines.append(
        "\nThe numbers (D01 onwards) are the book's own, one for each way a figure was reported "
        "differently. What each outlet said, beside what the release said, is in {numref}`tbl-discrepancies` "
        "of the sources chapter; the book uses the release's figure."
    )
    display(Markdown("\n".join(lines)))
