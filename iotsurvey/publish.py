"""Publishing what a chapter shows: escaping data for MyST, spreadsheet-safe CSV, and the
numbered figure with its files (every rendering, PNG, values CSV and schema) under _build.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from pathlib import Path

from IPython.display import Markdown, display

from . import figures, schemas
from .paths import FIGURES
from .survey import Source


def md_escape(text: str) -> str:
    """Text from data, made inert for MyST: every ASCII punctuation mark backslash-escaped.

    CommonMark treats a backslash before any ASCII punctuation as a literal,
    so a measure that contains ``<script>``, ``*`` or ``|`` shows as written.
    """
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in " ".join(str(text).split()))


_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _source_line(sources: list[Source]) -> str:
    return "; ".join(f"{s.outlet}, {s.when}" for s in sources)


def _source_links(sources: list[Source]) -> str:
    return "; ".join(f"[{md_escape(s.outlet)}]({s.url}) ({md_escape(s.when)})" for s in sources)


def in_sentence(text: str) -> str:
    """A measure inside a sentence: its first letter lowered unless the first word is an acronym ("IoT", "CISO")."""
    first = text.split(" ", 1)[0]
    if any(ch.isupper() for ch in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def show_table(name: str, header: list[str], rows: list[list], *, caption: str, escape: bool = True) -> None:
    """A numbered table (``{numref}`name```) from data; cells are escaped unless ``escape=False``."""
    cell = (lambda v: md_escape(v)) if escape else (lambda v: " ".join(str(v).split()).replace("|", "\\|"))
    lines = [
        f"```{{table}} {md_escape(caption)}",
        f":name: {name}",
        ":align: left",
        "",
        "| " + " | ".join(md_escape(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    lines.append("```")
    display(Markdown("\n".join(lines)))


def _round(x):
    return "" if x is None else round(float(x), 2)


def _publish(
    name: str, draw, alt: str, caption: str, sources: list[Source], assumption: str, rows: list[list], schema: str
) -> None:
    """Write the figure (every look: light and dark, desktop and phone, as SVG; a PNG), its CSV and the CSV's
    schema to _build/figures, and show it as a numbered figure.  The Sphinx extension adds the other looks
    beside the light, wide image, for the browser to choose."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    stem = FIGURES / name
    figures.save(draw, stem)
    _write_csv(stem.with_suffix(".csv"), rows)
    _write_schema(FIGURES / f"{schema}.schema.json", schema)
    rel = f"/_build/figures/{name}"
    markdown = "\n".join(
        [
            f"```{{figure}} {rel}.svg",
            f":name: {name}",
            f":alt: {_one_line(alt)}",
            ":width: 100%",
            "",
            caption,
            "",
            f"{md_escape(assumption)} Source: {_source_links(sources)}. "
            f"Download: {{download}}`SVG <{rel}.svg>`, {{download}}`PNG <{rel}.png>`, "
            f"{{download}}`values (CSV) <{rel}.csv>` and {{download}}`its schema </_build/figures/{schema}.schema.json>`.",
            "```",
        ]
    )
    display(Markdown(markdown))


def _one_line(text: str) -> str:
    return " ".join(text.split())


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


def _write_schema(path: Path, name: str) -> None:
    if not path.exists():
        schemas.write(path, name)


def _write_csv(path: Path, rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _source_rank(source: Source):
    """Releases and their copies first, then the rest, oldest first, undated last."""
    kind = 0 if source.kind in ("release_copy", "vendor_release") else 1
    return (kind, source.date is None, source.date or _dt.date.max, source.outlet)


def _cite(source: Source) -> str:
    """A citation of a page, resolved against the bibliography on the how-to-cite page."""
    return f"{{cite:p}}`src-{source.id}`"


def _link(source: Source) -> str:
    return f"[{md_escape(source.outlet)}]({source.url})"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _short_url(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host
