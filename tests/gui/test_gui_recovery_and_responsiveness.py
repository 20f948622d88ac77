"""Crash recovery from autosave, autosave itself, and a GUI thread that never stalls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers.heartbeat import Heartbeat

pytestmark = pytest.mark.slow

CRASHING_SESSION = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from desk_app.gui.main_window import MainWindow
    w = MainWindow()
    w.ask = False
    w.show()
    w.open_paths([Path(sys.argv[1])])
    while w.review is None or w.request is not None:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    w.accept_all_action.trigger()
    oliver = next(p.index for p in w.review.people if "Oliver" in p.names)
    w.review_panel.rename(oliver, "D")
    print(w.autosave(), flush=True)
    os._exit(3)   # a crash: no clean shutdown, no chance to tidy up
""")


def test_unsaved_work_is_restored_after_a_crash(window, sample_copy, private_data_dir, tmp_path, qtbot,
                                                wait_review):
    env = dict(os.environ, DESK_APP_DATA_DIR=str(private_data_dir), QT_QPA_PLATFORM="offscreen")
    crashed = subprocess.run([sys.executable, "-c", CRASHING_SESSION, str(sample_copy)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert crashed.returncode == 3, crashed.stderr
    autosave = crashed.stdout.strip().splitlines()[-1]
    assert autosave.endswith(".autosave.json") and os.path.exists(autosave)
    assert "Oliver" in open(autosave, encoding="utf-8").read()   # it is personal data, so it lives in the
    assert autosave.startswith(str(private_data_dir))           # user's own data folder only

    assert window.offer_recovery(answer=QMessageBox.StandardButton.Yes)
    review = wait_review(window)
    assert review.unreviewed() == []
    oliver = next(p.index for p in review.people if "Oliver" in p.names)
    assert review.people[oliver].pseudonym == "D"
    # restored work is unsaved work: marked modified, and its autosave kept (now this session's)
    assert window.is_dirty() and window.isWindowModified() and "[*]" in window.windowTitle()
    assert window.store.path_for(window.session_id) == Path(autosave) and os.path.exists(autosave)
    assert json.loads(Path(autosave).read_text(encoding="utf-8"))["pid"] == os.getpid()   # rewritten, not offered
    assert window.offer_recovery(answer=QMessageBox.StandardButton.Yes) is False   # offered once

    # Quit asks (Save / Discard / Cancel); Cancel keeps the window, the work and the autosave
    window.ask = True
    seen = []

    def cancel():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, cancel)
            return
        seen.append((box.text(), box.standardButtons()))
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, cancel)
    window.close()                                       # File ▸ Quit (Ctrl+Q) closes the window
    assert seen and "not saved" in seen[0][0]
    assert seen[0][1] == (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel)
    window.ask = False
    assert window.isVisible() and window.isWindowModified() and os.path.exists(autosave)
    assert window.review.people[oliver].pseudonym == "D"
    # a save is where the autosave's job ends
    assert window.save_to(tmp_path / "restored.deskcase")
    assert not os.path.exists(autosave) and not window.isWindowModified()
    assert '"D"' in (tmp_path / "restored.deskcase").read_text(encoding="utf-8")


def test_declining_recovery_deletes_the_autosave(window, private_data_dir):
    from desk_app.core.storage.autosave import AutosaveStore

    store = AutosaveStore()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = store.write("crashed", {"sources": [], "review": {}, "decision": None})
    data = path.read_text(encoding="utf-8").replace(f'"pid":{os.getpid()}', f'"pid":{dead.pid}')
    data = data.replace(f'"pid": {os.getpid()}', f'"pid": {dead.pid}')
    path.write_text(data, encoding="utf-8")
    assert [a.session_id for a in store.pending()] == ["crashed"]
    assert window.offer_recovery(answer=QMessageBox.StandardButton.No) is False
    assert not path.exists()


def test_autosave_runs_on_a_timer_and_a_save_removes_it(make_window, sample_copy, tmp_path, qtbot, wait_review):
    w = make_window(autosave_ms=100)
    w.open_paths([sample_copy])
    wait_review(w)
    target = w.store.path_for(w.session_id)
    assert not target.exists()          # nothing changed yet: nothing to autosave
    w.accept_all_action.trigger()
    qtbot.waitUntil(target.exists, timeout=5_000)
    assert w.save_to(tmp_path / "saved.deskcase")
    assert not target.exists()


def test_gui_thread_is_never_blocked_for_100_ms_during_analysis(window, sample_copy, qtbot, wait_review):
    beat = Heartbeat(5)
    beat.start()
    qtbot.wait(50)
    beat.restart_clock()
    window.open_paths([sample_copy])
    wait_review(window)
    qtbot.wait(50)
    beat.stop()
    gaps = beat.gaps
    print(f"GUI thread: {len(gaps)} ticks, longest gap {max(gaps) * 1000:.0f} ms")
    assert len(gaps) > 20
    assert max(gaps) < 0.100
