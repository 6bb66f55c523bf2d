"""PDF briefings: the shared HTML pages (see `pages`) printed by WeasyPrint with styles/briefing.css.

What is expensive is built once: the Jinja environment and the parsed CSS per exporter
instance, and one `FontConfiguration` per process (a new one per document is slow and leaks
memory). Every resource WeasyPrint asks for goes through `SafeFetcher`.
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ...collate import Section
from ...files import write_atomic
from ...model import Article
from ...native import weasyprint as import_weasyprint
from .. import ExportError
from ..errors import OptionError
from ..options import TitledOptions, setting
from .join import underlay
from .pack import (
    ARTICLE_ANCHOR,
    FrontStamps,
    FrontStep,
    Laid,
    Mark,
    Report,
    Stamped,
    StampStep,
    Step,
    folio,
    front_size,
)
from .pages import TEMPLATES, Pages

# WeasyPrint is imported where it is used: a run whose PDFs are all up to date, or
# `convert formats`, should not pay its ~0.7 s import.
if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration

    from .fetch import SafeFetcher

STYLESHEET = "briefing.css"
SNUG = "snug.css"  # added for a second layout when the last page would be nearly empty
# The share of the last page's text area below which a briefing tries the snug layout: about
# four lines. On the 531 real seeds, 27 briefings end on a page of one to three lines; 25 of
# them fit one page fewer snug (of those with four to six lines, a few do).
NEARLY_EMPTY = 0.1
SNUG_PAGES = 12  # and only up to this many pages: a second layout of a long one costs seconds

# A pack's parts (see `pack`): the articles' pages alone. The margin boxes (running header, page
# numbers) and the area bookmarks are drawn by the front matter's stamps, which know the whole pack.
_MARGINS = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
            "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner",
            "left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom")
_BARE_PAGES = ("@page { background: none !important; "
               + " ".join(f"@{m} {{ content: none !important; border: none !important; "
                          "background: none !important }" for m in _MARGINS)
               + " } .area { bookmark-level: none !important }")
# The stamps: empty pages, with each bookmark of the part where it was found; nothing of the
# article's own box is drawn (it is drawn in its part). The page-number line is the pack's, given
# as text: a stamp part does not see the pages before it or after it.
_STAMPS = """
.stamp { border: none !important; background: none !important; padding: 0 !important;
         margin: 0 !important; break-before: page; }
.stamp-page { position: relative; height: 0; string-set: folio attr(data-folio); }
.stamp-page + .stamp-page { break-before: page; }
.stamp-mark { position: absolute; left: 0; height: 0; bookmark-label: attr(data-label); }
@page { @bottom-center { content: string(folio) } }
"""
# A piece of the front matter alone, laid out bare (its stamps carry the margins): the contents'
# page numbers given as text; a stand-in for each article's anchor (the merge points it at the
# article), taking no room.
_FRONT = """
.contents-headline::after { content: leader(dotted) " " attr(data-page) !important; }
.stand-ins { height: 0; }
.stand-ins i { display: block; height: 0; }
"""
# The front matter's stamps: each page of the kind of the piece drawn on it (the cover, "At a
# glance" and the contents have running headers of their own); the first names the pack.
_FRONT_STAMPS = _STAMPS + """
.stamp-cover { page: cover; }
.stamp-glance { page: glance; }
.stamp-contents { page: contents; }
.stamp-page[data-packtitle] { string-set: packtitle attr(data-packtitle), folio attr(data-folio); }
"""
# Where a front piece's bookmarks are measured from: its first slice's box, at the top of a page.
_FRONT_ORIGINS = ("glance", "contents")


@dataclass(frozen=True)
class PdfOptions(TitledOptions):
    """A WeasyPrint PDF variant (`pdf/a-3u`, `pdf/ua-1`, ...; None: plain PDF), whether the
    articles' own remote images may be fetched, and a pack's title."""

    variant: str | None = setting(None, name="pdf_variant")
    fetch_images: bool = setting(False)

    def validate(self) -> None:
        # Which variants exist is WeasyPrint's to say: checked when the exporter starts, so a
        # run with nothing to build never imports it.
        if self.variant is not None and not isinstance(self.variant, str):
            raise OptionError(f"a PDF variant is a name such as 'pdf/a-3u', not {self.variant!r}")

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


# WeasyPrint lays out a word it cannot break by shaping all the rest of it again for every
# line: minutes for a 100,000-character word (a scraped run of `<`, of `a.`, a pasted blob).
# Any run of LONG_RUN or more characters without a space in the text of the page gets a
# zero-width space every BREAK_EVERY characters: a place to break, where `overflow-wrap:
# anywhere` would break it anyway. It is invisible and not part of the text a reader copies.
# Real words and URLs are far shorter (the longest in the sample has 221 characters).
LONG_RUN = 500
BREAK_EVERY = 20
_ZWSP = "\u200b"
# Only run starts are tried (the look-behind), so each run is scanned once.
_LONG = re.compile(rf"(?<![^\s<>])[^\s<>]{{{LONG_RUN},}}")
# Tags, comments and elements whose content is not text, and (between them) the text.
_NOT_TEXT = re.compile(r"<(style|script|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
_UNIT = re.compile(r"&#?[0-9A-Za-z]+;|.", re.S)  # a character, or one escaped as an entity
# Hangul jamo (they spell one syllable together), regional indicators (two make a flag) and
# skin-tone modifiers: never split from their neighbours.
_NO_BREAK_NEAR = re.compile(
    "[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff]"
)


def breakable(html: str) -> str:
    """`html` with a break opportunity every BREAK_EVERY characters of every run of LONG_RUN
    or more characters without a space in its text (see above); unchanged if it has none."""
    if _LONG.search(html) is None:  # (the common case: one scan)
        return html
    out: list[str] = []
    pos = 0
    for tag in _NOT_TEXT.finditer(html):
        out.append(_LONG.sub(_with_breaks, html[pos : tag.start()]))
        out.append(tag[0])
        pos = tag.end()
    out.append(_LONG.sub(_with_breaks, html[pos:]))
    return "".join(out)


def _with_breaks(run: re.Match[str]) -> str:
    units = _UNIT.findall(run[0])
    out = []
    since = 0  # units since the last break
    for before, unit in zip(["", *units], units, strict=False):
        if since >= BREAK_EVERY and _may_break(before, unit):
            out.append(_ZWSP)
            since = 0
        out.append(unit)
        since += 1
    return "".join(out)


def _may_break(before: str, after: str) -> bool:
    """May a break go between these? Never inside a letter with its marks, a conjunct (after
    a virama), an emoji sequence (around a joiner), a flag or a syllable spelled in jamo."""
    if not _stands_alone(after):
        return False
    if _stands_alone(before):
        return True
    return unicodedata.category(before)[0] == "M" and unicodedata.combining(before) != 9  # 9: a virama


def _stands_alone(unit: str) -> bool:
    """A letter, digit, punctuation or symbol that does not join its neighbours (or an entity)."""
    return len(unit) > 1 or (unicodedata.category(unit)[0] in "LNPS" and _NO_BREAK_NEAR.match(unit) is None)


def _placed(document: Document, skip: bool, stamps: set[str]) -> tuple[
        tuple[tuple[int, int, str, float, float], ...], tuple[tuple[str, int, float, float], ...]]:
    """The bookmarks on a stamps document's pages (page index, level, label, x, y) and where the
    articles named in `stamps` start (name, page index, x, y), in PDF points. `skip`: the first
    level-1 bookmark is left out (its group's is in the part before)."""
    bookmarks: list[tuple[int, int, str, float, float]] = []
    anchors: list[tuple[str, int, float, float]] = []
    pt = 0.75  # CSS px → PDF points, and PDF's y counts up from the bottom of the page
    for index, page in enumerate(document.pages):
        for level, label, (x, y), _ in page.bookmarks:
            if skip and level == 1:
                skip = False
                continue
            bookmarks.append((index, level, label, round(x * pt, 3), round((page.height - y) * pt, 3)))
        for name, (x, y, *_) in page.anchors.items():
            if ARTICLE_ANCHOR.fullmatch(name) and name in stamps:
                anchors.append((name, index, round(x * pt, 3), round((page.height - y) * pt, 3)))
                stamps.discard(name)  # its first page only
    return tuple(bookmarks), tuple(anchors)


class Briefing:
    """A4 PDF briefings: one article per file, or a briefing pack with cover and contents."""

    name: ClassVar[str] = "pdf"
    extension: ClassVar[str] = "pdf"
    description: ClassVar[str] = "PDF briefing on A4 (WeasyPrint); bundles get a cover and contents"
    # 2: the editorial view, typography, call-out, kind, packs; 3: one footnote per address;
    # 4: no last page of a line or three (snug.css)
    version: ClassVar[str] = "4"
    style_files: ClassVar[tuple[str, ...]] = (*TEMPLATES, STYLESHEET, SNUG)
    options_class: ClassVar[type[PdfOptions]] = PdfOptions

    def __init__(self, options: PdfOptions) -> None:
        import_weasyprint()  # first, by sonames: no ldconfig or gcc processes (see convert.native)
        from weasyprint import CSS
        from weasyprint.pdf import VARIANTS

        from .fetch import SafeFetcher

        warn_if_slow_subsetting()
        variant = options.variant
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

        def sheet(name: str) -> CSS:
            return CSS(filename=str(theme.path(name)), url_fetcher=self.fetcher, font_config=self.fonts)

        self.css = [sheet(STYLESHEET)]
        self.snug = sheet(SNUG)  # added for the second layout of `export`

    def export(self, article: Article) -> bytes:
        """One briefing. If its last page would hold only a few lines, it is laid out again with
        `snug.css` added, and that layout is kept when it saves the page."""
        html = self.pages.article(article, medium="print")
        fetcher, variant = self._fetcher([article]), self.options.variant
        document = self._lay_out(html, self.css, fetcher, variant)
        if 1 < len(document.pages) <= SNUG_PAGES and last_page_share(document) < NEARLY_EMPTY:
            snug = self._lay_out(html, [*self.css, self.snug], fetcher, variant)
            if len(snug.pages) < len(document.pages):
                document = snug
        return _written(document, variant)

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        if not articles:
            raise ExportError("a briefing pack needs at least one article")
        html = self.pages.bundle(articles, title=self.options.title, medium="print",
                                 group_by=self.options.group_by, front_size=front_size())
        return self.render(html, articles)

    # --- a pack in parts (see `pack`) ----------------------------------------------------------

    def lay_out_part(self, groups: Sequence[Section], target: Path, step: Step | None = None,
                     page: tuple[str, str] | None = None) -> Report:
        """Lay out one piece of a pack (its articles, as slices of the pack's sections) into the
        PDF `target`: their pages (`step` None), their stamps, a piece of the front matter, or
        the front matter's stamps. `page`: a piece's `piece_html`, made where the pack is
        planned; its articles are then not needed here (the cover's are the whole pack's)."""
        if isinstance(step, StampStep | FrontStamps):
            return self.lay_out_stamps(groups, step, target, page)
        if isinstance(step, FrontStep):
            return self.lay_out_front(groups, step, target, page)
        return self.lay_out_body(groups, target)

    def lay_out_body(self, groups: Sequence[Section], target: Path) -> Laid:
        """Lay out one part of a pack into the PDF `target`, without margin boxes; report each
        article's pages and their bookmarks."""
        from weasyprint import CSS

        articles = [a for g in groups for a in g.articles]
        html = self.pages.bundle(articles, title=self.options.title, medium="print", part="body",
                                 groups=groups, group_by=self.options.group_by)
        document = self._lay_out(html, [*self.css, CSS(string=_BARE_PAGES)], self._fetcher(articles))
        laid: list[list[tuple[Mark, ...]]] = []
        top = 0.0  # where the page area starts: the first article's top
        seen: set[str] = set()  # an article split over pages has its anchor on each of them
        for page in document.pages:
            start = next((box[1] for name, box in page.anchors.items()
                          if name not in seen and ARTICLE_ANCHOR.fullmatch(name)), None)
            seen.update(page.anchors)
            if start is not None:
                top = start if not laid else top
                laid.append([])
            marks = tuple(Mark(level, label, round(y - top, 2)) for level, label, (_, y), _ in page.bookmarks)
            laid[-1].append(marks)
        if len(laid) != len(articles):
            raise ExportError(f"a pack part of {len(articles)} articles laid out {len(laid)}")
        write_atomic(target, _written(document))
        return Laid(tuple(tuple(a) for a in laid))

    def lay_out_stamps(self, groups: Sequence[Section], step: StampStep | FrontStamps,
                       target: Path, page: tuple[str, str] | None = None) -> Stamped:
        """Lay out the stamps of one piece of a pack into the PDF `target`: a page for each of its
        pages, with the pack's running header and page number, the piece drawn under them (see
        `StampStep` for a part, `FrontStamps` for a piece of the front matter; the cover's stamps
        carry the pack's metadata, as the joined pack is written over them). Report the bookmarks
        and where each article starts, in PDF points."""
        from weasyprint import CSS

        if isinstance(step, StampStep):  # a page per page of its articles, whose starts it anchors
            expected, skip = sum(len(p) for p in step.pages), step.continues
            starts = {f"a{n}" for n in range(step.before + 1, step.before + 1 + len(step.pages))}
        else:
            expected, skip, starts = len(step.pages), False, set()
        html, css = page or self.piece_html(groups, step)
        document = self._lay_out(html, [*self.css, CSS(string=css)], self.fetcher)
        if len(document.pages) != expected:
            raise ExportError(f"stamps for {expected} pages laid out {len(document.pages)}")
        bookmarks, anchors = _placed(document, skip, starts)
        stamps = _written(document)
        try:
            underlay(stamps, step.under, target, front=isinstance(step, FrontStamps))
        except Exception as exc:  # pikepdf raises its own PdfError, or ValueError
            raise ExportError(f"could not draw a pack's pages under their stamps: {exc}") from exc
        return Stamped(len(document.pages), bookmarks, anchors)

    def lay_out_front(self, groups: Sequence[Section], step: FrontStep, target: Path,
                      page: tuple[str, str] | None = None) -> Laid:
        """Lay out one piece of the pack's front matter (see `FrontStep`) into the PDF `target`,
        without margin boxes; report its pages and the bookmarks on each, as for one article."""
        from weasyprint import CSS

        html, css = page or self.piece_html(groups, step)
        document = self._lay_out(html, [*self.css, CSS(string=css)], self.fetcher)
        first = document.pages[0].anchors if document.pages else {}
        top = next((first[name][1] for name in _FRONT_ORIGINS if name in first), 0.0)
        pages = tuple(tuple(Mark(level, label, round(y - top, 2))
                            for level, label, (_, y), _ in page.bookmarks)
                      for page in document.pages)
        write_atomic(target, _written(document))
        return Laid((pages,))

    def piece_html(self, groups: Sequence[Section], step: Step) -> tuple[str, str]:
        """What a piece of a pack other than a body part is laid out from: its HTML and the CSS
        added to the pack's. Cheap (no layout): the engine keys the cached PDFs by it, so a piece
        whose text, numbers and bookmarks are unchanged is not laid out again."""
        articles = [a for g in groups for a in g.articles]
        if isinstance(step, FrontStamps):
            folios = [folio(n, step.total) if kind != "cover" else ""
                      for n, (kind, _) in enumerate(step.pages, step.first)]
            html = self._pack_html(articles, part="front-stamps", front_stamps=step, folios=folios)
            return html, _FRONT_STAMPS
        if isinstance(step, FrontStep):
            if step.kind == "contents" and len(step.numbers) != len(articles):
                raise ExportError(f"a contents slice of {len(articles)} articles given "
                                  f"{len(step.numbers)} numbers")
            html = self._pack_html(articles, part="front", groups=groups, front=step)
            return html, _BARE_PAGES + _FRONT
        if len(step.pages) != len(articles):
            raise ExportError(f"a piece of a pack of {len(articles)} articles given {len(step.pages)}")
        stamps: dict[str, list[tuple[str, tuple[Mark, ...]]]] = {}
        number = step.first
        for n, pages in enumerate(step.pages, step.before + 1):
            stamps[f"a{n}"] = [(folio(number + k, step.total), marks) for k, marks in enumerate(pages)]
            number += len(pages)
        html = self._pack_html(articles, part="stamps", groups=groups, stamps=stamps, before=step.before)
        return html, _STAMPS

    def _pack_html(self, articles: Sequence[Article], **piece: Any) -> str:
        """A piece of this pack as HTML (see `Pages.bundle`), with the pack's title and grouping."""
        return self.pages.bundle(articles, title=self.options.title, medium="print",
                                 group_by=self.options.group_by, **piece)

    def _lay_out(self, html: str, css: list[CSS], fetcher: SafeFetcher,
                 variant: str | None = None) -> Document:
        from weasyprint import HTML

        try:
            page = HTML(string=breakable(html), base_url=self.base_url, url_fetcher=fetcher)
            return page.render(stylesheets=css, font_config=self.fonts, pdf_variant=variant)
        except Exception as exc:  # WeasyPrint raises many kinds; name the failure, keep the cause
            raise ExportError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc

    def _fetcher(self, articles: Sequence[Article]) -> SafeFetcher:
        from .fetch import SafeFetcher

        if self.options.fetch_images:
            # only the images the user asked for may come from the network
            return SafeFetcher(self.roots, remote=[a.meta.image for a in articles if a.meta.image])
        return self.fetcher

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
                    stylesheets=[css], font_config=self.fonts, pdf_variant=self.options.variant)
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
        variant = self.options.variant
        return _written(self._lay_out(html, self.css, self._fetcher(articles), variant), variant)


def last_page_share(document: Document) -> float:
    """How much of its last page's text area a laid-out document fills, from 0 to 1 (1 when
    WeasyPrint's layout tree cannot be read)."""
    from weasyprint.formatting_structure.boxes import MarginBox

    page = getattr(document.pages[-1], "_page_box", None)  # WeasyPrint's own layout tree
    if page is None or not page.height:
        return 1.0
    used = sum(box.margin_height() for box in page.children if not isinstance(box, MarginBox))
    return min(1.0, used / page.height)


def _written(document: Document, variant: str | None = None) -> bytes:
    """A laid-out document's PDF bytes (`variant`: the PDF/A or PDF/UA it was laid out for)."""
    try:
        return document.write_pdf(pdf_variant=variant)
    except Exception as exc:  # WeasyPrint raises many kinds; name the failure, keep the cause
        raise ExportError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
