"""Word (.docx) case files, read straight from the package XML.

python-docx's ``Paragraph.text`` silently skips runs inside tracked insertions (``w:ins``),
content controls (``w:sdt``), smart tags and custom XML wrappers, and cannot reach text
boxes at all; every one of those is a place a name survives "anonymisation". So this
module walks the WordprocessingML itself.

The traversal (``DocxPackage.paragraphs``) is shared with the docx writer: paragraph ``i``
of the ``SourceDocument`` is the same ``w:p`` element the writer edits, which is what lets
offsets found in ``SourceDocument.text`` be applied back to runs.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.errors import InputError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """Clark name for a WordprocessingML tag (``w("t")`` -> ``{ns}t``)."""
    return f"{{{W_NS}}}{tag}"


W_P, W_R, W_T = w("p"), w("r"), w("t")
W_TBL, W_TXBX = w("tbl"), w("txbxContent")
W_DEL, W_MOVE_FROM, W_DEL_TEXT = w("del"), w("moveFrom"), w("delText")
W_INS, W_MOVE_TO, W_RPR = w("ins"), w("moveTo"), w("rPr")
W_INSTR_TEXT, W_DEL_INSTR_TEXT = w("instrText"), w("delInstrText")
M_T = f"{{{M_NS}}}t"
MC_CHOICE, MC_FALLBACK = f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"

# Single characters some run children stand for. A break becomes a space, not "\n", so one
# w:p is always one line of SourceDocument.text.
_SPECIAL_CHARS = {
    w("tab"): "\t",
    w("ptab"): "\t",
    w("br"): " ",
    w("cr"): " ",
    w("noBreakHyphen"): "-",
}
# Subtrees that contribute no paragraph text: nested paragraphs (text boxes) are paragraphs
# of their own; deletions and field codes are not visible text; properties hold no text.
_NO_TEXT = frozenset({
    W_P, W_TXBX, W_DEL, W_MOVE_FROM, W_DEL_TEXT, W_INSTR_TEXT, W_DEL_INSTR_TEXT, MC_FALLBACK,
    w("pPr"), w("rPr"), w("sdtPr"), w("sdtEndPr"), w("tblPr"), w("trPr"), w("tcPr"),
})

# Relationship type suffix -> Paragraph.part label, in the order parts are traversed.
_PART_ORDER = (("header", "header"), ("footer", "footer"), ("footnotes", "footnote"),
               ("endnotes", "endnote"), ("comments", "comment"))

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A .docx is held in memory unpacked (every part, as bytes), and its XML is then parsed: case
# notes unpack to a few MB, photos included. 200 MB bounds both the file and its unpacked parts.
_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_DAMAGED = "not a valid .docx file (damaged or not a Word document)"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Segment:
    """A node that contributes ``text`` at ``start`` within its paragraph's text.

    ``editable`` nodes (w:t, m:t) hold their characters as element text; the others
    (tab, break, non-breaking hyphen) stand for one character and can only be removed.
    """

    node: etree._Element
    start: int
    text: str
    editable: bool

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class DocxParagraph:
    """One traversed ``w:p``: the element, the zip member it lives in, and its label."""

    element: etree._Element
    member: str
    part: str
    text: str


def _first_choice(choice: etree._Element) -> bool:
    parent = choice.getparent()
    if parent is None:
        return True
    first = next(iter(parent.iterchildren(MC_CHOICE)), None)
    return first is choice


def in_fallback(el: etree._Element) -> bool:
    """True inside an alternative Word would not show (mc:Fallback or a later mc:Choice).

    Text boxes are stored twice (DrawingML choice, VML fallback); reading both would
    double every name in them, so reading takes the first choice only.
    """
    for anc in el.iterancestors():
        if anc.tag == MC_FALLBACK:
            return True
        if anc.tag == MC_CHOICE and not _first_choice(anc):
            return True
    return False


def paragraph_segments(p: etree._Element) -> list[Segment]:
    """The text-bearing nodes of one ``w:p`` in order, with their offsets.

    Walks every wrapper (hyperlink, sdt, smartTag, customXml, fldSimple, ins, moveTo, ...)
    rather than listing the ones to enter, so an unknown wrapper cannot hide a run.
    """
    segments: list[Segment] = []
    pos = 0

    def walk(el: etree._Element) -> None:
        nonlocal pos
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NO_TEXT:
                continue
            if tag == MC_CHOICE and not _first_choice(child):
                continue
            if tag in (W_T, M_T):
                text = child.text or ""
                segments.append(Segment(child, pos, text, True))
                pos += len(text)
            elif tag in _SPECIAL_CHARS:
                segments.append(Segment(child, pos, _SPECIAL_CHARS[tag], False))
                pos += 1
            else:
                walk(child)

    walk(p)
    return segments


def paragraph_text(p: etree._Element) -> str:
    """The visible text of one ``w:p`` (insertions included, deletions excluded)."""
    return "".join(s.text for s in paragraph_segments(p))


def iter_part_paragraphs(root: etree._Element, label: str) -> Iterator[tuple[etree._Element, str]]:
    """Every readable ``w:p`` of one part in document order, with its Paragraph.part label."""
    for p in root.iter(W_P):
        if in_fallback(p):
            continue
        part = label
        ancestors = list(p.iterancestors())
        if any(a.tag == W_TXBX for a in ancestors):
            part = "textbox"
        elif label == "body" and any(a.tag == W_TBL for a in ancestors):
            part = "table"
        yield p, part


def deleted_text(el: etree._Element) -> str:
    """The characters a tracked deletion (w:del / w:moveFrom) still carries in the file."""
    return "".join(
        n.text or "" for n in el.iter(W_DEL_TEXT, W_T, W_DEL_INSTR_TEXT) if isinstance(n.tag, str)
    )


# Parents in which w:ins / w:del / w:moveTo / w:moveFrom are empty markers (an inserted or
# deleted paragraph mark, table row or numbering) rather than wrappers around runs.
REVISION_MARK_PARENTS = frozenset({W_RPR, w("trPr"), w("numPr")})
_OFF = frozenset({"0", "false", "off"})


def is_on(el: etree._Element) -> bool:
    """A WordprocessingML on/off property: on when present without ``w:val`` or with 1/true/on."""
    return str(el.get(w("val"), "true")).lower() not in _OFF


def in_deletion(el: etree._Element) -> bool:
    """True inside a tracked deletion (w:del / w:moveFrom), text the reader does not take."""
    return any(a.tag in (W_DEL, W_MOVE_FROM) for a in el.iterancestors())


def run_has_text(r: etree._Element) -> bool:
    """True when a run holds characters (not only a field character, a break or a picture)."""
    return any(t.text for t in r.iter(W_T))


class HiddenText:
    """Which runs Word does not show because they are formatted hidden (``w:vanish``).

    Hidden runs are read like any other text, so a name in them is found and replaced; the
    writer then removes them, since "hidden" is one click from visible. A run is hidden when
    its own ``w:rPr`` says ``w:vanish`` (or ``w:specVanish``); failing that, when its
    character style (or a style it is based on) does; failing that, when its paragraph's
    style does. Direct formatting beats styles as in Word; vanish is strictly a toggle
    property, but a style chain that toggles it twice is not modelled.
    """

    def __init__(self, pkg: DocxPackage) -> None:
        self._char: dict[str, bool] = {}
        self._para: dict[str, bool] = {}
        self._default_para = ""
        member = None
        for rel in pkg.relationships(pkg.main):
            if rel.get("Type", "").endswith("/styles") and rel.get("TargetMode") != "External":
                member = pkg.member(resolve_target(pkg.main, rel.get("Target", "")))
                break
        if member is not None:
            self._read_styles(pkg.xml(member))

    def _read_styles(self, root: etree._Element) -> None:
        styles: dict[str, tuple[str, str, bool | None]] = {}
        for style in root.iterchildren(w("style")):
            sid = style.get(w("styleId"), "")
            based = style.find(w("basedOn"))
            vanish = style.find(f"{W_RPR}/{w('vanish')}")
            styles[sid] = (style.get(w("type"), "paragraph"), based.get(w("val"), "") if based is not None else "",
                           is_on(vanish) if vanish is not None else None)
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true", "on"):
                self._default_para = sid
        for sid, (kind, _, _) in styles.items():
            seen: set[str] = set()
            current = sid
            while current in styles and current not in seen:
                seen.add(current)
                _, based, vanish = styles[current]
                if vanish is not None:
                    (self._char if kind == "character" else self._para)[sid] = vanish
                    break
                current = based

    def is_hidden(self, r: etree._Element) -> bool:
        """True when Word hides this ``w:r``."""
        rpr = r.find(W_RPR)
        if rpr is not None:
            special = rpr.find(w("specVanish"))
            if special is not None and is_on(special):
                return True
            vanish = rpr.find(w("vanish"))
            if vanish is not None:
                return is_on(vanish)
            style = rpr.find(w("rStyle"))
            if style is not None and style.get(w("val"), "") in self._char:
                return self._char[style.get(w("val"), "")]
        if not self._para:
            return False
        p = next(r.iterancestors(W_P), None)
        style_id = self._default_para
        if p is not None:
            p_style = p.find(f"{w('pPr')}/{w('pStyle')}")
            if p_style is not None:
                style_id = p_style.get(w("val"), "")
        return self._para.get(style_id, False)


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
            raise InputError(_DAMAGED, path)
        # Sizes are checked before anything is unpacked: the file's own size, then the sizes
        # the zip declares, then the bytes actually decompressed (a zip bomb can lie in its
        # header), so memory never holds more than _MAX_UNCOMPRESSED of parts.
        limit_mb = _MAX_UNCOMPRESSED // (1024 * 1024)
        refused = f".docx files over {limit_mb} MB unpacked are not read"
        size = path.stat().st_size
        if size > _MAX_UNCOMPRESSED:
            raise InputError(f"the file is {size // (1024 * 1024)} MB; .docx files over {limit_mb} MB are not read",
                             path)
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
                declared = sum(i.file_size for i in infos)
                if declared > _MAX_UNCOMPRESSED:
                    raise InputError(f"the document unpacks to {declared // (1024 * 1024)} MB; {refused}", path)
                import io

                entries: list[tuple[zipfile.ZipInfo, bytes]] = []
                budget = _MAX_UNCOMPRESSED
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
            raise InputError(_DAMAGED, path) from None
        try:
            return cls(path, entries)
        except (KeyError, etree.XMLSyntaxError):
            raise InputError(_DAMAGED, path) from None

    def member(self, name: str) -> str | None:
        """The zip member for a part name (OPC part names are case-insensitive)."""
        return self._by_lower.get(name.lower())

    def xml(self, member: str) -> etree._Element:
        """Parsed XML of a member, cached so edits accumulate on one tree."""
        root = self._xml.get(member)
        if root is None:
            root = etree.fromstring(self._data[member], _PARSER)
            self._xml[member] = root
        return root

    def relationships(self, member: str) -> list[etree._Element]:
        """The Relationship elements of ``member`` (empty if it has none)."""
        rels = self.member(rels_name(member))
        if rels is None:
            return []
        return list(self.xml(rels).iter(f"{{{PKG_REL_NS}}}Relationship"))

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

    # -- traversal -------------------------------------------------------------------------
    def paragraphs(self) -> list[DocxParagraph]:
        """Every readable paragraph, in the one order both the reader and writer use."""
        result: list[DocxParagraph] = []
        for member, label in self.text_parts:
            for p, part in iter_part_paragraphs(self.xml(member), label):
                result.append(DocxParagraph(p, member, part, paragraph_text(p)))
        return result

    # -- saving ----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The package as a .docx: modified parts re-serialised, others copied unchanged."""
        import io

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            for info, data in self.entries:
                if info.filename in self.removed:
                    continue
                if info.filename in self.modified:
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


def _deletion_notes(pkg: DocxPackage) -> list[str]:
    found: list[tuple[str, str]] = []
    for member, label in pkg.text_parts:
        for el in pkg.xml(member).iter(W_DEL, W_MOVE_FROM):
            text = deleted_text(el)
            if text.strip() and not in_fallback(el):
                where = "textbox" if any(a.tag == W_TXBX for a in el.iterancestors()) else label
                found.append((where, text))
    if not found:
        return []
    notes = [f"tracked deletion in {where}: '{_clip(text)}'" for where, text in found[:3]]
    if len(found) > 3:
        notes.append(f"... and {len(found) - 3} more tracked deletions")
    notes.append(f"{len(found)} tracked deletion(s) are not anonymised but are removed from the output")
    return notes


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _hidden_input_notes(pkg: DocxPackage) -> list[str]:
    """Say what the source hides (comments, hidden runs, deleted rows, insertions) and what the
    anonymised copy does with it, so the report can account for text a reader of the
    document never sees. Comment parts count as comments, not as insertions or hidden runs.
    """
    hidden_text = HiddenText(pkg)
    comments = insertions = hidden = rows = 0
    for member, label in pkg.text_parts:
        root = pkg.xml(member)
        if label == "comment":
            comments += sum(1 for _ in root.iterchildren(w("comment")))
            continue
        rows += sum(1 for el in root.iter(W_DEL, W_MOVE_FROM)
                    if el.getparent() is not None and el.getparent().tag == w("trPr") and not in_fallback(el))
        for el in root.iter(W_INS, W_MOVE_TO):
            parent = el.getparent()
            if parent is not None and parent.tag in REVISION_MARK_PARENTS:
                continue
            if any(t.text for t in el.iter(W_T)) and not in_fallback(el) and not in_deletion(el):
                insertions += 1
        for r in root.iter(W_R):
            if run_has_text(r) and hidden_text.is_hidden(r) and not in_fallback(r) and not in_deletion(r):
                hidden += 1
    notes: list[str] = []
    if comments:
        notes.append(f"{_plural(comments, 'comment')}: read and anonymised, then removed from the output")
    if hidden:
        notes.append(f"{_plural(hidden, 'hidden run')} of text: read and anonymised, then removed from the output")
    if rows:
        notes.append(f"{_plural(rows, 'deleted table row')} (tracked): read and anonymised, then removed from the "
                     "output")
    if insertions:
        notes.append(f"{_plural(insertions, 'tracked insertion')}: read and anonymised, then accepted in the "
                     "output (kept as ordinary text)")
    return notes


def _unread_notes(pkg: DocxPackage) -> list[str]:
    """Say what this reader does not see, so a human checks it rather than trusting silence."""
    notes: list[str] = []
    names = [info.filename.lower() for info, _ in pkg.entries]
    kinds = [label for prefix, label in (("word/charts/", "charts"), ("word/diagrams/", "SmartArt diagrams"),
                                         ("word/embeddings/", "embedded objects"))
             if any(n.startswith(prefix) for n in names)]
    if kinds:
        notes.append(f"the document contains {', '.join(kinds)}; their text is not read or anonymised, "
                     "check them by hand")
    if any(n.startswith("word/glossary/") for n in names):
        notes.append("the document contains building blocks (a glossary); they are not read, and are removed "
                     "from the output")
    if any(next(pkg.xml(m).iter(w("altChunk")), None) is not None for m, _ in pkg.text_parts):
        notes.append("the document imports content from other files (altChunk), which is not read or "
                     "anonymised; check it by hand")
    if any(next(pkg.xml(m).iter(w("dataBinding")), None) is not None for m, _ in pkg.text_parts):
        notes.append("some content controls are bound to custom XML data; the bindings and the custom XML "
                     "are removed from the output, which keeps the anonymised text")
    return notes


def read_docx(path: Path) -> SourceDocument:
    """Read a .docx into one text (paragraphs joined by "\\n", empty ones kept).

    Empty paragraphs are kept so that paragraph indices match ``DocxPackage.paragraphs``
    one to one; the writer relies on that.
    """
    pkg = DocxPackage.open(path)
    try:
        paras = pkg.paragraphs()
        notes = _deletion_notes(pkg) + _hidden_input_notes(pkg) + _unread_notes(pkg)
    except (KeyError, etree.XMLSyntaxError):
        raise InputError(_DAMAGED, path) from None
    paragraphs: list[Paragraph] = []
    offset = 0
    for dp in paras:
        paragraphs.append(Paragraph(dp.text, offset, dp.part))
        offset += len(dp.text) + 1
    text = "\n".join(p.text for p in paragraphs)
    if not text.strip():
        raise InputError("the document contains no text", path)
    return SourceDocument(path=path, kind="docx", text=text, paragraphs=paragraphs, notes=notes)
