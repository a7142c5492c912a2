"""A company inference server on 127.0.0.1, for the company-server client's tests and benchmark.

``ServerStandIn`` speaks OpenAI chat completions (streamed and whole) as SGLang, vLLM or a plain
OpenAI-compatible server does, on a free port of a loopback address (``host``, 127.0.0.1 unless a test
needs one its policy counts as another computer):
- ``GET /v1/models``: the model with ``max_model_len``; SGLang's ``GET /model_info`` with ``model_type``.
- ``POST /v1/chat/completions``: the answer ``tokens`` (one per streamed chunk, usage in each chunk when
  ``stream_options.continuous_usage_stats`` asks), then the finish chunk, for SGLang asked with
  ``return_routed_experts`` an ``sglext.routed_experts`` chunk (base64 int32 ``[prompt + answer - 1,
  layers, k]``, layers all of the model's with dense ones zero, or, with ``layer_axis="moe"``, the MoE
  layers only), the usage chunk and ``[DONE]``. Whole answers carry the same, vLLM's as
  ``choices[0].routed_experts`` and ``prompt_routed_experts`` lists, with ``logprobs`` when asked.

The model is ``config`` (a DeepSeek-style config.json; ``CONFIG``, written by ``write_config``, unless a
test or the benchmark gives another). The routing sent is random but kept: ``sent`` is the last answer's routing table over the MoE layers
(``[positions, moe layers, k]``) and ``answer_rows(sent)`` the rows of the answer's tokens, to compare
with what the client shows. ``requests`` records each request's path, headers and JSON body.

Faults (``fault``): "unauthorized" (401; also any key other than ``api_key`` when one is set),
"rate_limited" (429 with Retry-After), "server_error" (500), "bad_sse" (a chunk that is not JSON),
"wrong_shape" (routed experts one number short), "bad_base64", "missing_field" (a streamed choice without
its delta), "no_usage" (nothing says how long the prompt was), "out_of_range" (an expert number the model
does not have), "hang_up" (the connection closed in the middle of the answer), "truncated" (the stream ends
cleanly without finishing). A model other than ``model`` is a 404. ``rate`` paces the tokens
(tokens/s; 0: as fast as they can be written); every answer ends within ``deadline_s``.
"""

from __future__ import annotations

import base64
import json
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

MODEL = "stand-in/tiny-moe"
TOKENS = ("Hallo", ",", " Wel", "t", "!", " Grüße", " aus", " dem", " Rechen", "zentrum", ".")
CONFIG = {
    "model_type": "deepseek_v3", "architectures": ["DeepseekV3ForCausalLM"], "num_hidden_layers": 6,
    "first_k_dense_replace": 2, "moe_layer_freq": 1, "n_routed_experts": 16, "num_experts_per_tok": 4,
    "n_shared_experts": 1, "hidden_size": 64, "intermediate_size": 128, "moe_intermediate_size": 32,
    "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 1000, "max_position_embeddings": 4096,
    "scoring_func": "sigmoid", "torch_dtype": "bfloat16",
}
MOE_LAYERS = [2, 3, 4, 5]


def write_config(folder: Path, **changes) -> Path:
    """The stand-in model's config.json (with ``changes``) in ``folder``."""
    path = Path(folder) / "config.json"
    path.write_text(json.dumps({**CONFIG, **changes}), encoding="utf-8")
    return path


@dataclass
class Request:
    path: str
    headers: dict
    body: dict | None


@dataclass
class ServerStandIn:
    flavour: str = "sglang"
    host: str = "127.0.0.1"
    model: str = MODEL
    api_key: str | None = None
    fault: str | None = None
    tokens: tuple[str, ...] = TOKENS
    layer_axis: str = "all"
    rate: float = 0.0
    config: dict = field(default_factory=lambda: dict(CONFIG))
    deadline_s: float = 30.0
    routed: bool = True
    seed: int = 0
    requests: list[Request] = field(default_factory=list)
    sent: np.ndarray | None = None
    prompt_tokens: int = 0
    disconnected: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> ServerStandIn:
        stand_in = self

        class Handler(_Handler):
            server_stand_in = stand_in

        self._server = _Server((self.host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="server-stand-in", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def moe_layers(self) -> list[int]:
        """The layers with experts of ``config`` (a DeepSeek-style one: all after the dense leading ones)."""
        return list(range(self.config["first_k_dense_replace"], self.config["num_hidden_layers"]))

    def answer_rows(self) -> np.ndarray:
        """The rows of ``sent`` that belong to the answer's tokens (``[answer tokens, moe layers, k]``)."""
        return self.sent[self.prompt_tokens:]

    # the answer -------------------------------------------------------------------------------------

    def plan(self, body: dict) -> tuple[list[str], str, int]:
        """The tokens to send, the finish reason and the completion tokens the server counts."""
        words = sum(len(str(turn.get("content", "")).split()) for turn in body.get("messages", []))
        self.prompt_tokens = 5 + words
        limit = int(body.get("max_tokens") or len(self.tokens))
        if limit < len(self.tokens):
            return list(self.tokens[:limit]), "length", limit
        return list(self.tokens), "stop", len(self.tokens) + 1  # the end-of-sequence token, not shown

    def routing(self, completion: int) -> np.ndarray:
        """A fresh random routing of the whole sequence, kept in ``sent``: ``[positions, moe layers, k]``
        (the last token is never evaluated, so one position fewer than prompt and answer)."""
        rng = np.random.default_rng(self.seed)
        positions = self.prompt_tokens + completion - 1
        k, experts = self.config["num_experts_per_tok"], self.config["n_routed_experts"]
        layers = len(self.moe_layers)
        table = np.stack([rng.random((layers, experts)).argsort(axis=1)[:, :k] for _ in range(positions)])
        table = table.astype(np.int32).reshape(positions, layers, k)
        self.sent = table
        return table

    def encoded(self, table: np.ndarray) -> str:
        """SGLang's base64 of the table, over all layers (dense ones zero) or the MoE layers only."""
        if self.layer_axis == "all":
            full = np.zeros((len(table), self.config["num_hidden_layers"], table.shape[2]), dtype=np.int32)
            full[:, self.moe_layers, :] = table
            table = full
        raw = table.astype("<i4").tobytes()
        if self.fault == "wrong_shape":
            raw = raw[:-4]
        if self.fault == "out_of_range":
            raw = np.frombuffer(raw, dtype="<i4").copy()
            raw[-1] = self.config["n_routed_experts"] + 3
            raw = raw.tobytes()
        text = base64.b64encode(raw).decode("ascii")
        return "!!" + text[2:] if self.fault == "bad_base64" else text


class _Server(ThreadingHTTPServer):
    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse lookup of the address (a policy under test would refuse it)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_stand_in: ServerStandIn

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # each chunk at once

    def log_message(self, *_args) -> None:
        pass

    def do_GET(self) -> None:
        stand_in = self.server_stand_in
        stand_in.requests.append(Request(self.path, dict(self.headers), None))
        if not self._authorized():
            return
        if self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": stand_in.model, "object": "model",
                                                          "owned_by": stand_in.flavour, "max_model_len": 4096}]})
        elif self.path == "/model_info" and stand_in.flavour == "sglang":
            self._json(200, {"model_path": stand_in.model, "model_type": stand_in.config["model_type"],
                             "is_generation": True})
        else:
            self._json(404, {"error": {"message": f"No route {self.path}", "code": 404}})

    def do_POST(self) -> None:
        stand_in = self.server_stand_in
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        stand_in.requests.append(Request(self.path, dict(self.headers), body))
        if not self._authorized():
            return
        if self.path != "/v1/chat/completions":
            self._json(404, {"error": {"message": f"No route {self.path}"}})
        elif body.get("model") != stand_in.model:
            self._json(404, {"error": {"message": f"The model `{body.get('model')}` does not exist.",
                                       "type": "NotFoundError", "code": 404}})
        elif stand_in.fault == "rate_limited":
            self._json(429, {"error": {"message": "Too many requests"}}, {"Retry-After": "7"})
        elif stand_in.fault == "server_error":
            self._json(500, {"error": {"message": "CUDA out of memory"}})
        elif body.get("stream"):
            self._stream(body)
        else:
            self._whole(body)

    def _authorized(self) -> bool:
        stand_in = self.server_stand_in
        key = self.headers.get("Authorization")
        if stand_in.fault == "unauthorized" or (stand_in.api_key and key != f"Bearer {stand_in.api_key}"):
            self._json(401, {"error": {"message": "Invalid API key", "type": "AuthenticationError"}})
            return False
        return True

    def _json(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _routed(self, body: dict) -> bool:
        stand_in = self.server_stand_in
        asked = body.get("return_routed_experts") if stand_in.flavour == "sglang" else stand_in.flavour == "vllm"
        return bool(asked) and stand_in.routed

    def _whole(self, body: dict) -> None:
        stand_in = self.server_stand_in
        tokens, finish, completion = stand_in.plan(body)
        choice = {"index": 0, "message": {"role": "assistant", "content": "".join(tokens)}, "finish_reason": finish}
        if body.get("logprobs"):
            choice["logprobs"] = {"content": [{"token": text, "logprob": -0.5, "bytes": list(text.encode()),
                                               "top_logprobs": []} for text in tokens]}
        answer = {"id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()),
                  "model": stand_in.model, "choices": [choice], "usage": self._usage(completion)}
        if self._routed(body):
            table = stand_in.routing(completion)
            if stand_in.flavour == "vllm":
                choice["routed_experts"] = table[stand_in.prompt_tokens:].tolist()
                answer["prompt_routed_experts"] = table[:stand_in.prompt_tokens].tolist()
            else:
                answer["sglext"] = {"routed_experts": stand_in.encoded(table)}
        self._json(200, answer)

    def _usage(self, completion: int) -> dict:
        prompt = self.server_stand_in.prompt_tokens
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _stream(self, body: dict) -> None:
        stand_in = self.server_stand_in
        tokens, finish, completion = stand_in.plan(body)
        options = body.get("stream_options") or {}
        continuous = options.get("continuous_usage_stats") and stand_in.fault != "no_usage"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        started = time.monotonic()
        try:
            self._event({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                      "finish_reason": None}]})
            for index, text in enumerate(tokens):
                if stand_in.rate:
                    time.sleep(max(0.0, started + index / stand_in.rate - time.monotonic()))
                if time.monotonic() - started > stand_in.deadline_s:
                    break
                if stand_in.fault == "hang_up" and index == 2:
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                if stand_in.fault == "bad_sse" and index == 2:
                    self._raw(b"data: {\"choices\": [{\"delta\": \n\n")
                    continue
                choice = {"index": 0, "delta": {"content": text}, "finish_reason": None}
                if stand_in.fault == "missing_field" and index == 2:
                    del choice["delta"]
                chunk = {"choices": [choice]}
                if continuous:
                    chunk["usage"] = self._usage(index + 1)
                self._event(chunk)
            if stand_in.fault == "truncated":
                self._raw(b"")
                return
            self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": finish, "matched_stop": None}]})
            if self._routed(body) and stand_in.flavour == "sglang":
                self._event({"choices": [], "sglext": {"routed_experts": stand_in.encoded(stand_in.routing(completion))}})
            if options.get("include_usage") and stand_in.fault != "no_usage":
                self._event({"choices": [], "usage": self._usage(completion)})
            self._raw(b"data: [DONE]\n\n")
            self._raw(b"")
        except (BrokenPipeError, ConnectionResetError):
            stand_in.disconnected.set()

    def _event(self, chunk: dict) -> None:
        stand_in = self.server_stand_in
        base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": stand_in.model}
        self._raw(b"data: " + json.dumps({**base, **chunk}).encode() + b"\n\n")

    def _raw(self, data: bytes) -> None:
        """One HTTP chunk (an empty one ends the body)."""
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()
