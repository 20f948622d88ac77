"""Plain-text export in the layout of a published lgo.org.uk decision page.

Investigators paste decisions into e-mails and case-management notes, and reviewers
compare a draft with published decisions; both want the website's layout (header lines,
"Summary:" on one line, headings, indented numbered paragraphs). The numbers run on
continuously as in the document itself, not restarting per section as on the website.
"""

from __future__ import annotations

from pathlib import Path

from desk_app.core.atomic import write_file
from desk_app.core.decision.model import Decision, Heading, Paragraph
from desk_app.core.decision.numbering import item_label


def render_text(decision: Decision) -> str:
    """The whole decision as text, ending with a newline."""
    h = decision.header
    lines: list[str] = [
        h.heading_line, "",
        f"Category : {h.category_path}", "",
        f"Decision : {h.outcome.value}", "",
        f"Decision date : {h.decision_date}", "",
        f"The Ombudsman's {h.stage.value} decision:", "",
        f"Summary: {decision.summary}".rstrip(), "",
    ]
    number = 0
    for section in decision.sections:
        lines += [section.heading, ""]
        previous_was_paragraph = False
        for block in section.blocks:
            if isinstance(block, Heading):
                if previous_was_paragraph:
                    lines.append("")
                lines += [block.text, ""]
                previous_was_paragraph = False
                continue
            number += 1
            lines += _paragraph_lines(number, block)
            previous_was_paragraph = True
        if previous_was_paragraph:
            lines.append("")
    lines.append(decision.sign_off)
    return "\n".join(lines) + "\n"


def _paragraph_lines(number: int, paragraph: Paragraph) -> list[str]:
    lines = [f"  {number}. {paragraph.full_text}".rstrip()]
    for position, item in enumerate(paragraph.item_texts(), start=1):
        lines.append(f"    {item_label(position, paragraph.list_style)} {item}")
    return lines


def export_text(decision: Decision, path: Path | str) -> None:
    """Write the text export atomically, UTF-8 with the platform's own line endings."""
    text = render_text(decision)
    write_file(path, text)
