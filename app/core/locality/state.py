"""The locality indicator's state: what the status bar says right now about where data goes.

The tracker combines the policy's running actions and offline switch with the monitor's findings. A
warning stays until the user acknowledges it. The words here are English; a UI words the state in the
user's language from its kind, host and what.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.core.locality.audit import AuditEntry
from app.core.locality.monitor import ConnectionMonitor
from app.core.locality.policy import (
    BLOCKED,
    SERVER_TEST_KIND,
    UNEXPECTED,
    Listeners,
    NetworkPolicy,
    private_address,
)


class LocalityKind(enum.Enum):
    """The five things the locality indicator can say."""

    LOCAL = "local"
    DOWNLOAD = "download"
    SERVER = "server"
    OFFLINE = "offline"
    WARNING = "warning"


@dataclass(frozen=True)
class LocalityState:
    """What the locality indicator says.

    Attributes:
        kind: LOCAL, DOWNLOAD (a user action runs), SERVER (a company server answers: the user's text goes
            there), OFFLINE or WARNING (an unexpected connection).
        host: the download's host, the company server's, or the host of the unexpected connection; None
            otherwise.
        what: what a download receives ("the model file"); None otherwise.
        private: for SERVER, whether the server's address is private (a private network or this computer).
    """

    kind: LocalityKind
    host: str | None = None
    what: str | None = None
    private: bool = False

    @classmethod
    def local(cls) -> LocalityState:
        return cls(LocalityKind.LOCAL)

    @classmethod
    def download(cls, host: str, what: str) -> LocalityState:
        return cls(LocalityKind.DOWNLOAD, host, what)

    @classmethod
    def server(cls, host: str, private: bool) -> LocalityState:
        return cls(LocalityKind.SERVER, host, private=private)

    @classmethod
    def offline(cls) -> LocalityState:
        return cls(LocalityKind.OFFLINE)

    @classmethod
    def warning(cls, host: str) -> LocalityState:
        return cls(LocalityKind.WARNING, host)

    @property
    def text(self) -> str:
        """The indicator's words in English (a UI builds its translated text from kind, host and what)."""
        if self.kind is LocalityKind.DOWNLOAD:
            return f"Download from {self.host} — only {self.what} is received"
        if self.kind is LocalityKind.SERVER:
            return f"Company server {self.host} — your text goes to this server"
        if self.kind is LocalityKind.OFFLINE:
            return "Offline mode — network blocked"
        if self.kind is LocalityKind.WARNING:
            return f"Warning: unexpected connection to {self.host}"
        return "Local — nothing leaves this computer"


class LocalityTracker:
    """The indicator's current state, from the policy (actions, offline switch) and the monitor's entries.

    A blocked attempt or an unexpected connection or listening socket turns the state to WARNING,
    which stays until ``acknowledge()``, whatever else happens. Otherwise: SERVER while a company server is
    in use (or its connection test runs) and offline mode is off, since where the text goes matters most;
    DOWNLOAD while a user action runs (the oldest one), OFFLINE in offline mode, else LOCAL. A user action refused in offline mode
    is no warning: the user asked for it and was told why. Nor is an attempt a user action allowed,
    even one that failed: it went where the user asked, and the action says how it went.

    Attributes:
        state: the current LocalityState.
        warning_entry: the audit entry behind the current warning (the latest one), or None.

    Callbacks:
        subscribe(callback): ``callback(LocalityState)`` whenever the state changes, on the thread
            that caused the change; changes arrive in the order they happened.
    """

    def __init__(self, policy: NetworkPolicy, monitor: ConnectionMonitor | None = None) -> None:
        self.policy = policy
        self.warning_entry: AuditEntry | None = None
        self._lock = threading.RLock()  # held while subscribers are told, so changes arrive in order
        self._listeners = Listeners()
        self._state = self._compute()
        self._unsubscribe = [policy.subscribe_changes(lambda _policy: self._update())]
        if monitor is not None:
            self._unsubscribe.append(monitor.subscribe(self._on_entry))

    @property
    def state(self) -> LocalityState:
        with self._lock:
            return self._state

    def subscribe(self, callback: Callable[[LocalityState], None]) -> Callable[[], None]:
        """Call ``callback(state)`` on every change; returns a function that unsubscribes."""
        return self._listeners.add(callback)

    def acknowledge(self) -> None:
        """The user has seen the warning: go back to the state the policy gives."""
        with self._lock:
            self.warning_entry = None
        self._update()

    def close(self) -> None:
        """Stop following the policy and the monitor."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def _on_entry(self, entry: AuditEntry) -> None:
        if entry.verdict in (BLOCKED, UNEXPECTED) and entry.kind != "refused":
            with self._lock:
                self.warning_entry = entry
            self._update()

    def _compute(self) -> LocalityState:
        if self.warning_entry is not None:
            return LocalityState.warning(self.warning_entry.host)
        actions = self.policy.active_actions
        server = self.policy.server or next((item for item in actions if item.kind == SERVER_TEST_KIND), None)
        if server is not None and not self.policy.offline:
            return LocalityState.server(server.host, private_address(server.host, server.addresses))
        if actions:
            return LocalityState.download(actions[0].host, actions[0].what)
        if self.policy.offline:
            return LocalityState.offline()
        return LocalityState.local()

    def _update(self) -> None:
        with self._lock:
            state = self._compute()
            if state != self._state:
                self._state = state
                self._listeners.call(state)
