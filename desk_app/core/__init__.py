"""Everything that works without Qt. Nothing under this package may import Qt
(checked by tests/test_core_has_no_qt.py), so the CLI, batch jobs and tests run headless."""
