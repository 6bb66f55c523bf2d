"""Hypothesis profiles for every property test, chosen once here.

`ci` (the default) is a bounded budget for the ordinary suite; `fuzz` is the long run behind
`make fuzz` (`HYPOTHESIS_PROFILE=fuzz pytest -m property`). Property tests take their budget
from the loaded profile and never set `max_examples` themselves, so one switch moves them all.
Every test that uses `@given` is marked `property`.

The long run keeps what it finds in a database of its own (.hypothesis/fuzz): `make fuzz`
replays its failures until they are fixed, while the ordinary suite does not start failing in
one checkout only because someone fuzzed there. A fixed finding becomes a plain test.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, is_hypothesis_test, settings
from hypothesis.database import DirectoryBasedExampleDatabase

# No deadline: a PDF or Word example can take a while on a shared machine, and timing is no
# correctness check. too_slow: the seed-shaped and article strategies draw a lot per example.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=150, **_COMMON)
_FOUND = DirectoryBasedExampleDatabase(
    os.path.join(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY", ".hypothesis"), "fuzz")
)
settings.register_profile("fuzz", max_examples=20_000, database=_FOUND, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)  # an unknown name is an error here, not a silent default


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "property: a hypothesis property test (run by `make fuzz`)")
    config.addinivalue_line(
        "markers", "corpus: needs the shared archive sample; not in `make test`, run by .ci/run"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if is_hypothesis_test(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.property)
