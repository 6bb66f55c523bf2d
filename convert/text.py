"""Small text helpers over the model: plain text of inlines and blocks, ASCII punctuation."""

from __future__ import annotations

import re
from collections.abc import Iterable

from anyascii import anyascii

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


def plain(inlines: Iterable[Inline]) -> str:
    """The text of some inlines, marks dropped, line breaks as newlines."""
    if type(inlines) is tuple and len(inlines) == 1 and type(inlines[0]) is Text:
        return inlines[0].text  # one run of text (most paragraphs): nothing to join
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


# Money reads as words of its own: `£5` → `GBP 5` (anyascii would give `GBP5`). `¬` only
# ever comes from mis-decoded text; anyascii's `!` would add a meaning it does not have.
_MONEY = re.compile("([£€])(?=[0-9])")
_CURRENCY = {"£": "GBP ", "€": "EUR "}


def to_ascii(text: str) -> str:
    """Text as 7-bit ASCII, for old mail systems: typographic punctuation by the table above,
    everything else transliterated by anyascii (`café` → `cafe`, `Łódź` → `Lodz`, `½` → `1/2`)."""
    if text.isascii():
        return text
    text = _MONEY.sub(lambda m: _CURRENCY[m[1]], text.translate(_ASCII)).replace("¬", "")
    return text if text.isascii() else anyascii(text)
