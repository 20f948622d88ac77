"""The decision follows the review: renames reach the text and the Word export, a pseudonym of
no one stops the export and is shown where it is, names are underlined while typing, a leak
is named by its printed paragraph, and ``.decision.json`` drafts open in the window.

Everything runs in the real window, offscreen, on the real sample case and pipeline.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desk_app.core.decision import iter_numbered
from desk_app.core.decision.model import load_decision

pytestmark = pytest.mark.slow
FREE = "DEFGHJKLMNPQRSTUVWYZ"


def row_of(review, name):
    return next(p.index for p in review.people if name in p.names)


def texts(decision):
    return [decision.summary] + [t for p in decision.paragraphs() for t in (p.text, *p.items, p.citation)]


def word_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def number_of(decision, paragraph):
    return next(n.number for n in iter_numbered(decision) if n.paragraph is paragraph)


@pytest.fixture
def sample(window, wait_review):
    window.sample_action.trigger()
    review = wait_review(window)
    window.accept_all_action.trigger()
    return review


def unselect(edit) -> None:
    cursor = edit.textCursor()
    cursor.clearSelection()
    edit.setTextCursor(cursor)
    assert edit.textCursor().selectedText() == ""


def rename_oliver(window, review):
    """Rename Oliver in the people table, as a double-click edit does; returns (old, new)."""
    panel = window.review_panel
    oliver = row_of(review, "Oliver")
    old = review.people[oliver].pseudonym
    used = {p.pseudonym.split()[-1] for p in review.people if p.pseudonym}
    new = next(c for c in FREE if c not in used and c != "O")
    assert panel.model.setData(panel.model.index(oliver, 1), new)
    assert review.people[oliver].pseudonym == new
    return old, new


def test_rename_in_the_people_table_reaches_the_decision_and_its_word_export(window, sample, tmp_path, qtbot):
    editor = window.decision_editor
    decision = editor.decision()
    before = "\n".join(texts(decision))
    oliver = sample.people[row_of(sample, "Oliver")].pseudonym
    assert f"her son, {oliver}" in before and re.search(rf"\b{oliver}['’]s school", before)

    old, new = rename_oliver(window, sample)
    after = "\n".join(texts(decision))
    assert f"her son, {new}" in after and f"her son, {old}" not in after
    assert not re.search(rf"\b{old}['’]s\b", after) and re.search(rf"\b{new}['’]s\b", after)
    assert editor.people_problems() == []
    # the editor shows it at once, and the rewrite is one step on the decision's stack
    shown = [row.text_edit.toPlainText() for row in editor.sections_view.paragraph_widgets]
    assert any(f"her son, {new}" in t for t in shown)
    assert window.decision_stack.count() == 1 and "Follow the review" in window.decision_stack.text(0)

    out = tmp_path / "export"
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    word = next(p for p in window.last_export if p.name.startswith("decision-"))
    printed = word_text(word)
    assert f"her son, {new}" in printed and f"her son, {old}" not in printed
    assert not re.search(rf"\b{old}['’]s\b", printed)
    assert "Oliver" not in printed

    # undoing the rename in the review puts the old letter back in the decision too
    window.tabs.setCurrentWidget(window.review_panel)
    window.undo_action.trigger()
    assert sample.people[row_of(sample, "Oliver")].pseudonym == old
    assert f"her son, {old}" in "\n".join(texts(decision))


def test_complainant_change_and_merge_follow_too(window, sample):
    decision = window.decision_editor.decision()
    editor = window.decision_editor
    panel = window.review_panel
    assert any("Mrs X complains" in t for t in texts(decision))
    oliver = sample.people[row_of(sample, "Oliver")].pseudonym
    # the child becomes the complainant: he takes X, his parents give it up, all in one pass
    panel.select_people([row_of(sample, "Oliver")])
    panel.complainant_selected()
    assert sample.people[row_of(sample, "Oliver")].pseudonym == "X"
    mother = sample.people[row_of(sample, "Priya Ramsden")].pseudonym
    father = sample.people[row_of(sample, "Daniel Ramsden")].pseudonym
    assert mother != "Mrs X" and father != "Mr X"
    joined = "\n".join(texts(decision))
    assert f"{mother} complains" in joined and "her son, X" in joined and f"her son, {oliver}" not in joined
    assert f"{mother} and {father}" in joined and "Mrs X" not in joined and "Mr X" not in joined
    assert editor.people_problems(("stale",)) == []
    window.undo_action.trigger()
    joined = "\n".join(texts(decision))
    assert "Mrs X complains" in joined and f"her son, {oliver}" in joined

    # a merge: the GP and the officer get letters, are named in the decision, then turn out to be one person
    assert panel.rename(row_of(sample, "Anil Mehta"), "Dr C")
    assert panel.rename(row_of(sample, "Rebecca Ashworth"), "Ms D")
    editor.add_paragraph("found", "Dr C wrote to the Council. Ms D replied; Ms D's letter is on file.")
    assert panel.merge([row_of(sample, "Anil Mehta"), row_of(sample, "Rebecca Ashworth")])
    added = list(decision.section("found").paragraphs)[-1].text
    assert added == "Dr C wrote to the Council. Dr C replied; Dr C's letter is on file."
    assert editor.people_problems(("stale",)) == []


def test_a_pseudonym_of_no_one_refuses_the_export_and_shows_where(window, sample, tmp_path, qtbot):
    editor = window.decision_editor
    decision = editor.decision()
    old, new = rename_oliver(window, sample)
    # the user undoes the decision's rewrite in the Decision tab: the text says the old letter again
    window.tabs.setCurrentWidget(editor)
    window.undo_action.trigger()
    stale = next(p for p in decision.paragraphs() if f"her son, {old}" in p.text)
    number = number_of(decision, stale)
    row = editor.sections_view.paragraph_widget(stale)
    assert (row.text_edit.toPlainText().index(f"her son, {old}") + len("her son, "),
            row.text_edit.toPlainText().index(f"her son, {old}") + len("her son, ") + 1, "stale") \
        in row.text_edit.highlighter.marks()
    assert editor.people_label.isVisibleTo(editor) and f"“{old}”" in editor.people_label.text()

    window.tabs.setCurrentWidget(window.review_panel)
    out = tmp_path / "export"
    shown = len(window.errors_shown)
    assert window.export_to(out) is None
    message = window.errors_shown[shown]
    assert f"“{old}” is in paragraph {number}" in message and "no one in the case" in message
    assert not out.exists() or list(out.iterdir()) == []
    # it went to the place: the Decision tab, the paragraph, the letter selected
    assert window.tabs.currentWidget() is editor
    assert row.text_edit.textCursor().selectedText() == old

    # with dialogs on, the refusal is a message box that offers to go there
    window.tabs.setCurrentWidget(window.review_panel)
    unselect(row.text_edit)
    seen = {}

    def click_go() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen["text"], seen["buttons"] = box.text(), [b.text() for b in box.buttons()]
        next(b for b in box.buttons() if b.text().startswith("Go to")).click()

    window.ask = True
    QTimer.singleShot(0, click_go)
    try:
        assert window.export_to(out) is None
    finally:
        window.ask = False
    assert f"Go to paragraph {number}" in seen["buttons"] and f"“{old}” is in paragraph {number}" in seen["text"]
    assert window.tabs.currentWidget() is editor and row.text_edit.textCursor().selectedText() == old

    # the user writes the current letter wherever the old one is left: the export goes ahead
    for problem in editor.people_problems(("stale",)):
        widget = editor.sections_view.paragraph_widget(problem.place.paragraph)
        widget.text_edit.setPlainText(re.sub(rf"\b{old}\b", new, widget.text_edit.toPlainText()))
        editor.commit_pending()
    assert editor.people_problems(("stale",)) == []
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    assert f"her son, {new}" in word_text(next(p for p in window.last_export if p.name.startswith("decision-")))


def test_real_names_are_underlined_while_typing(window, sample, qtbot):
    editor = window.decision_editor
    row = editor.sections_view.paragraph_widgets[2]
    row.text_edit.setFocus()
    row.text_edit.moveCursor(row.text_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(row.text_edit, " Oliver told Mr Q.")
    text = row.text_edit.toPlainText()
    marks = row.text_edit.highlighter.marks()
    assert (text.index("Oliver"), text.index("Oliver") + 6, "name") in marks
    assert (text.index("Mr Q"), text.index("Mr Q") + 4, "stale") in marks
    # the format really is a red wavy underline on that text
    layout = row.text_edit.document().firstBlock().layout()
    formats = [f for f in layout.formats() if f.start == text.index("Oliver")]
    assert formats and formats[0].format.underlineStyle() == formats[0].format.UnderlineStyle.WaveUnderline
    editor.commit_pending()
    assert any("Oliver" in p.text for p in editor.decision().paragraphs())
    assert "“Oliver”, a real name" in editor.people_label.text()


def test_leak_in_the_decision_is_named_by_its_printed_paragraph_and_jumps_there(window, sample, tmp_path, qtbot):
    from desk_app.gui.decision.leaks import go_to_leak
    from desk_app.gui.review.leaks import LeakDialog

    editor = window.decision_editor
    decision = editor.decision()
    # a real name the pre-export check does not refuse (only stale pseudonyms are): the leak scan finds it
    # (tests/test_decision_pseudonyms.py checks these numbers against LibreOffice's rendering of the Word file)
    target = list(decision.paragraphs())[-3]
    number = number_of(decision, target)
    row = editor.sections_view.paragraph_widget(target)
    row.text_edit.setPlainText(target.text + " Ms Karen Holloway agreed.")
    editor.commit_pending()
    out = tmp_path / "export"
    shown = len(window.errors_shown)
    window.export_to(out)
    qtbot.waitUntil(lambda: window.request is None and len(window.errors_shown) > shown, timeout=60_000)
    leaks = [leak for leak in window.last_leaks if leak.file.name.startswith("decision-")]
    assert leaks and {leak.where for leak in leaks} == {f"paragraph {number}"}
    assert {leak.part for leak in leaks} == {"decision"}
    assert re.search(rf"decision-24011873\.docx: decision, paragraph {number}: '(Karen|Holloway)", window.errors_shown[-1])
    assert "word/document.xml" not in window.errors_shown[-1]
    # only the decision leaked: the window went there and selected the name
    assert window.tabs.currentWidget() is editor
    assert row.text_edit.textCursor().selectedText() == leaks[0].term

    unselect(row.text_edit)
    dialog = LeakDialog(window.last_leaks, window, lambda leak: go_to_leak(editor, leak))
    assert dialog.jump_button is not None and dialog.jump_button.text() == f"Go to paragraph {number} of the decision"
    assert f"paragraph {number}" in [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    other = editor.sections_view.paragraph_widgets[0].text_edit
    other.setFocus()
    dialog.jump_button.click()
    assert row.text_edit.hasFocus() or QApplication.focusWidget() is row.text_edit
    assert row.text_edit.textCursor().selectedText() == leaks[0].term


def test_new_decision_json_opens_through_file_open(window, tmp_path, monkeypatch):
    draft = tmp_path / "x.decision.json"
    made = subprocess.run([sys.executable, "-m", "desk_app", "new-decision", "--org", "Kent County Council",
                           "--ref", "23 005 338", "--category", "Education > Special educational needs",
                           "--outcome", "upheld", "-o", str(draft)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    # File > Open's filter offers it, and the file chosen there opens
    from desk_app.gui import main_window

    assert "*.decision.json" in main_window.OPEN_FILTER
    monkeypatch.setattr(main_window.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(draft)], ""))
    window.open_action.trigger()
    editor = window.decision_editor
    assert window.tabs.currentWidget() is editor
    assert editor.decision().header.heading_line == "Kent County Council (23 005 338)"
    assert editor.decision().to_dict() == load_decision(draft).to_dict()
    assert editor.sections_view.title_label.text().startswith("Kent County Council (23 005 338)")

    bad = tmp_path / "broken.decision.json"
    bad.write_text("{", encoding="utf-8")
    window.open_paths([bad])
    assert window.errors_shown[-1].startswith(str(bad)) or str(bad) in window.errors_shown[-1]
    assert "not valid JSON" in window.errors_shown[-1] and "Traceback" not in window.errors_shown[-1]
    assert editor.decision().header.reference == "23 005 338"   # the open one stays


def test_a_decision_json_opened_with_case_notes_stays_with_that_case(window, sample_copy, tmp_path, wait_review):
    draft = tmp_path / "x.decision.json"
    made = subprocess.run([sys.executable, "-m", "desk_app", "new-decision", "--org", "Harrowfield Council",
                           "--ref", "24 011 873", "--category", "Children's care services > Child protection",
                           "--outcome", "upheld", "-o", str(draft)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    window.open_paths([sample_copy / "case-notes.txt", draft])
    wait_review(window)
    assert [d.path.name for d in window.review.documents] == ["case-notes.txt"]
    assert window.decision_editor.decision().to_dict() == load_decision(draft).to_dict()
    assert window.case_file().decision is window.decision_editor.decision()   # saved with the case


def test_desk_app_open_takes_a_decision_json(tmp_path):
    """``desk-app open x.decision.json`` starts the window with it in the Decision tab (a real process)."""
    draft = tmp_path / "x.decision.json"
    made = subprocess.run([sys.executable, "-m", "desk_app", "new-decision", "--org", "Kent County Council",
                           "--ref", "23 005 338", "--category", "Education > Special educational needs",
                           "--outcome", "not-upheld", "-o", str(draft)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desk_app.cli.main import main\n"
        "app = QApplication(sys.argv[:1])   # the one desk-app's run() then uses\n"
        "def look(tries=[0]):\n"
        "    from desk_app.gui.main_window import MainWindow\n"
        "    w = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))\n"
        "    d = w.decision_editor.decision()\n"
        "    tries[0] += 1\n"
        "    if d is None and not w.errors_shown and tries[0] < 200:\n"
        "        QTimer.singleShot(250, look)   # the window opens its files once its event loop runs\n"
        "        return\n"
        "    print('TAB', w.tabs.currentIndex(), 'REF', d.header.reference if d else None, 'ERR', w.errors_shown)\n"
        "    w._dirty = False\n"
        "    w.close()\n"
        "    QApplication.instance().quit()\n"
        "QTimer.singleShot(250, look)\n"
        "sys.exit(main(['open', sys.argv[1]]))\n", encoding="utf-8")
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "DESK_APP_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, str(probe), str(draft)], capture_output=True, text=True, timeout=120,
                         env=env)
    assert run.returncode == 0, run.stderr
    assert "TAB 1 REF 23 005 338 ERR []" in run.stdout, run.stdout + run.stderr
    assert "unsupported file type" not in run.stdout + run.stderr


def test_new_decision_is_prefilled_from_the_case(window, sample, qtbot):
    from desk_app.gui.decision.header_form import NewDecisionDialog

    complainant = next(p for p in sample.people if p.complainant).pseudonym
    seen = {}

    def fill_in() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, NewDecisionDialog) and w.isVisible())
        seen["organisation"] = dialog.fields.raw_value("organisation")
        seen["reference"] = dialog.fields.raw_value("reference")
        seen["note"] = dialog.complainant_label.text()
        dialog.fields.set_value("category", "Children's care services")
        dialog.fields.set_value("sub_category", "Child protection")
        dialog.accept()

    QTimer.singleShot(0, fill_in)
    window.new_decision()
    assert seen["organisation"] == "Harrowfield Metropolitan Borough Council"
    assert seen["reference"] == "24 011 873"
    assert complainant in seen["note"]
    decision = window.decision_editor.decision()
    assert decision.header.reference == "24 011 873"
    joined = "\n".join(texts(decision))
    assert "[[complainant]]" not in joined and complainant in joined
