"""The body by markdown-it-pyrs, the compiled parser: its node tree → the blocks and inlines
markdown-it-py's would give (convert/reader/tokens.py), or a hand-back to that reference.

`parse_compiled` first checks the body is one the two are known to read alike, in bounded
time and stack; tests/reader/test_parsers.py compares the two on every fixture and the sample.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it.common.normalize_url import normalizeLinkText

from ..limits import MAX_BLOCKS, MAX_INLINES, MAX_LIST_ITEMS, too_many
from ..model import (
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
from .errors import SeedError
from .inlines import BLOCKS, INLINES, ITEMS, TooBig, Walker, lines_to_inlines, tidy, unwrap_strong
from .scrape import bullet_paragraphs, speech_headings
from .tokens import FLAT_FROM

# --- the compiled parser --------------------------------------------------------------------
# markdown-it-pyrs (markdown-it in Rust) builds the same CommonMark tree about seven times faster
# than markdown-it-py: ~25 µs an article instead of ~190 µs. It is used when it is installed,
# CONVERT_MARKDOWN is not "python", and the body is one it is known to read as markdown-it-py
# does, in bounded time and stack (see _fits_compiled); anything else (deep nesting, an address
# it writes differently) goes to markdown-it-py, the reference, which has the in-parse limits.
# tests/reader/test_parsers.py checks the two give the same blocks (fixtures, the sample, fuzz).
try:
    import markdown_it_pyrs
except ImportError:  # not built for this platform: the reference parser does everything
    markdown_it_pyrs = None  # type: ignore[assignment]

_RULES = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
          "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline"]  # fmt: skip
# The same rules as _MD: CommonMark without raw HTML or reference definitions.
RS = (
    markdown_it_pyrs.MarkdownIt("zero").enable_many(_RULES)  # type: ignore[arg-type]
    if markdown_it_pyrs is not None and os.environ.get("CONVERT_MARKDOWN", "") != "python"
    else None
)
# markdown-it-pyrs has no nesting limit: 1,000,000 `>` take 19 s and a deep tree overflows the
# stack, and emphasis delimiters nested 16,000 deep take 3 s (quadratic). Real bodies are far
# inside these bounds (the sample: 65 KB, 72 `*`/`_`, 3 `[`, line prefixes of 43 characters).
_COMPILED_CHARS = 200_000
_COMPILED_MARKS = 2_000  # `*`, `_` and `[` together
# A line starting with 64 container characters (`>`, list markers, indentation) could nest
# past the walker's depth bound in any case: not worth the compiled parse.
_DEEP_PREFIX = re.compile(r"\n[ \t>*+\-0-9.)]{64}")  # (a literal first: the scan is fast)
# A tree this deep goes to the reference, which flattens containers at FLAT_FROM levels.
_COMPILED_DEPTH = FLAT_FROM - 2
# markdown-it-pyrs 0.4 panics on a backtick inside an open link label (`[`` ` ``): Rust's
# message goes to stderr before Python sees the error, so such a body never goes to it.
_PANICS = ("`", "[")
# A list that may not interrupt a paragraph (empty, or numbered from other than 1) on a line
# after a quote's: markdown-it-pyrs reads it as the quote's lazy continuation (as CommonMark
# says), markdown-it-py as a new list. Any quote and any such line: the reference reads it.
_QUOTE_LINE = re.compile(r"^[ *+\-0-9.)]*+>", re.MULTILINE)
_ITEM_LINE = re.compile(r"^[ >]*+(?:(?:[*+-]|[0-9]{1,9}[.)])[ \t]*$|(?!1[.)])[0-9]{1,9}[.)])", re.MULTILINE)
# Emphasis delimiters where the two disagree: a run next to a non-ASCII symbol (`**£5**`, `*©*`)
# or a line/paragraph separator (markdown-it-pyrs counts symbols as punctuation, as CommonMark
# 0.31 does; markdown-it-py does not), and a run with punctuation on both sides (`”**.`,
# `;***[`), which can open and close: they differ on what is left of it once part has matched.
_SYMBOL_CATEGORIES = ("Sc", "Sk", "Sm", "So", "Zl", "Zp")
# A tab in a line's indentation or container markers: the two count its columns differently.
_PREFIX_TAB = re.compile(r"^[ >*+\-0-9.)]*+\t", re.MULTILINE)
# A link whose host markdown-it-pyrs percent-encoded (`bücher.de`): markdown-it-py writes it in
# punycode (`xn--bcher-kva.de`), and the raw host is gone from the tree.
_ENCODED_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?://)?[^/?#]*%")
_INLINE_NODES = frozenset(
    ("text", "text_special", "softbreak", "hardbreak", "strong", "em", "link", "autolink", "image",
     "code_inline")
)  # fmt: skip


class _Reference(Exception):
    """The compiled parser's tree would not give the reference's blocks: use markdown-it-py."""


def _fits_compiled(text: str) -> bool:
    """Whether markdown-it-pyrs reads `text` as markdown-it-py does, in bounded time and stack."""
    return (
        len(text) <= _COMPILED_CHARS
        and text.count("*") + text.count("_") + text.count("[") <= _COMPILED_MARKS
        and not all(c in text for c in _PANICS)
        and _DEEP_PREFIX.search("\n" + text[:64]) is None
        and _DEEP_PREFIX.search(text) is None
        and ("\t" not in text or _PREFIX_TAB.search(text) is None)
        and (">" not in text or _QUOTE_LINE.search(text) is None or _ITEM_LINE.search(text) is None)
        and (("*" not in text and "_" not in text) or _delimiters_agree(text))
    )


def _delimiters_agree(text: str) -> bool:
    for start, end in _delimiter_runs(text):
        before, after = text[start - 1 : start], text[end : end + 1]
        if _punctuation(before, False) and _punctuation(after, False):
            return False
        if (before > "\x7f" or after > "\x7f") and _flanking(before, after, False) != _flanking(
            before, after, True
        ):
            return False
    return True


def _flanking(before: str, after: str, symbols: bool) -> tuple[bool, ...]:
    """CommonMark's left- and right-flanking, and `_`'s can-open and can-close, of a run
    between `before` and `after`, with non-ASCII symbols counted as punctuation or not."""
    space_before = not before or before.isspace()
    space_after = not after or after.isspace()
    punct_before, punct_after = _punctuation(before, symbols), _punctuation(after, symbols)
    left = not space_after and (not punct_after or space_before or punct_before)
    right = not space_before and (not punct_before or space_after or punct_after)
    return left, right, left and (not right or punct_before), right and (not left or punct_after)


def _delimiter_runs(text: str) -> Iterator[tuple[int, int]]:
    """The runs of `*`, then those of `_`: str.find is far faster than a regular expression
    scanning a body for the few there are."""
    for mark in "*_":
        start = text.find(mark)
        while start >= 0:
            end = start + 1
            while end < len(text) and text[end] == mark:
                end += 1
            yield start, end
            start = text.find(mark, end)


def _punctuation(char: str, symbols: bool) -> bool:
    """Punctuation as markdown-it-py has it (ASCII's, and Unicode's P* categories), or with
    Unicode's symbols too, as markdown-it-pyrs has it. An empty string is a line's end."""
    if not char or char.isalnum() or char.isspace():
        return False
    if char <= "\x7f":
        return True
    category = unicodedata.category(char)
    return category[0] == "P" or (symbols and category in _SYMBOL_CATEGORIES)


def parse_compiled(
    text: str, base_url: str | None, source: str | None, first_line: int
) -> tuple[Block, ...] | None:
    """`parse` by markdown-it-pyrs (the text already tidied), or None: the reference must read it."""
    # markdown-it-py's own normalisation, which markdown-it-pyrs lacks
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if RS is None or not _fits_compiled(text):
        return None
    walker = _TreeWalker(base_url, text)
    try:
        try:
            tree = RS.tree(text)
        except BaseException as exc:  # pyo3's PanicException is a BaseException
            if type(exc).__name__ == "PanicException":
                raise _Reference from None
            raise
        blocks = walker.read(tree)
        return tuple(speech_headings(bullet_paragraphs(blocks, walker.items)))
    except TooBig as exc:
        line = walker.line_of(exc.offset)
        raise SeedError(exc.reason, source, None if line is None else first_line + line) from None
    except _Reference:
        return None


class _TreeWalker(Walker):
    """markdown-it-pyrs's node tree → the blocks and inlines `Walker` makes of markdown-it-py's
    tokens, with the same limits, counted in the same order (blocks, then inline tokens, then
    the walk's own counts), and errors on the same lines."""

    def __init__(self, base_url: str | None, text: str) -> None:
        super().__init__(base_url)
        self.source = text
        self.offset: int | None = None  # UTF-8 offset of the block being read, for errors
        self.seen = 0  # blocks counted

    def line_of(self, offset: int | None) -> int | None:
        """The body line (0-based) of a UTF-8 offset; by default the block being read."""
        offset = self.offset if offset is None else offset
        return None if offset is None else self.source.encode()[:offset].count(b"\n")

    def read(self, root: Any) -> list[Block]:
        self.count(root)
        return self.blocks(root.children)

    def count(self, root: Any) -> None:
        """What markdown-it-py's parse-time rules check, in their order: the blocks (in document
        order, as its block rule meets them), then the inline tokens (a container is two, open
        and close) block by block. And the depth past which the reference flattens."""
        groups: list[tuple[int, Any]] = []  # (inline tokens, the node they start at)
        self.count_blocks(root.children, 1, groups)
        tokens = 0
        for size, node in groups:
            tokens += size
            if tokens > 2 * MAX_INLINES:
                raise TooBig(too_many(*INLINES), offset=_start(node))

    def count_blocks(self, nodes: Sequence[Any], depth: int, groups: list[tuple[int, Any]]) -> None:
        if depth > _COMPILED_DEPTH:
            raise _Reference
        in_run = False  # a tight list item's text: markdown-it-py gives it a hidden paragraph
        for node in nodes:
            name = node.name
            if name in _INLINE_NODES:
                if not in_run:
                    in_run = True
                    self.block_seen(node)
                    groups.append((0, node))
                groups[-1] = (groups[-1][0] + _inline_tokens(node, depth + 1), groups[-1][1])
                continue
            in_run = False
            self.block_seen(node)
            if name == "paragraph" or name == "heading" or name == "lheading":
                groups.append((sum(_inline_tokens(child, depth + 1) for child in node.children), node))
            elif name not in ("hr", "code_block", "fence"):
                self.count_blocks(node.children, depth + 1, groups)

    def block_seen(self, node: Any) -> None:
        self.seen += 1
        if self.seen > MAX_BLOCKS:
            raise TooBig(too_many(*BLOCKS), offset=_start(node))

    def blocks(self, nodes: Sequence[Any]) -> list[Block]:
        out: list[Block] = []
        run: list[Any] = []  # a tight list item's text
        for node in nodes:
            name = node.name
            if name in _INLINE_NODES:
                run.append(node)
                continue
            if run:
                self.offset = _start(run[0])
                self.paragraph(run, out)
                run = []
            self.offset = _start(node)
            if name == "paragraph":
                self.paragraph(node.children, out)
            elif name == "heading" or name == "lheading":
                inlines = self.inlines(node.children)
                if inlines:
                    out.append(Heading(node.meta["level"], unwrap_strong(inlines)))
            elif name == "bullet_list" or name == "ordered_list":
                block = self.tree_list(node)
                if block.items:
                    out.append(block)
            elif name == "blockquote":
                inner = self.blocks(node.children)
                if inner:
                    out.append(Quote(tuple(inner)))
            elif name == "hr":
                out.append(Rule())
            elif name == "code_block" or name == "fence":
                content = node.meta["content"]
                self.made(2 * content.count("\n") + 1)  # a text and a break a line
                inlines = tidy(lines_to_inlines(content))
                if inlines:
                    out.append(Paragraph(inlines))
        if run:
            self.offset = _start(run[0])
            self.paragraph(run, out)
        return out

    def paragraph(self, nodes: Sequence[Any], out: list[Block]) -> None:
        inlines = self.inlines(nodes)
        if inlines:
            out.append(Paragraph(inlines))

    def tree_list(self, node: Any) -> ListBlock:
        ordered = node.name == "ordered_list"
        start = node.meta.get("start", 1) if ordered else 1
        items: list[tuple[Block, ...]] = []
        for item in node.children:
            self.offset = _start(item)
            inner = self.blocks(item.children)
            if inner:
                self.items += 1
                if self.items > MAX_LIST_ITEMS:
                    raise TooBig(too_many(*ITEMS))
                items.append(tuple(inner))
        return ListBlock(ordered, tuple(items), int(start))

    def inlines(self, nodes: Sequence[Any]) -> tuple[Inline, ...]:
        if len(nodes) == 1 and nodes[0].name == "text":  # one plain run: most paragraphs
            return tidy(self.text(nodes[0].meta["content"]))
        out: list[Inline] = []
        self.made(self.tree_inlines(nodes, out, False))
        return tidy(out)

    def tree_inlines(self, nodes: Sequence[Any], out: list[Inline], in_link: bool) -> int:
        """Append `nodes` as inlines to `out`; the elements made (self.text counts its own)."""
        count = 0
        for node in nodes:
            name = node.name
            if name == "text":
                out.extend(self.text(node.meta["content"], linkify=not in_link))
            elif name == "text_special" or name == "code_inline":  # escaped, entity, code: literal
                out.append(Text(_content(node)))
                count += 1
            elif name == "softbreak" or name == "hardbreak":
                out.append(LineBreak())
                count += 1
            elif name == "strong" or name == "em":
                inner: list[Inline] = []
                count += 1 + self.tree_inlines(node.children, inner, in_link)
                out.append(Strong(tuple(inner)) if name == "strong" else Emphasis(tuple(inner)))
            elif name == "link":
                inner = []
                count += 1 + self.tree_inlines(node.children, inner, True)
                out.extend(self.tree_link(node.meta["url"], inner))
            elif name == "autolink":
                # markdown-it-py's text is the address decoded for reading (`%C3%A4` → `ä`)
                raw = node.children[0].meta["content"] if node.children else ""
                shown = normalizeLinkText(raw) if ":" in raw else normalizeLinkText("mailto:" + raw)[7:]
                count += 1
                out.extend(self.tree_link(node.meta["url"], self.text(shown, linkify=False)))
            elif name == "image":  # its alt text, as written (markdown-it-py's token content)
                out.extend(self.text(self.label(node)))
        return count

    def tree_link(self, url: str, inner: list[Inline]) -> list[Inline]:
        if "%" in url and (_ENCODED_HOST.match(url) or "%0A" in url):
            raise _Reference  # (a newline: markdown-it-pyrs keeps an escaped one in the address)
        href = self.link_url(url)
        return [Link(href, tuple(inner))] if href else inner

    def label(self, image: Any) -> str:
        """The source of an image's alt text: from its first child's start to its last's end."""
        children = image.children
        if not children:
            return ""
        first, last = children[0].srcmap, children[-1].srcmap
        if first is None or last is None:
            raise _Reference
        label = self.source.encode()[first[0] : last[1]].decode()
        if "\n" in label:  # the source lines may hold a quote's or list's markers too
            raise _Reference
        return label


def _start(node: Any) -> int | None:
    srcmap = node.srcmap
    return None if srcmap is None else srcmap[0]


def _content(node: Any) -> str:
    if node.name == "code_inline":
        return "".join(child.meta["content"] for child in node.children)
    return str(node.meta["content"])


def _inline_tokens(node: Any, depth: int) -> int:
    """markdown-it-py's inline tokens for a node: a container two and its children's."""
    if depth > _COMPILED_DEPTH:
        raise _Reference
    name = node.name
    if name == "code_inline":
        return 1
    if name in ("strong", "em", "link", "autolink"):
        return 2 + sum(_inline_tokens(child, depth + 1) for child in node.children)
    if name == "image":  # one token, and its alt text's tokens
        return 1 + sum(_inline_tokens(child, depth + 1) for child in node.children)
    return 1
