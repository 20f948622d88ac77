"""PDF case files: the text layer only, via pypdf.

A PDF cannot be edited in place safely (black boxes over live text are the classic
redaction failure), so PDFs are read as text and the anonymised result is a .txt.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.errors import InputError
from desk_app.core.ingest import too_large

if TYPE_CHECKING:
    from pypdf import PdfReader

# pypdf reads the whole file into memory before parsing it, so the file size is checked
# first. A case PDF with a text layer is a few MB; 100 MB is a scanned bundle or an archive.
MAX_PDF_BYTES = 100 * 1024 * 1024
# Extracted text is held whole (and later analysed whole); pypdf caps each decompressed
# stream at 75 MB, but a thousand such pages could still exhaust memory.
MAX_PDF_CHARS = 20_000_000

_DAMAGED = "not a valid PDF file"
_LOCKED = "the PDF is password-protected; remove the password and try again"
_SCANNED = "the PDF has no text layer (a scanned image); it needs OCR before Decision Desk can read it"
_BLANK_RUN = re.compile(r"\n{3,}")


def _page_lines(raw: str) -> list[str]:
    """Lines of one page, right-stripped, with runs of blank lines squeezed to one.

    A blank line is kept (as an empty paragraph) because it is the only paragraph break
    the text layer gives; sentence splitting downstream works better with it.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [line.rstrip() for line in text.split("\n")]
    text = _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")
    return text.split("\n") if text else []


def _extract_pages(reader: PdfReader, path: Path) -> list[str]:
    """Each page's text, stopping as soon as the total passes ``MAX_PDF_CHARS``."""
    pages: list[str] = []
    total = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        total += len(text)
        if total > MAX_PDF_CHARS:
            raise InputError(f"the PDF's text layer is over {MAX_PDF_CHARS:,} characters; longer documents "
                             "are not read", path)
        pages.append(text)
    return pages


def read_pdf(path: Path) -> SourceDocument:
    """Read the text layer of every page; refuse PDFs that have none."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise InputError(too_large("PDF files", size, MAX_PDF_BYTES), path)
    with path.open("rb") as f:
        head = f.read(1024)
    if not head:
        raise InputError("the file is empty", path)
    if b"%PDF" not in head:
        raise InputError(_DAMAGED, path)

    # pypdf logs every repair it makes (even as errors); the user gets our one line instead.
    pypdf_logger = logging.getLogger("pypdf")
    previous = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                try:
                    if not reader.decrypt(""):
                        raise InputError(_LOCKED, path)
                except (DependencyError, NotImplementedError):
                    raise InputError(_LOCKED, path) from None
            pages = _extract_pages(reader, path)
        except InputError:
            raise
        except FileNotDecryptedError:
            raise InputError(_LOCKED, path) from None
        except (PdfReadError, PdfStreamError):
            raise InputError(_DAMAGED, path) from None
        except OSError:
            raise
        except Exception:  # pypdf on a mangled file can raise almost anything
            raise InputError(_DAMAGED, path) from None
    finally:
        pypdf_logger.setLevel(previous)

    if not pages:
        raise InputError("the PDF has no pages", path)
    if not any(page.strip() for page in pages):
        raise InputError(_SCANNED, path)

    paragraphs: list[Paragraph] = []
    offset = 0
    for number, raw in enumerate(pages, start=1):
        if paragraphs and raw.strip():
            # keep a blank line between pages, as between paragraphs
            paragraphs.append(Paragraph("", offset, f"page {number}"))
            offset += 1
        for line in _page_lines(raw):
            paragraphs.append(Paragraph(line, offset, f"page {number}"))
            offset += len(line) + 1
    text = "\n".join(p.text for p in paragraphs)
    notes: list[str] = []
    empty = [str(n) for n, raw in enumerate(pages, start=1) if not raw.strip()]
    if empty:
        notes.append(f"page(s) {', '.join(empty)} have no text layer (scanned?) and were not read")
    return SourceDocument(path=path, kind="pdf", text=text, paragraphs=paragraphs, notes=notes)
