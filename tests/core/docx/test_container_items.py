"""Each Word-container item of issue 12 on its own: package hygiene (DTDs, member names),
image metadata, imported RTF, identifier renaming, and the leak scan's new reach (names
joined to other words, nested zips, escapes)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from test_container_hiding_places import NAME, Package, exif_artist, jpeg_with, png_with, xlsx_with, zip_bytes

from desk_app.core.document import Replacement
from desk_app.core.docx.altchunk import chunk_lines, decode_text, rtf_text
from desk_app.core.docx.media import strip_image_metadata
from desk_app.core.errors import InputError, OutputError
from desk_app.core.ingest import load_document
from desk_app.core.output.leakscan import LeakTerms, scan_docx
from desk_app.core.output.writers import write_document


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        out.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return out


# -- item 8: hygiene ---------------------------------------------------------------------------

def _with_document_xml(tmp_path: Path, transform, name: str = "dtd.docx") -> Path:  # noqa: ANN001
    p = Package()
    p.parts["word/document.xml"] = transform(p.parts["word/document.xml"])
    return p.save(tmp_path / name)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
def test_a_source_with_a_dtd_is_refused_in_one_line(tmp_path: Path, encoding: str) -> None:
    def add_dtd(xml: bytes) -> bytes:
        text = xml.decode().replace("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
                                    f'<?xml version="1.0" encoding="{encoding.split("-")[0].upper()}-'
                                    f'{encoding.split("-")[1] if "-" in encoding else ""}"?>')
        text = text.replace("?>", f'?>\n<!DOCTYPE w:document [<!ENTITY who "{NAME}">]>', 1)
        text = text.replace("The council accepted", "&who; said the council accepted")
        return text.encode(encoding)

    src = _with_document_xml(tmp_path, add_dtd)
    before = src.read_bytes()
    with pytest.raises(InputError) as caught:
        load_document(src)
    message = str(caught.value)
    assert "\n" not in message and str(src) in message
    assert "word/document.xml" in message and "DTD" in message
    assert src.read_bytes() == before


@pytest.mark.parametrize("member", ["../outside.xml", "/etc/absolute.xml", "word/../../up.xml", "C:/drive.xml"])
def test_a_member_named_outside_the_package_is_refused(tmp_path: Path, member: str) -> None:
    p = Package()
    p.parts[member] = b"<x/>"
    src = p.save(tmp_path / "evil.docx")
    with pytest.raises(InputError) as caught:
        load_document(src)
    assert "\n" not in str(caught.value) and member in str(caught.value) and "outside the package" in str(caught.value)


# -- item 4: image metadata, embedded objects ----------------------------------------------------

def test_png_text_chunks_go_and_pixels_stay() -> None:
    png = png_with((b"tEXt", b"Author\x00" + NAME.encode()), (b"zTXt", b"c\x00\x00" + zlib.compress(b"x")),
                   (b"iTXt", b"d\x00\x00\x00en\x00\x00" + NAME.encode()), (b"eXIf", b"II*\x00"),
                   (b"tIME", b"\x07\xe8\x01\x01\x00\x00\x00"), (b"pHYs", b"\x00\x00\x0b\x13\x00\x00\x0b\x13\x01"))
    stripped = strip_image_metadata(png)
    assert stripped is not None
    kinds = [k for k, _ in _png_chunks(stripped)]
    assert kinds == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    assert dict(_png_chunks(stripped))[b"IDAT"] == dict(_png_chunks(png))[b"IDAT"]
    assert strip_image_metadata(stripped) == stripped   # nothing left to take


def test_jpeg_exif_and_comments_go_and_the_scan_is_copied() -> None:
    jpeg = jpeg_with((0xE1, exif_artist(NAME)), (0xFE, b"Photo by " + NAME.encode()), (0xED, b"Photoshop 3.0\x00"),
                     (0xE2, b"ICC_PROFILE\x00\x01\x01"))
    stripped = strip_image_metadata(jpeg)
    assert stripped is not None and NAME.encode() not in stripped
    assert b"JFIF" in stripped and b"ICC_PROFILE" in stripped and b"Photoshop" not in stripped
    assert stripped.endswith(jpeg[jpeg.index(b"\xff\xda"):])   # scan header, pixel data and EOI byte for byte
    assert strip_image_metadata(b"GIF89a....") is None


def test_an_embedded_object_leaves_with_its_links_and_the_copy_still_opens(tmp_path: Path) -> None:
    from test_container_hiding_places import embedded_xlsx_package

    p = Package()
    embedded_xlsx_package(p)
    src = p.save(tmp_path / "object.docx")
    doc = load_document(src)
    start = doc.text.index("Okonjo") - len("Helena ")
    notes: list[str] = []
    out = write_document(doc, [Replacement(start, start + len(NAME), "Mrs X")], tmp_path / "out", notes=notes)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        body = zf.read("word/document.xml").decode()
        rels = zf.read("word/_rels/document.xml.rels").decode()
        types = zf.read("[Content_Types].xml").decode()
    assert not any("embeddings" in n for n in names) and "embeddings" not in rels + types
    assert "OLEObject" not in body and "v:imagedata" in body   # the picture of the object stays
    assert any("embedded files removed" in n for n in notes)
    assert docx.Document(str(out)).paragraphs


# -- item 4: imported content that can be decoded ------------------------------------------------

def test_rtf_text_undoes_escapes_and_skips_what_is_not_shown() -> None:
    rtf = (rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\info{\author Helena Okonjo}}"
           rb"{\*\bkmkstart HelenaOkonjo}Caf\'e9 visit by \u72?elena Okonj\'6f\par second\tab line\par}")
    assert rtf_text(rtf).split("\n")[:2] == ["Café visit by Helena Okonjo", "second\tline"]
    assert "author" not in rtf_text(rtf) and rtf_text(rtf).count("Okonjo") == 1


def test_decode_text_reads_utf16_without_a_bom() -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode_text(f"<p>Zoë {NAME}</p>".encode(codec)) == f"<p>Zoë {NAME}</p>"
    assert decode_text("Zoë".encode("cp1252")) == "Zoë"


def test_unknown_imported_content_is_not_decoded() -> None:
    assert chunk_lines(b"\x00\x01binary", "application/octet-stream", "word/chunk.bin") is None
    assert chunk_lines(b"one\r\ntwo  words\r\n", "text/plain", "word/a.txt") == ["one", "two words"]


# -- item 5: identifiers -------------------------------------------------------------------------

def test_renamed_identifiers_stay_unique_and_others_are_untouched(tmp_path: Path) -> None:
    p = Package()
    p.body('<w:p><w:bookmarkStart w:id="1" w:name="NameLetter"/><w:r><w:t>existing</w:t></w:r>'
           '<w:bookmarkEnd w:id="1"/></w:p>'
           '<w:p><w:bookmarkStart w:id="2" w:name="HelenaOkonjoLetter"/><w:r><w:t>hers</w:t></w:r>'
           '<w:bookmarkEnd w:id="2"/><w:bookmarkStart w:id="3" w:name="_Toc1234"/><w:bookmarkEnd w:id="3"/></w:p>'
           '<w:p><w:fldSimple w:instr=" PAGEREF HelenaOkonjoLetter \\h "><w:r><w:t>2</w:t></w:r></w:fldSimple>'
           '<w:fldSimple w:instr=" REF NameLetter "><w:r><w:t>existing</w:t></w:r></w:fldSimple></w:p>')
    src = p.save(tmp_path / "ids.docx")
    doc = load_document(src)
    start = doc.text.index(NAME)
    notes: list[str] = []
    out = write_document(doc, [Replacement(start, start + len(NAME), "Mrs X")], tmp_path / "out", notes=notes)
    with zipfile.ZipFile(out) as zf:
        body = zf.read("word/document.xml").decode()
    assert 'w:name="NameLetter"' in body and 'w:name="NameLetter2"' in body and 'w:name="_Toc1234"' in body
    assert "PAGEREF NameLetter2 \\h" in body and "REF NameLetter " in body
    assert "Okonjo" not in body
    assert any("identifiers containing a name renamed (1" in n for n in notes)


def test_identifiers_without_a_name_are_left_alone(tmp_path: Path) -> None:
    p = Package()
    p.style('<w:style w:type="paragraph" w:customStyle="1" w:styleId="AnnualReport"><w:name w:val="Annual Report"/>'
            '</w:style>')
    p.body('<w:p><w:pPr><w:pStyle w:val="AnnualReport"/></w:pPr><w:r><w:t>Report</w:t></w:r></w:p>')
    src = p.save(tmp_path / "plain.docx")
    doc = load_document(src)
    start = doc.text.index(NAME)
    notes: list[str] = []
    out = write_document(doc, [Replacement(start, start + len(NAME), "Mrs X")], tmp_path / "out", notes=notes)
    with zipfile.ZipFile(out) as zf:
        assert b'w:styleId="AnnualReport"' in zf.read("word/styles.xml")
    assert not any("identifiers" in n for n in notes)


# -- item 6: the leak scan's reach ---------------------------------------------------------------

@pytest.mark.parametrize("text", ["HelenaOkonjoLetter", "helena_okonjo_ref", "helenaokonjo", "HELENAOKONJO2",
                                  "ref-HelenaOkonjo", "TomasOkonjo"])
def test_names_joined_to_other_words_are_found(text: str) -> None:
    terms = LeakTerms(names=[NAME])
    assert terms.find(text) + terms.find_joined(text), text


@pytest.mark.parametrize("text", ["Annual report", "AnnualReport", "Okonjoville", "SomeHelenaStyle"])
def test_joined_search_does_not_invent_names(text: str) -> None:
    terms = LeakTerms(names=["Ann Smith", NAME])
    assert terms.find(text) + terms.find_joined(text) == []


def test_the_scan_opens_nested_zips_and_undoes_escapes(tmp_path: Path) -> None:
    p = Package(body=False)
    p.add("word/embeddings/book.xlsx", zip_bytes({"inner.zip": xlsx_with(NAME)}))
    p.add("word/chunk.rtf", rb"{\rtf1\ansi Visit by Hel\'65na Okonj\'6f\par}")
    p.add("word/chunk.mht", b"Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                            b"<p>Seen by Hel=\r\nena Okon=6Ao</p>\r\n")
    p.add("word/media/photo.png", png_with((b"zTXt", b"Comment\x00\x00" + zlib.compress(NAME.encode()))))
    p.add("word/media/photo.jpeg", jpeg_with((0xE1, exif_artist(NAME))))
    p.add("word/embeddings/object.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
          + NAME.encode("utf-16-le") + b"\x00" * 20)
    src = p.save(tmp_path / "nested.docx")
    parts = {leak.part for leak in scan_docx(src, LeakTerms(names=[NAME]))}
    assert "word/embeddings/book.xlsx/inner.zip/xl/sharedStrings.xml" in parts
    assert {"word/chunk.rtf", "word/chunk.mht", "word/media/photo.png", "word/media/photo.jpeg",
            "word/embeddings/object.bin"} <= parts


def test_random_pixels_are_not_read_as_names(tmp_path: Path) -> None:
    """Binary members are searched for long hits only: random bytes spell short words."""
    import random

    rng = random.Random(7)
    noise = bytes(rng.getrandbits(8) for _ in range(400_000))
    p = Package(body=False)
    p.add("word/media/noise.gif", b"GIF89a" + noise)
    src = p.save(tmp_path / "noise.docx")
    assert scan_docx(src, LeakTerms(names=["Al Bo", "Ed", "Ann Lee"])) == []


def test_a_copy_that_cannot_be_opened_by_python_docx_is_never_written(tmp_path: Path) -> None:
    """Every hiding-place copy opens (see test_container_hiding_places); here the plain case."""
    src = Package().save(tmp_path / "plain.docx")
    doc = load_document(src)
    out = write_document(doc, [], tmp_path / "out")
    assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs


def test_a_picture_without_a_content_type_is_declared_rather_than_refused(tmp_path: Path) -> None:
    p = Package()
    rid = p.relate("word/document.xml", "image", "media/undeclared.png")
    p.parts["word/media/undeclared.png"] = png_with()   # no Default for png in [Content_Types].xml
    p.body(f'<w:p><w:r><w:pict><v:shape style="width:10pt;height:10pt"><v:imagedata r:id="{rid}"/></v:shape>'
           '</w:pict></w:r></w:p>')
    src = p.save(tmp_path / "undeclared.docx")
    with pytest.raises(KeyError):
        docx.Document(str(src))   # python-docx cannot open the source itself
    doc = load_document(src)
    out = write_document(doc, [], tmp_path / "out")
    assert docx.Document(str(out)).paragraphs
    with zipfile.ZipFile(out) as zf:
        assert b'Extension="png" ContentType="image/png"' in zf.read("[Content_Types].xml")


def test_a_copy_python_docx_cannot_open_is_refused_in_one_line(tmp_path: Path) -> None:
    p = Package()
    types = p.parts["[Content_Types].xml"].decode()
    p.parts["[Content_Types].xml"] = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml").encode()   # a .docm renamed .docx
    src = p.save(tmp_path / "macro.docx")
    doc = load_document(src)
    with pytest.raises(OutputError) as caught:
        write_document(doc, [], tmp_path / "out")
    message = str(caught.value)
    assert "\n" not in message and "would not open as a Word document" in message and str(src) in message
    assert not (tmp_path / "out" / "macro.docx").exists()
