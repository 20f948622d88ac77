"""Word (.docx) case files: a ``SourceDocument`` built on the Word toolkit (``core/docx``).

The toolkit does the work (opening the package safely, turning imported content into
paragraphs, walking the XML); this module only turns its paragraphs into one text and
writes the notes a reviewer needs about what the source hides or what is not read.
Paragraph ``i`` here is paragraph ``i`` of ``docx.open_docx(path)`` in the writer, which is
what lets offsets found in the text be applied back to runs.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.docx import open_docx
from desk_app.core.docx.layout import Layout, paragraph_layouts
from desk_app.core.docx.ns import W_DEL, W_INS, W_MOVE_FROM, W_MOVE_TO, W_R, W_T, W_TXBX, w
from desk_app.core.docx.package import DAMAGED, DocxPackage
from desk_app.core.docx.text import (
    REVISION_MARK_PARENTS,
    HiddenText,
    deleted_text,
    in_deletion,
    in_fallback,
    run_has_text,
)
from desk_app.core.docx.text import paragraphs as docx_paragraphs
from desk_app.core.errors import InputError

__all__ = ["read_docx"]


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
    """Say what this reader does not see and what the copy does with it, so a human knows."""
    notes: list[str] = []
    names = [info.filename.lower() for info, _ in pkg.entries]
    if any(n.startswith("word/charts/") for n in names):
        notes.append("the document contains charts; their labels are anonymised where they repeat names found "
                     "in the text, and the workbooks holding their data are removed from the output")
    if any(n.startswith("word/embeddings/") for n in names):
        notes.append("the document contains embedded files (workbooks, packages or OLE objects); they cannot be "
                     "anonymised and are removed from the output (a picture of each stays)")
    if any(n.startswith("word/diagrams/") for n in names):
        notes.append("the document contains SmartArt diagrams; their text is not read, only swept for names "
                     "found in the text; check them by hand")
    if any(n.startswith("word/glossary/") for n in names):
        notes.append("the document contains building blocks (a glossary); they are not read, and are removed "
                     "from the output")
    if any(next(pkg.xml(m).iter(w("dataBinding")), None) is not None for m, _ in pkg.text_parts):
        notes.append("some content controls are bound to custom XML data; the bindings and the custom XML "
                     "are removed from the output, which keeps the anonymised text")
    return notes


def read_docx(path: Path) -> SourceDocument:
    """Read a .docx into one text (paragraphs joined by "\\n", empty ones kept).

    Empty paragraphs are kept so that paragraph indices match ``DocxPackage.paragraphs``
    one to one; the writer relies on that.
    """
    pkg = open_docx(path)
    try:
        paras = docx_paragraphs(pkg)
        try:   # display only (the reviewer sees tables, parts, list numbers): never a reason to refuse a file
            layouts = paragraph_layouts(pkg, paras)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError, etree.XMLSyntaxError):
            layouts = [Layout()] * len(paras)
        notes = pkg.notes + _deletion_notes(pkg) + _hidden_input_notes(pkg) + _unread_notes(pkg)
    except (KeyError, etree.XMLSyntaxError):
        raise InputError(DAMAGED, path) from None
    paragraphs: list[Paragraph] = []
    offset = 0
    for dp, lay in zip(paras, layouts, strict=True):
        paragraphs.append(Paragraph(dp.text, offset, dp.part, lay.place, lay.block, lay.cell, lay.number))
        offset += len(dp.text) + 1
    text = "\n".join(p.text for p in paragraphs)
    if not text.strip():
        raise InputError("the document contains no text", path)
    return SourceDocument(path=path, kind="docx", text=text, paragraphs=paragraphs, notes=notes)
