"""The PDF edition (``make pdf``: Sphinx's LaTeX builder through XeLaTeX), numbered like the site.

The front page's sections are unnumbered, as are the pages of "About this book"; chapters, sections,
figures and tables carry the site's numbers, and the site's parts become the PDF's parts.  Each chart
appears in its print rendering, drawn for the text block (:mod:`iotsurvey.render.style`), never shrunk; a chart
too tall for a page is printed in parts.  Tables get column widths from their content and may break across pages.
The book is set for reading on screen or printing one-sided: chapters start on the next page, not the next odd
one.  After the contents come a list of figures and a list of tables; there is no index.  Bibliographies print
where the text puts them (the references chapter, how to cite), not gathered at the end.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

PDF_NAME = "iot-survey-book.pdf"
PDF_DOWNLOAD = "_downloads/" + PDF_NAME  # where the site serves the PDF, relative to its root

UNNUMBERED = (
    r"\setcounter{secnumdepth}{-1}\renewcommand{\thefigure}{\arabic{figure}}"
    r"\renewcommand{\thetable}{\arabic{table}}"
)
NUMBERED = (
    r"\setcounter{secnumdepth}{2}\renewcommand{\thefigure}{\thechapter.\arabic{figure}}"
    r"\renewcommand{\thetable}{\thechapter.\arabic{table}}"
)
CONTENTS_NAME = "\n\\addto\\captionsenglish{\\renewcommand{\\contentsname}{Contents}}\n"
WIDE_TABLE_COLUMNS = 7  # from this many columns a table is set in a smaller font


def _parts(app: Sphinx) -> dict[str, str]:
    """The first page of each part of the table of contents -> the part's caption."""
    root = app.env.get_doctree(app.config.root_doc)
    return {
        tree["entries"][0][1]: tree["caption"]
        for tree in root.findall(addnodes.toctree)
        if tree.get("caption") and tree["entries"]
    }


def _latex(text: str) -> nodes.raw:
    return nodes.raw("", text + "\n", format="latex")


def numbered_docs(app: Sphinx) -> set[str]:
    """The pages the site numbers (chapter number and sections)."""
    return {doc for doc, numbers in app.env.toc_secnumbers.items() if numbers}


def _number_like_the_site(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        size = _fit_columns(table)
        if size != "normalsize":
            index = table.parent.index(table)
            table.parent.insert(index + 1, _latex("\\endgroup"))
            table.parent.insert(index, _latex(f"\\begingroup\\{size}"))
    numbered = numbered_docs(app)
    first = next(iter(doctree.findall(nodes.section)), None)
    if first is not None:
        first.insert(1, _latex(UNNUMBERED))
    state = False
    parts = _parts(app)
    for start in doctree.findall(addnodes.start_of_file):
        wanted = start["docname"] in numbered
        if wanted != state:
            start.insert(0, _latex(NUMBERED if wanted else UNNUMBERED))
            state = wanted
        if start["docname"] in parts:  # the site's parts, unnumbered as on the site
            caption = parts[start["docname"]].replace("\\", "").replace("{", "").replace("}", "")
            start.insert(0, _latex(f"\\part*{{{caption}}}\\addcontentsline{{toc}}{{part}}{{{caption}}}"))


# The type size of a table by its number of columns, and the characters a line of the text block holds at it.
SIZES = ((10, "scriptsize", 135), (WIDE_TABLE_COLUMNS, "footnotesize", 118), (0, "normalsize", 96))
COLUMN_PADDING = 3  # characters a column loses to its padding and rule


def _fit_columns(table: nodes.table) -> str:
    """Column widths from the cells' text, and a table that may break across pages; returns its type size.

    Sphinx gives Markdown tables equal columns; on paper a column of ids beside a column of sentences then
    clips the ids and wraps a word a line.  Each column first gets room for its longest word (ids and words
    stay whole, never hyphenated; a word may break at its own hyphen, an address anywhere), then a share of
    what is left by its typical cell length.  A table of many columns is set smaller.
    """
    group = next(iter(table.findall(nodes.tgroup)), None)
    if group is None:
        return "normalsize"
    specs = [c for c in group.children if isinstance(c, nodes.colspec)]
    rows = list(group.findall(nodes.row))
    if not specs or not rows:
        return "normalsize"
    size, line = next((name, chars) for columns, name, chars in SIZES if len(specs) >= columns)
    budget = line - COLUMN_PADDING * len(specs)
    heads = {id(row) for head in group.findall(nodes.thead) for row in head.findall(nodes.row)}
    least, typical = [], []
    for k in range(len(specs)):
        cells = [row.children[k].astext() for row in rows if k < len(row.children)]
        words = [w for text in cells for w in text.split() if "://" not in w]  # an address may break
        # a header is set in bold, about a fifth wider than the body's type
        head = [row.children[k].astext() for row in rows if id(row) in heads and k < len(row.children)]
        longest = max([len(w) for w in words] + [len(w) * 6 // 5 for text in head for w in text.split()], default=3)
        least.append(min(max(longest + 2, 6), 30))  # room for the padding, and for a short id in wide letters
        lengths = sorted(len(text) for text in cells)
        typical.append(lengths[len(lengths) * 3 // 4] if lengths else 3)
    spare = max(budget - sum(least), 0)
    wants = [max(t - m, 0) for t, m in zip(typical, least, strict=True)]
    total = sum(wants) or 1
    widths = [m + round(spare * want / total) for m, want in zip(least, wants, strict=True)]
    # Sphinx's documented column specification (the tabularcolumns directive's node): each column its width,
    # set ragged right, so that narrow columns are not stretched word by word
    whole = "\\raggedright\\arraybackslash\\hyphenpenalty=10000\\exhyphenpenalty=50"
    columns = "".join(f">{{{whole}}}\\X{{{w}}}{{{sum(widths)}}}" for w in widths)
    table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=columns))
    table["classes"] = [*table.get("classes", []), "longtable"]
    return size


LATEX = {
    "extraclassoptions": "openany,oneside",
    "tableofcontents": "\\sphinxtableofcontents\n\\listoffigures\n\\listoftables\n",
    "printindex": "",
    "figure_align": "htbp",
}
# the text block, in the LaTeX log, for the tests of printed figure sizes
TEXT_BLOCK = "\n\\AtBeginDocument{\\typeout{iotsurvey text block: \\the\\textwidth\\space by \\the\\textheight}}\n"


def _latex_settings(app: Sphinx, config) -> None:
    elements = {**config.latex_elements, **LATEX}
    # xurl: a long address may break at any character, so that none runs into the margin
    elements["preamble"] = elements.get("preamble", "") + TEXT_BLOCK + "\\usepackage{xurl}\n"
    config.latex_elements = elements


class BibliographiesInPlace(SphinxPostTransform):
    """Each bibliography's entries where the text puts them.  Sphinx's LaTeX writer gathers every citation into
    one bibliography at the end of the book; turned into paragraphs with the same anchors first, they stay where
    they are, and the references to them (links to those anchors) still resolve."""

    default_priority = 700  # before Sphinx's BibliographyTransform (750) gathers them
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for citation in list(self.document.findall(nodes.citation)):
            entry = nodes.paragraph(classes=["iot-reference"])
            entry += nodes.target("", "", ids=list(citation["ids"]))
            label = next((c for c in citation.children if isinstance(c, nodes.label)), None)
            if label is not None:
                entry += nodes.strong(text=f"[{label.astext()}] ")
            for child in citation.children:
                if isinstance(child, nodes.paragraph):
                    entry.extend(child.children)
            citation.replace_self(entry)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _latex_settings, priority=60)  # after the edition's (50)
    app.connect("doctree-resolved", _number_like_the_site)
    app.add_post_transform(BibliographiesInPlace)
