"""Where templates, CSS and the Word reference document come from.

A `Styles` is a folder laid out like the shipped `styles/`; any file it lacks falls back to
the shipped default. Exporters ask for files by name and never build paths themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@cache  # the installation does not move while it runs; resolving it costs a syscall per folder
def default_dir() -> Path:
    """The shipped styles: inside the installed package, or the checkout's top-level folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_styles", here.parent / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the default styles folder is missing from this installation")


@dataclass(frozen=True, slots=True)
class Styles:
    """A styles folder with fallback to the defaults. `Styles()` is just the defaults."""

    folder: Path | None = None

    def path(self, name: str) -> Path:
        """The file `name` from the user's folder if it has it, else the default one."""
        if self.folder is not None:
            mine = self.folder / name
            if mine.is_file():
                return mine
        default = default_dir() / name
        if not default.is_file():
            raise FileNotFoundError(f"no style file named {name!r}")
        return default

    def roots(self) -> tuple[Path, ...]:
        """The folders a style file may come from, user's first (for template loaders)."""
        folders = [default_dir()]
        if self.folder is not None:
            folders.insert(0, self.folder.resolve())
        return tuple(folders)

    def digest(self, names: tuple[str, ...], file_hash: Callable[[Path], str] | None = None) -> str:
        """A hash of the content of the named style files as resolved: for the rebuild manifest.
        `file_hash(path)` is each file's sha256 (the engine passes its stat cache); by default
        the files are read afresh (files change between runs, and under a long-lived worker)."""
        files = tuple((n, self.path(n)) for n in names)
        if file_hash is None:
            file_hash = _file_hash
        return _combined((name, file_hash(path)) for name, path in files)

    def signature(self, names: tuple[str, ...]) -> str:
        """Which files these are and when they last changed (path, size, mtime): a cheap key for
        a warm exporter in a long-lived process, never for the manifest (that is `digest`)."""
        parts = []
        for name in names:
            path = self.path(name)
            stat = path.stat()
            parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
        return "\0".join(parts)


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _combined(hashes: Iterable[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for name, digest in hashes:
        h.update(f"{name}\0{digest}\0".encode())
    return h.hexdigest()[:16]
