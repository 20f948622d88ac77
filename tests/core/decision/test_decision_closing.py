"""Closing sections (issue 15): library entries, complete new decisions, gaps, conversion, CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest

from desk_app.cli.decision import main as cli_main
from desk_app.core.decision.completeness import (
    fill_text,
    filled_changes,
    find_gaps,
    paragraph_placeholders,
    placeholders_in,
)
from desk_app.core.decision.convert import Shape, apply_entry, can_insert, convert_decision
from desk_app.core.decision.library import Library, load_library, new_decision
from desk_app.core.decision.model import (
    Decision,
    DecisionError,
    Header,
    Heading,
    Outcome,
    Paragraph,
    Stage,
    load_decision,
    save_decision,
)
from desk_app.core.decision.templates import template_for
from desk_app.core.decision.text_export import render_text

CLOSING = {Outcome.UPHELD: ["action", "decision"], Outcome.NOT_UPHELD: ["decision"],
           Outcome.CLOSED: ["assessment", "decision"]}
CITATION_RE = re.compile(r"\((Local Government Act 1974|Part 3 and Part 3A Local Government Act 1974)[^()]*"
                         r"(\([^()]*\)[^()]*)*\)")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def header(outcome: Outcome = Outcome.UPHELD, stage: Stage = Stage.FINAL, top: str = "Adult care services",
           sub: str = "Charging") -> Header:
    return Header(organisation="Kent County Council", reference="24 017 721", category=top, sub_category=sub,
                  outcome=outcome, decision_date="19 Mar 2025", stage=stage)


def ids(section) -> list[str]:
    return [p.source.id for p in section.paragraphs if p.source]


# --- the library's closing entries ---------------------------------------------------------------


def test_library_has_the_closing_entries_the_issue_asks_for(library):
    by_section: dict[str, list] = {}
    for entry in library.entries:
        by_section.setdefault(entry.section, []).append(entry)
    assert len(by_section["action"]) >= 6
    investigation_decisions = [e for e in by_section["decision"] if Outcome.CLOSED not in e.applies.outcomes]
    assert len(investigation_decisions) >= 4
    assert len(by_section["assessment"]) >= 10
    analysis_titles = " ".join(e.title.casefold() for e in by_section["analysis"])
    for standard in ("delay", "record", "complaint handling", "communication"):
        assert standard in analysis_titles
    for entry in by_section["action"] + by_section["decision"] + by_section["assessment"]:
        assert entry.source and entry.title, entry.id
        assert not re.search(r"\d\d-\d\d\d-\d\d\d", entry.text), entry.id  # references stay in `source`
    action_text = " ".join(e.text for e in by_section["action"])
    for needed in ("apologise", "to acknowledge the distress", "time and trouble", "lost opportunity",
                   "reconsider", "Within three months of the final decision", "remind relevant staff",
                   "evidence", "Within one month of the final decision"):
        assert needed in action_text, needed


def test_every_assessment_entry_cites_and_brings_its_final_decision_sentence(library):
    reasons = [e for e in library.entries if e.section == "assessment"]
    for entry in reasons:
        assert CITATION_RE.fullmatch(entry.citation), (entry.id, entry.citation)
        assert entry.applies.outcomes == (Outcome.CLOSED,)
        partners = library.companions(entry)
        assert [p.section for p in partners] == ["decision"], entry.id
        sentence = partners[0].text
        assert sentence.startswith(("We will not investigate", "We cannot investigate")), entry.id
        assert set(partners[0].groups) == {"closed-decision"}
    covered = " ".join(e.citation for e in reasons)
    for law in ("26(6)(a)", "26(6)(c)", "26B", "24A(6)", "26(5)", "paragraph 4", "paragraph 3", "5(b)", "Part 3A"):
        assert law in covered, law


def test_every_closing_entry_renders_and_applies(library):
    """Each entry, applied to a decision it is meant for, shows up once, cited, in its section."""
    closing = [e for e in library.entries if e.section in ("action", "decision", "assessment", "analysis")]
    for entry in closing:
        outcome = entry.applies.outcomes[0] if entry.applies.outcomes else Outcome.UPHELD
        stage = entry.applies.stages[0] if entry.applies.stages else Stage.FINAL
        top = "Transport and highways" if entry.id.endswith("parking") else "Adult care services"
        h = header(outcome, stage, top, "Parking and other penalties" if top.startswith("Transport") else "Charging")
        assert entry.applies.matches(h), entry.id
        decision = new_decision(h, library=library)
        inserted = apply_entry(decision, library, entry)
        section = decision.section(entry.section)
        assert inserted.paragraphs[0] in section.paragraphs, entry.id
        text = render_text(decision)
        assert entry.text in text, entry.id
        if entry.citation:
            assert f"{entry.text} {entry.citation}" in text, entry.id
        for name in paragraph_placeholders(inserted.paragraphs[0]):
            assert f"[[{name}]]" in text
        decision.validate()


def test_search_finds_closing_entries_by_words_and_synonyms(library):
    def found(query: str) -> list[str]:
        return [e.id for e in library.search(query)]

    assert "action.apology" in found("apolog")
    assert found("apology") == found("apologise") == found("sorry") == found("apolog")
    payments = {"action.payment.distress", "action.payment.time-and-trouble", "action.payment.lost-opportunity"}
    assert payments <= set(found("payment"))
    assert payments <= set(found("remedy"))       # the synonym the issue names
    assert {"analysis.delay", "assessment.late", "role.late"} <= set(found("delay"))
    assert "assessment.personnel" in found("personnel schedule")
    assert found("final decision late") == ["decision.closed.late"]   # section words count too
    assert found("no such words anywhere") == []
    assert all(e.section != "sign_off" for e in library.search("Ombudsman"))


# --- new decisions come complete ----------------------------------------------------------------


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("outcome", list(Outcome))
def test_new_decisions_fill_every_closing_section(library, outcome, stage):
    decision = new_decision(header(outcome, stage), library=library)
    keys = [s.key for s in decision.sections]
    for key in CLOSING[outcome]:
        assert key in keys
        assert decision.section(key).paragraphs, (outcome, stage, key)
    final = " ".join(p.text for p in decision.section("decision").paragraphs)
    if outcome is not Outcome.CLOSED:
        assert final.startswith("Based on current evidence") is (stage is Stage.DRAFT)
    else:
        assert final.startswith("We will not investigate")
    if outcome is not Outcome.UPHELD:
        assert "action" not in keys
    gaps = find_gaps(decision)
    empty = {g.section_key for g in gaps if g.kind == "empty_section"}
    assert not empty & set(CLOSING[outcome])
    assert "complaint" in empty   # the investigator's own words are still to come


def test_gaps_list_placeholders_and_filling_removes_them(library):
    decision = new_decision(header(Outcome.UPHELD, Stage.FINAL), library=library)
    gaps = find_gaps(decision)
    kinds = {g.kind for g in gaps}
    assert kinds == {"empty_summary", "empty_section", "placeholder"}
    money = [g for g in gaps if g.name == "£ amount"]
    assert len(money) == 1 and money[0].section_key == "action"
    assert "fill in [[£ amount]]" in money[0].message and f"paragraph {money[0].number}" in money[0].message

    values = {"complainant": "Mrs X", "£ amount": "£300", "the fault and the injustice it caused": "the delay",
              "the service improvement, e.g. review its procedure for …": "remind staff of the charging rules"}
    for para in decision.paragraphs():
        changes = filled_changes(para, values)
        if changes:
            para.edit(**changes)
            assert para.edited
    assert not [g for g in find_gaps(decision) if g.kind == "placeholder"]
    assert "pay Mrs X £300 to acknowledge" in render_text(decision)
    assert placeholders_in("a [[b]] c [[b]] [[ d ]]") == ["b", "d"]
    assert fill_text("[[a]] and [[b]]", {"a": "A", "b": "  "}) == "A and [[b]]"
    assert placeholders_in("quoted [the matter] stays") == []


# --- conversion ---------------------------------------------------------------------------------


def own_paragraphs(decision: Decision) -> list[tuple[str, Paragraph]]:
    return [(s.key, p) for s in decision.sections for p in s.paragraphs if p.source is None]


def test_upheld_to_closed_and_back_keeps_own_paragraphs(library):
    decision = new_decision(header(Outcome.UPHELD, Stage.DRAFT, "Children's care services", "Child protection"),
                            library=library)
    decision.section("complaint").add(Paragraph("Mrs X complains the Council did not act on a referral."))
    decision.section("found").add(Paragraph("The Council received the referral on 3 May."))
    decision.section("analysis").add(Paragraph("The Council took six weeks to act.", citation="(its own policy)"))
    action = decision.section("action")
    action.add(Paragraph("The Council will also review its referral form.", items=["within one month;", "and report"]))
    edited = action.paragraphs[1]          # the stock payment paragraph, now the investigator's
    edited.edit(text=edited.text.replace("[[£ amount]]", "£250"))
    mine = own_paragraphs(decision) + [("action", edited)]
    before = render_text(decision)

    report = convert_decision(decision, library, outcome=Outcome.CLOSED)
    assert decision.template == "assessment" and decision.header.outcome is Outcome.CLOSED
    keys = [s.key for s in decision.sections]
    assert keys[:3] == ["complaint", "role", "considered"] and "assessment" in keys and keys[-1] == "decision"
    assert ids(decision.section("assessment")) == ["assessment.no-evidence-of-fault"]
    assert ids(decision.section("decision")) == ["decision.closed.no-evidence-of-fault"]
    for key, para in mine:                 # every paragraph of the investigator's is still there
        assert any(p is para for p in decision.section(key).paragraphs), key
    assert not [p for p in decision.section("action").paragraphs if p.source and not p.edited]
    assert "role.complete" in report.removed and "assessment.no-evidence-of-fault" in report.added
    assert report.kept_own == len(mine) and "My assessment" in report.sections_added

    convert_decision(decision, library, outcome=Outcome.UPHELD)
    assert render_text(decision) == before
    for key, para in mine:
        assert any(p is para for p in decision.section(key).paragraphs), key
    assert decision.template == "investigation" and not decision.has_section("assessment")


def test_closed_to_upheld_drops_untouched_assessment_and_adds_remedy(library):
    decision = new_decision(header(Outcome.CLOSED), library=library)
    report = convert_decision(decision, library, outcome=Outcome.UPHELD)
    keys = [s.key for s in decision.sections]
    assert keys == ["complaint", "role", "considered", "found", "analysis", "action", "decision"]
    assert "action.apology" in ids(decision.section("action"))
    assert ids(decision.section("decision")) == ["decision.upheld.final"]
    assert "My assessment" in report.sections_removed


def test_stage_change_swaps_draft_wording_only_where_untouched(library):
    decision = new_decision(header(Outcome.NOT_UPHELD, Stage.DRAFT), library=library)
    assert ids(decision.section("decision")) == ["decision.not-upheld.draft"]
    convert_decision(decision, library, stage=Stage.FINAL)
    assert decision.header.stage is Stage.FINAL
    assert ids(decision.section("decision")) == ["decision.not-upheld.final"]
    assert ids(decision.section("considered")) == ["considered.investigation.final"]
    para = decision.section("decision").paragraphs[0]
    para.edit(text=para.text + " I have considered both parties’ comments.")
    convert_decision(decision, library, stage=Stage.DRAFT)
    assert decision.section("decision").paragraphs == [para]   # edited: kept, nothing added over it


def test_hand_chosen_entries_survive_when_they_still_apply(library):
    decision = new_decision(header(Outcome.UPHELD), library=library)
    apply_entry(decision, library, library.get("role.late"))
    apply_entry(decision, library, library.get("decision.upheld.remedied"))
    assert ids(decision.section("decision")) == ["decision.upheld.remedied"]   # replaced the default
    convert_decision(decision, library, outcome=Outcome.NOT_UPHELD)
    assert "role.late" in ids(decision.section("role"))
    assert ids(decision.section("decision")) == ["decision.not-upheld.final"]   # upheld-only wording swapped


def test_shape_restores_a_conversion(library):
    decision = new_decision(header(Outcome.UPHELD), library=library)
    decision.section("complaint").add(Paragraph("Mr X complains."))
    text, sections = render_text(decision), list(decision.sections)
    shape = Shape.capture(decision)
    convert_decision(decision, library, outcome=Outcome.CLOSED)
    assert render_text(decision) != text
    shape.restore()
    assert render_text(decision) == text and decision.sections == sections
    assert decision.header.outcome is Outcome.UPHELD and decision.template == "investigation"


def test_choosing_an_assessment_reason_swaps_both_sentences(library):
    decision = new_decision(header(Outcome.CLOSED), library=library)
    result = apply_entry(decision, library, library.get("assessment.late"))
    assert [p.source.id for p in result.replaced] == ["assessment.no-evidence-of-fault",
                                                      "decision.closed.no-evidence-of-fault"]
    assert ids(decision.section("assessment")) == ["assessment.late"]
    assert ids(decision.section("decision")) == ["decision.closed.late"]
    # an edited reason is the investigator's: a second reason is added beside it
    decision.section("assessment").paragraphs[0].edit(text="Mr X complained 19 years late.")
    apply_entry(decision, library, library.get("assessment.court"))
    assert ids(decision.section("assessment")) == ["assessment.late", "assessment.court"]
    assert ids(decision.section("decision")) == ["decision.closed.court"]


def test_entry_for_a_missing_template_section_is_refused(library):
    decision = new_decision(header(Outcome.CLOSED), library=library)
    entry = library.get("action.apology")
    assert can_insert(decision, entry, library) == "action"
    count = len(list(decision.paragraphs()))
    with pytest.raises(DecisionError, match="'action'"):
        apply_entry(decision, library, entry)
    assert len(list(decision.paragraphs())) == count


# --- the command line: new-decision && draft ------------------------------------------------------


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def docx_sections(path: Path) -> dict[str, list[str]]:
    """Heading 1 text -> the numbered paragraphs under it, read back from the Word file."""
    sections: dict[str, list[str]] = {}
    current = None
    for para in docx.Document(str(path)).paragraphs:
        style = para.style.style_id if para.style is not None else ""
        if style == "Heading1":
            current = para.text
            sections[current] = []
        elif current is not None and style in ("DecisionParagraph", "DecisionListLetter", "DecisionListBullet"):
            sections[current].append(para.text)
    return sections


HEADINGS = {"action": "Agreed action", "decision": "Final decision", "assessment": "My assessment"}


@pytest.mark.parametrize("outcome", ["upheld", "not-upheld", "closed"])
def test_cli_new_decision_then_draft_fills_the_closing_sections(tmp_path, capsys, outcome):
    source = tmp_path / "case.decision.json"
    code, out, err = run_cli(capsys, "new-decision", "--org", "Kent County Council", "--ref", "24 017 721",
                             "--category", "Adult care services > Charging", "--outcome", outcome,
                             "--date", "19 Mar 2025", "-o", str(source))
    assert code == 0, err
    for suffix in (".txt", ".docx"):
        target = tmp_path / f"case{suffix}"
        code, out, err = run_cli(capsys, "draft", str(source), "-o", str(target))
        assert code == 0 and target.exists()
        assert "warning:" in err and "placeholder" in err or outcome == "not-upheld"
        assert len(err.strip().splitlines()) == 1
    text = (tmp_path / "case.txt").read_text(encoding="utf-8")
    word = docx_sections(tmp_path / "case.docx")
    for key in CLOSING[Outcome.parse(outcome)]:
        heading = HEADINGS[key]
        first_line = text.split(f"\n{heading}\n", 1)[1].lstrip("\n").split("\n")[0]
        assert re.match(r"  \d+\. \S", first_line), (heading, first_line)
        assert word[heading] and all(p.strip() for p in word[heading]), heading
    if outcome == "upheld":
        assert any("apologise" in p for p in word["Agreed action"])
        assert "Based on current evidence" in word["Final decision"][0]


def test_cli_final_refuses_until_every_gap_is_filled(tmp_path, capsys):
    source = tmp_path / "case.decision.json"
    assert run_cli(capsys, "new-decision", "--org", "Kent County Council", "--ref", "24 017 721", "--category",
                   "Adult care services > Charging", "--outcome", "closed", "--stage", "final",
                   "-o", str(source))[0] == 0
    target = tmp_path / "out.docx"
    code, out, err = run_cli(capsys, "draft", "--final", str(source), "-o", str(target))
    assert code == 1 and not target.exists()
    line = err.strip()
    assert "\n" not in line and str(source) in line and "not ready to go out" in line
    assert "[[complainant]]" in line or "placeholder" in line
    assert "Traceback" not in err

    decision = load_decision(source)
    decision.summary = "We will not investigate this complaint about charges for care."
    decision.section("complaint").add(Paragraph("Mr X complains about the charges for his care."))
    values = {"complainant": "Mr X", "What the Council did": "The Council explained how it worked out the charge"}
    for para in decision.paragraphs():
        if filled_changes(para, values):
            para.edit(**filled_changes(para, values))
    save_decision(decision, source)
    saved = json.loads(source.read_text(encoding="utf-8"))
    assert "[[" not in json.dumps(saved, ensure_ascii=False)
    code, out, err = run_cli(capsys, "draft", "--final", str(source), "-o", str(target))
    assert code == 0 and target.exists() and err == ""
    assert docx_sections(target)["Final decision"] == [
        "We will not investigate Mr X’s complaint because there is no evidence to suggest fault by the Council."]


def test_template_for_closed_has_assessment_and_final_decision():
    assert [s.key for s in template_for(Outcome.CLOSED).sections if not s.optional] == [
        "complaint", "role", "considered", "assessment", "decision"]


def test_headings_in_converted_sections_are_not_repeated(library):
    decision = new_decision(header(Outcome.UPHELD, top="Children's care services", sub="Child protection"),
                            library=library)
    found = decision.section("found")
    found.add(Paragraph("The social worker visited on 4 May."))
    convert_decision(decision, library, outcome=Outcome.CLOSED)
    assert [b.text for b in decision.section("found").blocks if isinstance(b, Heading)] == ["Acting on a referral"]
    convert_decision(decision, library, outcome=Outcome.UPHELD)
    headings = [b.text for b in decision.section("found").blocks if isinstance(b, Heading)]
    assert headings == ["Duty to investigate", "Acting on a referral"]


def test_adding_a_reason_at_the_start_brings_its_sentence(library, tmp_path, capsys):
    decision = new_decision(header(Outcome.CLOSED), library=library, add=["assessment.court"])
    assert ids(decision.section("assessment")) == ["assessment.court"]
    assert ids(decision.section("decision")) == ["decision.closed.court"]
    source = tmp_path / "late.decision.json"
    code, out, err = run_cli(capsys, "new-decision", "--org", "Kent County Council", "--ref", "24 017 721",
                             "--category", "Adult care services > Charging", "--outcome", "closed",
                             "--add", "assessment.late", "-o", str(source))
    assert code == 0 and "[[placeholders]] to fill" in out
    saved = load_decision(source)
    assert ids(saved.section("decision")) == ["decision.closed.late"]
    code, out, err = run_cli(capsys, "new-decision", "--org", "Kent County Council", "--ref", "24 017 721",
                             "--category", "Adult care services > Charging", "--outcome", "upheld",
                             "--add", "assessment.late", "-o", str(tmp_path / "wrong.decision.json"))
    assert code == 1 and "assessment" in err and "\n" not in err.strip()


def test_adds_must_name_another_entry():
    from desk_app.core.decision.library import LibraryError, library_from_data

    base = {"version": 1, "section": "assessment", "text": "Text.", "title": "t"}
    data = {"format": "desk-app.paragraph-library", "format_version": 1,
            "entries": [{"id": "a.one", "adds": ["b.missing"], **base}]}
    with pytest.raises(LibraryError, match=r"entry 'a.one'\.adds: 'b.missing' is not another entry"):
        library_from_data(data)
    data["entries"][0]["adds"] = "a.one"
    with pytest.raises(LibraryError, match=r"'a.one' is not another entry"):
        library_from_data(data)
