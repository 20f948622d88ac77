"""Screenshots of the real window with the real sample case, plus the dark palette and 200%
scaling. A test run saves them in its temporary folder; the README's copies in
resources/screenshots/ are refreshed on purpose with ``python -m tests.helpers.screenshots``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from tests.helpers.screenshots import COMMITTED, save_shot

pytestmark = pytest.mark.slow


def colours(image: QImage, step: int = 4) -> set[tuple[int, int, int]]:
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    return {QColor(img.pixel(x, y)).getRgb()[:3] for x in range(0, img.width(), step)
            for y in range(0, img.height(), step)}


def shoot(window, name: str, folder: Path) -> QImage:
    QApplication.processEvents()
    pixmap = window.grab()
    path = save_shot(pixmap, name, folder)
    assert QImage(str(path)).size() == pixmap.size()   # the saved file is the picture checked below
    return pixmap.toImage()


@pytest.fixture
def committed_untouched():
    """The README's screenshots are the same, byte for byte, after the test as before it
    (unless the test runs under ``python -m tests.helpers.screenshots``, which is how they change)."""
    import os

    from tests.helpers.screenshots import ENV

    before = {p: p.read_bytes() for p in COMMITTED.glob("*.png")}
    yield
    if not os.environ.get(ENV):
        assert {p: p.read_bytes() for p in COMMITTED.glob("*.png")} == before


@pytest.fixture
def reviewed_sample(window, wait_review):
    window.resize(1400, 860)
    window.sample_action.trigger()
    review = wait_review(window)
    panel = window.review_panel
    for name in ("Priya Ramsden", "Daniel Ramsden"):   # part-way through a review, as a user would be
        panel.select_people([next(p.index for p in review.people if name in p.names)])
        panel.accept_selected_people()
    panel.step(1)
    panel.select_people([next(p.index for p in review.people if "Oliver" in p.names)])
    return window


def test_review_and_decision_screenshots(reviewed_sample, tmp_path, committed_untouched):
    from desk_app.gui.theme import is_dark, person_colour

    window = reviewed_sample
    image = shoot(window, "workspace-review.png", tmp_path)
    assert image.width() >= 1400 and image.height() >= 860
    seen = colours(image, step=2)
    # every person's highlight colour is on screen (their name is in the first document)
    people = [p.index for p in window.review.people if any(o.doc == 0 for o in window.review.occurrences
                                                          if o.person == p.index)]
    dark = is_dark()
    slots = window.review_panel.model.slots   # a person's colour comes from their name (theme.colour_slots)
    for i in people:
        assert person_colour(slots[i], dark).getRgb()[:3] in seen, i
    window.tabs.setCurrentIndex(1)
    image = shoot(window, "workspace-decision.png", tmp_path)
    assert len(colours(image)) > 20
    window.tabs.setCurrentIndex(0)


def test_dark_palette(reviewed_sample, tmp_path, committed_untouched):
    from desk_app.gui.theme import apply_theme, is_dark, person_colour

    app = QApplication.instance()
    try:
        apply_theme(app, "dark")
        reviewed_sample.review_panel.refresh()
        assert is_dark()
        image = shoot(reviewed_sample, "workspace-review-dark.png", tmp_path)
        img = image.convertToFormat(QImage.Format.Format_RGB32)
        # the text area is dark, and person highlights are the dark set, readable under light text
        centre = QColor(img.pixel(img.width() // 4, img.height() // 2))
        assert centre.lightness() < 100
        for i in range(6):
            assert person_colour(i, True).lightness() < 110
        assert person_colour(reviewed_sample.review_panel.model.slots[0], True).getRgb()[:3] in colours(image, step=2)
    finally:
        apply_theme(app, "light")


AT_200 = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication, QAbstractButton
    app = QApplication([])
    from desk_app.gui.main_window import MainWindow
    w = MainWindow(); w.ask = False; w.resize(1400, 860); w.show()
    w.open_sample()
    while w.review is None or w.request is not None:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents()
    pix = w.grab()
    pix.save(sys.argv[1])
    clipped = [b.text() for b in w.findChildren(QAbstractButton)
               if b.isVisible() and b.text() and b.width() < b.fontMetrics().horizontalAdvance(b.text().replace("&", ""))]
    print(pix.devicePixelRatio(), pix.width(), pix.height(), len(w.review.people), "clipped:", clipped)
    w._dirty = False
    w.close()
""")


def test_window_at_200_percent_scaling(tmp_path, private_data_dir):
    out = tmp_path / "at200.png"
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen", DESK_APP_DATA_DIR=str(private_data_dir))
    run = subprocess.run([sys.executable, "-c", AT_200, str(out)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    ratio, width, height, people, *_ = run.stdout.split()
    assert float(ratio) == 2.0 and int(width) == 2800 and int(height) == 1720 and int(people) == 6
    assert run.stdout.strip().endswith("clipped: []")
    assert QImage(str(out)).width() == 2800


README_RUN = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from desk_app.cli.main import main
    from desk_app.gui.main_window import MainWindow

    def check():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].review is not None and windows[0].request is None:
            w = windows[0]
            print("people", len(w.review.people), "documents", len(w.review.documents),
                  "decision", w.decision_editor.decision().header.reference, flush=True)
            w._dirty = False
            w.close()
        else:
            QTimer.singleShot(100, check)

    app = QApplication(sys.argv[:1])   # before any timer; run() uses this instance
    QTimer.singleShot(100, check)
    sys.exit(main(sys.argv[1:]))
""")


def test_the_readme_run_command_opens_the_window_with_the_sample_case(private_data_dir):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_APP_DATA_DIR=str(private_data_dir))
    run = subprocess.run([sys.executable, "-c", README_RUN, "--sample"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["people", "6", "documents", "3", "decision", "24", "011", "873"]
    assert not list(private_data_dir.glob("crash-*.log"))   # a clean exit leaves no crash log
    assert not list(private_data_dir.glob("autosave/*.json"))   # nor any autosave
