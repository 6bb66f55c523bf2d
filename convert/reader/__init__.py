"""Seed file → `Article`. The reader knows nothing of output formats.

A seed is a ```yaml header fence (`area`, `url`, and whatever the scraper found: `title`,
`og.*`, `publish.date`, ...) followed by the article as Markdown. The steps, one module each:
`decode` (bytes → clean text), `header` (fence + safe YAML), `body` (Markdown → blocks),
`meta` / `titles` (headline, publisher, summary, image), `published` / `dates` (the date),
`clean` (boilerplate, repeated headline, heading levels, the body's structure), `captions`
(pictures' captions left without their pictures, the press officer's initials), `speakers`
(who is quoted), `residue` (scraped web residue, counted in a `Repairs` with the structure
repairs), `forces` (the publisher by area), and
last `facts` (references to quote, contacts, operations, kinds of story: `Article.facts`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..limits import MAX_BYTES, read_at_most, too_large
from ..model import Article, Meta
from . import body, captions, clean, facts, header, meta, published, residue, speakers
from .decode import decode
from .errors import SeedError, SeedWarning
from .forces import force_name
from .residue import Repairs

__all__ = ["MAX_BYTES", "Repairs", "SeedError", "SeedWarning", "load", "loads", "loads_with_repairs"]


def loads(data: str | bytes, source: str | None = None, *, max_bytes: int = MAX_BYTES) -> Article:
    """Parse one seed's text or bytes. Raises `SeedError` for anything it cannot read."""
    return loads_with_repairs(data, source, max_bytes=max_bytes)[0]


def loads_with_repairs(
    data: str | bytes, source: str | None = None, *, max_bytes: int = MAX_BYTES
) -> tuple[Article, Repairs]:
    """`loads`, and what it repaired (scraped residue removed, by kind; `Repairs.describe()`)."""
    repairs = Repairs()
    try:
        return _read(data, source, max_bytes, repairs), repairs
    except SeedError:
        raise
    except RecursionError:
        raise SeedError("the seed is nested too deeply to read", source) from None
    except Exception as exc:  # a reader bug must not stop a batch: report it as this seed's error
        raise SeedError(f"unreadable seed ({type(exc).__name__}: {exc})", source) from exc


def load(path: str | Path, *, source: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read one seed file. `source` is what `meta.source` records (default: the path as given)."""
    name = source if source is not None else str(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise SeedError(too_large(size, max_bytes), name)
            data = read_at_most(handle, size, max_bytes)
    except OSError as exc:
        raise SeedError(f"cannot read the file ({exc.strerror or exc})", name) from None
    return loads(data, name, max_bytes=max_bytes)


def _required(head: Mapping[str, Any], key: str, source: str | None, line: int) -> str:
    value = meta.text_value(head.get(key))
    if value is None or not value.strip():
        raise SeedError(f"the header has no {key!r}", source, line)
    return value.strip()


def _read(data: str | bytes, source: str | None, max_bytes: int, repairs: Repairs) -> Article:
    text = decode(data, source, max_bytes=max_bytes)
    part = header.split(text, source)
    head = header.parse(part, source)
    url = _required(head, "url", source, part.header_line)
    area = _required(head, "area", source, part.header_line)

    parsed = body.parse(residue.before_parse(part.body, repairs), url, source, part.body_line)
    blocks = clean.drop_boilerplate(residue.after_parse(parsed, repairs))
    # The tag before the nested headings (a bullet that was a heading is never a tag); both
    # before the headline, which may be repeated as the first paragraph or the first bullet.
    blocks = clean.headings_in_items(clean.drop_leading_tag(blocks, repairs), repairs)
    headline, publisher, candidates = meta.headline_and_publisher(head, area, url, blocks)
    blocks = clean.drop_headline(blocks, [headline, *candidates], repairs)
    # Sentence headings become paragraphs before trim_rules (which drops a last heading) and
    # normalise_headings (the levels left decide); paragraphs are split after the dates are
    # found (a stamp is looked for in the first blocks) and before doubles are looked for.
    blocks = clean.sentence_headings(blocks, repairs)
    date, updated, blocks = published.find_dates(head, blocks, url)
    blocks = clean.drop_doubled(clean.split_run_together(blocks, repairs), repairs)
    context = (headline, meta.text_value(head.get("title")), meta.summary(head))
    blocks = captions.strip(blocks, repairs, context=context, image=meta.image(head, url))
    blocks, quoted = speakers.collect(clean.normalise_headings(clean.trim_rules(blocks)), repairs)

    publisher = residue.clean_field(publisher, repairs)
    if publisher is None:
        publisher = force_name(area)
        repairs.add("publisher", publisher is not None)
    info = Meta(
        headline=residue.clean_field(headline, repairs) or headline,
        area=area,
        url=url,
        title=residue.clean_field(meta.text_value(head.get("title")), repairs),
        publisher=publisher,
        published=date,
        updated=updated,
        summary=residue.clean_field(meta.summary(head), repairs),
        image=meta.image(head, url),
        speakers=quoted,
        extra=meta.extra(head),
        source=source,
    )
    return Article(info, blocks, facts.extract(info, blocks))
