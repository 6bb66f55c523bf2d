"""A paragraph's lines: its inlines split at top-level line breaks, and back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import Inline, LineBreak


def lines(inlines: Sequence[Inline]) -> Iterator[tuple[Inline, ...]]:
    """Split at top-level `LineBreak`s (always yields at least one, possibly empty, line)."""
    line: list[Inline] = []
    for node in inlines:
        if isinstance(node, LineBreak):
            yield tuple(line)
            line = []
        else:
            line.append(node)
    yield tuple(line)


def join_lines(parts: Sequence[Sequence[Inline]]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for part in parts:
        if out:
            out.append(LineBreak())
        out.extend(part)
    return tuple(out)
