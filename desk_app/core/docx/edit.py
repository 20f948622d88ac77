"""Editing WordprocessingML in place: replacements spliced into runs, strings swept
from places that are not paragraph text, identifiers renamed.

Replacements arrive as offsets within one paragraph's text (``text.paragraph_segments``)
and are applied node by node, so formatting, styles, numbering and fields survive. What is
not paragraph text (field codes, link targets, screen tips, authors, alt text, properties,
chart labels) cannot be addressed by offsets; there the original strings are swept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, unquote

import regex
from lxml import etree

from desk_app.core.docx.ns import MC_CHOICE, MC_FALLBACK, REL, W_INSTR_TEXT, W_P, W_T, W_TXBX, XML_SPACE, w
from desk_app.core.docx.package import DocxPackage, rels_name
from desk_app.core.docx.text import paragraph_segments, paragraph_text
from desk_app.core.names import fold

__all__ = ["Sweeper", "apply_local", "fallback_twin", "rename_identifiers", "replace_in_paragraph", "set_text",
           "sweep_attributes", "sweep_other_parts",
           "sweep_outside_text", "swept_url"]


def set_text(node: etree._Element, text: str) -> None:
    node.text = text
    if text != text.strip() or "  " in text:
        node.set(XML_SPACE, "preserve")


def replace_in_paragraph(p: etree._Element, start: int, end: int, new: str) -> None:
    """Replace ``[start, end)`` of the paragraph's text, across run boundaries.

    The new text goes where the first affected character was, in that character's run,
    so it takes that run's formatting; the rest of the span is cut out of the runs it was
    in, which keep their own formatting. Tabs and breaks inside the span are removed.
    """
    segments = paragraph_segments(p)
    touched = [s for s in segments if s.start < end and s.end > start and not s.separator]
    if not touched:
        if start != end and not any(s.start < end and s.end > start for s in segments):
            raise ValueError(f"no text at {start}:{end} in paragraph {paragraph_text(p)!r}")
        hosts = [s for s in segments if s.editable and s.start <= start <= s.end]
        if hosts:
            host = hosts[0]
            cut = start - host.start
            set_text(host.node, host.text[:cut] + new + host.text[cut:])
        elif new:
            raise ValueError("cannot insert text into an empty paragraph")
        return
    pending = new   # goes where the first affected character was; separators (ruby spacing) stay
    for seg in touched:
        if seg.editable:
            lo, hi = max(start, seg.start) - seg.start, min(end, seg.end) - seg.start
            remaining = seg.text[:lo] + pending + seg.text[hi:]
            pending = ""
            if remaining:
                set_text(seg.node, remaining)
            else:
                seg.node.getparent().remove(seg.node)
        else:
            parent = seg.node.getparent()
            if pending:
                t = etree.Element(W_T)
                set_text(t, pending)
                pending = ""
                parent.replace(seg.node, t)
            else:
                parent.remove(seg.node)


class Sweeper:
    """Literal replacement of the original strings, for places that are not paragraph text.

    Field codes (``HYPERLINK "mailto:..."``), hyperlink targets, screen tips, the VML copy
    of a text box when it differs from the DrawingML one, document properties: none of
    these are in ``SourceDocument.text``, yet a name or email found in the text can sit
    there too. Whole-word matches only, to avoid mangling unrelated words; case matters
    except in URLs and field codes, where "Priya.Ramsden@" and "priya.ramsden@" are one.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.exact: dict[str, str] = {}
        for original, new in pairs:
            key = original.strip()
            if len(key) >= 2:
                self.exact.setdefault(key, new)
        self.folded: dict[str, str] = {}
        for key, new in self.exact.items():
            self.folded.setdefault(key.lower(), new)
        alternatives = "|".join(re.escape(k) for k in sorted(self.exact, key=len, reverse=True))
        body = rf"(?<!\w)(?:{alternatives})(?!\w)"
        self.pattern = re.compile(body) if self.exact else None
        self.pattern_i = re.compile(body, re.IGNORECASE) if self.exact else None

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Case-sensitive whole-word hits in ``text`` as (start, end, replacement)."""
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.exact[m.group()]) for m in self.pattern.finditer(text)]

    def sub(self, text: str, *, url: bool = False, ignore_case: bool = False) -> str:
        """``text`` with every hit replaced; ``url`` percent-encodes the replacement."""
        pattern = self.pattern_i if (url or ignore_case) else self.pattern
        if pattern is None:
            return text

        def replacement(m: re.Match[str]) -> str:
            new = self.exact.get(m.group()) or self.folded.get(m.group().lower())
            if new is None:
                return m.group()
            return quote(new, safe="@.-_~+") if url else new

        return pattern.sub(replacement, text)


def fallback_twin(p: etree._Element) -> etree._Element | None:
    """The VML (mc:Fallback) copy of a text-box paragraph read from its mc:Choice copy."""
    choice = next((a for a in p.iterancestors() if a.tag == MC_CHOICE), None)
    if choice is None:
        return None
    fallback = next(choice.itersiblings(MC_FALLBACK), None)
    if fallback is None:
        return None
    box = next((a for a in p.iterancestors() if a.tag == W_TXBX), None)
    if box is None:
        return None
    boxes = list(choice.iter(W_TXBX))
    twins = list(fallback.iter(W_TXBX))
    k = boxes.index(box)
    if k >= len(twins):
        return None
    j = list(box.iter(W_P)).index(p)
    twin_paras = list(twins[k].iter(W_P))
    return twin_paras[j] if j < len(twin_paras) else None


# Attributes that can repeat a name found in the text: field codes, screen tips, revision
# and comment authors, image alt text and titles, WordArt text (v:textpath/@string).
_SWEPT_ATTRIBUTES = frozenset({"instr", "tooltip", "author", "descr", "title", "alt", "string"})


def sweep_attributes(root: etree._Element, sweeper: Sweeper) -> bool:
    changed = False
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            name = etree.QName(attr).localname
            if name in _SWEPT_ATTRIBUTES:
                new = sweeper.sub(value, ignore_case=name == "instr")
                if new != value:
                    node.set(attr, new)
                    changed = True
    return changed


def swept_url(sweeper: Sweeper, target: str) -> str:
    """A link target with names replaced, also where the name is percent-encoded
    ('…/Cheryl%20Laffey.pdf'): then the decoded target is swept and encoded again."""
    new = sweeper.sub(target, url=True)
    decoded = unquote(new)
    if decoded != new and (swept := sweeper.sub(decoded, ignore_case=True)) != decoded:
        new = quote(swept, safe=":/?#[]@!$&'()*+,;=~")
    return new


def sweep_outside_text(pkg: DocxPackage, sweeper: Sweeper) -> None:
    for member, _ in pkg.text_parts:
        root = pkg.xml(member)
        changed = sweep_attributes(root, sweeper)
        for node in root.iter(W_INSTR_TEXT):
            new = sweeper.sub(node.text or "", ignore_case=True)
            if new != (node.text or ""):
                node.text, changed = new, True
        if changed:
            pkg.modified.add(member)
        rels = pkg.member(rels_name(member))
        if rels is not None:
            for rel in pkg.xml(rels).iter(REL):
                target = rel.get("Target", "")
                if rel.get("TargetMode") == "External" and (new := swept_url(sweeper, target)) != target:
                    rel.set("Target", new)
                    pkg.modified.add(rels)
    people = pkg.member("word/people.xml")
    if people is not None and sweep_attributes(pkg.xml(people), sweeper):
        pkg.modified.add(people)
    for name in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
        member = pkg.member(name)
        if member is None:
            continue
        for node in pkg.xml(member).iter():
            if isinstance(node.tag, str) and node.text and sweeper.sub(node.text) != node.text:
                node.text = sweeper.sub(node.text)
                pkg.modified.add(member)


def apply_local(p: etree._Element, spans: Sequence[tuple[int, int, str]]) -> None:
    for start, end, new in sorted(spans, key=lambda s: s[0], reverse=True):
        replace_in_paragraph(p, start, end, new)


# -- parts that are not text: charts, diagrams, drawings ---------------------------------------

_SWEPT_PARTS = ("word/charts/", "word/diagrams/", "word/drawings/")


def sweep_other_parts(pkg: DocxPackage, sweeper: Sweeper) -> list[str]:
    """Sweep the text of charts (titles, labels, cached values, series formulas), SmartArt and
    drawings, which the reader does not read: the chart keeps its look, anonymised."""
    charts = 0
    for info, _ in pkg.entries:
        member = info.filename
        lower = member.lower()
        if not lower.startswith(_SWEPT_PARTS) or not lower.endswith(".xml") or member in pkg.removed:
            continue
        root = pkg.xml(member)
        changed = sweep_attributes(root, sweeper)
        for node in root.iter():
            if not isinstance(node.tag, str):
                continue
            for field in ("text", "tail"):
                value = getattr(node, field)
                if value and (new := sweeper.sub(value, ignore_case=True)) != value:
                    setattr(node, field, new)
                    changed = True
        if changed:
            pkg.modified.add(member)
            charts += lower.startswith("word/charts/")
    return [f"names in chart labels or cached chart values replaced ({charts} part(s))"] if charts else []


# -- identifiers -----------------------------------------------------------------------------

# Attributes that hold a name the document refers to itself by: bookmarks and form fields
# (w:name), styles (w:styleId), hyperlinks to bookmarks (w:anchor), and the w:val of these.
_ID_ATTRS = frozenset({w("name"), w("styleId"), w("anchor")})
_ID_VAL_TAGS = frozenset(w(t) for t in (
    "pStyle", "rStyle", "tblStyle", "basedOn", "next", "link", "styleLink", "numStyleLink", "name", "aliases",
    "tag", "alias", "docPart",
))
_CAMEL = regex.compile(r"(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\d)|(?<=\d)(?=\p{L})")
_PIECES = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master", "sir", "dame", "lord", "lady", "prof"})
_REPEATED = re.compile(r"Name(?:[\s_.-]*Name)+")


class _NameInIdentifier:
    """Whether an identifier contains a known name, joined to other words or not, and the
    identifier with each such name replaced by ``Name``. Accents are folded, so
    ``ZukauskieneLetter`` holds 'Żukauskienė'."""

    def __init__(self, names: Iterable[str]) -> None:
        words: set[str] = set()
        joined: set[str] = set()
        for name in names:
            parts = [fold(p) for p in _PIECES.findall(name) if not p.isdigit() and fold(p) not in _TITLES]
            words.update(p for p in parts if len(p) >= 3)
            if len(parts) > 1:
                joined.add("".join(parts))
        self.words = words
        self.long = {x for x in words if len(x) >= 5} | joined
        alternatives = sorted(self.long, key=len, reverse=True)
        self.inside = re.compile("|".join(re.escape(a) for a in alternatives)) if alternatives else None

    def _pieces(self, value: str) -> list[tuple[int, int]]:
        """(start, end) of each word of ``value``: runs of letters and digits, cut at case changes."""
        spans: list[tuple[int, int]] = []
        for run in _PIECES.finditer(value):
            cuts = [run.start(), *(run.start() + m.start() for m in _CAMEL.finditer(run.group())), run.end()]
            spans.extend((a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a)
        return spans

    def _spans(self, value: str) -> list[tuple[int, int]]:
        """Where names are in ``value``: whole words, and long names inside any run of characters."""
        found = [(a, b) for a, b in self._pieces(value) if fold(value[a:b]) in self.words]
        if self.inside is not None:
            for run in _PIECES.finditer(value):
                text = run.group()
                folded = fold(text)
                if len(folded) != len(text):   # folding changed the length: take the whole run
                    if self.inside.search(folded):
                        found.append((run.start(), run.end()))
                    continue
                found.extend((run.start() + m.start(), run.start() + m.end()) for m in self.inside.finditer(folded))
        return sorted(found)

    def hit(self, value: str) -> bool:
        return bool(value) and bool(self.words or self.long) and bool(self._spans(value))

    def renamed(self, value: str) -> str:
        out: list[str] = []
        cursor = 0
        for a, b in self._spans(value):
            if a < cursor:   # inside the previous one
                if b > cursor:
                    cursor = b
                continue
            out.append(value[cursor:a])
            out.append("Name")
            cursor = b
        out.append(value[cursor:])
        return _REPEATED.sub("Name", "".join(out))


def _squash(value: str) -> str:
    return "".join(value.split()).lower()


def _identifier_values(root: etree._Element) -> Iterable[tuple[etree._Element, str, str]]:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            if attr in _ID_ATTRS or (attr == w("val") and el.tag in _ID_VAL_TAGS):
                yield el, attr, value


def _instruction_nodes(root: etree._Element) -> Iterable[tuple[etree._Element, str | None]]:
    """(element, attribute) holding field-instruction text: instrText text, fldSimple/@instr."""
    for el in root.iter(W_INSTR_TEXT, w("delInstrText")):
        yield el, None
    for el in root.iter(w("fldSimple")):
        yield el, w("instr")


def rename_identifiers(pkg: DocxPackage, names: Iterable[str]) -> list[str]:
    """Rename every identifier that contains a replaced name, consistently in every part.

    A bookmark ``HelenaOkonjoLetter`` is shown by Word in its bookmark list and read by
    any unzip; renaming it to ``NameLetter`` everywhere it is defined or referred to
    (REF/PAGEREF fields, hyperlink anchors) keeps cross-references working. Styles keep
    their links (basedOn, next, link, numbering), content controls their tag and alias.
    """
    matcher = _NameInIdentifier(names)
    if not matcher.words and not matcher.long:
        return []
    members = [info.filename for info, _ in pkg.entries
               if info.filename.lower().startswith("word/") and info.filename.lower().endswith(".xml")
               and info.filename not in pkg.removed and "/_rels/" not in info.filename]
    existing: set[str] = set()
    builtin: set[str] = set()   # Word's own style names and ids: renaming one would detach it
    for member in members:
        root = pkg.xml(member)
        existing.update(value for _, _, value in _identifier_values(root))
        builtin.update(_squash(str(el.get(w("name"), ""))) for el in root.iter(w("lsdException")))
        for style in root.iter(w("style")):
            if style.get(w("customStyle")) not in ("1", "true", "on"):
                name = style.find(w("name"))
                builtin.add(_squash(str(style.get(w("styleId"), ""))))
                if name is not None:
                    builtin.add(_squash(str(name.get(w("val"), ""))))
    renames: dict[str, str] = {}
    used = set(existing)

    def plan(value: str) -> None:
        if value in renames or _squash(value) in builtin or not matcher.hit(value):
            return
        base = matcher.renamed(value)
        new, n = base, 1
        while new in used:
            n += 1
            new = f"{base}{n}"
        used.add(new)
        renames[value] = new

    for member in members:
        root = pkg.xml(member)
        for _, _, value in _identifier_values(root):
            plan(value)
        for el, attr in _instruction_nodes(root):
            text = (el.get(attr) if attr else el.text) or ""
            for token in _TOKEN.findall(text):
                plan(token.strip('"'))
    if not renames:
        return []

    def fix_tokens(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            token = m.group()
            bare = token.strip('"')
            return token.replace(bare, renames[bare]) if bare in renames else token
        return _TOKEN.sub(one, text)

    for member in members:
        root = pkg.xml(member)
        changed = False
        for el, attr, value in list(_identifier_values(root)):
            if value in renames:
                el.set(attr, renames[value])
                changed = True
        for el, attr in _instruction_nodes(root):
            text = (el.get(attr) if attr else el.text) or ""
            new = fix_tokens(text)
            if new != text:
                if attr:
                    el.set(attr, new)
                else:
                    el.text = new
                changed = True
        if changed:
            pkg.modified.add(member)
    return [f"identifiers containing a name renamed ({len(renames)}: bookmarks, styles, content-control tags, "
            "field arguments; references updated)"]
