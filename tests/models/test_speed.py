"""The speed estimate: memory bandwidth measured quickly, and tokens/s from the active bytes per token."""

from __future__ import annotations

import dataclasses
import time

import pytest

from app.core.models import speed
from app.core.models.catalog import load_catalog
from app.core.models.demo import write_demo_model
from app.core.models.fit import GB, KVShape, detect_hardware, estimate_for_entry, estimate_for_file, estimate_memory, fit
from app.core.models.gguf import inspect_gguf
from app.core.models.speed import (
    EFFICIENCY,
    bytes_per_token,
    copy_bandwidth,
    estimate_tokens_per_s,
    measure_bandwidth,
    rounded_rate,
    tokens_per_s_for,
    words_per_s,
)

QWEN_KV = KVShape.grouped_query(48, 4, 128)


def test_tokens_per_s_is_efficiency_times_bandwidth_over_bytes():
    assert estimate_tokens_per_s(2 * GB, 40 * GB) == pytest.approx(EFFICIENCY * 20)
    assert estimate_tokens_per_s(1 * GB, 40 * GB, efficiency=1.0) == pytest.approx(40)
    with pytest.raises(ValueError):
        estimate_tokens_per_s(0, 40 * GB)
    with pytest.raises(ValueError):
        estimate_tokens_per_s(GB, 0)


def test_an_moe_of_30_b_with_3_b_active_runs_like_a_3_b_dense_model():
    bytes_per_param = 0.6  # about Q4_K_M
    moe = estimate_memory(int(30e9 * bytes_per_param), QWEN_KV, active_share=0.1)
    dense = estimate_memory(int(3e9 * bytes_per_param), QWEN_KV)
    big_dense = estimate_memory(int(30e9 * bytes_per_param), QWEN_KV)
    bandwidth = 50 * GB
    assert moe.total_bytes > 9 * dense.weights_bytes  # it needs the memory of all 30 B ...
    assert tokens_per_s_for(moe, bandwidth) == pytest.approx(tokens_per_s_for(dense, bandwidth), rel=0.01)
    assert tokens_per_s_for(moe, bandwidth) > 8 * tokens_per_s_for(big_dense, bandwidth)  # ... not their time


def test_bytes_per_token_are_the_active_weights_and_the_kv_cache_read_so_far():
    estimate = estimate_memory(10 * GB, QWEN_KV, n_ctx=4096, active_share=0.25)
    kv_per_token = QWEN_KV.elements_per_token * 2
    assert estimate.active_weights_bytes == 2.5 * GB
    assert bytes_per_token(estimate, filled_tokens=1000) == 2.5 * GB + 1000 * kv_per_token
    assert bytes_per_token(estimate, filled_tokens=10**6) == 2.5 * GB + 4096 * kv_per_token  # at most the context


def test_catalog_entries_read_their_active_share_of_the_file():
    entries = {entry.id: entry for entry in load_catalog()}
    qwen = entries["qwen3-30b-a3b-q4km"]
    estimate = estimate_for_entry(qwen)
    assert estimate.active_weights_bytes == pytest.approx(qwen.size_bytes * 3.3 / 30.5, rel=0.001)
    dense = entries["gemma-3-4b-it-q4km"]
    assert estimate_for_entry(dense).active_weights_bytes == dense.size_bytes
    # an MoE with 3.3 B active answers faster than a dense 4 B model of the same compression
    assert tokens_per_s_for(estimate, 50 * GB) > tokens_per_s_for(estimate_for_entry(dense), 50 * GB)


def test_a_local_moe_file_reads_its_active_share(tmp_path):
    path = write_demo_model(tmp_path / "moe.gguf", layers=2, experts=8, top_k=2, embd=64, ff=256)
    info = inspect_gguf(path)
    estimate = estimate_for_file(path)
    assert 0.2 < info.active_share < 0.5
    assert estimate.active_weights_bytes == pytest.approx(info.file_size * info.active_share, abs=1)


def test_no_estimate_without_a_bandwidth_or_a_model():
    estimate = estimate_memory(GB, QWEN_KV)
    assert tokens_per_s_for(estimate, None) is None
    assert tokens_per_s_for(None, 50 * GB) is None
    assert tokens_per_s_for(estimate, 50 * GB) > 0


@pytest.mark.parametrize(("rate", "shown"), [
    (0.3, 0), (0.7, 1), (1.4, 1), (7.6, 8), (12.4, 10), (13, 15), (57, 55), (99.9, 100), (123, 120),
])
def test_rates_are_rounded_as_far_as_an_estimate_can_be_trusted(rate, shown):
    assert rounded_rate(rate) == shown


def test_words_are_three_quarters_of_the_tokens():
    assert words_per_s(20) == pytest.approx(15)


def test_bandwidth_is_measured_quickly_and_once(monkeypatch):
    monkeypatch.setattr(speed, "_measured", None)
    started = time.perf_counter()
    bandwidth = measure_bandwidth()
    assert time.perf_counter() - started < 1.0
    assert 0.5 * GB < bandwidth < 10_000 * GB  # between an old netbook and far beyond any CPU today
    started = time.perf_counter()
    assert measure_bandwidth() == bandwidth  # cached: the same figure, at once
    assert time.perf_counter() - started < 0.01


def test_a_small_copy_measures_too():
    assert copy_bandwidth(size_bytes=8 * 1024 * 1024, threads=1, repeats=2) > 0


def test_the_fit_carries_the_measured_bandwidth(tmp_path):
    hardware = detect_hardware(tmp_path)
    assert hardware.memory_bandwidth == measure_bandwidth()
    verdict = fit(GB, hardware)
    assert verdict.memory_bandwidth == hardware.memory_bandwidth
    assert fit(GB, dataclasses.replace(hardware, memory_bandwidth=None)).memory_bandwidth is None
