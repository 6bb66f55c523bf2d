"""Bundles: one output per format holding every selected article.

Hash every input first; if every bundle is up to date, stop there. Else read and select in the
workers, send the articles back, and assemble each bundle here, in the parent.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..exporters import ExportError
from ..files import write_atomic
from ..select import Selection, Verdict
from ..signals import passes
from .discover import Source
from .dispatch import Dispatcher
from .executors import Handle, WorkerLost, died
from .manifest import input_hash
from .plan import Planner
from .record import Pending
from .work import Chunk, Job, PartWork, Result, Task, exporter

if TYPE_CHECKING:
    from ..exporters.web.pack import Laid


@dataclass(slots=True)
class Bundles:
    paths: Mapping[str, Path]  # format → the bundle's path
    name: Path  # the bundle as the user named it (its messages)
    job: Job
    planner: Planner
    dispatcher: Dispatcher
    selection: Selection
    force: bool
    filter_fp: str

    def run(self, preflight: Callable[[], None]) -> None:
        planner, rec = self.planner, self.planner.recorder
        m, s = planner.manifest, rec.summary
        sources: list[tuple[Source, str]] = []
        combined = hashlib.sha256(self.filter_fp.encode())
        for source in planner.found.sources:
            where = planner.absolute(source.location)
            digest = planner.known_hash(source, where)  # unchanged since hashed: not read
            if digest is None:
                data = planner.read(source)
                if data is None:
                    continue
                digest = input_hash(data)
                if source.stat is not None:
                    m.remember_hash(where, source.stat, digest, planner.walk_started)
            sources.append((source, digest))
            combined.update(f"{source.relative}\0{digest}\0".encode())
        rec.reporter.total(len(sources) + s.failed)
        stale = {fmt: path for fmt, path in self.paths.items()
                 if self.force or not m.up_to_date(path.name, rec.stamps.of(fmt, combined.hexdigest()))}
        if not stale:
            for _, digest in sources:
                verdict = m.verdict(digest, self.filter_fp) if self.selection.active else Verdict.INCLUDED
                if self.selection.areas:
                    rec.cached_area(digest)
                if verdict is Verdict.INCLUDED:
                    s.up_to_date += 1
                else:
                    rec.count_verdict(verdict)
            rec.reporter.advance(len(sources))
            return
        read = hashlib.sha256(self.filter_fp.encode())  # over every input as read now, in order
        self.dispatcher.run(self._tasks(sources, read), preflight)
        if rec.stop or s.interrupted:
            return
        if not rec.articles:
            rec.fail(str(self.name), f"{self.name}: no articles selected; nothing written")
            return
        for fmt, path in stale.items():
            self._assemble(fmt, path, read.hexdigest())

    def _tasks(self, sources: list[tuple[Source, str]], combined: hashlib._Hash) -> Iterator[Task]:
        select = self.selection.active
        for index, (source, _) in enumerate(sources):
            data = self.planner.read(source)
            if data is None:
                continue
            digest = input_hash(data)  # as read now: the stamp must describe what we bundled
            if source.stat is not None:  # and it corrects the stat cache, should the file have changed
                self.planner.manifest.remember_hash(self.planner.absolute(source.location), source.stat,
                                                    digest, self.planner.walk_started)
            combined.update(f"{source.relative}\0{digest}\0".encode())
            self.planner.recorder.pending[index] = Pending(digest, source.relative, select)
            yield Task(index, source.display, source.relative, data, (), select)

    def _assemble(self, fmt: str, path: Path, combined: str) -> None:
        rec = self.planner.recorder
        display = str(path)
        try:
            self.planner.clean_once(str(path.parent))
            if not self._in_parts(fmt, path):
                data = exporter(self.job, fmt).export_bundle(rec.articles)
                write_atomic(path, data)
        except BaseException as exc:  # whatever an exporter raises, bar a real stop
            if passes(exc):
                raise
            from ..exporters.errors import describe
            from .work import _trace

            reason = str(exc) if isinstance(exc, ExportError) else describe(exc)
            rec.fail(display, f"{display}: {fmt}: {reason}", _trace())
            return
        rec.summary.outputs += 1
        rec.reporter.wrote(path)
        if not rec.summary.failed:  # a bundle missing a failed seed is redone next time
            rec.manifest.record(path.name, "(bundle)", rec.stamps.of(fmt, combined))
        rec.summary.converted = len(rec.articles)

    def _in_parts(self, fmt: str, path: Path) -> bool:
        """Make a big PDF pack in parts laid out in parallel, each cached by content (see
        `convert.exporters.web.pack`). False when the format or pack is not made so: a pack of
        fewer than two parts' worth of articles, or in a PDF/A or PDF/UA variant, is laid out whole."""
        from ..exporters.shared.view import BundleView
        from ..exporters.web.pack import PARTS_FOLDER, merge, part_key, part_size, split

        rec = self.planner.recorder
        made = exporter(self.job, fmt)
        size = part_size()
        options = getattr(made, "options", None)
        if (not hasattr(made, "lay_out_part") or getattr(options, "variant", None) is not None
                or size <= 0 or len(rec.articles) < 2 * size):
            return False
        digest = {id(a): d for a, d in zip(rec.articles, rec.digests, strict=True)}
        sections = BundleView(rec.articles, getattr(options, "group_by", "area")).sections
        order = [a for s in sections for a in s.articles]
        names = [a.meta.source or a.meta.url for a in order]
        parts = split(sections, names, [digest[id(a)] for a in order], size)
        folder = Path(os.path.abspath(path.parent / PARTS_FOLDER))
        stamp = "\0".join(rec.stamps.of(fmt, "").values)
        targets = [folder / f"{path.stem}.{part_key(p, stamp)}.pdf" for p in parts]
        laid: list[Laid | None] = [_cached(t) for t in targets]
        todo = [Task(i, f"{path} (part {i + 1})", "", b"", (), False, PartWork(fmt, p.groups, str(t)))
                for i, (p, t, known) in enumerate(zip(parts, targets, laid, strict=True)) if known is None]
        todo.sort(key=lambda t: -parts[t.index].count)  # the biggest first: no core waits at the end
        for task, result in self._lay_out(todo):
            if result.error is not None:
                raise ExportError(f"cannot lay out part {task.index + 1} of {len(parts)}: {result.error}")
            laid[task.index] = result.laid
        rec.reporter.note(f"{path}: laid out {len(todo)} of {len(parts)} parts")
        front = folder / f"{path.stem}.front.pdf"
        data, first = made.lay_out_front(rec.articles, laid)  # type: ignore[attr-defined]
        write_atomic(front, data)
        try:
            merge(front, first, targets, path)
        finally:
            front.unlink(missing_ok=True)
        _forget(folder, path.stem, {t.name for t in targets})
        return True

    def _lay_out(self, tasks: list[Task]) -> Iterator[tuple[Task, Result]]:
        """Lay out parts on the run's executor (the local pool, or the cluster), a window at a time."""
        if not tasks:
            return
        executor = self.dispatcher.make_executor(self.job)
        try:
            queue, flying = deque(tasks), deque[tuple[Task, Handle]]()
            while queue or flying:
                while queue and len(flying) < executor.window:
                    task = queue.popleft()
                    flying.append((task, executor.submit(Chunk(self.job, (task,)))))
                task, handle = flying.popleft()
                try:
                    (result,) = handle.result()
                except WorkerLost:
                    result = died(task)
                yield task, result
        finally:
            executor.close(cancel=True)


def _cached(target: Path) -> Laid | None:
    """A part laid out before (its report is written after its PDF), or None."""
    from ..exporters.web.pack import Laid

    try:
        if target.is_file():
            return Laid.from_json(Path(f"{target}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, IndexError):
        pass
    return None


def _forget(folder: Path, stem: str, keep: set[str]) -> None:
    """Remove this pack's parts that it no longer uses (a changed article's old part)."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name.removesuffix(".json")
            if name.startswith(f"{stem}.") and name.endswith(".pdf") and name not in keep:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
