"""Mistakes in what the user asks for are found once, before any seed is converted: a usage
error (exit 2) in one line, never an internal error, and never one failure per seed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from seedkit import make_corpus

import convert
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


# --- --styles ----------------------------------------------------------------------------------


def styles_with(tmp_path: Path, name: str, change: str, *, at_line: int | None = None) -> tuple[Path, int]:
    """A copy of the default styles with `change` added to `name` (at the end, or at the end of
    line `at_line`); returns the folder and the line changed."""
    folder = tmp_path / "mystyles"
    if not folder.exists():
        assert cli("styles", "init", str(folder))[0] == 0
    path = folder / name
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()
    if at_line is None:
        lines.append(change)
        at_line = len(lines)
    else:
        lines[at_line - 1] += change
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, at_line


def refused(tmp_path: Path, fmt: str, folder: Path, *extra: str) -> str:
    """Run `fmt` over three seeds with the styles `folder`: one usage error, no seed tried."""
    make_corpus(tmp_path / "in", 3)
    code, err = cli(fmt, str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--styles", str(folder),
                    "-j", "1", *extra)
    assert code == 2, err
    line = usage_error(err)
    assert "s000" not in err and "converted" not in err  # no seed was tried: no summary either
    assert not (tmp_path / "out").exists()
    return line


def test_a_template_that_does_not_compile_is_one_usage_error_naming_file_and_line(tmp_path: Path) -> None:
    # parts.html.j2 is only {% import %}ed while a page renders: each seed failed, twice listed
    folder, line = styles_with(tmp_path, "parts.html.j2", "{% if unclosed %}")
    message = refused(tmp_path, "html", folder)
    assert f"{folder / 'parts.html.j2'}:{line}: Unexpected end of template" in message


def test_a_bulletin_template_that_does_not_compile(tmp_path: Path) -> None:
    folder, line = styles_with(tmp_path, "bulletin.txt.j2", "{{ 1 + }}")
    message = refused(tmp_path, "txt", folder)
    assert f"{folder / 'bulletin.txt.j2'}:{line}: " in message


def test_a_template_that_fails_every_article_names_its_line(tmp_path: Path) -> None:
    folder, line = styles_with(tmp_path, "bulletin.txt.j2", "{{ article.no_such_field }}", at_line=12)
    message = refused(tmp_path, "txt", folder)
    assert message.startswith(f"Error: {folder / 'bulletin.txt.j2'}:{line}: the txt format cannot render")
    assert "no_such_field" in message


def test_a_bundle_template_is_tried_only_for_a_bundle(tmp_path: Path) -> None:
    folder, line = styles_with(tmp_path, "bundle.html.j2", "{{ no_such_name }}")
    message = refused(tmp_path, "html", folder, "--bundle", "pack.html")
    assert f"{folder / 'bundle.html.j2'}:{line}: " in message and "'no_such_name' is undefined" in message
    code, err = cli("html", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--styles", str(folder))
    assert code == 0, err  # one page per seed never uses the bundle template


def test_a_stylesheet_that_breaks_every_pdf_names_its_rule(tmp_path: Path) -> None:
    """WeasyPrint only warns about CSS it cannot parse; what fails every PDF is a value that
    breaks the layout, like a division by zero in a page margin."""
    folder, line = styles_with(tmp_path, "briefing.css", "@page { margin: calc(1px / 0) }")
    message = refused(tmp_path, "pdf", folder)
    assert f"{folder / 'briefing.css'}:{line}: the pdf format cannot render" in message
    assert "PDF rendering failed: ValueError" in message


def test_styles_that_work_are_not_refused(tmp_path: Path) -> None:
    folder, _ = styles_with(tmp_path, "briefing.css", "h1 { color: #7a0019 }")
    styles_with(tmp_path, "bulletin.txt.j2", "{{ article.headline | upper }}")
    make_corpus(tmp_path / "in", 2)
    code, err = cli("pdf,txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--styles", str(folder),
                    "--bundle", "pack", "-j", "1")
    assert code == 0, err
    assert "APPEAL NUMBER" in (tmp_path / "out" / "pack.txt").read_text()


# --- the library ---------------------------------------------------------------------------------


def test_a_misspelt_export_option_is_a_type_error_naming_it() -> None:
    body = "Officers were called to the scene of a collision on the high street this morning. " * 3
    article = convert.loads(f"```yaml\narea: Kent\nurl: https://x/\ntitle: T | Kent Police\n```\n\n{body}\n")
    with pytest.raises(TypeError, match=r"unknown option 'widht' \(options: ascii, .*width\)"):
        convert.export(article, "txt", widht=66)
    with pytest.raises(TypeError, match="widht"):  # as convert_paths has always done
        convert.convert_paths([], "txt", widht=66)
    widest = {width: max(map(len, convert.export(article, "txt", width=width).decode().splitlines()))
              for width in (30, 72)}
    assert widest[30] <= 30 < widest[72] <= 72  # the option spelt right takes effect


# --- what -v prints --------------------------------------------------------------------------------


def test_verbose_lines_escape_control_characters_in_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_corpus(folder, 1)
    seed = next(folder.rglob("*.md"))
    seed.rename(folder / "red\x1b[31mtext\u009b2J.md")
    (folder / "link\x07\x1b[2J.md").symlink_to(folder / "red\x1b[31mtext\u009b2J.md")
    code, err = cli("txt", str(folder), "-o", str(tmp_path / "out"), "-v")
    assert code == 0, err
    assert not any(ch in err for ch in "\x1b\x07\u009b")  # nothing a terminal would act on
    assert f"wrote {tmp_path / 'out'}/red\\x1b[31mtext\\x9b2J.txt" in err.splitlines()
    assert f"skipped symbolic link {folder}/link\\x07\\x1b[2J.md" in err.splitlines()


def test_group_by_without_a_bundle_is_said_to_change_nothing(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 2)
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--group-by", "kind")
    assert code == 0
    assert "warning: --group-by orders a bundle's articles; without --bundle it changes nothing" in err
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out2"), "--group-by", "kind",
                    "--bundle", "digest.txt")
    assert code == 0 and "--group-by" not in err
    assert (tmp_path / "out2" / "digest.txt").is_file()
    code, err = cli("txt", str(tmp_path / "in"), "-o", str(tmp_path / "out3"))
    assert code == 0 and "--group-by" not in err  # the default says nothing


def test_a_bundle_already_inside_the_output_folder_is_not_put_in_it_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path / "in", 2)
    monkeypatch.chdir(tmp_path)
    assert cli("txt", "in", "-o", "out", "--bundle", "out/digest.txt")[0] == 0
    assert (tmp_path / "out" / "digest.txt").is_file() and not (tmp_path / "out" / "out").exists()
    assert cli("txt", "in", "-o", "out", "--bundle", "weekly.txt")[0] == 0
    assert (tmp_path / "out" / "weekly.txt").is_file()  # a bare name still goes inside OUT
