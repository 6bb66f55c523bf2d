"""Standalone HTML pages: the very pages the PDF briefing prints, with styles/screen.css inlined.

A page makes no external request: the CSS is inside it, remote images are never included
(whatever `fetch_images` says), and a Content-Security-Policy forbids loading anything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from markupsafe import Markup

from ...model import Article
from .. import ExportError
from ..options import TitledOptions
from .pages import TEMPLATES, Pages

STYLESHEET = "screen.css"


class WebPage:
    """An accessible HTML page per article, or one page with a contents list for a bundle."""

    name: ClassVar[str] = "html"
    extension: ClassVar[str] = "html"
    description: ClassVar[str] = "standalone, accessible HTML page (same templates as the PDF)"
    version: ClassVar[str] = "2"  # 2: the editorial view, typography, call-out, kind, packs
    style_files: ClassVar[tuple[str, ...]] = (*TEMPLATES, STYLESHEET)
    # A bundle page's title. No fetch_images: a web page never includes remote images.
    options_class: ClassVar[type[TitledOptions]] = TitledOptions

    def __init__(self, options: TitledOptions) -> None:
        self.options = options
        theme = options.theme
        # remote images would be external requests: a web page never includes them
        self.pages = Pages(theme, fetch_images=False)
        css = theme.path(STYLESHEET).read_text(encoding="utf-8")
        if "</style" in css.lower():
            raise ExportError(f"{theme.path(STYLESHEET)}: a stylesheet may not contain '</style'")
        self.css = Markup(css)  # the user's own styles file, trusted like the templates

    def export(self, article: Article) -> bytes:
        return self.pages.article(article, medium="screen", css=self.css).encode("utf-8")

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        if not articles:
            raise ExportError("a bundle needs at least one article")
        html = self.pages.bundle(articles, title=self.options.title, medium="screen", css=self.css,
                                 group_by=self.options.group_by)
        return html.encode("utf-8")
