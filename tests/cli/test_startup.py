"""Starting quickly: WeasyPrint loads without starting a process, and `--help`, `formats` and
usage errors import no exporter. Each check runs in a fresh interpreter, so what an earlier
test imported cannot hide an import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from seedkit import make_corpus

from convert import catalog, convert_paths, exporters
from convert.native import LoaderFolders, loader_folders

TESTS = Path(__file__).parent.parent
SEED = TESTS.parent / "seeds" / "000_8253f2a74fd231eb.txt"
# Modules the start of a command imports only if it converts something.
HEAVY = ("jinja2", "yaml", "docx", "weasyprint", "markdown_it", "dateutil", "convert.reader",
         "convert.engine", "convert.engine.batch", "convert.engine.work", "convert.engine.executors", "rich")


def python(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True,
                          text=True, timeout=300, check=False, env=env)


# --- WeasyPrint's libraries ------------------------------------------------------------------


def test_making_a_pdf_starts_no_process() -> None:
    """The PDF exporter's first use (WeasyPrint's import with Pango, HarfBuzz, fontconfig) and
    a whole rendering start no process: an audit hook sees every way Python can start one."""
    done = python(f"""
        import ctypes.util, json, sys
        started = []
        def hook(event, args):
            if event in ("subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.spawn",
                         "os.fork", "os.forkpty", "pty.spawn"):
                started.append([event, repr(args)[:200]])
        sys.addaudithook(hook)
        real = ctypes.util.find_library
        import convert
        article = convert.load({str(SEED)!r})
        pdf = convert.export(article, "pdf")
        print(json.dumps({{"started": started, "pdf": pdf[:5].decode(),
                          "restored": ctypes.util.find_library is real,
                          "weasyprint": "weasyprint.text.ffi" in sys.modules}}))
    """)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found == {"started": [], "pdf": "%PDF-", "restored": True, "weasyprint": True}


def test_the_real_lookup_is_used_when_ours_cannot_load_the_library(tmp_path: Path) -> None:
    """A `weasyprint` that loads only through the real `find_library` (as on a system whose
    loader is set up in a way we do not read): the first attempt fails, its half-imported
    modules are dropped and its installation help on stdout is not shown, then the import is
    done again with the real lookup."""
    fake = tmp_path / "weasyprint"
    fake.mkdir()
    (fake / "part.py").write_text("ATTEMPTS = []\n")
    (fake / "__init__.py").write_text(textwrap.dedent("""
        import builtins, ctypes.util
        from . import part
        part.ATTEMPTS.append(1)  # a fresh `part` each time: the failed attempt's is not reused
        builtins.attempts = getattr(builtins, "attempts", 0) + 1
        if getattr(ctypes.util.find_library, "__self__", None) is not None:  # our stand-in
            print("WeasyPrint could not import some external libraries")
            raise OSError("cannot load library 'libgobject-2.0-0'")
        LOADED_WITH = ctypes.util.find_library.__module__
        PART_IMPORTS = len(part.ATTEMPTS)
    """))
    done = python("""
        import builtins, ctypes.util, json, sys
        real = ctypes.util.find_library
        from convert.native import weasyprint
        module = weasyprint()
        print(json.dumps([module.LOADED_WITH, module.PART_IMPORTS, builtins.attempts,
                          ctypes.util.find_library is real]))
    """, env={"PYTHONPATH": f"{tmp_path}:{TESTS.parent}", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["ctypes.util", 1, 2, True]  # and no help text printed before it


def test_the_lookup_finds_sonames_as_ldconfig_does(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for name in ("libpango-1.0.so", "libpango-1.0.so.0", "libpango-1.0.so.0.5000.12", "libpangoft2-1.0.so.0",
                 "libpango-1.0.so.0.txt", "libfoo.so", "libbar.a"):
        (first / name).touch()
    (second / "libgobject-2.0.so.0").touch()
    folders = LoaderFolders([str(tmp_path / "missing"), str(first), str(second)])
    assert folders.find("pango-1.0") == "libpango-1.0.so.0"  # the soname, not the dev link or the file
    assert folders.find("pangoft2-1.0") == "libpangoft2-1.0.so.0"
    assert folders.find("foo") == "libfoo.so"
    assert folders.find("gobject-2.0") == "libgobject-2.0.so.0"
    assert folders.find("bar") is None and folders.find("libgobject-2.0-0") is None
    assert folders.find("pango") is None  # not a prefix match of libpango-1.0


def test_the_loader_folders_follow_ld_so_conf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "ld.so.conf").write_text("include conf.d/*.conf\n/opt/first # a comment\n")
    (tmp_path / "conf.d" / "b.conf").write_text("/opt/b\ninclude ../ld.so.conf\n")  # a loop ends
    (tmp_path / "conf.d" / "a.conf").write_text("# nothing\n/opt/a/\n")
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/env::/opt/env2")
    folders = loader_folders(str(tmp_path / "ld.so.conf"))
    assert folders[:5] == ["/opt/env", "/opt/env2", "/opt/a", "/opt/b", "/opt/first"]
    assert "/usr/lib" in folders and len(folders) == len(set(folders))


# --- commands that convert nothing import nothing to convert -----------------------------------


@pytest.mark.parametrize("args", [
    ["--help"], ["formats"], ["pdf", "--help"], ["all", "--help"], ["pdf"], ["nosuch", "x"],
    ["txt", "no/such/folder"], ["--version"],
])
def test_commands_that_convert_nothing_import_no_exporter(args: list[str]) -> None:
    done = python(f"""
        import json, sys
        from convert.cli import main
        try:
            main({args!r}, prog_name="convert")
        except SystemExit as exc:
            code = exc.code
        loaded = sorted(m for m in sys.modules
                        if m.startswith({HEAVY!r}) or m.startswith("convert.exporters."))
        print(json.dumps([code, loaded]), file=sys.stderr)
    """)
    code, loaded = json.loads(done.stderr.splitlines()[-1])
    assert code in (0, 2), done.stderr
    # the registry and its entry points, no format's package and nothing heavy
    assert set(loaded) <= {f"convert.exporters.{m}" for m in ("errors", "options", "plugins", "registry")}


def test_the_builtin_table_is_the_exporters_own() -> None:
    """`convert --help` and `formats` read the built-ins from `catalog.BUILTIN`: it must say what
    the classes say."""
    builtins = {name: cls for name, cls in exporters.registry().items()
                if exporters.plugins.package(exporters.plugins.candidates()[name][0]) == "convert"}
    assert {name: (cls.extension, cls.description) for name, cls in builtins.items()} == catalog.BUILTIN
    assert [f.name for f in catalog.listing()] == sorted(exporters.registry())


def test_a_builtin_that_cannot_be_imported_is_one_error_line(tmp_path: Path) -> None:
    """Built-ins are imported when their command runs, not while it is parsed: a broken
    installation (python-docx missing) is still one line naming the package, exit 1."""
    done = python(f"""
        import builtins
        real = builtins.__import__
        def blocked(name, *args, **kwargs):
            if name == "docx" or name.startswith("docx."):
                raise ImportError("No module named 'docx'")
            return real(name, *args, **kwargs)
        builtins.__import__ = blocked
        from convert.cli import main
        main(["docx", {str(SEED)!r}, "-o", {str(tmp_path / "out")!r}], prog_name="convert")
    """)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Error: format 'docx' from package convert cannot be loaded: ImportError: No module named 'docx'"]
    assert not (tmp_path / "out").exists()


class Pid:
    """Writes the id of the process that made the output (slowly: the first worker stays busy)."""

    name = "pid"
    extension = "pid"
    description = "test: the worker's process id"
    version = "1"
    style_files: tuple[str, ...] = ()

    def __init__(self, options: object) -> None:
        pass

    def export(self, article: object) -> bytes:
        time.sleep(0.3)
        return str(os.getpid()).encode()

    def export_bundle(self, articles: object) -> bytes:
        return b""


def test_a_handful_of_seeds_is_spread_over_the_workers(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Four seeds with -j 2 run on two workers (two at a time), not as one chunk on the first."""
    exporters.register(Pid, "pid")
    request.addfinalizer(lambda: exporters.unregister("pid"))
    make_corpus(tmp_path / "in", 4)
    summary = convert_paths(tmp_path / "in", "pid", tmp_path / "out", jobs=2)
    assert summary.converted == 4
    pids = {p.read_text() for p in (tmp_path / "out").rglob("*.pid")}
    assert len(pids) == 2 and str(os.getpid()) not in pids
