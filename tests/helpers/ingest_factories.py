"""Build real .docx and .pdf files at test time for the ingest and writer tests.

python-docx makes the package (styles, settings, content types); lxml adds what it has no
API for: tracked changes, wrappers, text boxes with both copies, footnotes, endnotes.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from desk_app.core.document import Replacement, SourceDocument

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
_DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


def frag(xml: str) -> list[etree._Element]:
    """Parse WordprocessingML fragment(s) written with the usual prefixes."""
    root = etree.fromstring(f"<w:wrap {_DECLS}>{xml}</w:wrap>")
    return list(root)


def new_document() -> docx.document.Document:
    return docx.Document()


def paragraph_xml(doc: docx.document.Document, inner: str) -> None:
    """Append a w:p whose content is ``inner`` (runs, wrappers...)."""
    p = doc.add_paragraph()
    for el in frag(inner):
        p._p.append(el)


def textbox_run(choice_text: str, fallback_text: str | None = None) -> str:
    """A run holding a text box stored the way Word stores it: DrawingML choice + VML fallback."""
    fallback_text = choice_text if fallback_text is None else fallback_text
    return f"""
<w:r><mc:AlternateContent>
 <mc:Choice Requires="wps"><w:drawing>
  <wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1"
    behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
   <wp:simplePos x="0" y="0"/>
   <wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
   <wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
   <wp:extent cx="2743200" cy="914400"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
   <wp:wrapSquare wrapText="bothSides"/><wp:docPr id="10" name="Text Box 1"/><wp:cNvGraphicFramePr/>
   <a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
    <wps:wsp><wps:cNvSpPr txBox="1"/>
     <wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="914400"/></a:xfrm>
      <a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>
     <wps:txbx><w:txbxContent><w:p><w:r><w:t xml:space="preserve">{choice_text}</w:t></w:r></w:p>
     </w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>
   </a:graphicData></a:graphic>
  </wp:anchor></w:drawing></mc:Choice>
 <mc:Fallback><w:pict><v:shape id="Text Box 1" o:spid="_x0000_s1026" type="#_x0000_t202"
    style="position:absolute;width:216pt;height:72pt"><v:textbox><w:txbxContent>
    <w:p><w:r><w:t xml:space="preserve">{fallback_text}</w:t></w:r></w:p>
 </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>"""


def _notes_part(doc: docx.document.Document, kind: str, texts: list[str]) -> None:
    """Add footnotes.xml or endnotes.xml (python-docx has no API) with Word's separators."""
    tag = kind[:-1]  # footnote / endnote
    notes = "".join(
        f'<w:{tag} w:id="{i}"><w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p></w:{tag}>'
        for i, t in enumerate(texts, start=1)
    )
    blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind} {_DECLS}>'
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{tag}>{notes}</w:{kind}>"
    ).encode()
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, blob, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES)
    p = doc.add_paragraph("See note")
    for i in range(1, len(texts) + 1):
        p._p.append(frag(f'<w:r><w:{tag}Reference w:id="{i}"/></w:r>')[0])


def add_footnotes(doc: docx.document.Document, texts: list[str]) -> None:
    _notes_part(doc, "footnotes", texts)


def add_endnotes(doc: docx.document.Document, texts: list[str]) -> None:
    _notes_part(doc, "endnotes", texts)


def add_hyperlink(doc: docx.document.Document, url: str, text: str, before: str = "") -> None:
    r_id = doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph_xml(doc, f'<w:r><w:t xml:space="preserve">{before}</w:t></w:r>'
                       f'<w:hyperlink r:id="{r_id}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>')


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, so python-docx can insert a picture (with alt text)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
            + chunk(b"IEND", b""))


def all_xml_bytes(path: Path) -> dict[str, bytes]:
    """Every XML part (and .rels) of a package, raw."""
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.endswith((".xml", ".rels"))}


def rich_docx(path: Path) -> None:
    """A document with text in every hiding place the reader must cover."""
    d = new_document()
    d.sections[0].header.paragraphs[0].text = "HEADER Mrs Priya Ramsden"
    d.sections[0].footer.paragraphs[0].text = "FOOTER page"
    p = d.add_paragraph()
    bold = p.add_run("Che")
    bold.bold = True
    p.add_run("ryl Dunn called.")
    paragraph_xml(d, '<w:r><w:t xml:space="preserve">INS Mrs </w:t></w:r>'
                     '<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:t>Ramsden</w:t>'
                     '</w:r></w:ins><w:del w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
                     '<w:delText>Oldname</w:delText></w:r></w:del>'
                     '<w:r><w:t xml:space="preserve"> agreed</w:t></w:r>')
    paragraph_xml(d, textbox_run("TEXTBOX Priya"))
    paragraph_xml(d, '<w:sdt><w:sdtPr><w:alias w:val="Name"/></w:sdtPr><w:sdtContent><w:r><w:t>SDT Priya'
                     '</w:t></w:r></w:sdtContent></w:sdt><w:smartTag w:uri="u" w:element="place"><w:r><w:t '
                     'xml:space="preserve"> SMART Leeds</w:t></w:r></w:smartTag><w:customXml w:element="c">'
                     '<w:r><w:t xml:space="preserve"> CXML Oliver</w:t></w:r></w:customXml>')
    paragraph_xml(d, '<w:fldSimple w:instr=" MERGEFIELD Client "><w:r><w:t>FLD Daniel</w:t></w:r>'
                     '</w:fldSimple><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                     ' REF secret </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                     '<w:r><w:t xml:space="preserve"> RESULT</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
                     '</w:r>')
    paragraph_xml(d, '<w:r><w:t>TAB</w:t><w:tab/><w:t>x</w:t><w:br/><w:t>y</w:t><w:noBreakHyphen/>'
                     '<w:t>z</w:t></w:r>')
    add_hyperlink(d, "https://example.com/case", "LINK Karen", before="See ")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "CELL Anil"
    table.cell(0, 1).add_table(rows=1, cols=1).cell(0, 0).text = "NESTED Mehta"
    d.add_comment(d.paragraphs[0].runs[0], text="COMMENT about Daniel", author="Investigator", initials="I")
    add_footnotes(d, ["FOOTNOTE Karen Holloway"])
    add_endnotes(d, ["ENDNOTE 07700 900123"])
    d.save(path)


# -- PDF ---------------------------------------------------------------------------------

def _pdf_string(text: str) -> bytes:
    out = bytearray(b"(")
    for byte in text.encode("cp1252"):
        ch = bytes([byte])
        if ch in b"()\\":
            out += b"\\" + ch
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out += ch
    return bytes(out + b")")


def make_pdf(pages: list[list[str]], *, text_layer: bool = True) -> bytes:
    """A minimal valid PDF: one Helvetica line per string, or only a drawn box if no text layer."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        if text_layer:
            body = b"BT /F1 11 Tf 14 TL 72 770 Td " + b" ".join(_pdf_string(s) + b" Tj T*" for s in lines)
            body += b" ET"
        else:
            body = b"0.8 g 72 600 300 150 re f 0 g 72 500 m 372 500 l S"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    return pdf_from_objects(objects)


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of numbered objects (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def replace_all(doc: SourceDocument, mapping: dict[str, str]) -> list[Replacement]:
    """Replacements for every occurrence, longest strings first, as detection would give them."""
    taken: list[Replacement] = []
    for original in sorted(mapping, key=len, reverse=True):
        for m in re.finditer(re.escape(original), doc.text):
            if not any(r.start < m.end() and m.start() < r.end for r in taken):
                taken.append(Replacement(m.start(), m.end(), mapping[original]))
    return taken
