"""convert: police press releases → PDF briefings, Word documents and plain-text bulletins.

The library API::

    import convert
    article = convert.load("seeds/000_8253f2a74fd231eb.txt")
    print(article.meta.headline, article.meta.published)
    pdf_bytes = convert.export(article, "pdf")
    convert.export([article, other], "docx", dest="pack.docx", title="Weekly pack")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exporters import REGISTRY, ExportError, OptionError, Options, register, registry
from .files import write_atomic
from .model import (
    Article,
    Block,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Text,
)

if TYPE_CHECKING:
    from .reader import SeedError, SeedWarning, load, loads

__version__ = "0.1.0"
# Raised when the reader reads the same seed differently (a rule of its facts or kinds changed):
# it is part of every output's stamp, so outputs made by the previous reader are rebuilt.
# 2: a pedestrian or a police motorcyclist in a body's later paragraphs is not a collision;
# 3: British Transport's picture label and the press office's "Issued: ..." sign-off go;
# 4: GOV.UK's "From:" line over the story goes;
# 5: a speaker quoted by title and surname takes the fuller name the story introduced;
# 6: the body's structure rules, picture captions, sign-offs, a URL's month for an undated page.
READER_REVISION = 6

_READER = ("SeedError", "SeedWarning", "load", "loads")


def __getattr__(name: str) -> Any:
    # The reader (Markdown parser, YAML, date parsing) is imported on first use: the command
    # line's parent process only plans and records, and a rerun with nothing to do stays quick.
    if name in _READER or name == "reader":
        import importlib

        reader = importlib.import_module(".reader", __name__)
        return reader if name == "reader" else getattr(reader, name)
    raise AttributeError(f"module 'convert' has no attribute {name!r}")

__all__ = [
    "Article", "Block", "Emphasis", "ExportError", "Heading", "Inline", "LineBreak", "Link",
    "ListBlock", "Meta", "OptionError", "Options", "Paragraph", "Quote", "Rule", "SeedError", "SeedWarning",
    "Strong", "Text", "convert_paths", "export", "formats", "load", "loads", "register",
]


def formats() -> dict[str, str]:
    """The available output formats: name → one-line description."""
    return {name: cls.description for name, cls in sorted(registry().items())}


def export(
    articles: Article | Sequence[Article],
    fmt: str,
    dest: str | Path | None = None,
    **options: Any,
) -> bytes:
    """Render one article, or a bundle of several, in format `fmt`.

    `options` are settings, as on the command line: the format takes the ones it declares
    (`txt`: width, ascii, title; `pdf`: pdf_variant, fetch_images, title; every format: styles;
    see each exporter's `options_class`). A setting no format has is a TypeError naming it; a
    value the format cannot use, an OptionError. With `dest`, the bytes are also written there
    atomically. Returns the bytes.
    """
    REGISTRY.check_settings([fmt], options)
    settings = REGISTRY.options([fmt], options)[fmt]
    cls = REGISTRY.get(fmt)
    # Which style files, as they are now, is part of the warm exporter's key: an edited template
    # is picked up (by its size and time: cheaper than hashing it for every article).
    exporter = REGISTRY.instance(fmt, settings, settings.theme.signature(tuple(cls.style_files)))
    if isinstance(articles, Article):
        data = exporter.export(articles)
    else:
        data = exporter.export_bundle(list(articles))
    if dest is not None:
        write_atomic(dest, data)
    return data


def convert_paths(paths: Any, formats: Any = "txt", out: str | Path = "out", **kwargs: Any) -> Any:
    """Convert seed files and folders like the command line (incremental, in parallel).

    Returns a `convert.engine.Summary` (counts, failures, `exit_code`); see
    `convert.engine.convert_paths` for every argument::

        summary = convert.convert_paths("corpus/", "pdf,txt", "out/", jobs=2)
    """
    from .engine import convert_paths as run  # imported on use: the engine pulls in the pool

    return run(paths, formats, out, **kwargs)
