"""Where a run reads and writes: an output never replaces an input, a run never reads its own
outputs back, and a refused run writes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from seedkit import make_corpus, write_seed

import convert
import convert.exporters as exporters
from convert.cli import main
from convert.engine.guard import PathError
from convert.engine.manifest import FILENAME


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, hidden ones included, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(code: int, err: str, *paths: Path | str) -> bool:
    """A usage error naming every one of `paths`, without a traceback."""
    return code == 2 and "Traceback" not in err and all(str(p) in err for p in paths)


# --- an output never replaces an input ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "all"])
def test_the_input_folder_as_output_folder_is_refused(tmp_path: Path, fmt: str) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 4)
    before = snapshot(corpus)
    code, err = cli(fmt, str(corpus), "-o", str(corpus))
    assert refused(code, err, f"the input folder {corpus} is the output folder {corpus}")
    assert snapshot(corpus) == before
    code, err = cli(fmt, f"{corpus}/", "-o", str(corpus / "Kent" / ".."))  # spelt differently
    assert refused(code, err, corpus / "Kent" / "..")
    assert snapshot(corpus) == before


def test_dot_as_input_and_output_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path, 2)
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, err = cli("md", ".", "-o", ".")
    assert refused(code, err, "the input folder . is the output folder .")
    assert snapshot(tmp_path) == before


def test_a_seed_named_directly_in_the_output_folder_is_not_replaced(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "dir", "a.txt")
    before = seed.read_bytes()
    code, err = cli("txt", str(seed), "-o", str(tmp_path / "dir"))
    assert refused(code, err, f"the output {tmp_path / 'dir' / 'a.txt'} would replace the input {seed}")
    assert seed.read_bytes() == before and os.listdir(tmp_path / "dir") == ["a.txt"]
    # another format beside it replaces nothing, and is fine
    assert cli("json", str(seed), "-o", str(tmp_path / "dir"))[0] == 0
    assert (tmp_path / "dir" / "a.json").is_file() and seed.read_bytes() == before


@pytest.mark.parametrize("jobs", ["1", "0"])
def test_a_seed_that_is_not_an_input_is_not_replaced_either(tmp_path: Path, jobs: str) -> None:
    # dir/a.txt is another seed, not an input of this run: the guard cannot know it, the write can
    other = write_seed(tmp_path / "dir", "a.txt", headline="Another seed")
    seed = write_seed(tmp_path / "dir", "a.md")
    before = snapshot(tmp_path / "dir")
    code, err = cli("txt,json", str(seed), "-o", str(tmp_path / "dir"), "-j", jobs)
    assert code == 1 and "Traceback" not in err
    assert f"txt: not written: {other} is a seed file" in err
    after = snapshot(tmp_path / "dir")
    assert after.pop("a.json") and {k: v for k, v in after.items() if not k.startswith(".")} == before


def test_an_input_folder_inside_the_output_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_seed(out / "in", "a.txt", headline="The seed")
    write_seed(out / "in" / "in", "a.txt", headline="Its output would land on the seed above")
    before = snapshot(out)
    code, err = cli("txt", str(out / "in"), "-o", str(out))
    assert refused(code, err, f"the input folder {out / 'in'} is inside the output folder {out}")
    assert snapshot(out) == before


def test_a_bundle_on_a_seed_is_refused(tmp_path: Path) -> None:
    make_corpus(tmp_path / "dir", 3)
    write_seed(tmp_path / "dir", "a.txt")
    before = snapshot(tmp_path)
    code, err = cli("txt", str(tmp_path / "dir"), "--bundle", str(tmp_path / "dir" / "a.txt"))
    assert refused(code, err, f"the bundle {tmp_path / 'dir' / 'a.txt'} is inside the input folder "
                   f"{tmp_path / 'dir'}")
    # a new file there would be read back as a seed by the next run: refused as well
    code, err = cli("txt", str(tmp_path / "dir"), "--bundle", str(tmp_path / "dir" / "Kent" / "new.txt"))
    assert refused(code, err, tmp_path / "dir" / "Kent" / "new.txt")
    # a seed named directly, as the bundle
    seed = tmp_path / "dir" / "a.txt"
    code, err = cli("txt", str(seed), "--bundle", str(seed))
    assert refused(code, err, f"the bundle {seed} would replace the input {seed}")
    assert snapshot(tmp_path) == before
    # beside the seeds but not a seed (hidden, or not .txt/.md): fine
    assert cli("txt", str(tmp_path / "dir"), "--bundle", str(tmp_path / "dir" / ".digest.txt"))[0] == 0
    assert cli("json", str(tmp_path / "dir"), "--bundle", str(tmp_path / "dir" / "all.json"))[0] == 0


def test_a_bundle_on_the_manifest_is_refused(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert cli("json", str(tmp_path / "in"), "-o", str(out))[0] == 0
    before = snapshot(out)
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(out), "--bundle", FILENAME)
    assert code == 2 and str(out / FILENAME) in err
    # a format whose extension makes the bundle the manifest itself
    json = exporters.get("json")
    exporters.register(type("Sqlite", (json,), {"name": "sqlite", "extension": "sqlite"}), "sqlite")
    request.addfinalizer(lambda: exporters.unregister("sqlite"))
    with pytest.raises(PathError, match=f"the bundle {out / FILENAME} would replace the manifest"):
        convert.convert_paths(tmp_path / "in", "sqlite", out, bundle=out / FILENAME, jobs=1)
    # the manifest named as an input
    code, err = cli("txt", str(out / FILENAME), "-o", str(out))
    assert refused(code, err, f"the manifest {out / FILENAME} would replace the input {out / FILENAME}")
    assert snapshot(out) == before


def test_a_hard_link_in_the_output_folder_is_an_input(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "in", "a.txt")
    (tmp_path / "out").mkdir()
    os.link(seed, tmp_path / "out" / "a.txt")
    before = seed.read_bytes()
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert refused(code, err, f"the output {tmp_path / 'out' / 'a.txt'} would replace the input {seed}")
    assert seed.read_bytes() == before and not (tmp_path / "out" / FILENAME).exists()


def test_symbolic_links_to_the_input_in_the_output_are_refused(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 4, areas=("Kent",))
    before = snapshot(tmp_path / "in")
    (tmp_path / "link").symlink_to(tmp_path / "in")  # the output folder is the input folder
    code, err = cli("md", str(tmp_path / "in"), "-o", str(tmp_path / "link"))
    assert refused(code, err, tmp_path / "in", tmp_path / "link")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "Kent").symlink_to(tmp_path / "in" / "Kent")  # a subfolder of it is
    code, err = cli("md", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert refused(code, err, f"the output {tmp_path / 'out' / 'Kent' / 's0000.md'} would replace the "
                   f"input {tmp_path / 'in' / 'Kent' / 's0000.md'}")
    assert snapshot(tmp_path / "in") == before and not (tmp_path / "out" / FILENAME).exists()


def test_the_library_refuses_the_same_way(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus", 2)
    before = snapshot(tmp_path)
    with pytest.raises(PathError, match="is the output folder") as caught:
        convert.convert_paths(tmp_path / "corpus", "md", tmp_path / "corpus", jobs=1)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(PathError, match="no such file or folder"):
        convert.convert_paths(tmp_path / "nowhere", "md", tmp_path / "out", jobs=1)
    assert snapshot(tmp_path) == before


# --- a run never reads its own outputs --------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_output_folder_made_inside_the_input_is_not_read_back(tmp_path: Path, jobs: str) -> None:
    root = tmp_path / "in"
    make_corpus(root, 300, areas=("A", "b"))  # b/ holds seeds and, once outputs are written, out/
    out = root / "b" / "out"
    assert not out.exists()
    code, err = cli("txt", str(root), "-o", str(out), "-j", jobs)
    assert code == 0, err
    assert err.startswith("converted 300, up to date 0, failed 0")
    assert len(list(out.rglob("*.txt"))) == 300
    code, err = cli("txt", str(root), "-o", str(out), "-j", jobs)
    assert code == 0 and err.startswith("converted 0, up to date 300, failed 0")


# --- nothing to convert -------------------------------------------------------------------------


def test_an_empty_input_folder_says_so_and_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "notes.docx").write_text("not a seed")
    (empty / ".hidden.md").write_text("skipped")
    for extra in ([], ["-q"], ["--bundle", str(tmp_path / "pack.txt")]):
        code, err = cli("txt", str(empty), "-o", str(tmp_path / "out"), *extra)
        assert code == 1 and err == f"no seeds found under {empty}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]  # nothing written
    summary = convert.convert_paths(empty, "txt", tmp_path / "out", jobs=1)
    assert summary.exit_code == 1 and summary.problems == [f"no seeds found under {empty}"]


def test_one_empty_folder_among_others_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    make_corpus(tmp_path / "in", 2)
    code, err = cli("txt", str(tmp_path / "empty"), str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 0
    assert err.splitlines()[0] == f"warning: no seeds found under {tmp_path / 'empty'}"
    assert err.splitlines()[1].startswith("converted 2, up to date 0, failed 0")


def test_a_folder_of_symbolic_links_says_why_nothing_was_found(tmp_path: Path) -> None:
    seed = write_seed(tmp_path / "elsewhere", "a.md")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").symlink_to(seed)
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert code == 1 and err.splitlines() == [f"no seeds found under {tmp_path / 'in'}",
                                              "note: skipped 1 symbolic link (use --follow-links to follow)"]
