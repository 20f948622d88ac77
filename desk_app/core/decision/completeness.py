"""What still has to be written before a decision can go out: placeholders and empty sections.

Stock closing paragraphs cannot know the amount, the deadline or who the complainant is,
so the library writes them as ``[[placeholders]]``. A decision that went out with
``[[£ amount]]`` in its Agreed action, or with an empty Final decision, would be worse than
no template at all, so the editor lists these gaps, a window export warns about them and
``desk-app draft --final`` refuses to write the file until they are gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk_app.core.decision.model import Decision, Paragraph
from desk_app.core.decision.numbering import iter_numbered

#: ``[[what to write]]``: double square brackets never occur in published decisions, so a
#: placeholder cannot be mistaken for quoted wording such as "[the matter]".
PLACEHOLDER_RE = re.compile(r"\[\[([^\[\]\n]+?)\]\]")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names in ``text``, in order, each once."""
    return list(dict.fromkeys(m.group(1).strip() for m in PLACEHOLDER_RE.finditer(text)))


def paragraph_placeholders(paragraph: Paragraph) -> list[str]:
    """Placeholders anywhere in a paragraph: its text, list items and citation."""
    names: list[str] = []
    for text in (paragraph.text, *paragraph.items, paragraph.citation):
        names += placeholders_in(text)
    return list(dict.fromkeys(names))


def fill_text(text: str, values: dict[str, str]) -> str:
    """Replace the placeholders named in ``values``; empty values leave the placeholder."""
    def swap(match: re.Match[str]) -> str:
        value = values.get(match.group(1).strip(), "")
        return value if value.strip() else match.group(0)

    return PLACEHOLDER_RE.sub(swap, text)


def filled_changes(paragraph: Paragraph, values: dict[str, str]) -> dict[str, object]:
    """``Paragraph.edit`` arguments that put ``values`` into the paragraph (only what changes)."""
    changes: dict[str, object] = {}
    text = fill_text(paragraph.text, values)
    if text != paragraph.text:
        changes["text"] = text
    items = [fill_text(item, values) for item in paragraph.items]
    if items != paragraph.items:
        changes["items"] = items
    citation = fill_text(paragraph.citation, values)
    if citation != paragraph.citation:
        changes["citation"] = citation
    return changes


@dataclass(frozen=True)
class Gap:
    """One thing left to write: a placeholder in paragraph N, or a section with nothing in it."""

    kind: str  # "placeholder", "empty_paragraph", "empty_section" or "empty_summary"
    section_key: str
    section_heading: str
    number: int | None = None
    name: str = ""

    @property
    def message(self) -> str:
        """Short enough for a list in a dialog or one line on stderr."""
        if self.kind == "placeholder":
            where = f"paragraph {self.number} (“{self.section_heading}”)" if self.number else self.section_heading
            return f"{where}: fill in [[{self.name}]]"
        if self.kind == "empty_summary":
            return "the Summary is empty"
        if self.kind == "empty_paragraph":
            return f"paragraph {self.number} (“{self.section_heading}”) is empty"
        return f"section “{self.section_heading}” has no paragraphs"


def find_gaps(decision: Decision) -> list[Gap]:
    """Every gap in document order: empty sections, empty paragraphs, unfilled placeholders."""
    gaps: list[Gap] = []
    if not decision.summary.strip():
        gaps.append(Gap("empty_summary", "", "Summary"))
    for name in placeholders_in(decision.summary):
        gaps.append(Gap("placeholder", "", "Summary", None, name))
    numbered = list(iter_numbered(decision))
    for s_index, section in enumerate(decision.sections):
        rows = [n for n in numbered if n.section_index == s_index]
        if not rows:
            gaps.append(Gap("empty_section", section.key, section.heading))
            continue
        for row in rows:
            para = row.paragraph
            if not para.text.strip() and not any(i.strip() for i in para.items):
                gaps.append(Gap("empty_paragraph", section.key, section.heading, row.number))
            for name in paragraph_placeholders(para):
                gaps.append(Gap("placeholder", section.key, section.heading, row.number, name))
    return gaps


def summarise_gaps(gaps: list[Gap], limit: int = 3) -> str:
    """One line: counts, then the first few gaps, for the CLI's refusal and status bars."""
    counts = {
        "placeholder": sum(g.kind == "placeholder" for g in gaps),
        "empty_section": sum(g.kind in ("empty_section", "empty_summary") for g in gaps),
        "empty_paragraph": sum(g.kind == "empty_paragraph" for g in gaps),
    }
    words = {"placeholder": ("placeholder to fill", "placeholders to fill"),
             "empty_section": ("empty section", "empty sections"),
             "empty_paragraph": ("empty paragraph", "empty paragraphs")}
    parts = [f"{n} {words[k][n != 1]}" for k, n in counts.items() if n]
    shown = "; ".join(g.message for g in gaps[:limit])
    more = f"; and {len(gaps) - limit} more" if len(gaps) > limit else ""
    return f"{', '.join(parts)}: {shown}{more}"
