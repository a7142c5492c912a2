"""Against a real OpenAI-compatible server: llama.cpp's llama-server with a demo model on 127.0.0.1 (built
once per machine, shared by these tests): streaming, stop, errors, the connection test and the locality
state; and the whole window chatting with it."""

import queue
import time

import pytest
from llama_server import ALIAS, API_KEY
from PySide6.QtCore import QThread
from window_helpers import send

from app.core.engine import protocol
from app.core.locality.audit import AuditLog
from app.core.locality.guard import install_policy, uninstall_policy
from app.core.locality.policy import NetworkPolicy
from app.core.locality.state import LocalityKind, LocalityState, LocalityTracker
from app.core.remote.client import RemoteClient
from app.core.remote.errors import MODEL_NOT_FOUND, UNAUTHORIZED
from app.core.remote.layout import model_path
from app.core.remote.probe import test_connection as connection_test
from app.core.remote.profiles import ServerProfile
from app.ui.main_window import MainWindow
from app.worker import EngineWorker, stop_engine_thread

pytestmark = pytest.mark.slow


def profile(server, **changes) -> ServerProfile:
    return ServerProfile(**{"name": "llama-server", "base_url": server.url + "/v1", "model": ALIAS,
                            "flavour": "openai", **changes})


class Session:
    def __init__(self, server_profile: ServerProfile, key: str | None = API_KEY) -> None:
        self.events: queue.Queue = queue.Queue()
        self.client = RemoteClient(self.events.put, server_profile, key)
        self.client.start()
        assert isinstance(self.events.get(timeout=10), protocol.Ready)

    def until_end(self, command, timeout: float = 60.0) -> list:
        self.client.send(command)
        events = []
        while not events or not isinstance(events[-1], (protocol.Finished, protocol.Error, protocol.Loaded)):
            events.append(self.events.get(timeout=timeout))
        return events


def test_the_window_s_client_loads_and_streams_an_answer_from_llama_server(llama_server):
    session = Session(profile(llama_server))
    try:
        loaded = session.until_end(protocol.Load(model_path(session.client.profile)))[-1]
        assert isinstance(loaded, protocol.Loaded), loaded
        assert loaded.info.name == ALIAS and not loaded.info.is_moe and loaded.info.total_params > 0
        events = session.until_end(protocol.Generate(
            messages=(protocol.ChatMessage(protocol.USER, "Hallo"),), max_tokens=8, temperature=0.0, seed=1))
        tokens = [event for event in events if isinstance(event, protocol.Token)]
        finished = events[-1]
        assert isinstance(finished, protocol.Finished), finished
        assert (finished.stop_reason, finished.answer_tokens, len(tokens)) == (protocol.STOP_LENGTH, 8, 8)
        assert finished.prompt_tokens > 0 and [token.pos for token in tokens] == list(range(8))
        assert loaded.n_ctx == 1024  # the server's context (-c 1024), not the model's trained one
        assert all(len(token.routing) == 0 for token in tokens)
    finally:
        session.client.close()


def test_stop_ends_a_long_answer_at_once_and_the_server_answers_again(llama_server):
    session = Session(profile(llama_server))
    try:
        session.until_end(protocol.Load(model_path(session.client.profile)))
        session.client.send(protocol.Generate(prompt="Erzähl", max_tokens=900, temperature=1.0, seed=2))
        first = session.events.get(timeout=60)
        assert isinstance(first, protocol.Token), first
        asked = time.monotonic()
        session.client.stop_generation()
        events = [first]
        while not isinstance(events[-1], (protocol.Finished, protocol.Error)):
            events.append(session.events.get(timeout=10))
        assert isinstance(events[-1], protocol.Finished) and time.monotonic() - asked < 1.0
        assert events[-1].stop_reason == protocol.STOP_STOPPED and len(events) - 1 < 100  # 900 take seconds
        again = session.until_end(protocol.Generate(prompt="Hallo", max_tokens=3))
        assert isinstance(again[-1], protocol.Finished)
    finally:
        session.client.close()


def test_llama_server_s_refusals_are_told_in_words(llama_server):
    wrong_key = Session(profile(llama_server), key="not-the-key")
    unknown = Session(profile(llama_server, model="no-such-model"))
    try:
        error = wrong_key.until_end(protocol.Load(model_path(wrong_key.client.profile)))[-1]
        assert error.kind == UNAUTHORIZED and "HTTP 401" in error.message and "Invalid API Key" in error.message
        # llama-server answers any model name in a chat request; the client checks /v1/models first
        error = unknown.until_end(protocol.Load(model_path(unknown.client.profile)))[-1]
        assert error.kind == MODEL_NOT_FOUND and ALIAS in error.message
    finally:
        wrong_key.client.close()
        unknown.client.close()


def test_the_connection_test_says_what_llama_server_can_do(llama_server):
    capabilities = connection_test(profile(llama_server), API_KEY)
    assert (capabilities.chat, capabilities.streaming, capabilities.routed_experts) == (True, True, False)
    assert capabilities.models == [ALIAS] and "without routing" in capabilities.detail
    with pytest.raises(Exception, match="HTTP 401"):
        connection_test(profile(llama_server), "not-the-key")


def test_while_llama_server_is_used_the_indicator_names_it_as_a_private_server(llama_server):
    policy = install_policy(NetworkPolicy())
    tracker = LocalityTracker(policy)
    try:
        session = Session(profile(llama_server))
        assert tracker.state == LocalityState.server("127.0.0.1", True)
        assert policy.describe()["server"]["private"] is True
        loaded = session.until_end(protocol.Load(model_path(session.client.profile)))[-1]
        assert isinstance(loaded, protocol.Loaded)
        session.client.close()
        assert tracker.state.kind is LocalityKind.LOCAL and policy.server is None
    finally:
        tracker.close()
        uninstall_policy()


def test_the_window_chats_with_llama_server_and_names_it_in_the_status_bar(qtbot, llama_server, tmp_path):
    policy = install_policy(NetworkPolicy())
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    thread.start()
    window = None
    try:
        models = tmp_path / "models"
        models.mkdir()
        window = MainWindow(worker, models, policy=policy, audit=AuditLog(tmp_path / "audit"))
        qtbot.addWidget(window)
        window.show()
        worker.use_server(profile(llama_server), API_KEY)
        qtbot.waitUntil(lambda: window.model_info is not None, timeout=60_000)
        assert window.model_info.name == ALIAS and not window.model_info.is_moe
        qtbot.waitUntil(lambda: window.locality.state.kind is LocalityKind.SERVER)
        assert window.locality.text_label.text() == "Company server 127.0.0.1 — your text goes to this server"
        # sampled: at temperature 0 this random-weight model writes only spaces
        window.chat.settings.update(max_tokens=12, temperature=1.0, seed=2)
        with qtbot.waitSignal(worker.finished, timeout=60_000) as finished:
            send(qtbot, window, "Hallo")
        qtbot.waitUntil(lambda: not window.chat.generating)
        assert finished.args[0].answer_tokens == 12 and window.chat.answer_text.strip()
        assert window.chat.messages[-1].content == window.chat.answer_text  # kept in the conversation
        assert "llama-server" not in window.statusBar().currentMessage()  # no error said
    finally:
        if window is not None:
            window.close()
        stop_engine_thread(worker, thread)
        uninstall_policy()
