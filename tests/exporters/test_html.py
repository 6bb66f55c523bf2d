"""The HTML exporter: standalone, accessible pages from the same templates as the PDF."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from pdf_support import fixture_article, many_articles

import convert
from convert import exporters
from convert.exporters import ExportError, TitledOptions
from convert.exporters.web.html import WebPage
from convert.exporters.web.pages import Pages
from convert.styles import Styles, default_dir


class Outline(HTMLParser):
    """Tags with their attributes, the headings in order, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.text: list[str] = []
        self._heading: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self.headings.append((self._heading, ""))

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            level, so_far = self.headings[-1]
            self.headings[-1] = (level, so_far + data)

    def first(self, tag: str) -> dict[str, str | None]:
        return next(attrs for t, attrs in self.tags if t == tag)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]


def parse(data: bytes) -> Outline:
    page = Outline()
    page.feed(data.decode("utf-8"))
    return page


@pytest.fixture(scope="module")
def page() -> bytes:
    return WebPage(TitledOptions()).export(fixture_article("briefing"))


def test_registered_under_html() -> None:
    assert exporters.get("html") is WebPage
    assert "screen.css" in WebPage.style_files and "article.html.j2" in WebPage.style_files


def test_standalone_page_with_metadata(page: bytes) -> None:
    doc = parse(page)
    assert page.startswith(b"<!DOCTYPE html>")
    assert doc.first("html")["lang"] == "en-GB"
    metas = {m.get("name"): m.get("content") for m in doc.all("meta") if m.get("name")}
    assert metas["author"] == "Lancashire Constabulary"
    assert metas["keywords"] == "Lancashire"
    assert metas["description"].startswith("The inspectorate found")
    assert "<title>Significant improvements in child protection</title>" in page.decode()
    # the screen CSS is inside the page
    assert (default_dir() / "screen.css").read_text().strip()[:60] in page.decode()


def test_no_external_requests(page: bytes) -> None:
    doc = parse(page)
    for tag, attrs in doc.tags:
        assert tag not in {"link", "script", "img", "iframe", "object"}
        assert "src" not in attrs
    csp = next(m for m in doc.all("meta") if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp["content"]
    style = page.decode().split("<style>")[1].split("</style>")[0]
    assert "@import" not in style and not re.search(r"url\(\s*['\"]?(https?:|//)", style)


def test_semantic_outline(page: bytes) -> None:
    doc = parse(page)
    assert [t for t, _ in doc.tags].count("main") == 1
    assert doc.headings == [
        (1, "Significant improvements in child protection"),
        (2, "What the inspectors found"),
        (3, "Areas to improve"),
        (2, "Background"),
    ]
    assert doc.first("time")["datetime"] == "2019-04-11T15:22:00+01:00"
    assert doc.first("ol")["start"] == "3"
    assert doc.first("aside")["aria-label"] == "Summary"
    article = doc.first("article")
    assert any(attrs.get("id") == article["aria-labelledby"] for _, attrs in doc.tags)
    text = " ".join("".join(doc.text).split())
    assert "Quoted: Deputy Chief Constable Sunita Gamblin, Clive Grunshaw" in text
    hrefs = [a["href"] for a in doc.all("a")]
    assert fixture_article("briefing").meta.url in hrefs


def test_quote_is_a_figure_with_its_speaker(page: bytes) -> None:
    html = page.decode()
    quote = html[html.index('<figure class="quote">'):]
    quote = quote[: quote.index("</figure>")]
    assert "<blockquote>" in quote and "I’m really pleased" in quote
    assert "<figcaption>Deputy Chief Constable Sunita Gamblin</figcaption>" in quote


def test_same_page_as_the_pdf(page: bytes) -> None:
    """The HTML page is the PDF's page plus screen CSS: the bodies are the same markup, but
    for the addresses print adds as footnotes to links whose words are not their address."""
    printed = Pages(Styles()).article(fixture_article("briefing"), medium="print")

    def body(html: str) -> str:
        return html[html.index("<main>"): html.index("</main>")]

    notes = re.compile(r'<span class="footnote">[^<]*</span>')
    assert len(notes.findall(printed)) == 1
    assert body(page.decode()) == notes.sub("", body(printed))


def test_bundle_page_with_contents() -> None:
    articles = many_articles(12)
    data = WebPage(TitledOptions(title="Weekly briefing")).export_bundle(articles)
    doc = parse(data)
    ids = [attrs["id"] for _, attrs in doc.tags if attrs.get("id")]
    assert len(ids) == len(set(ids))
    targets = [a["href"] for a in doc.all("a") if a["href"].startswith("#")]
    assert len(targets) == 2 * 12 and all(t[1:] in ids for t in targets)  # "At a glance" and contents
    levels = [level for level, _ in doc.headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert doc.headings[0] == (1, "Weekly briefing")
    areas = [t for level, t in doc.headings if level == 2 and t not in ("Contents", "At a glance")]
    assert areas == ["Avon and Somerset", "Cumbria", "Essex", "Lancashire", "North Wales"]
    headlines = [a for a in doc.all("h3") if a.get("class") == "headline"]
    assert len(headlines) == 12


def test_remote_images_never_included() -> None:
    article = fixture_article("briefing")
    assert article.meta.image
    assert b"<img" not in WebPage(TitledOptions()).export(article)
    # not even when asked: a web page has no such option (the PDF has)
    assert "fetch_images" not in WebPage.options_class.settings()
    assert b"<img" not in convert.export(article, "html", fetch_images=True)


def test_empty_bundle_is_an_error() -> None:
    with pytest.raises(ExportError):
        WebPage(TitledOptions()).export_bundle([])


def test_user_stylesheet_may_not_close_the_style_element(tmp_path) -> None:
    (tmp_path / "screen.css").write_text("body { color: red } </style><script>x()</script>")
    with pytest.raises(ExportError, match="</style"):
        WebPage(TitledOptions(styles=tmp_path))


def test_library_api() -> None:
    data = convert.export(fixture_article("scripts"), "html")
    text = " ".join("".join(parse(data).text).split())
    assert "ŵ ŷ Ŵ Ŷ" in text and "王小明" in text
    assert "\x00" not in data.decode() and "\x07" not in data.decode()
