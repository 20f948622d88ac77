"""An identifier found once in a case is replaced wherever else it appears, whatever the spacing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_a_date_of_birth_broken_over_two_lines_elsewhere_in_the_case(anonymise_texts):
    notes = "Complainant: Mrs Priya Ramsden (date of birth 14 March 1986), 18 Calder Rise."
    letter = "Dear Sir,\nI am writing about my son. My date of birth is 14\nMarch 1986 in case you need it.\nYours"
    result, (_, out) = anonymise_texts(notes, letter)
    assert "1986" not in out and "March" not in out
    lines = out.split("\n")
    assert len(lines) == len(letter.split("\n"))          # the line break inside the date is kept
    assert lines[1].endswith("is [date of birth]") and lines[2] == " in case you need it."
    rows = [r for r in result.report if r.file == "doc1.txt" and r.entity == "DATE_OF_BIRTH"]
    assert [(r.original, r.detector) for r in rows] == [("14\nMarch 1986", "case")]


def test_a_phone_number_typed_with_other_spacing(anonymise_texts):
    _, (first, second) = anonymise_texts("Mrs Ramsden's phone number is 07700 900123.",
                                         "She rang from 07700  900123 on Monday.")
    assert "900123" not in first and "900123" not in second
