"""The exporter protocol, each exporter's options, and the one registry of formats.

Built-in formats register exactly like third-party ones: an entry point in the group
`convert.exporters` that names a class following `Exporter` (loading and checking them, and
guarding plugins, is in `plugins`; the registry and its warm instances in `registry`). A script
or a test may also `register()` a class in its own process. Each exporter declares its options
as a small dataclass (`options`), built from the user's settings and validated once.

The formats themselves are one package each (`txt`, `md`, `json`, `docx`, and `web` for `html`
and `pdf`), on the layer they share (`shared`: the editorial view, one clean, one link policy,
dates, the renderer base). No format imports another's package.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol, runtime_checkable

from ..model import Article
from .errors import ExportError, OptionError
from .options import Options, TitledOptions, setting
from .plugins import GROUP, PluginError, PluginProblem
from .registry import REGISTRY, Registry

__all__ = [
    "GROUP", "REGISTRY", "ExportError", "Exporter", "OptionError", "Options", "PluginError", "PluginProblem",
    "Registry", "TitledOptions", "get", "instance", "names", "problems", "register", "registry",
    "setting", "unregister",
]


@runtime_checkable
class Exporter(Protocol):
    """One output format. Instances are built once per process and options, then reused."""

    name: ClassVar[str]
    extension: ClassVar[str]  # without the dot: "pdf"
    description: ClassVar[str]  # one line, for `convert formats`
    version: ClassVar[str]  # bump when output changes, so incremental runs rebuild
    style_files: ClassVar[tuple[str, ...]]  # names in the styles folder this format reads
    options_class: ClassVar[type[Options]]  # the options it takes (Options: only the styles folder)

    def __init__(self, options: Options) -> None: ...

    def export(self, article: Article) -> bytes: ...

    def export_bundle(self, articles: Sequence[Article]) -> bytes: ...


# The module-level API: the one registry, by another name.


def register(cls: type[Any], name: str | None = None) -> type[Exporter]:
    """Make `cls` the exporter of format `name` in this process (see `Registry.register`)."""
    return REGISTRY.register(cls, name)


def unregister(name: str) -> None:
    """Forget a format given to `register`."""
    REGISTRY.unregister(name)


def registry() -> Mapping[str, type[Exporter]]:
    """Name → exporter class for every loadable format (read-only: use `register` to add one)."""
    return REGISTRY.all()


def problems() -> list[PluginProblem]:
    """The formats that cannot be loaded (this loads every exporter)."""
    return REGISTRY.problems()


def names() -> list[str]:
    """Every format name there is, broken or not, without importing any exporter."""
    return REGISTRY.names()


def get(name: str) -> type[Exporter]:
    """The exporter class for `name`, importing only it (KeyError if unknown, PluginError if broken)."""
    return REGISTRY.get(name)


def instance(name: str, options: Options, styles: str = "") -> Exporter:
    """A warm exporter for these options: built on first use in this process, then reused."""
    return REGISTRY.instance(name, options, styles)
