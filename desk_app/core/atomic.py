"""The one way Decision Desk writes a file.

Modelled on qutebrowser's ``savefile_open``: write into a temporary file in the target's
folder, flush and fsync, then ``os.replace`` over the target. A crash or an exception
half-way leaves the previous file untouched and no partial file behind.

A process that is killed outright (SIGKILL, power cut) cannot remove its temporary file.
That file is hidden (``.<name>.<random>.tmp``), never has the target's name, and is
deleted by the next successful write of the same target once it is older than
``STALE_TEMP_SECONDS``; a younger one may belong to another process writing right now.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["STALE_TEMP_SECONDS", "open_log", "savefile_open", "temp_files_of", "write_file"]

# A save takes seconds; a temp file untouched for this long is left by a killed process.
STALE_TEMP_SECONDS = 15 * 60
_TOKEN_HEX = 12   # characters of randomness in a temp file's name
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_pattern(target: Path) -> re.Pattern[str]:
    """Exactly the names ``_create_temp`` makes for ``target`` (not those of ``target.bak``)."""
    return re.compile(re.escape(f".{target.name}.") + f"[0-9a-f]{{{_TOKEN_HEX}}}" + re.escape(".tmp"))


def temp_files_of(path: str | os.PathLike[str]) -> list[Path]:
    """The temporary files of writes of ``path`` that are in progress or were killed."""
    target = Path(path)
    pattern = _temp_pattern(target)
    try:
        return sorted(p for p in target.parent.iterdir() if pattern.fullmatch(p.name))
    except OSError:
        return []


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new hidden file next to ``target``, 0600 so nobody else reads personal data half-written."""
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(_TOKEN_HEX // 2)}.tmp"
        try:
            return os.open(tmp, _OPEN_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name next to {target}")


def _remove_stale_temps(target: Path, keep: Path) -> None:
    """Delete temp files of ``target`` left by killed writers; best effort, never fails a save."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for old in temp_files_of(target):
        if old == keep:
            continue
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); without it a power cut can undo it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def savefile_open(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                  newline: str | None = None, private: bool = False) -> Iterator[IO[Any]]:
    """Open ``path`` for writing atomically; text mode by default, ``"wb"`` for bytes.

    ``private`` keeps the file owner-only (0600) for good, as autosaves of personal data need;
    otherwise it gets the mode a plain ``open()`` would give (or the old file's).
    """
    if mode not in ("w", "wb"):
        raise ValueError("savefile_open writes only: mode must be 'w' or 'wb'")
    target = Path(path)
    fd, tmp = _create_temp(target)
    try:
        # os.fdopen owns the descriptor from here: it closes it even when it fails
        f: IO[Any]
        if mode == "wb":
            f = os.fdopen(fd, "wb")
        else:
            f = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        # 0600 while half-written; now the mode a plain open() would have given (or the old file's)
        if not private:
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)
    _remove_stale_temps(target, keep=tmp)


def write_file(path: str | os.PathLike[str], data: str | bytes, newline: str | None = None,
               private: bool = False) -> None:
    """Write ``data`` atomically; a failure becomes one plain OutputError naming the file."""
    from desk_app.core.errors import OutputError

    target = Path(path)
    try:
        if isinstance(data, bytes):
            with savefile_open(target, "wb", private=private) as f:
                f.write(data)
        else:
            with savefile_open(target, "w", newline=newline, private=private) as f:
                f.write(data)
    except PermissionError:
        raise OutputError("cannot write here (permission denied)", target) from None
    except FileNotFoundError:
        raise OutputError("the output folder does not exist", target) from None
    except NotADirectoryError:
        raise OutputError("the output folder is a file, not a folder", target) from None
    except IsADirectoryError:
        raise OutputError("is a folder, not a file", target) from None
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", target) from None


def open_log(path: str | os.PathLike[str]) -> IO[str]:
    """Open a log that is written while the program runs, not saved whole: the one non-atomic write.

    faulthandler writes a crash trace into an open descriptor as the process dies, so the
    file must exist and stay open from the start; there is no "previous file" to protect.
    It is created owner-only, because a trace can include file names of case notes.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    return os.fdopen(fd, "w", encoding="utf-8")
