"""Helpers for the Word tests: fixtures, reading documents back, WordprocessingML schema order."""

from __future__ import annotations

import io
import json
import socket
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from convert.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Fail the test on any attempt to open a connection or resolve a name."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"),
                        (socket, "create_connection"), (socket, "getaddrinfo")):
        monkeypatch.setattr(owner, name, refuse)
    yield attempts
    assert not attempts, f"network access attempted: {attempts!r}"


def article(name: str = "article") -> Article:
    """A hand-built article from tests/fixtures/docx/NAME.json (model schema 1)."""
    return Article.from_dict(json.loads((FIXTURES / f"{name}.json").read_text("utf-8")))


def pack(n: int) -> list[Article]:
    """`n` distinct articles over four areas and two months, from the fixture article."""
    base = article()
    areas = ("Lancashire", "Essex", "Avon and Somerset", "North Wales")
    return [
        Article(
            replace(
                base.meta,
                headline=f"Report {i:02d} on child protection",
                area=areas[i % len(areas)],
                published=date(2019, 4, 1) + timedelta(days=(i * 5) % 61),
            ),
            base.blocks,
        )
        for i in range(n)
    ]


def read(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist()


def styled(document: Document) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph."""
    return [(p.style.name, p.text) for p in document.paragraphs]


def hyperlink_targets(document: Document) -> list[str]:
    """The external addresses of the body's hyperlinks, in order (from the part's rels)."""
    rels = document.part.rels
    out = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        rid = link.get(qn("r:id"))
        if rid is not None:
            rel = rels[rid]
            assert rel.is_external
            out.append(rel.target_ref)
    return out


def field_codes(root: etree._Element) -> list[str]:
    return [t.text.strip() for t in root.iter(qn("w:instrText"))]


# Child order of the elements we write, from ECMA-376 Part 1 (CT_PPr, CT_RPr, CT_SectPr,
# CT_Settings): Word refuses ("unreadable content") files that break it.
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
    "sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect "
    "bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tbl": "tblPr tblGrid tr",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi "
    "rtlGutter docGrid printerSettings sectPrChange",
    "settings": "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
    "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors "
    "activeWritingStyle proofState formsDesign attachedTemplate linkStyles stylePaneFormatFilter "
    "stylePaneSortMethod documentType mailMerge revisionView trackRevisions doNotTrackMoves "
    "doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme styleLockQFSet "
    "defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps "
    "showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders "
    "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
    "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
    "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
    "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
    "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars "
    "rsids mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
    "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator",
}
_RANK = {parent: {name: i for i, name in enumerate(names.split())} for parent, names in ORDER.items()}
_RANK["sectPr"]["footerReference"] = _RANK["sectPr"]["headerReference"]  # a choice: any order


def schema_order_problems(root: etree._Element) -> list[str]:
    """Elements whose children are out of schema order (only w: children, only known parents)."""
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith(W):
            continue
        rank = _RANK.get(el.tag[len(W):])
        if rank is None:
            continue
        seen = -1
        for child in el:
            name = etree.QName(child).localname
            if name not in rank:
                problems.append(f"unknown {name} in {el.tag[len(W):]}")
                continue
            if rank[name] < seen:
                problems.append(f"{name} out of order in {el.tag[len(W):]}")
            seen = max(seen, rank[name])
    return problems
