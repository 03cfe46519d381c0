"""CONTRIBUTING.md cannot go stale: its walkthrough is followed, block by block, in a copy of the repository.

Blocks the test reads (fenced, with an info string after the language):

    ```csv append <file>        lines appended to <file>
    ```text old <file>          text that must occur once in <file> ...
    ```text new <file>          ... and what replaces it (the next "new" block for the same file)
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build, copy_book

BLOCK = re.compile(r"^```(\w+) (append|old|new) (\S+)\n(.*?)^```$", re.M | re.S)


def steps() -> list[tuple[str, str, str]]:
    return [(action, path, body) for _, action, path, body in BLOCK.findall((ROOT / "CONTRIBUTING.md").read_text())]


def follow(folder) -> None:
    pending = {}
    for action, path, body in steps():
        target = folder / path
        text = target.read_text(encoding="utf-8")
        if action == "append":
            target.write_text(text + ("" if text.endswith("\n") else "\n") + body, encoding="utf-8")
        elif action == "old":
            assert text.count(body.rstrip("\n")) == 1, f"CONTRIBUTING.md: {body!r} is not once in {path}"
            pending[path] = body.rstrip("\n")
        else:
            old = pending.pop(path)
            target.write_text(text.replace(old, body.rstrip("\n"), 1), encoding="utf-8")
    assert not pending, f"an 'old' block without its 'new' block: {pending}"


def test_the_guide_has_steps_for_data_and_a_chapter():
    files = {path for _, path, _ in steps()}
    assert {"data/findings.csv", "data/finding_sources.csv"} <= files
    assert any(path.startswith("chapters/") for path in files)


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    folder = copy_book(tmp_path_factory.mktemp("contributor") / "book")
    follow(folder)
    return folder


def test_following_the_guide_passes_the_data_check(followed):
    result = subprocess.run([sys.executable, "-m", "iotsurvey.check"], cwd=followed, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "data/ passes" in result.stdout


def test_following_the_guide_builds_and_passes_the_tests_that_read_findings(followed):
    result = build(followed, "-W", "-n", "--keep-going")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    added = re.search(r"^(\w\d\d),", next(b for a, p, b in steps() if p == "data/findings.csv"), re.M).group(1)
    page = next(p for a, p, b in steps() if p.startswith("chapters/")).removesuffix(".md")
    html = BeautifulSoup((followed / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    assert "Example only" in html.get_text(), f"{added} is not named in {page}"
    # the suite's own checks of findings, run in the copy (its conftest builds the copy once more)
    tests = [
        "tests/test_data.py",
        "tests/test_build.py::test_glued_values_equal_the_data",
        "tests/test_build.py::test_every_finding_appears_in_a_themed_chapter",
        "tests/test_build.py::test_no_hand_typed_percentages_in_prose",
        "tests/test_build.py::test_every_role_in_the_prose_is_glued_and_shown",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=followed,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-4000:]
