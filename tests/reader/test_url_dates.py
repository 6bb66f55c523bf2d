"""Dates from the URL. An article that prints no date but whose URL has a month folder
(`/2020/august/`) is dated to that month: a `Month`, stored as `2020-08`, printed "August 2020",
sorted as the 1st. PSNI's slug starts with the page's day, which wins over a header that
disagrees."""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime

import pytest

import convert
from convert.collate import group
from convert.exporters.shared.dates import date_range, iso_date, long_date, short_date, updated_date
from convert.model import Article, Meta, Month
from convert.reader.dates import url_month


@pytest.mark.parametrize(
    ("url", "month"),
    [
        ("http://www.scotland.police.uk/what-s-happening/news/2020/august/two-charged/", Month(2020, 8, 1)),
        ("https://www.surrey.police.uk/news/surrey/news/2020/01/have-you-seen/", Month(2020, 1, 1)),
        ("https://example.police.uk/news/2019/sept/advice/", Month(2019, 9, 1)),
        ("https://example.police.uk/news/2018/Dec", Month(2018, 12, 1)),
        ("https://www.kent.police.uk/news/appeals/2010/serious-collision/", None),  # a year only
        ("https://www.northants.police.uk/news/2019/june-19/advice/", None),  # not a month folder
        ("https://example.police.uk/news/2020/13/x/", None),
        ("https://example.police.uk/news/1850/may/x/", None),
        ("https://example.police.uk/news/mayday/", None),
        ("", None),
    ],
)
def test_url_month(url: str, month: Month | None) -> None:
    found = url_month(url)
    assert found == month and type(found) is type(month)


def _seed(header: str, url: str = "https://www.scotland.police.uk/news/2020/august/a-story/") -> str:
    return f"```yaml\narea: Scotland\ntitle: A story\nurl: {url}\n{header}```\n\nOfficers attended.\n"


def test_an_undated_article_takes_its_urls_month() -> None:
    article = convert.loads(_seed(""))
    assert article.meta.published == Month(2020, 8, 1) and isinstance(article.meta.published, Month)
    data = json.loads(json.dumps(article.to_dict()))
    assert data["schema"] == 3 and data["meta"]["published"] == "2020-08"
    again = Article.from_dict(data)
    assert again == article and isinstance(again.meta.published, Month)
    assert isinstance(pickle.loads(pickle.dumps(article)).meta.published, Month)  # to workers


def test_a_printed_date_wins_over_the_url() -> None:
    stamped = _seed("").replace("Officers attended.", "Posted on 14 August 2020\n\nOfficers attended.")
    assert convert.loads(stamped).meta.published == date(2020, 8, 14)
    article = convert.loads(_seed("publish:\n  date: 10:00 14/08/2020\n"))
    assert isinstance(article.meta.published, datetime) and article.meta.published.day == 14
    assert convert.loads(_seed("", url="https://example.police.uk/news/a-story/")).meta.published is None


def test_a_month_is_printed_as_a_month() -> None:
    month = Month(2020, 8, 1)
    assert long_date(month) == "August 2020"
    assert short_date(month) == "Aug 2020"
    assert iso_date(month) == "2020-08"
    assert updated_date(month, date(2020, 8, 20)) == "Updated 20 August 2020"  # a day is news
    assert updated_date(month, None) == ""


def _article(n: int, published: date | None) -> Article:
    return Article(Meta(f"Story {n}", "Scotland", f"https://x/{n}", published=published))


def test_bundles_group_and_span_a_month() -> None:
    articles = [_article(1, date(2020, 8, 3)), _article(2, Month(2020, 8, 1)), _article(3, date(2020, 8, 20))]
    assert date_range(articles) == "August 2020 – 20 August 2020"
    daily = group(articles, "date")
    assert [s.heading for s in daily] == ["Thursday 20 August 2020", "Monday 3 August 2020", "August 2020"]


# --- PSNI: the slug starts with the page's day (ddmmyy) -------------------------------------


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://www.psni.police.uk/news/Latest-News/040416-distraction-burglary/", date(2016, 4, 4)),
        ("https://www.psni.police.uk/news/Latest-News/311216-year-end", date(2016, 12, 31)),
        ("https://www.psni.police.uk/news/Latest-News/310216-no-such-day/", None),
        ("https://www.psni.police.uk/news/Latest-News/04041-five-digits/", None),
        ("https://example.police.uk/news/040416/", None),  # a number, not a slug starting with one
        ("https://example.police.uk/040416-a/more/", None),  # not the page's own slug
    ],
)
def test_url_day(url: str, day: date | None) -> None:
    from convert.reader.dates import url_day

    assert url_day(url) == day


def test_the_slugs_day_wins_over_a_header_that_disagrees() -> None:
    url = "https://www.psni.police.uk/news/Latest-News/040416-distraction-burglary/"
    wrong = convert.loads(_seed("publish:\n  date: 04 March 2016\n", url=url))
    assert wrong.meta.published == date(2016, 4, 4)
    agreeing = convert.loads(_seed("publish:\n  date: 10:30 04/04/2016\n", url=url))
    assert isinstance(agreeing.meta.published, datetime)  # the header's time is kept
    assert convert.loads(_seed("", url=url)).meta.published == date(2016, 4, 4)
