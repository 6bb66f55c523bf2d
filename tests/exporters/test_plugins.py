"""Third-party exporters: the example plugin installed with pip into a temporary environment and
run through the command line; broken plugins (every way a plugin can break) cost only themselves.

The temporary environment is a fresh venv whose only link to ours is a `.pth` line adding our
site-packages (so it sees `convert` and its dependencies); the plugins are copied from
tests/plugins/ and installed into it with its own pip, offline (`--no-index --no-build-isolation`:
hatchling comes with the test extras).
"""

from __future__ import annotations

import csv
import functools
import io
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from seedkit import write_seed
from testpaths import TESTS

import convert.exporters as exporters
from convert.cli import main
from convert.exporters import plugins

PLUGINS = TESTS / "plugins"
BUILTINS = ["docx", "html", "json", "md", "pdf", "txt"]
BROKEN_LINE = ("format 'broken' from package convert-broken cannot be loaded: "
               "ModuleNotFoundError: No module named 'convert_broken_missing_dependency'")

Run = Callable[..., subprocess.CompletedProcess[str]]


# --- the example plugin, installed with pip ---------------------------------------------------


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A new venv with convert-csv and convert-broken pip-installed; runs `python -m convert`."""
    root = tmp_path_factory.mktemp("plugin-env")
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    python = str(root / "venv" / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = sysconfig.get_path("purelib")
    # addsitedir, not a bare path: it also runs our .pth files (the editable install of convert)
    Path(site, "_convert_dev.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    # copies: building may write into the source folder, and tests/ stays as checked in
    sources = [shutil.copytree(PLUGINS / n, root / "src" / n) for n in ("convert-csv", "convert-broken")]
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
         "--no-cache-dir", "--disable-pip-version-check", *map(str, sources)],
        check=True, cwd=root,
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([python, "-m", "convert", *args], capture_output=True, text=True, cwd=root)

    return run


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seeds")
    write_seed(root / "Kent", "old.md", headline="Appeal after burglary", area="Kent",
               published="2020-01-05T09:00+00:00")
    write_seed(root / "Kent", "new.md", headline="=HYPERLINK(\"http://evil\") arrests", area="Kent",
               published="2020-02-01T09:00+00:00")
    write_seed(root / "Lancashire", "one.md", headline="Officers praised", area="Lancashire",
               published="2020-01-20T09:00+00:00")
    return root


def rows(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_formats_lists_the_plugin_and_names_the_broken_package(env: Run) -> None:
    done = env("formats")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted([*BUILTINS, "csv"])
    assert "csv   .csv   CSV table, one row per article" in done.stdout
    assert done.stderr.splitlines() == [f"warning: {BROKEN_LINE}"]


def test_plugin_converts_each_seed_and_reruns_incrementally(env: Run, seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = env("csv", str(seeds), "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert "converted 3, up to date 0, failed 0" in first.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.csv")) == [
        "Kent/new.csv", "Kent/old.csv", "Lancashire/one.csv"]
    header, row = rows(out / "Kent" / "new.csv")
    assert header == ["area", "published", "headline", "summary", "speakers", "words", "url"]
    assert row[:3] == ["Kent", "2020-02-01", "'=HYPERLINK(\"http://evil\") arrests"]  # text, not a formula
    assert int(row[5]) > 10 and row[6].startswith("https://")
    again = env("csv", str(seeds), "-o", str(out))
    assert "converted 0, up to date 3, failed 0" in again.stderr
    # the plugin beside built-ins, sharing one manifest: only the new format is built
    both = env("csv,txt", str(seeds), "-o", str(out))
    assert both.returncode == 0 and "converted 3, up to date 0" in both.stderr
    assert (out / "Lancashire" / "one.txt").is_file()
    assert "converted 0, up to date 3" in env("csv,txt", str(seeds), "-o", str(out)).stderr
    # its own options only: --width is the bulletins', --ascii is one it declares too
    width = env("csv,txt", str(seeds), "-o", str(out), "--width", "60", "-v")
    assert sorted(Path(line.split()[-1]).suffix for line in width.stderr.splitlines()
                  if line.startswith("wrote ")) == [".txt"] * 3
    assert "converted 3, up to date 0" in env("csv", str(seeds), "-o", str(out), "--ascii").stderr


def test_plugin_bundles_with_selection(env: Run, seeds: Path, tmp_path: Path) -> None:
    pack = tmp_path / "kent.csv"
    done = env("csv", str(seeds), "--area", "kent", "--bundle", str(pack))
    assert done.returncode == 0, done.stderr
    assert [(r[0], r[1]) for r in rows(pack)[1:]] == [("Kent", "2020-02-01"), ("Kent", "2020-01-05")]
    again = env("csv", str(seeds), "--area", "kent", "--bundle", str(pack))
    assert again.stderr.startswith("converted 0, up to date 2, failed 0, excluded 1")
    every = env("csv,md", str(seeds), "--since", "2020-01-10", "--bundle", str(tmp_path / "pack"))
    assert every.returncode == 0, every.stderr
    assert [(r[0], r[1]) for r in rows(tmp_path / "pack.csv")[1:]] == [
        ("Kent", "2020-02-01"), ("Lancashire", "2020-01-20")]  # areas alphabetical, like every bundle
    assert (tmp_path / "pack.md").is_file()


def test_a_broken_plugin_costs_only_itself(env: Run, seeds: Path, tmp_path: Path) -> None:
    broken = env("broken", str(seeds), "-o", str(tmp_path / "b"))
    assert broken.returncode == 1
    assert broken.stderr.splitlines() == [f"Error: {BROKEN_LINE}"]
    assert not (tmp_path / "b").exists()
    txt = env("txt", str(seeds), "-o", str(tmp_path / "t"))  # never even imports the broken plugin
    assert txt.returncode == 0 and txt.stderr.startswith("converted 3, up to date 0, failed 0")
    every = env("all", str(seeds / "Lancashire"), "-o", str(tmp_path / "all"), "-j", "1")
    assert every.returncode == 0, every.stderr
    assert every.stderr.splitlines()[0] == f"warning: {BROKEN_LINE}"
    assert sorted(p.suffix for p in (tmp_path / "all").iterdir() if not p.name.startswith(".")) == sorted(
        f".{name}" for name in [*BUILTINS, "csv"])


# --- every other way a plugin can break, in this process ---------------------------------------


@dataclass
class FakeEntryPoint:
    """Stands in for an installed package's entry point (`load` returns or raises `target`)."""

    name: str
    target: Any
    package: str = "convert-fake"
    version: str = "1.0"
    value: str = field(init=False)
    dist: SimpleNamespace = field(init=False)

    def __post_init__(self) -> None:
        self.value = f"{self.package.replace('-', '_')}:Thing"
        self.dist = SimpleNamespace(name=self.package, version=self.version)

    def load(self) -> Any:
        if isinstance(self.target, BaseException):
            raise self.target
        return self.target


@pytest.fixture
def install(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Install fake plugins beside the real entry points, with fresh registry caches."""
    real = plugins.candidates()

    def add(*eps: FakeEntryPoint) -> None:
        found = {name: list(group) for name, group in real.items()}
        for ep in eps:
            found.setdefault(ep.name, []).append(ep)  # after the built-in of the same name
        fake = functools.cache(lambda: {n: tuple(g) for n, g in sorted(found.items())})
        monkeypatch.setattr(plugins, "candidates", fake)
        exporters.REGISTRY.reload()  # what a process does after a package is installed

    yield add
    exporters.REGISTRY.reload()


class Upper:
    """Headlines in capitals."""

    extension = "up"

    def __init__(self, options: object) -> None:
        self.options = options

    def export(self, article: Any) -> bytes:
        if "boom" in article.meta.headline:
            raise RuntimeError("cannot shout this")
        if "text" in article.meta.headline:
            return article.meta.headline  # a str: a common slip
        return article.meta.headline.upper().encode()

    def export_bundle(self, articles: Any) -> bytes:
        return b"\n".join(self.export(a) for a in articles)


class NoBundle:
    extension = "nb"

    def export(self, article: object) -> bytes:
        return b""


class BadExtension(Upper):
    extension = "../../etc/x"


def shout(article: object) -> bytes:
    return b""


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("target", "reason"), [
    (ImportError("no module named lxml_extras"), "ImportError: no module named lxml_extras"),
    (SystemExit(3), "SystemExit: 3"),
    (NoBundle, "convert_fake:Thing does not follow the Exporter protocol: it has no export_bundle() method"),
    (shout, "convert_fake:Thing does not follow the Exporter protocol: it is not a class"),
    (BadExtension, "`extension` must be a file extension such as 'csv' (no dot), not '../../etc/x'"),
])
def test_a_plugin_that_cannot_load_is_one_problem_naming_its_package(
    install: Callable[..., None], target: Any, reason: str, tmp_path: Path
) -> None:
    install(FakeEntryPoint("fake", target))
    assert exporters.get("txt").extension == "txt"  # the built-ins load regardless
    assert "fake" not in exporters.registry() and "txt" in exporters.registry()
    (problem,) = exporters.problems()
    assert (problem.name, problem.package) == ("fake", "convert-fake")
    assert reason in problem.error
    seed = write_seed(tmp_path, "a.md")
    code, err = cli("fake", str(seed), "-o", str(tmp_path / "out"))
    assert code == 1
    assert str(problem) == f"format 'fake' from package convert-fake cannot be loaded: {problem.error}"
    assert err.splitlines() == [f"Error: {problem}"]
    assert cli("txt", str(seed), "-o", str(tmp_path / "out"))[0] == 0


def test_a_plugin_cannot_take_a_builtin_name(install: Callable[..., None]) -> None:
    install(FakeEntryPoint("txt", Upper, package="convert-evil"))
    assert exporters.get("txt").__module__ == "convert.exporters.txt.exporter"
    assert [(p.name, p.package, p.error) for p in exporters.problems()] == [
        ("txt", "convert-evil", "the name is already taken by package convert")]


def test_errors_inside_a_plugin_name_its_package(install: Callable[..., None], tmp_path: Path) -> None:
    install(FakeEntryPoint("up", Upper, package="convert-upper"))
    write_seed(tmp_path / "in", "fine.md", headline="All fine")
    write_seed(tmp_path / "in", "boom.md", headline="It goes boom")
    write_seed(tmp_path / "in", "text.md", headline="Returns text")
    code, err = cli("up", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 1
    assert f"{tmp_path / 'in' / 'boom.md'}: up: RuntimeError: cannot shout this " \
           "(exporter from package convert-upper)" in err.splitlines()
    assert f"{tmp_path / 'in' / 'text.md'}: up: export returned str, not bytes " \
           "(exporter from package convert-upper)" in err.splitlines()
    assert (tmp_path / "out" / "fine.up").read_bytes() == b"ALL FINE"
    code, err = cli("up", str(tmp_path / "in"), "--bundle", str(tmp_path / "pack.up"))
    assert code == 1 and "up: RuntimeError: cannot shout this (exporter from package convert-upper)" in err


def test_a_plugin_gets_sensible_defaults_and_upgrading_it_rebuilds(
    install: Callable[..., None], tmp_path: Path
) -> None:
    install(FakeEntryPoint("up", Upper, package="convert-upper", version="1.0"))
    cls = exporters.get("up")
    assert (cls.name, cls.description, cls.style_files) == ("up", "Headlines in capitals.", ())
    assert cls.version == "0+convert-upper-1.0" and issubclass(cls, Upper)
    seed = write_seed(tmp_path, "a.md")
    args = ("up", str(seed), "-o", str(tmp_path / "out"))
    assert cli(*args)[1].startswith("converted 1, up to date 0")
    assert cli(*args)[1].startswith("converted 0, up to date 1")
    install(FakeEntryPoint("up", Upper, package="convert-upper", version="1.1"))
    assert cli(*args)[1].startswith("converted 1, up to date 0")
