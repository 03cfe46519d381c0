"""The built site in a real headless Chromium (Debian's, driven by Playwright; no browser download).

Every page is served from 127.0.0.1 and visited: no request may leave the
site's origin, no console error or page error may occur, every image must
render, every page shows its citation block, and axe-core finds no serious or
critical accessibility violation.  Internal links and anchors are checked on
the HTML files themselves.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from helpers.book import ROOT
from helpers.book import site_pages as pages
from helpers.browser import NoChromium, find_chromium, scroll_through
from PIL import Image

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def visits(site, server, browser):
    """Visit every page once in light mode; record what each did."""
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `npm ci` (make test does)", pytrace=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(server) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    results = {}
    for name in pages(site):
        page = context.new_page()
        problems: list[str] = []
        page.on(
            "console",
            lambda m, problems=problems: (
                problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
            ),
        )
        page.on("pageerror", lambda e, problems=problems: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r, problems=problems: problems.append(f"failed request: {r.url}"))
        response = page.goto(server + name, wait_until="load")
        scroll_through(page)  # the figures load lazily, as a reader scrolls to them
        shown = "Array.from(document.images).filter(i => getComputedStyle(i).display !== 'none')"  # others: other looks
        page.wait_for_function(f"{shown}.every(i => i.complete)", timeout=10000)
        broken = page.evaluate(f"{shown}.filter(i => !(i.naturalWidth > 0)).map(i => i.src)")
        cite_visible = (
            page.locator("#cite-this-chapter").is_visible() if page.locator("#cite-this-chapter").count() else False
        )
        page.add_script_tag(path=str(AXE))
        axe = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        results[name] = {
            "status": response.status if response else None,
            "problems": problems,
            "broken": broken,
            "cite": cite_visible,
            "axe": axe,
            "title": page.title(),
            "description": page.locator('meta[name="description"]').get_attribute("content")
            if page.locator('meta[name="description"]').count()
            else None,
        }
        page.close()
    context.close()
    return {"pages": results, "outside": outside}


def test_every_page_loads(visits):
    assert len(visits["pages"]) >= 15
    bad = {name: r["status"] for name, r in visits["pages"].items() if r["status"] != 200}
    assert not bad


def test_no_request_leaves_the_site(visits):
    assert visits["outside"] == [], f"{len(visits['outside'])} requests outside 127.0.0.1: {visits['outside'][:10]}"


def test_no_console_or_page_errors(visits):
    problems = {name: r["problems"] for name, r in visits["pages"].items() if r["problems"]}
    assert not problems, problems


def test_every_image_renders(visits):
    broken = {name: r["broken"] for name, r in visits["pages"].items() if r["broken"]}
    assert not broken, broken


def test_every_chapter_shows_its_citation(visits):
    missing = [
        name for name, r in visits["pages"].items() if name not in ("genindex.html", "search.html") and not r["cite"]
    ]
    assert not missing, f"pages without a visible citation block: {missing}"


def test_no_serious_or_critical_accessibility_violations(visits):
    found = {}
    for name, r in visits["pages"].items():
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}]"
            for v in r["axe"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[name] = serious
    assert not found, found


def test_every_page_has_a_title_and_a_description(visits):
    for name, r in visits["pages"].items():
        assert r["title"] and len(r["title"]) > 10, name
        assert r["description"] and 50 <= len(r["description"]) <= 170, (name, r["description"])


def test_dark_mode_has_no_serious_violations(site, server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    found = {}
    for name in ("index.html", "chapters/awareness.html", "chapters/sources.html"):
        page = context.new_page()
        page.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
        page.goto(server + name, wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            found[name] = serious
        # figures are drawn for the dark page: no bright rectangle on the near-black page, and not dimmed
        page_rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page_rgb = tuple(int(x) for x in page_rgb[page_rgb.index("(") + 1 : page_rgb.index(")")].split(",")[:3])
        figures = page.locator("figure img:visible")
        assert figures.count() or name == "chapters/sources.html", name
        for i in range(figures.count()):
            figures.nth(i).scroll_into_view_if_needed()
            corner = Image.open(io.BytesIO(figures.nth(i).screenshot())).convert("RGB").getpixel((3, 3))
            assert max(abs(a - b) for a, b in zip(corner, page_rgb, strict=False)) <= 12, (
                f"{name}: figure {i} corner is {corner} on a page of {page_rgb} in dark mode"
            )
        page.close()
    context.close()
    assert not found, found


def test_search_works_offline(site, server, browser):
    context = browser.new_context()
    outside = []
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(server) else (outside.append(r.request.url), r.abort()),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "search.html?q=awareness", wait_until="load")
    page.wait_for_selector("#search-results li", timeout=15000)
    assert page.locator("#search-results li").count() >= 1
    assert not outside and not errors
    context.close()


def test_internal_links_and_anchors_resolve(site):
    soups: dict[Path, BeautifulSoup] = {}

    def soup(path: Path) -> BeautifulSoup:
        if path not in soups:
            soups[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return soups[path]

    broken = []
    for name in pages(site):
        path = site / name
        for a in soup(path).find_all("a", href=True):
            href = a["href"]
            if urlparse(href).scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = urlparse(urljoin(f"http://site/{name}", href))
            file = site / unquote(target.path.lstrip("/")) if target.path else path
            if file.is_dir():
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{name}: {href} (no file)")
                continue
            if target.fragment and file.suffix == ".html":
                if not soup(file).find(id=unquote(target.fragment)) and not soup(file).find(
                    attrs={"name": target.fragment}
                ):
                    broken.append(f"{name}: {href} (no anchor)")
    assert not broken, broken[:20]


def test_a_missing_browser_fails_loudly(tmp_path):
    with pytest.raises(NoChromium, match="No Chromium found"):
        find_chromium([str(tmp_path / "no-such-chromium"), None])
