"""The window's side of data locality: the guard that watches MoEscope's processes, and the status bar's
LocalityIndicator, which says in icon and words where data goes right now.

The policy, monitor and tracker themselves are Qt-free (``app.core.locality``); their callbacks run on
other threads and reach the widgets here only through queued signals.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

import psutil
from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QWidget

from app.core.engine.client import ENGINE_HOST_FLAG
from app.core.locality.audit import AuditEntry, AuditLog
from app.core.locality.guard import current_policy
from app.core.locality.monitor import ConnectionMonitor
from app.core.locality.policy import BLOCKED, NetworkAttempt, NetworkPolicy
from app.core.locality.state import LocalityKind, LocalityState, LocalityTracker
from app.ui import settings
from app.ui.resources import icon
from app.ui.theme import current, switcher

# Icon and colours per state. The words always say the same as the colour, so nobody depends on it.
STATE_ICONS = {
    LocalityKind.LOCAL: "local",
    LocalityKind.DOWNLOAD: "download",
    LocalityKind.OFFLINE: "offline",
    LocalityKind.WARNING: "warning",
    LocalityKind.SERVER: "server",
}
TEXT_COLOURS = {  # the theme's colour names (app/ui/theme.py)
    LocalityKind.LOCAL: "good_text",
    LocalityKind.DOWNLOAD: "link",
    LocalityKind.OFFLINE: "strong",
    LocalityKind.WARNING: "bad_text",
    LocalityKind.SERVER: "caution_text",  # not the green of "local": the text does leave this computer
}


def apply_saved_offline(policy: NetworkPolicy | None = None) -> None:
    """Turn offline mode on in ``policy`` (default: the installed one) if the switch was left on.

    Call it before the engine starts, so that the engine inherits the policy as the window has it.
    A policy that is offline already (a kiosk's exported one) stays offline whatever was saved.
    """
    policy = policy or current_policy()
    if policy is not None and settings.offline():
        policy.offline = True


class LocalityGuard:
    """The window's policy, the monitor watching the window's and the engine's sockets, and the tracker
    that turns both into the indicator's state.

    The monitor runs only between ``start()`` and ``stop()`` (the window's show and close); its entries
    go to this session's audit log. Offline mode starts off unless the saved switch says otherwise
    (or the policy was already offline, as a kiosk's exported policy may be).

    Attributes:
        policy: the NetworkPolicy in force (the installed one, unless one is given).
        monitor: the ConnectionMonitor for the window process ("gui") and the engine ("engine").
        tracker: the LocalityTracker behind the indicator.
    """

    def __init__(self, engine_pid: Callable[[], int | None], *, policy: NetworkPolicy | None = None,
                 audit: AuditLog | None = None, interval: float = 1.0) -> None:
        self.policy = policy or current_policy() or NetworkPolicy()
        self._engine_pid = engine_pid
        self.monitor = ConnectionMonitor(self.processes, interval, policy=self.policy,
                                         audit=audit or AuditLog())
        self.tracker = LocalityTracker(self.policy, self.monitor)
        apply_saved_offline(self.policy)

    def processes(self) -> dict[int, str]:
        """The processes to watch: ``{pid: role}``: the window's, the engine's while one runs, and every
        other engine process the window started (the embedding models' of document search)."""
        watched = {os.getpid(): "gui"}
        engine = self._engine_pid()
        if engine is not None:
            watched[engine] = "engine"
        for child in psutil.Process().children():
            with contextlib.suppress(psutil.Error):
                if ENGINE_HOST_FLAG in child.cmdline():
                    watched.setdefault(child.pid, "engine")
        return watched

    def start(self) -> None:
        self.monitor.start()

    def stop(self) -> None:
        self.monitor.stop()

    def close(self) -> None:
        """Stop the monitor and stop following the policy (the window is gone)."""
        self.monitor.stop()
        self.tracker.close()

    def record_engine_attempt(self, pid: int, attempt: NetworkAttempt) -> None:
        """Log an attempt the engine process ``pid`` reported; safe to call from any thread."""
        self.monitor.record_engine_attempt(pid, attempt)

    def set_offline(self, offline: bool) -> None:
        """Switch offline mode, and keep the choice for the next start."""
        settings.set_offline(offline)
        self.policy.offline = offline


def received_words(what: str | None) -> str:
    """What a user action receives ("the model file"), in the user's language."""
    known = {
        "the model file": QCoreApplication.translate("LocalityIndicator", "the model file"),
        "the search results": QCoreApplication.translate("LocalityIndicator", "the search results"),
    }
    return known.get(what or "", what or "")


def state_words(state: LocalityState) -> str:
    """The indicator's words for ``state``, in the user's language."""
    if state.kind is LocalityKind.SERVER:
        return QCoreApplication.translate(
            "LocalityIndicator", "Company server {host} — your text goes to this server"
        ).format(host=state.host)
    if state.kind is LocalityKind.DOWNLOAD:
        return QCoreApplication.translate(
            "LocalityIndicator", "Download from {host} — only {what} is received"
        ).format(host=state.host, what=received_words(state.what))
    if state.kind is LocalityKind.OFFLINE:
        return QCoreApplication.translate("LocalityIndicator", "Offline mode — network blocked")
    if state.kind is LocalityKind.WARNING:
        return QCoreApplication.translate(
            "LocalityIndicator", "Warning: unexpected connection to {host}"
        ).format(host=state.host)
    return QCoreApplication.translate("LocalityIndicator", "Local — nothing leaves this computer")


def server_address_words(private: bool) -> str:
    """Whether a company server's address is a private (or this computer's) one, in the user's language."""
    if private:
        return QCoreApplication.translate("LocalityIndicator", "private network address")
    return QCoreApplication.translate("LocalityIndicator", "public address")


def state_explanation(state: LocalityState, warning: AuditEntry | None = None) -> str:
    """One or two sentences on what ``state`` means, in the user's language."""
    if state.kind is LocalityKind.SERVER:
        return QCoreApplication.translate(
            "LocalityIndicator",
            "What you type, with the conversation so far, is sent to the company server {host} ({address}), "
            "which writes the answers. No other computer can be reached, except for downloads or searches "
            "you start.",
        ).format(host=state.host, address=server_address_words(state.private))
    if state.kind is LocalityKind.DOWNLOAD:
        return QCoreApplication.translate(
            "LocalityIndicator",
            "MoEscope is receiving {what} from {host}, as you asked. Nothing you type is sent; "
            "no other computer can be reached meanwhile.",
        ).format(host=state.host, what=received_words(state.what))
    if state.kind is LocalityKind.OFFLINE:
        return QCoreApplication.translate(
            "LocalityIndicator",
            "Offline mode is on: MoEscope opens no connection to another computer, not even for "
            "downloads or searches.",
        )
    if state.kind is LocalityKind.WARNING:
        if warning is not None and warning.verdict != BLOCKED:
            return QCoreApplication.translate(
                "LocalityIndicator",
                "A connection to {host} was seen open although MoEscope did not allow it. It was logged.",
            ).format(host=state.host)
        return QCoreApplication.translate(
            "LocalityIndicator",
            "Something in MoEscope tried to connect to {host}. It was blocked before anything was sent, "
            "and logged.",
        ).format(host=state.host)
    return QCoreApplication.translate(
        "LocalityIndicator",
        "The model runs in a separate process on this computer. "
        "MoEscope sends nothing you type over the network.",
    )


class ElidedLabel(QLabel):
    """A one-line label that shortens its words with "…" when the status bar gives it less room than they
    need, instead of cutting them off mid-letter; ``text()`` keeps the whole words (for screen readers
    and the tooltip)."""

    MIN_CHARACTERS = 8
    """Room for about this many characters at least (the icon says the rest)."""

    def shown_text(self) -> str:
        """The words as drawn: all of them, or as many as fit followed by "…"."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * self.MIN_CHARACTERS), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.contentsRect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.shown_text())


class LocalityIndicator(QAbstractButton):
    """The status bar's icon and words for where data goes now; a button that opens the details.

    A screen reader finds a button whose name is the visible words and whose description is the
    tooltip (what the state means, the loaded model file, what a click does). When the status bar is
    short of room, the words end in "…"; the tooltip has them all. The warning state is
    drawn on an amber panel as well, but the icon and the words alone say the same.

    Attributes:
        state: the LocalityState shown.
        text_label: the words shown (an ElidedLabel: shortened with "…" when the room is short).
        model_path: the loaded model file, or None.

    Signals:
        clicked(): inherited; the user clicked the indicator or pressed Space on it.
    """

    _stateArrived = Signal(object)

    def __init__(self, tracker: LocalityTracker | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = LocalityState.local()
        self.model_path: str | None = None
        self._tracker: LocalityTracker | None = None
        self.setObjectName("localityIndicator")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.icon_label = QLabel()
        self.icon_label.setStyleSheet("padding: 0;")  # the status bar pads its labels; these sit close
        self.text_label = ElidedLabel()
        self.text_label.setObjectName("localityText")
        for label in (self.icon_label, self.text_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 10, 2)
        layout.setSpacing(6)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.text_label)
        # Queued always: tracker callbacks come from any thread, and a direct call from this one
        # could overtake states still queued from others.
        self._stateArrived.connect(self._show_state, Qt.ConnectionType.QueuedConnection)
        switcher().changed.connect(self.restyle)
        if tracker is not None:
            self.set_tracker(tracker)
        else:
            self._show_state(self.state)

    def set_tracker(self, tracker: LocalityTracker) -> None:
        """Follow ``tracker`` from now on (its current state is shown at once)."""
        self._tracker = tracker
        unsubscribe = tracker.subscribe(self._stateArrived.emit)
        self.destroyed.connect(lambda *_args: unsubscribe())
        self._show_state(tracker.state)

    def set_model_path(self, path: str | None) -> None:
        self.model_path = path
        self._describe()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.layout().minimumSize()

    def restyle(self) -> None:
        """The window's theme changed: the words' colour and the icon again."""
        self._show_state(self.state)

    def _show_state(self, state: LocalityState) -> None:
        self.state = state
        size = self.fontMetrics().height() + 4
        self.icon_label.setPixmap(icon(STATE_ICONS[state.kind]).pixmap(size, size))
        words = state_words(state)
        self.text_label.setText(words)
        colour = getattr(current(), TEXT_COLOURS[state.kind])
        self.text_label.setStyleSheet(f"color: {colour}; font-weight: bold; padding: 0;")
        self.setText(words)
        self.setAccessibleName(words)
        self._describe()
        self.updateGeometry()
        self.update()

    def _describe(self) -> None:
        warning = self._tracker.warning_entry if self._tracker is not None else None
        lines = [state_explanation(self.state, warning)]
        if self.state.kind is LocalityKind.SERVER:
            lines.append(self.tr("Model: {model}").format(model=self.model_path or self.tr("none loaded yet")))
        elif self.model_path:
            lines.append(self.tr("Model file: {path}").format(path=self.model_path))
        else:
            lines.append(self.tr("No model loaded."))
        if self.state.kind is LocalityKind.WARNING:
            lines.append(self.tr("Click to see the details and acknowledge the warning."))
        else:
            lines.append(self.tr("Click to see where your data is stored, the connection log and the "
                                 "offline switch."))
        text = "\n".join(lines)
        self.setToolTip(f"{state_words(self.state)}\n{text}")  # all the words, however short the room
        self.setAccessibleDescription(text)

    def enterEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        self.update()
        super().leaveEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._show_state(self.state)
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self.rect().adjusted(1, 1, -1, -1)
        colours = current()
        if self.state.kind is LocalityKind.WARNING:
            painter.setPen(QPen(QColor(colours.caution_frame), 1.5))
            painter.setBrush(QColor(colours.caution))
            painter.drawRoundedRect(area, 5, 5)
        elif self.isDown() or self.underMouse():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colours.pressed if self.isDown() else colours.hover))
            painter.drawRoundedRect(area, 5, 5)
        if self.hasFocus():
            painter.setPen(QPen(QColor(colours.focus), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(area, 5, 5)
