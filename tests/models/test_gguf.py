"""inspect_gguf on small GGUF files written with gguf.GGUFWriter, valid and deliberately broken.

Parameter counts are worked out by hand from the numpy shapes written (numpy order, so
``(n_expert, n_ff, n_embd)`` for an expert stack); a tensor's element count is the product.
"""

from __future__ import annotations

import json
import os
import random
import struct
import zipfile
from pathlib import Path

import gguf
import numpy as np
import pytest

from app.core.models.gguf import (
    REASONS,
    GGUFError,
    ModelInfo,
    check_expert_override,
    format_info_json,
    inspect_gguf,
)

F16 = np.float16
F32 = np.float32


def write_gguf(path: Path, arch: str, tensors: dict[str, np.ndarray], *, ints: dict[str, int] | None = None,
               strings: dict[str, str] | None = None, file_type: int | None = None,
               extra=None, drop_keys: tuple[str, ...] = ()) -> Path:
    """A complete GGUF file. ``extra(writer)`` adds anything else; ``drop_keys`` removes keys the
    writer adds by itself (general.architecture), to build files that lack them."""
    writer = gguf.GGUFWriter(str(path), arch)
    for key, value in (ints or {}).items():
        writer.add_uint32(key, value)
    for key, value in (strings or {}).items():
        writer.add_string(key, value)
    if file_type is not None:
        writer.add_file_type(file_type)
    if extra is not None:
        extra(writer)
    for key in drop_keys:
        del writer.kv_data[0][key]
    for name, array in tensors.items():
        writer.add_tensor(name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def zeros(*shape: int, dtype=F16) -> np.ndarray:
    return np.zeros(shape, dtype=dtype)


def embeddings(n_vocab: int = 32, n_embd: int = 8) -> dict[str, np.ndarray]:
    # 256 + 8 + 256 = 520 elements
    return {
        "token_embd.weight": zeros(n_vocab, n_embd),
        "output_norm.weight": zeros(n_embd, dtype=F32),
        "output.weight": zeros(n_vocab, n_embd),
    }


# --- Valid files ---------------------------------------------------------------------------------


def dense_llama(path: Path) -> Path:
    tensors = embeddings()
    for i in range(2):
        tensors |= {
            f"blk.{i}.attn_norm.weight": zeros(8, dtype=F32),   # 8
            f"blk.{i}.attn_q.weight": zeros(8, 8),              # 64
            f"blk.{i}.attn_k.weight": zeros(4, 8),              # 32
            f"blk.{i}.attn_v.weight": zeros(4, 8),              # 32
            f"blk.{i}.attn_output.weight": zeros(8, 8),         # 64
            f"blk.{i}.ffn_norm.weight": zeros(8, dtype=F32),    # 8
            f"blk.{i}.ffn_gate.weight": zeros(16, 8),           # 128
            f"blk.{i}.ffn_up.weight": zeros(16, 8),             # 128
            f"blk.{i}.ffn_down.weight": zeros(8, 16),           # 128
        }
    return write_gguf(
        path, "llama", tensors,
        ints={"llama.block_count": 2, "llama.embedding_length": 8, "llama.context_length": 2048},
        strings={"general.name": "Tiny Llama", "general.size_label": "2K",
                 "tokenizer.chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}"},
        file_type=gguf.LlamaFileType.MOSTLY_F16,
    )


def qwen3moe(path: Path, n_used: int = 2, *, ints: dict[str, int] | None = None,
             drop_keys: tuple[str, ...] = ()) -> Path:
    """2 layers, 4 experts, top-``n_used``; also carries a small vocabulary (a string array)."""
    tensors = embeddings()
    for i in range(2):
        tensors |= {
            f"blk.{i}.attn_norm.weight": zeros(8, dtype=F32),   # 8
            f"blk.{i}.attn_q.weight": zeros(8, 8),              # 64
            f"blk.{i}.attn_k.weight": zeros(4, 8),              # 32
            f"blk.{i}.attn_v.weight": zeros(4, 8),              # 32
            f"blk.{i}.attn_output.weight": zeros(8, 8),         # 64
            f"blk.{i}.ffn_norm.weight": zeros(8, dtype=F32),    # 8
            f"blk.{i}.ffn_gate_inp.weight": zeros(4, 8, dtype=F32),  # 32
            f"blk.{i}.ffn_gate_exps.weight": zeros(4, 16, 8),   # 512
            f"blk.{i}.ffn_up_exps.weight": zeros(4, 16, 8),     # 512
            f"blk.{i}.ffn_down_exps.weight": zeros(4, 8, 16, dtype=F32),  # 512
        }
    header = {"qwen3moe.block_count": 2, "qwen3moe.embedding_length": 8, "qwen3moe.context_length": 4096,
              "qwen3moe.expert_count": 4, "qwen3moe.expert_used_count": n_used}
    header |= ints or {}
    return write_gguf(
        path, "qwen3moe", tensors, ints=header,
        strings={"general.name": "Tiny MoE", "general.size_label": "4x16"},
        file_type=gguf.LlamaFileType.MOSTLY_Q4_K_M,
        extra=lambda w: w.add_token_list([f"tok{i}" for i in range(256)]),
        drop_keys=drop_keys,
    )


def deepseek2(path: Path, shared_count: int | None) -> Path:
    """3 layers: layer 0 dense, layers 1-2 with 8 routed experts (top-2) and shared-expert tensors."""
    tensors = embeddings()
    tensors |= {
        "blk.0.attn_norm.weight": zeros(8, dtype=F32),   # 8
        "blk.0.attn_q.weight": zeros(8, 8),              # 64
        "blk.0.attn_output.weight": zeros(8, 8),         # 64
        "blk.0.ffn_norm.weight": zeros(8, dtype=F32),    # 8
        "blk.0.ffn_gate.weight": zeros(16, 8),           # 128
        "blk.0.ffn_up.weight": zeros(16, 8),             # 128
        "blk.0.ffn_down.weight": zeros(8, 16),           # 128
    }
    for i in (1, 2):
        tensors |= {
            f"blk.{i}.attn_norm.weight": zeros(8, dtype=F32),   # 8
            f"blk.{i}.attn_q.weight": zeros(8, 8),              # 64
            f"blk.{i}.attn_output.weight": zeros(8, 8),         # 64
            f"blk.{i}.ffn_norm.weight": zeros(8, dtype=F32),    # 8
            f"blk.{i}.ffn_gate_inp.weight": zeros(8, 8, dtype=F32),  # 64
            f"blk.{i}.ffn_gate_exps.weight": zeros(8, 4, 8),    # 256
            f"blk.{i}.ffn_up_exps.weight": zeros(8, 4, 8),      # 256
            f"blk.{i}.ffn_down_exps.weight": zeros(8, 8, 4),    # 256
            f"blk.{i}.ffn_gate_shexp.weight": zeros(8, 8),      # 64
            f"blk.{i}.ffn_up_shexp.weight": zeros(8, 8),        # 64
            f"blk.{i}.ffn_down_shexp.weight": zeros(8, 8),      # 64
        }
    header = {"deepseek2.block_count": 3, "deepseek2.embedding_length": 8, "deepseek2.context_length": 163840,
              "deepseek2.expert_count": 8, "deepseek2.expert_used_count": 2,
              "deepseek2.leading_dense_block_count": 1}
    if shared_count is not None:
        header["deepseek2.expert_shared_count"] = shared_count
    return write_gguf(path, "deepseek2", tensors, ints=header)


def test_dense_model(tmp_path):
    path = dense_llama(tmp_path / "tiny-llama.gguf")
    info = inspect_gguf(path)

    per_layer = 8 + 64 + 32 + 32 + 64 + 8 + 3 * 128
    total = 256 + 8 + 256 + 2 * per_layer
    assert info == ModelInfo(
        path=str(path.absolute()),
        file_size=path.stat().st_size,
        architecture="llama",
        name="Tiny Llama",
        size_label="2K",
        quantization="F16",
        n_layers=2,
        n_embd=8,
        context_length=2048,
        n_experts=0,
        n_experts_used=0,
        n_dense_leading=0,
        n_shared_experts=0,
        moe_layers=[],
        has_chat_template=True,
        total_params=total,
        active_params=total,
    )
    assert total == 1704
    assert not info.is_moe
    assert info.active_share == 1.0


def test_moe_model(tmp_path):
    path = qwen3moe(tmp_path / "tiny-moe.gguf")
    info = inspect_gguf(path)

    experts_per_layer = 3 * 4 * 16 * 8                       # gate, up, down stacks of 4 experts
    per_layer = 8 + 64 + 32 + 32 + 64 + 8 + 32 + experts_per_layer
    total = 256 + 8 + 256 + 2 * per_layer
    idle_per_layer = experts_per_layer * (4 - 2) // 4        # 2 of 4 experts do not run
    assert info == ModelInfo(
        path=str(path.absolute()),
        file_size=path.stat().st_size,
        architecture="qwen3moe",
        name="Tiny MoE",
        size_label="4x16",
        quantization="Q4_K_M",
        n_layers=2,
        n_embd=8,
        context_length=4096,
        n_experts=4,
        n_experts_used=2,
        n_dense_leading=0,
        n_shared_experts=0,
        moe_layers=[0, 1],
        has_chat_template=False,
        total_params=total,
        active_params=total - 2 * idle_per_layer,
        gating="softmax",
    )
    assert (total, info.active_params) == (4072, 2536)
    assert info.is_moe


@pytest.mark.parametrize(("shared_count", "expected_shared"), [(2, 2), (None, 1)],
                         ids=["count-in-header", "count-from-shexp-tensors"])
def test_moe_with_leading_dense_layer_and_shared_experts(tmp_path, shared_count, expected_shared):
    path = deepseek2(tmp_path / "tiny-deepseek.gguf", shared_count)
    info = inspect_gguf(path)

    dense_layer = 8 + 64 + 64 + 8 + 3 * 128
    routed = 3 * 8 * 4 * 8
    moe_layer = 8 + 64 + 64 + 8 + 64 + routed + 3 * 64
    total = 520 + dense_layer + 2 * moe_layer
    assert info.architecture == "deepseek2"
    assert info.name == "tiny-deepseek"               # no general.name: the file name without .gguf
    assert info.size_label == ""
    assert info.quantization == "F16"                 # no general.file_type: most bytes of matrices
    assert (info.n_layers, info.n_embd, info.context_length) == (3, 8, 163840)
    assert (info.n_experts, info.n_experts_used) == (8, 2)
    assert info.n_dense_leading == 1
    assert info.n_shared_experts == expected_shared
    assert info.moe_layers == [1, 2]
    assert info.has_chat_template is False
    assert info.total_params == total == 3384
    assert info.active_params == total - 2 * (routed * 6 // 8) == 2232


def test_expert_count_per_layer_and_fused_gate_up(tmp_path):
    tensors = {"token_embd.weight": zeros(32, 8)}                       # 256
    for i in range(2):
        tensors |= {
            f"blk.{i}.ffn_gate_inp.weight": zeros(4, 8, dtype=F32),      # 32
            f"blk.{i}.ffn_gate_up_exps.weight": zeros(4, 32, 8),         # 1024
            f"blk.{i}.ffn_down_exps.weight": zeros(4, 8, 16),            # 512
        }
    path = write_gguf(
        tmp_path / "per-layer.gguf", "llama", tensors,
        ints={"llama.block_count": 2, "llama.embedding_length": 8, "llama.context_length": 512,
              "llama.expert_count": 4},
        extra=lambda w: w.add_array("llama.expert_used_count", [1, 3]),
    )
    info = inspect_gguf(path)

    experts = 1024 + 512
    assert info.n_experts_used == 3
    assert info.total_params == 256 + 2 * (32 + experts) == 3392
    assert info.active_params == info.total_params - experts * 3 // 4 - experts * 1 // 4 == 1856


def test_quantization_from_matrices_when_file_type_is_absent(tmp_path):
    def extra(writer):
        # 4 rows of 64 Q8_0 values: 2 blocks of 34 bytes per row, 272 bytes in all.
        writer.add_tensor("token_embd.weight", np.zeros((4, 68), dtype=np.uint8),
                          raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor("output_norm.weight", zeros(64, dtype=F32))       # 256 bytes, but 1-D
        writer.add_tensor("blk.0.attn_q.weight", zeros(4, 4, dtype=F32))    # 64 bytes

    path = write_gguf(tmp_path / "quant.gguf", "llama", {},
                      ints={"llama.block_count": 1, "llama.embedding_length": 64, "llama.context_length": 64},
                      extra=extra)
    info = inspect_gguf(path)
    assert info.quantization == "Q8_0"
    assert info.total_params == 4 * 64 + 64 + 16


@pytest.mark.parametrize(("file_type", "expected"), [
    (gguf.LlamaFileType.ALL_F32, "F32"),
    (gguf.LlamaFileType.MOSTLY_F16, "F16"),
    (gguf.LlamaFileType.MOSTLY_Q4_K_M, "Q4_K_M"),
    (gguf.LlamaFileType.MOSTLY_MXFP4_MOE, "MXFP4_MOE"),
    (9999, "F16"),                                   # unknown: falls back to the tensors' type
])
def test_quantization_from_file_type(tmp_path, file_type, expected):
    path = write_gguf(tmp_path / "ft.gguf", "llama", {"token_embd.weight": zeros(4, 8)},
                      ints={"llama.block_count": 1, "llama.embedding_length": 8, "llama.context_length": 8},
                      file_type=file_type)
    assert inspect_gguf(path).quantization == expected


def test_long_chat_template_counts_as_present(tmp_path):
    """Values over the kept-size limit are stepped over but still known to be there."""
    path = write_gguf(tmp_path / "long-template.gguf", "llama", {"token_embd.weight": zeros(4, 8)},
                      ints={"llama.block_count": 1, "llama.embedding_length": 8, "llama.context_length": 8},
                      strings={"tokenizer.chat_template": "{{ x }}" * 20_000, "general.name": "Long"})
    info = inspect_gguf(path)
    assert info.has_chat_template is True
    assert info.name == "Long"


class ReadWatch:
    """An open file that notes how far into the file its reads have reached (seeks do not count)."""

    def __init__(self, file) -> None:
        self._file = file
        self.furthest = 0

    def read(self, n: int = -1) -> bytes:
        data = self._file.read(n)
        self.furthest = max(self.furthest, self._file.tell())
        return data

    def __getattr__(self, name: str):
        return getattr(self._file, name)

    def __enter__(self) -> "ReadWatch":
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def test_big_file_reads_header_only(tmp_path, monkeypatch):
    """A 4 GiB tensor (a sparse file) and a 150 000-token vocabulary: the header is all that is read."""
    path = tmp_path / "big.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_uint32("llama.block_count", 1)
    writer.add_uint32("llama.embedding_length", 65536)
    writer.add_uint32("llama.context_length", 8192)
    writer.add_token_list([f"token-{i}" for i in range(150_000)])
    writer.add_token_scores([0.0] * 150_000)
    n_elements = 32768 * 65536
    writer.add_tensor_info("token_embd.weight", (32768, 65536), np.dtype(F16), n_elements * 2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()
    with path.open("r+b") as fh:
        header_end = fh.seek(0, os.SEEK_END)
        fh.truncate(-(-header_end // 32) * 32 + n_elements * 2)
    watches = []
    real_open = Path.open

    def watched_open(self, *args, **kwargs):
        watches.append(ReadWatch(real_open(self, *args, **kwargs)))
        return watches[-1]

    monkeypatch.setattr(Path, "open", watched_open)
    info = inspect_gguf(path)

    assert info.total_params == n_elements
    assert info.file_size > 4 * 2**30
    assert len(watches) == 1 and 0 < watches[0].furthest <= header_end


# --- Broken files --------------------------------------------------------------------------------


def put(blob: bytes, offset: int, fmt: str, value) -> bytes:
    packed = struct.pack(fmt, value)
    return blob[:offset] + packed + blob[offset + len(packed):]


class Layout:
    """Where things are in the qwen3moe test file, for patching it."""

    def __init__(self, path: Path) -> None:
        self.blob = path.read_bytes()
        reader = gguf.GGUFReader(path)
        self.data_start = reader.data_offset
        self.data_end = max(t.data_offset + t.n_bytes for t in reader.tensors)
        # The writer puts general.architecture first: [len][key][type][len][value].
        self.first_key = 24
        self.first_value_type = 24 + 8 + len(b"general.architecture")
        tokens_key = b"tokenizer.ggml.tokens"
        self.tokens_item_type = self.blob.index(tokens_key) + len(tokens_key) + 4
        first_name = b"token_embd.weight"
        self.tensor_table = self.blob.index(struct.pack("<Q", len(first_name)) + first_name)
        self.first_n_dims = self.tensor_table + 8 + len(first_name)
        self.first_type = self.first_n_dims + 4 + 2 * 8
        self.first_offset = self.first_type + 4


def patched(edit):
    """A case that rewrites bytes of the valid MoE file: edit(blob, layout) -> bytes."""
    def build(tmp_path: Path) -> Path:
        path = qwen3moe(tmp_path / "broken.gguf")
        path.write_bytes(edit(path.read_bytes(), Layout(path)))
        return path
    return build


def raw(data: bytes):
    def build(tmp_path: Path) -> Path:
        path = tmp_path / "broken.gguf"
        path.write_bytes(data)
        return path
    return build


def moe_with(**kwargs):
    return lambda tmp_path: qwen3moe(tmp_path / "broken.gguf", **kwargs)


def zip_file(tmp_path: Path) -> Path:
    path = tmp_path / "broken.gguf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.txt", "not a model " * 100)
    return path


def tensor_name_too_long(tmp_path: Path) -> Path:
    return write_gguf(tmp_path / "broken.gguf", "llama", {"x" * 70: zeros(4)},
                      ints={"llama.block_count": 1, "llama.embedding_length": 4, "llama.context_length": 4})


def dense_with_experts_used(tmp_path: Path) -> Path:
    return write_gguf(tmp_path / "broken.gguf", "llama", {"token_embd.weight": zeros(4, 8)},
                      ints={"llama.block_count": 1, "llama.embedding_length": 8, "llama.context_length": 8,
                            "llama.expert_used_count": 2})


def bad_alignment(tmp_path: Path) -> Path:
    return write_gguf(tmp_path / "broken.gguf", "llama", {},
                      ints={"general.alignment": 24, "llama.block_count": 1, "llama.embedding_length": 8,
                            "llama.context_length": 8})


def folder(tmp_path: Path) -> Path:
    path = tmp_path / "broken.gguf"
    path.mkdir()
    return path


TRUNCATED = "is truncated or damaged"
NOT_GGUF = "is not a GGUF model file"

# id -> (build(tmp_path) -> path, a fragment of the message that proves the intended check fired)
BROKEN = {
    "empty": (raw(b""), "is empty"),
    "three-bytes": (raw(b"GGU"), NOT_GGUF),
    "truncated-in-header": (patched(lambda b, at: b[:12]), "the header runs past"),
    "truncated-before-metadata": (patched(lambda b, at: b[:at.first_key + 40]), "metadata entries"),
    "truncated-in-vocabulary": (
        patched(lambda b, at: b[:at.tokens_item_type + 12 + 2100]), "the metadata runs past"),
    "truncated-in-tensor-table": (
        patched(lambda b, at: b[:at.tensor_table + 10]), "the tensor table runs past"),
    "truncated-before-data": (patched(lambda b, at: b[:at.data_start]), "data of tensor 'token_embd.weight'"),
    "truncated-in-first-tensor": (
        patched(lambda b, at: b[:at.data_start + 10]), "'token_embd.weight' runs past"),
    "truncated-in-last-tensor": (
        patched(lambda b, at: b[:at.data_end - 1]), "'blk.1.ffn_down_exps.weight' runs"),
    "random-bytes": (raw(random.Random(1).randbytes(4096)), NOT_GGUF),
    "magic-then-random-bytes": (raw(b"GGUF" + random.Random(2).randbytes(4092)), "GGUF version"),
    "wrong-magic": (patched(lambda b, at: b"GGML" + b[4:]), NOT_GGUF),
    "version-1": (patched(lambda b, at: put(b, 4, "<I", 1)), "GGUF version 1,"),
    "version-99": (patched(lambda b, at: put(b, 4, "<I", 99)), "GGUF version 99,"),
    "big-endian": (patched(lambda b, at: put(b, 4, ">I", 3)), "big-endian"),
    "absurd-tensor-count": (patched(lambda b, at: put(b, 8, "<Q", 2**60)), f"{2**60} tensors"),
    "absurd-metadata-count": (patched(lambda b, at: put(b, 16, "<Q", 2**60)), f"{2**60} metadata entries"),
    "absurd-string-length": (
        patched(lambda b, at: put(b, at.first_key, "<Q", 2**40)), "the metadata runs past"),
    "absurd-array-length": (patched(lambda b, at: put(b, at.tokens_item_type + 4, "<Q", 2**40)),
                            f"lists {2**40} items"),
    "nested-array": (patched(lambda b, at: put(b, at.tokens_item_type, "<I", 9)), "nested array"),
    "unknown-value-type": (
        patched(lambda b, at: put(b, at.first_value_type, "<I", 99)), "unknown value type"),
    "unknown-tensor-type": (patched(lambda b, at: put(b, at.first_type, "<I", 4)), "unknown data type (4)"),
    "too-many-dimensions": (patched(lambda b, at: put(b, at.first_n_dims, "<I", 5)), "5 dimensions"),
    "misaligned-tensor": (patched(lambda b, at: put(b, at.first_offset, "<Q", 8)), "not aligned to 32 bytes"),
    "tensor-beyond-end": (patched(lambda b, at: put(b, at.first_offset, "<Q", 2**40)), TRUNCATED),
    "tensor-name-too-long": (tensor_name_too_long, "tensor name longer"),
    "bad-alignment": (bad_alignment, "general.alignment of 24"),
    "text-file": (raw(b"This is a text file, not a model.\n" * 50), NOT_GGUF),
    "zip-file": (zip_file, NOT_GGUF),
    "experts-used-above-count": (moe_with(n_used=5), "asks for 5 experts per token but has only 4"),
    "experts-used-zero": (moe_with(n_used=0), "does not say how many to use"),
    "experts-used-without-experts": (dense_with_experts_used, "has no experts"),
    "too-many-experts": (moe_with(ints={"qwen3moe.expert_count": 2000}), "2000 experts"),
    "expert-groups-not-fewer-than-experts": (
        moe_with(ints={"qwen3moe.expert_group_count": 4}), "4 expert groups"),
    "block-count-0": (moe_with(ints={"qwen3moe.block_count": 0}), "has 0 layers"),
    "block-count-600": (moe_with(ints={"qwen3moe.block_count": 600}), "has 600 layers"),
    "nextn-layers-above-block-count": (
        moe_with(ints={"qwen3moe.nextn_predict_layers": 3}), "prediction layers"),
    "no-block-count": (moe_with(drop_keys=("qwen3moe.block_count",)), "does not give qwen3moe.block_count"),
    "no-architecture": (moe_with(drop_keys=("general.architecture",)), "general.architecture"),
    "missing-file": (lambda tmp_path: tmp_path / "broken.gguf", "does not exist"),
    "folder": (folder, "is a folder"),
}


@pytest.mark.parametrize(("build", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_file_is_refused_with_its_name(tmp_path, build, expected):
    path = build(tmp_path)
    with pytest.raises(GGUFError) as caught:
        inspect_gguf(path)
    message = str(caught.value)
    assert message.startswith("broken.gguf ")
    assert expected in message
    assert message.endswith(".") and "\n" not in message


# id in BROKEN -> (GGUFError.reason, items its details must have)
BROKEN_REASONS = {
    "empty": ("empty", {}),
    "three-bytes": ("not_gguf", {}),
    "truncated-in-header": ("truncated", {"section": "the header"}),
    "truncated-before-metadata": ("truncated", {}),
    "truncated-in-vocabulary": ("truncated", {"section": "the metadata"}),
    "truncated-in-tensor-table": ("truncated", {"section": "the tensor table"}),
    "truncated-before-data": ("truncated", {"tensor": "token_embd.weight"}),
    "truncated-in-first-tensor": ("truncated", {"tensor": "token_embd.weight"}),
    "truncated-in-last-tensor": ("truncated", {"tensor": "blk.1.ffn_down_exps.weight"}),
    "random-bytes": ("not_gguf", {}),
    "magic-then-random-bytes": ("bad_version", {}),
    "wrong-magic": ("not_gguf", {}),
    "version-1": ("bad_version", {"version": 1}),
    "version-99": ("bad_version", {"version": 99}),
    "big-endian": ("big_endian", {}),
    "absurd-tensor-count": ("truncated", {"n_tensors": 2**60}),
    "absurd-metadata-count": ("truncated", {"n_kv": 2**60}),
    "absurd-string-length": ("truncated", {"section": "the metadata"}),
    "absurd-array-length": ("truncated", {"key": "tokenizer.ggml.tokens", "count": 2**40}),
    "nested-array": ("corrupt", {"key": "tokenizer.ggml.tokens"}),
    "unknown-value-type": ("corrupt", {"key": "general.architecture"}),
    "unknown-tensor-type": ("unknown_data_type", {"tensor": "token_embd.weight", "type_code": 4}),
    "too-many-dimensions": ("corrupt", {"tensor": "token_embd.weight"}),
    "misaligned-tensor": ("corrupt", {"tensor": "token_embd.weight"}),
    "tensor-beyond-end": ("truncated", {"tensor": "token_embd.weight"}),
    "tensor-name-too-long": ("corrupt", {}),
    "bad-alignment": ("bad_setting", {"key": "general.alignment", "value": 24}),
    "text-file": ("not_gguf", {}),
    "zip-file": ("not_gguf", {}),
    "experts-used-above-count": ("too_many_experts_per_token", {"k": 5, "n": 4}),
    "experts-used-zero": ("bad_setting", {"key": "qwen3moe.expert_used_count", "value": 0}),
    "experts-used-without-experts": ("bad_setting", {"key": "llama.expert_used_count", "value": 2}),
    "too-many-experts": ("bad_setting", {"key": "qwen3moe.expert_count", "value": 2000}),
    "expert-groups-not-fewer-than-experts": ("bad_setting", {"key": "qwen3moe.expert_group_count"}),
    "block-count-0": ("bad_setting", {"key": "qwen3moe.block_count", "value": 0}),
    "block-count-600": ("bad_setting", {"key": "qwen3moe.block_count", "value": 600}),
    "nextn-layers-above-block-count": ("bad_setting", {"key": "qwen3moe.nextn_predict_layers", "value": 3}),
    "no-block-count": ("missing_setting", {"key": "qwen3moe.block_count"}),
    "no-architecture": ("missing_setting", {"key": "general.architecture"}),
    "missing-file": ("missing_file", {}),
    "folder": ("is_folder", {}),
}


def test_every_broken_case_has_an_expected_reason():
    assert BROKEN_REASONS.keys() == BROKEN.keys()


@pytest.mark.parametrize(("build", "reason", "details"),
                         [(BROKEN[case][0], *BROKEN_REASONS[case]) for case in BROKEN], ids=BROKEN.keys())
def test_broken_file_is_refused_with_its_reason(tmp_path, build, reason, details):
    path = build(tmp_path)
    with pytest.raises(GGUFError) as caught:
        inspect_gguf(path)
    assert caught.value.reason == reason
    assert caught.value.details.items() >= details.items()


def test_file_system_refusals_have_their_reasons(tmp_path, monkeypatch):
    path = dense_llama(tmp_path / "model.gguf")
    with pytest.raises(GGUFError) as caught:
        inspect_gguf(tmp_path / "gone.gguf")
    assert (caught.value.reason, caught.value.details) == ("missing_file", {"folder": str(tmp_path)})

    def refuse(error):
        def open_(*args, **kwargs):
            raise error
        return open_

    monkeypatch.setattr(Path, "open", refuse(PermissionError(13, "Permission denied")))
    with pytest.raises(GGUFError) as caught:
        inspect_gguf(path)
    assert (caught.value.reason, caught.value.details) == ("permission", {})

    monkeypatch.setattr(Path, "open", refuse(OSError(5, "Input/output error")))
    with pytest.raises(GGUFError) as caught:
        inspect_gguf(path)
    assert (caught.value.reason, caught.value.details) == ("unreadable", {"error": "Input/output error"})
    assert str(caught.value) == "model.gguf cannot be read (Input/output error)."


def test_reasons_lists_every_reason_the_checks_give(tmp_path):
    """REASONS lists what the checks give: the malformed files, the file system, the override and an embedding
    model loaded to answer."""
    moe = inspect_gguf(qwen3moe(tmp_path / "tiny-moe.gguf"))
    with pytest.raises(GGUFError) as caught:
        check_expert_override(moe, 5)
    assert (caught.value.reason, caught.value.details) == ("bad_expert_override", {"k": 5, "n": 4})
    dense = inspect_gguf(dense_llama(tmp_path / "tiny-llama.gguf"))
    with pytest.raises(GGUFError) as caught:
        check_expert_override(dense, 1)
    assert (caught.value.reason, caught.value.details) == ("bad_expert_override", {"k": 1, "n": 0})

    from app.core.engine.embedding import refuse_for_answers
    from app.core.models.demo_embedding import write_embedding_model

    refuse_for_answers(dense)  # a model that writes text may answer
    with pytest.raises(GGUFError) as caught:
        refuse_for_answers(inspect_gguf(write_embedding_model(tmp_path / "embedding.gguf")))
    assert (caught.value.reason, caught.value.details) == ("embedding_model", {"architecture": "bert"})

    found = {reason for reason, _ in BROKEN_REASONS.values()}
    assert found | {"permission", "unreadable", "bad_expert_override", "embedding_model"} == set(REASONS)




def test_unreadable_file(tmp_path, monkeypatch):
    path = dense_llama(tmp_path / "locked.gguf")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)      # mode bits do not stop root, so fake the refusal
    with pytest.raises(GGUFError, match=r"^locked\.gguf cannot be opened: permission denied\.$"):
        inspect_gguf(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    path = tmp_path / "pipe.gguf"
    os.mkfifo(path)
    with pytest.raises(GGUFError, match=r"^pipe\.gguf is not a regular file"):
        inspect_gguf(path)


def test_flipped_bytes_never_escape_as_other_errors(tmp_path):
    """Flipping any one byte of the header or tables gives a ModelInfo or a one-line GGUFError.

    The positions are drawn from before the tensor data: a flipped weight changes nothing read here.
    """
    valid = qwen3moe(tmp_path / "valid.gguf")
    blob = valid.read_bytes()
    data_start = Layout(valid).data_start
    rng = random.Random(1234)
    path = tmp_path / "flipped.gguf"
    escaped = []
    for _ in range(200):
        position = rng.randrange(data_start)
        flipped = bytearray(blob)
        flipped[position] ^= rng.randrange(1, 256)
        path.write_bytes(flipped)
        try:
            inspect_gguf(path)
        except GGUFError as exc:
            if "\n" in str(exc) or "flipped.gguf" not in str(exc):
                escaped.append(f"byte {position}: unclear message {str(exc)!r}")
        except Exception as exc:  # noqa: BLE001 - the point is to catch anything else
            escaped.append(f"byte {position}: {exc!r}")
    assert not escaped


# --- Expert override and JSON --------------------------------------------------------------------


def test_expert_override(tmp_path):
    moe = inspect_gguf(qwen3moe(tmp_path / "tiny-moe.gguf"))
    for k in (1, 2, 4):
        check_expert_override(moe, k)
    for k in (0, 5, -1, True):
        with pytest.raises(GGUFError, match="tiny-moe.gguf"):
            check_expert_override(moe, k)

    dense = inspect_gguf(dense_llama(tmp_path / "tiny-llama.gguf"))
    with pytest.raises(GGUFError, match="tiny-llama.gguf is a dense model"):
        check_expert_override(dense, 1)


def test_format_info_json(tmp_path):
    info = inspect_gguf(qwen3moe(tmp_path / "tiny-moe.gguf"))
    text = format_info_json(info)
    data = json.loads(text)
    assert data == info.to_dict()
    assert data["is_moe"] is True
    assert text.startswith('{\n  "path"')
    assert ModelInfo.from_dict(data) == info


# --- Recommended sampling settings -----------------------------------------------------------------


def test_sampling_settings_the_file_recommends(tmp_path):
    from app.core.models.demo import write_demo_model

    path = write_demo_model(tmp_path / "sampling.gguf", layers=1, sampling={
        "temperature": 0.6, "top_p": 0.95, "top_k": 20, "min_p": 0.0, "repeat_penalty": 1.05})
    info = inspect_gguf(path)
    assert info.sampling == {"temperature": 0.6, "top_p": 0.95, "top_k": 20, "min_p": 0.0, "repeat_penalty": 1.05}
    assert ModelInfo.from_dict(json.loads(format_info_json(info))) == info
    assert inspect_gguf(write_demo_model(tmp_path / "none.gguf", layers=1)).sampling == {}


def test_sampling_settings_out_of_range_or_of_the_wrong_kind_are_ignored(tmp_path):
    from app.core.models.demo import write_demo_model
    from gguf_edit import rewrite_gguf

    source = write_demo_model(tmp_path / "source.gguf", layers=1, sampling={
        "temperature": 0.6, "top_p": 0.9, "top_k": 20, "min_p": 0.1, "repeat_penalty": 1.1})
    rewrite_gguf(source, tmp_path / "odd.gguf", {
        "general.sampling.temp": float("nan"), "general.sampling.top_p": 1.5, "general.sampling.top_k": -3,
        "general.sampling.penalty_repeat": float("inf")})
    assert inspect_gguf(tmp_path / "odd.gguf").sampling == {"min_p": 0.1}


# --- the router's gating and the experts-per-token override (app.core.models.moe_rules) -------------------


@pytest.mark.parametrize("arch, options, gating", [
    ("llama", {}, "softmax"),
    ("qwen3moe", {}, "softmax"),
    ("deepseek2", {"dense_leading": 1, "shared_experts": 1}, "sigmoid"),  # expert_gating_func = 2 in the file
    ("llama", {"experts": 0}, ""),
])
def test_model_info_says_how_the_router_scores_experts(tmp_path, arch, options, gating):
    from app.core.models.demo import write_demo_model

    info = inspect_gguf(write_demo_model(tmp_path / "m.gguf", arch=arch, layers=2, **options))
    assert info.gating == gating
    assert ModelInfo.from_dict({key: value for key, value in info.to_dict().items() if key != "gating"}).gating == ""


def test_gating_follows_the_file_only_where_llama_cpp_reads_it():
    from app.core.models.moe_rules import GATING_LOGITS, GATING_SIGMOID, GATING_SOFTMAX, GATING_SQRT_SOFTPLUS, gating

    assert gating("deepseek2", 2) == gating("glm4moe", None) == gating("llama4", 1) == GATING_SIGMOID
    assert gating("deepseek2", None) == gating("qwen3moe", 2) == gating("mixtral-like-unknown") == GATING_SOFTMAX
    assert gating("deepseek2", None, n_layers=47, n_vocab=154880) == GATING_SIGMOID  # GLM-4.7-Lite
    assert gating("gpt-oss", None) == GATING_LOGITS and gating("deepseek4", 4) == GATING_SQRT_SOFTPLUS


def test_the_override_list_names_the_architectures_that_honour_it():
    from app.core.models.moe_rules import OVERRIDE_HONOURED, override_honoured

    assert all(override_honoured(arch) for arch in ("llama", "qwen3moe", "deepseek2", "qwen3next", "gpt-oss"))
    assert not any(override_honoured(arch) for arch in ("nemotron_h", "nemotron_h_moe", "grovemoe", "gemma3"))
    assert len(OVERRIDE_HONOURED) > 60
