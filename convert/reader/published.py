"""Finding `meta.published`: the header first, then date-stamp lines in the body.

Body stamps are looked for where the sites put them: among the first four blocks (the first
line, after a label such as `News`, after the H1), as a labelled line anywhere (`Release
date: ...`, `Posted on ...`), or in the last two blocks (`22 Dec 20 8:47 AM`,
`Published on 30 November 2020`). `Last modified` / `Updated` stamps are never the
publication date. The stamp used, and any other stamp on the same day, is removed from the
body so the date is not printed twice; stamps of other dates stay.

`meta.updated` is the latest modification time the header records (`article.modified.time`,
`og.updated.time`), else the body's `Last modified` stamp; a body stamp of that day goes too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..model import Block, Heading, LineBreak, Month, Paragraph
from ..text import plain
from . import dates
from .lines import join_lines, lines

TOP_BLOCKS = 4
BOTTOM_BLOCKS = 2


@dataclass(frozen=True, slots=True)
class _Stamp:
    block: int
    line: int
    value: dates.Published
    labelled: bool
    modified: bool


def _get(header: Mapping[str, Any], *path: str) -> Any:
    value: Any = header
    for key in path:
        if not isinstance(value, dict):  # the header is built of plain dicts
            return None
        value = value.get(key)
    return value


def from_header(header: Mapping[str, Any], url: str) -> dates.Published | None:
    """The header's own date, best first: article.published.time, publish.date, day/month/time."""
    year = dates.url_year(url)
    for path in (("article", "published", "time"), ("publish", "date"), ("published",), ("date",)):
        value = _get(header, *path)
        if isinstance(value, str | int) and not isinstance(value, bool):
            found = dates.parse(str(value), year)
            if found is not None:
                return found
    # Northumbria: day: '18', month: Dec, time: '14:23', and the year only in the URL.
    return dates.from_parts(
        header.get("day"), header.get("month"), header.get("year"), header.get("time"), url
    )


# Where headers record a modification time (the sample: North Yorkshire, Suffolk, Norfolk, Avon
# and Somerset), then flat keys other scrapes may use.
MODIFIED_KEYS = (
    ("article", "modified", "time"),
    ("og", "updated", "time"),
    ("article", "updated", "time"),
    ("modified",),
    ("updated",),
    ("last_modified",),
    ("date_modified",),
)


def updated_from_header(header: Mapping[str, Any], url: str) -> dates.Published | None:
    """The latest modification time the header records."""
    year = dates.url_year(url)
    found: list[dates.Published] = []
    for path in MODIFIED_KEYS:
        value = _get(header, *path)
        if isinstance(value, str | int) and not isinstance(value, bool):
            parsed = dates.parse(str(value), year)
            if parsed is not None:
                found.append(parsed)
    return max(found, key=_instant) if found else None


def _instant(value: dates.Published) -> datetime:
    """For ordering a date against a datetime: a date is its day's start, UK time."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=dates.LONDON)
    return datetime(value.year, value.month, value.day, tzinfo=dates.LONDON)


def _stamps(blocks: Sequence[Block], year: int | None) -> list[_Stamp]:
    found: list[_Stamp] = []
    last = len(blocks) - BOTTOM_BLOCKS
    for b, block in enumerate(blocks):
        if not isinstance(block, Paragraph | Heading):
            continue
        text = plain(block.inlines)
        edge = b < TOP_BLOCKS or b >= last
        if not edge and len(text) > dates.MAX_STAMP and "\n" not in text:
            continue  # one long line in the middle: prose, not a stamp (the common case)
        for n, line in enumerate(_lines(block, text)):
            match = dates.is_stamp(line)
            if match is None or (not edge and match.group("label") is None):
                continue
            value = dates.from_match(match, year)
            if value is not None:
                found.append(
                    _Stamp(b, n, value, match.group("label") is not None, dates.is_modified_label(match))
                )
    return found


def _lines(block: Paragraph | Heading, text: str) -> list[str]:
    """The block's lines as text, numbered as `lines()` numbers them (top-level breaks only)."""
    if isinstance(block, Heading):
        return [text]
    breaks = sum(isinstance(node, LineBreak) for node in block.inlines)
    if text.count("\n") == breaks:
        return text.split("\n")
    return [plain(line) for line in lines(block.inlines)]  # a break inside bold or a link


def _choose(stamps: list[_Stamp], n_blocks: int) -> _Stamp | None:
    usable = [s for s in stamps if not s.modified]
    for stamp in usable:
        if stamp.block < TOP_BLOCKS:
            return stamp
    for stamp in usable:
        if stamp.labelled:
            return stamp
    bottom = [s for s in usable if s.block >= n_blocks - BOTTOM_BLOCKS]
    return bottom[-1] if bottom else None


def find(
    header: Mapping[str, Any], blocks: Sequence[Block], url: str
) -> tuple[dates.Published | None, tuple[Block, ...]]:
    """The publication date, and the blocks without the stamp lines that repeat it."""
    published, _, out = find_dates(header, blocks, url, with_updated=False)
    return published, out


def find_dates(
    header: Mapping[str, Any], blocks: Sequence[Block], url: str, *, with_updated: bool = True
) -> tuple[dates.Published | None, dates.Published | None, tuple[Block, ...]]:
    """`meta.published` and `meta.updated`, and the blocks without the stamp lines that repeat
    either (the formats show both dates from the model)."""
    stamps = _stamps(blocks, dates.url_year(url))
    published = from_header(header, url)
    if published is not None:
        published = _local_if_mislabelled(published, stamps)
    else:
        chosen = _choose(stamps, len(blocks))
        published = chosen.value if chosen is not None else None
    slug_day = dates.url_day(url)
    if slug_day is not None and (published is None or not dates.same_day(published, slug_day)):
        published = slug_day  # the page's own day (see `dates.url_day`)
    if published is None:
        published = dates.url_month(url)  # the last resort
    updated = updated_from_header(header, url) if with_updated else None
    modified = [s for s in stamps if s.modified]
    if with_updated and updated is None and modified:
        updated = max((s.value for s in modified), key=_instant)
    drop = set()
    if published is not None and not isinstance(published, Month):  # a URL's month: no stamp
        drop = {(s.block, s.line) for s in stamps if dates.same_day(s.value, published)}
    if updated is not None:
        drop |= {(s.block, s.line) for s in modified if dates.same_day(s.value, updated)}
    return published, updated, _without(blocks, drop)


def _local_if_mislabelled(value: dates.Published, stamps: list[_Stamp]) -> dates.Published:
    """North Yorkshire's `2017-05-17T14:33:26+00:00` is `Posted on 17 May 2017 at 02:33pm`:
    local time labelled UTC. When a body stamp shows the header's clock time as local time,
    the body is right."""
    if not isinstance(value, datetime):
        return value
    clock = value.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    for stamp in stamps:
        local = stamp.value
        if isinstance(local, datetime) and local.replace(tzinfo=None, second=0) == clock and local != value:
            return local
    return value


def _without(blocks: Sequence[Block], drop: set[tuple[int, int]]) -> tuple[Block, ...]:
    if not drop:
        return tuple(blocks)
    out: list[Block] = []
    for b, block in enumerate(blocks):
        if isinstance(block, Heading) and (b, 0) in drop:
            continue
        if isinstance(block, Paragraph) and any(key[0] == b for key in drop):
            kept = [line for n, line in enumerate(lines(block.inlines)) if (b, n) not in drop]
            if any(kept):
                out.append(Paragraph(join_lines(kept)))
            continue
        out.append(block)
    return tuple(out)
