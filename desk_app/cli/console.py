"""What every command prints to the terminal with: one line on stderr per problem."""

from __future__ import annotations

import os
import sys


def err(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"desk-app: {message}", file=sys.stderr)


def has_display() -> bool:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        err("no display to open the window on; use a command (desk-app --help), or set QT_QPA_PLATFORM=offscreen")
        return False
    return True


