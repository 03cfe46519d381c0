"""Builds of its own: any sequence of the standard commands gives a complete, reproducible site; a change
reaches every page that shows it; bad inputs stop the build once, saying where.

One copy of the book (``rebuilt``) is taken from the session's strict build with its generated folder deleted:
its first build is a clean build in another folder, byte for byte the strict build's, and later tests build it
again after ``jupyter-book clean``, after nothing changed, and after a change to a finding.  Broken inputs are
tried in copies that keep the strict build's execution cache, so only what they change runs.
"""

from __future__ import annotations

import csv
import filecmp
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.bad_inputs import CASES, replace_in_line
from helpers.book import (
    JUPYTER_BOOK,
    TEST_SITE_URL,
    build,
    copy_book,
    missing_images,
    missing_links,
    reuse_executions,
    strict,
)

EXECUTED = re.compile(r"executed (\d+) notebook\(s\) in parallel")


def executed(result: subprocess.CompletedProcess) -> int:
    return sum(int(n) for n in EXECUTED.findall(result.stdout + result.stderr))


def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file() and p.name != ".buildinfo"}


def complete(site: Path) -> list[str]:
    """What a reader would miss: images and local links whose files are not there, downloads not written."""
    problems = missing_images(site) + missing_links(site)
    downloads = site / "downloads"
    for name in ("iot-survey-data-package.zip", "sources.bib", "figures/figure-values.schema.json"):
        if not (downloads / name).exists():
            problems.append(f"downloads/{name} missing")
    return problems


@pytest.fixture(scope="module")
def rebuilt(strict_build, tmp_path_factory) -> Path:
    """A copy of the strict build's folder, its _build deleted and built again the same way."""
    folder = tmp_path_factory.mktemp("rebuilt") / "elsewhere"
    shutil.copytree(strict_build, folder, ignore=shutil.ignore_patterns("_build"))
    result = strict(folder)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return folder


def test_deleting_the_generated_folder_then_building_gives_the_same_site_byte_for_byte(strict_build, rebuilt):
    a, b = files(strict_build / "_build" / "html"), files(rebuilt / "_build" / "html")
    assert set(a) == set(b), sorted(set(a) ^ set(b))[:20]
    different = [name for name in sorted(a) if not filecmp.cmp(a[name], b[name], shallow=False)]
    assert not different, different[:20]
    assert not complete(rebuilt / "_build" / "html")
    for folder in (strict_build, rebuilt):
        text = (folder / "_build" / "html" / "chapters" / "awareness.html").read_text(encoding="utf-8")
        assert str(folder) not in text, "an absolute path leaked into a page"


def test_a_build_with_nothing_changed_runs_no_notebook(rebuilt):
    again = strict(rebuilt)
    assert again.returncode == 0, again.stdout[-3000:]
    assert executed(again) == 0, "nothing changed, yet notebooks ran"


def page_bytes(site: Path) -> dict[str, bytes]:
    """The site's files; in pages, myst-nb's stylesheet address without the ?v= checksum Sphinx adds only when
    the file was already there as it wrote the page (its name carries its content's hash anyway)."""
    hashed = re.compile(rb"(mystnb\.[0-9a-f]{64}\.css)\?v=[0-9a-f]{8}")
    return {
        name: hashed.sub(rb"\1", path.read_bytes()) if name.endswith(".html") else path.read_bytes()
        for name, path in files(site).items()
    }


def test_clean_then_build_gives_a_complete_site_without_running_a_notebook(rebuilt):
    site = rebuilt / "_build" / "html"
    before = page_bytes(site)
    clean = subprocess.run([str(JUPYTER_BOOK), "clean", "."], cwd=rebuilt, capture_output=True, text=True)
    assert clean.returncode == 0 and not site.exists(), clean.stdout + clean.stderr
    result = strict(rebuilt)
    assert result.returncode == 0, result.stdout[-3000:]
    assert executed(result) == 0, "the execution cache survives jupyter-book clean: nothing should run"
    assert not complete(site)
    after = page_bytes(site)
    assert sorted(after) == sorted(before)
    assert [n for n in after if after[n] != before[n]] == []


def sources(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_a_build_with_path_output_writes_everything_there_and_nothing_in_the_sources(tmp_path):
    folder, out = copy_book(tmp_path / "book"), tmp_path / "elsewhere"
    before = sources(folder)
    result = build(folder, "-W", "-n", "--keep-going", "--path-output", str(out), url=TEST_SITE_URL)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert sources(folder) == before, sorted(sources(folder) ^ before)[:20]
    site = out / "_build" / "html"
    assert not complete(site)
    assert (out / "_build" / ".jupyter_cache").is_dir()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert str(folder) not in text and str(out) not in text, f"an absolute path leaked into {page.name}"


# ---------------------------------------------------------------------------
# A change to a finding, to the export code, to the stylesheet and hostile text, then one ordinary build

HOSTILE_MEASURE = (
    "=HYPERLINK(\"http://example.invalid\") <script>alert('measure')</script> Not always able ($5 or $6, *bold* | pipe)"
)
HOSTILE_OUTLET = "ITWeb <img src=x onerror=alert('outlet')>"
STRAIGHT_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
SCHEMA_WORDS = "The values drawn in one of the book's bar charts"
CSS_MARK = "/* a change to the stylesheet, by tests/slow/test_builds.py */"


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def stylesheet_address(site: Path) -> str:
    return re.search(r"iotsurvey\.css\?v=[0-9a-f]+", (site / "index.html").read_text(encoding="utf-8")).group(0)


@pytest.fixture(scope="module")
def changed(rebuilt) -> tuple[Path, str]:
    """N03 from 37% to 38%, and its measure made hostile: one row of data/findings.csv, nothing else; then one
    ordinary build.  Also returns the stylesheet's address before."""
    before = stylesheet_address(rebuilt / "_build" / "html")
    data = rebuilt / "data"
    replace_in_line(data / "findings.csv", "N03,", ",exact,37,", ",exact,38,")
    replace_in_line(
        data / "findings.csv",
        "N03,",
        ",Not always able to define security needs before implementing IoT solutions,",
        "," + _cell(HOSTILE_MEASURE) + ",",
    )
    result = build(rebuilt, url=TEST_SITE_URL)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert executed(result) > 0, "a change to data/ runs the chapters again"
    return rebuilt, before


@pytest.fixture(scope="module")
def changed_more(changed) -> tuple[Path, str]:
    """Then an outlet's name made hostile, the figure schema's words and the stylesheet changed, and one more
    ordinary build."""
    book, before = changed
    replace_in_line(book / "data" / "sources.csv", "itweb-2018-11-21,", ",ITWeb,", "," + _cell(HOSTILE_OUTLET) + ",")
    schemas = book / "iotsurvey" / "export" / "schemas.py"
    text = schemas.read_text(encoding="utf-8")
    assert SCHEMA_WORDS in text
    schemas.write_text(text.replace(SCHEMA_WORDS, "Changed: " + SCHEMA_WORDS), encoding="utf-8")
    css = book / "iotsurvey" / "site" / "static" / "iotsurvey.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n" + CSS_MARK + "\n", encoding="utf-8")
    result = build(book, url=TEST_SITE_URL)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return book, before


def test_a_changed_finding_reaches_every_page_and_file_that_shows_it(changed):
    book, _ = changed
    site = book / "_build" / "html"
    showing = []
    for glue in sorted((book / "_build" / "jupyter_execute").rglob("*.glue.json")):
        values = json.loads(glue.read_text(encoding="utf-8"))
        if "N03" in values:
            showing.append(glue.relative_to(book / "_build" / "jupyter_execute").as_posix()[: -len(".glue.json")])
            assert values["N03"]["data"]["text/plain"] == "'38%'", glue
    assert {"index", "chapters/security-needs"} <= set(showing), showing
    for doc in showing:
        soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        assert "38%" in soup.select_one("main").get_text(), doc
        if "{glue:text}`N03`" in (book / f"{doc}.md").read_text(encoding="utf-8"):  # its prose pastes it
            pasted = [s.get_text() for s in soup.select("main .pasted-text")]
            assert "38%" in pasted and "37%" not in pasted, doc
    for path in (site / "downloads").rglob("*.csv"):
        for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
            if row.get("finding_id") == "N03":
                assert float(row["value"]) == 38, path.name
    assert not complete(site)


def test_a_changed_schema_and_stylesheet_reach_the_site_in_an_ordinary_build(changed_more):
    book, before = changed_more
    site = book / "_build" / "html"
    schema = json.loads((site / "downloads" / "figures" / "figure-values.schema.json").read_text(encoding="utf-8"))
    assert schema["description"].startswith("Changed: "), "a schema changed since the last build is written again"
    assert CSS_MARK in (site / "_static" / "iotsurvey.css").read_text(encoding="utf-8")
    assert stylesheet_address(site) != before, "the stylesheet's address changes with its content"


def test_hostile_text_is_shown_inertly(changed_more):
    site = changed_more[0] / "_build" / "html"
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


def test_csv_downloads_cannot_become_formulas(changed_more):
    downloads = changed_more[0] / "_build" / "html" / "downloads"
    rows = list(csv.DictReader((downloads / "chapters" / "security-needs-findings.csv").open(encoding="utf-8")))
    assert next(r["measure"] for r in rows if r["finding_id"] == "N03").startswith("'=HYPERLINK")
    for path in downloads.rglob("*.csv"):
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines()):
            for cell in row:
                assert not re.match(r"[=+@]", cell) and not re.match(r"-[^\d]", cell), f"{path}: {cell!r}"


# ---------------------------------------------------------------------------
# Broken inputs, each in a copy that keeps the strict build's executions


@pytest.fixture()
def broken(strict_build, tmp_path) -> Path:
    folder = copy_book(tmp_path / "book")
    reuse_executions(strict_build, folder)
    return folder


TWO_CASES = [CASES[0], next(c for c in CASES if c.file == "finding_sources.csv")]


@pytest.mark.parametrize("case", TWO_CASES, ids=lambda c: c.name)
def test_bad_data_stops_the_build_once_with_file_row_and_column(broken, case):
    """Two of the bad-data cases through a whole build (every case is tried against the loader: tests/unit)."""
    row = case.mutate(broken / "data")
    result = build(broken)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build accepted bad data ({case.name})"
    where = f"data/{case.file}, row {row}, column {case.column}"
    assert output.count(where) == 1, f"expected {where!r} once in the build output:\n{output[-3000:]}"
    assert "Traceback" not in output


def test_a_sentence_the_numbers_no_longer_support_stops_the_build_once_without_a_traceback(broken):
    chapter = broken / "chapters" / "awareness.md"
    text = chapter.read_text(encoding="utf-8")
    assert "claim(improve.value + complete.value == 100," in text
    chapter.write_text(text.replace("improve.value + complete.value == 100,", "improve.value + complete.value == 99,"))
    result = build(broken)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert output.count("they add up to exactly 100") == 1, output[-3000:]
    assert "chapters/awareness.md" in output and "N01" in output and "Traceback" not in output, output[-3000:]


def test_a_cell_that_raises_stops_the_build_with_its_traceback(broken):
    page = broken / "chapters" / "sample.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("glue_scenarios()", "glue_scenarios()\nraise RuntimeError('deliberate failure')", 1))
    result = build(broken)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "deliberate failure" in output and "chapters/sample.md" in output


def test_a_broken_cross_reference_fails_the_strict_build(broken):
    page = broken / "chapters" / "awareness.md"
    text = page.read_text(encoding="utf-8")
    assert "{numref}`fig-awareness`" in text
    page.write_text(text.replace("{numref}`fig-awareness`", "{numref}`fig-does-not-exist`", 1), encoding="utf-8")
    result = strict(broken)
    assert result.returncode != 0
    assert "fig-does-not-exist" in result.stdout + result.stderr


def test_the_strict_command_after_an_ordinary_build_still_fails_on_a_page_missing_from_the_toc(broken):
    ordinary = build(broken)
    assert ordinary.returncode == 0, ordinary.stdout[-2000:]
    (broken / "chapters" / "orphan-test.md").write_text("# A page nobody listed\n\nText.\n", encoding="utf-8")
    assert build(broken).returncode == 0, "an ordinary build only warns"
    result = strict(broken)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out[-3000:]
    assert "_toc.yml" in out and "- file: chapters/orphan-test" in out, out[-3000:]


# ---------------------------------------------------------------------------
# No address


PLACEHOLDERS = re.compile(r"example\.(org|com|net)", re.I)


def test_without_an_address_no_page_shows_one_and_the_build_says_so_once(broken):
    result = build(broken, url=None)
    assert result.returncode == 0, result.stderr[-3000:]
    site = broken / "_build" / "html"
    said = (result.stdout + result.stderr).count("no site address")
    assert said == 1, f"the build should say once that it has no address (said {said} times)"
    for path in site.rglob("*"):
        if path.suffix in (".html", ".txt", ".xml", ".bib", ".ris", ".json", ".cff") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not PLACEHOLDERS.search(text), f"{path.relative_to(site)} names a placeholder address"
    soup = BeautifulSoup((site / "chapters" / "awareness.html").read_text(encoding="utf-8"), "html.parser")
    reference = soup.select_one("div.cite-this p.cite-reference")
    assert reference.find("a") is None and "http" not in reference.get_text()
    assert "url" not in soup.select_one("div.cite-this pre").get_text()
    assert soup.find("link", rel="canonical") is None
    assert not soup.find("meta", attrs={"property": "og:url"})
    assert not soup.find("meta", attrs={"name": "citation_public_url"})
    assert not (site / "sitemap.xml").exists()
    assert "Sitemap" not in (site / "robots.txt").read_text(encoding="utf-8")
    how = BeautifulSoup((site / "chapters" / "how-to-cite.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(how.get_text(" ").split())
    assert "built without an address of its own" in text and "Cite the address at which you read" in text
    assert "footer of every page links it" not in text, "no PDF was built: the page must not promise one"
