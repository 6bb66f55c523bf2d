"""`docx`: Word documents with python-docx, on top of the reference document in the styles folder.

`exporter` is the format (a document, a pack), `body` the model as WordprocessingML, `ooxml`
the XML pieces python-docx has no API for, `template` the reference document, read once.
"""

from .exporter import WordDocument

__all__ = ["WordDocument"]
