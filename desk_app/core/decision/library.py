"""The paragraph library: stock wording, and which of it a new decision starts with.

Investigators copied standard paragraphs from old decisions by hand, picking up
superseded wording and typos. The library is one human-editable YAML file
(``resources/paragraph_library.yaml``) so the LGO can keep the wording current without a
code change; each entry says when it applies (outcome, stage, category, organisation), and
alternatives share a ``group`` so a new decision gets exactly one of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from desk_app.core.decision.model import (
    Decision,
    DecisionError,
    Header,
    Heading,
    ListStyle,
    Outcome,
    Paragraph,
    Section,
    Source,
    Stage,
    format_decision_date,
    normalise_top_category,
)
from desk_app.core.decision.templates import TEMPLATES, skeleton_sections, template_for
from desk_app.core.errors import DeskError
from desk_app.resources import resource_path

LIBRARY_FORMAT = "desk-app.paragraph-library"
SIGN_OFF_SECTION = "sign_off"
_ENTRY_KEYS = {"id", "version", "title", "section", "group", "default", "applies", "subheadings",
               "text", "citation", "list", "sets_heading", "source", "adds"}
_APPLIES_KEYS = {"outcome", "stage", "category", "organisation"}


class LibraryError(DeskError):
    """The paragraph library file is missing or has a mistake; the message names the entry."""


def default_library_path() -> Path:
    """Where the shipped library lives (see :mod:`desk_app.resources`)."""
    return resource_path("paragraph_library.yaml")


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


@dataclass(frozen=True)
class Applies:
    """When an entry fits a decision; an empty tuple means "any"."""

    outcomes: tuple[Outcome, ...] = ()
    stages: tuple[Stage, ...] = ()
    categories: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    def matches(self, header: Header) -> bool:
        """Categories match on the top level and the *start* of the sub-category.

        Prefix matching lets "Benefits and tax > Council tax" cover "Council tax reduction"
        without also catching "Housing benefit and council tax benefit".
        """
        if self.outcomes and header.outcome not in self.outcomes:
            return False
        if self.stages and header.stage not in self.stages:
            return False
        if self.categories and not any(_category_matches(c, header) for c in self.categories):
            return False
        organisation = _fold(header.organisation)
        return not self.organisations or any(_fold(o) in organisation for o in self.organisations)


def _category_matches(pattern: str, header: Header) -> bool:
    top, _, sub = pattern.partition(">")
    if _fold(top) != _fold(header.category):
        return False
    return not sub.strip() or _fold(header.sub_category).startswith(_fold(sub))


@dataclass(frozen=True)
class LibraryEntry:
    """One stock paragraph and the rules for using it."""

    id: str
    version: int
    section: str
    text: str
    title: str = ""
    citation: str = ""
    items: tuple[str, ...] = ()
    list_style: ListStyle | None = None
    groups: tuple[str, ...] = ()
    default: bool = False
    applies: Applies = field(default_factory=Applies)
    subheadings: tuple[str, ...] = ()
    sets_heading: str | None = None
    source: str = ""
    #: Entries inserted together with this one (an assessment reason's Final decision sentence).
    adds: tuple[str, ...] = ()

    def to_paragraph(self) -> Paragraph:
        """A fresh, unedited copy that remembers where it came from."""
        return Paragraph(text=self.text, citation=self.citation, items=list(self.items),
                         list_style=self.list_style if self.items else None,
                         source=Source(self.id, self.version), edited=False)

    def same_wording(self, paragraph: Paragraph) -> bool:
        """Whether ``paragraph`` still says exactly what this entry says."""
        return (paragraph.text, paragraph.citation, tuple(paragraph.items)) == \
            (self.text, self.citation, self.items) and \
            (not self.items or paragraph.list_style == self.list_style)


class Library:
    """The loaded library, in file order (which is also the order paragraphs are placed in)."""

    def __init__(self, entries: Iterable[LibraryEntry], path: Path | None = None) -> None:
        self.entries: list[LibraryEntry] = list(entries)
        self.path = path
        self._by_id = {e.id: e for e in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def get(self, entry_id: str) -> LibraryEntry:
        """The entry with ``entry_id``; a LibraryError says it is unknown."""
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise LibraryError(f"no library entry {entry_id!r}", self.path) from None

    def sign_off(self) -> str:
        """The closing line; the library owns it so the LGO can change it in one place."""
        for entry in self.entries:
            if entry.section == SIGN_OFF_SECTION and entry.default:
                return entry.text
        raise LibraryError("the library has no default sign-off entry (section: sign_off)", self.path)

    def applicable(self, header: Header) -> list[LibraryEntry]:
        """Every paragraph entry that fits the header, default or not (for "add paragraph")."""
        return [e for e in self.entries if e.section != SIGN_OFF_SECTION and e.applies.matches(header)]

    def companions(self, entry: LibraryEntry) -> list[LibraryEntry]:
        """The entries ``entry`` brings along (``adds``), in the order the file gives them."""
        return [self.get(i) for i in entry.adds]

    def search(self, query: str, entries: Iterable[LibraryEntry] | None = None) -> list[LibraryEntry]:
        """Entries whose wording, title, citation or section match every word of ``query``.

        Investigators search by what a paragraph is for ("apology", "payment for delay"), not
        by its id, so each query word also matches its common synonyms (see
        :data:`SYNONYMS`) and matches the start of a word ("apolog" finds "apologise").
        """
        words = query_words(query)
        pool = self.entries if entries is None else list(entries)
        return [e for e in pool if e.section != SIGN_OFF_SECTION and entry_matches(e, words)]

    def alternatives(self, entry_id: str) -> list[LibraryEntry]:
        """Other entries sharing a group with ``entry_id``: the wording variants to offer."""
        entry = self.get(entry_id)
        return [e for e in self.entries
                if e.id != entry.id and set(e.groups) & set(entry.groups)]

    def select(self, header: Header, add: Iterable[str] = ()) -> list[LibraryEntry]:
        """The entries a new decision starts with, in library order.

        Defaults that apply are taken, one per group (the first in file order). Entries the
        user adds by id are taken whatever their conditions, and take their groups' places,
        so adding the Part 3A opening replaces the council one.
        """
        explicit = [self.get(i) for i in add]
        explicit += [c for e in list(explicit) for c in self.companions(e) if c not in explicit]
        explicit_ids = {e.id for e in explicit}
        taken: set[str] = {g for e in explicit for g in e.groups}
        template = template_for(header.outcome)
        chosen: list[LibraryEntry] = []
        for entry in self.entries:
            if entry.section == SIGN_OFF_SECTION:
                continue
            if entry.id in explicit_ids:
                chosen.append(entry)
                continue
            if not entry.default or not entry.applies.matches(header):
                continue
            if entry.section not in template.keys() or set(entry.groups) & taken:
                continue
            chosen.append(entry)
            taken.update(entry.groups)
        return chosen

    def status(self, paragraph: Paragraph) -> str:
        """Where a paragraph stands against the library, for reviewers.

        "own" (written by the investigator), "unknown" (its entry has gone), "edited",
        "outdated" (the library wording has a newer version) or "current".
        """
        if paragraph.source is None:
            return "own"
        entry = self._by_id.get(paragraph.source.id)
        if entry is None:
            return "unknown"
        if paragraph.edited:
            return "edited"
        if entry.version != paragraph.source.version:
            return "outdated"
        return "current" if entry.same_wording(paragraph) else "edited"


# --- searching ---------------------------------------------------------------------------------

#: Words an investigator may type for the same idea; each row is one idea. A query word that
#: starts like any word of a row matches every word of that row.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("apology", "apologise", "apologize", "apologised", "sorry"),
    ("payment", "pay", "remedy", "remedies", "compensation", "financial", "symbolic", "£"),
    ("delay", "delayed", "late", "timescale"),
    ("distress", "upset", "anxiety", "frustration"),
    ("court", "legal", "judicial"),
    ("complaint handling", "complaints procedure", "complaint response"),
    ("communication", "informed", "updated", "contact"),
    ("records", "record keeping", "recorded", "writing"),
    ("service improvement", "procedure", "guidance", "training", "remind"),
    ("premature", "complaints procedure"),
    ("jurisdiction", "schedule 5", "cannot investigate"),
)

_WORD_RE = re.compile(r"[\w£]+", re.UNICODE)
SECTION_NAMES = {
    "complaint": "the complaint", "investigated": "what I have investigated", "role": "role and powers",
    "considered": "how I considered", "found": "what I found", "analysis": "analysis conclusions findings",
    "action": "agreed action remedy", "decision": "final decision", "assessment": "my assessment",
    "not_investigated": "not investigated", SIGN_OFF_SECTION: "sign-off",
}


def query_words(query: str) -> list[tuple[str, ...]]:
    """Each query word with the synonyms it stands for, folded for matching."""
    result = []
    for word in _WORD_RE.findall(_fold(query)):
        alternatives = {word}
        for row in SYNONYMS:
            if any(_starts_word(w, word) or _starts_word(word, w) for w in row if " " not in w):
                alternatives.update(row)
        result.append(tuple(sorted(alternatives)))
    return result


def _starts_word(word: str, prefix: str) -> bool:
    return len(prefix) >= 3 and word.startswith(prefix) or word == prefix


def entry_haystack(entry: LibraryEntry) -> str:
    """Everything a search looks in, folded: text, list, citation, title, id and section name."""
    parts = (entry.text, *entry.items, entry.citation, entry.title, entry.id.replace(".", " ").replace("-", " "),
             entry.section, SECTION_NAMES.get(entry.section, ""), " ".join(entry.subheadings))
    return _fold(" ".join(parts))


def entry_matches(entry: LibraryEntry, words: list[tuple[str, ...]]) -> bool:
    """True when every query word (or one of its synonyms) starts a word of the entry."""
    hay = entry_haystack(entry)
    tokens = _WORD_RE.findall(hay)
    for alternatives in words:
        if not any((" " in alt and alt in hay) or any(_starts_word(t, alt) for t in tokens)
                   for alt in alternatives):
            return False
    return True


# --- building a new decision -----------------------------------------------------------------


def fill_section(section: Section, entries: Iterable[LibraryEntry]) -> None:
    """Append entries' paragraphs, opening sub-headings whenever an entry's path changes."""
    current: tuple[str, ...] = ()
    for entry in entries:
        path = entry.subheadings
        if path != current:
            common = 0
            while common < min(len(path), len(current)) and path[common] == current[common]:
                common += 1
            for level, text in enumerate(path[common:], start=common + 2):
                section.add(Heading(text=text, level=level))
            current = path
        section.add(entry.to_paragraph())


def new_decision(header: Header, *, library: Library | None = None, add: Iterable[str] = (),
                 include: Iterable[str] = (), headings: Mapping[str, str] | None = None,
                 summary: str = "") -> Decision:
    """A skeleton decision: template sections, the library paragraphs that fit, the sign-off.

    ``add`` names extra library entries, ``include`` optional sections, ``headings`` the
    chosen heading per section key (e.g. ``{"analysis": "Conclusions"}``).
    """
    header.validate()
    library = library or load_library()
    template = template_for(header.outcome)
    entries = library.select(header, add)
    for entry in entries:
        if entry.section not in template.keys():
            raise DecisionError(f"library entry {entry.id!r} belongs in section {entry.section!r}, which "
                                f"the {template.name} template does not have")
    wanted = tuple(dict.fromkeys([*include, *(e.section for e in entries)]))
    chosen_headings = dict(headings or {})
    for entry in entries:
        if entry.sets_heading and entry.section not in chosen_headings:
            chosen_headings[entry.section] = entry.sets_heading
    sections = skeleton_sections(header, template, include=wanted, headings=chosen_headings)
    for section in sections:
        fill_section(section, [e for e in entries if e.section == section.key])
    return Decision(header=header, summary=summary, sections=sections, sign_off=library.sign_off(),
                    template=template.name)


def today() -> str:
    """Today's date in the header's ``DD Mon YYYY`` form (new decisions default to it)."""
    return format_decision_date(dt.date.today())


# --- loading ----------------------------------------------------------------------------------


def load_library(path: Path | str | None = None) -> Library:
    """Read and check the library; every mistake is a LibraryError naming entry and field."""
    path = Path(path) if path is not None else default_library_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LibraryError("paragraph library not found", path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise LibraryError(f"paragraph library cannot be read ({error})", path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise LibraryError(f"paragraph library is not valid YAML{where}: {problem}", path) from None
    return library_from_data(data, path)


def library_from_data(data: Any, path: Path | None = None) -> Library:
    """Build a Library from parsed YAML (tests feed small libraries through this)."""
    if not isinstance(data, dict) or data.get("format") != LIBRARY_FORMAT:
        raise LibraryError(f"not a paragraph library (format must be {LIBRARY_FORMAT!r})", path)
    if data.get("format_version") != 1:
        raise LibraryError(f"format_version {data.get('format_version')!r} is not supported (1 is)", path)
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LibraryError("entries: must be a non-empty list", path)
    entries = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries):
        entry = _entry_from_data(raw, index, path)
        if entry.id in seen:
            raise LibraryError(f"entries[{index}].id: {entry.id!r} is used twice", path)
        seen.add(entry.id)
        entries.append(entry)
    for entry in entries:
        for other in entry.adds:
            if other not in seen or other == entry.id:
                raise LibraryError(f"entry {entry.id!r}.adds: {other!r} is not another entry of the library", path)
    return Library(entries, path)


def _entry_from_data(raw: Any, index: int, path: Path | None) -> LibraryEntry:
    where = f"entries[{index}]"

    def fail(field_name: str, problem: str) -> LibraryError:
        return LibraryError(f"{where}.{field_name}: {problem}", path)

    if not isinstance(raw, dict):
        raise LibraryError(f"{where}: must be a mapping of fields", path)
    if isinstance(raw.get("id"), str):
        where = f"entry {raw['id']!r}"
    for key in ("id", "version", "section", "text"):
        if key not in raw:
            raise LibraryError(f"{where}: missing field {key}", path)
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise fail(unknown[0], "unknown field (misspelt?)")

    def text(key: str, *, required: bool = False) -> str:
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise fail(key, "must be text" + (" and not empty" if required else ""))
        return " ".join(value.split()) if key != "text" else value.strip()

    def strings(value: Any, field_name: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(field_name, "must be a list of text")
        return tuple(" ".join(v.split()) for v in value)

    entry_id = text("id", required=True)
    version = raw["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise fail("version", "must be a whole number from 1")
    section = text("section", required=True)
    known_sections = {k for t in TEMPLATES.values() for k in t.keys()} | {SIGN_OFF_SECTION}
    if section not in known_sections:
        raise fail("section", f"{section!r} is not a section key; use one of {', '.join(sorted(known_sections))}")
    body = " ".join(text("text", required=True).split())
    default = raw.get("default", False)
    if not isinstance(default, bool):
        raise fail("default", "must be true or false")

    items: tuple[str, ...] = ()
    list_style = None
    if raw.get("list") is not None:
        lst = raw["list"]
        if not isinstance(lst, dict) or set(lst) != {"style", "items"}:
            raise fail("list", "must have exactly style and items")
        try:
            list_style = ListStyle(lst["style"])
        except ValueError:
            raise fail("list.style", f"{lst['style']!r} must be bullets or letters") from None
        items = strings(lst["items"], "list.items")
        if not items:
            raise fail("list.items", "must not be empty")

    subheadings = strings(raw.get("subheadings", []), "subheadings")
    if len(subheadings) > 2:
        raise fail("subheadings", "at most two levels")
    groups = strings(raw.get("group", []), "group")
    sets_heading = raw.get("sets_heading")
    if sets_heading is not None:
        sets_heading = text("sets_heading", required=True)
        choices = {h for t in TEMPLATES.values() for s in t.sections if s.key == section for h in s.headings}
        if sets_heading not in choices:
            raise fail("sets_heading", f"{sets_heading!r} is not a heading choice for section {section!r}")
    return LibraryEntry(
        id=entry_id, version=version, section=section, text=body, title=text("title"),
        citation=text("citation"), items=items, list_style=list_style, groups=groups, default=default,
        applies=_applies_from_data(raw.get("applies"), fail), subheadings=subheadings,
        sets_heading=sets_heading, source=text("source"), adds=strings(raw.get("adds", []), "adds"),
    )


def _applies_from_data(raw: Any, fail: Any) -> Applies:
    if raw is None:
        return Applies()
    if not isinstance(raw, dict):
        raise fail("applies", "must be a mapping (outcome, stage, category, organisation)")
    unknown = sorted(set(raw) - _APPLIES_KEYS)
    if unknown:
        raise fail(f"applies.{unknown[0]}", "unknown condition; use outcome, stage, category, organisation")

    def listed(key: str) -> list[str]:
        value = raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"applies.{key}", "must be a list of text")
        return value

    try:
        outcomes = tuple(Outcome.parse(v, "applies.outcome") for v in listed("outcome"))
        stages = tuple(Stage.parse(v, "applies.stage") for v in listed("stage"))
        categories = []
        for pattern in listed("category"):
            top, sep, sub = pattern.partition(">")
            top = normalise_top_category(top, "applies.category")
            categories.append(f"{top} > {sub.strip()}" if sep else top)
    except DecisionError as error:
        field_name, _, problem = error.message.partition(":")
        raise fail(field_name, problem.strip()) from None
    return Applies(outcomes=outcomes, stages=stages, categories=tuple(categories),
                   organisations=tuple(listed("organisation")))
