"""The PDF edition: the site's numbers and values, vector figures, embedded fonts, no broken references.

Built once per session from the strict build's folder, as `make pdf` builds it.  Needs Debian's TeX
Live, and poppler-utils, which `make test` installs (.ci/system-packages).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.book import TEST_SITE_URL, build, chapters

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
    continued = tex.count("continued}\\end{figure}")  # the later parts of a chart printed in parts
    assert tex.count(r"\begin{figure}") - continued == len(site_figures), "one figure in the PDF per figure on the site"
    captions = re.findall(r"Figure (\d+(?:\.\d+)?): ", pdf_text)
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
    from helpers.book import ROOT

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


# ---------------------------------------------------------------------------
# A paper edition worth printing


@cache  # read only: the PDF is read once for the whole module
def pages(pdf: Path) -> list[str]:
    text = subprocess.run([tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def text_block(pdf: Path) -> tuple[float, float]:
    """The text block's width and height in points, as LaTeX wrote them into its log."""
    log = (pdf.parent / "iot-survey-book.log").read_text(encoding="utf-8", errors="replace")
    width, height = re.search(r"iotsurvey text block: ([\d.]+)pt by ([\d.]+)pt", log).groups()
    return float(width), float(height)


def font_sizes(figure: Path) -> list[float]:
    """Every font size a matplotlib PDF sets (``<size> Tf``), from its decompressed content streams."""
    import zlib

    data, sizes = figure.read_bytes(), []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        sizes += [float(x) for x in re.findall(rb"([\d.]+) Tf", content)]
    return sizes


def page_size(figure: Path) -> tuple[float, float]:
    info = subprocess.run([tool("pdfinfo"), str(figure)], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(width), float(height)


def test_every_printed_chart_fits_the_text_block_and_keeps_text_of_at_least_7_pt(pdf):
    """Printed at its own size (never shrunk: it fits the text block with room for its caption), so the sizes
    set in the chart are the printed sizes."""
    width, height = text_block(pdf)
    figures = sorted(pdf.parent.glob("fig-*-print*.pdf"))
    assert len(figures) >= 15
    report = {}
    for figure in figures:
        w, h = page_size(figure)
        sizes = font_sizes(figure)
        report[figure.stem] = (round(w / 72, 2), round(h / 72, 2), min(sizes))
        assert w <= width + 0.5 and h <= 0.8 * height, f"{figure.name}: {w / 72:.2f} x {h / 72:.2f} in is shrunk"
        assert sizes and min(sizes) >= 7, f"{figure.name}: text of {min(sizes)} pt"
    print(report)


def test_a_chart_too_tall_for_a_page_is_printed_in_parts_not_shrunk(pdf, pdf_text):
    parts = sorted(pdf.parent.glob("fig-*-print-2.pdf"))
    assert parts, "the tallest charts are printed in parts"
    for part in parts:
        name = part.name.removesuffix("-print-2.pdf")
        number = re.search(
            rf"\\label{{\\detokenize{{chapters/[a-z-]+:{name}}}}}",
            (pdf.parent / "iot-survey-book.tex").read_text(encoding="utf-8"),
        )
        assert number, name
    assert re.search(r"Figure \d+\.\d+, continued", pdf_text)


def test_bibliographies_print_where_the_text_puts_them(pdf):
    sheets = pages(pdf)
    text = [" ".join(s.split()) for s in sheets]
    assert not any(re.search(r"^\s*(CHAPTER \w+\s+)?BIBLIOGRAPHY\b", s, re.M) for s in sheets), (
        "no Bibliography chapter"
    )
    references = next(k for k, t in enumerate(text) if "REFERENCES Methods and standards" in t)
    assert "Newcombe" in " ".join(text[references : references + 3]), "the references chapter lists its entries"
    how = next(k for k, t in enumerate(text) if "THE SURVEY ITSELF" in t.upper() and "copies listed below" in t)
    assert "ITWeb" in " ".join(text[how : how + 4]), "How to cite lists the copies below its sentence"


def test_at_most_5_percent_of_pages_are_blank_or_header_only(pdf):
    sheets = pages(pdf)
    header_only = [k + 1 for k, s in enumerate(sheets) if len([line for line in s.splitlines() if line.strip()]) <= 1]
    assert len(header_only) <= 0.05 * len(sheets), f"blank or header-only pages: {header_only} of {len(sheets)}"


def test_lists_of_figures_and_tables_and_no_index(pdf, pdf_text):
    assert "LIST OF FIGURES" in pdf_text and "LIST OF TABLES" in pdf_text
    tex = (pdf.parent / "iot-survey-book.tex").read_text(encoding="utf-8")
    assert "\\printindex" not in tex and "Fig. " not in pdf_text.replace("Fig. 12.1 is", "")


def test_every_table_cell_prints_its_words_whole(pdf_book, pdf):
    """Each table of the site, found in the PDF by its number: every word of its cells is on its pages."""
    as_printed = pages(pdf)
    sheets = [re.sub(r"(?<=[a-z])-\n\s*(?=[a-z])", "", s) for s in as_printed]
    words_on = [set(re.findall(r"[A-Za-z0-9]+", s)) for s in sheets]
    # as printed, hyphens kept; addresses left out (they break anywhere)
    raw_words_on = [set(re.findall(r"[A-Za-z0-9]+", re.sub(r"\S*://\S*", " ", s))) for s in as_printed]
    soups = {doc: _site(pdf_book, doc) for doc in chapters()}
    texts = [soup.get_text(" ") for soup in soups.values()]
    texts += [" ".join(re.findall(r">([^<]+)<", svg.read_text(encoding="utf-8"))) for svg in pdf_book.rglob("*.svg")]
    book_words = {w for text in texts for w in re.findall(r"[A-Za-z0-9]+", text)}  # pages and the charts' text
    checked = 0
    for soup in soups.values():
        for table in soup.select("main table"):
            number = table.select_one(".caption-number")
            if number is None or table.find_parent(class_="iot-values"):
                continue
            label = number.get_text().strip().rstrip(".").rstrip(":")
            start = next((k for k, s in enumerate(sheets) if f"{label}:" in s), None)
            assert start is not None, f"{label} is not in the PDF"
            # a long table runs over several pages; a word may break at its own hyphen
            printed = set().union(*words_on[start : start + 15], *raw_words_on[start : start + 15])
            cells = " ".join(td.get_text(" ") for td in table.select("tbody td"))
            missing = sorted({w for w in re.findall(r"[A-Za-z0-9]+", cells) if len(w) > 2} - printed)
            assert not missing, f"{label}: words cut or missing in the PDF: {missing[:10]}"
            # a word too wide for its column runs into the next one ("DiscrepancyFigure", Table 13.2's header
            # before the fix) or breaks off: either way a token that is no word of the book (the whole word may
            # be elsewhere on the page, so its presence proves nothing).  Text that the next cell's background
            # covers stays whole in the text layer: the column floor in iotsurvey/site/pdf.py is for that.
            own = set(re.findall(r"[A-Za-z0-9]+", table.get_text(" ")))
            stumps = sorted(
                w
                for w in set().union(*raw_words_on[start : start + 15]) - book_words
                if any(
                    (len(w) > 1 and o.startswith(w) and len(o) == len(w) + 1) or (len(o) > 3 and w.startswith(o))
                    for o in own
                    if o != w
                )
            )
            assert not stumps, f"{label}: words too wide for their columns in the PDF: {stumps[:10]}"
            checked += 1
    assert checked >= 10


def test_captions_link_the_downloads_to_the_site(pdf):
    """Built with an address: a figure's values file is a link to the site, not words without a target."""
    tex = (pdf.parent / "iot-survey-book.tex").read_text(encoding="utf-8")
    assert re.search(r"\\sphinxhref\{" + re.escape(TEST_SITE_URL) + r"downloads/figures/fig-[a-z-]+\.csv\}", tex)
