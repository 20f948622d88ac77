"""Plain-text and Markdown case notes.

The decoded text is kept exactly as it is in the file (line endings included) so that
the anonymised copy differs from the source only in the replaced spans.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.errors import InputError
from desk_app.core.ingest import too_large

# Line breaks we split paragraphs on: the three a text editor writes. Not str.splitlines,
# which also breaks on form feeds, U+2028 and friends and would make offsets surprising.
_LINE = re.compile(r"[^\r\n]+")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_RATIO = 0.02
# Case notes are a few hundred KB; a text file this big is a log or an export, and reading it
# would hold it several times over in memory (bytes, str, spaCy docs). Refused before reading.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def _looks_binary(text: str) -> bool:
    """Decoded text that is full of control characters came from a binary file."""
    if not text:
        return False
    controls = sum(
        1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    return controls / len(text) > _MAX_CONTROL_RATIO


def decode_text(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Decode a text file's bytes; return (text, encoding, notes).

    Order matters: a BOM is authoritative; strict UTF-8 almost never accepts text that is
    really something else; cp1252 is what Word and older Windows tools write in the UK.
    charset-normalizer is only consulted when cp1252 itself fails, because its guesses on
    short English notes are less reliable than that simple rule.
    """
    if not data:
        raise InputError("the file is empty", path)
    notes: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:
            raise InputError(
                "the file is marked as UTF-8 but contains bytes that are not UTF-8 (damaged?)", path
            ) from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's old "Unicode" option; the NUL bytes would otherwise look binary.
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError("not a text file (binary content)", path) from None
        notes.append("the file is UTF-16; the anonymised copy is written as UTF-16 too")
    else:
        if b"\x00" in data:
            raise InputError("not a text file (binary content)", path)
        try:
            text, encoding = data.decode("utf-8", errors="strict"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252", errors="strict"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = _guess(data, path)
            notes.append(
                f"the file is not UTF-8; it was read as {_describe(encoding)}"
            )
    if encoding == "utf-8-sig" and text.startswith("\ufeff"):
        text = text[1:]  # a doubled BOM is junk, not content
    if _looks_binary(text):
        raise InputError("not a text file (binary content)", path)
    return text, encoding, notes


def _describe(encoding: str) -> str:
    return "Windows-1252 (Western European)" if encoding == "cp1252" else encoding


def _guess(data: bytes, path: Path) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("not a text file (binary content)", path)
    encoding = codecs.lookup(best.encoding).name
    try:
        return data.decode(encoding, errors="strict"), encoding
    except (UnicodeDecodeError, LookupError):
        raise InputError("not a text file (binary content)", path) from None


def text_paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per line holding any non-blank character, with its offset."""
    return [
        Paragraph(m.group(), m.start(), "text")
        for m in _LINE.finditer(text)
        if not m.group().isspace()
    ]


def _read_bounded(path: Path) -> bytes:
    """The file's bytes, refusing before reading when it is over ``MAX_TEXT_BYTES``.

    The size is checked twice: from the file system first, so a huge file is never read,
    and again on the bytes read, so a file that grows meanwhile cannot slip past.
    """
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise InputError(too_large("text files", size, MAX_TEXT_BYTES), path)
    with path.open("rb") as f:
        data = f.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(too_large("text files", len(data), MAX_TEXT_BYTES, grew=True), path)
    return data


def read_text(path: Path) -> SourceDocument:
    """Read a .txt or .md file. Bytes are decoded as-is; newlines are not translated."""
    data = _read_bounded(path)
    text, encoding, notes = decode_text(data, path)
    if not text.strip():
        raise InputError("the file contains only blank space", path)
    return SourceDocument(
        path=path, kind="txt", text=text, paragraphs=text_paragraphs(text), encoding=encoding, notes=notes
    )
