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
import functools
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
from desk_app.core.names import FUNCTION_WORDS, NOT_NAME_WORDS, PARTICLES, fold, is_place_context

if TYPE_CHECKING:
    from desk_app.core.anonymise import CaseResult
    from desk_app.core.mapping import CaseMapping

__all__ = ["Hit", "Leak", "LeakError", "LeakTerms", "check_written", "scan_docx", "scan_file", "scan_text"]

# The whole package is read back member by member; this bounds what a damaged or hostile
# file can make the check unpack (the same limit the .docx reader applies to sources).
MAX_UNPACKED = 512 * 1024 * 1024
_TEXT_BLOCK = 256 * 1024   # plain text is searched in blocks of lines, so folding stays bounded

# One-word names that are also everyday English words. Found entirely in lower case in
# running text ("we will", "there is hope", "you may"), they are the word, not the person,
# and counting them as leaks would block almost every export of a case with a grandson
# called Will. Capitalised or in capitals they still count. Words the recognisers already
# treat as never-a-name on their own (months, kinship words, "grant", ...) count as ordinary too.
ORDINARY_WORD_NAMES = frozenset(
    """will hope may rose grace faith joy mark bill pat sue rob bob jack frank dawn summer april june august
    ruby amber holly ivy lily daisy iris violet heather olive pearl jade crystal sky rich hunter baker cook
    brown green white black young king hill wood woods stone bell hall ward long little page price wells
    banks bush lamb fox moss reed rice rush sharp short small strong sweet wise hardy best bright dean hart
    marsh park pond field fields gray grey guy ray gene art drew chase chance glen dale lane rod wade cliff
    sandy penny honey angel star storm river brook brooks forest ash bay sage fern poppy hazel willow rowan
    robin wren jay dove drake crane swan mason cross church bridge ford moor lord knight bishop butler porter
    turner fisher archer walker shepherd farmer booth bond cash gold silver steel iron fry frost snow rain
    gale winter spring day love good noble free law major sterling pope carpenter glass mill mills well ball
    hood bliss bloom blossom heath lee kitty peg ginger sunny rocky rusty dusty misty happy candy cherry
    clay flint rock hale earnest prudence patience charity mercy verity honour honor unity liberty harmony
    melody haven ocean miles norman rusty baron duke earl page chancellor steward mayor sexton temple
    cotton wool barley berry birch oak lake shore sands dell nice fair dear lovely""".split()
) | NOT_NAME_WORDS

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


@dataclass(frozen=True)
class _Term:
    text: str
    pattern: re.Pattern[str]
    probe: str | None       # a folded substring every hit contains: a cheap test before the regex
    name: bool
    one_word: bool
    lower_exempt: bool      # found all in lower case it is an ordinary word, not the name


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
    def from_result(cls, result: CaseResult) -> LeakTerms:
        """Everything a case's anonymisation knows is personal: the mapping's name forms and
        the original text of every replacement it made."""
        from desk_app.core.detect import PERSON

        return cls([n for p in result.mapping.people for n in p.names],
                   [r.original for r in result.report if r.entity != PERSON],
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
            term, re.compile(_BEFORE + body + plural + _AFTER), probe, name, one_word,
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

    @staticmethod
    def _counts(t: _Term, text: str, start: int, end: int) -> bool:
        """Apply the documented exceptions to one match of ``t`` at ``text[start:end]``."""
        if not t.name or not t.one_word:
            return True
        found = text[start:end]
        key = fold(t.text)
        if t.lower_exempt and found == found.lower() and not _in_address(text, start, end):
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
            skip: frozenset[str] = frozenset()) -> set[str]:
        """Search ``text``; record each new (part, where, term); return the terms found."""
        found: set[str] = set()
        if not text or not text.strip():
            return found
        for hit in self.terms.find(text):
            if hit.term in skip:
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
            else:
                walk(child, inserted or tag in (W_INS, W_MOVE_TO), deleted or tag in (W_DEL, W_MOVE_FROM))

    walk(p, False, False)
    return "".join(shown), "".join(before), " ".join(instr), nodes


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


def _scan_xml(out: _Collector, part: str, root: etree._Element) -> None:
    read: set[etree._Element] = set()
    for n, p in enumerate(root.iter(W_P), 1):
        shown, before, instr, nodes = _paragraph_views(p)
        read.update(nodes)
        where = _where_paragraph(p, n)
        found = out.add(part, where, shown)
        if before != shown:
            out.add(part, f"{where}, tracked deletion", before, skip=frozenset(found))
        out.add(part, f"{where}, field instruction", instr)
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
        if not isinstance(el.tag, str):
            continue
        if el not in read:   # every text node a paragraph above did not already cover
            out.add(part, _describe_element(part, el), el.text)
        if el.tail and el.tail.strip() and el.getparent() is not None:
            out.add(part, _describe_element(part, el.getparent()), el.tail)
        for attr, value in el.attrib.items():
            if is_rels and attr == "Target" and el.tag == f"{{{_REL}}}Relationship":
                out.add(part, "relationship target", unquote(value))
                out.add(part, "relationship target", value)
                continue
            where = _describe_attribute(el, attr)
            out.add(part, where, value)
            if "%" in value:
                out.add(part, where, unquote(value))


def _decode(data: bytes) -> str | None:
    """Bytes that are text, as text (UTF-8 or UTF-16, best effort); None for binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if len(data) >= 4 and len(data) % 2 == 0 and data[1::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-le")
        except UnicodeDecodeError:
            return None
    return None


def _parse(name: str, data: bytes) -> etree._Element | None:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (name.lower().endswith((".xml", ".rels", ".vml")) or head.startswith(b"<")):
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def scan_docx(path: Path | str, terms: LeakTerms) -> list[Leak]:
    """Every leak in a Word package: every member that is XML (paragraph text across runs,
    tracked deletions, field instructions, every other text node, every attribute value,
    relationship targets URL-decoded), and every other member that decodes as text.
    Binary members (images) cannot hold searchable text and are skipped."""
    path = Path(path)
    out = _Collector(path, terms)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise OutputError("is too large to check for names left in it (over 512 MB unpacked)", path)
            for info in infos:
                data = zf.read(info)
                root = _parse(info.filename, data)
                if root is not None:
                    _scan_xml(out, info.filename, root)
                else:
                    out.add(info.filename, "text", _decode(data))
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
    """Scan a written file: a zip (.docx) as a package, anything else as text."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise OutputError(f"could not be read back to check for names left in it ({exc.strerror})", path) \
            from None
    return scan_docx(path, terms) if head.startswith(b"PK") else scan_text(path, terms)


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
