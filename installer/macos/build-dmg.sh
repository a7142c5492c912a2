#!/usr/bin/env bash
# Build MoEscope.app and MoEscope-<version>.dmg on a Mac, self-test both, and (with the certificates
# at hand) sign and notarise them. See installer/macos/README.md.
#
#   installer/macos/build-dmg.sh
#
# Environment:
#   PYTHON                  Python with MoEscope and PyInstaller installed (default .venv/bin/python)
#   MOESCOPE_BUNDLE_MODEL   GGUF file(s) to ship inside the app (offline bundle; see build.spec)
#   MACOS_SIGN_IDENTITY     "Developer ID Application: NAME (TEAMID)": sign app and dmg (else unsigned)
#   MACOS_NOTARY_PROFILE    keychain profile made with `xcrun notarytool store-credentials`:
#                           notarise and staple the dmg (needs MACOS_SIGN_IDENTITY)
# Prints the path of the .dmg on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)"
APP="$ROOT/dist/MoEscope.app"
DMG="$ROOT/dist/MoEscope-$VERSION.dmg"
IDENTITY="${MACOS_SIGN_IDENTITY:-}"

echo "== PyInstaller (build.spec -> dist/MoEscope.app)" >&2
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN build.spec >&2
[ -x "$APP/Contents/MacOS/MoEscope" ] || { echo "build-dmg: $APP was not built" >&2; exit 1; }

if [ -n "$IDENTITY" ]; then
    echo "== signing the app (hardened runtime)" >&2
    # Inside out: every library and executable first, then the bundle. --deep is not enough for
    # the Python extension modules PyInstaller puts under Contents/Frameworks.
    find "$APP/Contents" -type f \( -name "*.so" -o -name "*.dylib" \) -print0 |
        xargs -0 codesign --force --timestamp --options runtime --sign "$IDENTITY"
    codesign --force --timestamp --options runtime --entitlements installer/macos/entitlements.plist \
        --sign "$IDENTITY" "$APP"
    codesign --verify --strict --deep --verbose=2 "$APP" >&2
fi

echo "== self-test of the app" >&2
"$APP/Contents/MacOS/MoEscope" --self-test --report "$ROOT/dist/selftest-app.txt" >&2 ||
    { cat "$ROOT/dist/selftest-app.txt" >&2; exit 1; }

echo "== disk image" >&2
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "MoEscope $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG" >&2

if [ -n "$IDENTITY" ]; then
    codesign --force --timestamp --sign "$IDENTITY" "$DMG"
    if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
        echo "== notarising (minutes)" >&2
        xcrun notarytool submit "$DMG" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait >&2
        xcrun stapler staple "$DMG" >&2
        spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG" >&2
    fi
fi

echo "== self-test of the app inside the disk image" >&2
MOUNT="$(mktemp -d)"
hdiutil attach -nobrowse -readonly -mountpoint "$MOUNT" "$DMG" >&2
status=0
"$MOUNT/MoEscope.app/Contents/MacOS/MoEscope" --self-test >&2 || status=$?
hdiutil detach "$MOUNT" >&2 || hdiutil detach -force "$MOUNT" >&2
[ "$status" -eq 0 ] || { echo "build-dmg: the self-test inside the disk image failed" >&2; exit 1; }

echo "== $(du -h "$DMG" | cut -f1) $DMG" >&2
echo "$DMG"
