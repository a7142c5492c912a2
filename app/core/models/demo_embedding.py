"""Write a small ``bert`` embedding model with random weights that llama.cpp loads and runs.

It exists so that embeddings (document search by meaning, app.core.documents) can be tried and tested
without downloading a real embedding model, and so that tests can check llama.cpp's vectors against an
independent computation. Its vectors mean nothing about meaning, only about spelling: texts that share
letter pairs get similar vectors.

Tensor names and shapes follow ``llama_model_bert::load_arch_tensors`` in llama.cpp's
``src/models/bert.cpp``, in ggml order (``{ne0, ne1, ...}``, the fastest-varying dimension first).

*Transparent* (the default): the attention output projection, the feed-forward down projection and all
their biases are zero, position embeddings are zero, and every LayerNorm has weight 1 and bias 0. Each
layer then adds nothing to its input but normalises it again, so the hidden state of token ``t`` after
the last layer is ``LN`` applied ``1 + 2 * layers`` times (the embedding norm, then the attention and
output norms of each layer) to ``token_embd[t] + token_types[0]`` (llama.cpp uses token type 0 for every
token). The mean-pooled (``bert.pooling_type`` = MEAN), L2-normalised vector of a text is the normalised
mean of those rows over its tokens, [CLS] and [SEP] included: computable in numpy from the file alone.
Applying LN again changes a normalised row only by the epsilon, but a reference can apply it exactly.

The tokenizer is llama.cpp's WordPiece ("bert", ``llm_tokenizer_wpm_session``): it splits the text into
words at whitespace and punctuation, prepends "▁" to each word and matches the longest vocabulary pieces
greedily from the left. The vocabulary has every character of SINGLE_CHARACTERS as a word start ("▁a")
and as a continuation ("a"), and every pair of LETTERS as both ("▁ab", "ab"), so a word becomes its
letter pairs from the left ("urlaub" → "▁ur" "la" "ub"). A word with any other character becomes [UNK].

Normaliser: ``lowercase`` on, ``strip_accents`` off. llama.cpp would otherwise strip accents whenever it
lowercases, by NFD decomposition and dropping the accent marks, so that "ä" became "a"; with it off,
"Ä" and "ä" are both the token pieces for "ä", ß stays ß, and German words keep their umlauts.
"""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np

from app.core.models.demo import DEMO_MARK

EMBEDDING_DEMO_ARCH = "bert"

LAYER_NORM_EPS = 1e-12  # BERT's
TOKEN_TYPES = 2  # "sentence A" and "sentence B", as BERT has them; llama.cpp adds row 0 to every token
MIN_CONTEXT = 8

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIAL_TOKENS = (PAD, UNK, CLS, SEP, MASK)
WORD_START = "\u2581"  # what llama.cpp's WPM session puts before every word

LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"
"""Letters whose pairs are pieces; with pairs a text is a bag of letter pairs, more telling than letters."""
SINGLE_CHARACTERS = LETTERS + "éèà" + "0123456789" + ".,;:!?-'\"()/&%+"

# Not in the pinned gguf package's writer; llama.cpp reads both (llama_vocab::impl::load).
NORMALIZER_LOWERCASE = "tokenizer.ggml.normalizer.lowercase"
NORMALIZER_STRIP_ACCENTS = "tokenizer.ggml.normalizer.strip_accents"

# Token type row 0 is added to every token: kept small beside a token's (std 1.0), or all texts look alike.
TYPE_EMBEDDING_STD = 0.1
POSITION_EMBEDDING_STD = 0.5  # opaque models only: the same word at another position differs a little


def write_embedding_model(
    path,
    *,
    layers: int = 2,
    embd: int = 128,
    heads: int = 4,
    ff: int = 256,
    context: int = 512,
    seed: int = 0,
    transparent: bool = True,
    name: str | None = None,
) -> Path:
    """Write a random-weight ``bert`` embedding model (mean pooling, WordPiece letter pairs) to ``path``.

    Args:
        layers: transformer blocks.
        embd: embedding width: the length of the model's vectors.
        heads: attention heads; embd must be divisible by heads.
        ff: hidden width of the feed-forward blocks.
        context: trained context length (``bert.context_length``, and the rows of the position embeddings):
            longer texts are cut to it.
        seed: seed of the random weights; the same arguments give a byte-identical file.
        transparent: zero every projection back into the residual stream, and the position embeddings,
            so that vectors can be computed from the token embeddings alone (see the module docstring).
            False keeps them random: a token's vector then depends on its neighbours and its position,
            which shows whether texts evaluated together in one batch stay apart.
        name: ``general.name``; by default one that says the weights are random and that it is an
            embedding model.

    Raises:
        ValueError: for sizes llama.cpp does not accept.
    """
    if min(layers, embd, heads, ff) < 1:
        raise ValueError("layers, embd, heads and ff must all be at least 1")
    if embd % heads:
        raise ValueError(f"embd ({embd}) must be divisible by heads ({heads})")
    if context < MIN_CONTEXT:
        raise ValueError(f"context must be at least {MIN_CONTEXT} tokens, not {context}")
    tokens, token_types = embedding_vocabulary()
    tensors = _tensors(np.random.default_rng(seed), len(tokens), layers, embd, ff, context, transparent)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), EMBEDDING_DEMO_ARCH)
    writer.add_name(name or _default_name(layers, embd, transparent))
    writer.add_description(
        "Random weights written by MoEscope for demonstrations and tests: an embedding model whose vectors "
        "reflect only which letter pairs a text has, not what it means."
        + (" Transparent: every layer passes its input on, normalised." if transparent else "")
    )
    writer.add_file_type(int(gguf.LlamaFileType.ALL_F32))
    writer.add_context_length(context)
    writer.add_embedding_length(embd)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_layer_norm_eps(LAYER_NORM_EPS)
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    _add_tokenizer(writer, tokens, token_types)
    for tensor_name, array in tensors.items():
        writer.add_tensor(tensor_name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def embedding_vocabulary() -> tuple[list[str], list[int]]:
    """The tokens (in id order) and their types: SPECIAL_TOKENS, then single characters as word starts and
    as continuations, then letter pairs as word starts and as continuations."""
    singles = list(SINGLE_CHARACTERS)
    pairs = [first + second for first in LETTERS for second in LETTERS]
    pieces = [WORD_START + s for s in singles] + singles + [WORD_START + p for p in pairs] + pairs
    types = [int(gguf.TokenType.CONTROL)] * len(SPECIAL_TOKENS)
    types[SPECIAL_TOKENS.index(UNK)] = int(gguf.TokenType.UNKNOWN)
    return [*SPECIAL_TOKENS, *pieces], types + [int(gguf.TokenType.NORMAL)] * len(pieces)


def _tensors(rng: np.random.Generator, n_vocab: int, layers: int, embd: int, ff: int, context: int,
             transparent: bool) -> dict[str, np.ndarray]:
    """Every tensor llama.cpp's bert loads, numpy shapes being the ggml shapes reversed."""
    def normal(*shape: int, std: float) -> np.ndarray:
        return (rng.standard_normal(shape) * std).astype(np.float32)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    def ones(n: int) -> np.ndarray:
        return np.ones(n, dtype=np.float32)

    def residual(*shape: int) -> np.ndarray:
        """A projection back into the residual stream: zero in a transparent model."""
        return zeros(*shape) if transparent else normal(*shape, std=1.0 / np.sqrt(shape[-1]))

    tensors = {
        "token_embd.weight": normal(n_vocab, embd, std=1.0),
        "token_types.weight": normal(TOKEN_TYPES, embd, std=TYPE_EMBEDDING_STD),
        "position_embd.weight": zeros(context, embd) if transparent else normal(
            context, embd, std=POSITION_EMBEDDING_STD),
        "token_embd_norm.weight": ones(embd),
        "token_embd_norm.bias": zeros(embd),
    }
    for il in range(layers):
        block = f"blk.{il}"
        for projection in ("attn_q", "attn_k", "attn_v"):
            tensors[f"{block}.{projection}.weight"] = normal(embd, embd, std=1.0 / np.sqrt(embd))
            tensors[f"{block}.{projection}.bias"] = normal(embd, std=0.1)
        tensors[f"{block}.attn_output.weight"] = residual(embd, embd)
        tensors[f"{block}.attn_output.bias"] = zeros(embd)
        tensors[f"{block}.attn_output_norm.weight"] = ones(embd)
        tensors[f"{block}.attn_output_norm.bias"] = zeros(embd)
        tensors[f"{block}.ffn_up.weight"] = normal(ff, embd, std=1.0 / np.sqrt(embd))
        tensors[f"{block}.ffn_up.bias"] = zeros(ff)
        tensors[f"{block}.ffn_down.weight"] = residual(embd, ff)
        tensors[f"{block}.ffn_down.bias"] = zeros(embd)
        tensors[f"{block}.layer_output_norm.weight"] = ones(embd)
        tensors[f"{block}.layer_output_norm.bias"] = zeros(embd)
    return tensors


def _default_name(layers: int, embd: int, transparent: bool) -> str:
    kind = ", transparent" if transparent else ""
    return f"MoEscope demo embedding model ({DEMO_MARK}, bert {layers} layers, {embd} dimensions{kind})"


def _add_tokenizer(writer: gguf.GGUFWriter, tokens: list[str], token_types: list[int]) -> None:
    """A WordPiece tokenizer as llama.cpp's bert converter writes one: BOS is [CLS] and EOS is [SEP] (what
    the converter takes when a BERT tokenizer has neither), [CLS] text [SEP] for every text."""
    writer.add_tokenizer_model("bert")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(token_types)
    writer.add_token_type_count(TOKEN_TYPES)
    writer.add_bos_token_id(tokens.index(CLS))
    writer.add_eos_token_id(tokens.index(SEP))
    writer.add_sep_token_id(tokens.index(SEP))
    writer.add_pad_token_id(tokens.index(PAD))
    writer.add_unk_token_id(tokens.index(UNK))
    writer.add_mask_token_id(tokens.index(MASK))
    writer.add_add_bos_token(True)
    writer.add_add_sep_token(True)
    writer.add_add_eos_token(False)
    writer.add_bool(NORMALIZER_LOWERCASE, True)
    writer.add_bool(NORMALIZER_STRIP_ACCENTS, False)
