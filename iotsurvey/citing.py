"""Citation blocks on pages (the ``citation`` directive and "Cite this chapter"), their downloadable
BibTeX, RIS and CSL-JSON files, and the bibliography of the survey's sources and of the other surveys'
pages."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from . import citation, data, edition
from .pages import _book, _page_title
from .paths import PACKAGE_ZIP


def _bib_text(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", " ".join(str(text).split()))


def sources_bibtex() -> str:
    """Every page in data/sources.csv as a BibTeX entry keyed ``src-<source_id>``."""
    from .survey import LANGUAGES, load

    entries = []
    for source in load().sources.values():
        year = (
            str(source.date.year)
            if source.date
            else (re.findall(r"\b(20\d\d)\b", source.date_note or "") or ["n.d."])[0]
        )
        entries.append(
            "\n".join(
                [
                    f"@misc{{src-{source.id},",
                    f"  author       = {{{{{_bib_text(source.outlet)}}}}},",
                    f"  title        = {{{{{_bib_text(source.description)}}}}},",
                    f"  year         = {{{year}}},",
                    f"  note         = {{{_bib_text(source.when)}; in {_bib_text(LANGUAGES[source.language])}}},",
                    f"  url          = {{{source.url}}}",
                    "}",
                ]
            )
        )
    from .peers import load as load_peers

    peers = load_peers()
    for page in peers.sources.values():
        figures = [f for f in peers.figures.values() if page in f.sources]
        design = [
            (survey_id, states) for survey_id, pages in peers.design_pages.items() for p, states in pages if p == page
        ]
        names = list(dict.fromkeys([f.survey.name for f in figures] + [peers.surveys[i].name for i, _ in design]))
        kind = "a mirror copy or repost, not the publisher's page; " if page.mirror else ""
        said = []
        if figures:
            said.append(f"states {len(figures)} figure{'s' if len(figures) != 1 else ''} shown in the chapter")
        said += [f"states the {peers.surveys[i].name} survey's {states}" for i, states in design]
        entries.append(
            "\n".join(
                [
                    f"@misc{{ctx-{page.id},",
                    f"  author       = {{{{{_bib_text(page.site)}}}}},",
                    f"  title        = {{{{Page reporting the {_bib_text(' and '.join(names))} survey}}}},",
                    "  year         = {n.d.},",
                    f"  note         = {{{_bib_text(kind + '; '.join(said))}}},",
                    f"  url          = {{{page.url}}}",
                    "}",
                ]
            )
        )
    return "\n\n".join(entries) + "\n"


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


def _citation_nodes(
    app: Sphinx, docname: str, cite: citation.Citation, heading: str | None, ids: list[str]
) -> list[nodes.Node]:
    paragraph = nodes.paragraph(classes=["cite-reference"])
    text = cite.reference.replace(cite.url, "").rstrip() if cite.url else cite.reference
    for k, piece in enumerate(text.split("*")):
        paragraph += nodes.emphasis(text=piece) if k % 2 else nodes.Text(piece)
    if cite.url:
        paragraph += nodes.Text(" ")
        paragraph += nodes.reference(cite.url, cite.url, refuri=cite.url)
    bibtex = nodes.literal_block(cite.bibtex, cite.bibtex, language="bibtex", classes=["cite-bibtex"])
    container = nodes.container(classes=["cite-this" if heading else "citation-example"])
    if heading:
        # raw HTML, not a Sphinx section: a section added this late would be given the page's own number
        anchor = ids[0]
        container += nodes.raw(
            "",
            f'<h2 id="{anchor}">{html.escape(heading)}<a class="headerlink" '
            f'href="#{anchor}" title="Link to this heading">#</a></h2>',
            format="html",
        )
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


def _download_path(app: Sphinx) -> str:
    """Where Sphinx publishes the data package ZIP: _downloads/<digest>/<name>."""
    for source, (_, dest) in app.env.dlfiles.items():
        if source.endswith(PACKAGE_ZIP):
            return f"_downloads/{dest}"
    raise ConfigError(f"no page links {PACKAGE_ZIP}, so the data package has no address to cite")


def _fill_citations(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    book = _book(app)
    for node in list(doctree.findall(citation_placeholder)):
        target, figure = node["target"], node["figure"]
        if target == "book":
            cite = citation.for_book(book)
        elif target == "pdf":
            cite = citation.for_pdf(book, edition.PDF_DOWNLOAD)
        elif target == "data":
            cite = citation.for_data(book, json.loads(data.PACKAGE.read_text(encoding="utf-8")), _download_path(app))
        elif figure:
            numbers = app.env.toc_fignumbers.get(target, {}).get("figure", {})
            number = "Fig. " + ".".join(map(str, numbers.get(figure, ()))) if figure in numbers else figure
            cite = citation.for_figure(book, target, _page_title(app, target), figure, number)
        else:
            cite = citation.for_page(book, target, _page_title(app, target))
        node.replace_self(_citation_nodes(app, docname, cite, None, []))
    if app.builder.format != "html" or docname in ("genindex", "search"):
        return
    cite = citation.for_page(book, docname, _page_title(app, docname))
    heading = "Cite this book" if docname == app.config.root_doc else "Cite this chapter"
    doctree += _citation_nodes(app, docname, cite, heading, ["cite-this-chapter"])
