"""Checking, before Qt starts, that the system libraries its window needs are installed.

PySide6's wheels carry Qt itself but not the X11/OpenGL/font libraries of the desktop they run
on. When one is missing, Qt does not say which: it prints "xcb-cursor0 or libxcb-cursor0 is
needed" for any library its X11 plugin cannot load, then aborts the process. So before the
application object is created, the platform plugin Qt is about to load is run through ``ldd``,
and a gap becomes one line naming the missing libraries and the Debian/Ubuntu packages that
hold them. Windows and macOS wheels carry everything; the check only runs on Linux.

No Qt is imported here: this must work exactly when importing Qt would fail.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: Shared libraries Qt's platform plugins load from the system, and the Debian/Ubuntu package
#: of each. glib is libglib2.0-0t64 from Debian 13 / Ubuntu 24.04 on; that package provides the
#: old name, so apt accepts ``libglib2.0-0`` on both.
DEBIAN_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

#: What each platform needs besides libraries, and what it is called in messages.
_LABELS = {"xcb": "X11 (xcb)", "wayland": "Wayland", "offscreen": "offscreen", "minimal": "minimal"}


def package_for(soname: str) -> str | None:
    """The Debian/Ubuntu package for a library, also for another version of a known one."""
    if soname in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[soname]
    stem = soname.split(".so", 1)[0]
    return next((pkg for name, pkg in DEBIAN_PACKAGES.items() if name.split(".so", 1)[0] == stem), None)


def missing_libraries(binary: Path, env: Mapping[str, str] | None = None) -> list[str] | None:
    """The libraries ``binary`` needs, directly or through another library, that the dynamic
    loader cannot find; ``None`` when that cannot be told here (no ``ldd``)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        proc = subprocess.run([ldd, str(binary)], capture_output=True, text=True, timeout=30,
                              env=dict(env) if env is not None else None)
    except (OSError, subprocess.SubprocessError):
        return None
    missing: list[str] = []
    for line in proc.stdout.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found" and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def qt_plugin_folder(env: Mapping[str, str]) -> Path | None:
    """Where Qt will look for its platform plugins: ``QT_QPA_PLATFORM_PLUGIN_PATH``, else
    PySide6's own (found without importing it, which would load Qt's libraries)."""
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        return Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"])
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms"


def platforms_to_try(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt tries, in order (``QT_QPA_PLATFORM`` is a ``;`` list whose
    entries may carry ``:options``); by default Wayland first in a Wayland session, then X11."""
    wanted = env.get("QT_QPA_PLATFORM", "").strip()
    if wanted:
        return [p.split(":", 1)[0].strip() for p in wanted.split(";") if p.strip()]
    if env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"):
        return ["wayland", "xcb"]
    return ["xcb"]


def window_problem(env: Mapping[str, str] | None = None) -> str | None:
    """One line saying why Qt cannot open a window here, or ``None`` when nothing is known
    to be wrong. Run before ``QApplication`` is created."""
    env = os.environ if env is None else env
    if importlib.util.find_spec("PySide6") is None:
        return "PySide6 is not installed in this Python; reinstall Decision Desk (pip install .)"
    if not sys.platform.startswith("linux"):
        return None
    folder = qt_plugin_folder(env)
    if folder is None:
        return None
    problems: list[str] = []
    for platform in platforms_to_try(env):
        plugin = folder / f"libq{platform}.so"
        if not plugin.is_file():
            continue   # Qt lists the plugins it has; nothing to add
        label = _LABELS.get(platform, platform)
        missing = missing_libraries(plugin, env)
        if missing:
            packages = sorted({p for p in map(package_for, missing) if p})
            unknown = [m for m in missing if package_for(m) is None]
            fix = f"on Debian/Ubuntu: sudo apt-get install {' '.join(packages)}" if packages else ""
            if unknown:
                fix += ("; " if fix else "") + f"no package is known here for {', '.join(unknown)}"
            problems.append(f"the window cannot start: Qt's {label} platform needs {', '.join(missing)}, "
                            f"which {'is' if len(missing) == 1 else 'are'} not installed ({fix})")
            continue
        if platform == "xcb" and not env.get("DISPLAY"):
            problems.append("the window cannot start: Qt's X11 (xcb) platform needs an X display and DISPLAY is "
                            "not set; run it on a desktop, or set QT_QPA_PLATFORM=offscreen for a check")
            continue
        if platform == "wayland" and not env.get("WAYLAND_DISPLAY"):
            problems.append("the window cannot start: Qt's Wayland platform needs WAYLAND_DISPLAY, which is not set")
            continue
        return None   # Qt will get this far; anything else it reports itself
    return problems[0] if problems else None
