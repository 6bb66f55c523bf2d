"""The document model as escaped HTML: one method per node type, shared by the PDF and HTML formats.

Every piece of seed text goes through `text()`, which drops the characters no format can carry
(`shared.text.clean`) and escapes the rest with markupsafe, so seed text can never become markup
or template code. The result is a `Markup` the templates print as it is.
"""

from __future__ import annotations

from markupsafe import Markup, escape

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
from ..shared.links import safe_url
from ..shared.text import clean


def text(value: str) -> Markup:
    """Seed text as escaped HTML."""
    return escape(clean(value))


def heading_levels(blocks: tuple[Block, ...], base: int) -> dict[int, int]:
    """Map the body's heading levels onto <h{base+1}>...<h6>, closing gaps.

    Seeds use any levels (`###` straight after the headline is common); renumbering keeps
    the HTML outline and the PDF bookmarks nested under the headline without holes.
    """
    found: set[int] = set()
    stack = list(blocks)
    while stack:
        block = stack.pop()
        match block:
            case Heading(level, _):
                found.add(level)
            case Quote(children, _):
                stack.extend(children)
            case ListBlock(_, items):
                for item in items:
                    stack.extend(item)
    return {level: min(base + 1 + i, 6) for i, level in enumerate(sorted(found))}


class HtmlRenderer:
    """Blocks and inlines → HTML. `levels` maps seed heading levels to HTML ones."""

    def __init__(self, levels: dict[int, int] | None = None, base_url: str | None = None) -> None:
        self.levels = levels or {}
        self.base_url = base_url  # the article's address: relative links are made absolute

    # --- blocks ----------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...]) -> Markup:
        return Markup("\n").join(self.block(b) for b in blocks)

    def block(self, node: Block) -> Markup:
        match node:
            case Heading():
                return self.heading(node)
            case Paragraph():
                return self.paragraph(node)
            case ListBlock():
                return self.list(node)
            case Quote():
                return self.quote(node)
            case Rule():
                return self.rule(node)
        raise TypeError(f"not a block: {node!r}")

    def heading(self, node: Heading) -> Markup:
        if not plain(node.inlines).strip():
            return Markup("")  # an empty heading would be an empty bookmark
        level = self.levels.get(node.level, min(node.level + 1, 6))
        return Markup("<h{0}>{1}</h{0}>").format(level, self.inlines(node.inlines))

    def paragraph(self, node: Paragraph) -> Markup:
        return Markup("<p>{}</p>").format(self.inlines(node.inlines))

    def list(self, node: ListBlock) -> Markup:
        items = Markup("").join(Markup("<li>{}</li>").format(self.item(item)) for item in node.items)
        if not node.ordered:
            return Markup("<ul>{}</ul>").format(items)
        start = Markup(' start="{}"').format(node.start) if node.start != 1 else Markup("")
        return Markup("<ol{}>{}</ol>").format(start, items)

    def item(self, blocks: tuple[Block, ...]) -> Markup:
        # a one-paragraph item is a tight list item: no <p>, so no paragraph spacing
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            return self.inlines(blocks[0].inlines)
        return self.blocks(blocks)

    def quote(self, node: Quote) -> Markup:
        body = Markup("<blockquote>{}</blockquote>").format(self.blocks(node.blocks))
        if not node.speaker:
            return Markup('<figure class="quote">{}</figure>').format(body)
        return Markup('<figure class="quote">{}<figcaption>{}</figcaption></figure>').format(
            body, text(node.speaker)
        )

    def rule(self, node: Rule) -> Markup:
        return Markup("<hr>")

    # --- inlines ---------------------------------------------------------------------

    def inlines(self, nodes: tuple[Inline, ...]) -> Markup:
        return Markup("").join(self.inline(n) for n in nodes)

    def inline(self, node: Inline) -> Markup:
        match node:
            case Text():
                return self.text(node)
            case Strong():
                return self.strong(node)
            case Emphasis():
                return self.emphasis(node)
            case Link():
                return self.link(node)
            case LineBreak():
                return self.linebreak(node)
        raise TypeError(f"not an inline: {node!r}")

    def text(self, node: Text) -> Markup:
        return text(node.text)

    def strong(self, node: Strong) -> Markup:
        return Markup("<strong>{}</strong>").format(self.inlines(node.inlines))

    def emphasis(self, node: Emphasis) -> Markup:
        return Markup("<em>{}</em>").format(self.inlines(node.inlines))

    def link(self, node: Link) -> Markup:
        href = safe_url(node.url, self.base_url)
        label = self.inlines(node.inlines) or text(node.url)
        if href is None:
            return label
        return Markup('<a href="{}">{}</a>').format(href, label)

    def linebreak(self, node: LineBreak) -> Markup:
        return Markup("<br>")
