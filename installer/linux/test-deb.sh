#!/usr/bin/env bash
# Install a MoEscope .deb into a scratch root (never the machine itself), check what it put there,
# run the installed program's --self-test, remove the package and check that nothing is left.
#
#   installer/linux/test-deb.sh dist/moescope_<version>_<arch>.deb [SELF-TEST ARGS ...]
#
# dpkg runs with --root=SCRATCH and its own database there; the package's dependencies are system
# libraries that the scratch root does not have, so they are not enforced here (--force-depends):
# the installed program runs with this machine's libraries. Needs only dpkg; works as any user
# (--force-not-root), and the package has no maintainer scripts that would need a chroot.
# Extra arguments go to the self-test (e.g. --model FILE).
set -euo pipefail
DEB="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/moescope-deb-root.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

mkdir -p "$SCRATCH/var/lib/dpkg/info" "$SCRATCH/var/lib/dpkg/updates" "$SCRATCH/var/lib/dpkg/triggers" \
         "$SCRATCH/var/log"
touch "$SCRATCH/var/lib/dpkg/status" "$SCRATCH/var/lib/dpkg/available"
DPKG=(dpkg --root="$SCRATCH" --log="$SCRATCH/var/log/dpkg.log" --force-not-root --force-depends
      --force-script-chrootless)

echo "== control" && dpkg-deb --field "$DEB" Package Version Architecture Installed-Size Depends
if command -v apt-get >/dev/null && [ -n "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v lock)" ]; then
    # Whether this system's archive can satisfy the dependencies; a simulation changes nothing.
    apt-get -s -q install "$DEB" > "$SCRATCH/apt-simulation.log" 2>&1 || {
        cat "$SCRATCH/apt-simulation.log" >&2; fail "apt cannot satisfy the package's dependencies"; }
    echo "dependencies: satisfiable from this system's archive (apt-get -s)"
    rm "$SCRATCH/apt-simulation.log"
fi
echo "== installing into $SCRATCH"
"${DPKG[@]}" --install "$DEB" 2>&1 | grep -v "dependency problems\|depends on\|not installed\|^ *$" || true
status="$(dpkg-query --admindir="$SCRATCH/var/lib/dpkg" -W -f='${Status}' moescope)"
[ "$status" = "install ok installed" ] || fail "dpkg reports '$status' after installing"

for path in opt/moescope/moescope usr/bin/moescope usr/share/applications/moescope.desktop \
            usr/share/icons/hicolor/scalable/apps/moescope.svg usr/share/icons/hicolor/256x256/apps/moescope.png \
            usr/share/moescope/moescope-kiosk.service usr/share/moescope/moescope-kiosk.desktop \
            usr/share/doc/moescope/kiosk.md; do
    [ -e "$SCRATCH/$path" ] || fail "/$path is missing"
done
[ -x "$SCRATCH/usr/bin/moescope" ] || fail "/usr/bin/moescope is not executable"
for path in etc/xdg/autostart etc/systemd usr/lib/systemd; do  # the kiosk files are for an administrator to enable
    [ ! -e "$SCRATCH/$path" ] || fail "/$path exists: the package must not start anything by itself"
done
grep -q '^Exec=moescope' "$SCRATCH/usr/share/applications/moescope.desktop" || fail "desktop entry has no Exec=moescope"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$SCRATCH/usr/share/applications/moescope.desktop" || fail "desktop entry is not valid"
    desktop-file-validate "$SCRATCH/usr/share/moescope/moescope-kiosk.desktop" || fail "kiosk autostart entry is not valid"
    echo "desktop entries valid"
fi

echo "== installed self-test: /usr/bin/moescope --self-test $*"
# A fresh HOME: the installed program must not rely on anything of this user's.
HOME="$SCRATCH/home" XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_CACHE_HOME= \
    "$SCRATCH/usr/bin/moescope" --self-test "$@" || fail "the installed self-test failed"
if command -v xvfb-run >/dev/null; then
    # Again on a real X server (Xvfb), so that the xcb platform plugin and its libraries are used.
    echo "== installed self-test on X11 (xvfb-run, QT_QPA_PLATFORM=xcb)"
    HOME="$SCRATCH/home" XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_CACHE_HOME= QT_QPA_PLATFORM=xcb \
        xvfb-run -a "$SCRATCH/usr/bin/moescope" --self-test "$@" || fail "the installed self-test failed on X11"
fi
rm -rf "$SCRATCH/home"

echo "== removing"
"${DPKG[@]}" --purge moescope
left="$(cd "$SCRATCH" && find . -mindepth 1 \( -path ./var -prune \) -o -print)"
[ -z "$left" ] || fail "left behind after removal: $left"
dpkg-query --admindir="$SCRATCH/var/lib/dpkg" -W moescope >/dev/null 2>&1 && \
    [ -n "$(dpkg-query --admindir="$SCRATCH/var/lib/dpkg" -W -f='${Status}' moescope | grep -v not-installed)" ] && \
    fail "dpkg still lists moescope"
echo "test-deb: OK ($(basename "$DEB"): installed, self-test passed, removed cleanly)"
