"""Recognisers for personal data other than names: UK postcodes, street addresses (also in
lower case or capitals, and flats and named buildings), dates of birth after a birth cue,
phone numbers, NHS and National Insurance numbers the text says are one, and personal
reference numbers after their label (Mosaic ID, council tax account, claim ref, UPN, NMC PIN).

The patterns and word lists here are shared with ``blocks``, which finds the same kinds of
data where the evidence spans paragraphs (an address block, a DOB table cell, a CSV column).
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from desk_app.core.detect.recognizers.base import RegexRecognizer
from desk_app.core.regexcache import rx


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


_MONTH = (r"(?i:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
# A written date as case notes give it: '4 April 1947', '9th May 1939', '17-Jan-1945',
# '03-Feb-1951', 'May 4, 1947', '12/12/1987', '15.5.41', '1987-12-12'.
DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?(?:[ \t]+of[ \t]+|[ \t]+|[ \t]*[-/.][ \t]*){_MONTH}\.?,?"
        r"(?:[ \t]+|[ \t]*[-/.][ \t]*)"
        rf"(?:\d{{4}}|\d{{2}})"
        rf"|{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
        r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?![\d/.-]\d)\b")
# The words that say a date is a date of birth. 'born' needs care ('born in Leeds'), but
# only a date can follow it here.
BIRTH_CUE = (r"(?i:\b(?:dates?[ \t]*of[ \t]*birth|d\.[ \t]?o\.[ \t]?b\b\.?|dob\b|born(?:[ \t]+on)?"
             r"|birth[ \t]*date|birthday))")
# What may stand between the cue and the date: 'DOB on file: ', 'gave her DOB as ',
# 'Date of birth (optional): ', 'born on the '.
BIRTH_FILLER = (r"(?:[ \t]*(?:\([^()\n]{0,25}\)|/[ \t]?(?i:age)\b"
                 r"|(?i:on[ \t]+(?:file|record|system)|recorded(?:[ \t]+as)?|given"
                 r"(?:[ \t]+as)?|stated(?:[ \t]+as)?|confirmed(?:[ \t]+as)?|is|was|as|of|on|the|in)\b|[:=–-]))*[ \t]*")
_DOB = regex.compile(rf"{BIRTH_CUE}{BIRTH_FILLER}(?P<date>{DATE}|{_MONTH},?[ \t]+\d{{4}}\b)")


class DateOfBirthRecognizer(RegexRecognizer):
    """A date that follows a birth cue ('born on 3 May 2015', 'DOB: 03/05/2015', 'DOB on
    file: 07/07/1985', 'gave her DOB as 11/06/1979'); other dates are the facts of the case
    and stay. A cue and a date in different paragraphs (a table's label cell and value cell)
    are found by ``blocks.document_identifiers``."""

    patterns = (_DOB,)
    groups = ("date",)
    entity = "DATE_OF_BIRTH"

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        return [m.span("date")]


# Labels that introduce a number identifying one person to a council, school, hospital or
# benefits system. Deliberately not bare 'ref'/'reference', 'case', 'complaint',
# 'application', 'works order' or 'FOI': those number the complaint, not the person, and the
# ombudsman's decision keeps them.
_SYSTEMS = r"(?:Mosaic|LAS|LCS|EHM|Liquid[ ]?logic|CareFirst|Care[ ]First|Framework[- ]?i|ContrOCC)\b"
_HOLDERS = (r"(?:client|customer|service[ ]user|person|resident|tenant|patient|claimant|pupil|student|staff|"
            r"employee|payroll|hospital|tenancy|rent|housing[ ]register|council[ ]tax|c[ ]?tax|ct|ctr|su|"
            r"housing[ ]benefit|hb|benefits?|claim|passport|driving[ ]licen[cs]e|bank)")
_ACCOUNT = r"(?:acc(?:oun)?t\b|acc\b\.?|a/c)(?:[ ](?:no\b\.?|number|ref\b\.?|reference))?"
_REF_WORD = rf"(?:id|no\b\.?|num|number|ref\b\.?|reference|identifier|{_ACCOUNT})"
_REF_LABEL = (rf"(?i:\b(?:{_SYSTEMS}(?:[ ](?:{_REF_WORD}|person[ ]id|client[ ]id))?"
              rf"|{_HOLDERS}[ ](?:(?:claim|record|file|system|account|reference|ref)[ ])?{_REF_WORD}"
              rf"|{_ACCOUNT}"
              r"|UPN|ULN|unique[ ]pupil[ ]number|MRN|CHI(?:[ ]number)?|NMC(?:[ ](?:PIN|no\b\.?|number))?|PIN"
              r"|payroll))")
# The number itself: digits, optionally with a short letter prefix or suffix and spaced or
# hyphenated groups: '2209418', 'HBC-00712954', 'HB 40921776', '5501 7739 2', '09A1234E',
# 'M420881206034'. (Case-sensitive: 'Mosaic ID 2209418 Address' stops before 'Address'.)
REF_ID = (r"(?-i:(?:[A-Z]{1,4}[ \-/]?)?\d[A-Z\d]*(?:[\-/][A-Z\d]*\d[A-Z\d]*|[ ]\d[A-Z\d]*"
          rf"(?![ \t]+{_MONTH}))*)")
_PERSONAL_REF = regex.compile(rf"{_REF_LABEL}(?:[ \t]+(?i:is|was))?[ \t]*"
                              r"(?:[:#=–-][ \t]*|\([^()\n]{0,20}\)[ \t]*[:#=–-]?[ \t]*)?"
                              rf"(?P<id>{REF_ID})(?![\w/-])")


def is_reference_number(token: str) -> bool:
    """Enough digits to identify someone, and not a date or money: five digits, or four with
    letters ('M4208', 'PIN 09A1234E')."""
    digits = sum(c.isdigit() for c in token)
    if rx(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}").fullmatch(token):
        return False
    return digits >= 5 or (digits >= 4 and any(c.isalpha() for c in token))


class PersonalReferenceRecognizer(RegexRecognizer):
    """A number that identifies a person, after the label that says so: 'Mosaic ID: 2209418',
    'Council Tax Account 5501 7739 2', 'Claim ref: HBC-00712954', 'UPN M420881206034',
    'RGN PIN 09A1234E', 'Hospital No: RCI4418203'. A complaint, planning, FOI, works-order or
    ombudsman reference is not personal and stays."""

    patterns = (_PERSONAL_REF,)
    entity = "PERSONAL_REF"
    score = 0.8

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        return [m.span("id") if is_reference_number(m.group("id")) else None]


# Street words that end a street name, and the words that end a house or block name.
STREET_SUFFIX = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Crescent|Cres|Terrace|Tce|"
                 r"Gardens|Gdns|Grove|Way|Place|Pl|Court|Ct|Mews|Rise|Walk|Square|Sq|Hill|Park|Row|View|"
                 r"Green|Parade|Vale|Gate|Wynd|Brow|Fold|Croft|Chase|Meadows?|Heights|Boulevard|Bvd)")
HOUSE_NOUN = (r"(?:House|Farm|Cottages?|Lodge|Court|Tower|Towers|Quay|Wharf|Forge|Mill|Barns?|Hall|Manor|"
              r"Villas?|Mansions|Buildings|Grange|Croft|Bungalow|Chambers|Rectory|Vicarage|Gatehouse|"
              r"Apartments|Flats|Point|Heights|Yard|Works|Mews|Oast|Granary|Stables|Coach[ ]House|Old[ ]\w+)")
_STOP_WORDS = frozenset(
    """a an and the this that these those to of in on at for from by with as or but nor if so than then
    is are was were be been being has have had do does did will would can could may might must shall should
    not no any all some more most less few many each every other another such same own very too also
    second seconds minute minutes min mins hour hours hr hrs day days week weeks month months year years
    time times night nights working weekday weekdays weekend weekends am pm
    people person persons children child adults adult visits visit calls call occasions occasion pages page
    items item bed beds bedroom bedrooms flats flat houses house homes home rooms room floors floor steps
    step stairs metres metre meters miles mile feet foot yards yard km kg mg ml percent per cent
    times units unit cars car buses bus bags bag boxes box cases case letters letter emails email
    members member staff officers officer carers carer council councils storey storeys detached
    semi-detached terraced bedroomed family acre acres""".split()
)
# House words that are safe in lower case after a number and a name ('58 linacre tower').
_LOOSE_HOUSE = r"(?:house|cottages?|lodge|tower|quay|villas|mansions|grange|manor)"
_LOOSE_STREET = regex.compile(
    r"(?<![\w£$€.,/:-])(?<!(?i:year|stage|class|section|paragraph|page|part|schedule|room|ward|bay|no|number|"
    r"flat|unit)[ \t])"
    r"(?P<addr>(?:(?i:flat|apartment|apt)[ \t]+\d{1,4}[A-Za-z]?,?[ \t]+)?\d{1,3}[A-Za-z]?,?[ \t]+"
    r"(?P<words>(?:[\p{L}'’-]+[ \t]+){1,3})"
    rf"(?P<suffix>(?i:{STREET_SUFFIX}|{_LOOSE_HOUSE})))\b(?![-'’]\w)"
)


class LooseStreetAddressRecognizer(RegexRecognizer):
    """House number and street written all in lower case or all in capitals, as in emails,
    texts and forms: '7 oak rd', '22 tanner street', '9 HERON CLOSE', '58 linacre tower',
    '9 Heron close'. (Title-case addresses are ``uk_address_recognizer``'s.) The words must be
    of one case and none may be a function word or a count noun, so '3 days to close' or
    'took 2 weeks in the park' stay; in lower case, street words that are also common words
    ('way', 'park', 'view') do not count."""

    patterns = (_LOOSE_STREET,)
    entity = "ADDRESS"
    score = 0.6

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        words = m.group("words").split()
        suffix = m.group("suffix")
        shapes = {_shape(w) for w in words}
        if len(shapes) != 1 or "x" in shapes or any(w.lower() in _STOP_WORDS for w in words):
            return [None]
        shape = shapes.pop()
        if _shape(suffix) != shape and not (shape == "t" and _shape(suffix) == "l"):
            return [None]
        if shape == "t" and _shape(suffix) == "t":
            return [None]   # title case throughout: ``uk_address_recognizer`` and ``HouseAddressRecognizer``
        if _shape(suffix) == "l" and suffix in _AMBIGUOUS_LOWER:
            return [None]   # common words: in lower case only the unmistakable street words count
        return [m.span("addr")]


_AMBIGUOUS_LOWER = frozenset("""st dr cl pl ct sq way view green park hill row walk gate rise vale brow fold
    croft chase place court square parade heights meadow meadows""".split())


def _shape(word: str) -> str:
    """'l' lower case, 'u' capitals, 't' title case, 'x' mixed."""
    letters = "".join(c for c in word if c.isalpha())
    if not letters:
        return "x"
    if letters.islower():
        return "l"
    if letters.isupper():
        return "u"
    return "t" if letters[0].isupper() and letters[1:].islower() else "x"


_UK_PHONE = regex.compile(
    r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|\(0\d{2,4}\)\s?|0)(?:\d[\s-]?){7,10}\d(?!\d)"
)


class UkPhoneRecognizer(RegexRecognizer):
    """UK numbers as written in letters: '07700 900123', '(020) 7946 0958', '+44 7911 123456'.

    python-phonenumbers (Presidio's phone recogniser) rejects numbers in ranges that are not
    allocated, such as Ofcom's drama ranges, yet they are still somebody's number on paper.
    """

    patterns = (_UK_PHONE,)
    groups = ("0",)
    entity = "PHONE_NUMBER"
    score = 0.6

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        digits = rx(r"\D").sub("", m.group())
        if m.group().startswith("+"):
            digits = digits[2:].removeprefix("0")
        national = digits.lstrip("0")
        return [m.span() if len(national) in (9, 10) else None]


_NHS_STATED = regex.compile(r"(?i:\bNHS\s+(?:number|no\.?)\s*(?:is\s+|:\s*|-\s*)?\(?)"
                            r"(?P<id>\d{3}[\s-]?\d{3}[\s-]?\d{4})\b")
_NINO_STATED = regex.compile(
    r"(?i:\bnational\s+insurance\s+(?:number|no\.?)|\bNI\s+(?:number|no\.?)|\bNINO)\s*(?:is\s+|:\s*|-\s*)?\(?"
    r"(?P<id>[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]?)\b")


class StatedIdentifierRecognizer(RegexRecognizer):
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

# Words after a house name that make it a place of work or care, not a home.
_NOT_HOME_AFTER = (r"(?![ \t]+(?:Residential|Nursing|Care|Home|Surgery|Medical|Health|School|Academy|College|"
                   r"Primary|Hospital|Hotel|Hostel|Centre|Center|Day|Offices?|Business|Industrial|Trading|"
                   r"Retail|Shopping|Community|Library|Museum|Clinic|Practice|Ward|Unit|Wing|Road|Street|Lane)\b)")
# 'Leeds Crown Court', 'Bristol County Court': courts are not homes.
_COURTS = r"(?:Crown|County|Magistrates['’]?|Family|High|Supreme|Coroners?['’]?s?|Appeal|Civil|Combined)\b"
_CAP_WORD = r"(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)?|\p{Lu}{2,})"
_HOUSE_ADDRESS = regex.compile(
    r"(?P<addr>\b(?:Flat|Apartment|Apt|Maisonette)[ \t]+\d{1,4}[A-Za-z]?,?[ \t]+"
    rf"(?:{_CAP_WORD}[ \t]+){{0,2}}{_CAP_WORD}[ \t]+(?:{HOUSE_NOUN}|{STREET_SUFFIX})\b"
    r"|(?<!(?:Year|Stage|Class|Section|Paragraph|Page|Part|Schedule|Room|Ward|Bay|Block|Phase|Level|Floor|"
    r"Platform|Wing|Gate|No|Number|Unit|Flat)[ \t])(?<![\w£$€.,/:-])\d{1,3}[A-Za-z]?,?[ \t]+"
    rf"(?:(?!{_COURTS}){_CAP_WORD}[ \t]+){{0,2}}(?!{_COURTS}){_CAP_WORD}[ \t]+{HOUSE_NOUN}\b)"
    rf"{_NOT_HOME_AFTER}(?![-'’]\w)"
)


class HouseAddressRecognizer(RegexRecognizer):
    """A home named by its flat and block or house number and building, where the street
    recogniser has no street word to go on: 'Flat 8, Kestrel House', 'Apartment 12, Riverside
    Quay', '58 Linacre Tower', '2 Orchard Cottages', 'Flat 3, Saxon Way'. Not 'Ivy House
    Residential Home' or 'Room 6' alone (a room in a care home is not an address)."""

    patterns = (_HOUSE_ADDRESS,)
    groups = ("addr",)
    entity = "ADDRESS"
    score = 0.6

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        return [m.span("addr")]
