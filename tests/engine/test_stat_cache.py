"""A rerun costs what `git status` costs: a seed (or style file) whose stat is the one recorded
with its hash is not read again; any other stat, even with the size and mtime put back, is
read and hashed again; a touched but identical file still rebuilds nothing. Also: one walk
(each input folder listed once) and manifest records written together, at commit."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from seedkit import make_corpus

from convert.cli import main
from convert.engine import manifest
from convert.engine.manifest import FILENAME, Manifest, Stamp
from convert.engine.plan import Planner
from convert.styles import default_dir


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust stats at once: the seeds here were written a moment ago (see test_racy_...)."""
    monkeypatch.setattr(manifest, "RACY_NS", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The seeds the engine reads, by relative path, as they are read."""
    seen: list[str] = []
    real = Planner.read

    def counted(self: Planner, source: object) -> bytes | None:
        seen.append(source.relative)  # type: ignore[attr-defined]
        return real(self, source)  # type: ignore[arg-type]

    monkeypatch.setattr(Planner, "read", counted)
    return seen


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, [*args, "-v", "-j", "1", "--timeout", "0"])
    wrote = sorted(line.removeprefix("wrote ") for line in result.stderr.splitlines()
                   if line.startswith("wrote "))
    return result.exit_code, wrote, result.stderr


def same_stat_but_changed(path: Path, text: str) -> None:
    """New content of the same length, with the old mtime put back: only ctime tells."""
    before = path.stat()
    assert len(text.encode()) == before.st_size
    for _ in range(100):  # until the file system's clock has ticked past the old ctime
        path.write_text(text)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        if path.stat().st_ctime_ns != before.st_ctime_ns:
            break
        time.sleep(0.01)
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == \
        (before.st_size, before.st_mtime_ns, before.st_ino)


def test_an_unchanged_seed_is_not_read_again(tmp_path: Path, settled: None, reads: list[str]) -> None:
    make_corpus(tmp_path / "in", 5)
    out = str(tmp_path / "out")
    assert run("txt,json", str(tmp_path / "in"), "-o", out)[0] == 0
    assert len(reads) == 5
    reads.clear()
    code, wrote, err = run("txt,json", str(tmp_path / "in"), "-o", out)
    assert (code, wrote, reads) == (0, [], [])
    assert "converted 0, up to date 5, failed 0" in err
    (tmp_path / "out" / "Kent" / "s0001.txt").unlink()  # work to do: then it is read, and rebuilt
    code, wrote, _ = run("txt,json", str(tmp_path / "in"), "-o", out)
    assert (code, wrote, reads) == (0, [out + "/Kent/s0001.txt"], ["Kent/s0001.md"])


def test_a_changed_seed_with_its_size_and_mtime_put_back_is_read_and_rebuilt(
    tmp_path: Path, settled: None, reads: list[str]
) -> None:
    seeds = make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert run("txt", str(tmp_path / "in"), "-o", str(out))[0] == 0
    text = seeds[1].read_text()
    same_stat_but_changed(seeds[1], text.replace("Officers", "Deputies"))  # same length
    reads.clear()
    code, wrote, _ = run("txt", str(tmp_path / "in"), "-o", str(out))
    assert code == 0 and reads == [seeds[1].relative_to(tmp_path / "in").as_posix()]
    assert wrote == [str(out / seeds[1].relative_to(tmp_path / "in").with_suffix(".txt"))]
    assert "Deputies" in Path(wrote[0]).read_text()


def test_a_touched_seed_is_hashed_again_and_rebuilds_nothing(
    tmp_path: Path, settled: None, reads: list[str]
) -> None:
    seeds = make_corpus(tmp_path / "in", 3)
    out = str(tmp_path / "out")
    run("txt", str(tmp_path / "in"), "-o", out)
    os.utime(seeds[0], ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))  # touched: a new mtime
    reads.clear()
    code, wrote, err = run("txt", str(tmp_path / "in"), "-o", out)
    assert (code, wrote, len(reads)) == (0, [], 1) and "up to date 3" in err
    reads.clear()
    assert run("txt", str(tmp_path / "in"), "-o", out)[1] == [] and reads == []  # its new stat is kept


def test_a_seed_changed_just_before_its_stat_was_taken_is_not_trusted(
    tmp_path: Path, reads: list[str]
) -> None:
    """A file changed within RACY_NS of the walk could change again in the same clock tick
    without its stat changing: its stat is not recorded, so the next run reads it again."""
    make_corpus(tmp_path / "in", 3)  # just written
    out = tmp_path / "out"
    run("txt", str(tmp_path / "in"), "-o", str(out))
    reads.clear()
    assert run("txt", str(tmp_path / "in"), "-o", str(out))[1] == [] and len(reads) == 3
    with contextlib.closing(sqlite3.connect(out / FILENAME)) as db:
        paths = [row[0] for row in db.execute("SELECT path FROM stats")]
    assert paths and not [p for p in paths if p.startswith(str(tmp_path))]  # the shipped styles only


def test_force_and_bundles_use_the_cache_rightly(tmp_path: Path, settled: None, reads: list[str]) -> None:
    seeds = make_corpus(tmp_path / "in", 4)
    out = tmp_path / "out"
    run("txt", str(tmp_path / "in"), "-o", str(out))
    reads.clear()
    assert len(run("txt", str(tmp_path / "in"), "-o", str(out), "--force")[1]) == 4 and len(reads) == 4
    pack = tmp_path / "pack.txt"
    assert run("txt", str(tmp_path / "in"), "--bundle", str(pack))[1] == [str(pack)]
    reads.clear()
    assert run("txt", str(tmp_path / "in"), "--bundle", str(pack))[1] == [] and reads == []
    same_stat_but_changed(seeds[3], seeds[3].read_text().replace("Officers", "Deputies"))
    code, wrote, _ = run("txt", str(tmp_path / "in"), "--bundle", str(pack))
    assert code == 0 and wrote == [str(pack)] and "Deputies" in pack.read_text()


def test_style_files_go_through_the_stat_cache(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path / "in", 2)
    styles = tmp_path / "styles"
    styles.mkdir()
    template = styles / "bulletin.txt.j2"
    template.write_text((default_dir() / "bulletin.txt.j2").read_text())
    args = ("txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--styles", str(styles))
    assert len(run(*args)[1]) == 4

    def unread(*_: object) -> None:
        raise AssertionError("a style file was read again")

    with monkeypatch.context() as patched:  # unchanged: no style file is read to decide
        patched.setattr(manifest.hashlib, "file_digest", unread)
        assert run(*args)[:2] == (0, [])
    os.utime(template)  # touched: read again, same content, nothing rebuilt
    assert run(*args)[:2] == (0, [])
    same_stat_but_changed(template, template.read_text().replace('"References"', '"Links here"'))
    code, wrote, _ = run(*args)
    assert code == 0 and [Path(p).suffix for p in wrote] == [".txt", ".txt"]  # the bulletins only


def test_an_older_manifest_gains_the_stat_table(tmp_path: Path) -> None:
    """A manifest made before the stat cache (without its table) is used as it is, not set aside."""
    make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert run("json", str(tmp_path / "in"), "-o", str(out))[0] == 0
    with contextlib.closing(sqlite3.connect(out / FILENAME)) as db:
        db.execute("DROP TABLE stats")
        db.commit()
    code, wrote, err = run("json", str(tmp_path / "in"), "-o", str(out))
    assert (code, wrote) == (0, []) and "warning" not in err
    assert not [p for p in out.iterdir() if ".bad-" in p.name]


def test_records_are_written_together_when_committed(tmp_path: Path) -> None:
    stamp = Stamp("a" * 64, "txt", "1", "s", "o", "0.1.0")
    with Manifest(tmp_path) as m:
        m.record("x.txt", "x.md", stamp)
        m.commit()
        m.record("y.txt", "y.md", stamp)
        m.remember_hash("/seeds/y.md", (5, 1, 1, 7, 9), "b" * 64, time.time_ns())
        with contextlib.closing(sqlite3.connect(tmp_path / FILENAME)) as db:
            assert db.execute("SELECT path FROM outputs").fetchall() == [("x.txt",)]  # not yet y.txt
        m.commit()
        with contextlib.closing(sqlite3.connect(tmp_path / FILENAME)) as db:
            assert db.execute("SELECT path FROM outputs ORDER BY path").fetchall() == [("x.txt",), ("y.txt",)]
            assert db.execute("SELECT * FROM stats").fetchall() == [("/seeds/y.md", "5:1:1:7:9", "b" * 64)]
    with Manifest(tmp_path) as m:
        assert m.known_hash("/seeds/y.md", (5, 1, 1, 7, 9)) == "b" * 64
        for other in ((6, 1, 1, 7, 9), (5, 2, 1, 7, 9), (5, 1, 2, 7, 9), (5, 1, 1, 8, 9), (5, 1, 1, 7, 8)):
            assert m.known_hash("/seeds/y.md", other) is None  # any field changed: not trusted
        assert m.known_hash("/seeds/z.md", (5, 1, 1, 7, 9)) is None


def test_the_stat_cache_alone_makes_no_manifest(tmp_path: Path, settled: None) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.md").write_text("no header at all")
    code, wrote, _ = run("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert (code, wrote) == (1, []) and not (tmp_path / "out").exists()


def test_each_input_folder_is_listed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "in", 6)
    listed: list[str] = []
    real = os.scandir

    def counted(path: object = ".") -> object:
        if str(path).startswith(str(tmp_path / "in")):
            listed.append(str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", counted)
    assert run("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))[0] == 0
    assert sorted(listed) == sorted({*listed}) and len(listed) == 1 + len(os.listdir(tmp_path / "in"))
