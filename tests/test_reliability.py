"""Reliability: reproducible builds, a cache that never shows stale numbers, and broken or hostile inputs.

The slow parts share work: the strict build from conftest is build A; a second
clean build in another folder (B) must match it byte for byte; B then takes a
data change, a change to the shared module and hostile text, and is rebuilt
with an ordinary `jupyter-book build .`.
"""

from __future__ import annotations

import csv
import filecmp
import re
import shutil
from pathlib import Path

import pytest
from bad_inputs import CASES, replace_in_line
from bs4 import BeautifulSoup
from conftest import TEST_SITE_URL, build, copy_book

HOSTILE_MEASURE = (
    "=HYPERLINK(\"http://example.invalid\") <script>alert('measure')</script> Not always able ($5 or $6, *bold* | pipe)"
)
STRAIGHT_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
HOSTILE_OUTLET = "ITWeb <img src=x onerror=alert('outlet')>"


@pytest.fixture(scope="session")
def second_build(tmp_path_factory, strict_build) -> Path:
    folder = copy_book(tmp_path_factory.mktemp("book-b") / "somewhere-else")
    result = build(folder, "-W", "-n", "--keep-going", url=TEST_SITE_URL)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return folder


def _files(site: Path) -> dict[str, Path]:
    # the PDF edition is made by its own command (`make pdf`), which the PDF tests run in one of the folders
    return {
        str(p.relative_to(site)): p
        for p in site.rglob("*")
        if p.is_file() and p.name not in (".buildinfo", "iot-survey-book.pdf")
    }


def test_two_clean_builds_in_two_folders_are_byte_identical(strict_build, second_build):
    a, b = _files(strict_build / "_build" / "html"), _files(second_build / "_build" / "html")
    assert set(a) == set(b), set(a) ^ set(b)
    different = [name for name in sorted(a) if not filecmp.cmp(a[name], b[name], shallow=False)]
    assert not different, different[:20]
    assert any(name.endswith(".svg") for name in a) and any(name.endswith(".png") for name in a)
    for folder in (strict_build, second_build):
        text = (folder / "_build" / "html" / "chapters" / "awareness.html").read_text(encoding="utf-8")
        assert str(folder) not in text, "an absolute path leaked into a page"


@pytest.fixture(scope="session")
def changed_build(second_build, strict_build) -> Path:
    """Folder B after a data change, a module change and hostile text, rebuilt the ordinary way.

    Depends on the reproducibility test's folders being built first (it uses B).
    """
    data = second_build / "data"
    replace_in_line(data / "findings.csv", "N03,", ",exact,37,", ",exact,38,")
    replace_in_line(
        data / "findings.csv",
        "N03,",
        ",Not always able to define security needs before implementing IoT solutions,",
        "," + _csv_cell(HOSTILE_MEASURE) + ",",
    )
    replace_in_line(data / "sources.csv", "itweb-2018-11-21,", ",ITWeb,", "," + _csv_cell(HOSTILE_OUTLET) + ",")
    book = second_build / "iotsurvey" / "glue.py"
    text = book.read_text(encoding="utf-8")
    assert '"partly": "Partly"' in text
    book.write_text(text.replace('"partly": "Partly"', '"partly": "Partly (changed in the module)"'), encoding="utf-8")
    result = build(second_build)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return second_build


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_a_data_change_reaches_the_page_after_one_ordinary_build(changed_build):
    site = changed_build / "_build" / "html"
    soup = BeautifulSoup((site / "chapters" / "security-needs.html").read_text(encoding="utf-8"), "html.parser")
    shown = [s.get_text() for s in soup.select("main .pasted-text")]
    assert "38%" in shown and "37%" not in shown
    glance = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "38%" in glance


def test_a_module_change_reaches_the_page_after_one_ordinary_build(changed_build):
    page = (changed_build / "_build" / "html" / "chapters" / "methodology.html").read_text(encoding="utf-8")
    assert "Partly (changed in the module)" in page


def test_hostile_text_is_shown_inertly(changed_build):
    site = changed_build / "_build" / "html"
    seen_measure = seen_outlet = False
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert "alert(" not in script.get_text(), f"{page}: data became a script"
        for img in soup.find_all("img"):
            assert not img.get("onerror"), f"{page}: data became an element"
        text = soup.get_text(" ").translate(STRAIGHT_QUOTES)  # Sphinx typesets quotes as curly ones
        seen_measure |= "<script>alert('measure')</script>" in text
        seen_outlet |= "<img src=x onerror=alert('outlet')>" in text
    assert seen_measure and seen_outlet, "the hostile strings should be shown, as text"


def test_csv_downloads_cannot_become_formulas(changed_build):
    downloads = changed_build / "_build" / "downloads" / "security-needs-findings.csv"
    rows = list(csv.DictReader(downloads.read_text(encoding="utf-8").splitlines()))
    measure = next(r["measure"] for r in rows if r["finding_id"] == "N03")
    assert measure.startswith("'=HYPERLINK"), measure
    figure = changed_build / "_build" / "figures" / "fig-security-needs.csv"
    labels = [r["label"] for r in csv.DictReader(figure.read_text(encoding="utf-8").splitlines())]
    assert any(label.startswith("'=HYPERLINK") for label in labels)
    for path in (changed_build / "_build").rglob("*.csv"):
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines()):
            for cell in row:
                assert not re.match(r"[=+@]", cell) and not re.match(r"-[^\d]", cell), f"{path}: {cell!r}"


@pytest.fixture()
def fresh_copy(tmp_path_factory, strict_build) -> Path:
    """A copy of the sources with the strict build's _build folder, so only changes are re-run."""
    folder = tmp_path_factory.mktemp("broken") / "book"
    shutil.copytree(strict_build, folder, ignore=shutil.ignore_patterns("html"))
    return folder


@pytest.fixture(scope="module")
def data_only_copy(tmp_path_factory) -> Path:
    return copy_book(tmp_path_factory.mktemp("bad-data") / "book")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_data_stops_the_build_with_file_row_and_column(data_only_copy, case):
    data = data_only_copy / "data"
    backup = data_only_copy / "data.orig"
    if not backup.exists():
        shutil.copytree(data, backup)
    shutil.rmtree(data)
    shutil.copytree(backup, data)
    row = case.mutate(data)
    result = build(data_only_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build accepted bad data ({case.name})"
    where = f"data/{case.file}, row {row}, column {case.column}"
    assert where in output, f"expected {where!r} in the build output:\n{output[-3000:]}"
    assert output.count(where) == 1, f"expected {where!r} once in the build output:\n{output[-3000:]}"


def test_a_page_missing_from_the_toc_fails_the_strict_build(fresh_copy):
    (fresh_copy / "chapters" / "orphan.md").write_text(
        "# An orphan\n\nNot in the table of contents.\n", encoding="utf-8"
    )
    result = build(fresh_copy, "-W", "-n", "--keep-going")
    assert result.returncode != 0
    assert "orphan" in result.stdout + result.stderr and "toctree" in result.stdout + result.stderr


def test_a_broken_cross_reference_fails_the_strict_build(fresh_copy):
    page = fresh_copy / "chapters" / "awareness.md"
    text = page.read_text(encoding="utf-8")
    assert "{numref}`fig-awareness`" in text
    page.write_text(text.replace("{numref}`fig-awareness`", "{numref}`fig-does-not-exist`", 1), encoding="utf-8")
    result = build(fresh_copy, "-W", "-n", "--keep-going")
    assert result.returncode != 0
    assert "fig-does-not-exist" in result.stdout + result.stderr


def test_a_cell_that_raises_stops_the_build(fresh_copy):
    page = fresh_copy / "chapters" / "sample.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("glue_scenarios()", "glue_scenarios()\nraise RuntimeError('deliberate failure')", 1),
        encoding="utf-8",
    )
    result = build(fresh_copy)
    assert result.returncode != 0
    assert "deliberate failure" in result.stdout + result.stderr
