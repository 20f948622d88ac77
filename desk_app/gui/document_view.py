"""A case document with every detection marked, or its anonymised preview.

People are marked by a background colour of their own (the same colour as their row in
the people table) and, because colour alone is not enough, by a tooltip naming the
person, the pseudonym and the review decision. Other personal data is grey. Unreviewed
detections are underlined; rejected ones are struck through.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from desk_app.core.review import REJECTED, CaseReview, Occurrence
from desk_app.gui.theme import identifier_colour, is_dark, person_colour


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

    def show_document(self, review: CaseReview | None, index: int, preview: bool) -> None:
        keep = self.verticalScrollBar().value() if (review is self.review and index == self.doc_index) else 0
        self.review, self.doc_index, self.preview = review, index, preview
        self._spans = []
        if review is None or not 0 <= index < len(review.documents):
            self.setCurrentCharFormat(QTextCharFormat())
            self.setPlainText("")
            return
        dark = is_dark()   # the application's palette: a theme switch may not have reached this widget yet
        doc = review.documents[index]
        occurrences = review.occurrences_in(index)
        self.setCurrentCharFormat(QTextCharFormat())   # else new text inherits the last highlight
        if not preview:
            self.setPlainText(doc.text.replace("\v", "\u2028"))   # a Word line break, shown as one
            for o in occurrences:
                self._spans.append((o.start, o.end, o))
        else:
            text, spans = self._preview_text(review, index, occurrences)
            self.setPlainText(text.replace("\v", "\u2028"))
            self._spans = spans
        cursor = QTextCursor(self.document())
        for start, end, o in self._spans:
            fmt = QTextCharFormat()
            colour = person_colour(o.person, dark) if o.person is not None else identifier_colour(dark)
            fmt.setBackground(colour)
            fmt.setForeground(QColor(20, 20, 20) if not dark or o.person is None else QColor(245, 245, 245))
            decision = review.decision(o)
            if decision is None and not preview:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(self.palette().color(self.foregroundRole()))
            elif decision == REJECTED:
                fmt.setFontStrikeOut(not preview)
                fmt.clearBackground()
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        self.setTextCursor(QTextCursor(self.document()))   # no selection left over from the last text
        self.verticalScrollBar().setValue(keep)

    @staticmethod
    def _preview_text(review: CaseReview, index: int, occurrences: list[Occurrence]
                      ) -> tuple[str, list[tuple[int, int, Occurrence]]]:
        """The anonymised text, and where each replacement landed in it."""
        text = review.documents[index].text
        out, spans, pos, length = [], [], 0, 0
        for r in review.replacements(index):
            out.append(text[pos:r.start])
            length += r.start - pos
            owner = next((o for o in occurrences if r.start <= o.start < r.end or o.start <= r.start < o.end), None)
            if owner is not None and r.text:
                spans.append((length, length + len(r.text), owner))
            out.append(r.text)
            length += len(r.text)
            pos = r.end
        out.append(text[pos:])
        return "".join(out), spans

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
            if o is not None:
                QToolTip.showText(event.globalPos(), self.describe(o), self)
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
