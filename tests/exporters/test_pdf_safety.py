"""Hostile seeds through the PDF and HTML formats: nothing runs, nothing is read, nothing is fetched."""

from __future__ import annotations

import base64
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pdf_support import (
    FIXTURES,
    RecordingFetcher,
    fixture_article,
    qpdf_check,
    reader,
    text,
)

import convert
from convert.exporters import TitledOptions
from convert.exporters.shared.typography import curl
from convert.exporters.web.fetch import RefusedURL, SafeFetcher
from convert.exporters.web.html import WebPage
from convert.exporters.web.pages import Pages
from convert.exporters.web.pdf import Briefing, PdfOptions
from convert.model import Article, Link, Meta, Paragraph, Quote, Text
from convert.styles import Styles, default_dir

pytest_plugins = ("pdf_guards",)  # the no_network and weasyprint_errors fixtures
pytestmark = pytest.mark.usefixtures("no_network", "weasyprint_errors")

HOSTILE = sorted((FIXTURES / "hostile").glob("*.txt"))
PASSWD = Path("/etc/passwd").read_text().splitlines()[0]  # "root:x:0:0:..."
JINJA = "{{ 7*7 }}"
EVIL = (
    "<script>alert(1)</script> <img src=\"file:///etc/passwd\"> "
    "<link rel=\"attachment\" href=\"file:///etc/passwd\"> "
    "<link rel=stylesheet href=\"http://127.0.0.1:9/x.css\"> " + JINJA + " {% raw %} {# x #}"
)


def hostile_model() -> Article:
    """Every text field of the model carries markup and template syntax."""
    meta = Meta(
        headline="Headline " + EVIL,
        area="Area " + EVIL,
        url="javascript:alert(1)",
        publisher="Publisher " + EVIL,
        summary="Summary " + EVIL,
        image="file:///etc/passwd",
        speakers=("Speaker " + EVIL,),
    )
    blocks = (
        Paragraph((Text("Body " + EVIL),)),
        Paragraph((Link("javascript:alert(2)", (Text("js link"),)), Link("file:///etc/passwd", ())),),
        Quote((Paragraph((Text(EVIL),)),), speaker="Quoted " + EVIL),
    )
    return Article(meta, blocks)


def uncompressed(data: bytes, tmp_path: Path) -> bytes:
    """The PDF with every stream decompressed (qpdf --qdf), to search its whole content."""
    src, dst = tmp_path / "in.pdf", tmp_path / "qdf.pdf"
    src.write_bytes(data)
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(src), str(dst)], check=True)
    return dst.read_bytes()


def assert_inert(data: bytes, tmp_path: Path) -> None:
    """No scripts, actions that launch things, attachments, or local file content in a PDF."""
    qpdf_check(data, tmp_path)
    raw = uncompressed(data, tmp_path)
    for name in (b"/JavaScript", b"/JS", b"/EmbeddedFiles", b"/EmbeddedFile", b"/FileAttachment",
                 b"/Launch", b"/SubmitForm", b"/ImportData", b"/RichMedia", b"/Subtype /Image"):
        assert name not in raw, name
    assert PASSWD.encode() not in raw
    assert b"root:x:0:0" not in raw
    for page in reader(data).pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            if "/A" not in annot:
                assert "/Dest" in annot  # a contents entry: a link inside the document
                continue
            assert annot["/A"]["/S"] == "/URI"
            assert str(annot["/A"]["/URI"]).startswith(("http://", "https://", "mailto:", "tel:"))


def fetching_briefing(options: PdfOptions = PdfOptions()) -> tuple[Briefing, RecordingFetcher]:  # noqa: B008
    exporter = Briefing(options)
    exporter.fetcher = RecordingFetcher(exporter.roots)
    return exporter, exporter.fetcher


def served_only_from_styles(fetcher: RecordingFetcher, roots: tuple[Path, ...]) -> None:
    allowed = tuple(r.as_uri() + "/" for r in roots)
    for url, served in fetcher.asked:
        if served:
            assert url.startswith(("data:", *allowed)), url


@pytest.mark.parametrize("seed", HOSTILE, ids=lambda p: p.name)
def test_hostile_seed_pdf_is_inert(seed: Path, tmp_path: Path) -> None:
    exporter, fetcher = fetching_briefing()
    data = exporter.export(convert.load(seed))
    assert_inert(data, tmp_path)
    served_only_from_styles(fetcher, exporter.roots)


def test_hostile_seed_text_is_printed_literally() -> None:
    article = convert.load(FIXTURES / "hostile" / "markup.txt")
    body = text(Briefing(PdfOptions()).export(article))
    assert body.count(JINJA) >= 4  # title, area, summary, body (and more)
    assert not re.search(r"\b49\b", body)  # never evaluated
    assert "{% if true %}jinja{% endif %}" in body
    # printed as written, its quotes typeset like any other text's
    assert "<script>alert(‘body’)</script>" in body
    assert "<img src=“file:///etc/passwd”>" in body
    assert "<link rel=“attachment” href=“file:///etc/passwd”>" in body


def test_hostile_model_pdf(tmp_path: Path) -> None:
    exporter, fetcher = fetching_briefing()
    data = exporter.export(hostile_model())
    assert_inert(data, tmp_path)
    served_only_from_styles(fetcher, exporter.roots)
    body = text(data)
    assert body.count(JINJA) >= 6
    assert "<script>alert(1)</script>" in body
    meta = reader(data).metadata
    # the title is the headline as printed (typeset: its quotes curled)
    assert meta.title == "Headline " + curl(EVIL) and meta.author == "Publisher " + EVIL


def test_hostile_bundle_pdf(tmp_path: Path) -> None:
    exporter, fetcher = fetching_briefing(PdfOptions(title="Pack " + EVIL))
    articles = [hostile_model(), *(convert.load(p) for p in HOSTILE)]
    data = exporter.export_bundle(articles)
    assert_inert(data, tmp_path)
    served_only_from_styles(fetcher, exporter.roots)
    assert reader(data).metadata.title == "Pack " + EVIL


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)


@pytest.mark.parametrize("bundle", [False, True])
def test_hostile_html_has_no_active_content(bundle: bool) -> None:
    exporter = WebPage(TitledOptions())  # no fetch_images: a page never includes remote images
    articles = [hostile_model(), *(convert.load(p) for p in HOSTILE)]
    page = (exporter.export_bundle(articles) if bundle else exporter.export(articles[0])).decode()
    parsed = Tags()
    parsed.feed(page)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "img", "link", "iframe", "object", "embed", "base", "form"}
    assert [t for t, _ in parsed.tags].count("style") == 1  # ours, inline
    for _, attrs in parsed.tags:
        href = attrs.get("href")
        if href:
            assert href.startswith(("https://", "http://", "#")), href
        assert not any(name.startswith("on") for name in attrs)
    assert JINJA in "".join(parsed.data)
    assert "&lt;script&gt;" in page


def test_fetch_images_off_means_no_image() -> None:
    article = convert.load(FIXTURES / "hostile" / "hostile-urls.txt")
    assert article.meta.image
    assert "<img" not in Pages(Styles()).article(article, medium="print")


def test_fetch_images_on_allows_that_image_only() -> None:
    article = convert.load(FIXTURES / "hostile" / "hostile-urls.txt")
    html = Pages(Styles(), fetch_images=True).article(article, medium="print")
    assert f'<img src="{article.meta.image}"' in html
    fetcher = SafeFetcher(Styles().roots(), remote=[article.meta.image])
    with pytest.raises(RefusedURL):
        fetcher.fetch("http://127.0.0.1:9/other.jpg")
    # a file: og:image is never an image, even when images are on
    local = Article(Meta("h", "a", "https://example.org/", image="file:///etc/passwd"))
    assert "<img" not in Pages(Styles(), fetch_images=True).article(local, medium="print")


# --- the url_fetcher itself ----------------------------------------------------------


@pytest.fixture
def styles(tmp_path: Path) -> Path:
    folder = tmp_path / "styles"
    folder.mkdir()
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    (folder / "escape.txt").symlink_to("/etc/passwd")
    return folder


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "file://otherhost/etc/passwd",
        "gopher://127.0.0.1:9/",
    ],
)
def test_fetcher_refuses(url: str, styles: Path) -> None:
    with pytest.raises(RefusedURL):
        SafeFetcher([styles]).fetch(url)


def test_fetcher_refuses_escapes_from_the_styles_folder(styles: Path) -> None:
    fetcher = SafeFetcher([styles])
    with pytest.raises(RefusedURL):
        fetcher.fetch(styles.as_uri() + "/../../../../etc/passwd")
    with pytest.raises(RefusedURL):
        fetcher.fetch((styles / "escape.txt").as_uri())  # a symlink pointing out


def test_fetcher_serves_styles_and_data(styles: Path) -> None:
    fetcher = SafeFetcher([styles])
    response = fetcher.fetch((styles / "logo.svg").as_uri())
    assert response.read().startswith(b"<svg") and response.content_type == "image/svg+xml"
    data = "data:text/plain;base64," + base64.b64encode(b"hello").decode()
    assert fetcher.fetch(data).read() == b"hello"


def test_user_styles_can_use_their_own_files_only(
    styles: Path, tmp_path: Path, weasyprint_errors: list
) -> None:
    css = (default_dir() / "briefing.css").read_text() + """
      .masthead { background: url(logo.svg) no-repeat; }
      .summary { background: url(file:///etc/passwd); }
      .body { background: url(http://127.0.0.1:9/x.png); }
    """
    (styles / "briefing.css").write_text(css)
    exporter, fetcher = fetching_briefing(PdfOptions(styles=styles))
    data = exporter.export(fixture_article("briefing"))
    qpdf_check(data, tmp_path)
    asked = dict(fetcher.asked)
    assert asked[(styles / "logo.svg").resolve().as_uri()] is True
    assert asked["file:///etc/passwd"] is False
    assert asked["http://127.0.0.1:9/x.png"] is False
    served_only_from_styles(fetcher, exporter.roots)
    assert PASSWD.encode() not in uncompressed(data, tmp_path)
    weasyprint_errors.clear()  # the two refusals are logged as errors, as they should be


def test_the_guards_catch_a_plain_weasyprint(no_network: list, weasyprint_errors: list) -> None:
    """Without our fetcher WeasyPrint would connect: proof that the guards above are not idle."""
    from weasyprint import HTML

    HTML(string='<link rel=stylesheet href="http://127.0.0.1:9/x.css"><p>x</p>').write_pdf()
    assert no_network, "the socket guard saw nothing"
    assert any("127.0.0.1:9" in r.getMessage() for r in weasyprint_errors)
    no_network.clear()
    weasyprint_errors.clear()
