"""The comparison as one self-contained HTML page.

The report is what an investigator attaches to an email or prints for a manager who does
not have Decision Desk: it must open anywhere, offline, years later. So everything is in
the one file (inline CSS, no script, no fonts or images fetched) and every piece of
document text is escaped, because decision texts quote people ("Mr X said <sic> 'no' & left").

It shows the same rows and the same change numbers as the side-by-side view (both read the
``Comparison``), so "change 7" means the same paragraph in the app, the report and the
change list at the top of the page.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from desk_app.core.atomic import write_file
from desk_app.core.compare.model import Block, Change, ChangeKind, Comparison, Draft, Row, RowKind

COARSE_NOTE = "too long to compare word by word: the changed part is marked as one block"

CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.45 "Segoe UI", Arial, Helvetica, sans-serif; color: #1b1b1b; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 20px 0 8px; }
.cover { border: 1px solid #c8c8c8; border-radius: 4px; padding: 12px 16px; margin-bottom: 20px; }
.cover table { border-collapse: collapse; }
.sides { display: flex; gap: 24px; flex-wrap: wrap; }
.side { flex: 1 1 320px; }
.side h2 { margin: 4px 0; }
.cover th { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; font-weight: 600; }
.cover td { padding: 2px 12px 2px 0; vertical-align: top; }
.hash, .path { font-family: Consolas, "Courier New", monospace; font-size: 13px; word-break: break-all; }
.summary { font-weight: 600; margin: 10px 0 4px; }
ol.changes { columns: 2; margin: 4px 0; }
ol.changes li { break-inside: avoid; }
table.rows { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.rows th { background: #efefef; text-align: left; padding: 6px 8px; border-bottom: 2px solid #999; }
table.rows td { padding: 5px 8px; border-bottom: 1px solid #e2e2e2; vertical-align: top;
                white-space: pre-wrap; overflow-wrap: anywhere; }
table.rows col.rowno { width: 3.5em; }
table.rows col.chg { width: 3.5em; }
td.rowno { color: #777; font-size: 12px; text-align: right; }
td.chg { font-weight: 700; text-align: center; }
td.gap { background: repeating-linear-gradient(135deg, #f1f1f1, #f1f1f1 6px, #e6e6e6 6px, #e6e6e6 12px); }
.label { color: #777; }
.heading { font-weight: 700; }
del.del { color: #b00020; background: #fde7ea; text-decoration: line-through; }
ins.ins { color: #0b4fa3; background: #e3eefc; text-decoration: underline; }
tr.changed td.chg { color: #8a5a00; }
tr.moved-from td.text, tr.moved-to td.text { color: #11692c; background: #eaf6ee; }
.note { display: block; font-size: 12px; color: #555; font-style: italic; margin-top: 3px; white-space: normal; }
tr.moved-from .note, tr.moved-to .note { color: #11692c; }
a { color: #0b4fa3; }
@media print {
  body { margin: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def _segments(text: str, marks: list[tuple[int, int]]) -> list[tuple[bool, str]]:
    """``text`` cut into (marked, piece) runs; overlapping or out-of-range marks are tolerated."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for start, end in sorted(marks):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append((False, text[pos:start]))
        out.append((True, text[start:end]))
        pos = end
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def _marked(text: str, marks: list[tuple[int, int]], tag: str) -> str:
    """Escaped text with ``marks`` wrapped in ``<del class="del">`` or ``<ins class="ins">``."""
    parts: list[str] = []
    for is_marked, piece in _segments(text, marks):
        parts.append(f'<{tag} class="{tag}">{escape(piece)}</{tag}>' if is_marked else escape(piece))
    return "".join(parts)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%d %b %Y %H:%M") if value is not None else "—"


def _change_numbers(comparison: Comparison) -> dict[int, int]:
    """Row index -> 1-based change number, in the change list's order (what F8 steps through)."""
    numbers: dict[int, int] = {}
    for number, change in enumerate(comparison.changes, start=1):
        for row in change.rows:
            numbers.setdefault(row, number)
    return numbers


def _anchor(row_index: int) -> str:
    return f"row-{row_index + 1}"


def _describe_change(change: Change) -> str:
    words = []
    if change.words_inserted:
        words.append(f"+{change.words_inserted}")
    if change.words_deleted:
        words.append(f"−{change.words_deleted}")
    plural = "s" * (change.words_inserted + change.words_deleted != 1)
    kind = "moved and edited" if change.kind is ChangeKind.MOVED and change.edited else change.kind.value
    return kind + (f" ({' '.join(words)} word{plural})" if words else "")


def _draft_block(side: str, draft: Draft) -> str:
    path = escape(str(draft.path)) if draft.path is not None else "(not from a file)"
    sha = escape(draft.sha256[:12]) if draft.sha256 else "—"
    notes = "".join(f'<div class="note">{escape(n)}</div>' for n in draft.notes)
    return (f'<div class="side {side.lower()}"><h2>{side}: {escape(draft.name)}</h2>'
            f'<div class="path">{path}</div>'
            f'<div>modified {escape(_when(draft.modified))} · SHA-256 <span class="hash">{sha}</span></div>'
            f"{notes}</div>")


def _cover(comparison: Comparison, generated: dt.datetime) -> str:
    c = comparison.counts
    counts = (("paragraphs changed", c.changed), ("inserted", c.inserted), ("deleted", c.deleted),
              ("moved", c.moved), ("words inserted", c.words_inserted), ("words deleted", c.words_deleted),
              ("changes in all", c.total))
    count_cells = "".join(f"<tr><th>{escape(name)}</th><td class=\"count\">{n}</td></tr>" for name, n in counts)
    parts = [
        '<section class="cover" id="cover">',
        f"<h1>Comparison of {escape(comparison.left.name)} and {escape(comparison.right.name)}</h1>",
        '<div class="sides">',
        _draft_block("Left", comparison.left),
        _draft_block("Right", comparison.right),
        "</div>",
        f"<p>Options: {escape(comparison.options.describe())}<br>Generated: {escape(_when(generated))}</p>",
        f"<p class=\"summary\">{escape(comparison.summary())}</p>",
        f"<table class=\"counts\">{count_cells}</table>",
    ]
    if comparison.changes:
        parts.append("<h2>Changes</h2><ol class=\"changes\">")
        for change in comparison.changes:
            first = change.rows[0]
            parts.append(f"<li><a href=\"#{_anchor(first)}\">row {first + 1}</a>: {escape(_describe_change(change))}"
                         "</li>")
        parts.append("</ol>")
    parts.append("</section>")
    return "".join(parts)


def _text_cell(block: Block, body: str, note: str = "") -> str:
    label = f'<span class="label">{escape(block.label)}</span> ' if block.label else ""
    if block.kind == "heading":
        body = f'<span class="heading">{body}</span>'
    return f'<td class="text">{label}{body}{note}</td>'


def _move_note(row: Row, edited: bool) -> str:
    where = "to" if row.kind is RowKind.MOVED_FROM else "from"
    if row.partner is None:
        return f'<span class="note">moved{" and edited" if edited else ""}</span>'
    return (f'<span class="note">moved {where} <a class="partner" href="#{_anchor(row.partner)}">row '
            f'{row.partner + 1}</a>{" and edited" if edited else ""}</span>')


def _row_html(comparison: Comparison, index: int, row: Row, number: int | None, edited: bool) -> str:
    left_text, right_text = comparison.left_text(row), comparison.right_text(row)
    left_marks, right_marks = row.left_marks, row.right_marks
    whole = row.coarse and not row.ops
    if whole or row.kind is RowKind.DELETED:
        left_marks = [(0, len(left_text))]
    if whole or row.kind is RowKind.INSERTED:
        right_marks = [(0, len(right_text))]
    if row.kind is RowKind.EQUAL:
        left_marks = right_marks = []
    note = ""
    if row.kind in (RowKind.MOVED_FROM, RowKind.MOVED_TO):
        note = _move_note(row, edited)
    if row.coarse:
        note += f'<span class="note">{COARSE_NOTE}</span>'

    cells = [f'<td class="rowno">{index + 1}</td>', f'<td class="chg">{number if number is not None else ""}</td>']
    if row.left is not None:
        body = _marked(left_text, left_marks, "del")
        cells.append(_text_cell(comparison.left.blocks[row.left], body, note if row.right is None else ""))
    else:
        cells.append('<td class="gap"></td>')
    if row.right is not None:
        body = _marked(right_text, right_marks, "ins")
        cells.append(_text_cell(comparison.right.blocks[row.right], body, note))
    else:
        cells.append('<td class="gap"></td>')
    return f'<tr id="{_anchor(index)}" class="{row.kind.value}">{"".join(cells)}</tr>\n'


def render_html(comparison: Comparison, generated: dt.datetime | None = None) -> str:
    """The whole report as one string; ``generated`` pins the date shown (tests), default now."""
    generated = generated or dt.datetime.now().replace(microsecond=0)
    numbers = _change_numbers(comparison)
    edited_rows = {r for change in comparison.changes if change.edited for r in change.rows}
    title = f"Comparison of {comparison.left.name} and {comparison.right.name}"
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n",
        _cover(comparison, generated),
        "\n<table class=\"rows\"><colgroup><col class=\"rowno\"><col class=\"chg\"><col><col></colgroup>",
        f"<thead><tr><th>Row</th><th>Change</th><th>Left: {escape(comparison.left.name)}</th>"
        f"<th>Right: {escape(comparison.right.name)}</th></tr></thead>\n<tbody>\n",
    ]
    for index, row in enumerate(comparison.rows):
        parts.append(_row_html(comparison, index, row, numbers.get(index), index in edited_rows))
    parts.append("</tbody></table>\n</body></html>\n")
    return "".join(parts)


def export_html(comparison: Comparison, path: Path | str, generated: dt.datetime | None = None) -> None:
    """Write the report atomically: a failed export never leaves half a page that looks complete."""
    write_file(path, render_html(comparison, generated))
