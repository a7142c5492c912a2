"""Messages between the GUI process (engine_client) and the engine process (engine_host).

One JSON object per line in both directions. The engine process writes events on its own copy of
the original stdout; anything llama.cpp itself prints goes to stderr, so it cannot corrupt the stream.

Commands (client -> host), key ``cmd``:
    load      path, n_ctx, n_threads, experts_per_token (int or null), safe (compatibility mode: no
              extra buffer types), probe (evaluate one batch and one token while loading; see
              app.core.engine.compat)
    generate  either ``prompt`` (raw text, no template) or ``messages`` ([{role, content}], the
              model's chat template or a plain fallback is applied); max_tokens, temperature,
              top_p, top_k, seed, stop (list of strings)
    stop      ends prompt processing or generation within one token
    unload
    shutdown  ends a running answer as ``stop`` does, then the process (so does the end of stdin)

Events (host -> client), key ``event``:
    ready           pid, version, network_policy      the host is up and waiting for commands;
                                                      network_policy: NetworkPolicy.describe() of
                                                      the policy installed in the engine process
    loaded          info (ModelInfo dict), load_seconds, n_ctx, safe
    prompt_routing  tokens: [{pos, token, text, source="prompt", routing}]
    token           pos, token, text, source="answer", routing
    finished        prompt_tokens, answer_tokens, ttft_s, tokens_per_s, stop_reason
                    (stop_reason: "length" | "eos" | "stop_sequence" | "stopped" | "context_full")
    unloaded
    error           kind, message                     kind: one of ERROR_KINDS; for a model file that
                                                      cannot be used also reason and details (the
                                                      GGUFError's, see gguf_info.REASONS); after a
                                                      failed ``load`` also still_loaded: the path of
                                                      the model the engine still has, or null; for
                                                      context_full also details: tokens, n_ctx and
                                                      at_least (true when the prompt was measured by
                                                      its length, not tokenized: tokens is a minimum)
    network_blocked host, port, time, kind, reason, message, allowed, action, outcome, error
                                                      the engine's network policy refused a connection
                                                      (kind "connect" | "lookup" | "send"; reason: a
                                                      locality.REASONS key) or, despite the name, a
                                                      user action allowed one (allowed true, action
                                                      its label); outcome: a locality_outcome.OUTCOMES
                                                      value, error: why it failed, or null. May come at
                                                      any time after ``ready``: clients ignore it or
                                                      pass it to ConnectionMonitor.record_engine_event
    lost            returncode, message               synthesised by the client when the process died

``routing`` maps the layer index (a string, JSON keys are strings) to ``[[expert_id, weight], ...]``
in the router's order (highest selection score first). Dense models send ``{}``.
"""

from __future__ import annotations

import json

ERROR_KINDS = ("bad_model", "load_failed", "not_loaded", "context_full", "bad_request", "internal")


def encode(message: dict) -> bytes:
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def decode(line: bytes) -> dict:
    message = json.loads(line.decode("utf-8"))
    if not isinstance(message, dict):
        raise ValueError("protocol message is not an object")
    return message
