"""Facts in an article's text: the references to quote, the contacts, the named operations, and
(through `kinds`) what kind of story it is. The reader's last step.

Rule-based and explainable. Every finding records the sentence it came from, and every
reference, phone number and e-mail address is a verbatim slice of the article's text.

- References follow a trigger: `quoting`/`quote` (then any labels), or a label that says it is
  one (`reference`, `ref`, `crime number`, `incident reference:`, `CAD`, ...). After the
  labels comes an identifier (`37/45092/20`, `55170103879`, `12:347`, `20*049022`), a short
  number with its day (`281 of 10 February`, `391 of Sunday 18 December`), or after `quoting`
  an operation (`Operation Zebu`) or a quoted name. The kind comes from the labels.
- Contacts: UK phone numbers (spaces anywhere), `101` and `999` where the words before them
  ask for a call, e-mail links, and links to report online.
- Operations: `Operation Name` / `Op Name`.

Linear time on any input: no regex here has nested or overlapping quantifiers, every repeat
is bounded, and references are parsed by walking at most `_WINDOW_TOKENS` tokens after each
trigger.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import (
    Block,
    Contact,
    Emphasis,
    Facts,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Reference,
    Strong,
    Text,
)
from ..text import plain
from . import kinds

MAX_SENTENCE = 500  # longer "sentences" (no full stops) are recorded as a window this wide


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- the text, in units (paragraphs, headings, list items) and sentences --------------------------


@dataclass(slots=True)
class _Unit:
    text: str
    links: list[tuple[int, int, str]]  # (start, end, url) of each link's text in `text`

    def sentence(self, start: int, end: int) -> str:
        """The sentence holding text[start:end], stripped; at most about `MAX_SENTENCE` long."""
        text = self.text
        lo = max(0, start - MAX_SENTENCE)
        for m in _BOUNDARY.finditer(text, lo, min(len(text), start + 2)):  # +2: room for the look-ahead
            if m.end() <= start:
                lo = m.end()
        if lo == start - MAX_SENTENCE:
            lo = start - MAX_SENTENCE // 2  # no full stop: a window around the finding
        hi = len(text)
        for m in _BOUNDARY.finditer(text, max(start, end - 3), min(len(text), end + MAX_SENTENCE)):
            if m.end() >= end:
                hi = m.end()
                break
        return text[lo:min(hi, max(end, lo + MAX_SENTENCE))].strip()


# A sentence ends at . ! ? (then an optional closing quote or bracket) before a space and a
# capital, or at a line break. Not before a digit: `ref. 20000569277` is one sentence.
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]?\s(?=[\"“‘(]?[A-Z])|\n")


_PARAGRAPH = "\n\n"  # between paragraphs in the article's text (a line break is "\n")


def _units(blocks: Iterable[Block]) -> Iterator[_Unit]:
    for block in blocks:
        match block:
            case Heading(_, inlines) | Paragraph(inlines):
                yield _unit(inlines)
            case ListBlock(_, items):
                for item in items:
                    yield from _units(item)
            case Quote(children, _):
                yield from _units(children)


def _unit(inlines: tuple[Inline, ...]) -> _Unit:
    """A paragraph's plain text (as `text.plain` gives it) and where its links are in it."""
    if len(inlines) == 1 and type(inlines[0]) is Text:  # one run of text: most paragraphs
        return _Unit(inlines[0].text, [])
    links: list[tuple[int, int, str]] = []
    parts: list[str] = []
    size = 0

    def walk(nodes: Iterable[Inline]) -> None:
        nonlocal size
        for node in nodes:
            if isinstance(node, Text):
                parts.append(node.text)
                size += len(node.text)
            elif isinstance(node, Link):
                text = plain(node.inlines)
                parts.append(text)
                links.append((size, size + len(text), node.url))
                size += len(text)
            elif isinstance(node, Strong | Emphasis):
                walk(node.inlines)
            elif isinstance(node, LineBreak):
                parts.append("\n")
                size += 1

    walk(inlines)
    return _Unit("".join(parts), links)


# --- references -----------------------------------------------------------------------------------

# Where a reference may start. `incident`, `crime`, `log`, ... only with a noun after them.
# Matched at the places `_TRIGGER_WORDS` are found in the lower-cased text: a regex of
# alternatives run over every position costs more than the rest of this module.
_TRIGGER = re.compile(
    r"\b(?:quot(?:ing|ed|e)|ref(?:erence)?s?|cad|isr|iml"
    r"|(?:incident|crime|log|occurrence)(?=\W{1,3}(?:log|numbers?|no|refs?|references?)\b))\b"
)
_TRIGGER_WORDS = ("quot", "ref", "cad", "isr", "iml", "incident", "crime", "log", "occurrence")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # keeps every offset
_TOKEN = re.compile(r"\S{1,80}")
_WINDOW_TOKENS = 40
_QUOTING = frozenset({"quoting", "quote", "quoted"})
# Labels that say what a reference is; generic ones (`reference`) leave the kind to the others.
_LABELS = {
    "incident": "incident", "incidents": "incident",
    "log": "log", "logs": "log", "call": "log",
    "crime": "crime reference", "crimes": "crime reference",
    "occurrence": "occurrence",
    "cad": "CAD",
}
_GENERIC = frozenset(
    {"reference", "references", "ref", "refs", "number", "numbers", "no", "num", "isr", "iml", "serial"}
)
_FILLERS = frozenset({"the", "relevant", "your", "their", "our", "a", "following", "appropriate"})
_SKIP_CAPITALISED = 4  # `quote the North Yorkshire Police reference number ...`
_EDGE = "*_()[]{}\"'“”‘’,.;:!?"
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9/*:.\-]{0,39}")
_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})")
_SHORT_NUMBER = re.compile(r"\d{1,5}[a-z]?")
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DATE_WORDS = _words(
    """
    the today yesterday last night morning monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thur thurs fri sat sun january february march april may june july august
    september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
_TAIL_LINKS = frozenset({"of", "from", "on", "dated"})
_MORE = frozenset({"or", "and", "&"})
_OPERATION_WORDS = frozenset({"operation", "op"})
_KNOWN = frozenset(_LABELS) | _GENERIC | _OPERATION_WORDS
_QUOTE_MARKS = {"“": "”", '"': '"', "‘": "’"}


class _Tokens:
    """The tokens after a trigger, read only as far as the parser looks."""

    __slots__ = ("_items", "_source")

    def __init__(self, source: Iterator[re.Match[str]]) -> None:
        self._source = source
        self._items: list[_Token] = []

    def has(self, j: int) -> bool:
        while len(self._items) <= j:
            if len(self._items) == _WINDOW_TOKENS:
                return False
            m = next(self._source, None)
            if m is None:
                return False
            self._items.append(_Token(m.start(), m.end(), m.group()))
        return True

    def __getitem__(self, j: int) -> _Token:
        return self._items[j]


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    raw: str

    @property
    def core(self) -> str:
        return self.raw.strip(_EDGE)

    @property
    def word(self) -> str:
        return self.core.casefold()

    def core_span(self) -> tuple[int, int]:
        left = len(self.raw) - len(self.raw.lstrip(_EDGE))
        right = len(self.raw.rstrip(_EDGE))
        return self.start + left, self.start + max(left, right)


def _is_date(core: str) -> bool:
    m = _DMY.fullmatch(core)
    return bool(m and 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12)


def _ident(token: _Token) -> tuple[int, int] | None:
    """The span of an identifier in `token`, or None: it has a digit, and is not a date."""
    start, end = token.core_span()
    core = token.core
    if not core or not _IDENT.fullmatch(core) or not any(c.isdigit() for c in core):
        return None
    if _is_date(core):
        return None
    return start, end


def _date_word(token: _Token) -> bool:
    word = token.word
    if word in _DATE_WORDS or _is_date(token.core):
        return True
    m = _DAY.fullmatch(word)
    return bool(m and 1 <= int(m.group(1)) <= 31) or bool(_YEAR.fullmatch(word))


def _tail(tokens: _Tokens, j: int) -> tuple[int, int]:
    """After a short number: `of 10 February`, `of Sunday, 21 April, 2020`, `29/11/17`.
    Returns (index after the tail, end offset), or (j, -1) when there is none."""
    if not tokens.has(j):
        return j, -1
    if _is_date(tokens[j].core):
        return j + 1, tokens[j].core_span()[1]
    if tokens[j].word not in _TAIL_LINKS:
        return j, -1
    k, last = j + 1, -1
    while k - j <= 6 and tokens.has(k) and _date_word(tokens[k]):
        if tokens[k].word != "the":
            last = k
        if tokens[k].raw.endswith((".", ";", ":")):
            break  # the sentence or clause ends here
        k += 1
    if last < 0:
        return j, -1
    end = tokens[last].core_span()[1]
    raw = tokens[last].raw
    opened = any("(" in tokens[i].raw for i in range(j + 1, last + 1))
    if opened and ")" in raw:
        end = tokens[last].start + raw.index(")") + 1  # `230 of Thursday (9 July)`
    return last + 1, end


def _shape(text: str) -> str:
    return "/" if "/" in text else "d" if text.isdigit() else "x"


def _parse(text: str, tokens: _Tokens) -> tuple[list[tuple[int, int, str]], int]:
    """References starting at tokens[0] (a trigger): [(start, end, kind)], and how many tokens it used."""
    quoting = tokens[0].word in _QUOTING
    j = 1 if quoting else 0
    if quoting and tokens.has(1):
        named_in_quotes = _quoted_name(text, tokens, 1)
        if named_in_quotes:
            return named_in_quotes
    skipped = 0
    while quoting and tokens.has(j) and j < 8:
        word = tokens[j].word
        if word in _FILLERS:
            j += 1
        elif skipped < _SKIP_CAPITALISED and _capitalised(tokens[j]) and word not in _KNOWN:
            skipped += 1
            j += 1
        else:
            break
    if skipped and not (tokens.has(j) and tokens[j].word in _KNOWN - _OPERATION_WORDS):
        return [], 1  # capitalised words with no label after them: not `the X Police reference`
    kind, named, labels = None, False, 0
    while tokens.has(j) and labels < 4:
        word = tokens[j].word
        if word in _OPERATION_WORDS and quoting:
            return _operation(tokens, j)
        if word in _LABELS:
            kind = kind or _LABELS[word]
            named = named or word == "cad"
        elif word in _GENERIC:
            named = True
        else:
            break
        j += 1
        labels += 1
        if tokens[j - 1].raw.endswith(":"):
            named = True
            break
    if not (quoting or named):
        return [], 1
    kind = kind or "other"
    found: list[tuple[int, int, str]] = []
    previous = ""
    j = _skip_place(tokens, j)
    while tokens.has(j):
        span = _ident(tokens[j])
        if tokens[j].raw.endswith(("/", "-")) and tokens.has(j + 1) and _IDENT.fullmatch(tokens[j].raw):
            more = _ident(tokens[j + 1])  # `PR/ 45200012901`, `DCP-20201223- 0753`
            if more:
                span = tokens[j].start, more[1]
                j += 1
        if span is None:
            break
        start, end = span
        ident = text[start:end]
        if previous and _shape(ident) != previous:
            break
        j += 1
        if _SHORT_NUMBER.fullmatch(ident):
            j, tail_end = _tail(tokens, j)
            end = max(end, tail_end)
        found.append((start, end, kind))
        previous = _shape(ident)
        j = _skip_place(tokens, j)
        if tokens[j - 1].raw.endswith((".", ";")) or not tokens.has(j):
            break
        if tokens[j].word in _MORE:
            j = _skip_place(tokens, j + 1)
        elif not tokens[j - 1].raw.endswith(","):
            break
    return found, max(j, 1)


def _capitalised(token: _Token) -> bool:
    core = token.core
    return core[:1].isupper() and core.isalpha()


def _skip_place(tokens: _Tokens, j: int) -> int:
    """Past a place in brackets: `(Lavenham) 37/3158/19`, `37/58967/16 (Mendlesham) or ...`."""
    while tokens.has(j) and tokens[j].raw.startswith("(") and ")" in tokens[j].raw:
        if _ident(tokens[j]) is not None:
            break
        j += 1
    return j


def _operation(tokens: _Tokens, j: int) -> tuple[list[tuple[int, int, str]], int]:
    if tokens.has(j + 1):
        name = tokens[j + 1].core
        if name[:1].isupper() and name.replace("-", "").isalpha() and name.casefold() not in _NOT_OPERATIONS:
            return [(tokens[j].core_span()[0], tokens[j + 1].core_span()[1], "operation")], j + 2
    return [], j + 1


def _quoted_name(text: str, tokens: _Tokens, j: int) -> tuple[list[tuple[int, int, str]], int] | None:
    """`quote “Claudia Lawrence” when ...`: a name in quote marks."""
    opening = tokens[j].raw[:1]
    closing = _QUOTE_MARKS.get(opening)
    if closing is None:
        return None
    start = tokens[j].start + 1
    end = text.find(closing, start, start + 60)
    if end <= start:
        return None
    used = j + 1
    while tokens.has(used) and tokens[used].start < end:
        used += 1
    return [(start, end, "other")], used


def _triggers(text: str) -> Iterator[re.Match[str]]:
    lower = text.lower()
    if len(lower) != len(text):  # a few letters lower-case to two characters: keep the offsets
        lower = text.translate(_ASCII_LOWER)
    starts: set[int] = set()
    for word in _TRIGGER_WORDS:
        at = lower.find(word)
        while at >= 0:
            starts.add(at)
            at = lower.find(word, at + len(word))
    for at in sorted(starts):
        m = _TRIGGER.match(lower, at)
        if m:
            yield m


def _references(unit: _Unit) -> Iterator[tuple[int, int, str]]:
    text = unit.text
    resume = paragraph_end = 0
    for m in _triggers(text):
        if m.start() < resume:
            continue
        if m.start() >= paragraph_end:  # a reference does not run on into the next paragraph
            paragraph_end = text.find(_PARAGRAPH, m.start())
            paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        tokens = _Tokens(_TOKEN.finditer(text, m.start(), paragraph_end))
        tokens.has(0)
        found, used = _parse(text, tokens)
        yield from found
        resume = tokens[used - 1].end if found else m.end()


# --- operations -----------------------------------------------------------------------------------

# Starts with its literal (no `\b` first), which lets the regex engine skip ahead; `_operations`
# checks the word boundary.
_OPERATION = re.compile(r"(?:Operation|OPERATION|Op)\.? {1,3}[\"“‘]?([A-Z][A-Za-z'\-]{1,30})")
_NOT_OPERATIONS = _words("a an the officers officer team teams police unit units staff and of in on for to")


def _operations(text: str) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for m in _OPERATION.finditer(text):
        name = m.group(1)
        if name.casefold() in _NOT_OPERATIONS or (m.start() and text[m.start() - 1].isalnum()):
            continue
        if name.isupper() and len(name) > 3:
            name = name.title()  # `OPERATION SCEPTRE`
        seen.setdefault(name.casefold(), f"Operation {name}")
    return tuple(seen.values())


# --- contacts -------------------------------------------------------------------------------------

# A UK number: 0 (or +44 / 0044) and digits, single spaces or hyphens between them; `_phone`
# checks the count. `0800 101 2020` is one number, so the 101 inside it is not another.
# `_contacts` checks the character before (a regex that starts with a look-behind is slow).
_PHONE = re.compile(r"(?:\+44 ?|0044 ?|0)\d[\d -]{6,13}\d(?![\w/-])")
_NOT_BEFORE_PHONE = frozenset("_+/.£$€-")
# 101 and 999 on their own: not in `101st`, `A101`, `£101`, `101,710`, `1.101`, `101@...`.
_SHORT = re.compile(r"(?:101|999)(?<![\w£$€@/.,:+-]\d{3})(?![\w@]|[/.,:-]\d)")
# The word just before a short number that makes it a number to call (`call 101`, `or 999`).
_CALL_CUE = re.compile(
    r"(?:\b(?:call|calling|ring|ringing|dial|dialling|dialing|phone|phoning|telephone|tel|contact|contacting"
    r"|text|on|via|or|and|using|us|the|number|emergency|non-emergency)|[|:,(])\W{0,3}$",
    re.IGNORECASE,
)
_NOT_A_LINE = re.compile(r"\W{1,3}(?:calls?|response|responses|team|teams|crews?|times|years|people)\b", re.I)
_FROM = re.compile(r"\bfrom\W{1,3}$", re.IGNORECASE)
_CRIMESTOPPERS_DIGITS = frozenset({"0800555111", "08000555111", "080555111"})
_REPORT_URL = re.compile(
    r"report|contact|tell-us|/tua/|give-information|mipp\.police\.uk|crimestoppers|actionfraud|do-it-online"
    r"|/ro/|appeal|submit",
    re.IGNORECASE,
)
# A link that is not to the police or a reporting page counts only in a sentence about reporting.
_REPORT_CUE = re.compile(
    r"\b(?:report\w{0,4}|submit\w{0,3}|pass on|give information|tell us|upload\w{0,3})\b", re.IGNORECASE
)
_CONTACT_CUE = re.compile(
    r"\b(?:report\w{0,4}|contact\w{0,3}|get in touch|tell us|submit\w{0,3}|pass on|upload\w{0,3}"
    r"|anonymous\w{0,2}|apply|applications?)\b",
    re.IGNORECASE,
)


# Whom a contact reaches: `contact <who> on`, `call <who> on`, ... just before it.
_VERBS = _words(
    """call calling contact contacting ring ringing phone phoning text texting email e-mail emailing
    to with through reach"""
)
# Words between the party and the number: `Crimestoppers, anonymously, on 0800 555 111`.
_LINKING = _words(
    """on at via directly anonymously confidentially free freephone by calling phone telephone tel number
    email e-mail emailing 100% per cent 100 their"""
)
# Words no name of a party holds: `help I can be contacted on`.
_NOT_IN_NAMES = _words(
    """i we you he she they it us them can could will would may might must be is are was were been has have
    had do does or if when who which that this these those please by not any anyone"""
)
_MODALS = _words("can may could will")
_PARTICLES = _words("of the and for at in 's")
_LEADS = ("the independent charity ", "independent charity ", "the charity ", "the ")
_ANONYMOUS = _words("us them him her someone officers")


def _phone(value: str) -> bool:
    """A plausible UK number: 9 to 11 digits from the 0 (or 9 to 10 after +44), single separators."""
    if "  " in value or "--" in value or " -" in value or "- " in value:
        return False
    digits = sum(c.isdigit() for c in value)
    if value.startswith("+44"):
        return 11 <= digits <= 12
    if value.startswith("0044"):
        return 13 <= digits <= 14
    return 9 <= digits <= 11


def _reaches_named(before: str) -> str | None:
    """The party named just before a contact, or None: `call the Roads Policing Unit on`,
    `Police can be contacted on`, a line `Dorset Rape Crisis - 01202 308855`."""
    words = before[-160:].rpartition("\n")[2].split()
    cut = len(words)
    while cut and len(words) - cut < 6 and (_bare(words[cut - 1]) in _LINKING or not _bare(words[cut - 1])):
        cut -= 1  # `on`, `anonymously, on`, `-`
    linked = cut < len(words)
    passive = cut >= 2 and _bare(words[cut - 1]) in ("contacted", "reached") and _bare(words[cut - 2]) == "be"
    if linked and passive:
        cut -= 3 if cut >= 3 and _bare(words[cut - 3]) in _MODALS else 2  # `Police can be contacted on`
        return _tidy(" ".join(words[_name_start(words, cut):cut]))
    start = cut
    while start and cut - start < 8:
        word = words[start - 1]
        bare = _bare(word)
        if bare in _VERBS:
            return _tidy(" ".join(words[start:cut]))
        if (word.endswith((",", ";", ".")) and start < cut) or not bare or bare in _NOT_IN_NAMES:
            break  # a clause ends between the verb and the party, or this is not a name
        if any(c.isdigit() or c in "@/" for c in word) or "." in word.rstrip("."):
            break  # a number or an address
        start -= 1
    if linked and start:
        return None
    # No verb: a name just before the number, as in a list of helplines.
    return _tidy(" ".join(words[_name_start(words, cut):cut]))


def _bare(word: str) -> str:
    return word.strip(",:-–()").casefold()


def _name_start(words: list[str], cut: int) -> int:
    """Where the run of capitalised words (and `of`, `the`, ...) ending at `cut` starts."""
    start = cut
    while start and cut - start < 8:
        word = words[start - 1].strip(",:-–()")
        if not word or not (word[:1].isupper() or word.casefold() in _PARTICLES) or word.endswith(".") \
                or any(c.isdigit() for c in word):
            break
        start -= 1
    while start < cut and words[start].casefold() in _PARTICLES - {"the"}:
        start += 1  # a name does not start with `of`
    return start


def _tidy(who: str) -> str | None:
    who = who.strip(",:-– ")
    for lead in _LEADS:
        if who.startswith(lead):  # `the Roads Policing Unit`, but `The Shores Dorset SARC`
            who = who[len(lead):]
            break
    if who.casefold() == "police":
        return "police"
    words = who.casefold().split()
    if (not words or who.casefold() in _ANONYMOUS or not any(c.isupper() for c in who) or who.endswith(".")
            or words[-1] in _PARTICLES or any(w in _NOT_IN_NAMES for w in words)):
        return None  # `UK and`, `I`, `Lejli.`: not a name
    return who


def _phone_reaches(value: str, before: str) -> str | None:
    digits = "".join(c for c in value if c.isdigit())
    if digits in _CRIMESTOPPERS_DIGITS:
        return "Crimestoppers"
    if value == "101":
        return "police (non-emergency)"
    if value == "999":
        return "emergency services"
    who = _reaches_named(before)
    if who and "crimestoppers" in who.casefold():
        return "Crimestoppers"
    return who


def _link_reaches(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").casefold()
    if "crimestoppers" in host:
        return "Crimestoppers"
    if "actionfraud" in host:
        return "Action Fraud"
    if host.endswith("mipp.police.uk"):
        return "Major Incident Public Portal"
    if host.endswith(".police.uk") or host == "police.uk":
        return "police"
    return None


class _Spans:
    """Spans of text already taken (references, then phone numbers), added in text order."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def add(self, start: int, end: int) -> None:
        at = bisect_right(self.starts, start)
        self.spans.insert(at, (start, end))
        self.starts.insert(at, start)

    def overlap(self, start: int, end: int) -> bool:
        at = bisect_right(self.starts, end - 1)  # spans that start before `end` ...
        return at > 0 and self.spans[at - 1][1] > start  # ... the last of which reaches `start`


def _before(text: str, at: int) -> str:
    return text[max(0, at - 160):at]  # what `_reaches_named` reads: bounded, for long texts


def _contacts(unit: _Unit, references: list[tuple[int, int]]) -> Iterator[tuple[int, int, Contact]]:
    text = unit.text
    taken = _Spans(references)
    for m in _PHONE.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before in _NOT_BEFORE_PHONE:
            continue  # `A0123...`, `/0123...`: part of something else
        if not _phone(m.group()) or taken.overlap(*m.span()):
            continue  # not a number, or inside a reference
        if _FROM.search(text, max(0, m.start() - 8), m.start()):
            continue  # `a call shown to be from 0116 222 2222`: a number that called, not one to call
        taken.add(*m.span())
        value = m.group()
        yield m.start(), m.end(), Contact(
            "phone", value, _phone_reaches(value, _before(text, m.start())), unit.sentence(m.start(), m.end())
        )
    for m in _SHORT.finditer(text):
        if taken.overlap(*m.span()):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        cue = _CALL_CUE.search(text, max(line_start, m.start() - 40), m.start())
        if not cue or _NOT_A_LINE.match(text, m.end()):
            continue
        value = m.group()
        yield m.start(), m.end(), Contact("phone", value, _phone_reaches(value, ""), unit.sentence(*m.span()))
    for start, end, url in unit.links:
        printed = text[start:end]
        if url.startswith("mailto:"):
            address = printed if "@" in printed and " " not in printed else url[len("mailto:"):]
            domain = address.partition("@")[2]
            reaches = _reaches_named(_before(text, start)) or _link_reaches(f"http://{domain}")
            yield start, end, Contact("email", address, reaches, unit.sentence(start, end))
        elif url.startswith(("http://", "https://")):
            sentence = unit.sentence(start, end)
            police = _link_reaches(url) is not None
            if (_REPORT_URL.search(url) or (police and _CONTACT_CUE.search(sentence))
                    or _REPORT_CUE.search(sentence)):
                value = printed if printed and " " not in printed and "." in printed else url
                yield start, end, Contact("online", value, _link_reaches(url), sentence)


def _contact_key(contact: Contact) -> tuple[str, str]:
    if contact.kind == "phone":
        return "phone", "".join(c for c in contact.value if c.isdigit())
    return contact.kind, contact.value.casefold().removeprefix("https://").removeprefix("http://").rstrip("/")


# --- all together ---------------------------------------------------------------------------------


def extract(meta: Meta, blocks: tuple[Block, ...]) -> Facts:
    """The facts of one article, from its final blocks and metadata."""
    paragraphs = list(_units(blocks))
    # One text, a paragraph a line, so each pattern runs once per article.
    links: list[tuple[int, int, str]] = []
    offset = 0
    for paragraph in paragraphs:
        links += [(offset + start, offset + end, url) for start, end, url in paragraph.links]
        offset += len(paragraph.text) + len(_PARAGRAPH)
    texts = [paragraph.text for paragraph in paragraphs]
    article = _Unit(_PARAGRAPH.join(texts), links)

    references: dict[str, Reference] = {}
    spans = []
    for start, end, kind in _references(article):
        spans.append((start, end))
        text = article.text[start:end]
        known = references.get(text)
        if known is None or (known.kind == "other" and kind != "other"):  # the most telling label
            references[text] = Reference(text, kind, article.sentence(start, end))
    contacts: dict[tuple[str, str], Contact] = {}
    for _start, _end, contact in sorted(_contacts(article, spans), key=lambda found: found[0]):
        key = _contact_key(contact)
        seen = contacts.get(key)
        if seen is None:
            contacts[key] = contact
        elif seen.reaches is None and contact.reaches is not None:
            contacts[key] = Contact(seen.kind, seen.value, contact.reaches, seen.sentence)
    found = Facts(
        references=tuple(references.values()),
        contacts=tuple(contacts.values()),
        operations=_operations(article.text),
    )
    return Facts(kinds.classify(meta, texts, found), found.references, found.contacts, found.operations)
