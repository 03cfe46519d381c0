"""Text from data, typed so that it is escaped by construction: once as MyST for the book, once as HTML
for Jupyter.

A cell or a sentence is a sequence of parts.  A plain ``str`` is text from data and is always made inert
(every ASCII punctuation mark backslash-escaped in MyST, HTML-escaped in HTML); the other parts say what
they are (a link, a cross-reference, a citation, strong text) and render themselves.  No caller escapes by
hand, so no caller can forget to.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import ClassVar

_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def escape_myst(text: str) -> str:
    """Text from data, made inert for MyST: every ASCII punctuation mark backslash-escaped (CommonMark treats a
    backslash before any ASCII punctuation as a literal), white space folded to single spaces."""
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in _fold(str(text)))


def _fold(text: str) -> str:
    """Runs of white space (new lines included) as one space; a space at either end is kept."""
    return re.sub(r"\s+", " ", text)


class Part:
    """Something that renders itself in MyST and in HTML."""

    def myst(self) -> str:
        raise NotImplementedError

    def html(self) -> str:
        raise NotImplementedError


def myst(*parts) -> str:
    """The parts as MyST, text escaped."""
    return "".join(_one(p, "myst") for p in parts)


def to_html(*parts) -> str:
    """The parts as HTML, text escaped."""
    return "".join(_one(p, "html") for p in parts)


def plain(*parts) -> str:
    """The parts as plain text (for text/plain outputs)."""
    return "".join(_one(p, "plain") for p in parts)


def _one(part, how: str) -> str:
    if part is None:
        return ""
    if isinstance(part, (list, tuple)):
        return "".join(_one(p, how) for p in part)
    if isinstance(part, Part):
        return part.plain() if how == "plain" else getattr(part, how)()
    text = _fold(str(part))
    return {"myst": escape_myst, "html": html.escape, "plain": str}[how](text)


@dataclass(frozen=True)
class _Styled(Part):
    """Text set in a style: its MyST mark and its HTML tag; in plain text, just the text."""

    content: object
    mark: ClassVar[str]
    tag: ClassVar[str]

    def myst(self) -> str:
        return f"{self.mark}{myst(self.content)}{self.mark}"

    def html(self) -> str:
        return f"<{self.tag}>{to_html(self.content)}</{self.tag}>"

    def plain(self) -> str:
        return plain(self.content)


class Strong(_Styled):
    mark, tag = "**", "strong"


class Emph(_Styled):
    mark, tag = "*", "em"


@dataclass(frozen=True)
class Link(Part):
    """A link to a page outside the book."""

    text: object
    url: str

    def myst(self) -> str:
        return f"[{myst(self.text)}](<{self.url.replace('>', '%3E')}>)"

    def html(self) -> str:
        return f'<a href="{html.escape(self.url)}">{to_html(self.text)}</a>'

    def plain(self) -> str:
        return f"{plain(self.text)} <{self.url}>"


@dataclass(frozen=True)
class Role(Part):
    """A MyST role the book resolves ({doc}, {ref}, {numref}, {cite:p}, {term}); in HTML its words or target."""

    name: str
    target: str
    text: object = None
    words: str = ""  # what plain Jupyter shows for a role with no text (a citation key shows nothing)

    def myst(self) -> str:
        inner = f"{myst(self.text)} <{self.target}>" if self.text is not None else self.target
        return f"{{{self.name}}}`{inner}`"

    def html(self) -> str:
        return to_html(self.text) if self.text is not None else html.escape(self.words)

    def plain(self) -> str:
        return plain(self.text) if self.text is not None else self.words


def Doc(docname: str, text=None) -> Role:  # noqa: N802 (reads like the role it makes)
    return Role("doc", docname, text, words=docname.rsplit("/", 1)[-1].replace("-", " "))


def Ref(label: str, text=None) -> Role:  # noqa: N802
    return Role("ref", label, text)


def NumRef(label: str, words: str = "") -> Role:  # noqa: N802
    return Role("numref", label, words=words or "the numbered table")


def Cite(key: str) -> Role:  # noqa: N802
    return Role("cite:p", key)


@dataclass
class Table:
    """A numbered table: its name (the address readers cite), caption, header and rows of typed cells."""

    name: str
    caption: object
    header: list
    rows: list[list] = field(default_factory=list)

    def myst(self) -> str:
        lines = [
            f"```{{table}} {myst(self.caption)}",
            f":name: {self.name}",
            ":align: left",
            "",
            "| " + " | ".join(myst(h) for h in self.header) + " |",
            "|" + "---|" * len(self.header),
        ]
        lines += ["| " + " | ".join(myst(c) or " " for c in row) + " |" for row in self.rows]
        lines.append("```")
        return "\n".join(lines)

    def html(self) -> str:
        head = "".join(f"<th>{to_html(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{to_html(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        return (
            f'<table id="{html.escape(self.name)}"><caption>{to_html(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def plain(self) -> str:
        return plain(self.caption) + "\n" + "\n".join(" | ".join(plain(c) for c in row) for row in self.rows)
