"""Loading exporters from entry points, and keeping a broken plugin from breaking anything else.

Every format, built-in or third-party, is an entry point in the group `convert.exporters` naming
a class that follows `Exporter`. A plugin is code the user chose to install, but it may be
broken: it may fail to import, raise while importing, not follow the protocol, or raise while
exporting. Each of those becomes one line naming the plugin's *package* (the thing the user can
upgrade or uninstall), never a traceback and never an error for the other formats.

A plugin's class is used through a thin subclass that turns any exception it raises into an
`ExportError` naming its package, checks that it returns bytes, and fills in the optional class
attributes (description, version, style_files, options_class) with sensible values; the plugin's
own version is stamped together with its package's version, so upgrading a plugin rebuilds its
outputs. Built-in classes are used as they are; a class given to `register()` is checked the same
way and gets the same defaults, but its errors are its caller's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any

from .options import Options

if TYPE_CHECKING:
    from ..model import Article
    from . import Exporter

GROUP = "convert.exporters"
BUILTIN = "convert"  # the distribution whose entry points are the built-in formats

# What a plugin's `extension` may be: a plain file extension, never a path.
_EXTENSION = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class PluginProblem:
    """An entry point that could not be loaded: reported, never fatal for the others."""

    name: str
    package: str
    error: str

    def __str__(self) -> str:
        return f"format {self.name!r} from package {self.package} cannot be loaded: {self.error}"


class PluginError(KeyError):
    """Asked for a format whose exporter cannot be loaded."""

    def __init__(self, problem: PluginProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem

    def __str__(self) -> str:  # KeyError's own would quote the message
        return str(self.problem)


def package(ep: EntryPoint) -> str:
    """The distribution that declares `ep`, as the user installed it."""
    dist = getattr(ep, "dist", None)
    return dist.name if dist is not None else "?"


@cache
def candidates() -> dict[str, tuple[EntryPoint, ...]]:
    """Format name → its entry points, the built-in one first: a plugin cannot replace a built-in."""
    by_name: dict[str, list[EntryPoint]] = {}
    for ep in entry_points(group=GROUP):
        by_name.setdefault(ep.name, []).append(ep)
    return {
        name: tuple(sorted(eps, key=lambda ep: (package(ep) != BUILTIN, package(ep))))
        for name, eps in sorted(by_name.items())
    }


def load(ep: EntryPoint) -> type[Exporter]:
    """Import the class `ep` names and check it; raises PluginError naming the package."""
    owner = package(ep)
    try:
        cls = ep.load()
        _check(cls, ep.value)
        if owner == BUILTIN:
            return cls
        dist = getattr(ep, "dist", None)
        return _guarded(cls, ep.name, owner, dist.version if dist is not None else "?")
    except (Exception, SystemExit) as exc:  # a plugin may raise anything while importing
        raise PluginError(PluginProblem(ep.name, owner, _describe(exc))) from exc


def checked(cls: Any, name: str) -> type[Exporter]:
    """A class given to `register()`: checked like a plugin's, with the same defaults filled in."""
    _check(cls, getattr(cls, "__qualname__", repr(cls)))
    defaults = _defaults(cls, name, f"from {cls.__module__}", str(getattr(cls, "version", "0")))
    if all(getattr(cls, key, None) == value for key, value in defaults.items()):
        return cls
    return type(cls.__name__, (cls,), {"__module__": cls.__module__, "__doc__": cls.__doc__, **defaults})


def _defaults(cls: type, name: str, fallback: str, version: str) -> dict[str, Any]:
    doc = (cls.__doc__ or "").strip()
    return {
        "name": name,
        "description": getattr(cls, "description", "") or (doc.splitlines()[0] if doc else fallback),
        "version": version,
        "style_files": tuple(getattr(cls, "style_files", ())),
        "options_class": getattr(cls, "options_class", Options),
    }


def _check(cls: Any, where: str) -> None:
    """The parts of the protocol the rest of the program relies on, with a reason when missing."""
    def broken(why: str) -> TypeError:
        return TypeError(f"{where} does not follow the Exporter protocol: {why}")

    if not isinstance(cls, type):
        raise broken("it is not a class")
    for method in ("export", "export_bundle"):
        if not callable(getattr(cls, method, None)):
            raise broken(f"it has no {method}() method")
    extension = getattr(cls, "extension", None)
    if not isinstance(extension, str) or not _EXTENSION.fullmatch(extension) or len(extension) > 16:
        raise broken(f"`extension` must be a file extension such as 'csv' (no dot), not {extension!r}")
    if not isinstance(getattr(cls, "description", ""), str):
        raise broken("`description` must be a string")
    style_files = getattr(cls, "style_files", ())
    if isinstance(style_files, str) or not all(isinstance(n, str) for n in style_files):
        raise broken("`style_files` must be a tuple of file names")
    options = getattr(cls, "options_class", Options)
    if not (isinstance(options, type) and issubclass(options, Options)):
        raise broken("`options_class` must be a subclass of convert.exporters.Options")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _guarded(cls: Any, name: str, owner: str, dist_version: str) -> type[Exporter]:
    """A subclass of a plugin's class that names `owner` in every error it raises."""
    from ..signals import passes
    from . import ExportError

    suffix = f"(exporter from package {owner})"

    def guard(call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args)
        except ExportError as exc:  # the plugin's own message, for the user: keep it
            if str(exc).endswith(suffix):  # export_bundle calling our guarded export
                raise
            raise ExportError(f"{exc} {suffix}") from exc
        except BaseException as exc:  # SystemExit, KeyboardInterrupt too: the plugin's failure
            if passes(exc):  # a real Ctrl-C, or the time limit
                raise
            raise ExportError(f"{_describe(exc)} {suffix}") from exc

    def as_bytes(data: Any) -> bytes:
        if isinstance(data, bytes | bytearray | memoryview):
            return bytes(data)
        raise ExportError(f"export returned {type(data).__name__}, not bytes {suffix}")

    def __init__(self: Any, options: Options) -> None:
        if cls.__init__ is object.__init__:  # a plugin that needs no options may leave it out
            return
        guard(cls.__init__, self, options)

    def export(self: Any, article: Article) -> bytes:
        return as_bytes(guard(cls.export, self, article))

    def export_bundle(self: Any, articles: Sequence[Article]) -> bytes:
        return as_bytes(guard(cls.export_bundle, self, articles))

    namespace = {
        "__init__": __init__,
        "export": export,
        "export_bundle": export_bundle,
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "package": owner,
        **_defaults(cls, name, f"from {owner}", f"{getattr(cls, 'version', '0')}+{owner}-{dist_version}"),
    }
    return type(cls.__name__, (cls,), namespace)
