"""The files readers download, written before the build reads any page (and by ``python -m iotsurvey export``):

    downloads/figures/<figure>.csv               the values of each figure, one row per bar, top to bottom
    downloads/figures/<schema>.schema.json       their Table Schemas
    downloads/chapters/<chapter>-findings.csv    the findings each chapter uses, with their evidence
    downloads/chapters/chapter-findings.schema.json
    downloads/iot-survey-data-package.zip        data/ with a README: the survey, the book, its version, licence
    downloads/sources.bib                        every page read, for the bibliographies

Every file comes from the same objects the chapters show (:mod:`iotsurvey.render.figures`,
:mod:`iotsurvey.render.chapters`); no chapter writes a file.  CSV cells cannot start a spreadsheet formula,
and addresses lose their tracking parameters.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from ..paths import DATA, ROOT
from ..render.chapters import CHAPTERS, chapter_findings
from ..render.charts import as_released, interval_end
from ..render.figures import FIGURES, chart
from . import schemas
from .bibliography import clean_url, sources_bibtex

FOLDER = "downloads"
PACKAGE_ZIP = "iot-survey-data-package.zip"
SOURCES_BIB = "sources.bib"


def book_record() -> dict:
    """The book's title, version and licence, from CITATION.cff."""
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    return {"title": cff["title"], "version": str(cff["version"]), "license": cff.get("license", "CC-BY-4.0")}


def csv_safe(value) -> str:
    """A cell that no spreadsheet will run as a formula (OWASP: prefix = + - @ tab CR with ')."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _write_csv(path: Path, rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    _write_if_changed(path, buffer.getvalue().encode("utf-8"))


def _write_if_changed(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def figure_values(name: str) -> list[list]:
    """A figure's values file, its page addresses cleaned."""
    drawn = chart(name)
    header = schemas.columns(drawn.schema)
    rows = [header]
    for values in drawn.rows():
        if set(values) != set(header):
            raise ValueError(f"{name}: the chart's values {sorted(values)} are not the columns of {drawn.schema}")
        if "sources" in values:
            values["sources"] = " ".join(clean_url(u) for u in str(values["sources"]).split())
        rows.append([values[column] for column in header])
    return rows


def chapter_rows(doc: str) -> list[list]:
    """The findings a chapter uses, one row each, with their evidence status and, where one exists, the interval at
    the whole sample (or, for a country, at the equal split)."""
    from ..model import intervals
    from ..model.scenarios import EQUAL_SPLIT

    rows = [schemas.columns("chapter-findings")]
    for f in chapter_findings(doc):
        low = high = size = deff = ""
        if f.has_interval:
            size = intervals.TOTAL_N if f.interval == "computable" else EQUAL_SPLIT
            p = f.precision(size)
            low, high, deff = interval_end(p.low), interval_end(p.high), "1"
        rows.append(
            [
                f.id,
                f.measure,
                f.label,
                f.stated,
                "" if f.value is None else f.value,
                f.unit,
                f.share_of,
                f.base_note,
                f.country,
                f.interval,
                low,
                high,
                size,
                deff,
                f.interval_method,
                f.grade,
                "; ".join(f.flag_words),
                str(f.single_source).lower(),
                f.pages,
                f.wording,
                f.release.name,
                f.release.when,
                " ".join(clean_url(x.url) for x in as_released(f)),
            ]
        )
    return rows


README = """{title}
Data package, version {version}

What this is: every figure published from the April-May 2018 online survey that Vanson Bourne ran for Trend
Micro (1,150 IT and security decision-makers in the US, UK, France, Germany and Japan), with its base, its
release and the pages that carried it; the survey's disclosed design; the discrepancies between outlets; and,
for context, the published designs and figures of other surveys of organisations on IoT security (2017-2020).
There are no respondent-level data: none were ever published.

Files: datapackage.json describes every file and column (types, allowed values, keys); data/README.md
explains the columns that need a word, the evidence grades and their flags. Validate with
  frictionless validate datapackage.json

Licence: {license} (Creative Commons Attribution 4.0). Cite the book, version {version}; its citation is in
CITATION.cff in the book's repository and on every page of the site.

The figures in each file are as published; the evidence columns (grade, flags, interval status) are the
book's, computed by the rules in data/README.md.
"""


def write_package_zip(path: Path, book: dict) -> None:
    """data/ as a ZIP with a README, each file dated as it was last changed (the ZIP keeps whole seconds)."""
    import time

    names = sorted(p.name for p in DATA.iterdir() if p.suffix in (".csv", ".json", ".md"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        readme = zipfile.ZipInfo("iot-survey-data/README.txt", date_time=_date(DATA / "datapackage.json", time))
        readme.external_attr = 0o644 << 16
        archive.writestr(readme, README.format(**book), compress_type=zipfile.ZIP_DEFLATED)
        for name in names:
            info = zipfile.ZipInfo(f"iot-survey-data/{name}", date_time=_date(DATA / name, time))
            info.external_attr = 0o644 << 16
            archive.writestr(info, (DATA / name).read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    _write_if_changed(path, buffer.getvalue())


def _date(path: Path, time) -> tuple:
    """The file's real date for the ZIP: its last commit's when it is committed unchanged, else its modification
    time (a fresh clone's files all have the clone's time; the commit date is the one that means something)."""
    import subprocess

    def git(*args) -> str:
        result = subprocess.run(["git", *args, "--", str(path)], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    committed, changed = git("log", "-1", "--format=%ct"), git("status", "--porcelain")
    stamp = int(committed) if committed and not changed else int(path.stat().st_mtime)
    return time.gmtime(max(stamp, 315532800))[:6]  # the ZIP format starts in 1980


def export(folder: Path) -> list[Path]:
    """Write every download into ``folder`` (the site's ``downloads/`` folder); return the files written."""
    folder = Path(folder)
    book = book_record()
    written = []
    figures = folder / "figures"
    for name in FIGURES:
        path = figures / f"{name}.csv"
        _write_csv(path, figure_values(name))
        written.append(path)
    for schema in sorted({chart(name).schema for name in FIGURES}):
        path = figures / f"{schema}.schema.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        schemas.write(path, schema, book)
        written.append(path)
    chapters = folder / "chapters"
    for doc in CHAPTERS:
        path = chapters / f"{doc.rsplit('/', 1)[-1]}-findings.csv"
        _write_csv(path, chapter_rows(doc))
        written.append(path)
    path = chapters / "chapter-findings.schema.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    schemas.write(path, "chapter-findings", book)
    written.append(path)
    write_package_zip(folder / PACKAGE_ZIP, book)
    _write_if_changed(folder / SOURCES_BIB, sources_bibtex().encode("utf-8"))
    written += [folder / PACKAGE_ZIP, folder / SOURCES_BIB]
    return written
