"""The JSON exporter: the model, exactly, in UTF-8; bundles in contents order."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from bulletin_fixtures import NAMES, article

from convert.collate import by_area
from convert.exporters import ExportError, Options
from convert.exporters.json import JSONExport
from convert.model import Article, Meta, Paragraph, Text


def export(a: Article) -> bytes:
    return JSONExport(Options()).export(a)


@pytest.mark.parametrize("name", NAMES)
def test_round_trips_exactly_through_from_dict(name: str) -> None:
    a = article(name)
    data = export(a)
    assert Article.from_dict(json.loads(data)) == a


def test_format_utf8_indented_with_trailing_newline() -> None:
    data = export(article("scripts"))
    text = data.decode("utf-8")
    assert "Tŷ Ddewi" in text and "王小明" in text and "\\u" not in text  # not ASCII-escaped
    assert text.startswith('{\n  "schema": 3,\n  "meta": {\n    "headline": ')
    assert text.endswith("}\n") and not text.endswith("\n\n")


def test_hostile_text_is_data() -> None:
    data = json.loads(export(article("hostile")))
    assert data["meta"]["headline"] == "Alert <b>bold</b> {{ 7*7 }} {% raw %} & “quotes” — dash…"
    assert "{{ 7*7 }}" in data["blocks"][1]["inlines"][0]["text"]


def test_datetimes_keep_their_offset() -> None:
    when = datetime(2020, 9, 30, 21, 49, tzinfo=timezone(timedelta(hours=1)))
    a = Article(Meta("H", "Kent", "https://k/", published=when), (Paragraph((Text("x"),)),))
    data = json.loads(export(a))
    assert data["meta"]["published"] == "2020-09-30T21:49:00+01:00"
    assert Article.from_dict(data) == a


def test_header_values_yaml_made_into_dates_are_written_as_iso_strings() -> None:
    a = Article(
        Meta("H", "Kent", "https://k/", extra={"publish": {"date": date(2020, 9, 30)}, "tags": {"b", "a"}})
    )
    data = json.loads(export(a))
    assert data["meta"]["extra"] == {"publish": {"date": "2020-09-30"}, "tags": ["a", "b"]}


def test_unwritable_values_raise_export_error() -> None:
    a = Article(Meta("H", "Kent", "https://k/", extra={"blob": object()}))
    with pytest.raises(ExportError, match="cannot write"):
        export(a)


def test_bundle_is_an_array_in_contents_order() -> None:
    articles = [article(n) for n in NAMES]
    data = json.loads(JSONExport(Options()).export_bundle(articles))
    assert isinstance(data, list)
    expected = [a for section in by_area(articles) for a in section.articles]
    assert [Article.from_dict(d) for d in data] == expected
    assert [d["meta"]["area"] for d in data] == sorted((d["meta"]["area"] for d in data), key=str.casefold)


def test_empty_bundle() -> None:
    assert JSONExport(Options()).export_bundle([]) == b"[]\n"


def test_registered_under_json() -> None:
    import convert

    a = article("quotes")
    assert Article.from_dict(json.loads(convert.export(a, "json"))) == a
    assert JSONExport.version == "4" and JSONExport.extension == "json" and JSONExport.style_files == ()
