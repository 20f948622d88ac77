"""Writers: replacements land where detection found them, nothing leaks, the source is untouched."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.core.document import Replacement, apply_replacements
from desk_app.core.docx.package import DocxPackage
from desk_app.core.docx.text import paragraphs as docx_paragraphs
from desk_app.core.errors import OutputError
from desk_app.core.ingest import load_document
from desk_app.core.output.writers import write_document, write_docx, write_text
from tests.helpers.ingest_factories import (
    add_footnotes,
    add_hyperlink,
    all_xml_bytes,
    make_pdf,
    new_document,
    paragraph_xml,
    replace_all,
    rich_docx,
    textbox_run,
    tiny_png,
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- apply_replacements -------------------------------------------------------------------

def test_apply_replacements_order_independent() -> None:
    text = "Mrs Priya Ramsden met Dr Mehta."
    reps = [Replacement(25, 30, "[GP]"), Replacement(4, 17, "[NAME]")]
    assert apply_replacements(text, reps) == "Mrs [NAME] met Dr [GP]."
    assert apply_replacements(text, list(reversed(reps))) == "Mrs [NAME] met Dr [GP]."
    assert apply_replacements(text, []) == text


@pytest.mark.parametrize("reps", [[Replacement(0, 5, "a"), Replacement(4, 8, "b")],
                                  [Replacement(3, 99, "x")], [Replacement(5, 2, "x")]])
def test_apply_replacements_rejects_bad_spans(reps: list[Replacement]) -> None:
    with pytest.raises(ValueError):
        apply_replacements("0123456789", reps)


# -- text ---------------------------------------------------------------------------------

def test_write_text_keeps_crlf_and_bytes_outside_spans(tmp_path: Path) -> None:
    src = tmp_path / "in" / "notes.txt"
    src.parent.mkdir()
    raw = "Notes\r\nCalled Mrs Priya Ramsden on 07700 900123.\r\nEnd\r\n"
    src.write_bytes(raw.encode("utf-8"))
    before = sha(src)
    doc = load_document(src)
    out = write_document(doc, replace_all(doc, {"Priya Ramsden": "Anna Hughes", "07700 900123": "[PHONE]"}),
                         tmp_path / "out")
    assert out == tmp_path / "out" / "notes.txt"
    assert out.read_bytes() == raw.replace("Priya Ramsden", "Anna Hughes").replace(
        "07700 900123", "[PHONE]").encode("utf-8")
    assert sha(src) == before


def test_write_text_keeps_bom(tmp_path: Path) -> None:
    src = tmp_path / "bom.md"
    src.write_bytes(b"\xef\xbb\xbf# Oliver\n")
    doc = load_document(src)
    out = write_document(doc, replace_all(doc, {"Oliver": "Child A"}), tmp_path / "out")
    assert out.name == "bom.md"
    assert out.read_bytes() == b"\xef\xbb\xbf# Child A\n"


def test_write_text_cp1252_round_trip_and_unencodable_fallback(tmp_path: Path) -> None:
    src = tmp_path / "old.txt"
    src.write_bytes("Mrs O’Brien – £40".encode("cp1252"))
    doc = load_document(src)
    dst = tmp_path / "a.txt"
    write_text(doc, replace_all(doc, {"O’Brien": "Smith"}), dst)
    assert dst.read_bytes() == "Mrs Smith – £40".encode("cp1252")
    # a replacement cp1252 cannot hold: written as UTF-8 with a BOM instead, nothing lost
    write_text(doc, replace_all(doc, {"O’Brien": "Łukasz"}), dst)
    assert dst.read_bytes() == "\ufeffMrs Łukasz – £40".encode("utf-8")


def test_pdf_is_written_as_text(tmp_path: Path) -> None:
    src = tmp_path / "Letter.pdf"
    src.write_bytes(make_pdf([["From Priya Ramsden", "priya.ramsden@example.com"]]))
    doc = load_document(src)
    out = write_document(doc, replace_all(doc, {"Priya Ramsden": "[NAME]",
                                                "priya.ramsden@example.com": "[EMAIL]"}), tmp_path)
    assert out == tmp_path / "Letter.txt"
    written = out.read_text("utf-8")
    assert "[NAME]" in written and "[EMAIL]" in written and "ramsden" not in written.casefold()


def test_refuses_to_overwrite_source(tmp_path: Path) -> None:
    src = tmp_path / "notes.txt"
    src.write_text("Priya")
    doc = load_document(src)
    with pytest.raises(OutputError, match="would overwrite the source"):
        write_document(doc, [Replacement(0, 5, "X")], tmp_path)
    with pytest.raises(OutputError, match="would overwrite the source"):
        write_text(doc, [], tmp_path / "." / "notes.txt")
    assert src.read_text() == "Priya"


def test_output_folder_problems_are_one_line(tmp_path: Path) -> None:
    src = tmp_path / "notes.txt"
    src.write_text("Priya")
    doc = load_document(src)
    blocker = tmp_path / "file"
    blocker.write_text("")
    for out_dir in (blocker, blocker / "sub"):
        with pytest.raises(OutputError) as info:
            write_document(doc, [], out_dir)
        assert "\n" not in str(info.value) and "output folder" in info.value.message
    created = write_document(doc, [], tmp_path / "new" / "deeper")
    assert created.read_text() == "Priya"


# -- docx ---------------------------------------------------------------------------------

NAMES = {
    "Mrs Priya Ramsden": "Mrs Anna Hughes",
    "Priya": "Anna",
    "Ramsden": "Hughes",
    "Cheryl Dunn": "Joanne Platt",
    "Karen Holloway": "Sue Evans",
    "Karen": "Sue",
    "Oliver": "Child A",
    "Daniel": "Mr B",
    "Anil": "Raj",
    "Mehta": "Shah",
    "07700 900123": "[PHONE]",
}


def test_write_docx_leaves_no_name_anywhere(tmp_path: Path) -> None:
    src = tmp_path / "rich.docx"
    rich_docx(src)
    before = sha(src)
    doc = load_document(src)
    reps = replace_all(doc, NAMES)
    out = write_document(doc, reps, tmp_path / "out")
    assert out == tmp_path / "out" / "rich.docx"
    assert sha(src) == before

    # every XML part, as bytes: no original survives (tracked deletion included)
    for leaked in [b"Priya", b"Ramsden", b"Cheryl", b"Dunn", b"Karen", b"Holloway", b"Oliver", b"Daniel",
                   b"Anil", b"Mehta", b"900123", b"Oldname"]:
        hits = [name for name, data in all_xml_bytes(out).items() if leaked in data]
        assert hits == [], (leaked, hits)

    # reading the result back gives exactly the replaced text, less the comments the scrub removes
    again = load_document(out)
    expected = apply_replacements(doc.text, reps).split("\n")
    kept = [line for line, para in zip(expected, doc.paragraphs, strict=True) if para.part != "comment"]
    assert again.text.split("\n") == kept
    assert [p.part for p in again.paragraphs] == [p.part for p in doc.paragraphs if p.part != "comment"]
    assert not any("tracked deletion" in n for n in again.notes)

    # formatting: the replacement took the first run's bold; the second run kept its (plain) run
    first = docx.Document(str(out)).paragraphs[0]
    assert [(r.text, bool(r.bold)) for r in first.runs if r.text] == [("Joanne Platt", True),
                                                                       (" called.", False)]
    # the text box copy Word falls back to was changed too
    with zipfile.ZipFile(out) as zf:
        body = zf.read("word/document.xml").decode()
    assert body.count("TEXTBOX Anna") == 2
    # the tracked insertion is accepted: its (replaced) text is plain text now
    assert "<w:ins " not in body and "<w:t>Hughes</w:t>" in body


def test_docx_fallback_differing_from_choice_is_swept(tmp_path: Path) -> None:
    d = new_document()
    paragraph_xml(d, textbox_run("Box: Priya Ramsden", fallback_text="Old box: Priya Ramsden, Oliver"))
    d.add_paragraph("Oliver is her son.")
    src = tmp_path / "box.docx"
    d.save(src)
    doc = load_document(src)
    assert "Old box" not in doc.text
    out = tmp_path / "out.docx"
    write_docx(doc, replace_all(doc, {"Priya Ramsden": "[NAME]", "Oliver": "[CHILD]"}), out)
    body = all_xml_bytes(out)["word/document.xml"].decode()
    assert "Priya" not in body and "Oliver" not in body
    assert "Old box: [NAME], [CHILD]" in body


def test_docx_replacement_across_runs_tabs_and_formats(tmp_path: Path) -> None:
    d = new_document()
    paragraph_xml(d, '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">To: Pr</w:t></w:r>'
                     '<w:r><w:t>iya</w:t><w:tab/><w:t>Ram</w:t></w:r>'
                     '<w:r><w:rPr><w:u w:val="single"/></w:rPr>'
                     '<w:t xml:space="preserve">sden, thanks</w:t></w:r>')
    src = tmp_path / "runs.docx"
    d.save(src)
    doc = load_document(src)
    assert doc.paragraphs[0].text == "To: Priya\tRamsden, thanks"
    out = tmp_path / "out.docx"
    write_docx(doc, replace_all(doc, {"Priya\tRamsden": "[NAME]"}), out)
    runs = docx.Document(str(out)).paragraphs[0].runs
    assert [(r.text, bool(r.italic), bool(r.underline)) for r in runs] == [
        ("To: [NAME]", True, False), ("", False, False), (", thanks", False, True)]


def test_docx_hyperlink_target_and_field_code_do_not_leak(tmp_path: Path) -> None:
    d = new_document()
    add_hyperlink(d, "mailto:Priya.Ramsden@example.com", "priya.ramsden@example.com", before="Email ")
    paragraph_xml(d, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
                     ' HYPERLINK "mailto:priya.ramsden@example.com" </w:instrText></w:r><w:r>'
                     '<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>write to me</w:t></w:r>'
                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    d.core_properties.title = "Letter from priya.ramsden@example.com"
    picture = d.add_picture(io.BytesIO(tiny_png()))
    picture._inline.docPr.set("descr", "Photo sent by priya.ramsden@example.com")
    src = tmp_path / "link.docx"
    d.save(src)
    doc = load_document(src)
    out = tmp_path / "out.docx"
    write_docx(doc, replace_all(doc, {"priya.ramsden@example.com": "[EMAIL]"}), out)
    parts = all_xml_bytes(out)
    assert [n for n, data in parts.items() if b"ramsden" in data.lower()] == []
    assert load_document(out).text == apply_replacements(doc.text, replace_all(doc, {
        "priya.ramsden@example.com": "[EMAIL]"}))
    with zipfile.ZipFile(out) as zf:
        assert not any("thumbnail" in n for n in zf.namelist())


def test_docx_footnote_and_header_replaced(tmp_path: Path) -> None:
    d = new_document()
    d.sections[0].first_page_header.paragraphs[0].text = "First page: Priya"
    d.sections[0].different_first_page_header_footer = True
    d.sections[0].header.paragraphs[0].text = "Every page: Priya"
    d.add_paragraph("Body")
    add_footnotes(d, ["Note on Priya", "Second note"])
    src = tmp_path / "notes.docx"
    d.save(src)
    doc = load_document(src)
    assert doc.text.count("Priya") == 3
    out = tmp_path / "out.docx"
    write_docx(doc, replace_all(doc, {"Priya": "[NAME]"}), out)
    assert [n for n, data in all_xml_bytes(out).items() if b"Priya" in data] == []
    assert load_document(out).text.count("[NAME]") == 3


def test_docx_rejects_span_over_two_paragraphs(tmp_path: Path) -> None:
    d = new_document()
    d.add_paragraph("Mrs Priya")
    d.add_paragraph("Ramsden")
    src = tmp_path / "two.docx"
    d.save(src)
    doc = load_document(src)
    start = doc.text.index("Priya")
    with pytest.raises(ValueError, match="spans two paragraphs"):
        write_docx(doc, [Replacement(start, doc.text.index("Ramsden") + 7, "X")], tmp_path / "o.docx")
    assert not (tmp_path / "o.docx").exists()


def test_docx_overwrite_and_changed_source(tmp_path: Path) -> None:
    d = new_document()
    d.add_paragraph("Priya")
    src = tmp_path / "a.docx"
    d.save(src)
    doc = load_document(src)
    with pytest.raises(OutputError, match="would overwrite the source"):
        write_docx(doc, [], src)
    d.add_paragraph("added later")
    d.save(src)
    with pytest.raises(OutputError, match="changed since it was read"):
        write_docx(doc, [Replacement(0, 5, "X")], tmp_path / "b.docx")


# -- property: any run split, any replacements --------------------------------------------

_BASE = "Mrs Priya Ramsden and Oliver met Dr Mehta\tat Fernbank on 3 May."


@st.composite
def split_and_replace(draw: st.DrawFn) -> tuple[list[tuple[str, bool]], list[Replacement]]:
    cuts = sorted(draw(st.sets(st.integers(1, len(_BASE) - 1), max_size=8)))
    bounds = [0, *cuts, len(_BASE)]
    runs = [(_BASE[a:b], draw(st.booleans())) for a, b in zip(bounds, bounds[1:], strict=False)]
    points = sorted(draw(st.sets(st.integers(0, len(_BASE)), max_size=8)))
    reps = [Replacement(a, b, draw(st.sampled_from(["", "X", "[NAME]", " two words "])))
            for a, b in zip(points[::2], points[1::2], strict=False) if a < b]
    return runs, reps


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(split_and_replace())
def test_docx_any_run_split_gives_the_text_replacement(tmp_path: Path, case) -> None:
    runs, reps = case
    d = new_document()
    p = d.add_paragraph()
    for text, bold in runs:
        for i, piece in enumerate(text.split("\t")):
            if i:
                p.add_run().add_tab()
            if piece:
                p.add_run(piece).bold = bold
    src = tmp_path / "prop.docx"
    d.save(src)
    doc = load_document(src)
    assert doc.text == _BASE
    out = tmp_path / "prop-out.docx"
    write_docx(doc, reps, out)
    written = "\n".join(p.text for p in docx_paragraphs(DocxPackage.open(out)))
    assert written == apply_replacements(_BASE, reps)


def test_a_percent_encoded_name_in_a_link_target_is_replaced() -> None:
    from desk_app.core.docx.edit import Sweeper as _Sweeper
    from desk_app.core.docx.edit import swept_url as _swept_url

    sweeper = _Sweeper([("Cheryl Laffey", "Mrs X")])
    assert _swept_url(sweeper, "https://example.org/notes/Cheryl%20Laffey.pdf") == \
        "https://example.org/notes/Mrs%20X.pdf"
    assert _swept_url(sweeper, "https://example.org/a%2Fb") == "https://example.org/a%2Fb"   # untouched
