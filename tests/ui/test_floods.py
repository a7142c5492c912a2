"""Floods in the real window with a real engine: a pasted megabyte, 500 send/stop cycles, switching models
while an answer is written, closing the window while an answer is written.

None may deadlock, crash or leak. After a warm-up round, the resident memory of the GUI process (this
one) and of the engine process is measured before and after each flood; it may grow by 5 % plus a small
slack. The slack covers what is allocated once and kept, not per cycle: glibc gives threads malloc arenas of
their own (up to eight per core, 64 MiB of address space each, touched as needed), so a process that
starts threads again and again grows in steps until all exist; Python's object arenas and freed large
buffers are not handed back at once; Qt caches glyphs of characters seen for the first time. A leak of a
single kilobyte per cycle would pass 500 cycles only inside that slack, so the floods are long enough to
show one. The figures are printed as one ``FLOOD {json}`` line per test (``pytest -s``), and appended to
the file named by MOESCOPE_FLOOD_LOG if set.
"""

from __future__ import annotations

import os
import queue
import time

import pytest
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication

import window_helpers
from app.core.defaults import DEFAULT_CONTEXT
from app.core.engine import protocol
from app.core.engine.client import EngineClient
from app.core.engine.protocol import USER, ChatMessage, Error, Finished, Generate, Load, Loaded, Lost
from app.core.models.demo import write_demo_model
from app.ui.chat.pane import SHOWN_CHARACTERS
from app.ui.engine_words import problem_text
from app.ui.main_window import MainWindow
from app.worker import start_engine_thread, stop_engine_thread
from window_helpers import ENGINE_TIMEOUT_MS, load, send, start_long_answer
from window_helpers import MB, Growth, process_gone, report, rss, settle

GUI_SLACK = 8 * MB
ENGINE_SLACK = 4 * MB
PASTED = 1_000_000


@pytest.fixture(scope="module")
def demo_models(tmp_path_factory):
    return window_helpers.demo_models(tmp_path_factory.mktemp("demo-models"))


@pytest.fixture
def models_dir(tmp_path, demo_models):
    folder = window_helpers.models_folder(tmp_path / "models", demo_models)
    os.link(demo_models["moe"], folder / "demo-moe-twin.gguf")  # a second model that also answers at length
    return folder


@pytest.fixture
def window(qtbot, models_dir):
    yield from window_helpers.open_window(qtbot, models_dir)


def measure(window: MainWindow) -> tuple[Growth, Growth]:
    settle()
    return Growth("GUI", rss(), slack=GUI_SLACK), Growth("engine", rss(window.worker.pid), slack=ENGINE_SLACK)


def remeasure(window: MainWindow, gui: Growth, engine: Growth) -> dict:
    settle()
    gui.after, engine.after = rss(), rss(window.worker.pid)
    return {"gui_rss_before_mib": round(gui.before / MB, 1), "gui_rss_after_mib": round(gui.after / MB, 1),
            "engine_rss_before_mib": round(engine.before / MB, 1),
            "engine_rss_after_mib": round(engine.after / MB, 1)}


class Heartbeat:
    """A 5 ms timer on the GUI thread; ``longest`` is the longest gap between its ticks, in seconds."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


def paste_and_send(qtbot, window: MainWindow, text: str) -> tuple[str, float]:
    """Paste ``text`` into the message box with Ctrl+V, press Enter; the error said, and seconds to it."""
    QApplication.clipboard().setText(text)
    window.chat.input.setFocus()
    window.chat.input.paste()
    started = time.perf_counter()
    with qtbot.waitSignal(window.worker.error, timeout=ENGINE_TIMEOUT_MS) as refused:
        qtbot.keyClick(window.chat.input, "\r")
    qtbot.waitUntil(lambda: not window.chat.generating)
    return problem_text(refused.args[0]), time.perf_counter() - started


@pytest.mark.slow
def test_a_pasted_megabyte_is_refused_as_too_long_at_once_and_the_window_stays_responsive(
        qtbot, window, demo_models):
    load(qtbot, window, demo_models["moe"])
    window.chat.settings.update(max_tokens=4, temperature=0.0)
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS):
        send(qtbot, window, "Hello")
    qtbot.waitUntil(lambda: not window.chat.generating)
    kept = list(window.chat.messages)
    text = ("Mixture of experts 0123456789. " * (PASTED // 31 + 1))[:PASTED]
    for _round in range(3):  # warm-up
        paste_and_send(qtbot, window, text)
    assert window.chat.messages == kept, "the refused message stays out of the conversation"
    window.chat.new_chat()
    gui, engine = measure(window)

    rounds, seconds = 20, []
    heartbeat = Heartbeat()
    for _round in range(rounds):
        said, took = paste_and_send(qtbot, window, text)
        seconds.append(took)
        transcript = window.chat.transcript.toPlainText()
        window.chat.new_chat()  # the transcript keeps 20,000 characters of each: not what is measured here
    heartbeat.stop()
    figures = remeasure(window, gui, engine)

    assert said.startswith("This message is too long for the model: with it, the conversation has at least ")
    number = QLocale().toString
    assert f"but the model reads only {number(DEFAULT_CONTEXT)} at a time (its context). Shorten the message" in said
    assert said in transcript
    assert f"[… {number(PASTED - SHOWN_CHARACTERS)} more characters, not shown here]" in transcript
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        send(qtbot, window, "And now?")
    assert finished.args[0].answer_tokens > 0
    report({"flood": "1 MB prompt", "rounds": rounds, "bytes": PASTED, "seconds_to_refusal": max(seconds),
            "longest_gui_block_s": round(heartbeat.longest, 3), **figures})
    assert max(seconds) < 10, "the engine took too long to refuse the prompt"
    assert heartbeat.longest < 3, f"the window was blocked for {heartbeat.longest:.2f} s"
    gui.check()
    engine.check()


def send_and_stop(qtbot, window: MainWindow) -> Finished:
    """Send a message and press Stop at once; the ``finished`` statistics."""
    chat = window.chat
    chat.input.setPlainText("Keep talking")
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        chat.send_button.click()
        chat.stop_button.click()
    qtbot.waitUntil(lambda: not chat.generating)
    return finished.args[0]


@pytest.mark.slow
def test_500_send_and_stop_cycles_stop_every_answer_and_leak_nothing(qtbot, window, demo_models):
    load(qtbot, window, demo_models["moe"])
    window.chat.settings.update(max_tokens=400, temperature=0.0, seed=0)
    for _cycle in range(50):
        send_and_stop(qtbot, window)
    window.chat.new_chat()
    gui, engine = measure(window)

    cycles, reasons = 500, []
    started = time.perf_counter()
    for cycle in range(cycles):
        reasons.append(send_and_stop(qtbot, window).stop_reason)
        if cycle % 25 == 24:
            window.chat.new_chat()  # as someone would who keeps trying; the transcript is kept otherwise
    seconds = time.perf_counter() - started
    figures = remeasure(window, gui, engine)
    report({"flood": "send/stop", "cycles": cycles, "seconds": round(seconds, 1),
            "not_stopped": len(reasons) - reasons.count(protocol.STOP_STOPPED), **figures})
    assert reasons == [protocol.STOP_STOPPED] * cycles
    gui.check()
    engine.check()


@pytest.mark.slow
def test_switching_models_while_answering_stops_the_answer_and_loads_the_other(
        qtbot, window, models_dir, demo_models):
    models = [models_dir / demo_models["moe"].name, models_dir / "demo-moe-twin.gguf"]
    load(qtbot, window, demo_models["moe"])

    def switch(to) -> str:
        start_long_answer(qtbot, window)
        with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
            window.load_model(str(to))
        qtbot.waitUntil(lambda: window.model_info is not None and os.path.samefile(window.model_info.path, to)
                        and not window.chat.generating and not window.library.load_flow.engine_busy,
                        timeout=ENGINE_TIMEOUT_MS)
        window.chat.new_chat()
        return finished.args[0].stop_reason

    for target in models[::-1]:
        switch(target)
    gui, engine = measure(window)
    switches, reasons = 40, []
    started = time.perf_counter()
    for number in range(switches):
        reasons.append(switch(models[(number + 1) % 2]))
    seconds = time.perf_counter() - started
    figures = remeasure(window, gui, engine)
    report({"flood": "switch models while answering", "switches": switches, "seconds": round(seconds, 1),
            **figures})
    assert reasons == [protocol.STOP_STOPPED] * switches
    assert "stopped" in window.chat.transcript.toPlainText() or window.chat.messages == []
    gui.check()
    engine.check()


@pytest.mark.slow
def test_closing_the_window_while_answering_ends_the_engine_at_once_and_leaks_nothing(
        qtbot, models_dir, demo_models):
    def round_trip() -> float:
        worker, thread = start_engine_thread()
        window = MainWindow(worker, models_dir)
        window.show()
        try:
            qtbot.waitUntil(lambda: window.engine_ready and not window.library.scanning,
                            timeout=ENGINE_TIMEOUT_MS)
            load(qtbot, window, demo_models["moe"])
            start_long_answer(qtbot, window)
            engine = worker.pid
            window.close()
            closing = time.perf_counter()
            stop_engine_thread(worker, thread)  # what the app does once its window is closed
            took = time.perf_counter() - closing
            assert process_gone(engine) and not thread.isRunning()
        finally:
            stop_engine_thread(worker, thread)
            window.deleteLater()
        return took

    for _round in range(5):  # until every thread's malloc arena exists (see the module's docstring)
        round_trip()
    settle()
    gui = Growth("GUI", rss(), slack=GUI_SLACK)
    rounds = 15
    seconds = [round_trip() for _round in range(rounds)]
    settle()
    gui.after = rss()
    report({"flood": "close while answering", "rounds": rounds, "longest_close_s": round(max(seconds), 2),
            "gui_rss_before_mib": round(gui.before / MB, 1), "gui_rss_after_mib": round(gui.after / MB, 1)})
    assert max(seconds) < 3, "closing waited for the answer instead of ending it"
    gui.check()


@pytest.mark.slow
def test_the_app_closed_while_answering_exits_by_itself_with_its_engine(tmp_path, models_dir, demo_models):
    arguments = ["--models-dir", str(models_dir), "--model", str(models_dir / demo_models["moe"].name)]
    app = window_helpers.AppProcess(["close-while-answering"], arguments, tmp_path / "home")
    try:
        app.expect("CLOSING")
        closing = time.perf_counter()
        assert app.wait(timeout=30) == 0, app.stderr()
        took = time.perf_counter() - closing
        window_helpers.wait_until(lambda: process_gone(app.engine_pid), 10, "the engine to end")
    finally:
        app.close()
    report({"flood": "app closed while answering", "seconds_to_exit": round(took, 2)})
    assert took < 5


@pytest.mark.slow
def test_a_pasted_long_number_is_measured_without_crashing_the_engine(tmp_path):
    """llama.cpp's tokenizer for the demo models' vocabulary matches runs of digits with std::regex, which
    recurses once per digit: on the usual 8 MiB stack some tens of thousands of them crashed the engine
    (SIGSEGV). With a context long enough that the engine must tokenize 200,000 digits to measure them,
    it answers that they are too many."""
    model = write_demo_model(tmp_path / "long-context.gguf", arch="llama", layers=2, experts=4, top_k=2,
                             context=65536)
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        client.send(Load(str(model), n_ctx=65536))
        assert isinstance(next_event(events, Loaded, Error), Loaded)
        digits = "".join(str(i % 10) for i in range(200_000))
        client.send(Generate(messages=(ChatMessage(USER, digits),), max_tokens=4))
        refused = next_event(events, Error, Finished, Lost)
    finally:
        client.close()
    assert isinstance(refused, Error) and refused.kind == protocol.CONTEXT_FULL, refused
    assert refused.details["tokens"] > 65536 and not refused.details["at_least"]


def next_event(events: queue.Queue, *kinds: type) -> protocol.Event:
    while True:
        event = events.get(timeout=ENGINE_TIMEOUT_MS / 1000)
        if isinstance(event, kinds):
            return event
