"""The network policy: which connections MoEscope may open, and what it decided on each attempt.

Loopback is always allowed; any other host only while an action the user started (a model download, a
Hub search, a company server's connection test) is running, and then only that action's host, or while
a company server is in use (``use_server``), and then exactly its host. Offline mode refuses even those. A
refusal raises ``NetworkBlocked`` (a ``PermissionError``, so libraries that handle connection errors
handle it), is printed to stderr after ``BLOCKED_LOG_PREFIX`` and reaches every subscriber; so does
every attempt an action allowed, with its outcome (connected, name resolved, failed and why).

The policy decides; ``app.core.locality.guard`` installs it in a process and asks it about every
connection, datagram and name lookup. The installed policy is exported in ``os.environ``
(``POLICY_ENV``), so the engine process started later applies the same policy, and switches the Hugging
Face Hub client offline while no user action runs (``app.core.locality.hub_env``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import os
import socket
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from app.core.locality.hub_env import HUB_ENVIRONMENT, HUB_OFFLINE_ENV, set_hub_offline
from app.core.locality.outcome import CONNECTED, FAILED, PENDING, REFUSED, RESOLVED, SENT

log = logging.getLogger(__name__)

POLICY_ENV = "MOESCOPE_NETWORK_POLICY"
"""Environment variable carrying the policy (JSON: ``offline``, ``local_networks``) to child processes."""

BLOCKED_LOG_PREFIX = "moescope: network blocked:"
"""Start of the stderr line written for every refused connection, in every process."""

DEFAULT_LOCAL_NETWORKS = ("127.0.0.0/8", "::1/128")

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

LOCAL = "local"
ALLOWED = "allowed"
BLOCKED = "blocked"
UNEXPECTED = "unexpected"
VERDICTS = (LOCAL, ALLOWED, BLOCKED, UNEXPECTED)
"""An AuditEntry's verdict: to this computer; to the host of a running user action; refused by the
policy before anything was sent; or seen open although the policy did not allow it."""

REASONS = {
    "offline": "offline mode is on",
    "no_action": "no download or search started by the user is running",
    "other_host": "the running action or the company server in use may only reach its own host",
}
"""A NetworkBlocked's reason codes, with English words for each."""

_ATTEMPT_WORDS = {"connect": "a connection to", "lookup": "a name lookup of", "send": "a datagram to"}
_OUTCOME_WORDS = {CONNECTED: "connected", RESOLVED: "name resolved", SENT: "sent",
                  PENDING: "begun, its end not awaited"}

SERVER_KIND = "server"  # NetworkAction.kind of the company server in use (NetworkPolicy.use_server)
SERVER_TEST_KIND = "server-test"  # NetworkAction.kind of a connection test (app.core.remote.probe)


def host_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address (IPv4-mapped IPv6 as IPv4, without a zone), or None for a name."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def private_address(host: str, addresses: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether ``host`` is on a private network or this computer: its address, or else every address its
    name resolved to (``addresses``), is private, loopback or link-local (False for a name not resolved)."""
    address = host_address(host)
    found = [address] if address is not None else [host_address(item) for item in addresses]
    return bool(found) and all(item is not None and (item.is_private or item.is_loopback or item.is_link_local)
                               for item in found)


def port_number(port: object) -> int | None:
    """``port`` as a number, or None when it is none (missing, or not a number)."""
    try:
        return int(port)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _attempt_words(kind: str, host: str, port: int | None) -> str:
    """An attempt in English words: ``"a connection to 10.0.0.1:443"``."""
    return f"{_ATTEMPT_WORDS.get(kind, 'a connection to')} {host if port is None else f'{host}:{port}'}"


class NetworkBlocked(PermissionError):
    """The policy refused a connection, a name lookup, a datagram or a user action.

    Attributes:
        host: the host name or address that was refused.
        port: its port, or None when unknown (a name lookup without one).
        reason: one of REASONS' keys, for a UI that words it in its own language.
    """

    def __init__(self, message: str, host: str, port: int | None, reason: str) -> None:
        super().__init__(message)
        self.host = host
        self.port = port
        self.reason = reason


@dataclass(eq=False)
class NetworkAction:
    """A network action the user started; while it runs, its hosts may be reached.

    Attributes:
        kind: what the user does, in one word: "download", "search".
        host: the host the user asked for, shown in the indicator ("huggingface.co").
        what: what is received, for the indicator ("the model file").
        hosts: names that may be reached: ``host``, the ``also`` names, and subdomains of each.
        started: when the action began (seconds since the epoch).
        addresses: the IP addresses those names resolved to while the action ran.
        exact: only the named hosts themselves, not their subdomains (a company server).
    """

    kind: str
    host: str
    what: str
    hosts: tuple[str, ...]
    started: float = field(default_factory=time.time)
    addresses: set[str] = field(default_factory=set)
    exact: bool = False

    @property
    def label(self) -> str:
        """The action as the audit log names it: ``"download huggingface.co"``."""
        return f"{self.kind} {self.host}"

    def permits(self, host: str) -> bool:
        address = host_address(host)
        if address is not None:
            return str(address) in self.addresses or any(host_address(name) == address for name in self.hosts)
        name = host.lower().rstrip(".")
        return any(name == allowed or (not self.exact and name.endswith("." + allowed)) for allowed in self.hosts)


@dataclass(frozen=True)
class NetworkAttempt:
    """One connection, lookup, datagram or action the policy decided on in this process.

    Attributes:
        time: seconds since the epoch.
        host, port: where it was to go (port None when unknown).
        kind: "connect", "lookup", "send" or "action" (a user action refused before it began).
        allowed: True when a running user action allowed it; blocked attempts are False.
        reason: REASONS key of a blocked attempt, else None.
        action: label of the user action it belonged to or was refused for, else None.
        message: for a blocked attempt the English sentence given to the program that tried, for an
            allowed one an English sentence saying what became of it.
        outcome: one of ``outcome.OUTCOMES`` (REFUSED for a blocked attempt).
        error: why an attempt FAILED, in short (``outcome.short_error``), else None.
    """

    time: float
    host: str
    port: int | None
    kind: str
    allowed: bool
    reason: str | None
    action: str | None
    message: str
    outcome: str = REFUSED
    error: str | None = None

    def to_dict(self) -> dict:
        """The attempt as plain data (the fields of the engine's NetworkBlocked event on the wire)."""
        return {"host": self.host, "port": self.port, "time": self.time, "kind": self.kind,
                "reason": self.reason, "message": self.message, "allowed": self.allowed, "action": self.action,
                "outcome": self.outcome, "error": self.error}

    @classmethod
    def from_dict(cls, data: Mapping) -> NetworkAttempt:
        """The attempt ``to_dict`` gave; other keys are ignored, and one without ``allowed`` and
        ``outcome`` (from an older engine) was refused."""
        return cls(time=float(data.get("time") or time.time()), host=str(data.get("host", "")),
                   port=port_number(data.get("port")), kind=str(data.get("kind") or "connect"),
                   allowed=bool(data.get("allowed", False)), reason=data.get("reason"),
                   action=data.get("action"), message=str(data.get("message", "")),
                   outcome=str(data.get("outcome") or REFUSED), error=data.get("error"))


class Listeners:
    """Plain callables called with one value; one that raises is logged and does not stop the rest."""

    def __init__(self) -> None:
        self._items: list[Callable] = []
        self._lock = threading.Lock()

    def add(self, callback: Callable) -> Callable[[], None]:
        with self._lock:
            self._items.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._items:
                    self._items.remove(callback)

        return unsubscribe

    def snapshot(self) -> list[Callable]:
        with self._lock:
            return list(self._items)

    def call(self, value: object, callbacks: list[Callable] | None = None) -> None:
        """Call every subscriber (or the given snapshot of them) with ``value``."""
        for callback in self.snapshot() if callbacks is None else callbacks:
            try:
                callback(value)
            except Exception:  # a broken subscriber must not break a connection check or the monitor
                log.exception("locality callback %r failed", callback)


class NetworkPolicy:
    """Which connections MoEscope may open: loopback always, others only for a running user action.

    Attributes:
        offline: strict offline mode; settable at any time. User actions are then refused.
        local_networks: the networks that count as this computer (loopback; tests narrow it).
        active_actions: the user actions running now, oldest first.
        installed: whether this is the policy installed in this process (set by ``install_policy`` and
            ``uninstall_policy``). Only the installed policy changes ``os.environ``: it exports itself in
            POLICY_ENV when offline mode changes, and switches the Hub client offline while no action runs.

    Callbacks:
        subscribe_attempts(callback): ``callback(NetworkAttempt)`` for every blocked attempt and every
            connection, name lookup and datagram a user action allowed (once its outcome is known), on
            the thread that tried.
        subscribe_changes(callback): ``callback(policy)`` when an action starts or ends or the offline
            switch changes, on the thread that changed it.
    """

    HISTORY = 1000

    def __init__(self, *, offline: bool = False,
                 local_networks: tuple[str, ...] | list[str] = DEFAULT_LOCAL_NETWORKS) -> None:
        self.local_networks = tuple(str(ipaddress.ip_network(net, strict=False)) for net in local_networks)
        self._networks = tuple(ipaddress.ip_network(net) for net in self.local_networks)
        self._offline = bool(offline)
        self._actions: list[NetworkAction] = []
        self._server: NetworkAction | None = None
        self._history: deque[NetworkAttempt] = deque(maxlen=self.HISTORY)
        self._sockets: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()
        self._attempt_listeners = Listeners()
        self._change_listeners = Listeners()
        self.installed = False

    # --- configuration ---------------------------------------------------------------------------

    @classmethod
    def from_environment(cls) -> NetworkPolicy:
        """The policy exported by the parent process in POLICY_ENV, or the default one.

        A value that cannot be read gives an offline policy: a broken configuration fails closed.
        """
        text = os.environ.get(POLICY_ENV)
        if not text:
            return cls()
        try:
            config = json.loads(text)
            return cls(offline=bool(config.get("offline", False)),
                       local_networks=config.get("local_networks") or DEFAULT_LOCAL_NETWORKS)
        except (ValueError, TypeError, AttributeError):
            print(f"moescope: {POLICY_ENV} cannot be read ({text!r}); offline mode is on", file=sys.stderr)
            return cls(offline=True)

    def to_json(self) -> str:
        return json.dumps({"offline": self._offline, "local_networks": list(self.local_networks)})

    def describe(self) -> dict:
        """The policy as plain data, for the engine's ``ready`` event and the evidence report."""
        return {
            "installed": self.installed,
            "offline": self._offline,
            "local_networks": list(self.local_networks),
            "active_actions": [action.label for action in self.active_actions],
            "server": None if (server := self.server) is None else {
                "host": server.host, "private": private_address(server.host, server.addresses), "since": server.started},
            "hub_environment": {name: os.environ.get(name) for name in (*HUB_ENVIRONMENT, HUB_OFFLINE_ENV)},
        }

    def summary(self) -> str:
        """What the policy allows, in one English sentence."""
        local = ", ".join(self.local_networks)
        if self._offline:
            return (f"Offline mode: connections only within this computer ({local}); downloads and searches "
                    f"are refused.")
        also = f" and to the company server {server.host}, while it is in use" if (server := self.server) else ""
        return (f"Connections only within this computer ({local}), except to the host of a download or "
                f"search the user starts, while it runs{also}.")

    @property
    def offline(self) -> bool:
        return self._offline

    @offline.setter
    def offline(self, value: bool) -> None:
        with self._lock:
            changed = self._offline != bool(value)
            self._offline = bool(value)
        if changed:
            if self.installed:
                os.environ[POLICY_ENV] = self.to_json()
            self._change_listeners.call(self)

    @property
    def active_actions(self) -> tuple[NetworkAction, ...]:
        with self._lock:
            return tuple(self._actions)

    @property
    def server(self) -> NetworkAction | None:
        """The company server in use (``use_server``), or None."""
        with self._lock:
            return self._server

    def use_server(self, host: str | None) -> NetworkAction | None:
        """Allow exactly ``host`` (no subdomains), the company server in use, until the next call (None: no
        server); offline mode still refuses it. Returns the server's action (kind SERVER_KIND), or None."""
        action = None if host is None else NetworkAction(kind=SERVER_KIND, host=host, what="your text",
                                                         hosts=(host.lower().rstrip("."),), exact=True)
        with self._lock:
            self._server = action
        self._change_listeners.call(self)
        return action

    def is_local(self, host: str) -> bool:
        """Whether ``host`` (an address, or one of the loopback names) is this computer."""
        address = host_address(host)
        if address is None:
            return host.lower().rstrip(".") in _LOCAL_NAMES
        return any(address.version == net.version and address in net for net in self._networks)

    # --- subscriptions ---------------------------------------------------------------------------

    def subscribe_attempts(self, callback: Callable[[NetworkAttempt], None],
                           replay: bool = False) -> Callable[[], None]:
        """Call ``callback`` for every later attempt (and, with ``replay``, the recorded ones first).

        Every attempt reaches the callback exactly once, however subscribing and attempts interleave.
        Returns a function that unsubscribes.
        """
        with self._lock:
            unsubscribe = self._attempt_listeners.add(callback)
            earlier = list(self._history) if replay else []
        for attempt in earlier:
            callback(attempt)
        return unsubscribe

    def subscribe_changes(self, callback: Callable[[NetworkPolicy], None]) -> Callable[[], None]:
        """Call ``callback(policy)`` when an action starts or ends or offline mode changes."""
        return self._change_listeners.add(callback)

    # --- user actions ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def allow_action(self, kind: str, host: str, *, what: str = "the model file",
                     also: tuple[str, ...] = (), exact: bool = False) -> Iterator[NetworkAction]:
        """Allow connections to ``host`` (and the ``also`` hosts, and their subdomains) while the block runs.

        For every thread of this process: a download's worker threads need it too. Other hosts stay
        blocked. In offline mode nothing is allowed: NetworkBlocked (reason ``"offline"``) is raised
        here, before the block runs, and the refusal is recorded.

        Args:
            kind: what the user does, in one word ("download", "search").
            host: the host the user asked for; the indicator names it.
            what: what is received, for the indicator ("the model file", "the search results").
            also: further hosts the action needs, such as a download's CDN ("hf.co").
            exact: only those hosts themselves, not their subdomains.
        """
        names = tuple(name.lower().rstrip(".") for name in (host, *also))
        action = NetworkAction(kind=kind, host=host, what=what, hosts=names, exact=exact)
        with self._lock:
            refused = self._offline
            if not refused:
                self._actions.append(action)
        if refused:
            message = (f"Offline mode is on, so MoEscope did not start the {kind} from {host}: it opens no "
                       f"connection to another computer. Turn offline mode off to allow it.")
            raise self._refuse(host, None, "action", "offline", action.label, message)
        self._actions_changed()
        try:
            yield action
        finally:
            with self._lock:
                self._actions.remove(action)
            self._actions_changed()

    def check_server(self) -> None:
        """Before each request to the company server in use: NetworkBlocked in offline mode, as for a user action."""
        server = self.server
        if server is None or not self._offline or self.is_local(server.host):
            return
        message = (f"Offline mode is on, so MoEscope did not send your text to the company server {server.host}: "
                   f"it opens no connection to another computer. Turn offline mode off to allow it.")
        raise self._refuse(server.host, None, "action", "offline", server.label, message)

    def explain_connection(self, local: tuple, remote: tuple) -> str | None:
        """The label of the user action that opened (or may open) this connection of this process, or None."""
        with self._lock:
            label = self._sockets.get((tuple(local), tuple(remote)))
            actions = (*self._actions, *((self._server,) if self._server is not None else ()))
        if label is not None:
            return label
        for action in actions:
            if action.permits(remote[0]):
                return action.label
        return None

    # --- decisions (called by the socket wrappers) -----------------------------------------------

    def check(self, host: str, port: int | None, kind: str) -> NetworkAction | None:
        """Decide on one attempt: None for a local target, the permitting action, or NetworkBlocked."""
        if self.is_local(host):
            return None
        with self._lock:
            offline = self._offline
            actions = (*self._actions, *((self._server,) if self._server is not None else ()))
        if not offline:
            for action in actions:
                if action.permits(host):
                    return action
        target = _attempt_words(kind, host, port)
        if offline:
            reason = "offline"
            message = f"Offline mode is on: MoEscope blocked {target}. Nothing leaves this computer."
        elif actions:
            allowed = " or ".join(action.host for action in actions)
            reason = "other_host"
            doing = "company server in use" if actions[0].kind == SERVER_KIND else f"running {actions[0].kind}"
            message = f"MoEscope blocked {target}: the {doing} may only reach {allowed}."
        else:
            reason = "no_action"
            message = (f"MoEscope blocked {target}: it connects to another computer only for a download or "
                       f"search you start, and none is running.")
        raise self._refuse(host, port, kind, reason, None, message)

    def note_resolved(self, action: NetworkAction, results: list) -> None:
        """Remember the addresses a permitted name resolved to, so that connecting to them is allowed (a company
        server's tell whether it is private: subscribers hear of the change)."""
        known = len(action.addresses)
        action.addresses.update(str(host_address(str(info[4][0])) or info[4][0]) for info in results)
        if action.kind in (SERVER_KIND, SERVER_TEST_KIND) and len(action.addresses) != known:
            self._change_listeners.call(self)

    def note_allowed(self, action: NetworkAction, host: str, port: int | None, kind: str, outcome: str,
                     error: str | None = None, sock: socket.socket | None = None) -> None:
        """Record an attempt ``action`` allowed and its outcome (``error``: why it failed, in short).

        The socket of a connection made is remembered, so that the monitor can attribute it.
        """
        try:
            key = None if sock is None else (tuple(sock.getsockname()[:2]), tuple(sock.getpeername()[:2]))
        except OSError:  # not connected (yet)
            key = None
        if key is not None:
            with self._lock:
                self._sockets[key] = action.label
                while len(self._sockets) > self.HISTORY:
                    self._sockets.popitem(last=False)
        words = _attempt_words(kind, host, port)
        result = f"failed ({error})" if outcome == FAILED else _OUTCOME_WORDS[outcome]
        self._record(NetworkAttempt(time.time(), host, port, kind, True, None, action.label,
                                    f"{words[0].upper()}{words[1:]} for the {action.label}: {result}.",
                                    outcome, error))

    def _refuse(self, host: str, port: int | None, kind: str, reason: str, action: str | None,
                message: str) -> NetworkBlocked:
        if sys.stderr is not None:
            print(f"{BLOCKED_LOG_PREFIX} {message}", file=sys.stderr, flush=True)
        self._record(NetworkAttempt(time.time(), host, port, kind, False, reason, action, message))
        return NetworkBlocked(message, host, port, reason)

    def _record(self, attempt: NetworkAttempt) -> None:
        # History and subscriber list are read together, so that subscribe_attempts(replay=True)
        # sees each attempt either in the history or as a live call, never both.
        with self._lock:
            self._history.append(attempt)
            callbacks = self._attempt_listeners.snapshot()
        self._attempt_listeners.call(attempt, callbacks)

    def _actions_changed(self) -> None:
        if self.installed:
            set_hub_offline(not self.active_actions)
        self._change_listeners.call(self)
