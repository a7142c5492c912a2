"""Settings › Language: the window in German or English, or in the system's language, switched without a
restart (app.gui builds the window again in the new language; the engine and its model stay)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from app.ui import settings


class LanguageMenu(QObject):
    """The Language submenu (``menu``); ``chosen(code)`` after the user picked one ("" for the system's).

    Signals:
        chosen(str): the language was changed and kept: "de", "en", or "" (follow the system).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.menu = QMenu(self.tr("&Language"), parent)
        self.menu.setObjectName("languageMenu")
        group = QActionGroup(self)
        current = settings.language() or ""
        # the languages by their own names, as every language switch does
        self.actions: dict[str, QAction] = {}
        for code, label in (("", self.tr("As the &system")), ("de", "&Deutsch"), ("en", "&English")):
            action = QAction(label, parent)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _checked=False, code=code: self._choose(code))
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[code] = action

    def _choose(self, code: str) -> None:
        if code == (settings.language() or ""):
            return
        settings.set_language(code or None)
        self.chosen.emit(code)
