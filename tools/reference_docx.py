"""Builds `styles/reference.docx`, the look of every Word document `convert` writes.

Like pandoc's `--reference-doc`: the Word exporter takes the styles, numbering, page size and
margins from this file and ignores its content. It starts from python-docx's default template
and replaces what matters with a small, deliberate set of styles (the template's 400 KB of table
styles are dropped: they slow down every save and nobody uses them in a briefing).

Regenerate with ``python tools/reference_docx.py styles/reference.docx``
(or ``make reference-docx``). A user may instead hand-edit a copy in Word and pass it with
``--styles``: the exporter only relies on the style *names* listed in
`convert/exporters/docx/template.py` (and copies in any it lacks).
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn

# Calibri is in every Word; LibreOffice substitutes the metric-compatible Carlito, so line
# breaks and page counts agree between the two. No East Asian font is named: each client then
# picks its own CJK font (naming one LibreOffice lacks gives empty boxes instead of fallback).
FONT = "Calibri"
NAVY = "1F3864"
ACCENT = "2F5496"
GREY = "595959"
LIGHT = "BFBFBF"
ALERT = "B3261E"  # the call-out's frame and title
CALLOUT_TAB = 1588  # the call-out's label column (2.8 cm), twips
CALLOUT_INSET = 170  # the call-out's text from its border, twips

# A4 with 2.5 cm margins, in twentieths of a point.
PAGE_W, PAGE_H, MARGIN = 11906, 16838, 1418
TEXT_W = PAGE_W - 2 * MARGIN

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _style(
    kind: str,
    sid: str,
    name: str,
    *,
    based: str | None = "Normal",
    nxt: str | None = None,
    ppr: str = "",
    rpr: str = "",
    priority: int = 99,
    custom: bool = False,
    qformat: bool = True,
    default: bool = False,
) -> str:
    attrs = f'w:type="{kind}" w:styleId="{sid}"'
    if default:
        attrs += ' w:default="1"'
    if custom:
        attrs += ' w:customStyle="1"'
    parts = [f'<w:style {attrs}><w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if nxt:
        parts.append(f'<w:next w:val="{nxt}"/>')
    parts.append(f'<w:uiPriority w:val="{priority}"/>')
    if qformat:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


def _size(points: float) -> str:
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _colour(hex_: str) -> str:
    return f'<w:color w:val="{hex_}"/>'


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    extra = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{extra}/>'


def _heading(level: int, points: float, colour: str, before: int, after: int, italic: bool = False) -> str:
    return _style(
        "paragraph", f"Heading{level}", f"heading {level}", nxt="Normal", priority=9,
        ppr=f'<w:keepNext/><w:keepLines/>{_spacing(before, after, 240)}<w:outlineLvl w:val="{level - 1}"/>',
        rpr="<w:b/><w:bCs/>" + ("<w:i/><w:iCs/>" if italic else "") + _colour(colour) + _size(points),
    )


def _list_style(sid: str, name: str, num_id: int, level: int) -> str:
    ilvl = f'<w:ilvl w:val="{level}"/>' if level else ""
    return _style(
        "paragraph", sid, name, priority=99, qformat=False,
        ppr=f'<w:numPr>{ilvl}<w:numId w:val="{num_id}"/></w:numPr>{_spacing(0, 80)}',
    )


def _glance_table() -> str:
    """The "At a glance" table style: a rule under every row, a heavier one under the header."""
    rule = f'w:val="single" w:sz="4" w:space="0" w:color="{LIGHT}"'
    return (
        '<w:style w:type="table" w:customStyle="1" w:styleId="GlanceTable"><w:name w:val="Glance Table"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="34"/><w:qFormat/>'
        "<w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr>"
        f'<w:tblPr><w:tblBorders><w:bottom {rule}/><w:insideH {rule}/></w:tblBorders>'
        '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:tblPr/><w:trPr><w:tblHeader/></w:trPr><w:tcPr><w:tcBorders>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/></w:tcBorders></w:tcPr>'
        "</w:tblStylePr></w:style>"
    )


def _tabs(*stops: tuple[str, int]) -> str:
    return "<w:tabs>" + "".join(f'<w:tab w:val="{k}" w:pos="{p}"/>' for k, p in stops) + "</w:tabs>"


def styles_xml(latent: str) -> str:
    """The whole styles part: defaults in en-GB, then every style the exporter names."""
    border = '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="6" w:color="{c}"/></w:pBdr>'
    callout_box = "<w:pBdr>" + "".join(
        f'<w:{side} w:val="single" w:sz="{24 if side == "left" else 8}" w:space="4" w:color="{ALERT}"/>'
        for side in ("top", "left", "bottom", "right")
    ) + '</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="FDF3F2"/>'
    dot_leader = _tabs(("right", TEXT_W)).replace('w:val="right"', 'w:val="right" w:leader="dot"')
    styles = [
        _style("paragraph", "Normal", "Normal", based=None, priority=0, default=True),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", based=None,
               priority=1, qformat=False, default=True),
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" '
        'w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        "</w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        _style("paragraph", "Title", "Title", nxt="Normal", priority=10,
               ppr=f"<w:keepNext/>{_spacing(0, 160, 228)}",
               rpr=f"<w:b/><w:bCs/>{_colour(NAVY)}<w:kern w:val='28'/>{_size(26)}"),
        _style("paragraph", "Subtitle", "Subtitle", nxt="Normal", priority=11,
               ppr=f"<w:keepNext/>{_spacing(0, 160, 264)}",
               rpr=_colour("404040") + _size(13)),
        _style("paragraph", "Byline", "Byline", nxt="Normal", priority=12, custom=True,
               ppr=border.format(c=LIGHT) + _spacing(0, 280, 252),
               rpr=_colour(GREY) + _size(9)),
        _style("paragraph", "Kicker", "Kicker", nxt="Heading1", priority=12, custom=True,
               ppr=f"<w:keepNext/>{_spacing(0, 60)}",
               rpr=f"<w:b/><w:bCs/><w:caps/>{_colour(ACCENT)}<w:spacing w:val='10'/>{_size(9.5)}"),
        _heading(1, 20, NAVY, 0, 160),
        _heading(2, 14, NAVY, 280, 80),
        _heading(3, 12, ACCENT, 220, 60),
        _heading(4, 11, "404040", 180, 40, italic=True),
        _list_style("ListBullet", "List Bullet", 1, 0),
        _list_style("ListBullet2", "List Bullet 2", 1, 1),
        _list_style("ListBullet3", "List Bullet 3", 1, 2),
        _list_style("ListNumber", "List Number", 2, 0),
        _list_style("ListNumber2", "List Number 2", 2, 1),
        _list_style("ListNumber3", "List Number 3", 2, 2),
        _style("paragraph", "Quote", "Quote", nxt="Normal", priority=29,
               ppr='<w:pBdr><w:left w:val="single" w:sz="18" w:space="10" w:color="' + ACCENT + '"/>'
               f'</w:pBdr>{_spacing(0, 100)}<w:ind w:left="454" w:right="454"/>',
               rpr="<w:i/><w:iCs/>" + _colour("262626")),
        _style("paragraph", "Speaker", "Speaker", nxt="Normal", priority=30, custom=True,
               ppr=f'{_spacing(0, 200)}<w:ind w:left="680"/>',
               rpr=_colour(GREY) + _size(10)),
        _style("paragraph", "Rule", "Rule", nxt="Normal", priority=31, custom=True,
               ppr=border.format(c=LIGHT) + _spacing(0, 280, 240), rpr=_size(6)),
        _style("paragraph", "CoverNote", "Cover Note", nxt="Normal", priority=32, custom=True,
               ppr=_spacing(0, 80), rpr=_colour(GREY) + _size(11)),
        # "Can you help?" (exporters/shared/callout.py): a framed, shaded box; consecutive
        # paragraphs with the same border are drawn as one box by Word and LibreOffice.
        _style("paragraph", "Callout", "Callout", nxt="Normal", priority=33, custom=True,
               # Tab stops count from the page margin, so the value's tab is where its wrapped
               # lines start (the hanging indent), not CALLOUT_INSET short of it.
               ppr=f"<w:keepNext/>{callout_box}" + _tabs(("left", CALLOUT_TAB + CALLOUT_INSET))
               + _spacing(0, 0, 264) + f'<w:ind w:left="{CALLOUT_TAB + CALLOUT_INSET}" '
               f'w:right="{CALLOUT_INSET}" w:hanging="{CALLOUT_TAB}"/>',
               rpr=_size(10)),
        _style("paragraph", "CalloutHeading", "Callout Heading", based="Callout", nxt="Callout", priority=33,
               custom=True, ppr=_spacing(0, 60),
               rpr=f"<w:b/><w:bCs/><w:caps/>{_colour(ALERT)}<w:spacing w:val='10'/>{_size(9)}"),
        _style("paragraph", "TOCHeading", "TOC Heading", based="Heading1", nxt="Normal", priority=39,
               ppr='<w:outlineLvl w:val="9"/>'),
        # A pack's contents list its groups (toc 1, set like the PDF's group headings) and the
        # headlines under them (toc 2); the TOC field names the two styles below (`\t`).
        _style("paragraph", "TOC1", "toc 1", nxt="Normal", priority=39, qformat=False,
               ppr="<w:keepNext/>" + border.format(c=LIGHT).replace('w:space="6"', 'w:space="2"')
               + _spacing(280, 80),
               rpr=f"<w:b/><w:bCs/><w:caps/>{_colour(ACCENT)}<w:spacing w:val='10'/>{_size(9)}"),
        _style("paragraph", "TOC2", "toc 2", nxt="Normal", priority=39, qformat=False,
               ppr=dot_leader + _spacing(0, 40), rpr=_colour(NAVY) + _size(10)),
        # A pack: a group (area, kind or date) opens with a Pack Group heading (outline level 1),
        # each article's headline is a Pack Headline (level 2, Heading 1's look); the body's
        # headings sit below them, so the contents hold groups and headlines only.
        _style("paragraph", "PackGroup", "Pack Group", nxt="Normal", priority=13, custom=True,
               ppr="<w:keepNext/>"
               f'<w:pBdr><w:top w:val="single" w:sz="24" w:space="4" w:color="{ACCENT}"/>'
               "</w:pBdr>" + _spacing(0, 240) + '<w:outlineLvl w:val="0"/>',
               rpr=f"<w:b/><w:bCs/><w:caps/>{_colour(ACCENT)}<w:spacing w:val='10'/>{_size(10)}"),
        _style("paragraph", "PackHeadline", "Pack Headline", based="Heading1", nxt="Normal", priority=13,
               custom=True, ppr='<w:outlineLvl w:val="1"/>'),
        # A pack's "At a glance" table: the Glance Table style draws the rules; its paragraphs
        # are small (Glance), the repeated header row and the group rows have their own.
        _style("paragraph", "Glance", "Glance", nxt="Glance", priority=34, custom=True,
               ppr=_spacing(0, 0, 228), rpr=_size(8)),
        _style("paragraph", "GlanceHeading", "Glance Heading", based="Glance", nxt="Glance", priority=34,
               custom=True, rpr=f"<w:caps/>{_colour(GREY)}<w:spacing w:val='10'/>{_size(7)}"),
        _style("paragraph", "GlanceGroup", "Glance Group", based="Glance", nxt="Glance", priority=34,
               custom=True, ppr=f"<w:keepNext/>{_spacing(160, 0)}",
               rpr=f"<w:b/><w:bCs/><w:caps/>{_colour(NAVY)}<w:spacing w:val='10'/>{_size(7.5)}"),
        _glance_table(),
        _style("paragraph", "Header", "header", priority=99, qformat=False,
               ppr=_tabs(("center", TEXT_W // 2), ("right", TEXT_W)) + _spacing(0, 0, 240),
               rpr=_colour(GREY) + _size(8.5)),
        _style("paragraph", "Footer", "footer", priority=99, qformat=False,
               ppr=_tabs(("center", TEXT_W // 2), ("right", TEXT_W)) + _spacing(0, 0, 240),
               rpr=_colour(GREY) + _size(8.5)),
        _style("character", "Hyperlink", "Hyperlink", based="DefaultParagraphFont", priority=99,
               qformat=False, rpr='<w:color w:val="0563C1"/><w:u w:val="single"/>'),
        _style("character", "Strong", "Strong", based="DefaultParagraphFont", priority=22,
               rpr="<w:b/><w:bCs/>"),
        _style("character", "Emphasis", "Emphasis", based="DefaultParagraphFont", priority=20,
               rpr="<w:i/><w:iCs/>"),
    ]
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
        f'{_colour("1A1A1A")}{_size(11)}<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        f"{_spacing(0, 160, 264)}"
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    return f'<w:styles {_NS}>{defaults}{latent}{"".join(styles)}</w:styles>'


def _level(ilvl: int, fmt: str, text: str, style: str, font: str | None = None) -> str:
    left = 397 + 397 * ilvl
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="{style}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
        f'<w:ind w:left="{left}" w:hanging="340"/></w:pPr>{rpr}</w:lvl>'
    )


# abstractNum 0: bullets, 1: numbers. Style `List Bullet` points at num 1, `List Number` at num 2;
# the exporter adds one more num per numbered list so each list restarts at its own start.
BULLET_ABSTRACT, NUMBER_ABSTRACT = 0, 1


def numbering_xml() -> str:
    bullets = "".join(
        _level(i, "bullet", ch, sid, FONT)
        for i, (ch, sid) in enumerate((("•", "ListBullet"), ("–", "ListBullet2"), ("•", "ListBullet3")))
    )
    numbers = "".join(
        _level(i, fmt, f"%{i + 1}.", sid)
        for i, (fmt, sid) in enumerate(
            (("decimal", "ListNumber"), ("lowerLetter", "ListNumber2"), ("lowerRoman", "ListNumber3"))
        )
    )
    return (
        f"<w:numbering {_NS}>"
        f'<w:abstractNum w:abstractNumId="{BULLET_ABSTRACT}"><w:multiLevelType w:val="multilevel"/>'
        f"{bullets}</w:abstractNum>"
        f'<w:abstractNum w:abstractNumId="{NUMBER_ABSTRACT}"><w:multiLevelType w:val="multilevel"/>'
        f"{numbers}</w:abstractNum>"
        f'<w:num w:numId="1"><w:abstractNumId w:val="{BULLET_ABSTRACT}"/></w:num>'
        f'<w:num w:numId="2"><w:abstractNumId w:val="{NUMBER_ABSTRACT}"/></w:num>'
        "</w:numbering>"
    )


def settings_xml() -> str:
    return (
        f"<w:settings {_NS}>"
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-GB"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>convert</Application><DocSecurity>0</DocSecurity></Properties>"
)

# Fixed, so that rebuilding the reference gives the same bytes (it is committed).
_STAMP = datetime(2024, 1, 1, tzinfo=UTC)


def build() -> bytes:
    """The reference document, as bytes."""
    document = docx.Document()
    part = document.part
    # Parts a reference has no use for: a duplicate of the styles for Word 2010, custom XML,
    # the template's thumbnail (which would show the wrong page in file browsers).
    for rId, rel in list(part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"):
            part.drop_rel(rId)
    pkg_rels = part.package.rels
    for rId, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg_rels.pop(rId)

    latent = document.styles.element.find(qn("w:latentStyles"))
    from lxml import etree

    latent_xml = etree.tostring(latent, encoding="unicode") if latent is not None else ""
    part._styles_part._element = parse_xml(styles_xml(latent_xml))
    part.numbering_part._element = parse_xml(numbering_xml())
    part._settings_part._element = parse_xml(settings_xml())

    section = document.sections[0]
    sect = section._sectPr
    pg = sect.find(qn("w:pgSz"))
    pg.set(qn("w:w"), str(PAGE_W))
    pg.set(qn("w:h"), str(PAGE_H))
    mar = sect.find(qn("w:pgMar"))
    for side in ("top", "bottom", "left", "right"):
        mar.set(qn(f"w:{side}"), str(MARGIN))
    mar.set(qn("w:header"), "680")
    mar.set(qn("w:footer"), "567")
    for attr in ("w:rsidR", "w:rsidRPr", "w:rsidSect"):
        sect.attrib.pop(qn(attr), None)

    props = document.core_properties
    props.title = "convert reference document"
    props.author = "convert"
    props.last_modified_by = "convert"
    props.comments = "Styles, page size and margins for Word output. The content is ignored."
    props.language = "en-GB"
    props.created = props.modified = _STAMP.replace(tzinfo=None)
    props.revision = 1

    raw = io.BytesIO()
    document.save(raw)
    return _normalise(raw.getvalue())


def _normalise(data: bytes) -> bytes:
    """Re-zip with fixed timestamps and our own app.xml, so the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = APP_XML.encode() if info.filename == "docProps/app.xml" else src.read(info)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), blob,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "styles/reference.docx")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
