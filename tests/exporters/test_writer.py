"""The streaming PDF writer that joins a pack's pieces (convert/exporters/web/writer.py)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pikepdf
import pytest

from convert.exporters.web import writer
from convert.exporters.web.writer import PdfWriter, destinations, outline

HOSTILE = "a (tricky) 5 0 R \\ string ) ( 12 0 R é"


def piece(pages: int, tag: str) -> pikepdf.Pdf:
    """A document whose pages take their /MediaBox and /Resources from a nested page tree, with
    a font, a link whose text looks like references, and an annotation pointing back at its page."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    for k in range(pages):
        content = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({tag} page {k + 1}) Tj ET".encode())
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, Contents=content)))
    tree = pdf.Root.Pages
    kids = list(tree.Kids)
    middle = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Parent=tree, Count=len(kids),
                                                  Kids=pikepdf.Array(kids),
                                                  Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))))
    for kid in kids:
        kid.Parent = middle
        if "/MediaBox" in kid:
            del kid["/MediaBox"]
        if "/Resources" in kid:
            del kid["/Resources"]
    tree.Kids = pikepdf.Array([middle])
    tree.MediaBox = pikepdf.Array([0, 0, 300, 400])
    first = pdf.pages[0].obj
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
                              P=first, A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(HOSTILE)))
    first.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    pdf.docinfo["/Title"] = f"Piece {tag}"
    pdf.Root.Lang = pikepdf.String("en-GB")
    return pdf


def joined(pieces: list[pikepdf.Pdf], marks: list[tuple[int, int, str, float, float]] = (),  # type: ignore[assignment]
           names: list[tuple[bytes, int, float, float]] = ()) -> bytes:  # type: ignore[assignment]
    out = io.BytesIO()
    w = PdfWriter(out)
    tree = w.reserve()
    info = w.copy(pieces[0], pieces[0].trailer.Info)
    pages: list[int] = []
    for src in pieces:
        pages += w.copy_pages(src, tree)
    w.put(tree, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(pages), b" ".join(b"%d 0 R" % p for p in pages)))
    entries = [b"/Type/Catalog/Pages %d 0 R" % tree]
    top = outline(w, [(p, lv, pikepdf.String(t).unparse(), x, y) for p, lv, t, x, y in marks], pages)
    if top:
        entries.append(b"/Outlines %d 0 R" % top)
    dests = destinations(w, names, pages)
    if dests:
        entries.append(b"/Names<</Dests %d 0 R>>" % dests)
    root = w.reserve()
    w.put(root, b"<<" + b"".join(entries) + b">>")
    w.finish(root, info)
    return out.getvalue()


def test_pages_are_copied_whole_with_what_they_inherit() -> None:
    data = joined([piece(2, "A"), piece(3, "B")])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == 5
        texts = [p.Contents.read_bytes() for p in pdf.pages]
        assert [t.split(b"(")[1].split(b")")[0] for t in texts] == \
            [b"A page 1", b"A page 2", b"B page 1", b"B page 2", b"B page 3"]
        for page in pdf.pages:  # the nested trees' /MediaBox and /Resources moved onto each page
            assert list(page.obj.MediaBox) == [0, 0, 300, 400]
            assert page.obj.Resources.Font.F1.BaseFont == pikepdf.Name.Helvetica
            assert page.obj.Parent.objgen == pdf.Root.Pages.objgen
        for k in (0, 2):  # each piece's link: its text as it was, its /P the page it is on
            annot = pdf.pages[k].obj.Annots[0]
            assert str(annot.A.URI) == HOSTILE
            assert annot.P.objgen == pdf.pages[k].obj.objgen
        assert str(pdf.docinfo.Title) == "Piece A" and str(pdf.Root.Pages.Count) == "5"


def test_the_outline_nests_by_level_and_points_at_the_pages() -> None:
    marks = [(0, 1, "Front", 10, 390), (1, 1, "Kent", 10, 390), (1, 2, "Théft (in) Dover", 10, 200),
             (2, 3, "Deeper", 0, 0), (3, 2, "Fraud", 10, 100), (4, 1, "Essex", 10.5, 390.25)]
    data = joined([piece(2, "A"), piece(3, "B")], marks)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {p.objgen: k for k, p in enumerate(pdf.pages)}
        seen = []
        with pdf.open_outline() as tree:
            def walk(items: list[pikepdf.OutlineItem], level: int) -> None:
                for item in items:
                    dest = item.destination
                    seen.append((index[dest[0].objgen], level, item.title, float(dest[2]), float(dest[3])))
                    walk(item.children, level + 1)
            walk(tree.root, 1)
        assert seen == [tuple(float(v) if isinstance(v, float | int) and i > 2 else v
                              for i, v in enumerate(m)) for m in marks]
        assert int(pdf.Root.Outlines.Count) == len(marks)


@pytest.mark.parametrize("count", [1, 3, 300])
def test_named_destinations_are_found_in_a_tree_of_any_size(count: int) -> None:
    names = [(f"a{k}".encode(), k % 5, 10.0, 400.0 - k) for k in range(count)]
    data = joined([piece(2, "A"), piece(3, "B")], names=names)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        assert len(tree) == count
        for name, page, x, y in names:
            dest = tree[name.decode()]
            assert dest[0].objgen == pdf.pages[page].obj.objgen and (float(dest[2]), float(dest[3])) == (x, y)


def test_the_same_pieces_give_the_same_bytes() -> None:
    assert joined([piece(2, "A")]) == joined([piece(2, "A")])  # the /ID hashes what was written
    assert joined([piece(2, "A")]) != joined([piece(2, "C")])


def test_many_objects_fill_several_object_streams(tmp_path: Path) -> None:
    data = joined([piece(150, "A")])  # 150 pages: over 300 objects that are not streams
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 150 and pdf.check_pdf_syntax() == []
        packed = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/ObjStm"]
        assert len(packed) >= 2


@pytest.mark.parametrize("shape", [
    b"1 " * 100_000, b"9" * 200_000 + b" 0 R", b"(" * 200_000, b"(" + b"\\(" * 100_000,
    b"<" * 200_000, b"<" + b"0" * 200_000, b"/N" + b"1 2 " * 50_000,
])
def test_reference_pattern_is_linear_on_worst_case_shapes(shape: bytes) -> None:
    start = time.process_time()
    writer._TOKENS.sub(lambda m: m.group(0), shape)
    assert time.process_time() - start < 5


def test_references_are_found_only_where_a_token_starts() -> None:
    found = [m.groups() for m in writer._TOKENS.finditer(
        b"<< /F1 12 0 R /A (5 0 R) /B <35302052> /N12 3 0 R /K [1 2 0 R] /X1.5 0 R >>") if m.group(1)]
    assert found == [(b"12", b"0"), (b"3", b"0"), (b"2", b"0")]


def test_a_direct_object_is_referenced_through_an_object_of_its_own() -> None:
    w = PdfWriter(io.BytesIO())
    assert w.referenced(b"12 0 R") == b"12 0 R"
    first = w.referenced(b"<</Title(5 0 R)>>")
    assert first == b"1 0 R" and w.pending == [(1, b"<</Title(5 0 R)>>")]
    assert w.referenced(b"(5 0 R)") == b"2 0 R"  # a string that reads like a reference
