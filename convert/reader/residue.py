"""Scraped web residue, repaired as the seed is read so every format and the JSON model are clean.

What the scrape left in the archive, each kind counted in a `Repairs` (which `-v` prints per seed
and `make corpus-report` adds up):

- HTML markup escaped once or more (`&amp;lt;img alt="…" src="…"&amp;gt;`), and in header fields
  raw markup too: the tags of known HTML elements go, their text stays; double-escaped entities
  (`&amp;#039;`, `Lancaster &amp;amp; Morecambe`) are unescaped until stable (at most `_ROUNDS`
  times);
- private-use characters (Wingdings and Symbol bullets such as U+F076, U+F0B7): a line starting
  with one becomes a `•` list item, any other one goes (no font has a glyph for it);
- Cloudflare's e-mail obfuscation (`[email protected]`): the address is not in the seed. A label
  and the placeholder alone (`Email – [email protected]`, `Email: [email protected]` within a
  line) say nothing and go, the whole line when nothing else is on it; elsewhere the placeholder
  says the address is missing in the words of a reader's copy, not a tool's: `or email (address
  not available) quoting ...`, `write to (e-mail address not available)`;
- link furniture: `(opens in a new window)`, `(link is external)` after a link's words;
- a paragraph of nothing but punctuation (`available\n\n.`): a full stop, `!`, `?` or `…` ends
  the paragraph before it when that one has no end punctuation, any other goes;
- web widgets (`Updated News Post`, the map's `Location search controls` and `Please enable
  JavaScript to view the map`, PSNI's `More Images from this story` and the gallery numbers
  listed under it, `02 03 05` runs);
- bidi and zero-width controls (U+200E, U+202A/U+202C around an e-mail address) are dropped,
  except on a line with right-to-left script, and joiners next to a character of a script or
  emoji sequence that needs them;
- `said:"We` gets its space back.

Every pattern here is linear: each repeat is bounded or over a single character class, and no two
repeats can match the same text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from html.entities import html5

from ..model import Block, Emphasis, Heading, Inline, Link, ListBlock, Paragraph, Quote, Strong, Text
from ..text import plain
from .decode import clean_value
from .lines import join_lines, lines

# kind → (verb, one, many): what `-v` says, e.g. "removed 3 web-widget lines"
KINDS: dict[str, tuple[str, str, str]] = {
    "tags": ("removed", "HTML tag", "HTML tags"),
    "widgets": ("removed", "web-widget line", "web-widget lines"),
    "gallery": ("removed", "gallery number", "gallery numbers"),
    "controls": ("removed", "bidi/zero-width control", "bidi/zero-width controls"),
    "private-use": ("removed", "private-use character", "private-use characters"),
    "captions": ("removed", "doubled speaker caption", "doubled speaker captions"),
    "picture-captions": ("removed", "picture caption", "picture captions"),
    "sign-offs": ("removed", "press officer's initials", "press officers' initials"),
    "entities": ("decoded", "HTML entity", "HTML entities"),
    "bullets": ("made list items of", "private-use bullet", "private-use bullets"),
    "cloudflare": ("replaced", "Cloudflare e-mail placeholder", "Cloudflare e-mail placeholders"),
    "cloudflare-labels": ("removed", "e-mail label with no address", "e-mail labels with no address"),
    "link-notes": ("removed", "link note", "link notes"),
    "punctuation": ("removed", "paragraph of bare punctuation", "paragraphs of bare punctuation"),
    "speech-space": ("put back", "space after said:", "spaces after said:"),
}
# The body's structure repaired by `clean` (counted in the same `Repairs`, said after the residue).
STRUCTURE_KINDS: dict[str, tuple[str, str, str]] = {
    "leading-tag": ("removed", "leading tag", "leading tags"),
    "headline-repeat": ("removed", "repeated headline", "repeated headlines"),
    "doubled": ("removed", "doubled paragraph", "doubled paragraphs"),
    "nested-headings": ("made paragraphs of", "heading in a list item", "headings in list items"),
    "sentence-headings": ("made paragraphs of", "sentence typed as a heading", "sentences typed as headings"),
    "run-together": ("split", "paragraph at its line breaks", "paragraphs at their line breaks"),
}
# A `Repairs` also counts "publisher" (the area's force filled in): not residue, so not described.

CLOUDFLARE_TEXT = "(e-mail address not available)"
CLOUDFLARE_AFTER_EMAIL = "(address not available)"  # after "email": "or email (address not available)"
_ROUNDS = 4  # unescaping stops here even if the text still changes (`&amp;` nested 5 deep)


class Repairs(Counter[str]):
    """How many repairs of each kind one seed needed."""

    def add(self, kind: str, n: int = 1) -> None:
        if n:
            self[kind] += n

    def describe(self) -> str:
        """`removed 3 web-widget lines, 2 bidi/zero-width controls; decoded 1 HTML entity`."""
        groups: dict[str, list[str]] = {}
        for kind, (verb, one, many) in (*KINDS.items(), *STRUCTURE_KINDS.items()):
            n = self[kind]
            if n:
                groups.setdefault(verb, []).append(f"{n} {one if n == 1 else many}")
        return "; ".join(f"{verb} {', '.join(parts)}" for verb, parts in groups.items())


# --- patterns ------------------------------------------------------------------------------

# Element names a tag must have to be removed: a `<` before anything else (`<18`, `<3`) is text.
_ELEMENTS = (
    "a|abbr|b|big|blockquote|body|br|button|caption|center|cite|code|col|dd|del|div|dl|dt|em|embed"
    "|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|label|li"
    "|link|meta|nav|noscript|object|ol|option|p|param|picture|pre|s|script|section|select|small"
    "|source|span|strike|strong|style|sub|sup|svg|table|tbody|td|textarea|tfoot|th|thead|time|title"
    "|tr|tt|u|ul|video|wbr"
)
# Inline elements go without a trace (`Gedling<b>'s</b>`); the others leave a space.
_INLINE_ELEMENTS = frozenset(
    {"a", "abbr", "b", "big", "cite", "code", "del", "em", "font", "i", "ins", "s", "small", "span"}
    | {"strike", "strong", "sub", "sup", "tt", "u"}
)
_LT = r"(?:<|&(?:amp;){0,8}lt;)"
_GT = r"(?:>|&(?:amp;){0,8}gt;)"
# Inside a tag: any character but a bracket, a newline or the start of an escaped bracket, so a
# tag that never closes is given up at the next bracket (each character is scanned a bounded
# number of times).
_TAG_REST = (
    rf"(?P<close>/?)(?P<name>{_ELEMENTS})(?=[\s/>&])"
    rf"(?:[^<>&\n]|&(?!(?:amp;){{0,8}}[lg]t;)){{0,2000}}?{_GT}"
)
_TAG = re.compile(_LT + _TAG_REST, re.IGNORECASE)
# In the body only escaped markup is residue: a raw `<b>` there is the seed's own text (the
# Markdown reader never takes HTML as markup), printed as written.
_ESCAPED_TAG = re.compile(r"&(?:amp;){0,8}lt;" + _TAG_REST, re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# `&amp;` before an entity is one escape too many: `&amp;#039;` → `&#039;`.
_OVER_ESCAPED = re.compile(
    r"&(?:amp;){1,8}(?=(?P<entity>[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
)
_PLACEHOLDER = (
    r"\[\[email(?:[ \t\xa0]|&nbsp;|&#160;)protected\]\]\([^()\s]{0,500}\)"
    r"|\[email(?:[ \t\xa0]|&nbsp;|&#160;)protected\](?:\([^()\s]{0,500}\))?"
)
_CLOUDFLARE = re.compile(_PLACEHOLDER, re.IGNORECASE)
# `Email – [email protected]`, `**Email:** [email protected]`: a label (with its colon or dash:
# "or email [email protected]" is a verb and stays) and the placeholder, and the spaces after it.
_CLOUDFLARE_LABEL = re.compile(
    r"(?<![\w@.-])(?:\*\*|__)?(?i:e-?mail(?:[ \t]address)?)[ \t]{0,3}[:–—-](?:\*\*|__)?[ \t\xa0]{1,3}"
    rf"(?i:{_PLACEHOLDER})[ \t]{{0,3}}"
    # then the line's end or the next label ("Write: ..."): "Email – [email protected] or call 101"
    # keeps its label, the sentence needs it
    r"(?=$|[*_]{0,2}[A-Z][A-Za-z]{0,20}(?:[ \t][A-Za-z]{1,20}){0,2}[ \t]?[:–—-])",
    re.MULTILINE,
)
_AFTER_EMAIL = re.compile(r"e-?mail[ \t\xa0:*_–—-]{1,6}$", re.IGNORECASE)
# "call 101 or Email: [email protected]": after a joining word the label is the sentence's.
_JOINED = re.compile(r"\b(?:or|and|via|by|to|at|on)[ \t\xa0*_]{0,6}$", re.IGNORECASE)
_BLANK_LINE = re.compile(r"[ \t*_\-•]{0,20}")
# A link's furniture: "Crimestoppers (opens in a new window)", "the NSPCC (link is external)".
_LINK_NOTE = re.compile(
    r"[ \t\xa0]?\((?:opens?[ \t](?:in[ \t])?(?:an?[ \t])?new[ \t](?:browser[ \t])?(?:window|tab)"
    r"|(?:this[ \t])?link[ \t]is[ \t]external|external[ \t](?:link|site|website))\)",
    re.IGNORECASE,
)
_PRIVATE = "\ue000-\uf8ff"
_BULLET_LINE = re.compile(
    rf"^(?P<lead>[ \t]{{0,12}})(?P<marker>\\?[-*+][ \t]+)?[{_PRIVATE}]+[ \t]*", re.MULTILINE
)
_PRIVATE_CHAR = re.compile(f"[{_PRIVATE}]")
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_JOINERS = "\u200c\u200d\u2060"
_CONTROL = re.compile(f"[{_BIDI}{_JOINERS}]")
_ODD = re.compile(f"[{_BIDI}{_JOINERS}{_PRIVATE}]")  # any of the above: one scan finds if work is due
# Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_SPEECH_COLON = re.compile(
    r"\b(said|says|added|adds|explained|commented|continued|stated|warned|urged|acknowledged|admitted):"
    "(?=[“\"‘'])"
)

# Lines that are a web page's widgets, never an article's words: these whole lines, and any line
# holding the map widget's own phrases.
_WIDGET_LINE = re.compile(
    r"Updated News Post|More Images from this story|Use current location", re.IGNORECASE
)
_WIDGET_PHRASE = re.compile(r"Location search controls|enable JavaScript to view the map", re.IGNORECASE)
_GALLERY_ITEM = re.compile(r"(?:__)?[0-9]{1,3}")
_WIDGET_LONGEST = 700


# --- the body before Markdown: what must go before it is parsed --------------------------------


def before_parse(text: str, repairs: Repairs) -> str:
    """The body text with markup, over-escaped entities, Cloudflare placeholders, private-use
    bullets and stray controls repaired. Tags go first: the linkifier would make a link of
    `src="http://…jpg"`."""
    if "&" in text:
        text = _markup(text, repairs)
    if "protected]" in text:
        text = _cloudflare(text, repairs)
    text = _link_notes(text, repairs)
    if not text.isascii() and _ODD.search(text) is not None:
        text = _private_use(text, repairs)
        text = _controls(text, repairs)
    return text


# A removed block tag leaves this mark, then a space where it parted text from a following word
# (`one<br>two`, `closed?</p><p>A:`) and nothing elsewhere (`</p> <p>`, `</script>;`). Seeds never
# hold it: `decode` removes C0 controls.
_GAP = "\x1f"
_GAP_BETWEEN_WORDS = re.compile(r"(?<=[^\s\x1f])\x1f+(?=[\w“\"‘'(\[])")


def _tag_gap(match: re.Match[str]) -> str:
    return "" if match.group("name").lower() in _INLINE_ELEMENTS else _GAP


def _close_gaps(text: str) -> str:
    return _GAP_BETWEEN_WORDS.sub(" ", text).replace(_GAP, "") if _GAP in text else text


def _markup(text: str, repairs: Repairs) -> str:
    def drop(match: re.Match[str]) -> str:
        repairs.add("tags", 1)
        return _tag_gap(match)

    text = _close_gaps(_ESCAPED_TAG.sub(drop, text))
    if "&amp;" in text:

        def unescape_once(match: re.Match[str]) -> str:
            if _is_entity(f"&{match.group('entity')};"):
                repairs.add("entities", 1)
                return "&"
            return match.group()

        text = _OVER_ESCAPED.sub(unescape_once, text)
    return text


def _cloudflare(text: str, repairs: Repairs) -> str:
    """Labels with nothing but a placeholder go (their line too when it is left blank); other
    placeholders say the address is not available."""
    if _CLOUDFLARE_LABEL.search(text) is not None:
        kept = []
        for line in text.split("\n"):
            removed = 0

            def label(match: re.Match[str]) -> str:
                nonlocal removed
                if _JOINED.search(match.string[max(0, match.start() - 12) : match.start()]):
                    return match.group()
                removed += 1
                return ""

            line = _CLOUDFLARE_LABEL.sub(label, line)
            repairs.add("cloudflare-labels", removed)
            if not (removed and _BLANK_LINE.fullmatch(line)):
                kept.append(line)
        text = "\n".join(kept)

    def replace(match: re.Match[str]) -> str:
        repairs.add("cloudflare", 1)
        before = match.string[max(0, match.start() - 12) : match.start()]
        return CLOUDFLARE_AFTER_EMAIL if _AFTER_EMAIL.search(before) else CLOUDFLARE_TEXT

    return _CLOUDFLARE.sub(replace, text)


def _link_notes(text: str, repairs: Repairs) -> str:
    if "(" not in text:
        return text
    lowered = text.lower()  # substring tests: a pattern over every body cost more than the rest
    if "window)" not in lowered and "tab)" not in lowered and "external" not in lowered:
        return text
    text, n = _LINK_NOTE.subn("", text)
    repairs.add("link-notes", n)
    return text


def _is_entity(candidate: str) -> bool:
    if candidate[1] == "#":
        return True
    return candidate[1:] in html5


def _private_use(text: str, repairs: Repairs) -> str:
    def bullet(match: re.Match[str]) -> str:
        repairs.add("bullets", 1)
        return match.group("lead") + (match.group("marker") or "• ")

    text = _BULLET_LINE.sub(bullet, text)
    text, n = _PRIVATE_CHAR.subn("", text)
    repairs.add("private-use", n)
    return text


def _controls(text: str, repairs: Repairs) -> str:
    if _CONTROL.search(text) is None:
        return text
    out = []
    for line in text.split("\n"):
        if _CONTROL.search(line) is not None and _RTL.search(line) is None:
            line = _CONTROL.sub(lambda m: _control(m, repairs), line)
        out.append(line)
    return "\n".join(out)


def _control(match: re.Match[str], repairs: Repairs) -> str:
    """A joiner between letters of a script that joins (Indic, emoji sequences) stays."""
    char = match.group()
    if char in _JOINERS:
        line, i = match.string, match.start()
        before = line[i - 1] if i else ""
        after = line[i + 1] if i + 1 < len(line) else ""
        if (before and ord(before) >= 0x900) or (after and ord(after) >= 0x900):
            return char
    repairs.add("controls", 1)
    return ""


# --- text anywhere: a header field, or a text node of the body -------------------------------


_SPACES = re.compile(r"\s+")
_WHITE_CONTROLS = str.maketrans("\t\n\r\x0b\x0c", "     ")


def _unescape(match: re.Match[str]) -> str:
    """One entity; what no format can hold (`&#12;`, `&shy;`) goes, `&#10;` is a space."""
    return clean_value(html.unescape(match.group())).translate(_WHITE_CONTROLS)


def clean_text(text: str, repairs: Repairs, *, seen: bool = False) -> str:
    """Entities unescaped until stable, then markup, placeholders, private-use characters and
    controls; for text the Markdown parser did not see as such (the header, code blocks,
    backslash-escaped `\\&amp;`). `seen`: body text `before_parse` has had, where only what
    unescaping makes is markup (a raw `<b>` is the seed's text) or needs the character checks."""
    decoded = False
    if "&" in text:
        for _ in range(_ROUNDS):
            real = [e for e in _ENTITY.findall(text) if _is_entity(e)]
            if not real:
                break
            repairs.add("entities", len(real))
            text = _ENTITY.sub(_unescape, text)
            decoded = True
    if "<" in text and (decoded or not seen):
        text, n = _TAG.subn(_tag_gap, text)
        text = _close_gaps(text)
        repairs.add("tags", n)
    if "protected]" in text:
        text = _cloudflare(text, repairs)
    text = _link_notes(text, repairs)
    if _speech_colon(text):
        text, n = _SPEECH_COLON.subn(r"\1: ", text)
        repairs.add("speech-space", n)
    if (decoded or not seen) and not text.isascii() and _ODD.search(text) is not None:
        text, n = _PRIVATE_CHAR.subn("", text)
        repairs.add("private-use", n)
        text = _controls(text, repairs)
    return text


def clean_field(value: str | None, repairs: Repairs) -> str | None:
    """A metadata field: `clean_text`, spaces collapsed, None when nothing is left."""
    if value is None:
        return None
    text = _SPACES.sub(" ", clean_text(value, repairs)).strip()
    return text or None


# --- the body after Markdown --------------------------------------------------------------------


def after_parse(blocks: Sequence[Block], repairs: Repairs) -> tuple[Block, ...]:
    """Text nodes cleaned; widget lines, widget headings and gallery runs removed."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            kept = _paragraph(block, repairs)
            if kept is not None and _bare_punctuation(kept):
                repairs.add("punctuation", 1)
                _end_previous(out, plain(kept.inlines).strip())
            elif kept is not None:
                out.append(kept)
        elif isinstance(block, Heading):
            inlines = _inlines(block.inlines, repairs)
            if _is_widget(plain(inlines).strip()):
                repairs.add("widgets", 1)
                continue
            if inlines:
                out.append(Heading(block.level, inlines))
        elif isinstance(block, ListBlock):
            numbers = _gallery_items(block)
            if numbers:
                repairs.add("gallery", numbers)
                continue
            items = tuple(after_parse(item, repairs) for item in block.items)
            items = tuple(item for item in items if item)
            if items:
                out.append(ListBlock(block.ordered, items, block.start))
        elif isinstance(block, Quote):
            inner = after_parse(block.blocks, repairs)
            if inner:
                out.append(Quote(inner, block.speaker))
        else:
            out.append(block)
    return tuple(out)


def _paragraph(block: Paragraph, repairs: Repairs) -> Paragraph | None:
    inlines = _inlines(block.inlines, repairs)
    text = inlines[0].text if len(inlines) == 1 and isinstance(inlines[0], Text) else plain(inlines)
    if not any(_may_be_widget(line) for line in text.split("\n")):
        return Paragraph(inlines)  # the common case
    kept, dropped = [], False
    for line in lines(inlines):
        words = plain(line).strip()
        if _is_widget(words):
            repairs.add("widgets", 1)
            dropped = True
        elif _is_gallery_line(words):
            repairs.add("gallery", len(words.split()))
            dropped = True
        else:
            kept.append(line)
    if not any(kept):
        return None
    return Paragraph(join_lines(kept)) if dropped else Paragraph(inlines)


_BARE_LONGEST = 5
_SENTENCE_ENDS = frozenset({".", "!", "?", "…", "..."})


def _bare_punctuation(block: Paragraph) -> bool:
    """A paragraph of nothing but punctuation: `.` left on its own line under a sentence."""
    text = plain(block.inlines).strip()
    return 0 < len(text) <= _BARE_LONGEST and all(unicodedata.category(c).startswith("P") for c in text)


def _end_previous(out: list[Block], mark: str) -> None:
    """A full stop (`!`, `?`, `…`) ends the paragraph before it when that one has no end mark."""
    if mark not in _SENTENCE_ENDS or not out or not isinstance(out[-1], Paragraph):
        return
    inlines = out[-1].inlines
    if not inlines or not isinstance(inlines[-1], Text) or not inlines[-1].text[-1:].isalnum():
        return
    out[-1] = Paragraph((*inlines[:-1], Text(inlines[-1].text + mark)))


def _may_be_widget(line: str) -> bool:
    """Cheap tests first: a line that could be a widget or gallery numbers."""
    line = line.lstrip()
    if len(line) > _WIDGET_LONGEST:
        return False
    return line[:1].isdigit() or "ocation" in line or "JavaScript" in line or "News Post" in line or (
        "mages from" in line
    )


def _is_gallery_line(text: str) -> bool:
    """`01 02 03 05`: three or more two-digit numbers and nothing else."""
    numbers = text.split()
    return len(numbers) >= 3 and all(len(n) == 2 and n.isdigit() and n.isascii() for n in numbers)


def _is_widget(text: str) -> bool:
    if len(text) > _WIDGET_LONGEST:
        return False
    return _WIDGET_LINE.fullmatch(text.rstrip(". ")) is not None or _WIDGET_PHRASE.search(text) is not None


def _gallery_items(block: ListBlock) -> int:
    """The number of items when a bullet list is nothing but gallery numbers (`02`, `__4`)."""
    if block.ordered or len(block.items) < 2:
        return 0
    for item in block.items:
        if len(item) != 1 or not isinstance(item[0], Paragraph):
            return 0
        if _GALLERY_ITEM.fullmatch(plain(item[0].inlines).strip()) is None:
            return 0
    return len(block.items)


def _inlines(inlines: Sequence[Inline], repairs: Repairs) -> tuple[Inline, ...]:
    if len(inlines) == 1 and isinstance(inlines[0], Text) and not _may_need(inlines[0].text):
        return tuple(inlines)  # one plain run: most paragraphs
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            text = clean_text(node.text, repairs, seen=True) if _may_need(node.text) else node.text
            if text:
                out.append(Text(text) if text != node.text else node)
        elif isinstance(node, Strong | Emphasis):
            children = _inlines(node.inlines, repairs)
            if children:
                out.append(type(node)(children))
        elif isinstance(node, Link):
            out.append(Link(node.url, _inlines(node.inlines, repairs) or (Text(node.url),)))
        else:
            out.append(node)
    return tuple(out)


def _may_need(text: str) -> bool:
    """Cheap tests first: almost every text node needs nothing."""
    return "&" in text or "<" in text or "protected]" in text or _speech_colon(text)


def _speech_colon(text: str) -> bool:
    return ':"' in text or ":“" in text or ":‘" in text or ":'" in text


# --- what survived: the corpus report's check ------------------------------------------------

def _lists(blocks: Sequence[Block]) -> Iterator[ListBlock]:
    for block in blocks:
        if isinstance(block, ListBlock):
            yield block
            for item in block.items:
                yield from _lists(item)
        elif isinstance(block, Quote):
            yield from _lists(block.blocks)


_SURVIVORS = {
    "tags": re.compile(rf"<(?:/?)(?:{_ELEMENTS})(?=[\s/>])", re.IGNORECASE),
    "entities": _ENTITY,
    "private-use": _PRIVATE_CHAR,
    "controls": _CONTROL,  # as `_controls` judges them: right-to-left lines and joiners in emoji keep theirs
    "cloudflare": re.compile(r"email(?:[ \t\xa0]|&nbsp;|&#160;)protected", re.IGNORECASE),
    "widgets": re.compile(
        r"Updated News Post|More Images from this story|Location search controls|Use current location"
        r"|enable JavaScript to view the map",
        re.IGNORECASE,
    ),
    "speech-space": _SPEECH_COLON,
}


def survivors(texts: Sequence[str], blocks: Sequence[Block] = ()) -> Counter[str]:
    """How many of `texts` still hold residue of each kind (after reading: should be none), and
    gallery lists left in `blocks`. An entity counts only when it is a real one (`B&Bs;` is
    text)."""
    found: Counter[str] = Counter()
    lists = sum(_gallery_items(b) > 0 for b in _lists(blocks))
    lines_ = sum(any(_is_gallery_line(line) for line in text.split("\n")) for text in texts)
    if lists + lines_:
        found["gallery"] = lists + lines_
    for kind, pattern in _SURVIVORS.items():
        for text in texts:
            if kind == "entities":
                hit = any(_is_entity(e) for e in pattern.findall(text))
            elif kind == "controls":
                hit = pattern.search(text) is not None and _controls(text, Repairs()) != text
            else:
                hit = pattern.search(text) is not None
            if hit:
                found[kind] += 1
    return found
