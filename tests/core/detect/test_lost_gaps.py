"""What a scan or a PDF's text layer does to case notes, read with the real pipeline: the wide
gaps between a form's fields come out as single spaces, a long log row wraps onto lines of its
own, and a team in brackets or a language sits where a name could. Each case here was missed
or wrongly taken for a name when the casenotes corpus was scanned and read back by OCR."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.core.document import SourceDocument
from desk_app.core.ingest.text import text_paragraphs
from desk_app.core.names import is_place_context


def _people(detector, text: str) -> list[str]:
    doc = SourceDocument(Path("note.txt"), "txt", text, text_paragraphs(text))
    return [d.text for d in detector.detect(doc) if d.entity == "PERSON"]


@pytest.mark.parametrize(("line", "name"), [
    ("Received: 21/08/2024 at Leek Customer Service Point Logged by: S.B. Ref: CS-24-08-3391", "S.B."),
    ("Job: SURV-24-3381 Surveyor: C. MacLeod (CML) Date: 13/02/2024 09:15", "C. MacLeod"),
    ("Caller: Jane Smith Logged by: S.B.", "Jane Smith"),
    ("Visit: 12/03/2024 Officer: Dorota Wisniewska Outcome: no access", "Dorota Wisniewska"),
])
def test_a_form_line_whose_gaps_were_lost_still_has_its_named_fields(detector, line, name):
    assert name in _people(detector, line)


def test_a_label_in_running_text_is_still_not_a_field(detector):
    # 'He said: Kim' is not a form's line: only its own cues may make 'Kim' a name
    people = _people(detector, "Notes of the visit. He said: the boiler was fixed on Tuesday.")
    assert people == []


def test_a_field_label_after_a_name_is_not_part_of_it(detector):
    people = _people(detector, "Person: Mr Frank Medlicott DOB: 9th May 1939 NHS No: 628 194 8211")
    assert people == ["Mr Frank Medlicott"]


def test_a_log_row_wrapped_onto_its_own_lines_keeps_its_user_column(detector):
    text = ("Date | User | Entry\n"
            "03/01/24 | pmcnulty | Letter of claim received under the Pre-Action Protocol. Items: damp\n"
            "bedroom 2, leaking roof. Passed to the surveyor for inspection.\n"
            "05/01/24 | mbaker | Called the tenant to book. She says her husband is on oxygen and\n"
            "cannot have visitors before 11am.\n"
            "10/01/24 | mbaker | Inspected. Rising damp to party wall.\n")
    people = _people(detector, text)
    assert people.count("mbaker") == 2 and "pmcnulty" in people


@pytest.mark.parametrize("text", [
    "Yours sincerely\n\nR. Long\nBenefits Officer (Overpayments)  Team 3",
    "The social worker (Safeguarding) will visit, and the officer (Enforcement) has written.",
    "You told us that Universal Credit had told us. I understand English is not your first language.",
    "The tenant said Polish was spoken at home and Urdu at her mother's.",
    "The interpreter (Romanian) was booked via Language Line.",
])
def test_a_team_in_brackets_or_a_language_is_not_a_person(detector, text):
    assert _people(detector, text) in ([], ["R. Long"])


def test_a_first_name_in_brackets_after_a_job_still_is(detector):
    people = _people(detector, "The social worker (Clement) visited and the officer (Ruth) rang.")
    assert "Clement" in people and "Ruth" in people


def test_a_place_named_after_a_person_across_a_wrapped_line():
    text = 'She asked about "that day centre" and I explained Pearl\nStreet Day Centre closed in 2022.'
    at = text.index("Pearl")
    assert is_place_context(text, at, at + 5)
    # a signature's name line before a job, and a name wrapped before a job, are not places
    for text, name in (("Yours sincerely\nPearl Jones\nHousing Officer", "Jones"),
                       ("we met with Pearl Jones\nHousing Officer at the office", "Jones")):
        at = text.index(name)
        assert not is_place_context(text, at, at + len(name))


def test_an_attendee_known_by_first_name_then_a_dash_and_the_job(detector):
    text = "Present:\nMrs Popescu (mum)\nFlorin - interpreter (Romanian), booked via Language Line\n" \
           "Bev - duty social worker\nSummary - Officer view"
    people = _people(detector, text)
    assert "Florin" in people and "Bev" in people
    assert "Romanian" not in people and "Summary" not in people


def test_a_csv_header_after_a_job_column_is_not_a_name(detector):
    text = "Client ID,Client name,DOB,Date,Officer,Type,Notes\nHO-558210,\"JAMA, Abdullahi\",12/12/1987,01/02/2024," \
           "R Tolley,Walk-in,\"Client presented homeless.\"\n"
    people = _people(detector, text)
    assert "Type" not in people and "R Tolley" in people


def test_a_name_doing_something_on_the_next_line_of_a_wrapped_sentence(detector):
    wrapped = ("05/01/24  | mbaker    | Called Mrs Campbell on the landline to book the inspection. Pearl says\n"
               "Del is on oxygen (COPD) and can't have men in the bedroom before 11am. Booked 10/01 11:30.\n")
    assert "Del" in _people(detector, wrapped)
    heading = ("I considered the information the complainant provided and the Council's response to it.\n"
               "My assessment\n"
               "Parliament has provided a statutory appeal process to challenge penalty charge notices.\n")
    assert "Parliament" not in _people(detector, heading)   # after a heading, not a wrapped sentence


def test_a_login_before_a_forms_next_column_does_not_take_its_label(anonymise_texts):
    text = "Contact History Export (csv)  Run by: RTOLLEY  Run date:\n18/03/2024\n" \
           "Seen by R Tolley on 01/02/2024. RTOLLEY closed the case.\n"
    case, (out,) = anonymise_texts(text)
    assert "RTOLLEY" not in out and "Run date:" in out
    assert not [r for r in case.report if "Run" in r.original]


def test_a_name_whose_job_the_wrap_put_on_the_next_line(anonymise_texts):
    """'Will' is also a word the letter uses, so only the job beside it keeps 'Will Ashcroft' a
    person; the wrap put the job on the next line."""
    text = ("I have spoken with the surveyor who inspected on 2 February, and with Will Ashcroft,\n"
            "Repairs Manager. We will write to you again when the works are booked, and we will call first.\n")
    _, (out,) = anonymise_texts(text)
    assert "Ashcroft" not in out and "Will " not in out
    assert "We will write" in out


@pytest.mark.parametrize(("text", "entity", "number"), [
    ("Person: Mr Frank Medlicott      DOB: 9th May 1939      NHS No: 628 194\n8211\nAddress: 4 Rope Walk",
     "UK_NHS", "628 194\n8211"),
    ("Mum's mobile is on file. My number 07700 900\n118.\nMum is Mrs Ellis", "PHONE_NUMBER", "07700 900\n118"),
    ("Please call me on +44 7700\n900 118 after four.", "PHONE_NUMBER", "+44 7700\n900 118"),
])
def test_a_number_a_line_break_split_is_found_whole(detector, text, entity, number):
    doc = SourceDocument(Path("note.txt"), "txt", text, text_paragraphs(text))
    assert (entity, number) in {(d.entity, d.text) for d in detector.detect(doc)}


@pytest.mark.parametrize("text", [
    "We paid 1234 5678\n901 in 2024.",            # not a phone's digits, and no NHS check digit
    "The figure was 0123 456\n78.5 per cent.",     # a decimal
    "NHS No: 628 194\n8212\n",                     # the check digit fails
])
def test_digits_on_two_lines_that_make_no_number_are_left(detector, text):
    doc = SourceDocument(Path("note.txt"), "txt", text, text_paragraphs(text))
    assert not [d for d in detector.detect(doc) if d.detector == "BrokenNumber"]


def test_a_table_row_that_lost_its_last_cell_is_not_taken_for_a_header(detector):
    """Read by OCR, a row may lose a lone figure in its last cell; that row must neither end the
    table nor become a header whose 'Tenant' column makes the next rows' roles into names."""
    text = ("Contacts for case HX-2291-B\n\nName | Role | Phone | Visits\n"
            "Agnieszka Kowalczyk | Tenant | 0113 496 0123\n"
            "Hamish McAllister | Landlord | 0113 496 0456 | 2\n"
            "Priya Raghunathan | Surveyor | 0113 496 0789 | 1\n")
    people = _people(detector, text)
    assert "Landlord" not in people and "Surveyor" not in people
    assert {"Agnieszka Kowalczyk", "Hamish McAllister", "Priya Raghunathan"} <= set(people)
