"""Routing traces made up for the talk tests (app.core.talks, the token strip): random routing of a given
size, or a given sequence of top-1 experts."""

from __future__ import annotations

import numpy as np

from app.core.chat.model import RoutingTrace
from app.core.engine import protocol


def random_trace(prompt: int, answer: int, layers: int = 4, experts: int = 8, k: int = 2, seed: int = 0,
                 first_position: int = 0) -> RoutingTrace:
    """``prompt`` prompt tokens then ``answer`` answer tokens, each routed to ``k`` distinct random experts
    with weights summing to 1 in every layer; MoE layers numbered from 1 (layer 0 dense)."""
    rng = np.random.default_rng(seed)
    n = prompt + answer
    chosen = np.argsort(rng.random((n, layers, experts)), axis=2)[:, :, :k].astype(np.int32)
    raw = rng.random((n, layers, k)).astype(np.float32) + 0.1
    weights = np.sort(raw / raw.sum(axis=2, keepdims=True), axis=2)[:, :, ::-1].copy()
    words = ("the", " router", " picks", " experts", " for", " each", " word", ".", "\n", " MoE")
    return RoutingTrace(
        positions=np.arange(first_position, first_position + n, dtype=np.int32),
        tokens=rng.integers(0, 1000, n).astype(np.int32),
        texts=tuple(words[i % len(words)] for i in range(n)),
        sources=(protocol.PROMPT,) * prompt + (protocol.ANSWER,) * answer,
        layers=np.arange(1, layers + 1, dtype=np.int32),
        experts=chosen, weights=weights.astype(np.float32))


def top1_trace(top1: list[list[int]], experts: int, prompt: int = 0) -> RoutingTrace:
    """Tokens with the given top-1 expert per layer (``top1[token][layer]``, -1: not captured), k = 1,
    weight 1; the first ``prompt`` are prompt tokens."""
    chosen = np.array(top1, dtype=np.int32)[:, :, None]
    n, layers = chosen.shape[:2]
    return RoutingTrace(
        positions=np.arange(n, dtype=np.int32), tokens=np.arange(n, dtype=np.int32),
        texts=tuple(f"t{i}" for i in range(n)),
        sources=(protocol.PROMPT,) * prompt + (protocol.ANSWER,) * (n - prompt),
        layers=np.arange(layers, dtype=np.int32), experts=chosen,
        weights=np.where(chosen >= 0, 1.0, 0.0).astype(np.float32))
