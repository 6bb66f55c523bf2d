"""The reader's one exception type and its warning category."""

from __future__ import annotations


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
