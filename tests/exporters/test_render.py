"""Every format against its expected outputs, as mistune's and markdown-it-py's tests are driven.

    tests/fixtures/render/input/<case>.json     an article (the model's JSON form), made by hand
    tests/fixtures/render/input/<case>/         a bundle: every article in the folder
    tests/fixtures/render/<format>/<case>[@<variant>].<extension>    what the format makes of it

The case `seed` is the real seed shipped in seeds/. A variant names the settings used
(`VARIANTS`: `lists@narrow.txt` is the bulletin of `lists` at width 40). Text formats are
compared byte for byte; Word documents and PDFs through a text dump (`render_dump`: styles,
runs, links and fields; metadata, bookmarks, links and page text). Packs are dated by
SOURCE_DATE_EPOCH, so their date of issue does not change from day to day.

After a deliberate change of output, rewrite the expected files and read the diff:

    CONVERT_UPDATE_FIXTURES=1 .venv/bin/python -m pytest tests/exporters/test_render.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from renderkit import BUILTIN, RENDER, SCREEN_CSS, docx_text, html_text, load, pdf_text

import convert

UPDATE = os.environ.get("CONVERT_UPDATE_FIXTURES") == "1"
EPOCH = "1700000000"  # 14 November 2023

VARIANTS: dict[str, dict[str, object]] = {
    "": {},
    "narrow": {"width": 40},
    "w50": {"width": 50},
    "ascii": {"ascii": True},
    "ascii-narrow": {"ascii": True, "width": 40},
    "ascii-w50": {"ascii": True, "width": 50},
    "titled": {"title": "Weekly pack"},
}
DUMPS = {"docx": docx_text, "pdf": pdf_text, "html": html_text}  # the others are text already


def cases() -> list[pytest.param]:
    found = []
    for fmt in BUILTIN:
        for expected in sorted((RENDER / fmt).glob("*")):
            found.append(pytest.param(fmt, expected, id=f"{fmt}/{expected.name}"))
    return found


def test_every_builtin_format_has_expected_outputs() -> None:
    assert BUILTIN == ["docx", "html", "json", "md", "pdf", "txt"]
    for fmt in BUILTIN:
        assert list((RENDER / fmt).glob("*")), f"no render fixtures for {fmt}"


@pytest.mark.parametrize(("fmt", "expected"), cases())
def test_output_is_as_expected(fmt: str, expected: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    case, _, variant = expected.name.split(".", 1)[0].partition("@")
    data = convert.export(load(case), fmt, **VARIANTS[variant])
    actual = DUMPS[fmt](data) if fmt in DUMPS else data.decode("utf-8")
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
        return
    assert actual == expected.read_text(encoding="utf-8")
    if fmt == "html":
        assert actual.count(SCREEN_CSS) == 1  # the whole stylesheet, once
