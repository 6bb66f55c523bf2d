"""The cluster benchmark: the same corpus through the local pool (`-j N`) and through a Dask
cluster of N single-threaded worker processes on this machine (`--scheduler`), same outputs.

    .venv/bin/python bench/cluster.py                      # the shared sample, txt,json
    .venv/bin/python bench/cluster.py --formats pdf --rounds 1
    .venv/bin/python bench/cluster.py CORPUS --workers 2

Each round runs both, interleaved, with `--force`, as a user would (the CLI in a new process).
"Run" is the engine's own elapsed time (the summary line); "wall" adds starting the process,
and for Dask importing it and connecting. The first cluster round also warms the workers
(exporters built once per worker process, then kept for later runs). Bulletins and JSON from
both must be byte-identical, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONVERT = [sys.executable, "-m", "convert"]
SAMPLE = Path("/work/shared/corpus/police-news")


def run(args: list[str]) -> tuple[float, float, str]:
    start = time.perf_counter()
    done = subprocess.run(CONVERT + args, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "CONVERT_SCHEDULER"})
    wall = time.perf_counter() - start
    line = next((x for x in done.stderr.splitlines() if x.startswith("converted ")), "")
    m = re.search(r" in ([\d.]+)s", line)
    if done.returncode not in (0, 1) or not m:
        raise SystemExit(f"convert failed ({done.returncode}):\n{done.stderr}")
    return float(m[1]), wall, line.rsplit(", in ", 1)[0]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in (".txt", ".json")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--formats", default="txt,json")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from distributed import LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    startup = time.perf_counter() - started
    times: dict[str, list[tuple[float, float]]] = {"pool": [], "dask": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = {k: Path(tmp) / k for k in times}
            for _ in range(args.rounds):
                common = [args.formats, str(args.corpus), "--force"]
                run_p, wall_p, said_p = run([*common, "-o", str(out["pool"]), "-j", str(args.workers)])
                run_d, wall_d, said_d = run([*common, "-o", str(out["dask"]), "--scheduler",
                                             cluster.scheduler_address])
                if said_p != said_d:
                    raise SystemExit(f"different summaries: {said_p!r} vs {said_d!r}")
                times["pool"].append((run_p, wall_p))
                times["dask"].append((run_d, wall_d))
            a, b = tree(out["pool"]), tree(out["dask"])
            if a != b:
                raise SystemExit(f"outputs differ: {sorted(k for k in a if a[k] != b.get(k))[:5]}")
    finally:
        cluster.close()

    n = int(said_p.split()[1].rstrip(","))  # converted N
    print(f"{n} seeds → {args.formats}; {args.workers} workers; {os.cpu_count()} cores; "
          f"{said_p}; outputs identical ({len(a)} txt/json files compared)")
    print(f"cluster start (not counted): {startup:.1f}s")
    print("| executor | first run s | later runs s (median) | seeds/s (median) | wall s (median) |")
    print("|---|---:|---:|---:|---:|")
    label = {"pool": f"local pool -j {args.workers}", "dask": f"Dask, {args.workers} local workers"}
    for key, rows in times.items():
        later = rows[1:] or rows
        med = statistics.median(r for r, _ in later)
        wall = statistics.median(w for _, w in later)
        print(f"| {label[key]} | {rows[0][0]:.1f} | {med:.1f} | {n / med:.0f} | {wall:.1f} |")
    pool = statistics.median(r for r, _ in (times["pool"][1:] or times["pool"]))
    dask = statistics.median(r for r, _ in (times["dask"][1:] or times["dask"]))
    print(f"Dask overhead: {100 * (dask / pool - 1):+.0f}% on the run")


if __name__ == "__main__":
    main()
