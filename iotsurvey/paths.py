"""Where things are: the repository, its data, and what the build writes under ``_build``.

One place for every path the package, the Sphinx extension and the chapters share.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PACKAGE = DATA / "datapackage.json"

BUILD = ROOT / "_build"  # the site, the execution cache, and the files chapters write
FIGURES_FOLDER = "figures"  # under _build: every chart in every rendering, its values CSV and schema
DOWNLOADS_FOLDER = "downloads"  # under _build: the chapters' CSVs, the sources bibliography, the data ZIP
FIGURES = BUILD / FIGURES_FOLDER
DOWNLOADS = BUILD / DOWNLOADS_FOLDER

PACKAGE_ZIP = "iot-survey-data-package.zip"  # the data package as one download (written by the extension)
SOURCES_BIB = "sources.bib"  # the bibliography of every page read (written by the extension)
