"""Decision Desk's own Presidio recognisers.

Stock Presidio with spaCy misses most of what identifies a person in case notes: titled
surnames ("Mrs Laffey"), initials ("Mr D.R."), children named only through a kinship cue
("her son, Martyn"), names in ALL CAPS or "SURNAME, Forename" order, and the UK identifiers
its default configuration leaves switched off. Each recogniser below is an ordinary
Presidio ``LocalRecognizer``, registered beside spaCy's, so one ``AnalyzerEngine.analyze``
call yields all of them with their provenance.
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from desk_app.core.names import (
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

PERSON = "PERSON"

_FULL = rf"{NAME_WORD}(?:[ \t\u00a0]+(?:{PARTICLE})?{NAME_WORD}){{0,3}}"
_TITLED = regex.compile(
    rf"\b(?P<title>{TITLE_RE})\.?(?P<couple>\s+(?:and|&)\s+{TITLE_RE}\.?)?\s+"
    rf"(?P<name>(?:{INITIALS}\s+)?(?:{PARTICLE})?{_FULL}|{INITIALS})"
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
    r"children|sons|daughters|grandchildren|twins|siblings|brothers|sisters|youngest|eldest|oldest))"
    rf",?\s+(?:called\s+|named\s+|‘|'|“|\"|\()?(?P<name>{_ONE_NAME})"
    rf"(?:(?:,\s+|,?\s+and\s+|\s+&\s+)(?P<more>{NAME_WORD}))*"
)
_CHILD_LABEL = regex.compile(rf"\b(?:Child|child)\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)")
_AGED = regex.compile(rf"\b(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)\s*(?:\(|,\s*)(?:aged|age)\s+\d{{1,2}}\b")
_CALLED = regex.compile(rf"\b(?:called|named|known as)\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)")


def _clean_name(text: str, start: int, end: int, strict: bool = False, titled: bool = False
                ) -> tuple[int, int] | None:
    """Drop words that are not names from both ends of a candidate; None if nothing is left.

    ``strict``: also None when a capitalised word had to be dropped, because a cue followed
    by a capitalised phrase ('named Elective Home Education') is a title, not a person.
    """
    words = list(regex.finditer(r"\S+", text[start:end]))
    dropped = []
    while words and not is_name_word(words[-1].group(), titled):
        dropped.append(words.pop())
    while words and not is_name_word(words[0].group(), titled) and not (titled and is_particle(words[0].group())):
        dropped.append(words.pop(0))
    if not words or (strict and any(w.group()[:1].isupper() for w in dropped)):
        return None
    return start + words[0].start(), start + words[-1].end()


class _RegexNameRecognizer(LocalRecognizer):
    """Base for recognisers driven by precompiled case-sensitive patterns (Presidio's
    PatternRecognizer applies its registry-wide IGNORECASE flag, which would let 'mrs smith'
    or 'the child protection' through)."""

    patterns: tuple[regex.Pattern[str], ...] = ()
    score = 0.85
    groups = ("name",)
    entity = PERSON

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.entity], name=type(self).__name__, supported_language="en")

    def load(self) -> None:  # patterns are compiled at import time
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                for span in self.spans(m, text):
                    if span is not None:
                        results.append(RecognizerResult(self.entity, span[0], span[1], self.score,
                                                        recognition_metadata={
                                                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        return [_clean_name(text, *m.span(g)) for g in self.groups if m.group(g)]


class TitledNameRecognizer(_RegexNameRecognizer):
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
        if regex.fullmatch(r"\p{Lu}", name) and not text[m.end("name"):m.end("name") + 1] == ".":
            return [None]
        if m.re is _TITLED:
            lead = regex.match(INITIALS + r"\s+", name)
            cleaned = _clean_name(text, m.start("name") + (lead.end() if lead else 0), m.end("name"), titled=True)
            if lead and cleaned is not None:
                after_lead = text[cleaned[0]:cleaned[1]].split()[0]
                if cleaned[0] != m.start("name") + lead.end() or (
                        regex.fullmatch(r"\p{Lu}\.\s*", lead.group()) and not is_name_word(after_lead)):
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


_CAPS_STOP = frozenset({"and", "the", "of", "to", "in", "on", "at", "for", "from", "with", "council"})


class KinshipNameRecognizer(_RegexNameRecognizer):
    """Names introduced by a relationship: 'her son, Ben', 'his daughter Chloe', 'their
    children, Amy and Tom', 'Child Chatura', 'Ben (aged 7)', 'a boy called Sam'."""

    patterns = (_KIN, _CHILD_LABEL, _AGED, _CALLED)
    score = 0.8

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        spans = [m.span("name")] + (m.spans("more") if "more" in m.re.groupindex else [])
        return [_clean_name(text, s, e, strict=True) for s, e in spans]


class SurnameFirstRecognizer(_RegexNameRecognizer):
    """'LAFFEY, Cheryl' as in registers, referral forms and court lists."""

    patterns = (_SURNAME_FIRST,)
    score = 0.8

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        if not is_name_word(m.group("name")) or regex.match(TITLE_RE + r"\b", m.group("first")):
            return [None]  # 'GP, Dr Mehta', 'NHS, Council': an acronym, then a title
        first = _clean_name(text, *m.span("first"))
        if first is None:
            return [None]
        return [(m.start("name"), first[1])]


def _pattern(name: str, entity: str, regexes: list[tuple[str, str, float]], context: list[str]
             ) -> PatternRecognizer:
    return PatternRecognizer(
        supported_entity=entity,
        name=name,
        patterns=[Pattern(n, r, s) for n, r, s in regexes],
        context=context,
        supported_language="en",
    )


def uk_postcode_recognizer() -> PatternRecognizer:
    """Full UK postcodes. Presidio's own is off by default and scores 0.1 without context;
    a whole postcode ('BR1 3UH') is specific enough to stand alone."""
    return _pattern(
        "UkPostcodeFull", "UK_POSTCODE",
        [("postcode", r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", 0.7)],
        ["postcode", "address", "lives", "live", "living", "road", "street"],
    )


def uk_address_recognizer() -> PatternRecognizer:
    """House number + street: '14 Acacia Avenue', 'Flat 3, 22 Hill Road', '12a Mill Lane',
    '27 Heol y Coed'. Not '2020 Leeds Crown Court' (a year), 'Year 6 Park View Primary School'
    (a class and a school)."""
    street = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|"
              r"Grove|Terrace|Hill|Park|Row|Square|Walk|Mews|Rise|View|Green|Parade|Vale|Gate)")
    number = r"(?<!(?:Year|Stage|Class|Section|Paragraph|Page|Part|Schedule|Room|Ward|Bay)\s)\b\d{1,3}[A-Za-z]?"
    pattern = (rf"(?-i:(?:\b(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?{number},?\s+"
               rf"(?:(?:\p{{Lu}}[\p{{Ll}}']+\s+){{1,3}}{street}\b"
               rf"|(?:Heol|Ffordd|Stryd|Lôn|Lon|Rhodfa)(?:\s+(?:y|yr|\p{{Lu}}[\p{{Ll}}']+)){{1,3}}\b)"
               r"(?!\s+(?:Primary|Secondary|Infant|Junior|School|Academy|College|Surgery|Centre|Hospital|"
               r"Court|House|Nursery|Church)\b))")
    return _pattern("UkStreetAddress", "ADDRESS", [("street address", pattern, 0.6)],
                    ["address", "lives", "live", "living", "moved", "property", "home"])


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)")
_DOB = regex.compile(
    r"(?i:\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?|birth\s*date|birthday))"
    r"\s*(?:is\s+|was\s+|of\s+|in\s+|:\s*|-\s*)?"
    rf"(?P<date>\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|{_MONTH},?\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}})\b"
)


class DateOfBirthRecognizer(_RegexNameRecognizer):
    """A date that follows a birth cue ('born on 3 May 2015', 'DOB: 03/05/2015'); other
    dates are the facts of the case and stay."""

    patterns = (_DOB,)
    groups = ("date",)
    entity = "DATE_OF_BIRTH"

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        return [m.span("date")]


_UK_PHONE = regex.compile(
    r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|\(0\d{2,4}\)\s?|0)(?:\d[\s-]?){7,10}\d(?!\d)"
)


class UkPhoneRecognizer(_RegexNameRecognizer):
    """UK numbers as written in letters: '07700 900123', '(020) 7946 0958', '+44 7911 123456'.

    python-phonenumbers (Presidio's phone recogniser) rejects numbers in ranges that are not
    allocated, such as Ofcom's drama ranges, yet they are still somebody's number on paper.
    """

    patterns = (_UK_PHONE,)
    groups = ("0",)
    entity = "PHONE_NUMBER"
    score = 0.6

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        digits = regex.sub(r"\D", "", m.group())
        if m.group().startswith("+"):
            digits = digits[2:].removeprefix("0")
        national = digits.lstrip("0")
        return [m.span() if len(national) in (9, 10) else None]


_NHS_STATED = regex.compile(r"(?i:\bNHS\s+(?:number|no\.?)\s*(?:is\s+|:\s*|-\s*)?\(?)"
                            r"(?P<id>\d{3}[\s-]?\d{3}[\s-]?\d{4})\b")
_NINO_STATED = regex.compile(
    r"(?i:\bnational\s+insurance\s+(?:number|no\.?)|\bNI\s+(?:number|no\.?)|\bNINO)\s*(?:is\s+|:\s*|-\s*)?\(?"
    r"(?P<id>[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]?)\b")


class StatedIdentifierRecognizer(_RegexNameRecognizer):
    """An NHS or National Insurance number that the text says is one, even when its check
    digit is wrong or its prefix is one HMRC never issues: as written, it is still someone's."""

    patterns = (_NHS_STATED, _NINO_STATED)
    groups = ("id",)
    entity = "UK_NHS"
    score = 0.9

    def __init__(self) -> None:
        LocalRecognizer.__init__(self, supported_entities=["UK_NHS", "UK_NINO"], name=type(self).__name__,
                                 supported_language="en")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out = []
        for pattern, entity in ((_NHS_STATED, "UK_NHS"), (_NINO_STATED, "UK_NINO")):
            for m in pattern.finditer(text):
                out.append(RecognizerResult(entity, *m.span("id"), self.score, recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return out


def project_recognizers() -> list[LocalRecognizer]:
    """The project's recognisers, in the order they are registered."""
    return [
        TitledNameRecognizer(),
        KinshipNameRecognizer(),
        SurnameFirstRecognizer(),
        uk_postcode_recognizer(),
        uk_address_recognizer(),
        DateOfBirthRecognizer(),
        UkPhoneRecognizer(),
        StatedIdentifierRecognizer(),
    ]
