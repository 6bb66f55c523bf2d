"""Small text helpers over the model: plain text of inlines and blocks, ASCII punctuation."""

from __future__ import annotations

from collections.abc import Iterable

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


def to_ascii(text: str) -> str:
    """Typographic punctuation as plain ASCII, for old mail systems. Letters are kept."""
    return text.translate(_ASCII)
