"""A conversation exported as Markdown and JSON, and the JSON read back into a fresh store: the same
conversation, and the same routing bit for bit."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from app.core.chat.export import ImportFormatError, export_conversation, import_json, to_json, to_markdown
from app.core.chat.model import ASSISTANT, INTERRUPTED, USER, Message, Settings
from app.core.chat.store import ConversationNotFound, ConversationStore
from app.core.engine import protocol
from chat_fixtures import assert_trace_is, routed_tokens

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
        made = routed_tokens(3, 4, seed=seed)
        writer.add_prompt_routing(protocol.PromptRouting(tuple(made[:3])))
        for token in made[3:]:
            writer.add_token(token)
        if thinking:
            writer.set_thinking(thinking, 12.4)
            writer.set_content("| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```")
        writer.finish(protocol.Finished(9, 4, 0.31, 23.456, stop))
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
    original = store.get(conversation)
    with ConversationStore(tmp_path / "two" / "conversations.sqlite3") as fresh:
        fresh.create(title="already there")  # the import gets an id of its own
        imported_id = import_json(fresh, json.loads(text))
        imported = fresh.get(imported_id)
        assert replace(imported, id=original.id, messages=()) == replace(original, messages=())
        assert [replace(m, id=None) for m in imported.messages] == [replace(m, id=None) for m in original.messages]
        assert imported.messages[-1].status == INTERRUPTED
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
