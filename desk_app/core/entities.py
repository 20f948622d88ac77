"""The kinds of personal data the pipeline finds, and one found span.

Every stage names kinds the same way (Presidio's entity names where Presidio has one), so
they are declared once here, below every stage: detection makes ``Detection``s, people and
anonymisation read them, the writers and the report print the labels.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "PERSON"
# Higher wins when two kinds of detection overlap (the union span is kept).
PRIORITY = {
    "UK_NHS": 90, "UK_NINO": 85, "EMAIL_ADDRESS": 80, "PHONE_NUMBER": 70, "PERSONAL_REF": 68, "DATE_OF_BIRTH": 65,
    "ADDRESS": 60, "UK_POSTCODE": 55, PERSON: 10,
}
IDENTIFIER_TYPES = tuple(t for t in PRIORITY if t != PERSON)


@dataclass(frozen=True)
class Detection:
    """One span of personal data in ``SourceDocument.text``."""

    start: int
    end: int
    text: str
    entity: str
    score: float
    detector: str


#: What an identifier becomes in the anonymised copy (people get pseudonyms instead).
IDENTIFIER_LABELS = {
    "EMAIL_ADDRESS": "[email address]",
    "PHONE_NUMBER": "[phone number]",
    "UK_NHS": "[NHS number]",
    "UK_NINO": "[National Insurance number]",
    "UK_POSTCODE": "[postcode]",
    "ADDRESS": "[address]",
    "DATE_OF_BIRTH": "[date of birth]",
    "PERSONAL_REF": "[reference number]",
}
