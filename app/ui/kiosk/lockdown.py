"""Lockdown: what a visitor cannot do in kiosk mode, as one event filter on the QApplication.

The kiosk's windows refuse to close (Alt+F4, the window manager's close) until the administrator
releases them, and fall back into full screen when something takes them out of it. Keys that would
quit, close, leave full screen or switch a mode (Ctrl+Q, Ctrl+W, Alt+F4, Esc, F11, F5) do nothing
in them; right-click menus and drag-and-drop do nothing anywhere. What the window system keeps for
itself (Alt+Tab, Ctrl+Alt+Del, the Windows key) no application can stop: the kiosk's desktop session
is set up for that (docs, installer/).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier

BLOCKED_KEYS = (
    (Qt.Key.Key_F4, _ALT),
    (Qt.Key.Key_Q, _CTRL),
    (Qt.Key.Key_W, _CTRL),
    (Qt.Key.Key_F4, _CTRL),
    (Qt.Key.Key_Escape, None),
    (Qt.Key.Key_F11, None),
    (Qt.Key.Key_F5, None),
)
"""Keys that do nothing in a kiosk window: (key, modifier that must be held, or None for any)."""

_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)
_NOWHERE = (QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


def blocked_key(event: QKeyEvent) -> bool:
    """Whether ``event``'s key is one of BLOCKED_KEYS."""
    key, modifiers = event.key(), event.modifiers()
    return any(key == blocked and (held is None or modifiers & held) for blocked, held in BLOCKED_KEYS)


class Lockdown(QObject):
    """The event filter that keeps visitors in the kiosk; install it with ``lock(app)``.

    Attributes:
        windows: the kiosk's top-level windows it keeps open and full screen.
        locked: whether it holds them (``release()`` lets the administrator's Exit close them).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.windows: list[QWidget] = []
        self.locked = True

    def lock(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def unlock(self, app: QApplication) -> None:
        app.removeEventFilter(self)

    def guard(self, window: QWidget) -> None:
        """Keep ``window`` open and full screen while locked."""
        self.windows.append(window)
        window.destroyed.connect(lambda *_args: self._forget(window))

    def _forget(self, window: QWidget) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def release(self) -> None:
        """Let the kiosk's windows close (the administrator chose Exit)."""
        self.locked = False

    def _guarded(self, watched: QObject) -> QWidget | None:
        if not isinstance(watched, QWidget):
            return None
        window = watched.window()
        return window if window in self.windows else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind in _NOWHERE:
            event.ignore()
            return True
        if not self.locked:
            return False
        if kind in _KEY_EVENTS:
            return self._guarded(watched) is not None and blocked_key(event)
        if kind == QEvent.Type.Close and watched in self.windows:
            event.ignore()
            return True
        if kind == QEvent.Type.WindowStateChange and watched in self.windows and not watched.isFullScreen():
            QTimer.singleShot(0, watched, watched.showFullScreen)
        return False
