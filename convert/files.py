"""Writing outputs so that a crash never leaves a half-written file."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
_names = itertools.count()
_folders: dict[str, int] = {}  # folders this process already made → their NAME_MAX: one mkdir each

# A temporary file is `.NAME.~convert-XXXXXXXX.tmp`: the marker is what lets the engine's
# clean-up (`outputs.clean_temp`) tell our leftovers from a user's own `.notes.20240101.tmp`.
TEMP_MARKER = ".~convert-"
TEMP_SUFFIX = ".tmp"
_TEMP_EXTRA = 1 + len(TEMP_MARKER) + 8 + len(TEMP_SUFFIX)  # bytes a temporary name adds to NAME
NAME_MAX = 255  # when the file system will not say


def name_max(folder: str | Path) -> int:
    """The longest file name, in bytes, the file system holding `folder` allows."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX
    return limit if limit > 0 else NAME_MAX  # -1: no limit given


def temp_name(name: str, tag: str, limit: int = NAME_MAX) -> str:
    """The temporary name for an output called `name`, within `limit` bytes: a long name is
    cut (at a character boundary) so that any output name the file system allows can be written."""
    room = limit - _TEMP_EXTRA
    if len(name) * 4 > room:  # may be too long in bytes (UTF-8 is at most 4 a character)
        name = os.fsencode(name)[: max(room, 0)].decode("utf-8", "ignore")
    return f".{name}{TEMP_MARKER}{tag}{TEMP_SUFFIX}"


SEED_START = b"```yaml"


def holds_seed(path: str | Path) -> bool:
    """True when `path` is an existing file that starts like a seed (its ```yaml fence).

    An output is never written over one: `convert txt dir/a.md -o dir` must not replace a
    `dir/a.txt` that is another seed, not an input of this run (the engine's guard only knows
    this run's inputs). A bulletin, page or document never starts with the fence."""
    try:
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError:  # missing, a folder, unreadable: nothing a seed could be lost from
        return False
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(SEED_START)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    A reader of `path` sees either the old file or the whole new one, never a part; if this
    process is killed, only a hidden `.NAME.~convert-XXXXXXXX.tmp` file can be left (the batch
    engine removes those), never a truncated output. No fsync: it doubles the cost of small outputs,
    and a killed process loses nothing the kernel already holds; only a power cut could, and a
    rerun rebuilds what is missing. The file gets the usual mode (0666 less the umask).
    """
    fd, tmp, target = _temporary(path)
    with _renamed(tmp, target):
        try:  # os.write, not a file object: no fstat, ioctl or lseek for each output
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)


@contextlib.contextmanager
def writing(path: str | Path) -> Iterator[BinaryIO]:
    """A file to write `path` through, as `write_atomic` does, for output made piece by piece:
    renamed into place when the block ends, removed if it raises."""
    fd, tmp, target = _temporary(path)
    with _renamed(tmp, target), os.fdopen(fd, "wb") as f:
        yield f


@contextlib.contextmanager
def _renamed(tmp: str, target: str) -> Iterator[None]:
    """The temporary file `tmp`, once written (and closed) in the block, renamed to `target`;
    removed if the block raises, whatever it raises (a stop included)."""
    try:
        yield
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _temporary(path: str | Path) -> tuple[int, str, str]:
    """A new temporary file beside `path`, open for writing: (descriptor, its name, `path`)."""
    target = os.fspath(path)
    folder, name = os.path.split(target)
    folder = folder or "."
    limit = _folders.get(folder)
    if limit is None:
        os.makedirs(folder, exist_ok=True)
        limit = _folders[folder] = name_max(folder)
    # Not tempfile.mkstemp: its random names and checks cost 8x this (200 µs a file, which
    # is a sixth of a bulletin). O_EXCL still guarantees the name is ours alone.
    for attempt in itertools.count():
        tag = f"{_pid() & 0xFFFFF:05x}{next(_names) & 0xFFF:03x}"
        tmp = f"{folder}/{temp_name(name, tag, limit)}"
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp, target
        except FileExistsError:  # left by a killed process that had our pid: take another
            if attempt > 4096:
                raise
        except FileNotFoundError:  # the folder went away since we made it
            if attempt:
                raise
            os.makedirs(folder, exist_ok=True)
    raise AssertionError("unreachable")


_pids: list[int] = []  # this process's id, asked once (a forked worker forgets its parent's)
os.register_at_fork(after_in_child=_pids.clear)


def _pid() -> int:
    if not _pids:
        _pids.append(os.getpid())
    return _pids[0]
