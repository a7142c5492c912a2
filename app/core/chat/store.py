"""ConversationStore: the conversations in one SQLite file in the data folder (app.core.paths), with every
answer's routing trace and a full-text search.

Threads: a store is synchronous and belongs to the thread that opened it (the window's store thread,
see app.ui.chat.conversation_controller, or the command line's only thread); SQLite refuses calls
from any other thread, and so do its AnswerWriters. A second store on the same
file in another process (``moescope conversations`` while the window runs) reads safely: WAL mode
lets readers and one writer work side by side, and waits of up to BUSY_SECONDS are absorbed.

Durability: ``synchronous = NORMAL`` in WAL mode. A crash of the app loses nothing committed; a power
cut may lose the last commits, never the file's consistency. An answer is written while it streams
(AnswerWriter, app.core.chat.answer_writer) in batches, so a crash loses at most the tokens of the
last FLUSH_SECONDS.

Housekeeping, done by the app's own store (``housekeeping=True``) on opening: an answer found still
STREAMING was cut off by a crash and becomes INTERRUPTED, and conversations deleted in an earlier
session are removed for good. A reader beside the running app passes ``housekeeping=False`` so that it
neither interrupts the answer being written nor takes away the app's undo.

Delete and undo: ``delete`` hides a conversation (``restore`` brings it back); ``purge`` removes the
hidden ones for good, and ``close`` and the next opening do that too. ``delete_all`` removes every
conversation at once and rewrites the file, so that their text no longer lies in it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import asdict, fields, replace
from pathlib import Path

from app.core.chat import schema, trace_rows
from app.core.chat.answer_writer import FLUSH_SECONDS, FLUSH_TOKENS, AnswerWriter
from app.core.chat.model import (
    INTERRUPTED,
    STREAMING,
    USER,
    AnswerStats,
    Conversation,
    ConversationSummary,
    Message,
    RoutingTrace,
    Settings,
    sources_from_list,
    sources_to_json,
)
from app.core.chat.search_text import match_query, snippet
from app.core.sqlite_tx import write_transaction

BUSY_SECONDS = 5.0
"""How long a statement waits for another process's write to finish before it fails."""

TITLE_CHARS = 80
"""A conversation without a title takes the first line of its first question, up to this length."""

_MESSAGE_COLUMNS = ("id, role, content, thinking, thinking_s, status, model, settings, prompt_tokens, "
                    "answer_tokens, ttft_s, tokens_per_s, stop_reason, sampling, created_at, sources")
_SUMMARY = """
    SELECT c.id, c.title, c.updated_at,
           (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id), c.model_path
    FROM conversations c WHERE c.deleted_at IS NULL {where}
    ORDER BY c.updated_at DESC, c.id DESC LIMIT ?
"""


class StoreError(Exception):
    """The conversation database cannot be opened or used; the text says why, in English."""


class ConversationNotFound(LookupError):
    """No such conversation (or message in it): never stored, deleted, or purged."""


def settings_to_json(settings: Settings) -> str:
    return json.dumps(asdict(settings), ensure_ascii=False)


def settings_from_dict(data: dict) -> Settings:
    """Settings from a dict as ``asdict`` writes it; keys this version does not know are left out."""
    known = {item.name for item in fields(Settings)}
    return Settings(**{key: value for key, value in data.items() if key in known})


class ConversationStore:
    """The conversations in the SQLite file ``path`` (created with its folder if missing)."""

    def __init__(self, path: Path | str, *, housekeeping: bool = True) -> None:
        self.path = Path(path)
        self._housekeeping = housekeeping
        self._writers: set[AnswerWriter] = set()
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            schema.migrate(self._db)
            if housekeeping:
                with self.transaction():
                    self._db.execute("UPDATE messages SET status = ? WHERE status = ?", (INTERRUPTED, STREAMING))
                self.purge()
        except (sqlite3.Error, OSError, schema.SchemaTooNew) as exc:
            if self._db is not None:
                self._db.close()
            raise StoreError(f"cannot open the conversation database {self.path}: {exc}") from exc

    # --- connection ---------------------------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        """The connection (AnswerWriter writes through ``transaction``; tests read it); raises
        StoreError once closed."""
        if self._db is None:
            raise StoreError(f"the conversation database {self.path} is closed")
        return self._db

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction: committed at the end of the block, rolled back on an exception."""
        return write_transaction(self.db)

    def close(self) -> None:
        """Interrupt answers still being written, purge deleted conversations, close. Idempotent; the
        connection is closed even when one of these fails (and the failure then raised)."""
        if self._db is None:
            return
        try:
            for writer in list(self._writers):
                writer.interrupt()
            if self._housekeeping:
                self.purge()
            self._db.execute("PRAGMA optimize")
        finally:
            self._db.close()
            self._db = None

    def __enter__(self) -> ConversationStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- conversations ------------------------------------------------------------------------------

    def create(self, title: str = "", model_path: str = "", settings: Settings = Settings(),
               collections: tuple[str, ...] = ()) -> int:
        now = time.time()
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, model_path, settings, collections, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (title, model_path, settings_to_json(settings), json.dumps(list(collections), ensure_ascii=False), now, now))
        return int(cursor.lastrowid)

    def summaries(self, limit: int | None = None) -> list[ConversationSummary]:
        """The conversations, most recently used first."""
        return self._summaries("", (), limit)

    def search(self, text: str) -> list[ConversationSummary]:
        """Conversations whose title or messages contain every word of ``text`` (each also as the start
        of a longer word, accents ignored), most recently used first, each with a snippet around a hit
        in its latest matching message. Empty ``text`` lists all. A message being streamed is not
        searched until it ends."""
        query = match_query(text)
        if not query:
            return self.summaries()
        db = self.db
        titles = {row[0] for row in db.execute("SELECT rowid FROM titles_fts WHERE titles_fts MATCH ?", (query,))}
        hits = dict(db.execute(
            "SELECT m.conversation_id, max(m.id) FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
            "WHERE messages_fts MATCH ? GROUP BY m.conversation_id", (query,)).fetchall())
        contents = dict(db.execute("SELECT id, content FROM messages WHERE id IN (SELECT value FROM json_each(?))",
                                   (json.dumps(list(hits.values())),)).fetchall())
        found = self._summaries("AND c.id IN (SELECT value FROM json_each(?))",
                                (json.dumps(sorted(titles | hits.keys())),), None)
        return [replace(s, snippet=snippet(contents[hits[s.id]], text) if s.id in hits else "") for s in found]

    def _summaries(self, where: str, arguments: tuple, limit: int | None) -> list[ConversationSummary]:
        rows = self.db.execute(_SUMMARY.format(where=where), (*arguments, -1 if limit is None else limit))
        return [ConversationSummary(id=row[0], title=row[1], updated_at=row[2], message_count=row[3],
                                    model_path=row[4]) for row in rows]

    def get(self, conversation_id: int) -> Conversation:
        """The conversation with its messages in order; raises ConversationNotFound."""
        row = self.db.execute("SELECT id, title, model_path, settings, created_at, updated_at, collections "
                              "FROM conversations WHERE id = ? AND deleted_at IS NULL", (conversation_id,)).fetchone()
        if row is None:
            raise ConversationNotFound(f"no conversation {conversation_id}")
        rows = self.db.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? "
                               "ORDER BY position", (conversation_id,))
        return Conversation(id=row[0], title=row[1], model_path=row[2],
                            settings=settings_from_dict(json.loads(row[3])),
                            messages=tuple(_message(message) for message in rows),
                            created_at=row[4], updated_at=row[5], collections=tuple(json.loads(row[6])))

    def rename(self, conversation_id: int, title: str) -> None:
        """Set the title; the conversation keeps its place in the list."""
        self._change(conversation_id, "title = ?", (title,))

    def update(self, conversation_id: int, *, model_path: str | None = None,
               settings: Settings | None = None) -> None:
        """Change the model and/or settings the conversation continues with."""
        assignments, values = ["updated_at = ?"], [time.time()]
        if model_path is not None:
            assignments.append("model_path = ?")
            values.append(model_path)
        if settings is not None:
            assignments.append("settings = ?")
            values.append(settings_to_json(settings))
        self._change(conversation_id, ", ".join(assignments), tuple(values))

    def set_collections(self, conversation_id: int, names: tuple[str, ...]) -> None:
        """The document collections the conversation's questions go to; it keeps its place in the list."""
        self._change(conversation_id, "collections = ?", (json.dumps(list(names), ensure_ascii=False),))

    def _change(self, conversation_id: int, assignments: str, values: tuple) -> None:
        with self.transaction() as db:
            cursor = db.execute(f"UPDATE conversations SET {assignments} WHERE id = ? AND deleted_at IS NULL",
                                (*values, conversation_id))
        if cursor.rowcount == 0:
            raise ConversationNotFound(f"no conversation {conversation_id}")

    def delete(self, conversation_id: int) -> None:
        """Hide the conversation; ``restore`` undoes this until the next ``purge``."""
        self._change(conversation_id, "deleted_at = ?", (time.time(),))

    def restore(self, conversation_id: int) -> None:
        """Bring back a deleted conversation; raises ConversationNotFound once it has been purged."""
        with self.transaction() as db:
            cursor = db.execute("UPDATE conversations SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL",
                                (conversation_id,))
        if cursor.rowcount == 0:
            raise ConversationNotFound(f"no deleted conversation {conversation_id}")

    def purge(self) -> int:
        """Remove deleted conversations for good, with their messages and traces; returns how many."""
        with self.transaction() as db:
            return db.execute("DELETE FROM conversations WHERE deleted_at IS NOT NULL").rowcount

    def delete_all(self) -> int:
        """Remove every conversation for good and rewrite the file (and empty the WAL), so that no text
        of them is left in it; returns how many there were. Answers being written end first."""
        for writer in list(self._writers):
            writer.interrupt()
        with self.transaction() as db:
            removed = db.execute("DELETE FROM conversations").rowcount
            db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
            db.execute("INSERT INTO titles_fts(titles_fts) VALUES ('rebuild')")
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    # --- messages -----------------------------------------------------------------------------------

    def add_message(self, conversation_id: int, message: Message) -> int:
        """Append ``message`` (its ``id`` is ignored) and return its id. The first question of a
        conversation without a title gives it one."""
        with self.transaction() as db:
            message_id = self._insert_message(db, conversation_id, message)
            if message.role == USER:
                db.execute("UPDATE conversations SET title = ? WHERE id = ? AND title = ''",
                           (_title_from(message.content), conversation_id))
        return message_id

    def _insert_message(self, db: sqlite3.Connection, conversation_id: int, message: Message) -> int:
        now = time.time()
        if db.execute("UPDATE conversations SET updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                      (now, conversation_id)).rowcount == 0:
            raise ConversationNotFound(f"no conversation {conversation_id}")
        stats = message.stats
        cursor = db.execute(
            "INSERT INTO messages (conversation_id, position, role, content, thinking, thinking_s, status, model, "
            "settings, prompt_tokens, answer_tokens, ttft_s, tokens_per_s, stop_reason, sampling, created_at, "
            "sources) VALUES (?, (SELECT coalesce(max(position) + 1, 0) FROM messages WHERE conversation_id = ?), "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation_id, conversation_id, message.role, message.content, message.thinking,
             message.thinking_s, message.status, message.model,
             None if message.settings is None else settings_to_json(message.settings),
             *(_stats_columns(stats)), message.created_at or now, sources_to_json(message.sources)))
        return int(cursor.lastrowid)

    def truncate_from(self, conversation_id: int, message_id: int) -> int:
        """Remove the message and every later one (edit and resend, regenerate); returns how many."""
        with self.transaction() as db:
            row = db.execute("SELECT position FROM messages WHERE id = ? AND conversation_id = ?",
                             (message_id, conversation_id)).fetchone()
            if row is None:
                raise ConversationNotFound(f"no message {message_id} in conversation {conversation_id}")
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (time.time(), conversation_id))
            return db.execute("DELETE FROM messages WHERE conversation_id = ? AND position >= ?",
                              (conversation_id, row[0])).rowcount

    def begin_answer(self, conversation_id: int, model: str, settings: Settings, *,
                     flush_seconds: float = FLUSH_SECONDS, flush_tokens: int = FLUSH_TOKENS) -> AnswerWriter:
        """Start an answer (an ASSISTANT message, STREAMING) and return its writer."""
        with self.transaction() as db:
            message_id = self._insert_message(db, conversation_id, Message(
                role="assistant", content="", status=STREAMING, model=model, settings=settings))
        writer = AnswerWriter(self, conversation_id, message_id, flush_seconds, flush_tokens)
        self._writers.add(writer)
        return writer

    def writer_done(self, writer: AnswerWriter) -> None:
        """Called by a writer once its answer has ended."""
        self._writers.discard(writer)

    def import_conversation(self, conversation: Conversation, traces: Mapping[int, RoutingTrace]) -> int:
        """Store ``conversation`` as a new one with its title, settings, collections, times and messages (with
        their sources) as they are (ids aside), and ``traces`` (by the given messages' ids) as their routing, all or nothing;
        returns the new id. A message that was still streaming when it was exported is stored as
        INTERRUPTED."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, model_path, settings, collections, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (conversation.title, conversation.model_path, settings_to_json(conversation.settings),
                 json.dumps(list(conversation.collections), ensure_ascii=False), conversation.created_at,
                 conversation.updated_at))
            new_id = int(cursor.lastrowid)
            for message in conversation.messages:
                if message.status == STREAMING:
                    message = replace(message, status=INTERRUPTED)
                message_id = self._insert_message(db, new_id, message)
                if message.id in traces:
                    trace_rows.insert(db, message_id, 0, trace_rows.trace_row(traces[message.id]))
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (conversation.updated_at, new_id))
        return new_id

    def message(self, message_id: int) -> Message:
        """One stored message; raises ConversationNotFound when there is none with that id."""
        row = self.db.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise ConversationNotFound(f"no message {message_id}")
        return _message(row)

    def routing(self, message_id: int) -> RoutingTrace | None:
        """The routing trace of an answer: every prompt and answer token stored so far; None if none."""
        rows = self.db.execute(f"SELECT {', '.join(trace_rows.COLUMNS)} FROM routing_chunks WHERE message_id = ? "
                               "ORDER BY seq", (message_id,)).fetchall()
        try:
            return trace_rows.trace_of(rows)
        except ValueError as exc:
            raise StoreError(f"the routing trace of message {message_id} in {self.path} is damaged: {exc}") from exc


def _title_from(content: str) -> str:
    line = next((line.strip() for line in content.splitlines() if line.strip()), "")
    return line if len(line) <= TITLE_CHARS else line[:TITLE_CHARS - 1].rstrip() + "…"


def _stats_columns(stats: AnswerStats | None) -> tuple:
    if stats is None:
        return None, None, None, None, None, None
    return (stats.prompt_tokens, stats.answer_tokens, stats.ttft_s, stats.tokens_per_s, stats.stop_reason,
            json.dumps(stats.sampling) if stats.sampling else None)


def _message(row: tuple) -> Message:
    (message_id, role, content, thinking, thinking_s, status, model, settings, prompt_tokens, answer_tokens,
     ttft_s, tokens_per_s, stop_reason, sampling, created_at, sources) = row
    stats = None if answer_tokens is None else AnswerStats(prompt_tokens, answer_tokens, ttft_s, tokens_per_s,
                                                           stop_reason, json.loads(sampling) if sampling else {})
    return Message(role=role, content=content, id=message_id, thinking=thinking, thinking_s=thinking_s,
                   status=status, model=model,
                   settings=None if settings is None else settings_from_dict(json.loads(settings)),
                   stats=stats, created_at=created_at,
                   sources=sources_from_list(json.loads(sources)) if sources else ())

