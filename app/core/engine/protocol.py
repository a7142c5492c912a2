"""Messages between the GUI process (client) and the engine process (host), as typed objects.

Every command and event is a frozen dataclass whose ``name`` is one of the name constants below;
nothing else spells those names. They cross the process boundary as JSON lines (``encode``,
``decode_command``, ``decode_event``): one object per line, the name under ``cmd`` (commands) or
``event`` (events), the fields as the other keys. The engine process writes events on its own copy
of the original stdout; anything llama.cpp itself prints goes to stderr, so it cannot corrupt the
stream.

Commands (client -> host):
    Load      path, n_ctx, n_threads, experts_per_token (None: the model's own), safe (compatibility
              mode: no extra buffer types), probe (evaluate one batch and one token while loading;
              see app.core.engine.compat), scores (also capture the router's probabilities over all
              experts; costs speed, see app.core.engine.routing_tap), embedding (an embedding context:
              Embed works and Generate is refused, no expert tap; see app.core.engine.embedding)
    Generate  either ``prompt`` (raw text, no template) or ``messages`` (ChatMessage; the model's chat
              template, a llama.cpp built-in or a plain fallback is applied, see
              app.core.engine.templates; the oldest turns are left out when they no longer fit);
              max_tokens, temperature, top_p, top_k, min_p, repeat_penalty (None: the model's own
              general.sampling.* value, else app.core.defaults), seed, stop (strings), thinking (None:
              the template's default; True/False sets enable_thinking where the template has that
              switch), grammar (GBNF text the answer must follow, or None)
    Embed     texts: one vector each, from a model loaded with ``embedding`` (refused otherwise)
    Stop      ends prompt processing or generation within one token, an Embed within its batch under way
    Unload
    Forget    drops the KV cache and the remembered prompt tokens (and the turns the last prompt left
              out): the next Generate evaluates its whole prompt, as in a fresh engine
    Shutdown  ends a running answer as Stop does, then the process (so does the end of stdin)

Events (host -> client):
    Ready           pid, version, network_policy: NetworkPolicy.describe() of the policy installed in
                    the engine process; the host is up and waiting for commands (a company server's
                    client, app.core.remote, says pid 0: no process of ours)
    Loaded          info (ModelInfo, with the model's sampling defaults), load_seconds, n_ctx, safe,
                    template (TEMPLATE_MODEL, "builtin:<name>" or TEMPLATE_PLAIN: how chats become
                    prompts), thinking_switch (the template honours Generate.thinking), template_problem
                    (English: why the model's own template is not used; "" when it is or has none)
    PromptRouting   tokens: a Token per prompt position (source PROMPT)
    Token           pos, token, text, source (PROMPT | ANSWER), routing (Routing)
    Finished        prompt_tokens, answer_tokens, ttft_s, tokens_per_s, stop_reason (STOP_REASONS),
                    dropped_messages (how many messages after the leading system prompt were left
                    out of the prompt, oldest first, to make it fit; whole turns, never a
                    system prompt), context_used (tokens in the context after the answer), reused_tokens
                    (prompt tokens kept from the previous answer's cache, not evaluated again), sampling
                    (the settings used, every one decided, with the seed)
    Embedded        the answer to Embed: vectors (float32, count x dim: one row of unit length per text, in
                    order; on the wire ``vectors`` is base64 of the little-endian float32 rows, with ``count``
                    and ``dim``, so that they arrive exactly), tokens (evaluated in all, [CLS] and [SEP] or the
                    model's own special tokens included), truncated (how many texts were cut to the context)
    Unloaded
    Forgotten       the answer to Forget: nothing of earlier answers is left in the engine
    Error           kind (ERROR_KINDS), message (English); for a model file that cannot be used also
                    reason and details (the GGUFError's, see gguf.REASONS); after a failed Load also
                    still_loaded: the path of the model the engine still has, or None; for
                    CONTEXT_FULL details tokens, n_ctx and at_least (true when the prompt was measured
                    by its length, not tokenized: tokens is a minimum); for LOAD_FAILED details stage
                    ("model" | "context") and, for a context, n_ctx; for a chat template that failed
                    (kind BAD_REQUEST, reason TEMPLATE_FAILED) details source (the template used) and
                    problem ("timeout" | "failed" | "too_long"); STOPPED for an Embed that Stop ended
                    before every text had its vector; from a company server's client
                    (app.core.remote) one of REMOTE_ERROR_KINDS, with details status (the HTTP status,
                    where there was one) and, for RATE_LIMITED, retry_after (seconds, or absent)
    NetworkBlocked  attempt: the NetworkAttempt (app.core.locality) the engine's network policy
                    refused or, despite the name, a user action allowed (with its outcome). May come
                    at any time after Ready; on the wire the event name, then NetworkAttempt.to_dict's fields
    Lost            exit (EngineExit: why the process ended), last_words (its last line on stderr);
                    synthesised by the client when the process died, never on the wire

A Routing (app.core.engine.routing) holds one token's routing; a dense model's tokens have
EMPTY_ROUTING.

Longer than 500 lines because the whole wire is here: every command and event with its name, its fields'
description above and its wire form, so that the protocol is read and changed in one place and nothing
else spells its names.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import ClassVar

import numpy as np

from app.core import defaults
from app.core.engine.exits import EngineExit
from app.core.engine.routing import EMPTY_ROUTING, Routing
from app.core.locality.policy import NetworkAttempt
from app.core.models.gguf import ModelInfo

COMMAND_KEY = "cmd"
EVENT_KEY = "event"

LOAD = "load"
GENERATE = "generate"
STOP = "stop"
UNLOAD = "unload"
FORGET = "forget"
EMBED = "embed"
SHUTDOWN = "shutdown"

READY = "ready"
LOADED = "loaded"
PROMPT_ROUTING = "prompt_routing"
TOKEN = "token"
FINISHED = "finished"
UNLOADED = "unloaded"
FORGOTTEN = "forgotten"
EMBEDDED = "embedded"
ERROR = "error"
NETWORK_BLOCKED = "network_blocked"
LOST = "lost"

BAD_MODEL = "bad_model"
LOAD_FAILED = "load_failed"
NOT_LOADED = "not_loaded"
CONTEXT_FULL = "context_full"
BAD_REQUEST = "bad_request"
INTERNAL = "internal"
STOPPED = "stopped"  # an Embed ended by Stop: no vectors
UNREACHABLE = "unreachable"  # no connection to the server (name unknown, refused, timed out)
TLS = "tls"  # the server's certificate was not accepted
UNAUTHORIZED = "unauthorized"  # HTTP 401 or 403: the API key is missing or wrong
MODEL_NOT_FOUND = "model_not_found"  # HTTP 404, or the server does not list the model
RATE_LIMITED = "rate_limited"  # HTTP 429
SERVER = "server"  # HTTP 5xx, or another status the server should not send
MALFORMED = "malformed"  # an answer that is not what the server's kind sends (JSON, SSE, routed experts)
BLOCKED = "blocked"  # MoEscope's network policy refused the connection (offline mode)
REMOTE_ERROR_KINDS = (UNREACHABLE, TLS, UNAUTHORIZED, MODEL_NOT_FOUND, RATE_LIMITED, SERVER, MALFORMED, BLOCKED)
"""Error kinds of a company server's client (app.core.remote.errors.RemoteError)."""
ERROR_KINDS = (BAD_MODEL, LOAD_FAILED, NOT_LOADED, CONTEXT_FULL, BAD_REQUEST, INTERNAL, STOPPED,
               *REMOTE_ERROR_KINDS)

TEMPLATE_FAILED = "template_failed"
"""Error.reason of a BAD_REQUEST whose conversation the chat template could not render."""

TEMPLATE_MODEL = "model"
TEMPLATE_BUILTIN = "builtin:"
TEMPLATE_PLAIN = "plain"

STOP_LENGTH = "length"
STOP_EOS = "eos"
STOP_SEQUENCE = "stop_sequence"
STOP_STOPPED = "stopped"
STOP_CONTEXT_FULL = "context_full"
STOP_REASONS = (STOP_LENGTH, STOP_EOS, STOP_SEQUENCE, STOP_STOPPED, STOP_CONTEXT_FULL)

PROMPT = "prompt"
ANSWER = "answer"

USER = "user"
ASSISTANT = "assistant"
SYSTEM = "system"


class ProtocolError(ValueError):
    """A line that is no known, well-formed message; the text says why, in English."""


class EngineError(Exception):
    """An Error event as an exception: a request the engine process could not carry out, raised where it
    failed (app.core.engine.llama_driver, app.core.engine.embedding) and sent by the host's main loop.

    ``kind`` is one of ERROR_KINDS. For a model file that cannot be used, ``reason`` and ``details`` are the
    GGUFError's (see gguf.REASONS), so that the window can say it in the user's language.
    """

    def __init__(self, kind: str, message: str, reason: str | None = None,
                 details: dict | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.reason = reason
        self.details = {key: value if isinstance(value, (int, float, str, bool)) else str(value)
                        for key, value in (details or {}).items()}

    def to_event(self, still_loaded: str | None = None) -> Error:
        """The Error event; ``still_loaded`` after a failed load (the model the engine has)."""
        return Error(self.kind, self.message, self.reason, self.details, still_loaded)


# --- commands --------------------------------------------------------------------------------------


class _Message:
    """Wire conversion of a dataclass whose fields are plain JSON values."""

    name: ClassVar[str]
    key: ClassVar[str]

    def to_wire(self) -> dict:
        return {self.key: self.name, **{item.name: getattr(self, item.name) for item in fields(self)}}

    @classmethod
    def from_wire(cls, message: Mapping):
        return cls(**{item.name: message[item.name] for item in fields(cls) if item.name in message})


class _Command(_Message):
    key: ClassVar[str] = COMMAND_KEY


class _Event(_Message):
    key: ClassVar[str] = EVENT_KEY


def _optional_int(value) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Load(_Command):
    path: str
    n_ctx: int = defaults.DEFAULT_CONTEXT
    n_threads: int | None = None
    experts_per_token: int | None = None
    safe: bool = False
    probe: bool = False
    scores: bool = False
    embedding: bool = False
    name: ClassVar[str] = LOAD

    @classmethod
    def from_wire(cls, message: Mapping) -> Load:
        return cls(path=str(message["path"]), n_ctx=int(message.get("n_ctx") or defaults.DEFAULT_CONTEXT),
                   n_threads=_optional_int(message.get("n_threads")),
                   experts_per_token=_optional_int(message.get("experts_per_token")) or None,
                   safe=bool(message.get("safe")), probe=bool(message.get("probe")),
                   scores=bool(message.get("scores")), embedding=bool(message.get("embedding")))


@dataclass(frozen=True)
class ChatMessage:
    """One turn of a conversation: ``role`` USER, ASSISTANT or SYSTEM, and its text."""

    role: str
    content: str


_SETTINGS = {"max_tokens": int, "temperature": float, "top_p": float, "top_k": int, "min_p": float,
             "repeat_penalty": float, "seed": int}


@dataclass(frozen=True)
class Generate(_Command):
    prompt: str | None = None
    messages: tuple[ChatMessage, ...] | None = None
    max_tokens: int = defaults.MAX_TOKENS
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repeat_penalty: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    thinking: bool | None = None
    grammar: str | None = None
    name: ClassVar[str] = GENERATE

    def to_wire(self) -> dict:
        message: dict = {COMMAND_KEY: GENERATE}
        if self.prompt is not None:
            message["prompt"] = self.prompt
        if self.messages is not None:
            message["messages"] = [{"role": turn.role, "content": turn.content} for turn in self.messages]
        message.update({key: getattr(self, key) for key in _SETTINGS}, stop=list(self.stop))
        if self.thinking is not None:
            message["thinking"] = self.thinking
        if self.grammar is not None:
            message["grammar"] = self.grammar
        return message

    @classmethod
    def from_wire(cls, message: Mapping) -> Generate:
        turns = message.get("messages")
        return cls(
            prompt=None if message.get("prompt") is None else str(message["prompt"]),
            messages=None if turns is None else tuple(ChatMessage(str(t["role"]), str(t["content"])) for t in turns),
            stop=tuple(str(stop) for stop in message.get("stop") or ()),
            thinking=None if message.get("thinking") is None else bool(message["thinking"]),
            grammar=None if message.get("grammar") is None else str(message["grammar"]),
            **{key: convert(message[key]) for key, convert in _SETTINGS.items() if message.get(key) is not None},
        )


@dataclass(frozen=True)
class Stop(_Command):
    name: ClassVar[str] = STOP


@dataclass(frozen=True)
class Unload(_Command):
    name: ClassVar[str] = UNLOAD


@dataclass(frozen=True)
class Forget(_Command):
    name: ClassVar[str] = FORGET


@dataclass(frozen=True)
class Embed(_Command):
    texts: tuple[str, ...]
    name: ClassVar[str] = EMBED

    def to_wire(self) -> dict:
        return {COMMAND_KEY: EMBED, "texts": list(self.texts)}

    @classmethod
    def from_wire(cls, message: Mapping) -> Embed:
        texts = message["texts"]
        if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
            raise ValueError("texts must be a list of strings")
        return cls(tuple(texts))


@dataclass(frozen=True)
class Shutdown(_Command):
    name: ClassVar[str] = SHUTDOWN


# --- events ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ready(_Event):
    pid: int
    version: str
    network_policy: dict
    name: ClassVar[str] = READY


@dataclass(frozen=True)
class Loaded(_Event):
    info: ModelInfo
    load_seconds: float
    n_ctx: int
    safe: bool
    template: str = TEMPLATE_PLAIN
    thinking_switch: bool = False
    template_problem: str = ""
    name: ClassVar[str] = LOADED

    def to_wire(self) -> dict:
        return {**super().to_wire(), "info": self.info.to_dict()}

    @classmethod
    def from_wire(cls, message: Mapping) -> Loaded:
        return cls(ModelInfo.from_dict(message["info"]), float(message["load_seconds"]), int(message["n_ctx"]),
                   bool(message["safe"]), str(message.get("template") or TEMPLATE_PLAIN),
                   bool(message.get("thinking_switch")), str(message.get("template_problem") or ""))


@dataclass(frozen=True)
class Token(_Event):
    pos: int
    token: int
    text: str
    source: str
    routing: Routing = EMPTY_ROUTING
    name: ClassVar[str] = TOKEN

    def to_wire(self) -> dict:
        message = {EVENT_KEY: TOKEN, "pos": self.pos, "token": self.token, "text": self.text,
                   "source": self.source}
        routing = self.routing.to_wire()
        if routing is not None:
            message["routing"] = routing
        return message

    @classmethod
    def from_wire(cls, message: Mapping) -> Token:
        return cls(int(message["pos"]), int(message["token"]), str(message["text"]), str(message["source"]),
                   Routing.from_wire(message.get("routing")))


@dataclass(frozen=True)
class PromptRouting(_Event):
    tokens: tuple[Token, ...]
    name: ClassVar[str] = PROMPT_ROUTING

    def to_wire(self) -> dict:
        return {EVENT_KEY: PROMPT_ROUTING, "tokens": [_without_name(token.to_wire()) for token in self.tokens]}

    @classmethod
    def from_wire(cls, message: Mapping) -> PromptRouting:
        return cls(tuple(Token.from_wire(token) for token in message["tokens"]))


def _without_name(message: dict) -> dict:
    del message[EVENT_KEY]
    return message


@dataclass(frozen=True)
class Finished(_Event):
    prompt_tokens: int
    answer_tokens: int
    ttft_s: float
    tokens_per_s: float
    stop_reason: str
    dropped_messages: int = 0
    context_used: int = 0
    reused_tokens: int = 0
    sampling: dict = field(default_factory=dict)
    name: ClassVar[str] = FINISHED


@dataclass(frozen=True)
class Unloaded(_Event):
    name: ClassVar[str] = UNLOADED


@dataclass(frozen=True)
class Forgotten(_Event):
    name: ClassVar[str] = FORGOTTEN


@dataclass(frozen=True, eq=False)
class Embedded(_Event):
    """The answer to Embed; ``vectors`` is a float32 array of shape (texts, dim), one unit-length row per
    text, read-only when it came over the wire (the event is compared by identity: an array has no single
    truth value)."""

    vectors: np.ndarray
    tokens: int
    truncated: int = 0
    name: ClassVar[str] = EMBEDDED

    def to_wire(self) -> dict:
        rows = np.ascontiguousarray(self.vectors, dtype="<f4")
        count, dim = rows.shape
        return {EVENT_KEY: EMBEDDED, "count": count, "dim": dim,
                "vectors": base64.b64encode(rows.tobytes()).decode("ascii"),
                "tokens": self.tokens, "truncated": self.truncated}

    @classmethod
    def from_wire(cls, message: Mapping) -> Embedded:
        count, dim = int(message["count"]), int(message["dim"])
        if count < 0 or dim < 0:
            raise ValueError(f"count and dim must not be negative, not {count} and {dim}")
        data = base64.b64decode(message["vectors"], validate=True)
        if len(data) != 4 * count * dim:
            raise ValueError(f"{len(data)} bytes of vectors for {count} x {dim} float32")
        vectors = np.frombuffer(data, dtype="<f4").astype(np.float32, copy=False).reshape(count, dim)
        return cls(vectors, int(message["tokens"]), int(message.get("truncated") or 0))


@dataclass(frozen=True)
class Error(_Event):
    kind: str
    message: str
    reason: str | None = None
    details: dict = field(default_factory=dict)
    still_loaded: str | None = None
    name: ClassVar[str] = ERROR

    def to_wire(self) -> dict:
        return {key: value for key, value in super().to_wire().items() if value is not None and value != {}}

    @classmethod
    def from_wire(cls, message: Mapping) -> Error:
        return cls(str(message["kind"]), str(message["message"]), message.get("reason"),
                   dict(message.get("details") or {}), message.get("still_loaded"))


@dataclass(frozen=True)
class NetworkBlocked(_Event):
    attempt: NetworkAttempt
    name: ClassVar[str] = NETWORK_BLOCKED

    def to_wire(self) -> dict:
        return {EVENT_KEY: NETWORK_BLOCKED, **self.attempt.to_dict()}

    @classmethod
    def from_wire(cls, message: Mapping) -> NetworkBlocked:
        return cls(NetworkAttempt.from_dict(message))


@dataclass(frozen=True)
class Lost:
    exit: EngineExit
    last_words: str = ""
    name: ClassVar[str] = LOST

    @property
    def message(self) -> str:
        """What happened, in English: 'The engine process aborted (SIGABRT). Its last message: …'."""
        text = f"The engine process {self.exit.describe()}."
        return f"{text} Its last message: {self.last_words}" if self.last_words else text


Command = Load | Generate | Stop | Unload | Forget | Embed | Shutdown
Event = (Ready | Loaded | PromptRouting | Token | Finished | Unloaded | Forgotten | Embedded | Error | NetworkBlocked
         | Lost)

COMMANDS = {kind.name: kind for kind in (Load, Generate, Stop, Unload, Forget, Embed, Shutdown)}
EVENTS = {kind.name: kind for kind in (Ready, Loaded, PromptRouting, Token, Finished, Unloaded, Forgotten, Embedded,
                                       Error, NetworkBlocked)}


def encode(message: Command | Event) -> bytes:
    """One line of the wire: the message's JSON, compact, and a newline."""
    return (json.dumps(message.to_wire(), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def decode_command(line: bytes) -> Command:
    """The command on one line; ProtocolError for anything else."""
    return _decode(line, COMMAND_KEY, COMMANDS, "command")


def decode_event(line: bytes) -> Event:
    """The event on one line; ProtocolError for anything else."""
    return _decode(line, EVENT_KEY, EVENTS, "event")


def _decode(line: bytes, key: str, kinds: Mapping[str, type], what: str):
    try:
        message = json.loads(line.decode("utf-8"))
    except ValueError as exc:
        raise ProtocolError(f"Malformed {what}: {exc}") from exc
    if not isinstance(message, dict):
        raise ProtocolError(f"Malformed {what}: not an object")
    name = message.get(key)
    kind = kinds.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ProtocolError(f"Unknown {what} {name!r}.")
    try:
        return kind.from_wire(message)
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"Malformed {name!r} {what}: {exc}") from exc


def prompt_and_answer(events: Iterable[Event]) -> Iterator[Token]:
    """The Token of every prompt position and answer token in a generation's events, in order."""
    for event in events:
        if isinstance(event, PromptRouting):
            yield from event.tokens
        elif isinstance(event, Token):
            yield event
