"""British typography for the text every format prints, applied once by the editorial view.

Typographic quotes chosen by context (so the two ends of one quote match), a space restored
after `said:` before a quote and none left before a comma or full stop, en dashes for spaced
hyphens and for time and year ranges, phone numbers and references glued with no-break spaces
so no line breaks inside them, and an all-capitals headline set in sentence case with its
acronyms kept. Every pattern here runs on seed text: each is linear (no nested or overlapping
quantifiers, bounded repeats only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ...model import (
    Block,
    Emphasis,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
)

NBSP = "\u00a0"  # keeps the words either side on one line; bulletins glue with it too

# `said:"We` → `said: "We` (the quote is then curled below).
_SAID = re.compile(r"(?<=\w:)(?=[\"“‘])")
# A hyphen with a space on each side is a dash.
_SPACED_HYPHEN = re.compile(r"(?<= )-(?= )")
# `9am - 5pm`, `9am-5pm`, `9.30am-10pm`, `10:00 - 14:00`: a range of times.
_TIME = r"\d{1,2}(?:[.:]\d{2})?(?:am|pm)"
_TIME_RANGE = re.compile(rf"(?<![\w.:])({_TIME}) ?- ?({_TIME})(?!\w)", re.IGNORECASE)
_CLOCK_RANGE = re.compile(r"(?<![\w.:/])([012]?\d:[0-5]\d) ?- ?([012]?\d:[0-5]\d)(?![\w:/])")
# `2019-2020`, `1972 - 1982`: a range of years (never a date such as 2019-04-11, a phone
# number or a reference such as 37/45092/20, which are not two four-digit years).
_YEAR_RANGE = re.compile(r"(?<![\w/.-])((?:19|20)\d{2}) ?- ?((?:19|20)\d{2})(?![\w/-])")
# UK phone numbers as printed: `0800 555 111`, `07811 311 908`, `01234 567890`, `+44 1234 567890`.
_PHONE = re.compile(r"(?<![\w+])(?:\+44 ?|0)\d{2,4}(?: \d{3,4}){1,2}(?!\w)")

# `Sandgate* , with` (scraped pages space out the words they mark): no space before a comma,
# semicolon, colon, question or exclamation mark, or a full stop, that ends a clause. Only
# from the start of a run of spaces (the lookbehind), so a long run is scanned once.
_SPACE_BEFORE_STOP = re.compile(r"(?<! ) +(?=[,;:!?.](?:\s|$))")

# What every range above needs: a hyphen, maybe a space, then a digit. Searched first (it starts
# with a literal, so it is a fast scan): most texts have hyphens, few have ranges.
_RANGE_HINT = re.compile(r"- ?\d")

# What may stand before an opening quote: nothing, a space, an opening bracket, a dash, `=`.
_OPENERS = frozenset(" \t\n\u00a0([{‘“—–-/=")
_QUOTES = re.compile("[\"']")


def typeset(text: str, before: str = "", glued: Sequence[str] = ()) -> str:
    """`text` with British typography. `before` is the character printed just before it (the
    text of the previous inline), so a quote that opens in one run and closes in another is
    curled the right way; `glued` are strings (references, numbers as printed) to keep whole."""
    if not text:
        return text
    # Each pattern runs only where what it needs is there: these cheap tests are exact
    # necessary conditions, so the result is the same (typesetting was a fifth of a bulletin).
    if (" ," in text or " ." in text or " ;" in text or " :" in text or " !" in text
            or " ?" in text):  # what `_SPACE_BEFORE_STOP` needs: a C scan each, not the pattern
        text = _SPACE_BEFORE_STOP.sub("", text)
    if ":" in text:
        text = _SAID.sub(" ", text)
    if "-" in text:
        if " - " in text:
            text = _SPACED_HYPHEN.sub("–", text)
        if _RANGE_HINT.search(text):
            text = _TIME_RANGE.sub(r"\1–\2", text)
            text = _CLOCK_RANGE.sub(r"\1–\2", text)
            text = _YEAR_RANGE.sub(r"\1–\2", text)
    if '"' in text or "'" in text:
        text = curl(text, before)
    return glue(text, glued)


def curl(text: str, before: str = "") -> str:
    """Straight quotes made typographic by what stands before and after them: `"` opens after
    a space, a bracket or a dash and closes elsewhere; `'` between letters is an apostrophe."""
    out = list(text)
    # Only the quotes are visited (a loop over every character cost more than the rest of the
    # bulletin's typesetting); what stands before one is the text's, or the quote it replaced.
    for match in _QUOTES.finditer(text):
        i = match.start()
        prev = out[i - 1] if i else before[-1:] or " "
        if text[i] == '"':
            out[i] = "“" if prev in _OPENERS else "”"
        else:
            # opening a quote (or a rare `'90s`, which reads the same), else an apostrophe or closing
            out[i] = "‘" if prev in _OPENERS and text[i + 1 : i + 2].isalnum() else "’"
    return "".join(out)


def glue(text: str, glued: Sequence[str] = ()) -> str:
    """Phone numbers and the given strings with their spaces made no-break spaces."""
    if "0" in text or "+44" in text:  # what _PHONE needs: far cheaper than running it
        text = _PHONE.sub(lambda m: m[0].replace(" ", NBSP), text)
    for item in glued:
        if " " in item and item in text:
            text = text.replace(item, item.replace(" ", NBSP))
    return text


# Acronyms a police headline uses that the shape rule below would miss (they have vowels).
ACRONYMS = frozenset(
    [
        "PCSO", "PCSOS", "PSNI", "CCTV", "NHS", "HMRC", "HMIC", "HMICFRS", "IOPC", "DVLA", "ANPR",
        "UK", "USA", "EU", "BBC", "ITV", "RNLI", "RSPCA", "NSPCC", "A&E", "ASB", "COVID", "COVID-19",
        "OAP", "CPS", "NCA", "MP", "MPS", "GMP", "BTP", "PC", "PCS", "DC", "DCI", "DI", "DS", "DSU",
        "ACC", "DCC", "QC", "KC", "MBE", "OBE", "CBE", "QPM", "UAV", "EV", "SUV", "HGV", "LGV", "ATM",
        "ID", "ISIS", "IRA", "UN",
    ]
)
_VOWELS = frozenset("AEIOUY")
_TITLES = {"MR": "Mr", "MRS": "Mrs", "MS": "Ms", "DR": "Dr", "ST": "St"}  # no vowel, not acronyms


def sentence_case(headline: str, names: Iterable[str] = ()) -> str:
    """An all-capitals headline in sentence case; any other headline as it is. Acronyms stay
    in capitals: the known ones, words with a digit (`M62`, `A1(M)`), and short words without a
    vowel (`PSNI` is known, `RTC` is found). Words of `names` (the area, the publisher) keep
    their capital; a proper noun found nowhere reads lower-case, which is still readable."""
    letters = [c for c in headline if c.isalpha()]
    if len(letters) < 4 or any(c.islower() for c in letters):
        return headline
    proper = {w.upper(): w for name in names for w in name.split() if w[:1].isupper() and len(w) > 2}
    words = headline.split(" ")
    out = []
    for i, word in enumerate(words):
        core = word.strip("“”‘’\"'()[],.:;!?")
        if core in _TITLES:
            out.append(word.replace(core, _TITLES[core]))
        elif core.upper() in ACRONYMS or _acronym(core):
            out.append(word)
        elif core in proper:
            out.append(word.replace(core, proper[core]))
        else:
            lower = word.lower()
            out.append(_capitalise(lower) if i == 0 else lower)
    return " ".join(out)


def _acronym(word: str) -> bool:
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return True
    return 2 <= len(word) <= 4 and word.isalpha() and not (set(word) & _VOWELS)


def _capitalise(word: str) -> str:
    for i, char in enumerate(word):
        if char.isalpha():
            return word[:i] + char.upper() + word[i + 1 :]
    return word


# --- blocks -------------------------------------------------------------------------------


class _Setter:
    """Walks blocks, typesetting every text run with the character printed before it."""

    def __init__(self, glued: Sequence[str]) -> None:
        self.glued = tuple(g for g in glued if " " in g)
        self.before = ""

    def blocks(self, blocks: Sequence[Block]) -> tuple[Block, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, block: Block) -> Block:
        self.before = ""  # each block starts afresh: a quote opening it opens
        if isinstance(block, Paragraph):
            return Paragraph(self.inlines(block.inlines))
        if isinstance(block, Heading):
            return Heading(block.level, self.inlines(block.inlines))
        if isinstance(block, ListBlock):
            return ListBlock(block.ordered, tuple(self.blocks(item) for item in block.items), block.start)
        if isinstance(block, Quote):
            return Quote(self.blocks(block.blocks), block.speaker)
        return block

    def inlines(self, nodes: Sequence[Inline]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Text):
                text = typeset(node.text, self.before, self.glued)
                self.before = text[-1:] or self.before
                out.append(Text(text))
            elif isinstance(node, Strong):
                out.append(Strong(self.inlines(node.inlines)))
            elif isinstance(node, Emphasis):
                out.append(Emphasis(self.inlines(node.inlines)))
            elif isinstance(node, Link):
                out.append(Link(node.url, self.inlines(node.inlines)))
            else:  # a line break
                self.before = "\n"
                out.append(node)
        return tuple(out)


def typeset_blocks(blocks: Sequence[Block], glued: Sequence[str] = ()) -> tuple[Block, ...]:
    """The blocks with every text run typeset (`typeset`); structure and links untouched."""
    return _Setter(glued).blocks(blocks)
