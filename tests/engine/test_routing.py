"""The expert tap is correct: `moescope trace` agrees with an independent numpy computation.

Transparent demo models make every layer's router input depend only on the token, so
tests/support/routing_reference.py can compute from the file alone which experts llama.cpp must choose and
with what weight, and the router's probabilities over all experts (the optional scores). The comparison
covers prompt and answer tokens, every MoE layer including the last, prompts longer than one micro-batch,
dense leading layers, shared experts, softmax and sigmoid gating, and the experts-per-token override.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from app.cli.trace import token_record
from app.core.engine import protocol
from app.core.engine.llama_driver import BATCH
from app.core.engine.protocol import EMPTY_ROUTING, Generate, Routing
from app.core.engine.routing_tap import LayerRouting, rows_to_positions
from app.core.engine.session import EngineSession
from app.core.models.demo import write_demo_model
from app.core.models.moe_rules import GATING_SIGMOID, GATING_SOFTMAX, override_honoured
from routing_reference import expected_routing, expected_scores, min_routing_margin

WEIGHT_TOLERANCE = 2e-4
SCORE_TOLERANCE = 1e-5
"""Measured: at most 3e-7 from the reference (float32 against float64)."""

ARCHITECTURES = [
    ("llama", {}),
    ("qwen3moe", {}),
    ("deepseek2", {"dense_leading": 1, "shared_experts": 1}),
]


def run_trace(model, prompt, *extra, max_tokens=6) -> list[dict]:
    command = [sys.executable, "-m", "app", "trace", "--model", str(model), "--prompt", prompt,
               "--max-tokens", str(max_tokens), "--json", *map(str, extra)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def assert_matches_reference(model, records, k=None):
    tokens = [r for r in records if "summary" not in r]
    ids = [r["token"] for r in tokens]
    assert min_routing_margin(model, ids, k) > 1e-3, "the test model has a near-tie; choose another seed"
    expected = expected_routing(model, ids, k)
    summary = records[-1]["summary"]
    for record, want in zip(tokens, expected):
        got = record["routing"]
        assert sorted(int(layer) for layer in got) == summary["model"]["moe_layers"] == sorted(want)
        for layer, experts in want.items():
            got_ids = [e for e, _ in got[str(layer)]]
            assert got_ids == [e for e, _ in experts], (record["pos"], record["source"], layer)
            for (_, got_w), (_, want_w) in zip(got[str(layer)], experts):
                assert got_w == pytest.approx(want_w, abs=WEIGHT_TOLERANCE)
    return tokens


@pytest.mark.slow
@pytest.mark.parametrize("arch, options", ARCHITECTURES)
def test_trace_routing_matches_reference(tmp_path, arch, options):
    model = write_demo_model(tmp_path / f"{arch}.gguf", arch=arch, layers=4, experts=8, top_k=2,
                             transparent=True, seed=3, **options)
    records = run_trace(model, "Grüße aus Köln!", max_tokens=6)
    tokens = assert_matches_reference(model, records)
    sources = [t["source"] for t in tokens]
    assert sources.count("answer") == 6 and sources[0] == "prompt"
    assert [t["pos"] for t in tokens] == list(range(len(tokens)))
    if options.get("dense_leading"):
        assert "0" not in tokens[0]["routing"], "a dense leading layer has no router"


@pytest.mark.slow
def test_long_prompt_spans_several_micro_batches(tmp_path):
    model = write_demo_model(tmp_path / "moe.gguf", arch="qwen3moe", layers=3, experts=8, top_k=2,
                             transparent=True, seed=5)
    prompt = "Der Router wählt für jedes Token wenige Experten aus. " * 6
    records = run_trace(model, prompt, max_tokens=2)
    tokens = assert_matches_reference(model, records)
    assert sum(t["source"] == "prompt" for t in tokens) > 2 * BATCH


@pytest.mark.slow
def test_experts_per_token_override(tmp_path):
    model = write_demo_model(tmp_path / "moe.gguf", arch="llama", layers=3, experts=8, top_k=2,
                             transparent=True, seed=4)
    records = run_trace(model, "Hallo", "--experts-per-token", 4, max_tokens=3)
    tokens = assert_matches_reference(model, records, k=4)
    assert all(len(experts) == 4 for t in tokens for experts in t["routing"].values())
    assert records[-1]["summary"]["model"]["n_experts_used"] == 4


def traced_tokens(model, prompt: str, max_tokens: int, **load) -> tuple[protocol.Loaded, list[protocol.Token]]:
    """Load ``model`` in an engine process (as the window does, through the supervisor) and answer ``prompt``."""
    with EngineSession() as session:
        loaded = session.load(str(model), **load)
        events = list(session.generate(Generate(prompt=prompt, max_tokens=max_tokens, temperature=0.0)))
    return loaded, list(protocol.prompt_and_answer(events))


@pytest.mark.slow
@pytest.mark.parametrize("arch, options", ARCHITECTURES)
def test_scores_are_the_routers_probabilities_over_all_experts(tmp_path, arch, options):
    model = write_demo_model(tmp_path / f"{arch}.gguf", arch=arch, layers=4, experts=8, top_k=2,
                             transparent=True, seed=3, **options)
    loaded, tokens = traced_tokens(model, "Grüße aus Köln! " * 10, 5, scores=True)
    assert loaded.info.gating == (GATING_SIGMOID if arch == "deepseek2" else GATING_SOFTMAX)
    assert sum(t.source == protocol.PROMPT for t in tokens) > BATCH  # two micro-batches
    assert sum(t.source == protocol.ANSWER for t in tokens) == 5
    expected = expected_scores(model, [t.token for t in tokens])
    for token, want in zip(tokens, expected):
        routing = token.routing
        assert routing.layers == tuple(loaded.info.moe_layers) == tuple(want)
        assert routing.scores.shape == (len(want), 8) and routing.scores.dtype == np.float32
        for row, layer in enumerate(routing.layers):
            np.testing.assert_allclose(routing.scores[row], want[layer], rtol=0, atol=SCORE_TOLERANCE,
                                       err_msg=f"{token.source} token at {token.pos}, layer {layer}")
            # the chosen experts are the best scored, and their weights come from these scores
            assert set(routing.experts[row]) == set(np.argsort(-want[layer], kind="stable")[:2])
    if arch != "deepseek2":
        assert np.allclose(np.stack([t.routing.scores for t in tokens]).sum(axis=2), 1.0, atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("arch, options", ARCHITECTURES)
def test_the_experts_per_token_override_changes_how_many_experts_the_router_picks(tmp_path, arch, options):
    model = write_demo_model(tmp_path / f"{arch}.gguf", arch=arch, layers=3, experts=8, top_k=2,
                             transparent=True, seed=3, **options)
    assert override_honoured(arch)
    loaded, tokens = traced_tokens(model, "Hallo Köln", 3, experts_per_token=3)
    assert loaded.info.n_experts_used == 3
    assert all(t.routing.experts.shape == (len(loaded.info.moe_layers), 3) for t in tokens)
    assert all(t.routing.scores is None for t in tokens)  # scores only when asked for
    ids = [t.token for t in tokens]
    assert min_routing_margin(model, ids, 3) > 1e-3
    for token, want in zip(tokens, expected_routing(model, ids, k=3)):
        for row, layer in enumerate(token.routing.layers):
            assert token.routing.experts[row].tolist() == [e for e, _ in want[layer]]
            np.testing.assert_allclose(token.routing.weights[row], [w for _, w in want[layer]], atol=WEIGHT_TOLERANCE)


@pytest.mark.slow
def test_trace_json_with_scores_adds_them_to_every_token_line(tmp_path):
    model = write_demo_model(tmp_path / "moe.gguf", arch="qwen3moe", layers=3, experts=8, top_k=2,
                             transparent=True, seed=5)
    records = run_trace(model, "Hallo", "--scores", max_tokens=3)
    tokens = assert_matches_reference(model, records)
    assert records[-1]["summary"]["model"]["gating"] == GATING_SOFTMAX
    for record, want in zip(tokens, expected_scores(model, [t["token"] for t in tokens])):
        assert sorted(record["scores"]) == sorted(record["routing"]) == [str(layer) for layer in sorted(want)]
        for layer, probabilities in want.items():
            assert len(record["scores"][str(layer)]) == 8
            np.testing.assert_allclose(record["scores"][str(layer)], probabilities, atol=SCORE_TOLERANCE)
    assert all("scores" not in r for r in run_trace(model, "Hallo", max_tokens=1)[:-1])


@pytest.mark.slow
def test_dense_model_has_no_routing_and_says_so(tmp_path):
    model = write_demo_model(tmp_path / "dense.gguf", arch="llama", layers=2, experts=0)
    records = run_trace(model, "Hallo", max_tokens=3)
    assert all(r["routing"] == {} for r in records[:-1])
    summary = records[-1]["summary"]
    assert summary["model"]["is_moe"] is False
    assert summary["routing"].startswith("none")


@pytest.mark.slow
def test_routing_of_tokens_reused_from_the_kv_cache_is_kept(tmp_path):
    model = write_demo_model(tmp_path / "moe.gguf", arch="qwen3moe", layers=3, transparent=True, seed=6)
    with EngineSession() as session:
        session.load(str(model))
        first = list(session.generate(Generate(prompt="Guten Morgen", max_tokens=3, temperature=0.0)))
        second = list(session.generate(Generate(prompt="Guten Morgen, Köln", max_tokens=3, temperature=0.0)))
    first_prompt = first[0].tokens
    second_prompt = second[0].tokens
    shared = len(first_prompt)
    assert [t.token for t in second_prompt[:shared]] == [t.token for t in first_prompt]
    assert [t.routing for t in second_prompt[:shared]] == [t.routing for t in first_prompt]
    # as ``moescope trace --json`` prints them
    records = [json.loads(json.dumps(token_record(t))) for t in protocol.prompt_and_answer(second)]
    records.append({"summary": {"model": {"moe_layers": [0, 1, 2]}}})
    assert_matches_reference(model, records)


# --- rows to positions (no llama.cpp) -------------------------------------------------------------


def layer(experts: list[list[int]], weights: list[list[float]]) -> LayerRouting:
    """One layer's routing as the tap copies it out of llama.cpp: int32 ids, float32 weights."""
    return LayerRouting(np.array(experts, dtype=np.int32), np.array(weights, dtype=np.float32))


def test_rows_to_positions_gives_each_row_to_its_position_in_layer_order():
    layers = {
        10: layer([[3, 1], [0, 2]], [[0.6, 0.4], [0.9, 0.1]]),
        2: layer([[5, 4], [4, 5]], [[0.75, 0.25], [0.5, 0.5]]),
    }
    routing = rows_to_positions(layers, first_pos=128, n_rows=2)
    assert list(routing) == [128, 129]
    assert all(r.layers == (2, 10) for r in routing.values())
    assert routing[128].by_layer() == {2: [[5, 0.75], [4, 0.25]], 10: [[3, 0.6], [1, 0.4]]}
    assert routing[129].by_layer() == {2: [[4, 0.5], [5, 0.5]], 10: [[0, 0.9], [2, 0.1]]}
    assert routing[128].experts.dtype == np.int32 and routing[128].weights.dtype == np.float32
    assert not routing[128].experts.flags.writeable and not routing[128].weights.flags.writeable


def test_routing_crosses_the_wire_with_int_layers_and_weights_rounded_to_six_places():
    routing = rows_to_positions({0: layer([[1]], [[1 / 3]]), 7: layer([[2]], [[2 / 3]])}, first_pos=0, n_rows=1)[0]
    wire = routing.to_wire()
    assert wire == {"layers": [0, 7], "experts": [[1], [2]], "weights": [[0.333333], [0.666667]]}
    assert json.loads(json.dumps(wire)) == wire
    back = Routing.from_wire(wire)
    assert back.layers == (0, 7) and back.experts.tolist() == [[1], [2]]
    assert back.by_layer() == {0: [[1, 0.333333]], 7: [[2, 0.666667]]}
    token = protocol.Token(3, 42, "x", protocol.ANSWER, routing)
    assert protocol.decode_event(protocol.encode(token)) == protocol.Token(3, 42, "x", protocol.ANSWER, back)
    assert type(back.by_layer()[0][0][0]) is int and type(back.by_layer()[0][0][1]) is float


def test_rows_to_positions_keeps_scores_only_when_every_layer_has_them():
    scored = {
        0: LayerRouting(np.array([[1, 0]], dtype=np.int32), np.array([[0.6, 0.4]], dtype=np.float32),
                        np.array([[0.3, 0.5, 0.2]], dtype=np.float32)),
        4: LayerRouting(np.array([[2, 1]], dtype=np.int32), np.array([[0.7, 0.3]], dtype=np.float32),
                        np.array([[0.1, 0.2, 0.7]], dtype=np.float32)),
    }
    routing = rows_to_positions(scored, first_pos=9, n_rows=1)[9]
    np.testing.assert_allclose(routing.scores, [[0.3, 0.5, 0.2], [0.1, 0.2, 0.7]], rtol=1e-6)
    assert routing.scores_by_layer()[4] == pytest.approx([0.1, 0.2, 0.7]) and not routing.scores.flags.writeable
    scored[4].scores = None
    assert rows_to_positions(scored, first_pos=9, n_rows=1)[9].scores is None


def test_rows_to_positions_without_layers_gives_empty_routing_per_position():
    assert rows_to_positions({}, first_pos=5, n_rows=3) == {5: EMPTY_ROUTING, 6: EMPTY_ROUTING, 7: EMPTY_ROUTING}
    assert rows_to_positions({}, first_pos=5, n_rows=0) == {}
    assert not EMPTY_ROUTING and EMPTY_ROUTING.to_wire() is None and Routing.from_wire(None) is EMPTY_ROUTING


def test_rows_to_positions_refuses_rows_that_do_not_match_the_batch():
    layers = {0: layer([[1, 2], [2, 3]], [[0.5, 0.5]] * 2), 3: layer([[1, 2]], [[0.5, 0.5]])}
    with pytest.raises(RuntimeError, match="layer 3 delivered 1 routing rows for a batch of 2 tokens"):
        rows_to_positions(layers, first_pos=0, n_rows=2)


def test_rows_to_positions_refuses_layers_that_chose_different_numbers_of_experts():
    layers = {0: layer([[1, 2]], [[0.5, 0.5]]), 3: layer([[1]], [[1.0]])}
    with pytest.raises(RuntimeError, match="layer 3 chose 1 experts per token, layer 0 2"):
        rows_to_positions(layers, first_pos=0, n_rows=1)
