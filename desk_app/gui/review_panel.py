"""The Review tab: documents, the text with its detections, and the people table.

Every action goes through ``ReviewPanel.act``, which runs one ``CaseReview`` method and
pushes the before/after states onto the undo stack: the core does the work, the GUI only
records it (Anki's and napari's model-owned undo). A refused action (a real initial as a
pseudonym, say) shows its message and leaves nothing on the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.review import ACCEPTED, REJECTED, CaseReview, Occurrence, ReviewError, ReviewState
from desk_app.gui.document_view import DocumentView
from desk_app.gui.people_model import PeopleModel


class ReviewCommand(QUndoCommand):
    """One reviewer action, undone by putting the earlier state back."""

    def __init__(self, panel: ReviewPanel, text: str, before: ReviewState, after: ReviewState) -> None:
        super().__init__(text)
        self.panel, self.before, self.after = panel, before, after

    def redo(self) -> None:
        self.panel.restore(self.after)

    def undo(self) -> None:
        self.panel.restore(self.before)


class ReviewPanel(QWidget):
    changed = Signal()    # the review state changed (dirty flag, autosave, export button)

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.review: CaseReview | None = None
        self.current: Occurrence | None = None

        self.documents = QListWidget()
        self.documents.setAccessibleName("Case documents")
        self.documents.currentRowChanged.connect(self._show_current)
        self.view = DocumentView()
        self.view.occurrence_clicked.connect(self.go_to)
        self.preview_box = QCheckBox("&Anonymised preview")
        self.preview_box.setToolTip("Show the text as it will be exported")
        self.preview_box.toggled.connect(self._show_current)
        self.occurrence_label = QLabel()
        self.occurrence_label.setWordWrap(True)
        self.occurrence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = PeopleModel(rename=self._rename_from_table)
        self.table = QTableView()
        self.table.setAccessibleName("People found")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(self._person_double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        def button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setAccessibleName(text.replace("&", "").rstrip("…."))
            b.clicked.connect(slot)
            return b

        self.accept_person_button = button("&Accept", "Accept every detection of the selected people",
                                           self.accept_selected_people)
        self.reject_person_button = button("&Not a person", "Reject the selected entries: they are not people",
                                           self.reject_selected_people)
        self.rename_button = button("&Rename…", "Change the selected person's pseudonym", self.rename_selected)
        self.merge_button = button("&Merge", "The selected people are one person", self.merge_selected)
        self.split_button = button("&Split…", "Some of this person's names belong to someone else",
                                   self.split_selected)
        self.complainant_button = button("&Complainant", "The selected person is the complainant (Title X)",
                                         self.complainant_selected)
        self.add_name_button = button("Add as &new person", "The selected text is a name the tool missed",
                                      lambda: self.add_selection_as_name(None))
        self.add_form_button = button("Add to &person", "The selected text is another name of the selected person",
                                      self.add_selection_to_person)
        self.exclude_button = button("Not a &name", "The selected text is never a name in this case",
                                     self.exclude_selection)
        self.accept_one = button("Accept", "Accept this detection (Ctrl+Return)", lambda: self.decide_current(ACCEPTED))
        self.reject_one = button("Reject", "Reject this detection: keep the original text (Ctrl+Delete)",
                                 lambda: self.decide_current(REJECTED))

        people_buttons = QHBoxLayout()
        for b in (self.accept_person_button, self.reject_person_button, self.rename_button, self.merge_button,
                  self.split_button, self.complainant_button):
            people_buttons.addWidget(b)
        people_buttons.addStretch(1)
        selection_buttons = QHBoxLayout()
        selection_buttons.addWidget(QLabel("Selected text:"))
        for b in (self.add_name_button, self.add_form_button, self.exclude_button):
            selection_buttons.addWidget(b)
        selection_buttons.addStretch(1)
        selection_buttons.addWidget(self.preview_box)
        occurrence_row = QHBoxLayout()
        occurrence_row.addWidget(self.occurrence_label, 1)
        occurrence_row.addWidget(self.accept_one)
        occurrence_row.addWidget(self.reject_one)

        docs_box = QWidget()
        dv = QVBoxLayout(docs_box)
        dv.setContentsMargins(0, 0, 0, 0)
        dv.addWidget(QLabel("<b>Documents</b>"))
        dv.addWidget(self.documents)
        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.addWidget(self.view, 1)
        cv.addLayout(occurrence_row)
        cv.addLayout(selection_buttons)
        people_box = QWidget()
        rv = QVBoxLayout(people_box)
        rv.setContentsMargins(0, 0, 0, 0)
        self.people_title = QLabel("<b>People</b>")
        rv.addWidget(self.people_title)
        rv.addWidget(self.table, 1)
        rv.addLayout(people_buttons)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        rv.addWidget(self.warnings)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(docs_box)
        right.addWidget(people_box)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 4)
        right.setSizes([150, 600])

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([720, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._view_menu)
        self._update_buttons()

    # ------------------------------------------------------------------ showing
    def set_review(self, review: CaseReview | None) -> None:
        self.review = review
        self.current = None
        self.documents.blockSignals(True)
        self.documents.clear()
        if review is not None:
            for doc in review.documents:
                item = QListWidgetItem(doc.path.name)
                item.setToolTip(str(doc.path))
                self.documents.addItem(item)
        self.documents.blockSignals(False)
        if review is not None and review.documents:
            self.documents.setCurrentRow(0)
        self.refresh()

    def restore(self, state: ReviewState) -> None:
        assert self.review is not None
        self.review.set_state(state)
        self.refresh()
        self.changed.emit()

    def refresh(self) -> None:
        """Redraw from the review: table, highlights, preview, counts."""
        selected = self.selected_people()
        self.model.set_review(self.review)
        sel = self.table.selectionModel()
        for i in selected:
            if i < self.model.rowCount():
                sel.select(self.model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                           | QItemSelectionModel.SelectionFlag.Rows)
        if self.review is not None:
            todo = self.review.unreviewed()
            for i, doc in enumerate(self.review.documents):
                left = sum(1 for o in todo if o.doc == i)
                status = f"{left} to review" if left else "✓ reviewed"
                self.documents.item(i).setText(f"{doc.path.name}\n    {status}")
            n = len(todo)
            self.people_title.setText(f"<b>People</b> — {len(self.review.people)} found, "
                                      f"{n} detection{'s' if n != 1 else ''} to review")
            self.warnings.setText("\n".join(f"⚠ {w}" for w in self.review.warnings))
        self._show_current()
        self._update_buttons()

    @Slot()
    def _show_current(self) -> None:
        self.view.show_document(self.review, self.documents.currentRow(), self.preview_box.isChecked())
        if self.current is not None and self.current.doc == self.documents.currentRow():
            self.view.select_occurrence(self.current)
        self._describe_current()

    def _describe_current(self) -> None:
        if self.review is None:
            self.occurrence_label.setText("Open a case to start (File ▸ Open, or drop files here).")
        elif self.current is None:
            self.occurrence_label.setText("Press F8 to go to the next detection to review; click a highlight to "
                                          "select it.")
        else:
            self.occurrence_label.setText(self.view.describe(self.current))
        self.accept_one.setEnabled(self.current is not None)
        self.reject_one.setEnabled(self.current is not None)

    def _update_buttons(self) -> None:
        people = self.selected_people()
        has = self.review is not None
        self.accept_person_button.setEnabled(bool(people))
        self.reject_person_button.setEnabled(bool(people))
        self.rename_button.setEnabled(len(people) == 1)
        self.merge_button.setEnabled(len(people) >= 2)
        self.split_button.setEnabled(len(people) == 1)
        self.complainant_button.setEnabled(len(people) == 1)
        for b in (self.add_name_button, self.exclude_button):
            b.setEnabled(has)
        self.add_form_button.setEnabled(has and len(people) == 1)

    def selected_people(self) -> list[int]:
        sel = self.table.selectionModel()
        if sel is None:
            return []
        return sorted({self.model.rows[i.row()].index for i in sel.selectedRows() if i.row() < len(self.model.rows)})

    def select_people(self, indexes: list[int]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        for i in indexes:
            sel.select(self.model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                       | QItemSelectionModel.SelectionFlag.Rows)
        self._update_buttons()

    # ------------------------------------------------------------------ actions
    def act(self, text: str, action: Callable[[CaseReview], None]) -> bool:
        """Run one review action as an undoable command; show why if it is refused."""
        if self.review is None:
            return False
        before = self.review.state.copy()
        try:
            action(self.review)
        except ReviewError as exc:
            self.review.set_state(before)
            QMessageBox.warning(self, "Decision Desk", exc.message)
            return False
        after = self.review.state.copy()
        if after.to_dict() == before.to_dict():
            return False
        self.undo_stack.push(ReviewCommand(self, text, before, after))
        return True

    def _name(self, index: int) -> str:
        assert self.review is not None
        return self.review.people[index].display

    @Slot()
    def accept_selected_people(self) -> None:
        people = self.selected_people()
        label = self._name(people[0]) if len(people) == 1 else f"{len(people)} people"
        self.act(f"Accept {label}", lambda r: [r.accept_person(i) for i in people])

    @Slot()
    def reject_selected_people(self) -> None:
        people = self.selected_people()
        label = ", ".join(self._name(i) for i in people)
        self.act(f"Not a person: {label}", lambda r: [r.reject_person(i) for i in sorted(people, reverse=True)])

    def accept_all(self) -> None:
        self.act("Accept all detections", lambda r: r.accept_all())

    def rename(self, index: int, pseudonym: str) -> bool:
        return self.act(f"Rename {self._name(index)} to {pseudonym}", lambda r: r.rename(index, pseudonym))

    def _rename_from_table(self, index: int, pseudonym: str) -> bool:
        return self.rename(index, pseudonym)

    @Slot()
    def rename_selected(self) -> None:
        (index,) = self.selected_people()
        assert self.review is not None
        row = self.review.people[index]
        text, ok = QInputDialog.getText(self, "Rename", f"Pseudonym for {row.display} (e.g. Mrs X, Mr B, B, "
                                        "the social worker):", text=row.pseudonym)
        if ok:
            self.rename(index, text)

    @Slot()
    def _person_double_clicked(self, index) -> None:  # noqa: ANN001
        if index.column() != 1:
            self.select_people([self.model.rows[index.row()].index])
            self.rename_selected()

    def merge(self, people: list[int]) -> bool:
        target, *others = people
        names = " and ".join(self._name(i) for i in people)
        return self.act(f"Merge {names}", lambda r: r.merge(target, others))

    @Slot()
    def merge_selected(self) -> None:
        self.merge(self.selected_people())

    @Slot()
    def split_selected(self) -> None:
        (index,) = self.selected_people()
        assert self.review is not None
        names = self.review.people[index].names
        text, ok = QInputDialog.getItem(self, "Split", "Which name belongs to someone else?", names, 0, False)
        if ok:
            self.act(f"Split {text} from {self._name(index)}", lambda r: r.split(index, [text]))

    @Slot()
    def complainant_selected(self) -> None:
        (index,) = self.selected_people()
        self.act(f"{self._name(index)} is the complainant", lambda r: r.set_complainant(index))

    def _selection(self) -> str:
        return self.view.textCursor().selectedText().replace("\u2029", " ").strip()

    def add_selection_as_name(self, person: int | None) -> None:
        text = self._selection()
        if self.view.preview:
            QMessageBox.information(self, "Decision Desk", "Turn off the anonymised preview to select names.")
            return
        self.act(f"Add name {text}", lambda r: r.add_name(text, person))

    @Slot()
    def add_selection_to_person(self) -> None:
        (index,) = self.selected_people()
        self.add_selection_as_name(index)

    @Slot()
    def exclude_selection(self) -> None:
        text = self._selection()
        self.act(f"Not a name: {text}", lambda r: r.exclude(text))

    def decide_current(self, decision: str) -> None:
        if self.current is None:
            return
        o = self.current
        self.act(f"{decision.capitalize()} {o.text}", lambda r: r.decide([o], decision))
        self.step(1)

    def _view_menu(self, pos) -> None:  # noqa: ANN001
        menu = QMenu(self)
        o = self.view.occurrence_at(self.view.cursorForPosition(pos).position())
        if o is not None:
            self.go_to(o)
            menu.addAction("Accept this detection", lambda: self.decide_current(ACCEPTED))
            menu.addAction("Reject this detection", lambda: self.decide_current(REJECTED))
        if self._selection():
            menu.addAction(f"Add “{self._selection()}” as a new person", lambda: self.add_selection_as_name(None))
            if len(self.selected_people()) == 1:
                menu.addAction(f"Add “{self._selection()}” to the selected person", self.add_selection_to_person)
            menu.addAction(f"“{self._selection()}” is not a name", self.exclude_selection)
        menu.addAction("Copy", self.view.copy, QKeySequence.StandardKey.Copy)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ navigation
    @Slot(object)
    def go_to(self, o: Occurrence) -> None:
        self.current = o
        if self.documents.currentRow() != o.doc:
            self.documents.setCurrentRow(o.doc)
        else:
            self._show_current()
        if o.person is not None:
            self.select_people([o.person])

    def step(self, direction: int) -> bool:
        """F8 / Shift+F8: the next (or previous) detection nobody has reviewed yet."""
        if self.review is None:
            return False
        todo = self.review.unreviewed()
        if not todo:
            self.current = None
            self._describe_current()
            return False
        here = self.current.key if self.current is not None else ((-1, -1, -1) if direction > 0 else (1 << 30,) * 3)
        if direction > 0:
            target = next((o for o in todo if o.key > here), todo[0])
        else:
            target = next((o for o in reversed(todo) if o.key < here), todo[-1])
        self.go_to(target)
        return True
