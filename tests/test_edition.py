"""The edition: one address, citation metadata reference managers read, the PDF, notebooks, stable anchors.

The session's strict build publishes under TEST_SITE_URL (as the deploy workflow does with the real
address); one more build here has no address at all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import JUPYTER_BOOK, ROOT, TEST_SITE_URL, build, copy_book
from test_build import chapters

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


@pytest.fixture(scope="module")
def unaddressed(strict_build, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The book built with no address (no html.baseurl, no BOOK_URL), reusing the strict build's executions."""
    folder = copy_book(tmp_path_factory.mktemp("unaddressed") / "book")
    shutil.copytree(
        strict_build / "_build", folder / "_build", ignore=shutil.ignore_patterns("html", "latex", ".doctrees")
    )
    result = build(folder, url=None)
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "_build" / "html", result


def test_without_an_address_no_page_shows_one_and_the_build_says_so_once(unaddressed):
    site, result = unaddressed
    said = (result.stdout + result.stderr).count("no site address")
    assert said == 1, f"the build should say once that it has no address (said {said} times)"
    for path in site.rglob("*"):
        if path.suffix in (".html", ".txt", ".xml", ".bib", ".ris", ".json", ".cff") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not PLACEHOLDERS.search(text), f"{path.relative_to(site)} names a placeholder address"
    soup = page(site, "chapters/awareness")
    reference = soup.select_one("div.cite-this p.cite-reference")
    assert reference.find("a") is None and "http" not in reference.get_text()
    assert "url" not in soup.select_one("div.cite-this pre").get_text()
    assert soup.find("link", rel="canonical") is None and not meta(soup, "og:url")
    assert not meta(soup, "citation_public_url")
    assert not (site / "sitemap.xml").exists()
    assert "Sitemap" not in (site / "robots.txt").read_text(encoding="utf-8")


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


def test_the_deploy_workflow_is_a_valid_github_workflow():
    workflow = ROOT / ".github" / "workflows" / "pages.yml"
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    build_step = next(s for s in steps if "make" in s.get("run", ""))
    assert "pdf" in build_step["run"] and "site" in build_step["run"]
    assert "steps.pages.outputs.base_url" in build_step["env"]["BOOK_URL"], "the address comes from the repository"


def test_a_broken_workflow_is_caught(tmp_path):
    broken = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    broken["jobs"]["build"]["runs-on"] = None
    del broken["jobs"]["build"]["steps"]
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True
    )
    assert result.returncode != 0


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
    assert bib["version"] == ris["edition"] == csl["version"] == str(c["version"])
    assert bib["url"] == ris["urls"][0] == csl["URL"] == TEST_SITE_URL + doc + ".html"
    assert bib["urldate"] == "-".join(f"{p:02d}" for p in csl["accessed"]["date-parts"][0])
    assert bib["year"] == ris["year"] == str(csl["issued"]["date-parts"][0][0])
    authors = [str(p) for p in entry.persons["author"]]
    assert [a.strip("{}") for a in authors] == ris["authors"] == [a["literal"] for a in csl["author"]]
    assert "edition" not in bib, "the version is a version field, not an edition"


def test_the_apa_text_is_citeprocs(site):
    """The reference shown is what citeproc-py makes of the CSL-JSON item with the APA style."""
    from iotsurvey import citation

    files = _downloaded(site, "chapters/awareness")
    record = json.loads(files["CSL-JSON"])[0]
    shown = " ".join(page(site, "chapters/awareness").select_one("div.cite-this p.cite-reference").get_text().split())
    assert shown == " ".join(citation.apa(record).replace("*", "").split())
    assert f"(Version {cff()['version']})" in shown


# ---------------------------------------------------------------------------
# Editions


def test_the_version_is_set_once_and_shown_everywhere(site):
    version = str(cff()["version"])
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for name in tracked:
        if name.endswith((".py", ".md", ".yml", ".toml")) and name != "CHANGELOG.md":
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
    (``python tests/test_edition.py <site folder>`` prints the current list).
    """
    kept = {
        line.strip()
        for line in ANCHORS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    missing = sorted(kept - _anchors(site))
    assert not missing, f"addresses of the previous edition that this build breaks: {missing}"


# ---------------------------------------------------------------------------
# Notebooks


def test_each_chapter_notebook_is_offered_and_runs_in_a_fresh_kernel_from_a_clone(site, tmp_path):
    offered = []
    for doc in chapters():
        link = page(site, doc).select_one('a[href$=".ipynb"]')
        if (ROOT / f"{doc}.md").read_text(encoding="utf-8").startswith("---\njupytext"):
            assert link is not None, f"{doc} offers no notebook"
            offered.append((doc, (site / doc).parent.joinpath(link["href"]).resolve()))
    notebook = dict(offered)["chapters/awareness"]
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    assert any(o for cell in saved["cells"] for o in cell.get("outputs", [])), "the notebook has its outputs"
    assert "iotsurvey" in "".join(saved["cells"][0]["source"]), "the first cell says what it needs"
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    for name in ("iotsurvey", "data"):  # the working tree under test, which may be ahead of the last commit
        shutil.rmtree(clone / name)
        shutil.copytree(ROOT / name, clone / name, ignore=shutil.ignore_patterns("__pycache__"))
    target = clone / "chapters" / notebook.name
    shutil.copy(notebook, target)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    result = subprocess.run(
        [str(JUPYTER_BOOK.parent / "jupyter"), "execute", "--inplace", target.name],
        cwd=target.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    ran = json.loads(target.read_text(encoding="utf-8"))
    assert not [o for cell in ran["cells"] for o in cell.get("outputs", []) if o.get("output_type") == "error"]


if __name__ == "__main__":
    print("\n".join(sorted(_anchors(Path(sys.argv[1])))))
