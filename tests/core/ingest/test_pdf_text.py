"""PDF text layers that hide names (issue 12, item 7), on PDFs generated here.

A PDF can draw a name so that it looks whole on the page while its text layer does not
spell it: hyphenated across a line break, letter-spaced glyph by glyph, kerned apart in a
TJ array, broken by a soft hyphen, or written with ligature glyphs. Each shape is generated
as a raw content stream, read by the real reader, and anonymised through the real CLI; the
output is then checked with a normaliser of its own (not the reader's repair code).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.ingest import load_document
from desk_app.core.ingest.pdf import close_up_spaced, rejoin_broken_words
from tests.helpers.ingest_factories import pdf_from_objects
from tests.helpers.paths import REPO

# -- generating PDFs -----------------------------------------------------------------------

_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# The same font with ligature glyphs at codes 128-132, as a typesetter's subset would have.
_LIGATURE_FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
                  b"/BaseEncoding /WinAnsiEncoding /Differences [128 /fi /fl /ff /ffi /ffl] >> >>")
LIG = {"fi": "\x80", "fl": "\x81", "ff": "\x82", "ffi": "\x83", "ffl": "\x84"}

# Helvetica advance widths (1/1000 em), to place glyphs one by one as a PDF writer does.
_WIDTHS = dict(zip("abcdefghijklmnopqrstuvwxyz",
                   [556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556,
                    333, 500, 278, 556, 500, 722, 500, 500, 500], strict=True))
_WIDTHS.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
                    722, 667, 611, 722, 667, 944, 667, 667, 611], strict=True))
_WIDTHS.update({" ": 278, ".": 278, ",": 278, "-": 333, ":": 278, "/": 278})


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi, with codes 128-132 passed through for the ligature font."""
    out = bytearray(b"(")
    for ch in text:
        byte = ord(ch) if "\x80" <= ch <= "\x84" else ch.encode("cp1252")[0]
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


def make_pdf(pages: list[bytes]) -> bytes:
    """A PDF whose pages have these content streams; /F1 is Helvetica, /F2 has ligatures.

    The builders below each return one text object ending in a newline, so they concatenate.
    """
    n = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    fonts = f"/Font << /F1 {3 + 2 * n} 0 R /F2 {4 + 2 * n} 0 R >>"
    for i, body in enumerate(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {fonts} >> "
                       f"/Contents {4 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
    return pdf_from_objects([*objects, _HELVETICA, _LIGATURE_FONT])


def lines(texts: list[str], x: float = 72, y: float = 770, font: bytes = b"/F1 11 Tf") -> bytes:
    """Lines of text, one Tj each, moved down with T* (how most writers set a paragraph)."""
    return (b"BT " + font + b" 14 TL %g %g Td " % (x, y)
            + b" ".join(pdf_string(t) + b" Tj T*" for t in texts) + b" ET\n")


def text_at(x: float, y: float, text: str, state: bytes = b"") -> bytes:
    """One string at a position, in its own text object (a table cell, a heading)."""
    return b"BT /F1 11 Tf " + state + b" %g %g Td " % (x, y) + pdf_string(text) + b" Tj ET\n"


def glyph_by_glyph(x: float, y: float, text: str, gap: float) -> bytes:
    """Each glyph drawn on its own (Tj then Td), ``gap`` points after its advance: letter-spacing."""
    ops = [b"BT /F1 11 Tf %g %g Td" % (x, y)]
    for ch in text:
        ops.append(pdf_string(ch) + b" Tj %g 0 Td" % (_WIDTHS[ch] * 11 / 1000 + gap))
    return b" ".join(ops) + b" ET\n"


def kerned(x: float, y: float, text: str, kern: int, word_gap: int | None = None) -> bytes:
    """One TJ array with ``kern`` (1/1000 em; negative widens) after every glyph, the space
    included, as a word processor writes expanded spacing. With ``word_gap``, words are set
    apart by that displacement alone, with no space glyph."""
    parts: list[bytes] = []
    for w, word in enumerate(text.split(" ")):
        if w:
            parts += [b"%d" % word_gap] if word_gap is not None else [pdf_string(" "), b"%d" % kern]
        for c, ch in enumerate(word):
            parts.append(pdf_string(ch))
            if word_gap is None or c < len(word) - 1:
                parts.append(b"%d" % kern)
    return b"BT /F1 11 Tf %g %g Td [" % (x, y) + b" ".join(parts) + b"] TJ ET\n"


def table(rows: list[tuple[str, ...]], *, by_column: bool = False) -> bytes:
    """Cells as separate text objects on a grid, written row by row or column by column."""
    xs = (72, 180, 360)
    cells = [(r, c) for c in range(len(xs)) for r in range(len(rows))] if by_column else \
        [(r, c) for r in range(len(rows)) for c in range(len(xs))]
    return b" ".join(text_at(xs[c], 770 - 16 * r, rows[r][c]) for r, c in cells)


ROWS = [("Name", "Adaeze Okonjo", "14/03/1986"), ("Son", "Tobi Okonjo", "02/11/2010"),
        ("Officer", "Ruby Chowdhury", "-")]
TWO_COLUMNS = (["Complainant: Mrs", "Adaeze Okonjo of", "14 Grace Street."],
               ["Officer: Mr Jamal", "Oyenuga, enforcement", "team leader."])
LIGATED = f"Mrs Gri{LIG['ffi']}ths and Mr Mo{LIG['ff']}at {LIG['fi']}led it."

# name -> (content stream of one page, the lines the reader must give, whether pypdf alone
# already reads it right: False marks the shapes only the repair gets right)
SHAPES: dict[str, tuple[bytes, list[str], bool]] = {
    "plain": (lines(["Dear Mrs Adaeze Okonjo,", "Thank you for your letter of 3 May 2024."]),
              ["Dear Mrs Adaeze Okonjo,", "Thank you for your letter of 3 May 2024."], True),
    "hyphen-at-line-end": (lines(["The officer, Mrs Adaeze Okon-", "jo, visited on 3 May 2024."]),
                           ["The officer, Mrs Adaeze Okonjo,", "visited on 3 May 2024."], False),
    "real-hyphen-at-line-end": (lines(["Her husband, Mr Peter Smith-", "Jones, wrote on 4 May."]),
                                ["Her husband, Mr Peter Smith-Jones,", "wrote on 4 May."], False),
    "whole-line-continues": (lines(["Signed: Mrs Adaeze Okon-", "jo", "Date: 3 May 2024"]),
                             ["Signed: Mrs Adaeze Okonjo", "Date: 3 May 2024"], False),
    "soft-hyphens": (lines(["Seen by Mrs Okon\xadjo at home. Later Mrs Okon\xad", "jo phoned."]),
                     ["Seen by Mrs Okonjo at home. Later Mrs Okonjo", "phoned."], False),
    "character-spacing-Tc": (text_at(72, 770, "MRS ADAEZE OKONJO", b"3 Tc 6 Tw") + text_at(72, 750, "Case notes"),
                             ["MRS ADAEZE OKONJO", "Case notes"], True),
    "glyph-by-glyph": (glyph_by_glyph(72, 770, "Okonjo", 2.5) + text_at(72, 750, "was seen on 3 May."),
                       ["Okonjo", "was seen on 3 May."], False),
    "glyph-by-glyph-words": (glyph_by_glyph(72, 770, "Mrs Adaeze Okonjo", 2.5),
                             ["Mrs Adaeze Okonjo"], False),
    "TJ-small-kerning": (kerned(72, 770, "Dear Mrs Okonjo", -30), ["Dear Mrs Okonjo"], True),
    "TJ-tight-kerning": (kerned(72, 770, "Dear Mrs Okonjo", 40), ["Dear Mrs Okonjo"], True),
    "TJ-wide-kerning": (kerned(72, 770, "Dear Mrs Okonjo", -250), ["Dear Mrs Okonjo"], False),
    "TJ-wide-kerning-capitals": (kerned(72, 770, "MRS ADAEZE OKONJO", -400), ["MRS ADAEZE OKONJO"], False),
    "TJ-word-gap-without-space": (kerned(72, 770, "Dear Mrs Adaeze Okonjo", 0, word_gap=-300),
                                  ["Dear Mrs Adaeze Okonjo"], True),
    "two-columns": (lines(TWO_COLUMNS[0], x=72) + b" " + lines(TWO_COLUMNS[1], x=320),
                    [*TWO_COLUMNS[0], *TWO_COLUMNS[1]], True),
    "table-rows": (table(ROWS), [" ".join(r) for r in ROWS], True),
    "ligatures": (lines([LIGATED], font=b"/F2 11 Tf"), ["Mrs Griffiths and Mr Moffat filed it."], False),
}


def squeeze(text: str) -> list[str]:
    """Non-empty lines with runs of spaces made one (column gaps are not the point here)."""
    return [re.sub(r" +", " ", line).strip() for line in text.splitlines() if line.strip()]


# -- the reader -----------------------------------------------------------------------------

@pytest.mark.parametrize("shape", list(SHAPES))
def test_reader_gives_whole_words_on_their_lines(tmp_path: Path, shape: str) -> None:
    from pypdf import PdfReader

    stream, expected, pypdf_alone = SHAPES[shape]
    path = tmp_path / f"{shape}.pdf"
    path.write_bytes(make_pdf([stream]))
    doc = load_document(path)

    assert squeeze(doc.text) == expected
    assert [p.text for p in doc.paragraphs if p.text] == [line for line in doc.text.split("\n") if line]
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text and p.part == "page 1"
    # the generated file really has the shape: plain pypdf misreads exactly the marked ones
    raw = squeeze(PdfReader(path).pages[0].extract_text())
    assert (raw == expected) is pypdf_alone


def test_table_written_column_by_column_keeps_each_cell_whole(tmp_path: Path) -> None:
    """pypdf follows the content stream, so cells written a column at a time come out one per
    line: the row is lost, but no name is cut, which is what detection needs."""
    path = tmp_path / "columns.pdf"
    path.write_bytes(make_pdf([table(ROWS, by_column=True)]))
    lines_read = squeeze(load_document(path).text)
    assert {"Adaeze Okonjo", "Tobi Okonjo", "Ruby Chowdhury", "14/03/1986"} <= set(lines_read)


def test_words_rejoin_within_a_page_and_blank_pages_keep_their_note(tmp_path: Path) -> None:
    page1 = lines(["Mrs Adaeze Okon-", "jo was visited."])
    page2 = b"0.8 g 72 600 300 150 re f"          # an image-like page with no text
    page3 = lines(["Report by Mr Jamal Oyen-"])      # the break at the page's end stays broken
    page4 = lines(["uga on 3 May."])
    path = tmp_path / "pages.pdf"
    path.write_bytes(make_pdf([page1, page2, page3, page4]))
    doc = load_document(path)
    assert [(p.text, p.part) for p in doc.paragraphs if p.text] == [
        ("Mrs Adaeze Okonjo", "page 1"), ("was visited.", "page 1"),
        ("Report by Mr Jamal Oyen-", "page 3"), ("uga on 3 May.", "page 4")]
    assert doc.notes == ["page 2 read by OCR (a scanned image); no text was found on it"]
    assert [s.number for s in doc.scans] == [2]


# -- the repairs on their own ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("O k o n j o", "Okonjo"),
        ("M r s  A d a e z e  O k o n j o ", "Mrs Adaeze Okonjo "),
        ("Dear  O ' B r i e n ,", "Dear  O'Brien,"),
        ("To: M R S   O K O N J O", "To: MRS OKONJO"),
        ("I a m here", "I a m here"),                      # three one-letter words: prose
        ("Scores: 3 4 2 5 1", "Scores: 3 4 2 5 1"),        # digits alone are a table, not a word
        ("Y  N  Y  N", "Y  N  Y  N"),                      # wide gaps only: cells, not letter gaps
        ("Mr A B Smith and Mrs C D Jones", "Mr A B Smith and Mrs C D Jones"),
    ],
)
def test_close_up_spaced(line: str, expected: str) -> None:
    assert close_up_spaced(line) == expected


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["Mrs Okon-", "jo, visited"], ["Mrs Okonjo,", "visited"]),
        (["Mr Peter Smith-", "Jones wrote"], ["Mr Peter Smith-Jones", "wrote"]),
        (["signs of self-", "neglect were"], ["signs of self-neglect", "were"]),
        (["a policy (self-", "neglect) applies"], ["a policy (self-neglect)", "applies"]),
        (["(Mrs Okon-", "jo), the tenant"], ["(Mrs Okonjo),", "the tenant"]),
        (["Our ref: COMP-ENV-24-", "1033"], ["Our ref: COMP-ENV-24-1033"]),
        (["her previous experi-", "ence of care"], ["her previous experience", "of care"]),
        # the document's own spelling decides over the rules
        (["MRS OKON-", "JO visited.", "OKONJO said"], ["MRS OKONJO", "visited.", "OKONJO said"]),
        (["her well-", "being matters", "wellbeing"], ["her wellbeing", "matters", "wellbeing"]),
        (["her well-", "being matters"], ["her well-being", "matters"]),
        # a soft hyphen always joins and disappears
        (["Mrs Okon\xad", "jo phoned"], ["Mrs Okonjo", "phoned"]),
        # not breaks: a dash after a space, a paragraph break, a bullet, punctuation before
        (["the council -", "said"], ["the council -", "said"]),
        (["Mrs Okon-", "", "jo"], ["Mrs Okon-", "", "jo"]),
        (["Attendees: Mrs Okon-", "- Mr Quaye"], ["Attendees: Mrs Okon-", "- Mr Quaye"]),
        (["Tel:-", "01632 960 551"], ["Tel:-", "01632 960 551"]),
        # a moved line exposes the next break
        (["Mrs Okon-", "jo-", "Smith"], ["Mrs Okonjo-Smith"]),
    ],
)
def test_rejoin_broken_words(before: list[str], after: list[str]) -> None:
    assert rejoin_broken_words(before) == after


def _content(lines_: list[str]) -> str:
    return re.sub(r"[\s\-\u2010\u00ad]", "", "".join(lines_))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.one_of(st.sampled_from("aOkn jJ-\u2010\u00ad1.,'(\ufb03"),
                                  st.characters(exclude_characters="\n\r")), max_size=30), max_size=8))
def test_repairs_only_move_words_and_drop_spaces_and_hyphens(page: list[str]) -> None:
    """Whatever the text layer holds, the repairs never lose or invent a letter: they close up
    spaces, drop hyphens and soft hyphens, and move words up a line, nothing else."""
    spaced = [close_up_spaced(line) for line in page]
    assert _content(spaced) == _content(page)
    rejoined = rejoin_broken_words(spaced)
    assert _content(rejoined) == _content(page)
    assert len(rejoined) <= len(page)


# -- through the command line: replaced, and no form of the name left -----------------------

def flat(text: str) -> str:
    """The output as a leak hunter reads it: ligatures spelled out, soft hyphens and line-end
    hyphens dropped, every space and line break removed, case ignored."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"[-\u2010]\s+", "", text)
    return re.sub(r"\s+", "", text).casefold()


# file -> (page streams, name parts that must not survive in any form, the halves a broken
# name leaves behind if only its first half is replaced)
CASE: dict[str, tuple[list[bytes], tuple[str, ...], tuple[str, ...]]] = {
    "hyphenated": ([lines(["Dear Sir,", "Your neighbour, Mrs Adaeze Okon-",
                          "jo, complained about the noise on 3 May 2024."])], ("Adaeze", "Okonjo"), ("jo",)),
    "double-barrelled": ([lines(["Her husband, Mr Peter Smith-", "Jones, wrote to the council on 4 May.",
                                "The council replied to him on 9 May."])], ("Smith", "Jones"), ()),
    "soft-hyphen": ([lines(["The social worker visited Mrs Bronwen Llewel\xad",
                           "lyn at home. Mrs Bronwen Llewel\xadlyn was out."])], ("Bronwen", "Llewellyn"), ("lyn",)),
    "letter-spaced": ([glyph_by_glyph(72, 770, "Mrs Ngozi Chukwuemeka", 2.5)
                       + lines(["The complaint is about her housing benefit claim."], y=740)],
                      ("Ngozi", "Chukwuemeka"), ()),
    "kerned": ([kerned(72, 770, "Dear Mr Tobias Wojciechowski", -250)
                + lines(["Thank you for your email about the school transport appeal."], y=740)],
               ("Tobias", "Wojciechowski"), ()),
    "ligatures": ([lines([f"Mrs Joanna Gri{LIG['ffi']}ths asked for a review of her care plan."],
                         font=b"/F2 11 Tf")], ("Joanna", "Griffiths"), ()),
    "table": ([table([("Client", "Mr Kwabena Asante", "01/02/1960"), ("Carer", "Mrs Efua Asante", "-"),
                      ("Officer", "Ms Ruby Chowdhury", "-")])], ("Kwabena", "Efua", "Asante", "Chowdhury"), ()),
}


@pytest.mark.slow
def test_cli_replaces_names_the_text_layer_hid(tmp_path: Path) -> None:
    from desk_app.cli.main import main

    src, out = tmp_path / "case", tmp_path / "out"
    src.mkdir()
    for stem, (pages, _, _) in CASE.items():
        (src / f"{stem}.pdf").write_bytes(make_pdf(pages))
    before = {p.name: p.read_bytes() for p in src.iterdir()}

    assert main(["anonymise", str(src), "--out-dir", str(out)]) == 0

    assert sorted(p.name for p in out.iterdir()) == sorted(f"{stem}.txt" for stem in CASE)
    for stem, (_, names, halves) in CASE.items():
        text = (out / f"{stem}.txt").read_text(encoding="utf-8")
        for name in names:
            assert name.casefold() not in flat(text), (stem, name, text)
        for half in halves:
            assert not re.search(rf"\b{half}\b", text, re.IGNORECASE), (stem, half, text)
        assert re.search(r"\b(Mr|Mrs|Ms) [A-Z]\b", text), (stem, text)   # replaced, not deleted
        assert not re.search(r"\b(Mr|Mrs|Ms) [A-Z]-", text), (stem, text)  # one person, not "Mr X-B"
    # the rejoined words are written rejoined, and the rest of the text is kept
    assert "complained about the noise" in (out / "hyphenated.txt").read_text(encoding="utf-8")
    assert "Gri" not in (out / "ligatures.txt").read_text(encoding="utf-8")
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


# -- the extractor comparison in the README ("PDF text"), run by hand ------------------------

def compare_extractors() -> None:
    """Print how many generated shapes each candidate reads line for line, and its speed.

    Needs pdfminer.six and pypdfium2, which are not dependencies: install them into a
    scratch environment to re-measure (``python tests/test_pdf_text.py``).
    """
    import glob
    import io
    import time

    import pypdfium2
    from pdfminer.high_level import extract_text as pdfminer_text
    from pypdf import PdfReader

    from desk_app.core.ingest.pdf import repair_pages

    def pypdf_pages(data: bytes, **kw: str) -> list[str]:
        return [p.extract_text(**kw) for p in PdfReader(io.BytesIO(data)).pages]

    def pdfium(data: bytes) -> str:
        doc = pypdfium2.PdfDocument(data)
        try:
            return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        finally:
            doc.close()

    candidates = {
        "pypdf + repairs": lambda d: "\n".join("\n".join(p) for p in repair_pages(pypdf_pages(d))),
        "pypdf plain": lambda d: "\n".join(pypdf_pages(d)),
        "pypdf layout": lambda d: "\n".join(pypdf_pages(d, extraction_mode="layout")),
        "pdfminer.six": lambda d: pdfminer_text(io.BytesIO(d)),
        "pypdfium2": pdfium,
    }
    shapes = {name: (make_pdf([stream]), expected) for name, (stream, expected, _) in SHAPES.items()}
    shapes["table-by-column"] = (make_pdf([table(ROWS, by_column=True)]), [" ".join(r) for r in ROWS])
    cases = REPO.parent / "shared" / "eval" / "casenotes" / "cases"
    corpus = [Path(f).read_bytes() for f in sorted(glob.glob(str(cases / "p0*.pdf")))]
    page = ["Grace was admitted from home after a fall in the garden. Her husband, Kenji,",
            "found her and called 999. She had surgery on the Cavell Ward and was then"] * 25
    hundred = make_pdf([lines(page, y=800)] * 100)
    for name, read in candidates.items():
        wrong = [shape for shape, (data, expected) in shapes.items() if squeeze(read(data)) != expected]
        per_file = []
        for _ in range(7):
            start = time.perf_counter()
            for data in corpus:
                read(data)
            per_file.append((time.perf_counter() - start) / max(len(corpus), 1))
        start = time.perf_counter()
        read(hundred)
        pages_s = time.perf_counter() - start
        print(f"{name:16} {len(shapes) - len(wrong)}/{len(shapes)}  corpus {min(per_file) * 1000:5.1f} ms/file"
              f"  100 pages {pages_s:5.2f} s  misread: {', '.join(wrong) or '-'}")


if __name__ == "__main__":
    compare_extractors()
