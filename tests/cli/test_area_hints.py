"""A selection that matches nothing is not silent: an --area no article has is named with the
areas seen (a close match first), also when the verdicts come from the manifest, and a run that
selects nothing at all exits 1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from seedkit import make_corpus

import convert
import convert.engine.work
from convert.cli import main
from convert.engine.manifest import FILENAME
from convert.select import Selection, area_warning

AREAS = ("Lancashire", "Kent", "Avon and Somerset", "Metropolitan")


def cli(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr.splitlines()


def warnings(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("warning:")]


def test_an_area_nothing_has_is_named_with_the_areas_seen_and_exits_1(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 8, areas=AREAS)
    code, lines = cli("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--area", "Kentt")
    assert code == 1
    assert warnings(lines) == ["warning: --area 'kentt' (did you mean Kent?) matches no article; "
                               "areas seen: Kent, Avon and Somerset, Lancashire, Metropolitan"]
    assert "nothing selected: the selection excluded all 8 articles" in lines
    assert lines[-1].startswith("converted 0, up to date 0, failed 0, excluded 8")
    assert not list((tmp_path / "out").rglob("*.json"))


def test_a_short_name_finds_its_area_first(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 4, areas=AREAS)
    code, lines = cli("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--area", "Met",
                      "--area", "kent")
    assert code == 0  # Kent was selected
    assert warnings(lines) == ["warning: --area 'met' (did you mean Metropolitan?) matches no article; "
                               "areas seen: Metropolitan, Avon and Somerset, Kent, Lancashire"]
    assert lines[-1].startswith("converted 1, up to date 0, failed 0, excluded 3")


def test_a_rerun_with_cached_verdicts_still_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "in", 8, areas=AREAS)
    run = ["json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1"]

    def unread(*_: object) -> None:
        raise AssertionError("a seed was read: its verdict should have come from the manifest")

    for areas, exit_code, kept in ((["kent", "Essex"], 0, 2), (["Essex"], 1, 0)):
        selection = [word for area in areas for word in ("--area", area)]
        monkeypatch.undo()
        code, first = cli(*run, *selection)
        assert code == exit_code and len(warnings(first)) == 1
        assert warnings(first)[0].startswith("warning: --area 'essex' matches no article; areas seen: ")
        monkeypatch.setattr(convert.engine.work, "run_task", unread)  # the rerun reads no seed
        code, again = cli(*run, *selection)
        assert code == exit_code and warnings(again) == warnings(first)
        assert again[-1].startswith(f"converted 0, up to date {kept}, failed 0, excluded {8 - kept}")


def test_no_warning_when_the_areas_are_not_known(tmp_path: Path) -> None:
    """A manifest from before areas were recorded: no hint rather than a wrong one."""
    make_corpus(tmp_path / "in", 4, areas=AREAS)
    args = ["json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--area", "Kentt"]
    assert warnings(cli(*args)[1])
    with sqlite3.connect(tmp_path / "out" / FILENAME) as db:
        db.execute("DELETE FROM areas")
    code, lines = cli(*args)
    assert code == 1 and not warnings(lines)
    assert "nothing selected: the selection excluded all 4 articles" in lines


def test_any_selection_that_keeps_nothing_exits_1(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3, areas=AREAS)
    code, lines = cli("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--grep", "zebra")
    assert code == 1 and not warnings(lines)
    assert lines == ["nothing selected: the selection excluded all 3 articles",
                     lines[-1]] and lines[-1].startswith("converted 0, up to date 0, failed 0, excluded 3")
    code, lines = cli("json", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--grep", "Appeal number 1 ")
    assert code == 0 and lines[-1].startswith("converted 1,")


def test_a_bundle_warns_too(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 4, areas=AREAS)
    code, lines = cli("json", str(tmp_path / "in"), "--bundle", str(tmp_path / "pack.json"),
                      "--area", "Kentt")
    assert code == 1 and len(warnings(lines)) == 1 and "(did you mean Kent?)" in warnings(lines)[0]
    assert any("no articles selected" in line for line in lines) and not (tmp_path / "pack.json").exists()


def test_the_library_summary_carries_the_areas_seen(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 4, areas=AREAS)
    summary = convert.convert_paths(tmp_path / "in", "json", tmp_path / "out", jobs=1,
                                    selection=Selection.make(["Kentt"]))
    assert summary.areas == set(AREAS) and summary.exit_code == 1
    assert summary.problems == ["nothing selected: the selection excluded all 4 articles"]


def test_several_missing_areas_are_one_warning() -> None:
    line = area_warning(Selection.make(["Kentt", "met", "Kent", "Nowhere"]), AREAS)
    assert line == ("--area 'kentt' (did you mean Kent?) and --area 'met' (did you mean Metropolitan?) and "
                    "--area 'nowhere' match no article; areas seen: Kent, Metropolitan, Avon and Somerset, "
                    "Lancashire")
    assert area_warning(Selection.make(["KENT "]), AREAS) is None
