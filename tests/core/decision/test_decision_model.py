"""Decision model: header validation, JSON round trip, field-naming errors, numbering, templates."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.decision.model import (
    Decision,
    DecisionError,
    Header,
    Heading,
    ListStyle,
    Outcome,
    Paragraph,
    Section,
    Source,
    Stage,
    decision_from_dict,
    decision_from_json,
    decision_to_dict,
    decision_to_json,
    format_decision_date,
    load_decision,
    parse_decision_date,
    save_decision,
    split_category,
    validate_reference,
)
from desk_app.core.decision.numbering import item_label, iter_numbered, letter, paragraph_number
from desk_app.core.decision.templates import (
    ASSESSMENT,
    INVESTIGATION,
    insert_section,
    skeleton_sections,
    template_for,
)
from desk_app.core.errors import DeskError, InputError, OutputError
from tests.helpers.paths import TESTS

DECISIONS = TESTS / "data" / "decisions"
SEEDS = sorted(DECISIONS.glob("seed-*.decision.json"))


def make_header(**changes) -> Header:
    values = dict(organisation="London Borough of Bromley", reference="23 005 338",
                  category="Children's care services", sub_category="Child protection",
                  outcome=Outcome.UPHELD, decision_date="11 Oct 2023", stage=Stage.FINAL)
    values.update(changes)
    return Header(**values)


def small_decision() -> Decision:
    return Decision(
        header=make_header(),
        summary="We found fault.",
        sections=[
            Section("complaint", "The complaint", [
                Paragraph("Mrs X complains that the Council:", items=["failed to act;", "delayed."],
                          list_style=ListStyle.LETTERS),
                Paragraph("Mrs X says this caused distress."),
            ]),
            Section("found", "What I found", [
                Heading("Law and guidance", 2),
                Heading("Children Act 1989", 3),
                Paragraph("Councils have a duty to investigate.", citation="(Children Act 1989, section 47)",
                          source=Source("law.child-protection.s47-duty", 1), edited=True),
                Paragraph("The Council decided:", items=["one;", "two."], list_style=ListStyle.LETTERS),
            ]),
        ],
    )


# --- header values ---------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["23 005 338", "22 009 742a", "16 000 000"])
def test_valid_references(ref):
    assert validate_reference(ref) == ref


@pytest.mark.parametrize("ref", ["23-005-338", "23005338", "23 005 338A", "23 005 33", " 23 005 338",
                                 "23  005 338", "23 005 338ab", "06/B/16774", ""])
def test_invalid_references_name_the_field(ref):
    with pytest.raises(DecisionError, match=r"^header\.reference: .*23 005 338"):
        validate_reference(ref)


@pytest.mark.parametrize("text", ["03 May 2019", "09 Dec 2025", "29 Feb 2024", "11 Oct 2023"])
def test_decision_dates_round_trip(text):
    assert format_decision_date(parse_decision_date(text)) == text


@pytest.mark.parametrize("text", ["3 May 2019", "03 MAY 2019", "03 May 19", "03-May-2019", "31 Feb 2023",
                                  "29 Feb 2023", "03 Mai 2019", "2019-05-03"])
def test_bad_decision_dates(text):
    with pytest.raises(DecisionError, match=r"^header\.decision_date: "):
        parse_decision_date(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("upheld", Outcome.UPHELD), ("Upheld", Outcome.UPHELD), ("not-upheld", Outcome.NOT_UPHELD),
    ("not_upheld", Outcome.NOT_UPHELD), ("Not upheld", Outcome.NOT_UPHELD), ("closed", Outcome.CLOSED),
    ("Closed after initial enquiries", Outcome.CLOSED),
])
def test_outcome_parse(text, expected):
    assert Outcome.parse(text) is expected


def test_outcome_and_stage_errors_list_the_choices():
    with pytest.raises(DecisionError, match="upheld.*not-upheld.*closed"):
        Outcome.parse("partly upheld")
    with pytest.raises(DecisionError, match="draft or final"):
        Stage.parse("provisional")
    assert Stage.parse("Final") is Stage.FINAL
    assert Stage.DRAFT.label == "Draft decision"


def test_category_split_and_normalise():
    assert split_category("children's care SERVICES > Child protection") == \
        ("Children's care services", "Child protection")
    assert split_category("Other Categories>Councillor conduct") == ("Other Categories", "Councillor conduct")
    with pytest.raises(DecisionError, match="top level > sub-category"):
        split_category("Education")
    with pytest.raises(DecisionError, match="not an LGO top-level category"):
        split_category("Schools > Admissions")


def test_header_properties():
    header = make_header(stage=Stage.DRAFT)
    assert header.heading_line == "London Borough of Bromley (23 005 338)"
    assert header.category_path == "Children's care services > Child protection"
    assert header.title == "The Ombudsman’s draft decision"


def test_decision_error_is_a_one_line_input_error():
    assert issubclass(DecisionError, InputError) and issubclass(DecisionError, DeskError)


# --- JSON round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_fixtures_round_trip_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    decision = load_decision(path)
    assert decision_to_json(decision) == text


def test_small_decision_round_trips_without_loss():
    decision = small_decision()
    again = decision_from_json(decision_to_json(decision))
    assert again == decision
    para = again.section("found").paragraphs[0]
    assert para.source == Source("law.child-protection.s47-duty", 1) and para.edited is True
    assert again.section("found").blocks[1] == Heading("Children Act 1989", 3)


def test_saved_file_is_utf8_with_real_quotes(tmp_path):
    target = tmp_path / "x.decision.json"
    decision = small_decision()
    decision.summary = "We found the Council’s “delay” was fault."
    save_decision(decision, target)
    raw = target.read_text(encoding="utf-8")
    assert "Council’s “delay”" in raw and "\\u2019" not in raw
    assert load_decision(target) == decision


def test_save_refuses_invalid_decision_and_keeps_old_file(tmp_path):
    target = tmp_path / "x.decision.json"
    save_decision(small_decision(), target)
    before = target.read_bytes()
    bad = small_decision()
    bad.header.reference = "23-005-338"
    with pytest.raises(DecisionError, match="header.reference"):
        save_decision(bad, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.decision.json"]
    with pytest.raises(OutputError, match="output folder does not exist"):
        save_decision(small_decision(), tmp_path / "no-such-folder" / "x.decision.json")


text_st = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(text=text_st, citation=text_st, items=st.lists(text_st, max_size=4),
       style=st.sampled_from(list(ListStyle)), edited=st.booleans(), with_source=st.booleans())
def test_any_paragraph_round_trips(text, citation, items, style, edited, with_source):
    para = Paragraph(text, citation=citation, items=items, list_style=style if items else None,
                     source=Source("role.merits", 3) if with_source else None,
                     edited=edited if with_source else False)
    decision = small_decision()
    decision.sections[0].blocks = [para]
    assert decision_from_json(decision_to_json(decision)).sections[0].blocks == [para]


# --- errors name the field -------------------------------------------------------------------


def mutated(change) -> dict:
    data = decision_to_dict(small_decision())
    change(data)
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["header"].pop("reference"), r"^missing field header\.reference$"),
    (lambda d: d.pop("sections"), r"^missing field sections$"),
    (lambda d: d["sections"][1]["blocks"][2].pop("text"), r"^missing field sections\[1\]\.blocks\[2\]\.text$"),
    (lambda d: d["sections"][1]["blocks"][2].pop("edited"),
     r"^missing field sections\[1\]\.blocks\[2\]\.edited$"),
    (lambda d: d["sections"][0]["blocks"][1].pop("type"), r"^missing field sections\[0\]\.blocks\[1\]\.type$"),
    (lambda d: d["header"].update(outcome="Partly upheld"), r"^header\.outcome: "),
    (lambda d: d["header"].update(decision_date="2023-10-11"), r"^header\.decision_date: "),
    (lambda d: d["header"].update(category="Schools"), r"^header\.category: "),
    (lambda d: d["header"].update(organisation=" "), r"^header\.organisation: "),
    (lambda d: d["header"].update(stage="provisional"), r"^header\.stage: "),
    (lambda d: d["header"].update(colour="red"), r"^header\.colour: unknown field"),
    (lambda d: d.update(summary=None), r"^summary: must be text, not null$"),
    (lambda d: d["sections"][0].update(heading=""), r"^sections\[0\]\.heading: must not be empty$"),
    (lambda d: d["sections"][0]["blocks"][0]["list"].update(style="roman"),
     r"^sections\[0\]\.blocks\[0\]\.list\.style: "),
    (lambda d: d["sections"][0]["blocks"][0]["list"].update(items=[]),
     r"^sections\[0\]\.blocks\[0\]\.list\.items: "),
    (lambda d: d["sections"][0]["blocks"][1].update(edited=True), r"^sections\[0\]\.blocks\[1\]\.edited: "),
    (lambda d: d["sections"][1]["blocks"][0].update(level=4), r"^sections\[1\]\.blocks\[0\]\.level: "),
    (lambda d: d["sections"][1]["blocks"][2]["source"].update(version="1"),
     r"^sections\[1\]\.blocks\[2\]\.source\.version: "),
    (lambda d: d["sections"][1].update(key="complaint"), r"^sections\[1\]\.key: 'complaint' is used by two"),
    (lambda d: d["sections"][1].update(key="What I found"), r"^sections\[1\]\.key: "),
    (lambda d: d.update(format_version=2), r"^format_version: "),
    (lambda d: d.update(format="something.else"), r"^format: "),
    (lambda d: d.update(template="report"), r"^template: "),
])
def test_bad_data_names_the_field(change, message):
    with pytest.raises(DecisionError, match=message) as info:
        decision_from_dict(mutated(change))
    assert "\n" not in str(info.value)


def test_file_errors_carry_the_path_and_one_line(tmp_path):
    broken = tmp_path / "broken.decision.json"
    broken.write_text('{"format": "desk-app.decision",\n "header": }', encoding="utf-8")
    with pytest.raises(DecisionError) as info:
        load_decision(broken)
    assert str(info.value) == f"{broken}: not valid JSON: Expecting value at line 2, column 12"

    missing_field = tmp_path / "missing.decision.json"
    data = mutated(lambda d: d["header"].pop("decision_date"))
    missing_field.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DecisionError, match="missing field header.decision_date") as info:
        load_decision(missing_field)
    assert info.value.path == missing_field

    with pytest.raises(DecisionError, match="no such file"):
        load_decision(tmp_path / "nope.decision.json")
    binary = tmp_path / "b.decision.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DecisionError, match="not UTF-8"):
        load_decision(binary)
    with pytest.raises(DecisionError, match="must be a JSON object"):
        decision_from_json("[1, 2]")


# --- editing ---------------------------------------------------------------------------------


def test_editing_a_library_paragraph_marks_it_edited():
    para = Paragraph("Stock text.", citation="(Act)", source=Source("x", 1))
    para.edit("Stock text.")
    assert para.edited is False  # no change, no flag
    para.edit("Stock text, changed.")
    assert para.edited is True
    own = Paragraph("Mine.")
    own.edit("Mine, changed.")
    assert own.edited is False and own.source is None


def test_edit_items_sets_and_clears_list_style():
    para = Paragraph("Lead:", source=Source("x", 1))
    para.edit(items=["one;", "two."])
    assert para.list_style is ListStyle.LETTERS and para.edited
    para.edit(items=[])
    assert para.list_style is None


def test_citation_goes_after_text_or_after_last_item():
    plain = Paragraph("Text.", citation="(Act 1974, section 1)")
    assert plain.full_text == "Text. (Act 1974, section 1)"
    listed = Paragraph("We do not start if:", citation="(Act)", items=["a, or", "b."],
                       list_style=ListStyle.BULLETS)
    assert listed.full_text == "We do not start if:"
    assert listed.item_texts() == ["a, or", "b. (Act)"]


def test_add_remove_move_blocks():
    section = Section("complaint", "The complaint", [Paragraph("one"), Paragraph("two")])
    section.add(Paragraph("three"))
    section.add(Paragraph("zero"), 0)
    section.move(0, 3)
    assert [p.text for p in section.paragraphs] == ["one", "two", "three", "zero"]
    assert section.remove(3).text == "zero"


def test_missing_section_is_a_decision_error():
    with pytest.raises(DecisionError, match="no section 'action'"):
        small_decision().section("action")


# --- numbering ---------------------------------------------------------------------------------


def test_numbers_run_on_across_sections_and_skip_headings():
    decision = small_decision()
    numbered = list(iter_numbered(decision))
    assert [n.number for n in numbered] == [1, 2, 3, 4]
    assert [n.paragraph.text for n in numbered][2].startswith("Councils have")
    assert paragraph_number(decision, "found", 2) == 3
    with pytest.raises(IndexError):
        paragraph_number(decision, "found", 0)  # a heading


@pytest.mark.parametrize(("position", "expected"), [(1, "a"), (2, "b"), (26, "z"), (27, "aa"), (28, "bb"),
                                                    (53, "aaa")])
def test_letters_follow_word_lower_letter(position, expected):
    assert letter(position) == expected


def test_item_labels():
    assert item_label(2, ListStyle.LETTERS) == "b)"
    assert item_label(2, ListStyle.BULLETS) == "•"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_numbering_is_continuous(path):
    decision = load_decision(path)
    numbers = [n.number for n in iter_numbered(decision)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == {"seed-21-011-396.decision.json": 35, "seed-23-005-338.decision.json": 26}[path.name]


# --- templates ----------------------------------------------------------------------------------


def test_template_follows_outcome():
    assert template_for(Outcome.CLOSED) is ASSESSMENT
    assert template_for(Outcome.UPHELD) is INVESTIGATION
    assert template_for(Outcome.NOT_UPHELD) is INVESTIGATION


def test_investigation_order_matches_conventions():
    assert INVESTIGATION.keys() == ["complaint", "investigated", "role", "considered", "found", "analysis",
                                    "action", "decision", "not_investigated"]
    assert ASSESSMENT.keys() == ["complaint", "role", "considered", "assessment", "analysis", "decision"]


def test_skeleton_sections_depend_on_outcome_and_choices():
    upheld = skeleton_sections(make_header(), INVESTIGATION)
    assert [s.heading for s in upheld] == [
        "The complaint", "The Ombudsman’s role and powers", "How I considered this complaint", "What I found",
        "Analysis", "Agreed action", "Final decision"]
    not_upheld = skeleton_sections(make_header(outcome=Outcome.NOT_UPHELD), INVESTIGATION,
                                   include=("investigated",), headings={"analysis": "conclusions"})
    assert [s.key for s in not_upheld] == ["complaint", "investigated", "role", "considered", "found",
                                           "analysis", "decision"]
    assert not_upheld[5].heading == "Conclusions"
    closed = skeleton_sections(make_header(outcome=Outcome.CLOSED), ASSESSMENT)
    assert [s.heading for s in closed] == ["The complaint", "The Ombudsman’s role and powers",
                                           "How I considered this complaint", "My assessment", "Final decision"]


def test_heading_choices_are_checked():
    assert INVESTIGATION.choose_heading("action", "action") == "Action"
    assert INVESTIGATION.choose_heading("role", "The Ombudsmen's role and powers") == \
        "The Ombudsmen’s role and powers"
    with pytest.raises(DecisionError, match="Agreed action; Action; Recommended action"):
        INVESTIGATION.choose_heading("action", "Remedy")
    with pytest.raises(DecisionError, match="not part of the assessment template"):
        ASSESSMENT.spec("found")


def test_insert_section_lands_in_template_order():
    decision = small_decision()  # complaint, found
    insert_section(decision, "role")
    insert_section(decision, "decision", "Decision")
    insert_section(decision, "investigated")
    custom = Section("extra", "Background information")
    decision.sections.insert(1, custom)
    insert_section(decision, "considered")
    assert [s.key for s in decision.sections] == ["complaint", "extra", "investigated", "role", "considered",
                                                  "found", "decision"]
    assert decision.section("decision").heading == "Decision"
    before = copy.deepcopy(decision)
    insert_section(decision, "role")  # already there: nothing changes
    assert decision == before
