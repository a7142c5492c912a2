#!/usr/bin/env bash
# The installer part of CI (.ci/run, after the test suite): install PyInstaller, build the frozen
# app and the .deb from this checkout, install the .deb into a scratch root, run the installed
# self-test (offscreen and on Xvfb), remove it; then the offline bundle: a build with a small model
# and a kiosk configuration inside, whose frozen self-test must find and run the model and whose
# `kiosk-check` must find the configuration. Prints how long each part took.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
t0=$(date +%s)
lap() { echo "== [installer CI] $1: $(( $(date +%s) - t0 )) s since start" >&2; }

.venv/bin/pip install -q -e ".[build]"
lap "PyInstaller installed"

rm -rf build/build dist/MoEscope dist/moescope_*.deb
DEB="$(installer/linux/build-deb.sh | tail -n 1)"
lap "frozen folder and .deb built ($(du -sh dist/MoEscope | cut -f1) folder, $(du -h "$DEB" | cut -f1) .deb)"

installer/linux/test-deb.sh "$DEB"
lap "the .deb installed, self-tested and removed in a scratch root"

# Offline bundle: build.spec's MOESCOPE_BUNDLE_MODEL, checked on the frozen folder (no second .deb).
BUNDLE_TMP="$(mktemp -d)"
trap 'rm -rf "$BUNDLE_TMP"' EXIT
.venv/bin/python -m app make-demo-model "$BUNDLE_TMP/kiosk-demo.gguf" --arch deepseek2 --layers 3 \
    --dense-leading 1 --experts 8 --top-k 2 >/dev/null
PIN_HASH="$(.venv/bin/python -c 'from app.core.kiosk.pin import hash_pin; print(hash_pin("24681357"))')"
printf '[kiosk]\nmodel = "kiosk-demo.gguf"\nexamples = ["Eins?", "Zwei?", "Drei?"]\npin_hash = "%s"\n' "$PIN_HASH" \
    > "$BUNDLE_TMP/event.toml"
MOESCOPE_BUNDLE_MODEL="$BUNDLE_TMP/kiosk-demo.gguf" MOESCOPE_BUNDLE_KIOSK="$BUNDLE_TMP/event.toml" \
    .venv/bin/python -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$BUNDLE_TMP/dist" --workpath "$BUNDLE_TMP/work" build.spec >&2
"$BUNDLE_TMP/dist/MoEscope/moescope" --self-test --no-window | tee "$BUNDLE_TMP/report.txt"
grep -q "^OK    bundled model kiosk-demo.gguf:" "$BUNDLE_TMP/report.txt" || {
    echo "installer CI: the bundled model was not found or did not run" >&2; exit 1; }
MOESCOPE_DATA_DIR="$BUNDLE_TMP/data" "$BUNDLE_TMP/dist/MoEscope/moescope" kiosk-check | tee "$BUNDLE_TMP/kiosk.txt"
grep -q "^OK: .*bundled-models/kiosk.toml (model .*kiosk-demo.gguf" "$BUNDLE_TMP/kiosk.txt" || {
    echo "installer CI: the bundled kiosk configuration was not found" >&2; exit 1; }
lap "offline bundle built and self-tested"
