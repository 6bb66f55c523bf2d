"""The seed body (Markdown converted from a web page) → model blocks, via markdown-it-py.

CommonMark, with three deliberate differences that the archive calls for:

- raw HTML is text, never markup (`html` off), and links are only http(s), mailto and tel;
- bare URLs, `www.` and `name.police.uk` hosts and e-mail addresses become links. This is
  linkify-it-py's job in markdown-it, but it costs about a millisecond an article (measured),
  more than all the rest of the reader; one compiled pattern does it here instead;
- a soft line break is a `LineBreak`: the converter wrote one newline per `<br>`, so line
  structure is real (address blocks, `Contact details:` lines, lists typed with `•`);
- scrape artefacts are tidied: empty bold (`****`, `** **`), empty headings, paragraphs of
  lines that start with `•` or an escaped `\\-` become lists, and headings that are really
  quoted speech (Lancashire's `#### Sgt X said: “...`) become quotes.

The body is untrusted: every pattern here runs in time linear in the text (no quantifier can
re-scan what another already took), and the structure built is capped (`convert.limits`):
markdown-it is stopped as soon as the body passes a limit, before it builds more.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Any
from urllib.parse import urljoin

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.rules_block import StateBlock, paragraph
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as _md_image
from markdown_it.token import Token

from ..limits import MAX_BLOCKS, MAX_BODY_CHARS, MAX_INLINES, MAX_LIST_ITEMS, too_many
from ..model import (
    LINK_SCHEMES,
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
from ..text import plain
from ..urls import split as split_url
from . import speakers
from .errors import SeedError
from .lines import join_lines, lines

# Link reference definitions never occur in the archive and HTML is text: rules not run.
# Without text_join, backslash escapes and entities stay separate `text_special` tokens, so
# `\_literal\_` is not mistaken for a leftover emphasis marker below.
_MD = MarkdownIt("commonmark", {"html": False}).disable(
    ["html_block", "html_inline", "reference", "text_join"]
)
# markdown-it stops at its nesting limit (maxNesting, 20 levels of tokens) and silently drops
# everything after that point, to the end of the seed. So two levels below it (a list opens
# two, list and item) the containers stop: what is deeper is read as plain paragraphs, its
# markers kept as text. Real seeds nest three levels at most; this only meets hostile input.
_FLAT_FROM = _MD.options["maxNesting"] - 2


def _flat_when_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.level < _FLAT_FROM or silent:
        return False
    return paragraph(state, start, end, silent)


_MD.block.ruler.before("table", "flat_when_deep", _flat_when_deep)

# --- structure limits, checked while markdown-it parses ---------------------------------------
# A 5 MB body of `- x` lines made 6.5 million tokens (3 GB) before anything could count them,
# so the counting happens inside the parse: a block rule that runs first at every block,
# and an inline rule that runs first at every inline step, stop the parse past a limit.

_BLOCKS = ("blocks", MAX_BLOCKS, "paragraphs, headings, lists and their items, quotes, rules")
_INLINES = ("inline elements", MAX_INLINES, "text runs, links, bold and italic runs, line breaks")
_ITEMS = ("list items", MAX_LIST_ITEMS)
# markdown-it's env keys for the counts
_COUNTED, _BLOCK_COUNT, _ROOM = "convert:counted", "convert:blocks", "convert:room"


class _TooBig(Exception):
    """The body passed a structure limit; `line` is a 0-based line of the body, if known."""

    def __init__(self, reason: str, line: int | None = None, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.offset = offset  # or, from the compiled parser, the UTF-8 offset of the block


def _count_blocks(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule that matches nothing: it counts the blocks made since it last ran."""
    _tally(state.tokens, state.env)
    return False


def _tally(tokens: list[Token], env: MutableMapping[str, Any]) -> None:
    """Count the blocks (opening tokens and leaves) in `tokens` past those counted before."""
    counted = env.get(_COUNTED, 0)
    if len(tokens) <= counted:
        return
    found = env.get(_BLOCK_COUNT, 0)
    for token in tokens[counted:]:
        if token.nesting == 1 or token.type in ("hr", "code_block", "fence", "html_block"):
            found += 1
            if found > MAX_BLOCKS:
                raise _TooBig(too_many(*_BLOCKS), token.map[0] if token.map else None)
    env[_COUNTED], env[_BLOCK_COUNT] = len(tokens), found


def _room_for_inlines(state: StateInline, silent: bool) -> bool:
    # This bounds the parser's memory; the walker counts the elements themselves. They are
    # at least half the tokens (one closing token per opening one at most), so a body past
    # twice MAX_INLINES in tokens is surely past MAX_INLINES in elements.
    if len(state.tokens) > state.env.get(_ROOM, len(state.tokens)):
        raise _TooBig(too_many(*_INLINES))
    return False


def _counted_image(state: StateInline, silent: bool) -> bool:
    """markdown-it's image rule; the tokens of its alt text (a list of their own) use room."""
    found = _md_image(state, silent)
    if found and not silent and _ROOM in state.env:
        state.env[_ROOM] -= len(state.tokens[-1].children or ())
    return found


def _counted_inline(state: StateCore) -> None:
    """markdown-it's core `inline` rule (inline-parse each block's text), with the room left
    for inline tokens set before each block and the block's line given to an error."""
    room = 2 * MAX_INLINES
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            state.env[_ROOM] = room
            try:
                state.md.inline.parse(token.content, state.md, state.env, token.children)
            except _TooBig as exc:
                raise _TooBig(exc.reason, token.map[0] if token.map else None) from None
            room = state.env[_ROOM] - len(token.children)
            if room < 0:
                raise _TooBig(too_many(*_INLINES), token.map[0] if token.map else None)


_MD.block.ruler.before("table", "count_blocks", _count_blocks)
_MD.inline.ruler.before("text", "room_for_inlines", _room_for_inlines)
_MD.inline.ruler.at("image", _counted_image)
_MD.core.ruler.at("inline", _counted_inline)

_LINK_SCHEMES = LINK_SCHEMES  # one policy for the model, the reader and every format
# Whole lines that are empty emphasis: `****`, `** **`, `__`, `** `. CommonMark would make
# `****` a thematic break; on these pages it was an empty <strong>.
_EMPTY_MARK_LINE = re.compile(r"^[ \t]*(?:\*\*[ \t]*\*\*|__[ \t]*__|\*\*|__)[ \t]*$", re.MULTILINE)
# Emphasis markers CommonMark left as text because of a space inside them, e.g.
# `** 5220174585 **`, `**Reporting hate crime **`, `_Published on 30 November 2020. _`: what the
# page meant was bold / italic text. A run of stars still left over (`**We are`, `** **`) is an
# artefact and goes, unless a letter precedes it (`f***`, censored).
_LOOSE_MARKS = re.compile(
    r"\*\*[ \t]*(?P<strong>[^*\s](?:[^*\n]*?[^*\s])?)[ \t]*\*\*"
    r"|(?<!\w)_[ \t]*(?P<em>[^_\s](?:[^_\n]*?[^_\s])?)[ \t]*_(?!\w)"
)
_STRAY_STARS = re.compile(r"(?<![\w*])\*{2,}")
_EMPTY_BOLD = re.compile(r"\*\*([ \t]*)\*\*")  # `** **` inside a line: an empty <strong>
# A bold line whose closing `**` the scrape put at the start of the next line, before a space
# (`**Statement from ACC Tim Smith.⏎** **Officer in charge.**`): the mark goes back to the end
# of its own line, so both lines are bold. Linear: each line is scanned once, from its start.
_CLOSE_ON_NEXT_LINE = re.compile(r"^([ \t]*\*\*[^*\s][^*\n]*)\n\*\*(?=[ \t])", re.MULTILINE)
# Top-level domains a bare host name (`cambs.police.uk/report`) may end in.
_TLDS = ("uk", "com", "org", "net", "gov", "info", "eu", "ie", "scot", "wales", "cymru", "io", "tv", "me")
# Linear time: an e-mail address or a host name is tried only from the first character of a
# run of the characters it is made of (the look-behinds), not again from every `\b` inside
# the run, and nothing inside a run is re-tried (`*+`, possessive). The old pattern tried
# each `a.` of a 40 KB `a.a.a....` run and scanned to its end each time: 48 s.
_LABEL = r"[A-Za-z0-9][A-Za-z0-9-]*+(?<!-)"  # a DNS label, no backtracking inside it
_LINKABLE = re.compile(
    rf"(?<![\w.%+-])[.%+-]*+(?P<email>[A-Za-z0-9][A-Za-z0-9._%+-]*+@(?:{_LABEL}\.)+[A-Za-z]{{2,24}}\b)"
    r"|(?P<url>\b(?:(?:https?|ftp)://|www\.)[^\s<>\"“”‘’]++)"
    rf"|(?<![\w.-])[.-]*+(?P<host>(?:{_LABEL}\.)+(?:{'|'.join(_TLDS)})\b(?:/[^\s<>\"“”‘’]*+)?)"
)
# Cheap tests first: scanning every text with _LINKABLE costs more than parsing it.
_TLD_DOT = re.compile(rf"\.(?:{'|'.join(_TLDS)})\b")
_URL_TAIL = ".,;:!?'\"*"
_SPACES = re.compile(r"[ \t]{2,}")
_BULLET = re.compile(r"^[ \t]*(?:•[ \t]*|-[ \t]+)(?=\S)")
_SPEECH_START = tuple("“\"‘'")


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
_RS = (
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
# A tree this deep goes to the reference, which flattens containers at _FLAT_FROM levels.
_COMPILED_DEPTH = _FLAT_FROM - 2
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


def parse(
    text: str, base_url: str | None = None, source: str | None = None, first_line: int = 1
) -> tuple[Block, ...]:
    """Markdown → blocks. `base_url` resolves relative links. A body past a structure limit
    (`convert.limits`) is a `SeedError` naming `source` and, where known, the line (the body
    starts on the seed's line `first_line`)."""
    if len(text) > MAX_BODY_CHARS:
        reason = f"the body is too long ({len(text):,} characters; the limit is {MAX_BODY_CHARS:,})"
        raise SeedError(reason, source)
    text = _EMPTY_MARK_LINE.sub("", text.replace("\xa0", " "))
    if "\n** " in text or "\n**\t" in text:
        text = _CLOSE_ON_NEXT_LINE.sub("\\1**\n", text)
    if _RS is not None:
        blocks = _parse_compiled(text, base_url, source, first_line)
        if blocks is not None:
            return blocks
    return _parse_reference(text, base_url, source, first_line)


def _parse_compiled(
    text: str, base_url: str | None, source: str | None, first_line: int
) -> tuple[Block, ...] | None:
    """`parse` by markdown-it-pyrs (the text already tidied), or None: the reference must read it."""
    # markdown-it-py's own normalisation, which markdown-it-pyrs lacks
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if _RS is None or not _fits_compiled(text):
        return None
    walker = _TreeWalker(base_url, text)
    try:
        try:
            tree = _RS.tree(text)
        except BaseException as exc:  # pyo3's PanicException is a BaseException
            if type(exc).__name__ == "PanicException":
                raise _Reference from None
            raise
        blocks = walker.read(tree)
        return tuple(_speech_headings(_bullet_paragraphs(blocks, walker.items)))
    except _TooBig as exc:
        line = walker.line_of(exc.offset)
        raise SeedError(exc.reason, source, None if line is None else first_line + line) from None
    except _Reference:
        return None


def _parse_reference(
    text: str, base_url: str | None, source: str | None, first_line: int
) -> tuple[Block, ...]:
    """`parse` by markdown-it-py (the text already tidied), with the limits checked in the parse."""
    walker = _Walker(base_url)
    try:
        env: dict = {}
        tokens = _MD.parse(text, env)
        _tally(tokens, env)  # the blocks after the last time the rule ran
        blocks, _ = walker.blocks(tokens, 0, None)
        return tuple(_speech_headings(_bullet_paragraphs(blocks, walker.items)))
    except _TooBig as exc:
        line = walker.line if exc.line is None else exc.line  # walking: the block being read
        raise SeedError(exc.reason, source, None if line is None else first_line + line) from None


class _Walker:
    """Token stream → blocks and inlines. One method per token family."""

    def __init__(self, base_url: str | None) -> None:
        # A base that does not parse resolves nothing (urljoin would raise on it).
        self.base_url = base_url if base_url and split_url(base_url) is not None else None
        self.room = MAX_INLINES  # inline elements this body may still make
        self.items = 0  # list items so far
        self.line: int | None = None  # the body line of the block being read, for errors

    def made(self, count: int) -> None:
        """`count` more inline elements in the body (counted before adjacent texts merge)."""
        self.room -= count
        if self.room < 0:
            raise _TooBig(too_many(*_INLINES))

    def text(self, content: str, linkify: bool = True) -> list[Inline]:
        made = _text(content, linkify)
        self.made(len(made))
        return made

    def blocks(self, tokens: Sequence[Token], i: int, close: str | None) -> tuple[list[Block], int]:
        out: list[Block] = []
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == close:
                return out, i + 1
            if tok.map:
                self.line = tok.map[0]
            if kind == "paragraph_open":
                inlines = self.inlines(tokens[i + 1])
                if inlines:
                    out.append(Paragraph(inlines))
                i += 3
            elif kind == "heading_open":
                inlines = self.inlines(tokens[i + 1])
                if inlines:
                    out.append(Heading(int(tok.tag[1]), _unwrap_strong(inlines)))
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                block, i = self.list_block(tokens, i)
                if block.items:
                    out.append(block)
            elif kind == "blockquote_open":
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                if inner:
                    out.append(Quote(tuple(inner)))
            elif kind == "hr":
                out.append(Rule())
                i += 1
            elif kind in ("code_block", "fence", "html_block"):
                # Indented text is an accident of the scrape, not code: keep it as lines.
                self.made(2 * tok.content.count("\n") + 1)  # a text and a break a line
                inlines = _tidy(_lines_to_inlines(tok.content))
                if inlines:
                    out.append(Paragraph(inlines))
                i += 1
            else:  # a stray close token, or one this walker does not model
                i += 1
        return out, i

    def list_block(self, tokens: Sequence[Token], i: int) -> tuple[ListBlock, int]:
        opener = tokens[i]
        ordered = opener.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        given = opener.attrGet("start") if ordered else None  # absent when it is 1
        start = 1 if given is None else int(given)
        items: list[tuple[Block, ...]] = []
        i += 1
        while i < len(tokens) and tokens[i].type != close:
            if tokens[i].type == "list_item_open":
                inner, i = self.blocks(tokens, i + 1, "list_item_close")
                if inner:
                    self.items += 1
                    if self.items > MAX_LIST_ITEMS:
                        raise _TooBig(too_many(*_ITEMS))
                    items.append(tuple(inner))
            else:
                i += 1
        return ListBlock(ordered, tuple(items), start), i + 1

    def inlines(self, token: Token) -> tuple[Inline, ...]:
        children = token.children or ()
        if len(children) == 1 and children[0].type == "text":  # one plain run: most paragraphs
            return _tidy(self.text(children[0].content))
        stack: list[list[Inline]] = [[]]
        opened: list[Token] = []
        links = 0  # open links: no links inside links
        count = 0  # elements made here (self.text counts its own)
        for child in children:
            kind = child.type
            if kind == "text":
                stack[-1].extend(self.text(child.content, linkify=not links))
            elif kind == "text_special":  # an escaped character or an entity: literal
                stack[-1].append(Text(child.content))
                count += 1
            elif kind in ("softbreak", "hardbreak"):
                stack[-1].append(LineBreak())
                count += 1
            elif kind in ("strong_open", "em_open", "link_open"):
                stack.append([])
                opened.append(child)
                links += kind == "link_open"
                count += 1
            elif kind in ("strong_close", "em_close", "link_close") and opened:
                inner = tuple(stack.pop())
                links -= kind == "link_close"
                stack[-1].extend(self.wrap(opened.pop(), inner))
            elif kind in ("code_inline", "html_inline"):
                stack[-1].append(Text(child.content))
                count += 1
            elif kind == "image":
                stack[-1].extend(self.text(child.content))
        self.made(count)
        while opened:  # unbalanced input: keep the text, drop the mark
            unclosed = stack.pop()
            opened.pop()
            stack[-1].extend(unclosed)
        return _tidy(stack[0])

    def wrap(self, opener: Token, children: tuple[Inline, ...]) -> list[Inline]:
        if opener.type == "strong_open":
            return [Strong(children)]
        if opener.type == "em_open":
            return [Emphasis(children)]
        url = self.link_url(str(opener.attrGet("href") or ""))
        return [Link(url, children)] if url else list(children)

    def link_url(self, href: str) -> str | None:
        """The address a link keeps: absolute, of a scheme in _LINK_SCHEMES, and one every
        exporter can take apart (`convert.urls`). None otherwise: the words stay, as text."""
        href = href.strip()
        parts = split_url(href) if href else None
        if parts is not None and not parts.scheme and self.base_url:
            href = urljoin(self.base_url, href)
            parts = split_url(href)
        return href if parts is not None and parts.scheme.lower() in _LINK_SCHEMES else None


class _TreeWalker(_Walker):
    """markdown-it-pyrs's node tree → the blocks and inlines `_Walker` makes of markdown-it-py's
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
                raise _TooBig(too_many(*_INLINES), offset=_start(node))

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
            raise _TooBig(too_many(*_BLOCKS), offset=_start(node))

    def blocks(self, nodes: Sequence[Any]) -> list[Block]:  # type: ignore[override]
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
                    out.append(Heading(node.meta["level"], _unwrap_strong(inlines)))
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
                inlines = _tidy(_lines_to_inlines(content))
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
                    raise _TooBig(too_many(*_ITEMS))
                items.append(tuple(inner))
        return ListBlock(ordered, tuple(items), int(start))

    def inlines(self, nodes: Sequence[Any]) -> tuple[Inline, ...]:  # type: ignore[override]
        if len(nodes) == 1 and nodes[0].name == "text":  # one plain run: most paragraphs
            return _tidy(self.text(nodes[0].meta["content"]))
        out: list[Inline] = []
        self.made(self.tree_inlines(nodes, out, False))
        return _tidy(out)

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


def _text(content: str, linkify: bool = True) -> list[Inline]:
    """A text token's content: leftover emphasis markers resolved, bare links made links."""
    if "*" not in content and "_" not in content:
        return _plain_text(content, linkify)
    out: list[Inline] = []
    pos = 0
    # Pairs first, then empty bold: in `** Andy County Line** **` the `** **` is a closing mark
    # and a stray one, and taking it for an empty <strong> left the line plain while the same
    # lead-in without the stray mark was bold.
    for match in _LOOSE_MARKS.finditer(content):
        out.extend(_plain_text(content[pos : match.start()], linkify))
        inner = _plain_text(match.group("strong") or match.group("em"), linkify)
        out.append(Strong(tuple(inner)) if match.group("strong") else Emphasis(tuple(inner)))
        pos = match.end()
        if content[pos : pos + 1].isalnum():  # `crime? **We work`: the space was inside the mark
            out.append(Text(" "))
    out.extend(_plain_text(content[pos:], linkify))
    return out


def _plain_text(text: str, linkify: bool) -> list[Inline]:
    if "**" in text:
        text = _STRAY_STARS.sub("", _EMPTY_BOLD.sub(lambda m: " " if m.group(1) else "", text))
    return _linkify(text) if linkify else [Text(text)]


def _linkify(text: str) -> list[Inline]:
    if "@" not in text and "://" not in text and _TLD_DOT.search(text) is None:
        return [Text(text)]
    out: list[Inline] = []
    pos = 0
    for match in _LINKABLE.finditer(text):
        kind = match.lastgroup or "url"
        start = match.start(kind)
        found = _trim_url(match.group(kind))
        if kind == "email":
            url = "mailto:" + found
        elif kind == "url" and not found.lower().startswith("www."):
            url = found
        else:
            url = "http://" + found
        if not found or found.lower() in ("www.", "http://", "https://") or split_url(url) is None:
            continue  # an address no exporter could take apart stays text
        out.append(Text(text[pos:start]))
        out.append(Link(url, (Text(found),)))
        pos = start + len(found)
        if len(out) > 2 * MAX_INLINES:  # stop here: the body is past the limit anyway
            raise _TooBig(too_many(*_INLINES))
    out.append(Text(text[pos:]))
    return out


_CLOSING = {")": "(", "]": "["}


def _trim_url(url: str) -> str:
    """Trailing punctuation belongs to the sentence; a closing `)` or `]` too, unless an
    opening one in the URL is waiting for it (`[www.amazon.uk]`, `(see www.x.uk/a_(b))`)."""
    end = len(url)
    unmatched = {close: url.count(close) - url.count(open_) for close, open_ in _CLOSING.items()}
    while end:
        last = url[end - 1]
        if last in _URL_TAIL:
            end -= 1
        elif unmatched.get(last, 0) > 0:
            unmatched[last] -= 1
            end -= 1
        else:
            break
    return url[:end]


def _lines_to_inlines(content: str) -> list[Inline]:
    out: list[Inline] = []
    for n, line in enumerate(content.rstrip("\n").split("\n")):
        if n:
            out.append(LineBreak())
        out.append(Text(line.strip()))
    return out


# --- inline tidying -------------------------------------------------------------------


def _tidy(inlines: Sequence[Inline]) -> tuple[Inline, ...]:
    """Merge adjacent text, drop empty marks, collapse spaces, trim the ends and around breaks."""
    merged = _merge(inlines)
    return tuple(_trim(merged))


def _merge(inlines: Sequence[Inline]) -> list[Inline]:
    out: list[Inline] = []
    run: list[str] = []  # adjacent texts, joined once: joining pairwise was quadratic
    for node in inlines:
        if isinstance(node, Strong | Emphasis):
            children = _merge(node.inlines)
            if not _has_text(children):  # `** **` → whatever space it held
                node = Text(" ") if children else Text("")
            else:
                node = type(node)(tuple(children))
        elif isinstance(node, Link):
            node = Link(node.url, tuple(_merge(node.inlines)) or (Text(node.url),))
        if isinstance(node, Text):
            if node.text:
                run.append(node.text)
            continue
        if run:
            out.append(Text(_squeeze("".join(run))))
            run = []
        out.append(node)
    if run:
        out.append(Text(_squeeze("".join(run))))
    return out


def _squeeze(text: str) -> str:
    """Runs of spaces and tabs → one space (HTML collapsed them; the scrape kept some)."""
    if "  " in text or "\t" in text:
        return _SPACES.sub(" ", text)
    return text


def _has_text(inlines: Sequence[Inline]) -> bool:
    for node in inlines:
        if isinstance(node, Text):
            if node.text.strip():
                return True
        elif isinstance(node, Strong | Emphasis | Link) and _has_text(node.inlines):
            return True
    return False


def _trim(inlines: list[Inline]) -> list[Inline]:
    """No space at either end, none next to a line break, no leading/trailing/double breaks."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, LineBreak):
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text.rstrip())
                if not out[-1].text:
                    out.pop()
            if out and not isinstance(out[-1], LineBreak):
                out.append(node)
            continue
        if isinstance(node, Text) and (not out or isinstance(out[-1], LineBreak)):
            node = Text(node.text.lstrip())
            if not node.text:
                continue
        out.append(node)
    while out and isinstance(out[-1], LineBreak):
        out.pop()
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
        if not out[-1].text:
            out.pop()
    return out


def _unwrap_strong(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """`## **What is a hate crime?**`: a heading is already bold."""
    if len(inlines) == 1 and isinstance(inlines[0], Strong):
        return inlines[0].inlines
    return inlines


# --- typed bullets and speech headings ------------------------------------------------


def _strip_bullet(line: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
    """The line without its `•` / `-` marker, or None if it does not start with one."""
    if not line or not isinstance(line[0], Text):
        return None
    match = _BULLET.match(line[0].text)
    if match is None:
        return None
    rest = line[0].text[match.end() :]
    return ((Text(rest),) if rest else ()) + line[1:]


def _bullet_paragraphs(blocks: list[Block], items: int = 0) -> list[Block]:
    """Lines typed as `• item` or `\\- item` become list items (adjacent ones one list).
    `items`: list items the body has already, for the limit."""
    out: list[Block] = []
    typed: list[tuple[Block, ...]] | None = None  # the items of the list `out` ends with

    def close_list() -> None:
        nonlocal typed
        if typed is not None:
            out.append(ListBlock(False, tuple(typed)))
            typed = None

    for block in blocks:
        if not isinstance(block, Paragraph):
            close_list()
            out.append(block)
            continue
        pending: list[tuple[Inline, ...]] = []
        for line in lines(block.inlines):
            item = _strip_bullet(line)
            if item is None:
                pending.append(line)
                continue
            if pending:
                close_list()
                out.append(Paragraph(join_lines(pending)))
                pending = []
            items += 1
            if items > MAX_LIST_ITEMS:
                raise _TooBig(too_many(*_ITEMS))
            if typed is None:
                typed = []
            typed.append((Paragraph(item),))
        if pending:
            close_list()
            out.append(Paragraph(join_lines(pending)))
    close_list()
    return out


def _speech_headings(blocks: list[Block]) -> Iterator[Block]:
    """Headings that hold quoted speech are a quote; consecutive ones are one quote."""
    speech: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and _is_speech(block):
            speech.append(Paragraph(block.inlines))
            continue
        if speech:
            yield Quote(tuple(speech))
            speech = []
        yield block
    if speech:
        yield Quote(tuple(speech))


def _is_speech(heading: Heading) -> bool:
    text = plain(heading.inlines).lstrip()
    return text.startswith(_SPEECH_START) or speakers.introduces_speech(text)
