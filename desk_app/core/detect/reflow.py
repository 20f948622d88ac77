"""What the language model reads: a wrapped paragraph as one piece, not one line at a time.

A text file, a PDF's text layer and a scanned page keep the line breaks of whoever set
them: a hard-wrapped e-mail breaks at 72 characters, a letter at its margin. Read a line at
a time, a sentence loses its other half exactly where the page broke it: "… Mr⏎Medlicott
disagreed", "… date of⏎birth 11/05/2021", "… on 07700⏎900829": the title, the cue or the
rest of the number is on the other line, and the model and the patterns see neither.

Here consecutive lines are read as one *unit* when the first was wrapped: it runs to the
measure of its page (most of the width its longest lines reach) and is prose (mostly lower-case
words), and the next line goes on with the sentence rather than starting a list item, a field
("Name: …") or a table row; two lines of one quoted reply ("> …") join the same way, read
without their quote marks. Inside a unit each line break is read as a space, so a unit's text
has the same length as the lines it covers and every offset found in it is an offset in the
document. Lists, fields, tables, headings, attendee lines and signatures stay one line each,
as the structural rules expect; a Word paragraph is the writer's own and is never joined.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from desk_app.core.document import Paragraph, SourceDocument

__all__ = ["analysis_units"]

#: A line reaching this share of its page's measure was wrapped (the last word did not fit).
WRAP_SHARE = 0.6
#: Lines shorter than this never set a measure: a page of short lines is a list, not prose.
MIN_MEASURE = 36

_WORD = regex.compile(r"\p{L}[\p{L}'’-]*")
# what begins a line of its own: a list item, a field, a quoted reply, a log entry (date or time first)
_OWN_LINE = regex.compile(
    r"[ \t]*(?:[-–—•*·>▪◦]|\(?\d{1,3}[.)](?:[ \t]|$)|\(?[a-z][.)][ \t]|"
    r"\p{Lu}[\p{L}/&'’ -]{0,30}:(?:[ \t]|$)|\d{1,2}[:.]\d{2}[ \t]|"
    r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?[ \t,]+(?:\d{1,2}[:.]\d{2}\b|\p{Lu}|[|–-]))")
_QUOTE = regex.compile(r"[ \t]*(?:>[ \t]?)*")
_GAPS = regex.compile(r"\t|[^\s|] {3,}[^\s|]")   # (a pipe table pads its cells: those spaces are not columns)
_COLUMNS = regex.compile(r"\t|[ \t]?\|[ \t]?|\S {3,}\S")
_SENTENCE_END = regex.compile(r"[.!?:;\"”)][ \t]*$")


def _lower_share(line: str) -> tuple[int, float]:
    """How many words the line has, and the share of them that start in lower case."""
    words = _WORD.findall(line)
    if not words:
        return 0, 0.0
    return len(words), sum(1 for w in words if w[0].islower()) / len(words)


def _is_prose(line: str) -> bool:
    count, lower = _lower_share(line)
    return count >= 4 and lower >= 0.4


def _measure(lines: Sequence[Paragraph]) -> int:
    """The width the page's wrapped lines reach: its longest lines, not the single longest."""
    lengths = sorted(len(p.text.rstrip()) for p in lines if p.text.strip())
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def wraps(line: str, following: str, measure: int) -> bool:
    """``line`` was wrapped and ``following`` goes on with its sentence."""
    body = line.rstrip()
    if measure < MIN_MEASURE or len(body) < WRAP_SHARE * measure or not following.strip():
        return False
    # (a pipe table's row may wrap onto a line of prose; the next row, with its pipes, is its own)
    if _GAPS.search(body) or _COLUMNS.search(following) or _OWN_LINE.match(following):
        return False
    if not _is_prose(body):
        return False
    if _SENTENCE_END.search(body):
        # the sentence ended with the line: the next is its paragraph's next sentence only if it is prose too
        return _is_prose(following)
    return True


def _joinable(doc: SourceDocument, a: Paragraph, b: Paragraph) -> bool:
    """``b`` is the line right after ``a``, on the same page, with no blank line between."""
    end = a.start + len(a.text)
    gap = doc.text[end:b.start]
    return a.part == b.part and gap.count("\n") == 1 and not gap.strip()


def analysis_units(doc: SourceDocument) -> list[tuple[str, int]]:
    """(text, offset in the document) of each piece the model reads, blank lines left out.

    A Word document's units are its paragraphs; any other document's are its lines, with
    wrapped lines read together (see the module's docstring)."""
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    if doc.kind == "docx" or not paragraphs:
        return [(p.text, p.start) for p in paragraphs]
    measures: dict[str, int] = {}
    for part in dict.fromkeys(p.part for p in paragraphs):
        measures[part] = _measure([p for p in paragraphs if p.part == part])
    units: list[tuple[str, int]] = []
    group = [paragraphs[0]]
    for p in paragraphs[1:]:
        last = group[-1]
        if _joinable(doc, last, p) and _wrapped(last.text, p.text, measures[p.part]):
            group.append(p)
            continue
        units.append(_unit(doc, group))
        group = [p]
    units.append(_unit(doc, group))
    return units


def _wrapped(line: str, following: str, measure: int) -> bool:
    """``wraps``, for two lines of the same quoted reply too ('> … Mr' ⏎ '> Medlicott said …'),
    read without their quote marks."""
    a, b = _QUOTE.match(line), _QUOTE.match(following)
    if a.group().strip() or b.group().strip():
        if a.group().replace(" ", "") != b.group().replace(" ", ""):
            return False
        return wraps(line[a.end():], following[b.end():], measure - a.end())
    return wraps(line, following, measure)


def _unit(doc: SourceDocument, group: list[Paragraph]) -> tuple[str, int]:
    first, last = group[0], group[-1]
    if first is last:
        return first.text, first.start
    text = doc.text[first.start:last.start + len(last.text)].replace("\r", " ").replace("\n", " ")
    chars = list(text)
    for p in group[1:]:
        # a continued line's quote marks are not words of the sentence: blanked, as spaces and line
        # breaks by turns, so that no run of spaces looks like the gap between a form's fields
        at, width = p.start - first.start, _QUOTE.match(p.text).end()
        for i in range(width):
            chars[at + i] = "\n" if i % 2 == 0 else " "
    return "".join(chars), first.start
