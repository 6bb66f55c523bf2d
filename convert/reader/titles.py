"""Headline and publisher from the page title.

Titles in the archive come as `Force - Headline` (Lancashire), `Headline | Force` (most),
`Headline - SYP`, `Headline - Metropolitan Police`, `Headline - Wiltshire Police`,
`Headline | News | West Midlands Police` (og:title), `Headline |` (Dorset) or bare. A part is
a *force* when it is the area, the site or pressroom name, a known abbreviation, or a short
run of capitalised words ending in Police / Constabulary / Police Service / PSNI. Only a part
split off by ` | `, or by ` - ` / ` – ` *and* being a force, is removed: `... - London` (British
Transport's location suffix) and `Burglaries - Newtownabbey` stay whole.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# Abbreviations used as title suffixes, and their full names for `publisher`.
ABBREVIATIONS = {
    "SYP": "South Yorkshire Police",
    "GMP": "Greater Manchester Police",
    "PSNI": "Police Service of Northern Ireland",
}
# Site names that are platforms, not publishers.
GENERIC_SITES = frozenset({"gov.uk", "mynewsdesk", "wordpress", "news", "home", "facebook", "twitter"})
# Title parts that are a section of the site, not a force and not the headline.
SECTIONS = frozenset({"news", "latest news", "news and appeals", "news article", "appeals", "press releases"})

_FORCE = re.compile(
    r"(?:(?:[A-Z][\w'’.-]*|and|of|&)\s+){0,6}?(?:Police(?:\s+Service(?:\s+of\s+Northern\s+Ireland)?|\s+Scotland)?"
    r"|Constabulary|Police\s+Force|PSNI)",
)
_BAR = re.compile(r"\s*\|\s*")
_DASH = re.compile(r"\s+[-–—]\s+")
_SPACE = re.compile(r"\s+")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Title:
    headline: str  # may be "" when the title was nothing but a force name
    publisher: str | None


def clean_text(text: str) -> str:
    """Entities unescaped (`&#163;` → £, twice: `&amp;#039;` occurs), whitespace collapsed."""
    if "&" in text:
        text = html.unescape(html.unescape(text))
    return _SPACE.sub(" ", text).strip(" \u200b\u200c\u200d\u2060\ufeff")


def tidy_headline(text: str) -> str:
    """Clean text without a closing full stop (`... in Salford.`); `...` and `?` stay."""
    text = clean_text(text)
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


def split_title(raw: str, names: set[str]) -> Title:
    """Strip force prefixes and suffixes (and site sections) from a page title."""
    text = clean_text(raw)
    publisher: str | None = None
    parts = _BAR.split(text)
    # `Headline | News | West Midlands Police`, `Headline |`: peel parts off the end.
    while len(parts) > 1:
        last = parts[-1].strip()
        if not last or last.lower() in SECTIONS:
            parts.pop()
        elif _is_force(last, names):
            publisher = publisher or _publisher_name(last)
            parts.pop()
        else:
            break
    while len(parts) > 1 and _is_force(parts[0].strip(), names):
        publisher = publisher or _publisher_name(parts[0].strip())
        parts.pop(0)
    text = " | ".join(parts).strip()
    # `Headline - SYP`, `Lancashire Constabulary - Headline`
    pieces = _DASH.split(text)
    if len(pieces) > 1 and _is_force(pieces[-1], names):
        publisher = publisher or _publisher_name(pieces[-1])
        text = text[: text.rfind(pieces[-1])].rstrip(" -–—")
    elif len(pieces) > 1 and _is_force(pieces[0], names):
        publisher = publisher or _publisher_name(pieces[0])
        text = text[len(pieces[0]) :].lstrip(" -–—")
    return Title(text.strip(" |"), publisher)


def _is_force(part: str, names: set[str]) -> bool:
    part = part.strip()
    if not part:
        return False
    if part.lower() in names or part in ABBREVIATIONS:
        return True
    if "Police" not in part and "Constabulary" not in part and "PSNI" not in part:
        return False  # cheap test first: most parts are headlines
    return _FORCE.fullmatch(part) is not None


def _publisher_name(part: str) -> str:
    part = part.strip()
    return ABBREVIATIONS.get(part, part)


def is_generic_site(name: str) -> bool:
    return name.strip().lower() in GENERIC_SITES


def slug(text: str) -> str:
    return _SLUG_JUNK.sub("-", text.lower()).strip("-")


def url_slug(url: str) -> str:
    """The last path segment of a URL, lower-cased, as a slug."""
    try:
        path = unquote(urlsplit(url).path).rstrip("/")
    except ValueError:  # `http://[oops/x`: an article address that does not parse has no slug
        return ""
    last = path.rsplit("/", 1)[-1]
    last = re.sub(r"\.(?:aspx?|html?|php)$", "", last, flags=re.IGNORECASE)
    return slug(last)


def headline_from_slug(url: str) -> str:
    """`/news/2020/may/man-charged-with-murder/` → `Man charged with murder`."""
    words = url_slug(url).replace("-", " ").strip()
    if not words or words.isdigit():
        return ""
    return words[:1].upper() + words[1:]


def pick(candidates: list[str], url: str) -> str:
    """Of several clean headlines, the one the URL slug names (else the first)."""
    if len(set(candidates)) > 1:
        target = url_slug(url)
        for candidate in candidates:
            if target and slug(candidate) == target:
                return candidate
    return candidates[0]
