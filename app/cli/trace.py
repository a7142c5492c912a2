"""``moescope trace``: run one prompt headless through the engine process and print every token's routing.

For speakers preparing talks, and for tests: a readable table (``format_record``), or one JSON object
per line with ``--json``. It runs the prompt in an EngineSession, the same engine process as the
window's, so what it prints is what the window shows. With ``--scores`` every token's line also has
``"scores": {"<layer>": [p_0, ..., p_n-1]}``: the router's probabilities over all experts before top-k
(as the model's gating makes them, ``summary.model.gating``); the table shows the best unchosen
expert's score beside the chosen ones.

With ``--server URL`` the prompt goes to a company server instead (app.core.remote: one user message, the
server applies the model's chat template), as ``--model`` names its model there: the same lines, the answer
tokens' routing as the server reports it, ``[[expert, null], ...]`` per layer, since servers do not report
gate weights (``--config`` gives the model's config.json, which routing needs; ``--api-key-env`` names the
variable holding the API key).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.core.engine import protocol
from app.core.engine.compat import SPEED_COST_PERCENT
from app.core.engine.session import EngineSession, SessionError
from app.core.remote.profiles import ProfileError, ServerProfile
from app.core.remote.session import RemoteSession

SUMMARY_MODEL_KEYS = ("name", "architecture", "path", "quantization", "n_layers", "n_experts", "n_experts_used",
                      "n_shared_experts", "n_dense_leading", "moe_layers", "total_params", "active_params", "is_moe",
                      "gating")
SUMMARY_ANSWER_KEYS = ("prompt_tokens", "answer_tokens", "ttft_s", "tokens_per_s", "stop_reason")

COMPAT_NOTICE = (
    "The engine crashed with this model's fast settings on this processor (a llama.cpp bug with "
    "extra buffer types), so MoEscope switched the model to compatibility mode: it answers the same, "
    "up to about {percent} % slower (for many models no slower at all). This is remembered for this "
    "model on this computer."
)


@dataclass(frozen=True)
class TraceRequest:
    """What to trace: the model, the prompt and the options of ``moescope trace``."""

    model: str
    prompt: str
    max_tokens: int
    seed: int | None
    temperature: float
    experts_per_token: int | None
    n_ctx: int
    safe: bool
    scores: bool = False
    server: ServerProfile | None = None
    api_key: str | None = None


def trace_lines(request: TraceRequest, notice: Callable[[str], None] | None = None) -> Iterator[dict]:
    """Yield one record per prompt and answer token, in order, then a summary record.

    ``notice`` is called with a sentence for people when the model had to be switched to
    compatibility mode.
    """
    if request.server is not None:
        yield from _server_lines(request)
        return
    with EngineSession(safe=request.safe) as session:
        loaded = session.load(request.model, request.n_ctx, request.experts_per_token, scores=request.scores)
        if session.compat_switched and notice is not None:
            notice(COMPAT_NOTICE.format(percent=SPEED_COST_PERCENT))
        question = protocol.Generate(prompt=request.prompt, max_tokens=request.max_tokens, seed=request.seed,
                                     temperature=request.temperature)
        for event in session.generate(question):
            if isinstance(event, protocol.PromptRouting):
                for token in event.tokens:
                    yield token_record(token)
            elif isinstance(event, protocol.Token):
                yield token_record(event)
            elif isinstance(event, protocol.Finished):
                yield {"summary": _summary(loaded, event)}


def _server_lines(request: TraceRequest) -> Iterator[dict]:
    """The records of one answer from a company server (its answer tokens: a server shows no prompt tokens)."""
    with RemoteSession(request.server, request.api_key) as session:
        loaded = session.load(request.n_ctx)
        question = protocol.Generate(prompt=request.prompt, max_tokens=request.max_tokens, seed=request.seed,
                                     temperature=request.temperature)
        routing = ("reported by the server: which experts, not their weights" if loaded.info.is_moe else
                   "none: give the model's config.json with --config" if request.server.flavour != "openai" else
                   "none: this server does not report routing")
        for event in session.generate(question):
            if isinstance(event, protocol.Token):
                yield token_record(event)
            elif isinstance(event, protocol.Finished):
                yield {"summary": _summary(loaded, event, routing)}


def _summary(loaded: protocol.Loaded, finished: protocol.Finished, routing: str | None = None) -> dict:
    info = loaded.info.to_dict()
    return {
        "model": {key: info[key] for key in SUMMARY_MODEL_KEYS},
        "routing": routing or ("captured" if loaded.info.is_moe else "none: dense model, every parameter is active"),
        "load_seconds": loaded.load_seconds,
        "compatibility_mode": loaded.safe,
        **{key: getattr(finished, key) for key in SUMMARY_ANSWER_KEYS},
    }


def token_record(token: protocol.Token) -> dict:
    """A token as a record: pos, token, text, source, routing as ``{layer: [[expert, weight], ...]}`` (weight
    None when the engine did not report it), and with scores captured also scores as
    ``{layer: [p_0, ..., p_n-1]}``."""
    record = {"pos": token.pos, "token": token.token, "text": token.text, "source": token.source,
              "routing": token.routing.by_layer()}
    if token.routing.scores is not None:
        record["scores"] = token.routing.scores_by_layer()
    return record


def format_record(record: dict) -> str:
    """A line for people: position, source, the token, and each layer's experts with weights."""
    if "summary" in record:
        s = record["summary"]
        return (f"-- {s['model']['name']}: {s['prompt_tokens']} prompt + {s['answer_tokens']} answer tokens, "
                f"{s['tokens_per_s']} tokens/s, first token after {s['ttft_s']} s ({s['routing']})"
                + ("; compatibility mode" if s.get("compatibility_mode") else ""))
    scores = record.get("scores", {})
    layers = " | ".join(
        f"L{layer}: " + " ".join(f"e{e}" if w is None else f"e{e}({w:.2f})" for e, w in experts)
        + _runner_up(experts, scores.get(layer))
        for layer, experts in record["routing"].items()
    )
    return f"{record['pos']:>5} {record['source']:<6} {json.dumps(record['text'], ensure_ascii=False):<14} {layers}"


def _runner_up(experts: list, scores: list[float] | None) -> str:
    """`` next e5 p=0.12``: the unchosen expert with the highest score, for a table with scores."""
    chosen = {expert for expert, _ in experts}
    left = [(score, expert) for expert, score in enumerate(scores or ()) if expert not in chosen]
    if not left:
        return ""
    score, expert = max(left)
    return f" next e{expert} p={score:.2f}"


def _server_profile(args: argparse.Namespace) -> tuple[ServerProfile | None, str | None]:
    """The company server ``args`` name (``--server``), and its API key from ``--api-key-env``; ProfileError
    when they cannot work."""
    if not args.server:
        return None, None
    key = None
    if args.api_key_env:
        key = os.environ.get(args.api_key_env)
        if not key:
            raise ProfileError(f"The environment variable {args.api_key_env} holds no API key.")
    profile = ServerProfile("command line", args.server, args.trace_model, args.flavour,
                            ca_bundle=str(args.ca_bundle) if args.ca_bundle else None,
                            config_path=str(args.config) if args.config else None)
    profile.check()
    return profile, key


def run_trace(args: argparse.Namespace) -> int:
    """Trace as ``args`` say and print the records; 0 on success, 2 when the engine or server refused or failed."""
    try:
        server, api_key = _server_profile(args)
    except ProfileError as exc:
        print(f"moescope: {exc}", file=sys.stderr)
        return 2
    request = TraceRequest(model=str(args.trace_model), prompt=args.prompt, max_tokens=args.max_tokens,
                           seed=args.seed, temperature=args.temperature,
                           experts_per_token=args.experts_per_token, n_ctx=args.n_ctx, safe=args.safe,
                           scores=args.scores, server=server, api_key=api_key)

    def notice(text: str) -> None:
        print(f"moescope: {text}", file=sys.stderr, flush=True)

    try:
        for record in trace_lines(request, notice):
            print(json.dumps(record, ensure_ascii=False) if args.json else format_record(record), flush=True)
    except SessionError as exc:
        print(f"moescope: {exc}", file=sys.stderr)
        return 2
    return 0
