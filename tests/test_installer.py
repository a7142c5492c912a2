"""The installer scripts, quickly: NSIS compiles, the .deb tools package and test a stand-in program.

The real thing (PyInstaller build, .deb, installed self-test in a scratch root) takes minutes and
runs in .ci/run after the test suite: installer/linux/build-deb.sh and installer/linux/test-deb.sh.
These tests need makensis (Debian: nsis), dpkg-deb and objdump (binutils); .ci/run installs them.
A missing tool fails the test with the package to install: set MOESCOPE_SKIP_INSTALLER_TESTS=1 to
skip them knowingly on a machine that cannot have them (a Mac, say).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "installer" / "linux"
NSIS_SCRIPT = ROOT / "installer" / "windows" / "moescope.nsi"
sys.path.insert(0, str(LINUX))

import debdeps  # noqa: E402 (from installer/linux, on the path just above)

from app import __version__  # noqa: E402


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("MOESCOPE_SKIP_INSTALLER_TESTS"):
        pytest.skip(f"{tool} missing, and MOESCOPE_SKIP_INSTALLER_TESTS is set")
    pytest.fail(
        f"{tool} is needed for this test: install the {package!r} package (apt-get install {package}); "
        ".ci/run does. Or set MOESCOPE_SKIP_INSTALLER_TESTS=1 to skip knowingly."
    )


# --- Windows: NSIS --------------------------------------------------------------------------------


def _stand_in_payload(folder: Path) -> Path:
    """A folder shaped like PyInstaller's Windows output: MoEscope.exe and _internal/."""
    (folder / "_internal" / "PySide6").mkdir(parents=True)
    (folder / "MoEscope.exe").write_bytes(b"MZ stand-in for the frozen MoEscope.exe")
    (folder / "_internal" / "python311.dll").write_bytes(b"MZ stand-in")
    (folder / "_internal" / "PySide6" / "stand-in-payload-marker.txt").write_text("marker")
    return folder


def test_nsis_script_compiles_with_a_stand_in_payload(tmp_path):
    makensis = need("makensis", "nsis")
    payload = _stand_in_payload(tmp_path / "payload")
    out = tmp_path / f"MoEscope-Setup-{__version__}.exe"
    # -WX: a warning is an error, so that the script stays clean.
    result = subprocess.run(
        [makensis, "-V4", "-WX", f"-DPAYLOAD={payload}", f"-DOUTFILE={out}", str(NSIS_SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert out.read_bytes()[:2] == b"MZ"
    log = result.stdout
    assert "stand-in-payload-marker.txt" in log  # the whole payload folder goes in
    assert "2 language tables" in log  # English and German, installer and uninstaller
    assert "Generating uninstaller" in log


def test_nsis_installer_is_per_user_with_shortcuts_and_uninstaller():
    script = NSIS_SCRIPT.read_text(encoding="utf-8-sig")
    assert "RequestExecutionLevel user" in script
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_NAME}"' in script
    assert "$SMPROGRAMS\\${APP_NAME}.lnk" in script and "$DESKTOP\\${APP_NAME}.lnk" in script
    assert 'WriteUninstaller "$INSTDIR\\Uninstall.exe"' in script
    assert '!insertmacro MUI_LANGUAGE "German"' in script and '!insertmacro MUI_LANGUAGE "English"' in script
    assert 'RMDir /r "$INSTDIR"' not in script  # never wipe a folder the user may have chosen


def test_nsis_takes_the_version_from_the_app(tmp_path):
    makensis = need("makensis", "nsis")
    payload = _stand_in_payload(tmp_path / "payload")
    probe = tmp_path / "probe.nsi"
    probe.write_text(f'!include "{NSIS_SCRIPT}"\n!echo "probe-version=${{VERSION}}"\n', encoding="utf-8")
    result = subprocess.run(
        [makensis, "-V4", f"-DPAYLOAD={payload}", f"-DOUTFILE={tmp_path / 'x.exe'}", str(probe)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert f"probe-version={__version__}" in result.stdout


# --- Linux: .deb ----------------------------------------------------------------------------------


def _stand_in_frozen(folder: Path, self_test_status: int = 0) -> Path:
    """A folder shaped like dist/MoEscope whose 'program' only answers --self-test."""
    (folder / "_internal" / "resources").mkdir(parents=True)
    program = folder / "moescope"
    program.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = "--self-test" ] && {{ echo "stand-in self-test"; exit {self_test_status}; }}\n'
        "exit 3\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    (folder / "_internal" / "resources" / "marker.txt").write_text("marker")
    return folder


def _build_deb(frozen: Path, tmp_path: Path) -> Path:
    env = {
        **os.environ,
        "DEB_OUT": str(tmp_path / "out"),
        "DEB_STAGE": str(tmp_path / "stage"),
        "DEB_COMPRESSION": "gzip",
    }
    result = subprocess.run(
        ["bash", str(LINUX / "build-deb.sh"), str(frozen)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    deb = Path(result.stdout.strip().splitlines()[-1])
    arch = subprocess.check_output(["dpkg", "--print-architecture"], text=True).strip()
    assert deb.name == f"moescope_{__version__}_{arch}.deb"
    return deb


def test_deb_holds_the_program_launcher_desktop_entry_and_icons(tmp_path):
    need("dpkg-deb", "dpkg")
    need("objdump", "binutils")
    deb = _build_deb(_stand_in_frozen(tmp_path / "MoEscope"), tmp_path)
    listing = subprocess.check_output(["dpkg-deb", "--contents", str(deb)], text=True)
    for path in (
        "./opt/moescope/moescope",
        "./opt/moescope/_internal/resources/marker.txt",
        "./usr/share/applications/moescope.desktop",
        "./usr/share/icons/hicolor/scalable/apps/moescope.svg",
        "./usr/share/icons/hicolor/256x256/apps/moescope.png",
        "./usr/share/doc/moescope/copyright",
        "./usr/share/doc/moescope/kiosk.md",
        "./usr/share/moescope/moescope-kiosk.service",
        "./usr/share/moescope/moescope-kiosk.desktop",
    ):
        assert path in listing, path
    assert "./usr/bin/moescope -> ../../opt/moescope/moescope" in listing
    assert all("root/root" in line for line in listing.splitlines())  # whoever builds it
    control = subprocess.check_output(["dpkg-deb", "--field", str(deb)], text=True)
    assert f"Version: {__version__}" in control and "Package: moescope" in control


def test_deb_installs_into_a_scratch_root_runs_the_self_test_and_goes_away(tmp_path):
    need("dpkg", "dpkg")
    need("objdump", "binutils")
    deb = _build_deb(_stand_in_frozen(tmp_path / "MoEscope"), tmp_path)
    result = subprocess.run(
        ["bash", str(LINUX / "test-deb.sh"), str(deb)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "stand-in self-test" in result.stdout
    assert "removed cleanly" in result.stdout


def test_deb_test_fails_when_the_installed_self_test_fails(tmp_path):
    need("dpkg", "dpkg")
    need("objdump", "binutils")
    deb = _build_deb(_stand_in_frozen(tmp_path / "MoEscope", self_test_status=1), tmp_path)
    result = subprocess.run(
        ["bash", str(LINUX / "test-deb.sh"), str(deb)], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "the installed self-test failed" in result.stderr


def test_desktop_entry_is_valid():
    entry = (LINUX / "moescope.desktop").read_text(encoding="utf-8").splitlines()
    assert (
        "Exec=moescope" in entry
        and "Icon=moescope" in entry
        and any(line.startswith("Comment[de]=") for line in entry)
    )
    validate = need("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run(
        [validate, str(LINUX / "moescope.desktop")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout + result.stderr


def _copy_elf(source: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / source.name)


def test_debdeps_maps_system_libraries_to_packages(tmp_path):
    need("objdump", "binutils")
    import app.core.engine._tapfilter as tapfilter

    _copy_elf(Path(tapfilter.__file__), tmp_path / "frozen")
    line = debdeps.depends(tmp_path / "frozen")
    assert line.startswith("libc6 (>= 2."), line


def test_debdeps_refuses_a_library_without_a_known_package(tmp_path):
    need("objdump", "binutils")
    llama_cpp = Path(importlib.util.find_spec("llama_cpp").origin).parent  # found, not loaded

    # libggml-cpu needs libggml-base (not copied along) and libgomp: neither is in the table.
    _copy_elf(llama_cpp / "lib" / "libggml-cpu.so", tmp_path / "frozen")
    with pytest.raises(SystemExit, match="libggml-base"):
        debdeps.depends(tmp_path / "frozen")


def test_debdeps_depends_on_every_system_library_the_xcb_plugin_needs(tmp_path):
    need("objdump", "binutils")
    from app.core.system_libs import LIBRARY_PACKAGES, xcb_plugin

    plugin = xcb_plugin()
    qt_lib = plugin.parents[2] / "lib"
    xcb_files = (plugin, qt_lib / "libQt6XcbQpa.so.6")
    frozen = tmp_path / "frozen"
    # A frozen folder that bundles none of the system libraries the xcb plugin needs (PyInstaller
    # bundles most of them from the build machine; any it leaves out, the .deb must depend on).
    # The plugin and libQt6XcbQpa as files; Qt's other libraries as links (bundled, but not read).
    _copy_elf(plugin, frozen / "PySide6" / "Qt" / "plugins" / "platforms")
    _copy_elf(xcb_files[1], frozen / "PySide6" / "Qt" / "lib")
    for path in qt_lib.iterdir():
        if not (frozen / "PySide6" / "Qt" / "lib" / path.name).exists():
            (frozen / "PySide6" / "Qt" / "lib" / path.name).symlink_to(path)
    depends = {item.split(" (")[0] for item in debdeps.depends(frozen).split(", ")}
    needed = {
        line.split()[1]
        for path in xcb_files
        for line in subprocess.check_output(["objdump", "-p", str(path)], text=True).splitlines()
        if line.split()[:1] == ["NEEDED"]
    }
    system = needed - {path.name for path in qt_lib.iterdir()}
    assert {LIBRARY_PACKAGES[name] for name in system} <= depends
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"} <= depends


# --- kiosk at boot and in the bundle --------------------------------------------------------------


def _unit(path: Path) -> dict[str, dict[str, str]]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return {section: dict(parser[section]) for section in parser.sections()}


def test_kiosk_unit_restarts_the_kiosk_with_the_graphical_session(tmp_path):
    unit = _unit(LINUX / "moescope-kiosk.service")
    assert unit["Unit"]["After"] == "graphical-session.target" and unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert unit["Service"]["ExecStart"] == "/usr/bin/moescope --kiosk"
    assert unit["Service"]["Restart"] == "always"
    assert unit["Service"]["RestartPreventExitStatus"].split() == ["0", "2"]  # the admin's Exit; a bad config
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    analyze = shutil.which("systemd-analyze")
    if analyze:  # systemd's own reading; the program need not exist here, so it verifies a stand-in
        checked = tmp_path / "moescope-kiosk.service"
        checked.write_text((LINUX / "moescope-kiosk.service").read_text(encoding="utf-8")
                           .replace("/usr/bin/moescope", shutil.which("true")), encoding="utf-8")
        result = subprocess.run([analyze, "verify", str(checked)], capture_output=True, text=True, check=False)
        assert result.returncode == 0 and result.stderr == "", result.stderr


def _autostart_command() -> list[str]:
    """The autostart entry's Exec as argv, by the desktop entry rules: the string escape of a backslash
    first, then arguments in double quotes, in which a backslash escapes " ` $ and itself."""
    import re

    entry = (LINUX / "moescope-kiosk.desktop").read_text(encoding="utf-8").splitlines()
    value = next(line.split("=", 1)[1] for line in entry if line.startswith("Exec=")).replace("\\\\", "\\")
    return [re.sub(r'\\(["`$\\])', r"\1", quoted) if quoted else plain
            for quoted, plain in re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', value)]


def test_kiosk_autostart_entry_is_valid():
    entry = (LINUX / "moescope-kiosk.desktop").read_text(encoding="utf-8").splitlines()
    assert "NoDisplay=true" in entry and any(line.startswith("Name[de]=") for line in entry)
    validate = need("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([validate, str(LINUX / "moescope-kiosk.desktop")], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.parametrize(("statuses", "runs"), [((139, 1, 0), 3), ((2,), 1), ((0,), 1)])
def test_kiosk_autostart_starts_again_unless_the_admin_exits_or_the_configuration_is_wrong(tmp_path, statuses, runs):
    """The entry's shell loop, with a stand-in moescope that ends with the given statuses in turn."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "statuses").write_text("\n".join(map(str, statuses)) + "\n")
    stand_ins = {
        "moescope": f'[ "$1" = "--kiosk" ] || exit 99\necho run >> {tmp_path}/runs\n'
                    f"status=$(head -n 1 {tmp_path}/statuses); sed -i 1d {tmp_path}/statuses; exit $status\n",
        "sleep": "exit 0\n",  # no waiting in the test
    }
    for name, body in stand_ins.items():
        (bin_dir / name).write_text("#!/bin/sh\n" + body)
        (bin_dir / name).chmod(0o755)
    argv = _autostart_command()
    assert argv[:2] == ["sh", "-c"] and "moescope --kiosk" in argv[2]
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    subprocess.run(argv, env=env, timeout=30, check=True)
    assert (tmp_path / "runs").read_text().count("run") == runs


def test_nsis_kiosk_bundle_adds_a_startup_shortcut(tmp_path):
    makensis = need("makensis", "nsis")
    payload = _stand_in_payload(tmp_path / "payload")
    logs = []
    for kiosk in (False, True):
        if kiosk:
            bundled = payload / "_internal" / "resources" / "bundled-models"
            bundled.mkdir(parents=True)
            (bundled / "kiosk.toml").write_text("[kiosk]\n")
        result = subprocess.run(
            [makensis, "-V4", "-WX", f"-DPAYLOAD={payload}", f"-DOUTFILE={tmp_path / 'k.exe'}", str(NSIS_SCRIPT)],
            capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr
        logs.append(result.stdout)
    shortcut = 'CreateShortcut: "$SMSTARTUP\\MoEscope kiosk.lnk"->"$INSTDIR\\MoEscope.exe" --kiosk'
    assert shortcut not in logs[0] and shortcut in logs[1]
    assert 'Delete: "$SMSTARTUP\\MoEscope kiosk.lnk"' in logs[0]  # the uninstaller removes it either way


def _spec_function(name: str, namespace: dict):
    """One function of build.spec, defined on its own (the spec as a whole needs PyInstaller)."""
    import ast

    tree = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    node = next(item for item in tree.body if isinstance(item, ast.FunctionDef) and item.name == name)
    exec(compile(ast.Module(body=[node], type_ignores=[]), "build.spec", "exec"), namespace)
    return namespace[name]


def test_build_spec_ships_a_checked_kiosk_configuration_as_kiosk_toml(tmp_path, monkeypatch):
    from kiosk_files import write_kiosk_config, write_kiosk_model

    bundle = _spec_function("bundled_kiosk_files", {"os": os, "Path": Path, "shutil": shutil, "ROOT": tmp_path})
    model = write_kiosk_model(tmp_path / "models")
    models = [(str(model), "resources/bundled-models")]
    monkeypatch.delenv("MOESCOPE_BUNDLE_KIOSK", raising=False)
    assert bundle(models) == []
    monkeypatch.setenv("MOESCOPE_BUNDLE_KIOSK", str(write_kiosk_config(tmp_path / "event.toml", model.name)))
    staged = tmp_path / "build" / "bundle-kiosk" / "kiosk.toml"
    assert bundle(models) == [(str(staged), "resources/bundled-models")]
    assert staged.read_text(encoding="utf-8") == (tmp_path / "event.toml").read_text(encoding="utf-8")
    write_kiosk_config(tmp_path / "event.toml", "other.gguf")
    with pytest.raises(SystemExit, match="MOESCOPE_BUNDLE_KIOSK: .*event.toml, line 3: \"model\" must be the file "
                                         "name of a bundled model \\(bundled: kiosk-moe.gguf\\)"):
        bundle(models)


# --- icons, spec, workflow ------------------------------------------------------------------------


def test_icons_for_every_system_exist():
    icons = ROOT / "resources" / "icons"
    assert (icons / "moescope.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "moescope.icns").read_bytes()[:4] == b"icns"
    assert (icons / "moescope.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_build_spec_is_valid_python():
    compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")


def test_release_workflow_builds_and_self_tests_on_three_systems():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    # The scripts a job may run that self-test what they built.
    self_testing = {
        "installer/linux/test-deb.sh": LINUX / "test-deb.sh",
        "installer/macos/build-dmg.sh": ROOT / "installer" / "macos" / "build-dmg.sh",
    }
    for script in self_testing.values():
        assert "--self-test" in script.read_text(encoding="utf-8")
    for job, system in (("linux", "ubuntu"), ("windows", "windows"), ("macos", "macos")):
        assert system in workflow["jobs"][job]["runs-on"]
        runs = "\n".join(step.get("run", "") for step in workflow["jobs"][job]["steps"])
        assert "--self-test" in runs or any(name in runs for name in self_testing), job
