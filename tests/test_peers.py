"""The chapter on other surveys: every figure as the data give it, every survey in the design table,
no interval where n or base is unknown, conflicts shown both ways, every page in the bibliography.

The data are read here with the csv module, independently of the book's code.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from expected import wilson

PAGE = "chapters/peers.html"
CHARTS = (
    "fig-peers-improve",
    "fig-peers-top-box",
    "fig-peers-concern",
    "fig-peers-preparedness",
    "fig-peers-incidence",
)


def rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SURVEYS = {r["survey_id"]: r for r in rows("context_surveys")}
FIGURES = rows("context_figures")


def name(survey_id: str) -> str:
    return f"{SURVEYS[survey_id]['sponsor']} {survey_id[-4:]}"


@pytest.fixture(scope="module")
def soup(site) -> BeautifulSoup:
    return BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    """The node's words, with the typographer's curly quotes made straight again."""
    text = node.get_text(" ").translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.split())


def chart_rows(site: Path) -> list[dict]:
    found = []
    for chart in CHARTS:
        with open(site.parent / "figures" / f"{chart}.csv", encoding="utf-8", newline="") as f:
            found += [dict(r, chart=chart) for r in csv.DictReader(f)]
    return found


def figure_for(row: dict) -> dict | None:
    """The context figure a chart row draws, by survey name and wording in its label."""
    matches = [f for f in FIGURES if row["label"].startswith(f"{name(f['survey_id'])}: {f['wording']}")]
    assert len(matches) <= 1, row["label"]
    return matches[0] if matches else None


def test_every_charted_figure_equals_the_data(site):
    drawn = chart_rows(site)
    peers = [(r, figure_for(r)) for r in drawn if not r["finding_id"]]
    assert all(f is not None for _, f in peers), [r["label"] for r, f in peers if f is None]
    for row, figure in peers:
        assert float(row["value"]) == float(figure["value"]), row["label"]
        assert row["stated"] == ("about" if figure["approximate"] == "true" else "exact")
    charted = {f["figure_id"] for _, f in peers}
    expected = {f["figure_id"] for f in FIGURES if f["value"] and f["question_kind"] != "other"}
    assert charted == expected, "every figure of a related kind with one percentage is drawn, once"


def test_no_interval_where_n_or_base_is_unknown(site):
    for row in chart_rows(site):
        figure = figure_for(row)
        if figure is None:
            continue
        n = SURVEYS[figure["survey_id"]]["n"]
        computable = (
            n
            and SURVEYS[figure["survey_id"]]["n_status"] == "stated"
            and figure["share_of"] == "all_respondents"
            and figure["approximate"] == "false"
        )
        if not computable:
            assert row["interval_low"] == row["interval_high"] == "", row["label"]
            assert row["no_interval_because"], row["label"]
        else:
            low, high = wilson(float(figure["value"]) / 100, int(n))
            assert float(row["interval_low"]) == pytest.approx(low, abs=0.01), row["label"]
            assert float(row["interval_high"]) == pytest.approx(high, abs=0.01), row["label"]
            assert int(row["assumed_n"]) == int(n)


def test_each_chart_alt_text_says_which_rows_have_no_interval(site, soup):
    by_chart = {}
    for row in chart_rows(site):
        by_chart.setdefault(row["chart"], []).append(row)
    for chart, drawn in by_chart.items():
        alt = soup.select_one(f"figure#{chart} img")["alt"]
        assert alt.count("(no interval:") == sum(1 for r in drawn if not r["interval_low"]), chart
        assert alt.count("(modelled 95% interval") == sum(1 for r in drawn if r["interval_low"]), chart
        assert "Each bar is a different question" in text_of(soup.select_one(f"figure#{chart} figcaption"))


def test_every_survey_is_in_the_design_table(soup):
    table = soup.select_one("table#tbl-peers-design")
    first_cells = [text_of(tr.select("td")[0]) for tr in table.select("tbody tr")]
    for survey_id in SURVEYS:
        assert any(cell.startswith(name(survey_id)) for cell in first_cells), survey_id
    assert len(first_cells) == len(SURVEYS) + 1, "the other surveys and this one"
    for tr in table.select("tbody tr")[1:]:
        survey_id = next(i for i in SURVEYS if text_of(tr.select("td")[0]).startswith(name(i)))
        cells = [text_of(td) for td in tr.select("td")]
        for column, field in ((2, "agency"), (3, "fieldwork"), (4, "mode")):
            if SURVEYS[survey_id][f"{field}_status"] == "not_found":
                assert cells[column] == "not published", (survey_id, field)
            elif SURVEYS[survey_id][f"{field}_status"] == "single_page":
                assert "(one page)" in cells[column], (survey_id, field)
            elif SURVEYS[survey_id][f"{field}_status"] == "mirror_only":
                assert "(mirror copies only)" in cells[column], (survey_id, field)


def test_conflicts_are_shown_both_ways_never_resolved(soup):
    table = text_of(soup.select_one("table#tbl-peers-conflicts"))
    for figure in FIGURES:
        if figure["conflict"]:
            assert figure["as_published"] in table and figure["conflict"] in table, figure["figure_id"]
    detect = next(f for f in FIGURES if "unable to detect" in f["conflict"])
    page = text_of(soup.select_one("main"))
    assert (
        re.search(rf"{detect['value']}% of businesses \*?can\*? detect", page.replace("*", ""))
        or f"{detect['value']}% of businesses can detect" in page
    )


def test_marks_travel_with_each_figure(site):
    single = {f["figure_id"] for f in FIGURES if f["single_page"] == "true"}
    links = rows("context_figure_sources")
    mirrors = {s["source_id"] for s in rows("context_sources") if s["mirror"] == "true"}
    mirror_only = {
        f["figure_id"]
        for f in FIGURES
        if all(k["source_id"] in mirrors for k in links if k["figure_id"] == f["figure_id"])
    }
    for row in chart_rows(site):
        figure = figure_for(row)
        if figure is None:
            continue
        assert ("one page" in row["label"]) == (figure["figure_id"] in single), row["label"]
        assert ("mirror copy only" in row["label"]) == (figure["figure_id"] in mirror_only), row["label"]
        assert ("pages conflict" in row["label"]) == bool(figure["conflict"]), row["label"]
        if figure["share_of"] != "all_respondents":
            assert "base:" in row["label"], row["label"]


def test_every_page_is_linked_and_in_the_bibliography(soup):
    hrefs = {a["href"] for a in soup.select("main a[href]")}
    bibliography = text_of(soup.select_one("main .bibliography, main div.citation-list") or soup.select_one("main"))
    for source in rows("context_sources"):
        assert source["url"] in hrefs, source["url"]
    entries = [
        text_of(e) for e in soup.select("main .citation-list .citation, main .bibliography dd, main div.citation")
    ]
    mirrored = [e for e in entries if "mirror copy" in e]
    assert len(mirrored) == sum(s["mirror"] == "true" for s in rows("context_sources")), bibliography[:200]


def test_the_37_and_the_59_are_said_to_have_no_counterpart(soup):
    page = text_of(soup.select_one("main"))
    assert "has no counterpart here, and it is not drawn" in page
    assert "It has no counterpart, and it is not drawn here" in page
