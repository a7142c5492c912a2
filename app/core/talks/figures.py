"""The numbers a speaker can say out loud about a Mixture-of-Experts model and an answer's routing.

- Parameters: how many of the model's parameters work on one token, against the total.
- Compute: a forward pass costs about 2 operations (a multiply and an add) per parameter that works on a
  token, so a token costs ~2 × active parameters against ~2 × total for a dense model of the same size.
  Attention over the context comes on top of both and is left out.
- Load balance per MoE layer over a range of tokens: the entropy of the experts' shares of the choices,
  divided by its largest possible value log(n_experts), so 1 is every expert chosen equally often and 0
  one expert taking every token; with the most- and least-used expert.
- Stickiness: how often two consecutive tokens keep the same top-1 expert, per layer and on average,
  against ``1 / n_experts``, what a router picking at random would give.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

OPERATIONS_PER_PARAMETER = 2
"""Operations per parameter and token in a forward pass (one multiply, one add)."""


@dataclass(frozen=True)
class ParameterFigures:
    """Active against total parameters, and the compute per token that follows.

    Attributes:
        active, total: parameters that work on one token; all of the model's.
        active_share: ``active / total``.
        operations: ~operations per token of this model (2 × active).
        dense_operations: ~operations per token of a dense model with ``total`` parameters (2 × total).
        saved_share: the part of the dense model's compute this model leaves out (1 - active_share).
        times_fewer: ``total / active``: how many times fewer operations a token takes.
    """

    active: int
    total: int
    active_share: float
    operations: int
    dense_operations: int
    saved_share: float
    times_fewer: float


def parameter_figures(active: int, total: int) -> ParameterFigures:
    share = active / total if total else 1.0
    return ParameterFigures(
        active=active, total=total, active_share=share,
        operations=OPERATIONS_PER_PARAMETER * active, dense_operations=OPERATIONS_PER_PARAMETER * total,
        saved_share=1.0 - share, times_fewer=total / active if active else 1.0)


@dataclass(frozen=True)
class LayerBalance:
    """How evenly one MoE layer spread a range of tokens over its experts.

    Attributes:
        layer: the layer's index in the model.
        choices: expert choices counted (tokens × k, less those not captured).
        evenness: normalised entropy of the shares, 0 (one expert) to 1 (all equally); nan without choices.
        most_used, most_share: the expert chosen most often and its share of the choices.
        least_used, least_share: the expert chosen least often (lowest number on a tie) and its share.
        unused: experts not chosen at all.
    """

    layer: int
    choices: int
    evenness: float
    most_used: int
    most_share: float
    least_used: int
    least_share: float
    unused: int


def normalised_entropy(counts: np.ndarray) -> float:
    """Entropy of the distribution ``counts / counts.sum()`` over ``len(counts)`` outcomes, divided by
    ``log(len(counts))``: 1 for a uniform split, 0 for everything on one; nan for no counts."""
    total = float(counts.sum())
    if total <= 0 or len(counts) < 2:
        return math.nan
    shares = counts[counts > 0] / total
    return float(-(shares * np.log(shares)).sum() / math.log(len(counts)))


def load_balance(counts: np.ndarray, layers: Sequence[int]) -> tuple[LayerBalance, ...]:
    """One LayerBalance per row of ``counts`` (``[layers, n_experts]`` choices per expert, as
    Timeline.range_counts gives)."""
    balances = []
    for layer, row in zip(layers, counts):
        total = float(row.sum())
        shares = row / total if total > 0 else np.zeros_like(row, dtype=float)
        most, least = int(np.argmax(row)), int(np.argmin(row))
        balances.append(LayerBalance(
            layer=int(layer), choices=int(total), evenness=normalised_entropy(row),
            most_used=most, most_share=float(shares[most]), least_used=least,
            least_share=float(shares[least]), unused=int((row == 0).sum())))
    return tuple(balances)


def mean_evenness(balances: Sequence[LayerBalance]) -> float:
    """The layers' evenness on average (layers without choices left out); nan if none has any."""
    values = [balance.evenness for balance in balances if not math.isnan(balance.evenness)]
    return float(np.mean(values)) if values else math.nan


@dataclass(frozen=True)
class Stickiness:
    """How often consecutive tokens keep their top-1 expert.

    Attributes:
        per_layer: ``[layers]`` the share of consecutive token pairs with the same top-1 expert (nan for a
            layer without pairs).
        mean: the layers' shares on average (nan without pairs).
        pairs: consecutive token pairs counted in the layer with the most.
        chance: the share a router choosing at random would give, ``1 / n_experts``.
    """

    per_layer: np.ndarray
    mean: float
    pairs: int
    chance: float


def stickiness(top1: np.ndarray, n_experts: int) -> Stickiness:
    """From ``top1`` (``[tokens, layers]``, consecutive tokens in order, -1 where not captured): per layer,
    the share of pairs of consecutive tokens, both captured, that have the same top-1 expert."""
    before, after = top1[:-1], top1[1:]
    valid = (before >= 0) & (after >= 0)
    pairs = valid.sum(axis=0)
    same = ((before == after) & valid).sum(axis=0)
    per_layer = np.divide(same, pairs, out=np.full(same.shape, np.nan), where=pairs > 0)
    counted = per_layer[pairs > 0]
    return Stickiness(per_layer=per_layer, mean=float(counted.mean()) if counted.size else math.nan,
                      pairs=int(pairs.max(initial=0)), chance=1.0 / n_experts if n_experts else math.nan)
