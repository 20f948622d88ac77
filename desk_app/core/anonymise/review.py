"""The reviewer's word on a case: every detection passes a person before anything leaves.

Detection is slow (the model) and happens once; everything a reviewer does afterwards is
cheap and happens here, without the model: accept or reject a detection, rename a
pseudonym, merge or split people, give one occurrence to another person, mark the
complainant, add a name the model missed or a word that is not a name. Each of these is an
edit of the case mapping (the same JSON the command line reads with ``--mapping``) or a
decision about one occurrence, followed by a fresh ``anonymise_case`` over the stored
detections (milliseconds). So the GUI and the command line can never disagree about what a
mapping means, and undo is just putting an earlier ``ReviewState`` back.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk_app.core.anonymise import ReportRow, anonymise_case
from desk_app.core.document import Replacement, SourceDocument, apply_replacements
from desk_app.core.entities import PERSON, Detection
from desk_app.core.errors import InputError
from desk_app.core.names import TITLE_PREFIX, fold
from desk_app.core.people import Move, mapped_order
from desk_app.core.people.mapping import CaseMapping, MappedPerson

ACCEPTED = "accepted"
REJECTED = "rejected"
# A word of a known name the anonymiser left where it stands (``anonymise.PossibleName``). It is
# in the review queue like any detection: accepting it agrees that it stays ('Bishop's
# Stortford'); rejecting it replaces it with the person's pseudonym after all.
POSSIBLE_NAME = "POSSIBLE_NAME"
# How a decision was taken when not one by one: a person's Accept button, or Accept All.
BY_PERSON = "person"
ALL_AT_ONCE = "all"
BULK_KINDS = (BY_PERSON, ALL_AT_ONCE)


class ReviewError(InputError):
    """A review action that cannot be carried out, in words the reviewer can act on."""


@dataclass(frozen=True)
class Occurrence:
    """One detection in one document: a person's mention or other personal data.

    ``person`` indexes ``CaseReview.people``; it is None for addresses, phone numbers
    and the like, which are replaced by a description rather than a pseudonym.
    """

    doc: int
    start: int
    end: int
    text: str
    entity: str
    score: float
    detector: str
    person: int | None
    replacement: str

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.doc, self.start, self.end)


@dataclass
class PersonRow:
    """What the people table shows for one person."""

    index: int
    names: list[str]
    pseudonym: str
    role: str | None
    child: bool
    complainant: bool
    count: int
    confidence: float
    reviewed: int   # occurrences with a decision

    @property
    def display(self) -> str:
        return self.names[0] if self.names else "?"


@dataclass
class ReviewState:
    """Everything the reviewer decided, in a form that saves as JSON and undoes by copy.

    ``decisions`` maps (file, start, end) to "accepted" or "rejected"; the text found
    there is kept beside it so a decision is dropped, not misapplied, if the source
    changes. ``bulk`` says which decisions were not taken one by one ("person": the
    person's Accept button, "all": Accept All), so the report never passes a bulk
    acceptance off as a review.

    ``moves`` maps (file, start, end) of one mention to (text, person, pseudonym): that
    occurrence belongs to the mapping's person with the name form ``person`` (the mapping
    gives forms to people, so one 'Oliver' of two people called Oliver can only be told
    apart here). A person is named by a name form rather than a position because merges,
    splits and new people reorder the mapping; ``pseudonym`` tells apart the rare two
    people who share the form (a family's surname).
    """

    mapping: CaseMapping = field(default_factory=CaseMapping)
    decisions: dict[tuple[str, int, int], tuple[str, str]] = field(default_factory=dict)
    bulk: dict[tuple[str, int, int], str] = field(default_factory=dict)
    moves: dict[tuple[str, int, int], tuple[str, str, str]] = field(default_factory=dict)

    def copy(self) -> ReviewState:
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, Any]:
        def entry(key: tuple[str, int, int], d: str, text: str) -> dict[str, Any]:
            out: dict[str, Any] = {"file": key[0], "start": key[1], "end": key[2], "text": text, "decision": d}
            if key in self.bulk:
                out["bulk"] = self.bulk[key]
            return out
        out = {"mapping": self.mapping.to_dict(),
               "decisions": [entry(k, d, text) for k, (d, text) in sorted(self.decisions.items())]}
        if self.moves:   # (absent when there are none: older case files read the same)
            out["moves"] = [{"file": k[0], "start": k[1], "end": k[2], "text": text, "person": who,
                             "pseudonym": pseudonym} for k, (text, who, pseudonym) in sorted(self.moves.items())]
        return out

    @classmethod
    def from_dict(cls, data: Any) -> ReviewState:
        if not isinstance(data, dict):
            raise InputError("review: must be an object")
        mapping = CaseMapping.from_dict(data.get("mapping", {"people": []}))
        decisions: dict[tuple[str, int, int], tuple[str, str]] = {}
        bulk: dict[tuple[str, int, int], str] = {}
        for n, raw in enumerate(data.get("decisions", []), 1):
            try:
                key = (str(raw["file"]), int(raw["start"]), int(raw["end"]))
                value = (str(raw["decision"]), str(raw["text"]))
            except (KeyError, TypeError, ValueError):
                raise InputError(f"review.decisions[{n}]: needs file, start, end, text and decision") from None
            if value[0] not in (ACCEPTED, REJECTED):
                raise InputError(f"review.decisions[{n}].decision: must be 'accepted' or 'rejected'")
            how = raw.get("bulk")
            if how is not None and how not in BULK_KINDS:
                raise InputError(f"review.decisions[{n}].bulk: must be one of {', '.join(BULK_KINDS)}")
            decisions[key] = value
            if how is not None:
                bulk[key] = how
        moves: dict[tuple[str, int, int], tuple[str, str, str]] = {}
        raw_moves = data.get("moves", [])
        if not isinstance(raw_moves, list):
            raise InputError("review.moves: must be a list")
        for n, raw in enumerate(raw_moves, 1):
            try:
                key = (str(raw["file"]), int(raw["start"]), int(raw["end"]))
                text, who = raw["text"], raw["person"]
            except (KeyError, TypeError, ValueError):
                raise InputError(f"review.moves[{n}]: needs file, start, end, text and person") from None
            if not isinstance(text, str) or not isinstance(who, str) or not who.strip() or key[1] >= key[2]:
                raise InputError(f"review.moves[{n}]: text and person must be text, and start before end")
            moves[key] = (text, who, str(raw.get("pseudonym") or ""))
        return cls(mapping, decisions, bulk, moves)


class CaseReview:
    """A case under review: documents, their detections, and the reviewer's state.

    Every action changes ``state`` and recomputes; ``people``, ``occurrences`` and the
    previews then reflect it. Actions raise ReviewError, leaving the state as it was.
    """

    def __init__(self, documents: Sequence[SourceDocument], detections: Sequence[Sequence[Detection]],
                 state: ReviewState | None = None) -> None:
        self.documents = list(documents)
        self.detections = [list(d) for d in detections]
        self.state = state.copy() if state is not None else ReviewState()
        self._dropped: list[str] = []
        self._drop_stale_decisions()
        self.recompute()
        self._adopt()   # lock in every label found, so later edits keep all the others

    # ------------------------------------------------------------------ computing
    def recompute(self) -> None:
        moves, lost = self._moves()
        self.result = anonymise_case(self.documents, self.detections, self.state.mapping, moves=moves)
        order = mapped_order(self.result.people)
        index = {p.id: i for i, p in enumerate(order)}
        self._people = order
        self.warnings = self._dropped + lost + list(self.result.warnings)
        doc_of = {str(d.path): i for i, d in enumerate(self.documents)}
        by_span = {(doc_of[row.file], row.start, row.end): row for row in self.result.report}
        occurrences: list[Occurrence] = []
        for m in (m for p in order for m in p.mentions):
            row = self._row_covering(by_span, m.doc, m.start, m.end)
            occurrences.append(Occurrence(m.doc, m.start, m.end, m.text, PERSON, m.score, m.detector,
                                          index.get(m.person) if m.person is not None else None,
                                          row.replacement if row else ""))
        for (doc, start, end), row in by_span.items():
            if row.entity != PERSON:
                occurrences.append(Occurrence(doc, start, end, row.original, row.entity, row.score, row.detector,
                                              None, row.replacement))
        by_name = {p.display: index[p.id] for p in order if p.id in index}
        self._possible = {(p.doc, p.start, p.end): p for p in self.result.possible}
        for p in self.result.possible:
            occurrences.append(Occurrence(p.doc, p.start, p.end, p.text, POSSIBLE_NAME, 0.0, p.reason,
                                          by_name.get(p.person), p.text))
        occurrences.sort(key=lambda o: (o.doc, o.start, o.end))
        self.occurrences = occurrences
        self._rows = by_span

    @staticmethod
    def _row_covering(rows: dict[tuple[int, int, int], ReportRow], doc: int, start: int, end: int
                      ) -> ReportRow | None:
        row = rows.get((doc, start, end))
        if row is not None:
            return row
        for (d, s, e), r in rows.items():
            if d == doc and s <= start and end <= e:
                return r
        return None

    def _key(self, o: Occurrence) -> tuple[str, int, int]:
        return (str(self.documents[o.doc].path), o.start, o.end)

    def _drop_stale_decisions(self) -> None:
        texts = {str(d.path): d.text for d in self.documents}
        self.state.decisions = {k: v for k, v in self.state.decisions.items()
                                if k[0] in texts and texts[k[0]][k[1]:k[2]] == v[1]}
        self.state.bulk = {k: v for k, v in self.state.bulk.items() if k in self.state.decisions}
        # a split occurrence whose text moved is dropped, and said: it must never move another word
        self._dropped = [f"“{text}” was given to {who} at {k[1]}–{k[2]} in {Path(k[0]).name}, but the file has "
                         "changed there; that split was dropped"
                         for k, (text, who, _) in sorted(self.state.moves.items())
                         if k[0] in texts and texts[k[0]][k[1]:k[2]] != text]
        self.state.moves = {k: v for k, v in self.state.moves.items()
                            if k[0] in texts and texts[k[0]][k[1]:k[2]] == v[0]}

    def _owner(self, mapping: CaseMapping, who: str, pseudonym: str) -> int | None:
        """The mapping's person with the name form ``who`` (``pseudonym`` breaks a tie)."""
        folded = fold(who)
        found = [i for i, p in enumerate(mapping.people) if folded in {fold(n) for n in p.names}]
        if len(found) > 1:
            found = [i for i in found if (mapping.people[i].rendered or "") == pseudonym]
        return found[0] if len(found) == 1 else None

    def _moves(self) -> tuple[list[Move], list[str]]:
        """The state's split occurrences for the anonymiser, and a warning for each whose
        person is no longer in the case (then the occurrence follows its name again)."""
        doc_of = {str(d.path): i for i, d in enumerate(self.documents)}
        moves, lost = [], []
        for (file, start, end), (text, who, pseudonym) in sorted(self.state.moves.items()):
            owner = self._owner(self.state.mapping, who, pseudonym)
            if file not in doc_of:
                continue
            if owner is None:
                lost.append(f"“{text}” at {start}–{end} in {Path(file).name} was given to {who}, who is no longer "
                            "one person of the case; it follows its name again")
                continue
            moves.append(Move(doc_of[file], start, end, text, owner))
        return moves, lost

    # -------------------------------------------------------------------- queries
    @property
    def people(self) -> list[PersonRow]:
        rows = []
        counts: dict[int, list[Occurrence]] = {}
        for o in self.occurrences:
            if o.person is not None:
                counts.setdefault(o.person, []).append(o)
        for i, mp in enumerate(self.state.mapping.people):
            occ = counts.get(i, [])
            rows.append(PersonRow(i, list(mp.names), mp.pseudonym or "", mp.role, mp.child, mp.complainant,
                                  len(occ), max((o.score for o in occ), default=0.0),
                                  sum(1 for o in occ if self.decision(o))))
        return rows

    def decision(self, o: Occurrence) -> str | None:
        value = self.state.decisions.get(self._key(o))
        return value[0] if value else None

    def unreviewed(self) -> list[Occurrence]:
        return [o for o in self.occurrences if self.decision(o) is None]

    def occurrences_in(self, doc: int) -> list[Occurrence]:
        return [o for o in self.occurrences if o.doc == doc]

    def replacements(self, doc: int) -> list[Replacement]:
        """What the export writes for one document: rejected occurrences keep their text."""
        rejected = [o for o in self.occurrences if o.doc == doc and self.decision(o) == REJECTED]
        out = []
        for r in self.result.replacements[doc]:
            if any(o.start < r.end and r.start < o.end for o in rejected if o.entity != POSSIBLE_NAME):
                continue
            out.append(r)
        out.extend(Replacement(o.start, o.end, self._possible[o.key].pseudonym)
                   for o in rejected if o.entity == POSSIBLE_NAME)   # the reviewer says it is the name after all
        return sorted(out, key=lambda r: r.start)

    def kept(self, doc: int) -> list[str]:
        """Possible names left in document ``doc`` on purpose (for the leak scan)."""
        return [o.text for o in self.occurrences
                if o.doc == doc and o.entity == POSSIBLE_NAME and self.decision(o) != REJECTED]

    def possible_names(self) -> list[dict[str, object]]:
        """Possible names still left in place, for the report."""
        return [p.as_dict(str(self.documents[p.doc].path)) for p in self.result.possible
                if self.decision(next(o for o in self.occurrences if o.key == (p.doc, p.start, p.end))) != REJECTED]

    def report(self) -> list[ReportRow]:
        """The replacement report, without what the reviewer rejected, with the possible
        names the reviewer turned into replacements."""
        kept = {(str(d.path), r.start, r.end) for i, d in enumerate(self.documents) for r in self.replacements(i)}
        rows = [r for r in self.result.report if (r.file, r.start, r.end) in kept]
        for o in self.occurrences:
            if o.entity == POSSIBLE_NAME and self.decision(o) == REJECTED:
                p = self._possible[o.key]
                rows.append(ReportRow(str(self.documents[o.doc].path), o.start, o.end, o.text, p.pseudonym, PERSON,
                                      "reviewer", 1.0, p.pseudonym))
        return rows

    def preview(self, doc: int) -> str:
        return apply_replacements(self.documents[doc].text, self.replacements(doc))

    def anonymise_text(self, text: str) -> str:
        """Rename the people of this case in new text (facts pasted into the decision).

        Only the names the case already knows are replaced: the mapping is the reviewer's
        word, and pasted text gets exactly the pseudonyms the documents got.
        """
        doc = SourceDocument(Path("pasted.txt"), "txt", text, [])
        result = anonymise_case([doc], [[]], self.state.mapping)
        return result.anonymised_text(0)

    # -------------------------------------------------------------------- actions
    def _apply(self, change: ReviewState) -> None:
        """Validate a changed state, adopt it and recompute; on error nothing changes."""
        try:
            change.mapping = CaseMapping.from_dict(change.mapping.to_dict())
        except InputError as exc:
            raise ReviewError(exc.message) from None
        previous = self.state
        self.state = change
        try:
            self.recompute()
        except Exception:
            self.state = previous
            self.recompute()
            raise
        self._adopt()

    def _adopt(self) -> None:
        """Take the mapping the run produced: newcomers (a split-off person, an added name)
        get their labels fixed, and the mapping's order becomes the people's order."""
        self.state.mapping = self.result.mapping
        self.recompute()

    def set_state(self, state: ReviewState) -> None:
        """Put back an earlier state (undo/redo)."""
        self.state = state.copy()
        self.recompute()

    def decide(self, occurrences: Iterable[Occurrence], decision: str | None, bulk: str | None = None) -> None:
        """Record a decision on each occurrence; ``bulk`` (BY_PERSON, ALL_AT_ONCE) when the
        reviewer did not look at them one by one. A later one-by-one decision clears it."""
        change = self.state.copy()
        for o in occurrences:
            key = self._key(o)
            change.bulk.pop(key, None)
            if decision is None:
                change.decisions.pop(key, None)
            else:
                change.decisions[key] = (decision, self.documents[o.doc].text[o.start:o.end])
                if bulk is not None:
                    change.bulk[key] = bulk
        self.state = change   # the mapping is untouched: no need to re-validate or recompute

    def accept_all(self) -> None:
        self.decide([o for o in self.occurrences if self.decision(o) is None], ACCEPTED, bulk=ALL_AT_ONCE)

    def accept_person(self, index: int) -> None:
        self._person(index)
        # one already accepted one by one stays so; a rejection is overturned, as before
        self.decide([o for o in self.occurrences if o.person == index and self.decision(o) != ACCEPTED], ACCEPTED,
                    bulk=BY_PERSON)

    def review_counts(self) -> dict[str, int]:
        """How each detection was decided, for the report: a bulk acceptance is not a review."""
        counts = {"accepted_individually": 0, "accepted_by_person": 0, "accepted_in_bulk": 0, "rejected": 0,
                  "unreviewed": 0}
        for o in self.occurrences:
            key = self._key(o)
            decision = self.decision(o)
            if decision is None:
                counts["unreviewed"] += 1
            elif decision == REJECTED:
                counts["rejected"] += 1
            else:
                how = self.state.bulk.get(key)
                counts["accepted_in_bulk" if how == ALL_AT_ONCE else
                       "accepted_by_person" if how == BY_PERSON else "accepted_individually"] += 1
        return counts

    def reject_person(self, index: int) -> None:
        """Not a person at all ('Windrush'): forget them, and ignore their names from now on."""
        mp = self._person(index)
        change = self.state.copy()
        del change.mapping.people[index]
        others = {fold(n) for p in change.mapping.people for n in p.names}
        change.mapping.ignore.extend(n for n in mp.names if fold(n) not in others
                                     and fold(n) not in {fold(w) for w in change.mapping.ignore})
        self._apply(change)

    def rename(self, index: int, pseudonym: str) -> None:
        mp = self._person(index)
        pseudonym = " ".join(pseudonym.split())
        if not pseudonym:
            raise ReviewError("a pseudonym cannot be empty")
        if pseudonym[:4].lower() == "the ":
            pseudonym = "the " + pseudonym[4:]
        letter = pseudonym.split()[-1] if not pseudonym.startswith("the ") else None
        if letter and len(letter) == 1:
            initials = {fold(w)[0].upper() for n in mp.names for w in n.split() if w[:1].isalpha()}
            if letter.upper() in initials:
                raise ReviewError(f"{letter} is an initial of {mp.names[0]}; LGO style never uses a real initial")
        for i, other in enumerate(self.state.mapping.people):
            if i != index and other.pseudonym and other.pseudonym.casefold() == pseudonym.casefold():
                raise ReviewError(f"'{pseudonym}' already stands for {other.names[0]}; merge them if they are "
                                  "one person")
        change = self.state.copy()
        target = change.mapping.people[index]
        target.pseudonym = pseudonym
        self._apply(change)

    def merge(self, target: int, others: Sequence[int]) -> None:
        """One person the tool saw as several ('Dan' and 'Daniel Ramsden')."""
        self._person(target)
        others = sorted({i for i in others if i != target}, reverse=True)
        if not others:
            raise ReviewError("choose at least two people to merge")
        change = self.state.copy()
        keep = change.mapping.people[target]
        for i in others:
            self._person(i)
            gone = change.mapping.people[i]
            keep.names.extend(n for n in gone.names if fold(n) not in {fold(k) for k in keep.names})
            keep.complainant = keep.complainant or gone.complainant
        for i in others:
            del change.mapping.people[i]
        self._apply(change)

    def split(self, index: int, names: Sequence[str]) -> None:
        """Two people the tool took for one: ``names`` become a new person with a new letter."""
        mp = self._person(index)
        moving = [n for n in mp.names if n in names]
        if not moving or len(moving) == len(mp.names):
            raise ReviewError("choose some, but not all, of the person's names to split off")
        change = self.state.copy()
        source = change.mapping.people[index]
        source.names = [n for n in source.names if n not in moving]
        change.mapping.people.insert(index + 1, MappedPerson(moving, title=source.title, child=source.child))
        self._apply(change)

    def split_occurrence(self, o: Occurrence, index: int | None = None, name: str | None = None,
                         title: str | None = None) -> int:
        """One occurrence belongs to someone else ('Oliver' phoned: the neighbour Oliver Grant,
        not the son Oliver): give it to person ``index``, or (``index`` None) to a new person
        called ``name`` (and ``title``), who gets a letter of their own. Every other
        occurrence of the name stays with its person. The reviewer has looked at this one,
        so it counts as accepted. Returns the person's index after the change."""
        if o.entity != PERSON or o.person is None:
            raise ReviewError("only a person's name can be given to another person")
        key = self._key(o)
        text = self.documents[o.doc].text[o.start:o.end]
        change = self.state.copy()
        if index is None:
            bare = TITLE_PREFIX.sub("", " ".join((name or "").split()).strip(" ,.;:()'\"’‘“”"))
            if not any(ch.isalpha() for ch in bare):
                raise ReviewError("give the new person a name")
            owner = next((p for p in change.mapping.people if fold(bare) in {fold(n) for n in p.names}), None)
            if owner is not None:
                raise ReviewError(f"'{bare}' is already a name of {owner.pseudonym or owner.names[0]}; give the new "
                                  "person a name of their own (their full name, say), or choose that person")
            change.mapping.people.append(MappedPerson([bare], title=title or None))
            who, pseudonym = bare, ""
        else:
            mp = self._person(index)
            if index == o.person:
                raise ReviewError(f"“{o.text}” already stands for {mp.pseudonym or mp.names[0]}")
            who, pseudonym = mp.names[0], mp.rendered or ""
        change.moves[key] = (text, who, pseudonym)
        change.decisions[key] = (ACCEPTED, text)
        change.bulk.pop(key, None)
        previous = self.state
        self._apply(change)
        moved = next((x for x in self.occurrences if x.key == o.key), None)
        if moved is None or moved.person is None or self._owner(self.state.mapping, who, pseudonym) != moved.person:
            self.set_state(previous)
            raise ReviewError(f"“{o.text}” could not be given to {who}")
        return moved.person

    def set_complainant(self, index: int) -> None:
        """The complainant is 'Title X'; whoever had X gives it up and gets a new letter."""
        self._person(index)
        change = self.state.copy()
        for i, p in enumerate(change.mapping.people):
            if i == index:
                p.complainant, p.role, p.child = True, None, False
                p.letter = "X"
                p.pseudonym = f"{p.title} X" if p.title else "X"
            elif p.complainant or p.letter == "X":
                p.complainant = False
                p.letter = p.pseudonym = None
        self._apply(change)

    def add_name(self, text: str, index: int | None = None, title: str | None = None) -> None:
        """A name the model missed: a new person (called ``title`` and a letter, when the
        reviewer gave a title), or another form of person ``index``."""
        text = " ".join(text.split()).strip(" ,.;:()'\"’‘“”")
        if not text or not any(ch.isalpha() for ch in text):
            raise ReviewError("select a name to add")
        if not any(text in d.text for d in self.documents):
            raise ReviewError(f"'{text}' does not appear in the case")
        bare = TITLE_PREFIX.sub("", text)
        change = self.state.copy()
        folded = fold(bare)
        change.mapping.ignore = [w for w in change.mapping.ignore if fold(w) != folded]
        for i, p in enumerate(change.mapping.people):
            if i != index and " " in bare:
                p.names = [n for n in p.names if fold(n) != folded]
        if index is None:
            owner = next((p for p in change.mapping.people if folded in {fold(n) for n in p.names}), None)
            if owner is not None:
                raise ReviewError(f"'{bare}' is already a name of {owner.pseudonym or owner.names[0]}; "
                                  "use Add to person to give it to someone else")
            change.mapping.people.append(MappedPerson([text], title=title or None))
        else:
            self._person(index)
            if folded not in {fold(n) for n in change.mapping.people[index].names}:
                change.mapping.people[index].names.append(bare)
        change.mapping.people = [p for p in change.mapping.people if p.names]
        self._apply(change)

    def exclude(self, text: str) -> None:
        """A word that is not a name here ('Hope' the charity): never replace it."""
        text = TITLE_PREFIX.sub("", " ".join(text.split()).strip(" ,.;:()'\"’‘“”"))
        if not text:
            raise ReviewError("select the word to exclude")
        change = self.state.copy()
        folded = fold(text)
        if folded not in {fold(w) for w in change.mapping.ignore}:
            change.mapping.ignore.append(text)
        for p in change.mapping.people:
            p.names = [n for n in p.names if fold(n) != folded]
        change.mapping.people = [p for p in change.mapping.people if p.names]
        self._apply(change)

    def _person(self, index: int) -> MappedPerson:
        if not 0 <= index < len(self.state.mapping.people):
            raise ReviewError(f"there is no person {index + 1}")
        return self.state.mapping.people[index]
