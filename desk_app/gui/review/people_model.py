"""The people table: one row per person of the case, straight from ``CaseReview.people``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desk_app.core.anonymise.review import CaseReview, PersonRow
from desk_app.gui.theme import colour_slots, is_dark, person_colour

COLUMNS = ("Person", "Pseudonym", "Role", "Age", "Found", "Certainty", "Reviewed")
PSEUDONYM_COLUMN = 1
CERTAINTY_COLUMN = 5
CERTAINTY_TIP = ("How sure the tool is that this is a person's name: high, medium or low. Check the low ones "
                 "first; a place or an organisation taken for a person is usually low.")


def certainty(score: float) -> str:
    """The detector's best score for a person in words an investigator can use (a raw
    0.85 meant nothing to them); the bands follow the recognisers' own scores: the
    model's and the structural recognisers' firm finds score 0.85 and up."""
    if score >= 0.85:
        return "high"
    if score >= 0.6:
        return "medium"
    return "low"

Index = QModelIndex | QPersistentModelIndex


class PeopleModel(QAbstractTableModel):
    def __init__(self, rename: Callable[[int, str], bool] | None = None) -> None:
        super().__init__()
        self.rows: list[PersonRow] = []
        self.slots: list[int] = []   # each row's colour slot, kept from its name (theme.colour_slots)
        self.rename = rename   # the panel's undoable rename; the model never edits the review itself

    def set_review(self, review: CaseReview | None) -> None:
        self.beginResetModel()
        self.rows = review.people if review is not None else []
        self.slots = colour_slots([r.display for r in self.rows])
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole \
                and section == CERTAINTY_COLUMN:
            return CERTAINTY_TIP
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
                certainty(row.confidence),
                f"{row.reviewed}/{row.count}",
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return "Written as: " + ", ".join(row.names)
            if col == PSEUDONYM_COLUMN:
                return "Double-click to rename"
            if col == CERTAINTY_COLUMN:
                return CERTAINTY_TIP
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return person_colour(self.slots[index.row()], is_dark())
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
