"""The one way into ``people`` from the anonymiser: a case's texts and detections in, its
people out, with the labels the mapping fixes.

Before, ``anonymise_case`` entered this package four times (index, seed, cluster,
propagate) and had to know their order; here the order is written once:

1. the mapping's people go in first, locked, so a reviewer's merge or rename holds;
2. every person detection becomes a mention, except words the mapping says are not names;
3. mentions are clustered into people (``PeopleIndex.cluster``);
4. every form of every person is searched for in every document, outside the spans already
   taken by mentions and by identifiers (``PeopleIndex.propagate``).

After it, ``move_mentions`` applies the reviewer's word on single occurrences ("this
'Oliver' is the neighbour, not the son"): the mapping can only give name *forms* to
people, so one mention of a form two people share is moved here, after everything else
has been decided, and nothing else about the people changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desk_app.core.entities import Detection
from desk_app.core.names import TITLE_PREFIX, fold
from desk_app.core.people.cluster import PeopleIndex
from desk_app.core.people.mapped import seed
from desk_app.core.people.mapping import CaseMapping
from desk_app.core.people.pseudonyms import Label

__all__ = ["Move", "gather_people", "move_mentions"]


def gather_people(texts: Sequence[str], detections: Sequence[Sequence[Detection]], mapping: CaseMapping,
                  identifier_spans: Sequence[Sequence[tuple[int, int]]],
                  scanned: Sequence[Sequence[tuple[int, int]]] = ()) -> tuple[PeopleIndex, dict[int, Label]]:
    """The case's people (``index.people``, clustered and propagated) and the labels the
    mapping fixes, by person id. ``identifier_spans`` (per document) are never a name;
    ``scanned`` (per document) are the spans read by OCR, where a known name may be misread."""
    ignored = {fold(w) for w in mapping.ignore}
    index = PeopleIndex(texts, scanned)
    fixed = seed(index, mapping)
    for i, dets in enumerate(detections):
        index.add_detections(i, [d for d in dets if fold(TITLE_PREFIX.sub("", d.text)) not in ignored])
    index.cluster()
    taken = [[(m.start, m.end) for m in index.mentions if m.doc == i] for i in range(len(texts))]
    for i, spans in enumerate(identifier_spans):
        taken[i].extend(spans)
    index.propagate(taken)
    return index, fixed


@dataclass(frozen=True)
class Move:
    """The mention at (doc, start, end), reading ``text``, belongs to the mapping's person
    ``person`` (an index into ``mapping.people``, which is that person's id: ``seed`` puts
    the mapped people into the index first, in order)."""

    doc: int
    start: int
    end: int
    text: str
    person: int


def move_mentions(index: PeopleIndex, moves: Sequence[Move]) -> list[Move]:
    """Give each moved mention to its new person; return the moves that could not be made.

    A move is made only where the text still reads ``text`` and a mention has exactly that
    span, so a source changed since never moves another word. The new owner takes the
    mention only: no name form (the form stays with the people the mapping gives it to, so
    every other occurrence is unchanged) and no earlier first mention (a person created for
    one occurrence stays after the others in the mapping's order, so its name's words never
    take precedence over theirs when forms are searched for)."""
    missed: list[Move] = []
    for mv in moves:
        m = next((m for m in index.mentions if (m.doc, m.start, m.end) == (mv.doc, mv.start, mv.end)), None)
        ok = (m is not None and m.person is not None and 0 <= mv.person < len(index.people)
              and index.people[mv.person].locked and 0 <= mv.doc < len(index.texts)
              and index.texts[mv.doc][mv.start:mv.end] == mv.text)
        if not ok:
            missed.append(mv)
            continue
        assert m is not None and m.person is not None
        if m.person == mv.person:
            continue
        old = index.people[m.person]
        if m in old.mentions:
            old.mentions.remove(m)
        m.person = mv.person
        new = index.people[mv.person]
        new.mentions.append(m)
        new.mentions.sort(key=lambda x: (x.doc, x.start))
    return missed
