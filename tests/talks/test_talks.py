"""The talk timeline (selection, range sums, top-1 experts, replay) and the speaker's figures, on traces
made up so that the right answer is known."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from app.core.engine import protocol
from app.core.engine.protocol import ANSWER, EMPTY_ROUTING, PROMPT, Routing, Token
from app.core.talks import figures
from app.core.talks.timeline import BLOCK, DEFAULT_TOKENS_PER_S, SPEEDS, Timeline
from talk_traces import random_trace, top1_trace


def numpy_sums(trace, lo: int, hi: int, n_experts: int) -> tuple[np.ndarray, np.ndarray]:
    """Weight and choice counts per (layer row, expert) over tokens lo..hi, the plain way."""
    weights = np.zeros((len(trace.layers), n_experts))
    counts = np.zeros((len(trace.layers), n_experts))
    for token in range(lo, hi + 1):
        for row in range(len(trace.layers)):
            for expert, weight in zip(trace.experts[token, row], trace.weights[token, row]):
                if expert >= 0:
                    weights[row, expert] += weight
                    counts[row, expert] += 1
    return weights, counts


def as_tokens(trace) -> list[protocol.Token]:
    layers = tuple(int(layer) for layer in trace.layers)
    return [protocol.Token(int(trace.positions[i]), int(trace.tokens[i]), trace.texts[i], trace.sources[i],
                           protocol.Routing(layers, trace.experts[i].copy(), trace.weights[i].copy()))
            for i in range(len(trace))]


# --- timeline ------------------------------------------------------------------------------------------


def test_numbers_count_answer_tokens_from_one_and_prompt_tokens_by_position():
    timeline = Timeline.from_trace(random_trace(prompt=5, answer=7, first_position=40))
    assert len(timeline) == 12 and timeline.first_answer == 5 and timeline.answer_count == 7
    assert [timeline.number(i) for i in range(12)] == [41, 42, 43, 44, 45, 1, 2, 3, 4, 5, 6, 7]
    assert timeline.answer_range() == (5, 11)


@pytest.mark.parametrize("lo, hi", [(0, 0), (3, 9), (0, 699), (BLOCK - 1, BLOCK), (10, 2 * BLOCK + 7),
                                    (BLOCK, 2 * BLOCK - 1), (513, 699)])
def test_range_sums_and_share_equal_a_plain_numpy_computation(lo, hi):
    trace = random_trace(prompt=100, answer=600, layers=3, experts=8, k=2, seed=4)
    timeline = Timeline.from_trace(trace, n_experts=8)
    weights, counts = numpy_sums(trace, lo, hi, 8)
    np.testing.assert_allclose(timeline.range_weights(lo, hi), weights, rtol=1e-5)
    np.testing.assert_array_equal(timeline.range_counts(lo, hi), counts)
    share = timeline.range_share(lo, hi)
    np.testing.assert_allclose(share, weights / weights.sum(axis=1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(share.sum(axis=1), 1.0, rtol=1e-6)


def test_tokens_appended_live_give_the_same_timeline_as_the_stored_trace():
    trace = random_trace(prompt=300, answer=400, layers=2, experts=6, k=2, seed=9)
    stored = Timeline.from_trace(trace, n_experts=6)
    live = Timeline(trace.layers.tolist(), 2, 6)
    tokens = as_tokens(trace)
    live.append(tokens[:300], at=0.0)
    for index, token in enumerate(tokens[300:]):
        live.append([token], at=1.0 + index * 0.05)
    assert len(live) == len(stored) == 700 and live.first_answer == 300
    np.testing.assert_array_equal(live.experts, stored.experts)
    np.testing.assert_array_equal(live.positions, stored.positions)
    assert live.texts == list(trace.texts)
    np.testing.assert_allclose(live.range_weights(17, 650), stored.range_weights(17, 650), rtol=1e-6)
    np.testing.assert_array_equal(live.top1(2), trace.experts[:, 1, 0])
    assert live.tokens_per_s == pytest.approx(20.0)


def test_a_token_without_routing_counts_nowhere():
    trace = random_trace(prompt=0, answer=3, layers=2, experts=4, k=2, seed=1)
    tokens = as_tokens(trace)
    live = Timeline(trace.layers.tolist(), 2, 4)
    live.append([tokens[0], protocol.Token(1, 5, "x", protocol.ANSWER), tokens[2]])
    assert (live.experts[1] == -1).all() and live.top1(1)[1] == -1
    weights, counts = numpy_sums(trace, 0, 2, 4)
    weights_without, counts_without = numpy_sums(trace, 1, 1, 4)
    np.testing.assert_array_equal(live.range_counts(0, 2), counts - counts_without)
    np.testing.assert_allclose(live.range_weights(0, 2), weights - weights_without, rtol=1e-6)


def test_a_dense_trace_has_no_layers_and_sums_of_nothing():
    trace = random_trace(prompt=2, answer=2)
    dense = dataclasses.replace(trace,
                        layers=np.zeros(0, dtype=np.int32), experts=np.zeros((4, 0, 0), dtype=np.int32),
                        weights=np.zeros((4, 0, 0), dtype=np.float32))
    timeline = Timeline.from_trace(dense)
    assert len(timeline) == 4 and timeline.range_share(0, 3).shape == (0, 0)
    assert timeline.top1_all(0, 3).shape == (4, 0)


def test_selection_by_index_and_range_is_clamped_and_ordered():
    timeline = Timeline.from_trace(random_trace(prompt=3, answer=7))
    assert timeline.selection == (-1, -1)
    assert timeline.move(1) and timeline.selection == (0, 0)
    assert timeline.select(6)
    assert timeline.select(2, extend=True) and timeline.selection == (2, 6) and timeline.cursor == 2
    assert timeline.is_range and timeline.figures_range() == (2, 6)
    assert timeline.move(-5, extend=True) and timeline.selection == (0, 6)
    assert not timeline.move(-1, extend=True)
    assert timeline.select(99) and timeline.selection == (9, 9) and not timeline.is_range
    assert timeline.figures_range() == (3, 9)


# --- replay --------------------------------------------------------------------------------------------


def test_replay_passes_the_prompt_at_once_then_one_answer_token_per_interval():
    timeline = Timeline.from_trace(random_trace(prompt=4, answer=6), tokens_per_s=10.0)
    replay = timeline.replay
    replay.play()
    assert timeline.cursor == 0 and replay.playing
    assert replay.delay_to_next() == 0.0
    assert replay.advance(0.0) and timeline.cursor == 3  # the prompt, read as one batch
    assert replay.delay_to_next() == pytest.approx(0.1)
    assert not replay.advance(0.09) and timeline.cursor == 3
    assert replay.advance(0.02) and timeline.cursor == 4  # 0.11 s owed: one token, 0.01 s left
    assert replay.advance(0.2) and timeline.cursor == 6
    assert replay.advance(10.0) and timeline.cursor == 9 and not replay.playing  # stops at the end
    replay.play()
    assert timeline.cursor == 0 and replay.playing  # play at the end starts over


@pytest.mark.parametrize("speed", SPEEDS)
def test_each_speed_scales_the_answer_rate(speed):
    timeline = Timeline.from_trace(random_trace(prompt=1, answer=400), tokens_per_s=20.0)
    replay = timeline.replay
    replay.set_speed(speed)
    replay.play()
    replay.advance(0.0)
    start = timeline.cursor
    replay.advance(2.0 + 1e-9)
    assert timeline.cursor - start == round(2.0 * 20.0 * speed)


def test_speeds_are_only_those_offered():
    replay = Timeline.from_trace(random_trace(1, 2)).replay
    with pytest.raises(ValueError):
        replay.set_speed(3.0)
    replay.faster()
    assert replay.speed == 1.5
    replay.faster(10)
    assert replay.speed == 2.0
    replay.faster(-10)
    assert replay.speed == 0.25


def test_step_and_jumps_pause_and_move_the_cursor():
    timeline = Timeline.from_trace(random_trace(prompt=2, answer=5))
    replay = timeline.replay
    replay.play()
    assert replay.step(1) and not replay.playing and timeline.cursor == 1
    assert replay.step(-3) and timeline.cursor == 0
    assert not replay.step(-1) and timeline.cursor == 0
    assert replay.to_end() and timeline.cursor == 6
    assert replay.to_start() and timeline.cursor == 0
    timeline.select(5)
    timeline.select(2, extend=True)
    replay.play()
    assert timeline.selection == (2, 2) and timeline.cursor == 2  # playing a range plays from its cursor


def test_token_rate_is_the_one_set_else_measured_else_a_default():
    trace = random_trace(prompt=1, answer=3)
    live = Timeline(trace.layers.tolist(), 2, 8)
    assert live.tokens_per_s == DEFAULT_TOKENS_PER_S
    tokens = as_tokens(trace)
    live.append(tokens[:1], at=5.0)
    for index, token in enumerate(tokens[1:]):
        live.append([token], at=10.0 + index * 0.5)
    assert live.tokens_per_s == pytest.approx(2.0)
    live.set_tokens_per_s(31.5)
    assert live.tokens_per_s == 31.5


# --- figures -------------------------------------------------------------------------------------------


def test_parameter_figures_of_a_30b_a3b_model():
    result = figures.parameter_figures(3_300_000_000, 30_500_000_000)
    assert result.active_share == pytest.approx(0.108, abs=1e-3)
    assert result.operations == 6_600_000_000 and result.dense_operations == 61_000_000_000
    assert result.saved_share == pytest.approx(0.892, abs=1e-3)
    assert result.times_fewer == pytest.approx(9.24, abs=0.01)


def test_entropy_is_one_for_an_even_split_and_zero_for_one_expert():
    assert figures.normalised_entropy(np.full(8, 5.0)) == pytest.approx(1.0)
    assert figures.normalised_entropy(np.array([0, 0, 9.0, 0])) == 0.0
    assert figures.normalised_entropy(np.array([1.0, 1.0, 0.0, 0.0])) == pytest.approx(0.5)
    assert math.isnan(figures.normalised_entropy(np.zeros(4)))


def test_load_balance_names_the_most_and_least_used_expert_per_layer():
    timeline = Timeline.from_trace(top1_trace([[0, 1], [0, 1], [0, 2], [3, 3]], experts=4), n_experts=4)
    balance = figures.load_balance(timeline.range_counts(0, 3), timeline.layers)
    first, second = balance
    assert (first.layer, first.choices, first.most_used, first.most_share) == (0, 4, 0, 0.75)
    assert (first.least_used, first.least_share, first.unused) == (1, 0.0, 2)
    assert (second.most_used, second.most_share, second.least_used, second.unused) == (1, 0.5, 0, 1)
    expected = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(4)
    assert first.evenness == pytest.approx(expected)
    assert figures.mean_evenness(balance) == pytest.approx((first.evenness + second.evenness) / 2)


def test_stickiness_counts_consecutive_pairs_that_keep_their_top_expert():
    # layer 0: 1 1 1 2 2 -> 3 of 4 pairs keep; layer 1: 1 2 1 2 -1 -> 0 of 3 captured pairs
    top1 = [[1, 1], [1, 2], [1, 1], [2, 2], [2, -1]]
    timeline = Timeline.from_trace(top1_trace(top1, experts=4), n_experts=4)
    result = figures.stickiness(timeline.top1_all(0, 4), timeline.n_experts)
    np.testing.assert_allclose(result.per_layer, [0.75, 0.0])
    assert result.mean == pytest.approx(0.375) and result.pairs == 4 and result.chance == 0.25
    single = figures.stickiness(timeline.top1_all(2, 2), 4)
    assert np.isnan(single.per_layer).all() and math.isnan(single.mean) and single.pairs == 0


def test_scores_and_token_ids_survive_the_timeline_and_come_back_as_the_same_trace():
    trace = random_trace(prompt=5, answer=9, layers=3, experts=8, k=2, seed=4)
    rng = np.random.default_rng(1)
    scores = rng.dirichlet(np.ones(8), size=(14, 3)).astype(np.float32)
    scores[2] = np.nan  # a token whose scores were not captured
    trace = dataclasses.replace(trace, scores=scores)
    timeline = Timeline.from_trace(trace, n_experts=8, tokens_per_s=20.0)
    assert np.array_equal(timeline.scores(0, 2), scores[0, 1])
    assert timeline.scores(2, 1) is None
    back = timeline.to_trace()
    for name in ("positions", "tokens", "layers", "experts", "weights"):
        assert np.array_equal(getattr(back, name), getattr(trace, name)), name
    assert back.texts == trace.texts and back.sources == trace.sources
    assert np.array_equal(back.scores, trace.scores, equal_nan=True)


def test_live_tokens_with_scores_are_kept_per_layer():
    layers = (1, 2)
    routing = Routing(layers, np.array([[3, 1], [0, 2]], dtype=np.int32), np.array([[0.6, 0.4], [0.7, 0.3]],
                      dtype=np.float32), scores=np.full((2, 4), 0.25, dtype=np.float32))
    timeline = Timeline(layers, 2, 4)
    timeline.append([Token(0, 7, "a", PROMPT, routing), Token(1, 8, "b", ANSWER, EMPTY_ROUTING)])
    assert np.array_equal(timeline.scores(0, 2), np.full(4, 0.25, dtype=np.float32))
    assert timeline.scores(1, 1) is None
    assert timeline.to_trace().tokens.tolist() == [7, 8]
