"""What each chapter read from ``data/``, so that a change to the data re-runs only the chapters that read it.

A chapter reads the data only through the survey model (``iotsurvey.survey``), whose collections note
what is read, as *aspects*:

- ``finding:<id>``: one finding, with everything its ``Finding`` carries: its row of findings.csv, its
  pages (finding_sources.csv, and their rows of sources.csv), its rankings, its release (releases.csv,
  and the release's copy in sources.csv) and the discrepancies about it (discrepancies.csv);
- ``findings``: which findings exist, and the country of each (what the book counts);
- ``<file>``: a whole file of ``data/``, for everything else (any table read as a table, the sources,
  the releases, the design, the disclosure audit, the other surveys, datapackage.json).

Reading every finding notes every finding.  The last cell of a chapter, ``show_chapter_data``, names
the chapter; from then on the kernel keeps a record of the aspects it read with a digest of each, in
the folder the build names (``RECORDS_ENV``).  Before the next build executes anything, the build
recomputes the digests from ``data/`` (``stale``): a chapter whose record differs, or that has no
record, is run again; the others keep their cached outputs.  Digests are computed from the CSV text,
the same way in the kernel and in the build, without pandas.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .paths import DATA

RECORDS_ENV = "IOTSURVEY_READS"  # set by the build: the folder of the chapters' records
_read: set[str] = set()
_chapter: Path | None = None
_loaded: dict[str, bytes] | None = None  # data/ as this kernel found it, just before reading it


def snapshot(folder: Path = DATA) -> None:
    """Keep the bytes of ``data/`` before the model reads them: the record's digests are of these bytes.

    Were ``data/`` saved while a chapter runs, the record then describes data at least as old as
    what the chapter showed, so the next build sees a difference and runs the chapter again."""
    global _loaded
    _loaded = {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}


def note(*aspects: str) -> None:
    """The running chapter read these aspects."""
    new = set(aspects) - _read
    if new:
        _read.update(new)
        if _chapter is not None:
            _write()


def chapter_is(name: str) -> None:
    """Name the running chapter (``chapters/<name>.md``, run from its folder) and keep its record from now on."""
    global _chapter
    notebook = Path.cwd() / f"{name}.md"
    if os.environ.get(RECORDS_ENV) and notebook.exists():
        _chapter = notebook.resolve()
        _write()


def record_path(folder: Path, notebook: Path) -> Path:
    return Path(folder) / (hashlib.sha256(str(notebook).encode()).hexdigest()[:16] + ".json")


def _write() -> None:
    folder = Path(os.environ[RECORDS_ENV])
    folder.mkdir(parents=True, exist_ok=True)
    digests = Digests(files=_loaded)
    record = {"notebook": str(_chapter), "reads": {aspect: digests[aspect] for aspect in sorted(_read)}}
    record_path(folder, _chapter).write_text(json.dumps(record, indent=0), encoding="utf-8")


class Recorded(Mapping):
    """A read-only mapping that notes an aspect on every read: ``aspects`` for any read, and
    ``key_aspect(key)`` for a read of one key (``finding:<id>`` for the findings)."""

    def __init__(self, items: dict, aspects: Iterable[str], key_aspect=None):
        self._items = items
        self._aspects = tuple(aspects)
        self._key_aspect = key_aspect

    def __getitem__(self, key):
        note(*self._aspects, *((self._key_aspect(key),) if self._key_aspect else ()))
        return self._items[key]

    def __iter__(self):
        note(*self._aspects)
        return iter(self._items)

    def __len__(self) -> int:
        note(*self._aspects)
        return len(self._items)


# ---------------------------------------------------------------------------
# Digests, from the files as written


class Digests:
    """The digest of each aspect, from the files under ``folder`` (or from ``files``, their bytes by name)."""

    def __init__(self, folder: Path = DATA, files: dict[str, bytes] | None = None):
        self.folder = Path(folder)
        self.files = files
        self._rows: dict[str, list[dict[str, str]]] = {}

    def _bytes(self, name: str) -> bytes:
        if self.files is not None:
            return self.files.get(name, b"")
        path = self.folder / name
        return path.read_bytes() if path.exists() else b""

    def rows(self, name: str) -> list[dict[str, str]]:
        if name not in self._rows:
            self._rows[name] = list(csv.DictReader(io.StringIO(self._bytes(name).decode("utf-8"))))
        return self._rows[name]

    def _file(self, name: str) -> str:
        return hashlib.sha256(self._bytes(name)).hexdigest()

    def _finding(self, finding_id: str) -> dict[str, list]:
        mine = lambda name: [r for r in self.rows(name) if r.get("finding_id") == finding_id]  # noqa: E731
        rows = {
            name: mine(name) for name in ("findings.csv", "finding_sources.csv", "rankings.csv", "discrepancies.csv")
        }
        release_ids = {r["release_id"] for r in rows["findings.csv"]}
        rows["releases.csv"] = [r for r in self.rows("releases.csv") if r["release_id"] in release_ids]
        pages = {r["source_id"] for r in rows["finding_sources.csv"]} | {r["copy_used"] for r in rows["releases.csv"]}
        rows["sources.csv"] = [r for r in self.rows("sources.csv") if r["source_id"] in pages]
        return rows

    def __getitem__(self, aspect: str) -> str:
        if aspect.startswith("finding:"):
            content = self._finding(aspect.removeprefix("finding:"))
        elif aspect == "findings":
            content = [(r["finding_id"], r["country"]) for r in self.rows("findings.csv")]
        else:
            return self._file(aspect)
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()


def stale(folder: Path, notebooks: Iterable[Path], data_folder: Path = DATA) -> list[Path]:
    """The notebooks whose record is missing, or names an aspect whose digest is no longer the same.

    Their records are deleted: the next execution of each writes a new one."""
    digests = Digests(data_folder)
    found = []
    for notebook in notebooks:
        path = record_path(folder, Path(notebook).resolve())
        record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if record is None or any(digests[a] != d for a, d in record["reads"].items()):
            found.append(Path(notebook))
            path.unlink(missing_ok=True)
    return found
