"""Any sequence of the standard commands gives a complete site, and the strict command is strict
after any earlier build.

- `jupyter-book clean .` keeps the execution cache but removes the figures and CSV files the
  chapters wrote; the next build must bring them back (or fail), not publish pages without figures.
- Sphinx reads only changed pages, and checks the table of contents only when it read something:
  `-W -n --keep-going` after an ordinary build must still fail on a page missing from _toc.yml, and
  say which file to edit.
- A change to one finding runs again only the chapters that read it, and the site is then the same,
  file for file, as a clean build of the changed data.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import JUPYTER_BOOK, build, copy_book
from test_reads import rewrite


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory) -> Path:
    folder = copy_book(tmp_path_factory.mktemp("rebuilds") / "book")
    result = build(folder)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return folder


def missing_images(site: Path) -> list[str]:
    """Images and downloads that pages refer to but the site lacks."""
    missing = []
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        refs = [img["src"] for img in soup.select("img[src]")]
        refs += [a["href"] for a in soup.select("a.download[href]")]
        missing += [
            f"{page.name}: {ref}"
            for ref in refs
            if not ref.startswith(("http", "data:")) and not (page.parent / ref.split("#")[0]).exists()
        ]
    return missing


def figure_count(site: Path) -> int:
    return sum(
        len(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select("figure img"))
        for p in site.rglob("*.html")
    )


def test_a_second_build_with_nothing_changed_runs_no_notebook(built_copy):
    again = build(built_copy)
    log = again.stdout + again.stderr
    assert again.returncode == 0, log[-3000:]
    assert not executed_notebooks(log), f"nothing changed, yet the build ran {executed_notebooks(log)}"


def test_clean_then_build_publishes_every_figure(built_copy):
    site = built_copy / "_build" / "html"
    before = figure_count(site)
    assert before > 10
    clean = subprocess.run([str(JUPYTER_BOOK), "clean", "."], cwd=built_copy, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert not (built_copy / "_build" / "figures").exists() and (built_copy / "_build" / ".jupyter_cache").exists()
    result = build(built_copy)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "not readable" not in out, out[-3000:]
    assert figure_count(site) == before
    assert not missing_images(site)


def test_deleting_the_generated_folder_then_building_brings_it_back(built_copy):
    figures = built_copy / "_build" / "figures"
    written = sorted(p.name for p in figures.iterdir())
    shutil.rmtree(figures)
    result = build(built_copy)
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "not readable" not in out, out[-3000:]
    assert sorted(p.name for p in figures.iterdir()) == written
    assert not missing_images(built_copy / "_build" / "html")


def test_the_strict_command_after_an_ordinary_build_still_fails_on_a_page_missing_from_the_toc(built_copy):
    orphan = built_copy / "chapters" / "orphan-test.md"
    orphan.write_text("# A page nobody listed\n\nText.\n", encoding="utf-8")
    try:
        ordinary = build(built_copy)
        assert ordinary.returncode == 0, ordinary.stdout[-2000:]
        strict = build(built_copy, "-W", "-n", "--keep-going")
        out = strict.stdout + strict.stderr
        assert strict.returncode != 0, out[-3000:]
        assert "_toc.yml" in out and "- file: chapters/orphan-test" in out, out[-3000:]
    finally:
        orphan.unlink()
    again = build(built_copy, "-W", "-n", "--keep-going")
    assert again.returncode == 0, again.stdout[-3000:]


def test_the_builds_own_process_never_imports_matplotlib(built_copy):
    """sphinxext-opengraph would import it for social cards the book does not ask it for (iotsurvey/upstream.py)."""
    script = (
        "import sys\nfrom jupyter_book.cli.main import main\nsys.argv = ['jupyter-book', 'build', '.']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nprint('matplotlib imported:', 'matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=built_copy, capture_output=True, text=True)
    assert "build succeeded" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
    assert "matplotlib imported: False" in result.stdout, result.stdout[-500:]


def test_an_edited_reference_reaches_the_page_that_lists_it(built_copy):
    """The formatted bibliographies are kept between builds (iotsurvey/upstream.py), keyed on the entries."""
    bib = built_copy / "references.bib"
    text = bib.read_text(encoding="utf-8")
    title = re.search(r"title\s*=\s*\{([^}]+)\}", text).group(1)
    bib.write_text(text.replace(title, title + " Revised", 1), encoding="utf-8")
    try:
        result = build(built_copy)
        assert result.returncode == 0, result.stdout[-3000:]
        pages = [p.read_text(encoding="utf-8") for p in (built_copy / "_build" / "html").rglob("*.html")]
        # (the bibliography style sets titles in sentence case)
        assert any((title + " Revised").lower() in page.lower() for page in pages), "the edited title is on no page"
    finally:
        bib.write_text(text, encoding="utf-8")
    again = build(built_copy)
    assert again.returncode == 0, again.stdout[-3000:]
    pages = [p.read_text(encoding="utf-8") for p in (built_copy / "_build" / "html").rglob("*.html")]
    assert not any((title + " Revised").lower() in page.lower() for page in pages), "a stale entry came back"


def test_a_renamed_reference_key_rebuilds(built_copy):
    """The kept bibliography formatting is keyed on the entries' keys too: a renamed key is a new entry."""
    bib = built_copy / "references.bib"
    old_key = re.search(r"^@\w+\{([^,]+),", bib.read_text(encoding="utf-8"), re.M).group(1)
    new_key = old_key + "_renamed"
    sources = [bib, *sorted((built_copy / "chapters").glob("*.md")), built_copy / "index.md"]
    saved = {path: path.read_text(encoding="utf-8") for path in sources}
    try:
        for path, text in saved.items():
            path.write_text(re.sub(rf"\b{re.escape(old_key)}\b", new_key, text), encoding="utf-8")
        result = build(built_copy)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    finally:
        for path, text in saved.items():
            path.write_text(text, encoding="utf-8")
    again = build(built_copy)
    assert again.returncode == 0, (again.stdout + again.stderr)[-3000:]


CHANGED = "N03"  # shown on the front page and in its chapter; the awareness chapter does not show it
SHOWN_IN = {"index", "security-needs"}
UNRELATED = "awareness"
# What a reader downloads or reads; the search index is left out: Sphinx's incremental index keeps the
# glossary's index entries only for pages it reads again, with or without a change to the data.
NOT_COMPARED = {".buildinfo", "searchindex.js"}


def executed_notebooks(log: str) -> set[str]:
    """Notebooks the build ran: in parallel (the book's executor) or one by one (myst-nb)."""
    names = set()
    for listed in re.findall(r"executed \d+ notebook\(s\) in parallel \(([^)]*)\)", log):
        names |= {n.strip() for n in listed.split(",") if n.strip()}
    names |= {Path(p).stem for p in re.findall(r"(\S+\.md)\S*: Executing notebook", log)}
    return names


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of the site, with the ?v= checksums Sphinx adds to a stylesheet that existed at writing time."""
    files = {}
    for path in site.rglob("*"):
        if path.is_file() and path.name not in NOT_COMPARED:
            body = path.read_bytes()
            if path.suffix == ".html":
                body = re.sub(rb"\?v=[0-9a-f]{8}", b"", body)
            files[path.relative_to(site).as_posix()] = body
    return files


def test_a_changed_finding_reruns_only_the_chapters_that_read_it_and_leaves_no_stale_page(built_copy, tmp_path):
    # in a copy that has moved since its notebooks ran: the execution cache names where they were
    book = tmp_path / "moved"
    shutil.copytree(built_copy, book, symlinks=True)
    site = book / "_build" / "html"
    first = build(book)
    assert first.returncode == 0, first.stdout[-3000:]
    before = site_files(site)
    findings = book / "data" / "findings.csv"

    def one_point_more(row):
        if row["finding_id"] == CHANGED:
            old = int(row["percent"])
            row["percent"] = str(old + 1 if old < 99 else old - 1)

    rewrite(findings, one_point_more)

    changed = build(book)
    log = changed.stdout + changed.stderr
    assert changed.returncode == 0, log[-3000:]
    ran = executed_notebooks(log)
    assert SHOWN_IN <= ran, f"the pages showing {CHANGED} were not all run again: {ran}"
    assert UNRELATED not in ran, f"{UNRELATED} does not show {CHANGED} but was run again: {ran}"
    after = site_files(site)
    assert after["index.html"] != before["index.html"]
    assert after["chapters/security-needs.html"] != before["chapters/security-needs.html"]

    clean_copy = copy_book(tmp_path / "clean")
    shutil.copy(findings, clean_copy / "data" / "findings.csv")
    clean = build(clean_copy)
    assert clean.returncode == 0, clean.stdout[-3000:]
    reference = site_files(clean_copy / "_build" / "html")
    # (a page removed earlier leaves its old output behind, as Sphinx does; only missing files count)
    assert not set(reference) - set(after), sorted(set(reference) - set(after))
    stale = sorted(name for name in reference if after[name] != reference[name])
    assert not stale, f"after the change, these files differ from a clean build of the same data: {stale}"
