"""Nothing leaves through a .docx package (issue 12, items 4, 5, 6, 8).

A corpus is generated here, one .docx per hiding place, each hiding one made-up client's
name in one place (and the name once in the body, so the case knows it). Every source is
anonymised with the real pipeline (spaCy detection, ``anonymise_case``, ``write_document``,
``check_written``) and every copy must: be written (cleaned, not refused), hold no trace of
the name by an independent brute-force search (``container_brute``), and open in
python-docx (and LibreOffice, where it is installed). The leak scan is also shown to find the
name in every hiding place of a source that holds it only there.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from desk_app.core.anonymise import anonymise_case
from desk_app.core.ingest import load_document
from desk_app.core.output.leakscan import LeakTerms, check_written, scan_docx
from desk_app.core.output.writers import write_document
from tests.helpers.container_brute import traces

NAME = "Helena Okonjo"
JOINED = "HelenaOkonjo"
NEEDLES = [NAME, "Okonjo"]
BODY = f"The complainant, Mrs {NAME}, says the council delayed her housing application for a year."
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CT_OLE = "application/vnd.openxmlformats-officedocument.oleObject"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"


# -- building blocks ---------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with(*chunks: tuple[bytes, bytes]) -> bytes:
    """A valid 1x1 grey PNG with extra chunks after IHDR."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    extra = b"".join(_chunk(k, d) for k, d in chunks)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + extra + _chunk(b"IDAT", zlib.compress(b"\x00\x80"))
            + _chunk(b"IEND", b""))


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def jpeg_with(*segments: tuple[int, bytes]) -> bytes:
    """A valid 1x1 grey baseline JPEG (one all-zero block) with extra segments after APP0."""
    jfif = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    dqt = _segment(0xDB, b"\x00" + b"\x01" * 64)
    sof = _segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
    one_code = bytes([1] + [0] * 15)
    dht = _segment(0xC4, b"\x00" + one_code + b"\x00") + _segment(0xC4, b"\x10" + one_code + b"\x00")
    sos = _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    extra = b"".join(_segment(m, b) for m, b in segments)
    return b"\xff\xd8" + jfif + extra + dqt + sof + dht + sos + b"\x3f" + b"\xff\xd9"


def exif_artist(artist: str) -> bytes:
    """An EXIF APP1 body whose only tag is Artist."""
    value = artist.encode("ascii") + b"\x00"
    ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x013B, 2, len(value), 8 + 2 + 12 + 4) + struct.pack("<I", 0)
    return b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd + value


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def xlsx_with(text: str) -> bytes:
    """A minimal workbook package whose shared strings hold ``text``."""
    return zip_bytes({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                               b'2006/content-types"/>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                                f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{text}</t></si>'
                                f'</sst>'.encode(),
    })


class Package:
    """A python-docx document with the name in the body, then edited as a zip."""

    def __init__(self, body: bool = True, picture: bytes | None = None) -> None:
        d = docx.Document()
        if body:
            d.add_paragraph(BODY)
        d.add_paragraph("The council accepted the complaint for investigation.")
        if picture is not None:
            d.add_picture(io.BytesIO(picture))
        self.header_text: str | None = None
        buf = io.BytesIO()
        d.save(buf)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
            self.parts = {n: zf.read(n) for n in zf.namelist()}
        self._rid = 100

    def body(self, xml: str) -> None:
        doc = self.parts["word/document.xml"].decode()
        at = doc.rindex("<w:sectPr")
        self.parts["word/document.xml"] = (doc[:at] + xml + doc[at:]).encode()

    def relate(self, source: str, rel_type: str, target: str, external: bool = False) -> str:
        self._rid += 1
        rid = f"rId{self._rid}"
        folder, name = source.rsplit("/", 1)
        rels = f"{folder}/_rels/{name}.rels"
        xml = self.parts.get(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                                   b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                   b'</Relationships>').decode()
        mode = ' TargetMode="External"' if external else ""
        xml = xml.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{RT}{rel_type}" '
                                              f'Target="{target}"{mode}/></Relationships>')
        self.parts[rels] = xml.encode()
        return rid

    def add(self, name: str, data: bytes, content_type: str | None = None, default: str | None = None) -> None:
        self.parts[name] = data
        types = self.parts["[Content_Types].xml"].decode()
        if content_type:
            types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
        if default and f'Extension="{default[0]}"' not in types:
            types = types.replace("</Types>", f'<Default Extension="{default[0]}" ContentType="{default[1]}"/>'
                                              "</Types>")
        self.parts["[Content_Types].xml"] = types.encode()

    def style(self, xml: str) -> None:
        styles = self.parts["word/styles.xml"].decode()
        self.parts["word/styles.xml"] = styles.replace("</w:styles>", xml + "</w:styles>").encode()

    def save(self, path: Path) -> Path:
        path.write_bytes(zip_bytes(self.parts))
        return path


def _para(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _ole_object(p: Package, rel_type: str, target: str) -> str:
    image = p.relate("word/document.xml", "image", "media/preview.png")
    p.add("word/media/preview.png", png_with(), default=("png", "image/png"))
    obj = p.relate("word/document.xml", rel_type, target)
    return _para(f'<w:r><w:object><v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:60pt;height:40pt">'
                 f'<v:imagedata r:id="{image}" o:title=""/></v:shape>'
                 f'<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Content" '
                 f'ObjectID="_1700000000" r:id="{obj}"/></w:object></w:r>')


# -- the hiding places ---------------------------------------------------------------------------

def chart_with_workbook(p: Package) -> None:
    chart = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
             f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:chart>'
             f'<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
             f'<c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/>'
             f'<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0">'
             f'<c:v>{NAME}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
             f'<c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0">'
             f'<c:v>Visits to Okonjo household</c:v></c:pt></c:strCache></c:strRef></c:cat>'
             f'<c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache><c:formatCode>General</c:formatCode>'
             f'<c:ptCount val="1"/><c:pt idx="0"><c:v>3</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser>'
             f'<c:axId val="1"/><c:axId val="2"/></c:barChart>'
             f'<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
             f'<c:axPos val="b"/><c:crossAx val="2"/></c:catAx>'
             f'<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
             f'<c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart>'
             f'<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>')
    p.add("word/charts/chart1.xml", chart.encode(), CT_CHART)
    p.parts["word/charts/_rels/chart1.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RT}package" '
        f'Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/></Relationships>').encode()
    p.add("word/embeddings/Microsoft_Excel_Worksheet.xlsx", xlsx_with(NAME), default=("xlsx", CT_XLSX))
    rid = p.relate("word/document.xml", "chart", "charts/chart1.xml")
    p.body(_para(f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="4000000" '
                 f'cy="2500000"/><wp:docPr id="7" name="Chart 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="{C_NS}">'
                 f'<c:chart xmlns:c="{C_NS}" r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'))


def embedded_xlsx_package(p: Package) -> None:
    p.add("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", xlsx_with(f"Rent arrears {NAME}"),
          default=("xlsx", CT_XLSX))
    p.body(_ole_object(p, "package", "embeddings/Microsoft_Excel_Worksheet1.xlsx"))


def ole_bin(p: Package) -> None:
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + NAME.encode("utf-16-le") + b"\x00" * 16
            + f"Author {NAME}".encode("ascii") + b"\x00" * 64)
    p.add("word/embeddings/oleObject1.bin", data, default=("bin", CT_OLE))
    p.body(_ole_object(p, "oleObject", "embeddings/oleObject1.bin"))


def png_text(kind: bytes, body: bytes) -> Callable[[Package], None]:
    def build(p: Package) -> None:
        p.body(_para(_run("Photo of the kitchen ceiling.")))
    build.picture = png_with((kind, body))  # type: ignore[attr-defined]
    return build


def jpeg_meta(marker: int, body: bytes) -> Callable[[Package], None]:
    def build(p: Package) -> None:
        p.body(_para(_run("Photo of the damp wall.")))
    build.picture = jpeg_with((marker, body))  # type: ignore[attr-defined]
    return build


def ruby_text(p: Package) -> None:
    p.body(_para(_run("Signed for ") + '<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="center"/><w:hps w:val="10"/>'
                 '<w:hpsRaise w:val="18"/><w:hpsBaseText w:val="22"/><w:lid w:val="en-GB"/></w:rubyPr>'
                 f'<w:rt><w:r><w:t xml:space="preserve">{NAME}</w:t></w:r></w:rt>'
                 '<w:rubyBase><w:r><w:t>the tenant</w:t></w:r></w:rubyBase></w:ruby></w:r>' + _run(" on arrival.")))


def sym_characters(p: Package) -> None:
    syms = "".join(_run(" ") if c == " " else f'<w:r><w:sym w:font="Arial" w:char="{ord(c):04X}"/></w:r>'
                   for c in NAME)
    p.body(_para(_run("Signed: ") + syms))


def _alt_chunk(p: Package, name: str, data: bytes, default: tuple[str, str]) -> None:
    p.add(f"word/{name}", data, default=default)
    rid = p.relate("word/document.xml", "aFChunk", name)
    p.body(f'<w:altChunk r:id="{rid}"/>')


def altchunk_rtf(p: Package) -> None:
    rtf = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}{\info{\author Clerk}}"
           r"\f0 Letter from H\'65lena Okonj\'6f about the repairs.\par }")
    _alt_chunk(p, "afchunk.rtf", rtf.encode("ascii"), ("rtf", "application/rtf"))


def altchunk_mht(p: Package) -> None:
    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b1\"\r\n\r\n--b1\r\n"
           "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
           "<html><body><p>Visit by Hel=\r\nena Okon=6Ao on Monday.</p></body></html>\r\n--b1--\r\n")
    _alt_chunk(p, "afchunk.mht", mht.encode("ascii"), ("mht", "message/rfc822"))


def altchunk_utf16_html(p: Package) -> None:
    page = f"<!DOCTYPE html>\n<html><head><title>{NAME}</title></head><body><p>Note: {NAME} phoned the housing office.</p></body></html>"
    _alt_chunk(p, "afchunk.htm", page.encode("utf-16-le"), ("htm", "text/html"))


def altchunk_docx(p: Package) -> None:
    inner = docx.Document()
    inner.add_paragraph(f"Minutes: {NAME} attended the panel.")
    inner.core_properties.author = NAME
    buf = io.BytesIO()
    inner.save(buf)
    _alt_chunk(p, "afchunk.docx", buf.getvalue(),
               ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"))


def utf16_header(p: Package) -> None:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    header = (f'<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n<w:hdr {ns}><w:p><w:r>'
              f'<w:t xml:space="preserve">Case of {NAME}</w:t></w:r></w:p></w:hdr>')
    p.add("word/header9.xml", header.encode("utf-16-le"),
          "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml")
    rid = p.relate("word/document.xml", "header", "header9.xml")
    doc = p.parts["word/document.xml"].decode()
    at = doc.rindex("<w:sectPr")
    at = doc.index(">", at) + 1
    p.parts["word/document.xml"] = (doc[:at] + f'<w:headerReference w:type="default" r:id="{rid}"/>'
                                    + doc[at:]).encode()


def mail_merge(p: Package) -> None:
    rid = p.relate("word/settings.xml", "mailMergeSource", f"file:///C:/Users/clerk/{JOINED}%20rent.xlsx",
                   external=True)
    settings = p.parts["word/settings.xml"].decode()
    merge = (f'<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="native"/>'
             f'<w:query w:val="SELECT * FROM `{NAME}$`"/><w:dataSource r:id="{rid}"/></w:mailMerge>')
    at = settings.index("<w:defaultTabStop")
    if "xmlns:r=" not in settings[:settings.index(">", settings.index("<w:settings"))]:
        settings = settings.replace("<w:settings ", '<w:settings xmlns:r="http://schemas.openxmlformats.org/'
                                                    'officeDocument/2006/relationships" ', 1)
        at = settings.index("<w:defaultTabStop")
    p.parts["word/settings.xml"] = (settings[:at] + merge + settings[at:]).encode()


def bookmark(name: str) -> Callable[[Package], None]:
    def build(p: Package) -> None:
        p.body(_para(f'<w:bookmarkStart w:id="41" w:name="{name}"/>' + _run("the letter of 3 May")
                     + '<w:bookmarkEnd w:id="41"/>'))
        p.body(_para(_run("As said in ") + f'<w:fldSimple w:instr=" REF {name} \\h "><w:r><w:t>the letter of 3 May'
                     f'</w:t></w:r></w:fldSimple>' + _run(", see ")
                     + f'<w:hyperlink w:anchor="{name}"><w:r><w:t>the letter</w:t></w:r></w:hyperlink>'))
    return build


def style_named(p: Package) -> None:
    p.style(f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{JOINED}Letter"><w:name w:val="{NAME} '
            f'Letter"/><w:basedOn w:val="Normal"/><w:next w:val="{JOINED}Letter"/><w:rPr><w:b/></w:rPr></w:style>')
    p.body(_para(f'<w:pPr><w:pStyle w:val="{JOINED}Letter"/></w:pPr>' + _run("Dear Sir or Madam,")))


def field_instruction(p: Package) -> None:
    p.body(_para('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 f'<w:r><w:instrText xml:space="preserve"> DOCVARIABLE {JOINED} </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _run("reference")
                 + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))


def content_control(tag: str, alias: str, doc_part: str | None = None) -> Callable[[Package], None]:
    def build(p: Package) -> None:
        placeholder = f'<w:placeholder><w:docPart w:val="{doc_part}"/></w:placeholder>' if doc_part else ""
        p.body(_para(f'<w:sdt><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/><w:id w:val="77"/>'
                     f'{placeholder}</w:sdtPr><w:sdtContent>{_run("Reference 2024/118")}</w:sdtContent></w:sdt>'))
    return build


HIDING_PLACES: dict[str, Callable[[Package], None]] = {
    "chart_workbook": chart_with_workbook,
    "embedded_xlsx": embedded_xlsx_package,
    "ole_bin": ole_bin,
    "png_tEXt": png_text(b"tEXt", b"Author\x00" + NAME.encode("latin-1")),
    "png_zTXt": png_text(b"zTXt", b"Comment\x00\x00" + zlib.compress(f"taken at {NAME}'s flat".encode())),
    "png_iTXt": png_text(b"iTXt", b"Description\x00\x01\x00en\x00\x00" + zlib.compress(NAME.encode())),
    "png_eXIf": png_text(b"eXIf", exif_artist(NAME)[6:]),
    "jpeg_exif_artist": jpeg_meta(0xE1, exif_artist(NAME)),
    "jpeg_comment": jpeg_meta(0xFE, f"Photo by {NAME}".encode()),
    "ruby_text": ruby_text,
    "sym_characters": sym_characters,
    "altchunk_rtf": altchunk_rtf,
    "altchunk_mht_qp": altchunk_mht,
    "altchunk_utf16_html": altchunk_utf16_html,
    "altchunk_docx": altchunk_docx,
    "utf16_header": utf16_header,
    "mail_merge_source": mail_merge,
    "bookmark_camel": bookmark(f"{JOINED}Letter"),
    "bookmark_surname": bookmark("TomasOkonjo"),
    "bookmark_underscore": bookmark("_helena_okonjo_ref"),
    "bookmark_no_separator": bookmark("helenaokonjo"),
    "style_id_and_name": style_named,
    "field_instruction": field_instruction,
    "sdt_tag": content_control(JOINED, "Reference"),
    "sdt_alias": content_control("ref", NAME),
    "docpart_name": content_control("ref", "Reference", f"{JOINED}LetterPart"),
}


def build(place: str, path: Path, body: bool = True) -> Path:
    maker = HIDING_PLACES[place]
    p = Package(body=body, picture=getattr(maker, "picture", None))
    maker(p)
    return p.save(path)


# -- the tests -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory, detector) -> dict[str, tuple[Path, Path, list[str]]]:
    """Every hiding place anonymised: place -> (source, copy, notes)."""
    root = tmp_path_factory.mktemp("hiding")
    out: dict[str, tuple[Path, Path, list[str]]] = {}
    (root / "src").mkdir()
    for place in HIDING_PLACES:
        src = build(place, root / "src" / f"{place}.docx")
        doc = load_document(src)
        case = anonymise_case([doc], detector.detect_many([doc]))
        assert any("Okonjo" in r.original for r in case.report), (place, case.report)
        notes = list(doc.notes)
        copy = write_document(doc, case.replacements[0], root / "out", notes=notes)
        check_written(copy, LeakTerms.from_result(case))   # raises (and deletes) if anything leaked
        out[place] = (src, copy, notes)
    return out


@pytest.mark.parametrize("place", list(HIDING_PLACES))
def test_the_copy_is_written_and_holds_no_trace_of_the_name(copies, place: str) -> None:
    src, copy, _ = copies[place]
    assert traces(src.read_bytes(), NEEDLES), "the source must hide the name for the test to mean anything"
    assert copy.exists()
    assert traces(copy.read_bytes(), NEEDLES) == []


@pytest.mark.parametrize("place", list(HIDING_PLACES))
def test_the_copy_opens_in_python_docx(copies, place: str) -> None:
    _, copy, _ = copies[place]
    document = docx.Document(str(copy))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "council accepted the complaint" in text


@pytest.mark.parametrize("place", list(HIDING_PLACES))
def test_the_leak_scan_finds_the_name_where_it_hides(tmp_path: Path, place: str) -> None:
    """A source holding the name only in the hiding place: the scan must report it there."""
    src = build(place, tmp_path / f"{place}.docx", body=False)
    assert traces(src.read_bytes(), NEEDLES)
    leaks = scan_docx(src, LeakTerms(names=[NAME]))
    assert leaks, place
    assert all("Okonjo" in leak.term for leak in leaks)


def test_what_could_not_be_anonymised_is_said(copies) -> None:
    notes = {place: " | ".join(n) for place, (_, _, n) in copies.items()}
    assert "embedded files removed" in notes["chart_workbook"] and "chart" in notes["chart_workbook"]
    assert "embedded files removed" in notes["ole_bin"]
    assert "image metadata removed" in notes["png_zTXt"] and "image metadata removed" in notes["jpeg_comment"]
    assert "imported content" in notes["altchunk_rtf"]
    assert "identifiers containing a name renamed" in notes["bookmark_camel"]


def test_the_chart_stays_with_its_values_anonymised(copies) -> None:
    _, copy, _ = copies["chart_workbook"]
    with zipfile.ZipFile(copy) as zf:
        names = zf.namelist()
        chart = zf.read("word/charts/chart1.xml").decode()
        rels = zf.read("word/charts/_rels/chart1.xml.rels").decode() \
            if "word/charts/_rels/chart1.xml.rels" in names else ""
    assert not any(n.startswith("word/embeddings/") for n in names)
    assert "externalData" not in chart and "embeddings" not in rels
    assert "<c:v>Mrs X</c:v>" in chart and "<c:v>3</c:v>" in chart


def test_altchunk_text_becomes_anonymised_paragraphs(copies) -> None:
    for place, expected in (("altchunk_rtf", "Letter from Mrs X about the repairs."),
                            ("altchunk_mht_qp", "Visit by Mrs X on Monday."),
                            ("altchunk_utf16_html", "Note: Mrs X phoned the housing office."),
                            ("altchunk_docx", "Minutes: Mrs X attended the panel.")):
        _, copy, _ = copies[place]
        texts = [p.text for p in docx.Document(str(copy)).paragraphs]
        assert expected in texts, (place, texts)
        with zipfile.ZipFile(copy) as zf:
            assert not any(n.startswith("word/afchunk") for n in zf.namelist())
            assert b"altChunk" not in zf.read("word/document.xml")


def test_ruby_and_symbols_are_replaced_in_place(copies) -> None:
    texts = [p.text for p in docx.Document(str(copies["sym_characters"][1])).paragraphs]
    assert "Signed: Mrs X" in texts
    with zipfile.ZipFile(copies["ruby_text"][1]) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "<w:rt>" in xml and "Mrs X" in xml and "the tenant" in xml


def test_renamed_identifiers_keep_their_references(copies) -> None:
    with zipfile.ZipFile(copies["bookmark_camel"][1]) as zf:
        xml = zf.read("word/document.xml").decode()
    assert 'w:name="NameLetter"' in xml and "REF NameLetter" in xml and 'w:anchor="NameLetter"' in xml
    with zipfile.ZipFile(copies["style_id_and_name"][1]) as zf:
        styles, body = zf.read("word/styles.xml").decode(), zf.read("word/document.xml").decode()
    assert 'w:styleId="NameLetter"' in styles and '<w:name w:val="Name Letter"/>' in styles
    assert '<w:next w:val="NameLetter"/>' in styles and '<w:pStyle w:val="NameLetter"/>' in body
    paragraph = next(p for p in docx.Document(str(copies["style_id_and_name"][1])).paragraphs
                     if p.text == "Dear Sir or Madam,")
    assert paragraph.style.name == "Name Letter"


def test_images_keep_their_pixels(copies) -> None:
    for place in ("png_zTXt", "jpeg_exif_artist"):
        src, copy, _ = copies[place]
        with zipfile.ZipFile(src) as a, zipfile.ZipFile(copy) as b:
            media = [n for n in a.namelist() if n.startswith("word/media/")]
            assert media
            for name in media:
                before, after = a.read(name), b.read(name)
                assert after != before and len(after) < len(before)
                if before.startswith(b"\x89PNG"):
                    assert zlib.compress(b"\x00\x80") in after   # the IDAT data, byte for byte
                else:
                    assert after.endswith(b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x3f\xff\xd9")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_every_copy_opens_in_libreoffice(copies, tmp_path: Path) -> None:
    files = [str(copy) for _, copy, _ in copies.values()]
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                          "--convert-to", "txt:Text", "--outdir", str(tmp_path / "txt"), *files],
                         capture_output=True, text=True, timeout=600, env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    for place in copies:
        text = (tmp_path / "txt" / f"{place}.txt").read_text(encoding="utf-8-sig")
        assert "council accepted the complaint" in text and "Okonjo" not in text, place


@pytest.mark.slow
def test_the_command_line_writes_every_copy_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The tester's run from the issue, through ``desk-app anonymise``: every hiding place in one
    folder, each file its own case; exit status 0 now means every copy is written and clean."""
    from desk_app.cli.main import main

    src = tmp_path / "in"
    src.mkdir()
    for place in HIDING_PLACES:
        build(place, src / f"{place}.docx")
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    status = main(["anonymise", str(src), "--out-dir", str(tmp_path / "out"), "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 0, err
    copies = sorted((tmp_path / "out").glob("*.docx"))
    assert [c.stem for c in copies] == sorted(HIDING_PLACES)
    for copy in copies:
        assert traces(copy.read_bytes(), NEEDLES) == [], copy.name
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before   # sources untouched
