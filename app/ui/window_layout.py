"""Where the main window's three docks go, and how big the window is: the layout View › Reset layout
restores (library, chat and experts side by side, or the library as a tab behind the chat where the
screen is too narrow for three), a saved layout brought back, and a size that never exceeds the screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt
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
