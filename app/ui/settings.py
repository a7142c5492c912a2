"""Every setting the window keeps between starts (QSettings), with its key, in one place.

QSettings stores them per user under the organisation and application names set in app/gui.py.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.core.chat.model import Settings
from app.core.chat.store import settings_from_dict

MODELS_DIR = "library/models_dir"  # the models folder chosen in the library
REFERENCES = "library/references"  # model files used where they are (not copied), by path
OFFLINE = "network/offline"  # the offline switch of the locality panel
WINDOW_GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"  # dock layout
CHAT_PRESETS = "chat/presets"  # named chat settings (system prompt, sampling), as JSON: {name: fields}
LANGUAGE = "window/language"  # "de" or "en" chosen in Settings › Language; absent: the system's
CAPTURE_SCORES = "experts/capture_scores"  # read the router's scores over all experts (the router diagram)
EXPERT_VIEW = "experts/view"  # the expert view's choices, as JSON: view, mode, colour layer, diagram layer
PRESENTATION = "experts/presentation"  # presentation mode was on when the window closed
SECOND_SCREEN = "experts/second_screen"  # presentation mode puts the expert view on another screen


def models_dir() -> Path | None:
    """The models folder chosen in the window earlier, or None."""
    value = QSettings().value(MODELS_DIR)
    return Path(value) if value else None


def set_models_dir(folder: Path) -> None:
    QSettings().setValue(MODELS_DIR, str(folder))


def references() -> list[str]:
    value = QSettings().value(REFERENCES, [])
    if isinstance(value, str):  # QSettings gives a one-element list back as its element on some systems
        value = [value]
    return [str(v) for v in value or []]


def set_references(paths: list[str]) -> None:
    QSettings().setValue(REFERENCES, list(dict.fromkeys(paths)))


def offline() -> bool:
    """Whether the offline switch was left on; off when never set."""
    return bool(QSettings().value(OFFLINE, False, type=bool))


def set_offline(value: bool) -> None:
    QSettings().setValue(OFFLINE, bool(value))


def language() -> str | None:
    """The language chosen in the window ("de", "en"), or None to follow the system."""
    value = QSettings().value(LANGUAGE, "")
    return str(value) if value in ("de", "en") else None


def set_language(code: str | None) -> None:
    QSettings().setValue(LANGUAGE, code or "")


def capture_scores() -> bool:
    """Whether the engine reads the router's scores over all experts; on when never set."""
    return bool(QSettings().value(CAPTURE_SCORES, True, type=bool))


def set_capture_scores(value: bool) -> None:
    QSettings().setValue(CAPTURE_SCORES, bool(value))


def expert_view() -> dict:
    """The expert view's last choices (``view``, ``mode``, ``colour_layer``, ``diagram_layer``); {} if none."""
    try:
        value = json.loads(QSettings().value(EXPERT_VIEW, "{}") or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def set_expert_view(choices: dict) -> None:
    QSettings().setValue(EXPERT_VIEW, json.dumps(choices))


def presentation() -> tuple[bool, bool]:
    """(presentation mode was on, it puts the expert view on another screen); both off when never set."""
    settings = QSettings()
    return (bool(settings.value(PRESENTATION, False, type=bool)),
            bool(settings.value(SECOND_SCREEN, True, type=bool)))


def set_presentation(on: bool, second_screen: bool) -> None:
    settings = QSettings()
    settings.setValue(PRESENTATION, bool(on))
    settings.setValue(SECOND_SCREEN, bool(second_screen))


def window_layout() -> tuple[QByteArray | None, QByteArray | None]:
    """The main window's saved geometry and dock state (None where nothing was saved)."""
    settings = QSettings()
    return settings.value(WINDOW_GEOMETRY), settings.value(WINDOW_STATE)


def set_window_layout(geometry: QByteArray, state: QByteArray) -> None:
    settings = QSettings()
    settings.setValue(WINDOW_GEOMETRY, geometry)
    settings.setValue(WINDOW_STATE, state)


def chat_presets() -> dict[str, Settings]:
    """The named chat presets, by name in the order they were saved; a damaged entry is left out."""
    try:
        stored = json.loads(str(QSettings().value(CHAT_PRESETS, "{}")))
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {str(name): settings_from_dict(fields) for name, fields in stored.items() if isinstance(fields, dict)}


def set_chat_presets(presets: dict[str, Settings]) -> None:
    stored = {name: dataclasses.asdict(settings) for name, settings in presets.items()}
    QSettings().setValue(CHAT_PRESETS, json.dumps(stored, ensure_ascii=False))


def location() -> str:
    """Where the settings are kept: a file, or the registry path on Windows."""
    return QSettings().fileName()


GUIDE_DONE = "guide/done"  # the first-run guide was finished or skipped (it opens by itself only before)


def guide_done() -> bool:
    """Whether the first-run guide was finished or skipped; False when never set."""
    return bool(QSettings().value(GUIDE_DONE, False, type=bool))


def set_guide_done(value: bool) -> None:
    QSettings().setValue(GUIDE_DONE, bool(value))


THEME = "window/theme"  # "light" or "dark" chosen in Settings › Theme; absent: the system's colour scheme


def theme() -> str | None:
    """The theme chosen in the window ("light", "dark"), or None to follow the system."""
    value = QSettings().value(THEME, "")
    return str(value) if value in ("light", "dark") else None


def set_theme(name: str | None) -> None:
    QSettings().setValue(THEME, name or "")
