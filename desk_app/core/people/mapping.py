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
from typing import Any

import regex

from desk_app.core.atomic import write_file
from desk_app.core.errors import InputError
from desk_app.core.names import TITLE_PREFIX

FORMAT_VERSION = 1
_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
_PSEUDONYM = regex.compile(r"(?:(?P<title>Mrs|Miss|Mr|Ms|Mx|Dr)\s+)?(?P<letter>[B-HJ-Z])")
_ROLE_PSEUDONYM = regex.compile(r"(?i:the)\s+(?P<role>.+)")


def _text(raw: dict[str, Any], key: str, n: int, path: Path | None) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"person {n}: '{key}' must be text, not {value!r}", path)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _render(letter: str | None, title: str | None, role: str | None, child: bool) -> str | None:
    if role:
        return f"the {role}"
    if letter is None:
        return None
    return f"{title} {letter}" if title and not child else letter


@dataclass
class MappedPerson:
    names: list[str]
    title: str | None = None
    letter: str | None = None
    child: bool = False
    role: str | None = None
    complainant: bool = False
    pseudonym: str | None = None

    @property
    def rendered(self) -> str | None:
        """What the person is called in the output ("Mrs X", "B", "the social worker")."""
        return self.pseudonym or _render(self.letter, self.title, self.role, self.child)


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
        """Check a mapping a person may have edited; every problem is one plain InputError."""
        if not isinstance(data, dict) or not isinstance(data.get("people", []), list):
            raise InputError("the mapping must be an object with a 'people' list", path)
        people, seen = [], {}
        surnames: list[set[str]] = []
        for n, raw in enumerate(data.get("people", []), 1):
            if not isinstance(raw, dict) or not isinstance(raw.get("names"), list):
                raise InputError(f"person {n} in the mapping has no 'names' list", path)
            names, title = [], _text(raw, "title", n, path)
            for name in raw["names"]:
                if not isinstance(name, str):
                    raise InputError(f"person {n}: every name must be text, not {name!r}", path)
                m = TITLE_PREFIX.match(name.strip())
                if m:   # 'Mrs Laffey' in 'names': the title is not part of the name
                    title = title or m.group("title")
                    name = name.strip()[m.end():]
                if name.strip() and name.strip() not in names:
                    names.append(name.strip())
            if not names:
                raise InputError(f"person {n} in the mapping has no names", path)
            letter, role = _text(raw, "letter", n, path), _text(raw, "role", n, path)
            pseudonym = _text(raw, "pseudonym", n, path)
            if pseudonym and pseudonym != _render(letter, title, role, bool(raw.get("child"))):
                # the pseudonym is what a person edits: it wins over letter and title
                if (pm := _PSEUDONYM.fullmatch(pseudonym.strip())) is not None:
                    title, letter, role = pm.group("title") or (None if raw.get("child") else title), \
                        pm.group("letter"), None
                elif (rm := _ROLE_PSEUDONYM.fullmatch(pseudonym.strip())) is not None:
                    role, letter = rm.group("role"), None
                else:
                    raise InputError(f"person {n} ('{names[0]}'): pseudonym '{pseudonym}' is not 'Title L', "
                                     "'L' or 'the <role>'", path)
            if letter is not None and (len(letter) != 1 or not letter.isupper() or letter in "AI"):
                raise InputError(f"person {n} ('{names[0]}'): 'letter' must be one capital letter other than "
                                 "A or I", path)
            if title is not None and title not in _TITLES:
                raise InputError(f"person {n} ('{names[0]}'): unknown title '{title}'", path)
            family = {n.split()[-1].casefold() for n in names if " " in n}
            surnames.append(family)
            for name in names:
                if name.casefold() in seen and name.casefold() in family & surnames[seen[name.casefold()] - 1]:
                    continue   # a surname family members share ('Mr and Mrs Ramsden')
                if name.casefold() in seen:
                    raise InputError(f"'{name}' is listed for person {seen[name.casefold()]} and person {n}; "
                                     "merge them into one entry", path)
                seen[name.casefold()] = n
            people.append(MappedPerson(names, title, letter, bool(raw.get("child", False)), role,
                                       bool(raw.get("complainant", False)), pseudonym))
        ignore = data.get("ignore", [])
        if not isinstance(ignore, list) or not all(isinstance(w, str) for w in ignore):
            raise InputError("'ignore' must be a list of words", path)
        return cls(people, list(ignore))

    def to_dict(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION,
                "people": [p.__dict__ for p in self.people],
                "ignore": self.ignore}

    def save(self, path: str | Path) -> None:
        write_file(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
