"""Qt resources (icons); the folder itself is found by app.core.paths.resources_dir."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.core.paths import resources_dir
from app.ui.theme import current


def icon(name: str) -> QIcon:
    """The icon ``name`` for the window's theme: on a dark one its "-dark" drawing, where there is one
    (light strokes, where the light drawing's dark ones would vanish)."""
    folder = resources_dir() / "icons"
    dark = folder / f"{name}-dark.svg"
    return QIcon(str(dark if current().dark and dark.is_file() else folder / f"{name}.svg"))
