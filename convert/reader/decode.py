"""Seed bytes → clean text: encoding, line ends, and characters no output format can hold."""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
import warnings

from ..limits import MAX_MARKS, too_large
from .errors import SeedError, SeedWarning

# Magic numbers of files that turn up renamed as seeds: images, PDFs, archives, executables.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "zip archive (or a Word document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

# Bytes that never occur in text. A few (a stray NUL) are cleaned away; many mean binary.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_MAX_CONTROL_SHARE = 0.05

# Characters XML 1.0 cannot hold (so neither Word nor the PDF writer can), C1 controls,
# and invisible artefacts of the scrape (zero-width space, soft hyphen, stray byte-order marks).
# Tab and newline are kept; form feed and vertical tab become newlines below.
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\xad\u200b\ufeff\ufffe\uffff\ud800-\udfff]")
_LINE_ENDS = re.compile(r"\r\n?|[\x0b\x0c\u2028\u2029\x85]")
# Scanning a whole seed with a character-class regex costs more than all the rest of
# decoding, and nearly every seed is clean. So for UTF-8 input the printable ASCII is deleted
# first (bytes.translate, fast) and the patterns run over what is left: controls and the
# multi-byte characters, a few dozen bytes. UTF-8 is self-synchronising, so a match there is a
# match in the text.
_PLAIN_BYTES = bytes((9, 10, *range(32, 127)))
_BREAK_BYTES = re.compile(rb"[\r\x0b\x0c]|\xe2\x80[\xa8\xa9]|\xc2\x85")
_UNWANTED_BYTES = re.compile(
    rb"[\x00-\x08\x0e-\x1f\x7f]|\xc2[\x80-\x9f\xad]|\xe2\x80\x8b|\xef(?:\xbb\xbf|\xbf[\xbe\xbf])"
)


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the bytes UTF-8 rejected as cp1252 (latin-1 for its holes)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return "".join(_byte_as_cp1252(b) for b in chunk), exc.end


def _byte_as_cp1252(byte: int) -> str:
    try:
        return bytes((byte,)).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in cp1252
        return chr(byte)


codecs.register_error("convert-cp1252", _cp1252_bytes)


def _binary_kind(data: bytes, rest: bytes) -> str | None:
    """What binary file this is, if it is one. `rest` is `data` without its plain ASCII."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    controls = len(rest) - len(rest.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(data) * _MAX_CONTROL_SHARE):
        return "binary data"
    return None


def _decode_bytes(data: bytes, rest: bytes, source: str | None) -> tuple[str, bool]:
    """The text, and whether it was plain UTF-8 (so byte-level checks apply to it)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace"), False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), False
    kind = _binary_kind(data, rest)
    if kind is not None:
        raise SeedError(f"binary file ({kind}), not a seed", source)
    try:
        return data.decode("utf-8-sig"), True
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8-sig", errors="convert-cp1252")
    name = source or "<seed>"
    if _has_utf8_multibyte(data):
        # Mostly UTF-8 with some cp1252 pasted in: keep the UTF-8, rescue the rest.
        line = data.count(b"\n", 0, first_bad) + 1
        message = f"{name}:{line}: invalid UTF-8 bytes decoded as cp1252"
    else:
        message = f"{name}: not UTF-8, decoded as cp1252"
    warnings.warn(message, SeedWarning, stacklevel=4)
    return text, False


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _has_utf8_multibyte(data: bytes) -> bool:
    return _UTF8_MULTIBYTE.search(data) is not None


def clean_value(text: str) -> str:
    """The same character clean-up for a string that YAML escapes built (`"\\x00"`, `"\\u200b"`)."""
    if _UNWANTED.search(text) is not None:
        text = _UNWANTED.sub("", text)
    if not text.isascii() and _may_pile_marks(_NON_ASCII.sub("", text)):
        text, _, _ = _cap_marks(text)
    return text


# --- combining marks ------------------------------------------------------------------------
# "Zalgo" text piles combining marks on one character: 'a' + 100,000 U+0301 took minutes to
# lay out as a PDF. No script needs more than a few on one character, so longer runs are cut.

_NON_ASCII = re.compile("[\x00-\x7f]+")
_category = unicodedata.category


def _may_pile_marks(others: str) -> bool:
    """Could the text hold a run of more than MAX_MARKS marks? `others` is its non-ASCII
    characters only (a few dozen in most seeds): a run in the text is a run there too."""
    if len(others) <= MAX_MARKS:
        return False
    run = 0
    for ch in others:
        if _category(ch)[0] == "M":
            run += 1
            if run > MAX_MARKS:
                return True
        else:
            run = 0
    return False


@functools.cache
def _mark_runs() -> re.Pattern[str]:
    """Runs of more than MAX_MARKS combining marks (Unicode category M). Built from the
    Unicode database on first need (a fifth of a second), since nearly no seed needs it."""
    ranges: list[str] = []
    start = None
    for cp in range(0x110000 + 1):
        mark = cp < 0x110000 and _category(chr(cp))[0] == "M"
        if mark and start is None:
            start = cp
        elif not mark and start is not None:
            ranges.append(f"{chr(start)}-{chr(cp - 1)}")
            start = None
    return re.compile(f"[{''.join(ranges)}]{{{MAX_MARKS + 1},}}")


def _cap_marks(text: str) -> tuple[str, int, int]:
    """The text with every run of marks cut to MAX_MARKS; how many runs were cut, and where
    the first was (a character index)."""
    runs = 0
    first = -1

    def cut(match: re.Match[str]) -> str:
        nonlocal runs, first
        runs += 1
        if first < 0:
            first = match.start()
        return match[0][:MAX_MARKS]

    return _mark_runs().sub(cut, text), runs, first


def _capped_marks(text: str, others: str, source: str | None) -> str:
    if not _may_pile_marks(others):
        return text
    text, runs, first = _cap_marks(text)
    if runs:
        line = text.count("\n", 0, first) + 1
        several = f"{runs:,} runs of combining marks" if runs > 1 else "a run of combining marks"
        message = f"{source or '<seed>'}:{line}: {several} cut to {MAX_MARKS} on one character"
        warnings.warn(message, SeedWarning, stacklevel=4)
    return text


def decode(data: str | bytes, source: str | None = None, *, max_bytes: int) -> str:
    """The seed's text with `\\n` line ends and only characters every output can hold.

    Raises `SeedError` for an empty, oversized or binary file. A file that is not UTF-8 is
    read as cp1252, with a `SeedWarning` naming the file.
    """
    if isinstance(data, str):
        size = len(data) if len(data) * 4 <= max_bytes else len(data.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise SeedError(too_large(size, max_bytes), source)
        text = data[1:] if data.startswith("\ufeff") else data
        breaks_ok = clean = False
        others = "" if text.isascii() else _NON_ASCII.sub("", text)
    else:
        if len(data) > max_bytes:
            raise SeedError(too_large(len(data), max_bytes), source)
        data = bytes(data)
        rest = data.translate(None, _PLAIN_BYTES)
        text, utf8 = _decode_bytes(data, rest, source)
        if utf8:
            rest = rest[3:] if data.startswith(codecs.BOM_UTF8) else rest
            breaks_ok = _BREAK_BYTES.search(rest) is None
            clean = _UNWANTED_BYTES.search(rest) is None
            others = rest.decode("utf-8", "replace")  # the multi-byte characters, whole
        else:
            breaks_ok = clean = False
            others = "" if text.isascii() else _NON_ASCII.sub("", text)
    if not breaks_ok:
        text = _LINE_ENDS.sub("\n", text)
    if not clean:
        text = _UNWANTED.sub("", text)
    if others:
        text = _capped_marks(text, others, source)
    if not text.strip():
        raise SeedError("empty file", source)
    return text
