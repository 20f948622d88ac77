"""PDF case files: the text layer via pypdf, repaired so hidden names read whole; pages
without a text layer (scanned) read by OCR.

A PDF cannot be edited in place safely (black boxes over live text are the classic
redaction failure), so PDFs are read as text and the anonymised result is a .txt. Scanned
pages also get a redacted copy of their pixels (``output.redact_image``), never of the PDF.

The text layer hides words from detection in ways a reader does not see on the page; each
is undone here, before detection, so the name is found, replaced and leak-scanned in the
same form as it is written to the .txt:

- a word hyphenated across a line break ("Okon-" ⏎ "jo") is rejoined on the first line;
- a soft hyphen (U+00AD) disappears, and one at a line end rejoins the word like a hyphen;
- letter-spaced or widely kerned text, which pypdf reads as "O k o n j o", is closed up;
- ligature glyphs ("ﬃ" in "Griﬃths") become their letters.

pypdf's plain extraction was chosen over its layout mode, pdfminer.six and pypdfium2 by
measuring them on generated PDFs (see the README, "PDF text"): it keeps lines and table rows,
keeps two columns apart, and is the only one whose output still tells a letter gap (one space)
from a word gap (two spaces) in letter-spaced text.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.core.document import Paragraph, ScannedPage, SourceDocument
from desk_app.core.errors import InputError
from desk_app.core.ingest import too_large
from desk_app.core.ingest.scan import MAX_SCANNED_PAGES, PageCallback, placed, read_pages, scan_notes

if TYPE_CHECKING:
    from pypdf import PdfReader

# pypdf reads the whole file into memory before parsing it, so the file size is checked
# first. A case PDF with a text layer is a few MB; 100 MB is a scanned bundle or an archive.
MAX_PDF_BYTES = 100 * 1024 * 1024
# Extracted text is held whole (and later analysed whole); pypdf caps each decompressed
# stream at 75 MB, but a thousand such pages could still exhaust memory.
MAX_PDF_CHARS = 20_000_000

_DAMAGED = "not a valid PDF file"
_LOCKED = "the PDF is password-protected; remove the password and try again"
_BLANK_RUN = re.compile(r"\n{3,}")

SOFT_HYPHEN = "\u00ad"
# Hyphens that break a word at a line end: hyphen-minus and U+2010 HYPHEN. Dashes (en, em)
# are punctuation between words and never rejoin.
_HYPHENS = "-\u2010"
_HYPHEN_CLASS = r"\-\u2010"   # the same, for use inside a regex character class
# Ligature glyphs (U+FB00-FB06) as the letters they stand for; NFKC would also rewrite
# fractions, superscripts and full-width forms, which are not ours to change.
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
# The start of a line that can continue a word broken at the end of the one before: its
# first word, up to the next space.
_CONTINUATION = re.compile(r"^\s*([^\W_][^\s]*)\s*")
# First halves that keep their hyphen before a lower-case second half ("self-neglect",
# "well-being", "non-residential"): a break after one of these is more often a compound
# than a syllable break.
_COMPOUND_PREFIXES = frozenset(
    "self well non ex cross half multi semi mid part full long short high low day night "
    "follow fly face one two three four five six seven eight nine ten twelve twenty thirty "
    "forty fifty first second third fourth".split())
# A run of one-character tokens separated by spaces: letter-spaced text, or prose like "I a m".
_SPACED = re.compile(r"(?<!\S)\S(?: +\S)+(?!\S)")
# How many single letters in a row make letter-spaced text: "I a m" (3) is never closed up.
MIN_SPACED_LETTERS = 4


def _page_lines(raw: str) -> list[str]:
    """Lines of one page, right-stripped, with runs of blank lines squeezed to one.

    A blank line is kept (as an empty paragraph) because it is the only paragraph break
    the text layer gives; sentence splitting downstream works better with it.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").translate(_LIGATURES)
    lines = [line.rstrip() for line in text.split("\n")]
    text = _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")
    return text.split("\n") if text else []


def close_up_spaced(line: str) -> str:
    """Close up letter-spaced text: "M r s  O k o n j o" -> "Mrs Okonjo".

    pypdf writes one space for each gap between glyphs drawn apart (character spacing,
    a TJ kerning gap or one glyph per text operator) and two where a real space glyph
    sits in the gap too, so within a run of single characters a single space is a letter
    gap and a longer one a word gap. A run is closed up only if it has at least
    ``MIN_SPACED_LETTERS`` letters and at least one letter gap: ordinary prose never
    puts four one-letter words in a row, while "I a m" or a table of single digits
    ("3 4 2 5") stays as it is.
    """
    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        tokens = run.split()
        if sum(t.isalpha() for t in tokens) < MIN_SPACED_LETTERS or not re.search(r"\S \S", run):
            return run
        return " ".join(word.replace(" ", "") for word in re.split(r" {2,}", run))

    return _SPACED.sub(fix, line)


def _word_forms(lines: list[str]) -> set[str]:
    """Every word of the document, case-folded, hyphenated compounds both whole and in parts.

    The document's own spelling elsewhere is the best evidence of how a word broken at a
    line end is meant: if "Smith-Jones" or "wellbeing" appears unbroken anywhere, that form wins.
    """
    forms: set[str] = set()
    for line in lines:
        for word in re.findall(rf"[^\W_][\w'\u2019{_HYPHEN_CLASS}]*", line):
            word = word.rstrip(_HYPHENS).casefold()
            forms.add(word)
            forms.update(re.split(f"[{_HYPHEN_CLASS}]", word))
    return forms


def _keep_hyphen(head: str, tail: str, forms: set[str]) -> bool:
    """Whether "head-" at a line end and "tail" at the next line's start are one hyphenated word.

    ``head`` is the last hyphen-free part before the break, ``tail`` the word after it.
    Numbers keep the hyphen (references, "2023-24"); then the document's own spelling
    decides; then a capital after the break ("Smith-" ⏎ "Jones") marks a real hyphen, as
    does a compound prefix ("self-" ⏎ "neglect"). Anything else ("Okon-" ⏎ "jo",
    "experi-" ⏎ "ence") is a word broken to fit the line.
    """
    if head[-1].isdigit() or tail[0].isdigit():
        return True
    hyphenated, joined = f"{head}-{tail}".casefold(), f"{head}{tail}".casefold()
    if hyphenated in forms:
        return True
    if joined in forms:
        return False
    return tail[0].isupper() or head.casefold() in _COMPOUND_PREFIXES


def rejoin_broken_words(lines: list[str], forms: set[str] | None = None) -> list[str]:
    """Rejoin words broken across line ends, moving the second half up to the first line.

    "Mrs Adaeze Okon-" ⏎ "jo, visited" becomes "Mrs Adaeze Okonjo," ⏎ "visited", so the
    name is one word on one line for detection, for the leak scan and in the .txt written
    from this text. Only a hyphen right after a letter or digit breaks a word (a dash
    after a space never does), only a next line that starts with a letter or digit
    continues one, and a blank line (a paragraph break) stops it. A soft hyphen always
    rejoins without a hyphen; a hard one keeps its hyphen when ``_keep_hyphen`` says so.
    A next line left empty by the move is dropped, so no paragraph break is invented.
    """
    if forms is None:
        forms = _word_forms(lines)
    out = list(lines)
    i = 0
    while i < len(out) - 1:
        line = out[i]
        last = line.rsplit(None, 1)[-1] if line.strip() else ""
        if len(last) < 2 or last[-1] not in _HYPHENS + SOFT_HYPHEN or not last[-2].isalnum():
            i += 1
            continue
        nxt = _CONTINUATION.match(out[i + 1])
        if nxt is None:
            i += 1
            continue
        tail_token = nxt.group(1)
        # the hyphen-free word parts either side, without brackets or quotes ("(Okon-" ⏎ "jo),")
        head = re.split(f"[{_HYPHEN_CLASS}{SOFT_HYPHEN}]", last[:-1])[-1].lstrip("([{'\"\u2018\u201c")
        tail = re.split(r"[^\w'\u2019]", tail_token, maxsplit=1)[0]
        soft = last[-1] == SOFT_HYPHEN
        keep = not soft and bool(head) and bool(tail) and _keep_hyphen(head, tail, forms)
        out[i] = (line if keep else line[:-1]) + tail_token
        rest = out[i + 1][nxt.end():]
        if rest:
            out[i + 1] = rest
            i += 1
        else:
            del out[i + 1]   # the whole next line moved up: look at the new end again
    return out


def repair_pages(pages: list[str]) -> list[list[str]]:
    """Each page's extracted text as the lines Decision Desk reads: ligatures spelled out,
    letter-spacing closed up, broken words rejoined and soft hyphens removed.

    Words are rejoined within a page only: across a page break a running header or footer
    usually sits between the halves. The spelling evidence is the whole document's.
    """
    spaced = [[close_up_spaced(line) for line in _page_lines(raw)] for raw in pages]
    forms = _word_forms([line for page in spaced for line in page])
    return [[line.replace(SOFT_HYPHEN, "") for line in rejoin_broken_words(page, forms)] for page in spaced]


def _extract_pages(reader: PdfReader, path: Path) -> list[str]:
    """Each page's text, stopping as soon as the total passes ``MAX_PDF_CHARS``."""
    pages: list[str] = []
    total = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        total += len(text)
        if total > MAX_PDF_CHARS:
            raise InputError(f"the PDF's text layer is over {MAX_PDF_CHARS:,} characters; longer documents "
                             "are not read", path)
        pages.append(text)
    return pages


def read_pdf(path: Path, on_page: PageCallback | None = None) -> SourceDocument:
    """Read the text layer of every page, and pages without one by OCR (``on_page`` hears of each)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise InputError(too_large("PDF files", size, MAX_PDF_BYTES), path)
    with path.open("rb") as f:
        head = f.read(1024)
    if not head:
        raise InputError("the file is empty", path)
    if b"%PDF" not in head:
        raise InputError(_DAMAGED, path)

    # pypdf logs every repair it makes (even as errors); the user gets our one line instead.
    pypdf_logger = logging.getLogger("pypdf")
    previous = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        try:
            reader = PdfReader(path)
            if reader.is_encrypted:
                try:
                    if not reader.decrypt(""):
                        raise InputError(_LOCKED, path)
                except (DependencyError, NotImplementedError):
                    raise InputError(_LOCKED, path) from None
            pages = _extract_pages(reader, path)
        except InputError:
            raise
        except FileNotDecryptedError:
            raise InputError(_LOCKED, path) from None
        except (PdfReadError, PdfStreamError):
            raise InputError(_DAMAGED, path) from None
        except OSError:
            raise
        except Exception:  # pypdf on a mangled file can raise almost anything
            raise InputError(_DAMAGED, path) from None
    finally:
        pypdf_logger.setLevel(previous)

    if not pages:
        raise InputError("the PDF has no pages", path)
    empty = [n for n, raw in enumerate(pages) if not raw.strip()]
    if len(empty) > MAX_SCANNED_PAGES:
        raise InputError(f"the PDF has {len(empty)} pages without a text layer; over {MAX_SCANNED_PAGES} scanned "
                         "pages are not read (split the file)", path)
    ocr = {scan.number - 1: (scan, text) for scan, text in
           read_pages(((n + 1, image) for n, image in zip(empty, _rendered(path, empty), strict=True)),
                      len(empty), on_page)} if empty else {}

    paragraphs: list[Paragraph] = []
    scans: list[ScannedPage] = []
    offset = 0
    for index, lines in enumerate(repair_pages(pages)):
        number = index + 1
        if index in ocr and ocr[index][1]:
            lines = ocr[index][1].split("\n")
        if paragraphs and lines:
            # keep a blank line between pages, as between paragraphs
            paragraphs.append(Paragraph("", offset, f"page {number}"))
            offset += 1
        if index in ocr:
            scans.append(placed(ocr[index][0], offset))
        for line in lines:
            paragraphs.append(Paragraph(line, offset, f"page {number}"))
            offset += len(line) + 1
    text = "\n".join(p.text for p in paragraphs)
    notes = scan_notes(scans, "page" if len(scans) == 1 else "pages")
    return SourceDocument(path=path, kind="pdf", text=text, paragraphs=paragraphs, notes=notes, scans=scans)


def _rendered(path: Path, indexes: list[int]):  # noqa: ANN202 - an iterator of PIL images
    """The 0-based pages ``indexes`` as images, rendered one at a time as OCR asks for them."""
    from desk_app.core.ingest.ocr import pdf_page_images

    try:
        yield from pdf_page_images(path, indexes)
    except InputError:
        raise
    except Exception as exc:  # pdfium on a page pypdf could parse but not render
        raise InputError(f"a scanned page of the PDF cannot be drawn ({type(exc).__name__})", path) from None
