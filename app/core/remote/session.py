"""RemoteSession: a company server used synchronously, as EngineSession uses the engine process.

For ``moescope trace --server`` and the benchmarks: load the server's model, ask one question, iterate
over its events. A refusal or failure raises SessionError (app.core.engine.session) with the server's
words; ``kind`` says which of the protocol's error kinds it was.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator

from app.core.defaults import DEFAULT_CONTEXT
from app.core.engine import protocol
from app.core.engine.session import SessionError
from app.core.locality.policy import NetworkPolicy
from app.core.remote.client import RemoteClient
from app.core.remote.layout import model_path
from app.core.remote.profiles import ServerProfile


class RemoteSessionError(SessionError):
    """The server refused or failed; ``kind`` is the Error event's kind."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class RemoteSession:
    """A RemoteClient driven one request at a time (a context manager)."""

    def __init__(self, profile: ServerProfile, api_key: str | None, policy: NetworkPolicy | None = None,
                 timeout: float = 600.0) -> None:
        self._events: queue.Queue = queue.Queue()
        self._timeout = timeout
        self.client = RemoteClient(self._events.put, profile, api_key, policy)

    def __enter__(self) -> RemoteSession:
        self.client.start()
        self._next()
        return self

    def __exit__(self, *_exc) -> None:
        self.client.close()

    def load(self, n_ctx: int = DEFAULT_CONTEXT) -> protocol.Loaded:
        """Ask the server about its model; RemoteSessionError when it cannot be used."""
        self.client.send(protocol.Load(model_path(self.client.profile), n_ctx))
        event = self._next()
        if not isinstance(event, protocol.Loaded):
            raise SessionError(f"Expected 'loaded' from the server's client, got {event.name!r}.")
        return event

    def generate(self, request: protocol.Generate) -> Iterator[protocol.Event]:
        """Yield the events of one answer, ending with Finished."""
        self.client.send(request)
        while True:
            event = self._next()
            yield event
            if isinstance(event, protocol.Finished):
                return

    def _next(self) -> protocol.Event:
        try:
            event = self._events.get(timeout=self._timeout)
        except queue.Empty:
            raise SessionError(f"The server did not answer within {self._timeout:.0f} s.") from None
        if isinstance(event, protocol.Error):
            raise RemoteSessionError(event.message, event.kind)
        return event
