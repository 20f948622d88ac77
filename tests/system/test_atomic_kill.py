"""No data loss (issue 6, part 6): a save killed half-way leaves the previous file intact.

A real process writes a large file through ``savefile_open`` over an existing one, slowly,
and is SIGKILLed once its temporary file has grown. SIGKILL runs no cleanup at all, so
what is on disk afterwards is exactly what a crash or a power cut (short of the disk's own
cache) leaves. The hidden temp file it leaves is removed by the next write of that target
once it is older than ``STALE_TEMP_SECONDS``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk_app.core.atomic import STALE_TEMP_SECONDS, savefile_open, temp_files_of, write_file

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and file modes are POSIX")

CHUNK = 64 * 1024
SLOW_WRITER = f"""
import sys, time
from desk_app.core.atomic import savefile_open

with savefile_open(sys.argv[1], "wb") as f:
    for i in range(100_000):            # 6.5 GB if never killed: it always is
        f.write(bytes([65 + i % 26]) * {CHUNK})
        f.flush()
        time.sleep(0.005)
"""


def previous_content() -> bytes:
    return b"".join(f"paragraph {i}: the decision as it was before the save\n".encode() for i in range(20_000))


def kill_half_way(target: Path) -> Path:
    """Start a slow save of ``target``, SIGKILL it once its temp file passes 1 MB; return the temp file."""
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            temps = temp_files_of(target)
            if temps and temps[0].stat().st_size > 1024 * 1024:
                break
            assert proc.poll() is None, "the writer ended before it could be killed"
            time.sleep(0.01)
        else:
            pytest.fail("the writer's temp file never grew")
        mode = temps[0].stat().st_mode & 0o777
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert mode == 0o600, oct(mode)          # half-written personal data: the owner's only
    return temps[0]


@pytest.mark.slow
def test_killed_save_leaves_the_previous_file_byte_identical(tmp_path: Path) -> None:
    target = tmp_path / "decision.docx"
    before = previous_content()
    target.write_bytes(before)

    temp = kill_half_way(target)

    assert target.read_bytes() == before
    # what the killed process leaves: one hidden temp file, never the target's own name
    assert temp_files_of(target) == [temp]
    assert temp.name.startswith(".decision.docx.") and temp.name.endswith(".tmp")
    assert temp.stat().st_size > 1024 * 1024
    assert sorted(os.listdir(tmp_path)) == sorted([target.name, temp.name])


@pytest.mark.slow
def test_the_next_write_of_the_target_removes_the_stale_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(previous_content())
    stale = kill_half_way(target)
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))

    write_file(target, '{"new": true}\n')

    assert target.read_text(encoding="utf-8") == '{"new": true}\n'
    assert not stale.exists()
    assert os.listdir(tmp_path) == [target.name]


def test_a_recent_temp_file_may_be_a_live_save_and_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "case.deskcase"
    with savefile_open(target, "w") as live:     # another save of the same target, still open
        live.write("half")
        (live_temp,) = temp_files_of(target)
        write_file(target, "first")
        assert live_temp.exists()
        assert target.read_text(encoding="utf-8") == "first"
    assert target.read_text(encoding="utf-8") == "half"      # the later rename wins, whole
    assert temp_files_of(target) == []


def test_only_this_targets_temp_files_are_touched(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    old = time.time() - STALE_TEMP_SECONDS - 60
    others = [tmp_path / ".notes.txt.bak.0123456789ab.tmp",    # a temp of notes.txt.bak
              tmp_path / ".notes.txt.0123456789ab.tmp.keep",   # not a temp name at all
              tmp_path / ".other.txt.0123456789ab.tmp"]
    stale = tmp_path / ".notes.txt.0123456789ab.tmp"
    for path in [*others, stale]:
        path.write_text("x", encoding="utf-8")
        os.utime(path, (old, old))
    assert temp_files_of(target) == [stale]

    write_file(target, "new")

    assert not stale.exists() and all(p.exists() for p in others)


def test_exception_half_way_keeps_the_previous_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "decision.txt"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError), savefile_open(target, "w") as f:
        f.write("half of the new one")
        raise RuntimeError("the export failed half-way")
    assert target.read_text(encoding="utf-8") == "previous"
    assert os.listdir(tmp_path) == [target.name]


def test_a_folder_that_is_a_file_is_one_output_error(tmp_path: Path) -> None:
    from desk_app.core.errors import OutputError

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        write_file(blocker / "out.txt", "data")
    assert str(caught.value) == f"{blocker / 'out.txt'}: the output folder is a file, not a folder"


def test_open_log_is_the_one_non_atomic_write_and_is_owner_only(tmp_path: Path) -> None:
    from desk_app.core.atomic import open_log

    path = tmp_path / "crash-1.log"
    with open_log(path) as log:
        log.write("Fatal Python error\n")
        assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="utf-8") == "Fatal Python error\n"


def test_a_private_file_is_never_readable_by_others(tmp_path):
    """Autosaves hold personal data: 0600 from the temp file to the renamed file, whatever the umask."""
    import os

    from desk_app.core.atomic import write_file

    old = os.umask(0)
    try:
        write_file(tmp_path / "shared.txt", "text")
        write_file(tmp_path / "private.json", "{}", private=True)
    finally:
        os.umask(old)
    assert (tmp_path / "shared.txt").stat().st_mode & 0o777 == 0o666
    assert (tmp_path / "private.json").stat().st_mode & 0o777 == 0o600
