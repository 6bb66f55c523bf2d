"""Picture captions left without their picture, and the press officer's initials at the end.

The archive kept the captions of an article's pictures but not the pictures, so a caption reads
as a stray line of the story ("Paul Stuchfield" over the first paragraph, "Jailed: Tarrell Hinds"
under the last). A caption goes only when it is a paragraph of one line, of one of the shapes
below, AND nothing is lost: every word of it (but a few small words and the picture's own
vocabulary, `pictured`, `left`, `right`...) is also in the article (its other blocks, headline,
title or summary) or in the file name of its picture (og:image). The shapes:

- people's names, capitalised words and no punctuation ("Paul Stuchfield", "Hannah Morrison and
  Maysam Miani", "Adnan Mir Farkhan Bahadur"), each of which the article shows to be a person's:
  the name, or its first or last word, followed by an age or a date of birth ("Nigel Matt, 56,",
  "Graham Jamieson (07/06/1953)", "Maysam Miani, aged 19"), after an age ("76-year-old Sandy
  Seagrave") or Mr/Mrs/Ms/Miss/Dr, or followed by `who` or `, of` ("Paul Hunter Redpath, who",
  "Hadir - who", "Jalees Ahmad, of Filton"); or a name of two words or more that the picture's
  file name holds (`Terry-Abson-and-Georgina-Landsjpg.jpg`). A verdict may come first ("Jailed:
  Tarrell Hinds"). Names under a line ending in a colon ("Those sentenced were:") or in a small
  word ("The officer in charge is"), or next to another name line (a list), stay;
- a label of the picture: a line starting `Pictured`, `Photo:`, `Picture:`, `Image:`,
  `Caption:`, `(L-R)`, `Left to right:`, with at most a dozen words after it (a longer caption
  may tell what the story does not), or `CCTV image of` / `Image of` / `Photo of` without a full
  stop ("Images of the men were released." is a sentence);
- a short line ending `CCTV` ("Theatre Bar CCTV", "Reading bike burglary - CCTV", "Jalees Ahmad
  on CCTV"), not a question or a sentence ("Do you recognise him from CCTV");
- a short paragraph wholly in square brackets, with the picture's words or names as above
  ("[Wai Tsang [left] and Wenwen Pan [right]", "[Guilty: Mark Murphy]").

Lines of no such shape stay, however caption-like ("The hunting knife Ahmad used during the
robberies", "Officers on duty across the force area"): nothing tells them from a sentence that
lost its full stop ("The men will now face sentencing"), or from a subheading ("Road Safety
Week").

Thames Valley's bulletins end with the press officer's initials (`LM`, `GFL`): a last paragraph
of two to four capital letters goes (after any caption under it).

Every pattern is linear: bounded repeats, or single character classes nothing else can match.
An article's text is searched at most `_MOST_SEARCHES` times, so a seed of thousands of short
lines costs no more than that many passes over its text (lines after that stay).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..model import Block, LineBreak, Paragraph, Text
from ..text import blocks_text, plain
from .residue import Repairs

_LONGEST = 400  # characters: no caption is longer
_NAME_WORDS = 6  # words in a name line, titles and "and" not counted
_CCTV_WORDS = 6
_LABEL_WORDS = 12  # words after a picture label
_BRACKET_WORDS = 12
_SHORT = 120  # characters: a caption with no label is short
_MOST_SEARCHES = 100  # searches of the article's text per article (each is linear): then stop

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+){0,4}")
# A capitalised name word: Stuchfield, McClennon, Al-Anizi, O'Brien, Ben-Julian.
_NAME = re.compile(r"(?:[A-Z][a-z]{0,2}['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+){0,2}")
_PARTICLES = frozenset({"de", "van", "der", "von", "bin", "da", "di", "du", "le", "la", "al", "el"})
_CONNECTORS = frozenset({"and", "&"})
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "PC", "DC", "DS", "DI", "DCI", "Sgt"})
# Capitalised words that start a heading or a sentence, never a name.
_NOT_NAMES = frozenset(
    {"The", "A", "An", "This", "That", "These", "Those", "Our", "Your", "His", "Her", "Their", "My",
     "We", "You", "They", "It", "How", "What", "Why", "When", "Where", "Who", "Which", "If", "For",
     "To", "In", "On", "At", "Of", "By", "With", "From", "Notes", "Monday", "Tuesday", "Wednesday",
     "Thursday", "Friday", "Saturday", "Sunday"}
)
# A verdict over a defendant's picture: "Jailed: Tarrell Hinds".
_VERDICT = re.compile(r"(?:Jailed|Guilty|Convicted|Sentenced|Charged|Wanted|Missing)[ \t]?:[ \t]{1,3}")

# The picture's own words: a caption saying only these (and names the article has) loses nothing.
_PICTURE_WORDS = frozenset(
    {"pictured", "picture", "pictures", "photo", "photos", "photograph", "image", "images", "pic",
     "caption", "left", "right", "centre", "center", "top", "bottom", "above", "below", "inset",
     "l-r", "r-l", "l", "r", "front", "back", "row", "middle", "main", "still", "stills", "e-fit"}
)
_SMALL_WORDS = frozenset(
    {"the", "a", "an", "and", "of", "on", "in", "at", "to", "from", "with", "by", "for", "is", "are",
     "was", "were", "his", "her", "their", "its", "he", "she", "they", "who", "after", "before"}
)
# Words of a sentence or a question, never of a picture's label.
_SENTENCE_WORDS = frozenset(
    {"i", "me", "we", "us", "you", "him", "her", "them", "our", "your", "do", "did", "does", "can",
     "could", "have", "has", "had", "help", "please", "check", "who", "what", "where", "why", "how",
     "is", "are", "was", "were", "will", "would", "should", "may", "might", "must", "if", "not"}
)
_LABEL = re.compile(
    r"(?i:pictured\b|(?:photo(?:graph)?|picture|image|pic|caption)[ \t]?[:–—-][ \t]"
    r"|\(?[lr][ \t]?(?:-|to)[ \t]?[lr]\)?[ \t]?:?[ \t]"
    r"|(?:from[ \t])?(?:left|right)[ \t]to[ \t](?:right|left)[ \t]?:)"
)
_OF_LABEL = re.compile(
    r"(?:CCTV[ \t])?(?i:images?|pictures?|photos?|photographs?|stills?|e-fits?)[ \t]of[ \t]"
)
_SENTENCE_END = (".", "!", "?", ":", ";", ",")
_PUNCTUATION = frozenset(".!?:;,\"“”")

# A person: an age or date of birth after the name ("Nigel Matt, 56,", "Adnan Mir, 21 of", "Wai
# Tsang, 53 (01.02.68)"; not "Suffolk, 5 were caught"), an age or a title before it, `who` after it.
_AFTER = (
    r"(?:(?:,[ \t]|[ \t]\(|,?[ \t]aged[ \t])[0-9]{1,3}(?=[),]|\.(?![0-9])|[ \t]\(|[ \t](?:of|from|who)\b)"
    r"|[ \t]\([0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}\)"
    r"|(?:,|[ \t][-–])?[ \t]who\b|,[ \t]of\b)"
)
_BEFORE = r"(?:\b[0-9]{1,3}-year-old[ \t]|\b(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t])"
_LAST_WORD = re.compile(r"\b((?:[A-Z][a-z]{0,2}['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+){0,2})[ \t]$")

_INITIALS = re.compile(r"[A-Z]{2,4}\.?")
_IMAGE_NAME = 200  # characters of the file name read: `_CAMEL` may retry a run of capitals
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_IMAGE_SUFFIX = re.compile(r"(?:jpe?g|png|gif|webp)$")  # `Paul-Redpathjpg.jpg`


def strip(
    blocks: Sequence[Block],
    repairs: Repairs,
    *,
    context: Sequence[str | None] = (),
    image: str | None = None,
) -> tuple[Block, ...]:
    """The blocks without picture captions and without a sign-off of initials at the end.
    `context`: the headline, title and summary (a caption's words may be found there);
    `image`: the article's picture (og:image), whose file name may hold the caption's words."""
    texts = [_single_line(b) for b in blocks]
    candidates = [i for i, text in enumerate(texts) if text is not None and _may_be_caption(text)]
    if candidates:
        article = _Article(blocks, texts, context, _image_words(image))
        drop = {i for i in candidates if article.is_caption(i)}
        if drop:
            repairs.add("picture-captions", len(drop))
            blocks = [b for i, b in enumerate(blocks) if i not in drop]
    if blocks and _is_initials(blocks[-1]):
        repairs.add("sign-offs", 1)
        blocks = blocks[:-1]
    return tuple(blocks)


def _single_line(block: Block) -> str | None:
    if not isinstance(block, Paragraph) or any(
        isinstance(n, LineBreak) or (isinstance(n, Text) and len(n.text) > _LONGEST) for n in block.inlines
    ):
        return None  # a line break, or a run longer than any caption: no caption
    text = plain(block.inlines).strip()
    return text if 0 < len(text) <= _LONGEST and "\n" not in text else None


def _is_initials(block: Block) -> bool:
    text = _single_line(block)
    return text is not None and _INITIALS.fullmatch(text) is not None


def _may_be_caption(text: str) -> bool:
    """Cheap tests first: most paragraphs are sentences, or quotes of them."""
    if text[0] == "[" or _LABEL.match(text) is not None:
        return True
    return len(text) <= _SHORT and not text.rstrip("\"'”’").endswith(_SENTENCE_END)


def _unfinished(text: str) -> bool:
    """A paragraph ending in a small word ("The officer in charge is", "seen on") goes on in the
    line under it."""
    return text[-1:].isalpha() and text[-1:].islower()


@dataclass
class _Article:
    """One article's blocks, and what is known of its words (worked out once, when needed)."""

    blocks: Sequence[Block]
    texts: list[str | None]  # each block's text when it is a paragraph of one line
    context: Sequence[str | None]
    pictured: frozenset[str]  # the words of the picture's file name
    _text: str | None = None
    _words: Counter[str] = field(default_factory=Counter)
    _lines: Counter[str | None] = field(default_factory=Counter)
    _searches: int = 0

    @property
    def text(self) -> str:
        """All the article's text, a block a line: the caption's own line can never show a name
        to be a person's (the patterns need more than a name on a line)."""
        if self._text is None:
            self._text = "\n".join([*(c for c in self.context if c), blocks_text(self.blocks)])
            self._words = Counter(_normal(w) for w in _TOKEN.findall(self._text))
            self._lines = Counter(self.texts)
        return self._text

    def is_caption(self, i: int) -> bool:
        text = self.texts[i]
        assert text is not None
        above = self.blocks[i - 1] if i else None
        before = plain(above.inlines).rstrip() if isinstance(above, Paragraph) else ""
        if before.endswith(":"):
            return False  # a line under "Those sentenced were:" is what it announces
        if text[0] == "[" and text[-1] == "]":
            inner = text[1:-1].strip()
            words = [_normal(w) for w in _TOKEN.findall(inner)]
            if len(words) > _BRACKET_WORDS:
                return False
            if _PICTURE_WORDS.isdisjoint(words):  # no `[left]`: a caption only if it names people
                return self._names_people(inner, text)
            return self._nothing_lost(inner, text)
        if (label := _LABEL.match(text)) is not None:
            return len(_TOKEN.findall(text[label.end() :])) <= _LABEL_WORDS and self._nothing_lost(text, text)
        if _OF_LABEL.match(text):
            if text.endswith(_SENTENCE_END) or len(_TOKEN.findall(text)) > _LABEL_WORDS:
                return False  # "Images of the men were released.": a sentence
            return self._nothing_lost(text, text)
        if text == "CCTV" or text.endswith((" CCTV", "\tCCTV")):
            words = [_normal(w) for w in _TOKEN.findall(text)]
            if (len(words) > _CCTV_WORDS or not _PUNCTUATION.isdisjoint(text) or _unfinished(before)
                    or not _SENTENCE_WORDS.isdisjoint(words)):
                return False  # "Do you recognise him from CCTV": a question without its mark
            return self._nothing_lost(text, text)
        if _unfinished(before):
            return False  # the end of the sentence above
        neighbours = [self.texts[j] for j in (i - 1, i + 1) if 0 <= j < len(self.texts)]
        if any(n is not None and _names(n) for n in neighbours):
            return False  # a list of names
        return self._names_people(text, text)

    def _names_people(self, line: str, caption: str) -> bool:
        """`line` is a verdict (maybe) and names the article shows to be people's, and loses
        nothing."""
        verdict = _VERDICT.match(line)
        names = _names(line[verdict.end() :] if verdict is not None else line)
        return (bool(names) and all(self._is_person(name) for name in names)
                and self._nothing_lost(line, caption))

    def _is_person(self, words: list[str], *, whole: bool = True) -> bool:
        """The article shows `words` to be a person's name, or the names of people written one
        after the other ("Adnan Mir Farkhan Bahadur": "Adnan Mir, 21" and "Farkhan Bahadur,
        21")."""
        pictured = len(words) > 1 and all(w.casefold() in self.pictured for w in words)
        if pictured or self._named(" ".join(words), alone=whole and len(words) == 1):
            return True
        if whole and len(words) > 1 and (self._named(words[0]) or self._named(words[-1])):
            return True
        return any(
            self._named(" ".join(words[:k])) and self._is_person(words[k:], whole=False)
            for k in range(2, len(words) - 1)
        )

    def _named(self, name: str, *, alone: bool = False) -> bool:
        """`alone`: a line of one word ("Redpath") is a surname when the article gives the whole
        name ("Paul Hunter Redpath, who"), not the word alone ("in Norfolk and Suffolk, who")."""
        self._searches += 1
        if self._searches > _MOST_SEARCHES or name not in self.text:
            return False
        escaped = re.escape(name)
        if re.search(rf"{_BEFORE}{escaped}\b", self.text) is not None:
            return True
        for match in re.finditer(rf"\b{escaped}{_AFTER}", self.text):
            if not alone:
                return True
            before = _LAST_WORD.search(self.text, max(0, match.start() - 40), match.start())
            if before is not None and before.group(1) not in _NOT_NAMES:
                return True
        return False

    def _nothing_lost(self, line: str, caption: str) -> bool:
        """Every word of `line` but small words and the picture's own is elsewhere in the article
        (`caption`'s paragraphs aside) or in the picture's file name; singular or plural: bike,
        bikes; burglary, burglaries."""
        self._searches += 1
        if self._searches > _MOST_SEARCHES or not self.text:
            return False
        own = Counter(_normal(w) for w in _TOKEN.findall(caption))
        copies = self._lines[caption]  # "Hadir Al-Anizi" over and under the story

        def known(word: str) -> bool:
            return word in self.pictured or self._words[word] > own[word] * copies

        for word in (_normal(w) for w in _TOKEN.findall(line)):
            if word in _SMALL_WORDS or word in _PICTURE_WORDS or known(word):
                continue
            if not any(known(form) for form in _plurals(word)):
                return False
        return True


def _names(text: str) -> list[list[str]]:
    """The names in a name line ("Hannah Morrison and Maysam Miani" → two), titles dropped; []
    when the line is anything but names."""
    words = text.split()
    if not 0 < len(words) <= _NAME_WORDS + 3:
        return []
    groups: list[list[str]] = [[]]
    for k, word in enumerate(words):
        if word in _CONNECTORS:
            if not groups[-1] or k == len(words) - 1:
                return []
            groups.append([])
        elif (word in _TITLES and not groups[-1]) or (word in _PARTICLES and 0 < k < len(words) - 1):
            continue  # "Mr", "de": part of a name, not one
        elif _NAME.fullmatch(word) and word not in _NOT_NAMES:
            groups[-1].append(word)
        else:
            return []
    if not all(groups) or sum(len(g) for g in groups) > _NAME_WORDS:
        return []
    return groups


def _image_words(image: str | None) -> frozenset[str]:
    """The words of the picture's file name: `Terry-Abson-and-Georgina-Landsjpg.jpg` → terry,
    abson, and, georgina, lands; `TheatreCCTVpng.png` → theatre, cctv."""
    if not image:
        return frozenset()
    name = unquote(urlsplit(image).path.rsplit("/", 1)[-1])[:_IMAGE_NAME].rsplit(".", 1)[0]
    words: set[str] = set()
    for part in re.split(r"[^A-Za-z0-9]+", name):
        for word in _CAMEL.findall(part):
            word = word.casefold()
            words.add(word)
            if len(word) > 4:
                words.add(_IMAGE_SUFFIX.sub("", word))
    return frozenset(words)


def _normal(word: str) -> str:
    word = word.casefold().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


def _plurals(word: str) -> set[str]:
    forms = {f"{word}s", f"{word}es"}
    if word.endswith("s"):
        forms |= {word[:-1], word[:-2]}
    if word.endswith("y"):
        forms.add(f"{word[:-1]}ies")
    if word.endswith("ies"):
        forms.add(f"{word[:-3]}y")
    return forms
