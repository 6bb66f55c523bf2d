"""The one registry: every format this process can use, and the one cache of warm exporters.

Formats come from entry points in the group `convert.exporters` (built-in and installed
plugins alike, loaded and guarded by `plugins`), or from `register()` at run time: a script or
a test that brings its own exporter class, without installing a package. An exporter class is
imported only when its format is used, or when every format is listed: `convert txt` never
imports WeasyPrint, nor a broken plugin.

Exporter instances are expensive to build (fonts, parsed CSS, the Word reference document,
Jinja environments) and cheap to reuse, so each process keeps one per format, options and
styles content (`instance`); a failure to build one is remembered and raised again, rather
than retried for every article.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import plugins
from .errors import ExportError, OptionError, describe
from .options import Options
from .plugins import PluginError, PluginProblem

if TYPE_CHECKING:
    from . import Exporter


class Registry:
    """Format name → exporter class, for this process."""

    def __init__(self) -> None:
        self._registered: dict[str, type[Exporter]] = {}  # by register()
        self._loaded: dict[str, type[Exporter] | PluginProblem] = {}  # entry points: class, or why not
        self._all: dict[str, type[Exporter]] | None = None  # every loadable format, once listed
        self._problems: list[PluginProblem] = []
        self._warm: dict[tuple[str, str, str], Exporter | ExportError] = {}  # → instance, or why it failed

    # --- which formats there are ----------------------------------------------------------

    def register(self, cls: type[Any], name: str | None = None) -> type[Exporter]:
        """Make `cls` the exporter of format `name` (its `name` attribute by default) in this
        process, checked and guarded like an installed plugin's class. A format that is
        installed keeps its name: ValueError. Returns the class as it will be used."""
        name = name or getattr(cls, "name", None)
        if not isinstance(name, str) or not name:
            raise ValueError(f"{cls!r} has no format name: give one, or a `name` attribute")
        if name in plugins.candidates():
            raise ValueError(f"format {name!r} is already installed")
        try:
            checked = plugins.checked(cls, name)
        except TypeError as exc:
            raise ValueError(str(exc)) from None
        self._registered[name] = checked
        self._forget(name)
        return checked

    def unregister(self, name: str) -> None:
        """Forget a format given to `register` (and its warm instances)."""
        self._registered.pop(name, None)
        self._forget(name)

    def reload(self) -> None:
        """Look at the installed entry points afresh (a package was installed or removed in a
        running process) and drop every warm instance. Registered formats stay."""
        plugins.candidates.cache_clear()
        self._loaded.clear()
        self._warm.clear()
        self._all, self._problems = None, []

    def names(self) -> list[str]:
        """Every format name there is, broken or not, without importing any exporter."""
        return sorted(set(plugins.candidates()) | set(self._registered))

    def get(self, name: str) -> type[Exporter]:
        """The exporter class for `name`, importing only it. KeyError if unknown; PluginError (a
        KeyError) naming the package if it is installed but cannot be loaded."""
        if name in self._registered:
            return self._registered[name]
        loaded = self._load(name)
        if isinstance(loaded, PluginProblem):
            raise PluginError(loaded)
        if loaded is None:
            raise KeyError(f"unknown format {name!r} (known: {', '.join(self.names()) or 'none'})")
        return loaded

    def all(self) -> Mapping[str, type[Exporter]]:
        """Name → exporter class for every format that loads (this imports every exporter)."""
        if self._all is None:
            self._all, self._problems = self._discover()
        return MappingProxyType({**self._all, **self._registered})

    def problems(self) -> list[PluginProblem]:
        """The formats that cannot be loaded (this loads every exporter)."""
        self.all()
        return list(self._problems)

    # --- options and warm instances -------------------------------------------------------

    def options(self, names: Sequence[str], settings: Mapping[str, Any]) -> dict[str, Options]:
        """Each format's options from one flat set of user settings (the command line's flags,
        the library's keyword arguments): each format takes the ones it declares and ignores
        the rest, validated (OptionError)."""
        return {name: _options_class(self.get(name)).from_settings(settings) for name in names}

    def check_settings(self, names: Sequence[str], settings: Mapping[str, Any]) -> None:
        """A setting no format declares is a slip (`widht=66`): TypeError naming it. The formats
        in `names` are asked first; the others are loaded only for a setting they do not take
        (the same settings may serve several runs)."""
        known = _settings(self.get(name) for name in names)
        stray = set(settings) - known
        if stray:
            known |= _settings(self.all().values())
            if stray - known:
                unknown = ", ".join(repr(s) for s in sorted(stray - known))
                raise TypeError(f"unknown option {unknown} (options: {', '.join(sorted(known))})")

    def instance(self, name: str, options: Options, styles: str = "") -> Exporter:
        """The warm exporter for `name` with these options, built on first use in this process.

        `styles` is the content digest of the format's style files: a long-lived process (a
        Dask worker, a script) never renders with a template that has since changed. A failure
        to build is remembered and raised (as ExportError, or OptionError for a usage error) for
        every article after.
        """
        from ..signals import passes

        key = (name, options.identity(), styles)
        found = self._warm.get(key)
        if found is None:
            try:
                found = self.get(name)(options)
            except BaseException as exc:  # a plugin's SystemExit too: that format's failure
                if passes(exc):
                    raise
                reason = str(exc) if isinstance(exc, ExportError) else describe(exc)
                kind = OptionError if isinstance(exc, OptionError) else ExportError  # the CLI's exit 2
                found = kind(f"cannot start the {name} exporter: {reason}")
            self._warm[key] = found
        if isinstance(found, ExportError):
            raise type(found)(*found.args)  # a fresh one each time: no traceback piles up
        return found

    # --- internals --------------------------------------------------------------------------

    def _forget(self, name: str) -> None:
        for key in [k for k in self._warm if k[0] == name]:
            del self._warm[key]

    def _load(self, name: str) -> type[Exporter] | PluginProblem | None:
        """The class for installed format `name` (imported on first use), its problem, or None."""
        if name not in self._loaded:
            eps = plugins.candidates().get(name)
            if not eps:
                return None
            try:
                self._loaded[name] = plugins.load(eps[0])
            except PluginError as exc:
                self._loaded[name] = exc.problem
        return self._loaded[name]

    def _discover(self) -> tuple[dict[str, type[Exporter]], list[PluginProblem]]:
        found: dict[str, type[Exporter]] = {}
        problems: list[PluginProblem] = []
        for name, (first, *others) in plugins.candidates().items():
            loaded = self._load(name)
            if isinstance(loaded, PluginProblem):
                problems.append(loaded)
            elif loaded is not None:
                found[name] = loaded
            for ep in others:  # the same name from a second package: the first one keeps it
                taken = f"the name is already taken by package {plugins.package(first)}"
                problems.append(PluginProblem(name, plugins.package(ep), taken))
        return found, problems


def _options_class(cls: type[Exporter]) -> type[Options]:
    return getattr(cls, "options_class", Options)


def _settings(classes: Iterable[type[Exporter]]) -> set[str]:
    return {name for cls in classes for name in _options_class(cls).settings()}


REGISTRY = Registry()
