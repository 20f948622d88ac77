"""Changing a drafted decision's outcome or stage, and inserting library entries with their partners.

Investigators often decide the outcome late: a case drafted as Upheld turns out to be one
to close after initial enquiries, or a draft becomes the final decision. Starting again
would lose their own paragraphs; editing by hand leaves the wrong stock wording behind
(an Agreed action in a closure, "Based on current evidence" in a final decision). So the
conversion keeps every paragraph the investigator wrote or edited, and swaps only the
library defaults that are still untouched: the new outcome's sections are added, sections
left with nothing of the investigator's are removed, and sections the new template lacks
but that hold the investigator's own words are kept where they were, so nothing typed is
ever lost and a round trip (upheld → closed → upheld) gives the same text back.

The operations change the decision in place; :class:`Shape` records and restores its
structure so a GUI can undo a whole conversion in one step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from desk_app.core.decision.library import Library, LibraryEntry, LibraryError
from desk_app.core.decision.model import Block, Decision, DecisionError, Heading, Outcome, Paragraph, Section, Stage
from desk_app.core.decision.templates import insert_section, template_for, template_named

STOCK = ("current", "outdated")


def is_stock(library: Library, paragraph: Paragraph) -> bool:
    """An untouched library paragraph: safe to swap, because the library can give it back."""
    return library.status(paragraph) in STOCK


# --- undo support -------------------------------------------------------------------------------


@dataclass
class Shape:
    """The structure of a decision: what a conversion changes, captured so it can be put back.

    Paragraph objects are kept by reference (their wording is not changed by conversions),
    so restoring a shape puts the very same paragraphs back in place.
    """

    decision: Decision
    outcome: Outcome
    stage: Stage
    template: str
    sections: list[Section]
    contents: list[tuple[Section, str, list[Block]]] = field(default_factory=list)

    @classmethod
    def capture(cls, decision: Decision) -> Shape:
        return cls(decision, decision.header.outcome, decision.header.stage, decision.template,
                   list(decision.sections), [(s, s.heading, list(s.blocks)) for s in decision.sections])

    def restore(self) -> None:
        d = self.decision
        d.header.outcome, d.header.stage, d.template = self.outcome, self.stage, self.template
        d.sections[:] = self.sections
        for section, heading, blocks in self.contents:
            section.heading = heading
            section.blocks[:] = blocks


# --- conversion ---------------------------------------------------------------------------------


@dataclass
class Conversion:
    """What a conversion did, for the status line and the tests."""

    added: list[str] = field(default_factory=list)      # library entry ids newly placed
    removed: list[str] = field(default_factory=list)    # library entry ids taken out
    kept_own: int = 0                                    # investigator's paragraphs kept
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line such as "4 library paragraphs swapped, 3 of your paragraphs kept"."""
        def plural(n: int) -> str:
            return "s" if n != 1 else ""

        parts = [f"{len(self.removed)} library paragraph{plural(len(self.removed))} removed",
                 f"{len(self.added)} added", f"{self.kept_own} of your paragraph{plural(self.kept_own)} kept"]
        if self.sections_added:
            parts.append("sections added: " + ", ".join(self.sections_added))
        if self.sections_removed:
            parts.append("sections removed: " + ", ".join(self.sections_removed))
        return "; ".join(parts)


def _user_blocks(section: Section, library: Library) -> list[Block]:
    """The investigator's paragraphs, with the sub-headings they sit under."""
    keep: list[Block] = []
    pending: list[Heading] = []
    for block in section.blocks:
        if isinstance(block, Heading):
            pending = [h for h in pending if h.level < block.level] + [block]
            continue
        if is_stock(library, block):
            continue
        keep += pending
        pending = []
        keep.append(block)
    return keep


def _path_at_end(blocks: Iterable[Block]) -> list[str]:
    current: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            current = [*current[: block.level - 2], block.text]
    return current


def headings_to_open(blocks: Iterable[Block], path: tuple[str, ...]) -> list[Heading]:
    """Sub-headings to append so the next paragraph sits under ``path`` (as ``fill_section`` does)."""
    current = _path_at_end(blocks)
    common = 0
    while common < min(len(path), len(current)) and path[common] == current[common]:
        common += 1
    return [Heading(text=text, level=level) for level, text in enumerate(path[common:], start=common + 2)]


def _library_blocks(slots: list[LibraryEntry | Paragraph], reuse: dict[str, Paragraph]) -> list[Block]:
    """The library part of a section: stock paragraphs (reused when already present) under
    their sub-headings, and the investigator's edited versions in their entries' places."""
    blocks: list[Block] = []
    for slot in slots:
        if isinstance(slot, Paragraph):
            blocks.append(slot)
            continue
        blocks += headings_to_open(blocks, slot.subheadings)
        blocks.append(reuse.get(slot.id) or slot.to_paragraph())
    return blocks


def _drop_orphan_headings(blocks: list[Block]) -> list[Block]:
    """Sub-headings with no paragraph left under them go (a level 2 keeps its level 3s' paragraphs)."""
    keep: list[Block] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            following = blocks[index + 1:]
            end = next((i for i, b in enumerate(following) if isinstance(b, Heading) and b.level <= block.level),
                       len(following))
            if not any(isinstance(b, Paragraph) for b in following[:end]):
                continue
        keep.append(block)
    return keep


def _join(library_part: list[Block], user_part: list[Block]) -> list[Block]:
    """Append the investigator's blocks, without repeating a sub-heading the library part ends under."""
    current = _path_at_end(library_part)
    user_part = list(user_part)
    while user_part and isinstance(user_part[0], Heading):
        heading = user_part[0]
        level = heading.level - 2
        if level < len(current) and current[level] == heading.text:
            user_part.pop(0)
            current = current[: level + 1]
        else:
            break
    return [*library_part, *user_part]


def convert_decision(decision: Decision, library: Library, *, outcome: Outcome | None = None,
                     stage: Stage | None = None) -> Conversion:
    """Switch the decision to another outcome and/or stage, in place.

    The investigator's paragraphs (own, edited, or from entries the library no longer
    has) stay in their sections; untouched library paragraphs are kept when the new
    outcome and stage would choose them too, swapped for the new defaults otherwise. An
    untouched entry the investigator added by hand (not a default) is kept if it still
    applies. Sections the new template lacks are kept only while they hold the
    investigator's own paragraphs.
    """
    header = replace(decision.header, outcome=outcome or decision.header.outcome,
                     stage=stage or decision.header.stage)
    template = template_for(header.outcome)
    report = Conversion()

    old_ids = [p.source.id for p in decision.paragraphs() if p.source is not None and is_stock(library, p)]
    stock: dict[str, Paragraph] = {}
    chosen_by_hand: list[str] = []
    for para in decision.paragraphs():
        if para.source is not None and is_stock(library, para):
            stock.setdefault(para.source.id, para)
            entry = library.get(para.source.id)
            if not entry.default and entry.section in template.keys() and entry.applies.matches(header) \
                    and entry.id not in chosen_by_hand:
                chosen_by_hand.append(entry.id)
    try:
        selected = library.select(header, chosen_by_hand)
    except LibraryError as error:  # pragma: no cover - ids come from the library itself
        raise DecisionError(str(error)) from None
    by_section: dict[str, list[LibraryEntry]] = {}
    for entry in selected:
        by_section.setdefault(entry.section, []).append(entry)

    old = {s.key: s for s in decision.sections}
    user = {s.key: _user_blocks(s, library) for s in decision.sections}
    old_template = template_named(decision.template)
    new_sections: list[Section] = []
    for spec in template.sections:
        key = spec.key
        chosen_before = key in old and spec.optional and key in old_template.keys() \
            and old_template.spec(key).optional
        if not (spec.included_by_default(header) or key in by_section or user.get(key)
                or chosen_before):
            continue
        section = old.get(key)
        entries = by_section.get(key, [])
        if section is None:
            heading = next((e.sets_heading for e in entries if e.sets_heading), None) or spec.default_heading
            section = Section(key=key, heading=heading)
            report.sections_added.append(heading)
        if section.heading not in spec.headings:
            section.heading = next((e.sets_heading for e in entries if e.sets_heading), None) or spec.default_heading
        present = [p.source.id for p in section.paragraphs if p.source is not None and is_stock(library, p)]
        user_part = list(user.get(key, []))
        # an edited library paragraph is the investigator's version of its entry: it keeps that
        # entry's place, and no untouched alternative of its group is added beside it
        edited = {p.source.id: p for p in user_part
                  if isinstance(p, Paragraph) and p.source is not None and p.source.id in library}
        edited_groups = {g for i in edited for g in library.get(i).groups}
        slots: list[LibraryEntry | Paragraph] = []
        for entry in entries:
            if entry.id in edited:
                slots.append(edited[entry.id])
            elif not set(entry.groups) & edited_groups:
                slots.append(entry)
        if present != [e.id for e in slots if isinstance(e, LibraryEntry)]:
            placed_here = [p for p in slots if isinstance(p, Paragraph)]
            user_part = _drop_orphan_headings([b for b in user_part if not any(b is p for p in placed_here)])
            section.blocks[:] = _join(_library_blocks(slots, stock), user_part)
        new_sections.append(section)

    # sections the new template does not have (or no longer wants) survive only with own words
    placed = {s.key for s in new_sections}
    for index, section in enumerate(decision.sections):
        if section.key in placed:
            continue
        if not user[section.key]:
            report.sections_removed.append(section.heading)
            continue
        section.blocks[:] = user[section.key]
        before = [s.key for s in decision.sections[:index]]
        position = 0
        for i, existing in enumerate(new_sections):
            if existing.key in before:
                position = i + 1
        new_sections.insert(position, section)
        placed.add(section.key)

    decision.sections[:] = new_sections
    decision.header.outcome, decision.header.stage = header.outcome, header.stage
    decision.template = template.name
    new_ids = [p.source.id for p in decision.paragraphs() if p.source is not None and is_stock(library, p)]
    report.removed = [i for i in old_ids if i not in new_ids]
    report.added = [i for i in new_ids if i not in old_ids]
    report.kept_own = sum(1 for p in decision.paragraphs() if not is_stock(library, p))
    return report


# --- inserting an entry with its partners ---------------------------------------------------------


@dataclass
class Insertion:
    """The paragraphs placed, and the untouched alternatives they replaced."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    replaced: list[Paragraph] = field(default_factory=list)
    sections_added: list[str] = field(default_factory=list)


def can_insert(decision: Decision, entry: LibraryEntry, library: Library) -> str | None:
    """Why ``entry`` (or a partner) cannot go in this decision, or None when it can."""
    template = template_named(decision.template)
    for item in (entry, *library.companions(entry)):
        if not decision.has_section(item.section) and item.section not in template.keys():
            return item.section
    return None


def apply_entry(decision: Decision, library: Library, entry: LibraryEntry) -> Insertion:
    """Insert ``entry`` and the entries it ``adds``, in place.

    Each one takes the place of an untouched library paragraph of the same group (the
    alternatives a new decision gets one of: choosing "late" as the assessment reason
    replaces the default reason and its Final decision sentence); otherwise it is appended
    to its section under its sub-headings, the section being added at its template place
    when missing. A DecisionError names a section the decision's template does not have.
    """
    missing = can_insert(decision, entry, library)
    if missing is not None:
        raise DecisionError(f"library entry {entry.id!r} belongs in section {missing!r}, which this "
                            f"{decision.template} statement does not have")
    result = Insertion()
    for item in (entry, *library.companions(entry)):
        if not decision.has_section(item.section):
            result.sections_added.append(insert_section(decision, item.section).heading)
        section = decision.section(item.section)
        paragraph = item.to_paragraph()
        index = _alternative_index(section, item, library)
        if index is not None:
            old = section.blocks[index]
            assert isinstance(old, Paragraph)
            result.replaced.append(old)
            section.blocks[index] = paragraph
        else:
            for heading in headings_to_open(section.blocks, item.subheadings):
                section.add(heading)
            section.add(paragraph)
        result.paragraphs.append(paragraph)
    return result


def _alternative_index(section: Section, entry: LibraryEntry, library: Library) -> int | None:
    if not entry.groups:
        return None
    for index, block in enumerate(section.blocks):
        if isinstance(block, Paragraph) and block.source is not None and is_stock(library, block) \
                and block.source.id != entry.id and block.source.id in library:
            other = library.get(block.source.id)
            if set(other.groups) & set(entry.groups):
                return index
    return None
