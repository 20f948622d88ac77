"""What anonymising a case produces: the report rows, the possible names left in place, and
the ``AnonymisedCase`` that carries them with the replacements, people and mapping."""

from __future__ import annotations

from dataclasses import dataclass, field

from desk_app.core.document import Replacement, SourceDocument, apply_replacements
from desk_app.core.people import Person
from desk_app.core.people.mapping import CaseMapping
from desk_app.core.people.pseudonyms import Label


@dataclass
class ReportRow:
    """One replacement, as the report lists it."""

    file: str
    start: int
    end: int
    original: str
    replacement: str
    entity: str
    detector: str
    score: float
    person: str | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PossibleName:
    """A word of a known person's name that the anonymiser chose to leave where it stands
    ('Bishop's Stortford', 'works Sundays', 'the Easter Sunday changeover'). Never silent:
    the report lists each one with its place, and the leak scan is told it was kept on
    purpose, so a file is withheld only for a name nobody decided about."""

    doc: int
    start: int
    end: int
    text: str
    person: str        # the person's name as the case knows it
    pseudonym: str
    reason: str

    def as_dict(self, file: str) -> dict[str, object]:
        return {"file": file, "start": self.start, "end": self.end, "text": self.text, "person": self.person,
                "pseudonym": self.pseudonym, "reason": self.reason}


@dataclass
class AnonymisedCase:
    """Everything anonymising a case produced."""

    documents: list[SourceDocument]
    replacements: list[list[Replacement]]
    report: list[ReportRow]
    people: list[Person]
    labels: dict[int, Label]
    mapping: CaseMapping
    warnings: list[str] = field(default_factory=list)
    possible: list[PossibleName] = field(default_factory=list)

    def kept(self, index: int) -> list[str]:
        """The original text of every possible name left in document ``index`` on purpose."""
        return [p.text for p in self.possible if p.doc == index]

    def anonymised_text(self, index: int) -> str:
        return apply_replacements(self.documents[index].text, self.replacements[index])
