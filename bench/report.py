"""The benchmark's Markdown: machine, corpus, and one table row per measurement."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(slots=True)
class Row:
    measure: str
    convert: str
    peer: str
    ratio: str
    target: str
    result: str
    note: str = ""


def fmt_rate(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def fmt_mb(mb: float) -> str:
    return f"{mb / 1024:.2f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(rows: Sequence[Row], info: Mapping[str, str], corpus: Mapping[str, object],
           elapsed: float, *, quick: bool, when: str, jobs: int) -> str:
    head = [
        "# convert benchmark" + (" (quick smoke run: small sizes, not for the README)" if quick else ""),
        "",
        f"Run {when}, `make bench` (`.venv/bin/python bench/run.py`), {elapsed / 60:.1f} minutes in all.",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + ".",
        "",
        f"Corpus: {corpus['n']:,} synthetic seeds from `bench/corpus.py` ({corpus['areas']} areas, "
        f"median {corpus['median_words']} words, 90th percentile {corpus['p90_words']}), shaped like the "
        "531-article shared sample. convert runs its CLI "
        f"(`convert FORMAT DIR -o OUT -j {jobs} --force -q`); "
        f"pandoc runs one process per file under `xargs -P {jobs}` on an evenly spread subset of the same "
        "seeds, with the fence turned into YAML front matter beforehand (not timed).",
        "",
        "| Measurement | convert | pandoc 3.x | Ratio | Target | Result | Notes |",
        "|---|---:|---:|---:|---|:---:|---|",
    ]
    body = [
        "| " + " | ".join(_cell(c) for c in dataclasses.astuple(r)) + " |"
        for r in rows
    ]
    return "\n".join(head + body) + "\n"
