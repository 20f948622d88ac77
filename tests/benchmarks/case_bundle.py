"""Generated LGO-style case notes: a throughput corpus and a 200-page case bundle.

The speed benchmarks need text that looks like what investigators anonymise (case notes with
complainants, titles, family members, children with ages, staff named by role, phone numbers,
dates of birth, addresses, NHS and National Insurance numbers) and that every machine, CI
included, can make without the shared evaluation set. Everything is drawn from one
``random.Random(seed)``, so a seed always gives the same texts, and names are drawn from varied
pools so no two documents of the corpus are about the same people.

    corpus(documents=60, words=500, seed=7)       # list of texts, each its own case
    write_bundle(folder, pages=200, files=20)      # one case: .txt and .docx files, ~500 words a page

Paragraphs are one per line, as the readers see case notes typed in Word or e-mail.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from desk_app.core.atomic import write_file

WORDS_PER_PAGE = 500

FEMALE = (
    "Priya", "Sarah", "Karen", "Joanne", "Aisha", "Hibo", "Zofia", "Agnieszka", "Siobhan", "Rhiannon", "Catrin",
    "Fatima", "Amina", "Olena", "Ioana", "Ngozi", "Chiamaka", "Mei", "Thi", "Elif", "Laura", "Rebecca", "Emma",
    "Gemma", "Nicola", "Claire", "Deborah", "Helen", "Margaret", "Patricia", "Sunita", "Harpreet", "Bethan",
    "Eilidh", "Mairead", "Shauna", "Leanne", "Kerry", "Nadia", "Yasmin",
)
MALE = (
    "Daniel", "Oliver", "Mohammed", "Tomasz", "Piotr", "Sean", "Gareth", "Dafydd", "Callum", "Ewan", "Anil",
    "Rajesh", "Gurpreet", "Abdi", "Chukwuemeka", "Tunde", "Andrei", "Mindaugas", "Minh", "Wei", "Mehmet",
    "James", "David", "Michael", "Stephen", "Paul", "Mark", "Richard", "Lewis", "Ryan", "Jamal", "Imran",
    "Kieran", "Declan", "Rhys", "Owain", "Hamish", "Connor", "Tariq", "Samuel",
)
CHILD_F = ("Lily", "Amelia", "Ava", "Isla", "Zara", "Maya", "Sahra", "Julia", "Niamh", "Seren", "Ellie", "Ruby")
CHILD_M = ("Ben", "Noah", "Leo", "Harry", "Yusuf", "Jakub", "Finn", "Osian", "Arjun", "Kai", "Theo", "Alfie")
SURNAMES = (
    "Ramsden", "Holloway", "Mehta", "Thompson", "Ashworth", "Kowalski", "Nowak", "O'Brien", "McKenzie", "Jones",
    "Evans", "Pritchard", "MacLeod", "Campbell", "Sharma", "Patel", "Kaur", "Singh", "Hussain", "Begum", "Ahmed",
    "Warsame", "Okonkwo", "Adeyemi", "Popescu", "Kazlauskas", "Nguyen", "Chen", "Yilmaz", "Whitfield",
    "Fairbairn", "Greenhalgh", "Butterworth", "Lockwood", "Pemberton", "Ackroyd", "Sutcliffe", "Haworth",
    "Brennan", "Gallagher", "Duffy", "Llewellyn", "Hughes", "Morgan", "Barraclough", "Entwistle", "Fothergill",
    "Marsden", "Oyelaran", "Mensah",
)
COUNCILS = (
    "Harrowfield Metropolitan Borough Council", "Calderbrook City Council", "Westmoor County Council",
    "London Borough of Eastwick", "Ribbledale Borough Council", "Northfold District Council",
)
STREETS = (
    "Calder Rise", "Moorside Road", "Beech Grove", "Station Lane", "Victoria Terrace", "Mill Street",
    "Chapel Walk", "Orchard Close", "Highfield Avenue", "Canal Side", "Church View", "Park Crescent",
)
TOWNS = ("Harrowfield", "Calderbrook", "Westmoor", "Eastwick", "Ribbledale", "Northfold")
POST_AREAS = ("BD", "LS", "HX", "HD", "OL", "M", "WF", "SK", "BB", "PR", "NE", "SE")
SURGERIES = ("Fernbank Surgery", "Moor Lane Medical Centre", "Riverside Health Centre", "The Old Mill Practice")
SCHOOLS = ("Hollins Primary School", "St Bede's Catholic Primary", "Northfold Academy", "Brookfield Junior School")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NINO_PREFIXES = ("AB", "CE", "JH", "PR", "SK", "TW", "WL", "YM", "EH", "LA", "MX", "RB")
INWARD = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass
class Person:
    title: str
    first: str
    surname: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.title} {self.first} {self.surname}"

    @property
    def short(self) -> str:
        return f"{self.title} {self.surname}"

    @property
    def plain(self) -> str:
        return f"{self.first} {self.surname}"


@dataclass
class Cast:
    """The people and identifiers of one case."""

    ref: str
    council: str
    complainant: Person
    partner: Person
    children: list[tuple[str, int, bool]]        # first name, age, female
    relative: Person
    social_worker: Person
    manager: Person
    complaints_officer: Person
    gp: Person
    teacher: Person
    dob: str
    address: str
    relative_address: str
    phone: str
    landline: str
    relative_phone: str
    email: str
    nhs: str
    nino: str
    surgery: str
    school: str
    extra: dict[str, str] = field(default_factory=dict)


def _nhs_number(rng: random.Random) -> str:
    """A ten-digit NHS number with a valid modulus-11 check digit (Presidio checks it)."""
    while True:
        digits = [9, *(rng.randrange(10) for _ in range(8))]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, [*digits, check]))
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def _postcode(rng: random.Random) -> str:
    return (f"{rng.choice(POST_AREAS)}{rng.randint(1, 29)} {rng.randint(1, 9)}"
            f"{rng.choice(INWARD)}{rng.choice(INWARD)}")


def _date(rng: random.Random, year: int | None = None) -> str:
    return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year or rng.randint(2022, 2024)}"


def _person(rng: random.Random, female: bool, surname: str | None = None, title: str | None = None) -> Person:
    first = rng.choice(FEMALE if female else MALE)
    if title is None:
        title = rng.choice(("Mrs", "Ms", "Miss")) if female else "Mr"
    return Person(title, first, surname or rng.choice(SURNAMES), female)


def make_cast(rng: random.Random) -> Cast:
    """One case's people, each surname distinct so families are the only shared names."""
    surnames = rng.sample(SURNAMES, 8)
    female = rng.random() < 0.7
    complainant = _person(rng, female, surnames[0], rng.choice(("Mrs", "Ms")) if female else "Mr")
    partner = _person(rng, not female, surnames[0], "Mr" if female else "Mrs")
    if partner.first == complainant.first:
        partner.first = (MALE if female else FEMALE)[0]
    children = []
    for _ in range(rng.randint(1, 3)):
        girl = rng.random() < 0.5
        name = rng.choice(CHILD_F if girl else CHILD_M)
        if all(name != c[0] for c in children):
            children.append((name, rng.randint(3, 15), girl))
    street = f"{rng.randint(2, 140)} {rng.choice(STREETS)}, {rng.choice(TOWNS)} {_postcode(rng)}"
    rel_street = f"{rng.randint(2, 140)} {rng.choice(STREETS)}, {rng.choice(TOWNS)} {_postcode(rng)}"
    birth_year = rng.randint(1960, 1995)
    return Cast(
        ref=f"{rng.randint(20, 24)} {rng.randint(0, 19):03d} {rng.randint(100, 999)}",
        council=rng.choice(COUNCILS),
        complainant=complainant,
        partner=partner,
        children=children,
        relative=_person(rng, True, surnames[1], "Mrs"),
        social_worker=_person(rng, True, surnames[2], "Ms"),
        manager=_person(rng, rng.random() < 0.5, surnames[3]),
        complaints_officer=_person(rng, rng.random() < 0.5, surnames[4]),
        gp=_person(rng, rng.random() < 0.5, surnames[5], "Dr"),
        teacher=_person(rng, rng.random() < 0.5, surnames[6]),
        dob=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {birth_year}",
        address=street,
        relative_address=rel_street,
        phone=f"07700 900{rng.randint(0, 999):03d}",
        landline=f"0113 496 0{rng.randint(0, 999):03d}",
        relative_phone=f"07700 900{rng.randint(0, 999):03d}",
        email=f"{complainant.first.lower()}.{complainant.surname.lower().replace(chr(39), '')}@example.com",
        nhs=_nhs_number(rng),
        nino=f"{rng.choice(NINO_PREFIXES)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
             f"{rng.choice('ABCD')}",
        surgery=rng.choice(SURGERIES),
        school=rng.choice(SCHOOLS),
    )


def _slots(cast: Cast, rng: random.Random) -> dict[str, str]:
    c, p = cast.complainant, cast.partner
    child, age, girl = rng.choice(cast.children)
    return {
        "c_full": c.full, "c_short": c.short, "c_plain": c.plain, "c_first": c.first,
        "c_sub": "she" if c.female else "he", "c_Sub": "She" if c.female else "He",
        "c_pos": "her" if c.female else "his", "c_Pos": "Her" if c.female else "His",
        "partner_rel": "husband" if c.female else "wife", "p_full": p.full, "p_short": p.short,
        "p_first": p.first, "p_Sub": "She" if p.female else "He", "p_sub": "she" if p.female else "he",
        "p_pos": "her" if p.female else "his",
        "child": child, "age": str(age), "child_rel": "daughter" if girl else "son",
        "ch_sub": "she" if girl else "he", "ch_pos": "her" if girl else "his", "ch_Pos": "Her" if girl else "His",
        "rel_full": cast.relative.full, "rel_short": cast.relative.short,
        "sw_full": cast.social_worker.full, "sw_short": cast.social_worker.short,
        "sw_plain": cast.social_worker.plain,
        "tm_full": cast.manager.full, "tm_short": cast.manager.short,
        "co_full": cast.complaints_officer.full, "co_plain": cast.complaints_officer.plain,
        "gp_full": cast.gp.full, "gp_short": cast.gp.short,
        "t_full": cast.teacher.full, "t_short": cast.teacher.short,
        "dob": cast.dob, "address": cast.address, "rel_address": cast.relative_address,
        "phone": cast.phone, "landline": cast.landline, "rel_phone": cast.relative_phone, "email": cast.email,
        "nhs": cast.nhs, "nino": cast.nino, "surgery": cast.surgery, "school": cast.school,
        "council": cast.council, "ref": cast.ref,
        "date": _date(rng), "date2": _date(rng), "n": str(rng.randint(2, 14)),
    }


OPENING = (
    "Complainant: {c_full} (date of birth {dob}), {address}.",
    "Contact: {phone} / {email}. {c_Sub} prefers email and works shifts, so calls after 4pm only.",
    "Summary of complaint",
    "{c_short} complains about the Council's handling of a child and family assessment of {c_pos} {child_rel}, "
    "{child} (aged {age}). {c_Sub} says the assessment recorded things {c_sub} did not say, was shared with the "
    "school before {c_sub} had seen it, and that the Council took {n} weeks to answer {c_pos} stage 1 complaint. "
    "{c_Sub} says this caused {c_pos} {partner_rel}, {p_full}, and the family a great deal of worry.",
)

BODY = (
    ("Call with {c_short}, {date}",
     "{c_short} confirmed the timeline in {c_pos} letter. The assessment was started after a referral from "
     "{child}'s school on {date2}. The allocated social worker was {sw_full}. {c_short} says the social worker "
     "visited twice and did not speak to {p_short} at all. {c_Sub} says the assessment states {child} "
     "\"witnessed arguments most evenings\", which {c_sub} disputes. {c_Sub} wants the record corrected and an "
     "apology."),
    ("Identifiers in the Council's letter",
     "{c_short} also said the Council's letter of {date} quoted {c_pos} NHS number ({nhs}) and {c_pos} National "
     "Insurance number ({nino}) in the heading, and was sent to {c_pos} old address. {c_Sub} is worried about who "
     "else has seen it and asked whether the Council reported the breach."),
    ("Health",
     "{child} is registered at {surgery}. {ch_Pos} GP, {gp_full}, wrote a short letter on {date} saying there "
     "were no concerns about {ch_pos} development. {c_short} has sent a copy. The social worker's assessment "
     "does not mention the GP's letter, and {gp_short} says nobody from the Council contacted the surgery."),
    ("Family support",
     "{c_short}'s mother, {rel_full}, lives nearby at {rel_address} and looks after {child} after school three "
     "days a week. {rel_short} can be reached on {rel_phone}. {c_short} says {rel_short} was never asked for "
     "{c_pos} view, although the assessment describes the care {child} receives at {c_pos} grandmother's home."),
    ("Visit record, {date}",
     "{sw_short} visited the family home at {address}. {p_full} was present for the first half of the visit and "
     "then left for work. {child} was at {school}. {sw_short} recorded that the home was warm and tidy and that "
     "there was food in the cupboards. The record says {c_short} was \"guarded\" and would not discuss the "
     "referral, which {c_sub} denies."),
    ("School",
     "{child}'s class teacher, {t_full}, told the social worker that {child} was often tired and had missed "
     "{n} days of school since September. {t_short} said {ch_sub} was settled in class and had friends. The school "
     "received the assessment on {date} before the family had seen it."),
    ("Council's position (from its stage 2 reply)",
     "The Council accepts the assessment was shared with the school before the family saw it and has apologised. "
     "{tm_full}, the team manager, says the social worker recorded what was said at the visit, but the Council "
     "has agreed to add {c_short}'s comments to the file. It accepts the complaint response was late and blames "
     "staff shortages in the complaints team."),
    ("Complaint handling",
     "The stage 1 complaint was logged on {date} by {co_full}, Complaints Officer, and answered on {date2}. The "
     "Council's procedure allows 20 working days. {c_short} telephoned the complaints team on {landline} several "
     "times and left messages which were not returned. The Council says {co_plain} was on leave for part of "
     "that time."),
    ("Email from {c_short}, {date}",
     "{c_short} wrote: \"I have now asked three times for the notes of the second visit. My {partner_rel} {p_first} "
     "and I just want the record to be accurate. {child} is {age} and does not understand why a social worker "
     "keeps coming to the house. Please call me on {phone} or write to {email}.\""),
    ("Meeting with the Council, {date}",
     "Present: {tm_full} (team manager), {sw_plain} (social worker) and {c_short}. {p_short} joined by telephone. "
     "{tm_short} apologised for the delay and agreed to review the wording of the assessment. {c_short} asked "
     "for {child}'s name to be removed from the referral record sent to the school. The Council agreed to reply "
     "within {n} days."),
    ("Chronology note, {date}",
     "Referral received from {school} about {child} (aged {age}). Duty social worker {sw_full} rang {c_short} on "
     "{phone} and arranged a visit. Case discussed with {tm_short} on {date2}; decision to complete a child and "
     "family assessment. Family to be told the outcome in writing."),
    ("Call with {p_short}, {date}",
     "{p_full} said {c_short}'s account was right and that nobody from the Council had asked for {p_pos} view. "
     "{p_Sub} said {child} has been anxious about going to school since the visits started. {p_Sub} agreed to send "
     "the text "
     "messages the social worker sent to {c_pos} phone on {date2}."),
)

CLOSING = (
    "Points to check",
    "- Ask the Council for the social worker's case notes for both visits, and the referral record.",
    "- Ask whether the letter of {date} was a data breach and whether it was reported.",
    "- Check whether the GP's letter was received before the assessment was signed off.",
    "- Consider a remedy for the delay and for the distress to {c_short} and {p_short}.",
    "Initial view",
    "There appears to be fault in sharing the assessment early and in the delay. I have not yet seen enough to "
    "say whether the record is inaccurate; the notes of the second visit will matter most.",
)

KINDS = ("investigator's notes", "chronology from the Council's records", "complaint correspondence",
         "stage 1 response and file notes", "stage 2 response and file notes", "social care case records",
         "meeting notes", "email correspondence", "enquiry response", "health and school records")


def _fill(template: str, cast: Cast, rng: random.Random) -> str:
    return template.format(**_slots(cast, rng))


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def case_lines(cast: Cast, rng: random.Random, words: int, kind: str = "investigator's notes",
               opening: bool = True) -> list[str]:
    """One document of about ``words`` words about ``cast``, as paragraphs (headings are paragraphs too)."""
    lines = [f"Case {cast.ref} - {cast.council} - {kind}"]
    if opening:
        lines += [_fill(t, cast, rng) for t in OPENING]
    closing = [_fill(t, cast, rng) for t in CLOSING]
    budget = words - _words(closing)
    order = list(range(len(BODY)))
    while _words(lines) < budget:
        rng.shuffle(order)
        for i in order:
            heading, body = BODY[i]
            lines += [_fill(heading, cast, rng), _fill(body, cast, rng)]
            if _words(lines) >= budget:
                break
    return lines + closing


def corpus(documents: int = 60, words: int = 500, seed: int = 7) -> list[str]:
    """``documents`` case notes of about ``words`` words each, every one with its own people."""
    rng = random.Random(seed)
    return ["\n".join(case_lines(make_cast(rng), rng, words)) + "\n" for _ in range(documents)]


def _docx_bytes(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        if len(line.split()) <= 8 and not line.startswith("-") and not line.endswith("."):
            document.add_heading(line, level=2)
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def write_bundle(folder: Path, pages: int = 200, files: int = 20, seed: int = 11) -> dict[str, int]:
    """Write one case of ``pages`` pages (about 500 words each) as ``files`` files into ``folder``.

    Odd-numbered files are .docx, the others .txt, so both readers are timed. All files are
    about the same family, as a real case bundle is; returns the files' and words' counts.
    """
    rng = random.Random(seed)
    cast = make_cast(rng)
    folder.mkdir(parents=True, exist_ok=True)
    per_file = pages * WORDS_PER_PAGE // files
    total = 0
    for i in range(files):
        kind = KINDS[i % len(KINDS)]
        lines = case_lines(cast, rng, per_file, kind, opening=(i % len(KINDS) == 0))
        total += _words(lines)
        stem = f"{i + 1:02d}-{kind.split()[0].replace(chr(39), '').lower()}"
        if i % 2:
            write_file(folder / f"{stem}.docx", _docx_bytes(lines))
        else:
            write_file(folder / f"{stem}.txt", "\n".join(lines) + "\n")
    return {"files": files, "words": total, "pages": pages}


if __name__ == "__main__":  # a look at what is generated
    print(corpus(1)[0])
