"""The set-up scripts a newcomer runs: which system packages are missing (.ci/syspackages),
and the check that a test run leaves the work tree as it found it (.ci/worktree-state)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from desk_app.gui.syslibs import DEBIAN_PACKAGES, qt_plugin_folder
from tests.helpers.paths import REPO

REPO = REPO
CI = REPO / ".ci"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "clone"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    (folder / "tracked.png").write_bytes(b"\x89PNG one")
    (folder / "old name.txt").write_text("moved\n", encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first")
    return folder


def state(repo: Path) -> str:
    proc = subprocess.run(["bash", str(CI / "worktree-state"), str(repo)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_worktree_state_sees_every_kind_of_change_a_test_could_make(repo):
    assert state(repo) == ""                       # a fresh clone
    (repo / "ignored").mkdir()
    (repo / "ignored" / "cache.bin").write_bytes(b"x")
    assert state(repo) == ""                       # ignored files (the venv, caches) do not count
    (repo / "tracked.png").write_bytes(b"\x89PNG two")
    first = state(repo)
    assert first.split()[0] == "M" and first.split()[-1] == "tracked.png"
    (repo / "tracked.png").write_bytes(b"\x89PNG three")   # already dirty, written again: still seen
    second = state(repo)
    assert second != first and second.split()[-1] == "tracked.png"
    (repo / "new dir").mkdir()
    (repo / "new dir" / "left behind.png").write_bytes(b"new")
    assert "?? " in state(repo) and state(repo).rstrip().endswith("new dir/left behind.png")


def test_worktree_state_handles_a_staged_rename(repo):
    git(repo, "mv", "old name.txt", "new name.txt")
    lines = state(repo).splitlines()
    assert len(lines) == 1 and lines[0].startswith("R ") and lines[0].endswith(" new name.txt"), lines


def syspackages(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(CI / "syspackages"), *args], capture_output=True, text=True, timeout=60)


def test_ci_installs_a_package_for_every_system_library_of_the_x11_window():
    """The libraries of Qt's X11 plugin (found by ldd, present or not) that have a Debian package
    are all in the list .ci/run installs, so CI and a newcomer's apt line cover the real gaps."""
    folder = qt_plugin_folder({})
    plugin = folder / "libqxcb.so" if folder else None
    if plugin is None or not plugin.is_file() or shutil.which("ldd") is None:
        pytest.skip("no X11 plugin or no ldd here (not Linux)")
    listed = set(syspackages("list").stdout.split())
    ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    sonames = {line.split()[0] for line in ldd.splitlines() if "=>" in line}
    needed = {DEBIAN_PACKAGES[s] for s in sonames if s in DEBIAN_PACKAGES}
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"} <= needed   # what the issue ran into
    glib = {"libglib2.0-0", "libglib2.0-0t64"}
    assert needed - listed - glib == set()
    assert listed & glib


# What every Debian/Ubuntu has, whatever else is installed: glibc (libc6), libgcc-s1, libstdc++6
# and zlib1g (dpkg and apt depend on them).
BASE_SYSTEM = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2",
               "libgcc_s.so.1", "libstdc++.so.6", "libz.so.1"}
OCR_PACKAGES = ("cv2", "onnxruntime", "shapely", "pyclipper", "pypdfium2_raw", "PIL")


def test_the_ocr_engine_needs_no_system_package_beyond_the_base_system():
    """Every library the OCR stack's compiled files ask the loader for is in its wheels or in the
    base system, so .ci/syspackages needs nothing for it (no libgomp, no GLib). A new wheel that
    starts to need, say, libgomp1 fails here and names the file."""
    import importlib.util

    if shutil.which("objdump") is None:
        pytest.skip("objdump (binutils) is not installed")
    roots = [Path(importlib.util.find_spec(name).origin).parent for name in OCR_PACKAGES]
    site = roots[0].parent
    # auditwheel puts a wheel's own libraries in <dist>.libs beside the package
    roots += [p for p in site.glob("*.libs") if p.name.split(".")[0].split("_")[0] in
              ("opencv", "shapely", "pillow", "onnxruntime", "pyclipper", "pypdfium2")]
    files = [f for root in roots for f in root.rglob("*.so*") if f.is_file()]
    assert any(f.name.startswith("cv2") for f in files) and any("onnxruntime" in f.name for f in files)
    carried = {f.name for f in files}
    outside = {}
    for f in files:
        dump = subprocess.run(["objdump", "-p", str(f)], capture_output=True, text=True, check=True).stdout
        for line in dump.splitlines():
            if line.strip().startswith("NEEDED") and line.split()[1] not in carried | BASE_SYSTEM:
                outside.setdefault(line.split()[1], f.relative_to(site).as_posix())
    assert outside == {}, f"add their Debian packages to .ci/syspackages: {outside}"


def test_setup_check_names_exactly_the_packages_dpkg_says_are_missing():
    if shutil.which("dpkg-query") is None:
        pytest.skip("not a Debian/Ubuntu system")
    proc = syspackages("check")
    assert proc.returncode == 0 and proc.stdout == ""
    listed = syspackages("list").stdout.split()

    def installed(name: str) -> bool:
        names = [name, "libglib2.0-0t64"] if name == "libglib2.0-0" else [name]
        return any(subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Abbrev}", n], capture_output=True,
                                  text=True).stdout == "ii " for n in names)

    missing = [p for p in listed if not installed(p)]
    if not missing:
        assert proc.stderr == ""                   # nothing to say: setup prints nothing
        return
    lines = proc.stderr.splitlines()
    assert lines[-1] == "  install them with: sudo apt-get install " + " ".join(missing)
    named = [w for line in lines[1:-1] for w in line.split(": ", 1)[1].split()]
    assert named == missing
