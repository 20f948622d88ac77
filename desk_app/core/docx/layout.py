"""How a Word paragraph is laid out on the page: the part it is in, its table cell, its list number.

Detection only needs the text; the reviewer needs to see the document as Word shows it:
a table as a table, "Header" over the header's lines, "Footnote 2" over a footnote, and
"3." or "(b)" before a numbered paragraph. None of this is in ``SourceDocument.text``
(a list number is not a character of the file, so a name can never hide in it, and adding
it would shift every offset): it is display metadata on each ``Paragraph``, read here from
the same ``w:p`` elements the reader takes the text from.

List numbers are computed the way Word counts them, simplified: one counter per list
definition (``w:abstractNum``) and level, deeper levels restarting when a shallower one
moves on, the level's start value, its number format and its ``w:lvlText`` pattern
("%1.%2."). Numbering given through a paragraph style (python-docx's "List Number") counts
as well as numbering set on the paragraph itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from desk_app.core.docx.ns import W_TBL, W_TXBX, w
from desk_app.core.docx.package import DocxPackage, resolve_target
from desk_app.core.docx.text import DocxParagraph

__all__ = ["Layout", "Numbering", "paragraph_layouts"]

W_TR, W_TC = w("tr"), w("tc")
_NOTE = {"footnote": (w("footnote"), "Footnote"), "endnote": (w("endnote"), "Endnote"),
         "comment": (w("comment"), "Comment")}
_PLACE = {"header": "Header", "footer": "Footer", "textbox": "Text box"}
_BULLET = "•"


@dataclass(frozen=True)
class Layout:
    """Display metadata for one paragraph (see ``Paragraph``'s fields of the same names)."""

    place: str = ""
    block: int = 0
    cell: tuple[int, int, int] | None = None
    number: str = ""


def _roman(n: int) -> str:
    out = []
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Word's letters: a..z, then aa..zz, then aaa.. (repeated, not base 26)."""
    if n < 1:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One level's counter in its ``w:numFmt``; unknown formats print as decimals."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n) if n > 0 else str(n)
    if fmt == "upperRoman":
        return _roman(n).upper() if n > 0 else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


def _val(el: etree._Element | None, default: str = "") -> str:
    return el.get(w("val"), default) if el is not None else default


class Numbering:
    """The document's list definitions, and the running counters that number its paragraphs."""

    def __init__(self, pkg: DocxPackage) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}   # numId -> (abstractNumId, start overrides)
        self._styles: dict[str, tuple[str | None, str | None, str]] = {}   # style -> (numId, ilvl, basedOn)
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        for rel in pkg.relationships(pkg.main):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind not in ("numbering", "styles") or rel.get("TargetMode") == "External":
                continue
            member = pkg.member(resolve_target(pkg.main, rel.get("Target", "")))
            if member is None:
                continue
            if kind == "numbering":
                self._read_numbering(pkg.xml(member))
            else:
                self._read_styles(pkg.xml(member))

    def _read_numbering(self, root: etree._Element) -> None:
        for a in root.iterchildren(w("abstractNum")):
            levels = {}
            for lvl in a.iterchildren(w("lvl")):
                try:
                    ilvl = int(lvl.get(w("ilvl"), "0"))
                    start = int(_val(lvl.find(w("start")), "1"))
                except ValueError:
                    continue
                levels[ilvl] = _Level(_val(lvl.find(w("numFmt")), "decimal"), _val(lvl.find(w("lvlText"))), start)
            self._abstract[a.get(w("abstractNumId"), "")] = levels
        for num in root.iterchildren(w("num")):
            overrides = {}
            for o in num.iterchildren(w("lvlOverride")):
                start = o.find(w("startOverride"))
                if start is not None:
                    try:
                        overrides[int(o.get(w("ilvl"), "0"))] = int(_val(start, "1"))
                    except ValueError:
                        pass
            self._nums[num.get(w("numId"), "")] = (_val(num.find(w("abstractNumId"))), overrides)

    def _read_styles(self, root: etree._Element) -> None:
        for style in root.iterchildren(w("style")):
            num_pr = style.find(f"{w('pPr')}/{w('numPr')}")
            num_id = _val(num_pr.find(w("numId"))) if num_pr is not None and num_pr.find(w("numId")) is not None \
                else None
            ilvl = _val(num_pr.find(w("ilvl"))) if num_pr is not None and num_pr.find(w("ilvl")) is not None \
                else None
            self._styles[style.get(w("styleId"), "")] = (num_id, ilvl, _val(style.find(w("basedOn"))))

    def _style_numbering(self, style: str) -> tuple[str | None, str | None]:
        num_id = ilvl = None
        seen: set[str] = set()
        while style in self._styles and style not in seen:
            seen.add(style)
            s_num, s_lvl, based = self._styles[style]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
            style = based
        return num_id, ilvl

    def label(self, p: etree._Element) -> str:
        """The number Word prints before ``p`` ("3.", "(b)", "•"), counting it; "" if none."""
        ppr = p.find(w("pPr"))
        num_pr = ppr.find(w("numPr")) if ppr is not None else None
        num_id = _val(num_pr.find(w("numId"))) if num_pr is not None and num_pr.find(w("numId")) is not None \
            else None
        ilvl = _val(num_pr.find(w("ilvl"))) if num_pr is not None and num_pr.find(w("ilvl")) is not None else None
        if num_id is None or ilvl is None:
            style = _val(ppr.find(w("pStyle"))) if ppr is not None else ""
            s_num, s_lvl = self._style_numbering(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        try:
            level = int(ilvl or 0)
        except ValueError:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id, {})
        if level not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:   # a list restarted by an override starts again
            self._started.add(num_id)
            for lv, start in overrides.items():
                counters[lv] = start - 1
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        spec = levels[level]
        if spec.fmt == "bullet":
            return spec.text if spec.text and spec.text.isprintable() and ord(spec.text[0]) < 0xE000 else _BULLET
        text = spec.text
        for k in range(9, -1, -1):   # %10 never exists; high first so %1 does not eat %1x
            if f"%{k + 1}" in text:
                lv = levels.get(k)
                value = counters.get(k, lv.start if lv else 1)
                text = text.replace(f"%{k + 1}", format_number(value, lv.fmt if lv else "decimal"))
        return text


def _cell(p: etree._Element, rows: dict[etree._Element, int], tables: dict[etree._Element, int]
          ) -> tuple[int, int, int] | None:
    """(table, row, column) of the outermost table cell holding ``p``: a nested table is
    shown inside its outer cell, so the outer table is never broken in two."""
    chain = list(p.iterancestors())
    outer = next((a for a in reversed(chain) if a.tag == W_TBL), None)
    if outer is None:
        return None
    if outer not in tables:
        tables[outer] = len(tables)
        for n, tr in enumerate(tr for tr in outer.iter(W_TR) if next(tr.iterancestors(W_TBL), None) is outer):
            rows[tr] = n
    tr = next((a for a in reversed(chain) if a.tag == W_TR and a in rows), None)
    tc = next((a for a in reversed(chain) if a.tag == W_TC), None)
    if tr is None or tc is None:
        return None
    col = 0
    for other in tr.iter(W_TC):
        if other is tc:
            break
        if next(other.iterancestors(W_TR), None) is tr:
            try:
                col += int(_val(other.find(f"{w('tcPr')}/{w('gridSpan')}"), "1"))
            except ValueError:
                col += 1
    return tables[outer], rows[tr], col


def _note_numbers(pkg: DocxPackage, member: str, label: str) -> dict[etree._Element, int]:
    """Footnotes, endnotes and comments numbered as Word shows them (separators skipped)."""
    tag = _NOTE[label][0]
    notes = [n for n in pkg.xml(member).iterchildren(tag) if n.get(w("type")) in (None, "normal")]
    return {n: i for i, n in enumerate(notes, 1)}


def paragraph_layouts(pkg: DocxPackage, paras: Sequence[DocxParagraph]) -> list[Layout]:
    """The layout of each paragraph ``paragraphs(pkg)`` returned, in the same order."""
    numbering = Numbering(pkg)
    rows: dict[etree._Element, int] = {}
    tables: dict[etree._Element, int] = {}
    notes: dict[str, dict[etree._Element, int]] = {}
    out: list[Layout] = []
    block, last_key = 0, None
    for dp in paras:
        place, key = "", (dp.member, None)
        if dp.part == "textbox":
            box = next(dp.element.iterancestors(W_TXBX), None)
            place, key = "Text box", (dp.member, box)
        elif dp.part in _NOTE:
            numbers = notes.setdefault(dp.member, _note_numbers(pkg, dp.member, dp.part))
            note = next(dp.element.iterancestors(_NOTE[dp.part][0]), None)
            n = numbers.get(note) if note is not None else None
            place = f"{_NOTE[dp.part][1]} {n}" if n else _NOTE[dp.part][1]
            key = (dp.member, note)
        elif dp.part in _PLACE:
            place = _PLACE[dp.part]
        if key != last_key:
            block += 1
            last_key = key
        out.append(Layout(place, block, _cell(dp.element, rows, tables), numbering.label(dp.element)))
    return out
