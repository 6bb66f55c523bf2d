"""Finding the seeds to convert: a lazy walk over the paths the user gave.

Each seed is yielded with the path relative to the folder it was found under; that relative
path is the only thing an output name is built from, so no input name can place an output
outside the output folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

SUFFIXES = (".txt", ".md")
MANIFEST = ".convert-manifest.sqlite"  # in every output folder (engine/manifest.py)

Stat = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def stat_of(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


@dataclass(frozen=True, slots=True)
class Source:
    """One seed file: where it is, its path relative to the root the user named, and its stat.

    Plain strings, not `Path`s: a run over 50,000 seeds makes one of these per seed, and the
    engine only slices them."""

    location: str  # as the user would write it (root as given / relative path), for messages
    relative: str  # posix, relative to the root; a file named directly is just its name
    stat: Stat | None = None  # as the walk found it (following a link), for the manifest's stat cache

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def rel(self) -> PurePosixPath:
        return PurePosixPath(self.relative)

    @property
    def display(self) -> str:
        return self.location

    @property
    def key(self) -> int | None:
        """(device, inode) as one int: which file this is, however it is named."""
        return None if self.stat is None else file_key(self.stat[4], self.stat[3])


def file_key(device: int, inode: int) -> int:
    """Which file this is, however it is named, as one int (a set of 150,000 of them takes a
    third of the memory of (device, inode) tuples)."""
    return device << 64 | inode



@dataclass(slots=True)
class WalkStats:
    """What the walk passed over, for the report."""

    symlinks: list[str] = field(default_factory=list)
    output_folders: list[str] = field(default_factory=list)  # another run's outputs, not walked


def walk(
    paths: Iterable[str | Path],
    *,
    follow_links: bool = False,
    exclude: Iterable[str | Path] = (),
    stats: WalkStats | None = None,
) -> Iterator[Source]:
    """Yield the seeds under `paths`, in a stable order (each folder sorted by name).

    A file named directly is taken whatever its suffix. Below a named folder only `*.txt` and
    `*.md` files are taken; hidden files and folders (a leading dot) are skipped; symbolic links
    are skipped unless `follow_links` (and then each real folder is visited once, so link
    loops end). A folder below a named one that holds a convert manifest is another run's output
    folder (`convert txt . -o out`, then `convert pdf .`): its bulletins are not seeds, so it is
    skipped and named in `stats`. Folders and files in `exclude` (the output folder, a bundle)
    are skipped, even when they only appear during the walk (an output folder the run makes as it goes), and a
    folder given that is one of them is not walked at all. The same file named twice is yielded once.
    """
    stats = stats if stats is not None else WalkStats()
    excluded = [Path(p) for p in exclude]
    skip = {_identity(p) for p in excluded if p.exists()}
    # An excluded path that does not exist yet is recognised when met: by name, then identity.
    late: dict[str, list[Path]] = {}
    for p in excluded:
        for name in {p.name, p.resolve().name}:
            late.setdefault(name, []).append(p)
    seen_files: set[tuple[int, int]] = set()
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            if _identity(root) in skip or _met(root, late):
                continue
            yield from _walk_dir(root, follow_links, skip, late, seen_files, stats)
        else:
            st = root.stat()
            ident = (st.st_dev, st.st_ino)
            if ident not in seen_files:
                seen_files.add(ident)
                yield Source(str(root), root.name, stat_of(st))


def _walk_dir(
    root: Path,
    follow_links: bool,
    skip: set[tuple[int, int]],
    late: dict[str, list[Path]],
    seen_files: set[tuple[int, int]],
    stats: WalkStats,
) -> Iterator[Source]:
    visited = {_identity(root)}
    # A stack of (folder on disk, its path relative to root, as "a/b/" or ""); children pushed
    # in reverse so the walk is depth-first in name order.
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue  # an unreadable folder below the root: nothing to convert there
        if rel and any(entry.name == MANIFEST for entry in entries):
            stats.output_folders.append(folder)
            continue
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            link = entry.is_symlink()
            if link and not follow_links:
                stats.symlinks.append(os.path.join(folder, entry.name))
                continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if is_dir:
                ident = _identity(Path(entry.path))
                if ident in visited or ident in skip or (entry.name in late and _met(entry.path, late)):
                    continue
                visited.add(ident)
                subfolders.append((entry.path, f"{rel}{entry.name}/"))
            elif is_file and entry.name.endswith(SUFFIXES):
                try:
                    st = entry.stat()  # the one stat of a seed: cached by the entry, followed for a link
                except OSError:  # gone since the listing
                    continue
                ident = (st.st_dev, st.st_ino)
                if ident in seen_files or ident in skip or (entry.name in late and _met(entry.path, late)):
                    continue
                seen_files.add(ident)
                yield Source(entry.path, f"{rel}{entry.name}", stat_of(st))
        stack.extend(reversed(subfolders))


def _identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino)


def _met(path: str | Path, late: dict[str, list[Path]]) -> bool:
    """True when `path` is, now, one of the excluded paths with its name."""
    candidates = late.get(Path(path).name, ())
    if not candidates:
        return False
    here = _identity(Path(path))
    return any(p.exists() and _identity(p) == here for p in candidates)


def output_stem(rel: PurePosixPath | str) -> str:
    """The output name for a seed, without extension: its path relative to its root, minus the
    suffix (`Lancashire/x.md` → `Lancashire/x`); outputs are `OUT/<stem>.<ext>`.

    `rel` comes from a directory walk, so it has no `..` or absolute parts; we check anyway,
    because nothing may ever be written outside the output folder. String slicing, as
    `PurePosixPath.stem` cuts (a leading dot is no suffix): a fifth of the time, once per seed.
    """
    text = rel if isinstance(rel, str) else rel.as_posix()
    framed = f"/{text}/"  # every part between slashes: an empty, `.` or `..` part shows as below
    if "//" in framed or "/./" in framed or "/../" in framed or "\0" in text:  # (absolute: "//")
        raise ValueError(f"unsafe relative path {text!r}")
    name = text[text.rfind("/") + 1 :]
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        return text[: len(text) - len(name) + dot]
    return text


def output_path(out: Path, rel: PurePosixPath, extension: str) -> Path:
    """Where the output in format `extension` for a seed goes."""
    return out / f"{output_stem(rel)}.{extension}"
