"""Idle: after a while without input, a visible countdown; any touch or key cancels it, else the visitor's
conversation is wiped (app.ui.kiosk.window does the wiping)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.kiosk.overlay import Overlay

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})
"""What counts as a visitor's input (a mouse that moves counts too, see IdleWatch)."""

TICK_MS = 200
"""How often the countdown is checked and shown."""


class IdleWatch(QObject):
    """Watches all input to the application (an event filter on it) and counts the quiet time.

    While ``armed`` (there is a visitor's conversation to wipe and no answer is being written), after
    ``timeout_s`` without input the countdown starts: ``countdownStarted``, then ``tick`` with the whole
    seconds left, and after ``countdown_s`` ``expired``. Input during the countdown cancels it
    (``countdownCancelled``) and the quiet time starts over.

    Attributes:
        timeout_s: seconds without input before the countdown.
        countdown_s: seconds the countdown runs.
        counting: whether the countdown runs now.
        armed: whether the quiet time counts at all (see ``set_armed``).

    Signals:
        countdownStarted(), tick(int), countdownCancelled(), expired().
    """

    countdownStarted = Signal()
    tick = Signal(int)
    countdownCancelled = Signal()
    expired = Signal()

    def __init__(self, timeout_s: float, countdown_s: float, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.timeout_s, self.countdown_s = timeout_s, countdown_s
        self.counting = False
        self.armed = False
        self._clock = clock
        self._deadline = 0.0
        self._last_pointer: QPointF | None = None
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._start_countdown)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._on_tick)

    def watch(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def unwatch(self, app: QApplication) -> None:
        app.removeEventFilter(self)

    def set_armed(self, armed: bool) -> None:
        """Count the quiet time (from now) or not; disarming also ends a countdown without wiping."""
        if armed == self.armed:
            return
        self.armed = armed
        if armed:
            self._quiet.start(round(self.timeout_s * 1000))
        else:
            self._quiet.stop()
            self._end_countdown(cancelled=True)

    def poke(self) -> None:
        """Input arrived: the quiet time starts over, a countdown is cancelled."""
        if self.counting:
            self._end_countdown(cancelled=True)
        if self.armed:
            self._quiet.start(round(self.timeout_s * 1000))

    def seconds_left(self) -> int:
        return max(0, math.ceil(self._deadline - self._clock()))

    def _start_countdown(self) -> None:
        if not self.armed:
            return
        self.counting = True
        self._deadline = self._clock() + self.countdown_s
        self._ticker.start()
        self.countdownStarted.emit()
        self.tick.emit(self.seconds_left())

    def _on_tick(self) -> None:
        if self._clock() >= self._deadline:
            self._end_countdown(cancelled=False)
            self.expired.emit()
        else:
            self.tick.emit(self.seconds_left())

    def _end_countdown(self, cancelled: bool) -> None:
        self._ticker.stop()
        if self.counting:
            self.counting = False
            if cancelled:
                self.countdownCancelled.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind in INPUT_EVENTS:
            self.poke()
        elif kind == QEvent.Type.MouseMove:
            # Qt also sends moves of its own when widgets appear under a still pointer: only a pointer
            # that went somewhere else is a visitor.
            where = event.globalPosition()
            if self._last_pointer is not None and where != self._last_pointer:
                self.poke()
            self._last_pointer = where
        return False


class CountdownOverlay(Overlay):
    """The countdown over the whole window: how many seconds are left before the conversation is cleared.
    It has no buttons: touching anywhere cancels it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("countdownOverlay")
        self.title = self.add_label("overlayTitle", self.tr("Are you still there?"))
        self.seconds = self.add_label("countdownNumber")
        self.text = self.add_label("overlayText", self.tr("Then this conversation is cleared for the next visitor."))
        self.hint = self.add_label("overlayHint", self.tr("Touch the screen to go on."))

    def show_seconds(self, seconds: int) -> None:
        self.seconds.setText(str(seconds))
        self.seconds.setAccessibleName(self.tr("%n second(s) left", "", seconds))
