"""What keeps the book easy to carry on: lint, small modules, pinned theme internals, the helper commands,
and a build that re-runs chapters only when what they compute could change."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import ROOT

from iotsurvey import data, theme, upstream

RUFF = Path(sys.executable).parent / "ruff"
MAX_LINES = 450


def test_ruff_finds_nothing_to_fix():
    check = subprocess.run([str(RUFF), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run([str(RUFF), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout[-3000:]


def test_no_module_is_too_long_to_read_in_one_sitting():
    long = {p.name: n for p in (ROOT / "iotsurvey").glob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_theme_is_the_version_the_theme_work_was_written_for():
    """iotsurvey/theme.py cuts icons out of the theme's script and drops its assets: a new theme needs a look."""
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for package, written_for in theme.THEME_VERSIONS.items():
        assert version(package) == written_for, f"{package} {version(package)} installed; theme.py is for {written_for}"
        assert f"{package}=={written_for}" in requirements, f"requirements.txt should pin {package}=={written_for}"


def test_the_upstream_extensions_are_the_versions_their_workarounds_were_written_for():
    """iotsurvey/upstream.py stands in for a module of sphinxext-opengraph and keeps sphinxcontrib-bibtex's
    formatted entries: a new version of either needs a look."""
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for package, written_for in upstream.UPSTREAM_VERSIONS.items():
        assert version(package) == written_for, (
            f"{package} {version(package)} installed; upstream.py is for {written_for}"
        )
        assert f"{package}=={written_for}" in requirements, f"requirements.txt should pin {package}=={written_for}"


@pytest.mark.build
def test_every_icon_a_page_uses_has_a_rule(site):
    css = (site / "_static" / "icons.css").read_text(encoding="utf-8")
    used = set()
    for page in site.rglob("*.html"):
        used |= set(re.findall(r"\bfa-([a-z0-9-]+)", page.read_text(encoding="utf-8")))
    used -= {"solid", "regular", "brands", "lg"}
    assert used, "no icons found: the theme's markup changed"
    missing = sorted(name for name in used if f".fa-{name}" not in css)
    assert not missing, f"icons without a rule in icons.css: {missing}"


def test_changing_build_only_code_does_not_rerun_the_chapters(tmp_path):
    """The execution cache is keyed on the data and on the code the chapters import, not on the extension."""
    copy = tmp_path / "book"
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(ROOT / "iotsurvey", copy / "iotsurvey", ignore=shutil.ignore_patterns("__pycache__"))
    module = copy / "iotsurvey" / "data.py"
    fingerprint = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "from iotsurvey import data; print(data.fingerprint())"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    before = fingerprint()
    for name in data.BUILD_ONLY:
        path = copy / "iotsurvey" / name
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert fingerprint() == before, "an edit to the Sphinx extension's modules would re-run every chapter"
    glue = copy / "iotsurvey" / "glue.py"
    glue.write_text(glue.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert fingerprint() != before, "an edit to code the chapters run must re-run them"
    assert module.exists()


def test_the_data_check_command_says_what_the_build_says(tmp_path):
    copy = tmp_path / "book"
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(ROOT / "iotsurvey", copy / "iotsurvey", ignore=shutil.ignore_patterns("__pycache__"))
    ok = subprocess.run([sys.executable, "-m", "iotsurvey.check"], cwd=copy, capture_output=True, text=True)
    assert ok.returncode == 0 and "data/ passes" in ok.stdout, ok.stderr
    path = copy / "data" / "findings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",exact,86,", ",exact,186,", 1), encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "iotsurvey.check"], cwd=copy, capture_output=True, text=True)
    assert bad.returncode == 1
    assert re.search(r"data/findings\.csv, row \d+, column percent", bad.stderr), bad.stderr


@pytest.mark.build
def test_the_keys_command_lists_a_chapters_glue(strict_build):
    result = subprocess.run(
        [sys.executable, "-m", "iotsurvey.keys", "awareness", "N01"], cwd=strict_build, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^N01\s+'86%'$", result.stdout, re.M), result.stdout[:500]


@pytest.mark.build
def test_the_build_log_is_quiet(strict_build):
    """No per-kernel notice about TCP sockets and no 'will overwrite data' lines: what remains is worth reading."""
    log = (strict_build / "_build" / "build.log").read_text(encoding="utf-8")
    assert "Kernel is running over TCP" not in log
    assert "will overwrite data" not in log
    assert "build succeeded" in log
