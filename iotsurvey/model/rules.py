"""The rules of data/ that a Table Schema cannot state.

Frictionless checks types, ranges, enums and keys (``datapackage.json``); these rules check what
rows must agree on: a finding has a source, its unit and value agree, its evidence columns follow
the rubric (:mod:`iotsurvey.model.evidence`), a link given differently is explained by a discrepancy,
and the other surveys' tables follow their own rules (:func:`peer_problems`).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING

from . import evidence
from .problems import where

if TYPE_CHECKING:
    import pandas as pd

# The design facts of data/context_surveys.csv, each with a <name>_status column.
DESIGN_FIELDS = ("agency", "fieldwork", "mode", "countries", "organisation_size")
# How context_figures.as_published starts, by how its value is stated (column stated).
STATED_PREFIX = {"exact": "", "about": "~", "more_than": ">"}


def check(tables: dict[str, pd.DataFrame], paths: dict[str, Path]) -> list[str]:
    """Every problem found, each naming file, row and column."""
    import pandas as pd

    problems: list[str] = []

    def say(table, index, column, text):
        problems.append(f"{where(paths[table], int(index) + 2, column)}: {text}")

    findings = tables["findings"]
    sourced = set(tables["finding_sources"]["finding_id"])
    ranked = set(tables["rankings"]["finding_id"])
    by_id = findings.set_index("finding_id")
    for i, f in findings.iterrows():
        fid = f["finding_id"]
        if fid not in sourced:
            say(
                "findings",
                i,
                "finding_id",
                f"expected at least one row for {fid} in data/finding_sources.csv, found none (a finding without a source)",
            )
        has_pct, has_amt = pd.notna(f["percent"]), pd.notna(f["amount"])
        unit, stated = f["unit"], f["stated"]
        if unit == "percent" and not has_pct:
            say("findings", i, "percent", "expected a percentage because unit is percent, found an empty cell")
        if unit != "percent" and has_pct:
            say("findings", i, "percent", f"expected an empty cell because unit is {unit}, found {f['percent']}")
        if unit in ("usd_million", "attacks") and not has_amt:
            say("findings", i, "amount", f"expected an amount because unit is {unit}, found an empty cell")
        if unit in ("percent", "rank") and has_amt:
            say("findings", i, "amount", f"expected an empty cell because unit is {unit}, found {f['amount']}")
        if (unit == "rank") != (stated == "rank"):
            say(
                "findings",
                i,
                "stated",
                f'expected stated and unit to be "rank" together, found stated={stated}, unit={unit}',
            )
        if unit == "rank" and fid not in ranked:
            say("findings", i, "finding_id", f"expected ranked items for {fid} in data/rankings.csv, found none")
        if (f["country"] == "All") == (f["base"] == "country"):
            say(
                "findings",
                i,
                "base",
                f'expected base "country" exactly when country is not All, found base={f["base"]}, country={f["country"]}',
            )
        gid = f["global_id"]
        if pd.notna(gid):
            if f["country"] == "All":
                say("findings", i, "global_id", "expected an empty cell for a whole-sample figure, found " + gid)
            elif gid in by_id.index and by_id.loc[gid, "country"] != "All":
                say(
                    "findings",
                    i,
                    "global_id",
                    f"expected a whole-sample finding, found {gid} (a {by_id.loc[gid, 'country']} figure)",
                )

    problems += _flag_problems(tables, paths)  # before the grade, which follows from them
    pages = tables["finding_sources"]["finding_id"].value_counts()
    for i, f in findings.iterrows():
        unit, stated, base = f["unit"], f["stated"], f["base"]
        count = int(pages.get(f["finding_id"], 0))
        if count and f["pages"] != count:
            say(
                "findings",
                i,
                "pages",
                f"expected {count}, the rows for {f['finding_id']} in data/finding_sources.csv, found {f['pages']}",
            )
        if f["single_source"] != (f["pages"] == 1):
            say(
                "findings",
                i,
                "single_source",
                f"expected {str(f['pages'] == 1).lower()} because pages is {f['pages']}, found {str(f['single_source']).lower()}",
            )
        want = evidence.expected_interval(unit, stated, base)
        if f["interval"] != want:
            say(
                "findings",
                i,
                "interval",
                f"expected {want} (unit {unit}, stated {stated}, base {base}), found {f['interval']}",
            )
        want = evidence.expected_grade(
            unit, stated, base, bool(f["single_source"]), bool(f["coverage_only"]), bool(f["base_presumed"])
        )
        if f["evidence"] != want:
            say("findings", i, "evidence", f"expected {want} by the rubric in data/README.md, found {f['evidence']}")

    releases = tables["releases"].set_index("release_id")
    for i, f in findings.iterrows():
        rel_date = releases.loc[f["release_id"], "date"] if f["release_id"] in releases.index else None
        if f["date"] is not None and rel_date is not None and f["date"] != rel_date:
            say("findings", i, "date", f"expected {rel_date}, the date of release {f['release_id']}, found {f['date']}")

    design = tables["design"]
    design_sourced = set(tables["design_sources"]["design_id"])
    for i, d in design.iterrows():
        if d["design_id"] not in design_sourced:
            say(
                "design",
                i,
                "design_id",
                f"expected at least one row for {d['design_id']} in data/design_sources.csv, found none (a fact without a source)",
            )
        value, unit = d["value"], d["unit"]
        if unit in ("respondents", "countries", "employees") and not (value.isdigit() and int(value) > 0):
            say("design", i, "value", f'expected a whole number of {unit}, found "{value}"')
        if unit == "date":
            try:
                _dt.date.fromisoformat(value)
            except ValueError:
                say("design", i, "value", f'expected a date written YYYY-MM-DD, found "{value}"')

    disc = tables["discrepancies"]
    for i, d in disc.iterrows():
        if pd.notna(d["finding_id"]) and pd.notna(d["design_id"]):
            say("discrepancies", i, "design_id", "expected a finding_id or a design_id, not both")
    flagged = disc.merge(tables["discrepancy_sources"], on="discrepancy_id")
    flagged_findings = set(
        zip(flagged["finding_id"].dropna(), flagged.loc[flagged["finding_id"].notna(), "source_id"], strict=False)
    )
    flagged_design = set(
        zip(flagged["design_id"].dropna(), flagged.loc[flagged["design_id"].notna(), "source_id"], strict=False)
    )
    for table, key, flagged_pairs in (
        ("finding_sources", "finding_id", flagged_findings),
        ("design_sources", "design_id", flagged_design),
    ):
        for i, link in tables[table].iterrows():
            if not link["as_released"] and (link[key], link["source_id"]) not in flagged_pairs:
                say(
                    table,
                    i,
                    "as_released",
                    f"expected a discrepancy in data/discrepancies.csv that names {link['source_id']} for {link[key]}, found none",
                )

    for table, index, column, text in peer_problems(tables):
        say(table, index, column, text)
    return problems


def _flag_problems(tables: dict[str, pd.DataFrame], paths: dict[str, Path]) -> list[str]:
    """The flags of data/findings.csv: two recomputed from the links, two judgements checked for sense."""
    import pandas as pd

    problems: list[str] = []

    def say(index, column, text):
        problems.append(f"{where(paths['findings'], int(index) + 2, column)}: {text}")

    findings = tables["findings"]
    kinds = dict(zip(tables["sources"]["source_id"], tables["sources"]["kind"], strict=True))
    copies = dict(zip(tables["releases"]["release_id"], tables["releases"]["copy_used"], strict=True))
    links = tables["finding_sources"]
    released = links[links["as_released"].astype(bool)]
    disc = tables["discrepancies"]
    contesting = disc[disc["kind"].isin(evidence.CONTESTING)]
    contested = set(contesting["finding_id"].dropna()) | set(contesting["related_id"].dropna())
    by_id = findings.set_index("finding_id")
    for i, f in findings.iterrows():
        fid = f["finding_id"]
        pages = released[released["finding_id"] == fid]["source_id"]
        carried = any(kinds.get(p) in evidence.RELEASE_KINDS or p == copies.get(f["release_id"]) for p in pages)
        if bool(f["coverage_only"]) == carried:
            because = "a copy of its release carries it" if carried else "no copy of its release carries it"
            say(
                i,
                "coverage_only",
                f"expected {str(not carried).lower()} because {because} (data/finding_sources.csv), "
                f"found {str(bool(f['coverage_only'])).lower()}",
            )
        if (f["wording"] == "coverage_only") != bool(f["coverage_only"]):
            say(
                i,
                "wording",
                f'expected wording "coverage_only" exactly when coverage_only is true, found '
                f"{f['wording']} with coverage_only {str(bool(f['coverage_only'])).lower()}",
            )
        if bool(f["contested"]) != (fid in contested):
            why = (
                "a discrepancy of kind " + "/".join(evidence.CONTESTING) + " names it"
                if fid in contested
                else "no such discrepancy names it"
            )
            say(
                i,
                "contested",
                f"expected {str(fid in contested).lower()} because {why} (data/discrepancies.csv), "
                f"found {str(bool(f['contested'])).lower()}",
            )
        if bool(f["base_presumed"]) and f["base"] != "all_respondents":
            say(i, "base_presumed", f"expected false for a figure whose base is {f['base']}, found true")
        if bool(f["wording_differs"]) and pd.isna(f["global_id"]):
            say(i, "wording_differs", "expected false for a figure with no whole-sample figure (global_id), found true")
        other = f["stated_with"]
        if pd.notna(other) and other in by_id.index:
            o = by_id.loc[other]
            if pd.isna(o["stated_with"]) or o["stated_with"] != fid:
                say(i, "stated_with", f"expected {other} to name {fid} in its stated_with, found {o['stated_with']}")
            if (o["percent"], o["global_id"], o["release_id"]) != (f["percent"], f["global_id"], f["release_id"]):
                say(
                    i,
                    "stated_with",
                    f"expected {other} to have the same value, whole-sample figure and release, "
                    f"found {o['percent']}, {o['global_id']}, {o['release_id']}",
                )
    return problems


# ---------------------------------------------------------------------------
# The other surveys' tables


def peer_problems(tables: dict[str, pd.DataFrame]) -> list[tuple[str, int, str, str]]:
    import pandas as pd

    """(table, row index, column, what was expected and found) for each problem."""
    problems = []
    surveys, figures = tables["context_surveys"], tables["context_figures"]
    linked = set(tables["context_figure_sources"]["figure_id"])
    with_figures = set(figures["survey_id"])
    for i, s in surveys.iterrows():
        for name in DESIGN_FIELDS:
            empty, status = pd.isna(s[name]), s[f"{name}_status"]
            if empty != (status == "not_found"):
                problems.append(
                    (
                        "context_surveys",
                        i,
                        f"{name}_status",
                        f"expected not_found exactly when {name} is empty, found {status} with "
                        + ("an empty cell" if empty else f'"{s[name]}"'),
                    )
                )
        if pd.notna(s["n"]):
            if s["n_status"] == "not_found":
                problems.append(
                    (
                        "context_surveys",
                        i,
                        "n_status",
                        f"expected stated or single_page because n is {s['n']}, found not_found",
                    )
                )
            if f"{int(s['n']):,}" not in str(s["n_as_published"]).replace(" ", ""):
                problems.append(
                    (
                        "context_surveys",
                        i,
                        "n",
                        f'expected n to appear in n_as_published ("{s["n_as_published"]}"), found {s["n"]}',
                    )
                )
        if s["survey_id"] not in with_figures:
            problems.append(
                (
                    "context_surveys",
                    i,
                    "survey_id",
                    f"expected at least one figure of {s['survey_id']} in data/context_figures.csv, found none",
                )
            )
    used = set(tables["context_figure_sources"]["source_id"]) | set(tables["context_survey_sources"]["source_id"])
    for i, page in tables["context_sources"].iterrows():
        if page["source_id"] not in used:
            problems.append(
                (
                    "context_sources",
                    i,
                    "source_id",
                    f"expected {page['source_id']} to state a figure (data/context_figure_sources.csv) or a design "
                    "fact (data/context_survey_sources.csv), found it in neither",
                )
            )
    copy_of = dict(zip(tables["context_sources"]["source_id"], tables["context_sources"]["copy_of"], strict=True))
    links = tables["context_figure_sources"]
    for i, f in figures.iterrows():
        pages = set(links[links["figure_id"] == f["figure_id"]]["source_id"])
        count = sum(1 for p in pages if copy_of.get(p) not in pages)
        if pages and f["verified_by"] != count:
            problems.append(
                (
                    "context_figures",
                    i,
                    "verified_by",
                    f"expected {count}, the pages linked to {f['figure_id']} in data/context_figure_sources.csv "
                    f"(a repost of another of them counting once), found {f['verified_by']}",
                )
            )
        if f["figure_id"] not in linked:
            problems.append(
                (
                    "context_figures",
                    i,
                    "figure_id",
                    f"expected at least one row for {f['figure_id']} in data/context_figure_sources.csv, found none (a figure without a page)",
                )
            )
        if bool(f["single_page"]) != (f["verified_by"] == 1):
            problems.append(
                (
                    "context_figures",
                    i,
                    "single_page",
                    f"expected {str(f['verified_by'] == 1).lower()} because verified_by is {f['verified_by']}, found {str(bool(f['single_page'])).lower()}",
                )
            )
        published = str(f["as_published"]).lstrip("~>")
        if pd.notna(f["value"]):
            number = f"{f['value']:g}"
            if not published.startswith(number + "%"):
                problems.append(
                    (
                        "context_figures",
                        i,
                        "value",
                        f'expected the number as published ("{f["as_published"]}"), found {number}',
                    )
                )
        prefix = next((k for k, v in STATED_PREFIX.items() if v and str(f["as_published"]).startswith(v)), "exact")
        if f["stated"] != prefix:
            problems.append(
                (
                    "context_figures",
                    i,
                    "stated",
                    f'expected {prefix} for "{f["as_published"]}" (~ marks a rounded phrase, > a lower bound), '
                    f"found {f['stated']}",
                )
            )
    return problems
