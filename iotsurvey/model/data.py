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

if TYPE_CHECKING:  # pandas is imported where it is used: the build's start-up only needs fingerprint()
    import pandas as pd

from ..paths import PACKAGE, digest
from .problems import DataError, where
from .rules import check

# ---------------------------------------------------------------------------
# Byte-level checks frictionless does not make (or makes without a position)


def _check_bytes(path: Path) -> list[str]:
    if not path.exists():
        return [f"{where(path, None, None)}: expected the file named in datapackage.json, found no file"]
    raw = path.read_bytes()
    if not raw.strip():
        return [f"{where(path, 1, None)}: expected a header row and data, found an empty file"]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [
            f"{where(path, 1, _first_label(raw[3:]))}: expected plain UTF-8, found a byte-order mark (BOM) before the header"
        ]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = _column_at(raw[line_start : exc.start], raw)
        return [
            f"{where(path, line, column)}: expected UTF-8 text, found the byte 0x{raw[exc.start]:02x} that is not UTF-8"
        ]
    if b"\r" in raw:
        line = raw[: raw.index(b"\r")].count(b"\n") + 1
        return [f"{where(path, line, None)}: expected lines ending in LF, found a carriage return (CR)"]
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
            rng = (
                f"from {lo} to {hi}"
                if lo is not None and hi is not None
                else (f"at least {lo}" if lo is not None else f"at most {hi}")
            )
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
        return f"expected a value that exists in the referenced file ({target}), found {values}, which it does not have"
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
    problems = [
        f"{where(path, 1, name)}: expected this column in the header, found it missing"
        for name in expected
        if name not in header
    ]
    problems += [
        f'{where(path, 1, name)}: expected no column named "{name}", found an extra column'
        for name in header
        if name not in expected
    ]
    if not problems and header != expected:
        problems.append(
            f"{where(path, 1, None)}: expected the columns in the order {', '.join(expected)}, "
            f"found {', '.join(header)}"
        )
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
            problems.append(f"{where(path, row, column)}: {_expected(error, fields)}")
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


VALIDATED_ENV = "IOTSURVEY_DATA_VALIDATED"  # set by the build to the fingerprint of the data it validated


def fingerprint(package_path: Path = PACKAGE) -> str:
    """A short hash of the data package: every file of ``data/``."""
    return digest(Path(package_path).parent)


def read_validated(package_path: Path = PACKAGE) -> dict[str, pd.DataFrame]:
    """The typed tables, validated unless this very data was validated already in this build.

    The build validates once and records the data's fingerprint in the environment the chapters' kernels
    inherit; a kernel that sees the same fingerprint skips the Frictionless pass (about a second per
    chapter).  Anywhere else (a notebook opened in Jupyter, the command line), or if the data changed since,
    it validates in full.
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
        raise DataError(
            [f"{where(package_path, None, None)}: expected a readable JSON Data Package, found: {exc}"]
        ) from None
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
    problems = check(tables, paths)
    if problems:
        raise DataError(problems)
    return tables
