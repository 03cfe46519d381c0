from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
COPY_IGNORE = shutil.ignore_patterns(
    "_build", ".venv", "node_modules", ".git", ".pytest_cache", "__pycache__", "benchmarks"
)


def copy_book(dest: Path) -> Path:
    """A copy of the book's sources (no build, no venv) to break or rebuild safely."""
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    return dest


# The address the test build publishes under (a reserved example domain: no page of a real build has it).
TEST_SITE_URL = "https://readers.example.net/iot-book/"


def build(folder: Path, *extra: str, timeout: int = 900, url: str | None = None) -> subprocess.CompletedProcess:
    """Run `jupyter-book build` in folder; returns the finished process (never raises on failure).

    ``url`` is the site's address for this build (BOOK_URL); None builds with no address.
    """
    env = {k: v for k, v in os.environ.items() if k != "BOOK_URL"}
    env.setdefault("SOURCE_DATE_EPOCH", "1795737600")  # citations' access date, fixed so that builds compare equal
    if url:
        env["BOOK_URL"] = url
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", *extra], cwd=folder, capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory) -> Path:
    """The whole book built once, strictly (-W -n --keep-going), in a fresh copy, as deployed (with an address).

    Returns the folder of the copy; its site is in _build/html.  Every test
    that reads built pages uses this one build.
    """
    folder = copy_book(tmp_path_factory.mktemp("book") / "book")
    result = build(folder, "-W", "-n", "--keep-going", url=TEST_SITE_URL)
    (folder / "_build" / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        pytest.fail(f"strict build failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return folder


@pytest.fixture(scope="session")
def site(strict_build) -> Path:
    return strict_build / "_build" / "html"


# ---------------------------------------------------------------------------
# The browser tests: one local server and one Debian Chromium per session, shared by every module.

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def find_chromium(candidates=None) -> str:
    if candidates is None:
        candidates = (
            os.environ.get("CHROMIUM"),
            "/usr/bin/chromium",
            shutil.which("chromium"),
            shutil.which("chromium-browser"),
        )
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "No Chromium found: install Debian's `chromium` (apt-get install chromium) or set CHROMIUM to its "
        "path. The browser tests never download a browser.",
        pytrace=False,
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -r requirements-test.txt", pytrace=False)
    executable = find_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()


# ---------------------------------------------------------------------------
# `make test-fast` runs every test that needs no build: -m "not build".  A test is a build test when it
# uses a fixture that builds, or calls build() itself (those are marked by name in BUILD_TESTS).

BUILD_FIXTURES = {
    "strict_build",
    "site",
    "server",
    "browser",
    "pdf",
    "pdf_text",
    "unaddressed",
    "second_build",
    "changed_build",
    "fresh_copy",
    "data_only_copy",
    "followed",
    "soup",
    "clean_build",
}
BUILD_MODULES = {"test_rebuilds", "test_pdf", "test_site", "test_readers"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())) or item.module.__name__ in BUILD_MODULES:
            item.add_marker(pytest.mark.build)
