"""Undo commands for the decision editor.

Every command changes the decision only through the core's own operations
(``Section.add/remove/move``, ``Paragraph.edit``, ``insert_section``), so what the GUI does
is exactly what the CLI and the tests do. Undo restores a snapshot instead, because
``Paragraph.edit`` deliberately cannot clear the "edited" flag it sets.

Commands hold references into one Decision object; the editor clears the stack whenever
it is given another decision, so a command never acts on the wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand

from desk_app.core.decision.convert import Shape
from desk_app.core.decision.model import Block, Decision, Header, Heading, ListStyle, Paragraph, Section
from desk_app.core.decision.pseudonym_sync import Renames, rename_in_decision
from desk_app.core.decision.templates import insert_section

#: Called after every redo/undo with what changed, so the editor refreshes only that part.
Notify = Callable[[str, object], None]

STRUCTURE = "structure"
HEADER = "header"
PARAGRAPH = "paragraph"
SUMMARY = "summary"
HEADING = "heading"

_FIELD_LABELS = {
    "organisation": "organisation", "reference": "reference", "category": "category",
    "sub_category": "sub-category", "outcome": "outcome", "decision_date": "decision date", "stage": "stage",
}


class SetHeaderField(QUndoCommand):
    """One committed header field; values arrive already validated by the core."""

    def __init__(self, header: Header, field_name: str, old: Any, new: Any, notify: Notify) -> None:
        super().__init__(f"Change {_FIELD_LABELS.get(field_name, field_name)}")
        self._header, self._field, self._old, self._new, self._notify = header, field_name, old, new, notify

    def redo(self) -> None:
        setattr(self._header, self._field, self._new)
        self._notify(HEADER, self._field)

    def undo(self) -> None:
        setattr(self._header, self._field, self._old)
        self._notify(HEADER, self._field)


@dataclass(frozen=True)
class ParagraphState:
    """Everything ``Paragraph.edit`` may change, so undo can put it all back."""

    text: str
    citation: str
    items: tuple[str, ...]
    list_style: ListStyle | None
    edited: bool

    @classmethod
    def of(cls, paragraph: Paragraph) -> ParagraphState:
        return cls(paragraph.text, paragraph.citation, tuple(paragraph.items), paragraph.list_style,
                   paragraph.edited)

    def restore(self, paragraph: Paragraph) -> None:
        paragraph.text = self.text
        paragraph.citation = self.citation
        paragraph.items = list(self.items)
        paragraph.list_style = self.list_style
        paragraph.edited = self.edited


class EditParagraph(QUndoCommand):
    """A wording change, applied through ``Paragraph.edit`` so stock paragraphs get flagged."""

    def __init__(self, paragraph: Paragraph, changes: dict[str, Any], notify: Notify, label: str) -> None:
        super().__init__(label)
        self._paragraph, self._changes, self._notify = paragraph, dict(changes), notify
        self._before = ParagraphState.of(paragraph)
        self._kind = PARAGRAPH

    def redo(self) -> None:
        self._paragraph.edit(**self._changes)
        self._kind = STRUCTURE if _list_shape(self._before) != _list_shape(ParagraphState.of(self._paragraph)) \
            else PARAGRAPH
        self._notify(self._kind, self._paragraph)

    def undo(self) -> None:
        self._before.restore(self._paragraph)
        self._notify(self._kind, self._paragraph)


def _list_shape(state: ParagraphState) -> tuple[bool, ListStyle | None]:
    """A list appearing, going or changing style needs new widgets (a rebuild), not just new text."""
    return (bool(state.items), state.list_style if state.items else None)


class SetSummary(QUndoCommand):
    """The Summary is free text with no library link, so a plain swap is enough."""

    def __init__(self, decision: Decision, new: str, notify: Notify) -> None:
        super().__init__("Edit summary")
        self._decision, self._old, self._new, self._notify = decision, decision.summary, new, notify

    def redo(self) -> None:
        self._decision.summary = self._new
        self._notify(SUMMARY, self._decision)

    def undo(self) -> None:
        self._decision.summary = self._old
        self._notify(SUMMARY, self._decision)


class SetSectionHeading(QUndoCommand):
    """Choose between the template's heading wordings ("Analysis"/"Conclusions")."""

    def __init__(self, section: Section, new: str, notify: Notify) -> None:
        super().__init__(f"Use heading “{new}”")
        self._section, self._old, self._new, self._notify = section, section.heading, new, notify

    def redo(self) -> None:
        self._section.heading = self._new
        self._notify(HEADING, self._section)

    def undo(self) -> None:
        self._section.heading = self._old
        self._notify(HEADING, self._section)


class AddBlocks(QUndoCommand):
    """Append blocks to a section, first creating the section from the template if needed.

    The section is looked up on every redo (by key) rather than kept, so that creating it
    goes through ``insert_section`` and lands at the template's place in the order.
    """

    def __init__(self, decision: Decision, section_key: str, blocks: Sequence[Block], notify: Notify,
                 label: str) -> None:
        super().__init__(label)
        self._decision, self._key, self._blocks, self._notify = decision, section_key, list(blocks), notify
        self._created: Section | None = None
        self._created_at = 0

    @property
    def focus_block(self) -> Block:
        """The block the user asked for (headings added alongside it come first)."""
        return self._blocks[-1]

    def redo(self) -> None:
        if self._created is not None:
            self._decision.sections.insert(self._created_at, self._created)
        elif not self._decision.has_section(self._key):
            self._created = insert_section(self._decision, self._key)
            self._created_at = self._decision.sections.index(self._created)
        section = self._decision.section(self._key)
        for block in self._blocks:
            section.add(block)
        self._notify(STRUCTURE, self.focus_block)

    def undo(self) -> None:
        section = self._decision.section(self._key)
        for block in reversed(self._blocks):
            section.remove(_index_of(section, block))
        if self._created is not None:
            self._decision.sections.remove(self._created)
        self._notify(STRUCTURE, None)


class RemoveBlock(QUndoCommand):
    """Take one block out; ``Section.remove`` hands it back so undo can re-insert it."""

    def __init__(self, section: Section, index: int, notify: Notify, label: str) -> None:
        super().__init__(label)
        self._section, self._index, self._notify = section, index, notify
        self._block: Block | None = None

    def redo(self) -> None:
        self._block = self._section.remove(self._index)
        self._notify(STRUCTURE, None)

    def undo(self) -> None:
        assert self._block is not None
        self._section.add(self._block, self._index)
        self._notify(STRUCTURE, self._block)


class MoveBlock(QUndoCommand):
    """Reorder within a section; numbering is derived, so nothing else needs changing."""

    def __init__(self, section: Section, old: int, new: int, notify: Notify, label: str) -> None:
        super().__init__(label)
        self._section, self._old, self._new, self._notify = section, old, new, notify

    def redo(self) -> None:
        self._section.move(self._old, self._new)
        self._notify(STRUCTURE, self._section.blocks[self._new])

    def undo(self) -> None:
        self._section.move(self._new, self._old)
        self._notify(STRUCTURE, self._section.blocks[self._old])


class ChangeStructure(QUndoCommand):
    """A change to the decision's shape made by one core operation, undone in one step.

    Converting to another outcome or stage (``convert_decision``) or inserting an entry with
    its partners (``apply_entry``) may add, remove and swap many blocks and sections at
    once; the user did one thing, so one Ctrl+Z must undo it all. The operation runs once,
    here; redo and undo then put the captured :class:`Shape` before or after back, so the
    very same paragraph objects return (and redo never re-runs the operation).
    """

    def __init__(self, decision: Decision, operation: Callable[[], Any], notify: Notify, label: str,
                 header_fields: Sequence[str] = ()) -> None:
        super().__init__(label)
        self._notify, self._fields = notify, tuple(header_fields)
        self._before = Shape.capture(decision)
        try:
            self.result = operation()
        except BaseException:
            self._before.restore()
            raise
        self._after = Shape.capture(decision)
        self.focus_block: Block | None = None

    def _apply(self, shape: Shape, focus: Block | None) -> None:
        shape.restore()
        for name in self._fields:
            self._notify(HEADER, name)
        self._notify(STRUCTURE, focus)

    def redo(self) -> None:
        self._apply(self._after, self.focus_block)

    def undo(self) -> None:
        self._apply(self._before, None)


class SetSubheadingText(QUndoCommand):
    """Reword a sub-heading inside a section ("What happened" → "Key facts")."""

    def __init__(self, heading: Heading, new: str, notify: Notify) -> None:
        super().__init__(f"Rename sub-heading “{heading.text}”")
        self._heading, self._old, self._new, self._notify = heading, heading.text, new, notify

    def redo(self) -> None:
        self._heading.text = self._new
        self._notify(STRUCTURE, self._heading)

    def undo(self) -> None:
        self._heading.text = self._old
        self._notify(STRUCTURE, self._heading)


class FollowRenames(QUndoCommand):
    """The decision following a rename, merge or complainant change in the review: every old
    pseudonym of the people whose pseudonym changed becomes the new one, in one undo step.

    The core does the rewriting (``rename_in_decision``) once, here; undo and redo swap the
    texts captured before and after, so undoing it in the Decision tab gives back exactly
    the old wording (a "Plan B" the rules took for a person, say).
    """

    def __init__(self, decision: Decision, renames: Renames, notify: Notify) -> None:
        super().__init__(f"Follow the review in the decision ({renames.describe()})")
        self._notify = notify
        self._before = _texts(decision)
        self.count = rename_in_decision(decision, renames)
        self._after = _texts(decision)
        self._decision = decision

    def redo(self) -> None:
        _restore_texts(self._decision, self._after)
        self._notify(STRUCTURE, None)

    def undo(self) -> None:
        _restore_texts(self._decision, self._before)
        self._notify(STRUCTURE, None)


def _texts(decision: Decision) -> tuple[str, list[tuple[Paragraph, ParagraphState]]]:
    return decision.summary, [(p, ParagraphState.of(p)) for p in decision.paragraphs()]


def _restore_texts(decision: Decision, texts: tuple[str, list[tuple[Paragraph, ParagraphState]]]) -> None:
    decision.summary = texts[0]
    for paragraph, state in texts[1]:
        state.restore(paragraph)


def _index_of(section: Section, block: Block) -> int:
    """Position by identity: two paragraphs with equal wording are still different blocks."""
    for index, candidate in enumerate(section.blocks):
        if candidate is block:
            return index
    raise ValueError("block is not in the section")
