"""The scanned page beside its text: what OCR read, checked against what is on the paper.

A scan's text is only as good as the OCR, so the reviewer needs the page itself: every
detection of the page is boxed on the image in its person's colour (the same as its
highlight in the text; rejected ones dashed grey), the current one is emphasised, and a
click on a box selects that detection in the text. Words OCR read with little confidence
are outlined on the page and marked in the text (``mark_low_confidence``), because a
misread name is a name the detector may have missed.

The page follows the text: the cursor or selection decides which page is shown. A page's
pixels are converted to a ``QPixmap`` once and kept in a small cache (a few pages: an A4
page at 200 dpi is 15 MB as a pixmap), never per repaint.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.anonymise.review import REJECTED, CaseReview, Occurrence
from desk_app.core.document import ScannedPage, ScanWord, SourceDocument
from desk_app.gui.theme import colour_slots, identifier_colour, is_dark, person_colour

PIXMAP_CACHE_PAGES = 4           # pages kept converted; the rest are converted again when shown
LOW_CONFIDENCE_COLOUR = QColor(230, 120, 0)
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.05, 4.0)


def low_confidence_tip(word: ScanWord) -> str:
    return f"read by OCR with {word.confidence:.0%} confidence: check against the page"


def low_confidence_spans(doc: SourceDocument) -> list[tuple[int, int, str]]:
    """Every word of ``doc`` OCR read with little confidence: (start, end, why) in its text."""
    return [(w.start, w.end, low_confidence_tip(w)) for page in doc.scans for w in page.low_confidence]


def mark_low_confidence(view, doc: SourceDocument) -> list[tuple[int, int, str]]:  # noqa: ANN001 - a DocumentView
    """Underline (wavy, orange) every low-confidence word of ``doc`` in ``view``, and give it
    its tooltip; returns the marks as (view start, view end, tooltip)."""
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(LOW_CONFIDENCE_COLOUR)
    cursor = QTextCursor(view.document())
    marks = []
    for start, end, tip in low_confidence_spans(doc):
        start, end = view.view_position(start), view.view_position(end)
        if end <= start:   # replaced in the preview
            continue
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
        marks.append((start, end, tip))
    return marks


def to_qimage(image) -> QImage:  # noqa: ANN001 - a PIL image
    """A PIL image as a ``QImage`` that owns its pixels (greyscale stays 8-bit)."""
    if image.mode != "L":
        image = image.convert("RGB")
    fmt, depth = (QImage.Format.Format_Grayscale8, 1) if image.mode == "L" else (QImage.Format.Format_RGB888, 3)
    data = image.tobytes()
    return QImage(data, image.width, image.height, image.width * depth, fmt).copy()


def line_boxes(words: Sequence[ScanWord], pad: int = 3) -> list[QRectF]:
    """One box per visual line of ``words`` (a name broken over two lines is two boxes, not
    one covering the lines between), padded a little so the box does not touch the ink."""
    boxes: list[list[int]] = []
    for w in words:
        x0, y0, x1, y1 = w.box
        last = boxes[-1] if boxes else None
        if last is not None and min(y1, last[3]) - max(y0, last[1]) > 0.5 * min(y1 - y0, last[3] - last[1]):
            last[:] = [min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1)]
        else:
            boxes.append([x0, y0, x1, y1])
    return [QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad) for x0, y0, x1, y1 in boxes]


@dataclass
class PageBox:
    """A box drawn on the page: a detection's line, a low-confidence word, or the selection."""

    rect: QRectF          # in pixels of the page image
    kind: str             # "detection", "low", "selection"
    occurrence: Occurrence | None = None
    decision: str | None = None
    current: bool = False
    colour: QColor | None = None
    tip: str = ""


class PageCanvas(QGraphicsView):
    """The page image and its boxes; Ctrl+wheel zooms, a click on a box reports its index."""

    box_clicked = Signal(int)
    zoomed = Signal(float)   # a zoom factor to multiply by
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Mid))

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoomed.emit(ZOOM_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            for item in self.items(event.position().toPoint()):
                index = item.data(0)
                if isinstance(index, int):
                    self.box_clicked.emit(index)
                    event.accept()
                    return
        super().mousePressEvent(event)


class ScanView(QWidget):
    """The scanned page of the current document that holds the text cursor, with its boxes."""

    occurrence_clicked = Signal(object)   # Occurrence: a box was clicked
    page_chosen = Signal(int)             # the reviewer turned the page: where its text begins

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Scanned page")
        self.review: CaseReview | None = None
        self.doc: SourceDocument | None = None
        self.doc_index = -1
        self.page: ScannedPage | None = None
        self.current: Occurrence | None = None
        self.selection: tuple[int, int] | None = None
        self.describe: Callable[[Occurrence], str] = lambda o: o.text
        self.boxes: list[PageBox] = []
        self.fit = "width"          # "width", "page", or "" (the reviewer's own zoom)
        self.scale = 1.0
        self._pixmaps: OrderedDict[int, tuple[ScannedPage, QPixmap]] = OrderedDict()
        self.conversions = 0        # pages converted to pixmaps (the cache is what keeps this low)
        self._drawn: ScannedPage | None = None   # the page last drawn (another one is shown from its top)

        self.canvas = PageCanvas()
        self.canvas.setAccessibleName("Page image")
        self.canvas.box_clicked.connect(self._box_clicked)
        self.canvas.zoomed.connect(self.zoom_by)
        self.canvas.resized.connect(self._resized)

        def tool(text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAccessibleName(tip)
            b.setAutoRaise(True)
            b.clicked.connect(slot)
            return b

        self.previous_button = tool("◀", "Previous scanned page", lambda: self.turn(-1))
        self.next_button = tool("▶", "Next scanned page", lambda: self.turn(1))
        self.page_label = QLabel()
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400%") + 4)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        for w in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.zoom_label)
        for text, tip, slot in (("−", "Zoom out (Ctrl+wheel)", lambda: self.zoom_by(1 / ZOOM_STEP)),
                                ("+", "Zoom in (Ctrl+wheel)", lambda: self.zoom_by(ZOOM_STEP)),
                                ("↔", "Fit the width of the text", lambda: self.set_fit("width")),
                                ("▣", "Fit the whole page", lambda: self.set_fit("page"))):
            bar.addWidget(tool(text, tip, slot))
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend)
        self.hide()

    # ------------------------------------------------------------------ what is shown
    def show_document(self, review: CaseReview | None, index: int, current: Occurrence | None,
                      span: tuple[int, int] | None, describe: Callable[[Occurrence], str] | None = None) -> None:
        """Show document ``index``'s scanned page of the current detection, or of the text
        cursor's selection ``span`` (None: the page shown before); hidden for a document
        without scans."""
        doc = review.documents[index] if review is not None and 0 <= index < len(review.documents) else None
        if review is not self.review:
            self._pixmaps.clear()   # another case: its pages are not this case's
        self.review, self.doc, self.doc_index = review, doc, index
        self.current = current if current is not None and current.doc == index else None
        if describe is not None:
            self.describe = describe
        if doc is None or not doc.scans:
            self.page, self.boxes, self._drawn = None, [], None
            self.canvas.scene().clear()
            self.hide()
            return
        self.show()
        self.selection = span if span is not None and span[1] > span[0] else None
        where = self.current.start if self.current is not None else span[0] if span is not None else None
        page = doc.scan_at(where) if where is not None else None
        if page is None:
            page = self.page if any(p is self.page for p in doc.scans) else doc.scans[0]
        self.page = page
        self._draw()

    def follow(self, start: int, end: int) -> None:
        """The text cursor moved to [start, end) of the document: show that page, and the
        selection's words on it."""
        if self.doc is None or not self.doc.scans:
            return
        selection = (start, end) if end > start else None
        page = self.doc.scan_at(start) or self.page
        if page is self.page and selection == self.selection:
            return
        self.selection = selection
        if page is not self.page:
            self.page = page
        self._draw()

    def turn(self, step: int) -> None:
        """Show the previous or next scanned page, and take the text there."""
        if self.doc is None or self.page is None:
            return
        pages = self.doc.scans
        at = next(i for i, p in enumerate(pages) if p is self.page)
        target = min(max(at + step, 0), len(pages) - 1)
        if pages[target] is not self.page:
            self.page = pages[target]
            self._draw()
            self.page_chosen.emit(self.page.start)

    def pixmap(self, page: ScannedPage) -> QPixmap:
        """``page``'s image as a pixmap, converted once while it stays among the last few shown."""
        key = id(page)
        if key in self._pixmaps:
            self._pixmaps.move_to_end(key)
            return self._pixmaps[key][1]
        pixmap = QPixmap.fromImage(to_qimage(page.image))
        self.conversions += 1
        self._pixmaps[key] = (page, pixmap)   # the page is held too, so its id stays its own
        while len(self._pixmaps) > PIXMAP_CACHE_PAGES:
            self._pixmaps.popitem(last=False)
        return pixmap

    def boxes_of(self, o: Occurrence) -> list[QRectF]:
        return [b.rect for b in self.boxes if b.occurrence is not None and b.occurrence.key == o.key]

    # ------------------------------------------------------------------ drawing
    def _page_boxes(self) -> list[PageBox]:
        assert self.review is not None and self.page is not None
        page, review, dark = self.page, self.review, is_dark()
        slots = colour_slots([p.display for p in review.people])
        out: list[PageBox] = []
        current_key = self.current.key if self.current is not None else None
        for o in review.occurrences_in(self.doc_index):
            if not (page.start <= o.start < page.end):
                continue
            has_person = o.person is not None and o.person < len(slots)
            colour = person_colour(slots[o.person], dark) if has_person else identifier_colour(dark)
            decision = review.decision(o)
            for rect in line_boxes(page.words_in(o.start, o.end)):
                out.append(PageBox(rect, "detection", o, decision, o.key == current_key, colour, self.describe(o)))
        for w in page.low_confidence:
            out.append(PageBox(line_boxes([w], pad=1)[0], "low", tip=low_confidence_tip(w)))
        if self.selection is not None and (self.current is None
                                           or self.selection != (self.current.start, self.current.end)):
            for rect in line_boxes(page.words_in(*self.selection), pad=5):
                out.append(PageBox(rect, "selection", tip="the text selected"))
        return out

    def _draw(self) -> None:
        assert self.doc is not None and self.page is not None
        scene = self.canvas.scene()
        scene.clear()
        pixmap = self.pixmap(self.page)
        item = scene.addPixmap(pixmap)
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        scene.setSceneRect(QRectF(pixmap.rect()))
        self.boxes = self._page_boxes()
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        emphasised: QRectF | None = None
        for n, box in enumerate(self.boxes):
            pen, brush, z = QPen(), QBrush(Qt.BrushStyle.NoBrush), 1.0
            pen.setCosmetic(True)   # a line width in screen pixels, whatever the zoom
            pen.setWidthF(2)
            if box.kind == "detection" and box.decision == REJECTED:
                pen.setColor(QColor(128, 128, 128))
                pen.setStyle(Qt.PenStyle.DashLine)
            elif box.kind == "detection":
                assert box.colour is not None
                fill = QColor(box.colour)
                fill.setAlpha(110)   # the ink shows through
                brush = QBrush(fill)
                pen.setColor(box.colour.darker(170))
            elif box.kind == "low":
                pen.setColor(LOW_CONFIDENCE_COLOUR)
                pen.setStyle(Qt.PenStyle.DotLine)
                z = 2.0
            else:
                pen.setColor(highlight)
                pen.setStyle(Qt.PenStyle.DashDotLine)
                fill = QColor(highlight)
                fill.setAlpha(40)
                brush = QBrush(fill)
                z = 0.5
            if box.current:
                pen.setColor(highlight)
                pen.setWidthF(4)
                z = 3.0
                emphasised = box.rect if emphasised is None else emphasised.united(box.rect)
            rect_item = QGraphicsRectItem(box.rect)
            rect_item.setPen(pen)
            rect_item.setBrush(brush)
            rect_item.setZValue(z)
            rect_item.setToolTip(box.tip)
            if box.occurrence is not None:
                rect_item.setData(0, n)
            scene.addItem(rect_item)
        self._describe_page()
        self._apply_zoom(top=self.page is not self._drawn)
        self._drawn = self.page
        wanted = emphasised if emphasised is not None else next(
            (b.rect for b in self.boxes if b.kind == "selection"), None)
        shown = self.canvas.mapToScene(self.canvas.viewport().rect()).boundingRect()
        if wanted is not None and not shown.contains(wanted):   # scrolled only when out of sight
            self.canvas.ensureVisible(wanted, 20, 80)

    def _describe_page(self) -> None:
        assert self.doc is not None and self.page is not None
        pages = self.doc.scans
        at = next(i for i, p in enumerate(pages) if p is self.page)
        if self.doc.kind == "pdf":
            text = f"Page {self.page.number} (scanned page {at + 1} of {len(pages)})"
        else:
            text = f"Page {at + 1} of {len(pages)}"
        self.page_label.setText(text)
        self.previous_button.setEnabled(at > 0)
        self.next_button.setEnabled(at < len(pages) - 1)
        low = len(self.page.low_confidence)
        self.legend.setText("Boxes: the detections on this page, in each person's colour; dashed grey: rejected."
                            + (f" Dotted orange: {low} word{'s' if low != 1 else ''} OCR was unsure of."
                               if low else ""))

    # ------------------------------------------------------------------ zoom
    def set_fit(self, fit: str) -> None:
        self.fit = fit
        self._apply_zoom()

    def zoom_by(self, factor: float) -> None:
        self.fit = ""
        self.scale = min(max(self.scale * factor, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self._apply_zoom()

    def text_area(self) -> QRectF:
        """The part of the page with text on it (the whole page if OCR found none): fitting
        its width, not the paper's, makes the words a fifth or more bigger in a narrow pane."""
        assert self.page is not None
        whole = QRectF(0, 0, *self.page.size)
        if not self.page.words:
            return whole
        x0 = min(w.box[0] for w in self.page.words)
        x1 = max(w.box[2] for w in self.page.words)
        y0 = min(w.box[1] for w in self.page.words)
        y1 = max(w.box[3] for w in self.page.words)
        pad = 0.01 * max(whole.width(), whole.height())
        return QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad).intersected(whole)

    def _apply_zoom(self, top: bool = False) -> None:
        """Scale (and turn) the page as the fit says; ``top``: show a newly shown page from its top."""
        if self.page is None:
            return
        turn = QTransform().rotate(self.page.rotation % 360)   # the page as OCR read it: upright
        room = self.canvas.viewport().size()
        text = self.text_area()
        if self.fit == "width":
            self.scale = max(room.width() - 4, 1) / turn.mapRect(text).width()
        elif self.fit == "page":
            whole = turn.mapRect(QRectF(0, 0, *self.page.size))
            self.scale = min(max(room.width() - 4, 1) / whole.width(), max(room.height() - 4, 1) / whole.height())
        self.canvas.setTransform(QTransform(turn).scale(self.scale, self.scale))
        area = self.canvas.mapFromScene(text).boundingRect()   # where the text is in the viewport now
        if self.fit == "width" or top:   # the text's left edge at the left, and a new page from its top
            bar = self.canvas.horizontalScrollBar()
            bar.setValue(bar.value() + area.left() - 2)
        if top:
            bar = self.canvas.verticalScrollBar()
            bar.setValue(bar.value() + area.top() - 2)
        self.zoom_label.setText(f"{self.scale:.0%}")

    def _resized(self) -> None:
        if self.fit:
            self._apply_zoom()

    def _box_clicked(self, index: int) -> None:
        if 0 <= index < len(self.boxes) and self.boxes[index].occurrence is not None:
            self.occurrence_clicked.emit(self.boxes[index].occurrence)
