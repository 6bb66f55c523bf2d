"""Planning: walk → hash → up to date? → Task, all in the parent process.

Every input is walked and every output planned before the manifest is even opened (`survey`).
Then each seed is hashed once (its stat, when the manifest has seen it unchanged, spares the
read) and checked against the manifest's stamps: only the seeds with something to build become
tasks; the others are settled with the recorder here, before any worker starts.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..limits import read_at_most, too_large
from ..select import Selection, Verdict
from .discover import Source, WalkStats, output_stem, walk
from .guard import Found, check_bundles, check_inputs, check_roots
from .manifest import Manifest, input_hash
from .outputs import clean_temp
from .record import Pending, Recorder, Stamps
from .work import Task


def survey(
    paths: Sequence[Path],
    out: Path,
    bundles: Mapping[str, Path] | None,
    extensions: Sequence[str],
    manifest: Path,
    follow_links: bool,
) -> tuple[Found, WalkStats]:
    """Walk every input and plan every output before anything is written: an output that would
    be an input, or an input folder the run would write into, is a PathError."""
    extra = [("the manifest", manifest)]
    if bundles is None:
        check_roots(paths, out)
        exclude: list[Path] = [out]
    else:
        check_bundles(bundles.values(), paths)
        exclude = []  # a bundle the walk would meet must count as an input here, to be refused
        extra += [("the bundle", p) for p in bundles.values()]
    walked = WalkStats()

    def walk_one(root: Path) -> Iterator[Source]:
        return walk([root], follow_links=follow_links, exclude=exclude, stats=walked)

    def planned(source: Source) -> tuple[str, list[str]]:
        """The folder and names of the per-seed outputs of `source` (none for bundles)."""
        if bundles is not None:
            return "", []
        try:
            stem = output_stem(source.relative)
        except ValueError:  # refused when the run plans it
            return "", []
        folder, _, base = f"{out}/{stem}".rpartition("/")
        return folder, [f"{base}.{ext}" for ext in extensions]

    return check_inputs(paths, walk_one, planned, extra), walked


@dataclass(slots=True)
class Planner:
    """Turns the walk's seeds into tasks, settling those with nothing to build."""

    found: Found
    manifest: Manifest
    recorder: Recorder
    stamps: Stamps
    formats: Sequence[tuple[str, str]]  # (format, extension), in the run's order
    out: Path  # as the user named it: output keys are planned under it
    selection: Selection
    force: bool
    max_bytes: int
    walk_started: int  # the walk's stats are no older: see Manifest.remember_hash
    filter_fp: str
    cwd: str = field(default_factory=os.getcwd)
    claimed: dict[str, str] = field(default_factory=dict)  # output name without extension → its seed
    cleaned: set[str] = field(default_factory=set)

    def outputs(self) -> Iterator[Task]:
        """Yield a task for each seed with something to build; settle the others here. A seed
        whose stat is the one recorded with its hash is not read unless it has work to do."""
        m, rec = self.manifest, self.recorder
        for index, source in enumerate(self.found.sources):
            try:
                stem = output_stem(source.relative)
            except ValueError as exc:
                rec.fail(source.display, f"{source.display}: {exc}")
                rec.reporter.advance()
                continue
            if stem in self.claimed:
                rec.fail(source.display, f"{source.display}: its output would overwrite the one "
                         f"from {self.claimed[stem]} ({self.out / stem}.*)")
                rec.reporter.advance()
                continue
            self.claimed[stem] = source.display
            where = self.absolute(source.location)
            digest = self.known_hash(source, where)
            if digest is not None:
                verdict, todo = self._decide(stem, digest)
                if rec.settled(digest, verdict, todo):
                    continue
            data = self.read(source)
            if data is None:
                continue
            fresh = input_hash(data)
            if source.stat is not None:
                m.remember_hash(where, source.stat, fresh, self.walk_started)
            if fresh != digest:  # not known, or (a clock gone wrong) known wrongly
                digest = fresh
                verdict, todo = self._decide(stem, digest)
                if rec.settled(digest, verdict, todo):
                    continue
            for _, path in todo:
                self.clean_once(os.path.dirname(path))
            rec.pending[index] = Pending(digest, source.relative, verdict is None)
            yield Task(index, source.display, source.relative, data, tuple(todo), verdict is None)

    def known_hash(self, source: Source, where: str) -> str | None:
        """The seed's hash from the manifest's stat cache, when its stat is unchanged."""
        if not self.force and source.stat is not None and source.stat[0] <= self.max_bytes:
            return self.manifest.known_hash(where, source.stat)
        return None

    def absolute(self, location: str) -> str:
        """The stat cache's key for a seed: its path from /, as the walk spelt it (not normalised:
        the same spelling next time finds it; another only costs a hash)."""
        return location if location.startswith("/") else f"{self.cwd}/{location}"

    def _decide(self, stem: str, digest: str) -> tuple[Verdict | None, list[tuple[str, str]]]:
        """The seed's cached selection verdict (None: to be selected when read), and the outputs
        (format, path) to build from these input bytes."""
        sel, m = self.selection, self.manifest
        verdict = (Verdict.INCLUDED if not sel.active
                   else None if self.force else m.verdict(digest, self.filter_fp))
        if verdict in (Verdict.EXCLUDED, Verdict.UNDATED):
            return verdict, []
        folder, _, base = f"{self.out}/{stem}".rpartition("/")
        there: Collection[str] | None = self.found.existing.get(folder)  # the guard's listing
        todo = []
        prefix = self.recorder.prefix
        for fmt, ext in self.formats:
            key = f"{stem}.{ext}"
            exists = None if there is None else f"{base}.{ext}" in there
            if self.force or not m.up_to_date(key, self.stamps.of(fmt, digest), exists):
                todo.append((fmt, prefix + key))
        return verdict, todo

    def clean_once(self, folder: str) -> None:
        # Before this run first writes into a folder: no task of this run has written there yet.
        if folder not in self.cleaned:
            self.cleaned.add(folder)
            clean_temp(folder)

    def read(self, source: Source) -> bytes | None:
        """The seed's bytes; None (a failure recorded) if it cannot be read or is too large."""
        limit, rec = self.max_bytes, self.recorder
        try:
            fd = os.open(source.location, os.O_RDONLY | os.O_CLOEXEC)  # no file object: fewer syscalls
            try:
                size = os.fstat(fd).st_size
                if size <= limit:
                    # a file that grows meanwhile is cut at limit + 1: the reader refuses it then
                    return read_at_most(_Raw(fd), size, limit)
            finally:
                os.close(fd)
        except OSError as exc:
            rec.fail(source.display, f"{source.display}: cannot read: {exc.strerror or exc}")
            rec.reporter.advance()
            return None
        # Refused here, with its real size, before reading it: the reader would only see the
        # limit + 1 bytes read.
        rec.fail(source.display, f"{source.display}: {too_large(size, limit)}")
        rec.reporter.advance()
        return None


class _Raw:
    """A file descriptor read like a file: `read(n)` gives n bytes, or fewer only at the end."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, n: int) -> bytes:
        parts = []
        while n > 0 and (part := os.read(self.fd, min(n, 1 << 30))):
            parts.append(part)
            n -= len(part)
        return b"".join(parts)
