"""What keeps the book easy to carry on: lint, the import contract, one version, the helper commands, and an
execution cache keyed on what the chapters run."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from helpers.book import ROOT, book_env

BIN = Path(sys.executable).parent
PACKAGE = ROOT / "iotsurvey"


def test_ruff_finds_nothing_to_fix():
    check = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run([str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout[-3000:]


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"], cwd=folder, capture_output=True, text=True, env=book_env(folder)
    )


def package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "book"
    shutil.copytree(PACKAGE, copy / "iotsurvey", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy)
    return copy


def test_the_import_contract_holds():
    """model <- render <- export <- site <- cli, the model free of notebooks, Sphinx and drawing, no cycles."""
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "0 broken" in result.stdout


def test_the_import_contract_catches_a_model_that_reaches_up(tmp_path):
    copy = package_copy(tmp_path)
    rules = copy / "iotsurvey" / "model" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\nfrom ..render import words  # noqa\n", encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout[-2000:]


def private_imports(root: Path) -> list[str]:
    """Every use, in one module, of a ``_private`` name of another module of the package."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("iotsurvey")):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(root)}:{node.lineno} imports {alias.name}")
                    modules.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names(tmp_path):
    assert private_imports(PACKAGE) == []
    copy = package_copy(tmp_path)
    (copy / "iotsurvey" / "cli" / "leak.py").write_text(
        "from ..model.data import _read\nfrom ..model import data\ndata._check_bytes\n", encoding="utf-8"
    )
    assert len(private_imports(copy / "iotsurvey")) == 2, "the scan finds both kinds of use"


def test_the_version_is_the_same_in_the_package_and_the_citation():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert project["version"] == cff["version"]


def cache_key(folder: Path) -> str:
    from iotsurvey.site.build import cache_key

    return cache_key(folder)


def test_the_execution_cache_is_keyed_on_the_data_the_model_and_the_render_code(tmp_path):
    """A change to what the chapters run re-runs them all; a change to the site, export or command line none."""
    copy = tmp_path / "book"
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(PACKAGE, copy / "iotsurvey", ignore=shutil.ignore_patterns("__pycache__"))
    before = cache_key(copy)

    def edit(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")

    for folder in ("site", "export", "cli"):
        for path in (copy / "iotsurvey" / folder).rglob("*.py"):
            edit(path)
    assert cache_key(copy) == before, "an edit to the site, the export or the command line re-runs the chapters"
    for path in (copy / "iotsurvey" / "render" / "words.py", copy / "iotsurvey" / "model" / "rules.py"):
        edit(path)
        assert cache_key(copy) != before, f"an edit to {path.name} must re-run the chapters"
        before = cache_key(copy)
    rewrite_line = copy / "data" / "findings.csv"
    edit(rewrite_line)
    assert cache_key(copy) != before, "a change to data/ must re-run the chapters"


def test_the_data_check_command_says_what_the_build_says(tmp_path):
    copy = tmp_path / "book"
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(PACKAGE, copy / "iotsurvey", ignore=shutil.ignore_patterns("__pycache__"))
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "iotsurvey", "check"], cwd=copy, capture_output=True, text=True, env=book_env(copy)
    )
    ok = run()
    assert ok.returncode == 0 and "data/ passes" in ok.stdout, ok.stderr
    path = copy / "data" / "findings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",exact,86,", ",exact,186,", 1), encoding="utf-8")
    bad = run()
    assert bad.returncode == 1
    assert re.search(r"data/findings\.csv, row \d+, column percent", bad.stderr), bad.stderr


def test_the_makefile_gives_the_helper_commands_without_an_activated_environment():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("check:", "keys:", "export:", "test-unit:", "test-quick:", "test-slow:"):
        assert re.search(rf"^{target}", makefile, re.M), f"make {target[:-1]} is missing"


def test_make_pdf_builds_the_site_first_and_says_how_long_tex_live_takes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^pdf: site\b", makefile, re.M), "make pdf builds the site first, so the site links the PDF"
    packages = (ROOT / ".ci" / "system-packages").read_text(encoding="utf-8")
    assert "TeX Live" in packages and "minutes" in packages
