"""Fixtures shared by the tiers.  A test's tier is its folder (unit, build, browser, slow), marked here.

- unit: no build; seconds.
- build: reads the one strict build of the book (built once per session, in a copy, as deployed).
- browser: that build in Debian's Chromium, on a phone and a desktop, light and dark.
- slow: builds of their own (rebuilds, bad data, the PDF), every guarded sentence flipped, notebooks run.
"""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers.book import copy_book, strict
from helpers.browser import LAUNCH_ARGS, NoChromium, QuietHandler, find_chromium

TIERS = ("unit", "build", "browser", "slow")


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = Path(item.path).parent.name
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory) -> Path:
    """The whole book built once, strictly (-W -n --keep-going), in a fresh copy, as deployed (with an address).

    Returns the folder of the copy; its site is in _build/html.  Every test that reads built pages uses this
    one build.
    """
    folder = copy_book(tmp_path_factory.mktemp("book") / "book")
    result = strict(folder)
    (folder / "_build" / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        pytest.fail(f"strict build failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return folder


@pytest.fixture(scope="session")
def site(strict_build) -> Path:
    return strict_build / "_build" / "html"


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
    from playwright.sync_api import sync_playwright

    try:
        executable = find_chromium()
    except NoChromium as missing:
        pytest.fail(str(missing), pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()
