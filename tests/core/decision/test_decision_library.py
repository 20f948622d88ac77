"""Paragraph library: the shipped YAML, selection by category/outcome/stage, new decisions."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.decision.library import (
    Library,
    LibraryError,
    default_library_path,
    library_from_data,
    load_library,
    new_decision,
)
from desk_app.core.decision.model import (
    TOP_LEVEL_CATEGORIES,
    DecisionError,
    Header,
    Heading,
    ListStyle,
    Outcome,
    Paragraph,
    Source,
    Stage,
    decision_from_json,
    decision_to_json,
    load_decision,
)
from desk_app.core.decision.templates import template_for
from desk_app.resources import RESOURCES_ENV, resource_path
from tests.helpers.paths import TESTS

DECISIONS = TESTS / "data" / "decisions"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def header(category="Children's care services", sub="Child protection", outcome=Outcome.UPHELD,
           stage=Stage.FINAL, organisation="London Borough of Bromley") -> Header:
    return Header(organisation, "23 005 338", category, sub, outcome, "11 Oct 2023", stage)


def ids(entries) -> list[str]:
    return [e.id for e in entries]


def section_ids(decision, key) -> list[str]:
    return [p.source.id for p in decision.section(key).paragraphs if p.source]


# --- the shipped file ----------------------------------------------------------------------------


def test_library_is_found_through_resources_helper(monkeypatch, tmp_path):
    assert default_library_path() == resource_path("paragraph_library.yaml")
    assert default_library_path().is_file()
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path))
    assert default_library_path() == tmp_path / "paragraph_library.yaml"
    with pytest.raises(LibraryError, match="paragraph library not found"):
        load_library()


REQUIRED_IDS = [
    # every role-and-powers variant in lgo-conventions §3.1 (current wording is the default)
    "role.opening.significant-injustice", "role.opening.basic", "role.opening.injustice-caused-by",
    "role.opening.service-failure", "role.opening.assessment-code", "role.opening.assessment-tests",
    "role.opening.assessment-tests-34b", "role.opening.assessment-older", "role.part-3a", "role.part-3a.2017",
    "role.joint-health",
    # 34(3), 30(1B)/34H(i), late complaints, tribunal and court bars, Schedule 5
    "role.merits", "role.merits.decision-making", "role.merits.older", "role.admissions-panel",
    "role.complete", "role.complete.council", "role.late",
    "role.tribunal", "role.tribunal.older", "role.tribunal.sen", "role.tribunal.appealed",
    "role.tribunal-name.send", "role.tribunal-name.social-entitlement", "role.tribunal-name.valuation",
    "role.tribunal-name.london", "role.tribunal-name.traffic-penalty",
    "role.court", "role.court.started", "role.restrictions", "role.schedule5.court", "role.schedule5.schools",
    # information sharing
    "role.ofsted", "role.cqc", "role.cqc.older",
    # how I considered this complaint
    "considered.investigation.final", "considered.investigation.draft", "considered.assessment.information",
    "considered.assessment.code", "considered.assessment.draft-comments",
    # law and guidance from the seed decisions
    "law.child-protection.s47-duty", "law.child-protection.s47-duty.2022", "law.child-protection.referral",
    "law.child-protection.initial-enquiries", "law.child-protection.s47-enquiries", "law.child-protection.icpc",
    "law.child-protection.conference-convened", "law.child-protection.conference-plan",
    "sign-off",
]


def test_library_covers_the_issue(library):
    missing = [i for i in REQUIRED_IDS if i not in library]
    assert missing == []


def test_every_entry_is_well_formed(library):
    for entry in library.entries:
        assert entry.version >= 1
        assert entry.text == " ".join(entry.text.split()), entry.id
        assert entry.title, f"{entry.id} needs a title for the GUI list"
        assert entry.source, f"{entry.id} should say where the wording comes from"
        if entry.citation:
            assert entry.citation.startswith("(") and entry.citation.endswith(")"), entry.id
        # house style: curly quotes, no straight apostrophes in the wording
        for text in (entry.text, *entry.items):
            assert "'" not in text and '"' not in text, entry.id
        if entry.items:
            assert entry.list_style in (ListStyle.BULLETS, ListStyle.LETTERS)


def test_statutory_citations_name_the_1974_act(library):
    lga = [e for e in library.entries if e.id.startswith("role.") and e.citation
           and "Tribunal" not in e.citation]
    assert len(lga) > 20
    for entry in lga:
        assert entry.citation.startswith("(Local Government Act 1974, "), entry.id


def test_citations_match_the_conventions(library):
    assert library.get("role.complete").citation == \
        "(Local Government Act 1974, section 30(1B) and 34H(i), as amended)"
    assert library.get("role.merits").citation == "(Local Government Act 1974, section 34(3), as amended)"
    assert library.get("role.late").citation == "(Local Government Act 1974, sections 26B and 34D, as amended)"
    assert library.get("role.tribunal").citation == "(Local Government Act 1974, section 26(6)(a), as amended)"
    assert library.get("role.court").citation == "(Local Government Act 1974, section 26(6)(c), as amended)"
    assert "24A(6)" in library.get("role.opening.assessment-code").citation
    assert "34B" in library.get("role.part-3a.2017").citation
    assert "18ZA" in library.get("role.joint-health").citation


def test_assessment_tests_are_bullets_with_the_citation_last(library):
    para = library.get("role.opening.assessment-tests-34b").to_paragraph()
    assert para.list_style is ListStyle.BULLETS
    assert para.item_texts()[-1].endswith(
        "justify our involvement. (Local Government Act 1974, section 24A(6), as amended, section 34(B))")


def test_one_default_per_group_for_any_header(library):
    tops = list(TOP_LEVEL_CATEGORIES)
    subs = ["Child protection", "Special educational needs", "Council tax", "Housing benefit and council tax "
            "benefit", "Parking and other penalties", "Highway repair and maintenance", "Licensing",
            "Admissions", "Homelessness", "Charging"]

    @settings(max_examples=150, deadline=None)
    @given(top=st.sampled_from(tops), sub=st.sampled_from(subs), outcome=st.sampled_from(list(Outcome)),
           stage=st.sampled_from(list(Stage)),
           org=st.sampled_from(["London Borough of Bromley", "Kent County Council", "Storm Homecare Ltd"]))
    def check(top, sub, outcome, stage, org):
        chosen = library.select(header(top, sub, outcome, stage, org))
        groups = [g for e in chosen for g in e.groups]
        assert len(groups) == len(set(groups))
        template = template_for(outcome)
        assert all(e.section in template.keys() for e in chosen)
        role = [e.id for e in chosen if e.section == "role"]
        assert any("opening" in i or i == "role.admissions-panel" for i in role), role
        assert len({e.id for e in chosen}) == len(chosen)

    check()


# --- selection --------------------------------------------------------------------------------


def test_upheld_child_protection_final(library):
    decision = new_decision(header(), library=library)
    assert section_ids(decision, "role") == ["role.opening.significant-injustice", "role.merits",
                                             "role.complete", "role.ofsted"]
    assert section_ids(decision, "considered") == ["considered.investigation.final"]
    found = decision.section("found")
    assert section_ids(decision, "found") == [
        "law.child-protection.s47-duty", "law.child-protection.referral", "law.child-protection.initial-enquiries",
        "law.child-protection.s47-enquiries", "law.child-protection.icpc"]
    assert [b.text for b in found.blocks if isinstance(b, Heading)] == ["Duty to investigate",
                                                                         "Acting on a referral"]
    assert [s.heading for s in decision.sections] == [
        "The complaint", "The Ombudsman’s role and powers", "How I considered this complaint", "What I found",
        "Analysis", "Agreed action", "Final decision"]
    assert decision.sign_off == "Investigator’s decision on behalf of the Ombudsman"
    assert decision.template == "investigation"
    assert all(not p.edited and library.status(p) == "current" for p in decision.paragraphs())


def test_not_upheld_has_no_remedy_paragraphs(library):
    decision = new_decision(header(outcome=Outcome.NOT_UPHELD), library=library)
    assert "role.complete" not in section_ids(decision, "role")
    assert "role.ofsted" not in section_ids(decision, "role")
    assert not decision.has_section("action")


def test_draft_gets_the_draft_steps(library):
    decision = new_decision(header(stage=Stage.DRAFT), library=library)
    assert section_ids(decision, "considered") == ["considered.investigation.draft"]
    para = decision.section("considered").paragraphs[0]
    assert para.items[-1].startswith("shared a draft of this statement")


def test_closed_adult_care_is_an_assessment(library):
    decision = new_decision(header("Adult care services", "Charging", Outcome.CLOSED), library=library)
    assert decision.template == "assessment"
    assert [s.key for s in decision.sections] == ["complaint", "role", "considered", "assessment", "decision"]
    assert section_ids(decision, "role") == ["role.opening.assessment-code"]
    assert section_ids(decision, "considered") == ["considered.assessment.information",
                                                   "considered.assessment.code",
                                                   "considered.assessment.draft-comments"]
    draft = new_decision(header("Adult care services", "Charging", Outcome.CLOSED, Stage.DRAFT), library=library)
    assert "considered.assessment.draft-comments" not in section_ids(draft, "considered")


def test_cqc_only_for_upheld_adult_care(library):
    upheld = new_decision(header("Adult care services", "Domiciliary care"), library=library)
    assert section_ids(upheld, "role")[-1] == "role.cqc"
    assert "role.ofsted" not in section_ids(upheld, "role")
    not_upheld = new_decision(header("Adult care services", "Domiciliary care", Outcome.NOT_UPHELD),
                              library=library)
    assert "role.cqc" not in section_ids(not_upheld, "role")


def test_sen_gets_tribunal_bar_and_send_tribunal(library):
    decision = new_decision(header("Education", "Special educational needs"), library=library)
    role = section_ids(decision, "role")
    assert role.index("role.tribunal.sen") < role.index("role.tribunal-name.send") < role.index("role.ofsted")


@pytest.mark.parametrize(("sub", "tribunal"), [
    ("Council tax", "role.tribunal-name.valuation"),
    ("Council tax reduction", "role.tribunal-name.valuation"),
    ("Housing benefit and council tax benefit", "role.tribunal-name.social-entitlement"),
])
def test_benefits_tribunals_match_on_sub_category_start(library, sub, tribunal):
    role = section_ids(new_decision(header("Benefits and tax", sub, Outcome.NOT_UPHELD), library=library), "role")
    assert "role.tribunal" in role
    assert [i for i in role if i.startswith("role.tribunal-name")] == [tribunal]


@pytest.mark.parametrize(("org", "tribunal"), [
    ("London Borough of Hounslow", "role.tribunal-name.london"),
    ("Royal Borough of Kensington and Chelsea", "role.tribunal-name.london"),
    ("Kent County Council", "role.tribunal-name.traffic-penalty"),
])
def test_parking_tribunal_depends_on_london(library, org, tribunal):
    chosen = library.select(header("Transport and highways", "Parking and other penalties", Outcome.CLOSED,
                                   organisation=org))
    assert [e.id for e in chosen if e.id.startswith("role.tribunal-name")] == [tribunal]


def test_potholes_at_assessment_get_restrictions_and_court_bar(library):
    chosen = ids(library.select(header("Transport and highways", "Highway repair and maintenance",
                                       Outcome.CLOSED)))
    assert chosen[:3] == ["role.opening.assessment-code", "role.restrictions", "role.court"]


def test_admissions_panel_paragraph_replaces_opening_and_merits(library):
    role = section_ids(new_decision(header("Education", "Admissions", Outcome.NOT_UPHELD), library=library), "role")
    assert role == ["role.admissions-panel"]


def test_adding_part_3a_replaces_the_council_opening(library):
    decision = new_decision(header("Adult care services", "Residential care", organisation="Storm Homecare Ltd"),
                            library=library, add=["role.part-3a"])
    role = section_ids(decision, "role")
    assert role[0] == "role.part-3a"
    assert "role.opening.significant-injustice" not in role


def test_joint_working_changes_the_heading(library):
    decision = new_decision(header("Adult care services", "Assessment and care plan"), library=library,
                            add=["role.joint-health"])
    assert decision.section("role").heading == "The Ombudsmen’s role and powers"
    assert "role.joint-health" in section_ids(decision, "role")


def test_added_entry_for_wrong_template_is_an_error(library):
    with pytest.raises(DecisionError, match="'found'.*assessment template"):
        new_decision(header(outcome=Outcome.CLOSED), library=library, add=["law.child-protection.icpc"])
    with pytest.raises(LibraryError, match="no library entry 'role.nope'"):
        new_decision(header(), library=library, add=["role.nope"])


def test_new_decision_options(library):
    decision = new_decision(header(outcome=Outcome.NOT_UPHELD), library=library, include=["investigated"],
                            headings={"analysis": "Conclusions", "decision": "Decision"})
    assert [s.heading for s in decision.sections][1] == "What I have and have not investigated"
    assert decision.section("analysis").heading == "Conclusions"
    assert decision.section("decision").heading == "Decision"
    with pytest.raises(DecisionError, match="not a choice"):
        new_decision(header(), library=library, headings={"analysis": "Thoughts"})
    with pytest.raises(DecisionError, match="header.reference"):
        bad = header()
        bad.reference = "23/005/338"
        new_decision(bad, library=library)


def test_new_decision_round_trips(library):
    decision = new_decision(header("Education", "Special educational needs"), library=library)
    assert decision_from_json(decision_to_json(decision)) == decision


def test_alternatives_share_a_group(library):
    alternatives = ids(library.alternatives("role.opening.significant-injustice"))
    assert "role.opening.basic" in alternatives and "role.part-3a" in alternatives
    assert "role.merits" not in alternatives
    assert "role.opening.significant-injustice" not in alternatives
    assert "law.child-protection.s47-duty.2022" in ids(library.alternatives("law.child-protection.s47-duty"))


def test_applicable_lists_non_defaults_too(library):
    applicable = ids(library.applicable(header()))
    assert "role.late" in applicable and "role.opening.basic" in applicable
    assert "role.cqc" not in applicable and "sign-off" not in applicable


# --- status of paragraphs against the library ------------------------------------------------


def test_paragraph_status(library):
    para = library.get("role.merits").to_paragraph()
    assert library.status(para) == "current"
    para.edit("We consider whether there was fault.")
    assert library.status(para) == "edited"
    stale = library.get("role.merits").to_paragraph()
    stale.source = Source("role.merits", 0 + 99)
    assert library.status(stale) == "outdated"
    assert library.status(Paragraph("My own words.")) == "own"
    assert library.status(Paragraph("x", source=Source("gone.entry", 1))) == "unknown"
    changed_by_hand = library.get("role.merits").to_paragraph()
    changed_by_hand.text += " Extra."  # edited in the JSON without the flag
    assert library.status(changed_by_hand) == "edited"


@pytest.mark.parametrize("path", sorted(DECISIONS.glob("seed-*.decision.json")), ids=lambda p: p.name)
def test_seed_fixtures_record_library_sources_honestly(library, path):
    decision = load_decision(path)
    sourced = [p for p in decision.paragraphs() if p.source]
    assert len(sourced) >= 8
    for para in sourced:
        entry = library.get(para.source.id)
        assert para.source.version == entry.version
        assert entry.same_wording(para) is (not para.edited), para.source.id
        assert library.status(para) == ("edited" if para.edited else "current")


def test_seed_23_005_338_matches_what_the_library_would_choose(library):
    seed = load_decision(DECISIONS / "seed-23-005-338.decision.json")
    fresh = new_decision(seed.header, library=library)
    assert section_ids(seed, "found") == section_ids(fresh, "found")
    assert "role.ofsted" in section_ids(seed, "role") and "role.ofsted" in section_ids(fresh, "role")


# --- broken library files -----------------------------------------------------------------------


def minimal(**entry) -> dict:
    base = {"id": "x.one", "version": 1, "section": "role", "text": "Text.", "title": "t"}
    base.update(entry)
    return {"format": "desk-app.paragraph-library", "format_version": 1, "entries": [base]}


@pytest.mark.parametrize(("data", "message"), [
    (minimal(section="middle"), r"entry 'x.one'\.section: 'middle' is not a section key"),
    (minimal(version=0), r"entry 'x.one'\.version: "),
    (minimal(text=" "), r"entry 'x.one'\.text: must be text and not empty"),
    (minimal(colour="red"), r"entry 'x.one'\.colour: unknown field"),
    (minimal(applies={"outcome": ["sort of"]}), r"entry 'x.one'\.applies\.outcome: "),
    (minimal(applies={"category": ["Schools > Admissions"]}), r"entry 'x.one'\.applies\.category: "),
    (minimal(applies={"when": "always"}), r"entry 'x.one'\.applies\.when: unknown condition"),
    (minimal(list={"style": "roman", "items": ["a"]}), r"entry 'x.one'\.list\.style: "),
    (minimal(subheadings=["a", "b", "c"]), r"entry 'x.one'\.subheadings: at most two"),
    (minimal(sets_heading="Powers"), r"entry 'x.one'\.sets_heading: "),
    ({"format": "other"}, r"not a paragraph library"),
    ({"format": "desk-app.paragraph-library", "format_version": 1, "entries": []}, r"entries: "),
])
def test_library_mistakes_name_entry_and_field(data, message):
    with pytest.raises(LibraryError, match=message):
        library_from_data(data)


def test_duplicate_ids_and_bad_yaml(tmp_path):
    data = minimal()
    data["entries"].append(dict(data["entries"][0]))
    with pytest.raises(LibraryError, match="'x.one' is used twice"):
        library_from_data(data)
    bad = tmp_path / "lib.yaml"
    bad.write_text("format: desk-app.paragraph-library\nentries: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=r"not valid YAML at line \d+") as info:
        load_library(bad)
    assert info.value.path == bad and "\n" not in str(info.value)


def test_library_without_sign_off(tmp_path):
    library = library_from_data(minimal())
    with pytest.raises(LibraryError, match="no default sign-off"):
        library.sign_off()


def test_shipped_yaml_is_plain_and_ordered():
    """The file is meant for people: no YAML anchors/tags, ids in a readable dotted form."""
    text = default_library_path().read_text(encoding="utf-8")
    assert not re.search(r"^\s*[&*!]", text, re.MULTILINE)
    data = yaml.safe_load(text)
    for entry in data["entries"]:
        assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*", entry["id"]), entry["id"]
