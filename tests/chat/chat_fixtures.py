"""Tokens with routing as the engine sends them, made reproducibly from a seed (also in a child process)."""

from __future__ import annotations

import numpy as np

from app.core.engine import protocol

LAYERS = (1, 2, 4)
K = 2
N_EXPERTS = 16


def routed_tokens(n_prompt: int, n_answer: int, seed: int, layers: tuple[int, ...] = LAYERS,
                  k: int = K, scores: bool = False) -> list[protocol.Token]:
    """``n_prompt`` prompt tokens, then ``n_answer`` answer tokens, each with a routing of random experts
    and random float32 weights (every bit pattern matters for a bit-exact round trip), and with
    ``scores`` random router probabilities over N_EXPERTS experts."""
    rng = np.random.default_rng(seed)
    tokens = []
    for index in range(n_prompt + n_answer):
        experts = np.stack([rng.choice(N_EXPERTS, size=k, replace=False) for _ in layers]).astype(np.int32)
        weights = rng.random((len(layers), k), dtype=np.float32)
        probabilities = rng.random((len(layers), N_EXPERTS), dtype=np.float32) if scores else None
        source = protocol.PROMPT if index < n_prompt else protocol.ANSWER
        text = f" w{index}ü" if source == protocol.ANSWER else f"p{index}"
        tokens.append(protocol.Token(index, int(rng.integers(0, 32000)), text, source,
                                     protocol.Routing(layers, experts, weights, probabilities)))
    return tokens


def answer_text(tokens: list[protocol.Token]) -> str:
    return "".join(token.text for token in tokens if token.source == protocol.ANSWER)


def assert_trace_is(trace, tokens: list[protocol.Token]) -> None:
    """The trace holds exactly ``tokens``: same positions, ids, texts, sources, and bit-identical routing."""
    assert trace is not None and len(trace) == len(tokens)
    assert trace.positions.tolist() == [token.pos for token in tokens]
    assert trace.tokens.tolist() == [token.token for token in tokens]
    assert trace.texts == tuple(token.text for token in tokens)
    assert trace.sources == tuple(token.source for token in tokens)
    assert trace.layers.tolist() == list(tokens[0].routing.layers)
    assert trace.experts.dtype == np.int32 and trace.weights.dtype == np.float32
    assert np.array_equal(trace.experts, np.stack([token.routing.experts for token in tokens]))
    assert np.array_equal(trace.weights.view(np.uint32),
                          np.stack([token.routing.weights for token in tokens]).view(np.uint32))
    if tokens[0].routing.scores is None:
        assert trace.scores is None
    else:
        assert trace.scores.dtype == np.float32
        assert np.array_equal(trace.scores.view(np.uint32),
                              np.stack([token.routing.scores for token in tokens]).view(np.uint32))
