"""The layout of a server's model: which layers have experts, how many, how many are active, the parameters.

A server says little about its model: ``/v1/models`` lists the names (vLLM and SGLang add
``max_model_len``, llama-server ``meta`` with ``n_params`` and ``n_ctx``), and SGLang's
``/model_info`` (``/get_model_info`` before) adds ``model_type`` and ``architectures``. The layout routing
needs comes from the model's Hugging Face ``config.json``, which the profile points to
(``config_path``): ``num_hidden_layers``; the experts (``n_routed_experts``, ``num_experts`` or
``num_local_experts``), the active ones (``num_experts_per_tok`` or ``experts_per_token``), the shared ones
(``n_shared_experts``, or one when ``shared_expert_intermediate_size`` is set); which layers have experts
(``first_k_dense_replace`` and ``moe_layer_freq``, ``mlp_only_layers`` and ``decoder_sparse_step``,
``interleave_moe_layer_step``); and from the widths (``hidden_size``, ``intermediate_size``,
``moe_intermediate_size``, attention heads, MLA ranks, ``vocab_size``) an estimate of the total and the
active parameters (norms and biases left out: under 0.1 %).

The result is a ``ModelInfo`` (app.core.models.gguf) like a GGUF file's, whose ``path`` is ``model_path``
(the server's root URL and the model) and whose ``moe_layers`` are the real layer numbers: a server's
routing over its MoE layers only is mapped onto them (app.core.remote.wire.moe_rows).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.core.models.gguf import ModelInfo
from app.core.remote.errors import MALFORMED, MODEL_NOT_FOUND, RemoteError
from app.core.remote.profiles import SGLANG, ServerProfile
from app.core.remote.transport import check_status, server_root, translate

_MAX_CONFIG_BYTES = 4 << 20


class ConfigError(ValueError):
    """A config.json that cannot be read or is not a model's; the message says why, in English."""


@dataclass(frozen=True)
class ServerModel:
    """What the server says about the profile's model: the names it serves, whether the model is one of
    them, its context, its parameters (llama-server) and its type (SGLang)."""

    models: tuple[str, ...]
    served: bool = True
    context_length: int = 0
    total_params: int = 0
    model_type: str = ""

    def check_served(self, model: str) -> None:
        """RemoteError(MODEL_NOT_FOUND) when the server does not serve ``model``."""
        if not self.served:
            raise RemoteError(MODEL_NOT_FOUND, f"The server does not serve the model {model!r} (it serves: "
                              f"{', '.join(self.models) or 'none'}).")


def model_path(profile: ServerProfile) -> str:
    """The ``path`` of a server's model: ``<server root>#<model>``."""
    return f"{server_root(profile.base_url)}#{profile.model}"


def read_config(path: str | Path) -> dict:
    """A Hugging Face config.json (a multimodal model's text part, ``text_config``, where it has one)."""
    try:
        with open(path, "rb") as file:
            raw = file.read(_MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"The model's config.json cannot be read: {exc}") from exc
    if len(raw) > _MAX_CONFIG_BYTES:
        raise ConfigError("The file is too big to be a model's config.json.")
    try:
        config = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"The model's config.json is not JSON: {exc}") from exc
    if not isinstance(config, dict):
        raise ConfigError("The model's config.json is not a JSON object.")
    text = config.get("text_config")
    return {**config, **text} if isinstance(text, dict) else config


def ask_server(client: httpx.Client, profile: ServerProfile) -> ServerModel:
    """What the server says about ``profile``'s model; RemoteError when it cannot be asked."""
    try:
        response = client.get("/v1/models")
        check_status(response)
        body = response.json()
    except ValueError as exc:
        raise RemoteError(MALFORMED, "The server's list of models is not JSON.") from exc
    except httpx.HTTPError as exc:
        raise translate(exc) from exc
    entries = body.get("data") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        raise RemoteError(MALFORMED, "The server's list of models has no data list.")
    models = tuple(str(entry.get("id")) for entry in entries if isinstance(entry, dict) and entry.get("id"))
    entry = next((item for item in entries if isinstance(item, dict) and item.get("id") == profile.model), None)
    if entry is None:
        return ServerModel(models, served=False)
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    context = _int(entry.get("max_model_len")) or _int(meta.get("n_ctx")) or _int(meta.get("n_ctx_train"))
    return ServerModel(models, True, context, _int(meta.get("n_params")),
                       _sglang_model_type(client) if profile.flavour == SGLANG else "")


def _sglang_model_type(client: httpx.Client) -> str:
    """SGLang's ``model_type`` (``/model_info``, or ``/get_model_info`` of older versions); "" when unsaid."""
    for path in ("/model_info", "/get_model_info"):
        try:
            response = client.get(path)
            if response.status_code == 200:
                body = response.json()
                return str(body.get("model_type") or "") if isinstance(body, dict) else ""
        except (httpx.HTTPError, ValueError):
            return ""
    return ""


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def model_info(profile: ServerProfile, server: ServerModel, config: dict | None) -> ModelInfo:
    """The ModelInfo of ``profile``'s model: from its config.json when there is one (MoE layout and
    parameters), else what the server said (not MoE: routing cannot be laid out)."""
    if config is None:
        return ModelInfo(path=model_path(profile), file_size=0, architecture=server.model_type, name=profile.model,
                         size_label="", quantization="", n_layers=0, n_embd=0,
                         context_length=server.context_length, n_experts=0, n_experts_used=0, n_dense_leading=0,
                         n_shared_experts=0, has_chat_template=True, total_params=server.total_params,
                         active_params=server.total_params)
    layout = config_layout(config)
    return ModelInfo(
        path=model_path(profile), file_size=0, architecture=str(config.get("model_type") or server.model_type),
        name=profile.model, size_label="", quantization=_quantization(config),
        n_layers=layout.n_layers, n_embd=layout.hidden, context_length=server.context_length or layout.context,
        n_experts=layout.n_experts, n_experts_used=layout.k, n_dense_leading=layout.dense_leading,
        n_shared_experts=layout.n_shared, moe_layers=list(layout.moe_layers), has_chat_template=True,
        total_params=layout.total_params, active_params=layout.active_params,
        gating=str(config.get("scoring_func") or ""))


def _quantization(config: dict) -> str:
    quant = config.get("quantization_config")
    if isinstance(quant, dict) and quant.get("quant_method"):
        return str(quant["quant_method"]).upper()
    return str(config.get("torch_dtype") or config.get("dtype") or "").upper()


@dataclass(frozen=True)
class Layout:
    """A model's layers and sizes, as its config.json gives them."""

    n_layers: int
    hidden: int
    context: int
    n_experts: int
    k: int
    n_shared: int
    moe_layers: tuple[int, ...]
    total_params: int
    active_params: int

    @property
    def dense_leading(self) -> int:
        return next((layer for layer in range(self.n_layers) if layer in self.moe_layers), self.n_layers)


def _get(config: dict, *names: str, default: int = 0) -> int:
    for name in names:
        value = config.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return default


def config_layout(config: dict) -> Layout:
    """The Layout of a Hugging Face config; ConfigError when it names no layers or no width."""
    layers = _get(config, "num_hidden_layers", "n_layer", "num_layers")
    hidden = _get(config, "hidden_size", "d_model", "n_embd")
    if layers <= 0 or hidden <= 0:
        raise ConfigError("The config.json names no num_hidden_layers or hidden_size: it is not a model's.")
    experts = _get(config, "n_routed_experts", "num_experts", "num_local_experts", "moe_num_experts")
    k = _get(config, "num_experts_per_tok", "experts_per_token", "moe_topk", "top_k")
    if experts and not 0 < k <= experts:
        raise ConfigError(f"The config.json has {experts} experts but {k} active per token.")
    moe = tuple(layer for layer in range(layers) if experts and _is_moe_layer(config, layer))
    ffn = _get(config, "intermediate_size", "ffn_hidden_size")
    expert_ffn = _get(config, "moe_intermediate_size", "expert_intermediate_size", default=ffn)
    shared_ffn = _get(config, "shared_expert_intermediate_size")
    n_shared = _get(config, "n_shared_experts", "num_shared_experts") or (1 if shared_ffn else 0)
    shared_width = shared_ffn or n_shared * expert_ffn
    vocab = _get(config, "vocab_size")
    attention = _attention_params(config, hidden)
    dense_layer = attention + 3 * hidden * ffn
    routed = 3 * hidden * expert_ffn
    moe_common = attention + hidden * experts + 3 * hidden * shared_width
    embeddings = vocab * hidden * (1 if config.get("tie_word_embeddings") else 2)
    dense_layers = layers - len(moe)
    total = embeddings + dense_layers * dense_layer + len(moe) * (moe_common + experts * routed)
    active = embeddings + dense_layers * dense_layer + len(moe) * (moe_common + k * routed)
    return Layout(layers, hidden, _get(config, "max_position_embeddings", "n_positions"), experts if moe else 0,
                  k if moe else 0, n_shared if moe else 0, moe, total, active)


def _is_moe_layer(config: dict, layer: int) -> bool:
    if layer < _get(config, "first_k_dense_replace"):
        return False
    if layer % max(1, _get(config, "moe_layer_freq", default=1)):
        return False
    only_dense = config.get("mlp_only_layers")
    if isinstance(only_dense, list) and layer in only_dense:
        return False
    step = _get(config, "decoder_sparse_step", "interleave_moe_layer_step", default=1)
    return (layer + 1) % max(1, step) == 0


def _attention_params(config: dict, hidden: int) -> int:
    """One layer's attention weights: multi-head latent attention (DeepSeek) or grouped-query attention."""
    heads = _get(config, "num_attention_heads", "n_head", default=1)
    if config.get("kv_lora_rank"):
        rope, nope = _get(config, "qk_rope_head_dim"), _get(config, "qk_nope_head_dim")
        value, kv_rank, q_rank = _get(config, "v_head_dim"), _get(config, "kv_lora_rank"), _get(config, "q_lora_rank")
        query = hidden * q_rank + q_rank * heads * (nope + rope) if q_rank else hidden * heads * (nope + rope)
        return query + hidden * (kv_rank + rope) + kv_rank * heads * (nope + value) + heads * value * hidden
    head_dim = _get(config, "head_dim", default=hidden // heads)
    kv_heads = _get(config, "num_key_value_heads", default=heads)
    return 2 * hidden * heads * head_dim + 2 * hidden * kv_heads * head_dim
