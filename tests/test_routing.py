"""The expert tap is correct: `moescope trace` agrees with an independent numpy computation.

Transparent demo models make every layer's router input depend only on the token, so
tests/routing_reference.py can compute from the file alone which experts llama.cpp must choose and
with what weight. The comparison covers prompt and answer tokens, every MoE layer including the last,
prompts longer than one micro-batch, dense leading layers, shared experts and the experts-per-token
override.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.core.demo_model import write_demo_model
from app.core.engine import BATCH
from routing_reference import expected_routing, min_routing_margin

WEIGHT_TOLERANCE = 2e-4


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


@pytest.mark.parametrize(
    "arch, options",
    [
        ("llama", {}),
        ("qwen3moe", {}),
        ("deepseek2", {"dense_leading": 1, "shared_experts": 1}),
    ],
)
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


def test_long_prompt_spans_several_micro_batches(tmp_path):
    model = write_demo_model(tmp_path / "moe.gguf", arch="qwen3moe", layers=3, experts=8, top_k=2,
                             transparent=True, seed=5)
    prompt = "Der Router wählt für jedes Token wenige Experten aus. " * 6
    records = run_trace(model, prompt, max_tokens=2)
    tokens = assert_matches_reference(model, records)
    assert sum(t["source"] == "prompt" for t in tokens) > 2 * BATCH


def test_experts_per_token_override(tmp_path):
    model = write_demo_model(tmp_path / "moe.gguf", arch="llama", layers=3, experts=8, top_k=2,
                             transparent=True, seed=4)
    records = run_trace(model, "Hallo", "--experts-per-token", 4, max_tokens=3)
    tokens = assert_matches_reference(model, records, k=4)
    assert all(len(experts) == 4 for t in tokens for experts in t["routing"].values())
    assert records[-1]["summary"]["model"]["n_experts_used"] == 4


def test_dense_model_has_no_routing_and_says_so(tmp_path):
    model = write_demo_model(tmp_path / "dense.gguf", arch="llama", layers=2, experts=0)
    records = run_trace(model, "Hallo", max_tokens=3)
    assert all(r["routing"] == {} for r in records[:-1])
    summary = records[-1]["summary"]
    assert summary["model"]["is_moe"] is False
    assert summary["routing"].startswith("none")


def test_routing_of_tokens_reused_from_the_kv_cache_is_kept(tmp_path):
    from app.core.trace import EngineSession

    model = write_demo_model(tmp_path / "moe.gguf", arch="qwen3moe", layers=3, transparent=True, seed=6)
    with EngineSession() as session:
        session.load(str(model))
        first = list(session.generate(prompt="Guten Morgen", max_tokens=3, temperature=0.0))
        second = list(session.generate(prompt="Guten Morgen, Köln", max_tokens=3, temperature=0.0))
    first_prompt = first[0]["tokens"]
    second_prompt = second[0]["tokens"]
    shared = len(first_prompt)
    assert [t["token"] for t in second_prompt[:shared]] == [t["token"] for t in first_prompt]
    assert [t["routing"] for t in second_prompt[:shared]] == [t["routing"] for t in first_prompt]
    records = second_prompt + [e for e in second if e["event"] == "token"]
    records.append({"summary": {"model": {"moe_layers": [0, 1, 2]}}})
    assert_matches_reference(model, records)
