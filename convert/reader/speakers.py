"""People quoted: `Deputy Chief Constable Sunita Gamblin said: “...”` → the role and name as written.

A line *introduces speech* when it starts with a lead-in and a speech verb followed by a colon,
a quote mark or the end of the line (`DC Tracey Joyce, investigating, said:`), or when a closing
quote mark is followed by `Name said` (`“...,” Sgt Sanderson said.`). From the lead-in we keep
the first comma-separated part that reads as a name: capitalised words (a few particles such as
`of`, `van`, collar numbers allowed), ending in a word that is not a role or a body
(`Commander`, `Police`, `Team`, ...). Trailing `of ...` / `from ...` clauses are cut.
"The inspectors said", "A police spokesperson said:" and "Her family said:" name nobody.

Also: the verb may take words before the colon (`Harrington, acknowledged the work of officers:
"Last October`), the quote may open with a straight `'`, the name may follow a sentence on the
same line (`... was jailed. Garry Forsyth said "It was`), and a title in the comma part before
the name is kept (`Chief Fire Officer, Mick Crennell, said` → `Chief Fire Officer Mick
Crennell`). A person named twice keeps the fullest form. A quote whose last line is only the
speaker's name (a signature) loses that line: the caption says it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..model import Block, ListBlock, Paragraph, Quote, walk_blocks
from ..text import plain
from .lines import join_lines, lines

_VERBS = (
    r"(?:said|says|added|adds|explained|commented|continued|stated|warned|urged|acknowledged|admitted"
    r"|told\s+\w+(?:\s+\w+)?)"
)
_QUOTES = '“"‘'  # quote marks that open speech
_OPENERS = _QUOTES + "'"  # ... and the straight single quote, after a verb (`said 'We`)
_LEAD = '[^“”"\n]'  # a lead-in holds no double quote marks (’ is also the apostrophe)
# `acknowledged the work of officers: "Last October`: words between the verb and the colon.
# Every run of spaces is possessive (`\s*+`): what follows one is never a space, so giving
# spaces back could not help a match, and trying it made `X said` + 4,000 ideographic spaces
# take half a second (quadratic) and a leading run of them minutes.
_OBJECT = r'\s++[^“”"\n:;.!?]{1,120}:\s*+(?=[' + _OPENERS + "])"
_INTRO = re.compile(
    rf"^\s*+(?P<lead>{_LEAD}{{3,160}}?),?\s++{_VERBS}"
    rf"(?:\s*+[:;]|\s*+,?\s*+(?=[{_OPENERS}])|\s*+$|{_OBJECT})",
)
_AFTER_QUOTE = re.compile(rf"[”\"’],?\s++(?P<lead>[A-Z][^{_QUOTES}”’.,;:!?]{{2,80}}?)\s++{_VERBS}\b")
_SPEECH_AFTER = re.compile(rf"^\s*+{_LEAD}{{3,160}}?,?\s++{_VERBS}(?:\s*+[:;,]?\s*+[{_OPENERS}]|{_OBJECT})")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])")
_SIGNATURE_DASHES = " \t-–—~"
_CUT = re.compile(r"\s+(?:of|from|at|who|with|in|for|on|and\s+her|and\s+his)\s+.*$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _words("of and de la le van von der den da di du bin al ap")
_NOT_NAMES = _words(
    """
    a an the he she they it we i you his her their our its this that these those there
    officers detectives one both everyone someone anyone nobody witnesses residents family
    operation first dog
    """
)
# Words a name does not end with: ranks on their own, roles, teams and organisations.
_ROLE_WORDS = _words(
    """
    police constabulary service services force team unit department division squad branch office
    council authority trust court commission agency partnership network charity group centre
    commissioner commander officer officers spokesperson spokesman spokeswoman manager director head
    lead leader coordinator co-ordinator chair chairman chairwoman chief deputy assistant detective
    inspector sergeant constable superintendent pc dc ds di dci dsi dsu sgt insp det supt ch pcso
    psi cc acc dcc mr mrs ms miss dr family staff investigator cid district control champion
    coroner minister secretary
    """
)
_TITLES = _ROLE_WORDS | {"sir", "dame", "lord", "lady", "cllr", "councillor", "prof", "professor", "judge"}
# Titles written with a full stop (`Det. Insp. Smith`): the stop does not end a sentence.
_ABBREVIATED = _words(
    """
    det insp supt sgt ch const cst ds dc di dci pc cllr prof dr mr mrs ms st rev hon asst dep
    capt col maj gen lt cpl
    """
)
# Ranks that stand before a name as its title (`Chief Fire Officer Mick Crennell`), and the
# words of a rank that are also in `_ROLE_WORDS` (`Deputy Chief Constable`).
_RANKS = _words(
    """
    officer constable inspector sergeant superintendent commissioner commander chief
    detective deputy assistant
    """
)


def _has_verb(text: str) -> bool:
    # Substring tests: a regex search over every line costs more than the rest of this module.
    return (
        "said" in text
        or "says" in text
        or "added" in text
        or "adds" in text
        or "explained" in text
        or "commented" in text
        or "continued" in text
        or "stated" in text
        or "warned" in text
        or "urged" in text
        or "told" in text
        or "acknowledged" in text
        or "admitted" in text
    )


def introduces_speech(text: str) -> bool:
    """Does this line attribute a quote that follows on the same line (`X said: “...`)?"""
    return _has_verb(text) and _SPEECH_AFTER.match(text) is not None


def speaker_of(text: str) -> str | None:
    """The person a line attributes speech to, as written, or None."""
    if not _has_verb(text):
        return None
    match = _INTRO.match(text)
    if match is not None:
        found = _name_in(match.group("lead"))
        if found:
            return found
    for match in _AFTER_QUOTE.finditer(text):
        found = _name_in(match.group("lead"))
        if found:
            return found
    return None


def _name_in(lead: str) -> str | None:
    found = _name_in_parts(lead)
    if found is None:
        # "The man was jailed. Garry Forsyth said": the name starts the last sentence.
        last = _SENTENCE_END.split(lead)[-1]
        if last != lead:
            found = _name_in_parts(last)
    return found


def _name_in_parts(lead: str) -> str | None:
    parts = [part.strip(" \t*_-–") for part in lead.split(",")]
    if len(parts) > 1 and parts[-1].lower() in ("who", "who has", "who had"):
        parts.pop()  # "..., led by ACC Bill Jephson, who said:"
    for i, part in enumerate(parts):
        cut = _CUT.sub("", part)
        if cut != part and _is_name(cut) and _names_a_body(part[len(cut) :]):
            return cut  # "Investigator Katie Swift of North Yorkshire Police’s Investigation Hub"
        for candidate in (part, cut):
            if _is_name(candidate):
                rank = _rank_ending(parts[i - 1]) if i and not _has_title(candidate) else None
                return f"{rank} {candidate}" if rank else candidate
    # "Investigating officer PC Paul Marks, of Harlow CID, said:": a ranked name ending a part.
    for part in parts:
        words = part.split()
        for start in range(max(0, len(words) - 8), len(words) - 1):
            candidate = " ".join(words[start:])
            if words[start][:1].isupper() and _is_name(candidate) and _has_title(candidate):
                return candidate
    return None


def _rank_ending(part: str) -> str | None:
    """`... Rescue Service's Chief Fire Officer` → `Chief Fire Officer`: the capitalised words
    ending a comma part in a rank, back to a possessive, an article or an organisation's name
    (`North Yorkshire Police Financial Abuse Safeguarding Officer` → from `Financial`), with
    `and` inside (`Acting Police and Crime Commissioner`). At most six words."""
    words = part.split()
    if not words or words[-1].lower().strip(".") not in _RANKS:
        return None
    start = len(words)
    while start > 0:
        word = words[start - 1]
        joins = start < len(words) and words[start].lower() in ("and", "&")
        if word.lower() in ("and", "&") and start < len(words) and start > 1:
            start -= 1  # kept only if a capitalised word comes before it (checked next round)
            continue
        if not word[:1].isupper() or word.endswith(("'s", "’s")) or word.lower() in _NOT_NAMES:
            break
        if word.lower() in _ROLE_WORDS and word.lower() not in _RANKS and not joins:
            break  # "Police" ends an organisation's name, unless in "Police and Crime"
        start -= 1
    while start < len(words) and words[start].lower() in ("and", "&"):
        start += 1
    run = words[start:]
    return " ".join(run) if 0 < len(run) <= 6 else None


def _names_a_body(clause: str) -> bool:
    """Does `of ...` / `from ...` name an organisation (`of Lancashire Police’s TacOps team`)?"""
    return any(w.lower() in _ROLE_WORDS or w.endswith(("'s", "’s")) for w in clause.split())


def _has_title(name: str) -> bool:
    return any(word.lower().strip(".") in _TITLES for word in name.split())


def _is_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 10:
        return False
    first, last = words[0], words[-1]
    if first.lower() in _NOT_NAMES or not first[:1].isupper():
        return False
    if not last[:1].isupper() or last.lower() in _ROLE_WORDS or last.endswith(("'s", "’s")):
        return False
    if all(word.lower() in _TITLES or word.isdigit() for word in words[:-1]) and last.lower() in _TITLES:
        return False
    for word in words:
        if not (word[:1].isupper() or word.isdigit() or word in _PARTICLES):
            return False
        if word.lower() in _NOT_NAMES and word is not first:
            return False
        if word is not last and _ends_sentence(word):
            return False  # "High Court. Detective Inspector Garry Forsyth"
    return True


def _ends_sentence(word: str) -> bool:
    """`Court.` ends a sentence; `Det.`, `Insp.` and the initial `J.` do not."""
    if not word.endswith((".", "!", "?")):
        return False
    bare = word.rstrip(".!?")
    return len(bare) > 1 and bare.lower() not in _ABBREVIATED and not bare.isupper()


def _same_person(short: str, long: str) -> bool:
    """`DC Joyce` is `DC Tracey Joyce`: same surname, and the short form adds no new name."""
    a, b = short.split(), long.split()
    if a[-1] != b[-1]:
        return False
    names_a = {w for w in a if w.lower() not in _TITLES}
    return names_a <= set(b)


class Collector:
    """Walks the blocks in order: collects speakers and fills in `Quote.speaker`."""

    def __init__(self, repairs: Counter[str] | None = None) -> None:
        self.found: list[str] = []
        self.fuller: dict[str, str] = {}  # a short form seen first → the fuller form seen later
        self.repairs: Counter[str] = repairs if repairs is not None else Counter()

    def add(self, name: str) -> str:
        for i, known in enumerate(self.found):
            if len(name) > len(known) and _same_person(known, name):
                self.found[i] = self.fuller[known] = name  # "Mick Crennell", then with his title
                return name
            if _same_person(name, known) or _same_person(known, name):
                return known
        self.found.append(name)
        return name

    def fullest(self, name: str | None) -> str | None:
        seen = set()
        while name in self.fuller and name not in seen:
            seen.add(name)
            name = self.fuller[name]
        return name

    def line_speaker(self, text: str) -> str | None:
        name = speaker_of(text)
        return self.add(name) if name else None

    def blocks(self, blocks: Iterable[Block]) -> tuple[Block, ...]:
        out: list[Block] = []
        introduced: str | None = None  # "X said:" ending the previous paragraph
        for block in blocks:
            if isinstance(block, Paragraph):
                introduced = self.paragraph(block)
            elif isinstance(block, Quote):
                inner = self.blocks(block.blocks)
                speaker = block.speaker or self.first_speaker(inner) or introduced
                if speaker is not None:
                    inner = self.without_signature(inner, speaker)
                block = Quote(inner, speaker)
                introduced = None
            elif isinstance(block, ListBlock):
                introduced = None
            else:
                introduced = None
            out.append(block)
        return tuple(out)

    def paragraph(self, block: Paragraph) -> str | None:
        name = None
        for line in lines(block.inlines):
            name = self.line_speaker(plain(line))
        return name

    def without_signature(self, blocks: tuple[Block, ...], speaker: str) -> tuple[Block, ...]:
        """The quote without a last line that only names its speaker (`ACC Nikki Watson`,
        `- ACC Nikki Watson, Police Scotland`): the caption names them once."""
        if len(blocks) > 1 and _signature_list(blocks[-1]):  # `> - ACC Nikki Watson` is a list
            assert isinstance(blocks[-1], ListBlock)
            item = blocks[-1].items[0][0]
            assert isinstance(item, Paragraph)
            if self.is_signature(plain(item.inlines), speaker):
                return blocks[:-1]
            return blocks
        if not blocks or not isinstance(blocks[-1], Paragraph):
            return blocks
        last = list(lines(blocks[-1].inlines))
        if len(last) == 1 and len(blocks) == 1:
            return blocks  # the signature would be all there is
        if not self.is_signature(plain(last[-1]), speaker):
            return blocks
        if len(last) == 1:
            return blocks[:-1]
        return (*blocks[:-1], Paragraph(join_lines(last[:-1])))

    def is_signature(self, line: str, speaker: str) -> bool:
        """`signs` (below), counting the doubled caption it would have made."""
        name = signs(line, speaker)
        if name is None:
            return False
        self.add(name)
        self.repairs["captions"] += 1
        return True

    def first_speaker(self, blocks: Sequence[Block]) -> str | None:
        if blocks and isinstance(blocks[0], Paragraph):
            first = plain(next(lines(blocks[0].inlines)))
            return self.line_speaker(first)
        return None


def signs(line: str, speaker: str) -> str | None:
    """The name, if `line` is nothing but the speaker's name (`- ACC Nikki Watson, Police
    Scotland`): a signature, which a caption naming the speaker would repeat."""
    line = line.strip(_SIGNATURE_DASHES).rstrip(".")
    if len(line) > 120 or any(mark in line for mark in '“”"‘:;!?'):
        return None  # speech, or a sentence: not a signature
    name, _, rest = line.partition(",")
    name = name.strip()
    if not _is_name(name):
        return None
    title = rest.split(",")[0].split()  # "Police Scotland", "Assistant Chief Constable"
    if any(not (w[:1].isupper() or w in _PARTICLES or w in ("for", "the", "&")) for w in title):
        return None  # "..., who was there" names no organisation or role
    if not (_same_person(name, speaker) or _same_person(speaker, name)):
        return None
    return name


def _signature_list(block: Block) -> bool:
    """A bullet list of one item of one line."""
    return (
        isinstance(block, ListBlock)
        and not block.ordered
        and len(block.items) == 1
        and len(block.items[0]) == 1
        and isinstance(block.items[0][0], Paragraph)
        and "\n" not in plain(block.items[0][0].inlines)
    )


def collect(
    blocks: Sequence[Block], repairs: Counter[str] | None = None
) -> tuple[tuple[Block, ...], tuple[str, ...]]:
    """Blocks with quote speakers filled in, and everyone quoted, in order, once each, each in
    the fullest form the article gives. Doubled captions removed are counted in `repairs`."""
    collector = Collector(repairs)
    out = collector.blocks(blocks)
    if any(_only_titled(name) for name in collector.found):
        mentions = _mentions(out)
        for i, name in enumerate(collector.found):
            full = _introduced(name, mentions) if _only_titled(name) else None
            if full is not None:
                collector.found[i] = collector.fuller[name] = full
    if collector.fuller:
        out = tuple(_renamed(block, collector) for block in out)
    return out, tuple(collector.found)


# A speaker quoted as `Sgt Sanderson` is usually introduced in full earlier in the story
# (`Sergeant John Sanderson, of Northumbria Police, condemned...`) without a speech verb; the
# caption gives the introduction. Titles match when the short form's, spelled out, are among
# the full form's; `Mr`, `Mrs`, `Ms`, `Miss` and `Dr` match any.
_SPELLED = {
    "sgt": "sergeant", "insp": "inspector", "supt": "superintendent", "det": "detective",
    "ch": "chief", "const": "constable", "cst": "constable", "pc": "police constable",
    "dc": "detective constable", "ds": "detective sergeant", "di": "detective inspector",
    "dci": "detective chief inspector", "dsi": "detective superintendent",
    "dsu": "detective superintendent", "cc": "chief constable", "acc": "assistant chief constable",
    "dcc": "deputy chief constable", "cllr": "councillor", "prof": "professor",
}
_ANY_TITLE = _words("mr mrs ms miss dr")
# Words a person's title may start with (`Police` and `Fire` only inside one, as in `Chief
# Fire Officer`; `Essex Police Chief Constable ...` starts at `Chief`).
_TITLE_STARTS = _RANKS | _ABBREVIATED | _ANY_TITLE | _words("sir dame lord lady councillor professor judge")
_MENTION_WORDS = 7  # a title of up to four words, given names and the surname
_TRIM = ",.;:!?()\"“”‘’'"


def _only_titled(name: str) -> bool:
    """`Sgt Sanderson`, `Chief Constable Harrington`: titles and a surname, no given name."""
    words = name.split()
    return len(words) >= 2 and all(w.lower().strip(".") in _TITLES for w in words[:-1])


def _spelled(words: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for word in words:
        out.update(_SPELLED.get(word.lower().strip("."), word.lower().strip(".")).split())
    return out


def _mentions(blocks: Iterable[Block]) -> list[list[str]]:
    """Every paragraph's words, in quotes and lists too."""
    return [plain(b.inlines).split() for b in walk_blocks(blocks) if isinstance(b, Paragraph)]


def _from_title(run: list[str]) -> list[str]:
    """A run of capitalised words ending in a surname, from its first title on; with no title,
    the given name and surname (`Yesterday Dave Thompson` → `Dave Thompson`)."""
    for i, word in enumerate(run[:-1]):
        if word.lower().strip(".") in _TITLE_STARTS:
            return run[i:]
    return run[-2:]


def _introduced(short: str, paragraphs: list[list[str]]) -> str | None:
    """The one fuller name the article gives the person quoted as `short`: the capitalised run
    of words ending in their surname, from its first title on, with a given name and matching
    titles. None if there is none, or more than one person of that name."""
    surname, titles = short.split()[-1], short.split()[:-1]
    generic = all(t.lower().strip(".") in _ANY_TITLE for t in titles)
    found: dict[frozenset[str], str] = {}
    for words in paragraphs:
        for end, word in enumerate(words):
            if word.strip(_TRIM) != surname or word.rstrip(_TRIM) != word.rstrip(",.;:!?)"):
                continue  # not the surname, or `Sanderson’s`
            start = end
            while (start > 0 and end - start < _MENTION_WORDS and words[start - 1][:1].isupper()
                   and words[start - 1][-1:].isalnum() and words[start - 1].lower() not in _NOT_NAMES):
                start -= 1
            run = _from_title([*words[start:end], surname])
            given = frozenset(w for w in run[:-1] if w.lower().strip(".") not in _TITLES and w != surname)
            has = [w for w in run[:-1] if w.lower().strip(".") in _TITLES]
            if not given or not _is_name(" ".join(run)):
                continue
            if not generic and not _spelled(titles) <= _spelled(has):
                continue
            if len(" ".join(run)) > len(found.get(given, "")):
                found[given] = " ".join(run)
    people = set(found)
    if len(people) != 1:
        return None
    return found[people.pop()]


def _renamed(block: Block, collector: Collector) -> Block:
    if isinstance(block, Quote):
        inner = tuple(_renamed(b, collector) for b in block.blocks)
        return Quote(inner, collector.fullest(block.speaker))
    if isinstance(block, ListBlock):
        items = tuple(tuple(_renamed(b, collector) for b in item) for item in block.items)
        return ListBlock(block.ordered, items, block.start)
    return block
