"""The window's Conversation menu: export the conversation shown (Markdown, or JSON with its routing) and
let a reasoning model think first, where its chat template has that switch."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from app.ui.chat.conversation_controller import ConversationController
from app.ui.chat.keeper import ConversationKeeper
from app.ui.chat.pane import ChatPane


class ConversationMenu(QObject):
    """Builds the menu (``menu``) and carries out its actions.

    Attributes:
        menu: the QMenu (the window adds it to its menu bar).
        thinking_action: the checkable "Let the model think first".
    """

    def __init__(self, window: QWidget, chat: ChatPane, keeper: ConversationKeeper,
                 store: ConversationController) -> None:
        super().__init__(window)
        self.window, self.chat, self.keeper, self.store = window, chat, keeper, store
        self.menu = QMenu(self.tr("&Conversation"), window)
        self.menu.setObjectName("conversationMenu")
        for label, form, routing in ((self.tr("Export as &Markdown…"), "md", False),
                                     (self.tr("Export as &JSON with routing…"), "json", True)):
            action = QAction(label, window)
            action.triggered.connect(lambda _checked=False, f=form, r=routing: self.export(f, r))
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.thinking_action = QAction(self.tr("Let the model &think first"), window)
        self.thinking_action.setObjectName("thinkingAction")
        self.thinking_action.setCheckable(True)
        self.thinking_action.setEnabled(False)
        self.thinking_action.setToolTip(self.tr(
            "Reasoning models (such as Qwen3) can write down their thoughts before they answer: slower, "
            "often better. Only models whose chat template has this switch offer it."))
        self.thinking_action.toggled.connect(self._on_thinking_toggled)
        self.menu.addAction(self.thinking_action)
        store.exported.connect(self._on_exported)
        store.exportFailed.connect(self._on_export_failed)

    def export(self, form: str, routing: bool) -> None:
        """Save the conversation shown as Markdown or JSON, where the user chooses."""
        if self.store.current_id is None:
            self.chat.show_notice(self.tr("There is nothing to export yet: this conversation has no messages."))
            return
        pattern = self.tr("Markdown (*.md)") if form == "md" else self.tr("JSON (*.json)")
        path, _chosen = QFileDialog.getSaveFileName(self.window, self.tr("Export conversation"),
                                                    str(Path.home() / f"conversation.{form}"), pattern)
        if path:
            self.store.export(path, form, routing)

    def _on_exported(self, path: str) -> None:
        self.chat.show_notice(self.tr("The conversation was saved to {path}.").format(path=path))

    def _on_export_failed(self, path: str, why: str) -> None:
        self.chat.show_notice(self.tr("The conversation could not be saved to {path}: {why}").format(
            path=path, why=why), "error")

    def show_thinking_choice(self) -> None:
        """The switch is offered where the loaded model's template has one, showing the conversation's choice."""
        available = self.keeper.thinking_switch
        self.thinking_action.setEnabled(available)
        self.thinking_action.blockSignals(True)
        self.thinking_action.setChecked(available and self.keeper.settings.thinking is not False)
        self.thinking_action.blockSignals(False)

    def _on_thinking_toggled(self, on: bool) -> None:
        self.keeper.set_settings(dataclasses.replace(self.keeper.settings, thinking=on))
