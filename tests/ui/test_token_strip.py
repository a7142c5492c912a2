"""The token strip, the replay controls and the speaker's figures panel, on made-up traces: selection by
mouse and keys, colours by top-1 expert, replay by keys and timer, the figures' sentences and clipboard."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.core.engine import protocol
from app.core.models.gguf import ModelInfo
from app.core.talks.timeline import Timeline
from app.ui.experts.replay_bar import ReplayBar, ReplayController
from app.ui.experts.talk_figures import TalkFigures
from app.ui.experts.token_names import range_name, token_name
from app.ui.experts.token_strip import PALETTE, TokenStrip
from talk_traces import random_trace, top1_trace

QWEN = ModelInfo(path="/models/qwen.gguf", file_size=0, architecture="qwen3moe", name="Qwen3-30B-A3B",
                 size_label="30B-A3B", quantization="Q4_K_M", n_layers=48, n_embd=2048, context_length=32768,
                 n_experts=8, n_experts_used=2, n_dense_leading=0, n_shared_experts=0,
                 moe_layers=[1, 2, 3, 4], total_params=30_500_000_000, active_params=3_300_000_000)


@pytest.fixture
def strip(qtbot):
    widget = TokenStrip()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    return widget


def centre(strip: TokenStrip, index: int) -> QPoint:
    return strip.chip_rect(index).center().toPoint()


def test_ten_thousand_tokens_are_painted_chips_not_widgets(strip):
    widgets_before = len(strip.findChildren(QWidget))
    strip.set_timeline(Timeline.from_trace(random_trace(prompt=2000, answer=8000, layers=4, experts=8), 8))
    strip.set_colour_layer(2)
    assert len(strip.findChildren(QWidget)) == widgets_before < 10
    strip.select(9999)
    assert strip.verticalScrollBar().value() > 0
    assert strip.viewport().rect().contains(strip.chip_rect(9999).toRect())
    strip.grab()  # paints the visible chips only


def test_click_shift_click_and_drag_select_tokens(strip, qtbot):
    strip.set_timeline(Timeline.from_trace(random_trace(prompt=10, answer=30)))
    seen = []
    strip.selectionChanged.connect(lambda lo, hi: seen.append((lo, hi)))
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=centre(strip, 12))
    assert strip.timeline.selection == (12, 12) and seen[-1] == (12, 12)
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     centre(strip, 4))
    assert strip.timeline.selection == (4, 12) and seen[-1] == (4, 12)
    qtbot.mousePress(strip.viewport(), Qt.MouseButton.LeftButton, pos=centre(strip, 20))
    qtbot.mouseMove(strip.viewport(), centre(strip, 25))
    qtbot.mouseRelease(strip.viewport(), Qt.MouseButton.LeftButton, pos=centre(strip, 25))
    assert strip.timeline.selection == (20, 25)
    assert strip.index_at(centre(strip, 7).toPointF()) == 7
    assert strip.index_at(strip.viewport().rect().bottomRight().toPointF()) == -1


def test_arrow_keys_home_and_end_move_and_extend_the_selection(strip, qtbot):
    strip.set_timeline(Timeline.from_trace(random_trace(prompt=10, answer=90)))
    timeline = strip.timeline
    strip.select(50)
    qtbot.keyClick(strip, Qt.Key.Key_Right)
    assert timeline.selection == (51, 51)
    qtbot.keyClick(strip, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(strip, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert timeline.selection == (49, 51) and timeline.cursor == 49
    qtbot.keyClick(strip, Qt.Key.Key_Home)
    assert timeline.selection == (0, 0)
    qtbot.keyClick(strip, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert timeline.selection == (0, 99)
    strip.select(50)
    row_of = strip._row
    qtbot.keyClick(strip, Qt.Key.Key_Down)
    assert row_of[timeline.cursor] == row_of[50] + 1
    qtbot.keyClick(strip, Qt.Key.Key_Up)
    assert timeline.cursor == 50


def test_numbers_agree_between_strip_names_and_ranges(strip):
    strip.set_timeline(Timeline.from_trace(random_trace(prompt=5, answer=10, first_position=30)))
    timeline = strip.timeline
    assert token_name(timeline, 5) == "Answer token 1" and token_name(timeline, 4) == "Prompt token 35"
    assert range_name(timeline, 6, 9) == "Answer tokens 2–5"
    assert range_name(timeline, 3, 7) == "Prompt token 34 to answer token 3"
    assert strip.details(5).startswith("Answer token 1: ")


def test_colour_mode_paints_each_chip_in_its_top_expert_colour(strip):
    top1 = [[3], [3], [5], [3], [5], [6], [-1]]
    strip.set_timeline(Timeline.from_trace(top1_trace(top1, experts=8, prompt=2), 8))
    plain_prompt, plain_answer = strip.chip_colours(0)[0], strip.chip_colours(2)[0]
    assert plain_prompt != plain_answer
    strip.set_colour_layer(0)
    colours = strip.expert_colours
    assert list(colours) == [3, 5, 6] and {c.name() for c in colours.values()} <= set(PALETTE)
    assert strip.chip_colours(3)[0] == colours[3] and strip.chip_colours(4)[0] == colours[5]
    assert strip.chip_colours(0)[0] != colours[3]  # a prompt token: faded, not the answer's colour
    assert strip.chip_colours(6)[0] not in colours.values()  # not captured: the "other" grey
    assert "Top expert in layer 0" in strip._legend.text()
    strip.set_colour_layer(None)
    assert strip.expert_colours == {} and strip._legend.isHidden()


def test_live_tokens_are_followed_and_colours_stay_put(strip):
    trace = random_trace(prompt=3, answer=40, layers=2, experts=16, k=1, seed=2)
    live = Timeline(trace.layers.tolist(), 1, 16)
    strip.set_timeline(live)
    strip.set_colour_layer(1)
    for i in range(len(trace)):
        routing = protocol.Routing((1, 2), trace.experts[i].copy(), trace.weights[i].copy())
        live.append([protocol.Token(i, 0, trace.texts[i], trace.sources[i], routing)])
        before = dict(strip.expert_colours)
        strip.tokens_added()
        assert live.cursor == i  # the newest token is shown
        assert all(strip.expert_colours[e] == c for e, c in before.items() if e in strip.expert_colours)
    strip.select(10)
    live.append([protocol.Token(99, 0, "x", protocol.ANSWER)])
    strip.tokens_added()
    assert live.cursor == 10  # a token the user picked stays selected


def test_replay_keys_play_step_and_jump(qtbot):
    view = QWidget()
    qtbot.addWidget(view)
    strip = TokenStrip()
    controller = ReplayController(strip)
    bar = ReplayBar(controller)
    layout = QVBoxLayout(view)
    layout.addWidget(strip)
    layout.addWidget(bar)
    controller.install_keys(view)
    view.show()
    strip.set_timeline(Timeline.from_trace(random_trace(prompt=4, answer=20), tokens_per_s=5.0))
    timeline = strip.timeline
    strip.setFocus()
    qtbot.keyClick(strip, Qt.Key.Key_Home)
    qtbot.keyClick(strip, Qt.Key.Key_PageDown)
    assert timeline.cursor == 1
    qtbot.keyClick(strip, Qt.Key.Key_PageUp)
    assert timeline.cursor == 0
    qtbot.keyClick(strip, Qt.Key.Key_Space)
    assert controller.playing and bar.play_button.toolTip() == "Pause (Space)"
    qtbot.waitUntil(lambda: timeline.cursor == 3, timeout=1000)  # the prompt passes at once
    qtbot.keyClick(strip, Qt.Key.Key_Space)
    assert not controller.playing and bar.play_button.toolTip() == "Play (Space)"
    qtbot.keyClick(strip, Qt.Key.Key_End)
    assert timeline.cursor == 23 and bar.position_label.text() == "Answer token 20 of 20"
    bar.back_button.click()
    assert timeline.cursor == 22


def test_replay_runs_to_the_end_at_the_chosen_speed(qtbot, strip):
    controller = ReplayController(strip)
    bar = ReplayBar(controller)
    qtbot.addWidget(bar)
    strip.set_timeline(Timeline.from_trace(random_trace(prompt=2, answer=12), tokens_per_s=50.0))
    bar.speed_buttons[2.0].click()
    assert controller.speed == 2.0
    moves = []
    strip.selectionChanged.connect(lambda lo, hi: moves.append(lo))
    controller.play()
    qtbot.waitUntil(lambda: not controller.playing, timeout=3000)
    assert strip.timeline.cursor == 13 and moves[-1] == 13
    assert bar.play_button.toolTip() == "Play (Space)"
    controller.play()  # from the end: starts over
    assert strip.timeline.cursor == 0 and controller.playing
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=centre(strip, 5))
    assert not controller.playing and strip.timeline.cursor == 5  # a click takes over


def test_figures_panel_says_the_numbers_and_copies_them(qtbot):
    panel = TalkFigures()
    qtbot.addWidget(panel)
    panel.set_model(QWEN)
    trace = random_trace(prompt=3, answer=50, layers=4, experts=8, k=2, seed=5)
    timeline = Timeline.from_trace(trace, 8)
    panel.show_figures(timeline, 2)
    text = "\n".join(panel.lines)
    assert "3.3\u00a0B of 30.5\u00a0B parameters work on each token (11\u00a0%)" in text
    assert "6.6\u00a0B operations instead of 61.0\u00a0B" in text
    assert "89\u00a0% less compute, 9.2× fewer" in text
    assert "Load balance in layer 2:" in text and "Consecutive tokens keep the same top expert" in text
    timeline.select(10)
    timeline.select(20, extend=True)
    panel.show_figures(timeline, 2)
    assert panel.slide_text().startswith("Qwen3-30B-A3B — Answer tokens 8–18")
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == panel.slide_text()
    panel.set_model(dataclasses.replace(QWEN, n_experts=0, n_experts_used=0, moe_layers=[],
                                        active_params=30_500_000_000))
    assert panel.lines == ["All 30.5\u00a0B parameters work on every token: a dense model has no experts to "
                           "choose from."]


def test_presentation_style_is_dark_and_larger(strip):
    strip.set_timeline(Timeline.from_trace(random_trace(prompt=3, answer=10)))
    normal_height = strip.chip_rect(0).height()
    strip.set_presentation(True)
    assert strip.chip_rect(0).height() > 1.3 * normal_height
    image = strip.grab().toImage()
    assert image.pixelColor(image.width() - 3, image.height() - 3).lightness() < 40
    strip.set_presentation(False)
    assert strip.chip_rect(0).height() == normal_height
    assert np.isclose(strip.grab().toImage().pixelColor(2, 2).lightness(), 255, atol=10)
