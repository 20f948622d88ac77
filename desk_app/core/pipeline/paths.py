"""Where the program may write: never on an input, never twice in one run, never on a special file.

Issue 12 found a ``--report`` aimed at a case note overwriting it (exit 0), and aimed at an
anonymised copy replacing it with a list of every real name. Every command that writes
(anonymise, compare -o, new-decision -o, draft -o, the window's export) now plans its
writes first and asks ``check_writes`` before anything is read, detected or written: a
wrong path costs nothing and leaves nothing behind. The refusal is one ``OutputError``
line naming both paths.

Two paths are "the same file" if ``os.path.samefile`` says so (hard links, symlinks,
``..``), or if their resolved, ``normcase``'d and case-folded forms are equal: laptops
run case-insensitive filesystems (Windows, macOS), where ``Notes.txt`` and ``notes.txt``
are one file even though this Linux build would call them two. Being strict here costs at
worst a refusal or a renamed copy; being lax costs a case note.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desk_app.core.errors import OutputError
from desk_app.core.ingest import special_kind

__all__ = ["PathIndex", "PlannedWrite", "check_output_folder", "check_writes", "is_inside", "path_key"]


def path_key(path: str | os.PathLike[str]) -> str:
    """The spelling two names of one file share: symlinks resolved, case folded."""
    return os.path.normcase(os.path.realpath(path)).casefold()


def _inode(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(device, inode) of an existing file, following symlinks: what ``samefile`` compares."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def is_inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """True if ``path`` is ``folder`` or lies anywhere below it (both resolved, case folded)."""
    p, f = path_key(path), path_key(folder)
    return p == f or p.startswith(f.rstrip(os.sep) + os.sep)


class PathIndex:
    """A set of files, looked up by either of the two sameness tests in O(1).

    A batch has thousands of inputs; comparing every planned write with every input by
    ``samefile`` would be quadratic in stat calls.
    """

    def __init__(self) -> None:
        self._keys: dict[str, Path] = {}
        self._inodes: dict[tuple[int, int], Path] = {}

    def add(self, path: Path) -> None:
        self._keys.setdefault(path_key(path), path)
        inode = _inode(path)
        if inode is not None:
            self._inodes.setdefault(inode, path)

    def find(self, path: Path) -> Path | None:
        """The member that is the same file as ``path``, if any."""
        found = self._keys.get(path_key(path))
        if found is None:
            inode = _inode(path)
            found = self._inodes.get(inode) if inode is not None else None
        return found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, Path) and self.find(path) is not None


@dataclass(frozen=True)
class PlannedWrite:
    """One file a command means to write, and what it is, for the refusal's wording.

    ``renamable``: an anonymised copy, whose final name the export chooses at write time
    clear of every other file of the run, so two copies wanting one name is no refusal.
    ``unpublishable``: it lists real names (the report), so it may not sit in the folder of
    copies that are sent out.
    """

    path: Path
    what: str   # "the report", "the anonymised copy of notes.txt", ...
    renamable: bool = False
    unpublishable: bool = False


def _unwritable(path: Path) -> str | None:
    """Why nothing may be written at ``path`` whatever else is planned, or None."""
    kind = special_kind(path)
    if kind is not None:
        return f"is {kind}"
    if path.is_dir():
        return "is a folder"
    return None


def check_writes(writes: Sequence[PlannedWrite], inputs: Iterable[Path], *, publish_dir: Path | None = None) -> None:
    """Refuse the run (``OutputError``, one line naming both paths) if a planned write would
    land on an input, on another planned write, or on a named pipe, socket, device or folder.

    Two renamable writes may share a path (the export renames one); with ``publish_dir``
    given, an unpublishable write inside it is refused, so the list of real names never
    sits among the copies that are sent out. Nothing is opened, created or written here.
    """
    sources = PathIndex()
    for p in inputs:
        sources.add(Path(p))
    fixed = PathIndex()
    flexible = PathIndex()
    whats: dict[str, str] = {}
    for w in sorted(writes, key=lambda w: w.renamable):   # fixed names first: a clash names them
        why = _unwritable(w.path)
        if why is not None:
            raise OutputError(f"{w.what} would be written here, but this {why}; nothing was written", w.path)
        source = sources.find(w.path)
        if source is not None:
            raise OutputError(f"{w.what} would overwrite the source {source}; nothing was written", w.path)
        other = fixed.find(w.path) or (None if w.renamable else flexible.find(w.path))
        if other is not None:
            raise OutputError(f"{w.what} and {whats[path_key(other)]} would both be written here "
                              f"({other}); nothing was written", w.path)
        (flexible if w.renamable else fixed).add(w.path)
        whats.setdefault(path_key(w.path), w.what)
    if publish_dir is not None:
        for w in writes:
            if w.unpublishable and is_inside(w.path, publish_dir):
                raise OutputError(f"{w.what} lists the real names and must not go into the folder of "
                                  f"anonymised copies ({publish_dir}); choose a place outside it; nothing was written",
                                  w.path)


def check_output_folder(out_dir: Path) -> None:
    """Refuse an output folder that is a file or a special file, before anything is written."""
    kind = special_kind(out_dir)
    if kind is not None:
        raise OutputError(f"the output folder is {kind}; nothing was written", out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("the output folder is a file, not a folder; nothing was written", out_dir)
