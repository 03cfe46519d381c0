"""Load the book's data package and refuse bad data.

``data/datapackage.json`` is the single source of truth for what each file and
column may hold.  Frictionless checks types, constraints, enumerations and
primary and foreign keys against it; this module adds the few rules a schema
cannot state (every finding has a source, a rank has ranked items, ...).

Any problem stops everything with a :class:`DataError` whose message names the
file, the row and the column and says what was expected.  Rows are counted as a
spreadsheet shows them: the header is row 1, the first data row is row 2.
Nothing is dropped or coerced: a value that does not match its column's type
is an error, not a missing value.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from . import evidence

if TYPE_CHECKING:  # pandas is imported where it is used: the build's start-up only needs fingerprint()
    import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PACKAGE = DATA / "datapackage.json"
BUILD = ROOT / "_build"  # where the build writes the site, the cache, figures and downloads
PACKAGE_ZIP = "iot-survey-data-package.zip"  # the data package as one download, written by the Sphinx extension


class DataError(ValueError):
    """Bad data in the package; the message names file, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:20]
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__("The book's data did not pass validation:\n  " + "\n  ".join(shown) + more)


def _where(path: Path, row: int | None, column: str | None) -> str:
    try:
        name = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        name = path.as_posix()
    parts = [name]
    parts.append(f"row {row}" if row is not None else "row -")
    parts.append(f"column {column}" if column else "column -")
    return ", ".join(parts)


# ---------------------------------------------------------------------------
# Byte-level checks frictionless does not make (or makes without a position)


def _check_bytes(path: Path) -> list[str]:
    if not path.exists():
        return [f"{_where(path, None, None)}: expected the file named in datapackage.json, found no file"]
    raw = path.read_bytes()
    if not raw.strip():
        return [f"{_where(path, 1, None)}: expected a header row and data, found an empty file"]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [f"{_where(path, 1, _first_label(raw[3:]))}: expected plain UTF-8, found a byte-order mark (BOM) before the header"]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = _column_at(raw[line_start: exc.start], raw)
        return [f"{_where(path, line, column)}: expected UTF-8 text, found the byte 0x{raw[exc.start]:02x} that is not UTF-8"]
    if b"\r" in raw:
        line = raw[: raw.index(b"\r")].count(b"\n") + 1
        return [f"{_where(path, line, None)}: expected lines ending in LF, found a carriage return (CR)"]
    return []


def _first_label(raw: bytes) -> str | None:
    first = raw.split(b"\n", 1)[0].split(b",", 1)[0]
    return first.decode("utf-8", "replace") or None


def _column_at(prefix: bytes, raw: bytes) -> str | None:
    header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").split(",")
    index = prefix.count(b",")  # good enough for the column of a stray byte
    return header[index] if index < len(header) else None


# ---------------------------------------------------------------------------
# Frictionless errors, said in words a maintainer can act on

_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "date": "a date written YYYY-MM-DD",
    "string": "text",
}


def _expected(error, fields: dict) -> str:
    t = error.type
    cell = getattr(error, "cell", None)
    found = f'found "{cell}"' if cell not in (None, "") else "found an empty cell"
    field = fields.get(getattr(error, "field_name", None) or "", {})
    if t == "type-error":
        return f"expected {_TYPE_WORDS.get(field.get('type'), field.get('type'))}, {found}"
    if t == "constraint-error":
        note = error.note  # e.g. 'constraint "maximum" is "100"'
        c = field.get("constraints", {})
        if '"required"' in note:
            return "expected a value, found an empty cell"
        if '"enum"' in note:
            return f"expected one of {', '.join(map(str, c.get('enum', [])))}, {found}"
        if '"maximum"' in note or '"minimum"' in note:
            lo, hi = c.get("minimum"), c.get("maximum")
            rng = f"from {lo} to {hi}" if lo is not None and hi is not None else (f"at least {lo}" if lo is not None else f"at most {hi}")
            return f"expected a value {rng}, {found}"
        if '"pattern"' in note:
            return f"expected text matching {c.get('pattern')}, {found}"
        return f"expected a value that meets {note}, {found}"
    if t in ("unique-error", "primary-key"):
        first = error.note.rsplit("position", 1)[-1].strip(' "')
        cells = f'"{cell}"' if cell else "the key " + ", ".join(f'"{c}"' for c in getattr(error, "cells", []))
        return f"expected a value used in no other row, found {cells} again (first in row {first})"
    if t == "foreign-key":
        target = ", ".join(f"{error.reference_name}.{k}" for k in error.reference_field_names)
        values = ", ".join(f'"{v}"' for v in error.field_cells)
        return (f"expected a value that exists in the referenced file ({target}), "
                f"found {values}, which it does not have")
    if t == "missing-label":
        return "expected this column in the header, found it missing"
    if t == "extra-label":
        return f'expected no more columns, found an unexpected extra column "{error.label}"'
    if t == "incorrect-label":
        return f'expected the column "{error.field_name}" here, found "{error.label}"'
    if t == "duplicate-label":
        return f'expected each column once, found "{error.label}" twice'
    if t == "blank-label":
        return "expected a column name, found a blank one"
    if t == "missing-cell":
        return "expected a cell here, found the row too short"
    if t == "extra-cell":
        return f'expected no more cells, found an extra cell "{cell}"'
    if t == "blank-row":
        return "expected data, found a blank row"
    return f"expected valid data, found: {error.message}"


def _header_problems(path: Path, schema: dict) -> list[str]:
    """Columns missing from the header, or not in the schema, named once each (before any cell is checked)."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    expected = [f["name"] for f in schema["fields"]]
    problems = [f"{_where(path, 1, name)}: expected this column in the header, found it missing"
                for name in expected if name not in header]
    problems += [f'{_where(path, 1, name)}: expected no column named "{name}", found an extra column'
                 for name in header if name not in expected]
    if not problems and header != expected:
        problems.append(f"{_where(path, 1, None)}: expected the columns in the order {', '.join(expected)}, "
                        f"found {', '.join(header)}")
    return problems


def _frictionless_problems(package_path: Path) -> list[str]:
    import frictionless  # imported here: only validation needs it

    report = frictionless.validate(str(package_path))
    problems = []
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for error in getattr(report, "errors", []):
        problems.append(f"{package_path.name}: {error.message}")
    for task in report.tasks:
        resource = by_name.get(task.name, {})
        path = package_path.parent / resource.get("path", task.name)
        fields = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
        unique_rows = {e.row_number for e in task.errors if e.type == "unique-error"}
        for error in task.errors:
            if error.type == "primary-key" and error.row_number in unique_rows:
                continue  # the same duplicate, already reported for its column
            row = getattr(error, "row_number", None)
            if error.type.endswith("label"):
                row = 1
            column = getattr(error, "field_name", None) or getattr(error, "label", None)
            if error.type == "foreign-key":
                column = ", ".join(error.field_names)
            problems.append(f"{_where(path, row, column)}: {_expected(error, fields)}")
    return problems


# ---------------------------------------------------------------------------
# Reading with the schema's types: strings in, typed columns out, no guessing


def _read(path: Path, schema: dict) -> pd.DataFrame:
    import pandas as pd

    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    convert = {
        "number": (float, "Float64"),
        "integer": (int, "Int64"),
        "boolean": ({"true": True, "false": False}.__getitem__, "boolean"),
        "date": (_dt.date.fromisoformat, object),
        "string": (str, "string"),
    }
    frame = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        to_value, dtype = convert[field["type"]]
        values = [None if cell == "" else to_value(cell) for cell in raw[field["name"]].tolist()]
        frame[field["name"]] = pd.Series(values, index=raw.index, dtype=dtype)
    return frame


# ---------------------------------------------------------------------------
# Rules the schema cannot express


def _rules(tables: dict[str, pd.DataFrame], paths: dict[str, Path]) -> list[str]:
    import pandas as pd

    problems: list[str] = []

    def say(table, index, column, text):
        problems.append(f"{_where(paths[table], int(index) + 2, column)}: {text}")

    findings = tables["findings"]
    sourced = set(tables["finding_sources"]["finding_id"])
    ranked = set(tables["rankings"]["finding_id"])
    by_id = findings.set_index("finding_id")
    for i, f in findings.iterrows():
        fid = f["finding_id"]
        if fid not in sourced:
            say("findings", i, "finding_id", f'expected at least one row for {fid} in data/finding_sources.csv, found none (a finding without a source)')
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
            say("findings", i, "stated", f'expected stated and unit to be "rank" together, found stated={stated}, unit={unit}')
        if unit == "rank" and fid not in ranked:
            say("findings", i, "finding_id", f"expected ranked items for {fid} in data/rankings.csv, found none")
        if (f["country"] == "All") == (f["base"] == "country"):
            say("findings", i, "base", f'expected base "country" exactly when country is not All, found base={f["base"]}, country={f["country"]}')
        gid = f["global_id"]
        if pd.notna(gid):
            if f["country"] == "All":
                say("findings", i, "global_id", "expected an empty cell for a whole-sample figure, found " + gid)
            elif gid in by_id.index and by_id.loc[gid, "country"] != "All":
                say("findings", i, "global_id", f"expected a whole-sample finding, found {gid} (a {by_id.loc[gid, 'country']} figure)")

    pages = tables["finding_sources"]["finding_id"].value_counts()
    for i, f in findings.iterrows():
        unit, stated, base = f["unit"], f["stated"], f["base"]
        count = int(pages.get(f["finding_id"], 0))
        if count and f["pages"] != count:
            say("findings", i, "pages", f"expected {count}, the rows for {f['finding_id']} in data/finding_sources.csv, found {f['pages']}")
        if f["single_source"] != (f["pages"] == 1):
            say("findings", i, "single_source", f"expected {str(f['pages'] == 1).lower()} because pages is {f['pages']}, found {str(f['single_source']).lower()}")
        want = evidence.expected_interval(unit, stated, base)
        if f["interval"] != want:
            say("findings", i, "interval", f"expected {want} (unit {unit}, stated {stated}, base {base}), found {f['interval']}")
        want = evidence.expected_grade(unit, stated, base, bool(f["single_source"]))
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
            say("design", i, "design_id", f"expected at least one row for {d['design_id']} in data/design_sources.csv, found none (a fact without a source)")
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
    flagged_findings = set(zip(flagged["finding_id"].dropna(), flagged.loc[flagged["finding_id"].notna(), "source_id"]))
    flagged_design = set(zip(flagged["design_id"].dropna(), flagged.loc[flagged["design_id"].notna(), "source_id"]))
    for table, key, flagged_pairs in (("finding_sources", "finding_id", flagged_findings), ("design_sources", "design_id", flagged_design)):
        for i, link in tables[table].iterrows():
            if not link["as_released"] and (link[key], link["source_id"]) not in flagged_pairs:
                say(table, i, "as_released", f"expected a discrepancy in data/discrepancies.csv that names {link['source_id']} for {link[key]}, found none")

    from . import peers  # the other surveys' tables have rules of their own

    for table, index, column, text in peers.check(tables):
        say(table, index, column, text)
    return problems


# ---------------------------------------------------------------------------


VALIDATED_ENV = "IOTSURVEY_DATA_VALIDATED"  # set by the Sphinx extension to the fingerprint it validated


def read_validated(package_path: Path = PACKAGE) -> dict[str, pd.DataFrame]:
    """The typed tables, validated unless this very data was validated already in this build.

    The Sphinx extension validates once per build and records the fingerprint
    in the environment the chapters' kernels inherit; a kernel that sees the
    same fingerprint skips the Frictionless pass (about a second per chapter).
    Anywhere else, or if the data changed since, it validates in full.
    """
    package_path = Path(package_path)
    if os.environ.get(VALIDATED_ENV) != fingerprint(package_path):
        return validate(package_path)
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    return {r["name"]: _read(package_path.parent / r["path"], r["schema"]) for r in descriptor["resources"]}


def validate(package_path: Path = PACKAGE) -> dict[str, pd.DataFrame]:
    """Check every file of the package; return its tables, typed by the schema.

    Raises :class:`DataError` listing every problem found.
    """
    package_path = Path(package_path)
    try:
        descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError([f"{_where(package_path, None, None)}: expected a readable JSON Data Package, found: {exc}"]) from None
    resources = {r["name"]: r for r in descriptor["resources"]}
    paths = {name: package_path.parent / r["path"] for name, r in resources.items()}
    problems = [p for path in paths.values() for p in _check_bytes(path)]
    if problems:
        raise DataError(problems)
    problems = [p for name, r in resources.items() for p in _header_problems(paths[name], r["schema"])]
    if problems:  # a wrong header shifts every later column: say what is wrong with it, and only that
        raise DataError(problems)
    problems = _frictionless_problems(package_path)
    if problems:
        raise DataError(problems)
    tables = {name: _read(paths[name], r["schema"]) for name, r in resources.items()}
    problems = _rules(tables, paths)
    if problems:
        raise DataError(problems)
    return tables


def fingerprint(package_path: Path = PACKAGE) -> str:
    """A short hash of the data package and of this module's code.

    The build keys its execution cache on it, so that a change in either makes
    every chapter run again (see ``iotsurvey.sphinxext``).
    """
    import hashlib

    digest = hashlib.sha256()
    package_path = Path(package_path)
    files = sorted(package_path.parent.glob("*.csv")) + [package_path]
    files += sorted(Path(__file__).parent.glob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
