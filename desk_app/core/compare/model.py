"""What a comparison of two drafts is made of, as plain data.

The engine (``align.compare``) fills these in; the side-by-side view, the HTML report, the
Word redline and the command line only read them, so all four show the same changes.

Offsets in ``Op`` are character offsets into ``Block.text`` of each side. ``Block.text`` is
the compared text with list numbering taken off into ``Block.label``, so renumbering a
paragraph is never a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True)
class Block:
    """One paragraph of a draft.

    ``kind`` is "heading", "paragraph", "item" (a list item inside a paragraph) or "header"
    (a decision's header lines); ``part`` says where it lives ("body", "table", "footer",
    ...). ``label`` is the list number or bullet shown before the text ("12.", "a)", "•").
    """

    text: str
    label: str = ""
    kind: str = "paragraph"
    part: str = "body"


@dataclass
class Draft:
    """One side of a comparison: a file read into blocks."""

    name: str                       # what the header calls it: the file name
    blocks: list[Block]
    path: Path | None = None
    sha256: str = ""
    modified: datetime | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CompareOptions:
    """What does not count as a change.

    ``ignore_whitespace``: runs of spaces, tabs and non-breaking spaces compare equal, and
    leading or trailing space is dropped. ``ignore_quotes``: curly and straight quotes and
    apostrophes compare equal. ``word_limit``: a changed pair longer than this (in tokens,
    either side) is marked as a whole instead of word by word, so one huge paragraph cannot
    stall the comparison.
    """

    ignore_case: bool = False
    ignore_whitespace: bool = False
    ignore_quotes: bool = False
    word_limit: int = 4000

    def describe(self) -> str:
        parts = [name for flag, name in ((self.ignore_case, "case"), (self.ignore_whitespace, "whitespace"),
                                         (self.ignore_quotes, "quote style")) if flag]
        return "ignoring " + ", ".join(parts) if parts else "exact (case, whitespace and quotes count)"


class RowKind(StrEnum):
    EQUAL = "equal"
    CHANGED = "changed"          # paired in place, words differ
    INSERTED = "inserted"        # only on the right
    DELETED = "deleted"          # only on the left
    MOVED_FROM = "moved-from"    # where a moved paragraph was (left side only)
    MOVED_TO = "moved-to"        # where it went (right side only)


@dataclass(frozen=True)
class Op:
    """One word-level difference inside a row: ``tag`` is "replace", "delete" or "insert".

    ``left[a0:a1]`` became ``right[b0:b1]``; for "insert" a0 == a1, for "delete" b0 == b1.
    """

    tag: str
    a0: int
    a1: int
    b0: int
    b1: int


@dataclass
class Row:
    """One line of the aligned side-by-side view.

    ``left``/``right`` index the drafts' blocks; ``None`` means a gap on that side. A moved
    paragraph gives two rows, one where it was (``MOVED_FROM``, left only) and one where it
    went (``MOVED_TO``, right only), each naming the other as ``partner``; both carry the
    same ``ops`` (the words edited during the move), offsets into the moved paragraph's two
    texts. ``coarse`` means the pair was too long for a word diff and is marked whole.
    """

    kind: RowKind
    left: int | None
    right: int | None
    ops: tuple[Op, ...] = ()
    partner: int | None = None
    coarse: bool = False

    @property
    def left_marks(self) -> list[tuple[int, int]]:
        """Ranges of the left text that are not in the right (deleted or replaced words)."""
        return [(o.a0, o.a1) for o in self.ops if o.a1 > o.a0]

    @property
    def right_marks(self) -> list[tuple[int, int]]:
        """Ranges of the right text that are not in the left (inserted or replacing words)."""
        return [(o.b0, o.b1) for o in self.ops if o.b1 > o.b0]


class ChangeKind(StrEnum):
    CHANGED = "changed"
    INSERTED = "inserted"
    DELETED = "deleted"
    MOVED = "moved"


@dataclass(frozen=True)
class Change:
    """One entry of the change list: what F8 steps to.

    ``rows`` are indices into ``Comparison.rows``: one row, or two for a move (from, to).
    ``edited`` is True for a moved paragraph that was also edited.
    """

    kind: ChangeKind
    rows: tuple[int, ...]
    words_inserted: int
    words_deleted: int
    edited: bool = False


@dataclass(frozen=True)
class Counts:
    changed: int = 0
    inserted: int = 0
    deleted: int = 0
    moved: int = 0
    words_inserted: int = 0
    words_deleted: int = 0

    @property
    def total(self) -> int:
        return self.changed + self.inserted + self.deleted + self.moved


@dataclass
class Comparison:
    """Everything one comparison found; ``rows`` in reading order of both drafts."""

    left: Draft
    right: Draft
    options: CompareOptions
    rows: list[Row]
    changes: list[Change]
    seconds: float = 0.0

    @property
    def counts(self) -> Counts:
        by_kind = {k: 0 for k in ChangeKind}
        for c in self.changes:
            by_kind[c.kind] += 1
        return Counts(by_kind[ChangeKind.CHANGED], by_kind[ChangeKind.INSERTED], by_kind[ChangeKind.DELETED],
                      by_kind[ChangeKind.MOVED], sum(c.words_inserted for c in self.changes),
                      sum(c.words_deleted for c in self.changes))

    def summary(self) -> str:
        """One line: what the command line prints and the view's status bar shows."""
        c = self.counts
        if not c.total:
            return "no differences"
        return (f"{c.changed} paragraph{'s' * (c.changed != 1)} changed, {c.inserted} inserted, "
                f"{c.deleted} deleted, {c.moved} moved; {c.words_inserted} word{'s' * (c.words_inserted != 1)} "
                f"inserted, {c.words_deleted} deleted")

    def left_text(self, row: Row) -> str:
        return self.left.blocks[row.left].text if row.left is not None else ""

    def right_text(self, row: Row) -> str:
        return self.right.blocks[row.right].text if row.right is not None else ""

    def pair_texts(self, row: Row) -> tuple[str, str]:
        """The two texts ``row.ops`` index: for a move, the paragraph before and after it moved."""
        if row.kind in (RowKind.MOVED_FROM, RowKind.MOVED_TO) and row.partner is not None:
            other = self.rows[row.partner]
            src, dst = (row, other) if row.kind is RowKind.MOVED_FROM else (other, row)
            return self.left_text(src), self.right_text(dst)
        return self.left_text(row), self.right_text(row)
