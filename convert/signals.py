"""Stopping a run: Ctrl-C (SIGINT) and SIGTERM end it cleanly, with the summary.

While a run is going, both signals raise `Stopped` (a `KeyboardInterrupt`) in the main thread;
the engine then ends its workers, records what came back and returns the summary, and the exit
status is 128 + the signal's number (130, 143). Short sections that must not be cut in half
(recording one result) run inside `deferred()`: a signal arriving there is raised at its end.

Which exceptions are not a seed's own failure is decided here too (`passes`): a real stop, and
the time limit of the cluster workers. Anything else raised while converting a seed, whatever
its class (`MemoryError`, a plugin's `SystemExit` or `KeyboardInterrupt`), is that seed's failure.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOPPING = (signal.SIGINT, signal.SIGTERM)


class Stopped(KeyboardInterrupt):
    """A stop signal arrived: end the run. `signum` gives the exit status (128 + signum)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class SeedTimeout(BaseException):
    """Raised inside a seed's conversion that ran past the time limit (cluster workers).

    A BaseException, so that an exporter's `except Exception` does not take it for its own."""


class _State:
    installed = False
    deferring = 0  # nesting depth of `deferred()`
    pending: int | None = None
    terminated = False  # SIGTERM arrived


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    _state.terminated |= signum == signal.SIGTERM
    if _state.deferring:
        _state.pending = _state.pending or signum
        return
    raise Stopped(signum)


@contextmanager
def handled(resend: bool = False) -> Iterator[None]:
    """Turn SIGINT and SIGTERM into `Stopped` for the duration, then put the old handlers back.

    Only in the main thread (signals are delivered there), and only for a signal the program
    has not taken for itself: an application embedding the library keeps its own handlers.
    `resend`: a SIGTERM taken here is sent again once the block is done (the library's way: the
    run is cleaned up, then the program ends as it would have)."""
    if threading.current_thread() is not threading.main_thread() or _state.installed:
        yield  # not ours to handle, or an outer run already does
        return
    ours = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
    old = {}
    for signum, default in ours.items():
        if signal.getsignal(signum) is default:
            old[signum] = signal.signal(signum, _handler)
    _state.installed, _state.terminated = True, False
    try:
        yield
    finally:
        _state.installed = False
        _state.pending = None
        for signum, handler in old.items():
            signal.signal(signum, handler)
        if resend and _state.terminated and signal.SIGTERM in old:
            signal.raise_signal(signal.SIGTERM)


@contextmanager
def deferred() -> Iterator[None]:
    """A stop signal arriving inside is raised when the block ends, not half-way through it."""
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
    if not _state.deferring and _state.pending is not None:
        signum, _state.pending = _state.pending, None
        raise Stopped(signum)


def user_interrupt(exc: BaseException) -> bool:
    """Is `exc` someone stopping the run (rather than code raising KeyboardInterrupt)?"""
    if isinstance(exc, Stopped):
        return True
    if not isinstance(exc, KeyboardInterrupt) or threading.current_thread() is not threading.main_thread():
        return False  # only the main thread receives signals: elsewhere it was raised by code
    # Python's own Ctrl-C handler is in place (the library run without ours): take it as real.
    return signal.getsignal(signal.SIGINT) is signal.default_int_handler


def passes(exc: BaseException) -> bool:
    """Must `exc` go through a seed's error handling untouched? A stop, or the time limit."""
    return isinstance(exc, SeedTimeout) or user_interrupt(exc)


def exit_status(signum: int) -> int:
    """The shell's convention for a program ended by a signal: 130 for Ctrl-C, 143 for SIGTERM."""
    return 128 + signum
