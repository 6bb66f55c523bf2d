"""Helpers for the PDF and HTML tests: read PDFs back, check them with qpdf, guard the network.

The fixtures `no_network` and `weasyprint_errors` live in pdf_guards.py (load it with
`pytest_plugins = ("pdf_guards",)`).
"""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from convert.exporters.web.fetch import SafeFetcher
from convert.model import Article

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_article(name: str) -> Article:
    """A hand-built article from tests/fixtures/articles/NAME.json (model schema 1)."""
    return Article.from_dict(json.loads((FIXTURES / "articles" / f"{name}.json").read_text("utf-8")))


def many_articles(n: int) -> list[Article]:
    """`n` distinct articles over five areas and two months, from the fixture article."""
    base = fixture_article("briefing")
    areas = ("Lancashire", "Essex", "Avon and Somerset", "Cumbria", "North Wales")
    out = []
    for i in range(n):
        meta = replace(
            base.meta,
            headline=f"Article {i:03d}: {base.meta.headline}",
            area=areas[i % len(areas)],
            published=date(2019, 4, 1) + timedelta(days=(i * 7) % 61),
            publisher=None,
        )
        out.append(Article(meta, base.blocks))
    return out


def qpdf_check(data: bytes, tmp_path: Path, name: str = "check.pdf") -> None:
    """Fail unless `qpdf --check` accepts the PDF (exit 0: no errors, no warnings)."""
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, f"qpdf --check failed:\n{result.stdout}\n{result.stderr}"


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text(data: bytes) -> str:
    """All the text of a PDF, pages joined, whitespace collapsed."""
    pages = [page.extract_text() or "" for page in reader(data).pages]
    return " ".join(" ".join(pages).split())


def outline(data: bytes) -> list[tuple[int, str, int]]:
    """The bookmarks as (depth, title, 0-based page number), in document order."""
    pdf = reader(data)
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, pdf.get_destination_page_number(item)))

    walk(pdf.outline, 0)
    return found


class RecordingFetcher(SafeFetcher):
    """SafeFetcher that notes every URL asked for and whether it was served."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[tuple[str, bool]] = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except Exception:
            self.asked.append((url, False))
            raise
        self.asked.append((url, True))
        return response
