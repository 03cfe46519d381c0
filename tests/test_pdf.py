"""The PDF edition: the site's numbers and values, vector figures, embedded fonts, no broken references.

Built once per session from the strict build's folder, as `make pdf` builds it.  Needs Debian's TeX
Live, rsvg-convert and poppler-utils, which `make test` installs (.ci/system-packages).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import TEST_SITE_URL, build
from test_build import chapters

# chapters whose every glued value must be in the PDF as the site shows it
CHECKED_CHAPTERS = ("chapters/awareness", "chapters/countries", "chapters/sample", "chapters/decisions")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `make test`, which installs poppler-utils and TeX Live", pytrace=False)
    return path


@pytest.fixture(scope="module")
def pdf_book(strict_build, tmp_path_factory) -> Path:
    """A copy of the strict build's folder, so that building the PDF (and relinking the site) here
    leaves the session's site as the other tests expect it: built once, without a PDF."""
    folder = tmp_path_factory.mktemp("pdf-book") / "book"
    shutil.copytree(strict_build, folder, symlinks=True)
    return folder


@pytest.fixture(scope="module")
def pdf(pdf_book) -> Path:
    result = build(pdf_book, "--builder", "pdflatex", url=TEST_SITE_URL)
    path = pdf_book / "_build" / "latex" / "iot-survey-book.pdf"
    if result.returncode != 0 or not path.exists():
        pytest.fail(f"PDF build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return path


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    text = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)  # words LaTeX hyphenated at a line end
    return " ".join(text.split())


def _site(folder: Path, doc: str) -> BeautifulSoup:
    return BeautifulSoup((folder / "_build" / "html" / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("doc", CHECKED_CHAPTERS)
def test_every_glued_value_is_in_the_pdf_as_the_site_shows_it(pdf_book, pdf_text, doc):
    shown = {" ".join(span.get_text().split()) for span in _site(pdf_book, doc).select("main .pasted-text")}
    assert len(shown) >= 5, f"{doc}: too few glued values to compare"
    missing = sorted(value for value in shown if value not in pdf_text)
    assert not missing, f"{doc}: glued values the PDF does not show: {missing}"


def _numbers(text: str, word: str) -> list[str]:
    return re.findall(rf"{word} (\d+(?:\.\d+)?)[:.]? ", text)


def test_figures_and_tables_carry_the_sites_numbers(pdf_book, pdf_text, pdf):
    site_figures, site_tables = [], []
    for doc in chapters():
        soup = _site(pdf_book, doc)
        site_figures += [
            f.select_one(".caption-number").get_text().split()[1].rstrip(".")
            for f in soup.select("main figure")
            if f.select_one(".caption-number")
        ]
        site_tables += [
            t.select_one(".caption-number").get_text().split()[1].rstrip(".")
            for t in soup.select("main table")
            if t.select_one(".caption-number")
        ]
    tex = (pdf.parent / "iot-survey-book.tex").read_text(encoding="utf-8")
    assert tex.count(r"\begin{figure}") == len(site_figures), "one figure in the PDF per figure on the site"
    captions = re.findall(r"Fig\. (\d+(?:\.\d+)?): ", pdf_text)
    assert sorted(set(captions)) == sorted(set(site_figures))
    assert set(site_tables) <= set(re.findall(r"Table (\d+(?:\.\d+)?): ", pdf_text))


def test_chapters_have_the_sites_numbers(pdf_book, pdf_text):
    for doc in chapters():
        h1 = _site(pdf_book, doc).select_one("main h1")
        number = h1.select_one(".section-number")
        if number is None:
            continue
        n = number.get_text().strip().rstrip(".")
        title = " ".join(h1.get_text(" ", strip=True).replace(number.get_text().strip(), "", 1).rstrip("#").split())
        assert f"{n} {title}" in pdf_text, f"contents: {n} {title}"


def test_figures_are_vector_and_fonts_embedded(pdf):
    images = subprocess.run([tool("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True)
    assert len(images.stdout.strip().splitlines()) <= 2, "charts are drawn as vectors, not pasted as images"
    fonts = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows
    for row in rows:
        parts = row.split()
        emb = parts[-5]
        assert emb == "yes", f"font not embedded: {row}"


def test_title_page_and_page_numbers(pdf, pdf_text):
    import yaml
    from conftest import ROOT

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    first = subprocess.run(
        [tool("pdftotext"), "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    first = " ".join(first.split())
    assert cff["title"].split(":")[0] in first and f"Version {cff['version']}" in first
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    page_ten = subprocess.run(
        [tool("pdftotext"), "-f", "10", "-l", "10", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert pages > 20 and re.search(r"^\d+$", page_ten, re.M), "pages carry numbers"


def test_the_latex_log_has_no_undefined_references(pdf):
    log = (pdf.parent / "iot-survey-book.log").read_text(encoding="utf-8", errors="replace")
    undefined = re.findall(r"(?:Reference|Citation) `([^']*)' on page \d+ undefined", log)
    assert not undefined, undefined[:10]
    assert "There were undefined references" not in log


def test_the_site_links_the_pdf(pdf_book, pdf):
    site = pdf_book / "_build" / "html"
    # the HTML build copies the PDF into the site when both are built (the deploy runs `make pdf site`)
    result = build(pdf_book, "--all", url=TEST_SITE_URL)  # every page again, now that the PDF exists
    assert result.returncode == 0
    assert (site / "_downloads" / "iot-survey-book.pdf").read_bytes() == pdf.read_bytes()
    for doc in chapters():
        soup = _site(pdf_book, doc)
        links = [a["href"] for a in soup.select('a[href$="iot-survey-book.pdf"]')]
        assert links, f"{doc}: no link to the PDF edition"
    how = _site(pdf_book, "chapters/how-to-cite").get_text()
    assert "p. 17" in how and "[PDF]" in how
