"""Where things are, for tests in any folder: the tests, their fixtures, the repository, the seed."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
SEED = REPO / "seeds" / "000_8253f2a74fd231eb.txt"  # the real seed shipped with the project
