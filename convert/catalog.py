"""The formats installed, for `convert --help`, `convert formats` and usage errors, without
importing any built-in exporter (their modules pull in Jinja, python-docx, YAML...).

The names come from the entry points (`convert.exporters.plugins.candidates`). A built-in format's
extension and description are in `BUILTIN` below (tests/test_startup.py checks that they are
the classes' own); a plugin's come from its class, so a plugin is imported, which also tells
whether it is broken.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import exporters
from .exporters import plugins
from .exporters.plugins import BUILTIN as OWNER
from .exporters.plugins import PluginError, PluginProblem, package

BUILTIN: dict[str, tuple[str, str]] = {  # name → (extension, description), as in the classes
    "docx": ("docx", "Word document: real styles, lists, links and fields (python-docx)"),
    "html": ("html", "standalone, accessible HTML page (same templates as the PDF)"),
    "json": ("json", "The document model as JSON (schema 3), readable back with Article.from_dict"),
    "md": ("md", "CommonMark with YAML front matter, for pandoc and static site generators"),
    "pdf": ("pdf", "PDF briefing on A4 (WeasyPrint); bundles get a cover and contents"),
    "txt": ("txt", "Plain-text bulletin for e-mail and messaging, wrapped at --width, links as references"),
}


@dataclass(frozen=True, slots=True)
class Listed:
    name: str
    extension: str
    description: str


def builtin(name: str) -> bool:
    """True when `name` is one of this package's own formats (a plugin cannot take its name)."""
    eps = plugins.candidates().get(name)
    return eps is not None and bool(eps) and name in BUILTIN and package(eps[0]) == OWNER


def listing() -> list[Listed]:
    """Every format that can be used, by name: the built-ins from the table, the plugins that
    load (a broken one is left out: `problems` names it)."""
    found = []
    for name in plugins.candidates():
        if builtin(name):
            found.append(Listed(name, *BUILTIN[name]))
            continue
        try:
            cls = exporters.get(name)
        except PluginError:
            continue
        found.append(Listed(name, cls.extension, cls.description))
    return found


def describe(name: str) -> str:
    """The one-line description of an installed format (its plugin is imported; KeyError if
    unknown, PluginError if it cannot be loaded)."""
    return BUILTIN[name][1] if builtin(name) else exporters.get(name).description


def problems() -> list[PluginProblem]:
    """The plugins that cannot be loaded, and the names claimed twice (this imports every
    plugin, never a built-in)."""
    found = []
    for name, (first, *others) in plugins.candidates().items():
        if not builtin(name):
            try:
                exporters.get(name)
            except PluginError as exc:
                found.append(exc.problem)
        for ep in others:  # the same name from a second package: the first one keeps it
            taken = f"the name is already taken by package {package(first)}"
            found.append(PluginProblem(name, package(ep), taken))
    return found
