"""An independent numpy reference for the routing of transparent demo models.

It reads the GGUF file back with gguf.GGUFReader and recomputes, without llama.cpp, what llama.cpp's
``build_moe_ffn`` (src/llama-graph.cpp) selects and weighs for each token. That is only possible for
transparent models (app.core.models.demo, ``transparent=True``): their attention output and
feed-forward down projections are zero, so the residual stream equals the token embedding in every
layer and layer l's router input is ``rms_norm(embedding[token]) * ffn_norm[l]``. The reference
checks that the file really is transparent before it answers.

Gating per architecture, as the model graphs in src/models/*.cpp call build_moe_ffn:

- llama, qwen3moe: softmax over the router logits, top-k, the chosen weights normalised to sum 1,
  no scaling (they never read ``expert_weights_scale``).
- deepseek2: softmax or sigmoid per ``expert_gating_func`` (softmax when absent), normalised if
  ``expert_weights_norm``, scaled by ``expert_weights_scale`` unless it is 0 or 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import gguf
import numpy as np

# build_moe_ffn clamps the sum of the chosen weights to the smallest normal F16 before dividing.
WEIGHTS_SUM_MIN = 6.103515625e-5

GATING_SOFTMAX = 1
GATING_SIGMOID = 2

RESIDUAL_PROJECTIONS = ("attn_output", "ffn_down", "ffn_down_exps", "ffn_down_shexp")


@dataclass
class _Router:
    """What routing needs from one transparent model file."""

    embeddings: np.ndarray  # [n_vocab, n_embd]
    output_norm: np.ndarray  # [n_embd]
    output: np.ndarray  # [n_vocab, n_embd]
    rms_eps: float
    n_expert_used: int
    gating: int
    normalise: bool
    scale: float
    # MoE layer -> (ffn_norm [n_embd], router [n_expert, n_embd])
    layers: dict[int, tuple[np.ndarray, np.ndarray]]

    def router_input(self, token: int, layer: int) -> np.ndarray:
        return _rms_norm(self.embeddings[token], self.rms_eps) * self.layers[layer][0]

    def logits(self, token: int, layer: int) -> np.ndarray:
        return self.layers[layer][1] @ self.router_input(token, layer)

    def selection_probs(self, token: int, layer: int) -> np.ndarray:
        logits = self.logits(token, layer)
        if self.gating == GATING_SIGMOID:
            return 1.0 / (1.0 + np.exp(-logits))
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()


def _rms_norm(x: np.ndarray, eps: float) -> np.ndarray:
    """ggml_rms_norm: x / sqrt(mean(x^2) + eps)."""
    return x / np.sqrt(np.mean(x * x) + eps)


def _field(reader: gguf.GGUFReader, key: str, default=None):
    field = reader.fields.get(key)
    return field.contents() if field is not None else default


def _load(path) -> _Router:
    reader = gguf.GGUFReader(str(path))
    arch = _field(reader, "general.architecture")
    tensors = {t.name: np.asarray(t.data, dtype=np.float64) for t in reader.tensors}
    for name, data in tensors.items():
        kind = name.split(".")[-2]
        if kind in RESIDUAL_PROJECTIONS and np.any(data):
            raise ValueError(f"{path} is not a transparent model: {name} is not zero")

    if arch in ("llama", "qwen3moe"):
        gating, normalise, scale = GATING_SOFTMAX, True, 0.0
    elif arch == "deepseek2":
        gating = _field(reader, f"{arch}.expert_gating_func", GATING_SOFTMAX) or GATING_SOFTMAX
        normalise = bool(_field(reader, f"{arch}.expert_weights_norm", False))
        scale = float(_field(reader, f"{arch}.expert_weights_scale", 0.0))
    else:
        raise ValueError(f"no routing reference for architecture {arch!r}")

    layers = {}
    for il in range(_field(reader, f"{arch}.block_count")):
        router = tensors.get(f"blk.{il}.ffn_gate_inp.weight")
        if router is not None:
            layers[il] = (tensors[f"blk.{il}.ffn_norm.weight"], router)
    return _Router(
        embeddings=tensors["token_embd.weight"],
        output_norm=tensors["output_norm.weight"],
        output=tensors.get("output.weight", tensors["token_embd.weight"]),
        rms_eps=float(_field(reader, f"{arch}.attention.layer_norm_rms_epsilon")),
        n_expert_used=int(_field(reader, f"{arch}.expert_used_count", 0)),
        gating=int(gating),
        normalise=normalise,
        scale=scale,
        layers=layers,
    )


def expected_routing(path, token_ids, k: int | None = None) -> list[dict[int, list[tuple[int, float]]]]:
    """For each token, {MoE layer: [(expert id, final gate weight), ...]}, experts by descending score.

    These are the ids of llama.cpp's ``ffn_moe_topk`` and the values of the last of its
    ``ffn_moe_weights``/``_norm``/``_scaled`` tensors. ``k`` overrides the file's experts per token,
    as the ``expert_used_count`` override at load time does.
    """
    model = _load(path)
    k = k or model.n_expert_used
    result = []
    for token in token_ids:
        per_layer = {}
        for layer in model.layers:
            probs = model.selection_probs(token, layer)
            chosen = np.argsort(-probs, kind="stable")[:k]
            weights = probs[chosen]
            if model.normalise:
                weights = weights / max(weights.sum(), WEIGHTS_SUM_MIN)
            if model.scale not in (0.0, 1.0):
                weights = weights * model.scale
            per_layer[layer] = [(int(e), float(w)) for e, w in zip(chosen, weights)]
        result.append(per_layer)
    return result


def expected_scores(path, token_ids) -> list[dict[int, np.ndarray]]:
    """For each token, {MoE layer: the router's probability of every expert} ([n_expert]): what
    llama.cpp's ``ffn_moe_probs`` holds, softmax or sigmoid of the router logits before top-k."""
    model = _load(path)
    return [{layer: model.selection_probs(token, layer) for layer in model.layers} for token in token_ids]


def routing_margins(path, token_ids, k: int | None = None) -> list[dict[int, float]]:
    """For each token, {MoE layer: router logit of the k-th chosen expert minus the best unchosen one's}.

    llama.cpp ranks softmax or sigmoid scores, both increasing in the logit, so the logit gap decides
    the choice; unlike a gap in probabilities it does not shrink as experts get many and scores small.
    A gap far above float rounding (1e-5 here) means llama.cpp cannot choose differently from this
    reference. The margin is infinite when every expert is chosen.
    """
    model = _load(path)
    k = k or model.n_expert_used
    result = []
    for token in token_ids:
        per_layer = {}
        for layer in model.layers:
            ranked = np.sort(model.logits(token, layer))[::-1]
            per_layer[layer] = float(ranked[k - 1] - ranked[k]) if k < len(ranked) else float("inf")
        result.append(per_layer)
    return result


def min_routing_margin(path, token_ids, k: int | None = None) -> float:
    """The smallest margin of routing_margins over all tokens and layers."""
    margins = routing_margins(path, token_ids, k)
    return min((m for per_layer in margins for m in per_layer.values()), default=float("inf"))


def expected_logits(path, token_ids) -> np.ndarray:
    """Output logits [len(token_ids), n_vocab]: in a transparent model each depends only on its own token."""
    model = _load(path)
    hidden = np.stack([_rms_norm(model.embeddings[t], model.rms_eps) for t in token_ids]) * model.output_norm
    return hidden @ model.output.T
