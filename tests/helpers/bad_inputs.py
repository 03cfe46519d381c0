"""Kinds of bad data, each with where the error must be reported.

Used twice: by test_data.py against the loader, and by test_build.py against a
whole `jupyter-book build`.  Each case edits a copy of data/ and names the
file, row and column the message has to point at (rows counted as in a
spreadsheet: the header is row 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def line_of(path: Path, prefix: str) -> int:
    """1-based line number of the first line starting with prefix."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"{prefix!r} not found in {path}")


def replace_in_line(path: Path, prefix: str, old: str, new: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            assert old in line, (old, line)
            lines[i] = line.replace(old, new, 1)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"{prefix!r} not found in {path}")


@dataclass
class Case:
    name: str
    file: str
    mutate: Callable[[Path], int | None]  # edits data dir; returns the row it broke
    column: str
    words: str  # a phrase the message must contain (what was expected)


def _delete_line(prefix):
    def go(data: Path) -> int:
        path = data / "finding_sources.csv"
        lines = path.read_text(encoding="utf-8").split("\n")
        kept = [line for line in lines if not line.startswith(prefix)]
        assert len(kept) < len(lines)
        path.write_text("\n".join(kept), encoding="utf-8")
        return line_of(data / "findings.csv", prefix.split(",")[0] + ",")

    return go


def _bom(data: Path) -> int:
    path = data / "rankings.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return 1


def _latin1(data: Path) -> int:
    path = data / "rankings.csv"
    raw = path.read_bytes()
    assert b"Office devices" in raw
    row = line_of(path, "N05,1,")
    path.write_bytes(raw.replace(b"Office devices", b"Off\xefce devices"))
    return row


def _empty(data: Path) -> int:
    (data / "rankings.csv").write_bytes(b"")
    return 1


def _drop_column(data: Path) -> int:
    path = data / "rankings.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(",".join(line.split(",")[:3]) for line in lines) + "\n", encoding="utf-8")
    return 1


def _extra_column(data: Path) -> int:
    path = data / "rankings.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([lines[0] + ",comment"] + [line + ",x" for line in lines[1:]]) + "\n", encoding="utf-8")
    return 1


CASES = [
    Case(
        "non-numeric percentage",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N01,", ",exact,86,", ",exact,eighty-six,"),
        "percent",
        "expected a number",
    ),
    Case(
        "percentage above 100",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N01,", ",exact,86,", ",exact,186,"),
        "percent",
        "from 0 to 100",
    ),
    Case(
        "negative percentage",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N02,", ",exact,14,", ",exact,-14,"),
        "percent",
        "from 0 to 100",
    ),
    Case(
        "duplicate finding id",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N02,", "N02,", "N01,"),
        "finding_id",
        "used in no other row",
    ),
    Case(
        "unknown finding id in a link",
        "finding_sources.csv",
        lambda d: replace_in_line(d / "finding_sources.csv", "J01,4traders", "J01,", "J99,"),
        "finding_id",
        "exists in the referenced file",
    ),
    Case(
        "unknown source id in a link",
        "finding_sources.csv",
        lambda d: replace_in_line(d / "finding_sources.csv", "N01,itweb", "itweb-2018-11-21", "itweb-2099"),
        "source_id",
        "exists in the referenced file",
    ),
    Case("finding without a source", "findings.csv", _delete_line("N08,"), "finding_id", "without a source"),
    Case(
        "unknown country",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "J07,", ",Japan,J06,", ",Nippon,J06,"),
        "country",
        "expected one of",
    ),
    Case("missing column", "rankings.csv", _drop_column, "tied", "missing"),
    Case("unexpected extra column", "rankings.csv", _extra_column, "comment", "extra column"),
    Case("empty file", "rankings.csv", _empty, "-", "empty file"),
    Case("byte-order mark", "rankings.csv", _bom, "finding_id", "byte-order mark"),
    Case("not UTF-8", "rankings.csv", _latin1, "item", "UTF-8"),
    Case(
        "malformed date",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N01,", ",2018-11-21,", ",2018-11-31,"),
        "date",
        "YYYY-MM-DD",
    ),
    Case(
        "percent on a ranking",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N05,", ",rank,,,rank,", ",rank,12,,rank,"),
        "percent",
        "unit is rank",
    ),
]


def _delete_header_name(data: Path) -> int:
    """A column's name deleted from the header only: the cells below it stay, shifted under other names."""
    path = data / "findings.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert ",country," in lines[0]
    lines[0] = lines[0].replace(",country,", ",", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return 1


CASES += [Case("a column name deleted from the header", "findings.csv", _delete_header_name, "country", "missing")]

# The evidence columns must agree with the rest of the row and with the links (issue: evidence status in the data).
CASES += [
    Case(
        "evidence grade against the rubric",
        "findings.csv",
        lambda d: replace_in_line(
            d / "findings.csv", "N04,", ",summary_only,base_unclear", ",summary_only,several_sources"
        ),
        "evidence",
        "by the rubric",
    ),
    Case(
        "an interval claimed where none can be computed",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N04,", ",base_unclear,3,", ",computable,3,"),
        "interval",
        "expected base_unclear",
    ),
    Case(
        "page count that does not match the links",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N01,", ",computable,6,false,", ",computable,7,false,"),
        "pages",
        "rows for N01 in data/finding_sources.csv",
    ),
    Case(
        "single-source flag that does not match the page count",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "J18,", ",computable,1,true,", ",computable,1,false,"),
        "single_source",
        "because pages is 1",
    ),
]

# The other surveys' tables (the chapter "The survey among its peers") have the same protection.
CASES += [
    Case(
        "unknown kind of question",
        "context_figures.csv",
        lambda d: replace_in_line(d / "context_figures.csv", "C02,", ",top_box,", ",box_top,"),
        "question_kind",
        "expected one of",
    ),
    Case(
        "context percentage above 100",
        "context_figures.csv",
        lambda d: replace_in_line(d / "context_figures.csv", "C08,", ",80,~80%", ",800,~80%"),
        "value",
        "from 0 to 100",
    ),
    Case(
        "context value that is not the number as published",
        "context_figures.csv",
        lambda d: replace_in_line(d / "context_figures.csv", "C08,", ",80,~80%", ",81,~80%"),
        "value",
        "the number as published",
    ),
    Case(
        "context figure of an unknown survey",
        "context_figures.csv",
        lambda d: replace_in_line(d / "context_figures.csv", "C02,", "C02,GEM2017,", "C02,GEM2016,"),
        "survey_id",
        "exists in the referenced file",
    ),
    Case(
        "single-page flag that does not match the page count",
        "context_figures.csv",
        lambda d: replace_in_line(d / "context_figures.csv", "C02,", ",2,false,", ",2,true,"),
        "single_page",
        "because verified_by is 2",
    ),
    Case(
        "a page count that ignores a new page",
        "context_figures.csv",
        lambda d: _link_page(d, "C19", "cs076", "C19,"),
        "verified_by",
        "the pages linked to C19",
    ),
    Case(
        "a repost counted as a second page",
        "context_figures.csv",
        lambda d: replace_in_line(d / "context_figures.csv", "C23,", ",1,true,", ",2,false,"),
        "verified_by",
        "counting once",
    ),
    Case(
        "a rounded phrase stated as exact",
        "context_figures.csv",
        lambda d: replace_in_line(
            d / "context_figures.csv", "C08,", ",~80% ('eight in ten'),about,", ",~80% ('eight in ten'),exact,"
        ),
        "stated",
        "~ marks a rounded phrase",
    ),
    Case(
        "a page that states nothing",
        "context_sources.csv",
        lambda d: _unlink_design_page(d, "cs090"),
        "source_id",
        "found it in neither",
    ),
    Case(
        "design field marked not found but filled in",
        "context_surveys.csv",
        lambda d: replace_in_line(
            d / "context_surveys.csv", "PON2017,", ",,not_found,,not_found,553,", ",,not_found,Online,not_found,553,"
        ),
        "mode_status",
        "exactly when mode is empty",
    ),
]


def _link_page(data: Path, figure_id: str, source_id: str, prefix: str) -> int:
    path = data / "context_figure_sources.csv"
    path.write_text(path.read_text(encoding="utf-8") + f"{figure_id},{source_id}\n", encoding="utf-8")
    return line_of(data / "context_figures.csv", prefix)


def _unlink_design_page(data: Path, source_id: str) -> int:
    path = data / "context_survey_sources.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if f",{source_id}," not in line]
    assert len(kept) < len(lines)
    path.write_text("\n".join(kept), encoding="utf-8")
    return line_of(data / "context_sources.csv", source_id + ",")


# The evidence flags of data/findings.csv: recomputed from the links and discrepancies, or checked for sense.
CASES += [
    Case(
        "a finding only outlets carry, not flagged coverage only",
        "findings.csv",
        lambda d: replace_in_line(
            d / "findings.csv", "S07,", "coverage_only,coverage_only,true,", "coverage_only,coverage_only,false,"
        ),
        "coverage_only",
        "no copy of its release carries it",
    ),
    Case(
        "a release-copy finding flagged coverage only",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N01,", ",several_sources,false,", ",several_sources,true,"),
        "coverage_only",
        "a copy of its release carries it",
    ),
    Case(
        "an unresolved discrepancy whose finding is not flagged contested",
        "findings.csv",
        lambda d: (
            replace_in_line(d / "discrepancies.csv", "D31,", "D31,rounding,", "D31,unresolved,")
            and line_of(d / "findings.csv", "J03,")
        ),
        "contested",
        "names it",
    ),
    Case(
        "a base presumed for a country figure",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "J07,", ",false,false,false,false", ",false,true,false,false"),
        "base_presumed",
        "whose base is country",
    ),
    Case(
        "a grade that ignores the base-presumed flag",
        "findings.csv",
        lambda d: replace_in_line(d / "findings.csv", "N03,", ",base_presumed,", ",several_sources,"),
        "evidence",
        "expected base_presumed by the rubric",
    ),
    Case(
        "a figure stated with a country that does not name it back",
        "findings.csv",
        lambda d: (
            replace_in_line(d / "findings.csv", "J05,", ",J03,J04,", ",J03,,") and line_of(d / "findings.csv", "J04,")
        ),
        "stated_with",
        "expected J05 to name J04",
    ),
]
