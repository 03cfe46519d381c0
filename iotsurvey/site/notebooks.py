"""The chapter a reader downloads as a notebook, readable in plain JupyterLab and runnable from a clone.

Each chapter is offered as ``_sources/<chapter>.ipynb`` (the theme's download menu at the top of the
page links it): its executed cells from the execution cache, with

- a first cell that says what it is and how to run it (``pip install -e .`` in a clone of the book);
- every ``{glue:text}`` in the prose replaced by its value, formatted as the page shows it, and the other
  roles by their words (a cross-reference by what it names, a citation by author and year, a link to the
  site where the site has an address);
- the outputs a plain Jupyter shows (each figure as ``image/svg+xml`` and ``image/png``, each table and box
  as ``text/html``), without the book's own renderings, which the site builds from the same cells.

The notebooks are written after each build, only when the executions, the sources or the edition changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from sphinx.application import Sphinx

from ..render.outputs import FIGURE_MIME, MYST_MIME

BOOK_ONLY = (FIGURE_MIME, MYST_MIME)
FIRST_CELL = """**{title}**, a chapter of *{book}*, version {version} ({licence}), as a notebook with its outputs.

To run it: clone the book's repository, install it with `pip install -e .` in a Python 3.11 environment (or run
`make site`, which creates `.venv` and installs everything), then open this notebook with that environment's
Jupyter, or run it top to bottom with `jupyter execute {name}.ipynb`. It reads the data package in `data/` through
the `iotsurvey` package, so it can sit anywhere. Its figures appear here in their light, desktop rendering; the
book's site also draws them for dark mode, phones and print.{site}"""


def is_notebook(path: Path) -> bool:
    """A MyST Markdown notebook: a Markdown file whose front matter declares a Jupyter kernel."""
    if path.suffix != ".md" or not path.exists():
        return False
    head = path.read_text(encoding="utf-8")[:400]
    return head.startswith("---") and "kernelspec:" in head


def executed_notebooks(app: Sphinx):
    """(docname, notebook with its outputs) for each chapter in the execution cache."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    source = Path(app.srcdir).resolve()
    for record in cache.list_project_records():
        path = Path(record.uri).resolve()
        docname = path.relative_to(source).with_suffix("").as_posix() if path.is_relative_to(source) else None
        if docname not in app.env.titles:
            continue
        try:
            _, merged = cache.merge_match_into_notebook(cache.get_project_notebook(record.uri).nb)
        except KeyError:  # not executed (a failed run): the page offers no notebook
            continue
        yield docname, json.loads(nbformat.writes(merged))


# ---------------------------------------------------------------------------
# The prose: roles into words

ROLE = re.compile(r"\{(?P<name>[a-z:-]+)\}`(?P<body>[^`]*)`")
TARGET = re.compile(r"^\(([^()\s]+)\)=\s*$", re.M)
BIBLIOGRAPHY = re.compile(r"^```\{bibliography\}.*?^```\s*$", re.M | re.S)


class Words:
    """What a role says in a plain notebook: its value, title, number or citation, from the built site."""

    def __init__(self, app: Sphinx, docname: str, glued: dict, book):
        self.app, self.docname, self.glued, self.book = app, docname, glued, book
        self.citations = _citations(app)

    def __call__(self, match: re.Match) -> str:
        name, body = match["name"], match["body"]
        words, target = _split(body)
        if name.startswith("glue"):
            return self.glue(body)
        if name == "doc":
            doc = _resolve_doc(self.docname, target)
            title = words or (self.app.env.titles[doc].astext() if doc in self.app.env.titles else target)
            return self.link(title, doc + ".html")
        if name == "numref":
            return words or self.number(target)
        if name == "ref":
            return words or self.label_title(target)
        if name.startswith("cite"):
            return "; ".join(self.citations.get(key.strip(), key.strip()) for key in target.split(","))
        if name in ("book-download", "download"):
            return self.link(words or target, f"downloads/{target}" if name == "book-download" else "")
        return words or target  # {term} and the rest: the words

    def glue(self, body: str) -> str:
        from myst_nb.core.variables import format_plain_text

        key, spec = body.rsplit(":", 1) if ":" in body else (body, "")
        data = self.glued.get(key)
        if data is None or "text/plain" not in data:
            raise KeyError(f"{self.docname}: no glued value for {key!r}")
        return format_plain_text(data["text/plain"], spec or "s")

    def link(self, words: str, path: str) -> str:
        if self.book.url and path:
            return f"[{words}]({self.book.url}{path})"
        return words

    def number(self, label: str) -> str:
        env = self.app.env
        for kinds in env.toc_fignumbers.values():
            for kind, numbers in kinds.items():
                if label in numbers:
                    prefix = {"figure": "Figure", "table": "Table", "code-block": "Listing"}.get(kind, kind)
                    return f"{prefix} {'.'.join(map(str, numbers[label]))}"
        return label

    def label_title(self, label: str) -> str:
        found = self.app.env.get_domain("std").labels.get(label)
        return found[2] if found else label


def _split(body: str) -> tuple[str, str]:
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", body)
    return (match.group(1), match.group(2)) if match else ("", body)


def _resolve_doc(current: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    base = current.rsplit("/", 1)[0] if "/" in current else ""
    import posixpath

    return posixpath.normpath(posixpath.join(base, target)) if base else target


def _citations(app: Sphinx) -> dict[str, str]:
    """Each BibTeX key as "Author (year)", read with pybtex from the book's bibliography files."""
    from pybtex.database import parse_file

    found = {}
    for bibfile in app.config.bibtex_bibfiles:
        data = parse_file(str(Path(app.confdir) / bibfile))
        for key, entry in data.entries.items():
            people = entry.persons.get("author", [])
            names = [" ".join(p.last_names) for p in people] or [entry.fields.get("author", key).strip("{}")]
            who = names[0] + (" et al." if len(names) > 2 else f" and {names[1]}" if len(names) == 2 else "")
            found[key] = f"{who.replace('{', '').replace('}', '')} ({entry.fields.get('year', 'n.d.')})"
    return found


def downloadable(app: Sphinx, docname: str, notebook: dict, book) -> dict:
    """The executed chapter as a reader downloads it (see the module's description)."""
    glued = {}
    for cell in notebook["cells"]:
        kept = []
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap:
                prefix = scrap.get("mime_prefix", "")
                glued[scrap["name"]] = {k[len(prefix) :]: v for k, v in output["data"].items()}
                continue  # a glue record: its value goes into the prose
            if "data" in output:
                output["data"] = {k: v for k, v in output["data"].items() if k not in BOOK_ONLY}
                output["metadata"] = {k: v for k, v in output.get("metadata", {}).items() if k not in BOOK_ONLY}
            kept.append(output)
        if cell["cell_type"] == "code":
            cell["outputs"] = kept
    words = Words(app, docname, glued, book)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            text = BIBLIOGRAPHY.sub("*(The list of pages is on the book's site, at the end of this chapter.)*", text)
            text = TARGET.sub("", text)
            cell["source"] = ROLE.sub(words, text).strip("\n")
    # each figure's number and caption under it, as the page shows them (the cell's mystnb.figure metadata)
    cells = []
    for cell in notebook["cells"]:
        cells.append(cell)
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}) if cell["cell_type"] == "code" else {}
        if figure.get("name") and figure.get("caption"):
            caption = f"*{words.number(figure['name'])}: {ROLE.sub(words, figure['caption'])}*"
            cells.append({"cell_type": "markdown", "metadata": {}, "source": caption})
    notebook["cells"] = cells
    title = app.env.titles[docname].astext()
    site = f" The site: {book.url}{docname}.html" if book.url else ""
    first = {
        "cell_type": "markdown",
        "metadata": {},
        "source": FIRST_CELL.format(
            title=title,
            book=book.title,
            version=book.version,
            licence=book.licence,
            name=docname.rsplit("/", 1)[-1],
            site=site,
        ),
    }
    notebook["cells"] = [first, *notebook["cells"]]
    for k, cell in enumerate(notebook["cells"]):  # the reader gives random ids: number them, so rebuilds match
        cell["id"] = f"cell-{k}"
    notebook.setdefault("metadata", {}).pop("mystnb", None)
    return notebook


def _key(app: Sphinx, book) -> str:
    """What the notebooks depend on: the cached executions, the sources, the edition."""
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    records = sorted((r.pk, r.hashkey) for r in cache.list_cache_records())
    sources = sorted(
        (doc, hashlib.sha256(Path(app.env.doc2path(doc)).read_bytes()).hexdigest())
        for doc in app.env.titles
        if Path(app.env.doc2path(doc)).suffix == ".md"
    )
    text = json.dumps([str(app.srcdir), records, sources, book.version, book.url, book.title], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _write(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.config.nb_execution_mode != "cache":
        return
    from .pages import book_of

    out = Path(app.outdir)
    book = book_of(app)
    stamp = Path(app.doctreedir) / ".iotsurvey-notebooks"
    key = _key(app, book)
    wanted = [out / "_sources" / f"{d}.ipynb" for d in app.env.titles if is_notebook(Path(app.env.doc2path(d)))]
    if stamp.exists() and stamp.read_text(encoding="utf-8") == key and all(p.exists() for p in wanted):
        return
    for docname, notebook in executed_notebooks(app):
        target = out / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (
            json.dumps(downloadable(app, docname, notebook, book), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        )
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    stamp.write_text(key, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _write)
