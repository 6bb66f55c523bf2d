"""What every renderer shares: dispatch by node type, and how heading levels are numbered.

A renderer is a class with one method per node type of the model, named after it (`heading`,
`paragraph`, `list_block`, `quote`, `rule`; `text`, `strong`, `emphasis`, `link`, `linebreak`),
as mistune's renderers are. `render(node, ...)` calls the method for the node's type with the
same arguments; a renderer that lacks one is refused when its class is defined, not on the
first article that happens to hold that node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from ...model import (
    Block,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Node,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
    walk,
)
from ...text import plain

# The method that renders each node type.
METHODS: Mapping[type, str] = {
    Heading: "heading",
    Paragraph: "paragraph",
    ListBlock: "list_block",
    Quote: "quote",
    Rule: "rule",
    Text: "text",
    Strong: "strong",
    Emphasis: "emphasis",
    Link: "link",
    LineBreak: "linebreak",
}


class Renderer:
    """The base of every format's renderer: `render(node, *args)` dispatches on the node's type."""

    _methods: ClassVar[dict[type, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        missing = [name for name in METHODS.values() if not callable(getattr(cls, name, None))]
        if missing:
            raise TypeError(f"renderer {cls.__name__} has no method for {', '.join(missing)}")
        cls._methods = {kind: getattr(cls, name) for kind, name in METHODS.items()}

    def render(self, node: Node, *args: Any, **kwargs: Any) -> Any:
        """`node` rendered by the method for its type, with these arguments."""
        try:
            method = self._methods[type(node)]
        except KeyError:
            raise TypeError(f"not a node of the document model: {node!r}") from None
        return method(self, node, *args, **kwargs)


def is_tight(node: ListBlock) -> bool:
    """A tight list: no item holds a second paragraph (a nested list may follow its line)."""
    return all(all(isinstance(b, ListBlock) for b in item[1:]) for item in node.items)


# Blocks glued together by keep-with-next, at most: a longer chain moves as one piece, and 23
# Q&A headings in a row (each kept with the next) left page 1 all but blank.
MAX_KEPT = 3


def introduces(node: Block) -> bool:
    """A paragraph that ends in a colon ("…Scott-Clark, said:", "Testing:") introduces what
    follows it, so it must not end a page."""
    if not isinstance(node, Paragraph) or not node.inlines:
        return False
    return plain(node.inlines).rstrip().endswith((":", "\uff1a"))


def keeps(blocks: Sequence[Block]) -> list[bool]:
    """For each block, whether it keeps with the next: headings and paragraphs that end in a
    colon do, except that no chain of kept blocks grows past `MAX_KEPT` blocks (the block they
    keep with included). A long run is cut from its end, so the last heading of a run still
    stays with its text: of five headings and a paragraph, the third heading is let go."""
    out = [isinstance(b, Heading) or introduces(b) for b in blocks]
    run = 0  # kept blocks since the last one let go, counting back from a run's end
    for i in range(len(out) - 1, -1, -1):
        if not out[i]:
            run = 0
            continue
        run += 1
        if run == MAX_KEPT:  # this one plus the MAX_KEPT - 1 after it already make a chain
            out[i] = False
            run = 0
    return out


class Levels:
    """How a format numbers the body's headings: the one place levels are normalised.

    Seeds use any levels (`####` straight after the headline is common). A format says which
    levels it has room for (`first` to `last`, below its own title), whether the body's levels
    are `ranked` first (gaps closed: 2 and 4 become the first two levels, as pages do so that
    the HTML outline and the PDF bookmarks nest without holes), and how far a bundle pushes
    them down (`shift`, under each article's own heading)."""

    def __init__(
        self, first: int = 1, last: int = 6, *, shift: int = 0, ranked: Iterable[Block] | None = None
    ) -> None:
        self.first, self.last, self.shift = first, last, shift
        self.ranks: dict[int, int] | None = None
        if ranked is not None:
            found = sorted({n.level for n in walk(ranked) if isinstance(n, Heading)})
            self.ranks = {level: first + i for i, level in enumerate(found)}

    def __call__(self, level: int) -> int:
        if self.ranks is not None:
            level = self.ranks.get(level, level + self.first - 1)
        return min(self.last, max(self.first, level) + self.shift)
