"""Joining a PDF pack's pieces with pikepdf (see `pack` for how a pack is cut into them).

`underlay` runs where a piece's stamps were laid out: it draws the piece's pages under them, as
form XObjects, with their links. `merge` runs in the main process: it only joins finished pages,
in order, then writes the outline and the articles' named destinations, closing each piece once
joined, so its memory stays small.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

from .pack import ARTICLE_ANCHOR, Stamped


def underlay(stamps: bytes, piece: str, target: Path, front: bool) -> None:
    """Draw the pages of the PDF `piece` under the stamps' pages (a PDF's bytes), page by page,
    and save the result as `target` (whole, through a temporary name). Runs where the stamps were
    laid out: the parent then only joins whole pages. `front`: the piece is front matter, whose
    links to the articles are kept."""
    import pikepdf

    with pikepdf.open(io.BytesIO(stamps)) as out, pikepdf.open(piece) as src:
        if len(src.pages) != len(out.pages):
            raise ValueError(f"the piece has {len(src.pages)} pages, its stamps {len(out.pages)}")
        for base, page in zip(out.pages, src.pages, strict=True):
            _draw(out, base, page, front)
        _save(out, target)  # (qpdf copies the piece's streams here, while it is open)


def merge(front: Path, parts: Sequence[tuple[Path, Stamped]], target: Path) -> None:
    """The front matter (its stamps with its pieces drawn under them: its pages, the pack's
    metadata and the front's outline), then every part's pages (stamps over articles), in order;
    the outline (the parts' bookmarks added) and the articles' named destinations (what the
    contents and "At a glance" link to) written; saved as `target` (written whole, to a temporary
    name first). Pages are only joined here, never drawn: memory follows the page count lightly."""
    import pikepdf

    with pikepdf.open(front) as out:
        marks: list[tuple[int, int, str, float, float]] = []
        anchors: list[tuple[str, int, float, float]] = []
        for path, report in parts:
            # Closed once joined: qpdf keeps what the copied pages need, and an open part holds
            # far more (2,000 articles: 60 MB joined so, 130 MB with every part left open).
            with pikepdf.open(path) as src:
                if len(src.pages) != report.pages:
                    raise ValueError(f"{path.name} has {len(src.pages)} pages, its report {report.pages}")
                at = len(out.pages)
                _join(out, src)
            marks += [(at + p, level, label, x, y) for p, level, label, x, y in report.bookmarks]
            anchors += [(name, at + p, x, y) for name, p, x, y in report.anchors]
        _outline(out, marks)
        _destinations(out, anchors)
        _save(out, target)


def _join(out: object, src: object) -> None:
    import pikepdf

    assert isinstance(out, pikepdf.Pdf) and isinstance(src, pikepdf.Pdf)
    with warnings.catch_warnings():
        # The front's links name the articles' destinations, which `merge` writes; the warning
        # that pages.extend() does not carry a document's destinations does not apply.
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        out.pages.extend(src.pages)


def _outline(out: object, marks: Sequence[tuple[int, int, str, float, float]]) -> None:
    """Add the bookmarks (page, level, label, x, y), in order, after the front's own outline,
    nested by level as WeasyPrint nests them."""
    import pikepdf

    assert isinstance(out, pikepdf.Pdf)
    with out.open_outline() as outline:
        stack: list[tuple[int, list[pikepdf.OutlineItem]]] = [(0, outline.root)]
        for page, level, label, x, y in marks:
            while stack[-1][0] >= level:
                stack.pop()
            item = pikepdf.OutlineItem(label, page, "XYZ", left=x, top=y, zoom=0)
            stack[-1][1].append(item)
            stack.append((level, item.children))


def _destinations(out: object, anchors: Sequence[tuple[str, int, float, float]]) -> None:
    """Point the articles' named destinations (the front matter has stand-ins) at their pages."""
    import pikepdf

    assert isinstance(out, pikepdf.Pdf)
    if "/Names" not in out.Root:
        out.Root.Names = out.make_indirect(pikepdf.Dictionary())
    names = out.Root.Names
    tree = pikepdf.NameTree(names.Dests) if "/Dests" in names else pikepdf.NameTree.new(out)
    for name, page, x, y in anchors:
        tree[name] = pikepdf.Array([out.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])
    names.Dests = tree.obj


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


def _save(pdf: object, target: Path) -> None:
    import pikepdf

    from ...files import name_max, temp_name

    assert isinstance(pdf, pikepdf.Pdf)
    tmp = target.with_name(temp_name(target.name, f"{os.getpid() & 0xFFFFFFFF:08x}", name_max(target.parent)))
    try:
        pdf.save(tmp, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
