"""The edition: one address, citation metadata reference managers read, stable anchors.

The session's strict build publishes under TEST_SITE_URL (as the deploy workflow does with the real
address); the build without an address is in tests/slow/test_builds.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers.book import ROOT, TEST_SITE_URL, chapters

ANCHORS = ROOT / "tests" / "fixtures" / "anchors.txt"
PLACEHOLDERS = re.compile(r"example\.(org|com|net)", re.I)


def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def page(site: Path, doc: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, name: str) -> list[str]:
    return [m["content"] for m in soup.find_all("meta", attrs={"name": name})] + [
        m["content"] for m in soup.find_all("meta", attrs={"property": name})
    ]


def chapter_title(soup: BeautifulSoup) -> str:
    title = soup.select_one("main h1").get_text(" ", strip=True)
    return re.sub(r"^[\d.]+\s*", "", title).rstrip("#").strip()


# ---------------------------------------------------------------------------
# The address


def test_with_an_address_every_link_to_the_site_uses_it(site):
    for doc in chapters():
        soup = page(site, doc)
        url = TEST_SITE_URL + doc + ".html"
        assert soup.find("link", rel="canonical")["href"] == url, doc
        assert meta(soup, "og:url") == [url], doc
        assert meta(soup, "og:image")[0].startswith(TEST_SITE_URL + "_images/cards/"), doc
        if doc != "index":
            assert meta(soup, "citation_public_url") == [url], doc
        assert url in soup.select_one("div.cite-this").get_text() or doc == "index"
    locs = [loc.text for loc in ElementTree.parse(site / "sitemap.xml").getroot().iter() if loc.tag.endswith("loc")]
    assert {TEST_SITE_URL + doc + ".html" for doc in chapters()} == set(locs)
    assert f"Sitemap: {TEST_SITE_URL}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# What reference managers read


@pytest.mark.parametrize("doc", [d for d in chapters() if d != "index"])
def test_each_chapter_carries_highwire_tags_that_agree_with_citation_cff(site, doc):
    c, soup = cff(), page(site, doc)
    assert meta(soup, "citation_title") == [chapter_title(soup)]
    assert meta(soup, "citation_author") == [a["name"] for a in c["authors"]]
    assert meta(soup, "citation_inbook_title") == [c["title"]]
    assert meta(soup, "citation_publication_date") == [str(c["date-released"]).replace("-", "/")]
    assert meta(soup, "citation_version") == [str(c["version"])]
    assert meta(soup, "citation_publisher") == [c["preferred-citation"]["publisher"]["name"]]
    assert meta(soup, "citation_pdf_url") == [TEST_SITE_URL + "_downloads/iot-survey-book.pdf"]
    assert meta(soup, "twitter:card") == ["summary_large_image"]


def test_each_preview_card_is_a_1200_by_630_png_of_its_chapter(site):
    from PIL import Image

    for doc in chapters():
        soup = page(site, doc)
        card = meta(soup, "og:image")[0][len(TEST_SITE_URL) :]
        with Image.open(site / card) as image:
            assert image.format == "PNG" and image.size == (1200, 630), doc
            below_titles = image.convert("L").crop((0, 140, 1200, 630))  # the titles end above y = 140
            ink = sum(below_titles.histogram()[:200])  # pixels darker than light grey
        if soup.select_one("main figure img"):  # the chapter's first chart is on its card, not only its title
            assert ink > 2000, f"{doc}: the preview card shows no chart ({ink} dark pixels under the titles)"


def _downloaded(site: Path, doc: str) -> dict[str, str]:
    soup = page(site, doc)
    links = {a.get_text(): a["href"] for a in soup.select("div.cite-this a.cite-file")}
    base = (site / doc).parent
    return {name: (base / href).resolve().read_text(encoding="utf-8") for name, href in links.items()}


@pytest.mark.parametrize("doc", [d for d in chapters() if d != "index"])
def test_the_three_citation_files_say_the_same_as_the_bibtex(site, doc):
    import rispy
    from citeproc.source.json import CiteProcJSON
    from pybtex.database import parse_string

    files = _downloaded(site, doc)
    assert set(files) == {"BibTeX", "RIS", "CSL-JSON"}
    entry = next(iter(parse_string(files["BibTeX"], "bibtex").entries.values()))
    bib = {k.lower(): v for k, v in entry.fields.items()}
    ris = rispy.loads(files["RIS"])[0]
    csl = json.loads(files["CSL-JSON"])
    CiteProcJSON(csl)  # a CSL processor reads it
    csl = csl[0]
    c = cff()
    assert entry.type == "incollection" and ris["type_of_reference"] == "CHAP" and csl["type"] == "chapter"
    assert bib["title"] == ris["title"] == csl["title"] == chapter_title(page(site, doc))
    assert bib["booktitle"] == ris["secondary_title"] == csl["container-title"] == c["title"]
    assert bib["publisher"] == ris["publisher"] == csl["publisher"]
    assert bib["version"] == csl["version"] == str(c["version"])
    assert ris["edition"] == f"Version {c['version']}", "RIS has no version tag: the words make APA say (Version ...)"
    number = page(site, doc).select_one("main h1 .section-number")
    if number is not None:
        n = number.get_text().strip().rstrip(".")
        assert bib["chapter"] == csl["chapter-number"] == n and ris["section"] == f"Chapter {n}"
    assert bib["url"] == ris["urls"][0] == csl["URL"] == TEST_SITE_URL + doc + ".html"
    assert bib["urldate"] == "-".join(f"{p:02d}" for p in csl["accessed"]["date-parts"][0])
    assert bib["year"] == ris["year"] == str(csl["issued"]["date-parts"][0][0])
    authors = [str(p) for p in entry.persons["author"]]
    assert [a.strip("{}") for a in authors] == ris["authors"] == [a["literal"] for a in csl["author"]]
    assert "edition" not in bib, "the version is a version field, not an edition"


def test_the_apa_text_is_citeprocs(site):
    """The reference shown is what citeproc-py makes of the CSL-JSON item with the APA style."""
    from iotsurvey.site import citation

    files = _downloaded(site, "chapters/awareness")
    record = json.loads(files["CSL-JSON"])[0]
    shown = " ".join(page(site, "chapters/awareness").select_one("div.cite-this p.cite-reference").get_text().split())
    assert shown == " ".join(citation.apa(record).replace("*", "").split())
    assert f"(Version {cff()['version']}, Chapter 3)" in shown


# ---------------------------------------------------------------------------
# What Zotero stores


def zotero_from_coins(context_object: str) -> dict:
    """What Zotero makes of a page's COinS: a faithful reimplementation of the type and creator logic of its
    OpenURL parser (Zotero.Utilities.parseContextObject, as the COinS translator calls it) for the keys the
    book writes.  Zotero prefers COinS (translator priority 300) to the meta tags (Embedded Metadata, 320)."""
    from urllib.parse import parse_qsl

    pairs = parse_qsl(context_object, keep_blank_values=False)
    keys = dict(pairs)
    item: dict = {"creators": []}
    if keys.get("rft_val_fmt") == "info:ofi/fmt:kev:mtx:book":
        item["itemType"] = "bookSection" if ("rft.genre", "bookitem") in pairs else "book"
    for key, value in pairs:
        if key == "rft.btitle":
            item["title" if item["itemType"] == "book" else "bookTitle"] = value
        elif key == "rft.atitle" and item["itemType"] == "bookSection":
            item["title"] = value
        elif key == "rft.aucorp":
            item["creators"].append({"lastName": value, "fieldMode": 1, "creatorType": "author"})
        elif key in ("rft.au", "rft.aulast", "rft.aufirst"):
            item["creators"].append({"personal": value})
        elif key == "rft.edition":
            item["edition"] = value
        elif key in ("rft.pub", "rft.publisher"):
            item["publisher"] = value
        elif key == "rft.date":
            item["date"] = value
        elif key == "rft_id" and value.startswith("http"):
            item["url"] = value
    return item


def coins(soup: BeautifulSoup) -> list[str]:
    return [span["title"] for span in soup.select("span.Z3988[title]")]


@pytest.mark.parametrize("doc", ["index", "chapters/awareness", "chapters/how-to-cite"])
def test_zotero_stores_an_institutional_author_a_book_or_book_section_and_the_version(site, doc):
    c, soup = cff(), page(site, doc)
    found = coins(soup)
    assert len(found) == 1, "one COinS per page: two would make Zotero ask which item to save"
    item = zotero_from_coins(found[0])
    assert item["itemType"] == ("book" if doc == "index" else "bookSection")
    assert item["creators"] == [{"lastName": a["name"], "fieldMode": 1, "creatorType": "author"} for a in c["authors"]]
    assert item["edition"] == f"Version {c['version']}", "APA prints (Version ...) from the edition's words"
    assert item["url"] == (TEST_SITE_URL if doc == "index" else TEST_SITE_URL + doc + ".html")
    if doc != "index":
        assert item["title"] == chapter_title(soup) and item["bookTitle"] == c["title"]
    else:
        assert item["title"] == c["title"]


# ---------------------------------------------------------------------------
# Editions


def test_the_version_is_set_once_and_shown_everywhere(site):
    version = str(cff()["version"])
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for name in tracked:
        # pyproject.toml names the package's version, kept equal to CITATION.cff's by tests/unit/test_maintenance.py
        if name.endswith((".py", ".md", ".yml", ".toml")) and name not in ("CHANGELOG.md", "pyproject.toml"):
            assert f'"{version}"' not in (ROOT / name).read_text(encoding="utf-8"), f"{name} repeats the version"
    soup = page(site, "chapters/risk")
    assert f"Version {version}" in soup.select_one("footer.bd-footer-content, .bd-footer-content").get_text()
    assert f"## {version} (" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"version {version} of the book" in page(site, "chapters/how-to-cite").get_text()


def _anchors(site: Path) -> set[str]:
    found = set()
    for doc in chapters():
        soup = page(site, doc)
        found.add(f"{doc}.html")
        for element in soup.select("main [id]"):  # a renamed section keeps its old address as a target
            found.add(f"{doc}.html#{element['id']}")
    return found


def test_no_address_of_the_previous_edition_disappears(site):
    """Every chapter, section, figure and table address in tests/fixtures/anchors.txt still exists.

    New addresses are welcome; to keep them from now on, add them to the file
    (``python tests/build/test_edition.py <site folder>`` prints the current list).
    """
    kept = {
        line.strip()
        for line in ANCHORS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    missing = sorted(kept - _anchors(site))
    assert not missing, f"addresses of the previous edition that this build breaks: {missing}"


if __name__ == "__main__":
    print("\n".join(sorted(_anchors(Path(sys.argv[1])))))
