"""Conversations kept across a restart of the window, through the real engine and the real store:
what is sent and answered is stored with its routing, regenerate and edit replace what they should,
New chat keeps the one before, closing mid-answer keeps the answer marked interrupted."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QFileDialog

from app.core.chat.model import ASSISTANT, COMPLETE, INTERRUPTED, USER
from app.core.chat.store import ConversationStore
from app.core.models.demo import REASONING_TEMPLATE, THINK_GRAMMAR, write_demo_model
from app.ui.main_window import MainWindow
from app.worker import start_engine_thread, stop_engine_thread
from window_helpers import ENGINE_TIMEOUT_MS, load, send, start_long_answer


@pytest.fixture(scope="module")
def moe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kept-models")
    return write_demo_model(folder / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)


@pytest.fixture
def open_window(qtbot, tmp_path, moe):
    """``open_window()``: a window on one models folder and one conversation database (in tmp_path)."""
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(moe, models / moe.name)
    database = tmp_path / "conversations.sqlite3"
    started = []

    def start() -> MainWindow:
        worker, thread = start_engine_thread()
        window = MainWindow(worker, models, conversations_path=database)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.engine_ready and not window.library.scanning, timeout=ENGINE_TIMEOUT_MS)
        started.append((window, worker, thread))
        return window

    yield start
    for window, worker, thread in started:
        window.close()
        stop_engine_thread(worker, thread)


def close(window: MainWindow) -> None:
    """Close the window as a user does (its store closes with it), and end its engine."""
    window.close()
    stop_engine_thread(window.worker, window.worker.thread())


def answer(qtbot, window: MainWindow, text: str) -> None:
    send(qtbot, window, text)
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)


def stored(database) -> list:
    with ConversationStore(database, housekeeping=False) as store:
        return [store.get(summary.id) for summary in store.summaries()]


@pytest.mark.slow
def test_a_conversation_comes_back_after_a_restart_with_its_routing(qtbot, open_window, moe, tmp_path):
    window = open_window()
    load(qtbot, window, moe)
    window.chat.settings.update(max_tokens=24, temperature=0.0, seed=0)
    answer(qtbot, window, "What is a router?")
    first_answer = window.chat.answer_text
    assert first_answer
    close(window)

    (conversation,) = stored(tmp_path / "conversations.sqlite3")
    assert [m.role for m in conversation.messages] == [USER, ASSISTANT]
    assert conversation.title == "What is a router?"
    reply = conversation.messages[1]
    assert reply.status == COMPLETE and reply.content == first_answer and reply.stats.answer_tokens > 0
    with ConversationStore(tmp_path / "conversations.sqlite3", housekeeping=False) as store:
        trace = store.routing(reply.id)
    assert trace is not None
    answer_tokens = [source for source in trace.sources if source == "answer"]
    assert len(answer_tokens) == reply.stats.answer_tokens
    assert trace.experts.shape[1:] == (4, 2)

    again = open_window()
    qtbot.waitUntil(lambda: again.conversations.model.rowCount() == 1)
    again.keeper.open(conversation.id)
    qtbot.waitUntil(lambda: len(again.chat.messages) == 2)
    assert again.chat.messages[1].content == first_answer
    assert first_answer[:10] in again.chat.transcript.toPlainText()


@pytest.mark.slow
def test_regenerate_and_edit_replace_what_they_should_and_new_chat_keeps_the_old_one(
        qtbot, open_window, moe, tmp_path):
    window = open_window()
    load(qtbot, window, moe)
    window.chat.settings.update(max_tokens=12, temperature=0.0, seed=0)
    answer(qtbot, window, "First question")
    answer(qtbot, window, "Second question")
    qtbot.waitUntil(lambda: window.keeper._ids and None not in window.keeper._ids, timeout=10_000)
    window.chat.regenerate()
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)
    window.chat.edit_message(0)
    window.chat.input.setPlainText("First question, edited")
    window.chat.send()
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)
    window.keeper.new_conversation()
    answer(qtbot, window, "Another topic")
    close(window)

    conversations = stored(tmp_path / "conversations.sqlite3")
    assert len(conversations) == 2
    newest, older = conversations
    assert [(m.role, m.content) for m in newest.messages][0] == (USER, "Another topic")
    assert [m.role for m in older.messages] == [USER, ASSISTANT]
    assert older.messages[0].content == "First question, edited"


@pytest.mark.slow
def test_closing_the_window_mid_answer_keeps_the_answer_marked_interrupted(qtbot, open_window, moe, tmp_path):
    window = open_window()
    load(qtbot, window, moe)
    start_long_answer(qtbot, window)
    qtbot.waitUntil(lambda: len(window.chat.answer_text) > 20, timeout=ENGINE_TIMEOUT_MS)
    close(window)

    (conversation,) = stored(tmp_path / "conversations.sqlite3")
    reply = conversation.messages[-1]
    assert reply.role == ASSISTANT and reply.status == INTERRUPTED
    assert len(reply.content) > 20


@pytest.mark.slow
def test_the_context_gauge_and_the_export_from_the_window(qtbot, open_window, moe, tmp_path, monkeypatch):
    window = open_window()
    load(qtbot, window, moe)
    window.chat.settings.update(max_tokens=16, temperature=0.0, seed=0)
    answer(qtbot, window, "Export me")
    assert window._context_label.text().startswith("Context: ") and "%" in window._context_label.text()
    qtbot.waitUntil(lambda: window.conversation_store.current_id is not None)

    target = tmp_path / "exported.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    window.conversation_menu.export("md", False)
    qtbot.waitUntil(target.exists, timeout=10_000)
    text = target.read_text(encoding="utf-8")
    assert "Export me" in text and window.chat.answer_text.strip()[:8] in text
    qtbot.waitUntil(lambda: "was saved to" in window.chat.transcript.toPlainText())

    unwritable = tmp_path / "no-such-folder" / "exported.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(unwritable), ""))
    window.conversation_menu.export("json", True)
    qtbot.waitUntil(lambda: "could not be saved" in window.chat.transcript.toPlainText())
    assert not unwritable.exists()


@pytest.mark.slow
def test_thinking_first_is_offered_for_a_template_with_the_switch_and_kept_with_the_conversation(
        qtbot, open_window, moe, tmp_path):
    window = open_window()
    load(qtbot, window, moe)
    assert not window.conversation_menu.thinking_action.isEnabled()  # the plain demo template has no switch
    reasoning = write_demo_model(window.library.models_dir / "demo-reasoning.gguf", arch="llama", layers=4,
                                 experts=8, top_k=2, seed=3, chat_template=REASONING_TEMPLATE)
    window.library.refresh()
    qtbot.waitUntil(lambda: not window.library.scanning)
    load(qtbot, window, reasoning)
    assert window.conversation_menu.thinking_action.isEnabled() and window.conversation_menu.thinking_action.isChecked()

    requests = []
    window.generateRequested.connect(requests.append)
    window.conversation_menu.thinking_action.setChecked(False)
    window.chat.settings.update(max_tokens=8, temperature=0.0, seed=0)
    answer(qtbot, window, "No thinking, please")
    assert requests[-1].thinking is False
    close(window)
    (conversation,) = stored(tmp_path / "conversations.sqlite3")
    assert conversation.settings.thinking is False


@pytest.mark.slow
def test_a_reasoning_answer_through_the_real_engine_shows_and_keeps_its_thinking_apart(
        qtbot, open_window, moe, tmp_path):
    """The random weights cannot think; a grammar makes the answer "thoughts</think>answer" after the
    reasoning template's prompt opened ``<think>``, as an R1 distill's answer looks."""
    window = open_window()
    reasoning = write_demo_model(window.library.models_dir / "demo-reasoning.gguf", arch="llama", layers=4,
                                 experts=8, top_k=2, seed=3, chat_template=REASONING_TEMPLATE)
    window.library.refresh()
    qtbot.waitUntil(lambda: not window.library.scanning)
    load(qtbot, window, reasoning)
    window.chat.settings.update(max_tokens=80, temperature=0.0, seed=0, grammar=THINK_GRAMMAR)
    answer(qtbot, window, "Think first")

    thinking, shown = window.chat.thinking_text, window.chat.answer_text
    assert thinking.strip() and shown.strip() and "</think>" not in thinking + shown
    assert window.chat.thinking_seconds is not None
    assert "Thought for" in window.chat.transcript.toPlainText()
    close(window)
    (conversation,) = stored(tmp_path / "conversations.sqlite3")
    reply = conversation.messages[-1]
    assert (reply.thinking, reply.content) == (thinking, shown)
