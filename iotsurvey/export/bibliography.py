"""The bibliography of every page read, as BibTeX: the survey's releases and the outlets that carried them
(keys ``src-<source_id>``), and the pages that report the other surveys (keys ``ctx-<source_id>``).

Author-year labels are made unique the way APA does it: a second entry of one author in one year gets
"a" and "b" after its year.  Text is escaped once, by :func:`bibtex_text`, which the site's citations use too.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model.peers import load as load_peers
from ..model.survey import LANGUAGES, load


def bibtex_text(text: str) -> str:
    """Text for a BibTeX value: white space folded, the characters TeX treats specially escaped, braces too."""
    return re.sub(r"([&%$#_{}])", r"\\\1", " ".join(str(text).split()))


def clean_url(url: str) -> str:
    """An address without its utm_ tracking parameters (the pages were recorded as found)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if "utm_" not in parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    return urlunsplit(parts._replace(query=urlencode(kept, safe=",/:")))


def _entry(key: str, fields: list[tuple[str, str]]) -> str:
    lines = [f"@misc{{{key},"] + [f"  {name.ljust(12)} = {{{value}}}," for name, value in fields]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines + ["}"])


def _years(items: list[tuple[str, str, str]]) -> dict[str, str]:
    """Each key's year, with a, b, c... where one author has several entries in one year (in key order)."""
    counts = Counter((author, year) for _, author, year in items)
    seen: Counter = Counter()
    years = {}
    for key, author, year in items:
        if counts[(author, year)] > 1:
            letter = "abcdefghijklmnopqrstuvwxyz"[seen[(author, year)]]
            years[key] = f"n.d.-{letter}" if year == "n.d." else f"{year}{letter}"
            seen[(author, year)] += 1
        else:
            years[key] = year
    return years


def sources_bibtex() -> str:
    """Every page in data/sources.csv and data/context_sources.csv as a BibTeX entry."""
    survey, peers = load(), load_peers()
    pages = []
    for source in survey.sources.values():
        year = (
            str(source.date.year)
            if source.date
            else (re.findall(r"\b(20\d\d)\b", source.date_note or "") or ["n.d."])[0]
        )
        pages.append((f"src-{source.id}", source.outlet, year))
    for page in peers.sources.values():
        pages.append((f"ctx-{page.id}", page.site, "n.d."))
    years = _years(pages)

    entries = []
    for source in survey.sources.values():
        key = f"src-{source.id}"
        # "n.d." (or the year the page implies) already says it is undated: the note gives only what is known
        known = source.when.removeprefix("undated").lstrip("; ")
        when = f"{known}; " if known else ""
        entries.append(
            _entry(
                key,
                [
                    ("author", f"{{{bibtex_text(source.outlet)}}}"),
                    ("title", f"{{{bibtex_text(source.description)}}}"),
                    ("year", years[key]),
                    ("note", bibtex_text(f"{when}in {LANGUAGES[source.language]}")),
                    ("url", clean_url(source.url)),
                ],
            )
        )
    for page in peers.sources.values():
        key = f"ctx-{page.id}"
        figures = [f for f in peers.figures.values() if page in f.sources]
        design = [
            (survey_id, states) for survey_id, found in peers.design_pages.items() for p, states in found if p == page
        ]
        names = list(dict.fromkeys([f.survey.name for f in figures] + [peers.surveys[i].name for i, _ in design]))
        said = []
        if figures:
            said.append(f"states {len(figures)} figure{'s' if len(figures) != 1 else ''} shown in the chapter")
        said += [f"states the {peers.surveys[i].name} survey's {states}" for i, states in design]
        kind = "a mirror copy or repost, not the publisher's page; " if page.mirror else ""
        entries.append(
            _entry(
                key,
                [
                    ("author", f"{{{bibtex_text(page.site)}}}"),
                    ("title", f"{{Page reporting the {bibtex_text(' and '.join(names))} survey}}"),
                    ("year", years[key]),
                    ("note", bibtex_text(kind + "; ".join(said))),
                    ("url", clean_url(page.url)),
                ],
            )
        )
    return "\n\n".join(entries) + "\n"
