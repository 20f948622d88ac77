"""What a new decision can take from the open case: the body, the reference, the complainant.

Case notes nearly always carry the reference ("Case 24 011 873") and name the council in
full near the top; the review knows who the complainant is. Typing them again into the New
Decision dialog is where slips happen (a transposed reference publishes under the wrong
case), so the dialog starts from what the case says. Nothing here is a guess the user
cannot see: every value is shown in the dialog, editable, before the decision is made.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from desk_app.core.decision.completeness import fill_text
from desk_app.core.decision.model import REFERENCE_RE, Decision
from desk_app.core.people.mapping import CaseMapping

_NAME = r"[A-Z][a-z]+(?:[ -](?:upon|on|under|in|le|by)[ -][A-Z][a-z]+|-[A-Z][a-z]+)?"
#: The ways an English council names itself in full.
ORGANISATION_RE = re.compile(
    rf"\b(?:(?:London|Royal) Borough of {_NAME}(?: and {_NAME})?"
    rf"|City of {_NAME}(?: and {_NAME})? Council"
    rf"|(?:{_NAME} ){{1,3}}(?:Metropolitan Borough|Metropolitan District|Borough|County Borough|County|City"
    rf"|District|Town|Parish|Combined) Council"
    rf"|(?:{_NAME} ){{1,3}}Council)\b"
)
_NOT_A_NAME = {"The", "This", "That", "Our", "Their", "His", "Her", "A", "An", "Each", "Every", "Case", "Local",
               "Social", "Care", "Children", "Adult", "Housing", "Complaint", "Complaints", "Stage", "Summary"}
_REFERENCE = re.compile(r"(?<!\d)" + REFERENCE_RE.pattern + r"(?![\w])")


@dataclass(frozen=True)
class DecisionHints:
    """Header values and the complainant's pseudonym the case gives; None where it does not."""

    organisation: str | None = None
    reference: str | None = None
    complainant: str | None = None


def _organisation(match: str) -> str | None:
    words = match.split()
    while words and words[0] in _NOT_A_NAME:
        words = words[1:]
    if len(words) < 2 or words[0] in ("Council",):
        return None
    return " ".join(words)


def case_hints(texts: Sequence[str], mapping: CaseMapping | None = None) -> DecisionHints:
    """The reference and body named most often in the case's texts (earliest first on a
    tie), and the complainant's pseudonym from the mapping."""
    references: Counter[str] = Counter()
    bodies: Counter[str] = Counter()
    first: dict[str, int] = {}
    position = 0
    for text in texts:
        for m in _REFERENCE.finditer(text):
            references[m.group(0)] += 1
            first.setdefault(m.group(0), position + m.start())
        for m in ORGANISATION_RE.finditer(text):
            body = _organisation(m.group(0))
            if body:
                bodies[body] += 1
                first.setdefault(body, position + m.start())
        position += len(text) + 1

    def best(counts: Counter[str]) -> str | None:
        return min(counts, key=lambda k: (-counts[k], first[k])) if counts else None

    complainant = None
    if mapping is not None:
        person = next((p for p in mapping.people if p.complainant), None)
        complainant = person.rendered if person is not None else None
    return DecisionHints(best(bodies), best(references), complainant)


def fill_complainant(decision: Decision, pseudonym: str) -> int:
    """Put the complainant's pseudonym into every ``[[complainant]]`` placeholder; how many paragraphs changed."""
    changed = 0
    values = {"complainant": pseudonym}
    if "[[" in decision.summary:
        decision.summary = fill_text(decision.summary, values)
    for paragraph in decision.paragraphs():
        before = (paragraph.text, list(paragraph.items), paragraph.citation)
        paragraph.text = fill_text(paragraph.text, values)
        paragraph.items = [fill_text(item, values) for item in paragraph.items]
        paragraph.citation = fill_text(paragraph.citation, values)
        changed += (paragraph.text, paragraph.items, paragraph.citation) != before
    return changed
