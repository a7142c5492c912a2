"""Text embeddings on llama.cpp: the context an embedding model needs, and texts turned into vectors.

Runs inside the engine process only, for ``Engine`` (llama_driver.py) when a model is loaded with
``embedding``. Why the context is made as it is (``configure_context``):

- One text is one micro-batch at most: an encoder (BERT and its kin) attends over the whole sequence at
  once, has no KV cache to continue in, and llama.cpp refuses a batch larger than its micro-batch
  (``llama_context::encode`` asserts n_ubatch >= n_tokens). So n_ctx = n_batch = n_ubatch.
- That size is the model's trained context (absolute position embeddings have no rows beyond it), or the
  requested context if smaller, and at most EMBEDDING_MAX_CONTEXT: attention's compute buffer grows with
  the square of the micro-batch. Longer texts are cut to it, their last token (BERT's [SEP]) kept.
- Pooling is the model's own (``<arch>.pooling_type``); a model that names none, or NONE, is mean-pooled,
  since Embed answers one vector per text. A reranker (RANK) is refused: it scores pairs of texts.
- Several short texts share one batch, each its own sequence (up to EMBEDDING_SEQUENCES of them, PACK_TOKENS
  tokens in all): llama.cpp keeps sequences apart in attention by a mask and pools each separately, and one
  call for many short texts saves the fixed cost of a call per text. The number of sequences must divide
  the micro-batch: llama.cpp reserves its graph for n_ubatch tokens rounded up to a multiple of n_seq_max
  but keeps n_ubatch outputs, and aborts (``ggml_can_mul_mat``) when the two differ. ``kv_unified`` lets
  any one sequence use the whole cache of a decoder-style embedding model (one with a KV cache), which is
  cleared before every batch.
- No expert tap, even for a MoE embedding model (nomic-bert-moe): nothing shows a passage's routing, and
  the tap would only cost speed.

A stop (``stop_requested``, set by the host on Stop) is honoured between batches and, through the abort
callback the engine sets on every context, inside one; the Embed is then answered with an Error of kind
STOPPED and no vectors, so a caller never mistakes part of its texts for all of them.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from app.core.engine import protocol
from app.core.engine.protocol import EngineError
from app.core.models.gguf import GGUFError, ModelInfo

EMBEDDING_MAX_CONTEXT = 8192
PACK_TOKENS = 512
"""Tokens of the texts packed into one batch at most (a longer text has a batch of its own). The mask keeps
packed texts apart, but attention is still computed over the whole batch, so its cost grows with the square of
the batch. Measured on the synthetic model (CPU time of one thread): texts of 30 tokens cost half as much
packed 256 to 2048 tokens to a batch as one by one; texts of 140 tokens cost the same one by one and packed
up to 512, but 1.5 times as much packed 2048 to a batch, and texts of 560 tokens 1.2 times as much."""
EMBEDDING_SEQUENCES = 64
"""Texts in one batch at most (llama.cpp allows 256 sequences; 64 short passages already fill a batch), or
fewer: the largest number that divides the micro-batch (see the module docstring)."""

MEAN, RANK = 1, 4  # llama_pooling_type
VECTOR_POOLINGS = (MEAN, 2, 3)  # MEAN, CLS, LAST: one vector per sequence


def refuse_for_answers(info: ModelInfo) -> None:
    """Nothing for a model that writes text; GGUFError ``embedding_model`` for an embedding model loaded to
    answer (an encoder has no output head, so it would only ever give empty answers)."""
    if info.is_embedding:
        raise GGUFError(f"{Path(info.path).name} is an embedding model ({info.architecture}): it turns text into "
                        "vectors for document search and cannot answer.", "embedding_model",
                        {"architecture": info.architecture})


def embedding_pooling(metadata: dict, architecture: str) -> int:
    """The pooling (llama_pooling_type) an embedding context uses for a model with this header metadata:
    the model's own, MEAN when it names none; EngineError LOAD_FAILED for a reranker or an unknown kind."""
    pooling = metadata.get(f"{architecture}.pooling_type")
    if pooling in (None, 0):
        return MEAN
    if pooling == RANK:
        raise EngineError(protocol.LOAD_FAILED, "This model is a reranker: it scores pairs of texts and gives "
                                                "no vectors, so it cannot be used as an embedding model.")
    if pooling not in VECTOR_POOLINGS:
        raise EngineError(protocol.LOAD_FAILED, f"This model asks for a pooling llama.cpp does not know ({pooling}).")
    return int(pooling)


def configure_context(params, n_ctx: int, trained_context: int, pooling: int) -> None:
    """Set llama_context_params ``params`` up for embeddings (see the module docstring): one batch is one
    micro-batch of at most the trained context, the requested ``n_ctx`` and EMBEDDING_MAX_CONTEXT tokens."""
    size = max(1, min(n_ctx, trained_context or n_ctx, EMBEDDING_MAX_CONTEXT))
    params.n_ctx = params.n_batch = params.n_ubatch = size
    params.n_seq_max = math.gcd(size, EMBEDDING_SEQUENCES)
    params.kv_unified = True
    params.embeddings = True
    params.pooling_type = pooling


class Embedder:
    """Texts to unit-length vectors on an embedding context (made with ``configure_context``).

    Attributes:
        dim: the length of the vectors.
        limit: tokens per text at most (the micro-batch); a longer text is cut.
    """

    def __init__(self, ll, model, ctx, stop_requested: threading.Event) -> None:
        self._ll = ll
        self._ctx = ctx
        self._vocab = ll.llama_model_get_vocab(model)
        self._stop = stop_requested
        self._run = ll.llama_encode if ll.llama_model_has_encoder(model) else ll.llama_decode
        self.dim = ll.llama_model_n_embd_out(model)
        self.limit = min(ll.llama_n_ctx(ctx), ll.llama_n_ubatch(ctx))
        self._max_sequences = ll.llama_n_seq_max(ctx)
        # A model that ends every text with a token of its own ([SEP], EOS) keeps it when a text is cut.
        self._keeps_last = ll.llama_vocab_get_add_sep(self._vocab) or ll.llama_vocab_get_add_eos(self._vocab)

    def embed(self, texts: Sequence[str]) -> tuple[np.ndarray, int, int]:
        """(float32 vectors, one unit-length row per text; tokens evaluated; texts cut to ``limit``).

        Raises EngineError: STOPPED when stop_requested is set before the last batch is done, INTERNAL when
        llama.cpp fails.
        """
        sequences = [self.tokens(text) for text in texts]
        truncated = sum(len(tokens) > self.limit for tokens in sequences)
        sequences = [self._cut(tokens) for tokens in sequences]
        vectors = np.zeros((len(sequences), self.dim), dtype=np.float32)
        batch = self._ll.llama_batch_init(self.limit, 0, 1)
        budget = min(self.limit, PACK_TOKENS)
        try:
            for first, count in batches(list(map(len, sequences)), budget, self._max_sequences):
                self._evaluate(batch, sequences[first:first + count])
                for seq_id in range(count):
                    vectors[first + seq_id] = self._pooled(seq_id)
        finally:
            self._ll.llama_batch_free(batch)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.divide(vectors, norms, out=vectors, where=norms > 0)
        return vectors, sum(map(len, sequences)), truncated

    def probe(self, text: str) -> None:
        """Embed ``text`` once, as the compatibility probe does while loading (app.core.engine.compat). A stop
        left over from before the load ends it early, as it ends a text model's probe, and is no failure."""
        try:
            self.embed([text])
        except EngineError as exc:
            if exc.kind != protocol.STOPPED:
                raise

    def tokens(self, text: str) -> list[int]:
        """The text's tokens with the model's special tokens ([CLS] … [SEP]); text that looks like a
        special token is read as text. A text of no tokens at all (a model without special tokens, an
        empty text) gets BOS, so that it too has a vector."""
        ll = self._ll
        data = text.encode("utf-8", errors="replace")
        capacity = len(data) + 8
        buffer = (ll.llama_token * capacity)()
        count = ll.llama_tokenize(self._vocab, data, len(data), buffer, capacity, True, False)
        if count < 0:
            capacity = -count
            buffer = (ll.llama_token * capacity)()
            count = ll.llama_tokenize(self._vocab, data, len(data), buffer, capacity, True, False)
        if count == 0:
            return [ll.llama_vocab_bos(self._vocab)]
        return list(buffer[:count])

    def _cut(self, tokens: list[int]) -> list[int]:
        if len(tokens) <= self.limit:
            return tokens
        return tokens[:self.limit - 1] + tokens[-1:] if self._keeps_last else tokens[:self.limit]

    def _evaluate(self, batch, sequences: list[list[int]]) -> None:
        """Run one batch, sequence ``i`` as seq_id ``i`` from position 0, every token an output (pooled)."""
        ll = self._ll
        if self._stop.is_set():
            raise _stopped()
        memory = ll.llama_get_memory(self._ctx)
        if memory:  # None for models without a KV cache (BERT)
            ll.llama_memory_clear(memory, True)
        n = 0
        for seq_id, tokens in enumerate(sequences):
            for pos, token in enumerate(tokens):
                batch.token[n] = token
                batch.pos[n] = pos
                batch.n_seq_id[n] = 1
                batch.seq_id[n][0] = seq_id
                batch.logits[n] = True
                n += 1
        batch.n_tokens = n
        status = self._run(self._ctx, batch)
        if status == 2 or self._stop.is_set():
            raise _stopped()
        if status != 0:
            raise EngineError(protocol.INTERNAL, f"llama.cpp could not evaluate the texts (code {status}).")

    def _pooled(self, seq_id: int) -> np.ndarray:
        pointer = self._ll.llama_get_embeddings_seq(self._ctx, seq_id)
        if not pointer:
            raise EngineError(protocol.INTERNAL, "llama.cpp gave no vector for a text.")
        return np.ctypeslib.as_array(pointer, shape=(self.dim,))


def batches(lengths: Sequence[int], budget: int, max_sequences: int) -> Iterator[tuple[int, int]]:
    """(first, count) of consecutive texts of these token ``lengths`` that share one batch, in order: at most
    ``budget`` tokens in all (a longer text has a batch of its own) and ``max_sequences`` texts."""
    first = used = 0
    for index, length in enumerate(lengths):
        if index > first and (used + length > budget or index - first == max_sequences):
            yield first, index - first
            first, used = index, 0
        used += length
    if lengths:
        yield first, len(lengths) - first


def _stopped() -> EngineError:
    return EngineError(protocol.STOPPED, "The embedding was stopped before every text had its vector.")
