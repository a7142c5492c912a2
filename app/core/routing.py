"""The expert tap: reads the router's decisions out of llama.cpp while it computes.

llama.cpp names every tensor of the MoE feed-forward block ``ffn_moe_<what>-<layer>`` and lets an
eval callback watch the scheduler walk the graph. Every node the callback *asks* for becomes a
synchronisation point, which costs speed, so the tap asks for exactly one node per MoE layer: the
first expert matmul after the routing chain. At that point the top-k expert ids and the final gate
weights of the layer are both computed and still alive (the experts' matmuls and the weighted sum
still need them), so one read gets both.

Details that matter for correctness (measured, see shared/design/routing-capture.md):
- ``ffn_moe_topk`` is a non-contiguous view into the argsort result; it is read with its strides.
- The gate weights are the *last* of ``ffn_moe_weights``, ``_softmax``, ``_norm``, ``_scaled`` that
  the model's graph has (``_sum`` variants are sums, not weights).
- A micro-batch of T tokens gives T rows per layer, in batch order. The caller asks llama.cpp for an
  output at every position, so the last layer keeps all T rows too.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import numpy as np

_TOPK = b"ffn_moe_topk"
_WEIGHT_NAMES = frozenset(
    (b"ffn_moe_weights", b"ffn_moe_weights_softmax", b"ffn_moe_weights_norm", b"ffn_moe_weights_scaled")
)
# The first nodes of the experts' computation: when one of them is computed, the routing chain of
# its layer is complete and its results are still needed, so they cannot have been overwritten.
_AFTER_ROUTING = frozenset((b"ffn_moe_up", b"ffn_moe_gate", b"ffn_moe_gate_up", b"ffn_moe_weighted"))


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

    libggml.ggml_get_name.argtypes = [ctypes.c_void_p]
    libggml.ggml_get_name.restype = ctypes.c_char_p
    libggml.ggml_nbytes.argtypes = [ctypes.c_void_p]
    libggml.ggml_nbytes.restype = ctypes.c_size_t
    libggml.ggml_backend_tensor_get.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t]
    libggml.ggml_backend_tensor_get.restype = None
    return libggml


@dataclass
class LayerRouting:
    """One layer's routing for the rows of one micro-batch: ``experts[t, j]`` with weight ``weights[t, j]``."""

    experts: np.ndarray
    weights: np.ndarray


class RoutingTap:
    """Captures expert ids and gate weights of every MoE layer during ``llama_decode``.

    Attributes:
        callback: the ctypes function to put into ``llama_context_params.cb_eval``. The tap owns it;
            keep the tap alive as long as the context lives.

    Use: ``begin()`` before each decode, ``take()`` after it.
    """

    def __init__(self) -> None:
        from llama_cpp import llama_cpp as ll

        self._ggml = _load_ggml()
        self._layers: dict[int, LayerRouting] = {}
        self._topk: dict[int, int] = {}
        self._weights: dict[int, int] = {}
        self._trigger: dict[int, int] = {}
        self.callback = ll.ggml_backend_sched_eval_callback(self._on_node)

    def begin(self) -> None:
        self._layers = {}
        self._topk.clear()
        self._weights.clear()
        self._trigger.clear()

    def take(self) -> dict[int, LayerRouting]:
        layers, self._layers = self._layers, {}
        return layers

    def _on_node(self, tensor: int, ask: bool, _user_data) -> bool:
        if not ask:
            self._read_layer(tensor)
            return True
        name = self._ggml.ggml_get_name(tensor)
        if not name.startswith(b"ffn_moe_"):
            return False
        base, _, layer_text = name.rpartition(b"-")
        if not layer_text.isdigit():
            return False
        layer = int(layer_text)
        if base == _TOPK:
            self._topk[layer] = tensor
        elif base in _WEIGHT_NAMES:
            self._weights[layer] = tensor
        elif base in _AFTER_ROUTING and layer in self._weights and layer not in self._trigger:
            self._trigger[layer] = tensor
            return True
        return False

    def _read_layer(self, trigger: int) -> None:
        layer = next((lay for lay, t in self._trigger.items() if t == trigger), None)
        if layer is None or layer not in self._topk:
            return
        experts = self._read_topk(self._topk[layer])
        weights = self._read_contiguous(self._weights[layer], np.float32)
        if weights.size != experts.size:
            raise RuntimeError(f"layer {layer}: {weights.size} gate weights for {experts.size} selected experts")
        self._layers[layer] = LayerRouting(experts=experts, weights=weights.reshape(experts.shape))

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


def rows_to_positions(layers: dict[int, LayerRouting], first_pos: int, n_rows: int) -> dict[int, dict[str, list]]:
    """Turn a decode's per-layer arrays into ``{position: {"<layer>": [[expert, weight], ...]}}``.

    Raises RuntimeError when a layer delivered a different number of rows than the batch had, which
    would mean rows cannot be matched to positions.
    """
    routing: dict[int, dict[str, list]] = {first_pos + r: {} for r in range(n_rows)}
    for layer in sorted(layers):
        data = layers[layer]
        if data.experts.shape[0] != n_rows:
            raise RuntimeError(
                f"layer {layer} delivered {data.experts.shape[0]} routing rows for a batch of {n_rows} tokens"
            )
        key = str(layer)
        experts = data.experts.tolist()
        weights = data.weights.tolist()
        for r in range(n_rows):
            routing[first_pos + r][key] = [[e, round(w, 6)] for e, w in zip(experts[r], weights[r])]
    return routing
