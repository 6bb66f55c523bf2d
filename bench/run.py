"""The benchmark: `make bench` (= `.venv/bin/python bench/run.py`). See bench/README.md for each row.

Generates a synthetic corpus into bench/work/ (git-ignored), then, in one run on the same files,
times the seed reader, `convert` (its CLI, as a user runs it) and pandoc 3.x (one process per
file, `xargs -P`), and prints a Markdown table that is also written to bench/results.md.

    .venv/bin/python bench/run.py            # the full run, about 5-10 minutes on 2 cores
    .venv/bin/python bench/run.py --quick    # a smoke run, about a minute
    .venv/bin/python bench/run.py --n 10000  # a bigger corpus (memory stays flat?)
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
from measure import (  # noqa: E402
    Timed,
    count_files,
    link_set,
    load,
    machine,
    pandoc_inputs,
    processes,
    run_timed,
    spread,
    stratified,
)
from report import Row, fmt_mb, fmt_rate, render, verdict  # noqa: E402

WORK = HERE / "work"
BIN = ROOT / ".venv" / "bin"
SHARED = ROOT.parent / "shared" / "corpus" / "police-news"
PANDOC_ARGS = {
    "txt": ["-s", "-t", "plain", "-o", "{out}/{{}}.txt"],
    "docx": ["-o", "{out}/{{}}.docx"],
    "pdf": ["--pdf-engine=weasyprint", "-o", "{out}/{{}}.pdf"],
}
TARGETS = {"txt": 30.0, "docx": 4.0, "pdf": 12.0}
LABELS = {"txt": "Plain-text bulletins", "docx": "Word documents", "pdf": "PDF briefings"}


@dataclass(slots=True)
class Sizes:
    corpus: int = 2000
    txt: int = 1000
    docx: int = 1000
    pdf: int = 1000  # also the no-op rerun's seeds
    pandoc_txt: int = 600
    pandoc_docx: int = 300
    pandoc_pdf: int = 40
    scaling: int = 300  # -j 1 vs -j N, PDF
    overhead: int = 60  # articles, PDF exporter vs bare WeasyPrint
    bundle: int = 500
    packs: tuple[int, ...] = (400, 2000)  # PDF packs in parts: -j 1 vs -j N, one article changed
    archive: int = 50_000  # bulletins for a whole archive, then the no-op rerun over it
    repeats: int = 5  # start-up rows: the median of this many runs


QUICK = Sizes(corpus=300, txt=300, docx=150, pdf=100, pandoc_txt=60, pandoc_docx=30, pandoc_pdf=6,
              scaling=60, overhead=10, bundle=100, packs=(60, 120), archive=1000, repeats=3)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.jobs = args.jobs
        self.sizes = QUICK if args.quick else Sizes()
        if args.n:
            n = args.n
            self.sizes = dataclasses.replace(self.sizes, corpus=n, txt=n, docx=n // 2, pdf=n // 2,
                                             bundle=min(self.sizes.bundle, n))
        self.rows: list[Row] = []
        self.rss: dict[str, float] = {}
        self.raw: dict[str, object] = {"sizes": dataclasses.asdict(self.sizes), "jobs": self.jobs}
        self.pandoc = self._find_pandoc()
        self.seeds: list[Path] = []
        self.timings: dict[str, Timed] = {}

    # --- set-up -------------------------------------------------------------------------------

    def _find_pandoc(self) -> str | None:
        try:
            import pypandoc

            return pypandoc.get_pandoc_path()
        except (ImportError, OSError) as exc:
            log(f"pandoc not available: {exc}")
            return None

    def generated(self, name: str, n: int) -> Path:
        """bench/work/NAME holding `n` generated seeds, reused when made by the same generator."""
        sources = ("corpus.py", "prose.py", "shapes.py", "profile.json")
        stamp_src = b"".join((HERE / f).read_bytes() for f in sources)
        stamp = f"{n}:{self.args.seed}:{hashlib.sha256(stamp_src).hexdigest()[:16]}"
        folder = WORK / name
        stamp_file = WORK / f"{name}.stamp"
        if not (stamp_file.exists() and stamp_file.read_text() == stamp):
            shutil.rmtree(folder, ignore_errors=True)
            t0 = time.perf_counter()
            corpus.write_corpus(n, folder, self.args.seed)
            stamp_file.write_text(stamp)
            log(f"generated {n:,} seeds in {time.perf_counter() - t0:.1f} s")
        return folder

    def make_corpus(self) -> None:
        """Generate the corpus, or reuse bench/work/corpus when made by the same generator and size."""
        folder = self.generated("corpus", self.sizes.corpus)
        self.seeds = sorted(folder.rglob("*.md"))
        words = sorted(len(p.read_text(encoding="utf-8").split("```", 2)[-1].split())
                       for p in self.seeds)
        self.raw["corpus"] = {"n": len(self.seeds), "areas": len({p.parent.name for p in self.seeds}),
                              "median_words": words[len(words) // 2],
                              "p90_words": words[int(len(words) * 0.9)]}

    def subset(self, name: str, k: int) -> tuple[Path, list[Path]]:
        picked = stratified(self.seeds, k)
        return link_set(picked, WORK / "corpus", WORK / "sets" / name), picked

    def cli(self, fmt: str, src: Path, out: Path, *extra: str, jobs: int | None = None,
            force: bool = True) -> Timed:
        cmd = [str(BIN / "convert"), fmt, str(src), "-o", str(out), "-j", str(jobs or self.jobs), "-q",
               *extra]
        if force:
            cmd.append("--force")
        return run_timed(cmd)

    def run_pandoc(self, fmt: str, inputs: Path, names: list[str]) -> Timed:
        out = WORK / "out" / f"pandoc-{fmt}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        args = [a.format(out=out) for a in PANDOC_ARGS[fmt]]
        cmd = ["xargs", "-P", str(self.jobs), "-d", "\n", "-I{}", str(self.pandoc), "{}", "--quiet",
               *args]
        env = dict(os.environ, PATH=f"{BIN}:{os.environ.get('PATH', '')}")  # pandoc finds `weasyprint`
        timed = run_timed(cmd, cwd=inputs, env=env, stdin_text="\n".join(names) + "\n")
        made = count_files(out, f".{fmt}")
        if made != len(names):
            raise RuntimeError(f"pandoc made {made} of {len(names)} {fmt} files: {timed.stderr[-300:]}")
        return timed

    # --- the rows -----------------------------------------------------------------------------

    def startup(self) -> None:
        """A person's everyday run: one seed to PDF (a first run: --force), and the commands that
        convert nothing. Median of `repeats` runs, alternated, with the range."""
        seeds, out = ROOT / "seeds", WORK / "out" / "startup"
        commands = {
            "pdf": [str(BIN / "convert"), "pdf", str(seeds), "-o", str(out), "--force", "-q"],
            "help": [str(BIN / "convert"), "--help"],
            "formats": [str(BIN / "convert"), "formats"],
        }
        times: dict[str, list[float]] = {k: [] for k in commands}
        log(f"start-up: convert pdf seeds/, --help, formats, {self.sizes.repeats} times each; {load()}")
        busy = load()
        for _ in range(self.sizes.repeats):
            for key, cmd in commands.items():
                t = run_timed(cmd)
                if t.returncode:
                    raise RuntimeError(f"{' '.join(cmd[1:])}: exit {t.returncode}: {t.stderr.strip()[-300:]}")
                times[key].append(t.seconds)
        self.raw["startup"] = times
        pdf, help_, formats = (spread(times[k]) for k in commands)
        self.rows.append(Row("`convert pdf seeds/` (the one seed, a first run), wall", pdf[0], "–", "–",
                             "≤ 1.0 s", verdict(pdf[1] <= 1.0),
                             f"median of {self.sizes.repeats}, {pdf[2]}; {busy}"))
        self.rows.append(Row("`convert --help`, `convert formats`, wall", f"{help_[0]}, {formats[0]}",
                             "–", "–", "≤ 0.3 s", verdict(max(help_[1], formats[1]) <= 0.3),
                             f"median of {self.sizes.repeats}; {help_[2]}, {formats[2]}"))

    def weasyprint_import(self) -> None:
        """WeasyPrint's import, alone and as the PDF exporter does it (convert.native): time and
        the processes started (strace -f counts every exec, grandchildren included)."""
        python = str(BIN / "python")
        cells = []
        counts = {}
        for label, code in (("alone", "import weasyprint"),
                            ("convert's", "from convert.native import weasyprint; weasyprint()")):
            seconds = sorted(run_timed([python, "-c", code]).seconds for _ in range(3))[1]
            counts[label] = started = processes([python, "-c", code])
            cells.append(f"{label}: {seconds:.2f} s, {started} processes started")
        self.raw["weasyprint_import"] = cells
        self.rows.append(Row("`import weasyprint`: alone / as the PDF exporter imports it", "; ".join(cells),
                             "–", "–", "no process started", verdict(counts["convert's"] == 0),
                             "median of 3; processes counted by strace -f (each exec)"))

    def archive(self) -> None:
        """A whole archive to bulletins, then the no-op rerun over it (median of 3, with range)."""
        n = self.sizes.archive
        src = self.generated("archive", n)
        out = WORK / "out" / "archive"
        shutil.rmtree(out, ignore_errors=True)
        log(f"convert txt: {n:,} seeds, -j {self.jobs}; {load()}")
        busy = load()
        first = self.cli("txt", src, out)
        made = count_files(out, ".txt")
        if first.returncode or made != n:
            raise RuntimeError(f"exit {first.returncode}, {made}/{n} outputs: {first.stderr.strip()[-300:]}")
        log(f"convert txt: no-op rerun over {n:,} seeds, 3 times")
        again = [self.cli("txt", src, out, force=False) for _ in range(3)]
        if any(t.returncode for t in again):
            raise RuntimeError(f"no-op rerun failed: {again[-1].stderr.strip()[-300:]}")
        noop = spread([t.seconds for t in again])
        self.raw["archive"] = {"n": n, "first": dataclasses.asdict(first), "noop": [t.seconds for t in again]}
        full = n >= 50_000
        self.rows.append(Row(f"{n:,} generated articles → bulletins, -j {self.jobs}",
                             f"{first.seconds:.1f} s ({fmt_rate(n / first.seconds)} docs/s)", "–", "–",
                             "≤ 60 s (50,000)", verdict(first.seconds <= 60) if full else "– (smaller)",
                             f"CPU {first.cpu:.0f} s (user + system, all processes); peak "
                             f"{fmt_mb(first.rss_mb)}; {busy} at the start"))
        self.rows.append(Row(f"No-op rerun over those {n:,}", noop[0], f"first run {first.seconds:.1f} s",
                             f"{noop[1] / first.seconds:.1%}", "≤ 2 s (50,000)",
                             verdict(noop[1] <= 2) if full else "– (smaller)", f"median of 3, {noop[2]}"))

    def reader(self) -> None:
        listing = WORK / "reader.list"
        listing.write_text("\n".join(map(str, self.seeds)) + "\n")
        proc = subprocess.run([sys.executable, str(HERE / "inproc.py"), "reader", str(listing)],
                              capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed")
        r = json.loads(proc.stdout)
        self.raw["reader"] = r
        n = r["n"]
        failed = len(r["failed"])
        note = f"{n:,} seeds, best of 3; {failed} failed, {r['dated'] / n:.0%} dated"
        if failed:
            log(f"reader failed on {failed} generated seeds, e.g. {r['failed'][:3]}")
        ok = r["rate"] >= 1000 and not failed
        self.rows.append(Row("Seed reader alone, 1 core", f"{fmt_rate(r['rate'])} articles/s", "–", "–",
                             "≥ 1,000/s, every seed reads", verdict(ok), note))

    def format_row(self, fmt: str) -> None:
        n = getattr(self.sizes, fmt)
        k = getattr(self.sizes, f"pandoc_{fmt}")
        src, picked = self.subset(fmt, n)
        out = WORK / "out" / f"convert-{fmt}"
        shutil.rmtree(out, ignore_errors=True)
        log(f"convert {fmt}: {len(picked)} seeds, -j {self.jobs}")
        ours = self.cli(fmt, src, out)
        made = count_files(out, f".{fmt}")
        if ours.returncode or made != len(picked):
            raise RuntimeError(f"convert {fmt} exit {ours.returncode}, {made}/{len(picked)} outputs: "
                               f"{ours.stderr.strip()[-300:]}")
        self.timings[fmt] = ours
        self.rss[f"convert {fmt}"] = ours.rss_mb
        rate = len(picked) / ours.seconds
        cell = f"{fmt_rate(rate)} docs/s ({len(picked):,} in {ours.seconds:.1f} s)"
        if not self.pandoc or self.args.skip_pandoc:
            self.rows.append(Row(f"{LABELS[fmt]}, -j {self.jobs}", cell, "skipped", "–",
                                 f"≥ {TARGETS[fmt]:g}× pandoc", "–"))
            return
        peer_set = stratified(picked, k)
        names = pandoc_inputs(peer_set, WORK / "corpus", WORK / "pandoc-in" / fmt)
        log(f"pandoc {fmt}: {len(peer_set)} files, xargs -P {self.jobs}")
        peer = self.run_pandoc(fmt, WORK / "pandoc-in" / fmt, [names[p] for p in peer_set])
        self.rss[f"pandoc {fmt}"] = peer.rss_mb
        peer_rate = len(peer_set) / peer.seconds
        ratio = rate / peer_rate
        self.raw[fmt] = {"convert": dataclasses.asdict(ours) | {"n": len(picked)},
                         "pandoc": dataclasses.asdict(peer) | {"n": len(peer_set)}}
        self.rows.append(Row(
            f"{LABELS[fmt]}, -j {self.jobs}", cell,
            f"{fmt_rate(peer_rate)} docs/s ({len(peer_set):,} in {peer.seconds:.1f} s)",
            f"{ratio:.1f}×", f"≥ {TARGETS[fmt]:g}× pandoc", verdict(ratio >= TARGETS[fmt])))

    def noop(self) -> None:
        first = self.timings.get("pdf")
        if first is None:
            raise RuntimeError("needs the PDF row's first run")
        src, out = WORK / "sets" / "pdf", WORK / "out" / "convert-pdf"
        n = count_files(src, ".md")
        log(f"convert pdf no-op rerun over {n} seeds")
        again = self.cli("pdf", src, out, force=False)
        if again.returncode:
            raise RuntimeError(f"exit {again.returncode}: {again.stderr.strip()[-300:]}")
        share = again.seconds / first.seconds
        self.raw["noop"] = dataclasses.asdict(again)
        self.rows.append(Row(f"No-op rerun, PDF, {n:,} seeds", f"{again.seconds:.2f} s",
                             f"first run {first.seconds:.1f} s", f"{share:.1%}", "≤ 3 % of the first run",
                             verdict(share <= 0.03)))

    def scaling(self) -> None:
        src, picked = self.subset("scaling", self.sizes.scaling)
        times = {}
        for jobs in (1, self.jobs):
            out = WORK / "out" / f"scaling-j{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            log(f"convert pdf -j {jobs}: {len(picked)} seeds")
            t = self.cli("pdf", src, out, jobs=jobs)
            if t.returncode:
                raise RuntimeError(f"-j {jobs}: exit {t.returncode}: {t.stderr.strip()[-300:]}")
            times[jobs] = t.seconds
        speedup = times[1] / times[self.jobs]
        n = len(picked)
        self.raw["scaling"] = times
        self.rows.append(Row(f"PDF, -j {self.jobs} vs -j 1 ({n} seeds)",
                             f"{fmt_rate(n / times[self.jobs])} vs {fmt_rate(n / times[1])} docs/s", "–",
                             f"{speedup:.2f}×", f"≥ 1.6× on {self.jobs} cores", verdict(speedup >= 1.6)))

    def overhead(self) -> None:
        picked = stratified(self.seeds, self.sizes.overhead)
        listing = WORK / "overhead.list"
        listing.write_text("\n".join(map(str, picked)) + "\n")
        log(f"PDF exporter vs bare WeasyPrint: {len(picked)} articles in one process")
        proc = subprocess.run([sys.executable, str(HERE / "inproc.py"), "overhead", str(listing)],
                              capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed")
        r = json.loads(proc.stdout)
        self.raw["overhead"] = r
        bare, ours = sum(r["bare"]) / r["n"], sum(r["convert"]) / r["n"]
        ratio = ours / bare
        self.rows.append(Row(f"PDF per article vs bare WeasyPrint ({r['n']} articles, 1 process)",
                             f"{ours * 1000:.0f} ms/article", f"bare WeasyPrint {bare * 1000:.0f} ms",
                             f"{ratio:.2f}×", "≤ 1.25×", verdict(ratio <= 1.25),
                             f"same HTML: {r['source']}"))

    def bundle(self) -> None:
        src, picked = self.subset("bundle", self.sizes.bundle)
        pack = WORK / "out" / "pack.pdf"
        pack.unlink(missing_ok=True)
        log(f"briefing pack of {len(picked)} articles")
        t = self.cli("pdf", src, WORK / "out" / "bundle", "--bundle", str(pack))
        if t.returncode or not pack.exists():
            raise RuntimeError(f"exit {t.returncode}: {t.stderr.strip()[-300:]}")
        pages = "?"
        try:
            from pypdf import PdfReader

            pages = f"{len(PdfReader(pack).pages):,}"
        except Exception as exc:  # pypdf missing or unhappy: the timing still stands
            log(f"could not count pages: {exc}")
        self.rss["pack"] = t.rss_mb
        self.raw["bundle"] = dataclasses.asdict(t) | {"n": len(picked), "pages": pages}
        full = len(picked) >= 500
        ok = t.seconds < 45 and t.rss_mb < 1536
        self.rows.append(Row(f"Briefing pack, {len(picked)} articles (`--bundle`)",
                             f"{t.seconds:.1f} s, peak {fmt_mb(t.rss_mb)}", "–", "–",
                             "< 45 s, < 1.5 GB (500 articles)", verdict(ok) if full else "– (smaller pack)",
                             f"{pages} pages"))

    def packs(self) -> None:
        """Packs laid out in parts (issue 15, 4): -j 1 vs -j N, peak RSS per process, CPU time,
        and the rebuild after one article changed (its part and the front matter only)."""
        for n in self.sizes.packs:
            n = min(n, len(self.seeds))
            src, picked = self.subset(f"pack{n}", n)
            runs: dict[int, Timed] = {}
            for jobs in (1, self.jobs):
                out = WORK / "out" / f"pack{n}-j{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                log(f"pack of {n} articles, -j {jobs} (load {load()})")
                runs[jobs] = t = self.cli("pdf", src, out, "--bundle", str(out / "pack.pdf"), jobs=jobs)
                if t.returncode:
                    raise RuntimeError(f"-j {jobs}: exit {t.returncode}: {t.stderr.strip()[-300:]}")
            # one article changed: a file of its own in place of its hard link, a sentence longer
            # (its page count holds), then many (its page count, and every page number after it, move)
            one = src / picked[len(picked) // 2].relative_to(WORK / "corpus")
            original = one.read_bytes()
            rebuilt: dict[str, Timed] = {}
            longer = " ".join(["An officer said more enquiries are under way across the county."] * 120)
            try:
                for what, extra in (("a sentence", "One more sentence, for the rebuild."), ("pages", longer)):
                    one.unlink()
                    one.write_bytes(original + f"\n{extra}\n".encode())
                    out = WORK / "out" / f"pack{n}-j{self.jobs}"
                    log(f"pack of {n} articles, one changed by {what}, -j {self.jobs}")
                    rebuilt[what] = again = self.cli("pdf", src, out, "--bundle", str(out / "pack.pdf"),
                                                     force=False)
                    if again.returncode:
                        raise RuntimeError(f"rebuild: exit {again.returncode}: {again.stderr.strip()[-300:]}")
            finally:
                one.unlink()
                os.link(WORK / "corpus" / one.relative_to(src), one)
            out = WORK / "out" / f"pack{n}-docx"
            shutil.rmtree(out, ignore_errors=True)
            log(f"Word pack of {n} articles, -j {self.jobs}")
            word = self.cli("docx", src, out, "--bundle", str(out / "pack.docx"))
            if word.returncode:
                raise RuntimeError(f"Word pack: exit {word.returncode}: {word.stderr.strip()[-300:]}")
            one_j, many = runs[1], runs[self.jobs]
            speedup = one_j.seconds / many.seconds
            self.raw[f"pack{n}"] = {str(j): dataclasses.asdict(t) for j, t in runs.items()} | {
                "rebuild": {k: dataclasses.asdict(t) for k, t in rebuilt.items()},
                "word": dataclasses.asdict(word), "load_after": load()}
            self.rss[f"pack {n} -j1"] = one_j.rss_mb
            self.rss[f"pack {n} -j{self.jobs}"] = many.rss_mb
            self.rows.append(Row(
                f"PDF pack, {n} articles, -j {self.jobs} vs -j 1",
                f"{many.seconds:.1f} s vs {one_j.seconds:.1f} s (CPU {many.cpu:.0f} s vs {one_j.cpu:.0f} s)",
                "–", f"{speedup:.2f}×", "≥ 1.7× (2,000 articles)",
                verdict(speedup >= 1.7) if n >= 2000 else "–",
                f"peak RSS per process {fmt_mb(many.rss_mb)} (-j {self.jobs}), "
                f"{fmt_mb(one_j.rss_mb)} (-j 1)"))
            for what, again in rebuilt.items():
                share = again.seconds / one_j.seconds
                self.rows.append(Row(
                    f"PDF pack, {n} articles, one article longer by {what}, -j {self.jobs}",
                    f"{again.seconds:.1f} s (CPU {again.cpu:.0f} s)", "–", f"{share:.0%} of -j 1",
                    "≤ 15 % of the full time (2,000 articles)", verdict(share <= 0.15) if n >= 2000 else "–",
                    "its part and stamps; the contents slices whose numbers moved, and every part's "
                    "stamps, when its page count changes"))
            self.rows.append(Row(
                f"Word pack, {n} articles, one process", f"{word.seconds:.1f} s (CPU {word.cpu:.0f} s)",
                "–", "–", "measure first (issue 15)", "–", f"peak RSS {fmt_mb(word.rss_mb)}"))
        small, big = self.sizes.packs[0], self.sizes.packs[-1]
        low, high = self.rss.get(f"pack {small} -j{self.jobs}"), self.rss.get(f"pack {big} -j{self.jobs}")
        if low and high and small != big:
            self.rows.append(Row(
                f"PDF pack, peak RSS per process, {big:,} vs {small:,} articles",
                f"{fmt_mb(high)} vs {fmt_mb(low)}", "–", f"{high / low:.2f}×", "< 600 MB, the same ± 15 %",
                verdict(high < 600 and abs(high / low - 1) <= 0.15), "the largest process of each run"))

    def shared(self) -> None:
        folder = Path(self.args.shared)
        if not folder.is_dir():
            self.rows.append(Row("Shared sample → pdf,docx,txt", "skipped", "–", "–", "figure for the README",
                                 "–", f"{folder} is missing"))
            return
        n = sum(1 for p in folder.rglob("*") if p.suffix in (".md", ".txt"))
        out = WORK / "out" / "shared"
        shutil.rmtree(out, ignore_errors=True)
        log(f"shared sample: {n} seeds → pdf,docx,txt")
        t = self.cli("pdf,docx,txt", folder, out)
        made = sum(count_files(out, f".{e}") for e in ("pdf", "docx", "txt"))
        failed = [ln for ln in t.stderr.splitlines() if ln.strip()]
        self.rss["shared"] = t.rss_mb
        self.raw["shared"] = dataclasses.asdict(t) | {"n": n, "outputs": made}
        self.rows.append(Row(f"Shared sample, {n} real seeds → pdf,docx,txt, -j {self.jobs}",
                             f"{t.seconds:.1f} s ({fmt_rate(n / t.seconds)} seeds/s)", "–", "–",
                             "figure for the README", verdict(t.returncode == 0 and made == 3 * n),
                             f"{made:,} outputs, exit {t.returncode}" + (f", {len(failed)} error lines"
                                                                          if failed else "")))

    def memory(self) -> None:
        ours = {k: v for k, v in self.rss.items() if k.startswith("convert")}
        if not ours:
            return
        cell = " · ".join(f"{k.split()[1]} {fmt_mb(v)}" for k, v in ours.items())
        peers = {k: v for k, v in self.rss.items() if k.startswith("pandoc")}
        peer = " · ".join(f"{k.split()[1]} {fmt_mb(v)}" for k, v in peers.items()) or "–"
        self.rows.append(Row("Peak RSS per process (largest in the tree)", cell, peer, "–",
                             "< 250 MB per worker", verdict(max(ours.values()) < 250)))

    # --- driver -------------------------------------------------------------------------------

    def step(self, name: str, label: str, fn: Callable[[], None]) -> None:
        if self.args.only and name not in self.args.only:
            return
        try:
            fn()
        except Exception as exc:  # one broken piece must not hide the other rows
            log(f"{name}: {type(exc).__name__}: {exc}")
            self.rows.append(Row(label, "error", "–", "–", "–", "–", f"{type(exc).__name__}: {exc}"[:160]))

    def run(self) -> str:
        started = time.perf_counter()
        WORK.mkdir(exist_ok=True)
        info = machine(self.pandoc)
        for k, v in info.items():
            log(f"{k}: {v}")
        self.make_corpus()
        self.step("startup", "Start-up", self.startup)
        self.step("imports", "WeasyPrint's import", self.weasyprint_import)
        self.step("reader", "Seed reader alone, 1 core", self.reader)
        for fmt in ("txt", "docx", "pdf"):
            self.step(fmt, LABELS[fmt], lambda fmt=fmt: self.format_row(fmt))
        self.step("noop", "No-op rerun, PDF", self.noop)
        self.step("scaling", "PDF, -j N vs -j 1", self.scaling)
        self.step("overhead", "PDF per article vs bare WeasyPrint", self.overhead)
        self.step("bundle", "Briefing pack", self.bundle)
        self.step("packs", "PDF packs in parts", self.packs)
        self.step("archive", "Archive to bulletins", self.archive)
        self.memory()
        if not self.args.quick:
            self.step("shared", "Shared sample → pdf,docx,txt", self.shared)
        elapsed = time.perf_counter() - started
        self.raw["elapsed"] = elapsed
        (WORK / "results.json").write_text(json.dumps(self.raw, indent=1, default=str))
        return render(self.rows, info, self.raw["corpus"], elapsed, quick=self.args.quick,
                      when=datetime.now().strftime("%Y-%m-%d %H:%M"), jobs=self.jobs)


def main() -> None:
    ap = argparse.ArgumentParser(description="convert vs pandoc on a synthetic corpus (bench/README.md).")
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of about a minute")
    ap.add_argument("--n", type=int, help="corpus size (txt uses all, docx and pdf half)")
    ap.add_argument("--seed", type=int, default=1, help="corpus generator seed")
    ap.add_argument("-j", "--jobs", type=int, default=len(os.sched_getaffinity(0)), help="cores to use")
    ap.add_argument("--only", type=lambda s: set(s.split(",")),
                    help="comma list of: startup,imports,reader,txt,docx,pdf,noop,scaling,overhead,bundle,"
                         "packs,archive,shared")
    ap.add_argument("--skip-pandoc", action="store_true", help="time convert only")
    ap.add_argument("--shared", default=str(SHARED), help="the real sample folder")
    ap.add_argument("--no-write", action="store_true", help="do not overwrite bench/results.md")
    args = ap.parse_args()
    table = Bench(args).run()
    print(table)
    if not args.no_write and not args.quick and not args.only:
        (HERE / "results.md").write_text(table, encoding="utf-8")
        log(f"written {HERE / 'results.md'}")


if __name__ == "__main__":
    main()
