"""The decision's people (desk_app.core.decision.pseudonym_sync) and what a new decision takes
from the case (case_hints): the rules on hand-written text, then on the real sample case with
the real pipeline, the Word export read back, and LibreOffice's rendering of its numbers."""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path

import docx
import pytest

from desk_app.core.decision import export_docx, iter_numbered
from desk_app.core.decision.case_hints import case_hints, fill_complainant
from desk_app.core.decision.library import new_decision
from desk_app.core.decision.model import Header, Outcome, Paragraph
from desk_app.core.decision.pseudonym_sync import Cast, find_problems, locate, refusal_message, rename_in_decision
from desk_app.core.ingest import iter_case_files, load_document
from desk_app.core.people.mapping import CaseMapping, MappedPerson
from tests.helpers.office import soffice
from tests.helpers.paths import REPO

SAMPLE = REPO / "resources" / "sample_case"


def mapping() -> CaseMapping:
    return CaseMapping([
        MappedPerson(["Priya Ramsden", "Priya", "Ramsden"], "Mrs", "X", False, None, True, "Mrs X"),
        MappedPerson(["Daniel Ramsden", "Daniel"], "Mr", "X", False, None, False, "Mr X"),
        MappedPerson(["Oliver"], None, "B", True, None, False, "B"),
        MappedPerson(["Anil Mehta"], "Dr", "C", False, None, False, "Dr C"),
        MappedPerson(["Karen Holloway", "Holloway"], "Ms", None, False, "social worker", False, "the social worker"),
    ])


def changed(edit) -> tuple[Cast, Cast]:
    before = mapping()
    after = copy.deepcopy(before)
    edit(after)
    return Cast.of(before), Cast.of(after)


def rename(index: int, pseudonym: str, letter: str | None):
    def edit(m: CaseMapping) -> None:
        m.people[index].pseudonym, m.people[index].letter = pseudonym, letter
    return edit


# --- following a rename ----------------------------------------------------------------------


def test_a_rename_rewrites_every_form_of_that_person_and_nothing_else():
    old, new = changed(rename(2, "D", "D"))
    renames = old.renames_to(new)
    assert renames.describe() == "B → D"
    text = ("Mrs X complains about her son, B. B's school, and B’s teacher, met B in Part B of Plan B; "
            "Mr and Mrs X agreed. Dr C and Mr Bell saw B-road, B.Sc and B2.")
    out, count = renames.apply(text)
    assert out == ("Mrs X complains about her son, D. D's school, and D’s teacher, met D in Part B of Plan B; "
                   "Mr and Mrs X agreed. Dr C and Mr Bell saw B-road, B.Sc and B2.")
    assert count == 4


def test_a_swap_is_one_pass_and_titles_follow():
    def swap(m: CaseMapping) -> None:
        rename(2, "C", "C")(m)
        rename(3, "Dr B", "B")(m)
    old, new = changed(swap)
    out, count = old.renames_to(new).apply("Her son, B, saw Dr C; C's notes and Dr C's letter reached B.")
    assert out == "Her son, C, saw Dr B; B's notes and Dr B's letter reached C." and count == 5


def test_couples_split_when_their_letters_part_and_roles_are_written_out():
    def part(m: CaseMapping) -> None:
        rename(1, "Mr E", "E")(m)
        m.people[2].pseudonym, m.people[2].letter, m.people[2].role = "the pupil", None, "pupil"
    old, new = changed(part)
    out, _ = old.renames_to(new).apply("Mr and Mrs X met B. B said so, and her son, B, agreed.")
    assert out == "Mr E and Mrs X met the pupil. The pupil said so, and her son, the pupil, agreed."


def test_no_change_no_rewrite_and_a_person_who_left_is_not_guessed():
    old, same = changed(lambda m: None)
    assert not old.renames_to(same) and old.renames_to(same).apply("her son, B") == ("her son, B", 0)
    old, gone = changed(lambda m: m.people.pop(2))   # "Not a person"
    assert not old.renames_to(gone)
    assert [m.term for m in gone.marks("her son, B, and B's school")] == ["B", "B"]


def test_a_merged_entrys_letter_becomes_the_survivors():
    def merge(m: CaseMapping) -> None:
        m.people[3].names += ["Oliver"]
        del m.people[2]
    old, new = changed(merge)
    assert old.renames_to(new).apply("her son, B, and Dr C") == ("her son, C, and Dr C", 1)


# --- what the decision must not say ----------------------------------------------------------


def test_marks_find_real_names_and_pseudonyms_of_no_one():
    cast = Cast.of(mapping())
    text = "Oliver (OLIVER) told Ms Holloway; her son, E, and Mr K met Mrs X and B. Plan E's cost; Hollowayx."
    marks = [(m.kind, m.term) for m in cast.marks(text)]
    assert marks == [("name", "Oliver"), ("name", "OLIVER"), ("name", "Holloway"), ("stale", "E"), ("stale", "Mr K")]


def test_ignored_words_are_not_names():
    m = mapping()
    m.people[2].names.append("Hope")
    m.ignore.append("Hope")
    assert [k.term for k in Cast.of(m).marks("Hope House said Oliver")] == ["Oliver"]


def decision_with(*texts: str):
    header = Header("Harrowfield Metropolitan Borough Council", "24 011 873", "Children's care services",
                    "Child protection", Outcome.UPHELD, "09 Dec 2025")
    decision = new_decision(header, summary="Mrs X complained.")
    for text in texts:
        decision.section("found").add(Paragraph(text))
    return decision


def test_problems_are_placed_by_printed_paragraph_number():
    decision = decision_with("Her son, B, was upset.", "Her son, E, was upset.")
    stale = find_problems(decision, Cast.of(mapping()), ("stale",))
    target = list(decision.section("found").paragraphs)[-1]
    number = next(n.number for n in iter_numbered(decision) if n.paragraph is target)
    assert [(p.mark.term, p.place.label, p.place.paragraph is target) for p in stale] == [
        ("E", f"paragraph {number}", True)]
    message = refusal_message(stale)
    assert f"“E” is in paragraph {number}, but no one in the case is called that now" in message
    assert "Her son, E, was upset" in message


def test_rename_in_decision_covers_summary_items_and_citations():
    decision = decision_with("Her son, B, was upset.")
    decision.summary = "B's school shared the assessment."
    para = decision.section("found").paragraphs[-1]
    para.edit(items=["B was upset;", "Mr X was not."], citation="(B's file)")
    old, new = changed(rename(2, "D", "D"))
    assert rename_in_decision(decision, old.renames_to(new)) == 4
    assert decision.summary == "D's school shared the assessment."
    assert (para.text, para.items, para.citation) == ("Her son, D, was upset.", ["D was upset;", "Mr X was not."],
                                                       "(D's file)")


def test_locate_prefers_the_paragraph_whose_words_match_the_context():
    decision = decision_with("Ms Holloway visited twice.", "The school called Ms Holloway about the plan.")
    place = locate(decision, "Holloway", "…school called Ms Holloway about the…")
    target = decision.section("found").paragraphs[-1]
    assert place is not None and place.paragraph is target
    assert place.number == next(n.number for n in iter_numbered(decision) if n.paragraph is target)
    assert locate(decision, "Nobody", "") is None


# --- the sample case, the real pipeline, the Word file -----------------------------------------


@pytest.fixture(scope="module")
def sample_review(detector):
    from desk_app.core.anonymise.review import CaseReview

    docs = [load_document(p) for p in iter_case_files([SAMPLE])]
    return CaseReview(docs, detector.detect_many(docs))


def word_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.mark.slow
def test_sample_rename_reaches_the_word_export(sample_review, tmp_path):
    from desk_app.gui.sample import sample_decision  # Qt-free: the sample's draft, written through the mapping

    review = copy.deepcopy(sample_review)
    decision = sample_decision(review.anonymise_text)
    before = Cast.of(review.state.mapping)
    oliver = next(p.index for p in review.people if "Oliver" in p.names)
    old = review.people[oliver].pseudonym
    review.rename(oliver, "D")
    after = Cast.of(review.state.mapping)
    assert rename_in_decision(decision, before.renames_to(after)) >= 3
    assert find_problems(decision, after) == []
    export_docx(decision, tmp_path / "decision.docx")
    printed = word_text(tmp_path / "decision.docx")
    assert "her son, D" in printed and f"her son, {old}" not in printed
    assert re.search(r"\bD's school", printed) and not re.search(rf"\b{old}'s school", printed)


def test_case_hints_from_the_sample_and_the_complainant_filled_in():
    texts = [load_document(p).text for p in iter_case_files([SAMPLE])]
    hints = case_hints(texts, mapping())
    assert (hints.organisation, hints.reference, hints.complainant) == (
        "Harrowfield Metropolitan Borough Council", "24 011 873", "Mrs X")
    assert case_hints(["The Council said so."]).organisation is None
    assert case_hints(["London Borough of Bromley (ref 23 005 338a)"]).reference == "23 005 338a"
    decision = decision_with()
    decision.section("found").add(Paragraph("[[complainant]] said [[what]]."))
    assert fill_complainant(decision, "Mrs X") >= 1
    assert "Mrs X said [[what]]." in [p.text for p in decision.paragraphs()]




@pytest.mark.slow
def test_the_located_number_is_the_number_word_prints(tmp_path):
    """Word numbers the paragraphs itself (list numbering); LibreOffice renders them as printed."""
    decision = decision_with("Facts first.", "The school called Ms Holloway about the plan.", "More facts.")
    place = locate(decision, "Holloway", "called Ms Holloway about")
    assert place is not None and place.number is not None
    source = tmp_path / "decision.docx"
    export_docx(decision, source)
    profile = tmp_path / "lo-profile"
    run = subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                          "txt:Text (encoded):UTF8", "--outdir", str(tmp_path / "out"), str(source)],
                         capture_output=True, text=True, timeout=180)
    text = (tmp_path / "out" / "decision.txt").read_text(encoding="utf-8-sig")
    assert run.returncode == 0, run.stderr
    line = next(line for line in text.splitlines() if "Holloway" in line)
    assert re.match(rf"\s*{place.number}\.\s", line), line
