"""The plain-text bulletin: layout, wrapping invariant, references, ASCII mode, digest."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from bulletin_fixtures import NAMES, article, articles, make, overflowing, para
from hypothesis import given
from hypothesis import strategies as st
from testpaths import FIXTURES, SEED

from convert.collate import by_area
from convert.exporters import ExportError, OptionError
from convert.exporters.shared.view import repeats
from convert.exporters.txt.exporter import Bulletin, TxtOptions
from convert.exporters.txt.wrapping import wrap
from convert.model import (
    Article,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Quote,
    Rule,
    Strong,
    Text,
)


def txt(a: Article, **options) -> str:
    return Bulletin(TxtOptions(**options)).export(a).decode("utf-8")


def digest(articles: list[Article], **options) -> str:
    return Bulletin(TxtOptions(**options)).export_bundle(articles).decode("utf-8")


def body(text: str) -> str:
    """The bulletin below its header block (headline, byline, date, URL)."""
    return text.split("\n\n", 2)[2]


# --- the wrapping invariant -------------------------------------------------------------


@pytest.mark.parametrize("ascii", [False, True])
@pytest.mark.parametrize("width", [40, 72, 100])
@pytest.mark.parametrize("name", NAMES)
def test_no_line_over_width_except_one_unbreakable_token(name: str, width: int, ascii: bool) -> None:
    text = txt(article(name), width=width, ascii=ascii)
    assert overflowing(text, width) == []
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.splitlines())


@pytest.mark.parametrize("width", [40, 72, 100])
def test_digest_of_all_fixtures_keeps_the_width(width: int) -> None:
    text = digest([article(n) for n in NAMES], width=width)
    assert overflowing(text, width) == []


def test_the_long_url_stays_whole_on_a_line_of_its_own() -> None:
    a = article("links")
    url = a.blocks[4].inlines[1].url
    assert len(url) > 300
    lines = txt(a, width=40).splitlines()
    assert url in lines  # unbroken, alone
    assert f"[6] {url}" in lines  # and in full in the references


word = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=30,
)


@given(
    st.lists(word, max_size=60),
    st.integers(min_value=20, max_value=120),
    st.sampled_from(["", "  ", "  • ", " 10. "]),
)
def test_wrap_never_breaks_a_word_and_never_overflows(words: list[str], width: int, first: str) -> None:
    rest = " " * len(first)
    lines = wrap(" ".join(words), width, first, rest)
    assert overflowing("\n".join(lines), width) == []
    assert lines[0].startswith(first.rstrip()) if lines else not words
    # Every word comes back whole and in order.
    text = " ".join(line[len(first) if i == 0 else len(rest) :] for i, line in enumerate(lines))
    assert text.split() == words


def test_glued_words_stay_together_unless_they_could_never_fit() -> None:
    assert wrap("aaaa bbbb cccc\u00a0[1]", 16) == ["aaaa bbbb", "cccc [1]"]
    long = "x" * 30
    assert wrap(f"aaaa {long}\u00a0[1]", 20) == ["aaaa", long, "[1]"]


@given(articles(), st.sampled_from([20, 40, 72, 100]), st.booleans())
def test_any_article_keeps_the_width(a: Article, width: int, ascii: bool) -> None:
    text = txt(a, width=width, ascii=ascii)
    assert overflowing(text, width) == []


def test_markers_of_items_opening_with_lists_stay_apart() -> None:
    """`0. 10. > * URL`: an item opening with a list opening with a quote holding a list. At
    width 20 the markers must lose spaces, never run together (found by fuzzing)."""
    inner = ListBlock(False, ((para("https://x.org/a"),),))
    a = make(ListBlock(True, ((ListBlock(True, ((Quote((inner,)),),), start=10),),)))
    text = txt(a, width=20)
    assert overflowing(text, 20) == []
    assert "10. • https://x.org/a" in text


def test_a_deep_quotes_speaker_keeps_the_width() -> None:
    """The name under a quote deep in lists is indented like any other line: capped, so it
    still fits (found by fuzzing: the name went to column 21 at width 20)."""
    inner = ListBlock(True, ((Quote((), "DC Lee"),), (para("ten"),)), start=99)
    a = make(Quote((ListBlock(False, ((para("one"),), (inner,))),)))
    text = txt(a, width=20, ascii=True)
    assert overflowing(text, 20) == []
    assert "-- DC Lee" in text


def test_deeply_nested_lists_still_leave_room_for_words() -> None:
    node = ListBlock(False, ((para("deepest " * 20),),))
    for depth in range(50):
        node = ListBlock(depth % 2 == 0, ((para(f"level {depth} " + "word " * 10), node),))
    text = txt(make(node), width=40)
    assert overflowing(text, 40) == []
    assert "deepest deepest" in text
    assert max(len(line) - len(line.lstrip()) for line in text.splitlines()) <= 40 // 2 + 4


# --- layout -------------------------------------------------------------------------------


def test_header_block() -> None:
    a = make(
        headline="Appeal after collision",
        area="Lancashire",
        publisher="Lancashire Constabulary",
        published=date(2019, 4, 11),
        url="https://www.lancashire.police.uk/news/x/",
    )
    assert txt(a).splitlines()[:6] == [
        "Appeal after collision",
        "======================",
        "",
        "Lancashire Constabulary",
        "Thursday 11 April 2019",
        "https://www.lancashire.police.uk/news/x/",
    ]


def test_byline_falls_back_to_area_and_names_both_when_they_differ() -> None:
    assert txt(make(area="British Transport")).splitlines()[3] == "Area: British Transport"
    assert (
        txt(make(area="Merseyside", publisher="Action Fraud")).splitlines()[3] == "Action Fraud (Merseyside)"
    )


def test_undated_article_has_no_date_line_and_time_is_shown_when_known() -> None:
    assert txt(make()).splitlines()[3:5] == ["Area: Kent", "https://www.kent.police.uk/news/1/"]
    dated = make(published=datetime(2020, 10, 16, 15, 22, tzinfo=UTC))
    assert txt(dated).splitlines()[4] == "Friday 16 October 2020, 15:22"


def test_summary_shown_unless_it_repeats_the_opening() -> None:
    opening = para("A man has been arrested after a burglary in Dover on Monday.")
    fresh = txt(make(opening, summary="Police are appealing for witnesses."))
    assert "Police are appealing for witnesses.\n\nA man has been arrested" in fresh
    for summary in (
        "A man has been arrested after a burglary in Dover on Monday.",
        "A man has been arrested after a…",
    ):
        assert txt(make(opening, summary=summary)).count("A man has been arrested") == 1
    assert "Headline" not in body(txt(make(opening, summary="Headline")))  # nor the headline
    assert repeats("BOLD, lede!", ["Bold lede"])  # punctuation and case do not matter
    # two opening paragraphs run together and lightly edited (a real Lancashire summary)
    assert repeats(
        "We were called at around 10.15pm to reports a Toyota had collided with a tree. The driver,"
        " who has since been named as Andrew Brown, aged 58, was pronounced dead at the scene.",
        [
            "A tribute has been paid.",
            "We were called at around 10.15pm to reports a Toyota had collided with a tree.",
            "The driver, who has since been named as Andrew Brown (pictured), aged 58, was pronounced dead"
            " at the scene.",
        ],
    )
    assert not repeats("Something else entirely", ["Bold lede"])


def test_hanging_indents_for_bullets_and_numbers() -> None:
    long = "Providing further training for all frontline officers and staff across the county"
    a = make(
        ListBlock(False, ((para(long),), (para("Introducing coaches"),))),
        ListBlock(
            True,
            tuple((para(f"Point {i} " + "word " * (8 if i == 10 else 1)),) for i in range(9, 12)),
            start=9,
        ),
    )
    assert body(txt(a, width=40)).splitlines() == [
        "  • Providing further training for all",
        "    frontline officers and staff across",
        "    the county",
        "  • Introducing coaches",
        "",
        "   9. Point 9 word",
        "  10. Point 10 word word word word word",
        "      word word word",
        "  11. Point 11 word",
    ]


def test_nested_lists_indent_further_with_another_bullet() -> None:
    inner = ListBlock(True, ((para("first"),), (para("second"),)))
    middle = ListBlock(False, ((para("child one"), inner), (para("child two"),)))
    a = make(ListBlock(False, ((para("parent"), middle), (para("sibling"),))))
    assert body(txt(a)).splitlines() == [
        "  • parent",
        "      – child one",
        "          1. first",
        "          2. second",
        "      – child two",
        "  • sibling",
    ]
    assert body(txt(a, ascii=True)).splitlines()[:2] == ["  * parent", "      - child one"]


def test_loose_list_items_are_separated_by_blank_lines() -> None:
    a = make(ListBlock(False, ((para("one"), para("one more")), (para("two"),))))
    assert body(txt(a)).splitlines() == ["  • one", "", "    one more", "", "  • two"]


def test_quotes_are_indented_and_attributed() -> None:
    quote = Quote(
        (para("“We are keen to hear from anyone who was travelling on the A59 at the time.”"),),
        "Sgt Mark Jones",
    )
    assert body(txt(make(quote), width=50)).splitlines() == [
        "    “We are keen to hear from anyone who was",
        "    travelling on the A59 at the time.”",
        "      — Sgt Mark Jones",
    ]
    assert body(txt(make(quote), width=50, ascii=True)).splitlines()[-1] == "      -- Sgt Mark Jones"
    anonymous = Quote((para("Words."),))
    assert body(txt(make(anonymous))).splitlines() == ["    Words."]
    named = Quote((para("Sgt Mark Jones said: “Call us.”"),), "Sgt Mark Jones")
    assert body(txt(make(named))).splitlines() == ["    Sgt Mark Jones said: “Call us.”"]  # not named twice


def test_headings_are_underlined_and_rules_drawn() -> None:
    a = make(
        Heading(1, (Strong((Text("Main point"),)),)), Heading(3, (Text("Detail"),)), Rule(), para("End.")
    )
    assert body(txt(a)).splitlines() == [
        "Main point",
        "==========",
        "",
        "Detail",
        "------",
        "",
        "*   *   *".center(72).rstrip(),
        "",
        "End.",
    ]


def test_bold_and_italic_read_as_plain_text_conventions() -> None:
    a = make(
        para(
            "A ",
            Strong((Text("bold "),)),
            "and ",
            Emphasis((Text("italic"),)),
            " word",
            Strong((Text(" "),)),
            ".",
        )
    )
    assert body(txt(a)) == "A *bold* and _italic_ word .\n"


def test_line_breaks_are_kept() -> None:
    a = make(para("Crimestoppers", LineBreak(), "0800 555 111"))
    assert body(txt(a)).splitlines() == ["Crimestoppers", "0800 555 111"]


# --- references -------------------------------------------------------------------------


def test_links_become_numbered_references_listed_at_the_end() -> None:
    text = txt(article("links"))
    assert "Anyone with information should\ncontact us online [1], call 101, or report it here [2]." in text
    assert "Repeated: contact us [1] again" in text  # a repeated URL keeps its number
    assert "relative: another story [5]" in text
    assert "not a link;" in text and "javascript" not in text
    refs = text.split("References\n----------\n\n")[1].splitlines()
    assert refs[:5] == [
        "[1] https://www.merseyside.police.uk/contact/",
        "[2] https://www.merseyside.police.uk/ro/report/",
        "[3] https://crimestoppers-uk.org",
        "[4] https://twitter.com/MerPolCC",
        "[5] https://www.merseyside.police.uk/news/other-story/",  # made absolute against the article
    ]
    assert refs[6] == "[7] https://www.childline.org.uk/get-support/"
    assert len(refs) == 7


def test_a_link_whose_text_is_the_address_is_not_repeated() -> None:
    text = txt(article("links"))
    assert "e-mail news@merseyside.police.uk." in text
    assert "Our website is www.merseyside.police.uk and" in text
    assert "Victim Support: victimsupport.org.uk\n" in text
    assert "Empty label: https://example.org/empty done." in text
    assert "mailto:" not in text and "[8]" not in text


def test_reference_marker_stays_with_its_word() -> None:
    a = make(para("word " * 13 + "xx ", Link("https://a.example/", (Text("here"),)), " more"))
    lines = body(txt(a, width=72)).splitlines()
    assert lines[1].startswith("here [1]") or lines[0].endswith("here [1]")


def test_no_references_section_without_links() -> None:
    assert "References" not in txt(article("quotes"))


# --- ASCII mode -------------------------------------------------------------------------


def test_ascii_mode_converts_punctuation_everywhere() -> None:
    a = make(
        Quote((para("“It’s over…” — she said"),), "DC O’Neill"),
        ListBlock(False, ((para("bullet"),),)),
        headline="‘Quoted’ headline – with dash",
        publisher="Police “Force”",
        summary="It’s a summary…",
    )
    text = txt(a, ascii=True)
    assert text.isascii()
    assert text.startswith(
        "'Quoted' headline - with dash\n=============================\n\nPolice \"Force\" (Kent)\n"
    )
    assert "It's a summary..." in text
    assert '"It\'s over..." -- she said' in text
    assert "-- DC O'Neill" in text
    assert "  * bullet" in text


def test_ascii_mode_keeps_letters_and_the_width() -> None:
    text = txt(article("scripts"), ascii=True, width=40)
    assert "Mae'r heddlu'n" in text and "Tŷ Ddewi" in text and "Ŵyn" in text
    assert overflowing(text, 40) == []


# --- hostile text ----------------------------------------------------------------------


def test_html_and_template_syntax_print_as_text() -> None:
    text = txt(article("hostile"))
    assert text.startswith("Alert <b>bold</b> {{ 7*7 }} {% raw %} & “quotes” — dash…\n")
    assert "Kent Police {{ config }} (Kent <i>)" in text
    assert "Summary with <p>html</p> and {% if 1 %}jinja{% endif %}" in text
    assert "<script>alert('x')</script> {{ 7*7 }} {% raw %}{% endraw %} {# c #}" in text
    assert "  • {{ 7*7 }}" in text and "{% raw %} quoted" in text and "— Inspector {{ name }}" in text
    assert "49" not in text
    assert "\x00" not in text and "\x07" not in text and "\t" not in text and "\u00ad" not in text


def test_template_errors_become_export_errors(tmp_path) -> None:
    (tmp_path / "bulletin.txt.j2").write_text("{{ article.no_such_field }}")
    with pytest.raises(ExportError, match="bulletin"):
        Bulletin(TxtOptions(styles=tmp_path)).export(make())


def test_users_styles_folder_overrides_the_bulletin_template(tmp_path) -> None:
    (tmp_path / "bulletin.txt.j2").write_text(
        "FORCE BULLETIN: {{ article.headline | upper }}\n{{ article.body }}\n"
    )
    exporter = Bulletin(TxtOptions(styles=tmp_path))
    assert exporter.export(make(para("Body."))).decode() == "FORCE BULLETIN: HEADLINE\nBody.\n"
    # The digest includes the bulletin template, so it picks up the override; its own template is the default.
    text = exporter.export_bundle([make(para("One.")), make(para("Two."), headline="Other")])
    assert "FORCE BULLETIN: HEADLINE" in text.decode() and "Contents\n--------" in text.decode()


def test_a_width_out_of_range_is_refused_once_where_the_options_are_made() -> None:
    with pytest.raises(OptionError, match="too narrow"):
        TxtOptions(width=10)
    with pytest.raises(OptionError, match="too wide"):
        TxtOptions(width=1001)
    with pytest.raises(OptionError, match="whole number"):
        TxtOptions(width="72")  # type: ignore[arg-type]
    assert TxtOptions(width=20).width == 20 and TxtOptions(width=1000).width == 1000


# --- the digest -------------------------------------------------------------------------


def _dated(headline: str, area: str, day: int) -> Article:
    return make(para(f"Body of {headline}."), headline=headline, area=area, published=date(2021, 3, day))


def test_digest_contents_grouped_by_area_newest_first_then_articles_in_that_order() -> None:
    articles = [
        _dated("Old Kent story", "Kent", 1),
        _dated("Essex story", "Essex", 5),
        _dated("New Kent story", "Kent", 20),
        make(para("Undated."), headline="Undated Kent story", area="Kent"),
    ]
    text = digest(articles, title="Weekly pack")
    assert text.startswith(
        "Weekly pack\n===========\n\n4 articles from 2 areas, 1 Mar 2021 to 20 Mar 2021.\n"
    )
    contents = text.split("Contents\n--------\n\n")[1].split("\n\n=")[0]
    assert contents.splitlines() == [
        "Essex",
        "  1. Essex story (5 Mar 2021)",
        "",
        "Kent",
        "  2. New Kent story (20 Mar 2021)",
        "  3. Old Kent story (1 Mar 2021)",
        "  4. Undated Kent story",
    ]
    expected = [a.meta.headline for s in by_area(articles) for a in s.articles]
    after_contents = text.split("=" * 72, 1)[1]
    positions = [after_contents.index(f"{i}. {h}\n") for i, h in enumerate(expected, 1)]
    assert positions == sorted(positions)
    assert text.count("=" * 72 + "\n") == 4  # a rule before each article
    assert "Body of Old Kent story." in text


def test_digest_default_title_and_ascii() -> None:
    text = digest([make(headline="“Quoted”")], ascii=True)
    assert text.startswith("Police news digest\n==================\n\n1 article from 1 area.\n")
    assert text.isascii() and '1. "Quoted"' in text


def test_registered_under_txt() -> None:
    import convert

    assert "txt" in convert.formats()
    assert convert.export(make(para("x")), "txt").decode().startswith("Headline\n========\n")
    assert Bulletin.version == "1" and Bulletin.style_files == ("bulletin.txt.j2", "digest.txt.j2")


# --- the real seed ----------------------------------------------------------------------

GOLDEN = FIXTURES / "bulletins" / "seed.txt"


def test_seed_bulletin_matches_the_golden_file() -> None:
    import convert

    text = txt(convert.load(SEED))
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_seed_bulletin_content() -> None:
    import convert

    text = txt(convert.load(SEED))
    lines = text.splitlines()
    assert lines[:2] == ["Significant improvements in child protection", "=" * 44]
    assert "Lancashire" in lines[3] and lines[4] == "Thursday 11 April 2019"
    assert (
        lines[5]
        == "https://www.lancashire.police.uk/news/2019/april/significant-improvements-in-child-protection/"
    )
    assert [line for line in lines if line.startswith("  • ")] == [
        "  • Providing further training for all frontline officers and staff",
        "  • Introducing child protection coaches",
        "  • Rolling out the ‘Think Child’ internal awareness campaign",
        "  • Improved governance and management systems",
    ]
    # Only the source URL, one unbreakable token, is wider than 72 columns.
    assert [line for line in lines if len(line) > 72] == [lines[5]]
    assert overflowing(text, 72) == []
    assert "Thursday, April 11, 2019" not in text  # the date line the reader used is not repeated
    ascii_text = txt(convert.load(SEED), ascii=True)
    assert ascii_text.isascii() and "'Think Child'" in ascii_text


def test_long_bold_runs_print_plain() -> None:
    lede = "A murder investigation has been launched after a man was fatally stabbed in Croydon last night."
    a = make(para(Strong((Text(lede),))), para(Strong((Text("Do not approach him"),)), ", call 999."))
    assert body(txt(a)).splitlines() == [
        "A murder investigation has been launched after a man was fatally stabbed",
        "in Croydon last night.",
        "",
        "*Do not approach him*, call 999.",
    ]
