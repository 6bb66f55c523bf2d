"""The seed body (Markdown converted from a web page) → model blocks, via markdown-it.

CommonMark, with three deliberate differences that the archive calls for:

- raw HTML is text, never markup (`html` off), and links are only http(s), mailto and tel;
- bare URLs, `www.` and `name.police.uk` hosts and e-mail addresses become links. This is
  linkify-it-py's job in markdown-it, but it costs about a millisecond an article (measured),
  more than all the rest of the reader; one compiled pattern does it here instead;
- a soft line break is a `LineBreak`: the converter wrote one newline per `<br>`, so line
  structure is real (address blocks, `Contact details:` lines, lists typed with `•`);
- scrape artefacts are tidied: empty bold (`****`, `** **`), empty headings, paragraphs of
  lines that start with `•` or an escaped `\\-` become lists, and headings that are really
  quoted speech (Lancashire's `#### Sgt X said: “...`) become quotes.

The body is untrusted: every pattern here runs in time linear in the text (no quantifier can
re-scan what another already took), and the structure built is capped (`convert.limits`):
markdown-it is stopped as soon as the body passes a limit, before it builds more.
"""

from __future__ import annotations

import re

from ..limits import MAX_BODY_CHARS
from ..model import Block
from .errors import SeedError

# The parsers, one module each; the names are looked up here at each call, so a test may swap one.
from .tokens import parse_reference as _parse_reference  # markdown-it-py, the reference
from .tree import RS as _RS  # markdown-it-pyrs, or None
from .tree import parse_compiled as _parse_compiled

__all__ = ["parse"]

# Whole lines that are empty emphasis: `****`, `** **`, `__`, `** `. CommonMark would make
# `****` a thematic break; on these pages it was an empty <strong>.
_EMPTY_MARK_LINE = re.compile(r"^[ \t]*(?:\*\*[ \t]*\*\*|__[ \t]*__|\*\*|__)[ \t]*$", re.MULTILINE)


# A bold line whose closing `**` the scrape put at the start of the next line, before a space
# (`**Statement from ACC Tim Smith.⏎** **Officer in charge.**`): the mark goes back to the end
# of its own line, so both lines are bold. Linear: each line is scanned once, from its start.
_CLOSE_ON_NEXT_LINE = re.compile(r"^([ \t]*\*\*[^*\s][^*\n]*)\n\*\*(?=[ \t])", re.MULTILINE)


def parse(
    text: str, base_url: str | None = None, source: str | None = None, first_line: int = 1
) -> tuple[Block, ...]:
    """Markdown → blocks. `base_url` resolves relative links. A body past a structure limit
    (`convert.limits`) is a `SeedError` naming `source` and, where known, the line (the body
    starts on the seed's line `first_line`)."""
    if len(text) > MAX_BODY_CHARS:
        reason = f"the body is too long ({len(text):,} characters; the limit is {MAX_BODY_CHARS:,})"
        raise SeedError(reason, source)
    text = text.replace("\xa0", " ")
    if "**" in text or "__" in text:  # what every empty-mark line holds: most bodies have neither
        text = _EMPTY_MARK_LINE.sub("", text)
    if "\n** " in text or "\n**\t" in text:
        text = _CLOSE_ON_NEXT_LINE.sub("\\1**\n", text)
    if _RS is not None:
        blocks = _parse_compiled(text, base_url, source, first_line)
        if blocks is not None:
            return blocks
    return _parse_reference(text, base_url, source, first_line)
