"""Scrape artefacts in a body's blocks, after either parser: lines typed as `• item` or
`\\- item` become lists, and headings that are quoted speech become quotes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..limits import MAX_LIST_ITEMS, too_many
from ..model import Block, Heading, Inline, ListBlock, Paragraph, Quote, Text
from ..text import plain
from . import speakers
from .inlines import ITEMS, TooBig
from .lines import join_lines, lines

_BULLET = re.compile(r"^[ \t]*(?:•[ \t]*|-[ \t]+)(?=\S)")
_SPEECH_START = tuple("“\"‘'")


# --- typed bullets and speech headings ------------------------------------------------


def _strip_bullet(line: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
    """The line without its `•` / `-` marker, or None if it does not start with one."""
    if not line or not isinstance(line[0], Text):
        return None
    match = _BULLET.match(line[0].text)
    if match is None:
        return None
    rest = line[0].text[match.end() :]
    return ((Text(rest),) if rest else ()) + line[1:]


def bullet_paragraphs(blocks: list[Block], items: int = 0) -> list[Block]:
    """Lines typed as `• item` or `\\- item` become list items (adjacent ones one list).
    `items`: list items the body has already, for the limit."""
    out: list[Block] = []
    typed: list[tuple[Block, ...]] | None = None  # the items of the list `out` ends with

    def close_list() -> None:
        nonlocal typed
        if typed is not None:
            out.append(ListBlock(False, tuple(typed)))
            typed = None

    for block in blocks:
        if not isinstance(block, Paragraph):
            close_list()
            out.append(block)
            continue
        pending: list[tuple[Inline, ...]] = []
        for line in lines(block.inlines):
            item = _strip_bullet(line)
            if item is None:
                pending.append(line)
                continue
            if pending:
                close_list()
                out.append(Paragraph(join_lines(pending)))
                pending = []
            items += 1
            if items > MAX_LIST_ITEMS:
                raise TooBig(too_many(*ITEMS))
            if typed is None:
                typed = []
            typed.append((Paragraph(item),))
        if pending:
            close_list()
            out.append(Paragraph(join_lines(pending)))
    close_list()
    return out


def speech_headings(blocks: list[Block]) -> Iterator[Block]:
    """Headings that hold quoted speech are a quote; consecutive ones are one quote."""
    speech: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and _is_speech(block):
            speech.append(Paragraph(block.inlines))
            continue
        if speech:
            yield Quote(tuple(speech))
            speech = []
        yield block
    if speech:
        yield Quote(tuple(speech))


def _is_speech(heading: Heading) -> bool:
    text = plain(heading.inlines).lstrip()
    return text.startswith(_SPEECH_START) or speakers.introduces_speech(text)
