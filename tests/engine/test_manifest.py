"""The rebuild manifest: records survive reopening; changing an input, a style file or an option
rebuilds exactly the outputs that depend on it."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from seedkit import fakes, make_corpus, seed_text, write_seed

from convert.cli import main
from convert.engine.manifest import FILENAME, Manifest, Stamp
from convert.select import Verdict
from convert.styles import default_dir

__all__ = ["fakes"]  # a fixture

STAMP = Stamp("a" * 64, "txt", "1", "s", "o", "0.1.0")


def test_records_survive_reopening(tmp_path: Path) -> None:
    with Manifest(tmp_path) as m:
        m.record("A/x.txt", "A/x.md", STAMP)
        m.record_verdict("h", "f", Verdict.UNDATED)
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "x.txt").write_text("done")
    with Manifest(tmp_path) as m:
        assert m.up_to_date("A/x.txt", STAMP)
        assert not m.up_to_date("A/x.txt", replace(STAMP, input="b" * 64))
        assert not m.up_to_date("A/x.txt", replace(STAMP, version="2"))
        assert m.verdict("h", "f") is Verdict.UNDATED
        assert m.verdict("h", "other filters") is None


def test_a_missing_output_is_not_up_to_date(tmp_path: Path) -> None:
    with Manifest(tmp_path) as m:
        m.record("gone.txt", "gone.md", STAMP)
    assert not Manifest(tmp_path).up_to_date("gone.txt", STAMP)


def test_nothing_is_created_until_something_is_recorded(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Manifest(out) as m:
        assert not m.up_to_date("x.txt", STAMP)
    assert not out.exists()


def test_an_unreadable_manifest_is_replaced(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_bytes(b"this is not a database" * 100)
    m = Manifest(tmp_path)
    assert m.problem and "unreadable manifest" in m.problem
    m.record("x.txt", "x.md", STAMP)
    m.close()
    (tmp_path / "x.txt").write_text("x")
    assert Manifest(tmp_path).up_to_date("x.txt", STAMP)


@pytest.mark.parametrize("table", ["outputs (name TEXT, size INTEGER)", "notes (body TEXT)"])
def test_an_sqlite_file_with_other_tables_is_set_aside_once(tmp_path: Path, table: str) -> None:
    """A valid SQLite file that is not a manifest is moved aside (not deleted: it may be someone's
    database) with one warning, and the next run has a working manifest again."""
    make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    out.mkdir()
    with contextlib.closing(sqlite3.connect(out / FILENAME)) as db:
        db.execute(f"CREATE TABLE {table}")
        db.commit()
    code, wrote, err = run("json", str(tmp_path / "in"), "-o", str(out))
    assert code == 0 and len(wrote) == 3
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "moved it to .convert-manifest.sqlite.bad-" in warnings[0], err
    aside = [p for p in out.iterdir() if p.name.startswith(FILENAME + ".bad-")]
    assert len(aside) == 1 and aside[0].name in warnings[0]
    with contextlib.closing(sqlite3.connect(aside[0])) as db:  # kept as it was
        assert db.execute(f"SELECT COUNT(*) FROM {table.split()[0]}").fetchone() == (0,)
    code, wrote, err = run("json", str(tmp_path / "in"), "-o", str(out))
    assert (code, wrote) == (0, []) and "warning" not in err  # recorded, up to date, quiet


# --- through the command line ---------------------------------------------------------------


def run(*args: str) -> tuple[int, list[str], str]:
    """Run the CLI in-process with -v; return (exit code, outputs written, stderr)."""
    result = CliRunner().invoke(main, [*args, "-v", "-j", "1"])
    wrote = sorted(line.removeprefix("wrote ") for line in result.stderr.splitlines()
                   if line.startswith("wrote "))
    return result.exit_code, wrote, result.stderr


def test_second_run_is_a_no_op(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 6)
    out = str(tmp_path / "out")
    code, wrote, err = run("txt,json", str(tmp_path / "in"), "-o", out)
    assert code == 0 and len(wrote) == 12, err
    code, wrote, err = run("txt,json", str(tmp_path / "in"), "-o", out)
    assert code == 0 and wrote == []
    assert "converted 0, up to date 6, failed 0" in err


def test_changing_one_input_rebuilds_its_outputs_only(tmp_path: Path) -> None:
    seeds = make_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    assert run("txt,json", str(tmp_path / "in"), "-o", str(out))[0] == 0
    seeds[2].write_text(seed_text(headline="A different headline now", area="Avon and Somerset"))
    code, wrote, err = run("txt,json", str(tmp_path / "in"), "-o", str(out))
    assert code == 0
    assert wrote == [str(out / "Avon and Somerset" / f"s0002.{ext}") for ext in ("json", "txt")]
    assert "converted 1, up to date 5" in err
    assert "A different headline now" in (out / "Avon and Somerset" / "s0002.txt").read_text()


def test_touching_an_input_without_changing_it_rebuilds_nothing(tmp_path: Path) -> None:
    seeds = make_corpus(tmp_path / "in", 3)
    out = str(tmp_path / "out")
    run("txt", str(tmp_path / "in"), "-o", out)
    seeds[0].write_bytes(seeds[0].read_bytes())  # new mtime, same content
    assert run("txt", str(tmp_path / "in"), "-o", out)[1] == []


def test_a_changed_style_file_rebuilds_the_formats_that_read_it(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 4)
    styles = tmp_path / "styles"
    styles.mkdir()
    out = tmp_path / "out"
    args = ("txt,json", str(tmp_path / "in"), "-o", str(out), "--styles", str(styles))
    assert len(run(*args)[1]) == 8
    # the user's folder now overrides the bulletin template with a marked copy
    template = default_dir() / "bulletin.txt.j2"
    (styles / "bulletin.txt.j2").write_text("STYLED\n" + template.read_text(encoding="utf-8"))
    code, wrote, _ = run(*args)
    assert code == 0
    assert len(wrote) == 4 and all(w.endswith(".txt") for w in wrote)  # json reads no style file
    assert (out / "Kent" / "s0001.txt").read_text().startswith("STYLED")
    assert run(*args)[1] == []


def test_moving_the_styles_folder_with_the_same_content_rebuilds_nothing(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    shutil.copytree(default_dir(), tmp_path / "a")
    shutil.copytree(default_dir(), tmp_path / "b")
    out = str(tmp_path / "out")
    assert len(run("txt", str(tmp_path / "in"), "-o", out, "--styles", str(tmp_path / "a"))[1]) == 2
    assert run("txt", str(tmp_path / "in"), "-o", out, "--styles", str(tmp_path / "b"))[1] == []


def test_an_option_rebuilds_the_outputs_it_changes(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert len(run("txt", str(tmp_path / "in"), "-o", str(out))[1]) == 3
    code, wrote, err = run("txt", str(tmp_path / "in"), "-o", str(out), "--width", "40")
    assert code == 0 and len(wrote) == 3, err
    lines = (out / "Kent" / "s0001.txt").read_text().splitlines()
    assert max(len(line) for line in lines if "://" not in line) <= 40  # a URL may not break
    assert run("txt", str(tmp_path / "in"), "-o", str(out), "--width", "40")[1] == []


def test_an_option_rebuilds_only_the_formats_that_take_it(tmp_path: Path) -> None:
    """--width is a bulletin option: it used to rebuild every PDF and JSON file too; --title
    without a bundle rebuilt everything and changed nothing."""
    make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert len(run("txt,json,md", str(tmp_path / "in"), "-o", str(out))[1]) == 6
    code, wrote, err = run("txt,json,md", str(tmp_path / "in"), "-o", str(out), "--width", "50")
    assert code == 0 and [Path(p).suffix for p in wrote] == [".txt", ".txt"], err
    assert run("txt,json,md", str(tmp_path / "in"), "-o", str(out), "--width", "50", "--title", "T")[1] == []
    assert run("txt,json,md", str(tmp_path / "in"), "-o", str(out), "--width", "50", "--ascii")[1] != []


def test_a_bad_option_is_one_usage_error_before_any_work(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    result = CliRunner().invoke(main, ["txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                                       "--width", "10"])
    assert result.exit_code == 2
    assert "width 10 is too narrow for a bulletin (minimum 20)" in result.stderr
    assert not (tmp_path / "out").exists()
    # a format that does not take the option does not mind it
    assert run("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--width", "10")[0] == 0


def test_options_an_exporter_ignores_do_not_rebuild_it(tmp_path: Path, fakes: None) -> None:
    # `picky` declares its options (TitledOptions): --width means nothing to it, and --title
    # only to bundles
    write_seed(tmp_path / "in", "a.md", headline="Fine")
    out = str(tmp_path / "out")
    assert len(run("picky", str(tmp_path / "in"), "-o", out)[1]) == 1
    assert run("picky", str(tmp_path / "in"), "-o", out, "--width", "50")[1] == []
    assert run("picky", str(tmp_path / "in"), "-o", out, "--title", "Weekly")[1] == []
    pack = str(tmp_path / "pack.picky")
    assert len(run("picky", str(tmp_path / "in"), "--bundle", pack, "--title", "Weekly")[1]) == 1
    assert run("picky", str(tmp_path / "in"), "--bundle", pack, "--title", "Weekly", "--width", "50")[1] == []
    assert len(run("picky", str(tmp_path / "in"), "--bundle", pack, "--title", "Monthly")[1]) == 1


def test_force_rebuilds_everything(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    out = str(tmp_path / "out")
    run("json", str(tmp_path / "in"), "-o", out)
    code, wrote, err = run("json", str(tmp_path / "in"), "-o", out, "--force")
    assert code == 0 and len(wrote) == 3 and "converted 3, up to date 0" in err


def test_a_deleted_output_is_rebuilt(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    run("json", str(tmp_path / "in"), "-o", str(out))
    (out / "Kent" / "s0001.json").unlink()
    assert run("json", str(tmp_path / "in"), "-o", str(out))[1] == [str(out / "Kent" / "s0001.json")]


def test_a_manifest_that_cannot_be_written_does_not_stop_the_run(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    out.mkdir()
    (out / FILENAME).mkdir()  # in the way: sqlite cannot open it
    code, wrote, err = run("json", str(tmp_path / "in"), "-o", str(out))
    assert code == 0 and len(wrote) == 3
    assert "warning: " in err and "the next run rebuilds it" in err
    assert sum("warning" in line for line in err.splitlines()) == 1
