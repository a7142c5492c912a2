"""Settings › Theme: the window light or dark, or as the system's colour scheme says (followed while it
changes), switched at once and kept for the next start."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from app.ui import settings
from app.ui.style import apply_theme, chosen_theme


class ThemeMenu(QMenu):
    """The Theme submenu: "As the system", "Light", "Dark".

    Attributes:
        actions: the checkable actions by the name kept in the settings ("" for the system's).
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(self.tr("&Theme"), parent)
        self.setObjectName("themeMenu")
        group = QActionGroup(self)
        current = settings.theme() or ""
        self.actions: dict[str, QAction] = {}
        for name, label, description in (
            ("", self.tr("As the &system"), self.tr("Light or dark as the system is set")),
            ("light", self.tr("&Light"), self.tr("Dark text on a light background")),
            ("dark", self.tr("&Dark"), self.tr("Light text on a dark background")),
        ):
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.setToolTip(description)
            action.setStatusTip(description)
            action.triggered.connect(lambda _checked=False, name=name: self.choose(name))
            group.addAction(action)
            self.addAction(action)
            self.actions[name] = action

    def choose(self, name: str) -> None:
        """Keep ``name`` ("light", "dark" or "" for the system's) and switch the window to it now."""
        settings.set_theme(name or None)
        self.actions[name].setChecked(True)
        apply_theme(QApplication.instance(), chosen_theme())
