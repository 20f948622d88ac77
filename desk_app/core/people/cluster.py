"""From name mentions to people: one person, however they are written.

"Mrs Cheryl Laffey", "Mrs Laffey’s", "Cheryl", "CHERYL LAFFEY" and "LAFFEY, Cheryl" are one
person; "Mr and Mrs Laffey" is two. Presidio has no notion of this (it keys on the exact
string), so clustering is ours: full names found anywhere in the case anchor a person, and
shorter forms (title + surname, first name alone, initials) attach to the anchor they fit.
Every form of a clustered person is then searched for in every document of the case, so a
name the model missed in one sentence is still replaced.

The module also infers what the house style needs: a title (explicit, or from kinship
words), whether the person is a child, whether they are staff named by role, and who the
complainant is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex
from nameparser import HumanName

from desk_app.core.entities import PERSON, Detection
from desk_app.core.names import (
    ADULT_KIN,
    CHILD_WORDS,
    FUNCTION_WORDS,
    KIN_GENDER,
    LOWER_TITLE_RE,
    NOT_NAME_WORDS,
    ORDINARY_WORD_NAMES,
    OTHER_TITLES,
    PARENT_KIN,
    RELATIVE_KIN,
    ROLE_ACRONYMS,
    ROLE_QUALIFIERS,
    ROLE_SEQUENCE,
    ROLE_TITLES,
    ROLES,
    SPOUSE_KIN,
    TITLE_GENDER,
    TITLE_JUST_BEFORE,
    TITLE_PREFIX,
    TITLE_RE,
    FormIndex,
    fold,
    initials_of,
    is_name_word,
    is_place_context,
    lookalike_spans,
    role_case,
    strip_accents,
)
from desk_app.core.people.variants import usernames_of
from desk_app.core.regexcache import rx

_ROLE_ACRONYM_AFTER = regex.compile(
    r"^[ \t]*\([ \t]*(?:\p{Ll}+[ \t]+){0,2}(?P<acr>" + "|".join(sorted(ROLE_ACRONYMS, key=len, reverse=True))
    + r")[ \t]*[),;]")
_TITLED_INITIAL = regex.compile(rf"(?<![\p{{L}}])(?P<title>{TITLE_RE})\.?[ \t]+(?P<letter>\p{{Lu}})\.?"
                                r"(?![\p{L}\p{N}'’-])")
_CAPS_SURNAME = regex.compile(r"\p{Lu}{2,}(?:[-'’]\p{Lu}+)*")
_TITLE_CASE = regex.compile(r"\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*")
_INITIAL_WORD = regex.compile(r"\p{Lu}\.?")
_TOWN = regex.compile(r"(?P<town>\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?)[ \t]*,?[ \t]+"
                      r"(?:(?i:[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})\b|\[postcode\])")
# 'the tip at Cheddleton', 'moved to Barry from Penarth', 'lives in Leek': one capitalised word
# after a place preposition, not followed by another capitalised word or a possessive
_PLACE_AFTER = regex.compile(
    r"(?:\b(?:at|in|near|outside|around|towards)|\b(?:moved|move|moving|relocated|lives|live|living|based|"
    r"born|grew\s+up)\s+(?:to|in|at|near))[ \t]+(?P<town>\p{Lu}\p{Ll}{2,})(?![\p{L}'’]|[ \t]+\p{Lu})")
# A title or initials just before a known name: 'Mr Laffey', 'J. Baptiste'.
_PREFIX = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:(?P<title>{TITLE_RE}|MRS|MISS|MR|MS|DR|{LOWER_TITLE_RE})\.?"
                        r"|(?P<ini>\p{Lu}\.(?:[ \t]?\p{Lu}\.)*|\p{Lu}))[ \t\u00a0]+$")


class _Found:
    """A ``FormIndex`` match dressed as the regex match the propagation used to read."""

    def __init__(self, text: str, fm) -> None:  # noqa: ANN001 - names.FormMatch
        self.text, self.fm = text, fm
        self._title = _PREFIX.search(fm.prefix).group("title") if fm.prefix else None

    def span(self) -> tuple[int, int]:
        return self.fm.start, self.fm.end

    def start(self, group: str) -> int:
        return self.fm.name_start

    def end(self, group: str) -> int:
        return self.fm.end

    def group(self, name: str) -> str | None:
        if name == "title":
            return self._title
        return self.text[self.fm.name_start:self.fm.end]


_INITIALS_ONLY = regex.compile(r"^(?:\p{Lu}\.?\s?){1,3}$")
_ROLE_ALT = "|".join(regex.escape(r) for r in sorted(ROLES, key=len, reverse=True))
_ROLE_BEFORE = regex.compile(rf"(?:(?i:\b(?P<det>the|a|an|her|his|their|its|the council['’]s|another)\s+)"
                             r"|^|(?<=[.:!?]\s)|(?<=[\n\v]))"
                             rf"(?P<role>{ROLE_QUALIFIERS}(?P<head>(?i:{_ROLE_ALT})))(?P<sep>,\s*|:\s*|\s+|\s+[–-]\s+)$")
# ('Kerry Brennan (KB), social worker': the role may follow the person's initials)
_ROLE_AFTER = regex.compile(rf"^(?:[ \t]*\(\p{{Lu}}{{2,4}}\))?(?P<sep>,\s*|\s+\(|\s+[–-]\s+)"
                            rf"(?i:(?P<det>the|a|an|her|his|their)\s+)?"
                            rf"(?P<role>{ROLE_QUALIFIERS}(?P<head>(?i:{_ROLE_ALT})))\b"
                            r"(?P<close>\)|,)?")
# 'The allocated social worker was Ms Holloway': the sentence names her role before its verb
# (rewrite.span_and_text then drops the name with the verb, not 'was the social worker')
_ROLE_WAS = regex.compile(rf"(?i:\b(?:the|her|his|their|the council['’]s)\s+)"
                          rf"(?P<role>{ROLE_QUALIFIERS}(?P<head>(?i:{_ROLE_ALT})))[ \t]+"
                          r"(?:was|is|became|had[ \t]+been)[ \t]+$")
_COMPLAIN_AFTER = regex.compile(
    r"^[’'s]*\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:(?:has|had|have|also|then|first|later|now|further|formally|"
    r"originally|initially|subsequently|and\s+(?:Mr|Mrs|Ms|Miss)\s+\w+)\s+){0,2}"
    r"(?:complain|made\s+(?:a|this|the)\s+complaint|brought\s+(?:a|this|the|her|his|their)\s+complaint)")
_COMPLAIN_BEFORE = regex.compile(
    r"(?i:complainant,?\s*(?:(?:who|whom)\s+I\s+(?:shall|will|have)?\s*(?:refer\s+to|call|called|describe)"
    r"(?:\s+here)?(?:\s+as)?\s*)?|on behalf of|represent(?:s|ing)?)\s*[‘'“\"]?$")
_CHILD_CUE = regex.compile(
    r"(?i:\b(?:" + "|".join(sorted(CHILD_WORDS)) + r")\b)(?:\s+\(\w+\))?,?\s*(?:called\s+|named\s+|[‘'“\"(])?$")
_ADULT_QUALIFIER = regex.compile(r"(?i:\badult\s+(?:son|daughter|child|children)\b)")
_ADULT_CUE = regex.compile(
    r"(?i:\b(?P<kin>" + "|".join(regex.escape(k) for k in sorted(ADULT_KIN, key=len, reverse=True))
    + r")\b),?\s*(?:called\s+|named\s+|[‘'“\"])?$")
# 'Ayaan Yusuf, daughter, 14', 'Zofia, is 10', 'Omar (son)': a child named before the cue
_UNDER_18 = (r"(?:(?:[1-9]|1[0-7])(?!\d)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
             r"thirteen|fourteen|fifteen|sixteen|seventeen)\b(?!\s*(?:years?\s+ago|weeks|months))")
_CHILD_AFTER = regex.compile(
    r"^[’'s]*\s*(?:,|\(|-|–|\t)\s*(?:\w+\s+)?(?:son|daughter|child|grandson|granddaughter)\b"
    rf"|^[’'s]*,?\s+(?:is|was|who\s+is)\s+{_UNDER_18}", regex.I)
_AGED = regex.compile(r"^[’'s]*\s*(?:\(|,\s*)(?:aged|age)\s+(?P<age>\d{1,2})\b")
# The kinship word beside a name, before it ('her adult son, Leo Hart') or after it ('Miss
# Lily Ash, her adult daughter', 'Tom Hart (son)'), with whose kin it says: it decides who
# shares the complainant's letter (``pseudonyms.assign``).
_KIN_ALT = "|".join(regex.escape(k) for k in sorted(SPOUSE_KIN | RELATIVE_KIN | set(ADULT_KIN), key=len, reverse=True))
_KIN_OWNER = (r"(?:\b(?P<det>her|his|their|my|our|the)[ \t]+)?(?:(?P<otitle>Mrs|Mr|Ms|Miss|Mx|Dr)[ \t]+)?"
              r"(?:(?P<owner>\p{L}+)['’]s?[ \t]+)?"
              r"(?:(?P<adult>adult|grown-up|grown[ \t]+up)[ \t]+|(?:eldest|elder|older|oldest|younger|youngest|late|"
              r"twin|only|step)[ \t]+)?")
_KIN_BEFORE = regex.compile(rf"(?i:{_KIN_OWNER}\b(?P<kin>{_KIN_ALT}))(?:\s+\(\w+\))?,?\s*"
                            r"(?:called\s+|named\s+|[‘'“\"(])?$")
_KIN_AFTER = regex.compile(rf"^[’'s]*[ \t]*(?:,|\(|[ \t]?[–-])[ \t]*(?i:{_KIN_OWNER}(?P<kin>{_KIN_ALT}))\b"
                           r"(?![’']|-|[ \t]+(?:of|to)\b)")


LGO_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
_LAY_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx")
LGO_TITLE = OTHER_TITLES   # 'Sir Alistair' is written 'Mr B'


_DATE_AFTER = regex.compile(r"[ \t]*(?:\d|,\s*\d)")
_DATE_BEFORE = regex.compile(r"(?i:\b(?:\d{1,2}(?:st|nd|rd|th)?|on|in|by|last|next|every|this|until|since|from|of|a|"
                             r"early|late|mid|each|that)[ \t]+)$")
# (one space: a wider gap is a form's next column, 'Run by: RTOLLEY  Run date:')
_NEXT_WORD = regex.compile(r"[ \u00a0](\p{Lu}[\p{L}'’-]*)")


@dataclass
class Mention:
    """One occurrence of a person's name in one document of the case."""

    doc: int
    start: int
    end: int
    text: str
    title: str | None          # title as written ("Mrs"; "Mr and Mrs" for couples)
    words: tuple[str, ...]     # the name without its title
    detector: str
    score: float
    person: int | None = None  # set by clustering; couples point at one of the pair
    couple: bool = False


@dataclass
class Person:
    """A person of the case, with everything the pseudonym rules need to know."""

    id: int
    first: str | None = None
    surname: str | None = None
    forms: set[str] = field(default_factory=set)      # surfaces without titles: "Cheryl Laffey"
    titles: Counter[str] = field(default_factory=Counter)
    gender: str | None = None
    child: bool | None = None
    role: str | None = None
    kin: str | None = None
    relative: str | None = None   # a kinship word saying they are a relative, not a partner ('son')
    complainant: bool = False
    locked: bool = False       # from a saved case mapping: the reviewer's flags win
    first_seen: tuple[int, int] = (1 << 30, 0)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def display(self) -> str:
        """The fullest form of the name, for reports and the review table."""
        return max(self.forms, key=lambda f: (len(f.split()), len(f))) if self.forms else "?"

    @property
    def title(self) -> str | None:
        """The person's title: the commonest one written, else one inferred from kinship."""
        written = [(n, LGO_TITLE.get(t, t)) for t, n in self.titles.items() if LGO_TITLE.get(t, t) in LGO_TITLES]
        if written:
            return max(written)[1]
        if self.child:
            return None
        if self.gender == "m":
            return "Mr"
        if self.gender == "f":
            return "Mrs" if self.kin in ("wife", "mother", "mum", "mam", "grandmother", "nan", "nana", "grandma",
                                         "stepmother", "ex-wife") else "Ms"
        return None

    @property
    def initials(self) -> set[str]:
        """Every real initial of the person, never to be their letter: the first letter of each
        word and, by ``initials_of``, of each part of a double-barrelled name (Jo Lacey-Brooks
        is J, L and B) and the capital inside 'MacLeod'."""
        firsts = {w[0].upper() for f in self.forms for w in f.split() if w[:1].isalpha()}
        # (a name in capitals is read in title case: 'LAFFEY' has one initial, not L and A)
        cased = (f.title() if any(w.isupper() and len(w) > 1 for w in f.split()) else f for f in self.forms)
        return firsts | {c for f in cased for i in initials_of(f) for c in i if c.isupper()}


# A lay title as notes type it, in lower case or capitals ('spoke to mrs Laffey', 'MRS LAFFEY'):
# the recognisers extend a name only over a title written 'Mrs', so these are taken here.
_ANY_CASE_TITLE = rf"(?:{LOWER_TITLE_RE}|MRS|MISS|MR|MS|MX|DR)"
_LOWER_TITLE_PREFIX = regex.compile(
    rf"^(?P<title>{_ANY_CASE_TITLE})\.?(?:\s+(?:and|AND|&)\s+(?P<title2>{_ANY_CASE_TITLE})\.?)?\s+")
_LOWER_TITLE_BEFORE = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?P<title>{_ANY_CASE_TITLE})\.?"
                                    rf"(?:[ \t]+(?:and|AND|&)[ \t]+(?P<title2>{_ANY_CASE_TITLE})\.?)?[ \t\u00a0]$")
# 'LAFFEY, Cheryl (Mrs)': a register's title in brackets after the name is the person's title,
# replaced with the name ('Mrs X', not 'Mrs X (Mrs)').
_TITLE_AFTER = regex.compile(r"^[ \t]*\([ \t]*(?P<title>(?i:mrs|miss|mr|ms|mx|dr))\.?[ \t]*\)")


def parse_mention(doc: int, text: str, d: Detection) -> Mention | None:
    """Split a person detection into title and name words; None if no name is left.

    A title the detection left out is taken in: a lower-case one just before it ('mrs
    Laffey') and a bracketed one just after it ('LAFFEY, Cheryl (Mrs)'), so that the
    replacement does not write the title twice ('mrs Mrs X')."""
    start, end = d.start, d.end
    surface = text[start:end]
    if not TITLE_PREFIX.match(surface) and not _LOWER_TITLE_PREFIX.match(surface):
        if (before := _LOWER_TITLE_BEFORE.search(text, max(0, start - 20), start)) is not None:
            start = before.start()
        elif (after := _TITLE_AFTER.match(text[end:end + 12])) is not None:
            end += after.end()
            surface = f"{after.group('title')} {surface}"   # (parsed as if written first)
    if start != d.start:
        surface = text[start:end]
    m = TITLE_PREFIX.match(surface) or _LOWER_TITLE_PREFIX.match(surface)
    title, couple = None, False
    body = surface
    if m:
        title = _norm_title(m.group("title"))
        if m.group("title2"):
            title = f"{title} and {_norm_title(m.group('title2'))}"
            couple = True
        body = surface[m.end():]
    words = tuple(w for w in body.split() if w)
    if not words:
        return None
    if len(words) >= 2 and _CAPS_SURNAME.fullmatch(words[0]) and all(_TITLE_CASE.fullmatch(w) for w in words[1:]):
        words = (*words[1:], words[0])   # 'OYELARAN Bisi', 'NOWAK Tomasz': the surname first, in capitals
    return Mention(doc, start, end, text[start:end], title, words, d.detector, d.score, couple=couple)


def _norm_title(t: str) -> str:
    t = t.rstrip(".")
    if t.islower():
        return t.capitalize()   # 'mrs' as typed in notes is 'Mrs'
    return t if not t.isupper() or t in ("PC", "DC", "DS", "DI", "DCI") else t.capitalize()


def split_name(words: Sequence[str]) -> tuple[str | None, str | None]:
    """(first, surname) of a name of two or more words, by nameparser, which knows that
    'van der Berg' and 'bin Rashid' are one surname."""
    if len(words) < 2:
        return None, None
    name = HumanName(" ".join(words))
    if not name.first or not name.last:
        return words[0], words[-1]
    return name.first, name.last


def _note_kin(p: Person, cue: regex.Match[str]) -> None:
    """What a kinship word beside a name says of ``p``: an adult's word ('his wife', 'her
    mother', 'her adult son') makes an adult with that gender, whose title follows from it;
    a relative's word ('son', 'sister', 'her father') rules out sharing the family's letter
    (``relative``), and once said is never overruled by a partner's word elsewhere.

    A parent's word makes a relative only as someone's own ('her father', 'Mrs Hart’s mother'):
    in case notes about a child, 'Tom Hart (father)', 'the children’s father' and 'Dad' are the
    child's parent, most often the complainant's partner."""
    kin = fold(cue.group("kin"))
    adult = kin in ADULT_KIN or kin in SPOUSE_KIN or bool(cue.group("adult"))
    if adult:
        p.kin = p.kin or kin
        if p.child is None:
            p.child = False
        if p.gender is None and kin in KIN_GENDER:
            p.gender = KIN_GENDER[kin]   # (not from 'sister' alone: 'her sister, E' may be a child)
    if kin in PARENT_KIN:
        det = (cue.group("det") or "").lower()
        if not ((det in ("her", "his", "my", "our") and not cue.group("owner"))
                or (cue.group("otitle") and cue.group("owner"))):
            return
    if kin in RELATIVE_KIN and p.relative is None:
        p.relative = kin


class PeopleIndex:
    """The people of one case, built from every document's person detections."""

    def __init__(self, texts: Sequence[str], scanned: Sequence[Sequence[tuple[int, int]]] = ()) -> None:
        self.texts = list(texts)
        # per document, the spans OCR read off a scanned page, where a known name may be misread
        self.scanned = [list(scanned[d]) if d < len(scanned) else [] for d in range(len(self.texts))]
        self.people: list[Person] = []
        self.mentions: list[Mention] = []
        self._lower_words: set[str] | None = None
        self._named_lower: set[str] = set()
        self._towns: set[str] | None = None

    # ------------------------------------------------------------------ building
    def add_detections(self, doc: int, detections: Sequence[Detection]) -> None:
        text = self.texts[doc]
        for d in detections:
            if d.entity != PERSON:
                continue
            m = parse_mention(doc, text, d)
            if m is not None:
                self.mentions.append(m)   # (judged in ``cluster``, once every document is in)

    def _plausible(self, m: Mention) -> bool:
        """A one-word detection without a title that the case also uses as an ordinary
        lower-case word is not a name ('Key', 'Protection'); nor is a longer one all of
        whose words are ('Arrangement Order'). 'Daniel Young' stays a name however often
        'young' appears. Titled mentions are trusted."""
        if m.title:
            return True
        if "Structure" in m.detector or "Kinship" in m.detector:
            return True   # a name slot or a kinship cue says it is a name, whatever the word
        if all(fold(w) in self.towns for w in m.words):
            return False  # 'Calderwick CW1 2AB', 'moved to Barry': a town somewhere in the case
        lowered = self.lower_words - self._named_lower
        return not all(fold(w) in lowered for w in m.words)

    @property
    def towns(self) -> set[str]:
        """Words the case writes just before a postcode: the town of an address."""
        if self._towns is None:
            found: set[str] = set()
            for t in self.texts:
                for m in _TOWN.finditer(t):
                    found.update(fold(w) for w in m.group("town").split())
                for m in _PLACE_AFTER.finditer(t):
                    found.add(fold(m.group("town")))
            self._towns = found
        return self._towns

    @property
    def lower_words(self) -> set[str]:
        if self._lower_words is None:
            words: set[str] = set()
            for t in self.texts:
                for w in rx(r"(?<![.!?]\s|^|\n)\b\p{Ll}[\p{L}'’-]*").finditer(t):
                    words.add(fold(w.group()))
            self._lower_words = words
        return self._lower_words

    def cluster(self) -> list[Person]:
        """Group mentions into people, in named passes, each taking the mentions the ones
        before it left: the mapping's forms, full names, titled surnames, couples, single words."""
        # a word the case also writes in lower case is a word, not a name ('Key', 'Protection'),
        # unless a name slot found it in lower case as a name ('Contact: femi', 'hi kerry')
        self._named_lower = {fold(w) for m in self.mentions if m.text.islower() and "Structure" in m.detector
                             for w in m.words}
        self.mentions = [m for m in self.mentions if self._plausible(m)]
        self.mentions.sort(key=lambda m: (m.doc, m.start))
        self._mapped_forms()
        self._full_names()
        for p in self.people:
            self._infer(p)   # who is a child must be known before titles attach below
        self._titled_surnames()
        self._couples()
        self._single_words()
        for p in self.people:
            self._infer(p)
        return self.people

    def _new_person(self) -> Person:
        p = Person(id=len(self.people))
        self.people.append(p)
        return p

    def _mapped_forms(self) -> None:
        """A name the case mapping gives one person is theirs (a reviewer merged 'Dan' in)."""
        owners: dict[str, list[Person]] = {}
        for p in self.people:
            if p.locked:
                for form in p.forms:
                    owners.setdefault(fold(form), []).append(p)
        for m in self.mentions:
            gender = TITLE_GENDER.get(m.title.lower()) if m.title and not m.couple else None
            found = [p for p in owners.get(fold(" ".join(m.words)), [])
                     if (gender is None or p.gender in (None, gender)) and not (p.child and m.title in LGO_TITLES)]
            if not m.couple and len(found) == 1:
                self._attach(found[0], m)

    def _full_names(self) -> None:
        """Full names anchor people: 'Mrs Cheryl Laffey', 'Cheryl Laffey', 'LAFFEY, Cheryl'."""
        by_full: dict[tuple[str, str], Person] = {
            (fold(p.first), fold(p.surname)): p for p in self.people if p.first and p.surname}
        for m in self.mentions:
            if m.person is not None:
                continue
            if m.couple or _INITIALS_ONLY.match(" ".join(m.words)):
                continue
            first, surname = split_name(m.words)
            if first is None or len(first.rstrip(".")) < 2 or _INITIAL_WORD.fullmatch(m.words[-1]):
                continue   # ('Bisi O.': a first name and an initial, judged with the single words)
            key = (fold(first), fold(surname))
            person = by_full.get(key) or self._by_words(m.words, m.title, tail=True) \
                or self._surname_only(surname, m.title)
            if person is None:
                person = self._new_person()
                person.surname = surname
            if person.first is None:
                person.first = first   # 'Mrs Laffey' (known) turns out to be 'Mrs Cheryl Laffey'
            by_full.setdefault(key, person)
            self._attach(person, m)
        for p in self.people:
            self._infer(p)   # who is a child must be known before titles attach below

    def _titled_surnames(self) -> None:
        """Title + surname (or initials) attach to a compatible person of that surname."""
        for m in self.mentions:
            if m.person is not None or m.couple or not m.title or len(m.words) != 1:
                continue
            word = m.words[0]
            gender = TITLE_GENDER.get(m.title.lower())
            if _INITIALS_ONLY.match(word) and (owner := self._by_initials(word, gender)) is not None:
                self._attach(owner, m)   # 'Mr S.L.' is Mr Shaun Laffey
                continue
            cands = [p for p in self.people if p.surname and fold(p.surname) == fold(word)
                     and (gender is None or p.gender in (None, gender))
                     and not (p.child and m.title in LGO_TITLES)]   # 'Mr Laffey' is not his son Ben
            same_title = [p for p in cands if m.title in p.titles]
            pick = same_title[0] if same_title else (cands[0] if len(cands) == 1 else None)
            if pick is None:
                pick = next((p for p in self.people if p.first is None and p.surname
                             and fold(p.surname) == fold(word) and m.title in p.titles), None)
            if pick is None and not cands:
                # 'Mrs Nguyễn' after 'Mrs Nguyễn Thị Lan', 'Mr Wang' after 'Mr Wang Jian':
                # a word of one person's full name, in whatever order the name is written
                pick = self._by_words(m.words, m.title, tail=False)
            if pick is None:
                pick = self._new_person()
                pick.surname = word
            self._attach(pick, m)

    def _couples(self) -> None:
        """Couples ('Mr and Mrs Laffey'): make sure each partner exists, then point the mention at the first."""
        for m in self.mentions:
            if not m.couple:
                continue
            surname = " ".join(m.words)
            partners = []
            for t in m.title.split(" and "):
                p = next((p for p in self.people if p.surname and fold(p.surname) == fold(surname)
                          and t in p.titles), None)
                if p is None:
                    p = self._new_person()
                    p.surname = surname
                    p.titles[t] += 1
                    p.gender = TITLE_GENDER.get(t.lower())
                    p.first_seen = min(p.first_seen, (m.doc, m.start))
                partners.append(p)
            m.person = partners[0].id
            for p in partners:
                p.forms.add(surname)
                p.first_seen = min(p.first_seen, (m.doc, m.start))
            partners[0].mentions.append(m)

    def _single_words(self) -> None:
        """Single words without a title: a first name, else a surname, else someone new."""
        for m in self.mentions:
            if m.person is not None:
                continue
            word = " ".join(m.words)
            key = fold(word)
            by_first = [p for p in self.people if p.first and fold(p.first) == key]
            by_surname = [p for p in self.people if p.surname and fold(p.surname) == key]
            by_form = [p for p in self.people if key in {fold(f) for f in p.forms}]
            by_initials = [x for x in [self._by_initials(word, None)] if x and _INITIALS_ONLY.match(word)]
            by_login = [p for p in self.people if " " not in word and p.first and p.surname
                        and word.lower() in usernames_of(p.first, p.surname)]   # 'kbrennan' is Kerry Brennan
            by_initial = self._by_initial_and_surname(m.words)   # 'M. Okafor-Lund' is Marguerite Okafor-Lund
            pick = (by_form or by_first or by_surname or by_initials or by_login or by_initial or [None])[0]
            if pick is None:
                pick = self._new_person()
                if len(m.words) >= 2:
                    pick.first, pick.surname = split_name(m.words)
                else:
                    pick.first = word
            self._attach(pick, m)

    def _by_initial_and_surname(self, words: Sequence[str]) -> list[Person]:
        """The one person whose surname is ``words[-1]`` and whose first name starts with the
        initial(s) before it ('M. Okafor-Lund', 'J Smith'); none if no one or several fit."""
        if len(words) == 2 and _INITIAL_WORD.fullmatch(words[1]) and not _INITIAL_WORD.fullmatch(words[0]):
            first, initial = fold(words[0]), words[1][0]   # 'Bisi O.': the first name, the surname's initial
            found = [p for p in self.people if p.first and p.surname and fold(p.first) == first
                     and p.surname[:1].upper() == initial]
            return found if len(found) == 1 else []
        if len(words) < 2 or not all(_INITIAL_WORD.fullmatch(w) for w in words[:-1]):
            return []
        initial, surname = words[0][0], fold(words[-1])
        found = [p for p in self.people if p.first and p.surname and fold(p.surname) == surname
                 and p.first[0] == initial]
        return found if len(found) == 1 else []

    def _surname_only(self, surname: str, title: str | None) -> Person | None:
        """The one person known so far only by title and this surname ('Mrs Laffey')."""
        gender = TITLE_GENDER.get(title.lower()) if title else None
        found = [p for p in self.people if p.first is None and p.surname and fold(p.surname) == fold(surname)
                 and (gender is None or p.gender in (None, gender)) and (title is None or not p.titles
                                                                         or title in p.titles)]
        return found[0] if len(found) == 1 else None

    def _by_words(self, words: Sequence[str], title: str | None, tail: bool) -> Person | None:
        """The one person of compatible title with a name form ending in ``words`` (tail),
        or containing the single word ``words[0]``; None if no one or several fit."""
        key = [fold(w) for w in words]
        gender = TITLE_GENDER.get(title.lower()) if title else None
        found = []
        for p in self.people:
            if (gender is not None and p.gender not in (None, gender)) or (p.child and title in LGO_TITLES):
                continue
            for form in p.forms:
                f = [fold(w) for w in form.split()]
                if len(f) > len(key) and (f[-len(key):] == key if tail else key[0] in f and len(key) == 1):
                    found.append(p)
                    break
        return found[0] if len(found) == 1 else None

    def _by_initials(self, initials: str, gender: str | None) -> Person | None:
        """The one person whose first name and surname start with these initials."""
        letters = "".join(c for c in initials if c.isalpha()).upper()
        found = [p for p in self.people if p.first and p.surname and (gender is None or p.gender in (None, gender))
                 and (p.first[0] + p.surname[0]).upper() == letters]
        return found[0] if len(found) == 1 else None

    def _attach(self, person: Person, m: Mention) -> None:
        m.person = person.id
        person.mentions.append(m)
        person.forms.add(" ".join(m.words))
        if m.title and not m.couple:
            person.titles[m.title] += 1
            person.gender = person.gender or TITLE_GENDER.get(m.title.lower())
        person.first_seen = min(person.first_seen, (m.doc, m.start))

    # ----------------------------------------------------------------- inference
    def _infer(self, p: Person) -> None:
        """Child or adult, gender, role, from titles and the words around each mention."""
        if p.locked:
            return
        for m in p.mentions:
            text = self.texts[m.doc]
            before = text[max(0, m.start - 60):m.start]
            after = text[m.end:m.end + 40]
            if _CHILD_CUE.search(before):
                # 'her adult daughter, Halima' is an adult: a title, not a bare letter
                adult = bool(_ADULT_QUALIFIER.search(before[-40:]))
                if adult:
                    p.child = False
                elif p.child is None:
                    p.child = True
                word = regex.search(r"(\w+)\W*$", rx(r"(?:called|named)\s*$").sub("", before.rstrip(" ,‘'“\"(")))
                if word and fold(word.group(1)) in KIN_GENDER and p.gender is None:
                    p.gender = KIN_GENDER[fold(word.group(1))]
            elif (a := _ADULT_CUE.search(before)) is not None:
                kin = fold(a.group("kin"))
                p.child = False
                p.gender = p.gender or KIN_GENDER.get(kin)
            for cue in (_KIN_BEFORE.search(before), _KIN_AFTER.match(after)):
                if cue is not None:
                    _note_kin(p, cue)
            if _CHILD_AFTER.match(after):
                p.child = True if p.child is None else p.child
            if (aged := _AGED.match(after)) is not None:
                p.child = int(aged.group("age")) < 18
            if rx(r"(?:^|\W)Child\s+$").search(before):
                p.child = True
            acronym = _ROLE_ACRONYM_AFTER.match(after)
            if acronym and not m.couple and p.role is None and not p.child:
                p.role = ROLE_ACRONYMS[acronym.group("acr")]
            role = _ROLE_BEFORE.search(before) or _ROLE_AFTER.match(after) or (
                None if rx(r"^[’']s?\b").match(after) else _ROLE_WAS.search(before))   # ('... was Ms Ash’s son')
            if role and not m.couple and p.role is None:
                phrase = role.group("role")
                if rx(r"(?:^|\s)\p{Ll}").search(phrase[:-len(role.group("head"))]):
                    phrase = role.group("head")  # 'allocated social worker' is a social worker
                # 'New social worker Tom Ash', 'Previous Social Worker': a count, not the role's name
                phrase = rx(rf"^(?:{ROLE_SEQUENCE}[ \t\u00a0]+)+").sub("", phrase)
                p.role = role_case(phrase)
        for t in p.titles:
            if t.lower() in ROLE_TITLES and p.role is None:
                p.role = ROLE_TITLES[t.lower()]   # 'Cllr Zielinski' is 'the councillor'
        if p.gender is None and p.child is False:
            p.gender = self._pronoun_gender(p)
        if p.titles:
            p.child = "Master" in p.titles and len(p.titles) == 1
        if p.role:
            p.child = False

    def _pronoun_gender(self, p: Person) -> str | None:
        """'her partner, Sam Okoro, ... he said': the pronouns in the sentence after a mention."""
        he = she = 0
        for m in p.mentions:
            window = rx(r"[.!?]\s").split(self.texts[m.doc][m.end:m.end + 160], maxsplit=1)[0]
            he += len(rx(r"\b(?:he|his|him|himself)\b", regex.I).findall(window))
            she += len(rx(r"\b(?:she|her|hers|herself)\b", regex.I).findall(window))
        if he > she:
            return "m"
        if she > he:
            return "f"
        return None

    def find_complainant(self, name: str | None = None) -> Person | None:
        """The person who complains: the given name if any, else the first person a
        sentence says complained ("Mrs Laffey complains ..."), else the first titled adult."""
        if name:
            key = fold(name)
            stripped = fold(TITLE_PREFIX.sub("", name))
            for p in self.people:
                forms = {fold(f) for f in p.forms}
                if key in forms or stripped in forms or stripped == fold(p.display):
                    return self._mark(p)
            return None
        candidates = []
        for m in sorted(self.mentions, key=lambda m: (m.doc, m.start)):
            if m.person is None:
                continue
            text = self.texts[m.doc]
            if _COMPLAIN_AFTER.match(text[m.end:m.end + 80]) or _COMPLAIN_BEFORE.search(
                    text[max(0, m.start - 80):m.start]):
                candidates.append(self.people[m.person])
        adults = [p for p in candidates if not p.child]
        if adults:
            return self._mark(adults[0])   # 'Mrs Laffey, a nurse, complains': the complainant, not staff
        # a lay title before a professional one: the doctor who signs a letter about Mr X, and
        # whose initials head its reference line, is not the one who complains
        titled = sorted((p for p in self.people if p.titles and not p.role and not p.child),
                        key=lambda p: (not any(t in _LAY_TITLES for t in p.titles), p.first_seen))
        return self._mark(titled[0]) if titled else None

    def _mark(self, p: Person) -> Person:
        """Make ``p`` the complainant: an adult (never a child without evidence of it, which a
        complaint in their own name is not), not staff, and with a title. With none written,
        the pronouns after the mentions give one ('Jane Hart complains about her housing' is
        Ms X, conventions 7.4); ``_infer`` read them only for people already known to be adults."""
        p.complainant = True
        p.child = False
        p.role = None
        if not p.locked and not p.titles and p.gender is None:
            p.gender = self._pronoun_gender(p)
        return p

    # --------------------------------------------------------------- propagation
    def _forget(self, m: Mention) -> None:
        self.mentions.remove(m)
        if m.person is not None and m in self.people[m.person].mentions:
            self.people[m.person].mentions.remove(m)

    def propagate(self, taken: Sequence[Sequence[tuple[int, int]]]) -> list[Mention]:
        """Mentions of known name forms that no detector found, in every document.

        ``taken[doc]`` lists spans already covered by a detection. Forms are matched whole
        word, as written (Title case) or in capitals, with an optional title before them.
        """
        forms: dict[str, Person] = {}
        for p in self.people:
            parts = {p.first, p.surname} if p.first and p.surname else set()
            for f in p.forms | {x for x in parts if x and len(x) > 1 and "." not in x}:
                if _INITIALS_ONLY.match(f) and "." not in f:
                    continue
                if f.islower() and any(fold(w) in ORDINARY_WORD_NAMES for w in f.split()):
                    continue   # 'hi dawn' made Dawn a form; 'at dawn' is still the word (variants judge cues)
                title_case = f.title() if f.isupper() and len(f) > 3 else f   # 'FRANK' is also 'Frank'
                for variant in (f, f.upper(), title_case, strip_accents(f), strip_accents(f).upper()):
                    forms.setdefault(variant, p)   # 'Stefania' for 'Ștefania', 'Lukasz' for 'Łukasz'
        if not forms:
            return []
        folded_forms: dict[str, Person] = {}
        for f, p in forms.items():
            folded_forms.setdefault(fold(f), p)

        def owner_of(word: str) -> Person:
            return forms.get(word) or folded_forms[fold(" ".join(word.split()))]

        # accent-blind: 'Wojcik' finds 'Wójcik', 'Nguyen' finds 'Nguyễn'; case as written or capitals
        index = FormIndex(forms)
        found = []
        for doc, text in enumerate(self.texts):
            spans = sorted(taken[doc]) if doc < len(taken) else []
            protected = lookalike_spans(text)   # 'Easter Sunday', 'Travis Perkins', 'R (McDonald) v ...'
            by_span = {(m.start, m.end): m for m in self.mentions if m.doc == doc}
            for fm in index.finditer(text, _PREFIX):
                m = _Found(text, fm)
                if fm.prefix and "." not in fm.prefix and not m.group("title"):
                    # 'K Osei' is Kwame Osei's initial; 'A Laffey family' starts a sentence
                    owner = owner_of(m.group("name"))
                    if not (owner.first and fm.prefix.strip()[:1] == owner.first[:1].upper()):
                        fm.start = fm.name_start
                s, e = m.span()
                if any(a < e and s < b for a, b in protected):
                    continue
                if not m.group("title") and is_place_context(text, s, e):
                    continue   # a surname that is also a place or a body: 'Preston City Council', 'St Teilo's'
                if not m.group("title") and " " not in m.group("name") and (
                        nxt := _NEXT_WORD.match(text, e)) and fold(nxt.group(1)) not in FUNCTION_WORDS \
                        and fold(nxt.group(1)) not in folded_forms:
                    owner = owner_of(m.group("name"))
                    surname = nxt.group(1).rstrip("’'").removesuffix("’s").removesuffix("'s")
                    acronym = surname.isupper() and len(surname) <= 4
                    if owner.first and fold(owner.first) == fold(m.group("name")) and not acronym \
                            and is_name_word(surname) and not is_place_context(text, e, e):
                        # 'Kajus Tawkeel': the known first name with a surname the model missed
                        e = nxt.start(1) + len(surname)
                        owner.forms.add(f"{text[m.start('name'):m.end('name')]} {surname}")
                    elif fold(m.group("name")) in ORDINARY_WORD_NAMES and not acronym:
                        continue   # 'Green Belt', 'Hope Street': an ordinary word in another proper name
                    # else still the name: 'Baptiste RGN', 'Pádraig Ó Briain' (the scan judges alike)
                if not m.group("title") and fold(m.group("name")) in NOT_NAME_WORDS and (
                        _DATE_AFTER.match(text, e) or _DATE_BEFORE.search(text, max(0, s - 12), s)):
                    continue   # 'Sunday said' is Mrs Sunday Chaudhry; 'in May 2023' is a month
                overlapping = [(a, b) for a, b in spans if a < e and s < b]
                if overlapping:
                    # a longer known form may swallow shorter person detections inside it
                    # ('Iwan' found by spaCy inside 'Iwan Yılmaz'), nothing else
                    inside = [by_span.get(span) for span in overlapping]
                    if not all(x is not None and s <= x.start and x.end <= e and (x.end - x.start) < e - s
                               for x in inside):
                        continue
                    for x in inside:
                        self._forget(x)
                person = owner_of(m.group("name"))
                title = _norm_title(m.group("title")) if m.group("title") else None
                words = tuple(text[m.start("name"):e].split())
                if title is None and (bracket := _TITLE_AFTER.match(text[e:e + 12])) is not None:
                    title, e = _norm_title(bracket.group("title")), e + bracket.end()   # 'LAFFEY, Cheryl (Mrs)'
                mention = Mention(doc, s, e, text[s:e], title, words, "case-propagation", 0.7,
                                  person=person.id)
                if title and person.surname and fold(person.surname) == fold(m.group("name")):
                    # 'Mr Laffey' where the form is a surname shared by a family
                    gender = TITLE_GENDER.get(title.lower())
                    same = [q for q in self.people if q.surname and fold(q.surname) == fold(person.surname)
                            and (title in q.titles or (gender and q.gender == gender))]
                    if same:
                        person = same[0]
                        mention.person = person.id
                person.mentions.append(mention)
                found.append(mention)
        self.mentions.extend(found)
        found.extend(self._titled_initials(taken, found))
        found.extend(self._propagate_variants(taken, found))
        return found

    def _titled_initials(self, taken: Sequence[Sequence[tuple[int, int]]], found: Sequence[Mention]) -> list[Mention]:
        """'Mrs O happy', 'Mr B. said': a title and one capital in raw notes is a real initial
        (the LGO never keeps one). It is the person whose surname starts with it and whose title
        fits, when exactly one does; a letter no known surname starts with is left (it may be a
        pseudonym already, in text that is anonymised)."""
        out: list[Mention] = []
        for doc, text in enumerate(self.texts):
            spans = [*(taken[doc] if doc < len(taken) else ()), *((m.start, m.end) for m in found if m.doc == doc)]
            for m in _TITLED_INITIAL.finditer(text):
                s, e = m.span()
                if any(a < e and s < b for a, b in spans):
                    continue
                title = _norm_title(m.group("title"))
                gender = TITLE_GENDER.get(title.lower())
                fits = [p for p in self.people if p.surname and p.surname[:1].upper() == m.group("letter")
                        and not p.child and (title in p.titles or (not p.titles and gender and p.gender == gender))]
                if len(fits) != 1:
                    continue
                mention = Mention(doc, s, e, text[s:e], title, (m.group("letter"),), "case-initial", 0.6,
                                  person=fits[0].id)
                fits[0].mentions.append(mention)
                out.append(mention)
        self.mentions.extend(out)
        return out

    def _propagate_variants(self, taken: Sequence[Sequence[tuple[int, int]]], found: Sequence[Mention]
                            ) -> list[Mention]:
        """Initials, usernames and lower-case forms of the case's people (``variants``)."""
        from desk_app.core.people.variants import find_variants

        spans = [list(taken[d]) if d < len(taken) else [] for d in range(len(self.texts))]
        for m in found:
            spans[m.doc].append((m.start, m.end))
        for m in self.mentions:
            spans[m.doc].append((m.start, m.end))
        out: list[Mention] = []
        new_people: dict[str, Person] = {}
        for doc, s, e, kind, person in find_variants(self.texts, [p for p in self.people if p.mentions or p.locked],
                                                     spans):
            word = self.texts[doc][s:e]
            if person is None:
                person = new_people.get(word) or self._owner_of_initials(word)
                if person is None:
                    person = Person(id=len(self.people), first=word)
                    person.forms.add(word)
                    self.people.append(person)
                new_people[word] = person
            title = None
            if kind != "initials" and (before := _LOWER_TITLE_BEFORE.search(self.texts[doc], max(0, s - 20), s)):
                key = "title2" if before.group("title2") else "title"   # (one of a couple: the title next to it)
                s, title = before.start(key), _norm_title(before.group(key))   # 'mrs laffey' in lower-case notes
            mention = Mention(doc, s, e, self.texts[doc][s:e], title, (word,), f"case-{kind}", 0.6, person=person.id)
            person.mentions.append(mention)
            person.first_seen = min(person.first_seen, (doc, s))
            if kind == "initials" or kind == "username":
                person.forms.add(word)
            out.append(mention)
        self.mentions.extend(out)
        for p in new_people.values():
            self._infer(p)
        out += self._propagate_misread(spans, out)
        return out

    def _propagate_misread(self, spans: list[list[tuple[int, int]]], found: Sequence[Mention]) -> list[Mention]:
        """Known name words that OCR misread on scanned pages (``variants.find_misread``)."""
        from desk_app.core.people.variants import find_misread

        for m in found:
            spans[m.doc].append((m.start, m.end))
        out: list[Mention] = []
        for doc, s, e, kind, person in find_misread(self.texts, [p for p in self.people if p.mentions or p.locked],
                                                    spans, self.scanned):
            word = self.texts[doc][s:e]
            title = None
            if before := TITLE_JUST_BEFORE.search(self.texts[doc], max(0, s - 20), s):   # 'Mr' + misread 'McAlister'
                s, title = before.start(), _norm_title(before.group().strip(" .\t"))
            mention = Mention(doc, s, e, self.texts[doc][s:e], title, (word,), f"case-{kind}", 0.5, person=person.id)
            person.mentions.append(mention)
            out.append(mention)
        self.mentions.extend(out)
        return out

    def _owner_of_initials(self, initials: str) -> Person | None:
        """The one person known only by a username that these initials abbreviate ('KB' is
        'kbrennan'), if there is exactly one."""
        letters = initials.replace("-", "")
        found = [p for p in self.people if any(
            f.islower() and " " not in f and f[0] == letters[0].lower() and letters[-1].lower() in f[1:2]
            for f in p.forms)]
        return found[0] if len(found) == 1 else None

