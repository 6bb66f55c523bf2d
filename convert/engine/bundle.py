"""Bundles: one output per format holding every selected article.

Hash every input first; if every bundle is up to date, stop there. Else read and select in the
workers, send the articles back, and assemble each bundle here, in the parent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..exporters import ExportError
from ..files import write_atomic
from ..select import Selection, Verdict
from ..signals import passes
from .discover import Source
from .dispatch import Dispatcher
from .manifest import input_hash
from .pieces import Layouts, in_pieces, lay_out_pack
from .plan import Planner
from .record import Pending
from .work import Job, Task, exporter


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
        with Layouts(self.job, self.dispatcher) as layouts:
            if any(in_pieces(self.job, fmt, len(sources)) for fmt in stale):
                layouts.start()  # its workers forked before the articles are read: they carry none
            self.dispatcher.run(self._tasks(sources, read), preflight)
            if rec.stop or s.interrupted:
                return
            if not rec.articles:
                rec.fail(str(self.name), f"{self.name}: no articles selected; nothing written")
                return
            for fmt, path in stale.items():
                self._assemble(fmt, path, read.hexdigest(), layouts)

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

    def _assemble(self, fmt: str, path: Path, combined: str, layouts: Layouts) -> None:
        rec = self.planner.recorder
        display = str(path)
        try:
            self.planner.clean_once(str(path.parent))
            if not lay_out_pack(self.job, layouts, rec, fmt, path, fresh=self.force):
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
