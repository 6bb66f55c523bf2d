"""The document model as JSON (schema 3): the form other tools and scripts read back.

One article is its `to_dict()` plus a `view` object: what the other formats print about it,
decided by the shared editorial view (who-line, dates, the summary when it adds something), so a
script sees the same editorial decisions; `from_dict` ignores it. A bundle is a JSON array of them
in the contents order every bundle uses (`collate.group`: by area unless --group-by says
otherwise). UTF-8, not ASCII-escaped, indented
two spaces.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from ...collate import group
from ...model import Article
from .. import ExportError, Options
from ..shared.view import ArticleView


def _fallback(value: Any) -> Any:
    """Header values YAML can produce that JSON cannot hold as such (kept in `meta.extra`)."""
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    raise ExportError(f"cannot write a {type(value).__name__} value as JSON")


def dumps(data: Any) -> bytes:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=_fallback)
    return (text + "\n").encode("utf-8")


class JSONExport:
    """The document model as JSON; `Article.from_dict` reads it back exactly."""

    name = "json"
    extension = "json"
    description = "The document model as JSON (schema 3), readable back with Article.from_dict"
    version = "4"  # schema 2: the facts; 3: the editorial `view` object; 4: schema 3, months
    style_files: tuple[str, ...] = ()
    options_class = Options  # none: the model as it is

    def __init__(self, options: Options) -> None:
        self.options = options

    def export(self, article: Article) -> bytes:
        return dumps(with_view(article))

    def export_bundle(self, articles: Sequence[Article]) -> bytes:
        sections = group(articles, self.options.group_by)
        return dumps([with_view(a) for section in sections for a in section.articles])


def with_view(article: Article) -> dict[str, Any]:
    """The model, and the editorial decisions every printed format makes from it."""
    shown = ArticleView(article)
    view = {
        "byline": shown.byline,
        "dateline": shown.date_long,
        "updated": shown.updated,
        "summary_shown": shown.summary_shown,
    }
    return {**article.to_dict(), "view": view}
