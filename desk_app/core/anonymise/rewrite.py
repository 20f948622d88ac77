"""How one mention is rewritten in its sentence, beyond its pseudonym: staff beside their role
lose the name and its commas ("the social worker, Jane Smith," -> "the social worker"), a
possessive keeps its 's, a sentence keeps its capital, and a person's initials right after
their name join the one replacement."""

from __future__ import annotations

import regex

from desk_app.core.anonymise.result import ReportRow
from desk_app.core.entities import PERSON
from desk_app.core.names import (
    ROLE_QUALIFIERS,
    fold,
    initials_of,
    role_case,
)
from desk_app.core.people import Mention, Person
from desk_app.core.people.pseudonyms import Label, render
from desk_app.core.regexcache import rx

_SENTENCE_START = regex.compile(r"(?:^|[.!?:]\s+|\n\s*(?:\d+\.\s+|[•\-*]\s+)?)$")


def span_and_text(text: str, m: Mention, person: Person, label: Label) -> tuple[int, int, str]:
    """The exact span to replace and its replacement, with sentence case kept.

    Staff named beside their role ("the social worker, Jane Smith, said") lose the name
    and the commas around it rather than reading "the social worker, the social worker".
    """
    start, end = m.start, m.end
    if label.role:
        before = text[max(0, start - 60):start]
        after = text[end:end + 60]
        role = regex.escape(label.base_role)
        b = rx(rf"(?i:\b{role})(,\s*|:\s*|\s+|\s+[–-]\s+)$").search(before)
        if b:
            role_start = start - len(before) + b.start()
            if b.group(1).isspace() and text[role_start].isupper() and \
                    _SENTENCE_START.search(text[max(0, role_start - 12):role_start]):
                # 'Social worker Aleksandra Kowalczyk took over' -> 'The social worker took over'
                return role_start, end, "The " + role_case(text[role_start:start])
            closing = rx(r",").match(after) if b.group(1).startswith(",") else None
            return start - len(b.group(1)), end + (1 if closing else 0), ""
        a = rx(rf"(?P<ini>[ \t]*\((?P<initials>\p{{Lu}}{{2,4}})\))?(?P<sep>,\s*|\s+\(|\s+[–-]\s+)"
               rf"(?P<phrase>(?i:(?P<det>the|a|an|her|his|their)\s+)?"
               rf"{ROLE_QUALIFIERS}(?i:{role}))\b(?P<close>\)|,)?").match(after)
        if a and a.group("ini") and a.group("initials") not in _own_initials(person):
            a = None   # 'Kerry Brennan (JT), social worker': someone else's initials in the bracket
        if a:
            # 'Jane Smith, the allocated social worker, visited' -> 'The allocated social worker visited';
            # 'Jane Smith, Senior Social Worker, Harrowfield Council' -> 'The senior social worker, Harrowfield ...'
            phrase = a.group("phrase")
            close = a.group("close")
            # 'Kerry Brennan, social worker, visited': running prose goes on after the closing
            # comma, so the role is an apposition and reads 'the social worker visited', at the
            # start of a sentence too; before a capital ('..., Senior Social Worker, Harrowfield
            # Council') the comma separates a signature's parts and stays.
            prose = close == "," and rx(r"[ \t]*\p{Ll}").match(after, a.end()) is not None \
                and not _CLAUSE_WORD.match(after, a.end())   # ('..., Complaints Manager, and I have': the clause's)
            if label.role != label.base_role:
                phrase = label.pseudonym   # keep 'the second social worker' distinct
            elif not a.group("det") and (prose or not _SENTENCE_START.search(text[max(0, start - 12):start])):
                phrase = "the " + phrase   # (a job title keeps its capitals: 'Senior Social Worker')
            if a.group("sep").strip() == "(" and close != ")":
                # 'Jo Lund (Chair, Early Help)' -> 'the chair (Early Help)': the bracket goes on
                more = rx(r"[ \t]*[,;][ \t]*").match(after, a.end("phrase"))
                if more is None:
                    return start, end, sentence_case(text, start, label.pseudonym)
                return start, end + more.end(), sentence_case(text, start, phrase) + " ("
            apposition = close == ")" and a.group("sep").strip() == "(" or (close == "," and (a.group("det") or prose))
            stop = a.end() if apposition or not close else a.end("phrase")
            return start, end + stop, sentence_case(text, start, phrase)
        if rx(rf"(?i:\b{role})[ \t]+(?:was|is|were|became|had\s+been)[ \t]+$").search(before):
            # 'The allocated social worker was Ms Holloway' would read '... was the social worker':
            # the sentence already names the role, so the name goes with its verb
            verb = rx(r"[ \t]+(?:was|is|were|became|had\s+been)[ \t]+$").search(before)
            return start - (len(before) - verb.start()), end, ""
        return start, end, sentence_case(text, start, label.pseudonym)
    new = render(m, person, label)
    if not m.title and person.surname and fold(" ".join(m.words)) == fold(person.surname) \
            and rx(r"\s+family\b").match(text[end:end + 10]) and label.letter:
        new = label.letter  # 'the Laffey family' -> 'the X family'
    return start, end, new


# Words after a comma that open the sentence's next clause: the comma is the sentence's, not
# the apposition's, and stays ('I am Joy MacKenzie, Complaints Manager, and I have ...').
_CLAUSE_WORD = regex.compile(r"[ \t]*(?:and|but|or|nor|so|yet|which|who|whom|whose|where|when|while|although|"
                             r"though|because|as|if|since|until|unless)\b")


def _own_initials(person: Person) -> set[str]:
    return initials_of(f"{person.first} {person.surname}") if person.first and person.surname else set()


def possessive(text: str, start: int, end: int, new: str) -> tuple[int, int, str]:
    """'Mr Evans’ note' becomes 'Mr C’s note', not 'Mr C’ note'."""
    if new and text[end:end + 1] in ("'", "’") and text[end - 1:end] in ("s", "S") and not new.endswith("s") \
            and not text[end + 1:end + 2].isalpha() and "‘" not in text[max(0, start - 40):start]:
        return start, end + 1, f"{new}{text[end]}s"
    return start, end, new


def sentence_case(text: str, start: int, new: str) -> str:
    if new[:1].islower() and _SENTENCE_START.search(text[max(0, start - 12):start]):
        return new[0].upper() + new[1:]
    return new


_INITIALS_ONLY = regex.compile(r"(?:\p{Lu}\.?[-‐‑]?){2,4}")


_SPACE_GAP = regex.compile(r"[ \t\u00a0]+")


_BRACKET_GAP = regex.compile(r"[ \t\u00a0]*\([ \t]*")


def initials_join_their_name(text: str, rows: list[ReportRow]) -> list[ReportRow]:
    """A person's initials right after their name are one mention with it: 'Tyler LB' and
    'Kerry Brennan (KB)' become one 'D' or 'the social worker', not 'D D' or 'the social
    worker (the social worker)'. The report keeps the whole span as the original."""
    out: list[ReportRow] = []
    for r in rows:
        last = out[-1] if out else None
        if last is not None and r.entity == PERSON == last.entity and r.person and r.person == last.person \
                and _INITIALS_ONLY.fullmatch(r.original):
            gap = text[last.end:r.start]   # (on one line: 'DO⏎DO – visit' is two mentions)
            end = r.end + 1 if _BRACKET_GAP.fullmatch(gap) and text[r.end:r.end + 1] == ")" else r.end
            if _SPACE_GAP.fullmatch(gap) or end > r.end:
                detector = "+".join(dict.fromkeys([*last.detector.split("+"), *r.detector.split("+")]))
                out[-1] = ReportRow(last.file, last.start, end, text[last.start:end], last.replacement, PERSON,
                                    detector, max(last.score, r.score), last.person)
                continue
        out.append(r)
    return out
