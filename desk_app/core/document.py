"""The text of one source file, as every other core module sees it.

Readers (``desk_app.core.ingest``) turn txt, docx and pdf into a ``SourceDocument``: the
document's text as one string plus the paragraphs it is made of, each with its offset in
that string and the place it came from. Detection works on ``SourceDocument.text``; the
writers map offsets back to paragraphs (and, for docx, to runs) to replace in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: ``text`` is ``SourceDocument.text[start:start + len(text)]``.

    ``part`` names where it lives: "body", "table", "header", "footer", "footnote",
    "endnote", "comment", "textbox", or "page N" for PDFs, "text" for plain text.

    The other fields are for showing the paragraph as Word lays it out, never for detection
    (none of them is in the text, so offsets are untouched): ``place`` labels the block it
    belongs to ("Header", "Footnote 2", "" for the body), ``block`` changes where a new
    labelled block begins, ``cell`` is (table, row, column) for table text, and ``number``
    is the list number Word prints before it ("3.", "(b)", "•").
    """

    text: str
    start: int
    part: str = "body"
    place: str = field(default="", compare=False)
    block: int = field(default=0, compare=False)
    cell: tuple[int, int, int] | None = field(default=None, compare=False)
    number: str = field(default="", compare=False)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Replacement:
    """Replace ``SourceDocument.text[start:end]`` with ``text``.

    Offsets, not strings, so the writers change exactly the span detection found and
    never a look-alike elsewhere; a list of them must not overlap.
    """

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ScanWord:
    """A word read by OCR: ``box`` is (x0, y0, x1, y1) in pixels of its page image, ``start``
    and ``end`` its place in the text (the page's text while reading, the document's after)."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float
    start: int
    end: int


#: Words read with less confidence than this are marked for the reviewer to check.
LOW_CONFIDENCE = 0.8


@dataclass
class ScannedPage:
    """A page that had no text, only pixels: its image and the words OCR read on it.

    ``image`` is the page as it was read (a ``PIL.Image``, upright as in the file): the
    redacted copy is made from it and the review view shows it. It is kept compressed
    (``pixels``: the raw pixels, zlib level 1, about 60 ms a page) and decoded when asked for,
    because a 300-page scanned bundle at 200 dpi is 1.1 GB of raw pixels and travels between
    processes. ``start``/``end`` is the page's text in ``SourceDocument.text``; the words'
    offsets are in the document's text.
    """

    number: int
    words: list[ScanWord]
    start: int
    end: int
    rotation: int = 0
    pixels: bytes = field(default=b"", repr=False)
    size: tuple[int, int] = (0, 0)
    mode: str = "L"

    @classmethod
    def from_image(cls, number: int, image: Any, words: list[ScanWord], start: int, end: int,
                   rotation: int = 0) -> ScannedPage:
        """A page keeping ``image`` (a PIL image in mode L or RGB) compressed."""
        import zlib

        return cls(number, words, start, end, rotation, zlib.compress(image.tobytes(), 1), image.size, image.mode)

    @property
    def image(self) -> Any:
        """The page's pixels as a new ``PIL.Image`` (decoded on each call: keep it while using it)."""
        import zlib

        from PIL import Image

        return Image.frombytes(self.mode, self.size, zlib.decompress(self.pixels))

    def words_in(self, start: int, end: int) -> list[ScanWord]:
        """The words that overlap the document's text ``[start, end)``."""
        return [w for w in self.words if w.start < end and start < w.end]

    @property
    def low_confidence(self) -> list[ScanWord]:
        return [w for w in self.words if w.confidence < LOW_CONFIDENCE]


@dataclass
class SourceDocument:
    """A loaded source file.

    ``kind`` is "txt", "docx", "pdf" or "image". For txt, ``text`` is the decoded file
    exactly, so anonymising it changes nothing but the replaced spans. For docx, pdf and
    image, paragraphs are joined with "\n". ``notes`` holds things the user should know
    that are not errors (tracked deletions found, encoding guessed, pages read by OCR, ...).
    ``scans`` holds the pages read by OCR (an image file's pages, a PDF's pages without a
    text layer), so the copy of those pixels can be redacted and the reviewer can see them.
    """

    path: Path
    kind: str
    text: str
    paragraphs: list[Paragraph]
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    scans: list[ScannedPage] = field(default_factory=list)

    def scan_at(self, offset: int) -> ScannedPage | None:
        """The scanned page whose text holds ``offset``, if any."""
        return next((page for page in self.scans if page.start <= offset < page.end), None)

    def paragraph_at(self, offset: int) -> int:
        """Index of the paragraph containing ``offset`` (binary search)."""
        lo, hi = 0, len(self.paragraphs) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.paragraphs[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def checked_replacements(replacements: Iterable[Replacement], length: int) -> list[Replacement]:
    """Sorted replacements; overlapping or out-of-range spans are a caller bug."""
    ordered = sorted(replacements, key=lambda r: (r.start, r.end))
    previous_end = 0
    for r in ordered:
        if not 0 <= r.start <= r.end <= length:
            raise ValueError(f"replacement {r} is outside the text (length {length})")
        if r.start < previous_end:
            raise ValueError(f"replacement {r} overlaps the one before it")
        previous_end = r.end
    return ordered


def apply_replacements(text: str, replacements: Iterable[Replacement]) -> str:
    """``text`` with each span replaced; pure, so previews and writers agree exactly."""
    ordered = checked_replacements(replacements, len(text))
    pieces: list[str] = []
    cursor = 0
    for r in ordered:
        pieces.append(text[cursor:r.start])
        pieces.append(r.text)
        cursor = r.end
    pieces.append(text[cursor:])
    return "".join(pieces)
