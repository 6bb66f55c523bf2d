"""Dates as every format writes them: `Thursday 11 April 2019`, `11 Apr 2019`, ISO, and a bundle's range."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ...collate import date_span
from ...model import Article, Month


def now() -> datetime:
    """The time an output is made (UTC), for what records it (Word's "modified"). With
    SOURCE_DATE_EPOCH set, that time instead, as reproducible builds do: the same inputs then
    give the same bytes."""
    epoch = _epoch()
    return datetime.now(UTC) if epoch is None else datetime.fromtimestamp(epoch, UTC)


def today() -> date:
    """The day an output is issued (a pack's cover): local, or SOURCE_DATE_EPOCH's day."""
    epoch = _epoch()
    return date.today() if epoch is None else datetime.fromtimestamp(epoch, UTC).date()


def _epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


_LONDON = ZoneInfo("Europe/London")


def updated_date(published: date | datetime | None, updated: date | datetime | None) -> str:
    """`Updated 28 August 2018` when `updated` is a later day than `published` (or there is no
    `published`); otherwise "" (a same-day edit is not news). Days are UK days."""
    if updated is None:
        return ""
    day = _uk_day(updated)
    if published is not None and not isinstance(published, Month) and day <= _uk_day(published):
        return ""
    return f"Updated {_day(day)}"


def _uk_day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone(_LONDON).date() if value.tzinfo else value.date()
    return value


def long_date(value: date | datetime | None) -> str:
    """`Thursday 11 April 2019`, with the time when there is one: `Thursday 11 April 2019, 15:22`;
    a `Month`: `August 2020`."""
    if value is None:
        return ""
    if isinstance(value, Month):
        return f"{value:%B %Y}"
    text = f"{value:%A} {value.day} {value:%B %Y}"
    if isinstance(value, datetime):
        text += f", {value:%H:%M}"
    return text


def short_date(value: date | datetime | None) -> str:
    """`11 Apr 2019`: for running headers and contents lists; a `Month`: `Aug 2020`."""
    if value is None:
        return ""
    if isinstance(value, Month):
        return f"{value:%b %Y}"
    return f"{value.day} {value:%b %Y}"


def iso_date(value: date | datetime | None) -> str:
    """`2019-04-11`, or `2020-10-16T15:22:00+01:00` when the time and its zone are known."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def date_range(articles: Sequence[Article]) -> str:
    """`11 April 2019 – 2 May 2019`, or one date, or '' when nothing is dated."""
    span = date_span(articles)
    if span is None:
        return ""
    first, last = (_day(d) for d in span)
    return first if first == last else f"{first} – {last}"


def _day(value: date) -> str:
    """`20 August 2020`; a `Month`: `August 2020`."""
    return f"{value:%B %Y}" if isinstance(value, Month) else f"{value.day} {value:%B %Y}"
