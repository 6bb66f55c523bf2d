"""What a run tells the person at the terminal: a progress bar, or plain lines for logs.

Both reporters write to stderr only (stdout stays free for pipes). Error lines are printed as
they happen, whole and on one line; seed text is never interpreted as markup.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, TextIO

from ..engine.report import Reporter, Summary


class PlainReporter(Reporter):
    """For logs and pipes: one line per error as it happens (and warning unless quiet), no bar;
    the summary line last."""

    recap = False  # list the failed files again at the end (a bar has hidden nothing here)

    def __init__(self, *, quiet: bool = False, verbose: bool = False, debug: bool = False,
                 stream: TextIO | None = None) -> None:
        self.quiet, self.verbose, self.debug = quiet, verbose, debug
        self.stream = stream

    def _print(self, line: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    def warning(self, line: str) -> None:
        if not self.quiet:
            self._print(_one_line(line))

    def note(self, line: str) -> None:
        if self.verbose and not self.quiet:
            self._print(_one_line(line))

    def error(self, line: str, trace: str | None) -> None:
        self._print(_one_line(line))
        if self.debug and trace:
            self._print(trace.rstrip())

    def wrote(self, path: str | Path) -> None:
        if self.verbose:
            self._print(_one_line(f"wrote {path}"))  # a file name may hold control characters

    def __enter__(self) -> PlainReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        """The end of a run: skipped links, the summary line, and on a terminal the failed files."""
        if self.quiet:
            return
        if summary.skipped_links:
            n = len(summary.skipped_links)
            if self.verbose:
                for link in summary.skipped_links:
                    self._print(_one_line(f"skipped symbolic link {link}"))
            self._print(f"note: skipped {n} symbolic link{'s' * (n != 1)} (use --follow-links to follow)")
        for folder in summary.skipped_outputs:
            self._print(_one_line(f"note: skipped {folder}: it holds another run's outputs"))
        if summary.found == 0:
            return  # not "converted 0": the error line said there was nothing to convert
        self._print(summary.line())
        if summary.failures and self.recap:
            self._print(f"failed files ({len(summary.failures)}):")
            for line in summary.failures.values():
                self._print(f"  {_one_line(line)}")


class BarReporter(PlainReporter):
    """On a terminal: a rich progress bar with counts, rate and ETA; lines print above it, and
    the failed files are listed again under the summary (they may have scrolled away)."""

    wants_total = True
    recap = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        # No refresh thread: the parent may fork pool workers, and forking with threads
        # running is unsafe; we refresh from the main thread as results arrive.
        self.progress = Progress(
            TextColumn("converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self.console,
            auto_refresh=False,
            transient=True,
        )
        self.task = self.progress.add_task("convert", total=None, rate="")
        self._last = 0.0

    def _print(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False, soft_wrap=True, emoji=False)

    def total(self, n: int) -> None:
        self.progress.update(self.task, total=n)
        self._refresh(force=True)

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)
        self._refresh()

    def _refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last > 0.1:
            self._last = now
            speed = self.progress.tasks[0].speed
            self.progress.update(self.task, rate=f"{speed:,.0f}/s" if speed else "")
            self.progress.refresh()

    def __enter__(self) -> BarReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


# C0, DEL and C1 (U+009B is a one-character CSI on some terminals); tabs are harmless
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if c != 0x09}


def _one_line(text: str) -> str:
    # A reason may quote seed text or a hostile file name: still one line, and no terminal
    # control sequences reach the screen.
    if "\n" in text or "\r" in text:
        text = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return text.translate(_CONTROLS)


def reporter(*, quiet: bool, verbose: bool, debug: bool) -> PlainReporter:
    """A bar on a terminal (unless quiet), plain lines otherwise."""
    if not quiet and sys.stderr.isatty():
        return BarReporter(quiet=quiet, verbose=verbose, debug=debug)
    return PlainReporter(quiet=quiet, verbose=verbose, debug=debug)
