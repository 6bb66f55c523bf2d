"""The reference document, read once: its bytes, its style ids and its list definitions.

Every Word document starts as a fresh copy of the reference with the body emptied. Styles are
found by *name* once here (a reference saved by a localised Word has other style ids), and any
style the exporter needs but the reference lacks is copied in from the shipped default, so a
user's hand-made reference only has to define what it wants to change.
"""

from __future__ import annotations

import io
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from ...styles import default_dir
from .. import ExportError

# Logical role → style name in the reference. Lists are per level (1, 2, 3).
PARAGRAPH_STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "byline": "Byline",
    "kicker": "Kicker",
    "h1": "Heading 1",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "h4": "Heading 4",
    "quote": "Quote",
    "speaker": "Speaker",
    "rule": "Rule",
    "cover": "Cover Note",
    "callout": "Callout",
    "callout_title": "Callout Heading",
    "toc_heading": "TOC Heading",
    "toc1": "toc 1",
    "toc2": "toc 2",
    "pack_group": "Pack Group",
    "pack_headline": "Pack Headline",
    "glance": "Glance",
    "glance_heading": "Glance Heading",
    "glance_group": "Glance Group",
    "header": "Header",
    "footer": "Footer",
    "bullet1": "List Bullet",
    "bullet2": "List Bullet 2",
    "bullet3": "List Bullet 3",
    "number1": "List Number",
    "number2": "List Number 2",
    "number3": "List Number 3",
}
CHARACTER_STYLES = {"hyperlink": "Hyperlink"}
TABLE_STYLES = {"glance_table": "Glance Table"}
LIST_FAMILIES = ("bullet", "number")

_HDRFTR = {qn("w:headerReference"), qn("w:footerReference"), qn("w:titlePg")}
W_STYLE, W_NAME, W_VAL, W_STYLEID = qn("w:style"), qn("w:name"), qn("w:val"), qn("w:styleId")


@dataclass(slots=True)
class NumberLevel:
    """How to restart a numbered list at one nesting level: its abstractNum and w:ilvl."""

    abstract_id: str
    ilvl: int


@dataclass(slots=True)
class Template:
    """A reference document ready to stamp out new documents."""

    data: bytes
    ids: dict[str, str]  # role → styleId
    numbers: list[NumberLevel | None] = field(default_factory=list)  # per level 1..3
    indents: list[int] = field(default_factory=list)  # list text indent per level, twips

    @classmethod
    def load(cls, path: Path) -> Template:
        try:
            raw = path.read_bytes()
            document = docx.Document(io.BytesIO(raw))
        except Exception as exc:  # python-docx raises many kinds for a bad package
            raise ExportError(f"{path}: not a usable Word reference document ({exc})") from exc
        changed = _merge_missing(document, path)
        if changed:
            out = io.BytesIO()
            document.save(out)
            raw = out.getvalue()
        ids = _style_ids(document)
        numbers = [_number_level(document, ids[f"number{n}"]) for n in (1, 2, 3)]
        indents = [397 * n for n in (1, 2, 3)]
        return cls(raw, ids, numbers, indents)

    def new(self) -> Document:
        """A fresh document from the reference with an empty body (the last sectPr kept)."""
        document = docx.Document(io.BytesIO(self.data))
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        sect = body.find(qn("w:sectPr"))
        if sect is None:
            sect = etree.SubElement(body, qn("w:sectPr"))
        for child in list(sect):  # the reference's own headers and footers are content too
            if child.tag in _HDRFTR:
                sect.remove(child)
        return document


def _styles_by_name(document: Document) -> dict[tuple[str, str], etree._Element]:
    found = {}
    for style in document.styles.element.iterchildren(W_STYLE):
        name = style.find(W_NAME)
        if name is not None:
            found[(style.get(qn("w:type")), name.get(W_VAL, "").casefold())] = style
    return found


def _style_ids(document: Document) -> dict[str, str]:
    by_name = _styles_by_name(document)
    ids = {}
    for kind, table in (("paragraph", PARAGRAPH_STYLES), ("character", CHARACTER_STYLES),
                        ("table", TABLE_STYLES)):
        for role, name in table.items():
            ids[role] = by_name[(kind, name.casefold())].get(W_STYLEID)
    return ids


def _merge_missing(document: Document, path: Path) -> bool:
    """Copy styles the exporter needs from the shipped reference; True if any was missing."""
    have = _styles_by_name(document)
    wanted = [("paragraph", n) for n in PARAGRAPH_STYLES.values()]
    wanted += [("character", n) for n in CHARACTER_STYLES.values()]
    wanted += [("table", n) for n in TABLE_STYLES.values()]
    missing = [(k, n) for k, n in wanted if (k, n.casefold()) not in have]
    if not missing:
        return False
    default_path = default_dir() / "reference.docx"
    if path.resolve() == default_path.resolve():
        raise ExportError(f"{path}: the shipped reference document lacks styles {missing}")
    default = docx.Document(str(default_path))
    theirs = _styles_by_name(default)
    styles = document.styles.element
    used_ids = {s.get(W_STYLEID) for s in styles.iterchildren(W_STYLE)}
    renumber: dict[str, str] = {}
    missing_names = {n.casefold() for _, n in missing}
    for family in LIST_FAMILIES:
        names = [n for role, n in PARAGRAPH_STYLES.items() if role.startswith(family)]
        if any(n.casefold() in missing_names for n in names):
            renumber.update(_copy_numbering(default, document, family))
    for kind, name in missing:
        style = deepcopy(theirs[(kind, name.casefold())])
        if style.get(W_STYLEID) in used_ids:  # an unrelated style already has this id
            style.set(W_STYLEID, style.get(W_STYLEID) + "Convert")
        num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None and num_id.get(W_VAL) in renumber:
            num_id.set(W_VAL, renumber[num_id.get(W_VAL)])
        styles.append(style)
    return True


def _copy_numbering(default: Document, document: Document, family: str) -> dict[str, str]:
    """Copy the default's list definition behind `family` (bullet/number); old numId → new."""
    source = default.part.numbering_part.element
    target = document.part.numbering_part.element
    style = _styles_by_name(default)[("paragraph", PARAGRAPH_STYLES[f"{family}1"].casefold())]
    old_num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(W_VAL)
    num = next(n for n in source.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == old_num)
    old_abs = num.find(qn("w:abstractNumId")).get(W_VAL)
    abstract = next(a for a in source.iterchildren(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == old_abs)
    abs_ids = [int(a.get(qn("w:abstractNumId"))) for a in target.iterchildren(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in target.iterchildren(qn("w:num"))]
    new_abs, new_num = str(max(abs_ids, default=-1) + 1), str(max(num_ids, default=0) + 1)
    abstract = deepcopy(abstract)
    abstract.set(qn("w:abstractNumId"), new_abs)
    first_num = next(target.iterchildren(qn("w:num")), None)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        target.append(abstract)
    num = deepcopy(num)
    num.set(qn("w:numId"), new_num)
    num.find(qn("w:abstractNumId")).set(W_VAL, new_abs)
    target.append(num)
    return {old_num: new_num}


def _number_level(document: Document, style_id: str) -> NumberLevel | None:
    """The abstractNum and level behind a List Number style, to restart lists on it."""
    style = next(
        (s for s in document.styles.element.iterchildren(W_STYLE) if s.get(W_STYLEID) == style_id), None
    )
    numpr = None if style is None else style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if numpr is None or numpr.find(qn("w:numId")) is None:
        return None
    num_id = numpr.find(qn("w:numId")).get(W_VAL)
    ilvl_el = numpr.find(qn("w:ilvl"))
    ilvl = int(ilvl_el.get(W_VAL)) if ilvl_el is not None else 0
    numbering = document.part.numbering_part.element
    for num in numbering.iterchildren(qn("w:num")):
        if num.get(qn("w:numId")) == num_id:
            return NumberLevel(num.find(qn("w:abstractNumId")).get(W_VAL), ilvl)
    return None
