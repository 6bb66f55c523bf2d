"""The one link policy: which addresses a reader of any output may follow.

Every format asks here before it makes a link (an `<a href>`, a Word hyperlink, a numbered
reference, a Markdown link); anything refused is printed as its text, never dropped. A link is
made absolute against the article's own address first, as a browser would, so a relative link
can never point into the styles folder a PDF is laid out from.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from ...model import LINK_SCHEMES
from ...urls import split
from .text import clean

SCHEMES = LINK_SCHEMES  # http, https, mailto, tel: no javascript:, data:, file:


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """`url` as a link target (made absolute against `base`, the article's address), or None
    when it must stay text: an unknown scheme, a web address without a host, a relative one
    with nothing to resolve it against, or one that does not parse (`[www.example.org]`)."""
    if not url:
        return None
    url = clean(url).strip()
    if not url:
        return None
    try:
        if not urlsplit(url).scheme and base:
            url = urljoin(base, url)
    except ValueError:  # "Invalid IPv6 URL" and friends: an odd address is text, not an error
        return None
    parts = split(url)  # the reader's test too: it parses, with a valid host and port
    if parts is None:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return None
    if scheme in ("http", "https") and not parts.netloc:
        return None
    return url
