"""The size, structure and time limits on a seed, shared by the reader, the batch engine and
the CLI.

A module of its own so the engine's parent process can check sizes without importing the
reader (and its Markdown and YAML parsers), and the CLI its defaults without the engine.

The structure limits are far above anything real: the 531-article sample's largest body has
64,683 characters, 364 blocks, 29 list items, 462 inline elements and lists two levels deep
(the largest real article known has 22,000 words). They are low enough that the biggest seed
within them converts in every format in well under 400 MB (README, "Safety").
"""

from __future__ import annotations

from typing import Protocol

MAX_BYTES = 5 * 1024 * 1024  # the default for `--max-bytes`
TIMEOUT = 120.0  # seconds: a seed taking longer is stuck (the slowest real one: 2.4 s to pdf,docx,txt)

MAX_BODY_CHARS = 1_000_000  # characters of body text (a 1 MB body is ~250 PDF pages)
MAX_BLOCKS = 5_000  # paragraphs, headings, lists, list items, quotes, rules and code in the body
MAX_LIST_ITEMS = 500  # list items in the body, typed `•` bullets included
MAX_INLINES = 10_000  # inline elements: text runs, links, bold and italic runs, line breaks
MAX_MARKS = 4  # combining marks kept on one character (Zalgo text piles up hundreds)


def too_large(size: int, limit: int) -> str:
    """The one message for a seed over the limit, whoever notices it."""
    return f"file too large ({size:,} bytes; the limit is {limit:,})"


def too_many(what: str, limit: int, kinds: str = "") -> str:
    """The message for a body past one of the structure limits above."""
    return f"too many {what} in the body (more than {limit:,}{': ' + kinds if kinds else ''})"


_CHUNK = 1024 * 1024


class Readable(Protocol):
    """A file, or the engine's bare file descriptor: `read(n)` gives at most n bytes."""

    def read(self, n: int, /) -> bytes: ...


def read_at_most(handle: Readable, size: int, limit: int) -> bytes:
    """The whole file, or its first `limit + 1` bytes when it has more than `limit` (it grew
    since `size` was measured, or it is not a regular file): enough for the reader to refuse it.

    Asks for no more than `size + 1` bytes at once, then a chunk at a time: `read(limit + 1)`
    allocates all of it up front, so `--max-bytes 1T` failed every seed with a MemoryError."""
    want = min(size, limit) + 1
    data = handle.read(want)
    if len(data) < want:  # the end of the file came first: this is all of it
        return data
    parts, got = [data], len(data)
    while got <= limit and (more := handle.read(min(limit + 1 - got, _CHUNK))):
        parts.append(more)
        got += len(more)
    return b"".join(parts)
