"""A conversation exported as Markdown and JSON, and the JSON read back into a fresh store: the same
conversation, and the same routing (with the router's scores) bit for bit; one answer's trace as JSON and
CSV, read back to the same arrays."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest

import numpy as np

from app.core.chat.export import (
    TRACE_CSV_COLUMNS,
    ImportFormatError,
    export_conversation,
    import_json,
    read_trace_csv,
    read_trace_json,
    to_json,
    to_markdown,
    write_trace_csv,
    write_trace_json,
)
from app.core.chat.model import ASSISTANT, INTERRUPTED, USER, Message, RoutingTrace, Settings
from app.core.chat.store import ConversationNotFound, ConversationStore
from app.core.engine import protocol
from chat_fixtures import assert_trace_is, routed_tokens

SAMPLING = {"temperature": 0.6, "top_p": 0.95, "top_k": 20, "min_p": 0.05, "repeat_penalty": 1.1}
SETTINGS = Settings(system_prompt="Du bist ein knapper Tutor.\n\nAntworte auf Deutsch.", temperature=0.6, top_k=20,
                    seed=42)


@pytest.fixture
def store(tmp_path):
    with ConversationStore(tmp_path / "one" / "conversations.sqlite3") as opened:
        yield opened


def conversation_with_reasoning(store: ConversationStore) -> tuple[int, dict[int, list[protocol.Token]]]:
    conversation = store.create(model_path="/models/DeepSeek-R1-Distill.gguf", settings=SETTINGS)
    store.add_message(conversation, Message(USER, "Was ist ein **Experte**? 🤖 中文 עברית"))
    tokens = {}
    for seed, (thinking, stop) in enumerate([("Der Nutzer fragt …\nKurz halten.", "eos"), ("", "stopped")]):
        writer = store.begin_answer(conversation, "/models/DeepSeek-R1-Distill.gguf", SETTINGS)
        made = routed_tokens(3, 4, seed=seed, scores=seed == 1)
        writer.add_prompt_routing(protocol.PromptRouting(tuple(made[:3])))
        for token in made[3:]:
            writer.add_token(token)
        if thinking:
            writer.set_thinking(thinking, 12.4)
            writer.set_content("| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```")
        writer.finish(protocol.Finished(9, 4, 0.31, 23.456, stop, sampling={**SAMPLING, "seed": seed}))
        tokens[writer.message_id] = made
        if seed == 0:
            store.add_message(conversation, Message(USER, "Und noch einmal?"))
    return conversation, tokens


def test_markdown_has_the_title_system_prompt_turns_thinking_and_figures(store):
    conversation, _ = conversation_with_reasoning(store)
    text = export_conversation(store, conversation, "md")
    assert text == to_markdown(store.get(conversation))
    assert text.startswith("# Was ist ein **Experte**? 🤖 中文 עברית\n")
    assert "model `DeepSeek-R1-Distill.gguf`" in text
    assert "Settings: temperature 0.6, top-k 20, max tokens 512, seed 42, context 2048" in text
    assert "## System prompt\n\n> Du bist ein knapper Tutor.\n>\n> Antworte auf Deutsch.\n" in text
    assert "## User\n\nWas ist ein **Experte**? 🤖 中文 עברית\n" in text
    assert ("<details>\n<summary>Thinking (12 s)</summary>\n\n> Der Nutzer fragt …\n> Kurz halten.\n\n</details>\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```\n") in text
    assert "*4 tokens · 23.5 tokens/s · first token after 0.31 s*" in text
    assert text.count("## Assistant · `DeepSeek-R1-Distill.gguf`") == 2
    assert text.count("<details>") == 1
    assert "*4 tokens · 23.5 tokens/s · first token after 0.31 s · interrupted*" in text  # the stopped answer


def test_json_round_trip_into_a_fresh_store_gives_the_same_conversation_and_routing(store, tmp_path):
    conversation, tokens = conversation_with_reasoning(store)
    text = export_conversation(store, conversation, "json", routing=True)
    data = json.loads(text)
    assert data["format"] == "moescope-conversation" and data["version"] == 1
    assert sum("routing" in message for message in data["messages"]) == 2
    assert ["scores" in message["routing"] for message in data["messages"] if "routing" in message] == [False, True]
    original = store.get(conversation)
    with ConversationStore(tmp_path / "two" / "conversations.sqlite3") as fresh:
        fresh.create(title="already there")  # the import gets an id of its own
        imported_id = import_json(fresh, json.loads(text))
        imported = fresh.get(imported_id)
        assert replace(imported, id=original.id, messages=()) == replace(original, messages=())
        assert [replace(m, id=None) for m in imported.messages] == [replace(m, id=None) for m in original.messages]
        assert imported.messages[-1].status == INTERRUPTED
        assert [m.stats.sampling["seed"] for m in imported.messages if m.role == ASSISTANT] == [0, 1]
        for old, new in zip(original.messages, imported.messages):
            if old.role == ASSISTANT:
                assert_trace_is(fresh.routing(new.id), tokens[old.id])
            else:
                assert fresh.routing(new.id) is None
        assert [s.id for s in fresh.search("experte")] == [imported_id]
        assert [s.title for s in fresh.summaries()] == ["already there", original.title]  # its own times kept


def test_json_without_routing_leaves_traces_out_and_imports_without_them(store, tmp_path):
    conversation, _ = conversation_with_reasoning(store)
    data = json.loads(export_conversation(store, conversation, "json"))
    assert all("routing" not in message for message in data["messages"])
    assert data == to_json(store.get(conversation))
    with ConversationStore(tmp_path / "two" / "c.sqlite3") as fresh:
        imported = fresh.get(import_json(fresh, data))
        assert all(fresh.routing(message.id) is None for message in imported.messages)
        assert len(imported.messages) == 4


@pytest.mark.parametrize("broken, words", [
    ({"format": "something-else"}, "not a MoEscope conversation"),
    ({"format": "moescope-conversation", "version": 99}, "version 99"),
    ({"format": "moescope-conversation", "version": 1, "conversation": {}}, "incomplete or damaged"),
    ([1, 2, 3], "not a MoEscope conversation"),
])
def test_import_refuses_what_is_not_an_export_in_words(store, broken, words):
    with pytest.raises(ImportFormatError, match=words):
        import_json(store, broken)
    assert store.summaries() == []


@pytest.mark.parametrize("field, damage", [("weights", lambda values: values[:-1]),
                                           ("sources", lambda values: ["neither"] * len(values)),
                                           ("texts", lambda values: values[:-1])])
def test_a_damaged_trace_in_an_export_imports_nothing(store, field, damage):
    conversation, _ = conversation_with_reasoning(store)
    data = json.loads(export_conversation(store, conversation, "json", routing=True))
    routing = data["messages"][-1]["routing"]  # the last message: the others would be stored before it
    routing[field] = damage(routing[field])
    with pytest.raises(ImportFormatError, match="damaged"):
        import_json(store, data)
    assert [s.id for s in store.summaries()] == [conversation]


def test_export_of_a_missing_conversation_raises_not_found(store):
    with pytest.raises(ConversationNotFound):
        export_conversation(store, 404, "md")


# --- one answer's trace --------------------------------------------------------------------------------


def answer_trace(store: ConversationStore, scores: bool) -> RoutingTrace:
    conversation = store.create()
    writer = store.begin_answer(conversation, "m", Settings())
    tokens = routed_tokens(3, 5, seed=21, scores=scores)
    tokens[2] = protocol.Token(2, 7, 'Zeile "eins",\nzwei', protocol.PROMPT, tokens[2].routing)  # CSV quoting
    for token in tokens:
        writer.add_token(token)
    writer.finish(protocol.Finished(3, 5, 0.1, 10.0, "eos"))
    return store.routing(writer.message_id)


def assert_same_trace(back: RoutingTrace, trace: RoutingTrace) -> None:
    assert (back.texts, back.sources) == (trace.texts, trace.sources)
    for name in ("positions", "tokens", "layers", "experts", "weights", "scores"):
        got, want = getattr(back, name), getattr(trace, name)
        assert (got is None) == (want is None), name
        if want is not None:
            assert got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True), name


@pytest.mark.parametrize("scores", [False, True])
def test_an_answers_trace_as_json_reads_back_to_the_same_arrays(store, tmp_path, scores):
    trace = answer_trace(store, scores)
    if scores:
        trace.scores[1, 0, 3] = np.nan  # a score not captured
    path = tmp_path / "trace.json"
    write_trace_json(trace, path, model="demo.gguf")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["model"], data["k"]) == ("moescope-trace", 1, "demo.gguf", 2)
    assert ("scores" in data) == scores
    assert_same_trace(read_trace_json(path), trace)
    path.write_text('{"format": "moescope-conversation"}', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not a MoEscope trace"):
        read_trace_json(path)


def test_an_answers_trace_as_csv_has_a_row_per_token_layer_and_rank_and_reads_back(store, tmp_path):
    trace = answer_trace(store, scores=True)
    path, scores_path = tmp_path / "trace.csv", tmp_path / "scores.csv"
    write_trace_csv(trace, path, scores_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(TRACE_CSV_COLUMNS)
    assert lines[1].startswith("0,prompt,") and lines[1].endswith(f",1,0,{trace.experts[0, 0, 0]},"
                                                                  + str(trace.weights[0, 0, 0]))
    scores_lines = scores_path.read_text(encoding="utf-8").splitlines()
    assert scores_lines[0].startswith("position,source,token,text,layer,p0,p1,") and scores_lines[0].endswith(",p15")
    with open(scores_path, encoding="utf-8", newline="") as file:
        assert len(list(csv.reader(file))) == 1 + 8 * 3  # a row per token and layer
    assert_same_trace(read_trace_csv(path, scores_path), trace)
    without = read_trace_csv(path)
    assert without.scores is None and np.array_equal(without.weights, trace.weights)
    with pytest.raises(ValueError, match="not a MoEscope trace CSV"):
        read_trace_csv(scores_path)


def test_a_dense_answers_trace_keeps_its_tokens_in_csv(tmp_path):
    trace = RoutingTrace(np.arange(2, dtype=np.int32), np.array([5, 6], dtype=np.int32), ("a", "b"),
                         (protocol.PROMPT, protocol.ANSWER), np.zeros(0, np.int32), np.zeros((2, 0, 0), np.int32),
                         np.zeros((2, 0, 0), np.float32))
    write_trace_csv(trace, tmp_path / "dense.csv", tmp_path / "never.csv")
    assert not (tmp_path / "never.csv").exists()
    assert_same_trace(read_trace_csv(tmp_path / "dense.csv"), trace)
