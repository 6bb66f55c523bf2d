"""Shared helpers for the txt / json / md exporter tests: fixture articles and checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from convert.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "bulletins"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))


def article(name: str) -> Article:
    return Article.from_dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


# A line may only pass the width when, after its indent and list or reference markers (a
# list opening a list item puts two on a line), it is a single token that could not have
# fitted even on a line of its own.
_PREFIX = re.compile(r"^(\s*(?:(?:[*•–\-+]|\d+[.)]|\[\d+\])\s+)*)")


def overflowing(text: str, width: int) -> list[str]:
    """The lines of `text` that break the wrapping rule."""
    bad = []
    for line in text.splitlines():
        if len(line) <= width:
            continue
        prefix = _PREFIX.match(line).group(1)
        token = line[len(prefix) :]
        if re.search(r"\s", token) or len(prefix) >= width:
            bad.append(line)
    return bad
