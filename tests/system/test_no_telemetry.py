"""No library writes usage telemetry into the user's profile (and so none has any to upload).

ONNX Runtime, the OCR engine's runtime, queues usage events in ``$XDG_CACHE_HOME`` or
``~/.cache/Microsoft`` as soon as it is imported unless ``ORT_DISABLE_TELEMETRY=1``. The OCR
module sets the variable when it builds the engine and ``desk-app`` sets it first thing
(``desk_app.netguard.disable_telemetry``), so an earlier import is covered too. Each check runs in
a new process whose home and cache folders are an empty temporary folder, and then looks in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desk_app.netguard import TELEMETRY_OFF
from desk_app.selftest import SCAN_NAME


def run_with_empty_home(tmp_path: Path, code: str) -> tuple[str, list[str]]:
    """Run ``code`` in a new interpreter with an empty home; its stdout and what it left in the home."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in TELEMETRY_OFF and not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, sorted(str(p.relative_to(home)) for p in home.rglob("*"))


def test_onnxruntime_writes_into_the_home_on_import_unless_told_not_to(tmp_path):
    """Why the variable is needed: without it, importing ONNX Runtime alone writes into the profile.
    (If a later ONNX Runtime stops doing this, the two tests below no longer prove anything.)"""
    out, left = run_with_empty_home(tmp_path, "import onnxruntime; print(onnxruntime.__version__)")
    if not left:
        # Seen on one CI machine with the same wheel: the runtime's telemetry layer decided not to
        # start there (it depends on the machine, not on this project). The premise then does not
        # hold and the guard tests below pass without proving anything here; say so instead of failing.
        pytest.skip(f"ONNX Runtime {out.strip()} wrote nothing into an empty home on import on this machine")
    assert ".cache/Microsoft" in left, left


def test_the_cli_switches_telemetry_off_before_anything_can_import_onnxruntime(tmp_path):
    out, left = run_with_empty_home(tmp_path, """
        import os
        from desk_app.cli import main as cli
        try:
            cli.main(["--version"])
        except SystemExit:
            pass
        import onnxruntime   # as any later import would, before the OCR module sets the variable itself
        print(os.environ.get("ORT_DISABLE_TELEMETRY"))
    """)
    assert out.split()[-1] == "1"
    assert left == []


def test_reading_a_scan_leaves_the_home_empty(tmp_path):
    out, left = run_with_empty_home(tmp_path, """
        from desk_app.core.ingest.ocr import read_image
        from desk_app.selftest import scan_image

        print(read_image(scan_image()).text)
    """)
    assert SCAN_NAME in out   # the OCR really ran
    assert left == []
