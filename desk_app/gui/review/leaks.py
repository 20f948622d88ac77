"""The dialog an export shows when the leak scan refused it: every place an original name
was found, and what to do about it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from desk_app.core.output.leakscan import Leak

LEAK_ADVICE = ("Add the missed name in the Review tab (select it in the text and use Add to person, or Add as "
               "new person), then export again. A name in the decision itself must be taken out in the Decision tab.")


class LeakDialog(QDialog):
    """The places an export found original names: file, part of the file, where in it,
    the name, and the text around it; and what to do about it."""

    def __init__(self, leaks: Sequence[Leak], parent: QWidget | None = None,
                 jump: Callable[[Leak], object] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export refused: names remain")
        layout = QVBoxLayout(self)
        files = sorted({leak.file.name for leak in leaks})
        summary = QLabel(f"Original names were found in {', '.join(files)}. Nothing was exported.")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.table = QTableWidget(len(leaks), 5)
        self.table.setAccessibleName("Places where original names were found")
        self.table.setHorizontalHeaderLabels(["File", "Part", "Where", "Name", "Context"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, leak in enumerate(leaks):
            for col, value in enumerate((leak.file.name, leak.part, leak.where, leak.term, leak.context)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        advice = QLabel(LEAK_ADVICE)
        advice.setWordWrap(True)
        layout.addWidget(advice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        self.jump_button: QPushButton | None = None
        from desk_app.core.output.leakscan import DECISION_PART

        # a leak traced to a decision paragraph: offer to go there
        target = next((leak for leak in leaks if leak.part == DECISION_PART), None)
        if jump is not None and target is not None:
            self.jump_button = buttons.addButton(f"Go to {target.where} of the decision",
                                                 QDialogButtonBox.ButtonRole.ActionRole)
            self.jump_button.clicked.connect(lambda: (self.accept(), jump(target)))
        layout.addWidget(buttons)
        self.resize(900, 420)
