"""`txt`: plain-text bulletins (and digests) for e-mail and messaging.

`exporter` is the format (template data, the digest), `render` the model as wrapped text,
`wrapping` the line wrapping that never breaks a URL.
"""

from .exporter import Bulletin

__all__ = ["Bulletin"]
