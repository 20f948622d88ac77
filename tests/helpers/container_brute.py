"""An independent, deliberately dumb check that a written file holds no trace of a name.

It shares no code with ``desk_app.core.output.leakscan`` on purpose (a check must not reuse the code
it checks). It knows nothing of WordprocessingML: it unzips everything recursively, tries
every decoding it can think of on every member (UTF-8, Latin-1, UTF-16 both ways and both
byte alignments, zlib streams anywhere, RTF escapes, quoted-printable, base64 runs, XML
character references, w:sym codes), removes XML tags, soft hyphens, zero-width characters
and all whitespace after NFKC, and searches case-insensitively.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import quopri
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\\s]+")
_TAG = re.compile(r"<[^<>]*>")
_RTF_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_RTF_U = re.compile(r"\\u(-?\d+) ?\??")
_RTF_WORD = re.compile(r"\\[a-zA-Z]+-?\d* ?|[{}]")
_B64 = re.compile(rb"[A-Za-z0-9+/=\r\n]{40,}")
_SYM = re.compile(r'w:char="([0-9A-Fa-f]{2,4})"')


def normalise(text: str) -> str:
    """NFKC, invisible characters out, whitespace out, case folded."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _texts_of_bytes(data: bytes, depth: int) -> Iterator[str]:
    if data[:4] == b"PK\x03\x04" and depth < 5:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    yield info.filename
                    yield from _texts_of_bytes(zf.read(info), depth + 1)
            return
        except (zipfile.BadZipFile, ValueError, EOFError, zlib.error, NotImplementedError):
            pass
    views = [data.decode("latin-1"), data.decode("utf-8", "ignore"), data.decode("cp1252", "ignore")]
    for codec in ("utf-16-le", "utf-16-be"):
        views.append(data.decode(codec, "ignore"))
        views.append(data[1:].decode(codec, "ignore"))
    for view in list(views[:3]):
        views.append(html.unescape(view))
        views.append(_RTF_WORD.sub("", _RTF_U.sub(lambda m: chr(int(m[1]) % 65536),
                                               _RTF_HEX.sub(lambda m: bytes([int(m[1], 16)]).decode("cp1252",
                                                                                                   "ignore"), view))))
        views.append("".join(chr(int(c, 16) - 0xF000 if int(c, 16) >= 0xF000 else int(c, 16))
                             for c in _SYM.findall(view)))
    views.append(quopri.decodestring(data).decode("utf-8", "ignore"))
    for m in _B64.finditer(data):
        try:
            views.append(base64.b64decode(b"".join(m.group().split()) + b"==", validate=False).decode("latin-1"))
        except (binascii.Error, ValueError):
            pass
    for view in dict.fromkeys(views):
        yield view
        yield _TAG.sub("", view)
    if depth < 5:   # zlib streams anywhere (PNG zTXt/iTXt, compressed PDF-ish blobs)
        for m in re.finditer(rb"\x78[\x01\x5e\x9c\xda]", data):
            try:
                inflated = zlib.decompressobj().decompress(data[m.start():], 50_000_000)
            except zlib.error:
                continue
            if inflated:
                yield from _texts_of_bytes(inflated, depth + 1)


def traces(data: bytes, needles: list[str]) -> list[str]:
    """The needles (normalised) found anywhere in ``data`` by any decoding."""
    wanted = [normalise(n) for n in needles]
    found: set[str] = set()
    for text in _texts_of_bytes(data, 0):
        flat = normalise(text)
        found.update(n for n in wanted if n in flat)
    return sorted(found)
