"""Scraped residue, metadata and speakers (issue #12, the reader's side): what each repair does,
that it is counted, that `-v` says so, and that the model comes out clean.

The fixtures `tests/fixtures/seeds/residue_*`, `meta_*` and `speaker_*` hold one defect kind each
(their exact expected models are checked by test_reader.py); here, what was counted for each, and
the rules one by one.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert.cli import main
from convert.exporters.shared.dates import updated_date
from convert.model import SCHEMA, Article, Heading, ListBlock, Meta, Paragraph, Quote, Text
from convert.reader import Repairs, loads, loads_with_repairs, residue, speakers
from convert.reader.forces import FORCES, force_name
from convert.text import blocks_text, plain

FIXTURES = Path(__file__).parent.parent / "fixtures" / "seeds"

# fixture → exactly what reading it repaired
REPAIRS = {
    "residue_double_escaped_html": {"tags": 3, "entities": 2},
    "residue_og_description_tags": {"tags": 3, "entities": 2},
    "residue_leftover_entities": {"entities": 7},
    "residue_private_use_bullets": {"bullets": 4, "private-use": 1},
    "residue_cloudflare_email": {"cloudflare": 5, "cloudflare-labels": 2},
    "residue_picture_captions": {"picture-captions": 5, "sign-offs": 1},
    "residue_web_widgets": {"widgets": 5, "gallery": 12},
    "residue_bidi_controls": {"controls": 4},
    "meta_publisher_from_area": {"publisher": 1},
    "meta_updated_later_day": {},
    "speaker_said_no_colon": {"publisher": 1},
    "speaker_verb_object_colon": {},
    "speaker_title_kept": {"publisher": 1},
    "speaker_caption_doubled": {"captions": 1, "publisher": 1},
    "speaker_colon_no_space": {"speech-space": 1, "publisher": 1},
}
ALL_FIXTURES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def read(name: str) -> tuple[Article, Repairs]:
    path = FIXTURES / f"{name}.txt"
    return loads_with_repairs(path.read_bytes(), path.name)


def seed(body: str, head: str = "") -> str:
    return f"```yaml\narea: Kent\nurl: https://www.kent.police.uk/news/x/\ntitle: T\n{head}```\n\n{body}\n"


def all_text(article: Article) -> list[str]:
    m = article.meta
    fields = [m.headline, m.title or "", m.publisher or "", m.summary or "", *m.speakers]
    return [*fields, blocks_text(article.blocks)]


@pytest.mark.parametrize("name", sorted(REPAIRS))
def test_each_defect_fixture_counts_exactly_its_repairs(name: str) -> None:
    _, repairs = read(name)
    assert dict(repairs) == REPAIRS[name]


@pytest.mark.parametrize("name", [n for n in ALL_FIXTURES if n != "markdown_oddities"])
def test_no_residue_survives_in_any_fixture(name: str) -> None:
    article, _ = read(name)
    assert residue.survivors(all_text(article), article.blocks) == {}


def test_the_scan_finds_each_kind_of_residue() -> None:
    texts = ["a <img src=x>", "Lancaster &amp; Morecambe", "\uf076 item", "a\u200eb",
             "email [email protected]", "Updated News Post", "02 03 05", 'He said:"We']
    assert residue.survivors(texts) == {kind: 1 for kind in
                                        ("tags", "entities", "private-use", "controls", "cloudflare",
                                         "widgets", "gallery", "speech-space")}
    assert residue.survivors(["B&Bs; and AT&T", "aged <18", "He said: \"We", "0800 555 111"]) == {}
    assert residue.survivors(["\u200fيرجى\u200f"]) == {}  # right-to-left text needs its marks
    gallery = ListBlock(False, ((Paragraph((Text("__4"),)),), (Paragraph((Text("__4"),)),)))
    assert residue.survivors([], [Quote((gallery,))]) == {"gallery": 1}


# --- residue, rule by rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<b>Bold</b> text", "<b>Bold</b> text"),  # raw HTML in the body is the seed's text
        ("&lt;b&gt;Bold&lt;/b&gt; text", "Bold text"),
        ("&lt;img alt=&quot;x&quot; src=&quot;http://a/b.jpg&quot;&gt;Lead", "Lead"),
        ("&amp;lt;img alt=\"x\" src=\"http://a/b.jpg?a=1&amp;amp;b=2\"&amp;gt;Lead", "Lead"),
        ("&amp;amp;lt;p&amp;amp;gt;Lead", "Lead"),
        ("one&lt;br /&gt;two", "one two"),
        ("closed?&lt;/p&gt;&lt;p&gt;A: yes", "closed? A: yes"),
        ("aged <18 and <3 and a<b", "aged <18 and <3 and a<b"),  # not tags
        ("Lancaster &amp;amp; Morecambe", "Lancaster & Morecambe"),
        ("Queen&amp;#39;s", "Queen's"),
        ("B&Bs; &notanentity; AT&T", "B&Bs; &notanentity; AT&T"),
    ],
)
def test_markup_and_entities_in_the_body(raw: str, clean: str) -> None:
    assert blocks_text(loads(seed(raw)).blocks) == clean


def test_raw_markup_in_the_body_is_text_and_the_scan_says_so() -> None:
    article = loads(seed("Raw <b>bold</b> stays."))
    assert blocks_text(article.blocks) == "Raw <b>bold</b> stays."
    assert residue.survivors(all_text(article), article.blocks) == {"tags": 1}  # measured, not hidden
    # in a header field, raw markup is residue
    titled = seed("Body.").replace("title: T", "title: Raw <b>bold</b> goes")
    assert loads(titled).meta.headline == "Raw bold goes"


def test_unescaping_stops_after_a_few_rounds() -> None:
    deep = "&" + "amp;" * 30 + "lt;"  # 31 levels of escaping: never a real page, and bounded
    text = residue.clean_text(deep, Repairs())
    assert text.startswith("&") and text != deep


def test_entities_that_unescape_to_controls_leave_nothing_unprintable() -> None:
    text = residue.clean_text("a&#12;b&#10;c&shy;d&#x200E;e", Repairs())
    assert text == "a b cde"


def test_tag_patterns_are_linear_on_hostile_input() -> None:
    # 200 kB of tag openings that never close: a backtracking pattern would take minutes here
    for unit in ("<b ", "&lt;b ", "<b\u00a0x=\"&", "<b x=\"&amp;"):
        text = unit * (200_000 // len(unit))
        assert residue.before_parse(text, Repairs()) == text
        assert residue.clean_text(text, Repairs()).startswith("<b")
    escaped = "&amp;lt;b &amp;" * 10_000
    assert residue.before_parse(escaped, Repairs()) == "&lt;b &amp;" * 10_000  # one escape too many


def test_private_use_bullets_become_list_items() -> None:
    article = loads(seed("Tips:\n\uf076 Lock it\n\uf0b7 Light it\n\nCall \uf028 101."))
    assert [type(b) for b in article.blocks] == [Paragraph, ListBlock, Paragraph]
    assert [blocks_text(item) for item in article.blocks[1].items] == ["Lock it", "Light it"]
    assert blocks_text(article.blocks[2:]) == "Call 101."


def test_controls_go_except_where_a_script_needs_them() -> None:
    r = Repairs()
    assert residue.before_parse("mail \u202ax@y.uk\u202c now\u200e", r) == "mail x@y.uk now"
    assert r == {"controls": 3}
    rtl = "Arabic: \u200fيرجى\u200f"
    assert residue.before_parse(rtl, Repairs()) == rtl
    family = "👩\u200d👩\u200d👧 and क्\u200dष"
    assert residue.before_parse(family, Repairs()) == family


def test_cloudflare_placeholders_say_the_address_is_not_available() -> None:
    body = "Email [email protected] or [[email protected]](/cdn-cgi/l/email-protection#3c4f)"
    text = blocks_text(loads(seed(body)).blocks)
    assert text == "Email (address not available) or (e-mail address not available)"


@pytest.mark.parametrize(
    ("body", "text"),
    [
        # a label and the placeholder alone say nothing: the line goes
        ("Website – www.x.uk\n\nEmail – [email protected]\n\nPhone – Call 101",
         "Website – www.x.uk\nPhone – Call 101"),
        ("Website – www.x.uk\n**Email:** [email protected]\nPhone – Call 101",
         "Website – www.x.uk\nPhone – Call 101"),
        (" * Email – [email protected]\n * Phone – Call 101", "Phone – Call 101"),
        ("E-mail address: [[email protected]](/cdn-cgi/l/email-protection#3c)\n\nCall 101.", "Call 101."),
        # within a line, the label and placeholder go and the rest stays
        ("Call: 0300 123 4567 Email: [email protected] Write: 1 High Street",
         "Call: 0300 123 4567 Write: 1 High Street"),
        # in a sentence the placeholder says the address is missing, shortly after "email"
        ("Call 101 or email [email protected] quoting log 504.",
         "Call 101 or email (address not available) quoting log 504."),
        ("Call 101 or Email: [email protected]", "Call 101 or Email: (address not available)"),
        ("Write to [email protected] today.", "Write to (e-mail address not available) today."),
        ("Email – [email protected] or call 101.", "Email – (address not available) or call 101."),
    ],
)
def test_cloudflare_labels_go_and_placeholders_in_sentences_stay(body: str, text: str) -> None:
    assert blocks_text(loads(seed(body)).blocks) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("approach Crimestoppers (opens in a new window) or the NSPCC (Opens in new tab).",
         "approach Crimestoppers or the NSPCC."),
        ("use the [online form (opens in a new window)](https://x.uk/form).", "use the online form."),
        ("the charity (link is external) and the council (external website).",
         "the charity and the council."),
        # near misses: words about windows and links
        ("The window (opened by the burglar) was broken.", "The window (opened by the burglar) was broken."),
        ("Follow the link (see the external link below).", "Follow the link (see the external link below)."),
        ("He opens in a new window of time (for once).", "He opens in a new window of time (for once)."),
        ("(link to Specials article)", "(link to Specials article)"),
    ],
)
def test_link_notes_go(raw: str, clean: str) -> None:
    assert blocks_text(loads(seed(raw)).blocks) == clean


def test_link_notes_go_from_header_fields_too() -> None:
    titled = seed("Body.").replace("title: T", "title: Advice (opens in a new window)")
    article, repairs = loads_with_repairs(titled)
    assert article.meta.headline == article.meta.title == "Advice"
    assert repairs["link-notes"] == 2  # the title, read as the headline and as the title


@pytest.mark.parametrize(
    ("body", "paragraphs"),
    [
        # a full stop left under its sentence ends it
        ("help and support available\n\n.\n\nNext.", ["help and support available.", "Next."]),
        ("Is this your bike\n\n?", ["Is this your bike?"]),
        ("Please call\n\n...", ["Please call..."]),
        # a sentence already ended, or ending in something else: the mark just goes
        ("Call 101.\n\n.", ["Call 101."]),
        ("**Call 101**\n\n.", ["Call 101"]),
        ("Call 101\n\n—\n\n“”", ["Call 101"]),
        ("## Heading\n\n.\n\nText.", ["Heading", "Text."]),
        # not bare punctuation: stays
        ("Cost:\n\n£5", ["Cost:", "£5"]),
        ("Answer\n\nA.", ["Answer", "A."]),
    ],
)
def test_a_paragraph_of_bare_punctuation_goes(body: str, paragraphs: list[str]) -> None:
    article, repairs = loads_with_repairs(seed(body))
    assert [plain(b.inlines) for b in article.blocks] == paragraphs  # type: ignore[union-attr]
    assert repairs["punctuation"] == body.count("\n\n") + 1 - len(paragraphs)


def test_new_residue_patterns_are_linear() -> None:
    # worst-case shapes for the Cloudflare label, link-note and bare-punctuation rules
    for text in ("Email: " * 20_000 + "[email protected]", "email –" * 20_000, "(opens in a new " * 20_000,
                 "(" * 100_000, "Email – [email protected]\n" * 5_000):
        residue.before_parse(text, Repairs())
        residue.clean_text(text, Repairs())
    assert residue.before_parse("\n".join(["Email – [email protected]"] * 5_000), Repairs()) == ""


def test_widget_lines_go_and_prose_mentioning_them_stays() -> None:
    article = loads(seed("Updated News Post\n\nHe said the page was updated.\n\n"
                         "## More Images from this story\n\n * 01\n * 02\n\n"
                         "Use current location\n\nRooms 12 and 14 were searched."))
    assert blocks_text(article.blocks) == "He said the page was updated.\nRooms 12 and 14 were searched."


def test_a_list_of_real_numbers_or_one_number_stays() -> None:
    article = loads(seed("Call:\n\n * 101\n\nScores:\n\n1. 12\n2. 14"))
    assert [type(b) for b in article.blocks] == [Paragraph, ListBlock, Paragraph, ListBlock]


def test_the_summary_title_and_headline_are_cleaned_too() -> None:
    head = (
        "og:\n  description: '&lt;br style=&quot;clear:both;&quot;&gt;&lt;/br&gt; Q: How long?'\n"
        "  title: '<b>Road</b> closed &amp;amp; reopened'\n"
    )
    meta = loads(seed("Body.", head).replace("title: T\n", "")).meta
    assert meta.summary == "Q: How long?"
    assert meta.headline == "Road closed & reopened"


def test_describe_groups_by_what_was_done() -> None:
    r = Repairs()
    r.add("widgets", 3)
    r.add("controls", 2)
    r.add("entities", 1)
    r.add("publisher")  # not residue: counted, not described
    r.add("tags", 0)
    assert r.describe() == "removed 3 web-widget lines, 2 bidi/zero-width controls; decoded 1 HTML entity"
    assert "tags" not in r


def test_loads_and_loads_with_repairs_give_the_same_article() -> None:
    path = FIXTURES / "residue_web_widgets.txt"
    assert loads(path.read_bytes(), path.name) == loads_with_repairs(path.read_bytes(), path.name)[0]


def test_verbose_run_says_what_was_repaired_in_which_seed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "w.md").write_bytes((FIXTURES / "residue_web_widgets.txt").read_bytes())
    (folder / "clean.md").write_text(seed("Plain text."))
    runner = CliRunner()
    loud = runner.invoke(main, ["json", str(folder), "-o", str(tmp_path / "a"), "-v", "-j", "1"])
    quiet = runner.invoke(main, ["json", str(folder), "-o", str(tmp_path / "b"), "-j", "1"])
    assert loud.exit_code == quiet.exit_code == 0
    said = [line for line in loud.stderr.splitlines() if "repaired" in line]
    assert said == [f"{folder / 'w.md'}: repaired: removed 5 web-widget lines, 12 gallery numbers"]
    assert "repaired" not in quiet.stderr


# --- metadata -----------------------------------------------------------------------------------

SAMPLE_AREAS = [
    "Avon and Somerset", "Bedfordshire", "British Transport", "Cambridgeshire", "Cheshire",
    "City of London", "Civil Nuclear", "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall",
    "Dorset", "Durham", "Dyfed-Powys", "Essex", "Gloucestershire", "Greater Manchester", "Gwent",
    "Hampshire", "Hertfordshire", "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire",
    "Merseyside", "Metropolitan", "Norfolk", "North Yorkshire", "Northamptonshire", "Northern Ireland",
    "Northumbria", "Nottinghamshire", "Scotland", "South Wales", "South Yorkshire", "Staffordshire",
    "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire", "West Mercia", "West Midlands",
    "West Yorkshire", "Wiltshire",
]


def test_every_area_of_the_archive_has_its_force() -> None:
    assert len(SAMPLE_AREAS) == 46
    for area in SAMPLE_AREAS:
        name = force_name(area)
        assert name is not None, area
        assert area.casefold() in name.casefold()  # so a byline never repeats the area
    assert force_name("northern  ireland") == "Police Service of Northern Ireland"
    assert force_name("Dyfed Powys") == "Dyfed-Powys Police"
    assert force_name("Avon & Somerset") == "Avon and Somerset Police"
    assert force_name("Atlantis") is None
    assert set(SAMPLE_AREAS) <= set(FORCES)


def test_a_publisher_the_seed_names_wins_over_the_table() -> None:
    head = "og:\n  site:\n    name: Action Fraud\n"
    assert loads(seed("Body.", head)).meta.publisher == "Action Fraud"
    assert loads(seed("Body.")).meta.publisher == "Kent Police"
    unknown = seed("Body.").replace("area: Kent", "area: Atlantis")
    assert loads(unknown).meta.publisher is None


def test_psni_in_a_title_is_the_force_by_its_name() -> None:
    article = loads(seed("Body.").replace("title: T", "title: Man charged - PSNI"))
    meta = article.meta
    assert (meta.headline, meta.publisher) == ("Man charged", "Police Service of Northern Ireland")


def test_updated_comes_from_the_latest_header_modification_time() -> None:
    head = (
        "article:\n  published:\n    time: '2018-07-24T09:00:00+00:00'\n"
        "  modified:\n    time: '2018-08-01T08:00:00+00:00'\n"
        "og:\n  updated:\n    time: '2018-08-28T10:15:00+00:00'\n"
    )
    meta = loads(seed("Body.", head)).meta
    assert meta.updated == datetime(2018, 8, 28, 10, 15, tzinfo=UTC)
    assert updated_date(meta.published, meta.updated) == "Updated 28 August 2018"


def test_updated_falls_back_to_the_body_stamp_which_leaves_the_body() -> None:
    article = loads(seed("Posted on 24 July 2018\n\nBody.\n\nLast modified: 28 August 2018 at 10:15am"))
    assert article.meta.published == date(2018, 7, 24)
    assert article.meta.updated is not None and article.meta.updated.date() == date(2018, 8, 28)
    assert blocks_text(article.blocks) == "Body."


@pytest.mark.parametrize(
    ("published", "updated", "shown"),
    [
        (date(2018, 7, 24), date(2018, 8, 28), "Updated 28 August 2018"),
        (date(2018, 7, 24), date(2018, 7, 24), ""),
        (date(2018, 7, 24), date(2018, 7, 20), ""),  # an edit before publication: not shown
        # 23:30 UTC on the 24th is 00:30 BST on the 25th: the same UK day as 00:10 UTC on the 25th
        (datetime(2018, 7, 24, 23, 30, tzinfo=UTC), datetime(2018, 7, 25, 0, 10, tzinfo=UTC), ""),
        (None, date(2018, 8, 28), "Updated 28 August 2018"),
        (date(2018, 7, 24), None, ""),
    ],
)
def test_updated_date_is_shown_only_for_a_later_day(
    published: date | None, updated: date | None, shown: str
) -> None:
    assert updated_date(published, updated) == shown


def test_updated_round_trips_and_schema_1_is_still_read() -> None:
    article = Article(Meta("H", "Kent", "https://k/", published=date(2018, 7, 24), updated=date(2018, 8, 28)))
    data = json.loads(json.dumps(article.to_dict()))
    assert data["schema"] == SCHEMA == 3 and data["meta"]["updated"] == "2018-08-28"
    assert Article.from_dict(data) == article
    del data["meta"]["updated"]
    data["schema"] = 1
    assert Article.from_dict(data).meta.updated is None
    with pytest.raises(ValueError, match="unsupported schema 4"):
        Article.from_dict({**data, "schema": 4})


# --- speakers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ('Garry Forsyth said "It was a cowardly attack.', "Garry Forsyth"),
        ("Garry Forsyth said 'It was a cowardly attack.", "Garry Forsyth"),
        ('The man was jailed at the High Court. Garry Forsyth said "It was', "Garry Forsyth"),
        ('Det. Insp. Garry Forsyth said: "It was', "Det. Insp. Garry Forsyth"),
        ('Chief Inspector Paul Harrington, acknowledged the work of officers: "Last October',
         "Chief Inspector Paul Harrington"),
        ("Dorset & Wiltshire Fire and Rescue Service's Chief Fire Officer, Mick Crennell, said:",
         "Chief Fire Officer Mick Crennell"),
        ("Acting Police and Crime Commissioner, Colin Pipe, said:",
         "Acting Police and Crime Commissioner Colin Pipe"),
        ("North Yorkshire Police Financial Abuse Safeguarding Officer, Andy Fox, said:",
         "Financial Abuse Safeguarding Officer Andy Fox"),
        ("Her mum, Jane Smith, said:", "Jane Smith"),
        ("The officers acknowledged the help: \"Thank you", None),
    ],
)
def test_speaker_patterns(line: str, speaker: str | None) -> None:
    assert speakers.speaker_of(line) == speaker


def test_the_fullest_form_of_a_name_is_kept_and_used_for_captions() -> None:
    body = 'Mick Crennell said: "One."\n\n> "Two."\n\nChief Fire Officer Mick Crennell added: "Three."'
    article = loads(seed(body))
    assert article.meta.speakers == ("Chief Fire Officer Mick Crennell",)
    quote = article.blocks[1]
    assert isinstance(quote, Quote) and quote.speaker == "Chief Fire Officer Mick Crennell"


def test_a_signature_naming_the_speaker_is_not_doubled_by_the_caption() -> None:
    body = 'ACC Nikki Watson said:\n\n> "Do not drink and drive."\n>\n> - ACC Nikki Watson, Police Scotland'
    article = loads(seed(body))
    quote = article.blocks[1]
    assert isinstance(quote, Quote)
    assert quote.speaker == "ACC Nikki Watson"
    assert blocks_text(quote.blocks) == '"Do not drink and drive."'


def test_a_last_line_naming_someone_else_stays() -> None:
    body = 'ACC Nikki Watson said:\n\n> "Thanks to our partners, including"\n>\n> Chief Officer Mick Crennell'
    article = loads(seed(body))
    quote = article.blocks[1]
    assert isinstance(quote, Quote) and quote.speaker == "ACC Nikki Watson"
    assert blocks_text(quote.blocks).endswith("Chief Officer Mick Crennell")


def test_said_colon_quote_gets_its_space() -> None:
    body = 'ACC Hamilton said:"We note it." He added:\u201cAnd more.\u201d'
    article, repairs = loads_with_repairs(seed(body))
    assert blocks_text(article.blocks) == 'ACC Hamilton said: "We note it." He added: \u201cAnd more.\u201d'
    assert repairs["speech-space"] == 2
    assert article.meta.speakers == ("ACC Hamilton",)


def test_headings_survive_when_only_their_widget_siblings_go() -> None:
    article = loads(seed("## Can you help?\n\nCall 101.\n\nPlease enable JavaScript to view the map."))
    assert isinstance(article.blocks[0], Heading)
    assert article.blocks[1] == Paragraph((Text("Call 101."),))
