"""Where the main window's three docks go, and how big the window is: the layout View › Reset layout
restores (library, chat and experts side by side, or the library as a tab behind the chat where the
screen is too narrow for three), a saved layout brought back, a size that never exceeds the screen, and
the docks' shares of the width kept when the window is resized (DockShares)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

DEFAULT_SIZE = QSize(1280, 800)
THREE_SIDE_BY_SIDE = 1280
"""Below this available screen width the library shares the chat's place, as a tab."""


def dock(window: QMainWindow, widget: QWidget, title: str, name: str) -> QDockWidget:
    """A movable, floatable dock holding ``widget``, added to ``window``."""
    new = QDockWidget(title, window)
    new.setObjectName(name)
    new.setWidget(widget)
    new.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, new)
    return new


def reset(window: QMainWindow, library: QDockWidget, chat: QDockWidget, experts: QDockWidget) -> None:
    """Library on the left, chat in the middle, experts on the right (on a narrow screen: library and chat
    as tabs on the left, the chat in front); the window fitted into the screen."""
    for each in (library, chat, experts):
        each.setFloating(False)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, each)
    screen = window.screen().availableGeometry()
    if screen.width() < THREE_SIDE_BY_SIDE:
        window.splitDockWidget(library, experts, Qt.Orientation.Horizontal)
        window.tabifyDockWidget(library, chat)
        chat.raise_()
        window.resizeDocks([chat, experts], [1, 1], Qt.Orientation.Horizontal)
    else:
        window.splitDockWidget(library, chat, Qt.Orientation.Horizontal)
        window.splitDockWidget(chat, experts, Qt.Orientation.Horizontal)
        window.resizeDocks([library, chat, experts], [300, 720, 420], Qt.Orientation.Horizontal)
    fit_to_screen(window)


def restore(window: QMainWindow, geometry: QByteArray | None, state: QByteArray | None) -> None:
    """The saved size and dock layout, else the default size; never larger than the screen."""
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(DEFAULT_SIZE)
    if state is not None:
        window.restoreState(state)
    fit_to_screen(window)


def fit_to_screen(window: QMainWindow) -> None:
    """Shrink the window (not below its minimum) to the screen's free area, and move it into it."""
    if window.isFullScreen() or window.isMaximized():
        return
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry().size() - window.size()
    size = window.size().boundedTo(screen.size() - frame).expandedTo(window.minimumSizeHint())
    window.resize(size)
    top_left = window.pos()
    window.move(min(max(top_left.x(), screen.left()), max(screen.right() - size.width(), screen.left())),
                min(max(top_left.y(), screen.top()), max(screen.bottom() - size.height(), screen.top())))


class DockShares(QObject):
    """Keeps the side-by-side docks' shares of the window's width when the window is resized: Qt gives
    all of a window's new width to one dock, so after shrinking and enlarging, the chat stayed narrow.
    A share changes when the user drags a dock's edge; a new window size is shared out by them."""

    def __init__(self, window: QMainWindow, docks: list[QDockWidget]) -> None:
        super().__init__(window)
        self.window, self.docks = window, docks
        self.shares: dict[QDockWidget, float] = {}
        self.paused = False  # presentation mode lays the docks out by its own rule
        self._window_width = window.width()
        window.installEventFilter(self)
        for each in docks:
            each.installEventFilter(self)

    def _side_by_side(self) -> list[QDockWidget]:
        return [each for each in self.docks if each.isVisible() and not each.isFloating()]

    def record(self) -> None:
        """Take the docks' present widths as their shares."""
        docks = self._side_by_side()
        total = sum(each.width() for each in docks)
        if total > 0:
            self.shares = {each: each.width() / total for each in docks}
        self._window_width = self.window.width()

    def apply(self) -> None:
        """Share the docks' width out as recorded (docks shown since get an even share)."""
        docks = self._side_by_side()
        if not docks or not self.shares:
            self.record()
            return
        total = sum(each.width() for each in docks)
        even = 1 / len(docks)
        weights = [self.shares.get(each, even) for each in docks]
        scale = total / sum(weights)
        self.window.resizeDocks(docks, [round(weight * scale) for weight in weights], Qt.Orientation.Horizontal)
        self._window_width = self.window.width()

    def pause(self) -> None:
        self.paused = True

    def resume(self, after_ms: int = 0) -> None:
        """Keep the shares again once the window has settled (``after_ms``), from its size then."""

        def go() -> None:
            self.paused = False
            self._window_width = self.window.width()

        QTimer.singleShot(after_ms, self, go)  # not after the window is gone

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize and not self.paused:
            if watched is self.window:
                if self.window.width() != self._window_width:
                    QTimer.singleShot(0, self, self.apply)
            elif self.window.width() == self._window_width:  # the user moved an edge between docks
                self.record()
        return False
