"""British typography for the text every format prints, applied once by the editorial view.

Typographic quotes chosen by context (so the two ends of one quote match), a space restored
after `said:` before a quote and none left before a comma or full stop, nor after an opening
quote or before a contraction's apostrophe (`county 's`), a doubled full stop made one and a
missing space after a sentence's full stop restored (`abuse.There`), en dashes for spaced
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
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Text,
    walk,
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

# `county 's`, `don 't`, `We 'd`, `you 're` (scraped pages space out an apostrophe): the
# contraction's apostrophe, with no space, after a letter. Only these endings, then no more of
# the word, no hyphen and no closing quote (`the 's' key` is a quoted letter); lower case only.
_SPACED_CONTRACTION = re.compile(r"(?<=[^\W\d_]) +['’‘](?=(?:s|t|d|ll|re|ve|m)(?![\w'’‘-]))")
# `''We executed ...''`: two apostrophes typed for a double quote (three or more are left).
_DOUBLED_SINGLE = re.compile(r"(?<!')''(?!')")
# `no further action..`: a doubled full stop after a word (never an ellipsis, nor `..` inside
# a path or an address: the next character is not a word's, a stop or a slash).
_DOUBLED_STOP = re.compile(r"(?<=[^\W\d_])\.\.(?![\w./])")
# `abuse.There`: a full stop between a word of two letters or more and a capitalised word, the
# candidates of `_sentence_spaces` (which checks the whole word around it).
# (The stop first: a pattern starting with a literal is a fast scan, 15 times the speed.)
_JOINED_STOP = re.compile(r"\.(?<=[^\W\d_]{2}\.)(?=[A-Z][a-z])")
# A word (space to space) longer than this is left alone: a URL, a path, a token.
_JOINED_WORD = 40
# Not the end of a sentence: `St.Georges`, `Dr.Smith` (abbreviations that come before a name).
_ABBREVIATIONS = frozenset([
    "st", "dr", "mr", "mrs", "ms", "mt", "rd", "no", "nos", "co", "ltd", "jr", "sr", "rev", "prof", "sgt",
    "insp", "supt", "det", "con", "cllr", "capt", "lt", "col", "gen", "ave", "vs", "fig", "op", "ref", "tel",
])
# Not a word after a full stop: the ends of domain and file names (`Facebook.Com`, `Form.Pdf`).
_NAME_ENDS = frozenset([
    "com", "org", "net", "uk", "gov", "co", "io", "info", "biz", "police", "nhs", "ac", "sch", "eu", "us",
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "rtf", "odt", "jpg", "jpeg", "png",
    "gif", "bmp", "tif", "tiff", "mp3", "mp4", "mov", "avi", "wav", "zip", "htm", "html", "asp", "aspx",
    "php", "exe",
])

# What may stand before an opening quote: nothing, a space, an opening bracket, a dash, `=`.
_OPENERS = frozenset(" \t\n\u00a0([{‘“—–-/=")
# What ends a sentence or a clause before a quote that may close it (`_closes`).
_CLAUSE_ENDS = frozenset(".,!?;…")
_QUOTES = re.compile("[\"'“”]")


class Quotes:
    """Whether a double quote is open, carried from run to run across one block (a quote that
    opens in bold may close in plain text)."""

    __slots__ = ("open",)

    def __init__(self) -> None:
        self.open = False


def typeset(
    text: str,
    before: str = "",
    glued: Sequence[str] = (),
    after: str = "",
    quotes: Quotes | None = None,
    prose: bool = True,
) -> str:
    """`text` with British typography. `before` is what is printed just before it (the end of
    the previous inline's text) and `after` what follows it ('' at the end of the block), so a
    quote that opens in one run and closes in another is curled the right way; `quotes` is the
    block's quote state (a fresh one when none is given); `glued` are strings (references,
    numbers as printed) to keep whole. `prose` False (a link's text) leaves full stops alone."""
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
    if prose and "." in text:
        if ".." in text:
            text = _DOUBLED_STOP.sub(lambda m: _one_stop(m, text, after), text)
        text = _sentence_spaces(text, before, after)
    if " '" in text or " ’" in text or " ‘" in text:
        text = _SPACED_CONTRACTION.sub("’", text)
    if "''" in text:
        text = _DOUBLED_SINGLE.sub('"', text)
    if '"' in text or "'" in text or "“" in text or "”" in text:
        text = curl(text, before, after, quotes)
    if "“ " in text or (text[:1] == " " and before.rstrip(" ")[-1:] == "“"):  # what it needs
        text = _no_space_after_opening(text, before, after)
    return glue(text, glued)


def _one_stop(match: re.Match[str], text: str, after: str) -> str:
    """`..` made one, unless it ends the run and the next run goes on with a stop or a word."""
    follows = after[:1]
    if match.end() == len(text) and follows and (follows.isalnum() or follows in "./_"):
        return match[0]
    return "."


def _sentence_spaces(text: str, before: str, after: str) -> str:
    """`abuse.There` → `abuse. There`: a space after a full stop that ends a sentence, only
    where the word holding it is plain words, `word.Word`: never in a URL, an address, a domain
    or file name (another stop, `@`, `/`, `:`, a digit), initials (`J.K.Rowling`) or after an
    abbreviation (`St.Georges`). A word running into the previous or next run is left."""
    cuts: list[int] = []
    for match in _JOINED_STOP.finditer(text):
        i = match.start()
        # The word around the stop, looked for no further than _JOINED_WORD each way (linear).
        window = text[max(0, i - _JOINED_WORD) : i + _JOINED_WORD].replace("\n", " ")
        at = i - max(0, i - _JOINED_WORD)
        start, end = window.rfind(" ", 0, at), window.find(" ", at)
        if start < 0 and (i > _JOINED_WORD or before[-1:].strip()):
            continue  # the word began before the window, or in the previous run
        if end < 0 and (len(text) - i > _JOINED_WORD or after[:1].strip()):
            continue  # the word goes on past the window, or into the next run
        word = window[start + 1 : end if end >= 0 else len(window)]
        core = word.strip("\"'“”‘’([{)]},;:!?").rstrip(".")
        if core.count(".") != 1 or not all(c.isalpha() or c in "-'’." for c in core):
            continue
        left, right = core.split(".")
        if left.casefold() in _ABBREVIATIONS or right.casefold() in _NAME_ENDS:
            continue
        cuts.append(i + 1)
    if not cuts:
        return text
    parts, last = [], 0
    for cut in cuts:
        parts.append(text[last:cut])
        last = cut
    parts.append(text[last:])
    return " ".join(parts)


# `said: “ We believe` → `said: “We believe`: no space after an opening double quote before
# a word (and so across runs: `“` ending one run, ` We` opening the next).
_SPACE_AFTER_OPENING = re.compile(r"(?<=“) +(?=[^\W_])")


def _no_space_after_opening(text: str, before: str, after: str) -> str:
    """`text` without the spaces between an opening double quote and the word it opens."""
    if before.rstrip(" ")[-1:] == "“" and text[:1] == " ":
        stripped = text.lstrip(" ")
        if stripped[:1].isalnum() or (not stripped and after.lstrip(" ")[:1].isalnum()):
            text = stripped
    if "“" in text:
        text = _SPACE_AFTER_OPENING.sub("", text)
        if text.endswith(" ") and after.lstrip(" ")[:1].isalnum() and text.rstrip(" ").endswith("“"):
            text = text.rstrip(" ")
    return text


def curl(text: str, before: str = "", after: str = "", quotes: Quotes | None = None) -> str:
    """Straight quotes made typographic by what stands before and after them. `"` opens after
    a space, a bracket or a dash and closes elsewhere, but closes where nothing follows it in
    the block (`... Trading Standards. "`) and, while a quote is open, after a comma and a space
    (`... from his clothes, "PC Thomas said` → `clothes,” PC`, see `_closes`); a closing quote takes
    no space before it. `'` between letters is an apostrophe, and so is one before a year
    (`Sept '18`). `before`/`after`: what is printed before and after the text (see `typeset`)."""
    state = quotes if quotes is not None else Quotes()
    out = list(text)
    size = len(text)
    # Only the quotes are visited (a loop over every character cost more than the rest of the
    # bulletin's typesetting); what stands before one is the text's, or the quote it replaced.
    for match in _QUOTES.finditer(text):
        i = match.start()
        quote = text[i]
        if quote == "“" or quote == "”":  # typed curly: kept, and it says whether a quote is open
            state.open = quote == "“"
            continue
        prev = out[i - 1] if i else before[-1:] or " "
        prev2 = (text[i - 2] if i > 1 else before[-1:] if i == 1 else before[-2:-1]) or " "
        nxt = text[i + 1] if i + 1 < size else after[:1]
        if quote == '"':
            if prev not in _OPENERS:
                out[i] = "”"
            elif not nxt or (prev == " " and state.open and _closes(prev2, nxt)):
                out[i] = "”"
                if prev == " " and i:  # `attention. "` → `attention.”`; `clothes, "PC` → `clothes,” PC`
                    out[i - 1] = ""
                    if nxt and not nxt.isspace():
                        out[i] = "” "
            else:
                out[i] = "“"
            state.open = out[i] == "“"
        elif prev in _OPENERS and nxt.isalnum() and not _year(text, i, after):
            out[i] = "‘"  # opening a quote
        else:
            out[i] = "’"  # an apostrophe or closing
    return "".join(out)


def _closes(prev2: str, nxt: str) -> bool:
    """Does a `"` after a space close the open quote, by what stands before the space and after
    it? After a comma (`clothes, "PC Thomas said`), or after a sentence's end with a space after
    it too (`attention. " The`); `year. "They are` opens the quote's next sentence again."""
    return prev2 == "," or (prev2 in _CLAUSE_ENDS and nxt.isspace())


def _year(text: str, i: int, after: str) -> bool:
    """Is the `'` at `i` a year's (`'18`, `'90s`): two digits, maybe an `s`, then no more of a
    word and no quote (`'18'` is a quoted number)."""
    rest = text[i + 1 : i + 5] + after[:4]
    if len(rest) < 2 or not rest[:2].isdigit():
        return False
    tail = rest[3:4] if rest[2:3] == "s" else rest[2:3]
    return not tail or not (tail.isalnum() or tail in "'’‘_")


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
    """Walks blocks, typesetting every text run with what is printed before and after it, and
    the block's quote state."""

    def __init__(self, glued: Sequence[str]) -> None:
        self.glued = tuple(g for g in glued if " " in g)
        self.before = ""
        self.quotes = Quotes()
        self.afters: list[str] = []  # for each text run of the block, what follows it
        self.run = 0

    def blocks(self, blocks: Sequence[Block]) -> tuple[Block, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, block: Block) -> Block:
        if isinstance(block, Paragraph | Heading):
            self.start(block.inlines)
        if isinstance(block, Paragraph):
            return Paragraph(self.inlines(block.inlines))
        if isinstance(block, Heading):
            return Heading(block.level, self.inlines(block.inlines))
        if isinstance(block, ListBlock):
            return ListBlock(block.ordered, tuple(self.blocks(item) for item in block.items), block.start)
        if isinstance(block, Quote):
            return Quote(self.blocks(block.blocks), block.speaker)
        return block

    def start(self, nodes: Sequence[Inline]) -> None:
        """A block starts afresh (a quote opening it opens): what follows each of its text runs
        is found first, in the order `inlines` visits them."""
        self.before, self.quotes, self.run = "", Quotes(), 0
        if len(nodes) == 1 and isinstance(nodes[0], Text):
            self.afters = [""]  # one run, nothing after it: the usual paragraph
            return
        runs = [n.text if isinstance(n, Text) else "\n" for n in walk(nodes)
                if isinstance(n, Text | LineBreak)]  # in the order `inlines` visits them
        afters, following = [], ""
        for text in reversed(runs):
            afters.append(following)
            following = (text + following)[:8] if len(text) < 8 else text[:8]
        self.afters = afters[::-1]

    def inlines(self, nodes: Sequence[Inline], prose: bool = True) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Text):
                after = self.afters[self.run] if self.run < len(self.afters) else ""
                self.run += 1
                text = typeset(node.text, self.before, self.glued, after, self.quotes, prose)
                self.before = (self.before + text)[-2:]
                out.append(Text(text))
            elif isinstance(node, Strong):
                out.append(Strong(self.inlines(node.inlines, prose)))
            elif isinstance(node, Emphasis):
                out.append(Emphasis(self.inlines(node.inlines, prose)))
            elif isinstance(node, Link):
                out.append(Link(node.url, self.inlines(node.inlines, False)))
            else:  # a line break
                self.run += 1
                self.before = "\n"
                out.append(node)
        return tuple(out)


def typeset_blocks(blocks: Sequence[Block], glued: Sequence[str] = ()) -> tuple[Block, ...]:
    """The blocks with every text run typeset (`typeset`); structure and links untouched."""
    return _Setter(glued).blocks(blocks)
