"""Where the figures were published and how outlets reported them: the chapters' source lists, the sources
chapter's tables, and each chapter's discrepancies.  Every list takes the findings it is about explicitly."""

from __future__ import annotations

from ..model.survey import KIND_WORDS, LANGUAGES, Finding, load
from . import markup
from .charts import source_rank
from .markup import Cite, Emph, Link, NumRef, Ref, Strong
from .outputs import Paragraph, bullets, show_passage, show_table
from .words import distinct_names, in_sentence


def _page(source, cite: bool = False) -> list:
    return [Link(source.outlet, source.url), f" ({source.when})"] + ([" ", Cite(f"src-{source.id}")] if cite else [])


def _joined(items: list[list], separator: str) -> list:
    return [x for k, item in enumerate(items) for x in ([separator] if k else []) + item]


def show_sources(findings: list[Finding]) -> None:
    """Where each finding was published: every page, with its date and citation; differing reports marked."""
    items = []
    for f in findings:
        differing = {s.id for s in f.differing_sources}
        pages = [
            _page(s, cite=True) + ([" ", Emph("reported differently")] if s.id in differing else [])
            for s in sorted(f.sources, key=source_rank)
        ]
        items.append([Strong(f.measure), f" ({f.label}), {f.release.name}: ", *_joined(pages, ", "), "."])
    show_passage(*bullets(items))


def show_all_sources() -> None:
    """Every finding and design fact, release by release, with every page that published it."""
    s = load()
    parts = []
    for release in s.releases.values():
        parts.append(
            Paragraph(
                Strong(release.name),
                f" ({release.issuer}, {release.when}; read in ",
                Link(release.copy.outlet, release.copy.url),
                ")",
            )
        )
        items = []
        for f in (f for f in s.findings.values() if f.release.id == release.id):
            differing = {x.id for x in f.differing_sources}
            pages = [
                _page(x)[:-1]
                + [f" ({x.when}, {LANGUAGES[x.language]})"]
                + ([" ", Emph("differs")] if x.id in differing else [])
                for x in sorted(f.sources, key=source_rank)
            ]
            items.append([f"{f.measure}, {f.label}: ", *_joined(pages, "; ")])
        parts += bullets(items)
    parts.append(Paragraph(Strong("Design facts")))
    items = []
    for fact in s.design.values():
        pages = [
            _page(x) + ([" ", Emph("differs")] if x in fact.differing_sources else [])
            for x in sorted(fact.sources, key=source_rank)
        ]
        items.append([f"{fact.fact}: ", *_joined(pages, "; ")])
    parts += bullets(items)
    show_passage(*parts)


def _short_url(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def show_source_table(name: str) -> None:
    """Every page in the data package: outlet, what it is, date, language and address."""
    rows = [
        [
            [x.outlet, " ", Cite(f"src-{x.id}")],
            x.description,
            x.when,
            LANGUAGES[x.language],
            Link(_short_url(x.url), x.url),
        ]
        for x in sorted(load().sources.values(), key=source_rank)
    ]
    show_table(
        markup.Table(
            name,
            "Every page the book's figures come from",
            ["Outlet", "What it is", "Date", "Language", "Address"],
            rows,
        )
    )


def discrepancy_label(discrepancy_id: str) -> str:
    """The address of a discrepancy's row in the sources chapter's table ("discrepancy-d01")."""
    return f"discrepancy-{discrepancy_id.lower()}"


def subject_words(subject: str) -> str:
    """What a discrepancy is about, in words: the figure with its value, or the design fact."""
    s = load()
    if subject in s.findings:
        f = s.findings[subject]
        return f"the figure \u201c{in_sentence(f.measure)}\u201d ({f.label})"
    if subject in s.design:
        return f"the design fact \u201c{in_sentence(s.design[subject].fact)}\u201d"
    return "no figure (a quotation)"


def show_discrepancy_table(name: str) -> None:
    """Every documented discrepancy: its number, the figure in words, kind, what the release and outlets said."""
    rows = [
        [
            markup.Role("book-target", discrepancy_label(d.id), d.id),
            subject_words(d.subject) + (f"; also {subject_words(d.related_id)}" if d.related_id else ""),
            KIND_WORDS[d.kind],
            d.release_says,
            d.outlet_says,
            _joined([[Link(n, x.url)] for x, n in zip(d.pages, distinct_names(d.pages), strict=True)], ", "),
        ]
        for d in load().discrepancies.values()
    ]
    show_table(
        markup.Table(
            name,
            "Every documented discrepancy between the releases and the outlets, classified. Each discrepancy has a "
            "number (D01 onwards) that the chapters' lists refer to",
            ["No.", "Figure", "Kind", "The release says", "The outlet says", "Outlets"],
            rows,
        )
    )


def show_discrepancies(findings: list[Finding]) -> None:
    """The discrepancies that concern these findings, each named with its kind, its figure and the outlets.

    What the outlets said is stated once only, in the sources chapter's table, which each item points to.
    """
    found = load().discrepancies_of(f.id for f in findings)
    if not found:
        show_passage(Paragraph("No outlet is recorded as having reported these figures differently from the release."))
        return
    items = [
        [
            Strong(Ref(discrepancy_label(d.id), f"Discrepancy {d.id}")),
            f" ({KIND_WORDS[d.kind]}), about {subject_words(d.subject)}: {len(d.pages)} page{'s' if len(d.pages) != 1 else ''} (",
            *_joined([[Link(n, x.url)] for x, n in zip(d.pages, distinct_names(d.pages), strict=True)], ", "),
            ").",
        ]
        for d in found
    ]
    show_passage(
        *bullets(items),
        Paragraph(
            "The numbers (D01 onwards) are the book's own, one for each way a figure was reported differently. What "
            "each outlet said, beside what the release said, is in ",
            NumRef("tbl-discrepancies", "the table of discrepancies"),
            " of the sources chapter; the book uses the release's figure.",
        ),
    )
