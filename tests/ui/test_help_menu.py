"""The File and Help menus of the real window: Quit and Ctrl+Q, offline mode and the locality panel, About,
and a diagnostic report that carries versions and the computer but none of a conversation's text."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, Qt, qVersion
from PySide6.QtGui import QGuiApplication, QKeySequence

from app import __version__
from app.core.engine import protocol
from app.core.engine.protocol import ANSWER, Finished, Loaded, Token
from app.core.engine.supervisor import Problem
from app.core.models.gguf import ModelInfo
from app.ui import settings
from app.ui.main_window import MainWindow
from app.worker import EngineWorker
from window_helpers import send

PROMPT_MARKER = "Pastinake-91c2"
ANSWER_MARKER = "Rettich-5ab7"
ERROR_MARKER = "Steckrübe-0d44"
PRIVATE_FOLDER = Path("/home/anna/Vertraulich")


@pytest.fixture
def window(qtbot, tmp_path):
    """The window with a worker whose thread never runs: nothing reaches an engine."""
    models = tmp_path / "models"
    models.mkdir()
    worker = EngineWorker()
    worker.moveToThread(QThread())
    main_window = MainWindow(worker, models)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitUntil(lambda: not main_window.library.scanning)
    return main_window


def moe_info() -> ModelInfo:
    return ModelInfo(
        path=str(PRIVATE_FOLDER / "tiny-moe.gguf"), file_size=3_000_000, architecture="qwen3moe", name="Tiny MoE",
        size_label="", quantization="Q8_0", n_layers=2, n_embd=64, context_length=4096, n_experts=8,
        n_experts_used=2, n_dense_leading=0, n_shared_experts=0, moe_layers=[0, 1], has_chat_template=True,
        total_params=3_000_000, active_params=1_000_000,
    )


def test_file_comes_first_in_the_menu_bar_and_help_last(window):
    menus = [action.menu().objectName() for action in window.menuBar().actions()]
    assert menus[0] == "fileMenu" and menus[-1] == "helpMenu"
    file_actions = [action.objectName() for action in window.file_menu.menu.actions() if not action.isSeparator()]
    assert file_actions == ["offlineAction", "localityAction", "documentsAction", "quitAction"]


def test_ctrl_q_closes_the_window(qtbot, window):
    assert QKeySequence("Ctrl+Q") in window.file_menu.quit_action.shortcuts()
    assert window.file_menu.quit_action in window.actions(), "Ctrl+Q must work while the menu bar is hidden"
    window.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is window.windowHandle())
    qtbot.keyClick(window.chat.input, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_quit_closes_the_window(qtbot, window):
    window.file_menu.quit_action.trigger()
    assert not window.isVisible()


def test_offline_mode_in_the_menu_is_the_locality_switch_from_either_side(qtbot, window):
    action, policy = window.file_menu.offline_action, window.locality_guard.policy
    assert not action.isChecked() and not policy.offline
    try:
        action.trigger()
        assert policy.offline and settings.offline(), "the menu switches offline mode and keeps it"
        window.file_menu.locality_action.trigger()
        panel = window.locality_panel
        assert panel is not None and panel.isVisible()
        qtbot.waitUntil(lambda: panel.offline_switch.isChecked())
        panel.offline_switch.setChecked(False)
        assert not policy.offline
        qtbot.waitUntil(lambda: not action.isChecked())
        switcher = threading.Thread(target=lambda: setattr(policy, "offline", True))  # any thread may switch
        switcher.start()
        switcher.join()
        qtbot.waitUntil(action.isChecked)
    finally:
        window.locality_guard.set_offline(False)
    assert not settings.offline()


def test_about_shows_the_version_and_the_licences_of_the_bundled_parts(qtbot, window):
    window.help_menu.about_action.trigger()
    about = window.help_menu.about
    assert about is not None and about.isVisible()
    assert __version__ in about.title.text()
    rows = {about.parts.topLevelItem(i).text(0): (about.parts.topLevelItem(i).text(1),
                                                  about.parts.topLevelItem(i).text(2))
            for i in range(about.parts.topLevelItemCount())}
    assert rows["Qt"] == (qVersion(), "LGPL-3.0-only")
    assert rows["llama.cpp (ggml)"][1] == "MIT" and rows["llama-cpp-python"][1] == "MIT"
    assert rows["NumPy"][1] == "BSD-3-Clause"
    demo_models = [(name, licence) for name, (_version, licence) in rows.items() if "demo" in name.lower()]
    assert ("Gemma 3 270M (the demo text model)", "Gemma Terms of Use") in demo_models
    assert len(demo_models) == 2
    window.help_menu.about_action.trigger()
    assert window.help_menu.about is about, "one About dialog, brought forward again"


def test_the_diagnostic_report_holds_versions_and_the_computer_but_no_conversation(qtbot, window):
    worker, store = window.worker, window.conversation_store
    worker.loaded.emit(Loaded(moe_info(), load_seconds=0.5, n_ctx=2048, safe=True))
    with qtbot.waitSignal(store.messageStored, timeout=10_000):
        send(qtbot, window, f"Please keep this secret: {PROMPT_MARKER}")
    with qtbot.waitSignal(store.answerStored, timeout=10_000):
        for pos, piece in enumerate((ANSWER_MARKER, " is my answer")):
            worker.token.emit(Token(pos, pos, piece, ANSWER))
        worker.finished.emit(Finished(prompt_tokens=12, answer_tokens=2, ttft_s=0.1, tokens_per_s=20.0,
                                      stop_reason="stop"))
    assert any(ANSWER_MARKER in message.content for message in window.chat.messages), "the answer is in the chat"
    worker.error.emit(Problem(protocol.INTERNAL, f"KeyError: {ERROR_MARKER!r}"))
    qtbot.waitUntil(lambda: window.help_menu.trouble is not None)

    QGuiApplication.clipboard().clear()
    window.help_menu.report_action.trigger()
    report = QGuiApplication.clipboard().text()
    lines = report.splitlines()
    assert f"MoEscope: {__version__}" in lines and f"Qt: {qVersion()}" in lines
    assert any(line.startswith("processor: ") for line in lines)
    assert any(line.startswith("memory: ") and "available" in line for line in lines)
    assert "model file: tiny-moe.gguf (3 MB)" in lines and "context: 2048 tokens (trained for 4096)" in lines
    assert "compatibility mode: yes" in lines and "offline mode: no" in lines
    assert "kind: internal" in lines and "message: KeyError" in lines
    for secret in (PROMPT_MARKER, ANSWER_MARKER, ERROR_MARKER, "Vertraulich", "is my answer", "keep this secret"):
        assert secret not in report
    assert "diagnostic report" in window.chat.transcript.toPlainText()


def test_the_guide_goes_first_in_the_help_menu(window):
    actions = window.help_menu.menu.actions()
    assert actions[0].objectName() == "firstStepsAction" and actions[0].text() == "&First steps…"
    assert actions[1].isSeparator() and actions[2] is window.help_menu.report_action


def test_settings_kiosk_mode_opens_the_kiosk_configuration_for_an_administrator(qtbot, window, tmp_path, monkeypatch):
    from app.ui.kiosk.settings_dialog import KioskSettingsDialog

    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(tmp_path / "data"))
    action = window.findChild(type(window.settings_menu.kiosk_action), "kioskSettingsAction")
    assert action in window.settings_menu.menu.actions()
    action.trigger()
    qtbot.waitUntil(lambda: window.findChild(KioskSettingsDialog) is not None)
    dialog = window.findChild(KioskSettingsDialog)
    assert dialog.isVisible()
    dialog.reject()
