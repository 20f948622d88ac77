"""Recognisers for people's names.

Stock Presidio with spaCy misses most of what identifies a person in case notes: titled
surnames ("Mrs Laffey"), initials ("Mr D.R."), children named only through a kinship cue
("her son, Martyn"), names in ALL CAPS or "SURNAME, Forename" order, and the UK identifiers
its default configuration leaves switched off. Each recogniser below is an ordinary
Presidio ``LocalRecognizer``, registered beside spaCy's, so one ``AnalyzerEngine.analyze``
call yields all of them with their provenance.
"""

from __future__ import annotations

import regex

from desk_app.core.detect.recognizers.base import RegexRecognizer
from desk_app.core.names import (
    ACRONYMS,
    CAPS_TITLE_RE,
    CAPS_WORD,
    INITIALS,
    NAME_WORD,
    PARTICLE,
    TITLE_RE,
    fold,
    is_name_word,
    is_particle,
)
from desk_app.core.regexcache import rx

_FULL = rf"{NAME_WORD}(?:[ \t\u00a0]+(?:(?:{PARTICLE})?{NAME_WORD}|\p{{Lu}}\.(?=[ \t\u00a0]+\p{{Lu}}))){{0,3}}"
_TITLED = regex.compile(
    rf"\b(?P<title>{TITLE_RE})\.?(?P<couple>\s+(?:and|&)\s+{TITLE_RE}\.?)?\s+"
    rf"(?P<name>(?:{INITIALS}\s+)?(?:{PARTICLE})?{_FULL}|(?:{INITIALS}|\p{{Lu}}\.)[ \t]+{CAPS_WORD}(?![\p{{L}}])"
    rf"|{INITIALS}|\p{{Lu}}\.(?=['’]s\b|[ \t]+\p{{Ll}}|,))"
)
_CAPS_TITLED = regex.compile(
    rf"\b(?P<title>{CAPS_TITLE_RE})\.?(?P<couple>\s+(?:AND|&)\s+{CAPS_TITLE_RE}\.?)?\s+"
    rf"(?P<name>{CAPS_WORD}(?:\s+{CAPS_WORD}){{0,3}})\b"
)
_SURNAME_FIRST = regex.compile(rf"\b(?P<name>{CAPS_WORD}),\s+(?P<first>{NAME_WORD}(?:\s+{NAME_WORD})?)\b")
_ONE_NAME = rf"{NAME_WORD}(?:[ \t\u00a0]+{NAME_WORD})?"
_KIN = regex.compile(
    r"(?i:\b(?:his|her|their|my|our|your|the|a|\p{L}+['’]s|\p{L}+s['’])\s+"
    r"(?:(?:two|three|four|five|twin|adult|eldest|oldest|youngest|older|younger|elder|baby|infant|late|new|"
    r"former|teenage|disabled|autistic|step|ex)[\s-]+){0,2}"
    r"(?:son|daughter|child|grandson|granddaughter|grandchild|stepson|stepdaughter|nephew|niece|"
    r"brother|sister|husband|wife|partner|ex-partner|mother|father|mum|dad|grandmother|"
    r"grandfather|aunt|uncle|cousin|friend|neighbour|carer|advocate|representative|boy|girl|"
    r"children|sons|daughters|grandchildren|twins|siblings|brothers|sisters|youngest|eldest|oldest|"
    r"stepbrother|stepsister|half-brother|half-sister|grandma|grandpa|granny|nana|nanna|auntie|godson|"
    r"goddaughter|fiance|fiancé|fiancee|fiancée|boyfriend|girlfriend|ex-wife|ex-husband|lodger|flatmate)"
    r"(?:-in-law)?)"
    rf",?\s+(?:called\s+|named\s+|‘|'|“|\"|\()?(?P<name>{_ONE_NAME})"
    rf"(?:(?:,\s+|,?\s+and\s+|\s+&\s+)(?P<more>{NAME_WORD}))*"
)
# 'father of Summer Mehta-Summers', 'mother of Ben', 'Daughter-in-law Bożena Wójcik'
_KIN_OF = regex.compile(
    r"(?i:\b(?:father|mother|parent|grandmother|grandfather|grandparent|carer|guardian|sister|brother|"
    r"aunt|uncle|son|daughter)s?\s+of)\s+(?P<name>" + _ONE_NAME + ")")
_KIN_LABEL = regex.compile(
    r"(?:^|(?<=[\n\v.;]\s?))(?:Daughter|Son|Mother|Father|Husband|Wife|Partner|Sister|Brother|Granddaughter|"
    r"Grandson|Niece|Nephew|Mum|Dad)(?:-in-law)?\s+(?P<name>" + _ONE_NAME + ")", regex.M)
_CHILD_LABEL = regex.compile(rf"\b(?:Child|child)\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)")
_AGED = regex.compile(rf"\b(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)\s*(?:(?:\(|,\s*)(?:aged|age)\s+\d{{1,2}}\b"
                     r"|\((?:aged\s+)?\d{1,2}(?:\s*(?:yrs?|years?))?\))")
_CALLED = regex.compile(rf"\b(?:called|named|known as)\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)")


def _clean_name(text: str, start: int, end: int, strict: bool = False, titled: bool = False
                ) -> tuple[int, int] | None:
    """Drop words that are not names from both ends of a candidate; None if nothing is left.

    ``strict``: also None when a capitalised word had to be dropped, because a cue followed
    by a capitalised phrase ('named Elective Home Education') is a title, not a person.
    """
    words = list(rx(r"\S+").finditer(text[start:end]))
    dropped = []
    while words and not is_name_word(words[-1].group(), titled):
        dropped.append(words.pop())
    while words and not is_name_word(words[0].group(), titled) and not (titled and is_particle(words[0].group())):
        dropped.append(words.pop(0))
    if not words or (strict and any(w.group()[:1].isupper() for w in dropped)):
        return None
    return start + words[0].start(), start + words[-1].end()


_FIELD_GAP = regex.compile(r"[ \t]{2,}|\t")   # (not a line break: a PDF line may end on a title)
_FORM_LABEL_WORDS = frozenset(
    "forename forenames surname surnames firstname lastname name names title initials".split())


class TitledNameRecognizer(RegexRecognizer):
    """Title + name: 'Mrs Laffey', 'Dr Amara Okafor-Jones', 'Mr D.R.', 'Mr and Mrs Laffey'.

    The span includes the title (and "and Mrs" for couples) so that the people module sees
    the title and the renderer can replace the whole phrase. A title followed by a single
    capital with no full stop ("Mr X") is already a pseudonym and is left alone, which
    keeps anonymising idempotent.
    """

    patterns = (_TITLED, _CAPS_TITLED)
    score = 0.95

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        name = m.group("name")
        if rx(r"\p{Lu}").fullmatch(name) and not text[m.end("name"):m.end("name") + 1] == ".":
            return [None]
        if _FIELD_GAP.search(text, m.end("couple") if m.group("couple") else m.end("title"), m.start("name")) \
                or fold(name.split()[0]) in _FORM_LABEL_WORDS:
            return [None]   # 'Title: Mr   Forename(s): ...': a form's next field, not a name
        if m.re is _TITLED:
            if rx(r"\p{Lu}\.").fullmatch(name) or regex.fullmatch(
                    rf"(?:{INITIALS}|\p{{Lu}}\.)[ \t]+{CAPS_WORD}", name):
                return [(m.start(), m.end("name"))]   # 'Mrs G.'s', 'Mr S. GRODZINSKI'
            lead = regex.match(INITIALS + r"\s+", name)
            cleaned = _clean_name(text, m.start("name") + (lead.end() if lead else 0), m.end("name"), titled=True)
            if lead and cleaned is not None:
                after_lead = text[cleaned[0]:cleaned[1]].split()[0]
                if cleaned[0] != m.start("name") + lead.end() or (
                        rx(r"\p{Lu}\.\s*").fullmatch(lead.group()) and not is_name_word(after_lead)):
                    return [None]  # 'Mr X. The Council', 'Miss X. Child': a pseudonym, then a new sentence
                cleaned = (m.start("name"), cleaned[1])
            if cleaned is None:
                # 'Mr D.' style initials are not name words; keep them whole
                if regex.fullmatch(INITIALS, name):
                    return [(m.start(), m.end("name"))]
                return [None]
            if cleaned[0] != m.start("name"):
                return [None]
            return [(m.start(), cleaned[1])]
        words = name.split()
        while words and fold(words[-1]) in _CAPS_STOP:
            words.pop()
        if not words:
            return [None]
        end = m.start("name") + name.rfind(words[-1]) + len(words[-1])
        return [(m.start(), end)]


_CALENDAR = frozenset("""january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split())
_CAPS_STOP = frozenset({"and", "the", "of", "to", "in", "on", "at", "for", "from", "with", "council"})


class KinshipNameRecognizer(RegexRecognizer):
    """Names introduced by a relationship: 'her son, Ben', 'his daughter Chloe', 'their
    children, Amy and Tom', 'Child Chatura', 'Ben (aged 7)', 'a boy called Sam'."""

    patterns = (_KIN, _KIN_OF, _KIN_LABEL, _CHILD_LABEL, _AGED, _CALLED)
    score = 0.8

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        spans = [m.span("name")] + (m.spans("more") if "more" in m.re.groupindex else [])
        out = []
        for s, e in spans:
            cleaned = _clean_name(text, s, e, strict=True)
            if cleaned is None and m.re is not _AGED:
                # 'My husband Sunday and I', 'her daughter, May, was': right after the cue a
                # month or weekday is a name, unless a date follows ('his son May 2023')
                first = regex.match(NAME_WORD, text[s:e])
                if first and fold(first.group()) in _CALENDAR and not rx(r"\s*\d").match(text[s + first.end():]):
                    cleaned = (s, s + first.end())
            out.append(cleaned)
        return out


class SurnameFirstRecognizer(RegexRecognizer):
    """'LAFFEY, Cheryl' as in registers, referral forms and court lists."""

    patterns = (_SURNAME_FIRST,)
    score = 0.8

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        surname = m.group("name")
        if (len(surname) <= 3 and not rx(r"[AEIOUY]").search(surname)) or surname in ACRONYMS:
            return [None]  # 'JT, Waste Ops', 'DSL, St Aidan's': initials or an acronym, then something else
        if not is_name_word(surname) or regex.match(TITLE_RE + r"\b", m.group("first")):
            return [None]  # 'GP, Dr Mehta', 'NHS, Council': an acronym, then a title
        first = _clean_name(text, *m.span("first"))
        if first is None:
            return [None]
        return [(m.start("name"), first[1])]
