"""Clean CommonMark with a YAML front-matter block, for pandoc and static site generators.

Seed text is escaped so that a CommonMark parser gives back exactly the text of the model:
`*`, `_`, `[`, `<`, `` ` `` and friends are backslash-escaped (so `<script>` is inert text),
as are the pandoc extensions' specials (`~ ^ $ | @`) and braces, so `{{ }}` and `{% %}` stay
text even in a site generator that runs a template language over the page (Jekyll's Liquid).
A line never starts with something a parser would take for a list, heading or setext
underline. Emphasis the scraper left where CommonMark cannot express it (`**said: "**We`) is
checked with markdown-it-py and dropped rather than printed as stray asterisks.

A bundle has one front matter for the whole document; each article is an H1 section (its
own headings pushed one level down), so no `---` ever appears below the front matter, where
pandoc would try to read it as another metadata block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import yaml

from ...model import (
    Article,
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
from ..options import TitledOptions
from ..shared.callout import callout, kind_label
from ..shared.glance import COLUMNS, GlanceGroup, glance
from ..shared.links import safe_url
from ..shared.render import Levels, Renderer, is_tight
from ..shared.text import clean
from ..shared.view import ArticleView, BundleView, attribution
from .syntax import (
    AUTOLINK,
    EMAIL,
    EMPHASIS,
    ENTITY,
    STRONG,
    destination,
    escape,
    escape_line_start,
    marked,
    parsed_text,
    resolve_marks,
)

DEFAULT_TITLE = "Police news digest"
GLANCE_TITLE = "At a glance"
# Text longer than this is not read back to check it (markdown-it's tokens for a paragraph of
# 1,000,000 `<` took 380 MB): it is written in the last resort's form straight away, every
# punctuation character escaped, which always reads back as the text. Real paragraphs have
# under 3,000 characters.
MAX_CHECKED = 20_000


class MarkdownRenderer(Renderer):
    """Blocks and inlines → CommonMark: one method per node type. Blocks get the block written
    before them (`previous`), inlines whether emphasis is marked (`marks`)."""

    def __init__(self, base_url: str | None = None, shift: int = 0) -> None:
        self.base_url = base_url
        # The seed's own levels; a bundle pushes them under each article's H1 (`shift`).
        self.levels = Levels(shift=shift)
        self.everything = False  # escape every punctuation mark: the last-resort pass
        self._last_marker = ""  # the bullet or delimiter of the last list rendered

    # --- blocks -------------------------------------------------------------------------

    def blocks(self, nodes: Sequence[Block]) -> str:
        parts: list[str] = []
        previous: Block | None = None
        for node in nodes:
            text = self.render(node, previous)
            if text:
                parts.append(text)
                previous = node
        return "\n\n".join(parts)

    def heading(self, node: Heading, previous: Block | None = None) -> str:
        text = self.checked(node.inlines, heading=True)
        if not text:
            return ""
        return f"{'#' * self.levels(node.level)} {text}"

    def paragraph(self, node: Paragraph, previous: Block | None = None) -> str:
        return self.checked(node.inlines)

    def list_block(self, node: ListBlock, previous: Block | None = None) -> str:
        """The list with the first marker character that does not merge it with a list of the
        same kind just before it (the two would read as one) and that does not turn a line of
        bare markers (`- - -`: items opening with lists that end in an empty item) into a
        thematic break; `+` never makes one."""
        follows = isinstance(previous, ListBlock) and previous.ordered == node.ordered
        avoid = self._last_marker if follows else None
        tight = is_tight(node)
        bodies = [self.item(item, tight) for item in node.items]
        for char in (".", ")") if node.ordered else ("-", "*", "+"):
            if char == avoid:
                continue
            items = [self._item(node, i, char, body) for i, body in enumerate(bodies)]
            if node.ordered or not any(_THEMATIC_BREAK.fullmatch(item.split("\n", 1)[0]) for item in items):
                break
        self._last_marker = char
        return ("\n" if tight else "\n\n").join(items)

    @staticmethod
    def _item(node: ListBlock, i: int, char: str, body: str) -> str:
        marker = f"{min(node.start + i, 999_999_999)}{char} " if node.ordered else f"{char} "
        lines = body.split("\n") if body else [""]
        pad = " " * len(marker)
        first = (marker + lines[0]).rstrip()
        return "\n".join([first, *((pad + line) if line else "" for line in lines[1:])])

    def item(self, blocks: Sequence[Block], tight: bool) -> str:
        """One list item's content; in a tight list a nested list follows its line directly
        (only bullets or lists starting at 1 may interrupt a paragraph)."""
        out = ""
        previous: Block | None = None
        for node in blocks:
            text = self.render(node, previous)
            if not text:
                continue
            if out:
                joins = tight and isinstance(node, ListBlock) and (not node.ordered or node.start == 1)
                out += "\n" if joins and isinstance(previous, Paragraph) else "\n\n"
            out += text
            previous = node
        return out

    def quote(self, node: Quote, previous: Block | None = None) -> str:
        body = self.blocks(node.blocks)
        speaker = attribution(node)
        if speaker:
            line = "— " + escape(speaker)
            body = f"{body}\n\n{line}" if body else line
        if not body:
            return ""
        return "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))

    def rule(self, node: Rule, previous: Block | None = None) -> str:
        return "* * *"  # never `---`: pandoc could take it for a metadata block

    # --- inlines ------------------------------------------------------------------------

    def checked(self, nodes: Sequence[Inline], heading: bool = False) -> str:
        """Inline Markdown verified to read back as the model's text. Marks the scraper put
        where CommonMark cannot close them are dropped; as a last resort every punctuation
        character is escaped (always valid CommonMark)."""
        expected = " ".join(self.expected(nodes).split())
        tries: tuple[tuple[bool, bool], ...] = ((True, False), (False, False), (False, True))
        if len(expected) > MAX_CHECKED:
            tries = tries[-1:]
        try:
            for marks, everything in tries:
                self.everything = everything
                text = self.inline_text(nodes, marks, heading)
                if everything or parsed_text(("# " + text) if heading else text) == expected:
                    break  # (the last resort needs no check: it is kept either way)
        finally:
            self.everything = False
        return text

    def inline_text(self, nodes: Sequence[Inline], marks: bool, heading: bool) -> str:
        text = re.sub(" {2,}", " ", resolve_marks(self.inlines(nodes, marks)))
        if heading:  # an ATX heading is one line, and a `#` could close it
            text = " ".join(text.split("\n"))
            text = re.sub(r"(?<!\\)#", r"\\#", text)
        lines = [escape_line_start(line.strip(" ")) for line in text.split("\n")]
        lines = [line for line in lines if line]
        return "\\\n".join(lines)

    def expected(self, nodes: Sequence[Inline]) -> str:
        """The text a reader should see: what `inline_text` must parse back to."""
        out = []
        for node in nodes:
            if isinstance(node, Link):
                label = self.expected(node.inlines)
                url = safe_url(node.url, self.base_url)
                out.append(label if label.strip() or url is None else url)
            elif isinstance(node, Strong | Emphasis):
                out.append(self.expected(node.inlines))
            else:
                out.append(" " if isinstance(node, LineBreak) else clean(plain((node,)), "flat"))
        return "".join(out)

    def inlines(self, nodes: Sequence[Inline], marks: bool = True) -> str:
        return "".join(self.render(node, marks) for node in nodes)

    def text(self, node: Text, marks: bool) -> str:
        return escape(node.text, self.everything)

    def linebreak(self, node: LineBreak, marks: bool) -> str:
        return "\n"

    def strong(self, node: Strong, marks: bool) -> str:
        return marked(self.inlines(node.inlines, marks), STRONG if marks else "")

    def emphasis(self, node: Emphasis, marks: bool) -> str:
        return marked(self.inlines(node.inlines, marks), EMPHASIS if marks else "")

    def link(self, node: Link, marks: bool) -> str:
        # A link inside a link (never valid HTML) keeps only its words.
        label = "".join(
            self.inlines(n.inlines, marks) if isinstance(n, Link) else self.render(n, marks)
            for n in node.inlines
        )
        url = safe_url(node.url, self.base_url)
        if url is None:  # javascript: and friends: keep the words, lose the link
            return label
        text = plain(node.inlines).strip()
        if not self.everything:
            if (not text or text == url) and AUTOLINK.match(url):
                return f"<{url}>"
            if url.lower().startswith("mailto:") and text == url[7:] and EMAIL.match(text):
                return f"<{text}>"
        if not label.strip():
            label = escape(url, self.everything)
        label = " ".join(label.split("\n"))
        return f"[{label}]({destination(url)})"


def call_out(article: Article, renderer: MarkdownRenderer) -> str:
    """"Can you help?" as a quoted block: a bold title, then a list of labelled rows; '' for none."""
    box = callout(article)
    if box is None:
        return ""
    lines = [f"**{escape(clean(box.title, 'flat'))}**", ""]
    for row in box.rows:
        items = []
        for item in row.items:
            value = clean(item.value, "flat")
            text = renderer.link(Link(item.href, (Text(value),)), True) if item.href else escape(value)
            items.append(text + (f" ({escape(clean(item.note, 'flat'))})" if item.note else ""))
        lines.append(f"- **{escape(clean(row.label, 'flat'))}:** " + "; ".join(items))
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def glance_table(groups: Sequence[GlanceGroup]) -> str:
    """A pack's "At a glance" section: a pipe table per group (each under its name in bold
    when there are several), one row per article. Cells are escaped (`|` too) and one line."""
    out = [f"# {GLANCE_TITLE}"]
    head = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS)
    for group in groups:
        title = escape(group.title).strip()
        if len(groups) > 1 and title:  # (`****` alone would be a thematic break)
            out.append(f"**{title}**")
        rows = ["| " + " | ".join(escape(cell).strip() for cell in row.cells) + " |" for row in group.rows]
        out.append("\n".join([head, *rows]))
    return "\n\n".join(out) + "\n"


def front_matter(data: dict[str, Any]) -> str:
    """A YAML block between `---` lines; empty values are left out, except the title."""
    kept = {k: v for k, v in data.items() if k == "title" or v not in (None, "", [], ())}
    dumped = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**9)
    return f"---\n{dumped}---\n"


_HTML_ISH = re.compile(r"([\\<>])")
_THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})")


def _meta_text(value: str | None) -> str | None:
    """A front-matter string. pandoc reads these values as Markdown, so the characters that
    could make raw HTML of them (`<`, `>`, an entity's `&`, and `\\` itself) are backslash-
    escaped; everything else is left as written, for generators that take the value as is."""
    if not value:
        return None
    text = _HTML_ISH.sub(r"\\\1", clean(value, "flat").strip())
    return ENTITY.sub(r"\\&", text)


def _meta_url(value: str | None) -> str | None:
    """A URL for the front matter: characters a URL cannot hold raw are percent-encoded."""
    if not value:
        return None
    return re.sub(r'[\s<>"\\]', lambda m: quote(m.group()), value.strip())


class MarkdownExport:
    """CommonMark with YAML front matter (title, area, publisher, published, url, ...)."""

    name = "md"
    extension = "md"
    description = "CommonMark with YAML front matter, for pandoc and static site generators"
    version = "2"  # 2: the editorial view, call-out, kind, "At a glance", grouping
    style_files: tuple[str, ...] = ()
    options_class = TitledOptions  # a bundle's title; nothing else

    def __init__(self, options: TitledOptions) -> None:
        self.options = options

    def export(self, article: Article) -> bytes:
        shown, m = ArticleView(article), article.meta
        head = front_matter(
            {
                "title": _meta_text(shown.headline) or "",
                "area": _meta_text(shown.area),
                "publisher": _meta_text(shown.publisher),
                "published": shown.published.isoformat() if shown.published else None,
                "updated": m.updated.isoformat() if shown.updated and m.updated else None,
                "url": _meta_url(shown.url),
                "summary": _meta_text(shown.summary),
                "image": _meta_url(m.image),
                "speakers": [s for s in (_meta_text(x) for x in shown.speakers) if s],
                "source": _meta_text(m.source),
                "kind": _meta_text(kind_label(article)),
            }
        )
        renderer = MarkdownRenderer(base_url=shown.url)
        parts = (call_out(article, renderer), renderer.blocks(shown.blocks))
        body = "\n\n".join(part for part in parts if part)
        return (head + "\n" + body + "\n" if body else head).encode("utf-8")

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        bundle = BundleView(articles, self.options.group_by)
        sections, span = bundle.sections, bundle.span
        head = front_matter(
            {
                "title": _meta_text(self.options.title) or DEFAULT_TITLE,
                "articles": len(articles),
                "areas": [_meta_text(a) for a in bundle.areas],
                "from": span[0].isoformat() if span else None,
                "to": span[1].isoformat() if span else None,
            }
        )
        parts = [head]
        if bundle.count:
            parts.append(glance_table(glance(bundle)))
        for section in sections:
            heading = MarkdownRenderer().heading(Heading(1, (Text(section.title),)))
            if heading:  # (an article with no area has a group with no name)
                parts.append(heading + "\n")
            parts.extend(self.section(article) for article in section.articles)
        return "\n".join(parts).encode("utf-8")

    def section(self, article: Article) -> str:
        """One article of a bundle: H2 headline (under its group's H1), a line of
        who/when/where, summary, body."""
        shown = ArticleView(article)
        title = MarkdownRenderer().heading(Heading(2, (Text(shown.headline),)))
        renderer = MarkdownRenderer(base_url=shown.url, shift=2)
        facts = [escape(shown.byline), escape(shown.dateline), escape(kind_label(article))]
        facts = [f for f in facts if f]
        link = Link(shown.url, (Text(shown.url),))
        dateline = escape_line_start(" · ".join(facts)) + " · " + renderer.link(link, True)
        parts = [title, dateline]
        summary = shown.summary_shown
        if summary:
            parts.append(renderer.paragraph(Paragraph((Emphasis((Text(summary),)),))))
        box = call_out(article, renderer)
        if box:
            parts.append(box)
        body = renderer.blocks(shown.blocks)
        if body:
            parts.append(body)
        return "\n\n".join(parts) + "\n"
