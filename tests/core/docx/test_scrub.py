"""Scrub on export: an anonymised .docx keeps its visible text, styles and numbering, and
nothing else a reader of the page cannot see (issue 6, parts 2 and 3).

The documents are built at test time with python-docx and lxml, with a name planted in every
hidden place Word has, then written with ``write_docx`` and read back as a zip.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from desk_app.core.anonymise import anonymise_case
from desk_app.core.compare import compare_files
from desk_app.core.compare.redline import export_redline
from desk_app.core.document import SourceDocument
from desk_app.core.ingest import load_document
from desk_app.core.output.writers import write_document, write_docx
from tests.helpers.ingest_factories import NS, all_xml_bytes, frag, new_document, paragraph_xml, replace_all
from tests.helpers.paths import REPO

W = NS["w"]
REV = 'w:author="Rita Reviser" w:date="2024-03-01T10:00:00Z"'
REPO = REPO
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())

# Strings planted where the scrub must remove them: none may survive in any XML part.
PLANTED = [b"Priya", b"Ramsden", b"Zofia", b"Kowalczyk", b"Rita Reviser", b"Carol Commenter", b"SECRET",
           b"HIDDEN", b"COMMENT", b"DELETED", b"WHOLEPARA", b"pramsden"]
# Markup that must not be left: revisions, comment anchors, bindings, variables.
REMOVED_MARKUP = [b"<w:ins ", b"<w:del ", b"<w:moveFrom", b"<w:moveTo", b"Change ", b"w:comment",
                  b"w:dataBinding", b"w:docVar", b"w:attachedTemplate", b"w:cellIns", b"w:specVanish"]


def _part(doc: docx.document.Document, name: str, content_type: str, xml: str) -> Part:
    return Part(PackURI(name), content_type, (XML_HEAD + xml).encode(), doc.part.package)


def _set_blob(doc: docx.document.Document, name: str, xml: str) -> None:
    part = next(p for p in doc.part.package.iter_parts() if p.partname == name)
    part._blob = (XML_HEAD + xml).encode()


def hidden_places_docx(path: Path) -> None:
    """A case-notes .docx with the client's name in every hidden place, plus formatting to keep."""
    d = new_document()
    heading = d.styles.add_style("CaseHeading", WD_STYLE_TYPE.PARAGRAPH)
    heading.font.bold = True
    secret = d.styles.add_style("SecretNote", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    d.add_paragraph("Case summary", style="CaseHeading")
    visible = d.add_paragraph("Mrs Priya Ramsden complained.")
    d.add_comment(visible.runs[0], text="COMMENT Priya Ramsden phoned twice", author="Carol Commenter",
                  initials="CC")
    # tracked insertion, deletion and formatting change in one paragraph
    paragraph_xml(d, f'<w:r><w:t xml:space="preserve">Start </w:t></w:r>'
                     f'<w:ins w:id="11" {REV}><w:r><w:t>INSERTED note about Priya Ramsden</w:t></w:r></w:ins>'
                     f'<w:del w:id="12" {REV}><w:r><w:delText>DELETED Zofia Kowalczyk</w:delText></w:r></w:del>'
                     f'<w:r><w:rPr><w:b/><w:rPrChange w:id="13" {REV}><w:rPr/></w:rPrChange></w:rPr>'
                     '<w:t xml:space="preserve"> end.</w:t></w:r>')
    # a whole deleted paragraph (its mark deleted too), then a moved one: from here ...
    paragraph_xml(d, f'<w:pPr><w:rPr><w:del w:id="14" {REV}/></w:rPr></w:pPr>'
                     f'<w:del w:id="15" {REV}><w:r><w:delText>WHOLEPARA Zofia Kowalczyk</w:delText></w:r></w:del>')
    paragraph_xml(d, f'<w:pPr><w:rPr><w:moveFrom w:id="16" {REV}/></w:rPr></w:pPr>'
                     f'<w:moveFromRangeStart w:id="17" w:name="move1" {REV}/>'
                     f'<w:moveFrom w:id="18" {REV}><w:r><w:t>MOVED sentence about Mrs X.</w:t></w:r></w:moveFrom>'
                     '<w:moveFromRangeEnd w:id="17"/>')
    # hidden runs: direct vanish, specVanish, a hidden character style; and vanish switched off
    paragraph_xml(d, '<w:r><w:t xml:space="preserve">Visible </w:t></w:r>'
                     '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">HIDDEN Priya Ramsden </w:t></w:r>'
                     '<w:r><w:rPr><w:specVanish/></w:rPr><w:t xml:space="preserve">SPECHIDDEN </w:t></w:r>'
                     '<w:r><w:rPr><w:rStyle w:val="SecretNote"/></w:rPr><w:t xml:space="preserve">STYLEHIDDEN '
                     'Priya </w:t></w:r>'
                     '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>SHOWN text.</w:t></w:r>')
    # a numbered list (direct numbering), the moved paragraph's new place, a bound content control
    for item in ("First point", "Second point"):
        paragraph_xml(d, '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                         f'<w:r><w:t>{item}</w:t></w:r>')
    paragraph_xml(d, f'<w:pPr><w:rPr><w:ins w:id="19" {REV}/></w:rPr></w:pPr>'
                     f'<w:moveToRangeStart w:id="20" w:name="move1" {REV}/>'
                     f'<w:moveTo w:id="21" {REV}><w:r><w:t>MOVED sentence about Mrs X.</w:t></w:r></w:moveTo>'
                     '<w:moveToRangeEnd w:id="20"/>')
    paragraph_xml(d, '<w:sdt><w:sdtPr><w:alias w:val="Client"/><w:dataBinding w:xpath="/client[1]" '
                     'w:storeItemID="{5E2B3C4D-1111-2222-3333-444455556666}"/></w:sdtPr><w:sdtContent><w:r>'
                     '<w:t>BOUND Priya Ramsden</w:t></w:r></w:sdtContent></w:sdt>')
    # a table with a deleted row and an inserted cell
    table = d.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "ROWKEPT"
    table.cell(1, 0).text = "ROWDELETED Priya Ramsden"
    table.rows[1]._tr.get_or_add_trPr().append(frag(f'<w:del w:id="22" {REV}/>')[0])
    table.cell(0, 0)._tc.get_or_add_tcPr().append(frag(f'<w:cellIns w:id="23" {REV}/>')[0])
    d.add_paragraph("Closing paragraph.")

    # document properties
    props = d.core_properties
    props.author, props.last_modified_by = "Priya Ramsden", "Rita Reviser"
    props.title, props.keywords = "Complaint of Priya Ramsden", "KEYWORDSECRET"
    props.comments, props.subject, props.category = "DESCRIPTIONSECRET", "SUBJECTSECRET", "CATEGORYSECRET"
    ep = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    _set_blob(d, "/docProps/app.xml",
              f'<Properties xmlns="{ep}" xmlns:vt="{vt}"><Template>C:\\Users\\pramsden\\Case.dotm</Template>'
              '<TotalTime>3</TotalTime><Application>Microsoft Office Word</Application>'
              '<Company>Harrowfield COMPANYSECRET</Company><Manager>MANAGERSECRET</Manager>'
              '<HyperlinkBase>file:///C:/Users/pramsden/</HyperlinkBase>'
              '<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Complaint of Priya Ramsden</vt:lpstr>'
              '</vt:vector></TitlesOfParts><AppVersion>16.0000</AppVersion></Properties>')
    package = d.part.package
    cp = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    package.relate_to(_part(
        d, "/docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        f'<Properties xmlns="{cp}" xmlns:vt="{vt}"><property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" '
        'pid="2" name="Client"><vt:lpwstr>CUSTOMPROPSECRET Priya Ramsden</vt:lpwstr></property></Properties>'),
        RT.CUSTOM_PROPERTIES)

    # custom XML data (the bound control's store), with its item properties
    item = _part(d, "/customXml/item2.xml", "application/xml", "<client>CUSTOMXMLSECRET Priya Ramsden</client>")
    d.part.relate_to(item, RT.CUSTOM_XML)
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    item.relate_to(_part(d, "/customXml/itemProps2.xml",
                         "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                         f'<ds:datastoreItem ds:itemID="{{5E2B3C4D-1111-2222-3333-444455556666}}" '
                         f'xmlns:ds="{ds}"/>'), RT.CUSTOM_XML_PROPS)

    # comment extras Word writes: replies/state and the people who commented or revised
    w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
    d.part.relate_to(_part(
        d, "/word/commentsExtended.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml."
        "commentsExtended+xml", f'<w15:commentsEx xmlns:w15="{w15}"><w15:commentEx w15:paraId="1A2B3C4D" '
        'w15:done="0"/></w15:commentsEx>'), "http://schemas.microsoft.com/office/2011/relationships/commentsExtended")
    d.part.relate_to(_part(
        d, "/word/people.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
        f'<w15:people xmlns:w15="{w15}"><w15:person w15:author="Carol Commenter"><w15:presenceInfo '
        'w15:providerId="AD" w15:userId="carol@harrowfield.example"/></w15:person>'
        '<w15:person w15:author="Rita Reviser"/></w15:people>'),
        "http://schemas.microsoft.com/office/2011/relationships/people")

    # building blocks, with a part of their own
    glossary = _part(d, "/word/glossary/document.xml",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml",
                     f'<w:glossaryDocument {DECLS}><w:docParts><w:docPart><w:docPartPr><w:name w:val="Sig"/>'
                     '<w:category><w:name w:val="General"/><w:gallery w:val="placeholder"/></w:category>'
                     '</w:docPartPr><w:docPartBody><w:p><w:r><w:t>GLOSSARYSECRET Priya Ramsden</w:t></w:r></w:p>'
                     '</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>')
    d.part.relate_to(glossary, RT.GLOSSARY_DOCUMENT)
    glossary.relate_to(_part(d, "/word/glossary/styles.xml",
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
                             f'<w:styles {DECLS}/>'), RT.STYLES)

    # document variables and the attached template, in settings
    settings_part = d.part._settings_part
    settings = settings_part.element
    template_id = settings_part.relate_to("file:///C:/Users/pramsden/Templates/Case.dotm",
                                            "http://schemas.openxmlformats.org/officeDocument/2006/"
                                            "relationships/attachedTemplate", is_external=True)
    settings.insert(0, frag(f'<w:attachedTemplate r:id="{template_id}"/>')[0])
    settings.append(frag('<w:docVars><w:docVar w:name="Client" w:val="DOCVARSECRET Priya Ramsden"/>'
                         '<w:docVar w:name="Ref" w:val="24 011 873"/></w:docVars>')[0])
    d.save(path)


NAMES = {"Mrs Priya Ramsden": "Mrs X", "Priya Ramsden": "Mrs X", "Priya": "Mrs X"}


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _package_problems(path: Path) -> list[str]:
    """Overrides for missing parts and internal relationships whose target is missing."""
    parts = _members(path)
    names = {n.lower() for n in parts}
    problems = []
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in types.iter("{*}Override"):
        if unquote(override.get("PartName", "")).lstrip("/").lower() not in names:
            problems.append(f"override for missing {override.get('PartName')}")
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for rel in etree.fromstring(data).iter("{*}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            if unquote(resolved).lower() not in names:
                problems.append(f"{name}: {rel.get('Type')} -> missing {target}")
    return problems


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, Path, SourceDocument, list[str]]:
    src = tmp_path / "in" / "hidden.docx"
    src.parent.mkdir()
    hidden_places_docx(src)
    doc = load_document(src)
    notes: list[str] = []
    out = write_document(doc, replace_all(doc, NAMES), tmp_path / "out", notes=notes)
    return src, out, doc, notes


def test_nothing_planted_survives_in_any_part(written) -> None:
    src, out, _, _ = written
    source_parts = all_xml_bytes(src)
    # the fixture really plants everything (else the check below proves nothing)
    for planted in PLANTED + REMOVED_MARKUP:
        assert any(planted in data for data in source_parts.values()), planted
    parts = all_xml_bytes(out)
    for planted in PLANTED + REMOVED_MARKUP:
        hits = [name for name, data in parts.items() if planted in data]
        assert hits == [], (planted, hits)
    names = set(_members(out))
    gone = {"word/comments.xml", "word/commentsExtended.xml", "word/people.xml", "docProps/custom.xml",
            "docProps/thumbnail.jpeg", "word/glossary/document.xml", "word/glossary/styles.xml",
            "word/glossary/_rels/document.xml.rels", "customXml/item1.xml", "customXml/item2.xml",
            "customXml/itemProps1.xml", "customXml/itemProps2.xml", "customXml/_rels/item2.xml.rels"}
    assert gone <= set(_members(src))
    assert names & gone == set()


def test_visible_text_styles_and_numbering_are_kept(written) -> None:
    src, out, doc, _ = written
    source, copy = _members(src), _members(out)
    assert copy["word/styles.xml"] == source["word/styles.xml"]
    assert copy["word/numbering.xml"] == source["word/numbering.xml"]
    body = copy["word/document.xml"].decode()
    # insertions are now ordinary runs, in place; the moved sentence is there once, at its new place
    assert re.search(r"<w:t xml:space=\"preserve\">Start </w:t></w:r><w:r><w:t>INSERTED note about Mrs X</w:t>",
                     body)
    assert body.count("MOVED sentence about Mrs X.") == 1
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["Case summary", "Mrs X complained.", "Start INSERTED note about Mrs X end.",
                         "Visible SHOWN text."]
    assert texts[4:7] == ["First point", "Second point", "MOVED sentence about Mrs X."]
    assert texts[-1] == "Closing paragraph."
    assert document.paragraphs[0].style.name == "CaseHeading"
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert [p.text for p in numbered] == ["First point", "Second point"]
    assert all(p._p.pPr.numPr.numId.val == 1 for p in numbered)
    assert [c.text for row in document.tables[0].rows for c in row.cells] == ["ROWKEPT"]
    assert document.paragraphs[2].runs[-1].bold  # the tracked bold stays bold
    # reading the copy back: the visible text is the source's, anonymised, minus what was hidden
    again = load_document(out)
    assert "BOUND Mrs X" in again.text and "SHOWN text." in again.text
    assert "comment" not in {p.part for p in again.paragraphs}
    assert [n for n in again.notes if "read and anonymised" in n] == []


def test_package_stays_valid_and_source_is_untouched(tmp_path: Path) -> None:
    src = tmp_path / "hidden.docx"
    hidden_places_docx(src)
    before = _sha(src)
    doc = load_document(src)
    assert _package_problems(src) == []
    out = tmp_path / "copy.docx"
    write_docx(doc, replace_all(doc, NAMES), out)
    assert _sha(src) == before
    assert _package_problems(out) == []
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        types = zf.read("[Content_Types].xml")
        rels = zf.read("_rels/.rels") + zf.read("word/_rels/document.xml.rels")
    for gone in (b"comments", b"people", b"custom.xml", b"glossary", b"customXml", b"thumbnail"):
        assert gone not in types + rels, gone
    docx.Document(str(out))  # python-docx opens it


def test_notes_name_each_scrub_action(written) -> None:
    _, _, _, notes = written
    assert "1 comment removed" in notes
    assert "tracked insertions accepted (2)" in notes
    assert "tracked deletions removed (3)" in notes  # the deleted text, the deleted paragraph, the move's source
    assert "tracked paragraph-mark deletions accepted (2): 2 empty paragraphs removed" in notes
    assert "deleted table rows removed (1)" in notes
    assert "tracked formatting changes accepted (1)" in notes
    assert "3 hidden runs removed" in notes
    assert "content-control data bindings removed (1)" in notes
    props = next(n for n in notes if n.startswith("document properties cleared: "))
    assert props.removeprefix("document properties cleared: ").split(", ") == [
        "title", "subject", "author", "keywords", "comments", "last modified by", "category",
        "template", "company", "manager", "hyperlink base", "titles of parts"]
    assert "document variables removed (2)" in notes
    assert "attached template path removed" in notes
    assert "list of people who commented or revised removed" in notes
    assert "custom XML removed (4 parts)" in notes
    assert "custom document properties removed (1)" in notes
    assert "thumbnail (a picture of page one) removed" in notes
    assert "building blocks (glossary document) removed" in notes
    assert len(notes) == 16, notes


def test_reader_says_what_the_source_hides(tmp_path: Path) -> None:
    src = tmp_path / "hidden.docx"
    hidden_places_docx(src)
    doc = load_document(src)
    # hidden, inserted and commented text is read (so it is detected and replaced) ...
    for text in ("HIDDEN Priya Ramsden", "SPECHIDDEN", "STYLEHIDDEN Priya", "INSERTED note about Priya Ramsden",
                 "COMMENT Priya Ramsden phoned twice", "ROWDELETED Priya Ramsden"):
        assert text in doc.text, text
    assert "Zofia" not in doc.text  # ... deleted text is not
    assert "1 comment: read and anonymised, then removed from the output" in doc.notes
    assert "3 hidden runs of text: read and anonymised, then removed from the output" in doc.notes
    assert ("2 tracked insertions: read and anonymised, then accepted in the output (kept as ordinary text)"
            in doc.notes)
    assert "3 tracked deletion(s) are not anonymised but are removed from the output" in doc.notes
    assert "1 deleted table row (tracked): read and anonymised, then removed from the output" in doc.notes
    assert any(n.startswith("the document contains building blocks") for n in doc.notes)
    assert any(n.startswith("some content controls are bound to custom XML") for n in doc.notes)


def test_plain_document_loses_only_template_leftovers(tmp_path: Path) -> None:
    d = new_document()
    d.add_paragraph("Mrs Priya Ramsden complained.")
    src = tmp_path / "plain.docx"
    d.save(src)
    # python-docx's template carries a thumbnail, a custom XML item, and properties naming python-docx
    base = {"docProps/thumbnail.jpeg", "customXml/item1.xml", "customXml/itemProps1.xml",
            "customXml/_rels/item1.xml.rels"}
    doc = load_document(src)
    notes: list[str] = []
    out = tmp_path / "out.docx"
    write_docx(doc, replace_all(doc, NAMES), out, notes)
    assert notes == ["document properties cleared: author, comments, template", "custom XML removed (2 parts)",
                     "thumbnail (a picture of page one) removed"]
    assert set(_members(src)) - set(_members(out)) == base
    source, copy = _members(src), _members(out)
    for kept in ("word/styles.xml", "word/numbering.xml", "word/fontTable.xml", "word/theme/theme1.xml",
                 "word/settings.xml", "word/webSettings.xml"):
        assert copy[kept] == source[kept], kept  # nothing personal in them, so not rewritten


def test_deleted_paragraph_mark_with_text_left_is_kept_apart(tmp_path: Path) -> None:
    d = new_document()
    paragraph_xml(d, f'<w:pPr><w:rPr><w:del w:id="1" {REV}/></w:rPr></w:pPr><w:bookmarkStart w:id="0" '
                     f'w:name="keep"/><w:r><w:t>Kept text</w:t></w:r><w:del w:id="2" {REV}><w:r><w:delText>'
                     'gone</w:delText></w:r></w:del><w:bookmarkEnd w:id="0"/>')
    paragraph_xml(d, f'<w:pPr><w:rPr><w:del w:id="3" {REV}/></w:rPr></w:pPr><w:bookmarkStart w:id="5" '
                     f'w:name="moved"/><w:del w:id="4" {REV}><w:r><w:delText>all gone</w:delText></w:r></w:del>'
                     '<w:bookmarkEnd w:id="5"/>')
    d.add_paragraph("Next paragraph")
    src = tmp_path / "marks.docx"
    d.save(src)
    notes: list[str] = []
    out = tmp_path / "out.docx"
    write_docx(load_document(src), [], out, notes)
    assert ("tracked paragraph-mark deletions accepted (2): 1 empty paragraph removed; 1 paragraph kept apart "
            "rather than joined to the next") in notes
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs] == ["Kept text", "Next paragraph"]
    # the emptied paragraph's bookmark moved on to the next paragraph rather than being lost
    last = document.paragraphs[1]._p
    assert [etree.QName(c).localname for c in last][:3] == ["bookmarkStart", "bookmarkEnd", "r"]


def test_hidden_field_runs_keep_the_field_whole(tmp_path: Path) -> None:
    """Word formats index entries ({ XE "..." }) as hidden text; their field characters stay."""
    d = new_document()
    hidden = "<w:rPr><w:vanish/></w:rPr>"
    paragraph_xml(d, f'<w:r><w:t xml:space="preserve">Entry </w:t></w:r><w:r>{hidden}<w:fldChar '
                     f'w:fldCharType="begin"/></w:r><w:r>{hidden}<w:instrText xml:space="preserve"> XE "Index" '
                     f'</w:instrText></w:r><w:r>{hidden}<w:fldChar w:fldCharType="end"/></w:r>'
                     f'<w:r><w:rPr><w:vanish/></w:rPr><w:t>note to self</w:t></w:r>')
    src = tmp_path / "xe.docx"
    d.save(src)
    notes: list[str] = []
    out = tmp_path / "out.docx"
    write_docx(load_document(src), [], out, notes)
    body = all_xml_bytes(out)["word/document.xml"].decode()
    assert body.count("w:fldChar ") == 2 and "XE" in body and "note to self" not in body
    assert notes[0] == "1 hidden run removed"


def test_hidden_by_paragraph_style_unless_the_run_says_otherwise(tmp_path: Path) -> None:
    d = new_document()
    style = d.styles.add_style("DraftingNote", WD_STYLE_TYPE.PARAGRAPH)
    style.font.hidden = True
    note = d.add_paragraph("Drafting note: ask Priya. ", style="DraftingNote")
    note.add_run("Shown anyway.").font.hidden = False
    d.add_paragraph("Body text.")
    src = tmp_path / "styled.docx"
    d.save(src)
    doc = load_document(src)
    assert "1 hidden run of text: read and anonymised, then removed from the output" in doc.notes
    out = tmp_path / "out.docx"
    write_docx(doc, [], out)
    assert [p.text for p in docx.Document(str(out)).paragraphs] == ["Shown anyway.", "Body text."]


@pytest.mark.slow
def test_names_only_in_hidden_places_are_detected(tmp_path: Path, detector) -> None:
    """With the real pipeline: a name that only a hidden run or a comment holds is still replaced."""
    d = new_document()
    first = d.add_paragraph("Mrs Priya Ramsden complained about the Council's handling of her case.")
    paragraph_xml(d, '<w:r><w:t xml:space="preserve">She was visited twice. </w:t></w:r>'
                     '<w:r><w:rPr><w:vanish/></w:rPr><w:t>Her neighbour, Mr Tobias Whitcombe, was present.</w:t>'
                     '</w:r>')
    d.add_comment(first.runs[0], text="Check with Mr Desmond Achterberg before replying.", author="I",
                  initials="I")
    src = tmp_path / "case.docx"
    d.save(src)
    doc = load_document(src)
    result = anonymise_case([doc], detector.detect_many([doc]))
    originals = {row.original for row in result.report}
    assert {"Tobias Whitcombe", "Desmond Achterberg"} <= {o.removeprefix("Mr ") for o in originals}
    out = tmp_path / "out" / "case.docx"
    out.parent.mkdir()
    write_docx(doc, result.replacements[0], out)
    parts = all_xml_bytes(out)
    for name in (b"Priya", b"Ramsden", b"Tobias", b"Whitcombe", b"Desmond", b"Achterberg"):
        assert [n for n, data in parts.items() if name in data] == [], name


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_scrubbed_copy(tmp_path: Path) -> None:
    src = tmp_path / "hidden.docx"
    hidden_places_docx(src)
    doc = load_document(src)
    out_dir = tmp_path / "copies"
    out_dir.mkdir()
    write_docx(doc, replace_all(doc, NAMES), out_dir / "hidden.docx")
    sample = REPO / "resources" / "sample_case" / "council-response.docx"
    write_docx(load_document(sample), [], out_dir / "sample.docx")
    # a Word redline with real tracked changes (insertions, deletions, moves) from compare
    drafts = REPO / "resources" / "sample_compare"
    export_redline(compare_files(drafts / "draft-v1.txt", drafts / "draft-v2.txt"), tmp_path / "redline.docx")
    write_docx(load_document(tmp_path / "redline.docx"), [], out_dir / "redline.docx")
    txt_dir = tmp_path / "txt"
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                          "--convert-to", "txt:Text", "--outdir", str(txt_dir),
                          *(str(out_dir / name) for name in ("hidden.docx", "sample.docx", "redline.docx"))],
                         capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    text = (txt_dir / "hidden.txt").read_text(encoding="utf-8-sig")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "Mrs X complained." in lines and "Start INSERTED note about Mrs X end." in lines
    assert "Visible SHOWN text." in lines and "BOUND Mrs X" in lines and "ROWKEPT" in lines
    assert any(line.endswith("First point") and line != "First point" for line in lines)  # numbered
    assert text.count("MOVED sentence") == 1
    for gone in ("HIDDEN", "ROWDELETED", "Zofia", "COMMENT", "Priya"):
        assert gone not in text, gone
    sample_text = (txt_dir / "sample.txt").read_text(encoding="utf-8-sig")
    assert "complaint made by Mrs Ramsden" in sample_text  # no replacements asked for: the body is intact
    assert "Check Mr Ramsden's account" not in sample_text  # the sample's comment is gone
    assert docx.Document(str(out_dir / "sample.docx")).paragraphs
    # every change accepted: LibreOffice shows exactly the revised draft (after the redline's intro line)
    shown = (txt_dir / "redline.txt").read_text(encoding="utf-8-sig").splitlines()[1:]
    revised = (drafts / "draft-v2.txt").read_text(encoding="utf-8").splitlines()
    assert [line.strip() for line in shown if line.strip()] == [line.strip() for line in revised if line.strip()]
