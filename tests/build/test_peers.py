"""The chapter on other surveys: every figure as the data give it, every survey in the design table,
no interval where n or base is unknown, conflicts shown both ways, every page in the bibliography.

The data are read here with the csv module, independently of the book's code.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.book import ROOT
from helpers.expected import wilson

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


LINKS = rows("context_figure_sources")
PAGES = {r["source_id"]: r for r in rows("context_sources")}


def pages_of(figure_id: str) -> int:
    """The pages that state a figure, from the links, a repost of another of them counting once."""
    linked = {r["source_id"] for r in LINKS if r["figure_id"] == figure_id}
    return sum(1 for p in linked if PAGES[p]["copy_of"] not in linked)


def mirror_only(figure_id: str) -> bool:
    return all(PAGES[r["source_id"]]["mirror"] == "true" for r in LINKS if r["figure_id"] == figure_id)


TAGS = {
    "any_level": "any level combined",
    "one_option": "one option",
    "agreement": "agreement",
    "from_list": "from a list",
    "not_stated": "answer form not stated",
}


def chart_rows(site: Path) -> list[dict]:
    found = []
    for chart in CHARTS:
        with open(site / "downloads" / "figures" / f"{chart}.csv", encoding="utf-8", newline="") as f:
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
        assert row["stated"] == figure["stated"], row["label"]
        assert f"[{TAGS[figure['answer_form']]}]" in row["label"], "the answer form travels with the figure"
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
            and figure["stated"] == "exact"
            and not figure["conflict"]
            and not mirror_only(figure["figure_id"])
        )
        if not computable:
            assert row["interval_low"] == row["interval_high"] == "", row["label"]
            assert row["no_interval_because"], row["label"]
        else:
            low, high = wilson(float(figure["value"]) / 100, int(n))
            # the values file gives the ends at the precision the book prints: one decimal
            assert float(row["interval_low"]) == pytest.approx(low, abs=0.05), row["label"]
            assert float(row["interval_high"]) == pytest.approx(high, abs=0.05), row["label"]
            assert int(row["assumed_n"]) == int(n)


def test_each_charts_values_table_says_which_rows_have_no_interval_and_why(site, soup):
    by_chart = {}
    for row in chart_rows(site):
        by_chart.setdefault(row["chart"], []).append(row)
    for chart, drawn in by_chart.items():
        cells = [text_of(tr.select("td")[2]) for tr in soup.select(f"figure#{chart} details.iot-values table tbody tr")]
        assert len(cells) == len(drawn), chart
        for row, cell in zip(drawn, cells, strict=True):
            if row["interval_low"]:
                assert cell.startswith(f"{row['interval_low']} to {row['interval_high']}"), (chart, cell)
            else:
                assert cell == f"none: {row['no_interval_because']}", (chart, cell)
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
                assert cells[column] == "not found in any page read", (survey_id, field)
            elif SURVEYS[survey_id][f"{field}_status"] == "single_page":
                assert "(found on one page read)" in cells[column], (survey_id, field)
            elif SURVEYS[survey_id][f"{field}_status"] == "mirror_only":
                assert "(mirror copies only)" in cells[column], (survey_id, field)
        conflict = SURVEYS[survey_id]["conflict"]
        assert not conflict or conflict not in cells[7], f"{survey_id}: conflicts stay out of 'Who answered'"
        methods = cells[-1]
        if SURVEYS[survey_id]["methods"] == "not_found":
            assert methods == "not found in any page read", survey_id
        else:
            assert "could not be read" in methods, survey_id
    header = [text_of(th) for th in table.select("thead th")]
    assert any(h.startswith("Design facts found on a page read") for h in header), header
    assert not any("AAPOR" in h for h in header), "the count of design facts is not a disclosure score"


def test_conflicts_are_shown_both_ways_never_resolved_and_counted_once(soup):
    table = soup.select_one("table#tbl-peers-conflicts")
    text = text_of(table)
    expected = [f["conflict"] for f in FIGURES if f["conflict"]] + [
        s["conflict"] for s in SURVEYS.values() if s["conflict"]
    ]
    for figure in FIGURES:
        if figure["conflict"]:
            assert figure["as_published"] in text and figure["conflict"] in text, figure["figure_id"]
    for survey in SURVEYS.values():
        if survey["conflict"]:
            assert survey["conflict"] in text, survey["survey_id"]
    assert len(table.select("tbody tr")) == len(expected), "each disagreement once"
    page = text_of(soup.select_one("main"))
    assert f"{len(expected)} figures or design facts are given differently" in page


def test_marks_travel_with_each_figure(site):
    for row in chart_rows(site):
        figure = figure_for(row)
        if figure is None:
            continue
        single = pages_of(figure["figure_id"]) == 1  # recomputed from the links, not read from the column
        assert ("found on one page read" in row["label"]) == single, row["label"]
        assert ("mirror copy only" in row["label"]) == mirror_only(figure["figure_id"]), row["label"]
        if SURVEYS[figure["survey_id"]]["scope"] != "security":
            assert SURVEYS[figure["survey_id"]]["scope_note"] in row["label"], row["label"]
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


def test_the_14_percent_is_not_drawn_as_a_top_box_answer(site):
    drawn = chart_rows(site)
    top_box = [r for r in drawn if r["chart"] == "fig-peers-top-box"]
    assert not any(r["finding_id"] for r in top_box), "on the two-way reading the 14% is not a top-of-scale answer"
    improve = [r for r in drawn if r["chart"] == "fig-peers-improve" and r["finding_id"]]
    assert [r["finding_id"] for r in improve] == ["N01"]


def test_top_box_spread_is_stated_honestly(soup):
    values = [f for f in FIGURES if f["question_kind"] == "top_box" and f["value"]]
    low = min(values, key=lambda f: float(f["value"]))
    high = max(values, key=lambda f: float(f["value"]))
    page = text_of(soup.select_one("main"))
    high_words = ("more than " if high["stated"] == "more_than" else "") + f"{float(high['value']):g}%"
    assert f"run from {float(low['value']):g}% to {high_words}" in page
    assert "from 7% to 33%" not in page
