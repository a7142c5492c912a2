"""Rules that keep the code easy to change (docs/architecture.md): the layers and core's packages as
declared in pyproject.toml ([tool.importlinter]), core without Qt, ruff, file sizes, and the tree the
architecture page draws."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import app.core

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
LONG_FILE_LINES = 500
LONG_FILE_REASON = "Longer than 500 lines because"


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).with_name(name)
    return subprocess.run([str(tool), *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_import_contracts_hold():
    """Entry point > window and command line > widgets > worker > core; core without Qt; core's packages
    in their order. lint-imports follows every import, also those inside functions."""
    result = run_tool("lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_importing_every_core_module_leaves_qt_out():
    """Dynamic and relative imports too: a fresh interpreter imports all of app.core and no Qt module."""
    modules = sorted(info.name for info in pkgutil.walk_packages(app.core.__path__, "app.core."))
    assert {"app.core.engine.protocol", "app.core.locality.guard", "app.core.hub.search"} <= set(modules)
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ruff_finds_nothing():
    """ruff check with the project's settings (pyproject.toml), over the whole repository."""
    result = run_tool("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_long_modules_say_why_at_the_top():
    too_long = {}
    for path in APP.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > LONG_FILE_LINES and LONG_FILE_REASON not in docstring:
            too_long[str(path.relative_to(ROOT))] = lines
    assert too_long == {}


def _tree_in_architecture_page() -> set[str]:
    """The paths the package tree in docs/architecture.md names (``app/...`` at the start of a line)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("## Packages", 1)[1].split("```")[1]
    names, folder = set(), ""
    for line in block.splitlines():
        match = re.match(r"^(\s*)(\S+)", line)
        if not match or not re.match(r"^[\w./_{},-]+$", match.group(2)):
            continue
        entry = match.group(2)
        if not match.group(1):
            folder = entry if entry.endswith("/") else ""
            path = entry
        else:
            path = folder + entry
        for name in _expand(path):
            names.add(name)
    return names


def _expand(path: str) -> list[str]:
    """``a/{b,c}.py`` -> ``a/b.py``, ``a/c.py``."""
    match = re.search(r"\{([^}]*)\}", path)
    if not match:
        return [path]
    return [n for part in match.group(1).split(",") for n in _expand(path[:match.start()] + part + path[match.end():])]


def test_the_tree_matches_the_architecture_page():
    """Every module and package in app/ is on the page, and everything the page names exists."""
    named = _tree_in_architecture_page()
    real = {"app/"} | {str(p.relative_to(ROOT)) for p in APP.rglob("*.py") if p.name != "__init__.py"}
    real |= {str(p.relative_to(ROOT)) + "/" for p in APP.rglob("*") if p.is_dir() and p.name != "__pycache__"}
    real |= {str(p.relative_to(ROOT)) for p in APP.rglob("*.c")}
    assert sorted(real - named) == [], "missing on the page"
    assert sorted(named - real) == [], "on the page but not in app/"
