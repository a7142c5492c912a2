"""The system libraries the window needs on Linux, which of them are missing, and their packages.

On Linux the window draws through the "xcb" platform plugin of the installed PySide6
(``PySide6/Qt/plugins/platforms/libqxcb.so``). When a system library that the plugin, or a Qt library
it loads (libQt6XcbQpa, libQt6Gui ...), needs is missing, Qt prints "could not load the Qt platform
plugin", with at most a hint at libxcb-cursor (given even where that one is installed and others are
missing), and aborts the process. ``window_libraries_message`` looks before the QApplication exists
and names every missing library, its Debian/Ubuntu package and the apt command that installs them:
the "not found" lines of ``ldd`` on the plugin, or where ldd is absent or fails, a walk of the ELF
files' DT_NEEDED entries through their run paths, LD_LIBRARY_PATH, the folders of /etc/ld.so.conf and
the built-in ones. It costs about 10 ms (one ldd run) at every start of the window, and nothing where
Qt will not use xcb (QT_QPA_PLATFORM=offscreen, a Wayland session). libxcb-cursor is found the same
way: Qt 6.11's plugin links it rather than opening it at run time.

``LIBRARY_PACKAGES`` is the one table from a system library to its Debian package;
installer/linux/debdeps.py computes the .deb's Depends from it. Qt-free and standard library only,
so that debdeps.py can import this module under the build machine's plain python3.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Mapping
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

# Qt's translations need a QApplication, and these messages are for when none can be created: they
# carry their own two languages, chosen by language().
MESSAGES = {
    "en": {
        "missing": "MoEscope cannot open its window: these system libraries are missing\n"
                   '(Qt\'s platform plugin "xcb" needs them):',
        "package": "package {package}",
        "no_package": "package unknown",
        "install": "On Debian or Ubuntu, install them with:",
        "again": "Then start moescope again.",
        "failed": "MoEscope cannot open its window: Qt could not start a platform plugin\n"
                  "(the lines above give Qt's reason). Is a desktop session running here, with\n"
                  "DISPLAY or WAYLAND_DISPLAY set? Over SSH, connect with ssh -X.\n"
                  "moescope --self-test checks this installation without a window.",
    },
    "de": {
        "missing": "MoEscope kann sein Fenster nicht öffnen: Diese Systembibliotheken fehlen\n"
                   '(das Qt-Plattform-Plugin "xcb" braucht sie):',
        "package": "Paket {package}",
        "no_package": "Paket unbekannt",
        "install": "Unter Debian oder Ubuntu installieren Sie sie mit:",
        "again": "Starten Sie moescope danach erneut.",
        "failed": "MoEscope kann sein Fenster nicht öffnen: Qt konnte kein Plattform-Plugin starten\n"
                  "(den Grund nennt Qt in den Zeilen darüber). Läuft hier eine Desktop-Sitzung,\n"
                  "mit gesetztem DISPLAY oder WAYLAND_DISPLAY? Über SSH verbinden Sie sich mit ssh -X.\n"
                  "moescope --self-test prüft diese Installation ohne Fenster.",
    },
}

DT_NULL, DT_NEEDED, DT_RPATH, DT_RUNPATH = 0, 1, 15, 29
SHT_DYNAMIC = 6
BUILT_IN_LIBRARY_DIRS = ("/lib64", "/usr/lib64", "/lib", "/usr/lib")


def language(lang: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """ "de" or "en": ``lang`` (the --lang option) if given, else from LC_ALL, LC_MESSAGES or LANG."""
    if lang is None:
        lang = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), "")
    return "de" if lang.startswith("de") else "en"


def uses_xcb(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether Qt will start its xcb platform plugin: on Linux, QT_QPA_PLATFORM unset or "xcb".

    Without QT_QPA_PLATFORM, Qt 6 tries Wayland first where WAYLAND_DISPLAY is set or
    XDG_SESSION_TYPE is "wayland", so xcb is only its fallback there.
    """
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0] == "xcb"
    return "WAYLAND_DISPLAY" not in environ and environ.get("XDG_SESSION_TYPE") != "wayland"


def xcb_plugin() -> Path | None:
    """The installed PySide6's xcb platform plugin, found without importing PySide6; None if absent."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def parse_ldd(output: str) -> list[str]:
    """The libraries that ``ldd`` output reports as "not found", each once, in its order."""
    missing = []
    for line in output.splitlines():
        name, arrow, where = line.strip().partition(" => ")
        if arrow and where.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def ldd_missing(path: Path) -> list[str] | None:
    """What ``ldd path`` reports as not found; None if there is no ldd or it fails without an answer."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        result = subprocess.run(
            [ldd, str(path)], capture_output=True, text=True, errors="replace", timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    missing = parse_ldd(result.stdout)
    return missing if missing or result.returncode == 0 else None


def elf_dynamic(path: Path) -> tuple[list[str], list[str]]:
    """The DT_NEEDED names of an ELF file and the folders of its run path (DT_RUNPATH, else DT_RPATH).

    Reads the section headers, the dynamic section and the string table it links to. Raises
    ValueError for a file that is not ELF, OSError for one that cannot be read.
    """
    with open(path, "rb") as handle:
        header = handle.read(64)
        if len(header) < 52 or header[:4] != b"\x7fELF":
            raise ValueError(f"{path} is not an ELF file")
        wide, order = header[4] == 2, "<" if header[5] == 1 else ">"
        # e_shoff, then e_shentsize and e_shnum, where ELFCLASS64 and ELFCLASS32 headers keep them
        (section_offset,) = struct.unpack_from(order + ("Q" if wide else "I"), header, 40 if wide else 32)
        entry_size, count = struct.unpack_from(order + "HH", header, 58 if wide else 46)
        handle.seek(section_offset)
        table = handle.read(entry_size * count)
        layout = order + ("IIQQQQIIQQ" if wide else "IIIIIIIIII")
        sections = [struct.unpack_from(layout, table, i * entry_size) for i in range(count)]
        dynamic = next((section for section in sections if section[1] == SHT_DYNAMIC), None)
        if dynamic is None:
            return [], []
        strings_section = sections[dynamic[6]]
        handle.seek(dynamic[4])
        entries = handle.read(dynamic[5])
        handle.seek(strings_section[4])
        strings = handle.read(strings_section[5])
    entry = order + ("qQ" if wide else "iI")
    usable = len(entries) - len(entries) % struct.calcsize(entry)
    needed, rpath, runpath = [], [], []
    for tag, value in struct.iter_unpack(entry, entries[:usable]):
        if tag == DT_NULL:
            break
        if tag in (DT_NEEDED, DT_RPATH, DT_RUNPATH):
            text = strings[value:strings.find(b"\0", value)].decode(errors="replace")
            if tag == DT_NEEDED:
                needed.append(text)
            else:
                (rpath if tag == DT_RPATH else runpath).extend(part for part in text.split(":") if part)
    return needed, runpath or rpath


def _ld_so_conf(path: Path) -> list[str]:
    """The folders listed in an ld.so.conf file, following its ``include`` lines."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    folders = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line.startswith("include "):
            pattern = line.split(None, 1)[1]
            for included in sorted(glob.glob(str(path.parent / pattern))):
                folders += _ld_so_conf(Path(included))
        elif line:
            folders.append(line)
    return folders


def library_dirs(environ: Mapping[str, str] = os.environ) -> list[str]:
    """Where the dynamic loader looks after an object's run path: LD_LIBRARY_PATH, the folders
    ld.so.cache is built from (/etc/ld.so.conf), the built-in folders."""
    folders = [folder for folder in environ.get("LD_LIBRARY_PATH", "").split(":") if folder]
    folders += _ld_so_conf(Path("/etc/ld.so.conf")) + list(BUILT_IN_LIBRARY_DIRS)
    return list(dict.fromkeys(folders))


def elf_missing(path: Path, folders: list[str]) -> list[str]:
    """The libraries ``path`` needs, directly or through the libraries it needs, that are neither in
    the run path of the file needing them nor in ``folders``; in the order they were met."""
    missing: list[str] = []
    found: set[str] = set()
    pending = [path]
    while pending:
        current = pending.pop()
        try:
            needed, run_path = elf_dynamic(current)
        except (OSError, ValueError):
            continue
        origin = str(current.parent)
        search = [folder.replace("${ORIGIN}", origin).replace("$ORIGIN", origin) for folder in run_path]
        for name in needed:
            if name in found or name in missing:
                continue
            hits = (Path(folder, name) for folder in search + folders if Path(folder, name).exists())
            hit = next(hits, None)
            if hit is None:
                missing.append(name)
            else:
                found.add(name)
                pending.append(hit)
    return missing


def missing_libraries(plugin: Path) -> list[str]:
    """Every library that ``plugin`` needs, directly or not, and that cannot be found, sorted.

    ``ldd`` answers (it looks exactly as the loader will); where it is absent or fails, the ELF walk.
    """
    missing = ldd_missing(plugin)
    if missing is None:
        missing = elf_missing(plugin, library_dirs())
    return sorted(set(missing))


def apt_package(library: str) -> str | None:
    """The package to name in an apt command for ``library``; None if the table does not know it.

    Of alternatives ("new | old") the old name: on the releases that renamed a package the new one
    provides the old name, so apt installs it for that name too.
    """
    package = LIBRARY_PACKAGES.get(library)
    return package.split("|")[-1].strip() if package else None


def missing_libraries_message(missing: list[str], lang: str) -> str:
    """The text that names the ``missing`` libraries, their packages and the apt command, in ``lang``."""
    text = MESSAGES[lang]
    packages = [apt_package(name) for name in missing]
    width = max(len(name) for name in missing)
    lines = [text["missing"]]
    for name, package in zip(missing, packages):
        what = text["package"].format(package=package) if package else text["no_package"]
        lines.append(f"  {name:<{width}}  ({what})")
    known = sorted({package for package in packages if package})
    if known:
        lines += [text["install"], "  sudo apt install " + " ".join(known)]
    lines.append(text["again"])
    return "\n".join(lines)


def window_libraries_message(lang: str | None = None, environ: Mapping[str, str] = os.environ) -> str | None:
    """What to print instead of opening the window when Qt's xcb plugin lacks system libraries.

    None where nothing is missing, Qt will not use xcb, or PySide6 has no xcb plugin. ``lang`` is the
    --lang option, if any.
    """
    plugin = xcb_plugin() if uses_xcb(environ) else None
    missing = missing_libraries(plugin) if plugin else []
    return missing_libraries_message(missing, language(lang, environ)) if missing else None


def platform_failure_message(lang: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """What to print when Qt could not start a platform plugin after all (Qt then ends the process).

    Names the missing libraries if Qt tried xcb and its plugin lacks any (Qt falls back to xcb when
    Wayland fails, which window_libraries_message does not check beforehand); else asks whether
    there is a display.
    """
    platforms = (environ.get("QT_QPA_PLATFORM") or "xcb").split(";")
    tried_xcb = sys.platform.startswith("linux") and any(p.split(":")[0] == "xcb" for p in platforms)
    plugin = xcb_plugin() if tried_xcb else None
    missing = missing_libraries(plugin) if plugin else []
    lang = language(lang, environ)
    return missing_libraries_message(missing, lang) if missing else MESSAGES[lang]["failed"]
