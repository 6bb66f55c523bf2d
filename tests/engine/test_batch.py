"""The batch engine: the pool gives what -j 1 gives, kill -9 leaves only whole files, failures
never damage good outputs, a dying worker is isolated, bundles, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from seedkit import complete, fakes, make_corpus, seed_text, write_seed
from testpaths import TESTS

import convert
from convert.cli import main
from convert.engine.manifest import FILENAME

__all__ = ["fakes"]  # a fixture



def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != FILENAME}


def test_pool_output_equals_in_process_output(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 40)
    write_seed(tmp_path / "in", "bad.md", headline="x").write_text("no fence at all\n")
    one = cli("txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "one"), "-j", "1")
    two = cli("txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "two"), "-j", "2")
    assert one[0] == two[0] == 1
    assert one[1].replace(str(tmp_path / "one"), "").split(" in ")[0] == \
        two[1].replace(str(tmp_path / "two"), "").split(" in ")[0]
    a, b = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert len(a) == 80 and a == b


def test_results_come_back_in_input_order(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 30)
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["json", str(tmp_path / "in"), "-o", str(tmp_path / jobs),
                                           "-j", jobs, "-v"])
        wrote = [line.split("/")[-1] for line in result.stderr.splitlines() if line.startswith("wrote")]
        areas = [line.split("/")[-2] for line in result.stderr.splitlines() if line.startswith("wrote")]
        assert len(wrote) == 30
        # the walk is sorted: area folders by name, files by name inside each
        assert areas == sorted(areas)
        assert wrote == [w for _, w in sorted(zip(areas, wrote, strict=True))]


def test_kill_9_leaves_only_whole_outputs_and_the_rerun_finishes_the_job(tmp_path: Path, fakes: None) -> None:
    seeds = make_corpus(tmp_path / "in", 120)
    out = tmp_path / "out"
    leftover = out / "Kent" / ".s0001.slow.~convert-abcd1234.tmp"  # as if an older run had been killed
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half")
    not_ours = out / "Kent" / "notes.tmp"
    not_ours.write_text("keep me")
    also_not_ours = out / "Kent" / ".notes.20240101.tmp"  # shaped like the old temporary names
    also_not_ours.write_text("keep me too")
    cmd = [sys.executable, str(TESTS / "seedkit.py"), "slow", str(tmp_path / "in"), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(cmd, env={**os.environ, "SLOW_DELAY": "0.03"}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.slow"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-run
    proc.wait()

    outputs = list(out.rglob("*.slow"))
    assert 20 <= len(outputs) < len(seeds), "the run should have been killed mid-way"
    assert all(complete(p.read_bytes()) for p in outputs)
    with sqlite3.connect(out / FILENAME) as db:
        recorded = db.execute("SELECT count(*) FROM outputs").fetchone()[0]
    assert 0 < recorded <= len(outputs)

    result = CliRunner().invoke(main, ["slow", str(tmp_path / "in"), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.stderr
    assert f"converted {len(seeds) - recorded}, up to date {recorded}, failed 0" in result.stderr
    assert all(complete(p.read_bytes()) for p in out.rglob("*.slow"))
    assert len(list(out.rglob("*.slow"))) == len(seeds)
    assert not list(out.rglob(".*~convert-*.tmp")), "temporary files of the killed run are cleaned up"
    assert not_ours.read_text() == "keep me" and also_not_ours.read_text() == "keep me too"


def test_a_failed_conversion_never_replaces_a_good_output(tmp_path: Path, fakes: None) -> None:
    seed = write_seed(tmp_path / "in", "a.md", headline="Fine today")
    out = tmp_path / "out"
    assert cli("picky,txt", str(tmp_path / "in"), "-o", str(out), "-j", "1")[0] == 0
    good = tree(out)
    # the seed turns unreadable: nothing is replaced
    seed.write_text("```yaml\narea: Kent\n")
    code, err = cli("picky,txt", str(tmp_path / "in"), "-o", str(out), "-j", "1")
    assert code == 1 and f"{seed}:1: " in err
    assert tree(out) == good
    # the seed is fine but one exporter fails on it: its old output stays, the other is updated
    seed.write_text(seed_text(headline="Now it goes boom"))
    code, err = cli("picky,txt", str(tmp_path / "in"), "-o", str(out), "-j", "1")
    assert code == 1 and f"{seed}: picky: cannot render this one" in err
    assert (out / "a.picky").read_bytes() == good["a.picky"]
    assert "Now it goes boom" in (out / "a.txt").read_text()


def test_a_worker_that_dies_is_named_and_the_rest_convert(tmp_path: Path, fakes: None) -> None:
    for i in range(24):
        headline = "This one will crash" if i == 13 else f"Fine {i}"
        write_seed(tmp_path / "in", f"s{i:02d}.md", headline=headline)
    code, err = cli("picky", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "2")
    assert code == 1
    died = [line for line in err.splitlines() if "worker process died" in line]
    assert died[0] == f"{tmp_path / 'in' / 's13.md'}: the worker process died while converting it " \
                      "(a crash, or out of memory)"
    assert "converted 23, up to date 0, failed 1" in err
    assert len(list((tmp_path / "out").glob("*.picky"))) == 23


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path, fakes: None) -> None:
    for i in range(30):
        write_seed(tmp_path / "in", f"s{i:02d}.md", headline="boom" if i in (3, 20) else f"Fine {i}")
    for jobs in ("1", "2"):
        code, err = cli("picky", str(tmp_path / "in"), "-o", str(tmp_path / jobs), "-j", jobs, "--fail-fast")
        assert code == 1
        failures = [line for line in err.splitlines() if "cannot render" in line]
        assert failures[0].startswith(str(tmp_path / "in" / "s03.md"))
        assert not any("s20.md" in line for line in failures)
        assert "failed 1" in err
        assert len(list((tmp_path / jobs).glob("*.picky"))) < 28


def test_bundle_holds_the_selected_articles_and_reruns_as_a_no_op(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 12)
    write_seed(tmp_path / "in" / "Kent", "undated.md", area="Kent", published=None,
               body="No date anywhere in this one.\n")
    pack = tmp_path / "packs" / "kent"
    args = ["txt,json", str(tmp_path / "in"), "--bundle", str(pack), "--area", "kent",
            "--since", "2020-01-01"]
    code, err = cli(*args, "-j", "2")
    assert code == 0, err
    assert "converted 3, up to date 0, failed 0, excluded 9, undated excluded 1" in err
    articles = json.loads((tmp_path / "packs" / "kent.json").read_bytes())
    assert len(articles) == 3 and {a["meta"]["area"] for a in articles} == {"Kent"}
    digest = (tmp_path / "packs" / "kent.txt").read_text()
    assert all(f"Appeal number {i} after incident" in digest for i in (1, 5, 9))
    before = tree(tmp_path / "packs")
    code, err = cli(*args, "-j", "2")
    assert code == 0 and "converted 0, up to date 3, failed 0, excluded 9, undated excluded 1" in err
    assert tree(tmp_path / "packs") == before
    # the same bundle from -j 1 is byte for byte the same
    code, _ = cli(*args, "-j", "1", "--force")
    assert code == 0 and tree(tmp_path / "packs") == before


def test_bundle_of_one_format_is_the_file_named(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    code, _ = cli("txt", str(tmp_path / "in"), "--bundle", str(tmp_path / "digest.TXT"))
    assert code == 0 and (tmp_path / "digest.TXT").read_text().count("Appeal number") >= 3
    code, _ = cli("txt", str(tmp_path / "in"), "--bundle", str(tmp_path / "plain"))
    assert code == 0 and (tmp_path / "plain.txt").read_text().count("Appeal number") >= 3


@pytest.mark.parametrize(("fmt", "name"), [("pdf", "kent.docx"), ("txt", "digest.text"), ("json", "a.txt")])
def test_a_bundle_named_with_another_formats_extension_is_a_usage_error(
        tmp_path: Path, fmt: str, name: str) -> None:
    make_corpus(tmp_path / "in", 2)
    code, err = cli(fmt, str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--bundle", name)
    assert code == 2 and "Traceback" not in err
    ext = convert.exporters.get(fmt).extension
    assert f"the {fmt} bundle {tmp_path / 'out' / name} must end in .{ext}" in err
    assert not (tmp_path / "out").exists()


def test_several_formats_keep_the_stem_rule_for_a_bundle(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    code, _ = cli("txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--bundle", "pack.txt")
    assert code == 0 and sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        FILENAME, "pack.json", "pack.txt"]


def test_bundle_goes_inside_out_when_o_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "in", 2)
    monkeypatch.chdir(tmp_path)
    assert cli("json", "in", "--bundle", "here.json")[0] == 0
    assert cli("json", "in", "-o", "packs", "--bundle", "there.json")[0] == 0
    assert (tmp_path / "here.json").is_file() and (tmp_path / "packs" / "there.json").is_file()
    assert not (tmp_path / "out").exists()


def test_a_bundle_nothing_matches_is_an_error(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    code, err = cli("json", str(tmp_path / "in"), "--bundle", str(tmp_path / "b.json"), "--grep", "zebra")
    assert code == 1 and "no articles selected" in err and not (tmp_path / "b.json").exists()


def test_ctrl_c_stops_cleanly_with_a_summary(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 200)
    out = tmp_path / "out"
    cmd = [sys.executable, str(TESTS / "seedkit.py"), "slow", str(tmp_path / "in"), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(cmd, env={**os.environ, "SLOW_DELAY": "0.03"}, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.slow"))) < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends to the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].endswith("(interrupted)")
    assert err.strip().splitlines()[-1].startswith("converted ")
    assert all(complete(p.read_bytes()) for p in out.rglob("*.slow"))
    assert len(list(out.rglob("*.slow"))) < 200


def test_library_entry_point(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 4)
    summary = convert.convert_paths(tmp_path / "in", "txt,json", tmp_path / "out", jobs=1, width=60)
    assert (summary.converted, summary.failed, summary.exit_code) == (4, 0, 0)
    assert len(tree(tmp_path / "out")) == 8
    again = convert.convert_paths([tmp_path / "in"], ["json"], tmp_path / "out", jobs=1, width=60)
    assert again.up_to_date == 4


def test_a_new_reader_revision_rebuilds_every_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same seed read by a changed reader may say something else (a kind, a fact): what the
    previous reader made is not up to date, though seed, exporter and options are the same."""
    make_corpus(tmp_path / "in", 3)
    assert convert.convert_paths(tmp_path / "in", "txt", tmp_path / "out", jobs=1).converted == 3
    assert convert.convert_paths(tmp_path / "in", "txt", tmp_path / "out", jobs=1).up_to_date == 3
    monkeypatch.setattr(convert, "READER_REVISION", convert.READER_REVISION + 1)
    again = convert.convert_paths(tmp_path / "in", "txt", tmp_path / "out", jobs=1)
    assert (again.converted, again.up_to_date) == (3, 0)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_output_folder_inside_the_input_is_not_read_back(tmp_path: Path, jobs: str) -> None:
    make_corpus(tmp_path / "in", 10)
    for _ in range(2):
        code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "in" / "out"), "-j", jobs)
        assert code == 0, err
    assert "up to date 10" in err


class RecordingExecutor:
    """A third-party executor as the engine sees one (Dask plugs in the same way): chunks are
    pickled on the way out and results on the way back, as across a network."""

    window = 3

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def submit(self, chunk: object) -> object:
        import pickle

        from convert.engine.work import run_chunk

        blob = pickle.dumps(chunk)
        self.chunks.append(blob)
        results = pickle.dumps(run_chunk(pickle.loads(blob)))

        class Done:
            def result(self) -> object:
                return pickle.loads(results)

            def cancel(self) -> bool:
                return False

        return Done()

    def restart(self) -> None:
        pass

    def close(self, cancel: bool = False) -> None:
        pass


def test_any_executor_gives_the_same_outputs_from_picklable_work_units(tmp_path: Path) -> None:
    from convert.engine.batch import Batch, Config

    make_corpus(tmp_path / "in", 20)
    ours = RecordingExecutor()
    config = Config(formats=("txt", "json"), paths=(tmp_path / "in",), out=tmp_path / "remote", chunk_size=3)
    summary = Batch(config, executor=lambda job: ours).run()
    assert (summary.converted, summary.failed) == (20, 0)
    assert len(ours.chunks) == 7  # 20 seeds in chunks of 3
    assert all(len(blob) < 20_000 for blob in ours.chunks)  # small: seed bytes, options, digests
    assert cli("txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "local"), "-j", "2")[0] == 0
    assert tree(tmp_path / "remote") == tree(tmp_path / "local")


NO_OP_PROBE = """
import sys
import convert.engine.executors as ex
class NoPool:
    def __init__(self, *a, **k):
        raise AssertionError("a pool was started")
ex.PoolExecutor = NoPool
from convert.cli import main
code = main(sys.argv[1:], standalone_mode=False)
heavy = [m for m in ("convert.reader", "markdown_it", "yaml", "weasyprint", "docx") if m in sys.modules]
print(code, heavy)
"""


def test_a_no_op_rerun_starts_no_pool_and_never_loads_the_reader(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 30)
    args = ["txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "2"]
    assert cli(*args)[0] == 0
    done = subprocess.run([sys.executable, "-c", NO_OP_PROBE, *args], capture_output=True, text=True,
                          check=False)
    assert done.stdout.strip() == "0 []", done.stderr
    assert "up to date 30" in done.stderr


def test_the_default_size_limit_is_the_readers() -> None:
    from convert.engine.batch import MAX_BYTES
    from convert.reader import MAX_BYTES as READER_MAX_BYTES

    assert MAX_BYTES == READER_MAX_BYTES


def test_work_units_travel_whole_through_pickle() -> None:
    """Tasks and results cross the pool's pipes as their class and fields (not the slotted
    dataclass's slow state): every field, defaults or not, comes back equal."""
    import pickle

    from convert.engine.work import Outcome, Result, Task
    from convert.select import Verdict

    task = Task(3, "a/b.md", "b.md", b"```yaml\n```\n", (("txt", "/o/b.txt"),), True)
    outcome = Outcome("txt", "/o/b.txt", "b.md: txt: boom", "Traceback ...")
    result = Result(3, "a/b.md", Verdict.INCLUDED, "err", "trace", ("line 2: w",), "removed 1 line",
                    (outcome, Outcome("md", "/o/b.md")), None, "Kent", 0.25)
    for unit in (task, outcome, result, Result(0, "x")):
        back = pickle.loads(pickle.dumps(unit, pickle.HIGHEST_PROTOCOL))
        assert back == unit and type(back) is type(unit)


def _freeze_count_after_init(conn) -> None:  # type: ignore[no-untyped-def]
    import gc

    from convert.engine.work import Job, init_worker
    from convert.select import Selection

    init_worker(Job((), (), (), Selection(), 1000), os.getppid())
    conn.send(gc.get_freeze_count())


def test_a_pool_worker_freezes_what_it_inherited() -> None:
    """A worker keeps the parent's objects for its whole life: frozen, the collector's full
    passes neither walk them nor copy their pages from the parent."""
    import multiprocessing

    here, there = multiprocessing.Pipe()
    child = multiprocessing.get_context("fork").Process(target=_freeze_count_after_init, args=(there,))
    child.start()
    assert here.poll(30)
    assert here.recv() > 1000  # the modules and everything else this test process holds
    child.join(10)
