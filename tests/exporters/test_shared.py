"""The shared layer: one link policy, one clean(), one view, and formats that only stand on it."""

from __future__ import annotations

import ast
import io
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from bulletin_fixtures import make, para
from docx_support import hyperlink_targets
from markdown_it import MarkdownIt
from pdf_support import fixture_article

import convert
from convert.exporters.shared.links import safe_url
from convert.exporters.shared.render import METHODS, Levels, Renderer
from convert.exporters.shared.text import clean
from convert.exporters.shared.view import ArticleView, BundleView, overlap, repeats
from convert.exporters.web.markup import HtmlRenderer
from convert.model import Block, Heading, LineBreak, Link, ListBlock, Paragraph, Quote, Rule, Text

EXPORTERS = Path(convert.__file__).parent / "exporters"
FORMAT_PACKAGES = ("txt", "md", "json", "docx", "web")
BASE = "https://www.kent.police.uk/news/1/"

# (address in the model, what every format links it to, or None: printed as text)
LINKS = [
    ("https://example.org/a", "https://example.org/a"),
    ("tel:01234567890", "tel:01234567890"),  # Word left it unlinked
    ("/news/other/", "https://www.kent.police.uk/news/other/"),  # pages and Word left it unlinked
    ("ftp://example.org/f", None),  # bulletins and Markdown linked it
    ("https://", None),  # a web address without a host: bulletins and Markdown linked it
    ("http://[broken", None),  # does not parse: bulletins and Markdown failed on it
    ("javascript:alert(1)", None),
    (" data:text/html,<b>x</b>", None),
]


def linked(fmt: str, data: bytes) -> set[str]:
    """The link targets in an output, the article's own address left out."""
    if fmt == "txt":
        refs = data.decode().partition("References\n----------\n\n")[2]
        found = {line.split(maxsplit=1)[1] for line in refs.splitlines() if line.startswith("[")}
    elif fmt == "md":
        tokens = MarkdownIt("commonmark").parse(data.decode().split("---\n", 2)[2])
        found = {t.attrGet("href") for b in tokens for t in b.children or () if t.type == "link_open"}
    elif fmt == "html":
        hrefs: set[str] = set()

        class Anchors(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                if tag == "a":
                    hrefs.add(dict(attrs).get("href") or "")

        Anchors().feed(data.decode())
        found = {h for h in hrefs if not h.startswith("#")}
    else:
        found = set(hyperlink_targets(docx.Document(io.BytesIO(data))))
    return found - {BASE}


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "docx"])
def test_every_format_links_exactly_what_the_policy_accepts(fmt: str) -> None:
    links = tuple(Link(url, (Text(f"label {i}"),)) for i, (url, _) in enumerate(LINKS))
    article = make(Paragraph(links), url=BASE)
    expected = {target for _, target in LINKS if target}
    assert linked(fmt, convert.export(article, fmt)) == expected
    assert {safe_url(url, BASE) for url, _ in LINKS} - {None} == expected


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "docx"])
def test_every_format_drops_the_same_characters(fmt: str) -> None:
    """Private use, soft hyphens and non-characters were kept by some formats and not others."""
    article = make(para("Pri\ue000vate soft\u00adhyphen non\ufdd0character"))
    data = convert.export(article, fmt)
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    else:
        text = data.decode()
    assert "Private softhyphen noncharacter" in text
    assert not set(text) & {"\ue000", "\u00ad", "\ufdd0"}


def test_clean_keeps_or_flattens_whitespace_as_asked() -> None:
    text = "a\tb\nc  d\u00a0e\x0bf\x00g"
    assert clean(text) == "a\tb\nc  d\u00a0efg"  # HTML: the browser collapses whitespace itself
    assert clean(text, "line") == "a b c  d\u00a0efg"  # Word: a run holds no tab or line break
    assert clean(text, "flat") == "a b c d e fg"  # plain text: one space between words
    assert clean("plain words") == clean("plain words", "flat") == "plain words"


def test_a_summary_repeats_the_opening_by_runs_of_words() -> None:
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


def test_one_summary_rule() -> None:
    opening = "A man has been arrested after a burglary in Dover on Monday."
    repeated = ArticleView(make(para(opening), summary=opening))
    assert repeated.summary == opening  # kept for document metadata
    assert repeated.summary_shown is None
    shortened = ArticleView(make(para(opening, " More words follow."), summary="A man has been arrested."))
    assert shortened.summary_shown is None
    fresh = ArticleView(make(para(opening), summary="Police appeal for witnesses."))
    assert fresh.summary_shown == "Police appeal for witnesses."


def test_summary_threshold_both_sides() -> None:
    lead = "A man accused of robbing a shop in Dover with a knife will appear in court next week."
    # one word changed in the lead ("this" for "next"): a repeat, suppressed (overlap 0.8)
    edited = "A man accused of robbing a shop in Dover with a knife will appear in court this week."
    assert 0.6 <= overlap(edited, ["Man charged", lead]) < 1
    assert ArticleView(make(para(lead), headline="Man charged", summary=edited)).summary_shown is None
    # cut short with an ellipsis, the last word cut too: still a repeat
    cut = "A man accused of robbing a shop in Dover with a kn…"
    assert ArticleView(make(para(lead), headline="Man charged", summary=cut)).summary_shown is None
    # equal to the headline (case and quotes apart), with a body that says something else
    same = ArticleView(make(para("Officers attended."), headline="Man’s car stolen",
                            summary="MAN'S CAR STOLEN"))
    assert same.summary_shown is None
    # the same opening and a fact the body does not give: shown (overlap just under 0.6)
    more = "A man accused of robbing a shop in Dover faces a charge of possessing a bladed article."
    assert overlap(more, ["Man charged", lead]) < 0.6
    assert ArticleView(make(para(lead), headline="Man charged", summary=more)).summary_shown == more
    # a short summary that shares no run of three words
    assert ArticleView(make(para(lead), summary="Witnesses sought.")).summary_shown == "Witnesses sought."


def test_a_summary_copied_from_any_later_paragraph_is_not_shown() -> None:
    lead = [para(f"Paragraph {n} says something of its own about the case, number {n}.") for n in range(6)]
    copied = "Police and charity bosses have now urged the public to keep an eye out for possible victims."
    later = [*lead, para(copied + " More follows."), para("The end.")]
    assert ArticleView(make(*later, summary=copied)).summary_shown is None  # the 7th paragraph
    edited = "Police and charity bosses urged the public to keep an eye out for possible victims."
    assert ArticleView(make(*later, summary=edited)).summary_shown is None  # nearly verbatim
    # in a quote or a list item too
    quoted = [*lead, Quote((para(copied),), "Sgt Lee")]
    assert ArticleView(make(*quoted, summary=copied)).summary_shown is None
    listed = [*lead, ListBlock(False, ((para("x"),), (para(copied),)))]
    assert ArticleView(make(*listed, summary=copied)).summary_shown is None
    # its words spread over several paragraphs, or one paragraph and a fact it does not give: shown
    halves = [*lead, para("Police and charity bosses have now met."),
              para("They urged the public to keep an eye out.")]
    assert ArticleView(make(*halves, summary=copied)).summary_shown == copied
    more = "Police and charity bosses urged the public to look out for victims after two men were jailed."
    assert ArticleView(make(*later, summary=more)).summary_shown == more
    # deep nesting is walked without recursion
    deep: Block = para(copied)
    for _ in range(5_000):
        deep = Quote((deep,), None)
    assert ArticleView(make(*lead, deep, summary=copied)).summary_shown is None


def test_the_view_names_the_publisher_and_the_dates() -> None:
    view = ArticleView(fixture_article("briefing"))
    assert view.byline == "Lancashire Constabulary"
    assert view.date_long == "Thursday 11 April 2019, 15:22" and view.date_short == "11 Apr 2019"
    assert view.date_iso == "2019-04-11T15:22:00+01:00"
    unknown = ArticleView(make(area="British Transport"))
    assert unknown.byline == "Area: British Transport"
    assert unknown.date_long == unknown.date_iso == unknown.updated == unknown.dateline == ""


def test_bundle_view_orders_counts_and_spans() -> None:
    from datetime import date

    articles = [make(headline=h, area=a, published=date(2021, 3, d)) for h, a, d in
                (("x", "Kent", 1), ("y", "Essex", 20), ("z", "Kent", 5))]
    bundle = BundleView(articles)
    assert bundle.areas == ["Essex", "Kent"] and bundle.count == 3
    assert [a.meta.headline for s in bundle.sections for a in s.articles] == ["y", "z", "x"]
    assert bundle.date_range == "1 March 2021 – 20 March 2021"
    assert bundle.area_counts == {"Kent": 2, "Essex": 1}
    assert BundleView([]).date_range == "" and BundleView([]).span is None


def _imports(path: Path, package: str) -> list[str]:
    """The absolute names of the convert modules a module imports."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            names.append(".".join([*parts, node.module] if node.module else parts))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("convert"):
            names.append(node.module or "")
        elif isinstance(node, ast.Import):
            names.extend(a.name for a in node.names if a.name.startswith("convert"))
    return names


@pytest.mark.parametrize("layer", [*FORMAT_PACKAGES, "shared"])
def test_no_format_imports_another_formats_package(layer: str) -> None:
    others = [p for p in FORMAT_PACKAGES if p != layer]
    for path in sorted((EXPORTERS / layer).glob("*.py")):
        for name in _imports(path, f"convert.exporters.{layer}"):
            for other in others:
                assert not name.startswith(f"convert.exporters.{other}"), f"{path.name} imports {name}"


def test_the_reader_knows_nothing_of_exporters() -> None:
    reader = EXPORTERS.parent / "reader"
    for path in sorted(reader.glob("*.py")):
        for name in _imports(path, "convert.reader"):
            assert not name.startswith("convert.exporters"), f"{path.name} imports {name}"


def test_a_renderer_must_render_every_node_type() -> None:
    with pytest.raises(TypeError, match=r"Partial has no method for paragraph, .*, linebreak"):

        class Partial(Renderer):
            def heading(self, node: object) -> str:
                return "h"

    with pytest.raises(TypeError, match="not a node of the document model"):
        HtmlRenderer().render("text")  # type: ignore[arg-type]


def test_render_dispatches_on_the_node_type_with_the_arguments_given() -> None:
    seen: list[tuple[str, tuple[object, ...], dict[str, object]]] = []

    def method(name: str) -> object:
        return lambda self, node, *args, **kwargs: seen.append((name, args, kwargs))

    Recorder = type("Recorder", (Renderer,), {name: method(name) for name in METHODS.values()})
    for node in (Heading(1, ()), Rule(), Text("x"), LineBreak()):
        Recorder().render(node, "first", rest="r")
    expected = [(name, ("first",), {"rest": "r"}) for name in ("heading", "rule", "text", "linebreak")]
    assert seen == expected


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        # pages: the body's levels ranked under the headline (gaps closed), h2 down to h6
        (Levels(2, ranked=(Heading(2, ()), Quote((Heading(4, ()),)))), {2: 2, 4: 3}),
        (Levels(4, ranked=(Heading(1, ()), Heading(3, ()), Heading(5, ()))), {1: 4, 3: 5, 5: 6}),
        (Levels(2, 4), {1: 2, 2: 2, 3: 3, 4: 4, 6: 4}),  # Word: Heading 2 to 4
        (Levels(shift=1), {1: 2, 2: 3, 6: 6}),  # Markdown in a bundle: under each article's H1
        (Levels(1, 2), {0: 1, 1: 1, 2: 2, 5: 2}),  # bulletins: '=' or '-' underlines
    ],
)
def test_heading_levels_are_numbered_in_one_place(levels: Levels, expected: dict[int, int]) -> None:
    assert {level: levels(level) for level in expected} == expected


def test_every_renderer_numbers_headings_through_levels() -> None:
    """A body with levels 2 and 4 (one real article has exactly these)."""
    article = make(Heading(2, (Text("Two"),)), Heading(4, (Text("Four"),)))
    html = convert.export(article, "html").decode()
    # ranked: no gap in the outline (both keep with the next block on paper)
    assert '<h2 class="keep">Two</h2>' in html and '<h3 class="keep">Four</h3>' in html
    word = docx.Document(io.BytesIO(convert.export(article, "docx")))
    assert [p.style.name for p in word.paragraphs if p.text in ("Two", "Four")] == ["Heading 2", "Heading 4"]
    assert "## Two\n\n#### Four" in convert.export(article, "md").decode()  # the seed's own levels
    assert "Two\n---\n\nFour\n----" in convert.export(article, "txt").decode()
