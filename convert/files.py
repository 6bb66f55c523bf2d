"""Writing outputs so that a crash never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

# mkstemp makes files only the owner can read; outputs should get the usual mode (0644 with a
# 022 umask), like any file the user's tools write. Read the umask once: setting it is global.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    A reader of `path` sees either the old file or the whole new one, never a part; if this
    process is killed, only a hidden `.*.tmp` file can be left, never a truncated output.
    No fsync: it doubles the cost of small outputs, and a killed process loses nothing the
    kernel already holds; only a power cut could, and a rerun rebuilds what is missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
