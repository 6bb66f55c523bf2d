"""What a run reports: the counts at the end, and the events on the way (the CLI draws them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from signal import SIGINT, SIGTERM

from ..select import Selection


@dataclass(slots=True)
class Summary:
    """Counts are of seeds: a seed is converted when all its outputs were written."""

    converted: int = 0
    up_to_date: int = 0
    failed: int = 0
    excluded: int = 0
    undated: int = 0
    outputs: int = 0  # files written
    elapsed: float = 0.0
    interrupted: bool = False  # stopped early: Ctrl-C, or the signal below
    signal: int = 0  # the signal that stopped it (SIGINT 2, SIGTERM 15); 0: none or unknown
    failures: dict[str, str] = field(default_factory=dict)  # file → its first error line
    skipped_links: list[str] = field(default_factory=list)
    skipped_outputs: list[str] = field(default_factory=list)  # other runs' output folders, not read
    selection: Selection = field(default_factory=Selection)
    found: int | None = None  # seeds the walk found (None: not walked)
    problems: list[str] = field(default_factory=list)  # the run's own errors, one line each: exit 1
    areas: set[str] = field(default_factory=set)  # every area seen (read, or cached), for --area hints

    def line(self) -> str:
        parts = [f"converted {self.converted}", f"up to date {self.up_to_date}", f"failed {self.failed}"]
        if self.selection.active:
            parts.append(f"excluded {self.excluded}")
        if self.selection.by_date:
            parts.append(f"undated excluded {self.undated}")
        text = ", ".join(parts) + f", in {self.elapsed:.1f}s"
        if not self.interrupted:
            return text
        return text + (" (terminated)" if self.signal == SIGTERM else " (interrupted)")

    @property
    def exit_code(self) -> int:
        """0 all converted, 1 something failed, 128 + the signal when stopped (130 for Ctrl-C)."""
        if self.interrupted:
            return 128 + (self.signal or SIGINT)
        return 1 if self.failed or self.problems else 0


class Reporter:
    """What the engine tells its user as it goes. This one says nothing; the CLI's draws."""

    wants_total = False  # ask for a counting walk first, for a progress bar with an ETA

    def total(self, n: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def warning(self, line: str) -> None: ...

    def note(self, line: str) -> None: ...  # only with -v

    def error(self, line: str, trace: str | None) -> None: ...

    def wrote(self, path: str | Path) -> None: ...
