"""What llama.cpp's MoE graph does per architecture: the router's gating function, and whether the
experts-per-token override at load time is honoured.

Both are read from the llama.cpp source that llama-cpp-python 0.3.36 vendors (``src/models/*.cpp`` and
``build_moe_ffn`` in ``src/llama-graph.cpp``); the lists below name the architectures (GGUF
``general.architecture``) as that version does. An architecture this version does not know cannot be
loaded at all.

Gating (``ModelInfo.gating``): what ``ffn_moe_probs-<layer>``, the router scores the expert tap
captures, holds for every expert before top-k:

- GATING_SOFTMAX: softmax over the router logits (they sum to 1).
- GATING_SIGMOID: a sigmoid of each logit (each in 0..1, independent of the others).
- GATING_SQRT_SOFTPLUS: sqrt(softplus(logit)) of each logit (deepseek4's scoring).
- GATING_LOGITS: the raw logits (gpt-oss: a softmax over the chosen experts' logits alone gives the
  gate weights).

Most architectures hard-code their gating in the graph; GATING_KEY_DEFAULTS lists those that read
``<arch>.expert_gating_func`` (1 softmax, 2 sigmoid, 3 logits, 4 sqrt-softplus) and what they use when
the file has none. deepseek2 has one more rule of its own: without the key, GLM-4.7-Lite files (47 or
48 layers, a vocabulary of 154880) use a sigmoid.

Experts-per-token override (``<arch>.expert_used_count`` as a llama.cpp KV override): llama.cpp reads
the key with ``get_key_or_arr`` in ``load_hparams`` and every MoE graph passes that value (the graph's
``n_expert_used``, or ``hparams.n_expert_used(il)``) to ``build_moe_ffn`` as its top-k, so the
override is honoured by every architecture in OVERRIDE_HONOURED. Not in it:

- nemotron_h, nemotron_h_moe: a file without ``expert_feed_forward_length`` derives the experts'
  width from ``expert_used_count``, so another k changes the tensor shapes llama.cpp expects and the
  file no longer loads.
- grovemoe: its second set of experts (the "chunk" experts) is capped at its own count, so a larger k
  is only partly honoured.
- dense architectures (no router at all).

Whatever the architecture, a file that stores ``expert_used_count`` as a per-layer array ignores the
override: ``get_arr`` does not look at overrides.
"""

from __future__ import annotations

GATING_SOFTMAX = "softmax"
GATING_SIGMOID = "sigmoid"
GATING_SQRT_SOFTPLUS = "sqrt_softplus"
GATING_LOGITS = "logits"
GATINGS = (GATING_SOFTMAX, GATING_SIGMOID, GATING_SQRT_SOFTPLUS, GATING_LOGITS)

_GATING_BY_CODE = {1: GATING_SOFTMAX, 2: GATING_SIGMOID, 3: GATING_LOGITS, 4: GATING_SQRT_SOFTPLUS}
"""llama_expert_gating_func_type (src/llama-hparams.h) -> gating."""

GATING_KEY_DEFAULTS = {
    **dict.fromkeys(("afmoe", "cohere2moe", "glm-dsa", "glm4moe", "glm5-next", "hy_v3", "laguna", "step35"),
                    GATING_SIGMOID),
    **dict.fromkeys(("bailingmoe2", "bailingmoe3", "deepseek2", "deepseek2-ocr", "deepseek32", "deepseek4",
                     "dflash", "dots1", "dots3note", "exaone-moe", "hy_v4", "kimi-k3", "kimi-linear", "lfm2",
                     "lfm2moe", "minimax-m2", "minimax-m3", "mistral4", "smallthinker"), GATING_SOFTMAX),
}
"""Architectures that read ``<arch>.expert_gating_func``, with the gating they use without it."""

FIXED_GATING = {
    **dict.fromkeys(("llama4", "mimo2", "nemotron_h", "nemotron_h_moe"), GATING_SIGMOID),
    "gpt-oss": GATING_LOGITS,
}
"""Architectures whose graph hard-codes a gating other than softmax (the rest hard-code softmax)."""

_GLM47_LITE_LAYERS = (47, 48)
_GLM47_LITE_VOCAB = 154880

OVERRIDE_HONOURED = frozenset((
    "afmoe", "arctic", "bailingmoe", "bailingmoe2", "bailingmoe3", "bert", "cohere2moe", "dbrx", "deepseek",
    "deepseek2", "deepseek2-ocr", "deepseek32", "deepseek4", "dflash", "dots1", "dots3note", "ernie4_5-moe",
    "exaone-moe", "gemma4", "glm-dsa", "glm4moe", "glm5-next", "gpt-oss", "granite", "granite_swa",
    "granitehybrid", "granitemoe", "grok", "hunyuan-moe", "hy_v3", "hy_v4", "jamba", "jina-bert-v2",
    "jina-bert-v3", "kimi-k3", "kimi-linear", "laguna", "lfm2", "lfm2moe", "llada-moe", "llama", "llama-embed",
    "llama4", "maple", "mellum", "mimo2", "minicpm", "minimax-01", "minimax-m2", "minimax-m3", "mistral3",
    "mistral4", "nomic-bert", "nomic-bert-moe", "olmoe", "phi3", "phimoe", "qwen2moe", "qwen35moe", "qwen3moe",
    "qwen3next", "qwen3vlmoe", "qwen4exp", "rnd1", "smallthinker", "step35",
))
"""Architectures whose graph takes the experts per token from ``<arch>.expert_used_count``, so that the
load-time override changes how many experts the router picks (see the module docstring)."""


def gating(architecture: str, gating_code: object = None, n_layers: int = 0, n_vocab: int = 0) -> str:
    """The gating of ``architecture``'s router; ``gating_code`` is the file's ``expert_gating_func``
    (None when absent), ``n_layers`` and ``n_vocab`` decide deepseek2's GLM-4.7-Lite rule."""
    if architecture not in GATING_KEY_DEFAULTS:
        return FIXED_GATING.get(architecture, GATING_SOFTMAX)
    if isinstance(gating_code, int) and gating_code in _GATING_BY_CODE:
        return _GATING_BY_CODE[gating_code]
    if architecture == "deepseek2" and n_layers in _GLM47_LITE_LAYERS and n_vocab == _GLM47_LITE_VOCAB:
        return GATING_SIGMOID
    return GATING_KEY_DEFAULTS[architecture]


def override_honoured(architecture: str) -> bool:
    """Whether llama.cpp loads ``architecture`` with as many experts per token as the override says."""
    return architecture in OVERRIDE_HONOURED
