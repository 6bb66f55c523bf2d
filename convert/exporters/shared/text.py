"""The one `clean()`: seed text without the characters no output can carry.

Every format passes seed text through here before it escapes it in its own syntax. What is
dropped is the same for all; only what becomes of whitespace depends on the format, because
each lays out text differently (HTML collapses whitespace itself, a Word run cannot hold a line
break, plain text and Markdown wrap words themselves).
"""

from __future__ import annotations

import re
from typing import Literal

# C0 controls (but tab, newline, carriage return), DEL and C1 controls: they corrupt terminals,
# mail and XML, and carry no meaning in a press release. Lone surrogates and non-characters:
# encoders and XML parsers refuse them. Private use: no font has them, so they print as boxes.
# The soft hyphen: a stray dash in plain text, a stray hyphenation point elsewhere.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)
_SPACE = re.compile(r"\s+")  # `\s` is exactly `str.isspace()`
_LINE = re.compile("[\t\n\r\u2028\u2029]+")

Whitespace = Literal["keep", "line", "flat"]


def clean(text: str, whitespace: Whitespace = "keep") -> str:
    """`text` without the characters no format can carry (see `_UNSAFE`).

    `whitespace` says what happens to the rest: "keep" leaves it (HTML), "line" makes each run
    of tabs and line breaks one space (Word), "flat" makes every run of whitespace of any kind,
    non-breaking spaces included, one space (bulletins and Markdown, which wrap words themselves).
    """
    # This runs on every run of text of every output: a check in C first, regexes if need be.
    if text.isprintable():  # nothing to drop, and no whitespace but U+0020
        return _SPACE.sub(" ", text) if whitespace == "flat" and "  " in text else text
    if whitespace == "flat":
        # Whitespace first: a vertical tab or a form feed separates words, it is not dropped.
        return _SPACE.sub(" ", _UNSAFE.sub("", _SPACE.sub(" ", text)))
    text = _UNSAFE.sub("", text)
    return _LINE.sub(" ", text) if whitespace == "line" else text
