"""Regenerate the invented sample case: case-notes.txt, council-response.docx, complaint-letter.pdf.

Everyone and everything here is invented. The mobile number is in Ofcom's drama range, the
NHS number is in the 999 test range (with a valid mod-11 check digit), the email uses the
reserved example.com domain. The files exercise the places names hide in real case files:
a Word header, a table, a footnote, a comment, a tracked insertion, and a PDF text layer.

Run with the project's virtualenv:  .venv/bin/python resources/sample_case/make_sample_case.py
Output is byte-for-byte reproducible (fixed zip timestamps and document properties).
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

HERE = Path(__file__).resolve().parent
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FIXED_TIME = (2024, 5, 20, 9, 0, 0)


def nhs_number(first_nine: str) -> str:
    """Append the NHS mod-11 check digit (weights 10..2); refuse bases that give 10."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10:
        raise ValueError(f"{first_nine} has no valid NHS check digit")
    digits = first_nine + str(check)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


NHS = nhs_number("999123457")
NINO = "PR 41 72 63 B"
DOB = "14 March 1986"
EMAIL = "priya.ramsden@example.com"
MOBILE = "07700 900123"
POSTCODE = "BD7 4RX"
REF = "24 011 873"

CASE_NOTES = f"""\
Case {REF} - Harrowfield Metropolitan Borough Council - investigator's notes

Complainant: Mrs Priya Ramsden (date of birth {DOB}), 18 Calder Rise, Harrowfield {POSTCODE}.
Contact: {MOBILE} / {EMAIL}. Prefers email; works shifts, calls after 4pm only.

Summary of complaint
Mrs Ramsden complains about the Council's handling of a child and family assessment of her son,
Oliver (aged 9). She says the assessment recorded things she did not say, was shared with the school
before she had seen it, and that the Council took eleven weeks to answer her stage 1 complaint.
She says this caused her and her husband, Mr Daniel Ramsden, a great deal of worry, and that Oliver
became anxious about going to school.

Call with Mrs Ramsden, 3 April 2024
Mrs Ramsden confirmed the timeline in her letter. The assessment was started after a referral from
Oliver's school in November 2023. The allocated social worker was Ms Karen Holloway. Mrs Ramsden
says the social worker visited twice and did not speak to Mr Ramsden at all. She says the
assessment states Oliver "witnessed arguments most evenings", which she disputes. She wants the
record corrected and an apology.

She also said the Council's letter of 9 January quoted her NHS number ({NHS}) and her National
Insurance number ({NINO}) in the heading, and was sent to her old address. She is worried about who
else has seen it.

Health
Oliver is registered at Fernbank Surgery. His GP, Dr Anil Mehta, wrote a short letter in
December 2023 saying there were no concerns about his development. Mrs Ramsden has sent a copy.
The social worker's assessment does not mention the GP's letter.

Council's position (from its stage 2 reply)
The Council accepts the assessment was shared with the school before the family saw it and has
apologised. It says the social worker recorded what was said at the visit, but it has agreed to add
Mrs Ramsden's comments to the file. It accepts the complaint response was late and blames staff
shortages in the complaints team.

Points to check
- Ask the Council for the social worker's case notes for both visits, and the referral record.
- Ask whether the letter of 9 January was a data breach and whether it was reported.
- Check whether the GP's letter was received before the assessment was signed off.
- Consider a remedy for the delay and for the distress to Mrs Ramsden and Mr Ramsden.

Initial view
There appears to be fault in sharing the assessment early and in the delay. I have not yet seen
enough to say whether the record is inaccurate; the notes of the second visit will matter most.
"""

RESPONSE_PARAGRAPHS = [
    f"Our reference: CS/2024/0412. Your reference: {REF}.",
    "Dear Investigator,",
    "Thank you for your enquiry of 10 April 2024 about the complaint made by Mrs Ramsden. "
    "We have reviewed the records of the child and family assessment completed for her son, Oliver.",
    "Ms Holloway, the allocated social worker, visited the family home on 22 November and "
    "6 December 2023. On both occasions she spoke with Mrs Ramsden and with Oliver.",
    "We accept that the assessment was sent to Oliver's school before it was shared with the family. "
    "This should not have happened and we have apologised to Mrs Ramsden. We have reminded staff "
    "that families must see an assessment first unless there is a safeguarding reason not to.",
    "We do not accept that the assessment misrecords what was said. The social worker's notes were "
    "written on the day of each visit. However, we have added Mrs Ramsden's own account to the file "
    "so that anyone reading the record sees both.",
    "We accept that our stage 1 response took eleven weeks, against our target of 20 working days. "
    "This was because of vacancies in the complaints team, which have now been filled.",
    "The chronology is set out below.",
]
CHRONOLOGY = [
    ("Date", "Event"),
    ("14 November 2023", "Referral from Oliver's school received"),
    ("22 November 2023", "First home visit by Ms Holloway"),
    ("6 December 2023", "Second home visit; Mrs Ramsden present"),
    ("9 January 2024", "Assessment signed off and sent to the school"),
    ("27 March 2024", "Stage 1 complaint response sent"),
]
CLOSING = [
    "We hope this is helpful. Please contact the complaints team if you need anything further.",
    "Yours sincerely,",
    "Rebecca Ashworth, Complaints and Information Officer",
]

LETTER = f"""\
18 Calder Rise
Harrowfield
{POSTCODE}

Local Government and Social Care Ombudsman

2 March 2024

Dear Sir or Madam,

Complaint about Harrowfield Metropolitan Borough Council, children's services

My name is Priya Ramsden and I am writing about the way the Council assessed my son, \
Oliver (aged 9), after a referral from his school last November. My date of birth is {DOB} in case you \
need it to find my records.

The social worker, Karen Holloway, came to our house twice. She never asked to speak to my husband, Daniel, \
even though he was at home for the second visit. Her report says Oliver saw arguments "most evenings". That \
is not true and I never said it. The report was sent to Oliver's school before we had even seen it, and his \
teacher mentioned it to him, which upset him badly.

Our GP, Dr Anil Mehta, wrote to the Council to say he had no concerns about Oliver, but his letter is not \
mentioned anywhere in the assessment.

I complained to the Council in December. It took until the end of March to reply, and the reply did not deal \
with most of what I raised. A letter the Council sent in January also had my NHS number ({NHS}) and National \
Insurance number ({NINO}) printed at the top and went to our old address.

I would like the Council to correct the assessment, to apologise properly, and to explain what it will do so \
this does not happen to another family.

You can reach me on {MOBILE} after 4pm, or by email at {EMAIL}.

Yours faithfully,

Priya Ramsden
"""


# -- docx ---------------------------------------------------------------------------------

def _el(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>')[0]


def _add_footnote(document: docx.document.Document, paragraph, text: str) -> None:
    """python-docx has no footnote API: add footnotes.xml with Word's two separators."""
    blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
        "<w:r><w:separator/></w:r></w:p></w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/>'
        "</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(_el('<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                            '<w:footnoteReference w:id="1"/></w:r>'))


def _add_insertion(paragraph, text: str, author: str) -> None:
    paragraph._p.append(_el(
        f'<w:ins w:id="101" w:author="{author}" w:date="2024-04-18T10:12:00Z">'
        f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
    ))


def build_docx() -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.author = "Harrowfield Complaints Team"
    props.last_modified_by = "Harrowfield Complaints Team"
    props.title = "Response to Ombudsman enquiry"
    props.created = props.modified = dt.datetime(2024, 5, 20, 9, 0, 0)
    props.revision = 1

    header = document.sections[0].header.paragraphs[0]
    header.text = f"Harrowfield MBC - Ombudsman case {REF} - Complainant: Mrs Priya Ramsden"

    document.add_heading("Response to the Ombudsman's enquiry", level=1)
    paras = [document.add_paragraph(text) for text in RESPONSE_PARAGRAPHS]
    # paragraph 3 ("Ms Holloway ... visited"): footnote naming her role in full
    _add_footnote(document, paras[3],
                  "Karen Holloway, Senior Social Worker, Harrowfield Children's Services.")
    # paragraph 2: tracked insertion naming the husband (python-docx's .text would miss it)
    _add_insertion(paras[2], " She has also complained on behalf of her husband, Mr Daniel Ramsden.",
                   "Rebecca Ashworth")
    # a comment on the "misrecords" paragraph
    comment = document.add_comment(paras[5].runs[0], text="Check Mr Ramsden's account of the 6 December "
                                   f"visit before replying. Mobile on file: {MOBILE}.",
                                   author="Rebecca Ashworth", initials="RA")
    comment._comment_elm.set(f"{{{W_NS}}}date", "2024-04-18T10:15:00Z")  # python-docx stamps "now"

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for date, event in CHRONOLOGY:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = date, event
    for run in table.rows[0].cells[0].paragraphs[0].runs + table.rows[0].cells[1].paragraphs[0].runs:
        run.bold = True
    for text in CLOSING:
        document.add_paragraph(text)

    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so regenerating gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


# -- pdf ----------------------------------------------------------------------------------

def _pdf_string(text: str) -> bytes:
    out = bytearray(b"(")
    for byte in text.encode("cp1252"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


def build_pdf(text: str) -> bytes:
    """A one-page PDF with a real text layer: Helvetica, WinAnsi, one Tj per line."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, 88) or [""])
    if len(lines) > 52:
        raise ValueError("letter does not fit on one page")
    content = b"BT /F1 10 Tf 14 TL 60 790 Td " + b" ".join(_pdf_string(s) + b" Tj T*" for s in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Complaint letter) /Producer (Decision Desk sample generator) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def main() -> None:
    (HERE / "case-notes.txt").write_bytes(CASE_NOTES.encode("utf-8"))
    (HERE / "council-response.docx").write_bytes(build_docx())
    (HERE / "complaint-letter.pdf").write_bytes(build_pdf(LETTER))
    for name in ("case-notes.txt", "council-response.docx", "complaint-letter.pdf"):
        print(f"wrote {HERE / name} ({(HERE / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
