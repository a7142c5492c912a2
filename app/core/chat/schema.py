"""The conversation database's schema and its migrations, one step per version.

``PRAGMA user_version`` says which steps a database has had; ``migrate`` runs the missing ones, each in
a transaction of its own, so a database is always at one version or the next, never in between.
Version 1 holds conversations and their messages. Version 2 adds what the chat of issue 10 needs:
every answer's routing trace (``routing_chunks``), full-text search over titles and messages (FTS5),
undoable deletes (``conversations.deleted_at``), and an index of the answers being written, which a
store opened after a crash marks as interrupted without reading every message.

Search index: external-content FTS5 tables kept in step with their tables by triggers. A message is
indexed once it stops streaming, so the index is not rewritten with every batch of an answer; an
answer that is still being written is not found by a search yet.

Routing: an answer's trace is written while it streams, one row per batch (``seq`` 0, 1, ...), the
arrays as little-endian raw bytes: ``positions``, ``tokens`` and ``layers`` int32, ``experts`` int32
and ``weights`` float32 of shape ``[n, len(layers), k]``; ``texts`` a JSON list of the tokens' texts,
``sources`` one letter per token (``p`` prompt, ``a`` answer). See app.core.chat.trace_rows.

Version 3 (issue 11) adds the router's scores over all experts to the trace (``routing_chunks.scores``:
float32 ``[n, len(layers), n_expert]``, NULL when the model was loaded without them, ``n_expert`` its
width) and the sampling settings an answer was generated with (``messages.sampling``, JSON; NULL for
a question and for answers stored before).

Version 4 keeps what an answer from the user's documents was given: ``messages.sources``, a JSON list of
its passages in the order of their numbers (``collection``, ``path``, ``page``, ``heading``, ``text``,
``score``; NULL for an answer without any), so that a reopened answer shows them after the file has gone;
and the collections a conversation asks (``conversations.collections``, a JSON list of their names).
"""

from __future__ import annotations

import sqlite3

V1 = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    model_path TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX conversations_by_update ON conversations(updated_at);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content TEXT NOT NULL DEFAULT '',
    thinking TEXT NOT NULL DEFAULT '',
    thinking_s REAL,
    status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'streaming', 'interrupted')),
    model TEXT NOT NULL DEFAULT '',
    settings TEXT,
    prompt_tokens INTEGER,
    answer_tokens INTEGER,
    ttft_s REAL,
    tokens_per_s REAL,
    stop_reason TEXT,
    created_at REAL NOT NULL,
    UNIQUE (conversation_id, position)
);
"""

_TOKENIZER = "unicode61 remove_diacritics 2"

V2 = f"""
ALTER TABLE conversations ADD COLUMN deleted_at REAL;
CREATE TABLE routing_chunks (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    n INTEGER NOT NULL,
    layers BLOB NOT NULL,
    k INTEGER NOT NULL,
    positions BLOB NOT NULL,
    tokens BLOB NOT NULL,
    experts BLOB NOT NULL,
    weights BLOB NOT NULL,
    texts TEXT NOT NULL,
    sources TEXT NOT NULL,
    UNIQUE (message_id, seq)
);
CREATE INDEX messages_streaming ON messages(id) WHERE status = 'streaming';

CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, content='messages', content_rowid='id', tokenize='{_TOKENIZER}');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status != 'streaming' BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.status != 'streaming' BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content)
        SELECT 'delete', old.id, old.content WHERE old.status != 'streaming';
    INSERT INTO messages_fts(rowid, content) SELECT new.id, new.content WHERE new.status != 'streaming';
END;

CREATE VIRTUAL TABLE titles_fts USING fts5(
    title, content='conversations', content_rowid='id', tokenize='{_TOKENIZER}');
CREATE TRIGGER titles_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER titles_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO titles_fts(titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER titles_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO titles_fts(titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title);
END;

INSERT INTO messages_fts(rowid, content) SELECT id, content FROM messages WHERE status != 'streaming';
INSERT INTO titles_fts(titles_fts) VALUES ('rebuild');
"""

V3 = """
ALTER TABLE routing_chunks ADD COLUMN n_expert INTEGER NOT NULL DEFAULT 0;
ALTER TABLE routing_chunks ADD COLUMN scores BLOB;
ALTER TABLE messages ADD COLUMN sampling TEXT;
"""

V4 = """
ALTER TABLE messages ADD COLUMN sources TEXT;
ALTER TABLE conversations ADD COLUMN collections TEXT NOT NULL DEFAULT '[]';
"""

MIGRATIONS: tuple[str, ...] = (V1, V2, V3, V4)
"""Step ``i`` takes a database from version ``i`` to ``i + 1``; a new version is a new step at the end."""

VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    """The database was written by a newer MoEscope; the text says so in English."""


def version_of(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, target: int = VERSION) -> None:
    """Bring the database on ``connection`` (opened with ``isolation_level=None``) to ``target``.

    Each step reads the version inside its own write transaction, so two processes opening the same
    database at once do not run a step twice. Raises SchemaTooNew for a database beyond what this code
    knows, and sqlite3 errors for a file that is no database. A step that fails is rolled back whole.
    """
    while True:
        connection.execute("BEGIN IMMEDIATE")
        try:
            found = version_of(connection)
            if found > VERSION:
                raise SchemaTooNew(f"the conversation database has schema version {found}, newer than this "
                                   f"MoEscope knows ({VERSION}); it was written by a newer version of MoEscope")
            if found >= target:
                connection.execute("COMMIT")
                return
            for statement in _statements(MIGRATIONS[found]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {found + 1}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """The statements of ``script``, split where SQLite says one is complete (triggers hold ``;``)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending.strip()[:80]}")
    return statements
