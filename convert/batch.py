"""The batch engine: discover → read → select → export → write, for every format at once.

One code path decides what to build: the walk, the output names, the incremental manifest and
the selection cache all live here, in the parent process. The seeds that need work travel as
small self-contained chunks (`convert.work`) to an executor (`convert.executors`: in-process,
a local pool, or a cluster); results come back in input order and the parent records them in
the manifest. Up-to-date outputs are found before any worker starts, by hashing each input
once, so a rerun with nothing to do never starts a pool or imports an exporter's engine.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from .discover import Source, WalkStats, output_stem, walk
from .executors import Executor, ExecutorFactory, Handle, InlineExecutor, WorkerLost, local
from .exporters import REGISTRY, ExportError, get
from .files import write_atomic
from .limits import MAX_BYTES, too_large
from .manifest import Manifest, Stamp, input_hash
from .model import Article
from .outputs import bundle_paths, clean_temp
from .report import Reporter, Summary
from .select import Selection, Verdict
from .work import Chunk, Job, Result, Task, exporter


@dataclass(slots=True)
class Config:
    """One run, as the command line or a script describes it."""

    formats: tuple[str, ...]
    paths: tuple[Path, ...]
    out: Path = Path("out")
    settings: dict[str, Any] = field(default_factory=dict)  # width, title...: each format takes its own
    selection: Selection = field(default_factory=Selection)
    bundle: Path | None = None  # one output per format holding every selected article
    jobs: int = 0  # 0: every core
    force: bool = False
    fail_fast: bool = False
    max_bytes: int = MAX_BYTES
    follow_links: bool = False
    chunk_size: int = 0  # seeds per work unit; 0: sized from the measured cost (~0.25 s each)


CHUNK_SECONDS = 0.25


class StartError(Exception):
    """An exporter cannot even be built (a bad option, a missing library): nothing would convert."""


class Batch:
    """One run of the engine. `run()` returns the summary; the reporter hears the details."""

    def __init__(
        self, config: Config, reporter: Reporter | None = None, executor: ExecutorFactory | None = None
    ) -> None:
        from . import __version__

        self.config = config
        self.reporter = reporter or Reporter()
        jobs = config.jobs or os.cpu_count() or 1
        self.make_executor = executor or local(jobs)
        self.summary = Summary(selection=config.selection)
        self.classes = {fmt: get(fmt) for fmt in config.formats}
        exts = [cls.extension for cls in self.classes.values()]
        if len(set(exts)) != len(exts):
            raise ValueError(f"formats {', '.join(config.formats)} share a file extension")
        settings = dict(config.settings)
        if settings.get("styles") is not None:
            # Absolute paths in the work units: a worker elsewhere (a cluster) has another cwd.
            settings["styles"] = Path(settings["styles"]).absolute()
        # Each format's own options, validated once here (OptionError: a usage error).
        self.options = REGISTRY.options(config.formats, settings)
        self.digests = tuple(
            self.options[fmt].theme.digest(tuple(getattr(cls, "style_files", ())))
            for fmt, cls in self.classes.items()
        )
        # A stamp covers the exporter's own options only: --width never rebuilds a PDF, and a
        # bundle's title counts for bundles only.
        bundled = config.bundle is not None
        self.stamps = {
            fmt: (fmt, str(getattr(cls, "version", "0")), digest, self.options[fmt].fingerprint(bundled),
                  __version__)
            for (fmt, cls), digest in zip(self.classes.items(), self.digests, strict=True)
        }
        self.bundles = bundle_paths(config.bundle, config.formats) if config.bundle else None
        self.out = config.out.absolute()
        self.job = Job(
            config.formats, tuple(self.options.values()), self.digests, config.selection, config.max_bytes,
            keep_articles=self.bundles is not None,
        )
        self.filter_fp = config.selection.fingerprint()
        folder = config.bundle.parent if config.bundle else config.out
        self.manifest = Manifest(folder)
        self._say_manifest_problems()
        self.walk_stats = WalkStats()
        self.stop = False
        self._context: dict[int, tuple[str, str, bool]] = {}  # task index → (hash, source, select)
        self._claimed: dict[str, str] = {}  # output name without extension → the seed that has it
        self._cleaned: set[Path] = set()
        self._articles: list[Article] = []
        self._combined = hashlib.sha256()  # bundles: over every input, in order
        self._seconds = 0.0  # worker time over the seeds timed so far, for sizing chunks
        self._timed = 0

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> Summary:
        start = time.perf_counter()
        try:
            if self.bundles is None:
                if self.reporter.wants_total:
                    self.reporter.total(sum(1 for _ in self._walk(WalkStats())))
                self._dispatch(self._plan_outputs())
            else:
                self._run_bundles()
        except KeyboardInterrupt:
            self.summary.interrupted = True
        finally:
            self.manifest.close()
            self.summary.skipped_links = self.walk_stats.symlinks
            self.summary.elapsed = time.perf_counter() - start
        return self.summary

    def _walk(self, stats: WalkStats) -> Iterator[Source]:
        c = self.config
        exclude = list(self.bundles.values()) if self.bundles else [c.out]  # never read our outputs back
        return walk(c.paths, follow_links=c.follow_links, exclude=exclude, stats=stats)

    def _read(self, source: Source) -> bytes | None:
        limit = self.config.max_bytes
        try:
            with open(source.path, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                if size <= limit:
                    # a file that grows meanwhile is cut at limit + 1: the reader refuses it then
                    return fh.read(limit + 1)
        except OSError as exc:
            self._fail(source.display, f"{source.display}: cannot read: {exc.strerror or exc}")
            self.reporter.advance()
            return None
        # Refused here, with its real size, before reading it: the reader would only see the
        # limit + 1 bytes read.
        self._fail(source.display, f"{source.display}: {too_large(size, limit)}")
        self.reporter.advance()
        return None

    # --- one output per seed ---------------------------------------------------------------------

    def _plan_outputs(self) -> Iterator[Task]:
        """Yield a task for each seed with something to build; settle the others here."""
        c, sel, m = self.config, self.config.selection, self.manifest
        for index, source in enumerate(self._walk(self.walk_stats)):
            try:
                stem = output_stem(source.rel)
            except ValueError as exc:
                self._fail(source.display, f"{source.display}: {exc}")
                self.reporter.advance()
                continue
            if stem in self._claimed:
                self._fail(source.display, f"{source.display}: its output would overwrite the one "
                           f"from {self._claimed[stem]} ({c.out / stem}.*)")
                self.reporter.advance()
                continue
            self._claimed[stem] = source.display
            data = self._read(source)
            if data is None:
                continue
            digest = input_hash(data)
            verdict = (Verdict.INCLUDED if not sel.active
                       else None if c.force else m.verdict(digest, self.filter_fp))
            if verdict in (Verdict.EXCLUDED, Verdict.UNDATED):
                self._count_verdict(verdict)
                self.reporter.advance()
                continue
            todo = []
            for fmt, cls in self.classes.items():
                key = f"{stem}.{cls.extension}"
                if c.force or not m.up_to_date(key, Stamp(digest, *self.stamps[fmt])):
                    todo.append((fmt, str(self.out / key)))
            if not todo and verdict is Verdict.INCLUDED:
                self.summary.up_to_date += 1
                self.reporter.advance()
                continue
            for _, path in todo:
                self._clean_once(Path(path).parent)
            self._context[index] = (digest, source.rel.as_posix(), verdict is None)
            yield Task(index, source.display, source.rel.as_posix(), data, tuple(todo), verdict is None)

    def _clean_once(self, folder: Path) -> None:
        # Before this run first writes into a folder: no task of this run has written there yet.
        if folder not in self._cleaned:
            self._cleaned.add(folder)
            clean_temp(folder)

    # --- dispatch ----------------------------------------------------------------------------

    def _chunks(self, tasks: Iterator[Task]) -> Iterator[Chunk]:
        batch: list[Task] = []
        for task in tasks:
            batch.append(task)
            if len(batch) >= self._chunk_size():
                yield Chunk(self.job, tuple(batch))
                batch = []
        if batch:
            yield Chunk(self.job, tuple(batch))

    def _chunk_size(self) -> int:
        """Big enough that sending a chunk costs nothing next to running it, small enough that
        the last chunks do not leave a core idle: about a quarter of a second of work each
        (a PDF is ~0.1 s, a bulletin a few ms), measured as the run goes."""
        if self.config.fail_fast:
            return 1
        if self.config.chunk_size:
            return self.config.chunk_size
        if self._timed < 4:
            return 4
        per_task = self._seconds / self._timed
        return max(1, min(64, round(CHUNK_SECONDS / max(per_task, 1e-6))))

    def _dispatch(self, tasks: Iterator[Task]) -> None:
        """Run the chunks, keeping a window in flight, taking results in input order."""
        chunks = self._chunks(tasks)
        queue: deque[Chunk] = deque(c for c in (next(chunks, None), next(chunks, None)) if c)
        if not queue:
            return
        self._preflight()
        # A single chunk is not worth starting a pool for.
        executor: Executor = self.make_executor(self.job) if len(queue) > 1 else InlineExecutor()
        suspects: deque[Chunk] = deque()  # seeds to rerun one by one after a worker died
        pending: deque[tuple[Chunk, Handle, bool]] = deque()
        try:
            while not self.stop:
                if suspects:  # one at a time, so a death names its seed
                    if not pending:
                        chunk = suspects.popleft()
                        pending.append((chunk, self._submit(executor, chunk), True))
                else:
                    while len(pending) < executor.window:
                        chunk = queue.popleft() if queue else next(chunks, None)
                        if chunk is None:
                            break
                        pending.append((chunk, self._submit(executor, chunk), False))
                if not pending:
                    break
                chunk, handle, suspect = pending.popleft()
                try:
                    results = handle.result()
                except WorkerLost:
                    lost = [chunk] + [c for c, _, _ in pending]
                    pending.clear()
                    executor.restart()
                    if suspect:
                        self._take([self._died(chunk.tasks[0])])
                        lost = lost[1:]
                    singles = [Chunk(self.job, (t,)) for c in lost for t in c.tasks]
                    suspects.extendleft(reversed(singles))
                    continue
                self._take(results)
        except KeyboardInterrupt:
            self.summary.interrupted = True
            for _, handle, _ in pending:
                handle.cancel()
        finally:
            executor.close(cancel=True)

    def _preflight(self) -> None:
        """Build each exporter here once there is work for it: a bad option is one clear error,
        not one per seed. Forked pool workers inherit these warm instances; a run with nothing
        to do never gets here, so it never imports an exporter's engine. The reader is imported
        here too, for the same reason: each worker would otherwise import it anew."""
        import_module("convert.reader")
        for fmt in self.config.formats:
            try:
                exporter(self.job, fmt)
            except ExportError as exc:
                raise StartError(str(exc)) from None

    @staticmethod
    def _submit(executor: Executor, chunk: Chunk) -> Handle:
        try:
            return executor.submit(chunk)
        except WorkerLost:
            executor.restart()
            return executor.submit(chunk)

    @staticmethod
    def _died(task: Task) -> Result:
        reason = "the worker process died while converting it (a crash, or out of memory)"
        return Result(task.index, task.display, error=f"{task.display}: {reason}")

    def _take(self, results: list[Result]) -> None:
        """Record a chunk's results: manifest, counts, messages."""
        m = self.manifest
        for r in results:
            self._seconds += r.seconds
            self._timed += 1
            digest, source, select = self._context.pop(r.index)
            if r.warnings:  # one line per file
                self.reporter.warning(f"{r.display}: warning: {'; '.join(r.warnings)}")
            if r.error is not None:
                self._fail(r.display, r.error, r.trace)
            else:
                if select and r.verdict is not None:
                    m.record_verdict(digest, self.filter_fp, r.verdict)
                if r.verdict is not Verdict.INCLUDED:
                    self._count_verdict(r.verdict)
                else:
                    self._take_outputs(r, digest, source)
            self.reporter.advance()
            if self.stop:
                break
        m.commit()
        self._say_manifest_problems()

    def _say_manifest_problems(self) -> None:
        while self.manifest.said:
            self.reporter.warning(f"warning: {self.manifest.said.pop(0)}")

    def _take_outputs(self, r: Result, digest: str, source: str) -> None:
        s = self.summary
        failed = False
        for o in r.outputs:
            if o.error is not None:
                self._fail(r.display, o.error, o.trace)
                failed = True
                continue
            key = Path(o.path).relative_to(self.out)
            path = self.config.out / key  # as the user named the folder
            self.manifest.record(key.as_posix(), source,
                                 Stamp(digest, *self.stamps[o.format]))
            s.outputs += 1
            self.reporter.wrote(path)
        if r.article is not None:
            self._articles.append(r.article)
        elif not failed:
            if r.outputs:
                s.converted += 1
            else:
                s.up_to_date += 1

    def _count_verdict(self, verdict: Verdict | None) -> None:
        if verdict is Verdict.UNDATED:
            self.summary.undated += 1
        elif verdict is Verdict.EXCLUDED:
            self.summary.excluded += 1

    def _fail(self, display: str, line: str, trace: str | None = None) -> None:
        self.reporter.error(line, trace)
        if display not in self.summary.failures:
            self.summary.failures[display] = line
            self.summary.failed += 1
        if self.config.fail_fast:
            self.stop = True

    # --- bundles -----------------------------------------------------------------------------

    def _run_bundles(self) -> None:
        """Bundles: hash every input first; if every bundle is up to date, stop there. Else read
        and select in the workers, send the articles back, assemble each bundle here."""
        assert self.bundles is not None
        c, m, s = self.config, self.manifest, self.summary
        sources: list[tuple[Source, str]] = []
        combined = hashlib.sha256(self.filter_fp.encode())
        for source in self._walk(self.walk_stats):
            data = self._read(source)
            if data is not None:
                digest = input_hash(data)
                sources.append((source, digest))
                combined.update(f"{source.rel.as_posix()}\0{digest}\0".encode())
        self.reporter.total(len(sources) + s.failed)
        stale = {fmt: path for fmt, path in self.bundles.items()
                 if c.force or not m.up_to_date(path.name, Stamp(combined.hexdigest(), *self.stamps[fmt]))}
        if not stale:
            for _, digest in sources:
                verdict = m.verdict(digest, self.filter_fp) if c.selection.active else Verdict.INCLUDED
                if verdict is Verdict.INCLUDED:
                    s.up_to_date += 1
                else:
                    self._count_verdict(verdict)
            self.reporter.advance(len(sources))
            return
        self._combined.update(self.filter_fp.encode())
        self._dispatch(self._plan_bundle(sources))
        if self.stop or s.interrupted:
            return
        if not self._articles:
            self._fail(str(c.bundle), f"{c.bundle}: no articles selected; nothing written")
            return
        for fmt, path in stale.items():
            self._assemble(fmt, path)

    def _plan_bundle(self, sources: list[tuple[Source, str]]) -> Iterator[Task]:
        select = self.config.selection.active
        for index, (source, _) in enumerate(sources):
            data = self._read(source)
            if data is None:
                continue
            digest = input_hash(data)  # as read now: the stamp must describe what we bundled
            self._combined.update(f"{source.rel.as_posix()}\0{digest}\0".encode())
            self._context[index] = (digest, source.rel.as_posix(), select)
            yield Task(index, source.display, source.rel.as_posix(), data, (), select)

    def _assemble(self, fmt: str, path: Path) -> None:
        display = str(path)
        try:
            data = exporter(self.job, fmt).export_bundle(self._articles)
            self._clean_once(path.parent)
            write_atomic(path, data)
        except Exception as exc:
            import traceback

            reason = str(exc) if isinstance(exc, ExportError) else f"{type(exc).__name__}: {exc}"
            self._fail(display, f"{display}: {fmt}: {reason}", traceback.format_exc())
            return
        self.summary.outputs += 1
        self.reporter.wrote(path)
        if not self.summary.failed:  # a bundle missing a failed seed is redone next time
            self.manifest.record(path.name, "(bundle)", Stamp(self._combined.hexdigest(), *self.stamps[fmt]))
        self.summary.converted = len(self._articles)


def convert_paths(
    paths: str | Path | Sequence[str | Path],
    formats: str | Sequence[str] = "txt",
    out: str | Path = "out",
    *,
    bundle: str | Path | None = None,
    selection: Selection | None = None,
    jobs: int = 0,
    force: bool = False,
    fail_fast: bool = False,
    max_bytes: int = MAX_BYTES,
    follow_links: bool = False,
    reporter: Reporter | None = None,
    **options: object,
) -> Summary:
    """Convert seed files and folders, as the command line does; returns the summary.

    `formats` is a name, a comma list or `all` (or a list of names); `options` are the
    settings each format takes what it declares from (width, ascii, title, pdf_variant, styles,
    fetch_images; a plugin's own). Incremental like the CLI: outputs already up to date in
    `out` are skipped unless `force`.
    """
    from .exporters import registry

    names = formats.split(",") if isinstance(formats, str) else list(formats)
    every = sorted(registry())
    resolved = tuple(dict.fromkeys(n for name in names for n in (every if name == "all" else [name])))
    REGISTRY.check_settings(resolved, options)  # `widht=66` is a TypeError, not silently nothing
    config = Config(
        formats=resolved,
        paths=tuple(Path(p) for p in ([paths] if isinstance(paths, str | Path) else paths)),
        out=Path(out),
        settings=dict(options),
        selection=selection or Selection(),
        bundle=Path(bundle) if bundle is not None else None,
        jobs=jobs,
        force=force,
        fail_fast=fail_fast,
        max_bytes=max_bytes,
        follow_links=follow_links,
    )
    return Batch(config, reporter).run()
