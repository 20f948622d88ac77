"""The shared nouns of ``core/document.py`` that need no model: a scanned page keeps its pixels
exactly, compressed, and finds its words by offset."""

from __future__ import annotations

import pickle

from desk_app.core.document import ScannedPage, ScanWord
from tests.helpers import scans


def test_a_scanned_page_keeps_its_pixels_exactly_and_small():
    image = scans.letter().image.convert("L")
    words = [ScanWord("Dear", (10, 10, 60, 30), 0.99, 100, 104), ScanWord("Mrs", (70, 10, 110, 30), 0.6, 105, 108)]
    page = ScannedPage.from_image(2, image, words, 90, 200)
    again = page.image
    assert (again.mode, again.size) == (image.mode, image.size) and again.tobytes() == image.tobytes()
    assert len(page.pixels) < len(image.tobytes()) / 10           # a clean page compresses well
    assert len(pickle.dumps(page)) < len(image.tobytes()) / 10    # and travels to a worker small
    assert page.words_in(103, 106) == words and page.words_in(108, 120) == []
    assert page.low_confidence == [words[1]]


def test_a_colour_page_stays_colour():
    image = scans.letter().image.convert("RGB")
    assert ScannedPage.from_image(1, image, [], 0, 0).image.tobytes() == image.tobytes()
