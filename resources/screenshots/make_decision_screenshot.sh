#!/usr/bin/env bash
# Re-renders decision-23-005-338-page1.png: seed fixture -> .docx (Decision Desk) -> PDF
# (LibreOffice, a second consumer of the file) -> page 1 as PNG (poppler's pdftoppm).
# Needs: libreoffice-writer-nogui, poppler-utils, fonts-liberation2 (Arial metrics).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m desk_app.core.decision.commands draft \
    tests/data/decisions/seed-23-005-338.decision.json -o "$tmp/decision-23-005-338.docx"
soffice "-env:UserInstallation=file://$tmp/profile" --headless --convert-to pdf \
    --outdir "$tmp" "$tmp/decision-23-005-338.docx" >/dev/null
pdftoppm -r 100 -gray -png -f 1 -l 1 -singlefile "$tmp/decision-23-005-338.pdf" "$tmp/page1"
mv "$tmp/page1.png" resources/screenshots/decision-23-005-338-page1.png
echo "wrote resources/screenshots/decision-23-005-338-page1.png"
