"""How fast a model will answer on this computer, estimated before it is downloaded or loaded.

Writing one token of an answer reads every weight that works on that token once from memory, plus the
conversation memory (KV cache) so far. On a CPU that reading, not the arithmetic, sets the pace, so

    tokens/s  ≈  EFFICIENCY × memory bandwidth / bytes read per token.

Only the *active* weights count: a Mixture-of-Experts model of 30 B parameters of which 3 B work on
each token reads (and runs) like a 3 B dense model, although it needs memory for all 30 B.

``measure_bandwidth`` times a multi-threaded numpy copy of a buffer larger than a laptop's last-level
cache, once per process (about a quarter of a second, on the library's worker thread). The result is
not stored on disk: it changes with what else the computer is doing, the figure shown is rounded
anyway, and measuring again at each start costs less than a stale figure from another day.

``EFFICIENCY`` is calibrated against measured answers with ``bench/speed_estimate.py`` (the table is in
bench/RESULTS.md); ``rounded_rate`` rounds the result to what the estimate can promise.

Nothing here imports Qt.
"""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from app.core.models.fit import MemoryEstimate

MEASURE_BYTES = 128 * 1024 * 1024
"""Size of the buffer copied: with its copy, 256 MiB pass through the processor, more than the
last-level cache of laptop and desktop processors holds."""

MEASURE_REPEATS = 8
MEASURE_BUDGET_S = 0.4
"""The copy is repeated up to MEASURE_REPEATS times, and not again once this much time has passed since
the buffers were made; the fastest copy counts."""

MAX_THREADS = 8
"""Copy with as many threads as the engine computes with (app.core.engine.llama_driver: CPUs, at most 8)."""

EFFICIENCY = 0.55
"""Share of the measured copy bandwidth that llama.cpp reaches while writing an answer. bench/speed_estimate.py
found 0.43-0.48 on Gemma 3 270M (Q4_K_M, the catalog's compression, whose unpacking costs time of its own)
and 0.57-0.74 on F16 demo models; 0.55 puts all of them within about -20 % / +30 % (bench/RESULTS.md)."""

FILLED_CONTEXT_TOKENS = 1024
"""Conversation length the KV-cache reads are counted for: a question and an answer or two."""

WORDS_PER_TOKEN = 0.75
"""English and German text: about three words for every four tokens."""

MAX_WORDS_SHOWN = 100
"""Faster estimates are shown as "more than" this: besides reading the weights, every token costs some
fixed time (sampling, the expert view's capture), and even the smallest demo model measured no more than
about 220 words per second (bench/RESULTS.md)."""

_lock = threading.Lock()
_measured: float | None = None


def copy_bandwidth(size_bytes: int = MEASURE_BYTES, threads: int | None = None,
                   repeats: int = MEASURE_REPEATS, budget_s: float = MEASURE_BUDGET_S) -> float:
    """Memory bandwidth in bytes/s, measured now: bytes read plus bytes written by the fastest of the
    timed copies of a ``size_bytes`` buffer, split over ``threads`` (numpy releases the GIL)."""
    threads = threads or max(1, min(MAX_THREADS, os.cpu_count() or 1))
    started = time.perf_counter()
    source = np.ones(size_bytes // 8, dtype=np.float64)  # written once, so its pages exist before timing
    target = np.zeros_like(source)
    bounds = np.linspace(0, source.size, threads + 1, dtype=np.int64)
    slices = [slice(int(start), int(end)) for start, end in zip(bounds[:-1], bounds[1:])]

    def copy(part: slice) -> None:
        np.copyto(target[part], source[part])

    best = math.inf
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(max(1, repeats)):
            begin = time.perf_counter()
            list(pool.map(copy, slices))
            best = min(best, time.perf_counter() - begin)
            if time.perf_counter() - started > budget_s:
                break
    return 2 * source.nbytes / best


def measure_bandwidth() -> float:
    """This computer's memory bandwidth in bytes/s, measured at the first call of the process."""
    global _measured
    with _lock:
        if _measured is None:
            _measured = copy_bandwidth()
        return _measured


def bytes_per_token(estimate: MemoryEstimate, filled_tokens: int = FILLED_CONTEXT_TOKENS) -> int:
    """Bytes read from memory for one answer token: the active weights, and the KV cache of a
    conversation ``filled_tokens`` long (at most the estimate's context)."""
    kv_per_token = estimate.kv_bytes / estimate.n_ctx
    return estimate.active_weights_bytes + math.ceil(kv_per_token * min(filled_tokens, estimate.n_ctx))


def estimate_tokens_per_s(read_bytes_per_token: float, bandwidth: float,
                          efficiency: float = EFFICIENCY) -> float:
    """Answer tokens per second when each token reads ``read_bytes_per_token`` at ``bandwidth`` bytes/s."""
    if read_bytes_per_token <= 0 or bandwidth <= 0:
        raise ValueError(f"bytes per token and bandwidth must be positive, not {read_bytes_per_token} "
                         f"and {bandwidth}")
    return efficiency * bandwidth / read_bytes_per_token


def tokens_per_s_for(estimate: MemoryEstimate | None, bandwidth: float | None) -> float | None:
    """The answer speed of the model of ``estimate``; None when the estimate or the bandwidth is unknown."""
    if estimate is None or not bandwidth or estimate.active_weights_bytes <= 0:
        return None
    return estimate_tokens_per_s(bytes_per_token(estimate), bandwidth)


def rounded_rate(rate: float) -> int:
    """A rate as precise as an estimate can be: whole units below 10, fives below 100, tens above
    (0 means "less than one")."""
    if rate < 0.5:
        return 0
    step = 1 if rate < 10 else 5 if rate < 100 else 10
    return max(1, step * round(rate / step))


def words_per_s(tokens_per_s: float) -> float:
    """Tokens per second as words per second of English or German text."""
    return tokens_per_s * WORDS_PER_TOKEN
