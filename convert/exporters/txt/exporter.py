"""The plain-text bulletin: an article (or a digest of many) for e-mail and messaging.

The body is rendered to wrapped lines by `TextRenderer`; the Jinja2 templates in
`styles/` (`bulletin.txt.j2`, `digest.txt.j2`) only arrange the pieces, so a user's styles
folder can change the layout without touching the wrapping. Seed text reaches a template
only as a variable's value, never as template source, so `{{ }}` in a seed stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import jinja2

from ...model import Article
from ...text import to_ascii
from .. import ExportError
from ..checks import compile_templates
from ..errors import OptionError
from ..options import TitledOptions, setting
from ..shared.callout import Callout, kind_label, to_quote
from ..shared.dates import short_date
from ..shared.view import DATE_SEPARATOR, ArticleView, BundleView
from .render import TextRenderer, underline_length
from .wrapping import GLUE, glued_text, wrap

MIN_WIDTH, MAX_WIDTH = 20, 1000
DEFAULT_TITLE = "Police news digest"


@dataclass(frozen=True)
class TxtOptions(TitledOptions):
    """A bulletin's line width and whether it keeps to ASCII; a digest's title."""

    width: int = setting(72)
    ascii: bool = setting(False)

    def validate(self) -> None:
        if isinstance(self.width, bool) or not isinstance(self.width, int):
            raise OptionError(f"width must be a whole number of columns, not {self.width!r}")
        if self.width < MIN_WIDTH:
            raise OptionError(f"width {self.width} is too narrow for a bulletin (minimum {MIN_WIDTH})")
        if self.width > MAX_WIDTH:
            raise OptionError(f"width {self.width} is too wide for a bulletin (maximum {MAX_WIDTH})")


@dataclass(frozen=True, slots=True)
class Reference:
    number: int
    label: str  # "[1]", padded so the URLs line up
    url: str


@dataclass(frozen=True, slots=True)
class CalloutRow:
    label: str  # "Quote:", padded so the rows line up
    text: str  # the items, numbers and references glued (they never break across lines)


@dataclass(frozen=True, slots=True)
class CalloutView:
    title: str
    rows: tuple[CalloutRow, ...]


@dataclass(frozen=True, slots=True)
class BulletinView:
    """One article as the templates see it: plain strings, already cleaned (and ASCII-fied)."""

    number: int | None  # its place in a digest, else None
    headline: str
    area: str
    publisher: str
    byline: str  # publisher, or area when the publisher is unknown
    date: str  # "Thursday 11 April 2019" (then " · Updated 2 May 2019" if so), or ""; each date glued
    short_date: str  # "11 Apr 2019", or ""
    url: str
    summary: str  # "" when it would only repeat the opening of the body
    body: str  # wrapped, lines joined with "\n"
    references: tuple[Reference, ...]
    kind: str = ""  # "Appeal", "Road collision" (glued), by the date; "" for none
    callout: CalloutView | None = None  # "Can you help?", before the body
    quote: str = ""  # the references to quote, glued (a digest's contents)


@dataclass(frozen=True, slots=True)
class SectionView:
    area: str
    articles: tuple[BulletinView, ...]


class Bulletin:
    """Plain-text bulletin, wrapped for e-mail, with numbered link references."""

    name = "txt"
    extension = "txt"
    description = "Plain-text bulletin for e-mail and messaging, wrapped at --width, links as references"
    version = "2"  # 2: the editorial view, typography, call-out, kind, plain emphasis
    style_files = ("bulletin.txt.j2", "digest.txt.j2")
    options_class: ClassVar[type[TxtOptions]] = TxtOptions

    def __init__(self, options: TxtOptions) -> None:
        self.options = options
        self.width = options.width
        # Built once per exporter: a user's styles folder comes first, the shipped one after.
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(root) for root in options.theme.roots()]),
            autoescape=False,  # plain text: there is nothing to escape, and nothing is evaluated
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # The warm exporter is keyed by the styles' digest: no stat of the template per bulletin.
            auto_reload=False,
        )
        self.env.filters.update(wrap=self._wrap, hang=self._hang, heading=self._heading, nobreak=nobreak)
        self.env.globals.update(rule=self._rule, width=self.width)
        compile_templates(self.env, self.style_files)  # a syntax error: one error now, not one per seed

    # --- exporter protocol ------------------------------------------------------------------

    def export(self, article: Article) -> bytes:
        return self._render("bulletin.txt.j2", article=self.view(article))

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        sections, views, n = [], [], 0
        for section in BundleView(articles, self.options.group_by).sections:
            members = []
            for article in section.articles:
                n += 1
                members.append(self.view(article, number=n))
            views.extend(members)
            sections.append(SectionView(self._text(section.title), tuple(members)))
        return self._render(
            "digest.txt.j2",
            title=self._text(self.options.title or DEFAULT_TITLE),
            overview=self._text(overview(articles)),
            sections=sections,
            articles=views,
            marker_width=len(str(n)) + 1,
        )

    # --- the pieces -------------------------------------------------------------------------

    def view(self, article: Article, number: int | None = None) -> BulletinView:
        shown = ArticleView(article)
        renderer = TextRenderer(self.width, self.options.ascii, base_url=shown.url)
        body = renderer.blocks(shown.blocks)
        summary = self._text(shown.summary_shown or "")
        urls = renderer.references.urls
        size = len(f"[{len(urls)}]")
        references = tuple(Reference(i, f"[{i}]".ljust(size), self._text(u)) for i, u in enumerate(urls, 1))
        return BulletinView(
            number=number,
            headline=self._text(shown.headline),
            area=self._text(shown.area),
            publisher=self._text(shown.publisher),
            byline=self._text(shown.byline),
            # A date or a kind label is never broken across lines (`nobreak`): the line breaks
            # only between them ("... · Updated 11 December 2017 –" / "Road collision").
            date=DATE_SEPARATOR.join(nobreak(self._text(part)) for part in shown.dates),
            short_date=self._text(shown.date_short),
            url=self._text(shown.url),
            summary=summary,
            body="\n".join(body),
            references=references,
            kind=nobreak(self._text(kind_label(article))),
            callout=self._callout(shown.callout),
            quote=nobreak(self._text(to_quote(article))),
        )

    def _callout(self, box: Callout | None) -> CalloutView | None:
        if box is None:
            return None
        size = max(len(row.label) for row in box.rows) + 1
        rows = tuple(
            CalloutRow(
                f"{self._text(row.label)}:".ljust(size),
                "; ".join(nobreak(self._text(i.value)) + (f" ({self._text(i.note)})" if i.note else "")
                          for i in row.items),
            )
            for row in box.rows
        )
        return CalloutView(self._text(box.title), rows)

    def _text(self, value: str) -> str:
        return glued_text(value, self.options.ascii).strip()

    def _render(self, template: str, **context: object) -> bytes:
        try:
            text = self.env.get_template(template).render(**context)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or template
            raise ExportError(f"bulletin template {where}: {exc}") from exc
        return tidy(to_ascii(text) if self.options.ascii else text).encode("utf-8")

    # --- template helpers -------------------------------------------------------------------

    def _wrap(self, text: str, indent: str = "") -> str:
        return "\n".join(wrap(str(text), self.width, indent, indent))

    def _hang(self, text: str, marker: str, indent: str = "") -> str:
        """A hanging indent: `marker` then the text, continuation lines aligned with the text."""
        first = f"{indent}{marker} "
        return "\n".join(wrap(str(text), self.width, first, " " * len(first)))

    def _heading(self, text: str, char: str = "=") -> str:
        lines = wrap(str(text), self.width)
        return "\n".join([*lines, char * underline_length(lines, "", self.width)]) if lines else ""

    def _rule(self, char: str = "-") -> str:
        return char * self.width


def overview(articles: Sequence[Article]) -> str:
    """'12 articles from 3 areas, 2 Mar 2021 to 31 Mar 2021.'"""
    bundle = BundleView(articles)
    text = f"{_count(bundle.count, 'article')} from {_count(len(bundle.areas), 'area')}"
    span = bundle.span
    if span:
        first, last = span
        text += f", {short_date(first)}" if first == last else f", {short_date(first)} to {short_date(last)}"
    return text + "."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def nobreak(text: str) -> str:
    """Keep these words on one line when wrapped (e.g. a date in the contents list)."""
    return str(text).replace(" ", GLUE)


def tidy(text: str) -> str:
    """Glue printed as spaces; no trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.replace(GLUE, " ").rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
