"""Run a batch on a Dask cluster: `convert FORMAT PATH... --scheduler tcp://HOST:PORT`.

The engine (`convert.engine`) decides what to build exactly as for a local run (the walk, the
incremental manifest, the selection) and hands the same self-contained chunks to this executor
instead of a local pool. Dask is imported only when a `DaskExecutor` is made: a local run never
loads it, or needs it installed.

What runs where:

- on the workers: reading, selecting and exporting each seed, and writing its outputs (atomically,
  straight into the output folder, which must therefore be on a filesystem every worker shares,
  at the same absolute path; the seeds' bytes travel with the tasks, so inputs need not be);
- here, in the client: the walk, hashing inputs for the manifest, the manifest itself, progress
  and summary, and the assembly of a bundle (the workers read and select its articles; one
  document is laid out in one place). Even a single seed goes to the cluster: `--scheduler`
  never quietly runs here, and an unreachable scheduler is an error.

Workers need the `convert` package (the same version, with the same plugins) and the same styles: a
`--styles` folder must be on the shared filesystem. Each worker process checks this once per run,
and if it differs fails the seeds it is given with the reason, rather than render outputs the
manifest would record as built with other styles.

A worker that dies mid-task is Dask's to handle: the scheduler reruns its tasks elsewhere (our
tasks are idempotent and their writes atomic, so a rerun just writes the same bytes again). Only a
chunk whose workers died again and again (a seed that crashes the process: Dask's
`allowed-failures`) comes back as `WorkerLost`, and the engine then isolates the culprit seed.

The time limit (`--timeout`) is kept on the worker: a timer raises an exception in the task's
thread, and the seed fails with the usual line while its chunk-mates go on. A worker process is
Dask's, so it is not killed: a seed stuck inside a single C call (not Python code) is stopped
only when that call returns, and holds its worker thread until then.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from concurrent.futures import CancelledError
from dataclasses import dataclass
from typing import Any

from .executors import ExecutorFactory, WorkerLost
from .work import Chunk, Job, Result, Task, run_limited

RETRIES = 2  # a chunk that raised (it never should: run_chunk reports failures) is tried again


class ClusterError(Exception):
    """The cluster cannot be used: Dask not installed, the scheduler unreachable or lost."""


@dataclass(frozen=True, slots=True)
class Expect:
    """What the client records in the manifest for each output: a worker must build the same."""

    version: str  # convert's
    exporters: tuple[str, ...]  # each format's exporter version, in the job's order


def expect(job: Job) -> Expect:
    from .. import __version__
    from ..exporters import get

    return Expect(__version__, tuple(str(getattr(get(f), "version", "0")) for f in job.formats))


def dask(address: str) -> ExecutorFactory:
    """The executor factory for `--scheduler ADDRESS`."""

    def make(job: Job) -> DaskExecutor:
        return DaskExecutor(job, address)

    return make


class DaskExecutor:
    """Chunks as Dask tasks on the cluster at `address` (a client is connected on creation)."""

    def __init__(self, job: Job, address: str, *, retries: int = RETRIES) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ClusterError("--scheduler needs Dask: pip install 'convert[dask]'") from exc
        self.address = address
        self.retries = retries
        self.expect = expect(job)
        try:
            self.client = Client(address, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self._live: set[Any] = set()  # futures in flight: cancelled on restart or close
        self._threads, self._asked = 0, float("-inf")

    @property
    def window(self) -> int:
        """Chunks in flight: three per worker thread, so none waits for the next while a result
        travels back. Asked of the scheduler every few seconds: an adaptive cluster grows."""
        now = time.monotonic()
        if now - self._asked > 2.0:
            self._asked = now
            with contextlib.suppress(Exception):  # a lost scheduler shows up in the results
                self._threads = sum(self.client.nthreads().values())
        return max(4, 3 * self._threads)

    def submit(self, chunk: Chunk) -> DaskHandle:
        key = f"convert-{chunk.tasks[0].index}-{uuid.uuid4().hex[:12]}"  # readable on the dashboard
        future = self.client.submit(
            run_on_worker, chunk, self.expect, key=key, pure=False, retries=self.retries
        )
        self._live.add(future)
        return DaskHandle(future, chunk.tasks, self._live)

    def restart(self) -> None:
        """After a lost chunk the engine reruns everything in flight seed by seed: drop those
        tasks. The cluster heals itself (a nanny restarts a dead worker); nothing else to do."""
        self._cancel()
        if self.client.status not in ("running", "connecting"):
            raise ClusterError(f"lost the Dask scheduler at {self.address}; the outputs written "
                               "so far are recorded: run again to finish")

    def close(self, cancel: bool = False) -> None:
        if cancel:
            self._cancel()
        with contextlib.suppress(Exception):
            self.client.close()

    def _cancel(self) -> None:
        if self._live:
            with contextlib.suppress(Exception):
                self.client.cancel(list(self._live))
            self._live.clear()


class DaskHandle:
    """A chunk's future, with distributed's failures turned into the engine's."""

    def __init__(self, future: Any, tasks: tuple[Task, ...], live: set[Any]) -> None:
        self._future = future
        self._tasks = tasks
        self._live = live
        self._cancelled = False

    def result(self) -> list[Result]:
        from distributed import KilledWorker

        try:
            results: list[Result] = self._future.result()
            return results
        except KilledWorker as exc:  # its workers kept dying: the engine finds the seed
            raise WorkerLost("the workers running it kept dying") from exc
        except CancelledError as exc:
            if self._cancelled:
                raise
            # Not by us: the scheduler restarted or dropped it. Rerun it (the engine does).
            raise WorkerLost(f"the cluster dropped it: {exc}") from exc
        except Exception as exc:  # raised on the worker, e.g. convert is not installed there
            reason = f"failed on the cluster: {type(exc).__name__}: {exc}"
            return [Result(t.index, t.display, error=f"{t.display}: {reason}") for t in self._tasks]
        finally:
            self._live.discard(self._future)

    def received(self) -> list[Result]:
        """The chunk's results if they are back already (a run being stopped records them)."""
        with contextlib.suppress(Exception):
            if self._future.status == "finished":
                results: list[Result] = self._future.result(timeout=1)
                return results
        return []

    def cancel(self) -> bool:
        self._cancelled = True
        self._live.discard(self._future)
        self._future.cancel()
        return True


# --- on the worker ---------------------------------------------------------------------------

# One chunk at a time per process. The warm exporters (work.exporter) are per process and not
# made to be shared between threads, the reader's warning capture is process-global, and the work
# is CPU-bound Python that threads would not speed up anyway: run workers with `--nthreads 1` and
# as many processes as cores.
_lock = threading.Lock()
_checked: dict[tuple[Any, ...], str | None] = {}


def run_on_worker(chunk: Chunk, expected: Expect) -> list[Result]:
    """The task: `run_chunk`, once this worker is known to build what the client will record."""
    with _lock:
        problem = _check(chunk.job, expected) or _relative(chunk)
        if problem is not None:
            return [Result(t.index, t.display, error=f"{t.display}: {problem}") for t in chunk.tasks]
        return [run_limited(chunk.job, task) for task in chunk.tasks]


def _check(job: Job, expected: Expect) -> str | None:
    key = (job.formats, job.styles, tuple(o.identity() for o in job.options), expected)
    if key not in _checked:
        _checked[key] = _mismatch(job, expected)
    return _checked[key]


def _mismatch(job: Job, expected: Expect) -> str | None:
    from .. import __version__
    from ..exporters import get

    where = f"the worker {_worker_name()}"
    if __version__ != expected.version:
        return (f"{where} runs convert {__version__}, this machine {expected.version}: "
                "install the same version on every worker")
    for fmt, options, version, digest in zip(job.formats, job.options, expected.exporters, job.styles,
                                             strict=True):
        try:
            cls = get(fmt)
            theirs = str(getattr(cls, "version", "0"))
            if theirs != version:
                return f"{where} has version {theirs} of the {fmt} exporter, this machine {version}"
            if options.theme.digest(tuple(getattr(cls, "style_files", ()))) != digest:
                return (f"{where} sees other style files for {fmt} than this machine: put the "
                        "--styles folder on a filesystem every worker shares, at the same path")
        except (KeyError, OSError) as exc:
            return f"{where} cannot use the {fmt} format: {exc}"
    return None


def _relative(chunk: Chunk) -> str | None:
    for task in chunk.tasks:
        for _, path in task.outputs:
            if not os.path.isabs(path):
                return f"the output path {path} is relative: a worker cannot know where it is"
    return None


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"process {os.getpid()}"
