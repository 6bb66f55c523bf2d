"""Property: for any `Article`, the JSON form round-trips exactly.

The article strategy of the exporter tests (tests/bulletin_fixtures.py: every block and inline
kind, nested lists and quotes, awkward text) is widened here to every `Meta` field: any text,
dates and offset-aware datetimes, and `extra` values of every JSON type, nested. The budget is
the loaded hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta, timezone

from bulletin_fixtures import articles
from hypothesis import given
from hypothesis import strategies as st

from convert.exporters import Options
from convert.exporters.json import JSONExport
from convert.model import Article

# Any text but lone surrogates: the reader never produces them, and UTF-8 cannot hold them.
text = st.text(max_size=40)
# Offsets in whole seconds: CPython's fromisoformat drops a sub-second offset, and no date a
# seed can hold has one (dateutil parses hours and minutes).
offsets = st.integers(-86_399, 86_399).map(lambda s: timezone(timedelta(seconds=s)))
published = st.none() | st.dates() | st.datetimes() | st.datetimes(timezones=offsets)
# What a header can put in `meta.extra`: JSON values (no NaN: the reader keeps those as text).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@st.composite
def any_articles(draw: st.DrawFn) -> Article:
    a = draw(articles())
    meta = replace(
        a.meta,
        headline=draw(text),
        area=draw(text),
        url=draw(text),
        title=draw(st.none() | text),
        publisher=draw(st.none() | text),
        published=draw(published),
        image=draw(st.none() | text),
        speakers=tuple(draw(st.lists(text, max_size=3))),
        extra=draw(st.dictionaries(text, json_values, max_size=5)),
        source=draw(st.none() | text),
    )
    return Article(meta, a.blocks)


@given(any_articles())
def test_json_round_trip_is_exact(a: Article) -> None:
    data = a.to_dict()
    assert Article.from_dict(json.loads(json.dumps(data))) == a
    # and the same through the exporter (UTF-8, not ASCII-escaped, indented)
    assert Article.from_dict(json.loads(JSONExport(Options()).export(a))) == a
    back = Article.from_dict(json.loads(json.dumps(data)))
    assert back.to_dict() == data  # equal models that also serialise identically
    if a.meta.published is not None:
        assert type(back.meta.published) is type(a.meta.published)
        assert back.meta.published.isoformat() == a.meta.published.isoformat()  # same offset too
