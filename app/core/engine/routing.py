"""One token's routing as the engine reports it, and its form on the wire.

A Routing holds, for one token, the router's choice in every MoE layer as two ``[layers, k]`` arrays
(experts highest selection score first, and their gate weights), and, when the model was loaded with
``scores``, the router's probabilities over all experts as a ``[layers, n_expert]`` array; a dense
model's tokens have EMPTY_ROUTING. A company server (app.core.remote) reports which experts were chosen but
not their gate weights: its Routing has ``weights_reported`` False and uniform weights 1/k
(``Routing.chosen``), which say nothing about the router.

On the wire (app.core.engine.protocol) it is ``{"layers": [...], "experts": [[...], ...], "weights":
[[...], ...]}`` with the weights rounded to six places, plus ``"scores"`` when captured: the float32
array's little-endian bytes in base64 (exact, and about a third of the size of decimals); there is no
key at all for EMPTY_ROUTING. Weights that were not reported are ``"weights": null``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

WEIGHT_DECIMALS = 6
"""Places the gate weights keep on the wire (float32 holds about seven significant digits)."""



@dataclass(frozen=True, eq=False)
class Routing:
    """One token's routing: in MoE layer ``layers[i]`` the router chose ``experts[i]`` (int32, highest
    selection score first) with gate weights ``weights[i]`` (float32); both arrays are ``[layers, k]``
    and read-only. ``scores[i]`` (float32, ``[layers, n_expert]``, or None when not captured) are the
    router's probabilities of every expert in that layer, before top-k (ModelInfo.gating says how
    they were computed). ``weights_reported`` False: the engine did not say the gate weights, and
    ``weights`` are a uniform 1/k that stands in for them."""

    layers: tuple[int, ...]
    experts: np.ndarray
    weights: np.ndarray
    scores: np.ndarray | None = None
    weights_reported: bool = True

    def __post_init__(self) -> None:
        if self.experts.ndim != 2 or self.experts.shape[0] != len(self.layers) \
                or self.weights.shape != self.experts.shape:
            raise ValueError(f"routing of {len(self.layers)} layers with experts {self.experts.shape} "
                             f"and weights {self.weights.shape}")
        if self.scores is not None and (self.scores.ndim != 2 or self.scores.shape[0] != len(self.layers)):
            raise ValueError(f"routing of {len(self.layers)} layers with scores {self.scores.shape}")
        self.experts.flags.writeable = False
        self.weights.flags.writeable = False
        if self.scores is not None:
            self.scores.flags.writeable = False

    @classmethod
    def chosen(cls, layers: tuple[int, ...], experts: np.ndarray) -> Routing:
        """The routing of an engine that reports only which experts were chosen (``experts``: int32
        ``[layers, k]``): uniform weights 1/k, ``weights_reported`` False."""
        experts = np.ascontiguousarray(experts, dtype=np.int32)
        k = experts.shape[1] if experts.ndim == 2 else 0
        weights = np.full(experts.shape, 1.0 / k if k else 0.0, dtype=np.float32)
        return cls(tuple(layers), experts, weights, weights_reported=False)

    def __len__(self) -> int:
        return len(self.layers)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Routing) and self.layers == other.layers
                and self.weights_reported == other.weights_reported
                and np.array_equal(self.experts, other.experts) and np.array_equal(self.weights, other.weights)
                and (self.scores is None) == (other.scores is None)
                and (self.scores is None or np.array_equal(self.scores, other.scores)))

    def __hash__(self) -> int:
        return hash(self.layers)

    def by_layer(self) -> dict[int, list[list]]:
        """``{layer: [[expert, weight], ...]}`` with plain numbers, the weights rounded as on the wire (None
        when they were not reported)."""
        weights = self._wire_weights() or [[None] * self.experts.shape[1]] * len(self.layers)
        return {layer: [[expert, weight] for expert, weight in zip(chosen, weighed)]
                for layer, chosen, weighed in zip(self.layers, self.experts.tolist(), weights)}

    def scores_by_layer(self) -> dict[int, list[float]]:
        """``{layer: [p_0, ..., p_n-1]}`` with plain numbers (float32 values as Python floats); empty without scores."""
        if self.scores is None:
            return {}
        return dict(zip(self.layers, self.scores.tolist()))

    def to_wire(self) -> dict | None:
        if not self.layers:
            return None
        wire = {"layers": list(self.layers), "experts": self.experts.tolist(), "weights": self._wire_weights()}
        if self.scores is not None:
            wire["scores"] = base64.b64encode(self.scores.astype("<f4").tobytes()).decode("ascii")
        return wire

    def _wire_weights(self) -> list[list[float]] | None:
        if not self.weights_reported:
            return None
        return np.round(self.weights.astype(np.float64), WEIGHT_DECIMALS).tolist()

    @classmethod
    def from_wire(cls, data: Mapping | None) -> Routing:
        if not data or not data["layers"]:
            return EMPTY_ROUTING
        layers = tuple(int(layer) for layer in data["layers"])
        scores = None
        if data.get("scores") is not None:
            raw = np.frombuffer(base64.b64decode(data["scores"], validate=True), dtype="<f4")
            scores = raw.astype(np.float32).reshape(len(layers), -1)
        experts = np.array(data["experts"], dtype=np.int32).reshape(len(layers), -1)
        if data.get("weights") is None:
            return cls.chosen(layers, experts)
        return cls(layers, experts, np.array(data["weights"], dtype=np.float32).reshape(len(layers), -1), scores)


EMPTY_ROUTING = Routing((), np.zeros((0, 0), dtype=np.int32), np.zeros((0, 0), dtype=np.float32))
