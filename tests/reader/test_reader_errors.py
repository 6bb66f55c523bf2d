"""Bad seeds: every one is a `SeedError` whose message names the file and, where it can, the
line of the seed. YAML abuse (Python tags, alias bombs, deep nesting, size) ends quickly and
runs nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from testpaths import FIXTURES

from convert.reader import MAX_BYTES, SeedError, load, loads

GOOD_HEADER = (
    "```yaml\narea: Kent\nurl: https://www.kent.police.uk/news/x/\ntitle: A headline | Kent Police\n```\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def error_of(data: str | bytes, source: str = "bad.txt", **kw: int) -> SeedError:
    with pytest.raises(SeedError) as caught:
        loads(data, source, **kw)
    err = caught.value
    assert str(err).startswith(source)  # one line naming the file
    assert "\n" not in str(err)
    return err


@pytest.mark.parametrize("data", [b"", "", b"\xef\xbb\xbf", b"   \n\n\t\n", b"\x00\x00"])
def test_empty_file(data: bytes | str) -> None:
    err = error_of(data)
    assert err.reason == "empty file"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG, "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "zip archive"),
        (bytes(range(256)) * 8, "binary data"),
    ],
)
def test_binary_file(data: bytes, kind: str) -> None:
    err = error_of(data, "image.txt")
    assert "binary file" in err.reason and kind in err.reason


def test_no_opening_fence_names_the_line() -> None:
    err = error_of("\n\nJust an article without a header.\n")
    assert "no opening ```yaml fence" in err.reason
    assert err.line == 3
    assert str(err).startswith("bad.txt:3: ")


def test_no_closing_fence_names_the_opening_line() -> None:
    err = error_of("\n```yaml\narea: Kent\nurl: https://x/\n\nBody text\n")
    assert "no closing ``` fence" in err.reason
    assert err.line == 2


def test_yaml_syntax_error_reports_the_line_in_the_seed() -> None:
    seed = "\n```yaml\narea: Kent\nurl: https://x/\ntitle: [unclosed\nother: 1\n```\nBody\n"
    err = error_of(seed)
    assert "YAML syntax error" in err.reason
    # the header starts on seed line 3; the problem is found at line 6 of the seed
    assert err.line == 6


def test_yaml_indentation_error_line() -> None:
    seed = "```yaml\narea: Kent\n  url: https://x/\n bad: [\n```\n"
    err = error_of(seed)
    assert err.line is not None and 2 <= err.line <= 5


@pytest.mark.parametrize(
    ("header", "kind"),
    [("- area\n- url", "a list"), ("just words", "a single value"), ("42", "a single value")],
)
def test_header_that_is_not_a_mapping(header: str, kind: str) -> None:
    err = error_of(f"```yaml\n{header}\n```\nBody\n")
    assert f"the header is {kind}" in err.reason
    assert err.line == 2


@pytest.mark.parametrize(
    "header", ["area: Kent\ntitle: T", "area: Kent\nurl: ''", "area: Kent\nurl:", "url: [a]\narea: K"]
)
def test_header_without_url(header: str) -> None:
    err = error_of(f"```yaml\n{header}\n```\nBody\n")
    assert err.reason == "the header has no 'url'"
    assert err.line == 1


def test_header_without_area() -> None:
    err = error_of("```yaml\nurl: https://x/\n```\nBody\n")
    assert err.reason == "the header has no 'area'"


def test_empty_header_is_missing_url() -> None:
    """A body with no header text at all: the fence is there but says nothing."""
    err = error_of("```yaml\n```\nAn article with an empty header.\n")
    assert err.reason == "the header has no 'url'"


def test_header_with_no_body_is_an_article_without_blocks() -> None:
    article = loads(GOOD_HEADER, "x.txt")
    assert article.blocks == ()
    assert article.meta.headline == "A headline"
    article = loads(GOOD_HEADER.rstrip("\n"), "x.txt")  # no newline after the closing fence
    assert article.blocks == ()


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    for tag in (
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
    ):
        seed = f"```yaml\narea: Kent\nurl: https://x/\nx: {tag} ['touch {marker}']\n```\n"
        err = error_of(seed)
        assert "unsupported YAML tag" in err.reason and "python/" in err.reason
        assert err.line == 4
    assert not marker.exists()


def test_unknown_local_tags_are_refused() -> None:
    err = error_of("```yaml\narea: Kent\nurl: https://x/\nx: !custom value\n```\n")
    assert "unsupported YAML tag !custom" in err.reason


def test_billion_laughs_ends_quickly_with_an_error() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 12):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    seed = "```yaml\narea: Kent\nurl: https://x/\n" + "\n".join(lines) + "\n```\n"
    err = error_of(seed)
    assert "aliases" in err.reason


def test_any_alias_is_refused() -> None:
    err = error_of("```yaml\narea: &k Kent\nurl: https://x/\nagain: *k\n```\n")
    assert "aliases" in err.reason
    assert err.line == 2  # the anchor's line: the alias is the same node


@pytest.mark.parametrize("depth", [40, 5_000, 200_000])
def test_deep_flow_nesting_ends_with_an_error(depth: int) -> None:
    seed = "```yaml\narea: Kent\nurl: https://x/\nx: " + "[" * depth + "]" * depth + "\n```\n"
    err = error_of(seed)
    assert "nest" in err.reason


def test_deep_block_nesting_ends_with_an_error() -> None:
    nested = "".join(" " * i + "k:\n" for i in range(60)) + " " * 60 + "v"
    seed = (
        "```yaml\narea: Kent\nurl: https://x/\nx:\n"
        + "\n".join(" " + line for line in nested.split("\n"))
        + "\n```\n"
    )
    err = error_of(seed)
    assert "nested more than" in err.reason


def test_size_limit_has_a_clear_message() -> None:
    big = GOOD_HEADER + "word " * 300
    err = error_of(big.encode(), max_bytes=1000)
    assert err.reason.startswith("file too large")
    assert "1,000" in err.reason
    err = error_of(big, max_bytes=1000)  # text is measured in UTF-8 bytes too
    assert err.reason.startswith("file too large")
    assert MAX_BYTES == 5 * 1024 * 1024


def test_load_checks_the_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.write(GOOD_HEADER.encode())
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SeedError, match=r"huge\.txt: file too large"):
        load(path)


def test_load_reports_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match=r"missing\.txt: cannot read the file"):
        load(tmp_path / "missing.txt")
    with pytest.raises(SeedError, match="cannot read the file"):
        load(tmp_path)  # a folder
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked.txt"
        locked.write_text(GOOD_HEADER)
        locked.chmod(0)
        with pytest.raises(SeedError, match="cannot read the file"):
            load(locked)


def test_source_defaults_to_a_placeholder() -> None:
    with pytest.raises(SeedError, match=r"^<seed>:1: no opening"):
        loads("not a seed")


def test_header_values_are_json_safe_and_dates_stay_text() -> None:
    seed = (
        "```yaml\narea: Kent\nurl: https://x/\n"
        "when: 2020-01-01\nstamp: 2020-09-30T21:49:00+00:00\nanswer: yes\nclock: 14:23\n"
        "nan: .nan\ninf: -.inf\nbig: 123456789012345678901234567890\nphone: 0800555111\n"
        "n: 7\nf: 1.5\nb: true\nnothing: null\n1: numeric key\nbinary: !!binary aGVsbG8=\n"
        "items: !!set {a, b}\n```\n"
    )
    extra = loads(seed, "x.txt").meta.extra
    assert extra == {
        "when": "2020-01-01",
        "stamp": "2020-09-30T21:49:00+00:00",
        "answer": "yes",
        "clock": "14:23",
        "nan": ".nan",
        "inf": "-.inf",
        "big": "123456789012345678901234567890",
        "phone": "0800555111",
        "n": 7,
        "f": 1.5,
        "b": True,
        "nothing": None,
        "1": "numeric key",
        "binary": "aGVsbG8=",
        "items": ["a", "b"],
    }


def test_non_scalar_keys_are_refused() -> None:
    err = error_of("```yaml\narea: Kent\nurl: https://x/\n? [a, b]\n: value\n```\n")
    assert "header key" in err.reason


# --- markup abuse in the body: read, nothing lost -------------------------------------------

BROKEN = FIXTURES / "broken"


def _all_text(blocks: tuple) -> str:
    from convert.text import blocks_text

    return blocks_text(blocks)


def test_a_deeply_nested_list_loses_nothing() -> None:
    """markdown-it drops everything after its nesting limit; the reader must not."""
    article = load(BROKEN / "good_nested_list.txt")
    text = _all_text(article.blocks)
    assert all(f"level {i}" in text for i in range(40))
    assert "deep quote" in text  # the block after the list


@pytest.mark.parametrize(
    ("body", "word", "count"),
    [
        ("> " * 5_000 + "deep\n", "deep", 1),
        ("".join("  " * i + "* item\n" for i in range(200)), "item", 200),
        ("".join("   " * i + "1. item\n" for i in range(200)), "item", 200),
        ("".join(" " * (2 * i) + "* > quoted\n" for i in range(200)), "quoted", 200),
    ],
    ids=["quotes", "bullets", "numbers", "lists-of-quotes"],
)
def test_deep_body_nesting_keeps_all_its_text_and_what_follows(body: str, word: str, count: int) -> None:
    article = loads(GOOD_HEADER + "\n" + body + "\nThe paragraph after it.\n", "deep.txt")
    text = _all_text(article.blocks)
    assert text.count(word) == count
    assert text.rstrip().endswith("The paragraph after it.")
