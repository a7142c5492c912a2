#!/usr/bin/env bash
# Build the MoEscope .deb: the frozen folder under /opt/moescope, `moescope` on the PATH, a desktop
# entry and icons, dependencies on the few system libraries it takes from the system; for kiosks a
# systemd user unit and an XDG autostart entry in /usr/share/moescope/ (installed, not enabled) and
# the administrator's guide in /usr/share/doc/moescope/kiosk.md.
#
#   installer/linux/build-deb.sh [FROZEN_FOLDER]
#
# Without FROZEN_FOLDER the folder is built first (PyInstaller, build.spec -> dist/MoEscope).
# Environment:
#   PYTHON                 the Python with MoEscope and PyInstaller installed (default .venv/bin/python)
#   MOESCOPE_BUNDLE_MODEL  GGUF file(s) to ship inside the package (offline bundle; see build.spec)
#   MOESCOPE_BUNDLE_KIOSK  a kiosk.toml to ship with them: the installed `moescope` starts the kiosk
#   DEB_OUT                folder for the .deb (default dist/)
#   DEB_COMPRESSION        dpkg-deb compressor: xz (default: smallest, about 90 s on two cores),
#                          zstd (2 s, 20% larger; dpkg >= 1.21.18 / Ubuntu >= 21.10), gzip or none
#                          (GGUF files barely compress: for big bundled models use zstd or none)
#   DEB_STAGE              scratch folder for the package tree (default build/deb)
# Prints the path of the .deb on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="${DEB_OUT:-$ROOT/dist}"
COMPRESSION="${DEB_COMPRESSION:-xz}"

if [ $# -ge 1 ]; then
    FROZEN="$(cd "$1" && pwd)"
else
    echo "== building the frozen folder (PyInstaller)" >&2
    "$PYTHON" -m PyInstaller --noconfirm --log-level WARN build.spec >&2
    FROZEN="$ROOT/dist/MoEscope"
fi
[ -x "$FROZEN/moescope" ] || { echo "build-deb: $FROZEN/moescope is missing" >&2; exit 1; }

VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)"
ARCH="$(dpkg --print-architecture)"
PACKAGE="moescope_${VERSION}_${ARCH}"
STAGE="${DEB_STAGE:-$ROOT/build/deb}/$PACKAGE"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/icons/hicolor/256x256/apps" \
         "$STAGE/usr/share/doc/moescope" "$STAGE/usr/share/moescope" "$OUT"

echo "== staging $PACKAGE" >&2
cp -a "$FROZEN" "$STAGE/opt/moescope"
# Relative, so that the launcher also works inside a scratch root (installer/linux/test-deb.sh).
ln -s ../../opt/moescope/moescope "$STAGE/usr/bin/moescope"
install -m 0644 installer/linux/moescope.desktop "$STAGE/usr/share/applications/moescope.desktop"
install -m 0644 resources/icons/moescope.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/moescope.svg"
install -m 0644 resources/icons/moescope.png "$STAGE/usr/share/icons/hicolor/256x256/apps/moescope.png"
# Kiosk at boot, for an administrator to enable (docs/kiosk.md): nothing here starts by itself.
install -m 0644 installer/linux/moescope-kiosk.service "$STAGE/usr/share/moescope/moescope-kiosk.service"
install -m 0644 installer/linux/moescope-kiosk.desktop "$STAGE/usr/share/moescope/moescope-kiosk.desktop"
install -m 0644 docs/kiosk.md "$STAGE/usr/share/doc/moescope/kiosk.md"
cat > "$STAGE/usr/share/doc/moescope/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: MoEscope
Comment: /opt/moescope bundles Python, Qt for Python (PySide6, LGPL-3.0), llama.cpp and
 llama-cpp-python (MIT), NumPy (BSD-3-Clause) and further libraries under their own licences.

Files: *
License: MIT
COPYRIGHT
# Files are root's in the package whoever builds it (--root-owner-group); modes must be sane.
chmod -R u+rwX,go+rX,go-w "$STAGE"

DEPENDS="$(python3 installer/linux/debdeps.py "$STAGE/opt/moescope")"
SIZE_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: moescope
Version: $VERSION
Architecture: $ARCH
Maintainer: MoEscope <moescope@users.noreply.github.com>
Installed-Size: $SIZE_KB
${DEPENDS:+Depends: $DEPENDS
}Section: science
Priority: optional
Description: local AI chat that shows which Mixture-of-Experts experts are used
 MoEscope runs a language model entirely on this computer (llama.cpp) and shows,
 token by token and layer by layer, which experts the router of a
 Mixture-of-Experts model picks and with what weight. Nothing typed or
 answered leaves the computer.
 .
 Run "moescope --self-test" to check an installation.
CONTROL

DEB="$OUT/$PACKAGE.deb"
echo "== dpkg-deb ($COMPRESSION)" >&2
dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$STAGE" "$DEB" >&2
echo "== $(du -h "$DEB" | cut -f1) $DEB (installed: $((SIZE_KB / 1024)) MB)" >&2
echo "$DEB"
