"""Load, generate and stop on llama.cpp through llama-cpp-python's low-level API.

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

from app.core.defaults import DEFAULT_CONTEXT
from app.core.engine import protocol
from app.core.engine.backends import load_cpu_backends
from app.core.engine.compat import injected_crash_stages
from app.core.engine.protocol import EMPTY_ROUTING, ChatMessage, Finished, Generate, Routing, Token
from app.core.engine.routing_tap import RoutingTap, rows_to_positions
from app.core.engine.stops import release_before_stop, release_safe
from app.core.models.gguf import GGUFError, ModelInfo, inspect_gguf

# Prompt tokens evaluated per llama_decode: one micro-batch, so rows map to positions directly, and
# small enough that the output rows of every position (needed for the last layer's routing) stay cheap.
BATCH = 128

# A prompt at least this long (UTF-8 bytes) is measured against the context before it is tokenized: a
# pasted megabyte is refused at once instead of after tokenizing all of it.
EARLY_REFUSAL_BYTES = 64 * 1024

# Tokenized while a model is probed: letters, digits, punctuation, umlauts and an emoji.
PROBE_TEXT = "User: Grüße aus Köln! What is 2 + 2? 🚀\nAssistant:"

# For models without a chat template of their own (base models, the synthetic demos).
FALLBACK_SYSTEM = "The following is a conversation between a user and a helpful assistant."
FALLBACK_STOP = ("\nUser:", "\nuser:", "\nAssistant:")
_FALLBACK_ROLES = {protocol.USER: "User", protocol.ASSISTANT: "Assistant", protocol.SYSTEM: "System"}


class EngineError(Exception):
    """A request the engine could not carry out; ``kind`` is one of protocol.ERROR_KINDS.

    For a model file that cannot be used, ``reason`` and ``details`` are the GGUFError's (see
    gguf.REASONS), so that the window can say it in the user's language.
    """

    def __init__(self, kind: str, message: str, reason: str | None = None,
                 details: dict | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.reason = reason
        self.details = {key: value if isinstance(value, (int, float, str, bool)) else str(value)
                        for key, value in (details or {}).items()}

    def to_event(self, still_loaded: str | None = None) -> protocol.Error:
        """The protocol's Error event; ``still_loaded`` after a failed load (the model the engine has)."""
        return protocol.Error(self.kind, self.message, self.reason, self.details, still_loaded)


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
        self.stop_requested = threading.Event()
        self._model = None
        self._ctx = None
        self._vocab = None
        self._tap: RoutingTap | None = None
        self._kv_overrides = None
        self._load_args: tuple | None = None
        self._inject_first_batch = False
        self.safe = False
        self._abort_callback = ll.ggml_abort_callback(lambda _data: self.stop_requested.is_set())
        self._cached_tokens: list[int] = []
        self._routing_by_pos: dict[int, Routing] = {}
        self._piece_buffer = ctypes.create_string_buffer(256)
        self._longest_piece: int | None = None

    # loading ------------------------------------------------------------------------------------

    def load(self, path: str, n_ctx: int = DEFAULT_CONTEXT, n_threads: int | None = None,
             experts_per_token: int | None = None, capture: bool = True, safe: bool = False,
             probe: bool = False) -> tuple[ModelInfo, float]:
        """Load a GGUF file; returns its ModelInfo and the seconds it took.

        ``safe`` loads in compatibility mode (no extra buffer types, see app.core.engine.compat); ``probe``
        evaluates one full micro-batch and one answer token right after loading, so that a model
        that crashes llama.cpp on this processor does so while loading. ``capture=False`` installs
        no expert tap at all (the benchmark's baseline).

        If llama.cpp cannot load the file, the model loaded before is loaded again with its own
        settings before the error is raised, so it keeps working.
        """
        started = time.perf_counter()
        try:
            info = inspect_gguf(path, experts_per_token or None)
        except GGUFError as exc:
            raise EngineError(protocol.BAD_MODEL, str(exc), exc.reason, exc.details) from exc
        previous = self._load_args
        self.unload()
        try:
            self._load(path, info, n_ctx, n_threads, experts_per_token, capture, safe)
        except EngineError:
            if previous is not None:
                with contextlib.suppress(EngineError):  # the file may be gone; then nothing is loaded
                    self._load(*previous)
            raise
        if probe:
            self._probe()
        return info, time.perf_counter() - started

    def _load(self, path: str, info: ModelInfo, n_ctx: int, n_threads: int | None,
              experts_per_token: int | None, capture: bool, safe: bool) -> None:
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

        threads = n_threads or max(1, min(8, os.cpu_count() or 1))
        ctx_params = ll.llama_context_default_params()
        ctx_params.n_ctx = max(64, min(n_ctx, info.context_length or n_ctx))
        ctx_params.n_batch = BATCH
        ctx_params.n_ubatch = BATCH
        ctx_params.n_threads = threads
        ctx_params.n_threads_batch = threads
        ctx_params.no_perf = True
        tap = RoutingTap() if info.is_moe and capture else None
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

        self._model, self._ctx, self._tap = model, ctx, tap
        self._kv_overrides = kv_overrides
        self._vocab = ll.llama_model_get_vocab(model)
        self.info = info
        self.safe = safe
        self._load_args = (path, info, n_ctx, n_threads, experts_per_token, capture, safe)
        self._cached_tokens = []
        self._routing_by_pos = {}
        self._longest_piece = None
        self._inject_first_batch = "first-batch" in inject

    def _probe(self) -> None:
        """Tokenize a line of text, evaluate one full micro-batch and one single token, then forget them
        (see app.core.engine.compat): the tokenizer and both kinds of batch run once while loading."""
        n_vocab = self._ll.llama_vocab_n_tokens(self._vocab)
        count = max(2, min(BATCH, self.n_ctx - 2))
        text = self.tokenize(PROBE_TEXT)
        tokens = (text + [(7 * i + 1) % n_vocab for i in range(count)])[:count]
        self._evaluate(tokens, 0)
        self._evaluate([tokens[0]], count)
        self._forget_from(0)

    @property
    def n_ctx(self) -> int:
        return self._ll.llama_n_ctx(self._ctx) if self._ctx else 0

    def unload(self) -> None:
        if self._ctx:
            self._ll.llama_free(self._ctx)
        if self._model:
            self._ll.llama_model_free(self._model)
        self._ctx = self._model = self._vocab = self._tap = self._kv_overrides = None
        self.info = None
        self._load_args = None
        self._cached_tokens = []
        self._routing_by_pos = {}

    def reset(self) -> None:
        """Forget the cached conversation: the next prompt is evaluated from its first token."""
        if self._ctx is not None:
            self._forget_from(0)

    # prompts ------------------------------------------------------------------------------------

    def chat_prompt(self, messages: tuple[ChatMessage, ...]) -> tuple[str, list[str]]:
        """Format a conversation with the model's chat template, or a plain fallback; returns (prompt, stops)."""
        ll = self._ll
        template = ll.llama_model_chat_template(self._model, None)
        if template:
            chat = (ll.llama_chat_message * len(messages))()
            encoded = [(m.role.encode(), m.content.encode()) for m in messages]
            for item, (role, content) in zip(chat, encoded):
                item.role, item.content = role, content
            size = ll.llama_chat_apply_template(template, chat, len(messages), True, None, 0)
            if size > 0:
                buffer = ctypes.create_string_buffer(size + 1)
                ll.llama_chat_apply_template(template, chat, len(messages), True, buffer, size + 1)
                return buffer.raw[:size].decode("utf-8", errors="replace"), []
        lines = [FALLBACK_SYSTEM, ""]
        for message in messages:
            role = _FALLBACK_ROLES.get(message.role, "User")
            lines.append(f"{role}: {message.content.strip()}")
        lines.append("Assistant:")
        return "\n".join(lines), list(FALLBACK_STOP)

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

    # generation ---------------------------------------------------------------------------------

    def generate(self, request: Generate, emit: Callable[[protocol.Event], None]) -> Finished:
        """Evaluate the request's prompt (its messages in the chat template, or its raw prompt) and
        sample an answer, calling ``emit`` with protocol events.

        Emits one PromptRouting event after the prompt and one Token event per answer token; returns
        the Finished event (which the caller sends).
        """
        if request.max_tokens < 1:
            raise EngineError(protocol.BAD_REQUEST, "max_tokens must be at least 1")
        if self._ctx is None:
            raise EngineError(protocol.NOT_LOADED, "No model is loaded.")
        stops = [s for s in request.stop if s]
        if request.messages is not None:
            prompt, template_stops = self.chat_prompt(request.messages)
            stops += template_stops
        else:
            prompt = request.prompt or ""
        ll = self._ll
        started = time.perf_counter()
        n_ctx = self.n_ctx
        self._refuse_if_surely_too_long(prompt, n_ctx)
        tokens = self.tokenize(prompt)
        if len(tokens) >= n_ctx:
            raise EngineError(
                protocol.CONTEXT_FULL,
                f"The conversation is {len(tokens)} tokens long; the context holds {n_ctx}. "
                "Start a new conversation or load the model with a longer context.",
                details={"tokens": len(tokens), "n_ctx": n_ctx, "at_least": False},
            )

        reused = self._reuse_prefix(tokens)
        stopped = not self._evaluate(tokens[reused:], reused)
        prompt_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        prompt_events = [self._token_event(pos, tok, protocol.PROMPT, prompt_decoder.decode(self.piece(tok)))
                         for pos, tok in enumerate(tokens)]
        emit(protocol.PromptRouting(tuple(prompt_events)))

        answer: list[int] = []
        text = ""
        held: list[Token] = []
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        first_token_at = None
        stop_reason = protocol.STOP_STOPPED if stopped else protocol.STOP_LENGTH
        sampler = self._make_sampler(request)
        try:
            while not stopped and len(answer) < request.max_tokens:
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
                answer.append(token)
                piece = decoder.decode(self.piece(token))
                text += piece
                held.append(self._token_event(pos, token, protocol.ANSWER, piece))
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                hit = min((s for s in stops if s in text), key=text.index, default=None)
                if hit is not None:
                    stop_reason = protocol.STOP_SEQUENCE
                    held = release_before_stop(held, text, hit)
                    for event in held:
                        emit(event)
                    held = []
                    break
                held = release_safe(held, text, stops, emit)
            for event in held:
                emit(event)
        finally:
            ll.llama_sampler_free(sampler)

        finished_at = time.perf_counter()
        generating = finished_at - (first_token_at or finished_at)
        return Finished(
            prompt_tokens=len(tokens),
            answer_tokens=len(answer),
            ttft_s=round((first_token_at or finished_at) - started, 4),
            tokens_per_s=round((len(answer) - 1) / generating, 2) if len(answer) > 1 and generating > 0 else 0.0,
            stop_reason=stop_reason,
        )

    def _refuse_if_surely_too_long(self, prompt: str, n_ctx: int) -> None:
        """Refuse a long prompt that cannot fit, without tokenizing it.

        With a BPE or SentencePiece vocabulary no token stands for more text than the vocabulary's
        longest piece, so a prompt longer than ``n_ctx`` such pieces has more tokens than the context
        holds. (Other vocabularies may fold whitespace, so their prompts are always tokenized.)
        """
        size = len(prompt.encode("utf-8", errors="replace"))
        ll = self._ll
        if size < max(n_ctx, EARLY_REFUSAL_BYTES) or ll.llama_vocab_type(self._vocab) not in (
                ll.LLAMA_VOCAB_TYPE_SPM, ll.LLAMA_VOCAB_TYPE_BPE):
            return
        if self._longest_piece is None:
            buffer = ctypes.create_string_buffer(1024)
            self._longest_piece = max(
                (abs(ll.llama_token_to_piece(self._vocab, token, buffer, len(buffer), 0, True))
                 for token in range(ll.llama_vocab_n_tokens(self._vocab))), default=1) or 1
        at_least = -(-size // self._longest_piece)
        if at_least >= n_ctx:
            raise EngineError(
                protocol.CONTEXT_FULL,
                f"The conversation is at least {at_least} tokens long ({size} bytes); the context holds "
                f"{n_ctx}. Start a new conversation or load the model with a longer context.",
                details={"tokens": at_least, "n_ctx": n_ctx, "at_least": True},
            )

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

    def _make_sampler(self, settings: Generate):
        ll = self._ll
        chain = ll.llama_sampler_chain_init(ll.llama_sampler_chain_default_params())
        if settings.repeat_penalty and settings.repeat_penalty != 1.0:
            n_vocab = ll.llama_vocab_n_tokens(self._vocab)
            penalties = ll.llama_sampler_init_penalties(n_vocab, 64, settings.repeat_penalty, 0.0, 0.0)
            ll.llama_sampler_chain_add(chain, penalties)
        if settings.temperature <= 0:
            ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_greedy())
            return chain
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_k(settings.top_k))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_p(settings.top_p, 1))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_temp(settings.temperature))
        seed = settings.seed if settings.seed is not None else int.from_bytes(os.urandom(4), "little")
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_dist(seed & 0xFFFFFFFF))
        return chain


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
