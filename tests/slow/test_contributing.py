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
from helpers.book import ROOT, book_env, copy_book, strict

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


def run_in(folder, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *code], cwd=folder, capture_output=True, text=True, env=book_env(folder), timeout=600
    )


def test_following_the_guide_passes_the_data_check_and_the_chapter_registry(followed):
    result = run_in(followed, ["-m", "iotsurvey", "check"])
    assert result.returncode == 0 and "data/ passes" in result.stdout, result.stderr
    script = (
        "from iotsurvey.render.chapters import chapter_findings\n"
        "from iotsurvey.render.figures import chart\n"
        "assert 'S08' in [f.id for f in chapter_findings('chapters/spending-incidents')]\n"
        "assert 'S08' in [r['finding_id'] for r in chart('fig-incidents').rows()]\n"
    )
    result = run_in(followed, ["-c", script])
    assert result.returncode == 0, result.stderr


def test_following_the_guide_puts_the_finding_in_the_prose_the_figure_the_sources_and_the_data(followed):
    result = strict(followed, url=None)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = followed / "_build" / "html"
    soup = BeautifulSoup((site / "chapters" / "spending-incidents.html").read_text(encoding="utf-8"), "html.parser")
    assert "An example" in soup.get_text() and "50%" in [s.get_text() for s in soup.select("main .pasted-text")]
    values = [tr.get_text(" ") for tr in soup.select("figure#fig-incidents details.iot-values tr")]
    assert any("Example only" in v for v in values), "the figure draws the new finding"
    sources = soup.select_one("#sources") or soup
    assert "Example only" in sources.get_text(), "the Sources list names the new finding"
    rows = (site / "downloads" / "chapters" / "spending-incidents-findings.csv").read_text(encoding="utf-8")
    assert "\nS08," in rows, "the chapter's data download has the new finding"
