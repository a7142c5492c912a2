"""Routing without gate weights, as a company server reports it (SGLang's and vLLM's routed experts: the ids
only): the expert view colours the chosen cells alike for one token and by share of the choices over an
answer, says plainly that the engine reports no weights (legend, explanation, hover, router diagram, the
speaker's numbers), and a stored answer keeps that fact through the conversation store and back."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from app.core.chat.model import Settings
from app.core.chat.store import ConversationStore
from app.core.engine import protocol
from app.core.models.gguf import ModelInfo
from app.core.talks.timeline import Timeline
from app.ui.experts.pane import ExpertsPane
from app.ui.experts.router_diagram import RouterDiagram

LAYERS = (1, 2, 3, 4)
K = 2
N_EXPERTS = 8
SENTENCE = "This engine reports which experts were chosen, not their weights."
SERVER_MODEL = ModelInfo(
    path="https://gpu01.example.internal/v1#Qwen3-30B-A3B", file_size=0, architecture="qwen3moe",
    name="Qwen3-30B-A3B", size_label="30B-A3B", quantization="", n_layers=5, n_embd=2048, context_length=32768,
    n_experts=N_EXPERTS, n_experts_used=K, n_dense_leading=1, n_shared_experts=0, moe_layers=list(LAYERS),
    total_params=30_500_000_000, active_params=3_300_000_000)


def weightless_tokens(n_answer: int, seed: int = 0) -> list[protocol.Token]:
    """Answer tokens routed to K distinct random experts per layer, without weights, as the remote client
    sends them."""
    rng = np.random.default_rng(seed)
    tokens = []
    for index in range(n_answer):
        experts = np.stack([rng.choice(N_EXPERTS, size=K, replace=False) for _ in LAYERS]).astype(np.int32)
        tokens.append(protocol.Token(index, index + 100, f" w{index}", protocol.ANSWER,
                                     protocol.Routing.chosen(LAYERS, experts)))
    return tokens


def choice_shares(tokens: list[protocol.Token]) -> np.ndarray:
    """``[layers, experts]`` how often each expert was chosen over ``tokens``, as a share of its layer's choices."""
    counts = np.zeros((len(LAYERS), N_EXPERTS))
    for token in tokens:
        for row, chosen in enumerate(token.routing.experts):
            counts[row, chosen] += 1
    return counts / (K * len(tokens))


@pytest.fixture
def pane(qtbot):
    view = ExpertsPane()
    qtbot.addWidget(view)
    view.resize(900, 800)
    view.show()
    view.set_model(SERVER_MODEL)
    return view


def live(pane: ExpertsPane, tokens: list[protocol.Token]) -> None:
    for token in tokens:
        pane.add_token(token)
    while pane.flush():
        pass


def test_one_token_shows_its_chosen_cells_alike_and_says_there_are_no_weights(pane, qtbot):
    tokens = weightless_tokens(12)
    live(pane, tokens)
    pane.set_mode("token")
    pane.strip.select(5)
    heatmap = pane.heatmap
    chosen = np.zeros((len(LAYERS), N_EXPERTS))
    for row, experts in enumerate(tokens[5].routing.experts):
        chosen[row, experts] = 1.0
    assert not pane.timeline.weights_reported
    assert np.array_equal(heatmap.values, chosen) and heatmap.chosen_only and not heatmap.shows_numbers()
    assert heatmap.legend_title == "Chosen" and SENTENCE in pane._legend_line.text()
    row, expert = 2, int(tokens[5].routing.experts[2, 0])
    assert heatmap.cell_details(row, expert) == f"Layer 3 · expert {expert} · chosen · gate weight: —"
    unchosen = next(e for e in range(N_EXPERTS) if e not in tokens[5].routing.experts[2])
    assert heatmap.cell_details(row, unchosen) == f"Layer 3 · expert {unchosen} · not chosen"

    picture = heatmap.grab().toImage()
    top = QColor(heatmap._scale.colours[255])
    for r in range(len(LAYERS)):
        for e in range(N_EXPERTS):
            centre = heatmap.grid.cell_rect(r, e).center()
            colour = picture.pixelColor(centre)
            assert (colour == top) == bool(chosen[r, e]), (r, e, colour.name())


def test_the_whole_answer_shows_each_experts_share_of_the_choices(pane):
    tokens = weightless_tokens(40, seed=3)
    live(pane, tokens)
    pane.set_mode("answer")
    pane.strip.select(39)
    heatmap = pane.heatmap
    assert np.allclose(heatmap.values, choice_shares(tokens))
    assert heatmap.as_percent and not heatmap.weights_reported and not heatmap.chosen_only
    assert heatmap.legend_title == "Share of choices"
    assert SENTENCE in pane._legend_line.text() and "share of its layer’s choices" in pane._legend_line.text()
    pane.strip.select(10)
    pane.strip.select(19, extend=True)
    assert np.allclose(heatmap.values, choice_shares(tokens[10:20]))


def test_the_router_diagram_lights_the_chosen_experts_without_weights(pane, qtbot):
    tokens = weightless_tokens(6, seed=4)
    live(pane, tokens)
    pane.set_view("router")
    pane.set_diagram_layer(2)
    pane.strip.select(3)
    diagram = pane.diagram
    qtbot.waitUntil(lambda: not diagram.animating)
    lit = diagram.lit_experts()
    assert sorted(lit) == sorted(tokens[3].routing.experts[1].tolist())
    assert all(np.isnan(weight) for weight in lit.values())
    assert diagram.note == SENTENCE
    assert not diagram.grab().isNull()


def test_a_weighed_token_after_unweighed_ones_keeps_its_weights_in_the_diagram(qtbot):
    diagram = RouterDiagram()
    qtbot.addWidget(diagram)
    diagram.set_model(N_EXPERTS, K, 0, "softmax", list(LAYERS), [0])
    diagram.set_token("a", None, np.array([1, 5]), None, animate=False)
    assert diagram.note == SENTENCE
    diagram.set_token("b", None, np.array([1, 5]), np.array([0.75, 0.25]), animate=False)
    assert diagram.lit_experts() == {1: 0.75, 5: 0.25} and SENTENCE not in diagram.note


def test_the_speakers_numbers_count_choices_and_leave_out_the_top_expert(pane):
    live(pane, weightless_tokens(30, seed=5))
    pane.set_view("numbers")
    lines = pane.figures.lines
    assert any(line.startswith(SENTENCE[:-1]) for line in lines)
    assert any(line.startswith("Load balance in layer") for line in lines)
    assert not any("same top expert" in line for line in lines)


def test_a_stored_weightless_answer_reads_back_without_weights_and_shows_the_same(pane, tmp_path):
    tokens = weightless_tokens(25, seed=6)
    with ConversationStore(tmp_path / "conversations.sqlite3") as store:
        writer = store.begin_answer(store.create(), SERVER_MODEL.path, Settings(), flush_tokens=7)
        for token in tokens:
            writer.add_token(token)
        writer.finish(protocol.Finished(prompt_tokens=3, answer_tokens=25, ttft_s=0.1, tokens_per_s=50.0,
                                        stop_reason="eos"))
        trace = store.routing(writer.message_id)
    assert np.isnan(trace.weights).all()
    assert np.array_equal(trace.experts, np.stack([token.routing.experts for token in tokens]))
    timeline = Timeline.from_trace(trace, N_EXPERTS)
    assert not timeline.weights_reported
    assert np.isnan(timeline.to_trace().weights).all()

    assert pane.show_trace(trace, 50.0)
    pane.set_mode("answer")
    pane.strip.select(24)
    assert np.allclose(pane.heatmap.values, choice_shares(tokens))
    assert pane.heatmap.legend_title == "Share of choices" and SENTENCE in pane._legend_line.text()


def test_an_answer_with_weights_after_one_without_shows_weights_again(pane):
    live(pane, weightless_tokens(4))
    pane.begin_answer()
    experts = np.array([[0, 1]] * len(LAYERS), np.int32)
    weighed = protocol.Routing(LAYERS, experts, np.array([[0.75, 0.25]] * len(LAYERS), np.float32))
    live(pane, [protocol.Token(0, 1, "a", protocol.ANSWER, weighed)])
    pane.set_mode("token")
    pane.strip.select(0)
    assert pane.timeline.weights_reported and pane.heatmap.weights_reported
    assert pane.heatmap.legend_title == "Gate weight" and SENTENCE not in pane._legend_line.text()
    assert pane.heatmap.values[0, 0] == pytest.approx(0.75)
