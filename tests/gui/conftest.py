"""GUI fixtures: a real window, offscreen, over the real engine (loaded once per session)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).parent.parent.parent
SAMPLE = REPO / "resources" / "sample_case"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Autosaves, settings and crash logs go to a temporary folder, never the real profile."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def sample_copy(tmp_path):
    """The sample case copied, so tests may change a source without touching resources/."""
    dst = tmp_path / "case"
    shutil.copytree(SAMPLE, dst, ignore=shutil.ignore_patterns("*.py"))
    return dst


@pytest.fixture
def make_window(qtbot, detector):
    from desk_app.gui.engine import Engine
    from desk_app.gui.main_window import MainWindow

    windows = []

    def make(**kwargs):
        window = MainWindow(engine=Engine(detector=detector), **kwargs)
        window.ask = False
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        windows.append(window)
        return window

    yield make
    for w in windows:
        w._dirty = False
        w.close()


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def wait_review(qtbot):
    def wait(window, timeout=60_000):
        qtbot.waitUntil(lambda: window.review is not None and window.request is None, timeout=timeout)
        return window.review
    return wait
