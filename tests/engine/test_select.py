"""Selection filters: --area, --since/--until, --grep, and the dates the command line accepts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from convert.model import Article, Meta, Paragraph, Text
from convert.select import Selection, Verdict, parse_day


def article(area: str = "Lancashire", headline: str = "Road closed", published=date(2020, 3, 15),
            body: str = "Officers closed the road.") -> Article:
    return Article(Meta(headline, area, "https://x/", published=published), (Paragraph((Text(body),)),))


def test_empty_selection_keeps_everything() -> None:
    sel = Selection()
    assert not sel.active
    assert sel.verdict(article(published=None)) is Verdict.INCLUDED


def test_area_is_case_insensitive_and_repeatable() -> None:
    sel = Selection.make(areas=["lancashire", "KENT"])
    assert sel.verdict(article(area="Lancashire")) is Verdict.INCLUDED
    assert sel.verdict(article(area="Kent")) is Verdict.INCLUDED
    assert sel.verdict(article(area="Cumbria")) is Verdict.EXCLUDED


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (date(2020, 3, 1), Verdict.INCLUDED),  # inclusive at both ends
        (date(2020, 3, 31), Verdict.INCLUDED),
        (date(2020, 2, 29), Verdict.EXCLUDED),
        (date(2020, 4, 1), Verdict.EXCLUDED),
        (datetime(2020, 3, 31, 23, 30, tzinfo=UTC), Verdict.INCLUDED),
        (None, Verdict.UNDATED),
    ],
)
def test_date_range(published, expected) -> None:
    sel = Selection.make(since=parse_day("2020-03"), until=parse_day("2020-03", end=True))
    assert sel.verdict(article(published=published)) is expected


def test_undated_only_matters_when_filtering_by_date() -> None:
    assert Selection.make(areas=["Lancashire"]).verdict(article(published=None)) is Verdict.INCLUDED
    assert Selection.make(since=date(2020, 1, 1)).verdict(article(published=None)) is Verdict.UNDATED


def test_grep_searches_headline_and_body_any_case() -> None:
    assert Selection.make(grep="ROAD CLOSED").verdict(article()) is Verdict.INCLUDED
    assert Selection.make(grep="officers closed").verdict(article()) is Verdict.INCLUDED
    assert Selection.make(grep="burglary").verdict(article()) is Verdict.EXCLUDED
    # a non-breaking space in scraped text does not defeat a phrase
    assert Selection.make(grep="the road").verdict(article(body="closed the\u00a0road")) is Verdict.INCLUDED


def test_filters_combine() -> None:
    sel = Selection.make(areas=["Kent"], grep="road")
    assert sel.verdict(article(area="Kent")) is Verdict.INCLUDED
    assert sel.verdict(article(area="Lancashire")) is Verdict.EXCLUDED


def test_fingerprint_tells_filters_apart() -> None:
    prints = {
        Selection().fingerprint(),
        Selection.make(areas=["Kent"]).fingerprint(),
        Selection.make(areas=["kent", "Lancashire"]).fingerprint(),
        Selection.make(grep="x").fingerprint(),
        Selection.make(since=date(2020, 1, 1)).fingerprint(),
        Selection.make(until=date(2020, 1, 1)).fingerprint(),
    }
    assert len(prints) == 6
    assert Selection.make(areas=["KENT"]).fingerprint() == Selection.make(areas=["kent"]).fingerprint()


def test_since_after_until_is_refused() -> None:
    with pytest.raises(ValueError, match="after"):
        Selection.make(since=date(2021, 1, 1), until=date(2020, 1, 1))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2020-03-01", date(2020, 3, 1), date(2020, 3, 1)),  # ISO is never read day-first
        ("2020-03", date(2020, 3, 1), date(2020, 3, 31)),
        ("March 2020", date(2020, 3, 1), date(2020, 3, 31)),
        ("Feb 2020", date(2020, 2, 1), date(2020, 2, 29)),
        ("2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("01/03/2020", date(2020, 3, 1), date(2020, 3, 1)),  # day first, as in the UK
        ("1st March 2020", date(2020, 3, 1), date(2020, 3, 1)),
    ],
)
def test_parse_day(text: str, start: date, end: date) -> None:
    assert parse_day(text) == start
    assert parse_day(text, end=True) == end


@pytest.mark.parametrize("text", ["March", "yesterday-ish", "2020-13-01", ""])
def test_parse_day_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text)
