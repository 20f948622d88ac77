"""Compare two drafts side by side, word by word (txt, md, docx, pdf, .decision.json).

``compare`` aligns paragraphs, finds moves and diffs words; ``load_draft`` reads a file into
blocks with list numbering kept apart; ``model`` holds the result the view, the HTML report,
the Word redline and the command line all read.
"""

from __future__ import annotations

from pathlib import Path

from desk_app.core.compare.align import compare
from desk_app.core.compare.drafts import decision_draft, draft_from_text, load_draft
from desk_app.core.compare.model import (
    Block,
    Change,
    ChangeKind,
    CompareOptions,
    Comparison,
    Counts,
    Draft,
    Op,
    Row,
    RowKind,
)


def compare_files(a: str | Path, b: str | Path, options: CompareOptions | None = None) -> Comparison:
    """Read two files and compare them; ``a`` is the original (left), ``b`` the revision."""
    return compare(load_draft(a), load_draft(b), options)


__all__ = ["Block", "Change", "ChangeKind", "CompareOptions", "Comparison", "Counts", "Draft", "Op", "Row",
           "RowKind", "compare", "compare_files", "decision_draft", "draft_from_text", "load_draft"]
