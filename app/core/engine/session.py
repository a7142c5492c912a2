"""EngineSession: the engine process used synchronously, one request at a time.

Used by ``moescope trace`` (app/cli/trace.py), the self-test, the benchmarks and the embedding model of
document collections (app.core.documents.embedding). It starts the same engine process as the window, so
what it reports is what the window shows, and it takes the same decisions about crashes
(app.core.engine.supervisor.EngineSupervisor): a model whose load or first answer crashes llama.cpp's extra
buffer types is loaded again in compatibility mode in a fresh engine, and the interrupted answer is asked
again. Any other death of the engine is raised as EngineLost.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator, Sequence

from app.core.defaults import DEFAULT_CONTEXT
from app.core.engine import protocol
from app.core.engine.client import EngineClient, EngineStartError
from app.core.engine.compat import CompatFallback, CompatStore
from app.core.engine.supervisor import EngineSupervisor, LoadRequest, Loss


class SessionError(RuntimeError):
    """The engine refused a request or went away; the message says what happened, in English."""


class EngineLost(SessionError):
    """The engine process died; ``loss`` says while doing what, and why (``loss.exit``)."""

    def __init__(self, message: str, loss: Loss | None) -> None:
        super().__init__(message)
        self.loss = loss


class EngineSession:
    """A synchronous wrapper around EngineClient: send a request, then iterate over its events.

    Like the window, it survives llama.cpp's crashes with extra buffer types (app.core.engine.compat).
    ``safe=True`` loads every model in compatibility mode from the start.

    Attributes:
        client: the EngineClient (with a fresh process after a switch to compatibility mode).
        supervisor: the EngineSupervisor whose decisions it follows.
        compat_switched: whether the model of the last ``load`` had to be switched to compatibility
            mode, while loading or in its first answer.
    """

    def __init__(self, safe: bool = False, compat_store: CompatStore | None = None) -> None:
        self._events: queue.Queue = queue.Queue()
        self.client = EngineClient(self._events.put)
        self.supervisor = EngineSupervisor(CompatFallback(compat_store))
        self.force_safe = safe
        self.compat_switched = False
        self._send_failed = False

    def __enter__(self) -> EngineSession:
        self._start()
        return self

    def __exit__(self, *_exc) -> None:
        self.supervisor.close()
        self.client.close()

    def _start(self) -> None:
        try:
            self.client.start()
        except EngineStartError as exc:
            raise SessionError(str(exc)) from exc
        self._expect(protocol.Ready)

    def load(self, path: str, n_ctx: int = DEFAULT_CONTEXT, experts_per_token: int | None = None,
             scores: bool = False, embedding: bool = False) -> protocol.Loaded:
        """Load a model (``scores``: with the router's probabilities over all experts in every token's
        routing; ``embedding``: for ``embed``, not for answers, with ``n_ctx`` the longest text it takes at
        most); raises SessionError (EngineLost) if the engine refuses it (dies of it)."""
        self.compat_switched = False
        self._send(self.supervisor.load(LoadRequest(path, n_ctx, experts_per_token, safe=self.force_safe,
                                                    scores=scores, embedding=embedding)))
        try:
            loaded = self._expect(protocol.Loaded)
        except EngineLost as lost:
            if lost.loss is None or not lost.loss.compat:
                raise
            loaded, _retry = self._reload_safe()
            return loaded
        self.supervisor.on_loaded()
        return loaded

    def _reload_safe(self) -> tuple[protocol.Loaded, protocol.Generate | None]:
        """A fresh engine, and the model loaded again in compatibility mode; returns its Loaded event and
        the interrupted question to ask again, if any."""
        self._start()
        restart = self.supervisor.restarted()
        if restart.reload is None:
            raise SessionError("There is no model to load again in compatibility mode.")
        self._send(self.supervisor.load(restart.reload, after_crash=restart.after_crash))
        loaded = self._expect(protocol.Loaded)
        self.compat_switched = True
        return loaded, self.supervisor.on_loaded()

    def generate(self, request: protocol.Generate) -> Iterator[protocol.Event]:
        """Yield the events of one answer, ending with Finished.

        If the engine crashes in a fast-mode model's first answer before any event was yielded, the
        model is loaded again in compatibility mode and the question is asked again.
        """
        self._send(self.supervisor.generate(request))
        yielded = False
        while True:
            try:
                event = self._next()
            except EngineLost as lost:
                if yielded or lost.loss is None or not lost.loss.compat:
                    raise
                _loaded, retry = self._reload_safe()
                self._send(self.supervisor.generate(retry or request))
                continue
            yielded = True
            if isinstance(event, protocol.Token):
                self.supervisor.on_token()
            elif isinstance(event, protocol.Finished):
                self.supervisor.on_finished()
            yield event
            if isinstance(event, protocol.Finished):
                return

    def embed(self, texts: Sequence[str]) -> protocol.Embedded:
        """One unit-length vector per text (``Embedded.vectors``, float32, in order) from a model loaded with
        ``embedding``; raises SessionError if the engine refuses (a model loaded for answers, a stop) and
        EngineLost if it dies."""
        self._send(protocol.Embed(tuple(texts)))
        return self._expect(protocol.Embedded)

    def _send(self, command: protocol.Command) -> None:
        """Send a command; an engine that is already gone shows up as its Lost event in _next."""
        try:
            self.client.send(command)
            self._send_failed = False
        except EngineStartError:
            self._send_failed = True

    def _next(self, timeout: float = 600.0) -> protocol.Event:
        if self._send_failed:  # its Lost event, if it was lost rather than closed, comes at once
            timeout = min(timeout, 5.0)
        while True:
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                if self._send_failed:
                    raise SessionError("The engine is not running.") from None
                raise SessionError(f"The engine did not answer within {timeout:.0f} s.") from None
            if isinstance(event, protocol.Lost):
                raise EngineLost(event.message, self.supervisor.on_lost(event))
            if isinstance(event, protocol.Error):
                self.supervisor.on_error(event)
                raise SessionError(event.message)
            if not isinstance(event, protocol.NetworkBlocked):  # refused and reported on stderr by the engine
                return event

    def _expect(self, kind: type) -> protocol.Event:
        event = self._next()
        if not isinstance(event, kind):
            raise SessionError(f"Expected {kind.name!r} from the engine, got {event.name!r}.")
        return event
