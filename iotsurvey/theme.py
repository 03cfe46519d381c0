"""Theme work, kept apart because it depends on the theme's internals (pinned in requirements.txt).

- the theme's 1.5 MB icon script is replaced by a small stylesheet of the icons the pages use, cut from
  that script's own SVG paths (``icons_css``);
- the unused Thebe, toggle-button and sphinx-design assets and sphinx-thebe's Binder configuration are
  dropped;
- the book's static files and its two template overrides are put on the theme's paths.

Written for the theme versions in ``THEME_VERSIONS``; the tests fail when either changes, and when a
page uses an icon that has no rule.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

THEME_VERSIONS = {"sphinx-book-theme": "1.3.0", "pydata-sphinx-theme": "0.17.1"}
STATIC = Path(__file__).resolve().parent / "static"


UNUSED_SCRIPTS = ("sphinx-thebe.js", "togglebutton.js", "design-tabs.js")


UNUSED_SCRIPT_BODIES = ("THEBE_JS_URL", "togglebutton", "toggleHint", "toggleOpenOnPrint")


UNUSED_STYLES = ("sphinx-thebe.css", "togglebutton.css", "sphinx-design.min.css")


def _drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe writes a Binder configuration into every page; this book has no live code."""
    for raw in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in raw.astext() or "kernelName" in raw.astext():
            raw.parent.remove(raw)


def _drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The theme's and extensions' scripts and styles this book does not use (no Thebe, toggles or tabs)."""
    context["script_files"] = [js for js in context.get("script_files", []) if not _unused_script(js)]
    context["css_files"] = [
        css for css in context.get("css_files", []) if not str(getattr(css, "filename", css)).endswith(UNUSED_STYLES)
    ]


def _unused_script(js) -> bool:
    name = str(getattr(js, "filename", "") or "")
    body = getattr(js, "attributes", {}).get("body", "") or ""
    return name.endswith(UNUSED_SCRIPTS) or any(marker in body for marker in UNUSED_SCRIPT_BODIES)


_ICON = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z][a-z0-9]*)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","(M[^"]+)"\]')


def _icon_paths() -> dict[str, dict[str, tuple[int, int, str]]]:
    """The icons of the theme's Font Awesome bundle, by pack ("fas" solid, "far" regular, "fab" brands).

    The minified bundle defines each pack as an object literal followed by a
    call naming the pack, e.g. ``...})("fas", ...``; names are quoted only when
    they contain a hyphen.
    """
    import pydata_sphinx_theme

    bundle = (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme"
        / "pydata_sphinx_theme"
        / "static"
        / "scripts"
        / "fontawesome.js"
    )
    text = bundle.read_text(encoding="utf-8")
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    start = 0
    for marker in re.finditer(r'\("(fas|far|fab)"', text):
        icons = packs.setdefault(marker.group(1), {})
        for m in _ICON.finditer(text, start, marker.start()):
            icons.setdefault(m.group(1) or m.group(2), (int(m.group(3)), int(m.group(4)), m.group(5)))
        start = marker.end()
    return packs


def icons_css(names: set[str]) -> str:
    """CSS that draws each named icon as a mask filled with the text colour (solid, or regular where asked)."""
    packs = _icon_paths()
    rules = [
        "/* Icons from Font Awesome Free (https://fontawesome.com, CC BY 4.0), as CSS masks. */",
        ".fa-solid, .fa-regular, .fa-brands, .fas, .far, .fab { display: inline-block; width: 1em; height: 1em;"
        " vertical-align: -0.125em; }",
        ".fa-solid::before, .fa-regular::before, .fa-brands::before, .fas::before, .far::before, .fab::before"
        ' { content: ""; display: block; width: 100%; height: 100%; background-color: currentColor;'
        " -webkit-mask: var(--icon) no-repeat center / contain; mask: var(--icon) no-repeat center / contain; }",
        ".fa-lg { font-size: 1.25em; }",
        # the theme styles these classes in the Font Awesome font; with the glyphs drawn as masks
        # the font is never needed, and naming it would make the browser fetch 150 KB for nothing
        ".fa, .fa-solid, .fa-regular, .fa-brands, .fas, .far, .fab { font-family: inherit !important; }",
    ]

    def rule(selector, icon):
        width, height, path = icon
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
        uri = "data:image/svg+xml," + svg.replace("%", "%25").replace("#", "%23").replace("<", "%3C").replace(
            ">", "%3E"
        )
        return f'{selector} {{ --icon: url("{uri}"); }}'

    for name in sorted(names):
        for pack, selector in (
            ("fas", f".fa-{name}"),
            ("far", f".fa-regular.fa-{name}"),
            ("fab", f".fa-brands.fa-{name}"),
        ):
            if name in packs.get(pack, {}):
                rules.append(rule(selector, packs[pack][name]))
    # icons the theme draws with the font in pseudo-elements of its own
    for selector, name in PSEUDO_ICONS.items():
        rules.append(
            rule(selector, packs["fas"][name]).replace(
                " }",
                '; content: ""; display: inline-block;'
                " width: 0.8em; height: 0.8em; margin-right: 0.25em; padding: 0; font: inherit;"
                " background-color: currentColor; -webkit-mask: var(--icon) no-repeat center / contain;"
                " mask: var(--icon) no-repeat center / contain; }",
            )
        )
    return "\n".join(rules) + "\n"


PSEUDO_ICONS = {
    "a.reference.download::before": "download",
    # the "Key findings" box is a tip: the theme draws its light bulb with the font (a 156 KB download)
    ".admonition.tip > .admonition-title::after": "lightbulb",
}


def _write_icons(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    names = set()
    for page in outdir.rglob("*.html"):
        names |= set(re.findall(r"\bfa-([a-z0-9-]+)", page.read_text(encoding="utf-8")))
    for script in (outdir / "_static" / "scripts").glob("pydata-sphinx-theme.js"):
        names |= set(re.findall(r"\bfa-([a-z0-9-]+)", script.read_text(encoding="utf-8")))
    target = outdir / "_static" / "icons.css"
    css = icons_css(names - {"solid", "regular", "brands", "lg"})
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")


def _static_path(app: Sphinx, config) -> None:
    path = str(STATIC)
    if path not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, path]
    templates = str(STATIC.parent / "templates")
    if templates not in config.templates_path:
        config.templates_path = [templates, *config.templates_path]
