"""The chapters as notebooks a reader runs: each downloaded notebook executes top to bottom in a fresh kernel in a
copy of the book (as in a clone or a source archive, with the book's package on the path) and shows every figure
again; a chapter converted with Jupytext does the same; the package builds as a wheel with its stylesheet, script
and icons and its myst-nb plugin."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.book import book_env, copy_book, notebooks

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    return copy_book(tmp_path_factory.mktemp("clone") / "book")


def figures_on(site: Path, doc: str) -> int:
    soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    return len(soup.select("main figure img.iot-look.only-light.iot-wide"))


def execute(notebook: Path, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "jupyter"), "execute", "--inplace", "--timeout=300", notebook.name],
        cwd=notebook.parent,
        capture_output=True,
        text=True,
        env=book_env(folder),
        timeout=600,
    )


def images(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


def test_every_downloaded_notebook_runs_in_a_fresh_kernel_and_shows_its_figures(site, clone):
    docs = notebooks()
    targets = []
    for doc in docs:
        target = clone / f"{doc}.ipynb"
        target.write_bytes((site / "_sources" / f"{doc}.ipynb").read_bytes())
        targets.append(target)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda t: execute(t, clone), targets))
    for doc, target, result in zip(docs, targets, results, strict=True):
        assert result.returncode == 0, f"{doc}:\n{result.stderr[-3000:]}"
        ran = json.loads(target.read_text(encoding="utf-8"))
        errors = [o for c in ran["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, doc
        assert images(target) == figures_on(site, doc), f"{doc}: the run shows another number of figures"


def test_a_chapter_converted_with_jupytext_runs_and_shows_its_figures(site, clone):
    converted = subprocess.run(
        [str(BIN / "jupytext"), "--to", "ipynb", "chapters/awareness.md", "-o", "chapters/awareness-jupytext.ipynb"],
        cwd=clone,
        capture_output=True,
        text=True,
    )
    assert converted.returncode == 0, converted.stderr
    notebook = clone / "chapters" / "awareness-jupytext.ipynb"
    result = execute(notebook, clone)
    assert result.returncode == 0, result.stderr[-3000:]
    assert images(notebook) == figures_on(site, "chapters/awareness") >= 2


def test_the_package_builds_with_its_assets_and_its_myst_nb_plugin(clone, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), "."],
        cwd=clone,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    wheel = next(tmp_path.glob("iotsurvey-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for asset in ("iotsurvey.css", "iotsurvey.js", "favicon.svg", "icons/NOTICE.md", "icons/download.svg"):
        assert f"iotsurvey/site/static/{asset}" in names, asset
    assert "[myst_nb.mime_renderers]" in entry_points and "iotsurvey.site.outputs:BookOutputs" in entry_points
