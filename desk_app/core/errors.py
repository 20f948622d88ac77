"""User-facing errors.

A DeskError carries one plain sentence naming the file and the problem; the CLI prints it
as one line on stderr (never a traceback) and goes on with the rest of the batch.
"""

from __future__ import annotations

from pathlib import Path


class DeskError(Exception):
    """A problem the user can act on, reported as one line."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path is not None else message)


class InputError(DeskError):
    """A source file that cannot be read (wrong type, damaged, empty, needs OCR...)."""


class OutputError(DeskError):
    """A result that cannot be written (unwritable folder, output equals input...)."""
