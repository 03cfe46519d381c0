"""Check data/ with the book's rules, and print what the build would print.

    python -m iotsurvey check

Exit status 0 when the data package passes (Frictionless schema, then the rules a schema cannot state, in
iotsurvey/model/rules.py); otherwise 1, with one line per problem naming file, row and column, exactly as
`jupyter-book build` says it.
"""

from __future__ import annotations

import sys

from ..model import data


def main(argv: list[str]) -> int:
    try:
        tables = data.validate()
    except data.DataError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    rows = sum(len(t) for t in tables.values())
    print(f"data/ passes: {len(tables)} tables, {rows} rows")
    return 0
