"""Light and dark palettes, and highlight colours that read on either.

Fusion plus an explicit palette looks the same on every platform and in the offscreen
tests; the person colours come in a light and a dark set chosen for contrast with the
text colour of each palette, so highlights never hide the words they mark.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# Distinct hues; highlights are tints of these (light theme) or shades (dark theme).
_HUES = (210, 30, 130, 280, 0, 180, 55, 330, 100, 250, 15, 160)
_SLOTS = len(_HUES) * 3   # three lightness rounds of every hue
IDENTIFIER_HUE = None   # other personal data: neutral grey, plus the type in the tooltip


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def person_colour(slot: int, dark: bool) -> QColor:
    """The highlight of colour slot ``slot`` (see ``colour_slots``: a person keeps theirs)."""
    hue = _HUES[slot % len(_HUES)]
    # past the first round of hues, vary lightness so neighbours stay distinguishable
    # (dark shades stay dark enough for light text on every hue, yellow included: contrast >= 4.5)
    rounds = (slot // len(_HUES)) % 3
    return QColor.fromHsl(hue, 150, 62 + rounds * 6) if dark else QColor.fromHsl(hue, 200, 212 - rounds * 8)


def identifier_colour(dark: bool) -> QColor:
    return QColor.fromHsl(0, 0, 88) if dark else QColor.fromHsl(0, 0, 205)


def highlight_text_colour(dark: bool) -> QColor:
    """The text on any highlight: light on the dark theme's shades, dark on the light tints
    (dark text on the dark theme's grey was hard to read)."""
    return QColor(245, 245, 245) if dark else QColor(20, 20, 20)


def colour_slots(keys: Sequence[str]) -> list[int]:
    """A colour slot for each person, derived from a stable key (their first name form).

    Slot by position in the list made colours change whenever the order of the people did
    (reopening a case, a merge above them). Here each key hashes (crc32, the same on every
    run, unlike ``hash``) to a preferred hue; keys are placed in sorted order and a taken hue
    moves on to the next free one, so the same people always get the same colours and
    nobody shares a hue while there are hues left.
    """
    slots: dict[str, int] = {}
    taken: set[int] = set()
    for key in sorted(set(keys)):
        start = zlib.crc32(key.casefold().encode("utf-8")) % len(_HUES)
        slot = next((s for s in range(start, start + _SLOTS) if s not in taken), start)
        taken.add(slot)
        slots[key] = slot
    return [slots[k] for k in keys]


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    for role, colour in (
        (QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, QColor(40, 40, 44)),
        (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.ToolTipBase, QColor(60, 60, 64)),
        (QPalette.ColorRole.ToolTipText, text), (QPalette.ColorRole.Highlight, QColor(42, 130, 218)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)), (QPalette.ColorRole.Link, QColor(100, 170, 255)),
        (QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150)), (QPalette.ColorRole.Mid, QColor(70, 70, 74)),
    ):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return p


def apply_theme(app: QApplication, theme: str) -> None:
    """``theme`` is "light", "dark" or "system" (the platform's palette)."""
    app.setStyle("Fusion")
    if theme == "dark":
        app.setPalette(dark_palette())
    elif theme == "light":
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(QPalette())
