#!/usr/bin/env bash
# Re-renders decision-closing-page.png: a completed decision's closing page (Analysis, Agreed
# action, Final decision). new-decision -> the investigator's own paragraphs and the filled-in
# placeholders (a short Python step standing in for the editor) -> draft --final (refuses while
# anything is left to fill) -> PDF (LibreOffice) -> from the page with "Agreed action" to the end
# as PNG (poppler's pdftoppm), side by side (Qt).
# The case (Harrowfield, 24 011 873) is the fictional sample case, not a published decision.
# Needs: libreoffice-writer-nogui, poppler-utils, fonts-liberation2 (Arial metrics).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m desk_app.core.decision.commands new-decision \
    --org "Harrowfield Metropolitan Borough Council" --ref "24 011 873" \
    --category "Children's care services > Child protection" --outcome upheld --stage final \
    --date "12 Nov 2025" -o "$tmp/case.decision.json"
.venv/bin/python - "$tmp/case.decision.json" <<'PY'
import sys

from desk_app.core.decision import Paragraph, load_decision, save_decision
from desk_app.core.decision.completeness import filled_changes

path = sys.argv[1]
decision = load_decision(path)
decision.summary = ("Mrs X complained about the Council’s assessment of her son and the time it took to answer "
                    "her complaint. We found fault causing injustice. The Council has agreed to apologise, make "
                    "a payment and improve its procedure.")
decision.section("complaint").add(Paragraph(
    "Mrs X complains the Council did not carry out a child and family assessment of her son, B, properly and "
    "shared it with his school before she had seen it. She also complains the Council took eleven weeks to "
    "answer her complaint."))
found = decision.section("found")
for text in ("The Council started the assessment after a referral from B’s school in November 2023. The social "
             "worker visited the family twice.",
             "The Council accepts it shared the assessment with the school before the family had seen it."):
    found.add(Paragraph(text))
analysis = decision.section("analysis")
analysis.add(Paragraph("The Council shared the assessment with B’s school before Mrs X had seen it. This was "
                       "fault. It denied Mrs X the chance to correct it and caused her avoidable distress."))
analysis.add(Paragraph("Mrs X complained on 4 January 2024. The Council’s procedure says it will reply within "
                       "20 working days, but it did not reply until 21 March 2024. This delay was fault."))
values = {
    "complainant": "Mrs X",
    "the fault and the injustice it caused": "sharing the assessment early and for the delay in answering her "
                                             "complaint",
    "£ amount": "£250",
    "the service improvement, e.g. review its procedure for …": "review its procedure for sharing assessments, "
    "so families see an assessment before it goes to other agencies,",
}
for paragraph in decision.paragraphs():
    changes = filled_changes(paragraph, values)
    if changes:
        paragraph.edit(**changes)
save_decision(decision, path)
PY
.venv/bin/python -m desk_app.core.decision.commands draft --final "$tmp/case.decision.json" -o "$tmp/case.docx"
soffice "-env:UserInstallation=file://$tmp/profile" --headless --convert-to pdf --outdir "$tmp" "$tmp/case.docx" \
    >/dev/null
pages=$(pdfinfo "$tmp/case.pdf" | awk '/^Pages:/ {print $2}')
# the closing sections start on the page with "Agreed action"; show it and the pages after it
first=$(for p in $(seq 1 "$pages"); do
    if pdftotext -f "$p" -l "$p" "$tmp/case.pdf" - | grep -q "^Agreed action"; then echo "$p"; break; fi
done)
pdftoppm -r 80 -gray -png -f "$first" -l "$pages" "$tmp/case.pdf" "$tmp/page"
QT_QPA_PLATFORM=offscreen .venv/bin/python - "$tmp" resources/screenshots/decision-closing-page.png <<'PY'
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

app = QGuiApplication([])
pages = [QImage(str(p)) for p in sorted(Path(sys.argv[1]).glob("page*.png"))]
gap = 16
sheet = QImage(sum(p.width() for p in pages) + gap * (len(pages) + 1), max(p.height() for p in pages) + 2 * gap,
               QImage.Format.Format_Grayscale8)
sheet.fill(QColor("#9a9a9a"))
painter = QPainter(sheet)
x = gap
for page in pages:
    painter.drawImage(x, gap, page)
    x += page.width() + gap
painter.end()
sheet.save(sys.argv[2])
PY
echo "wrote resources/screenshots/decision-closing-page.png (pages $first-$pages of $pages)"
