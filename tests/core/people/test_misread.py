"""Known names OCR misread on a scanned page ("Me Allister" for "McAllister"), on hand-made
detections: no model, no OCR. Only scanned text is read this loosely."""

from __future__ import annotations

from pathlib import Path

from desk_app.core.anonymise import anonymise_case
from desk_app.core.document import ScannedPage, SourceDocument, apply_replacements
from desk_app.core.entities import Detection
from desk_app.core.ingest.scan import page_paragraphs

TEXT = ("Mr Hamish McAllister wrote to us on 3 March.\n\nThe landlord, Hamish Me Allister,\nhas agreed. "
        "Mr McAlister will call. The Allotment Committee met.")


def _doc(scanned: bool) -> SourceDocument:
    return SourceDocument(Path("letter.png" if scanned else "letter.txt"), "image" if scanned else "txt", TEXT,
                          page_paragraphs(TEXT, 0, "page 1"),
                          scans=[ScannedPage(1, [], 0, len(TEXT))] if scanned else [])


def _anonymised(scanned: bool) -> str:
    name = "Mr Hamish McAllister"
    found = [Detection(0, len(name), name, "PERSON", 0.9, "TitledNameRecognizer")]
    result = anonymise_case([_doc(scanned)], [found])
    return apply_replacements(TEXT, result.replacements[0])


def test_a_misread_name_on_a_scanned_page_is_the_known_person():
    out = _anonymised(scanned=True)
    assert "Allister" not in out and "McAlister" not in out, out
    # 'Hamish' (found as a known form) and the misread surname are one mention, one pseudonym
    assert "The landlord, Mr X,\nhas agreed. Mr X will call." in out
    assert "The Allotment Committee met." in out   # an ordinary capitalised word is not a misread name


def test_typed_text_is_not_read_loosely():
    out = _anonymised(scanned=False)
    assert "Me Allister" in out and "McAlister" in out
