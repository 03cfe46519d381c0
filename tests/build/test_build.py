"""The strict build: it passes, every chapter runs, glued numbers equal the data, figures have alt text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import expected
from helpers.book import ROLE, chapters, glued, notebooks, prose_lines, prose_roles


def test_strict_build_produces_the_core_pages(site):
    for page in ("index.html", "chapters/methodology.html", "chapters/sample.html"):
        assert (site / page).is_file(), page


@pytest.mark.parametrize("doc", notebooks())
def test_each_chapter_executed_without_error(site, doc):
    """The chapter ran: every code cell has its outputs, none of them an error, and its glue was recorded.

    The outputs are read from the notebook the site offers for download, which the build fills from
    the execution cache (``_build/jupyter_execute`` keeps no outputs for notebooks run through it).
    """
    nb = json.loads((site / "_sources" / f"{doc}.ipynb").read_text(encoding="utf-8"))
    added = "find-the-book"  # the cell the download adds in front, to find the module from a clone
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and added not in c["metadata"].get("tags", [])]
    assert code, f"{doc} has no code cells"
    assert all(c.get("execution_count") for c in code), f"{doc}: a code cell did not run"
    assert len(glued(site, doc)) >= 3, f"{doc}: almost nothing was glued, so its cells did not run"
    for cell in code:
        assert not [o for o in cell.get("outputs", []) if o.get("output_type") == "error"], doc
    page = (site / f"{doc}.html").read_text(encoding="utf-8")
    assert "Traceback" not in page, f"{doc}: a traceback reached the page"


@pytest.mark.parametrize("doc", notebooks())
def test_glued_values_equal_the_data(site, doc):
    values = glued(site, doc)
    outside = [key for key in values if not _in_grammar(key)]
    assert not outside, f"{doc}: glued keys that tests/expected.py cannot recompute: {outside[:10]}"
    for key, value in values.items():
        want = expected.expected(key)
        if isinstance(want, float):
            assert value == pytest.approx(want, abs=1e-6), key
        else:
            assert value == want, key


def _in_grammar(key: str) -> bool:
    try:
        expected.expected(key)
    except KeyError:
        return False
    return True


@pytest.mark.parametrize("doc", notebooks())
def test_every_role_in_the_prose_is_glued_and_shown(site, doc):
    values = glued(site, doc)
    roles = prose_roles(doc)
    missing = [key for key, _ in roles if key not in values]
    assert not missing, f"{doc}: keys used but not glued: {missing}"
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    shown = [span.get_text() for span in soup.select("main .pasted-text")]
    wanted = [format(values[key], fmt) if fmt else str(values[key]) for key, fmt in roles]
    assert shown == wanted


def test_no_hand_typed_percentages_in_prose():
    offenders = []
    for doc in chapters():
        for number, line in prose_lines(doc):
            prose = ROLE.sub("", re.sub(r"\{[a-z:]+\}`[^`]*`", "", line))
            if re.search(r"\b\d{1,3}(\.\d+)?\s?(%|per ?cent|percent)", prose):
                offenders.append(f"{doc}.md:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def values_link(figure) -> str | None:
    return next((a["href"] for a in figure.select("a.iot-download") if a["href"].endswith(".csv")), None)


def test_every_figure_has_a_short_alt_text_that_states_a_value(site):
    """A short description (at most 250 characters): what is compared and the main result; the values are in
    the table beside the chart."""
    figures = 0
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("main figure"):
            for img in figure.select("img"):
                alt = img.get("alt", "").strip()
                assert alt and len(alt) <= 250, f"{page}: alt text missing or longer than 250 characters: {alt}"
                assert re.search(r"\d", alt), f"{page}: alt text states no value: {alt}"
            figures += 1
    assert figures >= 1


def test_each_figure_has_its_values_beside_it_as_a_table_and_a_csv(site):
    """The table under the chart (a toggle) shows every row of the figure's values file, in order."""
    import csv

    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("main figure"):
            link = values_link(figure)
            assert link, f"{page}: figure {figure.get('id')} without a CSV of its values"
            rows = list(csv.DictReader((page.parent / link).read_text(encoding="utf-8").splitlines()))
            table = figure.select_one("details.iot-values table")
            assert table is not None, f"{page}: figure {figure.get('id')} has no values table"
            shown = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
            assert len(shown) == len(rows), f"{page}: {figure.get('id')}"
            quotes = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
            for row, cells in zip(rows, shown, strict=True):
                first = row.get("label", row.get("n"))
                assert cells[0].translate(quotes) == first, (cells, row)
                if row.get("stated") == "rank":
                    assert row["value"] == "", f"{page}: a rank with a value: {row}"


def test_numbered_figures_and_tables_have_stable_anchors(site):
    soup = BeautifulSoup((site / "chapters" / "sample.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("figure#fig-precision .caption-number")
    assert soup.select_one("table#tbl-scenarios") or soup.select_one("#tbl-scenarios")


FINDING_FIGURES = {
    "chapters/awareness": ["fig-awareness", "fig-awareness-germany"],
    "chapters/security-needs": ["fig-security-needs"],
    "chapters/attack-targets": ["fig-attack-targets"],
    "chapters/priorities": ["fig-priorities"],
    "chapters/risk": ["fig-risk"],
    "chapters/consequences": ["fig-consequences"],
    "chapters/decisions": ["fig-decisions"],
    "chapters/spending-incidents": ["fig-incidents"],
    "chapters/countries": ["fig-countries", "fig-country-gaps"],
    "chapters/sources": ["fig-travel"],
    "index": ["fig-glance"],
}


@pytest.mark.parametrize("doc,names", FINDING_FIGURES.items())
def test_findings_chapters_have_their_numbered_figures(site, doc, names):
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    for name in names:
        figure = soup.select_one(f"figure#{name}")
        assert figure is not None, f"{doc}: no figure {name}"
        assert figure.select_one(".caption-number"), f"{name} is not numbered"
        assert figure.select_one("a.headerlink"), f"{name} has no permalink"
        assert "Source:" in figure.get_text(), f"{name} has no source note"


def test_bounds_are_published_as_bounds(site):
    import csv

    page = site / "chapters" / "priorities.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    link = next(a["href"] for a in soup.select("figure#fig-priorities a.iot-download") if a["href"].endswith(".csv"))
    rows = list(csv.DictReader((page.parent / link).read_text(encoding="utf-8").splitlines()))
    bound = next(r for r in rows if r["stated"] == "more_than")
    assert bound["value"] == "50.0" and bound["interval_low"] == "" and bound["interval_high"] == ""
    alt = soup.select_one("figure#fig-priorities img")["alt"]
    assert "more than 50%" in alt


def test_glance_links_each_finding_to_its_chapter(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one("table#fig-glance-table")
    assert table is not None
    measures = {r["measure"]: r["finding_id"] for r in expected.table("findings") if r["release_id"] == "nov-2018"}
    text_rows = [
        tr
        for tr in table.select("tr")
        if tr.find("td") and any(tr.find("td").get_text().startswith(m) for m in measures)
    ]
    found = {measures[m] for tr in text_rows for m in measures if tr.find("td").get_text().startswith(m)}
    assert found >= {f"N0{i}" for i in range(1, 8)}, found
    for tr in text_rows:
        link = tr.select_one("a.reference.internal")
        assert link is not None and link["href"].startswith("chapters/"), tr.get_text()


def _all_pages(site: Path) -> dict[str, BeautifulSoup]:
    return {
        str(p.relative_to(site)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in site.rglob("*.html")
        if not p.name.startswith(("genindex", "search"))
    }


def test_every_finding_appears_in_a_themed_chapter(site):
    placed = {}
    for doc in notebooks():
        if doc in ("chapters/sources",):
            continue
        keys = glued(site, doc)
        soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        text = " ".join(soup.get_text(" ").split()).translate(str.maketrans({"\u2018": "'", "\u2019": "'"}))
        for row in expected.table("findings"):
            fid = row["finding_id"]
            if fid in keys and row["measure"] in text:  # named in words, as readers meet it
                placed.setdefault(fid, []).append(doc)
    missing = [r["finding_id"] for r in expected.table("findings") if r["finding_id"] not in placed]
    assert not missing, f"findings in no chapter: {missing}"


def test_every_source_address_is_cited(site):
    hrefs = {a["href"] for soup in _all_pages(site).values() for a in soup.find_all("a", href=True)}
    missing = [r["url"] for r in expected.table("sources") if r["url"] not in hrefs]
    assert not missing, f"sources never linked: {missing}"


def test_every_discrepancy_is_rendered(site):
    soup = BeautifulSoup((site / "chapters" / "sources.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one("table#tbl-discrepancies") or soup.select_one("#tbl-discrepancies").find_parent("table")
    rows = {tr.find("td").get_text(): tr for tr in table.select("tbody tr")}
    for d in expected.table("discrepancies"):
        assert d["discrepancy_id"] in rows, d["discrepancy_id"]
        text = " ".join(rows[d["discrepancy_id"]].get_text(" ").split())
        assert " ".join(d["release_says"].split()) in text and " ".join(d["outlet_says"].split()) in text
        urls = {a["href"] for a in rows[d["discrepancy_id"]].find_all("a", href=True)}
        sources = {r["source_id"]: r["url"] for r in expected.table("sources")}
        for link in expected.table("discrepancy_sources"):
            if link["discrepancy_id"] == d["discrepancy_id"]:
                assert sources[link["source_id"]] in urls, (d["discrepancy_id"], link["source_id"])


def test_misreadings_are_stated_only_in_the_sources_chapter(site):
    """No chapter but the sources chapter quotes an outlet's divergent version of a figure."""
    claims = [" ".join(d["outlet_says"].split()) for d in expected.table("discrepancies")]
    for name, soup in _all_pages(site).items():
        if name in ("chapters/sources.html",):
            continue
        text = " ".join(soup.get_text(" ").split())
        leaked = [c for c in claims if len(c) > 25 and c in text]
        assert not leaked, f"{name} states misreadings: {leaked}"
