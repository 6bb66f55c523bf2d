"""British typography, applied by the editorial view to what every format prints."""

from __future__ import annotations

import time

from bulletin_fixtures import make, para
from hypothesis import given
from hypothesis import strategies as st

import convert
from convert.exporters.shared import typography
from convert.exporters.shared.typography import NBSP, curl, glue, sentence_case, typeset
from convert.exporters.shared.view import ArticleView
from convert.model import Emphasis, Facts, Reference, Text


def test_quotes_are_curled_by_context_and_said_gets_its_space() -> None:
    assert typeset('Sgt Jones said:"We will find them."') == "Sgt Jones said: “We will find them.”"
    assert typeset("“Mixed quote\"") == "“Mixed quote”"  # one quote, one style
    assert curl("the 'voice of the child' isn't lost") == "the ‘voice of the child’ isn’t lost"
    # a quote opening in one run and closing in another (here across an emphasis)
    view = ArticleView(make(para('He said: "It was ', Emphasis((Text("very"),)), ' late"')))
    assert view.blocks[0].inlines[0].text.endswith("“It was ") and view.blocks[0].inlines[2].text == " late”"


def test_dashes_for_spaced_hyphens_and_ranges_only() -> None:
    assert typeset("children - one of") == "children – one of"
    assert typeset("open 9am - 5pm, 9am-5pm, 10:00-14:00 and 2019-2020") == (
        "open 9am – 5pm, 9am–5pm, 10:00–14:00 and 2019–2020"
    )
    kept = "on 2019-04-11, ref 37/45092/20, call 0800-555-111, a well-known hit-and-run, M6-J19"
    assert typeset(kept) == kept


def test_phone_numbers_and_references_are_never_split() -> None:
    assert glue("Call 0800 555 111 or 07811 311 908 or 101.") == (
        f"Call 0800{NBSP}555{NBSP}111 or 07811{NBSP}311{NBSP}908 or 101."
    )
    facts = Facts(references=(Reference("281 of 10 February", "incident", "quote 281 of 10 February"),))
    article = convert.Article(make().meta, (para("Quote incident 281 of 10 February when calling."),), facts)
    assert f"281{NBSP}of{NBSP}10{NBSP}February" in ArticleView(article).blocks[0].inlines[0].text
    # in a bulletin the number wraps as one word, wherever the line ends
    for n in range(1, 15):
        text = convert.export(make(para("x" * n + " ring us on 0800 555 111 now")), "txt", width=20).decode()
        assert "0800 555 111" in text, text


def test_all_capitals_headlines_in_sentence_case() -> None:
    assert sentence_case("MAN ARRESTED AFTER M62 CRASH IN KENT", ["Kent", "Kent Police"]) == (
        "Man arrested after M62 crash in Kent"
    )
    praised = "PCSO praised by Mr jones for CCTV appeal"  # an unknown name reads lower-case
    assert sentence_case("PCSO PRAISED BY MR JONES FOR CCTV APPEAL") == praised
    assert sentence_case("RTC ON A1(M) – DRIVER ARRESTED") == "RTC on A1(M) – driver arrested"
    assert sentence_case("Man arrested in UK") == "Man arrested in UK"  # not all capitals: as written
    assert ArticleView(make(headline="APPEAL AFTER PSNI CAR HIT")).headline == "Appeal after PSNI car hit"


def test_no_space_before_a_comma_or_full_stop() -> None:
    # scraped pages space out the words they mark: `*Sunday 28 February 2021* , officers`
    view = ArticleView(make(para("On ", Emphasis((Text("Sunday"),)), " , officers went to Sandgate .")))
    assert "".join(getattr(i, "text", "") or i.inlines[0].text for i in view.blocks[0].inlines) == (
        "On Sunday, officers went to Sandgate."
    )
    kept = "Wait ... then go to www .example .uk or 5 .5 miles"
    assert typeset(kept) == kept  # an ellipsis, and a stop inside a word or number


def test_worst_case_shapes_finish_fast() -> None:
    for shape in ("- - - ", "\"'\"' ", "0800 555 ", "9am-9am-", "2019-2019-", 'said:"x ', "12:00 - ",
                  "   ", " , ", " a"):
        text = shape * (200_000 // len(shape))
        start = time.process_time()
        typeset(text, glued=["555 0800"])
        assert time.process_time() - start < 5


def _typeset_unguarded(text: str, before: str = "") -> str:
    """`typeset` as it was, every pattern run on every text: the cheap tests in front of them
    must change nothing."""
    t = typography
    text = t._SPACE_BEFORE_STOP.sub("", text)
    text = t._SAID.sub(" ", text)
    text = t._SPACED_HYPHEN.sub("–", text)
    for pattern in (t._TIME_RANGE, t._CLOCK_RANGE, t._YEAR_RANGE):
        text = pattern.sub(r"\1–\2", text)
    return glue(curl(text, before))


# Pieces of what the patterns look for, so that the draws hit them often.
_PIECES = st.sampled_from(["9am", "5PM", "9.30am", "10:00", "14:00", "2019", "1982", "0800 555 111",
                           " - ", "-", "- ", " -", " ", "  ", " .", " ,", " ;", "!", "?", ":", '"', "'", "“",
                           "said:", "x", "é", "/", "\n", "\t", "–"])


@given(st.lists(_PIECES, max_size=12).map("".join), st.sampled_from(["", " ", "a", "("]))
def test_typeset_runs_each_pattern_only_where_it_can_match(text: str, before: str) -> None:
    assert typeset(text, before) == (_typeset_unguarded(text, before) if text else text)
