"""The README's screenshots: where the GUI tests save theirs, and the one command that
refreshes the committed ones on purpose.

A test run never writes into the work tree, so the tests that take screenshots save them in
their own temporary folder (they still check what is on them). The committed copies in
``resources/screenshots/`` change only when someone asks for it:

    .venv/bin/python -m tests.helpers.screenshots            # or: ... tests.helpers.screenshots OTHER/FOLDER

That runs the same tests with ``DESK_APP_SCREENSHOTS_DIR`` pointing at ``resources/screenshots``
and prints which files changed. (``decision-23-005-338-page1.png`` is made by
``resources/screenshots/make_decision_screenshot.sh``, with LibreOffice.)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import REPO

COMMITTED = REPO / "resources" / "screenshots"
#: Set to a folder to save the screenshots there instead of the test's temporary folder.
ENV = "DESK_APP_SCREENSHOTS_DIR"
#: The tests that take the committed screenshots, and what each takes.
TESTS = {
    "tests/gui/test_gui_screenshots.py::test_review_and_decision_screenshots": ("workspace-review.png",
                                                                               "workspace-decision.png"),
    "tests/gui/test_gui_screenshots.py::test_dark_palette": ("workspace-review-dark.png",),
    "tests/gui/test_gui_compare.py::test_screenshot": ("compare.png",),
    "tests/gui/test_gui_export_safety.py::test_export_summary_screenshot": ("export-summary.png",),
    "tests/gui/test_gui_scan_view.py::test_scan_review_screenshot": ("scan_review.png",),
}


def save_shot(pixmap, name: str, default_folder: Path) -> Path:  # noqa: ANN001 - a QPixmap
    """Save ``pixmap`` as PNG ``name`` in ``$DESK_APP_SCREENSHOTS_DIR`` or else ``default_folder``
    (a test's ``tmp_path``), through the project's atomic writer; returns the path."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from desk_app.core.atomic import write_file

    folder = Path(os.environ.get(ENV) or default_folder)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert pixmap.save(buffer, "PNG"), f"could not encode {name}"
    buffer.close()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    write_file(path, bytes(data.data()))
    return path


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.png"))}


def main(argv: list[str]) -> int:
    """Retake the committed screenshots (or save them in the folder given); the exit code is pytest's."""
    folder = Path(argv[0]).resolve() if argv else COMMITTED
    before = _digests(folder)
    env = dict(os.environ, **{ENV: str(folder)})
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS], cwd=REPO,
                          env=env)
    after = _digests(folder)
    for name in sorted(n for shots in TESTS.values() for n in shots):
        state = "missing" if name not in after else "unchanged" if before.get(name) == after[name] else "updated"
        print(f"{state:9}  {folder / name}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
