"""Where the book's sources are: the repository, its data package and its citation record.

The only module every layer may import.  Nothing here names a build folder: the site's folders are the
Sphinx application's (``app.outdir``), and the export writes wherever it is told.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PACKAGE = DATA / "datapackage.json"
CITATION = ROOT / "CITATION.cff"
CHAPTERS = ROOT / "chapters"
PACKAGE_ROOT = Path(__file__).resolve().parent  # iotsurvey/


def digest(*paths: Path) -> str:
    """A short hash of files and of every file under folders (names and bytes, in sorted order)."""
    import hashlib

    hasher = hashlib.sha256()
    for path in paths:
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if path.is_dir()
            else [path]
        )
        for file in files:
            hasher.update(
                file.relative_to(ROOT).as_posix().encode() if file.is_relative_to(ROOT) else file.name.encode()
            )
            hasher.update(file.read_bytes())
    return hasher.hexdigest()[:16]
