"""The project's recognisers on real sentences (no language model needed)."""

from __future__ import annotations

import pytest

from desk_app.core.detect import clean, resolve
from desk_app.core.detect.recognizers import (
    DateOfBirthRecognizer,
    KinshipNameRecognizer,
    SurnameFirstRecognizer,
    TitledNameRecognizer,
    uk_address_recognizer,
    uk_postcode_recognizer,
)
from desk_app.core.entities import Detection


def found(recognizer, text, entity="PERSON"):
    results = recognizer.analyze(text, [entity], None)
    spans = clean(text, [Detection(r.start, r.end, text[r.start:r.end], r.entity_type, r.score,
                                   recognizer.name) for r in results])
    return [d.text for d in resolve(text, spans)]


@pytest.mark.parametrize("text, expected", [
    ("Mrs Laffey complained to the Council.", ["Mrs Laffey"]),
    ("Mrs Cheryl Laffey’s son", ["Mrs Cheryl Laffey"]),
    ("The letter from Mr D.R. Okafor arrived.", ["Mr D.R. Okafor"]),
    ("The letter from Mr D.R. arrived.", ["Mr D.R."]),
    ("Dr Amara Okafor-Jones examined him.", ["Dr Amara Okafor-Jones"]),
    ("Ms O'Sullivan and Mr McAllister met.", ["Ms O'Sullivan", "Mr McAllister"]),
    ("Ms Brândușa Ülker wrote.", ["Ms Brândușa Ülker"]),
    ("Miss ap-Rhys appealed.", ["Miss ap-Rhys"]),
    ("Mx Jordan Pike attended.", ["Mx Jordan Pike"]),
    ("Master Oliver Ramsden, aged 9.", ["Master Oliver Ramsden"]),
    ("Mr and Mrs Laffey did not receive the links.", ["Mr and Mrs Laffey"]),
    ("MRS CHERYL LAFFEY wrote", ["MRS CHERYL LAFFEY"]),
    ("Mr. Smith said", ["Mr. Smith"]),
])
def test_titled_names(text, expected):
    assert found(TitledNameRecognizer(), text) == expected


@pytest.mark.parametrize("text", [
    "Mrs X complained about the Council.",   # already a pseudonym: left alone
    "Mr and Mrs X attended.",
    "The Council said However that it would.",
    "We spoke to Mr Y’s representative.",
])
def test_titled_names_leave_pseudonyms_and_words_alone(text):
    assert found(TitledNameRecognizer(), text) == []


def test_a_titled_name_does_not_swallow_the_next_sentence_word():
    assert found(TitledNameRecognizer(), "It wrote to Mr Thompson However nothing changed.") == ["Mr Thompson"]


@pytest.mark.parametrize("text, expected", [
    ("her son, Ben, has autism", ["Ben"]),
    ("his daughter Chloe attends", ["Chloe"]),
    ("their children, Amy and Tom, live", ["Amy", "Tom"]),
    ("Child Chatura lives with his father", ["Chatura"]),
    ("Ben (aged 7) was at home", ["Ben"]),
    ("her son, Francis’s, schooling", ["Francis"]),
    ("a boy called Sam Hughes-Warsame", ["Sam Hughes-Warsame"]),
    ("Mrs X’s daughter (Lily) was excluded", ["Lily"]),
    ("Their daughter, Zofia, is 10.", ["Zofia"]),
])
def test_kinship_cues(text, expected):
    assert found(KinshipNameRecognizer(), text) == expected


@pytest.mark.parametrize("text", [
    "She says the Council named Elective Home Education on the plan.",
    "an existing Child Arrangement Order, which",
    "the child Protection Conference met",
])
def test_kinship_cues_ignore_capitalised_phrases(text):
    assert found(KinshipNameRecognizer(), text) == []


def test_surname_first_order():
    assert found(SurnameFirstRecognizer(), "Referral: LAFFEY, Cheryl (mother)") == ["LAFFEY, Cheryl"]
    assert found(SurnameFirstRecognizer(), "NHS, Council and police") == []


def test_postcode_address_and_date_of_birth():
    text = "She lives at 14 Acacia Avenue, Bromley BR1 3UH and was born on 3 May 1984; the visit was on 5 June 2023."
    assert found(uk_postcode_recognizer(), text, "UK_POSTCODE") == ["BR1 3UH"]
    assert found(uk_address_recognizer(), text, "ADDRESS") == ["14 Acacia Avenue"]
    assert found(DateOfBirthRecognizer(), text, "DATE_OF_BIRTH") == ["3 May 1984"]
    assert found(DateOfBirthRecognizer(), "DOB: 03/05/2015.", "DATE_OF_BIRTH") == ["03/05/2015"]


def test_overlapping_detections_merge_into_the_union_typed_by_priority():
    text = "NHS number 943 476 5919 on file"
    a = Detection(11, 23, text[11:23], "PHONE_NUMBER", 0.4, "PhoneRecognizer")
    b = Detection(11, 23, text[11:23], "UK_NHS", 1.0, "NhsRecognizer")
    c = Detection(15, 24, text[15:24], "PERSON", 0.85, "SpacyRecognizer")
    merged = resolve(text, [a, b, c])
    assert [(d.start, d.end, d.entity) for d in merged] == [(11, 24, "UK_NHS")]
