"""The engine: what to build, where it runs, and what is recorded.

Planning (walk → hash → up to date? → task), dispatch (the in-flight window over an executor),
recording (results → manifest + summary) and bundles; see docs/architecture.md for which module
owns what. `convert_paths` is the library's entry point; `Batch(Config(...)).run()` the long form.
"""

from .batch import Batch, Config, StartError, convert_paths
from .guard import PathError
from .report import Reporter, Summary

__all__ = ["Batch", "Config", "PathError", "Reporter", "StartError", "Summary", "convert_paths"]
