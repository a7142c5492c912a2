"""ChatPane: the conversation with the loaded model, streamed token by token."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
)
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.core.engine import protocol
from app.core.engine.protocol import ASSISTANT, USER, ChatMessage
from app.ui.formatting import format_decimal

_BUBBLES = {
    # role: (background, border, left margin, right margin)
    "user": ("#e3efff", "#b7d0f5", 64, 0),
    "assistant": ("#f4f5f7", "#dadde2", 0, 64),
    "notice": ("#fff6da", "#e8d28a", 24, 24),
    "error": ("#fde8e8", "#e7a5a5", 24, 24),
}

SHOWN_CHARACTERS = 20_000
"""Characters of a message shown in the transcript; the rest of a longer one (a pasted file) is only
counted there, because laying out a megabyte of text holds the window up for a second at every resize.
The model still gets the whole message."""


class MessageInput(QPlainTextEdit):
    """A multi-line text box where Enter sends and Shift+Enter starts a new line.

    Signals:
        submitted(): Enter (or the keypad's Enter) was pressed without Shift.
    """

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ChatPane(QWidget):
    """Message list, input box and Send/Stop; keeps the conversation and streams the answer in.

    ``add_token`` only collects text; ``flush()`` (driven by the window's refresh timer) puts it
    on screen, so a fast model cannot flood the GUI.

    Attributes:
        messages: the conversation so far (ChatMessage), sent whole with each request.
        generating: whether an answer is being written.
        settings: generation settings that override the defaults (app.core.defaults) in every
            request: any of the fields of protocol.Generate but its prompt and messages
            (``max_tokens``, ``temperature``, ``top_p``, ``top_k``, ``repeat_penalty``, ``seed``, ``stop``).
        answer_text: the text of the answer being written (or the last one).
        transcript: the QTextBrowser showing the conversation.

    Signals:
        generateRequested(Generate): the user sent a message; the request for the answer.
        stopRequested(): the user pressed Stop.
    """

    generateRequested = Signal(object)
    stopRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages: list[ChatMessage] = []
        self.generating = False
        self.settings: dict = {}
        self.answer_text = ""
        self._pending_text = ""
        self._model_name: str | None = None
        self._answer_cursor: QTextCursor | None = None

        self.transcript = QTextBrowser()
        self.transcript.setObjectName("transcript")
        self.transcript.setOpenLinks(False)
        self.transcript.document().setDocumentMargin(12)
        self.transcript.setMinimumWidth(260)

        self.input = MessageInput()
        self.input.setObjectName("messageInput")
        self.input.setTabChangesFocus(True)
        self.input.setPlaceholderText(
            self.tr("Type your message — Enter sends, Shift+Enter starts a new line")
        )
        self.input.setFixedHeight(self.input.fontMetrics().lineSpacing() * 3 + 24)
        self.input.submitted.connect(self.send)
        self.input.textChanged.connect(self._update_buttons)

        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("primary")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the answer now"))
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.new_chat_button = QPushButton(self.tr("New chat"))
        self.new_chat_button.setToolTip(self.tr("Forget this conversation and start afresh"))
        self.new_chat_button.clicked.connect(self.new_chat)

        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.new_chat_button)
        buttons.addStretch(1)
        input_row = QHBoxLayout()
        input_row.addWidget(self.input, 1)
        input_row.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(input_row)
        self.show_notice(
            self.tr(
                "Welcome! Type your message below and press Enter. The answer appears here, and the "
                "Experts pane shows which experts work on every token. Another model can be chosen "
                "in the Model library (Load)."
            )
        )
        self._update_buttons()

    def set_model(self, name: str | None) -> None:
        """The model that answers now, or None while none is ready."""
        self._model_name = name
        self._update_buttons()

    def send(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or self.generating or self._model_name is None:
            return
        self.input.clear()
        self.messages.append(ChatMessage(USER, text))
        self._append_bubble("user", self.tr("You"), self._shortened(text))
        self._answer_cursor = self._append_bubble("assistant", self._model_name, "")
        self.answer_text = ""
        self._pending_text = ""
        self.generating = True
        self._update_buttons()
        self.generateRequested.emit(protocol.Generate(messages=tuple(self.messages), **self.settings))

    def _shortened(self, text: str) -> str:
        if len(text) <= SHOWN_CHARACTERS:
            return text
        hidden = self.tr("[… {count} more characters, not shown here]").format(
            count=QLocale().toString(len(text) - SHOWN_CHARACTERS))
        return text[:SHOWN_CHARACTERS] + "\n" + hidden

    def add_token(self, token: protocol.Token) -> None:
        if self.generating:
            self._pending_text += token.text

    def flush(self) -> bool:
        """Put the text gathered since the last call on screen; returns whether anything changed."""
        if not self.answer_text:
            self._pending_text = self._pending_text.lstrip()
        if not self._pending_text or self._answer_cursor is None:
            return False
        at_bottom = self._scrolled_to_bottom()
        self._answer_cursor.insertText(self._pending_text)
        self.answer_text += self._pending_text
        self._pending_text = ""
        if at_bottom:
            self._scroll_to_bottom()
        return True

    def finish_answer(self, stats: protocol.Finished) -> None:
        """The answer is complete (or was stopped): show its statistics and keep it in the history."""
        if not self.generating:
            return
        self.flush()
        count = stats.answer_tokens
        parts = [self.tr("1 token") if count == 1 else self.tr("{count} tokens").format(count=count)]
        if count:
            parts.append(self.tr("{rate} tokens/s").format(rate=format_decimal(stats.tokens_per_s)))
        parts.append(self.tr("first token after {seconds} s").format(seconds=format_decimal(stats.ttft_s, 2)))
        reason = {
            protocol.STOP_STOPPED: self.tr("stopped"),
            protocol.STOP_LENGTH: self.tr("length limit reached"),
            protocol.STOP_CONTEXT_FULL: self.tr("the conversation is too long for the model — start a new chat"),
        }.get(stats.stop_reason)
        if reason:
            parts.append(reason)
        self._end_answer(" · ".join(parts))

    def restart_answer(self, notice: str) -> None:
        """The answer being written starts over (the engine is asked again): its partial text goes,
        ``notice`` says why, and a fresh answer bubble follows it."""
        if not self.generating or self._answer_cursor is None:
            self.show_notice(notice)
            return
        frame = self._answer_cursor.currentFrame()
        cursor = QTextCursor(self.transcript.document())
        cursor.setPosition(frame.firstPosition() - 1)
        cursor.setPosition(frame.lastPosition() + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self.show_notice(notice)
        self._answer_cursor = self._append_bubble("assistant", self._model_name or "", "")
        self.answer_text = ""
        self._pending_text = ""

    def abort_answer(self, reason: str) -> None:
        """The answer ended without statistics (engine lost, error); ``reason`` says why."""
        if self.generating:
            self.flush()
            self._end_answer(reason)

    def _end_answer(self, footer: str) -> None:
        cursor = self._answer_cursor
        if cursor is not None:
            if not self.answer_text:
                cursor.insertText("…")
            cursor.insertBlock()
            footer_format = QTextCharFormat()
            footer_format.setForeground(QColor("#5f6368"))
            footer_format.setFontPointSize(self.font().pointSizeF() * 0.85)
            cursor.insertText(footer, footer_format)
        if self.answer_text.strip():
            self.messages.append(ChatMessage(ASSISTANT, self.answer_text))
        elif self.messages and self.messages[-1].role == USER:
            self.messages.pop()
        self._answer_cursor = None
        self.generating = False
        self._update_buttons()
        self._scroll_to_bottom()

    def show_notice(self, text: str, kind: str = "notice") -> None:
        """A line from MoEscope itself (``kind`` "notice" or "error"), not part of the conversation."""
        self._append_bubble(kind, "", text)

    def new_chat(self) -> None:
        if self.generating:
            return
        self.messages.clear()
        self.answer_text = ""
        self.transcript.clear()
        self.input.setFocus()

    def _on_stop_clicked(self) -> None:
        self.stop_button.setEnabled(False)
        self.stopRequested.emit()

    def _update_buttons(self) -> None:
        ready = self._model_name is not None
        self.send_button.setEnabled(ready and not self.generating and bool(self.input.toPlainText().strip()))
        self.send_button.setToolTip("" if ready else self.tr("Load a model in the Model library first"))
        self.stop_button.setEnabled(self.generating)
        self.new_chat_button.setEnabled(not self.generating)

    def _append_bubble(self, role: str, header: str, body: str) -> QTextCursor:
        """Add one message frame at the end; returns a cursor at the end of its text."""
        background, border, left, right = _BUBBLES[role]
        frame_format = QTextFrameFormat()
        frame_format.setBackground(QColor(background))
        frame_format.setBorder(1)
        frame_format.setBorderBrush(QColor(border))
        frame_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        frame_format.setPadding(10)
        frame_format.setTopMargin(4)
        frame_format.setBottomMargin(8)
        frame_format.setLeftMargin(left)
        frame_format.setRightMargin(right)
        at_bottom = self._scrolled_to_bottom()
        cursor = self.transcript.document().rootFrame().lastCursorPosition()
        cursor.insertFrame(frame_format)
        body_format = QTextCharFormat()
        body_format.setFontWeight(QFont.Weight.Normal)
        body_format.setForeground(QColor("#1f1f1f"))
        if header:
            header_format = QTextCharFormat()
            header_format.setFontWeight(QFont.Weight.Bold)
            header_format.setForeground(QColor("#1a4f8b" if role == "user" else "#3c4043"))
            cursor.insertText(header, header_format)
            cursor.insertBlock(QTextBlockFormat(), body_format)
        cursor.setCharFormat(body_format)
        cursor.insertText(body)
        if at_bottom:
            self._scroll_to_bottom()
        return cursor

    def _scrolled_to_bottom(self) -> bool:
        bar = self.transcript.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_to_bottom(self) -> None:
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())
