"""Names found by where they stand in a document, not by what they look like.

Case material is not prose: an email header, a form field, a chat transcript, a signature
block or a log line puts a name in a slot, and in that slot it is a name whatever the word
is ("First name: Autumn", "thanks⏎jo", "[Thu 08:12] Rose: hi dawn", "Clerk: Ffion Hughes",
"Autumn Rowe, SEN Case Officer", "FSW Hope Green", "night nurse Chukwuemeka"). spaCy's
model, trained on news, misses most of these, and a word list cannot tell the name Hope
from the word hope. The slot can.

This pass sees a whole document at once (a sign-off's name is on the line after it; a
Word table puts a label and its value in neighbouring cells), so it runs beside Presidio's
per-paragraph recognisers and hands ``Detection``s of its own to the same clean-up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import regex

from desk_app.core.detect.reflow import analysis_units
from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.entities import PERSON
from desk_app.core.names import (
    ACRONYMS,
    ADULT_KIN,
    CAPS_WORD,
    CHILD_WORDS,
    FUNCTION_WORDS,
    NAME_WORD,
    NOT_NAME_WORDS,
    ORDINARY_WORD_NAMES,
    ORG_NOUNS,
    PARTICLE,
    PARTICLES,
    TITLE_JUST_BEFORE,
    TITLE_RE,
    fold,
    is_place_context,
    lookalike_spans,
)
from desk_app.core.regexcache import rx

DETECTOR = "StructureRecognizer"

# Words a name slot's value may hold that are not names ("To: All staff", "Officer: Duty
# Team"); months and weekdays are left out, because in a slot they are names ("Sunday").
_CALENDAR = frozenset("""january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday christmas easter""".split())
_NOT_IN_NAME = (NOT_NAME_WORDS - _CALENDAR) | frozenset(
    """all staff team everyone both colleagues colleague sir madam whom concern unknown tbc tba n/a na none
    not known yes no same above below see attached various other others admin duty reception switchboard
    customer customers resident residents tenant tenants client clients member members public term week
    weekend night morning afternoon evening day today line mobile tel telephone phone email fax ext
    extension signed dated date time ref reference number no investigator assessor surveyor inspector reviewer
    caseworker practitioner therapist adviser advisor coordinator co-ordinator director consultant paramedic
    psychologist psychiatrist paediatrician physiotherapist solicitor councillor ombudsman appointee referrer
    sender recipient occupant occupier claimant interpreter witness author username police constabulary
    ambulance department directorate hub service services""".split())
_LOWER_STOP = FUNCTION_WORDS | _NOT_IN_NAME | frozenset(
    """its it's im i'm ive i've ill i'll id i'd is was are were be been being am can cant can't could will
    would should shall must may might do does did done dont don't didnt didn't have has had not just
    only really very so too ok okay oh hun love babe mate x xx xxx lol pls plz thx ty sorry got get
    going gone go come came coming sent send rang ring call called spoke speak said say says told tell
    asked ask""".split())

# The last word of a label whose value is a person: "First name", "Taken by", "Allocated SW".
_PERSON_LABEL_HEADS = frozenset(
    """name names forename forenames surname firstname lastname worker officer manager assessor surveyor
    inspector investigator reviewer maker gp consultant teacher headteacher senco senco's nurse carer
    carers parent mother father child person pupil student tenant resident patient applicant appellant
    complainant caller contact kin requester requestor by to from cc bcc chair chairperson clerk minutes
    attendees attendee present apologies members member signed signature advocate representative
    interpreter witness author user username director lead coordinator co-ordinator therapist practitioner
    adviser advisor caseworker solicitor councillor ombudsman landlord landlady appointee lpa sw fsw ot hv
    iro subject client occupant occupier owner claimant referrer sender recipient dsl head doctor
    paramedic psychologist psychiatrist paediatrician physiotherapist visitor responder mp duty shift
    countersigned logged""".split())
# Labels whose value is a name even when it is an ordinary word or in lower case.
_DISPLAY_NAME = regex.compile(r"[ \t]*['\"]?[\p{L}][\p{L}'’. -]{1,60}['\"]?[ \t]*<[^<>@\s]+@[^<>\s]+>")
_STRONG_LABELS = regex.compile(
    r"(?i:^(?:(?:full|first|last|family|given|middle|maiden|preferred|typed|print(?:ed)?|client|child['’]?s?|"
    r"resident|patient|tenant|applicant|caller|your|their|his|her|parent['’]?s?|pupil['’]?s?|"
    r"service\s+user['’]?s?)\s+)?(?:names?|forenames?|surnames?|firstname|lastname)(?:\s*\(s\))?$)")
_LABEL_LINE = regex.compile(
    r"(?P<label>(?<![\p{L}\p{N}])\p{L}(?:[\p{L}'’/&().-]|[ ](?=[^ \t])){0,38}?\p{L}(?:\s*\(s\))?)[ \t]*:[ \t]*(?=\S)")

_TITLE = regex.compile(rf"(?:{TITLE_RE}|MRS|MISS|MR|MS|DR)\.?[ \t\u00a0]+")
_TOKEN = regex.compile(r"[\p{L}][\p{L}\p{M}'’‐-]*\.?(?:\p{Lu}\.)*")
_INITIAL = regex.compile(r"\p{Lu}\.?(?:\p{Lu}\.)*")
_NAME_TOKEN = regex.compile(rf"(?:{NAME_WORD}|{CAPS_WORD})")
_PSEUDONYM = regex.compile(rf"^(?:(?:{TITLE_RE})\.?\s+)?\p{{Lu}}$")
_GAP = regex.compile(r"[ \t\u00a0]+")
_LINE_END = regex.compile(r"[\n\v]")
_BRACKET_AFTER = regex.compile(r"[ \t]*\([^()\n\v]*\)")
_NEXT_ITEM = regex.compile(r"[;,/|&]|\band\b|\s[–-]\s|\)")   # between the items of a list value
_ORG_WORD = regex.compile(ORG_NOUNS)
_ORG_IN_NAME = regex.compile(rf"(?<![\p{{L}}]){ORG_NOUNS}(?![\p{{L}}])")
_JOB_AFTER = regex.compile(r"[ \t]+(?:Officer|Manager|Worker|Director|Assistant|Co-?ordinator|Lead|Adviser|Advisor|"
                           r"Practitioner|Specialist|Team|Service|Services|Department|Unit)\b")


@dataclass(frozen=True)
class Run:
    start: int
    end: int


def name_run(text: str, pos: int, *, lenient: bool = False, ordinary: bool = True,
             max_words: int = 4) -> Run | None:
    """The name that starts at ``pos`` (after spaces, quotes and an opening bracket), or None.

    ``lenient`` accepts lower-case words (a typed signature, a chat); ``ordinary`` accepts
    capitalised words that are also ordinary words ("Hope", "Sunday"). A run stops at
    punctuation, a line end, a digit or a word that is not a name; it must hold one word of
    two letters or more, and a bare letter or "Mrs X" (a pseudonym already) is not a name.
    """
    n = len(text)
    i = pos
    while i < n and text[i] in " \t\u00a0'‘\"“(":
        i += 1
    start = i
    t = _TITLE.match(text, i)
    titled = bool(t)
    if t:
        i = t.end()
    words: list[tuple[int, int, str]] = []
    while i < n and len(words) < max_words:
        m = _TOKEN.match(text, i)
        if not m:
            break
        w = m.group().rstrip(".") if not _INITIAL.fullmatch(m.group()) else m.group()
        key = fold(w.rstrip("'’"))
        if _INITIAL.fullmatch(w):
            kind = "initial"
        elif w in PARTICLES and words:
            kind = "particle"
        elif _NAME_TOKEN.fullmatch(w.rstrip("'’")):
            if key in FUNCTION_WORDS or key in _NOT_IN_NAME or (not ordinary and key in _CALENDAR) \
                    or _ORG_WORD.fullmatch(w):
                break
            kind = "name"
        elif lenient and w.islower() and len(w) >= 2 and key not in _LOWER_STOP and not titled:
            kind = "lower"
        else:
            break
        if text[m.start() + len(w):m.start() + len(w) + 1] == ":" and words and (
                key.endswith("ed") or key in _PERSON_LABEL_HEADS):
            break   # 'D. Pryce Countersigned: TM': the next label, not a name
        words.append((m.start(), m.start() + len(w), kind))
        i = m.start() + len(w)
        g = _GAP.match(text, i)
        if not g or g.end() >= n or text[g.end()] in "\n\v" or len(g.group()) > 1 and g.group() != "\u00a0":
            break   # a line end, or a gap of two spaces or a tab: the next column, not the same name
        i = g.end()
    while words and words[-1][2] == "particle":
        words.pop()
    if not any(k in ("name", "lower") and e - s >= 2 for s, e, k in words):
        return None
    if sum(k == "lower" for _, _, k in words) and any(k == "name" for _, _, k in words):
        # 'Rose said' / 'Kwame will': keep the capitalised part only
        while words and words[-1][2] == "lower":
            words.pop()
    if len([k for _, _, k in words if k == "lower"]) > 2:
        return None
    end = words[-1][1]
    if not titled and _JOB_AFTER.match(text, end):
        return None   # 'Information Rights Officer', 'Environmental Health Officer': a role
    if len(words) == 1 and not titled and text[start:end].isupper() and len(text[start:end]) <= 4:
        return None   # 'CSC', 'ENF', 'RE': an acronym, or initials (found by the initials pass)
    if _PSEUDONYM.match(text[start:end]) or is_place_context(text, start, end):
        return None   # 'Mrs X' already; 'Irwin Mitchell LLP', 'Rose Wing', 'Hope Street'
    return Run(start, end)


def _runs_in_value(text: str, start: int, end: int, *, lenient: bool, ordinary: bool) -> Iterator[Run]:
    """Every name in a slot's value: 'KB, JT, DC Marcus King (CAIT), Gill Pemberton (school)'."""
    i = start
    if _ORG_IN_VALUE.search(text, start, end):
        return   # 'Hudson & Pike Solicitors', 'Irwin Mitchell LLP': a firm, not people
    while i < end:
        run = name_run(text, i, lenient=lenient, ordinary=ordinary)
        if run is not None and run.end > end and text[run.start:end].strip():
            # ran on into the next field of a form's line whose gap was lost: 'Jane Smith Logged by:'
            run = Run(run.start, run.start + len(text[run.start:end].rstrip()))
        if run is not None and run.end <= end:
            yield run
            i = run.end
        # a bracket after an item says who they are ('Jo Lund (Chair, Early Help)'): the commas
        # inside it do not separate people
        bracket = _BRACKET_AFTER.match(text, i, end)
        if bracket:
            i = bracket.end()
        # skip to the next item of the list
        nxt = _NEXT_ITEM.search(text, i, end)
        if not nxt:
            return
        i = nxt.end()


_ORG_IN_VALUE = regex.compile(r"(?:^|[ \t])(?:LLP|Ltd|Limited|plc|Solicitors|Associates|Partnership|& Co|Group|"
                              r"Homes|Housing|Council|Services|Trust|Agency|Chambers|Estates|Lettings)\b")


def _is_person_label(label: str) -> bool:
    words = regex.findall(r"[\p{L}'’-]+", rx(r"\(s\)|\(\w+\)$").sub("", label.lower()))
    return bool(words) and (words[-1] in _PERSON_LABEL_HEADS or words[-1].rstrip("s") in _PERSON_LABEL_HEADS)


def _label_slots(doc: SourceDocument) -> Iterator[Run]:
    """'Caller: Hope Mensah', 'Surveyor: C. MacLeod (CML)', 'To: Mason Delaney <...>', and a
    Word table's label cell followed by its value cell."""
    text = doc.text
    paras = doc.paragraphs
    wide = _wide_tables(paras)
    for k, p in enumerate(paras):
        found = list(_LABEL_LINE.finditer(p.text))
        # a form's line ('Job: SURV-24 Surveyor: C. MacLeod Date: …') whose gaps a scan or a PDF
        # lost: it starts with a label, and a later label is the capitalised words before a colon
        form_line = bool(found) and not p.text[:found[0].start()].strip()
        for i, m in enumerate(found):
            label = m.group("label").strip()
            vstart = p.start + m.end()
            # a label starts a line or follows a gap of two spaces or a tab: not 'He said: Kim'
            before = p.text[:m.start()]
            if before.strip() and not rx(r"(?:\s{2,}|\t|\||\v|[ \t][–-])[ \t]*$").search(before):
                label = _label_tail(label) if form_line else ""
                if not label:
                    continue
            cut = _next_label_at(p, found[i + 1]) if form_line and i + 1 < len(found) else p.end
            if not _is_person_label(label):
                if _names_a_role(label):
                    # 'Assistant Ombudsman review: G. Murphy': a role in the label; only a full
                    # name or initial and surname in the value counts
                    nxt = _VALUE_END.search(text, vstart, cut)
                    run = name_run(text, vstart, ordinary=False)
                    if run is not None and run.end <= (nxt.start() if nxt else cut) \
                            and len(text[run.start:run.end].split()) >= 2:
                        yield run
                continue
            strong = bool(_STRONG_LABELS.match(label))
            nxt = _VALUE_END.search(text, vstart, cut)
            vend = nxt.start() if nxt else cut
            one = _SURNAME_COMMA_FIRST.match(text, vstart, vend) if _ONE_NAME_LABEL.search(label) else None
            if one:   # 'Their name: Lacey-Brooks, Tyler (my son)': one person, surname first
                yield Run(*one.span("n"))
                continue
            # 'From: tom bellweather <tom.b@...>': the name an address is shown with, in any case
            lenient = strong or _lenient_label(label) or bool(_DISPLAY_NAME.match(text, vstart, vend))
            yield from _runs_in_value(text, vstart, vend, lenient=lenient, ordinary=True)
            ini = _INITIALS_VALUE.match(text, vstart, vend)
            if ini:   # 'Logged by: S.B.': a person known by initials
                yield Run(*ini.span("i"))
        # a table row or form: the label alone in one cell, the value in the next
        if p.part in ("table", "text", "body") and k + 1 < len(paras) and not _in_header_row(p, wide):
            label = p.text.strip().rstrip(":").strip()
            if 0 < len(label) <= 40 and ":" not in label and _is_person_label(label) \
                    and (p.part == "table" or p.text.rstrip().endswith(":")):
                q = paras[k + 1]
                if len(q.text) <= 80:
                    yield from _runs_in_value(text, q.start, q.end, lenient=bool(_STRONG_LABELS.match(label)),
                                              ordinary=True)


def _label_tail(label: str) -> str:
    """The label at the end of ``label`` when a lost gap joined it to the value before it: its last
    one to three words, the first capitalised ('… Service Point Logged by' → 'Logged by'), if they
    name a person's slot; else ''."""
    words = label.split()
    for n in (1, 2, 3):
        tail = words[-n:]
        if len(tail) < n:
            break
        if tail[0][:1].isupper() and _is_person_label(" ".join(tail)):
            return " ".join(tail)
    return ""


def _next_label_at(p: Paragraph, m: regex.Match) -> int:
    """Where the next label of a form's line begins, in the document: its person's slot ('… Logged
    by: S.B.') or else its last word, when that is capitalised ('S.B. Ref: …' ends the value 'S.B.'
    before 'Ref'); else the line's end."""
    label = m.group("label")
    tail = _label_tail(label.strip())
    last = regex.search(regex.escape(tail) + r"$", label) if tail else regex.search(r"\S+$", label)
    if last is None or not last.group()[:1].isupper():
        return p.end
    return p.start + m.start("label") + last.start()


def _wide_tables(paragraphs: Sequence[Paragraph]) -> set[int]:
    """The Word tables of three columns or more: their first row heads columns ('Date | Officer
    | Contact | Notes'), it does not pair a label with its value as a two-column form does."""
    return {p.cell[0] for p in paragraphs if p.cell is not None and p.cell[1] == 0 and p.cell[2] >= 2}


def _in_header_row(p: Paragraph, wide: set[int]) -> bool:
    return p.cell is not None and p.cell[1] == 0 and p.cell[0] in wide


_COLUMN_INITIALS = regex.compile(r"[ \t]*(?P<i>\p{Lu}[\p{Lu}\p{Ll}]{1,2}|\p{Lu}\.(?:[ \t]?\p{Lu}\.)+)[ \t]*$")


def _table_columns(doc: SourceDocument) -> Iterator[Run]:
    """A Word table's columns headed by a person label ('Officer', 'Contact', 'Client name',
    'Worker'): every cell below holds a person, as a name in any case or as initials ('GW',
    'RaG'), as in a pipe or CSV export (``_delimited_tables``)."""
    text = doc.text
    wide = _wide_tables(doc.paragraphs)
    if not wide:
        return
    heads: dict[tuple[int, int], bool] = {}
    for p in doc.paragraphs:
        # (a table of two columns is a form, labels down its first column: not a header row)
        if _in_header_row(p, wide):
            label = p.text.strip().rstrip(":").strip()
            if 0 < len(label) <= 30 and _is_person_label(label):
                heads[(p.cell[0], p.cell[2])] = bool(_STRONG_LABELS.match(label))
    if not heads:
        return
    for p in doc.paragraphs:
        if p.cell is None or p.cell[1] == 0 or (p.cell[0], p.cell[2]) not in heads or len(p.text) > 80:
            continue
        ini = _COLUMN_INITIALS.fullmatch(p.text)
        if ini and not (ini.group("i").isupper() and ini.group("i") in ACRONYMS):
            yield Run(p.start + ini.start("i"), p.start + ini.end("i"))
            continue
        yield from _runs_in_value(text, p.start, p.end, lenient=True, ordinary=True)


_VALUE_END = regex.compile(r"[ \t]{2,}|\t|\s\|\s|\v")
# A label for one person's name ('Name', 'Their name', "Child's full name"), not 'Names' or
# 'Name(s)': its value 'Lacey-Brooks, Tyler' or 'NOWAK, Tomasz' is one name, surname first,
# where under 'Names' or 'Attendees' the comma separates people.
_ONE_NAME_LABEL = regex.compile(r"(?i:\b(?:name|next[ \t]+of[ \t]+kin|emergency[ \t]+contact|contact|tenant|"
                                r"client|patient|applicant|caller|resident|claimant|complainant|child|pupil|"
                                r"service[ \t]+user))[ \t]*$")
# 'Lacey-Brooks, Tyler' or, in capitals first, 'OYELARAN Bisi', 'NOWAK Tomasz': a surname first
_SURNAME_COMMA_FIRST = regex.compile(
    r"[ \t]*(?P<n>\p{Lu}[\p{L}'’-]+,[ \t]*\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?"
    r"|\p{Lu}{2,}(?:[-'’]\p{Lu}+)*[ \t]+\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*)"
    r"(?=[ \t]*(?:$|\(|[\n\v]|[ \t]{2}|[ \t]+[–-][ \t]))", regex.M)
_INITIALS_VALUE = regex.compile(r"[ \t]*(?P<i>\p{Lu}\.[ \t]?\p{Lu}\.(?:[ \t]?\p{Lu}\.)?)"
                                r"(?=[ \t]*(?:$|[\n\v,;(]|[ \t]{2}))")


def _names_a_role(label: str) -> bool:
    words = rx(r"[\p{L}'’-]+").findall(label.lower())
    return len(words) >= 2 and any(w in _PERSON_LABEL_HEADS and w not in ("by", "to", "from", "name", "names")
                                   for w in words[:-1])


def _lenient_label(label: str) -> bool:
    return bool(rx(r"(?i:\b(?:signed|signature|typed|print|by)$)").search(label))


_STAMP = (r"(?:\[[^\]\n]{3,40}\]|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}[:.]\d{2}(?:\s*[ap]m)?\s*[-–]?"
          r"|\d{1,2}[:.]\d{2}(?:\s*[ap]m)?\s*[-–]?)")
_SPEAKER = regex.compile(rf"(?m:(?:^|(?<=\v))[ \t]*{_STAMP}[ \t]*(?=[^:\n]{{1,40}}:))")


def _speakers(doc: SourceDocument) -> Iterator[Run]:
    """Chat and transcript speakers: '[Thu 02/05/2024 08:12] Rose: hi', '12/03/2024, 19:02 - Leah:'."""
    for m in _SPEAKER.finditer(doc.text):
        run = name_run(doc.text, m.end(), lenient=True)
        if run is not None and rx(r"[ \t]*(?:\([^)\n]*\))?[ \t]*:").match(doc.text[run.end:run.end + 60]):
            yield run


_SIGN_OFF = regex.compile(
    r"(?im:(?:^|(?<=\v))[ \t]*(?:yours\s+(?:sincerely|faithfully|truly)"
    r"|(?:kind|best|warm|warmest|many)\s+(?:regards|wishes|thanks)"
    r"|regards|thanks(?:\s+again)?|thank\s+you|cheers|best|sincerely|with\s+thanks|speak\s+soon|take\s+care)"
    r"[ \t]*[,.!]?[ \t]*(?:[\n\v][ \t]*)*)")


def _sign_offs(doc: SourceDocument) -> Iterator[Run]:
    """The name under (or beside) 'Yours sincerely', 'Kind regards', 'thanks'."""
    text = doc.text
    for m in _SIGN_OFF.finditer(text):
        nl = _LINE_END.search(text, m.end())
        line_end = nl.start() if nl else len(text)
        run = name_run(text, m.end(), lenient=True)
        if run is None or run.end > line_end:
            continue
        rest = text[run.end:line_end]
        # the name ends its line, or is followed by a role, a bracket or a date
        if rx(r"[ \t]*(?:$|[,(–-]|\s{2,})").match(rest):
            yield run


_GREETING = regex.compile(r"(?im:(?:^|(?<=[.!?:]\s)|(?<=\v))[ \t]*(?:dear|hi|hello|hiya|hey|morning|good\s+morning|"
                          r"afternoon|good\s+afternoon|evening)[ \t]+)")


def _greetings(doc: SourceDocument) -> Iterator[Run]:
    """'Dear Mason,', 'hi kerry', 'Hi Rose, sorry ...'."""
    text = doc.text
    for m in _GREETING.finditer(text):
        run = name_run(text, m.end(), lenient=True, max_words=2)
        if run is not None and rx(r"[ \t]*(?:$|[,!.\n–-]|\s+(?:its|it's|this|just|thanks|sorry|i|we))",
                                  regex.I).match(text[run.end:run.end + 12]):
            yield run


# Heads of job titles: 'Autumn Rowe, SEN Case Officer', 'Lacey-Mae Gristwood, Registered Manager'.
_JOB_HEADS = (r"(?:Officer|Manager|Worker|Director|Assistant|Co-?ordinator|Lead|Clerk|Chair|Chairperson|Nurse|"
              r"Therapist|Surveyor|Assessor|Head|Adviser|Advisor|Caseworker|Case\s+Worker|Investigator|Ombudsman|"
              r"Practitioner|Consultant|Solicitor|GP|SENCo|SENCO|Inspector|Administrator|Coordinator|Partner|"
              r"Councillor|Teacher|Headteacher|Principal|Psychologist|Psychiatrist|Paediatrician|Visitor|Carer|"
              r"Secretary|Analyst|Specialist|Supervisor|Engineer|Technician|Controller|Executive|Auditor|Mediator|"
              r"President|Vice-President|Registrar|Rapporteur|Chairman|Chairwoman|Mayor|Governor|Headmaster|"
              r"Headmistress|Judge|Magistrate|Clerk\s+to\s+the\s+\p{Lu}\p{Ll}+|"
              r"Reviewer|Advocate|Representative|Interpreter|Paralegal|Caseholder|Member|MP|DSL|SW|FSW|OT|HV|IRO|RGN|RMN|"
              r"HCA|CPN|AMHP|SENCo)")
# two to four words of a name: 'Will Ashcroft', 'Pádraig Ó Briain', 'Gill M. Pemberton'
_NAME_WORDS = rf"{NAME_WORD}(?:[ \t\u00a0]+(?:(?:{PARTICLE})?{NAME_WORD}|\p{{Lu}}\.)){{1,3}}"
_NAME_THEN_JOB = regex.compile(
    rf"(?P<name>{_NAME_WORDS})"
    rf"(?:,[ \t]*|[ \t]+[–-][ \t]+|[ \t]*\([ \t]*)(?:the[ \t]+)?(?:[\p{{L}}&'’-]+[ \t]+){{0,4}}{_JOB_HEADS}\b")
_JOB_LEAD = regex.compile(r"[ \t]*(?:the[ \t]+)?(?:[\p{L}&'’-]+[ \t]+){0,4}")
_NAME_BEFORE_COMMA = regex.compile(
    rf"(?<![\p{{L}}])(?P<name>{_NAME_WORDS}),[ \t]*$")
# An attendee known by a first name, a dash and the job, a line of its own: 'Florin – interpreter
# (Romanian)', 'Bev - duty social worker'.
_FIRST_NAME_THEN_JOB = regex.compile(
    rf"(?m:^)[ \t]*(?P<name>{NAME_WORD})[ \t]+[–—-][ \t]+(?:the[ \t]+)?(?:[\p{{L}}&'’-]+[ \t]+){{0,3}}"
    rf"(?i:{_JOB_HEADS}|social[ \t]+worker|support[ \t]+worker)\b")
# A role right before a name: 'FSW Hope Green', 'night nurse Chukwuemeka', 'OT (Jasmine)',
# 'social worker (Tunde Bakare)', 'the nice Filipino nurse, Maricel'.
_ROLE_CUE = regex.compile(
    r"(?<![\p{L}])(?:(?-i:SW|FSW|OT|HV|IRO|CSW|TM|SENCO|SENCo|DSL|RGN|RMN|HCA|PA|CPN|ASW|AMHP)|(?i:social\s+worker|"
    r"support\s+worker|key\s+worker|care\s+worker|nurse|carer|surveyor|therapist|health\s+visitor|"
    r"officer|manager|co-?ordinator|caseworker|advocate|interpreter|paramedic|(?:duty|link|outreach|family|"
    r"case|allocated|lead)\s+worker))"
    r"(?:[ \t]*\([ \t]*|,[ \t]+|[ \t]+)(?=[‘'“\"]?\p{Lu})")   # (',Type': a CSV's next column, not a name)


_JOB_HEAD = regex.compile(rf"{_JOB_HEADS}\b")


def _lines_where(text: str, found: Iterator[int]) -> Iterator[tuple[int, int]]:
    """The lines (start, end) holding the positions ``found`` (ascending), each once.

    A pattern that cannot cross a line break (names and the words beside them are joined by
    spaces and tabs only) finds exactly the same matches line by line as in the whole text;
    searched only in the lines that hold its one required piece (a bracket, a job title), it
    skips the rest of a long document instead of trying every alternative at every letter."""
    end = -1
    for pos in found:
        if pos < end:
            continue
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        yield start, end


def _positions(text: str, char: str) -> Iterator[int]:
    i = text.find(char)
    while i != -1:
        yield i
        i = text.find(char, i + 1)


def _beside_roles(doc: SourceDocument) -> Iterator[Run]:
    text = doc.text
    matches = (m for a, b in _lines_where(text, (h.start() for h in _JOB_HEAD.finditer(text)))
               for m in _NAME_THEN_JOB.finditer(text, a, b))
    for m in matches:
        run = name_run(text, m.start("name"), ordinary=True)
        if run is not None and run.end - run.start >= len(m.group("name")) - 1 and \
                not TITLE_JUST_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            yield Run(m.start("name"), run.end)
    for h in _JOB_HEAD.finditer(text):
        # 'and with Will Ashcroft,⏎Repairs Manager.': the job at the start of the next line (a wrapped
        # sentence, or a signature's name line and job line)
        line_start = text.rfind("\n", 0, h.start()) + 1
        if line_start == 0 or not _JOB_LEAD.fullmatch(text, line_start, h.start()):
            continue
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        m = _NAME_BEFORE_COMMA.search(text, prev_start, line_start - 1)
        if m is None or TITLE_JUST_BEFORE.search(text, max(prev_start, m.start() - 8), m.start()):
            continue
        run = name_run(text, m.start("name"), ordinary=True)
        if run is not None and run.end - run.start >= len(m.group("name")) - 1:
            yield Run(m.start("name"), run.end)
    for m in _FIRST_NAME_THEN_JOB.finditer(text):
        word = m.group("name")
        if not _not_a_name(word, ORDINARY_WORD_NAMES) and not _ORG_WORD.fullmatch(word):
            yield Run(*m.span("name"))
    for m in _ROLE_CUE.finditer(text):
        run = name_run(text, m.end(), ordinary=False, max_words=3)
        if run is None:
            continue
        words = text[run.start:run.end].split()
        # one capitalised word after a role is a first name only if it is not an ordinary word
        if len(words) == 1 and _not_a_name(words[0]):
            continue
        yield run


# A name in brackets right after a person, a role or a kinship word: 'Mrs Jones (Sioned)',
# 'Chukwuemeka (‘Emeka’)', 'OT (Jasmine)', 'Legal (Priya S)', 'Mum (Jade)', 'me (Rose)'.
_BRACKETED = regex.compile(
    rf"(?:(?:{TITLE_RE})\.?[ \t]+{NAME_WORD}(?:[ \t]+{NAME_WORD})*|{NAME_WORD}[ \t]+{NAME_WORD}|"
    rf"{NAME_WORD}(?=[ \t]*\([ \t]*[‘'\"“])|"
    r"(?-i:SW|FSW|OT|HV|IRO|GP|DSL|SENCO|SENCo|Legal|Finance|Housing)|(?i:me|mum|mom|dad|nan|nanna|grandma|grandad|"
    r"husband|wife|partner|son|daughter|brother|sister|carer|worker|nurse|officer|manager|therapist|teacher|"
    r"visitor|advocate|surveyor|assessor|contractor|plumber|electrician|engineer|builder|landlord|landlady|agent|"
    r"inspector|caretaker|warden|cleaner|driver|interpreter|doctor|consultant|paramedic|tutor|mentor|"
    r"solicitor|neighbour|friend|lodger|tenant))"
    r"[ \t]*\([ \t]*(?P<q>[‘'\"“])?(?=\p{L})")


# A team in brackets after a job, not a person: 'Benefits Officer (Overpayments)', 'Social Worker
# (Safeguarding)', 'Manager (Lettings)'. Words of that shape end like abstract nouns, which no
# first name does ('Clement' and 'Clements' aside).
_DEPARTMENTS = frozenset("""overpayments benefits revenues lettings repairs housing adults children finance
    safeguarding complaints enforcement planning licensing highways waste parking education transport admissions
    allocations homelessness tenancy tenancies income rents arrears billing recovery fraud compliance customer
    customers operations reablement hospital community duty intake assessment reviews commissioning brokerage
    placements fostering adoption leaving care disability disabilities sen send inclusion attendance exclusions
    environmental regulatory legal governance""".split())
_ABSTRACT_NOUN = regex.compile(r"(?i)(?:ments?|tions?|sions?|ships?|isms?|ology|ances|ences|ities)$")


def _is_department(word: str) -> bool:
    key = fold(word)
    return key in _DEPARTMENTS or (bool(_ABSTRACT_NOUN.search(key)) and key not in ("clement", "clements"))


def _not_a_name(word: str, stop: frozenset[str] = NOT_NAME_WORDS) -> bool:
    """One capitalised word that a role or a bracket beside it does not make a first name: an
    ordinary word (``stop``), a language or a team."""
    key = fold(word)
    return key in stop or key in _LANGUAGES or _is_department(word)


def _bracketed(doc: SourceDocument) -> Iterator[Run]:
    text = doc.text
    for m in (m for a, b in _lines_where(text, _positions(text, "(")) for m in _BRACKETED.finditer(text, a, b)):
        if _ORG_IN_NAME.search(m.group().split("(")[0]):
            continue   # 'Regional Court (Sąd Okręgowy)', 'Family Hub (Brackley)': a body's name in another form
        run = name_run(text, m.end(), lenient=m.group().split("(")[0].strip().lower() == "me", max_words=3)
        if run is None:
            continue
        # the bracket closes, or goes on with who they work for: 'Contractor (Dean Marsh, Marsh Plumbing Ltd)'
        close = rx(r"[’'\"”]?[ \t]*(?:\)|,(?=[^()\n]*\)))").match(text[run.end:run.end + 80])
        words = text[run.start:run.end].split()
        if close and not (len(words) == 1 and _not_a_name(words[0])):
            yield run
            if m.group("q"):   # 'Obinna (‘Obi’) Eze': the surname after a nickname
                after = name_run(text, run.end + close.end(), ordinary=False, max_words=2)
                if after is not None and after.start == run.end + close.end() + 1:
                    yield after


# A name with who they are in brackets after it: 'Poppy (your daughter)', 'Reuben (my son)',
# 'Dawn (her mum)'. The bracket is the cue, so an ordinary word counts.
_KIN_AFTER = regex.compile(
    r"[ \t]*\([ \t]*(?:(?:your|my|her|his|their|our|the)[ \t]+)?(?:" + "|".join(sorted(
        set(CHILD_WORDS) | set(ADULT_KIN) | {"mum", "mom", "dad", "brother", "sister", "twin", "carer"},
        key=len, reverse=True)) + r")[ \t]*\)", regex.I)
_CAPITALISED = regex.compile(r"(?<![\p{L}\p{N}'’])\p{Lu}\p{Ll}+(?=[ \t]*\()")


def _kin_in_brackets(doc: SourceDocument) -> Iterator[Run]:
    text = doc.text
    for a, b in _lines_where(text, _positions(text, "(")):
        for m in _CAPITALISED.finditer(text, a, b):
            if _KIN_AFTER.match(text, m.end()):
                run = name_run(text, m.start(), ordinary=True, max_words=1)
                if run is not None and run.end == m.end() and fold(text[run.start:run.end]) not in NOT_NAME_WORDS:
                    yield run


# An e-mail's address lines written without a colon: 'cc Gurpreet Singh Dhillon (son)'.
_ADDRESSEES = regex.compile(r"(?m:(?:^|(?<=\v))[ \t]*(?i:cc|bcc)[ \t]+(?=\p{Lu}))")


def _addressees(doc: SourceDocument) -> Iterator[Run]:
    text = doc.text
    for m in _ADDRESSEES.finditer(text):
        end = _LINE_END.search(text, m.end())
        yield from _runs_in_value(text, m.end(), end.start() if end else len(text), lenient=False, ordinary=True)


def _delimited_tables(doc: SourceDocument) -> Iterator[Run]:
    """Columns of a pipe table or a CSV export whose header names a person: 'User',
    'Client name', 'Officer', 'Worker'."""
    text = doc.text
    lines = [(m.start(), m.group()) for m in rx(r"[^\n]+").finditer(text)]
    k = 0
    while k < len(lines):
        start, line = lines[k]
        sep = "|" if line.count("|") >= 2 else "," if line.count(",") >= 3 else None
        if sep is None:
            k += 1
            continue
        header = [c.strip().strip('"') for c in line.split(sep)]
        columns = [i for i, c in enumerate(header) if c and len(c) <= 30 and _is_person_label(c)]
        if not columns or rx(r"\d").search(line):
            # (a header has no figures: a data row whose header was passed, 'Agnieszka Kowalczyk |
            # Tenant | 0113 496 0123', would make 'Tenant' a header and the next rows' roles names)
            k += 1
            continue
        k += 1
        # a pipe table's row may lose its last cell (OCR misses a lone '1' in the last column)
        need = len(header) - 1 - (sep == ",") - (sep == "|" and len(header) > 2)
        while k < len(lines):
            if lines[k][1].count(sep) < need:
                # a long row wrapped onto lines of its own (a scan, a PDF, a hard-wrapped export):
                # the table goes on if a row comes back within a few lines
                more = next((j for j in range(k + 1, min(k + 4, len(lines)))
                             if lines[j][1].count(sep) >= need), None)
                if lines[k][1].count(sep) or more is None:
                    break
                k = more
            row_start, row = lines[k]
            cells, pos = [], 0
            for cell in _split_cells(row, sep):
                cells.append((row_start + pos, cell))
                pos += len(cell) + 1
            for i in columns:
                if i < len(cells):
                    cs, cell = cells[i]
                    run = name_run(text, cs, lenient=True, max_words=4)
                    if run is not None and run.end <= cs + len(cell):
                        yield run
            k += 1


def _split_cells(row: str, sep: str) -> list[str]:
    """Cells of one row, quoted commas kept inside their cell."""
    if sep != ",":
        return row.split(sep)
    cells, cur, quoted = [], "", False
    for ch in row:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            cells.append(cur)
            cur = ""
        else:
            cur += ch
    cells.append(cur)
    return cells


_ROLE_LINE = regex.compile(rf"(?i:\b(?:{_JOB_HEADS}|young\s+person|parent|mother|father|"
                           r"carer|pupil|student|child|chair|clerk|minutes|social\s+worker|attendee)\b)")


def _alone_on_line(doc: SourceDocument) -> Iterator[Run]:
    """A line or table cell holding only a name, with a role on the next one: an attendee
    table ('Hope Amadi | Young person'), a signature block ('Autumn Rowe⏎SEN Case Officer')."""
    paras = doc.paragraphs
    text = doc.text
    for k, p in enumerate(paras[:-1]):
        body = p.text.strip()
        if not body or len(body) > 50 or "\v" in body:
            continue
        start = p.start + p.text.index(body)
        run = name_run(text, start, ordinary=True, max_words=4)
        if run is None or run.end != start + len(body) or len(body.split()) < 2:
            continue
        nxt = paras[k + 1].text.strip()
        if nxt and len(nxt) <= 80 and _ROLE_LINE.search(nxt):
            yield run


# A capitalised word in mid-sentence that does what people do: 'sorry, Kwame will be there',
# 'morning B, Gosia will do the am call', 'Lovely Kwame came at half 7'.
_SUBJECT = regex.compile(
    rf"(?<=[\p{{Ll}},;][ \t]|[\p{{Ll}},;][ \t]*\n|^[ \t]*(?:\p{{Lu}}\p{{Ll}}+[ \t]))"   # (a wrapped line too)
    rf"(?<!\b(?:the|a|an|this|that|our|your|their|his|her|its|my|no|any|every|each)[ \t\n])"
    rf"(?P<name>{NAME_WORD})(?=(?:[ \t]+|[ \t]*\n[ \t]*)(?:will|would|came|come|comes|got|gets|was|is|has|"
    r"had|said|says|rang|rings|called|calls|did|does|can|could|should|arrived|left|visited|phoned|emailed|texted|"
    r"told|asked|went|sent|wants|wanted|needs|needed|thinks|thought|knows|knew|agreed|refused|cancelled)\b)", regex.M)


# Languages and nationalities are capitalised and do what people do in a sentence ('I understand
# English is not your first language', 'Polish was spoken at home'); they are only names after a
# title or in a name's slot, which other rules find.
_LANGUAGES = frozenset("""english welsh scottish irish british cornish polish romanian bulgarian lithuanian latvian
    slovak czech hungarian russian ukrainian albanian portuguese spanish italian french german dutch greek turkish
    kurdish arabic farsi persian dari pashto urdu punjabi hindi gujarati bengali bangla sylheti tamil telugu
    malayalam nepali chinese mandarin cantonese vietnamese thai tagalog somali amharic tigrinya swahili yoruba igbo
    hausa twi akan lingala shona zulu""".split())


def _subjects(doc: SourceDocument) -> Iterator[Run]:
    text = doc.text
    protected = lookalike_spans(text)
    units = None
    for m in _SUBJECT.finditer(text):
        word = m.group("name")
        key = fold(word)
        if key in NOT_NAME_WORDS or key in ORDINARY_WORD_NAMES or key in _LANGUAGES or word.isupper() \
                or _ORG_WORD.fullmatch(word) or any(a <= m.start() < b for a, b in protected):
            continue
        before = text.rfind("\n", max(0, m.start("name") - 3), m.start("name"))
        after = regex.match(r"[ \t]*\n", text[m.end("name"):m.end("name") + 4])
        breaks = [b for b in (before, m.end("name") + after.end() - 1 if after else -1) if b >= 0]
        if breaks:
            # across a line break only inside a wrapped sentence ('Pearl says⏎Del is'), not after a
            # heading ('My assessment⏎Parliament has provided')
            units = units if units is not None else [(s, s + len(u)) for u, s in analysis_units(doc)]
            if not all(any(a <= b < z for a, z in units) for b in breaks):
                continue
        yield Run(*m.span("name"))


def structural_names(doc: SourceDocument) -> list[tuple[int, int]]:
    """Spans of names found by their place in the document, in text order, deduplicated."""
    spans: set[tuple[int, int]] = set()
    for finder in (_label_slots, _speakers, _sign_offs, _greetings, _beside_roles, _bracketed, _kin_in_brackets,
                   _addressees, _delimited_tables, _table_columns, _alone_on_line, _subjects):
        for run in finder(doc):
            s, e = run.start, run.end
            while e > s and doc.text[e - 1] in ".,;:'’" and not rx(r"(?:^|[\s.])\p{Lu}\.$").search(doc.text[s:e]):
                e -= 1   # (the full stop of an initial, 'S.B.', stays)
            if e > s:
                spans.add((s, e))
    return sorted(spans)


def structural_detections(doc: SourceDocument):  # noqa: ANN201 - list[Detection], imported lazily
    from desk_app.core.entities import Detection

    return [Detection(s, e, doc.text[s:e], PERSON, 0.75, DETECTOR) for s, e in structural_names(doc)]
