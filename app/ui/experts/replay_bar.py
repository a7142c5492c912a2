"""Replay of an answer's routing: ReplayController moves the token strip's selection on a timer, and
ReplayBar is its row of controls (start, step back, play/pause, step forward, end, speed).

The controller drives app.core.talks.timeline.Replay with the real time between ticks, so a replay keeps
the answer's own token rate (several tokens per frame at high rates, at most ~60 repaints a second), and
moves the selection through TokenStrip.sync_selection: whatever follows the strip's selectionChanged
animates as it did live.

Keys (``install_keys`` on any widget, e.g. the whole expert view; a focused child that uses a key, such
as the heatmap its arrows, keeps it): Space plays or pauses, Left/Right and Page Up/Down (what presenter
remotes send) step one token, Home/End jump to the first/last token.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.talks.timeline import SPEEDS, Timeline
from app.ui.experts.fitting import FitRow
from app.ui.experts.token_names import token_name
from app.ui.experts.token_strip import TokenStrip
from app.ui.formatting import format_decimal
from app.ui.theme import PROJECTOR, current

_PRESENTATION_STYLE = PROJECTOR.fill(
    "QPushButton { background: $button; color: $text; border: 1px solid $button_border; font-size: 18pt; }"
    "QPushButton:checked { background: $strong; color: $strong_text; border-color: $strong; }"
    "QPushButton:disabled { color: $disabled_text; }"
    "QLabel { color: $text; font-size: 18pt; }")

FRAME_S = 1 / 60
"""Shortest time between two ticks: the replay repaints at most this often."""


class ReplayController(QObject):
    """Plays, pauses, steps and jumps the selection of ``strip``'s timeline.

    Signals:
        stateChanged: playing or speed changed (the bar shows it).
    """

    stateChanged = Signal()

    def __init__(self, strip: TokenStrip, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.strip = strip
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last_tick = 0.0
        self._keys = {Qt.Key.Key_Space: self.toggle, Qt.Key.Key_Left: lambda: self.step(-1),
                      Qt.Key.Key_Right: lambda: self.step(1), Qt.Key.Key_PageUp: lambda: self.step(-1),
                      Qt.Key.Key_PageDown: lambda: self.step(1), Qt.Key.Key_Home: self.to_start,
                      Qt.Key.Key_End: self.to_end}
        strip.selectionChanged.connect(self._stop_if_paused)
        strip.tokensChanged.connect(self._stop_if_paused)

    @property
    def playing(self) -> bool:
        timeline = self.strip.timeline
        return timeline is not None and timeline.replay.playing

    @property
    def speed(self) -> float:
        timeline = self.strip.timeline
        return timeline.replay.speed if timeline is not None else 1.0

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        timeline = self.strip.timeline
        if timeline is None or not len(timeline):
            return
        moved = timeline.replay.play()
        self._last_tick = time.perf_counter()
        self._schedule()
        if moved:
            self.strip.sync_selection()
        self.stateChanged.emit()

    def pause(self) -> None:
        if self.strip.timeline is not None:
            self.strip.timeline.replay.pause()
        self._timer.stop()
        self.stateChanged.emit()

    def step(self, steps: int) -> None:
        self._move(lambda replay: replay.step(steps))

    def to_start(self) -> None:
        self._move(lambda replay: replay.to_start())

    def to_end(self) -> None:
        self._move(lambda replay: replay.to_end())

    def _move(self, action) -> None:
        timeline = self.strip.timeline
        if timeline is None:
            return
        was_playing = timeline.replay.playing
        if action(timeline.replay):
            self.strip.sync_selection()
        if was_playing:
            self._timer.stop()
            self.stateChanged.emit()

    def set_speed(self, speed: float) -> None:
        """One of SPEEDS; a replay under way goes on at the new speed."""
        timeline = self.strip.timeline
        if timeline is None or speed == timeline.replay.speed:
            return
        timeline.replay.set_speed(speed)
        if timeline.replay.playing:
            self._schedule()
        self.stateChanged.emit()

    def _schedule(self) -> None:
        due = self.strip.timeline.replay.due_in()
        self._timer.start(max(round(max(due, FRAME_S) * 1000), 1))

    def _tick(self) -> None:
        timeline = self.strip.timeline
        if timeline is None or not timeline.replay.playing:
            return
        now = time.perf_counter()
        elapsed, self._last_tick = now - self._last_tick, now
        if timeline.replay.advance(elapsed):
            self.strip.sync_selection()
        if timeline.replay.playing:
            self._schedule()
        else:
            self.stateChanged.emit()

    def _stop_if_paused(self, *_selection: int) -> None:
        """The user selected a token meanwhile (the strip pauses the replay then), or another timeline is
        shown: stop ticking."""
        if self._timer.isActive() and not self.playing:
            self._timer.stop()
            self.stateChanged.emit()

    def install_keys(self, widget: QWidget) -> None:
        """Handle the replay keys in ``widget`` and in its children that leave them unused."""
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            action = self._keys.get(event.key())
            if action is not None and modifiers == Qt.KeyboardModifier.NoModifier:
                action()
                return True
        return super().eventFilter(watched, event)


def _icon(kind: str, colour: QColor, size: int) -> QIcon:
    """A media control drawn as shapes (play, pause, step, jump), so that it scales and takes any colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    unit = size / 12

    def triangle(left: float, right: float) -> None:
        path = QPainterPath(QPointF(left * unit, 2 * unit))
        path.lineTo(right * unit, 6 * unit)
        path.lineTo(left * unit, 10 * unit)
        path.closeSubpath()
        painter.drawPath(path)

    def bar(left: float) -> None:
        painter.drawRect(int(left * unit), int(2 * unit), max(int(1.6 * unit), 1), int(8 * unit))

    shapes = {
        "play": lambda: triangle(3, 10),
        "pause": lambda: (bar(3.2), bar(7.2)),
        "forward": lambda: (triangle(3, 8.4), bar(8.4)),
        "back": lambda: (triangle(9, 3.6), bar(2)),
        "end": lambda: (triangle(1.5, 6), triangle(6, 10.5), bar(10.4)),
        "start": lambda: (triangle(10.5, 6), triangle(6, 1.5), bar(0)),
    }
    shapes[kind]()
    painter.end()
    return QIcon(pixmap)


def speed_text(speed: float) -> str:
    """A replay speed as "0.25×", "1×", "1.5×" in the user's locale."""
    decimals = len(f"{speed:g}".partition(".")[2])
    return QCoreApplication.translate("ReplayBar", "{speed}×").format(speed=format_decimal(speed, decimals))


class ReplayBar(QWidget):
    """Start, step back, play/pause, step forward, end, the speed, and which token is shown (``position_label``),
    in ``rows`` (a FitRow): side by side where they fit, else one under the other."""

    def __init__(self, controller: ReplayController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.presentation = False
        self._icons: dict[str, QIcon] = {}
        self.start_button = self._button(self.tr("To the first token (Home)"))
        self.back_button = self._button(self.tr("One token back (Left, Page Up)"))
        self.play_button = self._button(self.tr("Play (Space)"))
        self.forward_button = self._button(self.tr("One token on (Right, Page Down)"))
        self.end_button = self._button(self.tr("To the last token (End)"))
        self.start_button.clicked.connect(controller.to_start)
        self.back_button.clicked.connect(lambda: controller.step(-1))
        self.play_button.clicked.connect(controller.toggle)
        self.forward_button.clicked.connect(lambda: controller.step(1))
        self.end_button.clicked.connect(controller.to_end)
        self.speed_buttons: dict[float, QPushButton] = {}
        self._speeds = QButtonGroup(self)
        speed_caption = QLabel(self.tr("Speed"))
        speed_caption.setObjectName("caption")
        transport = QWidget()
        transport_row = QHBoxLayout(transport)
        transport_row.setContentsMargins(0, 0, 0, 0)
        transport_row.setSpacing(4)
        for button in self._controls():
            transport_row.addWidget(button)
        self.position_label = QLabel()
        self.position_label.setObjectName("caption")
        speed_choices = QWidget()
        speeds_row = QHBoxLayout(speed_choices)
        speeds_row.setContentsMargins(0, 0, 0, 0)
        speeds_row.setSpacing(0)
        for speed in SPEEDS:
            button = self._button(self.tr("Replay at {speed} the speed the answer was written").format(
                speed=speed_text(speed)))
            button.setText(speed_text(speed))
            button.setObjectName("segment")
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, speed=speed: controller.set_speed(speed))
            self._speeds.addButton(button)
            self.speed_buttons[speed] = button
            speeds_row.addWidget(button)
        # one row where it fits; else the speeds under the buttons, the position under them where even buttons
        # and position do not fit side by side, and "Speed" over the speeds in the narrowest dock
        speeds = FitRow([speed_caption, speed_choices], spacing=6)
        self.rows = FitRow([FitRow([transport, self.position_label], stretch=1), speeds], stretch=0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rows)
        controller.stateChanged.connect(self.show_state)
        controller.strip.tokensChanged.connect(self.show_state)
        controller.strip.selectionChanged.connect(self.show_position)
        self.set_presentation(False)

    def _button(self, tip: str) -> QPushButton:
        button = QPushButton()
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys with the view
        return button

    def _controls(self) -> tuple[QPushButton, ...]:
        return self.start_button, self.back_button, self.play_button, self.forward_button, self.end_button

    def set_presentation(self, on: bool) -> None:
        """Large, high-contrast controls for projectors, or the normal ones."""
        self.presentation = on
        self.setStyleSheet(_PRESENTATION_STYLE if on
                           else "QPushButton#segment { padding: 5px 6px; }")  # five speeds fit a narrow dock
        colour = QColor((PROJECTOR if on else current()).text)
        size = 34 if on else 18
        kinds = ("start", "back", "play", "pause", "forward", "end")
        self._icons = {kind: _icon(kind, colour, size) for kind in kinds}
        for button, kind in zip(self._controls(), ("start", "back", "play", "forward", "end")):
            button.setIcon(self._icons[kind])
            button.setIconSize(QSize(size, size))
        self.show_state()

    def show_state(self) -> None:
        """Show play or pause, the speed, and whether there is anything to replay."""
        controller = self.controller
        self.play_button.setIcon(self._icons["pause" if controller.playing else "play"])
        playing = controller.playing
        self.play_button.setToolTip(self.tr("Pause (Space)") if playing else self.tr("Play (Space)"))
        self.speed_buttons[controller.speed].setChecked(True)
        timeline = controller.strip.timeline
        enabled = timeline is not None and len(timeline) > 0
        for button in (*self._controls(), *self.speed_buttons.values()):
            button.setEnabled(enabled)
        self.show_position()

    def show_position(self, *_selection: int) -> None:
        """Which token the view shows (``position_text``). The label is as wide as the widest of these in the
        timeline, so that a replay does not move the bar's rows about."""
        timeline = self.controller.strip.timeline
        label = self.position_label
        if timeline is None or timeline.cursor < 0:
            label.setText("")
            label.setMinimumWidth(0)
            return
        label.setText(position_text(timeline, timeline.cursor))
        last_prompt = timeline.first_answer - 1 if timeline.first_answer is not None else len(timeline) - 1
        widest = [position_text(timeline, index) for index in {last_prompt, len(timeline) - 1} if index >= 0]
        label.setMinimumWidth(max(label.fontMetrics().horizontalAdvance(text) for text in widest))


def position_text(timeline: Timeline, index: int) -> str:
    """Token ``index`` with the answer's length: "Answer token 12 of 44", or a prompt token's name."""
    if timeline.is_answer[index]:
        return QCoreApplication.translate("ReplayBar", "{token} of {count}").format(
            token=token_name(timeline, index), count=timeline.answer_count)
    return token_name(timeline, index)
