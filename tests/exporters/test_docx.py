"""The Word exporter, read back with python-docx: styles, lists, links, fields, metadata, packs."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Cm
from docx_support import (
    article,
    field_codes,
    hyperlink_targets,
    no_network,  # noqa: F401  (fixture)
    pack,
    part_names,
    part_xml,
    read,
    schema_order_problems,
    styled,
)
from lxml import etree
from reference_docx import main
from testpaths import FIXTURES, SEED

import convert
from convert import exporters
from convert.collate import by_area
from convert.exporters import ExportError, TitledOptions
from convert.exporters.docx import WordDocument
from convert.model import Article, Heading, Link, ListBlock, Meta, Paragraph, Quote, Text
from convert.styles import default_dir

pytestmark = pytest.mark.usefixtures("no_network")

CALLOUT = FIXTURES / "callout"
URL = "https://www.lancashire.police.uk/news/2019/april/significant-improvements-in-child-protection/"


@pytest.fixture(scope="module")
def word() -> WordDocument:
    return WordDocument(TitledOptions())


@pytest.fixture(scope="module")
def data(word: WordDocument) -> bytes:
    return word.export(article())


@pytest.fixture(scope="module")
def doc(data: bytes) -> docx.document.Document:
    return read(data)


@pytest.fixture(scope="module")
def bundle(word: WordDocument) -> tuple[list[Article], bytes]:
    articles = pack(12)
    return articles, WordDocument(TitledOptions(title="Weekly child protection pack")).export_bundle(articles)


def test_registered_under_docx() -> None:
    assert exporters.get("docx") is WordDocument
    assert WordDocument.extension == "docx"
    assert WordDocument.style_files == ("reference.docx",)


# --- styles -------------------------------------------------------------------------------


def test_headline_summary_byline_styles(doc) -> None:
    paras = styled(doc)
    assert paras[0] == ("Title", "Significant improvements in child protection")
    assert paras[1][0] == "Subtitle" and paras[1][1].startswith("The inspectorate found")
    style, text = paras[2]
    assert style == "Byline"
    assert "Lancashire Constabulary" in text and "Thursday 11 April 2019, 15:22" in text
    assert URL in text and "Quoted: Deputy Chief Constable Sunita Gamblin" in text


def test_body_heading_levels(doc) -> None:
    headings = [(s, t) for s, t in styled(doc) if s.startswith("Heading")]
    assert headings == [
        ("Heading 2", "What the inspectors found"),
        ("Heading 3", "Where the force will improve"),
        ("Heading 4", "Links"),
    ]


def test_bullets_use_list_bullet_styles(doc) -> None:
    paras = styled(doc)
    top = [t for s, t in paras if s == "List Bullet"]
    nested = [t for s, t in paras if s == "List Bullet 2"]
    assert top == [
        "Providing further training for all frontline officers",
        "Introducing child protection coaches",
        "Rolling out the ‘Think Child’ awareness campaign",
    ]
    assert nested == ["Coaches in every district", "Coaches in custody suites"]


def test_numbered_lists_restart(doc) -> None:
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered][:2] == ["Children detained in custody", "Children who go missing"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    # three lists of 3, 2 and 2 items: one w:num each, items of a list share it
    assert len(set(ids)) == 3
    assert ids[0] == ids[1] == ids[2] and ids[3] == ids[4] and ids[5] == ids[6]
    numbering = doc.part.numbering_part.element
    starts = {}
    for num in numbering.iter(qn("w:num")):
        override = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        if override is not None:
            starts[num.get(qn("w:numId"))] = int(override.get(qn("w:val")))
    assert [starts[str(i)] for i in dict.fromkeys(ids)] == [1, 1, 7]
    # ... and every new w:num is an instance of the list definition behind the List Number style
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract = {n.get(qn("w:numId")): n.find(qn("w:abstractNumId")).get(qn("w:val"))
                for n in numbering.iter(qn("w:num"))}
    assert {abstract[str(i)] for i in ids} == {abstract[str(style_num)]}


def test_quote_speaker_and_rule(doc) -> None:
    paras = styled(doc)
    i = paras.index(("Quote", "I’m really pleased with the findings of the report."))
    assert paras[i + 1] == ("Speaker", "— Deputy Chief Constable Sunita Gamblin")
    assert paras[i + 2] == ("Rule", "")


def test_bold_italic_are_run_properties(doc) -> None:
    runs = {r.text: r for p in doc.paragraphs for r in p.runs}
    assert runs["significant improvements"].bold is True
    assert runs["protects children"].italic is True
    assert runs["LANCASHIRE Constabulary has welcomed the "].bold is None


def test_line_break_is_a_real_break(doc) -> None:
    p = next(p for p in doc.paragraphs if p.text.startswith("Call 101"))
    assert p._p.findall(f".//{qn('w:br')}")
    # the number is kept on one line (no-break spaces, from the editorial view)
    assert p.text == "Call 101 with information.\nOr Crimestoppers on 0800\u00a0555\u00a0111."


def test_hyperlinks_are_real_and_only_safe_schemes(doc) -> None:
    assert hyperlink_targets(doc) == [
        URL,
        "https://www.justiceinspectorates.gov.uk/hmicfrs/",
        "mailto:press@lancashire.police.uk",
    ]
    links = list(doc.element.body.iter(qn("w:hyperlink")))
    for link in links:
        run_style = link.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:rStyle')}")
        assert doc.styles.element.get_by_id(run_style.get(qn("w:val"))).name_val == "Hyperlink"
    p = next(p for p in doc.paragraphs if p.text.startswith("Read "))
    # javascript: and file: links stay as their text, with no link around it
    assert "not a script link nor a file link." in p.text
    assert "javascript" not in str(doc.part.rels.values()) and "file:" not in str(
        [r.target_ref for r in doc.part.rels.values() if r.is_external]
    )


def test_hyperlink_style_is_blue_and_underlined(doc) -> None:
    style = doc.styles["Hyperlink"]
    assert style.type == docx.enum.style.WD_STYLE_TYPE.CHARACTER
    assert style.font.underline is True
    assert str(style.font.color.rgb) == "0563C1"


def test_hostile_text_is_literal(doc) -> None:
    text = "\n".join(p.text for p in doc.paragraphs)
    # printed as written, its quotes typeset like any other
    assert "<script>alert(‘x’)</script> and {{ 7*7 }} and {% if x %}y{% endif %}" in text
    assert "49" not in text


def test_other_scripts_survive(doc) -> None:
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Siân Ŵyn, Seán Ó Briain, محمد علي, 王小明 🚓" in text


# --- page, header, footer, metadata ---------------------------------------------------------


def test_page_is_a4_from_the_reference(doc) -> None:
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.05)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.05)
    assert abs(section.left_margin - Cm(2.5)) < Cm(0.05)


def test_header_has_area_and_date(doc) -> None:
    header = doc.sections[0].header
    assert not header.is_linked_to_previous
    assert header.paragraphs[0].text.split() == ["Lancashire", "Thursday", "11", "April", "2019,", "15:22"]


def test_footer_has_page_and_numpages_fields(doc) -> None:
    footer = doc.sections[0].footer
    assert field_codes(footer._element) == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("Page ")
    assert " of " in footer.paragraphs[0].text


def test_core_properties(doc) -> None:
    props = doc.core_properties
    assert props.title == "Significant improvements in child protection"
    assert props.author == "Lancashire Constabulary"
    assert props.subject.startswith("The inspectorate found the force")
    assert props.keywords == "Lancashire"
    assert props.last_modified_by == "convert"
    assert props.language == "en-GB"
    assert props.comments == ""
    assert props.created == datetime(2019, 4, 11, 14, 22, tzinfo=UTC)  # 15:22 BST
    assert (datetime.now(UTC) - props.modified).total_seconds() < 3600


@pytest.mark.parametrize("published", [None, "dated"])
def test_never_the_templates_author_or_date(word: WordDocument, published) -> None:
    base = article()
    meta = replace(base.meta, publisher=None, published=base.meta.published if published else None)
    data = word.export(Article(meta, base.blocks))
    core = part_xml(data, "docProps/core.xml")
    raw = b"".join(t.text.encode() for t in core.iter() if t.text)
    assert b"python-docx" not in raw and b"2013" not in raw
    props = read(data).core_properties
    assert props.author == "Lancashire"  # no publisher: the area
    if published is None:
        assert (datetime.now(UTC) - props.created).total_seconds() < 3600
    assert "docProps/thumbnail.jpeg" not in part_names(data)


def test_language_en_gb_in_style_defaults(data: bytes) -> None:
    styles = part_xml(data, "word/styles.xml")
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"


def test_xml_follows_schema_order(data: bytes) -> None:
    for name in ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml"):
        assert schema_order_problems(part_xml(data, name)) == [], name


# --- hostile and broken input ----------------------------------------------------------------


def test_control_characters_are_cleaned(word: WordDocument) -> None:
    bad = "\x00\x01\x08\x0b\x0c\x1b\x7f\ufffe\ud800"
    meta = Meta(
        headline=f"Head{bad}line", area=f"Ar{bad}ea", url=f"https://example.org/a{bad}b",
        publisher=f"Pub{bad}lisher", summary=f"Sum{bad}mary", speakers=(f"Spea{bad}ker",),
    )
    blocks = (
        Paragraph((Text(f"Body\ttext{bad} here\nand\rthere"),)),
        Heading(2, (Text(f"Sub{bad}head"),)),
        ListBlock(True, ((Paragraph((Link(f"https://example.org/{bad}", (Text(f"li{bad}nk"),)),)),),)),
        Quote((Paragraph((Text(f"quo{bad}te"),)),), f"Who{bad}ever"),
    )
    data = word.export(Article(meta, blocks))
    doc = read(data)
    texts = [t for _, t in styled(doc)]
    assert texts[0] == "Headline" and texts[1] == "Summary"
    assert "Body text here and there" in texts
    # the caption is the view's (as in every format): a vertical tab or form feed parts words
    assert {"Subhead", "link", "quote", "— Who ever"} <= set(texts)
    assert doc.core_properties.title == "Headline" and doc.core_properties.author == "Publisher"
    assert hyperlink_targets(doc)[0] == "https://example.org/ab"
    bundle = WordDocument(TitledOptions(title=f"Pack{bad}")).export_bundle([Article(meta, blocks)])
    assert read(bundle).core_properties.title == "Pack"


def test_long_token_target_is_untouched(word: WordDocument) -> None:
    url = "https://example.org/" + "a" * 400
    base = article()
    blocks = (Paragraph((Text("Token " + "x" * 400 + " end"), Link(url, (Text(url),)))),)
    doc = read(word.export(Article(replace(base.meta, url=url), blocks)))
    assert hyperlink_targets(doc) == [url, url]
    assert "x" * 400 in doc.paragraphs[-1].text  # display text unchanged too


def test_odd_urls_are_encoded_or_dropped(word: WordDocument) -> None:
    base = article()
    links = [
        "https://example.org/news/{{ 7*7 }}/<script>",
        "HTTPS://EXAMPLE.ORG/Ünïcode path",
        "https://",
        "//example.org/relative",
        " javascript:alert(1)",
        "data:text/html,<b>x</b>",
    ]
    blocks = (Paragraph(tuple(Link(u, (Text(f"link {i}"),)) for i, u in enumerate(links))),)
    doc = read(word.export(Article(replace(base.meta, url="not a url"), blocks)))
    assert hyperlink_targets(doc) == [
        "https://example.org/news/%7B%7B%207*7%20%7D%7D/%3Cscript%3E",
        "HTTPS://EXAMPLE.ORG/%C3%9Cn%C3%AFcode%20path",
    ]
    assert "\nSource: not a url\n" in doc.paragraphs[2].text
    assert doc.paragraphs[-1].text == "".join(f"link {i}" for i in range(len(links)))


def test_deep_lists_and_empty_items(word: WordDocument) -> None:
    inner: ListBlock = ListBlock(False, ((Paragraph((Text("deepest"),)),),))
    for depth in range(40):
        inner = ListBlock(depth % 2 == 0, ((Paragraph((Text(f"level {depth}"),)), inner), ()))
    doc = read(word.export(Article(article().meta, (inner,))))
    styles = [s for s, _ in styled(doc)[3:]]
    assert set(styles) <= {"List Bullet", "List Bullet 2", "List Bullet 3",
                           "List Number", "List Number 2", "List Number 3"}
    assert "deepest" in [p.text for p in doc.paragraphs]


def test_article_without_body(word: WordDocument) -> None:
    doc = read(word.export(Article(Meta(headline="Only a headline", area="Kent", url="https://k.example/"))))
    assert styled(doc)[0] == ("Title", "Only a headline")


# --- the seed ----------------------------------------------------------------------------------


def test_seed_converts(word: WordDocument) -> None:
    doc = read(word.export(convert.load(SEED)))
    paras = styled(doc)
    assert paras[0] == ("Title", "Significant improvements in child protection")
    bullets = [t for s, t in paras if s == "List Bullet"]
    assert bullets == [
        "Providing further training for all frontline officers and staff",
        "Introducing child protection coaches",
        "Rolling out the ‘Think Child’ internal awareness campaign",
        "Improved governance and management systems",
    ]
    assert hyperlink_targets(doc)[0] == URL


# --- the bundle --------------------------------------------------------------------------------


def test_bundle_cover(bundle) -> None:
    _, data = bundle
    paras = styled(read(data))
    assert paras[1] == ("Title", "Weekly child protection pack")
    assert paras[2] == ("Subtitle", "1 April 2019 – 26 May 2019")
    cover = [t for s, t in paras if s == "Cover Note"]
    assert cover[0] == "12 articles from 4 areas"
    assert cover[1] == "Avon and Somerset\u00a0(3), Essex\u00a0(3), Lancashire\u00a0(3), North Wales\u00a0(3)"
    assert cover[2].startswith("Issued ")


def test_bundle_articles_in_area_order_on_new_pages(bundle) -> None:
    articles, data = bundle
    doc = read(data)
    expected = [a.meta.headline for s in by_area(articles) for a in s.articles]
    h1 = [p for p in doc.paragraphs if p.style.name == "Pack Headline"]
    assert [p.text for p in h1] == expected
    firsts = {s.articles[0].meta.headline: s.title for s in by_area(articles)}
    for p in h1:  # every article opens on a new page with its area label; a group's first
        above = p._p.getprevious()  # under the group's heading, which names the area already
        if p.text in firsts:
            assert above.pPr.pStyle.val == doc.styles["Pack Group"].style_id
            assert "".join(t.text for t in above.iter(qn("w:t"))) == firsts[p.text]
            assert above.pPr.pageBreakBefore is not None
        else:
            assert above.pPr.pStyle.val == doc.styles["Kicker"].style_id
            assert above.pPr.pageBreakBefore is not None
    # ... and is a section of its own (new page), with a header naming its area
    sections = doc.sections
    assert len(sections) == 1 + len(articles)
    for section, name in zip(sections[1:], expected, strict=True):
        assert section.start_type == WD_SECTION.NEW_PAGE
        area = next(a.meta.area for a in articles if a.meta.headline == name)
        assert section.header.paragraphs[0].text.startswith(area)
        assert section.footer.is_linked_to_previous  # one "Page X of Y" footer for all


def test_bundle_toc_field_and_update_fields(bundle) -> None:
    articles, data = bundle
    document = part_xml(data, "word/document.xml")
    assert field_codes(document)[0] == 'TOC \\h \\z \\t "Pack Group,1,Pack Headline,2"'
    doc = read(data)
    expected = [e for s in by_area(articles)
                for e in [(1, s.title)] + [(2, a.meta.headline) for a in s.articles]]
    assert toc_entries(doc) == expected
    # each entry links to a bookmark around its heading
    anchors = [h.get(qn("w:anchor")) for h in document.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))]
    marks = {b.get(qn("w:name")) for b in document.iter(qn("w:bookmarkStart"))}
    assert anchors and set(anchors) <= marks
    settings = part_xml(data, "word/settings.xml")
    update = settings.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    assert schema_order_problems(settings) == []
    assert schema_order_problems(document) == []


def toc_entries(doc: docx.document.Document) -> list[tuple[int, str]]:
    """(level, text) of the TOC field's pre-filled entries."""
    levels = {"toc 1": 1, "toc 2": 2}
    return [(levels[p.style.name.casefold()], p.text) for p in doc.paragraphs
            if p.style.name.casefold() in levels]


@pytest.fixture(scope="module")
def grouped() -> list[Article]:
    """Three articles whose groups differ by area and by kind; the first has body headings."""
    appeal = convert.load(CALLOUT / "appeal.md")
    body = (Heading(2, (Text("What happened"),)), *appeal.blocks, Heading(3, (Text("Details"),)),
            Paragraph((Text("More."),)))
    appeal = replace(appeal, blocks=body)
    recruitment = convert.load(CALLOUT / "recruitment.md")
    court = replace(recruitment, meta=replace(recruitment.meta, area="Avonshire", headline="Man jailed",
                                              published=date(2021, 1, 20)),
                    facts=replace(recruitment.facts, kinds=("court",)))
    return [appeal, recruitment, court]


@pytest.mark.parametrize(("group_by", "expected"), [
    ("area", [(1, "Avonshire"), (2, "Man jailed"), (1, "Testshire"),
              (2, "Join our Special Constabulary this spring"),
              (2, "Appeal for witnesses after burglary in Millbrook")]),
    ("kind", [(1, "Appeal"), (2, "Appeal for witnesses after burglary in Millbrook"), (1, "Court"),
              (2, "Man jailed"), (1, "Recruitment"), (2, "Join our Special Constabulary this spring")]),
])
def test_pack_contents_lists_groups_and_headlines_only(grouped, group_by, expected) -> None:
    data = convert.export(grouped, "docx", group_by=group_by)
    doc = read(data)
    assert toc_entries(doc) == expected
    # the body's headings are written (Heading 2, 3) but are in no contents entry
    assert ("Heading 2", "What happened") in styled(doc) and ("Heading 3", "Details") in styled(doc)
    assert not {"What happened", "Details"} & {text for _, text in toc_entries(doc)}
    # The field Word rebuilds on opening names the styles whose outline levels are 1 and 2 and
    # nothing else can reach them: every other paragraph with an outline level sits below.
    document = part_xml(data, "word/document.xml")
    instr = field_codes(document)[0]
    pairs = re.fullmatch(r'TOC \\h \\z \\t "([^"]+)"', instr).group(1).split(",")
    named = {pairs[i]: int(pairs[i + 1]) for i in range(0, len(pairs), 2)}
    assert named == {"Pack Group": 1, "Pack Headline": 2}
    for name, level in named.items():
        assert doc.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            direct = p._p.pPr.find(qn("w:outlineLvl"))
            assert direct is not None and int(direct.get(qn("w:val"))) >= 2, p.text
    assert schema_order_problems(document) == []


@pytest.mark.parametrize(("group_by", "kickers"), [
    ("area", ["TESTSHIRE"]),  # a group's heading is its area: only its second article names it
    ("kind", ["TESTSHIRE", "AVONSHIRE", "TESTSHIRE"]),  # grouped by kind, every article names its area
])
def test_pack_area_label_is_not_repeated_under_its_group(grouped, group_by, kickers) -> None:
    doc = read(convert.export(grouped, "docx", group_by=group_by))
    labels = [p.text.upper() for p in doc.paragraphs if p.style.name == "Kicker"]
    assert labels == ["POLICE PRESS RELEASES", *kickers]  # the cover's, then the articles'


def test_pack_glance_table(grouped) -> None:
    data = convert.export(grouped, "docx", group_by="kind")
    doc = read(data)
    paras = styled(doc)
    # cover, then "At a glance" with its table, then the contents
    titles = [t for s, t in paras if s == "TOC Heading"]
    assert titles == ["At a glance", "Contents"]
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.style.name == "Glance Table"
    body = doc.element.body
    at = next(p for p in doc.paragraphs if p.text == "At a glance")._p
    assert at.getnext() is table._tbl and at.getnext().getnext() is not None
    rows = [tuple(c.text for c in row.cells) for row in table.rows]
    assert rows[0] == ("Date", "Area", "Kind", "Headline", "Quote")
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
    assert rows[1:] == [
        ("Appeal",) * 5,  # a group row: one cell over all five columns
        ("4 Mar 2021", "Testshire", "Appeal", "Appeal for witnesses after burglary in Millbrook",
         "crime reference\u00a037/45092/21"),  # the number kept with its word
        ("Court",) * 5,
        ("20 Jan 2021", "Avonshire", "Court", "Man jailed", ""),
        ("Recruitment",) * 5,
        ("5 Mar 2021", "Testshire", "Recruitment", "Join our Special Constabulary this spring", ""),
    ]
    assert [r._tr.tc_lst[0].grid_span for r in table.rows[1::2]] == [5, 5, 5]
    # each headline links to its article's headline (a bookmark around the Pack Headline)
    marks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    for row in table.rows[2::2]:
        link = row.cells[3]._tc.find(f".//{qn('w:hyperlink')}")
        target = marks[link.get(qn("w:anchor"))]
        assert "".join(t.text for t in target.iter(qn("w:t"))) == row.cells[3].text
        assert target.pPr.pStyle.val == doc.styles["Pack Headline"].style_id
    # the reference is bold, as in the PDF
    assert table.rows[2].cells[4].paragraphs[0].runs[0].bold
    assert schema_order_problems(part_xml(data, "word/document.xml")) == []


def test_bundle_metadata(bundle) -> None:
    _, data = bundle
    props = read(data).core_properties
    assert props.title == "Weekly child protection pack"
    assert props.author == "Lancashire Constabulary"
    assert props.keywords == "Avon and Somerset, Essex, Lancashire, North Wales"
    assert props.last_modified_by == "convert" and props.language == "en-GB"


def test_empty_bundle_has_placeholder_contents(word: WordDocument) -> None:
    data = word.export_bundle([])
    doc = read(data)
    assert "Right-click to update the table of contents." in [p.text for p in doc.paragraphs]
    assert styled(doc)[1] == ("Title", "Briefing pack")


# --- the reference document ---------------------------------------------------------------


def test_shipped_reference_is_what_the_script_builds(tmp_path: Path) -> None:
    assert main([str(tmp_path / "ref.docx")]) == 0
    built, shipped = (tmp_path / "ref.docx").read_bytes(), (default_dir() / "reference.docx").read_bytes()
    # The parts the script writes itself (latent styles come from python-docx's template and may
    # differ between its versions).
    for name in ("word/styles.xml", "word/numbering.xml", "word/settings.xml", "word/document.xml"):
        mine, theirs = part_xml(built, name), part_xml(shipped, name)
        for root in (mine, theirs):
            for latent in root.findall(qn("w:latentStyles")):
                root.remove(latent)
        assert etree.tostring(mine) == etree.tostring(theirs), f"{name}: run `make reference-docx`"
    assert read(shipped).core_properties.author == "convert"


def test_reference_read_once(tmp_path: Path) -> None:
    shutil.copy(default_dir() / "reference.docx", tmp_path / "reference.docx")
    exporter = WordDocument(TitledOptions(styles=tmp_path))
    (tmp_path / "reference.docx").unlink()  # gone: documents come from the copy in memory
    for _ in range(3):
        assert read(exporter.export(article())).paragraphs[0].style.name == "Title"


def test_users_reference_supplies_the_look(tmp_path: Path) -> None:
    """A reference made elsewhere (here: python-docx's own template, US Letter) sets the page
    and its styles; styles it lacks come from the shipped reference."""
    mine = docx.Document()
    mine.styles["Normal"].font.name = "Georgia"
    mine.save(tmp_path / "reference.docx")
    doc = read(WordDocument(TitledOptions(styles=tmp_path)).export(article()))
    assert abs(doc.sections[0].page_width - Cm(21.59)) < Cm(0.05)  # Letter, from the reference
    assert doc.styles["Normal"].font.name == "Georgia"
    paras = styled(doc)
    assert paras[2][0] == "Byline" and "List Number 2" not in [s for s, _ in paras]
    assert [s for s, _ in paras].count("List Bullet") == 3
    assert hyperlink_targets(doc)[0] == URL


def test_unusable_reference_is_an_export_error(tmp_path: Path) -> None:
    (tmp_path / "reference.docx").write_bytes(b"not a zip")
    with pytest.raises(ExportError, match="reference"):
        WordDocument(TitledOptions(styles=tmp_path))


def test_every_part_is_dated_when_the_document_was_made(monkeypatch: pytest.MonkeyPatch) -> None:
    # python-docx dates each ZIP entry by the clock as it writes: the same article and
    # SOURCE_DATE_EPOCH gave other bytes a second later (a flaky "same bytes" check)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 November 2023, 22:13:20 UTC
    package = zipfile.ZipFile(io.BytesIO(convert.export(convert.load(SEED), "docx")))
    assert {info.date_time for info in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_callout_values_wrap_under_their_first_line() -> None:
    """The call-out's value column: the tab after the label (counted from the page margin) is
    where the value's wrapped lines start (the hanging indent), so a long value is one column."""
    from convert.styles import default_dir

    style = docx.Document(str(default_dir() / "reference.docx")).styles["Callout"].element
    ppr = style.find(qn("w:pPr"))
    tabs = [int(t.get(qn("w:pos"))) for t in ppr.find(qn("w:tabs"))]
    ind = ppr.find(qn("w:ind"))
    left, hanging = int(ind.get(qn("w:left"))), int(ind.get(qn("w:hanging")))
    assert tabs == [left]  # the value's first line and the lines it wraps to start together
    assert 0 < left - hanging < tabs[0]  # the label starts inside the box, before the value
