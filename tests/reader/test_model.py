"""The document model's traversal: every node, in document order, at any depth."""

from __future__ import annotations

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
    children,
    walk,
)


def test_walk_visits_every_node_in_document_order() -> None:
    link = Link("https://a.example/", (Text("here"),))
    blocks = (
        Heading(2, (Text("Title"),)),
        Paragraph((Text("a "), Strong((Emphasis((Text("b"),)),)), LineBreak(), link)),
        ListBlock(False, ((Paragraph((Text("one"),)),), (), (Quote((Rule(),), "Sgt X"),))),
    )
    article = Article(Meta("H", "Kent", "https://k.example/"), blocks)
    kinds = [type(n).__name__ + (f":{n.text}" if isinstance(n, Text) else "") for n in article.walk()]
    assert kinds == [
        "Heading", "Text:Title",
        "Paragraph", "Text:a ", "Strong", "Emphasis", "Text:b", "LineBreak", "Link", "Text:here",
        "ListBlock", "Paragraph", "Text:one", "Quote", "Rule",
    ]
    assert list(walk(())) == [] and children(Rule()) == () and children(link) == link.inlines


def test_walk_has_no_depth_limit() -> None:
    node: Quote | Paragraph = Paragraph((Text("deepest"),))
    for _ in range(5000):  # far past Python's recursion limit
        node = Quote((node,))
    found = [n for n in walk((node,)) if isinstance(n, Text)]
    assert found == [Text("deepest")]
