"""The reader's rules one by one: date shapes, title shapes, speakers, links, body tidying."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from convert.limits import MAX_BLOCKS
from convert.model import (
    Block,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Month,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
)
from convert.reader import body, clean, dates, loads, loads_with_repairs, speakers, titles
from convert.reader.lines import join_lines
from convert.text import blocks_text, plain

LONDON = ZoneInfo("Europe/London")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


# --- dates -----------------------------------------------------------------------------

SHAPES = [
    # header values
    ("2020-09-30T21:49+00:00", at(2020, 9, 30, 22, 49)),  # UTC → UK time
    ("2017-01-31T15:14:31+00:00", at(2017, 1, 31, 15, 14, 31)),
    ("2018-08-09T17:06:21+01:00", at(2018, 8, 9, 17, 6, 21)),
    ("2020-09-30", date(2020, 9, 30)),
    ("19 Mar 2020", date(2020, 3, 19)),
    ("1 Feb 2021", date(2021, 2, 1)),
    ("30 November 2017", date(2017, 11, 30)),
    ("16 Oct 2020 15:22", at(2020, 10, 16, 15, 22)),
    ("12:31 18/12/2020", at(2020, 12, 18, 12, 31)),  # day first
    ("09:23 11/11/2020", at(2020, 11, 11, 9, 23)),
    ("25th October 2020", date(2020, 10, 25)),
    ("23rd December 2020", date(2020, 12, 23)),
    ("Posted at 22:49 on 30th September 2020", at(2020, 9, 30, 22, 49)),
    ("Posted at 09:48 on 2nd August 2020", at(2020, 8, 2, 9, 48)),
    # body lines
    ("Thursday, April 11, 2019", date(2019, 4, 11)),
    ("11:17 12/06/2020", at(2020, 6, 12, 11, 17)),
    ("Mar 31, 2021 20:10 BST", at(2021, 3, 31, 20, 10)),
    ("Mar 02, 2021 11:46 GMT", at(2021, 3, 2, 11, 46)),
    ("Date published: 17 February 2021 10:54", at(2021, 2, 17, 10, 54)),
    ("Dated: 23 March 2021 10:24:32", at(2021, 3, 23, 10, 24, 32)),
    ("Published 19th June 2020", date(2020, 6, 19)),
    ("Published on 30 November 2020", date(2020, 11, 30)),
    ("Published on Saturday, December 26, 2020", date(2020, 12, 26)),
    ("Published at 2.30pm on Monday 1 March 2021.", at(2021, 3, 1, 14, 30)),
    ("Last modified: 9 May 2018 at 10:42am", at(2018, 5, 9, 10, 42)),
    ("22 Dec 20 8:47 AM", at(2020, 12, 22, 8, 47)),
    ("Release date: 29/Dec/2020 11:57", at(2020, 12, 29, 11, 57)),
    ("Posted on 13:29:00 on 13th November 2019", at(2019, 11, 13, 13, 29)),
    ("Posted on 17 May 2017 at 02:33pm in Local appeals", at(2017, 5, 17, 14, 33)),
    ("Posted on 1 May 2020 at 03:21pm in News stories, Rural", at(2020, 5, 1, 15, 21)),
    ("Wednesday 20 January, 2021", date(2021, 1, 20)),
    ("Tuesday 16th February 2021.", date(2021, 2, 16)),
    ("24 November 2020 - 9.30pm", at(2020, 11, 24, 21, 30)),
    ("26/03/2019", date(2019, 3, 26)),
    ("07/11/20", date(2020, 11, 7)),
    ("Date 5th October 2015", date(2015, 10, 5)),
    ("January 11, 2021", date(2021, 1, 11)),
    ("the 5th of February 2021", date(2021, 2, 5)),
    ("Sept 3, 2020 12pm", at(2020, 9, 3, 12, 0)),
    ("3 Sep 2020 12:00am", at(2020, 9, 3, 0, 0)),
    ("20 Dec 2020 10:00 UTC", at(2020, 12, 20, 10, 0)),
    ("20 Jun 2020 10:00 UTC", at(2020, 6, 20, 11, 0)),
]


@pytest.mark.parametrize(("text", "expected"), SHAPES, ids=[s for s, _ in SHAPES])
def test_date_shapes(text: str, expected: date | datetime) -> None:
    value = dates.parse(text)
    assert value == expected
    assert type(value) is type(expected)
    if isinstance(value, datetime):
        assert value.tzinfo is not None and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(("text", "expected"), SHAPES, ids=[s for s, _ in SHAPES])
def test_quick_reader_agrees_with_dateutil(text: str, expected: date | datetime) -> None:
    """The shapes are read without dateutil for speed; dateutil (day first) must agree."""
    from dateutil import parser as dateutil

    match = dates.is_stamp(text)
    assert match is not None
    phrase = match.group("phrase")
    if phrase[:4].isdigit() and phrase[4:5] == "-":
        return  # ISO 8601: datetime.fromisoformat
    quick = dates._quick(phrase, None)
    cleaned = dates._NOISE.sub(" ", dates._DOTTED_TIME.sub(r"\1:\2", phrase))
    assert quick == dateutil.parse(cleaned, dayfirst=True, ignoretz=True)


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("18 Dec", 2020, date(2020, 12, 18)),
        ("September 11th", 2019, date(2019, 9, 11)),
        ("Friday, June 14", 2019, date(2019, 6, 14)),
        ("18 Dec 14:23", 2020, at(2020, 12, 18, 14, 23)),
        ("18 Dec", None, None),  # no year anywhere: no date, never a guess
        ("Friday, June 14", None, None),
        ("19 Mar 2020", 2015, date(2020, 3, 19)),  # the stamp's own year wins
    ],
)
def test_yearless_dates_take_the_url_year(
    text: str, year: int | None, expected: date | datetime | None
) -> None:
    assert dates.parse(text, year) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He was arrested on 5 May 2020 in Lincoln.",
        "12 people were arrested",
        "May",
        "2020",
        "Date",
        "Posted on",
        "30 Feb 2020",
        "1 Jan 2021 13pm",
        "Anyone with information should call 101 quoting 20000668141.",
        "It happened between 9pm, 12 October and 9am, 13 October.",
        "31/31/2020",
        "Issued: HCB, Corporate Communications",
    ],
)
def test_not_a_date_stamp(text: str) -> None:
    assert dates.parse(text, 2020) is None


@pytest.mark.parametrize(
    ("url", "year"),
    [
        ("https://www.herts.police.uk/news-and-appeals/2019/june/cement-mixer/", 2019),
        ("https://www.cheshire.police.uk/news/articles/2019/11/man-jailed/", 2019),
        ("https://www.southyorks.police.uk/news/2021/march-2021/dog-theft/", 2021),
        ("https://www.bedfordshire.police.uk/news-and-appeals/serious-assault-nov19", None),
        ("https://media.btp.police.uk/r/17455/man_charged", None),
        (None, None),
    ],
)
def test_url_year(url: str | None, year: int | None) -> None:
    assert dates.url_year(url) == year


def test_incident_dates_are_not_publication_dates() -> None:
    seed = (
        "```yaml\narea: Scotland\nincident:\n  day: '3'\n  month: March\n  year: '2020'\n"
        "url: http://www.scotland.police.uk/news/2020/march/x/\ntitle: Appeal\n```\n\nBody text.\n"
    )
    assert loads(seed).meta.published == Month(2020, 3, 1)  # the page's month, not the incident's day
    assert not isinstance(loads(seed.replace("2020/march/", "")).meta.published, date)


def test_header_date_wins_and_same_day_stamps_leave_the_body() -> None:
    seed = (
        "```yaml\narea: Kent\nurl: https://x/\ntitle: T\npublish:\n  date: 15:53 30/03/2020\n```\n\n"
        "30 March 2020\n\nLast modified: 2 April 2020\n\nBody text.\n\nPosted on 30 March 2020 in News\n"
    )
    article = loads(seed)
    assert article.meta.published == at(2020, 3, 30, 15, 53)
    assert article.meta.updated == date(2020, 4, 2)  # the body's stamp moves to the model
    texts = [b.inlines[0].text for b in article.blocks if isinstance(b, Paragraph)]
    assert texts == ["Body text."]


def test_modified_stamp_is_never_the_publication_date() -> None:
    seed = (
        "```yaml\narea: Kent\nurl: https://x/\ntitle: T\n```\n\nLast modified: 2 April 2020\n\nBody text.\n"
    )
    article = loads(seed)
    assert article.meta.published is None
    assert article.meta.updated == date(2020, 4, 2)
    assert article.blocks == (Paragraph((Text("Body text."),)),)


def test_unlabelled_date_in_the_middle_is_not_a_stamp() -> None:
    paras = "\n\n".join(f"Paragraph {n} of the story." for n in range(8))
    seed = f"```yaml\narea: Kent\nurl: https://x/\ntitle: T\n```\n\n{paras}\n\n4 March 2020\n\n{paras}\n"
    assert loads(seed).meta.published is None


# --- titles ----------------------------------------------------------------------------

TITLES = [
    (
        "Lancashire Constabulary - No place for hate in Lancashire",
        "No place for hate in Lancashire",
        "Lancashire Constabulary",
    ),
    ("Man jailed | Cheshire Constabulary", "Man jailed", "Cheshire Constabulary"),
    ("Dog theft in South Yorkshire - SYP", "Dog theft in South Yorkshire", "South Yorkshire Police"),
    ("Couple jailed - Metropolitan Police", "Couple jailed", "Metropolitan Police"),
    ("Four arrested - Wiltshire Police", "Four arrested", "Wiltshire Police"),
    ("Report of assault in Bournemouth – update |", "Report of assault in Bournemouth – update", None),
    ("Appeal for witnesses | News | West Midlands Police", "Appeal for witnesses", "West Midlands Police"),
    ("Appeal - North Yorkshire Police", "Appeal", "North Yorkshire Police"),
    ("Witness appeal | Avon and Somerset Police", "Witness appeal", "Avon and Somerset Police"),
    ("Arrests | City of London Police", "Arrests", "City of London Police"),
    ("Man charged at Seven Sisters - London", "Man charged at Seven Sisters - London", None),
    (
        "Missing woman found safe - Leamington | Warwickshire Police",
        "Missing woman found safe - Leamington",
        "Warwickshire Police",
    ),
    ("Burglaries - Newtownabbey", "Burglaries - Newtownabbey", None),
    (
        "Thank you - a message from Chief Constable Simon Cole | Leicestershire Police",
        "Thank you - a message from Chief Constable Simon Cole",
        "Leicestershire Police",
    ),
    (
        "Cleveland Police, partners donate &#163;3,600 | Cleveland Police",
        "Cleveland Police, partners donate £3,600",
        "Cleveland Police",
    ),
    (
        "Coroner&#039;s Appeal: June Briggs - Leeds | West Yorkshire Police",
        "Coroner's Appeal: June Briggs - Leeds",
        "West Yorkshire Police",
    ),
    (
        "\u200bA man has been sentenced - Metropolitan Police",
        "A man has been sentenced",
        "Metropolitan Police",
    ),
    ("Serious assault in Barton-le-Clay", "Serious assault in Barton-le-Clay", None),
]


@pytest.mark.parametrize(("raw", "headline", "publisher"), TITLES, ids=[t[0][:40] for t in TITLES])
def test_title_shapes(raw: str, headline: str, publisher: str | None) -> None:
    found = titles.split_title(raw, {"kent"})
    assert (found.headline, found.publisher) == (headline, publisher)


def test_headline_candidates_prefer_the_one_the_url_names() -> None:
    url = "https://www.lancashire.police.uk/news/2021/february/updated-fifth-arrest-following-disorder-in-burnley/"
    candidates = [
        "UPDATED: Four arrested following disorder in Burnley",
        "UPDATED: Fifth arrest following disorder in Burnley",
    ]
    assert titles.pick(candidates, url) == candidates[1]
    assert titles.pick(candidates, "https://x/other/") == candidates[0]


def test_headline_loses_a_closing_full_stop_only() -> None:
    assert titles.tidy_headline("A man has been charged in Wigan.") == "A man has been charged in Wigan"
    assert titles.tidy_headline("Can you help?") == "Can you help?"
    assert titles.tidy_headline("More to come...") == "More to come..."


@pytest.mark.parametrize(
    ("url", "headline"),
    [
        (
            "https://www.lincs.police.uk/news/2020/assault-on-breedon-drive-lincoln/",
            "Assault on breedon drive lincoln",
        ),
        ("https://x.police.uk/News/Man-charged-with-murder.aspx", "Man charged with murder"),
        ("https://media.btp.police.uk/r/17455/", ""),
    ],
)
def test_headline_from_url_slug(url: str, headline: str) -> None:
    assert titles.headline_from_slug(url) == headline


def test_generic_site_names_are_not_publishers() -> None:
    seed = "```yaml\narea: Civil Nuclear\nurl: https://www.gov.uk/x\nog:\n  site:\n    name: GOV.UK\n```\n"
    assert loads(seed).meta.publisher == "Civil Nuclear Constabulary"  # the area's force, not GOV.UK
    seed = (
        "```yaml\narea: Met\nurl: https://x/\nog:\n  site:\n    name: Mynewsdesk\n"
        "pressroom:\n  name: Metropolitan Police\n```\n"
    )
    assert loads(seed).meta.publisher == "Metropolitan Police"


# --- speakers ----------------------------------------------------------------------------

SPEAKERS = [
    (
        "Deputy Chief Constable Sunita Gamblin said: “I’m really pleased.",
        "Deputy Chief Constable Sunita Gamblin",
    ),
    ('DC Tracey Joyce, investigating, said: "This was a shocking incident."', "DC Tracey Joyce"),
    ("Detective Inspector Chris Mill said:", "Detective Inspector Chris Mill"),
    (
        "**Detective Inspector Anne Medlycott, who is leading on the investigation, said:**",
        "Detective Inspector Anne Medlycott",
    ),
    (
        "Chief Inspector Darren Faulds of Police Scotland’s Road Policing Unit, said: “Our thoughts.",
        "Chief Inspector Darren Faulds",
    ),
    ("Sgt Andrew Hemingway, of the Lancashire police TacOps team, said: “First.", "Sgt Andrew Hemingway"),
    (
        "Braintree and Uttlesford District Commander, Chief Inspector Janette Rawlingson said:",
        "Chief Inspector Janette Rawlingson",
    ),
    ('Her daughter, Heather Woods, said; "We are heartbroken."', "Heather Woods"),
    (
        'Detective Constable 263 Kerry Willden, the investigating officer, said: "This happened."',
        "Detective Constable 263 Kerry Willden",
    ),
    (
        "Lancashire's Police and Crime Commissioner Clive Grunshaw said: \"Protecting victims.",
        "Lancashire's Police and Crime Commissioner Clive Grunshaw",
    ),
    (
        "Police and Crime Commissioner Barry Coppinger, who is also a recognised Dementia Champion,"
        ' said: "Great."',
        "Police and Crime Commissioner Barry Coppinger",
    ),
    ('Investigating officer PC Paul Marks, of Harlow CID, said: "Giles attacked."', "PC Paul Marks"),
    (
        "Operation Hancock, the largest inquiry, was led by Assistant Chief Constable Bill Jephson,"
        ' who said: "Safety."',
        "Assistant Chief Constable Bill Jephson",
    ),
    ("“This was a catastrophic collision,” Sgt Sanderson said.", "Sgt Sanderson"),
    (
        "Mark Burns-Williamson, West Yorkshire’s Police and Crime Commissioner (PCC), said:",
        "Mark Burns-Williamson",
    ),
]
NOT_SPEAKERS = [
    "The inspectors said the force had worked hard to improve the culture of its workforce.",
    'A police spokesperson said: "Enquiries continue."',
    'A Wiltshire Police spokesman said: "Burglary is an awful crime."',
    "In a tribute, Mr Guilfoyle’s family said: “Dennis was a loving father.",
    "Paying tribute to Leanne this week, her family said:",
    'He said: "As we have seen recently in Swindon."',
    "Police and Crime Commissioner Angus Macpherson said the Government was now focusing on reminders.",
    'Lindsey, who is a handler and works with Police Dog Harley, said: "Thank you."',
    "HM Senior Coroner said:",
    "Officers said:",
]


@pytest.mark.parametrize(("line", "name"), SPEAKERS, ids=[n for _, n in SPEAKERS])
def test_speaker_of(line: str, name: str) -> None:
    assert speakers.speaker_of(line.replace("**", "")) == name


@pytest.mark.parametrize("line", NOT_SPEAKERS)
def test_not_a_speaker(line: str) -> None:
    assert speakers.speaker_of(line) is None


def test_speakers_are_collected_once_each_in_order() -> None:
    seed = (
        "```yaml\narea: Kent\nurl: https://x/\ntitle: T\n```\n\n"
        'DC Tracey Joyce, investigating, said: "One."\n\n'
        'Inspector Stephen Kent said: "Two."\n\n'
        'DC Joyce added: "Three."\n\n'
        'DC Tracey Joyce said: "Four."\n'
    )
    assert loads(seed).meta.speakers == ("DC Tracey Joyce", "Inspector Stephen Kent")


def test_quote_after_a_said_line_gets_the_speaker() -> None:
    seed = (
        "```yaml\narea: Kent\nurl: https://x/\ntitle: T\n```\n\n"
        'Detective Inspector Chris Mill said:\n\n> "We believe the break-ins are connected."\n\n'
        'Then a paragraph.\n\n> "A quote nobody introduced."\n'
    )
    quotes = [b for b in loads(seed).blocks if isinstance(b, Quote)]
    assert [q.speaker for q in quotes] == ["Detective Inspector Chris Mill", None]


# --- body --------------------------------------------------------------------------------


def paragraph(text: str) -> Paragraph:
    blocks = body.parse(text)
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)
    return blocks[0]


@pytest.mark.parametrize(
    ("text", "inlines"),
    [
        ("call **101** now", (Text("call "), Strong((Text("101"),)), Text(" now"))),
        ("ref ** 5220174585 **", (Text("ref "), Strong((Text("5220174585"),)))),
        ("**Reporting hate crime **", (Strong((Text("Reporting hate crime"),)),)),
        ("_Published on 30 November 2020. _", (Emphasis((Text("Published on 30 November 2020."),)),)),
        ('said: ** ** "This', (Text('said: "This'),)),
        ("advice** **on safety", (Text("advice on safety"),)),
        # a broken bold lead-in is bold whether or not a stray mark follows it
        ("** Andy County Line**", (Strong((Text("Andy County Line"),)),)),
        ("** Andy County Line** **", (Strong((Text("Andy County Line"),)),)),
        ("** Andy County Line** ** Text", (Strong((Text("Andy County Line"),)), Text(" Text"))),
        (
            "**Statement from DI Hall.\n** **Officer in charge.**",
            (Strong((Text("Statement from DI Hall."),)), LineBreak(), Strong((Text("Officer in charge."),))),
        ),
        ("****", ()),
        ("**** Anyone who can help", (Text("Anyone who can help"),)),
        ("******A man was sentenced.**", (Strong((Text("A man was sentenced."),)),)),
        ("**We are encouraging riders", (Text("We are encouraging riders"),)),
        ("f*** off and crime 19*178935", (Text("f*** off and crime 19*178935"),)),
        ("Escaped \\*stars\\* and \\_marks\\_", (Text("Escaped *stars* and _marks_"),)),
        ("<b>bold</b> & {{ x }}", (Text("<b>bold</b> & {{ x }}"),)),
        ("a&nbsp;b &amp; c", (Text("a\u00a0b & c"),)),
        ("line one\nline two", (Text("line one"), LineBreak(), Text("line two"))),
        ("line one  \nline two", (Text("line one"), LineBreak(), Text("line two"))),
    ],
)
def test_inline_tidying(text: str, inlines: tuple) -> None:
    if not inlines:
        assert body.parse(text) == ()
        return
    assert paragraph(text).inlines == inlines


@pytest.mark.parametrize(
    ("text", "url", "shown"),
    [
        (
            "see www.cambs.police.uk/report.",
            "http://www.cambs.police.uk/report",
            "www.cambs.police.uk/report",
        ),
        ("at https://youtu.be/0-fb7LTQCHI", "https://youtu.be/0-fb7LTQCHI", "https://youtu.be/0-fb7LTQCHI"),
        (
            "email steve.mason@herts.pnn.police.uk quoting",
            "mailto:steve.mason@herts.pnn.police.uk",
            "steve.mason@herts.pnn.police.uk",
        ),
        (
            "visit derbyshire.police.uk/Contact-Us.",
            "http://derbyshire.police.uk/Contact-Us",
            "derbyshire.police.uk/Contact-Us",
        ),
        ("(see https://a.example/c_(d))", "https://a.example/c_(d)", "https://a.example/c_(d)"),
        ("<https://www.example.org/x>", "https://www.example.org/x", "https://www.example.org/x"),
        ("[the form](https://www.example.org/form)", "https://www.example.org/form", "the form"),
    ],
)
def test_bare_links_and_emails_become_links(text: str, url: str, shown: str) -> None:
    links = [node for node in paragraph(text).inlines if isinstance(node, Link)]
    assert links == [Link(url, (Text(shown),))]


@pytest.mark.parametrize(
    "text",
    [
        "email [email protected] now",
        "tweet @MerPolCC today",
        "Mr.Smith at 3.30pm, e.g. this",
        "[click](javascript:alert(1))",
        "[file](file:///etc/passwd)",
    ],
)
def test_not_links(text: str) -> None:
    assert not any(isinstance(node, Link) for node in paragraph(text).inlines)


def test_relative_links_resolve_against_the_article() -> None:
    blocks = body.parse("[report](/report-it/)", "https://www.kent.police.uk/news/x/")
    assert blocks[0].inlines == (Link("https://www.kent.police.uk/report-it/", (Text("report"),)),)


def test_typed_bullets_become_lists() -> None:
    blocks = body.parse("He is charged with:\n• Two burglaries\n•Attempted burglary\n\n\\- A third\n\nAfter.")
    assert [type(b) for b in blocks] == [Paragraph, ListBlock, Paragraph]
    assert blocks[0].inlines == (Text("He is charged with:"),)
    items = [item[0].inlines for item in blocks[1].items]
    assert items == [(Text("Two burglaries"),), (Text("Attempted burglary"),), (Text("A third"),)]


def test_nested_and_ordered_lists() -> None:
    blocks = body.parse(" * one\n   * one a\n   * one b\n * two\n\n3. three\n4. four\n")
    outer, ordered = blocks
    assert isinstance(outer, ListBlock) and not outer.ordered
    assert isinstance(outer.items[0][1], ListBlock)
    assert len(outer.items[0][1].items) == 2
    assert isinstance(ordered, ListBlock) and ordered.ordered and ordered.start == 3


@pytest.mark.parametrize(("text", "start"), [("0. zero\n1. one\n", 0), ("1. one\n", 1), ("7. seven\n", 7)])
def test_an_ordered_list_keeps_its_first_number(text: str, start: int) -> None:
    (ordered,) = body.parse(text)
    assert isinstance(ordered, ListBlock) and ordered.start == start


def test_deeply_nested_lists_do_not_break_the_reader() -> None:
    text = "".join("  " * n + "* level\n" for n in range(200))
    blocks = body.parse(text)
    assert blocks and isinstance(blocks[0], ListBlock)


def test_speech_headings_are_quotes_other_headings_stay() -> None:
    blocks = body.parse(
        "#### Sgt Lee Harris said: “These are tragic circumstances.\n\n"
        "#### “We continue to appeal for information.”\n\n"
        "#### What are the signs?\n\nText.\n"
    )
    assert isinstance(blocks[0], Quote) and len(blocks[0].blocks) == 2
    assert blocks[1] == Heading(4, (Text("What are the signs?"),))


def test_rules_empty_headings_and_code() -> None:
    blocks = body.parse("* * *\n\n#####\n\nText\n\n    indented text\n\n```\nfenced text\n```\n")
    assert blocks == (
        Rule(),
        Paragraph((Text("Text"),)),
        Paragraph((Text("indented text"),)),
        Paragraph((Text("fenced text"),)),
    )


def test_headline_heading_dropped_and_levels_normalised() -> None:
    seed = (
        "```yaml\narea: Dorset\nurl: https://x/\ntitle: Witness appeal |\n```\n\n"
        "# Witness appeal\n\n### Details\n\nText.\n\n#### More\n\nText.\n"
    )
    blocks = loads(seed).blocks
    assert [b.level for b in blocks if isinstance(b, Heading)] == [2, 3]
    assert not any(isinstance(b, Heading) and b.inlines == (Text("Witness appeal"),) for b in blocks)


def test_boilerplate_lines_go_content_stays() -> None:
    seed = (
        "```yaml\narea: Durham\nurl: https://x/\ntitle: T\n```\n\n"
        "News\n\nPage Image\n\nPage Content\n\nShare by email\n\nView | Download (PNG - 30 KB)\n\n"
        "The story. Share by email is how we send news.\n\nNews\n"
    )
    texts = [b.inlines[0].text for b in loads(seed).blocks if isinstance(b, Paragraph)]
    assert texts == ["The story. Share by email is how we send news.", "News"]


@pytest.mark.parametrize(("first", "kept"), [
    ("Court Result\n\nView | Download (JPG - 18 KB)\n\n", []),  # the page's category over its picture
    ("Charged\n\nView | Download (PNG - 30 KB)\n\n", []),
    ("Do you recognise these men?\n\nView | Download (PNG - 30 KB)\n\n", ["Do you recognise these men?"]),
    ("Court Result\n\n", ["Court Result"]),  # no picture under it: not known to be a label
    ("Officers were called to the station on Monday.\n\nView | Download (JPG - 1 MB)\n\n",
     ["Officers were called to the station on Monday."]),
])
def test_a_picture_label_over_its_download_line_goes(first: str, kept: list[str]) -> None:
    seed = f"```yaml\narea: British Transport\nurl: https://x/\ntitle: T\n```\n\n{first}The story.\n"
    texts = [b.inlines[0].text for b in loads(seed).blocks if isinstance(b, Paragraph)]
    assert texts == [*kept, "The story."]


@pytest.mark.parametrize("signoff", [
    "**Issued:** HCB, Corporate Communications", "ISSUED: EH, Corporate Communications.",
    "**Issued by AG, Corporate Communications**", "**Issued AS Corporate Communications**",
    "Issued: 2.45pm, Saturday 21 September, Alex Gale, Corporate Communications",
    "Posted by SC, Corporate Communications", "ISSUED BY LJ, CORPORATE COMMUNICATIONS",
])
def test_the_press_office_sign_off_goes(signoff: str) -> None:
    seed = (f"```yaml\narea: West Mercia\nurl: https://x/\ntitle: T\n```\n\nThe story.\n\n{signoff}\n\n"
            "## Update\n\nOur corporate communications team issued a statement.\n")
    texts = [plain(b.inlines) for b in loads(seed).blocks]
    assert texts == ["The story.", "Update", "Our corporate communications team issued a statement."]


def test_a_sentence_about_the_press_office_stays() -> None:
    line = "Updated advice was issued by corporate communications."
    seed = f"```yaml\narea: West Mercia\nurl: https://x/\ntitle: T\n```\n\nThe story.\n\n{line}\n"
    assert [plain(b.inlines) for b in loads(seed).blocks] == ["The story.", line]


@pytest.mark.parametrize(("first", "kept"), [
    ("From:\n Civil Nuclear Police Authority and Civil Nuclear Constabulary\n\n", []),  # GOV.UK's header
    ("From: Civil Nuclear Constabulary\n\n", []),
    ("From: a resident who wrote to us, we heard about the party.\n\n",
     ["From: a resident who wrote to us, we heard about the party."]),  # a sentence: the story's
    ("From:\n\n", ["From:"]),  # names no one
])
def test_the_publishers_line_over_a_story_goes(first: str, kept: list[str]) -> None:
    seed = f"```yaml\narea: Civil Nuclear\nurl: https://www.gov.uk/x\ntitle: T\n```\n\n{first}The story.\n"
    texts = [plain(b.inlines) for b in loads(seed).blocks]
    assert texts == [*kept, "The story."]


# --- the body's structure ------------------------------------------------------------------


def _read(body_text: str, title: str = "Burglary in the town", area: str = "Kent") -> tuple[list[Block], str]:
    seed = f"```yaml\narea: {area}\nurl: https://x/\ntitle: {title}\n```\n\n{body_text}"
    article, repairs = loads_with_repairs(seed)
    return list(article.blocks), repairs.describe()


def _texts(blocks: list[Block]) -> list[str]:
    return [plain(b.inlines) if isinstance(b, Paragraph | Heading) else type(b).__name__ for b in blocks]


def test_headings_in_list_items_and_quotes_are_their_paragraphs() -> None:
    blocks, said = _read(
        "* ### A man has pleaded **guilty** to 17 charges.\n\n * ### He will be sentenced in May.\n\n"
        "> ### Do you know him?\n\nThe story.\n\n### Can you help?\n\nCall 101.\n"
    )
    assert blocks[0] == ListBlock(False, (
        (Paragraph((Text("A man has pleaded "), Strong((Text("guilty"),)), Text(" to 17 charges."))),),
        (Paragraph((Text("He will be sentenced in May."),)),),
    ))
    assert blocks[1] == Quote((Paragraph((Text("Do you know him?"),)),))
    assert Heading(2, (Text("Can you help?"),)) in blocks  # a heading of the article's own stays
    assert "made paragraphs of 3 headings in list items" in said


@pytest.mark.parametrize("tag", [
    "Belfast", "Mid & East Antrim", "Armagh City, Banbridge & Craigavon", "**Belfast**",
])
def test_a_leading_one_item_label_list_goes(tag: str) -> None:
    blocks, said = _read(f"* {tag}\n\nDetectives are appealing for witnesses.\n", area="Northern Ireland")
    assert _texts(blocks) == ["Detectives are appealing for witnesses."]
    assert said == "removed 1 leading tag"


@pytest.mark.parametrize("first", [
    "* 09 Feb 2021: Man charged with robberies in Yate",  # a related story, dated: information
    "* Officers were called to the house.",  # a sentence
    "* [Belfast](https://www.psni.police.uk/belfast)",  # a link
    "* Belfast\n* Lisburn",  # two items
    "1. Belfast",  # numbered
    "* belfast",  # not a name
    "* Witnesses are asked to call police urgently please",  # more words than a label
    "* Belfast\n  Lisburn",  # two lines
    "* Belfast\n\n  More about Belfast.",  # more than a label in the item
])
def test_other_leading_one_item_lists_stay(first: str) -> None:
    blocks, said = _read(f"{first}\n\nDetectives are appealing for witnesses.\n", area="Northern Ireland")
    assert isinstance(blocks[0], ListBlock) and len(blocks) == 2
    assert "leading tag" not in said


def test_a_label_list_stays_when_not_first_or_alone() -> None:
    blocks, _ = _read("The story.\n\n* Belfast\n\nMore.\n")
    assert _texts(blocks) == ["The story.", "ListBlock", "More."]
    blocks, _ = _read("* Belfast\n")
    assert _texts(blocks) == ["ListBlock"]


HEADLINE = "A man has been arrested following two incidents in Stockport"


@pytest.mark.parametrize(("body_text", "kept"), [
    # the headline again, as the first paragraph (punctuation and case aside)
    (f"{HEADLINE}.\n\nThe story.\n", ["The story."]),
    ("A MAN HAS BEEN ARRESTED FOLLOWING TWO INCIDENTS - IN STOCKPORT\n\nThe story.\n", ["The story."]),
    # ... after a district tag (two repairs)
    (f"* Stockport\n\n{HEADLINE}\n\nThe story.\n", ["The story."]),
    # ... as the first key point
    (f"* ### {HEADLINE}.\n* ### Call 101.\n\nThe story.\n", ["ListBlock", "The story."]),
    (f"* {HEADLINE}.\n\nThe story.\n", ["The story."]),
])
def test_the_headline_repeated_as_the_first_paragraph_goes(body_text: str, kept: list[str]) -> None:
    blocks, said = _read(body_text, title=HEADLINE)
    assert _texts(blocks) == kept
    assert "1 repeated headline" in said


@pytest.mark.parametrize("body_text", [
    f"{HEADLINE} on Thursday.\n\nThe story.\n",  # a longer lead that starts like the headline
    f"The story.\n\n{HEADLINE}.\n",  # not first
    f"* Call 101.\n* {HEADLINE}.\n\nThe story.\n",  # not the first key point
    f"{HEADLINE}.\n",  # the whole body: it is all there is
    f"{HEADLINE}.\nOfficers were called at 5pm.\n\nThe story.\n",  # more than the headline
])
def test_a_first_paragraph_that_is_more_than_the_headline_stays(body_text: str) -> None:
    blocks, said = _read(body_text, title=HEADLINE)
    assert "repeated headline" not in said
    assert HEADLINE in blocks_text(blocks)


def test_a_key_point_list_keeps_its_other_items() -> None:
    blocks, _ = _read("* Burglary in the town\n* Call 101.\n\nThe story.\n")
    assert blocks[0] == ListBlock(False, ((Paragraph((Text("Call 101."),)),),))


PROSE = (
    "Daniel Webb, 34, was charged on Wednesday with four counts of burglary.\n"
    "He was remanded in custody and will appear at court tomorrow.\n"
    'DC Jo Marsh said: "We know these break-ins worried shop owners in the town.\n'
    "''I would like to thank everyone who came forward with footage.''\n"
)


def test_paragraphs_typed_on_consecutive_lines_are_paragraphs() -> None:
    blocks, said = _read(PROSE)
    assert _texts(blocks) == [line for line in PROSE.splitlines()]
    assert said == "split 1 paragraph at its line breaks"
    # two lines are enough, and a last line may end with a colon over a list
    two = "Hybrid cars are at particular risk from thieves.\nTo reduce the risk of a theft, you should:\n"
    assert _texts(_read(two)[0]) == two.splitlines()


def test_a_break_without_a_full_stop_stays_a_line_break_in_long_prose() -> None:
    lines = [*PROSE.splitlines(), "The case is due to be heard at the crown court in March."]
    slip = "The electricity supply had also been bypassed"
    # four breaks between sentences and one not: prose with a slip
    blocks, said = _read("\n".join([lines[0], slip, *lines[1:]]) + "\n")
    assert _texts(blocks) == [lines[0], f"{slip}\n{lines[1]}", *lines[2:]]
    assert said == "split 1 paragraph at its line breaks"
    # three breaks between sentences, and a last line cut short: one slip in four lines is too many
    blocks, said = _read("\n".join([*lines[2:], slip]) + "\n")
    assert len(blocks) == 1 and said == ""


@pytest.mark.parametrize("text", [
    "Contact details:\nMatt Rogers - #1429\nmatt.rogers@example.uk | 31429\nIncident reference:\n1217008",
    "Pham Thi Tra My, 26-year-old woman from Ha Tinh\nNguyen Dinh Luong, 20-year-old man from Ha Tinh",
    "Crime Scene Investigators are at the scene and enquiries are\nhave been stepped up in the area today.",
    "Flat 2, 14 High Street.\nMaidstone, Kent.\nME14 1XX.",  # an address: short lines
    "Call us on 101.\nEmail us.",
    "**Statement from Detective Inspector Sarah Hall.**\n**Officer in overall charge of the case.**",
    "The officers thanked everyone for their help today.\nMessage written in the book of condolence by",
    "Roses are red and the sky is blue.\nThe night is long and the stars are few.\nand so the poem goes on",
    "A man was arrested in the town on Monday night.\nthen released on bail pending further enquiries.",
])
def test_lines_that_are_not_prose_paragraphs_stay_lines(text: str) -> None:
    blocks, said = _read(text + "\n\nThe story.\n")
    assert _texts(blocks)[0] == text.replace("**", "")
    assert "split" not in said


@pytest.mark.parametrize("heading", [
    "Two men have been given football banning orders following disorder at a football match.",
    "Officers are advising residents to remain vigilant after two distraction burglaries in the area.”",
])
def test_a_sentence_typed_as_a_heading_is_a_paragraph(heading: str) -> None:
    blocks, said = _read(f"### {heading}\n\nThe story.\n\n## Background\n\nMore.\n")
    assert blocks[0] == Paragraph((Text(heading),))
    assert blocks[2] == Heading(2, (Text("Background"),))
    assert said == "made paragraphs of 1 sentence typed as a heading"


@pytest.mark.parametrize("heading", [
    "Can you help?", "Update 12 February 2020", "Update: Thursday 23 July 2020, 10.30am",
    "What happens when I report a hate crime to the police in my area today?",  # a question
    "Eleven words of a short sentence that ends with a stop.",  # too short to be sure
    "Little Wratting - Serious collision update December 2017",
])
def test_headings_that_are_not_sentences_stay(heading: str) -> None:
    blocks, said = _read(f"The story.\n\n### {heading}\n\nMore.\n")
    assert blocks[1] == Heading(2, (Text(heading),))
    assert "sentence" not in said


def test_the_same_paragraph_twice_in_a_row_is_printed_once() -> None:
    first = "Do you recognise this man? We would like to speak to him."
    again = "Do you recognise\nthis man? We would like to speak to him."  # a break for a space
    blocks, said = _read(f"{first}\n\n{again}\n\nThe story.\n")
    assert _texts(blocks) == [first, "The story."]
    assert said == "removed 1 doubled paragraph"
    cut = "Do\nyou recognise this man? We would like to speak to him."
    blocks, said = _read(f"{first}\n\n{cut}\n\nThe story.\n")
    assert _texts(blocks) == [first, "The story."]  # its first run cut short by a break
    blocks, said = _read(f"{first}\n\nThe story.\n\n{first}\n\n**{first}**\n")  # apart, or one bold: kept
    assert _texts(blocks) == [first, "The story.", first]
    assert said == "removed 1 doubled paragraph"


@pytest.mark.parametrize("body_text", [
    "* " + "Belfast " * 100_000,  # a label list as long as a body may be
    "### " + "word " * 100_000 + ".",
    "A sentence of some words here.\n" * 4_000,  # thousands of paragraphs on consecutive lines
    "“" * 100_000 + "A\n" + "." * 100_000 + "\nText of five words here.",
    "\n".join(["* ### x"] * 400),
    "Do you recognise this man today?\n\n" * 2_000,
])
def test_structure_rules_on_hostile_shapes_return(body_text: str) -> None:
    blocks, _ = _read(body_text)  # linear: returns (no timing assertion)
    assert 0 < len(blocks) <= MAX_BLOCKS


@pytest.mark.parametrize(("before", "split"), [(MAX_BLOCKS - 3, True), (MAX_BLOCKS - 2, False)])
def test_splitting_keeps_the_body_within_the_block_limit(before: int, split: bool) -> None:
    run = Paragraph(join_lines([(Text(line),) for line in PROSE.splitlines()[:3]]))  # three paragraphs
    blocks = (Paragraph((Text("Text."),)),) * before + (run,)
    out = clean.split_run_together(blocks)
    assert len(out) == (MAX_BLOCKS if split else before + 1)


# --- picture captions without their picture, press-office sign-offs -----------------------------


def paragraphs(body: str, head: str = "") -> list[str]:
    seed = f"```yaml\narea: Cumbria\nurl: https://x/\ntitle: Court news\n{head}```\n\n{body}\n"
    return [plain(b.inlines) for b in loads(seed).blocks]


@pytest.mark.parametrize(("body", "head"), [
    # a name over the story, which shows it is a person's: an age or date of birth after it...
    ("Paul Denton\n\nPaul Denton, 19, of Kirkoswald, was jailed today.", ""),
    ("Graham Price\n\nGraham Price (07/06/1953) was last seen on Friday.", ""),
    ("Ann Best and Rob Hale\n\nAnn Best, 37, and Rob Hale, aged 19, were jailed.", ""),
    ("Adam Kerr Liam Dale\n\nAdam Kerr, 21, and Liam Dale, 22, were jailed.", ""),  # two names run together
    # ...an age or a title before it, `who` after its first or last word
    ("Sandy Cole\n\nThe 76-year-old Sandy Cole died at the scene.", ""),
    ("Marsh\n\nPolice want to trace Tom Ellis Marsh, who has links to Leeds.", ""),
    ("Nadia Al-Rami\n\nOfficers are worried about Nadia Al-Rami. Nadia - who is in her 20s - left.", ""),
    ("Dean Shaw\n\nMr Shaw was arrested. Dean Shaw was charged.", ""),
    # or the picture's file name holds it
    ("Terry Lowe and Gina Parks\n\nGina Parks, 56, died. Her partner Terry paid tribute.",
     "og:\n  image: https://x/media/Terry-Lowe-and-Gina-Parksjpg.jpg\n"),
    ("Paul Kerr\n\nA man was jailed. Paul Kerr had admitted robbery.",
     "og:\n  image: https://x/media/KERR-PAUL-10-09-1999jpg.jpg\n"),
    # a verdict over the name, a bracketed caption
    ("Tom Rix, 20, was jailed for robbery.\n\nJailed: Tom Rix", ""),
    ("[Guilty: Mark Dunn]\n\nMark Dunn, 43, was found guilty of voyeurism.", ""),
    ("[Wai Lee [left] and Jo Pan [right]\n\nWai Lee, 53, and Jo Pan, 41, were jailed.", ""),
    # labels of a picture, and CCTV captions, whose words the story has
    ("Pictured from left to right:\n\nThe team will answer questions.", ""),
    ("Photo: The team with staff from the embassy.\n\nThe team met staff at the embassy.", ""),
    ("L-R: Ann Best and Rob Hale\n\nAnn Best and Rob Hale were thanked.", ""),
    ("CCTV image of the man\n\nPolice released a CCTV image of a man.", ""),
    ("Station Road CCTV\n\nOfficers released CCTV of a man in Station Road.", ""),
    ("Reading bike burglary - CCTV\n\nTwo bikes were taken in a burglary in Reading. See the CCTV.", ""),
    ("Officers released CCTV.\n\nCCTV", ""),
])
def test_a_picture_caption_goes(body: str, head: str) -> None:
    kept = paragraphs(body, head)
    lines = body.split("\n\n")
    assert len(kept) == len(lines) - 1 and all(line in lines for line in kept)


@pytest.mark.parametrize("body", [
    # subheadings, places, lists and sentences that lost their full stop
    "Background\n\nBackground checks were made on the man.",
    "Road Safety Week\n\nThis is Road Safety Week, run by the charity Brake.",
    "Contact details:\n\nCall 101.",
    "A169 Goathland - motorcycle\n\nA171 Scaling Dam - motorcycle",
    "INCIDENT REFERENCE: 12150173226",
    "Phone – Call 101",
    "Officers said the men, 20 and 24, will appear in court.\n\nThe men will now face sentencing",
    "Neighbourhood:\n\nClifton\n\nA man was stabbed in Clifton.",
    "Norfolk\n\nDriving while using a phone – 69\n\nSuffolk\n\nIn Norfolk and Suffolk, 5 were caught.",
    "Suffolk\n\nIn Norfolk and Suffolk, who ran the campaign, 49 drivers were caught.",
    "NAME: Omar Iqbal\n\nOmar Iqbal, 29, joins the force.",
    "Special Constable Mike Walsh\n\nMike Walsh has been awarded an MBE.",  # a name not shown a person's
    # names introduced by the line above, or a list of names
    "Those sentenced were:\n\nJohn Hale\n\nJohn Hale, 30, was jailed.",
    "The officer in charge is\n\nJohn Hale\n\nJohn Hale, who works in Leeds.",
    "John Hale\n\nAnn Best\n\nJohn Hale, 30, and Ann Best, 31, were jailed.",
    "Those jailed:\n\nJailed: John Hale\n\nJohn Hale, 30, was jailed.",
    # a caption saying what the story does not (a misspelt name, a date, a longer caption)
    "Abayome\n\nAbayomi Ajose, 36, died. Abayomi was a father.",
    "Photo: Officers with the seized car on 21 March.\n\nOfficers seized a car.",
    "Photo: The chief constable, the mayor and the bishop of the diocese with the family and friends of"
    " the victims.\n\nThe chief constable, the mayor and the bishop of the diocese met the family and"
    " friends of the victims.",
    "[Updated at 3pm]\n\nThe road was closed.",
    # sentences with a picture's words
    "Images of the men were released.\n\nThe men are wanted.",
    "Do you recognise him from CCTV\n\nDo you recognise him? Police released CCTV.",
    "The man was seen on\n\nCCTV\n\nThe man was seen on CCTV.",
])
def test_lines_like_captions_stay(body: str) -> None:
    assert paragraphs(body) == body.split("\n\n")


@pytest.mark.parametrize(("body", "kept"), [
    ("The story.\n\nGFL", ["The story."]),
    ("The story.\n\n**KB.**", ["The story."]),
    ("The story, with Jo Hart, 37.\n\nLM\n\nJo Hart", ["The story, with Jo Hart, 37."]),  # under a caption
    ("The story.\n\nENDS\n\nNotes to editors", ["The story.", "Notes to editors"]),
    ("The story.\n\n– ENDS –", ["The story."]),
    ("The story.\n\n**-Ends-**", ["The story."]),
    # initials only at the very end; words in capitals stay
    ("GFL\n\nThe story.", ["GFL", "The story."]),
    ("The story.\n\nNOTES", ["The story.", "NOTES"]),
    ("The story ends here.\n\nIt ends.", ["The story ends here.", "It ends."]),
])
def test_the_press_officers_initials_and_end_marks_go(body: str, kept: list[str]) -> None:
    assert paragraphs(body) == kept


def test_caption_rules_are_linear_and_bounded() -> None:
    # many caption-like lines, a long line of capitalised words, a long picture name
    names = "\n\n".join(["John Smith", "John Smith, 24, was jailed."] * 2_000)
    assert len(paragraphs(names)) >= 2_000  # at most so many lines are weighed; the rest stay
    assert paragraphs("Aa " * 100_000) == [("Aa " * 100_000).strip()]
    long_image = "og:\n  image: https://x/" + "AB" * 5_000 + "cd.jpg\n"
    assert paragraphs("Ab Cd\n\nAb Cd, 20, was jailed.", long_image) == ["Ab Cd, 20, was jailed."]
