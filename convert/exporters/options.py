"""Each exporter's options: a small frozen dataclass the exporter declares, like MkDocs' config_scheme.

The user gives one flat set of settings (`--width 66 --title "Weekly pack"`, or the keyword
arguments of `convert.export`); each format takes the fields it declares from it and nothing
else (`from_settings`), validated once, when its options are made. An output's manifest stamp
covers only its own exporter's options (`fingerprint`), so `--width` rebuilds bulletins and
nothing else, and `--title` rebuilds bundles only.

    @dataclass(frozen=True)
    class TxtOptions(TitledOptions):
        width: int = setting(72)
        ascii: bool = setting(False)

        def validate(self) -> None:
            if self.width < 20:
                raise OptionError(f"width {self.width} is too narrow for a bulletin (minimum 20)")
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import Field, dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, Self

from ..styles import Styles
from ..taxonomy import GROUPINGS
from .errors import OptionError


def setting(default: Any, *, name: str | None = None, stamp: bool = True, bundle: bool = False) -> Any:
    """A field of an options class.

    `name`: the user setting it is read from, when it differs from the field's name
    (`PdfOptions.variant` is `--pdf-variant`, setting `pdf_variant`). `stamp=False`: not part of
    an output's stamp (the styles folder's path: the content of its files is stamped instead).
    `bundle=True`: only bundles use it (a title), so a change does not rebuild single outputs.
    """
    return field(default=default, metadata={"setting": name, "stamp": stamp, "bundle": bundle})


@dataclass(frozen=True)
class Options:
    """The options every exporter has: the styles folder its templates come from. Subclass it
    (a frozen dataclass of `setting` fields) to declare more, and override `validate`."""

    styles: Path | None = setting(None, stamp=False)
    # How a bundle groups its articles (`--group-by`): a regrouped bundle is rebuilt, single
    # outputs are not.
    group_by: str = setting("area", bundle=True)

    def __post_init__(self) -> None:
        if self.styles is not None and not isinstance(self.styles, Path):
            object.__setattr__(self, "styles", Path(self.styles))
        if self.group_by not in GROUPINGS:
            choices = ", ".join(GROUPINGS)
            raise OptionError(f"cannot group a bundle by {self.group_by!r}: choose one of {choices}")
        self.validate()

    def validate(self) -> None:
        """Raise `OptionError` for a value the exporter cannot use. Runs once, when made."""

    @property
    def theme(self) -> Styles:
        """The styles folder, with the shipped styles behind it."""
        return Styles(self.styles)

    # --- from the user's settings ---------------------------------------------------------

    @classmethod
    def settings(cls) -> dict[str, str]:
        """The user settings this class reads: setting name → field name."""
        return {_setting(f): f.name for f in fields(cls)}

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Self:
        """The options for these settings: the ones this class declares, the others ignored
        (they belong to other formats). A setting given as None keeps the default."""
        known = cls.settings()
        return cls(**{known[k]: v for k, v in settings.items() if k in known and v is not None})

    # --- for the manifest and the warm cache ------------------------------------------------

    def fingerprint(self, bundle: bool = False) -> str:
        """A hash of the options an output depends on: single outputs leave bundle-only ones out."""
        chosen = (f for f in fields(self) if f.metadata.get("stamp", True))
        return _hash(self._values(f for f in chosen if bundle or not f.metadata.get("bundle")))

    def identity(self) -> str:
        """Every field's value, the styles folder included: equal identities, the same exporter.
        Worked out once per options object: the warm cache asks for it for every seed."""
        return self._identity

    @cached_property
    def _identity(self) -> str:
        kind = f"{type(self).__module__}.{type(self).__qualname__}"
        return _hash({"class": kind, **self._values(fields(self))})

    def _values(self, chosen: Iterable[Field[Any]]) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in chosen}


@dataclass(frozen=True)
class TitledOptions(Options):
    """Options of a format whose bundles have a title (a cover, a heading, front matter)."""

    title: str | None = setting(None, bundle=True)


def _setting(f: Field[Any]) -> str:
    return f.metadata.get("setting") or f.name


def _hash(data: dict[str, Any]) -> str:
    blob = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
