"""Atomic output writing: whole files only, the usual permissions, nothing left behind."""

import os
import stat

import pytest

from convert import files
from convert.files import write_atomic
from convert.outputs import clean_temp


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
    stale = tmp_path / f".out.txt.{pid}007.tmp"
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
