"""Selection filters: --area, --since/--until, --grep, kinds and has_reference (library only for
now), and the dates the command line accepts."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from seedkit import write_seed

import convert
from convert import select
from convert.model import Article, Facts, Meta, Paragraph, Reference, Text
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


# --- kinds of story and references to quote (`Article.facts`; the library only, for now) ----------


def with_facts(kinds: tuple[str, ...] = ("appeal",), references: int = 0) -> Article:
    refs = tuple(Reference(f"{i}/2020", "other", f"Quote {i}/2020.") for i in range(references))
    return Article(Meta("Appeal", "Kent", "https://x/"), (), Facts(kinds=kinds, references=refs))


def test_kinds_keep_articles_of_any_of_their_kinds() -> None:
    sel = Selection.make(kinds=["Collision", "court"])
    assert sel.active
    assert sel.verdict(with_facts(("appeal", "collision"))) is Verdict.INCLUDED  # not only the main kind
    assert sel.verdict(with_facts(("court",))) is Verdict.INCLUDED
    assert sel.verdict(with_facts(("appeal", "arrest"))) is Verdict.EXCLUDED
    assert sel.verdict(with_facts(())) is Verdict.EXCLUDED  # facts unknown (a schema 1 document)


def test_has_reference_keeps_articles_that_give_one_to_quote() -> None:
    sel = Selection.make(has_reference=True)
    assert sel.active
    assert sel.verdict(with_facts(references=1)) is Verdict.INCLUDED
    assert sel.verdict(with_facts(references=0)) is Verdict.EXCLUDED
    both = Selection.make(kinds=["appeal"], has_reference=True, areas=["kent"])
    assert both.verdict(with_facts(("appeal",), references=2)) is Verdict.INCLUDED
    assert both.verdict(with_facts(("court",), references=2)) is Verdict.EXCLUDED


def test_unknown_kind_is_refused_with_the_list() -> None:
    with pytest.raises(ValueError, match=r"unknown kind 'crash'; the kinds are: appeal, missing"):
        Selection.make(kinds=["crash"])


def test_fingerprint_tells_facts_filters_apart_and_keeps_old_ones() -> None:
    # selections without them keep the fingerprint they had, so cached verdicts stay valid
    old = [[], "None", "None", None]
    assert Selection().fingerprint() == hashlib.sha256(json.dumps(old).encode()).hexdigest()[:16]
    prints = {
        Selection().fingerprint(),
        Selection.make(kinds=["appeal"]).fingerprint(),
        Selection.make(kinds=["court"]).fingerprint(),
        Selection.make(kinds=["appeal", "court"]).fingerprint(),
        Selection.make(has_reference=True).fingerprint(),
        Selection.make(kinds=["appeal"], has_reference=True).fingerprint(),
    }
    assert len(prints) == 6
    assert Selection.make(kinds=["COURT", "appeal"]).fingerprint() == \
        Selection.make(kinds=["appeal", "court"]).fingerprint()


def test_new_fact_rules_mean_new_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    before = Selection.make(kinds=["appeal"]).fingerprint()
    monkeypatch.setattr(select, "FACTS_VERSION", select.FACTS_VERSION + 1)
    assert Selection.make(kinds=["appeal"]).fingerprint() != before
    assert Selection.make(areas=["Kent"]).fingerprint() == Selection.make(areas=["Kent"]).fingerprint()


def test_the_engine_applies_kinds_and_has_reference(tmp_path: Path) -> None:
    write_seed(tmp_path / "in", "appeal.md", headline="Appeal after burglary",
               body="Officers are appealing for witnesses.\n\nCall 101 quoting log 12 of 3 May.\n")
    write_seed(tmp_path / "in", "court.md", headline="Burglar jailed", body="He was jailed for two years.\n")
    write_seed(tmp_path / "in", "advice.md", headline="Advice on scams", body="Be vigilant.\n")

    def run(selection: Selection) -> set[str]:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        convert.convert_paths(tmp_path / "in", "json", out, jobs=1, selection=selection)
        return {p.stem for p in out.glob("*.json")}

    assert run(Selection.make(kinds=["court", "appeal"])) == {"appeal", "court"}
    assert run(Selection.make(has_reference=True)) == {"appeal"}
    assert run(Selection.make(kinds=["advice"])) == {"advice"}
