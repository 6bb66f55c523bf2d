"""Joining a PDF pack's pieces with pikepdf (see `pack` for how a pack is cut into them).

`underlay` runs where a piece's stamps were laid out: it draws the piece's pages under them, as
form XObjects, with their links. `merge` runs in the main process: it only copies finished pages
out, one piece at a time (`writer`), then writes the outline and the articles' named
destinations, so its memory does not grow with the pack.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from .pack import ARTICLE_ANCHOR, Stamped


def underlay(stamps: bytes, piece: str, target: Path, front: bool) -> None:
    """Draw the pages of the PDF `piece` under the stamps' pages (a PDF's bytes), page by page,
    and save the result as `target` (whole, through a temporary name). Runs where the stamps were
    laid out: the parent then only joins whole pages. `front`: the piece is front matter, whose
    links to the articles are kept."""
    import pikepdf

    from ...files import writing

    with pikepdf.open(io.BytesIO(stamps)) as out, pikepdf.open(piece) as src:
        if len(src.pages) != len(out.pages):
            raise ValueError(f"the piece has {len(src.pages)} pages, its stamps {len(out.pages)}")
        for base, page in zip(out.pages, src.pages, strict=True):
            _draw(out, base, page, front)
        with writing(target) as f:  # (qpdf copies the piece's streams here, while it is open)
            out.save(f, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def merge(pieces: Sequence[tuple[Path, Stamped]], target: Path) -> None:
    """The pack: every piece's pages in order (the front matter's pieces, then the parts'),
    then the outline (every piece's bookmarks) and the articles' named destinations (what the
    contents and "At a glance" link to); the first piece gives the pack's metadata. Written as
    `target`, through a temporary name, one piece at a time (`writer`): memory holds one piece
    and a few numbers a page, however long the pack."""
    import pikepdf

    from ...files import writing
    from .writer import PdfWriter, destinations, outline

    marks: list[tuple[int, int, bytes, float, float]] = []
    anchors: list[tuple[bytes, int, float, float]] = []
    pages: list[int] = []
    with writing(target) as out:
        for first, (path, report) in enumerate(pieces):
            with pikepdf.open(path) as src:
                if len(src.pages) != report.pages:
                    raise ValueError(f"{path.name} has {len(src.pages)} pages, its report {report.pages}")
                if first == 0:  # it gives the pack's metadata
                    writer = PdfWriter(out, src.pdf_version)
                    tree = writer.reserve()
                    info = None
                    if "/Info" in src.trailer:  # (a reference: the trailer holds no other kind)
                        info = writer.referenced(writer.copy(src, src.trailer.Info))
                    skip = {"/Type", "/Pages", "/Outlines", "/Names"}
                    kept = pikepdf.Dictionary({key: v for key, v in src.Root.items() if key not in skip})
                    catalog = writer.copy(src, kept).strip()[2:-2]
                at = len(pages)
                pages += writer.copy_pages(src, tree)
            marks += [(at + p, level, pikepdf.String(label).unparse(), x, y)
                      for p, level, label, x, y in report.bookmarks]
            anchors += [(name.encode(), at + p, x, y) for name, p, x, y in report.anchors]
        kids = b" ".join(b"%d 0 R" % p for p in pages)
        writer.put(tree, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(pages), kids))
        root = writer.reserve()
        entries = [b"/Type/Catalog/Pages %d 0 R" % tree, catalog]
        if (top := outline(writer, marks, pages)) is not None:
            entries.append(b"/Outlines %d 0 R" % top)
        if (names := destinations(writer, anchors, pages)) is not None:
            entries.append(b"/Names<</Dests %d 0 R>>" % names)
        writer.put(root, b"<<" + b" ".join(entries) + b">>")
        writer.finish(root, info)


def _draw(out: object, base: object, page: object, front: bool = False) -> None:
    import pikepdf

    assert isinstance(out, pikepdf.Pdf) and isinstance(base, pikepdf.Page) and isinstance(page, pikepdf.Page)
    form = out.copy_foreign(page.as_form_xobject())
    base.add_underlay(form, pikepdf.Rectangle(base.mediabox))  # the stamp draws only the margins
    annots = page.obj.get("/Annots")
    if annots is None:
        return
    # A link inside a body part to a part page would dangle; the front's links to the articles
    # name their destinations, which the merge adds.
    kept = [a for a in annots if _external(a) or (front and _to_article(a))]
    if kept:
        if "/Annots" not in base.obj:
            base.obj.Annots = out.make_indirect(pikepdf.Array())
        for annot in kept:
            base.obj.Annots.append(out.copy_foreign(annot))


def _external(annot: object) -> bool:
    import pikepdf

    assert isinstance(annot, pikepdf.Dictionary)
    action = annot.get("/A")
    return annot.get("/Subtype") == pikepdf.Name.Link and isinstance(action, pikepdf.Dictionary) \
        and action.get("/S") == pikepdf.Name.URI


def _to_article(annot: object) -> bool:
    import pikepdf

    assert isinstance(annot, pikepdf.Dictionary)
    dest = annot.get("/Dest")
    return isinstance(dest, pikepdf.String) and ARTICLE_ANCHOR.fullmatch(str(dest)) is not None
