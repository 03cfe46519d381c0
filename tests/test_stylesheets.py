"""The theme's stylesheets are cut to the rules the pages can match, and readers see no difference.

The cut itself is checked on small stylesheets; on the built site, the pages load much less CSS
than the theme ships, and Chromium draws the same pixels with the cut and with the original
stylesheets: phone and desktop, light and dark, with the navigation drawer, a tooltip, a dropdown and
the search dialog open.
"""

from __future__ import annotations

from pathlib import Path

from test_readers import DESKTOP, PHONE

from iotsurvey.stylesheets import classes_in_use, cut, originals


def test_a_rule_goes_only_when_none_of_its_selectors_can_match():
    css = (
        ".used{color:red}"
        ".unused{color:blue}"
        ".unused,.used>p{margin:0}"
        ".used:not(.unused){padding:0}"
        "p{line-height:1}"
        "@media (min-width:960px){.unused{color:green}}"
        "@media (min-width:540px){.unused{color:green}.used{color:green}}"
        "@font-face{font-family:x;src:url(x.woff2)}"
        "html[data-theme=dark]{--x:1}"
    )
    kept = cut(css, {"used"})
    assert ".unused{color:blue}" not in kept
    assert ".unused,.used>p{margin:0}" in kept, "a rule with one selector that can match stays whole"
    assert ".used:not(.unused){padding:0}" in kept, "a class inside :not() is not required"
    assert "p{line-height:1}" in kept and "html[data-theme=dark]{--x:1}" in kept
    assert "@media (min-width:960px)" not in kept, "an emptied @media block goes"
    assert "@media (min-width:540px){.used{color:green}}" in kept
    assert "@font-face{font-family:x;src:url(x.woff2)}" in kept
    assert kept.index(".used{color:red}") < kept.index("p{line-height:1}"), "rules keep their order"


def test_classes_come_from_pages_and_the_scripts_they_load(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "loaded.js").write_text(
        "el.classList.add('is-open'); tip.classList.add(`bs-${this.constructor.NAME}-auto`); x = `${y}`",
        encoding="utf-8",
    )
    (tmp_path / "_static" / "unloaded.js").write_text("el.classList.add('never-loaded')", encoding="utf-8")
    (tmp_path / "sub" / "page.html").write_text(
        '<div class="a b"><span class=\'c\'></span></div><script src="../_static/loaded.js?v=1"></script>',
        encoding="utf-8",
    )
    found = classes_in_use(tmp_path)
    assert all(name in found for name in ("a", "b", "c", "is-open"))
    assert "bs-tooltip-auto" in found and "bs-popover-auto" in found, "a name a script builds from a template"
    assert "never-loaded" not in found and "anything-at-all" not in found, "a bare placeholder is not every class"


def test_the_pages_load_a_fraction_of_the_theme_css(site):
    pairs = originals(site)
    theme = site / "_static" / "styles" / "pydata-sphinx-theme.css"
    assert theme in pairs, "the theme's stylesheet is not cut"
    served, shipped = theme.stat().st_size, pairs[theme].stat().st_size
    assert served < shipped / 2, f"the theme's stylesheet is {served} bytes of {shipped}"
    text = theme.read_text(encoding="utf-8")
    assert ".spinner-border" not in text and ".accordion-button" not in text and ".fa-yin-yang" not in text
    assert ".bd-sidebar-primary" in text and ".dropdown-menu" in text


def _serve(body: bytes):
    def handler(route):
        route.fulfill(body=body, content_type="text/css")

    return handler


def _screenshots(browser, server, site: Path, original: bool) -> dict[str, bytes]:
    pairs = originals(site)
    shots = {}
    for viewport, scheme in ((PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light"), (DESKTOP, "dark")):
        context = browser.new_context(viewport=viewport, color_scheme=scheme, reduced_motion="reduce")
        if original:
            for copy, source in pairs.items():
                body = source.read_bytes()
                context.route(f"**/{copy.relative_to(site).as_posix()}*", _serve(body))
        page = context.new_page()
        name = f"{viewport['width']}-{scheme}"
        for path in ("index.html", "chapters/awareness.html"):
            page.goto(server + path, wait_until="networkidle")
            shots[f"{name} {path}"] = page.screenshot(full_page=True, animations="disabled")
        if viewport is PHONE:
            page.locator(".primary-toggle:visible").first.click()
            page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open", timeout=3000)
            page.wait_for_timeout(400)
            shots[f"{name} navigation open"] = page.screenshot(animations="disabled")
        else:
            page.locator(".theme-switch-button:visible").first.hover()
            page.wait_for_selector(".tooltip.show", timeout=3000)  # bootstrap builds its classes from templates
            page.wait_for_timeout(400)
            shots[f"{name} tooltip shown"] = page.screenshot(animations="disabled")
            page.mouse.move(0, 400)
            page.locator(".dropdown-download-buttons button").first.click()
            page.wait_for_timeout(400)
            shots[f"{name} downloads open"] = page.screenshot(animations="disabled")
            page.keyboard.press("Escape")
            page.keyboard.press("Control+K")
            page.wait_for_timeout(400)
            shots[f"{name} search open"] = page.screenshot(animations="disabled")
        context.close()
    return shots


def test_readers_see_the_same_pixels_with_the_cut_stylesheets(site, server, browser, tmp_path):
    cut_shots = _screenshots(browser, server, site, original=False)
    original_shots = _screenshots(browser, server, site, original=True)
    different = [name for name in cut_shots if cut_shots[name] != original_shots[name]]
    for name in different:
        slug = name.replace(" ", "_").replace("/", "_")
        (tmp_path / f"{slug}-cut.png").write_bytes(cut_shots[name])
        (tmp_path / f"{slug}-original.png").write_bytes(original_shots[name])
    assert not different, f"the cut stylesheets change what readers see: {different} (screenshots in {tmp_path})"
