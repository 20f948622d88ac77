"""Split per occurrence (issue 14, item 9) in the window, offscreen, over the real pipeline: one
"Oliver" of a case with two people called Oliver is given to the neighbour through the Review
tab's dialog; the preview, undo/redo, the saved case and the export follow, and every other
"Oliver" stays the son's."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desk_app.core.pipeline.publish import private_report_path
from desk_app.gui.review.person_dialog import SplitOccurrenceDialog

pytestmark = pytest.mark.slow

NOTES = ("Mrs Jane Okafor complained about the care of her son, Oliver Okafor, aged 9.\n"
         "Their neighbour, Mr Oliver Grant, helped with the school run.\n"
         "Oliver was upset when the transport stopped.\n"
         "On 3 May Oliver phoned the council to complain on her behalf.\n"
         "The council said Oliver would get a place in September.\n")


def row_of(review, name):
    return next(p.index for p in review.people if name in p.names)


def answer_split(seen: dict, choose=None, name: str | None = None, title: str | None = None, cancel=False):
    """Answer the Split dialog as a user would: pick a person (or a new one, named), press Split."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SplitOccurrenceDialog)
    seen["people"] = [dialog.person_box.itemText(i) for i in range(dialog.person_box.count())]
    seen["name_enabled"] = dialog.name_edit.isEnabled()
    if cancel:
        dialog.reject()
        return
    dialog.choose(choose)
    if name is not None:
        dialog.name_edit.setText(name)
        dialog.title_box.setCurrentIndex(dialog.title_box.findData(title or ""))
    dialog.split_button.click()


def test_split_one_occurrence_in_the_review_tab(make_window, tmp_path, qtbot, wait_review):
    notes = tmp_path / "case" / "notes.txt"
    notes.parent.mkdir()
    notes.write_text(NOTES, encoding="utf-8")
    window = make_window()
    window.open_paths([notes])
    review = wait_review(window)
    panel = window.review_panel
    son, grant = row_of(review, "Oliver Okafor"), row_of(review, "Oliver Grant")
    b, c = review.people[son].pseudonym, review.people[grant].pseudonym
    phoned = next(o for o in review.occurrences if o.text == "Oliver" and NOTES[o.end:].startswith(" phoned"))
    assert not panel.split_one.isEnabled()              # nothing chosen yet
    panel.go_to(phoned)                                 # as a click on its highlight does
    assert panel.split_one.isEnabled()
    panel.preview_box.setChecked(True)
    assert f"On 3 May {b} phoned" in panel.view.toPlainText()

    window.ask = True                                   # the dialog is shown: cancel it first
    seen: dict = {}
    QTimer.singleShot(0, lambda: answer_split(seen, cancel=True))
    qtbot.mouseClick(panel.split_one, Qt.MouseButton.LeftButton)
    assert seen["people"] == [f"{p.pseudonym} — {p.display}" for p in review.people if p.index != son] + [
        "A new person…"]                                # the son himself is not offered
    assert window.review_stack.count() == 0 and review.state.moves == {}

    QTimer.singleShot(0, lambda: answer_split(seen, choose=grant))
    qtbot.mouseClick(panel.split_one, Qt.MouseButton.LeftButton)
    window.ask = False
    shown = panel.view.toPlainText()                    # the anonymised preview in the window
    assert f"On 3 May {c} phoned" in shown
    assert f"her son, {b}, aged 9" in shown and f"\n{b} was upset" in shown and f"said {b} would" in shown
    assert shown.count(c) == 2                          # Mr Grant himself, and this occurrence only
    assert window.review_stack.count() == 1 and window.isWindowModified()
    assert panel.current is not None and panel.current.key == phoned.key and panel.current.person == grant
    assert panel.selected_people() == [grant]
    assert f"→ {c}" in panel.occurrence_label.text()

    window.undo_action.trigger()
    assert f"On 3 May {b} phoned" in panel.view.toPlainText()
    window.redo_action.trigger()
    assert f"On 3 May {c} phoned" in panel.view.toPlainText()

    # a new person for another 'Oliver', named in the same dialog
    said = next(o for o in review.occurrences if o.text == "Oliver" and NOTES[:o.start].endswith("said "))
    panel.go_to(said)
    window.ask = True
    QTimer.singleShot(0, lambda: answer_split(seen, choose=None, name="Oliver Hughes", title="Mr"))
    qtbot.mouseClick(panel.split_one, Qt.MouseButton.LeftButton)
    window.ask = False
    hughes = review.people[row_of(review, "Oliver Hughes")]
    assert hughes.pseudonym.startswith("Mr ") and hughes.count == 1
    shown = panel.view.toPlainText()
    assert f"said {hughes.pseudonym} would" in shown and f"On 3 May {c} phoned" in shown
    assert f"\n{b} was upset" in shown
    assert window.review_stack.count() == 2

    # saved and opened again in a new window: both splits hold
    case = tmp_path / "okafor.deskcase"
    assert window.save_to(case)
    assert len(json.loads(case.read_text(encoding="utf-8"))["review"]["moves"]) == 2
    again = make_window()
    again.open_paths([case])
    r2 = wait_review(again)
    assert r2.preview(0) == review.preview(0)

    # and the export publishes exactly that
    window.accept_all_action.trigger()
    out = tmp_path / "export"
    out.mkdir()
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=30_000)
    written = (out / "notes.txt").read_text(encoding="utf-8")
    assert f"On 3 May {c} phoned" in written and f"said {hughes.pseudonym} would" in written
    assert "Oliver" not in written
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    by_start = {r["start"]: r for r in report["replacements"]}
    assert by_start[phoned.start]["replacement"] == c and by_start[said.start]["replacement"] == hughes.pseudonym
