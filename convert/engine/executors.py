"""Where chunks of work run. The engine decides *what* to build; an executor only runs chunks.

An executor has a `window` (how many chunks the engine keeps in flight), `submit(chunk)`
returning a handle with `result()` and `cancel()`, `restart()` after a worker died, and
`close(cancel)`. The engine consumes handles in submission order, so results come back in
input order whatever the executor. A handle may also have `received()`: the results that came
back so far, which the engine records when a run is stopped. A handle raises `WorkerLost` when
the process running its chunk died (a crash or the OOM killer): the engine then reruns those
seeds one by one to find the culprit. A Dask executor plugs in the same way.

The local pool (`PoolExecutor`) does more itself, because it owns its processes: results come
back seed by seed, so it knows which seed each worker is on. A seed that runs past the time
limit has its worker ended and replaced and fails with one line; a seed whose worker dies is
tried once more, then fails with one line; in both cases the other seeds of its chunk go on in
another worker. Stopping it ends every worker at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError
from multiprocessing.connection import Connection, wait
from typing import Protocol

from ..signals import deferred
from .work import Chunk, Job, Result, Task, init_worker, run_one, timed_out


class WorkerLost(Exception):
    """The process running a chunk died before returning its results."""


class Handle(Protocol):
    def result(self) -> list[Result]: ...

    def cancel(self) -> bool: ...


class Executor(Protocol):
    @property
    def window(self) -> int:  # chunks kept in flight (read-only: a cluster's grows with it)
        ...

    def submit(self, chunk: Chunk) -> Handle: ...

    def restart(self) -> None: ...

    def close(self, cancel: bool = False) -> None: ...


ExecutorFactory = Callable[[Job], Executor]


class _Deferred:
    """A chunk run in this process when its result is asked for (so `-j 1` stays lazy)."""

    def __init__(self, chunk: Chunk) -> None:
        self._chunk: Chunk | None = chunk
        self._done: list[Result] = []

    def result(self) -> list[Result]:
        if self._chunk is None:
            raise CancelledError
        for task in self._chunk.tasks[len(self._done):]:
            self._done.append(run_one(self._chunk.job, task))
        return list(self._done)

    def received(self) -> list[Result]:
        return list(self._done)

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


def died(task: Task) -> Result:
    reason = "the worker process died while converting it (a crash, or out of memory)"
    return Result(task.index, task.display, error=f"{task.display}: {reason}")


class _PoolHandle:
    """One chunk's results, filled in seed by seed as workers send them."""

    def __init__(self, pool: PoolExecutor, chunk: Chunk) -> None:
        self._pool = pool
        self._tasks = chunk.tasks
        self._results: dict[int, Result] = {}
        self.cancelled = False

    def take(self, result: Result) -> None:
        self._results[result.index] = result

    def result(self) -> list[Result]:
        while len(self._results) < len(self._tasks):
            if self.cancelled:
                raise CancelledError
            self._pool.pump()
        return [self._results[t.index] for t in self._tasks]

    def received(self) -> list[Result]:
        return [self._results[t.index] for t in self._tasks if t.index in self._results]

    def cancel(self) -> bool:
        self.cancelled = True
        return True


class _Piece:
    """The seeds of a chunk not answered yet, as given to one worker."""

    def __init__(self, handle: _PoolHandle, tasks: list[Task]) -> None:
        self.handle = handle
        self.tasks = tasks


class _Worker:
    def __init__(self, job: Job, others: list[_Worker]) -> None:
        here, there = multiprocessing.Pipe()
        # fork: workers start in milliseconds and inherit what the parent already imported, the
        # warm exporters included. The parent runs no threads (the progress bar refreshes from
        # the main thread), so forking is safe. Stop signals are held during the fork, so that
        # one arriving then is the parent's alone.
        inherited = [here, *(w.conn for w in others)]
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(there, job, os.getpid(), inherited), daemon=True, name="convert-worker"
        )
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        there.close()
        self.conn: Connection = here
        self.piece: _Piece | None = None
        self.since = 0.0  # when its current seed started (time.monotonic, the same in every process)


_HELD = {signal.SIGINT, signal.SIGTERM}


def _serve(conn: Connection, job: Job, parent: int, inherited: list[Connection]) -> None:
    """A worker: run the seeds it is sent, one result per seed as each is done."""
    for c in inherited:  # the parent's ends of every pipe: with them open, no EOF would come
        c.close()
    init_worker(job, parent)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if message is None:
            return
        job, tasks = message
        for task in tasks:
            result = run_one(job, task)
            try:
                conn.send((result, time.monotonic()))
            except (EOFError, OSError):
                return
            except Exception as exc:  # it cannot travel back (pickling): still its own line
                reason = f"cannot send its result back: {type(exc).__name__}: {exc}"
                conn.send((Result(task.index, task.display, error=f"{task.display}: {reason}"),
                           time.monotonic()))


class PoolExecutor:
    """A local pool of warm worker processes, each running one chunk at a time.

    `timeout` (seconds, 0 for none) limits each seed: the worker running a seed past it is
    ended (it may be stuck in C code, where nothing else can stop it) and replaced."""

    GRACE = 1.0  # seconds a worker gets to end after SIGTERM before SIGKILL

    def __init__(self, job: Job, jobs: int, timeout: float = 0.0) -> None:
        self.job = job
        self.jobs = jobs
        self.timeout = timeout
        self.window = jobs * 3  # enough queued that no worker waits, few enough to keep memory flat
        self._workers: list[_Worker] = []
        self._queue: deque[_Piece] = deque()
        self._deaths: dict[int, int] = {}  # task index → workers it was running when they died

    def start(self) -> None:
        """Fork every worker now, not when first needed: a worker carries what this process
        holds when it is forked."""
        with deferred():
            while len(self._workers) < self.jobs:
                self._workers.append(_Worker(self.job, self._workers))

    def submit(self, chunk: Chunk) -> Handle:
        handle = _PoolHandle(self, chunk)
        with deferred():
            self._queue.append(_Piece(handle, list(chunk.tasks)))
            self._assign()
        return handle

    def pump(self) -> None:
        """Wait for something to happen (a result, a death, a deadline), then deal with it.
        Only the wait is cut short by a stop: the pool's books are never left half-written."""
        with deferred():
            self._assign()
        busy = [w for w in self._workers if w.piece is not None]
        if not busy:
            raise CancelledError  # closed, or every chunk cancelled: nothing will come
        timeout = None
        if self.timeout:
            timeout = max(0.0, min(w.since for w in busy) + self.timeout - time.monotonic())
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
        with deferred():
            for w in busy:
                if (w.conn in ready or w.process.sentinel in ready) and not self._read(w):
                    self._lost(w)
            self._expire()
            self._assign()

    def _read(self, w: _Worker) -> bool:
        """Take every result waiting in `w`'s pipe. False: the pipe is closed, `w` died."""
        try:
            while w.piece is not None and w.conn.poll():
                with deferred():  # a result read is a result kept
                    result, finished = w.conn.recv()
                    self._answered(w, result)
                    w.since = finished
        except (EOFError, OSError):
            return False
        return True

    def _answered(self, w: _Worker, result: Result) -> None:
        piece = w.piece
        assert piece is not None
        piece.handle.take(result)
        piece.tasks.pop(0)
        if not piece.tasks:
            w.piece = None

    def _lost(self, w: _Worker) -> None:
        """`w` died. The seed it was on is tried once more in a new worker, then reported."""
        piece = w.piece
        self._end(w)
        if piece is None or not piece.tasks:
            return
        task = piece.tasks[0]
        self._deaths[task.index] = deaths = self._deaths.get(task.index, 0) + 1
        if deaths >= 2:
            piece.handle.take(died(task))
            piece.tasks.pop(0)
        if piece.tasks:
            self._queue.appendleft(piece)

    def _expire(self) -> None:
        """End each worker whose seed ran past the time limit; its chunk-mates go on elsewhere."""
        if not self.timeout:
            return
        for w in [w for w in self._workers if w.piece is not None and self._overdue(w)]:
            if not self._read(w):  # it may have just finished, or died
                self._lost(w)
                continue
            piece = w.piece
            if piece is None or not self._overdue(w):
                continue
            self._end(w)
            piece.handle.take(timed_out(piece.tasks.pop(0), self.timeout))
            if piece.tasks:
                self._queue.appendleft(piece)

    def _overdue(self, w: _Worker) -> bool:
        return time.monotonic() - w.since >= self.timeout

    def _assign(self) -> None:
        while self._queue:
            piece = self._queue[0]
            if piece.handle.cancelled:
                self._queue.popleft()
                continue
            w = next((w for w in self._workers if w.piece is None), None)
            if w is None:
                if len(self._workers) >= self.jobs:
                    return
                w = _Worker(self.job, self._workers)
                self._workers.append(w)
            self._queue.popleft()
            try:
                w.conn.send((self.job, tuple(piece.tasks)))
            except OSError:  # it died while idle: nothing of ours was running there
                self._retire(w)
                self._queue.appendleft(piece)
                continue
            w.piece, w.since = piece, time.monotonic()

    def _end(self, w: _Worker) -> None:
        w.process.kill()  # stuck in C code maybe: only SIGKILL is sure (and harmless if it died)
        self._retire(w)

    def _retire(self, w: _Worker) -> None:
        w.process.join()
        w.conn.close()
        w.piece = None
        self._workers.remove(w)

    def restart(self) -> None:
        self.close(cancel=True)

    def close(self, cancel: bool = False) -> None:
        """End the workers: when cancelled at once (SIGTERM, then SIGKILL after a second), keeping
        the results they had already sent; else once they are done."""
        workers, self._workers = self._workers, []
        self._queue.clear()
        for w in workers:
            if cancel:
                w.process.terminate()
            else:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
        deadline = time.monotonic() + (self.GRACE if cancel else 60.0)
        for w in workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.exitcode is None:
                w.process.kill()
                w.process.join()
            self._read(w)  # what it sent before it ended: the engine records it
            w.piece = None
            w.conn.close()


def local(jobs: int, timeout: float = 0.0) -> ExecutorFactory:
    """The default executor for `-j N`: a process pool; for `-j 1` without a time limit, this
    process (a time limit needs a process that can be ended)."""

    def make(job: Job) -> Executor:
        return InlineExecutor() if jobs <= 1 and not timeout else PoolExecutor(job, jobs, timeout)

    return make
