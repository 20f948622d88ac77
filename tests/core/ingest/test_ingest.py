"""Readers: txt/md encodings, docx traversal (every place text hides), pdf text layer, errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from desk_app.core.document import SourceDocument
from desk_app.core.errors import InputError
from desk_app.core.ingest import iter_case_files, load_document
from tests.helpers.ingest_factories import make_pdf, new_document, paragraph_xml, rich_docx
from tests.helpers.paths import REPO

SAMPLE = REPO / "resources" / "sample_case"


def assert_offsets(doc: SourceDocument) -> None:
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text, p
    starts = [p.start for p in doc.paragraphs]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def error_for(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_document(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return info.value


# -- text ---------------------------------------------------------------------------------

def test_utf8_crlf_text_is_kept_exactly(tmp_path: Path) -> None:
    raw = "Case notes\r\n\r\nMrs Priya Ramsden – called twice.\r\n   \r\nEnd"
    path = tmp_path / "notes.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = load_document(path)
    assert doc.kind == "txt" and doc.encoding == "utf-8" and doc.notes == []
    assert doc.text == raw  # "\r\n" untouched
    assert [p.text for p in doc.paragraphs] == ["Case notes", "Mrs Priya Ramsden – called twice.", "End"]
    assert {p.part for p in doc.paragraphs} == {"text"}
    assert_offsets(doc)


def test_bom_is_stripped_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf# Heading\nDr Anil Mehta\n")
    doc = load_document(path)
    assert doc.encoding == "utf-8-sig"
    assert doc.text == "# Heading\nDr Anil Mehta\n"
    assert doc.paragraphs[0].start == 0
    assert_offsets(doc)


def test_cp1252_fallback_with_note(tmp_path: Path) -> None:
    path = tmp_path / "legacy.TXT"
    path.write_bytes("Mrs O’Brien paid €40 – café".encode("cp1252"))
    doc = load_document(path)
    assert doc.encoding == "cp1252"
    assert doc.text == "Mrs O’Brien paid €40 – café"
    assert any("not UTF-8" in n for n in doc.notes)


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("Oliver (aged 9)\r\n".encode("utf-16"))
    doc = load_document(path)
    assert doc.text == "Oliver (aged 9)\r\n" and doc.encoding == "utf-16"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("nul.txt", b"PK\x03\x04\x00\x00binary\x00\x01\x02" * 20, "not a text file (binary content)"),
        ("controls.txt", bytes(range(1, 9)) * 100 + b"text", "not a text file (binary content)"),
        ("blank.md", b"  \r\n\t\n", "the file contains only blank space"),
        ("badbom.txt", b"\xef\xbb\xbfabc\xff\xfe\x92", "marked as UTF-8"),
    ],
)
def test_bad_text_files(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert expected in error_for(path).message


def test_unsupported_and_missing(tmp_path: Path) -> None:
    odd = tmp_path / "scan.xyz"
    odd.write_text("x")
    assert error_for(odd).message == ("unsupported file type '.xyz' (expected .txt, .md, .docx, .pdf, or a scan: "
                                      ".png, .jpg, .tif)")
    assert error_for(tmp_path / "gone.docx").message == "the file does not exist"


# -- folders ------------------------------------------------------------------------------

def test_iter_case_files_expands_sorted_and_skips_junk(tmp_path: Path) -> None:
    case = tmp_path / "case"
    (case / "b").mkdir(parents=True)
    (case / ".git").mkdir()
    for rel in ["b/z.pdf", "b/a.DOCX", "A.txt", "notes.md", "~$draft.docx", ".hidden.txt",
                ".git/x.txt", "photo.jpg", "drawing.gif", "c.doc"]:
        (case / rel).write_text("x")
    single = tmp_path / "single.rtf"
    single.write_text("x")
    found = iter_case_files([case, single, case / "A.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "case/A.txt", "case/b/a.DOCX", "case/b/z.pdf", "case/notes.md", "case/photo.jpg", "single.rtf",
    ]
    with pytest.raises(InputError, match="no such file or folder"):
        iter_case_files([tmp_path / "nope"])


# -- docx ---------------------------------------------------------------------------------

def test_docx_reads_every_hiding_place_once(tmp_path: Path) -> None:
    path = tmp_path / "rich.docx"
    rich_docx(path)
    doc = load_document(path)
    assert doc.kind == "docx"
    assert_offsets(doc)
    texts = {p.text: p.part for p in doc.paragraphs}
    assert texts["Cheryl Dunn called."] == "body"
    assert texts["INS Mrs Ramsden agreed"] == "body"  # w:ins kept, w:del dropped
    assert texts["TEXTBOX Priya"] == "textbox"
    assert doc.text.count("TEXTBOX Priya") == 1  # choice read, fallback not
    assert texts["SDT Priya SMART Leeds CXML Oliver"] == "body"
    assert texts["FLD Daniel RESULT"] == "body"  # field result yes, field code no
    assert "secret" not in doc.text and "MERGEFIELD" not in doc.text
    assert texts["TAB\tx\vy-z"] == "body"   # a line break is '\v': one paragraph, two lines
    assert texts["See LINK Karen"] == "body"
    assert texts["CELL Anil"] == "table" and texts["NESTED Mehta"] == "table"
    assert texts["HEADER Mrs Priya Ramsden"] == "header"
    assert texts["FOOTER page"] == "footer"
    assert texts["FOOTNOTE Karen Holloway"] == "footnote"
    assert texts["ENDNOTE 07700 900123"] == "endnote"
    assert texts["COMMENT about Daniel"] == "comment"
    assert "Oldname" not in doc.text
    assert any("tracked deletion in body: 'Oldname'" == n for n in doc.notes)
    # document order: body, then header, footer, footnotes, endnotes, comments
    order = [doc.text.index(s) for s in ("Cheryl", "NESTED", "HEADER", "FOOTER", "FOOTNOTE", "ENDNOTE",
                                         "COMMENT")]
    assert order == sorted(order)
    # the reason this reader exists: python-docx's own text misses the insertion and the sdt
    plain = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Ramsden" not in plain and "SDT Priya" not in plain


def test_docx_many_deletions_are_summarised(tmp_path: Path) -> None:
    d = new_document()
    for i in range(5):
        paragraph_xml(d, f'<w:del w:id="{i}" w:author="A"><w:r><w:delText>gone{i}</w:delText></w:r></w:del>'
                         '<w:r><w:t>kept</w:t></w:r>')
    path = tmp_path / "dels.docx"
    d.save(path)
    doc = load_document(path)
    assert "gone" not in doc.text
    assert [n for n in doc.notes if n.startswith("tracked deletion in")] == [
        "tracked deletion in body: 'gone0'", "tracked deletion in body: 'gone1'",
        "tracked deletion in body: 'gone2'"]
    assert "... and 2 more tracked deletions" in doc.notes


def _real_docx_bytes() -> bytes:
    buf = io.BytesIO()
    d = new_document()
    d.add_paragraph("Mrs Priya Ramsden " * 200)
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: b"", "the file is empty"),
        (lambda: _real_docx_bytes()[:5000], "not a valid .docx file (damaged or not a Word document)"),
        (lambda: b"Just some text that someone renamed", "not a valid .docx file (damaged or not a Word "
                                                          "document)"),
        (lambda: make_pdf([["Hello"]]), "this is a PDF file with a .docx name"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le")
         + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500,
         "the document is password-protected; remove the password in Word and try again"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le")
         + b"\x00" * 500, "old Word 97-2003 (.doc) file"),
    ],
    ids=["zero-byte", "truncated", "text", "renamed-pdf", "encrypted-ole", "legacy-doc"],
)
def test_bad_docx_files(tmp_path: Path, make, expected: str) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(make())
    assert expected in error_for(path).message


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert error_for(path).message == "not a valid .docx file (damaged or not a Word document)"


def test_docx_with_malformed_xml(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    new_document().save(good)
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b"<w:document><unclosed" if info.filename == "word/document.xml" else data)
    assert "not a valid .docx" in error_for(bad).message


# -- pdf ----------------------------------------------------------------------------------

def test_pdf_text_layer_pages_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(make_pdf([["Dear Sir,", "My name is Priya Ramsden (café)."], ["Page two: Oliver"]]))
    doc = load_document(path)
    assert doc.kind == "pdf"
    assert_offsets(doc)
    by_text = {p.text: p.part for p in doc.paragraphs}
    assert by_text["My name is Priya Ramsden (café)."] == "page 1"
    assert by_text["Page two: Oliver"] == "page 2"
    assert doc.text.index("Dear Sir") < doc.text.index("Page two")


def test_pdf_without_text_layer_is_read_by_ocr_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([["ignored"], ["ignored"]], text_layer=False))   # pages with only a drawn box
    doc = load_document(path)
    assert doc.kind == "pdf" and [s.number for s in doc.scans] == [1, 2]
    assert doc.text == "" and all(not s.words for s in doc.scans)
    assert doc.notes == ["pages 1, 2 read by OCR (a scanned image); no text was found on it"]


def test_pdf_password_protected(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(make_pdf([["Secret Priya"]]))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="letmein", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as f:
        writer.write(f)
    assert "password-protected" in error_for(locked).message

    # owner-password-only PDFs (printing restricted, say) open without a password: read them
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    restricted = tmp_path / "restricted.pdf"
    with restricted.open("wb") as f:
        writer.write(f)
    assert "Secret Priya" in load_document(restricted).text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"%PDF-1.4\n" + b"\x00garbage\xff" * 50, "not a valid PDF file"),
        (b"PK\x03\x04 this is a zip", "not a valid PDF file"),
    ],
    ids=["zero-byte", "damaged", "not-pdf"],
)
def test_bad_pdf_files(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    assert error_for(path).message == expected


# -- the sample case ----------------------------------------------------------------------

def _nhs_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return len(digits) == 10 and (0 if check == 11 else check) == digits[9]


def test_sample_case_loads_and_hides_names_everywhere() -> None:
    files = iter_case_files([SAMPLE])
    assert sorted(p.name for p in files) == [
        "case-notes.txt", "complaint-letter.pdf", "council-response.docx"]
    docs = {p.suffix: load_document(p) for p in files}
    for doc in docs.values():
        assert_offsets(doc)
        assert "Ramsden" in doc.text
    response = docs[".docx"]
    parts = {p.part for p in response.paragraphs if "Ramsden" in p.text or "Holloway" in p.text}
    assert {"header", "footnote", "comment", "body", "table"} <= parts
    assert "Mr Daniel Ramsden" in response.text  # only present as a tracked insertion
    import re

    nhs = re.search(r"\b\d{3} \d{3} \d{4}\b", docs[".txt"].text)
    assert nhs and _nhs_valid(nhs.group())
    assert not _nhs_valid("999 123 4577")  # the checker can fail
