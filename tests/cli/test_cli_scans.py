"""Scanned letters and photos through ``desk-app anonymise``, as a user runs it: one batch of
generated scans (a degraded letter photo, a two-column page, a table, a two-page TIFF, a PDF
with one typed and one scanned page, and a broken image) gives for each a text copy and a
redacted image in which no name can be read, and one clear line for the broken file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from desk_app.core.ingest import ocr
from tests.helpers import scans

pytestmark = pytest.mark.slow

_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def _words(text: str) -> list[str]:
    return [w for w in (_PUNCT.sub("", t) for t in text.split()) if w]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("scans")
    src = root / "in"
    src.mkdir()
    letter, cols, table = scans.letter(), scans.two_column(), scans.table()
    truth = {}
    scans.degrade(letter.image, angle=1.5, seed=1).convert("RGB").save(src / "letter photo.jpg", quality=80)
    truth["letter photo"] = [letter]
    scans.degrade(cols.image, angle=-1, seed=3).save(src / "newsletter.png")
    truth["newsletter"] = [cols]
    scans.degrade(table.image, angle=1, seed=4).save(src / "contacts.png")
    truth["contacts"] = [table]
    other = scans.letter(names=tuple(scans.NAMES[4:]))
    scans.multipage_tiff(src / "fax.tif", [scans.degrade(letter.image, seed=5), other.image])
    truth["fax"] = [letter, other]
    scans.mixed_pdf(src / "bundle.pdf", ["Case note typed by Hamish McAllister on 3 March."],
                    scans.degrade(other.image, seed=6))
    truth["bundle"] = [other]
    (src / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    out, report = root / "out", root / "report.json"
    proc = subprocess.run([sys.executable, "-m", "desk_app", "anonymise", str(src), "--out-dir", str(out),
                           "--report", str(report)], capture_output=True, text=True, timeout=900)
    return proc, src, out, json.loads(report.read_text(encoding="utf-8")), truth


def test_every_scan_gives_a_text_copy_and_a_redacted_image(batch):
    proc, _, out, _, _ = batch
    assert sorted(p.name for p in out.iterdir()) == [
        "bundle.redacted.pdf", "bundle.txt", "contacts.redacted.png", "contacts.txt", "fax.redacted.pdf", "fax.txt",
        "letter photo.redacted.png", "letter photo.txt", "newsletter.redacted.png", "newsletter.txt"]
    assert proc.returncode == 1   # the broken image failed; the rest of the batch ran
    errors = [line for line in proc.stderr.splitlines() if "broken.png" in line]
    assert len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "anonymised 5 of 6 file(s)" in proc.stderr


def test_no_name_is_left_in_a_text_copy_and_most_other_words_are_read(batch):
    _, _, out, report, truth = batch
    replaced = {w for r in report["replacements"] for w in _words(r["original"])}
    for stem, pages in truth.items():
        text = (out / f"{stem}.txt").read_text(encoding="utf-8")
        names = {w for page in pages for n in page.names for w in n.split()} | {"McAllister"}
        assert [w for w in _words(text) if w in names] == [], stem
        others = {w for page in pages for w in _words(page.text)} - names - replaced
        read = sum(w in _words(text) for w in others) / len(others)
        assert read >= 0.9, (stem, read)


def test_no_name_can_be_read_in_a_redacted_image(batch):
    _, _, out, _, truth = batch
    for stem, pages in truth.items():
        (image_path,) = out.glob(f"{stem}.redacted.*")
        images = list(ocr.pdf_page_images(image_path)) if image_path.suffix == ".pdf" \
            else list(ocr.load_image_pages(image_path))
        assert len(images) == len(pages), stem
        names = {w for page in pages for n in page.names for w in n.split()}
        for image in images:
            assert [w for w in _words(ocr.read_image(image).text) if w in names] == [], stem


def test_a_mixed_pdf_reads_its_typed_page_and_redacts_only_the_scanned_one(batch):
    _, src, out, _, _ = batch
    text = (out / "bundle.txt").read_text(encoding="utf-8")
    assert text.startswith("Case note typed by ") and "McAllister" not in text
    from pypdf import PdfReader

    assert len(PdfReader(src / "bundle.pdf").pages) == 2
    assert len(PdfReader(out / "bundle.redacted.pdf").pages) == 1   # the typed page is in the text copy


def test_the_report_names_both_copies_and_the_pages_read_by_ocr(batch):
    _, _, out, report, _ = batch
    files = {Path(f["source"]).name: f for f in report["files"]}
    assert files["fax.tif"]["output"] == str(out / "fax.txt")
    assert files["fax.tif"]["redacted"] == str(out / "fax.redacted.pdf")
    assert files["fax.tif"]["notes"][0].startswith("pages 1, 2 read by OCR (a scanned image)")
    assert files["bundle.pdf"]["notes"][0].startswith("page 2 read by OCR")
    assert "redacted" not in files["broken.png"] and files["broken.png"]["error"]


def test_the_sources_are_untouched(batch):
    _, src, _, _, _ = batch
    with Image.open(src / "contacts.png") as im:
        assert im.size == scans.table().image.size
