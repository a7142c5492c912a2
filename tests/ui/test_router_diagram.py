"""The router diagram: bars, lit experts, shared and dense layers, the animation and the layer stepping,
read back from its API and from the pixels it paints."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from app.ui.experts.router_diagram import DURATION_MS, RouterDiagram

SCORES_8 = np.array([0.05, 0.30, 0.10, 0.02, 0.40, 0.05, 0.03, 0.05])
EXPERTS_8 = np.array([4, 1])
WEIGHTS_8 = np.array([0.57, 0.43])


def make(qtbot, n_experts=8, k=2, n_shared=0, gating="softmax", layers=range(1, 6), dense=(0,)):
    diagram = RouterDiagram()
    qtbot.addWidget(diagram)
    diagram.resize(1200, 700)
    diagram.set_model(n_experts, k, n_shared, gating, list(layers), list(dense))
    return diagram


def pixel(diagram: RouterDiagram, point) -> str:
    return diagram.grab().toImage().pixelColor(QPoint(round(point.x()), round(point.y()))).name()


def test_bars_are_the_scores_and_the_chosen_experts_are_lit_with_their_weights(qtbot):
    diagram = make(qtbot)
    assert diagram.layer == 1 and diagram.showing == "moe"
    diagram.set_token(" the", SCORES_8, EXPERTS_8, WEIGHTS_8, animate=False)
    np.testing.assert_allclose(diagram.bar_values(), SCORES_8)
    assert diagram.lit_experts() == {4: 0.57, 1: 0.43}
    assert diagram.note == ""

    # painted: the lit experts in the highlight colour, the others in the unchosen grey
    image = diagram.grab().toImage()
    corner = {e: diagram.expert_rect(e).bottomLeft() + QPoint(3, -3).toPointF() for e in range(8)}
    colours = {e: image.pixelColor(corner[e].toPoint()).name() for e in range(8)}
    assert colours[0] == colours[2] == colours[7] == "#e4e7eb"
    assert colours[4] != "#e4e7eb" and colours[1] != "#e4e7eb"


def test_missing_ids_and_experts_out_of_range_are_not_lit(qtbot):
    diagram = make(qtbot)
    diagram.set_token("x", SCORES_8, np.array([3, -1, 99]), np.array([1.0, 0.0, 0.5]), animate=False)
    assert diagram.lit_experts() == {3: 1.0}


def test_without_scores_the_chosen_experts_are_shown_and_the_missing_bars_said_in_words(qtbot):
    diagram = make(qtbot, n_experts=128, k=8)
    experts = np.array([5, 17, 40, 41, 77, 90, 100, 127])
    weights = np.full(8, 0.125)
    diagram.set_token("x", None, experts, weights, animate=False)
    assert diagram.bar_values().size == 0
    assert diagram.lit_experts() == {int(e): 0.125 for e in experts}
    assert "did not report the router's full scores" in diagram.note
    diagram.set_token("x", np.full(128, 1 / 128), experts, weights, animate=False)
    assert diagram.note == ""


def test_a_dense_layer_shows_no_router_and_no_experts(qtbot):
    diagram = make(qtbot)
    diagram.set_layer(0)
    assert diagram.showing == "dense"
    diagram.set_token(" the", SCORES_8, EXPERTS_8, WEIGHTS_8, animate=False)
    assert diagram.bar_values().size == 0
    assert diagram.lit_experts() == {}
    assert not diagram.grab().isNull()


def test_shared_experts_are_drawn_always_on_before_and_after_any_token(qtbot):
    diagram = make(qtbot, n_experts=64, k=6, n_shared=2, gating="sigmoid")

    def shared_pixels() -> set[str]:
        image = diagram.grab().toImage()
        names = set()
        for index in range(2):
            rect = diagram.shared_rect(index).toRect()
            for x in range(rect.left() + 2, rect.right() - 1, 3):
                names.add(image.pixelColor(QPoint(x, rect.center().y())).name())
        return names

    before = shared_pixels()
    assert "#5b6675" in before and "#e4e7eb" not in before
    scores = np.linspace(0.1, 0.9, 64)
    diagram.set_token("x", scores, np.arange(58, 64), np.full(6, 1 / 6), animate=False)
    assert 0 not in diagram.lit_experts() and "#5b6675" in shared_pixels()


def test_the_animation_ends_in_the_final_state_and_a_token_during_it_jumps(qtbot):
    diagram = make(qtbot)
    diagram.set_token(" a", SCORES_8, EXPERTS_8, WEIGHTS_8)
    assert diagram.animating
    assert diagram.lit_experts() == {} and float(diagram.bar_values().max()) < 0.01
    qtbot.waitUntil(lambda: not diagram.animating, timeout=2000)
    np.testing.assert_allclose(diagram.bar_values(), SCORES_8)
    assert diagram.lit_experts() == {4: 0.57, 1: 0.43}

    qtbot.wait(DURATION_MS + 20)
    diagram.set_token(" b", SCORES_8, EXPERTS_8, WEIGHTS_8)  # calm again: animated
    assert diagram.animating
    second = SCORES_8[::-1].copy()
    diagram.set_token(" c", second, np.array([3, 6]), np.array([0.6, 0.4]))  # during it: at once
    assert not diagram.animating
    np.testing.assert_allclose(diagram.bar_values(), second)
    assert diagram.lit_experts() == {3: 0.6, 6: 0.4}


def test_presentation_style_is_dark(qtbot):
    diagram = make(qtbot)
    diagram.set_token(" the", SCORES_8, EXPERTS_8, WEIGHTS_8, animate=False)
    corner = diagram.rect().bottomRight() - QPoint(3, 3)
    assert pixel(diagram, corner) == "#ffffff"
    diagram.set_presentation(True)
    assert QColor(pixel(diagram, corner)).lightness() < 40
    lit = diagram.expert_rect(4).bottomLeft() + QPoint(3, -3).toPointF()
    assert pixel(diagram, lit) != "#e4e7eb"
    diagram.set_presentation(False)
    assert pixel(diagram, corner) == "#ffffff"


def test_layers_step_with_keys_buttons_and_spin_box_and_each_change_is_signalled(qtbot):
    diagram = make(qtbot, layers=[2, 3, 5], dense=[0, 1])
    assert diagram.layer == 2
    diagram.set_token(" the", SCORES_8, EXPERTS_8, WEIGHTS_8, animate=False)
    with qtbot.waitSignal(diagram.layer_changed) as signal:
        qtbot.keyClick(diagram, Qt.Key.Key_Up)
    assert signal.args == [3] and diagram.layer == 3
    assert diagram.lit_experts() == {}, "another layer's routing is not shown until set_token"
    diagram._spin.setValue(4)  # no layer 4: on to the next one upwards
    assert diagram.layer == 5 and diagram._spin.value() == 5
    assert not diagram._up.isEnabled()
    qtbot.keyClick(diagram, Qt.Key.Key_Up)
    assert diagram.layer == 5
    qtbot.mouseClick(diagram._down, Qt.MouseButton.LeftButton)
    qtbot.keyClick(diagram, Qt.Key.Key_Down)
    qtbot.keyClick(diagram, Qt.Key.Key_Down)
    assert diagram.layer == 1 and diagram.showing == "dense"
    with pytest.raises(ValueError):
        diagram.set_layer(4)


def test_scores_of_the_wrong_length_are_refused(qtbot):
    diagram = make(qtbot)
    with pytest.raises(ValueError):
        diagram.set_token("x", np.ones(7) / 7, EXPERTS_8, WEIGHTS_8)
