"""The Review tab as an investigator uses it, offscreen over the real pipeline: a Word file
laid out as Word shows it with highlights on exactly the detected words, stepping through
one person, adding a person through its dialog, stable colours, and the smaller things
of issue 14 point 11 (the window on a 1366x768 laptop, Help, Ctrl+E in a text field...)."""

from __future__ import annotations

import docx
import pytest
from PySide6.QtCore import QEvent, QKeyCombination, QRect, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLineEdit, QPushButton

from desk_app.gui.review.person_dialog import NewPersonDialog
from desk_app.gui.theme import colour_slots, highlight_text_colour, identifier_colour, person_colour

pytestmark = pytest.mark.slow


def make_docx(path):
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Case officer: Margaret Thornbury"
    d.add_paragraph("Complaint about the care of Mr Gareth Pendleton.")
    for text in ("Mrs Alison Crabtree phoned the council.", "The council wrote back.", "Mr Pendleton complained."):
        d.add_paragraph(text, style="List Number")
    table = d.add_table(rows=2, cols=3)
    for (r, c), text in {(0, 0): "Visitor", (0, 1): "Job", (0, 2): "Phone", (1, 0): "Harriet Oyelaran",
                         (1, 1): "social worker", (1, 2): "07700 900123"}.items():
        table.cell(r, c).text = text
    d.add_paragraph("Harriet Oyelaran visited on 3 March 2023.")
    d.save(str(path))
    return path


def selected(view, start, end):
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def test_a_word_file_is_shown_laid_out_with_highlights_on_exactly_the_words(window, tmp_path, wait_review):
    window.open_paths([make_docx(tmp_path / "notes.docx")])
    review = wait_review(window)
    view = window.review_panel.view
    shown = view.toPlainText()
    # list numbers as printed, the header labelled (it follows the body in the file's text)
    assert "1. Mrs Alison Crabtree phoned" in shown and "3. Mr Pendleton complained." in shown
    assert "— Header —\nCase officer: Margaret Thornbury" in shown
    assert "1." not in review.documents[0].text   # display only: the text detection sees is unchanged

    occurrences = {o.text: o for o in review.occurrences_in(0)}
    for text in ("Harriet Oyelaran", "07700 900123", "Margaret Thornbury", "Mrs Alison Crabtree"):
        assert text in occurrences, text
    spans = {o.key: (s, e) for s, e, o in view._spans}
    for o in review.occurrences_in(0):
        start, end = spans[o.key]
        cursor = selected(view, start, end)
        assert cursor.selectedText() == o.text, o   # every highlight on exactly its words
        assert cursor.charFormat().background().color().isValid()

    # the table is a table: the cell's name sits in row 2, column 1, beside its phone number
    cell_occurrence = next(o for o in review.occurrences_in(0) if o.text == "Harriet Oyelaran"
                           and review.documents[0].paragraphs[review.documents[0].paragraph_at(o.start)].cell)
    start, end = spans[cell_occurrence.key]
    cursor = selected(view, start, start)
    table = cursor.currentTable()
    assert table is not None and (table.rows(), table.columns()) == (2, 3)
    cell = table.cellAt(cursor)
    assert (cell.row(), cell.column()) == (1, 0)
    phone = selected(view, *spans[occurrences["07700 900123"].key])
    assert phone.currentTable() is table and table.cellAt(phone).column() == 2
    view.select_occurrence(cell_occurrence)   # what F8 and a click do
    assert view.textCursor().selectedText() == "Harriet Oyelaran"
    header = occurrences["Margaret Thornbury"]
    view.select_occurrence(header)
    assert view.textCursor().selectedText() == "Margaret Thornbury"

    # the anonymised preview keeps the layout, with each replacement highlighted where it landed
    window.review_panel.preview_box.setChecked(True)
    preview = view.toPlainText()
    assert "1. Mrs " in preview and "Crabtree" not in preview and "— Header —" in preview
    for s, e, o in view._spans:
        assert selected(view, s, e).selectedText() == o.replacement, o
    assert view.occurrence_at(view._spans[0][0]) is view._spans[0][2]


def test_choosing_a_person_steps_through_their_occurrences(window, sample_copy, qtbot, wait_review):
    window.open_paths([sample_copy])
    review = wait_review(window)
    panel = window.review_panel
    oliver = next(p for p in review.people if "Oliver" in p.names)
    own = [o for o in review.occurrences if o.person == oliver.index]
    assert len(own) >= 3
    panel.table.selectRow(oliver.index)            # as a click on the row does
    assert panel.current == own[0]
    assert panel.view.textCursor().selectedText() == own[0].text
    assert f"1 of {len(own)} for {oliver.display}" in panel.occurrence_label.text()
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert panel.current == own[1]
    assert panel.documents.currentRow() == own[1].doc
    qtbot.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert panel.current == own[-1]                # wraps round within the person
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)   # accept: next of Oliver's
    assert review.decision(own[-1]) == "accepted" and panel.current == own[0]
    # a detection of someone else (a click on its highlight) goes back to the whole queue
    other = next(o for o in review.unreviewed() if o.person != oliver.index)
    panel.go_to(other)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert panel.current == next(o for o in review.unreviewed() if o.key > other.key)


def test_add_as_new_person_asks_for_the_name_and_title(window, tmp_path, qtbot, wait_review):
    notes = tmp_path / "notes.txt"
    # nothing in the text says Will is a name (no kinship cue, no slot): the reviewer adds him
    notes.write_text("Mrs Jane Okafor complained about the care of the family.\n"
                     "Will had been offered a place. It will review the plan.\n", encoding="utf-8")
    window.open_paths([notes])
    review = wait_review(window)
    panel = window.review_panel
    assert not any("Will" in p.names for p in review.people)
    start = panel.view.toPlainText().index("Will had")
    panel.view.setTextCursor(selected(panel.view, start, start + 4))
    window.ask = True   # this time the dialog is shown: answer it as a user would
    seen = {}

    def answer(title: str | None) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewPersonDialog)
        seen["values"] = dialog.values()
        if title is None:
            dialog.reject()
            return
        dialog.title_box.setCurrentIndex(dialog.title_box.findData(title))
        dialog.add_button.click()

    QTimer.singleShot(0, lambda: answer(None))
    qtbot.mouseClick(panel.add_name_button, Qt.MouseButton.LeftButton)
    assert seen["values"] == ("Will", None)
    assert not any("Will" in p.names for p in review.people)   # cancelled: nobody was created
    assert window.review_stack.count() == 0
    QTimer.singleShot(0, lambda: answer("Mr"))
    qtbot.mouseClick(panel.add_name_button, Qt.MouseButton.LeftButton)
    window.ask = False
    will = next(p for p in review.people if "Will" in p.names)
    assert will.pseudonym.startswith("Mr ")            # the title chosen in the dialog
    preview = review.preview(0)
    assert f"{will.pseudonym} had been offered" in preview and "It will review" in preview
    assert window.review_stack.count() == 1


def test_a_title_is_proposed_from_the_selection_or_just_before_it():
    from desk_app.gui.review.person_dialog import split_title

    assert split_title("Mrs Jane Okafor") == ("Jane Okafor", "Mrs")
    assert split_title("Okafor", "visited by Dr. ") == ("Okafor", "Dr")
    assert split_title("Will", "place. ") == ("Will", "")


def test_people_keep_their_colours_when_the_case_is_reopened(make_window, sample_copy, tmp_path, wait_review):
    first = make_window()
    first.open_paths([sample_copy])
    review = wait_review(first)
    model = first.review_panel.model
    colours = {row.display: model.data(model.index(i, 0), Qt.ItemDataRole.DecorationRole).name()
               for i, row in enumerate(model.rows)}
    assert len(set(colours.values())) == len(colours)   # nobody shares a colour while hues are left
    case = tmp_path / "case.deskcase"
    first.review_panel.merge([next(p.index for p in review.people if "Anil Mehta" in p.names),
                              next(p.index for p in review.people if "Rebecca Ashworth" in p.names)])
    merged = {row.display: model.data(model.index(i, 0), Qt.ItemDataRole.DecorationRole).name()
              for i, row in enumerate(model.rows)}
    assert first.save_to(case)
    again = make_window()
    again.open_paths([case])
    wait_review(again)
    model2 = again.review_panel.model
    reopened = {row.display: model2.data(model2.index(i, 0), Qt.ItemDataRole.DecorationRole).name()
                for i, row in enumerate(model2.rows)}
    assert reopened == merged
    assert all(merged[name] == colours[name] for name in merged if name in colours)   # a merge moved no one
    # the document's highlight is the row's colour
    view = again.review_panel.view
    s, e, o = next(span for span in view._spans if span[2].person is not None)
    name = again.review.people[o.person].display
    assert selected(view, s, e).charFormat().background().color().name() == reopened[name]


def test_colours_are_readable_on_both_themes():
    def luminance(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())

    for dark in (False, True):
        text = luminance(highlight_text_colour(dark))
        for background in [identifier_colour(dark)] + [person_colour(s, dark) for s in range(36)]:
            b = luminance(background)
            assert (max(text, b) + 0.05) / (min(text, b) + 0.05) >= 4.5, (dark, background.name())
    slots = colour_slots(["Oliver Ramsden", "Priya Ramsden", "Karen Holloway"])
    assert slots == colour_slots(["Karen Holloway", "Oliver Ramsden", "Priya Ramsden"])[1:] + \
        colour_slots(["Karen Holloway"])   # by name, not by place in the list
    assert len(set(colour_slots([f"person {i}" for i in range(30)]))) == 30


def test_certainty_replaces_the_score(window, sample_copy, wait_review):
    window.open_paths([sample_copy])
    wait_review(window)
    model = window.review_panel.model
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Score" not in header and "Certainty" in header
    column = header.index("Certainty")
    assert {model.data(model.index(r, column)) for r in range(model.rowCount())} <= {"high", "medium", "low"}
    assert "sure" in model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_the_detection_line_and_buttons_follow_the_case(window, sample_copy, qtbot, wait_review):
    panel = window.review_panel
    assert not panel.accept_one.isEnabled() and not panel.reject_one.isEnabled()   # no case
    assert not window.accept_action.isEnabled()
    window.open_paths([sample_copy])
    assert "Open a case" not in panel.occurrence_label.text()   # it is opening
    assert "Analysing 3 files" in panel.occurrence_label.text()
    review = wait_review(window)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert panel.current is not None and panel.accept_one.isEnabled()
    shown = panel.current
    other = next(i for i in range(len(review.documents)) if i != shown.doc)
    panel.documents.setCurrentRow(other)          # another document: its line is not the old detection
    assert panel.current is None and shown.text not in panel.occurrence_label.text()
    assert not panel.accept_one.isEnabled()


def scrolled(widget) -> bool:
    """Inside a scroll area: reached by scrolling, so off screen is not clipped."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def test_the_window_fits_a_1366_by_768_laptop(window, wait_review):
    from desk_app.gui.main_window import fitted_size

    window.sample_action.trigger()   # the sample case comes with a draft decision: both tabs full
    wait_review(window)
    assert window.decision_editor.decision() is not None
    free = QRect(0, 0, 1366, 728)   # a 1366x768 screen under its task bar
    size = fitted_size(free, 1360, 860)
    assert size.width() <= 1366 and size.height() <= 728 - 24   # and room for the title bar
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        hint = window.minimumSizeHint()
        assert hint.width() <= size.width() and hint.height() <= size.height(), (tab, hint)
    window.resize(size)
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        assert window.size() == size
        for button in window.tabs.widget(tab).findChildren(QPushButton):   # nothing clipped
            if button.isVisible() and not scrolled(button):
                assert button.width() >= button.minimumSizeHint().width(), (tab, button.text())
                top_left = button.mapTo(window, button.rect().topLeft())
                assert window.rect().contains(QRect(top_left, button.size())), (tab, button.text())


def test_help_has_shortcuts_and_how_it_works(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    titles = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert titles[:2] == ["Keyboard Shortcuts", "How Anonymisation Works"] and "About Decision Desk" in titles
    dialog = window.show_shortcuts()
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows["Edit ▸ Next Detection to Review"] == "F8" and rows["File ▸ Export"] == "Ctrl+E"
    dialog.close()
    how = window.show_how_it_works()
    text = how.browser.toPlainText()
    assert "Mrs X" in text and "[phone number]" in text and "nothing is ever sent over the network" in text
    how.close()


class LinuxLineEdit(QLineEdit):
    """A line edit with the X11 key bindings: there Ctrl+E is "end of line", so the field
    claims the key (accepts the shortcut override) and the window's shortcut never fires.
    The offscreen platform binds only End, so the test brings Linux's binding itself."""

    def event(self, event):
        if event.type() == QEvent.Type.ShortcutOverride and event.keyCombination() == QKeyCombination(
                Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_E):
            event.accept()
            return True
        return super().event(event)


def test_ctrl_e_exports_while_a_text_field_has_the_focus(window, sample_copy, qtbot, wait_review):
    window.open_paths([sample_copy / "case-notes.txt"])
    wait_review(window)
    window.tabs.setCurrentIndex(1)
    field = LinuxLineEdit(window.decision_editor)   # where the header's fields are
    field.show()
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=5_000)
    fired = []
    window.export_action.triggered.connect(lambda *_: fired.append(1))
    window.export_action.setEnabled(True)
    qtbot.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert fired == [1]
    field.setText("abc")
    field.setCursorPosition(0)
    qtbot.keyClick(field, Qt.Key.Key_End)
    assert field.cursorPosition() == 3   # End still ends the line


def test_compare_status_bar_keeps_its_texts_apart_and_the_readme_names_the_colour(qtbot):
    from pathlib import Path

    from desk_app.gui.compare.panes import colours
    from desk_app.gui.compare.window import CompareWindow

    repo = Path(__file__).parent.parent.parent
    window = CompareWindow(repo / "resources/sample_compare/draft-v1.txt", repo / "resources/sample_compare/draft-v2.txt")
    window.ask = False
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.comparison is not None and not window.busy, timeout=20_000)
    message, summary = window.statusBar().currentMessage(), window.summary_label.text()
    assert window.comparison.summary() in summary and window.comparison.summary() not in message
    assert window.summary_label.contentsMargins().left() >= 8   # a gap after whatever message is shown
    # the README names the colour the window draws moved paragraphs in
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "moved paragraphs are purple" in readme and "moved paragraphs are green" not in readme
    for dark in (False, True):
        assert 255 <= colours(dark).moved_bar.hslHue() <= 300   # purple
    window.close()


def test_a_new_window_opens_within_the_screen(qtbot, detector):
    from desk_app.gui.engine import Engine
    from desk_app.gui.main_window import MainWindow

    window = MainWindow(engine=Engine(detector=detector))
    window.ask = False
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    assert window.height() <= free.height() - 40   # was 860, taller than a 1366x768 laptop's screen
    window.close()
