"""The render fixtures (tests/fixtures/render/): their inputs, and binary outputs as readable text.

`load(case)` is an input case: tests/fixtures/render/input/<case>.json (an article in the
model's JSON form), a folder of them (a bundle), or `seed` (the real seed in seeds/).

A Word document becomes its core properties, then each story (headers, footers, the body) one
paragraph a line: `[style] text`, with `**bold**`, `_italic_`, `[text](target)` for a hyperlink,
`[text](#bookmark)` for a link inside the document, `{FIELD: result}` for a field, `⏎` for a line break,
`(list N)` for the numbering a list item belongs to, and `==== section ====` where a section ends.
A PDF becomes its metadata, its bookmarks, its link targets and the text of each page. An HTML
page is itself, but for the stylesheet it inlines: styles/screen.css whole becomes `SCREEN_CSS`
(any other CSS stays, so a page that inlines something else still differs from its fixture).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from lxml import etree
from pypdf import PdfReader
from testpaths import FIXTURES, SEED

import convert
from convert.exporters import plugins
from convert.styles import default_dir

RENDER = FIXTURES / "render"
INPUT = RENDER / "input"
# The formats this project ships (entry points of the `convert` distribution).
BUILTIN = sorted(n for n, eps in plugins.candidates().items() if plugins.package(eps[0]) == plugins.BUILTIN)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CORE = ("title", "creator", "subject", "keywords", "identifier", "language", "lastModifiedBy", "revision",
        "created", "modified")


SCREEN_CSS = "/* styles/screen.css, inlined whole */"


def html_text(data: bytes) -> str:
    """The page, with the inlined screen stylesheet as one line: the fixtures need not hold
    a copy of it each (the page tests check what is inlined)."""
    css = (default_dir() / "screen.css").read_text(encoding="utf-8")
    return data.decode("utf-8").replace(css, SCREEN_CSS)


def load(case: str) -> convert.Article | list[convert.Article]:
    """The article (or, for a folder, the articles) of an input case."""
    if case == "seed":  # named as the engine names it: relative to its folder, not this checkout
        return convert.load(SEED, source=SEED.name)
    path = INPUT / case
    if path.is_dir():
        return [_article(p) for p in sorted(path.iterdir())]
    return _article(path.with_suffix(".json"))


def _article(path: Path) -> convert.Article:
    if path.suffix == ".json":
        return convert.Article.from_dict(json.loads(path.read_text(encoding="utf-8")))
    return convert.load(path, source=path.name)


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    styles = {
        s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val")
        for s in etree.fromstring(parts["word/styles.xml"]).iter(f"{W}style")
        if s.find(f"{W}name") is not None
    }
    lines = ["core:"]
    core = etree.fromstring(parts["docProps/core.xml"])
    for el in core:
        name = etree.QName(el).localname
        if name in CORE:
            lines.append(f"  {name}: {el.text or ''}")
    stories = sorted(n for n in parts if re.fullmatch(r"word/(header|footer)\d+\.xml", n))
    for name in [*stories, "word/document.xml"]:
        rels = _rels(parts, name)
        lines.append(f"{name.removeprefix('word/')}:")
        root = etree.fromstring(parts[name])
        for p in root.iter(f"{W}p"):
            lines.append("  " + _paragraph(p, styles, rels))
            if p.find(f"{W}pPr/{W}sectPr") is not None:
                lines.append("  ==== section ====")
    return "\n".join(lines) + "\n"


def _rels(parts: dict[str, bytes], name: str) -> dict[str, str]:
    folder, _, file = name.rpartition("/")
    blob = parts.get(f"{folder}/_rels/{file}.rels")
    if blob is None:
        return {}
    return {r.get("Id"): r.get("Target") for r in etree.fromstring(blob).iter(f"{REL}Relationship")}


def _paragraph(p: etree._Element, styles: dict[str, str], rels: dict[str, str]) -> str:
    props = p.find(f"{W}pPr")
    style = props.find(f"{W}pStyle") if props is not None else None
    head = f"[{styles.get(style.get(f'{W}val'), '?') if style is not None else 'Normal'}]"
    num = props.find(f"{W}numPr/{W}numId") if props is not None else None
    if num is not None:
        head += f" (list {num.get(f'{W}val')})"
    if props is not None and props.find(f"{W}pageBreakBefore") is not None:
        head += " (new page)"
    return f"{head} {_content(p, rels)}".rstrip()


def _content(parent: etree._Element, rels: dict[str, str]) -> str:
    out: list[str] = []
    field: list[str] | None = None  # instruction text while inside a field's code
    for child in parent:
        tag = etree.QName(child).localname
        if tag == "hyperlink":
            rid = child.get(f"{R}id")
            target = rels.get(rid, "") if rid else f"#{child.get(f'{W}anchor')}"
            out.append(f"[{_content(child, rels)}]({target})")
        elif tag == "r":
            char = child.find(f"{W}fldChar")
            if char is not None:  # a field: {CODE: its cached result} (a TOC's spans paragraphs)
                kind = char.get(f"{W}fldCharType")
                if kind == "begin":
                    field = []
                elif kind == "separate" and field is not None:
                    out.append("{" + " ".join("".join(field).split()) + ": ")
                    field = None
                elif kind == "end":
                    out.append("}")
                continue
            instr = child.find(f"{W}instrText")
            if instr is not None and field is not None:
                field.append(instr.text or "")
                continue
            out.append(_run(child))
    return "".join(out)


def _run(r: etree._Element) -> str:
    text = "".join(
        (t.text or "") if etree.QName(t).localname == "t" else " ⏎ " if etree.QName(t).localname == "br"
        else "⇥" if etree.QName(t).localname == "tab" else ""
        for t in r
    )
    props = r.find(f"{W}rPr")
    if text.strip() and props is not None:
        if props.find(f"{W}i") is not None:
            text = f"_{text}_"
        if props.find(f"{W}b") is not None:
            text = f"**{text}**"
    return text


def pdf_text(data: bytes) -> str:
    pdf = PdfReader(io.BytesIO(data))
    info = pdf.metadata or {}
    lines = ["metadata:"]
    for key in ("/Title", "/Author", "/Subject", "/Keywords"):
        lines.append(f"  {key[1:].lower()}: {info.get(key, '')}")
    lines.append(f"  language: {pdf.trailer['/Root'].get('/Lang', '')}")
    lines.append(f"pages: {len(pdf.pages)}")
    lines.append("bookmarks:")

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = pdf.get_destination_page_number(item) + 1
                lines.append(f"  {'  ' * depth}{item.title} (page {page})")

    walk(pdf.outline, 0)
    lines.append("links:")
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                lines.append(f"  {action['/URI']}")
    for n, page in enumerate(pdf.pages, 1):
        lines.append(f"page {n}:")
        for line in (page.extract_text() or "").splitlines():
            if line.strip():  # dot leaders: their length is the fonts', not ours
                lines.append("  " + re.sub(r"\.{4,}", " … ", line.strip()))
    return "\n".join(lines) + "\n"
