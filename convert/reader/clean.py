"""Tidying the body after parsing: scrape boilerplate, the repeated headline, heading levels.

Boilerplate is removed only where it is unmistakably page furniture, never content, and only
as whole lines. Every rule is listed here, with the site it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..model import Block, Heading, ListBlock, Paragraph, Quote, Rule
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
    return _WORDS.sub(" ", a.casefold()).strip() == _WORDS.sub(" ", b.casefold()).strip()


def drop_headline(blocks: Sequence[Block], headlines: Sequence[str]) -> tuple[Block, ...]:
    """A heading near the top repeating the headline (Dorset, Durham: `# Headline`) goes."""
    for i, block in enumerate(blocks[:2]):
        if isinstance(block, Heading):
            text = plain(block.inlines)
            if any(same_words(text, h) for h in headlines if h):
                return (*blocks[:i], *blocks[i + 1 :])
    return tuple(blocks)


def first_h1(blocks: Sequence[Block]) -> str | None:
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            return plain(block.inlines).strip() or None
    return None


def normalise_headings(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Shift heading levels so the body's top level is 2 (the headline is the only level 1)."""
    levels = [b.level for b in _walk(blocks) if isinstance(b, Heading)]
    if not levels or min(levels) == 2:
        return tuple(blocks)
    shift = 2 - min(levels)
    return tuple(_shift(b, shift) for b in blocks)


def _shift(block: Block, shift: int) -> Block:
    if isinstance(block, Heading):
        return Heading(max(2, min(6, block.level + shift)), block.inlines)
    if isinstance(block, Quote):
        return Quote(tuple(_shift(b, shift) for b in block.blocks), block.speaker)
    if isinstance(block, ListBlock):
        items = tuple(tuple(_shift(b, shift) for b in item) for item in block.items)
        return ListBlock(block.ordered, items, block.start)
    return block


def _walk(blocks: Sequence[Block]):
    for block in blocks:
        yield block
        if isinstance(block, Quote):
            yield from _walk(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _walk(item)
