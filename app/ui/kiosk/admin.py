"""The kiosk's administrator: the hidden gesture that asks for the PIN, the PIN pad (with the lock-out
after wrong PINs) and the admin screen (figures; Exit, Restart, Settings, Back; the offline switch)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.engine.process_memory import rss_bytes
from app.core.kiosk.pin import PIN_MAX_DIGITS, Lockout, verify_pin
from app.core.kiosk.stats import KioskStats
from app.core.locality.policy import NetworkPolicy
from app.ui.formatting import format_duration, format_size

CORNER_PX = 96
"""The hidden corner: a square this large at the top left of the window."""
TAPS = 5
TAPS_WITHIN_S = 3.0
SHORTCUT = "Ctrl+Alt+Shift+K"
REFRESH_MS = 1000
WIDE_COLUMNS, NARROW_COLUMNS = 4, 3
WIDE_PX = 1200
"""The admin screen's tiles go four abreast from this width on, three below it."""


class AdminGesture(QObject):
    """The hidden ways to the PIN pad: TAPS taps within TAPS_WITHIN_S seconds into the top-left corner of
    ``window`` (touch arrives as mouse presses), or SHORTCUT on a keyboard.

    Signals:
        triggered(): the gesture was made.
    """

    triggered = Signal()

    def __init__(self, window: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self._window, self._clock = window, clock
        self._taps: list[float] = []
        self._last: tuple | None = None
        shortcut = QShortcut(QKeySequence(SHORTCUT), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.triggered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.MouseButtonPress or not isinstance(watched, QWidget) \
                or watched.window() is not self._window:
            return False
        where = event.globalPosition()
        seen = (event.timestamp(), where.x(), where.y())
        if seen == self._last:  # the same press, passed on to a parent widget
            return False
        self._last = seen
        local = self._window.mapFromGlobal(where.toPoint())
        if 0 <= local.x() < CORNER_PX and 0 <= local.y() < CORNER_PX:
            now = self._clock()
            self._taps = [tap for tap in self._taps if now - tap <= TAPS_WITHIN_S] + [now]
            if len(self._taps) >= TAPS:
                self._taps.clear()
                self.triggered.emit()
        else:
            self._taps.clear()
        return False


class PinPad(QWidget):
    """Digits to touch (or type), the PIN shown as dots, OK and Cancel. Three wrong PINs are free, then the
    pad locks for longer and longer (app.core.kiosk.pin.Lockout); while it is locked, it refuses every PIN,
    the right one too.

    Signals:
        accepted(): the right PIN was entered.
        cancelled(): the administrator (or a curious visitor) went back.
    """

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, pin_hash: str, lockout: Lockout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pin_hash, self.lockout = pin_hash, lockout
        self.digits = ""
        self.setObjectName("pinPad")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        title = QLabel(self.tr("Administrator"))
        title.setObjectName("adminTitle")
        self.dots = QLabel()
        self.dots.setObjectName("pinDots")
        self.message = QLabel(self.tr("Enter the PIN."))
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.digit_buttons = []
        for place, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit), place // 3, place % 3)
        self.delete_button = QPushButton("⌫")
        self.delete_button.setObjectName("pinKey")
        self.delete_button.setAccessibleName(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete)
        grid.addWidget(self.delete_button, 3, 0)
        grid.addWidget(self._key("0"), 3, 1)
        self.ok_button = QPushButton(self.tr("OK"))
        self.ok_button.setObjectName("pinOk")
        self.ok_button.clicked.connect(self.submit)
        grid.addWidget(self.ok_button, 3, 2)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("pinCancel")
        self.cancel_button.clicked.connect(self.cancelled)
        column = QVBoxLayout()
        column.setSpacing(20)
        column.addStretch(1)
        for widget in (title, self.dots, self.message):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(widget)
        column.addLayout(grid)
        column.addWidget(self.cancel_button)
        column.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(column)
        layout.addStretch(1)
        self._wait = QTimer(self)
        self._wait.setInterval(500)
        self._wait.timeout.connect(self._show_lock)
        self._show_digits()

    def _key(self, digit: str) -> QPushButton:
        button = QPushButton(digit)
        button.setObjectName("pinKey")
        button.clicked.connect(lambda _checked=False: self.type_digit(digit))
        self.digit_buttons.append(button)
        return button

    def reset(self) -> None:
        """Empty, ready for a PIN (or showing the lock-out still running)."""
        self.digits = ""
        self.message.setText(self.tr("Enter the PIN."))
        self._show_digits()
        self._show_lock()

    def type_digit(self, digit: str) -> None:
        if len(self.digits) < PIN_MAX_DIGITS:
            self.digits += digit
            self._show_digits()

    def delete(self) -> None:
        self.digits = self.digits[:-1]
        self._show_digits()

    def submit(self) -> None:
        """Check the PIN typed: accepted, or refused (wrong, or the pad is locked)."""
        pin, self.digits = self.digits, ""
        self._show_digits()
        if self.lockout.locked_for() > 0:
            self._show_lock()
            return
        if verify_pin(pin, self.pin_hash):
            self.lockout.succeeded()
            self.message.setText(self.tr("Enter the PIN."))
            self.accepted.emit()
            return
        self.lockout.failed()
        self.message.setText(self.tr("Wrong PIN."))
        self._show_lock()

    def _show_digits(self) -> None:
        self.dots.setText("●" * len(self.digits) if self.digits else "—")
        self.ok_button.setEnabled(bool(self.digits))

    def _show_lock(self) -> None:
        """While locked: the keys are off and the message counts down; after it, they are on again."""
        left = self.lockout.locked_for()
        for button in (*self.digit_buttons, self.delete_button):
            button.setEnabled(left <= 0)
        if left > 0:
            self.message.setText(self.tr("Too many wrong PINs. Try again in {time}.").format(
                time=format_duration(left + 0.999)))
            self._wait.start()
        elif self._wait.isActive():
            self._wait.stop()
            self.message.setText(self.tr("Enter the PIN."))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        text = event.text()
        if text.isdigit() and len(text) == 1 and self.lockout.locked_for() <= 0:
            self.type_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.delete()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)


class AdminScreen(QWidget):
    """What the kiosk did since it started and what it holds now, and what the administrator can do.

    Attributes:
        documents_line: the kiosk's documents (``set_documents``), hidden for a kiosk without them.

    Signals:
        exitRequested(), restartRequested(), settingsRequested(), backRequested().
    """

    exitRequested = Signal()
    restartRequested = Signal()
    settingsRequested = Signal()
    backRequested = Signal()

    def __init__(self, stats: KioskStats, engine_pid: Callable[[], int | None], policy: NetworkPolicy,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats, self._engine_pid, self.policy = stats, engine_pid, policy
        self.setObjectName("adminScreen")
        self.model_name = ""
        title = QLabel(self.tr("Kiosk administration"))
        title.setObjectName("adminTitle")
        self.model_line = QLabel()
        self.model_line.setObjectName("adminModel")
        self.model_line.setWordWrap(True)
        self.documents_line = QLabel()
        self.documents_line.setObjectName("adminDocuments")
        self.documents_line.setWordWrap(True)
        self.documents_line.hide()
        self.values: dict[str, QLabel] = {}
        self.tiles = []
        names = (("uptime", self.tr("Running for")), ("visitors", self.tr("Visitors")),
                 ("answers", self.tr("Answers")), ("restarts", self.tr("Engine restarts")),
                 ("window_memory", self.tr("Window memory")), ("engine_memory", self.tr("Engine memory")),
                 ("network", self.tr("Network")))
        for key, words in names:
            tile = QFrame()
            tile.setObjectName("adminTile")
            value = QLabel()
            value.setObjectName("adminValue")
            value.setWordWrap(True)
            name = QLabel(words)
            name.setObjectName("adminName")
            inner = QVBoxLayout(tile)
            inner.setContentsMargins(20, 14, 20, 14)
            inner.addWidget(value)
            inner.addWidget(name)
            self.tiles.append(tile)
            self.values[key] = value
        self.offline_button = QPushButton()
        self.offline_button.setObjectName("adminButton")
        self.offline_button.setCheckable(True)
        self.offline_button.toggled.connect(self._set_offline)
        self.buttons = {}
        for key, words, signal in (("back", self.tr("Back to the visitors"), self.backRequested),
                                   ("settings", self.tr("Settings…"), self.settingsRequested),
                                   ("restart", self.tr("Restart the engine"), self.restartRequested),
                                   ("exit", self.tr("Exit kiosk"), self.exitRequested)):
            button = QPushButton(words)
            button.setObjectName("adminButton")
            button.clicked.connect(signal)
            self.buttons[key] = button
        self.buttons["back"].setObjectName("adminPrimary")
        self._tile_grid, self._button_grid = QGridLayout(), QGridLayout()
        self._tile_grid.setSpacing(16)
        self._button_grid.setSpacing(16)
        self._columns = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(24)
        layout.addWidget(title)
        layout.addWidget(self.model_line)
        layout.addWidget(self.documents_line)
        layout.addLayout(self._tile_grid)
        layout.addStretch(1)
        layout.addLayout(self._button_grid)
        self._reflow(self._columns_for(self.screen().geometry().width()))
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.show_figures)

    def _reflow(self, columns: int) -> None:
        """The tiles and the buttons in ``columns`` columns (fewer on a narrow screen)."""
        if columns == self._columns:
            return
        self._columns = columns
        buttons = [self.buttons["back"], self.buttons["settings"], self.buttons["restart"], self.offline_button,
                   self.buttons["exit"]]
        for grid, widgets, across in ((self._tile_grid, self.tiles, columns),
                                      (self._button_grid, buttons, columns - 1)):
            for widget in widgets:
                grid.removeWidget(widget)
            for place, widget in enumerate(widgets):
                grid.addWidget(widget, place // across, place % across)
            for column in range(WIDE_COLUMNS):
                grid.setColumnStretch(column, 1 if column < across else 0)

    @staticmethod
    def _columns_for(width: int) -> int:
        return WIDE_COLUMNS if width >= WIDE_PX else NARROW_COLUMNS

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._reflow(self._columns_for(event.size().width()))
        super().resizeEvent(event)

    def show_figures(self) -> None:
        """The figures as they are now."""
        stats, values = self.stats, self.values
        self.model_line.setText(self.tr("Model: {name}").format(name=self.model_name) if self.model_name
                                else self.tr("No model loaded"))
        values["uptime"].setText(format_duration(stats.uptime_s))
        values["visitors"].setText(str(stats.visitors))
        values["answers"].setText(str(stats.answers))
        values["restarts"].setText(str(stats.restarts))
        window, engine = rss_bytes(os.getpid()), rss_bytes(self._engine_pid())
        values["window_memory"].setText(format_size(window) if window is not None else "–")
        values["engine_memory"].setText(format_size(engine) if engine is not None else self.tr("no engine running"))
        offline = self.policy.offline
        values["network"].setText(self.tr("blocked") if offline else self.tr("allowed"))
        self.offline_button.blockSignals(True)
        self.offline_button.setChecked(offline)
        self.offline_button.blockSignals(False)
        self.offline_button.setText(self.tr("Offline mode: on") if offline else self.tr("Offline mode: off"))

    def set_documents(self, text: str, missing: bool) -> None:
        """What the kiosk answers from, in a line under the model; ``missing``: the kiosk cannot, in red."""
        self.documents_line.setText(text)
        self.documents_line.setObjectName("adminDocumentsMissing" if missing else "adminDocuments")
        self.documents_line.style().polish(self.documents_line)
        self.documents_line.show()

    def _set_offline(self, on: bool) -> None:
        """Offline mode on or off for this session only (the kiosk starts offline every time)."""
        self.policy.offline = on
        self.show_figures()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.show_figures()
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._timer.stop()
        super().hideEvent(event)
