"""Stopping and containing a run: a per-seed time limit (--timeout), Ctrl-C and SIGTERM end a run at
once with its summary and every finished output recorded, no worker outlives its run (even after
kill -9), and whatever one seed's conversion raises is that seed's one failure line.

The slow seeds come from a test exporter, `hang`: it writes a seed's headline at once, but loops
(in short sleeps) for ever on a seed whose headline says "hang", unless HANG_OFF is set.
`python tests/test_stopping.py ARGS...` runs the CLI with it registered, for the tests that need
a process of their own; those put a marker in the environment, which every worker inherits, to
find the processes of the run.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from seedkit import write_seed

import convert
import convert.exporters as exporters
from convert.cli import main

TESTS = Path(__file__).parent.parent
MARK = "CONVERT_TEST_RUN"
# -j 1 runs in one worker process when there is a time limit, in this process without one
MODES = [("-j", "2"), ("-j", "1"), ("-j", "1", "--timeout", "0")]


class Hang:
    name = "hang"
    extension = "hang"
    description = "test: never ends on a seed whose headline says 'hang'"
    version = "1"
    style_files: tuple[str, ...] = ()

    def __init__(self, options: object) -> None:
        pass

    def export(self, article: Any) -> bytes:
        headline = article.meta.headline
        if "hang" in headline and not os.environ.get("HANG_OFF"):
            while True:  # short sleeps: interruptible, like Python code that never ends
                time.sleep(0.01)
        return f"{headline}\n".encode()

    def export_bundle(self, articles: Sequence[Any]) -> bytes:
        return b"".join(self.export(a) for a in articles)


class Greedy(Hang):
    """Raises `error` on a seed whose headline says 'Greedy'."""

    name = extension = "greedy"
    error: BaseException = MemoryError()

    def export(self, article: Any) -> bytes:
        if "Greedy" in article.meta.headline:
            raise self.error
        return super().export(article)


@pytest.fixture(autouse=True)
def cold() -> Iterator[None]:
    """Exporters are built once per process: each test builds its own."""
    exporters.REGISTRY.reload()
    yield
    for name in ("hang", "greedy", "quit"):
        exporters.unregister(name)


@pytest.fixture
def hang(monkeypatch: pytest.MonkeyPatch) -> None:
    exporters.register(Hang, "hang")


def seeds(folder: Path, headlines: Sequence[str]) -> list[Path]:
    """One seed per headline, s00.md, s01.md...: the walk takes them in this order."""
    return [write_seed(folder, f"s{i:02d}.md", headline=h) for i, h in enumerate(headlines)]


def cli(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr.splitlines()


def start(*args: str, marker: str, stderr: Any = subprocess.PIPE) -> subprocess.Popen[str]:
    """The CLI with `hang` registered, in a session of its own (a terminal's process group)."""
    env = {**os.environ, MARK: marker, "PYTHONPATH": str(TESTS)}  # seedkit, when run as a script
    return subprocess.Popen([sys.executable, str(Path(__file__)), *args], start_new_session=True,
                            env=env, stdout=subprocess.DEVNULL, stderr=stderr, text=True)


def processes(marker: str) -> list[int]:
    """Every live process with `marker` in its environment: the run's main process and workers."""
    found = []
    needle = f"{MARK}={marker}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                marked = needle in fh.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as fh:
                zombie = fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
        except OSError:  # gone meanwhile
            continue
        if marked and not zombie:
            found.append(int(entry))
    return found


def wait_for(ready: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


# --- the time limit ------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_seed_past_the_time_limit_fails_in_one_line_and_the_others_convert(
        tmp_path: Path, hang: None, jobs: str) -> None:
    # s01 shares its chunk (the first chunks hold 4 seeds) with s00, s02 and s03
    inputs = seeds(tmp_path / "in", [f"Fine {i}" if i != 1 else "This one will hang" for i in range(12)])
    code, lines = cli("hang", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", jobs,
                      "--timeout", "0.5")
    assert code == 1
    assert lines[0] == f"{inputs[1]}: took longer than 0.5 s; skipped"
    assert lines[1].startswith("converted 11, up to date 0, failed 1, in ") and len(lines) == 2
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert written == [f"s{i:02d}.hang" for i in range(12) if i != 1]
    assert (tmp_path / "out" / "s02.hang").read_text() == "Fine 2\n"


def test_the_library_takes_a_time_limit_too(tmp_path: Path, hang: None) -> None:
    inputs = seeds(tmp_path / "in", ["Fine", "It will hang"])
    summary = convert.convert_paths(tmp_path / "in", "hang", tmp_path / "out", jobs=1, timeout=0.3)
    assert (summary.converted, summary.failed, summary.exit_code) == (1, 1, 1)
    assert summary.failures == {str(inputs[1]): f"{inputs[1]}: took longer than 0.3 s; skipped"}


def test_on_a_cluster_worker_the_limit_is_kept_inside_the_task(tmp_path: Path, hang: None) -> None:
    """As on a Dask worker: the chunk runs in a thread of a process that is not ours to end."""
    from convert.engine.cluster import expect, run_on_worker
    from convert.engine.work import Chunk, Job, Task
    from convert.exporters import Options
    from convert.reader import MAX_BYTES
    from convert.select import Selection

    job = Job(("hang",), (Options(),), (Options().theme.digest(()),), Selection(), MAX_BYTES, timeout=0.3)
    tasks = tuple(
        Task(i, f"{name}.md", f"{name}.md", write_seed(tmp_path, f"{name}.md", headline=line).read_bytes(),
             (("hang", str(tmp_path / f"{name}.hang")),), False)
        for i, (name, line) in enumerate([("a", "Fine"), ("b", "It will hang"), ("c", "Also fine")]))
    seen: dict[str, Any] = {}

    def task_thread() -> None:
        try:
            seen["results"] = run_on_worker(Chunk(job, tasks), expect(job))
            time.sleep(0.5)  # no late exception from the timer may land here
            seen["after"] = "clean"
        except BaseException as exc:
            seen["after"] = repr(exc)

    thread = threading.Thread(target=task_thread)
    thread.start()
    thread.join(30)
    a, b, c = seen["results"]
    assert b.error == "b.md: took longer than 0.3 s; skipped"
    assert not a.failed and not c.failed and seen["after"] == "clean"
    assert (tmp_path / "c.hang").read_text() == "Also fine\n" and not (tmp_path / "b.hang").exists()


# --- Ctrl-C and SIGTERM --------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES, ids=" ".join)
@pytest.mark.parametrize(("how", "status", "said"), [
    ("SIGINT", 130, "(interrupted)"),  # to the whole group, as a terminal sends it
    ("SIGTERM", 143, "(terminated)"),  # to the main process alone, as `kill PID` does
])
def test_a_stop_signal_ends_the_run_within_2_s_with_its_summary_and_every_output_recorded(
        tmp_path: Path, hang: None, monkeypatch: pytest.MonkeyPatch, mode: tuple[str, ...], how: str,
        status: int, said: str) -> None:
    seeds(tmp_path / "in", [f"Fine {i}" for i in range(10)] + [f"Will hang {i}" for i in range(6)])
    out, marker = tmp_path / "out", uuid.uuid4().hex
    proc = start("hang", str(tmp_path / "in"), "-o", str(out), *mode, marker=marker)
    # s08 and s09 share a chunk with the first seed that hangs: they come back, the chunk never does
    wait_for(lambda: len(list(out.glob("*.hang"))) == 10)
    time.sleep(0.3)  # the workers are on seeds that never end
    sent = time.monotonic()
    if how == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)  # returns once every holder of stderr (each worker) is gone
    took = time.monotonic() - sent
    assert proc.returncode == status, err
    assert took < 2, f"took {took:.1f} s to stop"
    (line,) = err.splitlines()
    assert line.startswith("converted 10, up to date 0, failed 0, in ") and line.endswith(f"s {said}")
    assert not processes(marker)
    # every output on disk was recorded: the next run builds only the six others
    monkeypatch.setenv("HANG_OFF", "1")
    code, lines = cli("hang", str(tmp_path / "in"), "-o", str(out))
    assert code == 0 and lines[0].startswith("converted 6, up to date 10, failed 0")


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_a_library_run_is_stopped_cleanly_and_sigterm_still_ends_the_program(
        tmp_path: Path, hang: None, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    seeds(tmp_path / "in", [f"Fine {i}" for i in range(10)] + [f"Will hang {i}" for i in range(6)])
    out, marker = tmp_path / "out", uuid.uuid4().hex
    proc = start("--library", str(tmp_path / "in"), str(out), marker=marker)
    wait_for(lambda: len(list(out.glob("*.hang"))) == 10)
    time.sleep(0.3)
    os.kill(proc.pid, getattr(signal, how))
    said = proc.communicate(timeout=60)[1]
    if how == "SIGINT":  # Ctrl-C: the call returns its summary, the program goes on
        assert proc.returncode == 0 and said.splitlines() == ["returned: interrupted, exit_code 130"]
    else:  # SIGTERM: the run is cleaned up, then the program ends as it would have
        assert proc.returncode == -signal.SIGTERM and "returned" not in said
    assert not processes(marker)
    monkeypatch.setenv("HANG_OFF", "1")
    code, lines = cli("hang", str(tmp_path / "in"), "-o", str(out))
    assert code == 0 and lines[0].startswith("converted 6, up to date 10, failed 0")


# --- no orphans ----------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_kill_9_of_the_run_leaves_no_worker_behind(tmp_path: Path, jobs: str) -> None:
    seeds(tmp_path / "in", ["Fine 0", "Fine 1"] + [f"Will hang {i}" for i in range(8)])
    out, marker = tmp_path / "out", uuid.uuid4().hex
    proc = start("hang", str(tmp_path / "in"), "-o", str(out), "-j", jobs, marker=marker,
                 stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(list(out.glob("*.hang"))) == 2 and len(processes(marker)) > 1)
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)  # the main process only: its workers are on their own
        proc.wait()
        deadline = time.monotonic() + 3
        while processes(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not processes(marker), "workers outlived their run"
    finally:
        for pid in processes(marker):  # do not leave them to the next test either
            os.kill(pid, signal.SIGKILL)


def test_a_worker_ends_on_sigterm(tmp_path: Path) -> None:
    seeds(tmp_path / "in", ["Will hang 0"])  # one seed: one worker
    marker = uuid.uuid4().hex
    proc = start("hang", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "2", marker=marker,
                 stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(processes(marker)) == 2)
        (worker,) = (pid for pid in processes(marker) if pid != proc.pid)
        os.kill(worker, signal.SIGTERM)
        wait_for(lambda: worker not in processes(marker), timeout=2)
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(30)
    assert proc.returncode == 143


# --- whatever a seed raises is its failure -------------------------------------------------


def _out_of_memory(*args: object, **kwargs: object) -> str:
    raise MemoryError


@pytest.mark.parametrize("mode", MODES, ids=" ".join)
@pytest.mark.parametrize("where", ["reader", "selection", "exporter"])
def test_out_of_memory_in_one_seed_is_that_seeds_failure_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, mode: tuple[str, ...]) -> None:
    import traceback

    import convert.reader
    from convert.select import Selection

    inputs = seeds(tmp_path / "in", ["Fine 0", "Greedy 1", "Fine 2", "Fine 3"])
    exporters.register(type("Greedy", (Greedy,), {"error": MemoryError()}), "greedy")
    if where == "reader":
        loads = convert.reader.loads_with_repairs  # what the worker calls

        def greedy_loads(data: bytes, *args: Any, **kwargs: Any) -> Any:
            if b"Greedy" in data:
                raise MemoryError
            return loads(data, *args, **kwargs)

        monkeypatch.setattr(convert.reader, "loads_with_repairs", greedy_loads)
    elif where == "selection":
        verdict = Selection.verdict

        def greedy_verdict(self: Selection, article: Any) -> Any:
            if "Greedy" in article.meta.headline:
                raise MemoryError
            return verdict(self, article)

        monkeypatch.setattr(Selection, "verdict", greedy_verdict)
    monkeypatch.setattr(traceback, "format_exc", _out_of_memory)  # no memory to describe it either
    code, lines = cli("greedy", str(tmp_path / "in"), "-o", str(tmp_path / "out"), *mode,
                      "--grep", "information")  # every seed matches; the selection runs
    expected = {"reader": "cannot read: MemoryError", "selection": "MemoryError",
                "exporter": "greedy: MemoryError"}
    assert code == 1
    assert lines[0] == f"{inputs[1]}: {expected[where]}"
    assert lines[1].startswith("converted 3, up to date 0, failed 1, excluded 0") and len(lines) == 2
    assert len(list((tmp_path / "out").glob("*.greedy"))) == 3


@pytest.mark.parametrize("mode", MODES, ids=" ".join)
@pytest.mark.parametrize(("error", "said"), [(SystemExit(3), "SystemExit: 3"),
                                             (KeyboardInterrupt(), "KeyboardInterrupt")])
def test_a_plugin_raising_systemexit_or_keyboardinterrupt_fails_that_seed_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, said: str,
        mode: tuple[str, ...]) -> None:
    from convert.exporters import plugins

    plugin = plugins._guarded(type("Quit", (Greedy,), {"error": error}), "quit", "convert-quit", "1.0")
    exporters.register(plugin, "quit")
    inputs = seeds(tmp_path / "in", ["Fine 0", "Greedy 1", "Fine 2"])
    code, lines = cli("quit", str(tmp_path / "in"), "-o", str(tmp_path / "out"), *mode)
    assert code == 1  # not an exit, not an interrupt: a failure, and the run went on
    assert lines[0] == f"{inputs[1]}: quit: {said} (exporter from package convert-quit)"
    assert lines[1].startswith("converted 2, up to date 0, failed 1, in ") and len(lines) == 2
    assert sorted(p.name for p in (tmp_path / "out").glob("*.greedy")) == ["s00.greedy", "s02.greedy"]


# --- what a run prints ---------------------------------------------------------------------


def test_a_failure_is_listed_again_under_the_bar_but_not_in_a_log() -> None:
    from rich.console import Console

    from convert.cli.progress import BarReporter, PlainReporter
    from convert.engine.report import Summary

    summary = Summary(converted=1, failed=1, failures={"a.md": "a.md:3: bad header"})
    log = io.StringIO()
    PlainReporter(stream=log).finish(summary)
    assert log.getvalue().splitlines() == [summary.line()]
    bar = BarReporter()
    bar.console = Console(file=io.StringIO(), width=200)
    bar.finish(summary)
    said = bar.console.file.getvalue().splitlines()
    assert said == [summary.line(), "failed files (1):", "  a.md:3: bad header"]


if __name__ == "__main__":
    exporters.register(Hang, "hang")
    if sys.argv[1] == "--library":
        done = convert.convert_paths(sys.argv[2], "hang", sys.argv[3], jobs=2)
        print(f"returned: {'interrupted' if done.interrupted else 'finished'}, exit_code {done.exit_code}",
              file=sys.stderr)
    else:
        main(sys.argv[1:], prog_name="convert")
