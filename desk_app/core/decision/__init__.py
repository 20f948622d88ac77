"""Decision drafting: the statement as data, the paragraph library, numbering and exports.

Start with :func:`new_decision` (a skeleton from the library, closing sections included),
change its outcome or stage with :func:`convert_decision`, list what is left to write with
:func:`find_gaps`, keep the result with
:func:`save_decision`/:func:`load_decision` (``.decision.json``), and render it with
:func:`export_docx` or :func:`export_text`. No Qt here: the GUI and the CLI both sit on top.
"""

from desk_app.core.decision.completeness import Gap, find_gaps, summarise_gaps
from desk_app.core.decision.convert import Conversion, Shape, apply_entry, convert_decision
from desk_app.core.decision.docx_export import TemplateError, build_document, export_docx, render_docx
from desk_app.core.decision.library import Library, LibraryEntry, LibraryError, load_library, new_decision
from desk_app.core.decision.model import (
    Decision,
    DecisionError,
    Header,
    Heading,
    ListStyle,
    Outcome,
    Paragraph,
    Section,
    Source,
    Stage,
    load_decision,
    save_decision,
)
from desk_app.core.decision.numbering import iter_numbered, paragraph_number
from desk_app.core.decision.templates import ASSESSMENT, INVESTIGATION, insert_section, template_for
from desk_app.core.decision.text_export import export_text, render_text

__all__ = [
    "ASSESSMENT", "INVESTIGATION", "Conversion", "Decision", "DecisionError", "Gap", "Header", "Heading",
    "Library", "LibraryEntry", "LibraryError", "ListStyle", "Outcome", "Paragraph", "Section", "Shape", "Source",
    "Stage", "TemplateError", "apply_entry", "build_document", "convert_decision", "export_docx", "export_text",
    "find_gaps", "insert_section", "iter_numbered", "load_decision", "load_library", "new_decision",
    "paragraph_number", "render_docx", "render_text", "save_decision", "summarise_gaps", "template_for",
]
