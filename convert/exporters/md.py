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
import string
import unicodedata
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import yaml
from markdown_it import MarkdownIt

from ..collate import by_area, date_span
from ..model import (
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
from ..text import long_date, plain
from . import Options
from .plaintext import absolute_url, attribution
from .txt import byline, fresh_summary
from .wrapping import clean

DEFAULT_TITLE = "Police news digest"

_SPECIAL = re.compile(r"([\\`*_\[\]<>~^$|{}])")
_ALL_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_CITATION = re.compile(r"(?<![\w\\])@")  # pandoc would read `@name` as a citation
_LINE_START = re.compile(r"^(?:[-+=#]|\d{1,9}(?=[.)]))")
_AUTOLINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\\%]*$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$&'+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")

_parser = MarkdownIt("commonmark")


def escape(text: str, everything: bool = False) -> str:
    """Seed text as Markdown that reads back as the same text."""
    text = clean(text)
    if everything:
        return _ALL_PUNCT.sub(r"\\\1", text)
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _CITATION.sub(r"\\@", text)


def escape_line_start(line: str) -> str:
    """Keep a line of text from starting a list item, heading or setext underline."""
    line = line.lstrip(" ")
    match = _LINE_START.match(line)
    if not match:
        return line
    if match.group()[0].isdigit():  # "2019. Police said": escape the dot, not the digits
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def parsed_text(markdown: str) -> str:
    """The plain text markdown-it-py reads from some Markdown, whitespace collapsed."""
    out: list[str] = []

    def walk(tokens: Sequence[Any]) -> None:
        for token in tokens:
            if token.children:
                walk(token.children)
            elif token.type in ("text", "code_inline", "html_inline", "html_block", "code_block", "fence"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append(" ")
            if token.type in ("paragraph_close", "heading_close"):
                out.append(" ")

    walk(_parser.parse(markdown))
    return " ".join("".join(out).split())


class MarkdownRenderer:
    """Blocks and inlines → CommonMark: one method per node type."""

    def __init__(self, base_url: str | None = None, shift: int = 0) -> None:
        self.base_url = base_url
        self.shift = shift  # heading levels to add (articles inside a bundle sit under an H1)
        self.everything = False  # escape every punctuation mark: the last-resort pass

    # --- blocks -------------------------------------------------------------------------

    def blocks(self, nodes: Sequence[Block]) -> str:
        parts: list[str] = []
        previous: Block | None = None
        for node in nodes:
            text = self.block(node, previous)
            if text:
                parts.append(text)
                previous = node
        return "\n\n".join(parts)

    def block(self, node: Block, previous: Block | None = None) -> str:
        match node:
            case Heading():
                return self.heading(node)
            case Paragraph():
                return self.paragraph(node)
            case ListBlock():
                # Two lists in a row would merge into one: the second uses the other marker.
                follows = isinstance(previous, ListBlock) and previous.ordered == node.ordered
                return self.list_block(node, alternate=follows)
            case Quote():
                return self.quote(node)
            case Rule():
                return self.rule(node)
        raise TypeError(f"not a block: {node!r}")

    def heading(self, node: Heading) -> str:
        text = self.checked(node.inlines, heading=True)
        if not text:
            return ""
        level = min(6, max(1, node.level) + self.shift)
        return f"{'#' * level} {text}"

    def paragraph(self, node: Paragraph) -> str:
        return self.checked(node.inlines)

    def list_block(self, node: ListBlock, alternate: bool = False) -> str:
        tight = all(all(isinstance(b, ListBlock) for b in item[1:]) for item in node.items)
        items: list[str] = []
        for i, item in enumerate(node.items):
            if node.ordered:
                marker = f"{min(node.start + i, 999_999_999)}{')' if alternate else '.'} "
            else:
                marker = "* " if alternate else "- "
            body = self.item(item, tight)
            lines = body.split("\n") if body else [""]
            pad = " " * len(marker)
            first = (marker + lines[0]).rstrip()
            items.append("\n".join([first, *((pad + line) if line else "" for line in lines[1:])]))
        return ("\n" if tight else "\n\n").join(items)

    def item(self, blocks: Sequence[Block], tight: bool) -> str:
        """One list item's content; in a tight list a nested list follows its line directly
        (only bullets or lists starting at 1 may interrupt a paragraph)."""
        out = ""
        previous: Block | None = None
        for node in blocks:
            text = self.block(node, previous)
            if not text:
                continue
            if out:
                joins = tight and isinstance(node, ListBlock) and (not node.ordered or node.start == 1)
                out += "\n" if joins and isinstance(previous, Paragraph) else "\n\n"
            out += text
            previous = node
        return out

    def quote(self, node: Quote) -> str:
        body = self.blocks(node.blocks)
        speaker = attribution(node)
        if speaker:
            line = "— " + escape(speaker)
            body = f"{body}\n\n{line}" if body else line
        if not body:
            return ""
        return "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))

    def rule(self, node: Rule) -> str:
        return "* * *"  # never `---`: pandoc could take it for a metadata block

    # --- inlines ------------------------------------------------------------------------

    def checked(self, nodes: Sequence[Inline], heading: bool = False) -> str:
        """Inline Markdown verified to read back as the model's text. Marks the scraper put
        where CommonMark cannot close them are dropped; as a last resort every punctuation
        character is escaped (always valid CommonMark)."""
        expected = " ".join(self.expected(nodes).split())
        try:
            for marks, everything in ((True, False), (False, False), (False, True)):
                self.everything = everything
                text = self.inline_text(nodes, marks, heading)
                if parsed_text(("# " + text) if heading else text) == expected:
                    break
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
                url = absolute_url(node.url, self.base_url)
                out.append(label if label.strip() or url is None else url)
            elif isinstance(node, Strong | Emphasis):
                out.append(self.expected(node.inlines))
            else:
                out.append(" " if isinstance(node, LineBreak) else clean(plain((node,))))
        return "".join(out)

    def inlines(self, nodes: Sequence[Inline], marks: bool = True) -> str:
        return "".join(self.inline(node, marks) for node in nodes)

    def inline(self, node: Inline, marks: bool) -> str:
        match node:
            case Text():
                return escape(node.text, self.everything)
            case Strong():
                return self.strong(node, marks)
            case Emphasis():
                return self.emphasis(node, marks)
            case Link():
                return self.link(node, marks)
            case LineBreak():
                return "\n"
        raise TypeError(f"not an inline: {node!r}")

    def strong(self, node: Strong, marks: bool) -> str:
        return _marked(self.inlines(node.inlines, marks), STRONG if marks else "")

    def emphasis(self, node: Emphasis, marks: bool) -> str:
        return _marked(self.inlines(node.inlines, marks), EMPHASIS if marks else "")

    def link(self, node: Link, marks: bool) -> str:
        # A link inside a link (never valid HTML) keeps only its words.
        label = "".join(
            self.inlines(n.inlines, marks) if isinstance(n, Link) else self.inline(n, marks)
            for n in node.inlines
        )
        url = absolute_url(node.url, self.base_url)
        if url is None:  # javascript: and friends: keep the words, lose the link
            return label
        text = plain(node.inlines).strip()
        if not self.everything:
            if (not text or text == url) and _AUTOLINK.match(url):
                return f"<{url}>"
            if url.lower().startswith("mailto:") and text == url[7:] and _EMAIL.match(text):
                return f"<{text}>"
        if not label.strip():
            label = escape(url, self.everything)
        label = " ".join(label.split("\n"))
        return f"[{label}]({_destination(url)})"


# Emphasis is first written with placeholder characters (private-use code points, which
# `clean` removes from seed text), so each pair can be checked against CommonMark's
# flanking rules once its neighbours are known, and dropped alone if it could not work.
STRONG, EMPHASIS = "\ue000\ue001", "\ue002\ue003"  # (opening, closing)
_MARKS = {"\ue000": "**", "\ue001": "**", "\ue002": "*", "\ue003": "*"}
_OPENERS, _CLOSERS = "\ue000\ue002", "\ue001\ue003"


def _marked(inner: str, mark: str) -> str:
    """Marked-up `inner`, with spaces the scraper left inside the marks moved outside them
    (CommonMark will not open emphasis before a space); empty runs and runs over a line
    break get no marks."""
    core = inner.strip(" ")
    if not mark or not core or "\n" in core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{mark[0]}{core}{mark[1]}{trail}"


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The characters either side of the run of marks that position `i` is part of."""
    start, end = i, i + 1
    while start > 0 and text[start - 1] in _MARKS:
        start -= 1
    while end < len(text) and text[end] in _MARKS:
        end += 1
    return (text[start - 1] if start else " "), (text[end] if end < len(text) else " ")


def _can_open(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return not after.isspace() and (not _punct(after) or before.isspace() or _punct(before))


def _can_close(text: str, i: int) -> bool:
    before, after = _neighbours(text, i)
    return not before.isspace() and (not _punct(before) or after.isspace() or _punct(after))


def resolve_marks(text: str) -> str:
    """Placeholders → `**` / `*`, dropping each pair CommonMark could not open or close."""
    while True:
        stack: list[int] = []
        bad: set[int] = set()
        for i, ch in enumerate(text):
            if ch in _OPENERS:
                stack.append(i)
            elif ch in _CLOSERS and stack:
                j = stack.pop()
                if not (_can_open(text, j) and _can_close(text, i)):
                    bad.update((i, j))
        if not bad:
            return "".join(_MARKS.get(ch, ch) for ch in text)
        text = "".join(ch for i, ch in enumerate(text) if i not in bad)


def _destination(url: str) -> str:
    """A link destination: no spaces, parentheses and backslashes escaped."""
    url = re.sub(r"\s", lambda m: "%20" if m.group() == " " else "", url)
    return re.sub(r"([\\()<>])", r"\\\1", url)


def front_matter(data: dict[str, Any]) -> str:
    """A YAML block between `---` lines; empty values are left out, except the title."""
    kept = {k: v for k, v in data.items() if k == "title" or v not in (None, "", [], ())}
    dumped = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**9)
    return f"---\n{dumped}---\n"


_HTML_ISH = re.compile(r"([\\<>])")


def _meta_text(value: str | None) -> str | None:
    """A front-matter string. pandoc reads these values as Markdown, so the characters that
    could make raw HTML of them (`<`, `>`, an entity's `&`, and `\\` itself) are backslash-
    escaped; everything else is left as written, for generators that take the value as is."""
    if not value:
        return None
    text = _HTML_ISH.sub(r"\\\1", clean(value).strip())
    return _ENTITY.sub(r"\\&", text)


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
    version = "1"
    style_files: tuple[str, ...] = ()

    def __init__(self, options: Options) -> None:
        self.options = options

    def export(self, article: Article) -> bytes:
        m = article.meta
        head = front_matter(
            {
                "title": _meta_text(m.headline) or "",
                "area": _meta_text(m.area),
                "publisher": _meta_text(m.publisher),
                "published": m.published.isoformat() if m.published else None,
                "url": _meta_url(m.url),
                "summary": _meta_text(m.summary),
                "image": _meta_url(m.image),
                "speakers": [s for s in (_meta_text(x) for x in m.speakers) if s],
                "source": _meta_text(m.source),
            }
        )
        body = MarkdownRenderer(base_url=m.url).blocks(article.blocks)
        return (head + "\n" + body + "\n" if body else head).encode("utf-8")

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        sections = by_area(articles)
        span = date_span(articles)
        head = front_matter(
            {
                "title": _meta_text(self.options.title) or DEFAULT_TITLE,
                "articles": len(articles),
                "areas": [_meta_text(s.area) for s in sections],
                "from": span[0].isoformat() if span else None,
                "to": span[1].isoformat() if span else None,
            }
        )
        parts = [head]
        for section in sections:
            parts.extend(self.section(article) for article in section.articles)
        return "\n".join(parts).encode("utf-8")

    def section(self, article: Article) -> str:
        """One article of a bundle: H1 headline, a line of who/when/where, summary, body."""
        m = article.meta
        title = MarkdownRenderer().heading(Heading(1, (Text(m.headline),)))
        renderer = MarkdownRenderer(base_url=m.url, shift=1)
        facts = [escape(byline(m)), escape(long_date(m.published))]
        facts = [f for f in facts if f]
        link = Link(m.url, (Text(m.url),))
        dateline = escape_line_start(" · ".join(facts)) + " · " + renderer.link(link, True)
        parts = [title, dateline]
        summary = fresh_summary(article)
        if summary:
            parts.append(renderer.paragraph(Paragraph((Emphasis((Text(summary),)),))))
        body = renderer.blocks(article.blocks)
        if body:
            parts.append(body)
        return "\n\n".join(parts) + "\n"
