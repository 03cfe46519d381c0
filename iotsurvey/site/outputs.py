"""How the book's own notebook outputs become pages: a myst-nb renderer plugin (the ``myst_nb.mime_renderers``
entry point in ``pyproject.toml``) for the two mime types of :mod:`iotsurvey.render.outputs`.

- ``MYST_MIME``: MyST Markdown, rendered by myst-nb's own Markdown renderer (numbered tables, boxes, lists).
- ``FIGURE_MIME``: a chart in every look.  The plugin writes each rendering to myst-nb's output folder under
  the figure's name and returns its images (the theme's ``only-light`` and ``only-dark`` classes pick the
  scheme; the book's stylesheet picks the phone or desktop width), the print rendering for the PDF, and
  the lines under the figure: evidence, sources, licence, downloads, the figure's citation and its values
  as a table (read from the values file the export step wrote).  The cell's ``mystnb.figure`` metadata
  gives the figure its name and caption; a figure whose output names another figure is a warning.

After the mime type is chosen for a builder, :class:`KeepTheLooksOfThisBuilder` keeps the screen renderings
and the HTML-only lines for the site, the print rendering for the PDF.
"""

from __future__ import annotations

import base64
import csv
import json
from pathlib import Path

from docutils import nodes
from myst_nb.core.render import MimeData
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..export import FOLDER
from ..render.outputs import FIGURE_MIME, MYST_MIME
from .citing import citation_placeholder

LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
SCREEN_CLASSES = {
    "wide-light": ["only-light", "iot-wide"],
    "wide-dark": ["only-dark", "iot-wide"],
    "narrow-light": ["only-light", "iot-narrow"],
    "narrow-dark": ["only-dark", "iot-narrow"],
}


class download_link(nodes.General, nodes.Inline, nodes.TextElement):
    """A link to a file under the site's ``downloads/`` folder (``path``), resolved per builder."""


class BookOutputs:
    """The myst-nb mime renderer plugin of the book."""

    mime_priority_overrides = [("*", FIGURE_MIME, 1), ("*", MYST_MIME, 2)]

    @staticmethod
    def handle_mime(renderer, data: MimeData, inline: bool) -> list[nodes.Element] | None:
        if inline:
            return None
        if data.mime_type == MYST_MIME:
            return renderer.render_markdown(_as_markdown(data, data.string))
        if data.mime_type == FIGURE_MIME:
            content = data.content if isinstance(data.content, dict) else json.loads(data.string)
            return figure_nodes(renderer, data, content)
        return None


def _as_markdown(data: MimeData, text: str) -> MimeData:
    return MimeData(
        "text/markdown",
        text,
        cell_metadata=data.cell_metadata,
        output_metadata=data.output_metadata,
        cell_index=data.cell_index,
        output_index=data.output_index,
        line=data.line,
    )


def figure_nodes(renderer, data: MimeData, figure: dict) -> list[nodes.Element]:
    name = figure["name"]
    named = (data.cell_metadata.get("mystnb") or {}).get("figure", {}).get("name")
    if named != name:
        renderer.logger.warning(
            f"the cell shows the figure {name!r} but its mystnb.figure metadata names {named!r}: name it {name!r}",
            subtype="figure",
            line=data.line,
        )
    # The looks in one box: the theme hides a caption that follows an only-dark or only-light image directly
    # (pydata-sphinx-theme's ".only-dark ~ figcaption"), which is meant for a figure with a single image.
    # Lazy: a browser then fetches only the look it shows.
    looks = nodes.container(classes=["iot-looks"])
    for look, svg in figure["looks"].items():
        uri = renderer.write_file([f"{name}-{look}.svg"], svg.encode("utf-8"), overwrite=True)
        looks += nodes.image(
            uri=uri, alt=figure["alt"], loading="lazy", classes=["iot-look", "dark-light", *SCREEN_CLASSES[look]]
        )
    for k, part in enumerate(figure["print"], 1):  # a chart too tall for a page is printed in parts
        suffix = "" if k == 1 else f"-{k}"
        printed = renderer.write_file([f"{name}-print{suffix}.pdf"], base64.b64decode(part), overwrite=True)
        looks += nodes.image(
            uri=printed, alt=figure["alt"], classes=["iot-print"] + (["iot-continued"] if k > 1 else [])
        )
    svg_file = renderer.write_file([f"{name}.svg"], figure["looks"]["wide-light"].encode("utf-8"), overwrite=True)
    png_file = renderer.write_file([f"{name}.png"], base64.b64decode(figure["png"]), overwrite=True)

    lines = " ".join(x for x in (figure["evidence"], figure["sources"]) if x)
    notes = nodes.legend(classes=["iot-figure-notes"])
    for node in renderer.render_markdown(_as_markdown(data, lines)):
        notes += node
    notes += _reuse_line(renderer, name, figure["schema"], svg_file, png_file)
    notes += _values_table(renderer, name)
    notes += _citation(renderer, name, figure["title"])
    return [looks, notes]


def _download(text: str, path: str) -> download_link:
    node = download_link(text, text)
    node["path"] = path
    return node


def _file_download(renderer, text: str, uri: str) -> addnodes.download_reference:
    """A download of a file myst-nb's output folder holds (Sphinx copies it to the site's _downloads)."""
    docname = renderer.renderer.sphinx_env.docname
    return addnodes.download_reference(
        "", "", nodes.inline(text, text), refdoc=docname, reftarget=uri, refexplicit=True
    )


def _reuse_line(renderer, name: str, schema: str, svg_file: str, png_file: str) -> nodes.paragraph:
    """One line: the licence, and the figure's files to download."""
    line = nodes.paragraph(classes=["iot-reuse"])
    line += nodes.Text("Licence: ")
    line += nodes.reference(LICENCE[0], LICENCE[0], refuri=LICENCE[1])
    line += nodes.Text(".")
    downloads = nodes.inline(classes=["iot-downloads"])  # in a PDF without the site's address: left out
    downloads += nodes.Text(" Download: ")
    html_only = addnodes.only(expr="html")
    html_only += _file_download(renderer, "SVG", svg_file)
    html_only += nodes.Text(", ")
    html_only += _file_download(renderer, "PNG", png_file)
    html_only += nodes.Text(", ")
    downloads += html_only
    downloads += _download("values (CSV)", f"figures/{name}.csv")
    downloads += nodes.Text(" and ")
    downloads += _download("its schema", f"figures/{schema}.schema.json")
    downloads += nodes.Text(".")
    line += downloads
    return line


def _values_table(renderer, name: str) -> nodes.Node:
    """The figure's numbers, from the values file the export step wrote, in a toggle under the chart: each row's
    label, value, modelled interval (or why there is none) and evidence, in four columns a phone can show."""
    app = _app(renderer)
    path = Path(app.outdir) / FOLDER / "figures" / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "label" in rows[0]:
        header = ["Row", "Value", f"Modelled {LEVEL} interval", "Evidence"]
        body = [[r["label"], _value(r), _interval(r), _evidence(r)] for r in rows]
    else:  # the precision chart: n, design effect, margin
        header = ["Respondents (n)", "Design effect", "Maximum modelled margin (points)"]
        body = [[r["n"], r["design_effect"], r["max_modelled_margin_points"]] for r in rows]
    table = nodes.table(classes=["iot-values"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(header)
    tbody = nodes.tbody()
    for cells in body:
        tbody += _row(cells)
    group += head
    group += tbody
    details = addnodes.only(expr="html")
    details += nodes.raw("", '<details class="iot-values"><summary>The numbers in this figure</summary>', format="html")
    details += table
    details += nodes.raw("", "</details>", format="html")
    return details


LEVEL = "95%"
STATED = {"exact": "", "about": "about ", "more_than": "more than ", "nearly": "nearly "}
UNIT_SIGNS = {"percent": "%", "percentage points": " points", "pages": " pages"}


def _value(row: dict) -> str:
    if row["stated"] == "rank":
        return "ranked, no value published"
    return f"{STATED[row['stated']]}{float(row['value']):g}{UNIT_SIGNS.get(row['unit'], '')}"


def _interval(row: dict) -> str:
    if row["interval_low"]:
        n = f" (n = {int(row['assumed_n']):,})" if row["assumed_n"] else ""
        return f"{row['interval_low']} to {row['interval_high']}{n}"
    return f"none: {row['no_interval_because']}" if row["no_interval_because"] else "none"


def _evidence(row: dict) -> str:
    return "; ".join(x for x in (row["evidence_grade"], row["evidence_flags"]) if x)


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text, text)
        row += entry
    return row


def _citation(renderer, name: str, title: str) -> nodes.Node:
    """The figure's citation, filled in once every figure has its number (:mod:`iotsurvey.site.citing`)."""
    details = addnodes.only(expr="html")
    details += nodes.raw("", '<details class="iot-cite-figure"><summary>Cite this figure</summary>', format="html")
    placeholder = citation_placeholder()
    placeholder["target"] = renderer.renderer.sphinx_env.docname
    placeholder["figure"] = name
    placeholder["title"] = title
    details += placeholder
    details += nodes.raw("", "</details>", format="html")
    return details


def _app(renderer):
    return renderer.renderer.sphinx_env.app


def _notes_after_caption(app, doctree: nodes.document) -> None:
    """myst-nb appends a figure's caption after the cell's output; the lines under a figure follow the caption."""
    for notes in list(doctree.findall(lambda n: isinstance(n, nodes.legend) and "iot-figure-notes" in n["classes"])):
        figure = next((a for a in _ancestors(notes) if isinstance(a, nodes.figure)), None)
        if figure is not None:
            notes.parent.remove(notes)
            figure += notes


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


class KeepTheLooksOfThisBuilder(SphinxPostTransform):
    """The site shows the screen renderings; the PDF the print rendering.  Runs after myst-nb has chosen the
    mime type for the builder, before images are converted or collected."""

    default_priority = 6

    def run(self, **kwargs) -> None:
        html = self.app.builder.format == "html"
        for image in list(self.document.findall(nodes.image)):
            classes = image.get("classes", [])
            if ("iot-look" in classes and not html) or ("iot-print" in classes and html):
                image.parent.remove(image)
            elif "iot-continued" in classes:
                self._continue_after_the_figure(image)

    def _continue_after_the_figure(self, image: nodes.image) -> None:
        """A later part of a chart printed in parts: after the figure, as a figure of its own without a number or
        caption of its own ("Figure 12.4, continued"), so that each part can take a page."""
        figure = next((a for a in _ancestors(image) if isinstance(a, nodes.figure)), None)
        if figure is None:
            return
        image.parent.remove(image)
        image["classes"] = [c for c in image["classes"] if c != "iot-continued"]
        at = figure.parent.index(figure) + 1
        for continued in [
            part for part in figure.parent.children[at:] if "iot-continued-part" in part.get("classes", [])
        ]:
            at = figure.parent.index(continued) + 1  # after the parts already moved
        part = nodes.container(classes=["iot-continued-part"])
        part += nodes.raw("", "\\begin{figure}[htbp]\\centering", format="latex")
        part += image
        # LaTeX's own counter: the part follows its figure, whose number \thefigure still is
        part += nodes.raw("", "\\par{\\small Figure~\\thefigure, continued}\\end{figure}", format="latex")
        figure.parent.insert(at, part)


class ResolveDownloads(SphinxPostTransform):
    """A link to a download: relative to the page on the site; in the PDF, to the site's address when it has
    one, else the words alone (and a figure's line of downloads left out)."""

    default_priority = 7

    def run(self, **kwargs) -> None:
        html = self.app.builder.format == "html"
        base = self.config.html_baseurl
        if not html and not base:  # a printed link to nowhere: the figures' download lines go
            for node in list(
                self.document.findall(lambda n: isinstance(n, nodes.inline) and "iot-downloads" in n["classes"])
            ):
                node.parent.remove(node)
        for node in list(self.document.findall(download_link)):
            path = f"{FOLDER}/{node['path']}"
            if html:
                uri = self.app.builder.get_target_uri(self.env.docname)
                up = "../" * uri.count("/")
                node.replace_self(
                    nodes.reference(node.astext(), node.astext(), refuri=up + path, classes=["iot-download"])
                )
            elif base:
                node.replace_self(nodes.reference(node.astext(), node.astext(), refuri=base + path))
            else:
                node.replace_self(nodes.Text(node.astext()))


def _download_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{book-download}`words <path>``: a link to a file under the site's downloads/ folder."""
    import re

    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", text)
    words, path = (match.group(1), match.group(2)) if match else (text, text)
    return [_download(words, path)], []


def _target_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{book-target}`words <label>``: the words, as a place ``{ref}`label``` links to (a table row, say)."""
    import re

    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", text)
    words, label = (match.group(1), match.group(2)) if match else (text, text)
    env = inliner.document.settings.env
    env.get_domain("std").note_hyperlink_target(label, env.docname, label, words)
    # a target node: both the HTML and the LaTeX writers give it an anchor (an inline's ids only HTML does)
    return [nodes.target("", "", ids=[label]), nodes.Text(words)], []


def setup(app) -> None:
    app.add_node(download_link)
    app.add_role("book-download", _download_role)
    app.add_role("book-target", _target_role)
    app.add_post_transform(KeepTheLooksOfThisBuilder)
    app.add_post_transform(ResolveDownloads)
    app.connect("doctree-read", _notes_after_caption)
