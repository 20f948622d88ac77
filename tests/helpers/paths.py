"""Where the tests find the repository, the test data and the benchmarks, wherever a test
file sits in the tree (tests mirror the source, so their depth varies)."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
DATA = TESTS / "data"
