"""RemoteClient: a company server behind the interface of the engine process's client.

It takes the same commands and sends the same events as app.core.engine.client.EngineClient, so the
worker and ``moescope trace`` use it in its place. ``start`` allows the server's host in the network
policy (app.core.locality.policy: exactly that host, for as long as the client runs) and says Ready at
once (pid 0: there is no process of ours). Commands are carried out in order on a thread of its own
("remote-requests"): Load asks the server about the model and reads the profile's config.json
(app.core.remote.layout) and says Loaded; Generate sends the conversation to
``/v1/chat/completions`` and turns the answer into Token events and a Finished event
(app.core.remote.answer), streaming, except for vLLM with routing, which reports routed experts only in
a non-streamed answer; Unload and Forget only answer (the server keeps its model and its cache). Stop
takes effect at once: the connection is shut, which also tells the server to stop generating. As in the
engine, a Stop ends the answers asked before it (running or still queued) and none asked after it. Every
request is put to the policy first, so that offline mode stops the next one even on a connection kept
open from before.

Every failure is an Error event of one of the protocol's REMOTE_ERROR_KINDS (app.core.remote.errors):
a server that fails is not restarted, so there is never a Lost event.
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
import time
from collections.abc import Callable

import httpx

from app.core.engine import protocol
from app.core.locality.guard import current_policy
from app.core.locality.policy import NetworkAction, NetworkBlocked, NetworkPolicy
from app.core.models.gguf import ModelInfo
from app.core.remote.answer import AnswerBuilder
from app.core.remote.errors import BLOCKED, MALFORMED, UNREACHABLE, RemoteError
from app.core.remote.layout import ConfigError, ask_server, model_info, model_path, read_config
from app.core.remote.profiles import SGLANG, VLLM, ServerProfile
from app.core.remote.transport import check_status, open_client, translate
from app.core.remote.wire import DONE, parse_chunk, parse_response, sse_data

log = logging.getLogger(__name__)

CHAT_PATH = "/v1/chat/completions"
ROUTING_FLAVOURS = (SGLANG, VLLM)
"""Flavours asked for routed experts when the model's layout is known."""
_READ_BYTES = 64 * 1024
_CLOSE = object()


class RemoteClient:
    """One company server, used as the engine is (see the module docstring).

    Attributes:
        on_event: called with every protocol event, from the client's thread ("remote-requests"), Ready
            from the thread that calls ``start``.
        profile: the server.
    """

    def __init__(self, on_event: Callable[[protocol.Event], None], profile: ServerProfile, api_key: str | None,
                 policy: NetworkPolicy | None = None) -> None:
        profile.check()
        self.on_event = on_event
        self.profile = profile
        self._api_key = api_key
        self._policy = policy
        self._allowed: NetworkAction | None = None
        self._http: httpx.Client | None = None
        self._commands: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._asked = 0  # Generate commands received
        self._stopped_upto = 0  # a Stop ends the answers numbered up to this
        self._answering = 0  # the number of the answer being written (or the last one)
        self._stalled = 0  # the answer the stall watchdog ended
        self._closing = False
        self._response: httpx.Response | None = None
        self._unusable: RemoteError | None = None  # why no HTTP client could be made (a bad CA bundle)
        self._info: ModelInfo | None = None

    @property
    def pid(self) -> int | None:
        """None: no process of ours answers."""
        return None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 60.0) -> None:
        """Allow the server's host, start the client's thread and say Ready (at once: a server that cannot
        be used says so when the model is loaded)."""
        try:
            self._http = open_client(self.profile, self._api_key)
        except RemoteError as exc:
            self._unusable = exc
        policy = self._policy or current_policy()
        if policy is not None:
            self._allowed = policy.use_server(self.profile.host)
        self._thread = threading.Thread(target=self._run, name="remote-requests", daemon=True)
        self._thread.start()
        self.on_event(protocol.Ready(0, f"{self.profile.flavour} server", policy.describe() if policy else {}))

    def send(self, command: protocol.Command) -> None:
        """Carry out ``command`` after the ones before it (Stop at once); thread-safe."""
        if isinstance(command, protocol.Stop):
            self.stop_generation()
        elif isinstance(command, protocol.Shutdown):
            self.close()
        elif isinstance(command, protocol.Generate):
            with self._lock:
                self._asked += 1
                self._commands.put((command, self._asked))
        else:
            self._commands.put((command, 0))

    def stop_generation(self) -> None:
        """End the answers asked so far: the one being written at once (its connection is shut)."""
        with self._lock:
            self._stopped_upto = self._asked
            response = self._response
        if response is not None:
            _shut(response)

    def close(self, timeout: float = 5.0) -> None:
        """End the answer being written, drop the commands still queued, finish the thread and withdraw the
        server's host from the policy."""
        self._closing = True
        self.stop_generation()
        self._commands.put((_CLOSE, 0))
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        if self._http is not None:
            self._http.close()
        policy = self._policy or current_policy()
        if policy is not None and self._allowed is not None and policy.server is self._allowed:
            policy.use_server(None)
        self._allowed = None

    def kill(self) -> None:
        self.close(timeout=0.5)

    def abort(self) -> None:
        """The stall watchdog: end the answer, which ends with an UNREACHABLE Error (never a loss)."""
        self._stalled = self._answering
        self.stop_generation()

    def last_words(self) -> str:
        return ""

    # the client's thread ------------------------------------------------------------------------

    def _run(self) -> None:
        self._learn_address()
        while True:
            command, number = self._commands.get()
            if command is _CLOSE or self._closing:
                return
            try:
                self._carry_out(command, number)
            except Exception as exc:  # a bug must not end the thread silently: say it, keep serving
                log.exception("remote client failed on %s", command)
                self.on_event(protocol.Error(protocol.INTERNAL, f"The company-server client failed: {exc}"))

    def _learn_address(self) -> None:
        """Resolve the server's name once, so that the policy knows its addresses (private or not)."""
        if self._allowed is None:
            return
        try:
            socket.getaddrinfo(self.profile.host, None)
        except OSError:
            pass  # the first request says what is wrong

    def _carry_out(self, command: protocol.Command, number: int) -> None:
        if self._unusable is not None and isinstance(command, (protocol.Load, protocol.Generate)):
            self.on_event(self._unusable.to_event())
        elif isinstance(command, protocol.Load):
            self._load(command)
        elif isinstance(command, protocol.Generate):
            self._answering = number
            self._generate(command)
        elif isinstance(command, protocol.Unload):
            self._info = None
            self.on_event(protocol.Unloaded())
        elif isinstance(command, protocol.Forget):
            self.on_event(protocol.Forgotten())

    def _admit(self) -> None:
        """Put the next request to the network policy: RemoteError(BLOCKED) in offline mode."""
        policy = self._policy or current_policy()
        try:
            if policy is not None:
                policy.check_server()
        except NetworkBlocked as exc:
            raise RemoteError(BLOCKED, str(exc)) from exc

    def _load(self, command: protocol.Load) -> None:
        started = time.perf_counter()
        if command.path != model_path(self.profile):
            self.on_event(protocol.Error(protocol.BAD_REQUEST, "A company server is in use: its own model answers, "
                                         "not a model file of this computer.", still_loaded=self._loaded_path()))
            return
        self._info = None
        try:
            self._admit()
            server = ask_server(self._http, self.profile)
            server.check_served(self.profile.model)
            config = read_config(self.profile.config_path) if self.profile.config_path else None
            info = model_info(self.profile, server, config)
        except RemoteError as exc:
            self.on_event(exc.to_event())
            return
        except ConfigError as exc:
            self.on_event(protocol.Error(protocol.LOAD_FAILED, str(exc), details={"stage": "config"}))
            return
        self._info = info
        self.on_event(protocol.Loaded(info, round(time.perf_counter() - started, 3),
                                      info.context_length or command.n_ctx, safe=False,
                                      template=protocol.TEMPLATE_MODEL))

    def _loaded_path(self) -> str | None:
        return self._info.path if self._info is not None else None

    def _stopped(self) -> bool:
        """Whether a Stop came for the answer being written."""
        return self._stopped_upto >= self._answering

    def _generate(self, command: protocol.Generate) -> None:
        if self._info is None:
            self.on_event(protocol.Error(protocol.NOT_LOADED, "No model is loaded."))
            return
        if command.grammar is not None:
            self.on_event(protocol.Error(protocol.BAD_REQUEST, "A company server cannot be asked to follow a "
                                         "grammar."))
            return
        routed = self.profile.flavour in ROUTING_FLAVOURS and self._info.is_moe
        stream = not (routed and self.profile.flavour == VLLM)
        body, sampling = request_body(self.profile, command, routed, stream)
        builder = AnswerBuilder(self.on_event, self._info, routed, command.stop, sampling)
        try:
            complete = self._exchange(body, stream, builder)
            if self._stalled == self._answering:
                raise RemoteError(UNREACHABLE, "The server sent nothing for too long, so the answer was ended.")
            stopped = self._stopped()
            if not (complete or stopped):
                raise RemoteError(MALFORMED, "The server's answer ended before it was complete.")
            finished = builder.finish(stopped)
        except RemoteError as exc:
            builder.finish(stopped=True)
            self.on_event(exc.to_event())
            return
        self.on_event(finished)

    def _exchange(self, body: dict, stream: bool, builder: AnswerBuilder) -> bool:
        """Send the request and feed its answer to ``builder``; whether the answer came whole. A Stop ends
        it early (False); failures raise RemoteError."""
        self._admit()
        if self._stopped():
            return False
        try:
            with self._http.stream("POST", CHAT_PATH, json=body) as response:
                with self._lock:
                    self._response = response
                if self._stopped():
                    return False
                check_status(response)
                return self._read_stream(response, builder) if stream else self._read_whole(response, builder)
        except (httpx.HTTPError, OSError, ValueError) as exc:
            if self._stopped():
                return False
            raise translate(exc) from exc
        finally:
            with self._lock:
                self._response = None

    def _read_stream(self, response: httpx.Response, builder: AnswerBuilder) -> bool:
        for data in sse_data(response.iter_lines()):
            if self._stopped():
                return False
            if data.strip() == DONE:
                return True
            builder.add(parse_chunk(data))
        return builder.finish_reason is not None

    def _read_whole(self, response: httpx.Response, builder: AnswerBuilder) -> bool:
        parts = []
        for part in response.iter_bytes(_READ_BYTES):
            if self._stopped():
                return False
            parts.append(part)
        builder.add(parse_response(b"".join(parts).decode("utf-8", errors="replace")))
        return True


def request_body(profile: ServerProfile, command: protocol.Generate, routed: bool, stream: bool) -> tuple[dict, dict]:
    """The chat-completion request for ``command`` and the settings it sets (for Finished.sampling). The
    standard OpenAI fields for every server; SGLang and vLLM also get top_k, min_p, the repetition
    penalty, the thinking switch and, with ``routed``, what makes them report routed experts."""
    if command.messages is not None:
        messages = [{"role": turn.role, "content": turn.content} for turn in command.messages]
    else:
        messages = [{"role": protocol.USER, "content": command.prompt or ""}]
    sampling = {"max_tokens": command.max_tokens}
    sampling.update({key: getattr(command, key) for key in ("temperature", "top_p", "seed")
                     if getattr(command, key) is not None})
    extended = profile.flavour in ROUTING_FLAVOURS
    if extended:
        sampling.update({key: getattr(command, key) for key in ("top_k", "min_p", "repeat_penalty")
                         if getattr(command, key) is not None})
    body = {"model": profile.model, "messages": messages, "stream": stream,
            **{("repetition_penalty" if key == "repeat_penalty" else key): value for key, value in sampling.items()}}
    if command.stop:
        body["stop"] = list(command.stop)
    if stream:
        body["stream_options"] = {"include_usage": True, **({"continuous_usage_stats": True} if extended else {})}
    if extended and command.thinking is not None:
        body["chat_template_kwargs"] = {"enable_thinking": command.thinking}
    if routed and profile.flavour == SGLANG:
        body["return_routed_experts"] = True
    if routed and profile.flavour == VLLM:
        body["logprobs"] = True  # the answer's tokens, to match vLLM's routed experts to
    return body, sampling


def _shut(response: httpx.Response) -> None:
    """Shut the response's connection, which wakes a thread blocked reading it."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
