"""Property tests with hostile seeds: every link the reader makes is one every exporter can
take apart. The budget is the loaded hypothesis profile (tests/conftest.py); the addresses
that once failed are always run (`@example`), whatever else hypothesis draws."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import convert
from convert.model import Article, Link
from convert.reader import loads
from convert.urls import split

HEAD = "```yaml\narea: Kent\nurl: https://www.kent.police.uk/news/x/\ntitle: {title}\n{extra}```\n\n"

# --- addresses ----------------------------------------------------------------------------------

SCHEMES = ["", "http://", "https://", "www.", "mailto:", "ftp://", "//", "tel:", "javascript:"]
HOSTS = st.one_of(
    st.sampled_from([
        "www.amazon.uk", "kent.police.uk", "[::1]", "[oops", "bücher.de", "xn--bcher-kva.de", "%41.com",
        "exa%2Fmple.com", "a..b.uk", "-a.uk", "a-.uk", "a_b.example.com", "x@y.uk", "例え.jp",
    ]),
    st.from_regex(r"[a-z0-9-]{1,70}(\.[a-z0-9-]{1,70}){0,3}\.(uk|com)", fullmatch=True),  # long labels
    st.builds(lambda n: "a." * n + "uk", st.integers(100, 140)),  # a host over 253 characters
    st.text(alphabet="abcü0.-%[]:@/", min_size=1, max_size=30),
)
PORTS = st.sampled_from(["", ":80", ":99999", ":port", ":", ":-1", ":0x10"])
PATHS = st.text(alphabet="/abc%()[]?#=&.é ", max_size=20)
WRAPS = ["{}", "[{}]", "({})", "<{}>", "[the page]({})", "“{}”", "{}.", "**{}**", "[[{}]]", "[x]: {}"]


def all_links(article: Article) -> list[Link]:
    found: list[Link] = []

    def walk(node: object) -> None:
        if isinstance(node, Link):
            found.append(node)
        for name in ("inlines", "blocks"):
            for child in getattr(node, name, ()) or ():
                walk(child)
        for item in getattr(node, "items", ()) or ():
            for child in item:
                walk(child)

    for block in article.blocks:
        walk(block)
    return found


@given(st.sampled_from(SCHEMES), HOSTS, PORTS, PATHS, st.sampled_from(WRAPS))
@example("", "www.amazon.uk", "", "", "[{}]")  # real: 'ValueError: Invalid IPv6 URL' in txt and md
@example("http://", "[oops", "", "/", "{}")
@example("https://", "example.com", ":99999", "/", "[the page]({})")
def test_every_link_parses_and_every_exporter_takes_it(
    scheme: str, host: str, port: str, path: str, wrap: str
) -> None:
    address = wrap.format(scheme + host + port + path)
    article = loads(HEAD.format(title="Links | Kent Police", extra="") + f"See {address} now.\n", "links.txt")
    for link in all_links(article):
        parts = split(link.url)
        assert parts is not None, link.url
        assert parts.scheme.lower() in ("http", "https", "ftp", "mailto", "tel"), link.url
    for fmt in ("txt", "json", "md", "html", "docx", "pdf"):
        assert convert.export(article, fmt)
