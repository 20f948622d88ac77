"""An export whose copy still holds an original name is refused, and fixing the mapping fixes it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desk_app.core.pipeline.publish import private_report_path

pytestmark = pytest.mark.slow

NOTES = ("Mrs Cheryl Laffey complained about the council's handling of her housing application.\n"
         "The Laffeys moved house in 2022 and asked for a review.\n")


def select(panel, text: str) -> None:
    plain = panel.view.toPlainText()
    start = plain.index(text)
    cursor = panel.view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(text), QTextCursor.MoveMode.KeepAnchor)
    panel.view.setTextCursor(cursor)


def test_leaky_export_is_refused_then_succeeds_once_the_name_is_added(window, tmp_path, qtbot, wait_review):
    notes = tmp_path / "case" / "notes.txt"
    notes.parent.mkdir()
    notes.write_text(NOTES, encoding="utf-8")
    window.open_paths([notes])
    review = wait_review(window)
    window.accept_all_action.trigger()
    assert "The Laffeys" in review.preview(0)            # the plural was not detected

    out = tmp_path / "export"
    out.mkdir()
    shown = len(window.errors_shown)
    window.export_to(out)
    qtbot.waitUntil(lambda: window.request is None and len(window.errors_shown) > shown, timeout=60_000)
    message = window.errors_shown[-1]
    assert message.startswith("Export refused: original names were found in 1 exported file (notes.txt)")
    assert "\n  notes.txt: line 2: 'Laffey' in “" in message and "The Laffeys moved house" in message
    assert "Add to person" in message and "export again" in message
    assert [(leak.file.name, leak.part, leak.where, leak.term) for leak in window.last_leaks] == [
        ("notes.txt", "text", "line 2", "Laffey")]
    assert list(out.iterdir()) == []                       # nothing left: not the copy, not the report
    assert window.last_export == []
    assert window.review is review and window.tabs.currentWidget() is window.review_panel
    from desk_app.gui.review.leaks import LeakDialog

    dialog = LeakDialog(window.last_leaks, window)       # what a user sees (tests do not block on exec)
    table = dialog.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(4)] == ["notes.txt", "text", "line 2", "Laffey"]
    dialog.close()

    # the reviewer selects the missed form and adds it to Mrs Laffey, as the advice says
    panel = window.review_panel
    person = next(p.index for p in review.people if "Cheryl Laffey" in p.names)
    panel.select_people([person])
    select(panel, "Laffeys")
    qtbot.mouseClick(panel.add_form_button, Qt.MouseButton.LeftButton)
    assert "Laffeys" in review.people[person].names
    window.accept_all_action.trigger()

    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]   # the report goes beside the folder
    copy = (out / "notes.txt").read_text(encoding="utf-8")
    assert "Laffey" not in copy and "Cheryl" not in copy and "Mrs X" in copy
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    assert report["files"] == [{"source": str(notes), "output": str(out / "notes.txt"), "error": None,
                                "leaks": [], "notes": []}]
    assert report["unreviewed"] == 0 and report["rejected"] == []
    assert any(r["original"] == "Laffeys" for r in report["replacements"])


def test_a_rejected_detection_keeps_its_text_without_refusing_the_export(window, tmp_path, qtbot, wait_review):
    notes = tmp_path / "notes.txt"
    notes.write_text("Mrs Cheryl Laffey complained. Mrs Laffey was upset.\n", encoding="utf-8")
    window.open_paths([notes])
    review = wait_review(window)
    second = next(o for o in review.occurrences if o.text == "Mrs Laffey")
    review.decide([second], "rejected")
    window.accept_all_action.trigger()
    out = tmp_path / "export"
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "Mrs X complained. Mrs Laffey was upset.\n"
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    assert report["rejected"] == [{"file": str(notes), "start": 30, "end": 40, "text": "Mrs Laffey"}]
