"""The command line: exit codes, messages, the summary line, mirrored paths, what the walk skips."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from seedkit import make_corpus, write_seed

import convert.exporters as exporters
from convert.cli import main
from convert.exporters import plugins
from convert.styles import default_dir

SUMMARY = re.compile(r"^converted \d+, up to date \d+, failed \d+(, excluded \d+)?(, undated excluded \d+)?, "
                     r"in \d+\.\ds$")


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


# --- exit codes and messages -----------------------------------------------------------------


def test_all_converted_exits_0_with_one_summary_line(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    code, out, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 0 and out == ""
    assert err.splitlines() == [err.strip()] and SUMMARY.match(err.strip())
    assert err.startswith("converted 3, up to date 0, failed 0, in ")


def test_a_bad_seed_exits_1_with_one_line_naming_file_and_line(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    bad = tmp_path / "in" / "Kent" / "broken.md"
    bad.write_text("```yaml\narea: Kent\nurl: https://x/\n\nno closing fence\n")
    empty = tmp_path / "in" / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = cli("txt,json", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 1
    lines = err.splitlines()
    assert "Traceback" not in err
    broken = [line for line in lines if line.strip().startswith(f"{bad}:1: ")]
    assert len(broken) == 1  # once, as it happens (a terminal also lists it under the bar)
    assert "fence" in broken[0]
    assert sum(line.strip().startswith(f"{empty}: ") for line in lines) == 1
    assert len(lines) == 3 and lines[-1].startswith("converted 3, up to date 0, failed 2, in")
    assert files(tmp_path / "out") == sorted(f"{a}/s000{i}.{e}" for i, a in
                                             enumerate(["Lancashire", "Kent", "Avon and Somerset"])
                                             for e in ("txt", "json"))


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_seed(tmp_path, "a.md")

    def explode(self: object, article: object) -> bytes:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(exporters.get("json"), "export", explode)
    code, _, err = cli("json", str(tmp_path / "a.md"), "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 1 and f"{tmp_path / 'a.md'}: json: ZeroDivisionError: a bug" in err
    assert "Traceback" not in err
    code, _, err = cli("json", str(tmp_path / "a.md"), "-o", str(tmp_path / "out"), "-j", "1", "--debug")
    assert code == 1 and "Traceback" in err and "explode" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pfd", "."], "unknown format 'pfd'"),
        (["txt,nope", "."], "unknown format 'nope'"),
        (["txt"], "Missing argument 'PATH...'"),
        (["txt", "does/not/exist"], "does not exist"),
        (["txt", ".", "--since", "someday"], "not a date"),
        (["txt", ".", "--since", "2021-01-01", "--until", "2020-01-01"], "after --until"),
        (["txt", ".", "-q", "-v"], "cannot be used together"),
        (["txt", ".", "--width", "5"], "width 5 is too narrow for a bulletin (minimum 20)"),
        (["txt", ".", "--max-bytes", "lots"], "not a size"),
        (["txt", ".", "-j", "-1"], "--jobs"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, _, err = cli(*args)
    assert code == 2 and message in err and "Traceback" not in err


def test_format_help_works() -> None:
    code, out, _ = cli("pdf", "--help")
    assert code == 0 and "--bundle FILE" in out and "--follow-links" in out and "PATH..." in out
    code, out, _ = cli("--help")
    assert code == 0 and "FORMAT PATH..." in out
    assert all(name in out for name in ("txt", "json", "pdf", "docx", "formats", "styles"))


def test_python_dash_m_convert(tmp_path: Path) -> None:
    write_seed(tmp_path, "a.md")
    done = subprocess.run([sys.executable, "-m", "convert", "json", str(tmp_path / "a.md"), "-o",
                           str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "a.json").is_file()


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    text = "```yaml\narea: Kent\nurl: https://x/\ntitle: Café opens\n```\n\nBody “quoted”.\n"
    (tmp_path / "in" / "cp.md").write_bytes(text.encode("cp1252"))
    (tmp_path / "in" / "bad.md").write_text("nothing here")
    code, _, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert [line for line in err.splitlines() if "warning" in line] == \
        [f"{tmp_path / 'in' / 'cp.md'}: warning: not UTF-8, decoded as cp1252"]
    code, _, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out2"), "-q")
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith(f"{tmp_path / 'in' / 'bad.md'}:1: ")


def test_summary_counts_selection(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 8)
    write_seed(tmp_path / "in", "undated.md", published=None, body="No date at all here.\n")
    code, _, err = cli("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--area", "KENT",
                       "--area", "cumbria")
    assert code == 0 and err.startswith("converted 4, up to date 0, failed 0, excluded 5, in")
    code, _, err = cli("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--until", "2020-01-04")
    # Jan 1-4: two were converted by the --area run, two are new
    assert err.startswith("converted 2, up to date 2, failed 0, excluded 4, undated excluded 1, in")
    assert files(tmp_path / "out") == sorted(["Kent/s0001.json", "Kent/s0005.json", "Cumbria/s0003.json",
                                              "Cumbria/s0007.json", "Lancashire/s0000.json",
                                              "Avon and Somerset/s0002.json"])
    code, _, err = cli("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--grep", "NUMBER 6 after")
    assert err.startswith("converted 1, up to date 0, failed 0, excluded 8, in")
    assert SUMMARY.match(err.strip())


def test_max_bytes(tmp_path: Path) -> None:
    write_seed(tmp_path, "big.md", body="word " * 3000)
    code, _, err = cli("json", str(tmp_path / "big.md"), "-o", str(tmp_path / "out"), "--max-bytes", "4k")
    assert code == 1 and err.splitlines()[0].startswith(f"{tmp_path / 'big.md'}: ")
    size = (tmp_path / "big.md").stat().st_size
    assert f"file too large ({size:,} bytes; the limit is 4,096)" in err.splitlines()[0]  # its real size
    assert cli("json", str(tmp_path / "big.md"), "-o", str(tmp_path / "out"), "--max-bytes", "1M")[0] == 0


# --- where outputs go -------------------------------------------------------------------------


def test_outputs_mirror_the_input_tree(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus", 4)
    write_seed(tmp_path / "corpus" / "Kent" / "2020" / "may", "deep.txt", area="Kent")
    code, _, _ = cli("txt", str(tmp_path / "corpus"), "-o", str(tmp_path / "x"))
    assert code == 0
    assert files(tmp_path / "x") == ["Avon and Somerset/s0002.txt", "Cumbria/s0003.txt",
                                     "Kent/2020/may/deep.txt", "Kent/s0001.txt", "Lancashire/s0000.txt"]


def test_a_file_named_directly_lands_at_the_top_and_out_defaults_to_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = write_seed(tmp_path / "deep" / "er", "one.md")
    monkeypatch.chdir(tmp_path)
    code, _, _ = cli("txt,json", str(seed))
    assert code == 0 and files(tmp_path / "out") == ["one.json", "one.txt"]


def test_hidden_files_and_folders_below_the_path_are_skipped(tmp_path: Path) -> None:
    root = tmp_path / ".hidden-parent" / "in"  # hidden above the path given: fine
    write_seed(root, "a.md")
    write_seed(root / ".git", "b.md")
    write_seed(root / "A", ".c.md")
    write_seed(root / "A", "d.txt")
    (root / "A" / "notes.docx").write_text("not a seed")
    code, _, err = cli("json", str(root), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert files(tmp_path / "out") == ["A/d.json", "a.json"]


def test_two_inputs_for_one_output_is_an_error_for_the_second(tmp_path: Path) -> None:
    write_seed(tmp_path / "in", "same.md", headline="From markdown")
    write_seed(tmp_path / "in", "same.txt", headline="From text")
    code, _, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert f"{tmp_path / 'in' / 'same.txt'}: its output would overwrite the one from " \
           f"{tmp_path / 'in' / 'same.md'}" in err
    assert "From markdown" in (tmp_path / "out" / "same.txt").read_text()


def test_seeds_with_the_longest_names_convert(tmp_path: Path) -> None:
    names = ["n" * 251 + ".txt", "é" * 125 + ".txt"]  # 255 and 254 bytes: at the file system's limit
    for name in names:
        write_seed(tmp_path / "in", name)
    code, _, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert files(tmp_path / "out") == sorted(names)


def test_the_same_file_named_twice_converts_once(tmp_path: Path) -> None:
    seed = write_seed(tmp_path, "a.md")
    code, _, err = cli("json", str(seed), str(seed), "-o", str(tmp_path / "out"))
    assert code == 0 and err.startswith("converted 1,")


def test_another_runs_output_folder_is_not_read_as_seeds(tmp_path: Path) -> None:
    root = tmp_path / "work"
    write_seed(root, "a.md")
    write_seed(root / "Kent", "b.md")
    code, _, err = cli("txt", str(root), "-o", str(root / "bulletins"))
    assert code == 0 and files(root / "bulletins") == ["Kent/b.txt", "a.txt"]
    # the next run over the same folder: the bulletins are not seeds (they have no header)
    code, _, err = cli("json", str(root), "-o", str(tmp_path / "json"))
    assert code == 0, err
    assert files(tmp_path / "json") == ["Kent/b.json", "a.json"]
    assert f"note: skipped {root / 'bulletins'}: it holds another run's outputs" in err
    # a folder named on the command line is read, manifest or not
    code, _, err = cli("json", str(root / "Kent"), "-o", str(tmp_path / "kent"))
    assert code == 0 and files(tmp_path / "kent") == ["b.json"]


def test_symlinks_are_not_followed_unless_asked(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_seed(outside, "secret.md", headline="Outside the input")
    write_seed(outside, "other.md", headline="Linked to")
    root = tmp_path / "in"
    write_seed(root, "a.md")
    (root / "link.md").symlink_to(outside / "other.md")
    (root / "dir").symlink_to(outside)
    (root / "loop").symlink_to(root)
    code, _, err = cli("json", str(root), "-o", str(tmp_path / "out"))
    assert code == 0 and files(tmp_path / "out") == ["a.json"]
    assert "note: skipped 3 symbolic links (use --follow-links to follow)" in err
    code, _, err = cli("json", str(root), "-o", str(tmp_path / "out2"), "--follow-links")
    assert code == 0, err
    # followed, but output names still come from the path below the input: never outside out2
    # (outside/other.md, met first as link.md, is converted once)
    assert files(tmp_path / "out2") == ["a.json", "dir/secret.json", "link.json"]


def test_comma_list_and_all(tmp_path: Path) -> None:
    seed = write_seed(tmp_path, "a.md")
    code, _, _ = cli("json,txt,json", str(seed), "-o", str(tmp_path / "two"))
    assert code == 0 and files(tmp_path / "two") == ["a.json", "a.txt"]
    code, _, err = cli("all", str(seed), "-o", str(tmp_path / "all"))
    assert code == 0, err
    assert files(tmp_path / "all") == sorted(f"a.{cls.extension}" for cls in exporters.registry().values())


# --- formats and styles -----------------------------------------------------------------------


def test_formats_lists_each_exporter_and_reports_broken_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = cli("formats")
    assert code == 0 and err == ""
    names = [line.split()[0] for line in out.splitlines()]
    assert names == sorted(exporters.registry())
    assert any(line.startswith("pdf ") and "PDF" in line for line in out.splitlines())

    class Broken:  # an installed plugin that fails to import
        name, value, dist = "rtf", "convert_rtf:RTF", SimpleNamespace(name="convert-rtf", version="1")

        def load(self) -> None:
            raise ImportError("no")

    real = plugins.candidates()
    monkeypatch.setattr(plugins, "candidates", lambda: {**real, "rtf": (Broken(),)})
    code, out, err = cli("formats")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == names
    assert err.strip() == "warning: format 'rtf' from package convert-rtf cannot be loaded: ImportError: no"


def test_styles_init_copies_the_defaults_and_will_not_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    code, out, _ = cli("styles", "init", str(target))
    assert code == 0 and str(target) in out
    shipped = sorted(p.relative_to(default_dir()).as_posix() for p in default_dir().rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)
    assert files(target) == [s for s in shipped if not Path(s).name.startswith(".")]
    (target / "bulletin.txt.j2").write_text("mine")
    code, _, err = cli("styles", "init", str(target))
    assert code == 1 and "--force" in err
    assert (target / "bulletin.txt.j2").read_text() == "mine"
    assert cli("styles", "init", str(target), "--force")[0] == 0
    assert (target / "bulletin.txt.j2").read_bytes() == (default_dir() / "bulletin.txt.j2").read_bytes()


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    # CliRunner is not a terminal: no bar, no escape sequences, just the summary
    make_corpus(tmp_path / "in", 2)
    code, _, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 0 and "\x1b" not in err and len(err.splitlines()) == 1
    assert os.environ.get("TERM") is None or "\x1b" not in err


def test_an_exporter_that_cannot_start_is_one_error_not_one_per_seed(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 5)
    code, _, err = cli("txt,pdf", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--pdf-variant", "bogus")
    assert code == 2  # a usage error, like an unknown format
    errors = [line for line in err.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and "Traceback" not in err
    assert errors[0].startswith("Error: cannot start the pdf exporter: unknown PDF variant 'bogus' (known: ")
    assert not (tmp_path / "out").exists()


def test_kind_and_has_reference_select_from_the_facts(tmp_path: Path) -> None:
    """--kind (repeatable: any of them) and --has-reference keep what the reader's facts say."""
    appeal = ("Police are appealing for witnesses to a burglary in Preston on Monday night.\n\n"
              "Anyone with information is asked to call 101 quoting log 123 of 4 May.")
    missing = ("Police are concerned for the welfare of Jane Doe, 34, who is missing from her home in "
               "Lancaster. She was last seen on Sunday.\n\nAnyone who has seen her should call 101.")
    recruiting = ("The force is recruiting special constables. Applications open on Monday and "
                  "close at the end of the month.")
    for name, headline, text in (("a.md", "Witness appeal after burglary", appeal),
                                 ("m.md", "Concern for missing woman", missing),
                                 ("r.md", "Become a special constable", recruiting)):
        write_seed(tmp_path / "in", name, headline=headline, body=text)
    run = ["txt", str(tmp_path / "in"), "-j", "1"]
    code, _, err = cli(*run, "-o", str(tmp_path / "k"), "--kind", "Missing", "--kind", "appeal")
    assert code == 0 and files(tmp_path / "k") == ["a.txt", "m.txt"]
    code, _, err = cli(*run, "-o", str(tmp_path / "h"), "--has-reference")
    assert code == 0 and files(tmp_path / "h") == ["a.txt"]
    code, _, err = cli(*run, "-o", str(tmp_path / "x"), "--kind", "nosuch")
    assert code == 2 and "'nosuch' is not one of" in err and not (tmp_path / "x").exists()
