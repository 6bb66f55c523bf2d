"""The two ways an export fails: the article cannot be rendered, or the options cannot be used."""

from __future__ import annotations


class ExportError(Exception):
    """An exporter could not render an article (not the seed's fault)."""


class OptionError(ExportError, ValueError):
    """An option or a style file the user gave can render no article at all (a width too narrow,
    an unknown PDF variant, a template that does not compile): one usage error before the run,
    exit 2. A `ValueError` too, for scripts that pass a bad value to `convert.export`."""


def describe(exc: BaseException) -> str:
    """`Type: message` for one line of a report, even when `str(exc)` itself fails (out of
    memory, a hostile `__str__`)."""
    try:
        text = str(exc).strip()
    except BaseException:
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
