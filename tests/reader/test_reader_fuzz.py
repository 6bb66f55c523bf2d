"""Property tests for the reader: for any input, an `Article` or a `SeedError`, nothing else.

Two strategies: arbitrary bytes / text, and seeds built from the real shapes (fences, header
keys, date lines, bullets, headings, quotes) then mutated. The budget is the loaded hypothesis
profile (tests/conftest.py): bounded in the suite, long under `make fuzz`.
"""

from __future__ import annotations

import json
import re
import warnings

from hypothesis import given
from hypothesis import strategies as st

from convert.model import Article
from convert.reader import SeedError, SeedWarning, loads
from convert.text import blocks_text

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

HEADER_LINES = [
    "area: Lancashire",
    "area: Avon and Somerset",
    "url: https://www.lancashire.police.uk/news/2019/april/x/",
    "url: https://www.kent.police.uk/news/y/",
    "title: Lancashire Constabulary - Man charged",
    "title: Man charged | Kent Police",
    "title: Dog theft - SYP",
    "title: Appeal |",
    "og:\n  title: An og title\n  description: <p>Text &amp; more &#039;</p>\n  image: /img.png",
    "og:\n  image:\n    url: https://x/img.jpg",
    "publish:\n  date: 12:31 18/12/2020",
    "publish:\n  date: Posted at 22:49 on 30th September 2020",
    "article:\n  published:\n    time: 2020-09-30T21:49+00:00",
    "day: '18'\nmonth: Dec\ntime: '14:23'",
    "incident:\n  reference: '123'",
    "x: !!python/object/apply:os.system ['true']",
    "a: &a [1]\nb: *a",
    "title: [unclosed",
]
BODY_LINES = [
    "Thursday, April 11, 2019",
    "11:17 12/06/2020",
    "_Date published: 17 February 2021 10:54_",
    "**Published 19th June 2020**",
    "Last modified: 9 May 2018 at 10:42am",
    "22 Dec 20 8:47 AM",
    "# The headline",
    "#### Sgt Lee Harris said: “Thank you.",
    "#### “More speech.”",
    " * A bullet",
    "   * A nested bullet",
    "1. First",
    "• Typed bullet",
    "\\- Escaped dash",
    "* * *",
    "****",
    "** **",
    "> A quote",
    'DC Tracey Joyce, investigating, said: "Hello."',
    "Email a@b.police.uk or visit www.x.police.uk/report.",
    "[email protected]",
    "<script>alert(1)</script> {{ x }}",
    "Plain paragraph text.",
    "",
]


def check(data: str | bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SeedWarning)  # cp1252 fallbacks are expected here
            article = loads(data, "fuzz.txt", max_bytes=200_000)
    except SeedError as err:
        message = str(err)
        assert message.startswith("fuzz.txt")
        assert "unreadable seed" not in message, message  # that would be a reader bug
        return
    assert isinstance(article, Article)
    text = json.dumps(article.to_dict(), ensure_ascii=False)
    assert XML_ILLEGAL.search(text) is None
    assert Article.from_dict(json.loads(text)) == article


@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    check(data)


@given(st.text(max_size=2000))
def test_any_text(data: str) -> None:
    check(data)


@st.composite
def seeds(draw: st.DrawFn) -> str:
    header = draw(st.lists(st.sampled_from(HEADER_LINES), max_size=8))
    lines = draw(st.lists(st.sampled_from(BODY_LINES), max_size=25))
    seed = "```yaml\n" + "\n".join(header) + "\n```\n\n" + "\n\n".join(lines) + "\n"
    # mutations: drop, duplicate or insert characters anywhere
    for _ in range(draw(st.integers(0, 4))):
        if not seed:
            break
        at = draw(st.integers(0, len(seed) - 1))
        kind = draw(st.sampled_from(["drop", "insert", "line"]))
        if kind == "drop":
            seed = seed[:at] + seed[at + 1 :]
        elif kind == "insert":
            seed = seed[:at] + draw(st.sampled_from(list('`*_#>-[]():\n\r\x00\ufeff\u200b“"&'))) + seed[at:]
        else:
            seed = seed[:at] + "\n" + draw(st.sampled_from(BODY_LINES + HEADER_LINES)) + "\n" + seed[at:]
    return seed


@given(seeds())
def test_seed_shaped_input(seed: str) -> None:
    check(seed)
    check(seed.encode("utf-8"))
    check(seed.encode("cp1252", errors="replace"))


# Nesting past markdown-it's limit once made it drop the rest of the seed: whatever comes
# before it, the last paragraph of a seed is always in the article.
DEEP_LINES = [
    "> " * 30 + "Deep quote",
    "\n".join("  " * i + "* deep item" for i in range(30)),
    "\n".join("   " * i + "1. deep number" for i in range(15)),
    ">" * 40 + " * > * > quoted list",
]
LAST = "Zebra crossing closed for 7 days."


@given(st.lists(st.sampled_from(BODY_LINES + DEEP_LINES), max_size=15))
def test_the_last_paragraph_is_never_lost(lines: list[str]) -> None:
    seed = ("```yaml\narea: Kent\nurl: https://www.kent.police.uk/news/y/\ntitle: Man charged | Kent Police\n"
            "```\n\n" + "\n\n".join(lines) + f"\n\n{LAST}\n")
    article = loads(seed, "fuzz.txt")
    assert LAST in blocks_text(article.blocks)
