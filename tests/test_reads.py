"""What a chapter reads is noted finely enough that a change to one finding re-runs only the chapters
that read it, and never so coarsely that a chapter keeps a stale number.

The build test (tests/test_rebuilds.py) changes a finding and compares the site with a clean build;
these check the parts on their own: the digests, what the survey model notes, the staleness check,
and that every chapter ends with the cell that keeps its record.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from iotsurvey import reads
from iotsurvey.survey import Survey


def rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


def finding_ids(folder: Path) -> list[str]:
    with (folder / "findings.csv").open(encoding="utf-8", newline="") as f:
        return [r["finding_id"] for r in csv.DictReader(f)]


def test_a_new_value_changes_only_that_findings_digest(data_copy):
    ids = finding_ids(data_copy)
    changed = next(i for i in ids if i.startswith("J"))
    before = reads.Digests(data_copy)
    old = {a: before[a] for a in ["findings", *(f"finding:{i}" for i in ids)]}
    rewrite(data_copy / "findings.csv", lambda r: r.update(note="A new note.") if r["finding_id"] == changed else None)
    after = reads.Digests(data_copy)
    differ = sorted(a for a in old if after[a] != old[a])
    assert differ == [f"finding:{changed}"]


def test_a_changed_page_changes_the_digest_of_each_finding_it_carries(data_copy):
    with (data_copy / "finding_sources.csv").open(encoding="utf-8", newline="") as f:
        links = list(csv.DictReader(f))
    with (data_copy / "releases.csv").open(encoding="utf-8", newline="") as f:
        copies = {r["copy_used"] for r in csv.DictReader(f)}
    page = next(r["source_id"] for r in links if r["source_id"] not in copies)  # an outlet, not a release's copy
    carriers = {r["finding_id"] for r in links if r["source_id"] == page}
    ids = finding_ids(data_copy)
    before = reads.Digests(data_copy)
    old = {i: before[f"finding:{i}"] for i in ids}
    old_file = before["sources.csv"]
    rewrite(
        data_copy / "sources.csv",
        lambda r: r.update(outlet=r["outlet"] + " (renamed)") if r["source_id"] == page else None,
    )
    after = reads.Digests(data_copy)
    assert {i for i in ids if after[f"finding:{i}"] != old[i]} == carriers
    assert after["sources.csv"] != old_file


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


EDITS = {  # a file, the column to edit, and whose findings an edit of a row concerns
    "rankings.csv": ("item", lambda row, findings: {row["finding_id"]}),
    "discrepancies.csv": ("outlet_says", lambda row, findings: {row["finding_id"]} if row["finding_id"] else set()),
    "finding_sources.csv": ("as_released", lambda row, findings: {row["finding_id"]}),
    "releases.csv": (
        "name",
        lambda row, findings: {f["finding_id"] for f in findings if f["release_id"] == row["release_id"]},
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_anywhere_a_finding_comes_from_changes_its_digest_and_no_other(data_copy, name):
    column, concerned = EDITS[name]
    findings = _rows(data_copy / "findings.csv")
    ids = [f["finding_id"] for f in findings]
    row = next(r for r in _rows(data_copy / name) if concerned(r, findings))
    expected = concerned(row, findings)
    before = reads.Digests(data_copy)
    old = {i: before[f"finding:{i}"] for i in ids}
    flip = {"true": "false", "false": "true"}

    def edit(r):
        if r == row:
            r[column] = flip.get(r[column], r[column] + " (edited)")

    rewrite(data_copy / name, edit)
    after = reads.Digests(data_copy)
    assert {i for i in ids if after[f"finding:{i}"] != old[i]} == expected


def test_a_new_country_changes_the_list_of_findings(data_copy):
    changed = finding_ids(data_copy)[0]
    before = reads.Digests(data_copy)["findings"]
    rewrite(data_copy / "findings.csv", lambda r: r.update(country="Japan") if r["finding_id"] == changed else None)
    assert reads.Digests(data_copy)["findings"] != before


def test_the_survey_model_notes_what_is_read(monkeypatch):
    from iotsurvey import data

    noted: set[str] = set()
    monkeypatch.setattr(reads, "_read", noted)
    survey = Survey(data.read_validated())
    ids = list(survey._findings)
    assert noted == {"datapackage.json"}, "building the model reads nothing for a chapter yet"
    survey.finding(ids[0])
    assert f"finding:{ids[0]}" in noted and f"finding:{ids[1]}" not in noted
    _ = survey.finding_countries
    assert "findings" in noted and f"finding:{ids[1]}" not in noted, "counting findings does not read their values"
    survey.disclosure("AAPOR")
    assert "disclosure.csv" in noted
    _ = survey.tables["rankings"]
    assert "rankings.csv" in noted
    list(survey.findings.values())
    assert {f"finding:{i}" for i in ids} <= noted, "reading every finding notes every finding"


def test_a_record_goes_stale_when_what_it_read_changes(data_copy, tmp_path, monkeypatch):
    ids = finding_ids(data_copy)
    folder, notebook = tmp_path / "records", tmp_path / "chapter.md"
    notebook.write_text("", encoding="utf-8")
    folder.mkdir()
    digests = reads.Digests(data_copy)
    record = {"notebook": str(notebook.resolve()), "reads": {f"finding:{ids[0]}": digests[f"finding:{ids[0]}"]}}
    reads.record_path(folder, notebook.resolve()).write_text(json.dumps(record), encoding="utf-8")
    other = tmp_path / "no-record.md"
    assert reads.stale(folder, [notebook, other], data_copy) == [other], "a notebook without a record is stale"
    rewrite(data_copy / "findings.csv", lambda r: r.update(note="x") if r["finding_id"] == ids[1] else None)
    assert reads.stale(folder, [notebook], data_copy) == [], "a change to what it did not read"
    rewrite(data_copy / "findings.csv", lambda r: r.update(note="x") if r["finding_id"] == ids[0] else None)
    assert reads.stale(folder, [notebook], data_copy) == [notebook]


CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


RUNS_CODE = sorted(p.stem for p in (ROOT / "chapters").glob("*.md") if CODE_CELL.search(p.read_text(encoding="utf-8")))


@pytest.mark.parametrize("chapter", RUNS_CODE)
def test_every_chapter_that_runs_code_ends_by_keeping_its_record(chapter):
    """``show_chapter_data(<file name>)`` names the chapter; reads after it are recorded too, but a chapter
    that never calls it counts as reading everything, and runs again after any change to the data."""
    cells = CODE_CELL.findall((ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8"))
    assert f'show_chapter_data("{chapter}")' in cells[-1], f"chapters/{chapter}.md: last cell {cells[-1][-200:]}"


def test_data_saved_while_a_chapter_runs_makes_the_chapter_run_again(data_copy, tmp_path, monkeypatch):
    """The record describes data/ as the chapter read it, not as it is when the record is written."""
    folder, chapters = tmp_path / "records", tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "a-chapter.md").write_text("", encoding="utf-8")
    monkeypatch.setenv(reads.RECORDS_ENV, str(folder))
    monkeypatch.chdir(chapters)
    monkeypatch.setattr(reads, "_read", set())
    monkeypatch.setattr(reads, "_chapter", None)
    monkeypatch.setattr(reads, "_loaded", None)
    changed = finding_ids(data_copy)[0]
    reads.snapshot(data_copy)  # the chapter's survey() reads data/ here
    rewrite(
        data_copy / "findings.csv", lambda r: r.update(note="Saved meanwhile.") if r["finding_id"] == changed else None
    )
    reads.note(f"finding:{changed}")
    reads.chapter_is("a-chapter")  # the last cell writes the record
    assert reads.stale(folder, [chapters / "a-chapter.md"], data_copy) == [chapters / "a-chapter.md"]
