"""What every page gets: glossary links, a meta description, a print header, and link addresses repaired."""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.application import Sphinx

from . import citation

GLOSSARY_DOC = "chapters/glossary"


# Each glossary term, and the phrases that count as a use of it (the first in document order is linked).
GLOSSARY_TERMS = {
    "modelled interval": (r"modelled(?: 95%)? intervals?", r"modelled\b"),
    "wilson interval": (r"Wilson(?: score)? intervals?",),
    "newcombe interval": (r"Newcombe(?: hybrid score)? intervals?",),
    "design effect": (r"design effects?",),
    "equal split": (r"equal split",),
    "rounding band": (r"rounding band", r"(?:allowed|allowing) for (?:the )?rounding"),
    "single source": (r"single[- ]source",),
    "bound": (r"\bbounds?\b",),
    "base": (r"\bbases?\b",),
}


_SKIP_TERM_IN = (
    nodes.title,
    nodes.reference,
    nodes.literal,
    nodes.literal_block,
    nodes.raw,
    nodes.term,
    nodes.field_name,
    nodes.rubric,
)


def _link_first_uses(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link the first use of each glossary term on a page to its definition (HTML only)."""
    if app.builder.format != "html" or docname == GLOSSARY_DOC:
        return
    terms = {name.lower(): place for (kind, name), place in app.env.get_domain("std").objects.items() if kind == "term"}
    patterns = {}
    for term, phrases in GLOSSARY_TERMS.items():
        found = terms.get(term)
        if found:
            target = app.builder.get_relative_uri(docname, found[0]) + "#" + found[1]
            patterns[term] = (re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE), target)
    for text in list(doctree.findall(nodes.Text)):
        if not patterns:
            return
        parent = text.parent
        if parent is None or any(
            isinstance(a, _SKIP_TERM_IN) or {"cite-this", "citation-example"} & set(a.get("classes", []))
            for a in _ancestors(text)
        ):
            continue
        hits = sorted(
            (m.start(), m.end(), term)
            for term, (pattern, _) in patterns.items()
            for m in [pattern.search(str(text))]
            if m
        )
        if not hits:
            continue
        pieces, position, used = [], 0, set()
        source = str(text)
        for start, end, term in hits:
            if start < position or term in used:
                continue
            pieces.append(nodes.Text(source[position:start]))
            pieces.append(
                nodes.reference(
                    "",
                    source[start:end],
                    refuri=patterns[term][1],
                    internal=True,
                    classes=["iot-term"],
                    reftitle=f"Glossary: {term}",
                )
            )
            position, used = end, used | {term}
        pieces.append(nodes.Text(source[position:]))
        parent.replace(text, [p for p in pieces if not (isinstance(p, nodes.Text) and not str(p))])
        for term in used:
            patterns.pop(term)


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def book_of(app: Sphinx) -> citation.Book:
    return citation.load(site_url=app.config.html_baseurl)


def page_title(app: Sphinx, docname: str) -> str:
    return app.env.titles[docname].astext() if docname in app.env.titles else docname


def _unescape_link_targets(app: Sphinx, doctree: nodes.document) -> None:
    """Undo MyST-Parser 3's HTML-escaping of link targets.

    MyST-Parser escapes ``&`` in a Markdown link's address and the HTML writer
    escapes it again, so ``?a=1&b=2`` reaches the page as ``&amp;amp;b=2`` and
    the link breaks (executablebooks/MyST-Parser#760, still open; Jupyter Book 1
    pins MyST-Parser 3).  The escaping is exactly ``markdown_it``'s
    ``escapeHtml``, which ``html.unescape`` reverses.
    """
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri")
        if uri and "&" in uri:
            ref["refuri"] = html.unescape(uri)


def _record_description(app: Sphinx, doctree: nodes.document) -> None:
    """The page's first paragraph, shortened, as its meta description."""
    descriptions = app.env.__dict__.setdefault("iotsurvey_descriptions", {})
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) >= 60:
            descriptions[app.env.docname] = _shorten(text, 160)
            return
    descriptions[app.env.docname] = _shorten(f"{page_title(app, app.env.docname)}: part of {book_of(app).title}.", 160)


def _merge_descriptions(app, env, docnames, other) -> None:
    env.__dict__.setdefault("iotsurvey_descriptions", {}).update(getattr(other, "iotsurvey_descriptions", {}))


def _purge_description(app, env, docname) -> None:
    env.__dict__.setdefault("iotsurvey_descriptions", {}).pop(docname, None)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def description_of(app: Sphinx, pagename: str) -> str:
    """The page's meta description: its first long paragraph, shortened."""
    descriptions = getattr(app.env, "iotsurvey_descriptions", {})
    return descriptions.get(pagename) or _shorten(
        {"genindex": "Index", "search": "Search"}.get(pagename, pagename) + f" of {book_of(app).title}.", 160
    )


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    description = description_of(app, pagename)
    context["metatags"] = (
        context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(description)}" />'
    )
    if pagename == app.config.root_doc:
        context["titlesuffix"] = ""  # the front page's title is the book's: the tab says it once
    if "body" in context:
        # docutils marks bibliography entries with the deprecated role doc-biblioentry inside a
        # role="list"; screen readers (and axe-core) then see no list items.  listitem is the fit.
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
        context["body"] = _print_header(app, pagename) + context["body"]


def _print_header(app: Sphinx, pagename: str) -> str:
    """A block shown only on paper: the book's title, the chapter's number and title, version and address."""
    book = book_of(app)
    numbers = getattr(app.env, "toc_secnumbers", {}).get(pagename, {}).get("", ())
    number = f"Chapter {'.'.join(map(str, numbers))}: " if numbers else ""
    title = page_title(app, pagename) if pagename in app.env.titles else ""
    address = f" · {book.url}{pagename}.html" if book.url else ""  # no address, no half of one
    # The words are drawn by the print stylesheet from data attributes, so that they are not page text
    # (the search's result snippets read the page's text).
    return (
        '<div class="iot-print-header" aria-hidden="true">'
        f'<p class="iot-print-book" data-text="{html.escape(book.title)}"></p>'
        f'<p class="iot-print-chapter" data-text="{html.escape(number + title)}"></p>'
        f'<p class="iot-print-edition" data-text="Version {html.escape(book.version)}{html.escape(address)}"></p>'
        "</div>\n"
    )


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", _unescape_link_targets)
    app.connect("doctree-read", _record_description)
    app.connect("env-merge-info", _merge_descriptions)
    app.connect("env-purge-doc", _purge_description)
    app.connect("doctree-resolved", _link_first_uses, priority=950)
    app.connect("html-page-context", _page_context)
