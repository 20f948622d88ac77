"""The bad-input corpus: files a user can hand Decision Desk that it must refuse in one line.

Generated at test time (never committed: two of them are hundreds of MB unpacked) by
``build_corpus(folder)``; the test session builds it into ``tests/data/bad/`` (ignored by
git). To look at the files by hand:

    .venv/bin/python tests/bad_inputs.py [FOLDER]      # default tests/data/bad

Each ``BadInput`` says what ``load_document`` must answer: the exact one-line problem, or,
for the files that must work, the reader note it must add (or None). Every file is
written to a temporary name and renamed, so two test sessions sharing the folder never
see each other's half-written files.
"""

from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx

from tests.helpers.ingest_factories import pdf_from_objects

HERE = Path(__file__).resolve().parent.parent   # tests/
DEFAULT_FOLDER = HERE / "data" / "bad"
GENERATOR_VERSION = "1"   # bump when a file's content changes, so cached big files are rebuilt

MB = 1024 * 1024
BIG_TEXT_BYTES = 200 * MB          # the 200 MB text file
BOMB_UNPACKED_BYTES = 300 * MB     # the zip bomb's document.xml, past the 200 MB limit

DAMAGED_DOCX = "not a valid .docx file (damaged or not a Word document)"
NOT_TEXT = "not a text file (binary content)"
CP1252_NOTE = "the file is not UTF-8; it was read as Windows-1252 (Western European)"


@dataclass(frozen=True)
class BadInput:
    """One corpus file: its name, how to build it, and what reading it must give."""

    name: str
    build: Callable[[Path], None]
    problem: str | None          # the InputError message; None: the file must be read
    note: str | None = None      # for files that are read: a note the reader must add
    big: bool = False            # slow to build: kept between sessions (GENERATOR_VERSION)

    @property
    def works(self) -> bool:
        return self.problem is None


# -- building blocks -------------------------------------------------------------------------

def _write_atomically(path: Path, write: Callable[[io.BufferedWriter], None]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.building")
    try:
        with tmp.open("wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_bytes(path: Path, data: bytes) -> None:
    _write_atomically(path, lambda f: f.write(data))


def case_notes_docx(paragraphs: list[str]) -> bytes:
    """A real Word document (python-docx) holding ``paragraphs``."""
    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


GOOD_NOTES = [
    "Mrs Halina Wróbel complained that the council did not assess her daughter, Marta (aged 9).",
    "The social worker, Karen Pryce, visited Mrs Wróbel on 3 May 2023.",
    "Mrs Wróbel says the council's letter of 12 June 2023 did not reach her.",
]
GOOD_NAMES = ("Halina", "Wróbel", "Marta", "Karen", "Pryce")


# -- the files -------------------------------------------------------------------------------

def zero_byte(path: Path) -> None:
    _write_bytes(path, b"")


def truncated_docx(path: Path) -> None:
    """A real .docx cut in half, as an interrupted download or a full disk leaves it."""
    data = case_notes_docx(GOOD_NOTES * 20)
    _write_bytes(path, data[: len(data) // 2])


def renamed_pdf(path: Path) -> None:
    _write_bytes(path, scanned_pdf_bytes(text="Mrs Halina Wrobel complained."))


def password_protected_docx(path: Path) -> None:
    """What Word writes for a .docx with a password: an OLE compound file, not a zip."""
    encryption_info = _agile_encryption_info()
    rng = random.Random(4)
    encrypted_package = struct.pack("<Q", 12_345) + rng.randbytes(8192 - 8)   # size, then "ciphertext"
    _write_bytes(path, ole_compound_file({"EncryptionInfo": encryption_info,
                                          "EncryptedPackage": encrypted_package}))


def _agile_encryption_info() -> bytes:
    """EncryptionInfo of Office's agile encryption: version 4.4, flags 0x40, then the XML descriptor."""
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        b'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        b'<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        b'<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        b'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></keyEncryptor></keyEncryptors></encryption>'
    )
    # padded past the mini-stream cutoff (4096) with whitespace, which XML allows after the root
    return (struct.pack("<HHI", 4, 4, 0x40) + xml).ljust(4096, b" ")


_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE compound file (MS-CFB version 3, 512-byte sectors).

    Streams must be at least 4096 bytes (the mini-stream cutoff) so they live in ordinary
    sectors and no mini stream is needed. Layout: sector 0 the FAT, sector 1 the directory,
    then each stream's sectors. The streams' directory entries form a valid red-black tree
    in MS-CFB's name order (shorter first, then by upper-case name).
    """
    sector = 512
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    assert len(names) <= 3, "one directory sector holds the root and three streams"
    fat: list[int] = [_FATSECT, _ENDOFCHAIN]
    body = bytearray()
    starts: dict[str, int] = {}
    for name in names:
        assert len(streams[name]) >= 4096, "smaller streams belong in the mini stream, which this does not write"
        data = streams[name].ljust(-(-len(streams[name]) // sector) * sector, b"\0")
        first = len(fat)
        count = len(data) // sector
        starts[name] = first
        fat.extend(list(range(first + 1, first + count)) + [_ENDOFCHAIN])
        body += data
    assert len(fat) <= sector // 4, "one FAT sector covers 128 sectors"
    fat_sector = struct.pack(f"<{sector // 4}I", *(fat + [_FREESECT] * (sector // 4 - len(fat))))

    def entry(name: str, kind: int, start: int, size: int, left: int = _NOSTREAM, right: int = _NOSTREAM,
              child: int = _NOSTREAM, red: bool = False) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        colour = 0 if red else 1
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, colour, left, right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    # the tree: the middle name black at the top, its neighbours red children
    ids = {name: i + 1 for i, name in enumerate(names)}
    top = names[len(names) // 2] if len(names) > 1 else names[0]
    left = names[0] if len(names) > 1 else None
    right = names[2] if len(names) > 2 else None
    directory = entry("Root Entry", 5, _ENDOFCHAIN, 0, child=ids[top])
    for name in names:
        kids = {"left": ids[left], "right": ids[right] if right else _NOSTREAM} if name == top and left else {}
        directory += entry(name, 2, starts[name], len(streams[name]), red=name != top, **kids)
    while len(directory) < sector:
        directory += entry("", 0, 0, 0)

    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
              + struct.pack("<109I", 0, *([_FREESECT] * 108)))
    assert len(header) == sector
    return header + fat_sector + directory + bytes(body)


def _bomb_entries() -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(case_notes_docx(GOOD_NOTES))) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def zip_bomb_docx(path: Path) -> None:
    """A real .docx whose document.xml unpacks to 300 MB (whitespace after <w:body>), kept tiny by DEFLATE."""
    _write_atomically(path, _write_bomb)


def _write_bomb(f: io.BufferedWriter) -> None:
    chunk = b" " * MB
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in _bomb_entries():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            head += b"<w:body>"
            with out.open("word/document.xml", "w") as member:
                member.write(head)
                padding = BOMB_UNPACKED_BYTES - len(head) - len(tail)
                while padding > 0:
                    member.write(chunk[:padding])
                    padding -= len(chunk)
                member.write(tail)


def lying_zip_bomb_docx(path: Path) -> None:
    """The zip bomb with document.xml's sizes in both headers rewritten to claim 64 KB."""
    buf = io.BytesIO()
    _write_bomb(buf)
    data = bytearray(buf.getvalue())
    claimed = 64 * 1024
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, claimed)            # uncompressed size, local header
    eocd = data.rindex(b"PK\x05\x06")
    count, _, central = struct.unpack_from("<HII", data, eocd + 10)
    pos = central
    for _ in range(count):
        assert data[pos:pos + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        if bytes(data[pos + 46:pos + 46 + name_len]) == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, claimed)     # uncompressed size, central directory
        pos += 46 + name_len + extra_len + comment_len
    _write_bytes(path, bytes(data))


def big_text(path: Path) -> None:
    """200 MB of plausible case-note lines, written 1 MB at a time."""
    line = b"Case note: the officer telephoned Mrs Example about the assessment and the delay.\r\n"
    block = line * (MB // len(line)) + b"." * (MB % len(line))

    def write(f: io.BufferedWriter) -> None:
        for _ in range(BIG_TEXT_BYTES // MB):
            f.write(block)

    _write_atomically(path, write)


def binary_junk(path: Path) -> None:
    _write_bytes(path, random.Random(6).randbytes(64 * 1024))


def invalid_utf8(path: Path) -> None:
    """Notes saved by an old Windows editor: cp1252 bytes (0x92, 0xF3) that are not UTF-8."""
    text = "Mrs Halina Wróbel’s complaint: the council’s officer, Karen Pryce, did not reply.\r\n"
    _write_bytes(path, (text * 3).encode("cp1252"))


def invalid_utf8_with_bom(path: Path) -> None:
    """A UTF-8 byte-order mark followed by bytes that are not UTF-8: damaged, not guessable."""
    _write_bytes(path, b"\xef\xbb\xbf" + "Mrs Wróbel".encode("cp1252") + b" complained\r\n")


def scanned_pdf_bytes(text: str | None = None) -> bytes:
    """A one-page PDF holding a grey-scale image (a 'scan') and, only if ``text``, a text layer."""
    width = height = 64
    pixels = bytes((x * 4 + y * 2) % 256 for y in range(height) for x in range(width))
    image = zlib.compress(pixels)
    content = b"q 451 0 0 451 72 300 cm /Im1 Do Q"
    if text:
        content += b" BT /F1 12 Tf 72 770 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(image))
        + image + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_from_objects(objects)


def scanned_pdf(path: Path) -> None:
    """A letter printed and scanned: one page, only pixels, no text layer (read by OCR)."""
    import io

    from tests.helpers.scans import _page, _pt, find_font

    image, draw = _page(150)
    font = find_font(_pt(12, 150))
    for n, line in enumerate(GOOD_NOTES):
        draw.text((150, 150 + n * _pt(20, 150)), line[:70], font=font, fill=0)
    buf = io.BytesIO()
    image.save(buf, "PDF", resolution=150)
    _write_bytes(path, buf.getvalue())


def _blank_png(path: Path, side: int) -> None:
    """A white 1-bit PNG ``side`` pixels square: a few KB on disk, ``side``² pixels decoded."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (side, side), 1).save(buf, "PNG")
    _write_bytes(path, buf.getvalue())


def giant_page_png(path: Path) -> None:
    _blank_png(path, 9000)      # 81 million pixels: over the limit, under Pillow's own refusal


def pixel_bomb_png(path: Path) -> None:
    _blank_png(path, 12000)     # 144 million pixels: Pillow refuses it as a decompression bomb


def non_ascii_name(path: Path) -> None:
    _write_bytes(path, case_notes_docx(GOOD_NOTES))


NON_ASCII_NAME = "Notatki Łódź – Zoë café №1.docx"

CORPUS: tuple[BadInput, ...] = (
    BadInput("zero-byte.txt", zero_byte, "the file is empty"),
    BadInput("truncated.docx", truncated_docx, DAMAGED_DOCX),
    BadInput("renamed-pdf.docx", renamed_pdf, "this is a PDF file with a .docx name"),
    BadInput("password-protected.docx", password_protected_docx,
             "the document is password-protected; remove the password in Word and try again"),
    BadInput("zip-bomb.docx", zip_bomb_docx,
             "the document unpacks to 300 MB; .docx files over 200 MB unpacked are not read", big=True),
    # zipfile reads no more than a member's declared size, then the CRC fails: damaged
    BadInput("zip-bomb-lying-header.docx", lying_zip_bomb_docx, DAMAGED_DOCX, big=True),
    BadInput("big-200MB.txt", big_text, "the file is 200 MB; text files over 20 MB are not read", big=True),
    BadInput("binary-junk.txt", binary_junk, NOT_TEXT),
    BadInput("invalid-utf8.txt", invalid_utf8, None, note=CP1252_NOTE),
    BadInput("invalid-utf8-with-bom.txt", invalid_utf8_with_bom,
             "the file is marked as UTF-8 but contains bytes that are not UTF-8 (damaged?)"),
    # a scanned letter: no text layer, so its page is read by OCR, and the notes say so
    BadInput("scanned-no-text.pdf", scanned_pdf, None, note="page 1 read by OCR (a scanned image)"),
    BadInput("giant-page.png", giant_page_png,
             "the image is 9000 x 9000 pixels (81 million); images over 60 million pixels a page are not read"),
    BadInput("pixel-bomb.png", pixel_bomb_png,
             "the image is over 120 million pixels; images over 60 million pixels a page are not read"),
    BadInput(NON_ASCII_NAME, non_ascii_name, None),
)
BY_NAME = {b.name: b for b in CORPUS}


def build_corpus(folder: Path = DEFAULT_FOLDER) -> dict[str, Path]:
    """Write every corpus file into ``folder``; big files already built by this version are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / ".generator-version"
    current = stamp.exists() and stamp.read_text(encoding="utf-8").strip() == GENERATOR_VERSION
    paths = {}
    for item in CORPUS:
        path = folder / item.name
        if not (item.big and current and path.exists()):
            item.build(path)
        paths[item.name] = path
    _write_bytes(stamp, GENERATOR_VERSION.encode())
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER
    for name, built in build_corpus(target).items():
        print(f"{built.stat().st_size:>12,d}  {name}")
