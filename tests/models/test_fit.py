"""Hardware detection and the memory estimate: weights + KV cache for the context + runtime overhead."""

from __future__ import annotations

import math
import sys
from dataclasses import replace

import pytest

from app.core.models.catalog import load_catalog
from app.core.models.demo import write_demo_model
from app.core.models.gguf import GGUFError
from app.core.models.fit import (
    GB,
    RUNTIME_OVERHEAD_BYTES,
    RUNTIME_OVERHEAD_SHARE,
    Hardware,
    KVShape,
    detect_hardware,
    estimate_for_entry,
    estimate_for_file,
    estimate_memory,
    fit,
    format_size,
    free_disk_bytes,
    kv_shape_from_metadata,
    parse_system_info,
    weights_bytes_from_params,
)

X86 = ("CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 0 | "
       "LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 | ")
ARM = "Metal : EMBED_LIBRARY = 1 | CPU : NEON = 1 | ARM_FMA = 1 | FP16_VA = 1 | DOTPROD = 1 | ACCELERATE = 1 | "


def computer(total_gb: float, free_gb: float) -> Hardware:
    return Hardware(total_ram=int(total_gb * GB), available_ram=int(free_gb * GB), free_disk=None,
                    models_dir=None, cpu_threads=8, physical_cores=4, cpu_features=(), gpu_offload=False,
                    system_info="")


# --- The computer ----------------------------------------------------------------------------------------------


def test_parse_system_info():
    assert parse_system_info(X86) == ("SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "LLAMAFILE", "OPENMP",
                                      "REPACK")
    assert parse_system_info(ARM) == ("EMBED_LIBRARY", "NEON", "ARM_FMA", "FP16_VA", "DOTPROD", "ACCELERATE")
    assert parse_system_info("") == ()


def test_detect_hardware_measures_this_computer(tmp_path):
    hw = detect_hardware(tmp_path / "models" / "not-yet-created")
    assert hw.total_ram > 0 and 0 < hw.available_ram <= hw.total_ram
    assert hw.cpu_threads >= 1 and hw.free_disk is not None and hw.free_disk > 0
    assert hw.models_dir.endswith("not-yet-created")


def test_detect_hardware_reads_llama_cpp():
    pytest.importorskip("llama_cpp")
    hw = detect_hardware()
    assert isinstance(hw.gpu_offload, bool) and hw.system_info
    assert hw.cpu_features  # every llama.cpp build reports some
    assert hw.free_disk is None and hw.models_dir is None


def test_detect_hardware_without_llama_cpp(monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import fails as if not installed
    hw = detect_hardware()
    assert hw.gpu_offload is None and hw.cpu_features == () and hw.system_info == ""
    assert hw.total_ram > 0


def test_free_disk_of_an_unreadable_place(monkeypatch, tmp_path):
    def refuse(path):
        raise PermissionError(path)

    monkeypatch.setattr("shutil.disk_usage", refuse)
    assert free_disk_bytes(tmp_path) is None


# --- KV cache -----------------------------------------------------------------------------------------------------


def test_kv_shapes():
    # Qwen3-30B-A3B: 48 layers, 4 KV heads of 128 -> 48 * 4 * 256 elements per token.
    assert KVShape.grouped_query(48, 4, 128) == KVShape(49152, exact=True)
    assert KVShape.grouped_query(2, 1, 64, head_dim_v=32).elements_per_token == 192
    # DeepSeek-V2-Lite: a 512-wide latent key plus 64 RoPE dims, and a 512-wide value, in 27 layers.
    assert KVShape.latent(27, 512, 64).elements_per_token == 27 * (576 + 512)
    assert KVShape.generous(10, 1000) == KVShape(20000, exact=False)


def test_kv_shape_from_metadata():
    base = {"general.architecture": "llama", "llama.block_count": 4, "llama.embedding_length": 256,
            "llama.attention.head_count": 8}
    assert kv_shape_from_metadata(base) == KVShape(4 * 8 * 64, exact=True)  # no GQA: n_head_kv = n_head
    gqa = {**base, "llama.attention.head_count_kv": 2}
    assert kv_shape_from_metadata(gqa).elements_per_token == 4 * 2 * 64
    explicit = {**gqa, "llama.attention.key_length": 96, "llama.attention.value_length": 32}
    assert kv_shape_from_metadata(explicit).elements_per_token == 4 * 2 * (96 + 32)
    hybrid = {**base, "llama.attention.head_count_kv": [0, 2, 0, 2]}  # recurrent layers keep no KV
    assert kv_shape_from_metadata(hybrid).elements_per_token == 2 * 2 * 64
    assert kv_shape_from_metadata({}) is None
    assert kv_shape_from_metadata({**base, "llama.attention.head_count": 0}) is None
    assert kv_shape_from_metadata({**base, "llama.attention.head_count_kv": "x"}) is None


# --- Estimates ------------------------------------------------------------------------------------------------------


def test_estimate_memory_adds_weights_kv_and_overhead():
    kv = KVShape.grouped_query(48, 4, 128)
    est = estimate_memory(18_556_685_824, kv, n_ctx=8192)
    assert est.kv_bytes == 49152 * 8192 * 2
    assert est.overhead_bytes == RUNTIME_OVERHEAD_BYTES + math.ceil(18_556_685_824 * RUNTIME_OVERHEAD_SHARE)
    assert est.total_bytes == est.weights_bytes + est.kv_bytes + est.overhead_bytes
    assert estimate_memory(1000, kv, n_ctx=32768).kv_bytes == 4 * est.kv_bytes
    with pytest.raises(ValueError):
        estimate_memory(1000, kv, n_ctx=0)


@pytest.mark.parametrize("arch, kwargs, per_token", [
    ("qwen3moe", dict(layers=4, embd=128, heads=4, kv_heads=2), 4 * 2 * (32 + 32)),
    ("llama", dict(layers=3, embd=64, heads=4, kv_heads=4), 3 * 4 * (16 + 16)),
    # deepseek2: key = kv_lora_rank (4 * head_dim) + RoPE dims, value = kv_lora_rank, one KV head
    ("deepseek2", dict(layers=2, embd=64, heads=4, dense_leading=1), 2 * ((64 + 16) + 64)),
])
def test_estimate_for_a_local_file_reads_its_header(tmp_path, arch, kwargs, per_token):
    path = write_demo_model(tmp_path / f"{arch}.gguf", arch=arch, **kwargs)
    est = estimate_for_file(path, n_ctx=1000)
    assert est.kv_exact and est.kv_bytes == per_token * 1000 * 2
    assert est.weights_bytes == path.stat().st_size


def test_estimate_for_a_broken_file_says_why(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"nope")
    with pytest.raises(GGUFError):
        estimate_for_file(bad)


def test_estimate_for_a_multi_part_set_counts_every_part(tmp_path, monkeypatch):
    import app.core.models.gguf as gguf_info

    first = write_demo_model(tmp_path / "m-00001-of-00002.gguf", arch="llama")
    (tmp_path / "m-00002-of-00002.gguf").write_bytes(bytes(5000))
    header = gguf_info.read_metadata
    monkeypatch.setattr(gguf_info, "read_metadata", lambda path: {**header(path), "split.count": 2})
    assert estimate_for_file(first, n_ctx=100).weights_bytes == first.stat().st_size + 5000


def test_estimate_for_catalog_entries():
    entries = {e.id: e for e in load_catalog()}
    qwen = estimate_for_entry(entries["qwen3-30b-a3b-q4km"], 8192)
    assert qwen.kv_exact and qwen.weights_bytes == 18556685824
    assert qwen.kv_bytes == 48 * 4 * 256 * 8192 * 2
    assert 20 * GB < qwen.total_bytes < 22 * GB

    mixtral = entries["mixtral-8x7b-instruct-v0.1-q4km"]
    assert estimate_for_entry(mixtral).weights_bytes == mixtral.approx_size_bytes

    granite4 = estimate_for_entry(entries["granite-4.0-h-tiny-q4km"], 8192)
    assert not granite4.kv_exact and granite4.kv_bytes == 40 * 2 * 1536 * 8192 * 2

    unknown = replace(entries["gpt-oss-20b-q4km"], size_bytes=None, approx_size_bytes=None)
    assert estimate_for_entry(unknown).weights_bytes == weights_bytes_from_params(21_000_000_000, "Q4_K_M")
    nothing_known = replace(unknown, n_head_kv=None, head_dim=None, n_embd=None)
    assert not estimate_for_entry(nothing_known).kv_exact


def test_weights_from_params_err_on_the_large_side():
    # Qwen3-30B-A3B's real Q4_K_M file is 18.56 GB for 30.5 billion parameters.
    assert 18.56 * GB < weights_bytes_from_params(30_500_000_000, "Q4_K_M") < 20 * GB
    assert weights_bytes_from_params(1_000_000_000, "mystery") == weights_bytes_from_params(1_000_000_000, "F16")


# --- Fit --------------------------------------------------------------------------------------------------------------


def test_does_not_fit_says_what_it_needs_and_what_there_is():
    verdict = fit(21 * GB, computer(16, 12))
    assert verdict.level == "does_not_fit"
    assert verdict.reason_en == "needs about 21 GB, this computer has 16 GB"
    assert (verdict.required_bytes, verdict.total_ram, verdict.available_ram) == (21 * GB, 16 * GB, 12 * GB)
    assert verdict.usable_ram == 14 * GB


def test_tight_when_more_than_is_free_now_or_most_of_the_memory():
    busy = fit(10 * GB, computer(16, 8))
    assert busy.level == "tight" and "8 GB free now" in busy.reason_en and "close other programs" in busy.reason_en
    big = fit(13 * GB, computer(16, 15))
    assert big.level == "tight"


def test_fits():
    verdict = fit(5 * GB, computer(16, 12))
    assert verdict.level == "fits"
    assert verdict.reason_en == "needs about 5 GB, this computer has 16 GB (12 GB free now)"


def test_a_small_computer_keeps_two_gigabytes_for_the_system():
    assert fit(int(1.9 * GB), computer(4, 3.5)).level == "fits"
    assert fit(int(2.1 * GB), computer(4, 3.5)).level == "does_not_fit"


@pytest.mark.parametrize("n, text", [(820_000_000, "820 MB"), (4_680_000_000, "4.7 GB"),
                                     (21_400_000_000, "21 GB"), (0, "0 B"), (5 * GB, "5 GB"), (12_600_000, "13 MB")])
def test_format_size(n, text):
    assert format_size(n) == text


def test_does_not_fit_within_total_memory_says_what_the_system_keeps():
    verdict = fit(int(7 * GB), computer(8, 6))
    assert verdict.level == "does_not_fit"
    assert verdict.reason_en == (
        "needs about 7 GB; of this computer's 8 GB only about 6 GB are left for a model beside the "
        "operating system"
    )
