"""The expert tap: reads the router's decisions out of llama.cpp while it computes.

llama.cpp names every tensor of the MoE feed-forward block ``ffn_moe_<what>-<layer>`` and lets an
eval callback watch the scheduler walk the graph. Every node the callback *asks* for becomes a
synchronisation point, which costs speed, so the tap asks for exactly one node per MoE layer: the
first expert matmul after the routing chain. At that point the top-k expert ids and the final gate
weights of the layer are both computed and still alive (the experts' matmuls and the weighted sum
still need them), so one read gets both. The callback itself is C (``_tapfilter.c``): it sees every
node, and a Python call per node alone costs about 15 % of a small model's speed.

Details that matter for correctness (measured while the tap was built; tests/engine/test_routing.py checks them):
- ``ffn_moe_topk`` is a non-contiguous view into the argsort result; it is read with its strides.
- The gate weights are the *last* of ``ffn_moe_weights``, ``_softmax``, ``_norm``, ``_scaled`` that
  the model's graph has (``_sum`` variants are sums, not weights).
- A micro-batch of T tokens gives T rows per layer, in batch order. The caller asks llama.cpp for an
  output at every position, so the last layer keeps all T rows too.

Scores (optional, ``RoutingTap(scores=True)``): the router's probabilities over all experts,
``ffn_moe_probs-<layer>`` ([n_expert, T] float32, contiguous: softmax or sigmoid of the router logits,
before any selection bias and before top-k; see ModelInfo.gating). They cannot be read at the trigger:
once the top-k ids and the gate weights are taken from them, ggml's allocator may give their memory to
the nodes that follow (the weights' sum and normalisation), so the tap asks for the probs node itself,
a second synchronisation point per MoE layer, and only when scores are wanted (bench/tap_overhead.py
measures what it costs).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import numpy as np

from app.core.engine.protocol import EMPTY_ROUTING, Routing


class _TensorHead(ctypes.Structure):
    """The first fields of ``struct ggml_tensor`` (type, buffer, ne[4], nb[4]), stable across ggml versions."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("buffer", ctypes.c_void_p),
        ("ne", ctypes.c_int64 * 4),
        ("nb", ctypes.c_size_t * 4),
    ]


def _load_ggml():
    """ggml's tensor helpers, from the library llama-cpp-python ships (imported lazily)."""
    from llama_cpp._ggml import libggml

    libggml.ggml_nbytes.argtypes = [ctypes.c_void_p]
    libggml.ggml_nbytes.restype = ctypes.c_size_t
    libggml.ggml_backend_tensor_get.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t]
    libggml.ggml_backend_tensor_get.restype = None
    return libggml


_LAYER_READY = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_PROBS_READY = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_void_p)

_GGML_TYPE_F32 = 0


@dataclass
class LayerRouting:
    """One layer's routing for the rows of one micro-batch: ``experts[t, j]`` with weight ``weights[t, j]``,
    and, when scores are captured, the router's probability of every expert ``scores[t, e]``."""

    experts: np.ndarray
    weights: np.ndarray
    scores: np.ndarray | None = None


class RoutingTap:
    """Captures expert ids and gate weights of every MoE layer during ``llama_decode``.

    The per-node filtering runs in C (``_tapfilter.c``); Python is called once per MoE layer and
    micro-batch, in ``_layer_ready``, to copy that layer's two small tensors.

    Attributes:
        callback: the function pointer for ``llama_context_params.cb_eval``.
        user_data: the pointer for ``llama_context_params.cb_eval_user_data``.
        The tap owns both; keep it alive as long as the context lives.

    Use: ``begin()`` before each decode, ``take()`` after it. ``scores=True`` also captures every MoE
    layer's router probabilities over all experts (LayerRouting.scores), at the cost of a second
    synchronisation point per layer.
    """

    def __init__(self, scores: bool = False) -> None:
        from llama_cpp import llama_cpp as ll

        from app.core.engine import _tapfilter

        self._ggml = _load_ggml()
        self._layers: dict[int, LayerRouting] = {}
        self._scores: dict[int, np.ndarray] = {}
        self._failure: Exception | None = None
        self._on_layer = _LAYER_READY(self._layer_ready)
        self._on_probs = _PROBS_READY(self._probs_ready)
        get_name = ctypes.cast(self._ggml.ggml_get_name, ctypes.c_void_p).value
        addresses = [get_name, ctypes.cast(self._on_layer, ctypes.c_void_p).value]
        if scores:
            addresses.append(ctypes.cast(self._on_probs, ctypes.c_void_p).value)
        self.scores = scores
        self.user_data = _tapfilter.tap_new(*addresses)
        self.callback = ll.ggml_backend_sched_eval_callback(_tapfilter.EVAL_CALLBACK)
        self._free = _tapfilter.tap_free
        self._reset = _tapfilter.tap_reset

    def __del__(self) -> None:
        if getattr(self, "user_data", None):
            self._free(self.user_data)
            self.user_data = None

    def begin(self) -> None:
        self._layers = {}
        self._scores = {}
        self._failure = None
        self._reset(self.user_data)

    def take(self) -> dict[int, LayerRouting]:
        """The routing captured since ``begin()``; raises if reading a layer failed."""
        if self._failure is not None:
            raise RuntimeError(f"reading the routing failed: {self._failure}") from self._failure
        layers, self._layers = self._layers, {}
        scores, self._scores = self._scores, {}
        if self.scores:
            for layer, data in layers.items():
                if layer not in scores:
                    raise RuntimeError(f"layer {layer}: the router's probabilities were not captured")
                if scores[layer].shape[0] != data.experts.shape[0]:
                    raise RuntimeError(f"layer {layer}: router probabilities for {scores[layer].shape[0]} tokens, "
                                       f"routing for {data.experts.shape[0]}")
                data.scores = scores[layer]
        return layers

    def _layer_ready(self, layer: int, topk: int, weights: int) -> None:
        # Runs inside llama.cpp's callback: an exception cannot travel through C, so keep it for take().
        try:
            experts = self._read_topk(topk)
            gate = self._read_contiguous(weights, np.float32)
            if gate.size != experts.size:
                raise RuntimeError(f"layer {layer}: {gate.size} gate weights for {experts.size} selected experts")
            self._layers[layer] = LayerRouting(experts=experts, weights=gate.reshape(experts.shape))
        except Exception as exc:  # noqa: BLE001 - reported by take()
            self._failure = exc

    def _probs_ready(self, layer: int, probs: int) -> None:
        # Inside llama.cpp's callback, like _layer_ready.
        try:
            head = _TensorHead.from_address(probs)
            if head.type != _GGML_TYPE_F32 or head.nb[1] != head.ne[0] * 4:
                raise RuntimeError(f"layer {layer}: router probabilities of ggml type {head.type} with row stride "
                                   f"{head.nb[1]} for {head.ne[0]} experts; expected contiguous float32")
            self._scores[layer] = self._read_contiguous(probs, np.float32).reshape(head.ne[1], head.ne[0])
        except Exception as exc:  # noqa: BLE001 - reported by take()
            self._failure = exc

    def _read_topk(self, tensor: int) -> np.ndarray:
        """The [k, T] view into the argsort result, as a (T, k) array; rows are ``nb[1]`` bytes apart."""
        head = _TensorHead.from_address(tensor)
        k, rows = head.ne[0], head.ne[1]
        raw = self._copy_out(tensor)
        view = np.ndarray(shape=(rows, k), dtype=np.int32, buffer=raw, strides=(head.nb[1], head.nb[0]))
        return np.array(view)

    def _read_contiguous(self, tensor: int, dtype) -> np.ndarray:
        return np.frombuffer(self._copy_out(tensor), dtype=dtype).copy()

    def _copy_out(self, tensor: int) -> bytes:
        size = self._ggml.ggml_nbytes(tensor)
        buffer = ctypes.create_string_buffer(size)
        self._ggml.ggml_backend_tensor_get(tensor, buffer, 0, size)
        return buffer.raw


def rows_to_positions(layers: dict[int, LayerRouting], first_pos: int, n_rows: int) -> dict[int, Routing]:
    """Turn a decode's per-layer arrays into ``{position: Routing}``, the layers in ascending order, with
    the router's scores when every layer has them.

    Raises RuntimeError when a layer delivered a different number of rows than the batch had, which
    would mean rows cannot be matched to positions, or chose a different number of experts than the
    other layers.
    """
    if not layers:
        return {first_pos + r: EMPTY_ROUTING for r in range(n_rows)}
    order = sorted(layers)
    for layer in order:
        data = layers[layer]
        if data.experts.shape[0] != n_rows:
            raise RuntimeError(
                f"layer {layer} delivered {data.experts.shape[0]} routing rows for a batch of {n_rows} tokens"
            )
        if data.experts.shape[1] != layers[order[0]].experts.shape[1]:
            raise RuntimeError(f"layer {layer} chose {data.experts.shape[1]} experts per token, layer "
                               f"{order[0]} {layers[order[0]].experts.shape[1]}")
    experts = np.stack([layers[layer].experts for layer in order], axis=1).astype(np.int32, copy=False)
    weights = np.stack([layers[layer].weights for layer in order], axis=1).astype(np.float32, copy=False)
    names = tuple(order)
    if any(layers[layer].scores is None for layer in order):
        return {first_pos + r: Routing(names, experts[r], weights[r]) for r in range(n_rows)}
    scores = np.stack([layers[layer].scores for layer in order], axis=1).astype(np.float32, copy=False)
    return {first_pos + r: Routing(names, experts[r], weights[r], scores[r]) for r in range(n_rows)}
