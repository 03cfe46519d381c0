"""What a chapter cell displays: figures, tables and passages as real notebook outputs.

Each output is a mime bundle that serves two readers.  Plain Jupyter reads the standard types: a figure's
``image/svg+xml`` and ``image/png`` (its light, wide rendering), a table's or a passage's ``text/html``
(escaped by construction, :mod:`iotsurvey.render.markup`).  The book reads its own types, which the
site's myst-nb renderer plugin turns into pages (:mod:`iotsurvey.site.outputs`):

- ``FIGURE_MIME``: every rendering of a chart (light and dark, desktop and phone, print), its alt text,
  title and the lines under it (evidence and sources);
- ``MYST_MIME``: MyST Markdown (a numbered table, a box, a list with cross-references and citations).

The caption and the figure's name are the cell's ``mystnb.figure`` metadata, in the chapter.
"""

from __future__ import annotations

from . import markup
from .charts import source_line
from .figures import chart as chart_of

FIGURE_MIME = "application/vnd.iotsurvey.figure+json"
MYST_MIME = "text/vnd.iotsurvey.myst"


def _display(bundle: dict, metadata: dict | None = None) -> None:
    from IPython.display import display

    display(bundle, raw=True, metadata=metadata or {})


def figure_bundle(name: str) -> dict:
    """The output of a figure: every rendering, for the book; the light, wide one, for Jupyter."""
    from . import draw  # matplotlib and seaborn: only where a figure is drawn

    chart = chart_of(name)
    rendered = draw.render(chart)
    pages = [markup.Link(p.outlet, p.url) for p in chart.sources]
    sources = ["Source: ", *[x for k, link in enumerate(pages) for x in ((["; "] if k else []) + [link])], "."]
    return {
        FIGURE_MIME: {
            "name": name,
            "title": chart.title,
            "alt": chart.alt,
            "schema": chart.schema,
            "looks": rendered.svg,
            "print": [draw.b64(part) for part in rendered.pdf],
            "png": draw.b64(rendered.png),
            "evidence": markup.myst(chart.evidence()),
            "sources": markup.myst(sources),
        },
        "image/svg+xml": rendered.svg["wide-light"],
        "image/png": draw.b64(rendered.png),
        "text/plain": f"<Figure: {chart.title}. {source_line(chart.sources)}>",
    }


def show_figure(name: str) -> None:
    """Display a figure of the book by name (:mod:`iotsurvey.render.figures`).

    The cell's metadata names the figure and gives its caption (``mystnb: figure: {name, caption}``); the
    book checks that the two names agree.
    """
    _display(figure_bundle(name), {FIGURE_MIME: {"name": name}})


def show_table(table: markup.Table) -> None:
    """Display a numbered table: MyST for the book (a ``{table}`` with its name), HTML for Jupyter."""
    _display({MYST_MIME: table.myst(), "text/html": table.html(), "text/plain": table.plain()})


def show_passage(*parts, box: str | None = None, box_class: str = "") -> None:
    """Display generated prose (a list, a paragraph, or a box with a title), escaped by construction."""
    body_myst, body_html = markup.myst(*parts), markup.to_html(*parts)
    if box:
        body_myst = f":::{{admonition}} {markup.escape_myst(box)}\n:class: {box_class}\n{body_myst}\n:::"
        body_html = f'<div class="admonition {box_class}"><p class="admonition-title">{markup.to_html(box)}</p>{body_html}</div>'
    _display({MYST_MIME: body_myst, "text/html": body_html, "text/plain": markup.plain(*parts)})


def bullets(items: list) -> list:
    """A bulleted list as parts: MyST list items, HTML list items."""
    return [Bullets(items)]


class Bullets(markup.Part):
    def __init__(self, items):
        self.items = items

    def myst(self) -> str:
        return "\n" + "\n".join(f"- {markup.myst(item)}" for item in self.items) + "\n\n"

    def html(self) -> str:
        return "<ul>" + "".join(f"<li>{markup.to_html(item)}</li>" for item in self.items) + "</ul>"

    def plain(self) -> str:
        return "\n".join(f"- {markup.plain(item)}" for item in self.items)


class Paragraph(markup.Part):
    def __init__(self, *parts):
        self.parts = parts

    def myst(self) -> str:
        return markup.myst(*self.parts) + "\n\n"

    def html(self) -> str:
        return f"<p>{markup.to_html(*self.parts)}</p>"

    def plain(self) -> str:
        return markup.plain(*self.parts) + "\n"
