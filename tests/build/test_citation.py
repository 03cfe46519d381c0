"""Citation: CITATION.cff is valid and agrees with the site's address; every page carries a generated citation."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import expected
from helpers.book import ROOT, TEST_SITE_URL, chapters

SCHEMA = ROOT / "tests" / "fixtures" / "citation-file-format-1.2.0.schema.json"


def cff() -> dict:
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # YAML reads dates as dates; the schema expects the text form
    return json.loads(json.dumps(data, default=str))


def test_citation_cff_is_valid_cff_1_2_0():
    jsonschema.validate(cff(), json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_citation_cff_has_what_a_citation_needs():
    c = cff()
    for field in ("title", "authors", "version", "date-released", "license", "preferred-citation"):
        assert c.get(field), field
    assert c["preferred-citation"]["publisher"]["name"]
    dt.date.fromisoformat(c["date-released"])


def test_the_repository_names_no_address_the_build_does():
    """The address is set once, at build time: the repository's CITATION.cff has none, the site's has the build's."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    baseurl = config["html"]["baseurl"]
    assert baseurl == "" or (baseurl.startswith("https://") and "example" not in baseurl)
    assert "url" not in cff() and "url" not in cff()["preferred-citation"]


def test_the_published_citation_cff_carries_the_build_address(site):
    published = yaml.safe_load((site / "CITATION.cff").read_text(encoding="utf-8"))
    published = json.loads(json.dumps(published, default=str))
    jsonschema.validate(published, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert published["url"] == published["preferred-citation"]["url"] == TEST_SITE_URL
    assert published["version"] == cff()["version"]


@pytest.mark.parametrize("doc", [d for d in chapters() if d != "index"])
def test_every_chapter_page_has_a_generated_citation(site, doc):
    c = cff()
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    block = soup.select_one("section#cite-this-chapter div.cite-this")
    assert block is not None, doc
    title = soup.select_one("main h1").get_text(" ", strip=True)
    title = re.sub(r"^[\d.]+\s*", "", title).rstrip("#").strip()
    url = TEST_SITE_URL + doc + ".html"
    reference = " ".join(block.select_one("p.cite-reference").get_text(" ").split())
    assert title in reference and c["title"] in reference and f"Version {c['version']}" in reference
    assert url in reference
    bibtex = block.select_one("pre").get_text()
    key = "iotsurveybook" + c["date-released"][:4] + "-" + doc.rsplit("/", 1)[-1]
    assert bibtex.startswith(f"@incollection{{{key},"), bibtex
    assert f"url       = {{{url}}}" in bibtex and f"title     = {{{title}}}" in bibtex


def test_every_citation_shown_on_a_page_is_the_one_its_bibtex_link_downloads(site):
    """One key, one citation: the how-to-cite page's figure example and the citation under the figure itself
    write the same file, so they must be the same item (the file once lost the figure's title that way)."""
    checked = 0
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for block in soup.select("div.cite-this, div.citation-example, div.cite-figure"):
            link = block.select_one('a.cite-file[href$=".bib"]')
            if link is None:
                continue
            shown = block.select_one("pre").get_text().strip()
            downloaded = (page.parent / link["href"]).resolve().read_text(encoding="utf-8").strip()
            assert shown == downloaded, f"{page.relative_to(site)}: {link['href']}"
            checked += 1
    assert checked > len(chapters())


def test_landing_page_cites_the_book(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    block = soup.select_one("section#cite-this-chapter")
    assert "Cite this book" in block.get_text()
    assert block.select_one("pre").get_text().startswith("@book{")


def untracked(url: str) -> str:
    """The address without the utm_ tracking parameters the pages were recorded with."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    return urlunsplit(parts._replace(query=urlencode(query, safe=",/:")))


def test_how_to_cite_page_has_every_form_and_the_sources(site):
    soup = BeautifulSoup((site / "chapters" / "how-to-cite.html").read_text(encoding="utf-8"), "html.parser")
    bibtex = [pre.get_text() for pre in soup.select("main pre")]
    kinds = [b.split("{", 1)[0] for b in bibtex]
    assert kinds.count("@book") >= 1 and kinds.count("@incollection") >= 2 and kinds.count("@misc") >= 1
    assert any("#fig-awareness}" in b for b in bibtex), "the figure example links the figure's anchor"
    sources = [untracked(row["url"]) for row in expected.table("sources")]
    hrefs = {a["href"] for a in soup.select(".citation-list a[href]")}
    assert set(sources) <= hrefs, "every source is in the bibliography"


def test_figures_and_tables_are_referenced_by_number(site):
    for doc in chapters():
        soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        targets = [f["id"] for f in soup.select("main figure[id]")]
        targets += [t["id"] for t in soup.select("main table[id]")]
        for target in targets:
            refs = soup.select(f'main a[href="#{target}"]:not(.headerlink)')
            assert refs, f"{doc}: {target} is never referred to with {{numref}}"
            assert re.match(r"(Figure|Table) \d+(\.\d+)?", refs[0].get_text()), refs[0].get_text()


def test_chapters_link_their_data_and_figure_files(site):
    for doc in chapters():
        if not (ROOT / f"{doc}.md").read_text(encoding="utf-8").startswith("---\njupytext") or doc == "index":
            continue
        soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        downloads = [a["href"] for a in soup.select("main a.download, main a.iot-download")]
        assert any(h.endswith("-findings.csv") for h in downloads), doc
        assert any(h.endswith("iot-survey-data-package.zip") for h in downloads), doc
        for figure in soup.select("main figure"):
            links = [a["href"] for a in figure.select("a.download, a.iot-download")]
            assert {h.rsplit(".", 1)[-1] for h in links} >= {"svg", "png", "csv"}, (doc, figure.get("id"))
        for href in downloads:
            assert (site / doc).parent.joinpath(href).resolve().exists(), (doc, href)


def test_data_package_download_is_the_data(site):
    zips = list(site.glob("downloads/iot-survey-data-package.zip"))
    assert len(zips) == 1
    with zipfile.ZipFile(zips[0]) as archive:
        names = set(archive.namelist())
        for path in sorted((ROOT / "data").glob("*.csv")) + [ROOT / "data" / "datapackage.json"]:
            member = f"iot-survey-data/{path.name}"
            assert member in names
            assert archive.read(member) == path.read_bytes()


def test_the_data_citation_points_at_the_published_zip(site):
    cff()
    soup = BeautifulSoup((site / "chapters" / "how-to-cite.html").read_text(encoding="utf-8"), "html.parser")
    entry = next(pre.get_text() for pre in soup.select("main pre") if "Data set" in pre.get_text())
    url = re.search(r"url\s*=\s*\{([^}]+)\}", entry).group(1)
    assert url.startswith(TEST_SITE_URL) and url.endswith("iot-survey-data-package.zip")
    assert (site / url[len(TEST_SITE_URL) :]).is_file(), url
