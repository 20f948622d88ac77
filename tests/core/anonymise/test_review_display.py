"""Display metadata read from real Word files (no Qt): the part each paragraph is in, its
table cell, its list number as Word prints it; the text detection sees is unchanged.
And the decision's Word export keeps a list's lead-in ("I have:") with its list."""

from __future__ import annotations

import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from desk_app.core.decision.docx_export import export_docx
from desk_app.core.decision.model import load_decision
from desk_app.core.docx.layout import format_number
from desk_app.core.ingest import load_document
from tests.helpers.paths import TESTS

DECISIONS = TESTS / "data" / "decisions"


def numbered(paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def test_list_numbers_cells_and_parts_are_read_without_touching_the_text(tmp_path):
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Header line"
    d.sections[0].footer.paragraphs[0].text = "Footer line"
    d.add_paragraph("Intro")
    for text in ("first", "second"):
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("point", style="List Bullet")
    outer = d.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "a"
    outer.cell(0, 1).text = "b"
    outer.cell(1, 1).text = "d"
    inner = outer.cell(1, 0).add_table(rows=1, cols=2)   # a table nested in a cell stays in that cell
    inner.cell(0, 1).text = "nested"
    d.add_paragraph("after")
    path = tmp_path / "laid-out.docx"
    d.save(str(path))

    doc = load_document(path)
    by_text = {p.text: p for p in doc.paragraphs}
    assert (by_text["first"].number, by_text["second"].number) == ("1.", "2.")
    assert by_text["point"].number == "•"
    assert by_text["Intro"].number == "" and by_text["after"].cell is None
    assert by_text["a"].cell == (0, 0, 0) and by_text["b"].cell == (0, 0, 1) and by_text["d"].cell == (0, 1, 1)
    assert by_text["nested"].cell == (0, 1, 0)
    assert (by_text["Header line"].place, by_text["Footer line"].place) == ("Header", "Footer")
    assert by_text["Header line"].block != by_text["Footer line"].block != by_text["Intro"].block
    assert by_text["Intro"].place == ""
    # display only: the text is the paragraphs joined, as before, with no number in it
    assert doc.text == "\n".join(p.text for p in doc.paragraphs)
    assert "1." not in doc.text and "•" not in doc.text


def test_nested_levels_formats_and_footnotes_are_numbered_as_word_prints_them(tmp_path):
    d = docx.Document()
    d.add_paragraph("x", style="List Number")   # makes sure the template's numbering part is used
    path = tmp_path / "levels.docx"
    d.save(str(path))
    d = docx.Document(str(path))
    numbering = d.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for level, (fmt, text, start) in enumerate((("decimal", "%1.", 4), ("lowerLetter", "(%2)", 1),
                                                ("lowerRoman", "%1.%2.%3", 1))):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", str(start)), ("w:numFmt", fmt), ("w:lvlText", text)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            lvl.append(el)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    for text, level in (("four", 0), ("a", 1), ("b", 1), ("roman", 2), ("five", 0), ("a again", 1)):
        numbered(d.add_paragraph(text), 90, level)
    d.save(str(path))
    # a footnote, added to the package as Word writes one
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {w}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Note text</w:t></w:r></w:p></w:footnote></w:footnotes>').encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'footnotes" Target="footnotes.xml"/></Relationships>')).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.footnotes+xml"/></Types>')).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)

    doc = load_document(path)
    numbers = {p.text: p.number for p in doc.paragraphs}
    assert [numbers[t] for t in ("four", "a", "b", "roman", "five", "a again")] == \
        ["4.", "(a)", "(b)", "4.b.i", "5.", "(a)"]   # each level in its own format, as Word
    note = next(p for p in doc.paragraphs if p.text == "Note text")
    assert note.place == "Footnote 1" and note.part == "footnote"
    assert [format_number(n, f) for n, f in ((27, "lowerLetter"), (14, "upperRoman"), (3, "decimalZero"))] == \
        ["aa", "XIV", "03"]


def test_a_lead_in_is_kept_with_its_list_in_the_word_decision(tmp_path):
    decision = load_decision(DECISIONS / "seed-23-005-338.decision.json")
    out = tmp_path / "decision.docx"
    export_docx(decision, out)
    paragraphs = docx.Document(str(out)).paragraphs
    lead = next(i for i, p in enumerate(paragraphs) if p.text.endswith("I have:"))
    assert paragraphs[lead].paragraph_format.keep_with_next is True   # never stranded at a page foot
    assert paragraphs[lead + 1].text.startswith("considered the complaint")
    ordinary = [p for p in paragraphs if p.style.name == paragraphs[lead].style.name and not p.text.endswith(":")]
    assert ordinary and not any(p.paragraph_format.keep_with_next for p in ordinary)   # only lead-ins
