"""Menu actions made one way in every window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget


def add_action(owner: QWidget, menu: QMenu, text: str, slot: Callable[[], object],
               shortcut: QKeySequence | QKeySequence.StandardKey | list[QKeySequence] | None = None,
               tip: str = "", checkable: bool = False, checked: bool = False) -> QAction:
    """An action in ``menu`` that is also added to ``owner``, so its shortcut works whichever
    child widget has focus; a checkable one calls ``slot`` whenever it is toggled."""
    action = QAction(text, owner)
    if isinstance(shortcut, list):
        action.setShortcuts(shortcut)
    elif shortcut is not None:
        action.setShortcut(shortcut)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    if checkable:
        action.setCheckable(True)
        action.setChecked(checked)
        action.toggled.connect(lambda _on: slot())
    else:
        action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    owner.addAction(action)
    return action
