"""The reader over the real archive sample in ../shared/corpus/police-news (531 articles from
46 areas), or in $CONVERT_CORPUS.

The sample is not part of the project, so these tests carry the `corpus` mark and are left out
of `make test`; `.ci/run`, which has the sample beside the checkout, runs them with
`pytest -m corpus`. There a missing corpus is a failure, not a skip."""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import pytest
from testpaths import REPO

from convert.model import Article
from convert.reader import loads

SAMPLE = REPO.parent / "shared" / "corpus" / "police-news"
CORPUS = Path(os.environ.get("CONVERT_CORPUS", SAMPLE))
pytestmark = pytest.mark.corpus
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@pytest.fixture(scope="module")
def corpus() -> dict[str, Article]:
    assert CORPUS.is_dir(), f"the corpus is missing: expected {CORPUS} (../shared/corpus/police-news)"
    files = sorted(CORPUS.rglob("*.md"))
    assert len(files) >= 500, f"expected the 531-article sample in {CORPUS}, found {len(files)} files"
    articles = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the archive is clean UTF-8: no SeedWarning either
        for path in files:
            source = str(path.relative_to(CORPUS))
            articles[source] = loads(path.read_bytes(), source)
    return articles


def test_every_article_loads_with_its_area_and_url(corpus: dict[str, Article]) -> None:
    for source, article in corpus.items():
        assert article.meta.area == source.split("/")[0]
        assert article.meta.url.startswith("http")
        assert article.meta.source == source
        assert article.meta.headline.strip() == article.meta.headline != ""
        assert article.blocks, f"{source}: no body"


def test_published_is_found_for_at_least_97_percent(corpus: dict[str, Article]) -> None:
    missing = sorted(source for source, a in corpus.items() if a.meta.published is None)
    share = 1 - len(missing) / len(corpus)
    assert share >= 0.97, f"published found for {share:.1%}; missing: {missing}"


def test_no_headline_keeps_a_force_prefix_or_suffix(corpus: dict[str, Article]) -> None:
    for source, article in corpus.items():
        meta = article.meta
        names = {meta.area, f"{meta.area} Police", f"{meta.area} Constabulary", "SYP", "GMP", "PSNI"}
        if meta.publisher:
            names.add(meta.publisher)
        headline = meta.headline
        assert not headline.endswith(("|", " -", " –")), source
        assert " | " not in headline, f"{source}: {headline!r}"
        for name in names:
            for sep in (" - ", " – ", " | "):
                assert not headline.endswith(sep + name), f"{source}: {headline!r}"
                assert not headline.startswith(name + sep), f"{source}: {headline!r}"
        assert not re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", headline, re.IGNORECASE), (
            f"{source}: {headline!r}"
        )


def test_publishers_are_organisations(corpus: dict[str, Article]) -> None:
    for source, article in corpus.items():
        publisher = article.meta.publisher
        if publisher is not None:
            assert publisher not in ("GOV.UK", "Mynewsdesk"), source
            assert re.search(r"Police|Constabulary|PSNI", publisher), f"{source}: {publisher!r}"


def test_speakers_look_like_people(corpus: dict[str, Article]) -> None:
    found = 0
    for source, article in corpus.items():
        speakers = article.meta.speakers
        assert len(set(speakers)) == len(speakers), source
        for name in speakers:
            found += 1
            words = name.split()
            assert 2 <= len(words) <= 12 and name[0].isupper(), f"{source}: {name!r}"
            assert not re.search(r"\b(said|says|added|who|the|a|family|spokesperson)\b", name), (
                f"{source}: {name!r}"
            )
    assert found >= 300  # most press releases quote somebody


def test_models_round_trip_and_hold_only_xml_characters(corpus: dict[str, Article]) -> None:
    for source, article in corpus.items():
        data = json.dumps(article.to_dict(), ensure_ascii=False)
        assert Article.from_dict(json.loads(data)) == article, source
        assert XML_ILLEGAL.search(data) is None, source


def test_date_lines_used_are_not_repeated_in_the_body(corpus: dict[str, Article]) -> None:
    from convert.reader import dates
    from convert.text import blocks_text

    for source, article in corpus.items():
        published = article.meta.published
        if published is None:
            continue
        for line in blocks_text(article.blocks).split("\n"):
            match = dates.is_stamp(line.strip())
            if match is not None and not dates.is_modified_label(match):
                value = dates.from_match(match, dates.url_year(article.meta.url))
                assert value is None or not dates.same_day(value, published), f"{source}: {line!r}"
