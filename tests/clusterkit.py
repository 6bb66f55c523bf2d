"""Test helpers for a real Dask cluster on loopback: a scheduler and worker processes started with
the `dask` command, as on a real cluster, and torn down whatever happens.

Workers preload this module (`--preload clusterkit`, with tests/ on their PYTHONPATH): it registers
the fake exporters of seedkit and `where`, whose output names the process that wrote it, so a test
can tell a cluster run from a local one. `python tests/clusterkit.py ARGS...` runs the CLI with the
same formats registered; `python tests/clusterkit.py --progress ADDRESS IN OUT` runs the engine
on the cluster with a reporter that records the progress calls and prints them as JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent


class Where:
    """Writes which process built the output: `worker PID` on the test cluster, `client PID` here."""

    name = "where"
    extension = "where"
    description = "test: the role and pid of the process that wrote it"
    version = "1"
    style_files: tuple[str, ...] = ()

    def __init__(self, options: object) -> None:
        pass

    def export(self, article: object) -> bytes:
        return f"{os.environ.get('CONVERT_TEST_ROLE', 'client')} {os.getpid()}\n".encode()

    def export_bundle(self, articles: Sequence[object]) -> bytes:
        return b"".join(self.export(a) for a in articles)


def use_test_formats() -> None:
    from seedkit import use_fakes

    from convert.exporters import register

    use_fakes()
    register(Where)


def dask_setup(worker: object) -> None:
    """Run by each worker process as it starts (`dask worker --preload clusterkit`)."""
    use_test_formats()


# --- the cluster ----------------------------------------------------------------------------


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def worker_pids(self) -> list[int]:
        """The worker processes (each `dask worker` is a nanny that runs its worker in a child)."""
        import psutil

        pids = []
        for nanny in self.workers:
            for child in psutil.Process(nanny.pid).children():
                try:
                    if "spawn_main" in " ".join(child.cmdline()):
                        pids.append(child.pid)
                except psutil.Error:  # a dead worker its nanny has not reaped yet
                    pass
        return pids

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:  # workers first: they close cleanly
            _signal_group(proc, signal.SIGTERM)
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)  # the nanny and its worker child


def start(folder: Path, workers: int = 2, env: dict[str, str] | None = None) -> Cluster:
    """A scheduler and `workers` single-threaded worker processes on 127.0.0.1, each registered."""
    folder.mkdir(parents=True, exist_ok=True)
    info = folder / "scheduler.json"
    env = {**os.environ, **(env or {}), "CONVERT_TEST_ROLE": "worker",
           "PYTHONPATH": os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH")) if p)}
    dask = [sys.executable, "-m", "dask"]

    def spawn(args: list[str], log: str) -> subprocess.Popen[bytes]:
        with open(folder / log, "wb") as out:
            return subprocess.Popen(dask + args, env=env, cwd=folder, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)

    scheduler = spawn(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(info)], "scheduler.log")
    cluster = Cluster("", scheduler)
    try:
        cluster.address = _wait_for(lambda: json.loads(info.read_text())["address"], scheduler)
        for i in range(workers):
            cluster.workers.append(spawn(
                ["worker", "--scheduler-file", str(info), "--host", "127.0.0.1", "--nthreads", "1",
                 "--no-dashboard", "--name", f"w{i}", "--local-directory", str(folder / f"w{i}"),
                 "--preload", "clusterkit"], f"w{i}.log"))
        for i, proc in enumerate(cluster.workers):
            log = folder / f"w{i}.log"
            _wait_for(lambda log=log: b"Registered to" in log.read_bytes(), proc)  # type: ignore[misc]
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _wait_for(ready: Any, proc: subprocess.Popen[bytes], timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = ready()
        except (OSError, ValueError):
            found = None
        if found:
            return found
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        time.sleep(0.1)
    raise TimeoutError(f"{proc.args} not ready after {timeout}s")


# --- runs in a separate process -------------------------------------------------------------


def _progress(address: str, src: str, out: str) -> None:
    from convert.engine.batch import Batch, Config
    from convert.engine.cluster import dask
    from convert.engine.report import Reporter

    class Recorder(Reporter):
        wants_total = True

        def __init__(self) -> None:
            self.totals: list[int] = []
            self.advances: list[int] = []

        def total(self, n: int) -> None:
            self.totals.append(n)

        def advance(self, n: int = 1) -> None:
            self.advances.append(n)

    recorder = Recorder()
    config = Config(formats=("where",), paths=(Path(src),), out=Path(out), chunk_size=2)
    summary = Batch(config, recorder, dask(address)).run()
    print(json.dumps({"totals": recorder.totals, "advances": recorder.advances,
                      "converted": summary.converted, "failed": summary.failed}))


if __name__ == "__main__":
    use_test_formats()
    if sys.argv[1] == "--progress":
        _progress(*sys.argv[2:5])
    else:
        from convert.cli import main

        main(sys.argv[1:], prog_name="convert")
