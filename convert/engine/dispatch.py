"""Dispatch: tasks into chunks, a window of chunks in flight, results taken in input order.

When a worker dies (a crash, the OOM killer), every chunk in flight is rerun seed by seed, one
at a time, so the next death names its seed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .executors import Executor, ExecutorFactory, Handle, WorkerLost, died, local
from .record import Recorder
from .work import Chunk, Job, Result, Task

CHUNK_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class InFlight:
    chunk: Chunk
    handle: Handle
    suspect: bool  # run alone after a worker died: its death names its seed


@dataclass(slots=True)
class Dispatcher:
    job: Job
    recorder: Recorder
    make_executor: ExecutorFactory
    own_pool: bool  # the local pool (not a caller's executor): a single chunk may skip it
    timeout: float
    fail_fast: bool
    chunk_size: int  # 0: sized from the measured cost

    def run(self, tasks: Iterator[Task], preflight: Callable[[], None]) -> None:
        """Run the chunks, keeping a window in flight, taking results in input order.
        `preflight` runs once there is work, before any executor starts."""
        rec = self.recorder
        chunks = self._chunks(tasks)
        queue: deque[Chunk] = deque(c for c in (next(chunks, None), next(chunks, None)) if c)
        if not queue:
            return
        preflight()
        # A single chunk is not worth starting a pool for (unless its seeds have a time limit:
        # only a process can be ended); a cluster is always used, or fails to be.
        executor: Executor = (self.make_executor(self.job) if len(queue) > 1 or not self.own_pool
                              else local(1, self.timeout)(self.job))
        suspects: deque[Chunk] = deque()  # seeds to rerun one by one after a worker died
        pending: deque[InFlight] = deque()
        try:
            while not rec.stop:
                if suspects:  # one at a time, so a death names its seed
                    if not pending:
                        chunk = suspects.popleft()
                        pending.append(InFlight(chunk, self._submit(executor, chunk), True))
                else:
                    while len(pending) < executor.window:
                        fresh = queue.popleft() if queue else next(chunks, None)
                        if fresh is None:
                            break
                        pending.append(InFlight(fresh, self._submit(executor, fresh), False))
                if not pending:
                    break
                first = pending[0]
                try:
                    results = first.handle.result()
                except WorkerLost:
                    lost = [p.chunk for p in pending]
                    pending.clear()
                    executor.restart()
                    if first.suspect:
                        rec.take([died(first.chunk.tasks[0])])
                        lost = lost[1:]
                    singles = [Chunk(self.job, (t,)) for c in lost for t in c.tasks]
                    suspects.extendleft(reversed(singles))
                    continue
                rec.take(results)  # before it leaves `pending`: a stop meanwhile records the rest
                pending.popleft()
        except KeyboardInterrupt as exc:
            rec.interrupted(exc)
            # Record every result that came back, so whole outputs on disk are in the manifest
            # and the next run does not redo them: before the executor closes (a cluster's are
            # fetched through it) and after (a local worker's may still be in its pipe).
            self._take_received(pending)
            executor.close(cancel=True)
            self._take_received(pending)
        finally:
            executor.close(cancel=True)

    def _take_received(self, pending: deque[InFlight]) -> None:
        for p in pending:
            received: Callable[[], list[Result]] | None = getattr(p.handle, "received", None)
            if received is not None:  # optional for an executor
                self.recorder.take(received())

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
        if self.fail_fast:
            return 1
        if self.chunk_size:
            return self.chunk_size
        rec = self.recorder
        if rec.timed < 4:
            return 1
        per_task = rec.seconds / rec.timed
        return max(1, min(64, round(CHUNK_SECONDS / max(per_task, 1e-6))))

    @staticmethod
    def _submit(executor: Executor, chunk: Chunk) -> Handle:
        try:
            return executor.submit(chunk)
        except WorkerLost:
            executor.restart()
            return executor.submit(chunk)
