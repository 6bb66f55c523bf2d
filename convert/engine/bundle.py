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
from typing import TypeVar

from ..collate import Section
from ..exporters import ExportError
from ..files import write_atomic
from ..select import Selection, Verdict
from ..signals import passes
from .discover import Source
from .dispatch import Dispatcher
from .executors import Executor, Handle, WorkerLost, died
from .manifest import input_hash
from .plan import Planner
from .record import Pending
from .work import Chunk, Job, PartWork, Result, Task, exporter


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
        """Make a big PDF pack in pieces laid out in parallel, each cached by content (see
        `convert.exporters.web.pack`). False when the format or pack is not made so: a pack of
        fewer than two parts' worth of articles, or in a PDF/A or PDF/UA variant, is laid out whole."""
        from ..exporters.shared.view import BundleView
        from ..exporters.web.pack import (
            PARTS_FOLDER,
            Fronted,
            FrontStamps,
            FrontStep,
            Laid,
            Mark,
            Stamped,
            StampStep,
            Step,
            front_size,
            front_slices,
            merge,
            part_key,
            part_size,
            piece_key,
            split,
        )

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
        slices = front_slices(sections, front_size())
        grouped = len(sections) > 1
        folder = Path(os.path.abspath(path.parent / PARTS_FOLDER))
        stamp = "\0".join(rec.stamps.of(fmt, "").values)
        keys = [part_key(p, stamp) for p in parts]
        targets = [folder / f"{path.stem}.{key}.pdf" for key in keys]
        laid: list[Laid | None] = [_cached(t, Laid.from_json) for t in targets]
        seen = folder / f"{path.stem}.front"  # the front matter's length last time: its report
        guess = _cached(seen, Fronted.from_json, report_only=True)
        whole = tuple(sections)
        body, n_slices = len(parts), len(slices)  # task numbers: body parts, glance, contents, stamps

        def work(index: int, what: str, groups: tuple[Section, ...], target: Path,
                 step: Step | None = None) -> Task:
            piece = PartWork(fmt, groups, str(target), step)
            return Task(index, f"{path} ({what})", "", b"", (), False, piece)

        def cached_as(kind: str, groups: tuple[Section, ...], step: Step) -> Path:
            html, css = made.piece_html(groups, step)  # type: ignore[attr-defined]
            return folder / f"{path.stem}.{kind}{piece_key(stamp, html, css, step)}.pdf"

        def pages_of(report: Laid | None) -> tuple[tuple[Mark, ...], ...]:
            if report is None:
                raise ExportError("a piece of the pack was not laid out")
            return report.articles[0]

        cover_step = FrontStep("cover", grouped=grouped)
        cover_at = cached_as("cover-", whole, cover_step)
        cover = _cached(cover_at, Laid.from_json)
        glance_steps = [FrontStep("glance", s.before, s.continues, grouped) for s in slices]
        glance_at = [cached_as("glance-", s.groups, g) for s, g in zip(slices, glance_steps, strict=True)]
        glance: list[Laid | None] = [_cached(t, Laid.from_json) for t in glance_at]
        todo = [work(body + k, f"at a glance {k + 1}", s.groups, glance_at[k], glance_steps[k])
                for k, s in enumerate(slices) if glance[k] is None]
        missing = [i for i, known in enumerate(laid) if known is None]
        missing.sort(key=lambda i: -parts[i].count)  # the biggest first: no core waits at the end
        todo += [work(i, f"part {i + 1}", parts[i].groups, targets[i]) for i in missing]
        bodies = len(missing)
        if cover is None:
            todo.append(work(-1, "cover", whole, cover_at, cover_step))
        fronts = len(todo) - bodies
        with self._layouts() as lay_out:
            for task, result in lay_out(todo):
                if task.index == -1:
                    cover = result.laid if isinstance(result.laid, Laid) else None
                elif task.index >= body and isinstance(result.laid, Laid):
                    glance[task.index - body] = result.laid
                elif isinstance(result.laid, Laid):
                    laid[task.index] = result.laid
            done = [x for x in laid if x is not None]
            if len(done) != len(parts):
                raise ExportError("a part of the pack was not laid out")
            counts = tuple(len(pages) for part in done for pages in part.articles)
            before, pages_before = [0], [0]  # articles, pages before each part
            for part in done:
                before.append(before[-1] + len(part.articles))
                pages_before.append(pages_before[-1] + part.pages)
            ahead = [*pages_of(cover)] + [page for g in glance for page in pages_of(g)]  # before the contents
            # the contents' numbers count the front's pages, the contents' own among them: the
            # length last seen, else a guess (contents as long as "At a glance"), until they agree
            front_pages = guess.pages if guess else len(ahead) + len(ahead) - len(pages_of(cover))
            stamps_redone = contents_redone = 0
            for _ in range(4):
                firsts, at = [], front_pages + 1  # each article's first page
                for n in counts:
                    firsts.append(at)
                    at += n
                total = front_pages + sum(counts)
                contents_steps = [FrontStep("contents", s.before, s.continues, grouped,
                                            tuple(firsts[s.before : s.before + s.count])) for s in slices]
                contents_at = [cached_as("contents-", s.groups, c)
                               for s, c in zip(slices, contents_steps, strict=True)]
                contents: list[Laid | None] = [_cached(t, Laid.from_json) for t in contents_at]
                steps = [StampStep(done[i].articles, front_pages + 1 + pages_before[i], total,
                                   before[i], i > 0 and _group(parts[i - 1].groups[-1]) == _group(g[0]),
                                   (str(targets[i]),))
                         for i, g in enumerate(p.groups for p in parts)]
                # each keyed by what it is laid out from: unchanged text, numbers and bookmarks
                # are not laid out again (an article whose page count holds changes none)
                stamped_at = [cached_as("stamps-", p.groups, s) for p, s in zip(parts, steps, strict=True)]
                stamped: list[Stamped | None] = [_cached(t, Stamped.from_json) for t in stamped_at]
                todo = [work(body + n_slices + k, f"contents {k + 1}", s.groups, contents_at[k],
                             contents_steps[k]) for k, s in enumerate(slices) if contents[k] is None]
                laying = len(todo)
                contents_redone += laying
                todo += [work(body + 2 * n_slices + i, f"stamps {i + 1}", parts[i].groups, stamped_at[i],
                              steps[i]) for i in range(len(parts)) if stamped[i] is None]
                stamps_redone += len(todo) - laying
                for task, result in lay_out(todo):
                    k = task.index - body - n_slices
                    if k < n_slices and isinstance(result.laid, Laid):
                        contents[k] = result.laid
                    elif isinstance(result.laid, Stamped):
                        stamped[k - n_slices] = result.laid
                front = ahead + [page for c in contents for page in pages_of(c)]
                if len(front) == front_pages:
                    break
                front_pages = len(front)
            else:
                raise ExportError("the pack's front matter does not settle on a page count")
            # the front matter's stamps, one piece at a time, each with its piece drawn under it
            pieces = [("cover", whole, cover_at, cover)]
            for kind, paths, reports in (("glance", glance_at, glance), ("contents", contents_at, contents)):
                pieces += [(kind, sl.groups, t, r) for sl, t, r in zip(slices, paths, reports, strict=True)]
            front_steps, page = [], 1
            for kind, _, piece_at, report in pieces:
                marks = pages_of(report)
                front_steps.append(FrontStamps(tuple((kind, m) for m in marks), page, total,
                                               (str(piece_at),)))
                page += len(marks)
            front_at = [cached_as("front-", groups, step)
                        for (_, groups, _, _), step in zip(pieces, front_steps, strict=True)]
            fronted: list[Stamped | None] = [_cached(t, Stamped.from_json) for t in front_at]
            todo = [work(-2 - k, f"front matter {k + 1}", pieces[k][1], front_at[k], front_steps[k])
                    for k in range(len(pieces)) if fronted[k] is None]
            for task, result in lay_out(todo):
                if isinstance(result.laid, Stamped):
                    fronted[-2 - task.index] = result.laid
        rec.reporter.note(f"{path}: laid out {bodies} of {len(parts)} parts, {stamps_redone} stamp parts, "
                          f"{fronts + contents_redone} pieces of the front matter")
        write_atomic(Path(f"{seen}.json"), Fronted(front_pages).to_json().encode())
        joined = [*zip(front_at[1:], fronted[1:], strict=True), *zip(stamped_at, stamped, strict=True)]
        if any(report is None for _, report in joined):
            raise ExportError("a piece of the pack was not laid out")
        merge(front_at[0], [(t, r) for t, r in joined if r is not None], path)
        kept = (*(piece[2] for piece in pieces), *targets, *stamped_at, *front_at)
        _forget(folder, path.stem, {t.name for t in kept})
        return True

    @contextlib.contextmanager
    def _layouts(self) -> Iterator[Callable[[list[Task]], Iterator[tuple[Task, Result]]]]:
        """A way to lay out pieces of a pack on the run's executor (the local pool, or the
        cluster), a window at a time; the executor made once, when first needed. Nothing is laid
        out in this process: it only joins the finished pages, so its memory stays small."""
        executor: Executor | None = None

        def lay_out(tasks: list[Task]) -> Iterator[tuple[Task, Result]]:
            nonlocal executor
            if tasks and executor is None:
                executor = self.dispatcher.make_executor(self.job)
            queue, flying = deque(tasks), deque[tuple[Task, Handle]]()

            def fill() -> None:
                while executor is not None and queue and len(flying) < executor.window:
                    task = queue.popleft()
                    flying.append((task, executor.submit(Chunk(self.job, (task,)))))

            while queue or flying:
                fill()
                task, handle = flying.popleft()
                try:
                    (result,) = handle.result()
                except WorkerLost:
                    result = died(task)
                if result.error is not None:  # it names the piece: "pack.pdf (part 3): ..."
                    raise ExportError(result.error)
                yield task, result

        try:
            yield lay_out
        finally:
            if executor is not None:
                executor.close(cancel=True)


def _group(section: Section) -> tuple[str, str]:
    return (section.area, section.heading)


_R = TypeVar("_R")


def _cached(target: Path, read: Callable[[str], _R], report_only: bool = False) -> _R | None:
    """A piece laid out before (its report is written after its PDF), or None. `report_only`:
    the report alone is wanted (the PDF may be gone)."""
    try:
        if report_only or target.is_file():
            return read(Path(f"{target}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, IndexError, KeyError):
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
