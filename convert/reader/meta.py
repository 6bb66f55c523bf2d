"""Header fields → `Meta`: headline, publisher, summary, image, extra."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urljoin

from ..model import Block
from ..urls import split as split_url
from . import clean, titles

# Header keys that become Meta fields of their own; everything else goes to `extra`.
CONSUMED = frozenset({"area", "url", "title"})

# A tag holds no `<`: so each match attempt stops at the next `<`, and a description of
# 100,000 `<` is read in linear time (`<[^>]*>` scanned to the end from every one: 18 s).
_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")


def get(header: Mapping[str, Any], *path: str) -> Any:
    value: Any = header
    for key in path:
        if not isinstance(value, dict):  # the header is built of plain dicts
            return None
        value = value.get(key)
    return value


def text_value(value: Any) -> str | None:
    """A header value as text, if it is a scalar (YAML may give an int for `title: 1984`)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def summary(header: Mapping[str, Any]) -> str | None:
    """og:description as plain text: tags stripped, entities unescaped, spaces collapsed."""
    raw = text_value(get(header, "og", "description")) or text_value(get(header, "twitter", "description"))
    if not raw:
        return None
    if "<" in raw:
        raw = _TAG.sub(" ", raw)
    if "&" in raw:
        raw = html.unescape(raw)
    text = _SPACE.sub(" ", raw).strip()
    return text or None


def image(header: Mapping[str, Any], url: str) -> str | None:
    """og:image (a string or `{url: ...}`), made absolute; only http(s) images are kept."""
    for value in (get(header, "og", "image"), get(header, "twitter", "image")):
        if isinstance(value, Mapping):
            value = value.get("url") or value.get("secure_url")
        raw = text_value(value)
        if not raw or not raw.strip():
            continue
        link = html.unescape(raw.strip()) if "&" in raw else raw.strip()
        parts = split_url(link)
        if parts is not None and not parts.scheme and split_url(url) is not None:
            parts = split_url(link := urljoin(url, link))
        if parts is not None and parts.scheme.lower() in ("http", "https"):
            return link  # (one that every exporter can take apart, see convert.urls)
    return None


def extra(header: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in header.items() if key not in CONSUMED}


def headline_and_publisher(
    header: Mapping[str, Any], area: str, url: str, blocks: Sequence[Block]
) -> tuple[str, str | None, list[str]]:
    """The clean headline, the publisher if the header names one, and the headline candidates
    (for spotting the headline repeated as the body's first heading)."""
    site = text_value(get(header, "og", "site", "name"))
    pressroom = text_value(get(header, "pressroom", "name"))
    base = area.strip().lower()
    names = {base, f"{base} police", f"{base} constabulary", f"{base} police service"}
    for name in (site, pressroom):
        if name and not titles.is_generic_site(name):
            names.add(name.strip().lower())
    parsed = []
    for path in (("title",), ("og", "title"), ("twitter", "title")):
        raw = text_value(get(header, *path))
        if raw and titles.clean_text(raw).lower() not in titles.SECTIONS:
            parsed.append(titles.split_title(raw, names))
    candidates = [t.headline for t in parsed if t.headline]
    publisher = next((t.publisher for t in parsed if t.publisher), None)
    if publisher is None and pressroom and not titles.is_generic_site(pressroom):
        publisher = pressroom.strip()
    if publisher is None and site and not titles.is_generic_site(site):
        publisher = site.strip()
    if candidates:
        headline = titles.pick(candidates, url)
    else:
        headline = clean.first_h1(blocks) or titles.headline_from_slug(url) or url
    return titles.tidy_headline(headline), publisher, candidates
