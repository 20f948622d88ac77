"""A missing system library gives one line naming the Debian/Ubuntu packages, never Qt's abort.

Qt's X11 plugin is real here; to make a library missing on any machine, a copy of the plugin
asks for ``libxcb-cursor.so.7`` instead of ``.so.0`` (the same length, so the ELF file stays
valid) and Qt is pointed at the copy with ``QT_QPA_PLATFORM_PLUGIN_PATH``, as a user could.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desk_app.gui.syslibs import (
    DEBIAN_PACKAGES,
    missing_libraries,
    package_for,
    platforms_to_try,
    qt_plugin_folder,
    window_problem,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None,
                                reason="the check is for Linux, where Qt's platform plugins load system libraries")

REAL_PLUGIN = (qt_plugin_folder({}) or Path("none")) / "libqxcb.so"


def loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


@pytest.fixture
def broken_plugins(tmp_path) -> Path:
    """A platforms/ folder whose X11 plugin needs a library no machine has."""
    platforms = tmp_path / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (tmp_path / "Qt" / "lib").symlink_to(REAL_PLUGIN.parent.parent.parent / "lib")   # its RUNPATH: $ORIGIN/../../lib
    data = REAL_PLUGIN.read_bytes()
    assert data.count(b"libxcb-cursor.so.0\x00") == 1
    (platforms / "libqxcb.so").write_bytes(data.replace(b"libxcb-cursor.so.0\x00", b"libxcb-cursor.so.7\x00"))
    return platforms


def test_what_ldd_reports_missing_is_what_the_loader_cannot_load():
    """An independent check of the ldd reading: every system library the X11 plugin needs is
    reported missing exactly when dlopen cannot load it."""
    missing = missing_libraries(REAL_PLUGIN)
    assert missing is not None
    ldd = subprocess.run(["ldd", str(REAL_PLUGIN)], capture_output=True, text=True, check=True).stdout
    system = {line.split()[0] for line in ldd.splitlines() if line.split() and line.split()[0] in DEBIAN_PACKAGES}
    assert len(system) > 15
    assert sorted(s for s in system if not loadable(s)) == sorted(missing)


def test_the_window_names_the_packages_instead_of_qt_aborting(broken_plugins, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":99", QT_QPA_PLATFORM_PLUGIN_PATH=str(broken_plugins),
               DESK_APP_DATA_DIR=str(tmp_path / "user-data"))
    # what happens without the check: Qt blames xcb-cursor0 whatever is missing, then aborts
    bare = subprocess.run([sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert bare.returncode < 0, bare   # killed by SIGABRT
    proc = subprocess.run([sys.executable, "-m", "desk_app"], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("desk-app: the window cannot start: Qt's X11 (xcb) platform needs libxcb-cursor.so.7")
    expected = sorted({package_for(m) for m in missing_libraries(broken_plugins / "libqxcb.so", env) or []})
    assert "libxcb-cursor0" in expected
    assert line.endswith(f"(on Debian/Ubuntu: sudo apt-get install {' '.join(expected)})")


def test_the_selftest_reports_it_on_its_window_step(broken_plugins, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":99", QT_QPA_PLATFORM_PLUGIN_PATH=str(broken_plugins))
    proc = subprocess.run([sys.executable, "-m", "desk_app", "--selftest"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 1   # a failed step, not an abort
    window = next(line for line in proc.stdout.splitlines() if "main window shown" in line)
    assert window.startswith("FAIL") and "libxcb-cursor.so.7" in window and "libxcb-cursor0" in window
    assert "selftest FAILED" in proc.stdout


def test_which_platforms_qt_will_try():
    assert platforms_to_try({"QT_QPA_PLATFORM": "offscreen"}) == ["offscreen"]
    assert platforms_to_try({"QT_QPA_PLATFORM": "wayland;xcb:nomitshm"}) == ["wayland", "xcb"]
    assert platforms_to_try({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}) == ["wayland", "xcb"]
    assert platforms_to_try({"DISPLAY": ":0"}) == ["xcb"]


def test_offscreen_has_what_it_needs_here_and_x11_without_a_display_is_named():
    assert window_problem({"QT_QPA_PLATFORM": "offscreen"}) is None   # the GUI tests run on it
    problem = window_problem({"QT_QPA_PLATFORM": "xcb"})
    assert problem is not None
    if missing_libraries(REAL_PLUGIN):
        assert "libxcb" in problem and "apt-get install" in problem
    else:
        assert "DISPLAY is not set" in problem


def test_unknown_versions_of_known_libraries_still_get_their_package():
    assert package_for("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert package_for("libxcb-icccm.so.9") == "libxcb-icccm4"
    assert package_for("libsomething-else.so.1") is None
