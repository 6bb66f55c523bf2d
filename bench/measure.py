"""Helpers for `run.py`: timing a process tree with its peak RSS, the machine, file sets, pandoc prep."""

from __future__ import annotations

import ctypes.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


@dataclass(slots=True)
class Timed:
    seconds: float
    rss_mb: float  # peak RSS of the largest single process in the tree
    returncode: int
    stderr: str
    cpu: float = 0.0  # user + system seconds of the whole tree: what the run costs on any machine


def run_timed(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
              stdin_text: str | None = None) -> Timed:
    """Run `cmd`, wall-clock it, and read the peak RSS of its process tree from wait4().

    wait4's rusage covers the child and every descendant it waited for (pool workers, pandoc
    processes under xargs); ru_maxrss is the largest single process, i.e. peak RSS per process.
    """
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err,
                                stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL)
        if stdin_text is not None and proc.stdin:
            proc.stdin.write(stdin_text.encode())
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Timed(seconds, usage.ru_maxrss / 1024, proc.returncode, text, usage.ru_utime + usage.ru_stime)


def spread(seconds: list[float]) -> tuple[str, float, str]:
    """The median of some timings as a cell ("0.74 s"), as a number, and their range."""
    ordered = sorted(seconds)
    median = ordered[len(ordered) // 2]
    return f"{median:.2f} s", median, f"range {ordered[0]:.2f}–{ordered[-1]:.2f} s"


def load() -> str:
    """The machine's load, to read wall-clock rows by: other work on a shared machine slows them."""
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f})"


def processes(cmd: list[str]) -> int | str:
    """How many processes `cmd` starts, its descendants included (each successful exec), by
    strace -f; "?" when strace is missing."""
    if not shutil.which("strace"):
        return "?"
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as log:
        subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", log.name, *cmd],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        done = [line for line in log.read().splitlines() if "execve" in line and line.endswith("= 0")]
    return max(len(done) - 1, 0)  # not the command itself


def _pkg(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine(pandoc: str | None) -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists() and (m := re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)):
        cpu = m[1].strip()
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists() and (m := re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.M)):
        ram = f"{int(m[1]) / 1024**2:.1f} GiB"
    osname = platform.platform()
    release = Path("/etc/os-release")
    if release.exists() and (m := re.search(r'^PRETTY_NAME="?([^"\n]+)', release.read_text(), re.M)):
        osname = m[1]
    pandoc_version = "not found"
    if pandoc:
        out = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        pandoc_version = out.splitlines()[0] if out else "unknown"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "RAM": ram,
        "OS": osname,
        "Python": sys.version.split()[0],
        "pandoc": pandoc_version + " (pypandoc-binary)",
        "WeasyPrint": _pkg("weasyprint"),
        "python-docx": _pkg("python-docx"),
        "libharfbuzz-subset": "yes" if ctypes.util.find_library("harfbuzz-subset") else "NO (slow fallback)",
        "convert": f"{_pkg('convert')} (commit {commit or '?'})",
    }


def stratified(paths: list[Path], k: int) -> list[Path]:
    """`k` files spread evenly over the size distribution, so a small set averages like the whole."""
    if k >= len(paths):
        return list(paths)
    ordered = sorted(paths, key=lambda p: (p.stat().st_size, p.name))
    picked = [ordered[int((i + 0.5) * len(ordered) / k)] for i in range(k)]
    return sorted(picked, key=lambda p: (p.parent.name, p.name))


def link_set(paths: list[Path], root: Path, dest: Path) -> Path:
    """A folder holding exactly `paths` (hard links, same relative layout), for a CLI run over them."""
    if dest.exists():
        shutil.rmtree(dest)
    for p in paths:
        target = dest / p.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(p, target)
        except OSError:
            shutil.copy2(p, target)
    return dest


def front_matter(seed: str) -> str:
    """A seed's ```yaml fence turned into the `---` YAML front matter pandoc reads."""
    m = re.match(r"\A\ufeff?```yaml\r?\n(.*?)\r?\n```[ \t]*\r?\n", seed, re.S)
    if not m:
        return seed
    return f"---\n{m[1]}\n---\n" + seed[m.end():]


def pandoc_inputs(paths: list[Path], root: Path, dest: Path) -> dict[Path, str]:
    """Write each seed as flat `<area>__<name>.md` with front matter; returns path → flat name."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    names = {}
    for p in paths:
        rel = p.relative_to(root)
        flat = "__".join(re.sub(r"[^\w.-]+", "_", part) for part in rel.parts)
        (dest / flat).write_text(front_matter(p.read_text(encoding="utf-8")), encoding="utf-8")
        names[p] = flat
    return names


def count_files(folder: Path, suffix: str) -> int:
    return sum(1 for _ in folder.rglob(f"*{suffix}")) if folder.exists() else 0
