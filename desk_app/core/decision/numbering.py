"""Paragraph numbers, worked out from the structure rather than typed.

Published decisions cite their own paragraphs ("as per paragraph two", "see paragraphs 2
and 3 above"), so the numbers must run continuously from the first paragraph of *The
complaint* to the last one; the website restarts at 1 in each section, which is not the
document's numbering. The Summary, headings and the sign-off carry no number. Lettered
sub-lists restart at a) in every paragraph, because they are cited as "part b)" of that
paragraph. The Word exporter gets the same result from Word's own list engine; this
module gives it to the text exporter, the GUI and the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from desk_app.core.decision.model import Decision, ListStyle, Paragraph

BULLET = "•"


@dataclass(frozen=True)
class NumberedParagraph:
    """A paragraph with its number and where it sits, for cross-references and rendering."""

    number: int
    section_index: int
    block_index: int
    paragraph: Paragraph


def iter_numbered(decision: Decision) -> Iterator[NumberedParagraph]:
    """Every paragraph in order, numbered 1..N across all sections."""
    number = 0
    for s_index, section in enumerate(decision.sections):
        for b_index, block in enumerate(section.blocks):
            if isinstance(block, Paragraph):
                number += 1
                yield NumberedParagraph(number, s_index, b_index, block)


def paragraph_number(decision: Decision, section_key: str, block_index: int) -> int:
    """The number a paragraph will print with, for "see paragraph N" cross-references."""
    for numbered in iter_numbered(decision):
        section = decision.sections[numbered.section_index]
        if section.key == section_key and numbered.block_index == block_index:
            return numbered.number
    raise IndexError(f"block {block_index} of section {section_key!r} is not a paragraph")


def letter(position: int) -> str:
    """Word's lowerLetter sequence: a..z, then aa, bb, ... so both exports agree."""
    if position < 1:
        raise ValueError("list positions start at 1")
    repeat, index = divmod(position - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def item_label(position: int, style: ListStyle | None) -> str:
    """"a)" for the position-th lettered item, the bullet character otherwise."""
    return f"{letter(position)})" if style is ListStyle.LETTERS else BULLET
