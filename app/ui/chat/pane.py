"""ChatPane: the conversation with the loaded model, streamed token by token, and its controls."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import PurePath

from PySide6.QtCore import QLocale, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.chat.model import COMPLETE, INTERRUPTED, SYSTEM, AnswerStats, Message, Source
from app.core.chat.reasoning import ReasoningSplitter
from app.core.engine import protocol
from app.core.engine.protocol import ASSISTANT, USER, ChatMessage
from app.ui.chat.transcript import COPY, COPY_CODE, EDIT, ERROR, NOTICE, REGENERATE, ROUTING, SOURCE, TOGGLE_THINKING
from app.ui.chat.message_input import MessageInput
from app.ui.chat.transcript import Entry, Transcript
from app.ui.documents.words import source_links
from app.ui.formatting import format_decimal

SHOWN_CHARACTERS = 20_000
"""Characters of a message shown in the transcript; the rest of a longer one (a pasted file) is only
counted there, because laying out a megabyte of text holds the window up for a second at every resize.
The model still gets the whole message."""

RENDER_SHARE = 0.25
"""At most this share of the GUI thread's time goes to rendering a streaming answer again: after a
render that took t seconds, the next waits at least t × (1 / RENDER_SHARE − 1)."""


class ChatPane(QWidget):
    """Message list, input box and Send/Stop/New chat/Clear; keeps the conversation and streams the
    answer in, its reasoning section apart (app.core.chat.reasoning).

    ``add_token`` only collects text; ``flush()`` (driven by the window's refresh timer) splits it and
    renders the answer being written again — that message alone, and at most RENDER_SHARE of the time.

    Each message has links: Copy (to the clipboard), Edit (a user's message: it goes back into the input
    box, and sending it replaces it and everything after it) and Regenerate (the last answer).

    Attributes:
        messages: the conversation so far (ChatMessage), sent whole with each request.
        generating: whether an answer is being written.
        settings: generation settings that override the defaults (app.core.defaults) in every
            request: any of the fields of protocol.Generate but its prompt and messages
            (``max_tokens``, ``temperature``, ``top_p``, ``top_k``, ``repeat_penalty``, ``seed``, ``stop``).
        system_prompt: the conversation's system prompt, sent first with every request when not empty
            (system messages in ``messages`` are never sent: this is the one in use).
        thinking_at_start: the model's prompt opens a ``<think>`` section itself (its template's
            generation prompt ends with one, as the R1 distills' do): each answer starts inside it.
        answer_text: the answer being written (or the last one), without its reasoning section.
        editing: the index in ``messages`` of the message being edited, or None.
        transcript: the Transcript showing the conversation.

    Signals:
        generateRequested(Generate): the request for an answer (after a send, a regenerate or an edit).
        messageSent(int, str): the user's message went into ``messages`` at this index (before
            generateRequested).
        stopRequested(): the user pressed Stop.
        regenerateRequested(): the last answer was removed (from ``messages`` too); a new one is asked
            for (generateRequested follows).
        editResendRequested(int, str): the message at this index and all after it were removed, and
            the text sent in its place (messageSent and generateRequested follow).
        clearRequested(): the user cleared this conversation.
        newChatRequested(): the user asked for a new conversation (the view is empty already).
        answerEnded(Message): an answer ended, complete or interrupted (status INTERRUPTED: stopped,
            or ended by an error or a lost engine), with its reasoning section and figures. An answer
            without text is not kept in ``messages``, nor is the question it answered.
        routingRequested(int): the user asked for the answer at this index's experts in the expert view.
        sourceRequested(object): the user clicked a source of an answer: (its number, its Source).
    """

    generateRequested = Signal(object)
    messageSent = Signal(int, str)
    stopRequested = Signal()
    regenerateRequested = Signal()
    editResendRequested = Signal(int, str)
    clearRequested = Signal()
    newChatRequested = Signal()
    answerEnded = Signal(object)
    routingRequested = Signal(int)
    sourceRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages: list[ChatMessage] = []
        self.generating = False
        self.settings: dict = {}
        self.system_prompt = ""
        self.thinking_at_start = False
        self.answer_text = ""
        self.editing: int | None = None
        self._pending_text = ""
        self._model_name: str | None = None
        self._splitter: ReasoningSplitter | None = None
        self._answer: Entry | None = None
        self._next_render_at = 0.0
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.timeout.connect(self._render_answer)

        self.transcript = Transcript()
        self.transcript.actionRequested.connect(self._on_action)

        self.input = MessageInput()
        self.input.setObjectName("messageInput")
        self.input.setTabChangesFocus(True)
        self.input.setPlaceholderText(self.tr("Type your message — Enter sends, Shift+Enter starts a new line"))
        self.input.setAccessibleName(self.tr("Message"))
        self.input.setAccessibleDescription(self.input.placeholderText())
        self.input.setFixedHeight(self.input.fontMetrics().lineSpacing() * 3 + 24)
        self.input.submitted.connect(self.send)
        self.input.cancelled.connect(self.cancel_edit)
        self.input.textChanged.connect(self._update_buttons)

        self.edit_note = QLabel(self.tr("Editing an earlier message: sending it replaces that message and "
                                        "everything after it."))
        self.edit_note.setObjectName("note")
        self.edit_note.setWordWrap(True)
        self.cancel_edit_button = QPushButton(self.tr("Cancel"))
        self.cancel_edit_button.setToolTip(self.tr("Keep the conversation as it is (Esc)"))
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self._edit_bar = QWidget()
        edit_row = QHBoxLayout(self._edit_bar)
        edit_row.setContentsMargins(0, 0, 0, 0)
        edit_row.addWidget(self.edit_note, 1)
        edit_row.addWidget(self.cancel_edit_button)
        self._edit_bar.hide()

        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("primary")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the answer now"))
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.new_chat_button = QPushButton(self.tr("New chat"))
        self.new_chat_button.setToolTip(self.tr("Start a new conversation; this one stays in the list"))
        self.new_chat_button.clicked.connect(self._on_new_chat_clicked)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Remove every message of this conversation"))
        self.clear_button.clicked.connect(self.clear)

        buttons = QGridLayout()
        for place, button in enumerate((self.send_button, self.stop_button, self.new_chat_button, self.clear_button)):
            buttons.addWidget(button, place // 2, place % 2)
        buttons.setRowStretch(2, 1)
        input_row = QHBoxLayout()
        input_row.addWidget(self.input, 1)
        input_row.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self._edit_bar)
        layout.addLayout(input_row)
        self.show_notice(self.tr("Welcome! Type your message below and press Enter. The answer appears here, and the "
                                 "Experts pane shows which experts work on every token. Another model can be chosen "
                                 "in the Model library (Load)."))
        self._update_buttons()

    @property
    def thinking_text(self) -> str:
        """The reasoning section of the answer being written (or the last one), as far as it came."""
        return self._splitter.thinking.strip() if self._splitter is not None else ""

    @property
    def thinking_seconds(self) -> float | None:
        """How long the model thought in the answer being written (or the last one); None: it did not."""
        return self._splitter.thinking_seconds if self._splitter is not None else None

    @property
    def answer_sources(self) -> tuple[Source, ...]:
        """The passages the answer being written was given (``set_sources``), in the order of their numbers."""
        return tuple(source for _label, (_number, source) in self._answer.sources) if self._answer else ()

    @property
    def up_to_date(self) -> bool:
        """Whether the screen shows all that ``flush`` took in (a render may wait, see RENDER_SHARE)."""
        return not self._render_timer.isActive()

    def set_model(self, name: str | None) -> None:
        """The model that answers now, or None while none is ready."""
        self._model_name = name
        self._update_buttons()

    def send(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or self.generating or self._model_name is None:
            return
        self.input.clear()
        editing, self.editing = self.editing, None
        self._edit_bar.hide()
        if editing is not None:
            self._remove_messages_from(editing)
            self.editResendRequested.emit(editing, text)
        self._drop_regenerate_link()
        self.messages.append(ChatMessage(USER, text))
        self.transcript.append(Entry(USER, text, shown=self._shortened(text), header=self.tr("You"),
                                     actions=(COPY, EDIT), index=len(self.messages) - 1))
        self.messageSent.emit(len(self.messages) - 1, text)
        self._ask()

    def regenerate(self) -> None:
        """Ask for the last answer again: it goes, and a new one is written in its place."""
        if self.generating or self._model_name is None or not self.messages or self.messages[-1].role != ASSISTANT:
            return
        self._remove_messages_from(len(self.messages) - 1)
        self.regenerateRequested.emit()
        self._ask()

    def edit_message(self, index: int) -> None:
        """Put the user's message at ``index`` (in ``messages``) into the input box to be edited and sent
        again in its place."""
        if self.generating or not 0 <= index < len(self.messages) or self.messages[index].role != USER:
            return
        self.editing = index
        self.input.setPlainText(self.messages[index].content)
        self.input.setFocus()
        self._edit_bar.show()

    def cancel_edit(self) -> None:
        if self.editing is None:
            return
        self.editing = None
        self.input.clear()
        self._edit_bar.hide()

    def _ask(self) -> None:
        self._open_answer()
        self.transcript.scroll_to_end()
        self.generating = True
        self._update_buttons()
        self.generateRequested.emit(self.request())

    def request(self) -> protocol.Generate:
        """The request for an answer to the conversation as it is: system prompt, turns, settings."""
        system = (ChatMessage(SYSTEM, self.system_prompt),) if self.system_prompt.strip() else ()
        turns = tuple(message for message in self.messages if message.role != SYSTEM)
        return protocol.Generate(messages=system + turns, **self.settings)

    def _open_answer(self) -> None:
        self._splitter = ReasoningSplitter(thinking=self.thinking_at_start)
        self._answer = Entry(ASSISTANT, header=self._model_name or "", thinking_now=self.thinking_at_start)
        self.transcript.append(self._answer)
        self.answer_text = self._pending_text = ""
        self._next_render_at = 0.0

    def _shortened(self, text: str) -> str:
        if len(text) <= SHOWN_CHARACTERS:
            return text
        hidden = self.tr("[… {count} more characters, not shown here]").format(
            count=QLocale().toString(len(text) - SHOWN_CHARACTERS))
        return text[:SHOWN_CHARACTERS] + "\n" + hidden

    # --- the answer streaming in -------------------------------------------------------------------

    def add_token(self, token: protocol.Token) -> None:
        if self.generating:
            self._pending_text += token.text

    def flush(self) -> bool:
        """Take in the text gathered since the last call and put it on screen (now, or as soon as
        RENDER_SHARE allows); returns whether the answer changed."""
        if not self._pending_text or self._answer is None or self._splitter is None:
            return False
        self._splitter.feed(self._pending_text)
        self._pending_text = ""
        if not self._take_in():
            return False
        delay = self._next_render_at - time.perf_counter()
        if delay <= 0:
            self._render_answer()
        elif not self._render_timer.isActive():
            self._render_timer.start(max(1, round(delay * 1000)))
        return True

    def _take_in(self) -> bool:
        """Copy the splitter's state into the answer's entry; returns whether it changed."""
        splitter, entry = self._splitter, self._answer
        if splitter is None or entry is None:
            return False
        before = (entry.text, entry.thinking, entry.thinking_now)
        entry.text, entry.thinking = splitter.answer, splitter.thinking
        entry.thinking_now, entry.thinking_s = splitter.is_thinking, splitter.thinking_seconds
        self.answer_text = splitter.answer
        return before != (entry.text, entry.thinking, entry.thinking_now)

    def _render_answer(self) -> None:
        if self._answer is None or self._answer not in self.transcript.entries:
            return
        started = time.perf_counter()
        self.transcript.render_from(self.transcript.entries.index(self._answer))
        took = time.perf_counter() - started
        self._next_render_at = time.perf_counter() + took * (1 / RENDER_SHARE - 1)

    def finish_answer(self, stats: protocol.Finished) -> None:
        """The answer is complete (or was stopped): show its figures and keep it in the history."""
        if not self.generating:
            return
        status = INTERRUPTED if stats.stop_reason == protocol.STOP_STOPPED else COMPLETE
        answer_stats = AnswerStats(stats.prompt_tokens, stats.answer_tokens, stats.ttft_s, stats.tokens_per_s,
                                   stats.stop_reason, dict(stats.sampling))
        self._end_answer(self._figures(answer_stats, interrupted=False), status, answer_stats)

    def set_sources(self, sources: Sequence[Source]) -> None:
        """The passages the answer was given, numbered from 1 as its prompt does: links under it (sourceRequested)."""
        if self._answer is not None:
            self._answer.sources = source_links(sources)
            self._render_answer()

    def answer_without_model(self, text: str, footer: str) -> None:
        """End the answer being written with ``text`` from MoEscope itself (the model was not asked)."""
        if self.generating:
            self._pending_text = text
            self._end_answer(footer, COMPLETE, None)

    def set_documents_bar(self, bar: QWidget) -> None:
        """Put ``bar`` (the choice of document collections) above the input box, and before it in the Tab order."""
        layout = self.layout()
        layout.insertWidget(layout.count() - 1, bar)
        QWidget.setTabOrder(self.transcript, bar)

    def restart_answer(self, notice: str) -> None:
        """The answer being written starts over (the engine is asked again): its partial text goes,
        ``notice`` says why, and a fresh answer follows it."""
        if not self.generating or self._answer is None:
            self.show_notice(notice)
            return
        self._render_timer.stop()
        sources = self.answer_sources  # asked again with the same passages
        self.transcript.truncate(self.transcript.entries.index(self._answer))
        self.show_notice(notice)
        self._open_answer()
        self.set_sources(sources)

    def abort_answer(self, reason: str) -> None:
        """The answer ended without figures (engine lost, error); ``reason`` says why."""
        if self.generating:
            self._end_answer(reason, INTERRUPTED, None)

    def _end_answer(self, footer: str, status: str, stats: AnswerStats | None) -> None:
        self._render_timer.stop()
        entry, splitter, sources = self._answer, self._splitter, self.answer_sources
        if splitter is not None:
            splitter.feed(self._pending_text)
            self._pending_text = ""
            splitter.finish()
            self._take_in()
        if entry is not None:
            entry.thinking_now, entry.footer = False, footer
            if not self.answer_text.strip():
                entry.shown = "…"
        if self.answer_text.strip():
            self.messages.append(ChatMessage(ASSISTANT, self.answer_text))
            if entry is not None:
                entry.index = len(self.messages) - 1
                entry.actions = (COPY, ROUTING, REGENERATE)
        elif self.messages and self.messages[-1].role == USER:
            self._forget_question(len(self.messages) - 1)
        self.generating = False
        self._update_buttons()
        if entry is not None and entry in self.transcript.entries:
            self.transcript.render_from(self.transcript.entries.index(entry))
        self._answer = None
        self.answerEnded.emit(Message(
            ASSISTANT, self.answer_text, thinking=self.thinking_text, thinking_s=self.thinking_seconds, status=status,
            model=self._model_name or "", stats=stats, created_at=time.time(), sources=sources))

    def _forget_question(self, index: int) -> None:
        """The question at ``index`` got no answer: it leaves ``messages`` but stays on screen."""
        self.messages.pop(index)
        for entry in self.transcript.entries:
            if entry.index == index:
                entry.index, entry.actions = None, (COPY,)
                self.transcript.render_from(self.transcript.entries.index(entry))
                return

    def _figures(self, stats: AnswerStats | None, *, interrupted: bool) -> str:
        parts = []
        if stats is not None:
            count = stats.answer_tokens
            parts.append(self.tr("1 token") if count == 1 else self.tr("{count} tokens").format(count=count))
            if count:
                parts.append(self.tr("{rate} tokens/s").format(rate=format_decimal(stats.tokens_per_s)))
            parts.append(self.tr("first token after {seconds} s").format(seconds=format_decimal(stats.ttft_s, 2)))
            reason = {protocol.STOP_STOPPED: self.tr("stopped"), protocol.STOP_LENGTH: self.tr("length limit reached"),
                      protocol.STOP_CONTEXT_FULL: self.tr("the conversation is too long for the model — start a new "
                                                          "chat")}.get(stats.stop_reason)
            if reason:
                parts.append(reason)
        if interrupted and (stats is None or stats.stop_reason != protocol.STOP_STOPPED):
            parts.append(self.tr("interrupted"))
        return " · ".join(parts)

    # --- the conversation as a whole ----------------------------------------------------------------

    def show_conversation(self, messages: Sequence[Message]) -> None:
        """Show a stored conversation in place of this one (not while an answer is written). System
        messages stay in ``messages`` but are not shown."""
        if self.generating:
            return
        self.cancel_edit()
        self.messages = [ChatMessage(message.role, message.content) for message in messages]
        self.answer_text, self._splitter = "", None
        last_answer = max((i for i, m in enumerate(messages) if m.role == ASSISTANT), default=None)
        entries = []
        for index, message in enumerate(messages):
            if message.role == SYSTEM:
                continue
            if message.role == USER:
                entries.append(Entry(USER, message.content, shown=self._shortened(message.content),
                                     header=self.tr("You"), actions=(COPY, EDIT), index=index))
                continue
            regenerate = (REGENERATE,) if index == last_answer == len(messages) - 1 else ()
            entries.append(Entry(
                ASSISTANT, message.content, shown=None if message.content.strip() else "…",
                header=_model_label(message.model or self._model_name or ""), thinking=message.thinking,
                thinking_s=message.thinking_s,
                footer=self._figures(message.stats, interrupted=message.status == INTERRUPTED),
                actions=(COPY, ROUTING, *regenerate), index=index, sources=source_links(message.sources)))
        self.transcript.show_entries(entries)

    def show_notice(self, text: str, kind: str = NOTICE) -> None:
        """A line from MoEscope itself (``kind`` "notice" or "error"), not part of the conversation."""
        self.transcript.append(Entry(ERROR if kind == ERROR else NOTICE, text))

    def new_chat(self) -> None:
        """An empty view for a new conversation (not while an answer is written)."""
        if self.generating:
            return
        self.cancel_edit()
        self.messages.clear()
        self.answer_text, self._splitter = "", None
        self.transcript.clear_entries()
        self.input.setFocus()

    def clear(self) -> None:
        """Remove every message of this conversation (not while an answer is written)."""
        if self.generating:
            return
        self.new_chat()
        self.clearRequested.emit()

    def _on_new_chat_clicked(self) -> None:
        self.new_chat()
        self.newChatRequested.emit()

    def _remove_messages_from(self, index: int) -> None:
        """Remove the message at ``index`` and all after it, from ``messages`` and from the view."""
        for number, entry in enumerate(self.transcript.entries):
            if entry.index is not None and entry.index >= index:
                self.transcript.truncate(number)
                break
        del self.messages[index:]

    def _drop_regenerate_link(self) -> None:
        for number in range(len(self.transcript.entries) - 1, -1, -1):
            entry = self.transcript.entries[number]
            if REGENERATE in entry.actions:
                entry.actions = tuple(action for action in entry.actions if action != REGENERATE)
                self.transcript.render_from(number)
                return

    def _on_action(self, action: str, number: int, block: int) -> None:
        entry = self.transcript.entries[number]
        if action == COPY:
            QGuiApplication.clipboard().setText(entry.text)
        elif action == COPY_CODE and block < len(entry.code_blocks):
            QGuiApplication.clipboard().setText(entry.code_blocks[block])
        elif action == TOGGLE_THINKING:
            entry.expanded = not entry.thinking_open
            self.transcript.render_from(number)
        elif action == EDIT and entry.index is not None:
            self.edit_message(entry.index)
        elif action == REGENERATE:
            self.regenerate()
        elif action == ROUTING and entry.index is not None:
            self.routingRequested.emit(entry.index)
        elif action == SOURCE and block < len(entry.sources):
            self.sourceRequested.emit(entry.sources[block][1])

    def _on_stop_clicked(self) -> None:
        self.stop_button.setEnabled(False)
        self.stopRequested.emit()

    def _update_buttons(self) -> None:
        ready = self._model_name is not None
        self.send_button.setEnabled(ready and not self.generating and bool(self.input.toPlainText().strip()))
        self.send_button.setToolTip("" if ready else self.tr("Load a model in the Model library first"))
        self.stop_button.setEnabled(self.generating)
        self.new_chat_button.setEnabled(not self.generating)
        self.clear_button.setEnabled(not self.generating)


def _model_label(model: str) -> str:
    """A stored answer's model as its header shows it: a model file by its name without ``.gguf``."""
    return PurePath(model).stem if model.lower().endswith(".gguf") else model
