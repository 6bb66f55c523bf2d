"""Articles → the HTML pages the PDF and HTML formats share (Jinja2 templates in the styles folder).

`Pages` holds one Jinja2 environment (autoescape on, undefined names are errors) over the
styles folders in use, built once per exporter. Templates get plain strings and the body as
`Markup` from `HtmlRenderer`, so everything that came from a seed is escaped exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import collate
from ..model import Article, Paragraph
from ..styles import Styles
from ..text import long_date, plain, short_date
from .markup import HtmlRenderer, clean, heading_levels, safe_href

ARTICLE_TEMPLATE = "article.html.j2"
BUNDLE_TEMPLATE = "bundle.html.j2"
# The summary as document metadata (PDF Subject, <meta name="description">) is cut here: the
# page prints it whole. (WeasyPrint's HTML parser took seconds over a 100,000-character one.)
MAX_DESCRIPTION = 10_000  # characters; the longest real summary has 4,853
PARTS_TEMPLATE = "parts.html.j2"
TEMPLATES = (ARTICLE_TEMPLATE, BUNDLE_TEMPLATE, PARTS_TEMPLATE)


@dataclass(slots=True)
class ArticleView:
    """What a template needs to know about one article: cleaned strings, the body as Markup."""

    anchor: str
    headline: str
    area: str
    label: str
    published_long: str
    published_short: str
    published_iso: str
    url: str
    href: str | None
    summary: str | None
    description: str
    speakers: tuple[str, ...]
    image: str | None
    body: Markup


@dataclass(slots=True)
class SectionView:
    area: str
    articles: list[ArticleView]


def _words(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.casefold()))


def _distinct_summary(article: Article) -> str | None:
    """The summary, unless it just repeats (the start of) the first paragraph."""
    summary = clean(article.meta.summary or "").strip()
    if not summary:
        return None
    first = next((b for b in article.blocks if isinstance(b, Paragraph)), None)
    if first is not None:
        a, b = _words(summary), _words(plain(first.inlines))
        if a and b and (a.startswith(b) or b.startswith(a)):
            return None
    return summary


def _iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def view(article: Article, *, anchor: str, heading_base: int, fetch_images: bool) -> ArticleView:
    """The template's view of an article; body headings are numbered from `heading_base + 1`."""
    m = article.meta
    renderer = HtmlRenderer(heading_levels(article.blocks, heading_base))
    image = safe_href(m.image) if fetch_images else None
    return ArticleView(
        anchor=anchor,
        headline=clean(m.headline),
        area=clean(m.area),
        label=clean(m.publisher or m.area),
        published_long=long_date(m.published),
        published_short=short_date(m.published),
        published_iso=_iso(m.published),
        url=clean(m.url),
        href=safe_href(m.url),
        summary=_distinct_summary(article),
        description=clean(m.summary or "").strip()[:MAX_DESCRIPTION],
        speakers=tuple(clean(s) for s in m.speakers),
        image=image if image and image.startswith(("http://", "https://")) else None,
        body=renderer.blocks(article.blocks),
    )


def date_range(articles: Sequence[Article]) -> str:
    """`11 April 2019 – 2 May 2019`, or one date, or '' when nothing is dated."""
    span = collate.date_span(articles)
    if span is None:
        return ""
    first, last = (f"{d.day} {d:%B %Y}" for d in span)
    return first if first == last else f"{first} – {last}"


class Pages:
    """The shared templates, loaded once: `article()` and `bundle()` give complete HTML documents."""

    def __init__(self, theme: Styles, *, fetch_images: bool = False) -> None:
        self.env = Environment(
            loader=FileSystemLoader([str(root) for root in theme.roots()]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.fetch_images = fetch_images
        self._article = self.env.get_template(ARTICLE_TEMPLATE)
        self._bundle = self.env.get_template(BUNDLE_TEMPLATE)

    def article(self, article: Article, *, medium: str, css: Markup | None = None) -> str:
        """One article as a standalone page. `medium` is "print" or "screen"."""
        item = view(article, anchor="article", heading_base=1, fetch_images=self.fetch_images)
        return self._article.render(article=item, medium=medium, css=css)

    def bundle(
        self,
        articles: Sequence[Article],
        *,
        title: str | None,
        medium: str,
        css: Markup | None = None,
        issued: date | None = None,
    ) -> str:
        """Several articles as one document: cover, contents by area, then every article."""
        sections: list[SectionView] = []
        n = 0
        for section in collate.by_area(articles):
            views = []
            for article in section.articles:
                n += 1
                views.append(view(article, anchor=f"a{n}", heading_base=3, fetch_images=self.fetch_images))
            sections.append(SectionView(clean(section.area), views))
        areas = [s.area for s in sections]
        return self._bundle.render(
            title=clean(title or "Briefing pack"),
            author=", ".join(areas) if len(areas) <= 3 else "Police press offices",
            date_range=date_range(articles),
            areas=areas,
            count=n,
            issued=long_date(issued or date.today()),
            sections=sections,
            medium=medium,
            css=css,
        )
