"""How many articles are put together in one output (a bundle): grouped, ordered, spanned."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .model import Article, Month
from .taxonomy import GROUPINGS, STORY_KIND_LABELS, STORY_KINDS


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
    """One group of a bundle's articles, newest first: an area's (`by_area`), or a kind's or a
    day's (`group`). `heading` names the group in contents and outlines; `area` is the area when
    grouped by area, else ''."""

    area: str
    articles: tuple[Article, ...]
    heading: str = ""

    @property
    def title(self) -> str:
        return self.heading or self.area




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


def group(articles: Iterable[Article], by: str = "area") -> list[Section]:
    """The bundle's sections for `--group-by`: by area (`by_area`), by kind of story (the
    taxonomy's order, the main kind; 'other' last) or by date (newest day first, or month
    when the articles span more than 31 days; undated last). Each group newest first."""
    if by == "area":
        return by_area(articles)
    if by not in GROUPINGS:
        raise ValueError(f"cannot group a bundle by {by!r}: choose one of {', '.join(GROUPINGS)}")
    members = list(articles)
    order: dict[str, tuple[int, str]] = {}  # key → (rank, heading)
    keys: list[str] = []
    if by == "kind":
        ranks = {kind: n for n, kind in enumerate(STORY_KINDS)}
        for article in members:
            kind = article.facts.kinds[0] if article.facts.kinds else "other"
            kind = kind if kind in ranks else "other"
            order[kind] = (ranks[kind] if kind != "other" else len(ranks), STORY_KIND_LABELS[kind] or "Other")
            keys.append(kind)
    else:
        span = date_span(members)
        monthly = span is not None and (span[1] - span[0]).days > 31
        for article in members:
            if article.meta.published is None:
                key, rank, heading = "undated", 0, "Undated"
            else:
                day = sort_key_date(article)
                key = f"{day:%Y-%m}" if monthly else day.isoformat()
                rank = -(day.year * 10000 + day.month * 100 + (0 if monthly else day.day))
                whole_month = monthly or isinstance(day, Month)  # a Month is its own group
                heading = f"{day:%B %Y}" if whole_month else f"{day:%A} {day.day} {day:%B %Y}"
            order[key] = (rank if key != "undated" else 1, heading)
            keys.append(key)
    groups: dict[str, list[Article]] = {}
    for key, article in zip(keys, members, strict=True):
        groups.setdefault(key, []).append(article)
    sections = []
    for key in sorted(groups, key=lambda k: order[k]):
        ordered = sorted(groups[key], key=lambda a: (a.meta.area.casefold(), a.meta.headline.casefold()))
        ordered.sort(key=_sort_instant, reverse=True)
        sections.append(Section("", tuple(ordered), order[key][1]))
    return sections


def date_span(articles: Sequence[Article]) -> tuple[date, date] | None:
    """The first and last publication day among the articles, or None if none is dated."""
    days = [sort_key_date(a) for a in articles if a.meta.published is not None]
    if not days:
        return None
    return min(days), max(days)
