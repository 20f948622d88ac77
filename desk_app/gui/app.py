"""Starting the desktop application: ``desk-app`` with no command, or ``desk-app --sample``."""

from __future__ import annotations

import faulthandler
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from desk_app.core.atomic import open_log


def run(paths: Sequence[str] = (), sample: bool = False, theme: str | None = None) -> int:
    from desk_app.core.detect.nlp import keep_offline

    keep_offline()   # before anything can import tldextract or huggingface
    from desk_app.gui.syslibs import window_problem

    problem = window_problem()   # Qt would abort with a misleading message instead
    if problem:
        print(f"desk-app: {problem}", file=sys.stderr)
        return 1
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desk_app.core.storage.autosave import data_dir
    from desk_app.gui.main_window import MainWindow
    from desk_app.gui.settings import settings
    from desk_app.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Decision Desk")
    app.setOrganizationName("Decision Desk")
    log = _crash_log(data_dir())
    apply_theme(app, theme or str(settings().value("theme", "system")))
    window = MainWindow()
    if sample or paths:   # never "Open a case to start" on the way to opening one
        window.review_panel.set_loading("Opening the sample case" if sample else "Opening the case")
    window.show()

    def start() -> None:
        if window.offer_recovery():   # unsaved work from a crash comes first
            return
        if sample:
            window.open_sample()
        elif paths:
            window.open_paths([Path(p) for p in paths])
        if window.request is None:   # nothing could be opened: say how to start after all
            window.review_panel.set_loading(None)

    QTimer.singleShot(0, start)
    code = app.exec()
    if log is not None:
        faulthandler.disable()
        log[0].close()
        log[1].unlink(missing_ok=True)   # a clean exit leaves no crash log
    return code


def _crash_log(folder: Path) -> tuple[IO[str], Path] | None:
    """A hard crash (segfault in a C library) still leaves a trace for the next start."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("crash-*.log"):
            if old.stat().st_size == 0:   # a run that ended without a fault (killed, or the power went)
                old.unlink(missing_ok=True)
        path = folder / f"crash-{os.getpid()}.log"
        log = open_log(path)
    except OSError:
        return None
    faulthandler.enable(log)
    return log, path
