from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
COPY_IGNORE = shutil.ignore_patterns("_build", ".venv", "node_modules", ".git", ".pytest_cache", "__pycache__", "benchmarks")


def copy_book(dest: Path) -> Path:
    """A copy of the book's sources (no build, no venv) to break or rebuild safely."""
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    return dest


def build(folder: Path, *extra: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run `jupyter-book build` in folder; returns the finished process (never raises on failure)."""
    return subprocess.run([str(JUPYTER_BOOK), "build", ".", *extra], cwd=folder, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory) -> Path:
    """The whole book built once, strictly (-W -n --keep-going), in a fresh copy.

    Returns the folder of the copy; its site is in _build/html.  Every test
    that reads built pages uses this one build.
    """
    folder = copy_book(tmp_path_factory.mktemp("book") / "book")
    result = build(folder, "-W", "-n", "--keep-going")
    if result.returncode != 0:
        pytest.fail(f"strict build failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return folder


@pytest.fixture(scope="session")
def site(strict_build) -> Path:
    return strict_build / "_build" / "html"
