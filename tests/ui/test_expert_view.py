"""The expert view for talks end to end, through the real engine, window and conversation store: what the
heatmap and the router diagram show for a token is what the store keeps (the router's scores included),
a kept answer comes back after a restart and from its "Experts" link, replay keys and shift-click ranges,
token numbers that agree with the chat, exports that read back, presentation mode, the view's choices
kept for the next start, and a DeepSeek-style model's dense layer and shared expert. Every view is also
rendered offscreen into the test's folder and checked to be a real picture.

Longer than 500 lines because the windows, the conversation kept for several tests and the checks of
pictures and traces are shared by all of these tests, which start as few engines as they can."""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEventLoop, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from app.core.chat.export import read_trace_csv, read_trace_json
from app.core.chat.model import ASSISTANT, AnswerStats, RoutingTrace
from app.core.chat.store import ConversationStore
from app.core.engine import protocol
from app.core.models.demo import write_demo_model
from app.ui import settings
from app.ui.main_window import MainWindow
from app.worker import start_engine_thread, stop_engine_thread
from window_helpers import ENGINE_TIMEOUT_MS, load, send

ANSWER_TOKENS = 16
QUESTIONS = ("What does a router do?", "And which experts answer this?")


# --- models, windows and the conversation kept for the tests -----------------------------------------


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """The models folder shared by every window here: a llama MoE, and a deepseek2 with a dense first
    layer and one shared expert."""
    folder = tmp_path_factory.mktemp("expert-view-models")
    return {
        "llama": write_demo_model(folder / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3),
        "deepseek2": write_demo_model(folder / "demo-deepseek2.gguf", arch="deepseek2", layers=4, dense_leading=1,
                                      experts=8, top_k=2, seed=5),
    }


_engine_threads: dict[MainWindow, object] = {}  # each open window's engine thread, kept referenced


def start_window(models_dir, database) -> MainWindow:
    worker, thread = start_engine_thread()
    window = MainWindow(worker, models_dir, conversations_path=database)
    _engine_threads[window] = thread
    window.show()
    return window


def close(window: MainWindow) -> None:
    """Close the window as a user does (its store closes with it), and end its engine."""
    window.close()
    stop_engine_thread(window.worker, _engine_threads.pop(window))


@pytest.fixture
def open_window(qtbot, models):
    """``open_window(database)``: a window on the models folder and the conversation database, its engine
    started; closed after the test."""
    started = []

    def start(database) -> MainWindow:
        window = start_window(models["llama"].parent, database)
        qtbot.addWidget(window)
        started.append(window)
        qtbot.waitUntil(lambda: window.engine_ready and not window.library.scanning, timeout=ENGINE_TIMEOUT_MS)
        return window

    yield start
    for window in started:
        if window in _engine_threads:
            close(window)


def wait_for(condition, timeout_s: float = ENGINE_TIMEOUT_MS / 1000) -> None:
    """Run Qt's events until ``condition`` holds (for the module fixture, which has no qtbot)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


@dataclass
class Kept:
    """The conversation with two answers of the llama model, as the store keeps it."""

    database: Path
    conversation_id: int
    answer_indices: list[int]  # message indices of the answers
    traces: list[RoutingTrace]  # their routing, in order
    stats: list[AnswerStats]


def stored_answers(database) -> tuple[int, list[int], list[RoutingTrace], list[AnswerStats]]:
    with ConversationStore(database, housekeeping=False) as store:
        (summary,) = store.summaries()
        conversation = store.get(summary.id)
        answers = [(index, message) for index, message in enumerate(conversation.messages)
                   if message.role == ASSISTANT]
        return (summary.id, [index for index, _ in answers], [store.routing(m.id) for _, m in answers],
                [m.stats for _, m in answers])


@pytest.fixture(scope="module")
def kept(qapp, models, tmp_path_factory):
    """A conversation of two questions answered by the llama model in a window that was then closed."""
    database = tmp_path_factory.mktemp("expert-view-kept") / "conversations.sqlite3"
    window = start_window(models["llama"].parent, database)
    try:
        wait_for(lambda: window.engine_ready and not window.library.scanning)
        window.library.select_path(str(models["llama"]))
        wait_for(window.library.load_button.isEnabled)
        window.library.load_button.click()
        wait_for(lambda: window.model_info is not None)
        window.chat.settings.update(max_tokens=ANSWER_TOKENS, temperature=0.0, seed=0)
        for question in QUESTIONS:
            window.chat.input.setPlainText(question)
            window.chat.send()
            wait_for(lambda: not window.chat.generating)
        wait_for(lambda: window.keeper._ids and None not in window.keeper._ids)
    finally:
        close(window)
        window.deleteLater()
    conversation_id, indices, traces, stats = stored_answers(database)
    assert len(traces) == 2 and all(trace is not None and trace.scores is not None for trace in traces)
    return Kept(database, conversation_id, indices, traces, stats)


def kept_copy(kept: Kept, tmp_path):
    """The kept conversation's database copied for one test (opening a conversation writes to it)."""
    copy = tmp_path / "conversations.sqlite3"
    shutil.copy(kept.database, copy)
    return copy


def show_kept_answer(qtbot, window: MainWindow, kept: Kept) -> None:
    """Load the llama model, open the kept conversation and wait for its last answer in the expert view."""
    load(qtbot, window, window.library.models_dir / "demo-moe.gguf")
    qtbot.waitUntil(lambda: window.conversations.model.rowCount() == 1)
    with qtbot.waitSignal(window.keeper.routingShown, timeout=10_000):
        window.keeper.open(kept.conversation_id)
    assert window.experts.stored


# --- what a picture and a trace must be --------------------------------------------------------------


def picture(path, size=None) -> QImage:
    """The PNG at ``path``, checked to be a real picture: it loads, has ``size``, and is not one colour."""
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a picture"
    if size is not None:
        assert (image.width(), image.height()) == size
    pixels = pixel_array(image)
    colours = np.unique(pixels)
    assert len(colours) > 16, f"{path} has only {len(colours)} colours"
    return image


def pixel_array(image: QImage) -> np.ndarray:
    """``[height, width]`` ARGB32 pixels of ``image``."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    return data[:, : image.width()].copy()


def screenshot(widget, path) -> QImage:
    assert widget.grab().save(str(path))
    return picture(path)


def assert_same_trace(actual: RoutingTrace, expected: RoutingTrace) -> None:
    np.testing.assert_array_equal(actual.positions, expected.positions)
    np.testing.assert_array_equal(actual.tokens, expected.tokens)
    assert actual.texts == expected.texts
    assert actual.sources == expected.sources
    np.testing.assert_array_equal(actual.layers, expected.layers)
    np.testing.assert_array_equal(actual.experts, expected.experts)
    np.testing.assert_array_equal(actual.weights, expected.weights)
    assert (actual.scores is None) == (expected.scores is None)
    if expected.scores is not None:
        np.testing.assert_array_equal(actual.scores, expected.scores)  # NaN where not captured, on both


def weights_of(trace: RoutingTrace, index: int, n_experts: int) -> np.ndarray:
    """``[layers, n_experts]`` the gate weight of each expert chosen for token ``index``, 0 elsewhere."""
    values = np.zeros((len(trace.layers), n_experts))
    for row in range(len(trace.layers)):
        for expert, weight in zip(trace.experts[index, row], trace.weights[index, row]):
            values[row, expert] = weight
    return values


def share_of(trace: RoutingTrace, lo: int, hi: int, n_experts: int) -> np.ndarray:
    """Each expert's share of its layer's gate weight over tokens ``lo``..``hi``, summed token by token."""
    totals = sum(weights_of(trace, index, n_experts) for index in range(lo, hi + 1))
    return totals / totals.sum(axis=1, keepdims=True)


def chosen_in(trace: RoutingTrace, index: int, row: int) -> dict[int, float]:
    return {int(e): float(w) for e, w in zip(trace.experts[index, row], trace.weights[index, row])}


def answer_indices(trace: RoutingTrace) -> list[int]:
    return [index for index, source in enumerate(trace.sources) if source == protocol.ANSWER]


def answer(qtbot, window: MainWindow, text: str):
    """Ask ``text`` and wait for the whole answer in the expert view; the engine's Finished."""
    with qtbot.waitSignal(window.worker.finished, timeout=ENGINE_TIMEOUT_MS) as finished:
        send(qtbot, window, text)
    qtbot.waitUntil(lambda: not window.chat.generating and not window.experts.has_pending)
    return finished.args[0]


def click_view(qtbot, pane, view: str) -> None:
    qtbot.mouseClick(pane.controls.views.buttons[view], Qt.MouseButton.LeftButton)
    assert pane.view == view


# --- the tests --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_heatmap_and_router_diagram_of_a_live_answer_show_what_the_store_keeps(
        qtbot, open_window, models, tmp_path):
    database = tmp_path / "conversations.sqlite3"
    window = open_window(database)
    load(qtbot, window, models["llama"])
    assert window.worker.capture_scores
    window.chat.settings.update(max_tokens=ANSWER_TOKENS, temperature=0.0, seed=0)
    finished = answer(qtbot, window, QUESTIONS[0])
    pane = window.experts
    timeline = pane.timeline
    assert pane.showing == "moe" and not pane.stored
    assert timeline.answer_count == finished.answer_tokens > 1

    # the token numbers agree: the last answer token is "Answer token N", N the answer footer's count
    qtbot.keyClick(pane.strip, Qt.Key.Key_End)
    last = len(timeline) - 1
    assert timeline.cursor == last and timeline.is_answer[last]
    assert pane._token_caption.text() == pane.replay_bar.position_label.text() == \
        f"Answer token {finished.answer_tokens} of {finished.answer_tokens}"
    footer = window.chat.transcript.entries[-1].footer
    assert re.match(r"(\d+) tokens? ", footer).group(1) == str(finished.answer_tokens)

    picked = [timeline.first_answer, timeline.first_answer + timeline.answer_count // 2, last]
    shown_cells = {}
    for index in picked:
        pane.strip.select(index)
        shown_cells[index] = pane.heatmap.values.copy()
    screenshot(window, tmp_path / "live-heatmap.png")

    click_view(qtbot, pane, "router")
    shown_bars, shown_lit = {}, {}
    for layer in (0, 2):
        pane.set_diagram_layer(layer)
        for index in picked:
            pane.strip.select(index)
            assert pane.diagram.layer == layer and pane.diagram.showing == "moe"
            shown_bars[layer, index] = pane.diagram.bar_values().copy()
            shown_lit[layer, index] = pane.diagram.lit_experts()
    screenshot(window, tmp_path / "live-router.png")
    screenshot(pane.diagram, tmp_path / "live-router-diagram.png")

    click_view(qtbot, pane, "numbers")
    assert str(finished.answer_tokens) in pane.figures.slide_text()
    screenshot(window, tmp_path / "live-numbers.png")
    live = timeline.to_trace()
    close(window)

    (_id, _indices, (trace,), (stats,)) = stored_answers(database)
    assert_same_trace(live, trace)
    assert stats.answer_tokens == finished.answer_tokens == len(answer_indices(trace))
    assert trace.scores is not None and not np.isnan(trace.scores[answer_indices(trace)]).any()
    for index in picked:
        np.testing.assert_array_equal(shown_cells[index], weights_of(trace, index, 8))
    for (layer, index), bars in shown_bars.items():
        row = list(trace.layers).index(layer)
        np.testing.assert_allclose(bars, trace.scores[index, row], rtol=1e-6)
        assert shown_lit[layer, index] == pytest.approx(chosen_in(trace, index, row))
        assert set(shown_lit[layer, index]) == set(np.argsort(-trace.scores[index, row])[:2].tolist())


@pytest.mark.slow
def test_a_kept_answer_comes_back_after_a_restart_and_from_its_experts_link(qtbot, open_window, kept, tmp_path):
    window = open_window(kept_copy(kept, tmp_path))
    show_kept_answer(qtbot, window, kept)
    pane = window.experts
    last = kept.traces[-1]
    assert_same_trace(pane.timeline.to_trace(), last)
    assert pane.timeline.tokens_per_s == pytest.approx(kept.stats[-1].tokens_per_s)
    first_answer = answer_indices(last)[0]
    assert pane.timeline.cursor == first_answer  # a kept answer opens on its first answer token
    np.testing.assert_array_equal(pane.heatmap.values, weights_of(last, first_answer, 8))
    assert pane._token_caption.text() == f"Answer token 1 of {pane.timeline.answer_count}"
    screenshot(window, tmp_path / "kept-last-answer.png")

    # the first answer's "Experts" link, as a click on it in the transcript sends it
    (number,) = [number for number, entry in enumerate(window.chat.transcript.entries)
                 if entry.index == kept.answer_indices[0]]
    with qtbot.waitSignal(window.keeper.routingShown, timeout=10_000):
        window.chat.transcript.anchorClicked.emit(QUrl(f"routing:{number}"))
    first = kept.traces[0]
    assert_same_trace(pane.timeline.to_trace(), first)
    assert pane.timeline.tokens_per_s == pytest.approx(kept.stats[0].tokens_per_s)
    index = answer_indices(first)[-1]
    pane.strip.select(index)
    np.testing.assert_array_equal(pane.heatmap.values, weights_of(first, index, 8))
    click_view(qtbot, pane, "router")
    row = list(first.layers).index(pane.diagram.layer)
    np.testing.assert_allclose(pane.diagram.bar_values(), first.scores[index, row], rtol=1e-6)
    assert pane.diagram.lit_experts() == pytest.approx(chosen_in(first, index, row))
    screenshot(window, tmp_path / "kept-first-answer-router.png")


@pytest.mark.slow
def test_a_kept_answer_opened_before_its_model_is_loaded_is_shown_once_the_model_is(
        qtbot, open_window, kept, tmp_path):
    """After a restart nothing is loaded; opening the conversation loads its model by itself."""
    window = open_window(kept_copy(kept, tmp_path))
    qtbot.waitUntil(lambda: window.conversations.model.rowCount() == 1)
    window.keeper.open(kept.conversation_id)
    qtbot.waitUntil(lambda: window.model_info is not None, timeout=ENGINE_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.experts.stored, timeout=3_000)
    assert_same_trace(window.experts.timeline.to_trace(), kept.traces[-1])


@pytest.mark.slow
def test_replay_keys_and_a_shift_click_range_on_a_kept_answer(qtbot, open_window, kept, tmp_path):
    window = open_window(kept_copy(kept, tmp_path))
    show_kept_answer(qtbot, window, kept)
    pane, trace = window.experts, kept.traces[-1]
    timeline, strip = pane.timeline, pane.strip
    answers = answer_indices(trace)
    start = answers[0]
    assert timeline.cursor == start

    for key, expected in ((Qt.Key.Key_Right, start + 1), (Qt.Key.Key_PageDown, start + 2),
                          (Qt.Key.Key_Left, start + 1), (Qt.Key.Key_PageUp, start), (Qt.Key.Key_End, len(trace) - 1),
                          (Qt.Key.Key_Home, 0)):
        qtbot.keyClick(strip, key)
        assert timeline.cursor == expected, key
        assert not timeline.is_range
    qtbot.keyClick(pane._moe_page, Qt.Key.Key_PageDown)  # the page itself takes the keys too
    assert timeline.cursor == 1

    # Space plays from the cursor at twice the answer's own rate, and stops at the last token
    timeline.set_tokens_per_s(8.0)
    qtbot.mouseClick(pane.replay_bar.speed_buttons[2.0], Qt.MouseButton.LeftButton)
    assert timeline.replay.speed == 2.0
    qtbot.keyClick(strip, Qt.Key.Key_Home)
    steps = []
    strip.selectionChanged.connect(lambda lo, hi: steps.append((time.monotonic(), timeline.cursor)))
    qtbot.keyClick(strip, Qt.Key.Key_Space)
    assert pane.replay.playing
    qtbot.waitUntil(lambda: not pane.replay.playing, timeout=10_000)
    cursors = [cursor for _at, cursor in steps]
    assert cursors == sorted(cursors) and cursors[-1] == len(trace) - 1
    assert set(answers[1:]) <= set(cursors)  # every answer token was shown on the way
    answer_steps = [at for at, cursor in steps if cursor >= answers[0]]
    took = answer_steps[-1] - answer_steps[0]
    expected_s = (len(answers) - 1) / (8.0 * 2.0)
    assert 0.8 * expected_s <= took <= 2 * expected_s + 0.5, (took, expected_s)
    assert "play" in pane.replay_bar.play_button.toolTip().lower()

    # a click, then a shift-click: the heatmap shows each expert's share of the weight over the range
    lo, hi = answers[2], answers[-3]
    strip.select(lo)
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=strip.chip_rect(lo).center().toPoint())
    assert timeline.selection == (lo, lo)
    assert strip.viewport().rect().contains(strip.chip_rect(hi).toRect())
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     strip.chip_rect(hi).center().toPoint())
    assert timeline.selection == (lo, hi) and timeline.cursor == hi
    expected = share_of(trace, lo, hi, 8)
    np.testing.assert_allclose(pane.heatmap.values, expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(pane.heatmap.values.sum(axis=1), 1.0, rtol=1e-9)
    assert pane.heatmap.as_percent
    screenshot(window, tmp_path / "range-heatmap.png")


@pytest.mark.slow
def test_the_routing_and_the_pictures_saved_from_the_view_read_back(qtbot, open_window, kept, tmp_path,
                                                                    monkeypatch):
    window = open_window(kept_copy(kept, tmp_path))
    show_kept_answer(qtbot, window, kept)
    pane, menu, trace = window.experts, window.experts_menu, kept.traces[-1]
    answers = answer_indices(trace)

    def save_as(path):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(path), ""))

    save_as(tmp_path / "routing.csv")
    menu.save_trace("csv")
    assert_same_trace(read_trace_csv(tmp_path / "routing.csv", tmp_path / "routing-scores.csv"), trace)
    save_as(tmp_path / "routing.json")
    menu.save_trace("json")
    assert_same_trace(read_trace_json(tmp_path / "routing.json"), trace)

    pane.strip.select(answers[4])
    save_as(tmp_path / "view.png")
    menu.save_picture(transparent=False)
    dark = picture(tmp_path / "view.png", (1920, 1080))
    assert dark.pixelColor(2, 2).name() == "#0b0d10"  # the presentation style's background
    assert (pixel_array(dark) >> 24 == 0xFF).all()
    save_as(tmp_path / "view-transparent.png")
    menu.save_picture(transparent=True)
    alpha = pixel_array(picture(tmp_path / "view-transparent.png", (1920, 1080))) >> 24
    assert (alpha == 0).mean() > 0.3 and (alpha == 0xFF).any()
    assert "Saved the expert view as" in window.chat.transcript.toPlainText()

    lo, hi = answers[3], answers[7]
    pane.strip.select(lo)
    pane.strip.select(hi, extend=True)
    frames_folder = tmp_path / "frames"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(frames_folder))
    menu.save_frames()
    with qtbot.waitSignal(menu.frames.done, timeout=60_000) as done:
        pass
    assert done.args == [hi - lo + 1, ""]
    frames = sorted(frames_folder.glob("*.png"))
    assert [frame.name for frame in frames] == [f"frame_{n:05d}.png" for n in range(1, hi - lo + 2)]
    pictures = [pixel_array(picture(frame, (1920, 1080))) for frame in frames]
    assert not np.array_equal(pictures[0], pictures[-1])  # each frame shows its own token
    assert pane.timeline.selection == (lo, hi)  # the view's own selection is put back
    assert (frames_folder / "README.txt").exists()


def enter_and_leave_presentation(qtbot, window: MainWindow, enter, leave) -> None:
    """Presentation mode on (``enter()``) and off (``leave()``) with one screen, checked on the way."""
    presentation = window.presentation
    enter()
    qtbot.waitUntil(window.isFullScreen)
    qtbot.wait(200)  # a speaker's presses are seconds apart: the window system reports the full screen meanwhile
    assert presentation.active and window.experts.presentation
    assert window.menuBar().isHidden() and window.library_dock.isHidden()
    assert window.statusBar().isVisible()  # the data-locality indicator stays in sight
    assert window.experts_menu.presentation_action.isChecked()
    assert window.experts_dock.width() > window.chat_dock.width()
    leave()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not presentation.active and not window.experts.presentation
    assert not window.experts_menu.presentation_action.isChecked()
    assert window.menuBar().isVisible() and window.library_dock.isVisible()
    assert window.experts_dock.titleBarWidget() is None and window.chat_dock.titleBarWidget() is None


@pytest.mark.slow
def test_presentation_mode_on_one_screen_and_back_with_f5(qtbot, open_window, kept, tmp_path):
    window = open_window(kept_copy(kept, tmp_path))
    show_kept_answer(qtbot, window, kept)
    presentation, menu = window.presentation, window.experts_menu
    menu.second_screen_action.setChecked(False)
    assert not presentation.second_screen

    def picture_of_the_talk():
        presentation.set_active(True)
        qtbot.waitUntil(window.isFullScreen)
        shot = screenshot(window, tmp_path / "presentation.png")
        experts_part = pixel_array(shot.copy(window.experts_dock.geometry().intersected(window.rect())))
        assert (experts_part == QColor("#0b0d10").rgba()).mean() > 0.3  # the dark style, large on the screen

    enter_and_leave_presentation(qtbot, window, picture_of_the_talk, lambda: presentation.set_active(False))
    f5 = menu.presentation_action.trigger  # F5 is this action's shortcut, on the window
    enter_and_leave_presentation(qtbot, window, f5, f5)
    assert menu.presentation_action.shortcut().toString() == "F5"


@pytest.mark.slow
def test_leaving_presentation_mode_gives_the_window_its_size_back(qtbot, open_window, kept, tmp_path):
    window = open_window(kept_copy(kept, tmp_path))
    show_kept_answer(qtbot, window, kept)
    window.experts_menu.second_screen_action.setChecked(False)
    # The offscreen screen (800 × 800) is smaller than the window, and restoring a geometry fits the
    # window onto its screen: the window is first placed as a restore places it, so that "as before"
    # means the same here as on a screen the window fits.
    window.restoreGeometry(window.saveGeometry())
    qtbot.wait(100)
    before = window.size(), window.experts_dock.width(), window.chat_dock.width()

    def talk():
        window.presentation.set_active(True)
        qtbot.waitUntil(window.isFullScreen)
        screenshot(window, tmp_path / "presentation.png")  # laying out every page, as showing them does

    enter_and_leave_presentation(qtbot, window, talk, lambda: window.presentation.set_active(False))
    qtbot.wait(200)
    assert (window.size(), window.experts_dock.width(), window.chat_dock.width()) == before


@pytest.mark.slow
def test_the_view_choices_come_back_after_a_restart(qtbot, open_window, models, tmp_path):
    database = tmp_path / "conversations.sqlite3"
    window = open_window(database)
    load(qtbot, window, models["llama"])
    pane = window.experts
    click_view(qtbot, pane, "router")
    pane.controls.colour_box.setCurrentIndex(pane.controls.colour_box.findData(2))
    pane.diagram.step_layer(1)  # the diagram's ▲ button
    chosen = {"view": "router", "mode": "token", "colour_layer": 2, "diagram_layer": 1}
    assert pane.choices() == chosen
    close(window)
    assert settings.expert_view() == chosen

    again = open_window(database)
    load(qtbot, again, models["llama"])
    assert again.experts.choices() == chosen
    assert again.experts.view == "router" and again.experts.diagram.layer == 1
    assert again.experts.strip.colour_layer == 2


@pytest.mark.slow
def test_a_dense_leading_layer_and_a_shared_expert_in_the_views(qtbot, open_window, models, tmp_path):
    database = tmp_path / "conversations.sqlite3"
    window = open_window(database)
    load(qtbot, window, models["deepseek2"])
    pane = window.experts
    assert pane.heatmap.layers == [1, 2, 3] and pane.heatmap.n_shared == 1
    assert pane.diagram.dense_layers == [0] and pane.diagram.n_shared == 1 and pane.diagram.gating == "sigmoid"
    window.chat.settings.update(max_tokens=8, temperature=0.0, seed=0)
    finished = answer(qtbot, window, "Dense first?")
    timeline = pane.timeline
    assert timeline.answer_count == finished.answer_tokens > 0
    index = len(timeline) - 1
    pane.strip.select(index)
    screenshot(window, tmp_path / "deepseek2-heatmap.png")

    click_view(qtbot, pane, "router")
    pane.set_diagram_layer(0)
    assert pane.diagram.showing == "dense"
    assert pane.diagram.bar_values().size == 0 and pane.diagram.lit_experts() == {}
    screenshot(pane.diagram, tmp_path / "deepseek2-dense-layer.png")
    pane.set_diagram_layer(2)
    assert pane.diagram.showing == "moe"
    shown_bars, shown_lit = pane.diagram.bar_values().copy(), pane.diagram.lit_experts()
    assert shown_bars.shape == (8,) and ((shown_bars > 0) & (shown_bars < 1)).all()  # sigmoid scores
    screenshot(pane.diagram, tmp_path / "deepseek2-moe-layer.png")
    close(window)

    (_id, _indices, (trace,), _stats) = stored_answers(database)
    np.testing.assert_array_equal(trace.layers, [1, 2, 3])
    row = list(trace.layers).index(2)
    np.testing.assert_allclose(shown_bars, trace.scores[index, row], rtol=1e-6)
    assert shown_lit == pytest.approx(chosen_in(trace, index, row))
