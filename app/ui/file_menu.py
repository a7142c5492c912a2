"""The window's File menu: offline mode (the same switch as the data locality panel's), open that panel,
the document collections, and quit (Ctrl+Q on every system)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def quit_keys() -> list[QKeySequence]:
    """The system's keys for Quit, and Ctrl+Q where the system has none (Windows)."""
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
    ctrl_q = QKeySequence("Ctrl+Q")
    return keys if ctrl_q in keys else [*keys, ctrl_q]


class FileMenu(QObject):
    """Builds the File menu of ``window`` and carries out its actions.

    Attributes:
        menu: the QMenu (the window adds it to its menu bar, first).
        offline_action: the checkable "Offline mode"; it follows the policy, however it is switched.
        locality_action: "Data locality…", which opens the window's LocalityPanel.
        documents_action: "Documents…", which opens the document collections (DocumentsDialog).
        quit_action: "Quit" (Ctrl+Q, also while the menu bar is hidden): closes the window.
    """

    _policyChanged = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        guard = window.locality_guard
        self.menu = QMenu(self.tr("&File"), window)
        self.menu.setObjectName("fileMenu")
        self.menu.setToolTipsVisible(True)

        self.offline_action = QAction(self.tr("&Offline mode"), window)
        self.offline_action.setObjectName("offlineAction")
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(guard.policy.offline)
        self.offline_action.setToolTip(self.tr(
            "Refuse every connection to another computer, even downloads and searches. Kept for the next start."))
        self.offline_action.toggled.connect(guard.set_offline)
        self.menu.addAction(self.offline_action)
        self.locality_action = QAction(self.tr("Data &locality…"), window)
        self.locality_action.setObjectName("localityAction")
        self.locality_action.setToolTip(self.tr("Where your data is kept and which connections MoEscope made"))
        self.locality_action.triggered.connect(window.show_locality_panel)
        self.menu.addAction(self.locality_action)
        self.documents_action = QAction(self.tr("&Documents…"), window)
        self.documents_action.setObjectName("documentsAction")
        self.documents_action.setToolTip(self.tr("Folders of your own documents that the chat can answer from"))
        self.documents_action.triggered.connect(window.document_chat.show_dialog)
        self.menu.addAction(self.documents_action)
        self.menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), window)
        self.quit_action.setObjectName("quitAction")
        self.quit_action.setShortcuts(quit_keys())
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(window.close)
        window.addAction(self.quit_action)  # Ctrl+Q works with the menu bar hidden (presentation mode)
        self.menu.addAction(self.quit_action)

        # The policy calls back on whichever thread changed it; the action follows on this one.
        self._policyChanged.connect(self._sync_offline, Qt.ConnectionType.QueuedConnection)
        unsubscribe = guard.policy.subscribe_changes(lambda _policy: self._policyChanged.emit())
        self.destroyed.connect(lambda *_args: unsubscribe())

    def _sync_offline(self) -> None:
        offline = self.window.locality_guard.policy.offline
        if self.offline_action.isChecked() != offline:
            self.offline_action.blockSignals(True)
            self.offline_action.setChecked(offline)
            self.offline_action.blockSignals(False)
