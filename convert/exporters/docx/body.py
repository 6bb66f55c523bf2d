"""The body of a Word document: blocks and inlines as WordprocessingML, one method per node.

Paragraphs get their style by id (resolved once in `template`), runs carry bold and italic
as run properties, links become real `w:hyperlink`s, numbered lists restart one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from ...model import (
    Block,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
)
from ...text import plain
from ..shared.text import clean
from . import ooxml as x
from .template import Template


class Body:
    """Renders blocks and inlines into a container element: one method per node type."""

    def __init__(self, document: Document, template: Template, parent: etree._Element) -> None:
        self.part = document.part
        self.ids = template.ids
        self.template = template
        self.numbering: etree._Element | None = None
        self._document = document
        self.parent = parent
        self.last: etree._Element | None = None  # the last paragraph written
        self.base_url: str | None = None  # the article's address: relative links are made absolute
        self.toc: list[tuple[int, str, str]] | None = None  # (level, text, bookmark) in a bundle

    def mark(self, p: etree._Element, level: int, text: str) -> None:
        """Bookmark a heading for the table of contents (bundles only)."""
        if self.toc is not None:
            anchor = f"_Toc{len(self.toc) + 1:06d}"
            x.bookmark(p, len(self.toc) + 1, anchor)
            self.toc.append((level, clean(text, "line"), anchor))

    def para(self, role: str | None) -> etree._Element:
        p = x.paragraph(self.parent, self.ids[role] if role else None)
        self.last = p
        return p

    def text_para(self, role: str | None, text: str) -> etree._Element:
        p = self.para(role)
        if text:
            x.run(p, clean(text, "line"))
        return p

    # --- blocks ---

    def blocks(self, blocks: Sequence[Block], depth: int = 0, quoted: bool = False) -> None:
        for block in blocks:
            match block:
                case Heading():
                    self.heading(block)
                case Paragraph():
                    self.paragraph(block, "quote" if quoted else None)
                case ListBlock():
                    self.list_block(block, depth)
                case Quote():
                    self.quote(block)
                case Rule():
                    self.rule()

    def heading(self, block: Heading) -> None:
        # The headline is the document's one top heading, so body headings start at 2.
        level = min(max(block.level, 2), 4)
        p = self.para(f"h{level}")
        self.inlines(p, block.inlines)
        if level == 2:
            self.mark(p, 2, plain(block.inlines))

    def paragraph(self, block: Paragraph, role: str | None = None) -> None:
        self.inlines(self.para(role), block.inlines)

    def list_block(self, block: ListBlock, depth: int) -> None:
        level = min(depth, 2)  # deeper lists keep the third level's look
        family = "number" if block.ordered else "bullet"
        role = f"{family}{level + 1}"
        num = None
        restart = self.template.numbers[level] if block.ordered else None
        if restart is not None:
            if self.numbering is None:
                self.numbering = self._document.part.numbering_part.element
            num = x.restart_numbering(self.numbering, restart.abstract_id, restart.ilvl, block.start)
        for item in block.items:
            rest: Sequence[Block] = item
            if item and isinstance(item[0], Paragraph):
                p = self.para(role)
                if num is not None:
                    x.num_pr(p, num, restart.ilvl)
                self.inlines(p, item[0].inlines)
                rest = item[1:]
            elif not item or not isinstance(item[0], ListBlock):
                self.para(role)  # an empty item, or one that opens with a heading or quote
            for child in rest:
                if isinstance(child, Paragraph):  # a second paragraph of the same item
                    p = self.para(role)
                    x.num_pr(p, "0", 0)
                    ind = etree.SubElement(x.ppr(p), qn("w:ind"))
                    ind.set(qn("w:left"), str(self.template.indents[level]))
                    self.inlines(p, child.inlines)
                else:
                    self.blocks((child,), depth + 1)
        if depth == 0 and self.last is not None:  # the list ends: back to paragraph spacing
            x.space_after(self.last, 160)

    def quote(self, block: Quote) -> None:
        self.blocks(block.blocks, quoted=True)
        if block.speaker:
            self.text_para("speaker", f"— {block.speaker}")

    def rule(self) -> None:
        self.para("rule")

    # --- inlines ---

    def inlines(
        self, parent: etree._Element, nodes: Sequence[Inline], bold: bool = False,
        italic: bool = False, link: bool = False,
    ) -> None:
        style = self.ids["hyperlink"] if link else None
        for node in nodes:
            match node:
                case Text(text):
                    text = clean(text, "line")
                    if text:
                        x.run(parent, text, bold=bold, italic=italic, style=style)
                case Strong(children):
                    self.inlines(parent, children, True, italic, link)
                case Emphasis(children):
                    self.inlines(parent, children, bold, True, link)
                case Link():
                    self.link(parent, node, bold, italic, link)
                case LineBreak():
                    x.line_break(parent)

    def link(self, parent: etree._Element, node: Link, bold: bool, italic: bool, inside: bool) -> None:
        target = None if inside else x.hyperlink(parent, self.part, node.url, self.base_url)
        children: Sequence[Inline] = node.inlines or (Text(node.url),)
        if target is None:  # not a URL we link to, or already inside a link: text only
            self.inlines(parent, children, bold, italic, inside)
        else:
            self.inlines(target, children, bold, italic, True)
