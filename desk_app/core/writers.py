"""Write anonymised copies: text files as text, Word files as Word, PDFs as text.

Replacements are offsets into ``SourceDocument.text``. For .docx they are mapped back onto
the same ``w:p`` elements the reader produced (``DocxPackage.paragraphs``), and within a
paragraph onto the ``w:t`` nodes, so formatting, styles, numbering and fields survive.
Every file goes through ``atomic.write_file``; the source is only ever read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import quote, unquote

from lxml import etree

from desk_app.core.atomic import write_file
from desk_app.core.document import Replacement, SourceDocument
from desk_app.core.errors import InputError, OutputError
from desk_app.core.ingest.docx_reader import (
    MC_CHOICE,
    MC_FALLBACK,
    PKG_REL_NS,
    W_INSTR_TEXT,
    W_P,
    W_T,
    W_TXBX,
    XML_SPACE,
    DocxPackage,
    in_fallback,
    paragraph_segments,
    paragraph_text,
    rels_name,
)
from desk_app.core.scrub import scrub_package

__all__ = ["apply_replacements", "output_path", "write_document", "write_docx", "write_text"]


# -- plain text --------------------------------------------------------------------------

def _checked(replacements: Iterable[Replacement], length: int) -> list[Replacement]:
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
    ordered = _checked(replacements, len(text))
    pieces: list[str] = []
    cursor = 0
    for r in ordered:
        pieces.append(text[cursor:r.start])
        pieces.append(r.text)
        cursor = r.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _refuse_overwrite(doc: SourceDocument, dst: Path) -> None:
    try:
        same = dst.resolve() == doc.path.resolve()
    except OSError:
        same = False
    if same:
        raise OutputError("the output file would overwrite the source", dst)


def _write_bytes(dst: Path, data: bytes) -> None:
    write_file(dst, data)


def _output_encoding(doc: SourceDocument, text: str) -> str:
    """The source's own encoding, so bytes outside the replaced spans are unchanged.

    A cp1252 (or other legacy) source whose replacements cannot be encoded in it is
    written as UTF-8 with a BOM instead: the BOM is what lets Notepad and Word tell.
    PDFs and anything without a recorded encoding are written as plain UTF-8.
    """
    encoding = doc.encoding or "utf-8"
    if doc.kind != "txt":
        return "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return "utf-8-sig"
    except LookupError:
        return "utf-8-sig"
    return encoding


def write_text(doc: SourceDocument, replacements: list[Replacement], dst: Path) -> None:
    """Write ``doc.text`` with the replacements applied, newlines exactly as read.

    Encoded by hand and written as bytes, so "\\r\\n" is never translated on Windows.
    Text sources keep their encoding (a BOM stays a BOM; cp1252 stays cp1252 unless a
    replacement cannot be encoded, then UTF-8 with BOM); PDF text is written as UTF-8.
    """
    dst = Path(dst)
    _refuse_overwrite(doc, dst)
    text = apply_replacements(doc.text, replacements)
    _write_bytes(dst, text.encode(_output_encoding(doc, text)))


# -- docx --------------------------------------------------------------------------------

def _set_text(node: etree._Element, text: str) -> None:
    node.text = text
    if text != text.strip() or "  " in text:
        node.set(XML_SPACE, "preserve")


def _replace_in_paragraph(p: etree._Element, start: int, end: int, new: str) -> None:
    """Replace ``[start, end)`` of the paragraph's text, across run boundaries.

    The new text goes where the first affected character was, in that character's run,
    so it takes that run's formatting; the rest of the span is cut out of the runs it was
    in, which keep their own formatting. Tabs and breaks inside the span are removed.
    """
    segments = paragraph_segments(p)
    touched = [s for s in segments if s.start < end and s.end > start]
    if not touched:
        if start != end:
            raise ValueError(f"no text at {start}:{end} in paragraph {paragraph_text(p)!r}")
        hosts = [s for s in segments if s.editable and s.start <= start <= s.end]
        if hosts:
            host = hosts[0]
            cut = start - host.start
            _set_text(host.node, host.text[:cut] + new + host.text[cut:])
        elif new:
            raise ValueError("cannot insert text into an empty paragraph")
        return
    for index, seg in enumerate(touched):
        first = index == 0
        if seg.editable:
            lo, hi = max(start, seg.start) - seg.start, min(end, seg.end) - seg.start
            remaining = seg.text[:lo] + (new if first else "") + seg.text[hi:]
            if remaining:
                _set_text(seg.node, remaining)
            else:
                seg.node.getparent().remove(seg.node)
        else:
            parent = seg.node.getparent()
            if first and new:
                t = etree.Element(W_T)
                _set_text(t, new)
                parent.replace(seg.node, t)
            else:
                parent.remove(seg.node)


class _Sweeper:
    """Literal replacement of the original strings, for places that are not paragraph text.

    Field codes (``HYPERLINK "mailto:..."``), hyperlink targets, screen tips, the VML copy
    of a text box when it differs from the DrawingML one, document properties: none of
    these are in ``SourceDocument.text``, yet a name or email found in the text can sit
    there too. Whole-word matches only, to avoid mangling unrelated words; case matters
    except in URLs and field codes, where "Priya.Ramsden@" and "priya.ramsden@" are one.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.exact: dict[str, str] = {}
        for original, new in pairs:
            key = original.strip()
            if len(key) >= 2:
                self.exact.setdefault(key, new)
        self.folded: dict[str, str] = {}
        for key, new in self.exact.items():
            self.folded.setdefault(key.lower(), new)
        alternatives = "|".join(re.escape(k) for k in sorted(self.exact, key=len, reverse=True))
        body = rf"(?<!\w)(?:{alternatives})(?!\w)"
        self.pattern = re.compile(body) if self.exact else None
        self.pattern_i = re.compile(body, re.IGNORECASE) if self.exact else None

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Case-sensitive whole-word hits in ``text`` as (start, end, replacement)."""
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.exact[m.group()]) for m in self.pattern.finditer(text)]

    def sub(self, text: str, *, url: bool = False, ignore_case: bool = False) -> str:
        """``text`` with every hit replaced; ``url`` percent-encodes the replacement."""
        pattern = self.pattern_i if (url or ignore_case) else self.pattern
        if pattern is None:
            return text

        def replacement(m: re.Match[str]) -> str:
            new = self.exact.get(m.group()) or self.folded.get(m.group().lower())
            if new is None:
                return m.group()
            return quote(new, safe="@.-_~+") if url else new

        return pattern.sub(replacement, text)


def _fallback_twin(p: etree._Element) -> etree._Element | None:
    """The VML (mc:Fallback) copy of a text-box paragraph read from its mc:Choice copy."""
    choice = next((a for a in p.iterancestors() if a.tag == MC_CHOICE), None)
    if choice is None:
        return None
    fallback = next(choice.itersiblings(MC_FALLBACK), None)
    if fallback is None:
        return None
    box = next((a for a in p.iterancestors() if a.tag == W_TXBX), None)
    if box is None:
        return None
    boxes = list(choice.iter(W_TXBX))
    twins = list(fallback.iter(W_TXBX))
    k = boxes.index(box)
    if k >= len(twins):
        return None
    j = list(box.iter(W_P)).index(p)
    twin_paras = list(twins[k].iter(W_P))
    return twin_paras[j] if j < len(twin_paras) else None


# Attributes that can repeat a name found in the text: field codes, screen tips, revision
# and comment authors, image alt text and titles.
_SWEPT_ATTRIBUTES = frozenset({"instr", "tooltip", "author", "descr", "title", "alt"})


def _sweep_attributes(root: etree._Element, sweeper: _Sweeper) -> bool:
    changed = False
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            name = etree.QName(attr).localname
            if name in _SWEPT_ATTRIBUTES:
                new = sweeper.sub(value, ignore_case=name == "instr")
                if new != value:
                    node.set(attr, new)
                    changed = True
    return changed


def _swept_url(sweeper: _Sweeper, target: str) -> str:
    """A link target with names replaced, also where the name is percent-encoded
    ('…/Cheryl%20Laffey.pdf'): then the decoded target is swept and encoded again."""
    new = sweeper.sub(target, url=True)
    decoded = unquote(new)
    if decoded != new and (swept := sweeper.sub(decoded, ignore_case=True)) != decoded:
        new = quote(swept, safe=":/?#[]@!$&'()*+,;=~")
    return new


def _sweep_outside_text(pkg: DocxPackage, sweeper: _Sweeper) -> None:
    r_ns = f"{{{PKG_REL_NS}}}Relationship"
    for member, _ in pkg.text_parts:
        root = pkg.xml(member)
        changed = _sweep_attributes(root, sweeper)
        for node in root.iter(W_INSTR_TEXT):
            new = sweeper.sub(node.text or "", ignore_case=True)
            if new != (node.text or ""):
                node.text, changed = new, True
        if changed:
            pkg.modified.add(member)
        rels = pkg.member(rels_name(member))
        if rels is not None:
            for rel in pkg.xml(rels).iter(r_ns):
                target = rel.get("Target", "")
                if rel.get("TargetMode") == "External" and (new := _swept_url(sweeper, target)) != target:
                    rel.set("Target", new)
                    pkg.modified.add(rels)
    people = pkg.member("word/people.xml")
    if people is not None and _sweep_attributes(pkg.xml(people), sweeper):
        pkg.modified.add(people)
    for name in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
        member = pkg.member(name)
        if member is None:
            continue
        for node in pkg.xml(member).iter():
            if isinstance(node.tag, str) and node.text and sweeper.sub(node.text) != node.text:
                node.text = sweeper.sub(node.text)
                pkg.modified.add(member)


def _apply_local(p: etree._Element, spans: Sequence[tuple[int, int, str]]) -> None:
    for start, end, new in sorted(spans, key=lambda s: s[0], reverse=True):
        _replace_in_paragraph(p, start, end, new)


def write_docx(doc: SourceDocument, replacements: list[Replacement], dst: Path,
               notes: list[str] | None = None) -> None:
    """Write an anonymised copy of a .docx, editing runs in place.

    Besides the replacements themselves, for safety the copy also:
    - applies each text-box replacement to the VML fallback copy of the text box too;
    - replaces the same strings (whole words) in field codes, hyperlink targets, screen
      tips, revision and comment authors, image alt text and document properties;
    - is scrubbed (``scrub.scrub_package``): tracked changes accepted (deleted text is
      still in the file and would leak the original), comments, hidden text, personal
      document properties, the thumbnail, custom XML and building blocks removed.
    ``notes``, when given, is extended with one plain line per kind of thing the scrub
    removed, for the report; the source document is never changed.
    A replacement must lie within one paragraph (ValueError otherwise).
    """
    dst = Path(dst)
    _refuse_overwrite(doc, dst)
    if doc.kind != "docx":
        raise ValueError(f"write_docx needs a docx source, not {doc.kind!r}")
    ordered = _checked(replacements, len(doc.text))
    local: dict[int, list[tuple[int, int, str]]] = {}
    for r in ordered:
        index = doc.paragraph_at(r.start)
        para = doc.paragraphs[index]
        if not (para.start <= r.start and r.end <= para.end):
            raise ValueError(f"replacement {r} spans two paragraphs")
        local.setdefault(index, []).append((r.start - para.start, r.end - para.start, r.text))

    try:
        pkg = DocxPackage.open(doc.path)
        paras = pkg.paragraphs()
    except InputError as exc:
        raise OutputError(f"cannot read the source again: {exc.message}", doc.path) from None
    if [p.text for p in paras] != [p.text for p in doc.paragraphs]:
        raise OutputError("the source file has changed since it was read; load it again", doc.path)

    sweeper = _Sweeper((doc.text[r.start:r.end], r.text) for r in ordered)
    # the elements themselves, not id()s: lxml proxies are recreated (and ids reused) when freed
    twins_done: set[etree._Element] = set()
    for index, spans in local.items():
        dp = paras[index]
        twin = _fallback_twin(dp.element) if dp.part == "textbox" else None
        if twin is not None and paragraph_text(twin) == dp.text:
            _apply_local(twin, spans)
            twins_done.add(twin)
        _apply_local(dp.element, spans)
        pkg.modified.add(dp.member)

    for member, _ in pkg.text_parts:
        root = pkg.xml(member)
        # Fallback copies not matched above: catch the same strings by sweeping.
        for p in root.iter(W_P):
            if p in twins_done or not in_fallback(p):
                continue
            hits = sweeper.matches(paragraph_text(p))
            if hits:
                _apply_local(p, hits)
                pkg.modified.add(member)

    _sweep_outside_text(pkg, sweeper)
    lines = scrub_package(pkg)
    _write_bytes(dst, pkg.to_bytes())
    if notes is not None:
        notes.extend(lines)


# -- choosing the output -----------------------------------------------------------------

def output_path(doc: SourceDocument, out_dir: Path) -> Path:
    """Where ``write_document`` puts the copy: same name, .txt for PDFs."""
    suffix = doc.path.suffix
    if doc.kind == "pdf":
        suffix = ".txt"
    elif doc.kind == "docx":
        suffix = ".docx"
    return Path(out_dir) / f"{doc.path.stem}{suffix}"


def write_document(doc: SourceDocument, replacements: list[Replacement], out_dir: Path,
                   notes: list[str] | None = None) -> Path:
    """Write the anonymised copy into ``out_dir`` (created if missing) and return its path.

    ``notes``, when given, receives what was scrubbed from a .docx copy (see ``write_docx``).
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError("the output folder is a file, not a folder", out_dir) from None
    except PermissionError:
        raise OutputError("cannot create the output folder (permission denied)", out_dir) from None
    except OSError as exc:
        raise OutputError(f"cannot create the output folder ({exc.strerror or exc})", out_dir) from None
    dst = output_path(doc, out_dir)
    try:
        beside = dst.parent.resolve() == doc.path.parent.resolve() and dst.exists() \
            and dst.resolve() != doc.path.resolve()   # that one has its own message, from the writer
    except OSError:
        beside = False
    if beside:   # 'notes.pdf' -> 'notes.txt' next to it would replace the user's own notes.txt
        raise OutputError("a file of this name is already in the source's own folder; "
                          "choose another output folder", dst)
    if doc.kind == "docx":
        write_docx(doc, replacements, dst, notes)
    else:
        write_text(doc, replacements, dst)
    return dst
