"""Presentation mode (F5, and F5 again to leave): the expert view in its dark, large style for a projector.

With a second screen (and the choice on), the expert view moves onto it full screen, without a frame,
while the chat stays on the laptop. With one screen the window goes full screen without its menu bar
and dock title bars, the library is put away, and the expert view gets most of the width beside the
chat (whose list of conversations is put away meanwhile). The status bar, with the data-locality
indicator, stays visible either way. Leaving puts
everything back as it was; whether the mode was on is kept for the next start (app.ui.settings).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QVBoxLayout, QWidget

from app.ui.experts.pane import ExpertsPane
from app.ui.theme import PROJECTOR

SETTLE_MS = 500
"""How long a window takes to come back from full screen; the docks' shares are kept again after it."""

EXPERTS_SHARE = 0.65
"""Share of the width the expert view takes beside the chat on a single screen."""


class ProjectorWindow(QWidget):
    """The expert view alone, full screen on another screen. Closing it (Esc, F5) leaves presentation mode.

    Signals:
        closed(): the window was closed.
    """

    closed = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("projectorWindow")
        self.setStyleSheet(PROJECTOR.fill("QWidget#projectorWindow { background: $window; }"))
        self.setWindowTitle(self.tr("MoEscope — expert view"))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(24, 24, 24, 24)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    def hold(self, widget: QWidget) -> None:
        self._layout.addWidget(widget)
        widget.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        super().closeEvent(event)
        self.closed.emit()


class PresentationMode(QObject):
    """Turns presentation mode on and off for ``window``.

    Signals:
        changed(bool): presentation mode went on or off.

    Attributes:
        active: whether it is on.
        second_screen: whether it puts the expert view on another screen when there is one.
        projector: the ProjectorWindow while the expert view is on another screen, else None.
    """

    changed = Signal(bool)

    def __init__(self, window: QMainWindow, pane: ExpertsPane, experts_dock: QDockWidget, chat_dock: QDockWidget,
                 library_dock: QDockWidget) -> None:
        super().__init__(window)
        self.window, self.pane = window, pane
        self.experts_dock, self.chat_dock, self.library_dock = experts_dock, chat_dock, library_dock
        self.active = False
        self.second_screen = True
        self.projector: ProjectorWindow | None = None
        self._saved: tuple | None = None
        self._list_shown = True

    def toggle(self) -> None:
        self.set_active(not self.active)

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        if on:
            self._enter()
        else:
            self._leave()
        self.active = on
        self.changed.emit(on)

    def _other_screen(self):
        here = self.window.screen()
        return next((screen for screen in QGuiApplication.screens() if screen is not here), None)

    def _enter(self) -> None:
        window = self.window
        self._saved = (window.saveGeometry(), window.saveState(), window.isFullScreen(), window.isMaximized())
        window.dock_shares.pause()
        self.pane.set_presentation(True)
        screen = self._other_screen() if self.second_screen else None
        if screen is not None:
            note = QLabel(self.tr("The expert view is on the other screen. Press F5 to bring it back."))
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.experts_dock.setWidget(note)
            width = window.width()  # the chat gets the room the expert view left
            window.resizeDocks([self.chat_dock, self.experts_dock], [round(width * 0.7), round(width * 0.3)],
                               Qt.Orientation.Horizontal)
            self.projector = ProjectorWindow()
            self.projector.hold(self.pane)
            self.projector.closed.connect(lambda: self.set_active(False))
            self.projector.setScreen(screen)
            self.projector.setGeometry(screen.geometry())
            self.projector.showFullScreen()
            return
        window.menuBar().hide()
        self.library_dock.hide()
        self._list_shown = window.conversations.isVisibleTo(window)
        window.conversations.hide()  # the chat's column gives the expert view the room on one screen
        for dock in (self.chat_dock, self.experts_dock):
            dock.setTitleBarWidget(QWidget())
        window.showFullScreen()
        width = window.width()
        window.resizeDocks([self.chat_dock, self.experts_dock],
                           [round(width * (1 - EXPERTS_SHARE)), round(width * EXPERTS_SHARE)],
                           Qt.Orientation.Horizontal)

    def _leave(self) -> None:
        window = self.window
        self.pane.set_presentation(False)
        if self.projector is not None:
            projector, self.projector = self.projector, None
            note = self.experts_dock.widget()
            self.experts_dock.setWidget(self.pane)
            note.deleteLater()
            projector.closed.disconnect()
            projector.close()
            projector.deleteLater()
        window.menuBar().show()
        window.conversations.setVisible(self._list_shown)
        for dock in (self.chat_dock, self.experts_dock):
            dock.setTitleBarWidget(None)
        geometry, state, full, maximized = self._saved
        if full:
            window.showFullScreen()
        elif maximized:
            window.showMaximized()
        else:
            window.showNormal()
        window.restoreGeometry(geometry)
        window.restoreState(state)
        window.dock_shares.resume(after_ms=SETTLE_MS)
