"""The document model as wrapped plain text: one method per node type.

Used by the bulletin exporter (`exporter.py`); it knows nothing of templates. Every line it
returns fits the width, except a line holding one token too long to fit anywhere (a URL).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...model import (
    Block,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
)
from ..shared.links import safe_url
from ..shared.render import Levels, Renderer, is_tight
from ..shared.view import attribution
from .wrapping import GLUE, glued_text, wrap

# How far the text of a nested block may be pushed right: past this, nesting no longer
# indents further, so a pathological 50-deep list still leaves room for words.
MAX_INDENT_FRACTION = 0.5


def _comparable(text: str) -> str:
    """A URL or link text reduced to what a reader would consider 'the same address'."""
    text = text.strip().lower()
    text = re.sub(r"^(?:https?://|mailto:|tel:|ftp://)", "", text)
    text = re.sub(r"^www\.", "", text)
    return re.sub(r"[\s/]+$", "", re.sub(r"\s+", "", text))


@dataclass(slots=True)
class References:
    """Numbered link targets of one article, in order of first use; a repeated URL keeps its number."""

    urls: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)  # (a list search per link was quadratic)

    def number(self, url: str) -> int:
        if url not in self.numbers:
            self.urls.append(url)
            self.numbers[url] = len(self.urls)
        return self.numbers[url]


class TextRenderer(Renderer):
    """Blocks and inlines → lines of plain text at a given width."""

    levels = Levels(1, 2)  # two kinds of heading: underlined with '=' (level 1), or '-'

    def __init__(self, width: int, ascii: bool = False, base_url: str | None = None) -> None:
        self.width = width
        self.ascii = ascii
        self.base_url = base_url
        self.references = References()
        self.bullets = ("*", "-") if ascii else ("•", "–")
        self.dash = "--" if ascii else "—"
        self.max_indent = int(width * MAX_INDENT_FRACTION)
        self._depth = 0  # list nesting, for the bullet shape

    # --- text ---------------------------------------------------------------------------

    def seed_text(self, value: str) -> str:
        """Seed text ready for wrapping (and for ASCII-only output, converted first, so the
        wrapped width is the printed width)."""
        return glued_text(value, self.ascii)

    def _indent(self, prefix: str) -> str:
        """Indent capped so deep nesting never eats the line. A prefix holding the markers of
        items that open with a list (`1.   a.   `) loses spaces, never a marker."""
        if len(prefix) <= self.max_indent:
            return prefix
        if not prefix.strip():
            return prefix[: self.max_indent]
        return " ".join(prefix.split()) + " "

    # --- blocks -------------------------------------------------------------------------

    def blocks(
        self, nodes: Sequence[Block], first: str = "", rest: str | None = None, tight: bool = False
    ) -> list[str]:
        """Blocks separated by blank lines; the first line of all gets `first` as its prefix.
        `tight` (inside a tight list item): a nested list follows its paragraph directly."""
        rest = first if rest is None else rest
        lines: list[str] = []
        for i, node in enumerate(nodes):
            if i and not (tight and isinstance(node, ListBlock)):
                lines.append("")
            lines.extend(self.render(node, first if i == 0 else rest, rest))
        return lines

    def heading(self, node: Heading, first: str, rest: str) -> list[str]:
        lines = self.wrapped(self.inlines(node.inlines), first, rest)
        if not lines:
            return []
        char = "=" if self.levels(node.level) == 1 else "-"
        return [*lines, rest + char * underline_length(lines, rest, self.width)]

    def paragraph(self, node: Paragraph, first: str, rest: str) -> list[str]:
        return self.wrapped(self.inlines(node.inlines), first, rest)

    def list_block(self, node: ListBlock, first: str, rest: str) -> list[str]:
        if node.ordered:
            last = node.start + len(node.items) - 1
            size = max(len(str(node.start)), len(str(last)))
            markers = [f"{node.start + i:>{size}}. " for i in range(len(node.items))]
        else:
            bullet = self.bullets[self._depth % len(self.bullets)]
            markers = [f"{bullet} "] * len(node.items)
        # Items follow each other directly unless one holds several paragraphs (a loose list).
        tight = is_tight(node)
        lines: list[str] = []
        self._depth += 1
        indent = self._indent(rest + "  ")  # every line of every item but a first one
        try:
            for i, (item, marker) in enumerate(zip(node.items, markers, strict=True)):
                lead = self._indent(first + "  ") if i == 0 else indent
                if len(lead) > self.max_indent:
                    # the outer items' markers alone fill the room: they get a line of their own
                    lines.append(lead.rstrip())
                    lead = indent
                item_first = lead + marker
                item_rest = indent + " " * len(marker)
                rendered = self.blocks(item, item_first, item_rest, tight) if item else [item_first.rstrip()]
                if i and not tight:
                    lines.append("")
                lines.extend(rendered)
        finally:
            self._depth -= 1
        return lines

    def quote(self, node: Quote, first: str, rest: str) -> list[str]:
        # Set off by indentation, not '>': mail programs fold '>' lines away as an old reply.
        # A quote opening a list item is already set off by the item's own indent.
        if first.strip():
            inner = rest
            lines = self.blocks(node.blocks, first, rest)
        else:
            inner = self._indent(rest + "    ")
            lines = self.blocks(node.blocks, inner, inner)
        speaker = self.seed_text(attribution(node) or "")
        if speaker:
            lead = self._indent(inner + "  ")
            hang = self._indent(lead + " " * (len(self.dash) + 1))  # continuation under the name
            lines.extend(self.wrapped(f"{self.dash} {speaker}", lead, hang))
        return lines

    def rule(self, node: Rule, first: str, rest: str) -> list[str]:
        room = self.width - len(rest)
        mark = "*   *   *" if room >= 9 else "***"
        return [rest + mark.center(room).rstrip()]

    def wrapped(self, text: str, first: str, rest: str) -> list[str]:
        """A run of text (with '\\n' for hard line breaks) wrapped under these prefixes."""
        lines: list[str] = []
        for i, segment in enumerate(text.split("\n")):
            prefix = first if i == 0 else rest
            segment_lines = wrap(segment, self.width, prefix, rest)  # (wrap makes runs of spaces one)
            lines.extend(segment_lines or ([] if i else [first.rstrip()] if first.strip() else []))
        return lines

    # --- inlines ------------------------------------------------------------------------

    # Bold and italic print as plain words: a bulletin is pasted into e-mail and messages, where
    # `*marks*` and `_marks_` show as themselves (and scraped pages mark places and dates at random).

    def inlines(self, nodes: Sequence[Inline]) -> str:
        return "".join(self.render(node) for node in nodes)

    def text(self, node: Text) -> str:
        return self.seed_text(node.text)

    def linebreak(self, node: LineBreak) -> str:
        return "\n"

    def strong(self, node: Strong) -> str:
        return self.inlines(node.inlines)

    def emphasis(self, node: Emphasis) -> str:
        return self.inlines(node.inlines)

    def link(self, node: Link) -> str:
        label = self.inlines(node.inlines)
        url = safe_url(node.url, self.base_url)
        if url is None:
            return label
        if not label.strip():
            return url
        if _comparable(label.replace(GLUE, "")) == _comparable(url):
            return label  # the text is the address: a reference would only repeat it
        n = self.references.number(url)
        return f"{label.rstrip(' ')}{GLUE}[{n}]{' ' if label.endswith(' ') else ''}"


def underline_length(lines: Sequence[str], prefix: str, width: int) -> int:
    """As long as the longest heading line, but never past the width."""
    longest = max(len(line) - len(prefix) for line in lines)
    return max(1, min(longest, width - len(prefix)))
