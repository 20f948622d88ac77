"""Possible names not replaced: every place a word of a known person's name still stands after
the replacements, with the reason it was left (a place, a body, a feast day, a plural, an
ordinary word in lower case), for the review queue and the report; never silent."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from desk_app.core.anonymise.result import PossibleName
from desk_app.core.document import Replacement, SourceDocument
from desk_app.core.names import (
    ACRONYMS,
    ORDINARY_WORD_NAMES,
    FormIndex,
    fold,
    initials_of,
    is_place_context,
    lookalike_spans,
)
from desk_app.core.people import Person
from desk_app.core.people.pseudonyms import Label
from desk_app.core.regexcache import rx


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
                if len(term) < 3 or rx(r"(?:\p{Lu}\.?){1,4}").fullmatch(term):
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
    out.extend(_initials_also_abbreviations(documents, replacements, people, labels))
    return sorted(out, key=lambda p: (p.doc, p.start))


_CAPITALS = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}{2,5}(?![\p{L}\p{N}])")


def _initials_also_abbreviations(documents: Sequence[SourceDocument],
                                 replacements: Sequence[Sequence[Replacement]], people: Sequence[Person],
                                 labels: dict[int, Label]) -> list[PossibleName]:
    """A person's initials that are also a common abbreviation ('DV' for Dmitri Vashchenko and
    for domestic violence, 'OT', 'PA') are never replaced on their own; where they stand, a
    person decides."""
    owners: dict[str, Person] = {}
    for p in people:
        if p.mentions and labels.get(p.id) is not None and p.first and p.surname and "." not in p.first:
            for ini in initials_of(f"{p.first} {p.surname}") & ACRONYMS:
                owners.setdefault(ini, p)
    out: list[PossibleName] = []
    if not owners:
        return out
    for i, doc in enumerate(documents):
        spans = [(r.start, r.end) for r in replacements[i]]
        for m in _CAPITALS.finditer(doc.text):
            if m.group() in owners and not any(a < m.end() and m.start() < b for a, b in spans):
                person = owners[m.group()]
                out.append(PossibleName(i, m.start(), m.end(), m.group(), person.display,
                                        labels[person.id].pseudonym,
                                        f"{person.display}'s initials, and also a common abbreviation"))
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
    if ordinary and (rx(r"[ \t]+\p{Lu}").match(text[end:end + 2]) or key not in ORDINARY_WORD_NAMES):
        return "an ordinary word here: part of a longer proper name, or a plural"   # 'Green Belt', 'Sundays'
    if ordinary and rx(r"(?i:\b(?:on|in|by|last|next|every|this|until|since|from|of|a|each|that)[ \t]+)$").search(
            text[max(0, start - 12):start]):
        return "a date or a weekday"
    return None
