"""The real window, driven like a user would: load models, chat, stop, import, survive a killed engine."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QLocale, QPointF, Qt, QThread, QTimer

from app.core.engine.protocol import ANSWER, ASSISTANT, EMPTY_ROUTING, STOP_STOPPED, USER, ChatMessage, Loaded, Routing, Token
from app.core.models.demo import write_demo_model
from app.core.models.gguf import ModelInfo
from app.ui.experts.colormap import ColourScale
from app.ui.engine_words import problem_text
from app.ui.formatting import format_count, format_percent, visible_token
from app.ui.i18n import install_translators
from app.ui.main_window import MainWindow
from app.worker import EngineWorker, start_engine_thread, stop_engine_thread
from paint_counter import PaintCounter
from window_helpers import ENGINE_TIMEOUT_MS, load, send, start_long_answer





@pytest.fixture(scope="session")
def demo_models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-models")
    return {
        # seed 3: greedy decoding of "Keep talking" runs to the length limit instead of an early end
        "moe": write_demo_model(folder / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3),
        "dense": write_demo_model(folder / "demo-dense.gguf", arch="llama", experts=0),
    }


@pytest.fixture
def models_dir(tmp_path, demo_models):
    folder = tmp_path / "models"
    folder.mkdir()
    for path in demo_models.values():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def window(qtbot, models_dir):
    """The main window with a real engine process, its models folder read."""
    worker, thread = start_engine_thread()
    main_window = MainWindow(worker, models_dir)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitUntil(
        lambda: main_window.engine_ready and not main_window.library.scanning, timeout=ENGINE_TIMEOUT_MS
    )
    yield main_window
    stop_engine_thread(worker, thread)


@pytest.fixture
def silent_window(qtbot, models_dir):
    """The main window with a worker whose thread never runs: nothing reaches an engine."""
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    main_window = MainWindow(worker, models_dir)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitUntil(lambda: not main_window.library.scanning)
    return main_window








def big_moe_info() -> ModelInfo:
    """A Qwen3-30B-A3B-sized header: 48 MoE layers, 128 experts, 8 per token."""
    return ModelInfo(
        path="/models/big.gguf",
        file_size=18_600_000_000,
        architecture="qwen3moe",
        name="Big MoE",
        size_label="30B-A3B",
        quantization="Q4_K_M",
        n_layers=48,
        n_embd=2048,
        context_length=40960,
        n_experts=128,
        n_experts_used=8,
        n_dense_leading=0,
        n_shared_experts=0,
        moe_layers=list(range(48)),
        has_chat_template=True,
        total_params=30_500_000_000,
        active_params=3_300_000_000,
    )


# --- pieces without an engine -----------------------------------------------------------------


def test_colour_scale_runs_from_dark_violet_to_yellow():
    scale = ColourScale()
    assert scale.colour(0.0).name() == "#440154"
    assert scale.colour(1.0).name() == "#fde725"
    assert scale.text_colour(scale.colour(0.0)).name() == "#ffffff"
    assert scale.text_colour(scale.colour(1.0)).name() == "#000000"


def test_formatting_in_plain_words():
    assert format_count(30_500_000_000) == "30.5\u00a0B"
    assert format_count(3_300_000_000) == "3.3\u00a0B"
    assert format_percent(0.108) == "11\u00a0%"
    assert visible_token(" the\n") == "␣the↵"


def test_enter_sends_and_shift_enter_starts_a_new_line(qtbot, silent_window):
    chat = silent_window.chat
    chat.set_model("Demo")
    qtbot.keyClicks(chat.input, "first line")
    qtbot.keyClick(chat.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(chat.input, "second line")
    assert chat.input.toPlainText() == "first line\nsecond line"
    with qtbot.waitSignal(chat.generateRequested) as request:
        qtbot.keyClick(chat.input, Qt.Key.Key_Return)
    assert request.args[0].messages == (ChatMessage(USER, "first line\nsecond line"),)
    assert chat.input.toPlainText() == ""
    assert chat.stop_button.isEnabled() and not chat.send_button.isEnabled()


def test_german_translation_is_used(qtbot, qapp, tmp_path):
    previous_locale = QLocale()
    translators = install_translators(qapp, "de")
    try:
        assert translators, "moescope_de.qm was not found"
        main_window = MainWindow(EngineWorker(), tmp_path)
        qtbot.addWidget(main_window)
        assert main_window.library_dock.windowTitle() == "Modellbibliothek"
        assert main_window.locality.text_label.text() == "Lokal — keine Daten verlassen diesen Computer"
        assert main_window.chat.send_button.text() == "Senden"
        assert format_count(30_500_000_000) == "30,5\u00a0Mrd."
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)


def test_a_dense_model_s_tokens_are_not_kept_for_the_expert_view_nor_keep_the_window_refreshing(
        qtbot, silent_window):
    """A dense model has no routing to show: its answer's tokens must not pile up for the expert view (they
    did, and the window then refreshed 30 times a second for as long as it ran)."""
    window = silent_window
    dense = replace(big_moe_info(), n_experts=0, n_experts_used=0, moe_layers=[], name="Dense")
    window.worker.loaded.emit(Loaded(dense, load_seconds=1.0, n_ctx=2048, safe=False))
    assert window.experts.showing == "dense"
    send(qtbot, window, "Hello")
    for pos in range(300):
        window.worker.token.emit(Token(pos, pos, "x", ANSWER, EMPTY_ROUTING))
    qtbot.waitUntil(lambda: len(window.chat.answer_text) == 300)
    qtbot.wait(200)
    assert window.experts.has_pending is False and not window._refresh.isActive()


def test_token_burst_is_coalesced_and_does_not_block(qtbot, silent_window):
    window = silent_window
    window.worker.loaded.emit(Loaded(big_moe_info(), load_seconds=1.0, n_ctx=2048, safe=False))
    assert window.experts.showing == "moe"
    send(qtbot, window, "Hello")
    rng = np.random.default_rng(0)
    routings = [
        Routing(tuple(range(48)),
                np.array([rng.choice(128, 8, replace=False) for _layer in range(48)], dtype=np.int32),
                rng.dirichlet(np.ones(8), size=48).astype(np.float32))
        for _ in range(64)
    ]
    events = [Token(pos, pos, "x", ANSWER, routings[pos % len(routings)]) for pos in range(5000)]
    heatmap_paints = PaintCounter(window.experts.heatmap)
    refreshes = []  # after each refresh of the view: whether routing is still waiting to be counted
    window._refresh.timeout.connect(lambda: refreshes.append(window.experts.has_pending))
    ticks_while_counting = []  # a 5 ms heartbeat on the GUI thread: whether routing was waiting then
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks_while_counting.append(window.experts.has_pending))
    heartbeat.start()

    reader = threading.Thread(target=lambda: [window.worker.token.emit(event) for event in events])
    reader.start()
    qtbot.waitUntil(
        lambda: (
            not reader.is_alive()
            and window.experts.answer_tokens == 5000
            and len(window.chat.answer_text) == 5000
        ),
        timeout=30_000,
    )
    heartbeat.stop()
    reader.join()

    assert window.experts.has_pending is False
    assert any(refreshes), "the burst was counted in one go instead of over several refreshes"
    assert any(ticks_while_counting), "the GUI thread handled no other event while it counted the burst"
    # Repainted once per refresh at most (and a few times by the window itself), never once per token.
    assert len(refreshes) < len(events) and 1 <= heatmap_paints.paints <= len(refreshes) + 5


# --- the real engine ---------------------------------------------------------------------------


@pytest.mark.slow
def test_chat_streams_text_and_the_heatmap_follows_the_tokens(qtbot, window, demo_models):
    load(qtbot, window, demo_models["moe"])
    assert window.experts.showing == "moe"
    heatmap = window.experts.heatmap
    snapshots = PaintCounter(heatmap, lambda: heatmap.values.copy())
    window.chat.settings.update(max_tokens=600, temperature=0.0, seed=0)
    send(qtbot, window, "Keep talking")

    qtbot.waitUntil(
        lambda: window.chat.answer_text != "" or not window.chat.generating, timeout=ENGINE_TIMEOUT_MS
    )
    streamed_while_generating = window.chat.generating and window.chat.answer_text != ""
    qtbot.waitUntil(lambda: not window.chat.generating, timeout=ENGINE_TIMEOUT_MS)

    assert streamed_while_generating
    assert window.chat.answer_text
    assert window.chat.messages[-1] == ChatMessage(ASSISTANT, window.chat.answer_text)
    transcript = window.chat.transcript.toPlainText()
    assert "tokens/s" in transcript and "first token after" in transcript
    distinct = {snapshot.tobytes() for snapshot in snapshots.snapshots}
    assert len(distinct) >= 2, "the heatmap did not change between tokens"
    chosen_per_layer = (heatmap.values > 0).sum(axis=1)
    assert list(chosen_per_layer) == [2, 2, 2, 2]
    assert window.experts.answer_tokens > 0


@pytest.mark.slow
def test_stop_button_ends_the_answer(qtbot, window, demo_models):
    load(qtbot, window, demo_models["moe"])
    start_long_answer(qtbot, window)
    assert window.chat.stop_button.isEnabled()
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].stop_reason == STOP_STOPPED  # not "length" or "eos": the answer did not run out
    qtbot.waitUntil(lambda: not window.chat.generating)
    assert not window.chat.stop_button.isEnabled()
    qtbot.keyClicks(window.chat.input, "next")
    assert window.chat.send_button.isEnabled()
    qtbot.waitUntil(lambda: not window.library.load_flow.engine_busy)  # another model could be loaded now
    assert "stopped" in window.chat.transcript.toPlainText()


@pytest.mark.slow
def test_dense_model_is_explained_instead_of_an_empty_grid(qtbot, window, demo_models):
    load(qtbot, window, demo_models["dense"])
    assert window.experts.showing == "dense"
    assert not window.experts.heatmap.isVisible()
    explanation = window.experts._dense_text.text()
    assert "dense model" in explanation and "every parameter works on every token" in explanation


def test_importing_a_broken_file_shows_an_error_and_copies_nothing(qtbot, silent_window, tmp_path):
    library = silent_window.library
    broken = tmp_path / "outside" / "broken.gguf"
    broken.parent.mkdir()
    broken.write_bytes(b"GGUF but not really" * 10)
    before = sorted(p.name for p in library.models_dir.iterdir())
    library.import_file(str(broken))
    qtbot.waitUntil(lambda: library.message_box is not None and library.message_box.isVisible())
    assert library.message_box.text()
    assert sorted(p.name for p in library.models_dir.iterdir()) == before
    assert not library.importing and library.import_button.isEnabled()
    library.message_box.close()


def test_importing_a_valid_file_copies_it_into_the_library(qtbot, silent_window, demo_models, tmp_path):
    library = silent_window.library
    source = tmp_path / "outside" / "new-model.gguf"
    source.parent.mkdir()
    shutil.copy(demo_models["moe"], source)
    library.import_file(str(source))
    copied = library.models_dir / "new-model.gguf"
    qtbot.waitUntil(
        lambda: not library.importing and not library.scanning and str(copied) in library.models,
        timeout=20_000,
    )
    assert copied.stat().st_size == source.stat().st_size
    assert library.selected_path() == str(copied)
    assert library.message_box is None


def test_library_tells_demo_and_dense_models_apart(silent_window, demo_models):
    cards = {card.path: card for _item, card in silent_window.library.list.cards()}
    moe = cards[str(silent_window.library.models_dir / demo_models["moe"].name)]
    dense = cards[str(silent_window.library.models_dir / demo_models["dense"].name)]
    assert moe.kind == "MoE" and dense.kind == "Dense"
    assert moe.badge == "Demo: random weights — shows routing mechanics only"
    assert "8 experts, 2 per token" in moe.lines
    assert "all active" in dense.lines[0]


@pytest.mark.slow
def test_a_killed_engine_is_replaced_and_the_next_message_works(qtbot, window, demo_models):
    load(qtbot, window, demo_models["moe"])
    start_long_answer(qtbot, window)
    old_pid = window.worker.pid
    with qtbot.waitSignal(window.worker.engineRestarted, timeout=ENGINE_TIMEOUT_MS):
        os.kill(old_pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    qtbot.waitUntil(lambda: "A fresh engine was started." in window.chat.transcript.toPlainText())
    assert window.isVisible()
    assert not window.chat.generating
    transcript = window.chat.transcript.toPlainText()
    assert "The engine was ended from outside while answering, perhaps by the system" in transcript
    assert "Your conversation is kept; MoEscope starts a fresh engine." in transcript
    assert "compatibility mode" not in transcript  # a killed engine is not a crash of the model's settings
    qtbot.waitUntil(lambda: window.model_info is not None, timeout=ENGINE_TIMEOUT_MS)
    assert window.worker.pid not in (None, old_pid)

    window.chat.settings["max_tokens"] = 16
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        send(qtbot, window, "Are you back?")
    assert finished.args[0].answer_tokens > 0
    qtbot.waitUntil(lambda: not window.chat.generating)
    assert window.chat.messages[-1].role == ASSISTANT


def test_window_layout_is_saved_and_restored(qtbot, silent_window, models_dir):
    silent_window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, silent_window.experts_dock)
    silent_window.close()
    reopened = MainWindow(EngineWorker(), models_dir)
    qtbot.addWidget(reopened)
    assert reopened.dockWidgetArea(reopened.experts_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    reopened.reset_layout()
    assert reopened.dockWidgetArea(reopened.experts_dock) == Qt.DockWidgetArea.LeftDockWidgetArea


def test_reset_layout_fits_the_screen_and_shares_a_narrow_one(qtbot, silent_window):
    """The offscreen screen is 800 × 800: View › Reset layout leaves the window inside it, with the library
    as a tab behind the chat (three docks side by side need more width) and the experts beside them."""
    window = silent_window
    window.resize(2000, 1500)
    window.reset_layout()
    screen = window.screen().availableGeometry()
    assert screen.width() < 1280
    frame = window.frameGeometry()
    assert frame.width() <= screen.width() and frame.height() <= screen.height()
    assert window.chat_dock in window.tabifiedDockWidgets(window.library_dock)
    assert window.experts_dock not in window.tabifiedDockWidgets(window.library_dock)
    assert not window.chat_dock.visibleRegion().isEmpty()


def test_docks_keep_their_shares_when_the_window_shrinks_and_grows_again(qtbot, silent_window):
    """Qt gives all of a window's new width to one dock; the docks keep their shares instead, so the chat
    is as wide as before after the window was made narrow and wide again."""
    window = silent_window
    window.show()
    window.resize(1600, 900)
    docks = [window.library_dock, window.chat_dock, window.experts_dock]
    for dock in docks:  # three side by side, as on a wide screen (the offscreen one is narrow)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.splitDockWidget(window.library_dock, window.chat_dock, Qt.Orientation.Horizontal)
    window.splitDockWidget(window.chat_dock, window.experts_dock, Qt.Orientation.Horizontal)
    window.resizeDocks(docks, [340, 780, 460], Qt.Orientation.Horizontal)
    qtbot.wait(50)

    def widths_at(width: int) -> list[int]:
        window.resize(width, 900)
        qtbot.wait(50)
        return [dock.width() for dock in docks]

    before = widths_at(1600)
    widths_at(1150)
    after = widths_at(1600)
    assert all(abs(a - b) <= 8 for a, b in zip(before, after, strict=True)), (before, after)


def test_qt_binding_keeps_singleton_references():
    """PySide6 6.12.0 leaks references to None/True/False on CPython < 3.12 and crashes after a few
    thousand calls; the pinned binding must not."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        probe.setObjectName("probe")
        probe.blockSignals(False)
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    assert all(b - a < 50 for b, a in zip(before, after)), (before, after)


@pytest.mark.slow
def test_an_engine_that_aborts_while_loading_is_replaced_and_the_model_runs_in_compatibility_mode(
        qtbot, window, demo_models):
    """What a model that makes llama.cpp abort() while loading looks like to the window: the engine
    dies with SIGABRT during the load (it is paused before the load so that the abort lands inside
    it); a fresh engine loads the model again in compatibility mode."""
    old_pid = window.worker.pid
    os.kill(old_pid, signal.SIGSTOP)
    window.load_model(str(window.library.models_dir / demo_models["moe"].name))
    qtbot.waitUntil(lambda: window.library.loading_path is not None)
    with qtbot.waitSignal(window.worker.compatibilityMode, timeout=ENGINE_TIMEOUT_MS):
        os.kill(old_pid, signal.SIGABRT)
        os.kill(old_pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: window.model_info is not None, timeout=ENGINE_TIMEOUT_MS)
    assert window.isVisible() and window.compatibility_mode
    transcript = window.chat.transcript.toPlainText()
    assert "The engine crashed while loading this model" in transcript
    assert "compatibility mode" in transcript and "A fresh engine was started." not in transcript
    assert "(compatibility mode)" in window._model_label.text()
    assert "compatibility mode" in window.library._status_label.text()
    assert window.worker.pid not in (None, old_pid)

    window.chat.settings.update(max_tokens=4, temperature=0.0)
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        send(qtbot, window, "Hallo")
    assert finished.args[0].answer_tokens > 0


@pytest.mark.slow
def test_a_first_answer_that_crashes_the_engine_is_answered_again_in_compatibility_mode(
        qtbot, monkeypatch, models_dir, demo_models):
    """The model was fast on this processor before (no probe), but now its first batch crashes: the
    window keeps the question, says what happened, and the answer arrives in compatibility mode."""
    from app.core.engine.compat import FAST, INJECT_ENV, CompatStore

    model = models_dir / demo_models["moe"].name
    CompatStore().remember(model, FAST)
    monkeypatch.setenv(INJECT_ENV, "first-batch")
    worker, thread = start_engine_thread()
    window = MainWindow(worker, models_dir)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.engine_ready and not window.library.scanning, timeout=ENGINE_TIMEOUT_MS)
        load(qtbot, window, demo_models["moe"])
        assert not window.compatibility_mode
        window.chat.settings.update(max_tokens=6, temperature=0.0)
        with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
            send(qtbot, window, "Hallo")
        assert finished.args[0].answer_tokens > 0
        qtbot.waitUntil(lambda: not window.chat.generating)
        transcript = window.chat.transcript.toPlainText()
        assert "The engine crashed while answering with this model" in transcript
        assert transcript.index("compatibility mode") < transcript.rindex(window.chat.answer_text)
        assert [m.role for m in window.chat.messages] == [USER, ASSISTANT]
        assert window.compatibility_mode and CompatStore().choice(model).safe

        with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
            send(qtbot, window, "Noch einmal")
        assert finished.args[0].answer_tokens > 0
        assert transcript.count("The engine crashed") == 1
    finally:
        stop_engine_thread(worker, thread)


def test_every_string_has_a_german_translation():
    """All user-visible strings go through Qt's translation; none may be left untranslated."""
    from pathlib import Path
    from xml.etree import ElementTree

    ts = Path(__file__).resolve().parents[2] / "resources" / "translations" / "moescope_de.ts"
    untranslated = [
        message.findtext("source")
        for message in ElementTree.parse(ts).iter("message")
        if message.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
        or not (message.findtext("translation") or message.find("translation").findall("numerusform"))
    ]
    assert untranslated == []


def test_translation_file_lists_every_string_in_the_code(tmp_path):
    """pyside6-lupdate over app/ finds no string that moescope_de.ts lacks."""
    import subprocess
    from pathlib import Path
    from xml.etree import ElementTree

    root = Path(__file__).resolve().parents[2]
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in [*root.glob("app/*.py"), *root.glob("app/ui/**/*.py")])
    subprocess.run([str(lupdate), *sources, "-no-obsolete", "-ts", str(fresh)], check=True, capture_output=True)

    def strings(path):
        return {(m.findtext("source"), m.findtext("comment")) for m in ElementTree.parse(path).iter("message")}

    committed = root / "resources" / "translations" / "moescope_de.ts"
    assert strings(fresh) - strings(committed) == set()


def test_shared_experts_are_shown_as_always_on_columns(qtbot, tmp_path):
    from app.core.models.gguf import inspect_gguf
    from app.ui.experts.pane import ExpertsPane

    model = write_demo_model(tmp_path / "ds.gguf", arch="deepseek2", layers=4, dense_leading=1, experts=8, top_k=2)
    pane = ExpertsPane()
    qtbot.addWidget(pane)
    pane.resize(520, 700)
    pane.show()
    pane.set_model(inspect_gguf(model))
    assert pane.heatmap.layers == [1, 2, 3] and pane.heatmap.n_shared == 1
    assert "not chosen" in pane.heatmap._swatch_texts() and "shared: always on" in pane.heatmap._swatch_texts()
    image = pane.heatmap.grab().toImage()
    shared = pane.heatmap._shared
    assert shared.width() > 0 and shared.left() > pane.heatmap.grid.view.right()
    centre = shared.center().toPoint()
    assert image.pixelColor(centre).name() in ("#5b6675", "#ffffff")


@pytest.mark.slow
def test_a_broken_model_file_is_refused_at_load_in_german(qtbot, window, tmp_path):
    """The engine checks the file again when it loads it; its refusal reaches the window in German."""
    from PySide6.QtCore import QCoreApplication

    broken = tmp_path / "kaputt.gguf"
    broken.write_bytes(b"")
    previous_locale = QLocale()
    translators = install_translators(QCoreApplication.instance(), "de")
    try:
        with qtbot.waitSignal(window.worker.error, timeout=ENGINE_TIMEOUT_MS) as refused:
            window.loadRequested.emit(str(broken), 512, 0)
        [problem] = refused.args
        message = problem_text(problem)
        qtbot.waitUntil(lambda: message in window.chat.transcript.toPlainText())  # the window says the same
    finally:
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(previous_locale)
    assert problem.kind == "bad_model"
    assert "„kaputt.gguf“" in message and "leer" in message


def test_english_plurals_are_spelled_out(qapp, tmp_path):
    """English needs only its plural forms: "1 attempt failed.", "3 attempts failed."; every %n
    string in the code has them in moescope_en.ts."""
    import subprocess
    from pathlib import Path
    from xml.etree import ElementTree

    from PySide6.QtCore import QCoreApplication

    translators = install_translators(qapp, "en")
    try:
        assert translators, "moescope_en.qm was not found"
        assert QCoreApplication.translate("LocalityPanel", "%n attempt(s) failed.", "", 1) == "1 attempt failed."
        assert QCoreApplication.translate("LocalityPanel", "%n attempt(s) failed.", "", 3) == "3 attempts failed."
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)

    root = Path(__file__).resolve().parents[2]
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    fresh = tmp_path / "plurals.ts"
    sources = sorted(str(p) for p in [*root.glob("app/*.py"), *root.glob("app/ui/**/*.py")])
    subprocess.run([str(lupdate), *sources, "-pluralonly", "-no-obsolete", "-ts", str(fresh)], check=True,
                   capture_output=True)
    needed = {m.findtext("source") for m in ElementTree.parse(fresh).iter("message")}
    committed = ElementTree.parse(root / "resources" / "translations" / "moescope_en.ts")
    spelled = {m.findtext("source") for m in committed.iter("message")
               if all(form.text for form in m.iter("numerusform"))}
    assert needed and needed <= spelled


@pytest.mark.slow
def test_a_file_that_crashes_the_engine_even_in_compatibility_mode_is_refused_and_the_model_before_stays(
        qtbot, window, demo_models, tmp_path):
    """A hostile file that passes every header check but makes llama.cpp throw at its first prompt: the
    load is probed, crashes in fast mode and again in compatibility mode, is refused in words, and the
    model that was loaded before is loaded again and answers."""
    from hostile_models import CASES_BY_NAME, Base, write_base_model

    base = Base(write_base_model(tmp_path / "base.gguf"))
    hostile = window.library.models_dir / "hostile.gguf"
    hostile.write_bytes(CASES_BY_NAME["tokenizer-spm-with-bpe-vocabulary"].build(base))
    load(qtbot, window, demo_models["moe"])
    moe_path = window.model_info.path

    with qtbot.waitSignal(window.worker.compatibilityMode, timeout=ENGINE_TIMEOUT_MS):
        window.load_model(str(hostile))
    qtbot.waitUntil(lambda: window.model_info is not None and window.library.loading_path is None,
                    timeout=ENGINE_TIMEOUT_MS)
    assert os.path.samefile(window.model_info.path, moe_path)
    assert "could not be loaded" in window.library._error_label.text()
    assert "may be damaged or not supported" in window.library._error_label.text()
    assert "The engine crashed while loading the model." in window.chat.transcript.toPlainText()

    window.chat.settings.update(max_tokens=4, temperature=0.0)
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        send(qtbot, window, "Hallo")
    assert finished.args[0].answer_tokens == 4


def test_keyboard_focus_is_visible_on_buttons_and_segments(qtbot):
    """A focused button (a plain one, a segment such as "This token", the primary Load) wears a thick
    orange frame that an unfocused one does not: keyboard users see where they are."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    from app.ui.style import STYLE_SHEET

    holder = QWidget()
    holder.setStyleSheet(STYLE_SHEET)
    layout = QVBoxLayout(holder)
    buttons = [QPushButton("Load"), QPushButton("This token"), QPushButton("Laden")]
    buttons[1].setObjectName("segment")
    buttons[2].setObjectName("primary")
    for button in buttons:
        layout.addWidget(button)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    for button in buttons:
        edge = QPointF(1.5, button.height() / 2).toPoint()
        plain = button.grab().toImage().pixelColor(edge)
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(button.hasFocus)
        focused = button.grab().toImage().pixelColor(edge)
        assert focused != plain, button.text()
        assert focused.red() > 200 and focused.blue() < 80, focused.name()
