"""Hostile YAML headers just under the 5 MB size limit end in a `SeedError` (or read) in bounded
memory, with libyaml's parser and with PyYAML's pure-Python one.

The limits on values and nesting are checked event by event while the header is read. Before,
the whole node tree was built first: a 5 MB `k: [0,0,...]` reached 800 MB, so under a 400 MB
address-space limit it was a `MemoryError`, not the "more than 20,000 values" line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from convert.limits import MAX_BYTES
from convert.reader import SeedError, header, loads

HEAD = "```yaml\narea: Kent\nurl: https://x/\ntitle: Hostile | Kent Police\n"
TAIL = "\n```\n\nBody.\n"
BUDGET = MAX_BYTES - len(HEAD) - len(TAIL) - 64
AS_LIMIT = 400 * 1024 * 1024  # the target for peak memory, as address space


def repeat(make: Callable[[int], str], sep: str) -> str:
    """`make(0) sep make(1) ...`, as many as fit in the budget."""
    out, size, i = [], 0, 0
    while size + len(part := make(i)) + len(sep) <= BUDGET:
        out.append(part)
        size += len(part) + len(sep)
        i += 1
    return sep.join(out)


TOO_MANY = "the header has more than 20,000 values"
TOO_DEEP = "the header is nested more than 32 levels deep"
# name → (header text after the good keys, the reason it fails with, or None: it reads)
SHAPES: dict[str, tuple[Callable[[], str], str | None]] = {
    "flow_seq": (lambda: "k: [" + repeat(lambda i: "0", ",") + "]", TOO_MANY),
    "flow_map": (lambda: "k: {" + repeat(lambda i: f"a{i}: 0", ", ") + "}", TOO_MANY),
    "flow_empty_maps": (lambda: "k: [" + repeat(lambda i: "{}", ",") + "]", TOO_MANY),
    "flow_nested": (lambda: "k: [" + repeat(lambda i: "[0,[0]]", ",") + "]", TOO_MANY),
    "anchors": (lambda: "k: [" + repeat(lambda i: f"&a{i} 0", ",") + "]", TOO_MANY),
    "block_map": (lambda: repeat(lambda i: f"k{i}: 0", "\n"), TOO_MANY),
    "block_seq": (lambda: "k:\n" + repeat(lambda i: "- 0", "\n"), TOO_MANY),
    "many_long_keys": (lambda: repeat(lambda i: f"{'k' * 200}{i}: 0", "\n"), TOO_MANY),
    # libyaml stops deep flow nesting itself, at 1,000 levels; the pure-Python parser does not
    "deep_flow": (lambda: "k: " + "[" * (BUDGET // 2 - 8) + "]" * (BUDGET // 2 - 8), "nest"),
    "deep_flow_map": (lambda: "k: " + "{a: " * (BUDGET // 5) + "}" * (BUDGET // 5), TOO_DEEP),
    "deep_block": (lambda: "k:\n" + repeat(lambda i: " " * (i + 1) + "- ", "\n"), TOO_DEEP),
    "deep_block_map": (lambda: "k:\n" + repeat(lambda i: " " * (i + 1) + f"k{i}:", "\n"), TOO_DEEP),
    "many_documents": (lambda: repeat(lambda i: "---\na: 1", "\n"), "more than one YAML document"),
    "long_key": (lambda: "x" * (BUDGET - 8) + ": 1", "YAML syntax error"),  # a key is ≤ 1,024 chars
    "long_scalar": (lambda: "k: " + "x" * (BUDGET - 8), None),
    "long_quoted": (lambda: 'k: "' + "\\u00e9" * (BUDGET // 6 - 2) + '"', None),
}

# Runs in a fresh process under the address-space limit: reads each seed, prints one result line.
PROBE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from convert.reader import SeedError, header, load
if sys.argv[1] == "python":
    header._Parser = header.PyParser
for path in sys.argv[2:]:
    try:
        extra = load(path).meta.extra
        result = {{"read": {{k: len(v) for k, v in extra.items()}}}}
    except SeedError as exc:
        result = {{"reason": exc.reason, "line": exc.line}}
    except MemoryError:
        result = {{"reason": "MemoryError"}}
    print(json.dumps(result), flush=True)
"""


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-headers")
    paths = {}
    for name, (make, _) in SHAPES.items():
        text = HEAD + make() + TAIL
        assert 0.99 * MAX_BYTES < len(text.encode()) <= MAX_BYTES, name  # as big as a seed may be
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_hostile_headers_fail_clearly_in_bounded_memory(parser: str, seeds: dict[str, Path]) -> None:
    if parser == "libyaml" and header._Parser is header.PyParser:
        pytest.skip("PyYAML was built without libyaml")
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(limit=AS_LIMIT), parser, *map(str, seeds.values())],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    results = dict(zip(seeds, map(json.loads, done.stdout.splitlines()), strict=True))
    for name, (_, expected) in SHAPES.items():
        result = results[name]
        if expected is None:
            assert result == {"read": {"k": BUDGET - 8 if name == "long_scalar" else BUDGET // 6 - 2}}
        else:
            assert expected in result.get("reason", ""), (name, result)
            assert result["line"] is not None and result["line"] >= 5, (name, result)
    assert results["flow_seq"]["line"] == 5  # the line of the 20,001st value
    assert results["block_map"]["line"] == 10_001  # the 10,001st key's value


def test_limits_count_every_value_and_level() -> None:
    """Exactly at the limits a header reads; one more value or level is refused."""
    def seed(body: str) -> str:
        return HEAD + body + TAIL

    # the header mapping, area, url and title (keys and values), k and its list: nine values
    fits = seed("k: [" + ",".join(["0"] * (20_000 - 9)) + "]")
    assert len(loads(fits, "x.txt").meta.extra["k"]) == 20_000 - 9
    with pytest.raises(SeedError, match="more than 20,000 values"):
        loads(seed("k: [" + ",".join(["0"] * (20_000 - 8)) + "]"), "x.txt")
    assert loads(seed("k: " + "[" * 32 + "]" * 32), "x.txt").meta.extra["k"]  # depth 32
    with pytest.raises(SeedError, match="nested more than 32 levels"):
        loads(seed("k: " + "[" * 33 + "]" * 33), "x.txt")


def test_both_parsers_read_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + (
        "n: 7\nf: 1.5\nb: true\nnothing: ~\nwhen: 2020-01-01\nquoted: \"a\\tb\"\n"
        "nested: {x: [1, {y: z}], s: !!set {a, b}}\n1: numeric key\n"
    ) + TAIL
    with_libyaml = loads(text, "x.txt").meta.extra
    monkeypatch.setattr(header, "_Parser", header.PyParser)
    assert loads(text, "x.txt").meta.extra == with_libyaml == {
        "n": 7, "f": 1.5, "b": True, "nothing": None, "when": "2020-01-01", "quoted": "a\tb",
        "nested": {"x": [1, {"y": "z"}], "s": ["a", "b"]}, "1": "numeric key",
    }


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_alias_names_its_anchor_and_a_second_document_is_refused(
    parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parser == "python":
        monkeypatch.setattr(header, "_Parser", header.PyParser)
    with pytest.raises(SeedError, match="aliases") as caught:
        loads(HEAD + "a: &x 1\nb: *x\n" + TAIL, "x.txt")
    assert caught.value.line == 5  # the anchor's line
    with pytest.raises(SeedError, match="aliases") as caught:
        loads(HEAD + "b: *undefined\n" + TAIL, "x.txt")
    assert caught.value.line == 5
    with pytest.raises(SeedError, match="more than one YAML document") as caught:
        loads(HEAD + "a: 1\n---\nb: 2\n" + TAIL, "x.txt")
    assert caught.value.line == 6
