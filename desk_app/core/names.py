"""What a personal name looks like in UK case notes, as patterns and word lists.

Shared by the recognisers (which find names) and by the people module (which takes them
apart), so that "is this a name token" has one answer everywhere.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator

import regex

from desk_app.core.regexcache import rx

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Master")
TITLE_GENDER = {"mr": "m", "master": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": None, "dr": None,
                "sir": "m", "lord": "m", "dame": "f", "lady": "f", "prof": None, "professor": None,
                "rev": None, "revd": None}
# Honorifics that are not LGO titles: the person is named "Mr B"/"Ms B" like any adult.
OTHER_TITLES = {"Sir": "Mr", "Lord": "Mr", "Dame": "Ms", "Lady": "Ms"}
# Titles that make someone an office-holder, named by role (conventions, section 4.4).
ROLE_TITLES = {"cllr": "councillor", "councillor": "councillor", "judge": "judge", "pc": "police officer",
               "dc": "police officer", "ds": "police officer", "di": "police officer",
               "dci": "police officer", "sergeant": "police officer", "inspector": "police officer",
               "sgt": "police officer", "insp": "police officer", "supt": "police officer"}

# Letters after a name: qualifications and honours ('Dr Emeka Jideofor MBBS MRCGP'), never
# part of the name, nor its surname.
POST_NOMINALS = frozenset("""MBBS MBChB BMBS MB ChB BM BCh MD MRCGP FRCGP MRCP FRCP FRCS FRCPsych MRCPsych
    DRCOG DCH DFSRH MRCPCH FRCPCH FFPH RGN RMN RNLD RSCN RN RM DipSW CQSW BSc MSc BA MA LLB LLM PhD DPhil
    MPhil PGCE QTS NPQH CPsychol HCPC BACP MBACP UKCP SRN SEN QC KC OBE MBE CBE DBE JP DL FCA ACA ACCA
    FRICS MRICS MCIH CIH MRTPI RIBA MCIEH""".split())

# Roles written as their acronym in brackets after a name: 'Dmitri Vashchenko (FSW)',
# 'Hollis Tran (school DSL)'. Staff are named by role (conventions, section 4.4).
ROLE_ACRONYMS = {"SW": "social worker", "CSW": "social worker", "SSW": "senior social worker",
                 "FSW": "family support worker", "OT": "occupational therapist", "HV": "health visitor",
                 "IRO": "independent reviewing officer", "DSL": "designated safeguarding lead",
                 "SENCO": "SENCO", "SENCo": "SENCO", "CPN": "community psychiatric nurse",
                 "AMHP": "approved mental health professional", "TM": "team manager", "GP": "GP"}

# One name word: O'Brien, McDonald, Smith-Jones, Jones-MacLeod, Brândușa, Ülker, D'Souza,
# al-Hassan, Su'ad, Ja’far. A lower-case particle may be joined on (ap-Rhys, al-Hashimi); an
# apostrophe must be followed by a capital or by two lower-case letters, so that the
# possessive in "Y’s" is not a name.
_HYPHEN_PART = r"[-‐‑](?:[OD]['’])?\p{L}[\p{Ll}\p{M}]+(?:\p{Lu}[\p{Ll}\p{M}]+)*"
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
INITIALS = (r"(?:\p{Lu}\.(?:[\s-]?\p{Lu}\.){1,3}|(?:\p{Lu}\.?|\p{Lu}\p{Lu})(?=\s+" + NAME_WORD + r"))")
TITLE_RE = (r"(?:Mrs|Miss|Mr|Ms|Mx|Dr|Master|Sir|Dame|Lord|Lady|Prof|Professor|Revd|Rev|Cllr|Councillor|"
            r"Judge|DCI|PC|DC|DS|DI|Sgt|Sergeant|Insp|Inspector|Supt)")
CAPS_TITLE_RE = r"(?:MRS|MISS|MR|MS|MX|DR|MASTER|SIR|DAME|CLLR|COUNCILLOR)"
#: A title just before a position: 'Mr ' in 'Mr Z.K.', 'Mrs. ' before a name.
TITLE_JUST_BEFORE = regex.compile(rf"(?<![\p{{L}}])(?:{TITLE_RE})\.?[ \t]+$")
#: A title, or a couple's two, at the start of a name ('Mrs ', 'Dr. ', 'MR ', 'Mr and Mrs '):
#: the one pattern the mapping, the clustering, the review and the window split names with.
TITLE_PREFIX = regex.compile(
    rf"^(?P<title>{TITLE_RE}|{CAPS_TITLE_RE})\.?"
    rf"(?:\s+(?:and|AND|&)\s+(?P<title2>{TITLE_RE}|{CAPS_TITLE_RE})\.?)?\s+")

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
    forename forenames surname surnames firstname lastname name names title initials
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
    ofsted cqc hmrc dwp send sen ehcp ehc icb lgo lgsco phso ico st saint ysgol
    senior registered deputy assistant principal acting interim reviews lead locality duty north south east
    west central night pin ref room falls incident safeguarding tenant tenants claimant claimants resident
    residents user users caller client clients customer applicant appellant requester complainant member
    members clerk attendee attendees present apologies subject re fw fwd cc bcc sent to from date time
    signed signature print name names forename surname telephone tel mobile email fax ext address postcode
    term half universal credit pension personal attendance disability independence direct budget payments
    living counsel civil agent government registrar president applicants respondent respondents
    mosaic liquidlogic carefirst civica northgate servelec capita cpoms evolve infirmary""".split()
)
# Words before a capitalised word that make it a place: 'St Mary's', 'University of Stirling'.
PLACE_BEFORE = r"(?:\bSt\.?|\bSaint|University of|College of|Ysgol|Borough of|City of)\s+$"
# Nouns that make the capitalised words before them a place or a body, not a person:
# 'Merthyr Tydfil County Borough Council', 'Nelson Mandela House', 'Preston Crown Court'.
ORG_NOUNS = (r"(?:Council|County|Borough|City|District|Crown|Court|Magistrates|Street|Road|Lane|Avenue|"
             r"University|School|Academy|College|Nursery|Church|Chapel|Mosque|Temple|House|Hall|Hospital|"
             r"Surgery|Practice|Centre|Center|Trust|Park|Primary|Secondary|Infant|Junior|Station|Library|"
             r"Ltd|Limited|LLP|plc|Solicitors|Partnership|Associates|Housing|Homes|Foundation|Way|Close|"
             r"Drive|Square|Gardens|Estate|Ward|Unit|Clinic|Group|Services|Care|Wing|Lodge|Villas|Terrace|"
             r"Crescent|Mews|Tower|Towers|Quay|Wharf|Manor|Cottages?|Farm|Law|Act|Syndrome|Disease|Society|"
             r"Association|Club|Bank|Stores|Pharmacy|Chemists?|Medical|Dental|Nursing|Residential|Hotel|Inn|Arms|"
             r"Day\s+Cent(?:re|er)|Building|Buildings|Court|Place|Parade|Walk|Rise|Row|Grove|Row|Works|Mill|"
             r"Industrial|Retail|Shopping|Leisure|Sports|Community|Children['’]s|Family|Medical|Health|"
             r"Partners|Chambers|LLP|Co\b|&\s+Co|Holdings|Developments|Properties|Lettings|Estates|Agency|"
             r"Infirmary|Hospice|Institute|Museum|Theatre|Stadium|Prison|Remand|Barracks|Cathedral|Abbey|"
             r"Priory|Castle|Palace|Airport|Harbour|Market|Campus|Hub|Forum|Tribunal|Directorate|Authority|"
             r"Commission|Fund|Network|Alliance)\b")

# Organisations whose names look like people's: retailers, law firms, builders' merchants,
# housebuilders, care providers and charities that UK case files mention. A name here is
# an organisation wherever it stands ('Materials ordered from Travis Perkins').
ORG_LOOKALIKES = tuple(sorted("""Marks & Spencer|Marks and Spencer|John Lewis|Travis Perkins|Jewson|Wickes|Sainsbury's|
    Sainsbury’s|Morrisons|Tesco|Lloyds|Barclays|Boots|Greene King|Irwin Mitchell|Browne Jacobson|
    Slater and Gordon|Slater & Gordon|Thompsons|Leigh Day|Hugh James|Clarke Willmott|Shoosmiths|Bevan Brittan|
    Weightmans|Ward Hadaway|Wilko|Greggs|Dunelm|Currys|Argos|Aldi|Lidl|Asda|Waitrose|Matalan|Primark|
    TK Maxx|Specsavers|Timpson|Halfords|Screwfix|Howdens|Selfridges|Harrods|Debenhams|WH Smith|W H Smith|
    Holland & Barrett|Ann Summers|Laura Ashley|Ted Baker|Paul Smith|Jack Wills|Joules|Clarks|Wetherspoon|
    JD Wetherspoon|Toby Carvery|Morgan Sindall|Kier|Balfour Beatty|Mears|Wates|Willmott Dixon|Bellway|
    Persimmon|Barratt|Taylor Wimpey|David Wilson Homes|Redrow|Crest Nicholson|Peabody|Clarion|Sanctuary|
    Guinness|Barnardo's|Barnardo’s|Macmillan|Marie Curie|Sue Ryder|Leonard Cheshire|Mencap|Citizens Advice|
    Age UK|Bupa|HC-One|Four Seasons|Barchester|Anchor Hanover|Martin McColl|McDonald's|McDonald’s|
    Morgan Stanley|Nationwide|Halifax|Santander|Specsavers|Vision Express|Boots Opticians|Lloyds Pharmacy|
    Rowlands|Superdrug|Poundland|Iceland|B&Q|Homebase|Wren Kitchens|Magnet|Dyson|Hotpoint|Bosch|Virgin Media|
    Sky|BT|Severn Trent|Thames Water|Anglian Water|Yorkshire Water|United Utilities|British Gas|Octopus|
    Ovo|E.ON|Scottish Power|Npower|Travelodge|Premier Inn|Jury's Inn|Holiday Inn|Abbott|Serco|Capita|
    Mitie|Sodexo|Amey|Veolia|Biffa|Ocado|Deliveroo|Uber|Amazon|Argos|Dominos|Domino's|Nando's|Nando’s|
    Kellogg's|Heinz|Cadbury|Rowntree|Bernardo's|Sheppard Robson|Knight Frank|Savills|Foxtons|Hamptons|
    Connells|Purplebricks|Kerry Foods|Bernard Matthews|Gordon Ramsay|Hilton|Marriott|Arnold Clark|
    Evans Halshaw|Stephen James|Lookers|Pendragon|Sytner|Jardine|Edwardian|Winston Churchill|
    Florence Nightingale|Mary Seacole|Edith Cavell|Nelson Mandela|Martin Luther King|Queen Elizabeth|
    Queen Mary's|Queen Mary’s|Prince Charles|Princess Royal|Prince Philip|King George|Queen Victoria""".replace(
    "\n", "").split("|"), key=len, reverse=True))
_ORG_LOOKALIKE_RE = None


@functools.lru_cache(maxsize=8)
def lookalike_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where ``text`` names an organisation or eponymous place that looks like a person.

    Detection, clustering, variants and the possible names each ask this of the same
    document; the last few answers are kept (a str hashes once, so asking again is cheap)."""
    global _ORG_LOOKALIKE_RE
    if _ORG_LOOKALIKE_RE is None:
        _ORG_LOOKALIKE_RE = regex.compile(
            r"(?<![\p{L}])(?:" + "|".join(regex.escape(n.strip()) for n in ORG_LOOKALIKES if n.strip())
            + r")(?![\p{L}])")
    return tuple(m.span() for r in (_ORG_LOOKALIKE_RE, _CITATION_RE, _FEAST_RE) for m in r.finditer(text))
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

# Who shares the complainant's letter (conventions 4.3): a spouse or partner does ('her husband,
# Mr X'); a child, parent, sibling or other relative gets a titled letter of their own ('her
# adult son Mr Y', 'her mother, Mrs C'). Friends, neighbours and representatives say nothing
# about it either way, nor does a former partner: published decisions do both ('his former
# partner, Ms Y'; 'his ex-partner, Miss X').
SPOUSE_KIN = frozenset({"husband", "wife", "partner", "fiance", "fiancee", "spouse"})
RELATIVE_KIN = CHILD_WORDS | frozenset(
    """brother sister brothers sisters mother father mum dad mam grandmother grandfather nan nana grandad
    grandma grandpa aunt uncle stepfather stepmother stepbrother stepsister cousin nephew niece
    mother-in-law father-in-law sister-in-law brother-in-law daughter-in-law son-in-law""".split())
PARENT_KIN = frozenset({"mother", "father", "mum", "dad", "mam", "stepfather", "stepmother"})

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


# Capitalised words that start a sentence before a role without being part of a job title:
# 'Another social worker, Tom Ash, called' is a social worker (the second), not an 'another
# social worker'; 'The', 'Her' and the like are determiners, never a job title's first word.
_DETERMINERS = r"Another|Other|The|This|That|These|Those|Her|His|Their|Its|Our|My|Your|Each|Every|Both"
# Words that count staff in one role rather than name it: 'a second social worker', 'New social
# worker Tom Ash'. The role is the noun after them; the count comes from first mentions.
ROLE_SEQUENCE = r"(?i:another|other|second|third|fourth|fifth|next|new|previous|former|current)"
# Lay titles as notes type them in lower case ('spoke to mrs Laffey'): still a title before a
# name, never a name word. (Kept apart from TITLE_RE, which the recognisers read: a lower-case
# 'dr' or 'ms' alone must not start a name there.)
LOWER_TITLE_RE = r"(?:mrs|miss|mr|ms|mx|dr)"

# Words that may stand between a determiner and a staff role ("the allocated social worker",
# "Complaints and Information Officer"); a lay person's "a retired nurse" is not staff.
ROLE_QUALIFIERS = (r"(?:(?:allocated|duty|lead|senior|assistant|deputy|principal|acting|interim|designated|"
                   r"named|link|key|new|previous|former|then|local|antisocial|anti-social|behaviour|housing|"
                   r"planning|complaints|safeguarding|family|support|council['’]s|school['’]s|"
                   r"(?!(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor|" + _DETERMINERS + r")\b)\p{Lu}[\p{L}-]*)[ \t\u00a0]+"
                   r"(?:and[ \t\u00a0]+|&[ \t\u00a0]+)?){0,4}")


_UNDECOMPOSABLE = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ı": "i",
                                  "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th",
                                  "’": "'"})


def initials_of(full: str) -> set[str]:
    """Initials a person's full name is written as: 'Bethan Rees-Morgan' -> BRM, BR;
    'Siobhan McGuinness' -> SMcG, SM; 'C. MacLeod' -> CML, CM; 'Summer-Rose Hadley' -> S-R, SRH, SH."""
    words = [w for w in rx(r"[\s\u00a0]+").split(full.strip()) if w and w.lower() not in
             {"de", "da", "van", "von", "der", "den", "le", "la", "al", "el", "bin", "ibn", "ap"}]
    if not words:
        return set()
    out: set[str] = set()
    firsts = [w[0].upper() for w in words if w[:1].isalpha()]
    if len(words) >= 2 and len(firsts) == len(words):
        out.add(firsts[0] + firsts[-1])
        out.add("".join(firsts))
        detailed = ""
        for w in words:
            for part in rx(r"[-‐‑]").split(w.replace(".", "")):
                if not part:
                    continue
                m = rx(r"(Mc|Mac)(\p{Lu})").match(part)
                if m:
                    detailed += ("Mc" if m.group(1) == "Mc" else "M") + m.group(2)
                    continue
                caps = rx(r"\p{Lu}").findall(part)
                detailed += "".join(caps[:2]) if caps else part[0].upper()
        out.add(detailed)
        out.add(detailed.replace("Mc", "M"))
    last = words[-1]
    if len(words) >= 2 and rx(r"\p{Lu}\p{Ll}+[-‐‑]\p{Lu}\p{Ll}+").fullmatch(last):
        a, b = rx(r"[-‐‑]").split(last)
        out.add(f"{a[0]}{b[0]}")   # 'LB' for a double-barrelled Lacey-Brooks
    first = words[0]
    if rx(r"\p{Lu}\p{Ll}+[-‐‑]\p{Lu}\p{Ll}+").fullmatch(first):
        a, b = rx(r"[-‐‑]").split(first)
        out.add(f"{a[0]}-{b[0]}")   # 'S-R' for Summer-Rose
    return {i for i in out if 2 <= len(i.replace("-", "")) <= 5 and i.replace("Mc", "").replace("-", "").isupper()}


def strip_accents(text: str) -> str:
    """'Łukasz' -> 'Lukasz', 'Ștefania' -> 'Stefania': how the same name is often typed."""
    if text.isascii():
        return text
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
    if _PLACE_BEFORE_RE.search(text, max(0, start - 20), start) or _ORG_AFTER_RE.match(text, end) \
            or _COMPANY_AFTER_RE.match(text, end):
        return True
    if _WRAPPED_ORG_AFTER_RE.match(text, end) and _LOWER_WORD_BEFORE_RE.search(
            text, max(0, text.rfind("\n", 0, start) + 1), start):
        return True   # 'explained Pearl⏎Street Day Centre closed': a sentence wrapped inside the place's name
    if text[start:end].isupper() and _ORG_AFTER_CAPS_RE.match(text, end):
        return True   # 'GRACE DIEU NURSING HOME'
    if _COUNTY_AFTER_RE.match(text, end):
        return True   # 'Hope, Derbyshire': a village, then its county
    if _RANK_POSSESSIVE_BEFORE_RE.search(text, max(0, start - 16), start):
        return True   # 'Bishop's Stortford', 'King's Lynn', 'Earl's Court': the word after a rank's possessive
    poss = _POSSESSIVE_PLACE_RE.match(text, end)
    # "King's Meadow Primary", "Bishop's Stortford", "St Aidan's C of E": a possessive before
    # another capitalised word names a place ('Tyler's EHCP', 'Kerry's Housing' do not)
    return bool(poss and fold(poss.group(1)) not in NOT_NAME_WORDS)


_PLACE_BEFORE_RE = regex.compile(PLACE_BEFORE)
_ORG_AFTER_RE = regex.compile(rf"[’']?s?(?:[ \t]+(?:and|&)[ \t]+\p{{Lu}}[\p{{L}}-]+)?[ \t]+"
                           rf"(?:{ORG_NOUNS}|(?:NHS|FT|CCG|ICB|PCT|CIC|UK)\b)")
# The same across the line break of a wrapped sentence (the name ends a line of prose: a
# signature's name line followed by 'Housing Officer' is not a place, nor is a job wrapped after a
# name, so only the nouns of places and buildings count here)
_WRAPPED_ORG_AFTER_RE = regex.compile(
    r"[ \t]*\r?\n[ \t]*(?:Street|Road|Lane|Avenue|Way|Close|Drive|Square|Gardens|Crescent|Terrace|Mews|Grove|"
    r"Place|Parade|Estate|Day\s+Cent(?:re|er)|Centre|School|Academy|College|Nursery|Hospital|Infirmary|Hospice|"
    r"Surgery|Church|Chapel|Mosque|Library|Station|Park|Primary|Council|Borough|Crown|Court|Lodge|Manor|"
    r"Ltd|Limited|LLP|plc|Solicitors)\b")
_LOWER_WORD_BEFORE_RE = regex.compile(r"(?<![\p{L}])\p{Ll}[\p{L}'’-]*[,;]?[ \t]+(?:\p{Lu}[\p{L}'’-]*[ \t]+){0,2}$")
# A firm named after someone, a word or two before its legal form: 'Pennant Plumbing Ltd',
# 'Marsh & Sons', 'Hudson Pike Solicitors'.
_COMPANY_AFTER_RE = regex.compile(r"(?:[ \t]+\p{Lu}[\p{L}&'’-]*){0,2}[ \t]+(?:Ltd|Limited|LLP|plc|PLC|Solicitors|"
                                  r"Associates|Partnership|Contractors|Builders|Lettings|Estates|&[ \t]+Sons|"
                                  r"&[ \t]+Co)\b")
_ORG_AFTER_CAPS_RE = regex.compile(rf"(?:[ \t]+\p{{Lu}}+){{0,2}}[ \t]+(?i:{ORG_NOUNS})")
# Counties and regions that follow a town's name ('Hope, Derbyshire', 'Barry, Vale of Glamorgan').
UK_COUNTIES = (
    "Bedfordshire|Berkshire|Bristol|Buckinghamshire|Cambridgeshire|Cheshire|Cornwall|Cumbria|Derbyshire|Devon|"
    "Dorset|Durham|East Sussex|Essex|Gloucestershire|Greater London|Greater Manchester|Hampshire|Herefordshire|"
    "Hertfordshire|Isle of Wight|Kent|Lancashire|Leicestershire|Lincolnshire|Merseyside|Norfolk|"
    "North Yorkshire|Northamptonshire|Northumberland|Nottinghamshire|Oxfordshire|Rutland|Shropshire|Somerset|"
    "South Yorkshire|Staffordshire|Suffolk|Surrey|Tyne and Wear|Warwickshire|West Midlands|West Sussex|"
    "West Yorkshire|Wiltshire|Worcestershire|East Riding of Yorkshire|Yorkshire|Anglesey|Gwynedd|Conwy|"
    "Denbighshire|Flintshire|Wrexham|Powys|Ceredigion|Pembrokeshire|Carmarthenshire|Swansea|Neath Port Talbot|"
    "Bridgend|Vale of Glamorgan|Cardiff|Rhondda Cynon Taf|Merthyr Tydfil|Caerphilly|Blaenau Gwent|Torfaen|"
    "Monmouthshire|Newport|Glamorgan|Gwent|Clwyd|Dyfed|Fife|Highland|Lothian|Strathclyde|Grampian|Tayside|"
    "Aberdeenshire|Argyll|Ayrshire|Lanarkshire|Renfrewshire|Dumfries and Galloway|Borders|Antrim|Armagh|Down|"
    "Fermanagh|Londonderry|Tyrone|Co\\. [A-Z][a-z]+|County [A-Z][a-z]+")
_COUNTY_AFTER_RE = regex.compile(rf",[ \t]+(?:{UK_COUNTIES})\b")
# Places named after a rank or calling, not a person: 'Bishop's Stortford', 'King's Lynn',
# 'Earl's Court', 'Shepherd's Bush', 'Abbots Langley' is written without the apostrophe.
_RANK_POSSESSIVE_BEFORE_RE = regex.compile(
    r"(?<![\p{L}])(?:King|Queen|Bishop|Archbishop|Abbot|Abbess|Prior|Lady|Lord|Earl|Duke|Prince|Princess|Baron|"
    r"Knight|Friar|Monk|Nun|Priest|Canon|Dean|Cardinal|Shepherd|Miller|Squire|Maiden|Bishops|Kings|Queens)"
    r"[’']s[ \t]+$")
_POSSESSIVE_PLACE_RE = regex.compile(r"[’']s[ \t]+(\p{Lu}(?:[\p{Ll}'’-]+)?)(?![\p{L}])")


# Reported cases keep their parties' names: 'R (McDonald) v Royal Borough of Kensington and
# Chelsea', 'Haile v Waltham Forest LBC', '[2011] UKSC 33'.
_CITATION_RE = regex.compile(
    r"\bR[ \t]*\((?:on[ \t]+the[ \t]+application[ \t]+of[ \t]+)?[^()\n]{1,60}\)[ \t]+v\.?[ \t]+[^,;.\n(\[]{2,80}"
    r"|\b\p{Lu}[\p{L}'’-]+(?:[ \t]+(?:and|&)[ \t]+\p{Lu}[\p{L}'’-]+)?[ \t]+v\.?[ \t]+"
    r"(?:\p{Lu}[\p{L}'’-]*[ \t]*){1,6}(?=[ \t]*(?:\[|\(|,|;|\.|$))", regex.M)
# Feast days that end in a weekday: 'Easter Sunday', 'Palm Sunday', 'Good Friday'.
_FEAST_RE = regex.compile(r"\b(?:Easter|Palm|Whit|Trinity|Low|Mothering|Remembrance|Good|Holy|Ash|Black|"
                          r"Boxing|Super|Cyber)[ \t]+(?:Sunday|Monday|Friday|Saturday|Thursday|Day)\b")


# One-word names that are also everyday English words. Found in lower case in running text
# ("we will", "there is hope") they are the word, not the person; only a slot or a cue
# (a greeting, a kinship word, a speaker's place) makes the lower-case word a name.
ORDINARY_WORD_NAMES = frozenset(
    """will hope may rose grace faith joy mark bill pat sue rob bob jack frank dawn summer april june august
    ruby amber holly ivy lily daisy iris violet heather olive pearl jade crystal sky rich hunter baker cook
    brown green white black young king hill wood woods stone bell hall ward long little page price wells
    banks bush lamb fox moss reed rice rush sharp short small strong sweet wise hardy best bright dean hart
    marsh park pond field fields gray grey guy ray gene art drew chase chance glen dale lane rod wade cliff
    sandy penny honey angel star storm river brook brooks forest ash bay sage fern poppy hazel willow rowan
    robin wren jay dove drake crane swan mason cross church bridge ford moor lord knight bishop butler porter
    turner fisher archer walker shepherd farmer booth bond cash gold silver steel iron fry frost snow rain
    gale winter spring day love good noble free law major sterling pope carpenter glass mill mills well ball
    hood bliss bloom blossom heath lee kitty peg ginger sunny rocky rusty dusty misty happy candy cherry
    clay flint rock hale earnest prudence patience charity mercy verity honour honor unity liberty harmony
    melody haven ocean miles norman baron duke earl chancellor steward mayor sexton temple
    cotton wool barley berry birch oak lake shore sands dell nice fair dear lovely autumn destiny sunday
    precious blessing gift comfort chance trinity journey story echo rain reign shade sterling cole
    carol eve dot barry eccles stanley dudley bury ware leek""".split()
) | NOT_NAME_WORDS

# Capitals that stand for a role, a body or a thing in UK case notes, never for someone's
# initials, even when a person's initials spell them ('SW' is the social worker).
ACRONYMS = frozenset(
    """SW FSW OT HV GP DC PC DS DI MP PA NHS NI UK LA CP CIN LAC ASC CSC MASH EHCP EHC SEN SEND SENCO DOB
    CAMHS ADHD ASD IRO TAC TAF DSL DV DA MH LD OK AM PM UPN ID IT HR IG FOI SAR ICO LGO CQC DWP HMRC UC HB
    CT PIP ESA JSA DLA RE FW FWD CC BCC ENF ASB AIS HMO NB PS TBC TBA NA NFA OOH ED AE ICU CPN AMHP RGN RMN
    HCA DNR DNACPR LPA POA MCA DOLS BIA BI COPD CKD UTI TIA MS CVA BP MRI CT DBS ICB CCG PCN CHC NICE DHP
    LHA SAP SSP BT PO RSL RP LPS ST CE VI HI PE RE DT IEP PSP PEP EP SALT OTS PT AAC YOT YOS CAIT CID CPS
    IN IT NO OK OR TO UP""".split())


_SAME_LENGTH = {"\u00a0": " ", "\u2010": "-", "\u2011": "-", "\u2019": "'", "\u2018": "'"}


@functools.lru_cache(maxsize=8192)
def _base_char(c: str) -> str:
    if c.isascii():
        return c
    if c in _SAME_LENGTH:
        return _SAME_LENGTH[c]
    d = unicodedata.normalize("NFD", c.translate(_UNDECOMPOSABLE))
    b = d[0] if d else c
    return b if b.isalpha() == c.isalpha() else c


def fold_chars(text: str) -> str:
    """``text`` with every accented letter replaced by its base letter, one character for one
    ('Wójcik' -> 'Wojcik', 'Nguyễn' -> 'Nguyen', 'ß' -> 's'), case kept: offsets into the result
    are offsets into ``text``, so a pattern of folded forms can search it accent-blind."""
    if text.isascii():   # most text: nothing to fold
        return text
    return "".join(_base_char(c) for c in text)


_WORD_START = regex.compile(r"(?<![\p{L}\p{N}\p{M}])[\p{L}\p{N}][\p{L}\p{N}\p{M}]*")


class FormMatch:
    """One place a form was found: ``text[start:end]``, with its title or initials before it."""

    __slots__ = ("end", "form", "name_start", "prefix", "start")

    def __init__(self, start: int, name_start: int, end: int, form: str, prefix: str | None) -> None:
        self.start, self.name_start, self.end, self.form, self.prefix = start, name_start, end, form, prefix

    def span(self) -> tuple[int, int]:
        return self.start, self.end


class FormIndex:
    """Finds a case's name forms in its text without compiling them into one pattern.

    A pattern of every form of every person is rebuilt for each case, and compiling it cost
    more than the whole search. Here forms are grouped by their first word and compared
    where a word starts, in text folded by :func:`fold_chars` (accent-blind, offsets kept):
    the longest form that fits wins, as a regex alternation of the forms longest first would.
    ``ignore_case`` compares in lower case; ``plural`` lets a form take an 's' or 'es'.
    """

    def __init__(self, forms: Iterable[str], *, ignore_case: bool = False, plural: bool = False) -> None:
        self.ignore_case, self.plural = ignore_case, plural
        self._heads: dict[str, list[str]] = {}
        for form in forms:
            key = self._norm(" ".join(fold_chars(form).split()))
            head = _WORD_START.match(key)
            if head is None or head.start() != 0:
                continue
            group = self._heads.setdefault(head.group(), [])
            if key not in group:
                group.append(key)
        for group in self._heads.values():
            group.sort(key=len, reverse=True)

    def _norm(self, text: str) -> str:
        return text.lower() if self.ignore_case else text

    def __bool__(self) -> bool:
        return bool(self._heads)

    def finditer(self, text: str, prefix: regex.Pattern[str] | None = None) -> Iterator[FormMatch]:
        """Leftmost-longest, non-overlapping matches in ``text``; ``prefix`` (a pattern ending
        in ``$``) may extend a match backwards over a title or initials."""
        folded = self._norm(fold_chars(text))
        last = 0
        for w in _WORD_START.finditer(folded):
            if w.start() < last:
                continue
            token = w.group()
            keys = self._heads.get(token, [])
            if self.plural and token.endswith("s"):
                keys = keys + self._heads.get(token[:-1], []) + (
                    self._heads.get(token[:-2], []) if token.endswith("es") else [])
            for key in keys:
                end = w.start() + len(key)
                if not folded.startswith(key, w.start()):
                    continue
                if self.plural:
                    for suffix in ("es", "s", ""):
                        if folded.startswith(suffix, end) and not _continues(folded, end + len(suffix)):
                            end += len(suffix)
                            break
                    else:
                        continue
                elif _continues(folded, end) or rx(r"[-.]\p{L}").match(folded[end:end + 2]):
                    continue
                start, found_prefix = w.start(), None
                if prefix is not None:
                    p = prefix.search(text, max(last, w.start() - 24), w.start())
                    if p is not None:
                        start, found_prefix = p.start(), p.group()
                yield FormMatch(start, w.start(), end, key, found_prefix)
                last = end
                break


def _continues(text: str, i: int) -> bool:
    return i < len(text) and (text[i].isalnum() or unicodedata.category(text[i]).startswith("M"))
