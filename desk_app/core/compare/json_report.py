"""The comparison as JSON, for publication staff who check batches with their own scripts."""

from __future__ import annotations

from typing import Any

from desk_app.core.compare.model import Comparison, Draft


def _side(draft: Draft) -> dict[str, Any]:
    return {"name": draft.name, "path": str(draft.path) if draft.path else None, "sha256": draft.sha256,
            "modified": draft.modified.isoformat(timespec="seconds") if draft.modified else None,
            "paragraphs": len(draft.blocks)}


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    """Both files, the options, the counts and every change with the words it touched.

    Paragraph numbers are 1-based positions among each draft's non-blank paragraphs;
    ``deleted``/``inserted`` list the changed words' text in order.
    """
    c = comparison.counts
    changes = []
    for n, change in enumerate(comparison.changes, 1):
        rows = [comparison.rows[r] for r in change.rows]
        left = next((r.left for r in rows if r.left is not None), None)
        right = next((r.right for r in rows if r.right is not None), None)
        a, b = comparison.pair_texts(rows[0])
        changes.append({
            "number": n, "kind": change.kind.value, "edited": change.edited,
            "left_paragraph": left + 1 if left is not None else None,
            "right_paragraph": right + 1 if right is not None else None,
            "words_inserted": change.words_inserted, "words_deleted": change.words_deleted,
            "deleted": [a[o.a0:o.a1] for o in rows[0].ops if o.a1 > o.a0],
            "inserted": [b[o.b0:o.b1] for o in rows[0].ops if o.b1 > o.b0],
        })
    return {
        "left": _side(comparison.left), "right": _side(comparison.right),
        "options": comparison.options.describe(), "summary": comparison.summary(),
        "counts": {"changed": c.changed, "inserted": c.inserted, "deleted": c.deleted, "moved": c.moved,
                   "words_inserted": c.words_inserted, "words_deleted": c.words_deleted},
        "seconds": round(comparison.seconds, 4), "changes": changes,
    }
