"""The workspace driven like a user would, offscreen, with the real pipeline."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desk_app.core.pipeline.publish import private_report_path

pytestmark = pytest.mark.slow
REAL = ("Priya", "Ramsden", "Oliver", "Daniel", "Karen", "Holloway", "Anil", "Mehta", "07700", "BD7 4RX")


def row_of(review, name):
    return next(p.index for p in review.people if name in p.names)


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs) + "\n".join(
        c.text for t in d.tables for r in t.rows for c in r.cells)


def test_open_review_rename_merge_undo_export(window, sample_copy, tmp_path, qtbot, wait_review):
    window.open_paths([sample_copy])
    review = wait_review(window)
    panel = window.review_panel
    assert panel.documents.count() == 3
    assert not window.export_action.isEnabled()          # nothing reviewed yet
    assert "57 detections to review" in window.unreviewed_label.text() or "to review" in window.unreviewed_label.text()

    window.accept_all_action.trigger()
    assert review.unreviewed() == []
    assert window.export_action.isEnabled()
    assert "every detection reviewed" in window.unreviewed_label.text()

    # rename through the table, as a double-click edit does
    oliver = row_of(review, "Oliver")
    index = panel.model.index(oliver, 1)
    assert panel.model.setData(index, "C")
    assert panel.model.data(index) == "C"

    # merge the GP and the officer (a user selects both rows and presses Merge)
    before = len(review.people)
    panel.select_people([row_of(review, "Anil Mehta"), row_of(review, "Rebecca Ashworth")])
    assert panel.merge_button.isEnabled()
    qtbot.mouseClick(panel.merge_button, Qt.MouseButton.LeftButton)
    assert len(review.people) == before - 1
    assert window.review_stack.count() == 3

    window.undo_action.trigger()                          # undo the merge
    assert len(review.people) == before
    assert panel.model.rowCount() == before
    assert window.redo_action.isEnabled()

    out = tmp_path / "export"
    out.mkdir()
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=30_000)
    names = sorted(p.name for p in window.last_export)
    assert names == ["case-notes.txt", "complaint-letter.txt", "council-response.docx",
                     "export - PRIVATE replacement report.json"]   # the report is beside the folder, not in it
    notes = (out / "case-notes.txt").read_text(encoding="utf-8")
    assert "her son,\nC (aged 9)" in notes and "Mrs X" in notes and "Mr X" in notes
    letter = (out / "complaint-letter.txt").read_text(encoding="utf-8")
    response = docx_text(out / "council-response.docx")
    with zipfile.ZipFile(out / "council-response.docx") as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    for real in REAL:
        assert real not in notes and real not in letter and real not in response and real not in xml, real
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    assert report["unreviewed"] == 0
    assert any(r["original"] == "Oliver" and r["replacement"] == "C" for r in report["replacements"])
    # sources untouched
    assert "Oliver" in (sample_copy / "case-notes.txt").read_text(encoding="utf-8")


def test_sample_case_comes_with_a_draft_decision_exported_to_word(window, tmp_path, qtbot, wait_review):
    window.sample_action.trigger()
    wait_review(window)
    decision = window.decision_editor.decision()
    assert decision is not None and decision.header.reference == "24 011 873"
    texts = [p.text for p in decision.paragraphs()]
    assert any("Mrs X complains" in t for t in texts)
    assert not any("Ramsden" in t or "Oliver" in t for t in texts)
    window.accept_all_action.trigger()
    out = tmp_path / "out"
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=30_000)
    word = out / "decision-24011873.docx"
    assert word in window.last_export
    text = docx_text(word)
    assert "Harrowfield Metropolitan Borough Council" in text and "Mrs X complains" in text


def test_f8_steps_through_unreviewed_and_keys_decide(window, sample_copy, qtbot, wait_review):
    window.open_paths([sample_copy / "case-notes.txt"])
    review = wait_review(window)
    total = len(review.unreviewed())
    qtbot.keyClick(window, Qt.Key.Key_F8)
    first = window.review_panel.current
    assert first is not None and first == review.unreviewed()[0]
    assert window.review_panel.view.textCursor().selectedText() == first.text
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)   # accept, go to the next
    assert len(review.unreviewed()) == total - 1
    second = window.review_panel.current
    assert second is not None and second.key > first.key
    qtbot.keyClick(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)   # reject it
    assert review.decision(second) == "rejected"
    assert second.text in review.preview(0)   # a rejected detection keeps its text
    qtbot.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    # nothing unreviewed before it any more: Shift+F8 wraps round to the last one
    assert window.review_panel.current == review.unreviewed()[-1]
    window.undo_action.trigger()
    assert review.decision(second) is None


def test_select_text_to_add_a_missed_name_and_preview(window, tmp_path, qtbot, wait_review):
    notes = tmp_path / "notes.txt"
    # nothing in the text says Will is a name (no kinship cue, no slot): the reviewer adds it
    notes.write_text("Mrs Jane Okafor complained about the care of the family.\n"
                     "Will had been offered a place. It will review the plan.\n", encoding="utf-8")
    window.open_paths([notes])
    review = wait_review(window)
    panel = window.review_panel
    text = panel.view.toPlainText()
    assert not any("Will" in p.names for p in review.people)
    start = text.index("Will had")
    cursor = panel.view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + 4, QTextCursor.MoveMode.KeepAnchor)
    panel.view.setTextCursor(cursor)
    qtbot.mouseClick(panel.add_name_button, Qt.MouseButton.LeftButton)
    assert any("Will" in p.names for p in review.people)
    panel.preview_box.setChecked(True)
    shown = panel.view.toPlainText()
    assert "Will" not in shown and "It will review" in shown and "Okafor" not in shown
    window.undo_action.trigger()
    assert "Will" in panel.view.toPlainText()


def test_a_bad_file_is_named_and_the_others_still_open(window, sample_copy, qtbot, wait_review):
    bad = sample_copy / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    window.open_paths([sample_copy])
    review = wait_review(window)
    assert len(review.documents) == 3
    assert any(m.startswith("scan.pdf: ") for e in window.errors_shown for m in e.split("\n"))


def test_cancel_stops_analysis(window, sample_copy, qtbot):
    big = sample_copy / "long.txt"
    big.write_text(((sample_copy / "case-notes.txt").read_text(encoding="utf-8") + "\n") * 20, encoding="utf-8")
    window.open_paths([big])
    assert window.request is not None
    assert not window.progress.isVisible()                     # quick work never flashes a bar
    qtbot.waitUntil(lambda: window.progress.isVisible() and window.cancel_button.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=10_000)   # it counts paragraphs
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.request is None, timeout=30_000)
    assert window.review is None


def test_save_reopen_and_changed_source(make_window, sample_copy, tmp_path, qtbot, wait_review):
    w = make_window()
    w.open_paths([sample_copy])
    review = wait_review(w)
    w.accept_all_action.trigger()
    w.review_panel.rename(row_of(review, "Oliver"), "D")
    assert w.isWindowModified()
    case = tmp_path / "ramsden.deskcase"
    assert w.save_to(case)
    assert not w.isWindowModified()
    data = json.loads(case.read_text(encoding="utf-8"))
    assert data["format"] == "decision-desk-case" and len(data["sources"]) == 3
    assert "Oliver" not in json.dumps(data["decision"] or {})

    again = make_window()
    again.open_paths([case])
    r2 = wait_review(again)
    assert r2.unreviewed() == []
    assert r2.people[row_of(r2, "Oliver")].pseudonym == "D"

    notes = sample_copy / "case-notes.txt"
    notes.write_text("Late note: Mrs Ramsden phoned about Oliver again.\n" + notes.read_text(encoding="utf-8"),
                     encoding="utf-8")
    third = make_window()
    third.open_paths([case])
    r3 = wait_review(third)
    assert any("case-notes.txt has changed" in e for e in third.errors_shown)
    i = next(i for i, d in enumerate(r3.documents) if d.path.name == "case-notes.txt")
    assert "Late note: Mrs X phoned about D again." in r3.preview(i)
    assert r3.unreviewed() and all(o.doc == i for o in r3.unreviewed())   # only the changed file needs review


def test_every_icon_button_has_an_accessible_name_and_shortcuts_exist(window, wait_review, sample_copy):
    from PySide6.QtWidgets import QAbstractButton

    window.open_paths([sample_copy])
    wait_review(window)
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and not button.text().strip():
            assert button.accessibleName(), button
    shortcuts = {a.shortcut().toString() for a in window.actions()} | {
        s.toString() for a in window.actions() for s in a.shortcuts()}
    for key in ("Ctrl+O", "Ctrl+S", "Ctrl+E", "Ctrl+Q", "F8", "Shift+F8"):
        assert key in shortcuts, key
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [s.toString() for s in window.redo_action.shortcuts()]


def test_drop_files_and_open_recent(window, sample_copy, qtbot, wait_review):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_copy / "case-notes.txt")),
                  QUrl.fromLocalFile(str(sample_copy / "council-response.docx"))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    review = wait_review(window)
    assert sorted(d.path.name for d in review.documents) == ["case-notes.txt", "council-response.docx"]

    window._fill_recent()
    entries = [a for a in window.recent_menu.actions() if a.toolTip().endswith("council-response.docx")]
    assert entries
    window.review = None
    entries[0].trigger()
    review = wait_review(window)
    assert [d.path.name for d in review.documents] == ["council-response.docx"]


def test_facts_pasted_into_the_decision_use_the_case_pseudonyms(window, qtbot, wait_review):
    from PySide6.QtWidgets import QApplication

    window.sample_action.trigger()
    wait_review(window)
    window.tabs.setCurrentIndex(1)
    editor = window.decision_editor
    paragraph = editor.add_paragraph("found")
    row = editor.sections_view.paragraph_widget(paragraph)
    QApplication.clipboard().setText(
        "On 3 April 2024 Mrs Priya Ramsden told Ms Karen Holloway that Oliver was anxious.")
    row.text_edit.setFocus()
    row.text_edit.paste()
    editor.commit_pending()
    assert paragraph.text == "On 3 April 2024 Mrs X told the social worker that B was anxious."
    window.undo_action.trigger()   # the Decision tab's own undo stack: first the pasted text
    assert paragraph.text == ""
    window.undo_action.trigger()   # then the new paragraph
    assert not any(p is paragraph for p in editor.decision().paragraphs())
    assert window.review_stack.count() == 0   # review undo is a separate stack
