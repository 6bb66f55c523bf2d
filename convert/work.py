"""The unit of work every executor runs: a chunk of seeds → read, select, export, write.

Everything here is small, picklable and self-contained (the seed's bytes travel with the task;
the job carries the options and the styles' content digest), so the same `run_chunk` runs
in-process (`-j 1`), in a local process pool, or on a Dask worker. A worker keeps its exporters
warm across chunks in a per-process cache. Outputs are written by the worker, atomically: PDF
bytes never travel back through a pipe. The caller records the manifest from the results.
"""

from __future__ import annotations

import contextlib
import re
import signal
import time
import traceback
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from .exporters import REGISTRY, Exporter, ExportError, Options
from .files import write_atomic
from .model import Article
from .select import Selection, Verdict


@dataclass(frozen=True, slots=True)
class Job:
    """What is the same for every seed of a run."""

    formats: tuple[str, ...]
    options: tuple[Options, ...]  # each format's own options, same order
    styles: tuple[str, ...]  # the styles digest per format, same order: part of the warm-cache key
    selection: Selection
    max_bytes: int
    keep_articles: bool = False  # bundles: send each selected article back for assembly


@dataclass(frozen=True, slots=True)
class Task:
    """One seed: its bytes, and which outputs to build from it."""

    index: int  # position in the input order
    display: str  # the path as the user named it, for messages
    source: str  # path relative to its input root: becomes `meta.source`
    data: bytes
    outputs: tuple[tuple[str, str], ...]  # (format, output path) to export and write
    select: bool  # apply the selection (its verdict is not known yet)


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


@dataclass(frozen=True, slots=True)
class Result:
    index: int
    display: str
    verdict: Verdict | None = None  # None when the seed could not be read
    error: str | None = None  # one line: "path:line: reason"
    trace: str | None = None
    warnings: tuple[str, ...] = ()
    outputs: tuple[Outcome, ...] = ()
    article: Article | None = None  # only for bundles
    seconds: float = 0.0  # time spent on it in the worker: the engine sizes chunks from it

    @property
    def failed(self) -> bool:
        return self.error is not None or any(o.error for o in self.outputs)


def run_chunk(chunk: Chunk) -> list[Result]:
    """Convert every seed of a chunk. Never raises for a bad seed or a failing exporter."""
    results = []
    for task in chunk.tasks:
        start = time.perf_counter()
        result = run_task(chunk.job, task)
        results.append(replace(result, seconds=time.perf_counter() - start))
    return results


def run_task(job: Job, task: Task) -> Result:
    # Imported here: the parent (which only plans and records) never needs the reader.
    from .reader import SeedError, SeedWarning, loads

    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SeedWarning)
            article = loads(task.data, source=task.source, max_bytes=job.max_bytes)
    except SeedError as exc:
        where = task.display if exc.line is None else f"{task.display}:{exc.line}"
        said = _warnings(task, caught)
        return Result(task.index, task.display, error=f"{where}: {exc.reason}", warnings=said)
    except Exception as exc:  # a reader bug must not take the batch down
        return Result(
            task.index,
            task.display,
            error=f"{task.display}: cannot read: {type(exc).__name__}: {exc}",
            trace=traceback.format_exc(),
        )
    said = _warnings(task, caught)
    verdict = job.selection.verdict(article) if task.select else Verdict.INCLUDED
    if verdict is not Verdict.INCLUDED:
        return Result(task.index, task.display, verdict, warnings=said)
    outcomes = tuple(_export(job, task, article, fmt, Path(path)) for fmt, path in task.outputs)
    return Result(
        task.index,
        task.display,
        verdict,
        warnings=said,
        outputs=outcomes,
        article=article if job.keep_articles else None,
    )


def _export(job: Job, task: Task, article: Article, fmt: str, path: Path) -> Outcome:
    try:
        data = exporter(job, fmt).export(article)
    except ExportError as exc:
        return Outcome(fmt, str(path), f"{task.display}: {fmt}: {exc}", traceback.format_exc())
    except Exception as exc:  # an exporter (maybe a plugin) failing on one article
        reason = f"{type(exc).__name__}: {exc}"
        return Outcome(fmt, str(path), f"{task.display}: {fmt}: {reason}", traceback.format_exc())
    try:
        write_atomic(path, data)  # only now: a failed export never replaces a good output
    except OSError as exc:
        return Outcome(fmt, str(path), f"{task.display}: {fmt}: cannot write {path}: {exc.strerror or exc}")
    return Outcome(fmt, str(path))


def _warnings(task: Task, caught: list[warnings.WarningMessage]) -> tuple[str, ...]:
    from .reader import SeedWarning

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


def init_worker(job: Job) -> None:
    """Process-pool initializer: Ctrl-C is the parent's to handle; build the exporters now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fmt in job.formats:
        with contextlib.suppress(Exception):  # reported per article, with the seed's name
            exporter(job, fmt)
