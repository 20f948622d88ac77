"""The side-by-side compare window, offscreen, on the real sample drafts and real files."""

from __future__ import annotations

import hashlib
import threading
import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from desk_app.core.compare import CompareOptions, RowKind, compare_files
from desk_app.core.compare.model import ChangeKind

REPO = Path(__file__).parent.parent.parent
V1 = REPO / "resources" / "sample_compare" / "draft-v1.txt"
V2 = REPO / "resources" / "sample_compare" / "draft-v2.txt"


@pytest.fixture
def open_compare(qtbot):
    from desk_app.gui.compare.window import CompareWindow

    def make(left, right, options=None, wait=True):
        window = CompareWindow(left, right, options)
        window.ask = False
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        qtbot.waitExposed(window)
        if wait:
            qtbot.waitUntil(lambda: window.comparison is not None and not window.busy, timeout=20_000)
        return window

    return make


def row_visible(pane, row: int) -> bool:
    top = pane.row_top(row) - pane.verticalScrollBar().value()
    return 0 <= top < pane.viewport().height()


def test_sample_drafts_aligned_with_every_kind_of_change(open_compare):
    window = open_compare(V1, V2)
    c = window.comparison
    counts = c.counts
    kinds = {ch.kind for ch in c.changes}
    assert kinds == set(ChangeKind), kinds        # the sample has each kind at least once
    assert window.change_list.count() == len(c.changes) == counts.total
    assert window.counts_label.text() == (f"{counts.changed} changed · {counts.inserted} inserted · "
                                          f"{counts.deleted} deleted · {counts.moved} moved")
    listed = [window.change_list.item(i).text() for i in range(window.change_list.count())]
    assert sum("Moved" in t for t in listed) == counts.moved
    for word, n in (("Changed", counts.changed), ("Inserted", counts.inserted), ("Deleted", counts.deleted)):
        assert sum(word in t.split("\n")[0] for t in listed) == n, word
    assert c.summary() in window.summary_label.text()

    left, right = window.left_pane, window.right_pane
    assert left.document().blockCount() == right.document().blockCount() == len(c.rows)
    # row i is block i on both sides: the same text, a gap is empty
    for i, row in enumerate(c.rows):
        lt = left.block(i).text()
        rt = right.block(i).text()
        assert lt.endswith(c.left_text(row)) and (row.left is not None or lt == "")
        assert rt.endswith(c.right_text(row)) and (row.right is not None or rt == "")
    # the text wraps to different heights on the two sides; padding makes every row start level
    lay_l, lay_r = left.document().documentLayout(), right.document().documentLayout()
    uneven = [i for i in range(len(c.rows)) if lay_l.blockBoundingRect(left.block(i)).height()
              != lay_r.blockBoundingRect(right.block(i)).height()]
    assert len(uneven) >= 3
    for i in [*uneven, 0, len(c.rows) // 2, len(c.rows) - 1]:
        assert left.row_top(i) == pytest.approx(right.row_top(i), abs=0.5), i
    assert left.document().size().height() == pytest.approx(right.document().size().height(), abs=0.5)

    # the header states the direction, with the facts that identify each file
    header = window.header.text()
    sha1, sha2 = (hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in (V1, V2))
    assert header.index("Left (original): draft-v1.txt") < header.index("→") < header.index(
        "Right (revised): draft-v2.txt")
    assert header.index(sha1) < header.index("→") < header.index(sha2)
    assert "modified" in header


def test_resizing_realigns_the_rows(open_compare, qtbot):
    window = open_compare(V1, V2)
    left, right = window.left_pane, window.right_pane
    window.resize(1000, 860)
    qtbot.waitUntil(lambda: not window.align_timer.isActive(), timeout=5000)
    qtbot.wait(200)   # the debounced realignment has run
    for i in range(0, len(window.comparison.rows), 5):
        assert left.row_top(i) == pytest.approx(right.row_top(i), abs=0.5), i


def test_word_marks_have_styles_and_tooltips(open_compare):
    window = open_compare(V1, V2)
    c = window.comparison
    index = next(i for i, r in enumerate(c.rows) if r.kind is RowKind.CHANGED and r.left_marks and r.right_marks)
    row = c.rows[index]
    for pane, marks, side in ((window.left_pane, row.left_marks, "left"), (window.right_pane, row.right_marks,
                                                                             "right")):
        block = pane.block(index)
        shift = len(block.text()) - len((c.left_text if side == "left" else c.right_text)(row))
        a, b = marks[0]
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + shift + a + 1)
        fmt = cursor.charFormat()
        if side == "left":
            assert fmt.fontStrikeOut()
        else:
            assert fmt.underlineStyle() != fmt.UnderlineStyle.NoUnderline
        assert fmt.background().color() == (pane.colours.deleted if side == "left" else pane.colours.inserted)
        # the same words carry a tooltip, so colour is never the only cue
        pane.scroll_to_row(index)
        QApplication.processEvents()
        point = pane.cursorRect(cursor).center()
        tip = pane.tooltip_at(point)
        assert tip.startswith(("Deleted", "Replaced") if side == "left" else ("Inserted", "Replaces")), tip
    # a moved paragraph names where it went
    moved = next(i for i, r in enumerate(c.rows) if r.kind is RowKind.MOVED_FROM)
    window.left_pane.scroll_to_row(moved)
    QApplication.processEvents()
    pane = window.left_pane
    rect = pane.document().documentLayout().blockBoundingRect(pane.block(moved))
    point = QPoint(int(rect.right() - 4), int(rect.bottom() - 2 - pane.verticalScrollBar().value()))
    assert pane.tooltip_at(point).startswith("Moved from here to")


def test_a_pair_too_long_for_a_word_diff_is_marked_as_one_piece(open_compare):
    window = open_compare(V1, V2, CompareOptions(word_limit=10))
    c = window.comparison
    index = next(i for i, r in enumerate(c.rows) if r.coarse)
    row = c.rows[index]
    pane = window.right_pane
    block = pane.block(index)
    shift = len(block.text()) - len(c.right_text(row))
    (a, b), = row.right_marks
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + shift + (a + b) // 2)
    assert cursor.charFormat().background().color() == pane.colours.inserted
    pane.scroll_to_row(index)
    QApplication.processEvents()
    assert pane.tooltip_at(pane.cursorRect(cursor).center()).startswith("Changed as one piece")
    assert pane.tints[index] == pane.colours.changed_row


def test_f8_steps_through_changes_and_scrolls_to_them(open_compare, qtbot):
    window = open_compare(V1, V2)
    c = window.comparison
    window.activateWindow()
    window.left_pane.setFocus()
    seen = []
    for _ in range(6):
        qtbot.keyClick(window, Qt.Key.Key_F8)
        seen.append(window.current)
        change = c.changes[window.current]
        rows = change.rows
        assert window.left_pane.textCursor().blockNumber() in rows
        assert window.right_pane.textCursor().blockNumber() in rows
        # the side that has the text holds the cursor in that row's block
        right_row = window.right_pane.textCursor().blockNumber()
        assert c.rows[right_row].right is not None or len(rows) == 1
        assert row_visible(window.left_pane, min(rows)) and row_visible(window.right_pane, min(rows))
        assert window.change_list.currentRow() == window.current
        assert window.left_pane.current_rows == tuple(rows)
        assert len(window.left_pane.extraSelections()) == len(rows)
    assert seen == list(range(6))
    qtbot.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.current == 4
    # past the end it wraps, and says so
    window.go_to(len(c.changes) - 1)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.current == 0
    assert "back to the first" in window.statusBar().currentMessage()
    # the filter limits the steps to one kind
    window.filter_box.setCurrentText("Moved")
    moved = [i for i, ch in enumerate(c.changes) if ch.kind is ChangeKind.MOVED]
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.current == moved[0]
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.current == moved[1]
    hidden = [window.change_list.item(i).isHidden() for i in range(window.change_list.count())]
    assert hidden.count(False) == len(moved)


def test_clicking_a_change_scrolls_both_panes(open_compare, qtbot):
    window = open_compare(V1, V2)
    c = window.comparison
    last = len(c.changes) - 1
    item = window.change_list.item(last)
    rect = window.change_list.visualItemRect(item)
    qtbot.mouseClick(window.change_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current == last
    row = c.changes[last].rows[0]
    assert window.left_pane.verticalScrollBar().value() > 0
    assert row_visible(window.left_pane, row) and row_visible(window.right_pane, row)


def test_scroll_lock(open_compare, qtbot):
    window = open_compare(V1, V2)
    lbar, rbar = window.left_pane.verticalScrollBar(), window.right_pane.verticalScrollBar()
    assert window.lock_action.isChecked() and window.lock_box.isChecked()
    assert lbar.maximum() == rbar.maximum() > 500
    lbar.setValue(400)
    assert rbar.value() == 400
    rbar.setValue(250)
    assert lbar.value() == 250
    qtbot.mouseClick(window.lock_box, Qt.MouseButton.LeftButton)
    assert not window.lock_action.isChecked()
    lbar.setValue(700)
    assert rbar.value() == 250
    window.lock_action.setChecked(True)   # locking again brings the right pane level
    assert rbar.value() == 700


def test_ignore_case_recompares_in_the_background(open_compare, qtbot, tmp_path, monkeypatch):
    import desk_app.core.compare as engine

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The Council Apologised to Mr X.\nA second paragraph.\n", encoding="utf-8")
    b.write_text("the council apologised to Mr X.\nA second paragraph.\n", encoding="utf-8")
    window = open_compare(a, b)
    assert window.comparison.counts.changed == 1
    assert window.comparison.rows[0].kind is RowKind.CHANGED

    threads = []
    real = engine.compare

    def slow_compare(left, right, options=None):
        threads.append(threading.current_thread())
        if not options.ignore_case:
            time.sleep(0.5)   # the first request is still running when the second one comes
        return real(left, right, options)

    monkeypatch.setattr(engine, "compare", slow_compare)
    shown = []
    window.compared.connect(lambda: shown.append(window.comparison.options))
    window.space_box.setChecked(True)          # request 1: slow
    assert window.busy and "Comparing" in window.statusBar().currentMessage()
    qtbot.wait(50)
    window.case_box.setChecked(True)          # request 2 overtakes it
    assert window.case_action.isChecked()
    qtbot.waitUntil(lambda: not window.busy, timeout=10_000)
    qtbot.wait(100)
    assert shown == [CompareOptions(ignore_case=True, ignore_whitespace=True)]   # the older result was dropped
    assert window.comparison.counts.total == 0
    assert window.counts_label.text() == "No differences"
    assert threads and threading.main_thread() not in threads


def test_swap_sides(open_compare, qtbot):
    window = open_compare(V1, V2)
    before = window.comparison.counts
    with qtbot.waitSignal(window.compared, timeout=10_000):
        qtbot.mouseClick(window.swap_button, Qt.MouseButton.LeftButton)
    after = window.comparison.counts
    assert window.header.text().startswith("Left (original): draft-v2.txt")
    assert (after.inserted, after.deleted) == (before.deleted, before.inserted)
    assert window.comparison.left.name == "draft-v2.txt"


def test_exports_from_the_window(open_compare, qtbot, tmp_path):
    import docx

    window = open_compare(V1, V2)
    html = tmp_path / "report.html"
    with qtbot.waitSignal(window.exported, timeout=20_000) as blocker:
        window.export_html_to(html)
    assert blocker.args == [str(html)]
    text = html.read_text(encoding="utf-8")
    assert "draft-v1.txt" in text and "draft-v2.txt" in text

    redline = tmp_path / "redline.docx"
    with qtbot.waitSignal(window.exported, timeout=20_000):
        window.export_redline_to(redline)
    document = docx.Document(str(redline))   # opens in Word's library
    assert "draft-v1.txt" in "\n".join(p.text for p in document.paragraphs)
    with zipfile.ZipFile(redline) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "<w:ins " in xml and "<w:del " in xml   # tracked changes, not plain text
    inserted = window.comparison.right_text(next(r for r in window.comparison.rows if r.kind is RowKind.INSERTED))
    assert inserted.split()[-1] in xml[xml.index("<w:ins "):]
    assert window.errors_shown == []

    # a folder that does not exist: one line naming the file, no traceback
    bad = tmp_path / "missing" / "report.html"
    window.export_html_to(bad)
    qtbot.waitUntil(lambda: bool(window.errors_shown), timeout=10_000)
    message = window.errors_shown[-1]
    assert "\n" not in message and "report.html" in message and "Traceback" not in message
    assert not bad.exists()


@pytest.mark.parametrize("kind", ["missing", "damaged"])
def test_bad_file_is_one_line_not_a_traceback(open_compare, qtbot, tmp_path, capfd, kind):
    bad = tmp_path / "draft.docx"
    if kind == "damaged":
        bad.write_bytes(b"this is not a Word file")
    window = open_compare(bad, V2, wait=False)
    qtbot.waitUntil(lambda: bool(window.errors_shown) and not window.busy, timeout=10_000)
    message = window.errors_shown[0]
    assert "\n" not in message and "draft.docx" in message
    assert window.statusBar().currentMessage() == message
    assert window.comparison is None
    assert "Traceback" not in capfd.readouterr().err


def test_changed_file_on_disk_offers_reload(open_compare, qtbot, tmp_path):
    left, right = tmp_path / "v1.txt", tmp_path / "v2.txt"
    left.write_bytes(V1.read_bytes())
    right.write_bytes(V2.read_bytes())
    window = open_compare(left, right)
    rows = len(window.comparison.rows)
    assert not window.stale_label.isVisible()
    with left.open("a", encoding="utf-8") as f:
        f.write("\nA paragraph added after the comparison was made.\n")
    qtbot.waitUntil(lambda: "left" in window.stale, timeout=10_000)
    assert window.stale_label.isVisible() and window.reload_button.isVisible()
    assert window.stale_label.text().startswith("⚠ Left file changed on disk")
    assert "Left file changed on disk — Reload" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.compared, timeout=10_000):
        qtbot.mouseClick(window.reload_button, Qt.MouseButton.LeftButton)
    assert not window.stale and not window.stale_label.isVisible()
    assert len(window.comparison.rows) == rows + 1


def test_run_compare_opens_a_window(qtbot, monkeypatch):
    from desk_app.gui.compare.window import CompareWindow, run_compare

    found = []

    def exec_(app) -> int:   # the event loop, until the window has shown its comparison
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CompareWindow) and w.isVisible())
        qtbot.waitUntil(lambda: window.comparison is not None, timeout=20_000)
        found.append(window.comparison)
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    assert run_compare(V1, V2, CompareOptions(ignore_quotes=True)) == 0
    assert found and found[0].options.ignore_quotes
    assert found[0].counts == compare_files(V1, V2, CompareOptions(ignore_quotes=True)).counts
    assert found[0].left.name == "draft-v1.txt"


def colours(image: QImage, step: int = 2) -> set[tuple[int, int, int]]:
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    return {QColor(img.pixel(x, y)).getRgb()[:3] for x in range(0, img.width(), step)
            for y in range(0, img.height(), step)}


@pytest.mark.slow
def test_screenshot(open_compare, qtbot, tmp_path):
    from desk_app.gui.compare.panes import colours as palette_for
    from desk_app.gui.theme import apply_theme, is_dark
    from tests.helpers.screenshots import save_shot

    window = open_compare(V1, V2)
    c = window.comparison
    window.resize(1400, 860)
    target = next(i for i, ch in enumerate(c.changes) if ch.kind is ChangeKind.MOVED and ch.edited)
    while window.current != target:
        qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.wait(300)
    QApplication.processEvents()
    pixmap = window.grab()
    save_shot(pixmap, "compare.png", tmp_path)   # python -m tests.helpers.screenshots refreshes the README's copy
    image = pixmap.toImage()
    assert image.width() >= 1400 and image.height() >= 860
    pal = palette_for(is_dark())
    seen = colours(image)
    for colour in (pal.inserted, pal.moved_row, pal.deleted_row):
        assert colour.getRgb()[:3] in seen, colour.name()

    # the dark palette gets the dark set of colours, still distinct from the background
    app = QApplication.instance()
    try:
        apply_theme(app, "dark")
        qtbot.waitUntil(lambda: window.left_pane.colours == palette_for(True), timeout=5000)
        QApplication.processEvents()
        dark = colours(window.grab().toImage())
        assert palette_for(True).moved_row.getRgb()[:3] in dark
        assert palette_for(False).moved_row.getRgb()[:3] not in dark
        assert window.current == target
    finally:
        apply_theme(app, "light")


@pytest.mark.slow
def test_main_window_file_menu_opens_a_compare_window(window, qtbot, monkeypatch):
    from desk_app.gui import main_window
    from desk_app.gui.compare.window import CompareWindow

    answers = iter([(str(V1), ""), (str(V2), "")])
    monkeypatch.setattr(main_window.QFileDialog, "getOpenFileName", lambda *a, **k: next(answers))
    assert window.compare_action.shortcut().toString() == "Ctrl+Shift+D"
    window.compare_action.trigger()
    assert len(window.compare_windows) == 1
    compare = window.compare_windows[0]
    assert isinstance(compare, CompareWindow) and compare.isVisible() and compare.isWindow()
    qtbot.waitUntil(lambda: compare.comparison is not None, timeout=20_000)
    assert compare.comparison.left.name == "draft-v1.txt"
    compare.close()
