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
