"""Turn case files (txt, md, docx, pdf) into ``SourceDocument``s.

Every reader reports a bad file as one ``InputError`` naming the file and the problem,
so a batch can say "this one could not be read" and carry on with the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from desk_app.core.document import SourceDocument
from desk_app.core.errors import InputError

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf")

__all__ = ["SUPPORTED_SUFFIXES", "is_supported", "iter_case_files", "load_document"]


def is_supported(path: Path) -> bool:
    """True for the suffixes a reader exists for (case-insensitive: Windows users send .DOCX)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def load_document(path: str | Path) -> SourceDocument:
    """Read one case file, choosing the reader by suffix.

    Dispatch is by suffix rather than by sniffing so that the user's own naming decides,
    and the docx/pdf readers can then say plainly when the name and the content disagree.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = path.suffix or "(none)"
        raise InputError(f"unsupported file type '{shown}' (expected .txt, .md, .docx or .pdf)", path)
    if not path.exists():
        raise InputError("the file does not exist", path)
    if path.is_dir():
        raise InputError("this is a folder, not a file", path)
    try:
        if suffix in (".txt", ".md"):
            from desk_app.core.ingest.text import read_text

            return read_text(path)
        if suffix == ".docx":
            from desk_app.core.ingest.docx_reader import read_docx

            return read_docx(path)
        from desk_app.core.ingest.pdf import read_pdf

        return read_pdf(path)
    except PermissionError:
        raise InputError("cannot open the file (permission denied)", path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def iter_case_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand the files and folders a user dropped into the files to process.

    Folders are walked recursively in a stable (sorted) order so batches are repeatable;
    hidden files and Word's ``~$`` lock files are skipped because they are never case
    material and the lock files would fail to open. A file named explicitly is kept even
    with an unsupported suffix, so ``load_document`` can tell the user why it was refused
    instead of it vanishing silently.
    """
    result: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            result.append(p)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [
                p for p in path.rglob("*")
                if p.is_file()
                and is_supported(p)
                and not _hidden(p.relative_to(path))
                and not p.name.startswith("~$")
            ]
            for p in sorted(found, key=lambda q: [s.casefold() for s in q.relative_to(path).parts]):
                add(p)
        elif path.exists():
            add(path)
        else:
            raise InputError("no such file or folder", path)
    return result
