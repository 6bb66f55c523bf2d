"""The size and time limits on a seed, shared by the reader, the batch engine and the CLI.

A module of its own so the engine's parent process can check sizes without importing the
reader (and its Markdown and YAML parsers), and the CLI its defaults without the engine.
"""

from __future__ import annotations

from typing import BinaryIO

MAX_BYTES = 5 * 1024 * 1024  # the default for `--max-bytes`
TIMEOUT = 120.0  # seconds: a seed taking longer is stuck (the slowest real one: 2.4 s to pdf,docx,txt)


def too_large(size: int, limit: int) -> str:
    """The one message for a seed over the limit, whoever notices it."""
    return f"file too large ({size:,} bytes; the limit is {limit:,})"


_CHUNK = 1024 * 1024


def read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
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
