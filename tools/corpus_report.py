"""The corpus report: what reading a folder of seeds repaired, and what is still wrong.

    make corpus-report                          # the shared sample (CORPUS=../shared/corpus/police-news)
    make corpus-report CORPUS=/path/to/archive  # any folder of seeds
    .venv/bin/python tools/corpus_report.py FOLDER [--check]

Per kind of residue: the articles the reader repaired and the repairs made, then the articles
where residue of that kind is still in the model's text after reading (a separate scan of the
final text, so "0 articles" is measured, not assumed; it also counts a raw tag in the body, which
the reader keeps as the seed's text). Then the structure repairs (`convert.reader.residue.STRUCTURE_KINDS`:
tags, repeated headlines, headings in list items...), publisher and `updated` coverage,
speakers per article, and the summary figures (shown / suppressed), which the shared editorial
view of the formats provides. Markdown on stdout. `--check` exits 1 when any residue survives or
an article has no publisher.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from convert.exporters.shared.dates import updated_date
from convert.exporters.shared.view import ArticleView
from convert.model import Article, Block, ListBlock, Paragraph, Quote
from convert.reader import SeedError, loads_with_repairs, residue, speakers
from convert.reader.lines import lines
from convert.text import blocks_text, plain

# The kinds, in the order the report lists them, with what each row is called.
ROWS = {
    "tags": "HTML tags",
    "entities": "HTML entities left over",
    "bullets": "private-use bullets → list items",
    "private-use": "other private-use characters",
    "cloudflare": "Cloudflare e-mail placeholders",
    "widgets": "web-widget lines",
    "gallery": "gallery numbers",
    "controls": "bidi / zero-width controls",
    "speech-space": "said:\"… without its space",
    "captions": "doubled speaker captions",
    "cloudflare-labels": "e-mail labels with no address",
    "link-notes": "link notes (opens in a new window)",
    "punctuation": "paragraphs of bare punctuation",
    "picture-captions": "picture captions without their picture",
    "sign-offs": "press officers' initials at the end",
}


@dataclass
class Tally:
    read: int = 0
    failed: list[str] = field(default_factory=list)
    repaired: Counter[str] = field(default_factory=Counter)  # kind → articles
    repairs: Counter[str] = field(default_factory=Counter)  # kind → repairs made
    left: Counter[str] = field(default_factory=Counter)  # kind → articles still holding it
    examples: dict[str, str] = field(default_factory=dict)  # kind → the first article left with it
    publisher: int = 0
    publisher_from_table: int = 0
    updated: int = 0
    updated_shown: int = 0
    speakers: list[int] = field(default_factory=list)
    quotes: int = 0
    captioned: int = 0

    def add(self, source: str, article: Article, repairs: Counter[str]) -> None:
        self.read += 1
        for kind, n in repairs.items():
            if n:
                self.repaired[kind] += 1
                self.repairs[kind] += n
        for kind in left_over(article):
            self.left[kind] += 1
            self.examples.setdefault(kind, source)
        meta = article.meta
        self.publisher += meta.publisher is not None
        self.publisher_from_table += bool(repairs.get("publisher"))
        self.updated += meta.updated is not None
        self.updated_shown += bool(updated_date(meta.published, meta.updated))
        self.speakers.append(len(meta.speakers))
        for quote in _quotes(article.blocks):
            self.quotes += 1
            self.captioned += quote.speaker is not None


def left_over(article: Article) -> Counter[str]:
    """The kinds of residue still in the article's text (each counted once)."""
    meta = article.meta
    texts = [meta.headline, meta.title or "", meta.publisher or "", meta.summary or "", *meta.speakers]
    texts.append(blocks_text(article.blocks))
    found = residue.survivors(texts, article.blocks)
    if any(_doubled_caption(q) for q in _quotes(article.blocks)):
        found["captions"] += 1
    return Counter({kind: 1 for kind in found})


def _quotes(blocks: Iterable[Block]) -> Iterable[Quote]:
    for block in blocks:
        if isinstance(block, Quote):
            yield block
            yield from _quotes(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _quotes(item)


def _doubled_caption(quote: Quote) -> bool:
    if quote.speaker is None or not quote.blocks or not isinstance(quote.blocks[-1], Paragraph):
        return False
    last = list(lines(quote.blocks[-1].inlines))[-1]
    return speakers.signs(plain(last), quote.speaker) is not None


def summary_figures(articles: Sequence[Article]) -> tuple[int, int] | None:
    """(shown, suppressed): the articles whose summary the formats show, and those with a
    summary that is left out because the headline or opening already say it (the editorial
    view's one rule, `ArticleView.summary_shown`). Articles without a summary are in neither."""
    with_summary = [a for a in articles if (a.meta.summary or "").strip()]
    shown = sum(ArticleView(a).summary_shown is not None for a in with_summary)
    return shown, len(with_summary) - shown


def walk(folder: Path) -> list[Path]:
    files = [p for p in folder.rglob("*") if p.suffix in (".md", ".txt") and p.is_file()]
    return sorted(p for p in files if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def tally(folder: Path) -> tuple[Tally, list[Article]]:
    t = Tally()
    articles = []
    for path in walk(folder):
        source = path.relative_to(folder).as_posix()
        try:
            article, repairs = loads_with_repairs(path.read_bytes(), source)
        except SeedError as exc:
            t.failed.append(str(exc))
            continue
        t.add(source, article, repairs)
        articles.append(article)
    return t, articles


def _share(n: int, total: int) -> str:
    return f"{n / total:.1%}" if total else "–"


def facts_rows(articles: Sequence[Article]) -> list[str]:
    """The reader's facts and the call-out: share with a reference, a contact, a call-out; per kind."""
    from convert.exporters.shared.callout import callout
    from convert.taxonomy import STORY_KINDS

    n = len(articles)
    counts = {
        "a reference to quote": sum(1 for a in articles if a.facts.references),
        "a contact": sum(1 for a in articles if a.facts.contacts),
        "a \"Can you help?\" call-out": sum(1 for a in articles if callout(a) is not None),
    }
    out = ["", "| Facts | Articles | Share |", "|---|---:|---:|"]
    out += [f"| with {label} | {k} | {_share(k, n)} |" for label, k in counts.items()]
    kinds = Counter(a.facts.kinds[0] if a.facts.kinds else "other" for a in articles)
    out += ["", "| Main kind | Articles | Share |", "|---|---:|---:|"]
    out += [f"| {kind} | {kinds[kind]} | {_share(kinds[kind], n)} |" for kind in STORY_KINDS if kinds[kind]]
    return out


def markdown(folder: Path, t: Tally, articles: Sequence[Article]) -> str:
    n = t.read
    out = [f"# Corpus report: {folder}", "", f"{n} articles read, {len(t.failed)} failed.", ""]
    out += ["| Residue or repair | Articles repaired | Repairs | Articles with it left |"]
    out += ["|---|---:|---:|---:|"]
    for kind, label in ROWS.items():
        out.append(f"| {label} | {t.repaired[kind]} | {t.repairs[kind]} | {t.left[kind]} |")
    with_residue = sum(1 for a in articles if left_over(a))
    out += ["", f"Articles with any residue left: {with_residue} ({_share(with_residue, n)}).", ""]
    out += ["| Structure repair | Articles repaired | Repairs |", "|---|---:|---:|"]
    for kind, (verb, _, many) in residue.STRUCTURE_KINDS.items():
        out.append(f"| {verb} {many} | {t.repaired[kind]} | {t.repairs[kind]} |")
    out.append("")
    out += ["| Metadata | Articles | Share |", "|---|---:|---:|"]
    out.append(f"| publisher | {t.publisher} | {_share(t.publisher, n)} |")
    from_table = t.publisher_from_table
    out.append(f"| … from the area's force table | {from_table} | {_share(from_table, n)} |")
    out.append(f"| updated | {t.updated} | {_share(t.updated, n)} |")
    out.append(f"| … a later day than published (\"Updated …\" shown) | {t.updated_shown} | "
               f"{_share(t.updated_shown, n)} |")
    figures = summary_figures(articles)
    if figures is None:
        out.append("| summary shown / suppressed | – | (the editorial view's rule: not built yet) |")
    else:
        shown, suppressed = figures
        out.append(f"| summary shown | {shown} | {_share(shown, n)} |")
        out.append(f"| summary suppressed | {suppressed} | {_share(suppressed, n)} |")
    out += facts_rows(articles)
    said = t.speakers
    quoted = sum(1 for k in said if k)
    out += ["", "| Speakers | |", "|---|---:|"]
    out.append(f"| per article (mean) | {statistics.fmean(said) if said else 0:.2f} |")
    out.append(f"| articles quoting anyone | {quoted} ({_share(quoted, n)}) |")
    out.append(f"| most in one article | {max(said, default=0)} |")
    out.append(f"| quotes with a caption | {t.captioned} of {t.quotes} |")
    if t.examples:
        out += ["", "Residue left, first article of each kind:", ""]
        out += [f"- {ROWS.get(kind, kind)}: {source}" for kind, source in sorted(t.examples.items())]
    if t.failed:
        out += ["", "Failed:", ""] + [f"- {line}" for line in t.failed]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if residue is left, a publisher is missing or a seed fails")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"corpus_report: {args.folder}: not a folder", file=sys.stderr)
        return 2
    t, articles = tally(args.folder)
    if t.read == 0 and not t.failed:
        print(f"corpus_report: no seeds found under {args.folder}", file=sys.stderr)
        return 1
    sys.stdout.write(markdown(args.folder, t, articles))
    if args.check and (sum(t.left.values()) or t.publisher < t.read or t.failed):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
