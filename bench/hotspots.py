"""Where convert's time goes: cProfile over the reader or one exporter, in one process.

    .venv/bin/python bench/hotspots.py read  [--n 300]   # the seed reader
    .venv/bin/python bench/hotspots.py pdf   [--n 40]    # read + export, for any format name
    .venv/bin/python bench/hotspots.py cli -- pdf DIR -o OUT -j 1 --timeout 0 --force   # a CLI run

Uses the corpus `run.py` left in bench/work/corpus (or makes a small one). Prints the
functions with the most cumulative and the most own time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import pstats
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_corpus  # noqa: E402
from measure import stratified  # noqa: E402


def seeds(n: int) -> list[Path]:
    folder = HERE / "work" / "corpus"
    if not folder.exists():
        write_corpus(max(n, 300), folder)
    return stratified(sorted(folder.rglob("*.md")), n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", help="read, a format name (pdf, docx, txt, ...), or cli")
    ap.add_argument("--n", type=int, default=0, help="articles (default: 300 to read, 40 to export)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("rest", nargs="*", help="for cli: the convert arguments")
    args = ap.parse_args()

    import convert

    warnings.simplefilter("ignore")
    profiler = cProfile.Profile()
    if args.what == "cli":
        from convert.cli import main as cli_main

        sys.argv = ["convert", *args.rest]
        t0 = time.perf_counter()
        profiler.enable()
        with contextlib.suppress(SystemExit):  # click exits when it is done
            cli_main()
        profiler.disable()
        label = "convert " + " ".join(args.rest)
        count = 1
    else:
        paths = seeds(args.n or (300 if args.what == "read" else 40))
        if args.what == "read":
            for p in paths[:10]:
                convert.load(p)  # warm: imports, compiled patterns

            def work() -> None:
                for p in paths:
                    convert.load(p)
        else:
            articles = [convert.load(p) for p in paths]
            convert.export(articles[0], args.what)  # warm the exporter instance

            def work() -> None:
                for a in articles:
                    convert.export(a, args.what)
        t0 = time.perf_counter()
        profiler.enable()
        work()
        profiler.disable()
        label, count = args.what, len(paths)
    elapsed = time.perf_counter() - t0
    print(f"{label}: {count} in {elapsed:.2f} s under the profiler ({elapsed / count * 1000:.1f} ms each)\n")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
