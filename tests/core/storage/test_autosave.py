"""Autosave and recovery: where files live, which are pending, discard, purge, damaged files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desk_app.core.errors import InputError, OutputError
from desk_app.core.storage import autosave as autosave_module
from desk_app.core.storage.autosave import AUTOSAVE_SUFFIX, DATA_DIR_ENV, Autosave, AutosaveStore, new_session_id

CASE = {"format": "decision-desk-case", "version": 1, "sources": [], "review": {"note": "Mrs Laffey"}}


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch) -> Path:
    """Never touch the real profile, even in a test that forgets to pass a root."""
    data = tmp_path / "profile"
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    return data


@pytest.fixture
def store(tmp_path) -> AutosaveStore:
    return AutosaveStore(tmp_path / "autosave")


@pytest.fixture(scope="module")
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()   # reaped: the pid names no process now
    return proc.pid


def rewrite(path: Path, **changes) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(json.dumps(record), encoding="utf-8")


def crashed(store: AutosaveStore, pid: int, data=CASE, written_at: datetime | None = None, **kwargs) -> str:
    """An autosave as left by another process that died."""
    session = new_session_id()
    path = store.write(session, data, **kwargs)
    changes: dict = {"pid": pid}
    if written_at is not None:
        changes["written_at"] = written_at.isoformat()
    rewrite(path, **changes)
    return session


def test_session_ids_are_unique_hex():
    ids = {new_session_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_write_is_atomic_json_with_the_fields(store, tmp_path):
    session = new_session_id()
    path = store.write(session, CASE, case_path=tmp_path / "c.deskcase")
    assert path == store.root / f"{session}{AUTOSAVE_SUFFIX}"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["session"] == session and record["pid"] == os.getpid() and record["case"] == CASE
    assert record["case_path"] == str(tmp_path / "c.deskcase")
    assert datetime.fromisoformat(record["written_at"]).tzinfo is not None
    store.write(session, {**CASE, "review": {}})
    assert json.loads(path.read_text(encoding="utf-8"))["case_path"] is None
    assert [p.name for p in store.root.iterdir()] == [path.name]   # no temp files left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_autosaves_are_private(store):
    path = store.write(new_session_id(), CASE)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store.write(path.name.removesuffix(AUTOSAVE_SUFFIX), CASE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_failed_write_keeps_the_previous_autosave(store, monkeypatch):
    session = new_session_id()
    path = store.write(session, CASE)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OutputError):
        store.write(session, {"other": 1})
    assert path.read_bytes() == before
    assert [p.name for p in store.root.iterdir()] == [path.name]


@pytest.mark.parametrize("bad", ["", "../escape", "a/b", "x" * 65, "spaces here"])
def test_session_ids_cannot_escape_the_folder(store, bad):
    with pytest.raises(ValueError):
        store.write(bad, CASE)


def test_own_autosave_is_not_pending(store):
    store.write(new_session_id(), CASE)
    assert store.pending() == [] and store.errors == []


def test_autosave_of_a_dead_process_is_pending(store, dead_pid, tmp_path):
    session = crashed(store, dead_pid, case_path=tmp_path / "c.deskcase")
    [found] = store.pending()
    assert isinstance(found, Autosave)
    assert found.session_id == session and found.data == CASE
    assert found.case_path == tmp_path / "c.deskcase"
    assert found.path == store.path_for(session) and found.written_at.tzinfo is not None


@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot probe a pid safely; it counts as dead")
def test_autosave_of_a_running_process_is_not_pending_until_it_dies(store):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        crashed(store, proc.pid)
        assert store.pending() == []
    finally:
        proc.kill()
        proc.wait()
    assert len(store.pending()) == 1


def test_pending_is_newest_first(store, dead_pid):
    now = datetime.now().astimezone()
    old = crashed(store, dead_pid, written_at=now - timedelta(hours=3))
    new = crashed(store, dead_pid, written_at=now - timedelta(minutes=1))
    middle = crashed(store, dead_pid, written_at=(now - timedelta(hours=1)).replace(tzinfo=None))   # naive: local
    assert [a.session_id for a in store.pending()] == [new, middle, old]


def test_discard_removes_and_tolerates_absence(store, dead_pid):
    session = crashed(store, dead_pid)
    store.discard(session)
    assert not store.path_for(session).exists() and store.pending() == []
    store.discard(session)
    store.discard(new_session_id())


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    '{"session": "x"}',
    "\udcff",
])
def test_damaged_autosave_is_reported_not_raised_and_kept(store, dead_pid, content):
    good = crashed(store, dead_pid)
    bad = store.root / f"{new_session_id()}{AUTOSAVE_SUFFIX}"
    bad.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert [a.session_id for a in store.pending()] == [good]
    [error] = store.errors
    assert isinstance(error, InputError) and error.path == bad and str(bad) in str(error)
    assert bad.exists()


@pytest.mark.parametrize("field, value", [
    ("pid", "123"), ("pid", 0), ("pid", True), ("written_at", "last week"), ("written_at", None),
    ("case", []), ("case_path", 5), ("session", "someone-else"),
])
def test_autosave_with_a_bad_field_is_reported(store, dead_pid, field, value):
    session = crashed(store, dead_pid)
    rewrite(store.path_for(session), **{field: value})
    assert store.pending() == []
    [error] = store.errors
    assert "damaged" in str(error) and str(store.path_for(session)) in str(error)


def test_huge_pid_counts_as_dead(store):
    crashed(store, 2**80)
    assert len(store.pending()) == 1


def test_no_folder_yet_means_nothing_pending(tmp_path):
    store = AutosaveStore(tmp_path / "never made")
    assert store.pending() == [] and store.errors == [] and store.purge() == []
    assert not store.root.exists()


def test_purge_removes_old_autosaves_only(store, dead_pid):
    now = datetime.now().astimezone()
    stale = crashed(store, dead_pid, written_at=now - timedelta(days=15))
    recent = crashed(store, dead_pid, written_at=now - timedelta(days=13))
    mine = store.write(new_session_id(), CASE)
    rewrite(mine, written_at=(now - timedelta(days=30)).isoformat())   # this session is alive: kept

    removed = store.purge()
    assert removed == [store.path_for(stale)]
    assert not store.path_for(stale).exists()
    assert store.path_for(recent).exists() and mine.exists()
    assert store.purge(max_age_days=1) == [store.path_for(recent)]


def test_purge_removes_old_damaged_autosaves_and_temp_files_by_mtime(store, dead_pid):
    store.root.mkdir(parents=True)
    damaged = store.root / f"{new_session_id()}{AUTOSAVE_SUFFIX}"
    damaged.write_text("{broken", encoding="utf-8")
    temp = store.root / f".{new_session_id()}{AUTOSAVE_SUFFIX}.k2j3.tmp"
    temp.write_text("{half", encoding="utf-8")
    fresh_damaged = store.root / f"{new_session_id()}{AUTOSAVE_SUFFIX}"
    fresh_damaged.write_text("{broken", encoding="utf-8")
    other = store.root / "notes.txt"
    other.write_text("not ours", encoding="utf-8")
    long_ago = time.time() - 20 * 86400
    for path in (damaged, temp, other):
        os.utime(path, (long_ago, long_ago))

    assert sorted(store.purge()) == sorted([damaged, temp])
    assert fresh_damaged.exists() and other.exists()


def test_env_var_moves_the_data_folder(tmp_path, monkeypatch, dead_pid):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    store = AutosaveStore()
    assert store.root == tmp_path / "elsewhere" / "autosave"
    session = crashed(store, dead_pid)
    assert (tmp_path / "elsewhere" / "autosave" / f"{session}{AUTOSAVE_SUFFIX}").exists()


def test_constructor_root_beats_the_env_var(tmp_path):
    assert AutosaveStore(tmp_path / "mine").root == tmp_path / "mine"


def test_default_is_the_user_data_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv(DATA_DIR_ENV)
    expected = platformdirs.user_data_path("decision-desk", appauthor=False) / "autosave"
    assert AutosaveStore().root == expected   # only the path: nothing is written there


def test_process_probe(dead_pid):
    assert autosave_module._process_alive(os.getpid()) is (sys.platform != "win32")
    assert autosave_module._process_alive(dead_pid) is False
    assert autosave_module._process_alive(0) is False
