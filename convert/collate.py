"""How many articles are put together in one output (a bundle): grouped, ordered, spanned."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .model import Article


def sort_key_date(article: Article) -> date:
    """The day an article was published, for ordering; undated articles sort oldest."""
    value = article.meta.published
    if value is None:
        return date.min
    return value.date() if isinstance(value, datetime) else value


def _sort_instant(article: Article) -> tuple[date, str]:
    value = article.meta.published
    time = f"{value:%H:%M:%S}" if isinstance(value, datetime) else ""
    return (sort_key_date(article), time)


@dataclass(frozen=True, slots=True)
class Section:
    """The articles of one area in a bundle, newest first."""

    area: str
    articles: tuple[Article, ...]


def by_area(articles: Iterable[Article]) -> list[Section]:
    """Group by area (alphabetical), each group newest first, ties by headline.

    Every bundle (PDF pack, Word bundle, text digest) uses this order, so they agree.
    """
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.meta.area, []).append(article)
    sections = []
    for area in sorted(groups, key=str.casefold):
        members = sorted(groups[area], key=lambda a: a.meta.headline.casefold())
        members.sort(key=_sort_instant, reverse=True)
        sections.append(Section(area, tuple(members)))
    return sections


def date_span(articles: Sequence[Article]) -> tuple[date, date] | None:
    """The first and last publication day among the articles, or None if none is dated."""
    days = [sort_key_date(a) for a in articles if a.meta.published is not None]
    if not days:
        return None
    return min(days), max(days)
