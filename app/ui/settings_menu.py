"""The window's Settings menu: chat settings, the Hugging Face token, the models folder, a company server,
kiosk mode for an administrator, language and theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.kiosk.settings_dialog import show_kiosk_settings
from app.ui.language_menu import LanguageMenu
from app.ui.remote.server_dialog import add_server_action
from app.ui.theme_menu import ThemeMenu

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class SettingsMenu(QObject):
    """Builds the Settings menu of ``window``.

    Attributes:
        menu: the QMenu (the window adds it to its menu bar).
        language_menu: Settings › Language (LanguageMenu); its ``chosen`` signal rebuilds the window.
        server_action: "Company server…", the connection to a company inference server (app.ui.remote).
        kiosk_action: "Kiosk mode…", the kiosk configuration for an administrator.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.menu = QMenu(self.tr("&Settings"), window)
        self.menu.setObjectName("settingsMenu")
        self.menu.setToolTipsVisible(True)
        chat_settings = QAction(self.tr("&Chat settings…"), window)
        chat_settings.setObjectName("chatSettingsAction")
        chat_settings.triggered.connect(window.show_chat_settings)
        self.menu.addAction(chat_settings)
        self.menu.addAction(window.library.token_action)
        self.menu.addAction(window.library.models_dir_action)
        self.menu.addSeparator()
        self.server_action = add_server_action(self.menu, window)
        self.kiosk_action = QAction(self.tr("&Kiosk mode…"), window)
        self.kiosk_action.setObjectName("kioskSettingsAction")
        self.kiosk_action.setToolTip(self.tr(
            "For an administrator: prepare this computer as an unattended kiosk for events, with one model, "
            "example questions and a PIN."))
        self.kiosk_action.triggered.connect(lambda: show_kiosk_settings(window, window.library.models_dir))
        self.menu.addAction(self.kiosk_action)
        self.menu.addSeparator()
        self.language_menu = LanguageMenu(window)
        self.menu.addMenu(self.language_menu.menu)
        self.menu.addMenu(ThemeMenu(window))
