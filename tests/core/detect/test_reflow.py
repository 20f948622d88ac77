"""Wrapped lines read as one piece (``detect.reflow``): which lines join (no model), and what the
real pipeline then finds that it missed a line at a time: a title, a cue or the rest of a
number on the other side of a line break."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk_app.core.detect.reflow import analysis_units
from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.ingest.text import text_paragraphs

# A letter set at about 80 characters a line, as a PDF's text layer or a scanned page gives it.
LETTER = """\
Dear Mrs Hartley

We visited the property on 11 February with the surveyor and spoke to your neighbour, Mr
Medlicott, who said the damp had been there for years. Please call the repairs team on 07700
900829 if the contractor does not arrive. Your daughter (date of
birth 11/05/2021) was present at the visit and the surveyor noted the damage in her room.

Present:
Sgt Aoife Keane - Calderwick Neighbourhood Policing Team, North Division, Calderwick
Taslima Khatun - Tenancy Sustainment Officer, Calderwick Homes, North Area Office
Name: Jo Lund
- the first thing we agreed with the tenant and with her support worker at the visit
- the second thing we agreed, which the landlord will confirm in writing this week
"""


def _doc(text: str, kind: str = "txt") -> SourceDocument:
    return SourceDocument(Path("note.txt"), kind, text, text_paragraphs(text))


def _units(text: str, kind: str = "txt") -> list[str]:
    return [unit for unit, _ in analysis_units(_doc(text, kind))]


def test_a_wrapped_paragraph_is_read_as_one_unit_with_its_offsets_kept():
    doc = _doc(LETTER)
    units = analysis_units(doc)
    joined = [(u, s) for u, s in units if "Medlicott" in u]
    assert len(joined) == 1
    unit, start = joined[0]
    assert unit.startswith("We visited") and unit.endswith("noted the damage in her room.")
    # the same length as the lines it covers: every offset in it is the document's
    assert doc.text[start:start + len(unit)].replace("\n", " ") == unit
    assert "neighbour, Mr Medlicott, who" in unit and "on 07700 900829 if" in unit and "(date of birth" in unit


def test_lists_attendees_fields_and_greetings_stay_one_line_each():
    units = _units(LETTER)
    for line in ("Dear Mrs Hartley", "Present:", "Name: Jo Lund",
                 "Sgt Aoife Keane - Calderwick Neighbourhood Policing Team, North Division, Calderwick",
                 "Taslima Khatun - Tenancy Sustainment Officer, Calderwick Homes, North Area Office",
                 "- the first thing we agreed with the tenant and with her support worker at the visit",
                 "- the second thing we agreed, which the landlord will confirm in writing this week"):
        assert line in units, line


@pytest.mark.parametrize("following", [
    "05/01/24 | mbaker | Called the tenant to book a visit",   # a log's next entry
    "10:15 Called the tenant back about the repair",           # a time first
    "Date: 13/02/2024",                                         # a field
    "1. The council should apologise to the tenant in writing",  # a numbered list
    "Col A\tCol B\tCol C",                                      # a table row
])
def test_a_line_that_starts_something_of_its_own_is_not_joined(following):
    text = ("The tenant said the damp in the back bedroom had come back three weeks after the painting and\n"
            + following + "\n")
    assert len(_units(text)) == 2


def test_a_sentence_ending_its_line_joins_only_a_prose_line():
    prose = ("The surveyor found the damp in the back bedroom and the kitchen on the visit.\n"
             "She said the landlord would be told about it and would write to the tenant.\n")
    assert len(_units(prose)) == 1
    signature = "Please write to me if anything in this letter is unclear to you at all.\nJane Smith\n"
    assert len(_units(signature)) == 2


def test_short_lines_never_set_a_measure_and_a_word_file_is_never_joined():
    short = "Jo Lund and\nSam Hart came\n"
    assert len(_units(short)) == 2
    text = ("The tenant said the damp in the back bedroom had come back three weeks after the painting and\n"
            "the landlord had not replied to her letters since the summer.\n")
    doc = SourceDocument(Path("a.docx"), "docx", text,
                         [Paragraph(line, text.index(line), "body") for line in text.splitlines()])
    assert len(analysis_units(doc)) == 2
    assert len(_units(text)) == 1


def test_what_the_model_finds_across_the_wrap(detector):
    doc = _doc(LETTER)
    found = {(d.entity, d.text.replace("\n", " ")) for d in detector.detect(doc)}
    assert ("PERSON", "Mr Medlicott") in found          # the title at the end of the line before
    assert ("PHONE_NUMBER", "07700 900829") in found     # a number broken by the wrap
    assert ("DATE_OF_BIRTH", "11/05/2021") in found      # its cue on the line before
    assert ("PERSON", "Taslima Khatun") in found         # an attendee line, still its own
    assert ("PERSON", "Sgt Aoife Keane") in found        # a name ends at a spaced dash
    assert not [t for e, t in found if e == "PERSON" and " - " in t]


QUOTED = """\
On 3 May 2024, Jo wrote:
> We visited the property on 11 February with the surveyor and spoke to the neighbour, Mr
> Medlicott, who said the damp had been there for years and that he had told the council.
> Regards
Thanks for this.
"""


def test_two_lines_of_a_quoted_reply_join_without_their_quote_marks(detector):
    doc = _doc(QUOTED)
    units = analysis_units(doc)
    assert [u for u, _ in units if "Medlicott" in u] == [
        "> We visited the property on 11 February with the surveyor and spoke to the neighbour, Mr \n Medlicott, "
        "who said the damp had been there for years and that he had told the council."]
    assert ("> Regards", QUOTED.index("> Regards")) in units   # not a wrapped line
    found = [d.text for d in detector.detect(doc) if d.entity == "PERSON"]
    assert any(t.startswith("Mr") and t.endswith("Medlicott") for t in found), found
