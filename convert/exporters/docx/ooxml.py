"""WordprocessingML pieces python-docx has no API for, built through its oxml layer.

Hyperlinks (with Word's own limits on their targets), fields (PAGE, NUMPAGES, TOC), numbering
restarts and `updateFields`. Text reaches a run through `shared.text.clean(text, "line")`: XML 1.0
cannot hold what it drops, and a run holds no line break. Elements are made with lxml directly: python-docx's
high-level API (style lookups by name, proxies per call) costs more than the rest of a document.
"""

from __future__ import annotations

import weakref
from urllib.parse import quote

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import OxmlElement
from docx.oxml.settings import CT_Settings
from docx.parts.hdrftr import FooterPart, HeaderPart
from lxml import etree

from ..shared.links import safe_url as policy_url

SubElement = etree.SubElement

# Characters left alone when percent-encoding a target: the URI reserved set and '%'.
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def safe_url(url: str, base: str | None = None) -> str | None:
    """A target Word will accept, or None when the URL must stay plain text.

    The link policy (`shared.links`) decides; Word adds its own limits: at most 2,000
    characters, and spaces, quotes and non-ASCII percent-encoded (Word calls a file with a
    malformed target corrupt).
    """
    target = policy_url(url, base)
    if target is None or len(target) > 2000:
        return None
    return quote(target, safe=_URI_SAFE)


# --- paragraphs and runs ------------------------------------------------------------------

W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_T = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:t"))
W_VAL = qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def paragraph(parent: etree._Element, style_id: str | None) -> etree._Element:
    """A new `w:p` at the end of `parent`, in the paragraph style `style_id`."""
    p = SubElement(parent, W_P)
    if style_id:
        SubElement(SubElement(p, W_PPR), W_PSTYLE).set(W_VAL, style_id)
    return p


def ppr(p: etree._Element) -> etree._Element:
    """The paragraph's `w:pPr`, made if missing (it must be the first child)."""
    props = p.find(W_PPR)
    if props is None:
        props = etree.Element(W_PPR)
        p.insert(0, props)
    return props


def run(
    parent: etree._Element, text: str, *, bold: bool = False, italic: bool = False, style: str | None = None
) -> etree._Element:
    """A `w:r` holding `text` (already clean) with the given marks."""
    r = SubElement(parent, W_R)
    if bold or italic or style:
        rpr = SubElement(r, W_RPR)
        if style:
            SubElement(rpr, qn("w:rStyle")).set(W_VAL, style)
        if bold:
            SubElement(rpr, qn("w:b"))
            SubElement(rpr, qn("w:bCs"))
        if italic:
            SubElement(rpr, qn("w:i"))
            SubElement(rpr, qn("w:iCs"))
    t = SubElement(r, W_T)
    t.text = text
    t.set(XML_SPACE, "preserve")  # or Word may drop edge and doubled spaces
    return r


def space_after(p: etree._Element, twips: int) -> None:
    """Direct spacing after a paragraph, placed where CT_PPr's sequence wants it."""
    props = ppr(p)
    spacing = props.find(qn("w:spacing"))
    if spacing is None:
        spacing = etree.Element(qn("w:spacing"))
        later = [props.find(qn(t)) for t in _AFTER_SPACING]
        anchor = next((el for el in later if el is not None), None)
        if anchor is not None:
            anchor.addprevious(spacing)
        else:
            props.append(spacing)
    spacing.set(qn("w:after"), str(twips))


def keep_next(p: etree._Element, keep: bool) -> None:
    """Keep paragraph `p` on the page of the next one, or (False) let it go even where its
    style keeps it: `w:keepNext` straight after the style, as CT_PPr's sequence wants it."""
    props = ppr(p)
    old = props.find(qn("w:keepNext"))
    if old is not None:
        props.remove(old)
    el = etree.Element(qn("w:keepNext"))
    if not keep:
        el.set(W_VAL, "0")
    style = props.find(W_PSTYLE)
    props.insert(0 if style is None else props.index(style) + 1, el)


_AFTER_SPACING = ("w:ind", "w:contextualSpacing", "w:jc", "w:outlineLvl", "w:rPr", "w:sectPr")


def tiny(p: etree._Element) -> None:
    """Make an empty paragraph 1 pt high (its mark too), so it never pushes onto a new page."""
    props = ppr(p)
    spacing = SubElement(props, qn("w:spacing"))
    for key, value in (("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")):
        spacing.set(qn(key), value)
    rpr = SubElement(props, W_RPR)
    SubElement(rpr, qn("w:sz")).set(W_VAL, "2")
    SubElement(rpr, qn("w:szCs")).set(W_VAL, "2")


def line_break(parent: etree._Element, page: bool = False) -> None:
    br = SubElement(SubElement(parent, W_R), qn("w:br"))
    if page:
        br.set(qn("w:type"), "page")


def hyperlink(
    parent: etree._Element, part: Part, url: str, base: str | None = None
) -> etree._Element | None:
    """A `w:hyperlink` to an external `url` (made absolute against `base`) at the end of
    `parent`; runs go inside it.

    Returns None when the URL is not one we link to (see `safe_url`): the caller writes
    the text as ordinary runs instead.
    """
    target = safe_url(url, base)
    if target is None:
        return None
    rid = _link_id(part, target)
    link = SubElement(parent, qn("w:hyperlink"))
    link.set(qn("r:id"), rid)
    link.set(qn("w:history"), "1")
    return link


# The hyperlink relationships this module made, per part: target → rId. python-docx's
# `relate_to` looks through every relationship of the part for a match, and again for a free
# rId, on each call (5,000 links took 10 s).
_LINK_IDS: weakref.WeakKeyDictionary[Part, dict[str, str]] = weakref.WeakKeyDictionary()


def _link_id(part: Part, target: str) -> str:
    known = _LINK_IDS.setdefault(part, {})
    rid = known.get(target)
    if rid is None:
        rels = part.rels
        n = len(rels) + 1
        while f"rId{n}" in rels:
            n += 1
        rid = known[target] = f"rId{n}"
        rels.add_relationship(RT.HYPERLINK, target, rid, is_external=True)
    return rid


# --- fields ---------------------------------------------------------------------------------


def _fld_char(parent: etree._Element, kind: str) -> None:
    fc = SubElement(SubElement(parent, W_R), qn("w:fldChar"))
    fc.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        fc.set(qn("w:dirty"), "true")


def field(parent: etree._Element, instr: str, result: str) -> None:
    """A complex field (`begin`, `instrText`, `separate`, cached result, `end`) in `parent`.

    Marked dirty, so Word recomputes it on opening; LibreOffice computes page fields itself.
    """
    _fld_char(parent, "begin")
    it = SubElement(SubElement(parent, W_R), qn("w:instrText"))
    it.text = f" {instr} "
    it.set(XML_SPACE, "preserve")
    _fld_char(parent, "separate")
    SubElement(SubElement(parent, W_R), W_T).text = result
    _fld_char(parent, "end")


# A pack's contents: its groups (level 1) and headlines (level 2), named by style (`\t`), not
# by outline level (`\o`), which Word reads as the built-in Heading styles: the body's own
# headings (Heading 2 to 4) would come back as a second level when Word rebuilds the field.
# The two styles carry the same outline levels (1 and 2), so the navigation pane agrees.
TOC_INSTR = 'TOC \\h \\z \\t "Pack Group,1,Pack Headline,2"'


# What follows w:updateFields in the CT_Settings sequence (ECMA-376 Part 1, 17.15.1.78).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def update_fields(settings: CT_Settings) -> None:
    """`<w:updateFields w:val="true"/>` in settings, at its place in the CT_Settings sequence,
    so Word offers to fill the table of contents when the file is opened."""
    if settings.find(qn("w:updateFields")) is not None:
        return
    el = etree.Element(qn("w:updateFields"))
    el.set(W_VAL, "true")
    settings.insert_element_before(el, *_AFTER_UPDATE_FIELDS)


def outline_level(p: etree._Element, level: int) -> None:
    """A direct outline level (0-based) on paragraph `p`, where CT_PPr's sequence wants it."""
    props = ppr(p)
    el = props.find(qn("w:outlineLvl"))
    if el is None:
        el = etree.Element(qn("w:outlineLvl"))
        later = [props.find(qn(t)) for t in ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")]
        anchor = next((e for e in later if e is not None), None)
        if anchor is not None:
            anchor.addprevious(el)
        else:
            props.append(el)
    el.set(W_VAL, str(level))


# --- tables ---------------------------------------------------------------------------------


def table(parent: etree._Element, style_id: str, widths: list[int]) -> etree._Element:
    """A `w:tbl` in table style `style_id` at the end of `parent`, fixed columns of `widths`
    (twips), the style's header-row formatting on (tblLook firstRow)."""
    tbl = SubElement(parent, qn("w:tbl"))
    props = SubElement(tbl, qn("w:tblPr"))
    SubElement(props, qn("w:tblStyle")).set(W_VAL, style_id)
    width = SubElement(props, qn("w:tblW"))
    width.set(qn("w:w"), str(sum(widths)))
    width.set(qn("w:type"), "dxa")
    SubElement(props, qn("w:tblLayout")).set(qn("w:type"), "fixed")
    look = SubElement(props, qn("w:tblLook"))
    for key, value in (("w:val", "0420"), ("w:firstRow", "1"), ("w:lastRow", "0"), ("w:firstColumn", "0"),
                       ("w:lastColumn", "0"), ("w:noHBand", "1"), ("w:noVBand", "1")):
        look.set(qn(key), value)
    grid = SubElement(tbl, qn("w:tblGrid"))
    for w in widths:
        SubElement(grid, qn("w:gridCol")).set(qn("w:w"), str(w))
    return tbl


def table_row(tbl: etree._Element, header: bool = False) -> etree._Element:
    """A row that never splits across pages; a `header` row repeats at the top of each page."""
    tr = SubElement(tbl, qn("w:tr"))
    props = SubElement(tr, qn("w:trPr"))
    SubElement(props, qn("w:cantSplit"))
    if header:
        SubElement(props, qn("w:tblHeader"))
    return tr


def table_cell(tr: etree._Element, width: int, style_id: str | None, span: int = 1) -> etree._Element:
    """A cell `width` twips wide (over `span` grid columns) holding one paragraph: returned."""
    tc = SubElement(tr, qn("w:tc"))
    props = SubElement(tc, qn("w:tcPr"))
    w = SubElement(props, qn("w:tcW"))
    w.set(qn("w:w"), str(width))
    w.set(qn("w:type"), "dxa")
    if span > 1:
        SubElement(props, qn("w:gridSpan")).set(W_VAL, str(span))
    return paragraph(tc, style_id)


def anchor_link(p: etree._Element, anchor: str) -> etree._Element:
    """A `w:hyperlink` to bookmark `anchor` in the same document; runs go inside it."""
    link = SubElement(p, qn("w:hyperlink"))
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    return link


# --- numbering ------------------------------------------------------------------------------


def restart_numbering(numbering: etree._Element, abstract_id: str, level: int, start: int) -> str:
    """A new `w:num` on the numbered-list definition, starting at `start` on `level`.

    Paragraphs that point at it form a list of their own: every numbered list restarts.
    """
    nums = numbering.findall(qn("w:num"))
    num_id = str(max((int(n.get(qn("w:numId"))) for n in nums), default=0) + 1)
    num = etree.Element(qn("w:num"))
    num.set(qn("w:numId"), num_id)
    SubElement(num, qn("w:abstractNumId")).set(W_VAL, abstract_id)
    override = SubElement(num, qn("w:lvlOverride"))
    override.set(qn("w:ilvl"), str(level))
    SubElement(override, qn("w:startOverride")).set(W_VAL, str(max(0, start)))
    # w:num elements follow every w:abstractNum; w:numIdMacAtCleanup (if any) comes last.
    tail = numbering.find(qn("w:numIdMacAtCleanup"))
    if tail is not None:
        tail.addprevious(num)
    else:
        numbering.append(num)
    return num_id


def num_pr(p: etree._Element, num_id: str, level: int) -> None:
    """Point paragraph `p` at list `num_id`, `level` (after its pStyle, as the schema wants)."""
    props = ppr(p)
    numpr = etree.Element(qn("w:numPr"))
    SubElement(numpr, qn("w:ilvl")).set(W_VAL, str(level))
    SubElement(numpr, qn("w:numId")).set(W_VAL, num_id)
    style = props.find(W_PSTYLE)
    if style is not None:
        style.addnext(numpr)
    else:
        props.insert(0, numpr)


# --- table of contents ------------------------------------------------------------------------


def bookmark(p: etree._Element, ident: int, name: str) -> None:
    """Put the content of paragraph `p` inside bookmark `name` (a TOC entry's target)."""
    start = etree.Element(qn("w:bookmarkStart"))
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    props = p.find(W_PPR)
    if props is not None:
        props.addnext(start)
    else:
        p.insert(0, start)
    SubElement(p, qn("w:bookmarkEnd")).set(qn("w:id"), str(ident))


def toc_entry(p: etree._Element, text: str, anchor: str) -> None:
    """One entry of the TOC field's cached result: a link to the heading's bookmark.

    No page number: only Word can count pages, and it rebuilds the table when the file is opened
    (updateFields). LibreOffice shows the cached result as it is, and a PAGEREF inside a TOC is
    frozen there, so a guessed number would be shown as if it were true.
    """
    link = SubElement(p, qn("w:hyperlink"))
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run(link, text)


def field_start(p: etree._Element, instr: str) -> None:
    """The opening half of a field whose result spans several paragraphs (the TOC)."""
    _fld_char(p, "begin")
    it = SubElement(SubElement(p, W_R), qn("w:instrText"))
    it.text = f" {instr} "
    it.set(XML_SPACE, "preserve")
    _fld_char(p, "separate")


def field_end(p: etree._Element) -> None:
    _fld_char(p, "end")


# --- headers and footers ----------------------------------------------------------------------

_STORY = {
    "header": ("w:hdr", "/word/header%d.xml", CT.WML_HEADER, RT.HEADER, HeaderPart),
    "footer": ("w:ftr", "/word/footer%d.xml", CT.WML_FOOTER, RT.FOOTER, FooterPart),
}


class Stories:
    """New header and footer parts for one document, numbered as Word numbers them.

    python-docx's own `add_header_part` reads a template file for each part and walks every
    part of the package to find a free name: a pack of 500 articles has 500 headers.
    """

    def __init__(self, document: Document) -> None:
        self.part = document.part
        self.count = {"header": 0, "footer": 0}

    def new(self, kind: str) -> tuple[etree._Element, str]:
        """An empty `w:hdr`/`w:ftr` root and the relationship id that points at it."""
        tag, name, content_type, reltype, cls = _STORY[kind]
        self.count[kind] += 1
        root = OxmlElement(tag, nsdecls={"w": nsmap["w"], "r": nsmap["r"]})
        part = cls(PackURI(name % self.count[kind]), content_type, root, self.part.package)
        return root, self.part.relate_to(part, reltype)
