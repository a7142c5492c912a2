"""Compute the Depends line of the MoEscope .deb from what the frozen folder's ELF files need.

    python3 installer/linux/debdeps.py dist/MoEscope

Every shared library that a file of the folder needs (DT_NEEDED) and that the folder does not
contain itself must come from the system; LIBRARY_PACKAGES names its Debian package (the table lives
in app/core/system_libs.py, which also names the packages to a user whose system lacks them). A
library missing from that table stops the build with a message naming it and the file that needs
it, so a new system dependency cannot slip into a release unnoticed. The minimum versions of libc6
and libstdc++6 follow from the newest symbol versions the folder's files reference.

Standard library only: runs with any Python 3, with objdump (binutils) on the PATH for the symbol
versions.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.system_libs import GLIBC, LIBRARY_PACKAGES, elf_dynamic  # noqa: E402  (needs the path above)

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
        for name in elf_dynamic(path)[0]:
            if name not in bundled:
                needed.setdefault(name, []).append(path)
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
            "LIBRARY_PACKAGES in app/core/system_libs.py:\n" + "\n".join(lines)
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
