"""A `convert` exporter: articles as a CSV table, one row per article, for spreadsheets."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from convert.collate import by_area
from convert.exporters import Options, setting
from convert.model import Article
from convert.text import blocks_text, to_ascii

COLUMNS = ("area", "published", "headline", "summary", "speakers", "words", "url")


@dataclass(frozen=True)
class CSVOptions(Options):
    """The settings this format takes: `--ascii` (typographic punctuation as plain ASCII)."""

    ascii: bool = setting(False)


class CSVTable:
    """One row per article: area, date, headline, summary, speakers, length and link."""

    name = "csv"
    extension = "csv"
    description = "CSV table, one row per article (Excel, LibreOffice, pandas)"
    version = "1"  # bump when the output changes, so incremental runs rebuild it
    style_files = ()  # names of files in the styles folder this format reads: none
    options_class = CSVOptions  # only these settings count: --width never rebuilds a table

    def __init__(self, options: CSVOptions) -> None:  # built once per process, then reused
        self.options = options

    def export(self, article: Article) -> bytes:
        return self.export_bundle([article])

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for section in by_area(articles):  # the order of every bundle: area, newest first
            for article in section.articles:
                writer.writerow(self.row(article))
        return out.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8

    def row(self, article: Article) -> list[str]:
        meta = article.meta
        day = meta.published.date() if isinstance(meta.published, datetime) else meta.published
        words = len(blocks_text(article.blocks).split())
        cells = (meta.area, day.isoformat() if day else "", meta.headline, meta.summary or "",
                 "; ".join(meta.speakers), str(words), meta.url)
        return [as_text(to_ascii(cell) if self.options.ascii else cell) for cell in cells]


def as_text(cell: str) -> str:
    """Seed text is untrusted: a spreadsheet would run a cell starting with = + - @ as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
