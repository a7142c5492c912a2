"""Qt resources (icons); the folder itself is found by app.core.paths.resources_dir."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.core.paths import resources_dir


def icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))
