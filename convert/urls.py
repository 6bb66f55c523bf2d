"""Is an address one every exporter can take apart? The reader makes a `Link` only of those.

Seeds hold odd addresses: `[www.amazon.uk]` read as `http://www.amazon.uk]` made
`urllib.parse.urlsplit` raise "Invalid IPv6 URL" in the txt and md exporters. An address that
fails here stays text: a seed never fails because of one odd address.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

# Schemes whose address names a host, which must then be a real host name or IP address.
_HOST_SCHEMES = frozenset({"http", "https", "ftp"})
# A host name as the IDNA codec leaves it: ASCII labels of letters, digits, hyphens (and the
# underscores some real sub-domains have), 1 to 63 characters, not starting or ending with '-'.
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
MAX_HOST = 253  # characters, as DNS allows


def split(url: str) -> SplitResult | None:
    """`urlsplit(url)` if the address and its port parse and its host is valid, else None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number, or too big
    except ValueError:
        return None
    if parts.scheme.lower() in _HOST_SCHEMES and not _valid_host(parts):
        return None
    return parts


def usable(url: str) -> bool:
    """Does `url` parse, with a valid host where its scheme needs one?"""
    return split(url) is not None


def _valid_host(parts: SplitResult) -> bool:
    host = parts.hostname
    if not host or len(host) > MAX_HOST:  # (an international name only grows in ASCII form)
        return False
    if "[" in parts.netloc:  # an IPv6 literal: urlsplit has checked it already
        return True
    if not host.isascii():
        try:  # an international name (IDN) is valid if it has an ASCII form
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    host = host.removesuffix(".")
    return len(host) <= MAX_HOST and all(_LABEL.fullmatch(label) for label in host.split("."))
