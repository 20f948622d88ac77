"""Export is safe by default (issue 14, items 3 to 6), driven as a user would, offscreen, on
the real sample case with the real pipeline: a value kept in one file and replaced in
another is marked and asked about by name; the export proposes a new empty folder that
holds only what may be published, with the private report beside it, and ends with a
summary; Accept All asks with the count, and the report tells it from a review; every
question that weakens the safety net defaults to No."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from desk_app.core.anonymise.review import ACCEPTED, REJECTED
from desk_app.core.pipeline.publish import private_report_path

pytestmark = pytest.mark.slow
PHONE = "07700 900123"
KEPT = (f"{PHONE} is kept in case-notes.txt and replaced in 2 other files "
        "(complaint-letter.pdf, council-response.docx)")


def answer_next_dialog(qtbot, how, seen: list):
    """Answer the next modal dialog as a user would: ``how(dialog)`` clicks or types."""
    def handle():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, handle)
            return
        seen.append(dialog)
        if isinstance(dialog, QMessageBox):
            seen.append(dialog.text() + "\n" + dialog.informativeText())
        how(dialog)
    QTimer.singleShot(0, handle)


def click(button):
    return lambda box: box.button(button).click()


def phone_in_notes(review):
    notes = next(i for i, d in enumerate(review.documents) if d.path.name == "case-notes.txt")
    return next(o for o in review.occurrences if o.doc == notes and o.text == PHONE)


def all_text(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` (and below), as text; a .docx as every XML part in it."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                out[path.name] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            out[path.name] = path.read_bytes().decode("utf-8", "replace")
    return out


def test_a_kept_identifier_is_marked_and_named_at_export(window, sample_copy, qtbot, wait_review):
    window.open_paths([sample_copy])
    review = wait_review(window)
    panel = window.review_panel
    phone = phone_in_notes(review)
    panel.go_to(phone)
    window.reject_action.trigger()                       # Ctrl+Delete on the phone number in case-notes.txt
    assert review.decision(phone) == REJECTED
    assert window.statusBar().currentMessage() == f"Rejected: {KEPT} (Ctrl+Z undoes)"   # not silent
    assert f"⚠ {KEPT}" in panel.warnings.text()

    panel.documents.setCurrentRow(phone.doc)
    window.preview_action.setChecked(True)               # the preview shows it kept, and marked
    (start, end, why), = panel.kept_marks
    assert why == KEPT and panel.view.toPlainText()[start:end] == PHONE
    assert "[phone number]" not in panel.view.toPlainText()[start:end]
    cursor = panel.view.textCursor()
    cursor.setPosition(start + 1)
    assert cursor.charFormat().underlineStyle() == cursor.charFormat().UnderlineStyle.WaveUnderline
    window.preview_action.setChecked(False)

    window.accept_all_action.trigger()
    window.ask = True                                    # from here the user answers
    seen: list = []
    answer_next_dialog(qtbot, click(QMessageBox.StandardButton.No), seen)
    assert window.export_dialog(False) is None           # No: back to the review, nothing written
    assert KEPT in seen[1]
    assert seen[0].defaultButton() is seen[0].button(QMessageBox.StandardButton.No)
    assert not [p for p in sample_copy.parent.iterdir() if p.name not in ("case", "user-data")]
    window.ask = False

    job = window.export_dialog(False)                    # answered yes (ask off): exported, and reported
    assert job is not None and KEPT in window.errors_shown
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    out = window.last_request.out_dir
    assert PHONE in (out / "case-notes.txt").read_text(encoding="utf-8")
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    (kept,) = report["kept_but_replaced"]
    assert kept["message"] == KEPT and kept["kept"][0]["file"] == str(sample_copy / "case-notes.txt")
    assert any(KEPT in line for line in window.last_summary.kept)


def test_the_publication_folder_holds_no_real_name_and_the_report_is_beside_it(window, sample_copy, tmp_path,
                                                                               qtbot, wait_review):
    window.open_paths([sample_copy], sample=True)        # with its draft decision, reference 24 011 873
    review = wait_review(window)
    window.accept_all_action.trigger()
    (tmp_path / "24 011 873 anonymised").mkdir()         # an earlier export: never reused
    assert window.export_dialog(False) is not None
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)

    out = tmp_path / "24 011 873 anonymised (2)"
    assert window.last_request.out_dir == out
    report_path = tmp_path / "24 011 873 anonymised (2) - PRIVATE replacement report.json"
    assert sorted(p.name for p in out.iterdir()) == ["case-notes.txt", "complaint-letter.txt",
                                                      "council-response.docx", "decision-24011873.docx"]
    assert report_path.is_file() and report_path.parent == tmp_path
    real = sorted({w for p in review.state.mapping.people for n in p.names for w in n.split() if len(w) > 2}
                  | {"07700", "BD7 4RX", "999 123 4578"})
    assert {"Priya", "Ramsden", "Oliver", "Holloway"} <= set(real)
    for name, text in all_text(out).items():   # every file, every part of every Word file
        assert not [r for r in real if r in text], name
    report = report_path.read_text(encoding="utf-8")
    assert "Priya Ramsden" in report and PHONE in report   # the report is the private record
    # the sources are untouched, and nothing was written among them
    assert sorted(p.name for p in sample_copy.iterdir()) == ["case-notes.txt", "complaint-letter.pdf",
                                                              "council-response.docx"]

    summary = window.last_summary
    assert summary.folder == out and summary.report == report_path
    assert [p.name for p in summary.files] == sorted(p.name for p in out.iterdir())
    assert summary.replacements == len(json.loads(report)["replacements"]) > 20
    lines = "\n".join(summary.lines())
    assert f"4 files written into {out}" in lines and str(report_path) in lines


def test_the_export_folder_is_never_a_source_folder_and_dismissing_the_picker_goes_back(window, sample_copy,
                                                                                       tmp_path, qtbot,
                                                                                       wait_review):
    from desk_app.gui.review.export_dialogs import ExportFolderDialog

    window.open_paths([sample_copy], sample=True)
    wait_review(window)
    window.accept_all_action.trigger()
    proposed = tmp_path / "24 011 873 anonymised"
    dialog = ExportFolderDialog(proposed, "24 011 873", window.sources, window._export_problem, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.folder() == proposed and not proposed.exists()
    assert "24 011 873 anonymised - PRIVATE replacement report.json" in dialog.report_label.text()

    seen: list = []
    answer_next_dialog(qtbot, lambda picker: picker.reject(), seen)   # Choose…, then dismiss the picker
    dialog.choose()
    assert isinstance(seen[0], QFileDialog) and dialog.isVisible() and dialog.folder() == proposed

    dialog.use(sample_copy)                              # the case's own folder: refused in the dialog
    assert "holds the case's own files" in dialog.message.text() and dialog.folder() == proposed
    dialog.path_edit.setText(str(sample_copy))           # typed in: Export does not take it either
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "holds the case's own files" in dialog.message.text()

    busy = tmp_path / "Publications"                     # a folder with files: a new folder inside it
    busy.mkdir()
    (busy / "other.txt").write_text("x", encoding="utf-8")
    dialog.use(busy)
    assert dialog.folder() == busy / "24 011 873 anonymised" and "not empty" in dialog.message.text()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert sorted(p.name for p in sample_copy.iterdir()) == ["case-notes.txt", "complaint-letter.pdf",
                                                              "council-response.docx"]


def test_save_case_does_not_propose_the_source_folder(window, sample_copy, tmp_path, qtbot, wait_review):
    window.open_paths([sample_copy], sample=True)
    wait_review(window)
    seen: list = []
    answer_next_dialog(qtbot, lambda picker: (seen.append(picker.selectedFiles()), picker.reject()), seen)
    assert window.save_as() is False                     # dismissed: nothing saved
    (proposed,) = seen[1]
    assert Path(proposed) == tmp_path / "24 011 873.deskcase"
    assert not Path(proposed).exists()


def test_accept_all_asks_with_the_count_and_the_report_tells_bulk_from_review(window, sample_copy, tmp_path, qtbot,
                                                                              wait_review):
    window.open_paths([sample_copy])
    review = wait_review(window)
    panel = window.review_panel
    oliver = next(p.index for p in review.people if "Oliver" in p.names)
    panel.select_people([oliver])
    panel.accept_selected_people()                       # one person's detections, by their row
    by_person = review.people[oliver].count
    panel.step(1)
    one = panel.current
    window.accept_action.trigger()                       # one detection, looked at
    assert review.decision(one) == ACCEPTED
    left = len(review.unreviewed())
    assert left > 20

    window.ask = True
    seen: list = []
    answer_next_dialog(qtbot, click(QMessageBox.StandardButton.No), seen)
    window.accept_all_action.trigger()
    assert seen[1].startswith(f"Accept all {left} outstanding detections?")
    assert "accepted in bulk" in seen[1]
    assert seen[0].defaultButton() is seen[0].button(QMessageBox.StandardButton.No)
    assert len(review.unreviewed()) == left              # No: nothing accepted

    answer_next_dialog(qtbot, click(QMessageBox.StandardButton.Yes), seen)
    window.accept_all_action.trigger()
    assert review.unreviewed() == []
    window.ask = False

    out = tmp_path / "out"
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    assert report["review"] == {"accepted_individually": 1, "accepted_by_person": by_person,
                                "accepted_in_bulk": left, "rejected": 0, "unreviewed": 0}
    assert report["unreviewed"] == 0

    window.undo_action.trigger()                         # undoing Accept All brings them all back
    assert len(review.unreviewed()) == left


def test_export_before_review_is_finished_defaults_to_no(window, sample_copy, tmp_path, qtbot, wait_review):
    window.open_paths([sample_copy], sample=True)
    review = wait_review(window)
    assert review.unreviewed() and window.export_anyway_action.isEnabled()
    window.ask = True
    seen: list = []
    answer_next_dialog(qtbot, lambda box: QTest.keyClick(box, Qt.Key.Key_Return), seen)   # Enter: the default
    window.export_anyway_action.trigger()
    assert seen[1].startswith(f"{len(review.unreviewed())} detections are not reviewed yet")
    assert window.request is None and window.last_export == []
    assert not [p for p in tmp_path.iterdir() if p.name not in ("case", "user-data")]   # no folder, no report


def test_export_summary_screenshot(window, sample_copy, tmp_path, qtbot, wait_review):
    """The summary dialog, as the README shows it (``python -m tests.helpers.screenshots`` retakes it)."""
    from desk_app.gui.review.export_dialogs import ExportSummaryDialog
    from tests.helpers.screenshots import save_shot

    window.open_paths([sample_copy], sample=True)
    review = wait_review(window)
    window.review_panel.go_to(phone_in_notes(review))
    window.reject_action.trigger()
    window.accept_all_action.trigger()
    window.export_dialog(False)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    dialog = ExportSummaryDialog(window.last_summary, window)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    text = dialog.text()
    assert "4 files written into" in text and "Kept as written:" in text and KEPT in text
    assert "PRIVATE replacement report.json" in text
    assert dialog.open_button.text() == "&Open Folder" and dialog.open_button.isEnabled()
    shown = dialog.body.text()
    assert "Publication folder" in shown and "PRIVATE replacement report" in shown and PHONE in shown
    path = save_shot(dialog.grab(), "export-summary.png", tmp_path)
    assert path.stat().st_size > 10_000


def test_the_whole_export_as_a_user_clicks_it(window, sample_copy, tmp_path, qtbot, wait_review):
    """Ctrl+E with every dialog shown and clicked: the proposed folder, Export, the summary."""
    from desk_app.gui.review.export_dialogs import ExportFolderDialog, ExportSummaryDialog

    window.open_paths([sample_copy], sample=True)
    wait_review(window)
    window.accept_all_action.trigger()
    window.ask = True
    seen: list = []

    def handle():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ExportSummaryDialog):
            seen.append(dialog.text())
            dialog.reject()                                  # Close
            return
        if isinstance(dialog, ExportFolderDialog):
            seen.append(dialog.folder())
            dialog.export_button.click()
        elif isinstance(dialog, QMessageBox):               # the unfinished-decision question, if asked
            seen.append(dialog.text())
            dialog.button(QMessageBox.StandardButton.Yes).click()
        QTimer.singleShot(20, handle)

    QTimer.singleShot(0, handle)
    window.export_action.trigger()
    qtbot.waitUntil(lambda: bool(seen) and isinstance(seen[-1], str) and "written into" in seen[-1],
                    timeout=60_000)
    window.ask = False
    out = tmp_path / "24 011 873 anonymised"
    assert out in seen
    assert sorted(p.name for p in out.iterdir()) == ["case-notes.txt", "complaint-letter.txt",
                                                      "council-response.docx", "decision-24011873.docx"]
    assert private_report_path(out).is_file()
    assert f"4 files written into {out}" in seen[-1]
