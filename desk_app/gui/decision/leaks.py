"""Leaks in the exported decision, named as the reader of the decision sees them.

The leak scan reads the Word file and reports a place inside it ("word/document.xml,
paragraph 36"): that counts the header block, headings and list items, so it is not the
number printed beside the paragraph, and it cannot be found in the editor. Here each leak
in the decision file is traced back to the decision's own text (``pseudonym_sync.locate``)
and renamed ("decision", "paragraph 16"), so the refusal names the paragraph the user can
see and the window can go straight to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desk_app.core.output.leakscan import DECISION_PART

if TYPE_CHECKING:
    from desk_app.core.output.leakscan import Leak
    from desk_app.gui.decision.editor import DecisionEditor

#: Exported decisions are written as ``decision-<reference>.docx``.
DECISION_PREFIX = "decision-"


def is_decision_leak(leak: Leak) -> bool:
    return leak.file.name.startswith(DECISION_PREFIX)


def place_decision_leaks(editor: DecisionEditor, leaks: Sequence[Leak]) -> list[Leak]:
    """``leaks`` with each one in the decision file placed by printed paragraph number.

    A leak that cannot be traced (text the exporter adds itself) keeps the scan's place.
    """
    placed = []
    for leak in leaks:
        place = editor.locate(leak.term, leak.context) if is_decision_leak(leak) else None
        placed.append(dataclasses.replace(leak, part=DECISION_PART, where=place.label) if place else leak)
    return placed


def go_to_leak(editor: DecisionEditor, leak: Leak) -> bool:
    """Select the leak's term in the decision editor, in the paragraph it was traced to."""
    place = editor.locate(leak.term, leak.context)
    return place is not None and editor.go_to(place, leak.term)
