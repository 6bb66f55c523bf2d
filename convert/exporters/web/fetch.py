"""The only way WeasyPrint may load anything: files from the styles folders and `data:` URIs.

Seeds come from the web, so a briefing must never read a local file the user did not put in
a styles folder, nor open a network connection. WeasyPrint asks its `url_fetcher` for every
stylesheet, image, font and attachment; this one refuses all but the above by raising, which
WeasyPrint turns into a skipped resource.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A resource outside what a briefing may load."""


class SafeFetcher(URLFetcher):
    """A `url_fetcher` that serves files under `roots` and `data:` URIs, and nothing else.

    `remote` names exact http(s) URLs that may be fetched anyway (the articles' images,
    when the user asked for them with `fetch_images`); it is empty by default.
    """

    def __init__(self, roots: Iterable[Path], remote: Iterable[str] = ()) -> None:
        super().__init__(timeout=10, allow_redirects=False)
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.remote = frozenset(remote)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._file(url)
        if scheme in ("http", "https") and url in self.remote:
            return super().fetch(url, headers)
        raise RefusedURL(f"refused to load {url[:200]!r}: only the styles folder and data: URIs")

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused to load {url[:200]!r}: not a local file")
        # resolve() follows symlinks and '..', so a link inside styles/ cannot point out of it
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedURL(f"refused to load {path}: outside the styles folder")
        if not path.is_file():
            raise RefusedURL(f"no such style file: {path}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})
