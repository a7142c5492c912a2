"""ConversationController: the kept conversations (app.core.chat.store) for the window, off the GUI thread.

The ConversationStore lives on a QThread of its own ("conversation-store"), and every store call is made
there: the GUI thread only queues requests and hears the results as signals. Answer tokens, which reach
the GUI thread at the engine's full speed, are gathered there and handed over once per TOKEN_BATCH_MS.

Longer than 500 lines because the store worker and the controller are the two halves of one thread
hop: every request appears once on each side, and split apart they would have to share the request list.
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from app.core.chat.export import export_conversation
from app.core.chat.model import Conversation, ConversationSummary, Message, Settings, Source
from app.core.chat.schema import SchemaTooNew
from app.core.chat.store import ConversationNotFound, ConversationStore, StoreError
from app.core.engine import protocol
from app.core.models.folder import disk_problem
from app.core.paths import conversations_db

TOKEN_BATCH_MS = 100
"""How long tokens gather on the GUI thread before they go to the store's thread in one request (fewer
requests leave more CPU time to the engine; a crash loses at most this plus ANSWER_FLUSH_MS)."""

ANSWER_FLUSH_MS = 250
"""An answer whose tokens pause is committed after this long (while they flow, the AnswerWriter commits
every FLUSH_SECONDS by itself)."""

UNDO_SECONDS = 8
"""How long a deleted conversation is offered back."""

ERROR_REPEAT_S = 10
"""The same kind of store failure is reported once in this many seconds, not once per request."""

_SQLITE_KINDS = {
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "corrupt",
    sqlite3.SQLITE_BUSY: "busy",
    sqlite3.SQLITE_LOCKED: "busy",
    sqlite3.SQLITE_CANTOPEN: "unavailable",
    sqlite3.SQLITE_PERM: "read_only",
}
_DISK_KINDS = {"full": "full", "read_only": "read_only", "denied": "read_only", "gone": "unavailable"}


def problem_kind(exc: BaseException) -> str:
    """What a failure of the store means: "full", "read_only", "corrupt", "busy", "unavailable",
    "too_new" (written by a newer MoEscope) or "other"; from the exception or the one it was raised from."""
    while exc is not None:
        if isinstance(exc, SchemaTooNew):
            return "too_new"
        if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) is not None:
            return _SQLITE_KINDS.get(exc.sqlite_errorcode & 0xFF, "other")
        if isinstance(exc, OSError):
            return _DISK_KINDS.get(disk_problem(exc), "other")
        exc = exc.__cause__
    return "other"


def store_problem_text(kind: str, details: str) -> str:
    """Why conversations cannot be kept (``problem_kind``'s kind, and English details), in the user's words."""
    words = {
        "full": QCoreApplication.translate(
            "ConversationController",
            "There is not enough free space on the drive to keep conversations. New messages are not saved "
            "until some space is freed."),
        "read_only": QCoreApplication.translate(
            "ConversationController",
            "The conversations file cannot be changed (the drive or the file is read-only, or your user "
            "account may not change it). New messages are not saved."),
        "corrupt": QCoreApplication.translate(
            "ConversationController",
            "The conversations file is damaged and cannot be read. Conversations are not saved in this "
            "session."),
        "busy": QCoreApplication.translate(
            "ConversationController",
            "The conversations file is in use by another program. Conversations are not saved here."),
        "unavailable": QCoreApplication.translate(
            "ConversationController",
            "The conversations file cannot be opened. If the data folder is on an external drive, connect "
            "the drive. Conversations are not saved in this session."),
        "too_new": QCoreApplication.translate(
            "ConversationController",
            "The conversations file was written by a newer version of MoEscope. Conversations are not "
            "saved in this session; the newer version can still read them."),
    }
    text = words.get(kind)
    if text is None:
        text = QCoreApplication.translate(
            "ConversationController", "Conversations cannot be saved: {reason}").format(reason=details)
    return text


class _StoreWorker(QObject):
    """Owns the ConversationStore and the answer being written; every method runs on the store's thread."""

    listed = Signal(list)
    opened = Signal(object)
    found = Signal(str, list)
    created = Signal(int)
    messageStored = Signal(int, int)
    answerStored = Signal(int, int)
    deletedAll = Signal(int)
    exported = Signal(str)
    exportFailed = Signal(str, str)
    failed = Signal(str, str)
    routingLoaded = Signal(int, object, object)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.store: ConversationStore | None = None
        self._path = path
        self._writer = None
        self._current: int | None = None
        self._model_path = ""  # the current conversation's, or a new one's
        self._settings = Settings()
        self._collections: tuple[str, ...] = ()
        self._reported: dict[str, float] = {}
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(ANSWER_FLUSH_MS)
        self._flush_timer.timeout.connect(lambda: self.run(self._flush_answer, ()))

    @Slot(object, object)
    def run(self, job: Callable, args: tuple) -> None:
        if self.store is None and job not in (self.open, self.close):
            return
        try:
            job(*args)
        except ConversationNotFound:  # deleted meanwhile (by ``delete_all`` or another process)
            self.list_conversations()
        except (StoreError, sqlite3.Error, OSError) as exc:
            kind, now = problem_kind(exc), time.monotonic()
            if now - self._reported.get(kind, -ERROR_REPEAT_S) >= ERROR_REPEAT_S:
                self._reported[kind] = now
                self.failed.emit(kind, str(exc))

    def open(self) -> None:
        self.store = ConversationStore(self._path)
        self.list_conversations()

    def list_conversations(self) -> None:
        self.listed.emit(self.store.summaries())

    def search(self, query: str) -> None:
        self.found.emit(query, self.store.search(query))

    def open_conversation(self, conversation_id: int) -> None:
        conversation = self.store.get(conversation_id)
        if conversation.id != self._current:
            self._end_answer()
        self._current = conversation.id
        self._model_path = conversation.model_path
        self._settings = conversation.settings
        self._collections = conversation.collections
        self.opened.emit(conversation)

    def load_routing(self, message_id: int) -> None:
        self.routingLoaded.emit(message_id, self.store.routing(message_id), self.store.message(message_id).stats)

    def new_conversation(self, model_path: str, settings: Settings, collections: tuple[str, ...]) -> None:
        self._end_answer()
        self._current = None
        self._model_path = model_path
        self._settings = settings
        self._collections = collections

    def rename(self, conversation_id: int, title: str) -> None:
        self.store.rename(conversation_id, title)
        self.list_conversations()

    def leave(self, conversation_id: int) -> None:
        """If ``conversation_id`` is current, a new conversation with its model and settings is."""
        if conversation_id == self._current:
            self._end_answer()
            self._current = None

    def delete(self, conversation_id: int) -> None:
        self.leave(conversation_id)
        self.store.delete(conversation_id)
        self.list_conversations()

    def restore(self, conversation_id: int) -> None:
        self.store.restore(conversation_id)
        self.list_conversations()

    def delete_all(self) -> None:
        self._end_answer()
        self._current = None
        self.deletedAll.emit(self.store.delete_all())
        self.list_conversations()

    def export(self, path: str, form: str, routing: bool) -> None:
        if self._current is None:
            return
        text = export_conversation(self.store, self._current, form, routing)
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:  # the chosen file, not the store: said apart
            self.exportFailed.emit(path, exc.strerror or str(exc))
        else:
            self.exported.emit(path)

    def update(self, model_path: str | None, settings: Settings | None) -> None:
        changed = (self._model_path if model_path is None else model_path,
                   self._settings if settings is None else settings)
        if changed == (self._model_path, self._settings):
            return
        self._model_path, self._settings = changed
        if self._current is not None:
            self.store.update(self._current, model_path=self._model_path, settings=self._settings)
            self.list_conversations()

    def set_collections(self, names: tuple[str, ...]) -> None:
        if names == self._collections:
            return
        self._collections = names
        if self._current is not None:
            self.store.set_collections(self._current, names)

    def _current_or_new(self) -> int:
        """The current conversation; a new one is stored now (its first question gives it its title)."""
        if self._current is None:
            self._current = self.store.create(model_path=self._model_path, settings=self._settings,
                                              collections=self._collections)
            self.created.emit(self._current)
        return self._current

    def add_message(self, message: Message) -> None:
        conversation_id = self._current_or_new()
        message_id = self.store.add_message(conversation_id, message)
        self.messageStored.emit(conversation_id, message_id)
        self.list_conversations()

    def truncate_from(self, message_id: int) -> None:
        if self._current is not None:
            self.store.truncate_from(self._current, message_id)
            self.list_conversations()

    def begin_answer(self, model: str, settings: Settings) -> None:
        self._end_answer()
        self._writer = self.store.begin_answer(self._current_or_new(), model, settings)

    def add_prompt_routing(self, event: protocol.PromptRouting) -> None:
        if self._writer is not None:
            self._writer.add_prompt_routing(event)

    def add_tokens(self, tokens: list[protocol.Token]) -> None:
        if self._writer is None or self._writer.done:  # the answer was removed meanwhile (delete all)
            return
        for token in tokens:
            self._writer.add_token(token)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def set_content(self, text: str) -> None:
        if self._writer is not None:
            self._writer.set_content(text)

    def restart_answer(self) -> None:
        if self._writer is not None and not self._writer.done:
            self._writer.restart()

    def set_thinking(self, text: str, seconds: float | None) -> None:
        if self._writer is not None:
            self._writer.set_thinking(text, seconds)

    def set_sources(self, sources: tuple[Source, ...]) -> None:
        if self._writer is not None:
            self._writer.set_sources(sources)

    def _flush_answer(self) -> None:
        if self._writer is not None:
            self._writer.flush()

    def finish_answer(self, finished: protocol.Finished) -> None:
        writer, self._writer = self._writer, None
        self._flush_timer.stop()
        if writer is None or writer.done:
            return
        writer.finish(finished)
        self.answerStored.emit(writer.conversation_id, writer.message_id)
        self.list_conversations()

    def interrupt_answer(self) -> None:
        writer = self._writer
        if writer is not None:
            self._end_answer()
            self.answerStored.emit(writer.conversation_id, writer.message_id)
            self.list_conversations()

    def _end_answer(self) -> None:
        """Keep what was written of an unfinished answer, marked interrupted."""
        writer, self._writer = self._writer, None
        self._flush_timer.stop()
        if writer is not None:
            writer.interrupt()

    def close(self) -> None:
        """The last request: an unfinished answer is kept (interrupted), the store closed, the thread ended."""
        try:
            if self.store is not None:
                self._end_answer()
        finally:
            store, self.store = self.store, None
            if store is not None:
                store.close()
            self.thread().quit()


def _end_thread(thread: QThread) -> None:
    thread.quit()
    thread.wait()


class ConversationController(QObject):
    """The window's door to the kept conversations. Call it on the GUI thread; it answers with signals.

    It knows one *current* conversation, the one the chat shows: ``open`` and ``new_conversation``
    choose it, and messages and answers go to it. A new conversation is stored with its first message
    (so "New chat" leaves no empty conversations behind); ``created`` then gives its id.

    ``delete`` hides a conversation in the store (which removes it for good when it closes), and
    ``undo_delete`` brings it back within UNDO_SECONDS. Deleting the current conversation makes a new
    one current, with the same model and settings (the window shows it empty).

    ``stop()`` must be called before the controller goes (the window's close): an answer being written
    is committed and marked interrupted, and the store is closed.

    Attributes:
        current_id: the current conversation's id, or None for a new one not stored yet.
        pending_delete: the id of a deleted conversation that can still be brought back, or None.

    Signals:
        listChanged(list): every conversation (ConversationSummary), newest first; after each change.
        conversationOpened(Conversation): ``open`` read a conversation; it is now the current one.
        searchResults(str, list): a query and the conversations matching it (ConversationSummary with
            its snippet), newest first; an empty query lists all.
        created(int): a new conversation was stored (with its first message); it is the current one.
        messageStored(int, int): ``add_message`` stored a message: conversation id, message id.
        answerStored(int, int): an answer was finished (or interrupted) and stored: conversation id,
            message id.
        deletePending(int, str): a conversation (id, title) was deleted and can be brought back.
        deleteSettled(): the deleted conversation can no longer be brought back (or was).
        deletedAll(int): ``delete_all`` deleted this many conversations.
        exported(str): ``export`` wrote the current conversation to this file.
        exportFailed(str, str): ``export`` could not write this file; why (the system's words).
        currentChanged(object): ``current_id`` changed (an int, or None for a new conversation).
        routingLoaded(int, object, object): ``load_routing``'s answer: message id, its RoutingTrace (None
            if it has none), its AnswerStats (None if it has none).
        error(str, str): the store could not be opened or written: ``problem_kind``'s kind and English
            details; ``store_problem_text`` puts them in words. The same kind is reported at most once in
            ERROR_REPEAT_S. Once the store could not be opened, every request is ignored.
    """

    listChanged = Signal(list)
    conversationOpened = Signal(object)
    searchResults = Signal(str, list)
    created = Signal(int)
    messageStored = Signal(int, int)
    answerStored = Signal(int, int)
    deletePending = Signal(int, str)
    deleteSettled = Signal()
    deletedAll = Signal(int)
    exported = Signal(str)
    exportFailed = Signal(str, str)
    currentChanged = Signal(object)
    routingLoaded = Signal(int, object, object)
    error = Signal(str, str)
    _request = Signal(object, object)

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        """``path``: the database, by default the data folder's (app.core.paths.conversations_db)."""
        super().__init__(parent)
        self.current_id: int | None = None
        self.pending_delete: int | None = None
        self._summaries: list[ConversationSummary] = []
        self._tokens: list[protocol.Token] = []
        self._stopped = False

        self._thread = QThread()
        self._thread.setObjectName("conversation-store")
        self._worker = _StoreWorker(path or conversations_db())
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run, Qt.ConnectionType.QueuedConnection)
        self._worker.listed.connect(self._on_listed)
        self._worker.opened.connect(self._on_opened)
        self._worker.found.connect(self.searchResults)
        self._worker.created.connect(self._on_created)
        self._worker.messageStored.connect(self.messageStored)
        self._worker.answerStored.connect(self.answerStored)
        self._worker.deletedAll.connect(self.deletedAll)
        self._worker.exported.connect(self.exported)
        self._worker.routingLoaded.connect(self.routingLoaded)
        self._worker.exportFailed.connect(self.exportFailed)
        self._worker.failed.connect(self.error)

        self._batch_timer = QTimer(self)
        self._batch_timer.setSingleShot(True)
        self._batch_timer.setInterval(TOKEN_BATCH_MS)
        self._batch_timer.timeout.connect(self.send_tokens)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._settle_delete)

        self._thread.start()
        # A controller dropped without stop() (a window that was never closed) still ends its thread
        # first: Qt aborts the process when a running QThread is destroyed.
        weakref.finalize(self, _end_thread, self._thread)
        self._submit(self._worker.open)

    def _submit(self, job: Callable, *args) -> None:
        """Queue ``job(*args)`` to the store's thread, after the tokens gathered so far."""
        if self._stopped:
            return
        if self._tokens:
            self.send_tokens()
        self._request.emit(job, args)

    # The list
    def refresh(self) -> None:
        self._submit(self._worker.list_conversations)

    def search(self, query: str) -> None:
        self._submit(self._worker.search, query)

    def open(self, conversation_id: int) -> None:
        self._submit(self._worker.open_conversation, conversation_id)

    def new_conversation(self, model_path: str = "", settings: Settings = Settings(),
                         collections: tuple[str, ...] = ()) -> None:
        """Make a new conversation current; it is stored with its first message."""
        self._set_current(None)
        self._submit(self._worker.new_conversation, model_path, settings, tuple(collections))

    def rename(self, conversation_id: int, title: str) -> None:
        self._submit(self._worker.rename, conversation_id, title)

    def delete(self, conversation_id: int) -> None:
        """Delete a conversation; ``undo_delete`` brings it back within UNDO_SECONDS (the store keeps it
        hidden until it closes)."""
        title = next((s.title for s in self._summaries if s.id == conversation_id), "")
        self.pending_delete = conversation_id
        if conversation_id == self.current_id:
            self._set_current(None)
        self._submit(self._worker.delete, conversation_id)
        self._undo_timer.start()
        self.deletePending.emit(conversation_id, title)

    def undo_delete(self) -> None:
        conversation_id, self.pending_delete = self.pending_delete, None
        if conversation_id is None:
            return
        self._undo_timer.stop()
        self._submit(self._worker.restore, conversation_id)
        self.deleteSettled.emit()

    def _settle_delete(self) -> None:
        self.pending_delete = None
        self.deleteSettled.emit()

    def delete_all(self) -> None:
        """Delete every conversation for good (no undo: the window asks first)."""
        self.pending_delete = None
        self._undo_timer.stop()
        self.deleteSettled.emit()
        self._set_current(None)
        self._submit(self._worker.delete_all)

    # The current conversation
    def load_routing(self, message_id: int) -> None:
        """Read an answer's routing trace and figures; ``routingLoaded`` brings them."""
        self._submit(self._worker.load_routing, message_id)

    def export(self, path: str, form: str = "md", routing: bool = False) -> None:
        """Write the current conversation to ``path``: Markdown ("md") or JSON ("json", with every
        answer's routing trace if ``routing``); ``exported`` or ``error`` tells how it went."""
        self._submit(self._worker.export, path, form, routing)

    def update(self, model_path: str | None = None, settings: Settings | None = None) -> None:
        """Keep the model file or the settings the current conversation is held with (None: unchanged)."""
        self._submit(self._worker.update, model_path, settings)

    def set_collections(self, names: tuple[str, ...]) -> None:
        """Keep the document collections the current conversation asks (a new one is stored with them);
        the conversation keeps its place in the list."""
        self._submit(self._worker.set_collections, tuple(names))

    def add_message(self, message: Message) -> None:
        self._submit(self._worker.add_message, message)

    def truncate_from(self, message_id: int) -> None:
        """Delete the message ``message_id`` of the current conversation and every later one."""
        self._submit(self._worker.truncate_from, message_id)

    def begin_answer(self, model: str, settings: Settings) -> None:
        """An answer to the current conversation begins; an unfinished earlier one is kept as interrupted."""
        self._submit(self._worker.begin_answer, model, settings)

    def add_prompt_routing(self, event: protocol.PromptRouting) -> None:
        self._submit(self._worker.add_prompt_routing, event)

    def add_token(self, token: protocol.Token) -> None:
        """One answer token; cheap enough for every token on the GUI thread (a list append)."""
        if self._stopped:
            return
        self._tokens.append(token)
        if not self._batch_timer.isActive():
            self._batch_timer.start()

    def send_tokens(self) -> None:
        """Hand the tokens gathered so far to the store's thread (the batch timer does this every TOKEN_BATCH_MS)."""
        self._batch_timer.stop()
        tokens, self._tokens = self._tokens, []
        if tokens and not self._stopped:
            self._request.emit(self._worker.add_tokens, (tokens,))

    def set_content(self, text: str) -> None:
        """The answer's visible text, without its reasoning section (else its tokens' texts are kept)."""
        self._submit(self._worker.set_content, text)

    def set_thinking(self, text: str, seconds: float | None) -> None:
        """The answer's reasoning section, apart from its text, and how long the model thought."""
        self._submit(self._worker.set_thinking, text, seconds)

    def set_sources(self, sources: tuple[Source, ...]) -> None:
        """The passages of the user's documents the answer was given, in the order of their numbers."""
        self._submit(self._worker.set_sources, tuple(sources))

    def finish_answer(self, finished: protocol.Finished) -> None:
        self._submit(self._worker.finish_answer, finished)

    def restart_answer(self) -> None:
        """The answer is asked for again from its start: the first attempt's text and routing go."""
        self._tokens.clear()
        self._batch_timer.stop()
        self._submit(self._worker.restart_answer)

    def interrupt_answer(self) -> None:
        """The answer ended early (the engine was lost): keep it, marked interrupted."""
        self._submit(self._worker.interrupt_answer)

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """Commit everything (an unfinished answer as interrupted), close the store (which removes deleted
        conversations for good) and end its thread; returns whether that finished within ``timeout_ms``.
        Requests after this are ignored."""
        if self._stopped:
            return True
        self._submit(self._worker.close)
        self._stopped = True
        self._batch_timer.stop()
        return self._thread.wait(timeout_ms)

    @Slot(list)
    def _on_listed(self, summaries: list) -> None:
        self._summaries = summaries
        self.listChanged.emit(summaries)

    def _set_current(self, conversation_id: int | None) -> None:
        if conversation_id != self.current_id:
            self.current_id = conversation_id
            self.currentChanged.emit(conversation_id)

    @Slot(object)
    def _on_opened(self, conversation: Conversation) -> None:
        self._set_current(conversation.id)
        self.conversationOpened.emit(conversation)

    @Slot(int)
    def _on_created(self, conversation_id: int) -> None:
        self._set_current(conversation_id)
        self.created.emit(conversation_id)
