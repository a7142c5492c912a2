"""LibraryController: what every controller of the library pane has, the signals through which the pane
shows its work (the status and error lines, message boxes, the busy state), the non-modal message box and
following the network policy's offline mode."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.locality.policy import NetworkPolicy


class LibraryController(QObject):
    """The base of the library's controllers (folder scan, loading, import, delete, downloads, Hub search).

    A controller does one flow of the library: it starts the slow work elsewhere (LibraryJobs, the
    DownloadQueue, the HubBrowser), takes the results, changes the LibraryModel and tells the pane what to
    show. Its message boxes are children of ``dialog_parent`` (the pane) and never block.

    Signals:
        statusChanged(str): the status line says this now ("" empties it).
        errorChanged(str): the error line says this now ("" empties it).
        boxOpened(object): a QMessageBox was opened (non-modal).
        changed(): something the pane's buttons and lines depend on changed (busy, selection, items).
    """

    statusChanged = Signal(str)
    errorChanged = Signal(str)
    boxOpened = Signal(object)
    changed = Signal()
    _policyChanged = Signal()

    def __init__(self, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self.dialog_parent = dialog_parent

    def open_box(self, box: QMessageBox) -> QMessageBox:
        """Show ``box`` without blocking; its ``finished`` signal says how it was closed."""
        self.boxOpened.emit(box)
        box.open()
        return box

    def follow_offline_mode(self, policy: NetworkPolicy | None) -> None:
        """Call ``offline_mode_changed`` on this object's thread whenever ``policy``'s offline mode is
        switched (the policy calls back on whichever thread changed it)."""
        if policy is None:
            return
        offline = [policy.offline]

        def check() -> None:
            if policy.offline != offline[0]:
                offline[0] = policy.offline
                self.offline_mode_changed(policy.offline)

        self._policyChanged.connect(check, Qt.ConnectionType.QueuedConnection)
        unsubscribe = policy.subscribe_changes(lambda _policy: self._policyChanged.emit())
        self.destroyed.connect(lambda *_args: unsubscribe())

    def offline_mode_changed(self, offline: bool) -> None:
        """Offline mode was switched on or off (see follow_offline_mode); controllers showing an error
        that offline mode caused take it back here."""

    def show_message(
        self, icon: QMessageBox.Icon, title: str, text: str, informative: str = "", details: str = ""
    ) -> QMessageBox:
        """A message box with an OK button; ``details`` (for support, behind "Show Details…") when given."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.dialog_parent)
        if informative:
            box.setInformativeText(informative)
        if details:
            box.setDetailedText(details)
        return self.open_box(box)
