"""Shared helpers for the txt / json / md exporter tests: fixture articles and checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import strategies as st

from convert.model import (
    Article,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
)

# The hand-made articles among the render inputs (the others are seeds and bundles).
FIXTURES = Path(__file__).parent / "fixtures" / "render" / "input"
NAMES = ["hostile", "links", "lists", "long", "quotes", "scripts"]


def article(name: str) -> Article:
    return Article.from_dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


# A line may only pass the width when, after its indent and list or reference markers (a
# list opening a list item puts two on a line), it is a single token that could not have
# fitted even on a line of its own.
_PREFIX = re.compile(r"^(\s*(?:(?:[*•–\-+]|\d+[.)]|\[\d+\])\s+)*)")


def overflowing(text: str, width: int) -> list[str]:
    """The lines of `text` that break the wrapping rule."""
    bad = []
    for line in text.splitlines():
        if len(line) <= width:
            continue
        prefix = _PREFIX.match(line).group(1)
        token = line[len(prefix) :]
        if re.search(r"\s", token) or len(prefix) >= width:
            bad.append(line)
    return bad


def make(*blocks, **meta) -> Article:
    """An article built by hand: Kent, a fixed URL, and the given blocks and meta fields."""
    fields = {"headline": "Headline", "area": "Kent", "url": "https://www.kent.police.uk/news/1/"}
    fields.update(meta)
    return Article(Meta(**fields), tuple(blocks))


def para(*parts) -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


# Text made of the characters that trouble plain text and Markdown writers.
inline_text = st.lists(
    st.sampled_from(
        [
            *"abc xyz*_[]<>{}%#-+=1.)!`\\&;|~^$@():\u00a0\t\n“”—…",
            "word",
            "&amp;",
            "2019.",
            "https://x.org/" + "a" * 90,
        ]
    ),
    max_size=40,
).map("".join)


@st.composite
def articles(draw) -> Article:
    def inl():
        kind = draw(st.sampled_from(["text", "strong", "em", "link", "break"]))
        t = draw(inline_text)
        if kind == "strong":
            return Strong((Text(t),))
        if kind == "em":
            return Emphasis((Text(t),))
        if kind == "link":
            return Link(
                draw(
                    st.sampled_from(
                        [
                            "https://x.org/a",
                            "/rel",
                            "mailto:a@b.c",
                            "javascript:x()",
                            "https://y.org/(" + "b" * 80,
                        ]
                    )
                ),
                (Text(t),),
            )
        if kind == "break":
            return LineBreak()
        return Text(t)

    def block(depth: int):
        kind = draw(st.sampled_from(["p", "h", "list", "quote", "rule"] if depth < 4 else ["p", "h"]))
        if kind == "p":
            return Paragraph(tuple(inl() for _ in range(draw(st.integers(0, 6)))))
        if kind == "h":
            return Heading(draw(st.integers(1, 4)), tuple(inl() for _ in range(draw(st.integers(0, 3)))))
        if kind == "rule":
            return Rule()
        if kind == "quote":
            return Quote(
                tuple(block(depth + 1) for _ in range(draw(st.integers(0, 2)))), draw(st.none() | inline_text)
            )
        items = tuple(
            tuple(block(depth + 1) for _ in range(draw(st.integers(0, 2))))
            for _ in range(draw(st.integers(1, 3)))
        )
        return ListBlock(draw(st.booleans()), items, draw(st.integers(0, 120)))

    blocks = tuple(block(0) for _ in range(draw(st.integers(0, 6))))
    return make(*blocks, headline=draw(inline_text) or "x", summary=draw(st.none() | inline_text))
