#!/usr/bin/env bash
# Builds the offline laptop bundle: a one-folder PyInstaller build of desk-app.
#
#   bash packaging/build.sh [BUNDLE_DIR]      default: dist/desk-app
#
# Uses the project's .venv (bash .ci/setup installs PyInstaller with the "build" extra).
# PyInstaller's work files go to a temporary folder (or $DESK_APP_BUILD_WORK) that is removed
# afterwards, so a build leaves nothing in the repository but BUNDLE_DIR. An existing
# BUNDLE_DIR is replaced. Prints the bundle's size last.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV_PY="$REPO/.venv/bin/python"
if ! "$VENV_PY" -c 'import PyInstaller' 2>/dev/null; then
    echo "error: PyInstaller is not installed in .venv; run: .venv/bin/python -m pip install -e '.[build]' (or: bash .ci/setup)" >&2
    exit 1
fi
for tool in ldd objdump objcopy strip; do   # PyInstaller's Linux build runs these (objdump, objcopy: binutils)
    command -v "$tool" >/dev/null 2>&1 || { echo "error: PyInstaller needs '$tool' (apt-get install binutils)" >&2; exit 1; }
done
BUNDLE=${1:-"$REPO/dist/desk-app"}
mkdir -p "$(dirname "$BUNDLE")"
BUNDLE=$(cd "$(dirname "$BUNDLE")" && pwd)/$(basename "$BUNDLE")
DIST=$(dirname "$BUNDLE")
if [ -n "${DESK_APP_BUILD_WORK:-}" ]; then
    WORK=$DESK_APP_BUILD_WORK
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/desk-app-build.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
fi

# Analysis imports onnxruntime (the OCR engine), which otherwise writes usage telemetry into
# ~/.cache/Microsoft on import; the app sets the same variable at start (desk_app.netguard).
export ORT_DISABLE_TELEMETRY=1

started=$(date +%s)
# The spec reads the bundle's folder name from the environment; the executable is always desk-app.
DESK_APP_BUNDLE_NAME=$(basename "$BUNDLE") "$VENV_PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" "$REPO/packaging/desk_app.spec"
elapsed=$(( $(date +%s) - started ))

test -x "$BUNDLE/desk-app" || { echo "error: $BUNDLE/desk-app was not built" >&2; exit 1; }

# Debug information: spaCy's, thinc's, blis's and Python's own shared objects carry about
# 150 MB of it, which nothing on a laptop reads. Only that section is removed (strip
# --strip-debug; symbols stay), and only from files that have it, so libraries that wheels
# patched with patchelf (numpy.libs, Qt) are left byte for byte as they are.
before=$(du -sm "$BUNDLE" | cut -f1)
while IFS= read -r -d '' elf; do
    sections=$(objdump -h "$elf" 2>/dev/null || true)   # not piped into grep -q: pipefail + SIGPIPE
    if [[ $sections == *" .debug_info "* ]]; then
        strip --strip-debug "$elf"
    fi
done < <(find "$BUNDLE" -type f \( -name '*.so' -o -name '*.so.*' \) -print0)
echo "debug information stripped: ${before} MB -> $(du -sm "$BUNDLE" | cut -f1) MB"
echo "built $BUNDLE in ${elapsed} s"
du -sh "$BUNDLE"
