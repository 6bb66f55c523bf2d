"""The editorial view: what every format says about an article, decided once, here.

Formats render; they do not decide. Who published it and how to name them, which dates to
show and how, whether the summary is worth printing, who is quoted and whether a quote needs
its speaker named under it: each is answered here, from the model alone, so the same article
says the same thing in every format. Strings are the model's own (seed text, untrusted): each
format cleans and escapes them in its own syntax.

Where the formats still disagree, the view names each rule rather than hiding the difference
(the summary: `new_summary` for bulletins and Markdown, `distinct_summary` for pages, `summary`
for Word); they are kept apart only because merging them would change today's outputs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from functools import cached_property

from ...collate import Section, date_span, group
from ...model import Article, Block, Heading, ListBlock, Meta, Paragraph, Quote
from ...text import plain
from .dates import date_range, iso_date, long_date, short_date
from .text import clean

OPENING_BLOCKS = 4  # a summary found in the first paragraphs or headings is not repeated


class ArticleView:
    """One article as the formats present it. Cheap to make: every answer is computed on first use."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.meta: Meta = article.meta

    # --- as written -----------------------------------------------------------------------

    @property
    def headline(self) -> str:
        return self.meta.headline

    @property
    def area(self) -> str:
        return self.meta.area

    @property
    def publisher(self) -> str:
        return self.meta.publisher or ""

    @property
    def url(self) -> str:
        return self.meta.url

    @property
    def summary(self) -> str:
        """og:description as written ('' when there is none); Word always prints it."""
        return self.meta.summary or ""

    @property
    def speakers(self) -> tuple[str, ...]:
        """The people quoted, in order of appearance."""
        return self.meta.speakers

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.article.blocks

    # --- who -----------------------------------------------------------------------------

    @property
    def byline(self) -> str:
        """'Lancashire Constabulary', or 'Action Fraud (Lancashire)' when the publisher does not
        name the area, or 'Area: British Transport' when the publisher is unknown (an area name
        alone reads like a place, and several are not one). Bulletins and Markdown."""
        publisher, area = self.publisher.strip(), self.area.strip()
        if not publisher:
            return f"Area: {area}" if area else ""
        if not area or area.casefold() in publisher.casefold():
            return publisher
        return f"{publisher} ({area})"

    @property
    def label(self) -> str:
        """The publisher, or the area when it is unknown: the kicker over a headline (pages, Word)."""
        return self.meta.publisher or self.meta.area

    # --- when ----------------------------------------------------------------------------

    @property
    def published(self) -> date | datetime | None:
        return self.meta.published

    @property
    def date_long(self) -> str:
        """`Thursday 11 April 2019` (with `, 15:22` when the time is known), or ''."""
        return long_date(self.meta.published)

    @property
    def date_short(self) -> str:
        """`11 Apr 2019`, or ''."""
        return short_date(self.meta.published)

    @property
    def date_iso(self) -> str:
        return iso_date(self.meta.published)

    # --- the summary ---------------------------------------------------------------------

    @cached_property
    def new_summary(self) -> str | None:
        """The summary, unless the headline or the first paragraphs already say it: og:description
        is usually lifted from them, and a reader should not read it twice. Bulletins, Markdown."""
        summary = self.meta.summary
        if not summary:
            return None
        # The opening: at least OPENING_BLOCKS blocks, more if the summary is long (some forces
        # put the first five paragraphs run together in og:description).
        budget, opening = 2 * len(summary.split()), []
        for block in self.article.blocks:
            if isinstance(block, Heading | Paragraph):
                opening.append(plain(block.inlines))
                budget -= len(opening[-1].split())
                if len(opening) >= OPENING_BLOCKS and budget <= 0:
                    break
        return None if repeats(summary, [self.meta.headline, *opening]) else summary

    @cached_property
    def distinct_summary(self) -> str | None:
        """The summary, unless it is (the start of) the first paragraph or that paragraph is the
        start of it. Pages (PDF and HTML)."""
        summary = clean(self.meta.summary or "").strip()
        if not summary:
            return None
        first = next((b for b in self.article.blocks if isinstance(b, Paragraph)), None)
        if first is not None:
            a, b = _words(summary), _words(plain(first.inlines))
            if a and b and (a.startswith(b) or b.startswith(a)):
                return None
        return self.meta.summary


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def repeats(summary: str, opening: Sequence[str]) -> bool:
    """True when the summary says nothing the first blocks of the body do not. og:description
    is very often the first paragraph, or two of them run together, sometimes lightly edited
    or cut short with an ellipsis: so compare runs of three words, not whole strings."""
    words = _words(re.sub(r"(\.\.\.|…)\s*$", "", summary)).split()
    if not words:
        return True
    texts = [_words(block) for block in opening]
    wanted = " ".join(words)
    if wanted in " ".join(texts):
        return True
    if any(text and text in wanted and len(text) >= 0.6 * len(wanted) for text in texts):
        return True  # the summary is the first paragraph and a little more
    if len(words) < 6:
        return False
    seen = {tuple(ws[i : i + 3]) for ws in (t.split() for t in texts) for i in range(len(ws) - 2)}
    runs = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return sum(run in seen for run in runs) >= 0.8 * len(runs)


def attribution(quote: Quote) -> str | None:
    """The speaker to name under a quote, unless the words printed in it already name them
    ("Sgt Andrew Hemingway said: ..." inside the quote). Bulletins and Markdown; pages and Word
    name the speaker under every quote that has one. Checked against the words as printed, in
    order, with each nested quote's name as `— name` where it stands: a speaker `—` or `— a`
    is already named by a nested `— a`, and is not named twice (fuzzing found both)."""
    speaker = clean(quote.speaker or "", "flat").strip()
    if not speaker or speaker.casefold() in clean(_printed(quote.blocks), "flat").casefold():
        return None
    return speaker


def _printed(blocks: Sequence[Block]) -> str:
    """The words some blocks print, in order, names under nested quotes included."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            lines.append(plain(block.inlines))
        elif isinstance(block, ListBlock):
            lines.extend(_printed(item) for item in block.items)
        elif isinstance(block, Quote):
            lines.append(_printed(block.blocks))
            name = attribution(block)
            lines.append("— " + name if name else "")
    return "\n".join(lines)


class BundleView:
    """Several articles as one output: grouped (by area unless `group_by` says kind or date;
    each group newest first), counted, spanned."""

    def __init__(self, articles: Sequence[Article], group_by: str = "area") -> None:
        self.articles = list(articles)
        self.group_by = group_by

    @cached_property
    def sections(self) -> list[Section]:
        """The order of every bundle: areas alphabetically, each newest first (`collate.by_area`),
        or the kinds or days of `collate.group`."""
        return group(self.articles, self.group_by)

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def areas(self) -> list[str]:
        if self.group_by == "area":
            return [s.area for s in self.sections]
        return sorted({a.meta.area for a in self.articles}, key=str.casefold)

    @property
    def area_counts(self) -> Counter[str]:
        return Counter(a.meta.area for a in self.articles)

    @cached_property
    def span(self) -> tuple[date, date] | None:
        """The first and last publication day, or None when nothing is dated."""
        return date_span(self.articles)

    @property
    def date_range(self) -> str:
        """`11 April 2019 – 2 May 2019`, one date, or ''."""
        return date_range(self.articles)
