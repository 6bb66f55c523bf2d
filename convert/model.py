"""The document model every reader produces and every exporter consumes.

Like pandoc's AST: `Meta` plus a tuple of blocks, blocks hold inlines, plus the `Facts` the
reader found in the text (references to quote, contacts, operations, kinds of story).
Everything is a frozen, slotted dataclass, so a model can be shared between threads and
processes and compared with `==`. `to_dict` / `from_dict` give the JSON form (schema 3),
which round-trips exactly. Schema 2 added `meta.updated` and `facts`; schema 3 lets a date be
a month only (`"2020-08"`, a `Month`); `from_dict` still reads schemas 1 and 2. `walk` visits
every node in document order, `walk_blocks` every block.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

SCHEMA = 3
# schema 1 had no `facts` and no `meta.updated`; schema 2 no month-only dates
READABLE_SCHEMAS = (1, 2, 3)


class Month(date):
    """A date known only to its month (`2020-08`), such as a URL's `/2020/august/` gives for an
    article that prints no date. It compares and sorts as the month's first day; its ISO form
    is ISO 8601's reduced precision, `2020-08`, and every format prints the month alone."""

    __slots__ = ()

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"


# --- inlines -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    inlines: tuple[Inline, ...]


# What a `Link` may point at. The reader makes no other links, and every format checks again
# (`exporters/shared/links.py`), since a model may also be built by hand or read from JSON.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Text | Strong | Emphasis | Link | LineBreak


# --- blocks --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    pass


Block = Heading | Paragraph | ListBlock | Quote | Rule
Node = Block | Inline


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly inside `node`, in order: a list's items one after the other."""
    kind = type(node)  # by exact type, not isinstance: this runs for every node of a walk
    if kind in _HOLDS_INLINES:
        return node.inlines  # type: ignore[union-attr]
    if kind is Quote:
        return node.blocks  # type: ignore[union-attr]
    if kind is ListBlock:
        return tuple(block for item in node.items for block in item)  # type: ignore[union-attr]
    return ()


_HOLDS_INLINES = frozenset({Heading, Paragraph, Strong, Emphasis, Link})


def walk_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block in `blocks` and inside their lists and quotes, in document order, each before
    what it holds: `walk` without the inlines. Iterative: nesting has no limit."""
    stack = list(blocks)[::-1]
    while stack:
        block = stack.pop()
        yield block
        if type(block) is Quote:
            stack.extend(block.blocks[::-1])
        elif type(block) is ListBlock:
            stack.extend(b for item in block.items[::-1] for b in item[::-1])


def walk(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every node in `nodes` and below them, in document order, each before what it holds
    (depth first, like markdown-it-py's `SyntaxTreeNode.walk`). Iterative: nesting has no limit."""
    stack = list(nodes)[::-1]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(children(node)[::-1])


# --- the article ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Meta:
    headline: str
    area: str
    url: str
    title: str | None = None
    publisher: str | None = None
    published: date | datetime | None = None
    updated: date | datetime | None = None  # the last modification the seed records
    summary: str | None = None
    image: str | None = None
    speakers: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    source: str | None = None


# --- facts found in the text (`convert/taxonomy.py` lists the kinds) ----------------------


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference the public is asked to quote: `text` exactly as printed (`281 of 10 February`,
    `37/45092/20`, `Operation Zebu`), its `kind` and the sentence it came from."""

    text: str
    kind: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Contact:
    """A way to respond: `kind` phone, email or online; `value` as printed (a number, an address)
    or the link's URL; `reaches` whom it reaches when the text says (`Crimestoppers`)."""

    kind: str
    value: str
    reaches: str | None
    sentence: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What the reader found in the text. Empty for a hand-built article or a schema 1 document."""

    kinds: tuple[str, ...] = ()  # the main kind first
    references: tuple[Reference, ...] = ()
    contacts: tuple[Contact, ...] = ()
    operations: tuple[str, ...] = ()  # `Operation Remedy`, in order of first mention


@dataclass(frozen=True, slots=True)
class Article:
    meta: Meta
    blocks: tuple[Block, ...] = ()
    facts: Facts = field(default_factory=Facts)

    def walk(self) -> Iterator[Node]:
        """Every block and inline of the body, in document order (see `walk`)."""
        return walk(self.blocks)

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return from_dict(data)


# --- serialisation -------------------------------------------------------------------


def _inline_to_dict(node: Inline) -> dict[str, Any]:
    match node:
        case Text(text):
            return {"type": "text", "text": text}
        case Strong(inlines):
            return {"type": "strong", "inlines": [_inline_to_dict(i) for i in inlines]}
        case Emphasis(inlines):
            return {"type": "emphasis", "inlines": [_inline_to_dict(i) for i in inlines]}
        case Link(url, inlines):
            return {"type": "link", "url": url, "inlines": [_inline_to_dict(i) for i in inlines]}
        case LineBreak():
            return {"type": "break"}
    raise TypeError(f"not an inline: {node!r}")


def _block_to_dict(node: Block) -> dict[str, Any]:
    match node:
        case Heading(level, inlines):
            return {"type": "heading", "level": level, "inlines": [_inline_to_dict(i) for i in inlines]}
        case Paragraph(inlines):
            return {"type": "paragraph", "inlines": [_inline_to_dict(i) for i in inlines]}
        case ListBlock(ordered, items, start):
            return {
                "type": "list",
                "ordered": ordered,
                "start": start,
                "items": [[_block_to_dict(b) for b in item] for item in items],
            }
        case Quote(blocks, speaker):
            return {"type": "quote", "speaker": speaker, "blocks": [_block_to_dict(b) for b in blocks]}
        case Rule():
            return {"type": "rule"}
    raise TypeError(f"not a block: {node!r}")


def _inline_from_dict(data: dict[str, Any]) -> Inline:
    kind = data["type"]
    if kind == "text":
        return Text(data["text"])
    if kind == "break":
        return LineBreak()
    inlines = tuple(_inline_from_dict(i) for i in data["inlines"])
    if kind == "strong":
        return Strong(inlines)
    if kind == "emphasis":
        return Emphasis(inlines)
    if kind == "link":
        return Link(data["url"], inlines)
    raise ValueError(f"unknown inline type {kind!r}")


def _block_from_dict(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "heading":
        return Heading(data["level"], tuple(_inline_from_dict(i) for i in data["inlines"]))
    if kind == "paragraph":
        return Paragraph(tuple(_inline_from_dict(i) for i in data["inlines"]))
    if kind == "list":
        items = tuple(tuple(_block_from_dict(b) for b in item) for item in data["items"])
        return ListBlock(data["ordered"], items, data.get("start", 1))
    if kind == "quote":
        return Quote(tuple(_block_from_dict(b) for b in data["blocks"]), data.get("speaker"))
    if kind == "rule":
        return Rule()
    raise ValueError(f"unknown block type {kind!r}")


def _date_to_str(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _date_from_str(value: str | None) -> date | datetime | None:
    if value is None:
        return None
    if len(value) == 7:
        return Month(int(value[:4]), int(value[5:7]), 1)
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


def _facts_to_dict(facts: Facts) -> dict[str, Any]:
    return {
        "kinds": list(facts.kinds),
        "references": [{"text": r.text, "kind": r.kind, "sentence": r.sentence} for r in facts.references],
        "contacts": [
            {"kind": c.kind, "value": c.value, "reaches": c.reaches, "sentence": c.sentence}
            for c in facts.contacts
        ],
        "operations": list(facts.operations),
    }


def _facts_from_dict(data: dict[str, Any]) -> Facts:
    return Facts(
        kinds=tuple(data.get("kinds", ())),
        references=tuple(Reference(r["text"], r["kind"], r["sentence"]) for r in data.get("references", ())),
        contacts=tuple(
            Contact(c["kind"], c["value"], c.get("reaches"), c["sentence"]) for c in data.get("contacts", ())
        ),
        operations=tuple(data.get("operations", ())),
    )


def to_dict(article: Article) -> dict[str, Any]:
    """The JSON-ready form of an article: `{"schema": 3, "meta": {...}, "blocks": [...], "facts": {...}}`."""
    m = article.meta
    meta = {
        "headline": m.headline,
        "title": m.title,
        "area": m.area,
        "publisher": m.publisher,
        "published": _date_to_str(m.published),
        "updated": _date_to_str(m.updated),
        "url": m.url,
        "summary": m.summary,
        "image": m.image,
        "speakers": list(m.speakers),
        "extra": m.extra,
        "source": m.source,
    }
    return {
        "schema": SCHEMA,
        "meta": meta,
        "blocks": [_block_to_dict(b) for b in article.blocks],
        "facts": _facts_to_dict(article.facts),
    }


def from_dict(data: dict[str, Any]) -> Article:
    """Rebuild an `Article` from `to_dict` output (schema 3 or 2, or schema 1 without facts)."""
    if data.get("schema") not in READABLE_SCHEMAS:
        raise ValueError(f"unsupported schema {data.get('schema')!r}, expected one of {READABLE_SCHEMAS}")
    m = data["meta"]
    meta = Meta(
        headline=m["headline"],
        title=m.get("title"),
        area=m["area"],
        publisher=m.get("publisher"),
        published=_date_from_str(m.get("published")),
        updated=_date_from_str(m.get("updated")),
        url=m["url"],
        summary=m.get("summary"),
        image=m.get("image"),
        speakers=tuple(m.get("speakers", ())),
        extra=dict(m.get("extra", {})),
        source=m.get("source"),
    )
    facts = _facts_from_dict(data.get("facts") or {}) if data["schema"] >= 2 else Facts()
    return Article(meta, tuple(_block_from_dict(b) for b in data["blocks"]), facts)
