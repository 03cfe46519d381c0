"""Debian's Chromium, driven by Playwright (no browser download), and a local server for a built site."""

from __future__ import annotations

import os
import shutil
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


class NoChromium(RuntimeError):
    pass


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
    raise NoChromium(
        "No Chromium found: install Debian's `chromium` (apt-get install chromium) or set CHROMIUM to its "
        "path. The browser tests never download a browser."
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def scroll_through(page) -> None:
    """Scroll a page to its end and back, as a reader would, so that lazy images load."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 500):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(20)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")
