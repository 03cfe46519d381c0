"""The files readers download, written by one step before the build (a Sphinx hook) and by
``python -m iotsurvey export``: values CSVs with their schemas, the chapters' CSVs, the data package as a
ZIP, and the bibliography of the pages read (:mod:`.files`)."""

from .files import FOLDER, PACKAGE_ZIP, SOURCES_BIB, export

__all__ = ["FOLDER", "PACKAGE_ZIP", "SOURCES_BIB", "export"]
