"""The body by markdown-it-py, the reference parser: its token stream → blocks and inlines.

The structure limits (`convert.limits`) are checked inside the parse, by rules added to
markdown-it, so a hostile body is stopped before it builds more (see below).
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, paragraph
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as _md_image
from markdown_it.token import Token

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

# Link reference definitions never occur in the archive and HTML is text: rules not run.
# Without text_join, backslash escapes and entities stay separate `text_special` tokens, so
# `\_literal\_` is not mistaken for a leftover emphasis marker (inlines.py).
_MD = MarkdownIt("commonmark", {"html": False}).disable(
    ["html_block", "html_inline", "reference", "text_join"]
)
# markdown-it stops at its nesting limit (maxNesting, 20 levels of tokens) and silently drops
# everything after that point, to the end of the seed. So two levels below it (a list opens
# two, list and item) the containers stop: what is deeper is read as plain paragraphs, its
# markers kept as text. Real seeds nest three levels at most; this only meets hostile input.
FLAT_FROM = _MD.options["maxNesting"] - 2


def _flat_when_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.level < FLAT_FROM or silent:
        return False
    return paragraph(state, start, end, silent)


_MD.block.ruler.before("table", "flat_when_deep", _flat_when_deep)

# --- structure limits, checked while markdown-it parses ---------------------------------------
# A 5 MB body of `- x` lines made 6.5 million tokens (3 GB) before anything could count them,
# so the counting happens inside the parse: a block rule that runs first at every block,
# and an inline rule that runs first at every inline step, stop the parse past a limit.


# markdown-it's env keys for the counts
_COUNTED, _BLOCK_COUNT, _ROOM = "convert:counted", "convert:blocks", "convert:room"


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
                raise TooBig(too_many(*BLOCKS), token.map[0] if token.map else None)
    env[_COUNTED], env[_BLOCK_COUNT] = len(tokens), found


def _room_for_inlines(state: StateInline, silent: bool) -> bool:
    # This bounds the parser's memory; the walker counts the elements themselves. They are
    # at least half the tokens (one closing token per opening one at most), so a body past
    # twice MAX_INLINES in tokens is surely past MAX_INLINES in elements.
    if len(state.tokens) > state.env.get(_ROOM, len(state.tokens)):
        raise TooBig(too_many(*INLINES))
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
            except TooBig as exc:
                raise TooBig(exc.reason, token.map[0] if token.map else None) from None
            room = state.env[_ROOM] - len(token.children)
            if room < 0:
                raise TooBig(too_many(*INLINES), token.map[0] if token.map else None)


_MD.block.ruler.before("table", "count_blocks", _count_blocks)
_MD.inline.ruler.before("text", "room_for_inlines", _room_for_inlines)
_MD.inline.ruler.at("image", _counted_image)
_MD.core.ruler.at("inline", _counted_inline)


def parse_reference(
    text: str, base_url: str | None, source: str | None, first_line: int
) -> tuple[Block, ...]:
    """`parse` by markdown-it-py (the text already tidied), with the limits checked in the parse."""
    walker = _TokenWalker(base_url)
    try:
        env: dict = {}
        tokens = _MD.parse(text, env)
        _tally(tokens, env)  # the blocks after the last time the rule ran
        blocks, _ = walker.blocks(tokens, 0, None)
        return tuple(speech_headings(bullet_paragraphs(blocks, walker.items)))
    except TooBig as exc:
        line = walker.line if exc.line is None else exc.line  # walking: the block being read
        raise SeedError(exc.reason, source, None if line is None else first_line + line) from None


class _TokenWalker(Walker):
    """markdown-it-py's token stream → blocks and inlines. One method per token family."""

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
                    out.append(Heading(int(tok.tag[1]), unwrap_strong(inlines)))
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
                inlines = tidy(lines_to_inlines(tok.content))
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
                        raise TooBig(too_many(*ITEMS))
                    items.append(tuple(inner))
            else:
                i += 1
        return ListBlock(ordered, tuple(items), start), i + 1

    def inlines(self, token: Token) -> tuple[Inline, ...]:
        children = token.children or ()
        if len(children) == 1 and children[0].type == "text":  # one plain run: most paragraphs
            return tidy(self.text(children[0].content))
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
        return tidy(stack[0])

    def wrap(self, opener: Token, children: tuple[Inline, ...]) -> list[Inline]:
        if opener.type == "strong_open":
            return [Strong(children)]
        if opener.type == "em_open":
            return [Emphasis(children)]
        url = self.link_url(str(opener.attrGet("href") or ""))
        return [Link(url, children)] if url else list(children)
