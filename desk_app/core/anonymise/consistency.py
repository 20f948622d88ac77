"""Identifiers and names kept in one place but replaced in another.

Issue 14 found one Ctrl+Delete on the phone number in ``case-notes.txt`` publishing it in
clear there, while the same number was replaced in the PDF and the Word file: the preview
did not mark it and export went ahead. A rejection is usually right (a false detection),
but a value the reviewer keeps in one file and lets the tool replace in another is almost
always a slip, and the replaced copies do not hide it if one copy still shows it. So the
case is searched for them here, once, without Qt: the review view marks them and the export
asks about them by name and file ("07700 900123 is kept in case-notes.txt and replaced in 2
other files").

Two occurrences are "the same" if they belong to the same person, or, for other personal
data, if their letters and digits match ignoring case, spaces and punctuation
(``07700 900123`` is ``07700-900123``). Possible names (words of a known name the tool left
on purpose) are not counted: they are reported on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from desk_app.core.anonymise.review import POSSIBLE_NAME, REJECTED, CaseReview, Occurrence

__all__ = ["KeptIdentifier", "kept_but_replaced"]

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass
class KeptIdentifier:
    """One value (a person, or an identifier's text) kept somewhere and replaced elsewhere."""

    text: str                                   # as written where it is kept (the first place)
    kept: list[Occurrence] = field(default_factory=list)       # the rejected occurrences
    kept_files: list[str] = field(default_factory=list)        # file names, in case order
    replaced_files: list[str] = field(default_factory=list)    # file names where it is replaced
    replaced: int = 0                                          # how many times it is replaced

    def message(self) -> str:
        """One line naming the value and the files, for the preview, the export question and the report."""
        kept = _join(self.kept_files)
        others = [f for f in self.replaced_files if f not in self.kept_files]
        same = [f for f in self.replaced_files if f in self.kept_files]
        parts = []
        if same:
            parts.append(f"elsewhere in {_join(same)}")
        if others:
            n = len(others)
            parts.append(f"in {n} other file{'s' if n != 1 else ''} ({', '.join(others)})")
        return f"{self.text} is kept in {kept} and replaced {' and '.join(parts)}"

    def as_dict(self, paths: list[str]) -> dict[str, Any]:
        """For the report: every place it is kept (file, offsets), and where it is replaced."""
        return {"text": self.text, "message": self.message(),
                "kept": [{"file": paths[o.doc], "start": o.start, "end": o.end} for o in self.kept],
                "replaced_in": list(self.replaced_files), "replaced": self.replaced}


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _same(o: Occurrence) -> tuple[str, object]:
    if o.person is not None:
        return ("person", o.person)
    return ("text", _NOT_ALNUM.sub("", o.text.casefold()) or o.text)


def kept_but_replaced(review: CaseReview) -> list[KeptIdentifier]:
    """Every person or identifier the reviewer kept (rejected) somewhere that the export
    replaces somewhere else in the case, in the order they are first kept."""
    kept: dict[tuple[str, object], list[Occurrence]] = {}
    replaced: dict[tuple[str, object], list[Occurrence]] = {}
    for o in review.occurrences:
        if o.entity == POSSIBLE_NAME:
            continue
        (kept if review.decision(o) == REJECTED else replaced).setdefault(_same(o), []).append(o)
    names = [d.path.name for d in review.documents]
    found = []
    for key, occurrences in kept.items():
        elsewhere = replaced.get(key)
        if not elsewhere:
            continue
        item = KeptIdentifier(occurrences[0].text, list(occurrences), replaced=len(elsewhere))
        for o in occurrences:
            if names[o.doc] not in item.kept_files:
                item.kept_files.append(names[o.doc])
        for o in elsewhere:
            if names[o.doc] not in item.replaced_files:
                item.replaced_files.append(names[o.doc])
        found.append(item)
    return found

