"""Headless routing trace: run one prompt through the engine process and report every token's routing.

Used by ``moescope trace`` (speakers preparing talks, tests) and by the overhead benchmark. It uses
the same engine process as the window, so what it prints is what the window shows.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.core.engine.compat import SPEED_COST_PERCENT, CompatFallback, CompatStore
from app.core.engine.client import EngineClient, EngineStartError


class TraceError(RuntimeError):
    """The engine reported an error or went away; the message says what happened."""


class EngineLost(TraceError):
    """The engine process died; ``returncode`` is its exit status (negative: the signal)."""

    def __init__(self, message: str, returncode: int | None) -> None:
        super().__init__(message)
        self.returncode = returncode


@dataclass
class TraceRequest:
    model: str
    prompt: str
    max_tokens: int = 32
    seed: int | None = 0
    temperature: float = 0.0
    experts_per_token: int | None = None
    n_ctx: int = 2048
    safe: bool = False


class EngineSession:
    """A synchronous wrapper around EngineClient: send a command, then iterate over its events.

    Like the window, it survives llama.cpp's crashes with extra buffer types (app.core.engine.compat): a
    model whose load or first prompt crashes the engine is loaded again in compatibility mode in a
    fresh engine, and the ``loaded`` event says so with ``compat_switched``. ``safe=True`` loads
    every model in compatibility mode from the start.
    """

    def __init__(self, safe: bool = False, compat_store: CompatStore | None = None) -> None:
        self._events: queue.Queue = queue.Queue()
        self.client = EngineClient(self._events.put)
        self.fallback = CompatFallback(compat_store)
        self.force_safe = safe
        self._load_args: tuple | None = None
        self._send_failed = False

    def __enter__(self) -> "EngineSession":
        self._start()
        return self

    def __exit__(self, *_exc) -> None:
        self.client.close()

    def _start(self) -> None:
        try:
            self.client.start()
        except EngineStartError as exc:
            raise TraceError(str(exc)) from exc
        self._expect("ready")

    def load(self, path: str, n_ctx: int = 2048, experts_per_token: int | None = None) -> dict:
        self._load_args = (path, n_ctx, experts_per_token)
        self._send(self.fallback.load_command(path, n_ctx, experts_per_token, safe=self.force_safe))
        try:
            loaded = self._expect("loaded")
        except EngineLost:
            if not self.fallback.should_retry_safe("loading"):
                raise
            loaded = self._reload_safe()
        self.fallback.on_loaded()
        return loaded

    def _reload_safe(self) -> dict:
        """A fresh engine, and the model loaded again in compatibility mode."""
        self._start()
        path, n_ctx, experts_per_token = self._load_args
        self._send(self.fallback.load_command(path, n_ctx, experts_per_token, after_crash=True))
        return {**self._expect("loaded"), "compat_switched": True}

    def generate(self, **command) -> Iterator[dict]:
        """Yield the events of one generation, ending with ``finished``.

        If the engine crashes in a fast-mode model's first prompt, before any event was yielded, the
        model is loaded again in compatibility mode and the generation starts over.
        """
        self._send({"cmd": "generate", **command})
        yielded = False
        while True:
            try:
                event = self._next()
            except EngineLost:
                if yielded or not self.fallback.should_retry_safe("generating"):
                    raise
                self._reload_safe()
                self._send({"cmd": "generate", **command})
                continue
            yielded = True
            if event["event"] in ("token", "finished"):
                self.fallback.on_answer_progress()
            yield event
            if event["event"] == "finished":
                return

    def _send(self, command: dict) -> None:
        """Send a command; an engine that is already gone shows up as its ``lost`` event in _next."""
        try:
            self.client.send(command)
            self._send_failed = False
        except EngineStartError:
            self._send_failed = True

    def _next(self, timeout: float = 600.0) -> dict:
        if self._send_failed:  # its lost event, if it was lost rather than closed, comes at once
            timeout = min(timeout, 5.0)
        while True:
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                if self._send_failed:
                    raise TraceError("The engine is not running.") from None
                raise TraceError(f"The engine did not answer within {timeout:.0f} s.") from None
            if event["event"] == "lost":
                raise EngineLost(event["message"], event.get("returncode"))
            if event["event"] == "error":
                raise TraceError(event["message"])
            if event["event"] != "network_blocked":  # refused and reported on stderr by the engine itself
                return event

    def _expect(self, name: str) -> dict:
        event = self._next()
        if event["event"] != name:
            raise TraceError(f"Expected {name!r} from the engine, got {event['event']!r}.")
        return event


COMPAT_NOTICE = (
    "The engine crashed with this model's fast settings on this processor (a llama.cpp bug with "
    "extra buffer types), so MoEscope switched the model to compatibility mode: it answers the same, "
    "up to about {percent} % slower (for many models no slower at all). This is remembered for this "
    "model on this computer."
)


def trace_lines(request: TraceRequest, notice: Callable[[str], None] | None = None) -> Iterator[dict]:
    """Yield one record per prompt and answer token, in order, then a summary record.

    ``notice`` is called with a sentence for people when the model had to be switched to
    compatibility mode.
    """
    with EngineSession(safe=request.safe) as session:
        loaded = session.load(request.model, request.n_ctx, request.experts_per_token)
        if loaded.get("compat_switched") and notice is not None:
            notice(COMPAT_NOTICE.format(percent=SPEED_COST_PERCENT))
        for event in session.generate(prompt=request.prompt, max_tokens=request.max_tokens, seed=request.seed,
                                      temperature=request.temperature, stop=[]):
            if event["event"] == "prompt_routing":
                for token in event["tokens"]:
                    yield _record(token)
            elif event["event"] == "token":
                yield _record(event)
            elif event["event"] == "finished":
                info = loaded["info"]
                yield {
                    "summary": {
                        "model": {key: info[key] for key in (
                            "name", "architecture", "path", "quantization", "n_layers", "n_experts",
                            "n_experts_used", "n_shared_experts", "n_dense_leading", "moe_layers",
                            "total_params", "active_params", "is_moe")},
                        "routing": "captured" if info["is_moe"] else "none: dense model, every parameter is active",
                        "load_seconds": loaded["load_seconds"],
                        "compatibility_mode": bool(loaded.get("safe")),
                        **{key: event[key] for key in (
                            "prompt_tokens", "answer_tokens", "ttft_s", "tokens_per_s", "stop_reason")},
                    }
                }


def _record(token: dict) -> dict:
    return {key: token[key] for key in ("pos", "token", "text", "source", "routing")}


def format_record(record: dict) -> str:
    """A line for people: position, source, the token, and each layer's experts with weights."""
    if "summary" in record:
        s = record["summary"]
        return (f"-- {s['model']['name']}: {s['prompt_tokens']} prompt + {s['answer_tokens']} answer tokens, "
                f"{s['tokens_per_s']} tokens/s, first token after {s['ttft_s']} s ({s['routing']})"
                + ("; compatibility mode" if s.get("compatibility_mode") else ""))
    layers = " | ".join(
        f"L{layer}: " + " ".join(f"e{e}({w:.2f})" for e, w in experts)
        for layer, experts in record["routing"].items()
    )
    return f"{record['pos']:>5} {record['source']:<6} {json.dumps(record['text'], ensure_ascii=False):<14} {layers}"
