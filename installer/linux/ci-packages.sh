#!/usr/bin/env bash
# Debian/Ubuntu packages that the installer tests need, installed only where missing:
# makensis (NSIS script compiles), dpkg-deb and objdump (the .deb), desktop-file-validate, and Xvfb
# with the X11 libraries the frozen Qt needs beyond what PySide6's own tests already need (the
# installed self-test runs once more on a real X server). Used by .ci/run; needs root or sudo.
set -euo pipefail
PACKAGES=(nsis dpkg-dev binutils desktop-file-utils xvfb xauth
          libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libwayland-cursor0 libwayland-egl1)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
