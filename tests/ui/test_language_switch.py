"""Settings › Language switches the window between German and English without a restart: the window is
built again in the new language while the engine keeps running with its model, and the conversation
shown stays."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QLocale

from app.core.diagnostics import EngineTrouble
from app.core.models.demo import write_demo_model
from app.gui import WindowSession
from app.ui import settings
from app.ui.i18n import install_translators
from app.worker import start_engine_thread, stop_engine_thread
from window_helpers import ENGINE_TIMEOUT_MS, load, send


@pytest.mark.slow
def test_switching_the_language_keeps_the_engine_the_model_and_the_conversation(qtbot, qapp, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    moe = write_demo_model(tmp_path / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)
    shutil.copy(moe, models / moe.name)
    translators = install_translators(qapp, "en")
    worker, thread = start_engine_thread()
    session = WindowSession(qapp, worker, models, translators)
    window = session.window
    window.show()
    try:
        qtbot.waitUntil(lambda: window.engine_ready and not window.library.scanning, timeout=ENGINE_TIMEOUT_MS)
        load(qtbot, window, moe)
        window.chat.settings.update(max_tokens=8, temperature=0.0, seed=0)
        send(qtbot, window, "Hallo Router")
        qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)
        qtbot.waitUntil(lambda: window.conversation_store.current_id is not None, timeout=10_000)
        conversation = window.conversation_store.current_id
        engine = worker.pid
        assert window.chat.send_button.text() == "Send"
        trouble = EngineTrouble(kind="engine_lost", reason="killed", message="ended by signal 9", at=1.0)
        window.help_menu.trouble = trouble

        window.language_menu.actions["de"].trigger()
        german = session.window
        assert german.help_menu.trouble == trouble  # the diagnostic report still names the last problem
        assert german is not window and settings.language() == "de"
        assert german.chat.send_button.text() == "Senden"
        assert german.library_dock.windowTitle() == "Modellbibliothek"
        assert german.engine_ready and worker.pid == engine  # the same engine process, still running
        assert german.model_info is not None and german.model_info.name == window.model_info.name
        qtbot.waitUntil(lambda: len(german.chat.messages) == 2, timeout=10_000)
        assert german.conversation_store.current_id == conversation
        assert german.chat.messages[0].content == "Hallo Router"

        german.language_menu.actions["en"].trigger()
        english = session.window
        assert english.chat.send_button.text() == "Send" and settings.language() == "en"
        send(qtbot, english, "And again")  # the model answers in the rebuilt window
        qtbot.waitUntil(lambda: not english.chat.generating, timeout=ENGINE_TIMEOUT_MS)
        assert english.chat.messages[-1].content
    finally:
        session.window.close()
        stop_engine_thread(worker, thread)
        for translator in session.translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.English))
        settings.set_language(None)
