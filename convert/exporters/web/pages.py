"""Articles → the HTML pages the PDF and HTML formats share (Jinja2 templates in the styles folder).

`Pages` holds one Jinja2 environment (autoescape on, undefined names are errors) over the
styles folders in use, built once per exporter. Templates get plain strings and the body as
`Markup` from `HtmlRenderer`, so everything that came from a seed is escaped exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ...collate import Section
from ...model import Article
from ...styles import Styles
from ..checks import compile_templates
from ..shared.dates import long_date, today
from ..shared.links import safe_url
from ..shared.render import Levels
from ..shared.text import clean
from ..shared.view import ArticleView, BundleView
from .markup import HtmlRenderer

ARTICLE_TEMPLATE = "article.html.j2"
BUNDLE_TEMPLATE = "bundle.html.j2"
# The summary as document metadata (PDF Subject, <meta name="description">) is cut here: the
# page prints it whole. (WeasyPrint's HTML parser took seconds over a 100,000-character one.)
MAX_DESCRIPTION = 10_000  # characters; the longest real summary has 4,853
PARTS_TEMPLATE = "parts.html.j2"
TEMPLATES = (ARTICLE_TEMPLATE, BUNDLE_TEMPLATE, PARTS_TEMPLATE)


@dataclass(slots=True)
class PageView:
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
    articles: list[PageView]


def view(
    article: Article, *, anchor: str, heading_base: int, fetch_images: bool, body: bool = True
) -> PageView:
    """The template's view of an article; body headings are numbered from `heading_base + 1`.
    Without `body` the body is left empty (a pack's front matter does not print it)."""
    shown = ArticleView(article)
    image = safe_url(article.meta.image) if fetch_images else None
    summary = shown.distinct_summary
    return PageView(
        anchor=anchor,
        headline=clean(shown.headline),
        area=clean(shown.area),
        label=clean(shown.label),
        published_long=shown.date_long,
        published_short=shown.date_short,
        published_iso=shown.date_iso,
        url=clean(shown.url),
        href=safe_url(shown.url),
        summary=clean(summary).strip() if summary else None,
        description=clean(shown.summary).strip()[:MAX_DESCRIPTION],
        speakers=tuple(clean(s) for s in shown.speakers),
        image=image if image and image.startswith(("http://", "https://")) else None,
        body=_body(article, shown.url, heading_base) if body else Markup(""),
    )


def _body(article: Article, url: str, heading_base: int) -> Markup:
    levels = Levels(heading_base + 1, ranked=article.blocks)  # under the headline, gaps closed
    return HtmlRenderer(levels, base_url=url).blocks(article.blocks)


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
        self._article, self._bundle, _ = compile_templates(self.env, TEMPLATES)

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
        part: str = "whole",
        groups: Sequence[Section] | None = None,
        stamps: Mapping[str, object] | None = None,
    ) -> str:
        """Several articles as one document: cover, contents by area, then every article.

        A pack laid out in parts (see `pack`): `part="body"` with `groups`, a slice of the pack's
        sections, gives those articles alone; `part="front"` with `stamps` (anchor → its pages)
        gives the front matter and a stamp for each article."""
        bundle = BundleView(articles)
        sections: list[SectionView] = []
        n = 0
        for section in bundle.sections if groups is None else groups:
            views = []
            for article in section.articles:
                n += 1
                views.append(view(article, anchor=f"a{n}", heading_base=3, fetch_images=self.fetch_images,
                                  body=part != "front"))
            sections.append(SectionView(clean(section.area), views))
        areas = [s.area for s in sections]
        return self._bundle.render(
            title=clean(title or "Briefing pack"),
            author=", ".join(areas) if len(areas) <= 3 else "Police press offices",
            date_range=bundle.date_range,
            areas=areas,
            count=n,
            issued=long_date(issued or today()),
            sections=sections,
            medium=medium,
            css=css,
            part=part,
            stamps=stamps or {},
        )
