"""The plain-text bulletin: the wrapping invariant, hostile text, templates, options.

What a bulletin looks like (layout, references, ASCII mode, the digest, the real seed) is in
the render fixtures: tests/fixtures/render/txt/, checked by test_render.py.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from bulletin_fixtures import NAMES, article, articles, make, overflowing, para
from hypothesis import example, given
from hypothesis import strategies as st
from testpaths import SEED

from convert.exporters import ExportError, OptionError
from convert.exporters.txt import wrapping
from convert.exporters.txt.exporter import Bulletin, TxtOptions
from convert.exporters.txt.wrapping import GLUE, wrap
from convert.model import (
    Article,
    ListBlock,
    Quote,
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


@given(
    st.lists(st.tuples(word, st.sampled_from([" ", "  ", "\t", "\n", " \r\n "])), min_size=1, max_size=40),
    st.integers(min_value=-2, max_value=60),
    st.sampled_from(["", "  ", "  • ", " 10. "]),
)
@example([("ab", " "), ("cd", " "), ("e", "")], 2, "  • ")  # the marker wider than the line
def test_wrap_is_greedy_as_textwrap_is(pairs: list[tuple[str, str]], width: int, first: str) -> None:
    """Line by line (one search per line, not a step per word), the same lines as textwrap's
    greedy fill without breaking words: each line takes every word that fits, whatever the
    whitespace between them, and a word longer than the line stands alone."""
    text = "".join(w + gap for w, gap in pairs)
    rest = " " * len(first)
    single = " ".join(w for w, _ in pairs)  # textwrap keeps runs of spaces; wrap collapses them
    expected = textwrap.wrap(single, width=max(width, 1), initial_indent=first, subsequent_indent=rest,
                             break_long_words=False, break_on_hyphens=False, expand_tabs=False)
    assert wrap(text, max(width, 1), first, rest) == [line.rstrip() for line in expected]


@given(st.text(alphabet="ab \u00a0\t\n", max_size=60), st.integers(min_value=1, max_value=12),
       st.sampled_from(["", "  ", "  • "]))
def test_glued_runs_are_unglued_exactly_when_too_long(text: str, width: int, first: str) -> None:
    """`wrap` skips the glued-run pattern when no run between spaces is too long: the same lines
    as running it always."""
    rest = " " * len(first)
    room = width - len(first)
    always = wrapping._GLUED.sub(lambda m: m[0] if len(m[0]) <= room else m[0].replace(GLUE, " "), text)
    assert wrap(text, width, first, rest) == wrap(always, width, first, rest)  # `always` needs no ungluing


@given(st.text(alphabet="a \t\n\x0b\x0c\r\u00a0\u2028", max_size=12))
def test_odd_breaks_are_found_as_the_pattern_found_them(text: str) -> None:
    assert wrapping._odd_break(text) == (re.search("[\t\n\x0b\x0c\r]|  ", text) is not None)


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


# --- layout, references, ASCII mode, the digest: tests/fixtures/render/txt/ (test_render.py) ---


# --- ASCII mode -------------------------------------------------------------------------


def test_ascii_mode_is_seven_bit_and_keeps_the_width() -> None:
    text = txt(article("scripts"), ascii=True, width=40)
    assert "Mae'r heddlu'n" in text and "Ty Ddewi" in text and "Wyn" in text  # transliterated
    assert all(ord(c) < 128 for c in text)
    assert overflowing(text, 40) == []


def test_ascii_mode_transliterates_everything() -> None:
    odd = "£5 and €10, café, Łódź, ½ mile, 20°C, © 2020, ¬, “quotes” – dash — … • 中文 محمد"
    text = txt(make(para(odd), headline="Ŵyn’s £1,000 fine", summary="Señor Núñez paid £20."), ascii=True)
    assert all(ord(c) < 128 for c in text), [c for c in text if ord(c) >= 128]
    assert "GBP 5 and EUR 10, cafe, Lodz, 1/2 mile" in text and "Wyn's GBP 1,000 fine" in text
    assert '"quotes" - dash -- ...' in " ".join(text.split()) and "Senor Nunez paid GBP 20." in text


# --- hostile text ----------------------------------------------------------------------


def test_html_and_template_syntax_print_as_text() -> None:
    text = txt(article("hostile"))
    assert text.startswith("Alert <b>bold</b> {{ 7*7 }} {% raw %} & “quotes” — dash…\n")
    assert "Kent Police {{ config }} (Kent <i>)" in text
    assert "Summary with <p>html</p> and {% if 1 %}jinja{% endif %}" in text
    assert "<script>alert(‘x’)</script> {{ 7*7 }} {% raw %}{% endraw %} {# c #}" in text  # quotes typeset
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


def test_registered_under_txt() -> None:
    import convert

    assert "txt" in convert.formats()
    assert convert.export(make(para("x")), "txt").decode().startswith("Headline\n========\n")
    assert Bulletin.version == "2" and Bulletin.style_files == ("bulletin.txt.j2", "digest.txt.j2")


# --- the real seed ----------------------------------------------------------------------


def test_seed_bulletin_content() -> None:
    import convert

    text = txt(convert.load(SEED))
    lines = text.splitlines()
    assert lines[:2] == ["Significant improvements in child protection", "=" * 44]
    assert "Lancashire" in lines[3] and lines[4] == "Thursday 11 April 2019 – Statement"
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




def test_a_date_or_a_kind_label_never_breaks_across_lines() -> None:
    from datetime import datetime

    from convert.exporters.shared.typography import NBSP
    from convert.model import Facts
    from convert.reader.dates import LONDON

    meta = make(headline="Crash", published=datetime(2017, 12, 9, 21, 7, tzinfo=LONDON),
                updated=datetime(2017, 12, 11, 9, 0, tzinfo=LONDON)).meta
    crash = Article(meta, (para("A crash."),), Facts(kinds=("collision",)))
    whole = ("Saturday 9 December 2017, 21:07", "Updated 11 December 2017", "Road collision")
    for width in range(24, 90):
        text = txt(crash, width=width)
        head = text.split("\nhttps://", 1)[0].replace("\n", " ")
        assert all(part in head for part in whole), (width, text)
        for line in text.splitlines()[:6]:
            assert NBSP not in line
        if width >= 32:  # where each fits on a line, each is on one line
            dated = [ln for ln in text.splitlines() if "December" in ln or "collision" in ln]
            assert sum(part in ln for part in whole for ln in dated) == 3, (width, text)
    # the digest's contents too
    assert "– Road collision" in digest([crash], width=40).replace("\n", " ")
    contents = digest([crash] * 2, width=36).splitlines()
    assert not any(line.endswith("Road") for line in contents)


@pytest.mark.parametrize(("quote", "names"), [
    (Quote((Quote((), "a"),), "—"), ["— a"]),  # the outer speaker is what the inner line prints
    (Quote((Quote((), "a"),), "— a"), ["— a"]),
    (Quote((para("x"), Quote((), "a"), para("b")), "a b"), ["— a"]),  # read in order: x — a b
    (Quote((para("We will find them."),), "Sgt Ann Lee"), ["— Sgt Ann Lee"]),  # named, once
    (Quote((Quote((), "a"),), "b"), ["— a", "— b"]),
])
def test_a_speaker_the_printed_quote_already_names_is_not_named_again(quote: Quote, names: list[str]) -> None:
    """The shared attribution rule, as Markdown has it too (fuzzing found `— a` then `— —`)."""
    text = body(txt(make(quote)))
    assert [line.strip() for line in text.splitlines() if line.strip().startswith("—")] == names
