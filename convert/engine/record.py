"""Recording: results → manifest + summary + messages, each result once and whole.

The planner settles the seeds with nothing to build here too (up to date, excluded), so every
count and every message of a run goes through one `Recorder`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Article
from ..select import Selection, Verdict, area_warning
from ..signals import Stopped, deferred
from .manifest import Manifest, Stamp
from .report import Reporter, Summary
from .work import Result


@dataclass(frozen=True, slots=True)
class Pending:
    """What the parent remembers of a task in flight, to record its result."""

    digest: str  # the input's hash, as planned
    source: str  # the seed's relative path
    select: bool  # its selection verdict is to be recorded (not known from the manifest)


@dataclass(frozen=True, slots=True)
class Stamps:
    """Each format's stamp but for the input's hash: `stamps.of(fmt, digest)`."""

    base: dict[str, Stamp]

    def of(self, fmt: str, digest: str) -> Stamp:
        b = self.base[fmt]  # built field by field: dataclasses.replace costs 5 µs, once per seed
        return Stamp(digest, b.exporter, b.version, b.styles, b.options, b.engine)


@dataclass(slots=True)
class Recorder:
    """Counts, messages and manifest records of one run."""

    selection: Selection
    fail_fast: bool
    reporter: Reporter
    manifest: Manifest
    stamps: Stamps
    out: Path  # as the user named it: what messages say
    absolute_out: Path  # what the work units carry
    filter_fp: str  # the selection's fingerprint
    summary: Summary = field(init=False)
    pending: dict[int, Pending] = field(default_factory=dict)  # task index → what to record
    articles: list[Article] = field(default_factory=list)  # bundles: the selected articles
    digests: list[str] = field(default_factory=list)  # and each one's seed digest, same order
    stop: bool = False  # --fail-fast saw a failure
    seconds: float = 0.0  # worker time over the seeds timed so far, for sizing chunks
    timed: int = 0
    included: int = 0  # seeds the selection kept (converted, up to date, or failed to export)
    areas_unknown: bool = False  # a cached verdict without its area: no --area hint then
    prefix: str = field(init=False)  # output paths are this + their key

    def __post_init__(self) -> None:
        self.summary = Summary(selection=self.selection)
        self.prefix = os.path.join(str(self.absolute_out), "")

    def take(self, results: list[Result]) -> None:
        """Record a chunk's results: manifest, counts, messages. Each result once, and whole."""
        for r in results:
            if r.index not in self.pending:  # already taken (a stop came while recording)
                continue
            with deferred():
                self._take_one(r)
            if self.stop:
                break
        self.manifest.commit()
        self.say_manifest_problems()

    def _take_one(self, r: Result) -> None:
        m = self.manifest
        self.seconds += r.seconds
        self.timed += 1
        task = self.pending.pop(r.index)
        if r.warnings:  # one line per file
            self.reporter.warning(f"{r.display}: warning: {'; '.join(r.warnings)}")
        if r.repairs:  # -v only: scraped residue the reader removed
            self.reporter.note(f"{r.display}: repaired: {r.repairs}")
        if r.error is not None:
            self.fail(r.display, r.error, r.trace)
        else:
            if task.select and r.verdict is not None:
                m.record_verdict(task.digest, self.filter_fp, r.verdict)
                if r.area is not None and self.selection.areas:
                    m.record_area(task.digest, r.area)  # a rerun's --area hint needs every area
            if r.area is not None:
                self.summary.areas.add(r.area)
            if r.verdict is not Verdict.INCLUDED:
                self.count_verdict(r.verdict)
            else:
                self.included += 1
                self._take_outputs(r, task)
        self.reporter.advance()

    def _take_outputs(self, r: Result, task: Pending) -> None:
        s = self.summary
        failed = False
        for o in r.outputs:
            if o.error is not None:
                self.fail(r.display, o.error, o.trace)
                failed = True
                continue
            key = (o.path[len(self.prefix):] if o.path.startswith(self.prefix)
                   else Path(o.path).relative_to(self.absolute_out).as_posix())
            path = os.path.join(self.out, key)  # as the user named the folder
            self.manifest.record(key, task.source, self.stamps.of(o.format, task.digest))
            s.outputs += 1
            self.reporter.wrote(path)
        if r.article is not None:
            self.articles.append(r.article)
            self.digests.append(task.digest)
        elif not failed:
            if r.outputs:
                s.converted += 1
            else:
                s.up_to_date += 1

    def settled(self, digest: str, verdict: Verdict | None, todo: list[tuple[str, str]]) -> bool:
        """Count a seed with nothing to build (excluded, or up to date); False if it has work."""
        if verdict is not None and self.selection.areas:
            self.cached_area(digest)
        if verdict in (Verdict.EXCLUDED, Verdict.UNDATED):
            self.count_verdict(verdict)
        elif not todo and verdict is Verdict.INCLUDED:
            self.summary.up_to_date += 1
            self.included += 1
        else:
            return False
        self.reporter.advance()
        return True

    def cached_area(self, digest: str) -> None:
        """The area of a seed whose verdict came from the manifest (it is not read this run)."""
        area = self.manifest.area(digest)
        if area is None:
            self.areas_unknown = True
        else:
            self.summary.areas.add(area)

    def count_verdict(self, verdict: Verdict | None) -> None:
        if verdict is Verdict.UNDATED:
            self.summary.undated += 1
        elif verdict is Verdict.EXCLUDED:
            self.summary.excluded += 1

    def fail(self, display: str, line: str, trace: str | None = None) -> None:
        self.reporter.error(line, trace)
        if display not in self.summary.failures:
            self.summary.failures[display] = line
            self.summary.failed += 1
        if self.fail_fast:
            self.stop = True

    def interrupted(self, exc: KeyboardInterrupt) -> None:
        self.summary.interrupted = True
        if isinstance(exc, Stopped) and not self.summary.signal:
            self.summary.signal = exc.signum

    def say_manifest_problems(self) -> None:
        say_problems(self.manifest, self.reporter)

    def say_selection(self, bundled: bool) -> None:
        """An --area no article has gets a warning naming the areas seen, a close match first;
        a selection that kept nothing is an error (exit 1), not a quiet "converted 0"."""
        s, sel = self.summary, self.selection
        hint = area_warning(sel, s.areas) if sel.areas and s.areas and not self.areas_unknown else None
        if hint:
            self.reporter.warning(f"warning: {hint}")
        dropped = s.excluded + s.undated
        if not bundled and sel.active and not self.included and not s.failed and dropped:
            # (a bundle that selects nothing already fails: "no articles selected")
            s.problems.append(f"nothing selected: the selection excluded all {dropped} "
                              f"article{'s' * (dropped != 1)}")
            self.reporter.error(s.problems[-1], None)


def say_problems(manifest: Manifest, reporter: Reporter) -> None:
    """The manifest's warnings (a damaged or newer database...), each said once."""
    while manifest.said:
        reporter.warning(f"warning: {manifest.said.pop(0)}")
