"""Small pieces of English the book builds from data: lists, measures inside sentences, numbers."""

from __future__ import annotations

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def and_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    words = list(words)
    if not words:
        return "none"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def in_sentence(text: str) -> str:
    """A measure inside a sentence: its first letter lowered unless the first word is an acronym ("IoT", "CISO")."""
    first = text.split(" ", 1)[0]
    if any(ch.isupper() for ch in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def the(country: str) -> str:
    """ "the United Kingdom", "Japan": a country's name as a sentence needs it."""
    return f"the {country}" if country.startswith("United") else country


def distinct_names(pages, name=lambda p: p.outlet, when=lambda p: p.when) -> list[str]:
    """Each page's name, told apart from another of the same name by its date, else by its address's last part."""
    names = [name(p) for p in pages]
    out = []
    for page, text in zip(pages, names, strict=True):
        twins = [p for p, n in zip(pages, names, strict=True) if n == text]
        if len(twins) > 1:
            dates = {when(p) for p in twins}
            last = page.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0][:40]
            text += f" ({when(page)})" if len(dates) == len(twins) else f" ({last})"
        out.append(text)
    return out


def points(x: float) -> str:
    """A number to one decimal, or to two where one would hide which side of zero it lies ("0.04", not "0.0")."""
    if x != 0 and abs(x) < 0.05:
        return f"{x:.2f}"
    return f"{x:.1f}"


def number(x: float) -> str:
    """ "86", "80.1": a published value as the releases print it."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"
