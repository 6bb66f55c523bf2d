"""In-process measurements, each run by `run.py` in a fresh process pinned to one core.

    python bench/inproc.py reader LIST      the seed reader alone (articles/s), plus a check pass
    python bench/inproc.py overhead LIST    convert's PDF exporter vs bare WeasyPrint, per article

LIST is a file with one seed path per line. Prints one JSON object on stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import convert

# A headline that still carries its force (e.g. "... | Kent Police") means the reader missed a title shape.
_FORCE_AFFIX = re.compile(
    r"(\s[|–-]\s*(\w[\w &'-]*?(Police|Constabulary|SYP))\s*$)|(^\w[\w ]* Constabulary - )")


def pin_one_core() -> int:
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def reader(paths: list[Path]) -> dict[str, Any]:
    cpu = pin_one_core()
    failed: list[str] = []
    warned = 0
    dated = affixed = speakers = 0
    # Check pass (untimed): every generated seed must read, and read sensibly.
    for p in paths:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                article = convert.load(p)
            except convert.SeedError as exc:
                failed.append(str(exc))
                continue
        warned += bool(caught)
        dated += article.meta.published is not None
        affixed += bool(_FORCE_AFFIX.search(article.meta.headline or ""))
        speakers += bool(article.meta.speakers)
    # Timed passes: best of three over the same files (the page cache is warm after the check pass).
    warnings.simplefilter("ignore")
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        for p in paths:
            with contextlib.suppress(convert.SeedError):
                convert.load(p)
        runs.append(time.perf_counter() - t0)
    size = sum(p.stat().st_size for p in paths)
    return {
        "cpu": cpu, "n": len(paths), "bytes": size, "seconds": min(runs), "runs": runs,
        "rate": len(paths) / min(runs), "failed": failed, "warned": warned, "dated": dated,
        "headline_affix": affixed, "with_speakers": speakers,
    }


def overhead(paths: list[Path]) -> dict[str, Any]:
    """Per article: convert's pdf exporter vs bare WeasyPrint on the very HTML and CSS it prints."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from convert.exporters import instance
    from convert.exporters.web.pdf import PdfOptions

    cpu = pin_one_core()
    articles = [convert.load(p) for p in paths]
    exporter = instance("pdf", PdfOptions())
    source = "pdf exporter's print page"
    try:
        # The HTML the PDF exporter prints (the html exporter's page is the screen variant, with
        # other CSS inlined: rendering that would time a different layout).
        pages = [exporter.pages.article(a, medium="print") for a in articles]
        base_url = exporter.base_url
        stylesheet = exporter.options.theme.path("briefing.css")
    except AttributeError:  # the exporter's internals moved: fall back to the public html format
        pages = [convert.export(a, "html").decode() for a in articles]
        base_url, stylesheet, source = None, None, "html exporter (screen page)"
    # A careful user: one FontConfiguration, the stylesheet parsed once.
    fonts = FontConfiguration()
    sheets = [CSS(filename=str(stylesheet), font_config=fonts)] if stylesheet else []

    def bare(html: str) -> bytes:
        return HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets, font_config=fonts)

    def ours(article: convert.Article) -> bytes:
        return convert.export(article, "pdf")

    bare(pages[0]), ours(articles[0])  # warm both: imports, fonts, caches
    bare_s: list[float] = []
    ours_s: list[float] = []
    sizes = []
    for i, (article, html) in enumerate(zip(articles, pages, strict=True)):
        # Alternate which goes first, so neither always inherits the other's warm caches.
        order = ((bare, html, bare_s), (ours, article, ours_s))
        for fn, arg, out in order if i % 2 == 0 else reversed(order):
            t0 = time.perf_counter()
            data = fn(arg)
            out.append(time.perf_counter() - t0)
            if fn is ours:
                sizes.append(len(data))
    return {"cpu": cpu, "n": len(paths), "source": source, "bare": bare_s, "convert": ours_s,
            "pdf_bytes": sum(sizes)}


def main() -> None:
    mode, listing = sys.argv[1], Path(sys.argv[2])
    paths = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    result = {"reader": reader, "overhead": overhead}[mode](paths)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
