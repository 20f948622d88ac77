"""Decision editor: header validation, library insertion, numbering, undo, anonymised paste, dialog."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from desk_app.core.decision.library import Library, load_library, new_decision
from desk_app.core.decision.model import Decision, Header, Heading, Outcome, Paragraph, Stage
from desk_app.core.decision.numbering import iter_numbered
from desk_app.gui.decision.editor import DecisionEditor, NewDecisionDialog, new_decision_dialog


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def kent_header(outcome: Outcome = Outcome.UPHELD, stage: Stage = Stage.DRAFT) -> Header:
    return Header(organisation="Kent County Council", reference="23 005 338", category="Adult care services",
                  sub_category="Assessment and care plan", outcome=outcome, decision_date="08 Mar 2024", stage=stage)


@pytest.fixture
def make_editor(qtbot, library):
    def make(decision: Decision | None = None) -> DecisionEditor:
        editor = DecisionEditor(QUndoStack(), library)
        qtbot.addWidget(editor)
        editor.set_decision(decision if decision is not None else new_decision(kent_header(), library=library))
        editor.resize(1280, 800)
        editor.show()
        return editor

    return make


@pytest.fixture
def editor(make_editor) -> DecisionEditor:
    return make_editor()


def numbers_match(editor: DecisionEditor) -> list[int]:
    """The numbers on screen, checked against the core's numbering and for running 1..N."""
    shown = editor.sections_view.shown_numbers()
    expected = [n.number for n in iter_numbered(editor.decision())]
    assert shown == expected
    assert shown == list(range(1, len(shown) + 1))
    rows = editor.sections_view.paragraph_widgets
    assert [w.paragraph for w in rows] == [n.paragraph for n in iter_numbered(editor.decision())]
    return shown


def type_into(qtbot, line_edit, text: str) -> None:
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def menu_action(menu, starts: str):
    """The menu's action whose text starts with ``starts`` (the user's click is ``trigger()``)."""
    actions = [a for a in menu.actions() if a.text().startswith(starts)]
    assert actions, [a.text() for a in menu.actions()]
    return actions[0]


def row_for(editor: DecisionEditor, paragraph: Paragraph):
    row = editor.sections_view.paragraph_widget(paragraph)
    assert row is not None
    return row


# --- header --------------------------------------------------------------------------------------


def test_invalid_reference_shows_error_and_leaves_model(qtbot, editor):
    fields = editor.header_fields
    type_into(qtbot, fields.reference, "23 5")
    assert editor.decision().header.reference == "23 005 338"
    assert editor.undo_stack().count() == 0
    assert not fields.error_label.isHidden()
    assert "Reference" in fields.error_label.text()
    assert "23 005 338" in fields.error_label.text()  # the example the core gives
    assert fields.reference.property("invalid") is True
    assert fields.labels["reference"].buddy() is fields.reference


def test_valid_reference_goes_to_model_and_undo_restores(qtbot, editor):
    fields = editor.header_fields
    type_into(qtbot, fields.reference, "23 5")
    with qtbot.waitSignal(editor.changed, timeout=1000):
        type_into(qtbot, fields.reference, "24 001 234")
    assert editor.decision().header.reference == "24 001 234"
    assert fields.error_label.isHidden() and fields.reference.property("invalid") is False
    assert editor.undo_stack().count() == 1
    assert "London" not in editor.sections_view.title_label.text()
    assert "24 001 234" in editor.sections_view.title_label.text()

    with qtbot.waitSignal(editor.changed, timeout=1000):
        editor.undo_stack().undo()
    assert editor.decision().header.reference == "23 005 338"
    assert fields.reference.text() == "23 005 338"
    editor.undo_stack().redo()
    assert editor.decision().header.reference == "24 001 234"


def test_ctrl_z_in_a_field_with_rejected_text_reverts_only_that_field(qtbot, editor):
    editor.add_paragraph("complaint", "Kept.")
    fields = editor.header_fields
    fields.reference.setFocus()
    fields.reference.selectAll()
    qtbot.keyClicks(fields.reference, "23 5")
    qtbot.keyClick(fields.reference, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fields.reference.text() == "23 005 338"
    assert fields.error_label.isHidden()
    assert editor.undo_stack().index() == 1  # the paragraph add was not undone
    qtbot.keyClick(fields.reference, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.decision().section("complaint").blocks == []


def test_category_is_normalised_and_bad_date_named(qtbot, editor):
    fields = editor.header_fields
    type_into(qtbot, fields.category.lineEdit(), "children's CARE  services")
    assert editor.decision().header.category == "Children's care services"
    assert fields.category.currentText() == "Children's care services"
    type_into(qtbot, fields.decision_date, "8 March 2024")
    assert editor.decision().header.decision_date == "08 Mar 2024"
    assert "Decision date" in fields.error_label.text()
    type_into(qtbot, fields.organisation, "   ")
    assert editor.decision().header.organisation == "Kent County Council"
    assert "Organisation" in fields.error_label.text()
    assert editor.undo_stack().count() == 1


def test_outcome_change_is_undoable_and_refilters_library(qtbot, editor, library):
    fields = editor.header_fields
    index = fields.outcome.findData(Outcome.NOT_UPHELD.value)
    fields.outcome.setCurrentIndex(index)
    fields.outcome.activated.emit(index)
    header = editor.decision().header
    assert header.outcome is Outcome.NOT_UPHELD and type(header.outcome) is Outcome
    assert ids(editor.library_picker.visible_entries()) == ids(library.applicable(header))
    editor.undo_stack().undo()
    assert editor.decision().header.outcome is Outcome.UPHELD
    assert fields.raw_value("outcome") is Outcome.UPHELD
    assert ids(editor.library_picker.visible_entries()) == ids(library.applicable(editor.decision().header))


# --- library insertion and numbering --------------------------------------------------------------


def ids(entries) -> list[str]:
    return [e.id for e in entries]


def test_insert_library_paragraph_renumbers_and_undo_removes(qtbot, editor, library):
    decision = editor.decision()
    before = numbers_match(editor)
    picker = editor.library_picker
    assert picker.select_entry("role.late")
    with qtbot.waitSignal(editor.changed, timeout=1000):
        qtbot.mouseClick(picker.insert_button, Qt.MouseButton.LeftButton)

    role = decision.section("role")
    inserted = role.blocks[-1]
    assert isinstance(inserted, Paragraph) and inserted.source.id == "role.late"
    after = numbers_match(editor)
    assert len(after) == len(before) + 1
    number = next(n.number for n in iter_numbered(decision) if n.paragraph is inserted)
    assert f"paragraph {number}" in picker.message_label.text()
    assert row_for(editor, inserted).badge.text() == "library"
    assert "in decision" in picker.model.data(picker.proxy.mapToSource(picker.list_view.currentIndex()))

    editor.undo_stack().undo()
    assert all(p is not inserted for p in decision.paragraphs())
    assert numbers_match(editor) == before


def test_insert_adds_subheadings_and_missing_section(make_editor, library):
    decision = new_decision(kent_header(), library=library)
    decision.sections = [s for s in decision.sections if s.key != "found"]
    editor = make_editor(decision)
    entry = library.get("law.child-protection.s47-duty.2022")
    paragraph = editor.insert_entry(entry)
    assert paragraph is not None
    keys = [s.key for s in decision.sections]
    assert keys.index("found") == keys.index("considered") + 1  # the template's place
    found = decision.section("found")
    assert [type(b) for b in found.blocks] == [Heading, Heading, Paragraph]
    assert [(b.text, b.level) for b in found.blocks[:2]] == [(entry.subheadings[0], 2), (entry.subheadings[1], 3)]
    numbers_match(editor)
    # a second entry under the same sub-headings does not repeat them
    editor.insert_entry(library.get("law.child-protection.act-decisively"))
    assert [type(b) for b in found.blocks] == [Heading, Heading, Paragraph, Paragraph]

    editor.undo_stack().undo()
    editor.undo_stack().undo()
    assert not decision.has_section("found")
    numbers_match(editor)


def test_insert_into_section_the_template_lacks_is_refused(make_editor, library):
    decision = new_decision(kent_header(Outcome.CLOSED), library=library)
    editor = make_editor(decision)
    count = sum(1 for _ in decision.paragraphs())
    assert editor.insert_entry(library.get("law.child-protection.icpc")) is None
    assert sum(1 for _ in decision.paragraphs()) == count
    assert editor.undo_stack().count() == 0
    assert "What I found" in editor.library_picker.message_label.text()


# --- paragraph editing --------------------------------------------------------------------------------


def test_paragraph_edit_commits_after_idle_and_undo_restores(qtbot, editor):
    decision = editor.decision()
    paragraph = decision.section("role").paragraphs[0]
    original = paragraph.text
    assert paragraph.source is not None and not paragraph.edited
    row = row_for(editor, paragraph)
    row.text_edit.setPlainText(original + " Extra sentence.")
    assert paragraph.text == original  # not per keystroke
    with qtbot.waitSignal(editor.changed, timeout=3000):
        pass
    assert paragraph.text == original + " Extra sentence."
    assert paragraph.edited
    assert row.badge.text() == "edited"

    editor.undo_stack().undo()
    assert paragraph.text == original and not paragraph.edited
    row = row_for(editor, paragraph)
    assert row.text_edit.toPlainText() == original
    assert row.badge.text() == "library"


def test_ctrl_z_in_paragraph_commits_then_undoes(qtbot, editor):
    paragraph = editor.decision().section("role").paragraphs[0]
    original = paragraph.text
    row = row_for(editor, paragraph)
    row.text_edit.setFocus()
    row.text_edit.moveCursor(row.text_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(row.text_edit, " More")
    editor.commit_pending()
    assert paragraph.text == original + " More"
    qtbot.keyClicks(row.text_edit, " again")
    qtbot.keyClick(row.text_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert paragraph.text == original + " More"
    assert row_for(editor, paragraph).text_edit.toPlainText() == original + " More"
    qtbot.keyClick(row.text_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert paragraph.text == original


def test_list_items_and_citation_edit_through_paragraph_edit(qtbot, editor):
    paragraph = next(p for p in editor.decision().paragraphs() if p.items)
    row = row_for(editor, paragraph)
    assert row.items_edit is not None
    row.items_edit.setPlainText("first;\n\nsecond.")
    editor.commit_pending()
    assert paragraph.items == ["first;", "second."] and paragraph.edited
    cited = next(p for p in editor.decision().paragraphs() if p.citation and not p.items)
    cited_row = row_for(editor, cited)
    type_into(qtbot, cited_row.citation_edit, "(Local Government Act 1974, section 26B, as amended)")
    assert cited.citation == "(Local Government Act 1974, section 26B, as amended)"
    editor.undo_stack().undo()
    editor.undo_stack().undo()
    assert not paragraph.edited and paragraph.items != ["first;", "second."]


def test_summary_edit_is_undoable(qtbot, editor):
    editor.sections_view.summary_edit.setPlainText("We found fault.")
    editor.commit_pending()
    assert editor.decision().summary == "We found fault."
    editor.undo_stack().undo()
    assert editor.decision().summary == ""
    assert editor.sections_view.summary_edit.toPlainText() == ""


def test_heading_choice_is_undoable(editor):
    analysis = editor.decision().section("analysis")
    combo = editor.sections_view.section_heading_widgets[id(analysis)]
    index = combo.findText("Conclusions")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert analysis.heading == "Conclusions"
    editor.undo_stack().undo()
    assert analysis.heading == "Analysis" and combo.currentText() == "Analysis"


# --- structure: add, move, remove -----------------------------------------------------------------


def test_add_move_remove_renumber_and_undo(qtbot, editor):
    decision = editor.decision()
    complaint = decision.section("complaint")
    view = editor.sections_view
    assert view.add_buttons["complaint"].menu() is view.add_menus["complaint"]
    with qtbot.waitSignal(editor.changed, timeout=1000):
        menu_action(view.add_menus["complaint"], "Blank paragraph").trigger()
    first = complaint.blocks[0]
    assert first.text == "" and first.source is None
    row_for(editor, first).text_edit.setPlainText("Mrs X complains the Council failed to assess her.")
    second = editor.add_paragraph("complaint", "She says this caused distress.")
    assert first.text.startswith("Mrs X")  # pending typing was committed before the add
    original = numbers_match(editor)
    assert row_for(editor, first).number == 1 and row_for(editor, second).number == 2
    assert not row_for(editor, first).up_button.isEnabled()

    qtbot.mouseClick(row_for(editor, first).down_button, Qt.MouseButton.LeftButton)
    assert complaint.blocks == [second, first]
    numbers_match(editor)
    assert row_for(editor, second).number == 1 and row_for(editor, first).number == 2

    qtbot.mouseClick(row_for(editor, first).up_button, Qt.MouseButton.LeftButton)
    assert complaint.blocks == [first, second]

    qtbot.mouseClick(row_for(editor, first).remove_button, Qt.MouseButton.LeftButton)
    assert complaint.blocks == [second]
    assert len(numbers_match(editor)) == len(original) - 1
    assert row_for(editor, second).remove_button.accessibleName() == "Remove paragraph 1"

    stack = editor.undo_stack()
    stack.undo()  # remove
    assert complaint.blocks == [first, second]
    stack.undo()  # up
    stack.undo()  # down
    assert complaint.blocks == [first, second]
    numbers_match(editor)
    while stack.canUndo():
        stack.undo()
    assert complaint.blocks == []
    numbers_match(editor)


def test_buttons_have_accessible_names_and_tooltips(editor):
    for row in editor.sections_view.paragraph_widgets:
        for button in (row.up_button, row.down_button, row.remove_button):
            assert button.accessibleName() and button.toolTip()
            assert str(row.number) in button.accessibleName()


# --- paste ------------------------------------------------------------------------------------------


def paste_into(text_edit, text: str) -> None:
    # setText, not setMimeData: a QMimeData made in Python and handed to the clipboard is
    # deleted twice when the application exits (a PySide6 ownership trap that segfaults)
    QApplication.clipboard().setText(text)
    text_edit.setFocus()
    text_edit.paste()


def test_paste_is_anonymised_when_an_anonymiser_is_set(qtbot, editor):
    editor.set_anonymiser(lambda s: s.replace("Cheryl Laffey", "Mrs X"))
    editor.add_paragraph("complaint")
    paragraph = editor.decision().section("complaint").paragraphs[0]
    row = row_for(editor, paragraph)
    with qtbot.waitSignal(editor.statusMessage, timeout=1000) as message:
        paste_into(row.text_edit, "Cheryl Laffey complains that the Council did not assess Cheryl Laffey's needs.")
    assert row.text_edit.toPlainText() == "Mrs X complains that the Council did not assess Mrs X's needs."
    assert message.args == ["Pasted text anonymised: 2 changes"]
    assert editor.status_label.text() == "Pasted text anonymised: 2 changes"
    editor.commit_pending()
    assert "Cheryl" not in paragraph.text

    paste_into(editor.sections_view.summary_edit, "Cheryl Laffey complained.")
    assert editor.sections_view.summary_edit.toPlainText() == "Mrs X complained."


def test_paste_without_anonymiser_is_plain_text(editor):
    editor.add_paragraph("complaint")
    row = row_for(editor, editor.decision().section("complaint").paragraphs[0])
    mime = QMimeData()
    mime.setHtml("<b>Cheryl Laffey</b> complains")
    mime.setText("Cheryl Laffey complains")
    row.text_edit.insertFromMimeData(mime)   # what paste() does, without handing mime to the clipboard
    assert row.text_edit.toPlainText() == "Cheryl Laffey complains"
    assert "font-weight:700" not in row.text_edit.toHtml()  # the HTML flavour (bold) was ignored


def test_anonymiser_survives_rebuilds(editor):
    editor.set_anonymiser(str.upper)
    editor.add_paragraph("complaint", "x")
    assert all(e.anonymiser is str.upper for e in editor.sections_view.text_editors())


# --- library picker filters ---------------------------------------------------------------------------


def test_picker_defaults_to_applicable_entries(editor, library):
    picker = editor.library_picker
    header = editor.decision().header
    assert ids(picker.visible_entries()) == ids(library.applicable(header))
    assert picker.count_label.text().startswith(f"{len(library.applicable(header))} of ")


@pytest.mark.parametrize(("combo_name", "value", "change"), [
    ("outcome_filter", Outcome.CLOSED, {"outcome": Outcome.CLOSED}),
    ("stage_filter", Stage.FINAL, {"stage": Stage.FINAL}),
    ("category_filter", "Children's care services", {"category": "Children's care services", "sub_category": ""}),
])
def test_picker_filters_ask_the_library(editor, library, combo_name, value, change):
    picker = editor.library_picker
    combo = getattr(picker, combo_name)
    before = ids(picker.visible_entries())
    combo.setCurrentIndex(combo.findData(getattr(value, "value", value)))
    expected = ids(library.applicable(dataclasses.replace(editor.decision().header, **change)))
    assert ids(picker.visible_entries()) == expected
    assert expected != before


def test_picker_show_all_section_and_search(editor, library):
    picker = editor.library_picker
    picker.show_all.setChecked(True)
    everything = [e for e in library.entries if e.section != "sign_off"]
    assert ids(picker.visible_entries()) == ids(everything)
    assert not picker.outcome_filter.isEnabled()

    picker.section_filter.setCurrentIndex(picker.section_filter.findData("found"))
    assert ids(picker.visible_entries()) == ids(e for e in everything if e.section == "found")
    picker.section_filter.setCurrentIndex(0)

    picker.search_edit.setText("tribunal  APPEAL")
    found = picker.visible_entries()
    assert found and len(found) < len(everything)
    for entry in found:
        blob = " ".join((entry.id, entry.title, entry.text, *entry.items)).casefold()
        assert "tribunal" in blob and "appeal" in blob
    picker.search_edit.clear()
    picker.show_all.setChecked(False)
    assert ids(picker.visible_entries()) == ids(library.applicable(editor.decision().header))


def test_picker_preview_shows_wording(editor, library):
    picker = editor.library_picker
    picker.show_all.setChecked(True)
    assert picker.select_entry("role.opening.assessment-tests")
    entry = library.get("role.opening.assessment-tests")
    preview = picker.preview.toPlainText()
    assert preview.startswith(entry.text) and entry.items[0] in preview and "•" in preview


# --- signals, no decision ------------------------------------------------------------------------------


def test_changed_emitted_for_every_modification(qtbot, editor, library):
    seen: list[int] = []
    editor.changed.connect(lambda: seen.append(1))
    editor.add_paragraph("complaint", "One.")
    editor.insert_entry(library.get("role.late"))
    type_into(qtbot, editor.header_fields.sub_category, "Charging")
    editor.undo_stack().undo()
    editor.undo_stack().redo()
    assert len(seen) == 5
    assert editor.decision().header.sub_category == "Charging"


def test_set_decision_none_and_switch_clears_stack(editor, library):
    editor.add_paragraph("complaint", "One.")
    assert editor.undo_stack().count() == 1
    editor.set_decision(None)
    assert editor.decision() is None
    assert editor.undo_stack().count() == 0
    assert editor.sections_view.paragraph_widgets == []
    assert not editor.header_fields.isEnabled()
    assert not editor.library_picker.insert_button.isEnabled()
    editor.set_decision(new_decision(kent_header(Outcome.CLOSED), library=library))
    numbers_match(editor)


# --- new decision dialog ---------------------------------------------------------------------------


def fill_dialog(dialog: NewDecisionDialog, reference: str = "23 005 338") -> None:
    fields = dialog.fields
    fields.organisation.setText("Kent County Council")
    fields.reference.setText(reference)
    fields.category.setEditText("adult care services")
    fields.sub_category.setText("Assessment and care plan")
    fields.outcome.setCurrentIndex(fields.outcome.findData(Outcome.NOT_UPHELD.value))
    fields.decision_date.setText("08 Mar 2024")
    fields.stage.setCurrentIndex(fields.stage.findData(Stage.FINAL.value))


def test_new_decision_dialog_builds_a_decision(qtbot, library):
    dialog = NewDecisionDialog(None, library)
    qtbot.addWidget(dialog)
    fill_dialog(dialog)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    decision = dialog.decision()
    assert decision is not None
    assert decision.header == Header("Kent County Council", "23 005 338", "Adult care services",
                                     "Assessment and care plan", Outcome.NOT_UPHELD, "08 Mar 2024", Stage.FINAL)
    assert decision.to_dict() == new_decision(decision.header, library=library).to_dict()


def test_new_decision_dialog_refuses_invalid_input(qtbot, library):
    dialog = NewDecisionDialog(None, library)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_dialog(dialog, reference="23-005-338")
    dialog.accept()
    assert dialog.decision() is None
    assert dialog.isVisible()
    assert "Reference" in dialog.fields.error_label.text()
    assert dialog.fields.reference.property("invalid") is True
    dialog.fields.reference.setText("23 005 338")
    dialog.fields.sub_category.setText("")
    dialog.accept()
    assert dialog.decision() is None
    assert "Sub-category" in dialog.fields.error_label.text()
    assert "Reference" not in dialog.fields.error_label.text()


def test_new_decision_dialog_function(qtbot, library):
    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewDecisionDialog)
        fill_dialog(dialog)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, drive)
    decision = new_decision_dialog(None, library)
    assert decision is not None and decision.header.reference == "23 005 338"

    def cancel() -> None:
        QApplication.activeModalWidget().reject()

    QTimer.singleShot(0, cancel)
    assert new_decision_dialog(None, library) is None


# --- closing sections: conversion, placeholders, add menu, lists, sub-headings (issue 15) -------------


def choose(fields, combo_name: str, value) -> None:
    combo = getattr(fields, combo_name)
    index = combo.findData(value.value)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def section_keys(decision: Decision) -> list[str]:
    return [s.key for s in decision.sections]


def test_outcome_switch_converts_the_template_in_one_undo_step(qtbot, editor, library):
    from desk_app.core.decision.text_export import render_text

    decision = editor.decision()
    mine = editor.add_paragraph("complaint", "Mrs X complains about her care charges.")
    found = editor.add_paragraph("found", "The Council sent the first invoice on 2 May.")
    upheld_text = render_text(decision)
    stack = editor.undo_stack()
    count = stack.count()

    with qtbot.waitSignal(editor.changed, timeout=1000):
        choose(editor.header_fields, "outcome", Outcome.CLOSED)
    assert stack.count() == count + 1                      # one step for the whole conversion
    assert stack.undoText() == "Change outcome to Closed after initial enquiries"
    assert decision.template == "assessment" and decision.header.outcome is Outcome.CLOSED
    assert "assessment" in section_keys(decision) and "action" not in section_keys(decision)
    assert any(p is mine for p in decision.section("complaint").paragraphs)
    assert any(p is found for p in decision.section("found").paragraphs)   # kept: the investigator's words
    assert decision.section("decision").paragraphs[0].text.startswith("We will not investigate")
    numbers_match(editor)
    assert editor.sections_view.add_buttons.keys() == set(section_keys(decision))
    assert "kept" in editor.status_label.text()

    stack.undo()
    assert render_text(decision) == upheld_text and decision.template == "investigation"
    assert editor.header_fields.raw_value("outcome") is Outcome.UPHELD
    numbers_match(editor)
    stack.redo()
    assert decision.header.outcome is Outcome.CLOSED
    choose(editor.header_fields, "outcome", Outcome.UPHELD)      # and back again: the same text
    assert render_text(decision) == upheld_text
    assert editor.header_fields.raw_value("outcome") is Outcome.UPHELD
    numbers_match(editor)


def test_stage_switch_swaps_draft_wording(qtbot, editor):
    decision = editor.decision()
    final_sentence = decision.section("decision").paragraphs[0]
    assert final_sentence.text.startswith("Based on current evidence")
    choose(editor.header_fields, "stage", Stage.FINAL)
    assert decision.section("decision").paragraphs[0].text.startswith("I have now completed my investigation")
    assert decision.section("considered").paragraphs[0].source.id == "considered.investigation.final"
    editor.undo_stack().undo()
    assert decision.section("decision").paragraphs == [final_sentence]


def test_choosing_an_assessment_reason_swaps_both_paragraphs_in_one_step(make_editor, library):
    editor = make_editor(new_decision(kent_header(Outcome.CLOSED), library=library))
    decision = editor.decision()
    before = [p.source.id for p in decision.paragraphs() if p.source]
    editor.library_picker.select_entry("assessment.late")
    editor.library_picker.insert_button.click()
    ids_now = [p.source.id for p in decision.paragraphs() if p.source]
    assert "assessment.late" in ids_now and "decision.closed.late" in ids_now
    assert "assessment.no-evidence-of-fault" not in ids_now
    assert "replacing 2 untouched alternatives" in editor.library_picker.message_label.text()
    assert "“Final decision” paragraph" in editor.library_picker.message_label.text()
    numbers_match(editor)
    editor.undo_stack().undo()
    assert [p.source.id for p in decision.paragraphs() if p.source] == before
    numbers_match(editor)


def test_add_paragraph_menu_offers_blank_library_and_search(qtbot, editor, library):
    decision = editor.decision()
    view = editor.sections_view
    menu = view.add_menus["action"]
    titles = [a.text() for a in menu.actions()]
    assert titles[0].startswith("Blank paragraph") and titles[-1] == "Search the library…"
    entry_actions = [a for a in menu.actions() if a.data()]
    offered = [a.data() for a in entry_actions]
    assert "action.payment.time-and-trouble" in offered
    assert all(library.get(i).section == "action" for i in offered)
    assert next(a for a in entry_actions if a.data() == "action.apology").text().startswith("✓ ")  # already in

    with qtbot.waitSignal(editor.changed, timeout=1000):
        next(a for a in entry_actions if a.data() == "action.payment.time-and-trouble").trigger()
    action = decision.section("action")
    assert action.paragraphs[-1].source.id == "action.payment.time-and-trouble"
    numbers_match(editor)

    menu_action(view.add_menus["analysis"], "Search the library").trigger()
    assert editor.library_picker.section_filter.currentData() == "analysis"
    assert {e.section for e in editor.library_picker.visible_entries()} == {"analysis"}


def test_own_paragraph_gets_citation_and_lists(qtbot, editor):
    from desk_app.core.decision.model import ListStyle
    from desk_app.core.decision.text_export import render_text

    decision = editor.decision()
    own = editor.add_paragraph("analysis", "The Council did not follow its own charging policy.")
    row = row_for(editor, own)
    assert row.citation_edit is not None and not row.citation_edit.isVisible()
    row.citation_action.trigger()
    assert row.citation_edit.isVisible()
    type_into(qtbot, row.citation_edit, "(Care Act 2014, section 14)")
    assert own.citation == "(Care Act 2014, section 14)" and own.source is None

    row_for(editor, own).letters_action.trigger()
    assert own.list_style is ListStyle.LETTERS and len(own.items) == 2
    row = row_for(editor, own)
    assert row.items_edit is not None and row.fill_row.isVisibleTo(row)
    row.items_edit.setPlainText("it charged from the wrong date; and\nit did not explain the charge.")
    editor.commit_pending()
    text = render_text(decision)
    assert "    a) it charged from the wrong date; and" in text
    assert "    b) it did not explain the charge. (Care Act 2014, section 14)" in text

    row_for(editor, own).bullets_action.trigger()
    assert own.list_style is ListStyle.BULLETS
    assert "    • it did not explain the charge. (Care Act 2014, section 14)" in render_text(decision)
    row_for(editor, own).no_list_action.trigger()
    assert own.items == [] and own.list_style is None
    assert "charging policy. (Care Act 2014, section 14)" in render_text(decision)
    for _ in range(2):
        editor.undo_stack().undo()
    assert own.list_style is ListStyle.LETTERS and own.items[0].startswith("it charged")
    row = row_for(editor, own)       # the list field is back, showing the restored items
    assert row.items_edit is not None and row.items_edit.toPlainText().startswith("it charged")
    editor.undo_stack().undo()       # the items typed
    editor.undo_stack().undo()       # the list itself
    assert own.items == [] and row_for(editor, own).items_edit is None
    editor.commit_pending()
    assert own.items == []


def test_subheadings_are_editable_and_undoable(qtbot, make_editor, library):
    header = dataclasses.replace(kent_header(), category="Children's care services", sub_category="Child protection")
    editor = make_editor(new_decision(header, library=library))
    heading = next(b for b in editor.decision().section("found").blocks if isinstance(b, Heading))
    widget = next(w for w in editor.sections_view.heading_widgets if w.heading is heading)
    assert widget.text_edit.accessibleName() == f"Sub-heading {heading.text}"
    type_into(qtbot, widget.text_edit, "Law and guidance")
    assert heading.text == "Law and guidance"
    assert editor.undo_stack().undoText() == "Rename sub-heading “Duty to investigate”"
    widget = next(w for w in editor.sections_view.heading_widgets if w.heading is heading)
    type_into(qtbot, widget.text_edit, "   ")
    assert heading.text == "Law and guidance" and "cannot be empty" in editor.status_label.text()
    editor.undo_stack().undo()
    assert heading.text == "Duty to investigate"
    widget = next(w for w in editor.sections_view.heading_widgets if w.heading is heading)
    assert widget.text_edit.text() == "Duty to investigate"


def test_placeholders_are_marked_and_filled_through_the_dialog(qtbot, editor):
    from desk_app.gui.decision.editor import PlaceholderDialog

    decision = editor.decision()
    payment = next(p for p in decision.paragraphs() if p.source and p.source.id == "action.payment.distress")
    row = row_for(editor, payment)
    assert row.fill_row.isVisibleTo(row)
    assert row.fill_label.text() == "To fill in: complainant, £ amount"
    assert "placeholder" in editor.gaps_label.text() and editor.gaps_label.isVisibleTo(editor)
    before = len([g for g in editor.gaps() if g.kind == "placeholder"])

    def answer() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PlaceholderDialog) and w.isVisible())
        assert list(dialog.fields) == ["complainant", "£ amount"]
        dialog.fields["complainant"].setText("Mrs X")
        dialog.fields["£ amount"].setText("£300")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)
    row.fill_button.click()
    assert payment.text.startswith("Within one month of the final decision, the Council will pay Mrs X £300")
    assert payment.edited and not row_for(editor, payment).fill_row.isVisibleTo(row_for(editor, payment))
    assert len([g for g in editor.gaps() if g.kind == "placeholder"]) == before - 2
    assert row_for(editor, payment).badge.text() == "edited"
    editor.undo_stack().undo()
    assert "[[£ amount]]" in payment.text and not payment.edited


def test_export_warns_while_gaps_remain(editor):
    from PySide6.QtWidgets import QMessageBox

    warning = editor.export_warning()
    assert warning is not None and "the Summary is empty" in warning and "[[£ amount]]" in warning
    assert editor.confirm_export(answer=QMessageBox.StandardButton.No) is False
    assert editor.confirm_export(answer=QMessageBox.StandardButton.Yes) is True

    decision = editor.decision()
    decision.summary = "We found fault in how the Council charged Mrs X for her care."
    for section in decision.sections:
        if not section.paragraphs:
            section.add(Paragraph(f"Own words for {section.heading}."))
    values = {"complainant": "Mrs X", "£ amount": "£300", "the fault and the injustice it caused": "the delay",
              "the service improvement, e.g. review its procedure for …": "remind staff of the charging policy"}
    from desk_app.core.decision.completeness import filled_changes

    for para in decision.paragraphs():
        if filled_changes(para, values):
            para.edit(**filled_changes(para, values))
    editor.set_decision(decision)
    assert editor.gaps() == [] and editor.export_warning() is None and not editor.gaps_label.isVisibleTo(editor)
    assert editor.confirm_export(answer=QMessageBox.StandardButton.No) is True   # nothing to ask


def test_picker_search_uses_synonyms(editor):
    picker = editor.library_picker
    picker.show_all.setChecked(True)
    picker.search_edit.setText("apolog")
    assert "action.apology" in ids(picker.visible_entries())
    picker.search_edit.setText("apologise")
    with_synonym = ids(picker.visible_entries())
    picker.search_edit.setText("sorry")
    assert ids(picker.visible_entries()) == with_synonym
    picker.search_edit.setText("remedy")
    assert "action.payment.distress" in ids(picker.visible_entries())
    picker.search_edit.setText("delay")
    assert {"analysis.delay", "assessment.late"} <= set(ids(picker.visible_entries()))
