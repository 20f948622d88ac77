"""The review core (desk_app.core.anonymise.review) on the real sample case and the real pipeline.

Every reviewer action is a mapping edit or an occurrence decision plus a recompute; these
tests check what the exported text would say after each one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.core.anonymise.review import ACCEPTED, REJECTED, CaseReview, ReviewError, ReviewState
from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.ingest import iter_case_files, load_document
from desk_app.core.people.mapping import CaseMapping
from tests.helpers.paths import REPO, TESTS

pytestmark = pytest.mark.slow
SAMPLE = REPO / "resources" / "sample_case"


@pytest.fixture(scope="module")
def sample(detector):
    docs = [load_document(p) for p in iter_case_files([SAMPLE])]
    return docs, detector.detect_many(docs)


@pytest.fixture
def review(sample):
    docs, dets = sample
    return CaseReview(docs, dets)


def text_doc(text: str, name: str = "notes.txt") -> SourceDocument:
    paras, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paras.append(Paragraph(line, pos, "text"))
        pos += len(line) + 1
    return SourceDocument(Path(name), "txt", text, paras)


def person(review: CaseReview, name: str) -> int:
    return next(p.index for p in review.people if name in p.names)


def notes(review: CaseReview) -> str:
    i = next(i for i, d in enumerate(review.documents) if d.path.name == "case-notes.txt")
    return review.preview(i)


def test_sample_case_people_and_preview(review):
    names = {p.display: p.pseudonym for p in review.people}
    assert names["Priya Ramsden"] == "Mrs X"
    assert names["Daniel Ramsden"] == "Mr X"
    assert names["Oliver"] == "B"
    assert names["Karen Holloway"] == "the social worker"
    text = notes(review)
    for real in ("Priya", "Ramsden", "Oliver", "Holloway", "Mehta", "07700", "BD7", "999 123 4578"):
        assert real not in text
    assert "her son,\nB (aged 9)" in text
    assert review.unreviewed() == review.occurrences
    assert all(p.count > 0 for p in review.people)


def test_accept_person_and_accept_all(review):
    x = person(review, "Priya Ramsden")
    review.accept_person(x)
    row = review.people[x]
    assert row.reviewed == row.count > 1
    assert 0 < len(review.unreviewed()) < len(review.occurrences)
    review.accept_all()
    assert review.unreviewed() == []
    assert all(review.decision(o) == ACCEPTED for o in review.occurrences)


def test_rejecting_one_occurrence_keeps_its_text_only_there(review):
    occ = [o for o in review.occurrences if o.text == "Oliver"]
    review.decide(occ[:1], REJECTED)
    text = notes(review)
    assert text.count("Oliver") == 1
    assert "B" in text
    rows = review.report()
    assert not any(r.start == occ[0].start and r.original == "Oliver" for r in rows if r.file.endswith("notes.txt"))


def test_rename_merge_and_errors(review):
    b = person(review, "Oliver")
    review.rename(b, "C")
    assert "her son,\nC (aged 9)" in notes(review)
    with pytest.raises(ReviewError, match="initial"):
        review.rename(b, "O")
    with pytest.raises(ReviewError, match="not 'Title L'"):
        review.rename(b, "Oliver's pseudonym")
    with pytest.raises(ReviewError, match="already stands for"):
        review.rename(b, "Mrs X")
    assert "her son,\nC (aged 9)" in notes(review)   # a refused action changes nothing

    gp, officer = person(review, "Anil Mehta"), person(review, "Rebecca Ashworth")
    before = len(review.people)
    review.merge(gp, [officer])
    assert len(review.people) == before - 1
    merged = review.people[person(review, "Anil Mehta")]
    assert "Rebecca Ashworth" in merged.names


def test_undo_is_putting_a_state_back(review):
    before = review.state.copy()
    text_before = notes(review)
    review.rename(person(review, "Oliver"), "D")
    assert notes(review) != text_before
    review.set_state(before)
    assert notes(review) == text_before
    assert review.state.to_dict() == before.to_dict()


def test_split_gives_a_new_letter(sample):
    doc = text_doc("Mrs Jane Okafor complained. Her daughter, Ada, is 7. Mrs Okafor said Ada was upset.\n"
                   "Jane Okafor wrote again.")
    docs = [doc]
    from desk_app.core.detect import Detector  # noqa: F401 - the session detector is used below

    rv = CaseReview(docs, [[]], ReviewState(CaseMapping.from_dict(
        {"people": [{"names": ["Jane Okafor", "Ada"], "title": "Mrs", "letter": "X", "complainant": True}]})))
    assert "Ada" not in rv.preview(0)
    assert "Her daughter, Mrs X" in rv.preview(0)   # the wrong merge the reviewer is fixing
    rv.split(0, ["Ada"])
    ada = rv.people[person(rv, "Ada")]
    assert ada.pseudonym not in ("Mrs X", "X") and ada.pseudonym
    assert f"Her daughter, {ada.pseudonym}" in rv.preview(0)
    with pytest.raises(ReviewError):
        rv.split(0, ["Jane Okafor"])   # all of a person's names


def test_set_complainant_moves_x(review):
    daniel = person(review, "Daniel Ramsden")
    review.set_complainant(daniel)
    rows = {p.display: p for p in review.people}
    assert rows["Daniel Ramsden"].pseudonym == "Mr X" and rows["Daniel Ramsden"].complainant
    # his wife keeps the family letter ('Mr and Mrs X') but is no longer the complainant
    assert rows["Priya Ramsden"].pseudonym == "Mrs X" and not rows["Priya Ramsden"].complainant


def test_complainant_from_another_family_takes_x(detector):
    doc = text_doc("Mrs Jane Okafor complained on behalf of her neighbour, Mr Tom Reilly.\n"
                   "Mr Reilly says the council ignored him. Mrs Okafor wrote twice.")
    rv = CaseReview([doc], detector.detect_many([doc]))
    assert rv.people[person(rv, "Jane Okafor")].pseudonym == "Mrs X"
    rv.set_complainant(person(rv, "Tom Reilly"))
    assert rv.people[person(rv, "Tom Reilly")].pseudonym == "Mr X"
    jane = rv.people[person(rv, "Jane Okafor")].pseudonym
    assert jane.startswith("Mrs ") and jane not in ("Mrs X", "Mrs J", "Mrs O")
    assert rv.preview(0).startswith(f"{jane} complained on behalf of her neighbour, Mr X.")


def test_add_missed_name_and_exclusion(detector):
    text = ("Mrs Jane Okafor complained about the care of her grandson, Will.\n"
            "The council said Will had been offered a place. It will review the plan.\n"
            "She was supported by Hope Advocacy.")
    doc = text_doc(text)
    rv = CaseReview([doc], detector.detect_many([doc]))
    out = rv.preview(0)   # the kinship cue finds Will now; the verb stays
    assert "Will" not in out and "It will review" in out
    will = rv.people[person(rv, "Will")]
    assert f"her grandson, {will.pseudonym}." in out
    with pytest.raises(ReviewError, match="already a name of"):
        rv.add_name("Will")   # one person per name: adding it again says whose it is
    rv.add_name("Hope Advocacy")
    assert "Hope Advocacy" not in rv.preview(0)
    rv.exclude("Hope Advocacy")
    assert "supported by Hope Advocacy." in rv.preview(0)
    assert "Hope Advocacy" in rv.state.mapping.ignore
    with pytest.raises(ReviewError, match="does not appear"):
        rv.add_name("Zebedee")


def test_reject_person_ignores_the_name_from_then_on(detector):
    text = "Mrs Jane Okafor complained. She came to the UK on the Windrush in 1958.\nMrs Okafor wants an apology."
    doc = text_doc(text)
    rv = CaseReview([doc], detector.detect_many([doc]))
    fp = [p for p in rv.people if p.display == "Windrush"]
    if not fp:   # the model did not tag it this time; make the false positive by hand
        rv.add_name("Windrush")
        fp = [p for p in rv.people if p.display == "Windrush"]
    rv.reject_person(fp[0].index)
    assert "on the Windrush in 1958" in rv.preview(0)
    assert "Windrush" in rv.state.mapping.ignore
    assert rv.people[person(rv, "Jane Okafor")].pseudonym == "Mrs X"


def test_state_round_trips_and_stale_decisions_are_dropped(sample):
    docs, dets = sample
    rv = CaseReview(docs, dets)
    rv.accept_all()
    rv.rename(person(rv, "Oliver"), "C")
    data = rv.state.to_dict()
    again = CaseReview(docs, dets, ReviewState.from_dict(data))
    assert again.unreviewed() == []
    assert [p.pseudonym for p in again.people] == [p.pseudonym for p in rv.people]
    for i in range(len(docs)):
        assert again.preview(i) == rv.preview(i)
    # a source edited since: decisions whose text moved are dropped, not misapplied
    changed = [SourceDocument(d.path, d.kind, "Note added at the top.\n" + d.text,
                              [Paragraph(p.text, p.start + 23, p.part) for p in d.paragraphs]) for d in docs]
    shifted = [[type(x)(x.start + 23, x.end + 23, x.text, x.entity, x.score, x.detector) for x in d] for d in dets]
    fresh = CaseReview(changed, shifted, ReviewState.from_dict(data))
    assert len(fresh.unreviewed()) == len(fresh.occurrences)


def test_bad_review_data_is_one_plain_error():
    with pytest.raises(Exception, match=r"review.decisions\[1\]"):
        ReviewState.from_dict({"decisions": [{"file": "x"}]})
    with pytest.raises(Exception, match="accepted"):
        ReviewState.from_dict({"decisions": [{"file": "x", "start": 1, "end": 2, "text": "a", "decision": "maybe"}]})


def test_pasted_text_gets_the_case_pseudonyms(review):
    out = review.anonymise_text("On 4 May Mrs Priya Ramsden told Ms Holloway that Oliver was unwell.")
    assert out == "On 4 May Mrs X told the social worker that B was unwell."


def test_shared_surname_mapping_reloads(review, tmp_path):
    """'Ramsden' is a name of both Mr and Mrs Ramsden: saving and loading must work."""
    path = tmp_path / "case.mapping.json"
    review.state.mapping.save(path)
    again = CaseMapping.load(path)
    assert [p.pseudonym for p in again.people] == [p.pseudonym for p in review.state.mapping.people]


@pytest.mark.parametrize("raw", sorted((TESTS / "data" / "roundtrip").glob("*.raw.txt")),
                         ids=lambda p: p.name)
def test_review_without_changes_exports_what_the_command_line_writes(raw, detector):
    """Locking the mapping in after analysis must not change a single replacement."""
    from desk_app.core.anonymise import anonymise_case

    doc = text_doc(raw.read_text(encoding="utf-8"), raw.name)
    dets = detector.detect_many([doc])
    rv = CaseReview([doc], dets)
    assert rv.preview(0) == anonymise_case([doc], dets).anonymised_text(0)
    rv.accept_all()
    assert rv.preview(0) == anonymise_case([doc], dets).anonymised_text(0)


# -- how each detection was decided, and values kept in one file but replaced in another (issue 14) ----

def test_the_review_counts_tell_bulk_acceptance_from_review_and_survive_a_save(review):
    oliver = person(review, "Oliver")
    review.accept_person(oliver)
    by_person = review.people[oliver].count
    one = review.unreviewed()[0]
    review.decide([one], REJECTED)
    review.accept_all()
    counts = review.review_counts()
    bulk = len(review.occurrences) - by_person - 1
    assert counts == {"accepted_individually": 0, "accepted_by_person": by_person, "accepted_in_bulk": bulk,
                      "rejected": 1, "unreviewed": 0}
    # one detection looked at after Accept All is a review again
    review.decide([next(o for o in review.occurrences if review.state.bulk.get(review._key(o)) == "all")], ACCEPTED)
    assert review.review_counts()["accepted_individually"] == 1
    # the .deskcase keeps it: reloaded, the counts are the same
    again = CaseReview(review.documents, review.detections, ReviewState.from_dict(review.state.to_dict()))
    assert again.review_counts() == review.review_counts()
    with pytest.raises(Exception, match="bulk"):
        ReviewState.from_dict({"decisions": [{"file": "x", "start": 1, "end": 2, "text": "a", "decision": "accepted",
                                              "bulk": "somehow"}]})


def test_a_value_kept_in_one_file_and_replaced_in_the_others_is_found(review):
    from desk_app.core.anonymise.consistency import kept_but_replaced

    assert kept_but_replaced(review) == []
    phones = [o for o in review.occurrences if o.text == "07700 900123"]
    assert sorted(review.documents[o.doc].path.name for o in phones) == ["case-notes.txt", "complaint-letter.pdf",
                                                                        "council-response.docx"]
    notes = next(o for o in phones if review.documents[o.doc].path.name == "case-notes.txt")
    review.decide([notes], REJECTED)
    (kept,) = kept_but_replaced(review)
    assert kept.message() == ("07700 900123 is kept in case-notes.txt and replaced in 2 other files "
                              "(complaint-letter.pdf, council-response.docx)")
    assert kept.kept == [notes] and kept.replaced == 2
    assert "07700 900123" in review.preview(notes.doc)   # what the export would publish
    review.decide(phones, REJECTED)                      # kept everywhere: a choice, not a slip
    assert kept_but_replaced(review) == []

    oliver = [o for o in review.occurrences if o.person == person(review, "Oliver")]
    first = oliver[0]
    review.decide([first], REJECTED)                     # a person: matched by who, not by spelling
    (kept,) = kept_but_replaced(review)
    name = review.documents[first.doc].path.name
    assert kept.text == first.text and kept.message().startswith(f"{first.text} is kept in {name} and replaced ")
    assert kept.replaced == len(oliver) - 1


# -- Split per occurrence (issue 14, item 9): one 'Oliver' of two people called Oliver ------------------

SHARED_FIRST_NAME = ("Mrs Jane Okafor complained about the care of her son, Oliver Okafor, aged 9.\n"
                     "Their neighbour, Mr Oliver Grant, helped with the school run.\n"
                     "Oliver was upset when the transport stopped.\n"
                     "On 3 May Oliver phoned the council from 07700 900123 to complain on her behalf.\n"
                     "The council said Oliver would get a place in September.\n")


@pytest.fixture
def two_olivers(detector, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text(SHARED_FIRST_NAME, encoding="utf-8")
    doc = load_document(source)
    return doc, detector.detect_many([doc])


def test_split_one_occurrence_of_a_shared_first_name(two_olivers, tmp_path):
    from desk_app.core.storage.casefile import CaseFile, SourceRef

    doc, dets = two_olivers
    rv = CaseReview([doc], dets)
    son, grant = person(rv, "Oliver Okafor"), person(rv, "Oliver Grant")
    b, c = rv.people[son].pseudonym, rv.people[grant].pseudonym
    olivers = [o for o in rv.occurrences if o.text == "Oliver"]
    assert len(olivers) == 3 and all(o.person == son for o in olivers)   # the tool gave every 'Oliver' to the son
    phoned = next(o for o in olivers if doc.text[o.end:].startswith(" phoned"))
    before, old_text, old_replacements = rv.state.copy(), rv.preview(0), rv.replacements(0)
    assert f"On 3 May {b} phoned" in old_text

    rv.split_occurrence(phoned, grant)
    out = rv.preview(0)
    assert f"On 3 May {c} phoned" in out
    assert f"her son, {b}, aged 9" in out and f"\n{b} was upset" in out and f"said {b} would" in out
    new_replacements = rv.replacements(0)
    changed = [(x, y) for x, y in zip(old_replacements, new_replacements, strict=True) if x != y]
    assert [(x.start, x.end, x.text, y.text) for x, y in changed] == [(phoned.start, phoned.end, b, c)]
    rows = {(r.start, r.end): r for r in rv.report()}
    assert (rows[(phoned.start, phoned.end)].replacement, rows[(phoned.start, phoned.end)].person) == (c, c)
    assert all(rows[o.key[1:]].person == b for o in olivers if o != phoned)
    moved = next(o for o in rv.occurrences if o.key == phoned.key)
    assert moved.person == person(rv, "Oliver Grant") and rv.decision(moved) == ACCEPTED
    assert (rv.people[person(rv, "Oliver Grant")].count, rv.people[person(rv, "Oliver Okafor")].count) == (2, 3)
    # the mapping still gives the name 'Oliver' to the son alone: it is the occurrence that moved
    assert "Oliver" in rv.state.mapping.people[person(rv, "Oliver Okafor")].names
    assert "Oliver" not in rv.state.mapping.people[person(rv, "Oliver Grant")].names
    assert rv.warnings == []

    # saved in the .deskcase and read back: the same text, the same report
    case = tmp_path / "okafor.deskcase"
    CaseFile(sources=[SourceRef.of(doc.path)], review=rv.state.to_dict()).save(case)
    loaded = CaseFile.load(case)
    assert loaded.review["moves"] == [{"file": str(doc.path), "start": phoned.start, "end": phoned.end,
                                       "text": "Oliver", "person": "Oliver Grant", "pseudonym": c}]
    again = CaseReview([load_document(doc.path)], dets, ReviewState.from_dict(loaded.review))
    assert again.preview(0) == out
    assert [r.as_dict() for r in again.report()] == [r.as_dict() for r in rv.report()]

    # undo and redo are putting a state back
    after = rv.state.copy()
    rv.set_state(before)
    assert rv.preview(0) == old_text and rv.replacements(0) == old_replacements
    rv.set_state(after)
    assert rv.preview(0) == out

    # a later rename of Mr Grant follows him to the split occurrence; a merge keeps it with him
    rv.rename(person(rv, "Oliver Grant"), "Mr D")
    assert "On 3 May Mr D phoned" in rv.preview(0) and f"said {b} would" in rv.preview(0)
    with pytest.raises(ReviewError, match="already stands for"):
        rv.split_occurrence(next(o for o in rv.occurrences if o.key == phoned.key), person(rv, "Oliver Grant"))


def test_split_one_occurrence_to_a_new_person(two_olivers):
    doc, dets = two_olivers
    rv = CaseReview([doc], dets)
    son = person(rv, "Oliver Okafor")
    b = rv.people[son].pseudonym
    said = next(o for o in rv.occurrences if o.text == "Oliver" and doc.text[:o.start].endswith("said "))
    with pytest.raises(ReviewError, match="already a name of"):
        rv.split_occurrence(said, None, "Oliver")      # two people cannot share the form 'Oliver'
    with pytest.raises(ReviewError, match="only a person"):
        rv.split_occurrence(next(o for o in rv.occurrences if o.person is None), person(rv, "Oliver Grant"))
    assert rv.state.moves == {}                        # a refused split changes nothing
    new = rv.split_occurrence(said, None, "Oliver Hughes", "Mr")
    row = rv.people[new]
    assert row.names == ["Oliver Hughes"] and row.count == 1
    assert row.pseudonym.startswith("Mr ") and row.pseudonym not in {p.pseudonym for p in rv.people if p != row}
    assert row.pseudonym.split()[-1] not in "OH"       # never a real initial
    out = rv.preview(0)
    assert f"said {row.pseudonym} would" in out
    assert f"her son, {b}, aged 9" in out and f"\n{b} was upset" in out and f"On 3 May {b} phoned" in out
    assert new == len(rv.people) - 1                    # a person made for one occurrence comes last


def test_a_split_occurrence_whose_text_changed_is_dropped_not_moved(two_olivers):
    doc, dets = two_olivers
    rv = CaseReview([doc], dets)
    grant = person(rv, "Oliver Grant")
    phoned = next(o for o in rv.occurrences if o.text == "Oliver" and doc.text[o.end:].startswith(" phoned"))
    rv.split_occurrence(phoned, grant)
    data = rv.state.to_dict()
    # the source was edited: a word added before it shifts every later offset by 4
    text = doc.text.replace("Mrs Jane Okafor complained", "Mrs Jane Okafor has complained", 1)
    changed = SourceDocument(doc.path, doc.kind, text, [])
    shifted = [[type(x)(x.start + (4 if x.start > 16 else 0), x.end + (4 if x.start > 16 else 0), x.text, x.entity,
                        x.score, x.detector) for x in dets[0]]]
    fresh = CaseReview([changed], shifted, ReviewState.from_dict(data))
    assert fresh.state.moves == {}
    assert any("has changed there; that split was dropped" in w for w in fresh.warnings)
    b = fresh.people[person(fresh, "Oliver Okafor")].pseudonym
    assert f"On 3 May {b} phoned" in fresh.preview(0)   # the occurrence follows its name again
    c = fresh.people[person(fresh, "Oliver Grant")].pseudonym
    assert fresh.preview(0).count(c) == 1                # and no other word was given to Mr Grant
    with pytest.raises(Exception, match=r"review.moves\[1\]"):
        ReviewState.from_dict({"moves": [{"file": "x", "start": 1}]})
    # the person it was given to is gone ('Not a person'): said, and it follows its name again
    rv.reject_person(person(rv, "Oliver Grant"))
    assert any("was given to Oliver Grant, who is no longer" in w for w in rv.warnings)
    assert f"On 3 May {rv.people[person(rv, 'Oliver Okafor')].pseudonym} phoned" in rv.preview(0)
