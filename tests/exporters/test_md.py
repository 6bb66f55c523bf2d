"""The Markdown exporter: YAML front matter that parses, a body that reads back as the model."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

import pypandoc
import pytest
import yaml
from bulletin_fixtures import NAMES, article, articles, make, para
from hypothesis import given
from markdown_it import MarkdownIt
from testpaths import FIXTURES

import convert
from convert.collate import by_area
from convert.exporters import TitledOptions
from convert.exporters.md import MarkdownExport
from convert.exporters.shared.links import safe_url
from convert.exporters.shared.view import ArticleView
from convert.model import (
    Article,
    Block,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
)

CALLOUT = FIXTURES / "callout"
parser = MarkdownIt("commonmark")  # raw HTML enabled, as CommonMark has it


def md(a: Article) -> str:
    return MarkdownExport(TitledOptions()).export(a).decode("utf-8")


def split(text: str) -> tuple[dict, str]:
    """Front matter (parsed) and body."""
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


# --- what the model says the text is -----------------------------------------------------


def inline_words(nodes: tuple[Inline, ...], base: str, addresses: bool = True) -> str:
    """The printed words; an unlabelled link prints its address (unless `addresses` is off)."""
    out = []
    for node in nodes:
        match node:
            case Text(text):
                out.append(text)
            case Strong(children) | Emphasis(children):
                out.append(inline_words(children, base, addresses))
            case Link(url, children):
                label = inline_words(children, base, addresses)
                safe = safe_url(url, base) if addresses else None
                out.append(label if label.strip() or safe is None else safe)
            case LineBreak():
                out.append(" ")
    return "".join(out)


def block_words(blocks: tuple[Block, ...], base: str, addresses: bool = True) -> list[str]:
    out: list[str] = []
    for node in blocks:
        match node:
            case Heading(_, inlines) | Paragraph(inlines):
                out.append(inline_words(inlines, base, addresses))
            case ListBlock(_, items):
                for item in items:
                    out.extend(block_words(item, base, addresses))
            case Quote(children, speaker):
                out.extend(block_words(children, base, addresses))
                # attributed unless the quote's own words already name them (an address
                # printed for an unlabelled link is not the quote's words)
                named = " ".join(" ".join(block_words(children, base, addresses=False)).split())
                said = " ".join((speaker or "").split())
                if said and said.casefold() not in named.casefold():
                    out.append("— " + said)
    return out


def model_text(a: Article) -> str:
    """The words of the model, as a writer must print them (typeset by the editorial view):
    control characters and soft hyphens dropped, whitespace collapsed."""
    text = " ".join(block_words(ArticleView(a).blocks, a.meta.url))
    text = "".join(
        c for c in text if c.isspace() or not (unicodedata.category(c) in ("Cc", "Cs", "Co") or c == "\u00ad")
    )
    return " ".join(text.split())


def parsed(markdown: str) -> tuple[str, list]:
    """The text markdown-it-py reads, and its tokens (flattened)."""
    tokens, words = [], []

    def walk(ts) -> None:
        for t in ts:
            tokens.append(t)
            if t.children:
                walk(t.children)
            elif t.type in ("text", "code_inline"):
                words.append(t.content)
            elif t.type in ("softbreak", "hardbreak", "paragraph_close", "heading_close"):
                words.append(" ")

    walk(parser.parse(markdown))
    return " ".join("".join(words).split()), tokens


def types(tokens: list) -> list[str]:
    return [t.type for t in tokens]


# --- single articles ----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_body_reads_back_as_the_models_text(name: str) -> None:
    a = article(name)
    _, body = split(md(a))
    text, tokens = parsed(body)
    assert text == model_text(Article(a.meta, ArticleView(a).blocks))  # the text as typeset
    assert not {"html_inline", "html_block", "code_block", "fence"} & set(types(tokens))


@pytest.mark.parametrize("name", NAMES)
def test_structure_survives(name: str) -> None:
    a = article(name)
    _, tokens = parsed(split(md(a))[1])
    kinds = types(tokens)

    def count(blocks, kind) -> int:
        n = 0
        for b in blocks:
            n += isinstance(b, kind) and (
                not isinstance(b, Heading) or bool("".join(inline_words(b.inlines, "")).strip())
            )
            if isinstance(b, ListBlock):
                n += sum(count(item, kind) for item in b.items)
            if isinstance(b, Quote):
                n += count(b.blocks, kind)
        return n

    assert kinds.count("heading_open") == count(a.blocks, Heading)
    assert kinds.count("bullet_list_open") + kinds.count("ordered_list_open") == count(a.blocks, ListBlock)
    assert kinds.count("blockquote_open") == count(a.blocks, Quote)
    assert kinds.count("hr") == count(a.blocks, Rule)


def test_front_matter_holds_the_cleaned_metadata() -> None:
    meta, body = split(md(article("quotes")))
    assert meta == {
        "title": "Appeal after collision on the A59",
        "area": "Lancashire",
        "publisher": "Lancashire Constabulary",
        "published": "2020-10-25",
        "url": "https://www.lancashire.police.uk/news/2020/october/appeal-a59/",
        "summary": "Police are appealing for witnesses after a collision on the A59.",
        "speakers": ["Sgt Mark Jones", "Chief Inspector Rebecca Smith"],
    }
    assert body.startswith("\nPolice are appealing")
    meta, _ = split(md(article("links")))
    assert meta["image"] == "https://www.merseyside.police.uk/media/sarah.jpg" and "publisher" not in meta
    meta, _ = split(md(article("long")))
    assert meta["published"] == "2020-09-30T21:49:00+01:00"
    assert split(md(article("hostile")))[0]["source"] == "Kent/hostile.md"


def test_hostile_text_is_inert_everywhere() -> None:
    a = article("hostile")
    text = md(a)
    meta, body = split(text)
    # pandoc reads front-matter strings as Markdown: what could be HTML is escaped
    assert meta["title"] == "Alert \\<b\\>bold\\</b\\> {{ 7*7 }} {% raw %} & “quotes” — dash…"
    assert meta["area"] == "Kent \\<i\\>" and meta["url"] == "https://www.kent.police.uk/news/x?a=1&b=%3C2%3E"
    assert meta["publisher"] == "Kent Police {{ config }}" and meta["speakers"] == ["Inspector {{ name }}"]
    html = parser.render(body)
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    words, _ = parsed(body)
    assert "{{ 7*7 }} {% raw %}{% endraw %} {# c #}" in words
    assert "<script>alert(‘x’)</script>" in words and "&amp; &copy;" in words  # quotes typeset
    assert "\\{\\{ 7\\*7 \\}\\}" in body  # braces escaped: a Liquid/Jinja site generator leaves them alone
    assert "49" not in html


def test_lines_that_look_like_markup_stay_paragraphs() -> None:
    a = make(
        *(
            para(t)
            for t in ("- a", "+ b", "1. c", "2019) d", "===", "---", "# e", "> f", "***", "    g", "  h")
        )
    )
    _, tokens = parsed(split(md(a))[1])
    assert [t.type for t in tokens if t.type.endswith("_open")] == ["paragraph_open"] * 11


def test_emphasis_and_links() -> None:
    a = make(
        para(
            "A ",
            Strong((Text(" bold "),)),
            "and ",
            Emphasis((Text("italic"),)),
            " and ",
            Strong((Text("“"),)),
            "Now",
        ),
        para(
            "Visit ",
            Link("https://example.org/a_b(c)", (Text("our site"),)),
            " or ",
            Link("/rel", (Text("here"),)),
        ),
        para(
            Link("https://example.org/x", (Text("https://example.org/x"),)),
            " ",
            Link("mailto:a@b.org", (Text("a@b.org"),)),
        ),
        para(Link("javascript:alert(1)", (Text("no link"),))),
    )
    body = split(md(a))[1]
    assert "A **bold** and *italic* and “Now" in body  # marks CommonMark cannot close are dropped
    html = parser.render(body)
    assert '<a href="https://example.org/a_b(c)">our site</a>' in html
    assert '<a href="https://www.kent.police.uk/rel">here</a>' in html
    assert "<https://example.org/x> <a@b.org>" in body
    assert "javascript" not in body and "no link" in body


def test_items_opening_with_lists_never_make_a_thematic_break() -> None:
    """Items that open with a list, down to an empty item, put their markers on one line:
    `- - -` would read back as a rule and lose the lists (found by fuzzing)."""
    empty = ListBlock(False, ((),))
    a = make(ListBlock(False, ((ListBlock(False, ((empty,),)),),)), para("after"),
             ListBlock(False, ((para("next"),),)))
    body = split(md(a))[1]
    _, tokens = parsed(body)
    assert "hr" not in types(tokens)
    assert types(tokens).count("bullet_list_open") == 4  # three nested, then the next list apart
    assert parsed(body)[0] == "after next"


def test_no_front_matter_fence_below_the_top() -> None:
    text = md(make(Rule(), para("---"), ListBlock(False, ((Rule(),),))))
    assert text.count("\n---\n") == 1 and text.startswith("---\n")



@pytest.mark.parametrize(
    ("quote", "words"),
    [
        # the nested name is printed `— a`, which names a speaker `—` or `— a` (found by fuzzing)
        (Quote((Quote((), "a"),), "—"), "— a"),
        (Quote((Quote((), "a"),), "— a"), "— a"),
        (Quote((ListBlock(True, ((Rule(), Quote((), "a")),), 110),), "—"), "— a"),
        # the nested name is read where it stands, between the paragraphs, not after them
        (Quote((para("x"), Quote((), "a"), para("b")), "a b"), "x — a b"),
        # a speaker the printed words do not name is still named
        (Quote((Quote((), "a"),), "b"), "— a — b"),
    ],
)
def test_speaker_named_unless_the_printed_quote_names_them(quote: Quote, words: str) -> None:
    """A quote's speaker is left out only when the words Markdown prints in the quote, names
    of nested quotes included as printed, already name them."""
    a = make(quote)
    text = parsed(split(md(a))[1])[0]
    assert text == words == model_text(a)


# --- bundles ----------------------------------------------------------------------------


def test_bundle_one_front_matter_then_an_h1_per_group_and_h2_per_article_in_contents_order() -> None:
    items = [article(n) for n in NAMES]
    text = MarkdownExport(TitledOptions(title="Weekly pack")).export_bundle(items).decode()
    meta, body = split(text)
    assert meta["title"] == "Weekly pack" and meta["articles"] == len(items)
    assert meta["areas"] == [s.area.replace("<i>", "\\<i\\>") for s in by_area(items)]
    assert meta["from"] == "2020-01-02" and meta["to"] == "2021-03-05"
    assert "\n---\n" not in body
    _, tokens = parsed(body)
    headings = [
        (t.tag, "".join(c.content for c in tokens[i + 1].children))
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    # "At a glance", then each group (H1) with its articles (H2), and their own headings below
    outline = [(tag, text) for tag, text in headings if tag in ("h1", "h2")]
    assert outline == [("h1", "At a glance")] + [
        e for s in by_area(items) for e in [("h1", s.title)] + [("h2", a.meta.headline) for a in s.articles]
    ]
    # an article's own H2 sits two levels down, under its group's H1 and its own H2
    assert "#### How to contact us" in body and "### A first-level heading" in body
    assert "Lancashire Constabulary · Sunday 25 October 2020 · <https://www.lancashire.police.uk/" in body


def test_bundle_reads_back_as_text() -> None:
    a = make(para("Body {{ x }}."), headline="<b>One</b>", published=date(2021, 1, 1))
    body = split(MarkdownExport(TitledOptions()).export_bundle([a]).decode())[1]
    words, tokens = parsed(body[body.index("\n# Kent\n"):])
    assert words.startswith("Kent <b>One</b> Area: Kent · Friday 1 January 2021 · https://www.kent.police.uk/")
    assert words.endswith("Body {{ x }}.")
    assert "html_inline" not in types(tokens)


def glance_tables(markdown: str) -> list[tuple[str, list[tuple[str, ...]]]]:
    """The "At a glance" section read back with markdown-it-py's table rule: for each table
    the bold paragraph before it ('' for none) and its rows of cell text, header row first."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "At a glance")
    end = next(i for i, t in enumerate(tokens) if i > start and t.type == "heading_open")
    found: list[tuple[str, list[tuple[str, ...]]]] = []
    label, row = "", []
    for before, t in zip(tokens[start:end - 1], tokens[start + 1:end], strict=True):
        text = "".join(c.content for c in t.children or ())
        if t.type == "inline" and before.type == "paragraph_open":
            label = text
        elif t.type == "inline" and before.type in ("th_open", "td_open"):
            row.append(text)
        elif t.type == "table_open":
            found.append((label, []))
            label = ""
        elif t.type == "tr_close":
            found[-1][1].append(tuple(row))
            row = []
    return found


def test_bundle_at_a_glance_tables_follow_the_grouping() -> None:
    appeal = convert.load(CALLOUT / "appeal.md")
    recruitment = convert.load(CALLOUT / "recruitment.md")
    meta = replace(recruitment.meta, area="Avonshire", headline="Man | jailed\nin court",
                   published=date(2021, 1, 20))
    court = replace(recruitment, meta=meta,
                    facts=replace(recruitment.facts, kinds=("court",)))
    text = convert.export([appeal, recruitment, court], "md", group_by="kind").decode()
    head = ("Date", "Area", "Kind", "Headline", "Quote")
    assert glance_tables(text) == [
        ("Appeal", [head, ("4 Mar 2021", "Testshire", "Appeal",
                           "Appeal for witnesses after burglary in Millbrook",
                           "crime reference 37/45092/21")]),
        ("Court", [head, ("20 Jan 2021", "Avonshire", "Court", "Man | jailed in court", "")]),
        ("Recruitment", [head, ("5 Mar 2021", "Testshire", "Recruitment",
                                "Join our Special Constabulary this spring", "")]),
    ]
    # the glance comes first, straight after the front matter; then the groups as H1s
    body = split(text)[1]
    assert body.lstrip().startswith("# At a glance\n")
    assert body.index("\n# Appeal\n") < body.index("\n# Court\n") < body.index("\n# Recruitment\n")
    # one group: one table, no label
    by_area_text = convert.export([appeal, recruitment], "md").decode()
    assert [(label, len(rows)) for label, rows in glance_tables(by_area_text)] == [("", 3)]


# --- fuzzing and other readers ----------------------------------------------------------


@given(articles())
def test_any_article_reads_back_as_its_text(a: Article) -> None:
    text = md(a)
    meta, body = split(text)
    # the headline, with only what could read as HTML (to pandoc) escaped
    assert re.sub(r"\\([\\\\<>&])", r"\1", meta["title"]) == " ".join(ArticleView(a).headline.split())
    assert "html_inline" not in types(parsed(meta["title"])[1])
    words, tokens = parsed(body)
    assert words == model_text(a)
    assert "html_inline" not in types(tokens) and "html_block" not in types(tokens)


def test_pandoc_reads_the_front_matter_and_the_text() -> None:
    text = md(article("hostile"))
    plain = pypandoc.convert_text(
        text, "plain", format="markdown", extra_args=["--standalone", "--wrap=none"]
    )
    assert "{{ 7*7 }} {% raw %}{% endraw %}" in plain
    html = pypandoc.convert_text(text, "html", format="markdown", extra_args=["--standalone"])
    assert "<title>Alert &lt;b&gt;bold&lt;/b&gt; {{ 7*7 }}" in html
    assert '<h1 class="title">Alert &lt;b&gt;bold&lt;/b&gt;' in html
    assert "<script>" not in html


def test_registered_under_md() -> None:
    import convert

    assert "md" in convert.formats()
    assert MarkdownExport.version == "2" and MarkdownExport.extension == "md"
