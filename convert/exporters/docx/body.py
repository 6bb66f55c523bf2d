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
from ..shared.render import Levels, Renderer, keeps
from ..shared.text import clean
from ..shared.view import attribution
from . import ooxml as x
from .template import Template


class Body(Renderer):
    """Renders blocks and inlines into a container element: one method per node type."""

    levels = Levels(2, 4)  # under the headline (Title, or Heading 1 in a pack): Heading 2 to 4

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

    def mark(self, p: etree._Element, level: int, text: str) -> str | None:
        """Bookmark a heading for the table of contents (bundles only): its bookmark's name."""
        if self.toc is None:
            return None
        anchor = f"_Toc{len(self.toc) + 1:06d}"
        x.bookmark(p, len(self.toc) + 1, anchor)
        self.toc.append((level, clean(text, "line"), anchor))
        return anchor

    def para(self, role: str | None) -> etree._Element:
        p = x.paragraph(self.parent, self.ids[role] if role else None)
        self.last = p
        return p

    def text_para(self, role: str | None, text: str) -> etree._Element:
        p = self.para(role)
        if text:
            x.run(p, clean(text, "line"))
        return p

    # --- blocks: each gets its list nesting `depth` and whether it is `quoted` ---

    def blocks(self, blocks: Sequence[Block], depth: int = 0, quoted: bool = False) -> None:
        for block, keep in zip(blocks, keeps(blocks), strict=True):
            self.render(block, depth, quoted)
            # Heading styles keep with the next paragraph: one let go in a long run says so
            # explicitly (w:val="0"), so the chain never fills a page.
            said = keep and isinstance(block, Paragraph)
            if self.last is not None and (said or isinstance(block, Heading)):
                x.keep_next(self.last, keep)

    def heading(self, block: Heading, depth: int = 0, quoted: bool = False) -> None:
        # The headline is the document's one top heading, so body headings start at 2.
        level = self.levels(block.level)
        p = self.para(f"h{level}")
        self.inlines(p, block.inlines)
        if self.toc is not None:
            # In a pack, groups and headlines hold outline levels 1 and 2: the body's headings
            # go below them (Heading 2 at level 3), out of the contents, nested in the outline.
            x.outline_level(p, level)

    def paragraph(self, block: Paragraph, depth: int = 0, quoted: bool = False) -> None:
        self.inlines(self.para("quote" if quoted else None), block.inlines)

    def list_block(self, block: ListBlock, depth: int = 0, quoted: bool = False) -> None:
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
                if num is not None and restart is not None:  # (num is made only from a restart)
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

    def quote(self, block: Quote, depth: int = 0, quoted: bool = False) -> None:
        self.blocks(block.blocks, quoted=True)
        speaker = attribution(block)  # none when the quote already names its speaker
        if speaker:
            self.text_para("speaker", f"— {speaker}")

    def rule(self, block: Rule, depth: int = 0, quoted: bool = False) -> None:
        self.para("rule")

    # --- inlines: each goes into `parent`, bold, italic, or inside a link ---

    def inlines(
        self, parent: etree._Element, nodes: Sequence[Inline], bold: bool = False,
        italic: bool = False, link: bool = False,
    ) -> None:
        for node in nodes:
            self.render(node, parent, bold, italic, link)

    def text(self, node: Text, parent: etree._Element, bold: bool, italic: bool, link: bool) -> None:
        text = clean(node.text, "line")
        if text:
            x.run(parent, text, bold=bold, italic=italic, style=self.ids["hyperlink"] if link else None)

    def strong(self, node: Strong, parent: etree._Element, bold: bool, italic: bool, link: bool) -> None:
        self.inlines(parent, node.inlines, True, italic, link)

    def emphasis(self, node: Emphasis, parent: etree._Element, bold: bool, italic: bool, link: bool) -> None:
        self.inlines(parent, node.inlines, bold, True, link)

    def linebreak(self, node: LineBreak, parent: etree._Element, *marks: bool) -> None:
        x.line_break(parent)

    def link(self, node: Link, parent: etree._Element, bold: bool, italic: bool, inside: bool) -> None:
        target = None if inside else x.hyperlink(parent, self.part, node.url, self.base_url)
        children: Sequence[Inline] = node.inlines or (Text(node.url),)
        if target is None:  # not a URL we link to, or already inside a link: text only
            self.inlines(parent, children, bold, italic, inside)
        else:
            self.inlines(target, children, bold, italic, True)
