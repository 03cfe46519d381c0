"""The theme's stylesheets cut down to the rules this book's pages can match.

The pydata theme ships all of Bootstrap and a class for every Font Awesome icon: 397 KB of CSS on
every page, most of it for components the book never shows (carousels, toasts, spinners, ...).
After each build, a rule is dropped when each of its selectors names a class that appears in no
page of the site and in no script a page loads, neither as a word nor as a name the script builds
from a template literal (bootstrap's ``bs-${NAME}-auto``): such a selector cannot match anything a
reader sees, whatever the scripts do with the classes they name.  Everything else stays as written, in
order: rules without classes, ``:root`` and dark-mode variables, ``@font-face``, ``@keyframes``.
Classes inside ``:not()``, ``:is()`` and other functions are never required.

The stylesheets are cut from the installed packages' own files (never from an earlier cut), and the
result is kept under ``_build`` with the class list it was cut for, so a rebuild that changes no
class does not parse them again.  The browser tests compare screenshots taken with the cut and the
original stylesheets.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx

CUT_FOLDER = ".stylesheets-cut"  # in _build: the last cuts, with the digest of the classes and originals


def originals(outdir: Path) -> dict[Path, Path]:
    """Each stylesheet to cut, in the site, with the installed file it is a copy of."""
    import myst_nb
    import pydata_sphinx_theme
    import sphinx_book_theme

    pydata = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles"
    book = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static" / "styles"
    pairs = {
        outdir / "_static" / "styles" / "pydata-sphinx-theme.css": pydata / "pydata-sphinx-theme.css",
        outdir / "_static" / "styles" / "sphinx-book-theme.css": book / "sphinx-book-theme.css",
    }
    for copy in (outdir / "_static").glob("mystnb.*.css"):
        pairs[copy] = Path(myst_nb.__file__).parent / "static" / "mystnb.css"
    return {site: original for site, original in pairs.items() if site.exists() and original.exists()}


_CLASS_ATTRIBUTE = re.compile(r"""\bclass=(?:"([^"]*)"|'([^']*)')""")
_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc=["']([^"'?#]+)""")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


_TEMPLATE = re.compile(r"`([^`]*\$\{[^`]*)`")  # a script's template literal that fills something in
_FRAGMENT = re.compile(r"[^\s.#:\[\]()>,\"'=+~*]+")  # the part of a selector that can be one class


class InUse(frozenset):
    """Class names that can be in use: the words found, and the names a script builds from a template
    (bootstrap names a tooltip ``bs-${NAME}-auto``), as patterns."""

    def __new__(cls, words=(), patterns=()):
        found = super().__new__(cls, words)
        found.patterns = tuple(patterns)
        return found

    def __contains__(self, name) -> bool:
        return super().__contains__(name) or any(p.fullmatch(name) for p in self.patterns)


def _class_patterns(script: str) -> set[str]:
    """Patterns of the class names a script can build: fragments of its template literals that
    mix letters with ``${...}`` (a fragment that is only a placeholder could be anything: left out)."""
    patterns = set()
    for literal in _TEMPLATE.findall(script):
        for fragment in _FRAGMENT.findall(re.sub(r"\$\{[^}]*\}", "\0", literal)):
            if "\0" in fragment and re.search(r"[A-Za-z]", fragment):
                patterns.add("[A-Za-z0-9_-]*".join(re.escape(part) for part in fragment.split("\0")))
    return patterns


def classes_in_use(outdir: Path) -> InUse:
    """Every class written in a page, and every word (and template-built name) of every local script a
    page loads."""
    found: set[str] = set()
    patterns: set[str] = set()
    scripts: set[Path] = set()
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for double, single in _CLASS_ATTRIBUTE.findall(text):
            found.update((double or single).split())
        folder = posixpath.dirname(page.relative_to(outdir).as_posix())
        for src in _SCRIPT.findall(text):
            if "//" not in src:
                scripts.add(outdir / posixpath.normpath(posixpath.join(folder, src)))
    for script in scripts:
        if script.exists():
            text = script.read_text(encoding="utf-8")
            found.update(_WORD.findall(text))
            patterns |= _class_patterns(text)
    return InUse(found, (re.compile(p) for p in sorted(patterns)))


def cut(css: str, keep: set[str]) -> str:
    """``css`` without the rules none of whose selectors can match, given the classes in ``keep``."""
    import tinycss2

    def required_classes(selector) -> set[str]:
        names, previous = set(), None
        for token in selector:  # top level only: a class inside :not() or :is() is not required
            if previous is not None and previous.type == "literal" and previous.value == ".":
                if token.type == "ident":
                    names.add(token.value)
            previous = token
        return names

    def can_match(rule) -> bool:
        selectors: list[list] = [[]]
        for token in rule.prelude:
            if token.type == "literal" and token.value == ",":
                selectors.append([])
            else:
                selectors[-1].append(token)
        return any(all(name in keep for name in required_classes(selector)) for selector in selectors)

    def rules(nodes) -> list[str]:
        kept = []
        for node in nodes:
            if node.type == "qualified-rule":
                if can_match(node):
                    kept.append(node.serialize())
            elif node.type == "at-rule" and node.lower_at_keyword in {"media", "supports", "layer", "container"}:
                if node.content is None:
                    kept.append(node.serialize())
                    continue
                inner = rules(tinycss2.parse_rule_list(node.content))
                if inner:
                    kept.append(f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}{{{''.join(inner)}}}")
            elif node.type not in {"comment", "whitespace"}:
                kept.append(node.serialize())
        return kept

    return "".join(rules(tinycss2.parse_stylesheet(css))) + "\n"


def _cut_stylesheets(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pairs = originals(outdir)
    keep = classes_in_use(outdir)
    digest = hashlib.sha256()
    for word in [*sorted(keep), *(p.pattern for p in keep.patterns)]:
        digest.update(word.encode() + b"\0")
    for original in sorted(set(pairs.values())):
        digest.update(original.read_bytes())
    kept = outdir.parent / CUT_FOLDER  # the cuts, and the digest of what they were cut for
    stamp = kept / "digest"
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == digest.hexdigest()):
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir(parents=True)
        for site, original in pairs.items():
            (kept / site.name).write_text(cut(original.read_text(encoding="utf-8"), keep), encoding="utf-8")
        stamp.write_text(digest.hexdigest(), encoding="utf-8")
    for site in pairs:  # some extensions copy their stylesheet again on every build
        wanted = (kept / site.name).read_bytes()
        if site.read_bytes() != wanted:
            site.write_bytes(wanted)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _cut_stylesheets, priority=900)
