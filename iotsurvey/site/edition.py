"""The edition: one version, one address and one licence for the whole build, and what reference managers,
search engines and social sites read.

- The version, release date, authors and licence come from CITATION.cff (read by
  :mod:`iotsurvey.site.citation`); this module hands them to Sphinx so that the page footer, the PDF title
  page and every citation show the same version, and every page states the licence.
- The site's address is ``html.baseurl`` in ``_config.yml``, or the environment variable ``BOOK_URL`` when set
  (the deploy workflow sets it).  With neither, the build says so once and citations carry no address.
- Every page carries Highwire Press ``citation_*`` tags (Zotero, Mendeley, Google Scholar) and, with an
  address, OpenGraph and Twitter tags written beside them and a preview card of its first chart.  Not
  sphinxext-opengraph: it imports matplotlib into every Sphinx run (0.55 s here, a quarter of a
  nothing-changed rebuild) for cards the book draws from its own charts.
"""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging as sphinx_logging

from . import citation
from .notebooks import is_notebook
from .pages import book_of, description_of
from .pdf import CONTENTS_NAME, PDF_DOWNLOAD, PDF_NAME

LOGGER = sphinx_logging.getLogger(__name__)
URL_ENV = "BOOK_URL"  # overrides html.baseurl at build time
LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")


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
    # for the pages' {only} blocks: what this build has, so that no page promises what it lacks
    if url:
        app.tags.add("book_address")
    if (Path(app.outdir).parent / "latex" / PDF_NAME).exists() or Path(app.outdir).name == "latex":
        app.tags.add("book_pdf")
    config.version = config.release = book.version
    config.today = book.released.strftime("%-d %B %Y")
    config.latex_elements = {
        **config.latex_elements,
        "releasename": "Version",
        # Sphinx names the contents after the first part's caption; the book's contents are "Contents"
        # the title page states the licence under the version, as every page of the site does in its footer
        "preamble": config.latex_elements.get("preamble", "")
        + CONTENTS_NAME
        + f"\\setreleaseinfo{{\\par\\normalsize\\upshape Text, figures and data: {LICENCE[0]}; code: MIT.}}\n",
    }
    # sphinx-sitemap reads the same address
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
    # the page footer names the version, its date and the licence (and, per page, links the PDF: _footer below)
    edition = f"Version {html.escape(book.version)}, released {html.escape(config.today)}."
    licence = f'Text, figures and data: <a href="{LICENCE[1]}">{LICENCE[0]}</a>; code: MIT.'
    config.html_theme_options = {
        **config.html_theme_options,
        "extra_footer": f'<p class="iot-edition">{edition} {licence}</p>',
    }
    if not url:
        config.suppress_warnings = [*config.suppress_warnings, "sitemap.configuration"]


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
        if {"iot-wide", "only-light"} <= set(image.get("classes", [])):
            return image["uri"]
    return None


def card_name(docname: str) -> str:
    return docname.replace("/", "-") + ".png"


def _write_cards(app: Sphinx, book: citation.Book) -> None:
    """Every page's preview card, made again when missing or older than its chart."""
    for docname in sorted(app.env.found_docs):
        card = Path(app.outdir) / CARD_FOLDER / card_name(docname)
        chart = first_chart(app.env.get_doctree(docname))
        # the chart's PNG lies beside its renderings: fig-x-wide-light.svg -> fig-x.png
        png = (
            (Path(app.srcdir) / chart.lstrip("/")).with_name(Path(chart).stem.removesuffix("-wide-light") + ".png")
            if chart
            else None
        )
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
    """Before the theme fills the page's head: citation tags, with an address social tags and a card, and the
    chapter's notebook for the theme's download menu (its ``ipynb_source``)."""
    if doctree is None or pagename in ("genindex", "search"):
        return
    book = book_of(app)
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else book.title
    tags = highwire_tags(book, title, pagename, pagename == app.config.root_doc)
    if book.url:
        chart = first_chart(doctree)
        tags += [
            ("og:title", title),
            ("og:type", "book" if pagename == app.config.root_doc else "article"),
            ("og:url", book.url + pagename + ".html"),  # the canonical address, as Sphinx gives it
            ("og:site_name", book.title),
            ("og:description", description_of(app, pagename)),
            ("og:image", f"{book.url}{CARD_FOLDER}/{card_name(pagename)}"),  # written at the end of the build
            ("og:image:width", str(CARD_SIZE[0])),
            ("og:image:height", str(CARD_SIZE[1])),
            ("og:image:alt", f"{title}: " + ("its first chart" if chart else "a chapter of " + book.title)),
            ("twitter:card", "summary_large_image"),
        ]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta {"property" if name.startswith("og:") else "name"}="{name}" content="{html.escape(value)}" />'
        for name, value in tags
    )
    if is_notebook(Path(app.env.doc2path(pagename))):
        context["ipynb_source"] = pagename + ".ipynb"


def _footer(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The footer links the PDF edition, relative to the page, once the PDF is built (``make pdf``)."""
    if (Path(app.outdir).parent / "latex" / PDF_NAME).exists() and "theme_extra_footer" in context:
        link = f' <a href="{context["pathto"](PDF_DOWNLOAD, 1)}">The PDF edition</a>.</p>'
        context["theme_extra_footer"] = context["theme_extra_footer"].removesuffix("</p>") + link


# ---------------------------------------------------------------------------
# Files beside the pages


def _write_edition_files(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    book = book_of(app)
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
    pdf = Path(app.outdir).parent / "latex" / PDF_NAME
    if pdf.exists():
        (out / PDF_DOWNLOAD).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(pdf, out / PDF_DOWNLOAD)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _set_edition, priority=50)
    app.connect("html-page-context", _page_tags, priority=400)
    app.connect("html-page-context", _footer)
    app.connect("build-finished", _write_edition_files)
