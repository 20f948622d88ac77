"""A case document with every detection marked, or its anonymised preview.

People are marked by a background colour of their own (the same colour as their row in
the people table) and, because colour alone is not enough, by a tooltip naming the
person, the pseudonym and the review decision. Other personal data is grey. Unreviewed
detections are underlined; rejected ones are struck through. A Word file is shown laid
out (tables, list numbers, labelled headers, footers, notes and comments), with every
highlight mapped onto exactly the characters detection found.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
    QTextTableFormat,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from desk_app.core.anonymise.review import REJECTED, CaseReview, Occurrence
from desk_app.core.document import Paragraph
from desk_app.gui.theme import colour_slots, highlight_text_colour, identifier_colour, is_dark, person_colour


class DocumentView(QTextEdit):
    """Read-only text; selecting words lets the reviewer add a missed name."""

    occurrence_clicked = Signal(object)   # Occurrence

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAccessibleName("Document text")
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self.review: CaseReview | None = None
        self.doc_index = -1
        self.preview = False
        self._spans: list[tuple[int, int, Occurrence]] = []   # view positions -> occurrence
        self._place: tuple[Callable[[int], int], Callable[[int], int]] = (int, int)   # see view_position
        self.marks: list[tuple[int, int, str]] = []   # view start, end, tooltip: notes added by the panel

    def show_document(self, review: CaseReview | None, index: int, preview: bool) -> None:
        keep = self.verticalScrollBar().value() if (review is self.review and index == self.doc_index) else 0
        self.review, self.doc_index, self.preview = review, index, preview
        self._spans, self.marks = [], []
        if review is None or not 0 <= index < len(review.documents):
            self.setCurrentCharFormat(QTextCharFormat())
            self.setPlainText("")
            return
        dark = is_dark()   # the application's palette: a theme switch may not have reached this widget yet
        doc = review.documents[index]
        occurrences = review.occurrences_in(index)
        self.setCurrentCharFormat(QTextCharFormat())   # else new text inherits the last highlight
        if not preview:
            text, spans = doc.text, [(o.start, o.end, o) for o in occurrences]
            to_text: Callable[[int], int] = int
        else:
            text, spans, to_text = self._preview_text(review, index, occurrences)
        if doc.kind == "docx" and doc.paragraphs:
            to_view = self._show_laid_out(doc.paragraphs, text, to_text)
            self._spans = [(to_view(s), to_view(e), o) for s, e, o in spans]
            self._place = (to_text, to_view)
        else:
            self.setPlainText(text.replace("\v", "\u2028"))   # a Word line break, shown as one
            self._spans = spans
            self._place = (to_text, int)
        slots = colour_slots([p.display for p in review.people])
        cursor = QTextCursor(self.document())
        for start, end, o in self._spans:
            fmt = QTextCharFormat()
            has_person = o.person is not None and o.person < len(slots)
            fmt.setBackground(person_colour(slots[o.person], dark) if has_person else identifier_colour(dark))
            fmt.setForeground(highlight_text_colour(dark))
            decision = review.decision(o)
            if decision is None and not preview:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(self.palette().color(self.foregroundRole()))
            elif decision == REJECTED:
                fmt.setFontStrikeOut(not preview)
                fmt.clearBackground()
                fmt.clearForeground()
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        self.setTextCursor(QTextCursor(self.document()))   # no selection left over from the last text
        self.verticalScrollBar().setValue(keep)

    def _show_laid_out(self, paragraphs: Sequence[Paragraph], text: str, to_text: Callable[[int], int]
                       ) -> Callable[[int], int]:
        """Show a Word file as Word lays it out: tables as tables, list numbers as printed,
        and a label over each header, footer, footnote, comment and text box.

        Labels and numbers are display only: every paragraph's text goes in exactly as it is
        in ``text``, and the function returned maps a position in ``text`` to its place in
        the view, so highlights and clicks land on exactly the words detection found.
        """
        self.clear()
        document = self.document()
        cursor = QTextCursor(document)
        plain, label = QTextCharFormat(), QTextCharFormat()
        label.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        label.setFontItalic(True)
        number = QTextCharFormat(label)
        number.setFontItalic(False)
        starts = [to_text(p.start) for p in paragraphs]
        ends = [to_text(p.end) for p in paragraphs]
        shown = [0] * len(paragraphs)   # where each paragraph's text begins in the view
        first, block, place = True, None, ""

        def new_line() -> None:
            nonlocal first
            if not first:
                cursor.insertBlock(QTextBlockFormat(), plain)
            first = False

        def put(c: QTextCursor, k: int) -> None:
            if paragraphs[k].number:
                c.insertText(paragraphs[k].number + " ", number)
            shown[k] = c.position()
            c.insertText(text[starts[k]:ends[k]].replace("\v", "\u2028"), plain)

        k = 0
        while k < len(paragraphs):
            p = paragraphs[k]
            if p.block != block:
                block = p.block
                if p.place or place:
                    new_line()
                    cursor.insertText(f"— {p.place or 'Main text'} —", label)
                place = p.place
            if p.cell is None:
                new_line()
                put(cursor, k)
                k += 1
                continue
            j = k
            while j < len(paragraphs) and paragraphs[j].cell is not None and paragraphs[j].block == block \
                    and paragraphs[j].cell[0] == p.cell[0]:   # type: ignore[index]
                j += 1
            cells = [paragraphs[m].cell for m in range(k, j)]
            first = False   # (a table starts a line of its own)
            table_format = QTextTableFormat()
            table_format.setBorder(1)
            table_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
            table_format.setCellPadding(3)
            table_format.setCellSpacing(0)
            table = cursor.insertTable(max(c[1] for c in cells) + 1, max(c[2] for c in cells) + 1,  # type: ignore[index]
                                       table_format)
            filled: set[tuple[int, int]] = set()
            for m in range(k, j):
                _, row, col = paragraphs[m].cell   # type: ignore[misc]
                c = table.cellAt(row, col).lastCursorPosition()
                if (row, col) in filled:
                    c.insertBlock(QTextBlockFormat(), plain)
                filled.add((row, col))
                put(c, m)
            cursor.setPosition(table.lastPosition() + 1)   # the block Qt keeps after every table
            first = True   # that block is the next line already
            k = j

        def to_view(pos: int) -> int:
            k = max(bisect_right(starts, pos) - 1, 0)
            return shown[k] + min(max(pos - starts[k], 0), ends[k] - starts[k])

        return to_view

    @staticmethod
    def _preview_text(review: CaseReview, index: int, occurrences: list[Occurrence]
                      ) -> tuple[str, list[tuple[int, int, Occurrence]], Callable[[int], int]]:
        """The anonymised text, where each replacement landed in it, and where any position
        of the original text lands (for the paragraphs of a laid-out Word file)."""
        text = review.documents[index].text
        out, spans, pos, length = [], [], 0, 0
        moves: list[tuple[int, int, int, int]] = []   # original start, end -> anonymised start, length
        for r in review.replacements(index):
            out.append(text[pos:r.start])
            length += r.start - pos
            owner = next((o for o in occurrences if r.start <= o.start < r.end or o.start <= r.start < o.end), None)
            if owner is not None and r.text:
                spans.append((length, length + len(r.text), owner))
            moves.append((r.start, r.end, length, len(r.text)))
            out.append(r.text)
            length += len(r.text)
            pos = r.end
        out.append(text[pos:])
        starts = [m[0] for m in moves]

        def to_text(p: int) -> int:
            k = bisect_right(starts, p) - 1
            if k < 0:
                return p
            start, end, at, size = moves[k]
            if p < end:
                return at + min(p - start, size)
            return at + size + (p - end)

        return "".join(out), spans, to_text

    def view_position(self, pos: int) -> int:
        """Where position ``pos`` of the document's original text is shown now (preview or
        not, laid out or not): for marks the review panel adds (values kept here but
        replaced in another file)."""
        to_text, to_view = self._place
        return to_view(to_text(pos))

    def occurrence_at(self, position: int) -> Occurrence | None:
        for start, end, o in self._spans:
            if start <= position < end:
                return o
        return None

    def select_occurrence(self, o: Occurrence) -> None:
        for start, end, occ in self._spans:
            if occ.key == o.key:
                cursor = self.textCursor()
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                self.setTextCursor(cursor)
                self.ensureCursorVisible()
                return

    def describe(self, o: Occurrence) -> str:
        assert self.review is not None
        decision = self.review.decision(o) or "not reviewed yet"
        if o.entity == "POSSIBLE_NAME":
            who = self.review.people[o.person].display if o.person is not None and o.person < len(
                self.review.people) else "a person of the case"
            return (f"{o.text} — possible name of {who}, left as it is: {o.detector} ({decision}; "
                    "accept to keep it, reject to replace it)")
        if o.person is not None and o.person < len(self.review.people):
            person = self.review.people[o.person]
            return f"{o.text} — {person.display} → {person.pseudonym} ({decision})"
        kind = o.entity.replace("_", " ").lower()
        return f"{o.text} — {kind} → {o.replacement} ({decision})"

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.cursorForPosition(self.viewport().mapFromGlobal(event.globalPos())).position()
            o = self.occurrence_at(pos)
            tips = ([self.describe(o)] if o is not None else []) + [t for s, e, t in self.marks if s <= pos < e]
            if tips:
                QToolTip.showText(event.globalPos(), "\n".join(dict.fromkeys(tips)), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            o = self.occurrence_at(self.cursorForPosition(event.position().toPoint()).position())
            if o is not None:
                self.occurrence_clicked.emit(o)
