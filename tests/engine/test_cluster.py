"""`--scheduler`: the batch on a real Dask cluster (a scheduler and two worker processes on
loopback) gives the local pool's results byte for byte, survives a worker killed mid-run, and
without `--scheduler` nothing imports Dask.

The cluster and every `convert` run against it are separate processes: the test process never
starts Dask's threads (other tests fork local pools)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import CancelledError
from pathlib import Path
from types import SimpleNamespace

import clusterkit
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from seedkit import complete, make_corpus, write_seed
from testpaths import REPO, TESTS

from convert.cli import main
from convert.engine.cluster import DaskHandle, Expect, expect, run_on_worker
from convert.engine.executors import WorkerLost
from convert.engine.manifest import FILENAME
from convert.engine.work import Chunk, Job, Task, run_chunk
from convert.exporters import get
from convert.reader import MAX_BYTES
from convert.select import Selection


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[clusterkit.Cluster]:
    running = clusterkit.start(tmp_path_factory.mktemp("cluster"), workers=2, env={"SLOW_DELAY": "0.05"})
    try:
        yield running
    finally:
        running.stop()


def convert(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process, with the test formats registered (as on the workers)."""
    return subprocess.run([sys.executable, str(TESTS / "clusterkit.py"), *args], cwd=cwd, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=180)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != FILENAME}


def summary(stderr: str) -> str:
    """The summary line without the elapsed time."""
    line = next(line for line in stderr.splitlines() if line.startswith("converted "))
    return line.rsplit(", in ", 1)[0]


def corpus(folder: Path) -> Path:
    """Generated seeds, the real sample seed, hostile ones, and one that cannot be read."""
    make_corpus(folder, 24)
    shutil.copy(REPO / "seeds" / "000_8253f2a74fd231eb.txt", folder / "real.txt")
    for hostile in sorted((TESTS / "fixtures" / "hostile").glob("*.txt")):
        shutil.copy(hostile, folder / f"hostile-{hostile.name}")
    write_seed(folder, "broken.md").write_text("no fence, no header\n")
    return folder


# --- against the cluster --------------------------------------------------------------------


def test_bulletins_and_json_are_byte_identical_to_the_local_pool(
        cluster: clusterkit.Cluster, tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    local = convert("txt,json,where", "in", "-o", "local", "-j", "2", cwd=tmp_path)
    # a relative output folder: the workers run elsewhere (another cwd) and still write here
    remote = convert("txt,json,where", "in", "-o", "remote", "--scheduler", cluster.address, cwd=tmp_path)
    assert local.returncode == remote.returncode == 1  # broken.md, listed once
    assert summary(local.stderr) == summary(remote.stderr) == "converted 27, up to date 0, failed 1"
    assert len([line for line in remote.stderr.splitlines() if "broken.md" in line]) == 1
    a, b = tree(tmp_path / "local"), tree(tmp_path / "remote")
    written = {k for k in a if not k.endswith(".where")}
    assert len(written) == 54
    assert {k: a[k] for k in written} == {k: b[k] for k in written}
    # ... and it really ran on the cluster: both workers, none of it in the client
    where = [b[k].split() for k in b if k.endswith(".where")]
    assert len(where) == 27 and {role for role, _ in where} == {b"worker"}
    assert len({pid for _, pid in where}) == 2
    assert {a[k].split()[0] for k in a if k.endswith(".where")} == {b"client"}
    # one manifest, whichever executor wrote it: the rerun has nothing to do (but the broken seed)
    again = convert("txt,json,where", "in", "-o", "local", "--scheduler", cluster.address, cwd=tmp_path)
    assert summary(again.stderr) == "converted 0, up to date 27, failed 1"


def test_pdfs_from_the_cluster_are_valid(cluster: clusterkit.Cluster, tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 6)
    shutil.copy(REPO / "seeds" / "000_8253f2a74fd231eb.txt", tmp_path / "in" / "real.txt")
    result = convert("pdf,where", "in", "-o", "out", "--scheduler", cluster.address, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pdfs = sorted((tmp_path / "out").rglob("*.pdf"))
    assert len(pdfs) == 7
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-")
        text = " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)
        if pdf.stem == "real":
            assert "Significant improvements in child protection" in " ".join(text.split())
        else:
            number = int(pdf.stem[1:])
            assert f"Appeal number {number} after incident" in " ".join(text.split())
    assert {p.read_bytes().split()[0] for p in (tmp_path / "out").rglob("*.where")} == {b"worker"}


def test_a_pack_is_laid_out_in_parts_on_the_cluster(cluster: clusterkit.Cluster, tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 8)
    env = {"CONVERT_PACK_PART": "2"}  # several parts from a handful of seeds
    result = convert("pdf", "in", "--bundle", "out/pack.pdf", "--scheduler", cluster.address, cwd=tmp_path,
                     env=env)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out" / ".convert-parts").glob("*.pdf"))) >= 3
    whole = convert("pdf", "in", "--bundle", "whole/pack.pdf", "-j", "1", cwd=tmp_path,
                    env={"CONVERT_PACK_PART": "0"})
    assert whole.returncode == 0, whole.stderr
    merged, single = PdfReader(tmp_path / "out" / "pack.pdf"), PdfReader(tmp_path / "whole" / "pack.pdf")
    assert [p.extract_text() for p in merged.pages] == [p.extract_text() for p in single.pages]
    assert [o.title for o in merged.outline if not isinstance(o, list)] == \
        [o.title for o in single.outline if not isinstance(o, list)]


def test_convert_scheduler_in_the_environment_and_an_explicit_j_beats_it(
        cluster: clusterkit.Cluster, tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 10)
    env = {"CONVERT_SCHEDULER": cluster.address}
    assert convert("where", "in", "-o", "env", cwd=tmp_path, env=env).returncode == 0
    assert convert("where", "in", "-o", "j1", "-j", "1", cwd=tmp_path, env=env).returncode == 0
    assert {p.read_bytes().split()[0] for p in (tmp_path / "env").rglob("*.where")} == {b"worker"}
    assert {p.read_bytes().split()[0] for p in (tmp_path / "j1").rglob("*.where")} == {b"client"}


def test_progress_follows_the_cluster_one_seed_at_a_time(cluster: clusterkit.Cluster, tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 20)
    run = subprocess.run([sys.executable, str(TESTS / "clusterkit.py"), "--progress", cluster.address,
                          str(tmp_path / "in"), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["totals"] == [20]  # the bar's total, before any work
    assert seen["advances"] == [1] * 20  # one step per seed as its result arrives, not one at the end
    assert (seen["converted"], seen["failed"]) == (20, 0)


def test_a_worker_killed_mid_run_leaves_every_output_complete(
        cluster: clusterkit.Cluster, tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 160)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(TESTS / "clusterkit.py"), "slow,txt", "in", "-o", "out",
                             "--scheduler", cluster.address], cwd=tmp_path, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.slow"))) < 30 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    victims = cluster.worker_pids()
    assert len(victims) == 2
    assert proc.poll() is None, "the run ended before a worker could be killed"
    os.kill(victims[0], signal.SIGKILL)  # mid-task: a crash, or the OOM killer
    _, stderr = proc.communicate(timeout=180)

    assert proc.returncode == 0, stderr
    assert summary(stderr) == "converted 160, up to date 0, failed 0"
    slow, txt = sorted(out.rglob("*.slow")), sorted(out.rglob("*.txt"))
    assert len(slow) == len(txt) == 160
    assert all(complete(p.read_bytes()) for p in slow)
    assert all(p.read_text().count("Appeal number") >= 1 for p in txt)
    assert victims[0] not in cluster.worker_pids()  # it really died (its nanny starts another)


def test_the_time_limit_holds_on_the_workers(cluster: clusterkit.Cluster, tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 4)
    # each `slow` export sleeps 0.05 s on these workers: past a limit of 0.01 s, inside the task
    result = convert("where,slow", "in", "-o", "out", "--scheduler", cluster.address, "--timeout", "0.01",
                     cwd=tmp_path)
    assert result.returncode == 1
    failed = [ln for ln in result.stderr.splitlines() if ln.endswith("took longer than 0.01 s; skipped")]
    assert len(failed) == 4 and summary(result.stderr) == "converted 0, up to date 0, failed 4"
    assert not list((tmp_path / "out").rglob("*.slow"))
    # the same workers go on to convert within the default limit
    again = convert("where,slow", "in", "-o", "out", "--scheduler", cluster.address, cwd=tmp_path)
    assert again.returncode == 0 and summary(again.stderr) == "converted 4, up to date 0, failed 0"


# --- without a cluster ----------------------------------------------------------------------


def test_a_local_run_never_imports_dask(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 20)
    code = (
        "import sys\n"
        "from convert.cli import main\n"
        "code = main(['txt,json', 'in', '-o', 'out', '-j', '2', '-q'], standalone_mode=False)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "print(code, len(list(__import__('pathlib').Path('out').rglob('*.json'))), loaded)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if k != "CONVERT_SCHEDULER"}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "20", "[]"]


@pytest.mark.parametrize("seeds", [12, 1])  # one seed too: never quietly run here instead
def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, seeds: int) -> None:
    make_corpus(tmp_path / "in", seeds)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    result = convert("txt", "in", "-o", "out", "--scheduler", address, cwd=tmp_path,
                     env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: cannot reach the Dask scheduler at {address}")
    assert not list((tmp_path / "out").rglob("*.txt"))


def test_scheduler_and_jobs_together_is_a_usage_error(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    result = CliRunner().invoke(main, ["txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                                       "--scheduler", "tcp://127.0.0.1:1", "-j", "2"])
    assert result.exit_code == 2
    assert "-j and --scheduler cannot be used together" in result.stderr


# --- the worker side and the handle, in this process -----------------------------------------


def job(fmt: str = "txt", digest: str | None = None) -> Job:
    cls = get(fmt)
    options = cls.options_class()
    real = options.theme.digest(tuple(cls.style_files))
    return Job((fmt,), (options,), (digest or real,), Selection(), MAX_BYTES)


def chunk(tmp_path: Path, the_job: Job, output: str | None = None) -> Chunk:
    data = write_seed(tmp_path, "a.md", headline="Road closed after crash").read_bytes()
    target = output or str(tmp_path / "a.txt")
    return Chunk(the_job, (Task(0, "a.md", "a.md", data, (("txt", target),), False),))


def test_a_worker_builds_what_run_chunk_builds(tmp_path: Path) -> None:
    c = chunk(tmp_path, job())
    (result,) = run_on_worker(c, expect(c.job))
    assert not result.failed and result.outputs[0].path == str(tmp_path / "a.txt")
    first = (tmp_path / "a.txt").read_bytes()
    run_chunk(c)
    assert (tmp_path / "a.txt").read_bytes() == first and b"Road closed after crash" in first


@pytest.mark.parametrize(("case", "reason"), [
    ("version", "this machine 0.0.0: install the same version on every worker"),
    ("exporter", "of the txt exporter, this machine 999"),
    ("styles", "sees other style files for txt than this machine"),
    ("relative", "the output path out/a.txt is relative"),
])
def test_a_worker_that_would_build_something_else_fails_its_seeds(
        tmp_path: Path, case: str, reason: str) -> None:
    the_job = job(digest="0" * 16 if case == "styles" else None)
    wanted = expect(the_job)
    if case == "version":
        wanted = Expect("0.0.0", wanted.exporters)
    if case == "exporter":
        wanted = Expect(wanted.version, ("999",))
    c = chunk(tmp_path, the_job, "out/a.txt" if case == "relative" else None)
    (result,) = run_on_worker(c, wanted)
    assert result.failed and result.error is not None
    assert result.error.startswith("a.md: ") and reason in result.error
    assert not (tmp_path / "a.txt").exists() and not (tmp_path / "out").exists()


class Future:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def result(self) -> object:
        raise self.error

    def cancel(self) -> None:
        pass


def test_the_handle_turns_distributed_failures_into_the_engines(tmp_path: Path) -> None:
    from distributed import KilledWorker

    tasks = chunk(tmp_path, job()).tasks
    live: set[object] = set()
    with pytest.raises(WorkerLost, match="kept dying"):
        DaskHandle(Future(KilledWorker("convert-0", SimpleNamespace(address="tcp://x"), 3)), tasks,
                   live).result()
    with pytest.raises(WorkerLost, match="dropped"):  # cancelled by the cluster: rerun it
        DaskHandle(Future(CancelledError("convert-0")), tasks, live).result()
    ours = DaskHandle(Future(CancelledError("convert-0")), tasks, live)
    assert ours.cancel()
    with pytest.raises(CancelledError):  # cancelled by us: stays cancelled
        ours.result()
    # raised on the worker (convert missing there): the seeds are listed as failed, the run goes on
    (failed,) = DaskHandle(Future(ModuleNotFoundError("No module named 'convert'")), tasks, live).result()
    assert failed.error == "a.md: failed on the cluster: ModuleNotFoundError: No module named 'convert'"
