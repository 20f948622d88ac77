"""The leak scan: written files read back as bytes and searched for the case's original names.

Matching is tested on strings; scanning on real .docx packages built here (python-docx,
then parts added with lxml and zipfile, the way Word stores them), each with a different
name planted in one hiding place so every leak can be traced to its part.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from desk_app.core.errors import OutputError
from desk_app.core.output.leakscan import Leak, LeakError, LeakTerms, check_written, scan_docx, scan_file, scan_text
from desk_app.core.people.mapping import CaseMapping, MappedPerson
from tests.helpers.ingest_factories import add_footnotes, paragraph_xml, textbox_run, tiny_png

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def hits(terms: LeakTerms, text: str) -> list[tuple[str, str]]:
    return [(h.term, text[h.start:h.end]) for h in terms.find(text)]


# -- matching --------------------------------------------------------------------------------

def test_case_and_accents_are_folded():
    terms = LeakTerms(names=["Brândușa Popescu", "Łukasz Wiśniewski"])
    assert hits(terms, "Seen: BRANDUSA POPESCU.") == [("Brândușa Popescu", "BRANDUSA POPESCU")]
    assert hits(terms, "lukasz wisniewski called") == [("Łukasz Wiśniewski", "lukasz wisniewski")]
    assert hits(terms, "Mr WIŚNIEWSKI") == [("Wiśniewski", "WIŚNIEWSKI")]   # the surname of a longer form


def test_whitespace_runs_line_breaks_and_invisible_characters():
    terms = LeakTerms(names=["Cheryl Laffey"])
    for text in ("Cheryl  Laffey", "Cheryl\nLaffey", "Cheryl\u00a0Laffey", "Cheryl \r\n\t Laffey"):
        assert hits(terms, text) == [("Cheryl Laffey", text)], repr(text)
    assert hits(terms, "Laf\u00adfey") == [("Laffey", "Laf\u00adfey")]      # a soft hyphen inside the word
    assert hits(terms, "Laf\u200bfey") == [("Laffey", "Laf\u200bfey")]


def test_whole_words_only_but_plurals_and_possessives_count():
    terms = LeakTerms(names=["Ann", "Cheryl Laffey"])
    assert hits(terms, "The Annual report") == []
    assert hits(terms, "Joanne and Annabel") == []
    assert hits(terms, "Ann’s bag") == [("Ann", "Ann")]
    assert hits(terms, "the Laffeys moved") == [("Laffey", "Laffeys")]
    assert hits(terms, "McLaffey") == []
    assert hits(terms, "cheryl_laffey and laffey.c@example.com") == [("Laffey", "laffey"), ("Laffey", "laffey")]


def test_ordinary_words_in_lower_case_are_not_hits():
    terms = LeakTerms(names=["Will", "Hope", "May", "Rose", "Al"])
    assert hits(terms, "We will look at it; there is hope; you may; a rose; et al.") == []
    assert hits(terms, "Will said HOPE was there with Rose") == [("Will", "Will"), ("Hope", "HOPE"),
                                                                ("Rose", "Rose")]
    assert hits(terms, "write to will.smith@example.com") == [("Will", "will")]   # inside an address it counts
    assert hits(terms, "On 3 May 2023 she called") == []                          # plainly a date
    # a name that is not an ordinary word counts in lower case too
    assert hits(LeakTerms(names=["Laffey"]), "spoke to mrs laffey") == [("Laffey", "laffey")]


def test_places_named_after_a_surname_are_not_hits():
    terms = LeakTerms(names=["Cheryl Laffey", "Peter Green"])
    assert hits(terms, "She moved to Laffey House.") == []
    assert hits(terms, "the Green Belt policy") == []
    assert hits(terms, "Mr Green said") == [("Green", "Green")]


def test_identifiers_match_with_any_spacing():
    terms = LeakTerms(identifiers=["07700 900123", "485 777 3456", "QQ 12 34 56 C", "SW1A 1AA",
                                   "cheryl.laffey@example.com"])
    text = ("call 07700900123 or 07700-900-123; NHS 4857773456; NI QQ123456C; post sw1a1aa; "
            "mailto:Cheryl.Laffey@example.com")
    assert [t for t, _ in hits(terms, text)] == ["07700 900123", "07700 900123", "485 777 3456", "QQ 12 34 56 C",
                                                 "SW1A 1AA", "cheryl.laffey@example.com"]
    assert hits(terms, "ref 1077009001234") == []   # inside a longer number: not the phone number


def test_terms_from_a_mapping_skip_ignored_words_initials_and_single_letters():
    mapping = CaseMapping([MappedPerson(["Cheryl Laffey", "Hope"], "Mrs", "X"),
                           MappedPerson(["D.R.", "J"], "Mr", "B")], ignore=["Hope"])
    terms = LeakTerms.from_mapping(mapping, identifiers=["07700 900123"])
    assert sorted(terms.terms) == ["07700 900123", "Cheryl Laffey", "Laffey"]
    assert hits(terms, "Dr B and Hope Street") == []
    assert [t for t, _ in hits(terms.plus(names=["Hope"]), "Hope said")] == ["Hope"]


def test_terms_from_a_case_result(anonymise_texts):
    result, _ = anonymise_texts("Mrs Cheryl Laffey complained. Her phone is 07700 900123. "
                                "The social worker, Karen Holloway, visited.")
    terms = LeakTerms.from_result(result)
    text = "Laffey called from 07700900123; HOLLOWAY answered."
    assert {t for t, _ in hits(terms, text)} >= {"Laffey", "07700 900123", "Holloway"}
    assert hits(terms, "the social worker visited Mrs X") == []


# -- hand-built Word packages ------------------------------------------------------------------

# one name per hiding place: (term, part it must be reported in, words of 'where')
PLANTED = {
    "Cheryl Laffey": ("word/document.xml", "paragraph"),            # split across runs inside a word
    "Okafor": ("word/header1.xml", "paragraph 1"),
    "Kowalczyk": ("word/footer1.xml", "paragraph 1"),
    "Adeyemi": ("word/footnotes.xml", "paragraph"),
    "Ramsden": ("word/comments.xml", "paragraph"),
    "Holloway": ("word/document.xml", "tracked deletion"),
    "Mehta": ("word/document.xml", "field instruction"),
    "Kajus Tawkeel": ("word/_rels/document.xml.rels", "relationship target"),
    "Zofia Nowak": ("word/document.xml", "attribute descr"),
    "Sunita Bhatt": ("docProps/core.xml", "core property dc:creator"),
    "Ferreira": ("docProps/app.xml", "app property Company"),
    "McGrath": ("docProps/custom.xml", "custom property 'Client'"),
    "Dariusz Wiśniewski": ("customXml/item5.xml", "element"),
    "Oyelaran": ("word/document.xml", "VML copy"),
    "Eilidh Drummond": ("word/glossary/document.xml", "paragraph 1"),
}
CUSTOM_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
              '"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt='
              '"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid='
              '"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Client"><vt:lpwstr>MCGRATH</vt:lpwstr>'
              '</property></Properties>')
GLOSSARY = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:glossaryDocument xmlns:w="{W}">'
            '<w:docParts><w:docPart><w:docPartBody><w:p><w:r><w:t>Signed: Eilidh Drummond</w:t></w:r></w:p>'
            '</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>')


def planted_docx(path: Path) -> Path:
    """A Word package with each PLANTED name in its hiding place, and nothing else personal."""
    d = docx.Document()
    d.core_properties.author = "Sunita Bhatt"
    d.sections[0].header.paragraphs[0].text = "Case notes: Okafor"
    d.sections[0].footer.paragraphs[0].text = "Prepared by Kowalczyk"
    p = d.add_paragraph()
    p.add_run("Notes about Mrs Cheryl La").bold = True
    p.add_run("ffey and her family.")
    paragraph_xml(d, '<w:r><w:t xml:space="preserve">The officer </w:t></w:r>'
                     '<w:del w:id="7" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r>'
                     '<w:delText>Holloway</w:delText></w:r></w:del>'
                     '<w:r><w:t xml:space="preserve"> visited.</w:t></w:r>')
    paragraph_xml(d, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
                     ' MERGEFIELD Mehta </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                     '<w:r><w:t>the field</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    r_id = d.part.relate_to("https://example.org/notes/Kajus%20Tawkeel.pdf",
                            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                            is_external=True)
    paragraph_xml(d, f'<w:hyperlink xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                     f'r:id="{r_id}"><w:r><w:t>the earlier notes</w:t></w:r></w:hyperlink>')
    d.add_picture(io.BytesIO(tiny_png()))
    d.inline_shapes[0]._inline.docPr.set("descr", "Photo of Zofia Nowak")
    paragraph_xml(d, textbox_run("Text box: Mrs X", "Text box: Mrs Oyelaran"))
    d.add_comment(d.paragraphs[0].runs[0], text="Check with Ramsden", author="Investigator", initials="I")
    add_footnotes(d, ["Source: Adeyemi"])
    buffer = io.BytesIO()
    d.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/app.xml":
                data = data.replace(b"</Properties>", b"<Company>Ferreira and Co</Company></Properties>")
            dst.writestr(info, data)
        dst.writestr("docProps/custom.xml", CUSTOM_XML)
        dst.writestr("customXml/item5.xml", "<client><name>Dariusz Wiśniewski</name></client>")
        dst.writestr("word/glossary/document.xml", GLOSSARY)
    return path


def test_every_hiding_place_is_reported_with_its_part(tmp_path):
    path = planted_docx(tmp_path / "planted.docx")
    leaks = scan_docx(path, LeakTerms(names=list(PLANTED)))
    for term, (part, where) in PLANTED.items():
        found = [leak for leak in leaks if leak.term == term]
        assert found, f"{term} not found"
        assert any(leak.part == part and where in leak.where for leak in found), (term, found)
    # surnames of the planted full names are inside those hits, not extra places
    assert not [leak for leak in leaks if leak.term in ("Laffey", "Tawkeel", "Nowak", "Bhatt")]
    assert all(leak.file == path for leak in leaks)
    assert len({(leak.part, leak.where, leak.term) for leak in leaks}) == len(leaks)   # deduplicated


def test_a_clean_package_has_no_leaks(tmp_path):
    path = planted_docx(tmp_path / "planted.docx")
    assert scan_docx(path, LeakTerms(names=["Priya Ramsay", "Gail Crouch"], identifiers=["07700 900123"])) == []


def test_pixels_are_skipped_and_metadata_and_utf16_text_members_read(tmp_path):
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = tiny_png()
    with_pixels = png[:33] + chunk(b"IDAT", b"Laffey Laffey") + png[33:]   # 33: signature and IHDR
    with_text = png[:33] + chunk(b"tEXt", b"Author\x00Cheryl Laffey") + png[33:]
    path = tmp_path / "odd.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/media/image1.png", with_pixels)          # pixel data: not read as text
        z.writestr("word/media/image2.png", with_text)            # metadata: read
        z.writestr("word/notes.bin", "Notes by Laffey".encode("utf-16"))
        z.writestr("word/notes2.bin", "Notes by Laffey".encode("utf-16-le"))   # no BOM
        z.writestr("word/broken.xml", "<w:p>Laffey <unclosed>")      # not well-formed: read as text
    leaks = scan_docx(path, LeakTerms(names=["Laffey"]))
    assert sorted({leak.part for leak in leaks}) == ["word/broken.xml", "word/media/image2.png", "word/notes.bin",
                                                      "word/notes2.bin"]


def test_check_written_deletes_the_file_and_names_every_place(tmp_path):
    path = planted_docx(tmp_path / "planted.docx")
    terms = LeakTerms(names=["Okafor", "Ramsden", "Kajus Tawkeel"])
    with pytest.raises(LeakError) as caught:
        check_written(path, terms)
    assert not path.exists()
    err = caught.value
    assert isinstance(err, OutputError) and err.path == path
    assert "\n" not in str(err)
    assert str(err).startswith(f"{path}: original names remain in the anonymised file: ")
    assert str(err).endswith("; it was not written")
    for term, part in (("Okafor", "word/header1.xml"), ("Ramsden", "word/comments.xml"),
                       ("Kajus Tawkeel", "word/_rels/document.xml.rels")):
        assert f"'{term}' ({part})" in err.message
        assert any(leak.term == term and leak.part == part for leak in err.leaks)


def test_check_written_leaves_a_clean_file_alone(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text("Mrs X complained about the council.\n", encoding="utf-8")
    check_written(path, LeakTerms(names=["Cheryl Laffey"]))
    assert path.read_text(encoding="utf-8") == "Mrs X complained about the council.\n"


def test_an_unreadable_output_is_deleted_too(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(OutputError, match="could not be read back"):
        check_written(path, LeakTerms(names=["Laffey"]))
    assert not path.exists()


def test_text_scan_reports_lines_and_names_broken_over_lines(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Mrs X complained.\r\nShe spoke to Cheryl\r\nLaffey about 07700 900123.\r\n"
                     "Café notes by BRÂNDUȘA.\r\n".encode("cp1252", "replace").replace(b"?", b"A"))
    terms = LeakTerms(names=["Cheryl Laffey", "Brandusa"], identifiers=["07700900123"])
    leaks = scan_text(path, terms)
    assert [(leak.where, leak.term) for leak in leaks] == [("line 2", "Cheryl Laffey"), ("line 3", "07700900123")]
    assert leaks[0].part == "text" and "Cheryl Laffey" in leaks[0].context.replace("\n", " ")
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text("Notes by BRÂNDUȘA\n" + "filler line\n" * 30_000 + "last: Cheryl Laffey\n", encoding="utf-8")
    assert [(leak.where, leak.term) for leak in scan_file(utf8, terms)] == [("line 1", "Brandusa"),
                                                                            ("line 30002", "Cheryl Laffey")]


def test_text_scan_finds_a_name_across_a_block_edge(tmp_path):
    path = tmp_path / "long.txt"
    filler = "x" * 99 + "\n"
    path.write_text(filler * 2620 + "Cheryl\nLaffey\n" + filler * 10, encoding="utf-8")   # ~262 KB: two blocks
    leaks = scan_text(path, LeakTerms(names=["Cheryl Laffey"]))
    assert [(leak.where, leak.term) for leak in leaks] == [("line 2621", "Cheryl Laffey")]


def test_text_kept_on_purpose_by_the_reviewer_is_not_a_leak(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Mrs X complained. The Laffey report is closed.\nLaffey called.\n", encoding="utf-8")
    terms = LeakTerms(names=["Cheryl Laffey"])
    check_written(path, terms, kept=["The Laffey report", "Laffey"])   # two rejected detections
    assert path.exists()
    with pytest.raises(LeakError) as caught:
        check_written(path, terms, kept=["Laffey"])    # only one was rejected: which one is unknown, both count
    assert not path.exists()
    assert {leak.where for leak in caught.value.leaks} == {"line 1", "line 2"}


def test_leak_renders_its_place():
    leak = Leak(Path("out/a.docx"), "word/footer1.xml", "paragraph 1", "Laffey", "by Laffey")
    assert str(leak) == "word/footer1.xml, paragraph 1: 'Laffey' in “by Laffey”"
    assert leak.as_dict() == {"part": "word/footer1.xml", "where": "paragraph 1", "term": "Laffey",
                              "context": "by Laffey"}


# -- after anonymising: the batch and the command line -------------------------------------------

def client_everywhere(path: Path, link: bool = True) -> Path:
    """planted_docx with the client, Mrs Cheryl Laffey, in every hiding place instead."""
    planted_docx(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            for term in PLANTED:
                if term not in ("Cheryl Laffey", "Kajus Tawkeel"):
                    data = data.replace(term.encode(), b"Cheryl Laffey").replace(term.upper().encode(),
                                                                                 b"CHERYL LAFFEY")
            data = data.replace("Dariusz Wiśniewski".encode(), b"Cheryl Laffey")
            data = data.replace(b"Kajus%20Tawkeel", b"Cheryl%20Laffey" if link else b"earlier")
            z.writestr(name, data)
    return path


def parts_with(path: Path, needles: tuple[bytes, ...]) -> set[str]:
    with zipfile.ZipFile(path) as z:
        return {n for n in z.namelist() if any(needle in z.read(n) for needle in needles)}


NEEDLES = (b"Laffey", b"LAFFEY", b"laffey", b"Cheryl")


@pytest.mark.slow
def test_anonymised_package_holds_no_planted_name(tmp_path, detector):
    """The issue's check: the client's name planted in every hiding place, anonymised by the
    real pipeline, and every part of the package searched as bytes."""
    from desk_app.core.pipeline import export_case as anonymise_files

    src = tmp_path / "src"
    src.mkdir()
    path = client_everywhere(src / "notes.docx", link=False)
    assert len(parts_with(path, NEEDLES)) >= 10
    before = path.read_bytes()
    result = anonymise_files([path], tmp_path / "out", detector, jobs=1)
    assert not result.failed, result.failed[0].error
    assert parts_with(tmp_path / "out" / "notes.docx", NEEDLES) == set()
    assert path.read_bytes() == before


@pytest.mark.slow
def test_a_copy_that_keeps_a_name_is_never_left_behind(tmp_path, detector):
    """Whatever the writer misses (here, possibly, a percent-encoded link target), the batch
    either writes a copy without the name or writes nothing and names the places."""
    from desk_app.core.pipeline import export_case as anonymise_files

    src = tmp_path / "src"
    src.mkdir()
    path = client_everywhere(src / "notes.docx", link=True)
    result = anonymise_files([path], tmp_path / "out", detector, jobs=1)
    (outcome,) = result.outcomes
    copy = tmp_path / "out" / "notes.docx"
    if copy.exists():
        assert outcome.error is None and parts_with(copy, NEEDLES) == set()
    else:
        assert outcome.leaks and "it was not written" in outcome.error
        assert {leak.part for leak in outcome.leaks} <= parts_with(path, NEEDLES)


@pytest.mark.slow
def test_an_incomplete_mapping_is_refused_naming_each_planted_part(tmp_path):
    """The same file anonymised from a mapping that lacks the client (and no detection):
    nothing is replaced, and the scan, which knows her, refuses the copy part by part."""
    from desk_app.core.anonymise import anonymise_case
    from desk_app.core.ingest import load_document
    from desk_app.core.output.writers import write_document

    path = client_everywhere(tmp_path / "notes.docx", link=True)
    doc = load_document(path)
    others_only = CaseMapping([MappedPerson(["Gail Crouch"], "Mrs", "B")])
    case = anonymise_case([doc], [[]], others_only)
    written = write_document(doc, case.replacements[0], tmp_path / "incomplete")
    survived = parts_with(written, NEEDLES)   # what the scrub did not remove outright
    with pytest.raises(LeakError) as caught:
        check_written(written, LeakTerms.from_result(case).plus(names=["Cheryl Laffey"]))
    assert not written.exists()
    reported = {leak.part for leak in caught.value.leaks}
    assert {"word/document.xml", "word/header1.xml", "word/footer1.xml", "word/footnotes.xml",
            "word/_rels/document.xml.rels"} <= reported
    assert reported == survived
    wheres = {leak.where for leak in caught.value.leaks if leak.part == "word/document.xml"}
    assert any("VML copy" in w for w in wheres) and any("attribute descr" == w for w in wheres)


@pytest.mark.slow
def test_batch_reports_a_leaky_file_and_goes_on(tmp_path, detector):
    from desk_app.core.pipeline import export_case as anonymise_files

    leaky = tmp_path / "notes.txt"
    leaky.write_text("Mrs Cheryl Laffey complained about the council.\nThe Laffeys moved house in 2022.\n",
                     encoding="utf-8")
    clean = tmp_path / "other.txt"
    clean.write_text("Mr Tom Vance complains about parking.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = anonymise_files([leaky, clean], out, detector, jobs=1)
    bad, good = result.outcomes
    assert bad.source == leaky and bad.output is None and not (out / "notes.txt").exists()
    assert bad.error.startswith("original names remain in the anonymised file: 'Laffey' (line 2)")
    assert [(leak.where, leak.term) for leak in bad.leaks] == [("line 2", "Laffey")]
    assert good.error is None and (out / "other.txt").read_text(encoding="utf-8").startswith("Mr X complains")


@pytest.mark.slow
def test_cli_exits_non_zero_and_lists_every_place(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "notes.txt").write_text("Mrs Cheryl Laffey complained about the council.\n"
                                   "The Laffeys moved house in 2022.\n", encoding="utf-8")
    (src / "other.txt").write_text("Mr Tom Vance complains about parking.\n", encoding="utf-8")
    letter = docx.Document()
    letter.add_paragraph("Mrs Cheryl Laffey complained about the council.")
    # a GIF is not rewritten (only PNG and JPEG metadata is cut out): a name in it cannot be cleaned
    gif = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xfe\x16Photo by Cheryl Laffey\x00"
           b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
    letter.add_picture(io.BytesIO(gif))
    letter.save(src / "letter.docx")
    out, report = tmp_path / "out", tmp_path / "report.json"

    proc = subprocess.run([sys.executable, "-m", "desk_app", "anonymise", str(src), "-o", str(out),
                           "--report", str(report)], capture_output=True, text=True, timeout=300)

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    docx_line = next(i for i, line in enumerate(lines) if line.startswith(f"desk-app: {src / 'letter.docx'}: "))
    assert "'Cheryl Laffey' (word/media/image1.gif)" in lines[docx_line] and "it was not written" in lines[docx_line]
    assert lines[docx_line + 1] == "    word/media/image1.gif, binary data: 'Cheryl Laffey' in “Photo by Cheryl Laffey”"
    txt_line = next(i for i, line in enumerate(lines) if line.startswith(f"desk-app: {src / 'notes.txt'}: "))
    assert lines[txt_line + 1].startswith("    line 2: 'Laffey' in “")
    assert sorted(p.name for p in out.iterdir()) == ["other.txt"]
    data = json.loads(report.read_text(encoding="utf-8"))
    files = {Path(f["source"]).name: f for f in data["files"]}
    assert files["letter.docx"]["output"] is None
    assert files["letter.docx"]["leaks"] == [{"part": "word/media/image1.gif", "where": "binary data",
                                              "term": "Cheryl Laffey", "context": "Photo by Cheryl Laffey"}]
    assert files["other.txt"]["leaks"] == [] and files["other.txt"]["error"] is None
    assert isinstance(files["letter.docx"]["notes"], list)
