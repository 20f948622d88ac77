"""LGO house style for naming people (lgo-conventions.md, section 4).

The complainant is "Title X"; other adults get a title and a letter in order of first
mention from B; children a bare letter; a spouse or partner who shares the surname shares
the letter ("Mr and Mrs X"), while an adult son, a mother or a sister gets a titled letter
of their own ("her adult son Mr Y"); staff are named by role ("the social worker"). Never A
or I (the guidance warns of spell-checker trouble), never a letter already used, never the
person's real initial.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from desk_app.core.names import KIN_GENDER, OTHER_TITLES, fold
from desk_app.core.people import LGO_TITLES, Mention, Person

COMPLAINANT_LETTER = "X"
LETTER_ORDER = "BCDEFGHJKLMNOPQRSTUVWYZ"   # no A, I; X is kept for the complainant
_ORDINALS = ("", "second ", "third ", "fourth ", "fifth ", "sixth ")


@dataclass
class Label:
    """How one person is written in the output."""

    letter: str | None = None
    title: str | None = None      # None for children and untitled adults
    role: str | None = None       # "social worker": staff are named by role, not lettered

    @property
    def base_role(self) -> str | None:
        """The role without its ordinal: 'social worker' for 'second social worker'."""
        if self.role is None:
            return None
        ordinal = next((o for o in _ORDINALS[1:] if self.role.startswith(o)), "")
        return self.role[len(ordinal):]

    @property
    def pseudonym(self) -> str:
        if self.role:
            return f"the {self.role}"
        return f"{self.title} {self.letter}" if self.title else str(self.letter)


def _a_relative(p: Person) -> bool:
    """A kinship word says ``p`` is a relative, not a partner, of the family whose surname they
    share ('her adult son, Leo Hart'). With no word, sharing a surname with another title is
    most often a couple, and the letter is shared as before. (A word whose gender contradicts
    the person's title was about someone else: 'told her son, Mrs Hart said'.)"""
    return p.relative is not None and KIN_GENDER.get(p.relative) in (None, p.gender)


def assign(people: list[Person], fixed: dict[int, Label] | None = None) -> dict[int, Label]:
    """A label for every person; ``fixed`` labels (from a saved case mapping) are kept."""
    labels: dict[int, Label] = dict(fixed or {})
    used = {lab.letter for lab in labels.values() if lab.letter}
    family_letter: dict[str, str] = {}
    holders: dict[str, list[Person]] = defaultdict(list)   # who already has each family letter
    for pid, lab in labels.items():
        p = people[pid]
        if lab.letter and not p.child and p.surname and not lab.role:
            family_letter.setdefault(fold(p.surname), lab.letter)
            if family_letter[fold(p.surname)] == lab.letter:
                holders[fold(p.surname)].append(p)

    def family_of(p: Person) -> str | None:
        # adults only: a child, or someone never titled and not known to be an adult, has
        # a letter of their own even when they share the family's surname
        adult = p.child is False or bool(p.titles)
        return fold(p.surname) if (p.surname and adult and not p.child and not p.role) else None

    families: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        if (fam := family_of(p)) is not None:
            families[fam].append(p)

    def free_letter(avoid: set[str], prefer: str | None = None) -> str:
        if prefer and prefer not in used and prefer not in avoid:
            return prefer
        for c in LETTER_ORDER:
            if c not in used and c not in avoid:
                return c
        for c in LETTER_ORDER:  # more people than letters: reuse, but still not initials
            if c not in avoid:
                return c
        return "Z"

    role_count: dict[str, int] = defaultdict(int)
    order = sorted(people, key=lambda p: (not p.complainant, p.first_seen))
    for p in order:
        if p.id in labels:
            continue
        if p.role:
            n = role_count[p.role]
            role_count[p.role] += 1
            labels[p.id] = Label(role=f"{_ORDINALS[min(n, len(_ORDINALS) - 1)]}{p.role}")
            continue
        title = None if p.child else p.title
        # (the complainant anchors the family: their own kinship word is to someone else, 'Leo's mother')
        family = None if _a_relative(p) and not p.complainant else family_of(p)
        if family and family in family_letter:
            if not any(q.title == title for q in holders[family]):
                labels[p.id] = Label(family_letter[family], title)
                holders[family].append(p)
                continue
            family = None  # 'Mr Tariq Mahmood' and 'Mr Imran Mahmood': two men, two letters
        avoid = set(p.initials)
        if family:
            for q in families[family]:
                avoid |= q.initials
        letter = free_letter(avoid, COMPLAINANT_LETTER if p.complainant else None)
        if p.complainant and letter != COMPLAINANT_LETTER:
            letter = free_letter(avoid, "Y" if "Y" not in avoid else "Z")
        used.add(letter)
        if family:
            family_letter[family] = letter
            holders[family].append(p)
        labels[p.id] = Label(letter, title)
    return labels


def render(mention: Mention, person: Person, label: Label) -> str:
    """The replacement for one mention, keeping the title as written and the case."""
    if label.role:
        out = label.pseudonym
    elif mention.couple and label.letter:
        out = f"{mention.title} {label.letter}"
    elif person.child or not (mention.title or label.title):
        out = str(label.letter)
    elif mention.title in LGO_TITLES or mention.title in OTHER_TITLES:
        out = f"{OTHER_TITLES.get(mention.title, mention.title)} {label.letter}"   # 'Sir Alistair' -> 'Mr D'
    else:
        out = f"{label.title} {label.letter}" if label.title else str(label.letter)
    surface = mention.text
    letters = [c for c in surface if c.isalpha()]
    if len(letters) > 2 and all(c.isupper() for c in letters):
        out = out.upper()
    return out
