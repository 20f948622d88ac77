"""Anonymising a case: detections -> people -> labels -> replacements, for every document.

A case is several documents that must share one pseudonym per person, so everything
here works on the whole case at once. The result carries the replacements per document
(offsets into each document's text, ready for the writers), the people with their labels,
and the report rows that publication staff keep as the record of every change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from desk_app.core.detect import PERSON, Detection
from desk_app.core.document import Replacement, SourceDocument
from desk_app.core.mapping import CaseMapping
from desk_app.core.names import (
    ORDINARY_WORD_NAMES,
    ROLE_QUALIFIERS,
    TITLE_RE,
    FormIndex,
    fold,
    is_place_context,
    lookalike_spans,
    role_case,
)
from desk_app.core.people import Mention, PeopleIndex, Person
from desk_app.core.pseudonyms import Label, assign, render
from desk_app.core.writers import apply_replacements

# What other personal data becomes. LGO decisions leave such details out; a bracketed
# description keeps the sentence readable and tells the reviewer what was there.
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
_TITLE_PREFIX = regex.compile(rf"^(?:{TITLE_RE})\.?\s+")   # 'Mrs Hope' is ignored with 'Hope'
_SENTENCE_START = regex.compile(r"(?:^|[.!?:]\s+|\n\s*(?:\d+\.\s+|[•\-*]\s+)?)$")


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
class CaseResult:
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


def anonymise_case(documents: Sequence[SourceDocument], detections: Sequence[Sequence[Detection]],
                   mapping: CaseMapping | None = None, complainant: str | None = None) -> CaseResult:
    """Turn a case's detections into consistent replacements (the model is not needed here:
    ``detections`` come from ``Detector.detect_many``)."""
    mapping = mapping or CaseMapping()
    texts = [d.text for d in documents]
    ignored = {fold(w) for w in mapping.ignore}
    case = PeopleIndex(texts)
    fixed = mapping.seed(case)
    for i, dets in enumerate(detections):
        case.add_detections(i, [d for d in dets if fold(_TITLE_PREFIX.sub("", d.text)) not in ignored])
    people = case.cluster()
    taken = [[(m.start, m.end) for m in case.mentions if m.doc == i] for i in range(len(texts))]
    identifiers = _propagate_identifiers(documents, [[d for d in dets if d.entity != PERSON] for dets in detections])
    for i, ids in enumerate(identifiers):
        taken[i].extend((d.start, d.end) for d in ids)
    case.propagate(taken)
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

    warnings = _title_drift(people) + _shared_letters(people, labels)
    replacements: list[list[Replacement]] = []
    report: list[ReportRow] = []
    for i, doc in enumerate(documents):
        rows = _document_rows(doc, i, case, labels, identifiers[i])
        rows = _drop_overlaps(rows)
        replacements.append([Replacement(r.start, r.end, r.replacement) for r in rows])
        report.extend(rows)
    new_mapping = CaseMapping.from_case(people, labels, ignore=mapping.ignore)
    possible = possible_names(documents, replacements, people, labels)
    return CaseResult(list(documents), replacements, report, people, labels, new_mapping, warnings, possible)


def possible_names(documents: Sequence[SourceDocument], replacements: Sequence[Sequence[Replacement]],
                   people: Sequence[Person], labels: dict[int, Label]) -> list[PossibleName]:
    """Every place a word of a known person's name still stands after the replacements.

    The search is the leak scan's, done before writing: case- and accent-blind, whole word,
    with a plural 's'. What it finds was left by a decision (a place, an organisation, a
    feast day, a plural); a word that is ordinary English and written in lower case ("we
    will") is the word, not the name, and is not listed, as the scan does not count it.
    """
    owners: dict[str, Person] = {}
    for p in people:
        if not p.mentions or labels.get(p.id) is None:
            continue
        for form in p.forms:
            words = form.split()
            for term in [form, *words]:
                term = term.strip(".,;:()'’\"“”")
                if len(term) < 3 or regex.fullmatch(r"(?:\p{Lu}\.?){1,4}", term):
                    continue
                owners.setdefault(fold(term), p)
    if not owners:
        return []
    index = FormIndex(owners, ignore_case=True, plural=True)
    out: list[PossibleName] = []
    for i, doc in enumerate(documents):
        spans = sorted((r.start, r.end) for r in replacements[i])
        text = doc.text
        protected = lookalike_spans(text)   # once per document, not once per word left
        for m in index.finditer(text):   # accent- and case-blind, with a plural 's', as the scan searches
            s, e = m.span()
            if any(a < e and s < b for a, b in spans):
                continue
            word = text[s:e]
            key = fold(" ".join(word.split()))
            person = owners.get(key) or owners.get(key.removesuffix("s")) or owners.get(key.removesuffix("es"))
            if person is None:
                continue
            if word.islower() and (key.removesuffix("s") in ORDINARY_WORD_NAMES or key in ORDINARY_WORD_NAMES):
                continue   # 'we will', 'there is hope': the word itself
            reason = _why_kept(text, s, e, key, protected)
            if reason is not None:
                out.append(PossibleName(i, s, e, word, person.display, labels[person.id].pseudonym, reason))
    return out


def _why_kept(text: str, start: int, end: int, key: str, protected: list[tuple[int, int]]) -> str | None:
    """Why a word of a name was left where it stands, or None when nothing says it is not
    the name there (then it is a leak, and the scan withholds the file)."""
    if any(a <= start and end <= b for a, b in protected):
        return "part of an organisation, a reported case or a feast day"
    if is_place_context(text, start, end):
        return "part of a place or organisation name"
    word = text[start:end]
    ordinary = key in ORDINARY_WORD_NAMES or key.removesuffix("s") in ORDINARY_WORD_NAMES
    if word.islower():
        return "written in lower case without a cue that it is the name"
    if ordinary and (regex.match(r"[ \t]+\p{Lu}", text[end:end + 2]) or key not in ORDINARY_WORD_NAMES):
        return "an ordinary word here: part of a longer proper name, or a plural"   # 'Green Belt', 'Sundays'
    if ordinary and regex.search(r"(?i:\b(?:on|in|by|last|next|every|this|until|since|from|of|a|each|that)[ \t]+)$",
                                 text[max(0, start - 12):start]):
        return "a date or a weekday"
    return None


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
        start, end, new = _possessive(text, *_span_and_text(text, m, person, label))
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


def _span_and_text(text: str, m: Mention, person: Person, label: Label) -> tuple[int, int, str]:
    """The exact span to replace and its replacement, with sentence case kept.

    Staff named beside their role ("the social worker, Jane Smith, said") lose the name
    and the commas around it rather than reading "the social worker, the social worker".
    """
    start, end = m.start, m.end
    if label.role:
        before = text[max(0, start - 60):start]
        after = text[end:end + 60]
        role = regex.escape(label.base_role)
        b = regex.search(rf"(?i:\b{role})(,\s*|:\s*|\s+|\s+[–-]\s+)$", before)
        if b:
            role_start = start - len(before) + b.start()
            if b.group(1).isspace() and text[role_start].isupper() and \
                    _SENTENCE_START.search(text[max(0, role_start - 12):role_start]):
                # 'Social worker Aleksandra Kowalczyk took over' -> 'The social worker took over'
                return role_start, end, "The " + role_case(text[role_start:start])
            closing = regex.match(r",", after) if b.group(1).startswith(",") else None
            return start - len(b.group(1)), end + (1 if closing else 0), ""
        a = regex.match(rf"(?P<sep>,\s*|\s+\(|\s+[–-]\s+)(?P<phrase>(?i:(?P<det>the|a|an|her|his|their)\s+)?"
                        rf"{ROLE_QUALIFIERS}(?i:{role}))\b(?P<close>\)|,)?", after)
        if a:
            # 'Jane Smith, the allocated social worker, visited' -> 'The allocated social worker visited';
            # 'Jane Smith, Senior Social Worker, Harrowfield Council' -> 'The senior social worker, Harrowfield ...'
            phrase = a.group("phrase")
            if label.role != label.base_role:
                phrase = label.pseudonym   # keep 'the second social worker' distinct
            elif not a.group("det") and not _SENTENCE_START.search(text[max(0, start - 12):start]):
                phrase = "the " + phrase   # (a job title keeps its capitals: 'Senior Social Worker')
            close = a.group("close")
            apposition = close == ")" and a.group("sep").strip() == "(" or (close == "," and a.group("det"))
            stop = a.end() if apposition or not close else a.end("phrase")
            return start, end + stop, _sentence_case(text, start, phrase)
        if regex.search(rf"(?i:\b{role})[ \t]+(?:was|is|were|became|had\s+been)[ \t]+$", before):
            # 'The allocated social worker was Ms Holloway' would read '... was the social worker':
            # the sentence already names the role, so the name goes with its verb
            verb = regex.search(r"[ \t]+(?:was|is|were|became|had\s+been)[ \t]+$", before)
            return start - (len(before) - verb.start()), end, ""
        return start, end, _sentence_case(text, start, label.pseudonym)
    new = render(m, person, label)
    if not m.title and person.surname and fold(" ".join(m.words)) == fold(person.surname) \
            and regex.match(r"\s+family\b", text[end:end + 10]) and label.letter:
        new = label.letter  # 'the Laffey family' -> 'the X family'
    return start, end, new


def _possessive(text: str, start: int, end: int, new: str) -> tuple[int, int, str]:
    """'Mr Evans’ note' becomes 'Mr C’s note', not 'Mr C’ note'."""
    if new and text[end:end + 1] in ("'", "’") and text[end - 1:end] in ("s", "S") and not new.endswith("s") \
            and not text[end + 1:end + 2].isalpha() and "‘" not in text[max(0, start - 40):start]:
        return start, end + 1, f"{new}{text[end]}s"
    return start, end, new


def _sentence_case(text: str, start: int, new: str) -> str:
    if new[:1].islower() and _SENTENCE_START.search(text[max(0, start - 12):start]):
        return new[0].upper() + new[1:]
    return new


def _drop_overlaps(rows: list[ReportRow]) -> list[ReportRow]:
    rows.sort(key=lambda r: (r.start, -(r.end - r.start)))
    out: list[ReportRow] = []
    for r in rows:
        if out and r.start < out[-1].end:
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


def _title_drift(people: Sequence[Person]) -> list[str]:
    """One person written with two titles ('Mrs X' and 'Ms X') is worth a reviewer's look."""
    out = []
    for p in people:
        titles = [t for t in p.titles if t != "Master"]
        if len(titles) > 1:
            out.append(f"{p.display} is written with more than one title ({', '.join(sorted(titles))})")
    return out
