"""How a problem in data/ is named: file, row and column, rows counted as a spreadsheet shows them."""

from __future__ import annotations

from pathlib import Path

from ..paths import ROOT


class DataError(ValueError):
    """Bad data in the package; the message names file, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:20]
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__("The book's data did not pass validation:\n  " + "\n  ".join(shown) + more)


def where(path: Path, row: int | None, column: str | None) -> str:
    """ "data/findings.csv, row 31, column percent": where a problem is, as a spreadsheet counts rows."""
    try:
        name = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        name = path.as_posix()
    parts = [name]
    parts.append(f"row {row}" if row is not None else "row -")
    parts.append(f"column {column}" if column else "column -")
    return ", ".join(parts)
