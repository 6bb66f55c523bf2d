"""Writing outputs so that a crash never leaves a half-written file."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
_names = itertools.count()
_folders: set[str] = set()  # folders this process already made: one mkdir each, not one per file


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    A reader of `path` sees either the old file or the whole new one, never a part; if this
    process is killed, only a hidden `.NAME.XXXXXXXX.tmp` file can be left (the batch engine
    removes those), never a truncated output. No fsync: it doubles the cost of small outputs,
    and a killed process loses nothing the kernel already holds; only a power cut could, and a
    rerun rebuilds what is missing. The file gets the usual mode (0666 less the umask).
    """
    path = Path(path)
    folder = str(path.parent)
    if folder not in _folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        _folders.add(folder)
    # Not tempfile.mkstemp: its random names and checks cost 8x this (200 µs a file, which
    # is a sixth of a bulletin). O_EXCL still guarantees the name is ours alone.
    for attempt in itertools.count():
        tmp = f"{folder}/.{path.name}.{os.getpid() & 0xFFFFF:05x}{next(_names) & 0xFFF:03x}.tmp"
        try:
            fd = os.open(tmp, _FLAGS, 0o666)
            break
        except FileExistsError:  # left by a killed process that had our pid: take another
            if attempt > 4096:
                raise
        except FileNotFoundError:  # the folder went away since we made it
            if attempt:
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
