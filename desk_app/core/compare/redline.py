"""The comparison as a Word document with real tracked changes.

Investigators send a revised draft back to a council or complainant and are asked "what
changed since the version we saw?". A redline they can open in Word, step through with
Next Change and accept or reject, answers that better than any picture of the diff. So
this writes the RIGHT document with ECMA-376 revision marks (17.13.5) against the LEFT:
``w:ins`` around inserted runs, ``w:del`` with ``w:delText`` around deleted ones, and the
paragraph mark itself marked for wholly inserted or deleted paragraphs, so that "Accept
all" gives exactly the right draft and "Reject all" exactly the left one.

Moves are written the way Word's compare writes them with "simplify move markup": deleted
where the paragraph was and inserted where it went (no ``w:moveFrom``/``w:moveTo``, which
LibreOffice and older Word handle poorly). The moved-to paragraph is inserted whole, edits
included: marking only its edited words would leave its other words in place on "Reject
all", where the left draft has no such paragraph.

Labels ("12.", "a)", "•") are typed text in these drafts, so they are written as text
before the paragraph: unchanged in paragraphs that stay, and inside the revision for a
paragraph inserted or deleted whole, so accepting or rejecting never leaves a stray number.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from desk_app.core.atomic import write_file
from desk_app.core.compare.model import Block, Comparison, Op, Row, RowKind
from desk_app.core.decision.docx_export import set_core_properties

HEADING_STYLE = "Heading 2"
# Characters XML 1.0 cannot hold (from damaged sources); dropped rather than failing the export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile(r"(\t|\r\n|\r|\n)")


class _Revisions:
    """Makes ``w:ins``/``w:del`` elements with unique ids and one author and date."""

    def __init__(self, author: str, when: dt.datetime) -> None:
        self.author = author
        self.date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        self._next_id = 0

    def mark(self, tag: str) -> etree._Element:
        element = OxmlElement(tag)
        self._next_id += 1
        element.set(qn("w:id"), str(self._next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        return element


def _run(text: str, deleted: bool = False) -> etree._Element:
    """One ``w:r``; tabs and line breaks become Word's own elements, not characters in ``w:t``."""
    run = OxmlElement("w:r")
    text_tag = "w:delText" if deleted else "w:t"
    for piece in _BREAKS.split(_NOT_XML.sub("", text)):
        if not piece:
            continue
        if piece == "\t":
            run.append(OxmlElement("w:tab"))
        elif piece in ("\r\n", "\r", "\n"):
            run.append(OxmlElement("w:br"))
        else:
            t = OxmlElement(text_tag)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = piece
            run.append(t)
    return run


class _Writer:
    def __init__(self, document: DocxDocument, revisions: _Revisions) -> None:
        self.document = document
        self.revisions = revisions

    def paragraph(self, block: Block) -> DocxParagraph:
        style = HEADING_STYLE if block.kind == "heading" else None
        return self.document.add_paragraph(style=style)

    def plain(self, p: DocxParagraph, text: str) -> None:
        if text:
            p._p.append(_run(text))

    def inserted(self, p: DocxParagraph, text: str) -> None:
        if text:
            ins = self.revisions.mark("w:ins")
            ins.append(_run(text))
            p._p.append(ins)

    def deleted(self, p: DocxParagraph, text: str) -> None:
        if text:
            dele = self.revisions.mark("w:del")
            dele.append(_run(text, deleted=True))
            p._p.append(dele)

    def mark_paragraph(self, p: DocxParagraph, tag: str) -> None:
        """Mark the paragraph mark itself inserted or deleted (``w:pPr/w:rPr/w:ins|w:del``).

        Without this, rejecting an inserted paragraph (or accepting a deleted one) would
        leave an empty paragraph behind.
        """
        p_pr = p._p.get_or_add_pPr()
        r_pr = p_pr.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = OxmlElement("w:rPr")
            # rPr comes after everything but sectPr and pPrChange, which these paragraphs never have
            p_pr.append(r_pr)
        r_pr.append(self.revisions.mark(tag))

    @staticmethod
    def _label(block: Block) -> str:
        return f"{block.label} " if block.label else ""

    def whole(self, block: Block, tag: str) -> None:
        """A paragraph inserted (``w:ins``) or deleted (``w:del``) whole, label and mark included."""
        p = self.paragraph(block)
        text = self._label(block) + block.text
        if tag == "w:ins":
            self.inserted(p, text)
        else:
            self.deleted(p, text)
        self.mark_paragraph(p, tag)

    def equal(self, block: Block) -> None:
        p = self.paragraph(block)
        self.plain(p, self._label(block) + block.text)

    def changed(self, block: Block, left: str, right: str, ops: tuple[Op, ...]) -> None:
        """Equal words as plain runs, then each op: the deleted left words, then the inserted right words."""
        p = self.paragraph(block)
        self.plain(p, self._label(block))
        pos = 0
        for op in sorted(ops, key=lambda o: (o.b0, o.a0)):
            self.plain(p, right[pos:op.b0])
            self.deleted(p, left[op.a0:op.a1])
            self.inserted(p, right[op.b0:op.b1])
            pos = max(pos, op.b1)
        self.plain(p, right[pos:])


def _utc(when: dt.datetime | None) -> dt.datetime:
    """The revision and property time in UTC, to the second; a naive time is taken as UTC."""
    if when is None:
        when = dt.datetime.now(dt.UTC)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0)


def _row_ops(comparison: Comparison, row: Row) -> tuple[Op, ...]:
    """The ops to write for a changed row; a coarse row without ops is one replacement of the whole paragraph."""
    if row.coarse and not row.ops:
        return (Op("replace", 0, len(comparison.left_text(row)), 0, len(comparison.right_text(row))),)
    return row.ops


# What CT_Settings (ECMA-376 17.15.1.78) puts before w:trackRevisions; everything else comes after it.
_BEFORE_TRACK_REVISIONS = frozenset(qn(f"w:{tag}") for tag in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
    "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView"))


def _track_revisions(document: DocxDocument) -> None:
    """``w:trackRevisions`` in settings.xml, in schema order: edits made in Word stay tracked."""
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    position = 0
    for index, child in enumerate(settings):
        if child.tag in _BEFORE_TRACK_REVISIONS:
            position = index + 1
    settings.insert(position, OxmlElement("w:trackRevisions"))


def _intro(document: DocxDocument, comparison: Comparison) -> None:
    """The one untracked paragraph: which file is which, and what was found."""
    text = (f"Original: {comparison.left.name}. Revised: {comparison.right.name}. The tracked changes below turn "
            f"the original into the revised version (compared {comparison.options.describe()}): "
            f"{comparison.summary()}.")
    run = document.add_paragraph().add_run(_NOT_XML.sub("", text))
    run.italic = True


def build_document(comparison: Comparison, author: str = "Decision Desk",
                   when: dt.datetime | None = None) -> DocxDocument:
    """The redline as a python-docx Document (A4, default styles)."""
    stamp = _utc(when)
    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    writer = _Writer(document, _Revisions(author, stamp))
    _intro(document, comparison)
    left_blocks, right_blocks = comparison.left.blocks, comparison.right.blocks
    for row in comparison.rows:
        if row.kind is RowKind.EQUAL and row.right is not None:
            writer.equal(right_blocks[row.right])
        elif row.kind is RowKind.CHANGED and row.right is not None:
            writer.changed(right_blocks[row.right], comparison.left_text(row), comparison.right_text(row),
                           _row_ops(comparison, row))
        elif row.kind in (RowKind.INSERTED, RowKind.MOVED_TO) and row.right is not None:
            writer.whole(right_blocks[row.right], "w:ins")
        elif row.kind in (RowKind.DELETED, RowKind.MOVED_FROM) and row.left is not None:
            writer.whole(left_blocks[row.left], "w:del")
    set_core_properties(document, stamp, title=f"Comparison of {comparison.left.name} and "
                        f"{comparison.right.name}", author=author)
    _track_revisions(document)
    return document


def build_redline(comparison: Comparison, author: str = "Decision Desk", when: dt.datetime | None = None) -> bytes:
    """The .docx file's bytes; ``when`` pins the revision and property dates (tests), default now."""
    out = io.BytesIO()
    build_document(comparison, author, when).save(out)
    return out.getvalue()


def export_redline(comparison: Comparison, path: Path | str, author: str = "Decision Desk",
                   when: dt.datetime | None = None) -> None:
    """Write the redline atomically, so a failed export never leaves half a document behind."""
    write_file(path, build_redline(comparison, author, when))
