"""The numbers the window, the engine and the command line share by default: one home for each.

A model is loaded with DEFAULT_CONTEXT tokens of context (the window's load, the engine's, the
synchronous session's, ``moescope trace --n-ctx``) and the memory estimate of ``app.core.models.fit``
assumes the same. An answer is generated with the settings below unless a request says otherwise
(``app.core.engine.protocol.Generate``) or, for the sampling settings, the model recommends its own
(``general.sampling.*``, see ``app.core.engine.sampling``); ``moescope trace`` asks for fewer tokens as its
own option.
"""

from __future__ import annotations

import os

DEFAULT_CONTEXT = 2048
"""Context length (tokens) a model is loaded with, and the one the memory estimate assumes."""

MAX_TOKENS = 512
"""Answer tokens at most."""

TEMPERATURE = 0.7
"""Sampling temperature; 0 or less means greedy."""

TOP_P = 0.95
TOP_K = 40

MIN_P = 0.05
"""Tokens less likely than this share of the most likely one are left out (llama.cpp's default); 0 switches it off."""

REPEAT_PENALTY = 1.1
"""Penalty on tokens of the last 64; 1.0 switches it off."""

MAX_ENGINE_THREADS = 8
"""The engine computes with one thread per logical CPU, but no more than this (more threads only wait for memory)."""


def engine_threads() -> int:
    """Threads the engine computes with unless a load asks for a number: one per logical CPU, at most
    MAX_ENGINE_THREADS."""
    return max(1, min(MAX_ENGINE_THREADS, os.cpu_count() or 1))
