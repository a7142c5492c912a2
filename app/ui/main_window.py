"""MainWindow: chat, model library and expert view as dock panes, with a status bar."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QWidget

from app.core.chat.model import Settings
from app.core.engine import protocol
from app.core.engine.supervisor import Loss, Problem
from app.core.locality.audit import AuditLog
from app.core.locality.policy import NetworkPolicy
from app.core.models.gguf import ModelInfo
from app.ui.chat.conversation_controller import ConversationController, store_problem_text
from app.ui.chat.conversation_menu import ConversationMenu
from app.ui.chat.conversations import ConversationList
from app.ui.chat.keeper import ConversationKeeper
from app.ui.chat.pane import ChatPane
from app.ui.chat.settings_dialog import SettingsDialog
from app.ui.documents.document_chat import DocumentChat
from app.ui.engine_words import compat_text, dropped_text, lost_text, problem_text, template_problem_text
from app.ui.experts.pane import ExpertsPane
from app.ui.formatting import format_decimal, format_percent
from app.ui.library.pane import LibraryPane
from app.ui.locality.indicator import LocalityGuard, LocalityIndicator
from app.ui.experts.menu import ExpertsMenu
from app.ui.file_menu import FileMenu
from app.ui.guide.dialog import show_guide
from app.ui.help_menu import HelpMenu
from app.ui.locality.panel import LocalityPanel
from app.ui.settings_menu import SettingsMenu
from app.ui.presentation import PresentationMode
from app.ui import settings, window_layout
from app.ui.resources import icon
from app.ui.library.words import model_display_name
from app.ui.library.table_model import INSTALLED
from app.worker import EngineWorker

REFRESH_INTERVAL_MS = 33
"""Streamed text and routing reach the screen at most this often (about 30 frames a second): every frame
costs the GUI CPU time that, on a machine with few cores, the engine's threads lose (bench/app_speed.py)."""


class MainWindow(QMainWindow):
    """The application window. Talks to the engine only through the EngineWorker's signals and slots.

    Token events only update the panes' data; a single-shot refresh timer (REFRESH_INTERVAL_MS, so at most
    about 30 times a second) puts the gathered text and routing on screen, whatever the token rate.
    Geometry and dock layout are saved in QSettings (the application's organisation and name) on
    close and restored on open; View › Reset layout puts the panes back in place.

    Attributes:
        worker: the EngineWorker (on its own thread).
        chat, library, experts: the three panes.
        conversations: the list of kept conversations, beside the chat in its dock.
        conversation_store: the ConversationController (the store, on a thread of its own).
        conversation_menu, experts_menu: the Conversation and Experts menus (ConversationMenu, ExpertsMenu).
        file_menu, settings_menu, help_menu: the File, Settings and Help menus (FileMenu, SettingsMenu, HelpMenu).
        language_menu: Settings › Language (LanguageMenu).
        presentation: the PresentationMode (F5).
        keeper: the ConversationKeeper that keeps the chat in the store.
        document_chat: DocumentChat, the chat answering from document collections (File › Documents…).
        chat_dock, library_dock, experts_dock: the QDockWidgets holding them.
        locality: the status bar's LocalityIndicator; clicking it opens the LocalityPanel.
        locality_guard: the policy, connection monitor (running while the window is open) and tracker.
        locality_panel: the LocalityPanel once it was opened, else None.
        model_info: the loaded model, or None.
        engine_ready: whether the engine has started.

    Signals:
        loadRequested(str, int, int): queued to ``worker.load`` (path, context size, experts per token).
        generateRequested(Generate): queued to ``worker.generate``.
    """

    loadRequested = Signal(str, int, int)
    generateRequested = Signal(object)

    def __init__(self, worker: EngineWorker, models_dir: Path, parent: QWidget | None = None, *,
                 policy: NetworkPolicy | None = None, audit: AuditLog | None = None,
                 conversations_path: Path | None = None, documents_path: Path | None = None) -> None:
        """``policy`` defaults to the installed one, ``audit`` to this session's log in the data folder,
        ``conversations_path`` and ``documents_path`` to the data folder's conversation database and
        document index."""
        super().__init__(parent)
        self.worker = worker
        self.locality_guard = LocalityGuard(lambda: worker.pid, policy=policy, audit=audit)
        self.locality_panel: LocalityPanel | None = None
        self.chat_settings_dialog: SettingsDialog | None = None
        self.model_info: ModelInfo | None = None
        self.engine_ready = False
        self.compatibility_mode = False
        self._switching_to_compat = False
        self._shown_once = False
        self._routing_waiting: tuple | None = None  # an opened answer's (trace, stats) until its model is loaded
        self._model_before_load: ModelInfo | None = None
        self._reloading = False
        self._answer_tokens = 0
        self._first_token_at: float | None = None
        self._n_ctx = 0

        self.setWindowTitle("MoEscope")
        self.setWindowIcon(icon("moescope"))
        self.setDockNestingEnabled(True)

        self.chat = ChatPane()
        self.conversations = ConversationList()
        self.conversation_store = ConversationController(conversations_path, self)
        self.keeper = ConversationKeeper(self.chat, self.conversation_store, self)
        self.library = LibraryPane(models_dir, policy=self.locality_guard.policy)
        self.experts = ExpertsPane()
        self.document_chat = DocumentChat(self.chat, self.keeper, self.generateRequested.emit, lambda: self._n_ctx,
                                          self, documents_path)
        self.document_chat.embedding_models = lambda: [
            (item.name, item.path) for item in self.library.model.items((INSTALLED,)) if item.embedding]
        self.library_dock = window_layout.dock(self, self.library, self.tr("Model library"), "libraryDock")
        chat_side = QSplitter(Qt.Orientation.Horizontal)
        chat_side.setObjectName("chatSplitter")
        chat_side.addWidget(self.conversations)
        chat_side.addWidget(self.chat)
        chat_side.setStretchFactor(1, 1)
        chat_side.setSizes([200, 520])
        self.chat_dock = window_layout.dock(self, chat_side, self.tr("Chat"), "chatDock")
        self.experts_dock = window_layout.dock(self, self.experts, self.tr("Experts"), "expertsDock")
        self.presentation = PresentationMode(self, self.experts, self.experts_dock, self.chat_dock, self.library_dock)
        self._build_status_bar()
        self._build_menu()
        worker.capture_scores = settings.capture_scores()
        self.experts_menu.scores_action.toggled.connect(lambda on: setattr(worker, "capture_scores", on))

        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_INTERVAL_MS)
        self._refresh.timeout.connect(self._flush)

        self.loadRequested.connect(worker.load)
        self.generateRequested.connect(worker.generate)
        worker.started.connect(self._on_engine_started)
        worker.loaded.connect(self._on_loaded)
        worker.promptRouting.connect(self._on_prompt_routing)
        worker.token.connect(self._on_token)
        worker.finished.connect(self._on_finished)
        worker.unloaded.connect(self._on_unloaded)
        worker.error.connect(self._on_error)
        worker.engineLost.connect(self._on_engine_lost)
        worker.compatibilityMode.connect(self._on_compatibility_mode)
        worker.engineRestarted.connect(self._on_engine_restarted)
        worker.busyChanged.connect(self.library.set_engine_busy)
        guard = self.locality_guard
        # Straight from the engine's reader thread: logging it blocks nobody, and the indicator hears of
        # it through the tracker's queued signal.
        worker.networkBlocked.connect(guard.record_engine_attempt, Qt.ConnectionType.DirectConnection)
        self.destroyed.connect(lambda *_args: guard.close())
        self.chat.generateRequested.connect(self._on_generate_requested)
        self.chat.stopRequested.connect(worker.stop, Qt.ConnectionType.DirectConnection)
        self.chat.stopRequested.connect(self.document_chat.stop)
        self.library.loadRequested.connect(self.load_model)
        self.conversations.connect_controller(self.conversation_store)
        self.conversations.openRequested.connect(self.keeper.open)
        self.conversations.newRequested.connect(self.keeper.new_conversation)
        self.keeper.conversationShown.connect(self._on_conversation_shown)
        self.keeper.modelWanted.connect(self._on_model_wanted)
        self.keeper.routingShown.connect(self._on_routing_shown)
        self.experts.layoutChanged.connect(lambda: settings.set_expert_view(self.experts.choices()))
        self.conversation_store.error.connect(self._on_store_error)

        self.dock_shares = window_layout.DockShares(self, [self.library_dock, self.chat_dock, self.experts_dock])
        self.reset_layout()
        window_layout.restore(self, *settings.window_layout())
        self.library.refresh()

    def _build_status_bar(self) -> None:
        self.locality = LocalityIndicator(self.locality_guard.tracker)
        self.locality.clicked.connect(self.show_locality_panel)
        self._model_label = QLabel(self.tr("No model loaded"))
        self._speed_label = QLabel()
        self._context_label = QLabel()
        self._context_label.setObjectName("contextLabel")
        self._context_label.setToolTip(self.tr(
            "How much of the model's context the conversation fills. When it is full, the oldest messages "
            "are left out of the next answer (never the system prompt)."))
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        bar.addWidget(self.locality)
        bar.addWidget(self._model_label, 1)
        bar.addPermanentWidget(self._context_label)
        bar.addPermanentWidget(self._speed_label)

    def _build_menu(self) -> None:
        self.file_menu = FileMenu(self)
        self.menuBar().addMenu(self.file_menu.menu)
        view = self.menuBar().addMenu(self.tr("&View"))
        reset = QAction(self.tr("&Reset layout"), self)
        reset.triggered.connect(self.reset_layout)
        view.addAction(reset)
        self.conversation_menu = ConversationMenu(self, self.chat, self.keeper, self.conversation_store)
        self.menuBar().addMenu(self.conversation_menu.menu)
        self.experts_menu = ExpertsMenu(self, self.experts, self.presentation, self.chat.show_notice)
        self.menuBar().addMenu(self.experts_menu.menu)
        self.settings_menu = SettingsMenu(self)
        self.menuBar().addMenu(self.settings_menu.menu)
        self.language_menu = self.settings_menu.language_menu
        self.help_menu = HelpMenu(self)
        self.menuBar().addMenu(self.help_menu.menu)
        first_steps = QAction(self.tr("&First steps…"), self)
        first_steps.setObjectName("firstStepsAction")
        first_steps.triggered.connect(lambda: show_guide(self))
        self.help_menu.add_guide_action(first_steps)

    def adopt_engine(self) -> None:
        """A window made while the engine already runs (the language was switched): ready, with its model."""
        self.engine_ready = self.worker.pid is not None
        if self.worker.last_loaded is not None:
            self._on_loaded(self.worker.last_loaded)

    def reset_layout(self) -> None:
        """Library on the left, chat in the middle, experts on the right (see app.ui.window_layout)."""
        window_layout.reset(self, self.library_dock, self.chat_dock, self.experts_dock)

    def show_locality_panel(self) -> None:
        """Open (or bring forward) the panel on storage, connections and offline mode."""
        if self.locality_panel is None:
            self.locality_panel = LocalityPanel(self.locality_guard, self.library.models_dir, self)
            self.library.modelsDirChanged.connect(self.locality_panel.set_models_dir)
            self.locality_panel.deleteConversationsRequested.connect(self._delete_all_conversations)
        self.locality_panel.show()
        self.locality_panel.raise_()
        self.locality_panel.activateWindow()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.locality_guard.start()
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self.experts_menu.restore)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.experts_menu.keep()
        self.presentation.set_active(False)
        settings.set_window_layout(self.saveGeometry(), self.saveState())
        if self.chat.generating:
            self.worker.stop()
            self._flush()
            self.chat.abort_answer(self.tr("interrupted"))
        self.keeper.close()
        self.document_chat.close()
        self.library.shutdown()
        if self.locality_panel is not None:
            self.locality_panel.close()
            self.locality_panel.shutdown()
        self.locality_guard.stop()
        super().closeEvent(event)

    def show_chat_settings(self) -> None:
        """The current conversation's system prompt and sampling, with named presets."""
        info = self.model_info
        dialog = SettingsDialog(self.keeper.settings, info.sampling if info else None,
                                model_name=info.name if info else "",
                                context_limit=info.context_length if info else None, parent=self)
        dialog.accepted.connect(lambda: self._apply_chat_settings(dialog.settings()))
        dialog.finished.connect(dialog.deleteLater)
        self.chat_settings_dialog = dialog
        dialog.open()

    def _apply_chat_settings(self, chosen: Settings) -> None:
        """Keep the chosen settings; a new context length loads the model again with it."""
        context_changed = chosen.n_ctx != self.keeper.settings.n_ctx
        self.keeper.set_settings(chosen)
        if context_changed and self.model_info is not None:
            self.load_model(self.model_info.path)

    def _on_routing_shown(self, trace, stats) -> None:
        """An answer's routing, asked for in the chat (or an opened conversation's last): into the expert view
        (once its model is loaded, if an opened conversation's model is being loaded)."""
        if self.chat.generating:
            return
        if self.library.loading_path is not None and trace is not None:
            self._routing_waiting = (trace, stats)
            return
        if trace is None:
            self.chat.show_notice(self.tr("This answer has no routing kept: it was written by a dense model, or "
                                          "before MoEscope kept routing."))
        elif self.experts.show_trace(trace, stats.tokens_per_s if stats is not None else None):
            self.experts_dock.show()
            self.experts_dock.raise_()
        elif self.model_info is not None:
            self.chat.show_notice(self.tr("This answer was routed by another model than the one loaded: load that "
                                          "model to see and replay its experts."))

    def _on_conversation_shown(self) -> None:
        """Another conversation is shown: the expert view and the speed of the one before go."""
        self._routing_waiting = None
        self.experts.begin_answer()
        self._speed_label.clear()
        self._context_label.clear()
        self.conversation_menu.show_thinking_choice()
        self._answer_tokens = 0
        self._first_token_at = None

    def _on_model_wanted(self, path: str) -> None:
        """An opened conversation was held with another model: load it, if it is still there."""
        if os.path.isfile(path) and not self.chat.generating and self.library.loading_path is None:
            self.load_model(path)

    def _on_store_error(self, kind: str, details: str) -> None:
        self.chat.show_notice(store_problem_text(kind, details), "error")

    def _delete_all_conversations(self) -> None:
        if self.chat.generating:
            self.worker.stop()
        panel = self.locality_panel
        self.conversation_store.deletedAll.connect(panel.conversations_deleted,
                                                   Qt.ConnectionType.SingleShotConnection)
        self.conversation_store.delete_all()
        self.chat.new_chat()
        self._on_conversation_shown()

    def load_model(self, path: str) -> None:
        """Load the model file at ``path``; an answer being written is stopped first."""
        if self.chat.generating:
            self.worker.stop()
        if self.model_info is not None:
            self._model_before_load = self.model_info
        self.library.set_loading(str(path))
        self._set_model(None)
        self.loadRequested.emit(str(path), self.keeper.settings.n_ctx, 0)

    def _set_model(self, info: ModelInfo | None) -> None:
        self.model_info = info
        self.chat.set_model(info.name if info else None)
        self.locality.set_model_path(info.path if info else None)
        if info is None:
            self._model_label.setText(self.tr("No model loaded"))
            self.setWindowTitle("MoEscope")
        else:
            text = self.tr("Model: {name}").format(name=model_display_name(info))
            if self.compatibility_mode:
                text += " " + self.tr("(compatibility mode)")
                self._model_label.setToolTip(self.tr(
                    "This model crashed llama.cpp's fast settings on this processor, so it runs without "
                    "them: correct answers, somewhat slower."))
            else:
                self._model_label.setToolTip("")
            self._model_label.setText(text)
            self.setWindowTitle(f"MoEscope — {model_display_name(info)}")

    def _schedule_refresh(self) -> None:
        if not self._refresh.isActive():
            self._refresh.start()

    def _flush(self) -> None:
        if self.chat.flush():
            self.keeper.answer_flushed()
        self.experts.flush()
        if self.experts.has_pending:
            self._schedule_refresh()
        if self.chat.generating and self._first_token_at is not None and self._answer_tokens > 1:
            elapsed = time.monotonic() - self._first_token_at
            if elapsed > 0:
                self._show_speed((self._answer_tokens - 1) / elapsed)

    def _show_speed(self, tokens_per_s: float) -> None:
        self._speed_label.setText(self.tr("{rate} tokens/s").format(rate=format_decimal(tokens_per_s)))

    def _on_engine_started(self) -> None:
        self.engine_ready = True

    def _on_loaded(self, event: protocol.Loaded) -> None:
        info = event.info
        self._n_ctx = event.n_ctx
        self._context_label.clear()
        self.keeper.set_thinking_switch(event.thinking_switch)
        self.conversation_menu.show_thinking_choice()
        self._reloading = False
        self.compatibility_mode = event.safe
        self.library.set_loaded(info, event.load_seconds, self.compatibility_mode)
        self.experts.set_model(info)
        self.experts.apply_choices(settings.expert_view())
        self.experts_menu.set_model(info, event.n_ctx)
        if self._routing_waiting is not None:
            self._on_routing_shown(*self._routing_waiting)
            self._routing_waiting = None
        self._set_model(info)
        self.keeper.set_model_path(info.path)
        if event.template_problem:
            self.chat.show_notice(template_problem_text(event.template_problem))

    def _on_unloaded(self) -> None:
        self.library.set_unloaded()
        self.experts.set_model(None)
        self._set_model(None)

    def _on_generate_requested(self, request: protocol.Generate) -> None:
        self._routing_waiting = None
        self.experts.begin_answer()
        self._answer_tokens = 0
        self._first_token_at = None
        self._speed_label.clear()
        if not self.document_chat.take(request):
            self.generateRequested.emit(request)

    def _on_prompt_routing(self, event: protocol.PromptRouting) -> None:
        self.keeper.add_prompt_routing(event)
        self.experts.add_prompt_routing(event.tokens)
        self._schedule_refresh()

    def _on_token(self, token: protocol.Token) -> None:
        if self._first_token_at is None:
            self._first_token_at = time.monotonic()
        self._answer_tokens += 1
        self.keeper.add_token(token)
        self.chat.add_token(token)
        self.experts.add_token(token)
        self._schedule_refresh()

    def _on_finished(self, stats: protocol.Finished) -> None:
        self._refresh.stop()
        self._flush()
        self.experts.finish_answer(stats)
        self.chat.finish_answer(stats)
        self.keeper.answer_finished(stats)
        if self._n_ctx and stats.context_used:
            self._context_label.setText(self.tr("Context: {percent} full").format(
                percent=format_percent(stats.context_used / self._n_ctx)))
        if stats.dropped_messages:
            self.chat.show_notice(dropped_text(stats.dropped_messages))
        if stats.answer_tokens:
            self._show_speed(stats.tokens_per_s)

    def _on_error(self, problem: Problem) -> None:
        if self.experts_menu.comparing:  # the comparison says in its own words what went wrong
            return
        message = problem_text(problem)
        if self.library.loading_path is not None:
            self._reloading = False
            self.library.set_load_failed(message)
            before, self._model_before_load = self._model_before_load, None
            still_loaded = self.worker.loaded_path
            if before is not None and still_loaded and os.path.realpath(before.path) == os.path.realpath(still_loaded):
                self._set_model(before)  # the engine kept (or got back) the model it had
            return
        if self.chat.generating:
            self._flush()
            self.chat.abort_answer(self.tr("no answer: an error occurred"))
            self.keeper.answer_interrupted()
        self.chat.show_notice(message, "error")

    def _on_engine_lost(self, loss: Loss) -> None:
        self._refresh.stop()
        self._flush()
        self.chat.abort_answer(self.tr("interrupted"))
        self.keeper.answer_interrupted()
        self.engine_ready = False
        self.chat.show_notice(lost_text(loss), "error")
        info = self.model_info
        self._reloading = info is not None and self.library.loading_path is None
        if self._reloading:
            self.library.set_loading(info.path, again=True)
        self._set_model(None)

    def _on_compatibility_mode(self, loss: Loss) -> None:
        """The model crashed the engine with its fast settings and comes back in compatibility mode;
        an answer being written is asked again, so the conversation goes on by itself."""
        message = compat_text(loss)
        self._refresh.stop()
        self._flush()
        self.engine_ready = False
        if self.chat.generating:
            self.chat.restart_answer(message)
            self.keeper.answer_restarted()
            self.experts.begin_answer()
            self._answer_tokens = 0
            self._first_token_at = None
        else:
            self.chat.show_notice(message)
        info = self.model_info
        path = info.path if info is not None else self.library.loading_path
        self._reloading = False
        self._switching_to_compat = True
        if path is not None:
            self.library.set_loading(path, again=True)
        self._set_model(None)

    def _on_engine_restarted(self) -> None:
        self.engine_ready = True
        if self._switching_to_compat:  # the compatibility notice already said what happens
            self._switching_to_compat = False
            return
        text = self.tr("A fresh engine was started.")
        if self._reloading:
            text += " " + self.tr("The model is being loaded again; you can go on in a moment.")
        self.chat.show_notice(text)
