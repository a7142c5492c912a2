"""Compute the Depends line of the MoEscope .deb from what the frozen folder's ELF files need.

    python3 installer/linux/debdeps.py dist/MoEscope

Every shared library that a file of the folder needs (DT_NEEDED) and that the folder does not
contain itself must come from the system; LIBRARY_PACKAGES names its Debian package. A library
missing from that table stops the build with a message naming it and the file that needs it, so a
new system dependency cannot slip into a release unnoticed. The minimum versions of libc6 and
libstdc++6 follow from the newest symbol versions the folder's files reference.

Standard library only: runs with any Python 3, with objdump (binutils) on the PATH.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GLIBC = "libc6"
LIBRARY_PACKAGES = {
    # glibc
    "libc.so.6": GLIBC,
    "libm.so.6": GLIBC,
    "libdl.so.2": GLIBC,
    "libpthread.so.0": GLIBC,
    "librt.so.1": GLIBC,
    "libutil.so.1": GLIBC,
    "libresolv.so.2": GLIBC,
    "ld-linux-x86-64.so.2": GLIBC,
    "ld-linux-aarch64.so.1": GLIBC,
    # the C++ runtime: taken from the system on purpose (build.spec, LINUX_SYSTEM_LIBS)
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    # graphics: OpenGL/EGL through libglvnd, X11 (xcb) and Wayland
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-util.so.1": "libxcb-util1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    # fonts, D-Bus, GLib: taken from the system on purpose (build.spec, LINUX_SYSTEM_LIBS)
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    # Ubuntu 24.04 renamed GLib's package in the 64-bit time_t transition
    "libglib-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libz.so.1": "zlib1g",
}
# The first GCC whose libstdc++ provides a GLIBCXX_3.4.N symbol version, by N (Debian's versions).
GLIBCXX_GCC = {29: "11", 30: "12", 31: "13", 32: "13.2", 33: "14"}


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with open(path, "rb") as handle:
            if handle.read(4) == b"\x7fELF":
                found.append(path)
    return found


def _objdump(flag: str, path: Path) -> str:
    return subprocess.run(["objdump", flag, str(path)], capture_output=True, text=True, check=False).stdout


def system_libraries(folder: Path) -> dict[str, list[Path]]:
    """Library name -> the folder's files that need it, for every library the folder lacks."""
    files = elf_files(folder)
    bundled = {path.name for path in folder.rglob("*") if path.is_file() or path.is_symlink()}
    needed: dict[str, list[Path]] = {}
    for path in files:
        for line in _objdump("-p", path).splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "NEEDED" and parts[1] not in bundled:
                needed.setdefault(parts[1], []).append(path)
    return needed


def _max_version(pattern: str, files: list[Path]) -> tuple[int, ...] | None:
    best = None
    for path in files:
        for match in re.finditer(pattern, _objdump("-T", path)):
            version = tuple(int(n) for n in match.group(1).split("."))
            best = version if best is None or version > best else best
    return best


def depends(folder: Path, extra: list[str] | None = None) -> str:
    """The Depends field for ``folder``; raises SystemExit naming any library without a package."""
    needed = system_libraries(folder)
    unknown = {name: users for name, users in needed.items() if name not in LIBRARY_PACKAGES}
    if unknown:
        lines = [
            f"  {name} (needed by {users[0].relative_to(folder)})" for name, users in sorted(unknown.items())
        ]
        raise SystemExit(
            "debdeps: no Debian package known for these system libraries; add them to "
            "LIBRARY_PACKAGES in installer/linux/debdeps.py:\n" + "\n".join(lines)
        )
    packages = sorted({LIBRARY_PACKAGES[name] for name in needed} | set(extra or []))
    files = elf_files(folder)
    versions = {}
    glibc = _max_version(r"GLIBC_(\d+\.\d+(?:\.\d+)?)\b", files)
    if glibc and GLIBC in packages:
        versions[GLIBC] = ".".join(map(str, glibc))
    glibcxx = _max_version(r"GLIBCXX_(3\.4\.\d+)\b", files)
    if glibcxx and "libstdc++6" in packages and glibcxx[2] in GLIBCXX_GCC:
        versions["libstdc++6"] = GLIBCXX_GCC[glibcxx[2]]
    return ", ".join(f"{name} (>= {versions[name]})" if name in versions else name for name in packages)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not Path(argv[1]).is_dir():
        print("usage: debdeps.py FROZEN_FOLDER [EXTRA_PACKAGE ...]", file=sys.stderr)
        return 2
    print(depends(Path(argv[1]), argv[2:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
