"""Markdown syntax for seed text: escaping, emphasis marks checked against CommonMark's
flanking rules, link destinations, and reading Markdown back as plain text.

The md exporter builds on these; they are kept apart so each module stays one job.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt

from ..shared.text import clean

_SPECIAL = re.compile(r"([\\`*_\[\]<>~^$|{}])")
_ALL_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_CITATION = re.compile(r"(?<![\w\\])@")  # pandoc would read `@name` as a citation
_LINE_START = re.compile(r"^(?:[-+=#]|\d{1,9}(?=[.)]))")
AUTOLINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\\%]*$")
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$&'+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)

_parser = MarkdownIt("commonmark")


def escape(text: str, everything: bool = False) -> str:
    """Seed text as Markdown that reads back as the same text."""
    text = clean(text, "flat")
    if everything:
        return _ALL_PUNCT.sub(r"\\\1", text)
    text = _SPECIAL.sub(r"\\\1", text)
    text = ENTITY.sub(r"\\&", text)
    return _CITATION.sub(r"\\@", text)


def escape_line_start(line: str) -> str:
    """Keep a line of text from starting a list item, heading or setext underline."""
    line = line.lstrip(" ")
    match = _LINE_START.match(line)
    if not match:
        return line
    if match.group()[0].isdigit():  # "2019. Police said": escape the dot, not the digits
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def parsed_text(markdown: str) -> str:
    """The plain text markdown-it-py reads from some Markdown, whitespace collapsed."""
    out: list[str] = []

    def walk(tokens: Sequence[Any]) -> None:
        for token in tokens:
            if token.children:
                walk(token.children)
            elif token.type in ("text", "code_inline", "html_inline", "html_block", "code_block", "fence"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append(" ")
            if token.type in ("paragraph_close", "heading_close"):
                out.append(" ")

    walk(_parser.parse(markdown))
    return " ".join("".join(out).split())


# Emphasis is first written with placeholder characters (private-use code points, which
# `clean` removes from seed text), so each pair can be checked against CommonMark's
# flanking rules once its neighbours are known, and dropped alone if it could not work.
STRONG, EMPHASIS = "\ue000\ue001", "\ue002\ue003"  # (opening, closing)
_MARKS = {"\ue000": "**", "\ue001": "**", "\ue002": "*", "\ue003": "*"}
_OPENERS, _CLOSERS = "\ue000\ue002", "\ue001\ue003"


def marked(inner: str, mark: str) -> str:
    """Marked-up `inner`, with spaces the scraper left inside the marks moved outside them
    (CommonMark will not open emphasis before a space); empty runs and runs over a line
    break get no marks."""
    core = inner.strip(" ")
    if not mark or not core or "\n" in core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{mark[0]}{core}{mark[1]}{trail}"


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The characters either side of the run of marks that position `i` is part of."""
    start, end = i, i + 1
    while start > 0 and text[start - 1] in _MARKS:
        start -= 1
    while end < len(text) and text[end] in _MARKS:
        end += 1
    return (text[start - 1] if start else " "), (text[end] if end < len(text) else " ")


def _can_open(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return not after.isspace() and (not _punct(after) or before.isspace() or _punct(before))


def _can_close(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return not before.isspace() and (not _punct(before) or after.isspace() or _punct(after))


def resolve_marks(text: str) -> str:
    """Placeholders → `**` / `*`, dropping each pair CommonMark could not open or close."""
    while True:
        stack: list[int] = []
        bad: set[int] = set()
        for i, ch in enumerate(text):
            if ch in _OPENERS:
                stack.append(i)
            elif ch in _CLOSERS and stack:
                j = stack.pop()
                if not (_can_open(text, j) and _can_close(text, i)):
                    bad.update((i, j))
        if not bad:
            return "".join(_MARKS.get(ch, ch) for ch in text)
        text = "".join(ch for i, ch in enumerate(text) if i not in bad)


def destination(url: str) -> str:
    """A link destination: no spaces, parentheses and backslashes escaped."""
    url = re.sub(r"\s", lambda m: "%20" if m.group() == " " else "", url)
    return re.sub(r"([\\()<>])", r"\\\1", url)
