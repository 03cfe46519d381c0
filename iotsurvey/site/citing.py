"""Citation blocks on pages (the ``citation`` directive, "Cite this chapter", and each figure's citation) and
their downloadable BibTeX, RIS and CSL-JSON files."""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes
from sphinx.application import Sphinx

from ..export import FOLDER, PACKAGE_ZIP
from ..paths import PACKAGE
from . import citation
from .pages import book_of, page_title
from .pdf import PDF_DOWNLOAD


class citation_placeholder(nodes.General, nodes.Element):
    """Filled in at doctree-resolved, when every page's title and figure number is known."""


class CitationDirective(Directive):
    """``{citation} book | data | <docname> [<figure name>]``: a generated citation."""

    required_arguments = 1
    optional_arguments = 1

    def run(self):
        node = citation_placeholder()
        node["target"] = self.arguments[0]
        node["figure"] = self.arguments[1] if len(self.arguments) > 1 else ""
        return [node]


CITE_FOLDER = "_downloads/cite"  # under the site: each citation as .bib, .ris and .json (CSL-JSON)


def _citation_files(app: Sphinx, cite: citation.Citation) -> dict[str, str]:
    """Write the citation's three files into the site; their paths from the site's root, by format."""
    if app.builder.format != "html":
        return {}
    folder = Path(app.outdir) / CITE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "BibTeX": (".bib", cite.bibtex + "\n"),
        "RIS": (".ris", cite.ris),
        "CSL-JSON": (".json", json.dumps([cite.item], indent=2, ensure_ascii=False) + "\n"),
    }
    paths = {}
    for name, (suffix, text) in files.items():
        path = folder / (cite.key + suffix)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths[name] = f"{CITE_FOLDER}/{cite.key}{suffix}"
    return paths


def _citation_nodes(app: Sphinx, docname: str, cite: citation.Citation, classes: list[str]) -> list[nodes.Node]:
    paragraph = nodes.paragraph(classes=["cite-reference"])
    text = cite.reference.replace(cite.url, "").rstrip() if cite.url else cite.reference
    for k, piece in enumerate(text.split("*")):
        paragraph += nodes.emphasis(text=piece) if k % 2 else nodes.Text(piece)
    if cite.url:
        paragraph += nodes.Text(" ")
        paragraph += nodes.reference(cite.url, cite.url, refuri=cite.url)
    bibtex = nodes.literal_block(cite.bibtex, cite.bibtex, language="bibtex", classes=["cite-bibtex"])
    container = nodes.container(classes=classes)
    container += paragraph
    container += bibtex
    files = _citation_files(app, cite)
    if files:
        up = "../" * docname.count("/")
        links = " · ".join(
            f'<a class="cite-file" href="{up}{path}" download>{name}</a>' for name, path in files.items()
        )
        container += nodes.raw("", f'<p class="cite-files">Download this citation: {links}</p>', format="html")
    return [container]


def chapter_number(app: Sphinx, docname: str) -> str:
    """ "3": the chapter's number in the book, as the site and the PDF number it ("" when unnumbered)."""
    return ".".join(map(str, app.env.toc_secnumbers.get(docname, {}).get("", ())))


def _cite_section(app: Sphinx, doctree: nodes.document) -> None:
    """Every page ends with a section "Cite this chapter" ("Cite this book" on the front page), in the page's
    contents list.  Added before Sphinx collects the page's sections; on the site only (the PDF's title page
    says how to cite the book)."""
    docname = app.env.docname
    if docname in ("genindex", "search") or not doctree.findall(nodes.section):
        return
    heading = "Cite this book" if docname == app.config.root_doc else "Cite this chapter"
    section = nodes.section(ids=["cite-this-chapter"], names=["cite this chapter"], classes=["cite-this"])
    section += nodes.title(heading, heading)
    placeholder = citation_placeholder()
    placeholder["target"], placeholder["figure"], placeholder["page"] = docname, "", True
    section += placeholder
    only = addnodes.only(expr="html")
    only += section
    top = next(iter(doctree.findall(nodes.section)))  # the page's title section: the new one is its last child
    top += only


def _figure_title(app: Sphinx, docname: str, figure: str) -> str:
    """The title of a figure, from the citation under it on its own page (a citation of the figure elsewhere
    must be the same item: both write the same file)."""
    for node in app.env.get_doctree(docname).findall(citation_placeholder):
        if node["figure"] == figure and node.get("title"):
            return node["title"]
    return ""


def _fill_citations(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    book = book_of(app)
    for node in list(doctree.findall(citation_placeholder)):
        target, figure = node["target"], node["figure"]
        if target == "book":
            cite = citation.for_book(book)
        elif target == "pdf":
            cite = citation.for_pdf(book, PDF_DOWNLOAD)
        elif target == "data":
            cite = citation.for_data(book, json.loads(PACKAGE.read_text(encoding="utf-8")), f"{FOLDER}/{PACKAGE_ZIP}")
        elif figure:
            numbers = app.env.toc_fignumbers.get(target, {}).get("figure", {})
            number = "Figure " + ".".join(map(str, numbers[figure])) if figure in numbers else figure
            title = node.get("title") or _figure_title(app, target, figure)
            label = f"{number}: {title}" if title else number
            cite = citation.for_figure(
                book, target, page_title(app, target), figure, label, number=chapter_number(app, target)
            )
        else:
            cite = citation.for_page(book, target, page_title(app, target), number=chapter_number(app, target))
        made = _citation_nodes(app, docname, cite, ["cite-this" if node.get("page") else "citation-example"])
        if node.get("page") and app.builder.format == "html":
            # the page's own citation, for Zotero: one COinS per page (two would read as a list to choose from)
            made.append(
                nodes.raw(
                    "", f'<span class="Z3988" title="{html.escape(citation.coins(cite.item))}"></span>', format="html"
                )
            )
        node.replace_self(made)


def setup(app: Sphinx) -> None:
    app.add_node(citation_placeholder)
    app.add_directive("citation", CitationDirective)
    app.connect("doctree-read", _cite_section, priority=400)  # before Sphinx collects the sections (500)
    app.connect("doctree-resolved", _fill_citations)
