"""People quoted: `Deputy Chief Constable Sunita Gamblin said: “...”` → the role and name as written.

A line *introduces speech* when it starts with a lead-in and a speech verb followed by a colon,
a quote mark or the end of the line (`DC Tracey Joyce, investigating, said:`), or when a closing
quote mark is followed by `Name said` (`“...,” Sgt Sanderson said.`). From the lead-in we keep
the first comma-separated part that reads as a name: capitalised words (a few particles such as
`of`, `van`, collar numbers allowed), ending in a word that is not a role or a body
(`Commander`, `Police`, `Team`, ...). Trailing `of ...` / `from ...` clauses are cut.
"The inspectors said", "A police spokesperson said:" and "Her family said:" name nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..model import Block, ListBlock, Paragraph, Quote
from ..text import plain
from .lines import lines

_VERBS = r"(?:said|says|added|adds|explained|commented|continued|stated|warned|urged|told\s+\w+(?:\s+\w+)?)"
_QUOTES = '“"‘'  # quote marks that open speech
_LEAD = '[^“”"\n]'  # a lead-in holds no double quote marks (’ is also the apostrophe)
# Every run of spaces is possessive (`\s*+`): what follows one is never a space, so giving
# spaces back could not help a match, and trying it made `X said` + 4,000 ideographic spaces
# take half a second (quadratic) and a leading run of them minutes.
_INTRO = re.compile(
    rf"^\s*+(?P<lead>{_LEAD}{{3,160}}?),?\s++{_VERBS}(?:\s*+[:;]|\s*+,?\s*+(?=[{_QUOTES}])|\s*+$)",
)
_AFTER_QUOTE = re.compile(rf"[”\"’],?\s++(?P<lead>[A-Z][^{_QUOTES}”’.,;:!?]{{2,80}}?)\s++{_VERBS}\b")
_SPEECH_AFTER = re.compile(rf"^\s*+{_LEAD}{{3,160}}?,?\s++{_VERBS}\s*+[:;,]?\s*+[{_QUOTES}]")
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
    parts = [part.strip(" \t*_-–") for part in lead.split(",")]
    if len(parts) > 1 and parts[-1].lower() in ("who", "who has", "who had"):
        parts.pop()  # "..., led by ACC Bill Jephson, who said:"
    for part in parts:
        cut = _CUT.sub("", part)
        if cut != part and _is_name(cut) and _names_a_body(part[len(cut) :]):
            return cut  # "Investigator Katie Swift of North Yorkshire Police’s Investigation Hub"
        for candidate in (part, cut):
            if _is_name(candidate):
                return candidate
    # "Investigating officer PC Paul Marks, of Harlow CID, said:": a ranked name ending a part.
    for part in parts:
        words = part.split()
        for start in range(max(0, len(words) - 8), len(words) - 1):
            candidate = " ".join(words[start:])
            if words[start][:1].isupper() and _is_name(candidate) and _has_title(candidate):
                return candidate
    return None


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
    return True


def _same_person(short: str, long: str) -> bool:
    """`DC Joyce` is `DC Tracey Joyce`: same surname, and the short form adds no new name."""
    a, b = short.split(), long.split()
    if a[-1] != b[-1]:
        return False
    names_a = {w for w in a if w.lower() not in _TITLES}
    return names_a <= set(b)


class Collector:
    """Walks the blocks in order: collects speakers and fills in `Quote.speaker`."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, name: str) -> str:
        for known in self.found:
            if _same_person(name, known) or _same_person(known, name):
                return known
        self.found.append(name)
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

    def first_speaker(self, blocks: Sequence[Block]) -> str | None:
        if blocks and isinstance(blocks[0], Paragraph):
            first = plain(next(lines(blocks[0].inlines)))
            return self.line_speaker(first)
        return None


def collect(blocks: Sequence[Block]) -> tuple[tuple[Block, ...], tuple[str, ...]]:
    """Blocks with quote speakers filled in, and everyone quoted, in order, once each."""
    collector = Collector()
    out = collector.blocks(blocks)
    return out, tuple(collector.found)
