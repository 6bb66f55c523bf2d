"""Refusing a run whose outputs would replace its inputs, before anything is written.

The engine walks every input once up front (paths and a stat each, no reading) and plans every
output path; any output (a bundle and the manifest included) that is an input file, or the same
file as one (a hard link, a symbolic link, a symlinked output folder), makes the whole run a
usage error. Files are compared by (device, inode), which covers every way of naming one file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .discover import SUFFIXES, Source, file_key


class PathError(ValueError):
    """A run whose paths make no sense: an output would replace an input or read back its own
    outputs, or an input does not exist. Nothing has been written. The CLI exits 2."""


@dataclass(frozen=True, slots=True)
class Found:
    """What the walk up front found: the seeds under each path given, and in all (each file once).

    The run plans from `sources` rather than walking again (each seed is stat'ed once, by the
    walk), and knows from `existing` which planned outputs are files already."""

    per_path: dict[Path, int]
    total: int
    sources: list[Source] = field(default_factory=list)  # every seed once, in walk order
    existing: dict[str, set[str]] = field(default_factory=dict)  # output folder → planned names there


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # missing (not written yet), unreadable, a NUL in the name
        return None
    return (st.st_dev, st.st_ino)


def _key(path: str | Path) -> int | None:
    """`_identity` as one int (`file_key`)."""
    ident = _identity(path)
    return None if ident is None else file_key(*ident)


def inside(path: Path, folder: Path) -> bool:
    """True when `path` is `folder` or below it, however either is named (symbolic links,
    `.`, the same folder mounted twice)."""
    real, top = path.resolve(), folder.resolve()
    if real == top or top in real.parents:
        return True
    ident = _identity(folder)
    return ident is not None and any(_identity(p) == ident for p in (real, *real.parents))


def same_place(a: Path, b: Path) -> bool:
    """True when `a` and `b` name the same file, whether or not it exists yet."""
    if a.resolve() == b.resolve():
        return True
    ident = _identity(a)
    return ident is not None and ident == _identity(b)


def check_roots(paths: Iterable[Path], out: Path) -> None:
    """An input folder that is the output folder, or inside it, would have its seeds replaced
    by outputs or read outputs back as seeds."""
    for root in paths:
        if root.is_dir() and inside(root, out):
            where = "is" if root.resolve() == out.resolve() else "is inside"
            raise PathError(f"the input folder {root} {where} the output folder {out}: outputs could "
                            "replace its seeds and be read back as seeds; choose another output folder")


def check_bundles(bundles: Iterable[Path], paths: Iterable[Path]) -> None:
    """A bundle where the walk of an input folder would find it is read back as a seed next
    time (or replaces one now)."""
    folders = [p for p in paths if p.is_dir()]
    for bundle in bundles:
        if not bundle.name.endswith(SUFFIXES):
            continue
        real = bundle.resolve()
        for folder in folders:
            top = folder.resolve()
            if top in real.parents and not any(p.startswith(".") for p in real.relative_to(top).parts):
                raise PathError(f"the bundle {bundle} is inside the input folder {folder}, where it "
                                "would be read as a seed; put it elsewhere")


Planned = Callable[[Source], tuple[str, list[str]]]  # a seed → its output folder, output names


def check_inputs(
    paths: Sequence[Path],
    walk_one: Callable[[Path], Iterator[Source]],
    planned: Planned,
    extra: Iterable[tuple[str, Path]] = (),
) -> Found:
    """Walk every input (`walk_one(path)` for each path given) and raise PathError if any output
    (`planned(source)` for each seed, and the `extra` ones, each with what it is: "the bundle")
    is the same file as any input. Only existing outputs can be: a file not written yet is no
    input. One listing per output folder tells which exist (on a first run, none), and the
    listing's inode numbers which files they are, rather than a stat per output."""
    inputs: set[int] = set()
    outputs: set[int] = set()
    per_path: dict[Path, int] = {}
    sources: list[Source] = []
    existing: dict[str, set[str]] = {}
    listings: dict[str, _Listing] = {}
    extra = tuple(extra)
    for root in paths:
        if not os.path.exists(root):
            raise PathError(f"{root}: no such file or folder")
        n = 0
        for source in walk_one(root):
            n += 1
            key = source.key if source.stat is not None else _key(source.location)
            if key is None or key not in inputs:  # a file under two paths given is one seed
                sources.append(source)
            if key is not None:
                inputs.add(key)
            folder, names = planned(source)
            if not names:
                continue
            listing = listings.get(folder)
            if listing is None:
                listing = listings[folder] = _Listing(folder)
                existing[folder] = set()
            for name in names:
                key = listing.key(name)
                if key is not None:
                    outputs.add(key)
                    existing[folder].add(name)
        per_path[root] = n
    outputs.update(k for k in (_key(path) for _, path in extra) if k is not None)
    clash = inputs & outputs
    if clash:
        raise PathError(_name_clash(clash, paths, walk_one, planned, extra))
    return Found(per_path, len(inputs), sources, existing)


class _Listing:
    """One output folder, listed once: which names in it are files, and which files they are."""

    def __init__(self, folder: str) -> None:
        self.folder = folder or "/"
        try:
            with os.scandir(self.folder) as it:
                self.entries = {e.name: e for e in it}
            self.device = os.stat(self.folder).st_dev if self.entries else 0
        except (OSError, ValueError):
            self.entries = {}

    def key(self, name: str) -> int | None:
        """`_key` of the file `name` in the folder; None if there is none. A plain file's inode
        number comes with the listing (on the folder's device); a link is followed."""
        entry = self.entries.get(name)
        if entry is None:
            return None
        try:
            if entry.is_symlink():
                if not entry.is_file():
                    return None
                st = entry.stat()
                return file_key(st.st_dev, st.st_ino)
            if not entry.is_file(follow_symlinks=False):
                return None
        except OSError:
            return None
        return file_key(self.device, entry.inode())


def _name_clash(
    clash: set[int],
    paths: Sequence[Path],
    walk_one: Callable[[Path], Iterator[Source]],
    planned: Planned,
    extra: tuple[tuple[str, Path], ...],
) -> str:
    """The message for the first clash in walk order, naming both paths (a second walk: this
    only happens when the run is refused)."""
    inputs: dict[int, str] = {}
    outputs: dict[int, tuple[str, str | Path]] = {}
    for root in paths:
        for source in walk_one(root):
            key = _key(source.path)
            if key in clash:
                inputs.setdefault(key, source.display)
            folder, names = planned(source)
            for name in names:
                key = _key(f"{folder}/{name}")
                if key in clash:
                    outputs.setdefault(key, ("the output", f"{folder}/{name}"))
    for what, path in extra:
        key = _key(path)
        if key in clash:
            outputs.setdefault(key, (what, path))
    key, (what, output) = next((k, o) for k, o in outputs.items() if k in inputs)
    return f"{what} {output} would replace the input {inputs[key]}; nothing was written"
