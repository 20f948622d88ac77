"""The decision's people: pseudonyms that follow the review, and the names that must not stay.

A decision is written with the case's pseudonyms ("Mrs X", "her son, B"), but the review
goes on while it is being written: a reviewer renames Oliver from B to D, merges two
entries, or makes someone else the complainant. The decision text holds plain letters, so
without help it keeps the old ones and the published statement calls one child B and D.

This module is what keeps them in step, without Qt, so the window, the tests and any later
command line share it:

* :class:`Cast` is a snapshot of who the case's people are (their name forms and labels),
  taken from a :class:`~desk_app.core.people.mapping.CaseMapping`.
* ``old.renames_to(new)`` works out which pseudonyms changed, following each person by
  their name forms (a merged entry's names end up in the one that stays);
  :meth:`Renames.apply` rewrites them in a text by whole-word matching, all at once, so a
  swap (B and D trading letters) cannot chain; :func:`rename_in_decision` does a whole
  decision.
* :meth:`Cast.marks` finds, in one text, the real names of the case's people and the
  pseudonym-looking tokens ("Mr B", "her son, C", "C's") that belong to no current person:
  the editor underlines them while typing and :func:`find_problems` lists them, with the
  paragraph number the exported decision prints, so export can refuse a stale pseudonym.
* :func:`locate` finds the decision paragraph a leak report's term and context came from,
  so a refusal can say "paragraph 16" rather than the Word file's internal position.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from desk_app.core.decision.model import Decision, Heading, Paragraph
from desk_app.core.decision.numbering import iter_numbered
from desk_app.core.names import OTHER_TITLES, fold
from desk_app.core.people import LGO_TITLES
from desk_app.core.people.mapping import CaseMapping, MappedPerson
from desk_app.core.people.pseudonyms import COMPLAINANT_LETTER, LETTER_ORDER

#: Every letter a pseudonym can use: the house order plus the complainant's X (never A or I).
LETTERS = "".join(sorted(set(LETTER_ORDER) | {COMPLAINANT_LETTER}))
_TITLE_WORDS = tuple(sorted({*LGO_TITLES, *OTHER_TITLES}, key=len, reverse=True))
_TITLE = "(?:" + "|".join(_TITLE_WORDS) + r")"
_L = f"[{LETTERS}]"
#: A pseudonym letter ends the word: not "Mr Bell", "B-road", "B.Sc" or "B2".
_END = r"(?![\w\-]|\.\w)"
#: Words for a relative or companion, after which a bare capital is a person ("her son, C").
KIN_WORDS = (
    "son", "daughter", "child", "baby", "grandson", "granddaughter", "grandchild", "stepson", "stepdaughter",
    "stepchild", "foster child", "brother", "sister", "half-brother", "half-sister", "sibling", "twin", "nephew",
    "niece", "cousin", "husband", "wife", "partner", "ex-partner", "mother", "father", "grandmother",
    "grandfather", "aunt", "uncle", "carer", "friend", "neighbour", "tenant", "landlord",
)
_KIN = "(?:" + "|".join(sorted((re.escape(w) for w in KIN_WORDS), key=len, reverse=True)) + ")"
#: A capital after these is a label, not a person ("Part B", "Schedule C", "Plan B").
_NOT_PEOPLE = frozenset(fold(w) for w in (
    "part", "parts", "schedule", "annex", "appendix", "section", "plan", "option", "class", "band", "grade", "type",
    "block", "flat", "unit", "room", "ward", "category", "level", "phase", "vitamin", "hepatitis", "form", "table",
    "figure", "exhibit", "item", "box", "model", "zone", "wing", "floor", "bay", "route", "tier", "group", "team",
    "step", "stage", "key", "priority", "list", "column", "row", "grant", "rule", "article", "regulation",
    "paragraph", "chapter", "strand", "track", "site", "lot", "area", "plot", "point",
))

# One scanner for every pseudonym-looking token, longest form first: a couple ("Mr and Mrs X"),
# a title and letter ("Dr B"), a relative and letter ("her son, C"), a possessive ("C's").
_TOKEN_RE = re.compile(
    rf"\b(?P<t1>{_TITLE})\.?\s+and\s+(?P<t2>{_TITLE})\.?\s+(?P<cl>{_L}){_END}"
    rf"|\b(?P<t>{_TITLE})\.?\s+(?P<tl>{_L}){_END}"
    rf"|\b(?P<kin>{_KIN})(?:,\s*|\s+)(?P<kl>{_L}){_END}"
    rf"|(?<![\w\-.’'])(?P<pl>{_L})(?=['’]s\b)"
)
#: Any capital standing alone as a word: what a rename rewrites besides the forms above.
_BARE_RE = re.compile(rf"(?<![\w\-.’'(])(?P<bl>{_L}){_END}(?!\))")


def _normal_title(title: str) -> str:
    return OTHER_TITLES.get(title, title)


@dataclass(frozen=True)
class Who:
    """One person as the decision names them: their name forms and their label."""

    names: tuple[str, ...]
    letter: str | None
    title: str | None
    role: str | None
    child: bool

    @classmethod
    def of(cls, person: MappedPerson) -> Who:
        letter, title, role = person.letter, person.title, person.role
        rendered = person.rendered or ""
        if rendered.startswith("the "):
            letter, title, role = None, None, rendered[4:]
        elif rendered:
            *words, last = rendered.split()
            if len(last) == 1:
                letter, title = last, (words[0] if words else None)
        return cls(tuple(person.names), letter, None if person.child else title, role, person.child)

    @property
    def pseudonym(self) -> str:
        if self.role:
            return f"the {self.role}"
        if self.letter is None:
            return ""
        return f"{self.title} {self.letter}" if self.title else self.letter

    def folded(self) -> set[str]:
        return {fold(n) for n in self.names}


@dataclass(frozen=True)
class Change:
    """One person's pseudonym before and after a review action."""

    old: Who
    new: Who

    def __str__(self) -> str:
        return f"{self.old.pseudonym} → {self.new.pseudonym}"


@dataclass(frozen=True)
class Mark:
    """A place in one text: a real name ("name") or a pseudonym of nobody ("stale")."""

    start: int
    end: int
    kind: str
    term: str


@dataclass(frozen=True)
class Place:
    """Where in the decision a text sits, as the reader of the exported file sees it.

    ``number`` is the paragraph's printed number (None for the Summary, a heading or the
    header); ``field`` is "text", "item" or "citation"; ``item`` the list item's index.
    """

    label: str
    number: int | None = None
    paragraph: Paragraph | None = None
    field: str = "text"
    item: int = 0


@dataclass(frozen=True)
class Problem:
    """A real name or a stale pseudonym found in the decision."""

    place: Place
    mark: Mark
    context: str

    @property
    def message(self) -> str:
        if self.mark.kind == "name":
            return f"“{self.mark.term}”, a real name, is in {self.place.label}"
        return f"“{self.mark.term}” is in {self.place.label}, but no one in the case is called that now"


@dataclass
class Renames:
    """Pseudonym changes to apply to text: one pass, every old form to its new one."""

    changes: list[Change] = field(default_factory=list)
    #: (title, letter) -> the person; titles normalised ("Sir" is "Mr").
    _titled: dict[tuple[str, str], Change] = field(default_factory=dict)
    #: letter -> the one old person who had it (letters two people shared are left alone in bare form).
    _bare: dict[str, Change] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def describe(self) -> str:
        return ", ".join(str(c) for c in self.changes)

    def _by_title(self, title: str, letter: str) -> Change | None:
        return self._titled.get((_normal_title(title), letter)) or self._bare.get(letter)

    def apply(self, text: str) -> tuple[str, int]:
        """``text`` with every old pseudonym of a renamed person replaced, and how many were."""
        if not self.changes or not text:
            return text, 0
        spans: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for m in _TOKEN_RE.finditer(text):
            new = self._replace_token(m, text)
            taken.append(m.span())
            if new is not None and new != m.group(0):
                spans.append((m.start(), m.end(), new))
        for m in _BARE_RE.finditer(text):
            if any(s <= m.start() < e for s, e in taken) or _labels_a_thing(text, m.start()):
                continue
            change = self._bare.get(m.group("bl"))
            if change is not None:
                spans.append((m.start(), m.end(), _bare_form(change.new, text, m.start())))
        if not spans:
            return text, 0
        out, last = [], 0
        for start, end, new in sorted(spans):
            out.append(text[last:start])
            out.append(new)
            last = end
        out.append(text[last:])
        return "".join(out), len(spans)

    def _replace_token(self, m: re.Match[str], text: str) -> str | None:
        if m.group("cl"):   # "Mr and Mrs B": one letter while they share one, two once they do not
            letter = m.group("cl")
            first = self._by_title(m.group("t1"), letter)
            second = self._by_title(m.group("t2"), letter)
            if first is None and second is None:
                return None
            one = first.new.letter if first is not None else letter
            two = second.new.letter if second is not None else letter
            if one is None or two is None:
                return None   # one of them is now named by role: left for the writer (and the check)
            if one == two:
                return f"{m.group('t1')} and {m.group('t2')} {one}"
            return f"{m.group('t1')} {one} and {m.group('t2')} {two}"
        if m.group("tl"):
            change = self._by_title(m.group("t"), m.group("tl"))
            if change is None:
                return None
            new = change.new
            if new.role or new.letter is None:
                return _bare_form(new, text, m.start())
            if new.title is None:
                return new.letter
            # the title as written stays unless the person's own title changed ("Dr B" stays a Dr)
            same = change.old.title is not None and _normal_title(m.group("t")) == change.old.title
            return f"{new.title if same else m.group('t')} {new.letter}"
        letter = m.group("kl") or m.group("pl")
        change = self._bare.get(letter)
        if change is None:
            return None
        replacement = _bare_form(change.new, text, m.start("kl") if m.group("kl") else m.start())
        if m.group("kl"):
            return m.group(0)[: m.start("kl") - m.start()] + replacement
        return replacement


def _bare_form(new: Who, text: str, at: int) -> str:
    """The new pseudonym where a bare letter stood: the letter, or the role (capitalised at a sentence start)."""
    if new.role:
        before = text[:at].rstrip()
        start = not before or before[-1] in ".!?\n"
        return f"{'The' if start else 'the'} {new.role}"
    return new.letter or ""


def _labels_a_thing(text: str, at: int) -> bool:
    """A capital that labels a thing, not a person: "Part B", "Plan C", "(Schedule D)"."""
    words = re.findall(r"[\w’'-]+", text[max(0, at - 40):at])
    return bool(words) and fold(words[-1]) in _NOT_PEOPLE


class Cast:
    """Who the case's people are now: what the decision may call them and must not."""

    def __init__(self, people: Sequence[Who], ignore: Sequence[str] = ()) -> None:
        self.people = list(people)
        self.letters = {p.letter for p in self.people if p.letter}
        ignored = {fold(w) for w in ignore}
        forms: set[str] = set()
        for p in self.people:
            for name in p.names:
                name = " ".join(name.split())
                if sum(c.isalpha() for c in name) >= 2 and fold(name) not in ignored:
                    forms.update({name, name.upper()})
        pattern = "|".join(re.escape(n) for n in sorted(forms, key=len, reverse=True))
        self._names = re.compile(rf"(?<![\w’'-])(?:{pattern})(?![\w-])") if pattern else None

    @classmethod
    def of(cls, mapping: CaseMapping | None) -> Cast:
        if mapping is None:
            return cls([])
        return cls([Who.of(p) for p in mapping.people], mapping.ignore)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Cast) and self.people == other.people
                and (self._names.pattern if self._names else "") == (other._names.pattern if other._names else ""))

    __hash__ = None  # type: ignore[assignment]

    # -------------------------------------------------------------- following renames
    def renames_to(self, new: Cast) -> Renames:
        """The pseudonyms that changed between this cast and ``new``.

        Each person is followed by their name forms: the new entry sharing most of them is
        the same person (after a merge, the entry that absorbed theirs). Someone who left
        the case ("Not a person") has no successor; their pseudonym is then stale, which
        :meth:`marks` reports rather than guessing a replacement.
        """
        renames = Renames()
        owners = Counter(p.letter for p in self.people if p.letter)
        for old in self.people:
            mine = old.folded()
            best, overlap = None, 0
            for candidate in new.people:
                shared = len(mine & candidate.folded())
                if shared > overlap:
                    best, overlap = candidate, shared
            if best is None or best.pseudonym == old.pseudonym or not old.letter:
                continue   # unchanged, gone, or named by role (a role phrase is not rewritten)
            change = Change(old, best)
            renames.changes.append(change)
            if old.title:
                renames._titled[(old.title, old.letter)] = change
            if owners[old.letter] == 1:
                renames._bare[old.letter] = change
        return renames

    # -------------------------------------------------------------- checking
    def marks(self, text: str) -> list[Mark]:
        """Real names and pseudonyms of nobody in ``text``, in order."""
        found: list[Mark] = []
        if self._names is not None:
            found += [Mark(m.start(), m.end(), "name", m.group(0)) for m in self._names.finditer(text)]
        for m in _TOKEN_RE.finditer(text):
            letter = m.group("cl") or m.group("tl") or m.group("kl") or m.group("pl")
            if letter in self.letters:
                continue
            start = m.start("kl") if m.group("kl") else m.start()
            if m.group("pl") and _labels_a_thing(text, m.start()):
                continue
            if any(f.start < m.end() and start < f.end for f in found):
                continue
            found.append(Mark(start, m.end(), "stale", text[start:m.end()]))
        return sorted(found, key=lambda k: k.start)


# ------------------------------------------------------------------ the decision's texts

def iter_places(decision: Decision) -> Iterator[tuple[Place, str]]:
    """Every text of the decision a person could be named in, with where it prints."""
    h = decision.header
    yield Place("the header (organisation)"), h.organisation
    yield Place("the Summary"), decision.summary
    numbers = {id(n.paragraph): n.number for n in iter_numbered(decision)}
    for section in decision.sections:
        for block in section.blocks:
            if isinstance(block, Heading):
                yield Place(f"the sub-heading “{block.text}”"), block.text
                continue
            number = numbers[id(block)]
            label = f"paragraph {number}"
            yield Place(label, number, block, "text"), block.text
            for i, item in enumerate(block.items):
                yield Place(f"{label}, list item {i + 1}", number, block, "item", i), item
            if block.citation:
                yield Place(f"{label}, citation", number, block, "citation"), block.citation


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    return ("…" if lo else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")


def find_problems(decision: Decision, cast: Cast, kinds: Sequence[str] = ("name", "stale")) -> list[Problem]:
    """Every real name and stale pseudonym in the decision, in reading order."""
    problems = []
    for place, text in iter_places(decision):
        for mark in cast.marks(text):
            if mark.kind in kinds:
                problems.append(Problem(place, mark, _context(text, mark.start, mark.end)))
    return problems


def refusal_message(problems: Sequence[Problem], limit: int = 6) -> str:
    """The export refusal for stale pseudonyms: what, where, and what to do."""
    lines = [f"• {p.message} (“{p.context}”)" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"• and {len(problems) - limit} more")
    return ("The decision names someone by a pseudonym that belongs to no one in the case now, so nothing was "
            "exported:\n" + "\n".join(lines)
            + "\nChange it to the person's current pseudonym (the people table in the Review tab lists them), "
              "then export again.")


def rename_in_decision(decision: Decision, renames: Renames) -> int:
    """Apply ``renames`` to every text of the decision in place; how many places changed.

    Paragraph texts are set directly, not through ``Paragraph.edit``: following a rename
    is not an edit of the wording, so a stock paragraph keeps its library status.
    """
    if not renames:
        return 0
    count = 0
    decision.summary, n = renames.apply(decision.summary)
    count += n
    for paragraph in decision.paragraphs():
        paragraph.text, n = renames.apply(paragraph.text)
        count += n
        items = []
        for item in paragraph.items:
            item, n = renames.apply(item)
            items.append(item)
            count += n
        paragraph.items = items
        paragraph.citation, n = renames.apply(paragraph.citation)
        count += n
    return count


def locate(decision: Decision, term: str, context: str = "") -> Place | None:
    """The decision text a leak report's ``term`` (seen in ``context``) came from.

    A Word file's leak is reported by its position among the file's XML paragraphs, which
    counts the header block, headings and list items; the reader wants the number printed
    beside the paragraph. The text is matched instead: the place holding the term whose
    words best match the context around it.
    """
    wanted = fold(term)
    around = [w for w in re.findall(r"\w+", fold(context.replace("…", " "))) if w != wanted]
    best: tuple[int, int] | None = None
    found: Place | None = None
    for order, (place, text) in enumerate(iter_places(decision)):
        folded = fold(text)
        if wanted not in folded:
            continue
        words = set(re.findall(r"\w+", folded))
        score = (sum(1 for w in around if w in words), -order)
        if best is None or score > best:
            best, found = score, place
    return found
