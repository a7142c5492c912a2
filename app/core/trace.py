"""Headless routing trace: run one prompt through the engine process and report every token's routing.

Used by ``moescope trace`` (speakers preparing talks, tests) and by the overhead benchmark. It uses
the same engine process as the window, so what it prints is what the window shows.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator
from dataclasses import dataclass

from app.core.engine_client import EngineClient, EngineStartError


class TraceError(RuntimeError):
    """The engine reported an error or went away; the message says what happened."""


@dataclass
class TraceRequest:
    model: str
    prompt: str
    max_tokens: int = 32
    seed: int | None = 0
    temperature: float = 0.0
    experts_per_token: int | None = None
    n_ctx: int = 2048


class EngineSession:
    """A synchronous wrapper around EngineClient: send a command, then iterate over its events."""

    def __init__(self) -> None:
        self._events: queue.Queue = queue.Queue()
        self.client = EngineClient(self._events.put)

    def __enter__(self) -> "EngineSession":
        try:
            self.client.start()
        except EngineStartError as exc:
            raise TraceError(str(exc)) from exc
        self._expect("ready")
        return self

    def __exit__(self, *_exc) -> None:
        self.client.close()

    def load(self, path: str, n_ctx: int = 2048, experts_per_token: int | None = None) -> dict:
        self.client.send({"cmd": "load", "path": path, "n_ctx": n_ctx, "experts_per_token": experts_per_token})
        return self._expect("loaded")

    def generate(self, **command) -> Iterator[dict]:
        """Yield the events of one generation, ending with ``finished``."""
        self.client.send({"cmd": "generate", **command})
        while True:
            event = self._next()
            yield event
            if event["event"] == "finished":
                return

    def _next(self, timeout: float = 600.0) -> dict:
        while True:
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                raise TraceError(f"The engine did not answer within {timeout:.0f} s.") from None
            if event["event"] in ("error", "lost"):
                raise TraceError(event["message"])
            if event["event"] != "network_blocked":  # refused and reported on stderr by the engine itself
                return event

    def _expect(self, name: str) -> dict:
        event = self._next()
        if event["event"] != name:
            raise TraceError(f"Expected {name!r} from the engine, got {event['event']!r}.")
        return event


def trace_lines(request: TraceRequest) -> Iterator[dict]:
    """Yield one record per prompt and answer token, in order, then a summary record."""
    with EngineSession() as session:
        loaded = session.load(request.model, request.n_ctx, request.experts_per_token)
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
                f"{s['tokens_per_s']} tokens/s, first token after {s['ttft_s']} s ({s['routing']})")
    layers = " | ".join(
        f"L{layer}: " + " ".join(f"e{e}({w:.2f})" for e, w in experts)
        for layer, experts in record["routing"].items()
    )
    return f"{record['pos']:>5} {record['source']:<6} {json.dumps(record['text'], ensure_ascii=False):<14} {layers}"
