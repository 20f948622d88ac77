"""The .docx package: a zip of parts, opened safely, held in memory, saved back.

The lowest layer of the Word toolkit (as python-docx's ``opc``): it knows zip members,
relationships and content types, and nothing of paragraphs. Opening is where hostile or
damaged input is refused, each time with one line that says what and where: sizes are
bounded before anything is unpacked, a member named outside the package (``..``, an
absolute path) is refused, and so is any XML part that declares a DTD or entities, since
no entity may ever be resolved and python-docx cannot open such a copy anyway.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from desk_app.core.docx.ns import REL, STRICT_W_NS, w
from desk_app.core.errors import InputError

__all__ = ["DAMAGED", "MAX_UNCOMPRESSED", "PARSER", "DocxPackage", "check_members", "rels_name", "resolve_target"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A .docx is held in memory unpacked (every part, as bytes), and its XML is then parsed: case
# notes unpack to a few MB, photos included. 200 MB bounds both the file and its unpacked parts.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
DAMAGED = "not a valid .docx file (damaged or not a Word document)"

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

# Relationship type suffix -> Paragraph.part label, in the order parts are traversed.
_PART_ORDER = (("header", "header"), ("footer", "footer"), ("footnotes", "footnote"),
               ("endnotes", "endnote"), ("comments", "comment"))
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _unsafe_member_name(name: str) -> bool:
    """A zip member that would land outside the package if unpacked (``..``, absolute, drive)."""
    norm = name.replace("\\", "/")
    return norm.startswith("/") or re.match(r"^[A-Za-z]:", norm) is not None or ".." in norm.split("/")


def _declares_dtd(data: bytes) -> bool:
    """True when XML bytes (UTF-8 or UTF-16, with or without BOM) declare a DTD or an entity."""
    if _DTD.search(data):
        return True
    if data.count(0) > len(data) // 4:
        for codec in ("utf-16-le", "utf-16-be"):
            text = data.decode(codec, "ignore")
            if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
                return True
    return False


def check_members(path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]]) -> None:
    """Refuse a package whose member names or XML are unsafe, with one line naming the member."""
    for info, _data in entries:
        if _unsafe_member_name(info.filename):
            shown = " ".join(info.filename.split())   # a name may hold a line break: the message stays one line
            raise InputError(f"the document contains a part named '{shown}', outside the package; it is not read",
                             path)
    for info, data in entries:
        # XML parts by name here (an imported HTML page may well start with <!DOCTYPE html>);
        # any other member parsed as XML is checked when parsed (``DocxPackage.xml``).
        if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _declares_dtd(data):
            raise InputError(_dtd_message(info.filename), path)


def _dtd_message(member: str) -> str:
    return (f"the part '{member}' declares a DTD or entities (<!DOCTYPE>); such documents are not read: "
            "open it in Word and save it again")


def resolve_target(source: str, target: str) -> str:
    """The part name a relationship of ``source`` points at (``""`` is the package itself)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def rels_name(member: str) -> str:
    """Zip member holding the relationships of ``member``."""
    folder, name = posixpath.split(member)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class DocxPackage:
    """A .docx held in memory: zip entries in their original order, XML parsed on demand.

    Only parts that are parsed and then marked modified are re-serialised on save, so
    everything the anonymiser does not touch is written back byte for byte.
    """

    def __init__(self, path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]]) -> None:
        self.path = path
        self.entries = entries
        self._by_lower = {info.filename.lower(): info.filename for info, _ in entries}
        self._data = {info.filename: data for info, data in entries}
        self._xml: dict[str, etree._Element] = {}
        self.modified: set[str] = set()
        self.removed: set[str] = set()
        self.replaced: dict[str, bytes] = {}   # non-XML members rewritten as bytes (images stripped)
        self.notes: list[str] = []             # what opening did to the content (imported parts read)
        self.main = self._find_main()
        self.text_parts = self._find_text_parts()

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> DocxPackage:
        """Open and sanity-check a .docx, turning every failure into one InputError line."""
        with path.open("rb") as f:
            head = f.read(8)
        if not head:
            raise InputError("the file is empty", path)
        if head.startswith(b"%PDF"):
            raise InputError("this is a PDF file with a .docx name", path)
        if head.startswith(_OLE_MAGIC):
            raise InputError(_ole_message(path), path)
        if not head.startswith(b"PK"):
            raise InputError(DAMAGED, path)
        # Sizes are checked before anything is unpacked: the file's own size, then the sizes
        # the zip declares, then the bytes actually decompressed (a zip bomb can lie in its
        # header), so memory never holds more than MAX_UNCOMPRESSED of parts.
        limit_mb = MAX_UNCOMPRESSED // (1024 * 1024)
        refused = f".docx files over {limit_mb} MB unpacked are not read"
        size = path.stat().st_size
        if size > MAX_UNCOMPRESSED:
            raise InputError(f"the file is {size // (1024 * 1024)} MB; .docx files over {limit_mb} MB are not read",
                             path)
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
                declared = sum(i.file_size for i in infos)
                if declared > MAX_UNCOMPRESSED:
                    raise InputError(f"the document unpacks to {declared // (1024 * 1024)} MB; {refused}", path)
                entries: list[tuple[zipfile.ZipInfo, bytes]] = []
                budget = MAX_UNCOMPRESSED
                for info in infos:
                    buf = io.BytesIO()   # getvalue() hands over its buffer: no second copy
                    with zf.open(info) as member:
                        while chunk := member.read(1024 * 1024):
                            budget -= len(chunk)
                            if budget < 0:
                                raise InputError(f"the document unpacks to over {limit_mb} MB; {refused}", path)
                            buf.write(chunk)
                    entries.append((info, buf.getvalue()))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
            raise InputError(DAMAGED, path) from None
        check_members(path, entries)
        try:
            return cls(path, entries)
        except (KeyError, etree.XMLSyntaxError):
            raise InputError(DAMAGED, path) from None

    def member(self, name: str) -> str | None:
        """The zip member for a part name (OPC part names are case-insensitive)."""
        return self._by_lower.get(name.lower())

    def data(self, member: str) -> bytes:
        """The bytes of a member as they will be saved (a rewritten member's new bytes)."""
        return self.replaced.get(member, self._data[member])

    def xml(self, member: str) -> etree._Element:
        """Parsed XML of a member, cached so edits accumulate on one tree."""
        root = self._xml.get(member)
        if root is None:
            root = etree.fromstring(self._data[member], PARSER)
            if root.getroottree().docinfo.doctype:
                raise InputError(_dtd_message(member), self.path)
            self._xml[member] = root
        return root

    def relationships(self, member: str) -> list[etree._Element]:
        """The Relationship elements of ``member`` (empty if it has none)."""
        rels = self.member(rels_name(member))
        if rels is None:
            return []
        return list(self.xml(rels).iter(REL))

    def _find_main(self) -> str:
        for rel in self.relationships(""):
            if rel.get("Type", "").endswith("/officeDocument"):
                member = self.member(resolve_target("", rel.get("Target", "")))
                if member is not None:
                    break
        else:
            member = self.member("word/document.xml")
        if member is None:
            raise KeyError("main document part")
        root = self.xml(member)
        if root.tag.startswith(f"{{{STRICT_W_NS}}}"):
            raise InputError(
                "the document is saved as 'Strict Open XML'; save it in Word as a normal "
                "Word Document (.docx) and try again", self.path,
            )
        if root.tag != w("document"):
            raise KeyError("not a WordprocessingML document")
        return member

    def _find_text_parts(self) -> list[tuple[str, str]]:
        """(member, label) for the body, then headers, footers, footnotes, endnotes, comments.

        Headers and footers follow the order of their references in the body so the
        joined text reads in section order.
        """
        by_id: dict[str, str] = {}
        by_kind: dict[str, list[str]] = {kind: [] for kind, _ in _PART_ORDER}
        for rel in self.relationships(self.main):
            if rel.get("TargetMode") == "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind in by_kind:
                member = self.member(resolve_target(self.main, rel.get("Target", "")))
                if member is not None and member not in by_kind[kind]:
                    by_kind[kind].append(member)
                    by_id[rel.get("Id", "")] = member
        r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        body = self.xml(self.main)
        for kind in ("header", "footer"):
            referenced = [by_id[ref.get(r_id, "")] for ref in body.iter(w(f"{kind}Reference"))
                          if ref.get(r_id, "") in by_id]
            ordered = list(dict.fromkeys(referenced))
            by_kind[kind] = ordered + [m for m in by_kind[kind] if m not in ordered]
        parts = [(self.main, "body")]
        for kind, label in _PART_ORDER:
            parts.extend((m, label) for m in by_kind[kind])
        return parts

    # -- saving ----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The package as a .docx: modified parts re-serialised, others copied unchanged."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            for info, data in self.entries:
                if info.filename in self.removed:
                    continue
                if info.filename in self.replaced:
                    data = self.replaced[info.filename]
                elif info.filename in self.modified:
                    data = etree.tostring(self._xml[info.filename], xml_declaration=True,
                                          encoding="UTF-8", standalone=True)
                new_info = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                new_info.compress_type = info.compress_type
                new_info.external_attr = info.external_attr
                out.writestr(new_info, data)
        return buf.getvalue()


def _ole_message(path: Path) -> str:
    """Word stores both password-protected .docx and old .doc files as OLE containers."""
    with path.open("rb") as f:
        data = f.read(4 * 1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "the document is password-protected; remove the password in Word and try again"
    if "WordDocument".encode("utf-16-le") in data:
        return ("this is an old Word 97-2003 (.doc) file with a .docx name; open it in Word "
                "and save it as a Word Document (.docx)")
    return "the document is password-protected or not a .docx file; remove the password in Word and try again"


