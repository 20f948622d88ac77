"""Between a case's people and its mapping file.

The mapping (``core.mapping``) is only the file format: who is who, as a reviewer may read and
edit it. What it means for clustering lives here, beside the people: ``seed`` puts the mapped
people into a ``PeopleIndex`` before clustering, with their labels fixed; ``mapping_of``
writes what clustering and labelling found back as a mapping to keep, in ``mapped_order``.
"""

from __future__ import annotations

from desk_app.core.names import TITLE_GENDER
from desk_app.core.people.cluster import PeopleIndex, Person, split_name
from desk_app.core.people.mapping import CaseMapping, MappedPerson
from desk_app.core.people.pseudonyms import Label

__all__ = ["mapped_order", "mapping_of", "seed"]


def seed(index: PeopleIndex, mapping: CaseMapping) -> dict[int, Label]:
    """Put the mapped people into ``index`` before clustering; their labels are fixed."""
    fixed: dict[int, Label] = {}
    for mp in mapping.people:
        p = Person(id=len(index.people))
        p.forms = set(mp.names)
        longest = max(mp.names, key=lambda n: len(n.split()))
        words = longest.split()
        if len(words) >= 2:
            p.first, p.surname = split_name(words)
        elif mp.title:
            p.surname = words[0]
        else:
            p.first = words[0]
        if mp.title:
            p.titles[mp.title] += 1
        p.gender = TITLE_GENDER.get((mp.title or "").lower())
        p.child, p.role, p.complainant, p.locked = mp.child, mp.role, mp.complainant, True
        index.people.append(p)
        if mp.letter or mp.role:   # no letter yet: one is chosen like for anyone new
            fixed[p.id] = Label(mp.letter, None if mp.child else mp.title, mp.role)
    return fixed


def mapped_order(people: list[Person]) -> list[Person]:
    """The people a mapping lists, in its order (first mention first): entry ``i`` of
    ``mapping_of(people, ...).people`` is ``mapped_order(people)[i]``."""
    return [p for p in sorted(people, key=lambda p: p.first_seen) if p.forms]


def mapping_of(people: list[Person], labels: dict[int, Label], ignore: list[str] | None = None) -> CaseMapping:
    """The mapping to keep: every person with a name form, their label and their forms."""
    out = []
    for p in mapped_order(people):
        lab = labels[p.id]
        names = sorted(p.forms, key=lambda f: (-len(f.split()), f))
        out.append(MappedPerson(names, lab.title, lab.letter, bool(p.child), lab.role, p.complainant, lab.pseudonym))
    return CaseMapping(out, list(ignore or []))
