"""The edition: one version and one address for the whole build, and the PDF edition.

- The version, release date and authors come from CITATION.cff (read by
  :mod:`iotsurvey.citation`); this module hands them to Sphinx so the page
  footer, the PDF title page and every citation show the same version.
- The site's address is ``html.baseurl`` in ``_config.yml``, or the environment
  variable ``BOOK_URL`` when set (the deploy workflow sets it).  With neither,
  the build says so once and citations carry no address.
- The PDF edition (``make pdf``: Sphinx's LaTeX builder through XeLaTeX) is
  numbered like the site: the front page's sections are unnumbered, as are the
  pages of "About this book"; chapters, sections, figures and tables carry the
  site's numbers.  Each chart appears once, in its light, wide rendering.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging

from . import citation
from .pages import _book

LOGGER = sphinx_logging.getLogger(__name__)
URL_ENV = "BOOK_URL"  # overrides html.baseurl at build time
PDF_NAME = "iot-survey-book.pdf"
PDF_DOWNLOAD = "_downloads/" + PDF_NAME  # where the site serves the PDF, relative to its root


def site_url(config) -> str:
    """The site's address, ending in "/", or "" when none is set."""
    url = os.environ.get(URL_ENV, "").strip() or (config.html_baseurl or "").strip()
    return url.rstrip("/") + "/" if url else ""


def _set_edition(app: Sphinx, config) -> None:
    url = site_url(config)
    config.html_baseurl = url
    if not url:
        LOGGER.info(
            f"iotsurvey: no site address (html.baseurl or {URL_ENV}): citations, canonical links and "
            "the sitemap carry no URL"
        )
    book = citation.load(site_url=url)
    config.version = config.release = book.version
    config.today = book.released.strftime("%-d %B %Y")
    config.latex_elements = {
        **config.latex_elements,
        "releasename": "Version",
        # Sphinx names the contents after the first part's caption; the book's contents are "Contents"
        "preamble": config.latex_elements.get("preamble", "") + CONTENTS_NAME,
    }
    # sphinxext-opengraph and sphinx-sitemap read the same address
    config.ogp_site_url = url
    config.ogp_site_name = book.title
    config.ogp_social_cards = {"enable": False}  # each page's card is its first chart (below)
    config.ogp_enable_meta_description = False  # the page already has one
    config.sitemap_url_scheme = "{link}"
    # for the prose: {{ book_version }}, {{ book_released }}, {{ book_year }}, {{ book_authors }}
    config.myst_substitutions = {
        **config.myst_substitutions,
        "book_version": book.version,
        "book_released": config.today,
        "book_year": str(book.year),
        "book_authors": ", ".join(book.authors),
    }
    config.sitemap_excludes = ["genindex.html", "search.html"]
    # the page footer names the version and its date (the theme's extra_footer is raw HTML)
    config.html_theme_options = {
        **config.html_theme_options,
        "extra_footer": f'<p class="iot-edition">Version {html.escape(book.version)}, released '
        f"{html.escape(config.today)}.</p>",
    }
    if not url:
        config.suppress_warnings = [*config.suppress_warnings, "sitemap.configuration"]


# ---------------------------------------------------------------------------
# PDF numbering

UNNUMBERED = (
    r"\setcounter{secnumdepth}{-1}\renewcommand{\thefigure}{\arabic{figure}}"
    r"\renewcommand{\thetable}{\arabic{table}}"
)
NUMBERED = (
    r"\setcounter{secnumdepth}{2}\renewcommand{\thefigure}{\thechapter.\arabic{figure}}"
    r"\renewcommand{\thetable}{\thechapter.\arabic{table}}"
)


CONTENTS_NAME = "\n\\addto\\captionsenglish{\\renewcommand{\\contentsname}{Contents}}\n"
FIGURE_MAX_HEIGHT_CM = 16.0  # a chart and its caption fit one page (text area about 16.5 x 22 cm)
TEXT_WIDTH_CM = 16.5
WIDE_TABLE_COLUMNS = 7  # from this many columns a table is set in a smaller font


def _svg_ratio(path: Path) -> float | None:
    """Height over width of an SVG drawn by matplotlib (its width and height attributes, in pt)."""
    if not path.exists():
        return None
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    width, height = re.search(r'width="([\d.]+)pt"', head), re.search(r'height="([\d.]+)pt"', head)
    return float(height.group(1)) / float(width.group(1)) if width and height else None


def _fit_figure(app: Sphinx, image: nodes.image) -> None:
    """A chart taller than a page is scaled to the page's height, keeping its shape."""
    stem = Path(image.get("candidates", {}).get("image/svg+xml", image["uri"])).stem
    ratio = _svg_ratio(Path(app.srcdir) / "_build" / "figures" / f"{stem}.svg")
    if ratio and ratio * TEXT_WIDTH_CM > FIGURE_MAX_HEIGHT_CM:
        image.attributes.pop("width", None)
        image["height"] = f"{FIGURE_MAX_HEIGHT_CM}cm"


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
    # each chart once: its light, wide rendering
    for image in list(doctree.findall(nodes.image)):
        classes = image.get("classes", [])
        if "iot-look" in classes and not {"iot-wide", "iot-light"} <= set(classes):
            image.parent.remove(image)
        elif "iot-look" in classes:
            _fit_figure(app, image)
    for table in list(doctree.findall(nodes.table)):
        _fit_columns(table)
        group = next(iter(table.findall(nodes.tgroup)), None)
        if group is not None and int(group.get("cols", 0)) >= WIDE_TABLE_COLUMNS:
            index = table.parent.index(table)
            table.parent.insert(index + 1, _latex("\\endgroup"))
            table.parent.insert(index, _latex("\\begingroup\\footnotesize"))
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


def _fit_columns(table: nodes.table) -> None:
    """Column widths from the cells' text, and a table that may break across pages.

    Sphinx gives Markdown tables equal columns; on paper a column of grades
    beside a column of sentences then wraps a word a line.  Each column gets a
    share of the width from its typical cell length, never less than its
    longest word needs.
    """
    group = next(iter(table.findall(nodes.tgroup)), None)
    if group is None:
        return
    specs = [c for c in group.children if isinstance(c, nodes.colspec)]
    rows = [row for row in group.findall(nodes.row)]
    if not specs or not rows:
        return
    weights = []
    for k in range(len(specs)):
        cells = [row.children[k].astext() for row in rows if k < len(row.children)]
        longest_word = max((len(w) for text in cells for w in text.split()), default=4)
        typical = sorted(len(text) for text in cells)[len(cells) * 3 // 4] if cells else 4
        weights.append(max(min(typical, 70), longest_word + 1, 5))
    for spec, weight in zip(specs, weights, strict=False):
        spec["colwidth"] = weight
    table["classes"] = [*table.get("classes", []), "colwidths-given", "longtable"]


# ---------------------------------------------------------------------------
# What reference managers, search engines and social sites read


def highwire_tags(book: citation.Book, title: str, docname: str, is_root: bool) -> list[tuple[str, str]]:
    """The Highwire Press ``citation_*`` tags that Zotero, Mendeley and Google Scholar read."""
    tags = [("citation_title", book.title if is_root else title)]
    tags += [("citation_author", a) for a in book.authors]
    tags += [
        ("citation_publication_date", book.released.strftime("%Y/%m/%d")),
        ("citation_publisher", book.publisher),
        ("citation_version", book.version),
    ]
    if not is_root:
        tags.append(("citation_inbook_title", book.title))
    if book.url:
        tags += [
            ("citation_public_url", book.url + ("" if is_root else docname + ".html")),
            ("citation_pdf_url", book.url + PDF_DOWNLOAD),
        ]
    tags.append(("citation_language", "en"))
    return tags


CARD_SIZE = (1200, 630)
CARD_FOLDER = "_images/cards"


def first_chart(doctree) -> str | None:
    """The light, wide rendering of the page's first chart (its source path, as the page's image uri)."""
    for image in doctree.findall(nodes.image) if doctree is not None else ():
        if {"iot-look", "iot-wide", "iot-light"} <= set(image.get("classes", [])):
            return image["uri"]
    return None


def card_name(docname: str) -> str:
    return docname.replace("/", "-") + ".png"


def _write_cards(app: Sphinx, book: citation.Book) -> None:
    """Every page's preview card, made again when missing or older than its chart."""
    for docname in sorted(app.env.found_docs):
        card = Path(app.outdir) / CARD_FOLDER / card_name(docname)
        chart = first_chart(app.env.get_doctree(docname))
        png = (Path(app.srcdir) / chart).with_suffix(".png") if chart else None
        if card.exists() and (png is None or not png.exists() or png.stat().st_mtime <= card.stat().st_mtime):
            continue
        title = app.env.titles[docname].astext() if docname in app.env.titles else book.title
        write_card(card, title, book.title, png)


def write_card(card: Path, title: str, book_title: str, chart_png: Path | None) -> None:
    """A 1200x630 preview: the book's and the chapter's titles over the chapter's first chart."""
    from matplotlib import get_data_path
    from PIL import Image, ImageDraw, ImageFont

    fonts = Path(get_data_path()) / "fonts" / "ttf"
    image = Image.new("RGB", CARD_SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.text((48, 36), book_title, fill="#444444", font=ImageFont.truetype(str(fonts / "DejaVuSans.ttf"), 28))
    draw.text((48, 76), title, fill="#111111", font=ImageFont.truetype(str(fonts / "DejaVuSans-Bold.ttf"), 44))
    if chart_png is not None and chart_png.exists():
        chart = Image.open(chart_png).convert("RGB")
        box = (CARD_SIZE[0] - 96, CARD_SIZE[1] - 160)
        chart.thumbnail(box, Image.LANCZOS)
        image.paste(chart, ((CARD_SIZE[0] - chart.width) // 2, 140))
    card.parent.mkdir(parents=True, exist_ok=True)
    image.save(card, optimize=True)


def _page_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Before the theme and sphinxext-opengraph fill the page's head: citation tags, card, notebook."""
    if doctree is None or pagename in ("genindex", "search"):
        return
    book = _book(app)
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else book.title
    tags = highwire_tags(book, title, pagename, pagename == app.config.root_doc)
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta name="{name}" content="{html.escape(value)}" />' for name, value in tags
    )
    if context.get("meta") is None:
        context["meta"] = {}
    meta = context["meta"]
    if not book.url:
        meta["ogp_disable"] = True  # social tags need the address
    else:
        chart = first_chart(doctree)
        meta["og:image"] = f"{CARD_FOLDER}/{card_name(pagename)}"  # written at the end of the build
        meta["og:image:width"], meta["og:image:height"] = map(str, CARD_SIZE)
        meta["og:image:alt"] = f"{title}: " + ("its first chart" if chart else "a chapter of " + book.title)
        context["metatags"] += '\n<meta name="twitter:card" content="summary_large_image" />'
    from .sphinxext import is_notebook  # noqa: PLC0415 (the extension imports this module)

    if is_notebook(Path(app.srcdir) / f"{pagename}.md"):
        context["ipynb_source"] = pagename + ".ipynb"


def _pdf_in_download_menu(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The theme's ".pdf" entry prints the page; the menu offers the PDF edition of the whole book instead.

    Only when the PDF has been built (`make pdf`, which the deploy runs first): a site built alone keeps
    the theme's print entry rather than link a file that is not there.
    """
    if not (Path(app.outdir).parent / "latex" / PDF_NAME).exists():
        return
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if group.get("label") == "download-buttons" else []:
            if button.get("label") == "download-pdf-button":
                button.update(
                    {
                        "type": "link",
                        "url": context["pathto"](PDF_DOWNLOAD, 1),
                        "text": "PDF edition",
                        "tooltip": "The whole book as one PDF, with page numbers",
                    }
                )
                button.pop("javascript", None)


# ---------------------------------------------------------------------------
# Files beside the pages

NOTEBOOK_NOTE = """**Running this notebook.** It is the chapter "{title}" of *{book}*, version {version}, with its
outputs. It needs the book's Python module `iotsurvey` and its `data/` folder, both in the book's
repository: clone it, run `make site` once (it creates `.venv` with the pinned packages), save this file
anywhere inside the clone (for example in `chapters/`), and open it with that environment's Python, or
run it with `.venv/bin/jupyter execute <file>.ipynb`. The first code cell finds the clone from the
notebook's folder."""

FIND_THE_BOOK = """# Find the book's repository (the folder with iotsurvey/ and data/) from this notebook's folder
import pathlib, sys
_root = next(p for p in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents] if (p / "iotsurvey" / "book.py").exists())
sys.path.insert(0, str(_root))"""


def executed_notebooks(app: Sphinx):
    """(docname, notebook with its outputs) for each chapter in the execution cache."""
    if app.config.nb_execution_mode != "cache":
        return
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
        except KeyError:  # not executed yet (a failed run): the page offers no notebook
            continue
        yield docname, json.loads(nbformat.writes(merged))


def _notebooks_key(app: Sphinx, book: citation.Book) -> str:
    """What the downloadable notebooks depend on: the cached executions, the sources, the edition."""
    import hashlib

    if app.config.nb_execution_mode != "cache":
        return ""
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    records = sorted((r.pk, r.hashkey) for r in cache.list_cache_records())
    sources = sorted(
        (doc, Path(app.env.doc2path(doc)).stat().st_mtime_ns)
        for doc in app.env.titles
        if Path(app.env.doc2path(doc)).suffix == ".md"
    )
    text = json.dumps([str(app.srcdir), records, sources, book.version, book.title], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def downloadable_notebook(notebook: dict, title: str, book: citation.Book) -> dict:
    """The executed chapter with a note on running it and a first cell that finds the book's module."""
    note = {
        "cell_type": "markdown",
        "metadata": {},
        "source": NOTEBOOK_NOTE.format(title=title, book=book.title, version=book.version),
    }
    find = {
        "cell_type": "code",
        "metadata": {"tags": ["find-the-book"]},
        "source": FIND_THE_BOOK,
        "outputs": [],
        "execution_count": None,
    }
    notebook["cells"] = [note, find, *notebook["cells"]]
    for k, cell in enumerate(notebook["cells"]):  # jupytext draws random ids: number them, so rebuilds match
        cell["id"] = f"cell-{k}"
    return notebook


def _write_edition_files(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    book = _book(app)
    if book.url:
        _write_cards(app, book)
    # robots.txt, and the sitemap's address when there is one
    robots = "User-agent: *\nAllow: /\n" + (f"Sitemap: {book.url}sitemap.xml\n" if book.url else "")
    (out / "robots.txt").write_text(robots, encoding="utf-8")
    # CITATION.cff as published: the repository's, with the address of this build
    cff = yaml.safe_load(citation.CFF.read_text(encoding="utf-8"))
    if book.url:
        cff["url"] = cff.setdefault("preferred-citation", {})["url"] = book.url
    repository = os.environ.get("BOOK_REPOSITORY", "").strip()
    if repository:
        cff["repository-code"] = repository
    text = yaml.safe_dump(json.loads(json.dumps(cff, default=str)), sort_keys=False, allow_unicode=True)
    (out / "CITATION.cff").write_text(text, encoding="utf-8")
    # each chapter as an executed notebook, beside its MyST source (outputs from the execution cache);
    # merging outputs takes a second, so it is done only when the cache or the edition changed
    stamp = out.parent / ".notebooks-stamp"  # beside the site, not in it
    key = _notebooks_key(app, book)
    from .sphinxext import is_notebook

    wanted = [out / "_sources" / f"{d}.ipynb" for d in app.env.titles if is_notebook(Path(app.env.doc2path(d)))]
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == key and all(p.exists() for p in wanted)):
        for docname, notebook in executed_notebooks(app):
            target = out / "_sources" / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            notebook = downloadable_notebook(notebook, app.env.titles[docname].astext(), book)
            text = json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
        stamp.write_text(key, encoding="utf-8")
    pdf = Path(app.outdir).parent / "latex" / PDF_NAME
    if pdf.exists():
        (out / PDF_DOWNLOAD).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(pdf, out / PDF_DOWNLOAD)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _set_edition, priority=50)
    app.connect("doctree-resolved", _number_like_the_site)
    app.connect("html-page-context", _page_tags, priority=400)
    app.connect("html-page-context", _pdf_in_download_menu, priority=502)
    app.connect("build-finished", _write_edition_files)
