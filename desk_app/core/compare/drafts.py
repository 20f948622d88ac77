"""Read a draft (txt, md, docx, pdf or .decision.json) into the blocks a comparison works on.

Paragraph numbers are taken off the text into ``Block.label``, whether they are typed
("  12. ", "a) ", "• ") or come from Word's list engine (``w:numPr``), so a paragraph
inserted near the top does not make every later paragraph "changed". Blank paragraphs are
dropped: spacing between paragraphs is layout, not wording.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

from lxml import etree

from desk_app.core.compare.model import Block, Draft
from desk_app.core.errors import InputError

# A typed label at the start of a line: "12.", "12)", "3.1", "(a)", "a)", "(iv)", "iv)", or a bullet.
_LABEL = re.compile(r"^\s*(?:\d{1,4}(?:\.\d{1,3})*[.)]|\(?[a-z]{1,2}\)|\(?[ivxlc]{1,6}\)|\([A-Z]\)|[•·▪◦‣●○■□–*-])\s+")
_ITEM_LABEL = re.compile(r"^\s*(?:\(?[a-z]{1,2}\)|\(?[ivxlc]{1,6}\)|\([A-Z]\)|[•·▪◦‣●○■□–*-])")
_SENTENCE_END = re.compile(r"[.:;,!?)\]”\"]\s*$")


def _looks_like_heading(text: str) -> bool:
    """A short line with no closing punctuation that starts with a capital: "What I found"."""
    return len(text) <= 80 and text[:1].isupper() and not _SENTENCE_END.search(text) and " : " not in text


def block_from_line(line: str, part: str = "body", kind: str | None = None, label: str = "") -> Block | None:
    """One block from one line of text, its typed label split off; None for a blank line."""
    if not line.strip():
        return None
    m = _LABEL.match(line)
    if m and m.end() < len(line.rstrip()):
        typed = m.group(0).strip()
        text = line[m.end():].strip()
        if kind is None:
            kind = "item" if _ITEM_LABEL.match(line) or len(line) - len(line.lstrip()) >= 4 else "paragraph"
        label = f"{label} {typed}".strip() if label else typed
    else:
        text = line.strip()
        if kind is None:
            kind = "heading" if not label and _looks_like_heading(text) else "paragraph"
    return Block(text, label, kind, part)


def draft_from_text(text: str, name: str = "text", path: Path | None = None) -> Draft:
    """A draft from plain text: one block per non-blank line, as the text reader splits it."""
    blocks = [b for line in re.split(r"\r\n|\r|\n", text) if (b := block_from_line(line, "body")) is not None]
    return Draft(name, blocks, path)


def _stamp(draft: Draft, path: Path, data: bytes) -> Draft:
    draft.path = path
    draft.sha256 = hashlib.sha256(data).hexdigest()
    try:
        draft.modified = datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        draft.modified = None
    return draft


def load_draft(path: str | Path) -> Draft:
    """Read one draft, choosing the reader by suffix; every failure is one InputError line."""
    from desk_app.core.decision.model import DECISION_SUFFIX
    from desk_app.core.ingest import load_document

    path = Path(path)
    if path.name.lower().endswith(DECISION_SUFFIX):
        from desk_app.core.decision.model import load_decision

        draft = decision_draft(load_decision(path), path.name)
    else:
        doc = load_document(path)   # raises InputError for missing, unsupported or damaged files
        if doc.kind == "docx":
            draft = _docx_draft(path)
        else:
            blocks = [b for p in doc.paragraphs if (b := block_from_line(p.text, p.part)) is not None]
            draft = Draft(path.name, blocks, notes=list(doc.notes))
        draft.notes = list(doc.notes)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path) from None
    if not draft.blocks:
        raise InputError("the document contains no text", path)
    return _stamp(draft, path, data)


def decision_draft(decision, name: str) -> Draft:  # noqa: ANN001 - Decision, imported lazily
    """A ``.decision.json`` as blocks: the header lines, then every section with the numbers
    the exported document will print (taken off into labels)."""
    from desk_app.core.decision.model import Heading
    from desk_app.core.decision.numbering import item_label
    from desk_app.core.decision.text_export import render_text

    header_lines = render_text(decision).split("\n")
    head_end = next(i for i, line in enumerate(header_lines) if line.startswith("Summary:"))
    blocks = [Block(line, "", "header") for line in header_lines[:head_end] if line.strip()]
    blocks.append(Block(f"Summary: {decision.summary}".rstrip(), "", "paragraph"))
    number = 0
    for section in decision.sections:
        blocks.append(Block(section.heading, "", "heading"))
        for block in section.blocks:
            if isinstance(block, Heading):
                blocks.append(Block(block.text, "", "heading"))
                continue
            number += 1
            blocks.append(Block(block.full_text, f"{number}.", "paragraph"))
            for position, item in enumerate(block.item_texts(), start=1):
                blocks.append(Block(item, item_label(position, block.list_style), "item"))
    if decision.sign_off.strip():
        blocks.append(Block(decision.sign_off.strip(), "", "paragraph"))
    return Draft(name, [b for b in blocks if b.text.strip()])


# -- Word ----------------------------------------------------------------------------------

def _w(tag: str) -> str:
    from desk_app.core.docx.ns import W_NS

    return f"{{{W_NS}}}{tag}"


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


class _ListNumbers:
    """Word's list counters, enough to show "12." or "b)" beside a paragraph.

    Only the label shown in the view depends on this; the comparison never sees it. It
    follows numbering.xml's levels (format, text, start) and restarts deeper levels when a
    shallower one advances; style-linked numbering and overrides beyond ``startOverride``
    are not modelled.
    """

    def __init__(self, numbering: etree._Element | None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}   # numId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in numbering.iter(_w("abstractNum")):
            levels = {}
            for lvl in an.iter(_w("lvl")):
                levels[int(lvl.get(_w("ilvl"), "0"))] = self._level(lvl)
            abstract[an.get(_w("abstractNumId"), "")] = levels
        for num in numbering.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            levels = dict(abstract.get(ref.get(_w("val"), "") if ref is not None else "", {}))
            for override in num.iter(_w("lvlOverride")):
                ilvl = int(override.get(_w("ilvl"), "0"))
                start = override.find(_w("startOverride"))
                if ilvl in levels and start is not None:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(_w("val"), "1")))
            self.levels[num.get(_w("numId"), "")] = levels

    @staticmethod
    def _level(lvl: etree._Element) -> tuple[str, str, int]:
        def val(tag: str, default: str) -> str:
            el = lvl.find(_w(tag))
            return el.get(_w("val"), default) if el is not None else default

        return val("numFmt", "decimal"), val("lvlText", "%1."), int(val("start", "1") or 1)

    def label(self, p: etree._Element, style_numbering: dict[str, etree._Element]) -> str:
        num_pr = p.find(f"{_w('pPr')}/{_w('numPr')}")
        if num_pr is None:   # numbering can come from the paragraph's style ("List Number")
            style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
            num_pr = style_numbering.get(style.get(_w("val"), "")) if style is not None else None
        if num_pr is None:
            return ""
        num_el, lvl_el = num_pr.find(_w("numId")), num_pr.find(_w("ilvl"))
        num_id = num_el.get(_w("val"), "") if num_el is not None else ""
        ilvl = int(lvl_el.get(_w("val"), "0")) if lvl_el is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return text or "•"
        for level in range(ilvl + 1):
            if level in levels:
                n = counters.get(level, levels[level][2])
                text = text.replace(f"%{level + 1}", _format(n, levels[level][0]))
        return text


def _style_kind(p: etree._Element, heading_styles: set[str]) -> str | None:
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    if style is not None and style.get(_w("val"), "") in heading_styles:
        return "heading"
    if p.find(f"{_w('pPr')}/{_w('outlineLvl')}") is not None:
        return "heading"
    return None


def _styles(pkg) -> tuple[set[str], dict[str, etree._Element]]:  # noqa: ANN001 - DocxPackage
    """Style ids whose name says heading or title (ids are localised: "berschrift1"), and the
    list numbering each style carries."""
    ids = {"Title", "Subtitle"} | {f"Heading{i}" for i in range(1, 10)}
    numbered: dict[str, etree._Element] = {}
    member = pkg.member("word/styles.xml")
    if member is None:
        return ids, numbered
    for style in pkg.xml(member).iter(_w("style")):
        num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
        if num_pr is not None:
            numbered[style.get(_w("styleId"), "")] = num_pr
        name = style.find(_w("name"))
        value = (name.get(_w("val"), "") if name is not None else "").lower()
        outline = style.find(f"{_w('pPr')}/{_w('outlineLvl')}") is not None
        if outline or value.startswith(("heading", "title", "subtitle")):
            ids.add(style.get(_w("styleId"), ""))
    return ids, numbered


def _docx_draft(path: Path) -> Draft:
    """Blocks from every readable part of a .docx (body first, then headers, footers, notes),
    with Word's own list labels and heading styles."""
    from desk_app.core.docx.package import DocxPackage
    from desk_app.core.docx.text import paragraphs as docx_paragraphs

    pkg = DocxPackage.open(path)
    try:
        numbering = pkg.member("word/numbering.xml")
        numbers = _ListNumbers(pkg.xml(numbering) if numbering else None)
        headings, style_numbering = _styles(pkg)
        blocks = []
        for dp in docx_paragraphs(pkg):
            auto = numbers.label(dp.element, style_numbering)
            kind = _style_kind(dp.element, headings) or ("item" if auto and not auto[:1].isdigit() else None)
            block = block_from_line(dp.text.replace("\v", " "), dp.part, kind, auto)   # (a line break)
            if block is not None:
                blocks.append(block)
    except (KeyError, ValueError, etree.XMLSyntaxError):
        raise InputError("not a valid .docx file (damaged or not a Word document)", path) from None
    return Draft(path.name, blocks)
