"""What a personal name looks like in UK case notes, as patterns and word lists.

Shared by the recognisers (which find names) and by the people module (which takes them
apart), so that "is this a name token" has one answer everywhere.
"""

from __future__ import annotations

import functools
import unicodedata

import regex

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Master")
TITLE_GENDER = {"mr": "m", "master": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": None, "dr": None,
                "sir": "m", "lord": "m", "dame": "f", "lady": "f", "prof": None, "professor": None,
                "rev": None, "revd": None}
# Honorifics that are not LGO titles: the person is named "Mr B"/"Ms B" like any adult.
OTHER_TITLES = {"Sir": "Mr", "Lord": "Mr", "Dame": "Ms", "Lady": "Ms"}
# Titles that make someone an office-holder, named by role (conventions, section 4.4).
ROLE_TITLES = {"cllr": "councillor", "councillor": "councillor", "judge": "judge", "pc": "police officer",
               "dc": "police officer", "ds": "police officer", "di": "police officer",
               "dci": "police officer", "sergeant": "police officer", "inspector": "police officer"}

# One name word: O'Brien, McDonald, Smith-Jones, Jones-MacLeod, Brândușa, Ülker, D'Souza,
# al-Hassan, Su'ad, Ja’far. A lower-case particle may be joined on (ap-Rhys, al-Hashimi); an
# apostrophe must be followed by a capital or by two lower-case letters, so that the
# possessive in "Y’s" is not a name.
_HYPHEN_PART = r"[-‐](?:[OD]['’])?\p{L}[\p{Ll}\p{M}]+(?:\p{Lu}[\p{Ll}\p{M}]+)*"
NAME_WORD = (r"(?:(?:ap|ab|al|el|bin|ibn|d|l|de|da|di|du|van|von|o|mc|mac)[-‐'’])?"
             r"\p{Lu}(?:['’]\p{Lu})?\p{Lu}?[\p{Ll}\p{M}]+(?:['’][\p{Ll}\p{M}]{2,})?(?:\p{Lu}[\p{Ll}\p{M}]+)*"
             rf"(?:{_HYPHEN_PART})*")
CAPS_WORD = r"(?:\p{Lu}['’]?\p{Lu}{1,}(?:[-‐]\p{Lu}['’]?\p{Lu}{1,})*)"
# Words that join the parts of a surname: 'van der Berg', 'Ó Briain', 'Mac Giolla Phádraig',
# 'ferch Owain', 'bin Rashid'.
PARTICLES = frozenset(
    """de da di du do dos das del della van von der den la le al el bin binti bint ibn abu ben ter ten ap ab
    ferch verch Ó Ní Nic Mac Mc Van Von De Da Di Du Del Le La Al El Bin Ibn Abu Ap Ab""".split())
PARTICLE = "(?:(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")[ \t\u00a0]+){1,2}"
# Initials: two or more with full stops ('D.R.', 'D. R.'), or one or two before a name
# ('D Okafor', 'D. Okafor', 'DR Okafor'). A lone 'X.' is a pseudonym ending a sentence.
INITIALS = (r"(?:\p{Lu}\.(?:\s?\p{Lu}\.){1,3}|(?:\p{Lu}\.?|\p{Lu}\p{Lu})(?=\s+" + NAME_WORD + r"))")
TITLE_RE = (r"(?:Mrs|Miss|Mr|Ms|Mx|Dr|Master|Sir|Dame|Lord|Lady|Prof|Professor|Revd|Rev|Cllr|Councillor|"
            r"Judge|DCI|PC|DC|DS|DI)")
CAPS_TITLE_RE = r"(?:MRS|MISS|MR|MS|MX|DR|MASTER|SIR|DAME|CLLR|COUNCILLOR)"

# Words that are never part of a name, even after a title ("Mr Smith However ...").
FUNCTION_WORDS = frozenset(
    """a an and the this that these those there then than he she they we i you it his her
    their our my your its him them us me who whom whose which what when where why how if
    in on at to of for from by with without after before during under over about into
    onto upon as but or nor so yet also although though because since while until unless
    however therefore furthermore moreover meanwhile subsequently following further
    finally firstly secondly thirdly overall instead later earlier today yesterday
    tomorrow once again all any each every both either neither some many most much more
    several few no not yes please thank thanks dear regards yours sincerely faithfully
    council councils ombudsman ombudsmen
    dr mr mrs ms miss mx master sir madam lord lady judge cllr""".split()
)
# Capitalised words that start sentences, head organisations or name roles: not a name on
# their own (a title before them still makes them one: 'Mr Sunday Adeyemi', 'Mrs Grant').
NOT_NAME_WORDS = FUNCTION_WORDS | frozenset(
    """kind best summary complaint complaints decision final draft
    councillor school schools academy college nursery trust hospital
    court tribunal panel committee board department service services team unit office
    officer manager director head chair chief social worker support plan plans report
    reports section paragraph part schedule category key facts law guidance analysis
    conclusions action agreed investigation enquiries assessment review stage appeal
    home care provider agency practice surgery ward clinic centre center government act
    acts regulation regulations code policy local authority authorities nhs england
    wales scotland britain london january february march april may june july august
    september october november december monday tuesday wednesday thursday friday
    saturday sunday christmas easter mum mummy dad daddy mother father son daughter
    child children baby brother sister husband wife partner grandmother grandfather
    nan grandad aunt uncle cousin family parent parents carer carers gp doctor nurse
    justice back top privacy cookie cookies settings accept reject manage lgo logogram
    order orders arrangement arrangements protection conference meeting hearing application
    notice letter form request procedure process framework statement programme scheme
    strategy allowance benefit benefits tax payment grant need needs special educational
    education health adult elective emergency interim supervision placement foster
    fostering adoption residence contact housing homelessness transport parking planning
    appendix annex chapter one two three four five six seven eight nine ten
    ofsted cqc hmrc dwp send sen ehcp ehc icb lgo lgsco phso ico st saint ysgol""".split()
)
# Words before a capitalised word that make it a place: 'St Mary's', 'University of Stirling'.
PLACE_BEFORE = r"(?:\bSt\.?|\bSaint|University of|College of|Ysgol|Borough of|City of)\s+$"
# Nouns that make the capitalised words before them a place or a body, not a person:
# 'Merthyr Tydfil County Borough Council', 'Nelson Mandela House', 'Preston Crown Court'.
ORG_NOUNS = (r"(?:Council|County|Borough|City|District|Crown|Court|Magistrates|Street|Road|Lane|Avenue|"
             r"University|School|Academy|College|Nursery|Church|Chapel|Mosque|Temple|House|Hall|Hospital|"
             r"Surgery|Practice|Centre|Center|Trust|Park|Primary|Secondary|Infant|Junior|Station|Library|"
             r"Ltd|Limited|LLP|plc|Solicitors|Partnership|Associates|Housing|Homes|Foundation|Way|Close|"
             r"Drive|Square|Gardens|Estate|Ward|Unit|Clinic|Group|Services|Care)\b")
CHILD_WORDS = frozenset(
    """son daughter child grandson granddaughter grandchild baby stepson stepdaughter
    nephew niece sons daughters children grandchildren infant toddler pupil""".split()
)
ADULT_KIN = {
    "husband": "m", "wife": "f", "mother": "f", "father": "m", "grandmother": "f",
    "grandfather": "m", "aunt": "f", "uncle": "m", "stepfather": "m", "stepmother": "f",
    "mum": "f", "dad": "m", "nan": "f", "grandad": "m", "fiance": None, "fiancee": "f",
    "partner": None, "ex-partner": None, "ex-husband": "m", "ex-wife": "f",
    "cousin": None, "friend": None, "neighbour": None,
    "landlord": None, "landlady": "f", "advocate": None, "representative": None,
}
# (brothers and sisters may be children or adults: the kinship word gives only a gender)
KIN_GENDER = {"son": "m", "daughter": "f", "grandson": "m", "granddaughter": "f", "stepson": "m",
              "stepdaughter": "f", "nephew": "m", "niece": "f", "boy": "m", "girl": "f", "brother": "m",
              "sister": "f"} | {
    k: v for k, v in ADULT_KIN.items() if v}

# Staff are referred to by role, never lettered (conventions, section 4.4).
ROLES = (
    "social worker", "senior social worker", "family support worker", "support worker",
    "team manager", "service manager", "case officer", "planning officer", "housing officer",
    "monitoring officer", "investigating officer", "complaints officer", "council officer",
    "occupational therapist", "health visitor", "headteacher", "head teacher", "teacher",
    "special educational needs co-ordinator", "senco", "educational psychologist",
    "independent reviewing officer", "care co-ordinator", "care coordinator", "care manager",
    "social care officer", "officer", "manager", "gp", "general practitioner", "paediatrician",
    "psychiatrist", "psychologist", "nurse", "district nurse", "consultant", "solicitor",
    "advocate", "caseworker", "case worker", "chair", "clerk", "councillor", "MP", "member of parliament",
    "police officer", "judge", "SENCO", "reviewing officer", "commissioning officer", "social care worker",
    "therapist", "assessor", "inspector", "investigator",
)


# Words that may stand between a determiner and a staff role ("the allocated social worker",
# "Complaints and Information Officer"); a lay person's "a retired nurse" is not staff.
ROLE_QUALIFIERS = (r"(?:(?:allocated|duty|lead|senior|assistant|deputy|principal|acting|interim|designated|"
                   r"named|link|key|new|previous|former|then|local|antisocial|anti-social|behaviour|housing|"
                   r"planning|complaints|safeguarding|family|support|council['’]s|school['’]s|"
                   r"\p{Lu}[\p{L}-]*)\s+(?:and\s+|&\s+)?){0,4}")


_UNDECOMPOSABLE = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ı": "i",
                                  "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th",
                                  "’": "'"})


def strip_accents(text: str) -> str:
    """'Łukasz' -> 'Lukasz', 'Ștefania' -> 'Stefania': how the same name is often typed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Brândușa' and 'BRANDUSA' fold alike.

    Cached: clustering folds the same few hundred words tens of thousands of times per case.
    """
    return strip_accents(text).casefold()


def role_case(phrase: str) -> str:
    """A role as running text: 'Team Manager' -> 'team manager', while 'GP' stays 'GP'."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in phrase.split())


def is_particle(word: str) -> bool:
    return word in PARTICLES


def is_name_word(word: str, titled: bool = False) -> bool:
    """A capitalised word that could be part of a person's name (after a title, more words
    can: 'Mr Sunday Adeyemi', 'Mrs Grace Ward')."""
    stop = FUNCTION_WORDS if titled else NOT_NAME_WORDS
    return bool(regex.fullmatch(NAME_WORD + "|" + CAPS_WORD, word)) and fold(word) not in stop


def is_place_context(text: str, start: int, end: int) -> bool:
    """True when text[start:end] sits in a place or a body's name: after 'St'/'University of',
    or before 'Council', 'Court', 'House' and the like."""
    return bool(_PLACE_BEFORE_RE.search(text, max(0, start - 20), start) or _ORG_AFTER_RE.match(text, end))


_PLACE_BEFORE_RE = regex.compile(PLACE_BEFORE)
_ORG_AFTER_RE = regex.compile(rf"[’']?s?[ \t]+{ORG_NOUNS}")
