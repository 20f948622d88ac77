"""Scanned pages into the document model: an image file's pages, a PDF's pages without text.

OCR (``ocr.read_image``) gives each page's text with its words' boxes; here the pages are
laid end to end in one ``SourceDocument.text`` as paragraphs, like a PDF's pages, and each
keeps its image and words (``ScannedPage``) so the copy can be redacted pixel by pixel and
the reviewer can see the page beside its text.

Reading a page takes seconds, so every page is announced to ``on_page(number, total)``
before it is read: the window shows progress with it, and cancels by raising from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

from desk_app.core.document import LOW_CONFIDENCE, Paragraph, ScannedPage, SourceDocument
from desk_app.core.errors import InputError
from desk_app.core.ingest import too_large

#: Called with (page number, pages in all) before each page is read; may raise to cancel.
PageCallback = Callable[[int, int], None]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# An image is decoded whole; a phone photo is 3-12 MB, a multi-page TIFF of a bundle more.
MAX_IMAGE_BYTES = 100 * 1024 * 1024
# Each page costs seconds to read: a bundle over this many scanned pages is split by the user.
MAX_SCANNED_PAGES = 300


def page_paragraphs(text: str, start: int, part: str) -> list[Paragraph]:
    """``text`` (starting at ``start`` in the document) as one paragraph per line."""
    out = []
    offset = start
    for line in text.split("\n"):
        out.append(Paragraph(line, offset, part))
        offset += len(line) + 1
    return out


def placed(scan: ScannedPage, start: int) -> ScannedPage:
    """``scan`` (read with its text at 0) placed at ``start`` in the document's text."""
    words = [dataclasses.replace(w, start=w.start + start, end=w.end + start) for w in scan.words]
    return dataclasses.replace(scan, words=words, start=scan.start + start, end=scan.end + start)


def read_pages(images: Iterable[tuple[int, object]], total: int,
               on_page: PageCallback | None) -> list[tuple[ScannedPage, str]]:
    """OCR each (page number, image), announcing each page first: [(page, its text)], each page
    with its text at 0 and its image already compressed, so only one page's raw pixels are held
    at a time (``images`` may be a generator that draws or decodes each page when asked)."""
    from desk_app.core.ingest.ocr import read_image

    out = []
    for done, (number, image) in enumerate(images, start=1):
        if on_page is not None:
            on_page(done, total)
        page = read_image(image)
        out.append((ScannedPage.from_image(number, image, page.words, 0, len(page.text), page.rotation), page.text))
        del image
    return out


def scan_notes(scans: list[ScannedPage], where: str) -> list[str]:
    """What the reviewer should know: which pages were read by OCR and how surely."""
    if not scans:
        return []
    pages = ", ".join(str(s.number) for s in scans)
    low = sum(len(s.low_confidence) for s in scans)
    note = f"{where} {pages} read by OCR (a scanned image)"
    if low:
        note += (f"; {low} word{'s' if low != 1 else ''} read with less than {LOW_CONFIDENCE:.0%} confidence, "
                 "marked for checking")
    if not any(s.words for s in scans):
        note += "; no text was found on it"
    return [note]


def read_image_file(path: Path, on_page: PageCallback | None = None) -> SourceDocument:
    """A PNG, JPEG or TIFF (every page of a multi-page TIFF) read by OCR."""
    from desk_app.core.ingest.ocr import image_page_count, load_image_pages

    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise InputError(too_large("image files", size, MAX_IMAGE_BYTES), path)
    if size == 0:
        raise InputError("the file is empty", path)
    count = image_page_count(path)
    if count > MAX_SCANNED_PAGES:
        raise InputError(f"the image has {count} pages; over {MAX_SCANNED_PAGES} scanned pages are not read "
                         "(split the file)", path)
    pages = read_pages(enumerate(load_image_pages(path), start=1), count, on_page)
    if not pages:
        raise InputError("the image has no pages", path)
    paragraphs: list[Paragraph] = []
    scans: list[ScannedPage] = []
    offset = 0
    for scan, text in pages:
        if paragraphs:
            paragraphs.append(Paragraph("", offset, f"page {scan.number}"))
            offset += 1
        scans.append(placed(scan, offset))
        paragraphs += page_paragraphs(text, offset, f"page {scan.number}")
        offset += len(text) + 1
    text = "\n".join(p.text for p in paragraphs)
    return SourceDocument(path=path, kind="image", text=text, paragraphs=paragraphs,
                          notes=scan_notes(scans, "page" if len(scans) == 1 else "pages"), scans=scans)
