"""Word wrapping for plain text that never breaks a URL or any other long word.

Greedy wrapping, as `textwrap` does it, plus the two things a bulletin needs: a *glue*
character (U+00A0) that keeps a reference marker on the same line as the word before it,
and a guarantee that a line is only ever over the width when it holds one token that could
not fit anywhere (a long URL), never because words were joined or a word was split.
"""

from __future__ import annotations

import re

from ...text import to_ascii
from ..shared.text import clean
from ..shared.typography import NBSP

GLUE = NBSP  # the view's no-break space: joins two words so they wrap as one; printed as a space

# Lines break only at ASCII whitespace: U+00A0 (GLUE) is whitespace to str.split(), not here.
_BREAKS = "\t\n\x0b\x0c\r "
_BREAK = re.compile(f"[{_BREAKS}]+")
# A glued run: one token. Tried only where a word starts (the look-behind), and nothing in
# the word is re-tried (`*+`): the pattern without both scanned a 100,000-character word
# again from each of its characters (72 s for one bulletin).
_GLUED = re.compile(f"(?<![^{_BREAKS}])[^{_BREAKS}{GLUE}]*+{GLUE}[^{_BREAKS}]*+")


def wrap(text: str, width: int, initial: str = "", subsequent: str = "") -> list[str]:
    """`text` wrapped to `width` columns, first line prefixed by `initial`, the others by
    `subsequent`. Words are never split, nor are URLs broken at hyphens or slashes.

    Glued words (joined with `GLUE`) stay together unless together they could never fit,
    in which case they are unglued rather than allowed to overflow.
    """
    room = width - max(len(initial), len(subsequent))
    if GLUE in text and _glued_run_longer(text, room):
        text = _GLUED.sub(lambda m: m[0] if len(m[0]) <= room else m[0].replace(GLUE, " "), text)
    text = text.strip(_BREAKS)
    if not text:
        return [initial.rstrip()] if initial.strip() else []
    if _odd_break(text):  # one space between words (as callers mostly give)
        text = " ".join(_BREAK.split(text))
    # Greedy, like textwrap without breaking long words or at hyphens: each line is the longest
    # run of whole words that fits, found by one rfind per line rather than a step per word
    # (this is the inner loop of every bulletin). A word longer than the line stands alone.
    lines: list[str] = []
    pos, end = 0, len(text)
    limit, indent = width - len(initial), initial
    while end - pos > limit:
        cut = text.rfind(" ", pos, pos + max(limit + 1, 0))  # (a negative end counts from the end)
        if cut <= pos:  # the first word does not fit: it is the line
            cut = text.find(" ", pos)
            if cut < 0:
                break
        lines.append(indent + text[pos:cut])
        pos = cut + 1
        limit, indent = width - len(subsequent), subsequent
    lines.append(indent + text[pos:])
    return [ln.replace(GLUE, " ").rstrip() for ln in lines]


def _odd_break(text: str) -> bool:
    """Does `text` hold a break other than single spaces? Substring tests: a C scan each, where
    a pattern of alternatives stepped through every character (the inner loop of a bulletin)."""
    return ("  " in text or "\n" in text or "\t" in text or "\r" in text or "\x0b" in text
            or "\x0c" in text)


def _glued_run_longer(text: str, room: int) -> bool:
    """Is a run between spaces holding a GLUE longer than `room`? Only then can a glued token
    (never longer than the run holding it) need ungluing: most texts are spared the pattern.
    Each run is measured once, found from its GLUE with `find`."""
    at = text.find(GLUE)
    while at >= 0:
        end = text.find(" ", at)
        end = len(text) if end < 0 else end
        if end - (text.rfind(" ", 0, at) + 1) > room:
            return True
        at = text.find(GLUE, end)
    return False


def glued_text(value: str, ascii: bool = False) -> str:
    """Seed text ready for wrapping, its whitespace made single spaces, but the no-break
    spaces the editorial view put inside phone numbers and references kept as glue (the reader
    has already made the source's own no-break spaces plain ones). With `ascii`, converted
    first, so the wrapped width is the printed width."""
    if GLUE not in value:
        value = clean(value, "flat")
        return to_ascii(value) if ascii else value
    parts = [clean(part, "flat") for part in value.split(GLUE)]
    return GLUE.join(to_ascii(part) for part in parts) if ascii else GLUE.join(parts)
