"""Test helpers: valid seed files made from parameters, and fake exporters for the engine tests.

`write_seed(folder, "x.md", headline=..., area=..., published=...)` writes a seed in the real
shape (a ```yaml fence with area/url/title and `article.published.time`, then a Markdown body).
The fake exporters are registered by `use_fakes()`; `python tests/seedkit.py ARGS...` runs the
CLI with them registered, for tests that need a separate process (kill -9, Ctrl-C).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from convert import exporters
from convert.exporters import TitledOptions

AREAS = ("Lancashire", "Kent", "Avon and Somerset", "Cumbria")


def seed_text(
    *,
    headline: str = "Officers praised for quick response",
    area: str = "Lancashire",
    published: str | None = "2020-03-01T10:00+00:00",
    url: str | None = None,
    body: str | None = None,
) -> str:
    slug = hashlib.sha1(f"{area}{headline}".encode()).hexdigest()[:10]
    url = url or f"https://www.example.police.uk/news/{slug}/"
    header = [f"area: {area}", f"url: {url}", f"title: '{headline} | {area} Police'"]
    if published is not None:
        header += ["article:", "  published:", f"    time: '{published}'"]
    body = body if body is not None else (
        f"Officers in {area} have been praised after {headline.lower()}.\n\n"
        " * Patrols were increased\n * Witnesses came forward\n\n"
        "Anyone with information should call 101.\n"
    )
    return "```yaml\n" + "\n".join(header) + "\n```\n\n" + body


def write_seed(folder: Path, name: str, **kw: str | None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(seed_text(**kw), encoding="utf-8")  # type: ignore[arg-type]
    return path


def make_corpus(root: Path, n: int, areas: Sequence[str] = AREAS) -> list[Path]:
    """`n` distinct seeds spread over area folders, dated one day apart from 2020-01-01."""
    paths = []
    for i in range(n):
        area = areas[i % len(areas)]
        day = 1 + (i % 28)
        month = 1 + (i // 28) % 12
        paths.append(write_seed(
            root / area, f"s{i:04d}.md", headline=f"Appeal number {i} after incident",
            area=area, published=f"2020-{month:02d}-{day:02d}T10:00+00:00",
        ))
    return paths


# --- fake exporters -------------------------------------------------------------------------


class Slow:
    """Sleeps a little per article and writes a large self-checking output: a truncated file
    is detectable (the last line is the sha256 of everything before it)."""

    name = "slow"
    extension = "slow"
    description = "test: slow, large, self-checking output"
    version = "1"
    style_files: tuple[str, ...] = ()

    def __init__(self, options: object) -> None:
        self.delay = float(os.environ.get("SLOW_DELAY", "0.02"))

    def export(self, article: object) -> bytes:
        time.sleep(self.delay)
        payload = (repr(article) * 50).encode()
        return payload + b"\n" + hashlib.sha256(payload).hexdigest().encode()

    def export_bundle(self, articles: Sequence[object]) -> bytes:
        return b"".join(self.export(a) for a in articles)


def complete(data: bytes) -> bool:
    payload, _, digest = data.rpartition(b"\n")
    return hashlib.sha256(payload).hexdigest().encode() == digest


class Picky:
    """Fails for any article whose headline contains 'boom'; dies for 'crash'."""

    name = "picky"
    extension = "picky"
    description = "test: fails on purpose"
    version = "1"
    style_files: tuple[str, ...] = ()
    options_class = TitledOptions  # --title is its only option: --width never rebuilds it

    def __init__(self, options: object) -> None:
        self.options = options

    def export(self, article: object) -> bytes:
        headline = article.meta.headline  # type: ignore[attr-defined]
        if "crash" in headline:
            os._exit(3)  # a worker dying as in a segfault or the OOM killer
        if "boom" in headline:
            from convert.exporters import ExportError

            raise ExportError("cannot render this one")
        return f"{headline}\n".encode()

    def export_bundle(self, articles: Sequence[object]) -> bytes:
        return b"".join(self.export(a) for a in articles)


@pytest.fixture
def fakes() -> Iterator[None]:
    """The fake exporters, registered for one test (import this fixture into a test module)."""
    use_fakes()
    yield
    for name in ("slow", "picky"):
        exporters.unregister(name)


def use_fakes() -> None:
    """Register the fake exporters beside the real ones, in this process (and forked workers)."""
    exporters.register(Slow)
    exporters.register(Picky)


if __name__ == "__main__":
    use_fakes()
    from convert.cli import main

    main(sys.argv[1:], prog_name="convert")
