"""`md`: CommonMark with a YAML front-matter block, for pandoc and static site generators.

`exporter` is the format and the model as Markdown, `syntax` the escaping and the emphasis rules.
"""

from .exporter import MarkdownExport

__all__ = ["MarkdownExport"]
