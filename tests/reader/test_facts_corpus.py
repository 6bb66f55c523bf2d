"""Facts over the real archive sample (../shared/corpus/police-news, or $CONVERT_CORPUS), against
the articles read by hand in tests/fixtures/facts/expected.json (only their paths and expected
facts are in the repository, never their text).

Like test_reader_corpus.py these carry the `corpus` mark: `make test` leaves them out, `.ci/run`
runs them with `pytest -m corpus`, and there a missing corpus is a failure. The same figures,
with every disagreement listed, come from `python tools/facts_report.py --disagree`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from convert.model import Article
from convert.reader import loads
from convert.text import blocks_text

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "police-news"
CORPUS = Path(os.environ.get("CONVERT_CORPUS", SAMPLE))
FIXTURE = Path(__file__).parent.parent / "fixtures" / "facts" / "expected.json"
EXPECTED = json.loads(FIXTURE.read_text("utf-8"))
pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def corpus() -> dict[str, Article]:
    assert CORPUS.is_dir(), f"the corpus is missing: expected {CORPUS} (../shared/corpus/police-news)"
    files = sorted(CORPUS.rglob("*.md"))
    assert len(files) >= 500, f"expected the 531-article sample in {CORPUS}, found {len(files)} files"
    return {str(p.relative_to(CORPUS)): loads(p.read_bytes(), str(p.relative_to(CORPUS))) for p in files}


@pytest.fixture(scope="module")
def checked(corpus: dict[str, Article]) -> list[tuple[dict, Article]]:
    entries = EXPECTED["articles"]
    assert len(entries) >= 50
    return [(entry, corpus[entry["source"]]) for entry in entries]


def test_the_hand_checked_articles_cover_every_kind(checked: list[tuple[dict, Article]]) -> None:
    mains = {entry["kinds"][0] for entry, _ in checked}
    assert mains >= {"appeal", "missing", "found", "arrest", "charge", "court", "collision", "seizure",
                     "operation", "recruitment", "community", "advice", "statement"}


def test_main_kind_right_for_at_least_90_percent(checked: list[tuple[dict, Article]]) -> None:
    wrong = [f"{e['source']}: {a.facts.kinds} != {e['kinds']}" for e, a in checked
             if a.facts.kinds[0] != e["kinds"][0]]
    assert len(wrong) <= len(checked) * 0.10, wrong


def test_references_are_those_a_reader_finds(checked: list[tuple[dict, Article]]) -> None:
    for entry, article in checked:
        found = sorted([r.text, r.kind] for r in article.facts.references)
        assert found == sorted(entry["references"]), entry["source"]


def test_contacts_are_those_a_reader_finds(checked: list[tuple[dict, Article]]) -> None:
    wrong = []
    for entry, article in checked:
        found = sorted([c.kind, c.value] for c in article.facts.contacts)
        if found != sorted(c[:2] for c in entry["contacts"]):
            wrong.append(f"{entry['source']}: {found}")
    assert len(wrong) <= len(checked) * 0.05, wrong  # 2 of 72 today: a `text 61016`, a bare site name
    said = {(e["source"], c.kind, c.value): c.reaches for e, a in checked for c in a.facts.contacts}
    reaches = [(e["source"], *c) for e, _ in checked for c in e["contacts"]]
    right = sum(said.get(key[:3], "?") == key[3] for key in reaches)
    assert right >= 0.9 * len(reaches), f"whom they reach: {right} of {len(reaches)}"


def test_named_operations(checked: list[tuple[dict, Article]]) -> None:
    for entry, article in checked:
        assert list(article.facts.operations) == entry["operations"], entry["source"]


# `quoting`/`quote` with something to quote after it in the sentence (a digit, an operation, a
# name in quote marks), as tools/facts_report.py counts them.
QUOTING = re.compile(r"\bquot(?:ing|e)\b[^.\n]{0,80}")
SOMETHING = re.compile(r"\d|\bOp(?:eration)?\b|[“\"]")


def test_at_least_98_percent_of_quoting_phrases_give_a_reference(corpus: dict[str, Article]) -> None:
    phrases, missed = 0, []
    for source, article in corpus.items():
        text = blocks_text(article.blocks)
        for m in QUOTING.finditer(text):
            if SOMETHING.search(m.group()):
                phrases += 1
                if not any(r.text in text[m.start():m.end() + 40] for r in article.facts.references):
                    missed.append(f"{source}: {m.group()}")
    assert phrases >= 200
    assert len(missed) <= phrases * 0.02, missed


def test_every_reference_phone_and_email_is_verbatim_in_the_text(corpus: dict[str, Article]) -> None:
    for source, article in corpus.items():
        text = blocks_text(article.blocks)
        for ref in article.facts.references:
            assert ref.text in ref.sentence and ref.sentence in text, (source, ref)
        for contact in article.facts.contacts:
            assert contact.sentence in text, (source, contact)
            if contact.kind != "online":
                assert contact.value in contact.sentence, (source, contact)
