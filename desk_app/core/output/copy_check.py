"""Check an anonymised copy against its original: every replacement, and anything else.

A publication officer wants two lists from the comparison of a document with its
anonymised copy: every place a name or other personal detail was replaced (to read down
quickly), and every difference that is *not* such a replacement (text that changed and
should not have: a dropped sentence, a wrong pseudonym, a paragraph gone). A third list
catches the opposite failure: an original name form that is still in the copy.

With the case mapping the check is exact: a replacement must swap a mapped name form for
that same person's pseudonym. Without one it falls back on shape: a capitalised word or a
number became "Mr Y", "B", "the social worker" or "[phone number]".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import regex

from desk_app.core.compare.align import compare
from desk_app.core.compare.model import Comparison, Draft, Op, Row, RowKind
from desk_app.core.entities import IDENTIFIER_LABELS
from desk_app.core.names import FUNCTION_WORDS, TITLE_RE, fold
from desk_app.core.people.mapping import CaseMapping, MappedPerson

_LABELS = "|".join(regex.escape(v) for v in IDENTIFIER_LABELS.values())
_GLUE = regex.compile(rf"(?:[\s\p{{P}}]|(?i:\b(?:the|a|an|{TITLE_RE})\b)|['’]s\b)*")
_PSEUDONYM_SHAPE = regex.compile(
    rf"(?:(?i:the)\s+[\p{{L}}\s-]{{2,60}}|(?:(?:Mrs|Miss|Mr|Ms|Mx|Dr)\s+)?[B-HJ-Z]|{_LABELS})(?:['’]s?)?")
_NAME_SHAPE = regex.compile(r"\b\p{Lu}[\p{L}'’-]+|\d|@")
_CAP_WORD = r"\p{Lu}[\p{L}'’-]+"
_CAPITALISED = regex.compile(rf"\b{_CAP_WORD}")
_NAME_ONLY = regex.compile(rf"[\s,(–-]*(?:(?:{TITLE_RE})\.?\s+)?{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}}"
                           rf"[\s,)–-]*(?i:the\s*)?")


@dataclass(frozen=True)
class Finding:
    """One place in the pair: ``original`` in the original's block ``left_block`` at
    ``[a0:a1]`` became ``anonymised`` in the copy's block ``right_block`` at ``[b0:b1]``.

    ``kind`` is "replacement", "unexpected" or "residual"; ``person`` is the pseudonym a
    replacement belongs to (when the mapping says); ``note`` says why a finding is flagged.
    """

    kind: str
    row: int
    left_block: int | None
    right_block: int | None
    a0: int
    a1: int
    b0: int
    b1: int
    original: str
    anonymised: str
    person: str | None = None
    note: str = ""


@dataclass
class AnonymisationCheck:
    comparison: Comparison
    replacements: list[Finding] = field(default_factory=list)
    unexpected: list[Finding] = field(default_factory=list)
    residuals: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unexpected and not self.residuals

    def summary(self) -> str:
        return (f"{len(self.replacements)} replacement{'s' * (len(self.replacements) != 1)}, "
                f"{len(self.unexpected)} other change{'s' * (len(self.unexpected) != 1)}, "
                f"{len(self.residuals)} original name{'s' * (len(self.residuals) != 1)} left in the copy")

    def to_dict(self) -> dict[str, object]:
        return {
            "original": self.comparison.left.name, "anonymised": self.comparison.right.name,
            "summary": self.summary(), "ok": self.ok,
            "replacements": [asdict(f) for f in self.replacements],
            "unexpected": [asdict(f) for f in self.unexpected],
            "residuals": [asdict(f) for f in self.residuals],
        }


class _Names:
    """The mapping's name forms as one folded, word-bounded pattern, and who owns each."""

    def __init__(self, mapping: CaseMapping | None) -> None:
        self.owner: dict[str, MappedPerson] = {}
        for person in mapping.people if mapping else []:
            for name in person.names:
                self.owner.setdefault(fold(name), person)
        forms = sorted(self.owner, key=len, reverse=True)
        self.pattern = regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(f) for f in forms) + r")(?!\w)") \
            if forms else None

    def find(self, text: str) -> list[tuple[int, int, MappedPerson]]:
        """Name forms in ``text`` (fold keeps offsets for the text the forms are written in)."""
        if self.pattern is None:
            return []
        folded = fold(text)
        if len(folded) != len(text):   # a rare letter folds to two; search the plain casefold
            folded = text.casefold()
        return [(m.start(), m.end(), self.owner[m.group(0)]) for m in self.pattern.finditer(folded)]


def _is_glue(text: str) -> bool:
    return _GLUE.fullmatch(text) is not None


def _without(text: str, phrases: list[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        text = regex.sub(rf"(?i)(?<!\w){regex.escape(phrase)}(?!\w)", " ", text)
    return text


def _classify(original: str, anonymised: str, names: _Names, mapped: bool) -> tuple[str, str | None, str]:
    """("replacement" | "unexpected", pseudonym, note) for one word-level difference."""
    found = names.find(original)
    if found:
        people = {id(p): p for _, _, p in found}.values()
        pseudonyms = [p.rendered for p in people if p.rendered]
        letters = [p.letter for p in people if p.letter]   # 'the X family', a shared surname
        if names.find(anonymised):
            return "unexpected", None, "an original name is still there after the change"
        rest = _without(anonymised, pseudonyms + letters + list(IDENTIFIER_LABELS.values()))
        rest = _without(rest, [p.role for p in people if p.role])
        if _is_glue(rest):
            return "replacement", ", ".join(pseudonyms) or None, ""
        return "unexpected", None, f"'{anonymised.strip()}' is not the pseudonym of {', '.join(pseudonyms) or 'them'}"
    bare = anonymised.strip()
    if bare and any(label in bare for label in IDENTIFIER_LABELS.values()) and \
            _is_glue(_without(bare, list(IDENTIFIER_LABELS.values()))) and regex.search(r"\d|@|\p{Lu}", original):
        return "replacement", None, ""
    if not mapped and bare and _PSEUDONYM_SHAPE.fullmatch(bare.strip(" ,.;:()")) and _NAME_SHAPE.search(original):
        return "replacement", None, ""
    if _is_glue(original) and _is_glue(anonymised):
        return "glue", None, ""
    if not mapped and _is_glue(anonymised) and _NAME_ONLY.fullmatch(original):
        return "replacement", None, "a name taken out beside its role"
    what = "no mapped name was there" if mapped else "it does not look like a name being replaced"
    return "unexpected", None, f"changed, but {what}"


def _continues(check: AnonymisationCheck, r: int, a: str, op: Op) -> bool:
    """A deletion at the start of a line that finishes an identifier replaced at the end of the
    line before ("date of birth is 14 / March 1986" in a PDF's lines)."""
    if op.b1 > op.b0 or a[:op.a0].strip() or not check.replacements:
        return False
    last = check.replacements[-1]
    if last.row != r - 1:
        return False
    before = check.comparison.rows[last.row]
    return not check.comparison.pair_texts(before)[0][last.a1:].strip() and \
        any(label in last.anonymised for label in IDENTIFIER_LABELS.values())


def _row_findings(cmp: Comparison, r: int, row: Row, names: _Names, mapped: bool,
                  check: AnonymisationCheck) -> None:
    a, b = cmp.pair_texts(row)
    if row.kind is not RowKind.CHANGED:
        note = {RowKind.INSERTED: "a paragraph only the copy has", RowKind.DELETED: "a paragraph the copy lost",
                RowKind.MOVED_FROM: "a paragraph moved in the copy", RowKind.MOVED_TO: "a paragraph moved in the copy"}
        if row.kind is RowKind.MOVED_TO:
            return   # reported once, at its original place
        check.unexpected.append(Finding("unexpected", r, row.left, row.right, 0, len(a), 0, len(b) if b else 0,
                                        a, b, None, note[row.kind]))
        return
    glue: list[Finding] = []
    kinds: list[str] = []
    for op in row.ops:
        kind, person, note = _classify(a[op.a0:op.a1], b[op.b0:op.b1], names, mapped)
        if kind == "unexpected" and _continues(check, r, a, op):
            kind, note = "replacement", "the rest of an identifier replaced on the line before"
        finding = Finding(kind, r, row.left, row.right, op.a0, op.a1, op.b0, op.b1, a[op.a0:op.a1],
                          b[op.b0:op.b1], person, note)
        kinds.append(kind)
        if kind == "replacement":
            check.replacements.append(finding)
        elif kind == "glue":
            glue.append(finding)
        else:
            check.unexpected.append(finding)
    if glue and "replacement" not in kinds:
        # punctuation or 'the' changing on its own is a change; beside a replacement it is
        # the replacement's doing ('Jane Smith, the social worker, said' -> 'The social worker said')
        check.unexpected.extend(Finding("unexpected", f.row, f.left_block, f.right_block, f.a0, f.a1, f.b0, f.b1,
                                        f.original, f.anonymised, None, "punctuation changed")
                                for f in glue)


def _residuals(cmp: Comparison, names: _Names, check: AnonymisationCheck) -> None:
    """Original name forms still present in the copy: mapped ones, or (without a mapping)
    capitalised words that were replaced somewhere else in the document."""
    row_of = {row.right: r for r, row in enumerate(cmp.rows) if row.right is not None}   # the copy's rows
    if names.pattern is not None:
        for j, block in enumerate(cmp.right.blocks):
            for s, e, person in names.find(block.text):
                check.residuals.append(Finding("residual", row_of.get(j, -1), None, j, 0, 0, s, e, "", block.text[s:e],
                                               person.rendered, "an original name form is still in the copy"))
        return
    labels = tuple(IDENTIFIER_LABELS.values())
    replaced = {w for f in check.replacements if not any(label in f.anonymised for label in labels)
                for w in _CAPITALISED.findall(f.original) if fold(w) not in FUNCTION_WORDS
                and not regex.fullmatch(TITLE_RE, w)}
    if not replaced:
        return
    pattern = regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(w) for w in sorted(replaced, key=len, reverse=True))
                            + r")(?!\w)")
    for j, block in enumerate(cmp.right.blocks):
        for m in pattern.finditer(block.text):
            check.residuals.append(Finding("residual", row_of.get(j, -1), None, j, 0, 0, m.start(), m.end(), "",
                                           m.group(0), None,
                                           "replaced elsewhere in the document, but still here"))


def check_anonymised(original: Draft, anonymised: Draft, mapping: CaseMapping | None = None) -> AnonymisationCheck:
    """Compare a document with its anonymised copy and sort every difference.

    Comments are left out of the original: an anonymised Word copy never carries them (the
    scrub removes them), so their absence is not a difference.
    """
    if any(b.part == "comment" for b in original.blocks):
        original = Draft(original.name, [b for b in original.blocks if b.part != "comment"], original.path,
                         original.sha256, original.modified, [*original.notes, "comments left out: the copy has none"])
    cmp = compare(original, anonymised, in_place=0.0)   # the copy keeps every paragraph where it was
    check = AnonymisationCheck(cmp)
    names = _Names(mapping)
    mapped = bool(mapping and mapping.people)
    for r, row in enumerate(cmp.rows):
        if row.kind is not RowKind.EQUAL:
            _row_findings(cmp, r, row, names, mapped, check)
    _residuals(cmp, names, check)
    return check
