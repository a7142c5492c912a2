"""Where MoEscope keeps its files, per operating system, and where its own resources are, without Qt
(the CLI and engine use it too).

``MOESCOPE_DATA_DIR`` overrides the base folder: tests, portable installs and kiosks use it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "MoEscope"


def data_dir() -> Path:
    override = os.environ.get("MOESCOPE_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME


def models_dir() -> Path:
    return data_dir() / "models"


def conversations_db() -> Path:
    """The conversation database (app.core.chat.store), beside the models folder."""
    return data_dir() / "conversations.sqlite3"


def documents_db() -> Path:
    """The index of the document collections (app.core.documents.store), beside the conversations."""
    return data_dir() / "documents.sqlite3"


def install_root() -> Path:
    """The folder holding ``resources/``: PyInstaller's ``_MEIPASS`` when frozen, else the checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    """The ``resources`` folder (icons, translations, the catalog, bundled models)."""
    return install_root() / "resources"
