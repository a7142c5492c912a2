"""Load, generate, embed and stop on llama.cpp through llama-cpp-python's low-level API.

This module runs inside the engine process only (see host.py). It drives llama.cpp directly
rather than through ``llama_cpp.Llama`` because it needs three things that class does not offer: the
scheduler's eval callback for the expert tap, an output row at every prompt position (so the last
layer's routing exists for every token), and an abort callback so that "stop" also ends a long
prompt evaluation.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import os
import signal
import threading
import time
from collections.abc import Callable

from app.core.defaults import DEFAULT_CONTEXT, engine_threads
from app.core.engine import protocol
from app.core.engine.backends import load_cpu_backends
from app.core.engine.compat import injected_crash_stages
from app.core.engine.embedding import Embedder, configure_context, embedding_pooling, refuse_for_answers
from app.core.engine.history import Turns, turns_to_drop
from app.core.engine.protocol import EMPTY_ROUTING, ChatMessage, EngineError, Finished, Generate, Routing, Token
from app.core.engine.routing_tap import RoutingTap, rows_to_positions
from app.core.engine.sampling import make_sampler, resolve
from app.core.engine.stops import release_before_stop, release_safe
from app.core.engine.templates import ChatFormat, TemplateError, chat_format
from app.core.models.gguf import GGUFError, ModelInfo, inspect_gguf, read_metadata

# Prompt tokens evaluated per llama_decode: one micro-batch, so rows map to positions directly, and
# small enough that the output rows of every position (needed for the last layer's routing) stay cheap.
BATCH = 128

# A prompt at least this long (UTF-8 bytes) is measured against the context before it is tokenized: a
# pasted megabyte is refused at once instead of after tokenizing all of it.
EARLY_REFUSAL_BYTES = 64 * 1024

# Tokenized while a model is probed: letters, digits, punctuation, umlauts and an emoji.
PROBE_TEXT = "User: Grüße aus Köln! What is 2 + 2? 🚀\nAssistant:"

ANSWER_ROOM_SHARE = 4
"""A conversation keeps room for an answer of max_tokens, or of a quarter of the context if that is less;
older turns are left out until it does, and then until another quarter is free for the turns to come."""


def _silence_llama_log() -> None:
    """llama.cpp logs every tensor it loads; keep only warnings and errors, on stderr."""
    from llama_cpp import llama_cpp as ll

    def forward(level: int, text: bytes, _user_data) -> None:
        if level in (3, 4):  # GGML_LOG_LEVEL_WARN, GGML_LOG_LEVEL_ERROR
            os.write(2, text)

    global _LOG_CALLBACK
    _LOG_CALLBACK = ll.llama_log_callback(forward)
    ll.llama_log_set(_LOG_CALLBACK, None)


_LOG_CALLBACK = None


class Engine:
    """One loaded model and its context; generates answers and reports routing through ``emit``.

    Attributes:
        info: ModelInfo of the loaded model, or None.
        safe: whether the loaded model runs in compatibility mode (see app.core.engine.compat).
        stop_requested: set from any thread to end the current prompt evaluation or answer within
            one token; the caller clears it before the next generation.
    """

    def __init__(self) -> None:
        from llama_cpp import llama_cpp as ll

        self._ll = ll
        load_cpu_backends()  # a release build's CPU variants (GGML_BACKEND_DL); no-op otherwise
        ll.llama_backend_init()
        _silence_llama_log()
        self.info: ModelInfo | None = None
        self.chat_format: ChatFormat = ChatFormat()
        self.stop_requested = threading.Event()
        self._model = None
        self._ctx = None
        self._vocab = None
        self._tap: RoutingTap | None = None
        self._embedder: Embedder | None = None
        self._kv_overrides = None
        self._load_args: tuple | None = None
        self._inject_first_batch = False
        self.safe = False
        self._abort_callback = ll.ggml_abort_callback(lambda _data: self.stop_requested.is_set())
        self._cached_tokens: list[int] = []
        self._left_out: tuple[ChatMessage, ...] = ()
        self._routing_by_pos: dict[int, Routing] = {}
        self._piece_buffer = ctypes.create_string_buffer(256)
        self._longest_piece: int | None = None

    # loading ------------------------------------------------------------------------------------

    def load(self, path: str, n_ctx: int = DEFAULT_CONTEXT, n_threads: int | None = None,
             experts_per_token: int | None = None, capture: bool = True, safe: bool = False,
             probe: bool = False, scores: bool = False, embedding: bool = False) -> tuple[ModelInfo, float]:
        """Load a GGUF file; returns its ModelInfo and the seconds it took.

        ``safe`` loads in compatibility mode (no extra buffer types, see app.core.engine.compat); ``probe``
        evaluates one full micro-batch and one answer token right after loading, so that a model that
        crashes llama.cpp on this processor does so while loading. ``capture=False`` installs no expert
        tap (the benchmark's baseline); ``scores`` also captures the router's scores (Routing.scores).
        ``embedding`` makes an embedding context (app.core.engine.embedding): ``embed`` works, ``generate``
        is refused, and there is no tap.

        If llama.cpp cannot load the file, the model loaded before is loaded again with its own
        settings before the error is raised, so it keeps working.
        """
        started = time.perf_counter()
        try:
            info = inspect_gguf(path, experts_per_token or None)
            pooling = embedding_pooling(read_metadata(path), info.architecture) if embedding else refuse_for_answers(info)
        except GGUFError as exc:
            raise EngineError(protocol.BAD_MODEL, str(exc), exc.reason, exc.details) from exc
        previous = self._load_args
        self.unload()
        try:
            self._load(path, info, n_ctx, n_threads, experts_per_token, capture, safe, scores, pooling)
        except EngineError:
            if previous is not None:
                with contextlib.suppress(EngineError):  # the file may be gone; then nothing is loaded
                    self._load(*previous)
            raise
        if probe:
            self._probe()
        return info, time.perf_counter() - started

    def _load(self, path: str, info: ModelInfo, n_ctx: int, n_threads: int | None,
              experts_per_token: int | None, capture: bool, safe: bool, scores: bool, pooling: int | None) -> None:
        ll = self._ll
        inject = () if safe else injected_crash_stages()
        model_params = ll.llama_model_default_params()
        model_params.use_extra_bufts = not safe
        kv_overrides = _expert_override(info.architecture, experts_per_token) if experts_per_token else None
        if kv_overrides is not None:
            model_params.kv_overrides = kv_overrides
        model = ll.llama_model_load_from_file(os.fsencode(path), model_params)
        if not model:
            raise EngineError(protocol.LOAD_FAILED, f"llama.cpp could not load {os.path.basename(path)}.",
                              details={"stage": "model"})
        _crash_if_injected("load", inject)

        threads = n_threads or engine_threads()
        ctx_params = ll.llama_context_default_params()
        ctx_params.n_ctx = max(64, min(n_ctx, info.context_length or n_ctx))
        ctx_params.n_batch = ctx_params.n_ubatch = BATCH
        ctx_params.n_threads = ctx_params.n_threads_batch = threads
        ctx_params.no_perf = True
        tap = RoutingTap(scores) if info.is_moe and capture and pooling is None else None
        if pooling is not None:
            configure_context(ctx_params, n_ctx, info.context_length, pooling)
        if tap is not None:
            ctx_params.cb_eval = tap.callback
            ctx_params.cb_eval_user_data = tap.user_data
        _crash_if_injected("context", inject)
        ctx = ll.llama_init_from_model(model, ctx_params)
        if not ctx:
            ll.llama_model_free(model)
            raise EngineError(protocol.LOAD_FAILED,
                              f"llama.cpp could not create a context for {os.path.basename(path)}.",
                              details={"stage": "context", "n_ctx": ctx_params.n_ctx})
        ll.llama_set_abort_callback(ctx, self._abort_callback, None)

        self._model, self._ctx, self._tap, self._kv_overrides = model, ctx, tap, kv_overrides
        self._vocab = ll.llama_model_get_vocab(model)
        self._embedder = Embedder(ll, model, ctx, self.stop_requested) if pooling is not None else None
        self.info = info
        self.chat_format = chat_format(ll, model, self._vocab)
        self.safe = safe
        self._load_args = (path, info, n_ctx, n_threads, experts_per_token, capture, safe, scores, pooling)
        self._cached_tokens = []
        self._left_out = ()
        self._routing_by_pos = {}
        self._longest_piece = None
        self._inject_first_batch = "first-batch" in inject

    def _probe(self) -> None:
        """Tokenize a line of text, evaluate one full micro-batch and one single token (an embedding context
        embeds the line), then forget them (app.core.engine.compat): tokenizer and batches run while loading."""
        if self._embedder is not None:
            self._embedder.probe(PROBE_TEXT)
            return
        n_vocab = self._ll.llama_vocab_n_tokens(self._vocab)
        count = max(2, min(BATCH, self.n_ctx - 2))
        text = self.tokenize(PROBE_TEXT)
        tokens = (text + [(7 * i + 1) % n_vocab for i in range(count)])[:count]
        self._evaluate(tokens, 0)
        self._evaluate([tokens[0]], count)
        self._forget_from(0)

    @property
    def n_ctx(self) -> int:
        """Tokens the context holds; in an embedding context, tokens of one text (its micro-batch)."""
        if self._embedder is not None:
            return self._embedder.limit
        return self._ll.llama_n_ctx(self._ctx) if self._ctx else 0

    def unload(self) -> None:
        if self._ctx:
            self._ll.llama_free(self._ctx)
        if self._model:
            self._ll.llama_model_free(self._model)
        self._ctx = self._model = self._vocab = self._tap = self._kv_overrides = self._embedder = None
        self.info = None
        self.chat_format = ChatFormat()
        self._load_args = None
        self._cached_tokens = []
        self._routing_by_pos = {}

    def reset(self) -> None:
        """Forget the cached conversation and the turns it left out, as a fresh load does: no prefix reuse."""
        self._left_out = ()
        if self._ctx is not None and self._embedder is None:  # an embedding context keeps nothing between texts
            self._forget_from(0)

    # prompts ------------------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        ll = self._ll
        data = text.encode("utf-8")
        capacity = len(data) + 8
        tokens = (ll.llama_token * capacity)()
        count = ll.llama_tokenize(self._vocab, data, len(data), tokens, capacity, True, True)
        if count < 0:
            tokens = (ll.llama_token * -count)()
            count = ll.llama_tokenize(self._vocab, data, len(data), tokens, -count, True, True)
        return list(tokens[:count])

    def piece(self, token: int) -> bytes:
        size = self._ll.llama_token_to_piece(self._vocab, token, self._piece_buffer, 256, 0, False)
        if size < 0:
            buffer = ctypes.create_string_buffer(-size)
            size = self._ll.llama_token_to_piece(self._vocab, token, buffer, -size, 0, False)
            return buffer.raw[:size]
        return self._piece_buffer.raw[:size]

    def embed(self, texts: tuple[str, ...] | list[str]) -> protocol.Embedded:
        """A unit-length vector per text (app.core.engine.embedding); EngineError STOPPED if stopped first."""
        if self._embedder is None:
            raise EngineError(protocol.NOT_LOADED, "No model is loaded.") if self._ctx is None else EngineError(
                protocol.BAD_REQUEST, "This model was loaded for answers; load it as an embedding model to embed.")
        return protocol.Embedded(*self._embedder.embed(texts))

    # generation ---------------------------------------------------------------------------------

    def generate(self, request: Generate, emit: Callable[[protocol.Event], None]) -> Finished:
        """Evaluate the request's prompt (its messages in the chat format, or its raw prompt) and
        sample an answer, calling ``emit`` with protocol events.

        Emits one PromptRouting event after the prompt and one Token event per answer token; returns
        the Finished event (which the caller sends).
        """
        if request.max_tokens < 1:
            raise EngineError(protocol.BAD_REQUEST, "max_tokens must be at least 1")
        if self._ctx is None:
            raise EngineError(protocol.NOT_LOADED, "No model is loaded.")
        if self._embedder is not None:
            raise EngineError(protocol.BAD_REQUEST, "This model was loaded for embeddings; it writes no text.")
        ll = self._ll
        started = time.perf_counter()
        n_ctx = self.n_ctx
        if request.messages is not None:
            tokens, template_stops, dropped = self._fit_conversation(request, n_ctx)
        else:
            tokens, template_stops, dropped = self._prompt_tokens(request.prompt or "", n_ctx), [], 0
        stops = [s for s in request.stop if s] + template_stops
        sampling = resolve(request, self.info.sampling)
        try:
            sampler = make_sampler(ll, self._vocab, sampling, request.grammar)
        except ValueError as exc:
            raise EngineError(protocol.BAD_REQUEST, f"The grammar cannot be used: {exc}.") from exc
        try:
            reused = self._reuse_prefix(tokens)
            answer, stop_reason, first_token_at = self._answer(tokens, reused, sampler, request, stops, emit)
        finally:
            ll.llama_sampler_free(sampler)

        finished_at = time.perf_counter()
        generating = finished_at - (first_token_at or finished_at)
        return Finished(
            prompt_tokens=len(tokens),
            answer_tokens=answer,
            ttft_s=round((first_token_at or finished_at) - started, 4),
            tokens_per_s=round((answer - 1) / generating, 2) if answer > 1 and generating > 0 else 0.0,
            stop_reason=stop_reason,
            dropped_messages=dropped,
            context_used=len(self._cached_tokens),
            reused_tokens=reused,
            sampling=sampling.to_dict(),
        )

    def _answer(self, tokens: list[int], reused: int, sampler, request: Generate, stops: list[str],
                emit: Callable[[protocol.Event], None]) -> tuple[int, str, float | None]:
        """Evaluate the prompt from ``reused`` on and sample the answer; returns (answer tokens, stop reason,
        time of the first answer token)."""
        ll = self._ll
        n_ctx = self.n_ctx
        stopped = not self._evaluate(tokens[reused:], reused)
        prompt_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        prompt_events = [self._token_event(pos, tok, protocol.PROMPT, prompt_decoder.decode(self.piece(tok)))
                         for pos, tok in enumerate(tokens)]
        emit(protocol.PromptRouting(tuple(prompt_events)))

        count = 0
        text = ""
        held: list[Token] = []
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        first_token_at = None
        stop_reason = protocol.STOP_STOPPED if stopped else protocol.STOP_LENGTH
        while not stopped and count < request.max_tokens:
            if self.stop_requested.is_set():
                stop_reason = protocol.STOP_STOPPED
                break
            if len(self._cached_tokens) >= n_ctx:
                stop_reason = protocol.STOP_CONTEXT_FULL
                break
            token = ll.llama_sampler_sample(sampler, self._ctx, -1)
            if ll.llama_vocab_is_eog(self._vocab, token):
                stop_reason = protocol.STOP_EOS
                break
            pos = len(self._cached_tokens)
            if not self._evaluate([token], pos):
                stop_reason = protocol.STOP_STOPPED
                break
            count += 1
            piece = decoder.decode(self.piece(token))
            text += piece
            held.append(self._token_event(pos, token, protocol.ANSWER, piece))
            if first_token_at is None:
                first_token_at = time.perf_counter()
            hit = min((s for s in stops if s in text), key=text.index, default=None)
            if hit is not None:
                stop_reason = protocol.STOP_SEQUENCE
                held = release_before_stop(held, text, hit)
                break
            held = release_safe(held, text, stops, emit)
        for event in held:
            emit(event)
        return count, stop_reason, first_token_at

    def _fit_conversation(self, request: Generate, n_ctx: int) -> tuple[list[int], list[str], int]:
        """The prompt tokens of the request's conversation, its stop sequences, and how many messages were
        left out (app.core.engine.history).

        All of it if it leaves room for the answer (ANSWER_ROOM_SHARE); else without the messages the last
        answer's prompt left out, if that leaves room (the cache carries over); else without the fewest
        oldest turns that leave room for the answer and another quarter of the context. If even the last
        turn alone leaves no room, it is asked anyway as long as it fits at all; if it does not,
        CONTEXT_FULL."""
        turns = Turns(request.messages)
        room = min(request.max_tokens, n_ctx // ANSWER_ROOM_SHARE)
        tried: dict[int, tuple[list[int] | None, list[str], int]] = {}

        def attempt(dropped: int) -> tuple[list[int] | None, list[str], int]:
            """(tokens, or None when surely too long; stop sequences; lower bound of the token count)."""
            if dropped not in tried:
                prompt, stops = self._render(turns.without(dropped), request.thinking)
                at_least = self._at_least_tokens(prompt)
                tried[dropped] = (None if at_least >= n_ctx else self.tokenize(prompt), stops, at_least)
            return tried[dropped]

        def fits(dropped: int, spare: int) -> bool:
            tokens = attempt(dropped)[0]
            return tokens is not None and len(tokens) + room + spare <= n_ctx

        dropped = turns_to_drop(turns, fits, n_ctx // ANSWER_ROOM_SHARE, self._left_out)
        tokens, stops, at_least = attempt(dropped)
        if tokens is None or len(tokens) >= n_ctx:
            self._refuse(tokens, n_ctx, at_least)
        self._left_out = turns.left_out(dropped)
        return tokens, stops, turns.dropped_messages(dropped)

    def _render(self, messages: tuple[ChatMessage, ...], thinking: bool | None) -> tuple[str, list[str]]:
        try:
            return self.chat_format.render(messages, thinking)
        except TemplateError as exc:
            raise EngineError(protocol.BAD_REQUEST, str(exc),
                              reason=protocol.TEMPLATE_FAILED,
                              details={"source": self.chat_format.source, "problem": exc.problem}) from exc

    def _prompt_tokens(self, prompt: str, n_ctx: int) -> list[int]:
        """A raw prompt's tokens; CONTEXT_FULL when they do not fit (measured without tokenizing when long)."""
        at_least = self._at_least_tokens(prompt)
        if at_least >= n_ctx or len(tokens := self.tokenize(prompt)) >= n_ctx:
            self._refuse(None if at_least >= n_ctx else tokens, n_ctx, at_least)
        return tokens

    @staticmethod
    def _refuse(tokens: list[int] | None, n_ctx: int, at_least: int) -> None:
        """CONTEXT_FULL for a prompt of ``tokens``, or of ``at_least`` tokens when it was not tokenized."""
        count, measured = (at_least, True) if tokens is None else (len(tokens), False)
        raise EngineError(
            protocol.CONTEXT_FULL,
            f"The conversation is {'at least ' if measured else ''}{count} tokens long; the context holds {n_ctx}. "
            "Start a new conversation or load the model with a longer context.",
            details={"tokens": count, "n_ctx": n_ctx, "at_least": measured},
        )

    def _at_least_tokens(self, prompt: str) -> int:
        """A lower bound on a long prompt's tokens, without tokenizing it (0 for a short one).

        With a BPE or SentencePiece vocabulary no token stands for more text than the vocabulary's
        longest piece, so a prompt of ``size`` bytes has at least size / longest piece tokens: a pasted
        megabyte is refused at once instead of after tokenizing all of it. (Other vocabularies may fold
        whitespace, so their prompts are always tokenized.)
        """
        size = len(prompt.encode("utf-8", errors="replace"))
        ll = self._ll
        if size < max(self.n_ctx, EARLY_REFUSAL_BYTES) or ll.llama_vocab_type(self._vocab) not in (
                ll.LLAMA_VOCAB_TYPE_SPM, ll.LLAMA_VOCAB_TYPE_BPE):
            return 0
        if self._longest_piece is None:
            buffer = ctypes.create_string_buffer(1024)
            self._longest_piece = max(
                (abs(ll.llama_token_to_piece(self._vocab, token, buffer, len(buffer), 0, True))
                 for token in range(ll.llama_vocab_n_tokens(self._vocab))), default=1) or 1
        return -(-size // self._longest_piece)

    def _token_event(self, pos: int, token: int, source: str, text: str) -> Token:
        return Token(pos, token, text, source, self._routing_by_pos.get(pos, EMPTY_ROUTING))

    def _reuse_prefix(self, tokens: list[int]) -> int:
        """Keep the KV cache (and routing) of the longest common prefix; at least one token is evaluated anew."""
        reused = 0
        for old, new in zip(self._cached_tokens, tokens):
            if old != new:
                break
            reused += 1
        reused = min(reused, len(tokens) - 1)
        self._forget_from(reused)
        return reused

    def _forget_from(self, pos: int) -> None:
        memory = self._ll.llama_get_memory(self._ctx)
        if not self._ll.llama_memory_seq_rm(memory, 0, pos, -1):
            self._ll.llama_memory_clear(memory, True)
            pos = 0
        del self._cached_tokens[pos:]
        self._routing_by_pos = {p: r for p, r in self._routing_by_pos.items() if p < pos}

    def _evaluate(self, tokens: list[int], first_pos: int) -> bool:
        """Run tokens through the model in micro-batches, capturing routing; False if stopped."""
        ll = self._ll
        want_all_rows = self._tap is not None
        batch = ll.llama_batch_init(BATCH, 0, 1)
        try:
            for start in range(0, len(tokens), BATCH):
                chunk = tokens[start:start + BATCH]
                pos0 = first_pos + start
                batch.n_tokens = len(chunk)
                for i, token in enumerate(chunk):
                    batch.token[i] = token
                    batch.pos[i] = pos0 + i
                    batch.n_seq_id[i] = 1
                    batch.seq_id[i][0] = 0
                    batch.logits[i] = want_all_rows or i == len(chunk) - 1
                if want_all_rows:
                    self._tap.begin()
                if self._inject_first_batch:
                    _crash_if_injected("first-batch", {"first-batch"})
                status = ll.llama_decode(self._ctx, batch)
                if status == 2 or self.stop_requested.is_set():
                    self._forget_from(pos0)
                    return False
                if status != 0:
                    self._forget_from(pos0)
                    raise EngineError(protocol.INTERNAL, f"llama.cpp could not evaluate the text (code {status}).")
                self._cached_tokens.extend(chunk)
                if want_all_rows:
                    self._routing_by_pos.update(rows_to_positions(self._tap.take(), pos0, len(chunk)))
        finally:
            ll.llama_batch_free(batch)
        return True


def _crash_if_injected(stage: str, stages) -> None:
    """Fault injection (app.core.engine.compat.INJECT_ENV): crash the way llama.cpp's bug does at this stage."""
    if stage in stages:
        os.kill(os.getpid(), signal.SIGSEGV if stage == "first-batch" else signal.SIGABRT)


def _expert_override(architecture: str, k: int):
    from llama_cpp import llama_cpp as ll

    overrides = (ll.llama_model_kv_override * 2)()
    overrides[0].tag = ll.LLAMA_KV_OVERRIDE_TYPE_INT
    overrides[0].key = f"{architecture}.expert_used_count".encode()
    overrides[0].value.val_i64 = k
    overrides[1].key = b""
    return overrides
