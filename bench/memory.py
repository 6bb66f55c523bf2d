"""Memory over a long run: N generated seeds through pdf,docx,txt in one `convert` run.

    .venv/bin/python bench/memory.py            # 10,000 seeds (about 7 minutes on 2 cores)
    .venv/bin/python bench/memory.py --n 2000

Prints the peak RSS of the largest process (the parent or a pool worker, from wait4) for a
run of N/10 seeds and for the whole N, so growth per worker shows. Issue 5 asks for under
250 MB per worker over 10,000 articles.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
from measure import link_set, run_timed  # noqa: E402

WORK = HERE / "work" / "memory"
CONVERT = HERE.parent / ".venv" / "bin" / "convert"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--formats", default="pdf,docx,txt")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()
    seeds = WORK / f"corpus-{args.n}"
    if not seeds.is_dir():
        corpus.write_corpus(args.n, seeds, 1)
    every = sorted(seeds.rglob("*.md"))
    print(f"{len(every):,} seeds → {args.formats}, -j {args.jobs}")
    for n in (len(every) // 10, len(every)):
        src = link_set(every[:n], seeds, WORK / f"set-{n}")
        out = WORK / "out"
        shutil.rmtree(out, ignore_errors=True)
        t = run_timed([str(CONVERT), args.formats, str(src), "-o", str(out), "-j", str(args.jobs), "-q"])
        if t.returncode:
            raise SystemExit(f"convert failed ({t.returncode}): {t.stderr[-500:]}")
        print(f"{n:>7,} seeds: {t.seconds:6.1f} s, peak RSS of the largest process {t.rss_mb:.0f} MB")
    shutil.rmtree(WORK / "out", ignore_errors=True)


if __name__ == "__main__":
    main()
