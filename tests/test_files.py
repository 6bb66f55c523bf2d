"""Atomic output writing: whole files only, the usual permissions, nothing left behind."""

import os
import stat

import pytest

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
