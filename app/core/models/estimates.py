"""The memory estimate of a model file known only by what the Hub lists of it: its size and quantization,
and the catalog entry of the same model when there is one."""

from __future__ import annotations

import dataclasses
import math

from app.core.models.catalog import CatalogEntry
from app.core.models.fit import (
    KVShape,
    MemoryEstimate,
    estimate_for_entry,
    estimate_memory,
    generous_n_embd,
    weights_bytes_from_params,
)

GUESSED_LAYERS = 32  # for a file nothing is known of: with generous_n_embd, a KV cache on the high side


def estimate_for_download(
    size_bytes: int | None, quantization: str, entry: CatalogEntry | None = None
) -> MemoryEstimate | None:
    """Memory for a file to download: exact with a catalog ``entry`` of the same model, else a generous
    guess from its size (None without a size). A guessed estimate has ``kv_exact`` False ("up to")."""
    if size_bytes is None:
        return None
    if entry is not None:
        return estimate_for_entry(dataclasses.replace(entry, size_bytes=size_bytes, approx_size_bytes=None))
    # weights_bytes_from_params is linear in the parameter count: invert it for this quantization
    bytes_per_param = weights_bytes_from_params(10**9, quantization) / 10**9
    params = math.ceil(size_bytes / bytes_per_param)
    kv = KVShape.generous(GUESSED_LAYERS, generous_n_embd(params, GUESSED_LAYERS))
    return estimate_memory(size_bytes, kv)
