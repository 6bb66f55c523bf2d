"""The compiled parser (markdown-it-pyrs) and the reference (markdown-it-py) give the same model.

The reader parses a body with markdown-it-pyrs when it can and falls back to markdown-it-py
(convert/reader/body.py). These tests read the same input both ways and compare everything:
every fixture seed (the whole `Article`, or the same `SeedError` on the same line), the
531-article sample (`corpus` mark, run by .ci/run), bodies made of Markdown's own characters
(hypothesis), and bodies at the structure limits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from testpaths import FIXTURES, REPO

from convert.reader import SeedError, body, loads

pytestmark = pytest.mark.skipif(body._RS is None, reason="markdown-it-pyrs is not installed")

SEEDS = sorted(
    [p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md") and "render" not in p.parts]
    + list((REPO / "seeds").glob("*.txt"))
)
SAMPLE = Path(os.environ.get("CONVERT_CORPUS", REPO.parent / "shared" / "corpus" / "police-news"))


class Counted:
    """Wraps body._parse_reference to count the bodies the compiled parser handed back."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.reference = body._parse_reference

        def counted(*args: Any) -> Any:
            self.calls += 1
            return self.reference(*args)

        monkeypatch.setattr(body, "_parse_reference", counted)


def outcome(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except SeedError as exc:
        return ("SeedError", exc.reason, exc.line)


def both(read: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """`read()` with the compiled parser, then with the reference alone."""
    compiled = outcome(read)
    with monkeypatch.context() as patch:
        patch.setattr(body, "_RS", None)
        reference = outcome(read)
    return compiled, reference


def test_every_fixture_seed_reads_the_same_with_both_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(SEEDS) >= 60
    for path in SEEDS:
        data = path.read_bytes()
        compiled, reference = both(lambda data=data, path=path: loads(data, path.name), monkeypatch)
        assert compiled == reference, path


def test_the_compiled_parser_reads_the_fixture_seeds_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above is not vacuous: the reference is the fallback, not the rule."""
    counted = Counted(monkeypatch)
    handed = []
    for path in SEEDS:
        before = counted.calls
        outcome(lambda path=path: loads(path.read_bytes(), path.name))
        if counted.calls > before:
            handed.append(path.name)
    # 17 levels deep (the reference flattens it); a quote and a list numbered from 3 (which
    # markdown-it-pyrs could read as the quote's lazy continuation)
    assert handed == ["good_nested_list.txt", "markdown_oddities.txt"]


def sample() -> Iterator[Path]:
    assert SAMPLE.is_dir(), f"the corpus is missing: expected {SAMPLE}"
    files = sorted(SAMPLE.rglob("*.md"))
    assert len(files) >= 500, f"expected the 531-article sample in {SAMPLE}, found {len(files)}"
    return iter(files)


@pytest.mark.corpus
def test_the_sample_reads_the_same_with_both_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    for path in sample():
        data = path.read_bytes()
        before = counted.calls
        compiled = loads(data, path.name)
        assert counted.calls == before, f"{path}: the compiled parser handed it to the reference"
        with monkeypatch.context() as patch:
            patch.setattr(body, "_RS", None)
            assert compiled == loads(data, path.name), path


# Markdown's own characters, and enough words and line shapes to make blocks of them.
PIECES = st.sampled_from(
    ["a", "word", " ", "  ", "\t", "\n", "\n\n", "*", "**", "_", "__", "`", "```", "\\", "[", "]",
     "(", ")", "<", ">", "> ", "#", "## ", "- ", "* ", "+ ", "1. ", "2) ", "0. ", "    ", "---", "===",
     "!", "![", "](", "&amp;", "&copy;", "&#35;", "&bogus;", "http://x.uk/a_b", "www.kent.police.uk",
     "a@b.org", "<http://x/%C3%A4>", "<a@b.co>", "[l](http://bücher.de/)", "[r](/rel \"t\")",
     "[j](javascript:x)", "•", "\\-", "“", "”", "said:", "é", "£", "©", "\ufffd", ";", ".", "\xa0", "|",
     "~", "\n- ", "\n> ", "\n1. ", "  \n", "\\\n", "10. ", "\n    ", "\n```\n", "***", "___", "\t",
     "\r\n", "\x00"]
)  # fmt: skip


@given(st.lists(PIECES, max_size=60).map("".join))
def test_any_markdown_reads_the_same_with_both_parsers(text: str) -> None:
    prepared = body._EMPTY_MARK_LINE.sub("", text.replace("\xa0", " "))
    compiled = outcome(lambda: body._parse_compiled(prepared, "https://x.police.uk/n/", "s", 7))
    if compiled is None:  # the compiled parser declined it: nothing to compare
        return
    assert compiled == outcome(lambda: body._parse_reference(prepared, "https://x.police.uk/n/", "s", 7))


@pytest.mark.parametrize(
    "text",
    [
        "para\n\n" * 5_001,  # blocks
        "- x\n" * 2_600,  # blocks: a list item and its hidden paragraph are two
        "- x\n" * 501,  # list items
        "• x\n" * 501,  # typed bullets
        "intro\n\n" + "*a* " * 5_001,  # inline tokens (4 a unit) before inline elements
        "intro\n\n" + "a  \n" * 10_001,  # inline elements (a text and a break a line)
        "intro\n\n" + "x\n\n" * 4_990 + "*a* " * 3_000,  # both: blocks are checked first
        "> " * 17 + "deep",  # nested past the bound: the reference reads it
        "\n".join("  " * i + "- x" for i in range(12)),
    ],
)
def test_the_limits_fail_the_same_way_with_both_parsers(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled, reference = both(lambda: body.parse(text, None, "s.txt", 5), monkeypatch)
    assert compiled == reference
