"""The comparison's exports, written to disk and read back: the Word redline and the HTML report.

The key property of the redline: accepting every tracked change gives exactly the right
draft, rejecting every one gives exactly the left draft, paragraph by paragraph. The tests
do the accepting and rejecting themselves on word/document.xml, merging paragraphs whose
mark was removed the way Word does, so a stray label or a forgotten paragraph mark shows.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree, html

from desk_app.core.compare import (
    Change,
    ChangeKind,
    CompareOptions,
    Comparison,
    Draft,
    Op,
    Row,
    RowKind,
    compare,
    draft_from_text,
)
from desk_app.core.compare.html_report import export_html, render_html
from desk_app.core.compare.redline import build_redline, export_redline
from desk_app.core.errors import OutputError
from tests.helpers.office import soffice
from tests.helpers.paths import REPO

REPO = REPO
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
WHEN = dt.datetime(2026, 11, 23, 10, 0, 0, tzinfo=dt.UTC)

LEFT = """\
The complaint
  1. Mr X complained about the Council’s actions & its "delay" <sic> in replying.
  2. The Council did not reply to his letter promptly, he said.
  3. We investigate complaints about fault by councils.
  4. This paragraph is deleted in the final version & not replaced.
  5. This paragraph moves unchanged to the end of the statement.
  6. This paragraph moves and is edited on the way to the last section.
Final decision
  7. I have completed my investigation into Mr X's complaint.
"""

RIGHT = """\
The complaint
  1. Mr X complained about the Council’s actions & its "long delay" <sic> in replying.
  2. The Council did not reply to his letter, he said.
  3. We investigate complaints about maladministration by councils.
  4. A new paragraph is inserted here with Mr O'Brien's <view> & more.
Final decision
  5. This paragraph moves and is edited on its way to the last section.
  6. I have completed my investigation into Mr X's complaint.
  7. This paragraph moves unchanged to the end of the statement.
"""


# --- building comparisons ----------------------------------------------------------------------

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def word_ops(a: str, b: str) -> tuple[Op, ...]:
    """A word-level diff of two texts as character-offset ops (the model's form)."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    oa = [0]
    for t in ta:
        oa.append(oa[-1] + len(t))
    ob = [0]
    for t in tb:
        ob.append(ob[-1] + len(t))
    ops = []
    for tag, i0, i1, j0, j1 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag != "equal":
            ops.append(Op(tag, oa[i0], oa[i1], ob[j0], ob[j1]))
    return tuple(ops)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def hand_built(left: Draft, right: Draft, spec: list[tuple], coarse: frozenset[int] = frozenset()) -> Comparison:
    """A Comparison from explicit rows, independent of the engine's choices.

    ``spec`` is (kind, left index, right index[, partner row]) per row.
    """
    rows = [Row(RowKind(kind), li, ri, partner=rest[0] if rest else None, coarse=i in coarse)
            for i, (kind, li, ri, *rest) in enumerate(spec)]
    comparison = Comparison(left, right, CompareOptions(), rows, [])
    changes = []
    for i, row in enumerate(rows):
        a, b = comparison.pair_texts(row)
        if row.kind is RowKind.INSERTED:
            row.ops = (Op("insert", 0, 0, 0, len(b)),)
        elif row.kind is RowKind.DELETED:
            row.ops = (Op("delete", 0, len(a), 0, 0),)
        elif row.coarse:
            row.ops = (Op("replace", 0, len(a), 0, len(b)),)
        elif row.kind is not RowKind.EQUAL:
            row.ops = word_ops(a, b)
        ins = sum(_words(b[o.b0:o.b1]) for o in row.ops)
        dele = sum(_words(a[o.a0:o.a1]) for o in row.ops)
        if row.kind is RowKind.MOVED_FROM:
            changes.append(Change(ChangeKind.MOVED, (i, row.partner), ins, dele, bool(row.ops)))
        elif row.kind not in (RowKind.EQUAL, RowKind.MOVED_TO):
            changes.append(Change(ChangeKind(row.kind.value), (i,), ins, dele))
    comparison.changes = changes
    return comparison


def draft(text: str, name: str) -> Draft:
    d = draft_from_text(text, name)
    d.path = Path("/cases/21 011 396") / name
    d.sha256 = "ab12cd34ef56" + "0" * 52
    d.modified = dt.datetime(2026, 11, 20, 9, 30)
    return d


def hand_pair() -> Comparison:
    """LEFT against RIGHT, rows as a reader would align them: every kind of row once."""
    left, right = draft(LEFT, "draft-v1.txt"), draft(RIGHT, "draft-v2 & <final>.txt")
    spec = [("equal", 0, 0), ("changed", 1, 1), ("changed", 2, 2), ("changed", 3, 3), ("deleted", 4, None),
            ("moved-from", 5, None, 11), ("moved-from", 6, None, 9), ("inserted", None, 4), ("equal", 7, 5),
            ("moved-to", None, 6, 6), ("equal", 8, 7), ("moved-to", None, 8, 5)]
    return hand_built(left, right, spec)


def engine_pair(left_text: str = LEFT, right_text: str = RIGHT, options: CompareOptions | None = None) -> Comparison:
    return compare(draft(left_text, "draft-v1.txt"), draft(right_text, "draft-v2 & <final>.txt"), options)


def sample_pair() -> Comparison:
    base = REPO / "resources" / "sample_compare"
    return compare(draft((base / "draft-v1.txt").read_text("utf-8"), "draft-v1.txt"),
                   draft((base / "draft-v2.txt").read_text("utf-8"), "draft-v2.txt"))


PAIRS = {"hand": hand_pair, "engine": engine_pair, "sample": sample_pair}


@pytest.fixture(params=list(PAIRS))
def comparison(request) -> Comparison:
    return PAIRS[request.param]()


# --- reading the redline back ------------------------------------------------------------------


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def _run_text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br"):
        parts.append({f"{W}tab": "\t", f"{W}br": "\n"}.get(el.tag, el.text or ""))
    return "".join(parts)


def resolve(root: etree._Element, accept: bool) -> list[str]:
    """The body's paragraph texts after accepting (or rejecting) every tracked change.

    A paragraph whose mark is removed (inserted mark rejected, deleted mark accepted) joins
    the next paragraph, as in Word.
    """
    body = copy.deepcopy(root).find(f"{W}body")
    drop, keep = (f"{W}del", f"{W}ins") if accept else (f"{W}ins", f"{W}del")
    texts, carry = [], ""
    for p in body.iter(f"{W}p"):
        mark = p.find(f"w:pPr/w:rPr/{drop.replace(W, 'w:')}", NS)
        joins = mark is not None
        for el in list(p.iter(drop, keep)):
            if el.getparent().tag == f"{W}rPr":
                el.getparent().remove(el)  # the paragraph mark's own revision
            elif el.tag == drop:
                el.getparent().remove(el)
            else:
                _unwrap(el)
        text = carry + _run_text(p)
        if joins:
            carry = text
        else:
            texts.append(text)
            carry = ""
    if carry:
        texts.append(carry)
    return texts


def labelled(block) -> str:
    return f"{block.label} {block.text}" if block.label else block.text


def tracked_text(comparison: Comparison) -> tuple[str, str]:
    """What the redline should show inserted and deleted, in document order.

    Changed rows: the ops' words; paragraphs inserted or deleted whole (moves included, which
    are written as a deletion and an insertion) with their labels, since those go too.
    """
    ins, dele = [], []
    for row in comparison.rows:
        left, right = comparison.left_text(row), comparison.right_text(row)
        if row.kind is RowKind.CHANGED:
            for op in sorted(row.ops, key=lambda o: o.b0):
                dele.append(left[op.a0:op.a1])
                ins.append(right[op.b0:op.b1])
        elif row.kind in (RowKind.INSERTED, RowKind.MOVED_TO):
            ins.append(labelled(comparison.right.blocks[row.right]))
        elif row.kind in (RowKind.DELETED, RowKind.MOVED_FROM):
            dele.append(labelled(comparison.left.blocks[row.left]))
    return "".join(ins), "".join(dele)


# --- the redline -------------------------------------------------------------------------------


def test_accepting_all_gives_the_right_draft_and_rejecting_all_the_left(comparison, tmp_path):
    path = tmp_path / "redline.docx"
    export_redline(comparison, path, when=WHEN)
    root = document_xml(path.read_bytes())

    accepted = resolve(root, accept=True)
    rejected = resolve(root, accept=False)
    intro = accepted[0]
    assert comparison.left.name in intro and comparison.right.name in intro and comparison.summary() in intro
    assert rejected[0] == intro  # the intro is not tracked

    assert accepted[1:] == [labelled(b) for b in comparison.right.blocks]
    # rejected paragraphs keep the right draft's label where the paragraph stayed (renumbering is not a change)
    left_texts = [b.text for b in comparison.left.blocks]
    assert len(rejected[1:]) == len(left_texts)
    for got, want, block in zip(rejected[1:], left_texts, comparison.left.blocks, strict=True):
        assert got.endswith(want), (got, want)
        label = got[: len(got) - len(want)].strip()
        assert bool(label) == bool(block.label), (got, block)
    assert comparison.counts.total > 0


def test_tracked_runs_hold_exactly_the_inserted_and_deleted_words(comparison):
    root = document_xml(build_redline(comparison, author="A. Investigator", when=WHEN))
    want_ins, want_del = tracked_text(comparison)
    assert "".join(t.text or "" for t in root.iterfind(".//w:ins//w:t", NS)) == want_ins
    assert "".join(t.text or "" for t in root.iterfind(".//w:del//w:delText", NS)) == want_del
    assert root.find(".//w:del//w:t", NS) is None, "deleted text must be w:delText"
    assert root.find(".//w:ins//w:delText", NS) is None
    assert root.find(".//w:moveFrom", NS) is None and root.find(".//w:moveTo", NS) is None

    revisions = root.findall(".//w:ins", NS) + root.findall(".//w:del", NS)
    assert revisions
    ids = [r.get(f"{W}id") for r in revisions]
    assert len(ids) == len(set(ids)) and all(i and i.isdigit() for i in ids)
    assert {r.get(f"{W}author") for r in revisions} == {"A. Investigator"}
    assert {r.get(f"{W}date") for r in revisions} == {"2026-11-23T10:00:00Z"}
    for t in root.iterfind(".//w:t", NS):
        if t.text != t.text.strip():
            assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_whole_paragraphs_and_moves_mark_the_paragraph_mark(comparison):
    root = document_xml(build_redline(comparison, when=WHEN))
    paragraphs = root.findall("w:body/w:p", NS)[1:]
    whole = {RowKind.INSERTED: "ins", RowKind.MOVED_TO: "ins", RowKind.DELETED: "del", RowKind.MOVED_FROM: "del"}
    assert len(paragraphs) == len(comparison.rows)
    for row, p in zip(comparison.rows, paragraphs, strict=True):
        mark = p.find("w:pPr/w:rPr/*", NS)
        if row.kind in whole:
            assert mark is not None and mark.tag == W + whole[row.kind], row
            # every run of the paragraph is inside the one kind of revision
            for r in p.iterfind(".//w:r", NS):
                assert r.getparent().tag == W + whole[row.kind]
        else:
            assert mark is None
            if row.kind is RowKind.EQUAL:
                assert p.find(".//w:ins", NS) is None and p.find(".//w:del", NS) is None
        block = (comparison.right.blocks[row.right] if row.right is not None else comparison.left.blocks[row.left])
        style = p.find("w:pPr/w:pStyle", NS)
        assert (style is not None and style.get(f"{W}val") == "Heading2") == (block.kind == "heading")


def test_replaced_word_is_deletion_then_insertion_in_place():
    comparison = hand_pair()
    root = document_xml(build_redline(comparison, when=WHEN))
    p = root.findall("w:body/w:p", NS)[1 + 3]  # row 3: "fault" -> "maladministration"
    sequence = [(child.tag[len(W):], _run_text(child)) for child in p if child.tag != f"{W}pPr"]
    assert sequence == [("r", "3. "), ("r", "We investigate complaints about "), ("del", "fault"),
                        ("ins", "maladministration"), ("r", " by councils.")]


def test_document_properties_settings_and_python_docx(tmp_path):
    comparison = hand_pair()
    path = tmp_path / "redline.docx"
    export_redline(comparison, path, author="Jo Bloggs", when=dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.timezone(
        dt.timedelta(hours=1))))
    document = docx.Document(str(path))
    props = document.core_properties
    assert props.title == "Comparison of draft-v1.txt and draft-v2 & <final>.txt"
    assert props.author == "Jo Bloggs" and props.last_modified_by == "Jo Bloggs"
    assert props.created == props.modified == WHEN  # 11:00 at UTC+1 is 10:00 UTC
    assert props.comments == "" and props.last_printed is None
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
        settings = etree.fromstring(z.read("word/settings.xml"))
        assert "python-docx" not in core and "2013" not in core
        dates = set(re.findall(rb'w:date="([^"]+)"', z.read("word/document.xml")))
    assert dates == {b"2026-11-23T10:00:00Z"}
    track = settings.find("w:trackRevisions", NS)
    assert track is not None
    # schema order: trackRevisions comes before defaultTabStop
    tags = [c.tag for c in settings]
    if f"{W}defaultTabStop" in tags:
        assert tags.index(f"{W}trackRevisions") < tags.index(f"{W}defaultTabStop")
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("Original: draft-v1.txt. Revised: draft-v2 & <final>.txt. The tracked changes")
    assert [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")] == ["Heading 2"] * 2


def test_coarse_rows_are_one_deletion_and_one_insertion(tmp_path):
    left = draft("  1. Keep this start. A very long middle\tthat was rewritten by the investigator. Keep the end.\n"
                 "  2. Same.\n", "a.txt")
    right = draft("  4. Keep this start. The middle, rewritten\tentirely in the final. Keep the end.\n"
                  "  5. Same.\n", "b.txt")
    comparison = compare(left, right, CompareOptions(word_limit=3))
    row = comparison.rows[0]
    assert row.kind is RowKind.CHANGED and row.coarse and len(row.ops) == 1
    root = document_xml(build_redline(comparison, when=WHEN))
    assert resolve(root, accept=True)[1:] == [labelled(b) for b in right.blocks]
    assert resolve(root, accept=False)[1:] == [f"4. {left.blocks[0].text}", f"5. {left.blocks[1].text}"]
    assert len(root.findall(".//w:del", NS)) == len(root.findall(".//w:ins", NS)) == 1
    assert root.find(".//w:del//w:tab", NS) is not None and root.find(".//w:ins//w:tab", NS) is not None
    op = row.ops[0]
    page = html.fromstring(render_html(comparison))
    tr = page.get_element_by_id("row-1")
    assert [d.text_content() for d in tr.iter("del")] == [left.blocks[0].text[op.a0:op.a1]]
    assert [i.text_content() for i in tr.iter("ins")] == [right.blocks[0].text[op.b0:op.b1]]
    assert "too long to compare word by word" in tr.text_content()

    # a coarse row that came without ops is replaced whole, and still accepts and rejects exactly
    comparison.rows[0].ops = ()
    root = document_xml(build_redline(comparison, when=WHEN))
    assert "".join(t.text for t in root.iterfind(".//w:del//w:delText", NS)) == left.blocks[0].text.replace("\t", "")
    assert resolve(root, accept=True)[1:] == [labelled(b) for b in right.blocks]
    assert resolve(root, accept=False)[1] == f"4. {left.blocks[0].text}"
    tr = html.fromstring(render_html(comparison)).get_element_by_id("row-1")
    assert [d.text_content() for d in tr.iter("del")] == [left.blocks[0].text]


def test_no_differences_gives_a_plain_copy():
    left = draft(LEFT, "a.txt")
    comparison = hand_built(left, draft(LEFT, "b.txt"), [("equal", i, i) for i in range(len(left.blocks))])
    root = document_xml(build_redline(comparison, when=WHEN))
    assert root.find(".//w:ins", NS) is None and root.find(".//w:del", NS) is None
    assert resolve(root, accept=True)[1:] == [labelled(b) for b in left.blocks]
    assert "no differences" in resolve(root, accept=True)[0]




@pytest.mark.slow
def test_libreoffice_converts_the_redline(tmp_path):
    comparison = hand_pair()
    source = tmp_path / "redline.docx"
    export_redline(comparison, source, when=WHEN)
    profile = tmp_path / "lo-profile"
    run = subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                          "pdf", "--outdir", str(tmp_path / "out"), str(source)],
                         capture_output=True, text=True, timeout=120)
    pdf = tmp_path / "out" / "redline.pdf"
    assert run.returncode == 0 and pdf.is_file(), run.stdout + run.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "maladministration" in flat and "A new paragraph is inserted here" in flat
    assert "Original: draft-v1.txt. Revised: draft-v2 & <final>.txt." in flat


# --- the HTML report ---------------------------------------------------------------------------


def _cell_marks(cell, tag: str) -> list[str]:
    return [el.text_content() for el in cell.iter(tag)]


def test_html_marks_match_the_ops_and_moves_link_their_partner(comparison, tmp_path):
    path = tmp_path / "report.html"
    export_html(comparison, path, generated=dt.datetime(2026, 11, 23, 10, 0))
    page = html.fromstring(path.read_text("utf-8"))
    rows = page.xpath("//table[@class='rows']/tbody/tr")
    assert len(rows) == len(comparison.rows)
    numbers = {r: n for n, c in enumerate(comparison.changes, start=1) for r in c.rows}
    for i, (tr, row) in enumerate(zip(rows, comparison.rows, strict=True)):
        assert tr.get("id") == f"row-{i + 1}" and tr.get("class") == row.kind.value
        _, chg, left_cell, right_cell = tr.findall("td")
        assert chg.text_content() == str(numbers.get(i, ""))
        left, right = comparison.left_text(row), comparison.right_text(row)
        if row.left is None:
            assert left_cell.get("class") == "gap" and not left_cell.text_content()
        else:
            block = comparison.left.blocks[row.left]
            assert left_cell.text_content().startswith(f"{block.label} {block.text}" if block.label else block.text)
            want = [] if row.kind is RowKind.EQUAL else [left[a:b] for a, b in row.left_marks]
            assert _cell_marks(left_cell, "del") == want
            assert not _cell_marks(left_cell, "ins")
        if row.right is None:
            assert right_cell.get("class") == "gap" and not right_cell.text_content()
        else:
            want = [] if row.kind is RowKind.EQUAL else [right[a:b] for a, b in row.right_marks]
            assert _cell_marks(right_cell, "ins") == want
            assert not _cell_marks(right_cell, "del")
        if row.kind in (RowKind.MOVED_FROM, RowKind.MOVED_TO):
            link = tr.find(".//a[@class='partner']")
            assert link.get("href") == f"#row-{row.partner + 1}"
            assert page.get_element_by_id(f"row-{row.partner + 1}") is rows[row.partner]
            assert ("moved to" if row.kind is RowKind.MOVED_FROM else "moved from") in tr.text_content()
            change = next(c for c in comparison.changes if i in c.rows)
            assert ("and edited" in tr.text_content()) == change.edited == bool(row.ops)
    assert any(r.kind is RowKind.MOVED_FROM for r in comparison.rows)


def test_html_escapes_and_shows_the_text_whole():
    comparison = hand_pair()
    source = render_html(comparison, generated=dt.datetime(2026, 11, 23, 10, 0))
    assert "<sic>" not in source and "&lt;sic&gt;" in source and "<final>" not in source
    assert "&lt;view&gt; &amp; more" in source
    page = html.fromstring(source)
    rows = page.xpath("//table[@class='rows']/tbody/tr")
    for tr, row in zip(rows, comparison.rows, strict=True):
        _, _, left_cell, right_cell = tr.findall("td")
        for cell, index, blocks in ((left_cell, row.left, comparison.left.blocks),
                                    (right_cell, row.right, comparison.right.blocks)):
            if index is None:
                continue
            block = blocks[index]
            label = cell.find("span[@class='label']")
            assert (label.text if label is not None else "") == block.label
            body = cell.text_content()[len(block.label) + 1 if block.label else 0:]
            notes = "".join(n.text_content() for n in cell.iterfind(".//span[@class='note']"))
            assert body == block.text + notes
            assert (cell.find("span[@class='heading']") is not None) == (block.kind == "heading")
    assert page.findtext(".//title") == "Comparison of draft-v1.txt and draft-v2 & <final>.txt"
    assert not page.xpath("//script | //link | //img | //*[@src]")


def test_html_cover_names_both_files_and_the_counts():
    comparison = hand_pair()
    page = html.fromstring(render_html(comparison, generated=dt.datetime(2026, 11, 23, 10, 0)))
    cover = page.get_element_by_id("cover")
    text = " ".join(" ".join(cover.itertext()).split())
    for d in (comparison.left, comparison.right):
        assert d.name in text and str(d.path) in text and d.sha256[:12] in text and d.sha256[:13] not in text
    assert "Left: draft-v1.txt" in text and "Right: draft-v2 & <final>.txt" in text
    assert "modified 20 Nov 2026 09:30" in text and "Generated: 23 Nov 2026 10:00" in text
    assert comparison.options.describe() in text and comparison.summary() in text
    counts = {th.text_content(): int(td.text_content())
              for th, td in (tr.findall("*") for tr in cover.xpath(".//table[@class='counts']/tr"))}
    c = comparison.counts
    assert counts == {"paragraphs changed": c.changed, "inserted": c.inserted, "deleted": c.deleted,
                      "moved": c.moved, "words inserted": c.words_inserted, "words deleted": c.words_deleted,
                      "changes in all": c.total}
    links = cover.xpath(".//ol[@class='changes']/li/a/@href")
    assert links == [f"#row-{c.rows[0] + 1}" for c in comparison.changes]


def test_large_comparison_renders_quickly():
    lines = [f"  {i}. Paragraph {i} says the Council & Mr X's <representative> met on day {i}." for i in range(1, 801)]
    edited = [line.replace("met", "spoke") if i % 3 == 0 else line for i, line in enumerate(lines)]
    left, right = draft("\n".join(lines), "a.txt"), draft("\n".join(edited), "b.txt")
    spec = [("changed" if i % 3 == 0 else "equal", i, i) for i in range(len(lines))]
    comparison = hand_built(left, right, spec)
    start = time.perf_counter()
    source = render_html(comparison)
    data = build_redline(comparison, when=WHEN)
    assert time.perf_counter() - start < 10
    assert source.count("<tr id=") == 800 and source.count('<del class="del">met</del>') == 267
    assert len(document_xml(data).findall(".//w:ins", NS)) == 267


# --- failures are loud and leave nothing behind --------------------------------------------------


@pytest.mark.parametrize("export", [export_html, export_redline])
def test_export_into_a_missing_folder_fails_clearly(export, tmp_path):
    target = tmp_path / "missing" / "report.out"
    with pytest.raises(OutputError) as info:
        export(hand_pair(), target)
    assert str(target) in str(info.value) and "does not exist" in str(info.value)
    assert not (tmp_path / "missing").exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("export", [export_html, export_redline])
def test_export_replaces_an_existing_file_whole(export, tmp_path):
    target = tmp_path / "report.out"
    target.write_text("old")
    export(hand_pair(), target)
    assert target.read_bytes() != b"old" and [p.name for p in tmp_path.iterdir()] == ["report.out"]
    with pytest.raises(OutputError, match="is a folder"):
        export(hand_pair(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["report.out"]
