"""Mistakes in what the user asks for are found once, before any seed is converted: a usage
error (exit 2) in one line, never an internal error, and never one failure per seed."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner
from seedkit import make_corpus

from convert.cli import main
from convert.limits import read_at_most


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def usage_error(err: str) -> str:
    """The `Error: ...` line of a click usage error; checks there is nothing else wrong."""
    assert "Traceback" not in err and "internal error" not in err
    lines = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, err
    return lines[0]


# --- --max-bytes -------------------------------------------------------------------------------


def test_a_max_bytes_too_large_for_any_file_is_a_usage_error(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                    "--max-bytes", "99999999999999999999G")
    assert code == 2
    assert "'--max-bytes': '99999999999999999999G' is too large" in usage_error(err)
    assert not (tmp_path / "out").exists()


def test_a_huge_max_bytes_reads_small_seeds(tmp_path: Path) -> None:
    """A limit of 1 TiB used to ask for 1 TiB of memory per read: every seed failed."""
    make_corpus(tmp_path / "in", 2)
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--max-bytes", "1024G",
                    "-j", "1")
    assert code == 0, err
    assert err.startswith("converted 2, up to date 0, failed 0")
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 2


def test_read_at_most_stops_past_the_limit_on_what_is_not_a_regular_file() -> None:
    """A pipe (or a file still growing) has more than its measured size: read the limit + 1."""
    for limit, expected in ((1000, 1001), (1 << 40, 5000)):
        read_fd, write_fd = os.pipe()
        os.write(write_fd, b"x" * 5000)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            assert len(read_at_most(pipe, 0, limit)) == expected


# --- --pdf-variant -----------------------------------------------------------------------------


def test_an_unknown_pdf_variant_is_a_usage_error_before_any_seed(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    for extra in ([], ["--bundle", "pack.pdf"]):
        code, err = cli("pdf", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--pdf-variant", "pdf/x-9",
                        *extra)
        assert code == 2, err
        line = usage_error(err)
        assert "unknown PDF variant 'pdf/x-9' (known: " in line and "pdf/a-3u" in line
        assert "s0001" not in err  # no seed is named: nothing was tried
        assert not (tmp_path / "out").exists()
    code, err = cli("pdf", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--pdf-variant", "pdf/a-3u")
    assert code == 0, err
