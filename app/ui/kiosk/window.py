"""KioskWindow: the kiosk's one window, full screen and without a frame: the welcome screen or a visitor's
conversation beside the expert view in its presentation style, the data-locality indicator above; the
idle countdown and the "one moment" notice over it; the PIN pad and the admin screen behind the hidden
gesture.

Every visitor starts fresh: after the idle countdown (or Start over) the conversation leaves memory, the
expert view is emptied, the engine drops its KV cache (``EngineWorker.forget``) and the welcome screen
returns. Nothing about visitors is written anywhere: there is no conversation store here, no routing
trace is kept, no QSettings value is set.

Only when the configuration names a document collection does the kiosk answer from the user's documents,
from that collection alone (app.ui.kiosk.documents); without the setting it has no documents at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import psutil
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.core.defaults import DEFAULT_CONTEXT
from app.core.engine import protocol
from app.core.engine.supervisor import Loss, Problem
from app.core.kiosk.config import KioskConfig, default_config_path
from app.core.kiosk.pin import Lockout
from app.core.kiosk.stats import KioskStats
from app.core.locality.policy import NetworkPolicy
from app.core.models.gguf import ModelInfo
from app.ui.engine_words import problem_text
from app.ui.experts.pane import ExpertsPane
from app.ui.kiosk.admin import AdminGesture, AdminScreen, PinPad
from app.ui.kiosk.conversation import ConversationScreen
from app.ui.kiosk.documents import KioskDocuments
from app.ui.kiosk.idle import CountdownOverlay, IdleWatch
from app.ui.kiosk.lockdown import Lockdown
from app.ui.kiosk.overlay import Overlay
from app.ui.kiosk.settings_dialog import KioskSettingsDialog
from app.ui.kiosk.style import KIOSK_STYLE
from app.ui.kiosk.welcome import WelcomeScreen
from app.ui.library.words import model_display_name
from app.ui.locality.indicator import LocalityGuard, LocalityIndicator
from app.ui.main_window import REFRESH_INTERVAL_MS
from app.ui.presentation import ProjectorWindow
from app.ui.theme import PROJECTOR, ThemedStyleSheet
from app.worker import EngineWorker

MB = 1024 * 1024
SCREENS_SHARE = 36
"""Per cent of the width the welcome screen or conversation takes beside the expert view."""


class NoticeOverlay(Overlay):
    """"One moment, please": the engine is (re)starting or the model loading; or, for the staff, why the
    kiosk cannot answer."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("noticeOverlay")
        self.title = self.add_label("overlayTitle")
        self.text = self.add_label("overlayText")

    def say(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        self.cover()


class KioskWindow(QWidget):
    """The kiosk for one configuration, over one EngineWorker.

    Attributes:
        config: the KioskConfig.
        worker: the EngineWorker (on its own thread); reached through queued signals.
        stats: what the admin screen counts (KioskStats).
        lockout: the PIN pad's lock-out.
        lockdown, idle, gesture: the application event filters it installs while shown.
        welcome, conversation, experts: the visitor's screens and the expert view.
        pin_pad, admin: the administrator's screens.
        countdown, notice: the overlays.
        projector: the window holding the expert view on a second screen, else None.
        model_info: the loaded model, or None.
        ready: whether a visitor can ask now (a model is loaded and no engine restarting).
        settings_dialog: the admin's open settings dialog, else None.
        documents: the KioskDocuments when the configuration names a collection, else None.

    Signals:
        loadRequested(str, int, int), generateRequested(Generate), forgetRequested(): queued to the worker.
        exitRequested(): the administrator chose Exit (the window has closed).
        settingsSaved(KioskConfig): the administrator saved a new configuration.
    """

    loadRequested = Signal(str, int, int)
    generateRequested = Signal(object)
    forgetRequested = Signal()
    exitRequested = Signal()
    settingsSaved = Signal(object)

    def __init__(self, worker: EngineWorker, config: KioskConfig, models_dir: Path, policy: NetworkPolicy,
                 *, stats: KioskStats | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("kioskWindow")
        self.setWindowTitle("MoEscope")
        self.worker, self.config, self.models_dir, self.policy = worker, config, models_dir, policy
        self.stats = stats or KioskStats(clock)
        self.lockout = Lockout(clock)
        self.model_info: ModelInfo | None = None
        self.ready = False
        self.projector: ProjectorWindow | None = None
        self.settings_dialog: KioskSettingsDialog | None = None
        self._visited = False  # a question was asked since the last wipe
        self._n_ctx = DEFAULT_CONTEXT
        self.locality_guard = LocalityGuard(lambda: worker.pid, policy=policy)
        ThemedStyleSheet(self, KIOSK_STYLE)

        self.welcome = WelcomeScreen(config.welcome, config.examples)
        self.welcome.asked.connect(self._on_asked)
        self.welcome.question.input.textChanged.connect(self._update_idle)
        self.conversation = ConversationScreen()
        self.conversation.settings = {"max_tokens": config.max_answer_tokens}
        self.conversation.generateRequested.connect(self._on_generate_requested)
        self.conversation.stopRequested.connect(worker.stop, Qt.ConnectionType.DirectConnection)
        self.conversation.startOverRequested.connect(self.wipe)
        self.conversation.answerEnded.connect(self._on_answer_ended)
        self.conversation.question.input.textChanged.connect(self._update_idle)
        self.experts = ExpertsPane()
        self.experts.set_presentation(True)
        self.experts_frame = QFrame()  # the expert view's dark ground, a little wider than the view
        self.experts_frame.setObjectName("expertsFrame")
        self.experts_frame.setStyleSheet(PROJECTOR.fill(
            "QFrame#expertsFrame { background: $window; border-radius: 18px; }"))
        QVBoxLayout(self.experts_frame).setContentsMargins(16, 16, 16, 16)
        self.experts_frame.layout().addWidget(self.experts)
        self.experts_frame.hide()
        self.pin_pad = PinPad(config.pin_hash, self.lockout)
        self.pin_pad.accepted.connect(self._show_admin)
        self.pin_pad.cancelled.connect(self.show_visitors)
        self.admin = AdminScreen(self.stats, lambda: worker.pid, policy)
        self.admin.backRequested.connect(self.show_visitors)
        self.admin.exitRequested.connect(self.exit_kiosk)
        self.admin.restartRequested.connect(self.restart_engine)
        self.admin.settingsRequested.connect(self.show_settings)
        self.documents = None if config.documents is None else KioskDocuments(
            config.documents, self.conversation, self.generateRequested.emit, lambda: self._n_ctx, self.admin, self)
        self._build()

        self.countdown = CountdownOverlay(self)
        self.notice = NoticeOverlay(self)
        self.lockdown = Lockdown(self)
        self.lockdown.guard(self)
        self.idle = IdleWatch(config.idle_timeout, config.countdown, self, clock)
        self.idle.countdownStarted.connect(self.countdown.cover)
        self.idle.tick.connect(self.countdown.show_seconds)
        self.idle.countdownCancelled.connect(self.countdown.hide)
        self.idle.expired.connect(self.wipe)
        self.gesture = AdminGesture(self, clock)
        self.gesture.triggered.connect(self.show_pin_pad)

        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_INTERVAL_MS)
        self._refresh.timeout.connect(self._flush)
        self.loadRequested.connect(worker.load)
        self.generateRequested.connect(worker.generate)
        self.forgetRequested.connect(worker.forget)
        worker.loaded.connect(self._on_loaded)
        worker.promptRouting.connect(self._on_prompt_routing)
        worker.token.connect(self._on_token)
        worker.finished.connect(self._on_finished)
        worker.error.connect(self._on_error)
        worker.engineLost.connect(self._on_engine_lost)
        worker.compatibilityMode.connect(self._on_engine_lost)
        worker.stalled.connect(self._one_moment)
        worker.memoryReload.connect(self._on_memory_reload)
        worker.engineRestarted.connect(self._on_engine_restarted)
        # Straight from the engine's reader thread: logging it blocks nobody. (Connected to this window's own
        # methods, these end with the window when the kiosk is built again with new settings.)
        worker.networkBlocked.connect(self._record_engine_attempt, Qt.ConnectionType.DirectConnection)
        guard = self.locality_guard
        self.destroyed.connect(lambda *_args: guard.close())
        self._set_ready(False)

    def _build(self) -> None:
        brand = QLabel("MoEscope")
        brand.setObjectName("brand")
        self.model_label = QLabel()
        self.model_label.setObjectName("modelName")
        self.model_label.setWordWrap(True)  # a long model name must not widen the window past the screen
        self.locality = LocalityIndicator(self.locality_guard.tracker)
        self.locality.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(brand)
        top.addWidget(self.model_label, 1)
        top.addWidget(self.locality)
        self.screens = QStackedWidget()
        self.screens.addWidget(self.welcome)
        self.screens.addWidget(self.conversation)
        body = QHBoxLayout()
        body.setSpacing(32)
        body.addWidget(self.screens, SCREENS_SHARE)
        body.addWidget(self.experts_frame, 100 - SCREENS_SHARE)
        visitor = QWidget()
        column = QVBoxLayout(visitor)
        column.setContentsMargins(40, 24, 40, 32)
        column.setSpacing(24)
        column.addLayout(top)
        column.addLayout(body, 1)
        self.visitor_page = visitor
        self.pages = QStackedWidget()
        for page in (visitor, self.pin_pad, self.admin):
            self.pages.addWidget(page)
        self.pages.currentChanged.connect(self._update_idle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # --- showing and closing ---------------------------------------------------------------------

    def show_kiosk(self) -> None:
        """Full screen, locked down, watching for idle time and the admin gesture; the expert view on a
        second screen if the configuration asks for it and there is one."""
        app = QApplication.instance()
        self.lockdown.lock(app)
        self.idle.watch(app)
        app.installEventFilter(self.gesture)
        self.setGeometry(self.screen().geometry())  # full screen also where no window manager obliges
        self.showFullScreen()
        self._place_experts()
        self.welcome.question.input.setFocus()

    def _place_experts(self) -> None:
        if not self.config.show_experts or not self.config.second_screen:
            return
        here = self.screen()
        other = next((screen for screen in QGuiApplication.screens() if screen is not here), None)
        if other is None:
            return
        self.projector = ProjectorWindow()
        self.projector.hold(self.experts)
        self.lockdown.guard(self.projector)
        self.projector.setScreen(other)
        self.projector.setGeometry(other.geometry())
        self.projector.showFullScreen()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.locality_guard.start()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Reached only once the lockdown released the window (Exit, or a new configuration)."""
        if self.conversation.generating:
            self.worker.stop()
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        app = QApplication.instance()
        self.idle.unwatch(app)
        self.lockdown.unlock(app)
        app.removeEventFilter(self.gesture)
        self.locality_guard.stop()
        if self.documents is not None:
            self.documents.close()
        if self.projector is not None:
            self.projector.close()
            self.projector.deleteLater()
            self.projector = None
        super().closeEvent(event)

    def release(self) -> None:
        """Let the window close (and its filters go) and close it."""
        self.lockdown.release()
        self.close()

    # --- the model -------------------------------------------------------------------------------

    def load_model(self, path: str) -> None:
        self._set_ready(False)
        self.notice.say(self.tr("One moment, please"), self.tr("The model is being loaded."))
        self.loadRequested.emit(path, DEFAULT_CONTEXT, 0)

    def adopt_engine(self) -> None:
        """The model the engine has loaded already (a window made again with a new configuration)."""
        if self.worker.last_loaded is not None:
            self._on_loaded(self.worker.last_loaded)

    def _on_loaded(self, event: protocol.Loaded) -> None:
        info = event.info
        self.model_info = info
        self._n_ctx = event.n_ctx
        name = model_display_name(info)
        self.conversation.model_name = name
        self.admin.model_name = name
        self.model_label.setText(name)
        self.locality.set_model_path(info.path)
        self.conversation.settings = {"max_tokens": self.config.max_answer_tokens,
                                      **({"thinking": False} if event.thinking_switch else {})}
        self._reset_experts()
        self.experts_frame.setVisible(self.config.show_experts and self.projector is None)
        self._set_ready(True)
        self.notice.hide()

    def _reset_experts(self) -> None:
        """The expert view empty, in the configuration's view."""
        self.experts.set_model(self.model_info)
        self.experts.set_view(self.config.experts_view)
        self.experts.set_mode("token")

    def _set_ready(self, ready: bool) -> None:
        self.ready = ready
        self.welcome.set_ready(ready)
        self.conversation.set_ready(ready)

    # --- a visitor's questions -------------------------------------------------------------------

    def _on_asked(self, text: str) -> None:
        self.screens.setCurrentWidget(self.conversation)
        self.conversation.ask(text)
        self.conversation.question.input.setFocus()

    def _on_generate_requested(self, request: protocol.Generate) -> None:
        self._visited = True
        self.experts.begin_answer()
        self._update_idle()
        if self.documents is None:
            self.generateRequested.emit(request)
        else:
            self.documents.ask(request)

    def _on_prompt_routing(self, event: protocol.PromptRouting) -> None:
        if self.conversation.generating and self.config.show_experts:
            self.experts.add_prompt_routing(event.tokens)
            self._schedule_refresh()

    def _on_token(self, token: protocol.Token) -> None:
        if not self.conversation.generating:  # one still on its way after a wipe: nobody's any more
            return
        self.conversation.add_token(token)
        if self.config.show_experts:
            self.experts.add_token(token)
        self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        if not self._refresh.isActive():
            self._refresh.start()

    def _flush(self) -> None:
        self.conversation.flush()
        self.experts.flush()
        if self.experts.has_pending:
            self._schedule_refresh()

    def _on_finished(self, stats: protocol.Finished) -> None:
        if not self.conversation.generating:
            return
        self._refresh.stop()
        self._flush()
        self.experts.finish_answer(stats)
        self.conversation.finish_answer(stats)

    def _on_answer_ended(self, answered: bool) -> None:
        if answered:
            self.stats.answer()
        self._update_idle()

    def _on_error(self, problem: Problem) -> None:
        if self.conversation.generating:
            self._flush()
            self.conversation.abort_answer(self.tr("no answer: something went wrong — please ask again"))
        elif self.model_info is None:  # the model could not be loaded: for the staff
            self.notice.say(self.tr("This kiosk is not ready"),
                            self.tr("Please tell the staff: {problem}").format(problem=problem_text(problem)))

    def _on_engine_lost(self, _loss: Loss) -> None:
        """The engine died (or was ended by the stall watchdog): the answer ends, and a short notice stays
        up until the model is back."""
        self._refresh.stop()
        if self.conversation.generating:
            self._flush()
            self.conversation.abort_answer(self.tr("interrupted — please ask again"))
        self._one_moment()

    def _record_engine_attempt(self, pid: int, attempt) -> None:
        self.locality_guard.record_engine_attempt(pid, attempt)

    def _on_engine_restarted(self) -> None:
        self.stats.restart()

    def _on_memory_reload(self, _rss: int) -> None:
        self.stats.restart()
        self._one_moment()

    def _one_moment(self) -> None:
        self._set_ready(False)
        self.notice.say(self.tr("One moment, please"), self.tr("The model is starting again."))

    # --- the next visitor ------------------------------------------------------------------------

    @property
    def fresh(self) -> bool:
        """Whether nothing of a visitor is on screen: the welcome screen, nothing typed, no admin screen."""
        return (self.pages.currentWidget() is self.visitor_page and self.screens.currentWidget() is self.welcome
                and self.welcome.empty and self.conversation.empty)

    def _update_idle(self, *_args) -> None:
        self.idle.set_armed(not self.fresh and not self.conversation.generating)

    def wipe(self) -> None:
        """Forget the visitor: the conversation leaves memory (and the clipboard), the expert view empties,
        the engine drops its KV cache, and the welcome screen returns."""
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        if self.conversation.generating:
            self.worker.stop()
        self._refresh.stop()
        if self.documents is not None:
            self.documents.cancel()
            self.documents.refresh()
        self.conversation.clear()
        self.welcome.clear()
        if self.model_info is not None:
            self._reset_experts()
        self.forgetRequested.emit()
        self.countdown.hide()
        self.pin_pad.reset()
        self.screens.setCurrentWidget(self.welcome)
        self.pages.setCurrentWidget(self.visitor_page)
        self.welcome.question.input.setFocus()
        if self._visited:
            self.stats.visitor()
        self._visited = False
        self._update_idle()

    # --- the administrator -----------------------------------------------------------------------

    def show_pin_pad(self) -> None:
        if self.pages.currentWidget() is self.admin:
            return
        self.pin_pad.reset()
        self.pages.setCurrentWidget(self.pin_pad)
        self.pin_pad.setFocus()

    def _show_admin(self) -> None:
        if self.documents is not None:
            self.documents.refresh()
        self.pages.setCurrentWidget(self.admin)

    def show_visitors(self) -> None:
        self.pages.setCurrentWidget(self.visitor_page)

    def exit_kiosk(self) -> None:
        self.release()
        self.exitRequested.emit()

    def restart_engine(self) -> None:
        """A fresh engine with the model again (and the visitor's conversation wiped): the engine process is
        ended, and the worker's restart after a loss does the rest."""
        self.wipe()
        pid = self.worker.pid
        if pid is not None:
            try:
                psutil.Process(pid).kill()
            except psutil.Error:
                return
            self._one_moment()

    def show_settings(self) -> None:
        """The kiosk settings; saving them starts the kiosk again with them (settingsSaved)."""
        dialog = KioskSettingsDialog(self.config, default_config_path(), self.models_dir, parent=self)
        dialog.saved.connect(self.settingsSaved)
        dialog.finished.connect(lambda _result: self._settings_closed(dialog))
        self.settings_dialog = dialog
        dialog.open()

    def _settings_closed(self, dialog: KioskSettingsDialog) -> None:
        if self.settings_dialog is dialog:
            self.settings_dialog = None
        dialog.deleteLater()
