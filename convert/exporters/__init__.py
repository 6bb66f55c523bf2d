"""The exporter protocol and the registry that finds exporters through entry points.

Built-in formats register exactly like third-party ones: an entry point in the group
`convert.exporters` that names a class following `Exporter` (loading and checking them, and
guarding plugins, is in `plugins`). An exporter is imported only when its format is used, or
when every format is listed: `convert txt` never imports WeasyPrint, nor a broken plugin.
"""

from __future__ import annotations

import hashlib
import json as _json  # not `json`: the submodule convert.exporters.json would shadow it
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from ..model import Article
from ..styles import Styles
from .plugins import GROUP, PluginError, PluginProblem, candidates, load, package

__all__ = [
    "GROUP", "ExportError", "Exporter", "OptionError", "Options", "PluginError", "PluginProblem", "discover",
    "get", "instance", "names", "problems", "registry",
]


class ExportError(Exception):
    """An exporter could not render an article (not the seed's fault)."""


class OptionError(ExportError):
    """An option or a style file the user gave can render no article at all (an unknown PDF
    variant, a template that does not compile): one usage error before the run, exit 2."""


@dataclass(frozen=True, slots=True)
class Options:
    """Everything a user can set that changes an output. Part of the rebuild manifest."""

    width: int = 72
    ascii: bool = False
    title: str | None = None
    pdf_variant: str | None = None
    styles: Path | None = None
    fetch_images: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def theme(self) -> Styles:
        return Styles(self.styles)

    def fingerprint(self) -> str:
        """A stable hash of the options, for deciding whether an output is up to date."""
        data = asdict(self)
        data["styles"] = str(self.styles) if self.styles else None
        blob = _json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


@runtime_checkable
class Exporter(Protocol):
    """One output format. Instances are built once per process and options, then reused."""

    name: ClassVar[str]
    extension: ClassVar[str]  # without the dot: "pdf"
    description: ClassVar[str]  # one line, for `convert formats`
    version: ClassVar[str]  # bump when output changes, so incremental runs rebuild
    style_files: ClassVar[tuple[str, ...]]  # names in the styles folder this format reads

    def __init__(self, options: Options) -> None: ...

    def export(self, article: Article) -> bytes: ...

    def export_bundle(self, articles: Sequence[Article]) -> bytes: ...


_registry: dict[str, type[Exporter]] | None = None
_problems: list[PluginProblem] = []
_loaded: dict[str, type[Exporter] | PluginProblem] = {}  # name → class, or why it failed


def _load(name: str) -> type[Exporter] | PluginProblem | None:
    """The exporter class for `name` (imported on first use), its problem, or None if unknown."""
    if name not in _loaded:
        eps = candidates().get(name)
        if not eps:
            return None
        try:
            _loaded[name] = load(eps[0])
        except PluginError as exc:
            _loaded[name] = exc.problem
    return _loaded[name]


def discover() -> tuple[dict[str, type[Exporter]], list[PluginProblem]]:
    """Load every exporter in the entry-point group; broken ones are returned as problems."""
    found: dict[str, type[Exporter]] = {}
    problems: list[PluginProblem] = []
    for name, (first, *others) in candidates().items():
        loaded = _load(name)
        if isinstance(loaded, PluginProblem):
            problems.append(loaded)
        elif loaded is not None:
            found[name] = loaded
        for ep in others:  # the same name from a second package: the first one keeps it
            taken = f"the name is already taken by package {package(first)}"
            problems.append(PluginProblem(name, package(ep), taken))
    return found, problems


def registry() -> dict[str, type[Exporter]]:
    """Name → exporter class for every loadable format, loaded once per process."""
    global _registry, _problems
    if _registry is None:
        _registry, _problems = discover()
    return _registry


def problems() -> list[PluginProblem]:
    """The formats that cannot be loaded (this loads every exporter)."""
    registry()
    return list(_problems)


def names() -> list[str]:
    """Every format name installed, broken or not, without importing any exporter."""
    return sorted(set(candidates()) | set(_registry or ()))


def get(name: str) -> type[Exporter]:
    """The exporter class for `name`, importing only it. KeyError if unknown; PluginError (a
    KeyError) naming the package if it is installed but cannot be loaded."""
    if _registry is not None and name in _registry:
        return _registry[name]
    loaded = _load(name)
    if isinstance(loaded, PluginProblem):
        raise PluginError(loaded)
    if loaded is None:
        raise KeyError(f"unknown format {name!r} (known: {', '.join(names()) or 'none'})")
    return loaded


_instances: dict[tuple[str, str], Exporter] = {}


def instance(name: str, options: Options) -> Exporter:
    """A warm exporter for these options: built on first use in this process, then reused."""
    key = (name, options.fingerprint())
    exporter = _instances.get(key)
    if exporter is None:
        exporter = _instances[key] = get(name)(options)
    return exporter
