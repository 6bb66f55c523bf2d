"""Seed file → `Article`. The reader knows nothing of output formats."""

from __future__ import annotations

from pathlib import Path

from ..model import Article

MAX_BYTES = 5 * 1024 * 1024


class SeedError(Exception):
    """A seed that cannot be read. The message names the file and, where known, the line."""

    def __init__(self, reason: str, source: str | None = None, line: int | None = None) -> None:
        self.reason = reason
        self.source = source
        self.line = line
        where = source or "<seed>"
        if line is not None:
            where += f":{line}"
        super().__init__(f"{where}: {reason}")


class SeedWarning(UserWarning):
    """Something odd but survivable about a seed (e.g. decoded as cp1252)."""


def loads(data: str | bytes, source: str | None = None, *, max_bytes: int = MAX_BYTES) -> Article:
    """Parse one seed's text or bytes. Raises `SeedError` for anything it cannot read."""
    raise NotImplementedError  # filled in by the reader


def load(path: str | Path, *, source: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read one seed file. `source` is what `meta.source` records (default: the path as given)."""
    raise NotImplementedError
