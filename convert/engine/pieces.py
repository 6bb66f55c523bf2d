"""A big PDF pack made in pieces on the run's executor (the local pool, or the cluster).

How a pack is cut, what each piece is and how they are joined is `convert.exporters.web.pack`
(and `join`); this is the order of work, in four waves, each piece cached by content beside the
pack so a rebuild lays out only what changed:

1. the articles' parts, the cover and the "At a glance" slices (none of them needs a page number);
2. the contents slices (they print page numbers), with the front matter's length as last seen,
   again until the contents agree with it;
3. every piece's stamps (page margins: running header, page number, bookmarks), the piece drawn
   under them where they are laid out;
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
from .executors import Executor, Handle, PoolExecutor, WorkerLost, died
from .work import Chunk, Job, PartWork, Result, Task, exporter

if TYPE_CHECKING:
    from ..exporters.web.pack import Laid, Stamped, Step
    from .record import Recorder

def in_pieces(job: Job, fmt: str, articles: int) -> bool:
    """Is a pack of `articles` in `fmt` laid out in pieces? Not in a format without them, nor in
    a PDF/A or PDF/UA variant (one tagged document), nor under two parts' worth of articles (or
    with CONVERT_PACK_PART=0): those are laid out whole."""
    from ..exporters.web.pack import part_size

    size = part_size()
    if size <= 0 or articles < 2 * size:
        return False
    made = exporter(job, fmt)
    return hasattr(made, "lay_out_part") and getattr(getattr(made, "options", None), "variant", None) is None


def lay_out_pack(job: Job, layouts: Layouts, rec: Recorder, fmt: str, path: Path,
                 fresh: bool = False) -> bool:
    """Make the pack `path` in pieces laid out in parallel; False if it is not made so.
    `fresh` (`--force`): no piece laid out by an earlier run is used."""
    from ..exporters.web.pack import part_size

    if not in_pieces(job, fmt, len(rec.articles)):
        return False
    Pack(job, layouts, rec, fmt, path, part_size(), fresh).make()
    return True


class Pack:
    """One pack being made: its pieces, their cache names and what each reported."""

    def __init__(self, job: Job, layouts: Layouts, rec: Recorder, fmt: str, path: Path, size: int,
                 fresh: bool = False) -> None:
        from ..exporters.shared.view import BundleView
        from ..exporters.web.pack import PARTS_FOLDER, Fronted, front_size, front_slices, part_key, split

        self.job, self.layouts, self.rec, self.fmt, self.path = job, layouts, rec, fmt, path
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
        self.made_pages: dict[Path, tuple[str, str]] = {}  # a piece's target → its HTML and CSS
        self.fresh = fresh  # --force: pieces from earlier runs are not used
        self.laid_now: set[Path] = set()  # the pieces this run lays out

    def make(self) -> None:
        from ..exporters.web.join import merge
        from ..exporters.web.pack import Fronted

        counts, cover, glance = self._first()
        front_pages, contents = self._contents(counts, cover, glance)
        fronts, stamps = self._stamps(front_pages + sum(counts), [cover, *glance, *contents])
        self.layouts.close()  # the workers end before the join
        c = self.counted
        self.rec.reporter.note(f"{self.path}: laid out {c['parts']} of {len(self.parts)} parts, "
                               f"{c['front']} pieces of the front matter, {c['stamps']} of stamps")
        write_atomic(Path(f"{self.seen}.json"), Fronted(front_pages).to_json().encode())
        merge([*fronts, *stamps], self.path)
        kept = {p.name for p in (*self.targets, *self.pieces)} | {p.name for p, _ in (*fronts, *stamps)}
        _forget(self.folder, self.path.stem, kept)

    # --- the waves ------------------------------------------------------------------------------

    def _first(self) -> tuple[list[int], Laid, list[Laid]]:
        """The parts, the cover and "At a glance": each article's page count, their reports."""
        from ..exporters.web.pack import FrontStep, Laid

        body = len(self.parts)
        cover_step = FrontStep("cover", grouped=self.grouped)
        self.cover_at = self._cached_as("cover-", self.whole, cover_step)
        glance_steps = [FrontStep("glance", s.before, s.continues, self.grouped) for s in self.slices]
        self.glance_at = [self._cached_as("glance-", s.groups, g)
                          for s, g in zip(self.slices, glance_steps, strict=True)]
        laid = [self._reuse(t, Laid.from_json) for t in self.targets]
        cover = self._reuse(self.cover_at, Laid.from_json)
        glance = [self._reuse(t, Laid.from_json) for t in self.glance_at]
        todo = [self._work(body + k, f"at a glance {k + 1}", s.groups, self.glance_at[k], glance_steps[k])
                for k, s in enumerate(self.slices) if glance[k] is None]
        missing = [i for i, known in enumerate(laid) if known is None]
        missing.sort(key=lambda i: -self.parts[i].count)  # the biggest first: no core waits at the end
        todo += [self._work(i, f"part {i + 1}", self.parts[i].groups, self.targets[i]) for i in missing]
        if cover is None:
            todo.append(self._work(-1, "cover", self.whole, self.cover_at, cover_step))
        self.counted["parts"] = len(missing)
        self.counted["front"] += len(todo) - len(missing)
        for task, result in self.layouts(todo):
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

    def _contents(self, counts: list[int], cover: Laid, glance: list[Laid]) -> tuple[int, list[Laid]]:
        """The contents, numbered from the front matter's length: as last seen, else a guess
        (contents as long as "At a glance"), again until the contents agree with it. Returns that
        length and the contents slices' reports."""
        from ..exporters.web.pack import FrontStep, Laid

        ahead = len(cover.articles[0]) + sum(len(g.articles[0]) for g in glance)  # before the contents
        front_pages = self.guess.pages if self.guess else 2 * ahead - len(cover.articles[0])
        first = len(self.parts) + len(self.slices)  # the contents' task numbers
        for _ in range(4):
            firsts, at = [], front_pages + 1  # each article's first page
            for pages in counts:
                firsts.append(at)
                at += pages
            steps = [FrontStep("contents", s.before, s.continues, self.grouped,
                               tuple(firsts[s.before : s.before + s.count])) for s in self.slices]
            self.contents_at = [self._cached_as("contents-", s.groups, c)
                                for s, c in zip(self.slices, steps, strict=True)]
            contents = [self._reuse(t, Laid.from_json) for t in self.contents_at]
            todo = [self._work(first + k, f"contents {k + 1}", s.groups, self.contents_at[k], steps[k])
                    for k, s in enumerate(self.slices) if contents[k] is None]
            self.counted["front"] += len(todo)
            for task, result in self.layouts(todo):
                if isinstance(result.laid, Laid):
                    contents[task.index - first] = result.laid
            laid_front = ahead + sum(len(_present(c).articles[0]) for c in contents)
            if laid_front == front_pages:
                return front_pages, [_present(c) for c in contents]
            front_pages = laid_front
        raise ExportError("the pack's front matter does not settle on a page count")

    def _stamps(self, total: int, front: list[Laid]
                ) -> tuple[list[tuple[Path, Stamped]], list[tuple[Path, Stamped]]]:
        """Every piece's stamps, with the piece drawn under them: the front matter's (`front`:
        the cover, "At a glance" and contents slices' reports, in order) and each part's. Each is
        keyed by what it is laid out from and the piece drawn under it: unchanged text, numbers
        and bookmarks are not laid out again. Returns the finished front pieces and parts."""
        from ..exporters.web.pack import FrontStamps, Stamped, StampStep

        kinds = ["cover"] + ["glance"] * len(self.slices) + ["contents"] * len(self.slices)
        groups = [self.whole, *(s.groups for s in self.slices), *(s.groups for s in self.slices)]
        self.pieces = [self.cover_at, *self.glance_at, *self.contents_at]
        steps: list[FrontStamps | StampStep] = []
        page = 1
        for kind, at, report in zip(kinds, self.pieces, front, strict=True):
            marks = report.articles[0]
            steps.append(FrontStamps(tuple((kind, m) for m in marks), page, total, str(at)))
            page += len(marks)
        before = 0  # articles before each part
        for i, part in enumerate(self.laid):
            under = str(self.targets[i])
            steps.append(StampStep(part.articles, page, total, before, self._continues(i), under))
            page += part.pages
            before += len(part.articles)
        groups += [p.groups for p in self.parts]
        targets = [self._cached_as("front-" if k < len(kinds) else "stamps-", g, step)
                   for k, (g, step) in enumerate(zip(groups, steps, strict=True))]
        done = [self._reuse(t, Stamped.from_json) for t in targets]
        first = len(self.parts) + 2 * len(self.slices)  # their task numbers
        todo = [self._work(first + k, f"stamps {k + 1}", groups[k], targets[k], steps[k])
                for k in range(len(steps)) if done[k] is None]
        self.counted["stamps"] += len(todo)
        for task, result in self.layouts(todo):
            if isinstance(result.laid, Stamped):
                done[task.index - first] = result.laid
        finished = [(t, _present(d)) for t, d in zip(targets, done, strict=True)]
        return finished[: len(kinds)], finished[len(kinds) :]

    # --- helpers --------------------------------------------------------------------------------

    def _continues(self, i: int) -> bool:
        """Does part `i` start inside the group the part before ends in (its bookmark is there)?"""
        return i > 0 and _group(self.parts[i - 1].groups[-1]) == _group(self.parts[i].groups[0])

    def _reuse(self, target: Path, read: Callable[[str], _R]) -> _R | None:
        """The report of a piece laid out before, or None: with `fresh`, only this run's."""
        if self.fresh and target not in self.laid_now:
            return None
        return _cached(target, read)

    def _work(self, index: int, what: str, groups: tuple[Section, ...], target: Path,
              step: Step | None = None) -> Task:
        """A piece to lay out: a body part from its articles; any other piece from the page made
        here for its cache name, without its articles (a worker's memory does not grow with the
        pack, as it would for the cover's, which are all of them)."""
        self.laid_now.add(target)
        if step is None:
            piece = PartWork(self.fmt, groups, str(target))
        else:
            piece = PartWork(self.fmt, (), str(target), step, self.made_pages[target])
        return Task(index, f"{self.path} ({what})", "", b"", (), False, piece)

    def _cached_as(self, kind: str, groups: tuple[Section, ...], step: Step) -> Path:
        from ..exporters.web.pack import piece_key

        html, css = self.made.piece_html(groups, step)  # type: ignore[attr-defined]
        target = self.folder / f"{self.path.stem}.{kind}{piece_key(self.stamp, html, css, step)}.pdf"
        self.made_pages[target] = (html, css)
        return target


class Layouts:
    """Where a pack's pieces are laid out: the run's executor, made once, when first needed or
    at `start`. Called with tasks, it yields each with its result, a window at a time. Nothing is
    laid out in this process: it only joins the finished pages, so its memory stays small."""

    def __init__(self, job: Job, dispatcher: Dispatcher) -> None:
        self.job = job
        self.dispatcher = dispatcher
        self.executor: Executor | None = None

    def start(self) -> None:
        """Make the executor now. Started before the seeds are read, the local pool forks its
        workers while this process is small: forked later, each would carry every article
        read (about 20 MB at 2,000 articles), and a bigger pack would need more memory."""
        if self.executor is None:
            self.executor = self.dispatcher.make_executor(self.job)
            if isinstance(self.executor, PoolExecutor):
                self.executor.start()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.close(cancel=True)
            self.executor = None

    def __enter__(self) -> Layouts:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __call__(self, tasks: list[Task]) -> Iterator[tuple[Task, Result]]:
        if tasks:
            self.start()
        executor, job = self.executor, self.job
        queue, flying = deque(tasks), deque[tuple[Task, Handle]]()
        while queue or flying:
            while executor is not None and queue and len(flying) < executor.window:
                task = queue.popleft()
                flying.append((task, executor.submit(Chunk(job, (task,)))))
            task, handle = flying.popleft()
            try:
                (result,) = handle.result()
            except WorkerLost:
                result = died(task)
            if result.error is not None:  # it names the piece: "pack.pdf (part 3): ..."
                raise ExportError(result.error)
            yield task, result


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

