"""The size limit on a seed, shared by the reader and the batch engine.

A module of its own so the engine's parent process can check sizes without importing the
reader (and its Markdown and YAML parsers).
"""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024  # the default for `--max-bytes`
MAX_MARKS = 4  # combining marks kept on one character (Zalgo text piles up hundreds)


def too_large(size: int, limit: int) -> str:
    """The one message for a seed over the limit, whoever notices it."""
    return f"file too large ({size:,} bytes; the limit is {limit:,})"
