"""Every finding has a home: a chapter lists it (its prose, Sources list and data download), a figure draws it
or says why not, and every registered figure is shown once, by the chapter it names, with matching metadata.
Each failure says which file to edit."""

from __future__ import annotations

import re

import pytest
from helpers import expected
from helpers.book import ROOT

from iotsurvey.model.scenarios import stated_together
from iotsurvey.model.survey import load
from iotsurvey.render.chapters import CHAPTERS, chapter_findings
from iotsurvey.render.figures import FIGURES, NOT_DRAWN, chart

FIGURE_CELL = re.compile(r"```\{code-cell\} python\n---\n(?P<meta>.*?)\n---\n(?P<code>.*?)```", re.S)


def test_every_finding_is_in_a_chapter():
    listed = {f.id for doc in CHAPTERS for f in chapter_findings(doc)}
    missing = sorted({r["finding_id"] for r in expected.table("findings")} - listed)
    assert not missing, (
        f"findings in no chapter: {missing}. Add each id to the chapter of its theme in CHAPTERS "
        "(iotsurvey/render/chapters.py) and unpack it in that chapter's first cell"
    )


def drawn_findings() -> set[str]:
    survey, drawn = load(), set()
    for name in FIGURES:
        for row in chart(name).rows():
            if row.get("finding_id"):
                drawn |= {m.id for m in stated_together(survey.finding(row["finding_id"]))}
    return drawn


def test_every_finding_is_drawn_or_says_why_not():
    drawn = drawn_findings()
    ids = {r["finding_id"] for r in expected.table("findings")}
    missing = sorted(ids - drawn - set(NOT_DRAWN))
    assert not missing, (
        f"findings no figure draws: {missing}. Add each to the figure of its chapter in "
        "iotsurvey/render/figures.py, or to NOT_DRAWN there with the reason"
    )
    assert not set(NOT_DRAWN) & drawn, "a finding in NOT_DRAWN is drawn after all: take it out of NOT_DRAWN"
    assert set(NOT_DRAWN) <= ids, "NOT_DRAWN names a finding data/findings.csv does not have"


def shown_figures() -> dict[str, list[tuple[str, str]]]:
    """figure name -> (document, name in the cell's metadata) for every show_figure cell of the book."""
    shown: dict[str, list[tuple[str, str]]] = {}
    for path in [ROOT / "index.md", *sorted((ROOT / "chapters").glob("*.md"))]:
        doc = path.relative_to(ROOT).with_suffix("").as_posix()
        for cell in FIGURE_CELL.finditer(path.read_text(encoding="utf-8")):
            call = re.search(r'show_figure\("([^"]+)"\)', cell["code"])
            named = re.search(r"^\s+name: (\S+)", cell["meta"], re.M)
            if call:
                shown.setdefault(call.group(1), []).append((doc, named.group(1) if named else ""))
    return shown


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_figure_is_shown_once_by_its_chapter_with_its_name_in_the_cell_metadata(name):
    places = shown_figures().get(name, [])
    chapter = FIGURES[name].chapter
    assert places, f"{name} is registered in iotsurvey/render/figures.py but no chapter shows it"
    assert len(places) == 1, f"{name} is shown more than once: {places}"
    doc, named = places[0]
    assert doc == chapter, f"{name} is registered for {chapter} but shown in {doc}"
    assert named == name, f"{doc}: the cell showing {name} names {named!r} in its mystnb.figure metadata"


def test_no_chapter_shows_a_figure_that_is_not_registered():
    unknown = sorted(set(shown_figures()) - set(FIGURES))
    assert not unknown, f"shown but not registered in iotsurvey/render/figures.py: {unknown}"
