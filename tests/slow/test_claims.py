"""Every guarded sentence stops its chapter when the data no longer support it.

A sentence whose reasoning rests on a number or a count is guarded in its chapter with
``claim(holds, sentence, *rows)``.  For each guard, ``FLIPS`` holds one edit of data/ that keeps the data
valid (the validator runs) but makes the premise false.  The test applies it in a copy and runs the
chapter's hidden cells (those that glue and guard, not those that draw), and expects the chapter to stop
with the guard's sentence and the data rows it rests on.  A guard without a flip fails the suite: a new
guarded sentence needs a new case here.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.book import ROOT


def code_cells(chapter: Path):
    """The chapter's code cells, read as Jupytext reads them: (tags, source)."""
    import jupytext

    if not chapter.read_text(encoding="utf-8").startswith("---\njupytext"):
        return  # a page with no code (reproduce, glossary, ...): Jupytext would read its examples as code
    for cell in jupytext.read(chapter).cells:
        if cell.cell_type == "code":
            yield cell.metadata.get("tags", []), cell.source


def hidden_cells(chapter: Path) -> list[str]:
    """The code of a chapter's cells that glue and guard (tagged remove-cell), in order."""
    return [source for tags, source in code_cells(chapter) if "remove-cell" in tags]


def guarded_sentences(chapter: Path) -> list[str]:
    """The sentence of every claim() in a chapter's code."""
    found = []
    for _, source in code_cells(chapter):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "claim":
                found.append(ast.literal_eval(node.args[1]))
    return found


# ---------------------------------------------------------------------------
# Edits of data/ by column name, so that a case reads as what it changes


def edit_rows(data: Path, table: str, key: str, changes: dict[str, str]) -> None:
    path = data / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    hits = [r for r in rows if r[fields[0]] == key]
    assert hits, (table, key)
    for row in hits:
        for column, value in changes.items():
            assert column in row, (table, column)
            row[column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def finding(fid: str, **changes: str):
    return lambda data: edit_rows(data, "findings", fid, changes)


def figure(fid: str, **changes: str):
    return lambda data: edit_rows(data, "context_figures", fid, changes)


def add_line(table: str, line: str):
    def go(data: Path) -> None:
        path = data / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")

    return go


def drop_lines(table: str, startswith: str, keep: str):
    def go(data: Path) -> None:
        path = data / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").split("\n")
        path.write_text(
            "\n".join(line for line in lines if not line.startswith(startswith) or line == keep), encoding="utf-8"
        )

    return go


@dataclass(frozen=True)
class Flip:
    chapter: str
    sentence: str  # the start of the guard's sentence
    edits: tuple
    rows: str  # a row the message must name


FLIPS = [
    Flip("awareness", "they add up to exactly 100", (finding("N01", percent="85"),), "row N01 (85%)"),
    Flip(
        "awareness",
        "On any of these assumptions, a large majority",
        (finding("N01", percent="60"), finding("N02", percent="40")),
        "row N01 (60%)",
    ),
    Flip("awareness", "German respondents may have been", (finding("N08", percent="86"),), "row N08 (86%)"),
    Flip("awareness", "It is the only page that carries", (finding("N08", wording_differs="false"),), "row N08"),
    Flip(
        "consequences",
        "well over a hundred",
        tuple(
            finding(i, percent=v)
            for i, v in (("J13", "30"), ("J14", "25"), ("J15", "20"), ("J16", "15"), ("J17", "10"))
        ),
        "row J13 (30%)",
    ),
    Flip("consequences", "respondents named loss of customer trust", (finding("J14", percent="60"),), "row J14 (60%)"),
    Flip(
        "consequences",
        "only loss of customer trust is carried",
        (
            add_line("finding_sources", "J14,4traders-2018-07-26,true"),
            finding("J14", pages="11", coverage_only="false", wording="summary_only", evidence="several_sources"),
        ),
        "row J14",
    ),
    Flip("consequences", "At that value it would rank third", (finding("J18", percent="50"),), "row J18 (50%)"),
    Flip(
        "consequences",
        "neighbouring items",
        (finding("J16", percent="25"), finding("J17", percent="24")),
        "row J16 (25%)",
    ),
    Flip("countries", "Japan's figure and the one for the UK", (finding("J07", percent="60"),), "row J07 (60%)"),
    Flip("countries", "Japan's figure and the one for the UK", (finding("J02", percent="60"),), "row J02 (60%)"),
    Flip(
        "countries",
        "The German figure was found on a single page",
        (finding("N09", wording_differs="false"),),
        "row N09",
    ),
    Flip(
        "decisions",
        "Under the book's sampling model the two intervals are far apart",
        (finding("S02", percent="77"),),
        "row S02 (77%)",
    ),
    Flip(
        "decisions",
        "the book grades the base as presumed",
        (finding("S01", base_presumed="false", evidence="several_sources"),),
        "row S01",
    ),
    Flip("decisions", "Three values this close together", (finding("J12", percent="20"),), "row J12 (20%)"),
    Flip(
        "methodology",
        "The German figure was found on a single page and",
        (finding("N08", wording_differs="false"),),
        "row N08",
    ),
    Flip("peers", "Only two figures of this form", (figure("C42", question_kind="other"),), "row C10"),
    Flip("peers", "This survey's 86% is below both", (figure("C10", value="80", as_published="80%"),), "row C10 (80%)"),
    Flip("peers", "one rests on a single mirror page", (figure("C10", share_of="all_respondents"),), "row C42"),
    Flip("peers", "its two figures add up to 100", (finding("N01", percent="85"),), "row N01 (85%)"),
    Flip("peers", "On that reading its counterpart elsewhere", (figure("C42", share_of="subgroup"),), "row C42"),
    Flip(
        "peers",
        "shares at the top of a scale are not uniformly low",
        tuple(figure(i, question_kind="other") for i in ("C58", "C59", "C61")),
        "row C02",
    ),
    Flip(
        "peers",
        "the highest concern figures all combine",
        (figure("C20", value="99", as_published="99%"),),
        "row C20 (99%)",
    ),
    Flip(
        "peers",
        "one page reads it the other way round",
        (drop_lines("context_figure_sources", "C05,", "C05,cs015"), figure("C05", verified_by="1", single_page="true")),
        "row C05",
    ),
    Flip(
        "priorities",
        "the model does not rule out a share below half",
        (finding("N06", percent="60"),),
        "row N06 (more than 60%)",
    ),
    Flip("risk", "a large minority saw security as an afterthought", (finding("J03", percent="45"),), "row J03 (45%)"),
    Flip(
        "risk",
        "No figure of the fieldwork was repeated more widely",
        (add_line("finding_sources", "J03,journalofcyberpolicy,true"), finding("J03", pages="23")),
        "row J03",
    ),
    Flip(
        "risk",
        "the book grades the base as presumed",
        (finding("J01", base_presumed="false", evidence="several_sources"),),
        "row J01",
    ),
    Flip(
        "security-needs",
        "the question reads as put only to organisations",
        (finding("N03", base_presumed="false", evidence="several_sources"),),
        "row N03",
    ),
    Flip("security-needs", "a larger share", (finding("J01", percent="30"),), "row J01 (30%)"),
    Flip("security-needs", "but only S02 said security teams were", (finding("S02", percent="85"),), "row S02 (85%)"),
    Flip(
        "security-needs",
        "security being brought into IoT projects late",
        (finding("N03", percent="20"),),
        "row N03 (20%)",
    ),
    Flip("security-needs", "the July release has the same value", (finding("S02", percent="39"),), "row S02 (39%)"),
    Flip(
        "spending-incidents",
        "No copy of the release read carries the figure",
        (
            add_line("finding_sources", "S07,finanznachrichten-2018-09,true"),
            finding("S07", pages="3", coverage_only="false", wording="summary_only", evidence="several_sources"),
        ),
        "row S07",
    ),
    Flip("spending-incidents", "narrow because the value is close", (finding("S07", percent="70"),), "row S07 (70%)"),
]

RUNNER = """
import sys
sys.path.insert(0, {root!r})
from iotsurvey.render.glue import ClaimError
scope = {{}}
try:
    for number, code in enumerate({cells!r}):
        exec(compile(code, f"{chapter} hidden cell {{number}}", "exec"), scope)
except ClaimError as error:
    print(error, file=sys.stderr)
    sys.exit(3)
"""


def run_flip(flip: Flip, folder: Path) -> subprocess.CompletedProcess:
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "iotsurvey", folder / "iotsurvey", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "chapters", folder / "chapters")
    for edit in flip.edits:
        edit(folder / "data")
    chapter = folder / "chapters" / f"{flip.chapter}.md"
    code = RUNNER.format(root=str(folder), cells=hidden_cells(chapter), chapter=flip.chapter)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOTSURVEY_")}
    env["MPLBACKEND"] = "Agg"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=chapter.parent, capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def flipped(tmp_path_factory) -> dict[int, subprocess.CompletedProcess]:
    """Every flip, run two at a time (each in a fresh Python, so the data are validated again)."""
    folders = [tmp_path_factory.mktemp(f"flip{k}") for k in range(len(FLIPS))]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(run_flip, FLIPS, folders)
    return dict(enumerate(results))


def test_every_guarded_sentence_has_a_flip():
    guarded = {
        (chapter.stem, sentence)
        for chapter in sorted((ROOT / "chapters").glob("*.md"))
        for sentence in guarded_sentences(chapter)
    }
    covered = {(c, s) for c, s in guarded for f in FLIPS if f.chapter == c and s.startswith(f.sentence)}
    assert guarded - covered == set(), "guarded sentences with no case in FLIPS: add one"
    assert len(guarded) > 20, "the chapters' guards were found"


@pytest.mark.parametrize("index", range(len(FLIPS)), ids=[f"{f.chapter}: {f.sentence}" for f in FLIPS])
def test_a_flipped_premise_stops_the_chapter_naming_its_sentence_and_rows(flipped, index):
    flip, result = FLIPS[index], flipped[index]
    assert result.returncode == 3, f"expected the guard to stop the chapter, got:\n{result.stderr[-3000:]}"
    message = result.stderr.strip()
    assert f'The sentence "{flip.sentence}' in message, message
    assert flip.rows in message, message


def test_the_chapters_run_cleanly_on_the_real_data(tmp_path):
    """The same runner on unchanged data: no guard fires (so each flip above is what stops its chapter)."""
    chapters = sorted({f.chapter for f in FLIPS})
    for chapter in chapters:
        result = run_flip(Flip(chapter, "", (), ""), tmp_path / chapter)
        assert result.returncode == 0, f"{chapter}:\n{result.stderr[-3000:]}"
