"""Names broken over a line: "… a meeting with Tomasz⏎Wiśniewski, who …".

Text files, PDFs and scanned pages keep the lines their writer or the page wrapped, and
detection reads one line at a time, so a name wrapped over a line end is two half-names
or, worse, one half found and the other left in clear. A hard-wrapped e-mail (72
characters) or a scanned letter wraps names all the time.

Here, after detection, a person's span is joined across a single line break (never a blank
line, which ends a paragraph) when the other half is a name word the line break cut off:

- two person spans, the first a lone word ending its line ("Agnieszka⏎Kowalczyk"): one person;
- a person span starting a line after a line ending in a name word or a title
  ("with Tomasz⏎Wiśniewski", "Mrs⏎Kowalczyk"): the word before joins it;

each only in prose, where the word before the name is lower case: in a list of attendees
("Sgt Aoife Keane – Calderwick Neighbourhood Policing⏎Taslima Khatun – …") every word is
capitalised and each line is its own.
- a lone first word ending a line, then a word starting the next that is a surname of the
  document's other person spans ("Agnieszka⏎Kowalczyk about", with "Mrs Kowalczyk" found
  elsewhere), or a capitalised word with a job after it ("is Marcia⏎Thompson, Care
  Coordinator"): the next word joins it. ("Dear Agnieszka⏎Thank you" keeps "Thank".)

Word files are left alone: their paragraphs are the writer's own, and a replacement may not
cross one.
"""

from __future__ import annotations

import regex

from desk_app.core.entities import PERSON, Detection
from desk_app.core.names import ROLES, TITLE_RE, is_name_word

# the last word of a line, then the line break
_LINE_END_WORD = regex.compile(r"[^\n]*?(?P<word>[\p{L}][\p{L}'’.-]*)[ \t]*\n[ \t]*$")
_LINE_START_WORD = regex.compile(r"[ \t]*\n[ \t]*(?P<word>[\p{L}][\p{L}'’-]*)")
_TITLE = regex.compile(rf"{TITLE_RE}\.?")
# a job right after the next line's first word: 'Hi this is Marcia' ⏎ 'Thompson, Care Coordinator at …'
_ROLE_AFTER = regex.compile(r",[ \t]*(?:the[ \t]+)?(?:[\p{L}&'’-]+[ \t]+){0,3}(?i:"
                            + "|".join(sorted({r.split()[-1] for r in ROLES} | {"coordinator"}, key=len, reverse=True))
                            + r")\b")


def _in_prose(text: str, start: int) -> bool:
    """The word before ``start``, on the same line, is a lower-case word: the name sits in a
    sentence ('a meeting with Tomasz'), not in a list or heading where every word is
    capitalised ('Neighbourhood Policing', 'Educational Psychologist')."""
    line = text[text.rfind("\n", 0, start) + 1:start].split()
    return bool(line) and line[-1][:1].islower()


def _single_break(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is one line break with only spaces or tabs around it."""
    gap = text[start:end]
    return gap.count("\n") == 1 and not gap.replace("\n", "").strip(" \t")


def _word_before(text: str, start: int) -> tuple[int, str] | None:
    """The word ending the line before ``start`` (a line's first character): (offset, word)."""
    line_start = text.rfind("\n", 0, max(0, start - 1)) + 1
    m = _LINE_END_WORD.fullmatch(text, line_start, start)
    if not m:
        return None
    return m.start("word"), m.group("word").rstrip(".")


def join_wrapped(text: str, detections: list[Detection]) -> list[Detection]:
    """``detections`` with person spans joined across a wrapped line (see the module's docstring)."""
    people = [d for d in detections if d.entity == PERSON]
    if not people or "\n" not in text:
        return detections
    # words of the case's other person spans: 'Dear Agnieszka' ⏎ 'Thank you' must not join 'Thank'
    known = {w.strip(".,'’") for p in people for w in p.text.split()[1:]}
    out: list[Detection] = []
    for d in sorted(detections, key=lambda d: (d.start, d.end)):
        if d.entity != PERSON:
            out.append(d)
            continue
        prev = next((p for p in reversed(out) if p.entity == PERSON), None)
        if prev is not None and " " not in prev.text.strip() and _single_break(text, prev.end, d.start) \
                and _in_prose(text, prev.start):
            out.remove(prev)   # 'Agnieszka' ⏎ 'Kowalczyk': one person, the first half ending a prose line
            out.append(_span(text, prev.start, d.end, d, prev))
            continue
        s, e = d.start, d.end
        line_start = s == 0 or text[s - 1] == "\n" or not text[text.rfind("\n", 0, s) + 1:s].strip(" \t")
        if line_start and (before := _word_before(text, text.rfind("\n", 0, s) + 1 if s else 0)):
            at, word = before
            if (_TITLE.fullmatch(word) or (is_name_word(word) and _in_prose(text, at))) \
                    and not (out and out[-1].end > at):
                s = at   # 'with Tomasz' ⏎ 'Wiśniewski', 'Mrs' ⏎ 'Kowalczyk'
        if " " not in text[s:e].strip() and "\n" not in text[s:e]:
            after = _LINE_START_WORD.match(text, e)
            if after and (after.group("word") in known or (after.group("word")[:1].isupper()
                                                           and _ROLE_AFTER.match(text, after.end("word")))) \
                    and _in_prose(text, s):
                e = after.end("word")   # 'to Agnieszka' ⏎ 'Kowalczyk about', 'is Marcia' ⏎ 'Thompson, Care Coordinator'
        out.append(_span(text, s, e, d) if (s, e) != (d.start, d.end) else d)
    return out


def _span(text: str, start: int, end: int, d: Detection, other: Detection | None = None) -> Detection:
    detectors = d.detector if other is None else "+".join(sorted({*d.detector.split("+"), *other.detector.split("+")}))
    return Detection(start, end, text[start:end], PERSON, max(d.score, other.score if other else 0), detectors)
