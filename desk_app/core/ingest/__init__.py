"""Turn case files (txt, md, docx, pdf, scanned images) into ``SourceDocument``s.

Every reader reports a bad file as one ``InputError`` naming the file and the problem,
so a batch can say "this one could not be read" and carry on with the rest.

Memory is bounded by limits checked *before* a file is read into memory, each refused
with one line that states the file's size and the limit (MB = 1024 * 1024 bytes):

- text (.txt, .md): 20 MB on disk (``text.MAX_TEXT_BYTES``);
- Word (.docx): 200 MB on disk and 200 MB of parts once unpacked, counted on the bytes
  actually decompressed, so a zip header that lies cannot get past it
  (``docx.package.MAX_UNCOMPRESSED``);
- PDF: 100 MB on disk, because pypdf reads the whole file into memory, and 20 million
  characters of extracted text (``pdf.MAX_PDF_BYTES``, ``pdf.MAX_PDF_CHARS``);
- scans (.png, .jpg, .tif, and PDF pages without text): 100 MB on disk, 60 million pixels a
  page, 300 scanned pages a file (``scan.MAX_IMAGE_BYTES``, ``ocr.MAX_PIXELS``, ``scan.MAX_SCANNED_PAGES``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from desk_app.core.document import SourceDocument
from desk_app.core.errors import InputError

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")

__all__ = ["SUPPORTED_SUFFIXES", "is_supported", "iter_case_files", "load_document", "refuse_special", "special_kind"]


def format_size(size: int) -> str:
    """Bytes as MB (1024 * 1024) for a message: "200 MB", "20.5 MB", "0.3 MB"."""
    mb = size / (1024 * 1024)
    shown = f"{mb:.0f}" if mb >= 100 else f"{mb:.1f}".removesuffix(".0")
    return f"{shown} MB"


def too_large(kind: str, size: int, limit: int, *, grew: bool = False) -> str:
    """The one-line refusal of an oversized file, e.g. "the file is 200 MB; text files over 20 MB are not read".

    ``grew`` is for a file found bigger while reading than its size on disk said: only a
    lower bound is known then.
    """
    shown = format_size(size)
    if grew or shown == format_size(limit):   # "the file is 20 MB; ... over 20 MB" would read as a contradiction
        shown = f"over {format_size(limit)}"
    return f"the file is {shown}; {kind} over {format_size(limit)} are not read"


def is_supported(path: Path) -> bool:
    """True for the suffixes a reader exists for (case-insensitive: Windows users send .DOCX)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def special_kind(path: str | Path) -> str | None:
    """"a named pipe", "a socket" or "a device" for such a file, else None; never opens it.

    Opening a named pipe blocks until something writes into it, and reading a device can
    block or never end, so one such file among a batch's inputs used to hang the whole
    batch. ``os.stat`` only reads the directory entry (following a symlink, so a link to a
    pipe is caught too); a file that cannot be stat'ed is left to the reader to report.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return None


def refuse_special(path: Path) -> None:
    """Raise the one-line ``InputError`` for a named pipe, socket or device (see ``special_kind``)."""
    kind = special_kind(path)
    if kind is not None:
        raise InputError(f"this is {kind}, not a file; it was not opened", path)


def load_document(path: str | Path, on_page: Callable[[int, int], None] | None = None) -> SourceDocument:
    """Read one case file, choosing the reader by suffix.

    ``on_page(number, total)`` is called before each scanned page is read by OCR (seconds
    each): for progress, and to cancel by raising from it.

    Dispatch is by suffix rather than by sniffing so that the user's own naming decides,
    and the docx/pdf readers can then say plainly when the name and the content disagree.
    """
    path = Path(path)
    refuse_special(path)   # first: whatever its name, a pipe is never opened
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = path.suffix or "(none)"
        raise InputError(f"unsupported file type '{shown}' (expected .txt, .md, .docx, .pdf, or a scan: "
                         ".png, .jpg, .tif)", path)
    if not path.exists():
        raise InputError("the file does not exist", path)
    if path.is_dir():
        raise InputError("this is a folder, not a file", path)
    try:
        if suffix in (".txt", ".md"):
            from desk_app.core.ingest.text import read_text

            return read_text(path)
        if suffix == ".docx":
            from desk_app.core.ingest.docx import read_docx

            return read_docx(path)
        if suffix == ".pdf":
            from desk_app.core.ingest.pdf import read_pdf

            return read_pdf(path, on_page)
        from desk_app.core.ingest.scan import read_image_file

        return read_image_file(path, on_page)
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
    instead of it vanishing silently. Named pipes, sockets and devices found in a folder
    are kept too, whatever their suffix, so each is refused with one line (``refuse_special``)
    rather than skipped unseen; nothing here opens them.
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
                if ((p.is_file() and is_supported(p)) or special_kind(p) is not None)
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
