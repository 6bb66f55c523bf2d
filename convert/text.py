"""Small text helpers shared by every exporter: plain text of inlines, dates written out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .model import (
    Block,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
)

_LONDON = ZoneInfo("Europe/London")


def plain(inlines: Iterable[Inline]) -> str:
    """The text of some inlines, marks dropped, line breaks as newlines."""
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text):
                out.append(text)
            case Strong(children) | Emphasis(children) | Link(_, children):
                out.append(plain(children))
            case LineBreak():
                out.append("\n")
    return "".join(out)


def blocks_text(blocks: Iterable[Block]) -> str:
    """All the text of some blocks, one block a line (for search and word counts)."""
    lines: list[str] = []
    for block in blocks:
        match block:
            case Heading(_, inlines) | Paragraph(inlines):
                lines.append(plain(inlines))
            case ListBlock(_, items):
                for item in items:
                    lines.append(blocks_text(item))
            case Quote(children, _):
                lines.append(blocks_text(children))
    return "\n".join(lines)


def long_date(value: date | datetime | None) -> str:
    """`Thursday 11 April 2019`, with the time when there is one: `Thursday 11 April 2019, 15:22`."""
    if value is None:
        return ""
    text = f"{value:%A} {value.day} {value:%B %Y}"
    if isinstance(value, datetime):
        text += f", {value:%H:%M}"
    return text


def short_date(value: date | datetime | None) -> str:
    """`11 Apr 2019`: for running headers and contents lists."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def updated_date(published: date | datetime | None, updated: date | datetime | None) -> str:
    """`Updated 28 August 2018` when `updated` is a later day than `published` (or there is no
    `published`); otherwise "" (a same-day edit is not news). Days are UK days."""
    if updated is None:
        return ""
    day = _uk_day(updated)
    if published is not None and day <= _uk_day(published):
        return ""
    return f"Updated {day.day} {day:%B %Y}"


def _uk_day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(_LONDON).date() if value.tzinfo else value.date()
    return value


_ASCII = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2032": "'", "\u2033": '"',
        "\u2013": "-", "\u2014": "--", "\u2015": "--", "\u2212": "-",
        "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
        "\u2022": "*", "\u00ab": "<<", "\u00bb": ">>",
    }
)


def to_ascii(text: str) -> str:
    """Typographic punctuation as plain ASCII, for old mail systems. Letters are kept."""
    return text.translate(_ASCII)
