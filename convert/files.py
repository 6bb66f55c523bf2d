"""Writing outputs so that a crash never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
