"""The casenotes corpus as scans: each of its plain-text cases printed on A4 pages and scanned.

    python -m tests.helpers.scan_corpus OUT_DIR [--photo]

writes ``OUT_DIR/<case>.pdf`` (image-only pages: no text layer) for every ``t*.txt`` of
``../shared/eval/casenotes/cases``, and an empty ``OUT_DIR/stems/<case>.txt`` for each, so that
the corpus's own ``score.py OUT --subset-of OUT_DIR/stems`` scores just these. Lines are set as the
file has them (a long paragraph wraps at the margin, as a printer would; runs of spaces are kept),
in 10.5 pt serif or sans by turns, then skewed, blurred, speckled and JPEG-compressed like a cheap
office scanner (``scans.degrade``), or with ``--photo`` photographed in perspective. Nothing in the
corpus is changed; the scans are made anew each time from its text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.helpers.paths import REPO
from tests.helpers.scans import _page, _pt, _wrap, degrade, find_font, photographed

CASES = REPO.parent / "shared" / "eval" / "casenotes" / "cases"
DPI = 200


def pages_of(text: str, sans: bool):  # noqa: ANN201 - list of PIL images
    font = find_font(_pt(10.5, DPI), sans=sans)
    pages = []
    img, draw = _page(DPI)
    margin = _pt(60, DPI)
    width, step = img.width - 2 * margin, _pt(14, DPI)
    y = margin
    for para in text.split("\n"):
        for line in (_wrap(draw, para, font, width) if draw.textlength(para, font=font) > width else [para]):
            if y + step > img.height - margin:
                pages.append(img)
                img, draw = _page(DPI)
                y = margin
            draw.text((margin, y), line, font=font, fill=0)
            y += step
    pages.append(img)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--photo", action="store_true", help="photographed pages instead of scanned")
    args = parser.parse_args(argv)
    cases = sorted(CASES.glob("t*.txt"))
    if not cases:
        print(f"no casenotes cases in {CASES}", file=sys.stderr)
        return 1
    (args.out / "stems").mkdir(parents=True, exist_ok=True)
    for i, case in enumerate(cases):
        pages = pages_of(case.read_text(encoding="utf-8"), sans=i % 3 == 0)
        if args.photo:
            pages = [photographed(p, seed=i).convert("L") for p in pages]
        else:
            pages = [degrade(p, angle=(i % 5 - 2) * 0.6, seed=i) for p in pages]
        pages[0].save(args.out / f"{case.stem}.pdf", "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
        (args.out / "stems" / f"{case.stem}.txt").touch()
        print(f"{case.stem}: {len(pages)} page(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
