"""Colours and small style helpers shared by the decision editor's parts.

Colours come from the palette (or a light/dark pair picked by the palette's lightness)
so the editor stays readable under a dark system theme; nothing here is a fixed pixel size.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.gui.theme import is_dark


def error_colour(palette: QPalette) -> QColor:
    """A red with enough contrast on either background."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def warning_colour(palette: QPalette) -> QColor:
    """Amber for "outdated" wording: needs attention, but is not an error."""
    return QColor("#ffcc66") if is_dark(palette) else QColor("#8a5300")


def muted_colour(palette: QPalette) -> QColor:
    """Secondary text (hints, previews); the placeholder role is the platform's own grey."""
    return palette.color(QPalette.ColorRole.PlaceholderText)


def set_text_colour(widget: QWidget, colour: QColor) -> None:
    """Colour a label's text through its palette, so style sheets stay out of the way."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    palette.setColor(QPalette.ColorRole.Text, colour)
    widget.setPalette(palette)


def scaled_font(widget: QWidget, factor: float = 1.0, *, bold: bool = False, italic: bool = False) -> QFont:
    """The widget's font resized relative to itself, so headings follow the user's font size."""
    font = QFont(widget.font())
    if factor != 1.0:
        size = font.pointSizeF()
        if size > 0:
            font.setPointSizeF(size * factor)
        else:
            font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    font.setItalic(italic)
    return font


def muted_label(text: str = "", parent: QWidget | None = None, *, italic: bool = False) -> QLabel:
    """A word-wrapped secondary-text label."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    set_text_colour(label, muted_colour(label.palette()))
    if italic:
        label.setFont(scaled_font(label, italic=True))
    return label


def em(widget: QWidget, count: float) -> int:
    """``count`` average character widths in the widget's font: sizes that follow scaling."""
    return round(widget.fontMetrics().averageCharWidth() * count)


def line_height(widget: QWidget, lines: float = 1.0) -> int:
    """Height of ``lines`` lines of text in the widget's font."""
    return round(widget.fontMetrics().lineSpacing() * lines)
