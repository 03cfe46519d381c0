"""The data package: the real data passes; each kind of bad data is refused with file, row and column."""

from __future__ import annotations

import shutil

import pytest
from helpers import expected
from helpers.bad_inputs import CASES
from helpers.book import ROOT

from iotsurvey.model import data


def test_real_data_is_valid_and_typed():
    tables = data.validate()
    findings = tables["findings"]
    assert len(findings) == len(expected.table("findings"))  # every row, read independently with csv
    assert set(findings["finding_id"].str[0]) == {"J", "S", "F", "N"}
    assert len(tables["design"]) >= 5 and {"M01", "M02", "M03", "M04", "M05"} <= set(tables["design"]["design_id"])
    assert str(findings["percent"].dtype) == "Float64"
    n01 = findings.set_index("finding_id").loc["N01"]
    assert n01["percent"] == 86 and n01["country"] == "All"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_data_is_refused_with_file_row_and_column(tmp_path, case):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    row = case.mutate(folder)
    with pytest.raises(data.DataError) as caught:
        data.validate(folder / "datapackage.json")
    message = str(caught.value)
    where = f"{case.file}, row {row}, column {case.column}"
    assert where in message, f"expected {where!r} in:\n{message}"
    first = caught.value.problems[0]
    assert where in first, f"expected the first problem to be about {where!r}, found {first!r}"
    assert case.words in message, f"expected {case.words!r} in:\n{message}"


def test_no_coercion_of_numbers_with_units(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    path = folder / "findings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",exact,86,", ",exact,86%,", 1), encoding="utf-8")
    with pytest.raises(
        data.DataError, match=r"findings.csv, row \d+, column percent: expected a number, found \"86%\""
    ):
        data.validate(folder / "datapackage.json")


def test_fingerprint_changes_with_the_data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    before = data.fingerprint(folder / "datapackage.json")
    path = folder / "findings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",exact,86,", ",exact,87,", 1), encoding="utf-8")
    assert data.fingerprint(folder / "datapackage.json") != before


def test_a_build_validated_fingerprint_skips_only_matching_data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    package = folder / "datapackage.json"
    monkeypatch.setenv(data.VALIDATED_ENV, data.fingerprint(package))
    assert len(data.read_validated(package)["findings"]) == len(expected.table("findings"))
    # the data changed after the build validated it: full validation runs again and refuses it
    path = folder / "findings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",exact,86,", ",exact,186,", 1), encoding="utf-8")
    with pytest.raises(data.DataError, match="column percent"):
        data.read_validated(package)
