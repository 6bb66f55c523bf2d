"""A big PDF pack made in pieces on the run's executor (the local pool, or the cluster).

How a pack is cut, what each piece is and how they are joined is `convert.exporters.web.pack`
(and `join`); this is the order of work, in four waves, each piece cached by content beside the
pack so a rebuild lays out only what changed:

1. the articles' parts, the cover and the "At a glance" slices (none of them needs a page number);
2. the contents slices (they print page numbers) and each part's stamps, with the front matter's
   length as last seen, again until the contents agree with it;
3. the front matter's stamps, a piece at a time;
4. the join, here.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..collate import Section
from ..exporters import ExportError
from ..files import write_atomic
from .dispatch import Dispatcher
from .executors import Executor, Handle, WorkerLost, died
from .work import Chunk, Job, PartWork, Result, Task, exporter

if TYPE_CHECKING:
    from ..exporters.web.pack import Laid, Stamped, Step
    from .record import Recorder

LayOut = Callable[[list[Task]], Iterator[tuple[Task, Result]]]


def lay_out_pack(job: Job, dispatcher: Dispatcher, rec: Recorder, fmt: str, path: Path) -> bool:
    """Make the pack `path` in pieces laid out in parallel. False when the format or pack is not
    made so: a pack of fewer than two parts' worth of articles, or in a PDF/A or PDF/UA variant,
    is laid out whole."""
    from ..exporters.web.pack import part_size

    made = exporter(job, fmt)
    size = part_size()
    options = getattr(made, "options", None)
    if (not hasattr(made, "lay_out_part") or getattr(options, "variant", None) is not None
            or size <= 0 or len(rec.articles) < 2 * size):
        return False
    Pack(job, dispatcher, rec, fmt, path, size).make()
    return True


class Pack:
    """One pack being made: its pieces, their cache names and what each reported."""

    def __init__(self, job: Job, dispatcher: Dispatcher, rec: Recorder, fmt: str, path: Path,
                 size: int) -> None:
        from ..exporters.shared.view import BundleView
        from ..exporters.web.pack import PARTS_FOLDER, Fronted, front_size, front_slices, part_key, split

        self.job, self.dispatcher, self.rec, self.fmt, self.path = job, dispatcher, rec, fmt, path
        self.made = exporter(job, fmt)
        digest = {id(a): d for a, d in zip(rec.articles, rec.digests, strict=True)}
        options = getattr(self.made, "options", None)
        sections = BundleView(rec.articles, getattr(options, "group_by", "area")).sections
        order = [a for s in sections for a in s.articles]
        names = [a.meta.source or a.meta.url for a in order]
        self.whole = tuple(sections)
        self.grouped = len(sections) > 1
        self.parts = split(sections, names, [digest[id(a)] for a in order], size)
        self.slices = front_slices(sections, front_size())
        self.folder = Path(os.path.abspath(path.parent / PARTS_FOLDER))
        self.stamp = "\0".join(rec.stamps.of(fmt, "").values)
        self.targets = [self.folder / f"{path.stem}.{part_key(p, self.stamp)}.pdf" for p in self.parts]
        self.seen = self.folder / f"{path.stem}.front"  # the front matter's length last time
        self.guess = _cached(self.seen, Fronted.from_json, report_only=True)
        self.counted = {"parts": 0, "stamps": 0, "front": 0}  # what was laid out, for the note

    def make(self) -> None:
        from ..exporters.web.join import merge
        from ..exporters.web.pack import Fronted

        with _layouts(self.job, self.dispatcher) as lay_out:
            counts, cover, glance = self._first(lay_out)
            front_pages, contents, stamps = self._numbered(lay_out, counts, cover, glance)
            fronts = self._front_stamps(lay_out, cover, glance, contents, sum(counts) + front_pages)
        c = self.counted
        self.rec.reporter.note(f"{self.path}: laid out {c['parts']} of {len(self.parts)} parts, "
                               f"{c['stamps']} stamp parts, {c['front']} pieces of the front matter")
        write_atomic(Path(f"{self.seen}.json"), Fronted(front_pages).to_json().encode())
        merge(fronts[0][0], [*fronts[1:], *stamps], self.path)
        kept = {p.name for p in (*self.targets, *self.pieces)} | {p.name for p, _ in (*fronts, *stamps)}
        _forget(self.folder, self.path.stem, kept)

    # --- the waves ------------------------------------------------------------------------------

    def _first(self, lay_out: LayOut) -> tuple[list[int], Laid, list[Laid]]:
        """The parts, the cover and "At a glance": each article's page count, their reports."""
        from ..exporters.web.pack import FrontStep, Laid

        body = len(self.parts)
        cover_step = FrontStep("cover", grouped=self.grouped)
        self.cover_at = self._cached_as("cover-", self.whole, cover_step)
        glance_steps = [FrontStep("glance", s.before, s.continues, self.grouped) for s in self.slices]
        self.glance_at = [self._cached_as("glance-", s.groups, g)
                          for s, g in zip(self.slices, glance_steps, strict=True)]
        laid = [_cached(t, Laid.from_json) for t in self.targets]
        cover = _cached(self.cover_at, Laid.from_json)
        glance = [_cached(t, Laid.from_json) for t in self.glance_at]
        todo = [self._work(body + k, f"at a glance {k + 1}", s.groups, self.glance_at[k], glance_steps[k])
                for k, s in enumerate(self.slices) if glance[k] is None]
        missing = [i for i, known in enumerate(laid) if known is None]
        missing.sort(key=lambda i: -self.parts[i].count)  # the biggest first: no core waits at the end
        todo += [self._work(i, f"part {i + 1}", self.parts[i].groups, self.targets[i]) for i in missing]
        if cover is None:
            todo.append(self._work(-1, "cover", self.whole, self.cover_at, cover_step))
        self.counted["parts"] = len(missing)
        self.counted["front"] += len(todo) - len(missing)
        for task, result in lay_out(todo):
            if not isinstance(result.laid, Laid):
                continue
            if task.index == -1:
                cover = result.laid
            elif task.index >= body:
                glance[task.index - body] = result.laid
            else:
                laid[task.index] = result.laid
        self.laid = [_present(x) for x in laid]
        return ([len(pages) for part in self.laid for pages in part.articles], _present(cover),
                [_present(g) for g in glance])

    def _numbered(self, lay_out: LayOut, counts: list[int], cover: Laid, glance: list[Laid]
                  ) -> tuple[int, list[Laid], list[tuple[Path, Stamped]]]:
        """The contents and each part's stamps, numbered from the front matter's length: as last
        seen, else a guess (contents as long as "At a glance"), until the contents agree with it.
        Returns that length, the contents slices' reports and the finished parts."""
        from ..exporters.web.pack import FrontStep, Laid, Stamped, StampStep

        ahead = len(cover.articles[0]) + sum(len(g.articles[0]) for g in glance)  # before the contents
        front_pages = self.guess.pages if self.guess else 2 * ahead - len(cover.articles[0])
        before, pages_before = [0], [0]  # articles, pages before each part
        for part in self.laid:
            before.append(before[-1] + len(part.articles))
            pages_before.append(pages_before[-1] + part.pages)
        body, n = len(self.parts), len(self.slices)
        for _ in range(4):
            firsts, at = [], front_pages + 1  # each article's first page
            for pages in counts:
                firsts.append(at)
                at += pages
            total = front_pages + sum(counts)
            steps = [FrontStep("contents", s.before, s.continues, self.grouped,
                               tuple(firsts[s.before : s.before + s.count])) for s in self.slices]
            self.contents_at = [self._cached_as("contents-", s.groups, c)
                                for s, c in zip(self.slices, steps, strict=True)]
            contents = [_cached(t, Laid.from_json) for t in self.contents_at]
            # each keyed by what it is laid out from, and the part drawn under it: unchanged
            # text, numbers and bookmarks are not laid out again
            stamp_steps = [StampStep(self.laid[i].articles, front_pages + 1 + pages_before[i], total,
                                     before[i], self._continues(i), (str(self.targets[i]),))
                           for i in range(len(self.parts))]
            stamped_at = [self._cached_as("stamps-", p.groups, s)
                          for p, s in zip(self.parts, stamp_steps, strict=True)]
            stamped = [_cached(t, Stamped.from_json) for t in stamped_at]
            todo = [self._work(body + n + k, f"contents {k + 1}", s.groups, self.contents_at[k], steps[k])
                    for k, s in enumerate(self.slices) if contents[k] is None]
            self.counted["front"] += len(todo)
            todo += [self._work(body + 2 * n + i, f"stamps {i + 1}", p.groups, stamped_at[i], stamp_steps[i])
                     for i, p in enumerate(self.parts) if stamped[i] is None]
            self.counted["stamps"] += sum(1 for s in stamped if s is None)
            for task, result in lay_out(todo):
                k = task.index - body - n
                if k < n and isinstance(result.laid, Laid):
                    contents[k] = result.laid
                elif isinstance(result.laid, Stamped):
                    stamped[k - n] = result.laid
            laid_front = ahead + sum(len(_present(c).articles[0]) for c in contents)
            if laid_front == front_pages:
                return front_pages, [_present(c) for c in contents], \
                    [(t, _present(s)) for t, s in zip(stamped_at, stamped, strict=True)]
            front_pages = laid_front
        raise ExportError("the pack's front matter does not settle on a page count")

    def _front_stamps(self, lay_out: LayOut, cover: Laid, glance: list[Laid], contents: list[Laid],
                      total: int) -> list[tuple[Path, Stamped]]:
        """The front matter's stamps, one piece at a time, each with its piece drawn under it."""
        from ..exporters.web.pack import FrontStamps, Stamped

        pieces: list[tuple[str, tuple[Section, ...], Path, Laid]] = [
            ("cover", self.whole, self.cover_at, cover)]
        for kind, paths, reports in (("glance", self.glance_at, glance),
                                     ("contents", self.contents_at, contents)):
            pieces += [(kind, s.groups, t, r) for s, t, r in zip(self.slices, paths, reports, strict=True)]
        self.pieces = [at for _, _, at, _ in pieces]
        steps, page = [], 1
        for kind, _, at, report in pieces:
            marks = report.articles[0]
            steps.append(FrontStamps(tuple((kind, m) for m in marks), page, total, (str(at),)))
            page += len(marks)
        targets = [self._cached_as("front-", groups, step)
                   for (_, groups, _, _), step in zip(pieces, steps, strict=True)]
        done = [_cached(t, Stamped.from_json) for t in targets]
        todo = [self._work(-2 - k, f"front matter {k + 1}", pieces[k][1], targets[k], steps[k])
                for k in range(len(pieces)) if done[k] is None]
        for task, result in lay_out(todo):
            if isinstance(result.laid, Stamped):
                done[-2 - task.index] = result.laid
        return [(t, _present(d)) for t, d in zip(targets, done, strict=True)]

    # --- helpers --------------------------------------------------------------------------------

    def _continues(self, i: int) -> bool:
        """Does part `i` start inside the group the part before ends in (its bookmark is there)?"""
        return i > 0 and _group(self.parts[i - 1].groups[-1]) == _group(self.parts[i].groups[0])

    def _work(self, index: int, what: str, groups: tuple[Section, ...], target: Path,
              step: Step | None = None) -> Task:
        piece = PartWork(self.fmt, groups, str(target), step)
        return Task(index, f"{self.path} ({what})", "", b"", (), False, piece)

    def _cached_as(self, kind: str, groups: tuple[Section, ...], step: Step) -> Path:
        from ..exporters.web.pack import piece_key

        html, css = self.made.piece_html(groups, step)  # type: ignore[attr-defined]
        return self.folder / f"{self.path.stem}.{kind}{piece_key(self.stamp, html, css, step)}.pdf"


@contextlib.contextmanager
def _layouts(job: Job, dispatcher: Dispatcher) -> Iterator[LayOut]:
    """A way to lay out pieces of a pack on the run's executor, a window at a time; the executor
    made once, when first needed. Nothing is laid out in this process: it only joins the
    finished pages, so its memory stays small."""
    executor: Executor | None = None

    def lay_out(tasks: list[Task]) -> Iterator[tuple[Task, Result]]:
        nonlocal executor
        if tasks and executor is None:
            executor = dispatcher.make_executor(job)
        queue, flying = deque(tasks), deque[tuple[Task, Handle]]()

        def fill() -> None:
            while executor is not None and queue and len(flying) < executor.window:
                task = queue.popleft()
                flying.append((task, executor.submit(Chunk(job, (task,)))))

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


def _present(report: _R | None) -> _R:
    if report is None:
        raise ExportError("a piece of the pack was not laid out")
    return report


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
    """Remove this pack's pieces that it no longer uses (a changed article's old part)."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name.removesuffix(".json")
            if name.startswith(f"{stem}.") and name.endswith(".pdf") and name not in keep:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)

