"""Test scans made from known text, so OCR tests can compare what was read with what was printed.

Everything is drawn with Pillow at test time from fonts that ship with the OS (DejaVu,
Liberation); nothing is downloaded and no binary image is checked in. A page is A4 at
``dpi`` with 10-11 pt text, the size of a real letter on a flatbed scanner. ``degrade``
adds what a scanner or phone does to a page: slight rotation, blur, noise, JPEG artefacts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = [
    "NAMES", "Scan", "degrade", "find_font", "letter", "mixed_pdf", "multipage_tiff", "page_of_lines", "photographed",
    "table", "two_column",
]

A4_MM = (210, 297)
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts",
              "C:/Windows/Fonts")
_FONT_FILES = {
    (False, False): ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf", "times.ttf"),
    (False, True): ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf", "timesbd.ttf"),
    (True, False): ("LiberationSans-Regular.ttf", "DejaVuSans.ttf", "arial.ttf"),
    (True, True): ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf", "arialbd.ttf"),
}

# The people in the test pages: the OCR must read every one exactly, since they are what gets redacted.
NAMES = ["Agnieszka Kowalczyk", "Oluwaseun Adebayo", "Renée Fitzgerald", "Hamish McAllister",
         "Priya Raghunathan", "Tomasz Wiśniewski", "Siobhan O'Connell", "Daniel Okonkwo-Hughes"]


@dataclass
class Scan:
    """A page image and the text printed on it (lines in reading order; "" between paragraphs)."""

    image: Image.Image
    lines: list[str]
    names: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def find_font(size_px: int, sans: bool = False, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A TrueType font of the OS at ``size_px``; Pillow's own scalable default when none is found."""
    for name in _FONT_FILES[(sans, bold)]:
        for folder in _FONT_DIRS:
            for path in Path(folder).rglob(name) if Path(folder).is_dir() else ():
                return ImageFont.truetype(str(path), size_px)
    return ImageFont.load_default(size_px)


def _page(dpi: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    w, h = (round(mm / 25.4 * dpi) for mm in A4_MM)
    img = Image.new("L", (w, h), 255)
    return img, ImageDraw.Draw(img)


def _pt(points: float, dpi: int) -> int:
    return round(points / 72 * dpi)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.ImageFont, width: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels, as a word processor would set a paragraph."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


_LETTER_BODY = [
    "Thank you for your letter of 3 March about the tenancy at 14 Alder Road. We have now reviewed "
    "the file with {b}, who visited the property on 11 February and spoke with the neighbours.",
    "The inspection found damp in the rear bedroom and a faulty boiler. The landlord, {c}, has agreed "
    "to complete the repairs within twenty eight days. If the work is not done by then, please call "
    "our office and quote reference HX-2291-B.",
    "We enclose a copy of the report. Please keep it with your records, as the tribunal may ask for it "
    "when the hearing is listed later this year.",
]


def letter(dpi: int = 200, names: tuple[str, str, str, str] | None = None) -> Scan:
    """A one-page letter: sender block top right, address block, date, salutation, paragraphs, signature."""
    a, b, c, d = names or (NAMES[0], NAMES[1], NAMES[2], NAMES[3])
    img, draw = _page(dpi)
    font = find_font(_pt(11, dpi))
    bold = find_font(_pt(11, dpi), bold=True)
    margin = round(25 / 25.4 * dpi)
    line_h = _pt(15, dpi)
    width = img.width - 2 * margin
    y = margin
    lines: list[str] = []
    for text in ["Northfield Housing Advice", "2 Mill Lane", "Leeds LS6 2QT"]:
        x = img.width - margin - round(draw.textlength(text, font=bold))
        draw.text((x, y), text, font=bold, fill=0)
        lines.append(text)
        y += line_h
    lines.append("")
    y += line_h
    for text in [f"Mrs {a}", "Flat 3, 27 Harrow Street", "Bradford BD1 4RS"]:
        draw.text((margin, y), text, font=font, fill=0)
        lines.append(text)
        y += line_h
    y += line_h
    lines += ["", "17 March 2025", "", f"Dear Mrs {a.split()[-1]},", ""]
    draw.text((margin, y), "17 March 2025", font=font, fill=0)
    y += 2 * line_h
    draw.text((margin, y), f"Dear Mrs {a.split()[-1]},", font=font, fill=0)
    y += 2 * line_h
    for para in _LETTER_BODY:
        for text in _wrap(draw, para.format(b=b, c=c), font, width):
            draw.text((margin, y), text, font=font, fill=0)
            lines.append(text)
            y += line_h
        lines.append("")
        y += line_h
    for text in ["Yours sincerely,", "", d, "Caseworker"]:
        if text:
            draw.text((margin, y), text, font=font, fill=0)
        lines.append(text)
        y += line_h if text else 2 * line_h
    return Scan(img, lines, [a, b, c, d])


_COLUMN_TEXT = [
    "Our volunteers met {a} at the drop-in centre on Tuesday. She asked about the new rules for "
    "council tax support and whether her son can stay with her over the summer.",
    "The second meeting was with {b}, who runs the food bank. He reported that demand has doubled "
    "since the winter and that more drivers are needed on Saturdays.",
    "At the March meeting the committee agreed to open the centre two extra evenings each week. "
    "The treasurer, {c}, will apply to the city fund for the extra heating costs.",
    "Finally, {d} thanked everyone who helped with the spring clean of the garden. New benches "
    "will be installed in May, and the mural will be finished by the art group in June.",
]


def two_column(dpi: int = 200) -> Scan:
    """A newsletter page: a full-width title, then two columns that must be read one after the other."""
    a, b, c, d = NAMES[4], NAMES[5], NAMES[6], NAMES[7]
    img, draw = _page(dpi)
    font = find_font(_pt(10.5, dpi), sans=True)
    title = find_font(_pt(18, dpi), sans=True, bold=True)
    margin = round(20 / 25.4 * dpi)
    gutter = round(10 / 25.4 * dpi)
    col_w = (img.width - 2 * margin - gutter) // 2
    line_h = _pt(14, dpi)
    draw.text((margin, margin), "Community Newsletter Spring Edition", font=title, fill=0)
    lines = ["Community Newsletter Spring Edition", ""]
    top = margin + _pt(40, dpi)
    paras = [p.format(a=a, b=b, c=c, d=d) for p in _COLUMN_TEXT]
    for col, chunk in enumerate((paras[:2], paras[2:])):
        x = margin + col * (col_w + gutter)
        y = top
        for para in chunk:
            for text in _wrap(draw, para, font, col_w):
                draw.text((x, y), text, font=font, fill=0)
                lines.append(text)
                y += line_h
            lines.append("")
            y += line_h
    return Scan(img, lines[:-1], [a, b, c, d])


_TABLE_ROWS = [
    ("Name", "Role", "Phone", "Visits"),
    (NAMES[0], "Tenant", "0113 496 0123", "4"),
    (NAMES[3], "Landlord", "0113 496 0456", "2"),
    (NAMES[4], "Surveyor", "0113 496 0789", "1"),
    (NAMES[7], "Caseworker", "0113 496 0999", "6"),
]


def table(dpi: int = 200) -> Scan:
    """A ruled table with a bold header row; read row by row, cells joined by " | "."""
    img, draw = _page(dpi)
    font = find_font(_pt(10.5, dpi), sans=True)
    bold = find_font(_pt(10.5, dpi), sans=True, bold=True)
    margin = round(20 / 25.4 * dpi)
    widths = [0.38, 0.22, 0.26, 0.14]
    total = img.width - 2 * margin
    xs = [margin]
    for frac in widths:
        xs.append(xs[-1] + round(frac * total))
    row_h = _pt(24, dpi)
    y0 = margin + _pt(40, dpi)
    draw.text((margin, margin), "Contacts for case HX-2291-B", font=bold, fill=0)
    lines = ["Contacts for case HX-2291-B", ""]
    pad = _pt(6, dpi)
    for r, row in enumerate(_TABLE_ROWS):
        y = y0 + r * row_h
        for c, cell in enumerate(row):
            draw.text((xs[c] + pad, y + pad), cell, font=bold if r == 0 else font, fill=0)
        lines.append(" | ".join(row))
    width = max(1, dpi // 100)
    for r in range(len(_TABLE_ROWS) + 1):
        draw.line([(xs[0], y0 + r * row_h), (xs[-1], y0 + r * row_h)], fill=0, width=width)
    for x in xs:
        draw.line([(x, y0), (x, y0 + len(_TABLE_ROWS) * row_h)], fill=0, width=width)
    return Scan(img, lines, [row[0] for row in _TABLE_ROWS[1:]])


def page_of_lines(lines: list[str], dpi: int = 200, sans: bool = False) -> Scan:
    """One page with ``lines`` set exactly as given (no wrapping of its own, runs of spaces kept
    as the gaps of a form), 10.5 pt, one line a row: a case note as a text layer or a typist left it."""
    img, draw = _page(dpi)
    font = find_font(_pt(10.5, dpi), sans=sans)
    margin, step = _pt(54, dpi), _pt(14, dpi)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * step), line, font=font, fill=0)
    return Scan(img, lines)


def degrade(image: Image.Image, *, angle: float = 1.5, blur: float = 0.7, noise: float = 0.01,
            gauss: float = 12.0, jpeg_quality: int | None = 45, seed: int = 0) -> Image.Image:
    """What a cheap scanner does to a page: skew, soft focus, speckle, sensor noise, JPEG blocks."""
    rng = np.random.default_rng(seed)
    out = image.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    px = np.asarray(out, dtype=np.float32)
    if gauss:
        px = px + rng.normal(0.0, gauss, px.shape)
    if noise:
        speck = rng.random(px.shape)
        px[speck < noise / 2] = 0
        px[speck > 1 - noise / 2] = 255
    out = Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), "L")
    if jpeg_quality:
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=jpeg_quality)
        out = Image.open(io.BytesIO(buf.getvalue()))
        out.load()
    return out


def photographed(image: Image.Image, keystone: float = 0.06, seed: int = 0) -> Image.Image:
    """The page as a phone photographs it from below its middle: the top edge narrower than the
    bottom (perspective), light falling off to one side, a grey table around it, JPEG."""
    w, h = image.size
    dst = [(w * keystone, h * 0.02), (w * (1 - keystone), 0), (w, h), (0, h * 0.98)]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
    coeffs = np.linalg.solve(np.array(rows, float), np.array(src, float).reshape(8))
    warped = image.convert("L").transform((w, h), Image.Transform.PERSPECTIVE, tuple(coeffs),
                                          Image.Resampling.BICUBIC, fillcolor=120)
    light = np.linspace(0.55, 1.0, w)[None, :] * np.linspace(0.8, 1.0, h)[:, None]
    lit = Image.fromarray((np.asarray(warped, float) * light).clip(0, 255).astype("uint8")).convert("RGB")
    buf = io.BytesIO()
    lit.save(buf, "JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def multipage_tiff(path: Path, images: list[Image.Image]) -> Path:
    """A multi-page TIFF, as fax software and office scanners write."""
    first, *rest = [im.convert("L") for im in images]
    first.save(path, "TIFF", save_all=True, append_images=rest, compression="tiff_deflate")
    return path


def mixed_pdf(path: Path, text_lines: list[str], image: Image.Image, dpi: int = 200) -> Path:
    """A PDF whose page 1 has a real text layer and page 2 is only a scanned picture."""
    from pypdf import PdfReader, PdfWriter

    from tests.helpers.ingest_factories import make_pdf  # a real Helvetica text layer

    text_pdf = PdfReader(io.BytesIO(make_pdf([text_lines])))
    buf = io.BytesIO()
    image.convert("L").save(buf, "PDF", resolution=dpi)
    image_pdf = PdfReader(io.BytesIO(buf.getvalue()))
    writer = PdfWriter()
    writer.add_page(text_pdf.pages[0])
    writer.add_page(image_pdf.pages[0])
    with open(path, "wb") as f:
        writer.write(f)
    return path
