"""The people table: one row per person of the case, straight from ``CaseReview.people``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desk_app.core.review import CaseReview, PersonRow
from desk_app.gui.theme import is_dark, person_colour

COLUMNS = ("Person", "Pseudonym", "Role", "Age", "Found", "Score", "Reviewed")
PSEUDONYM_COLUMN = 1

Index = QModelIndex | QPersistentModelIndex


class PeopleModel(QAbstractTableModel):
    def __init__(self, rename: Callable[[int, str], bool] | None = None) -> None:
        super().__init__()
        self.rows: list[PersonRow] = []
        self.rename = rename   # the panel's undoable rename; the model never edits the review itself

    def set_review(self, review: CaseReview | None) -> None:
        self.beginResetModel()
        self.rows = review.people if review is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (
                row.display,
                row.pseudonym,
                "complainant" if row.complainant else (row.role or ""),
                "child" if row.child else "adult",
                row.count,
                f"{row.confidence:.2f}",
                f"{row.reviewed}/{row.count}",
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return "Written as: " + ", ".join(row.names)
            if col == PSEUDONYM_COLUMN:
                return "Double-click to rename"
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return person_colour(row.index, is_dark())
        if role == Qt.ItemDataRole.FontRole and (col == 0 and row.complainant or col == PSEUDONYM_COLUMN):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != PSEUDONYM_COLUMN or self.rename is None:
            return False
        return self.rename(self.rows[index.row()].index, str(value))

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == PSEUDONYM_COLUMN:
            return base | Qt.ItemFlag.ItemIsEditable
        return base
