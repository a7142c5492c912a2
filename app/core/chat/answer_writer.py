"""AnswerWriter: one answer written into the conversation store while it streams.

``ConversationStore.begin_answer`` makes one; it belongs to the store's thread. The caller hands it the
engine's events as they come:

    writer.add_prompt_routing(prompt_routing)   # the prompt's tokens and routing; written at once
    writer.add_token(token)                     # buffered; written in batches
    writer.set_content(visible_answer)          # optional, see below
    writer.set_thinking(reasoning, seconds)     # optional
    writer.set_sources(passages)                # optional: an answer from the user's documents
    writer.finish(finished) | writer.interrupt()

Batches: tokens are buffered and written in one transaction (the message's text and a row of the
routing trace) as soon as FLUSH_SECONDS have passed since the last write or FLUSH_TOKENS are waiting,
so a crash loses at most the tokens of the last fraction of a second; ``flush`` writes at once.
Whatever was written stays: a database opened after a crash holds the answer up to the last batch,
marked INTERRUPTED.

Content: the stored text of the answer is, unless the caller says otherwise, the answer tokens' texts
joined. A caller that separates a reasoning section (``<think>…</think>``) passes the visible answer
with ``set_content`` and the reasoning with ``set_thinking`` whenever they change; the writer stores the
latest of each with its next batch. The routing trace always keeps every token, reasoning included.
The passages an answer from the user's documents was given (``set_sources``) are stored with the next
batch too, and stay when the answer is asked for again from its start (``restart``): it is given the same.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING

from app.core.chat import trace_rows
from app.core.chat.model import COMPLETE, INTERRUPTED, STREAMING, Source, sources_to_json
from app.core.engine import protocol

if TYPE_CHECKING:
    from app.core.chat.store import ConversationStore

FLUSH_SECONDS = 0.1
"""A batch is written once this long has passed since the last one."""

FLUSH_TOKENS = 256
"""... or once this many tokens are waiting."""


class AnswerWriter:
    """Writes the answer ``message_id`` of ``conversation_id``; see the module's docstring."""

    def __init__(self, store: ConversationStore, conversation_id: int, message_id: int,
                 flush_seconds: float = FLUSH_SECONDS, flush_tokens: int = FLUSH_TOKENS) -> None:
        self.conversation_id = conversation_id
        self.message_id = message_id
        self.done = False
        self._store = store
        self._flush_seconds = flush_seconds
        self._flush_tokens = flush_tokens
        self._pending: list[protocol.Token] = []
        self._answer_texts: list[str] = []
        self._content: str | None = None
        self._thinking = ""
        self._thinking_s: float | None = None
        self._sources: tuple[Source, ...] = ()
        self._shape = trace_rows.NO_ROUTING
        self._seq = 0
        self._last_write = time.monotonic()

    @property
    def content(self) -> str:
        """The answer's text as it will be stored: ``set_content``'s, else the answer tokens' joined."""
        return "".join(self._answer_texts) if self._content is None else self._content

    def add_prompt_routing(self, event: protocol.PromptRouting) -> None:
        """The prompt's tokens with their routing, at the start of the trace; written at once."""
        self._check_open()
        for token in event.tokens:
            self._take(token)
        self.flush()

    def add_token(self, token: protocol.Token) -> None:
        """One token (an answer's, or a prompt's sent on its own); written with the next batch. Raises
        ValueError, keeping nothing of it, for a token routed over other layers than the answer's."""
        self._check_open()
        self._take(token)
        if token.source == protocol.ANSWER:
            self._answer_texts.append(token.text)
        if len(self._pending) >= self._flush_tokens or time.monotonic() - self._last_write >= self._flush_seconds:
            self.flush()

    def set_content(self, text: str) -> None:
        """The visible answer (without its reasoning section); stored with the next batch."""
        self._content = text

    def set_thinking(self, text: str, seconds: float | None) -> None:
        """The reasoning section and how long the model thought; stored with the next batch."""
        self._thinking = text
        self._thinking_s = seconds

    def set_sources(self, sources: tuple[Source, ...]) -> None:
        """The passages the answer was given, in the order of their numbers; stored with the next batch."""
        self._sources = tuple(sources)

    def flush(self) -> None:
        """Write what is waiting now."""
        if not self.done:
            self._write(STREAMING, None)

    def finish(self, finished: protocol.Finished) -> None:
        """The answer ended: write the rest with the figures and the sampling settings used. An answer the user stopped is stored as
        INTERRUPTED, any other as COMPLETE. Nothing happens once the writer is done."""
        if not self.done:
            status = INTERRUPTED if finished.stop_reason == protocol.STOP_STOPPED else COMPLETE
            self._write(status, finished)

    def restart(self) -> None:
        """The answer is asked for again from its start (the engine came back in compatibility mode): what
        was written of the first attempt, text and routing, goes, and the answer is written anew."""
        self._check_open()
        with self._store.transaction() as db:
            db.execute("DELETE FROM routing_chunks WHERE message_id = ?", (self.message_id,))
            db.execute("UPDATE messages SET content = '', thinking = '', thinking_s = NULL WHERE id = ?",
                       (self.message_id,))
        self._pending, self._answer_texts = [], []
        self._content, self._thinking, self._thinking_s = None, "", None
        self._shape, self._seq = trace_rows.NO_ROUTING, 0
        self._last_write = time.monotonic()

    def interrupt(self) -> None:
        """The answer was cut off (the engine ended, the window closed): keep everything so far, marked
        INTERRUPTED. Nothing happens once the writer is done."""
        if not self.done:
            self._write(INTERRUPTED, None)

    def _take(self, token: protocol.Token) -> None:
        if token.routing.layers:
            if self._shape is trace_rows.NO_ROUTING:
                self._shape = trace_rows.shape_of(token)
            trace_rows.check(token, self._shape)
        self._pending.append(token)

    def _check_open(self) -> None:
        if self.done:
            raise RuntimeError(f"the answer {self.message_id} has ended; it takes no more tokens")

    def _write(self, status: str, finished: protocol.Finished | None) -> None:
        row = trace_rows.token_row(self._pending, self._shape) if self._pending else None
        stats = (None,) * 6 if finished is None else (
            finished.prompt_tokens, finished.answer_tokens, finished.ttft_s, finished.tokens_per_s,
            finished.stop_reason, json.dumps(finished.sampling) if finished.sampling else None)
        with self._store.transaction() as db:
            if not self._update(db, status, stats):
                self._end()  # the message was removed meanwhile (regenerate, delete all): nothing to keep
                return
            if row is not None:
                trace_rows.insert(db, self.message_id, self._seq, row)
            if status != STREAMING:
                db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                           (time.time(), self.conversation_id))
        if row is not None:
            self._seq += 1
        self._pending = []
        self._last_write = time.monotonic()
        if status != STREAMING:
            self._end()

    def _update(self, db: sqlite3.Connection, status: str, stats: tuple) -> bool:
        cursor = db.execute(
            "UPDATE messages SET content = ?, thinking = ?, thinking_s = ?, status = ?, prompt_tokens = ?, "
            "answer_tokens = ?, ttft_s = ?, tokens_per_s = ?, stop_reason = ?, sampling = ?, sources = ? "
            "WHERE id = ? AND status = ?",
            (self.content, self._thinking, self._thinking_s, status, *stats, sources_to_json(self._sources),
             self.message_id, STREAMING))
        return cursor.rowcount == 1

    def _end(self) -> None:
        self.done = True
        self._pending = []
        self._store.writer_done(self)
