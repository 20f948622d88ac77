"""The decision editor: header form, numbered sections and the paragraph library side by side.

The editor edits one :class:`~desk_app.core.decision.model.Decision` in place and is the
only thing that does: its parts (``decision_header_form``, ``decision_sections``,
``decision_library_picker``) display the model and ask for changes, and every change is an
undo command (``decision_commands``) that calls the core. ``changed`` then tells the main
window to mark the file dirty and schedule an autosave.

The editor also follows the case's people (``set_people``, called by the window after every
review change): a rename, merge or complainant change rewrites the old pseudonyms in one undo
step, real names and pseudonyms of no one are underlined while typing, and ``allow_export``
refuses a decision that still names someone by a pseudonym no one has (``core.decision.
pseudonym_sync`` does the work).

Ctrl+Z pressed inside one of the editor's text fields first commits what is being typed
and then undoes through the shared ``QUndoStack``, so the fields' own undo histories never
disagree with the decision's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.decision.completeness import Gap, filled_changes, find_gaps, summarise_gaps
from desk_app.core.decision.convert import apply_entry, can_insert, convert_decision
from desk_app.core.decision.library import Library, LibraryEntry
from desk_app.core.decision.model import Block, Decision, DecisionError, Heading, ListStyle, Paragraph, Section
from desk_app.core.decision.numbering import iter_numbered
from desk_app.core.decision.pseudonym_sync import Cast, Place, Problem, find_problems, locate, refusal_message
from desk_app.core.people.mapping import CaseMapping
from desk_app.gui.decision.header_form import (
    FIELDS,
    HeaderFields,
    NewDecisionDialog,
    field_of,
    new_decision_dialog,
    user_message,
    with_field,
)
from desk_app.gui.decision.library_picker import LibraryPicker, section_title
from desk_app.gui.decision.sections import Anonymiser, ParagraphWidget, SectionsView
from desk_app.gui.decision.style import (
    em,
    error_colour,
    line_height,
    muted_label,
    scaled_font,
    set_text_colour,
    warning_colour,
)
from desk_app.gui.decision.undo import (
    HEADER,
    HEADING,
    PARAGRAPH,
    STRUCTURE,
    SUMMARY,
    AddBlocks,
    ChangeStructure,
    EditParagraph,
    FollowRenames,
    MoveBlock,
    RemoveBlock,
    SetHeaderField,
    SetSectionHeading,
    SetSubheadingText,
    SetSummary,
)

__all__ = ["DecisionEditor", "NewDecisionDialog", "PlaceholderDialog", "new_decision_dialog"]

STATUS_NOTE_MS = 10_000
#: Gaps listed in the export warning before "and N more".
WARNING_GAPS = 8


class PlaceholderDialog(QDialog):
    """Asks for the values a stock paragraph leaves open: amount, deadline, who …

    One field per ``[[placeholder]]``, labelled with its own words, so the investigator
    fills the paragraph without hunting for the brackets. Fields left empty keep their
    placeholder, which stays marked (and keeps a final export from going out).
    """

    def __init__(self, names: list[str], number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Fill in paragraph {number}")
        layout = QVBoxLayout(self)
        layout.addWidget(muted_label("Type what the paragraph should say in place of each placeholder. "
                                     "Anything left empty stays marked as still to fill.", self))
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name in names:
            edit = QLineEdit(self)
            edit.setAccessibleName(name)
            edit.setPlaceholderText(name)
            form.addRow(f"{name}:", edit)
            self.fields[name] = edit
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, str]:
        """The typed values, trimmed; empty ones are left out."""
        return {name: edit.text().strip() for name, edit in self.fields.items() if edit.text().strip()}


class DecisionEditor(QWidget):
    """Header on the left, the statement in the centre, the paragraph library on the right."""

    #: Emitted after every change to the decision (including undo and redo).
    changed = Signal()
    #: A short note for the status bar, e.g. "Pasted text anonymised: 2 changes".
    statusMessage = Signal(str)

    def __init__(self, undo_stack: QUndoStack, library: Library | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack = undo_stack
        self._library = library
        self._decision: Decision | None = None
        self._anonymiser: Anonymiser | None = None
        #: The case's people as the decision last followed them (None: no case open).
        self._cast: Cast | None = None
        self._applying = False
        #: Which control of a moved block gets the focus back after the rebuild.
        self._focus_role = "text"

        self.header_fields = HeaderFields(self, labels_above=True)
        self.header_fields.committed.connect(self._commit_header_field)
        for name in FIELDS:
            widget = self.header_fields.field_widget(name)
            watched = widget.lineEdit() if name == "category" else widget
            if name not in ("outcome", "stage"):
                watched.installEventFilter(self)
        header_panel = QWidget(self)
        header_layout = QVBoxLayout(header_panel)
        header_title = QLabel("Decision header", header_panel)
        header_title.setFont(scaled_font(header_panel, 1.15, bold=True))
        header_layout.addWidget(header_title)
        header_layout.addWidget(self.header_fields)
        header_layout.addSpacing(line_height(header_panel, 0.5))
        header_layout.addWidget(muted_label("A field is applied when you press Enter or leave it; Ctrl+Z "
                                            "undoes it. Category, outcome and stage decide which library "
                                            "paragraphs are offered.", header_panel))
        header_layout.addStretch(1)
        header_scroll = QScrollArea(self)
        header_scroll.setWidgetResizable(True)
        header_scroll.setFrameShape(QFrame.Shape.NoFrame)
        header_scroll.setWidget(header_panel)
        header_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header_scroll.setMinimumWidth(self.header_fields.minimumWidth() + em(self, 3))

        self.sections_view = SectionsView(self)
        self.sections_view.set_key_filter(self)
        self.sections_view.paragraphCommitRequested.connect(self._commit_paragraph)
        self.sections_view.summaryCommitRequested.connect(self._commit_summary)
        self.sections_view.moveRequested.connect(self._move_block)
        self.sections_view.removeRequested.connect(self._remove_block)
        self.sections_view.addRequested.connect(self._add_own_paragraph)
        self.sections_view.entryRequested.connect(self.insert_entry)
        self.sections_view.librarySearchRequested.connect(self._search_library_for)
        self.sections_view.listStyleRequested.connect(self._set_list_style)
        self.sections_view.fillRequested.connect(self._fill_row)
        self.sections_view.subheadingEdited.connect(self._rename_subheading)
        self.sections_view.headingChosen.connect(self._choose_heading)
        self.sections_view.pasteAnonymised.connect(self._note_anonymised_paste)

        self.library_picker = LibraryPicker(library, self)
        self.library_picker.insertRequested.connect(self.insert_entry)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(header_scroll)
        self.splitter.addWidget(self.sections_view)
        self.splitter.addWidget(self.library_picker)
        for index, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(index, stretch)
        self._sized = False

        self.gaps_label = QLabel(self)
        self.gaps_label.setWordWrap(True)
        self.gaps_label.setAccessibleName("Still to write")
        self.gaps_label.setToolTip("What this decision still needs before it can go out: placeholders to fill "
                                   "and empty sections. Exporting warns while any remain.")

        self.people_label = QLabel(self)
        self.people_label.setWordWrap(True)
        self.people_label.setAccessibleName("Names to check")
        self.people_label.setToolTip("Real names and pseudonyms that belong to no one in the case, underlined in "
                                     "red in the text. A stale pseudonym stops the export; a real name is refused "
                                     "by the export's own check.")
        self.people_label.hide()

        self.status_label = muted_label("", self)
        self.status_label.setAccessibleName("Editor status")
        self.status_label.hide()
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_NOTE_MS)
        self._status_timer.timeout.connect(self.status_label.hide)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.gaps_label)
        layout.addWidget(self.people_label)
        layout.addWidget(self.status_label)
        self.set_decision(None)

    # --- public API ----------------------------------------------------------------------------

    def decision(self) -> Decision | None:
        """The decision being edited (the live object, changed in place)."""
        return self._decision

    def undo_stack(self) -> QUndoStack:
        return self._stack

    def library(self) -> Library | None:
        return self._library

    def set_decision(self, decision: Decision | None) -> None:
        """Show ``decision`` (None: nothing open) and clear the undo stack.

        The stack's commands hold references into the previous decision, so undoing them
        after a switch would change a document that is no longer on screen.
        """
        self._stack.clear()
        self._decision = decision
        self.header_fields.set_header(decision.header if decision else None)
        self.header_fields.setEnabled(decision is not None)
        self.sections_view.set_decision(decision, self._library)
        self.sections_view.set_anonymiser(self._anonymiser)
        self.library_picker.set_header(decision.header if decision else None)
        self.library_picker.show_message("")
        self._update_used_ids()
        self._update_gaps()
        self._update_people()

    def set_library(self, library: Library | None) -> None:
        """Use another paragraph library (status badges and the picker follow it)."""
        self._library = library
        self.library_picker.set_library(library)
        self.sections_view.set_decision(self._decision, library)
        self.sections_view.set_anonymiser(self._anonymiser)

    def set_anonymiser(self, fn: Callable[[str], str] | None) -> None:
        """Text pasted into the Summary or a paragraph goes through ``fn`` first (None: as is)."""
        self._anonymiser = fn
        self.sections_view.set_anonymiser(fn)

    # --- the case's people ---------------------------------------------------------------------

    def set_people(self, mapping: CaseMapping | None) -> int:
        """Follow the case's people: call with the review's mapping after every review change.

        The first call for a case (after ``None``) only records who is who. Later calls
        rewrite the decision where a pseudonym changed (rename, merge, complainant), as one
        undo step on the decision's stack; the return value is how many places changed.
        Either way real names and pseudonyms of no one are underlined from then on.
        """
        cast = Cast.of(mapping) if mapping is not None else None
        if cast is not None and cast == self._cast:
            return 0   # an accept or reject: nobody's name or pseudonym changed
        previous, self._cast = self._cast, cast
        self.sections_view.set_marker(cast.marks if cast is not None else None)
        count = 0
        if previous is not None and cast is not None and self._decision is not None:
            renames = previous.renames_to(cast)
            if renames:
                self.commit_pending()
                command = FollowRenames(self._decision, renames, self._notify)
                if command.count:
                    count = command.count
                    self._stack.push(command)
                    self._note(f"The decision now follows the review: {renames.describe()} "
                               f"({count} place{'s' if count != 1 else ''})")
        self._update_people()
        return count

    def people_problems(self, kinds: tuple[str, ...] = ("name", "stale")) -> list[Problem]:
        """Real names and stale pseudonyms in the decision (nothing while no case is open)."""
        if self._decision is None or self._cast is None:
            return []
        return find_problems(self._decision, self._cast, kinds)

    def allow_export(self, parent: QWidget | None = None, ask: bool = True,
                     log: list[str] | None = None) -> bool:
        """Refuse the export while a pseudonym in the decision belongs to no one in the case.

        The refusal names each one and its printed paragraph, and offers to go there
        (``ask`` False: no dialog, it goes to the first at once). ``log`` receives the message.
        """
        self.commit_pending()
        stale = self.people_problems(("stale",))
        if not stale:
            return True
        message = refusal_message(stale)
        if log is not None:
            log.append(message)
        first = stale[0]
        if ask:
            box = QMessageBox(QMessageBox.Icon.Warning, "Export refused: a pseudonym of no one", message,
                              parent=parent or self)
            go = box.addButton(f"Go to {first.place.label}", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if box.clickedButton() is go:
                self.go_to(first.place, first.mark.term)
        else:
            self.go_to(first.place, first.mark.term)
        return False

    def locate(self, term: str, context: str = "") -> Place | None:
        """Where in the decision an exported file's ``term`` came from (see ``pseudonym_sync.locate``)."""
        self.commit_pending()
        return locate(self._decision, term, context) if self._decision is not None else None

    def go_to(self, place: Place, term: str = "") -> bool:
        """Show ``place`` (a paragraph, the Summary) with ``term`` selected in it."""
        if self._decision is None:
            return False
        if place.paragraph is None and place.label != "the Summary":
            return False
        return self.sections_view.select_text(place.paragraph, place.field, place.item, term)

    def _update_people(self) -> None:
        problems = self.people_problems()
        self.people_label.setVisible(bool(problems))
        if problems:
            shown = "; ".join(p.message for p in problems[:3])
            more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
            self.people_label.setText(f"⚠ {shown}{more}.")
            set_text_colour(self.people_label, error_colour(self.palette()))

    def commit_pending(self) -> None:
        """Apply whatever is still being typed; call before saving or exporting."""
        if self._decision is None or self._applying:
            return
        for name in FIELDS:
            if name in ("outcome", "stage"):
                continue
            if str(self.header_fields.raw_value(name)) != str(getattr(self._decision.header, name)):
                self._commit_header_field(name)
        self._commit_summary()
        for row in list(self.sections_view.paragraph_widgets):
            for editor in row.text_editors():
                editor.stop_timer()
            self._commit_paragraph(row)

    @Slot()
    def undo(self) -> None:
        """Commit pending typing, then undo the last change.

        A header field holding text the core rejected is simply put back first: the user
        is undoing that typing, not whatever change happens to be on top of the stack.
        """
        self.commit_pending()
        if self._revert_invalid_header_fields():
            return
        self._stack.undo()

    @Slot()
    def redo(self) -> None:
        self.commit_pending()
        self._stack.redo()

    def add_paragraph(self, section_key: str, text: str = "") -> Paragraph | None:
        """Add an own paragraph at the end of a section; undoable. Returns it."""
        if self._decision is None:
            return None
        self.commit_pending()
        paragraph = Paragraph(text=text)
        self._push(AddBlocks(self._decision, section_key, [paragraph], self._notify,
                             f"Add paragraph to “{self._decision.section(section_key).heading}”"))
        return paragraph

    @Slot(object)
    def insert_entry(self, entry: LibraryEntry) -> Paragraph | None:
        """Put the entry's paragraph, and the entries it brings along, into the decision; one undo step.

        Each takes the place of an untouched alternative of its group (choosing another
        assessment reason swaps the reason and its Final decision sentence); otherwise it is
        appended to its section (added from the template if missing) under its sub-headings.
        """
        decision = self._decision
        if decision is None:
            return None
        self.commit_pending()
        library = self._library if self._library is not None and entry.id in self._library else Library([entry])
        missing = can_insert(decision, entry, library)
        if missing is not None:
            self.library_picker.show_message(
                f"“{entry.title or entry.id}” belongs in “{section_title(missing)}”, which this "
                f"{decision.template} statement does not have, so it was not inserted.", error=True)
            return None
        had = {s.key for s in decision.sections}
        command = ChangeStructure(decision, lambda: apply_entry(decision, library, entry), self._notify,
                                  f"Insert “{entry.title or entry.id}”")
        paragraph = command.result.paragraphs[0]
        command.focus_block = paragraph
        self._push(command)
        number = next((n.number for n in iter_numbered(decision) if n.paragraph is paragraph), None)
        notes = []
        if entry.section not in had:
            notes.append("section added")
        if command.result.replaced:
            notes.append(f"replacing {len(command.result.replaced)} untouched alternative"
                         f"{'s' if len(command.result.replaced) != 1 else ''}")
        partners = library.companions(entry)
        if partners:
            headings = ", ".join(f"“{decision.section(e.section).heading}” paragraph" for e in partners)
            notes.append(f"with its {headings}")
        extra = f" ({'; '.join(notes)})" if notes else ""
        self.library_picker.show_message(
            f"Inserted as paragraph {number} in “{decision.section(entry.section).heading}”{extra}.")
        return paragraph

    def gaps(self) -> list[Gap]:
        """What the decision still needs before it can go out (see ``core.decision.completeness``)."""
        return find_gaps(self._decision) if self._decision is not None else []

    def export_warning(self) -> str | None:
        """The warning an export should show, or None when nothing is left to write."""
        self.commit_pending()
        gaps = self.gaps()
        if not gaps:
            return None
        lines = [f"• {g.message}" for g in gaps[:WARNING_GAPS]]
        if len(gaps) > WARNING_GAPS:
            lines.append(f"• and {len(gaps) - WARNING_GAPS} more")
        return ("The decision is not finished:\n" + "\n".join(lines)
                + "\n\nIt will be exported as it is, placeholders and empty sections included.")

    def confirm_export(self, parent: QWidget | None = None,
                       answer: QMessageBox.StandardButton | None = None) -> bool:
        """Ask before exporting an unfinished decision; True when the export may go ahead.

        ``answer`` stands in for the user's click (tests, scripted runs).
        """
        warning = self.export_warning()
        if warning is None:
            return True
        if answer is None:
            answer = QMessageBox.question(parent or self, "Export an unfinished decision?",
                                          warning + " Export anyway?")
        return answer == QMessageBox.StandardButton.Yes

    def fill_placeholders(self, paragraph: Paragraph, values: dict[str, str] | None = None) -> bool:
        """Put values into a paragraph's placeholders, asking for them when ``values`` is None; undoable."""
        row = self.sections_view.paragraph_widget(paragraph)
        if self._decision is None or row is None:
            return False
        self.commit_pending()
        names = row.placeholders()
        if not names:
            return False
        if values is None:
            dialog = PlaceholderDialog(names, row.number, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        changes = filled_changes(paragraph, values)
        if not changes:
            return False
        self._push(EditParagraph(paragraph, changes, self._notify, f"Fill in paragraph {row.number}"))
        return True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Give the side panels their width once the real window width is known."""
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            left = max(self.splitter.widget(0).minimumWidth(), em(self, 38))
            right = max(self.library_picker.minimumWidth(), em(self, 54))
            centre = max(em(self, 40), self.splitter.width() - left - right)
            self.splitter.setSizes([left, centre, right])

    # --- undo plumbing ---------------------------------------------------------------------------

    def _push(self, command: QUndoCommand) -> None:
        if not self._applying:
            self._stack.push(command)

    def _notify(self, kind: str, target: object) -> None:
        """Called by every command after it changed the model: refresh that part, then tell the window."""
        decision = self._decision
        if decision is None:
            return
        self._applying = True
        try:
            if kind == HEADER:
                name = str(target)
                self.header_fields.set_value(name, getattr(decision.header, name))
                self.header_fields.set_error(name, None)
                self.sections_view.refresh_title()
                self.library_picker.set_header(decision.header)
            elif kind == PARAGRAPH and isinstance(target, Paragraph):
                self.sections_view.refresh_paragraph(target)
            elif kind == SUMMARY:
                self.sections_view.refresh_summary()
            elif kind == HEADING and isinstance(target, Section):
                self.sections_view.refresh_heading(target)
            elif kind == STRUCTURE:
                block = target if isinstance(target, Paragraph | Heading) else None
                self.sections_view.rebuild(block, self._focus_role)
                self._update_used_ids()
        finally:
            self._applying = False
            self._focus_role = "text"
        self._update_gaps()
        self._update_people()
        self.changed.emit()

    def _update_gaps(self) -> None:
        gaps = self.gaps()
        self.gaps_label.setVisible(bool(gaps))
        if gaps:
            self.gaps_label.setText("Still to write: " + summarise_gaps(gaps, limit=2))
            set_text_colour(self.gaps_label, warning_colour(self.palette()))

    def _update_used_ids(self) -> None:
        decision = self._decision
        ids = {p.source.id for p in decision.paragraphs() if p.source} if decision else set()
        self.library_picker.set_used_ids(ids)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Route Undo/Redo keys in the editor's fields to the decision's stack."""
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo)
            if undo or redo:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    if undo:
                        self.undo()
                    else:
                        self.redo()
                return True
        return super().eventFilter(watched, event)

    # --- slots for the parts -------------------------------------------------------------------

    @Slot(str)
    def _commit_header_field(self, name: str) -> None:
        decision = self._decision
        if decision is None or self._applying:
            return
        header = decision.header
        try:
            value, _ = with_field(header, name, self.header_fields.raw_value(name))
        except DecisionError as error:
            about = field_of(error) or name
            self.header_fields.set_error(about, user_message(error))
            return
        self.header_fields.set_error(name, None)
        old = getattr(header, name)
        if value == old:
            self.header_fields.set_value(name, value)  # show the normalised spelling
            return
        if name in ("outcome", "stage") and self._library is not None:
            # a new outcome or stage brings its own sections and stock wording (one undo step)
            library = self._library
            change = {name: value}
            command = ChangeStructure(decision, lambda: convert_decision(decision, library, **change), self._notify,
                                      f"Change {'outcome' if name == 'outcome' else 'stage'} to {value.value}",
                                      header_fields=(name,))
            self._push(command)
            self._note(f"{'Outcome' if name == 'outcome' else 'Stage'} changed to {value.value}: "
                       f"{command.result.describe()}")
            return
        self._push(SetHeaderField(header, name, old, value, self._notify))

    @Slot(object)
    def _commit_paragraph(self, row: ParagraphWidget) -> None:
        if self._decision is None or self._applying:
            return
        changes = row.changes()
        if changes:
            self._push(EditParagraph(row.paragraph, changes, self._notify, f"Edit paragraph {row.number}"))

    @Slot()
    def _commit_summary(self) -> None:
        editor = self.sections_view.summary_edit
        if self._decision is None or self._applying or editor is None:
            return
        text = editor.toPlainText()
        if text != self._decision.summary:
            self._push(SetSummary(self._decision, text, self._notify))

    @Slot(object, int, int)
    def _move_block(self, section: Section, old: int, new: int) -> None:
        if self._decision is None or not 0 <= new < len(section.blocks):
            return
        self.commit_pending()
        block = section.blocks[old]
        self._focus_role = "up" if new < old else "down"
        what = f"paragraph {self._number_of(block)}" if isinstance(block, Paragraph) else "sub-heading"
        self._push(MoveBlock(section, old, new, self._notify, f"Move {what} {self._focus_role}"))

    @Slot(object, int)
    def _remove_block(self, section: Section, index: int) -> None:
        if self._decision is None:
            return
        self.commit_pending()
        block = section.blocks[index]
        what = f"paragraph {self._number_of(block)}" if isinstance(block, Paragraph) else f"sub-heading “{block.text}”"
        self._push(RemoveBlock(section, index, self._notify, f"Remove {what}"))

    @Slot(object)
    def _add_own_paragraph(self, section: Section) -> None:
        self.add_paragraph(section.key)

    @Slot(object, str)
    def _choose_heading(self, section: Section, heading: str) -> None:
        if self._decision is not None and heading != section.heading:
            self.commit_pending()
            self._push(SetSectionHeading(section, heading, self._notify))

    @Slot(object)
    def _search_library_for(self, section: Section) -> None:
        picker = self.library_picker
        index = picker.section_filter.findData(section.key)
        if index >= 0:
            picker.section_filter.setCurrentIndex(index)
        picker.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        picker.search_edit.selectAll()

    @Slot(object, object)
    def _set_list_style(self, row: ParagraphWidget, style: ListStyle | None) -> None:
        """Give a paragraph an a), b) or bulleted list, switch its style, or take the list away."""
        if self._decision is None:
            return
        self.commit_pending()
        paragraph = row.paragraph
        if style is None:
            if paragraph.items:
                self._push(EditParagraph(paragraph, {"items": []}, self._notify,
                                         f"Remove list from paragraph {row.number}"))
            return
        changes: dict[str, object] = {"list_style": style}
        if not paragraph.items:
            changes["items"] = ["[[first item]];", "[[second item]]."]
        label = "lettered list" if style is ListStyle.LETTERS else "bulleted list"
        self._push(EditParagraph(paragraph, changes, self._notify, f"Make paragraph {row.number} a {label}"))

    @Slot(object)
    def _fill_row(self, row: ParagraphWidget) -> None:
        self.fill_placeholders(row.paragraph)

    @Slot(object, str)
    def _rename_subheading(self, heading: Heading, text: str) -> None:
        if self._decision is None or self._applying:
            return
        text = " ".join(text.split())
        if not text:
            self._notify(STRUCTURE, heading)   # an empty sub-heading is refused: show the old text again
            self._note("A sub-heading cannot be empty; remove it with ✕ instead.")
            return
        if text != heading.text:
            self._push(SetSubheadingText(heading, text, self._notify))

    def _note(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.show()
        self._status_timer.start()
        self.statusMessage.emit(text)

    @Slot(int)
    def _note_anonymised_paste(self, changes: int) -> None:
        text = f"Pasted text anonymised: {changes} change{'s' if changes != 1 else ''}"
        self.status_label.setText(text)
        self.status_label.show()
        self._status_timer.start()
        self.statusMessage.emit(text)

    def _revert_invalid_header_fields(self) -> bool:
        if self._decision is None:
            return False
        invalid = [name for name in self.header_fields.errors() if name in FIELDS]
        for name in invalid:
            self.header_fields.set_value(name, getattr(self._decision.header, name))
            self.header_fields.set_error(name, None)
        return bool(invalid)

    def _number_of(self, block: Block) -> int | None:
        if self._decision is None:
            return None
        return next((n.number for n in iter_numbered(self._decision) if n.paragraph is block), None)
