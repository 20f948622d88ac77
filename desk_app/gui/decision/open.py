"""Opening a ``.decision.json`` in the window: File ▸ Open, a drop, Open Recent, ``desk-app open``.

``desk-app new-decision`` writes the draft an investigator starts from; the window must
take it as it is, into the Decision tab, whatever else is open. All of those ways in go
through :func:`open_decision`, so they behave alike: one line naming the file when it
cannot be read (the core's ``load_decision`` message), and a question, defaulting to No,
before a decision being edited is replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from desk_app.core.decision.model import DECISION_SUFFIX, Decision, load_decision

if TYPE_CHECKING:
    from desk_app.gui.decision.editor import DecisionEditor


def is_decision_file(path: Path) -> bool:
    """``x.decision.json``, the name ``new-decision`` and the CLI use (any case)."""
    return path.name.lower().endswith(DECISION_SUFFIX)


def open_decision(editor: DecisionEditor, path: Path, ask: QWidget | None = None) -> Decision | None:
    """Load ``path`` into ``editor``; None when the user keeps the decision already open.

    ``ask`` is the parent of the replace question (None: replace without asking). A file
    that cannot be used raises the core's DecisionError, one line naming the file.
    """
    decision = load_decision(path)
    if ask is not None and editor.decision() is not None:
        answer = QMessageBox.question(
            ask, "Replace the decision?",
            f"Open {path.name} in the Decision tab? The decision being edited is replaced (the case keeps it only "
            "if it was saved).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None
    editor.set_decision(decision)
    return decision
