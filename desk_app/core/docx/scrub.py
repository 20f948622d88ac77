"""Strip an anonymised .docx of everything a reader of the page does not see.

Replacing names in the visible text is not enough for publication: a Word file also carries
its revision history (tracked changes with their authors), comments and the people who wrote
them, hidden text, the author and company in its properties, a picture of page one, custom
XML data, document variables and building blocks. Any of them can hold the complainant's name
or say who wrote the file. ``scrub_package`` removes them from a ``DocxPackage`` in memory,
after the replacements and before the package is saved, and returns one plain-English line per
kind of thing it removed, for the replacement report.

What is kept on purpose: styles and numbering (``styles.xml``, ``numbering.xml`` are not
touched), revision-save ids (``w:rsid*``, which name nobody), and the created/modified dates.
The package stays valid: every part removed loses its relationships and its content-type
override, and a part is only removed when nothing that stays still points at it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from urllib.parse import unquote

from lxml import etree

from desk_app.core.docx.media import strip_image_metadata
from desk_app.core.docx.ns import (
    CP_NS,
    CT_NS,
    CUSTOM_PROPS_NS,
    DC_NS,
    DCTERMS_NS,
    EP_NS,
    R_ID,
    REL,
    W_DEL,
    W_INS,
    W_MOVE_FROM,
    W_MOVE_TO,
    W_P,
    W_R,
    W_RPR,
    W_T,
    w,
)
from desk_app.core.docx.package import DocxPackage, rels_name, resolve_target
from desk_app.core.docx.text import REVISION_MARK_PARENTS, HiddenText, in_fallback

__all__ = ["scrub_package"]

_REL, _CT_NS, _R_ID, _CP, _DC, _DCTERMS, _EP, _CUSTOM_PROPS = (
    REL, CT_NS, R_ID, CP_NS, DC_NS, DCTERMS_NS, EP_NS, CUSTOM_PROPS_NS)

# Relationship types (last path segment) whose targets an anonymised copy must not carry.
_DROPPED_RELATIONSHIPS = frozenset({
    "comments", "commentsExtended", "commentsIds", "commentsExtensible", "people",
    "customXml", "glossaryDocument", "thumbnail", "custom-properties",
    "oleObject", "package", "control", "activeXControlBinary", "aFChunk",
})
# The same parts by their usual names, so one left in the zip without a relationship (which
# Word ignores but a reader of the zip does not) goes too.
_DROPPED_NAMES = ("word/comments", "word/people.xml", "customxml/", "word/glossary/", "docprops/thumbnail.",
                  "word/embeddings/", "word/activex/",
                  "docprops/custom.xml")

_PROPERTY_CHANGES = frozenset(w(t) for t in (
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange",
    "tblPrExChange", "numberingChange",
))
_REVISION_MARKERS = frozenset(w(t) for t in (
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
    "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
    "customXmlMoveToRangeEnd", "cellIns", "cellDel", "cellMerge",
))
# What may stay in a paragraph that is empty once its deleted text is gone.
_EMPTY_PARAGRAPH_CHILDREN = frozenset(w(t) for t in (
    "pPr", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd",
))
_FIELD_PARTS = frozenset(w(t) for t in ("fldChar", "instrText", "delInstrText"))

# docProps/core.xml: kept, emptied, and the names the report gives the rest.
_CORE_KEPT = frozenset({f"{{{_DCTERMS}}}created", f"{{{_DCTERMS}}}modified", f"{{{_CP}}}revision"})
_CORE_EMPTIED = f"{{{_DC}}}title"
_CORE_LABELS = {
    f"{{{_DC}}}creator": "author", f"{{{_CP}}}lastModifiedBy": "last modified by",
    f"{{{_CP}}}lastPrinted": "last printed", f"{{{_DC}}}title": "title", f"{{{_DC}}}subject": "subject",
    f"{{{_CP}}}keywords": "keywords", f"{{{_DC}}}description": "comments", f"{{{_CP}}}category": "category",
    f"{{{_CP}}}contentStatus": "status", f"{{{_DC}}}identifier": "identifier", f"{{{_DC}}}language": "language",
    f"{{{_CP}}}version": "version",
}
# docProps/app.xml: removed elements and their names in the report (TitlesOfParts holds the
# title; HeadingPairs only counts it; HLinks lists every hyperlink target).
_APP_REMOVED = {
    f"{{{_EP}}}Company": "company", f"{{{_EP}}}Manager": "manager", f"{{{_EP}}}Template": "template",
    f"{{{_EP}}}HyperlinkBase": "hyperlink base", f"{{{_EP}}}TitlesOfParts": "titles of parts",
    f"{{{_EP}}}HeadingPairs": "", f"{{{_EP}}}HLinks": "hyperlink list", f"{{{_EP}}}DigSig": "digital signature",
}


def scrub_package(pkg: DocxPackage) -> list[str]:
    """Remove revisions, comments, hidden text, personal properties and private parts.

    Tracked insertions are accepted (their runs kept as ordinary text) and deletions dropped,
    as Word's "Accept All Changes" would; comments go with their ranges, references, authors
    and replies; hidden runs go; document properties keep only their dates and revision
    count; the thumbnail, custom properties, custom XML (and content-control bindings to it),
    document variables, the attached template's path and building blocks go; so do embedded
    workbooks, packages, OLE and ActiveX objects, which cannot be anonymised (a chart keeps its
    cached, already swept values; an OLE object keeps its picture), and image metadata is
    cut out of PNG and JPEG files without re-encoding them. Returns what
    was removed, one line per kind, for the report; an empty list when there was nothing.
    """
    lines: list[str] = []
    kept_text_parts = [m for m, label in pkg.text_parts if label != "comment"]
    lines += _remove_comment_marks(pkg, kept_text_parts)
    lines += _accept_revisions(pkg, kept_text_parts)
    lines += _remove_data_bindings(pkg, kept_text_parts)
    lines += _clear_core_and_app_properties(pkg)
    lines += _clean_settings(pkg)
    lines += _unlink_embedded_objects(pkg)
    lines += _drop_private_parts(pkg)
    lines += _strip_media(pkg)
    pkg.text_parts = [(m, label) for m, label in pkg.text_parts if m not in pkg.removed]
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    """Replace ``el`` by its children, in place."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


# -- comments ------------------------------------------------------------------------------

def _remove_comment_marks(pkg: DocxPackage, members: Iterable[str]) -> list[str]:
    """Take comment anchors out of the text; the comment parts themselves go with the parts."""
    count = sum(1 for m, label in pkg.text_parts if label == "comment"
                for _ in pkg.xml(m).iterchildren(w("comment")))
    for member in members:
        root = pkg.xml(member)
        marks = list(root.iter(w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")))
        for el in marks:
            parent = el.getparent()
            if el.tag == w("commentReference") and parent is not None and parent.tag == W_R \
                    and all(c.tag in (W_RPR, el.tag) for c in parent):
                _remove(parent)
            else:
                _remove(el)
        if marks:
            pkg.modified.add(member)
    return [f"{_plural(count, 'comment')} removed"] if count else []


# -- tracked changes and hidden text ---------------------------------------------------------

class _Revisions:
    """Counts of what ``_accept_revisions`` did, across parts, for the report lines."""

    def __init__(self) -> None:
        self.insertions = self.deletions = self.formatting = self.hidden = 0
        self.marks_removed = self.marks_kept = self.rows = 0

    def lines(self) -> list[str]:
        out = []
        if self.insertions:
            out.append(f"tracked insertions accepted ({self.insertions})")
        if self.deletions:
            out.append(f"tracked deletions removed ({self.deletions})")
        if self.rows:
            out.append(f"deleted table rows removed ({self.rows})")
        if self.marks_removed or self.marks_kept:
            marks = self.marks_removed + self.marks_kept
            detail = []
            if self.marks_removed:
                detail.append(f"{_plural(self.marks_removed, 'empty paragraph')} removed")
            if self.marks_kept:
                detail.append(f"{_plural(self.marks_kept, 'paragraph')} kept apart rather than joined to the next")
            out.append(f"tracked paragraph-mark deletions accepted ({marks}): {'; '.join(detail)}")
        if self.formatting:
            out.append(f"tracked formatting changes accepted ({self.formatting})")
        if self.hidden:
            out.append(f"{_plural(self.hidden, 'hidden run')} removed")
        return out


def _accept_revisions(pkg: DocxPackage, members: Iterable[str]) -> list[str]:
    counts = _Revisions()
    hidden_text = HiddenText(pkg)
    for member in members:
        if _accept_in_part(pkg.xml(member), hidden_text, counts):
            pkg.modified.add(member)
    return counts.lines()


def _accept_in_part(root: etree._Element, hidden_text: HiddenText, counts: _Revisions) -> bool:
    """Accept every tracked change in one part and drop its hidden runs; True if it changed.

    Counts skip the VML fallback copy of a text box (the same text, already counted in the
    DrawingML copy), but both copies are cleaned.
    """
    changed = False
    deleted_marks: list[etree._Element] = []
    deleted_rows: list[etree._Element] = []
    for el in [e for e in root.iter(W_DEL, W_MOVE_FROM)
               if not any(a.tag in (W_DEL, W_MOVE_FROM) for a in e.iterancestors())]:
        parent = el.getparent()
        if parent is not None and parent.tag == W_RPR and parent.getparent() is not None \
                and parent.getparent().tag == w("pPr"):
            deleted_marks.append(parent.getparent().getparent())
        elif parent is not None and parent.tag == w("trPr"):
            deleted_rows.append(parent.getparent())
        elif parent is not None and parent.tag not in REVISION_MARK_PARENTS and not in_fallback(el):
            counts.deletions += 1
        _remove(el)
        changed = True
    for el in list(root.iter(W_INS, W_MOVE_TO)):
        parent = el.getparent()
        if parent is not None and parent.tag in REVISION_MARK_PARENTS:
            _remove(el)
        else:
            if not in_fallback(el):
                counts.insertions += 1
            _unwrap(el)
        changed = True
    for el in list(root.iter(*_PROPERTY_CHANGES, *_REVISION_MARKERS)):
        if el.tag in _PROPERTY_CHANGES and not in_fallback(el):
            counts.formatting += 1
        _remove(el)
        changed = True
    for r in [r for r in root.iter(W_R) if hidden_text.is_hidden(r)]:
        if r.getroottree().getroot() is not root:
            continue  # inside a hidden run (a text box in it) removed just before
        if _remove_hidden_run(r):
            counts.hidden += 0 if in_fallback(r) else 1
            changed = True
    for p in deleted_marks:
        if _remove_if_empty(p):
            counts.marks_removed += 1
        else:
            counts.marks_kept += 1
    for row in deleted_rows:
        _remove_row(row)
        counts.rows += 1
    return changed


def _remove_hidden_run(r: etree._Element) -> bool:
    """Remove a hidden run, or only its text when it also carries part of a field.

    A field's begin/separate/end characters and its code can sit in hidden runs (Word hides
    index entries that way); removing just some of them would break the field, so those runs
    stay and lose their visible text only.
    """
    if r.getparent() is None:
        return False
    if any(el.tag in _FIELD_PARTS for el in r.iter()):
        texts = list(r.iter(W_T))
        for t in texts:
            _remove(t)
        return bool(texts)
    _remove(r)
    return True


def _remove_if_empty(p: etree._Element) -> bool:
    """Accept a deleted paragraph mark: an emptied paragraph goes, its bookmarks moving on.

    Word would join the paragraph to the next one. When all its text was deleted too (a
    whole deleted paragraph, or the old place of a moved one) that means the paragraph
    disappears; otherwise it is kept as a paragraph of its own, which shows the same text.
    """
    following = p.getnext()
    p_pr = p.find(w("pPr"))
    if (following is None or following.tag != W_P or any(c.tag not in _EMPTY_PARAGRAPH_CHILDREN for c in p)
            or (p_pr is not None and p_pr.find(w("sectPr")) is not None)):
        return False
    anchors = [c for c in p if c.tag != w("pPr")]
    next_pr = following.find(w("pPr"))
    position = 1 if next_pr is not None else 0
    for offset, child in enumerate(anchors):
        following.insert(position + offset, child)
    _remove(p)
    return True


def _remove_row(row: etree._Element) -> None:
    """Accept a deleted table row; a table left with no rows goes, and a cell keeps a paragraph."""
    table = row.getparent()
    _remove(row)
    if table is None or table.find(w("tr")) is not None:
        return
    container = table.getparent()
    _remove(table)
    if container is not None and container.tag == w("tc") and container.find(W_P) is None:
        container.append(etree.Element(W_P))


def _remove_data_bindings(pkg: DocxPackage, members: Iterable[str]) -> list[str]:
    """Unbind content controls from custom XML, which is removed: they keep their (anonymised) text."""
    count = 0
    for member in members:
        bindings = [child for sdt_pr in pkg.xml(member).iter(w("sdtPr")) for child in sdt_pr
                    if isinstance(child.tag, str) and etree.QName(child).localname == "dataBinding"]
        for el in bindings:
            _remove(el)
        if bindings:
            count += len(bindings)
            pkg.modified.add(member)
    return [f"content-control data bindings removed ({count})"] if count else []


# -- document properties and settings -------------------------------------------------------

def _has_content(el: etree._Element) -> bool:
    return bool((el.text or "").strip()) or any(_has_content(c) for c in el if isinstance(c.tag, str))


def _clear_core_and_app_properties(pkg: DocxPackage) -> list[str]:
    """Keep only the dates and revision count of the core properties; drop app.xml's personal fields."""
    cleared: list[str] = []
    core = pkg.member("docProps/core.xml")
    if core is not None:
        root = pkg.xml(core)
        for el in list(root):
            if not isinstance(el.tag, str) or el.tag in _CORE_KEPT:
                continue
            if _has_content(el):
                cleared.append(_CORE_LABELS.get(el.tag, etree.QName(el).localname))
            if el.tag == _CORE_EMPTIED:
                if el.text or len(el):
                    for child in list(el):
                        el.remove(child)
                    el.text = None
                    pkg.modified.add(core)
            else:
                root.remove(el)
                pkg.modified.add(core)
    app = pkg.member("docProps/app.xml")
    if app is not None:
        root = pkg.xml(app)
        for el in list(root):
            if el.tag in _APP_REMOVED:
                if _has_content(el) and _APP_REMOVED[el.tag]:
                    cleared.append(_APP_REMOVED[el.tag])
                root.remove(el)
                pkg.modified.add(app)
    return [f"document properties cleared: {', '.join(dict.fromkeys(cleared))}"] if cleared else []


def _settings_member(pkg: DocxPackage) -> str | None:
    for rel in pkg.relationships(pkg.main):
        if rel.get("Type", "").endswith("/settings") and rel.get("TargetMode") != "External":
            return pkg.member(resolve_target(pkg.main, rel.get("Target", "")))
    return None


def _clean_settings(pkg: DocxPackage) -> list[str]:
    """Drop document variables, the attached template and mail-merge settings (paths on the
    author's machine, a query naming the data source)."""
    member = _settings_member(pkg)
    if member is None:
        return []
    root = pkg.xml(member)
    lines: list[str] = []
    variables = list(root.iterchildren(w("docVars")))
    if variables:
        count = sum(1 for v in variables for _ in v.iterchildren(w("docVar")))
        for el in variables:
            root.remove(el)
        pkg.modified.add(member)
        lines.append(f"document variables removed ({count})")
    for tag, line in (("attachedTemplate", "attached template path removed"),
                      ("mailMerge", "mail-merge settings (data source path and query) removed")):
        found = list(root.iterchildren(w(tag)))
        if not found:
            continue
        ids = {el.get(_R_ID) for f in found for el in f.iter() if el.get(_R_ID)}
        for el in found:
            root.remove(el)
        pkg.modified.add(member)
        rels = pkg.member(rels_name(member))
        if rels is not None:
            for rel in list(pkg.xml(rels).iter(_REL)):
                if rel.get("Id") in ids:
                    _remove(rel)
                    pkg.modified.add(rels)
        lines.append(line)
    return lines


# -- parts -------------------------------------------------------------------------------

def _source_of(rels_member: str) -> str | None:
    """The part a ``.rels`` member belongs to (``""`` for the package), None if not a rels file."""
    folder, name = posixpath.split(rels_member)
    if posixpath.basename(folder) != "_rels" or not name.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def _target_member(pkg: DocxPackage, source: str, rel: etree._Element) -> str | None:
    if rel.get("TargetMode") == "External":
        return None
    target = rel.get("Target", "").split("#", 1)[0]
    if not target:
        return None
    name = resolve_target(source, target)
    return pkg.member(name) or pkg.member(unquote(name))


def _kind(rel: etree._Element) -> str:
    return rel.get("Type", "").rsplit("/", 1)[-1]


def _live_rels(pkg: DocxPackage) -> Iterable[tuple[str, str]]:
    """(source part, rels member) for every relationships part whose source is still there."""
    for info, _ in pkg.entries:
        source = _source_of(info.filename)
        if source is None or info.filename in pkg.removed:
            continue
        if source and (pkg.member(source) is None or pkg.member(source) in pkg.removed):
            continue
        yield source, info.filename


def _reachable(pkg: DocxPackage, silent: set[str]) -> set[str]:
    """Every part reachable from the package root; relationships of ``silent`` parts do not count."""
    seen: set[str] = set()
    queue = [""]
    while queue:
        source = queue.pop()
        rels = pkg.member(rels_name(source))
        if source in silent or rels is None or rels in pkg.removed:
            continue
        for rel in pkg.xml(rels).iter(_REL):
            target = _target_member(pkg, source, rel)
            if target is not None and target not in seen and target not in pkg.removed:
                seen.add(target)
                queue.append(target)
    return seen


def _still_needed(pkg: DocxPackage, candidates: set[str]) -> set[str]:
    """The parts something that stays still reaches, not counting links out of the candidates.

    A candidate that turns out to be reached keeps its own links too, so this repeats until
    no more candidates are found to be needed.
    """
    silent = set(candidates)
    while True:
        reached = _reachable(pkg, silent)
        needed = silent & reached
        if not needed:
            return reached
        silent -= needed


def _describe_parts(pkg: DocxPackage, gone: set[str]) -> list[str]:
    lines: list[str] = []
    lower = {m.lower(): m for m in gone}
    if any(m.startswith("word/people") for m in lower):
        lines.append("list of people who commented or revised removed")
    if any(m.startswith("word/comments") for m in lower) and not any(
            label == "comment" for _, label in pkg.text_parts):
        lines.append("comments part removed")
    custom_xml = [m for m in lower if m.startswith("customxml/") and "/_rels/" not in m]
    if custom_xml:
        lines.append(f"custom XML removed ({_plural(len(custom_xml), 'part')})")
    custom = lower.get("docprops/custom.xml")
    if custom is not None:
        count = sum(1 for _ in pkg.xml(custom).iterchildren(f"{{{_CUSTOM_PROPS}}}property"))
        lines.append(f"custom document properties removed ({count})" if count else
                     "custom document properties part removed (it held none)")
    if any(m.startswith("docprops/thumbnail") for m in lower):
        lines.append("thumbnail (a picture of page one) removed")
    if any(m.startswith("word/glossary/") for m in lower):
        lines.append("building blocks (glossary document) removed")
    embedded = [m for m in lower if m.startswith(("word/embeddings/", "word/activex/")) and "/_rels/" not in m]
    if embedded:
        lines.append(f"embedded files removed ({_plural(len(embedded), 'workbook, package or object')}); "
                     "they cannot be anonymised")
    return lines


def _drop_private_parts(pkg: DocxPackage) -> list[str]:
    """Remove comments, people, custom XML, glossary, thumbnail and custom-properties parts.

    Their relationships go first; then a part is removed only if it was one of those targets
    (or a part only they point at) and nothing remaining reaches it, so a picture shared by
    the body and a comment stays. Content-type overrides for any part not in the package go.
    """
    candidates: set[str] = set()
    for source, rels in list(_live_rels(pkg)):
        for rel in list(pkg.xml(rels).iter(_REL)):
            if _kind(rel) in _DROPPED_RELATIONSHIPS:
                target = _target_member(pkg, source, rel)
                if target is not None:
                    candidates.add(target)
                _remove(rel)
                pkg.modified.add(rels)
    for info, _ in pkg.entries:
        name = info.filename.lower()
        if name.startswith(_DROPPED_NAMES) and _source_of(info.filename) is None:
            candidates.add(info.filename)
    # the closure: what the dropped parts point at (a comment's picture, a custom XML item's props)
    queue = list(candidates)
    while queue:
        source = queue.pop()
        rels = pkg.member(rels_name(source))
        if rels is None:
            continue
        for rel in pkg.xml(rels).iter(_REL):
            target = _target_member(pkg, source, rel)
            if target is not None and target not in candidates:
                candidates.add(target)
                queue.append(target)
    keep = _still_needed(pkg, candidates)
    gone = {m for m in candidates if m not in keep and m != pkg.main}
    lines = _describe_parts(pkg, gone)
    for member in gone:
        pkg.removed.add(member)
        rels = pkg.member(rels_name(member))
        if rels is not None:
            pkg.removed.add(rels)
    _prune_content_types(pkg)
    return lines


def _prune_content_types(pkg: DocxPackage) -> None:
    """An override for a part that is not in the package makes Word call the file corrupt."""
    types = pkg.member("[Content_Types].xml")
    if types is None:
        return
    root = pkg.xml(types)
    for override in list(root.iterchildren(f"{{{_CT_NS}}}Override")):
        name = str(override.get("PartName", "")).lstrip("/")
        member = pkg.member(name) or pkg.member(unquote(name))
        if member is None or member in pkg.removed:
            root.remove(override)
            pkg.modified.add(types)
    _complete_content_types(pkg, root, types)


# Content types by extension for parts a package may hold without declaring them.
_KNOWN_TYPES = {
    "png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
    "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf", "svg": "image/svg+xml",
    "xml": "application/xml", "rels": "application/vnd.openxmlformats-package.relationships+xml",
}


def _complete_content_types(pkg: DocxPackage, root: etree._Element, types: str) -> None:
    """Declare a content type for a kept picture that has none: Word tolerates the gap, but
    python-docx refuses the whole file, so the copy is repaired rather than refused."""
    declared = {str(el.get("Extension", "")).lower() for el in root.iterchildren(f"{{{_CT_NS}}}Default")}
    overridden = {str(el.get("PartName", "")).lstrip("/").lower() for el in root.iterchildren(f"{{{_CT_NS}}}Override")}
    for info, _ in pkg.entries:
        name = info.filename
        ext = posixpath.splitext(name)[1].lstrip(".").lower()
        if name in pkg.removed or name == types or name.endswith("/") or name.lower() in overridden \
                or ext in declared or ext not in _KNOWN_TYPES:
            continue
        root.insert(0, etree.Element(f"{{{_CT_NS}}}Default", Extension=ext, ContentType=_KNOWN_TYPES[ext]))
        declared.add(ext)
        pkg.modified.add(types)


# -- embedded objects and images ------------------------------------------------------------

_EMBEDDING_RELATIONSHIPS = frozenset({"oleObject", "package", "control", "activeXControlBinary"})
# Elements that only point at an embedded file: removing them leaves what is shown (the
# chart drawn from its cached values, the picture of an OLE object).
_EMBED_POINTERS = frozenset({"externalData", "OLEObject", "objectEmbed", "objectLink", "control"})


def _unlink_embedded_objects(pkg: DocxPackage) -> list[str]:
    """Remove the elements that point at embedded workbooks, packages, OLE and ActiveX objects.

    The relationships and parts themselves go with the other private parts; an element left
    pointing at a removed relationship would make Word call the copy corrupt.
    """
    count = 0
    for source, rels in list(_live_rels(pkg)):
        ids = {rel.get("Id") for rel in pkg.xml(rels).iter(_REL) if _kind(rel) in _EMBEDDING_RELATIONSHIPS}
        member = pkg.member(source) if source else None
        if not ids or member is None or not member.lower().endswith(".xml"):
            continue
        root = pkg.xml(member)
        for el in list(root.iter()):
            if not isinstance(el.tag, str) or el.get(_R_ID) not in ids:
                continue
            if etree.QName(el).localname in _EMBED_POINTERS:
                _remove(el)
            else:
                del el.attrib[_R_ID]
            count += 1
            pkg.modified.add(member)
    return [f"links to embedded files removed ({count}); charts keep their values and objects their picture"] \
        if count else []


def _strip_media(pkg: DocxPackage) -> list[str]:
    """Cut metadata (EXIF, XMP, comments, PNG text chunks) out of every PNG and JPEG kept."""
    stripped = 0
    for info, _ in pkg.entries:
        member = info.filename
        if member in pkg.removed or not member.lower().startswith("word/media/"):
            continue
        data = pkg.data(member)
        new = strip_image_metadata(data)
        if new is not None and new != data:
            pkg.replaced[member] = new
            stripped += 1
    return [f"image metadata removed ({_plural(stripped, 'picture')}; pixels unchanged)"] if stripped else []
