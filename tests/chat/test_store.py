"""The conversation store on real SQLite files: schema, WAL, foreign keys, the migration from version 1,
an answer written while it streams (and a crash in the middle of one), search, delete and undo, and
routing traces stored bit for bit."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from app.core.chat import schema
from app.core.chat.model import (
    ASSISTANT,
    COMPLETE,
    INTERRUPTED,
    STREAMING,
    USER,
    AnswerStats,
    Message,
    RoutingTrace,
    Settings,
)
from app.core.chat.store import ConversationNotFound, ConversationStore, StoreError
from app.core.chat.trace_rows import NOT_CAPTURED
from app.core.engine import protocol
from chat_fixtures import LAYERS, answer_text, assert_trace_is, routed_tokens

ROOT = Path(__file__).resolve().parents[2]
FINISHED = protocol.Finished(prompt_tokens=3, answer_tokens=5, ttft_s=0.25, tokens_per_s=41.5, stop_reason="eos")


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "data" / "conversations.sqlite3"


@pytest.fixture
def store(db):
    with ConversationStore(db) as opened:
        yield opened


def answered(store: ConversationStore, question: str = "Wie routet ein MoE?", n_prompt: int = 3,
             n_answer: int = 5, seed: int = 0) -> tuple[int, int, list[protocol.Token]]:
    """A conversation with one question and a finished answer; (conversation id, answer id, tokens)."""
    conversation = store.create(model_path="/models/m.gguf")
    store.add_message(conversation, Message(USER, question))
    tokens = routed_tokens(n_prompt, n_answer, seed)
    writer = store.begin_answer(conversation, "/models/m.gguf", Settings(temperature=0.2))
    writer.add_prompt_routing(protocol.PromptRouting(tuple(tokens[:n_prompt])))
    for token in tokens[n_prompt:]:
        writer.add_token(token)
    writer.finish(FINISHED)
    return conversation, writer.message_id, tokens


def assert_search_index_matches(store: ConversationStore) -> None:
    """FTS5's own check of both indexes against their tables (valid while no answer is streaming: the
    index leaves those out on purpose)."""
    for table in ("messages_fts", "titles_fts"):
        store.db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- the file ----------------------------------------------------------------------------------------


def test_a_new_database_is_in_wal_mode_at_the_current_version_with_foreign_keys(store, db):
    assert db.exists()
    with sqlite3.connect(db) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION == 4
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO messages (conversation_id, position, role, created_at) VALUES (99, 0, 'user', 0)")


def test_deleting_a_conversation_removes_its_messages_and_routing_by_cascade(store, db):
    conversation, answer, _ = answered(store)
    kept, kept_answer, _ = answered(store, "Andere Frage", seed=1)
    kept_chunks = store.db.execute("SELECT count(*) FROM routing_chunks WHERE message_id = ?",
                                   (kept_answer,)).fetchone()[0]
    assert 0 < kept_chunks < count(db, "routing_chunks")
    store.delete(conversation)
    assert count(db, "messages") == 4  # hidden only, until purged
    assert store.purge() == 1
    assert count(db, "messages") == 2 and count(db, "routing_chunks") == kept_chunks
    assert store.routing(answer) is None
    assert [summary.id for summary in store.summaries()] == [kept]
    assert store.search("routet") == []
    assert_search_index_matches(store)


def test_a_database_of_schema_version_1_opens_in_the_current_version_with_its_data_and_the_new_features(db):
    db.parent.mkdir(parents=True)
    connection = sqlite3.connect(db, isolation_level=None)
    schema.migrate(connection, target=1)
    assert schema.version_of(connection) == 1
    connection.execute("INSERT INTO conversations (id, title, model_path, settings, created_at, updated_at) "
                       "VALUES (7, 'Alte Unterhaltung', '/m/old.gguf', '{\"system_prompt\": \"Sei kurz.\", "
                       "\"temperature\": 0.3, \"from_the_future\": 1}', 100.0, 200.0)")
    connection.executemany(
        "INSERT INTO messages (conversation_id, position, role, content, status, model, answer_tokens, "
        "prompt_tokens, ttft_s, tokens_per_s, stop_reason, created_at) VALUES (7, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(0, USER, "Was macht der Router?", COMPLETE, "", None, None, None, None, None, 101.0),
         (1, ASSISTANT, "Er wählt Experten.", COMPLETE, "/m/old.gguf", 4, 9, 0.5, 12.0, "eos", 102.0),
         (2, USER, "Und dann?", COMPLETE, "", None, None, None, None, None, 103.0),
         (3, ASSISTANT, "Dann rechnet", STREAMING, "/m/old.gguf", None, None, None, None, None, 104.0)])
    connection.close()

    with ConversationStore(db) as store:
        assert schema.version_of(store.db) == schema.VERSION
        old = store.get(7)
        assert (old.title, old.model_path, old.created_at, old.updated_at) == ("Alte Unterhaltung", "/m/old.gguf",
                                                                                100.0, 200.0)
        assert old.settings == Settings(system_prompt="Sei kurz.", temperature=0.3)
        assert [m.content for m in old.messages] == ["Was macht der Router?", "Er wählt Experten.", "Und dann?",
                                                     "Dann rechnet"]
        assert old.messages[1].stats == AnswerStats(9, 4, 0.5, 12.0, "eos")
        assert old.messages[3].status == INTERRUPTED  # left streaming by version 1: a crash
        # the new features over the old data: search (the index was built from it), routing, undoable delete
        assert [s.id for s in store.search("experten")] == [7]
        assert [s.id for s in store.search("rechnet")] == [7]
        assert [s.id for s in store.search("alte")] == [7]
        writer = store.begin_answer(7, "/m/old.gguf", old.settings)
        tokens = routed_tokens(2, 3, seed=5)
        for token in tokens:
            writer.add_token(token)
        writer.finish(FINISHED)
        assert_trace_is(store.routing(writer.message_id), tokens)
        store.delete(7)
        assert store.summaries() == []
        store.restore(7)
        assert len(store.get(7).messages) == 5
        assert_search_index_matches(store)


def test_a_database_of_schema_version_2_opens_in_version_3_with_its_traces_and_takes_scores_and_sampling(db):
    db.parent.mkdir(parents=True)
    connection = sqlite3.connect(db, isolation_level=None)
    schema.migrate(connection, target=2)
    connection.execute("INSERT INTO conversations (id, title, created_at, updated_at) VALUES (3, 'v2', 1.0, 2.0)")
    connection.execute("INSERT INTO messages (id, conversation_id, position, role, content, status, model, "
                       "prompt_tokens, answer_tokens, ttft_s, tokens_per_s, stop_reason, created_at) "
                       "VALUES (30, 3, 0, 'assistant', 'alt', 'complete', 'm', 2, 1, 0.5, 9.0, 'eos', 1.5)")
    old_tokens = routed_tokens(2, 1, seed=8)
    layers = np.array(LAYERS, dtype="<i4")
    connection.execute(  # a trace row exactly as version 2 wrote it
        "INSERT INTO routing_chunks (message_id, seq, n, layers, k, positions, tokens, experts, weights, texts, "
        "sources) VALUES (30, 0, 3, ?, 2, ?, ?, ?, ?, ?, 'ppa')",
        (layers.tobytes(), np.arange(3, dtype="<i4").tobytes(),
         np.array([t.token for t in old_tokens], dtype="<i4").tobytes(),
         np.stack([t.routing.experts for t in old_tokens]).astype("<i4").tobytes(),
         np.stack([t.routing.weights for t in old_tokens]).astype("<f4").tobytes(),
         '["p0", "p1", " w2\u00fc"]'))
    connection.close()

    with ConversationStore(db) as store:
        assert schema.version_of(store.db) == schema.VERSION
        assert_trace_is(store.routing(30), old_tokens)  # and its scores are None
        assert store.get(3).messages[0].stats == AnswerStats(2, 1, 0.5, 9.0, "eos", {})
        writer = store.begin_answer(3, "m", Settings())
        tokens = routed_tokens(2, 2, seed=9, scores=True)
        for token in tokens:
            writer.add_token(token)
        sampling = {"temperature": 0.0, "top_p": 0.95, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1, "seed": 7}
        writer.finish(protocol.Finished(2, 2, 0.1, 10.0, "eos", sampling=sampling))
        assert_trace_is(store.routing(writer.message_id), tokens)
        assert store.get(3).messages[1].stats.sampling == sampling


def test_a_database_from_a_newer_version_or_no_database_at_all_is_refused_in_words(db):
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA user_version = 9")
    with pytest.raises(StoreError, match="schema version 9, newer than this MoEscope knows"):
        ConversationStore(db)
    db.write_bytes(b"this is no database, just text " * 100)
    with pytest.raises(StoreError, match="file is not a database") as raised:
        ConversationStore(db)
    assert str(db) in str(raised.value)


def test_the_store_belongs_to_the_thread_that_opened_it(store):
    errors = []
    thread = threading.Thread(target=lambda: errors.append(_try(store.summaries)))
    thread.start()
    thread.join()
    assert isinstance(errors[0], sqlite3.ProgrammingError)


def _try(call):
    try:
        call()
    except Exception as exc:  # noqa: BLE001 (the test looks at what was raised)
        return exc
    return None


# --- conversations -----------------------------------------------------------------------------------


def test_conversations_are_listed_newest_first_with_their_message_counts_and_titles(store):
    first = store.create(title="Erste")
    second = store.create(settings=Settings(system_prompt="Antworte auf Deutsch.", top_k=20, seed=3))
    store.add_message(second, Message(USER, "\n  Warum sind MoE-Modelle schnell? " + "lang " * 40 + "\nZeile 2"))
    assert [(s.id, s.message_count) for s in store.summaries()] == [(second, 1), (first, 0)]
    title = store.get(second).title
    assert title.startswith("Warum sind MoE-Modelle schnell?") and title.endswith("…") and len(title) == 80
    store.add_message(first, Message(USER, "Neue Frage"))
    assert [s.id for s in store.summaries()] == [first, second]
    assert store.get(first).title == "Erste"  # a given title stays
    assert [s.id for s in store.summaries(limit=1)] == [first]
    store.rename(second, "Umbenannt")
    assert [s.title for s in store.summaries()] == ["Erste", "Umbenannt"]  # renaming keeps the order
    store.update(second, model_path="/m/other.gguf", settings=Settings(temperature=1.5))
    again = store.get(second)
    assert again.model_path == "/m/other.gguf" and again.settings == Settings(temperature=1.5)
    assert [s.id for s in store.summaries()] == [second, first]
    with pytest.raises(ConversationNotFound):
        store.get(12345)
    with pytest.raises(ConversationNotFound):
        store.add_message(12345, Message(USER, "x"))
    with pytest.raises(ConversationNotFound):
        store.rename(12345, "x")


def test_delete_is_undone_by_restore_until_the_store_purges_or_is_opened_again(db):
    with ConversationStore(db) as store:
        kept = store.create(title="bleibt")
        gone = store.create(title="geht")
        undone = store.create(title="kommt zurück")
        for conversation in (gone, undone):
            store.delete(conversation)
        with pytest.raises(ConversationNotFound):
            store.get(gone)
        with pytest.raises(ConversationNotFound):
            store.delete(gone)
        assert {s.id for s in store.summaries()} == {kept}
        store.restore(undone)
        assert {s.id for s in store.summaries()} == {kept, undone}
        with pytest.raises(ConversationNotFound):
            store.restore(kept)  # never deleted
        store.delete(undone)
        with ConversationStore(db, housekeeping=False) as reader:  # the command line beside the window
            assert {s.id for s in reader.summaries()} == {kept}
        store.restore(undone)  # the reader took nothing away
    assert count(db, "conversations") == 2  # close purged the deleted one
    with ConversationStore(db) as store:
        with pytest.raises(ConversationNotFound):
            store.restore(gone)


def test_truncate_from_drops_the_message_and_everything_after_it(store, db):
    conversation, answer, _ = answered(store)
    question = store.add_message(conversation, Message(USER, "Zweite Frage"))
    store.add_message(conversation, Message(ASSISTANT, "Zweite Antwort"))
    assert store.truncate_from(conversation, question) == 2
    assert [m.content for m in store.get(conversation).messages][:1] == ["Wie routet ein MoE?"]
    store.add_message(conversation, Message(USER, "Bearbeitete Frage"))
    assert [m.role for m in store.get(conversation).messages] == [USER, ASSISTANT, USER]
    assert store.truncate_from(conversation, answer) == 2  # regenerate: the answer and what follows
    assert store.routing(answer) is None and count(db, "routing_chunks") == 0
    assert store.search("bearbeitete") == []
    with pytest.raises(ConversationNotFound):
        store.truncate_from(conversation, answer)
    assert_search_index_matches(store)


def test_search_finds_titles_and_text_by_word_start_without_accents_newest_first(store):
    old, _, _ = answered(store, "Was ist ein Experte im Mixture-of-Experts-Modell?")
    titled = store.create(title="Expertenrunde")
    recent = store.create()
    store.add_message(recent, Message(USER, "Die Gewichte der Experten addieren sich zu eins."))
    store.add_message(store.create(), Message(USER, "Über das Wetter"))
    assert [s.id for s in store.search("exper")] == [recent, titled, old]
    found = {s.id: s for s in store.search("Gewichte Experten")}
    assert list(found) == [recent] and "Gewichte der Experten" in found[recent].snippet
    assert [s.message_count for s in store.search("wetter")] == [1]
    assert [s.snippet for s in store.search("uber")] == ["Über das Wetter"]
    assert [s.snippet for s in store.search("ÜBER")] == ["Über das Wetter"]
    long = store.create()
    store.add_message(long, Message(USER, "Vorher " * 30 + "steht\nder  Router " + "und danach " * 30))
    around = store.search("router")[0].snippet
    assert around.startswith("…Vorher ") and around.endswith("…") and "steht der Router und danach" in around
    assert 100 < len(around) < 150 and "Vorher Vorher Vorher Vorher Vorher Vorher" not in around
    assert store.search("experten wetter") == []
    assert [s.id for s in store.search('"?! ')] == [s.id for s in store.summaries()]  # no words: all
    assert store.search('exp"ert') == []  # quotes are text, not syntax


def test_an_answer_is_searchable_once_it_has_ended(store):
    conversation = store.create()
    writer = store.begin_answer(conversation, "m", Settings())
    for token in routed_tokens(0, 3, seed=2):
        writer.add_token(token)
    writer.flush()
    assert store.search("w1ü") == []
    writer.finish(FINISHED)
    assert [s.id for s in store.search("w1ü")] == [conversation]
    assert_search_index_matches(store)


def test_delete_all_leaves_no_trace_of_the_text_in_the_files(db):
    marker = "Geheimwort" + "Zq" * 4
    with ConversationStore(db) as store:
        for index in range(30):
            conversation = store.create(title=f"{marker} {index}")
            store.add_message(conversation, Message(USER, f"{marker} steht hier {index} " * 20))
        answered(store, marker)
        assert any(marker.encode() in path.read_bytes() for path in db.parent.iterdir())
        assert store.delete_all() == 31
        assert store.summaries() == [] and store.search(marker) == []
        for path in db.parent.iterdir():
            assert marker.encode() not in path.read_bytes(), path.name
        store.add_message(store.create(), Message(USER, "danach geht es weiter"))
        assert len(store.search("weiter")) == 1
        assert_search_index_matches(store)


# --- answers while they stream -------------------------------------------------------------------------


def test_a_finished_answer_keeps_its_model_settings_figures_text_and_thinking(store):
    conversation = store.create()
    writer = store.begin_answer(conversation, "/m/r1.gguf", Settings(temperature=0.6, seed=7))
    tokens = routed_tokens(2, 6, seed=3)
    writer.add_prompt_routing(protocol.PromptRouting(tuple(tokens[:2])))
    for token in tokens[2:]:
        writer.add_token(token)
    assert writer.content == answer_text(tokens)
    writer.set_thinking("Der Nutzer fragt nach Experten.", 2.5)
    writer.set_content("Sichtbare Antwort")
    writer.finish(FINISHED)
    assert writer.done
    writer.finish(FINISHED)  # a second end changes nothing
    writer.interrupt()
    with pytest.raises(RuntimeError):
        writer.add_token(tokens[-1])
    answer = store.get(conversation).messages[-1]
    assert answer.role == ASSISTANT and answer.status == COMPLETE and answer.model == "/m/r1.gguf"
    assert answer.content == "Sichtbare Antwort"
    assert (answer.thinking, answer.thinking_s) == ("Der Nutzer fragt nach Experten.", 2.5)
    assert answer.settings == Settings(temperature=0.6, seed=7)
    assert answer.stats == AnswerStats(3, 5, 0.25, 41.5, "eos")
    assert_trace_is(store.routing(answer.id), tokens)


def test_an_answer_the_user_stopped_or_that_was_cut_off_is_kept_as_interrupted(store):
    conversation = store.create()
    stopped = store.begin_answer(conversation, "m", Settings())
    stopped.add_token(routed_tokens(0, 1, seed=4)[0])
    stopped.finish(protocol.Finished(2, 1, 0.1, 10.0, protocol.STOP_STOPPED))
    cut = store.begin_answer(conversation, "m", Settings())
    cut.add_token(routed_tokens(0, 1, seed=5)[0])
    cut.interrupt()
    left_open = store.begin_answer(conversation, "m", Settings())
    left_open.add_token(routed_tokens(0, 1, seed=6)[0])
    store.close()  # the window closes during an answer
    assert left_open.done
    with ConversationStore(store.path) as reopened:
        messages = reopened.get(conversation).messages
    assert [m.status for m in messages] == [INTERRUPTED] * 3
    assert messages[0].stats.stop_reason == protocol.STOP_STOPPED and messages[1].stats is None
    assert all(m.content == " w0ü" for m in messages)


def test_tokens_are_written_in_batches_by_time_and_by_count(store, db):
    conversation = store.create()
    tokens = routed_tokens(0, 8, seed=8)
    by_count = store.begin_answer(conversation, "m", Settings(), flush_seconds=3600, flush_tokens=3)
    with ConversationStore(db, housekeeping=False) as reader:
        for token in tokens[:5]:
            by_count.add_token(token)
        assert len(reader.routing(by_count.message_id)) == 3
        assert reader.get(conversation).messages[0].content == answer_text(tokens[:3])
        by_time = store.begin_answer(conversation, "m", Settings(), flush_seconds=0.5, flush_tokens=1000)
        by_time.add_token(tokens[0])
        assert reader.routing(by_time.message_id) is None
        time.sleep(0.55)
        by_time.add_token(tokens[1])
        assert len(reader.routing(by_time.message_id)) == 2
        assert reader.get(conversation).messages[1].status == STREAMING  # the reader left it alone


def test_an_answer_removed_while_it_streams_ends_its_writer_quietly(store):
    conversation = store.create()
    question = store.add_message(conversation, Message(USER, "Frage"))
    writer = store.begin_answer(conversation, "m", Settings(), flush_seconds=0)
    tokens = routed_tokens(0, 3, seed=9)
    writer.add_token(tokens[0])
    store.truncate_from(conversation, question)
    writer.add_token(tokens[1])
    assert writer.done
    writer.finish(FINISHED)
    assert store.get(conversation).messages == ()


CRASHING_CHILD = textwrap.dedent("""
    import os, sys
    sys.path[:0] = [{root!r}, {here!r}]
    from app.core.chat.model import Message, Settings
    from app.core.chat.store import ConversationStore
    from app.core.engine import protocol
    from chat_fixtures import routed_tokens

    store = ConversationStore({db!r})
    conversation = store.create()
    store.add_message(conversation, Message("user", "Erzähl mir was"))
    writer = store.begin_answer(conversation, "m.gguf", Settings(), flush_seconds=3600, flush_tokens=10**6)
    tokens = routed_tokens(4, 9, seed=11)
    writer.add_prompt_routing(protocol.PromptRouting(tuple(tokens[:4])))
    for token in tokens[4:10]:
        writer.add_token(token)
    writer.set_thinking("halb gedacht", 1.5)
    writer.flush()
    for token in tokens[10:]:
        writer.add_token(token)  # buffered: lost with the process
    print(conversation, writer.message_id, flush=True)
    os._exit(1)
""")


def test_a_crash_mid_answer_keeps_every_token_up_to_the_last_batch_marked_interrupted(db):
    code = CRASHING_CHILD.format(root=str(ROOT), here=str(Path(__file__).parent), db=str(db))
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert child.returncode == 1, child.stderr
    conversation, message_id = map(int, child.stdout.split())
    with sqlite3.connect(db) as raw:  # as the crash left it
        assert raw.execute("SELECT status FROM messages WHERE id = ?", (message_id,)).fetchone()[0] == STREAMING
    tokens = routed_tokens(4, 9, seed=11)
    with ConversationStore(db) as store:
        answer = store.get(conversation).messages[-1]
        assert answer.id == message_id and answer.status == INTERRUPTED
        assert answer.content == answer_text(tokens[:10]) and answer.thinking == "halb gedacht"
        assert_trace_is(store.routing(message_id), tokens[:10])
        assert [s.id for s in store.search("w9ü")] == [conversation]
        assert_search_index_matches(store)


# --- routing traces ----------------------------------------------------------------------------------------


def test_routing_is_stored_bit_for_bit_across_batches_and_a_restart(db):
    tokens = routed_tokens(40, 300, seed=12)
    tokens[10] = protocol.Token(10, 5, "x", protocol.PROMPT, protocol.EMPTY_ROUTING)  # not captured
    with ConversationStore(db) as store:
        conversation = store.create()
        writer = store.begin_answer(conversation, "m", Settings(), flush_tokens=7)
        writer.add_prompt_routing(protocol.PromptRouting(tuple(tokens[:40])))
        for token in tokens[40:]:
            writer.add_token(token)
        writer.finish(FINISHED)
        message_id = writer.message_id
    with ConversationStore(db) as store:
        trace = store.routing(message_id)
    assert trace.experts[10].tolist() == [[NOT_CAPTURED] * 2] * len(LAYERS) and not trace.weights[10].any()
    kept = tokens[:10] + tokens[11:]
    mask = np.arange(len(tokens)) != 10
    assert_trace_is(_select(trace, mask), kept)


def _select(trace: RoutingTrace, mask: np.ndarray) -> RoutingTrace:
    return RoutingTrace(trace.positions[mask], trace.tokens[mask],
                        tuple(text for text, keep in zip(trace.texts, mask) if keep),
                        tuple(source for source, keep in zip(trace.sources, mask) if keep),
                        trace.layers, trace.experts[mask], trace.weights[mask])


def test_scores_are_stored_bit_for_bit_and_a_token_without_them_reads_as_nan(db):
    tokens = routed_tokens(4, 40, seed=12, scores=True)
    unscored = tokens[5].routing
    tokens[5] = protocol.Token(5, tokens[5].token, tokens[5].text, tokens[5].source,
                               protocol.Routing(unscored.layers, unscored.experts, unscored.weights))
    with ConversationStore(db) as store:
        conversation = store.create()
        writer = store.begin_answer(conversation, "m", Settings(), flush_tokens=7)
        writer.add_prompt_routing(protocol.PromptRouting(tuple(tokens[:4])))
        for token in tokens[4:]:
            writer.add_token(token)
        writer.finish(FINISHED)
        answer = writer.message_id
    with ConversationStore(db) as store:
        trace = store.routing(answer)
    assert trace.scores.shape == (44, len(LAYERS), 16)
    assert np.isnan(trace.scores[5]).all() and not np.isnan(np.delete(trace.scores, 5, axis=0)).any()
    assert np.array_equal(trace.experts, np.stack([t.routing.experts for t in tokens]))
    assert np.array_equal(trace.scores[6:].view(np.uint32),
                          np.stack([t.routing.scores for t in tokens[6:]]).view(np.uint32))
    other = routed_tokens(0, 1, seed=13, scores=True)[0]
    wider = protocol.Token(1, 1, "x", protocol.ANSWER, protocol.Routing(
        other.routing.layers, other.routing.experts, other.routing.weights, np.zeros((len(LAYERS), 8), np.float32)))
    with ConversationStore(db) as store:
        writer = store.begin_answer(store.create(), "m", Settings())
        writer.add_token(other)
        with pytest.raises(ValueError, match="scores for 8 experts, the answer for 16"):
            writer.add_token(wider)


def test_a_dense_model_trace_has_no_layers_and_mixed_routings_are_refused(store):
    conversation = store.create()
    dense = store.begin_answer(conversation, "dense.gguf", Settings())
    for pos in range(3):
        dense.add_token(protocol.Token(pos, pos, "t", protocol.ANSWER))
    dense.finish(FINISHED)
    trace = store.routing(dense.message_id)
    assert len(trace) == 3 and trace.layers.tolist() == [] and trace.experts.shape == (3, 0, 0)

    late = store.begin_answer(conversation, "moe.gguf", Settings(), flush_tokens=2)
    tokens = routed_tokens(0, 4, seed=13)
    for token in [protocol.Token(0, 1, "a", protocol.ANSWER), protocol.Token(1, 1, "b", protocol.ANSWER),
                  *tokens[2:]]:
        late.add_token(token)  # the first batch has no routing yet, later ones have
    late.finish(FINISHED)
    trace = store.routing(late.message_id)
    assert trace.experts.shape == (4, len(LAYERS), 2)
    assert (trace.experts[:2] == NOT_CAPTURED).all()
    assert np.array_equal(trace.experts[2:], np.stack([t.routing.experts for t in tokens[2:]]))

    odd = store.begin_answer(conversation, "moe.gguf", Settings(), flush_tokens=1)
    odd.add_token(routed_tokens(0, 1, seed=14)[0])
    with pytest.raises(ValueError, match="routed over layers"):
        odd.add_token(routed_tokens(0, 1, seed=15, layers=(0, 1))[0])


def test_a_data_folder_that_cannot_be_made_is_refused_in_words(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError, match="cannot open the conversation database") as raised:
        ConversationStore(blocker / "conversations.sqlite3")
    assert str(blocker) in str(raised.value)


def test_an_answer_asked_again_from_its_start_keeps_only_the_second_attempt(store):
    conversation = store.create(model_path="/models/m.gguf")
    store.add_message(conversation, Message(USER, "Hallo"))
    writer = store.begin_answer(conversation, "/models/m.gguf", Settings())
    first = routed_tokens(3, 4, seed=1)
    writer.add_prompt_routing(protocol.PromptRouting(tuple(first[:3])))
    for token in first[3:]:
        writer.add_token(token)
    writer.flush()
    assert len(store.routing(writer.message_id)) == 7
    writer.restart()
    assert store.routing(writer.message_id) is None
    again = routed_tokens(3, 2, seed=2)
    writer.add_prompt_routing(protocol.PromptRouting(tuple(again[:3])))
    for token in again[3:]:
        writer.add_token(token)
    writer.finish(FINISHED)
    assert_trace_is(store.routing(writer.message_id), again)
    assert store.get(conversation).messages[-1].content == answer_text(again)
