"""PDF briefings: the shared HTML pages (see `pages`) printed by WeasyPrint with styles/briefing.css.

What is expensive is built once: the Jinja environment and the parsed CSS per exporter
instance, and one `FontConfiguration` per process (a new one per document is slow and leaks
memory). Every resource WeasyPrint asks for goes through `SafeFetcher`.
"""

from __future__ import annotations

import ctypes
import threading
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from ..model import Article
from ..native import weasyprint as import_weasyprint
from . import ExportError, OptionError, Options
from .pages import TEMPLATES, Pages

# WeasyPrint is imported where it is used: a run whose PDFs are all up to date, or
# `convert formats`, should not pay its ~0.7 s import.
if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

STYLESHEET = "briefing.css"

_fonts: FontConfiguration | None = None
_fonts_lock = threading.Lock()
_warned_subset = False


def font_config() -> FontConfiguration:
    """The process's one FontConfiguration, shared by every PDF exporter instance."""
    from weasyprint.text.fonts import FontConfiguration

    global _fonts
    with _fonts_lock:
        if _fonts is None:
            _fonts = FontConfiguration()
        return _fonts


# The names WeasyPrint itself tries. Loading one directly costs microseconds;
# ctypes.util.find_library would start ldconfig and gcc to search for it.
SUBSETTER_NAMES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset-0.dll", "libharfbuzz-subset.0.dylib")


def has_subsetter(names: Sequence[str] | None = None) -> bool:
    for name in names or SUBSETTER_NAMES:
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def warn_if_slow_subsetting() -> None:
    """Warn once per process when HarfBuzz's subsetter is missing: fonts then take ~3x longer."""
    global _warned_subset
    if _warned_subset:
        return
    _warned_subset = True
    if not has_subsetter():
        warnings.warn(
            "libharfbuzz-subset is not installed: PDFs will be about three times slower to make "
            "(install the Debian package libharfbuzz-subset0)",
            RuntimeWarning,
            stacklevel=3,
        )


class Briefing:
    """A4 PDF briefings: one article per file, or a briefing pack with cover and contents."""

    name: ClassVar[str] = "pdf"
    extension: ClassVar[str] = "pdf"
    description: ClassVar[str] = "PDF briefing on A4 (WeasyPrint); bundles get a cover and contents"
    version: ClassVar[str] = "1"
    style_files: ClassVar[tuple[str, ...]] = (*TEMPLATES, STYLESHEET)

    def __init__(self, options: Options) -> None:
        import_weasyprint()  # first, by sonames: no ldconfig or gcc processes (see convert.native)
        from weasyprint import CSS
        from weasyprint.pdf import VARIANTS

        from .fetch import SafeFetcher

        warn_if_slow_subsetting()
        variant = options.pdf_variant
        if variant is not None and variant not in VARIANTS:
            known = ", ".join(sorted(VARIANTS))
            raise OptionError(f"unknown PDF variant {variant!r} (known: {known})")
        self.options = options
        theme = options.theme
        self.roots = theme.roots()
        self.base_url = theme.path(STYLESHEET).parent.as_uri() + "/"
        self.fetcher = SafeFetcher(self.roots)
        self.pages = Pages(theme, fetch_images=options.fetch_images)
        self.fonts = font_config()
        self.css = [
            CSS(
                filename=str(theme.path(STYLESHEET)),
                url_fetcher=self.fetcher,
                font_config=self.fonts,
            )
        ]

    def export(self, article: Article) -> bytes:
        html = self.pages.article(article, medium="print")
        return self.render(html, [article])

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        if not articles:
            raise ExportError("a briefing pack needs at least one article")
        html = self.pages.bundle(articles, title=self.options.title, medium="print")
        return self.render(html, articles)

    def failing_style(self, article: Article) -> str | None:
        """`path:line` of the stylesheet rule that makes `article` fail to render: the first rule
        whose addition breaks it, by a binary search over the rules (None if no rule does)."""
        import tinycss2
        from weasyprint import CSS, HTML

        path = self.options.theme.path(STYLESHEET)
        rules = tinycss2.parse_stylesheet(
            path.read_text(encoding="utf-8", errors="replace"), skip_comments=True, skip_whitespace=True
        )
        html = self.pages.article(article, medium="print")

        def fails(n: int) -> bool:
            try:
                css = CSS(string=tinycss2.serialize(rules[:n]), base_url=self.base_url,
                          url_fetcher=self.fetcher, font_config=self.fonts)
                HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).write_pdf(
                    stylesheets=[css], font_config=self.fonts, pdf_variant=self.options.pdf_variant)
            except Exception:
                return True
            return False

        good, bad = 0, len(rules)  # fails(good) is False, fails(bad) is True
        if fails(good) or not fails(bad):
            return None
        while bad - good > 1:
            middle = (good + bad) // 2
            good, bad = (good, middle) if fails(middle) else (middle, bad)
        return f"{path}:{rules[bad - 1].source_line}"

    def render(self, html: str, articles: Sequence[Article] = ()) -> bytes:
        """Print a page made by `self.pages` to PDF bytes."""
        from weasyprint import HTML

        from .fetch import SafeFetcher

        fetcher = self.fetcher
        if self.options.fetch_images:
            # only the images the user asked for may come from the network
            fetcher = SafeFetcher(self.roots, remote=[a.meta.image for a in articles if a.meta.image])
        try:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=fetcher)
            return document.write_pdf(
                stylesheets=self.css,
                font_config=self.fonts,
                pdf_variant=self.options.pdf_variant,
            )
        except Exception as exc:  # WeasyPrint raises many kinds; name the failure, keep the cause
            raise ExportError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
