"""The sample case shipped in ``resources/sample_case`` and a draft decision for it.

The draft shows what the editor is for: the standard sections filled from the library,
plus facts written from the case notes and anonymised with the case's own mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desk_app.core.decision import Header, Outcome, Paragraph, Stage, new_decision
from desk_app.core.decision.completeness import fill_text
from desk_app.core.decision.library import today
from desk_app.core.decision.model import Decision
from desk_app.core.ingest import iter_case_files
from desk_app.resources import resource_path

_COMPLAINT = ("Mrs Priya Ramsden complains the Council did not carry out a child and family assessment of her son, "
              "Oliver, properly: it recorded things she did not say and shared it with his school before she had "
              "seen it. She also complains the Council took eleven weeks to answer her complaint.")
_FOUND = (
    "The Council started the assessment after a referral from Oliver's school in November 2023. The allocated "
    "social worker was Ms Karen Holloway, who visited the family twice.",
    "Mrs Ramsden says Ms Holloway did not speak to Mr Daniel Ramsden at either visit. The Council's records do "
    "not show that she did.",
    "The Council accepts it shared the assessment with the school before the family had seen it. It has "
    "apologised and agreed to add Mrs Ramsden's comments to the file.",
)
_ANALYSIS = ("The Council should not have shared the assessment with Oliver's school before Mrs Ramsden and "
             "Mr Ramsden had seen it. That was fault. It took eleven weeks to answer the complaint, longer than its "
             "procedure allows, which was also fault, and it caused Mrs Ramsden avoidable frustration.")
_IMPROVEMENT = ("remind its children's social workers that an assessment must be shared with the family "
                "before it is shared with anyone else")
_ACTION = ("Within one month of my final decision the Council will apologise to Mrs Ramsden and Mr Ramsden for "
           "sharing the assessment early and for the delay in answering her complaint.")


def sample_paths() -> list[Path]:
    return iter_case_files([resource_path("sample_case")])


def sample_decision(anonymise: Callable[[str], str]) -> Decision:
    header = Header(organisation="Harrowfield Metropolitan Borough Council", reference="24 011 873",
                    category="Children's care services", sub_category="Child protection",
                    outcome=Outcome.UPHELD, decision_date=today(), stage=Stage.DRAFT)
    decision = new_decision(header, summary=anonymise(
        "Mrs Ramsden complained about the Council's assessment of her son. There was fault in sharing the "
        "assessment early and in the delay. The Council has agreed to apologise."))
    decision.section("complaint").add(Paragraph(anonymise(_COMPLAINT)), 0)
    found = decision.section("found")
    for text in _FOUND:
        found.add(Paragraph(anonymise(text)))
    if decision.has_section("analysis") and not decision.section("analysis").paragraphs:
        decision.section("analysis").add(Paragraph(anonymise(_ANALYSIS)))
    if decision.has_section("action"):
        action = decision.section("action")
        # the sample's own apology stands in for the stock one; no payment was agreed
        action.blocks[:] = [b for b in action.blocks if not isinstance(b, Paragraph)
                            or ("apologise to [[" not in b.text and "[[£ amount]]" not in b.text)]
        action.add(Paragraph(anonymise(_ACTION)), 0)
    values = {"complainant": anonymise("Mrs Ramsden"),
              "the service improvement, e.g. review its procedure for …": _IMPROVEMENT}
    for section in decision.sections:
        for paragraph in section.paragraphs:
            if "[[" in paragraph.text:
                paragraph.text = fill_text(paragraph.text, values)
    return decision
