"""The batch engine: discover → read → select → export → write, for every format at once.

One code path decides what to build: the walk, the output names, the incremental manifest and
the selection cache all live in the parent process (`plan`, `record`). The seeds that need work
travel as small self-contained chunks (`engine.work`) to an executor (`engine.executors`: in-process,
a local pool, or a cluster); results come back in input order and the parent records them in
the manifest. Up-to-date outputs are found before any worker starts, from each input's hash
(read from the manifest's stat cache when the file's stat is unchanged, so such a seed is not
even read), so a rerun with nothing to do never starts a pool or imports an exporter's engine.
The inputs are walked once, by the path guard, and planned from that list.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from ..exporters import REGISTRY, ExportError, OptionError, get
from ..limits import MAX_BYTES, TIMEOUT
from ..select import Selection
from ..signals import handled
from .bundle import Bundles
from .dispatch import Dispatcher
from .executors import ExecutorFactory, local
from .guard import PathError, same_place
from .manifest import FILENAME as MANIFEST
from .manifest import Manifest, Stamp
from .outputs import bundle_paths
from .plan import Planner, survey
from .record import Recorder, Stamps, say_problems
from .report import Reporter, Summary
from .work import Job, exporter


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
    timeout: float = TIMEOUT  # seconds a seed may take; 0: no limit (and -j 1 runs in this process)
    group_by: str = "area"  # how a bundle groups its articles: area, kind or date (collate.GROUPINGS)



class StartError(Exception):
    """An exporter cannot even be built (a bad option, a missing library): nothing would convert."""


class Batch:
    """One run of the engine. `run()` returns the summary; the reporter hears the details.

    Builds the run's parts, each in its own module: the plan (`plan`: walk → hash → up to
    date? → task), the dispatch (`dispatch`: chunks in flight over an executor), the recorder
    (`record`: results → manifest + summary) and, for `--bundle`, the bundles (`bundle`)."""

    def __init__(
        self, config: Config, reporter: Reporter | None = None, executor: ExecutorFactory | None = None
    ) -> None:
        from .. import READER_REVISION, __version__

        self.config = config
        reporter = reporter or Reporter()
        jobs = config.jobs or os.cpu_count() or 1
        self.classes = {fmt: get(fmt) for fmt in config.formats}
        exts = [cls.extension for cls in self.classes.values()]
        if len(set(exts)) != len(exts):
            raise ValueError(f"formats {', '.join(config.formats)} share a file extension")
        settings = dict(config.settings)
        if config.group_by != "area" or "group_by" not in settings:
            settings["group_by"] = config.group_by  # every format's bundle option (its stamp)
        if settings.get("styles") is not None:
            # Absolute paths in the work units: a worker elsewhere (a cluster) has another cwd.
            settings["styles"] = Path(settings["styles"]).absolute()
        # Each format's own options, validated once here (OptionError: a usage error).
        self.options = REGISTRY.options(config.formats, settings)
        bundles = bundle_paths(config.bundle, config.formats) if config.bundle else None
        folder = config.bundle.parent if config.bundle else config.out
        for path in (bundles or {}).values():
            if same_place(path, folder / MANIFEST):  # before the manifest is even opened
                raise PathError(f"the bundle {path} would replace the manifest {folder / MANIFEST}")
        filter_fp = config.selection.fingerprint()
        # Every input walked and every output planned before the manifest is even opened: a
        # run whose outputs would replace its inputs is refused here, having touched nothing.
        checking = time.perf_counter()
        walk_started = time.time_ns()  # the walk's stats are no older: see remember_hash
        self.found, self.walk_stats = survey(config.paths, config.out, bundles, exts, folder / MANIFEST,
                                             config.follow_links)
        self._check_seconds = time.perf_counter() - checking  # part of the run's time
        self.manifest = Manifest(folder)
        say_problems(self.manifest, reporter)
        try:  # style files are hashed through the manifest's stat cache, like seeds
            hashed = self.manifest.file_hash
            digests = tuple(self.options[fmt].theme.digest(tuple(cls.style_files), hashed)
                            for fmt, cls in self.classes.items())
        except BaseException:
            self.manifest.close()
            raise
        # A stamp covers the exporter's own options only: --width never rebuilds a PDF, and a
        # bundle's title counts for bundles only.
        bundled = config.bundle is not None
        stamps = Stamps({
            fmt: Stamp("", fmt, str(getattr(cls, "version", "0")), digest,
                       self.options[fmt].fingerprint(bundled), f"{__version__} reader {READER_REVISION}")
            for (fmt, cls), digest in zip(self.classes.items(), digests, strict=True)
        })
        self.job = Job(
            config.formats, tuple(self.options.values()), digests, config.selection, config.max_bytes,
            keep_articles=bundles is not None, timeout=config.timeout,
        )
        # Absolute paths in the work units: a worker elsewhere (a cluster) has another cwd.
        self.recorder = Recorder(config.selection, config.fail_fast, reporter, self.manifest, stamps,
                                 config.out, config.out.absolute(), filter_fp)
        self.summary = self.recorder.summary
        self.planner = Planner(self.found, self.manifest, self.recorder, stamps,
                               [(fmt, cls.extension) for fmt, cls in self.classes.items()], config.out,
                               config.selection, config.force, config.max_bytes, walk_started, filter_fp)
        self.dispatcher = Dispatcher(self.job, self.recorder, executor or local(jobs, config.timeout),
                                     executor is None, config.timeout, config.fail_fast, config.chunk_size)
        self.bundles = None if bundles is None else Bundles(
            bundles, config.bundle or Path(), self.job, self.planner, self.dispatcher, config.selection,
            config.force, filter_fp)

    def run(self) -> Summary:
        """The whole run. Ctrl-C or SIGTERM stop it: what came back is recorded, the summary says
        so (`interrupted`, `signal`) and is returned as usual."""
        start = time.perf_counter() - self._check_seconds
        rec = self.recorder
        # Run from the library, a SIGTERM ends the program as usual once the run is cleaned up
        # (the command line handles it around this call, to print the summary and exit 143).
        with handled(resend=True):
            try:
                if not self._found_seeds():
                    return self.summary
                if self.bundles is None:
                    rec.reporter.total(self.found.total)
                    self.dispatcher.run(self.planner.outputs(), self._preflight)
                else:
                    self.bundles.run(self._preflight)
                if not (rec.stop or self.summary.interrupted):
                    rec.say_selection(bundled=self.bundles is not None)
            except KeyboardInterrupt as exc:
                rec.interrupted(exc)
            finally:
                self.manifest.commit()  # what no result committed: the stat cache of a no-op run
                rec.say_manifest_problems()
                self.manifest.close()
                self.summary.skipped_links = self.walk_stats.symlinks
                self.summary.skipped_outputs = self.walk_stats.output_folders
                self.summary.elapsed = time.perf_counter() - start
        return self.summary

    def _found_seeds(self) -> bool:
        """Say which paths given hold no seeds; with none at all there is nothing to run."""
        s, reporter = self.summary, self.recorder.reporter
        s.found = self.found.total
        empty = [str(p) for p, n in self.found.per_path.items() if not n]
        if not self.found.total:  # (its skipped links may be why: the summary names them)
            s.problems.append(f"no seeds found under {', '.join(empty)}")
            reporter.error(s.problems[-1], None)
            return False
        for path in empty:
            reporter.warning(f"warning: no seeds found under {path}")
        return True

    def _preflight(self) -> None:
        """Build each exporter here once there is work for it: a bad option is one clear error,
        not one per seed. Forked pool workers inherit these warm instances; a run with nothing
        to do never gets here, so it never imports an exporter's engine. The reader is imported
        here too, for the same reason: each worker would otherwise import it anew."""
        import_module("convert.reader")
        from ..exporters.checks import try_styles  # Jinja: not for a run with nothing to do

        for fmt in self.config.formats:
            try:
                try_styles(exporter(self.job, fmt), fmt, self.options[fmt], bundle=self.bundles is not None)
            except OptionError:
                raise  # the user's to fix: a usage error
            except ExportError as exc:
                raise StartError(str(exc)) from None


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
    group_by: str = "area",
    reporter: Reporter | None = None,
    **options: object,
) -> Summary:
    """Convert seed files and folders, as the command line does; returns the summary.

    `formats` is a name, a comma list or `all` (or a list of names); `options` are the
    settings each format takes what it declares from (width, ascii, title, pdf_variant, styles,
    fetch_images; a plugin's own). Incremental like the CLI: outputs already up to date in
    `out` are skipped unless `force`. A seed taking longer than `timeout` seconds fails (0: no
    limit). `group_by` (area, kind or date) orders and heads a bundle's contents. Ctrl-C ends
    the run early: the summary has `interrupted` set. SIGTERM ends it too,
    records what was done, then ends the program as usual (unless the program handles SIGTERM
    itself).
    """
    from ..exporters import registry

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
        timeout=timeout,
        group_by=group_by,
    )
    return Batch(config, reporter).run()
