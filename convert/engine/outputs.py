"""The output side of a run: temporary-file clean-up and bundle names."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..exporters import get
from ..files import TEMP_MARKER, TEMP_SUFFIX

# What files.write_atomic leaves when killed: `.NAME.~convert-XXXXXXXX.tmp`. Only the fixed-length
# end is matched (anchored at the end, no repetition before it), so the check is linear.
_TEMP_END = re.compile(re.escape(TEMP_MARKER) + r"[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + r"\Z")
_END_LENGTH = len(TEMP_MARKER) + 8 + len(TEMP_SUFFIX)


def is_temp(name: str) -> bool:
    """True for a temporary name files.write_atomic makes (never for a user's own `.x.tmp`)."""
    return name.startswith(".") and len(name) > _END_LENGTH and \
        _TEMP_END.match(name, len(name) - _END_LENGTH) is not None


def clean_temp(folder: str | Path) -> int:
    """Remove temporary files a killed run left in `folder` (only ours, by name)."""
    removed = 0
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if is_temp(entry.name) and entry.is_file(follow_symlinks=False):
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except FileNotFoundError:
                        pass
    except (FileNotFoundError, NotADirectoryError):
        pass
    return removed


def bundle_paths(bundle: Path, formats: Sequence[str]) -> dict[str, Path]:
    """One format: FILE itself (its extension added if it has none; another extension is a
    ValueError: a PDF named `.docx` helps nobody). Several: FILE's stem with each format's extension."""
    exts = {fmt: get(fmt).extension for fmt in formats}
    if len(formats) == 1:
        (fmt,) = formats
        if not bundle.suffix:
            return {fmt: bundle.with_name(f"{bundle.name}.{exts[fmt]}")}
        if bundle.suffix.casefold() != f".{exts[fmt]}".casefold():
            raise ValueError(f"the {fmt} bundle {bundle} must end in .{exts[fmt]} "
                             f"(or give no extension and .{exts[fmt]} is added)")
        return {fmt: bundle}
    known = {f".{e}" for e in exts.values()}
    stem = bundle.stem if bundle.suffix in known else bundle.name
    return {fmt: bundle.with_name(f"{stem}.{ext}") for fmt, ext in exts.items()}
