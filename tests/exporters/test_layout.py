"""Layout on the printed page (issue 12, item 7): what keeps with what, in PDF and Word."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docx_support import read
from pdf_support import reader

from convert.exporters import TitledOptions
from convert.exporters.docx import WordDocument
from convert.exporters.shared.render import MAX_KEPT, keeps
from convert.exporters.web.html import WebPage
from convert.exporters.web.markup import HtmlRenderer
from convert.exporters.web.pages import RUNNING_CHARS, running_head
from convert.exporters.web.pdf import Briefing, PdfOptions
from convert.model import Article, Block, Heading, Link, Meta, Paragraph, Quote, Strong, Text

pytest_plugins = ("pdf_guards",)  # the no_network and weasyprint_errors fixtures
pytestmark = pytest.mark.usefixtures("no_network", "weasyprint_errors")

META = Meta(headline="Questions and answers", area="Kent", url="https://www.kent.police.uk/x",
            published=date(2020, 1, 1))


def h(text: str) -> Heading:
    return Heading(3, (Text(text),))


def p(text: str) -> Paragraph:
    return Paragraph((Text(text),))


SAID = p("Detective Inspector Jo Scott-Clark, said:")
QUOTE = Quote((p("“We will find those responsible.”"),))


# --- which blocks keep with the next ---------------------------------------------------------


def test_headings_and_colon_paragraphs_keep_with_the_next() -> None:
    blocks = [h("Testing"), p("Text."), SAID, QUOTE, p("Testing:"), p("More."), p("Not a lead-in.")]
    assert keeps(blocks) == [True, False, True, False, True, False, False]
    # the colon may sit inside bold, or be followed by spaces
    assert keeps([Paragraph((Strong((Text("Contact details:"),)), Text(" "))), p("x")]) == [True, False]


@pytest.mark.parametrize("run", [1, 2, 3, 5, 23])
def test_a_chain_of_kept_blocks_never_passes_three(run: int) -> None:
    blocks = [h(f"Q{i}") for i in range(run)] + [p("The answer.")]
    kept = keeps(blocks)
    chain = longest = 0
    for k in kept:  # blocks glued together: a kept block and everything it keeps with
        chain = chain + 1 if k else 0
        longest = max(longest, chain + 1)
    assert longest <= MAX_KEPT
    assert kept[run - 1]  # the last heading still keeps with its text
    assert sum(not k for k in kept[:run]) == run // MAX_KEPT


def test_markup_marks_kept_blocks_and_no_others() -> None:
    blocks: tuple[Block, ...] = (h("Q1"), h("Q2"), h("Q3"), h("Q4"), SAID, QUOTE, p("Plain."))
    html = str(HtmlRenderer().blocks(blocks))
    assert '<h4 class="keep">Q1</h4>' in html and '<h4 class="keep">Q2</h4>' in html
    assert "<h4>Q3</h4>" in html  # let go: the third of a run of five, counted from its end
    assert '<h4 class="keep">Q4</h4>' in html
    assert '<p class="keep">Detective Inspector Jo Scott-Clark, said:</p>' in html
    assert "<p>Plain.</p>" in html


def test_word_keeps_with_next_like_the_pdf() -> None:
    blocks = (h("Q1"), h("Q2"), h("Q3"), h("Q4"), SAID, QUOTE, p("Plain."))
    doc = read(WordDocument(TitledOptions()).export(Article(META, blocks)))
    by_text = {para.text: para.paragraph_format.keep_with_next for para in doc.paragraphs}
    assert by_text["Q1"] is True and by_text["Q2"] is True and by_text["Q4"] is True
    assert by_text["Q3"] is False  # explicitly: the Heading style itself keeps with next
    assert by_text["Detective Inspector Jo Scott-Clark, said:"] is True
    assert by_text["Plain."] is None


def test_a_long_run_of_headings_starts_on_the_first_page() -> None:
    """23 Q&A headings in a row, each kept with the next, once moved as one piece to page 2."""
    filler = p("Officers answered the questions residents asked at the meeting. " * 12)
    blocks = (filler, filler, filler, *(h(f"Question {i} asked?") for i in range(1, 24)), p("Answers."))
    data = Briefing(PdfOptions()).export(Article(META, blocks))
    first = reader(data).pages[0].extract_text()
    assert "Question 1 asked?" in first


# --- links on paper ------------------------------------------------------------------------------

LINKS = (
    Paragraph((
        Text("Report it "), Link("https://www.kent.police.uk/report/", (Text("on our website"),)),
        Text(", see "), Link("https://www.kent.police.uk/", (Text("www.kent.police.uk"),)),
        Text(" or "), Link("mailto:news@kent.police.uk", (Text("e-mail us"),)),
        Text(" but not "), Link("javascript:alert(1)", (Text("click here"),)), Text("."),
    )),
    Heading(2, (Link("https://example.org/in-heading", (Text("A heading link"),)),)),
)


def test_pdf_prints_the_address_of_a_link_whose_words_are_not_it() -> None:
    data = Briefing(PdfOptions()).export(Article(META, LINKS))
    page = " ".join(reader(data).pages[0].extract_text().split())
    assert "1. https://www.kent.police.uk/report/" in page
    assert "2. news@kent.police.uk" in page
    assert "3." not in page  # the address as its own words, a refused link, a heading: none
    assert "javascript" not in page and "example.org/in-heading" not in page


AGAIN = (
    Paragraph((Text("Report it "), Link("https://www.kent.police.uk/report/", (Text("online"),)),
               Text(" or "), Link("mailto:news@kent.police.uk", (Text("e-mail us"),)), Text("."))),
    Paragraph((Text("Again: "), Link("https://www.kent.police.uk/report/", (Text("report it here"),)),
               Text(", "), Link("mailto:news@kent.police.uk", (Text("write to us"),)), Text("."))),
)


def test_a_repeated_address_points_at_its_first_note() -> None:
    printed = str(HtmlRenderer(footnotes=True).blocks(AGAIN))
    assert printed.count('class="footnote"') == 2
    assert printed.count('<sup class="footnote-again">1</sup>') == 1
    assert printed.count('<sup class="footnote-again">2</sup>') == 1
    assert printed.index('<sup class="footnote-again">1</sup>') > printed.index("report it here")
    pdf = reader(Briefing(PdfOptions()).export(Article(META, AGAIN)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert text.count("https://www.kent.police.uk/report/") == 1 and text.count("news@kent.police.uk") == 1
    assert "3." not in text


def test_footnotes_are_print_only() -> None:
    printed = str(HtmlRenderer(footnotes=True).blocks(LINKS))
    assert printed.count('class="footnote"') == 2
    assert '<span class="footnote">https://www.kent.police.uk/report/</span>' in printed
    screen = WebPage(TitledOptions()).export(Article(META, LINKS)).decode()
    assert "footnote" not in screen.split("<body", 1)[1]


# --- the pack's running header ----------------------------------------------------------------

LONG = ("Appeal for witnesses after a serious collision between a lorry and a cyclist on the A38 "
        "near Bromsgrove on Sunday evening left a man in hospital")


def test_running_head_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert running_head("Short headline") == "Short headline"
    cut = running_head(LONG)
    assert cut == "Appeal for witnesses after a serious collision between a lorry and a…"
    assert len(cut) <= RUNNING_CHARS
    assert running_head("x" * 200).endswith("x…")  # one long word: cut inside it


def test_pack_running_header_holds_one_line_of_a_long_headline() -> None:
    articles = [Article(replace(META, headline=h), LINKS) for h in (LONG, "Second")]
    data = Briefing(PdfOptions(title="Pack")).export_bundle(articles)
    pages = [page.extract_text() for page in reader(data).pages]
    lines = [line for t in pages for line in t.splitlines()]
    assert "KENT Appeal for witnesses after a serious collision between a lorry and a…" in lines
    # footnotes are numbered per article
    assert sum("1. https://www.kent.police.uk/report/" in t for t in pages) == 2
