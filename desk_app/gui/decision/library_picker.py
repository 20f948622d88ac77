"""The paragraph library beside the decision: find stock wording and insert it.

By default only the entries that fit the open decision are listed, decided by the core's
``Library.applicable(header)``; the category, outcome and stage filters ask the same
question for a header with that value changed ("what would apply if this were upheld?"),
and "Show all" lists every entry. The search box then narrows by words in the title, id
or wording.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.decision.library import SIGN_OFF_SECTION, Library, LibraryEntry, entry_matches, query_words
from desk_app.core.decision.model import TOP_LEVEL_CATEGORIES, Header, Outcome, Stage
from desk_app.core.decision.numbering import item_label
from desk_app.core.decision.templates import TEMPLATES
from desk_app.gui.decision.style import em, error_colour, line_height, muted_colour, scaled_font, set_text_colour

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
ModelIndex = QModelIndex | QPersistentModelIndex


def section_title(key: str) -> str:
    """A section key as its usual heading ("found" → "What I found") for people to read."""
    for template in TEMPLATES.values():
        if key in template.keys():
            return template.spec(key).default_heading
    return key


def section_keys() -> list[str]:
    """Every section key either template knows, in reading order."""
    keys: list[str] = []
    for template in TEMPLATES.values():
        for key in template.keys():
            if key not in keys:
                keys.append(key)
    return keys


def entry_preview(entry: LibraryEntry) -> str:
    """The wording as it will read in the decision, list and citation included."""
    lines = [entry.text if entry.items or not entry.citation else f"{entry.text} {entry.citation}"]
    for position, item in enumerate(entry.items, start=1):
        lines.append(f"    {item_label(position, entry.list_style)} {item}")
    if entry.items and entry.citation:
        lines[-1] = f"{lines[-1]} {entry.citation}"
    return "\n".join(lines)


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


class LibraryEntryModel(QAbstractListModel):
    """Library entries in file order; entries already in the decision are marked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[LibraryEntry] = []
        self._used: set[str] = set()

    def set_entries(self, entries: Iterable[LibraryEntry]) -> None:
        self.beginResetModel()
        self._entries = [e for e in entries if e.section != SIGN_OFF_SECTION]
        self.endResetModel()

    def set_used(self, ids: Iterable[str]) -> None:
        used = set(ids)
        if used != self._used:
            self._used = used
            if self._entries:
                self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1))

    def entry(self, row: int) -> LibraryEntry:
        return self._entries[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{entry.title or entry.id}\n{self.data(index, DETAIL_ROLE)}"
        if role == DETAIL_ROLE:
            used = " · in decision" if entry.id in self._used else ""
            return f"{section_title(entry.section)} · {entry.id}{used}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry_preview(entry)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry.title or entry.id}, section {section_title(entry.section)}"
        if role == ENTRY_ROLE:
            return entry
        if role == SEARCH_ROLE:
            return _fold(" ".join((entry.id, entry.title, entry.text, entry.citation, *entry.items)))
        return None


class EntryDelegate(QStyledItemDelegate):
    """Title in bold, then a smaller muted line saying where the paragraph goes.

    The default delegate prints both as one block of equal text, which is hard to scan
    in a list of sixty similar titles.
    """

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        detail = QFont(option.font)
        if detail.pointSizeF() > 0:
            detail.setPointSizeF(detail.pointSizeF() * 0.9)
        return title, detail

    def _padding(self, option: QStyleOptionViewItem) -> int:
        return max(2, QFontMetrics(option.font).height() // 4)

    def _layout(self, option: QStyleOptionViewItem, index: ModelIndex, width: int) -> tuple[QRect, QRect]:
        title_font, detail_font = self._fonts(option)
        pad = self._padding(option)
        flags = int(Qt.TextFlag.TextWordWrap)
        inner = max(1, width - 2 * pad)
        title_rect = QFontMetrics(title_font).boundingRect(QRect(0, 0, inner, 10_000), flags,
                                                           index.data(Qt.ItemDataRole.DisplayRole).split("\n")[0])
        detail_rect = QFontMetrics(detail_font).boundingRect(QRect(0, 0, inner, 10_000), flags,
                                                             index.data(DETAIL_ROLE))
        return title_rect, detail_rect

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802 - Qt override
        width = self._view.viewport().width() - 2 * self._view.spacing()
        title_rect, detail_rect = self._layout(option, index, width)
        return QSize(width, title_rect.height() + detail_rect.height() + 3 * self._padding(option))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        title, _ = index.data(Qt.ItemDataRole.DisplayRole).split("\n", 1)
        title_font, detail_font = self._fonts(option)
        title_rect, detail_rect = self._layout(option, index, opt.rect.width())
        pad = self._padding(option)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        detail_colour = text_colour if selected else muted_colour(palette)
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.save()
        left, top = opt.rect.left() + pad, opt.rect.top() + pad
        painter.setFont(title_font)
        painter.setPen(text_colour)
        painter.drawText(title_rect.translated(left, top), flags, title)
        painter.setFont(detail_font)
        painter.setPen(detail_colour)
        painter.drawText(detail_rect.translated(left, top + title_rect.height() + pad), flags,
                         index.data(DETAIL_ROLE))
        painter.restore()


class LibraryFilterModel(QSortFilterProxyModel):
    """Keeps entries whose id is allowed (None: all), in the chosen section, matching every search word.

    Search words match the start of words in the wording, title, citation or section name,
    and the common synonyms (apology/apologise, payment/remedy), as ``Library.search`` does.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._allowed: set[str] | None = None
        self._section: str | None = None
        self._words: list[tuple[str, ...]] = []

    def set_filters(self, allowed: Iterable[str] | None, section: str | None, search: str) -> None:
        modern = hasattr(self, "endFilterChange")  # Qt 6.10+; invalidateRowsFilter is deprecated there
        if modern:
            self.beginFilterChange()
        self._allowed = set(allowed) if allowed is not None else None
        self._section = section
        self._words = query_words(search)
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802 - Qt
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        entry: LibraryEntry = model.data(index, ENTRY_ROLE)
        if self._allowed is not None and entry.id not in self._allowed:
            return False
        if self._section is not None and entry.section != self._section:
            return False
        # the library's own matching: words in text, title or section, with common synonyms
        return entry_matches(entry, self._words)


class LibraryPicker(QWidget):
    """Filterable list of library entries with a preview and "Insert into section"."""

    #: (LibraryEntry) the user wants this entry's paragraph in the decision.
    insertRequested = Signal(object)

    def __init__(self, library: Library | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library: Library | None = None
        self._header: Header | None = None

        title = QLabel("Paragraph library", self)
        title.setFont(scaled_font(self, 1.15, bold=True))
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search wording, title or section, e.g. apology, payment, late")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search the library")
        self.category_filter = self._combo("Category", [(c, c) for c in TOP_LEVEL_CATEGORIES])
        self.outcome_filter = self._combo("Outcome", [(o.value, o.value) for o in Outcome])
        self.stage_filter = self._combo("Stage", [(s.value.capitalize(), s.value) for s in Stage])
        self.section_filter = QComboBox(self)
        self.section_filter.addItem("Any section", None)
        for key in section_keys():
            self.section_filter.addItem(section_title(key), key)
        self.show_all = QCheckBox("Show &all entries", self)
        self.show_all.setToolTip("List every entry, whatever its category, outcome and stage conditions")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        search_label = QLabel("Searc&h", self)
        search_label.setBuddy(self.search_edit)
        form.addRow(search_label, self.search_edit)
        for text, combo in (("Cate&gory", self.category_filter), ("Outcome", self.outcome_filter),
                            ("Stage", self.stage_filter), ("Section", self.section_filter)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            form.addRow(label, combo)

        self.count_label = QLabel(self)
        set_text_colour(self.count_label, muted_colour(self.palette()))

        self.model = LibraryEntryModel(self)
        self.proxy = LibraryFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.list_view = QListView(self)
        self.list_view.setModel(self.proxy)
        self.list_view.setAccessibleName("Library entries")
        self.list_view.setWordWrap(True)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_view.setItemDelegate(EntryDelegate(self.list_view))
        self.list_view.setMinimumHeight(line_height(self, 8))

        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Wording of the selected entry")
        self.preview.setPlaceholderText("Select an entry to read its wording")
        self.preview.setMinimumHeight(line_height(self, 5))
        self.preview.setMaximumHeight(line_height(self, 11))

        self.insert_button = QPushButton("&Insert into section", self)
        self.insert_button.setToolTip("Add the selected paragraph at the end of the section it belongs to")
        self.insert_button.setEnabled(False)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Library message")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.show_all)
        layout.addWidget(self.count_label)
        layout.addWidget(self.list_view, 3)
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.insert_button)
        layout.addWidget(self.message_label)
        self.setMinimumWidth(em(self, 34))

        self.search_edit.textChanged.connect(self._refilter)
        for combo in (self.category_filter, self.outcome_filter, self.stage_filter, self.section_filter):
            combo.currentIndexChanged.connect(self._refilter)
        self.show_all.toggled.connect(self._refilter)
        self.list_view.selectionModel().currentChanged.connect(self._show_current)
        self.list_view.doubleClicked.connect(self._insert_current)
        self.insert_button.clicked.connect(self._insert_current)
        self.set_library(library)

    # --- public --------------------------------------------------------------------------------

    def set_library(self, library: Library | None) -> None:
        self._library = library
        self.model.set_entries(library.entries if library is not None else [])
        self._refilter()

    def set_header(self, header: Header | None) -> None:
        """The open decision's header; the filters' "As in decision" choice follows it."""
        self._header = header
        for combo, value in ((self.category_filter, header.category if header else None),
                             (self.outcome_filter, header.outcome.value if header else None),
                             (self.stage_filter, header.stage.value.capitalize() if header else None)):
            combo.setItemText(0, f"As in decision ({value})" if value else "As in decision")
        self.show_all.setEnabled(header is not None)
        self._refilter()

    def set_used_ids(self, ids: Iterable[str]) -> None:
        """Library ids already in the decision, marked "in decision" in the list."""
        self.model.set_used(ids)

    def filter_header(self) -> Header | None:
        """The decision's header with the filter choices applied; None means "list everything".

        A different top-level category drops the sub-category, which belongs to the old one.
        """
        if self._header is None or self.show_all.isChecked():
            return None
        changes: dict[str, Any] = {}
        category = self.category_filter.currentData()
        if category is not None and category != self._header.category:
            changes.update(category=category, sub_category="")
        # item data comes back as plain str, so turn it into the enum the header holds
        if self.outcome_filter.currentData() is not None:
            changes["outcome"] = Outcome(self.outcome_filter.currentData())
        if self.stage_filter.currentData() is not None:
            changes["stage"] = Stage(self.stage_filter.currentData())
        return dataclasses.replace(self._header, **changes)

    def visible_entries(self) -> list[LibraryEntry]:
        """The entries currently listed, top to bottom."""
        return [self.proxy.data(self.proxy.index(row, 0), ENTRY_ROLE) for row in range(self.proxy.rowCount())]

    def current_entry(self) -> LibraryEntry | None:
        index = self.list_view.currentIndex()
        return self.proxy.data(index, ENTRY_ROLE) if index.isValid() else None

    def select_entry(self, entry_id: str) -> bool:
        """Make ``entry_id`` the current entry if it is listed."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, ENTRY_ROLE).id == entry_id:
                self.list_view.setCurrentIndex(index)
                self.list_view.scrollTo(index)
                return True
        return False

    def show_message(self, text: str, *, error: bool = False) -> None:
        """One plain line under the button: what was inserted, or why it could not be."""
        palette = self.palette()
        set_text_colour(self.message_label,
                        error_colour(palette) if error else palette.color(palette.ColorRole.WindowText))
        self.message_label.setText(text)

    # --- internals -----------------------------------------------------------------------------

    def _combo(self, name: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem("As in decision", None)
        for text, value in items:
            combo.addItem(text, value)
        combo.setAccessibleName(f"Filter by {name.lower()}")
        combo.setToolTip(f"List the entries that would apply if the decision's {name.lower()} were this")
        return combo

    @Slot()
    def _refilter(self) -> None:
        show_all = self.show_all.isChecked() or self._header is None
        for combo in (self.category_filter, self.outcome_filter, self.stage_filter):
            combo.setEnabled(not show_all)
        header = self.filter_header()
        allowed = None
        if header is not None and self._library is not None:
            allowed = [e.id for e in self._library.applicable(header)]
        self.proxy.set_filters(allowed, self.section_filter.currentData(), self.search_edit.text())
        self.count_label.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} entries")
        if not self.list_view.currentIndex().isValid():
            self.preview.clear()
        self._update_button()

    @Slot(QModelIndex, QModelIndex)
    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.proxy.data(current, ENTRY_ROLE) if current.isValid() else None
        self.preview.setPlainText(entry_preview(entry) if entry is not None else "")
        if entry is not None:
            path = " › ".join((section_title(entry.section), *entry.subheadings))
            self.preview.setToolTip(f"Goes in: {path}\nLibrary entry {entry.id}, version {entry.version}")
        self._update_button()

    def _update_button(self) -> None:
        self.insert_button.setEnabled(self.current_entry() is not None and self._header is not None)

    @Slot()
    def _insert_current(self) -> None:
        entry = self.current_entry()
        if entry is not None and self._header is not None:
            self.insertRequested.emit(entry)
