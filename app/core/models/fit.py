"""What this computer can run: memory, disk, CPU and GPU offload, and whether a model fits.

A model needs memory for three things, and an estimate that leaves out any of them is wrong by
gigabytes: its weights (about the file size), the KV cache for the chosen context length (grows
linearly with the context), and the runtime (llama.cpp's compute buffers, the engine process).

``estimate_memory`` adds the three; ``fit`` compares the sum with the computer's memory and says
"fits", "tight" or "does_not_fit" with the reason in words and the numbers behind it (so the UI can
word it in German too). The KV cache comes from the GGUF header for a local file
(``estimate_for_file``), from the catalog's attention figures for a catalog entry
(``estimate_for_entry``), and from a deliberately generous guess where neither is known.

Nothing here imports Qt; llama_cpp is imported lazily and may be missing.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

from app.core.defaults import DEFAULT_CONTEXT
from app.core.units import format_size

if TYPE_CHECKING:
    from app.core.models.catalog import CatalogEntry

GB = 1_000_000_000

KV_BYTES_PER_ELEMENT = 2.0
"""llama.cpp keeps the KV cache in F16 unless told otherwise."""

RUNTIME_OVERHEAD_BYTES = 800_000_000
"""Engine process, llama.cpp's compute buffers and output logits: a fixed allowance."""

RUNTIME_OVERHEAD_SHARE = 0.05
"""Plus this share of the weights (per-tensor buffers, alignment, the repacked copies some CPUs use)."""

# Average bits per weight of a quantization, rounded up; used only when a model's size is unknown.
_BITS_PER_WEIGHT = {
    "Q2_K": 3.4, "Q3_K_S": 3.6, "Q3_K_M": 4.0, "Q3_K_L": 4.4, "IQ4_XS": 4.5, "IQ4_NL": 4.7,
    "Q4_0": 4.7, "Q4_K_S": 4.8, "Q4_K_M": 5.0, "MXFP4": 5.0, "Q5_K_S": 5.6, "Q5_K_M": 5.8,
    "Q6_K": 6.7, "Q8_0": 8.6, "F16": 16.1, "BF16": 16.1, "F32": 32.1,
}
_UNKNOWN_QUANT_BITS = 16.1  # unknown quantization: assume F16, the generous answer

# Fit thresholds: the operating system and other programs keep this much of the RAM ...
_OS_RESERVE_SHARE = 0.10
_OS_RESERVE_MIN = 2 * GB
# ... and a model using more than this share of all RAM leaves too little for anything else.
_TIGHT_SHARE = 0.80

_FEATURE = re.compile(r"([A-Z0-9_]+)\s*=\s*1\b")


# --- The computer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hardware:
    """What this computer offers to a model.

    Attributes:
        total_ram: installed memory, bytes.
        available_ram: memory programs can get now without swapping, bytes.
        free_disk: free bytes on the drive of ``models_dir``; None when it cannot be read.
        models_dir: the folder ``free_disk`` was measured at (as a string), or None.
        cpu_threads: logical CPUs.
        physical_cores: physical cores, or None when the system does not say.
        cpu_features: instruction-set features llama.cpp was built to use (``AVX2``, ``NEON`` ...).
        gpu_offload: whether this llama.cpp build can put layers on a GPU; None without llama.cpp.
        system_info: llama.cpp's own one-line system report ("" without llama.cpp).
        memory_bandwidth: bytes/s the processor copies through memory (app.core.models.speed), or None
            when not measured.
    """

    total_ram: int
    available_ram: int
    free_disk: int | None
    models_dir: str | None
    cpu_threads: int
    physical_cores: int | None
    cpu_features: tuple[str, ...]
    gpu_offload: bool | None
    system_info: str
    memory_bandwidth: float | None = None


def parse_system_info(text: str) -> tuple[str, ...]:
    """The features switched on in ``llama_print_system_info()`` ("AVX2 = 1 | ..."), in order."""
    return tuple(dict.fromkeys(_FEATURE.findall(text)))


def _llama_report() -> tuple[str, bool | None]:
    """llama.cpp's system report and GPU-offload support; ("", None) when llama_cpp cannot be loaded."""
    try:
        import llama_cpp
    except Exception:  # ImportError, or OSError/RuntimeError when its shared library cannot load
        return "", None
    try:
        from app.core.engine.backends import load_cpu_backends

        load_cpu_backends()  # without it a release build (CPU variants) reports no CPU features
        raw = llama_cpp.llama_print_system_info()
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
        gpu = bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:  # an older or broken binding: report what is certain, nothing
        return "", None
    return text.strip(), gpu


def free_disk_bytes(folder: str | os.PathLike[str]) -> int | None:
    """Free bytes on the drive holding ``folder`` (or its nearest existing parent); None if unreadable."""
    path = Path(folder).absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def detect_hardware(models_dir: str | os.PathLike[str] | None = None) -> Hardware:
    """Measure this computer now (memory changes as programs start and stop, so call it again later;
    the memory bandwidth is measured once per process)."""
    from app.core.models.speed import measure_bandwidth

    memory = psutil.virtual_memory()
    system_info, gpu = _llama_report()
    return Hardware(
        total_ram=int(memory.total),
        available_ram=int(memory.available),
        free_disk=free_disk_bytes(models_dir) if models_dir is not None else None,
        models_dir=str(models_dir) if models_dir is not None else None,
        cpu_threads=os.cpu_count() or 1,
        physical_cores=psutil.cpu_count(logical=False),
        cpu_features=parse_system_info(system_info),
        gpu_offload=gpu,
        system_info=system_info,
        memory_bandwidth=measure_bandwidth(),
    )


# --- Memory a model needs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KVShape:
    """How big the KV cache grows per token of context.

    Attributes:
        elements_per_token: K plus V elements stored per token, summed over all attention layers.
        exact: True when taken from a GGUF header or the catalog's attention figures; False for the
            generous guess used when those are unknown.
    """

    elements_per_token: int
    exact: bool

    @classmethod
    def grouped_query(cls, attention_layers: int, n_head_kv: int, head_dim: int,
                      head_dim_v: int | None = None) -> "KVShape":
        """Standard and grouped-query attention: each layer stores n_head_kv keys and values."""
        v_dim = head_dim if head_dim_v is None else head_dim_v
        return cls(attention_layers * n_head_kv * (head_dim + v_dim), exact=True)

    @classmethod
    def latent(cls, attention_layers: int, kv_lora_rank: int, rope_dim: int) -> "KVShape":
        """DeepSeek's multi-head latent attention: a compressed key (rank + RoPE part) and value per layer."""
        return cls(attention_layers * (2 * kv_lora_rank + rope_dim), exact=True)

    @classmethod
    def generous(cls, n_layers: int, n_embd: int) -> "KVShape":
        """No figures known: every layer keeps full-width keys and values (no grouped-query saving)."""
        return cls(n_layers * 2 * n_embd, exact=False)


def kv_shape_from_metadata(metadata: Mapping[str, object]) -> KVShape | None:
    """The KV cache shape as llama.cpp derives it from GGUF metadata; None when the keys are missing.

    Per layer, keys take ``key_length * head_count_kv`` and values ``value_length * head_count_kv``
    elements; ``head_count_kv`` may be a per-layer list (0 for the recurrent layers of hybrid models),
    and the head lengths default to ``embedding_length / head_count``. Sliding-window layers are
    counted at full context, which over-estimates models such as Gemma 3 and gpt-oss a little.
    """
    arch = metadata.get("general.architecture")
    if not isinstance(arch, str):
        return None

    def number(key: str) -> int | None:
        value = metadata.get(f"{arch}.{key}")
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None

    n_layers = number("block_count")
    n_embd = number("embedding_length")
    heads = metadata.get(f"{arch}.attention.head_count")
    n_head = max(heads) if isinstance(heads, list) and heads else heads
    if not n_layers or not isinstance(n_head, int) or n_head <= 0:
        return None
    per_layer_kv = metadata.get(f"{arch}.attention.head_count_kv", n_head)
    if isinstance(per_layer_kv, int):
        per_layer_kv = [per_layer_kv] * n_layers
    if not isinstance(per_layer_kv, list) or not all(isinstance(n, int) and n >= 0 for n in per_layer_kv):
        return None
    key_length = number("attention.key_length") or (n_embd // n_head if n_embd else None)
    value_length = number("attention.value_length") or key_length
    if not key_length or not value_length:
        return None
    elements = sum(n * (key_length + value_length) for n in per_layer_kv[:n_layers])
    return KVShape(elements, exact=True)


@dataclass(frozen=True)
class MemoryEstimate:
    """Memory one model needs at one context length.

    Attributes:
        weights_bytes: the weights (a GGUF file's size is a close measure).
        kv_bytes: the KV cache for ``n_ctx`` tokens.
        overhead_bytes: runtime allowance (see RUNTIME_OVERHEAD_BYTES and RUNTIME_OVERHEAD_SHARE).
        n_ctx: the context length the estimate is for.
        kv_exact: False when the KV cache was guessed generously because the model's attention
            figures are unknown (the UI may say "at most").
        active_weights_bytes: the weights that work on one token (all of them in a dense model, the
            shared part and k of n experts in an MoE): what writing one token reads (app.core.models.speed).
    """

    weights_bytes: int
    kv_bytes: int
    overhead_bytes: int
    n_ctx: int
    kv_exact: bool
    active_weights_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_bytes + self.overhead_bytes


def estimate_memory(weights_bytes: int, kv: KVShape, n_ctx: int = DEFAULT_CONTEXT,
                    kv_bytes_per_element: float = KV_BYTES_PER_ELEMENT,
                    active_share: float = 1.0) -> MemoryEstimate:
    """Weights + KV cache for ``n_ctx`` tokens + runtime overhead; ``active_share`` is the share of the
    weights that works on each token (active / total parameters)."""
    if weights_bytes < 0 or n_ctx <= 0 or not 0 <= active_share <= 1:
        raise ValueError(f"weights_bytes must be >= 0, n_ctx > 0 and active_share in [0, 1], not "
                         f"{weights_bytes}, {n_ctx} and {active_share}")
    return MemoryEstimate(
        weights_bytes=int(weights_bytes),
        kv_bytes=math.ceil(kv.elements_per_token * n_ctx * kv_bytes_per_element),
        overhead_bytes=RUNTIME_OVERHEAD_BYTES + math.ceil(weights_bytes * RUNTIME_OVERHEAD_SHARE),
        n_ctx=n_ctx,
        kv_exact=kv.exact,
        active_weights_bytes=math.ceil(weights_bytes * active_share),
    )


def weights_bytes_from_params(total_params: int, quantization: str) -> int:
    """A generous size for weights whose file size is unknown, from parameters and quantization."""
    bits = _BITS_PER_WEIGHT.get(quantization.upper(), _UNKNOWN_QUANT_BITS)
    return math.ceil(total_params * bits / 8)


def generous_n_embd(total_params: int, n_layers: int) -> int:
    """A width at least as large as a dense model with these totals would have (params ~ 12 L d^2)."""
    return 256 * math.ceil(math.sqrt(total_params / (12 * n_layers)) / 256)


def estimate_for_file(path: str | os.PathLike[str], n_ctx: int = DEFAULT_CONTEXT) -> MemoryEstimate:
    """Estimate for a local GGUF file (and the other parts of a multi-part set), from its header.

    Raises GGUFError (from app.core.models.gguf) when the file cannot be used.
    """
    from app.core.models.gguf import inspect_gguf, read_metadata

    path = Path(path)
    info = inspect_gguf(path)
    metadata = read_metadata(path)
    kv = kv_shape_from_metadata(metadata) or KVShape.generous(info.n_layers, info.n_embd)
    split_count = metadata.get("split.count")
    weights = info.file_size
    if isinstance(split_count, int) and split_count > 1:
        from app.core.models.catalog import split_parts

        parts = split_parts(path.name)
        weights = sum((path.parent / name).stat().st_size for name in parts
                      if (path.parent / name).exists())
    return estimate_memory(weights, kv, n_ctx, active_share=info.active_share)


def estimate_for_entry(entry: "CatalogEntry", n_ctx: int = DEFAULT_CONTEXT) -> MemoryEstimate:
    """Estimate for a catalog entry: exact size when known, else its approximate size, else from
    parameters; attention figures when the catalog has them, else the generous guess."""
    weights = entry.size_bytes or entry.approx_size_bytes or weights_bytes_from_params(
        entry.total_params, entry.quantization)
    layers = entry.attention_layers or entry.n_layers
    if entry.kv_lora_rank and entry.rope_dim:
        kv = KVShape.latent(layers, entry.kv_lora_rank, entry.rope_dim)
    elif entry.n_head_kv and entry.head_dim:
        kv = KVShape.grouped_query(layers, entry.n_head_kv, entry.head_dim)
    else:
        kv = KVShape.generous(entry.n_layers, entry.n_embd or generous_n_embd(entry.total_params, entry.n_layers))
    return estimate_memory(weights, kv, n_ctx, active_share=min(1.0, entry.active_params / entry.total_params))


# --- Does it fit? -------------------------------------------------------------------------------------


FIT_LEVELS = ("fits", "tight", "does_not_fit")


@dataclass(frozen=True)
class Fit:
    """Whether a model fits this computer's memory, with the numbers behind the verdict.

    Attributes:
        level: "fits" (room to spare), "tight" (needs most of the memory, or more than is free now:
            other programs should be closed) or "does_not_fit" (more than the computer can give).
        required_bytes: what the model needs (MemoryEstimate.total_bytes).
        total_ram: installed memory.
        available_ram: memory free now.
        usable_ram: installed memory minus what the operating system keeps for itself.
        memory_bandwidth: the computer's memory bandwidth in bytes/s (Hardware.memory_bandwidth), for
            the speed estimate (app.core.models.speed.tokens_per_s_for); None when not measured.
        reason_en: the verdict in English words, e.g. "needs about 21 GB, this computer has 16 GB".
            The UI builds its German text from the numbers above.
    """

    level: str
    required_bytes: int
    total_ram: int
    available_ram: int
    usable_ram: int
    reason_en: str
    memory_bandwidth: float | None = None


def fit(required_bytes: int, hardware: Hardware) -> Fit:
    """Compare what a model needs with the computer's memory (see Fit for the levels)."""
    total, available = hardware.total_ram, hardware.available_ram
    usable = max(0, total - max(_OS_RESERVE_MIN, int(total * _OS_RESERVE_SHARE)))
    need, has, free = format_size(required_bytes), format_size(total), format_size(available)
    if required_bytes > total:
        level, reason = "does_not_fit", f"needs about {need}, this computer has {has}"
    elif required_bytes > usable:
        level = "does_not_fit"
        reason = (f"needs about {need}; of this computer's {has} only about {format_size(usable)} are left "
                  "for a model beside the operating system")
    elif required_bytes > available or required_bytes > total * _TIGHT_SHARE:
        level = "tight"
        reason = (f"needs about {need} of this computer's {has} ({free} free now); "
                  "close other programs first")
    else:
        level, reason = "fits", f"needs about {need}, this computer has {has} ({free} free now)"
    return Fit(level=level, required_bytes=required_bytes, total_ram=total, available_ram=available,
               usable_ram=usable, reason_en=reason, memory_bandwidth=hardware.memory_bandwidth)
