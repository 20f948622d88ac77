"""The Review tab: documents, the text with its detections, and the people table.

Every action goes through ``ReviewPanel.act``, which runs one ``CaseReview`` method and
pushes the before/after states onto the undo stack: the core does the work, the GUI only
records it (Anki's and napari's model-owned undo). A refused action (a real initial as a
pseudonym, say) shows its message and leaves nothing on the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QTextCharFormat, QTextCursor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
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

from desk_app.core.anonymise.consistency import KeptIdentifier, kept_but_replaced
from desk_app.core.anonymise.review import ACCEPTED, REJECTED, CaseReview, Occurrence, ReviewError, ReviewState
from desk_app.core.entities import PERSON
from desk_app.gui.review.document_view import DocumentView
from desk_app.gui.review.people_model import PeopleModel
from desk_app.gui.review.person_dialog import NewPersonDialog, SplitOccurrenceDialog, split_title
from desk_app.gui.review.scan_view import ScanView, mark_low_confidence


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
    notice = Signal(str)  # a line for the status bar: what an action did that the text alone may not show

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.review: CaseReview | None = None
        self.current: Occurrence | None = None
        self.loading: str | None = None          # what the window is doing while there is no review yet
        self.focus_person: str | None = None     # F8 steps within this person (their first name form)
        self._selecting = False                  # the program, not the reviewer, is selecting rows
        self._showing = False                    # the program is redrawing the text: the page follows later
        self.kept: list[KeptIdentifier] = []   # values kept (rejected) in one place and replaced in another
        self.kept_marks: list[tuple[int, int, str]] = []

        self.documents = QListWidget()
        self.documents.setAccessibleName("Case documents")
        self.documents.currentRowChanged.connect(self._show_current)
        self.view = DocumentView()
        self.view.occurrence_clicked.connect(self.go_to)
        self.scan_view = ScanView()   # the page beside its text, for a scan (hidden otherwise)
        self.scan_view.occurrence_clicked.connect(self.go_to)
        self.scan_view.page_chosen.connect(self._show_offset)
        self.view.cursorPositionChanged.connect(self._follow_text)
        self.text_and_page = QSplitter(Qt.Orientation.Horizontal)
        self.text_and_page.addWidget(self.view)
        self.text_and_page.addWidget(self.scan_view)
        self.text_and_page.setChildrenCollapsible(False)
        self.text_and_page.setSizes([450, 550])
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
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._people_selected())

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
        self.split_one = button("Spli&t this occurrence…", "This occurrence is someone else: give it to another "
                                "person or a new one, and keep every other occurrence of the name as it is",
                                lambda: self.split_current())

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
        occurrence_row.addWidget(self.split_one)

        docs_box = QWidget()
        dv = QVBoxLayout(docs_box)
        dv.setContentsMargins(0, 0, 0, 0)
        dv.addWidget(QLabel("<b>Documents</b>"))
        dv.addWidget(self.documents)
        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.addWidget(self.text_and_page, 1)
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

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([720, 620])
        self._widened = False   # the centre was widened once for a page beside the text
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._view_menu)
        self._update_buttons()
        self._describe_current()   # Accept / Reject start disabled: there is nothing to decide yet

    # ------------------------------------------------------------------ showing
    def set_review(self, review: CaseReview | None) -> None:
        self.review = review
        self.current = None
        self.focus_person = None
        if review is not None:
            self.loading = None
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
        self._selecting = True
        self.model.set_review(self.review)
        sel = self.table.selectionModel()
        for i in selected:
            if i < self.model.rowCount():
                sel.select(self.model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                           | QItemSelectionModel.SelectionFlag.Rows)
        self._selecting = False
        if self.review is not None:
            todo = self.review.unreviewed()
            for i, doc in enumerate(self.review.documents):
                left = sum(1 for o in todo if o.doc == i)
                status = f"{left} to review" if left else "✓ reviewed"
                self.documents.item(i).setText(f"{doc.path.name}\n    {status}")
            n = len(todo)
            self.people_title.setText(f"<b>People</b> — {len(self.review.people)} found, "
                                      f"{n} detection{'s' if n != 1 else ''} to review")
            self.kept = kept_but_replaced(self.review)
            self.warnings.setText("\n".join([f"⚠ {w}" for w in self.review.warnings]
                                            + [f"⚠ {k.message()}" for k in self.kept]))
        else:
            self.kept = []
        self._show_current()
        self._update_buttons()

    @Slot()
    def _show_current(self) -> None:
        if self.current is not None:   # another document, or a changed review: the old detection may be gone
            key = self.current.key
            self.current = None if self.review is None or key[0] != self.documents.currentRow() else next(
                (o for o in self.review.occurrences_in(key[0]) if o.key == key), None)
        self._showing = True   # the page is chosen below, not by each cursor move on the way
        try:
            self.view.show_document(self.review, self.documents.currentRow(), self.preview_box.isChecked())
            self._mark_kept()
            row = self.documents.currentRow()
            if self.review is not None and 0 <= row < len(self.review.documents):
                self.view.marks = mark_low_confidence(self.view, self.review.documents[row])
            if self.current is not None and self.current.doc == row:
                self.view.select_occurrence(self.current)
        finally:
            self._showing = False
        self.scan_view.show_document(self.review, self.documents.currentRow(), self.current, self._text_span(),
                                     self.view.describe)
        self._make_room_for_page()
        self._describe_current()

    def _make_room_for_page(self) -> None:
        """The first time a scanned page is shown, give the text and the page 62% of the
        width (the people table has room to spare); after that, the reviewer's splitter stays."""
        if self._widened or self.scan_view.isHidden():
            return
        self._widened = True
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if total > 0 and sizes[0] < 0.62 * total:
            self.splitter.setSizes([round(0.62 * total), total - round(0.62 * total)])

    def _text_span(self) -> tuple[int, int] | None:
        """The text cursor's selection as offsets in the document's text; None in the
        anonymised preview, whose positions are not the document's."""
        if self.view.preview:
            return None
        cursor = self.view.textCursor()
        return cursor.selectionStart(), cursor.selectionEnd()

    @Slot()
    def _follow_text(self) -> None:
        """The scanned page follows the text cursor (and shows the words selected on it)."""
        if self._showing:
            return
        span = self._text_span()
        if span is not None:
            self.scan_view.follow(*span)

    @Slot(int)
    def _show_offset(self, offset: int) -> None:
        """Scroll the text to ``offset`` (where the page the reviewer turned to begins), at the top."""
        cursor = self.view.textCursor()
        cursor.setPosition(min(self.view.view_position(offset), len(self.view.toPlainText())))
        self.view.setTextCursor(cursor)
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.value() + self.view.cursorRect().top())

    def _mark_kept(self) -> None:
        """Mark, in the text and in the anonymised preview, each value kept as written here
        that the export replaces somewhere else (a wavy red underline on orange): the slip
        issue 14 found published without a word."""
        self.kept_marks = []   # view start, end, and why: what the tests check
        row = self.documents.currentRow()
        if self.review is None or not self.kept:
            return
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(200, 0, 0))
        fmt.setBackground(QColor(255, 196, 120))
        fmt.setForeground(QColor(20, 20, 20))
        cursor = QTextCursor(self.view.document())
        for item in self.kept:
            for o in item.kept:
                if o.doc != row:
                    continue
                start, end = self.view.view_position(o.start), self.view.view_position(o.end)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)
                self.kept_marks.append((start, end, item.message()))

    def _describe_current(self) -> None:
        person = self._focus_index()
        if self.review is None:
            self.occurrence_label.setText(f"{self.loading}…" if self.loading else
                                          "Open a case to start (File ▸ Open, or drop files here).")
        elif self.current is None:
            self.occurrence_label.setText("Press F8 to go to the next detection to review; click a highlight to "
                                          "select it.")
        else:
            where = ""
            if person is not None and self.current.person == person:
                own = self._own(person)
                n = next((i for i, o in enumerate(own, 1) if o.key == self.current.key), 0)
                where = (f"{n} of {len(own)} for {self.review.people[person].display} (F8 / Shift+F8 within "
                         "this person): ")
            clash = next((k for k in self.kept if any(x.key == self.current.key for x in k.kept)), None)
            self.occurrence_label.setText(where + self.view.describe(self.current)
                                          + (f"\n⚠ {clash.message()}" if clash is not None else ""))
        self.accept_one.setEnabled(self.current is not None)
        self.reject_one.setEnabled(self.current is not None)
        self.split_one.setEnabled(self.current is not None and self.current.entity == PERSON
                                  and self.current.person is not None)

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
        """Select rows for the program (a detection's person, a dialog's target): unlike the
        reviewer's own click, this does not start stepping through the person."""
        self._selecting = True
        try:
            sel = self.table.selectionModel()
            sel.clearSelection()
            for i in indexes:
                sel.select(self.model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                           | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._selecting = False
        self._update_buttons()

    def set_loading(self, text: str | None) -> None:
        """What the window is doing while no review is shown ("Analysing 3 files")."""
        self.loading = text
        self._describe_current()

    def _people_selected(self) -> None:
        """The reviewer chose a row: one person means F8 now steps through that person's
        occurrences, starting with the first; several or none, through the whole queue."""
        self._update_buttons()
        if self._selecting or self.review is None:
            return
        people = self.selected_people()
        self.focus_person = self.review.people[people[0]].display if len(people) == 1 else None
        if self.focus_person is not None:
            self.current = None
            self.step(1)
        else:
            self._describe_current()

    def _focus_index(self) -> int | None:
        if self.review is None or self.focus_person is None:
            return None
        return next((p.index for p in self.review.people if p.display == self.focus_person), None)

    def _own(self, person: int) -> list[Occurrence]:
        assert self.review is not None
        return [o for o in self.review.occurrences if o.person == person]

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

    def _asking(self) -> bool:
        """Whether to ask the user (the window's ``ask``: tests and --selftest answer themselves)."""
        return bool(getattr(self.window(), "ask", True))

    def accept_all(self) -> bool:
        """Accept every outstanding detection, after saying how many: this is not a review, and
        the report will say so (``accepted_in_bulk``)."""
        if self.review is None:
            return False
        n = len(self.review.unreviewed())
        if not n:
            self.notice.emit("Every detection is already reviewed")
            return False
        if self._asking():
            from desk_app.gui.review.export_dialogs import ask_yes_no

            if not ask_yes_no(self, "Accept all detections?",
                              f"Accept all {n} outstanding detection{'s' if n != 1 else ''}?",
                              "Each will be replaced as the tool proposes, without being looked at. The "
                              "replacement report records them as accepted in bulk, not as reviewed."):
                return False
        done = self.act(f"Accept all {n} detections", lambda r: r.accept_all())
        if done:
            self.notice.emit(f"Accepted {n} detection{'s' if n != 1 else ''} in bulk (Ctrl+Z undoes)")
        return done

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
        if person is not None:
            self.act(f"Add name {text}", lambda r: r.add_name(text, person))
            return
        name, title = split_title(text, self._text_before_selection())
        if self._asking():   # confirm the name and the title before a person is created
            dialog = NewPersonDialog(name, title, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            name, title = dialog.values()
        self.act(f"Add {name} as a new person", lambda r: r.add_name(name, None, title or None))

    def _text_before_selection(self, size: int = 8) -> str:
        """The few characters shown before the selection (a title written just before a name)."""
        document, start = self.view.document(), self.view.textCursor().selectionStart()
        return "".join(document.characterAt(i) for i in range(max(start - size, 0), start))

    @Slot()
    def add_selection_to_person(self) -> None:
        (index,) = self.selected_people()
        self.add_selection_as_name(index)

    @Slot()
    def exclude_selection(self) -> None:
        text = self._selection()
        self.act(f"Not a name: {text}", lambda r: r.exclude(text))

    def decide_current(self, decision: str) -> None:
        """Accept or reject the current detection. A rejection is never silent: it is said in
        the status bar, and if it would keep in this file what the export replaces in another
        ("07700 900123 is kept in case-notes.txt and replaced in 2 other files") it is asked."""
        if self.current is None or self.review is None:
            return
        o = self.current
        name = self.review.documents[o.doc].path.name
        clash = None
        if decision == REJECTED:
            before = self.review.state.copy()
            self.review.decide([o], REJECTED)
            clash = next((k for k in kept_but_replaced(self.review) if any(x.key == o.key for x in k.kept)), None)
            self.review.set_state(before)
            if clash is not None and self._asking():
                from desk_app.gui.review.export_dialogs import ask_yes_no

                if not ask_yes_no(self, "Keep it here?", clash.message() + ". Keep it as written here?",
                                  "Every copy is published, so the replaced copies do not hide it."):
                    return
        if self.act(f"{decision.capitalize()} {o.text}", lambda r: r.decide([o], decision)) and decision == REJECTED:
            said = clash.message() if clash is not None else f"“{o.text}” stays as written in {name}"
            self.notice.emit(f"Rejected: {said} (Ctrl+Z undoes)")
        self.step(1)

    def split_current(self, index: int | None = None, name: str | None = None, title: str | None = None) -> bool:
        """The current occurrence is someone else: give it to person ``index``, or to a new
        person ``name`` (``title``); every other occurrence of its name stays. Without a
        person or a name, the reviewer is asked (``SplitOccurrenceDialog``). One undoable step."""
        o, review = self.current, self.review
        if o is None or review is None or o.entity != PERSON or o.person is None:
            return False
        old = review.people[o.person]
        if index is None and name is None:
            if not self._asking():
                return False
            bare, written = split_title(o.text)
            others = [(p.index, f"{p.pseudonym} — {p.display}") for p in review.people if p.index != o.person]
            dialog = SplitOccurrenceDialog(o.text, f"{old.pseudonym} ({old.display})", others, bare, written, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            index, name, title = dialog.values()
        target = review.people[index].pseudonym if index is not None and 0 <= index < len(review.people) else name
        where = review.documents[o.doc].path.name
        moved: list[int] = []
        if not self.act(f"Split “{o.text}” ({where}) to {target}",
                        lambda r: moved.append(r.split_occurrence(o, index, name, title))):
            return False
        now = review.people[moved[-1]].pseudonym
        self.notice.emit(f"This “{o.text}” in {where} is now {now}; the others stay {old.pseudonym} (Ctrl+Z undoes)")
        here = next((x for x in review.occurrences if x.key == o.key), None)
        if here is not None:
            self.go_to(here)
        return True

    def _view_menu(self, pos) -> None:  # noqa: ANN001
        menu = QMenu(self)
        o = self.view.occurrence_at(self.view.cursorForPosition(pos).position())
        if o is not None:
            self.go_to(o)
            menu.addAction("Accept this detection", lambda: self.decide_current(ACCEPTED))
            menu.addAction("Reject this detection", lambda: self.decide_current(REJECTED))
            if self.split_one.isEnabled():
                menu.addAction("Split this occurrence…", lambda: self.split_current())
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
        if self.focus_person is not None and o.person != self._focus_index():
            self.focus_person = None   # a detection of someone else: back to the whole queue
        self.current = o
        if self.documents.currentRow() != o.doc:
            self.documents.setCurrentRow(o.doc)
        else:
            self._show_current()
        if o.person is not None:
            self.select_people([o.person])

    def step(self, direction: int) -> bool:
        """F8 / Shift+F8: the next (or previous) detection nobody has reviewed yet; with a
        person chosen in the table, their next (or previous) occurrence, reviewed or not."""
        if self.review is None:
            return False
        person = self._focus_index()
        todo = self._own(person) if person is not None else self.review.unreviewed()
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
