"""Encodings and characters: BOM, CRLF and lone CR, cp1252 (with a warning naming the file),
invalid UTF-8 mixed in, UTF-16, and control characters that no output format can hold."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest

from convert.model import Article, Block, Heading, Link, ListBlock, Paragraph, Quote
from convert.reader import SeedWarning, loads
from convert.text import blocks_text, plain

SEED = (
    "```yaml\n"
    "area: Kent\n"
    "url: https://www.kent.police.uk/news/2020/may/cafe-appeal/\n"
    "title: Café owner praised | Kent Police\n"
    "```\n"
    "\n"
    "Thursday, May 7, 2020\n"
    "\n"
    "The café owner – Zoë Ní Bhriain – said: “Thank you.”\n"
    "\n"
    " * First point\n"
    " * Second point\n"
)
# What XML 1.0 (and so Word and the PDF writer) cannot hold, plus C1 controls.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def read_quietly(data: bytes | str, source: str = "seed.txt") -> Article:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return loads(data, source)


def all_text(article: Article) -> Iterator[str]:
    meta = article.meta
    for value in (
        meta.headline,
        meta.title,
        meta.area,
        meta.url,
        meta.summary,
        meta.publisher,
        *meta.speakers,
    ):
        if value:
            yield value
    yield blocks_text(article.blocks)
    yield repr(meta.extra)
    yield from _links(article.blocks)


def _links(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            for node in block.inlines:
                if isinstance(node, Link):
                    yield node.url
        elif isinstance(block, Quote):
            yield from _links(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _links(item)


@pytest.fixture(scope="module")
def reference() -> Article:
    return read_quietly(SEED.encode("utf-8"))


def test_utf8_with_bom(reference: Article) -> None:
    assert read_quietly(b"\xef\xbb\xbf" + SEED.encode("utf-8")) == reference


def test_text_with_bom(reference: Article) -> None:
    assert read_quietly("\ufeff" + SEED) == reference


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_crlf_and_lone_cr(reference: Article, ending: str) -> None:
    assert read_quietly(SEED.replace("\n", ending).encode("utf-8")) == reference


def test_utf16_with_bom(reference: Article) -> None:
    assert read_quietly(SEED.encode("utf-16")) == reference


def test_cp1252_falls_back_with_a_warning_naming_the_file(reference: Article) -> None:
    data = SEED.replace("Zoë Ní Bhriain", "Zoe Ni Bhriain").encode("cp1252")
    with pytest.warns(SeedWarning, match=r"^old\.txt: not UTF-8, decoded as cp1252$"):
        article = loads(data, "old.txt")
    assert article.meta.headline == "Café owner praised"
    text = blocks_text(article.blocks)
    assert "The café owner – Zoe Ni Bhriain – said: “Thank you.”" in text


def test_invalid_utf8_mixed_in_is_rescued_with_the_line() -> None:
    data = SEED.encode("utf-8").replace("“Thank you.”".encode(), b"\x93Thank you.\x94 \x81")
    with pytest.warns(SeedWarning, match=r"^mixed\.txt:9: invalid UTF-8 bytes decoded as cp1252$"):
        article = loads(data, "mixed.txt")
    text = blocks_text(article.blocks)
    assert "Zoë Ní Bhriain" in text  # the UTF-8 around it is untouched
    assert "“Thank you.”" in text
    assert "\x81" not in text  # a byte cp1252 leaves undefined is a C1 control: removed


def test_control_characters_are_removed_everywhere() -> None:
    dirty = (
        "```yaml\n"
        "area: Ke\x00nt\n"
        "url: https://www.kent.police.uk/news/x/\n"
        'title: "Bad\\x07 title\\x1b | Kent Police"\n'
        "og:\n"
        '  description: "Sum\\x00mary \\x85 text\\u200b"\n'
        "```\n"
        "Para\x00graph with a bell\x07, form\x0cfeed, escape\x1b, C1\u0085 \u0099 and "
        "zero\u200bwidth and soft\u00adhyphen and BOM\ufeff.\n\n"
        "\x0b * Item\x01 one\n"
    )
    article = read_quietly(dirty.encode("utf-8"))
    for text in all_text(article):
        assert XML_ILLEGAL.search(text) is None, repr(text)
    assert article.meta.area == "Kent"
    assert article.meta.headline == "Bad title"
    assert article.meta.summary == "Summary text"
    assert plain(article.blocks[0].inlines) == (
        "Paragraph with a bell, form\nfeed, escape, C1\nand zerowidth and softhyphen and BOM."
    )


def test_nul_bytes_in_utf8_are_cleaned_not_binary() -> None:
    data = SEED.encode("utf-8").replace(b"First point", b"First\x00 point\x00")
    article = read_quietly(data)
    assert "First point" in blocks_text(article.blocks)


def test_non_breaking_spaces_become_spaces() -> None:
    seed = SEED.replace("Second point", "Second\u00a0point").replace(" * First", "\u00a0* First")
    article = read_quietly(seed)
    text = blocks_text(article.blocks)
    assert "Second point" in text and "\u00a0" not in text


@pytest.mark.parametrize("name", ["Ŵyn ap Ŷwain", "Siobhán Ó Dónaill", "محمد", "李小龍", "Zoë 🚓"])
def test_scripts_survive(name: str) -> None:
    seed = SEED.replace("Zoë Ní Bhriain", name)
    assert name in blocks_text(read_quietly(seed.encode("utf-8")).blocks)
