"""The batch engine: discover → read → select → export → write, for every format at once.

One code path decides what to build: the walk, the output names, the incremental manifest and
the selection cache all live here, in the parent process. The seeds that need work travel as
small self-contained chunks (`convert.work`) to an executor (`convert.executors`: in-process,
a local pool, or a cluster); results come back in input order and the parent records them in
the manifest. Up-to-date outputs are found before any worker starts, from each input's hash
(read from the manifest's stat cache when the file's stat is unchanged, so such a seed is not
even read), so a rerun with nothing to do never starts a pool or imports an exporter's engine.
The inputs are walked once, by the path guard, and planned from that list.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path

from . import styles as _styles
from .discover import Source, WalkStats, output_stem, walk
from .executors import Executor, ExecutorFactory, Handle, WorkerLost, died, local
from .exporters import ExportError, OptionError, Options, get
from .files import write_atomic
from .guard import Found, PathError, check_bundles, check_inputs, check_roots, same_place
from .limits import MAX_BYTES, TIMEOUT, read_at_most, too_large
from .manifest import FILENAME as MANIFEST
from .manifest import Manifest, Stamp, input_hash
from .model import Article
from .outputs import bundle_paths, clean_temp, options_fingerprint
from .report import Reporter, Summary
from .select import Selection, Verdict, area_warning
from .signals import Stopped, deferred, handled, passes
from .work import Chunk, Job, Result, Task, exporter


@dataclass(slots=True)
class Config:
    """One run, as the command line or a script describes it."""

    formats: tuple[str, ...]
    paths: tuple[Path, ...]
    out: Path = Path("out")
    options: Options = field(default_factory=Options)
    selection: Selection = field(default_factory=Selection)
    bundle: Path | None = None  # one output per format holding every selected article
    jobs: int = 0  # 0: every core
    force: bool = False
    fail_fast: bool = False
    max_bytes: int = MAX_BYTES
    follow_links: bool = False
    chunk_size: int = 0  # seeds per work unit; 0: sized from the measured cost (~0.25 s each)
    timeout: float = TIMEOUT  # seconds a seed may take; 0: no limit (and -j 1 runs in this process)


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
        self.make_executor = executor or local(jobs, config.timeout)
        self._local = executor is None
        self.summary = Summary(selection=config.selection)
        self.classes = {fmt: get(fmt) for fmt in config.formats}
        exts = [cls.extension for cls in self.classes.values()]
        if len(set(exts)) != len(exts):
            raise ValueError(f"formats {', '.join(config.formats)} share a file extension")
        self.bundles = bundle_paths(config.bundle, config.formats) if config.bundle else None
        folder = config.bundle.parent if config.bundle else config.out
        for path in (self.bundles or {}).values():
            if same_place(path, folder / MANIFEST):  # before the manifest is even opened
                raise PathError(f"the bundle {path} would replace the manifest {folder / MANIFEST}")
        # Absolute paths in the work units: a worker elsewhere (a cluster) has another cwd.
        self.out = config.out.absolute()
        self._prefix = os.path.join(str(self.out), "")  # output paths are this + their key
        self._exts = [(fmt, cls.extension) for fmt, cls in self.classes.items()]
        self.filter_fp = config.selection.fingerprint()
        # Every input walked and every output planned before the manifest is even opened: a
        # run whose outputs would replace its inputs is refused here, having touched nothing.
        checking = time.perf_counter()
        self._walk_started = time.time_ns()  # the walk's stats are no older: see remember_hash
        self._cwd = os.getcwd()
        self.found = self._check_paths(folder / MANIFEST)
        self._check_seconds = time.perf_counter() - checking  # part of the run's time
        self.manifest = Manifest(folder)
        self._say_manifest_problems()
        try:  # style files are hashed through the manifest's stat cache, like seeds
            _styles._digest.cache_clear()  # style files may have changed since the last run
            theme = config.options.theme
            self.digests = tuple(theme.digest(tuple(getattr(cls, "style_files", ())), self.manifest.file_hash)
                                 for cls in self.classes.values())
        except BaseException:
            self.manifest.close()
            raise
        self.stamps = {
            fmt: (fmt, str(getattr(cls, "version", "0")), digest, options_fingerprint(cls, config.options),
                  __version__)
            for (fmt, cls), digest in zip(self.classes.items(), self.digests, strict=True)
        }
        options = config.options
        if options.styles is not None:
            options = replace(options, styles=options.styles.absolute())
        self.job = Job(
            config.formats, options, self.digests, config.selection, config.max_bytes,
            keep_articles=self.bundles is not None, timeout=config.timeout,
        )
        self.walk_stats = self._walked
        self.stop = False
        self._context: dict[int, tuple[str, str, bool]] = {}  # task index → (hash, source, select)
        self._claimed: dict[str, str] = {}  # output name without extension → the seed that has it
        self._cleaned: set[str] = set()
        self._articles: list[Article] = []
        self._combined = hashlib.sha256()  # bundles: over every input, in order
        self._seconds = 0.0  # worker time over the seeds timed so far, for sizing chunks
        self._timed = 0
        self._included = 0  # seeds the selection kept (converted, up to date, or failed to export)
        self._areas_unknown = False  # a cached verdict without its area: no --area hint then

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> Summary:
        """The whole run. Ctrl-C or SIGTERM stop it: what came back is recorded, the summary says
        so (`interrupted`, `signal`) and is returned as usual."""
        start = time.perf_counter() - self._check_seconds
        # Run from the library, a SIGTERM ends the program as usual once the run is cleaned up
        # (the command line handles it around this call, to print the summary and exit 143).
        with handled(resend=True):
            try:
                if not self._found_seeds():
                    return self.summary
                if self.bundles is None:
                    self.reporter.total(self.found.total)
                    self._dispatch(self._plan_outputs())
                else:
                    self._run_bundles()
                if not (self.stop or self.summary.interrupted):
                    self._say_selection()
            except KeyboardInterrupt as exc:
                self._interrupted(exc)
            finally:
                self.manifest.commit()  # what no result committed: the stat cache of a no-op run
                self._say_manifest_problems()
                self.manifest.close()
                self.summary.skipped_links = self.walk_stats.symlinks
                self.summary.elapsed = time.perf_counter() - start
        return self.summary

    def _found_seeds(self) -> bool:
        """Say which paths given hold no seeds; with none at all there is nothing to run."""
        s = self.summary
        s.found = self.found.total
        empty = [str(p) for p, n in self.found.per_path.items() if not n]
        if not self.found.total:  # (its skipped links may be why: the summary names them)
            s.problems.append(f"no seeds found under {', '.join(empty)}")
            self.reporter.error(s.problems[-1], None)
            return False
        for path in empty:
            self.reporter.warning(f"warning: no seeds found under {path}")
        return True

    def _check_paths(self, manifest: Path) -> Found:
        """Walk every input and plan every output before anything is written: an output that
        would be an input, or an input folder the run would write into, is a PathError."""
        c = self.config
        extra = [("the manifest", manifest)]
        if self.bundles is None:
            check_roots(c.paths, c.out)
            exclude: list[Path] = [c.out]
        else:
            check_bundles(self.bundles.values(), c.paths)
            exclude = []  # a bundle the walk would meet must count as an input here, to be refused
            extra += [("the bundle", p) for p in self.bundles.values()]

        self._walked = WalkStats()

        def walk_one(root: Path) -> Iterator[Source]:
            return walk([root], follow_links=c.follow_links, exclude=exclude, stats=self._walked)

        return check_inputs(c.paths, walk_one, self._planned, extra)

    def _planned(self, source: Source) -> tuple[str, list[str]]:
        """The folder and names of the per-seed outputs of `source` (none for bundles)."""
        if self.bundles is not None:
            return "", []
        try:
            stem = output_stem(source.relative)
        except ValueError:  # refused when the run plans it
            return "", []
        folder, _, base = f"{self.config.out}/{stem}".rpartition("/")
        return folder, [f"{base}.{ext}" for _, ext in self._exts]

    def _read(self, source: Source) -> bytes | None:
        limit = self.config.max_bytes
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
        """Yield a task for each seed with something to build; settle the others here. A seed
        whose stat is the one recorded with its hash is not read unless it has work to do."""
        c, m = self.config, self.manifest
        for index, source in enumerate(self.found.sources):
            try:
                stem = output_stem(source.relative)
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
            where = self._absolute(source.location)
            digest = None
            if not c.force and source.stat is not None and source.stat[0] <= c.max_bytes:
                digest = m.known_hash(where, source.stat)
            if digest is not None:
                verdict, todo = self._decide(stem, digest)
                if self._settled(digest, verdict, todo):
                    continue
            data = self._read(source)
            if data is None:
                continue
            fresh = input_hash(data)
            if source.stat is not None:
                m.remember_hash(where, source.stat, fresh, self._walk_started)
            if fresh != digest:  # not known, or (a clock gone wrong) known wrongly
                digest = fresh
                verdict, todo = self._decide(stem, digest)
                if self._settled(digest, verdict, todo):
                    continue
            for _, path in todo:
                self._clean_once(os.path.dirname(path))
            self._context[index] = (digest, source.relative, verdict is None)
            yield Task(index, source.display, source.relative, data, tuple(todo), verdict is None)

    def _absolute(self, location: str) -> str:
        """The stat cache's key for a seed: its path from /, as the walk spelt it (not normalised:
        the same spelling next time finds it; another only costs a hash)."""
        return location if location.startswith("/") else f"{self._cwd}/{location}"

    def _decide(self, stem: str, digest: str) -> tuple[Verdict | None, list[tuple[str, str]]]:
        """The seed's cached selection verdict (None: to be selected when read), and the outputs
        (format, path) to build from these input bytes."""
        c, sel, m = self.config, self.config.selection, self.manifest
        verdict = (Verdict.INCLUDED if not sel.active
                   else None if c.force else m.verdict(digest, self.filter_fp))
        if verdict in (Verdict.EXCLUDED, Verdict.UNDATED):
            return verdict, []
        folder, _, base = f"{c.out}/{stem}".rpartition("/")
        there = self.found.existing.get(folder)  # the guard's listing of the output folder
        todo = []
        for fmt, ext in self._exts:
            key = f"{stem}.{ext}"
            exists = None if there is None else f"{base}.{ext}" in there
            if c.force or not m.up_to_date(key, Stamp(digest, *self.stamps[fmt]), exists):
                todo.append((fmt, self._prefix + key))
        return verdict, todo

    def _settled(self, digest: str, verdict: Verdict | None, todo: list[tuple[str, str]]) -> bool:
        """Count a seed with nothing to build (excluded, or up to date); False if it has work."""
        if verdict is not None and self.config.selection.areas:
            self._cached_area(digest)
        if verdict in (Verdict.EXCLUDED, Verdict.UNDATED):
            self._count_verdict(verdict)
        elif not todo and verdict is Verdict.INCLUDED:
            self.summary.up_to_date += 1
            self._included += 1
        else:
            return False
        self.reporter.advance()
        return True

    def _clean_once(self, folder: str) -> None:
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
        (a PDF is ~0.1 s, a bulletin a few ms), measured as the run goes. One seed a chunk until
        then: a handful of seeds is spread over every worker, not run by the first one alone."""
        if self.config.fail_fast:
            return 1
        if self.config.chunk_size:
            return self.config.chunk_size
        if self._timed < 4:
            return 1
        per_task = self._seconds / self._timed
        return max(1, min(64, round(CHUNK_SECONDS / max(per_task, 1e-6))))

    def _dispatch(self, tasks: Iterator[Task]) -> None:
        """Run the chunks, keeping a window in flight, taking results in input order."""
        chunks = self._chunks(tasks)
        queue: deque[Chunk] = deque(c for c in (next(chunks, None), next(chunks, None)) if c)
        if not queue:
            return
        self._preflight()
        # A single chunk is not worth starting a pool for (unless its seeds have a time limit:
        # only a process can be ended); a cluster is always used, or fails to be.
        executor: Executor = (self.make_executor(self.job) if len(queue) > 1 or not self._local
                              else local(1, self.config.timeout)(self.job))
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
                chunk, handle, suspect = pending[0]
                try:
                    results = handle.result()
                except WorkerLost:
                    lost = [c for c, _, _ in pending]
                    pending.clear()
                    executor.restart()
                    if suspect:
                        self._take([self._died(chunk.tasks[0])])
                        lost = lost[1:]
                    singles = [Chunk(self.job, (t,)) for c in lost for t in c.tasks]
                    suspects.extendleft(reversed(singles))
                    continue
                self._take(results)  # before it leaves `pending`: a stop meanwhile records the rest
                pending.popleft()
        except KeyboardInterrupt as exc:
            self._interrupted(exc)
            # Record every result that came back, so whole outputs on disk are in the manifest
            # and the next run does not redo them: before the executor closes (a cluster's are
            # fetched through it) and after (a local worker's may still be in its pipe).
            self._take_received(pending)
            executor.close(cancel=True)
            self._take_received(pending)
        finally:
            executor.close(cancel=True)

    def _take_received(self, pending: deque[tuple[Chunk, Handle, bool]]) -> None:
        for _, handle, _ in pending:
            received = getattr(handle, "received", None)  # optional for an executor
            if received is not None:
                self._take(received())

    def _preflight(self) -> None:
        """Build each exporter here once there is work for it: a bad option is one clear error,
        not one per seed. Forked pool workers inherit these warm instances; a run with nothing
        to do never gets here, so it never imports an exporter's engine. The reader is imported
        here too, for the same reason: each worker would otherwise import it anew."""
        import_module("convert.reader")
        from .exporters.checks import try_styles  # Jinja: not for a run with nothing to do

        for fmt in self.config.formats:
            try:
                try_styles(exporter(self.job, fmt), fmt, self.job.options, bundle=self.bundles is not None)
            except OptionError:
                raise  # the user's to fix: a usage error
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
        return died(task)

    def _interrupted(self, exc: KeyboardInterrupt) -> None:
        self.summary.interrupted = True
        if isinstance(exc, Stopped) and not self.summary.signal:
            self.summary.signal = exc.signum

    def _take(self, results: list[Result]) -> None:
        """Record a chunk's results: manifest, counts, messages. Each result once, and whole."""
        m = self.manifest
        for r in results:
            if r.index not in self._context:  # already taken (a stop came while recording)
                continue
            with deferred():
                self._take_one(r)
            if self.stop:
                break
        m.commit()
        self._say_manifest_problems()

    def _take_one(self, r: Result) -> None:
        m = self.manifest
        self._seconds += r.seconds
        self._timed += 1
        digest, source, select = self._context.pop(r.index)
        if r.warnings:  # one line per file
            self.reporter.warning(f"{r.display}: warning: {'; '.join(r.warnings)}")
        if r.repairs:  # -v only: scraped residue the reader removed
            self.reporter.note(f"{r.display}: repaired: {r.repairs}")
        if r.error is not None:
            self._fail(r.display, r.error, r.trace)
        else:
            if select and r.verdict is not None:
                m.record_verdict(digest, self.filter_fp, r.verdict)
                if r.area is not None and self.config.selection.areas:
                    m.record_area(digest, r.area)  # a rerun's --area hint needs every area
            if r.area is not None:
                self.summary.areas.add(r.area)
            if r.verdict is not Verdict.INCLUDED:
                self._count_verdict(r.verdict)
            else:
                self._included += 1
                self._take_outputs(r, digest, source)
        self.reporter.advance()

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
            key = (o.path[len(self._prefix):] if o.path.startswith(self._prefix)
                   else Path(o.path).relative_to(self.out).as_posix())
            path = os.path.join(self.config.out, key)  # as the user named the folder
            self.manifest.record(key, source, Stamp(digest, *self.stamps[o.format]))
            s.outputs += 1
            self.reporter.wrote(path)
        if r.article is not None:
            self._articles.append(r.article)
        elif not failed:
            if r.outputs:
                s.converted += 1
            else:
                s.up_to_date += 1

    def _cached_area(self, digest: str) -> None:
        """The area of a seed whose verdict came from the manifest (it is not read this run)."""
        area = self.manifest.area(digest)
        if area is None:
            self._areas_unknown = True
        else:
            self.summary.areas.add(area)

    def _say_selection(self) -> None:
        """An --area no article has gets a warning naming the areas seen, a close match first;
        a selection that kept nothing is an error (exit 1), not a quiet "converted 0"."""
        s, sel = self.summary, self.config.selection
        hint = area_warning(sel, s.areas) if sel.areas and s.areas and not self._areas_unknown else None
        if hint:
            self.reporter.warning(f"warning: {hint}")
        dropped = s.excluded + s.undated
        if self.bundles is None and sel.active and not self._included and not s.failed and dropped:
            # (a bundle that selects nothing already fails: "no articles selected")
            s.problems.append(f"nothing selected: the selection excluded all {dropped} "
                              f"article{'s' * (dropped != 1)}")
            self.reporter.error(s.problems[-1], None)

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
        for source in self.found.sources:
            where = self._absolute(source.location)
            digest = None
            if not c.force and source.stat is not None and source.stat[0] <= c.max_bytes:
                digest = m.known_hash(where, source.stat)  # unchanged since hashed: not read
            if digest is None:
                data = self._read(source)
                if data is None:
                    continue
                digest = input_hash(data)
                if source.stat is not None:
                    m.remember_hash(where, source.stat, digest, self._walk_started)
            sources.append((source, digest))
            combined.update(f"{source.relative}\0{digest}\0".encode())
        self.reporter.total(len(sources) + s.failed)
        stale = {fmt: path for fmt, path in self.bundles.items()
                 if c.force or not m.up_to_date(path.name, Stamp(combined.hexdigest(), *self.stamps[fmt]))}
        if not stale:
            for _, digest in sources:
                verdict = m.verdict(digest, self.filter_fp) if c.selection.active else Verdict.INCLUDED
                if c.selection.areas:
                    self._cached_area(digest)
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
            if source.stat is not None:
                self.manifest.remember_hash(self._absolute(source.location), source.stat, digest,
                                            self._walk_started)
            self._combined.update(f"{source.relative}\0{digest}\0".encode())
            self._context[index] = (digest, source.relative, select)
            yield Task(index, source.display, source.relative, data, (), select)

    def _assemble(self, fmt: str, path: Path) -> None:
        display = str(path)
        try:
            data = exporter(self.job, fmt).export_bundle(self._articles)
            self._clean_once(str(path.parent))
            write_atomic(path, data)
        except BaseException as exc:  # whatever an exporter raises, bar a real stop
            if passes(exc):
                raise
            from .work import _describe, _trace

            reason = str(exc) if isinstance(exc, ExportError) else _describe(exc)
            self._fail(display, f"{display}: {fmt}: {reason}", _trace())
            return
        self.summary.outputs += 1
        self.reporter.wrote(path)
        if not self.summary.failed:  # a bundle missing a failed seed is redone next time
            self.manifest.record(path.name, "(bundle)", Stamp(self._combined.hexdigest(), *self.stamps[fmt]))
        self.summary.converted = len(self._articles)


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
    timeout: float = TIMEOUT,
    reporter: Reporter | None = None,
    **options: object,
) -> Summary:
    """Convert seed files and folders, as the command line does; returns the summary.

    `formats` is a name, a comma list or `all` (or a list of names); `options` are the
    fields of `Options` (width, ascii, title, pdf_variant, styles). Incremental like the CLI:
    outputs already up to date in `out` are skipped unless `force`. A seed taking longer than
    `timeout` seconds fails (0: no limit). Ctrl-C ends the run early: the summary has
    `interrupted` set. SIGTERM ends it too, records what was done, then ends the program as
    usual (unless the program handles SIGTERM itself).
    """
    from .exporters import registry

    names = formats.split(",") if isinstance(formats, str) else list(formats)
    every = sorted(registry())
    resolved = tuple(dict.fromkeys(n for name in names for n in (every if name == "all" else [name])))
    if options.get("styles") is not None:
        options["styles"] = Path(str(options["styles"]))
    config = Config(
        formats=resolved,
        paths=tuple(Path(p) for p in ([paths] if isinstance(paths, str | Path) else paths)),
        out=Path(out),
        options=Options(**options),  # type: ignore[arg-type]
        selection=selection or Selection(),
        bundle=Path(bundle) if bundle is not None else None,
        jobs=jobs,
        force=force,
        fail_fast=fail_fast,
        max_bytes=max_bytes,
        follow_links=follow_links,
        timeout=timeout,
    )
    return Batch(config, reporter).run()
