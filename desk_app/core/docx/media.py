"""Image metadata removed without touching a pixel.

A photo pasted into case notes carries who took it and where (JPEG EXIF Artist, XPAuthor,
GPS, comments), and a PNG from a screenshot tool can carry text chunks with a file path or
a user name. None of it is visible on the page, all of it is in the copy. The metadata is
cut out of the file's own structure (PNG chunks, JPEG segments); the compressed pixel data
is copied byte for byte, so nothing is re-encoded and the picture looks exactly the same.
"""

from __future__ import annotations

import struct

__all__ = ["strip_image_metadata"]

_PNG = b"\x89PNG\r\n\x1a\n"
# Ancillary PNG chunks that hold text or metadata (tIME and the EXIF block included).
_PNG_DROPPED = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
# JPEG segments kept: APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform);
# every other APPn (EXIF, XMP, IPTC, ...) and every comment (COM) goes.
_JPEG_KEPT_APPS = frozenset({0xE0, 0xE2, 0xEE})


def _strip_png(data: bytes) -> bytes | None:
    out = bytearray(_PNG)
    pos = len(_PNG)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            return None
        if kind not in _PNG_DROPPED:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            break
    return bytes(out)


def _strip_jpeg(data: bytes) -> bytes | None:
    out = bytearray(data[:2])
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:   # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            out += data[pos:pos + 2]
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        end = pos + 2 + length
        if end > len(data):
            return None
        if marker == 0xDA:   # start of scan: the rest is pixel data, copied as it is
            out += data[pos:]
            return bytes(out)
        if not ((0xE0 <= marker <= 0xEF and marker not in _JPEG_KEPT_APPS) or marker == 0xFE):
            out += data[pos:end]
        pos = end
    return bytes(out)


def strip_image_metadata(data: bytes) -> bytes | None:
    """PNG or JPEG bytes without their metadata; the same bytes when there was none; None
    when the bytes are not a PNG or JPEG this can parse (left as they are)."""
    if data.startswith(_PNG):
        return _strip_png(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _strip_jpeg(data)
    return None
