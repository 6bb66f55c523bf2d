"""The PDF briefing, read back with pypdf and checked with qpdf: content, metadata, bookmarks, packs."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from pdf_support import (
    fixture_article,
    many_articles,
    outline,
    qpdf_check,
    reader,
    text,
)
from testpaths import SEED

import convert
from convert import exporters
from convert.exporters import ExportError
from convert.exporters.web.pdf import NEARLY_EMPTY, Briefing, PdfOptions, font_config, last_page_share

pytest_plugins = ("pdf_guards",)  # the no_network and weasyprint_errors fixtures
pytestmark = pytest.mark.usefixtures("no_network", "weasyprint_errors")



@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return Briefing(PdfOptions())


@pytest.fixture(scope="module")
def article_pdf(briefing: Briefing) -> bytes:
    return briefing.export(fixture_article("briefing"))


@pytest.fixture(scope="module")
def pack() -> tuple[list, bytes]:
    articles = many_articles(40)
    return articles, Briefing(PdfOptions(title="Weekly briefing")).export_bundle(articles)


def test_registered_under_pdf() -> None:
    assert exporters.get("pdf") is Briefing
    assert {"briefing.css", "article.html.j2", "bundle.html.j2"} <= set(Briefing.style_files)


def test_article_text(article_pdf: bytes, tmp_path: Path) -> None:
    qpdf_check(article_pdf, tmp_path)
    body = text(article_pdf)
    for expected in (
        "Significant improvements in child protection",  # headline
        "LANCASHIRE CONSTABULARY",  # the label, set in capitals by the CSS
        "Thursday 11 April 2019, 15:22",  # the date written out
        "https://www.lancashire.police.uk/news/2019/april/significant-improvements-in-child-protection/",
        "Quoted: Deputy Chief Constable Sunita Gamblin, Clive Grunshaw",
        "The inspectorate found the force had taken significant steps",  # summary box
        "Introducing child protection coaches",  # a bullet
        "Children who go missing",  # an ordered item
        "I’m really pleased with the findings of the report",  # the quote ...
        "— Deputy Chief Constable Sunita Gamblin",  # ... with its speaker
        "What the inspectors found",
        "Call 101 with information.",
    ):
        assert expected in body, expected
    assert re.search(r"Page 1 of 1\b", body)


def test_article_metadata(article_pdf: bytes) -> None:
    pdf = reader(article_pdf)
    meta = pdf.metadata
    assert meta.title == "Significant improvements in child protection"
    assert meta.author == "Lancashire Constabulary"
    assert meta.subject.startswith("The inspectorate found the force")
    assert meta["/Keywords"] == "Lancashire"
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_author_falls_back_to_area(briefing: Briefing) -> None:
    article = fixture_article("briefing")
    article = convert.Article(convert.Meta(**{**_meta_fields(article), "publisher": None}), article.blocks)
    assert reader(briefing.export(article)).metadata.author == "Lancashire"


def _meta_fields(article: convert.Article) -> dict:
    return {f: getattr(article.meta, f) for f in article.meta.__dataclass_fields__}


def test_article_bookmarks_nest_headings_under_headline(article_pdf: bytes) -> None:
    assert [(d, t) for d, t, _ in outline(article_pdf)] == [
        (0, "Significant improvements in child protection"),
        (1, "What the inspectors found"),
        (2, "Areas to improve"),
        (1, "Background"),
    ]


def test_article_links_are_clickable(article_pdf: bytes) -> None:
    uris = {
        annot.get_object()["/A"]["/URI"]
        for page in reader(article_pdf).pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object()
    }
    assert fixture_article("briefing").meta.url in uris
    assert "https://www.justiceinspectorates.gov.uk/hmicfrs/" in uris


def test_summary_repeating_first_paragraph_is_not_boxed(briefing: Briefing) -> None:
    article = fixture_article("briefing")
    first = "LANCASHIRE Constabulary has welcomed the significant improvements"
    article = convert.Article(convert.Meta(**{**_meta_fields(article), "summary": first}), article.blocks)
    data = briefing.export(article)
    assert "Summary" not in text(data)
    assert reader(data).metadata.subject == first  # still the PDF's subject


def test_real_seed(briefing: Briefing, tmp_path: Path) -> None:
    article = convert.load(SEED)
    data = briefing.export(article)
    qpdf_check(data, tmp_path)
    body = text(data)
    assert "Significant improvements in child protection" in body
    assert "Thursday 11 April 2019" in body
    assert "Introducing child protection coaches" in body
    assert re.search(r"Page 1 of 2\b", body) and re.search(r"Page 2 of 2\b", body)
    assert len(reader(data).pages) == 2


def test_scripts_and_long_tokens(briefing: Briefing, tmp_path: Path) -> None:
    data = briefing.export(fixture_article("scripts"))
    qpdf_check(data, tmp_path)
    body = text(data)
    for expected in ("ŵ ŷ Ŵ Ŷ", "Siân Ó Súilleabháin", "Łódź", "Dvořák", "王小明"):
        assert expected in body
    assert "abcde" in body  # control characters dropped, the letters kept


def test_only_the_named_fonts_are_used(briefing: Briefing) -> None:
    """Latin text (Welsh ŵ ŷ included) is set in Noto Serif/Sans; other scripts in the few
    fallbacks the CSS names. A surprise font would mean a missing glyph or a fallback search."""
    data = briefing.export(fixture_article("scripts"))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for page in reader(data).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"Noto-Serif", "Noto-Sans-Bold"} <= fonts
    allowed = re.compile(r"Noto-(Serif|Sans)(-Bold|-Italic|-BoldItalic)?|Noto-Naskh-Arabic|Noto-Sans-Arabic"
                         r"|Noto-(Serif|Sans)-CJK-SC|Noto-Sans-Symbols2|Noto-Color-Emoji")
    assert all(allowed.fullmatch(f) for f in fonts), fonts


def test_long_tokens_stay_on_the_page(briefing: Briefing) -> None:
    """A 400-character URL wraps: every character is drawn inside the page's text area."""
    data = briefing.export(fixture_article("scripts"))
    for page in reader(data).pages:
        width = float(page.mediabox.width)
        xs: list[float] = []

        def visit(text_: str, cm, tm, font, size, xs=xs) -> None:
            if text_.strip():
                xs.append(tm[4] * cm[0] + cm[4])

        page.extract_text(visitor_text=visit)
        assert xs and max(xs) < width - 40  # 20 mm right margin is ~57 pt


def test_bundle_pages_bookmarks_and_contents(pack: tuple[list, bytes], tmp_path: Path) -> None:
    articles, data = pack
    qpdf_check(data, tmp_path)
    pdf = reader(data)
    assert len(pdf.pages) >= 41
    marks = outline(data)
    headlines = [t for d, t, _ in marks if d == 1]
    assert len(headlines) == 40
    assert sorted(headlines) == sorted(a.meta.headline for a in articles)
    areas = [t for d, t, _ in marks if d == 0 and t not in ("Contents", "At a glance")]
    assert areas == ["Avon and Somerset", "Cumbria", "Essex", "Lancashire", "North Wales"]
    # every article starts on a page of its own, in the order of the contents
    pages = [p for d, _, p in marks if d == 1]
    assert pages == sorted(pages) and len(set(pages)) == 40


def test_bundle_contents_lists_page_numbers(pack: tuple[list, bytes]) -> None:
    _, data = pack
    pdf = reader(data)
    start = {t: p + 1 for d, t, p in outline(data) if d == 1}
    first_article = min(start.values()) - 1
    # layout mode reads the page top to bottom, as printed: date, headline, leader, number
    contents = "\n".join(pdf.pages[i].extract_text(extraction_mode="layout") for i in range(1, first_article))
    assert "Contents" in contents
    for headline, page in start.items():
        assert re.search(re.escape(headline) + r" *\.{5,} *" + str(page) + r"$", contents, re.M), headline


def test_bundle_cover_and_running_header(pack: tuple[list, bytes]) -> None:
    _, data = pack
    pdf = reader(data)
    cover = " ".join((pdf.pages[0].extract_text() or "").split())
    assert "Weekly briefing" in cover
    assert "1 April 2019 – 31 May 2019" in cover
    assert "Avon and Somerset, Cumbria, Essex, Lancashire, North Wales" in cover
    assert "40" in cover
    assert "Page" not in cover  # no running header or footer on the cover
    for depth, headline, page in outline(data):
        if depth == 1:
            page_text = " ".join((pdf.pages[page].extract_text() or "").split())
            assert page_text.count(headline) >= 2  # in the running header and as the title
            assert re.search(rf"Page {page + 1} of {len(pdf.pages)}\b", page_text)
    assert pdf.metadata.title == "Weekly briefing"
    assert "Essex" in pdf.metadata["/Keywords"]


def test_bundle_default_title(briefing: Briefing) -> None:
    data = briefing.export_bundle(many_articles(2))
    assert reader(data).metadata.title == "Briefing pack"


def test_empty_bundle_is_an_error(briefing: Briefing) -> None:
    with pytest.raises(ExportError):
        briefing.export_bundle([])


@pytest.mark.parametrize(
    ("variant", "marker"),
    [("pdf/a-3u", b'pdfaid:part="3" pdfaid:conformance="U"'), ("pdf/ua-1", b'pdfuaid:part="1"')],
)
def test_pdf_variant_is_applied(variant: str, marker: bytes, tmp_path: Path) -> None:
    data = Briefing(PdfOptions(variant=variant)).export(fixture_article("briefing"))
    qpdf_check(data, tmp_path)
    root = reader(data).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert marker in xmp
    if variant.startswith("pdf/ua"):
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
    else:
        assert "/OutputIntents" in root


def test_unknown_variant_is_refused() -> None:
    with pytest.raises(ExportError, match="unknown PDF variant"):
        Briefing(PdfOptions(variant="pdf/z-9"))


def test_one_font_configuration_per_process() -> None:
    assert Briefing(PdfOptions()).fonts is Briefing(PdfOptions(title="x")).fonts is font_config()


def test_warns_once_without_harfbuzz_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    from convert.exporters.web import pdf

    monkeypatch.setattr(pdf, "_warned_subset", False)
    monkeypatch.setattr(pdf, "SUBSETTER_NAMES", ("libno-such-harfbuzz-subset.so.0",))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Briefing(PdfOptions())
        Briefing(PdfOptions())
    assert len([w for w in caught if "harfbuzz-subset" in str(w.message)]) == 1


def test_the_subsetter_is_found_where_the_set_up_installs_it() -> None:
    from convert.exporters.web import pdf

    assert pdf.has_subsetter()  # `make install` puts libharfbuzz-subset0 there
    assert not pdf.has_subsetter(("libno-such-harfbuzz-subset.so.0",))


def test_library_api(tmp_path: Path) -> None:
    dest = tmp_path / "out.pdf"
    data = convert.export(fixture_article("briefing"), "pdf", dest=dest)
    assert dest.read_bytes() == data and data.startswith(b"%PDF-")


def test_user_styles_folder_changes_page_size(tmp_path: Path) -> None:
    from convert.styles import default_dir

    css = (default_dir() / "briefing.css").read_text() + "\n@page { size: A5 landscape }\n"
    (tmp_path / "briefing.css").write_text(css)
    data = Briefing(PdfOptions(styles=tmp_path)).export(fixture_article("briefing"))
    box = reader(data).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 420)


def _article_of(paragraphs: int) -> convert.Article:
    line = "officers were called to the road at about ten in the evening and found the driver unhurt."
    body = "\n\n".join(f"Paragraph {n:02d}: {line}" for n in range(1, paragraphs + 1))
    seed = f"```yaml\narea: Kent\ntitle: Driver found unhurt\nurl: https://example.org/news/1\n```\n\n{body}\n"
    return convert.loads(seed, "spill.md")


def _spilling(briefing: Briefing, want: Callable[[float], bool]) -> tuple[convert.Article, int]:
    """An article whose plain layout runs onto a last page filled to a share `want` accepts,
    and its page count when laid out without the snug second try."""
    for paragraphs in range(10, 80):
        article = _article_of(paragraphs)
        html = briefing.pages.article(article, medium="print")
        document = briefing._lay_out(html, briefing.css, briefing.fetcher)
        if len(document.pages) >= 2 and want(last_page_share(document)):
            return article, len(document.pages)
    raise AssertionError("no paragraph count gives such a last page")


def test_a_nearly_empty_last_page_is_pulled_back(briefing: Briefing) -> None:
    article, plain_pages = _spilling(briefing, lambda share: share < NEARLY_EMPTY)
    data = briefing.export(article)
    assert len(reader(data).pages) == plain_pages - 1
    every = text(data)
    for block in article.blocks:  # nothing lost on the way: every paragraph is printed
        assert block.inlines[0].text[:13] in every  # type: ignore[attr-defined]


def test_a_fuller_last_page_is_laid_out_once(briefing: Briefing) -> None:
    article, plain_pages = _spilling(briefing, lambda share: 0.3 < share < 0.6)
    html = briefing.pages.article(article, medium="print")
    assert briefing.export(article) == briefing.render(html, [article])  # the plain layout, as is
    assert len(reader(briefing.export(article)).pages) == plain_pages


def test_snug_styles_are_a_style_file(tmp_path: Path) -> None:
    assert "snug.css" in Briefing.style_files  # a change to it rebuilds briefings
    (tmp_path / "snug.css").write_text("/* nothing: never tighter */\n")
    mine = Briefing(PdfOptions(styles=tmp_path))
    article, plain_pages = _spilling(mine, lambda share: share < NEARLY_EMPTY)
    assert len(reader(mine.export(article)).pages) == plain_pages


def test_a_long_briefing_is_not_laid_out_twice(briefing: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    article, plain_pages = _spilling(briefing, lambda share: share < NEARLY_EMPTY)
    monkeypatch.setattr("convert.exporters.web.pdf.SNUG_PAGES", plain_pages - 1)  # "long" now
    assert len(reader(briefing.export(article)).pages) == plain_pages
