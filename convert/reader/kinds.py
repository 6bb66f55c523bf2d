"""What kind of story an article is (`convert/taxonomy.py`), from cue words, explainably.

Cues are looked for at three levels: the headline; the summary and the first two paragraphs
(the lead); the rest of the text. Advice, community, recruitment, statement and operation
cues count only in the headline and lead (the body of any story thanks, warns and quotes the
Chief Constable); arrests, charges, results, collisions, seizures and appeals count anywhere,
and asking the public to quote a reference is an appeal.

A story is labelled with its latest stage: a court result drops the charge and the arrest, a
charge drops the arrest, a missing person found drops the missing person, and a missing person
is not also an appeal. The main kind (first) is the highest in `_PRECEDENCE` among the kinds
of the headline; failing that of the lead; failing that of the body, where an appeal comes
first (an appeal that mentions arrests is still an appeal). With no kind at all, news of an
incident is the force's `statement`; anything else is `other`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from ..model import Facts, Meta

_PRECEDENCE = (
    "found", "missing", "court", "charge", "arrest", "appeal", "collision", "seizure", "operation",
    "recruitment", "advice", "statement", "community",
)
# Named only in a headline do these make a statement: in a lead they are usually quoted.
_HEADLINE_STATEMENT = re.compile(r"\b(?:PCC|Police and Crime Commissioner|Chief Constable)\b")
_LEAD_UNITS = 2


_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Upper-case ASCII to lower case, ASCII punctuation to spaces: a byte table, run over the UTF-8
# bytes (str.translate with a table looks up each character of a non-ASCII text in a dict, 7x
# slower). Bytes of 128 and up are kept, so every other character comes back as it was.
_FOLD_BYTES = bytes(
    ord(chr(b).lower()) if chr(b) in string.ascii_uppercase
    else b if b >= 128 or chr(b).isalnum() else ord(" ")
    for b in range(256)
)
# Punctuation outside ASCII that also separates words.
_FOLD_SPACES = "‘’“”–—…•·‐‑«»\u00a0\u2009\u202f\u200b"


def fold(raw: str) -> str:
    """`raw` lower-cased (ASCII letters) with punctuation made spaces, character for character,
    so an offset in it is an offset in `raw`."""
    out = raw.encode("utf-8", "surrogatepass").translate(_FOLD_BYTES).decode("utf-8", "surrogatepass")
    if not out.isascii():
        for char in _FOLD_SPACES:
            if char in out:
                out = out.replace(char, " ")
    return out


class _Text:
    """A text and its words, lower-cased, for fast cue lookups."""

    __slots__ = ("padded", "raw", "words")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.padded = f" {fold(raw)} "
        self.words = frozenset(self.padded.split())


class _Cue:
    """Words and phrases (`a|b c|...`). Looked up in a `_Text`'s words (one word) or its padded
    text (a phrase), which is much faster than a regex of alternatives; `places` finds where
    they are, for the few kinds whose cues can be negated."""

    __slots__ = ("firsts", "phrases", "words", "wordsets")

    def __init__(self, cues: str) -> None:
        parts = [_NOT_WORD.sub(" ", cue.casefold()).strip() for cue in cues.split("|")]
        self.words = frozenset(p for p in parts if " " not in p)
        self.phrases = tuple(f" {p} " for p in parts if " " in p)
        self.firsts = frozenset(p.split()[0] for p in parts if " " in p)
        # A phrase can be in the text only if each of its words is: a set test, before a scan.
        self.wordsets = tuple(frozenset(p.split()) for p in self.phrases)

    def __call__(self, text: _Text) -> bool:
        if not self.words.isdisjoint(text.words):
            return True
        if self.firsts.isdisjoint(text.words):
            return False
        words, padded = text.words, text.padded
        return any(ws <= words and p in padded for p, ws in zip(self.phrases, self.wordsets, strict=True))

    def places(self, text: _Text) -> Iterator[tuple[int, int]]:
        """Where in `text.raw` the cues are (the padded text is the raw text, shifted by one)."""
        padded = text.padded
        phrases = [p for p, ws in zip(self.phrases, self.wordsets, strict=True) if ws <= text.words]
        for cue in [f" {w} " for w in self.words & text.words] + phrases:
            at = padded.find(cue)
            while at >= 0:
                yield at, at + len(cue) - 2
                at = padded.find(cue, at + 1)


# `appeal`, `appeals` and `appealing` are looked for apart (`_appeal_words`): not every use asks.
_APPEAL_CUES = (
    "re-appeal|witness|witnesses|witnessed|cctv|dash cam|dashcam|footage|e-fit"
    "|do you recognise|can you help|have you seen|did you see|did you witness|did you hear|were you"
    "|identify|trace|wanted|come forward|sought|information sought|recognise this"
    "|recognise these|recognise him|recognise her|recognise them|if you recognise|anyone who recognises"
    "|any witnesses|anyone who saw|anyone who witnessed|anyone who may have seen"
    "|anyone who was in the area|get in touch"
)
_CUES: dict[str, _Cue] = {
    "appeal": _Cue(_APPEAL_CUES),
    "missing": _Cue("missing|disappearance|last seen|concern for|concerns for|concerned for"),
    "found": _Cue("found|located|traced|safe and well|returned home|body|bodies|remains"),
    "arrest": _Cue("arrest|arrests|arrested|extradited"),
    "charge": _Cue(
        "charged|summonsed|remanded|charge following|charge after|charges following|charges after"
    ),
    "court": _Cue(
        "jailed|jail|sentenced|sentence|sentences|sentencing|convicted|convicts|guilty|imprisoned"
        "|imprisonment|behind bars|fined|banning order|banning orders|restraining order|behaviour order"
        "|acquitted|pleaded|pleads|fixed penalty"
    ),
    "collision": _Cue(
        "collision|collisions|collided|collides|crash|crashed|crashes|rtc|road traffic|hit by a|hit-and-run"
        "|hit and run|fail to stop|fail-to-stop|dangerous driving|careless driving|death by|pedestrian"
        "|motorcyclist|overturned"
    ),
    "seizure": _Cue(
        "seized|seize|seizure|seizures|recovered|confiscated|cannabis farm|cannabis factory|cannabis grow"
        "|cannabis recovery|drugs recovery|drugs found|drugs worth|found drugs|found cannabis|found cash"
    ),
    "operation": _Cue(
        "operation|warrant|warrants|crackdown|clamp down|clampdown|day of action|week of action|raid|raids"
        "|closure order|close down|closed down|patrols|stop checks|dispersal order"
    ),
    "recruitment": _Cue(
        "recruit|recruits|recruitment|recruiting|join us|join the force|join our|joining the force|apply"
        "|applications|vacancies|careers|cadets|specials|special constables|special constabulary"
        "|new officers|student officers|entry programme|apprenticeship|passing out|attestation|graduation"
        "|first day as a police officer"
    ),
    "statement": _Cue(
        "statement|statements|message from|responds|response to|inspection|hmicfrs|hmic|figures|statistics"
        "|stats|budget|precept|consultation|findings|survey|sudden death|investigation closed"
        "|closed their investigation|closed the investigation"
    ),
    "advice": _Cue(
        "advice|advise|advises|advised|warn|warns|warned|warning|urge|urges|urged|urging|remind|reminds"
        "|reminded|reminder|tips|scam|scams|fraud alert|scam alert|vigilant|beware|be aware|protect yourself"
        "|protect your|steps you can take"
        "|secure your|lock your|how secure|prevention|stay safe|how to|how do i|vigilance"
    ),
    "community": _Cue(
        "award|awards|awarded|mbe|obe|bem|honours|commendation|commended|praised|celebrate|celebrates"
        "|celebrating|celebration|charity|donate|donated|donation|fundraising|school|schools|pupils"
        "|event|events|open day|visit|visited|stall|coffee with a cop|volunteer|volunteers"
        "|thank you|thanks|thanked|retire|retires|retirement|partnership|initiative|scheme|shortlisted"
        "|nominated|history month"
    ),
}
# `Operation Remedy`, `Op Target`: a named operation, matched with its capital.
_NAMED_OPERATION = re.compile(r"\b(?:Operation|Op|OP) [A-Z]")
# `a scam currently in operation`, `a search and rescue operation`: not a police operation.
_IN_OPERATION = re.compile(r"\b(?:in|search|rescue|recovery|salvage) operation\b", re.IGNORECASE)
# `No arrests have been made`, `could be arrested`, `breach of a restraining order`: not a fact.
_NOT_YET = re.compile(r"\b(?:no|not|nobody|no one|yet to be|could|would|may|might|will)\b[^.;]{0,12}$", re.I)
_NEGATION = {
    "arrest": _NOT_YET,
    "charge": _NOT_YET,
    "court": re.compile(r"\bbreach(?:es|ed|ing)?\b[^.;]{0,25}$", re.I),
    # a wish, not news: `officers want to make sure he is safe and well`
    "found": re.compile(r"\b(?:make sure|ensure|check|see if)\b[^.;]{0,20}$", re.I),
}
# An appeal's own words, each with what, just before it, says it is not one asked now:
# `appealing` as an adjective (`less appealing to a criminal`, `make them appealing`) or
# negated (`I am not appealing for further information`); `appeal` as a past one (`thank you
# to those who shared our appeal`, `following an image appeal, a man was arrested`, `as a
# result of their appeal`, `an earlier appeal`, `an appeal was launched`). `continuing to
# appeal`, `a new appeal`, `an appeal has been launched` ask.
_APPEAL_WORDS = _Cue("appeal|appeals|appealing")
_NOT_APPEALING = re.compile(
    r"(?:\b(?:not|never|longer|less|more|most|very|so|too|as|how|quite|particularly|especially|really"
    r"|an|them|it|look|looks|seem|seems)|n[’']t)\s{1,3}$",
    re.IGNORECASE,
)
_PAST_APPEAL = re.compile(
    r"(?:\b(?:shared?|sharing|following|after|result of|response to|responded to)\s{1,3}"
    r"(?:our|the|their|this|that|an?|his|her)\s{1,3}"
    r"|\b(?:previous|earlier|original|initial)\s{1,3})(?:[\w-]{1,20}\s{1,3}){0,2}$",
    re.IGNORECASE,
)
_PAST_APPEAL_AFTER = re.compile(r"\s{1,3}(?:was|were)\s{1,3}(?:launched|made|issued)\b", re.IGNORECASE)
# A missing person's update near the top: `This person has been found`, `Mary Ritson has now
# been found safe`, `..., reported missing on 4 April, has been located safe and well`. A person
# (a pronoun, a word for one, or a name) has been found, and the sentence ends or says how
# (`found guilty`, `found discarded`, `his car has been found` are not this).
_FOUND_UPDATE = re.compile(
    r"\b(?:person|man|woman|boy|girl|teenager|teen|child|pensioner|people|men|women|[Hh]e|[Ss]he|[Tt]hey"
    r"|[A-Z][a-z]{1,30})(?:,[^,]{1,60},)? (?:has|have) (?:now |since )?been (?:found|located|traced)"
    r"(?= ?[.,;!]| ?$| safe| well| alive| unharmed| and well)"
)
# Bodies are recovered in searches: that is not a seizure (one in the same sentence, or just after).
_BODIES = re.compile(r"\b(?:body|bodies|remains)\b", re.I)
# Counted in the body too (the others only in the headline and lead).
_BODY_KINDS = ("appeal", "arrest", "charge", "court", "collision", "seizure")
# The body's appeal cues are stronger: `come forward`, not just `information` (and `appeal`,
# as in `_APPEAL_CUES`, apart).
_BODY_APPEAL = _Cue(
    "witness appeal|any witnesses|dash cam|dashcam|come forward|do you recognise"
    "|if you recognise|anyone who recognises|recognise this|recognise these|recognise him|recognise her"
    "|recognise them|anyone who saw|anyone who witnessed|anyone who may have seen|anyone who was in the area"
    "|get in touch"
)
# ... and so are its collision cues: a body that mentions a pedestrian or a police
# motorcyclist (a road-safety course, a patrol) is not reporting a collision.
_BODY_COLLISION = _Cue(
    "collision|collisions|collided|collides|crash|crashed|crashes|rtc|road traffic collision|hit by a"
    "|hit-and-run|hit and run|fail to stop|fail-to-stop|death by dangerous|death by careless|overturned"
)
_INCIDENT = _Cue(
    "incident|incidents|investigation|investigating|died|dies|death|dead|body|fire|explosion|called to"
    "|reports of|assault|assaulted|robbery|burglary|theft|stabbing|stabbed|shooting|attack|attacked|murder"
    "|disorder|damage"
)


def _appeal_words(text: _Text) -> bool:
    """`appeal`, `appeals` or `appealing` somewhere in `text` asking now (`Police are appealing
    for`, `renew their appeal`), not as an adjective, negated or a past appeal (`_APPEAL_WORDS`)."""
    if not _APPEAL_WORDS(text):
        return False
    raw = text.raw
    for start, end in _APPEAL_WORDS.places(text):
        before = max(0, start - 60)
        if raw[start:end].casefold() == "appealing":
            if not _NOT_APPEALING.search(raw, before, start):
                return True
        elif not (_PAST_APPEAL.search(raw, before, start) or _PAST_APPEAL_AFTER.match(raw, end, end + 30)):
            return True
    return False


def _found(kind: str, cue: _Cue, text: _Text) -> bool:
    if kind == "appeal" and _appeal_words(text):
        return True
    if not cue(text):
        return False
    negation = _NEGATION.get(kind)
    if negation is None and kind != "seizure":
        return True
    raw = text.raw
    for start, end in cue.places(text):
        if negation is not None and negation.search(raw, max(0, start - 30), start):
            continue
        if kind == "seizure" and _BODIES.search(raw, _sentence_start(raw, start), end + 30):
            continue
        return True
    return False


def _sentence_start(raw: str, at: int) -> int:
    """Where the sentence holding `at` starts, looked for no further back than 200 characters
    (`A body was spotted in the water near the beach and was recovered by the lifeboat`)."""
    floor = max(0, at - 200)
    return max(raw.rfind(". ", floor, at), raw.rfind("\n", floor, at), floor - 1) + 1


def _level(text: _Text) -> set[str]:
    """The kinds cued in a headline or a lead."""
    found = {k for k, cue in _CUES.items() if _found(k, cue, text)}
    if "found" in found and "missing" not in found:
        found.discard("found")  # `found` only says a missing person was found
    if _NAMED_OPERATION.search(text.raw):
        found.add("operation")
    elif "operation" in found and _IN_OPERATION.search(text.raw):
        found.discard("operation")  # `a scam currently in operation`, `a search operation`
    return found


def classify(meta: Meta, texts: list[str], found: Facts) -> tuple[str, ...]:
    """The kinds of the story, the main one first (see the module docstring)."""
    headline = _level(_Text(meta.headline))
    if _HEADLINE_STATEMENT.search(meta.headline):
        headline.add("statement")
    lead_text = "\n".join([meta.summary or "", *texts[:_LEAD_UNITS]])
    lead = _level(_Text(lead_text))
    if "missing" in headline | lead and _FOUND_UPDATE.search(lead_text):
        lead.add("found")  # the appeal's page, updated: `This person has been found.`
    body_text = _Text("\n".join(texts[_LEAD_UNITS:]))
    body = {k for k in _BODY_KINDS if k not in ("appeal", "collision") and _found(k, _CUES[k], body_text)}
    if _BODY_COLLISION(body_text):
        body.add("collision")
    quoting = any(r.kind != "operation" for r in found.references)
    if _BODY_APPEAL(body_text) or _appeal_words(body_text) or quoting:
        body.add("appeal")
    every = headline | lead | body
    if "found" in headline | lead and "missing" in every:
        every.discard("missing")
    if "court" in every:
        every -= {"charge", "arrest"}
    if "charge" in every:
        every.discard("arrest")
    if every & {"missing", "found"}:
        every.discard("appeal")
    if not every:
        return ("statement",) if _INCIDENT(_Text("\n".join([meta.headline, *texts]))) else ("other",)

    def ranked(kinds: set[str]) -> list[str]:
        return [k for k in _PRECEDENCE if k in kinds & every]

    main = ranked(headline) or ranked(lead) or (["appeal"] if "appeal" in every else ranked(body))
    rest = [k for k in _PRECEDENCE if k in every and k not in main[:1]]
    return (main[0], *rest) if main else tuple(rest)
