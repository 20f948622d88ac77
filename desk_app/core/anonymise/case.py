"""Anonymising a case: detections -> people -> labels -> replacements, for every document.

A case is several documents that must share one pseudonym per person, so everything
here works on the whole case at once. The result carries the replacements per document
(offsets into each document's text, ready for the writers), the people with their labels,
and the report rows that publication staff keep as the record of every change.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

import regex

from desk_app.core.anonymise.possible import possible_names
from desk_app.core.anonymise.result import AnonymisedCase, ReportRow
from desk_app.core.anonymise.rewrite import initials_join_their_name, possessive, span_and_text
from desk_app.core.document import Replacement, SourceDocument
from desk_app.core.entities import IDENTIFIER_LABELS, PERSON, Detection
from desk_app.core.names import (
    fold,
)
from desk_app.core.people import Move, PeopleIndex, Person, gather_people, mapping_of, move_mentions
from desk_app.core.people.mapping import CaseMapping
from desk_app.core.people.pseudonyms import Label, assign, render

# What other personal data becomes. LGO decisions leave such details out; a bracketed
# description keeps the sentence readable and tells the reviewer what was there.


def anonymise_case(documents: Sequence[SourceDocument], detections: Sequence[Sequence[Detection]],
                   mapping: CaseMapping | None = None, complainant: str | None = None,
                   moves: Sequence[Move] = ()) -> AnonymisedCase:
    """Turn a case's detections into consistent replacements (the model is not needed here:
    ``detections`` come from ``Detector.detect_many``). ``moves`` are the reviewer's single
    occurrences given to another of the mapping's people (``review``): each gets that
    person's pseudonym, in the replacements and the report, and nothing else changes."""
    mapping = mapping or CaseMapping()
    identifiers = _propagate_identifiers(documents, [[d for d in dets if d.entity != PERSON] for dets in detections])
    case, fixed = gather_people([d.text for d in documents], detections, mapping,
                                [[(d.start, d.end) for d in ids] for ids in identifiers],
                                [[(s.start, s.end) for s in d.scans] for d in documents])
    missed = move_mentions(case, moves)
    people = case.people
    if complainant:   # the user's word beats the mapping's and the inference
        was = [p for p in people if p.complainant]
        for p in was:
            p.complainant = False
        if case.find_complainant(complainant) is None:
            for p in was:
                p.complainant = True
            raise ValueError(f"no person called '{complainant}' was found in the case")
        for p in people:
            if p.complainant or p in was:
                fixed.pop(p.id, None)   # the new complainant takes X, the old one gives it up
    elif not any(p.complainant for p in people):
        case.find_complainant()
    labels = assign(people, fixed)

    warnings = (_title_drift(people) + _untitled_complainant(people, labels) + _shared_letters(people, labels)
                + _unmoved(documents, missed))
    replacements: list[list[Replacement]] = []
    report: list[ReportRow] = []
    for i, doc in enumerate(documents):
        rows = _document_rows(doc, i, case, labels, identifiers[i])
        rows = _join_adjacent(doc.text, initials_join_their_name(doc.text, _drop_overlaps(rows)))
        replacements.append([Replacement(r.start, r.end, r.replacement) for r in rows])
        report.extend(rows)
    new_mapping = mapping_of(people, labels, ignore=mapping.ignore)
    possible = possible_names(documents, replacements, people, labels)
    return AnonymisedCase(list(documents), replacements, report, people, labels, new_mapping, warnings, possible)


def _propagate_identifiers(documents: Sequence[SourceDocument], identifiers: list[list[Detection]]
                           ) -> list[list[Detection]]:
    """Every other occurrence in the case of an identifier found once, whatever the spacing.

    Detection reads one paragraph at a time, so a date of birth a PDF breaks over two lines
    ("14\nMarch 1986") is missed there even when the case notes give it on one line; the
    same holds for a phone number typed with other spacing. Names get this from clustering;
    this gives it to the other personal data. A match may cross a line only in text and PDF
    sources, whose copies are written as text; in Word it must stay inside one paragraph.
    """
    found: dict[str, str] = {}
    for dets in identifiers:
        for d in dets:
            if len(d.text.strip()) >= 5 and d.detector != "AddressBlockStreet":   # (a street: not alone)
                found.setdefault(_spaced_key(d.text), d.entity)
    # Only an identifier whose first word the texts hold more often than it was detected can be
    # found anywhere else: most cases have none, and then no pattern is compiled at all.
    folded = [doc.text.casefold() for doc in documents]
    detected = Counter(_spaced_key(d.text).split()[0] for dets in identifiers for d in dets if d.text.strip())
    found = {key: entity for key, entity in found.items()
             if sum(t.count(key.split()[0]) for t in folded) > detected[key.split()[0]]}
    if not found:
        return identifiers
    alternatives = sorted(found, key=len, reverse=True)
    pattern = regex.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(regex.escape(t) for t in key.split())
                                                     for key in alternatives) + r")(?!\w)", regex.IGNORECASE)
    result = []
    for doc, dets in zip(documents, identifiers, strict=True):
        taken = [(d.start, d.end) for d in dets]
        extra: list[Detection] = []
        for m in pattern.finditer(doc.text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if doc.kind == "docx" and "\n" in m.group(0):
                continue
            extra.append(Detection(m.start(), m.end(), m.group(0), found[_spaced_key(m.group(0))], 1.0, "case"))
            taken.append((m.start(), m.end()))
        result.append(sorted(dets + extra, key=lambda d: d.start) if extra else dets)
    return result


def _spaced_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _document_rows(doc: SourceDocument, index: int, case: PeopleIndex, labels: dict[int, Label],
                   identifiers: Sequence[Detection]) -> list[ReportRow]:
    text = doc.text
    rows: list[ReportRow] = []
    name = str(doc.path)
    for m in case.mentions:
        if m.doc != index or m.person is None:
            continue
        person = case.people[m.person]
        label = labels[m.person]
        start, end, new = possessive(text, *span_and_text(text, m, person, label))
        if "\n" in text[start:end] and "\n" not in m.text:
            start, end, new = m.start, m.end, render(m, person, label)   # never across paragraphs
        rows.append(ReportRow(name, start, end, text[start:end], new, PERSON, m.detector, m.score,
                              label.pseudonym))
    for d in identifiers:
        label = IDENTIFIER_LABELS.get(d.entity, f"[{d.entity}]")
        # a PDF line break inside the identifier stays, so the copy keeps the source's lines
        rows.append(ReportRow(name, d.start, d.end, d.text, label + "\n" * d.text.count("\n"),
                              d.entity, d.detector, d.score))
    return rows


def _unmoved(documents: Sequence[SourceDocument], missed: Sequence[Move]) -> list[str]:
    """A split occurrence that is no longer a name where it was (the text changed, or the word
    was excluded since) is said, never applied to another word."""
    def name(doc: int) -> str:
        return documents[doc].path.name if 0 <= doc < len(documents) else "?"

    return [f"“{mv.text}” at {mv.start}–{mv.end} in {name(mv.doc)} was given to another person, but is no "
            "longer a name there; that split is not applied" for mv in missed]


def _drop_overlaps(rows: list[ReportRow]) -> list[ReportRow]:
    rows.sort(key=lambda r: (r.start, -(r.end - r.start)))
    out: list[ReportRow] = []
    for r in rows:
        if out and r.start < out[-1].end:
            continue
        out.append(r)
    return out


def _join_adjacent(text: str, rows: list[ReportRow]) -> list[ReportRow]:
    """Two replacements of one person with only spaces between them are one mention found in
    two pieces ('Hamish' and a misread 'Me Allister', 'Mrs' and a name): one pseudonym, not two."""
    out: list[ReportRow] = []
    for r in sorted(rows, key=lambda r: r.start):
        last = out[-1] if out else None
        if last is not None and r.entity == PERSON == last.entity and r.person is not None \
                and r.person == last.person and r.start > last.end and not text[last.end:r.start].strip(" \t"):
            out[-1] = dataclasses.replace(last, end=r.end, original=text[last.start:r.end],
                                          detector="+".join(dict.fromkeys([*last.detector.split("+"), r.detector])))
            continue
        out.append(r)
    return out


def _shared_letters(people: Sequence[Person], labels: dict[int, Label]) -> list[str]:
    """A letter given to people of different families: more people than letters, or a
    mapping edited to reuse one. Family members sharing a letter is the house style."""
    families: dict[str, set[str]] = {}
    for p in people:
        lab = labels.get(p.id)
        if lab and lab.letter and p.mentions:
            families.setdefault(lab.letter, set()).add(fold(p.surname) if p.surname and not p.child else f"#{p.id}")
    return [f"the letter {letter} stands for more than one family; check the mapping"
            for letter, fams in sorted(families.items()) if len(fams) > 1]


def _untitled_complainant(people: Sequence[Person], labels: dict[int, Label]) -> list[str]:
    """A complainant with no title written and no pronoun to infer one is a bare 'X', which the
    conventions allow for an adult only when a title would be wrong: the reviewer should choose."""
    return [f"the complainant {p.display} has no title and none could be inferred; choose one in the mapping"
            for p in people if p.complainant and p.mentions and not p.child and (lab := labels.get(p.id))
            and lab.letter and not lab.title and not lab.role]


def _title_drift(people: Sequence[Person]) -> list[str]:
    """One person written with two titles ('Mrs X' and 'Ms X') is worth a reviewer's look."""
    out = []
    for p in people:
        titles = [t for t in p.titles if t != "Master"]
        if len(titles) > 1:
            out.append(f"{p.display} is written with more than one title ({', '.join(sorted(titles))})")
    return out
