"""Where chunks of work run. The engine decides *what* to build; an executor only runs chunks.

An executor has a `window` (how many chunks the engine keeps in flight), `submit(chunk)`
returning a handle with `result()` and `cancel()`, `restart()` after a worker died, and
`close(cancel)`. The engine consumes handles in submission order, so results come back in
input order whatever the executor. A handle raises `WorkerLost` when the process running
its chunk died (a crash or the OOM killer): the engine then reruns those seeds one by one to
find the culprit. A Dask executor plugs in the same way: `client.submit(run_chunk, chunk,
pure=False)` already returns a handle of this shape.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from .work import Chunk, Job, Result, init_worker, run_chunk


class WorkerLost(Exception):
    """The process running a chunk died before returning its results."""


class Handle(Protocol):
    def result(self) -> list[Result]: ...

    def cancel(self) -> bool: ...


class Executor(Protocol):
    window: int  # chunks kept in flight

    def submit(self, chunk: Chunk) -> Handle: ...

    def restart(self) -> None: ...

    def close(self, cancel: bool = False) -> None: ...


ExecutorFactory = Callable[[Job], Executor]


class _Deferred:
    """A chunk run in this process when its result is asked for (so `-j 1` stays lazy)."""

    def __init__(self, chunk: Chunk) -> None:
        self._chunk: Chunk | None = chunk

    def result(self) -> list[Result]:
        assert self._chunk is not None, "cancelled"
        return run_chunk(self._chunk)

    def cancel(self) -> bool:
        self._chunk = None
        return True


class InlineExecutor:
    """Runs every chunk in this process: no pool, easy to debug (`-j 1`)."""

    window = 1

    def submit(self, chunk: Chunk) -> Handle:
        return _Deferred(chunk)

    def restart(self) -> None:
        pass

    def close(self, cancel: bool = False) -> None:
        pass


class _PoolHandle:
    def __init__(self, future: Future[list[Result]]) -> None:
        self._future = future

    def result(self) -> list[Result]:
        try:
            return self._future.result()
        except BrokenProcessPool as exc:
            raise WorkerLost(str(exc)) from exc

    def cancel(self) -> bool:
        return self._future.cancel()


class PoolExecutor:
    """A local process pool of warm workers (each runs `init_worker` once)."""

    def __init__(self, job: Job, jobs: int) -> None:
        self.job = job
        self.jobs = jobs
        self.window = jobs * 3  # enough queued that no worker waits, few enough to keep memory flat
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # fork: workers start in milliseconds and inherit what the parent already imported.
        # The parent runs no threads (the progress bar refreshes from the main thread), so
        # forking is safe.
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=init_worker,
            initargs=(self.job,),
        )

    def submit(self, chunk: Chunk) -> Handle:
        try:
            return _PoolHandle(self._pool.submit(run_chunk, chunk))
        except BrokenProcessPool as exc:
            raise WorkerLost(str(exc)) from exc

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._start()

    def close(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def local(jobs: int) -> ExecutorFactory:
    """The default executor for `-j N`: in-process for 1, a process pool otherwise."""

    def make(job: Job) -> Executor:
        return InlineExecutor() if jobs <= 1 else PoolExecutor(job, jobs)

    return make
