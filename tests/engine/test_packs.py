"""PDF packs laid out in parts and merged (convert/exporters/web/pack.py, engine/bundle.py).

A small part size (CONVERT_PACK_PART) forces a handful of seeds into several parts; the merged
pack must say and link exactly what the same pack laid out whole does.
"""

from __future__ import annotations

import io
import json
import re
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, Destination
from seedkit import write_seed

import convert
from convert.exporters.web import pack, writer
from convert.exporters.web.pack import FRONT_ENV, PART_ENV, PARTS_FOLDER
from convert.signals import Stopped

LONG = "\n\n".join(
    [f"## Part {k} of the appeal\n\n" + " ".join(["Officers spoke to witnesses near the scene."] * 60)
     for k in range(1, 4)]
) + "\n\nMore at [the force site](https://www.example.police.uk/appeal/).\n"


def corpus(root: Path, n: int = 10) -> None:
    """`n` seeds over three areas; every third one runs over several pages, with headings."""
    for i in range(n):
        area = ("Kent", "Cumbria", "Lancashire")[i % 3]
        write_seed(root, f"s{i:02d}.md", headline=f"Appeal {i} after incident", area=area,
                   published=f"2020-03-{1 + i:02d}T10:00+00:00", body=LONG if i % 3 == 0 else None)


def build(monkeypatch: pytest.MonkeyPatch, src: Path, target: Path, part: int, jobs: int = 1,
          front: int = 400, **options: object) -> convert.Summary:
    monkeypatch.setenv(PART_ENV, str(part))
    monkeypatch.setenv(FRONT_ENV, str(front))
    return convert.convert_paths(src, "pdf", target.parent, bundle=target, jobs=jobs, **options)


def parts(folder: Path, kind: str = "") -> dict[str, int]:
    """The part PDFs beside a pack (`kind` "stamps-": their stamps; "front-": the front matter)
    → their inode (a part laid out again is a new file)."""
    return {p.name: p.stat().st_ino for p in (folder / PARTS_FOLDER).glob(f"pack.{kind}*.pdf")
            if kind or re.fullmatch(r"pack\.[0-9a-f]+\.pdf", p.name)}


def page_of(r: PdfReader, dest: object) -> int:
    if isinstance(dest, str):
        dest = r.named_destinations[dest]
    if isinstance(dest, Destination):
        return r.get_destination_page_number(dest)
    assert isinstance(dest, ArrayObject)
    return r.get_page_number(dest[0].get_object())


def described(data: bytes) -> dict[str, object]:
    """What a reader sees: every page's text (running header, page number, contents entries
    with their numbers), the outline (level, title, page), every link (page → target), metadata."""
    r = PdfReader(io.BytesIO(data))
    outline: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                outline.append((depth, str(item.title), r.get_destination_page_number(item)))

    walk(r.outline, 0)
    links: list[tuple[int, object]] = []
    for number, page in enumerate(r.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                links.append((number, str(action["/URI"])))
            elif action is not None and action.get("/S") == "/GoTo":
                links.append((number, page_of(r, action["/D"])))
            elif "/Dest" in annot:
                links.append((number, page_of(r, annot["/Dest"])))
    meta = r.metadata or {}
    return {
        "pages": [p.extract_text() for p in r.pages],
        "outline": outline,
        "links": links,
        "meta": {k: meta.get(k) for k in ("/Title", "/Author", "/Subject", "/Keywords")},
    }


def test_a_merged_pack_matches_the_pack_laid_out_whole(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    build(monkeypatch, tmp_path / "in", tmp_path / "whole" / "pack.pdf", part=0)
    summary = build(monkeypatch, tmp_path / "in", tmp_path / "merged" / "pack.pdf", part=2, jobs=2)
    assert summary.failed == 0
    assert not (tmp_path / "whole" / PARTS_FOLDER).exists()
    assert len(parts(tmp_path / "merged")) >= 3  # it was made in parts
    whole = described((tmp_path / "whole" / "pack.pdf").read_bytes())
    merged = described((tmp_path / "merged" / "pack.pdf").read_bytes())
    for key in ("meta", "outline", "links"):
        assert merged[key] == whole[key], key
    assert merged["pages"] == whole["pages"]
    # and what it is: headings under headlines under areas, numbered pages, contents linking
    pages = whole["pages"]
    assert isinstance(pages, list) and len(pages) > 12
    assert pages[-1].rstrip().endswith(f"Page {len(pages)} of {len(pages)}")
    assert any("Part 2 of the appeal" in t for _, t, _ in whole["outline"])  # type: ignore[union-attr]
    levels = {depth for depth, _, _ in whole["outline"]}  # type: ignore[union-attr]
    assert levels == {0, 1, 2}
    goto = [target for _, target in whole["links"] if isinstance(target, int)]  # type: ignore[union-attr]
    # "At a glance" (one link an article), then the contents: each links every article, in order
    glance, contents = goto[:10], goto[10:]
    assert len(set(goto)) == 10 and glance == sorted(set(goto)) and contents == sorted(contents)
    assert set(contents) == set(glance)
    assert any(t == "https://www.example.police.uk/appeal/" for _, t in whole["links"])  # type: ignore[union-attr]


@pytest.mark.parametrize("group_by", ["kind", "date"])
def test_a_merged_pack_follows_the_grouping_as_the_whole_one_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, group_by: str
) -> None:
    corpus(tmp_path / "in")
    build(monkeypatch, tmp_path / "in", tmp_path / "whole" / "pack.pdf", part=0, group_by=group_by)
    build(monkeypatch, tmp_path / "in", tmp_path / "merged" / "pack.pdf", part=2, group_by=group_by)
    assert len(parts(tmp_path / "merged")) >= 3
    whole = described((tmp_path / "whole" / "pack.pdf").read_bytes())
    merged = described((tmp_path / "merged" / "pack.pdf").read_bytes())
    assert merged == whole
    tops = [title for depth, title, _ in whole["outline"] if depth == 0]  # type: ignore[union-attr]
    assert "Kent" not in tops  # grouped by kind or day, not by area


def test_changing_one_article_lays_out_only_its_part(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    corpus(tmp_path / "in", 12)
    target = tmp_path / "out" / "pack.pdf"
    build(monkeypatch, tmp_path / "in", target, part=2)
    before, stamps = parts(tmp_path / "out"), parts(tmp_path / "out", "stamps-")
    assert len(before) >= 4 and len(stamps) == len(before)
    write_seed(tmp_path / "in", "s04.md", headline="Appeal 4 after incident", area="Cumbria",
               published="2020-03-05T10:00+00:00", body="A changed body, and a shorter one.\n")
    summary = build(monkeypatch, tmp_path / "in", target, part=2)
    assert summary.failed == 0 and summary.outputs == 1
    after = parts(tmp_path / "out")
    assert len(set(after) - set(before)) == 1  # one part laid out again
    assert len(set(before) - set(after)) == 1  # its old version forgotten
    assert all(before[name] == ino for name, ino in after.items() if name in before)  # the rest untouched
    # its page count, headline and date unchanged: no page's margins change; only its own stamps
    # are laid out again (its new pages are drawn under them there)
    new_stamps = parts(tmp_path / "out", "stamps-")
    assert len(new_stamps) == len(stamps) and len(set(new_stamps) - set(stamps)) == 1
    assert all(stamps[name] == ino for name, ino in new_stamps.items() if name in stamps)
    assert "A changed body, and a shorter one." in "".join(described(target.read_bytes())["pages"])  # type: ignore[arg-type]
    # nothing changed: nothing laid out, nothing written
    assert build(monkeypatch, tmp_path / "in", target, part=2).outputs == 0
    assert parts(tmp_path / "out") == after


def test_force_lays_every_piece_out_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    corpus(tmp_path / "in", 12)
    target = tmp_path / "out" / "pack.pdf"
    build(monkeypatch, tmp_path / "in", target, part=2)
    folder = tmp_path / "out" / PARTS_FOLDER

    def written() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in folder.glob("pack.*.pdf")}

    before, text = written(), described(target.read_bytes())
    summary = build(monkeypatch, tmp_path / "in", target, part=2, force=True)
    assert summary.failed == 0 and summary.outputs == 1
    after = written()
    assert set(after) == set(before) and len(after) > 8  # the same pieces, parts and stamps...
    assert all(after[name] > before[name] for name in after)  # ...each laid out again
    assert described(target.read_bytes()) == text


def ctrl_c(_: str) -> BaseException:
    return Stopped(signal.SIGINT)


@pytest.mark.parametrize("stop", [ctrl_c, RuntimeError])
def test_a_stopped_merge_leaves_the_old_pack_whole(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   stop: Callable[[str], BaseException]) -> None:
    corpus(tmp_path / "in")
    target = tmp_path / "out" / "pack.pdf"
    build(monkeypatch, tmp_path / "in", target, part=2)
    old = target.read_bytes()
    write_seed(tmp_path / "in", "s01.md", headline="Appeal 1 changed", area="Cumbria")
    joined = 0
    real = writer.PdfWriter.copy_pages

    def failing(self: writer.PdfWriter, *args: object) -> list[int]:
        nonlocal joined
        joined += 1
        if joined == 3:
            raise stop("stopped mid-merge")
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(writer.PdfWriter, "copy_pages", failing)
    summary = build(monkeypatch, tmp_path / "in", target, part=2)
    assert summary.interrupted if stop is ctrl_c else summary.failed == 1
    assert joined == 3
    assert target.read_bytes() == old
    leftovers = [p.name for p in (tmp_path / "out").rglob(".*") if p.is_file() and ".~convert-" in p.name]
    assert leftovers == []
    assert not list((tmp_path / "out" / PARTS_FOLDER).glob("*.front.pdf"))


def test_a_pdf_variant_is_laid_out_whole(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    corpus(tmp_path / "in", 6)
    target = tmp_path / "out" / "pack.pdf"
    assert build(monkeypatch, tmp_path / "in", target, part=2, pdf_variant="pdf/ua-1").failed == 0
    assert not (tmp_path / "out" / PARTS_FOLDER).exists()
    assert "/StructTreeRoot" in PdfReader(target).trailer["/Root"]  # tagged: one document


def test_front_matter_of_several_pages_and_parts_that_move(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    """The front matter fills several pages (its length is part of every page number after it),
    its length as last seen is wrong, and an article gets shorter: every page after it moves."""
    corpus(tmp_path / "in", 40)
    target = tmp_path / "out" / "pack.pdf"
    assert build(monkeypatch, tmp_path / "in", target, part=4, jobs=2).failed == 0
    report = tmp_path / "out" / PARTS_FOLDER / "pack.front.json"
    assert json.loads(report.read_text())["pages"] >= 4  # cover, glance and contents over pages
    report.write_text('{"pages": 2}')  # a wrong guess: laid out again until it holds
    before, stamps = parts(tmp_path / "out"), parts(tmp_path / "out", "stamps-")
    old = described(target.read_bytes())["pages"]
    write_seed(tmp_path / "in", "s00.md", headline="Appeal 0 after incident", area="Kent",
               published="2020-03-01T10:00+00:00", body="Now a short one.\n")  # was three pages
    assert build(monkeypatch, tmp_path / "in", target, part=4, jobs=2).failed == 0
    assert len(set(parts(tmp_path / "out")) - set(before)) == 1  # one body part laid out again
    assert len(set(parts(tmp_path / "out", "stamps-")) - set(stamps)) >= 2  # its stamps, and the ones after
    build(monkeypatch, tmp_path / "in", tmp_path / "whole" / "pack.pdf", part=0)
    whole = described((tmp_path / "whole" / "pack.pdf").read_bytes())
    merged = described(target.read_bytes())
    assert merged == whole
    assert isinstance(old, list) and len(merged["pages"]) == len(old) - 2  # type: ignore[arg-type]
    assert json.loads(report.read_text())["pages"] >= 4


def test_a_front_matter_in_slices_matches_the_whole_pack_and_keeps_its_slices(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """"At a glance" and the contents laid out in slices of a few articles, each from a new page,
    a group cut between two slices "(continued)"; laid out whole, the same pack breaks the same
    way. One article gets shorter: the contents slices after it are laid out again (their page
    numbers moved), the ones before it and every "At a glance" slice are not."""
    corpus(tmp_path / "in", 30)
    target = tmp_path / "out" / "pack.pdf"
    assert build(monkeypatch, tmp_path / "in", target, part=4, jobs=2, front=4).failed == 0
    build(monkeypatch, tmp_path / "in", tmp_path / "whole" / "pack.pdf", part=0, front=4)
    merged = described(target.read_bytes())
    assert merged == described((tmp_path / "whole" / "pack.pdf").read_bytes())
    pages = merged["pages"]
    assert isinstance(pages, list)
    text = "\n".join(pages)
    assert text.upper().count("AT A GLANCE") >= 3 and "(CONTINUED)" in text.upper()  # headers, a cut group
    tops = [title for depth, title, _ in merged["outline"] if depth == 0]  # type: ignore[union-attr]
    assert tops[:2] == ["At a glance", "Contents"] and tops.count("Contents") == 1
    glance, contents = parts(tmp_path / "out", "glance-"), parts(tmp_path / "out", "contents-")
    assert len(glance) >= 3 and len(contents) == len(glance)
    # every article is linked from "At a glance" and the contents, to its first page
    goto = [t for _, t in merged["links"] if isinstance(t, int)]  # type: ignore[union-attr]
    front = json.loads((tmp_path / "out" / PARTS_FOLDER / "pack.front.json").read_text())["pages"]
    assert len(set(goto)) == 30 and min(goto) == front  # (0-based: the page after the front matter)
    assert "Page " not in pages[0] and f"Page 2 of {len(pages)}" in pages[1]  # the cover has none

    write_seed(tmp_path / "in", "s27.md", headline="Appeal 27 after incident", area="Kent",
               published="2020-03-28T10:00+00:00", body="Now a short one.\n")  # was three pages
    assert build(monkeypatch, tmp_path / "in", target, part=4, jobs=2, front=4).failed == 0
    assert parts(tmp_path / "out", "glance-") == glance  # no row of "At a glance" changed
    after = parts(tmp_path / "out", "contents-")
    kept = set(after) & set(contents)
    assert kept and len(after) == len(contents) and len(kept) < len(contents)
    build(monkeypatch, tmp_path / "in", tmp_path / "whole" / "pack.pdf", part=0, front=4)
    assert described(target.read_bytes()) == described((tmp_path / "whole" / "pack.pdf").read_bytes())


@pytest.mark.parametrize(("groups", "size", "expected"), [
    ([10] * 40, 400, [400]),  # one slice's worth: one slice
    ([10] * 40, 100, [100, 100, 100, 100]),  # at group ends
    ([43] * 46, 400, None),  # 1,978 articles: six slices at group ends, none longer than 400
    ([7, 500, 3], 500, [255, 255]),  # even halves, the cut inside the big group
    ([7, 500, 3], 100, None),  # a big group is cut inside: "continued"
])
def test_front_slices_are_even_and_end_at_groups_where_they_can(groups: list[int], size: int,
                                                                 expected: list[int] | None) -> None:
    from convert.collate import Section

    sections = [Section(f"Area {k}", tuple(object() for _ in range(n))) for k, n in enumerate(groups)]  # type: ignore[misc]
    slices = pack.front_slices(sections, size)
    counts = [s.count for s in slices]
    total = sum(groups)
    assert sum(counts) == total and slices[0].before == 0 and slices[0].first
    assert [s.before for s in slices] == [sum(counts[:k]) for k in range(len(counts))]
    if expected is not None:
        assert counts == expected
    share = total / len(slices)
    assert all(c <= size and c <= share + share / 4 for c in counts)  # never more than a small pack's
    assert -(-total // size) <= len(slices) <= -(-total * 5 // (size * 4))
    ends = {sum(groups[: k + 1]) for k in range(len(groups))}
    for s in slices[1:]:  # a slice starting inside a group says so
        assert s.continues == (s.before not in ends)
    if groups == [43] * 46:
        assert not any(s.continues for s in slices)  # group ends near enough every time


@pytest.mark.parametrize(("seeds", "early"), [(10, True), (3, False)])
def test_layout_workers_are_forked_before_the_articles_are_read(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seeds: int, early: bool) -> None:
    """A worker carries what the main process holds when it is forked: the pool that lays out a
    pack's pieces starts before the seeds are read, not after, when it would carry every article.
    A pack too small for pieces starts none."""
    from convert.engine import dispatch, executors

    corpus(tmp_path / "in", seeds)
    events: list[str] = []
    start, run = executors.PoolExecutor.start, dispatch.Dispatcher.run

    def started(self: executors.PoolExecutor) -> None:
        events.append(f"fork {self.jobs}")
        start(self)

    def read(self: dispatch.Dispatcher, *args: object) -> None:
        events.append("read")
        run(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(executors.PoolExecutor, "start", started)
    monkeypatch.setattr(dispatch.Dispatcher, "run", read)
    target = tmp_path / "out" / "pack.pdf"
    assert build(monkeypatch, tmp_path / "in", target, part=2, jobs=2).failed == 0
    assert events[:2] == (["fork 2", "read"] if early else ["read"])
    assert len(PdfReader(target).pages) > seeds


def test_only_body_parts_carry_articles_to_the_workers(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    """Every other piece is sent as the page made for its cache name: the cover's and its
    stamps' articles are the whole pack's, and a worker's memory must not grow with the pack."""
    from convert.engine import pieces

    corpus(tmp_path / "in", 10)
    sent: list[object] = []
    work = pieces.Pack._work

    def recorded(self: pieces.Pack, *args: object, **kwargs: object) -> object:
        task = work(self, *args, **kwargs)  # type: ignore[arg-type]
        sent.append(task.part)
        return task

    monkeypatch.setattr(pieces.Pack, "_work", recorded)
    assert build(monkeypatch, tmp_path / "in", tmp_path / "out" / "pack.pdf", part=2, front=4).failed == 0
    bodies = [p for p in sent if p.step is None]  # type: ignore[attr-defined]
    others = [p for p in sent if p.step is not None]  # type: ignore[attr-defined]
    assert len(bodies) == 5 and all(p.groups and p.page is None for p in bodies)  # type: ignore[attr-defined]
    assert others and all(p.groups == () and p.page is not None for p in others)  # type: ignore[attr-defined]
    assert sum(isinstance(p.step, pack.FrontStep) and p.step.kind == "cover" for p in others) == 1  # type: ignore[attr-defined]
