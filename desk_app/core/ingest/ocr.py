"""Offline OCR of scanned pages: text with lines, paragraphs, reading order, word boxes and confidences.

The engine is RapidOCR (``rapidocr`` 3.x on ONNX Runtime). Its wheel carries the PP-OCRv6
detection and recognition models and the text-direction classifier, so nothing is downloaded
when the program runs; it is loaded once per process, on first use, because loading costs
about a second and most bundles have no scans at all.

RapidOCR gives one quadrilateral per run of text with its string and score. Everything else is
done here: page orientation (90/180/270 by trying the turned page when the first read is poor
or vertical), slight skew (boxes are straightened by the median angle before ordering), visual
lines, columns read one after the other, tables read row by row with cells joined by `` | ``
(a visible separator that also stops a name detector from joining names of adjacent cells),
paragraphs (blank line where the gap between lines is well over the usual line pitch), and
word boxes: a run's quadrilateral is cut in proportion to estimated glyph widths.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
import os
import re
import statistics
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from desk_app.core.document import ScanWord
from desk_app.core.errors import DeskError, InputError
from desk_app.core.names import ACRONYMS, FUNCTION_WORDS, ROLE_ACRONYMS, TITLES, fold

__all__ = ["CELL_SEPARATOR", "PDF_DPI", "OcrLine", "OcrPage", "load_image_pages",
           "pdf_page_images", "read_image"]

CELL_SEPARATOR = " | "
PDF_DPI = 200            # measured: as accurate as 300 dpi on 10 pt text, and half the time (REPORT.md)
_MAX_SIDE = 2400         # longest side fed to the engine: A4 at ~200 dpi; 300 dpi scans cost 2.5x for no gain
_POOR_SCORE = 0.75
# The detector sees the page with its longest side at most this: measured on generated letters, two-column,
# table and dense 7.5-9 pt pages (README, "Scanned pages"), 1280 px reads as well as 2400 px or better
# (fewer runs split mid-word) at less than half the time.
DET_SIDE = 1280       # mean run confidence under which the page is tried turned upside down

# The models inside the rapidocr 3.10 wheel (site-packages/rapidocr/models); a frozen build must carry them.
_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
           "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}

Quad = list[tuple[float, float]]
Fragment = tuple[Quad, str, float]          # one text run as an engine returns it


@dataclass(frozen=True)
class OcrLine:
    """A visual line (or table row) and where its text sits in ``OcrPage.text``."""

    text: str
    box: tuple[int, int, int, int]
    start: int
    end: int
    paragraph: int


@dataclass
class OcrPage:
    """The text of one page in reading order, with the words and lines that make it up."""

    text: str
    words: list[ScanWord]
    width: int
    height: int
    lines: list[OcrLine] = field(default_factory=list)
    rotation: int = 0   # degrees the page was turned clockwise to read it upright


# ---------------------------------------------------------------------------- engine


@functools.lru_cache(maxsize=1)
def _rapidocr() -> object:
    """The RapidOCR engine, built once per process with the models inside its wheel."""
    # ONNX Runtime 1.32 queues usage telemetry (1DS, Microsoft's collector) in ~/.cache/Microsoft and
    # uploads it when it can; a tool for personal data must not. The variable must be set before the
    # first session is created; users can't turn it back on, by design.
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    from rapidocr import RapidOCR

    models = Path(importlib.util.find_spec("rapidocr").origin).parent / "models"
    params: dict[str, object] = {"Global.log_level": "error", "Global.max_side_len": _MAX_SIDE,
                                 "Det.limit_type": "max", "Det.limit_side_len": DET_SIDE}
    # Naming the files makes RapidOCR skip its download step (which it would try for a missing model).
    for task, name in _MODELS.items():
        if not (models / name).is_file():
            raise DeskError(f"the OCR model {name} is missing from this installation ({models})")
        params[f"{task}.model_path"] = str(models / name)
    return RapidOCR(params=params)


def rapidocr_engine(image: Image.Image) -> list[Fragment]:
    """Text runs of ``image`` found by RapidOCR (no direction classifier: orientation is decided per page)."""
    import numpy as np

    out = _rapidocr()(np.asarray(image.convert("RGB")), use_cls=False)
    if out.boxes is None or out.txts is None or out.scores is None:
        return []
    return [([(float(x), float(y)) for x, y in box], txt, float(score))
            for box, txt, score in zip(out.boxes.tolist(), out.txts, out.scores, strict=True) if txt.strip()]


# ---------------------------------------------------------------------------- orientation


def _turn_point(x: float, y: float, turn: int, w: int, h: int) -> tuple[float, float]:
    """Where a point of the page turned ``turn`` degrees clockwise lies on the original page (w x h)."""
    if turn == 90:      # turned page is h wide: (x, y) there is (y, h - 1 - x) here
        return y, h - 1 - x
    if turn == 180:
        return w - 1 - x, h - 1 - y
    if turn == 270:
        return w - 1 - y, x
    return x, y


_TRANSPOSE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


def _quality(frags: list[Fragment]) -> float:
    """Confidence weighted by characters read: a turned page reads fewer characters, less surely."""
    return sum(score * len(txt) for _, txt, score in frags)


def _vertical_share(frags: list[Fragment]) -> float:
    chars = sum(len(t) for _, t, _ in frags) or 1
    tall = sum(len(t) for q, t, _ in frags if _side(q, 1, 2) > 1.5 * _side(q, 0, 1) and len(t) > 2)
    return tall / chars


def _side(q: Quad, i: int, j: int) -> float:
    return math.dist(q[i], q[j])


def _read_upright(image: Image.Image) -> tuple[list[Fragment], int]:
    """Fragments in the frame of the upright page, and the turn (degrees clockwise) that made it upright."""
    frags = rapidocr_engine(image)
    mean = _quality(frags) / max(1, sum(len(t) for _, t, _ in frags))
    turns = [90, 270] if _vertical_share(frags) > 0.5 else [180] if mean < _POOR_SCORE else []
    best, best_turn = frags, 0
    for turn in turns:
        trial = rapidocr_engine(image.transpose(_TRANSPOSE[turn]))
        if _quality(trial) > _quality(best):
            best, best_turn = trial, turn
    return best, best_turn


# ---------------------------------------------------------------------------- layout


@dataclass
class _Run:
    """A text run straightened into the reading frame (deskewed, upright)."""

    text: str
    score: float
    quad: Quad            # in the original image
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


# The recogniser sometimes drops the space after a comma ("Smith,who"); in prose a comma or
# semicolon right before a letter is almost always that, and the name must stand as its own word.
_MISSING_SPACE = re.compile(r"([,;])(?=[^\W\d_])(\w)")
# A number run into the word after it: '17/06/2016Mosaic ID', 'from7 August', '(Overpayments)Team'
# (a postcode's 'WN5' and an e-mail's 'jo2@' are untouched: a capital and two lower-case letters follow)
_NUMBER_THEN_WORD = re.compile(r"(?<![@\w.])(\S*?(?:\d(?:st|nd|rd|th)?|\)))(?=[A-Z][a-z]{2,})")
# A field's label run into the value before it, where a form's wide gap was lost: 'Summer-RoseDOB:',
# 'D. PryceCountersigned:', 'Y9UPN:' (a name's own inner capital, 'McAllister:', is kept: _NAME_HEADS)
_GLUED_LABEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z](?:[A-Z]{1,4}|[a-z]{2,})(?:No)?:)")
_NAME_HEADS = frozenset("mc mac fitz de di da la le van von o".split())
# An abbreviation run into the name after it: 'DCMarcus King', 'FSWHope Green'
_GLUED_ACRONYM = re.compile(r"\b([A-Z]{2,4})(?=[A-Z][a-z]{2,})")
# A forename in capitals run into an O' or D' surname: 'FRANKO'CONNELL', 'JOHND'ARCY'
_GLUED_APOSTROPHE_NAME = re.compile(r"(?<=[A-Z]{2})(?=[OD]['’][A-Z]{2})")
# A date run into the time after it: '12/09/202311:00'
_DATE_THEN_NUMBER = re.compile(r"(\b\d{1,2}/\d{1,2}/\d{4})(?=\d)")
# A full stop run into the capitalised word after it: 'S.B.Ref: CS-24', 'was done.The tenant', 'Mr.Smith'
_STOP_THEN_WORD = re.compile(r"(?:(?<=[a-z]{2})|(?<=[A-Z]))\.(?=[A-Z][a-z]{2,})")
# A word run into the number after it: 'from7', 'July2024', 'Wednesday15'
_WORD_THEN_NUMBER = re.compile(r"\b(from|on|to|by|at|since|until|dated|of|January|February|March|April|May|June|"
                               r"July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
                               r"Saturday|Sunday)(?=\d)")
# A form's label whose small word was run in: 'Dateof birth', 'Placeof work', 'Nameof child'
_LABEL_OF = re.compile(r"\b(Date|Place|Proof|Name|Certificate|Notice|Details|Country|Town)(of)\b")
# A spaced dash read without the space before it: 'Taslima Khatun- Tenancy Sustainment Officer'
_DASH_AFTER_WORD = re.compile(r"(?<=[^\W\d_]{2})[-–—] (?=[A-Z])")
# A label's colon run into its value: 'Mosaic ID:2209418', 'Ref:CS-24-08' (not a time, not 'https:')
_COLON_VALUE = re.compile(r"(?<=[A-Za-z]{2}):(?=[A-Za-z0-9])(?<!https:)(?<!http:)(?<!mailto:)")
# It also drops the space between a short word and a capitalised one ("withTomasz", "DearMrs",
# "MrsKowalczyk"), which would hide the name from detection. Inside a word, a lower-case letter
# followed by a capital and a lower-case letter is such a join when the part before it is a
# function word or a title; names keep theirs ("McAllister", "MacDonald", "DeVito", "O'Neill").
_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_GLUE_HEADS = {fold(t) for t in TITLES} | {"cllr", "prof", "sir", "dame", "lady", "lord", "rev", "revd", "dear"}


def _unglue(text: str) -> str:
    """``text`` with a space put back after a function word or title glued to a capitalised word."""
    words = []
    for word in text.split(" "):
        start, parts = 0, []
        for m in _JOIN.finditer(word):
            head = word[start:m.start()]
            if len(head) >= 2 and head.isalpha() and (fold(head) in FUNCTION_WORDS or fold(head) in _GLUE_HEADS):
                parts.append(head)
                start = m.start()
        words.append(" ".join([*parts, word[start:]]))
    return " ".join(words)


_KNOWN_ACRONYMS = ACRONYMS | frozenset(ROLE_ACRONYMS)


def _label_gap(m: re.Match[str]) -> str:
    head = re.search(r"[A-Za-z]+$", m.string[:m.start()])
    return "" if head and head.group().lower() in _NAME_HEADS else " "


def _split_glued(text: str) -> str:
    """``text`` with a space put back, word by word (an e-mail address left whole), wherever the
    engine ran together two things that are never one word: a number and a word, a label and the
    value before or after it, a full stop and the next sentence, a role's letters and a name."""
    out = []
    for word in text.split(" "):
        if "@" not in word:
            word = _NUMBER_THEN_WORD.sub(r"\1 ", word)
            word = _WORD_THEN_NUMBER.sub(r"\1 ", word)
            word = _COLON_VALUE.sub(": ", word)
            word = _STOP_THEN_WORD.sub(". ", word)
            word = _DATE_THEN_NUMBER.sub(r"\1 ", word)
            word = _GLUED_APOSTROPHE_NAME.sub(" ", word)
            word = _GLUED_LABEL.sub(_label_gap, word)
            word = _GLUED_ACRONYM.sub(lambda m: m.group(1) + (" " if m.group(1) in _KNOWN_ACRONYMS else ""), word)
        out.append(word)
    return " ".join(out)


def _repaired(text: str) -> str:
    """A run's text with the spaces the engine dropped put back (see the patterns above): a name
    glued to the word before it, a number to a word, a label to its value, a dash to its word."""
    text = _DASH_AFTER_WORD.sub(" - ", text.strip())
    text = _LABEL_OF.sub(r"\1 \2", text)
    return _unglue(_MISSING_SPACE.sub(r"\1 \2", _split_glued(text)))


def _skew(frags: list[Fragment]) -> float:
    """Median angle of the long runs' top edges: the page's skew, so rows are found on a straight page."""
    angles = [math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0]) for q, _, _ in frags
              if _side(q, 0, 1) > 3 * _side(q, 1, 2)]
    return statistics.median(angles) if angles else 0.0


def _runs(frags: list[Fragment], turn: int, size: tuple[int, int]) -> list[_Run]:
    angle = _skew(frags)
    cos, sin = math.cos(-angle), math.sin(-angle)
    w, h = size
    runs = []
    for quad, text, score in frags:
        pts = [(x * cos - y * sin, x * sin + y * cos) for x, y in quad]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        original = [_turn_point(x, y, turn, w, h) for x, y in quad]
        fixed = _repaired(text)
        runs.append(_Run(fixed, score, original, min(xs), min(ys), max(xs), max(ys)))
    return runs


def _rows(runs: list[_Run]) -> list[list[_Run]]:
    """Runs grouped into visual lines: a run joins the row whose centre is within half a line of its own."""
    height = statistics.median(r.h for r in runs)
    rows: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: r.yc):
        if rows and abs(run.yc - statistics.mean(r.yc for r in rows[-1])) < 0.5 * height:
            rows[-1].append(run)
        else:
            rows.append([run])
    return [sorted(row, key=lambda r: r.x0) for row in rows]


def _cells(row: list[_Run], gap: float) -> list[list[_Run]]:
    """Runs of a row split where the space between them is wider than ``gap`` (a gutter or a cell border)."""
    cells = [[row[0]]]
    for run in row[1:]:
        if run.x0 - max(r.x1 for r in cells[-1]) > gap:
            cells.append([run])
        else:
            cells[-1].append(run)
    return cells


@dataclass
class _Region:
    """Consecutive rows that share the same gutters: one column of prose, several columns, or a table."""

    rows: list[list[list[_Run]]] = field(default_factory=list)   # row -> cells -> runs
    gutters: list[tuple[float, float]] = field(default_factory=list)


def _span(cell: list[_Run]) -> tuple[float, float]:
    return min(r.x0 for r in cell), max(r.x1 for r in cell)


def _free(cells: list[list[_Run]]) -> list[tuple[float, float]]:
    """The stretches of a row with no text: before, between and after its cells."""
    spans = sorted(map(_span, cells))
    edges = [-math.inf] + [v for s in spans for v in s] + [math.inf]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2) if edges[i] < edges[i + 1]]


def _narrowed(gutters: list[tuple[float, float]], cells: list[list[_Run]],
              least: float) -> list[tuple[float, float]] | None:
    """Gutters shrunk to the free space this row leaves there; None when text runs across one of them."""
    free = _free(cells)
    out = []
    for g0, g1 in gutters:
        pieces = [(max(g0, a), min(g1, b)) for a, b in free if min(g1, b) - max(g0, a) >= least]
        if not pieces:
            return None
        out.append(max(pieces, key=lambda p: p[1] - p[0]))
    return out


def _regions(rows: list[list[_Run]], gap: float) -> list[_Region]:
    regions: list[_Region] = []
    for row in rows:
        cells = _cells(row, gap)
        current = regions[-1] if regions else None
        narrowed = _narrowed(current.gutters, cells, gap / 4) if current is not None and current.gutters else None
        if current is not None and narrowed is not None:
            current.gutters = narrowed
            current.rows.append(cells)
        elif len(cells) > 1:
            gutters = [(_span(a)[1], _span(b)[0]) for a, b in zip(cells, cells[1:], strict=False)]
            regions.append(_Region([cells], gutters))
        elif current is not None and not current.gutters:
            current.rows.append(cells)
        else:
            regions.append(_Region([cells]))
    return regions


def _column(cell: list[_Run], gutters: list[tuple[float, float]]) -> int:
    centre = sum(_span(cell)) / 2
    return sum(1 for g0, g1 in gutters if centre > (g0 + g1) / 2)


def _is_table(region: _Region) -> bool:
    """Three or more columns, or short cells: a table. Two columns of long lines: prose columns."""
    if len(region.gutters) >= 2:
        return True
    lengths = [sum(len(r.text) for r in cell) for row in region.rows for cell in row]
    return len(region.rows) < 2 or statistics.median(lengths) < 20


# A "line" of output: its runs as (run, text) with the separator to put before each.
_OutLine = list[tuple[str, _Run]]


def _blocks(regions: list[_Region]) -> list[list[tuple[float, _OutLine]]]:
    """Each region as blocks of output lines in reading order, every line with its y for paragraph gaps."""
    blocks: list[list[tuple[float, _OutLine]]] = []
    for region in regions:
        if not region.gutters:
            blocks.append([(statistics.mean(r.yc for c in row for r in c),
                            [(" ", r) for c in row for r in c]) for row in region.rows])
        elif _is_table(region):
            lines = []
            for row in region.rows:
                line: _OutLine = []
                for cell in row:
                    for k, run in enumerate(cell):
                        line.append((CELL_SEPARATOR if k == 0 and line else " ", run))
                lines.append((statistics.mean(r.yc for c in row for r in c), line))
            blocks.append(lines)
        else:
            for col in range(len(region.gutters) + 1):
                lines = [(statistics.mean(r.yc for r in cell), [(" ", r) for r in cell])
                         for row in region.rows for cell in row if _column(cell, region.gutters) == col]
                if lines:
                    blocks.append(lines)
    return blocks


# ---------------------------------------------------------------------------- words


_NARROW = set("ijlI.,;:'!|()[]{}tf-\"`")
_WIDE = set("mwMW@%")


def _glyph_width(ch: str) -> float:
    """A rough advance width in ems: enough to place a word's box within a few pixels on a line of prose."""
    if ch == " ":
        return 0.28
    if ch in _NARROW:
        return 0.3
    if ch in _WIDE:
        return 0.85
    if ch.isupper() or ch.isdigit():
        return 0.65 if ch.isupper() else 0.5
    return 0.5


def _split_words(run: _Run) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The words of a run with boxes cut from its quadrilateral in proportion to their glyph widths."""
    text = run.text
    total = sum(_glyph_width(c) for c in text) or 1.0
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = run.quad   # top-left, top-right, bottom-right, bottom-left
    out = []
    pos = 0.0
    i = 0
    while i < len(text):
        if text[i] == " ":
            pos += _glyph_width(" ")
            i += 1
            continue
        j = i
        while j < len(text) and text[j] != " ":
            j += 1
        f0 = pos / total
        pos += sum(_glyph_width(c) for c in text[i:j])
        f1 = pos / total
        pts = [(ax + (bx - ax) * f, ay + (by - ay) * f) for f in (f0, f1)]
        pts += [(dx + (cx - dx) * f, dy + (cy - dy) * f) for f in (f0, f1)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        out.append((text[i:j], (math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys)))))
        i = j
    return out


# ---------------------------------------------------------------------------- page


def _assemble(blocks: list[list[tuple[float, _OutLine]]], width: int, height: int, turn: int) -> OcrPage:
    pitches = [b[k + 1][0] - b[k][0] for b in blocks for k in range(len(b) - 1)]
    pitch = statistics.median(pitches) if pitches else 0.0
    parts: list[str] = []
    words: list[ScanWord] = []
    lines: list[OcrLine] = []
    offset = 0
    paragraph = 0

    def put(s: str) -> None:
        nonlocal offset
        parts.append(s)
        offset += len(s)

    for b, block in enumerate(blocks):
        for k, (y, out_line) in enumerate(block):
            if lines:
                new_para = k == 0 or (pitch and y - block[k - 1][0] > 1.45 * pitch)
                put("\n\n" if new_para else "\n")
                paragraph += 1 if new_para else 0
            line_start = offset
            boxes = []
            for sep_i, (sep, run) in enumerate(out_line):
                if sep_i:
                    put(sep)
                for w_i, (word, box) in enumerate(_split_words(run)):
                    if w_i:
                        put(" ")
                    words.append(ScanWord(word, box, run.score, offset, offset + len(word)))
                    boxes.append(box)
                    put(word)
            lines.append(OcrLine("".join(parts)[line_start:], (min(x[0] for x in boxes), min(x[1] for x in boxes),
                                                                max(x[2] for x in boxes), max(x[3] for x in boxes)),
                                 line_start, offset, paragraph))
        del b
    return OcrPage("".join(parts), words, width, height, lines, turn)


def read_image(image: Image.Image) -> OcrPage:
    """OCR one page image."""
    frags, turn = _read_upright(image)
    if not frags:
        return OcrPage("", [], image.width, image.height, [], turn)
    runs = _runs(frags, turn, image.size)
    height = statistics.median(r.h for r in runs)
    regions = _regions(_rows(runs), gap=1.2 * height)
    return _assemble(_blocks(regions), image.width, image.height, turn)


# ---------------------------------------------------------------------------- sources of page images


#: The largest page decoded, in pixels: a page at 600 dpi is 35 million. Pillow's own guard is set
#: to it too, so it refuses an image of twice this before decoding a pixel.
MAX_PIXELS = 60_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[Image.Image]:
    """``Image.open(path)``, with every way an image file can fail as one ``InputError``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)   # refused in one line instead
            with Image.open(path) as img:
                yield img
    except Image.DecompressionBombError:
        raise InputError(f"the image is over {2 * MAX_PIXELS // 1_000_000} million pixels; images over "
                         f"{MAX_PIXELS // 1_000_000} million pixels a page are not read", path) from None
    except UnidentifiedImageError:
        raise InputError("is not an image this program can read (PNG, JPEG or TIFF)", path) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"the image is damaged ({exc})", path) from None


def _check_size(image: Image.Image, path: Path) -> None:
    if image.width * image.height > MAX_PIXELS:
        raise InputError(f"the image is {image.width} x {image.height} pixels "
                         f"({image.width * image.height / 1e6:.0f} million); images over "
                         f"{MAX_PIXELS // 1_000_000} million pixels a page are not read", path)


def image_page_count(path: str | Path) -> int:
    """How many pages an image file holds, from its header: no pixel is decoded, and a first
    page too large to decode is refused here."""
    path = Path(path)
    with _opened(path) as img:
        _check_size(img, path)
        return int(getattr(img, "n_frames", 1))


def load_image_pages(path: str | Path) -> Iterator[Image.Image]:
    """Every page of a PNG, JPEG or (multi-page) TIFF, one at a time, turned upright by its EXIF
    orientation and stretched to square pixels."""
    path = Path(path)
    with _opened(path) as img:
        for frame in ImageSequence.Iterator(img):
            _check_size(frame, path)   # (a later page of a TIFF may be larger than the first)
            page = ImageOps.exif_transpose(frame.copy())
            page = page.convert("L") if page.mode not in ("L", "RGB") else page
            yield square_pixels(page, frame.info.get("dpi"))


def square_pixels(image: Image.Image, dpi: object) -> Image.Image:
    """``image`` stretched to square pixels when its resolution differs across and down.

    A fax in "normal" mode is 204 x 98 dpi: every letter is half as tall as it is wide, and
    the recogniser misreads names (measured: 2 of 4 read, against 4 of 4 once stretched)."""
    try:
        x, y = (float(v) for v in dpi)   # type: ignore[union-attr]
    except (TypeError, ValueError):
        return image
    if x <= 0 or y <= 0 or abs(x - y) / max(x, y) < 0.2:
        return image
    high = max(x, y)
    return image.resize((round(image.width * high / x), round(image.height * high / y)), Image.Resampling.LANCZOS)


def pdf_page_images(path: str | Path, pages: list[int] | None = None, dpi: int = PDF_DPI) -> Iterator[Image.Image]:
    """The pages of a PDF (all, or the 0-based ``pages``) rendered as greyscale images at ``dpi``."""
    import pypdfium2 as pdfium

    path = Path(path)
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise InputError(f"the PDF cannot be opened ({exc})", path) from None
    try:
        for index in range(len(pdf)) if pages is None else pages:
            page = pdf[index]
            try:
                yield page.render(scale=dpi / 72, grayscale=True).to_pil()
            finally:
                page.close()
    finally:
        pdf.close()
