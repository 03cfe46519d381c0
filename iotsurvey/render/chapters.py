"""The book's chapters and the findings each one uses, declared once; ``start_chapter`` opens a chapter.

A chapter's findings are its data download (written by the export step before the build, from this list)
and what its first cell glues.  A new finding is added here to the chapter of its theme; the suite checks
that every finding is in some chapter and that a page glues no finding its chapter does not list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model.survey import Finding, Survey, load
from .glue import glue_design, glue_findings, glue_overview


def _countries(s: Survey) -> list[str]:
    """Every country figure, and the whole-sample figures they are compared with."""
    countries = [f.id for f in s.countries_findings()]
    totals = [f.global_id for f in s.countries_findings() if f.global_id]
    return countries + list(dict.fromkeys(totals))


# The chapters that run code (MyST notebooks), by document, with the findings each uses, in the order its
# first cell unpacks them.
CHAPTERS: dict[str, tuple[str, ...] | Callable[[Survey], list[str]]] = {
    "index": ("N01", "N02", "N03", "N04", "N05", "N06", "N07"),
    "chapters/methodology": ("N02", "N08", "N01"),
    "chapters/sample": (),
    "chapters/awareness": ("N01", "N02", "N08", "F02"),
    "chapters/security-needs": ("N03", "J01", "S02", "S01", "S06", "J09"),
    "chapters/attack-targets": ("N04", "N05", "J08"),
    "chapters/priorities": ("N06", "N07"),
    "chapters/risk": ("J01", "J02", "N09", "F01", "J03", "J04", "J05", "J06", "J07", "J19", "J20"),
    "chapters/consequences": ("J13", "J14", "J15", "J16", "J17", "J18"),
    "chapters/decisions": ("S01", "S02", "S06", "J09", "J10", "J11", "J12", "S05"),
    "chapters/spending-incidents": ("S03", "S04", "J08", "S07"),
    "chapters/countries": _countries,
    "chapters/peers": ("N01", "N02", "N03", "N04"),
    "chapters/sources": ("J01",),
}


@dataclass(frozen=True)
class Chapter:
    """A chapter and its findings; unpacks to the findings (``a, b = start_chapter(...)``)."""

    doc: str
    findings: tuple[Finding, ...]

    @property
    def name(self) -> str:
        """ "awareness": the chapter's file name, which names its data download."""
        return self.doc.rsplit("/", 1)[-1]

    def __iter__(self):
        return iter(self.findings)

    def finding(self, finding_id: str) -> Finding:
        """One of the chapter's findings, by id."""
        for f in self.findings:
            if f.id == finding_id:
                return f
        raise KeyError(f"{finding_id} is not among the findings of {self.doc} in iotsurvey/render/chapters.py")


def chapter_findings(doc: str, survey: Survey | None = None) -> tuple[Finding, ...]:
    s = survey or load()
    try:
        ids = CHAPTERS[doc]
    except KeyError:
        raise KeyError(f"no chapter {doc!r} in iotsurvey/render/chapters.py: add it to CHAPTERS") from None
    return tuple(s.finding(i) for i in (ids(s) if callable(ids) else ids))


def start_chapter(name: str, *, sources: bool = False, design: bool = True, overview: bool = True) -> Chapter:
    """Open a chapter: glue its findings (and where they appeared, with ``sources``), the design facts and the
    book-wide counts; return the chapter, which unpacks to its findings in the order of ``CHAPTERS``.

    ``name`` is the chapter's file name ("awareness"), or "index" for the front page.
    """
    doc = name if name == "index" else f"chapters/{name}"
    findings = chapter_findings(doc)
    glue_findings(*findings, sources=sources)
    if design:
        glue_design()
    if overview:
        glue_overview()
    return Chapter(doc, findings)
