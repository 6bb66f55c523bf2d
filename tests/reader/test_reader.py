"""The seed reader on fixture seeds (one per variant found in the archive) and the real seed.

Each `tests/fixtures/seeds/NAME.txt` has a `NAME.json` next to it: the exact model JSON
(`Article.to_dict()`) the reader must produce. The fixtures are small, written by hand after
the shapes in `../shared/corpus/police-news`; the file name says which variant each covers.
"""

from __future__ import annotations

import json
import warnings
from datetime import date

import pytest
from testpaths import FIXTURES as TEST_FIXTURES
from testpaths import SEED

import convert
from convert.model import Article, ListBlock, Paragraph, Quote
from convert.reader import load, loads
from convert.text import blocks_text, plain

FIXTURES = TEST_FIXTURES / "seeds"
SEED_NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def read_fixture(name: str) -> Article:
    path = FIXTURES / f"{name}.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean UTF-8 fixture raises no SeedWarning
        return loads(path.read_bytes(), source=path.name)


def test_there_is_a_fixture_per_variant() -> None:
    assert len(SEED_NAMES) >= 30
    for name in SEED_NAMES:
        assert (FIXTURES / f"{name}.json").is_file(), f"{name}.txt has no expected {name}.json"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_fixture_model_is_exactly_the_expected_json(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    article = read_fixture(name)
    assert article.to_dict() == expected


@pytest.mark.parametrize("name", SEED_NAMES)
def test_fixture_model_round_trips_through_json(name: str) -> None:
    article = read_fixture(name)
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again == article


# --- the real seed ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    return load(SEED, source="000_8253f2a74fd231eb.txt")


def test_seed_meta(seed: Article) -> None:
    meta = seed.meta
    assert meta.headline == "Significant improvements in child protection"
    assert meta.area == "Lancashire"
    assert meta.published == date(2019, 4, 11)
    assert (
        meta.url
        == "https://www.lancashire.police.uk/news/2019/april/significant-improvements-in-child-protection/"
    )
    assert meta.publisher == "Lancashire Constabulary"
    assert meta.title == "Lancashire Constabulary - Significant improvements in child protection"
    assert meta.summary == (
        "The inspectorate found the force had taken significant steps to address the issues "
        "and to improve the protection of children"
    )
    assert meta.image == "https://lancashire.police.uk/media/1341190/lancashire-police-link-3.jpg"
    assert meta.speakers == (
        "Deputy Chief Constable Sunita Gamblin",
        "Lancashire's Police and Crime Commissioner Clive Grunshaw",
    )
    assert meta.source == "000_8253f2a74fd231eb.txt"
    # og.* stays in extra as read, the percent-encoded og.url included
    assert meta.extra["og"]["url"].startswith("https%3a%2f%2fwww.lancashire.police.uk")
    assert set(meta.extra) == {"og"}


def test_seed_body(seed: Article) -> None:
    lists = [b for b in seed.blocks if isinstance(b, ListBlock)]
    assert len(lists) == 1
    bullets = [plain(item[0].inlines) for item in lists[0].items if isinstance(item[0], Paragraph)]
    assert bullets == [
        "Providing further training for all frontline officers and staff",
        "Introducing child protection coaches",
        "Rolling out the ‘Think Child’ internal awareness campaign",
        "Improved governance and management systems",
    ]
    first = seed.blocks[0]
    assert isinstance(first, Paragraph)
    assert plain(first.inlines).startswith("LANCASHIRE Constabulary has welcomed")
    text = blocks_text(seed.blocks)
    assert "Thursday, April 11, 2019" not in text  # the date line became meta.published
    assert "(Thursday, April 11th)" in text  # a date inside a sentence stays
    assert text.rstrip().endswith('which is testament to all the work being undertaken."')
    assert not any(isinstance(b, Quote) for b in seed.blocks)


def test_load_defaults_source_to_the_path_as_given() -> None:
    article = load(str(SEED))
    assert article.meta.source == str(SEED)
    assert article == load(SEED, source=str(SEED))


def test_library_entry_points_are_the_reader() -> None:
    assert convert.loads is loads
    assert convert.load is load
    text = SEED.read_text(encoding="utf-8")
    assert convert.loads(text, source="x.txt") == convert.loads(text.encode("utf-8"), source="x.txt")
