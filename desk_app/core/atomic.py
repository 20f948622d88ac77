"""The one way Decision Desk writes a file.

Modelled on qutebrowser's ``savefile_open``: write into a temporary file in the target's
folder, flush and fsync, then ``os.replace`` over the target. A crash or an exception
half-way leaves the previous file untouched and no partial file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def savefile_open(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                  newline: str | None = None) -> Iterator[IO[Any]]:
    """Open ``path`` for writing atomically; text mode by default, ``"wb"`` for bytes."""
    if mode not in ("w", "wb"):
        raise ValueError("savefile_open writes only: mode must be 'w' or 'wb'")
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would have
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        if mode == "wb":
            f: IO[Any] = os.fdopen(fd, "wb")
        else:
            f = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_file(path: str | os.PathLike[str], data: str | bytes, newline: str | None = None) -> None:
    """Write ``data`` atomically; a failure becomes one plain OutputError naming the file."""
    from desk_app.core.errors import OutputError

    target = Path(path)
    try:
        if isinstance(data, bytes):
            with savefile_open(target, "wb") as f:
                f.write(data)
        else:
            with savefile_open(target, "w", newline=newline) as f:
                f.write(data)
    except PermissionError:
        raise OutputError("cannot write here (permission denied)", target) from None
    except FileNotFoundError:
        raise OutputError("the output folder does not exist", target) from None
    except IsADirectoryError:
        raise OutputError("is a folder, not a file", target) from None
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", target) from None
