"""Settings › Company server…: profiles saved with their API key in the keyring only, the connection test
run off the window's thread against a loopback stand-in of SGLang and of a plain OpenAI-compatible server,
every kind of failure said in plain words, and "Use this server" switching the real window's engine worker
to the stand-in, with the status bar naming the server and the expert view showing the routing it sent."""

from __future__ import annotations

import json
import socket
import threading

import numpy as np
import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QMenu
from server_stand_ins import MODEL, MOE_LAYERS, ServerStandIn, write_config
from stand_ins import MemoryKeyring

from app.core.engine import protocol
from app.core.locality.audit import AuditLog
from app.core.locality.guard import current_policy, install_policy, uninstall_policy
from app.core.locality.policy import NetworkPolicy
from app.core.locality.state import LocalityKind
from app.core.remote.errors import RemoteError
from app.core.remote.profiles import ProfileStore, ServerProfile
from app.ui.main_window import MainWindow
from app.ui.remote import connection_check
from app.ui.remote.server_dialog import ServerDialog, add_server_action
from app.ui.remote.words import error_text
from app.worker import EngineWorker, stop_engine_thread
from window_helpers import send

KEY = "sk-company-0123456789"


@pytest.fixture
def keyring():
    return MemoryKeyring()


@pytest.fixture
def store(tmp_path, keyring):
    return ProfileStore(tmp_path / "servers.json", bundled=tmp_path / "no-bundle" / "servers.json", backend=keyring)


@pytest.fixture
def dialog(qtbot, store):
    opened = ServerDialog(store)
    qtbot.addWidget(opened)
    opened.show()
    return opened


def fill(dialog: ServerDialog, name: str, url: str, model: str = MODEL, flavour: str = "sglang", key: str = "",
         config: str = "") -> None:
    """Type a profile into the dialog's fields as a user does (a new one when the list has none chosen)."""
    form = dialog.form
    form.name_edit.setText(name)
    form.url_edit.setText(url)
    form.flavour_box.setCurrentIndex(form.flavour_box.findData(flavour))
    form.model_box.setEditText(model)
    form.key_edit.setText(key)
    form.config_edit.setText(config)
    form.edited.emit()


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_new_profile_is_saved_and_its_key_goes_to_the_keyring_not_into_the_file(qtbot, dialog, store, keyring,
                                                                                   tmp_path):
    assert dialog.profile_list.count() == 1 and dialog.chosen_name is None  # an empty store offers a draft
    assert dialog.form.verify_box.isChecked()  # the certificate is checked unless someone turns it off
    fill(dialog, "GPU server", "https://gpu01.example.internal:30000", key=KEY)
    assert dialog.save()
    assert store.profiles() == [ServerProfile("GPU server", "https://gpu01.example.internal:30000", MODEL, "sglang")]
    assert store.api_key("GPU server") == KEY and KEY in keyring.passwords.values()
    written = (tmp_path / "servers.json").read_text(encoding="utf-8")
    assert KEY not in written and "sk-" not in written and json.loads(written)["profiles"][0]["name"] == "GPU server"
    assert dialog.form.key_edit.text() == ""  # never shown again
    assert "stored" in dialog.form.key_edit.placeholderText() and dialog.form.forget_key_box.isVisible()

    dialog.add_profile()
    dialog.add_profile()  # one draft at a time
    assert dialog.profile_list.count() == 2 and dialog.chosen_name is None and dialog.form.name_edit.text() == ""

    again = ServerDialog(store)
    qtbot.addWidget(again)
    assert again.chosen_name == "GPU server" and again.form.url_edit.text() == "https://gpu01.example.internal:30000"
    assert again.form.key_edit.text() == ""


def test_renaming_moves_the_key_removing_forgets_it_and_a_bundled_profile_stays_as_set(
        qtbot, dialog, store, keyring, tmp_path):
    fill(dialog, "GPU server", "https://gpu01.example.internal", key=KEY)
    dialog.save()
    fill(dialog, "Rechenzentrum", "https://gpu01.example.internal")
    assert dialog.save()
    assert [profile.name for profile in store.profiles()] == ["Rechenzentrum"]
    assert store.api_key("Rechenzentrum") == KEY and store.api_key("GPU server") is None
    dialog.form.forget_key_box.setChecked(True)
    dialog.save()
    assert store.api_key("Rechenzentrum") is None and keyring.passwords == {}

    dialog.remove_profile()
    assert store.profiles() == [] and dialog.chosen_name is None

    bundle = tmp_path / "bundle" / "servers.json"
    bundle.parent.mkdir()
    bundle.write_text(json.dumps({"profiles": [{"name": "Company", "base_url": "https://llm.example.internal",
                                                "model": "deepseek-ai/DeepSeek-V3", "flavour": "sglang"}]}))
    preset = ServerDialog(ProfileStore(tmp_path / "servers.json", bundled=bundle, backend=keyring))
    qtbot.addWidget(preset)
    assert preset.chosen_name == "Company" and preset.preset_note.isVisibleTo(preset)
    assert not preset.form.url_edit.isEnabled() and not preset.remove_button.isEnabled()
    assert not preset.save_button.isEnabled() and preset.use_button.isEnabled()


@pytest.mark.parametrize(("name", "url", "model", "words"), [
    ("", "https://gpu01", MODEL, "Give the server a name."),
    ("GPU", "gpu01.example.internal", MODEL, "The address must start with https:// (or http://) and name the server."),
    ("GPU", "https://gpu01", "", "Name the model, or run the connection test to choose one."),
])
def test_fields_that_make_no_profile_are_said_in_words_and_nothing_is_saved(dialog, store, name, url, model, words):
    fill(dialog, name, url, model)
    assert not dialog.test_button.isEnabled() and not dialog.use_button.isEnabled()
    assert not dialog.save()
    assert dialog.result_label.text() == words and store.profiles() == []


def test_the_connection_test_runs_off_the_window_thread_and_says_what_sglang_can_do(qtbot, dialog, monkeypatch,
                                                                                    tmp_path):
    threads = []
    real_test = connection_check.test_connection

    def recorded(profile, api_key):
        threads.append(threading.current_thread())
        return real_test(profile, api_key)

    monkeypatch.setattr(connection_check, "test_connection", recorded)
    with ServerStandIn("sglang", api_key=KEY) as server:
        fill(dialog, "Stand-in", server.url, model="not-yet-chosen", key=KEY, config=str(write_config(tmp_path)))
        with qtbot.waitSignal(dialog.check.succeeded, timeout=30_000):
            dialog.test_connection()
            assert dialog.result_label.text() == "Testing the connection…"
            assert not dialog.test_button.isEnabled()
    assert threads and threads[0] is not threading.main_thread()
    lines = dialog.result_label.text().splitlines()
    assert lines[:3] == ["✗ Chat: the server does not answer chat requests.",
                         "✗ Streaming: answers appear only when complete.",
                         "✗ Routing: the server does not report the chosen experts; the expert view stays empty."]
    assert f"Models on this server: {MODEL}" in lines and "✗ The server does not list the model not-yet-chosen." in lines
    assert [dialog.form.model_box.itemText(i) for i in range(dialog.form.model_box.count())] == [MODEL]
    assert dialog.test_button.isEnabled()

    dialog.form.model_box.setCurrentIndex(0)  # the model the test listed
    with ServerStandIn("sglang", api_key=KEY) as server:
        dialog.form.url_edit.setText(server.url)
        with qtbot.waitSignal(dialog.check.succeeded, timeout=30_000):
            dialog.test_connection()
        assert [request.headers.get("Authorization") for request in server.requests] == [f"Bearer {KEY}"] * len(
            server.requests)
    assert dialog.result_label.text().splitlines() == [
        "✓ Chat: the server answers.", "✓ Streaming: answers appear word by word.",
        "✓ Routing: the server reports which experts were chosen for every word.", f"Models on this server: {MODEL}"]
    assert dialog.capabilities.routed_experts and dialog.capabilities.models == [MODEL]


@pytest.mark.parametrize(("flavour", "routed", "config", "routing_line", "hint"), [
    ("openai", False, True, "✗ Routing: the server does not report the chosen experts; the expert view stays empty.",
     None),
    ("sglang", False, True, "✗ Routing: the server does not report the chosen experts; the expert view stays empty.",
     "To see the routing, the server must be started with --enable-return-routed-experts."),
    ("sglang", True, False, "✓ Routing: the server reports which experts were chosen for every word.",
     "Choose the model's config.json as well: MoEscope needs its layers to show the routing."),
], ids=["openai-compatible", "sglang-without-the-flag", "sglang-without-config"])
def test_what_is_missing_for_routing_is_said(qtbot, dialog, tmp_path, flavour, routed, config, routing_line, hint):
    with ServerStandIn(flavour, routed=routed) as server:
        fill(dialog, "Server", server.url, flavour=flavour, config=str(write_config(tmp_path)) if config else "")
        with qtbot.waitSignal(dialog.check.succeeded, timeout=30_000):
            dialog.test_connection()
    lines = dialog.result_label.text().splitlines()
    assert lines[:3] == ["✓ Chat: the server answers.", "✓ Streaming: answers appear word by word.", routing_line]
    assert lines[3:] == [f"Models on this server: {MODEL}", *([hint] if hint else [])]


def failure_text(qtbot, dialog: ServerDialog) -> str:
    with qtbot.waitSignal(dialog.check.failed, timeout=30_000) as failed:
        dialog.test_connection()
    assert isinstance(failed.args[0], RemoteError)
    return dialog.result_label.text()


def test_failures_of_the_connection_test_are_said_in_plain_words(qtbot, dialog):
    fill(dialog, "Nobody", f"http://127.0.0.1:{closed_port()}")
    assert failure_text(qtbot, dialog).startswith(
        "The test failed. The server cannot be reached. Check the address, that the server is running")
    with ServerStandIn("sglang", api_key=KEY) as server:
        fill(dialog, "Wrong key", server.url, key="sk-wrong")
        assert failure_text(qtbot, dialog).startswith(
            "The test failed. The server refused the API key, or needs one.")
        fill(dialog, "No TLS there", server.url.replace("http://", "https://"), key=KEY)  # it speaks plain HTTP
        assert failure_text(qtbot, dialog).startswith(
            "The test failed. The secure connection (TLS) to the server failed, so nothing was sent.")
        previous = current_policy()
        install_policy(NetworkPolicy(local_networks=("127.0.0.2/32",), offline=True))
        try:
            fill(dialog, "Offline", server.url, key=KEY)
            assert failure_text(qtbot, dialog).startswith("The test failed. Offline mode is on: MoEscope connects to "
                                                          "no other computer.")
        finally:
            uninstall_policy() if previous is None else install_policy(previous)


def test_every_kind_of_server_failure_has_its_own_plain_words(dialog):
    said = {}
    for kind in protocol.REMOTE_ERROR_KINDS:
        dialog.check.failed.emit(RemoteError(kind, "the server's own words", status=429, retry_after=7))
        text = dialog.result_label.text()
        assert text.startswith("The test failed. ") and text.endswith("\nDetails: the server's own words")
        said[kind] = error_text(kind, 7)
    assert len(set(said.values())) == len(protocol.REMOTE_ERROR_KINDS)
    assert said[protocol.RATE_LIMITED] == "The server is busy and asks to wait 7 s. Then try again."
    assert error_text(protocol.RATE_LIMITED) == "The server is busy. Try again in a moment."
    with pytest.raises(ValueError):
        error_text(protocol.BAD_MODEL)


@pytest.fixture
def policy():
    """Only 127.0.0.1 is this computer; the policy in force before is put back afterwards."""
    previous = current_policy()
    installed = install_policy(NetworkPolicy(local_networks=("127.0.0.1/32",)))
    yield installed
    uninstall_policy() if previous is None else install_policy(previous)


def test_use_this_server_switches_the_worker_and_the_status_bar_names_the_server(qtbot, tmp_path, store, policy,
                                                                                 monkeypatch):
    monkeypatch.setattr("app.ui.remote.server_dialog.ProfileStore", lambda: store)
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    thread.start()  # no engine process: the window answers with the server alone
    models = tmp_path / "models"
    models.mkdir()
    window = MainWindow(worker, models, policy=policy, audit=AuditLog(tmp_path / "audit"))
    qtbot.addWidget(window)
    window.show()
    try:
        with ServerStandIn("sglang", api_key=KEY) as server:
            menu = QMenu(window)
            action = add_server_action(menu, window)
            assert action.text() == "Company server…" and action in menu.actions()
            action.trigger()
            dialog = window.findChild(ServerDialog)
            fill(dialog, "Stand-in", server.url, key=KEY, config=str(write_config(tmp_path)))
            dialog.use_button.click()
            qtbot.waitUntil(lambda: window.model_info is not None, timeout=30_000)
            assert worker.server == store.profile("Stand-in") and store.active() == worker.server
            indicator = window.locality
            qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.SERVER)
            assert indicator.text_label.text() == "Company server 127.0.0.1 — your text goes to this server"
            assert dialog.active_label.text() == "Answers come from Stand-in (127.0.0.1)."
            assert window.model_info.moe_layers == MOE_LAYERS

            send(qtbot, window, "Wie routet ein MoE?")
            qtbot.waitUntil(lambda: not window.chat.generating, timeout=30_000)
            assert window.chat.answer_text.startswith("Hallo, Welt!")
            experts = window.experts
            qtbot.waitUntil(lambda: experts.timeline is not None and experts.answer_tokens > 0)
            timeline = experts.timeline
            assert not timeline.weights_reported
            answer = timeline.experts[timeline.is_answer]
            assert np.array_equal(answer, server.answer_rows()[:len(answer)])

            dialog.local_button.click()
            qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.LOCAL)
            assert worker.server is None and store.active() is None
    finally:
        window.close()
        stop_engine_thread(worker, thread)
