"""ConversationScreen: a visitor's conversation with the kiosk's model, in large type, with a question box,
Stop and Start over; and the QuestionBox the welcome screen shares.

With the kiosk's documents, an answer names its sources under it by file name and page only: nothing to
click, no path, no file to open."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.core.chat.model import Source
from app.core.chat.reasoning import ReasoningSplitter
from app.core.engine import protocol
from app.core.engine.protocol import ASSISTANT, USER, ChatMessage
from app.ui.chat.transcript import COPY_CODE, TOGGLE_THINKING, Entry, Transcript
from app.ui.chat.transcript import ERROR as ERROR_ENTRY
from app.ui.chat.transcript import NOTICE as NOTICE_ENTRY
from app.ui.documents.words import source_label
from app.ui.formatting import format_decimal

QUESTION_CHARACTERS = 500
"""A visitor's question is at most this long (the box takes no more)."""


class QuestionBox(QWidget):
    """One line to type a question in and a large Ask button; Enter asks too.

    Signals:
        asked(str): the question, trimmed, not empty; the box is empty again.
    """

    asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input = QLineEdit()
        self.input.setObjectName("question")
        self.input.setMaxLength(QUESTION_CHARACTERS)
        self.input.setPlaceholderText(self.tr("Type your question here…"))
        self.input.setAccessibleName(self.tr("Your question"))
        self.input.setClearButtonEnabled(True)
        self.input.returnPressed.connect(self.ask)
        self.input.textChanged.connect(self._update)
        self.ask_button = QPushButton(self.tr("Ask"))
        self.ask_button.setObjectName("askButton")
        self.ask_button.clicked.connect(self.ask)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.input, 1)
        layout.addWidget(self.ask_button)
        self.ready = True
        self._update()

    def set_ready(self, ready: bool) -> None:
        """Whether a question can be asked now (a model is loaded and no answer is being written)."""
        self.ready = ready
        self._update()

    def ask(self) -> None:
        text = self.input.text().strip()
        if not text or not self.ready:
            return
        self.input.clear()
        self.asked.emit(text)

    def clear(self) -> None:
        """Empty, with nothing to undo: QLineEdit.clear() can be undone, and the next visitor's Ctrl+Z would
        bring the text back; setText clears the undo history."""
        self.input.setText("")

    def _update(self) -> None:
        self.ask_button.setEnabled(self.ready and bool(self.input.text().strip()))


class ConversationScreen(QWidget):
    """The conversation so far and the answer being written, streamed in; a question box below.

    ``add_token`` only collects text; ``flush()`` (driven by the window's refresh timer) renders the answer
    again. Answers are Markdown (app.ui.chat.transcript); a reasoning section shows as a "Thinking…" line.

    Attributes:
        messages: the conversation (ChatMessage), sent whole with each question.
        generating: whether an answer is being written.
        settings: fields of protocol.Generate every question is sent with (``max_tokens``, ``thinking`` …).
        model_name: who answers (the answers' heading).
        transcript, question: the parts.

    Signals:
        generateRequested(Generate): the request for an answer to the conversation as it is.
        stopRequested(): the visitor pressed Stop.
        startOverRequested(): the visitor pressed Start over.
        answerEnded(bool): an answer ended; whether it has any text.
    """

    generateRequested = Signal(object)
    stopRequested = Signal()
    startOverRequested = Signal()
    answerEnded = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages: list[ChatMessage] = []
        self.generating = False
        self.settings: dict = {}
        self.model_name = ""
        self._model_ready = False
        self._splitter: ReasoningSplitter | None = None
        self._answer: Entry | None = None
        self._pending = ""
        self.transcript = Transcript()
        self.transcript.setObjectName("kioskTranscript")
        self.transcript.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.transcript.actionRequested.connect(self._on_action)
        self.question = QuestionBox()
        self.question.asked.connect(self.ask)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.clicked.connect(self._on_stop)
        self.start_over_button = QPushButton(self.tr("Start over"))
        self.start_over_button.setObjectName("startOverButton")
        self.start_over_button.setToolTip(self.tr("Clear this conversation for the next visitor"))
        self.start_over_button.clicked.connect(self.startOverRequested)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.start_over_button)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.question, 1)
        row.addWidget(self.stop_button)  # in the Ask button's place while an answer is written
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(row)
        self._update()

    @property
    def empty(self) -> bool:
        """Whether nothing of a visitor is here: no messages, nothing typed."""
        return not self.transcript.entries and not self.question.input.text()

    @property
    def answer_text(self) -> str:
        """The answer being written (or the last one), without its reasoning section."""
        return self._splitter.answer if self._splitter is not None else ""

    def set_ready(self, ready: bool) -> None:
        """Whether the model can answer now (loaded, not restarting)."""
        self._model_ready = ready
        self._update()

    def ask(self, text: str) -> None:
        """Ask ``text``: it joins the conversation, and the answer is asked for."""
        if self.generating or not text.strip():
            return
        self.messages.append(ChatMessage(USER, text))
        self.transcript.append(Entry(USER, text, header=self.tr("You")))
        self._splitter = ReasoningSplitter()
        self._answer = Entry(ASSISTANT, header=self.model_name)
        self._pending = ""
        self.transcript.append(self._answer)
        self.transcript.scroll_to_end()
        self.generating = True
        self._update()
        self.generateRequested.emit(protocol.Generate(messages=tuple(self.messages), **self.settings))

    def add_token(self, token: protocol.Token) -> None:
        if self.generating:
            self._pending += token.text

    def flush(self) -> None:
        """Take in the text gathered since the last call and show it."""
        if not self._pending or self._splitter is None:
            return
        self._splitter.feed(self._pending)
        self._pending = ""
        self._take_in()
        self._render_answer()

    def _take_in(self) -> None:
        entry, splitter = self._answer, self._splitter
        if entry is None or splitter is None:
            return
        entry.text, entry.thinking = splitter.answer, splitter.thinking
        entry.thinking_now, entry.thinking_s = splitter.is_thinking, splitter.thinking_seconds

    def _render_answer(self) -> None:
        if self._answer is not None and self._answer in self.transcript.entries:
            self.transcript.render_from(self.transcript.entries.index(self._answer))

    def finish_answer(self, stats: protocol.Finished) -> None:
        """The answer is complete (or was stopped): its figures below it, and it joins the conversation."""
        if not self.generating:
            return
        parts = [self.tr("%n token(s)", "", stats.answer_tokens)]
        if stats.answer_tokens:
            parts.append(self.tr("{rate} tokens/s").format(rate=format_decimal(stats.tokens_per_s)))
        if stats.stop_reason == protocol.STOP_STOPPED:
            parts.append(self.tr("stopped"))
        elif stats.stop_reason == protocol.STOP_CONTEXT_FULL:
            parts.append(self.tr("the conversation is full — please start over"))
        self._end_answer(" · ".join(parts))

    def abort_answer(self, reason: str) -> None:
        """The answer ended without figures (the engine was lost, an error); ``reason`` says so below it."""
        if self.generating:
            self._end_answer(reason)

    def set_sources(self, sources: list[Source]) -> None:
        """The passages of the kiosk's documents the answer was given: named under it, file and page only."""
        if self._answer is not None:
            self._answer.sources = [(source_label(source, heading=False), None) for source in sources]
            self._render_answer()

    def answer_without_model(self, text: str, footer: str) -> None:
        """End the answer being written with ``text`` from the kiosk itself (the model was not asked)."""
        if self.generating:
            self._pending = text
            self._end_answer(footer)

    def _end_answer(self, footer: str) -> None:
        splitter, entry = self._splitter, self._answer
        if splitter is not None:
            splitter.feed(self._pending)
            self._pending = ""
            splitter.finish()
            self._take_in()
        answer = splitter.answer if splitter is not None else ""
        if answer.strip():
            self.messages.append(ChatMessage(ASSISTANT, answer))
        elif self.messages and self.messages[-1].role == USER:
            self.messages.pop()  # no answer: the question is not asked again with the next one
        if entry is not None:
            entry.thinking_now = False
            entry.footer = footer
            if not answer.strip():
                entry.shown = "…"
        self._render_answer()
        self._answer = None
        self.generating = False
        self._update()
        self.answerEnded.emit(bool(answer.strip()))

    def show_notice(self, text: str, error: bool = False) -> None:
        """A line from the kiosk itself, not part of the conversation."""
        self.transcript.append(Entry(ERROR_ENTRY if error else NOTICE_ENTRY, text))

    def clear(self) -> None:
        """Forget the conversation: messages, what is shown, what was typed, the clipboard."""
        self.messages.clear()
        self._splitter = None
        self._answer = None
        self._pending = ""
        self.generating = False
        self.transcript.clear_entries()
        self.question.clear()
        QGuiApplication.clipboard().clear()
        self._update()

    def _on_stop(self) -> None:
        self.stop_button.setEnabled(False)
        self.stopRequested.emit()

    def _on_action(self, action: str, number: int, block: int) -> None:
        entry = self.transcript.entries[number]
        if action == COPY_CODE and block < len(entry.code_blocks):
            QGuiApplication.clipboard().setText(entry.code_blocks[block])
        elif action == TOGGLE_THINKING:
            entry.expanded = not entry.thinking_open
            self.transcript.render_from(number)

    def _update(self) -> None:
        self.stop_button.setEnabled(self.generating)
        self.stop_button.setVisible(self.generating)
        self.question.ask_button.setVisible(not self.generating)
        self.start_over_button.setEnabled(not self.generating)
        self.question.set_ready(self._model_ready and not self.generating)
