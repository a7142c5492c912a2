"""An answer's routing trace as rows of ``routing_chunks`` (app.core.chat.schema): one row per batch of
tokens, the arrays as little-endian raw bytes, and back into one RoutingTrace.

All tokens of a trace share the MoE layers and ``k`` of the first token that has a routing. A token
without one (a dense model's, or one the tap did not capture) gets expert ``-1`` and weight ``0`` in
every layer of a trace that has layers; a trace whose tokens have no routing at all has ``layers``
empty and arrays of shape ``[n, 0, 0]``.

Weights: a token whose engine reported which experts were chosen but not their gate weights (a company
server, ``Routing.weights_reported`` False) has NaN weights for its chosen experts: the trace keeps that
they were not reported, and readers (app.core.talks.timeline) tell it from there.

Scores: a trace has the router's scores (``[n, layers, n_expert]``) when its first routed token has
them; then ``n_expert`` is their width, and a token without scores gets NaN. A row without scores
(``n_expert`` 0, ``scores`` NULL) in a trace with scores reads as NaN too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.core.chat.model import RoutingTrace
from app.core.engine import protocol

INT = np.dtype("<i4")
FLOAT = np.dtype("<f4")
NOT_CAPTURED = -1
"""Expert id of a layer whose routing a token does not have."""

SOURCE_LETTERS = {protocol.PROMPT: "p", protocol.ANSWER: "a"}
SOURCES_BY_LETTER = {letter: source for source, letter in SOURCE_LETTERS.items()}

COLUMNS = ("n", "layers", "k", "positions", "tokens", "experts", "weights", "texts", "sources", "n_expert",
           "scores")


@dataclass(frozen=True)
class Shape:
    """The MoE layers of a trace, how many experts each token has per layer, and how many experts the
    router scores per layer (0: the trace has no scores)."""

    layers: tuple[int, ...]
    k: int
    n_expert: int = 0


NO_ROUTING = Shape((), 0)


def shape_of(token: protocol.Token) -> Shape:
    """The shape of ``token``'s routing; NO_ROUTING for none."""
    routing = token.routing
    if not routing.layers:
        return NO_ROUTING
    return Shape(routing.layers, int(routing.experts.shape[1]),
                 0 if routing.scores is None else int(routing.scores.shape[1]))


def check(token: protocol.Token, shape: Shape) -> None:
    """Raise ValueError for a token routed over other layers, another ``k`` or scores over another
    number of experts than ``shape``: the engine's routing would then be inconsistent within one
    answer. A token without routing, or without scores, fits."""
    routing = token.routing
    if routing.layers and (routing.layers != shape.layers or routing.experts.shape[1] != shape.k):
        raise ValueError(f"token at position {token.pos} is routed over layers {list(routing.layers)} with "
                         f"{routing.experts.shape[1]} experts, the answer over {list(shape.layers)} with {shape.k}")
    if routing.scores is not None and shape.n_expert and routing.scores.shape[1] != shape.n_expert:
        raise ValueError(f"token at position {token.pos} has scores for {routing.scores.shape[1]} experts, "
                         f"the answer for {shape.n_expert}")


def token_row(tokens: Sequence[protocol.Token], shape: Shape) -> tuple:
    """The column values (COLUMNS) of one batch of tokens that fit ``shape`` (see ``check``)."""
    n, width = len(tokens), len(shape.layers)
    experts = np.full((n, width, shape.k), NOT_CAPTURED, dtype=INT)
    weights = np.zeros((n, width, shape.k), dtype=FLOAT)
    scores = np.full((n, width, shape.n_expert), np.nan, dtype=FLOAT) if shape.n_expert else None
    for index, token in enumerate(tokens):
        if token.routing.layers:
            experts[index] = token.routing.experts
            weights[index] = token.routing.weights if token.routing.weights_reported else np.nan
            if scores is not None and token.routing.scores is not None:
                scores[index] = token.routing.scores
    return array_row(np.array([token.pos for token in tokens], dtype=INT),
                     np.array([token.token for token in tokens], dtype=INT),
                     [token.text for token in tokens], [token.source for token in tokens], shape, experts, weights,
                     scores)


def trace_row(trace: RoutingTrace) -> tuple:
    """The column values (COLUMNS) of a whole trace as one row."""
    n_expert = 0 if trace.scores is None else int(trace.scores.shape[2])
    return array_row(trace.positions, trace.tokens, trace.texts, trace.sources,
                     Shape(tuple(int(layer) for layer in trace.layers), int(trace.experts.shape[2]), n_expert),
                     trace.experts, trace.weights, trace.scores)


def array_row(positions: np.ndarray, tokens: np.ndarray, texts: Sequence[str], sources: Sequence[str],
              shape: Shape, experts: np.ndarray, weights: np.ndarray, scores: np.ndarray | None = None) -> tuple:
    n = len(texts)
    if not (positions.shape == tokens.shape == (n,) and len(sources) == n
            and experts.shape == weights.shape == (n, len(shape.layers), shape.k)
            and (scores is None if not shape.n_expert else scores.shape == (n, len(shape.layers), shape.n_expert))):
        raise ValueError(f"trace arrays of inconsistent shapes for {n} tokens: positions {positions.shape}, "
                         f"tokens {tokens.shape}, {len(sources)} sources, experts {experts.shape}, "
                         f"weights {weights.shape}, scores {None if scores is None else scores.shape}, "
                         f"layers {list(shape.layers)}, k {shape.k}, n_expert {shape.n_expert}")
    return (n, np.array(shape.layers, dtype=INT).tobytes(), shape.k, positions.astype(INT).tobytes(),
            tokens.astype(INT).tobytes(), experts.astype(INT).tobytes(), weights.astype(FLOAT).tobytes(),
            json.dumps(list(texts), ensure_ascii=False), "".join(SOURCE_LETTERS[source] for source in sources),
            shape.n_expert, None if scores is None else scores.astype(FLOAT).tobytes())


def insert(db: sqlite3.Connection, message_id: int, seq: int, row: tuple) -> None:
    """Store ``row`` (COLUMNS) as batch ``seq`` of the trace of message ``message_id``."""
    db.execute(f"INSERT INTO routing_chunks (message_id, seq, {', '.join(COLUMNS)}) "
               f"VALUES (?, ?, {', '.join('?' * len(COLUMNS))})", (message_id, seq, *row))


def trace_of(rows: Sequence[tuple]) -> RoutingTrace | None:
    """One RoutingTrace from rows (COLUMNS) in batch order; None for no rows.

    Raises ValueError for rows that do not fit together (a damaged database).
    """
    if not rows:
        return None
    shape = NO_ROUTING
    for row in rows:
        if row[2]:
            shape = Shape(tuple(np.frombuffer(row[1], dtype=INT).tolist()), int(row[2]), int(row[9]))
            break
    positions, tokens, experts, weights, scores, texts, sources = [], [], [], [], [], [], []
    width = len(shape.layers)
    for (n, layers, k, position_bytes, token_bytes, expert_bytes, weight_bytes, text_json, letters, n_expert,
         score_bytes) in rows:
        row_layers = tuple(np.frombuffer(layers, dtype=INT).tolist())
        if k and (row_layers, k) != (shape.layers, shape.k):
            raise ValueError(f"a routing batch over layers {list(row_layers)} with k {k} in a trace over "
                             f"{list(shape.layers)} with k {shape.k}")
        if n_expert and n_expert != shape.n_expert:
            raise ValueError(f"a routing batch with scores for {n_expert} experts in a trace with "
                             f"{shape.n_expert or 'no'} scores")
        positions.append(np.frombuffer(position_bytes, dtype=INT))
        tokens.append(np.frombuffer(token_bytes, dtype=INT))
        if k:
            experts.append(np.frombuffer(expert_bytes, dtype=INT).reshape(n, width, shape.k))
            weights.append(np.frombuffer(weight_bytes, dtype=FLOAT).reshape(n, width, shape.k))
        else:
            experts.append(np.full((n, width, shape.k), NOT_CAPTURED, dtype=INT))
            weights.append(np.zeros((n, width, shape.k), dtype=FLOAT))
        if n_expert:
            scores.append(np.frombuffer(score_bytes, dtype=FLOAT).reshape(n, width, n_expert))
        else:
            scores.append(np.full((n, width, shape.n_expert), np.nan, dtype=FLOAT))
        texts.extend(json.loads(text_json))
        sources.extend(SOURCES_BY_LETTER[letter] for letter in letters)
    return RoutingTrace(
        positions=np.concatenate(positions).astype(np.int32, copy=False),
        tokens=np.concatenate(tokens).astype(np.int32, copy=False),
        texts=tuple(texts), sources=tuple(sources), layers=np.array(shape.layers, dtype=np.int32),
        experts=np.concatenate(experts).astype(np.int32, copy=False),
        weights=np.concatenate(weights).astype(np.float32, copy=False),
        scores=np.concatenate(scores).astype(np.float32, copy=False) if shape.n_expert else None)
