"""The output side of a run: temporary-file clean-up and bundle names."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from .exporters import get

_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # what files.write_atomic leaves when killed


def clean_temp(folder: Path) -> int:
    """Remove temporary files a killed run left in `folder` (only ours, by name)."""
    removed = 0
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if _TEMP.match(entry.name) and entry.is_file(follow_symlinks=False):
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except FileNotFoundError:
                        pass
    except (FileNotFoundError, NotADirectoryError):
        pass
    return removed


def bundle_paths(bundle: Path, formats: Sequence[str]) -> dict[str, Path]:
    """One format: FILE itself (its extension added if it has none). Several: FILE's stem
    with each format's extension."""
    exts = {fmt: get(fmt).extension for fmt in formats}
    if len(formats) == 1:
        (fmt,) = formats
        return {fmt: bundle if bundle.suffix else bundle.with_name(f"{bundle.name}.{exts[fmt]}")}
    known = {f".{e}" for e in exts.values()}
    stem = bundle.stem if bundle.suffix in known else bundle.name
    return {fmt: bundle.with_name(f"{stem}.{ext}") for fmt, ext in exts.items()}
