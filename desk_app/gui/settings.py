"""The window's own preferences (recent files, theme, window sizes), in one place.

Its own module so that every window can read them without importing the main window (the
compare window did, and the main window imports the compare window: a cycle).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desk_app.core.storage.autosave import data_dir


def settings() -> QSettings:
    """UI state only (recent files, theme), kept beside the autosaves, never in the case."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
