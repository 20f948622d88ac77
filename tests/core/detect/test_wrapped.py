"""Names broken over a line (``detect.wrapped.join_wrapped``), on hand-made detections: no model."""

from __future__ import annotations

import pytest

from desk_app.core.detect.wrapped import join_wrapped
from desk_app.core.entities import PERSON, Detection


def _people(text: str, *names: str) -> list[Detection]:
    out, at = [], 0
    for name in names:
        start = text.index(name, at)
        out.append(Detection(start, start + len(name), name, PERSON, 0.85, "SpacyRecognizer"))
        at = start + len(name)
    return out


def _texts(text: str, detections: list[Detection]) -> list[str]:
    return [d.text for d in join_wrapped(text, detections) if d.entity == PERSON]


def test_two_halves_of_a_name_over_a_line_end_are_one_person():
    text = "We spoke to Agnieszka\nKowalczyk about the rent."
    assert _texts(text, _people(text, "Agnieszka", "Kowalczyk")) == ["Agnieszka\nKowalczyk"]


def test_a_forename_left_at_the_end_of_the_line_joins_the_surname():
    text = "The second meeting was with Tomasz\nWiśniewski, who runs the food bank."
    assert _texts(text, _people(text, "Wiśniewski")) == ["Tomasz\nWiśniewski"]


def test_a_title_left_at_the_end_of_the_line_joins_the_name():
    text = "I wrote to Mrs\nKowalczyk on 3 March."
    assert _texts(text, _people(text, "Kowalczyk")) == ["Mrs\nKowalczyk"]


def test_a_surname_found_elsewhere_joins_a_forename_ending_a_line():
    text = "Mrs Kowalczyk called. We spoke to Agnieszka\nKowalczyk about it."
    found = _people(text, "Mrs Kowalczyk", "Agnieszka")
    assert _texts(text, found) == ["Mrs Kowalczyk", "Agnieszka\nKowalczyk"]


@pytest.mark.parametrize(("text", "names", "expected"), [
    # a list of people, one a line: each stays itself
    ("Present:\nJo Lund\nSam Hart\nPriya Nair", ("Jo Lund", "Sam Hart", "Priya Nair"), ["Jo Lund", "Sam Hart", "Priya Nair"]),
    # a greeting then a sentence: 'Thank' is not a surname
    ("Dear Agnieszka\nThank you for your letter.", ("Agnieszka",), ["Agnieszka"]),
    # a blank line ends the paragraph: nothing crosses it
    ("We spoke to Tomasz\n\nWiśniewski wrote back.", ("Wiśniewski",), ["Wiśniewski"]),
    # a sentence ended before the line break
    ("It was agreed. Housing\nSmith called later.", ("Smith",), ["Smith"]),
    # a signature: the name alone on its line after the sign-off
    ("Yours sincerely,\nJo\nCaseworker", ("Jo",), ["Jo"]),
])
def test_what_is_not_a_wrapped_name_stays_apart(text, names, expected):
    assert _texts(text, _people(text, *names)) == expected


def test_other_kinds_are_untouched():
    text = "Call 0113 496 0123\nKowalczyk said."
    phone = Detection(5, 18, "0113 496 0123", "PHONE_NUMBER", 0.9, "PhoneRecognizer")
    assert join_wrapped(text, [phone, *_people(text, "Kowalczyk")])[0] == phone


@pytest.mark.parametrize(("text", "names", "expected"), [
    ("Sgt Aoife Keane – Calderwick Neighbourhood Policing\nTaslima Khatun – Tenancy Officer",
     ("Aoife Keane", "Taslima Khatun"), ["Aoife Keane", "Taslima Khatun"]),
    ("Dr Chen Xiaoling – Educational Psychologist\nRhiannon Pryce-Jones – SEN Casework Officer",
     ("Chen Xiaoling", "Rhiannon Pryce-Jones"), ["Chen Xiaoling", "Rhiannon Pryce-Jones"]),
    ("Minutes: Kasia\nSam Hart (chair)", ("Kasia", "Sam Hart"), ["Kasia", "Sam Hart"]),
])
def test_a_list_of_attendees_is_one_person_a_line(text, names, expected):
    """Every word of an attendee line is capitalised: a line's last word is not a forename."""
    assert _texts(text, _people(text, *names)) == expected


def test_a_forename_ending_a_line_joins_a_word_with_a_job_after_it():
    text = "Hi this is Marcia\nThompson, Care Coordinator at Bright Futures."
    assert _texts(text, _people(text, "Marcia")) == ["Marcia\nThompson"]
    # no job after it: the next line's first word stays its own
    text = "Hi this is Marcia\nThursday, as agreed."
    assert _texts(text, _people(text, "Marcia")) == ["Marcia"]
