"""Which articles a run keeps: --area, --since/--until, --grep, and (library only for now) the
kinds of story and whether there is a reference to quote (`Article.facts`).

Selection needs the parsed article (the date and body are only known after reading), so it
runs in the worker right after the read; the verdict is cached in the manifest by input hash.
"""

from __future__ import annotations

import calendar
import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .model import Article
from .taxonomy import FACTS_VERSION, STORY_KINDS
from .text import blocks_text


class Verdict(StrEnum):
    INCLUDED = "included"
    EXCLUDED = "excluded"  # fails --area, --grep, kinds or has_reference, or is dated outside the range
    UNDATED = "undated"  # has no date while --since/--until asks for one


@dataclass(frozen=True, slots=True)
class Selection:
    """The filters of one run. The empty selection keeps everything."""

    areas: frozenset[str] = frozenset()  # casefolded
    since: date | None = None
    until: date | None = None
    grep: str | None = None  # casefolded
    kinds: frozenset[str] = frozenset()  # keep articles of any of these kinds (`taxonomy.STORY_KINDS`)
    has_reference: bool = False  # keep only articles that give a reference to quote

    @classmethod
    def make(
        cls,
        areas: Iterable[str] = (),
        since: date | None = None,
        until: date | None = None,
        grep: str | None = None,
        kinds: Iterable[str] = (),
        has_reference: bool = False,
    ) -> Selection:
        if since is not None and until is not None and since > until:
            raise ValueError(f"--since {since} is after --until {until}")
        wanted = frozenset(k.strip().casefold() for k in kinds if k.strip())
        unknown = sorted(wanted - STORY_KINDS.keys())
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r}; the kinds are: {', '.join(STORY_KINDS)}")
        return cls(
            frozenset(a.strip().casefold() for a in areas if a.strip()),
            since,
            until,
            _squash(grep.casefold()) if grep and grep.strip() else None,
            wanted,
            has_reference,
        )

    @property
    def active(self) -> bool:
        return bool(self.areas or self.since or self.until or self.grep or self.kinds or self.has_reference)

    @property
    def by_date(self) -> bool:
        return self.since is not None or self.until is not None

    def fingerprint(self) -> str:
        data: list[object] = [sorted(self.areas), str(self.since), str(self.until), self.grep]
        if self.kinds or self.has_reference:
            # Only then, so other selections keep their cached verdicts; the version of the
            # rules that find the facts is part of it, so new rules mean new verdicts.
            data += [sorted(self.kinds), self.has_reference, FACTS_VERSION]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]

    def verdict(self, article: Article) -> Verdict:
        meta = article.meta
        if self.areas and meta.area.strip().casefold() not in self.areas:
            return Verdict.EXCLUDED
        if self.by_date:
            if meta.published is None:
                return Verdict.UNDATED
            day = meta.published.date() if isinstance(meta.published, datetime) else meta.published
            if (self.since and day < self.since) or (self.until and day > self.until):
                return Verdict.EXCLUDED
        if self.grep:
            text = f"{meta.headline}\n{blocks_text(article.blocks)}"
            if self.grep not in _squash(text.casefold()):
                return Verdict.EXCLUDED
        facts = article.facts
        if self.kinds and self.kinds.isdisjoint(facts.kinds):
            return Verdict.EXCLUDED
        if self.has_reference and not facts.references:
            return Verdict.EXCLUDED
        return Verdict.INCLUDED


def area_warning(selection: Selection, seen: Iterable[str]) -> str | None:
    """One line naming each area asked for that no article seen has, and the areas seen, close
    matches first ("met" → Metropolitan, "kentt" → Kent); None when every area matched."""
    names = {a.strip().casefold(): a.strip() for a in sorted(seen, key=str.casefold) if a.strip()}
    missing = sorted(selection.areas - names.keys())
    if not missing:
        return None
    asked, first = [], []
    for wanted in missing:
        close = [n for n in names if wanted in n or n in wanted]
        close += [n for n in difflib.get_close_matches(wanted, list(names), n=3) if n not in close]
        asked.append(f"--area {wanted!r}" + (f" (did you mean {names[close[0]]}?)" if close else ""))
        first += [n for n in close if n not in first]
    ordered = first + [n for n in names if n not in first]
    verb = "matches" if len(asked) == 1 else "match"
    return f"{' and '.join(asked)} {verb} no article; areas seen: {', '.join(names[n] for n in ordered)}"


def _squash(text: str) -> str:
    # Non-breaking and repeated spaces in scraped text should not defeat a search phrase.
    return re.sub(r"[\s\u00a0]+", " ", text)


# --- dates given on the command line --------------------------------------------------------

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_day(text: str, *, end: bool = False) -> date:
    """A day from the command line: ISO (`2020-03-01`), or day-first text (`1 March 2020`,
    `01/03/2020`). A month or year alone means its first day, or with `end` its last day, so
    `--since 2020-03 --until 2020-03` is the whole of March.
    """
    text = text.strip()
    if _ISO.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError as exc:
            raise ValueError(f"not a date: {text!r}") from exc
    from dateutil.parser import ParserError, parse

    try:
        # Two different defaults reveal which parts the text left out.
        a = parse(text, dayfirst=True, default=datetime(1904, 1, 1))
        b = parse(text, dayfirst=True, default=datetime(1908, 12, 28))
    except (ParserError, ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {text!r}") from exc
    if a.year != b.year:
        raise ValueError(f"{text!r} has no year")
    year, month, day = a.year, a.month, a.day
    if end:
        if a.month != b.month:
            month = 12
        if a.day != b.day:
            day = calendar.monthrange(year, month)[1]
    return date(year, month, day)
