"""Every format takes its byline, dates, summary and quote captions from the one editorial view
(`convert/exporters/shared/view.py`): one article, six formats, the same decisions in each."""

from __future__ import annotations

import json
from datetime import date

import pytest
from bulletin_fixtures import make, para
from renderkit import docx_text, pdf_text

import convert
from convert.exporters.shared.view import ArticleView
from convert.model import Quote

LEAD = "A man accused of robbing a shop in Dover with a knife will appear in court next week."
# The lead with one word changed: a repeat by the view's rule, so no format may print it.
SUMMARY = "A man accused of robbing a shop in Dover with a knife will appear in court this week."
QUOTE = "Sgt Mark Jones said: “Call us on 101.”"


def article() -> convert.Article:
    return make(
        para(LEAD),
        Quote((para(QUOTE),), "Sgt Mark Jones"),  # names its speaker: no caption under it
        headline="Man charged after Dover shop robbery",
        publisher="Action Fraud",
        published=date(2018, 7, 24),
        updated=date(2018, 8, 28),
        summary=SUMMARY,
    )


def printed(fmt: str) -> str:
    # Markdown prints a who/when line in a bundle (one article alone is all front matter)
    data = convert.export([article()] if fmt == "md" else article(), fmt)
    if fmt == "pdf":  # the kicker is set in capitals by the style sheet
        return " ".join(pdf_text(data).split()).replace("ACTION FRAUD (KENT)", "Action Fraud (Kent)")
    if fmt == "docx":
        return docx_text(data)
    return data.decode("utf-8")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def test_the_view_decides() -> None:
    shown = ArticleView(article())
    assert shown.summary_shown is None
    assert shown.byline == "Action Fraud (Kent)"
    assert shown.dateline == "Tuesday 24 July 2018 · Updated 28 August 2018"


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "pdf", "docx"])
def test_every_printed_format_follows_the_view(fmt: str) -> None:
    text = printed(fmt)
    # the summary is only metadata (PDF Subject, <meta name=description>, Word's subject)
    body = text.split("document.xml:", 1)[-1] if fmt == "docx" else text
    if fmt in ("html", "pdf"):
        body = text.split("</head>", 1)[-1] if fmt == "html" else text.split("pages:", 1)[-1]
    assert "this week" not in body, f"{fmt} prints the repeated summary"
    assert "Action Fraud (Kent)" in text
    assert "Tuesday 24 July 2018" in text and "Updated 28 August 2018" in text
    assert "Sgt Mark Jones said" in text
    assert "— Sgt Mark Jones" not in text, f"{fmt} names the speaker twice"


def test_json_carries_the_decisions_and_still_round_trips() -> None:
    data = json.loads(convert.export(article(), "json"))
    assert data["view"] == {
        "byline": "Action Fraud (Kent)",
        "dateline": "Tuesday 24 July 2018",
        "updated": "Updated 28 August 2018",
        "summary_shown": None,
    }
    assert data["meta"]["summary"] == SUMMARY  # the model keeps it
    assert convert.Article.from_dict(data) == article()


def test_a_summary_that_adds_a_fact_is_printed_everywhere() -> None:
    fresh = "Detectives want to trace a second man seen in a white van."
    one = make(para(LEAD), summary=fresh, publisher="Kent Police")
    for fmt in ("txt", "md", "html", "pdf", "docx"):
        data = convert.export(one, fmt)
        text = {"pdf": pdf_text, "docx": docx_text}.get(fmt, bytes.decode)(data)
        assert "second man seen in a white van" in " ".join(text.split()), fmt
