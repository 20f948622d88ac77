"""The anonymised copy's file name: a name in ``Okonjo complaint.docx`` is as personal as one in the text.

The stem is renamed with the case's own mapping, exactly as pasted text is
(``ReviewSession.anonymise_text``): ``Okonjo complaint`` becomes ``Mrs X complaint``. The
result is then searched with the leak scan's terms, as the copy's contents are; a stem
that still holds a name or an identifier the case knows (``okonjo_complaint``, where the
underscore hides the word from the mapping) is tried once more with separators read as
spaces, and otherwise not used at all: the copy is called ``document-N`` and the report
says so. Names glued to other letters (``AdaezeOkonjo``) are caught by a plain substring
test on the letters alone, which may rename an innocent stem but never publishes a name.
"""

from __future__ import annotations

import re
from pathlib import Path

from desk_app.core.anonymise import anonymise_case
from desk_app.core.document import Paragraph, SourceDocument
from desk_app.core.output.leakscan import LeakTerms
from desk_app.core.people.mapping import CaseMapping

__all__ = ["anonymised_stem"]

_SEPARATORS = re.compile(r"[_\-.+]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_MIN_GLUED = 4   # shorter name forms ("Al", "Ng") inside other words are too often innocent
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')   # not allowed in a Windows file name, or a path separator


def _rename(stem: str, mapping: CaseMapping) -> str:
    """The stem with the mapping's pseudonyms, made safe as a file name: an edited pseudonym
    ("he/she") must not become a folder, nor a leading dot hide the copy."""
    doc = SourceDocument(Path(f"{stem}.txt"), "txt", stem, [Paragraph(stem, 0, "text")])
    renamed = anonymise_case([doc], [[]], mapping).anonymised_text(0)
    if renamed == stem:
        return stem
    return _UNSAFE.sub("-", renamed).strip().lstrip(".").rstrip(". ")


def _glued(stem: str, terms: LeakTerms) -> bool:
    """A known name form inside the stem's letters run together (``AdaezeOkonjo``)."""
    letters = _NOT_LETTERS.sub("", stem).casefold()
    for term in terms.terms:
        squeezed = _NOT_LETTERS.sub("", term).casefold()
        if terms.is_name(term) and len(squeezed) >= _MIN_GLUED and squeezed in letters:
            return True
    return False


def _clean(stem: str, terms: LeakTerms) -> bool:
    return not terms.find(stem) and not _glued(stem, terms)


def anonymised_stem(stem: str, mapping: CaseMapping, terms: LeakTerms) -> str | None:
    """``stem`` with the case's people renamed, or None if no rename leaves it clean.

    An unchanged stem that is clean is returned as it is (``case-notes`` stays
    ``case-notes``); the caller names the copy ``document-N`` on None.
    """
    renamed = _rename(stem, mapping)
    if renamed and _clean(renamed, terms):
        return renamed
    spaced = _SEPARATORS.sub(" ", stem).strip()
    if spaced != stem:
        renamed = _rename(spaced, mapping)
        if renamed and _clean(renamed, terms):
            return renamed
    return None
