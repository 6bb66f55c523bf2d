"""Tidying the body after parsing: scrape boilerplate, the repeated headline, heading levels,
and the body's structure (headings inside list items, a leading tag, sentences typed as
headings, paragraphs run together on consecutive lines, a paragraph printed twice).

Boilerplate is removed only where it is unmistakably page furniture, never content, and only
as whole lines. Every rule is listed here, with the site it comes from. The structure repairs
are counted in the reader's `Repairs` (`residue.STRUCTURE_KINDS`: what `-v` says).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise

from ..limits import MAX_BLOCKS
from ..model import (
    Block,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
    walk,
    walk_blocks,
)
from ..text import plain
from .lines import join_lines, lines

_DOWNLOAD = r"View \| Download \((?:PNG|JPE?G|GIF|PDF|MP4) - [0-9.,]+ [KMG]?B\)"  # British Transport
BOILERPLATE = re.compile(
    "|".join(
        (
            r"Page Image",  # Durham (SharePoint page furniture)
            r"Page Content",  # Durham
            r"Share by email",  # Nottinghamshire
            _DOWNLOAD,
            r"There (?:is|are) [0-9]+ related updates? to this story",  # Avon and Somerset
            r"Author ID: [0-9]+",  # Devon and Cornwall
            r"Your name|Your email|Confirm that this is not an emergency|Send",  # Devon and Cornwall form
            r"View all [0-9]+ images",  # PSNI gallery link
            r"Make a report Call 101 Now|More Information Report It",  # PSNI buttons
            # West Mercia, Warwickshire: the press office's sign-off, "Issued: 2.45pm, Saturday 21
            # September, Alex Gale, Corporate Communications", "Issued by AG, ...", "Issued AS ..."
            # (not a sentence such as "Updated advice was issued by corporate communications";
            # bounded: linear)
            r"(?i:issued|posted|updated)(?::|(?i: by)\b| [A-Z]{2,4}\b)[^\n]{0,90}"
            r"(?i:corporate communications)\.?",
            # The press release's end mark, as a whole line: "ENDS", "-Ends-", "– ENDS –"
            # (Northamptonshire, PSNI; bounded: linear)
            r"(?:[-–—] ?){0,2}(?:ENDS?|Ends)(?: ?[-–—]){0,2}\.?",
        )
    )
)
_LONGEST = 120  # characters; no boilerplate line is longer
# Removed only as the very first block: a section label above the date (Essex, Derbyshire).
LEADING_LABELS = frozenset({"News"})

_WORDS = re.compile(r"\W+")


# British Transport: the page's category ("Court Result", "Charged", "Statement") is the label of
# its picture, the first line above the picture's download link: a few words, not a sentence.
_PICTURE_LABEL_WORDS = 4
_DOWNLOAD_LINE = re.compile(_DOWNLOAD)


# GOV.UK (Civil Nuclear): the page's "From:" line, naming the publishing bodies, over the story.
_FROM_LINES = 3
_FROM_LONGEST = 160


def drop_boilerplate(blocks: Sequence[Block]) -> tuple[Block, ...]:
    if len(blocks) > 1 and isinstance(blocks[0], Paragraph) and isinstance(blocks[1], Paragraph):
        label = plain(blocks[0].inlines).strip()
        if (_DOWNLOAD_LINE.fullmatch(plain(blocks[1].inlines).strip()) and "\n" not in label
                and len(label.split()) <= _PICTURE_LABEL_WORDS and not label.endswith((".", "?", "!", ":"))):
            blocks = blocks[1:]
    if blocks and isinstance(blocks[0], Paragraph) and _publishers(plain(blocks[0].inlines)):
        blocks = blocks[1:]
    out = _filter_lines(blocks, lambda text: BOILERPLATE.fullmatch(text) is not None)
    if out and isinstance(out[0], Paragraph) and plain(out[0].inlines).strip() in LEADING_LABELS:
        out = out[1:]
    return out


def _publishers(text: str) -> bool:
    """`From:` and the bodies that published the page (a line or three, no sentence): GOV.UK's
    header, not the story's words."""
    head, _, rest = text.strip().partition(":")
    names = [line.strip() for line in rest.strip().splitlines()]
    return (head == "From" and 0 < len(names) <= _FROM_LINES and all(names)
            and all(len(n) <= _FROM_LONGEST and not n.endswith((".", "?", "!")) for n in names))


def trim_rules(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """No rule first (Dorset's `* * *` under a date line that has gone), none doubled, and
    nothing at the end that introduces nothing: a last rule, or a heading over an emptied
    section (Devon and Cornwall's `### Can you help?` above the form that has gone)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Rule) and (not out or isinstance(out[-1], Rule)):
            continue
        out.append(block)
    while out and isinstance(out[-1], Rule | Heading):
        out.pop()
    return tuple(out)


def _filter_lines(blocks: Sequence[Block], unwanted: Callable[[str], bool]) -> tuple[Block, ...]:
    """Remove lines of paragraphs (and whole headings) for which `unwanted(text)` holds."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            text = plain(block.inlines)
            if "\n" not in text and len(text) > _LONGEST:
                out.append(block)  # one line longer than any boilerplate: the common case
                continue
            kept = [line for line in lines(block.inlines) if not unwanted(plain(line).strip())]
            if any(kept):
                out.append(Paragraph(join_lines(kept)))
            continue
        if isinstance(block, Heading) and unwanted(plain(block.inlines).strip()):
            continue
        out.append(block)
    return tuple(out)


def same_words(a: str, b: str) -> bool:
    """Equal ignoring case, punctuation and spacing."""
    return _words_of(a) == _words_of(b)


def _words_of(text: str) -> str:
    return _WORDS.sub(" ", text.casefold()).strip()


def _count(repairs: Counter[str] | None, kind: str, n: int = 1) -> None:
    if repairs is not None and n:
        repairs[kind] += n


def drop_headline(
    blocks: Sequence[Block], headlines: Sequence[str], repairs: Counter[str] | None = None
) -> tuple[Block, ...]:
    """The headline printed again at the top of the body goes: a heading among the first two
    blocks (Dorset, Durham: `# Headline`), then a first paragraph that says it word for word
    (Greater Manchester, PSNI), or the first item of a first list (Hertfordshire's key points,
    the first of which may be the headline). Only the same words: a lead that starts as the
    headline does and goes on stays."""
    wanted = {_words_of(h) for h in headlines if h}
    wanted.discard("")
    longest = max((len(h) for h in headlines if h), default=0)

    def repeats(inlines: Sequence[Inline]) -> bool:
        text = plain(inlines)
        # a lead much longer than every headline cannot be the same words (the common case)
        return len(text) <= 2 * longest + 20 and _words_of(text) in wanted

    out = list(blocks)
    for i, block in enumerate(out[:2]):
        if isinstance(block, Heading) and repeats(block.inlines):
            del out[i]
            _count(repairs, "headline-repeat")
            break
    first = out[0] if out else None
    if isinstance(first, Paragraph) and len(out) > 1 and repeats(first.inlines):
        del out[0]
        _count(repairs, "headline-repeat")
    elif isinstance(first, ListBlock) and not first.ordered and len(out) > 1:
        item = first.items[0] if first.items else ()
        if len(item) == 1 and isinstance(item[0], Paragraph) and repeats(item[0].inlines):
            rest = first.items[1:]
            out[:1] = [ListBlock(first.ordered, rest, first.start)] if rest else []
            _count(repairs, "headline-repeat")
    return tuple(out)


def first_h1(blocks: Sequence[Block]) -> str | None:
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            return plain(block.inlines).strip() or None
    return None


def normalise_headings(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Shift heading levels so the body's top level is 2 (the headline is the only level 1)."""
    levels = [b.level for b in walk_blocks(blocks) if isinstance(b, Heading)]
    if not levels or min(levels) == 2:
        return tuple(blocks)
    shift = 2 - min(levels)
    return tuple(
        _with_headings(b, lambda h, _: Heading(max(2, min(6, h.level + shift)), h.inlines)) for b in blocks
    )


def _with_headings(block: Block, change: Callable[[Heading, bool], Block], inside: bool = False) -> Block:
    """`block` with each heading in it replaced by `change(heading, inside)`, `inside` True for
    one in a list item or a quote; the rest of the tree as it was."""
    if isinstance(block, Heading):
        return change(block, inside)
    if isinstance(block, Quote):
        return Quote(tuple(_with_headings(b, change, True) for b in block.blocks), block.speaker)
    if isinstance(block, ListBlock):
        items = tuple(tuple(_with_headings(b, change, True) for b in item) for item in block.items)
        return ListBlock(block.ordered, items, block.start)
    return block



# --- the body's structure ------------------------------------------------------------------

# A leading tag: the page's district or category label printed as a one-item list over the
# story (PSNI: `* Belfast`, `* Derry City & Strabane`, `* Armagh City, Banbridge & Craigavon`).
_TAG_WORDS = 6
_NOT_IN_TAG = frozenset(".!?:;\"“”()[]/|@#")


def drop_leading_tag(blocks: Sequence[Block], repairs: Counter[str] | None = None) -> tuple[Block, ...]:
    """A one-item list that is the body's first block and holds only a label (a few capitalised
    words of plain text: no sentence punctuation, digits or link) is page furniture, not the
    story: it goes. A one-item list of anything else (a sentence, a dated link) stays."""
    if len(blocks) > 1 and _is_tag(blocks[0]):
        _count(repairs, "leading-tag")
        return tuple(blocks[1:])
    return tuple(blocks)


def _is_tag(block: Block) -> bool:
    if not isinstance(block, ListBlock) or block.ordered or len(block.items) != 1:
        return False
    item = block.items[0]
    if len(item) != 1 or not isinstance(item[0], Paragraph) or not _plain_words(item[0].inlines):
        return False
    text = plain(item[0].inlines).strip()
    return (
        0 < len(text.split()) <= _TAG_WORDS
        and text[0].isupper()
        and not any(ch.isdigit() or ch in _NOT_IN_TAG for ch in text)
    )


def _plain_words(inlines: Sequence[Inline]) -> bool:
    """Text only, perhaps bold or italic: no link, no line break."""
    return all(
        isinstance(node, Text) or (isinstance(node, Strong | Emphasis) and _plain_words(node.inlines))
        for node in inlines
    )


def headings_in_items(blocks: Sequence[Block], repairs: Counter[str] | None = None) -> tuple[Block, ...]:
    """A heading inside a list item or a quote is that item's paragraph, inlines kept
    (Hertfordshire's key points, `* ### A man has pleaded guilty ...`): a heading belongs to the
    article's outline, never inside a bullet."""

    def unnested(heading: Heading, inside: bool) -> Block:
        if not inside:
            return heading
        _count(repairs, "nested-headings")
        return Paragraph(heading.inlines)

    return tuple(_with_headings(block, unnested) for block in blocks)


# A heading that is plainly a sentence: it ends with a full stop and is long. In the sample the
# longest real subheading has 8 words ("What happens when I report a hate crime?", "Little
# Wratting - Serious collision update December 2017") and the shortest sentence 17.
SENTENCE_HEADING_WORDS = 12
_CLOSERS = " \t\"”’')]"


def sentence_headings(blocks: Sequence[Block], repairs: Counter[str] | None = None) -> tuple[Block, ...]:
    """A top-level heading that is a whole sentence (`### Two men have been given football
    banning orders following disorder at a football match earlier this year.`) is a paragraph.
    Short headings, questions and dated updates stay headings."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and _is_sentence(plain(block.inlines)):
            _count(repairs, "sentence-headings")
            block = Paragraph(block.inlines)
        out.append(block)
    return tuple(out)


def _is_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(".") and len(text.split()) >= SENTENCE_HEADING_WORDS


# Paragraphs typed on consecutive lines (Surrey, Kent, Humberside...): the scrape kept them as
# one paragraph with line breaks. A break is a paragraph break when the line before ends a
# sentence and the line after starts one; the paragraph is split only when it is clearly prose:
# every line has at least `_PROSE_WORDS` words and some text neither bold nor italic, the last
# ends a sentence (or a colon, over a list), and at most one break in four is not such a break
# (a full stop the writer forgot).
# Addresses, lists of names, contact blocks and lines ending mid-sentence stay as they are.
_PROSE_WORDS = 5
_OPENERS = " \t\"“‘'(["


def split_run_together(blocks: Sequence[Block], repairs: Counter[str] | None = None) -> tuple[Block, ...]:
    """Top-level paragraphs (and those of quotes) that are paragraphs on consecutive lines
    become those paragraphs; other line breaks in them stay line breaks. The body stays within
    `MAX_BLOCKS`: a paragraph that would take it past stays whole."""
    if not any(map(_has_break, blocks)):
        return tuple(blocks)  # most articles: nothing to split, nothing to count
    room = [MAX_BLOCKS - _count_blocks(blocks)]
    return _split(blocks, repairs, room)


def _has_break(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return any(isinstance(node, LineBreak) for node in block.inlines)
    return isinstance(block, Quote) and any(map(_has_break, block.blocks))


def _split(blocks: Sequence[Block], repairs: Counter[str] | None, room: list[int]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts = _paragraphs(block)
            if len(parts) - 1 > room[0]:
                parts = [block]
            room[0] -= len(parts) - 1
            _count(repairs, "run-together", len(parts) > 1)
            out.extend(parts)
        elif isinstance(block, Quote):
            out.append(Quote(_split(block.blocks, repairs, room), block.speaker))
        else:
            out.append(block)
    return tuple(out)


def _count_blocks(blocks: Sequence[Block]) -> int:
    return sum(1 for node in walk(blocks) if isinstance(node, Heading | Paragraph | ListBlock | Quote | Rule))


def _paragraphs(block: Paragraph) -> list[Paragraph]:
    if not any(isinstance(node, LineBreak) for node in block.inlines):
        return [block]
    parts = list(lines(block.inlines))
    texts = [plain(part).strip() for part in parts]
    if any(len(text.split()) < _PROSE_WORDS for text in texts) or not all(map(_has_plain_text, parts)):
        return [block]
    breaks = [_ends_sentence(a) and _starts_sentence(b) for a, b in pairwise(texts)]
    good = sum(breaks)
    bad = len(breaks) - good + (not _ends_sentence(texts[-1], ":"))
    if not good or bad > good // 4:
        return [block]
    out: list[Paragraph] = []
    run = [parts[0]]
    for part, split in zip(parts[1:], breaks, strict=True):
        if split:
            out.append(Paragraph(join_lines(run)))
            run = []
        run.append(part)
    out.append(Paragraph(join_lines(run)))
    return out


def _has_plain_text(line: Sequence[Inline]) -> bool:
    """Some of the line is neither bold nor italic: a line all in bold is a caption or a
    label (`**Statement from DI Sarah Hall.**`), not prose."""
    return any(isinstance(node, Text) and node.text.strip() for node in line)


def _ends_sentence(text: str, also: str = "") -> bool:
    return text.rstrip(_CLOSERS).endswith((".", "!", "?", *also))


def _starts_sentence(text: str) -> bool:
    rest = text.lstrip(_OPENERS)
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


def drop_doubled(blocks: Sequence[Block], repairs: Counter[str] | None = None) -> tuple[Block, ...]:
    """A paragraph printed twice in a row (the same text, spacing aside) is printed once."""
    out: list[Block] = []
    last: tuple[Paragraph, str | None] | None = None  # the paragraph before, and its opening
    for block in blocks:
        if not isinstance(block, Paragraph):
            out.append(block)
            last = None
            continue
        opening = _opening(block)
        if last is not None and _may_match(opening, last[1]) and _same_text(block, last[0]):
            _count(repairs, "doubled")
            continue
        out.append(block)
        last = (block, opening)
    return tuple(out)


def _opening(paragraph: Paragraph) -> str | None:
    """The first letters of a paragraph that starts with text, spacing aside: two paragraphs
    with different openings are told apart without their whole text (the usual case)."""
    first = paragraph.inlines[0] if paragraph.inlines else None
    return "".join(first.text[:48].split())[:24] if isinstance(first, Text) else None


def _may_match(one: str | None, other: str | None) -> bool:
    """Openings that could belong to one text (one may stop early, at a line break)."""
    return one is None or other is None or one.startswith(other) or other.startswith(one)


def _same_text(a: Paragraph, b: Paragraph) -> bool:
    if a.inlines == b.inlines:
        return bool(a.inlines)
    one, other = plain(a.inlines), plain(b.inlines)
    if abs(len(one) - len(other)) > len(one) // 4 + 8:  # spacing aside, they cannot be equal
        return False
    text = " ".join(one.split())
    return bool(text) and text == " ".join(other.split())
