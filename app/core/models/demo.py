"""Write small GGUF models with random weights that llama.cpp loads and runs.

They exist so that MoEscope can be tried, tested and demonstrated without downloading gigabytes: the
text they produce is meaningless, but their routers pick experts for every token exactly as a real
Mixture-of-Experts model's would, through the same llama.cpp code (``build_moe_ffn``).

Three architectures cover the shapes MoEscope has to show:

- ``llama``: Mixtral-style, every layer routed (or a dense llama with ``experts=0``);
- ``qwen3moe``: every layer routed, per-head Q/K norms, the expert width in its own key;
- ``deepseek2``: multi-head latent attention, leading dense layers and always-on shared experts,
  sigmoid gating with normalised and scaled weights (as DeepSeek-V3).

Tensor names and shapes follow ``load_arch_tensors`` of each architecture in llama.cpp's
``src/models/*.cpp``; shapes are written in ggml order (``{ne0, ne1, ...}``, the fastest-varying
dimension first) so that they can be compared with that source line by line.

``transparent=True`` zeroes every projection that writes back into the residual stream
(``attn_output`` and all FFN down projections), so the hidden state stays equal to the token
embedding in every layer. The router input of layer ``l`` is then
``rms_norm(embedding[token]) * ffn_norm[l]`` and a token's routing is known in advance, which lets
tests compare what llama.cpp reports with an independent computation.

Longer than 500 lines because the tensors, the metadata and the tokenizer of a demo model must agree
on every shape and count for three architectures; kept in one file, each shape sits beside the
metadata key llama.cpp reads it with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gguf
import numpy as np

from app.core.models.gguf import ModelInfo

DEMO_ARCHS = ("llama", "qwen3moe", "deepseek2")
DEMO_MARK = "random weights"  # in every demo model's name; the window warns that its text is gibberish
DEMO_DTYPES = ("f32", "f16")

MAX_LAYERS = 512  # LLAMA_MAX_LAYERS
MAX_EXPERTS = 1024  # LLAMA_MAX_EXPERTS

# Router weights are scaled so that router logits have about this standard deviation: large enough
# that the top-k choice is clear-cut, small enough that softmax gate weights are not all 0 or 1.
ROUTER_LOGIT_SPREAD = 3.0

# In transparent models every token must beat the (k+1)-th expert by at least this many logit units
# in every routed layer, so that float rounding (CPU, GPU, F32 accumulation order) cannot flip a
# choice. Token embeddings are redrawn until they do, or the best of a bounded number of draws is kept.
MIN_ROUTER_LOGIT_GAP = 0.05
MAX_EMBEDDING_DRAWS = 200

# DeepSeek-V3's routing: sigmoid scores, the chosen k normalised to sum 1, then scaled.
DEEPSEEK2_WEIGHTS_SCALE = 2.5

RMS_EPS = {"llama": 1e-5, "qwen3moe": 1e-6, "deepseek2": 1e-6}
ROPE_FREQ_BASE = {"llama": 10000.0, "qwen3moe": 1000000.0, "deepseek2": 10000.0}

# A few GPT-2 merges, so that the tokenizer is a real BPE one; every byte has a token of its own, so
# any text, whatever its script, tokenizes and comes back byte for byte.
BPE_MERGES = (
    ("Ġ", "t"), ("Ġ", "a"), ("h", "e"), ("i", "n"), ("r", "e"), ("o", "n"),
    ("Ġt", "he"), ("e", "r"), ("Ġ", "s"), ("a", "t"), ("Ġ", "w"), ("Ġ", "o"),
)
BOS_TOKEN = "<|begin_of_text|>"
EOS_TOKEN = "<|end_of_text|>"
CHAT_TEMPLATE = (
    "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}assistant: {% endif %}"
)
REASONING_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}<|{{ message['role'] }}|>{{ message['content'] }}{{ eos_token }}\n"
    "{% endfor %}{% if add_generation_prompt %}<|assistant|>"
    "{% if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n"
    "{% else %}<think>\n{% endif %}{% endif %}"
)
"""A reasoning model's template: the generation prompt opens the thinking section (as the DeepSeek R1
distills' does), and Qwen3's switch ``enable_thinking=false`` closes it empty at once."""

THINK_GRAMMAR = 'root ::= [a-z ]{1,24} "</think>" [a-z ]{1,24}'
"""GBNF for a demo answer after REASONING_TEMPLATE's prompt: some thinking, its end tag, an answer."""

_SAMPLING_WRITERS = {"temperature": "add_sampling_temp", "top_p": "add_sampling_top_p",
                     "top_k": "add_sampling_top_k", "min_p": "add_sampling_min_p",
                     "repeat_penalty": "add_sampling_penalty_repeat"}


@dataclass(frozen=True)
class _Spec:
    """The parameters of one demo model, checked on creation, with the sizes derived from them."""

    arch: str
    layers: int
    experts: int
    top_k: int
    embd: int
    ff: int
    heads: int
    kv_heads: int
    context: int
    dense_leading: int
    shared_experts: int
    dtype: str
    transparent: bool

    def __post_init__(self):
        """Raise ValueError for parameters the architecture or llama.cpp does not accept."""
        arch = self.arch
        if arch not in DEMO_ARCHS:
            raise ValueError(f"unknown architecture {arch!r}; choose one of {', '.join(DEMO_ARCHS)}")
        if self.dtype not in DEMO_DTYPES:
            raise ValueError(f"unknown dtype {self.dtype!r}; choose one of {', '.join(DEMO_DTYPES)}")
        if not 1 <= self.layers <= MAX_LAYERS:
            raise ValueError(f"layers must be between 1 and {MAX_LAYERS}, not {self.layers}")
        if min(self.embd, self.ff, self.heads, self.kv_heads, self.context) < 1:
            raise ValueError("embd, ff, heads, kv_heads and context must all be at least 1")
        if self.embd % self.heads:
            raise ValueError(f"embd ({self.embd}) must be divisible by heads ({self.heads})")
        if self.head_dim % 2:
            raise ValueError(f"the head size embd/heads ({self.head_dim}) must be even for rotary embeddings")
        if arch != "deepseek2" and self.heads % self.kv_heads:
            raise ValueError(f"heads ({self.heads}) must be divisible by kv_heads ({self.kv_heads})")
        if not 0 <= self.experts <= MAX_EXPERTS:
            raise ValueError(f"experts must be between 0 and {MAX_EXPERTS}, not {self.experts}")
        if self.experts == 0 and arch != "llama":
            raise ValueError(f"{arch} needs experts >= 1; only llama can be a dense model (experts=0)")
        if self.experts and not 1 <= self.top_k <= self.experts:
            raise ValueError(f"top_k must be between 1 and experts ({self.experts}), not {self.top_k}")
        if arch == "deepseek2":
            if not 0 <= self.dense_leading < self.layers:
                raise ValueError(
                    f"dense_leading must be between 0 and layers - 1 ({self.layers - 1}), "
                    f"not {self.dense_leading}"
                )
            if self.shared_experts < 1:
                raise ValueError(
                    "deepseek2 needs shared_experts >= 1 (llama.cpp requires the shared-expert tensors)"
                )
        elif self.dense_leading or self.shared_experts:
            raise ValueError(f"dense_leading and shared_experts are only supported for deepseek2, not {arch}")
        if self.transparent and self.dtype != "f32":
            raise ValueError("transparent models must be f32, so that their routing can be computed exactly")

    @property
    def head_dim(self) -> int:
        return self.embd // self.heads

    @property
    def kv_lora_rank(self) -> int:
        """deepseek2's compressed KV width (512 = 4 x 128 in DeepSeek-V2/V3)."""
        return 4 * self.head_dim

    def is_moe_layer(self, layer: int) -> bool:
        return self.experts > 0 and layer >= self.dense_leading


def write_demo_model(
    path,
    *,
    arch: str = "llama",
    layers: int = 4,
    experts: int = 8,
    top_k: int = 2,
    embd: int = 64,
    ff: int = 128,
    heads: int = 4,
    kv_heads: int = 2,
    context: int = 2048,
    dense_leading: int = 0,
    shared_experts: int | None = None,
    dtype: str = "f32",
    seed: int = 0,
    transparent: bool = False,
    readable: bool = False,
    name: str | None = None,
    chat_template: str | None = CHAT_TEMPLATE,
    sampling: dict[str, float] | None = None,
) -> Path:
    """Write a random-weight GGUF model to ``path`` and return the path.

    Args:
        arch: one of DEMO_ARCHS.
        layers: transformer blocks.
        experts: routed experts per MoE layer; 0 writes a dense llama.
        top_k: experts the router picks per token (``expert_used_count``); ignored when experts is 0.
        embd: embedding width.
        ff: hidden width of each expert, of each shared expert and of dense feed-forward blocks.
        heads: attention heads; embd must be divisible by heads, with an even quotient.
        kv_heads: key/value heads (grouped-query attention); deepseek2's latent attention ignores it.
        context: trained context length written to the header.
        dense_leading: deepseek2 only: leading layers with a dense feed-forward block.
        shared_experts: deepseek2 only: always-on experts in every MoE layer, at least 1 (llama.cpp
            requires the shared-expert tensors); None means 1 for deepseek2 and 0 otherwise.
        dtype: "f32" or "f16" for matrices; norms are always F32.
        seed: seed of the random weights; the same arguments give a byte-identical file.
        transparent: zero every projection back into the residual stream (see the module docstring);
            f32 only.
        readable: make the model write letters, spaces and simple punctuation only, so that its
            gibberish looks like words on a projector instead of broken characters (see
            ``_prefer_readable_output``); not with ``transparent``.
        name: ``general.name``; by default one that says the weights are random and how the model
            is built.
        chat_template: ``tokenizer.chat_template`` (CHAT_TEMPLATE, REASONING_TEMPLATE or any other), or None
            for a model without one.
        sampling: recommended sampling settings written as ``general.sampling.*``, keyed by the names of
            Generate's fields (temperature, top_p, top_k, min_p, repeat_penalty).

    Raises:
        ValueError: for parameters the architecture or llama.cpp does not accept.
    """
    if shared_experts is None:
        shared_experts = 1 if arch == "deepseek2" else 0
    spec = _Spec(
        arch=arch, layers=layers, experts=experts, top_k=top_k if experts else 0, embd=embd, ff=ff,
        heads=heads, kv_heads=kv_heads, context=context, dense_leading=dense_leading,
        shared_experts=shared_experts, dtype=dtype, transparent=transparent,
    )
    rng = np.random.default_rng(seed)
    tokens, token_types, merges = _byte_level_vocab()
    weights = _Weights(spec, rng)
    _ARCH_TENSORS[arch](weights, len(tokens))
    if transparent and spec.experts:
        _separate_routing(weights, rng)
    if readable:
        if transparent:
            raise ValueError("a model cannot be both transparent and readable")
        _prefer_readable_output(weights, tokens)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), arch)
    _add_general_metadata(writer, spec, name)
    for key, value in (sampling or {}).items():
        getattr(writer, _SAMPLING_WRITERS[key])(value)
    _ARCH_METADATA[arch](writer, spec)
    _add_tokenizer(writer, tokens, token_types, merges)
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    for tensor_name, array in weights.tensors.items():
        if dtype == "f16" and array.ndim >= 2:
            array = array.astype(np.float16)
        writer.add_tensor(tensor_name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


class _Weights:
    """Random tensors in the order they are created, named and shaped as llama.cpp expects them."""

    def __init__(self, spec: _Spec, rng: np.random.Generator):
        self.spec = spec
        self.rng = rng
        self.tensors: dict[str, np.ndarray] = {}

    def matrix(self, name: str, ne: tuple[int, ...], *, std: float | None = None, zero: bool = False) -> None:
        """Add a weight tensor of ggml shape ``ne``; the default scale keeps activations near unit size."""
        shape = tuple(reversed(ne))
        if zero:
            self.tensors[name] = np.zeros(shape, dtype=np.float32)
            return
        scale = std if std is not None else 1.0 / np.sqrt(ne[0])
        self.tensors[name] = (self.rng.standard_normal(shape) * scale).astype(np.float32)

    def norm(self, name: str, n: int) -> None:
        """Add an RMS-norm weight near 1, not exactly 1, so that a reference that forgets it is caught."""
        self.tensors[name] = (1.0 + 0.1 * self.rng.standard_normal(n)).astype(np.float32)

    def residual_projection(self, name: str, ne: tuple[int, ...]) -> None:
        """Add a projection that writes into the residual stream: zero in transparent models."""
        self.matrix(name, ne, zero=self.spec.transparent)


def _embeddings_and_output(w: _Weights, n_vocab: int) -> None:
    """token_embd, output_norm and an untied output head, shared by all architectures."""
    s = w.spec
    w.matrix("token_embd.weight", (s.embd, n_vocab), std=1.0)
    w.norm("output_norm.weight", s.embd)
    w.matrix("output.weight", (s.embd, n_vocab))


def _gqa_attention(w: _Weights, il: int) -> None:
    """Grouped-query attention projections as llama and qwen3moe load them (create_tensor_qkv)."""
    s = w.spec
    w.norm(f"blk.{il}.attn_norm.weight", s.embd)
    w.matrix(f"blk.{il}.attn_q.weight", (s.embd, s.heads * s.head_dim))
    w.matrix(f"blk.{il}.attn_k.weight", (s.embd, s.kv_heads * s.head_dim))
    w.matrix(f"blk.{il}.attn_v.weight", (s.embd, s.kv_heads * s.head_dim))
    w.residual_projection(f"blk.{il}.attn_output.weight", (s.heads * s.head_dim, s.embd))


def _mla_attention(w: _Weights, il: int) -> None:
    """deepseek2's multi-head latent attention in the split (absorbed) form current converters write.

    q_lora_rank is 0, so the query has a single projection ``attn_q``; the no-position part and the
    rotary part of each head are both head_dim wide, and so is each head's value.
    """
    s = w.spec
    nope = rope = v = s.head_dim
    w.norm(f"blk.{il}.attn_norm.weight", s.embd)
    w.matrix(f"blk.{il}.attn_q.weight", (s.embd, s.heads * (nope + rope)))
    w.matrix(f"blk.{il}.attn_kv_a_mqa.weight", (s.embd, s.kv_lora_rank + rope))
    w.norm(f"blk.{il}.attn_kv_a_norm.weight", s.kv_lora_rank)
    w.matrix(f"blk.{il}.attn_k_b.weight", (nope, s.kv_lora_rank, s.heads))
    w.matrix(f"blk.{il}.attn_v_b.weight", (s.kv_lora_rank, v, s.heads))
    w.residual_projection(f"blk.{il}.attn_output.weight", (s.heads * v, s.embd))


def _dense_ffn(w: _Weights, il: int) -> None:
    """A SwiGLU feed-forward block: ffn_gate, ffn_up, ffn_down."""
    s = w.spec
    w.matrix(f"blk.{il}.ffn_gate.weight", (s.embd, s.ff))
    w.matrix(f"blk.{il}.ffn_up.weight", (s.embd, s.ff))
    w.residual_projection(f"blk.{il}.ffn_down.weight", (s.ff, s.embd))


def _routed_experts(w: _Weights, il: int) -> None:
    """The router (ffn_gate_inp) and the stacked expert tensors of one MoE layer."""
    s = w.spec
    w.matrix(f"blk.{il}.ffn_gate_inp.weight", (s.embd, s.experts), std=ROUTER_LOGIT_SPREAD / np.sqrt(s.embd))
    w.matrix(f"blk.{il}.ffn_gate_exps.weight", (s.embd, s.ff, s.experts))
    w.matrix(f"blk.{il}.ffn_up_exps.weight", (s.embd, s.ff, s.experts))
    w.residual_projection(f"blk.{il}.ffn_down_exps.weight", (s.ff, s.embd, s.experts))


def _shared_experts(w: _Weights, il: int) -> None:
    """Always-on experts, stored as one SwiGLU block ``shared_experts`` times as wide as an expert."""
    s = w.spec
    width = s.ff * s.shared_experts
    w.matrix(f"blk.{il}.ffn_gate_shexp.weight", (s.embd, width))
    w.matrix(f"blk.{il}.ffn_up_shexp.weight", (s.embd, width))
    w.residual_projection(f"blk.{il}.ffn_down_shexp.weight", (width, s.embd))


def _llama_tensors(w: _Weights, n_vocab: int) -> None:
    _embeddings_and_output(w, n_vocab)
    for il in range(w.spec.layers):
        _gqa_attention(w, il)
        w.norm(f"blk.{il}.ffn_norm.weight", w.spec.embd)
        if w.spec.is_moe_layer(il):
            _routed_experts(w, il)
        else:
            _dense_ffn(w, il)


def _qwen3moe_tensors(w: _Weights, n_vocab: int) -> None:
    _embeddings_and_output(w, n_vocab)
    for il in range(w.spec.layers):
        _gqa_attention(w, il)
        w.norm(f"blk.{il}.attn_q_norm.weight", w.spec.head_dim)
        w.norm(f"blk.{il}.attn_k_norm.weight", w.spec.head_dim)
        w.norm(f"blk.{il}.ffn_norm.weight", w.spec.embd)
        _routed_experts(w, il)


def _deepseek2_tensors(w: _Weights, n_vocab: int) -> None:
    _embeddings_and_output(w, n_vocab)
    for il in range(w.spec.layers):
        _mla_attention(w, il)
        w.norm(f"blk.{il}.ffn_norm.weight", w.spec.embd)
        if w.spec.is_moe_layer(il):
            _routed_experts(w, il)
            _shared_experts(w, il)
        else:
            _dense_ffn(w, il)


_ARCH_TENSORS = {"llama": _llama_tensors, "qwen3moe": _qwen3moe_tensors, "deepseek2": _deepseek2_tensors}


READABLE_BYTES = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,"
# Logit offsets on the constant channel (whose normalised value is about 2 to 3): unreadable tokens
# become practically impossible, spaces frequent enough to make word-like runs.
UNREADABLE_PENALTY = -12.0
SPACE_BONUS = 1.5
END_PENALTY = -2.0  # answers end now and then, after a few dozen tokens


def _prefer_readable_output(w: _Weights, tokens: list[str]) -> None:
    """Steer the random output head towards readable bytes through one constant residual channel.

    Channel 0 of every token embedding is set to the same value and no layer writes into it (row 0
    of every residual projection is zero), so it reaches the output norm unchanged for every token.
    Its column in the output head then acts as a per-token bias: strongly negative for bytes that
    are not letters, spaces or simple punctuation. Routing stays random; only the text changes.
    """
    w.tensors["token_embd.weight"][:, 0] = 2.0
    w.tensors["output_norm.weight"][0] = 1.0
    for name, array in w.tensors.items():
        if name.endswith(("attn_output.weight", "ffn_down.weight", "ffn_down_shexp.weight")):
            array[0, :] = 0.0
        elif name.endswith("ffn_down_exps.weight"):
            array[:, 0, :] = 0.0
    readable = {_bytes_to_unicode()[b] for b in READABLE_BYTES}
    bias = np.array([0.0 if _is_readable_token(t, readable) else UNREADABLE_PENALTY for t in tokens])
    bias[tokens.index(_bytes_to_unicode()[ord(" ")])] = SPACE_BONUS
    bias[tokens.index(EOS_TOKEN)] = END_PENALTY
    w.tensors["output.weight"][:, 0] = bias.astype(np.float32)


def _is_readable_token(token: str, readable: set[str]) -> bool:
    return token == EOS_TOKEN or all(ch in readable for ch in token)


def _top_k_gaps(embeddings: np.ndarray, w: _Weights) -> np.ndarray:
    """For each embedding row, the smallest gap between the k-th and (k+1)-th router logit in any MoE layer.

    Valid for transparent models only, where every layer's router sees rms_norm(embedding) * ffn_norm.
    With k equal to the number of experts there is no (k+1)-th expert and the gap is infinite.
    """
    s = w.spec
    eps = RMS_EPS[s.arch]
    normed = embeddings / np.sqrt(np.mean(embeddings**2, axis=1, keepdims=True) + eps)
    gaps = np.full(len(embeddings), np.inf)
    if s.top_k == s.experts:
        return gaps
    for il in range(s.layers):
        if not s.is_moe_layer(il):
            continue
        router = w.tensors[f"blk.{il}.ffn_gate_inp.weight"]
        logits = (normed * w.tensors[f"blk.{il}.ffn_norm.weight"]) @ router.T
        ranked = -np.sort(-logits, axis=1)
        gaps = np.minimum(gaps, ranked[:, s.top_k - 1] - ranked[:, s.top_k])
    return gaps


def _separate_routing(w: _Weights, rng: np.random.Generator) -> None:
    """Redraw the embeddings of tokens whose top-k choice is a near-tie in some layer of a transparent model.

    Keeps, per token, the first draw whose gaps are all at least MIN_ROUTER_LOGIT_GAP, or else the
    best of MAX_EMBEDDING_DRAWS draws (very wide top-k over many experts and layers may not reach it).
    """
    embeddings = w.tensors["token_embd.weight"]
    gaps = _top_k_gaps(embeddings, w)
    for _ in range(MAX_EMBEDDING_DRAWS):
        tied = np.flatnonzero(gaps < MIN_ROUTER_LOGIT_GAP)
        if not len(tied):
            break
        candidates = rng.standard_normal((len(tied), embeddings.shape[1])).astype(np.float32)
        candidate_gaps = _top_k_gaps(candidates, w)
        better = candidate_gaps > gaps[tied]
        embeddings[tied[better]] = candidates[better]
        gaps[tied[better]] = candidate_gaps[better]


def is_demo_model(info: ModelInfo) -> bool:
    """Whether ``info`` is one of these demo models: their names say "random weights" (and a user who
    renamed one still sees the warning only if the name keeps saying so)."""
    return DEMO_MARK in info.name.lower()


def _default_name(spec: _Spec) -> str:
    if not spec.experts:
        return f"MoEscope demo dense model ({DEMO_MARK}, {spec.arch} {spec.layers} layers)"
    extras = ""
    if spec.dense_leading:
        extras += f", {spec.dense_leading} dense"
    if spec.shared_experts:
        extras += f", {spec.shared_experts} shared"
    if spec.transparent:
        extras += ", transparent"
    return (
        f"MoEscope demo MoE ({DEMO_MARK}, {spec.arch} {spec.layers}x{spec.experts}e "
        f"top-{spec.top_k}{extras})"
    )


def _add_general_metadata(writer: gguf.GGUFWriter, spec: _Spec, name: str | None) -> None:
    """general.*: a name and description that say plainly the weights are random, and the file type."""
    writer.add_name(name or _default_name(spec))
    description = (
        "Random weights written by MoEscope for demonstrations and tests. It produces meaningless "
        "text; only its expert routing is of interest."
    )
    if spec.transparent:
        description += (
            " Transparent: attention output and feed-forward down projections are zero, so every "
            "layer's router sees the token embedding."
        )
    writer.add_description(description)
    file_type = gguf.LlamaFileType.MOSTLY_F16 if spec.dtype == "f16" else gguf.LlamaFileType.ALL_F32
    writer.add_file_type(int(file_type))


def _add_transformer_metadata(writer: gguf.GGUFWriter, spec: _Spec, kv_heads: int, rope_dims: int) -> None:
    """The hyperparameters every architecture here reads in llama_model_base::load_hparams."""
    writer.add_context_length(spec.context)
    writer.add_embedding_length(spec.embd)
    writer.add_block_count(spec.layers)
    writer.add_feed_forward_length(spec.ff)
    writer.add_head_count(spec.heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_layer_norm_rms_eps(RMS_EPS[spec.arch])
    writer.add_rope_freq_base(ROPE_FREQ_BASE[spec.arch])
    writer.add_rope_dimension_count(rope_dims)
    if spec.experts:
        writer.add_expert_count(spec.experts)
        writer.add_expert_used_count(spec.top_k)


def _llama_metadata(writer: gguf.GGUFWriter, spec: _Spec) -> None:
    _add_transformer_metadata(writer, spec, spec.kv_heads, spec.head_dim)


def _qwen3moe_metadata(writer: gguf.GGUFWriter, spec: _Spec) -> None:
    _add_transformer_metadata(writer, spec, spec.kv_heads, spec.head_dim)
    writer.add_expert_feed_forward_length(spec.ff)


def _deepseek2_metadata(writer: gguf.GGUFWriter, spec: _Spec) -> None:
    """MLA keys as the current converter writes them: attention runs as MQA over the latent KV."""
    nope = rope = v = spec.head_dim
    _add_transformer_metadata(writer, spec, 1, rope)
    writer.add_leading_dense_block_count(spec.dense_leading)
    writer.add_q_lora_rank(0)
    writer.add_kv_lora_rank(spec.kv_lora_rank)
    writer.add_key_length(spec.kv_lora_rank + rope)
    writer.add_value_length(spec.kv_lora_rank)
    writer.add_key_length_mla(nope + rope)
    writer.add_value_length_mla(v)
    writer.add_expert_feed_forward_length(spec.ff)
    writer.add_expert_shared_count(spec.shared_experts)
    writer.add_expert_weights_scale(DEEPSEEK2_WEIGHTS_SCALE)
    writer.add_expert_weights_norm(True)
    writer.add_expert_gating_func(gguf.ExpertGatingFuncType.SIGMOID)


_ARCH_METADATA = {"llama": _llama_metadata, "qwen3moe": _qwen3moe_metadata, "deepseek2": _deepseek2_metadata}


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map from bytes to printable characters (llama.cpp's unicode_byte_to_utf8)."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    mapping = {b: chr(b) for b in printable}
    unprintable = [b for b in range(256) if b not in mapping]
    mapping.update({b: chr(256 + i) for i, b in enumerate(unprintable)})
    return mapping


def _byte_level_vocab() -> tuple[list[str], list[int], list[str]]:
    """Tokens (id = byte value for the first 256), their types and the merges of a byte-level BPE vocab."""
    byte_chars = _bytes_to_unicode()
    tokens = [byte_chars[b] for b in range(256)]
    tokens += [left + right for left, right in BPE_MERGES]
    token_types = [int(gguf.TokenType.NORMAL)] * len(tokens)
    tokens += [BOS_TOKEN, EOS_TOKEN]
    token_types += [int(gguf.TokenType.CONTROL)] * 2
    merges = [f"{left} {right}" for left, right in BPE_MERGES]
    return tokens, token_types, merges


def _add_tokenizer(
    writer: gguf.GGUFWriter, tokens: list[str], token_types: list[int], merges: list[str]
) -> None:
    """A byte-level BPE tokenizer (llama.cpp's "gpt2" model, "default" pre-tokenizer) with BOS and EOS."""
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(token_types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(tokens.index(BOS_TOKEN))
    writer.add_eos_token_id(tokens.index(EOS_TOKEN))
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
