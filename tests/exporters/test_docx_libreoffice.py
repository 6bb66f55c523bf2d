"""A real client opens the Word output: LibreOffice converts it to PDF and we read the result.

LibreOffice (Debian's `libreoffice-writer-nogui`) is installed by `make test` and `.ci/run`;
without it these tests fail, they do not skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from docx_support import article, pack
from pypdf import PdfReader
from testpaths import SEED

import convert
from convert.collate import by_area
from convert.exporters import TitledOptions
from convert.exporters.docx import WordDocument
from convert.exporters.shared.dates import long_date
from convert.model import Article, Link, Paragraph, Text

LONG_URL = "https://example.org/" + "a" * 400
A4_WIDTH, MARGIN = 595.3, 70.9  # points: the reference's page and its 2.5 cm margins


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) is not installed: run `make test`, which installs it")
    return found


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed, a 30-article pack and a long-token article, converted in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("lo")
    word = WordDocument(TitledOptions())
    base = article()
    docs = {
        "seed": word.export(convert.load(SEED)),
        "pack": WordDocument(TitledOptions(title="Thirty article pack")).export_bundle(pack(30)),
        "glance": WordDocument(TitledOptions()).export_bundle(short_pack(90)),
        "long": word.export(
            Article(
                replace(base.meta, url=LONG_URL),
                (Paragraph((Text("A long one: " + LONG_URL + " and " + "x" * 400 + " end."),)),
                 Paragraph((Link(LONG_URL, (Text(LONG_URL),)),))),
            )
        ),
    }
    for name, data in docs.items():
        (folder / f"{name}.docx").write_bytes(data)
    profile = (folder / "profile").as_uri()  # a profile of its own: parallel runs don't clash
    cmd = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(folder), *(str(folder / f"{n}.docx") for n in docs)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    out = {name: folder / f"{name}.pdf" for name in docs}
    missing = [n for n, p in out.items() if not p.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}:\n{result.stdout}\n{result.stderr}"
    return out


def short_pack(n: int) -> list[Article]:
    """`pack(n)` with one-line bodies: an "At a glance" table over several pages, cheaply."""
    return [replace(a, blocks=(Paragraph((Text("Short."),)),)) for a in pack(n)]


def page_texts(path: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def test_seed_reads_right_in_libreoffice(pdfs: dict[str, Path]) -> None:
    pages = page_texts(pdfs["seed"])
    text = " ".join(pages)
    assert pages[0].startswith("Lancashire Thursday 11 April 2019")  # the running header
    for expected in (
        "Significant improvements in child protection",
        "LANCASHIRE Constabulary has welcomed the significant improvements",
        "Source: https://www.lancashire.police.uk/news/2019/april/significant-improvements-in-child-protection/",
        "Introducing child protection coaches",
        "Improved governance and management systems",
        "Deputy Chief Constable Sunita Gamblin said",
    ):
        assert expected in text, expected
    assert re.search(r"\u2022 ?Providing further training", text)  # a real bullet
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_pack_in_libreoffice(pdfs: dict[str, Path]) -> None:
    articles = pack(30)
    pages = page_texts(pdfs["pack"])
    assert "Thirty article pack" in pages[0] and "30 articles from 4 areas" in pages[0]
    assert "Page" not in pages[0]  # the cover has no header or footer
    assert pages[1].startswith("Thirty article pack 1 April 2019 – 31 May 2019 At a glance")
    contents_at = next(n for n, p in enumerate(pages) if "Contents" in p[:80])
    assert contents_at > 1  # after "At a glance"
    contents = " ".join(p for p in pages[contents_at:contents_at + 3] if "Source: " not in p)  # no article
    # the groups' headings and every headline, in pack order, and nothing else (no sub-heading)
    entries = [e for s in by_area(articles)
               for e in [s.title.upper()] + [a.meta.headline for a in s.articles]]
    assert [contents.index(e) for e in entries] == sorted(contents.index(e) for e in entries)
    assert "What the inspectors found" not in contents
    # every article starts a page: its running header (area, date), then the group's heading
    # (the area) when it opens its group, else its area label, then its headline
    sections = by_area(articles)
    ordered = [a for s in sections for a in s.articles]
    starts = []
    for a in ordered:
        top = f"{a.meta.area} {long_date(a.meta.published)} {a.meta.area.upper()} {a.meta.headline}"
        found = [n for n, text in enumerate(pages) if text.startswith(top)]
        assert len(found) == 1, f"{a.meta.headline!r} does not open a page of its own"
        assert f"{a.meta.area.upper()} {a.meta.area.upper()}" not in pages[found[0]]  # said once
        starts.append(found[0])
    assert starts == sorted(starts) and starts[0] > 1
    assert all(f"of {len(pages)}" in text for text in pages[1:])  # "Page X of Y" after the cover
    assert f"Page 2 of {len(pages)}" in pages[1]


def test_glance_table_repeats_its_header_row_in_libreoffice(pdfs: dict[str, Path]) -> None:
    pages = page_texts(pdfs["glance"])
    contents_at = next(n for n, p in enumerate(pages) if "Contents" in p[:80])
    glance = pages[1:contents_at]
    assert len(glance) >= 2  # 90 rows: more than a page
    head = "Briefing pack 1 April 2019 – 31 May 2019"
    assert glance[0].startswith(f"{head} At a glance DATE AREA KIND HEADLINE")
    for page in glance[1:]:
        assert page.startswith(f"{head} DATE AREA KIND HEADLINE"), page[:120]
    rows = " ".join(glance)
    assert all(f"Report {i:02d} on child protection" in rows for i in range(90))


def test_long_tokens_stay_inside_the_margins(pdfs: dict[str, Path]) -> None:
    """A 400-character URL and word wrap at the margin instead of running off the page."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdfs["long"]), "-"], capture_output=True,
                          text=True, check=True).stdout
    right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert right and max(right) <= A4_WIDTH - MARGIN + 3, max(right)
    text = "".join(" ".join(page_texts(pdfs["long"])).split())
    assert LONG_URL in text and "x" * 400 in text
