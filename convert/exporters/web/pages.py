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
from ..shared.callout import Callout, callout, mapped
from ..shared.dates import long_date, today
from ..shared.glance import glance_row
from ..shared.links import safe_url
from ..shared.render import Levels
from ..shared.text import clean
from ..shared.view import ArticleView, BundleView
from .markup import HtmlRenderer
from .pack import FrontSlice, FrontStamps, FrontStep, front_slices

ARTICLE_TEMPLATE = "article.html.j2"
BUNDLE_TEMPLATE = "bundle.html.j2"
# The summary as document metadata (PDF Subject, <meta name="description">) is cut here: the
# page prints it whole. (WeasyPrint's HTML parser took seconds over a 100,000-character one.)
MAX_DESCRIPTION = 10_000  # characters; the longest real summary has 4,853
PARTS_TEMPLATE = "parts.html.j2"
# A pack's running header holds one line of the headline (7.5pt, 55% of the A4 text width
# takes about 75 characters of Noto Sans); the CSS ellipsis catches wider letters.
RUNNING_CHARS = 70
GLANCE_TEMPLATE = "glance.html.j2"  # a pack's "At a glance" page
TEMPLATES = (ARTICLE_TEMPLATE, BUNDLE_TEMPLATE, PARTS_TEMPLATE, GLANCE_TEMPLATE)


@dataclass(slots=True)
class PageView:
    """What a template needs to know about one article: cleaned strings, the body as Markup."""

    anchor: str
    headline: str
    running: str  # the headline cut for the running header
    area: str
    label: str  # the who-line (`ArticleView.byline`)
    author: str  # metadata: the publisher, or the area
    published_long: str
    published_short: str
    published_iso: str
    updated: str  # 'Updated 2 May 2019', or ''
    url: str
    href: str | None
    summary: str | None
    description: str
    speakers: tuple[str, ...]
    image: str | None
    body: Markup
    kind: str = ""  # 'Appeal', by the date; '' for none
    callout: Callout | None = None  # "Can you help?", before the body
    quote: str = ""  # the references to quote ("At a glance")


@dataclass(slots=True)
class SectionView:
    area: str
    articles: list[PageView]
    continued: bool = False  # it goes on from the front matter's slice before ("Kent (continued)")


@dataclass(slots=True)
class SliceView:
    """One slice of a pack's "At a glance" rows or contents lines (see `pack.front_slices`)."""

    sections: list[SectionView]
    first: bool  # it carries the title


def view(
    article: Article,
    *,
    anchor: str,
    heading_base: int,
    fetch_images: bool,
    medium: str = "screen",
    body: bool = True,
) -> PageView:
    """The template's view of an article; body headings are numbered from `heading_base + 1`.
    In print, links whose words are not their address get it as a footnote. Without `body` the
    body is left empty (a pack's front matter does not print it)."""
    shown = ArticleView(article)
    image = safe_url(article.meta.image) if fetch_images else None
    summary = shown.summary_shown
    row = glance_row(article, shown)  # the "At a glance" row every pack format shares
    return PageView(
        anchor=anchor,
        headline=clean(shown.headline),
        running=running_head(clean(shown.headline)),
        area=clean(shown.area),
        label=clean(shown.byline),
        author=clean(shown.publisher or shown.area),
        published_long=shown.date_long,
        published_short=shown.date_short,
        published_iso=shown.date_iso,
        updated=shown.updated,
        url=clean(shown.url),
        href=safe_url(shown.url),
        summary=clean(summary).strip() if summary else None,
        description=clean(shown.summary).strip()[:MAX_DESCRIPTION],
        speakers=tuple(clean(s) for s in shown.speakers),
        image=image if image and image.startswith(("http://", "https://")) else None,
        body=_body(shown, heading_base, medium) if body else Markup(""),
        kind=clean(row.kind),
        callout=_callout(article, shown.url),
        quote=clean(row.quote),
    )


def _body(shown: ArticleView, heading_base: int, medium: str) -> Markup:
    levels = Levels(heading_base + 1, ranked=shown.blocks)  # under the headline, gaps closed
    return HtmlRenderer(levels, base_url=shown.url, footnotes=medium == "print").blocks(shown.blocks)


def _callout(article: Article, base: str) -> Callout | None:
    box = callout(article)
    return None if box is None else mapped(box, clean, lambda url: safe_url(url, base))


def running_head(headline: str, limit: int = RUNNING_CHARS) -> str:
    """`headline` cut to `limit` characters at a word boundary, with "…" (a running header
    that wraps pushes into the page)."""
    headline = " ".join(headline.split())
    if len(headline) <= limit:
        return headline
    cut = headline[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # else one very long word: cut inside it
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


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
        self._article, self._bundle, *_ = compile_templates(self.env, TEMPLATES)

    def article(self, article: Article, *, medium: str, css: Markup | None = None) -> str:
        """One article as a standalone page. `medium` is "print" or "screen"."""
        item = view(article, anchor="article", heading_base=1, fetch_images=self.fetch_images, medium=medium)
        return self._article.render(article=item, medium=medium, css=css)

    def bundle(
        self,
        articles: Sequence[Article],
        *,
        title: str | None,
        medium: str,
        css: Markup | None = None,
        issued: date | None = None,
        group_by: str = "area",
        part: str = "whole",
        groups: Sequence[Section] | None = None,
        stamps: Mapping[str, object] | None = None,
        before: int = 0,
        front: FrontStep | None = None,
        front_size: int = 0,
        front_stamps: FrontStamps | None = None,
        folios: Sequence[str] = (),
    ) -> str:
        """Several articles as one document: cover, "At a glance", contents by area (or kind, or
        date: `group_by`), then every article. In print, "At a glance" and the contents are cut
        into slices of about `front_size` articles, each starting a page (`pack.front_slices`).

        A pack laid out in pieces (see `pack`): `part="body"` with `groups`, a slice of the pack's
        sections, gives those articles alone; `part="stamps"` with `groups` and `stamps` (anchor →
        its pages: page-number line, bookmarks) a stamp for each of them; `before` says how many
        of the pack's articles come before `groups` (anchors count on from it). `part="front"`
        with `front` gives one piece of the front matter (the cover, or one slice's "At a glance"
        rows or contents lines, `groups` being the slice, its `before` the articles before it);
        `part="front-stamps"` with `front_stamps` and `folios` (each page's number line) the front
        matter's stamps."""
        bundle = BundleView(articles, group_by)
        kind = front.kind if front is not None else ""
        if front is not None:
            before = front.before
        sections: list[SectionView] = []
        n = before
        if part != "front-stamps" and kind != "cover":
            for section in bundle.sections if groups is None else groups:
                views = []
                for article in section.articles:
                    n += 1
                    item = view(
                        article, anchor=f"a{n}", heading_base=3, fetch_images=self.fetch_images,
                        medium=medium, body=part in ("whole", "body"),
                    )
                    views.append(item)
                sections.append(SectionView(clean(section.title), views))  # its heading and bookmark
        glance: list[SliceView] = []
        contents: list[SliceView] = []
        if part == "whole":
            slices = front_slices(bundle.sections, front_size if medium == "print" else 0)
            glance = contents = _sliced(sections, slices)
        elif front is not None and kind != "cover":
            if sections and front.continues:
                sections[0].continued = True
            piece = [SliceView(sections, front.before == 0)]
            glance, contents = (piece, []) if kind == "glance" else ([], piece)
        areas = [clean(area) for area in bundle.areas]
        return self._bundle.render(
            title=clean(title or "Briefing pack"),
            author=", ".join(areas) if len(areas) <= 3 else "Police press offices",
            date_range=bundle.date_range,
            areas=areas,
            count=len(articles),
            issued=long_date(issued or today()),
            sections=sections,
            cover=part == "whole" or kind == "cover",
            glance_slices=glance,
            contents_slices=contents,
            grouped=len(bundle.sections) > 1 if front is None else front.grouped,
            numbers={f"a{k}": page for k, page in enumerate(front.numbers, before + 1)} if front else {},
            group_by=group_by,
            medium=medium,
            css=css,
            part=part,
            stamps=stamps or {},
            front_pages=list(zip(front_stamps.pages, folios, strict=True)) if front_stamps else [],
        )


def _sliced(sections: list[SectionView], slices: Sequence[FrontSlice]) -> list[SliceView]:
    """The sections' views cut as `slices` cut the sections (the same articles, in order)."""
    flat = [(k, item) for k, section in enumerate(sections) for item in section.articles]
    out, at = [], 0
    for piece in slices:
        views: list[SectionView] = []
        last = -1
        for k, item in flat[at : at + piece.count]:
            if k != last:
                views.append(SectionView(sections[k].area, [], continued=not views and piece.continues))
                last = k
            views[-1].articles.append(item)
        out.append(SliceView(views, piece.first))
        at += piece.count
    return out
