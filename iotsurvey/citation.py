"""How to cite the book, a chapter or a figure, generated from CITATION.cff.

CITATION.cff is the single record of the book's title, authors, version and
date; the site's address is ``html.baseurl`` in ``_config.yml``, and the tests
check that CITATION.cff repeats it.  The Sphinx extension calls
:func:`for_page` for every page, so no page carries a hand-typed citation.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CFF = ROOT / "CITATION.cff"


@dataclass(frozen=True)
class Book:
    title: str
    authors: tuple[str, ...]
    version: str
    released: _dt.date
    url: str  # the site's address, ending in "/"
    licence: str

    @property
    def year(self) -> int:
        return self.released.year

    @property
    def key_stem(self) -> str:
        """The start of every BibTeX key: stable across versions, e.g. "iotsurveybook"."""
        return "iotsurveybook"


def _author_name(author: dict) -> str:
    if "name" in author:
        return author["name"]
    return " ".join(p for p in (author.get("given-names"), author.get("family-names")) if p)


def load(path: Path = CFF, site_url: str | None = None) -> Book:
    """The book's metadata from CITATION.cff (the site address from ``site_url`` if given)."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    released = cff["date-released"]
    if isinstance(released, str):
        released = _dt.date.fromisoformat(released)
    url = site_url or cff["url"]
    return Book(title=cff["title"], authors=tuple(_author_name(a) for a in cff["authors"]),
                version=str(cff["version"]), released=released, url=url.rstrip("/") + "/",
                licence=cff.get("license", ""))


def _authors_apa(book: Book) -> str:
    """Authors as APA lists them, ending in a full stop: "A, B, & C." """
    names = list(book.authors)
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    return text if text.endswith(".") else text + "."


def _bib_authors(book: Book) -> str:
    # a group author goes in double braces so BibTeX does not split it into first and last names
    return " and ".join("{" + a + "}" if " " in a and "," not in a else a for a in book.authors)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Citation:
    reference: str  # ready to paste, APA-like, plain text with the title in *...*
    bibtex: str
    key: str
    url: str


def _bibtex(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    """A BibTeX entry with its fields aligned, in the order given."""
    width = max(len(name) for name, _ in fields)
    lines = [f"  {name.ljust(width)} = {{{value}}}" for name, value in fields]
    return f"@{kind}{{{key},\n" + ",\n".join(lines) + "\n}"


def for_book(book: Book) -> Citation:
    key = f"{book.key_stem}{book.year}"
    reference = f"{_authors_apa(book)} ({book.year}). *{book.title}* (Version {book.version}). {book.url}"
    bibtex = _bibtex("book", key, [("author", _bib_authors(book)), ("title", book.title), ("year", str(book.year)),
                                   ("edition", f"Version {book.version}"), ("url", book.url)])
    return Citation(reference, bibtex, key, book.url)


def for_page(book: Book, docname: str, title: str, anchor: str = "", label: str = "") -> Citation:
    """The citation of one chapter: its title, the book, the version and the chapter's own address.

    With ``anchor`` (a figure's or table's name) and ``label`` ("Fig. 3.1") it
    cites that figure: the same chapter, the figure's number, its address.
    """
    if docname in ("index", "") and not anchor:
        return for_book(book)
    url = book.url + docname + ".html" + (f"#{anchor}" if anchor else "")
    key = f"{book.key_stem}{book.year}-{slug(docname.rsplit('/', 1)[-1])}" + (f"-{slug(anchor)}" if anchor else "")
    part = f"{title}, {label}" if label else title
    reference = f"{_authors_apa(book)} ({book.year}). {part}. In *{book.title}* (Version {book.version}). {url}"
    bibtex = _bibtex("incollection", key, [("author", _bib_authors(book)), ("title", part), ("booktitle", book.title),
                                           ("year", str(book.year)), ("edition", f"Version {book.version}"),
                                           ("url", url)])
    return Citation(reference, bibtex, key, url)


def for_figure(book: Book, docname: str, chapter_title: str, figure_name: str, caption_number: str) -> Citation:
    """A figure is cited as its chapter, with the figure's number and anchor."""
    return for_page(book, docname, chapter_title, anchor=figure_name, label=caption_number)


def for_data(book: Book, package: dict, download_path: str) -> Citation:
    """The data package: its own title and version, published as part of the book.

    ``download_path`` is where the site serves the ZIP, relative to the site's root.
    """
    url = book.url + download_path
    version = package.get("version", book.version)
    key = f"{book.key_stem}{book.year}-data"
    reference = (f"{_authors_apa(book)} ({book.year}). *{package['title']}* (Version {version}) [Data set]. "
                 f"In {book.title}. {url}")
    bibtex = _bibtex("misc", key, [("author", _bib_authors(book)), ("title", package["title"]),
                                   ("year", str(book.year)), ("version", version),
                                   ("howpublished", f"Data set, part of {book.title}"), ("url", url)])
    return Citation(reference, bibtex, key, url)
