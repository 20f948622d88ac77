"""The last check before an anonymised file is handed over: read it back and look for names.

The writers replace what detection found, in the places the reader reads. A name can still
survive somewhere else: a header the tool mis-read, a hyperlink target, an image's alt
text, a document property, a comment, a field code, a copy of a text box, or a plural
("the Laffeys") no recogniser caught. So after writing, the file itself is opened again
as bytes and every part of it is searched for every original name form the case knows
and every other identifier detection found. Nothing here trusts the writer: it reads the
zip members, not the ``DocxPackage`` the writer edited.

``check_written`` is what callers use: any hit deletes the freshly written file and raises
``LeakError`` with the list of places, so a leaky copy is never left for someone to send.
"""

from __future__ import annotations

import bisect
import email
import email.policy
import functools
import io
import quopri
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import regex
from lxml import etree

from desk_app.core.errors import DeskError, OutputError
from desk_app.core.names import (
    FUNCTION_WORDS,
    NOT_NAME_WORDS,
    ORDINARY_WORD_NAMES,
    PARTICLES,
    fold,
    is_place_context,
)

if TYPE_CHECKING:
    from desk_app.core.anonymise import AnonymisedCase
    from desk_app.core.people.mapping import CaseMapping

__all__ = ["DECISION_PART", "Hit", "Leak", "LeakError", "LeakTerms", "check_written", "scan_docx", "scan_file",
           "scan_scanned", "scan_text"]

# The whole package is read back member by member; this bounds what a damaged or hostile
# file can make the check unpack (the same limit the .docx reader applies to sources).
#: The ``part`` of a leak the window traced back into the decision's own text (not a part of
#: the Word file: the reader of the decision finds the paragraph by its printed number).
DECISION_PART = "decision"
MAX_UNPACKED = 512 * 1024 * 1024
_TEXT_BLOCK = 256 * 1024   # plain text is searched in blocks of lines, so folding stays bounded

# One-word names that are also everyday English words. Found entirely in lower case in
# running text ("we will", "there is hope", "you may"), they are the word, not the person,
# and counting them as leaks would block almost every export of a case with a grandson
# called Will. Capitalised or in capitals they still count. Words the recognisers already
# treat as never-a-name on their own (months, kinship words, "grant", ...) count as ordinary too.
# ORDINARY_WORD_NAMES: the list lives with the other word lists in names.py, shared with the
# anonymiser, so that what it lets stand in lower case the scan does not count either.

_DROPPED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")   # soft hyphen, zero-width characters
_HYPHENS = {"\u2010": "-", "\u2011": "-"}
_ADDRESS_PUNCT = frozenset("@._/:=+%")   # 'will.smith@...': a lower-case word inside an address
_STRIP = " \t\r\n\u00a0,.;:()[]{}'\"’‘“”"
_SEPARATORS = r"[\s\-./()]*"
_BEFORE = r"(?<![^\W_])"   # not preceded by a letter or digit: whole words, and '_' separates
_AFTER = r"(?![^\W_])"
_NEXT_WORD = regex.compile(r"[ \t\u00a0]+(\p{Lu}[\p{L}'’-]*)")
# A month or weekday that is plainly a date ('in May 2023', 'on Sunday 4'), as people.propagate decides.
_DATE_AFTER = regex.compile(r"[ \t]*(?:\d|,\s*\d)")
_DATE_BEFORE = regex.compile(r"(?i:\b(?:\d{1,2}(?:st|nd|rd|th)?|on|in|by|last|next|every|this|until|since|from|of|"
                             r"early|late|mid|each|that)[ \t]+)$")


@functools.lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    if c in _DROPPED:
        return ""
    return fold(_HYPHENS.get(c, c))


def _fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """``fold(text)`` and, for each folded character, the offset it came from in ``text``
    (None when they are the same: plain ASCII, the common case, folds one for one)."""
    if text.isascii():
        return text.lower(), None
    pieces: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        pieces.append(f)
        index.extend([i] * len(f))
    return "".join(pieces), index


def _clean(term: str) -> str:
    return " ".join(term.split()).strip(_STRIP)


def _initials_only(term: str) -> bool:
    """'D.R.', 'DR', 'J': initials match titles and abbreviations everywhere ('Dr')."""
    return all(len(w.replace(".", "")) <= 2 and w.replace(".", "").isupper() for w in term.split())


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


@dataclass(frozen=True)
class _Term:
    text: str
    source: str             # the pattern, compiled only when the probe is found (most never are)
    probe: str | None       # a folded substring every hit contains: a cheap test before the regex
    name: bool
    one_word: bool
    lower_exempt: bool      # found all in lower case it is an ordinary word, not the name

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.source)


@dataclass(frozen=True)
class Hit:
    """One match of a term: ``text[start:end]`` is what was found, ``term`` what it matched."""

    start: int
    end: int
    term: str


class LeakTerms:
    """The strings that must not appear in an anonymised file, compiled for searching.

    ``names`` are person names: every form is a term, and so is the surname (last word) of
    a longer form, which covers "Mrs Laffey", "LAFFEY" and "the Laffeys" however they are
    titled. ``identifiers`` are other personal data as detected: e-mail addresses, phone,
    NHS and National Insurance numbers, postcodes, addresses, dates of birth.
    ``ignore`` lists words a reviewer said are not names here: they are never terms.

    Matching is case-insensitive, accent-folded ('Brândușa' finds 'BRANDUSA'), whole-word
    (a name "Ann" does not hit "Annual"; "_" and "." separate words, so "cheryl_laffey"
    hits), and any run of whitespace in a term matches any run in the text, line breaks
    and non-breaking spaces included. A name also hits with a plural "s" ("the Laffeys").
    Identifiers made of letters and digits (phone, NHS and National Insurance numbers,
    postcodes) match with any spacing or punctuation between their characters
    ("07700 900123" finds "07700900123" and "07700-900-123"; "SW1A 1AA" finds "sw1a1aa").

    Deliberate exceptions, so that an export is not blocked by the language itself, each
    the same decision the anonymiser makes when it leaves a word alone:
    - a one-word name that is an ordinary English word ("Will", "Hope", "May", "Rose"; see
      ``ORDINARY_WORD_NAMES``) found entirely in lower case is NOT a hit ("we will"),
      unless it sits inside an address ("will.smith@"); capitalised or in capitals it is;
    - the same holds for two-letter names ("Al" is a name, "et al" is not);
    - a one-word name inside a place or body's name ("Laffey House", "St Teilo's") or, for
      an ordinary word, before another capitalised word ("Green Belt") is not a hit;
    - a month or weekday name that is plainly a date ("in May 2023") is not a hit.
    Initials on their own ("D.R.") and terms shorter than two characters are skipped.
    """

    def __init__(self, names: Iterable[str] = (), identifiers: Iterable[str] = (), ignore: Iterable[str] = (),
                 *, phrases: Iterable[str] = ()) -> None:
        self._ignored = {fold(_clean(w)) for w in ignore if _clean(w)}
        self._terms: dict[str, _Term] = {}
        for name in names:
            self._add_name(name, surname=True)
        for phrase in phrases:   # detected text around a name ('Mrs Laffey’s'): no surname taken from it
            self._add_name(phrase, surname=False)
        for identifier in identifiers:
            self._add_identifier(identifier)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_mapping(cls, mapping: CaseMapping, identifiers: Iterable[str] = (), names: Iterable[str] = ()
                     ) -> LeakTerms:
        """Every name form of every person in ``mapping``, plus extra names and identifiers."""
        return cls([n for p in mapping.people for n in p.names] + list(names), identifiers, mapping.ignore)

    @classmethod
    def from_result(cls, result: AnonymisedCase) -> LeakTerms:
        """Everything a case's anonymisation knows is personal: the mapping's name forms and
        the original text of every replacement it made."""
        from desk_app.core.entities import PERSON

        # (a street replaced only inside an address block is left where it is a fact elsewhere:
        # 'fly-tipping on Little Hay Lane'; see detect.recognizers.blocks.LOCAL_ONLY)
        return cls([n for p in result.mapping.people for n in p.names],
                   [r.original for r in result.report if r.entity != PERSON and r.detector != "AddressBlockStreet"],
                   result.mapping.ignore,
                   phrases=[r.original for r in result.report if r.entity == PERSON])

    def plus(self, names: Iterable[str] = (), identifiers: Iterable[str] = ()) -> LeakTerms:
        """These terms and some more (a name a reviewer knows the tool missed). The extra
        terms count even if the mapping ignores them: they were asked for by name."""
        more = LeakTerms(names, identifiers)
        out = LeakTerms()
        out._ignored = set(self._ignored)
        out._terms = {**self._terms, **{k: v for k, v in more._terms.items() if k not in self._terms}}
        return out

    def _skip(self, term: str) -> bool:
        return len(term) < 2 or fold(term) in self._ignored

    def _add_name(self, raw: str, surname: bool) -> None:
        term = _clean(raw)
        if self._skip(term) or _initials_only(term):
            return
        self._put(term, name=True)
        words = term.split()
        if surname and len(words) > 1:
            last = words[-1].strip(_STRIP)
            if last not in PARTICLES and not last.endswith(".") and not self._skip(last) \
                    and not _initials_only(last):
                self._put(last, name=True)

    def _add_identifier(self, raw: str) -> None:
        term = _clean(raw)
        if not self._skip(term):
            self._put(term, name=False)

    def _put(self, term: str, name: bool) -> None:
        folded = " ".join(_fold_with_map(term)[0].split())
        if not folded or folded in self._terms:
            return
        words = folded.split()
        compact = [c for c in folded if c.isalnum()]
        probe: str | None
        if not name and sum(c.isdigit() for c in compact) >= 2 and all(
                c.isalnum() or c.isspace() or c in "-./()+" for c in folded):
            body = _SEPARATORS.join(re.escape(c) for c in compact)   # any spacing between the digits
            probe = None
        else:
            body = r"\s+".join(re.escape(w) for w in words)
            probe = max(words, key=len)
        plural = r"(?:e?s)?" if name and folded[-1].isalpha() else ""
        one_word = name and len(words) == 1
        letters = sum(c.isalpha() for c in folded)
        self._terms[folded] = _Term(
            term, _BEFORE + body + plural + _AFTER, probe, name, one_word,
            lower_exempt=one_word and (folded in ORDINARY_WORD_NAMES or letters <= 2))

    # ------------------------------------------------------------------ using
    @property
    def terms(self) -> list[str]:
        return [t.text for t in self._terms.values()]

    def __len__(self) -> int:
        return len(self._terms)

    def __bool__(self) -> bool:
        return bool(self._terms)

    def is_name(self, term: str) -> bool:
        found = self._terms.get(" ".join(_fold_with_map(term)[0].split()))
        return bool(found and found.name)

    def find(self, text: str) -> list[Hit]:
        """Every hit in ``text`` (offsets into ``text``); a hit inside a longer one is dropped."""
        if not text or not self._terms:
            return []
        folded, index = _fold_with_map(text)
        hits: list[Hit] = []
        for t in self._terms.values():
            if t.probe is not None and t.probe not in folded:
                continue
            for m in t.pattern.finditer(folded):
                if m.end() == m.start():
                    continue
                start = index[m.start()] if index is not None else m.start()
                end = index[m.end() - 1] + 1 if index is not None else m.end()
                if not self._counts(t, text, start, end):
                    continue
                hits.append(Hit(start, end, t.text))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        reach = -1   # every kept hit starts at or before h, so h is inside one iff it ends by the furthest end
        for h in hits:
            if h.end <= reach:
                continue
            kept.append(h)
            reach = max(reach, h.end)
        return kept

    @functools.cached_property
    def _joined(self) -> re.Pattern[str] | None:
        """Multi-word names written with nothing between the words ('helenaokonjo'), folded."""
        keys = {"".join(c for c in key if c.isalnum()): t.text for key, t in self._terms.items()
                if t.name and not t.one_word}
        keys = {k: v for k, v in keys.items() if len(k) >= 6}
        self._joined_terms = keys
        if not keys:
            return None
        return re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))

    def find_joined(self, text: str) -> list[Hit]:
        """Names joined to other words: split at case changes and digits ('HelenaOkonjoLetter'
        is searched as 'Helena Okonjo Letter'), and, inside any run of non-space characters,
        a multi-word name with its separators left out ('helenaokonjo', 'HELENA_OKONJO2')."""
        if not text or not self._terms:
            return []
        hits: list[Hit] = []
        joined = (_JOINED_ASCII if text.isascii() else _CASE_CHANGE).search(text)
        if joined and not _HEX.fullmatch(text):   # not rsids, colours, GUIDs
            spaced, index = _split_words(text)
            hits.extend(Hit(index[h.start], index[h.end - 1] + 1, h.term) for h in self.find(spaced)
                        if sum(c.isalpha() for c in spaced[h.start:h.end]) >= 3)   # 'ED' in '00ED12' is not Ed
        pattern = self._joined
        # one search over the whole text with every separator dropped rules most texts out
        # before any token is looked at one by one
        if pattern is not None and pattern.search(_NOT_ALNUM.sub("", _fold_with_map(text)[0])):
            for m in _LONG_TOKEN.finditer(text):
                folded, index = _fold_with_map(m.group())
                kept = [(c, i) for c, i in zip(folded, index if index is not None else range(len(folded)),
                                               strict=True) if c.isalnum()]
                compact = "".join(c for c, _ in kept)
                for j in pattern.finditer(compact):
                    hits.append(Hit(m.start() + kept[j.start()][1], m.start() + kept[j.end() - 1][1] + 1,
                                    self._joined_terms[j.group()]))
        return hits

    @staticmethod
    def _counts(t: _Term, text: str, start: int, end: int) -> bool:
        """Apply the documented exceptions to one match of ``t`` at ``text[start:end]``."""
        if not t.name or not t.one_word:
            return True
        found = text[start:end]
        key = fold(t.text)
        if found == found.lower() and (t.lower_exempt or fold(found) in ORDINARY_WORD_NAMES) \
                and not _in_address(text, start, end):
            return False   # 'we will', 'et al'
        if is_place_context(text, start, end):
            return False   # 'Laffey House', 'St Teilo's'
        if key in NOT_NAME_WORDS and (_DATE_AFTER.match(text, end)
                                      or _DATE_BEFORE.search(text, max(0, start - 12), start)):
            return False   # 'in May 2023'
        if key in ORDINARY_WORD_NAMES and (nxt := _NEXT_WORD.match(text, end)) \
                and fold(nxt.group(1)) not in FUNCTION_WORDS:
            return False   # 'Green Belt', 'Hope Street': part of another proper name
        return True


_CASE_CHANGE = regex.compile(r"(?<=\p{L})(?=\d)|(?<=\d)(?=\p{L})|(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})")
# the same boundaries as _CASE_CHANGE, found faster in ASCII text (no look-behind)
_JOINED_ASCII = re.compile(r"[a-z][A-Z]|[A-Z][A-Z][a-z]|[A-Za-z]\d|\d[A-Za-z]")
_HEX = re.compile(r"[\s{}()\-#0-9A-Fa-f]+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_LONG_TOKEN = re.compile(r"[^\s\"'<>]{6,}")


def _split_words(text: str) -> tuple[str, list[int]]:
    """``text`` with a space at every case change and letter/digit boundary, and for each
    character of the result the offset it came from."""
    cuts = {m.start() for m in _CASE_CHANGE.finditer(text)}
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        if i in cuts:
            out.append(" ")
            index.append(i)
        out.append(c)
        index.append(i)
    return "".join(out), index


def _in_address(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return (len(before) == 2 and before[1] in _ADDRESS_PUNCT and before[0].isalnum()) or \
        (len(after) == 2 and after[0] in _ADDRESS_PUNCT and after[1].isalnum())


# -- what a scan finds ---------------------------------------------------------------------

@dataclass(frozen=True)
class Leak:
    """One original name or identifier found in a written file.

    ``part`` is the zip member ("word/footer1.xml") or "text" for a text file; ``where`` says
    where in it ("paragraph 12", "attribute w:author", "relationship target", "line 3").
    """

    file: Path
    part: str
    where: str
    term: str
    context: str

    @property
    def location(self) -> str:
        return self.where if self.part == "text" else f"{self.part}, {self.where}"

    def __str__(self) -> str:
        return f"{self.location}: '{self.term}' in “{self.context}”"

    def as_dict(self) -> dict[str, str]:
        return {"part": self.part, "where": self.where, "term": self.term, "context": self.context}


class LeakError(OutputError):
    """An anonymised file still held original names; it has been deleted. ``leaks`` lists
    every place, the message names the first few in one line."""

    def __init__(self, leaks: Sequence[Leak], path: Path | str, terms: LeakTerms | None = None) -> None:
        self.leaks = list(leaks)
        by_term: dict[str, list[str]] = {}
        for leak in self.leaks:
            places = by_term.setdefault(leak.term, [])
            place = leak.where if leak.part == "text" else leak.part
            if place not in places:
                places.append(place)
        shown = [f"'{term}' ({', '.join(places[:3])}{', …' if len(places) > 3 else ''})"
                 for term, places in list(by_term.items())[:5]]
        more = f" and {len(by_term) - 5} more" if len(by_term) > 5 else ""
        only_names = terms is None or all(terms.is_name(t) for t in by_term)
        what = "original names remain" if only_names else "original names or personal details remain"
        super().__init__(f"{what} in the anonymised file: {', '.join(shown)}{more}; it was not written", path)


class _Collector:
    def __init__(self, path: Path, terms: LeakTerms) -> None:
        self.path = path
        self.terms = terms
        self.leaks: list[Leak] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, part: str, where: str | Callable[[int], str], text: str | None,
            skip: frozenset[str] = frozenset(), min_letters: int = 0, joined: bool = True) -> set[str]:
        """Search ``text`` (names joined to other words too); record each new (part, where,
        term); return the terms found. ``min_letters`` ignores shorter hits (in binary data)."""
        found: set[str] = set()
        if not text or not text.strip():
            return found
        for hit in self.terms.find(text) + (self.terms.find_joined(text) if joined else []):
            if hit.term in skip:
                continue
            if min_letters and sum(c.isalpha() for c in text[hit.start:hit.end]) < min_letters:
                continue
            found.add(hit.term)
            place = where(hit.start) if callable(where) else where
            key = (part, place, hit.term)
            if key in self._seen:
                continue
            self._seen.add(key)
            self.leaks.append(Leak(self.path, part, place, hit.term, _context(text, hit.start, hit.end)))
        return found


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    """The hit with up to ``width`` characters either side, cut at whole words."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    if lo > 0 and not text[lo - 1].isspace():
        lo = next((i + 1 for i in range(lo, start) if text[i].isspace()), start)
    if hi < len(text) and not text[hi].isspace():
        hi = next((i for i in range(hi - 1, end - 1, -1) if text[i].isspace()), end)
    return ("…" if lo > 0 else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")


# -- Word packages -------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
W_P, W_T, W_DEL_TEXT, W_INSTR, W_DEL_INSTR = (f"{{{_W}}}{t}" for t in ("p", "t", "delText", "instrText",
                                                                        "delInstrText"))
W_INS, W_MOVE_TO, W_DEL, W_MOVE_FROM, W_TXBX = (f"{{{_W}}}{t}" for t in ("ins", "moveTo", "del", "moveFrom",
                                                                         "txbxContent"))
A_P, A_T = f"{{{_A}}}p", f"{{{_A}}}t"
W_SYM, W_RT = f"{{{_W}}}sym", f"{{{_W}}}rt"
_MC_FALLBACK = f"{{{_MC}}}Fallback"
_SPACE_LIKE = {f"{{{_W}}}{t}" for t in ("br", "cr", "tab", "ptab")}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=False)


def _paragraph_views(p: etree._Element) -> tuple[str, str, str, list[etree._Element]]:
    """One ``w:p`` read three ways, across run boundaries: as shown (insertions in,
    deletions out), as it was before tracked changes (deletions in, insertions out), and
    its field instructions; plus the text nodes read (nested paragraphs are their own)."""
    shown: list[str] = []
    before: list[str] = []
    instr: list[str] = []
    nodes: list[etree._Element] = []

    def walk(el: etree._Element, inserted: bool, deleted: bool) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag == W_P:
                continue
            if tag in (W_T, _M_T):
                nodes.append(child)
                if not deleted:
                    shown.append(child.text or "")
                if not inserted:
                    before.append(child.text or "")
            elif tag == W_DEL_TEXT:
                nodes.append(child)
                before.append(child.text or "")
            elif tag in (W_INSTR, W_DEL_INSTR):
                nodes.append(child)
                instr.append(child.text or "")
            elif tag in _SPACE_LIKE:
                shown.append(" ")
                before.append(" ")
            elif tag == f"{{{_W}}}noBreakHyphen":
                shown.append("-")
                before.append("-")
            elif tag == W_SYM:
                shown.append(_sym(child))
                before.append(_sym(child))
            elif tag == W_RT:   # ruby text, drawn over its base: words of its own
                shown.append(" ")
                before.append(" ")
                walk(child, inserted, deleted)
                shown.append(" ")
                before.append(" ")
            else:
                walk(child, inserted or tag in (W_INS, W_MOVE_TO), deleted or tag in (W_DEL, W_MOVE_FROM))

    walk(p, False, False)
    return "".join(shown), "".join(before), " ".join(instr), nodes


def _sym(el: etree._Element) -> str:
    """The letter a ``w:sym`` shows (symbol-font codes F0xx read as xx)."""
    try:
        code = int(el.get(f"{{{_W}}}char", ""), 16)
    except ValueError:
        return ""
    code = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    return chr(code) if 0x20 <= code < 0xD800 else ""


def _where_paragraph(p: etree._Element, n: int) -> str:
    ancestors = {a.tag for a in p.iterancestors()}
    if W_TXBX in ancestors:
        return f"paragraph {n} (text box{', VML copy' if _MC_FALLBACK in ancestors else ''})"
    return f"paragraph {n}"


def _prefixed(el: etree._Element) -> str:
    q = etree.QName(el)
    return f"{el.prefix}:{q.localname}" if el.prefix else q.localname


def _describe_element(part: str, el: etree._Element) -> str:
    lower = part.lower()
    if lower == "docprops/core.xml":
        return f"core property {_prefixed(el)}"
    if lower == "docprops/app.xml":
        top = el
        for a in el.iterancestors():
            if a.getparent() is None:
                break
            top = a
        return f"app property {etree.QName(top).localname}"
    if lower == "docprops/custom.xml":
        prop = next((a for a in [el, *el.iterancestors()] if etree.QName(a).localname == "property"), None)
        if prop is not None and prop.get("name"):
            return f"custom property '{prop.get('name')}'"
    return f"element {_prefixed(el)}"


def _describe_attribute(el: etree._Element, attr: str) -> str:
    q = etree.QName(attr)
    prefix = next((p for p, ns in (el.nsmap or {}).items() if ns == q.namespace and p), None) \
        if q.namespace else None
    return f"attribute {prefix}:{q.localname}" if prefix else f"attribute {q.localname}"


# Between the texts of one member in the quick first search: a line, a bar and a line, so that
# no exception that reads the words around a hit ('St Teilo's', 'Laffey House', 'in May 2023')
# can reach from one text into the next.
_APART = "\n|\n"


def _member_texts(root: etree._Element) -> list[str]:
    """Every text ``_scan_xml`` searches in one member, in no particular order: paragraph
    views (so a name split over runs is whole), text nodes, tails, comments, attributes."""
    texts: list[str] = []
    for p in root.iter(W_P):
        shown, before, instr, _ = _paragraph_views(p)
        texts += [shown, before, instr, unquote(instr)]
    for p in root.iter(A_P):
        texts.append("".join(t.text or "" for t in p.iter(A_T)))
    for el in root.iter():
        if el.text:
            texts.append(el.text)
        if el.tail:
            texts.append(el.tail)
        if isinstance(el.tag, str):
            for value in el.attrib.values():
                texts += [value, unquote(value)]
    return [t for t in texts if t and t.strip()]


def _scan_xml(out: _Collector, part: str, root: etree._Element) -> None:
    # A clean copy's members hold no term at all: one search of all their texts at once says
    # so, instead of one search per element and attribute (hundreds of thousands in a long
    # document). Only a member with a hit anywhere is searched place by place.
    whole = _APART.join(_member_texts(root))
    if not whole or not (out.terms.find(whole) or out.terms.find_joined(whole)):
        return
    read: set[etree._Element] = set()
    for n, p in enumerate(root.iter(W_P), 1):
        shown, before, instr, nodes = _paragraph_views(p)
        read.update(nodes)
        where = _where_paragraph(p, n)
        found = out.add(part, where, shown)
        if before != shown:
            out.add(part, f"{where}, tracked deletion", before, skip=frozenset(found))
        out.add(part, f"{where}, field instruction", instr, joined="%" not in instr)
        if "%" in instr:
            out.add(part, f"{where}, field instruction", unquote(instr))
    for n, p in enumerate(root.iter(A_P), 1):   # DrawingML text: shapes, charts, SmartArt
        texts = list(p.iter(A_T))
        read.update(texts)
        out.add(part, f"drawing paragraph {n}", "".join(t.text or "" for t in texts))
    is_rels = part.lower().endswith(".rels")
    for el in root.iter():
        if isinstance(el, etree._Comment):
            out.add(part, "XML comment", el.text)
            continue
        if isinstance(el, etree._ProcessingInstruction):
            out.add(part, "processing instruction", el.text)
            continue
        if not isinstance(el.tag, str):
            continue
        if el not in read:   # every text node a paragraph above did not already cover
            out.add(part, _describe_element(part, el), el.text)
        if el.tail and el.tail.strip() and el.getparent() is not None:
            out.add(part, _describe_element(part, el.getparent()), el.tail)
        for attr, value in el.attrib.items():
            if is_rels and attr == "Target" and el.tag == f"{{{_REL}}}Relationship":
                out.add(part, "relationship target", unquote(value))
                out.add(part, "relationship target", value, joined="%" not in value)
                continue
            where = _describe_attribute(el, attr)
            out.add(part, where, value, joined="%" not in value)   # '%20' splits as a word break
            if "%" in value:
                out.add(part, where, unquote(value))


def _decode(data: bytes) -> str | None:
    """Bytes that are text, as text (UTF-8 or UTF-16, with or without BOM); None for binary.

    UTF-16 without a BOM is told by its zero bytes before UTF-8 is tried: ASCII in UTF-16
    is also valid UTF-8 (with a NUL between letters), which would hide every word in it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        try:
            return data[: len(data) // 2 * 2].decode("utf-16-le" if odd >= even else "utf-16-be")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _parse(name: str, data: bytes) -> etree._Element | None:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (name.lower().endswith((".xml", ".rels", ".vml")) or head.startswith(b"<")):
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


_ZIP = b"PK\x03\x04"
_MAX_DEPTH = 4
_ASCII_RUN = re.compile(rb"(?:[\x20-\x7e]|[\xc2-\xf4][\x80-\xbf]{1,3}){4,}")
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e\xa0-\xff]\x00){4,}")
_PNG = b"\x89PNG\r\n\x1a\n"
_RTF_ESCAPE = re.compile(r"\\'([0-9a-fA-F]{2})|\\u(-?\d+) ?\??|\\[a-zA-Z]+-?\d* ?|[{}]|\\(.)")
_QP = re.compile(rb"=(?:[0-9A-F]{2}|\r?\n)")


def _strings(data: bytes) -> list[str]:
    """Printable runs in binary data, as ``strings`` finds them: ASCII/UTF-8 and UTF-16LE."""
    found = [m.group().decode("utf-8", "replace") for m in _ASCII_RUN.finditer(data)]
    found += [m.group().decode("utf-16-le", "replace") for m in _UTF16_RUN.finditer(data)]
    found += [m.group().decode("utf-16-le", "replace") for m in _UTF16_RUN.finditer(data[1:])]
    return found


def _png_metadata(data: bytes) -> list[str]:
    """The text of every PNG chunk but the pixel data, compressed text chunks inflated."""
    out: list[str] = []
    pos = len(_PNG)
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind in (b"IDAT", b"fdAT"):
            continue
        if kind == b"zTXt":   # keyword, 0, method, deflated text
            key, _, rest = body.partition(b"\x00")
            out.append(key.decode("latin-1"))
            out.append(_inflate(rest[1:]).decode("latin-1"))
        elif kind == b"iTXt":   # keyword, 0, flag, method, language, 0, translated keyword, 0, text
            key, _, rest = body.partition(b"\x00")
            flag, fields = rest[:1], rest[2:].split(b"\x00", 2)
            text = fields[2] if len(fields) == 3 else rest
            out.extend(part.decode("utf-8", "replace") for part in [key, *fields[:2]])
            out.append((_inflate(text) if flag == b"\x01" else text).decode("utf-8", "replace"))
        else:
            out.extend(_strings(body))
    return out


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, MAX_UNPACKED // 16)
    except zlib.error:
        return data


def _jpeg_metadata(data: bytes) -> list[str]:
    """The text of every JPEG segment before the pixel data (EXIF, XMP, IPTC, comments)."""
    out: list[str] = []
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:
            break
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        out.extend(_strings(data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    return out


def _rtf_plain(text: str) -> str:
    """RTF with its escapes undone (\\'xx as cp1252, \\uN) and control words dropped."""
    pending = bytearray()
    out: list[str] = []

    def flush() -> None:
        if pending:
            out.append(pending.decode("cp1252", "replace"))
            pending.clear()

    pos = 0
    for m in _RTF_ESCAPE.finditer(text):
        if m.start() > pos:
            flush()
            out.append(text[pos:m.start()])
        pos = m.end()
        if m.group(1):
            pending.append(int(m.group(1), 16))
            continue
        flush()
        if m.group(2):
            code = int(m.group(2))
            out.append(chr(code + 65536 if code < 0 else code))
        elif m.group(3):
            out.append(m.group(3))
        elif m.group().startswith("\\par") or m.group().startswith("\\line"):
            out.append("\n")
    flush()
    out.append(text[pos:])
    return "".join(out)


def _decoded_views(data: bytes, text: str) -> list[tuple[str, str]]:
    """Other readings of a text member: RTF escapes undone, quoted-printable or base64 MIME
    decoded (MHT), each as (what, text)."""
    views: list[tuple[str, str]] = []
    if text.lstrip().startswith("{\\rtf"):
        views.append(("RTF text", _rtf_plain(text)))
    if _QP.search(data):
        views.append(("quoted-printable text", quopri.decodestring(data).decode("utf-8", "replace")))
    if b"Content-Type" in data[:8192] or b"MIME-Version" in data[:8192]:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for sub in message.walk():
            payload = sub.get_payload(decode=True) if not sub.is_multipart() else None
            if isinstance(payload, bytes) and payload:
                decoded = _decode(payload)
                views.append(("MIME part", decoded if decoded is not None else payload.decode("latin-1")))
    return views


def _scan_zip(out: _Collector, zf: zipfile.ZipFile, prefix: str, depth: int, budget: list[int]) -> None:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    budget[0] -= sum(i.file_size for i in infos)
    if budget[0] < 0:
        raise OutputError("is too large to check for names left in it (over 512 MB unpacked)", out.path)
    for info in infos:
        name = prefix + info.filename
        data = zf.read(info)
        _scan_member(out, name, data, depth, budget)


def _scan_member(out: _Collector, name: str, data: bytes, depth: int, budget: list[int]) -> None:
    if data.startswith(_ZIP) and depth < _MAX_DEPTH:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                _scan_zip(out, inner, name + "/", depth + 1, budget)
            return
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
            pass
    root = _parse(name, data)
    if root is not None:
        _scan_xml(out, name, root)
        return
    binary = data.startswith((_PNG, b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"GIF8", b"II*\x00", b"MM\x00*"))
    text = None if binary else _decode(data)
    if text is not None:
        out.add(name, "text", text)
        for what, view in _decoded_views(data, text):
            out.add(name, what, view)
        if data[:4096].count(0) > len(data[:4096]) // 4:   # read as UTF-16: its ASCII strings too
            for chunk in _strings(data):
                out.add(name, "binary data", chunk, min_letters=5)
        return
    if data.startswith(_PNG):
        for chunk in _png_metadata(data):
            out.add(name, "image metadata", chunk)
    elif data.startswith(b"\xff\xd8\xff"):
        for chunk in _jpeg_metadata(data):
            out.add(name, "image metadata", chunk)
    else:   # OLE objects, other images: printable strings, long hits only (random bytes spell short words)
        for chunk in _strings(data):
            out.add(name, "binary data", chunk, min_letters=5)


def scan_docx(path: Path | str, terms: LeakTerms) -> list[Leak]:
    """Every leak in a Word package: every member that is XML (paragraph text across runs,
    ruby text and symbols included, tracked deletions, field instructions, every other text
    node, every attribute value, relationship targets URL-decoded), every member that
    decodes as text (UTF-8 or UTF-16, with or without BOM; RTF escapes, quoted-printable and
    MIME parts undone), the metadata of PNG and JPEG pictures, the printable strings of any
    other binary member, and every zip inside the package (an embedded workbook), recursively.
    Names joined to other words count (``LeakTerms.find_joined``)."""
    path = Path(path)
    out = _Collector(path, terms)
    try:
        with zipfile.ZipFile(path) as zf:
            _scan_zip(out, zf, "", 0, [MAX_UNPACKED])
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        raise OutputError(f"could not be read back to check for names left in it ({exc})", path) from None
    return out.leaks


def scan_text(path: Path | str, terms: LeakTerms) -> list[Leak]:
    """Every leak in a text file, with its line number. Decoded as the writers encode:
    UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OutputError(f"could not be read back to check for names left in it ({exc.strerror})", path) \
            from None
    text = _decode(data) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
    out = _Collector(path, terms)
    lines = [m.end() for m in re.finditer("\n", text)]

    def line_of(base: int) -> Callable[[int], str]:
        return lambda offset: f"line {bisect.bisect_right(lines, base + offset) + 1}"

    start = 0
    while start < len(text):
        end = min(len(text), start + _TEXT_BLOCK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        # each block starts one line early, so a name broken over a block edge is still whole
        back = text.rfind("\n", 0, max(start - 1, 0)) + 1 if start else 0
        out.add("text", line_of(back), text[back:end])
        start = end
    return out.leaks


def scan_file(path: Path | str, terms: LeakTerms) -> list[Leak]:
    """Scan a written file: a zip (.docx) as a package, a redacted scan by OCR, anything else as text."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise OutputError(f"could not be read back to check for names left in it ({exc.strerror})", path) \
            from None
    if head.startswith(b"PK"):
        return scan_docx(path, terms)
    if head.startswith((b"\x89PNG", b"%PDF")):
        return scan_scanned(path, terms, pdf=head.startswith(b"%PDF"))
    return scan_text(path, terms)


def scan_scanned(path: Path | str, terms: LeakTerms, pdf: bool) -> list[Leak]:
    """Every leak a reader could still see in a redacted scan (.png, or an image-only .pdf).

    The written file's pixels are read again by OCR, page by page, as a person would read
    them: a box that missed part of a name, a box never drawn, or a name that was never
    replaced shows up here, whatever the text copy says. (Reading only the bands around the
    boxes would halve the time, but could not see a box that was never drawn.)
    """
    from desk_app.core.ingest.ocr import load_image_pages, pdf_page_images, read_image

    path = Path(path)
    out = _Collector(path, terms)
    try:
        images = pdf_page_images(path) if pdf else load_image_pages(path)
        for number, image in enumerate(images, start=1):
            page = read_image(image)
            starts = [line.start for line in page.lines]
            out.add(f"page {number}, read back by OCR",
                    lambda offset, starts=starts: f"line {bisect.bisect_right(starts, offset)}", page.text)
    except DeskError as exc:
        raise OutputError(f"could not be read back to check for names left in it ({exc.message})", path) from None
    return out.leaks


# -- after writing ---------------------------------------------------------------------------

_BODY_WHERE = re.compile(r"(?:paragraph \d+(?: \(text box[^)]*\))?|line \d+)")


def _excused(leaks: list[Leak], terms: LeakTerms, kept: Iterable[str]) -> list[Leak]:
    """Drop body-text hits a reviewer kept on purpose: a detection they rejected keeps its
    original text, so that many hits of its terms in paragraph text are expected."""
    allowance = Counter(h.term for text in kept for h in terms.find(text))
    if not allowance:
        return leaks
    body = Counter(leak.term for leak in leaks if _BODY_WHERE.fullmatch(leak.where))
    return [leak for leak in leaks if not (_BODY_WHERE.fullmatch(leak.where)
                                           and body[leak.term] <= allowance[leak.term])]


def check_written(path: Path | str, terms: LeakTerms, kept: Iterable[str] = ()) -> None:
    """Scan the file just written; if anything leaked, delete it and raise ``LeakError``.

    ``path`` must be the freshly written output, never a source: it is deleted on any hit,
    and also when it cannot be read back (an unchecked file is not handed over). ``kept``
    lists original text a reviewer deliberately left in this document (rejected
    detections); matching hits in paragraph text are not leaks.
    """
    path = Path(path)
    try:
        leaks = _excused(scan_file(path, terms), terms, kept)
    except DeskError as exc:
        path.unlink(missing_ok=True)
        raise OutputError(f"{exc.message}; it was not written", path) from None
    if leaks:
        path.unlink(missing_ok=True)
        raise LeakError(leaks, path, terms)
