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
from ..shared.render import Levels, Renderer, keeps
from ..shared.text import clean
from ..shared.view import attribution

_KEEP = Markup(' class="keep"')  # keeps with the next block on the printed page
_SCHEMES = ("https://", "http://", "mailto:", "tel:")


def _shown(url: str) -> str:
    """An address as a reader types it: no `mailto:` or `tel:` in front."""
    return url.split(":", 1)[1] if url.lower().startswith(("mailto:", "tel:")) else url


def _bare(address: str) -> str:
    """An address compared without its scheme, `www.`, case, spaces or a closing slash:
    `www.kent.police.uk/` is the text of a link to https://www.kent.police.uk."""
    out = address.strip().lower()
    for scheme in _SCHEMES:
        if out.startswith(scheme):
            out = out[len(scheme) :]
            break
    return out.removeprefix("www.").rstrip("/").replace(" ", "")


def text(value: str) -> Markup:
    """Seed text as escaped HTML."""
    return escape(clean(value))


class HtmlRenderer(Renderer):
    """Blocks and inlines → HTML. `levels` numbers the seed's headings as HTML ones (`<h2>` and
    down under a page's `<h1>` headline, by default)."""

    def __init__(
        self, levels: Levels | None = None, base_url: str | None = None, *, footnotes: bool = False
    ) -> None:
        self.levels = levels or Levels(shift=1)
        self.base_url = base_url  # the article's address: relative links are made absolute
        # print: a link whose words are not its address gets the address as a footnote, since
        # a printed page cannot be clicked. Never inside a heading (it would join the bookmark).
        self.footnotes = footnotes
        self._notes: dict[str, int] = {}  # address shown → its footnote's number (from 1)
        self._in_heading = False

    # --- blocks ----------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...]) -> Markup:
        # `keep` (break-after: avoid in print) is decided here, where the sequence is known:
        # CSS alone cannot stop a run of kept blocks chaining over a whole page.
        return Markup("\n").join(
            self.render(b, keep=k) if isinstance(b, Heading | Paragraph) else self.render(b)
            for b, k in zip(blocks, keeps(blocks), strict=True)
        )

    def heading(self, node: Heading, keep: bool = False) -> Markup:
        if not plain(node.inlines).strip():
            return Markup("")  # an empty heading would be an empty bookmark
        level = self.levels(node.level)
        self._in_heading = True
        try:
            inner = self.inlines(node.inlines)
        finally:
            self._in_heading = False
        return Markup("<h{0}{1}>{2}</h{0}>").format(level, _KEEP if keep else "", inner)

    def paragraph(self, node: Paragraph, keep: bool = False) -> Markup:
        return Markup("<p{}>{}</p>").format(_KEEP if keep else "", self.inlines(node.inlines))

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
        link = Markup('<a href="{}">{}</a>').format(href, label)
        if not self.footnotes or self._in_heading or not node.inlines:
            return link
        words = plain(node.inlines)
        if _bare(words) in (_bare(href), _bare(node.url)):
            return link  # the words are the address: nothing to add
        shown = _shown(href)
        if shown in self._notes:  # the same address again: its note's number, not a second note
            return link + Markup('<sup class="footnote-again">{}</sup>').format(self._notes[shown])
        # numbered as CSS numbers them: every note of the article's body, in order, from 1
        self._notes[shown] = len(self._notes) + 1
        return link + Markup('<span class="footnote">{}</span>').format(text(shown))

    def linebreak(self, node: LineBreak) -> Markup:
        return Markup("<br>")
