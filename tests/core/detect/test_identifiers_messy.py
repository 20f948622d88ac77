"""Identifiers as they appear in real case bundles: dates of birth after loose cues or in the
next table cell, address blocks of house names above a postcode, lower-case and capitals
street addresses, and personal reference numbers after their labels. Each pattern has a
look-alike beside it that must survive (a case date, a letterhead, a complaint reference).

All people, addresses and numbers here are invented.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from desk_app.core.anonymise import anonymise_case
from desk_app.core.detect.recognizers.blocks import document_identifiers
from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.ingest import load_document
from desk_app.core.output.writers import write_document
from tests.helpers.ingest_factories import make_pdf  # noqa: E402

pytestmark = pytest.mark.slow


def _txt(text: str) -> SourceDocument:
    paras, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paras.append(Paragraph(line, pos, "text"))
        pos += len(line) + 1
    return SourceDocument(Path("notes.txt"), "txt", text, paras)


# -- dates of birth ----------------------------------------------------------------------

@pytest.mark.parametrize("line, dob", [
    ("Service user: Mrs Eira Pugh   D.O.B. 03-Feb-1951   Ward 4", "03-Feb-1951"),
    ("Adult: Mr Tobias Wren  Age: 80  DOB: 21-NOV-1944", "21-NOV-1944"),
    ("On the phone she gave her DOB as 11/06/1979 and her postcode.", "11/06/1979"),
    ("Identity checked. DOB on file: 09/10/1983   Verified: driving licence", "09/10/1983"),
    ("Date of birth (optional): 2.9.48", "2.9.48"),
    ("Child: Ffion (born on the 5th of March 2017) attends Year 2.", "5th of March 2017"),
    ("DOB/Age: 14/08/1962 (61)", "14/08/1962"),
    ("dob 1990-01-31, lives alone", "1990-01-31"),
])
def test_a_date_after_a_loose_birth_cue_goes(anonymise_texts, line, dob):
    _, (out,) = anonymise_texts(line)
    assert dob not in out
    assert "[date of birth]" in out


def test_dates_that_are_facts_of_the_case_stay(anonymise_texts):
    text = ("Mrs Eira Pugh (DOB 03/02/1951) complained on 12/03/2024. The council replied on "
            "4 April 2024 and the review took place on 17-Jan-2025.")
    _, (out,) = anonymise_texts(text)
    assert "03/02/1951" not in out
    for kept in ("12/03/2024", "4 April 2024", "17-Jan-2025"):
        assert kept in out, kept


def test_a_birth_cue_at_the_end_of_one_line_and_the_date_on_the_next(anonymise_texts):
    text = ("Appeal for a place at Fernlea Primary - Kacper Nowicki (DOB\n"
            "22/07/2016) and his brother\n"
            "Meeting held on\n"
            "22/09/2024 at the school.")
    _, (out,) = anonymise_texts(text)
    assert "22/07/2016" not in out and "(DOB\n[date of birth])" in out
    assert "22/09/2024 at the school" in out      # no birth cue before it


# -- reference numbers -------------------------------------------------------------------

@pytest.mark.parametrize("line, ref", [
    ("Subject: Leo Marsh    Mosaic ID: 4417092    Allocated: CIN team", "4417092"),
    ("Re: Mrs Joan Peel – Council Tax – Account 6120 4481 7", "6120 4481 7"),
    ("Housing Benefit claim number: HB/55310982", "HB/55310982"),
    ("Claim ref: CTR-00419925          Date: 3 May 2024", "CTR-00419925"),
    ("Pupil: Aisha Khan   Y8   UPN: H801234567012", "H801234567012"),
    ("Statement signed by Staff Nurse Priya Nair, NMC PIN 12B3456E", "12B3456E"),
    ("Patient: Mr Arthur Lowe   Hospital No: RXA7730215", "RXA7730215"),
    ("Your customer reference number is 7700043195.", "7700043195"),
    ("Tenancy ref: TEN/0091827 (Flat 3)", "TEN/0091827"),
    ("LAS: 889213 – open to the locality team", "889213"),
    ("CT ref: 60041182", "60041182"),
    ("Service user ID 4455661 (Ms Petra Novak)", "4455661"),
])
def test_a_personal_reference_after_its_label_goes(anonymise_texts, line, ref):
    result, (out,) = anonymise_texts(line)
    assert ref not in out
    assert "[reference number]" in out
    assert any(r.entity == "PERSONAL_REF" and r.original == ref for r in result.report)


@pytest.mark.parametrize("line", [
    "Complaint ref: CMP/2024/08812",
    "Our ref: 23 014 772 (the Ombudsman's reference)",
    "Planning application ref: 24/00931/FUL",
    "FOI reference FOI-2024-2231 refers.",
    "Works order WO-2024-55102 was raised on 3 March.",
    "We took into account 2023 figures and 12 claims in total.",
    "Case ref 4410098 was closed.",
])
def test_references_that_are_not_personal_stay(anonymise_texts, line):
    result, (out,) = anonymise_texts(line)
    assert out == line
    assert not [r for r in result.report if r.entity == "PERSONAL_REF"]


def test_a_reference_found_once_goes_everywhere_in_the_case(anonymise_texts):
    _, (notes, email) = anonymise_texts("Mosaic ID: 5523019\nVisit completed.",
                                        "Please update record 5523019 before the review.")
    assert "5523019" not in notes and "5523019" not in email


# -- addresses ---------------------------------------------------------------------------

def test_house_name_lines_of_a_letter_address_block_go_and_the_name_line_stays(anonymise_texts):
    text = ("Brackenmoor Borough Council\n"
            "Adult Social Care\n"
            "Town Hall, Market Street, Brackenmoor BM1 1AA\n"
            "\n"
            "Mr Idris Vaughan\n"
            "Yew Cottage\n"
            "Pit Lane\n"
            "Little Marwood\n"
            "BM7 4QT\n"
            "\n"
            "Dear Mr Vaughan\n"
            "The skip on Pit Lane was removed. Yew Cottage was inspected on 3 May.")
    result, (out,) = anonymise_texts(text)
    lines = out.split("\n")
    assert lines[4].startswith("Mr ") and "[address]" not in lines[4]   # the addressee, renamed not swallowed
    assert lines[5] == "[address]" and lines[6] == "[address]"
    assert lines[7] == "Little Marwood" and lines[8] == "[postcode]"      # the village stays
    assert "Yew Cottage" not in out                                       # a house name: everywhere
    assert "The skip on Pit Lane was removed" in out                     # a street alone: a fact
    assert "Town Hall, Market Street," in out                             # the council's letterhead


@pytest.mark.parametrize("block, gone", [
    ("Ms Carys Lloyd\nFlat 8, Heron House\nQuay Street\nPortdown PD2 9XY", ["Heron House", "Quay Street"]),
    ("Mr T Okafor\nApartment 4, Wharf Point\nPortdown PD3 1AB", ["Wharf Point"]),
    ("Mrs Ann Frost\nThe Old Granary, Hollins Farm\nMoor Road\nKeld DL11 6LJ", ["Old Granary", "Hollins Farm",
                                                                                "Moor Road"]),
    ("MRS JUNE HALE\nIVY COTTAGE\n4 CHURCH LANE\nWREN ST13 7PQ", ["IVY COTTAGE", "4 CHURCH LANE"]),
])
def test_address_blocks_of_several_shapes(anonymise_texts, block, gone):
    _, (out,) = anonymise_texts(block + "\n\nDear Sir or Madam")
    for text in gone:
        assert text not in out, text
    assert out.split("\n")[0] != "[address]"


@pytest.mark.parametrize("line, gone, kept", [
    ("Our constituent Ms Lan Tran of 41 Beacon Tower, Portdown PD4 2RS (DOB 02-10-1969) wrote in.",
     ["41 Beacon Tower"], ["Portdown"]),
    ("Flat 2 Linden Court, Mercer Way, Kettering NN3 8QQ", ["Linden Court", "Mercer Way"], ["Kettering"]),
    ("Address: 3 Mill Cottages, Back Row, Thornby TH4 4EE", ["3 Mill Cottages", "Back Row"], ["Thornby"]),
    ("Address: Flat 6, Barley Court, Greave Lane", ["Barley Court", "Greave Lane"], []),
])
def test_inline_addresses(anonymise_texts, line, gone, kept):
    _, (out,) = anonymise_texts(line)
    for text in gone:
        assert text not in out, text
    for text in kept:
        assert text in out, text


def test_an_address_block_under_a_titled_name_without_a_postcode(anonymise_texts):
    text = "Mrs Dilys Harker\nHawthorn Cottage\n23 Green Lane\nKettering\n\nDear Mrs Harker"
    _, (out,) = anonymise_texts(text)
    assert out.split("\n")[1:4] == ["[address]", "[address]", "Kettering"]


def test_a_role_under_a_name_is_not_a_house(anonymise_texts):
    text = "Mr Owen Pryce\nThe Complaints Manager\n4 Bridge Street\nKettering\n\nDear Mr Pryce"
    result, (out,) = anonymise_texts(text)
    assert "The Complaints Manager" in out
    assert "4 Bridge Street" not in out


def test_a_named_house_after_lives_at_in_a_sentence_with_a_postcode(anonymise_texts):
    text = "She lives at Primrose Cottage, Mill Lane, Ware SG12 0AB and works at Kingsway House."
    _, (out,) = anonymise_texts(text)
    assert "Primrose Cottage" not in out and "Mill Lane" not in out
    assert "She lives at [address]" in out and "works at Kingsway House" in out and "Ware" in out


@pytest.mark.parametrize("text, kept", [
    ("You may complain to the Information Commissioner's Office (ICO), Wycliffe House, Water Lane, "
     "Wilmslow SK9 5AF.", "Wycliffe House, Water Lane, Wilmslow"),
    ("Minutes of the panel held at County Hall, Matlock DE4 3AG on 12 June 2024.", "County Hall, Matlock"),
    ("Tarnbrook Medical Practice\nKiln House, Mill Road\nKettering NN1 1AA", "Kiln House, Mill Road"),
])
def test_an_organisations_address_stays(anonymise_texts, text, kept):
    _, (out,) = anonymise_texts(text)
    assert kept in out


@pytest.mark.parametrize("line, gone", [
    ("hi its me from 7 oak rd, the damp is back", "7 oak rd"),
    ("ADDRESS OF PROPERTY: 9 HERON CLOSE", "9 HERON CLOSE"),
    ("we moved to 22 tanner street in may", "22 tanner street"),
    ("my mum is at 58 linacre tower now", "58 linacre tower"),
    ("Tenant at 9 Heron close since 2019", "9 Heron close"),
])
def test_lower_case_and_capitals_street_addresses(anonymise_texts, line, gone):
    _, (out,) = anonymise_texts(line)
    assert gone not in out and "[address]" in out


@pytest.mark.parametrize("line", [
    "it took 3 days to close the case",
    "we waited 2 weeks in the park",
    "THE PANEL MET 3 TIMES AT COUNTY HALL",
    "In 2020 Leeds Crown Court dealt with it",
    "She was in Room 6, Bishop's Lodge, for 2 nights.",
    "They want a 2 storey house with a 200 acre farm.",
    "the 3 bedroom house on the estate",
])
def test_things_that_only_look_like_addresses_stay(anonymise_texts, line):
    result, (out,) = anonymise_texts(line)
    assert not [r for r in result.report if r.entity == "ADDRESS"], out


# -- tables and exports ------------------------------------------------------------------

def test_csv_columns_headed_dob_and_client_id(anonymise_texts):
    text = ("Contact History Export  Run date: 18/03/2024\n"
            "Client ID,Client name,DOB,Date,Officer,Notes\n"
            "CL-448120,\"SMITH, Jo\",30/04/1990,01/02/2024,Officer A,\"Walk-in, asked about rent\"\n"
            "CL-448120,\"SMITH, Jo\",30/04/1990,06/02/2024,Officer B,Phone\n"
            "\n"
            "Complaint ref CMP-24-0077")
    result, (out,) = anonymise_texts(text)
    assert "CL-448120" not in out and "30/04/1990" not in out
    assert "01/02/2024" in out and "06/02/2024" in out and "18/03/2024" in out
    assert "CMP-24-0077" in out
    assert out.count("[date of birth]") == 2


def test_pipe_table_with_a_dob_column(anonymise_texts):
    text = "| Name | DOB | Seen |\n|---|---|---|\n| Ann | 01/02/1950 | 03/04/2024 |"
    _, (out,) = anonymise_texts(text)
    assert "01/02/1950" not in out and "03/04/2024" in out


def test_tab_separated_export_with_the_age_after_the_date(anonymise_texts):
    text = "Person ID\tDate of Birth\tReferral date\n30017788\t09/09/1939 (84)\t02/02/2024\n"
    _, (out,) = anonymise_texts(text)
    assert out.split("\n")[1] == "[reference number]\t[date of birth] (84)\t02/02/2024"


def _word_case(tmp_path: Path, detector) -> tuple[SourceDocument, str]:
    path = tmp_path / "assessment.docx"
    d = docx.Document()
    d.add_paragraph("Care needs assessment")
    t = d.add_table(rows=3, cols=2)
    for row, (label, value) in zip(t.rows, [("Name", "Mrs Gwen Tully"), ("DOB", "19 Mar 1936"),
                                            ("Address", "Flat 2, Alder House, Kiln Road, Brackenmoor BM3 2DD")],
                                   strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    d.add_paragraph("Residents")
    t2 = d.add_table(rows=3, cols=3)
    for row, values in zip(t2.rows, [("Resident", "Date of admission", "Date of birth"),
                                     ("Mr A", "02/01/2024", "07/07/1931"),
                                     ("Mrs B", "15/02/2024", "30/11/1929")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    d.add_paragraph("Reviewed on 4 April 2024.")
    d.save(path)
    doc = load_document(path)
    result = anonymise_case([doc], detector.detect_many([doc]))
    out = write_document(doc, result.replacements[0], tmp_path / "out")
    text = "\n".join(p.text for p in docx.Document(out).paragraphs) + "\n" + "\n".join(
        c.text for table in docx.Document(out).tables for row in table.rows for c in row.cells)
    return doc, text


def test_word_tables_label_cells_and_dob_columns(tmp_path, detector):
    source, out = _word_case(tmp_path, detector)
    for gone in ("19 Mar 1936", "Alder House", "Kiln Road", "07/07/1931", "30/11/1929"):
        assert gone not in out, gone
    for kept in ("02/01/2024", "15/02/2024", "4 April 2024", "Brackenmoor"):
        assert kept in out, kept
    assert "19 Mar 1936" in source.text     # the source is only read


def test_pdf_lines_dob_broken_from_its_cue_and_address_block(tmp_path, detector):
    path = tmp_path / "letter.pdf"
    path.write_bytes(make_pdf([["Mrs Rhian Powell", "The Lodge, Elm Farm", "Sandy Lane", "Marwood BM9 9ZZ",
                                "Re: your son Owain Powell (DOB", "04/05/2012) and his transport",
                                "Decision made on 12/06/2024."]]))
    doc = load_document(path)
    result = anonymise_case([doc], detector.detect_many([doc]))
    out = result.anonymised_text(0)
    for gone in ("The Lodge", "Elm Farm", "Sandy Lane", "04/05/2012", "BM9 9ZZ"):
        assert gone not in out, gone
    assert "Marwood" in out and "12/06/2024" in out


def test_document_identifiers_gives_offsets_into_the_document_text():
    doc = _txt("Name\nMr A\nDate of birth\n1 June 1950\nAddress\nThe Granary, Low Street\nFlat 3 Brook House\n")
    found = document_identifiers(doc)
    assert found
    for d in found:
        assert doc.text[d.start:d.end] == d.text
    assert {(d.text, d.entity) for d in found} >= {("1 June 1950", "DATE_OF_BIRTH"), ("The Granary", "ADDRESS"),
                                                   ("Low Street", "ADDRESS")}


def test_a_street_left_in_the_body_is_not_a_leak_but_the_house_name_is_gone(anonymise_texts):
    from desk_app.core.output.leakscan import LeakTerms

    text = ("Mr Kofi Asante\nThe Barn, Ings Farm\nCarr Lane\nKettering NN9 5XX\n\n"
            "Dear Mr Asante\nThe fly-tipping on Carr Lane was cleared. The Barn was not visited.")
    result, (out,) = anonymise_texts(text)
    assert "fly-tipping on Carr Lane" in out and "The Barn" not in out
    terms = LeakTerms.from_result(result)
    assert not terms.find(out)                 # the export's own leak scan would pass it
    assert "Ings Farm" in terms.terms and "Carr Lane" not in terms.terms
