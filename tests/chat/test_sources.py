"""The passages an answer from documents was given, and the collections a conversation asks, kept in the
conversation store (schema version 4) on real SQLite files: a database of version 3, made here with that
version's schema, opens with its conversations intact; sources are written with the answer's first batch
(a crash keeps them), stay when an answer is asked again from its start, and go into the Markdown and JSON
exports and back."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.core.chat import schema
from app.core.chat.export import ImportFormatError, export_conversation, import_json, to_json, to_markdown
from app.core.chat.model import (
    ASSISTANT,
    COMPLETE,
    INTERRUPTED,
    STREAMING,
    USER,
    AnswerStats,
    Message,
    Settings,
    Source,
)
from app.core.chat.store import ConversationStore
from app.core.engine import protocol
from chat_fixtures import routed_tokens

ROOT = Path(__file__).resolve().parents[2]
FINISHED = protocol.Finished(prompt_tokens=40, answer_tokens=5, ttft_s=0.2, tokens_per_s=30.0, stop_reason="eos")
SOURCES = (
    Source("Firma", "/docs/Urlaubsregelung.pdf", 2, "", "Resturlaub verfällt am 31. März.", 7.25),
    Source("Firma", "/docs/Handbuch.docx", None, "Kündigung › Fristen", "Die Kündigungsfrist beträgt\ndrei Monate.",
           3.5),
)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "data" / "conversations.sqlite3"


def answer_from_documents(store: ConversationStore, conversation: int, sources=SOURCES) -> int:
    store.add_message(conversation, Message(USER, "Wann verfällt der Resturlaub?"))
    writer = store.begin_answer(conversation, "/m/m.gguf", Settings())
    writer.set_sources(sources)
    for token in routed_tokens(2, 5, seed=1):
        writer.add_token(token)
    writer.finish(FINISHED)
    return writer.message_id


def test_a_database_of_schema_version_3_opens_in_version_4_with_its_conversations_intact(db):
    db.parent.mkdir(parents=True)
    connection = sqlite3.connect(db, isolation_level=None)
    schema.migrate(connection, target=3)  # version 3's own schema: V1, V2 and V3 as they were written
    assert schema.version_of(connection) == 3
    assert "sources" not in {row[1] for row in connection.execute("PRAGMA table_info(messages)")}
    connection.execute("INSERT INTO conversations (id, title, model_path, settings, created_at, updated_at) "
                       "VALUES (5, 'Vor Version 4', '/m/old.gguf', '{\"temperature\": 0.4}', 10.0, 20.0)")
    connection.executemany(
        "INSERT INTO messages (id, conversation_id, position, role, content, status, model, prompt_tokens, "
        "answer_tokens, ttft_s, tokens_per_s, stop_reason, sampling, created_at) "
        "VALUES (?, 5, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(50, 0, USER, "Was steht im Handbuch?", COMPLETE, "", None, None, None, None, None, None, 11.0),
         (51, 1, ASSISTANT, "Dass [1] gilt.", COMPLETE, "/m/old.gguf", 30, 4, 0.5, 8.0, "eos", '{"seed": 3}', 12.0),
         (52, 2, USER, "Und sonst?", COMPLETE, "", None, None, None, None, None, None, 13.0),
         (53, 3, ASSISTANT, "Sonst", STREAMING, "/m/old.gguf", None, None, None, None, None, None, 14.0)])
    connection.close()

    with ConversationStore(db) as store:
        assert schema.version_of(store.db) == schema.VERSION == 4
        old = store.get(5)
        assert (old.title, old.model_path, old.settings, old.created_at, old.updated_at) == (
            "Vor Version 4", "/m/old.gguf", Settings(temperature=0.4), 10.0, 20.0)
        assert [(m.id, m.role, m.content) for m in old.messages] == [
            (50, USER, "Was steht im Handbuch?"), (51, ASSISTANT, "Dass [1] gilt."), (52, USER, "Und sonst?"),
            (53, ASSISTANT, "Sonst")]
        assert old.messages[1].stats == AnswerStats(30, 4, 0.5, 8.0, "eos", {"seed": 3})
        assert old.messages[3].status == INTERRUPTED
        assert old.collections == () and all(message.sources == () for message in old.messages)
        assert [s.id for s in store.search("handbuch")] == [5]
        # the old conversation takes the new things
        store.set_collections(5, ("Firma",))
        answer = answer_from_documents(store, 5)
    with ConversationStore(db) as store:
        again = store.get(5)
        assert again.collections == ("Firma",) and again.updated_at > 20.0
        assert store.message(answer).sources == SOURCES
        assert len(again.messages) == 6


def test_sources_are_written_with_the_first_batch_so_a_crash_keeps_them(db):
    """A child process writes an answer's sources and a few tokens, then dies without closing the store."""
    script = textwrap.dedent(f"""
        import os, sys
        sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "tests" / "chat")!r}]
        from app.core.chat.model import Settings, Source
        from app.core.chat.store import ConversationStore
        from chat_fixtures import routed_tokens
        store = ConversationStore({str(db)!r})
        conversation = store.create()
        writer = store.begin_answer(conversation, "m", Settings(), flush_seconds=0.0)
        writer.set_sources((Source("Firma", "/docs/a.pdf", 1, "", "Erster Absatz.", 2.0),))
        writer.add_token(routed_tokens(0, 1, seed=2)[0])
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    with ConversationStore(db) as store:
        (summary,) = store.summaries()
        (kept,) = store.get(summary.id).messages
        assert kept.status == INTERRUPTED and kept.content
        assert kept.sources == (Source("Firma", "/docs/a.pdf", 1, "", "Erster Absatz.", 2.0),)


def test_an_answer_asked_again_from_its_start_keeps_its_sources(db):
    with ConversationStore(db) as store:
        conversation = store.create()
        writer = store.begin_answer(conversation, "m", Settings())
        writer.set_sources(SOURCES)
        writer.add_token(routed_tokens(0, 1, seed=3)[0])
        writer.flush()
        writer.restart()
        writer.add_token(routed_tokens(0, 1, seed=4)[0])
        writer.finish(FINISHED)
        assert store.message(writer.message_id).sources == SOURCES
        assert store.message(writer.message_id).content == routed_tokens(0, 1, seed=4)[0].text


def test_collections_are_kept_with_a_conversation_without_moving_it_in_the_list(db):
    with ConversationStore(db) as store:
        first = store.create(collections=("Handbuch", "Verträge"))
        second = store.create()
        assert store.get(first).collections == ("Handbuch", "Verträge") and store.get(second).collections == ()
        order = [summary.id for summary in store.summaries()]
        store.set_collections(first, ("Verträge",))
        assert [summary.id for summary in store.summaries()] == order
        assert store.get(first).collections == ("Verträge",)
        store.set_collections(first, ())
        assert store.get(first).collections == ()


def test_markdown_lists_an_answers_sources_under_it_numbered_with_their_passages(db):
    with ConversationStore(db) as store:
        conversation = store.create(collections=("Firma",))
        answer_from_documents(store, conversation)
        text = to_markdown(store.get(conversation))
    assert ("**Sources**\n\n"
            "1. Urlaubsregelung.pdf, p. 2 · collection “Firma” · `/docs/Urlaubsregelung.pdf`\n\n"
            "   > Resturlaub verfällt am 31. März.\n\n"
            "2. Handbuch.docx, Kündigung › Fristen · collection “Firma” · `/docs/Handbuch.docx`\n\n"
            "   > Die Kündigungsfrist beträgt\n   > drei Monate.\n") in text
    assert text.index("## Assistant") < text.index("**Sources**")
    assert text.count("**Sources**") == 1  # the question has none


def test_json_carries_sources_and_collections_and_reads_them_back(db, tmp_path):
    with ConversationStore(db) as store:
        conversation = store.create(collections=("Firma", "Verträge"))
        answer = answer_from_documents(store, conversation)
        data = json.loads(export_conversation(store, conversation, "json"))
    assert data["conversation"]["collections"] == ["Firma", "Verträge"]
    (with_sources,) = [item for item in data["messages"] if item["sources"]]
    assert with_sources["id"] == answer
    assert with_sources["sources"][1] == {"collection": "Firma", "path": "/docs/Handbuch.docx", "page": None,
                                          "heading": "Kündigung › Fristen",
                                          "text": "Die Kündigungsfrist beträgt\ndrei Monate.", "score": 3.5}
    with ConversationStore(tmp_path / "other" / "conversations.sqlite3") as other:
        imported = other.get(import_json(other, data))
        assert imported.collections == ("Firma", "Verträge")
        assert imported.messages[1].sources == SOURCES
        assert to_json(imported)["messages"][1]["sources"] == with_sources["sources"]


def test_an_export_made_before_sources_were_kept_imports_without_them(db, tmp_path):
    with ConversationStore(db) as store:
        conversation = store.create()
        answer_from_documents(store, conversation)
        data = json.loads(export_conversation(store, conversation, "json"))
    del data["conversation"]["collections"]
    for item in data["messages"]:
        del item["sources"]
    with ConversationStore(tmp_path / "other" / "conversations.sqlite3") as other:
        imported = other.get(import_json(other, data))
        assert imported.collections == () and all(message.sources == () for message in imported.messages)


def test_damaged_sources_in_an_export_import_nothing(db, tmp_path):
    with ConversationStore(db) as store:
        conversation = store.create()
        answer_from_documents(store, conversation)
        data = json.loads(export_conversation(store, conversation, "json"))
    data["messages"][1]["sources"] = [{"path": "/docs/a.pdf"}]  # no text, no collection
    with ConversationStore(tmp_path / "other" / "conversations.sqlite3") as other:
        with pytest.raises(ImportFormatError, match="incomplete or damaged"):
            import_json(other, data)
        assert other.summaries() == []
