"""Word wrapping for plain text that never breaks a URL or any other long word.

`textwrap` does the work; this module adds the two things a bulletin needs: a *glue*
character (U+00A0) that keeps a reference marker on the same line as the word before it,
and a guarantee that a line is only ever over the width when it holds one token that could
not fit anywhere (a long URL), never because words were joined or a word was split.
"""

from __future__ import annotations

import re
import textwrap

GLUE = "\u00a0"  # joins two words so they wrap as one; printed as a space

_SPACE = re.compile(r"\s+")  # `\s` is exactly `str.isspace()`
# Unicode categories Cc, Cs and Co (controls, surrogates, private use), and the soft hyphen.
_DROP = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)
# A chunk as textwrap sees it: it splits only at these ASCII whitespace characters.
_GLUED = re.compile(rf"[^\t\n\x0b\x0c\r ]*{GLUE}[^\t\n\x0b\x0c\r ]*")


def clean(text: str) -> str:
    """Seed text made safe to wrap: every kind of whitespace (tabs, newlines, non-breaking
    spaces) becomes one space, and control and format characters that would corrupt a
    terminal or an e-mail are dropped. Soft hyphens go too: they print as stray dashes."""
    # Regexes, not a loop over characters: this runs on every word of every bulletin.
    return _SPACE.sub(" ", _DROP.sub("", _SPACE.sub(" ", text)))


def wrap(text: str, width: int, initial: str = "", subsequent: str = "") -> list[str]:
    """`text` wrapped to `width` columns, first line prefixed by `initial`, the others by
    `subsequent`. Words are never split, nor are URLs broken at hyphens or slashes.

    Glued words (joined with `GLUE`) stay together unless together they could never fit,
    in which case they are unglued rather than allowed to overflow.
    """
    room = width - max(len(initial), len(subsequent))
    text = _GLUED.sub(lambda m: m.group() if len(m.group()) <= room else m.group().replace(GLUE, " "), text)
    if not text.strip():
        return [initial.rstrip()] if initial.strip() else []
    wrapper = textwrap.TextWrapper(
        width=width,
        initial_indent=initial,
        subsequent_indent=subsequent,
        break_long_words=False,
        break_on_hyphens=False,  # hyphens in URLs and reference numbers must not become breaks
        expand_tabs=False,
        replace_whitespace=True,
    )
    return [line.replace(GLUE, " ").rstrip() for line in wrapper.wrap(text)]
