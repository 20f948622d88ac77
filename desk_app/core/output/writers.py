"""Write anonymised copies: text files as text, Word files as Word, PDFs as text.

Replacements are offsets into ``SourceDocument.text``. For .docx they are mapped back onto
the same ``w:p`` elements the reader produced (``DocxPackage.paragraphs``), and within a
paragraph onto the ``w:t`` nodes, so formatting, styles, numbering and fields survive.
Every file goes through ``atomic.write_file``; the source is only ever read.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from desk_app.core.atomic import write_file
from desk_app.core.document import Replacement, SourceDocument, apply_replacements, checked_replacements
from desk_app.core.docx import open_docx
from desk_app.core.docx.edit import (
    Sweeper,
    apply_local,
    fallback_twin,
    rename_identifiers,
    sweep_other_parts,
    sweep_outside_text,
)
from desk_app.core.docx.ns import W_P
from desk_app.core.docx.scrub import scrub_package
from desk_app.core.docx.text import in_fallback, paragraph_text
from desk_app.core.docx.text import paragraphs as docx_paragraphs
from desk_app.core.errors import InputError, OutputError
from desk_app.core.names import TITLES

__all__ = ["redacted_path", "write_redacted", "output_path", "write_document", "write_docx", "write_text"]


# -- plain text --------------------------------------------------------------------------

def _refuse_overwrite(doc: SourceDocument, dst: Path) -> None:
    try:
        same = dst.resolve() == doc.path.resolve()
    except OSError:
        same = False
    if same:
        raise OutputError("the output file would overwrite the source", dst)


def _write_bytes(dst: Path, data: bytes) -> None:
    write_file(dst, data)


def _output_encoding(doc: SourceDocument, text: str) -> str:
    """The source's own encoding, so bytes outside the replaced spans are unchanged.

    A cp1252 (or other legacy) source whose replacements cannot be encoded in it is
    written as UTF-8 with a BOM instead: the BOM is what lets Notepad and Word tell.
    PDFs and anything without a recorded encoding are written as plain UTF-8.
    """
    encoding = doc.encoding or "utf-8"
    if doc.kind != "txt":
        return "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return "utf-8-sig"
    except LookupError:
        return "utf-8-sig"
    return encoding


def write_text(doc: SourceDocument, replacements: list[Replacement], dst: Path) -> None:
    """Write ``doc.text`` with the replacements applied, newlines exactly as read.

    Encoded by hand and written as bytes, so "\\r\\n" is never translated on Windows.
    Text sources keep their encoding (a BOM stays a BOM; cp1252 stays cp1252 unless a
    replacement cannot be encoded, then UTF-8 with BOM); PDF text is written as UTF-8.
    """
    dst = Path(dst)
    _refuse_overwrite(doc, dst)
    text = apply_replacements(doc.text, replacements)
    _write_bytes(dst, text.encode(_output_encoding(doc, text)))


# -- docx --------------------------------------------------------------------------------

def _name_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The replaced strings, and each word of a replaced name on its own.

    Places outside paragraph text (a chart's labels, an identifier) repeat a name in pieces
    ("Okonjo" in a chart legend when the text said "Helena Okonjo"); each word of a
    replaced name (capitalised, three letters or more, not a title) is then swept too,
    replaced by the whole pseudonym. Strings with digits or '@' are identifiers, not names.
    """
    pairs = list(pairs)
    out = list(pairs)
    titles = {t.lower() for t in TITLES}
    for original, new in pairs:
        if any(c.isdigit() or c in "@/" for c in original):
            continue
        words = []
        for word in original.replace("\u2019", "'").split():
            word = word.strip(".,;:()'\"")
            word = word[:-2] if word.endswith("'s") else word
            if word and word.lower() not in titles and all(c.isalpha() or c in "-'" for c in word):
                words.append(word)
        for size in range(len(words), 0, -1):   # 'Helena Okonjo' from 'Mrs Helena Okonjo', then each word
            for i in range(len(words) - size + 1):
                piece = words[i:i + size]
                if size > 1 or (len(piece[0]) >= 3 and piece[0][0].isupper()):
                    out.append((" ".join(piece), new))
    return out


def write_docx(doc: SourceDocument, replacements: list[Replacement], dst: Path,
               notes: list[str] | None = None) -> None:
    """Write an anonymised copy of a .docx, editing runs in place.

    Besides the replacements themselves, for safety the copy also:
    - applies each text-box replacement to the VML fallback copy of the text box too;
    - replaces the same strings (whole words) in field codes, hyperlink targets, screen
      tips, revision and comment authors, image alt text and document properties, and
      (with each word of a replaced name too) in chart labels and other drawing text;
    - renames identifiers that contain a replaced name (bookmarks, styles, content-control
      tags and aliases, building-block names, field arguments), every reference with them;
    - is scrubbed (``docx.scrub.scrub_package``): tracked changes accepted (deleted text is
      still in the file and would leak the original), comments, hidden text, personal
      document properties, the thumbnail, custom XML, building blocks, embedded workbooks
      and objects and image metadata removed.
    Imported content (altChunk) was already turned into paragraphs when the source was
    opened (``docx.open_docx``), so its names are replaced like body text.
    ``notes``, when given, is extended with one plain line per kind of thing the copy
    changed beyond the replacements, for the report; the source document is never changed.
    A replacement must lie within one paragraph (ValueError otherwise).
    """
    dst = Path(dst)
    _refuse_overwrite(doc, dst)
    if doc.kind != "docx":
        raise ValueError(f"write_docx needs a docx source, not {doc.kind!r}")
    ordered = checked_replacements(replacements, len(doc.text))
    local: dict[int, list[tuple[int, int, str]]] = {}
    for r in ordered:
        index = doc.paragraph_at(r.start)
        para = doc.paragraphs[index]
        if not (para.start <= r.start and r.end <= para.end):
            raise ValueError(f"replacement {r} spans two paragraphs")
        local.setdefault(index, []).append((r.start - para.start, r.end - para.start, r.text))

    try:
        pkg = open_docx(doc.path)
        paras = docx_paragraphs(pkg)
    except InputError as exc:
        raise OutputError(f"cannot read the source again: {exc.message}", doc.path) from None
    if [p.text for p in paras] != [p.text for p in doc.paragraphs]:
        raise OutputError("the source file has changed since it was read; load it again", doc.path)

    replaced = [(doc.text[r.start:r.end], r.text) for r in ordered]
    sweeper = Sweeper(replaced)
    # the elements themselves, not id()s: lxml proxies are recreated (and ids reused) when freed
    twins_done: set[etree._Element] = set()
    for index, spans in local.items():
        dp = paras[index]
        twin = fallback_twin(dp.element) if dp.part == "textbox" else None
        if twin is not None and paragraph_text(twin) == dp.text:
            apply_local(twin, spans)
            twins_done.add(twin)
        apply_local(dp.element, spans)
        pkg.modified.add(dp.member)

    for member, _ in pkg.text_parts:
        root = pkg.xml(member)
        # Fallback copies not matched above: catch the same strings by sweeping.
        for p in root.iter(W_P):
            if p in twins_done or not in_fallback(p):
                continue
            hits = sweeper.matches(paragraph_text(p))
            if hits:
                apply_local(p, hits)
                pkg.modified.add(member)

    words = Sweeper(_name_pairs(replaced))
    sweep_outside_text(pkg, words)
    lines = sweep_other_parts(pkg, words)
    lines += rename_identifiers(pkg, [original for original, _ in _name_pairs(replaced)
                                      if not any(c.isdigit() or c in "@/" for c in original)])
    lines += scrub_package(pkg)
    data = pkg.to_bytes()
    _check_opens(data, doc.path)
    _write_bytes(dst, data)
    if notes is not None:
        notes.extend(lines)


def _check_opens(data: bytes, source: Path) -> None:
    """Open the finished copy with python-docx before it is written: a copy Word-compatible
    tools cannot open is a refused file later, with no one knowing why. It costs a parse
    of the package (tens of milliseconds for ordinary case notes)."""
    import docx as python_docx

    try:
        python_docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, ValueError, lxml errors...
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise OutputError(f"the anonymised copy would not open as a Word document ({reason}); nothing was written",
                          source) from None


# -- choosing the output -----------------------------------------------------------------

def output_path(doc: SourceDocument, out_dir: Path, stem: str | None = None) -> Path:
    """Where ``write_document`` puts the copy: the source's name (or ``stem``), .txt for PDFs.

    ``stem`` is the anonymised file name the export pipeline chose
    (``desk_app.core.pipeline.names``): a person's name in a source's file name is as
    personal as one in its text, so the pipeline passes the renamed stem; the suffix stays
    this module's policy (Word stays Word, a PDF becomes text).
    """
    suffix = doc.path.suffix
    if doc.kind in ("pdf", "image"):
        suffix = ".txt"
    elif doc.kind == "docx":
        suffix = ".docx"
    return Path(out_dir) / f"{doc.path.stem if stem is None else stem}{suffix}"


def redacted_path(doc: SourceDocument, out_dir: Path, stem: str | None = None) -> Path | None:
    """Where ``write_redacted`` puts the redacted copy of a document's scanned pages
    (``<stem>.redacted.png`` or ``.pdf``), beside its text copy; None when it has none."""
    from desk_app.core.output.redact_image import redacted_suffix

    suffix = redacted_suffix(doc)
    return None if suffix is None else Path(out_dir) / f"{doc.path.stem if stem is None else stem}.redacted{suffix}"


def write_redacted(doc: SourceDocument, replacements: list[Replacement], out_dir: Path,
                   stem: str | None = None) -> Path | None:
    """Write the scanned pages with every replaced span burned out (``redact_image``); None if no scans."""
    from desk_app.core.output.redact_image import redacted_bytes

    dst = redacted_path(doc, out_dir, stem)
    if dst is None:
        return None
    _refuse_overwrite(doc, dst)
    _write_bytes(dst, redacted_bytes(doc, checked_replacements(replacements, len(doc.text))))
    return dst


def write_document(doc: SourceDocument, replacements: list[Replacement], out_dir: Path,
                   notes: list[str] | None = None, stem: str | None = None) -> Path:
    """Write the anonymised copy into ``out_dir`` (created if missing) and return its path.

    ``notes``, when given, receives what was scrubbed from a .docx copy (see ``write_docx``);
    ``stem``, the copy's file name without suffix (see ``output_path``).
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError("the output folder is a file, not a folder", out_dir) from None
    except PermissionError:
        raise OutputError("cannot create the output folder (permission denied)", out_dir) from None
    except OSError as exc:
        raise OutputError(f"cannot create the output folder ({exc.strerror or exc})", out_dir) from None
    dst = output_path(doc, out_dir, stem)
    try:
        beside = dst.parent.resolve() == doc.path.parent.resolve() and dst.exists() \
            and dst.resolve() != doc.path.resolve()   # that one has its own message, from the writer
    except OSError:
        beside = False
    if beside:   # 'notes.pdf' -> 'notes.txt' next to it would replace the user's own notes.txt
        raise OutputError("a file of this name is already in the source's own folder; "
                          "choose another output folder", dst)
    if doc.kind == "docx":
        write_docx(doc, replacements, dst, notes)
    else:
        write_text(doc, replacements, dst)
    return dst
