"""Atomic output writing: whole files only, the usual permissions, nothing left behind."""

import os
import stat

import pytest

from convert import files
from convert.engine.outputs import clean_temp, is_temp
from convert.files import write_atomic


def test_writes_whole_file_with_usual_mode(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    write_atomic(target, b"hello\n")
    assert target.read_bytes() == b"hello\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_replaces_existing_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_failed_write_keeps_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"good")
    with pytest.raises(TypeError):
        write_atomic(target, object())  # type: ignore[arg-type]
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_stale_temporary_name_is_never_reused(tmp_path, monkeypatch):
    """A killed process with our pid may have left the very name we would pick: O_EXCL
    refuses it and another is taken; the stale file is left for the engine's clean-up."""
    monkeypatch.setattr(files, "_names", iter([7, 7, 8]))
    pid = f"{os.getpid() & 0xFFFFF:05x}"
    stale = tmp_path / f".out.txt.~convert-{pid}007.tmp"
    stale.write_bytes(b"half")
    write_atomic(tmp_path / "out.txt", b"whole")
    assert (tmp_path / "out.txt").read_bytes() == b"whole"
    assert stale.read_bytes() == b"half"
    assert clean_temp(tmp_path) == 1  # the engine's clean-up recognises our temporary names
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_folder_removed_after_a_write_is_made_again(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    write_atomic(target, b"1")
    target.unlink()
    target.parent.rmdir()
    write_atomic(target.parent / "b.txt", b"2")
    assert (target.parent / "b.txt").read_bytes() == b"2"


def test_clean_up_removes_only_our_temporary_files(tmp_path):
    ours = tmp_path / ".report.pdf.~convert-0a1b2c3d.tmp"
    ours.write_bytes(b"half")
    theirs = [".notes.20240101.tmp", ".report.pdf.abcd1234.tmp", ".x.~convert-ABCD1234.tmp",
              "report.pdf.~convert-0a1b2c3d.tmp", ".~convert-0a1b2c3d.tmp.bak"]
    for name in theirs:
        (tmp_path / name).write_text("the user's")
    assert clean_temp(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(theirs)


@pytest.mark.parametrize("name", ["n" * 251 + ".txt", "é" * 125 + ".txt", "日" * 81 + ".md"])
def test_the_longest_names_the_file_system_allows_can_be_written(tmp_path, monkeypatch, name):
    assert len(os.fsencode(name)) <= 255 and files.name_max(tmp_path) >= len(os.fsencode(name))
    made = []
    real_open = os.open

    def recording_open(path, *args):
        made.append(os.path.basename(path))
        return real_open(path, *args)

    monkeypatch.setattr(files.os, "open", recording_open)
    write_atomic(tmp_path / name, b"whole")
    assert (tmp_path / name).read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == [name]
    (temp,) = made
    assert len(os.fsencode(temp)) <= 255 and is_temp(temp)  # and the clean-up knows it as ours


def test_temporary_names_fit_a_smaller_limit():
    name = files.temp_name("a" * 300 + ".pdf", "0123abcd", limit=100)
    assert len(name.encode()) <= 100 and name.endswith(".~convert-0123abcd.tmp")
    # cut at a character boundary, never inside a UTF-8 sequence
    name = files.temp_name("é" * 100, "0123abcd", limit=100)
    assert len(name.encode()) <= 100 and "é" * 38 in name
