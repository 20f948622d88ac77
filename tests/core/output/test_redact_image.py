"""The redacted copy of a scan: boxes burned into fresh pixels, nothing else carried, and the
leak scan reading the copy again by OCR (a box that misses a name refuses the export)."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from desk_app.core.document import Replacement, ScannedPage
from desk_app.core.ingest import load_document, ocr
from desk_app.core.output import redact_image
from desk_app.core.output.leakscan import LeakTerms, scan_file
from desk_app.core.pipeline import export_case
from tests.helpers import scans

pytestmark = pytest.mark.slow

_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def _words(text: str) -> list[str]:
    return [w for w in (_PUNCT.sub("", t) for t in text.split()) if w]


@pytest.fixture(scope="module")
def letter() -> scans.Scan:
    return scans.letter()


@pytest.fixture(scope="module")
def page(letter):
    image = scans.degrade(letter.image, angle=1.5, seed=1)
    read = ocr.read_image(image)
    return ScannedPage.from_image(1, image, read.words, 0, len(read.text), read.rotation)


def _name_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    words = {w for n in names for w in n.split()}
    return [(m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), text)]


def test_the_boxes_cover_the_names_and_nothing_of_them_can_be_read_again(letter, page):
    text = "".join(w.text + " " for w in page.words)   # offsets below are the words' own
    spans = [(w.start, w.end) for w in page.words if any(part in w.text for n in letter.names for part in n.split())]
    assert len(spans) >= 8, text
    out = redact_image.redact(page, spans)
    assert out.size == page.image.size
    again = ocr.read_image(out)
    assert [w for n in letter.names for w in n.split() if w in _words(again.text)] == []
    others = {w for w in _words(letter.text)} - {w for n in letter.names for w in n.split()}
    assert sum(w in _words(again.text) for w in others) / len(others) >= 0.85


def test_the_copy_carries_no_metadata_and_no_text_layer(tmp_path, page):
    source = page.image.copy()
    source.info["comment"] = b"Agnieszka Kowalczyk"
    redacted = redact_image.redact(page, [(page.words[0].start, page.words[0].end)])
    png = tmp_path / "p.png"
    png.write_bytes(redact_image.png_bytes(redacted))
    with Image.open(png) as reread:
        assert set(reread.info) <= {"dpi"}
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(redact_image.pdf_bytes([redacted, redacted]))
    raw = pdf.read_bytes()
    assert b"/Info" not in raw and b"/Producer" not in raw and b"/Font" not in raw and b"Kowalczyk" not in raw
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) == 2 and all(not (p.extract_text() or "").strip() for p in reader.pages)


def test_a_name_still_readable_in_the_copy_is_found_by_reading_it_again(tmp_path, letter, page):
    terms = LeakTerms([letter.names[1]])
    clean = tmp_path / "clean.png"
    spans = [(w.start, w.end) for w in page.words if w.text.strip(",.") in letter.names[1].split()]
    clean.write_bytes(redact_image.png_bytes(redact_image.redact(page, spans)))
    assert scan_file(clean, terms) == []
    missed = tmp_path / "missed.png"
    missed.write_bytes(redact_image.png_bytes(redact_image.redact(page, spans[:1])))   # one box left out
    leaks = scan_file(missed, terms)
    assert leaks and leaks[0].part == "page 1, read back by OCR"


def test_an_export_whose_boxes_miss_a_name_is_refused_and_leaves_nothing(tmp_path, detector, letter, monkeypatch):
    src = tmp_path / "in" / "letter.png"
    src.parent.mkdir()
    scans.degrade(letter.image, seed=1).save(src)
    doc = load_document(src)
    assert doc.kind == "image" and len(doc.scans) == 1
    # a redaction that forgets its boxes: only the re-read of the copy can catch it
    monkeypatch.setattr(redact_image, "redact", lambda page, spans, pad=None: redact_image._clean(page.image))
    result = export_case([src], tmp_path / "out", detector)
    (outcome,) = result.outcomes
    assert outcome.error and any("read back by OCR" in leak.part for leak in outcome.leaks)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []   # the .txt went with it
    assert load_document(src).text == doc.text   # the source is untouched


def test_replacements_in_a_document_map_to_each_page(tmp_path, letter):
    a, b = scans.letter(names=tuple(scans.NAMES[:4])), scans.letter(names=tuple(scans.NAMES[4:]))
    path = scans.multipage_tiff(tmp_path / "two.tiff", [a.image, b.image])
    doc = load_document(path)
    assert [s.number for s in doc.scans] == [1, 2]
    name = scans.NAMES[5]
    at = doc.text.index(name)
    assert doc.scan_at(at).number == 2
    data = redact_image.redacted_bytes(doc, [Replacement(at, at + len(name), "B")])
    assert redact_image.redacted_suffix(doc) == ".pdf"
    (tmp_path / "two.redacted.pdf").write_bytes(data)
    pages = [ocr.read_image(im).text for im in ocr.pdf_page_images(tmp_path / "two.redacted.pdf")]
    assert name not in pages[1] and scans.NAMES[4] in pages[1] and scans.NAMES[0] in pages[0]
