"""A pack's "At a glance" rows: one per article, in the pack's order, under its groups.

Decided once, here, so the PDF/HTML page, the Word table and the Markdown table list the same
date, area, kind, headline and reference to quote. Strings are the view's own (seed text,
untrusted): each format cleans and escapes them in its own syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Article
from .callout import kind_label, to_quote
from .view import ArticleView, BundleView

COLUMNS = ("Date", "Area", "Kind", "Headline", "Quote")
UNDATED = "Undated"


@dataclass(frozen=True, slots=True)
class GlanceRow:
    """One article's row: `date` short ('11 Apr 2019', or 'Undated'), the area, the kind's
    label ('' for none), the headline as printed and the references to quote ('' for none)."""

    date: str
    area: str
    kind: str
    headline: str
    quote: str
    article: Article

    @property
    def cells(self) -> tuple[str, str, str, str, str]:
        """The row's text in `COLUMNS` order."""
        return (self.date, self.area, self.kind, self.headline, self.quote)


@dataclass(frozen=True, slots=True)
class GlanceGroup:
    """The rows of one of the pack's groups (an area, a kind, a day or month): `title` heads it."""

    title: str
    rows: tuple[GlanceRow, ...]


def glance_row(article: Article, shown: ArticleView | None = None) -> GlanceRow:
    """The row for one article (`shown`: its view, when the caller has one already)."""
    shown = shown or ArticleView(article)
    return GlanceRow(
        date=shown.date_short or UNDATED,
        area=shown.area,
        kind=kind_label(article),
        headline=shown.headline,
        quote=to_quote(article),
        article=article,
    )


def glance(bundle: BundleView) -> list[GlanceGroup]:
    """Every row of the pack, grouped and ordered as its contents (`BundleView.sections`)."""
    return [
        GlanceGroup(section.title, tuple(glance_row(article) for article in section.articles))
        for section in bundle.sections
    ]
