"""The "Can you help?" call-out and the kind label in every format (issue 14, part 2).

Two short synthetic seeds (tests/fixtures/callout/): an appeal that asks for a crime reference
to be quoted on 101 and names Crimestoppers' number, and a recruitment item that gives a phone
number and a link but asks nothing of the public.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date, datetime

import docx
import pytest
from pypdf import PdfReader
from testpaths import FIXTURES

import convert
from convert.exporters.shared.callout import NBSP, appeals, callout, kind_label, to_quote
from convert.model import Article, Contact, Facts, Meta, Paragraph, Reference, Text
from convert.text import blocks_text

SEEDS = FIXTURES / "callout"
REFERENCE = "37/45092/21"
CRIMESTOPPERS = "0800 555 111"


@pytest.fixture(scope="module")
def appeal() -> Article:
    return convert.load(SEEDS / "appeal.md")


@pytest.fixture(scope="module")
def recruitment() -> Article:
    return convert.load(SEEDS / "recruitment.md")


def flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def pdf_text(data: bytes) -> str:
    return flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def docx_text(data: bytes) -> tuple[str, list[str]]:
    """The document's paragraphs (text, style) before the body."""
    document = docx.Document(io.BytesIO(data))
    lines = [(flat(p.text), p.style.name) for p in document.paragraphs]
    return "\n".join(t for t, _ in lines), [s for _, s in lines]


# --- the view --------------------------------------------------------------------------------


def test_the_appeal_has_a_call_out_with_every_way_to_respond(appeal: Article) -> None:
    box = callout(appeal)
    assert box is not None and box.title == "Can you help?"
    rows = {row.label: [(flat(i.value), i.note, i.href) for i in row.items] for row in box.rows}
    assert rows == {
        "Quote": [(f"crime reference {REFERENCE}", "", None)],
        "Call": [("101", "non-emergency", "tel:101")],
        "Anonymously": [(CRIMESTOPPERS, "Crimestoppers", "tel:0800555111")],
        "Online": [("www.testshire.police.uk/report", "", "https://www.testshire.police.uk/report")],
    }
    assert [row.label for row in box.rows] == ["Quote", "Call", "Anonymously", "Online"]
    # numbers keep their spaces unbreakable, and every value is in the article's text
    assert box.rows[2].items[0].value == CRIMESTOPPERS.replace(" ", NBSP)
    text = blocks_text(appeal.blocks)
    for row in box.rows:
        for item in row.items:
            assert flat(item.value) in text
    assert kind_label(appeal) == "Appeal"


def test_a_recruitment_item_with_a_number_has_no_call_out(recruitment: Article) -> None:
    assert recruitment.facts.contacts  # it does give a number and a link ...
    assert not appeals(recruitment) and callout(recruitment) is None  # ... but asks nothing
    assert kind_label(recruitment) == "Recruitment"


def _article(facts: Facts) -> Article:
    return Article(Meta("Headline", "Area", "https://example.police.uk/a"), (Paragraph((Text("x"),)),), facts)


def test_nothing_is_invented_and_helplines_and_bare_999_stay_out() -> None:
    sentence = "Anyone with information should call 101."
    facts = Facts(
        kinds=("appeal",),
        contacts=(
            Contact("phone", "101", "police (non-emergency)", sentence),
            Contact("phone", "999", "emergency services", "Officers answered 999 at once."),
            Contact("phone", "0808 2000 247", "Domestic Abuse Helpline", "The Helpline is on 0808 2000 247."),
            Contact("email", "a.b@example.pnn.police.uk", "police", "Or email a.b@example.pnn.police.uk"),
        ),
    )
    box = callout(_article(facts))
    assert box is not None
    assert [(r.label, [i.value for i in r.items]) for r in box.rows] == [
        ("Call", ["101"]), ("E-mail", ["a.b@example.pnn.police.uk"])
    ]
    # Crimestoppers named in an appeal sentence but with no number: the name, no number added
    named = Facts(kinds=("appeal",), contacts=(
        Contact("phone", "101", None, "Anyone with information can call 101 or Crimestoppers anonymously."),
    ))
    box = callout(_article(named))
    assert box is not None and [i.text for i in box.rows[-1].items] == ["Crimestoppers"]
    assert "0800" not in repr(box)


def test_an_appeal_with_nothing_to_quote_or_call_has_no_empty_box() -> None:
    assert callout(_article(Facts(kinds=("appeal",)))) is None
    reference_only = Facts(kinds=("court",), references=(Reference("12:347", "incident", "quoting 12:347"),))
    box = callout(_article(reference_only))
    assert box is not None and [r.label for r in box.rows] == ["Quote"]
    assert kind_label(_article(Facts(kinds=("other",)))) == "" and kind_label(_article(Facts())) == ""


def test_a_row_lists_eight_then_counts_the_rest() -> None:
    # a hostile seed's 3,000 references in one box kept WeasyPrint past the time limit
    refs = tuple(Reference(f"{n} of 1 January", "incident", f"quoting incident {n} of 1 January")
                 for n in range(20))
    box = callout(_article(Facts(kinds=("appeal",), references=refs)))
    assert box is not None
    assert [i.value for i in box.rows[0].items] == [
        f"incident 0{NBSP}of{NBSP}1{NBSP}January",  # the kind once for the run
        *(f"{n}{NBSP}of{NBSP}1{NBSP}January" for n in range(1, 8)), "and 12 more in the article"
    ]
    # the glance's narrow column: the number stays with its word, the rest may wrap
    assert to_quote(_article(Facts(references=refs))) == (
        f"incident{NBSP}0 of 1 January; 1{NBSP}of 1 January; 2{NBSP}of 1 January; 17 more"
    )


def test_a_run_of_one_kind_names_it_once() -> None:
    refs = (
        Reference("37/71195/17", "crime reference", "quoting crime references 37/71195/17"),
        Reference("37/71135/17", "crime reference", "and 37/71135/17"),
        Reference("48 of 3 May", "incident", "or incident 48 of 3 May"),
        Reference("37/70980/17", "crime reference", "or 37/70980/17"),
        Reference("Operation Zebu", "operation", "Operation Zebu"),
    )
    box = callout(_article(Facts(kinds=("appeal",), references=refs)))
    assert box is not None
    assert [flat(i.value) for i in box.rows[0].items] == [
        "crime reference 37/71195/17", "37/71135/17", "incident 48 of 3 May",
        "crime reference 37/70980/17", "Operation Zebu",
    ]


@pytest.mark.parametrize(
    ("text", "published", "said"),
    [
        ("154 of today", date(2020, 12, 20), "log 154 of 20 December 2020"),
        ("403 of yesterday", datetime(2017, 1, 1, 9, 30), "log 403 of 31 December 2016"),
        ("403 of yesterday, Monday 30 January", date(2017, 1, 31), "log 403 of Monday 30 January"),
        ("154 of today", None, "log 154 of today"),  # no date to give: as written
        ("154 of 3 May", date(2020, 12, 20), "log 154 of 3 May"),
        ("today 154", date(2020, 12, 20), "log today 154"),
    ],
)
def test_today_and_yesterday_are_the_articles_day(text: str, published: date | None, said: str) -> None:
    article = _article(Facts(kinds=("appeal",), references=(Reference(text, "log", f"quote log {text}"),)))
    article = Article(replace(article.meta, published=published), article.blocks, article.facts)
    box = callout(article)
    assert box is not None and flat(box.rows[0].items[0].value) == said
    assert flat(to_quote(article)) == said


# --- every format ----------------------------------------------------------------------------


def test_pdf(appeal: Article, recruitment: Article) -> None:
    text = pdf_text(convert.export(appeal, "pdf"))
    assert "CAN YOU HELP?" in text or "Can you help?" in text
    assert f"Quote crime reference {REFERENCE}" in text
    assert f"{CRIMESTOPPERS} (Crimestoppers)" in text
    assert "APPEAL" in text  # the kind by the date (set in capitals by the CSS)
    # the box comes before the body
    assert text.index(REFERENCE) < text.index("Police are appealing for witnesses")
    other = pdf_text(convert.export(recruitment, "pdf"))
    assert "help?" not in other.casefold() and "RECRUITMENT" in other


def test_html(appeal: Article, recruitment: Article) -> None:
    page = convert.export(appeal, "html").decode()
    start = page.index('<aside class="callout"')
    aside = page[start:page.index("</aside>", start)]
    assert "Can you help?" in aside
    assert f"<strong>crime reference {REFERENCE}</strong>" in aside
    assert f'<a href="tel:0800555111">{CRIMESTOPPERS.replace(" ", NBSP)}</a>' in aside
    assert '<span class="kind">Appeal</span>' in page
    other = convert.export(recruitment, "html").decode()
    assert 'class="callout"' not in other and '<span class="kind">Recruitment</span>' in other


def test_docx(appeal: Article, recruitment: Article) -> None:
    text, styles = docx_text(convert.export(appeal, "docx"))
    assert "Callout Heading" in styles and styles.count("Callout") == 4  # one paragraph a row
    assert "Can you help?" in text
    assert f"Quote crime reference {REFERENCE}" in text  # python-docx reads the tab as a space
    assert f"Anonymously {CRIMESTOPPERS} (Crimestoppers)" in text
    assert "Thursday 4 March 2021 · Appeal" in text
    other, other_styles = docx_text(convert.export(recruitment, "docx"))
    assert "Callout" not in " ".join(other_styles) and "help?" not in other and "Recruitment" in other


def test_txt(appeal: Article, recruitment: Article) -> None:
    text = convert.export(appeal, "txt", width=30).decode()
    assert "Can you help?\n-------------\n" in text
    assert f"Quote:       crime reference\n             {REFERENCE}\n" in text  # the reference stays whole
    assert f"Anonymously: {CRIMESTOPPERS}\n" in text  # never broken across lines, even at 30 columns
    assert "Thursday 4 March 2021 –\nAppeal" in text or "Thursday 4 March 2021 – Appeal" in text
    assert text.index("Can you help?") < text.index("Police are appealing")
    other = convert.export(recruitment, "txt").decode()
    assert "Can you help?" not in other and "Friday 5 March 2021 – Recruitment" in other


def test_md(appeal: Article, recruitment: Article) -> None:
    text = convert.export(appeal, "md").decode()
    assert "> **Can you help?**\n>\n" in text
    assert f"> - **Quote:** crime reference {REFERENCE}\n" in text
    assert f"> - **Anonymously:** [{CRIMESTOPPERS}](tel:0800555111) (Crimestoppers)\n" in text
    assert "\nkind: Appeal\n" in text
    other = convert.export(recruitment, "md").decode()
    assert "Can you help?" not in other and "\nkind: Recruitment\n" in other
    bundle = convert.export([appeal, recruitment], "md").decode()
    assert " · Thursday 4 March 2021 · Appeal · " in bundle and bundle.count("Can you help?") == 1


def with_heading(seed: str, heading: str, before: str) -> Article:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert before in text
    return convert.loads(text.replace(before, f"{heading}\n\n{before}", 1))


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "pdf", "docx"])
def test_a_body_heading_that_repeats_the_box_title_is_left_out(fmt: str) -> None:
    def printed(article: Article) -> str:
        data = convert.export(article, fmt)
        text = {"pdf": pdf_text, "docx": lambda d: docx_text(d)[0]}.get(fmt, bytes.decode)(data)
        if fmt == "html":  # the page's words: no <head>, no tags (the box's aria-label)
            text = re.sub(r"<[^>]*>", " ", text.split("</head>", 1)[-1])
        return flat(text).casefold()

    asked = with_heading("appeal.md", "## Can you help?", "Anyone with information")
    text = printed(asked)
    assert text.count("can you help") == 1, text  # the box's title only
    assert "anyone with information is asked to call 101" in text  # the paragraphs under it stay
    # another heading, or one in a story with no box: kept
    other = printed(with_heading("appeal.md", "## Can you help us find them?", "Anyone with information"))
    assert other.count("can you help") == 2
    kept = printed(with_heading("recruitment.md", "## Can you help?", "To find out more"))
    assert kept.count("can you help") == 1


def test_the_view_leaves_out_only_a_top_level_heading_saying_the_title() -> None:
    from convert.exporters.shared.view import ArticleView
    from convert.model import Heading, Quote

    asked = with_heading("appeal.md", "### CAN YOU HELP", "Anyone with information")
    shown = ArticleView(asked)
    assert shown.callout is not None and shown.callout == callout(asked)
    assert not any(isinstance(b, Heading) for b in shown.blocks)
    assert len(shown.blocks) == len(asked.blocks) - 1
    inner = Quote((Heading(2, (Text("Can you help?"),)),), None)
    quoted = Article(asked.meta, (*asked.blocks, inner), asked.facts)
    assert isinstance(ArticleView(quoted).blocks[-1], Quote)  # inside a quote: the quote's words


def test_json_keeps_the_facts(appeal: Article) -> None:
    data = json.loads(convert.export(appeal, "json"))
    assert data["facts"]["references"][0]["text"] == REFERENCE
    assert CRIMESTOPPERS in [c["value"] for c in data["facts"]["contacts"]]
