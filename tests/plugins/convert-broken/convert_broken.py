"""A plugin that cannot be imported: it needs a library that is not installed.

Used by tests/test_plugins.py to check that one broken plugin costs only its own format.
"""

import convert_broken_missing_dependency  # noqa: F401  (not installed anywhere, on purpose)


class Broken:
    name = "broken"
    extension = "brk"
    description = "never listed: importing this module fails"

    def __init__(self, options: object) -> None:
        self.options = options

    def export(self, article: object) -> bytes:
        return b""

    def export_bundle(self, articles: object) -> bytes:
        return b""
