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
from convert.model import Emphasis, Facts, Link, Reference, Strong, Text


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
    text = t._DOUBLED_STOP.sub(".", text)
    text = t._sentence_spaces(text, before, "")
    text = t._SPACED_CONTRACTION.sub("’", text)
    text = t._DOUBLED_SINGLE.sub('"', text)
    return glue(t._no_space_after_opening(curl(text, before), before, ""))


# Pieces of what the patterns look for, so that the draws hit them often.
_PIECES = st.sampled_from(["9am", "5PM", "9.30am", "10:00", "14:00", "2019", "1982", "0800 555 111",
                           " - ", "-", "- ", " -", " ", "  ", " .", " ,", " ;", "!", "?", ":", '"', "'", "“",
                           "”", "''", " 's", "'t", "'18", "..", ".", "ab", "Cd", "@", "said:", "x", "é", "/",
                           "\n", "\t", "–"])


@given(st.lists(_PIECES, max_size=12).map("".join), st.sampled_from(["", " ", "a", "("]))
def test_typeset_runs_each_pattern_only_where_it_can_match(text: str, before: str) -> None:
    assert typeset(text, before) == (_typeset_unguarded(text, before) if text else text)


def test_a_spaced_contraction_loses_its_space_and_takes_an_apostrophe() -> None:
    for seed, printed in (("the county 's roads", "the county’s roads"), ("I don 't know", "I don’t know"),
                          ("it isn 't", "it isn’t"), ("We 'd like", "We’d like"), ("you 're", "you’re"),
                          ("they 've gone", "they’ve gone"), ("we 'll see", "we’ll see"), ("I 'm", "I’m"),
                          ("Claudia 's family", "Claudia’s family"), ("Rail ’s team", "Rail’s team")):
        assert typeset(seed) == printed
    # a quoted letter or word, an opening quote, a number: kept as quotes
    assert typeset("press the 's' key") == "press the ‘s’ key"
    assert typeset("the 'soft' option") == "the ‘soft’ option"
    assert typeset("He said 'd-day' was near") == "He said ‘d-day’ was near"
    assert typeset("aged 18 's') x") == "aged 18 ‘s’) x"  # after a digit: not a word's ending
    assert typeset("the 'Smith' case") == "the ‘Smith’ case"  # upper case: a quote


def test_no_space_after_an_opening_quote() -> None:
    assert typeset('He said: " We believe this') == "He said: “We believe this"
    assert typeset("He said: “ We believe this") == "He said: “We believe this"
    # across runs: the quote in bold, the words after it in plain text, and the other way round
    view = ArticleView(make(para(Strong((Text('Sgt Cole said: "'),)), " We believe it.")))
    assert [getattr(i, "text", None) or i.inlines[0].text for i in view.blocks[0].inlines] == [
        "Sgt Cole said: “", "We believe it."
    ]
    view = ArticleView(make(para('He said: " ', Emphasis((Text("This aims"),)), '"')))
    assert view.blocks[0].inlines[0].text == "He said: “"
    view = ArticleView(make(para('He said: " ', Emphasis((Text(" This aims"),)), '"')))  # both sides
    assert [view.blocks[0].inlines[0].text, view.blocks[0].inlines[1].inlines[0].text] == [
        "He said: “", "This aims"
    ]
    # a space before a dash or another quote: kept
    assert typeset("“ – ”") == "“ – ”"


def test_a_quote_that_ends_a_block_or_a_quoted_clause_closes() -> None:
    assert typeset('"Visit the website approved by Trading Standards. "') == (
        "“Visit the website approved by Trading Standards.”"
    )
    view = ArticleView(make(para(Strong((Text('" It is 12 years. It is brought to our attention. "'),)))))
    assert view.blocks[0].inlines[0].inlines[0].text == "“It is 12 years. It is brought to our attention.”"
    assert typeset('"As I was near, he took something from his coat, "PC Thomas said. "I didn\'t see."') == (
        "“As I was near, he took something from his coat,” PC Thomas said. “I didn’t see.”"
    )
    # a quote opened again for its next sentence, or a new quote after a closed one: opens
    kept = 'Mr Smith said: "I want to thank them this year. "They are the calm voices."'
    assert typeset(kept) == "Mr Smith said: “I want to thank them this year. “They are the calm voices.”"
    assert typeset('"It is done," he said. "We will go on," she said, "and win."') == (
        "“It is done,” he said. “We will go on,” she said, “and win.”"
    )
    assert typeset('Police said, "Call us."') == "Police said, “Call us.”"  # no quote open: opens
    assert typeset('he said so "') == "he said so”"  # nothing after it in the block: closes, no space


def test_doubled_apostrophes_and_years() -> None:
    assert typeset("''We executed warrants. We will go on.''") == "“We executed warrants. We will go on.”"
    assert typeset('the "rule of six\'\' - and more') == "the “rule of six” – and more"
    assert typeset("Sept '18 - Sept '19.") == "Sept ’18 – Sept ’19."
    assert typeset("in the '90s, (Aug '20)") == "in the ’90s, (Aug ’20)"
    # a quoted number, a longer number, three apostrophes: as before
    assert typeset("the '18' sign, '2018 rules', a '''b") == "the ‘18’ sign, ‘2018 rules’, a ’’’b"


def test_a_doubled_full_stop_is_one_and_a_sentence_gets_its_space() -> None:
    assert typeset("released with no further action..") == "released with no further action."
    assert typeset("the people involved.. Then") == "the people involved. Then"
    for seed, printed in (("hazard awareness.Bedfordshire Police", "hazard awareness. Bedfordshire Police"),
                          ("sexual abuse.There were 99", "sexual abuse. There were 99"),
                          ("in Hyde Park.He is due", "in Hyde Park. He is due"),
                          ("ask for Ann Gibson-Hodges.You can", "ask for Ann Gibson-Hodges. You can"),
                          ('"abuse.There"', "“abuse. There”")):
        assert typeset(seed) == printed
    kept = ("Wait... and then.... go", "J.K.Rowling and A.N.Other", "www.Kent.police.uk", "St.Georges Road",
            "Dr.Who", "mail Paul.Gibson-Hodges@kent.pnn.police.uk", "see kent.gov.uk/News.Aspx", "Report.Pdf",
            "Facebook.Com", "version 2.Then", "the file ../Docs", "No.10 and a.B", "Kent.Police.Uk")
    for text in kept:
        assert typeset(text) == text, text
    # never in a link's text, nor in a word that runs on into the next or previous run
    mail = Link("mailto:a@b.uk", (Text("Julie.Stead"),))
    view = ArticleView(make(para(mail, " or Julie.", Strong((Text("Stead"),)))))
    assert view.blocks[0].inlines[0].inlines[0].text == "Julie.Stead"
    assert view.blocks[0].inlines[1].text == " or Julie."
    view = ArticleView(make(para("it ended..", Emphasis((Text(".more"),)))))
    assert view.blocks[0].inlines[0].text == "it ended.."  # an ellipsis split across runs


def test_new_patterns_worst_case_shapes_finish() -> None:
    for shape in ("ab.Cd", "ab.Cd ", "x" * 39 + ".Ab ", " 's", "a    '", "''", "..", "a..", "“ ", ' "',
                  ', "x', "'18", "'1", "@a.Bc "):
        text = shape * (200_000 // len(shape))
        start = time.process_time()
        typeset(text, after="a")
        typeset("a" + text, before="“")
        assert time.process_time() - start < 5
