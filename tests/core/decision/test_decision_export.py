"""Word and text export, read back; the house template; the CLI; LibreOffice as second consumer."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from desk_app.cli.decision import main as cli_main
from desk_app.core.decision.docx_export import (
    TemplateError,
    build_document,
    default_template_path,
    export_docx,
    render_docx,
)
from desk_app.core.decision.model import (
    Decision,
    Header,
    ListStyle,
    Outcome,
    Paragraph,
    Section,
    Stage,
    load_decision,
)
from desk_app.core.decision.text_export import export_text, render_text
from desk_app.core.errors import OutputError
from tests.helpers.office import soffice
from tests.helpers.paths import REPO, TESTS

REPO = REPO
DECISIONS = TESTS / "data" / "decisions"
SEED_IDS = ["21-011-396", "23-005-338"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
WHEN = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC)


def seed(ref: str) -> Decision:
    return load_decision(DECISIONS / f"seed-{ref}.decision.json")


# --- reading the published page and the exported document -----------------------------------


def published(ref: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The published page as header lines and (kind, text) body blocks, web noise removed.

    kind is "heading", "para", "item" or "sign_off". The website's numbers are dropped:
    they restart in every section, which is exactly what the Word file must not do.
    """
    lines = (DECISIONS / f"published-{ref}.txt").read_text(encoding="utf-8").replace("\xa0", " ").splitlines()
    start = lines.index("The complaint")
    head = [ln.strip() for ln in lines[:start] if ln.strip()]
    blocks: list[tuple[str, str]] = []
    for raw in lines[start:]:
        line = raw.strip()
        if not line or line == "Back to top":
            continue
        if re.fullmatch(r"Investigator['’]s decision on behalf of the Ombudsman", line):
            blocks.append(("sign_off", line))
            break
        if match := re.fullmatch(r"\d+\. (.*)", line):
            blocks.append(("para", match.group(1)))
        elif line.startswith("• "):
            blocks.append(("item", line[2:]))
        else:
            blocks.append(("heading", line))
    return head, blocks


def docx_blocks(data: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Read an exported .docx back: (front matter, body blocks) classified from XML alone."""
    document = docx.Document(io.BytesIO(data))
    front: list[tuple[str, str]] = []
    body: list[tuple[str, str]] = []
    for paragraph in document.paragraphs:
        p_pr = paragraph._p.pPr
        style = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else "Normal"
        num_pr = p_pr.find(f"{W}numPr") if p_pr is not None else None
        if num_pr is not None:
            level = int(num_pr.find(f"{W}ilvl").get(f"{W}val"))
            body.append(("para" if level == 0 else "item", paragraph.text))
        elif style.startswith("Heading"):
            body.append(("heading", paragraph.text))
        elif style == "SignOff":
            body.append(("sign_off", paragraph.text))
        elif body:
            body.append((f"unexpected {style}", paragraph.text))
        else:
            front.append((style, paragraph.text))
    return front, body


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


# --- the "done when" checks -------------------------------------------------------------------


@pytest.mark.parametrize("ref", SEED_IDS)
def test_docx_read_back_matches_published_decision(ref, tmp_path):
    out = tmp_path / f"{ref}.docx"
    export_docx(seed(ref), out, when=WHEN)
    front, body = docx_blocks(out.read_bytes())
    head, expected = published(ref)

    assert body == expected  # same headings, paragraph and item texts, in the same order
    assert front[0] == ("DecisionHeader", head[0])
    assert [t for s, t in front if s == "DecisionHeader"] == head[:4]
    assert ("Title", "The Ombudsman’s final decision") in front
    summary = next(line for line in head if line.startswith("Summary: "))
    assert ("Summary", summary) in front
    # no typed numbers anywhere: numbering must come from Word
    assert not any(re.match(r"\s*\d+[.)]\s", text) for _, text in body)


@pytest.mark.parametrize("ref", SEED_IDS)
def test_numbered_paragraphs_use_one_multilevel_list(ref):
    data = render_docx(seed(ref), when=WHEN)
    document = part(data, "word/document.xml")
    numbering = part(data, "word/numbering.xml")

    num_prs = document.findall(".//w:body/w:p/w:pPr/w:numPr", NS)
    paragraphs = [n for n in num_prs if n.find("w:ilvl", NS).get(f"{W}val") == "0"]
    num_ids = {n.find("w:numId", NS).get(f"{W}val") for n in num_prs}
    assert len(num_ids) == 1, "every numbered paragraph and item must be bound to the same list"
    (num_id,) = num_ids
    expected_count = sum(1 for kind, _ in published(ref)[1] if kind == "para")
    assert len(paragraphs) == expected_count

    num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
    assert num.find("w:lvlOverride", NS) is None, "no restarts: numbers run 1..N"
    abstract_id = num.find("w:abstractNumId", NS).get(f"{W}val")
    abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)
    assert abstract.find("w:multiLevelType", NS).get(f"{W}val") == "multilevel"
    assert abstract.find("w:name", NS).get(f"{W}val") == "Decision paragraphs"
    levels = {lvl.get(f"{W}ilvl"): lvl for lvl in abstract.findall("w:lvl", NS)}
    assert len(levels) == 9

    def level(i, tag):
        return levels[i].find(f"w:{tag}", NS).get(f"{W}val")

    assert (level("0", "start"), level("0", "numFmt"), level("0", "lvlText")) == ("1", "decimal", "%1.")
    assert (level("1", "numFmt"), level("1", "lvlText")) == ("lowerLetter", "%2)")
    assert levels["1"].find("w:lvlRestart", NS) is None  # default: a) restarts after each paragraph
    assert level("2", "numFmt") == "bullet"

    # headings, summary, header block, title and sign-off are never numbered
    for p in document.findall(".//w:body/w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS).get(f"{W}val")
        if style in ("Heading1", "Heading2", "Heading3", "Summary", "SignOff", "Title", "DecisionHeader"):
            assert p.find("w:pPr/w:numPr", NS) is None, style


def test_core_properties_hold_no_default_author():
    data = render_docx(seed("23-005-338"), when=WHEN)
    core = part(data, "docProps/core.xml")
    ns = {"dc": "http://purl.org/dc/elements/1.1/",
          "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
          "dcterms": "http://purl.org/dc/terms/"}
    assert core.findtext("dc:title", namespaces=ns) == "London Borough of Bromley (23 005 338)"
    assert (core.findtext("dc:creator", namespaces=ns) or "") == ""
    assert (core.findtext("cp:lastModifiedBy", namespaces=ns) or "") == ""
    assert (core.findtext("dc:description", namespaces=ns) or "") == ""
    assert core.findtext("dcterms:created", namespaces=ns) == "2025-03-04T05:06:07Z"
    assert core.find("cp:lastPrinted", ns) is None
    for name in ("docProps/core.xml", "docProps/app.xml"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = archive.read(name).decode()
        for leak in ("python-docx", "generated by", "Microsoft Macintosh Word", "Normal.dotm", "2013-12-23"):
            assert leak not in text, (name, leak)
    names = part_names(data)
    assert not any("thumbnail" in n for n in names)
    assert not any(n.startswith("customXml") for n in names)
    rels = part(data, "_rels/.rels")
    assert not [r for r in rels if r.get("Type").endswith("/thumbnail")]
    settings = part(data, "word/settings.xml")
    assert settings.find("w:savePreviewPicture", NS) is None


def test_no_images_footnotes_or_links():
    data = render_docx(seed("21-011-396"), when=WHEN)
    names = part_names(data)
    assert not any(n.startswith("word/media") or "footnotes" in n or "endnotes" in n for n in names)
    rels = part(data, "word/_rels/document.xml.rels")
    assert not [r for r in rels if r.get("TargetMode") == "External"]


def footer_text(data: bytes) -> str:
    footers = [n for n in part_names(data) if re.fullmatch(r"word/footer\d*\.xml", n)]
    return "".join("".join(part(data, n).itertext()) for n in footers)


def header_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist()
                       if re.fullmatch(r"word/header\d*\.xml", n))


def test_final_has_final_footer_with_page_field_and_no_watermark():
    data = render_docx(seed("23-005-338"), when=WHEN)
    assert footer_text(data).startswith("Final decision")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        footer = next(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer"))
    assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in footer
    assert "WaterMark" not in header_xml(data)


def test_draft_has_draft_footer_title_and_watermark():
    decision = seed("23-005-338")
    decision.header.stage = Stage.DRAFT
    data = render_docx(decision, when=WHEN)
    assert footer_text(data).startswith("Draft decision")
    assert "PowerPlusWaterMarkObject" in header_xml(data) and 'string="DRAFT"' in header_xml(data)
    front, _ = docx_blocks(data)
    assert ("Title", "The Ombudsman’s draft decision") in front
    core = etree.tostring(part(data, "docProps/core.xml")).decode()
    assert "Draft decision" in core  # content status


def lettered_decision(stage: Stage = Stage.FINAL) -> Decision:
    header = Header("Kent County Council", "24 000 706", "Education", "School transport", Outcome.UPHELD,
                    "03 May 2024", stage)
    return Decision(header=header, summary="We found fault.", sections=[
        Section("complaint", "The complaint", [
            Paragraph("Mrs X complains the Council:", items=["refused transport;", "delayed; and", "ignored her."],
                      list_style=ListStyle.LETTERS),
            Paragraph("She also says the Council:", items=["lost her appeal; and", "did not reply."],
                      list_style=ListStyle.LETTERS),
        ]),
        Section("role", "The Ombudsman’s role and powers", [
            Paragraph("We do not start or continue an investigation if we decide:", items=["a, or", "b."],
                      list_style=ListStyle.BULLETS, citation="(Local Government Act 1974, section 24A(6), as amended)"),
        ]),
    ])


def test_lettered_sub_lists_are_level_two_of_the_same_list():
    data = render_docx(lettered_decision(), when=WHEN)
    front, body = docx_blocks(data)
    assert body[:7] == [("heading", "The complaint"), ("para", "Mrs X complains the Council:"),
                        ("item", "refused transport;"), ("item", "delayed; and"), ("item", "ignored her."),
                        ("para", "She also says the Council:"), ("item", "lost her appeal; and")]
    assert ("item", "b. (Local Government Act 1974, section 24A(6), as amended)") in body
    document = part(data, "word/document.xml")
    levels = [n.find("w:ilvl", NS).get(f"{W}val") for n in document.findall(".//w:numPr", NS)]
    assert levels == ["0", "1", "1", "1", "0", "1", "1", "0", "2", "2"]


def test_text_export_restarts_letters_per_paragraph():
    text = render_text(lettered_decision())
    assert "  1. Mrs X complains the Council:\n    a) refused transport;\n    b) delayed; and\n    c) ignored her.\n" \
        in text
    assert "  2. She also says the Council:\n    a) lost her appeal; and\n    b) did not reply.\n" in text
    assert "  3. We do not start or continue an investigation if we decide:\n    • a, or\n    • b. (Local " in text
    assert text.endswith("Investigator’s decision on behalf of the Ombudsman\n")


@pytest.mark.parametrize("ref", SEED_IDS)
def test_text_export_is_the_published_layout_with_continuous_numbers(ref, tmp_path):
    out = tmp_path / f"{ref}.txt"
    export_text(seed(ref), out)
    text = out.read_text(encoding="utf-8")
    head, expected = published(ref)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines[:len(head)] == head  # header block, title line and Summary exactly as on the website
    body: list[tuple[str, str]] = []
    numbers = []
    for line in lines[len(head):]:
        if match := re.fullmatch(r"  (\d+)\. (.*)", line):
            numbers.append(int(match.group(1)))
            body.append(("para", match.group(2)))
        elif line.startswith("    • "):
            body.append(("item", line[6:]))
        elif line.startswith("Investigator"):
            body.append(("sign_off", line))
        else:
            body.append(("heading", line))
    assert body == expected
    assert numbers == list(range(1, len(numbers) + 1))


def test_export_errors_are_output_errors(tmp_path):
    with pytest.raises(OutputError, match="output folder does not exist"):
        export_docx(seed("23-005-338"), tmp_path / "missing-folder" / "x.docx")
    with pytest.raises(OutputError, match="output folder does not exist"):
        export_text(seed("23-005-338"), tmp_path / "missing-folder" / "x.txt")


def test_broken_template_is_reported(tmp_path):
    with pytest.raises(TemplateError, match="not found"):
        build_document(seed("23-005-338"), tmp_path / "nope.docx")
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    with pytest.raises(TemplateError, match="has no style 'DecisionHeader'"):
        build_document(seed("23-005-338"), plain)


def test_committed_template_matches_its_generator():
    sys.path.insert(0, str(REPO / "resources" / "templates"))
    try:
        import make_template
    finally:
        sys.path.pop(0)
    fresh = make_template.build_template()
    committed = default_template_path().read_bytes()
    assert sorted(part_names(fresh)) == sorted(part_names(committed))
    with zipfile.ZipFile(io.BytesIO(fresh)) as a, zipfile.ZipFile(io.BytesIO(committed)) as b:
        for name in a.namelist():
            assert a.read(name) == b.read(name), f"{name} differs: run resources/templates/make_template.py"


# --- the CLI ---------------------------------------------------------------------------------------


NEW = ["new-decision", "--org", "London Borough of Bromley", "--ref", "23 005 338",
       "--category", "Children's care services > Child protection", "--outcome", "upheld", "--stage", "final",
       "--date", "11 Oct 2023"]


def test_cli_new_decision_then_draft(tmp_path, capsys):
    target = tmp_path / "case.decision.json"
    assert cli_main([*NEW, "-o", str(target)]) == 0
    decision = load_decision(target)
    assert decision.header.reference == "23 005 338" and decision.header.stage is Stage.FINAL
    assert [p.source.id for p in decision.section("role").paragraphs][-1] == "role.ofsted"

    assert cli_main([*NEW, "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err == f"desk-app: {target}: already exists; use --force to replace it\n"
    assert cli_main([*NEW, "--force", "--add", "role.late", "--heading", "analysis=Conclusions",
                     "--section", "not_investigated", "-o", str(target)]) == 0
    decision = load_decision(target)
    assert "role.late" in [p.source.id for p in decision.section("role").paragraphs]
    assert decision.section("analysis").heading == "Conclusions"
    assert decision.sections[-1].heading == "Parts of the complaint that I did not investigate"

    for suffix in (".docx", ".txt"):
        out = tmp_path / f"case{suffix}"
        assert cli_main(["draft", str(target), "-o", str(out)]) == 0
        assert out.stat().st_size > 0
    assert docx_blocks((tmp_path / "case.docx").read_bytes())[1][0] == ("heading", "The complaint")


@pytest.mark.parametrize(("args", "message"), [
    (["--ref", "23-005-338"], "desk-app: --ref: '23-005-338' is not a reference like 23 005 338"),
    (["--outcome", "partly"], "desk-app: --outcome: 'partly' is not an outcome"),
    (["--category", "Education"], "desk-app: --category: 'Education' is not a category"),
    (["--date", "2023-10-11"], "desk-app: --date: '2023-10-11' is not a date like"),
    (["--stage", "maybe"], "desk-app: --stage: 'maybe' is not a stage"),
    (["--add", "role.merit"], "is not a library entry; did you mean role.merits"),
    (["--heading", "analysis"], "desk-app: --heading 'analysis' must look like KEY=HEADING"),
])
def test_cli_new_decision_errors_are_one_line(tmp_path, capsys, args, message):
    argv = list(NEW)
    option = args[0]
    if option in argv:
        index = argv.index(option)
        argv[index + 1] = args[1]
    else:
        argv += args
    assert cli_main([*argv, "-o", str(tmp_path / "x.decision.json")]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("desk-app: ")
    assert not (tmp_path / "x.decision.json").exists()


def test_cli_draft_errors_name_the_field(tmp_path, capsys):
    good = DECISIONS / "seed-23-005-338.decision.json"
    text = good.read_text(encoding="utf-8")
    broken = tmp_path / "broken.decision.json"
    broken.write_text(text.replace('"reference": "23 005 338",\n', ""), encoding="utf-8")
    assert cli_main(["draft", str(broken), "-o", str(tmp_path / "x.docx")]) == 1
    assert capsys.readouterr().err == f"desk-app: {broken}: missing field header.reference\n"

    broken.write_text(text.replace('"text": "Mrs X says', '"txet": "Mrs X says'), encoding="utf-8")
    assert cli_main(["draft", str(broken), "-o", str(tmp_path / "x.docx")]) == 1
    assert capsys.readouterr().err == f"desk-app: {broken}: missing field sections[0].blocks[1].text\n"

    broken.write_text(text[:-10], encoding="utf-8")
    assert cli_main(["draft", str(broken), "-o", str(tmp_path / "x.txt")]) == 1
    assert re.fullmatch(r"desk-app: .*: not valid JSON: .* at line \d+, column \d+\n", capsys.readouterr().err)

    assert cli_main(["draft", str(good), "-o", str(tmp_path / "x.pdf")]) == 1
    assert "must end in .docx (Word) or .txt" in capsys.readouterr().err
    assert cli_main(["draft", str(tmp_path / "none.decision.json"), "-o", str(tmp_path / "x.docx")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "x.txt").exists()


def test_cli_runs_as_a_module(tmp_path):
    target = tmp_path / "m.decision.json"
    run = subprocess.run([sys.executable, "-m", "desk_app.cli.decision", *NEW, "-o", str(target)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-m", "desk_app.cli.decision", "draft", str(target),
                          "-o", str(tmp_path / "m.docx")], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "m.docx").is_file()


# --- LibreOffice: a second, independent consumer -------------------------------------------------




def to_pdf(docx_path: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"  # private profile: parallel runs and a clean first start
    run = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx_path)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = tmp_path / (docx_path.stem + ".pdf")
    assert run.returncode == 0 and pdf.is_file(), run.stdout + run.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


@pytest.mark.slow
@pytest.mark.parametrize("ref", SEED_IDS)
def test_libreoffice_converts_and_numbers_continuously(ref, tmp_path):
    source = tmp_path / f"decision-{ref}.docx"
    export_docx(seed(ref), source, when=WHEN)
    pdf = to_pdf(source, tmp_path)
    if shutil.which("pdftotext") is None:
        return  # conversion alone proves LibreOffice opened it; poppler-utils adds the checks below
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    numbers = [int(n) for n in re.findall(r"^\f?(\d+)\.\s", text, re.MULTILINE)]
    expected = sum(1 for kind, _ in published(ref)[1] if kind == "para")
    assert numbers == list(range(1, expected + 1)), "LibreOffice must number 1..N without restarts"
    assert "Final decision" in text and "The Ombudsman’s final decision" in text


@pytest.mark.slow
def test_libreoffice_letters_restart_in_each_paragraph(tmp_path):
    source = tmp_path / "letters.docx"
    export_docx(lettered_decision(Stage.DRAFT), source, when=WHEN)
    pdf = to_pdf(source, tmp_path)
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    labels = re.findall(r"^[\f ]*(\d+\.|[a-z]\))\s", text, re.MULTILINE)
    assert labels == ["1.", "a)", "b)", "c)", "2.", "a)", "b)", "3."]
    assert "Draft decision" in text
