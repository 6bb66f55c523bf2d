"""Importing WeasyPrint without starting a process.

WeasyPrint loads Pango, HarfBuzz and fontconfig through cffi, trying several names for each
(`libgobject-2.0-0`, `gobject-2.0`, ... and at last the soname `libgobject-2.0.so.0`). For each
name that does not load as it is, cffi asks `ctypes.util.find_library`, which on Linux and the
BSDs runs `ldconfig -p`, then `gcc` and `ld` (and `objdump`): about 200 processes and 1-2 s
before the first PDF. Here `find_library` is answered, only while WeasyPrint is being imported,
by listing the dynamic loader's folders for `lib<name>.so*`, as `ldconfig -p` would, with no
process at all. If the import fails that way (a loader set up in a way we do not read), it is
done again with the real lookup, so WeasyPrint loads wherever it loaded before.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes.util
import glob
import io
import os
import re
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterator
from types import ModuleType

# Where find_library starts processes to look (macOS and Windows search without any).
SPAWNS = os.name == "posix" and sys.platform != "darwin"
_lock = threading.Lock()
_VERSION = re.compile(r"(?:\.\d+)*")  # the version after `.so` in `libfoo.so.0.7400.6`: digits only


def weasyprint() -> ModuleType:
    """`import weasyprint`, loading its libraries by name instead of through ldconfig and gcc."""
    loaded = sys.modules.get("weasyprint")
    if loaded is not None or not SPAWNS:
        import weasyprint as module

        return loaded or module
    with _lock:
        try:
            # WeasyPrint prints its installation help to stdout before a failing load raises:
            # not for an attempt that is followed by the real one.
            with _lookup(LoaderFolders().find), contextlib.redirect_stdout(io.StringIO()):
                import weasyprint as module
            return module
        except Exception:
            for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
                del sys.modules[name]  # half-imported: the real lookup starts it afresh
        import weasyprint as module

        return module


@contextlib.contextmanager
def _lookup(find: Callable[[str], str | None]) -> Iterator[None]:
    """`ctypes.util.find_library` is `find` inside the block, and what it was after."""
    real = ctypes.util.find_library
    ctypes.util.find_library = find  # type: ignore[assignment]  # stubs type it as that one def
    try:
        yield
    finally:
        ctypes.util.find_library = real


class LoaderFolders:
    """The folders the dynamic loader searches, listed once each, to find `lib<name>.so*`."""

    def __init__(self, folders: list[str] | None = None) -> None:
        self.folders = folders if folders is not None else loader_folders()
        self._listings: dict[str, list[str]] = {}

    def find(self, name: str) -> str | None:
        """What `find_library(name)` answers on Linux: the file name (`libpango-1.0.so.0`) that
        `dlopen` loads, or None. A soname (`.so.0`) is preferred to the bare `.so` link."""
        prefix = f"lib{name}.so"
        for folder in self.folders:
            names = self._listing(folder)
            found = []
            for i in range(bisect.bisect_left(names, prefix), len(names)):  # sorted: the names after
                if not names[i].startswith(prefix):
                    break
                if _VERSION.fullmatch(names[i], len(prefix)):
                    found.append(names[i])
            if found:
                return min(found, key=lambda f: (f == prefix, len(f), f))
        return None

    def _listing(self, folder: str) -> list[str]:
        if folder not in self._listings:
            try:
                self._listings[folder] = sorted(os.listdir(folder))
            except OSError:
                self._listings[folder] = []
        return self._listings[folder]


def loader_folders(conf: str = "/etc/ld.so.conf") -> list[str]:
    """`LD_LIBRARY_PATH`, the folders of ld.so.conf (and the files it includes), then the
    usual system folders, each once, in that order."""
    folders = [f for f in os.environ.get("LD_LIBRARY_PATH", "").split(":") if f]
    folders += _conf_folders(conf, set())
    arch = sysconfig.get_config_var("MULTIARCH") or ""
    for base in ("/lib", "/usr/lib", "/lib64", "/usr/lib64"):
        folders += [f"{base}/{arch}", base] if arch else [base]
    return list(dict.fromkeys(os.path.normpath(f) for f in folders))


def _conf_folders(path: str, seen: set[str]) -> list[str]:
    if path in seen:  # an include loop
        return []
    seen.add(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    folders: list[str] = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line.startswith("include"):
            pattern = line[len("include"):].strip()
            pattern = os.path.join(os.path.dirname(path), pattern) if not os.path.isabs(pattern) else pattern
            for included in sorted(glob.glob(pattern)):
                folders += _conf_folders(included, seen)
        elif line.startswith("/"):
            folders.append(line)
    return folders
