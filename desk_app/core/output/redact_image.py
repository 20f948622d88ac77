"""Redacted copies of scanned pages: black boxes burned into the pixels, saved with nothing else.

A redacted scan must not keep what it hides. So the boxes are painted into a fresh copy of
the pixels (no layer, no annotation a viewer could remove), the copy carries no EXIF, ICC
profile, text chunk or text layer, and the PDF is written here by hand: one image per page
and the few objects a reader needs, no /Info dictionary, no producer, no dates. Nothing of
the source file is copied: the pages are the pixels OCR read.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence

from PIL import Image, ImageDraw

from desk_app.core.document import Replacement, ScannedPage, SourceDocument

# the page size a redacted PDF declares: its pixels at the density scanned PDF pages are drawn at
from desk_app.core.ingest.ocr import PDF_DPI

__all__ = ["PAD_PX", "pdf_bytes", "png_bytes", "redact", "redacted_bytes", "redacted_suffix"]

# Word boxes are cut from a line's box by estimated glyph widths, so they can miss a letter's
# edge by a few pixels; the padding covers that (measured on the test scans at 200 dpi).
PAD_PX = 6


def _clean(image: Image.Image) -> Image.Image:
    """The pixels alone: a new image with no info dict (EXIF, ICC, DPI, text) and no palette."""
    mode = "L" if image.mode in ("1", "L", "LA", "I", "I;16", "F") else "RGB"
    src = image.convert(mode)
    return Image.frombytes(mode, src.size, src.tobytes())


def redact(page: ScannedPage, spans: Sequence[tuple[int, int]], pad: int | None = None) -> Image.Image:
    """A copy of the page's image with an opaque black box over every word overlapping ``spans``.

    ``spans`` are offsets into the document's text. The padding scales with the page (A4 at
    200 dpi is the reference), so a 300 dpi scan gets the same margin on paper.
    """
    image = page.image
    if pad is None:
        pad = max(2, round(PAD_PX * max(image.width, image.height) / 2339))
    out = _clean(image)
    draw = ImageDraw.Draw(out)
    black = 0 if out.mode == "L" else (0, 0, 0)
    for start, end in spans:
        for word in page.words_in(start, end):
            x0, y0, x1, y1 = word.box
            draw.rectangle((max(0, x0 - pad), max(0, y0 - pad), min(out.width - 1, x1 + pad),
                            min(out.height - 1, y1 + pad)), fill=black)
    return out


def png_bytes(image: Image.Image) -> bytes:
    """A PNG of the pixels only: no tEXt/iTXt/eXIf/iCCP/pHYs chunks."""
    buf = io.BytesIO()
    _clean(image).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def pdf_bytes(images: Sequence[Image.Image], dpi: int = PDF_DPI) -> bytes:
    """A PDF with one full-page image per page and nothing else (no text, no /Info, no metadata)."""
    if not images:
        raise ValueError("a PDF needs at least one page")
    objects: list[bytes] = [b"", b""]           # 1 catalog, 2 pages: filled in below
    kids = []
    for image in images:
        img = _clean(image)
        colour = b"/DeviceGray" if img.mode == "L" else b"/DeviceRGB"
        data = zlib.compress(img.tobytes(), 6)
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                       b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
                       % (img.width, img.height, colour, len(data)) + data + b"\nendstream")
        image_id = len(objects)
        w_pt, h_pt = img.width * 72 / dpi, img.height * 72 / dpi
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources "
                       b"<< /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (w_pt, h_pt, image_id, content_id))
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def redacted_suffix(doc: SourceDocument) -> str | None:
    """The redacted copy's suffix: a one-page image stays a PNG, several pages make a PDF;
    None for a document with no scanned page."""
    if not doc.scans:
        return None
    return ".png" if doc.kind == "image" and len(doc.scans) == 1 else ".pdf"


def redacted_bytes(doc: SourceDocument, replacements: Sequence[Replacement]) -> bytes:
    """The scanned pages of ``doc`` with every replaced span blacked out, as ``redacted_suffix`` says."""
    spans = [(r.start, r.end) for r in replacements if r.end > r.start]
    pages = [redact(page, [s for s in spans if s[0] < page.end and page.start < s[1]]) for page in doc.scans]
    return png_bytes(pages[0]) if redacted_suffix(doc) == ".png" else pdf_bytes(pages)
