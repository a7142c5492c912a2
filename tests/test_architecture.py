"""Rules that keep the code easy to change (architecture.md): app/core never imports Qt."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "app" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_imports_no_qt():
    offenders = {
        path.name: sorted(m for m in imported_modules(path) if m.split(".")[0] in ("PySide6", "shiboken6"))
        for path in CORE.glob("*.py")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_core_does_not_import_the_ui_layer():
    for path in CORE.glob("*.py"):
        modules = imported_modules(path)
        assert not any(m == "app.worker" or m.startswith("app.ui") or m == "app.gui" for m in modules), path.name


def test_importing_every_core_module_leaves_qt_out():
    """Dynamic and relative imports too: a fresh interpreter imports all of app.core and no Qt module."""
    import subprocess
    import sys

    modules = sorted(f"app.core.{path.stem}" for path in CORE.glob("*.py") if path.stem != "__init__")
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=CORE.parents[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ruff_finds_nothing():
    """ruff check with the project's settings (pyproject.toml), over the whole repository."""
    import subprocess
    import sys

    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--no-cache", "."], capture_output=True, text=True,
                            cwd=CORE.parents[1], timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
