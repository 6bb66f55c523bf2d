"""`json`: the document model as JSON (schema 1), readable back with `Article.from_dict`."""

from .exporter import JSONExport

__all__ = ["JSONExport"]
