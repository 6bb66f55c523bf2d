"""Word documents with python-docx: real styles, lists, hyperlinks and fields.

The look (styles, numbering, page size, margins) comes from `styles/reference.docx`, read once
per exporter; each document is a fresh copy of it with the body emptied. Content is written
straight into the WordprocessingML tree (see `ooxml`): python-docx's paragraph API looks
styles up by name on every call, which would cost more than everything else together.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from copy import deepcopy
from datetime import UTC, date, datetime
from typing import ClassVar

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from ...model import Article, Meta
from ..options import TitledOptions
from ..shared.callout import callout, kind_label
from ..shared.dates import long_date, today
from ..shared.dates import now as made
from ..shared.glance import COLUMNS, GlanceGroup, glance
from ..shared.text import clean
from ..shared.view import ArticleView, BundleView
from . import ooxml as x
from .body import Body
from .template import Template

W_SECTPR = qn("w:sectPr")
GLANCE_TITLE = "At a glance"
# The "At a glance" columns (date, area, kind, headline, quote), twips: the A4 text width.
GLANCE_WIDTHS = (1080, 1420, 1300, 3470, 1800)
TEXT_WIDTH = sum(GLANCE_WIDTHS)
HEADLINE_COLUMN, QUOTE_COLUMN = COLUMNS.index("Headline"), COLUMNS.index("Quote")


class WordDocument:
    """`docx`: one Word document per article, or a briefing pack with a cover and contents."""

    name: ClassVar[str] = "docx"
    extension: ClassVar[str] = "docx"
    description: ClassVar[str] = "Word document: real styles, lists, links and fields (python-docx)"
    # 2: the editorial view, typography, call-out, kind, packs; 3: a pack's article under its
    # area's heading does not name the area again
    version: ClassVar[str] = "3"
    style_files: ClassVar[tuple[str, ...]] = ("reference.docx",)
    options_class: ClassVar[type[TitledOptions]] = TitledOptions  # a pack's title

    def __init__(self, options: TitledOptions) -> None:
        self.options = options
        self.template = Template.load(options.theme.path("reference.docx"))

    # --- one article ---

    def export(self, article: Article) -> bytes:
        document = self.template.new()
        body = document.element.body
        sect = body.find(W_SECTPR)
        writer = Body(document, self.template, body)
        shown = ArticleView(article)
        self._article(writer, shown, headline="title")
        self._header_footer(x.Stories(document), sect, _header_text(shown))
        body.append(sect)  # the body's sectPr must stay its last child
        _core(document, article.meta)
        return _save(document)

    def _article(self, w: Body, shown: ArticleView, headline: str, group: str | None = None) -> str | None:
        """One article: in a pack (`headline="pack_headline"`) on a new page, opened by its
        `group`'s heading when it is the group's first. Returns the headline's bookmark (packs)."""
        pack = headline == "pack_headline"
        anchor = None
        if pack:
            if group is not None:
                band = w.text_para("pack_group", group)
                etree.SubElement(x.ppr(band), qn("w:pageBreakBefore"))
                w.mark(band, 1, group)
            if group is None:
                kicker = w.text_para("kicker", shown.area)
                etree.SubElement(x.ppr(kicker), qn("w:pageBreakBefore"))
            elif group.casefold() != clean(shown.area, "line").casefold():
                w.text_para("kicker", shown.area)  # (under its area's own band it would repeat it)
        title = w.text_para(headline, shown.headline)
        if pack:
            anchor = w.mark(title, 2, shown.headline)
        if shown.summary_shown:
            w.text_para("subtitle", shown.summary_shown)
        self._byline(w, shown, with_area=not pack)
        w.base_url = shown.url
        _callout(w, shown)
        w.blocks(shown.blocks)
        if not shown.blocks:
            w.text_para(None, "")
        return anchor

    def _byline(self, w: Body, shown: ArticleView, with_area: bool) -> None:
        """Who and when, the source as a live link, and who is quoted: one small paragraph.
        In a pack the area is the kicker above the headline, so it is not repeated here."""
        who = shown.byline if with_area else shown.publisher
        p = w.para("byline")
        text = "  ·  ".join(b for b in (who, shown.date_long, shown.updated, kind_label(shown.article)) if b)
        if text:
            x.run(p, clean(text, "line"))
            x.line_break(p)
        x.run(p, "Source: ")
        url = clean(shown.url, "line")
        link = x.hyperlink(p, w.part, shown.url)
        if link is not None:
            x.run(link, url, style=w.ids["hyperlink"])
        elif url:
            x.run(p, url)
        if shown.speakers:
            x.line_break(p)
            x.run(p, clean("Quoted: " + ", ".join(shown.speakers), "line"))

    def _header_footer(
        self, stories: x.Stories, sect: etree._Element, header: str, footer: bool = True,
        first_blank: bool = False,
    ) -> None:
        """Header text (left ⇥ right, split on a tab) and, if asked, the 'Page X of Y' footer."""
        refs = []
        root, rid = stories.new("header")
        _story(root, self.template.ids["header"], header)
        refs.append(("w:headerReference", "default", rid))
        if footer:
            root, rid = stories.new("footer")
            p = _story(root, self.template.ids["footer"], "")
            x.run(p, "Page ")
            x.field(p, "PAGE", "1")
            x.run(p, " of ")
            x.field(p, "NUMPAGES", "1")
            refs.append(("w:footerReference", "default", rid))
        if first_blank:  # the cover: an empty header and footer on its page
            for tag, kind in (("w:headerReference", "header"), ("w:footerReference", "footer")):
                root, rid = stories.new(kind)
                _story(root, None, "")
                refs.append((tag, "first", rid))
        for tag, kind, rid in reversed(refs):
            ref = etree.Element(qn(tag))
            ref.set(qn("w:type"), kind)
            ref.set(qn("r:id"), rid)
            sect.insert(0, ref)
        if first_blank:
            grid = sect.find(qn("w:docGrid"))
            sect.insert(len(sect) if grid is None else sect.index(grid), etree.Element(qn("w:titlePg")))

    # --- a bundle ---

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        document = self.template.new()
        body = document.element.body
        last_sect = body.find(W_SECTPR)
        base = deepcopy(last_sect)
        w = Body(document, self.template, body)
        title = self.options.title or "Briefing pack"
        bundle = BundleView(articles, self.options.group_by)
        span = bundle.date_range
        glance_at, toc = self._cover(w, title, span, bundle)
        w.toc = []
        # The cover, "At a glance" and contents are section 1; each article is a section of its
        # own (a new page) so the running header can name its area and date.
        sect = deepcopy(base)
        stories = x.Stories(document)
        self._header_footer(stories, sect, f"{title}\t\t{span}", first_blank=True)
        anchors: dict[int, str | None] = {}  # id(article) → its headline's bookmark
        for section in bundle.sections:
            for n, article in enumerate(section.articles):
                shown = ArticleView(article)
                _close_section(w.last, sect)
                sect = deepcopy(base)
                _new_page_section(sect)
                self._header_footer(stories, sect, _header_text(shown), footer=False)
                group = clean(section.title, "line") if n == 0 else None
                anchors[id(article)] = self._article(w, shown, headline="pack_headline", group=group)
        body.remove(last_sect)
        body.append(sect)
        if glance_at is not None:
            self._glance(w, glance_at, glance(bundle), anchors)
        self._contents(w, toc)
        x.update_fields(document.settings.element)
        _core(document, _bundle_meta(title, bundle))
        return _save(document)

    def _cover(
        self, w: Body, title: str, span: str, bundle: BundleView
    ) -> tuple[etree._Element | None, etree._Element]:
        """The cover page, then the "At a glance" title and the contents' place: returned."""
        areas = bundle.areas
        kicker = w.text_para("kicker", "Police press releases")
        etree.SubElement(x.ppr(kicker), qn("w:spacing")).set(qn("w:before"), "3400")
        w.text_para("title", title)
        w.text_para("subtitle", span or "Undated")
        w.para("rule")
        count = f"{_plural(bundle.count, 'article')} from {_plural(len(areas), 'area')}"
        w.text_para("cover", count)
        if areas:
            counts = bundle.area_counts
            w.text_para("cover", ", ".join(f"{area}\u00a0({counts[area]})" for area in areas))
        w.text_para("cover", f"Issued {long_date(today())}")
        glance_at = None
        if bundle.count:  # "At a glance" follows the cover; its table is filled in by `_glance`
            glance_at = w.text_para("toc_heading", GLANCE_TITLE)
            etree.SubElement(x.ppr(glance_at), qn("w:pageBreakBefore"))
        heading = w.text_para("toc_heading", "Contents")
        etree.SubElement(x.ppr(heading), qn("w:pageBreakBefore"))
        toc = w.para(None)
        # A 1-point paragraph carries the section break: LibreOffice loses the page fields of
        # every footer if the paragraph that ends the TOC field also ends the section.
        carrier = w.para(None)
        x.tiny(carrier)
        return glance_at, toc

    def _glance(
        self, w: Body, title: etree._Element, groups: list[GlanceGroup], anchors: dict[int, str | None]
    ) -> None:
        """The "At a glance" table after `title`: a header row repeated on every page, then
        one row per article (its headline linked to the article), under a row naming each
        group when there are several, as the PDF's page has them."""
        ids = self.template.ids
        holder = etree.Element(x.W_P)  # a scratch parent: the table is moved after the title
        tbl = x.table(holder, ids["glance_table"], list(GLANCE_WIDTHS))
        head = x.table_row(tbl, header=True)
        for label, width in zip(COLUMNS, GLANCE_WIDTHS, strict=True):
            x.run(x.table_cell(head, width, ids["glance_heading"]), label)
        for group in groups:
            if len(groups) > 1:
                p = x.table_cell(x.table_row(tbl), TEXT_WIDTH, ids["glance_group"], span=len(COLUMNS))
                x.run(p, clean(group.title, "line"))
            for row in group.rows:
                tr = x.table_row(tbl)
                for n, (text, width) in enumerate(zip(row.cells, GLANCE_WIDTHS, strict=True)):
                    p = x.table_cell(tr, width, ids["glance"])
                    text = clean(text, "line")
                    anchor = anchors.get(id(row.article))
                    if n == HEADLINE_COLUMN and anchor:
                        x.run(x.anchor_link(p, anchor), text)
                    elif text:
                        x.run(p, text, bold=n == QUOTE_COLUMN)
        title.addnext(tbl)

    def _contents(self, w: Body, toc: etree._Element) -> None:
        """The TOC field, its result filled in as Word would (so every client shows entries)."""
        if not w.toc:
            x.field(toc, x.TOC_INSTR, "Right-click to update the table of contents.")
            return
        p = toc
        for n, (level, text, anchor) in enumerate(w.toc):
            if n:
                p = etree.Element(x.W_P)
                toc.getparent().insert(toc.getparent().index(toc) + n, p)
            etree.SubElement(x.ppr(p), x.W_PSTYLE).set(x.W_VAL, w.ids[f"toc{level}"])
            if n == 0:
                x.field_start(p, x.TOC_INSTR)
            x.toc_entry(p, text, anchor)
        x.field_end(p)


def _callout(w: Body, shown: ArticleView) -> None:
    """"Can you help?" as a framed, shaded box (the Callout styles): a title, then a row per
    label, the label bold before a tab. Values keep their no-break spaces."""
    box = callout(shown.article)
    if box is None:
        return
    w.text_para("callout_title", box.title)
    p = None
    for row in box.rows:
        p = w.para("callout")
        x.run(p, clean(row.label, "line"), bold=True)
        etree.SubElement(etree.SubElement(p, x.W_R), qn("w:tab"))
        for n, item in enumerate(row.items):
            if n:
                x.run(p, "; ")
            link = x.hyperlink(p, w.part, item.href) if item.href else None
            if link is not None:
                x.run(link, clean(item.value, "line"), style=w.ids["hyperlink"])
            else:
                x.run(p, clean(item.value, "line"), bold=True)
            if item.note:
                x.run(p, f" ({clean(item.note, 'line')})")
    if p is not None:
        x.space_after(p, 240)


def _story(root: etree._Element, style_id: str | None, text: str) -> etree._Element:
    """Replace a header/footer part's content with one paragraph; a tab splits left/right."""
    for child in list(root):
        root.remove(child)
    p = x.paragraph(root, style_id)
    left, _, right = text.partition("\t\t")
    if left:
        x.run(p, clean(left, "line"))
    if right:
        etree.SubElement(etree.SubElement(p, x.W_R), qn("w:tab"))
        etree.SubElement(etree.SubElement(p, x.W_R), qn("w:tab"))
        x.run(p, clean(right, "line"))
    return p


def _close_section(p: etree._Element | None, sect: etree._Element) -> None:
    """End a section at paragraph `p`: its sectPr goes last in the paragraph's properties."""
    if p is not None:
        x.ppr(p).append(sect)


def _new_page_section(sect: etree._Element) -> None:
    kind = etree.Element(qn("w:type"))
    kind.set(x.W_VAL, "nextPage")
    anchor = sect.find(qn("w:pgSz"))
    if anchor is not None:
        anchor.addprevious(kind)
    else:
        sect.insert(0, kind)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _header_text(shown: ArticleView) -> str:
    return f"{shown.area}\t\t{shown.date_long}"


def _bundle_meta(title: str, bundle: BundleView) -> Meta:
    """Metadata for a pack's core properties: created is now (it is a new document)."""
    publishers = {a.meta.publisher or a.meta.area for a in bundle.articles}
    span = bundle.date_range
    count = _plural(bundle.count, "article")
    return Meta(
        headline=title,
        area=", ".join(bundle.areas),
        url="",
        publisher=publishers.pop() if len(publishers) == 1 else "convert",
        summary=f"{count}, {span}" if span else count,
    )


def _instant(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _core(document: Document, meta: Meta) -> None:
    """Core properties from the article: never the template's author or date."""
    props = document.core_properties
    now = made().replace(microsecond=0, tzinfo=None)
    props.title = clean(meta.headline, "line")[:255]
    props.author = clean(meta.publisher or meta.area, "line")[:255]
    props.subject = clean(meta.summary or "", "line")[:255]
    props.keywords = clean(meta.area, "line")[:255]
    props.identifier = clean(meta.url, "line")[:255]
    props.comments = ""
    props.category = ""
    props.language = "en-GB"
    props.last_modified_by = "convert"
    props.revision = 1
    created = _instant(meta.published).astimezone(UTC).replace(tzinfo=None) if meta.published else now
    props.created = created
    props.modified = now


def _save(document: Document) -> bytes:
    """The package, every part dated when the document was made (`made()`: SOURCE_DATE_EPOCH
    when set), as its core properties are; python-docx dates each part by the clock as it
    writes it, so the same article and SOURCE_DATE_EPOCH gave different bytes."""
    out = io.BytesIO()
    document.save(out)
    written = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    stamp = max(made().replace(tzinfo=None), datetime(1980, 1, 1)).timetuple()[:6]  # ZIP's epoch
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w") as package:
        for info in written.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=stamp)
            part.compress_type, part.external_attr = info.compress_type, info.external_attr
            package.writestr(part, written.read(info))
    return fixed.getvalue()
