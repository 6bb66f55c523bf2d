"""A PDF pack laid out in pieces, on as many processes as there are, and joined into one file.

One WeasyPrint layout of a whole pack runs on one core, and its memory grows with its pages.
So a big pack is made in pieces, none of which grows with the pack:

1. **Parts.** The pack's articles, in the pack's order (`BundleView.sections`), are cut into
   parts (`split`); each part is laid out alone (`Briefing.lay_out_body`), anywhere: its PDF has
   the articles' pages without any margin boxes (no running header, no page number), and it
   reports, for each article, how many pages it fills and the bookmarks on each page.
2. **Front matter.** The cover, and "At a glance" and the contents cut into slices
   (`front_slices`: each starts a page, in a pack laid out whole too), each laid out alone and
   bare the same way (`FrontStep`). The contents print page numbers as text: they count the
   front's own pages, so if filling them in changes its length they are laid out again (the
   length last seen is the first guess).
3. **Stamps.** For each part and each front piece a *stamp* document: as many empty pages as it
   filled, each carrying what only the whole pack knows, from the same CSS: the running header,
   "Page N of M" (both numbers given as text) and the piece's bookmarks at the height they were
   found (`StampStep`, `FrontStamps`). Where it is laid out, the piece's pages are drawn under its
   stamps as form XObjects, with their links (`join.underlay`): a finished piece.
4. **Join** (`join.merge`, with pikepdf): the finished cover, then every other finished piece, in
   order; the outline (the stamps' bookmarks, nested by level as WeasyPrint nests them) and each
   article's named destination (the contents and "At a glance" link to it) pointed at its first
   page. Each piece is closed once joined.

A part depends only on its articles (and the exporter, styles and options): it is cached by
content, beside the pack, so changing one article lays out its part again. Stamps and front
pieces are cached by what they are laid out from (their HTML, and the names of the pieces drawn
under them: `piece_key`): an article changed with the same page count, headline and date lays
out its part and that part's stamps; one whose page count changes moves every page number after
it and the pack's count ("of M" is on every page), so every stamp document is laid out again
(empty pages: cheap, and in parallel) and the contents slices whose numbers moved, never the
other articles or "At a glance".
Parts are cut where an article's *source path* hashes to a boundary (content-defined, as rsync
and backup tools do), so an article changed, added or removed moves no other part's edges.

PDF/A and PDF/UA variants are not joined (their structure tree and conformance claims cover
one document): a pack in a variant is laid out whole, as before. The order of the work is the
engine's (`convert.engine.pieces`).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...collate import Section
from ...model import Article

# Articles per part, on average. About 5 s of layout and ~60 MB of memory each; big enough that
# a part's fixed costs (fonts subset per document) are small, small enough for two cores to
# share even a 400-article pack evenly. Tests set it small through the environment.
PART_ARTICLES = 40
PART_ENV = "CONVERT_PACK_PART"
PARTS_FOLDER = ".convert-parts"  # beside the pack: the cached parts
# Articles per slice of the front matter ("At a glance" rows, contents lines): about six pages of
# glance, five of contents, two seconds of layout. Each slice starts a page (its group's, where
# the slices can end at groups). At 200, a 400-article pack's front is two slices of each, so
# both cores share it: 11 % faster than one slice of 400, and its largest worker 10 MB smaller.
# Tests set it small.
FRONT_ARTICLES = 200
FRONT_ENV = "CONVERT_PACK_FRONT"
ARTICLE_ANCHOR = re.compile(r"a[0-9]+")  # an article's anchor in a pack: `a1`, `a2`, ...


def part_size() -> int:
    """Articles per part: `CONVERT_PACK_PART` if set (0 lays every pack out whole)."""
    raw = os.environ.get(PART_ENV, "").strip()
    if raw.isdigit():
        return int(raw)
    return PART_ARTICLES


def front_size() -> int:
    """Articles per slice of the front matter: `CONVERT_PACK_FRONT` if set (0: one slice)."""
    raw = os.environ.get(FRONT_ENV, "").strip()
    if raw.isdigit():
        return int(raw)
    return FRONT_ARTICLES


# --- what a laid-out part reports -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """A bookmark found on a part's page: its level, label and height on the page (CSS px from
    the top of the page area, where the article's first page starts)."""

    level: int
    label: str
    top: float


Pages = tuple[tuple[Mark, ...], ...]  # one article: the bookmarks on each of its pages


@dataclass(frozen=True, slots=True)
class Laid:
    """A part laid out: per article (in order), its pages."""

    articles: tuple[Pages, ...]

    @property
    def pages(self) -> int:
        return sum(len(a) for a in self.articles)

    def to_json(self) -> str:
        return json.dumps([[[[m.level, m.label, m.top] for m in page] for page in a] for a in self.articles])

    @classmethod
    def from_json(cls, text: str) -> Laid:
        return cls(tuple(tuple(tuple(Mark(int(v[0]), str(v[1]), float(v[2])) for v in page) for page in a)
                         for a in json.loads(text)))


@dataclass(frozen=True, slots=True)
class Stamped:
    """A part's stamps laid out: its page count, the bookmarks on its pages (page index in the
    part, level, label, and where, in PDF points) and where each article starts (its anchor)."""

    pages: int
    bookmarks: tuple[tuple[int, int, str, float, float], ...]
    anchors: tuple[tuple[str, int, float, float], ...]

    def to_json(self) -> str:
        return json.dumps({"pages": self.pages, "bookmarks": self.bookmarks, "anchors": self.anchors})

    @classmethod
    def from_json(cls, text: str) -> Stamped:
        d = json.loads(text)
        return cls(int(d["pages"]),
                   tuple((int(p), int(lv), str(lb), float(x), float(y))
                         for p, lv, lb, x, y in d["bookmarks"]),
                   tuple((str(n), int(p), float(x), float(y)) for n, p, x, y in d["anchors"]))


@dataclass(frozen=True, slots=True)
class Fronted:
    """The front matter laid out: its page count."""

    pages: int

    def to_json(self) -> str:
        return json.dumps({"pages": self.pages})

    @classmethod
    def from_json(cls, text: str) -> Fronted:
        return cls(int(json.loads(text)["pages"]))


Report = Laid | Stamped  # what a laid-out piece of a pack reports


@dataclass(frozen=True, slots=True)
class StampStep:
    """Lay out a part's stamps, not its articles: for each article its pages' bookmarks (as its
    body part found them); the pack's page number of the part's first page, and the pack's page
    count (both printed as literal text: the part does not see the rest of the pack); the number
    of the pack's articles before it (anchors are `a1`... over the whole pack); and whether its
    first group goes on from the part before (its group's bookmark is there, not here)."""

    pages: tuple[Pages, ...]
    first: int
    total: int
    before: int
    continues: bool
    under: str  # the body part's PDF, drawn under the stamps once laid out


@dataclass(frozen=True, slots=True)
class FrontSlice:
    """A run of the pack's articles whose "At a glance" rows, or contents lines, are laid out as
    one piece of the front matter: slices of the pack's sections; how many of the pack's articles
    come before it (anchors count on from it); whether its first group goes on from the slice
    before ("Kent (continued)"); whether it is the first (it carries the title)."""

    groups: tuple[Section, ...]
    before: int
    continues: bool

    @property
    def first(self) -> bool:
        return self.before == 0

    @property
    def count(self) -> int:
        return sum(len(g.articles) for g in self.groups)


def front_slices(sections: Sequence[Section], size: int) -> list[FrontSlice]:
    """Cut the front matter's rows into slices of at most `size` articles (size 0: one slice),
    as even as the groups allow: each ends at the group end nearest its even share (within a
    quarter of it), else inside a group. No slice is longer than a pack of `size` articles has,
    so laying one out takes the same time and memory in a pack of any size. Every slice of "At a
    glance" and of the contents starts a page, in a pack laid out whole too, so the two layouts
    agree page for page."""
    flat = [(s, a) for s in sections for a in s.articles]
    if size <= 0 or len(flat) <= size:
        return [FrontSlice(tuple(sections), 0, False)]
    ends = [i + 1 for i in range(len(flat) - 1) if flat[i][0] is not flat[i + 1][0]]
    count = -(-len(flat) // size)
    while (cuts := _cuts(len(flat), count, ends, size)) is None:
        count += 1  # the group ends drew the cuts short: one slice more
    slices, start = [], 0
    for cut in cuts:
        continues = start > 0 and flat[start - 1][0] is flat[start][0]
        slices.append(FrontSlice(_regrouped(flat[start:cut]), start, continues))
        start = cut
    return slices


def _cuts(total: int, count: int, ends: Sequence[int], size: int) -> list[int] | None:
    """Where each of `count` slices of at most `size` rows ends, or None if the last would be
    longer: each at the group end (in `ends`) nearest its even share, within a quarter of it."""
    share = total / count
    cuts, start = [], 0
    for k in range(1, count):
        ideal, slack = round(k * share), int(share / 4)
        high = min(ideal + slack, start + size)
        near = ends[bisect.bisect_left(ends, ideal - slack):bisect.bisect_right(ends, high)]
        start = min(near, key=lambda e: abs(e - ideal)) if near else min(ideal, high)
        cuts.append(start)
    return [*cuts, total] if total - start <= size else None


@dataclass(frozen=True, slots=True)
class FrontStep:
    """Lay out one piece of the front matter alone, without margin boxes (its stamps carry them):
    the cover ("cover"), or one slice's "At a glance" rows ("glance") or contents lines
    ("contents"; `numbers`: each of its articles' first page in the pack, printed as text). Its
    report is its pages, with the bookmarks on each, as a body part's for one article."""

    kind: str
    before: int = 0
    continues: bool = False
    grouped: bool = True  # the pack has more than one group ("At a glance" shows group rows)
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class FrontStamps:
    """Lay out the stamps of one piece of the front matter (the cover, or one slice of "At a
    glance" or of the contents): for each of its pages, its kind (each kind has its own running
    header) and bookmarks; the pack's page number of its first page, and the pack's page count;
    the piece's PDF, drawn under them."""

    pages: tuple[tuple[str, tuple[Mark, ...]], ...]
    first: int
    total: int
    under: str  # the piece's PDF


Step = StampStep | FrontStep | FrontStamps  # a piece of a pack other than a body part


def folio(page: int, total: int) -> str:
    """The page-number line of a pack page (as the whole pack's CSS prints it)."""
    return f"Page {page} of {total}"


def piece_key(stamp: str, html: str, css: str, step: Step) -> str:
    """The cache name of a part's stamps or of a piece of the front matter: what it is laid out
    from (`stamp`: exporter, styles, options; its HTML and added CSS), for stamps whether the
    part's first bookmark is dropped, and the pieces drawn under it (their names are their keys)."""
    under = os.path.basename(step.under) if isinstance(step, StampStep | FrontStamps) else ""
    h = hashlib.sha256(f"{stamp}\0{css}\0{isinstance(step, StampStep) and step.continues}\0".encode())
    h.update(f"{under}\0".encode())
    h.update(html.encode())
    return h.hexdigest()[:32]


# --- cutting a pack into parts --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """A run of consecutive articles of the pack: the sections they are in, sliced."""

    groups: tuple[Section, ...]
    keys: tuple[str, ...]  # each article's content key (its seed's digest), in order

    @property
    def count(self) -> int:
        return sum(len(g.articles) for g in self.groups)


def split(sections: Sequence[Section], names: Sequence[str], keys: Sequence[str], size: int) -> list[Part]:
    """Cut the pack (its sections; each article's stable name and content key, in the same
    order) into parts of about `size` articles. A part ends after an article whose name hashes
    to a boundary (one in `size`), and has between size/2 and 2×size articles: so edges depend
    on the articles around them only, and one article changed moves none."""
    low, high = max(1, size // 2), max(1, 2 * size)
    flat = [(s, a) for s in sections for a in s.articles]
    cuts: list[int] = []  # end index of each part
    start = 0
    for i, name in enumerate(names):
        n = i + 1 - start
        ending = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big") % size == 0
        if n >= high or (n >= low and ending):
            cuts.append(i + 1)
            start = i + 1
    if start < len(flat):
        if cuts and len(flat) - start < low:  # a short tail joins the part before it
            cuts[-1] = len(flat)
        else:
            cuts.append(len(flat))
    parts, start = [], 0
    for end in cuts:
        parts.append(Part(_regrouped(flat[start:end]), tuple(keys[start:end])))
        start = end
    return parts


def _regrouped(run: Sequence[tuple[Section, Article]]) -> tuple[Section, ...]:
    """A run of the pack's (section, article) pairs, in order, as slices of those sections."""
    out = []
    for _, same in itertools.groupby(run, key=lambda pair: id(pair[0])):
        pairs = list(same)
        out.append(replace(pairs[0][0], articles=tuple(article for _, article in pairs)))
    return tuple(out)


def part_key(part: Part, stamp: str) -> str:
    """The part's cache name: its articles' content keys, in order, and what every output of the
    format depends on (`stamp`: exporter, version, styles, options, engine)."""
    h = hashlib.sha256(stamp.encode())
    for key in part.keys:
        h.update(key.encode() + b"\0")
    return h.hexdigest()[:32]
