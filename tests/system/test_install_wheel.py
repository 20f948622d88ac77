"""Installing Decision Desk as a newcomer would: ``pip install .`` into a fresh virtual
environment, no extras, then the window and ``--selftest`` from outside the repository.

The wheel is built from a copy of the project (nothing is written into the work tree) with
the setuptools in this venv, and the build must print no warning. The fresh venv gets the
wheel itself; its dependencies come from this venv's site-packages through a ``.pth`` file
added after the install, because the tests run without a package index. The wheel's own
metadata is what proves that no extra is needed: every dependency it declares without an
extra marker, PySide6 included, must be present and is what the fresh install runs on.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers.paths import REPO

pytestmark = pytest.mark.slow
REPO = REPO
PROJECT_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """(the wheel, everything its build printed)."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "desk_app", src / "desk_app", ignore=ignore)
    shutil.copytree(REPO / "resources", src / "resources", ignore=ignore)
    out = root / "dist"
    # The build backend itself, as pip calls it, so that its warnings are not hidden by pip.
    proc = subprocess.run([sys.executable, "-W", "default", "-c",
                           "import sys; from setuptools import build_meta as b; print(b.build_wheel(sys.argv[1]))",
                           str(out)], cwd=src, capture_output=True, text=True, timeout=300,
                          # byte-compiling on, as for a user: otherwise distutils warns that it is off
                          env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    assert proc.returncode == 0, proc.stderr[-4000:]
    wheels = list(out.glob("desk_app-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], proc.stdout + proc.stderr


def test_the_build_prints_no_warning(built):
    _, output = built
    warnings = [line for line in output.splitlines() if re.search(r"warn|deprecat", line, re.IGNORECASE)]
    assert warnings == []


def test_the_wheel_needs_no_extra_for_the_window_and_carries_the_resources(built):
    wheel, _ = built
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    requires = [line.split(":", 1)[1].strip() for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    always = [r for r in requires if "extra ==" not in r]
    assert any(r.startswith("PySide6-Essentials") for r in always), always
    assert "License-Expression: LicenseRef-Proprietary" in meta
    assert not any(line.startswith("License:") for line in meta.splitlines())   # the deprecated field
    for needed in ("paragraph_library.yaml", "templates/decision-template.docx", "sample_case/case-notes.txt",
                   "sample_case/council-response.docx", "sample_case/complaint-letter.pdf",
                   "sample_compare/draft-v1.txt"):
        assert f"desk_app/resources/{needed}" in names, needed
    assert not [n for n in names if "screenshots" in n or n.endswith((".sh", "make_template.py"))]


@pytest.fixture(scope="module")
def fresh_venv(built, tmp_path_factory) -> Path:
    wheel, _ = built
    folder = tmp_path_factory.mktemp("venv") / "fresh"
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # The dependencies, after the install so that pip never saw them (a path line, which does
    # not run this venv's own .pth files: its editable desk_app stays out of the fresh venv).
    (Path(purelib) / "zz_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return folder


def fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DESK_APP_"))}
    env.update(QT_QPA_PLATFORM="offscreen", DESK_APP_DATA_DIR=str(tmp_path / "user-data"), HOME=str(tmp_path))
    env.pop("DISPLAY", None)
    return env


def test_the_fresh_install_runs_from_its_own_copy_with_every_dependency(fresh_venv, tmp_path):
    code = ("import importlib.metadata as m\n"
            "from packaging.requirements import Requirement\n"
            "def ok(text):\n"
            "    req = Requirement(text)\n"
            "    try:\n"
            "        return req.specifier.contains(m.version(req.name), prereleases=True)\n"
            "    except m.PackageNotFoundError:\n"
            "        return False\n"
            "import desk_app, desk_app.resources as r\n"
            "d = m.distribution('desk-app')\n"
            "print(desk_app.__file__); print(r.resources_root())\n"
            "print([q for q in d.requires if 'extra ==' not in q and not ok(q)])\n")
    proc = subprocess.run([str(fresh_venv / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=fresh_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    module, resources, missing = proc.stdout.splitlines()
    assert module.startswith(str(fresh_venv)), module                 # not the repository's desk_app
    assert resources.startswith(str(fresh_venv)) and resources.endswith("desk_app/resources"), resources
    assert missing == "[]"


def test_the_fresh_install_passes_its_selftest(fresh_venv, tmp_path):
    proc = subprocess.run([str(fresh_venv / "bin" / "desk-app"), "--selftest"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env=fresh_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "selftest passed" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_the_fresh_install_opens_the_window_and_stays_up(fresh_venv, tmp_path):
    env = fresh_env(tmp_path)
    proc = subprocess.Popen([str(fresh_venv / "bin" / "desk-app"), "--sample"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(8)   # the window shows in under a second; the model loads and the sample is analysed
        assert proc.poll() is None, proc.communicate()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err
