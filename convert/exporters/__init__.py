"""The exporter protocol and the registry that finds exporters through entry points.

Built-in formats register exactly like third-party ones: an entry point in the group
`convert.exporters` that names a class following `Exporter`.
"""

from __future__ import annotations

import hashlib
import json as _json  # not `json`: the submodule convert.exporters.json would shadow it
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from ..model import Article
from ..styles import Styles

GROUP = "convert.exporters"


class ExportError(Exception):
    """An exporter could not render an article (not the seed's fault)."""


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


@dataclass(frozen=True, slots=True)
class PluginProblem:
    """An entry point that could not be loaded: reported, never fatal for the others."""

    name: str
    package: str
    error: str


def discover() -> tuple[dict[str, type[Exporter]], list[PluginProblem]]:
    """Load every exporter in the entry-point group; broken ones are returned as problems."""
    found: dict[str, type[Exporter]] = {}
    problems: list[PluginProblem] = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        package = ep.dist.name if ep.dist else "?"
        try:
            cls = ep.load()
            if not all(hasattr(cls, attr) for attr in ("name", "extension", "export", "export_bundle")):
                raise TypeError("it does not follow the Exporter protocol")
        except Exception as exc:  # a plugin may raise anything while importing
            problems.append(PluginProblem(ep.name, package, f"{type(exc).__name__}: {exc}"))
            continue
        found.setdefault(ep.name, cls)
    return found, problems


_registry: dict[str, type[Exporter]] | None = None
_problems: list[PluginProblem] = []


def registry() -> dict[str, type[Exporter]]:
    """Name → exporter class, loaded once per process."""
    global _registry, _problems
    if _registry is None:
        _registry, _problems = discover()
    return _registry


def problems() -> list[PluginProblem]:
    registry()
    return list(_problems)


def get(name: str) -> type[Exporter]:
    try:
        return registry()[name]
    except KeyError:
        known = ", ".join(sorted(registry())) or "none"
        raise KeyError(f"unknown format {name!r} (known: {known})") from None


_instances: dict[tuple[str, str], Exporter] = {}


def instance(name: str, options: Options) -> Exporter:
    """A warm exporter for these options: built on first use in this process, then reused."""
    key = (name, options.fingerprint())
    exporter = _instances.get(key)
    if exporter is None:
        exporter = _instances[key] = get(name)(options)
    return exporter
