"""Autosave and crash recovery, in the manner of qutebrowser's session autosave.

While a case has unsaved changes the GUI writes ``<session_id>.autosave.json`` now and then
(the throttle lives in the GUI) and deletes it on a clean save or exit. An autosave still on disk
at start-up whose writing process is gone comes from a session that crashed, was killed or lost
power: :meth:`AutosaveStore.pending` offers it for recovery.

Autosaves hold personal data, so they live only in the user's data folder (never beside the
case, never in a shared temp folder), in a folder only the user can open, and
:meth:`AutosaveStore.purge` deletes stale ones so they do not linger. ``DESK_APP_DATA_DIR``
replaces the data folder, so tests never touch the real profile.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from desk_app.core.atomic import write_file
from desk_app.core.errors import InputError, OutputError

APP_NAME = "decision-desk"
#: Replaces the user data folder; autosaves go in its ``autosave`` sub-folder.
DATA_DIR_ENV = "DESK_APP_DATA_DIR"
AUTOSAVE_SUFFIX = ".autosave.json"
_SESSION_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_FIELDS = {"session", "case_path", "written_at", "pid", "case"}


def new_session_id() -> str:
    """A fresh id per GUI session; random, so two instances never share an autosave file."""
    return uuid.uuid4().hex


def data_dir() -> Path:
    """The user's Decision Desk data folder, or ``$DESK_APP_DATA_DIR`` when set."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def _process_alive(pid: int) -> bool:
    """Whether ``pid`` is a running process, as far as can be told cheaply.

    On Windows ``os.kill(pid, 0)`` would *terminate* the process, so there every other pid
    counts as dead: at worst a second running instance's autosave is offered for recovery.
    """
    if pid <= 0 or sys.platform == "win32":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # exists, but belongs to another user
        return True
    except (OSError, OverflowError):
        return False
    return True


@dataclass
class Autosave:
    """One recoverable autosave; ``data`` is what the session passed to :meth:`AutosaveStore.write`."""

    session_id: str
    path: Path
    written_at: datetime
    case_path: Path | None
    data: dict[str, Any]


class AutosaveStore:
    """The autosave folder: ``root`` if given, else ``data_dir() / "autosave"``.

    ``errors`` lists the autosave files the last :meth:`pending` could not read; they are kept
    (the user may want them) and reported, never raised.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir() / "autosave"
        self.errors: list[InputError] = []

    def path_for(self, session_id: str) -> Path:
        """The file for ``session_id``; ids are checked because they become file names."""
        if not isinstance(session_id, str) or not _SESSION_RE.fullmatch(session_id):
            raise ValueError(f"session id {session_id!r} must be 1-64 letters, digits, - or _ (see new_session_id)")
        return self.root / f"{session_id}{AUTOSAVE_SUFFIX}"

    def write(self, session_id: str, data: dict[str, Any], case_path: str | os.PathLike[str] | None = None) -> Path:
        """Replace this session's autosave atomically: a crash mid-write leaves the previous one.

        ``case_path`` is the ``.deskcase`` file the session is editing, if it has been saved yet.
        Failures are an OutputError; data that is not plain JSON is a programming error (TypeError).
        """
        if not isinstance(data, dict):
            raise TypeError(f"autosave data must be a dict, not {type(data).__name__}")
        target = self.path_for(session_id)
        record = {"session": session_id, "case_path": os.fspath(case_path) if case_path is not None else None,
                  "written_at": datetime.now().astimezone().isoformat(), "pid": os.getpid(), "case": data}
        text = json.dumps(record, ensure_ascii=False, allow_nan=False)   # compact: written often
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"the autosave folder cannot be created ({exc.strerror or exc})", self.root) from None
        write_file(target, text, private=True)   # personal data: owner only, from the first byte
        return target

    def discard(self, session_id: str) -> None:
        """Delete this session's autosave after a clean save or exit; nothing to delete is fine."""
        path = self.path_for(session_id)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"the autosave cannot be deleted ({exc.strerror or exc})", path) from None

    def pending(self) -> list[Autosave]:
        """Autosaves left by sessions that did not exit cleanly, newest first.

        Autosaves of this process and of running processes (another open instance) are left alone.
        """
        self.errors = []
        found = []
        for path in self._files():
            try:
                autosave, pid = self._read(path)
            except FileNotFoundError:   # discarded by its session while we looked
                continue
            except InputError as exc:
                self.errors.append(exc)
                continue
            if pid != os.getpid() and not _process_alive(pid):
                found.append(autosave)
        found.sort(key=lambda a: a.written_at, reverse=True)
        return found

    def purge(self, max_age_days: float = 14) -> list[Path]:
        """Delete autosaves (and leftover temp files) older than ``max_age_days``; returns what went.

        Age is ``written_at`` for readable autosaves, else the file's modification time, so
        unreadable ones are purged too. Autosaves of running sessions are never deleted.
        """
        cutoff = time.time() - max_age_days * 86400
        removed: list[Path] = []
        for path in self._files(temp_files=True):
            try:
                written = path.stat().st_mtime
                if path.name.endswith(AUTOSAVE_SUFFIX):
                    try:
                        autosave, pid = self._read(path)
                    except InputError:
                        pass
                    else:
                        if pid == os.getpid() or _process_alive(pid):
                            continue
                        written = autosave.written_at.timestamp()
                if written < cutoff:
                    path.unlink()
                    removed.append(path)
            except OSError:   # gone already, or locked: try again next time
                continue
        return removed

    # ------------------------------------------------------------------ helpers
    def _files(self, temp_files: bool = False) -> list[Path]:
        try:
            names = sorted(os.listdir(self.root))
        except FileNotFoundError:
            return []
        except OSError as exc:
            self.errors.append(InputError(f"the autosave folder cannot be read ({exc.strerror or exc})", self.root))
            return []
        return [self.root / n for n in names
                if n.endswith(AUTOSAVE_SUFFIX) or (temp_files and n.startswith(".") and n.endswith(".tmp"))]

    def _read(self, path: Path) -> tuple[Autosave, int]:
        """Parse and check one autosave; any problem is an InputError naming the file and field."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise InputError(f"the autosave cannot be read ({exc.strerror or exc})", path) from None
        try:
            record = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as exc:   # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise InputError(f"the autosave is damaged ({exc})", path) from None
        if not isinstance(record, dict) or not _FIELDS <= set(record):
            raise InputError("the autosave is damaged (fields are missing)", path)
        session, pid, written, case_path, case = (record[k] for k in ("session", "pid", "written_at",
                                                                         "case_path", "case"))
        if session != path.name.removesuffix(AUTOSAVE_SUFFIX):
            raise InputError("the autosave is damaged (session does not match the file name)", path)
        if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
            raise InputError(f"the autosave is damaged (pid {pid!r} is not a process id)", path)
        try:
            written_at = datetime.fromisoformat(written).astimezone()   # naive: taken as local time
        except (TypeError, ValueError):
            raise InputError(f"the autosave is damaged (written_at {written!r} is not a time)", path) from None
        if case_path is not None and (not isinstance(case_path, str) or not case_path or "\0" in case_path):
            raise InputError("the autosave is damaged (case_path is not a file path)", path)
        if not isinstance(case, dict):
            raise InputError("the autosave is damaged (case is not a JSON object)", path)
        return Autosave(session, path, written_at, Path(case_path) if case_path else None, case), pid
