"""The kept conversations in the window: the controller on its store thread (real SQLite), the side list,
and the settings dialog with its presets."""

from __future__ import annotations

import sqlite3
import statistics
import time
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QDateTime, QLocale, QSettings, Qt, QThread
from PySide6.QtWidgets import QApplication, QLineEdit

from app.core.chat.model import ASSISTANT, COMPLETE, INTERRUPTED, USER, Message, Settings
from app.core.chat.store import ConversationStore
from app.core.engine import protocol
from app.ui import settings as stored
from app.ui.chat import conversation_controller
from app.ui.chat.conversation_controller import ConversationController, problem_kind, store_problem_text
from app.ui.chat.conversations import ID_ROLE, ConversationList, relative_date
from app.ui.chat.settings_dialog import SettingsDialog

LAYERS, TOP_K = 3, 2


def routing(seed: int) -> protocol.Routing:
    rng = np.random.default_rng(seed)
    return protocol.Routing(tuple(range(LAYERS)), rng.integers(0, 8, (LAYERS, TOP_K)).astype(np.int32),
                            rng.random((LAYERS, TOP_K)).astype(np.float32))


def token(pos: int, text: str, source: str = protocol.ANSWER) -> protocol.Token:
    return protocol.Token(pos=pos, token=pos + 100, text=text, source=source, routing=routing(pos))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "conversations.sqlite3"


class Lists:
    """Every list a controller sent, to wait for one that satisfies a condition."""

    def __init__(self, ctl: ConversationController) -> None:
        self.seen: list[list] = []
        ctl.listChanged.connect(self.seen.append)

    def wait(self, qtbot, predicate) -> list:
        qtbot.waitUntil(lambda: bool(self.seen) and predicate(self.seen[-1]), timeout=5000)
        return self.seen[-1]


@pytest.fixture
def controller(qtbot, db_path):
    """A controller on a new database."""
    ctl = ConversationController(db_path)
    yield ctl
    ctl.stop()


@pytest.fixture
def lists(controller):
    return Lists(controller)


def stored_conversations(path):
    with ConversationStore(path, housekeeping=False) as store:
        return [store.get(summary.id) for summary in store.summaries()]


# --- the controller -------------------------------------------------------------------------------


def test_create_rename_search_delete_and_undo_through_the_store_thread(qtbot, controller, lists, db_path):
    with qtbot.waitSignals([controller.created, controller.messageStored], timeout=5000):
        controller.add_message(Message(USER, "Wie grüßt man auf Bairisch?\nBitte kurz."))
    conversation_id = controller.current_id
    assert conversation_id is not None
    rows = lists.wait(qtbot, lambda rows: len(rows) == 1)
    assert rows[0].title == "Wie grüßt man auf Bairisch?"

    controller.rename(conversation_id, "Grüße")
    lists.wait(qtbot, lambda rows: rows and rows[0].title == "Grüße")

    with qtbot.waitSignal(controller.searchResults, timeout=5000) as found:
        controller.search("bairisch")
    query, hits = found.args
    assert query == "bairisch" and [hit.id for hit in hits] == [conversation_id]
    assert "Bairisch" in hits[0].snippet
    with qtbot.waitSignal(controller.searchResults, timeout=5000) as found:
        controller.search("Schwäbisch")
    assert found.args[1] == []

    with qtbot.waitSignal(controller.deletePending, timeout=1000) as pending:
        controller.delete(conversation_id)
    assert pending.args == [conversation_id, "Grüße"]
    assert controller.current_id is None  # the chat shows a new conversation now
    lists.wait(qtbot, lambda rows: rows == [])
    with qtbot.waitSignal(controller.deleteSettled, timeout=1000):
        controller.undo_delete()
    lists.wait(qtbot, lambda rows: [row.id for row in rows] == [conversation_id])

    controller.delete(conversation_id)
    lists.wait(qtbot, lambda rows: rows == [])
    assert controller.stop()
    assert stored_conversations(db_path) == []  # removed for good once the store closed


def test_undo_is_offered_for_a_few_seconds(qtbot, monkeypatch, db_path):
    monkeypatch.setattr(conversation_controller, "UNDO_SECONDS", 0.2)
    ctl = ConversationController(db_path)
    try:
        with qtbot.waitSignal(ctl.created, timeout=5000):
            ctl.add_message(Message(USER, "Hallo"))
        with qtbot.waitSignal(ctl.deleteSettled, timeout=2000):
            ctl.delete(ctl.current_id)
        assert ctl.pending_delete is None
    finally:
        ctl.stop()


def test_a_new_conversation_is_stored_with_its_first_message_and_keeps_its_settings(qtbot, controller, lists,
                                                                                   db_path):
    settings = Settings(system_prompt="Antworte kurz.", temperature=0.2, seed=7)
    controller.new_conversation("/models/demo-moe.gguf", settings)
    with qtbot.waitSignal(controller.created, timeout=5000) as created:
        controller.add_message(Message(USER, "Erste Frage"))
    first = created.args[0]
    controller.new_conversation("/models/demo-dense.gguf", Settings())
    with qtbot.waitSignal(controller.created, timeout=5000) as created:
        controller.add_message(Message(USER, "Zweite Frage"))
    assert created.args[0] != first
    with qtbot.waitSignal(controller.conversationOpened, timeout=5000) as opened:
        controller.open(first)
    conversation = opened.args[0]
    assert controller.current_id == first
    assert conversation.model_path == "/models/demo-moe.gguf" and conversation.settings == settings
    assert [m.content for m in conversation.messages] == ["Erste Frage"]
    rows = lists.wait(qtbot, lambda rows: len(rows) == 2)
    assert [row.title for row in rows] == ["Zweite Frage", "Erste Frage"]  # newest first

    warmer = replace(settings, temperature=0.9)
    controller.update(settings=warmer)  # the opened conversation goes on with other settings
    lists.wait(qtbot, lambda rows: [row.title for row in rows] == ["Erste Frage", "Zweite Frage"])
    assert controller.stop()
    first_again = next(c for c in stored_conversations(db_path) if c.id == first)
    assert first_again.settings == warmer and first_again.model_path == "/models/demo-moe.gguf"


def test_an_answer_is_stored_with_its_routing_and_figures(qtbot, controller, db_path):
    controller.add_message(Message(USER, "Sag etwas"))
    controller.begin_answer("demo-moe", Settings(temperature=0.5))
    prompt = protocol.PromptRouting(tuple(token(i, f"p{i}", protocol.PROMPT) for i in range(4)))
    controller.add_prompt_routing(prompt)
    for i, text in enumerate(["Grü", "ß ", "Gott", " 🙂"]):
        controller.add_token(token(4 + i, text))
    controller.set_thinking("nachdenken", 0.5)
    finished = protocol.Finished(prompt_tokens=4, answer_tokens=4, ttft_s=0.01, tokens_per_s=90.0,
                                 stop_reason=protocol.STOP_EOS)
    with qtbot.waitSignal(controller.answerStored, timeout=5000) as done:
        controller.finish_answer(finished)
    conversation_id, message_id = done.args
    assert controller.stop()
    with ConversationStore(db_path) as store:
        answer = store.get(conversation_id).messages[-1]
        trace = store.routing(message_id)
    assert (answer.id, answer.role, answer.status) == (message_id, ASSISTANT, COMPLETE)
    assert answer.content == "Grüß Gott 🙂" and answer.thinking == "nachdenken"
    assert answer.stats.answer_tokens == 4 and answer.stats.tokens_per_s == 90.0
    assert len(trace) == 8 and trace.sources == (protocol.PROMPT,) * 4 + (protocol.ANSWER,) * 4
    np.testing.assert_array_equal(trace.experts[5], routing(5).experts)


def test_regenerate_replaces_the_last_answer(qtbot, controller, db_path):
    controller.add_message(Message(USER, "Noch einmal"))
    for attempt in ("erste Antwort", "zweite Antwort"):
        controller.begin_answer("demo-moe", Settings())
        controller.add_token(token(0, attempt))
        with qtbot.waitSignal(controller.answerStored, timeout=5000) as done:
            controller.finish_answer(protocol.Finished(1, 1, 0.01, 50.0, protocol.STOP_EOS))
        if attempt == "erste Antwort":
            controller.truncate_from(done.args[1])
    assert controller.stop()
    (conversation,) = stored_conversations(db_path)
    assert [(m.role, m.content) for m in conversation.messages] == [(USER, "Noch einmal"),
                                                                    (ASSISTANT, "zweite Antwort")]


def test_closing_during_an_answer_keeps_it_interrupted(qtbot, db_path):
    """The window closes while the engine still streams: what came is stored, marked interrupted; tokens
    gathered on the GUI thread but not yet handed over are stored too."""
    ctl = ConversationController(db_path)
    with qtbot.waitSignal(ctl.messageStored, timeout=5000):
        ctl.add_message(Message(USER, "Erzähl eine lange Geschichte"))
    ctl.begin_answer("demo-moe", Settings())
    words = [f"Wort{i} " for i in range(40)]
    for i, text in enumerate(words):
        ctl.add_token(token(i, text))
    assert ctl.stop()  # at once: the batch timer has not fired
    ctl.add_token(token(99, "zu spät"))  # after the close: ignored, no crash
    (conversation,) = stored_conversations(db_path)
    answer = conversation.messages[-1]
    assert answer.status == INTERRUPTED and answer.content == "".join(words)
    with ConversationStore(db_path) as store:
        assert len(store.routing(answer.id)) == 40


def test_a_token_batch_costs_the_gui_thread_well_under_a_millisecond(qtbot, controller):
    """Tokens are gathered with a list append; every 16 ms one queued request hands them over. The GUI
    thread's cost per 16 ms (16 tokens, 1,000 tokens/s) is measured while the store thread writes."""
    controller.add_message(Message(USER, "Los"))
    controller.begin_answer("demo-moe", Settings())
    tokens = [token(position, "x") for position in range(60 * 16)]
    per_flush, flush_costs = [], []
    for batch in range(60):
        started = time.perf_counter()
        for item in tokens[batch * 16:(batch + 1) * 16]:
            controller.add_token(item)
        sending = time.perf_counter()
        controller.send_tokens()
        done = time.perf_counter()
        per_flush.append(done - started)
        flush_costs.append(done - sending)
        qtbot.wait(2)  # the store thread works meanwhile, as it would between flushes
    with qtbot.waitSignal(controller.answerStored, timeout=10_000):
        controller.finish_answer(protocol.Finished(0, len(tokens), 0.01, 1000.0, protocol.STOP_LENGTH))
    print(f"GUI thread per 16 ms of tokens: median {statistics.median(per_flush) * 1e6:.0f} µs, "
          f"max {max(per_flush) * 1e6:.0f} µs; of that the hand-over: median "
          f"{statistics.median(flush_costs) * 1e6:.0f} µs")
    assert statistics.median(per_flush) < 0.001


def test_every_store_call_runs_on_the_store_thread(qtbot, controller, lists, monkeypatch):
    threads = set()
    original = ConversationStore.summaries

    def recording(store, *args, **kwargs):
        threads.add(QThread.currentThread())
        return original(store, *args, **kwargs)

    monkeypatch.setattr(ConversationStore, "summaries", recording)
    controller.refresh()
    lists.wait(qtbot, lambda rows: True)
    controller.search("")  # an empty search lists all
    lists.wait(qtbot, lambda rows: True)
    assert threads and QApplication.instance().thread() not in threads


def test_a_damaged_database_is_reported_and_the_controller_stays_usable(qtbot, tmp_path):
    path = tmp_path / "conversations.sqlite3"
    path.write_bytes(b"this is not a database, only some text " * 200)
    ctl = ConversationController(path)
    with qtbot.waitSignal(ctl.error, timeout=5000) as failed:
        pass
    kind, details = failed.args
    assert kind == "corrupt" and str(path) in details
    ctl.add_message(Message(USER, "geht trotzdem"))  # ignored, not raised
    ctl.search("x")
    assert ctl.stop()
    assert "damaged" in store_problem_text(kind, details)


def test_a_database_of_a_newer_version_is_named_so(qtbot, tmp_path):
    path = tmp_path / "conversations.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 999")
    db.close()
    ctl = ConversationController(path)
    with qtbot.waitSignal(ctl.error, timeout=5000) as failed:
        pass
    ctl.stop()
    assert failed.args[0] == "too_new"


def test_problem_kinds_of_disk_failures():
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    read_only = sqlite3.OperationalError("attempt to write a readonly database")
    read_only.sqlite_errorcode = sqlite3.SQLITE_READONLY | (1 << 8)  # an extended code
    assert problem_kind(full) == "full" and problem_kind(read_only) == "read_only"
    assert problem_kind(OSError(28, "No space left on device")) == "full"
    texts = {store_problem_text(kind, "details") for kind in
             ("full", "read_only", "corrupt", "busy", "unavailable", "too_new", "other")}
    assert len(texts) == 7


# --- the side list --------------------------------------------------------------------------------


def fill_store(path, count: int) -> None:
    with ConversationStore(path) as store:
        for i in range(count):
            conversation_id = store.create(model_path=f"/models/model-{i % 3}.gguf")
            store.add_message(conversation_id, Message(USER, f"Frage Nummer {i}"))


def test_a_thousand_conversations_are_listed_quickly_without_holding_up_the_gui(qtbot, db_path):
    fill_store(db_path, 1000)
    started = time.perf_counter()
    ctl = ConversationController(db_path)
    side = ConversationList()
    side.connect_controller(ctl)
    qtbot.addWidget(side)
    side.show()
    gui_blocked = time.perf_counter() - started
    try:
        qtbot.waitUntil(lambda: side.model.rowCount() == 1000, timeout=5000)
        shown = time.perf_counter() - started
        print(f"1,000 conversations: GUI thread busy {gui_blocked * 1000:.1f} ms to start, list shown after "
              f"{shown * 1000:.0f} ms")
        assert shown < 1.0
        assert gui_blocked < 0.2
        assert side.model.index(0).data() == "Frage Nummer 999"
        started = time.perf_counter()
        side.set_conversations(side.model.summaries)
        assert time.perf_counter() - started < 0.05
    finally:
        ctl.stop()


def test_the_list_searches_after_a_pause_in_typing(qtbot, controller):
    side = ConversationList()
    side.connect_controller(controller)
    qtbot.addWidget(side)
    for text in ("Äpfel und Birnen", "Zwetschgen", "Birnenkuchen backen"):
        controller.new_conversation()
        with qtbot.waitSignal(controller.created, timeout=5000):
            controller.add_message(Message(USER, text))
    qtbot.waitUntil(lambda: side.model.rowCount() == 3, timeout=5000)
    requests = []
    side.searchRequested.connect(requests.append)
    qtbot.keyClicks(side.search_field, "birne")
    qtbot.waitUntil(lambda: side.model.rowCount() == 2, timeout=5000)
    assert requests == ["birne"]  # one search after the pause, not one per key
    assert {side.model.index(row).data() for row in range(2)} == {"Äpfel und Birnen", "Birnenkuchen backen"}
    side.search_field.clear()
    qtbot.waitUntil(lambda: side.model.rowCount() == 3, timeout=2000)
    qtbot.keyClicks(side.search_field, "Kirschen")
    qtbot.waitUntil(lambda: side.empty_label.isVisibleTo(side), timeout=5000)
    assert "Kirschen" in side.empty_label.text()
    qtbot.keyClick(side.search_field, Qt.Key.Key_Escape)
    assert side.search_field.text() == ""
    qtbot.waitUntil(lambda: side.model.rowCount() == 3, timeout=2000)


def test_the_list_by_keyboard_and_mouse(qtbot, controller, lists):
    side = ConversationList()
    side.connect_controller(controller)
    qtbot.addWidget(side)
    side.show()
    for text in ("Erste", "Zweite"):
        controller.new_conversation()
        with qtbot.waitSignal(controller.created, timeout=5000):
            controller.add_message(Message(USER, text))
    qtbot.waitUntil(lambda: side.model.rowCount() == 2, timeout=5000)
    newest, oldest = (side.model.index(row).data(ID_ROLE) for row in range(2))
    assert side.view.currentIndex().row() == 0  # the current conversation (the one just made) is marked

    with qtbot.waitSignal(side.newRequested, timeout=1000):
        side.new_button.click()
    with qtbot.assertNotEmitted(side.openRequested):  # already open
        qtbot.mouseClick(side.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=side.view.visualRect(side.model.index(0)).center())
    with qtbot.waitSignal(side.openRequested, timeout=1000) as opened:
        qtbot.mouseClick(side.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=side.view.visualRect(side.model.index(1)).center())
    assert opened.args == [oldest]

    side.search_field.setFocus()
    qtbot.keyClick(side.search_field, Qt.Key.Key_Down)
    assert side.view.currentIndex().row() == 1
    with qtbot.waitSignal(side.openRequested, timeout=1000) as opened:
        qtbot.keyClick(side.view, Qt.Key.Key_Return)
    assert opened.args == [oldest]

    qtbot.keyClick(side.view, Qt.Key.Key_F2)
    editor = side.view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Erste"
    editor.setText("  Umbenannt  ")
    with qtbot.waitSignal(side.renameRequested, timeout=1000) as renamed:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert renamed.args == [oldest, "Umbenannt"]
    lists.wait(qtbot, lambda rows: [row.title for row in rows] == ["Zweite", "Umbenannt"])

    side.view.setCurrentIndex(side.model.index(1))
    with qtbot.waitSignal(controller.deletePending, timeout=1000) as pending:
        qtbot.keyClick(side.view, Qt.Key.Key_Delete)
    assert pending.args == [oldest, "Umbenannt"]
    assert side.undo_bar.isVisible() and "Umbenannt" in side._undo_label.text()
    qtbot.waitUntil(lambda: side.model.rowCount() == 1, timeout=5000)
    side.undo_button.click()
    assert not side.undo_bar.isVisible()
    qtbot.waitUntil(lambda: side.model.rowCount() == 2, timeout=5000)
    assert side.view.accessibleName() == "Conversations"
    assert side.search_field.accessibleName() == "Search conversations"


def test_relative_dates():
    now = QDateTime.fromString("2026-12-01T15:00:00", Qt.DateFormat.ISODate).toSecsSinceEpoch()
    earlier_today = now - 2 * 3600
    assert relative_date(earlier_today, now) == QLocale().toString(
        QDateTime.fromSecsSinceEpoch(earlier_today).time(), QLocale.FormatType.ShortFormat)
    assert relative_date(now - 86400, now) == "Yesterday"
    assert relative_date(now - 3 * 86400, now) == "Saturday"
    assert "26" in relative_date(now - 40 * 86400, now)


def test_the_context_menu_offers_open_rename_and_delete(qtbot, controller):
    side = ConversationList()
    side.connect_controller(controller)
    qtbot.addWidget(side)
    side.show()
    for text in ("Kontext", "Andere"):
        controller.new_conversation()
        with qtbot.waitSignal(controller.created, timeout=5000):
            controller.add_message(Message(USER, text))
    qtbot.waitUntil(lambda: side.model.rowCount() == 2, timeout=5000)
    older = side.model.index(1)
    side.view.setCurrentIndex(older)
    menu = side.context_menu(older)
    opened, renamed, deleted = menu.actions()
    assert [action.text() for action in menu.actions()] == ["Open", "Rename…", "Delete"]
    with qtbot.waitSignal(side.openRequested, timeout=1000) as request:
        opened.trigger()
    assert request.args == [older.data(ID_ROLE)]
    renamed.trigger()
    assert side.view.state() == side.view.State.EditingState
    qtbot.keyClick(side.view.findChild(QLineEdit), Qt.Key.Key_Escape)
    assert side.view.state() != side.view.State.EditingState
    with qtbot.waitSignal(controller.deletePending, timeout=1000) as pending:
        deleted.trigger()
    assert pending.args == [older.data(ID_ROLE), "Kontext"]


# --- the settings dialog --------------------------------------------------------------------------


@pytest.fixture
def no_presets():
    QSettings().remove(stored.CHAT_PRESETS)
    yield
    QSettings().remove(stored.CHAT_PRESETS)


def test_the_settings_dialog_gives_back_what_it_was_given(qtbot, no_presets):
    given = Settings(system_prompt="Du bist ein Pirat.", temperature=0.3, top_p=None, top_k=12, min_p=None,
                     repeat_penalty=1.25, max_tokens=300, seed=42, n_ctx=4096)
    dialog = SettingsDialog(given, {"top_p": 0.8, "temperature": 0.6}, model_name="Qwen3", context_limit=32768)
    qtbot.addWidget(dialog)
    assert dialog.settings() == given
    assert dialog.values["top_p"].use_default.text() == "Model default"
    assert dialog.values["top_p"].spin.value() == pytest.approx(0.8)
    assert not dialog.values["top_p"].spin.isEnabled()
    assert dialog.values["min_p"].use_default.text() == "Default"
    dialog.values["top_p"].use_default.setChecked(False)
    dialog.values["top_p"].spin.setValue(0.5)
    dialog.values["temperature"].use_default.setChecked(True)
    assert dialog.values["temperature"].spin.value() == pytest.approx(0.6)  # the model's
    dialog.seed.setValue(-1)
    assert dialog.seed.text() == "Random"
    changed = dialog.settings()
    assert (changed.top_p, changed.temperature, changed.seed) == (0.5, None, None)
    dialog.set_settings(Settings())
    assert dialog.settings() == Settings()


def test_presets_are_saved_chosen_and_deleted(qtbot, no_presets):
    dialog = SettingsDialog(Settings(temperature=0.1, system_prompt="Genau."))
    qtbot.addWidget(dialog)
    assert dialog.preset_box.currentText() == "Custom" and not dialog.delete_preset_button.isEnabled()
    dialog.save_preset("Präzise")
    assert dialog.preset_box.currentText() == "Präzise" and dialog.delete_preset_button.isEnabled()
    dialog.set_settings(Settings(temperature=1.2, seed=5))
    dialog.save_preset("Kreativ")
    assert stored.chat_presets() == {"Präzise": Settings(temperature=0.1, system_prompt="Genau."),
                                     "Kreativ": Settings(temperature=1.2, seed=5)}

    again = SettingsDialog(Settings())
    qtbot.addWidget(again)
    assert [again.preset_box.itemText(i) for i in range(again.preset_box.count())] == [
        "Custom", "Präzise", "Kreativ"]
    again.preset_box.activated.emit(1)
    assert again.settings() == Settings(temperature=0.1, system_prompt="Genau.")
    again.values["temperature"].spin.setValue(0.15)
    assert again.preset_box.currentText() == "Custom"  # edited: no longer the preset
    again.choose_preset("Kreativ")
    again.delete_preset_button.click()
    assert list(stored.chat_presets()) == ["Präzise"]
    assert again.settings() == Settings(temperature=1.2, seed=5)  # the fields stay


def test_damaged_presets_are_left_out(no_presets):
    QSettings().setValue(stored.CHAT_PRESETS, "{not json")
    assert stored.chat_presets() == {}
    QSettings().setValue(stored.CHAT_PRESETS, '{"Gut": {"temperature": 0.4, "unknown": 1}, "Schlecht": 3}')
    assert stored.chat_presets() == {"Gut": Settings(temperature=0.4)}
