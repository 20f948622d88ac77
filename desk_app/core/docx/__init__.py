"""The Word toolkit, in layers as python-docx has them.

``ns`` (namespaces, once) -> ``package`` (the zip: opening safely, parts, relationships,
saving) -> ``text`` (which nodes are a paragraph's characters) -> ``altchunk`` (imported
content turned into paragraphs) -> ``edit`` (splicing replacements into runs, sweeping
attributes, renaming identifiers) -> ``media`` (image metadata) -> ``scrub`` (what a copy
must not carry). The reader (``ingest.docx``) and the writer (``writers``) both open a
source with ``open_docx``, so they see the same paragraphs in the same order.
"""

from __future__ import annotations

from pathlib import Path

from desk_app.core.docx.altchunk import inline_alt_chunks
from desk_app.core.docx.package import DocxPackage

__all__ = ["DocxPackage", "open_docx"]


def open_docx(path: Path) -> DocxPackage:
    """Open a .docx as reader and writer both see it: imported content already paragraphs.

    ``pkg.notes`` says what was converted; any failure is one ``InputError`` line.
    """
    pkg = DocxPackage.open(path)
    pkg.notes.extend(inline_alt_chunks(pkg))
    return pkg
