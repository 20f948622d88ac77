"""Imported content (``w:altChunk``) read and turned into ordinary paragraphs.

An altChunk makes Word import a whole other file (HTML, MHT, RTF, plain text in any
encoding, or another Word document) where it stands. None of it is WordprocessingML, so a reader of paragraphs never
sees it, and shipping it untouched ships whatever names it holds. Since every one of these
formats can be decoded, the chunk is replaced, in memory and before anything is read, by
one plain ``w:p`` per line of its visible text: the reader then detects names in it like
body text, the writer replaces them in the same paragraphs, and the imported part itself
leaves the package. Formatting of the imported content is lost; its words are not.
A chunk of a type that cannot be decoded is removed, with a note, rather than shipped.
"""

from __future__ import annotations

import email
import email.policy
import io
import posixpath
import re
import zipfile
import zlib
from email.message import Message
from pathlib import Path

import lxml.html
from lxml import etree

from desk_app.core.docx.ns import CT_NS, R_ID, W_ALT_CHUNK, W_P, W_R, W_T, XML_SPACE, w
from desk_app.core.docx.package import DocxPackage, check_members, rels_name, resolve_target
from desk_app.core.errors import InputError

__all__ = ["chunk_lines", "decode_text", "inline_alt_chunks"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MHT_TYPES = ("message/rfc822", "multipart/related", "application/x-mimearchive")
_RTF_TYPES = ("application/rtf", "text/rtf")
_DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
_BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
                     "blockquote", "pre", "section", "article", "header", "footer", "dt", "dd", "hr", "title"})
_CELLS = frozenset({"td", "th"})


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Bytes of a text part as text: BOM first, then UTF-16 without a BOM (told by its zero
    bytes), the declared charset, UTF-8, and cp1252 as the last resort (it decodes anything)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        return data.decode("utf-16-le" if odd >= even else "utf-16-be", "replace")
    for codec in (charset, "utf-8"):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", "replace")


def _lines(text: str) -> list[str]:
    return [line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line]


def html_lines(text: str) -> list[str]:
    """The visible text of an HTML document, one entry per block (script, style, head dropped)."""
    if not text.strip():
        return []
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)   # lxml refuses str input with an encoding declaration
    try:
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError):
        return _lines(re.sub(r"<[^>]*>", " ", text))
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if tag in _BLOCKS:
            parts.append("\n")
        if tag and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n")
        elif tag in _CELLS:
            parts.append("\t")

    walk(root)
    return _lines("".join(parts))


# RTF groups whose text is not shown: tables of fonts and colours, document info, pictures,
# field instructions, bookmark names, and every "\*" destination.
_RTF_SKIP = frozenset({
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "themedata", "colorschememapping",
    "datastore", "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl",
    "mmathPr", "fldinst", "bkmkstart", "bkmkend", "filetbl", "revtbl", "pgdsctbl", "userprops", "docvar",
    "objdata", "template", "author", "operator", "title", "subject", "keywords", "comment", "doccomm",
    "falt", "panose", "listpicture", "xmlopen", "xmlattrname", "xmlattrvalue", "annotation", "atnid",
    "atnauthor",
})
_RTF_BREAKS = {"par": "\n", "line": "\n", "sect": "\n", "page": "\n", "row": "\n", "cell": "\t", "tab": "\t",
               "emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019",
               "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022", "emspace": " ", "enspace": " "}
_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+",
                        re.DOTALL)


def rtf_text(data: bytes) -> str:
    """The visible text of an RTF document: ``\\'xx`` bytes in the document's code page,
    ``\\uN`` characters, paragraph and cell breaks; hidden destinations skipped."""
    codepage = "cp1252"
    if m := re.search(rb"\\ansicpg(\d+)", data[:4096]):
        codepage = f"cp{int(m.group(1))}"
        try:
            b"".decode(codepage)
        except LookupError:
            codepage = "cp1252"
    out: list[str] = []
    pending = bytearray()
    stack: list[tuple[bool, int]] = []
    skipping, uc, to_skip = False, 1, 0
    star = False

    def flush() -> None:
        if pending:
            if not skipping:
                out.append(pending.decode(codepage, "replace"))
            pending.clear()

    for m in _RTF_TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, plain = m.groups()
        if hexbyte is not None:
            if to_skip:
                to_skip -= 1
                continue
            pending.append(int(hexbyte, 16))
            continue
        flush()
        if brace == b"{":
            stack.append((skipping, uc))
            star = False
        elif brace == b"}":
            skipping, uc = stack.pop() if stack else (False, 1)
            to_skip = 0
        elif word is not None:
            name = word.decode("ascii")
            if star or name in _RTF_SKIP:
                skipping = True
                star = False
            elif name == "uc" and arg is not None:
                uc = int(arg)
            elif name == "u" and arg is not None:
                code = int(arg)
                if not skipping:
                    out.append(chr(code + 65536 if code < 0 else code))
                to_skip = uc
            elif name in _RTF_BREAKS and not skipping:
                out.append(_RTF_BREAKS[name])
        elif symbol is not None:
            if symbol == b"*":
                star = True
            elif symbol in (b"\\", b"{", b"}") and not skipping:
                out.append(symbol.decode())
            elif symbol == b"~" and not skipping:
                out.append("\u00a0")
            elif symbol == b"_" and not skipping:
                out.append("-")
        elif plain is not None:
            text = plain
            if to_skip:
                cut = min(to_skip, len(text))
                text, to_skip = text[cut:], to_skip - cut
            if not skipping:
                pending.extend(text)
    flush()
    return "".join(out)


def _mht_lines(data: bytes) -> list[str]:
    """The first HTML (else plain-text) part of a MIME archive, quoted-printable or base64 undone."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts: list[Message] = [p for p in message.walk() if not p.is_multipart()]
    for kind in ("text/html", "text/plain"):
        for part in parts:
            if part.get_content_type() == kind:
                payload = part.get_payload(decode=True)
                if not isinstance(payload, bytes):
                    continue
                text = decode_text(payload, part.get_content_charset())
                return html_lines(text) if kind == "text/html" else _lines(text)
    return []


def chunk_lines(data: bytes, content_type: str, name: str) -> list[str] | None:
    """The visible lines of an imported part, or None when its type cannot be decoded."""
    content_type = content_type.split(";", 1)[0].strip().lower()
    ext = posixpath.splitext(name.lower())[1]
    if content_type in _MHT_TYPES or ext in (".mht", ".mhtml"):
        return _mht_lines(data)
    if content_type in _RTF_TYPES or ext == ".rtf" or data.lstrip()[:5] == b"{\\rtf":
        return _lines(rtf_text(data))
    if content_type in _HTML_TYPES or ext in (".htm", ".html", ".xhtml"):
        return html_lines(decode_text(data))
    if content_type == "text/plain" or ext == ".txt":
        return _lines(decode_text(data))
    if content_type in _DOCX_TYPES or ext in (".docx", ".docm", ".dotx"):
        return _docx_lines(data)
    return None


def _docx_lines(data: bytes) -> list[str] | None:
    """The paragraphs of a Word document imported whole (its own imports read first)."""
    from desk_app.core.docx.text import paragraphs

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = [(info, zf.read(info)) for info in zf.infolist()]
        check_members(Path("imported.docx"), entries)
        inner = DocxPackage(Path("imported.docx"), entries)
        inline_alt_chunks(inner)
        return [dp.text for dp in paragraphs(inner) if dp.text.strip()]
    except (InputError, KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, ValueError,
            NotImplementedError):
        return None


def content_type(pkg: DocxPackage, member: str) -> str:
    """The content type ``[Content_Types].xml`` gives a member (override, else by extension)."""
    types = pkg.member("[Content_Types].xml")
    if types is None:
        return ""
    root = pkg.xml(types)
    for el in root.iterchildren(f"{{{CT_NS}}}Override"):
        if str(el.get("PartName", "")).lstrip("/").lower() == member.lower():
            return str(el.get("ContentType", ""))
    ext = posixpath.splitext(member)[1].lstrip(".").lower()
    for el in root.iterchildren(f"{{{CT_NS}}}Default"):
        if str(el.get("Extension", "")).lower() == ext:
            return str(el.get("ContentType", ""))
    return ""


def _paragraph(text: str) -> etree._Element:
    p = etree.Element(W_P)
    if text:
        t = etree.SubElement(etree.SubElement(p, W_R), W_T)
        t.text = text
        t.set(XML_SPACE, "preserve")
    return p


def inline_alt_chunks(pkg: DocxPackage) -> list[str]:
    """Replace every altChunk in the text parts by paragraphs of its text; say what was done.

    The imported parts and their relationships are marked removed; the scrub later prunes
    their content-type overrides.
    """
    converted: dict[str, int] = {}
    dropped = 0
    for member, _ in pkg.text_parts:
        root = pkg.xml(member)
        chunks = list(root.iter(W_ALT_CHUNK))
        if not chunks:
            continue
        rels = {rel.get("Id"): rel for rel in pkg.relationships(member)}
        for el in chunks:
            rel = rels.get(el.get(R_ID))
            target = None
            if rel is not None and rel.get("TargetMode") != "External":
                target = pkg.member(resolve_target(member, rel.get("Target", "")))
            lines = None
            if target is not None:
                lines = chunk_lines(pkg.data(target), content_type(pkg, target), target)
            if lines is None:
                dropped += 1
            else:
                kind = posixpath.splitext(target or "")[1].lstrip(".").upper() or "text"
                converted[kind] = converted.get(kind, 0) + 1
            parent = el.getparent()
            index = parent.index(el)
            new = [_paragraph(line) for line in lines or []]
            if not new and parent.tag == w("tc"):
                new = [_paragraph("")]
            for offset, p in enumerate(new):
                parent.insert(index + offset, p)
            parent.remove(el)
            if rel is not None:
                rel.getparent().remove(rel)
                rels_member = pkg.member(rels_name(member))
                if rels_member is not None:
                    pkg.modified.add(rels_member)
            if target is not None:
                pkg.removed.add(target)
        pkg.modified.add(member)
    notes: list[str] = []
    if converted:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(converted.items()))
        notes.append(f"imported content (altChunk: {kinds}) read and anonymised like body text; in the output "
                     "it is ordinary paragraphs, without its original formatting")
    if dropped:
        notes.append(f"{dropped} imported content part(s) (altChunk) of a type that cannot be read were removed "
                     "from the output; check the original by hand")
    return notes
