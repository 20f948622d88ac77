"""The comparison engine on hand-made pairs: what changed, where, and nothing else."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.compare import (
    ChangeKind,
    CompareOptions,
    RowKind,
    compare,
    compare_files,
    draft_from_text,
    load_draft,
)
from desk_app.core.errors import InputError
from tests.helpers.paths import REPO

REPO = REPO
SAMPLE = REPO / "resources" / "sample_compare"

P1 = "Mrs X complained that the Council did not assess her son's needs properly in 2021."
P2 = "The Council said it had followed the statutory guidance and offered a further review meeting."
P3 = "I considered the information Mrs X and the Council provided, including the care plan."
P4 = "The Council has agreed to apologise to Mrs X and pay her £300 for the distress caused."
P5 = "Within one month of the final decision the Council will remind staff of the guidance."


def cmp(a: list[str], b: list[str], **options):
    return compare(draft_from_text("\n".join(a), "a"), draft_from_text("\n".join(b), "b"),
                   CompareOptions(**options) if options else None)


def apply_ops(left: str, right: str, ops) -> str:
    """Rebuild the right text from the left one and the ops: checks the ops cover exactly."""
    out, pos = [], 0
    for o in ops:
        out.append(left[pos:o.a0])
        out.append(right[o.b0:o.b1])
        pos = o.a1
    out.append(left[pos:])
    return "".join(out)


def marked(c, change_index: int = 0) -> tuple[list[str], list[str]]:
    row = c.rows[c.changes[change_index].rows[0]]
    a, b = c.pair_texts(row)
    return [a[o.a0:o.a1] for o in row.ops if o.a1 > o.a0], [b[o.b0:o.b1] for o in row.ops if o.b1 > o.b0]


def test_identical_drafts_have_no_changes():
    c = cmp([P1, P2, P3], [P1, P2, P3])
    assert c.counts.total == 0
    assert c.summary() == "no differences"
    assert [r.kind for r in c.rows] == [RowKind.EQUAL] * 3


def test_inserted_words_are_marked_on_the_right_only():
    c = cmp([P1], [P1.replace("did not assess", "did not properly assess")])
    assert [ch.kind for ch in c.changes] == [ChangeKind.CHANGED]
    deleted, inserted = marked(c)
    assert deleted == []
    assert "".join(inserted).strip() == "properly"
    assert c.counts.words_inserted == 1 and c.counts.words_deleted == 0


def test_deleted_words_are_marked_on_the_left_only():
    c = cmp([P2], [P2.replace(" and offered a further review meeting", "")])
    deleted, inserted = marked(c)
    assert inserted == []
    assert "".join(deleted).strip() == "and offered a further review meeting"
    assert c.counts.words_deleted == 6


def test_a_replaced_word_is_one_replace_op():
    c = cmp([P4], [P4.replace("£300", "£350")])
    row = c.rows[c.changes[0].rows[0]]
    assert [o.tag for o in row.ops] == ["replace"]
    assert marked(c) == (["300"], ["350"])


def test_inserted_and_deleted_paragraphs():
    c = cmp([P1, P2, P3], [P1, P3, P4])
    kinds = [ch.kind for ch in c.changes]
    assert kinds == [ChangeKind.DELETED, ChangeKind.INSERTED]
    deleted_row = c.rows[c.changes[0].rows[0]]
    inserted_row = c.rows[c.changes[1].rows[0]]
    assert c.left.blocks[deleted_row.left].text == P2 and deleted_row.right is None
    assert c.right.blocks[inserted_row.right].text == P4 and inserted_row.left is None
    assert c.counts.words_deleted == len(P2.split())


def test_a_moved_paragraph_is_a_move_not_a_delete_and_insert():
    c = cmp([P1, P2, P3, P4, P5], [P1, P3, P4, P2, P5])
    assert [ch.kind for ch in c.changes] == [ChangeKind.MOVED]
    move = c.changes[0]
    src, dst = (c.rows[r] for r in move.rows)
    assert src.kind is RowKind.MOVED_FROM and dst.kind is RowKind.MOVED_TO
    assert c.left.blocks[src.left].text == P2 and c.right.blocks[dst.right].text == P2
    assert src.partner == move.rows[1] and dst.partner == move.rows[0]
    assert not move.edited and src.ops == ()


def test_a_moved_and_edited_paragraph_is_a_move_with_its_edits():
    edited = P2.replace("a further review meeting", "a further meeting")
    c = cmp([P1, P2, P3, P4, P5], [P1, P3, P4, edited, P5])
    assert [ch.kind for ch in c.changes] == [ChangeKind.MOVED]
    assert c.changes[0].edited
    assert marked(c) == (["review "], [])
    src = c.rows[c.changes[0].rows[0]]
    assert apply_ops(*c.pair_texts(src), src.ops) == edited


def test_an_edited_paragraph_in_place_is_not_called_a_move():
    c = cmp([P1, P2, P3], [P1, P2.replace("statutory", "relevant"), P3])
    assert [ch.kind for ch in c.changes] == [ChangeKind.CHANGED]


def test_renumbering_is_not_a_change():
    v1 = ["The complaint", "  1. " + P1, "  2. " + P2, "What I found", "  1. " + P3, "    a) " + P4]
    v2 = ["The complaint", "  1. " + P1, "  2. " + P2, "What I found", "  3. " + P3, "    b) " + P4]
    c = cmp(v1, v2)
    assert c.counts.total == 0
    assert [b.label for b in c.right.blocks] == ["", "1.", "2.", "", "3.", "b)"]
    assert c.right.blocks[0].kind == "heading" and c.right.blocks[5].kind == "item"


def test_inserting_a_paragraph_renumbers_the_rest_without_changing_them():
    v1 = [f"  {n}. {p}" for n, p in enumerate([P1, P2, P3, P4], 1)]
    v2 = [f"  {n}. {p}" for n, p in enumerate([P1, P5, P2, P3, P4], 1)]
    c = cmp(v1, v2)
    assert [ch.kind for ch in c.changes] == [ChangeKind.INSERTED]


@pytest.mark.parametrize(("a", "b", "option"), [
    ("The Council apologised.", "the council apologised.", "ignore_case"),
    ("The Council  apologised.", "The Council apologised. ", "ignore_whitespace"),
    ("The Council’s ‘apology’.", "The Council's 'apology'.", "ignore_quotes"),
])
def test_options_make_a_difference_not_count(a, b, option):
    assert cmp([P1, a], [P1, b]).counts.changed == 1
    assert cmp([P1, a], [P1, b], **{option: True}).counts.total == 0


def test_a_whitespace_only_change_counts_by_default():
    c = cmp(["Mrs X  said so."], ["Mrs X said so."])
    assert c.counts.changed == 1


def test_a_huge_paragraph_is_marked_whole_instead_of_diffed():
    words = [f"word{i}" for i in range(3000)]
    other = list(words)
    for i in range(0, 3000, 7):
        other[i] = "changed"
    c = cmp([" ".join(words)], [" ".join(other)], word_limit=1000)
    row = c.rows[c.changes[0].rows[0]]
    assert row.coarse and len(row.ops) == 1
    a, b = c.pair_texts(row)
    assert apply_ops(a, b, row.ops) == b


def test_change_order_follows_the_document_and_moves_up_are_listed_where_they_land():
    c = cmp([P1, P2, P3, P4, P5], [P5, P1, P2, P3.replace("care plan", "plan"), P4])
    assert [ch.kind for ch in c.changes] == [ChangeKind.MOVED, ChangeKind.CHANGED]
    first_rows = [min(ch.rows) for ch in c.changes]
    assert first_rows == sorted(first_rows)


def test_the_sample_drafts():
    c = compare_files(SAMPLE / "draft-v1.txt", SAMPLE / "draft-v2.txt")
    counts = c.counts
    assert (counts.inserted, counts.deleted, counts.moved) == (1, 1, 2)
    assert counts.changed == 6   # date, stage, summary, three findings; no renumbering noise
    moved = [ch for ch in c.changes if ch.kind is ChangeKind.MOVED]
    assert sorted(ch.edited for ch in moved) == [False, True]
    assert c.left.sha256 and c.right.modified is not None


def test_every_op_rebuilds_the_right_text_on_the_sample():
    c = compare_files(SAMPLE / "draft-v1.txt", SAMPLE / "draft-v2.txt")
    for row in c.rows:
        if row.kind in (RowKind.CHANGED, RowKind.MOVED_FROM):
            a, b = c.pair_texts(row)
            assert apply_ops(a, b, row.ops) == b


_WORDS = st.sampled_from("Mrs X the Council said ‘fault’ care plan 2021 £300 , . and her son B apologised".split())


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=40), st.lists(_WORDS, min_size=1, max_size=40),
       st.sampled_from([" ", "  ", ", "]))
def test_ops_always_cover_both_texts_exactly(a_words, b_words, sep):
    a, b = " ".join(a_words), sep.join(b_words)
    c = cmp([a], [b])
    for row in c.rows:
        x, y = c.pair_texts(row)
        assert apply_ops(x, y, row.ops) == y
        previous = 0
        for o in row.ops:   # in order, within bounds, never overlapping
            assert previous <= o.a0 <= o.a1 <= len(x) and 0 <= o.b0 <= o.b1 <= len(y)
            previous = o.a1


def test_word_docx_lists_and_headings(tmp_path):
    import docx

    def write(path, paragraphs):
        d = docx.Document()
        for style, text in paragraphs:
            d.add_paragraph(text, style=style)
        d.save(path)

    write(tmp_path / "v1.docx", [("Heading 2", "What I found"), ("List Number", P1), ("List Number", P2),
                                 ("Normal", ""), ("List Bullet", P3)])
    write(tmp_path / "v2.docx", [("Heading 2", "What I found"), ("List Number", P5), ("List Number", P1),
                                 ("List Number", P2.replace("statutory", "relevant")), ("List Bullet", P3)])
    left, right = load_draft(tmp_path / "v1.docx"), load_draft(tmp_path / "v2.docx")
    assert [b.kind for b in left.blocks] == ["heading", "paragraph", "paragraph", "item"]
    assert [b.label for b in right.blocks][:4] == ["", "1.", "2.", "3."]   # Word's own numbers, kept apart
    c = compare(left, right)
    assert [ch.kind for ch in c.changes] == [ChangeKind.INSERTED, ChangeKind.CHANGED]
    assert marked(c, 1) == (["statutory"], ["relevant"])


def test_a_decision_json_is_compared_with_its_printed_numbers(tmp_path):
    from desk_app.core.decision.model import Paragraph, save_decision
    from desk_app.gui.sample import sample_decision

    decision = sample_decision(lambda text: text)
    save_decision(decision, tmp_path / "v1.decision.json")
    section = decision.sections[1]
    section.add(Paragraph(P5), 0)
    save_decision(decision, tmp_path / "v2.decision.json")
    c = compare_files(tmp_path / "v1.decision.json", tmp_path / "v2.decision.json")
    assert [ch.kind for ch in c.changes] == [ChangeKind.INSERTED]
    assert c.right.blocks[c.rows[c.changes[0].rows[0]].right].text == P5
    headings = [b.text for b in c.left.blocks if b.kind == "heading"]
    assert headings[:2] == [s.heading for s in decision.sections[:2]]


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("missing.txt", None, "does not exist"),
    ("empty.docx", b"", "empty"),
    ("fake.docx", b"%PDF-1.4 not really", "PDF"),
    ("blank.txt", b"\n\n  \n", "blank"),
    ("broken.decision.json", b"{not json", "decision"),
])
def test_bad_input_is_one_clear_error_naming_the_file(tmp_path, name, content, problem):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_draft(path)
    message = str(info.value)
    assert name in message and "\n" not in message
    assert problem.lower() in message.lower()


def test_json_report(tmp_path):
    from desk_app.core.compare.json_report import comparison_to_dict

    c = compare_files(SAMPLE / "draft-v1.txt", SAMPLE / "draft-v2.txt")
    data = json.loads(json.dumps(comparison_to_dict(c)))
    assert data["counts"]["moved"] == 2 and len(data["changes"]) == c.counts.total
    first = data["changes"][0]
    assert first["deleted"] == ["28 Jul"] and first["inserted"] == ["25 Aug"]
