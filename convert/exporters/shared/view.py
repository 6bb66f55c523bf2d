"""The editorial view: what every format says about an article, decided once, here.

Formats render; they do not decide. Who published it and how to name them, which dates to
show and how, whether the summary is worth printing, who is quoted and whether a quote needs
its speaker named under it: each is answered here, from the model alone, so the same article
says the same thing in every format. Strings are the model's own (seed text, untrusted): each
format cleans and escapes them in its own syntax.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import cached_property

from ...collate import Section, date_span, group
from ...model import Article, Block, Heading, ListBlock, Meta, Paragraph, Quote, walk_blocks
from ...text import plain
from .callout import Callout, callout
from .dates import date_range, iso_date, long_date, short_date, updated_date
from .text import clean
from .typography import sentence_case, typeset, typeset_blocks

OPENING_BLOCKS = 4  # a summary found in the first paragraphs or headings is not repeated
DATE_SEPARATOR = " · "


class ArticleView:
    """One article as the formats present it. Cheap to make: every answer is computed on first use."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.meta: Meta = article.meta

    # --- as written -----------------------------------------------------------------------

    @cached_property
    def headline(self) -> str:
        """As printed: typeset (`typography`), and in sentence case when written in capitals."""
        return sentence_case(typeset(self.meta.headline), (self.meta.area, self.meta.publisher or ""))

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
        """og:description as written ('' when there is none): document metadata only; what
        is printed is `summary_shown`."""
        return self.meta.summary or ""

    @property
    def speakers(self) -> tuple[str, ...]:
        """The people quoted, in order of appearance."""
        return self.meta.speakers

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        """The blocks as printed: typeset, with the references and phone numbers the reader
        found kept whole (no-break spaces); without a heading that only repeats the call-out's
        title ("## Can you help?") when the call-out is shown (the paragraphs under it stay)."""
        facts = self.article.facts
        glued = [r.text for r in facts.references] + [c.value for c in facts.contacts if c.kind == "phone"]
        blocks = self.article.blocks
        if self.callout is not None:
            title = _said(self.callout.title)
            blocks = tuple(
                b for b in blocks if not (isinstance(b, Heading) and _said(plain(b.inlines)) == title)
            )
        return typeset_blocks(blocks, glued)

    @cached_property
    def callout(self) -> Callout | None:
        """The "Can you help?" box every format prints before the body, or None (`callout`)."""
        return callout(self.article)

    # --- who -----------------------------------------------------------------------------

    @property
    def byline(self) -> str:
        """Who published it, the one who-line of every format: 'Lancashire Constabulary', or
        'Action Fraud (Lancashire)' when the publisher does not name the area, or 'Area: British
        Transport' when the publisher is unknown (an area name alone reads like a place, and
        several are not one; the reader's force table leaves no article so on the sample)."""
        publisher, area = self.publisher.strip(), self.area.strip()
        if not publisher:
            return f"Area: {area}" if area else ""
        if not area or area.casefold() in publisher.casefold():
            return publisher
        return f"{publisher} ({area})"

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

    @property
    def updated(self) -> str:
        """`Updated 28 August 2018` when the seed records a change on a later day, else ''."""
        return updated_date(self.meta.published, self.meta.updated)

    @property
    def dates(self) -> tuple[str, ...]:
        """The parts of `dateline`: the long date and the `Updated` date, those there are."""
        return tuple(part for part in (self.date_long, self.updated) if part)

    @property
    def dateline(self) -> str:
        """`Thursday 11 April 2019 · Updated 2 May 2019`: the date line of bulletins, Markdown
        and Word (pages mark up the two parts apart)."""
        return DATE_SEPARATOR.join(self.dates)

    # --- the summary ---------------------------------------------------------------------

    @cached_property
    def summary_shown(self) -> str | None:
        """The summary as every format prints it, or None when it adds nothing: when the
        headline or the opening blocks already say it (`repeats`), or any one paragraph of the
        body does (`repeats_one`: a summary copied from the fifth paragraph is not a standfirst).
        og:description is usually lifted from them, and a reader should not read it twice.
        Document metadata (PDF Subject, <meta name=description>, Word's subject) keeps `summary`
        whatever this says."""
        summary = (self.meta.summary or "").strip()
        if not summary or repeats(summary, [self.meta.headline, *self.opening(summary)]):
            return None
        if repeats_one(summary, _texts(self.article.blocks)):
            return None
        return typeset(summary)

    def opening(self, summary: str) -> list[str]:
        """The text of the first OPENING_BLOCKS headings and paragraphs, more when the summary
        is long (some forces put the first five paragraphs run together in og:description)."""
        budget, opening = 2 * len(summary.split()), []
        for block in self.article.blocks:
            if isinstance(block, Heading | Paragraph):
                opening.append(plain(block.inlines))
                budget -= len(opening[-1].split())
                if len(opening) >= OPENING_BLOCKS and budget <= 0:
                    break
        return opening


# A summary whose word trigrams are at least this share found in the headline and opening
# blocks is a repeat. Chosen on the 531-article sample (421 with a summary): nothing scores
# between 0.58 and 0.66; at 0.67 and above the summary is the lead with small edits ("She was
# so cold, thermal imaging cameras couldn't detect her" under "A MISSING woman who was so cold
# that thermal imaging cameras couldn't detect her…"; "almost 20 years ago" over "20 years
# ago"; a headline plus ", Worcestershire"); at 0.57 and below it adds something ("…and want
# the public to help us identify the suspects", a name, a street). One word changed in a
# 10-word summary ("in court next week" above "in court this week") costs 3 of 8 trigrams: 0.63.
SUMMARY_OVERLAP = 0.6
_WORD = re.compile(r"\w+")
_CUT = ("...", "…", "[...]", "[…]")


def _said(text: str) -> str:
    """What a short text says, for comparing two: its words, casefolded, one space apart."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    """Words as compared: casefolded, punctuation (straight or curly quotes, dashes,
    apostrophes) dropped, so `couldn’t` and `couldn't` are the same two words."""
    return _WORD.findall(text.casefold())


def _runs(summary: str) -> list[tuple[str, ...]]:
    """What `overlap` looks for: the summary's word trigrams (its words, one each, when it has
    fewer than three). A summary cut short with an ellipsis loses its last word, which may be cut."""
    stripped = summary.rstrip()
    cut = stripped.endswith(_CUT)
    words = _words(stripped)
    if cut and len(words) > 3:
        words = words[:-1]
    if len(words) < 3:
        return [(w,) for w in words]
    return list(zip(words, words[1:], words[2:], strict=False))  # (zip: no slices)


def _found(runs: list[tuple[str, ...]], texts: Sequence[str]) -> float:
    """The share of `runs` found in `texts` (1.0 for no runs: nothing is left to say)."""
    if not runs:
        return 1.0
    lists = [_words(text) for text in texts]
    if len(runs[0]) == 1:
        seen: set[tuple[str, ...]] = {(w,) for ws in lists for w in ws}
    else:
        seen = {run for ws in lists for run in zip(ws, ws[1:], ws[2:], strict=False)}
    return sum(run in seen for run in runs) / len(runs)


def overlap(summary: str, texts: Sequence[str]) -> float:
    """The share of the summary's word trigrams (words, when it has fewer than three) found
    in `texts`. A summary cut short with an ellipsis loses its last word, which may be cut."""
    return _found(_runs(summary), texts)


def repeats(summary: str, opening: Sequence[str]) -> bool:
    """True when the summary says nothing the headline and first blocks do not: the one rule
    for every format (see SUMMARY_OVERLAP)."""
    return overlap(summary, opening) >= SUMMARY_OVERLAP


def repeats_one(summary: str, texts: Iterable[str]) -> bool:
    """True when one of `texts` alone (a paragraph anywhere in the body) says the summary, by
    the same measure as `repeats`. On the sample (421 summaries) the four copied word for word
    from a later paragraph score 0.71 to 1.0 against it; no other scores above 0.57 against any
    one paragraph (taken all together, the body would pass some that add a name or a place)."""
    runs = _runs(summary)
    if not runs:
        return True
    need = SUMMARY_OVERLAP * len(runs)
    holding: dict[str, set[int]] = {}  # each word of the summary → the runs that hold it
    for n, run in enumerate(runs):
        for word in run:
            holding.setdefault(word, set()).add(n)
    for text in texts:
        # A run found in the paragraph's words has each word in its text: counting the runs
        # whose words all occur as substrings is a cheap upper bound, exact enough to skip
        # most paragraphs without splitting them into words.
        lowered = text.casefold()
        lost: set[int] = set()
        for word, held in holding.items():
            if word not in lowered:
                lost |= held
        if len(runs) - len(lost) >= need and _found(runs, (text,)) >= SUMMARY_OVERLAP:
            return True
    return False


def _texts(blocks: Sequence[Block]) -> Iterator[str]:
    """The text of every heading and paragraph, in lists and quotes too, in order."""
    return (plain(b.inlines) for b in walk_blocks(blocks) if isinstance(b, Heading | Paragraph))


def attribution(quote: Quote) -> str | None:
    """The speaker to name under a quote, unless the words printed in it already name them
    ("Sgt Andrew Hemingway said: ..." inside the quote), in every format. Checked against the
    words as printed, in order, with each nested quote's name as `— name` where it stands: a
    speaker `—` or `— a` is already named by a nested `— a`, and is not named twice (fuzzing
    found both)."""
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
