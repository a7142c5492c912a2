"""Missing system libraries are named before the window opens (app/core/system_libs.py).

The check runs on the installed PySide6's xcb plugin (ldd and the pure-Python ELF reader must agree
on it, whatever this machine lacks), on a small library built with gcc that needs a library nowhere
to be found, and through ``python -m app`` with an ``ldd`` on the PATH that answers as on a Debian 12
without libxcb-cursor0, libxcb-icccm4 and libxcb-keysyms1. No test opens a window.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.core import system_libs

ROOT = Path(__file__).resolve().parents[1]
MISSING = "libmoescope-missing.so.1"

# ldd's answer for PySide6 6.11's xcb plugin on a Debian 12 without libxcb-cursor0, libxcb-icccm4 and
# libxcb-keysyms1 (shortened: ldd lists each library once more for libQt6XcbQpa, and 40 more).
DEBIAN12_LDD = """\
\tlinux-vdso.so.1 (0x00007ffd6b5f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f1c2a3e1000)
\tlibQt6Gui.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6Gui.so.6 (0x00007f1c29800000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f1c2a351000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f1c2a2fe000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f1c2a2ef000)
\tlibxcb-image.so.0 => /lib/x86_64-linux-gnu/libxcb-image.so.0 (0x00007f1c2a2e9000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-randr.so.0 => /lib/x86_64-linux-gnu/libxcb-randr.so.0 (0x00007f1c297ef000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1c2961e000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f1c2a4e2000)
"""
DEBIAN12_MISSING = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def installed_plugin() -> Path:
    plugin = system_libs.xcb_plugin()
    assert plugin is not None, "the installed PySide6 has no xcb platform plugin"
    return plugin


def objdump_dynamic(path: Path, tag: str) -> list[str]:
    objdump = shutil.which("objdump")
    assert objdump, "objdump is needed for this test: install binutils"
    output = subprocess.run([objdump, "-p", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[1] for line in output.splitlines() if line.split()[:1] == [tag]]


@pytest.fixture(scope="module")
def needs_missing(tmp_path_factory) -> Path:
    """A shared library named like the xcb plugin whose DT_NEEDED holds MISSING, which exists nowhere."""
    gcc = shutil.which("gcc")
    assert gcc, "gcc is needed for this test (and to install MoEscope at all)"
    folder = tmp_path_factory.mktemp("elf")
    source = folder / "empty.c"
    source.write_text("int moescope_test(void) { return 0; }\n")
    stub = folder / MISSING
    plugin = folder / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    plugin.parent.mkdir(parents=True)
    for command in (
        [gcc, "-shared", "-fPIC", "-o", str(stub), str(source), f"-Wl,-soname,{MISSING}"],
        [gcc, "-shared", "-fPIC", "-o", str(plugin), str(source), "-Wl,--no-as-needed", str(stub)],
    ):
        subprocess.run(command, check=True)
    stub.unlink()
    (folder / "PySide6" / "__init__.py").write_text("")  # shadows the real PySide6 for find_spec
    return plugin


def path_with_ldd(folder: Path, answer: str) -> str:
    """PATH with ``folder`` first, which holds an ``ldd`` that prints ``answer`` whatever it is asked."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answer.txt").write_text(answer)
    ldd = folder / "ldd"
    ldd.write_text(f"#!/bin/sh\ncat '{folder / 'answer.txt'}'\n")
    ldd.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def window_environment(tmp_path: Path, lang: str = "C.UTF-8", **changes: str) -> dict[str, str]:
    """This environment as a desktop user's: no offscreen Qt (conftest.py sets it), no Wayland."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG=lang, HOME=str(tmp_path / "home"), **changes)
    return env


def start_window(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "--no-demo", "--models-dir", str(tmp_path / "models"), *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )


# --- the installed plugin -------------------------------------------------------------------------


def test_ldd_and_the_elf_reader_agree_on_the_installed_plugin():
    plugin = installed_plugin()
    by_ldd = system_libs.ldd_missing(plugin)
    by_elf = system_libs.elf_missing(plugin, system_libs.library_dirs())
    assert by_ldd is not None
    assert sorted(by_ldd) == sorted(by_elf)
    assert system_libs.missing_libraries(plugin) == sorted(by_ldd)


def test_parse_ldd_reads_the_real_output_of_the_installed_plugin():
    ldd = subprocess.run(["ldd", str(installed_plugin())], capture_output=True, text=True, check=True)
    output = ldd.stdout
    missing = system_libs.parse_ldd(output)
    for line in output.splitlines():
        name, arrow, where = line.strip().partition(" => ")
        if arrow:
            assert (name in missing) == (where == "not found"), line
            assert name in missing or Path(where.split(" (")[0]).exists(), line


def test_elf_reader_reads_what_objdump_reads():
    plugin = installed_plugin()
    for path in (plugin, plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6"):
        needed, run_path = system_libs.elf_dynamic(path)
        assert needed == objdump_dynamic(path, "NEEDED")
        assert run_path == [part for entry in objdump_dynamic(path, "RUNPATH") for part in entry.split(":")]
    with pytest.raises(ValueError, match="not an ELF file"):
        system_libs.elf_dynamic(Path(system_libs.__file__))


def test_the_plugin_links_libxcb_cursor_so_the_check_sees_it():
    # Qt's own message names only libxcb-cursor, which Qt 6.11 links rather than opening at run time;
    # were it ever opened only at run time, the check would have to look for it by name.
    plugin = installed_plugin()
    assert "libxcb-cursor.so.0" in system_libs.elf_dynamic(plugin)[0]
    assert "libxcb-cursor.so.0" in system_libs.elf_dynamic(plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6")[0]


def test_every_system_library_of_the_plugin_has_a_package():
    plugin = installed_plugin()
    qt_libraries = {path.name for path in (plugin.parents[2] / "lib").iterdir()}
    for path in (plugin, plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6"):
        system = [name for name in system_libs.elf_dynamic(path)[0] if name not in qt_libraries]
        assert [name for name in system if name not in system_libs.LIBRARY_PACKAGES] == []


# --- a library that needs one nowhere to be found -------------------------------------------------


def test_ldd_and_the_elf_reader_name_a_library_that_exists_nowhere(needs_missing):
    assert system_libs.ldd_missing(needs_missing) == [MISSING]
    assert system_libs.elf_missing(needs_missing, system_libs.library_dirs()) == [MISSING]


def test_without_ldd_the_elf_reader_answers(needs_missing, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert system_libs.ldd_missing(needs_missing) is None
    assert system_libs.missing_libraries(needs_missing) == [MISSING]


def test_the_window_names_a_missing_library_and_exits_with_2(needs_missing, tmp_path):
    env = window_environment(tmp_path, PYTHONPATH=str(needs_missing.parents[4]))  # its PySide6 first
    result = start_window(env, tmp_path)
    assert result.returncode == 2, result.stderr
    assert MISSING in result.stderr and "package unknown" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "models").exists()  # nothing happened before the check


# --- what the user reads --------------------------------------------------------------------------


def test_parse_ldd_of_a_debian_12_without_the_xcb_packages():
    assert system_libs.parse_ldd(DEBIAN12_LDD) == DEBIAN12_MISSING


@pytest.mark.parametrize(
    ("lang", "args", "phrases"),
    [
        ("C.UTF-8", (), ["cannot open its window", "On Debian or Ubuntu, install them with:"]),
        ("de_DE.UTF-8", (), ["kann sein Fenster nicht öffnen", "Unter Debian oder Ubuntu installieren"]),
        ("de_DE.UTF-8", ("--lang", "en"), ["cannot open its window"]),
    ],
)
def test_the_window_names_every_missing_library_and_the_apt_command(tmp_path, lang, args, phrases):
    env = window_environment(tmp_path, lang, PATH=path_with_ldd(tmp_path / "bin", DEBIAN12_LDD))
    result = start_window(env, tmp_path, *args)
    assert result.returncode == 2, result.stderr
    for library in DEBIAN12_MISSING:
        assert library in result.stderr
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr
    assert not (tmp_path / "models").exists()


def test_when_qt_fails_anyway_the_window_explains_and_exits_with_2(tmp_path):
    # ldd finds nothing missing, but there is no X server to connect to (and here, maybe, libraries
    # are missing after all): Qt gives up on its platform plugin and would abort the process.
    nothing_missing = "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1c2961e000)\n"
    path = path_with_ldd(tmp_path / "bin", nothing_missing)
    env = window_environment(tmp_path, QT_QPA_PLATFORM="xcb", PATH=path)
    env.pop("DISPLAY", None)
    result = start_window(env, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Qt could not start a platform plugin" in result.stderr
    assert "DISPLAY or WAYLAND_DISPLAY" in result.stderr


def test_message_names_packages_and_only_known_ones_in_the_apt_command():
    missing = [*DEBIAN12_MISSING, "libglib-2.0.so.0", MISSING]
    message = system_libs.missing_libraries_message(missing, "en")
    assert re.search(r"^  libxcb-icccm\.so\.4 +\(package libxcb-icccm4\)$", message, re.MULTILINE)
    assert f"  {MISSING}  (package unknown)" in message
    # GLib's package was renamed on Ubuntu 24.04; the new one provides the old name.
    apt = "  sudo apt install libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"
    assert message.splitlines()[-2] == apt
    assert "apt" not in system_libs.missing_libraries_message([MISSING], "de")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, True),
        ({"XDG_SESSION_TYPE": "x11"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "wayland"}, False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"XDG_SESSION_TYPE": "wayland"}, False),
        ({"XDG_SESSION_TYPE": "wayland", "QT_QPA_PLATFORM": "xcb"}, True),
    ],
)
def test_uses_xcb(environ, expected):
    assert system_libs.uses_xcb(environ) is (expected and sys.platform.startswith("linux"))


def test_offscreen_costs_no_check(monkeypatch):
    def fail(plugin):
        raise AssertionError("checked although Qt will not use xcb")

    monkeypatch.setattr(system_libs, "missing_libraries", fail)
    assert system_libs.window_libraries_message(environ={"QT_QPA_PLATFORM": "offscreen"}) is None


@pytest.mark.parametrize(
    ("lang", "environ", "expected"),
    [
        (None, {}, "en"),
        (None, {"LANG": "de_DE.UTF-8"}, "de"),
        (None, {"LANG": "de_AT.UTF-8", "LC_ALL": "C"}, "en"),
        (None, {"LANG": "en_US.UTF-8", "LC_MESSAGES": "de_CH.UTF-8"}, "de"),
        ("en", {"LANG": "de_DE.UTF-8"}, "en"),
        ("de", {}, "de"),
    ],
)
def test_language(lang, environ, expected):
    assert system_libs.language(lang, environ) == expected
