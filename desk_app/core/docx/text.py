"""Reading WordprocessingML as text: which nodes make a paragraph's characters, in order.

python-docx's ``Paragraph.text`` silently skips runs inside tracked insertions (``w:ins``),
content controls (``w:sdt``), smart tags and custom XML wrappers, and cannot reach text
boxes at all; every one of those is a place a name survives "anonymisation". So the
traversal walks the XML itself, and it is shared: paragraph ``i`` of the reader's
``SourceDocument`` is the same ``w:p`` element the writer edits, which is what lets offsets
found in ``SourceDocument.text`` be applied back to runs.

Characters Word shows that are not in a ``w:t`` count too: a symbol typed as ``w:sym`` is
its character, and ruby text (``w:rt``, the small annotation LibreOffice and Word draw over
the base text) is read as words of its own, set apart by spaces, so a name in it is seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from desk_app.core.docx.ns import (
    M_T,
    MC_CHOICE,
    MC_FALLBACK,
    W_DEL,
    W_DEL_INSTR_TEXT,
    W_DEL_TEXT,
    W_INSTR_TEXT,
    W_MOVE_FROM,
    W_P,
    W_RPR,
    W_RT,
    W_SYM,
    W_T,
    W_TBL,
    W_TXBX,
    w,
)
from desk_app.core.docx.package import DocxPackage, resolve_target

__all__ = [
    "REVISION_MARK_PARENTS", "DocxParagraph", "HiddenText", "Segment", "deleted_text", "in_deletion", "in_fallback",
    "is_on", "iter_part_paragraphs", "paragraph_segments", "paragraph_text", "paragraphs", "run_has_text",
    "sym_char",
]

# Single characters some run children stand for. A line break becomes "\v" (as in Word's own
# object model), not "\n", so one w:p is always one line of SourceDocument.text, yet the
# lines of a form or a letterhead typed with Shift+Enter stay apart for detection.
_SPECIAL_CHARS = {
    w("tab"): "\t",
    w("ptab"): "\t",
    w("br"): "\v",
    w("cr"): "\v",
    w("noBreakHyphen"): "-",
}
# Subtrees that contribute no paragraph text: nested paragraphs (text boxes) are paragraphs
# of their own; deletions and field codes are not visible text; properties hold no text.
_NO_TEXT = frozenset({
    W_P, W_TXBX, W_DEL, W_MOVE_FROM, W_DEL_TEXT, W_INSTR_TEXT, W_DEL_INSTR_TEXT, MC_FALLBACK,
    w("pPr"), w("rPr"), w("sdtPr"), w("sdtEndPr"), w("tblPr"), w("trPr"), w("tcPr"),
})


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
    separator: bool = False   # a space set around ruby text: not in the file, never removed

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
            elif tag == W_SYM:
                char = sym_char(child)
                if char:
                    segments.append(Segment(child, pos, char, False))
                    pos += 1
            elif tag == W_RT:
                segments.append(Segment(child, pos, " ", False, separator=True))
                pos += 1
                walk(child)
                segments.append(Segment(child, pos, " ", False, separator=True))
                pos += 1
            else:
                walk(child)

    walk(p)
    return segments


def sym_char(el: etree._Element) -> str:
    """The character a ``w:sym`` shows: its ``w:char`` code, symbol-font codes (F0xx) as xx.

    Symbol fonts put their glyphs at U+F020-U+F0FF; the same code minus F000 is the ASCII
    character typed, which is what a person reading the page recognises as a letter.
    """
    try:
        code = int(el.get(w("char"), ""), 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    if code < 0x20 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return ""
    return chr(code)


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


def paragraphs(pkg: DocxPackage) -> list[DocxParagraph]:
    """Every readable paragraph, in the one order both the reader and writer use."""
    result: list[DocxParagraph] = []
    for member, label in pkg.text_parts:
        for p, part in iter_part_paragraphs(pkg.xml(member), label):
            result.append(DocxParagraph(p, member, part, paragraph_text(p)))
    return result
