"""The case mapping: who is who, saved as JSON so every file and every later run of a case
uses the same pseudonyms.

The file is meant to be read and edited by a person: change a pseudonym, add a name form
the tool missed (a nickname), mark the complainant, or list words that are not names under
"ignore". Passing it back with ``--mapping`` re-uses all of it.

    {
      "version": 1,
      "people": [
        {"names": ["Cheryl Laffey", "Cheryl", "Laffey"], "title": "Mrs", "letter": "X",
         "pseudonym": "Mrs X", "child": false, "role": null, "complainant": true}
      ],
      "ignore": ["Hope"]
    }
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk_app.core.atomic import write_file
from desk_app.core.errors import InputError

if TYPE_CHECKING:
    from desk_app.core.people import Case, Person
    from desk_app.core.pseudonyms import Label

FORMAT_VERSION = 1


@dataclass
class MappedPerson:
    names: list[str]
    title: str | None = None
    letter: str | None = None
    child: bool = False
    role: str | None = None
    complainant: bool = False
    pseudonym: str | None = None


@dataclass
class CaseMapping:
    people: list[MappedPerson] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ files
    @classmethod
    def load(cls, path: str | Path) -> CaseMapping:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("the mapping file does not exist", path) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"the mapping file is not valid JSON ({exc})", path) from None
        return cls.from_dict(data, path)

    @classmethod
    def from_dict(cls, data: Any, path: Path | None = None) -> CaseMapping:
        if not isinstance(data, dict) or not isinstance(data.get("people", []), list):
            raise InputError("the mapping must be an object with a 'people' list", path)
        people = []
        for n, raw in enumerate(data.get("people", []), 1):
            if not isinstance(raw, dict) or not raw.get("names") or not isinstance(raw["names"], list):
                raise InputError(f"person {n} in the mapping has no 'names' list", path)
            names = [str(x).strip() for x in raw["names"] if str(x).strip()]
            letter = raw.get("letter")
            if letter is not None and (not isinstance(letter, str) or len(letter) != 1 or not letter.isupper()):
                raise InputError(f"person {n} ('{names[0]}') has a 'letter' that is not one capital letter", path)
            people.append(MappedPerson(names, raw.get("title"), letter, bool(raw.get("child", False)),
                                       raw.get("role"), bool(raw.get("complainant", False)),
                                       raw.get("pseudonym")))
        ignore = [str(w) for w in data.get("ignore", [])]
        return cls(people, ignore)

    def to_dict(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION,
                "people": [p.__dict__ for p in self.people],
                "ignore": self.ignore}

    def save(self, path: str | Path) -> None:
        write_file(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")

    # -------------------------------------------------------------- with a case
    def seed(self, case: Case) -> dict[int, Label]:
        """Put the mapped people into ``case`` before clustering; their labels are fixed."""
        from desk_app.core.people import Person, _split
        from desk_app.core.pseudonyms import Label

        fixed: dict[int, Label] = {}
        for mp in self.people:
            p = Person(id=len(case.people))
            p.forms = set(mp.names)
            longest = max(mp.names, key=lambda n: len(n.split()))
            words = longest.split()
            if len(words) >= 2:
                p.first, p.surname = _split(words)
            elif mp.title:
                p.surname = words[0]
            else:
                p.first = words[0]
            if mp.title:
                p.titles[mp.title] += 1
            from desk_app.core.names import TITLE_GENDER
            p.gender = TITLE_GENDER.get((mp.title or "").lower())
            p.child, p.role, p.complainant = mp.child, mp.role, mp.complainant
            case.people.append(p)
            fixed[p.id] = Label(mp.letter, None if mp.child else mp.title, mp.role)
        return fixed

    @classmethod
    def from_case(cls, people: list[Person], labels: dict[int, Label], ignore: list[str] | None = None
                  ) -> CaseMapping:
        out = []
        for p in sorted(people, key=lambda p: p.first_seen):
            if not p.forms:
                continue
            lab = labels[p.id]
            names = sorted(p.forms, key=lambda f: (-len(f.split()), f))
            out.append(MappedPerson(names, lab.title, lab.letter, bool(p.child), lab.role, p.complainant,
                                    lab.pseudonym))
        return cls(out, list(ignore or []))
