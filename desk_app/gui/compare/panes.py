"""The two text panes of the compare window, and what keeps them level.

Each pane holds one text block per ``Row`` of the comparison, so row ``i`` is block ``i``
on both sides and a gap is an empty block. Because the two sides wrap to different heights,
``align`` pads the shorter block of every row with a bottom margin: afterwards equal
scroll-bar values show the same rows, which is all the scroll lock needs.

Row tints are painted behind the text (not as block backgrounds) so they cover the padding
too and the two panes' bands line up exactly. Colour is never the only cue: deletions are
struck through, insertions underlined, gaps hatched, and every mark has a tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from desk_app.core.compare.model import Block, Change, ChangeKind, Comparison, Row, RowKind

LEFT, RIGHT = "left", "right"
ROW_GAP = 6.0          # space under every row, the same on both sides
HEADING_GAP = 10.0     # extra space above a heading, added under the row before it
LABEL_SEP = "\u2002"   # en space between "12." and the text
EXCERPT = 60
CURRENT = QTextFormat.Property.UserProperty + 1   # marks the current change's extra selections


@dataclass(frozen=True)
class Palette:
    """Colours for one theme; chosen so the text colour of that theme reads on every tint."""

    deleted: QColor        # background of deleted words
    inserted: QColor       # background of inserted words
    deleted_row: QColor    # tint of a row that exists only on the left
    inserted_row: QColor
    changed_row: QColor
    moved_row: QColor
    moved_text: QColor
    moved_bar: QColor
    changed_bar: QColor
    deleted_line: QColor   # underline / strike colours
    inserted_line: QColor
    gap: QColor            # hatching of the empty side
    label: QColor
    current: QColor        # frame of the current change


def colours(dark: bool) -> Palette:
    if dark:
        return Palette(
            deleted=QColor(128, 42, 48), inserted=QColor(32, 104, 58),
            deleted_row=QColor(62, 32, 35), inserted_row=QColor(28, 56, 38), changed_row=QColor(38, 44, 60),
            moved_row=QColor(50, 40, 70), moved_text=QColor(205, 180, 255), moved_bar=QColor(165, 125, 245),
            changed_bar=QColor(95, 130, 200), deleted_line=QColor(255, 150, 150), inserted_line=QColor(130, 225, 150),
            gap=QColor(78, 78, 84), label=QColor(150, 150, 155), current=QColor(80, 160, 255))
    return Palette(
        deleted=QColor(255, 200, 198), inserted=QColor(172, 238, 187),
        deleted_row=QColor(255, 236, 234), inserted_row=QColor(226, 250, 231), changed_row=QColor(236, 242, 252),
        moved_row=QColor(243, 237, 253), moved_text=QColor(98, 52, 180), moved_bar=QColor(130, 80, 223),
        changed_bar=QColor(84, 130, 210), deleted_line=QColor(190, 30, 40), inserted_line=QColor(20, 130, 50),
        gap=QColor(205, 205, 210), label=QColor(120, 120, 126), current=QColor(30, 110, 230))


def row_where(comparison: Comparison, index: int) -> str:
    """How a tooltip names a row: its paragraph number where it has one, else its row."""
    row = comparison.rows[index]
    block = _block(comparison, row, RIGHT) or _block(comparison, row, LEFT)
    if block is not None and block.label and block.label.rstrip(".").isdigit():
        return f"paragraph {block.label.rstrip('.')} (row {index + 1})"
    return f"row {index + 1}"


def excerpt(text: str, size: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _block(comparison: Comparison, row: Row, side: str) -> Block | None:
    if side == LEFT:
        return comparison.left.blocks[row.left] if row.left is not None else None
    return comparison.right.blocks[row.right] if row.right is not None else None


def change_of_rows(comparison: Comparison) -> dict[int, int]:
    """Row index -> index of the change it belongs to."""
    return {r: i for i, c in enumerate(comparison.changes) for r in c.rows}


class ComparePane(QTextEdit):
    """One side of the comparison: read-only, one block per row, tints painted behind."""

    resized = Signal()

    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAccessibleName("Original draft (left)" if side == LEFT else "Revised draft (right)")
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        # both panes always reserve the scroll bar, so they wrap at the same width
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.05)
        self.setFont(font)
        self.colours = colours(False)
        self.tints: list[QColor | None] = []
        self.bars: list[QColor | None] = []
        self.gaps: list[bool] = []
        self.base_gaps: list[float] = []   # each row's spacing before padding
        self.row_tips: list[str] = []
        self.mark_tips: list[list[tuple[int, int, str]]] = []   # per block: (start, end, tooltip) in block offsets
        self.current_rows: tuple[int, ...] = ()

    # ------------------------------------------------------------------ filling
    def fill(self, comparison: Comparison | None, pal: Palette) -> None:
        """Rebuild the document from ``comparison`` (None empties it)."""
        self.colours = pal
        self.tints, self.bars, self.gaps, self.row_tips, self.mark_tips = [], [], [], [], []
        self.base_gaps = []
        self.current_rows = ()
        self.setExtraSelections([])
        doc = self.document()
        doc.clear()
        if comparison is None:
            return
        owner = change_of_rows(comparison)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        base = QTextCharFormat()
        base.setForeground(self.palette().color(QPalette.ColorRole.Text))
        for i, row in enumerate(comparison.rows):
            if i:
                cursor.insertBlock(QTextBlockFormat(), base)
            block = _block(comparison, row, self.side)
            change = comparison.changes[owner[i]] if i in owner else None
            self._fill_row(cursor, comparison, i, row, block, change, base)
        cursor.endEditBlock()
        self.setTextCursor(QTextCursor(doc))

    def _fill_row(self, cursor: QTextCursor, comparison: Comparison, i: int, row: Row, block: Block | None,
                  change: Change | None, base: QTextCharFormat) -> None:
        pal = self.colours
        fmt = QTextBlockFormat()
        nxt = comparison.rows[i + 1] if i + 1 < len(comparison.rows) else None
        heading_next = nxt is not None and any(b is not None and b.kind == "heading" for b in
                                               (_block(comparison, nxt, LEFT), _block(comparison, nxt, RIGHT)))
        self.base_gaps.append(ROW_GAP + (HEADING_GAP if heading_next else 0))
        fmt.setBottomMargin(self.base_gaps[-1])
        fmt.setTopMargin(0)
        if block is not None and block.kind == "item":
            fmt.setLeftMargin(24)
        cursor.setBlockFormat(fmt)
        self.gaps.append(block is None)
        self.tints.append(self._tint(row))
        self.bars.append(self._bar(row))
        self.row_tips.append(self._row_tip(comparison, row, block, change))
        marks: list[tuple[int, int, str]] = []
        self.mark_tips.append(marks)
        if block is None:
            cursor.setCharFormat(base)
            return
        text_fmt = QTextCharFormat(base)
        if block.kind == "heading":
            text_fmt.setFontWeight(QFont.Weight.Bold)
        moved = row.kind in (RowKind.MOVED_FROM, RowKind.MOVED_TO)
        if moved:
            text_fmt.setForeground(pal.moved_text)
        offset = 0
        if block.label:
            label_fmt = QTextCharFormat(text_fmt)
            label_fmt.setForeground(pal.label)
            label_fmt.setFontWeight(QFont.Weight.Normal)
            cursor.insertText(block.label + LABEL_SEP, label_fmt)
            offset = len(block.label) + len(LABEL_SEP)
        if row.kind in (RowKind.INSERTED, RowKind.DELETED):   # the row tint says it; the line style without colour
            style = QTextCharFormat(text_fmt)
            self._line_style(style)
            cursor.insertText(block.text, style)
            marks.append((offset, offset + len(block.text), "Inserted: not in the original"
                          if row.kind is RowKind.INSERTED else "Deleted: not in the revised draft"))
            return
        spans = self._marks(comparison, row)
        if row.coarse:   # one op spanning everything that differs
            spans = [(a, b, "Changed as one piece: too long to compare word by word") for a, b, _tip in spans]
        pos = 0
        for a, b, tip in spans:
            a = max(a, pos)   # overlapping ops must not repeat text
            if b <= a:
                continue
            if a > pos:
                cursor.insertText(block.text[pos:a], text_fmt)
            mark = QTextCharFormat(text_fmt)
            mark.setBackground(pal.deleted if self.side == LEFT else pal.inserted)
            self._line_style(mark)
            cursor.insertText(block.text[a:b], mark)
            marks.append((offset + a, offset + b, tip))
            pos = b
        if pos < len(block.text):
            cursor.insertText(block.text[pos:], text_fmt)

    def _line_style(self, fmt: QTextCharFormat) -> None:
        if self.side == LEFT:
            fmt.setFontStrikeOut(True)
        else:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(self.colours.inserted_line)

    def _marks(self, comparison: Comparison, row: Row) -> list[tuple[int, int, str]]:
        """This side's marked ranges, each with what it was or became, from the row's ops."""
        left_text, right_text = comparison.pair_texts(row)
        moved = " during the move" if row.kind in (RowKind.MOVED_FROM, RowKind.MOVED_TO) else ""
        out = []
        for op in row.ops:
            if self.side == LEFT and op.a1 > op.a0:
                other = right_text[op.b0:op.b1]
                tip = f"Replaced{moved} by “{excerpt(other)}”" if other else f"Deleted{moved}"
                out.append((op.a0, op.a1, tip))
            elif self.side == RIGHT and op.b1 > op.b0:
                other = left_text[op.a0:op.a1]
                tip = f"Replaces “{excerpt(other)}”{moved}" if other else f"Inserted{moved}"
                out.append((op.b0, op.b1, tip))
        out.sort()
        # the ops are the same for both sides of a move, but index that row's own text only on its side
        limit = len(left_text if self.side == LEFT else right_text)
        return [(a, min(b, limit), t) for a, b, t in out if a < limit]

    def _tint(self, row: Row) -> QColor | None:
        pal = self.colours
        return {RowKind.CHANGED: pal.changed_row, RowKind.INSERTED: pal.inserted_row,
                RowKind.DELETED: pal.deleted_row, RowKind.MOVED_FROM: pal.moved_row,
                RowKind.MOVED_TO: pal.moved_row}.get(row.kind)

    def _bar(self, row: Row) -> QColor | None:
        pal = self.colours
        return {RowKind.CHANGED: pal.changed_bar, RowKind.INSERTED: pal.inserted_line,
                RowKind.DELETED: pal.deleted_line, RowKind.MOVED_FROM: pal.moved_bar,
                RowKind.MOVED_TO: pal.moved_bar}.get(row.kind)

    def _row_tip(self, comparison: Comparison, row: Row, block: Block | None, change: Change | None) -> str:
        other = row_where(comparison, row.partner) if row.partner is not None else ""
        if row.kind is RowKind.CHANGED and change is not None:
            return f"Changed: +{change.words_inserted} −{change.words_deleted} words"
        if row.kind is RowKind.INSERTED:
            return "Inserted: only in the revised draft" if block else "Nothing here in the original (inserted)"
        if row.kind is RowKind.DELETED:
            return "Deleted: only in the original" if block else "Nothing here in the revised draft (deleted)"
        if row.kind is RowKind.MOVED_FROM:
            return f"Moved from here to {other}" if block else f"Moved away from here to {other}"
        if row.kind is RowKind.MOVED_TO:
            return f"Moved here from {other}"
        return ""

    # ------------------------------------------------------------------ geometry
    def block(self, row: int) -> QTextBlock:
        return self.document().findBlockByNumber(row)

    def row_top(self, row: int) -> float:
        return self.document().documentLayout().blockBoundingRect(self.block(row)).top()

    def row_band(self, block: QTextBlock) -> QRectF:
        """The row's full band in document coordinates: text plus margins."""
        rect = self.document().documentLayout().blockBoundingRect(block)
        fmt = block.blockFormat()
        return QRectF(0, rect.top() - fmt.topMargin(), self.viewport().width(),
                      rect.height() + fmt.topMargin() + fmt.bottomMargin())

    def row_at_top(self) -> int:
        return self.cursorForPosition(QPoint(0, 0)).blockNumber()

    def scroll_to_row(self, row: int) -> None:
        """Bring ``row`` near the top, with the rows before it that fit in a fifth of the view above it
        (whole rows, so the view does not open on half a paragraph)."""
        if not 0 <= row < self.document().blockCount():
            return
        first = row
        while first > 0 and self.row_top(row) - self.row_top(first - 1) <= self.viewport().height() / 5:
            first -= 1
        top = self.row_top(first) - self.document().documentMargin() * (first == 0)
        bar = self.verticalScrollBar()
        bar.setValue(max(bar.minimum(), min(bar.maximum(), round(top))))

    def put_cursor(self, row: int) -> None:
        """Cursor at the start of ``row``'s text, and the row marked as current."""
        block = self.block(row)
        if block.isValid():
            self.setTextCursor(QTextCursor(block))

    def set_current(self, rows: tuple[int, ...]) -> None:
        """The transient highlight of the current change's rows.

        The extra selections carry which blocks are current but no colour of their own (a
        selection background would hide the word marks); the wash and frame are painted
        behind the text with the row tints.
        """
        self.current_rows = rows
        selections = []
        for r in rows:
            block = self.block(r)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(block)
            sel.cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            sel.format.setProperty(CURRENT, True)
            selections.append(sel)
        self.setExtraSelections(selections)
        self.viewport().update()

    # ------------------------------------------------------------------ painting, tooltips
    def paintEvent(self, event: QPaintEvent) -> None:
        if self.tints:
            self._paint_rows()
        super().paintEvent(event)

    def _paint_rows(self) -> None:
        painter = QPainter(self.viewport())
        try:
            dy = -self.verticalScrollBar().value()
            height = self.viewport().height()
            block = self.cursorForPosition(QPoint(0, 0)).block()
            hatch = QBrush(self.colours.gap, Qt.BrushStyle.BDiagPattern)
            while block.isValid():
                n = block.blockNumber()
                band = self.row_band(block).translated(0, dy)
                if band.top() > height:
                    break
                if n < len(self.tints):
                    if self.tints[n] is not None:
                        painter.fillRect(band, self.tints[n])
                    if self.gaps[n] and self.tints[n] is not None:
                        painter.fillRect(band, hatch)
                    if self.bars[n] is not None:
                        painter.fillRect(QRectF(0, band.top(), 3, band.height()), self.bars[n])
                    if n in self.current_rows:
                        wash = QColor(self.colours.current)
                        wash.setAlpha(30)
                        painter.fillRect(band, wash)
                        painter.setPen(QPen(self.colours.current, 2))
                        painter.drawRect(band.adjusted(1, 1, -1, -1))
                block = block.next()
        finally:
            painter.end()

    def tooltip_at(self, pos: QPoint) -> str:
        """The tooltip for a point of the viewport: the mark under it, else its row's."""
        cursor = self.cursorForPosition(pos)
        n = cursor.blockNumber()
        if not 0 <= n < len(self.row_tips):
            return ""
        offset = cursor.positionInBlock()
        for a, b, tip in self.mark_tips[n]:
            if a <= offset < b:
                return tip
        return self.row_tips[n]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            tip = self.tooltip_at(self.viewport().mapFromGlobal(event.globalPos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.resized.emit()


def align(left: ComparePane, right: ComparePane) -> int:
    """Pad the shorter block of every row so both panes' rows have the same height.

    Returns how many blocks got a new margin. One edit block per pane, so the layout is
    redone once, not once per row.
    """
    lay_l, lay_r = left.document().documentLayout(), right.document().documentLayout()
    heights: list[tuple[float, float]] = []
    lb, rb = left.document().begin(), right.document().begin()
    while lb.isValid() and rb.isValid():
        heights.append((lay_l.blockBoundingRect(lb).height(), lay_r.blockBoundingRect(rb).height()))
        lb, rb = lb.next(), rb.next()
    changed = 0
    for which, pane in enumerate((left, right)):
        cursor = QTextCursor(pane.document())
        cursor.beginEditBlock()
        block = pane.document().begin()
        for i, pair in enumerate(heights):
            base = pane.base_gaps[i] if i < len(pane.base_gaps) else ROW_GAP
            want = base + max(pair) - pair[which]
            fmt = block.blockFormat()
            if abs(fmt.bottomMargin() - want) > 0.01:
                fmt.setBottomMargin(want)
                cursor.setPosition(block.position())
                cursor.setBlockFormat(fmt)
                changed += 1
            block = block.next()
        cursor.endEditBlock()
    return changed


def change_title(comparison: Comparison, index: int) -> str:
    """The change list's line for one change: where, what, how many words."""
    change = comparison.changes[index]
    rows = [comparison.rows[r] for r in change.rows]
    first = rows[0]
    if change.kind is ChangeKind.MOVED:
        where = f"{_label(_block(comparison, first, LEFT))} → {_label(_block(comparison, rows[-1], RIGHT))}"
        what = "Moved (and edited)" if change.edited else "Moved"
    else:
        where = _label(_block(comparison, first, LEFT if change.kind is ChangeKind.DELETED else RIGHT))
        what = change.kind.value.capitalize()
    words = ""
    if change.kind is ChangeKind.CHANGED or change.edited:
        words = f" · +{change.words_inserted} −{change.words_deleted} words"
    elif change.kind is ChangeKind.INSERTED:
        words = f" · +{change.words_inserted} words"
    elif change.kind is ChangeKind.DELETED:
        words = f" · −{change.words_deleted} words"
    return f"{where} {what}{words}".strip()


def _label(block: Block | None) -> str:
    """A paragraph's number as the draft shows it; nothing for unnumbered text."""
    if block is None or not block.label or block.label == "•":
        return ""
    return block.label


def change_text(comparison: Comparison, index: int) -> str:
    """The first words of a change, for the list's tooltip and second line."""
    change = comparison.changes[index]
    row = comparison.rows[change.rows[-1] if change.kind is ChangeKind.MOVED else change.rows[0]]
    text = comparison.right_text(row) or comparison.left_text(row)
    return excerpt(text, 90)
