"""Odd and broken seeds through the real command line, in the three main formats.

tests/fixtures/broken/ holds small hand-written seeds: `good_*` ones are odd but readable
(BOM and CRLF, lone CR, cp1252, invalid UTF-8 mixed in, NUL and control characters, Welsh,
Irish, Arabic, CJK and emoji names, template and HTML syntax, a 400-character URL, a deeply
nested list, a header with no body) and `bad_*` ones cannot be read (empty, a PNG renamed,
fences missing, YAML that is not a mapping or not YAML, no url, a Python tag that would
create a file, an alias bomb, deep nesting). The big ones are made here: a 20,000-word
article, 200,000 levels of YAML nesting, a seed over the size limit.

One run over all of them must: exit 1; write every good seed's PDF, Word and text output,
each readable; name every bad seed in exactly one error line with its reason (and line);
write nothing for a bad seed; leave no temporary file; print no traceback; run no code.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from testpaths import FIXTURES

from convert.cli import main
from convert.engine.manifest import FILENAME as MANIFEST

BROKEN = FIXTURES / "broken"
FORMATS = ("pdf", "docx", "txt")
SENTINEL = "yaml-code-ran"  # what bad_python_tag.txt would `touch` (relative: in the cwd)
WORDS = 20_000
MAX_BYTES = 1024 * 1024  # the run's --max-bytes: 1 MiB

# good seed → its headline, which every output must carry
GOOD = {
    "good_bom_crlf": "BOM and CRLF seed converts",
    "good_lone_cr": "Old Mac line ends",
    "good_cp1252": "Café owner thanked",
    "good_mixed_utf8": "Mixed bytes appeal",
    "good_controls": "Control characters survive",
    "good_scripts": "Appeal in Caernarfon for Ŵyn ap Ŷwain",
    "good_markup": "Markup {{ 7*7 }} {% raw %} x()",  # tags in a header field are residue: they go
    "good_long_url": "A very long link",
    "good_nested_list": "Nested list",
    "good_header_only": "Header only",
    "good_long_article": "Twenty thousand words in one release",  # made by `inputs`
}
# bad seed → (the line its error names, or None for the whole file; words of the reason)
BAD = {
    "bad_empty": (None, "empty file"),
    "bad_image": (None, "binary file (PNG image), not a seed"),
    "bad_no_opening_fence": (3, "no opening ```yaml fence"),
    "bad_no_closing_fence": (2, "no closing ``` fence for the header opened on line 2"),
    "bad_yaml_list": (2, "the header is a list, not a mapping of keys"),
    "bad_yaml_syntax": (5, "YAML syntax error in the header"),  # `[unclosed` on line 4, found on 5
    "bad_missing_url": (1, "the header has no 'url'"),
    "bad_empty_header": (1, "the header has no 'url'"),
    "bad_python_tag": (4, "unsupported YAML tag !!python/object/apply:os.system"),
    "bad_alias_bomb": (4, "YAML anchors and aliases (&name, *name) are not allowed"),
    "bad_deep_nesting": (4, "exceeded maximum nesting depth"),
    "bad_deeper_nesting": (4, "exceeded maximum nesting depth"),  # made by `inputs`
    "bad_python_tag_absolute": (4, "unsupported YAML tag !!python/object/new:os.system"),  # made
    "bad_too_large": (None, f"file too large (1,572,864 bytes; the limit is {MAX_BYTES:,})"),  # made
}
HEADER = ("```yaml\narea: Kent\nurl: https://www.kent.police.uk/news/{slug}/\n"
          "title: {title} | Kent Police\n```\n\n")


def collapse(text: str) -> str:
    return " ".join(text.split())


def inputs(folder: Path, sentinel: Path) -> Path:
    """The fixtures plus the seeds too big (or too path-specific) to commit."""
    shutil.copytree(BROKEN, folder)
    words = [f"word{i % 997}" for i in range(WORDS - 3)]
    paragraphs = [" ".join(words[i : i + 120]) + "." for i in range(0, len(words), 120)]
    (folder / "good_long_article.txt").write_text(
        HEADER.format(slug="long", title=GOOD["good_long_article"])
        + "\n\n".join(paragraphs) + "\n\nTHE LAST PARAGRAPH.\n", encoding="utf-8")
    (folder / "bad_deeper_nesting.txt").write_text(
        "```yaml\narea: Kent\nurl: https://www.kent.police.uk/news/deep/\n"
        "x: " + "[" * 200_000 + "]" * 200_000 + "\n```\n\nBody.\n")
    (folder / "bad_python_tag_absolute.txt").write_text(
        "```yaml\narea: Kent\nurl: https://www.kent.police.uk/news/x/\n"
        f"title: !!python/object/new:os.system ['touch {sentinel}']\n```\n\nBody.\n")
    too_large = HEADER.format(slug="big", title="Too big")
    # 1.5 MiB: the message gives the file's real size, not the most the run reads of it
    (folder / "bad_too_large.txt").write_text(too_large + "x" * (3 * MAX_BYTES // 2 - len(too_large)))
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, subprocess.CompletedProcess]:
    """One real run of `convert pdf,docx,txt IN -o OUT` in a fresh process and a fresh cwd."""
    base = tmp_path_factory.mktemp("broken")
    cwd = base / "cwd"
    cwd.mkdir()
    folder = inputs(base / "in", base / "absolute-sentinel")
    out = base / "out"
    done = subprocess.run(
        [sys.executable, "-m", "convert", ",".join(FORMATS), str(folder), "-o", str(out),
         "--max-bytes", str(MAX_BYTES)],
        cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )
    return base, folder, out, done


def test_the_inputs_are_what_the_tables_say(run: tuple) -> None:
    _, folder, _, _ = run
    assert sorted(p.stem for p in folder.iterdir()) == sorted([*GOOD, *BAD])
    assert (folder / "bad_image.txt").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (folder / "good_bom_crlf.txt").read_bytes().startswith(b"\xef\xbb\xbf```yaml\r\n")
    lone_cr = (folder / "good_lone_cr.txt").read_bytes()
    assert b"\r" in lone_cr and b"\n" not in lone_cr
    assert b"\x00" in (folder / "good_controls.txt").read_bytes()
    long_url = re.search(r"https://www\.example\.police\.uk/\S+", (folder / "good_long_url.txt").read_text())
    assert long_url is not None and len(long_url[0]) >= 400
    assert len((folder / "good_long_article.txt").read_text().split()) >= WORDS


def test_exit_1_no_traceback_and_the_summary(run: tuple) -> None:
    _, _, _, done = run
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout == ""
    assert f"converted {len(GOOD)}, up to date 0, failed {len(BAD)}, in " in done.stderr


def test_every_bad_seed_is_named_in_one_error_line_with_its_reason(run: tuple) -> None:
    _, folder, _, done = run
    lines = done.stderr.splitlines()
    said = lines[:-1]  # the summary is last; without a terminal there is no list after it
    for name, (line, reason) in BAD.items():
        path = f"{folder / name}.txt"
        mine = [s for s in said if s.startswith((f"{path}:", f"{path} "))]
        assert len(mine) == 1, (name, mine)
        where = path if line is None else f"{path}:{line}"
        assert mine[0].startswith(f"{where}: "), (name, mine[0])
        assert reason in mine[0], (name, mine[0])
    assert lines[-1].startswith("converted ")


def test_good_seeds_have_no_error_only_the_decoding_warnings(run: tuple) -> None:
    _, folder, _, done = run
    for name in GOOD:
        path = f"{folder / name}.txt"
        mine = [s for s in done.stderr.splitlines() if path in s]
        assert all(": warning: " in s for s in mine), mine
    warnings = [s for s in done.stderr.splitlines() if ": warning: " in s]
    assert sorted(warnings) == [  # the file named once, as given; the line where there is one
        f"{folder / 'good_cp1252.txt'}: warning: not UTF-8, decoded as cp1252",
        f"{folder / 'good_mixed_utf8.txt'}: warning: line 7: invalid UTF-8 bytes decoded as cp1252",
    ]


def test_good_seeds_have_all_three_outputs_and_they_read_back(run: tuple) -> None:
    _, _, out, _ = run
    for name, headline in GOOD.items():
        pdf = PdfReader(io.BytesIO((out / f"{name}.pdf").read_bytes()))
        pdf_text = collapse(" ".join(page.extract_text() or "" for page in pdf.pages))
        assert len(pdf.pages) >= 1 and pdf.metadata.title == headline, name
        word_doc = docx.Document(str(out / f"{name}.docx"))
        docx_text = collapse(" ".join(p.text for p in word_doc.paragraphs))
        txt = (out / f"{name}.txt").read_text(encoding="utf-8")
        assert txt.strip() and headline in collapse(txt), name
        assert headline in docx_text, name
        if name != "good_scripts":  # pypdf reads Ŵ back decomposed; the title above is exact
            assert headline in pdf_text, name


def test_the_odd_content_survives_in_every_format(run: tuple) -> None:
    _, _, out, _ = run
    texts = {}
    for name in ("good_markup", "good_long_article", "good_nested_list", "good_controls", "good_cp1252"):
        pdf = PdfReader(io.BytesIO((out / f"{name}.pdf").read_bytes()))
        texts[name] = {
            "pdf": collapse(" ".join(page.extract_text() or "" for page in pdf.pages)),
            "docx": collapse(" ".join(p.text for p in docx.Document(str(out / f"{name}.docx")).paragraphs)),
            "txt": collapse((out / f"{name}.txt").read_text(encoding="utf-8")),
        }
    for fmt in FORMATS:
        markup = texts["good_markup"][fmt]
        assert "Body text {{ 7*7 }} and {% raw %}raw{% endraw %} and {# comment #} and <b>tags</b>." in markup
        # printed as written, its quotes typeset like any other text's
        assert "<script>alert(‘body’)</script>" in markup and not re.search(r"\b49\b", markup)
        assert "THE LAST PARAGRAPH." in texts["good_long_article"][fmt]  # 20,000 words, none lost
        nested = texts["good_nested_list"][fmt]
        assert all(f"level {i}" in nested for i in range(40)) and "deep quote" in nested
        assert "A NUL byte, a bell, an escape[31m and a form" in texts["good_controls"][fmt]
        assert "The café owner – Zoë – said: “Thank you.” It cost £20." in texts["good_cp1252"][fmt]
    assert len(PdfReader(io.BytesIO((out / "good_long_article.pdf").read_bytes())).pages) >= 20


def test_nothing_written_for_bad_seeds_and_no_temporary_files(run: tuple) -> None:
    _, _, out, _ = run
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    visible = [w for w in written if not w.startswith(".")]
    assert visible == sorted(f"{name}.{fmt}" for name in GOOD for fmt in FORMATS)
    assert [w for w in written if w.startswith(".")] == [MANIFEST]  # no `.x.pdf.~convert-abcd1234.tmp`


def test_no_code_ran_from_yaml(run: tuple) -> None:
    base, _, _, _ = run
    assert not (base / "absolute-sentinel").exists()
    assert not list(base.rglob(f"{SENTINEL}*")), "a YAML tag ran a command"


# --- a failed conversion never replaces a good output (real reader, real formats) ----------------


def outputs(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in `out` but the manifest (which records each run): bytes and mtime."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir() if p.name != MANIFEST}


def test_a_seed_gone_bad_leaves_its_outputs_alone(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    seed = folder / "release.txt"
    good = (BROKEN / "good_scripts.txt").read_bytes()
    seed.write_bytes(good)
    args = [",".join(FORMATS), str(folder), "-o", str(out), "-j", "1"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.stderr
    before = outputs(out)
    assert set(before) == {f"release.{fmt}" for fmt in FORMATS}
    for bad in ("bad_python_tag", "bad_image", "bad_yaml_syntax", "bad_empty", "bad_no_closing_fence"):
        seed.write_bytes((BROKEN / f"{bad}.txt").read_bytes())
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and "Traceback" not in result.stderr, bad
        line, reason = BAD[bad]
        where = str(seed) if line is None else f"{seed}:{line}"
        assert result.stderr.startswith(f"{where}: ") and reason in result.stderr.splitlines()[0], bad
        assert outputs(out) == before, bad  # same files, same bytes, not even rewritten
    # put the good text back: its outputs are still recorded as up to date, nothing is rebuilt
    seed.write_bytes(good)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and again.stderr.startswith("converted 0, up to date 1, failed 0")
    assert outputs(out) == before
