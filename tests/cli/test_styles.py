"""Restyling without code, through the command line: `convert styles init DIR`, edits in DIR,
`--styles DIR`. Page size and colour of PDFs, the bulletin header, the Word page, the HTML
screen CSS; partial folders fall back file by file; the manifest rebuilds exactly the formats
whose style files changed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader
from seedkit import write_seed

from convert.cli import main
from convert.styles import default_dir

A4 = (595, 842)
A5_LANDSCAPE = (595, 420)
NAVY = "0.113725 0.207843 0.341176"  # the shipped accent, #1d3557, as a PDF fill colour
MAROON = "0.478431 0 0.098039"  # #7a0019
HEADER = "LANCASHIRE CONSTABULARY  |  MEDIA BULLETIN"


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "-j", "1"] if args[0] != "styles" else list(args))
    return result.exit_code, result.stderr + result.stdout


def convert(*args: str) -> list[str]:
    """Run a conversion with -v; the names of the outputs it wrote."""
    code, text = cli(*args, "-v")
    assert code == 0, text
    return sorted(Path(line.removeprefix("wrote ")).name for line in text.splitlines()
                  if line.startswith("wrote "))


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    root = tmp_path / "seeds"
    write_seed(root, "kent.md", headline="Appeal after burglary", area="Kent",
               published="2020-01-05T09:00+00:00")
    write_seed(root, "lancs.md", headline="Officers praised for quick response", area="Lancashire",
               published="2020-01-20T09:00+00:00")
    return root


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A styles folder made by `convert styles init`, as a user starts."""
    folder = tmp_path / "mine"
    code, said = cli("styles", "init", str(folder))
    assert code == 0 and f"--styles {folder}" in said
    return folder


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def page_sizes(path: Path) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(path).pages}


def fill_colours(path: Path) -> set[str]:
    found: set[str] = set()
    for page in PdfReader(path).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        found.update(re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg", stream))
    return found


def test_init_copies_exactly_the_shipped_files(mine: Path) -> None:
    shipped = {p.name: p.read_bytes() for p in default_dir().iterdir() if p.is_file()}
    assert {"briefing.css", "screen.css", "bulletin.txt.j2", "digest.txt.j2", "article.html.j2",
            "bundle.html.j2", "parts.html.j2", "reference.docx"} <= set(shipped)
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == shipped


def test_a5_landscape_and_another_colour(seeds: Path, mine: Path, tmp_path: Path) -> None:
    css = mine / "briefing.css"
    css.write_text(css.read_text(encoding="utf-8").replace("#1d3557", "#7a0019"), encoding="utf-8")
    append(css, "\n@page { size: A5 landscape }\n")
    convert("pdf", str(seeds), "-o", str(tmp_path / "plain"))
    convert("pdf", str(seeds), "-o", str(tmp_path / "styled"), "--styles", str(mine))
    assert page_sizes(tmp_path / "plain" / "kent.pdf") == {A4}
    assert page_sizes(tmp_path / "styled" / "kent.pdf") == {A5_LANDSCAPE}
    assert NAVY in fill_colours(tmp_path / "plain" / "kent.pdf")
    styled = fill_colours(tmp_path / "styled" / "kent.pdf")
    assert MAROON in styled and NAVY not in styled
    # a pack: cover and contents pages too
    pack = tmp_path / "pack.pdf"
    convert("pdf", str(seeds), "--styles", str(mine), "--bundle", str(pack), "--title", "Weekly")
    assert len(PdfReader(pack).pages) >= 4 and page_sizes(pack) == {A5_LANDSCAPE}


def test_another_bulletin_header(seeds: Path, mine: Path, tmp_path: Path) -> None:
    template = mine / "bulletin.txt.j2"
    text = template.read_text(encoding="utf-8")
    end_of_comment = text.index("-#}") + len("-#}")
    # only on a bulletin of its own: in a digest each article is numbered
    header = f'\n{{% if not article.number %}}\n{HEADER}\n{{{{ rule("-") }}}}\n\n{{% endif %}}'
    template.write_text(text[:end_of_comment] + header + text[end_of_comment:], encoding="utf-8")
    convert("txt", str(seeds), "-o", str(tmp_path / "out"), "--styles", str(mine))
    lines = (tmp_path / "out" / "kent.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:5] == [HEADER, "-" * 72, "", "Appeal after burglary", "=" * len("Appeal after burglary")]
    convert("txt", str(seeds), "--styles", str(mine), "--bundle", str(tmp_path / "digest.txt"))
    assert HEADER not in (tmp_path / "digest.txt").read_text(encoding="utf-8")


def test_a_partial_folder_falls_back_file_by_file(seeds: Path, tmp_path: Path) -> None:
    only_css = tmp_path / "only-css"
    only_css.mkdir()
    (only_css / "briefing.css").write_text(
        (default_dir() / "briefing.css").read_text(encoding="utf-8") + "\n@page { size: A5 landscape }\n",
        encoding="utf-8",
    )
    written = convert("pdf,txt,docx,html", str(seeds), "-o", str(tmp_path / "out"), "--styles", str(only_css))
    assert len(written) == 8
    assert page_sizes(tmp_path / "out" / "lancs.pdf") == {A5_LANDSCAPE}  # its CSS, the shipped templates
    default = tmp_path / "default"
    convert("txt,html", str(seeds), "-o", str(default))
    for name in ("lancs.txt", "lancs.html"):  # formats that read none of its files: as shipped
        assert (tmp_path / "out" / name).read_bytes() == (default / name).read_bytes()


def test_word_and_html_read_the_styles_folder_too(seeds: Path, mine: Path, tmp_path: Path) -> None:
    reference = Document(str(mine / "reference.docx"))
    section = reference.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    reference.save(str(mine / "reference.docx"))
    append(mine / "screen.css", "\n.masthead { border-bottom-color: #7a0019 }\n")
    convert("docx,html", str(seeds), "-o", str(tmp_path / "out"), "--styles", str(mine))
    word = Document(io.BytesIO((tmp_path / "out" / "kent.docx").read_bytes())).sections[0]
    assert word.orientation == WD_ORIENT.LANDSCAPE and word.page_width > word.page_height
    assert ".masthead { border-bottom-color: #7a0019 }" in (tmp_path / "out" / "kent.html").read_text()


def test_the_manifest_rebuilds_exactly_the_affected_format(seeds: Path, mine: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    every = ("pdf,docx,txt,html,md,json", str(seeds), "-o", out, "--styles", str(mine))
    assert len(convert(*every)) == 12
    assert convert(*every) == []
    append(mine / "briefing.css", "\n@page { size: A5 landscape }\n")
    assert convert(*every) == ["kent.pdf", "lancs.pdf"]  # not the bulletins, not the web pages
    append(mine / "bulletin.txt.j2", "\n-- \nPress office\n")
    assert convert(*every) == ["kent.txt", "lancs.txt"]
    append(mine / "screen.css", "\nbody { max-width: 40em }\n")
    assert convert(*every) == ["kent.html", "lancs.html"]
    append(mine / "parts.html.j2", "\n{# a template both the PDF and the HTML page use #}\n")
    assert convert(*every) == ["kent.html", "kent.pdf", "lancs.html", "lancs.pdf"]
    (mine / "reference.docx").unlink()  # falls back to the shipped one: same bytes, nothing to do
    assert convert(*every) == []
    (mine / "bulletin.txt.j2").unlink()  # back to the shipped bulletin: rebuilt
    assert convert(*every) == ["kent.txt", "lancs.txt"]
