"""The body's inline text, shared by both parsers' walkers (convert/reader/tokens.py, tree.py).

The structure limits' error, a text run → inlines (leftover emphasis markers resolved, bare
URLs, hosts and e-mail addresses made links by one linear-time pattern), and the tidying of a
block's inlines (adjacent texts merged, spaces collapsed, ends trimmed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urljoin

from ..limits import MAX_BLOCKS, MAX_INLINES, MAX_LIST_ITEMS, too_many
from ..model import LINK_SCHEMES, Emphasis, Inline, LineBreak, Link, Strong, Text
from ..urls import split as split_url

BLOCKS = ("blocks", MAX_BLOCKS, "paragraphs, headings, lists and their items, quotes, rules")
INLINES = ("inline elements", MAX_INLINES, "text runs, links, bold and italic runs, line breaks")
ITEMS = ("list items", MAX_LIST_ITEMS)


class TooBig(Exception):
    """The body passed a structure limit; `line` is a 0-based line of the body, if known."""

    def __init__(self, reason: str, line: int | None = None, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.offset = offset  # or, from the compiled parser, the UTF-8 offset of the block


_LINK_SCHEMES = LINK_SCHEMES  # one policy for the model, the reader and every format

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


class Walker:
    """What both parsers' walkers share: the limits' counts, texts, link addresses.
    Subclasses turn a parser's output into blocks and inlines."""

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
            raise TooBig(too_many(*INLINES))

    def text(self, content: str, linkify: bool = True) -> list[Inline]:
        made = _text(content, linkify)
        self.made(len(made))
        return made

    def link_url(self, href: str) -> str | None:
        """The address a link keeps: absolute, of a scheme in _LINK_SCHEMES, and one every
        exporter can take apart (`convert.urls`). None otherwise: the words stay, as text."""
        href = href.strip()
        parts = split_url(href) if href else None
        if parts is not None and not parts.scheme and self.base_url:
            href = urljoin(self.base_url, href)
            parts = split_url(href)
        return href if parts is not None and parts.scheme.lower() in _LINK_SCHEMES else None


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
            raise TooBig(too_many(*INLINES))
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


def lines_to_inlines(content: str) -> list[Inline]:
    out: list[Inline] = []
    for n, line in enumerate(content.rstrip("\n").split("\n")):
        if n:
            out.append(LineBreak())
        out.append(Text(line.strip()))
    return out


# --- inline tidying -------------------------------------------------------------------


def tidy(inlines: Sequence[Inline]) -> tuple[Inline, ...]:
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


def unwrap_strong(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """`## **What is a hate crime?**`: a heading is already bold."""
    if len(inlines) == 1 and isinstance(inlines[0], Strong):
        return inlines[0].inlines
    return inlines
