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
from ..shared.render import Levels, Renderer
from ..shared.text import clean
from ..shared.view import attribution


def text(value: str) -> Markup:
    """Seed text as escaped HTML."""
    return escape(clean(value))


class HtmlRenderer(Renderer):
    """Blocks and inlines → HTML. `levels` numbers the seed's headings as HTML ones (`<h2>` and
    down under a page's `<h1>` headline, by default)."""

    def __init__(self, levels: Levels | None = None, base_url: str | None = None) -> None:
        self.levels = levels or Levels(shift=1)
        self.base_url = base_url  # the article's address: relative links are made absolute

    # --- blocks ----------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...]) -> Markup:
        return Markup("\n").join(self.render(b) for b in blocks)

    def heading(self, node: Heading) -> Markup:
        if not plain(node.inlines).strip():
            return Markup("")  # an empty heading would be an empty bookmark
        level = self.levels(node.level)
        return Markup("<h{0}>{1}</h{0}>").format(level, self.inlines(node.inlines))

    def paragraph(self, node: Paragraph) -> Markup:
        return Markup("<p>{}</p>").format(self.inlines(node.inlines))

    def list_block(self, node: ListBlock) -> Markup:
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
        speaker = attribution(node)  # none when the quote already names its speaker
        if not speaker:
            return Markup('<figure class="quote">{}</figure>').format(body)
        return Markup('<figure class="quote">{}<figcaption>{}</figcaption></figure>').format(
            body, text(speaker)
        )

    def rule(self, node: Rule) -> Markup:
        return Markup("<hr>")

    # --- inlines ---------------------------------------------------------------------

    def inlines(self, nodes: tuple[Inline, ...]) -> Markup:
        return Markup("").join(self.render(n) for n in nodes)

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
