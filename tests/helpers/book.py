"""The book under test: its folders, copies of it to break safely, builds, and what its chapters contain."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
COPY_IGNORE = shutil.ignore_patterns(
    "_build", ".venv", "node_modules", ".git", ".pytest_cache", "__pycache__", "benchmarks", "*.egg-info"
)
# The address the test builds publish under (a reserved example domain: no page of a real build has it).
TEST_SITE_URL = "https://readers.example.net/iot-book/"


def copy_book(dest: Path) -> Path:
    """A copy of the book's sources (no build, no venv) to break or rebuild safely."""
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    return dest


def book_env(folder: Path, url: str | None = None) -> dict[str, str]:
    """The environment of a build or a kernel in ``folder``: its own ``iotsurvey`` first.

    The book is installed editable from the repository; a copy's package must win over that install, so
    that a test that breaks the copy's data or code tests the copy.  PYTHONPATH comes before the editable
    install's finder.
    """
    env = {k: v for k, v in os.environ.items() if k != "BOOK_URL" and not k.startswith("IOTSURVEY_")}
    env["PYTHONPATH"] = str(folder)
    env.setdefault("SOURCE_DATE_EPOCH", "1795737600")  # citations' access date, fixed so that builds compare equal
    if url:
        env["BOOK_URL"] = url
    return env


def build(folder: Path, *extra: str, timeout: int = 900, url: str | None = None) -> subprocess.CompletedProcess:
    """Run `jupyter-book build .` in folder; returns the finished process (never raises on failure).

    ``url`` is the site's address for this build (BOOK_URL); None builds with no address.
    """
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", *extra],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=book_env(folder, url),
    )


def reuse_executions(source: Path, dest: Path) -> None:
    """Give a copy the execution cache of a build of the same chapters and data, so that it runs no notebook."""
    shutil.copytree(source / "_build" / ".jupyter_cache", dest / "_build" / ".jupyter_cache")


def strict(folder: Path, url: str | None = TEST_SITE_URL) -> subprocess.CompletedProcess:
    """The strict build the suite publishes: warnings are errors, every reference checked."""
    return build(folder, "-W", "-n", "--keep-going", url=url)


def chapters() -> list[str]:
    """Every document in _toc.yml, as a path without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]
    for part in toc.get("parts", []):
        found += [c["file"] for c in part.get("chapters", [])]
    return found


def is_notebook(doc: str) -> bool:
    return (ROOT / f"{doc}.md").read_text(encoding="utf-8").startswith("---\njupytext")


def notebooks() -> list[str]:
    return [c for c in chapters() if is_notebook(c)]


ROLE = re.compile(r"\{glue:text\}`([^`]+)`")
FENCE = re.compile(r"^(```|~~~)")


def prose_lines(doc: str):
    """(line number, line) of a chapter's Markdown outside fenced blocks (code cells, directives)."""
    fence = None
    for number, line in enumerate((ROOT / f"{doc}.md").read_text(encoding="utf-8").splitlines(), 1):
        m = FENCE.match(line.strip())
        if m:
            fence = None if fence else m.group(1)
            continue
        if not fence:
            yield number, line


def prose_roles(doc: str) -> list[tuple[str, str]]:
    """(key, format) of every {glue:text} role in the prose of a chapter, in order."""
    roles = []
    for _, line in prose_lines(doc):
        for body in ROLE.findall(line):
            key, _, fmt = body.partition(":")
            roles.append((key, fmt))
    return roles


def glued(site: Path, doc: str) -> dict:
    """The values a chapter glued, as its executed notebook recorded them."""
    path = site.parent / "jupyter_execute" / f"{doc}.glue.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: ast.literal_eval(item["data"]["text/plain"]) for key, item in data.items()}


def rewrite(path: Path, change) -> None:
    """Edit every row of a CSV file of a copy with ``change(row)``, keeping its columns and line endings."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by path, except the two Sphinx writes in an order of its own choosing."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name not in ("searchindex.js", ".buildinfo")
    }


def missing_images(site: Path) -> list[str]:
    """Every <img> of the site whose file is not there."""
    from bs4 import BeautifulSoup

    missing = []
    for page in site.rglob("*.html"):
        for img in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("img"):
            src = img.get("src", "")
            if src and not src.startswith(("http", "data:")) and not (page.parent / src).resolve().exists():
                missing.append(f"{page.relative_to(site)}: {src}")
    return missing


def missing_links(site: Path) -> list[str]:
    """Every local link (href) of the site whose file is not there."""
    from urllib.parse import unquote, urlparse

    from bs4 import BeautifulSoup

    missing = []
    for page in site.rglob("*.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            url = urlparse(a["href"])
            if url.scheme or url.netloc or not url.path:
                continue
            if not (page.parent / unquote(url.path)).resolve().exists():
                missing.append(f"{page.relative_to(site)}: {a['href']}")
    return missing


SKIP_DIRS = {"_static", "_sources", "_downloads", "_images", "downloads"}


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, relative to it."""
    return sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if not SKIP_DIRS & set(p.relative_to(site).parts)
    )
