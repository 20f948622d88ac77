"""The worker pool under the ``spawn`` start method, the only one Windows and macOS have:
the same documents, detections and messages as one process, in input order.

Each spawned worker is a fresh interpreter that loads its own model (about 1.5 s), so these
tests use one pool per test on a small generated case bundle (.txt and .docx) plus files
that cannot be read.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desk_app.core.pipeline.workers import DEFAULT_START_METHOD, detect_in_pool, worker_count
from tests.helpers.paths import TESTS

pytestmark = pytest.mark.slow
BENCH = TESTS / "benchmarks"


def case_bundle():
    """tests/benchmarks/case_bundle.py by file (tests/benchmarks is not a package)."""
    if "bench_case_bundle" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_case_bundle", BENCH / "case_bundle.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_case_bundle"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_case_bundle"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("bundle")
    case_bundle().write_bundle(folder, pages=12, files=6, seed=5)
    (folder / "zz-broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "zz-empty.pdf").write_bytes(b"")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    assert len(files) == 8 and {p.suffix for p in files} == {".txt", ".docx", ".pdf"}
    return files


def summary(results) -> list[tuple]:
    """Everything a caller gets back, as plain values to compare."""
    out = []
    for doc, dets, error in results:
        if error:
            out.append(("error", error))
        else:
            out.append((str(doc.path), doc.text, list(dets)))
    return out


def test_spawn_pool_gives_what_one_process_gives(bundle, detector):
    one = detect_in_pool(bundle, 1, detector=detector)
    two = detect_in_pool(bundle, 2, start_method="spawn")
    assert DEFAULT_START_METHOD == "spawn"
    assert summary(two) == summary(one)
    assert [str(doc.path) for doc, _, _ in one[:6]] == [str(p) for p in bundle[:6]]   # input order
    assert sum(len(dets) for _, dets, _ in one[:6]) > 300                               # a real case
    errors = [e for _, _, e in one if e]
    assert len(errors) == 2 and all(e.count("\n") == 0 for e in errors)


def test_the_pool_neither_pickles_nor_loads_the_parents_model(bundle, detector):
    """Workers build their own engine: a detector that cannot be pickled does not matter to the
    pool, and a factory (what the command line passes) is not even called."""
    class Unpicklable:
        def __reduce__(self):
            raise AssertionError("the parent's detector was sent to a worker")

        def detect(self, doc):   # pragma: no cover - never called with jobs=2
            raise AssertionError("the parent's detector was used")

    results = detect_in_pool(bundle[:3], 2, start_method="spawn", detector=Unpicklable())
    assert [e for _, _, e in results] == [None, None, None]
    assert all(dets for _, dets, _ in results)

    calls: list[int] = []

    def factory():
        calls.append(1)
        return detector

    assert summary(detect_in_pool(bundle[:2], 2, start_method="spawn", detector=factory)) == summary(results[:2])
    assert calls == []
    assert summary(detect_in_pool(bundle[:2], 1, detector=factory)) == summary(results[:2])
    assert calls == [1]


def test_worker_count():
    assert worker_count(2, 10) == 2
    assert worker_count(8, 3) == 3
    assert worker_count(0, 100) == min(os.cpu_count() or 1, 100)
    assert worker_count(5, 0) == 1


def _outputs(folder: Path) -> dict[str, object]:
    """What ``desk-app anonymise`` wrote: text files as text, Word files part by part."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as zf:
                found[path.name] = {n: zf.read(n) for n in sorted(zf.namelist())}
        elif path.is_file() and path.suffix != ".json":
            found[path.name] = path.read_text(encoding="utf-8")
    return found


def test_cli_jobs_2_writes_the_same_copies_and_mapping_as_jobs_1(bundle, tmp_path):
    env = dict(os.environ, DESK_APP_DATA_DIR=str(tmp_path / "user-data"))
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        mapping = tmp_path / f"case-{jobs}.map.json"
        proc = subprocess.run([sys.executable, "-m", "desk_app", "anonymise", *map(str, bundle), "--out-dir",
                               str(out), "--mapping", str(mapping), "--jobs", jobs], capture_output=True, text=True,
                              timeout=600, env=env, cwd=tmp_path)
        assert "Traceback" not in proc.stderr, proc.stderr
        said = [text.replace(str(out), "OUT").replace(str(mapping), "MAPPING") for text in (proc.stdout, proc.stderr)]
        runs[jobs] = (_outputs(out), json.loads(mapping.read_text(encoding="utf-8")), *said, proc.returncode)
    copies_1, mapping_1, stdout_1, stderr_1, code_1 = runs["1"]
    copies_2, mapping_2, stdout_2, stderr_2, code_2 = runs["2"]
    assert code_1 == code_2 == 1                    # two files could not be read
    assert len(copies_1) == 6                       # the six readable files, anonymised
    assert copies_2 == copies_1
    assert mapping_2 == mapping_1
    assert stdout_2 == stdout_1 and stderr_2 == stderr_1   # the same report and the same two errors
    assert "zz-broken.docx" in stderr_1 and "zz-empty.pdf" in stderr_1


def test_each_file_its_own_case_is_anonymised_in_the_workers_with_the_same_result(bundle, tmp_path, detector):
    """Without a mapping every file is its own case, read, detected and anonymised in the pool
    and written by the parent as each comes back: the copies, the report (replacements,
    warnings, errors, in input order) are those of one process, and the parent builds no model."""
    from desk_app.core.pipeline import export_case

    results = {}
    for jobs in (1, 2):
        calls: list[int] = []

        def factory(calls=calls):
            calls.append(1)
            return detector

        out, report = tmp_path / f"each-{jobs}", tmp_path / f"report-{jobs}.json"
        result = export_case(bundle, out, factory, report_path=report, complainant="Nobody Of This Name",
                             jobs=jobs)
        assert calls == ([1] if jobs == 1 else [])
        data = json.loads(report.read_text(encoding="utf-8"))
        data.pop("created", None)
        results[jobs] = (_outputs(out), [(o.source.name, o.error) for o in result.outcomes],
                         [r.original for r in result.report], json.dumps(data, sort_keys=True).replace(str(out), "OUT"))
    assert results[2][0] == results[1][0] and len(results[1][0]) == 6
    assert results[2][1] == results[1][1]
    assert [name for name, _ in results[1][1]] == [p.name for p in bundle]          # input order
    assert [name for name, error in results[1][1] if error] == ["zz-broken.docx", "zz-empty.pdf"]
    assert results[2][2] == results[1][2] and len(results[1][2]) > 300
    assert results[2][3] == results[1][3]
    assert results[1][3].count("the complainant was inferred instead") == 6      # one warning per case


def test_every_core_means_one_process_for_a_small_batch(bundle, detector, monkeypatch):
    """``jobs`` 0 starts a pool only for a batch worth its start-up: a few short files run in
    this process with the caller's detector; above ``AUTO_POOL_BYTES`` the pool runs them."""
    from desk_app.core.pipeline import workers

    calls: list[int] = []

    def factory():
        calls.append(1)
        return detector

    small = bundle[:2]
    assert sum(p.stat().st_size for p in small) < workers.AUTO_POOL_BYTES
    here = workers.detect_in_pool(small, 0, detector=factory)
    assert calls == [1]
    monkeypatch.setattr(workers, "AUTO_POOL_BYTES", 0)
    pooled = workers.detect_in_pool(small, 0, detector=factory, start_method="spawn")
    # with two cores or more the pool's workers built their own and the factory was not called
    # again; on one core "every core" is this process
    assert calls == ([1] if (os.cpu_count() or 1) >= 2 else [1, 1])
    assert summary(pooled) == summary(here)
