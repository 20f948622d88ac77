"""Scanned pages in the Review tab (issue 18): real generated scans, read by the real OCR
and detector through the real window, offscreen.

The page is shown beside its text with every detection boxed where its words are, low-
confidence words are marked in the text and on the page, a scan's progress is reported
page by page, and Cancel stops OCR between pages while the window keeps responding.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication

from tests.helpers.heartbeat import Heartbeat
from tests.helpers.scans import NAMES, degrade, find_font, letter, multipage_tiff, two_column
from tests.helpers.screenshots import save_shot

pytestmark = pytest.mark.slow

NOTES = "Call with Mr Hamish McAllister on 4 April about the repairs.\n"


def covered_line_page(path: Path) -> Path:
    """A short note whose last line had something lying over the top half of its letters when
    it was scanned: OCR reads it, but unsure (about 50%), which is what the marking is for."""
    img = Image.new("L", (1654, 700), 255)
    draw = ImageDraw.Draw(img)
    font = find_font(31)
    y = 120
    for line in ["Notes of the home visit on 3 March 2025.", "Present: Mrs Agnieszka Kowalczyk and her son."]:
        draw.text((200, y), line, font=font, fill=0)
        y += 60
    y += 60
    draw.text((200, y), "Kitchen boiler", font=font, fill=0)
    draw.rectangle((190, y - 10, 500, y + 20), fill=255)
    img.save(path)
    return path


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scans")
    degrade(letter().image).save(folder / "letter.png")
    third = letter(names=(NAMES[4], NAMES[5], NAMES[6], NAMES[7]))
    multipage_tiff(folder / "bundle.tiff", [letter().image, two_column().image, third.image])
    multipage_tiff(folder / "two-pages.tiff", [letter().image, third.image])
    covered_line_page(folder / "covered.png")
    (folder / "notes.txt").write_text(NOTES, encoding="utf-8")
    return {p.name: p for p in folder.iterdir()}


def open_case(window, paths, wait_review, timeout=120_000):
    window.open_paths(paths)
    return wait_review(window, timeout=timeout)


def doc_index(review, name: str) -> int:
    return next(i for i, d in enumerate(review.documents) if d.path.name == name)


def occurrence_of(review, doc: int, text: str):
    return next(o for o in review.occurrences_in(doc) if text in o.text)


def contains(rects: list[QRectF], box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    return any(r.contains(QRectF(x0, y0, x1 - x0, y1 - y0)) for r in rects)


def test_scanned_page_beside_its_text_with_each_detection_boxed(window, scans, wait_review, qtbot):
    review = open_case(window, [scans["letter.png"], scans["notes.txt"]], wait_review)
    panel, scan_view = window.review_panel, window.review_panel.scan_view
    letter_doc = doc_index(review, "letter.png")
    panel.documents.setCurrentRow(letter_doc)
    assert scan_view.isVisible() and scan_view.page is review.documents[letter_doc].scans[0]
    page = scan_view.page

    # every detection of the page is boxed at its words, in its person's colour (as in the text)
    adebayo = occurrence_of(review, letter_doc, "Adebayo")
    boxes = scan_view.boxes_of(adebayo)
    words = page.words_in(adebayo.start, adebayo.end)
    assert {w.text.strip(",.") for w in words} == {"Oluwaseun", "Adebayo"}
    assert boxes and all(contains(boxes, w.box) for w in words)
    slot = panel.model.slots[adebayo.person]
    from desk_app.gui.theme import is_dark, person_colour

    box = next(b for b in scan_view.boxes if b.occurrence is not None and b.occurrence.key == adebayo.key)
    assert box.colour == person_colour(slot, is_dark())
    detected = {b.occurrence.key for b in scan_view.boxes if b.occurrence is not None}
    assert detected == {o.key for o in review.occurrences_in(letter_doc) if page.words_in(o.start, o.end)}
    assert len(detected) >= 4   # the four people of the letter at least

    # the current detection is emphasised, and its page region is scrolled into view
    panel.go_to(adebayo)
    assert all(b.current == (b.occurrence is not None and b.occurrence.key == adebayo.key)
               for b in scan_view.boxes if b.kind == "detection")

    # clicking another box selects that detection in the text
    fitz = occurrence_of(review, letter_doc, "Fitzgerald")
    rect = scan_view.boxes_of(fitz)[0]
    canvas = scan_view.canvas
    canvas.ensureVisible(rect, 10, 10)
    QApplication.processEvents()
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.mapFromScene(rect.center()))
    assert panel.current is not None and panel.current.key == fitz.key
    cursor = panel.view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (fitz.start, fitz.end)
    assert any(b.current for b in scan_view.boxes if b.occurrence is not None and b.occurrence.key == fitz.key)

    # a rejected detection is drawn dashed grey, without the person's fill
    panel.decide_current("rejected")
    rejected = next(b for b in scan_view.boxes if b.occurrence is not None and b.occurrence.key == fitz.key)
    assert rejected.decision == "rejected"
    item = next(i for i in canvas.scene().items() if i.data(0) == scan_view.boxes.index(rejected))
    assert item.pen().style() == Qt.PenStyle.DashLine and item.brush().style() == Qt.BrushStyle.NoBrush

    # zoom: buttons and Ctrl+wheel change the scale; the page was converted to a pixmap once
    fit_scale = scan_view.scale
    scan_view.zoom_by(2.0)
    assert scan_view.scale == pytest.approx(fit_scale * 2) and scan_view.zoom_label.text() == f"{scan_view.scale:.0%}"
    for _ in range(5):
        panel.refresh()
    assert scan_view.conversions == 1

    # a text file has no page pane
    panel.documents.setCurrentRow(doc_index(review, "notes.txt"))
    assert not scan_view.isVisible() and scan_view.page is None


def test_open_dialogs_offer_every_kind_of_file_the_readers_take():
    from desk_app.core.ingest import SUPPORTED_SUFFIXES
    from desk_app.gui.main_window import CASE_NOTES_FILTER, OPEN_FILTER

    assert {".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= set(SUPPORTED_SUFFIXES)
    def patterns(name_filter: str) -> set[str]:   # of the first filter, "Case notes (*.txt *.md ...)"
        return set(name_filter.split(";;")[0].split("(")[1].rstrip(")").split())

    for name_filter in (CASE_NOTES_FILTER, OPEN_FILTER):
        assert {f"*{s}" for s in SUPPORTED_SUFFIXES} <= patterns(name_filter)


def test_low_confidence_words_are_marked_in_the_text_and_on_the_page(window, scans, wait_review):
    # dropped on the window, as a user would
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scans["covered.png"]))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert drop.isAccepted()
    review = wait_review(window, timeout=120_000)
    panel, scan_view = window.review_panel, window.review_panel.scan_view
    page = review.documents[0].scans[0]
    low = page.low_confidence
    assert low, f"OCR read the covered line surely: {[(w.text, w.confidence) for w in page.words]}"
    assert all(w.confidence < 0.8 for w in low) and len(low) < len(page.words)

    # in the text: a wavy orange underline and a tooltip saying how sure OCR was
    marks = panel.view.marks
    assert [(s, e) for s, e, _ in marks] == [(w.start, w.end) for w in low]
    for (start, _end, tip), word in zip(marks, low, strict=True):
        assert tip == f"read by OCR with {word.confidence:.0%} confidence: check against the page"
        cursor = QTextCursor(panel.view.document())
        cursor.setPosition(start + 1)
        fmt = cursor.charFormat()
        assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
        assert fmt.underlineColor() == QColor(230, 120, 0)
    sure = next(w for w in page.words if w.confidence >= 0.8)
    cursor = QTextCursor(panel.view.document())
    cursor.setPosition(sure.start + 1)
    assert cursor.charFormat().underlineStyle() != QTextCharFormat.UnderlineStyle.WaveUnderline

    # on the page: each such word outlined
    outlined = [b.rect for b in scan_view.boxes if b.kind == "low"]
    assert len(outlined) == len(low) and all(contains(outlined, w.box) for w in low)
    assert "unsure" in scan_view.legend.text()


def test_progress_is_reported_per_scanned_page_and_the_page_follows_the_text(window, scans, wait_review, qtbot):
    seen: list[tuple[int, int, str]] = []
    window.engine.worker.progress.connect(lambda _r, done, total, what: seen.append((done, total, what)))
    review = open_case(window, [scans["two-pages.tiff"], scans["notes.txt"]], wait_review)
    pages = [(d, t, w) for d, t, w in seen if w.startswith("Reading scanned page")]
    assert [w.split(", ")[0] for _, _, w in pages] == [
        f"Reading scanned page {n} of 2 of two-pages.tiff (1 of 2 files)" for n in (1, 2)]
    assert pages[1][2].endswith(" left")   # after a page, the time the rest will take
    # one bar over the case: the scan counts its two pages, the text file one step
    assert [(d, t) for d, t, _ in pages] == [(0, 3), (1, 3)]
    reading = [(d, t) for d, t, w in seen if w.startswith("Reading")]
    assert reading[-1] == (2, 3) and [d for d, _ in reading] == sorted(d for d, _ in reading)

    panel, scan_view = window.review_panel, window.review_panel.scan_view
    doc = review.documents[doc_index(review, "two-pages.tiff")]
    panel.documents.setCurrentRow(doc_index(review, "two-pages.tiff"))
    assert scan_view.page is doc.scans[0] and scan_view.page_label.text() == "Page 1 of 2"
    # the text cursor on page 2 turns the page
    cursor = panel.view.textCursor()
    cursor.setPosition(doc.scans[1].start + 5)
    panel.view.setTextCursor(cursor)
    assert scan_view.page is doc.scans[1] and scan_view.page_label.text() == "Page 2 of 2"
    assert not scan_view.next_button.isEnabled()
    # a selection on the page is shown on it
    cursor.setPosition(doc.scans[1].start)
    cursor.setPosition(doc.scans[1].start + 20, QTextCursor.MoveMode.KeepAnchor)
    panel.view.setTextCursor(cursor)
    selected = [b.rect for b in scan_view.boxes if b.kind == "selection"]
    assert selected and all(contains(selected, w.box) for w in doc.scans[1].words_in(doc.scans[1].start,
                                                                                    doc.scans[1].start + 20))
    # turning the page takes the text there
    scan_view.previous_button.click()
    assert scan_view.page is doc.scans[0]
    assert panel.view.textCursor().position() == doc.scans[0].start
    # a detection on page 2 shows page 2
    o = next(o for o in review.occurrences_in(doc_index(review, "two-pages.tiff")) if o.start >= doc.scans[1].start)
    panel.go_to(o)
    assert scan_view.page is doc.scans[1] and scan_view.boxes_of(o)


def test_cancel_during_ocr_stops_between_pages_and_the_window_keeps_responding(window, scans, qtbot):
    seen: list[str] = []
    window.engine.worker.progress.connect(lambda _r, _d, _t, what: seen.append(what))
    cancelled: list[int] = []
    window.engine.worker.cancelled.connect(cancelled.append)
    beat = Heartbeat(10)
    beat.start()
    started = time.perf_counter()
    window.open_paths([scans["bundle.tiff"]])
    qtbot.waitUntil(lambda: any(w.startswith("Reading scanned page 2 of 3") for w in seen), timeout=60_000)
    qtbot.waitUntil(lambda: window.progress_label.text().startswith("Reading scanned page 2 of 3 of bundle.tiff"),
                    timeout=5_000)
    window.cancel_button.click()   # while page 2 is being read
    qtbot.waitUntil(lambda: bool(cancelled) and window.request is None, timeout=60_000)
    beat.stop()
    gaps = beat.gaps
    took = time.perf_counter() - started
    assert not any(w.startswith("Reading scanned page 3") for w in seen)   # stopped before the next page
    assert not any(w.startswith("Finding names") for w in seen)
    assert window.review is None and window.statusBar().currentMessage() == "Cancelled"
    print(f"OCR cancelled after {took:.1f} s; GUI thread: {len(gaps)} ticks, longest gap {max(gaps) * 1000:.0f} ms")
    assert len(gaps) > 50 and max(gaps) < 0.5   # the window answered all along (OCR runs on the engine thread)
    # and it still works: the next case opens
    window.open_paths([scans["notes.txt"]])
    qtbot.waitUntil(lambda: window.review is not None and window.request is None, timeout=60_000)
    assert not window.review_panel.scan_view.isVisible()


def test_scan_review_screenshot(window, scans, wait_review, tmp_path, qtbot):
    """The README's picture of a scan under review (scan_review.png), at a laptop's 1366x768."""
    window.resize(1366, 768)
    review = open_case(window, [scans["letter.png"]], wait_review)
    panel, scan_view = window.review_panel, window.review_panel.scan_view
    for name in (NAMES[1], NAMES[0]):   # part-way through a review, as a user would be
        panel.select_people([next(p.index for p in review.people if name in p.names)])
        panel.accept_selected_people()
    target = occurrence_of(review, 0, "Fitzgerald")
    panel.go_to(target)
    qtbot.wait(50)   # laid out at this size
    assert scan_view.zoom_label.text() == f"{scan_view.scale:.0%}" and scan_view.fit == "width"
    # fitted to the width of the text (not of the paper), with the current detection in view
    assert scan_view.scale == pytest.approx((scan_view.canvas.viewport().width() - 4) / scan_view.text_area().width())
    assert scan_view.scale > 1.15 * scan_view.canvas.viewport().width() / scan_view.page.image.width
    shown = scan_view.canvas.mapToScene(scan_view.canvas.viewport().rect()).boundingRect()
    assert all(shown.contains(r) for r in scan_view.boxes_of(target))
    assert panel.splitter.sizes()[0] >= 0.6 * sum(panel.splitter.sizes())   # room made for the page
    assert scan_view.isVisible() and scan_view.width() > 300
    pixmap = window.grab()
    path = save_shot(pixmap, "scan_review.png", tmp_path)
    image = pixmap.toImage()
    assert (image.width(), image.height()) == (1366, 768) and path.exists()
    # the page is on it, with the current detection's box
    centre = scan_view.canvas.mapFromScene(scan_view.boxes_of(target)[0].center())
    at = scan_view.canvas.viewport().mapTo(window, centre)
    assert window.rect().contains(at) and image.pixelColor(at) != QColor(0, 0, 0, 0)


def test_the_window_exports_a_scan_as_text_and_redacted_pages(window, scans, wait_review, tmp_path, qtbot):
    """The window's export is the one export path: a scanned letter gives its text copy and its
    redacted page, and no name can be read on the page written."""
    from desk_app.core.ingest import ocr

    open_case(window, [scans["letter.png"]], wait_review)
    window.accept_all_action.trigger()
    out = tmp_path / "published"
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=180_000)
    stem = scans["letter.png"].stem
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.redacted.png", f"{stem}.txt"]
    text = (out / f"{stem}.txt").read_text(encoding="utf-8")
    (page,) = ocr.load_image_pages(out / f"{stem}.redacted.png")
    seen = ocr.read_image(page).text
    for name in NAMES[:4]:
        for part in name.split():
            assert part not in text and part not in seen, (part, text, seen)
