"""The unit of work every executor runs: a chunk of seeds → read, select, export, write.

Everything here is small, picklable and self-contained (the seed's bytes travel with the task;
the job carries the options and the styles' content digest), so the same `run_chunk` runs
in-process (`-j 1`), in a local process pool, or on a Dask worker. A worker keeps its exporters
warm across chunks in a per-process cache. Outputs are written by the worker, atomically: PDF
bytes never travel back through a pipe. The caller records the manifest from the results.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import re
import signal
import sys
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from ..collate import Section
from ..exporters import REGISTRY, Exporter, ExportError, Options
from ..exporters.errors import describe
from ..exporters.web.pack import Report, Step
from ..files import holds_seed, write_atomic
from ..model import Article
from ..select import Selection, Verdict
from ..signals import SeedTimeout, passes


def _by_fields(obj: object) -> tuple[type, tuple[object, ...]]:
    """Pickle a work unit as its class and its fields in order. A slotted dataclass's own
    __getstate__ asks `dataclasses.fields()` for every object, both ways: 10 µs per result on
    the parent's side, for every seed."""
    cls = type(obj)
    return cls, tuple([getattr(obj, name) for name in cls.__match_args__])  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Job:
    """What is the same for every seed of a run."""

    formats: tuple[str, ...]
    options: tuple[Options, ...]  # each format's own options, same order
    styles: tuple[str, ...]  # the styles digest per format, same order: part of the warm-cache key
    selection: Selection
    max_bytes: int
    keep_articles: bool = False  # bundles: send each selected article back for assembly
    timeout: float = 0.0  # seconds a seed may take (reading and every format); 0: no limit


@dataclass(frozen=True, slots=True)
class Task:
    """One seed: its bytes, and which outputs to build from it."""

    index: int  # position in the input order
    display: str  # the path as the user named it, for messages
    source: str  # path relative to its input root: becomes `meta.source`
    data: bytes
    outputs: tuple[tuple[str, str], ...]  # (format, output path) to export and write
    select: bool  # apply the selection (its verdict is not known yet)
    part: PartWork | None = None  # not a seed: one part of a PDF pack to lay out (see bundle)

    __reduce__ = _by_fields


@dataclass(frozen=True, slots=True)
class PartWork:
    """A run of a pack's articles (slices of its sections) to lay out into the PDF `target`."""

    format: str
    groups: tuple[Section, ...]
    target: str  # absolute: a cluster worker writes it; its report goes beside it as .json
    step: Step | None = None  # their stamps, a piece of the front matter or its stamps; None: their pages
    # A piece with a `step`: its HTML and added CSS, made where the pack is planned, so its
    # articles (the whole pack's, for the cover) need not travel: `groups` is empty then.
    page: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Chunk:
    job: Job
    tasks: tuple[Task, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One output of one seed: written, or why not."""

    format: str
    path: str
    error: str | None = None  # one line: "path: format: reason"
    trace: str | None = None  # the traceback, shown with --debug

    __reduce__ = _by_fields


@dataclass(frozen=True, slots=True)
class Result:
    index: int
    display: str
    verdict: Verdict | None = None  # None when the seed could not be read
    error: str | None = None  # one line: "path:line: reason"
    trace: str | None = None
    warnings: tuple[str, ...] = ()
    repairs: str = ""  # what reading repaired, for -v: "removed 3 web-widget lines, ..."
    outputs: tuple[Outcome, ...] = ()
    article: Article | None = None  # only for bundles
    area: str | None = None  # the article's area, once read: the engine names the areas it saw
    seconds: float = 0.0  # time spent on it in the worker: the engine sizes chunks from it
    laid: Report | None = None  # a pack's part: what its pages hold

    __reduce__ = _by_fields

    @property
    def failed(self) -> bool:
        return self.error is not None or any(o.error for o in self.outputs)


def run_chunk(chunk: Chunk) -> list[Result]:
    """Convert every seed of a chunk. Never raises for a bad seed or a failing exporter."""
    return [run_one(chunk.job, task) for task in chunk.tasks]


def run_one(job: Job, task: Task) -> Result:
    """Convert one seed. Whatever its conversion raises is its failure, never the run's: only a
    real stop (Ctrl-C, SIGTERM) goes through."""
    start = time.perf_counter()
    try:
        result = run_task(job, task) if task.part is None else lay_out(job, task, task.part)
    except SeedTimeout:
        result = timed_out(task, job.timeout)
    except BaseException as exc:
        if passes(exc):
            raise
        result = Result(task.index, task.display, error=f"{task.display}: {describe(exc)}",
                        trace=_trace())
    return replace(result, seconds=time.perf_counter() - start)


def timed_out(task: Task, timeout: float) -> Result:
    return Result(task.index, task.display, error=f"{task.display}: took longer than {timeout:g} s; skipped")


def _trace() -> str | None:
    try:
        return traceback.format_exc()
    except BaseException:  # out of memory again while formatting: the one line is enough
        return None


def lay_out(job: Job, task: Task, part: PartWork) -> Result:
    """Lay out one part of a PDF pack: its PDF, then its report beside it (`.json`), each whole;
    the report last, so a part with a report is a whole part."""
    made = exporter(job, part.format)
    laid = made.lay_out_part(part.groups, Path(part.target), part.step, part.page)  # type: ignore[attr-defined]
    write_atomic(part.target + ".json", laid.to_json().encode())
    return Result(task.index, task.display, Verdict.INCLUDED, laid=laid)


def run_task(job: Job, task: Task) -> Result:
    # Imported here: the parent (which only plans and records) never needs the reader.
    from ..reader import SeedError, SeedWarning, loads_with_repairs

    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SeedWarning)
            article, repairs = loads_with_repairs(task.data, source=task.source, max_bytes=job.max_bytes)
    except SeedError as exc:
        where = task.display if exc.line is None else f"{task.display}:{exc.line}"
        said = _warnings(task, caught)
        return Result(task.index, task.display, error=f"{where}: {exc.reason}", warnings=said)
    except BaseException as exc:  # a reader bug (or no memory left) must not take the batch down
        if passes(exc):
            raise
        return Result(task.index, task.display, error=f"{task.display}: cannot read: {describe(exc)}",
                      trace=_trace())
    said = _warnings(task, caught)
    repaired = repairs.describe()
    verdict = job.selection.verdict(article) if task.select else Verdict.INCLUDED
    if verdict is not Verdict.INCLUDED:
        return Result(
            task.index, task.display, verdict, warnings=said, repairs=repaired, area=article.meta.area
        )
    outcomes = tuple(_export(job, task, article, fmt, Path(path)) for fmt, path in task.outputs)
    return Result(
        task.index,
        task.display,
        verdict,
        warnings=said,
        repairs=repaired,
        outputs=outcomes,
        article=article if job.keep_articles else None,
        area=article.meta.area,
    )


def _export(job: Job, task: Task, article: Article, fmt: str, path: Path) -> Outcome:
    try:
        data = exporter(job, fmt).export(article)
    except ExportError as exc:
        return Outcome(fmt, str(path), f"{task.display}: {fmt}: {exc}", _trace())
    except BaseException as exc:  # an exporter (maybe a plugin) failing on one article, any way
        if passes(exc):
            raise
        return Outcome(fmt, str(path), f"{task.display}: {fmt}: {describe(exc)}", _trace())
    if holds_seed(path):
        return Outcome(fmt, str(path), f"{task.display}: {fmt}: not written: {path} is a seed file")
    try:
        write_atomic(path, data)  # only now: a failed export never replaces a good output
    except OSError as exc:
        return Outcome(fmt, str(path), f"{task.display}: {fmt}: cannot write {path}: {exc.strerror or exc}")
    return Outcome(fmt, str(path))


def _warnings(task: Task, caught: list[warnings.WarningMessage]) -> tuple[str, ...]:
    from ..reader import SeedWarning

    out = []
    for w in caught:
        if issubclass(w.category, SeedWarning):
            out.append(_unnamed(str(w.message), task))
    return tuple(dict.fromkeys(out))


def _unnamed(message: str, task: Task) -> str:
    """The reader names the file (`x.txt: ...`, `x.txt:7: ...`); the report names it once, as the
    user wrote it, so keep only the line: `line 7: ...`."""
    for name in (task.source, task.display):
        if message.startswith(f"{name}:"):
            rest = message[len(name) + 1 :]
            line = _LINE.match(rest)
            return f"line {line[1]}: {rest[line.end() :]}" if line else rest.lstrip()
    return message


_LINE = re.compile(r"(\d+): ")


# --- warm exporters, one set per process ----------------------------------------------------


def exporter(job: Job, fmt: str) -> Exporter:
    """The warm exporter for `fmt` in this process (the registry's one cache), built on first
    use. Keyed by the styles' content digest as well as the options, so a long-lived worker
    (Dask) never renders with a template that has since changed."""
    i = job.formats.index(fmt)
    return REGISTRY.instance(fmt, job.options[i], job.styles[i])


def init_worker(job: Job, parent: int) -> None:
    """A local pool worker starting: it dies with its parent `parent`, Ctrl-C is the parent's to
    handle (the terminal sends it to the whole group), SIGTERM ends it; build the exporters."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})  # held for the fork
    _die_with(parent)
    # What the worker inherited (the parent's modules, the walk's list of every seed) lives as
    # long as it does: frozen, the collector's full passes skip it, and do not write to its
    # pages (each write copies a page shared with the parent).
    gc.freeze()
    for fmt in job.formats:
        with contextlib.suppress(Exception):  # reported per article, with the seed's name
            exporter(job, fmt)


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """No orphans: a worker whose parent died (even by kill -9) ends at once. Linux signals it
    (prctl PR_SET_PDEATHSIG); elsewhere a thread checks every second that the parent is alive.
    An idle worker also ends when its pipe to the parent closes."""
    watched = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            watched = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before we asked to follow it
        os._exit(1)
    if not watched:
        threading.Thread(target=_watch, args=(parent,), name="parent-alive", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


# --- the time limit inside a process we cannot kill (a cluster worker) ------------------------


def run_limited(job: Job, task: Task) -> Result:
    """`run_one` with the time limit enforced from inside: a timer raises `SeedTimeout` in this
    thread (at its next Python instruction: code stuck inside one C call runs on until it returns).
    The local pool does not need this: it ends the worker process instead."""
    if not job.timeout:
        return run_one(job, task)
    me = threading.get_ident()
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(me), ctypes.py_object(SeedTimeout))

    timer = threading.Timer(job.timeout, expire)
    timer.daemon = True
    try:
        try:
            timer.start()
            return run_one(job, task)
        finally:
            timer.cancel()
            with lock:
                state["armed"] = False
            if state["fired"]:  # raised already, or still pending: make sure it is not raised later
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(me), None)
    except SeedTimeout:  # it fired between the conversion and the line above
        return timed_out(task, job.timeout)
