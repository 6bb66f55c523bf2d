"""A PDF written one object at a time, so that joining a pack's pieces holds one piece at once.

qpdf (pikepdf) keeps every page it joins in memory until it saves: about 50 KB a page, so a
pack's main process grew with the pack. Here each piece is opened, its pages and what they use
are copied out under new object numbers, and the piece is closed; what stays is each object's
place in the file (two numbers) and each page's number. Objects that are not streams go into
compressed object streams and the cross-reference is a stream, as qpdf's `generate` mode does.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from collections import deque
from collections.abc import Sequence
from typing import BinaryIO

# A reference (`12 0 R`) in qpdf's canonical syntax (it escapes every parenthesis in a string),
# where a token starts; strings, literal and hex, are matched whole so that nothing inside one is
# read as a reference. Linear: no alternative can match in two ways, a string runs to its end or
# the text's (so no later start scans it again), and a number is only tried where a token starts.
_TOKENS = re.compile(
    rb"\((?:[^\\()]|\\.)*+(?:\)|\Z)|<[0-9A-Fa-f\s]*+>"
    rb"|(?<![^\s()<>\[\]{}/%])(\d++) (\d++) R(?![^\s()<>\[\]{}/%])",
    re.S,
)
_PER_STREAM = 100  # objects per object stream, as qpdf
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def number(x: float) -> bytes:
    """A real number in PDF syntax (no exponent, at most 4 decimals)."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").encode()


class PdfWriter:
    """Objects written as they come: `reserve` a number, `put` an object (or `put_stream`),
    `copy_pages` from an open pikepdf document; `finish` writes the cross-reference stream."""

    def __init__(self, out: BinaryIO, version: str = "1.7") -> None:
        self.out = out
        self.digest = hashlib.md5(usedforsecurity=False)  # the file's /ID: the same pages, the same ID
        self.pos = 0
        self.where = array("q", [0])  # per object: its offset, or the object stream holding it
        self.index = array("l", [-1])  # its place in that object stream; -1: written on its own
        self.pending: list[tuple[int, bytes]] = []
        self._write(b"%PDF-" + max(version, "1.5").encode() + b"\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        self.where.append(0)
        self.index.append(-1)
        return len(self.where) - 1

    def put(self, num: int, body: bytes) -> None:
        """An object that is not a stream: it goes into the next object stream."""
        self.pending.append((num, body))
        if len(self.pending) >= _PER_STREAM:
            self.flush()

    def put_stream(self, num: int, head: bytes, data: bytes) -> None:
        """A stream: `head` is its dictionary without /Length, `data` its encoded bytes."""
        self.where[num] = self.pos
        self._write(b"%d 0 obj\n%s/Length %d>>\nstream\n" % (num, head.rstrip()[:-2], len(data)))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def flush(self) -> None:
        if not self.pending:
            return
        stream = self.reserve()
        offsets, bodies, at = [], [], 0
        for i, (num, body) in enumerate(self.pending):
            self.where[num], self.index[num] = stream, i
            offsets.append(b"%d %d" % (num, at))
            bodies.append(body)
            at += len(body) + 1
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies))
        self.pending = []
        self.put_stream(stream, b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode>>"
                        % (len(offsets), len(head)), data)

    def copy_pages(self, src: object, parent: int) -> list[int]:
        """Copy every page of the pikepdf document `src`, with everything it uses, under new
        numbers; each page's /Parent becomes `parent`. Returns the pages' new numbers."""
        import pikepdf

        assert isinstance(src, pikepdf.Pdf)
        copy = _Copy(self, src)
        pages = [p.obj for p in src.pages]
        for page in pages:
            for key in _INHERITED:  # what a page took from its page tree, it must now hold
                if key not in page and (value := _inherited(page, key)) is not None:
                    page[key] = value
            if isinstance(up := page.get("/Parent"), pikepdf.Dictionary):
                copy.mapped[up.objgen] = parent
        numbers = [copy.add(page) for page in pages]
        copy.drain()
        return numbers

    def copy(self, src: object, value: object) -> bytes:
        """`value` (a direct object of the pikepdf document `src`) in PDF syntax, with the
        objects it refers to copied under new numbers."""
        import pikepdf

        assert isinstance(src, pikepdf.Pdf) and isinstance(value, pikepdf.Object)
        copy = _Copy(self, src)
        text = copy.syntax(value.unparse())
        copy.drain()
        return text

    def referenced(self, syntax: bytes) -> bytes:
        """A reference to `syntax`: itself if it is one, else one to a new object holding it."""
        whole = _TOKENS.fullmatch(syntax.strip())
        if whole is not None and whole.group(1) is not None:
            return syntax.strip()
        num = self.reserve()
        self.put(num, syntax)
        return b"%d 0 R" % num

    def finish(self, root: int, info: bytes | None) -> None:
        """The cross-reference stream and trailer (`info`: a reference to the document's
        information dictionary): the file is complete."""
        self.flush()
        xref = self.reserve()
        self.where[xref] = self.pos
        wide = max(4, (max(self.where).bit_length() + 7) // 8)
        rows = bytearray(b"\x00" + b"\x00" * wide + b"\xff\xff")  # object 0: free
        for num in range(1, len(self.where)):
            kind = 1 if self.index[num] < 0 else 2
            rows += bytes((kind,)) + self.where[num].to_bytes(wide, "big") + \
                max(self.index[num], 0).to_bytes(2, "big")
        data = zlib.compress(bytes(rows))
        ident = self.digest.hexdigest().encode()
        trailer = b"<</Type/XRef/Size %d/W[1 %d 2]/Root %d 0 R%s/ID[<%s><%s>]/Filter/FlateDecode>>" % (
            len(self.where), wide, root, b"/Info " + info if info else b"", ident, ident)
        self.put_stream(xref, trailer, data)
        self._write(b"startxref\n%d\n%%%%EOF\n" % self.where[xref])

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.pos += len(data)


class _Copy:
    """Objects of one source document copied under new numbers, each once, as references to
    them are found."""

    def __init__(self, writer: PdfWriter, src: object) -> None:
        self.writer = writer
        self.src = src
        self.mapped: dict[tuple[int, int], int] = {}
        self.queue: deque[object] = deque()

    def add(self, obj: object) -> int:
        num = self.mapped[obj.objgen] = self.writer.reserve()  # type: ignore[attr-defined]
        self.queue.append(obj)
        return num

    def syntax(self, text: bytes) -> bytes:
        return _TOKENS.sub(self._ref, text)

    def _ref(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:  # a string
            return match.group(0)
        key = (int(match.group(1)), int(match.group(2)))
        num = self.mapped.get(key)
        if num is None:
            num = self.add(self.src.get_object(key))  # type: ignore[attr-defined]
        return b"%d 0 R" % num

    def drain(self) -> None:
        import pikepdf

        while self.queue:
            obj = self.queue.popleft()
            num = self.mapped[obj.objgen]  # type: ignore[attr-defined]
            if isinstance(obj, pikepdf.Stream):
                head = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
                self.writer.put_stream(num, self.syntax(head.unparse(resolved=True)), obj.read_raw_bytes())
            else:
                self.writer.put(num, self.syntax(obj.unparse(resolved=True)))  # type: ignore[attr-defined]


def _inherited(page: object, key: str) -> object | None:
    node = page.get("/Parent")  # type: ignore[attr-defined]
    for _ in range(64):  # a page tree deeper than this is broken
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def outline(writer: PdfWriter, marks: Sequence[tuple[int, int, bytes, float, float]],
            pages: Sequence[int]) -> int | None:
    """Write the outline of bookmarks (page index, level, title in PDF syntax, x, y), in order,
    nested by level as WeasyPrint nests them; returns its root's number (None: no bookmarks)."""
    if not marks:
        return None
    root = writer.reserve()
    nums = [writer.reserve() for _ in marks]
    parent: list[int] = []  # per mark: its parent's index (-1: the root)
    stack: list[tuple[int, int]] = [(0, -1)]  # (level, index)
    for i, (_, level, *_rest) in enumerate(marks):
        while stack[-1][0] >= level and stack[-1][1] >= 0:
            stack.pop()
        parent.append(stack[-1][1])
        stack.append((level, i))
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parent):
        children.setdefault(p, []).append(i)
    count = [0] * len(marks)  # descendants, every item open
    for i in reversed(range(len(marks))):
        if parent[i] >= 0:
            count[parent[i]] += 1 + count[i]
    for p, kids in children.items():
        for k, i in enumerate(kids):
            page, _, title, x, y = marks[i]
            entries = [b"/Title " + title, b"/Parent %d 0 R" % (nums[p] if p >= 0 else root),
                       b"/Dest[%d 0 R/XYZ %s %s 0]" % (pages[page], number(x), number(y))]
            if k:
                entries.append(b"/Prev %d 0 R" % nums[kids[k - 1]])
            if k + 1 < len(kids):
                entries.append(b"/Next %d 0 R" % nums[kids[k + 1]])
            if i in children:
                entries.append(b"/First %d 0 R/Last %d 0 R/Count %d"
                               % (nums[children[i][0]], nums[children[i][-1]], count[i]))
            writer.put(nums[i], b"<<" + b"".join(entries) + b">>")
    top = children[-1]
    writer.put(root, b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>"
               % (nums[top[0]], nums[top[-1]], len(marks)))
    return root


def destinations(writer: PdfWriter, named: Sequence[tuple[bytes, int, float, float]],
                 pages: Sequence[int], leaf: int = 128) -> int | None:
    """Write a name tree of destinations (name, page index, x, y); returns its root's number."""
    if not named:
        return None
    ordered = sorted(named)  # a name tree's keys are in byte order
    leaves = [ordered[i:i + leaf] for i in range(0, len(ordered), leaf)]

    def body(rows: Sequence[tuple[bytes, int, float, float]]) -> bytes:
        return b"/Names[" + b"".join(b"%s[%d 0 R/XYZ %s %s 0]" % (_literal(n), pages[p], number(x), number(y))
                                      for n, p, x, y in rows) + b"]"

    root = writer.reserve()
    if len(leaves) == 1:
        writer.put(root, b"<<" + body(leaves[0]) + b">>")
        return root
    kids = []
    for rows in leaves:
        kids.append(num := writer.reserve())
        writer.put(num, b"<<%s/Limits[%s %s]>>" % (body(rows), _literal(rows[0][0]), _literal(rows[-1][0])))
    writer.put(root, b"<</Kids[" + b" ".join(b"%d 0 R" % k for k in kids) + b"]>>")
    return root


def _literal(name: bytes) -> bytes:
    return b"(" + name.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
