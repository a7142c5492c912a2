"""Data locality: keep every byte on this computer, and prove it.

Three parts, none of them with Qt, used the same way by the window, the engine process and the tests:

- **Network policy** (``NetworkPolicy``, ``install_policy``): Python's socket layer is wrapped so that
  every outgoing connection, datagram and name lookup is checked first. Loopback is always allowed;
  any other host only while an action the user started (a model download, a Hub search) is running,
  and then only that action's host. Strict offline mode refuses even those. A refusal raises
  ``NetworkBlocked`` (a ``PermissionError``, so libraries that handle connection errors handle it),
  is printed to stderr after ``BLOCKED_LOG_PREFIX`` and reaches every subscriber; so does every
  attempt an action allowed, with its outcome (connected, name resolved, failed and why). Installing
  the policy also switches the Hugging Face Hub client's telemetry, implicit token and offline flags in
  ``os.environ`` and exports the policy there, so the engine process started later applies the same
  policy (``install_policy()`` there reads it back).
- **Monitor and audit log** (``ConnectionMonitor``, ``AuditLog``, ``AuditEntry``): about once a second
  psutil lists the sockets of MoEscope's own processes; every connection and every listening socket
  is judged against the policy and written, with the policy's own decisions and the engine's
  ``network_blocked`` events, to a JSON-lines file per session. The monitor catches what the socket
  wrapper cannot see (C code opening sockets itself), after the fact.
- **Indicator state** (``LocalityTracker``, ``LocalityState``): what the status bar says right now,
  combining the policy's running actions and offline switch with the monitor's findings. A warning
  stays until the user acknowledges it.

Callbacks are plain callables. They run on whichever thread noticed the event (the monitor's thread,
the thread that tried to connect, the engine client's reader thread), so a UI must hand them over to
its own thread, for example through a queued Qt signal.

The log holds no prompts, answers, URLs or secrets: times, process ids and roles, hosts, ports, the
kind of action (``"download huggingface.co"``), the verdict and the outcome.

Over 600 lines: policy, socket guard, audit log and monitor still live here together; the
house issue splits them into a locality package, kept for one move.
"""

from __future__ import annotations

import contextlib
import enum
import functools
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from app.core.locality.outcome import CONNECTED, FAILED, PENDING, REFUSED, RESOLVED, SENT, unsuccessful
from app.core.paths import data_dir

log = logging.getLogger(__name__)

POLICY_ENV = "MOESCOPE_NETWORK_POLICY"
"""Environment variable carrying the policy (JSON: ``offline``, ``local_networks``) to child processes."""

BLOCKED_LOG_PREFIX = "moescope: network blocked:"
"""Start of the stderr line written for every refused connection, in every process."""

DEFAULT_LOCAL_NETWORKS = ("127.0.0.0/8", "::1/128")

# Set while the policy is installed. Xet transfers run in Rust, outside Python's sockets, where the
# policy could neither check nor limit them; with Xet off the Hub client downloads over plain HTTPS.
HUB_ENVIRONMENT = {
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    "HF_HUB_DISABLE_XET": "1",
}
HUB_OFFLINE_ENV = "HF_HUB_OFFLINE"
"""``"1"`` while no user-started network action runs, ``"0"`` while one does."""

# The huggingface_hub reads its environment once, at import; these are the constants it keeps them in.
_HUB_CONSTANTS = {
    "HF_HUB_DISABLE_TELEMETRY": "HF_HUB_DISABLE_TELEMETRY",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "HF_HUB_DISABLE_IMPLICIT_TOKEN",
    "HF_HUB_DISABLE_XET": "HF_HUB_DISABLE_XET",
    HUB_OFFLINE_ENV: "HF_HUB_OFFLINE",
}

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
    "other_host": "the running action may only reach its own host",
}
"""A NetworkBlocked's reason codes, with English words for each."""

_ATTEMPT_WORDS = {"connect": "a connection to", "lookup": "a name lookup of", "send": "a datagram to"}
_OUTCOME_WORDS = {CONNECTED: "connected", RESOLVED: "name resolved", SENT: "sent",
                  PENDING: "begun, its end not awaited"}
_SUCCESS = {"connect": CONNECTED, "lookup": RESOLVED, "send": SENT}


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address (IPv4-mapped IPv6 as IPv4, without a zone), or None for a name."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _host_text(host: object) -> str:
    if isinstance(host, bytes):
        return host.decode("ascii", errors="replace")
    return "" if host is None else str(host)


def _port_number(port: object) -> int | None:
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
    """

    kind: str
    host: str
    what: str
    hosts: tuple[str, ...]
    started: float = field(default_factory=time.time)
    addresses: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The action as the audit log names it: ``"download huggingface.co"``."""
        return f"{self.kind} {self.host}"

    def permits(self, host: str) -> bool:
        address = _ip(host)
        if address is not None:
            return str(address) in self.addresses or any(_ip(name) == address for name in self.hosts)
        name = host.lower().rstrip(".")
        return any(name == allowed or name.endswith("." + allowed) for allowed in self.hosts)


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
        outcome: one of ``locality_outcome.OUTCOMES`` (REFUSED for a blocked attempt).
        error: why an attempt FAILED, in short (``locality_outcome.short_error``), else None.
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

    def to_event(self) -> dict:
        """The engine host's ``network_blocked`` protocol event for this attempt (allowed ones too)."""
        return {"event": "network_blocked", "host": self.host, "port": self.port, "time": self.time,
                "kind": self.kind, "reason": self.reason, "message": self.message, "allowed": self.allowed,
                "action": self.action, "outcome": self.outcome, "error": self.error}

    @classmethod
    def from_event(cls, event: Mapping) -> NetworkAttempt:
        """The attempt a ``network_blocked`` event reports; one without ``allowed`` and ``outcome`` (an
        older engine's) was refused."""
        return cls(time=float(event.get("time") or time.time()), host=str(event.get("host", "")),
                   port=_port_number(event.get("port")), kind=str(event.get("kind") or "connect"),
                   allowed=bool(event.get("allowed", False)), reason=event.get("reason"),
                   action=event.get("action"), message=str(event.get("message", "")),
                   outcome=str(event.get("outcome") or REFUSED), error=event.get("error"))


class _Listeners:
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
        self._history: deque[NetworkAttempt] = deque(maxlen=self.HISTORY)
        self._sockets: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()
        self._attempt_listeners = _Listeners()
        self._change_listeners = _Listeners()

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
            "installed": current_policy() is self,
            "offline": self._offline,
            "local_networks": list(self.local_networks),
            "active_actions": [action.label for action in self.active_actions],
            "hub_environment": {name: os.environ.get(name) for name in (*HUB_ENVIRONMENT, HUB_OFFLINE_ENV)},
        }

    def summary(self) -> str:
        """What the policy allows, in one English sentence."""
        local = ", ".join(self.local_networks)
        if self._offline:
            return (f"Offline mode: connections only within this computer ({local}); downloads and searches "
                    f"are refused.")
        return (f"Connections only within this computer ({local}), except to the host of a download or "
                f"search the user starts, while it runs.")

    @property
    def offline(self) -> bool:
        return self._offline

    @offline.setter
    def offline(self, value: bool) -> None:
        with self._lock:
            changed = self._offline != bool(value)
            self._offline = bool(value)
        if changed:
            if current_policy() is self:
                os.environ[POLICY_ENV] = self.to_json()
            self._change_listeners.call(self)

    @property
    def active_actions(self) -> tuple[NetworkAction, ...]:
        with self._lock:
            return tuple(self._actions)

    def is_local(self, host: str) -> bool:
        """Whether ``host`` (an address, or one of the loopback names) is this computer."""
        address = _ip(host)
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
                     also: tuple[str, ...] = ()) -> Iterator[NetworkAction]:
        """Allow connections to ``host`` (and the ``also`` hosts, and their subdomains) while the block runs.

        For every thread of this process: a download's worker threads need it too. Other hosts stay
        blocked. In offline mode nothing is allowed: NetworkBlocked (reason ``"offline"``) is raised
        here, before the block runs, and the refusal is recorded.

        Args:
            kind: what the user does, in one word ("download", "search").
            host: the host the user asked for; the indicator names it.
            what: what is received, for the indicator ("the model file", "the search results").
            also: further hosts the action needs, such as a download's CDN ("hf.co").
        """
        names = tuple(name.lower().rstrip(".") for name in (host, *also))
        action = NetworkAction(kind=kind, host=host, what=what, hosts=names)
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

    def explain_connection(self, local: tuple, remote: tuple) -> str | None:
        """The label of the user action that opened (or may open) this connection of this process, or None."""
        with self._lock:
            label = self._sockets.get((tuple(local), tuple(remote)))
            actions = tuple(self._actions)
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
            actions = tuple(self._actions)
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
            message = f"MoEscope blocked {target}: the running {actions[0].kind} may only reach {allowed}."
        else:
            reason = "no_action"
            message = (f"MoEscope blocked {target}: it connects to another computer only for a download or "
                       f"search you start, and none is running.")
        raise self._refuse(host, port, kind, reason, None, message)

    def note_resolved(self, action: NetworkAction, results: list) -> None:
        """Remember the addresses a permitted name resolved to, so that connecting to them is allowed."""
        action.addresses.update(str(_ip(str(info[4][0])) or info[4][0]) for info in results)

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
        if current_policy() is self:
            _set_hub_offline(not self.active_actions)
        self._change_listeners.call(self)


# --- installing the policy ------------------------------------------------------------------------

_installed: NetworkPolicy | None = None
_install_lock = threading.Lock()
_ORIGINALS: dict[str, Callable] = {}
_saved_environment: dict[str, str | None] = {}
_saved_hub_constants: dict[str, object] = {}
_SOCKET_METHODS = ("connect", "connect_ex", "sendto", "sendmsg")
_MODULE_FUNCTIONS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo")
_INET = (socket.AF_INET, socket.AF_INET6)


def current_policy() -> NetworkPolicy | None:
    """The installed policy, or None before ``install_policy``."""
    return _installed


def install_policy(policy: NetworkPolicy | None = None) -> NetworkPolicy:
    """Apply ``policy`` to this process from now on and return it; call it first thing in every process.

    Without an argument: the policy already installed, or else the one the parent exported
    (``NetworkPolicy.from_environment``). Wraps the socket layer once, sets the Hub client's variables
    (telemetry off, no implicit token, offline while no action runs) and exports the policy in
    ``os.environ`` for child processes.
    """
    global _installed
    with _install_lock:
        if policy is None:
            policy = _installed or NetworkPolicy.from_environment()
        if _installed is None:
            names = (*HUB_ENVIRONMENT, HUB_OFFLINE_ENV, POLICY_ENV)
            _saved_environment.update({name: os.environ.get(name) for name in names})
            hub = sys.modules.get("huggingface_hub.constants")
            if hub is not None:
                _saved_hub_constants.update({const: getattr(hub, const) for const in _HUB_CONSTANTS.values()})
            _wrap_socket()
        _installed = policy
    os.environ.update(HUB_ENVIRONMENT)
    os.environ[POLICY_ENV] = policy.to_json()
    _set_hub_offline(not policy.active_actions)
    return policy


def uninstall_policy() -> None:
    """Undo ``install_policy``: the original socket functions, environment and Hub constants (for tests)."""
    global _installed
    with _install_lock:
        if _installed is None:
            return
        for name in _SOCKET_METHODS:
            original = _ORIGINALS.pop(f"socket.{name}")
            if original is None:
                delattr(socket.socket, name)
            else:
                setattr(socket.socket, name, original)
        for name in _MODULE_FUNCTIONS:
            setattr(socket, name, _ORIGINALS.pop(name))
        for name, value in _saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        hub = sys.modules.get("huggingface_hub.constants")
        if hub is not None:
            for const, value in _saved_hub_constants.items():
                setattr(hub, const, value)
        _saved_environment.clear()
        _saved_hub_constants.clear()
        _installed = None


def _set_hub_offline(offline: bool) -> None:
    os.environ[HUB_OFFLINE_ENV] = "1" if offline else "0"
    hub = sys.modules.get("huggingface_hub.constants")
    if hub is not None:
        for env, const in _HUB_CONSTANTS.items():
            setattr(hub, const, os.environ.get(env) == "1")


def _check(host: object, port: object, kind: str) -> tuple[NetworkPolicy | None, NetworkAction | None]:
    """The installed policy and its decision (raises NetworkBlocked); (None, None) when none is installed."""
    policy = _installed
    if policy is None:
        return None, None
    return policy, policy.check(_host_text(host), _port_number(port), kind)


def _attempt(policy: NetworkPolicy | None, action: NetworkAction | None, kind: str, host: object,
             port: object, call: Callable[[], object], sock: socket.socket | None = None) -> object:
    """Return ``call()``, the attempt itself; one a user action allowed is recorded with its outcome."""
    if policy is None or action is None:
        return call()
    note = functools.partial(policy.note_allowed, action, _host_text(host), _port_number(port), kind,
                             sock=sock)
    try:
        result = call()
    except OSError as exc:
        note(*unsuccessful(exc))
        raise
    # connect_ex reports a failure as an error number
    note(*(unsuccessful(result) if kind == "connect" and result else (_SUCCESS[kind], None)))
    return result


def _target(sock: socket.socket, address: object) -> tuple[object, object] | None:
    if sock.family not in _INET or not isinstance(address, tuple) or len(address) < 2:
        return None
    return address[0], address[1]


def _wrap_socket() -> None:
    for name in _SOCKET_METHODS:
        _ORIGINALS[f"socket.{name}"] = socket.socket.__dict__.get(name)
    for name in _MODULE_FUNCTIONS:
        _ORIGINALS[name] = getattr(socket, name)
    real = {name: getattr(socket.socket, name) for name in _SOCKET_METHODS}

    def connecting(name: str) -> Callable:
        def method(self: socket.socket, address: object):
            target = _target(self, address)
            if target is None:
                return real[name](self, address)
            policy, action = _check(*target, "connect")
            return _attempt(policy, action, "connect", *target, lambda: real[name](self, address), self)
        method.__name__ = name
        return method

    # sendto(data, [flags,] address), sendmsg(buffers[, ancdata[, flags[, address]]]): the address
    # comes last, and only when there are more arguments than this.
    fewest_before_address = {"sendto": 1, "sendmsg": 3}

    def sending(name: str) -> Callable:
        def method(self: socket.socket, *args):
            target = _target(self, args[-1]) if len(args) > fewest_before_address[name] else None
            if target is None:
                return real[name](self, *args)
            policy, action = _check(*target, "send")
            return _attempt(policy, action, "send", *target, lambda: real[name](self, *args))
        method.__name__ = name
        return method

    def looking_up(name: str, host_of: Callable[[tuple, dict], tuple], reverse: bool = False) -> Callable:
        def function(*args, **kwargs):
            original = _ORIGINALS[name]
            host, port = host_of(args, kwargs)
            # No host, or an address to be turned into a socket address, asks no name server;
            # connecting to that address is checked later.
            if host in (None, "", b"") or (not reverse and _ip(_host_text(host)) is not None):
                return original(*args, **kwargs)
            policy, action = _check(host, port, "lookup")
            result = _attempt(policy, action, "lookup", host, port, lambda: original(*args, **kwargs))
            if policy is not None and action is not None and name == "getaddrinfo":
                policy.note_resolved(action, result)
            return result
        function.__name__ = name
        return function

    for name in ("connect", "connect_ex"):
        setattr(socket.socket, name, connecting(name))
    for name in ("sendto", "sendmsg"):
        setattr(socket.socket, name, sending(name))

    def first(args: tuple, kwargs: dict) -> tuple[object, object]:
        return (args[0] if args else kwargs.get("host")), (args[1] if len(args) > 1 else kwargs.get("port"))

    def name_only(args: tuple, kwargs: dict) -> tuple[object, object]:
        return (args[0] if args else None), None

    def nameinfo(args: tuple, kwargs: dict) -> tuple[object, object]:
        sockaddr, flags = args[0], (args[1] if len(args) > 1 else 0)
        if flags & socket.NI_NUMERICHOST:
            return None, None  # no lookup: the address is only formatted
        return sockaddr[0], sockaddr[1]

    socket.getaddrinfo = looking_up("getaddrinfo", first)
    socket.gethostbyname = looking_up("gethostbyname", name_only)
    socket.gethostbyname_ex = looking_up("gethostbyname_ex", name_only)
    socket.gethostbyaddr = looking_up("gethostbyaddr", name_only, reverse=True)
    socket.getnameinfo = looking_up("getnameinfo", nameinfo, reverse=True)


# --- audit log ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log.

    Attributes:
        time: seconds since the epoch.
        pid: the process; role: what it is to MoEscope ("gui", "engine").
        kind: "attempt" (the policy decided on a connection, lookup or datagram), "refused" (a user
            action refused in offline mode), "connection" (a socket with a remote end seen by the
            monitor) or "listening" (a socket waiting for others to connect, or a bound UDP socket).
        host, port: the remote end (for "listening": the local address it listens on).
        verdict: one of VERDICTS.
        action: label of the user action it belonged to ("download huggingface.co"), or None.
        detail: a short English explanation.
        outcome: one of ``locality_outcome.OUTCOMES``: for "attempt" and "refused" what became of it,
            CONNECTED for a "connection"; None for "listening", and for an allowed attempt in a log
            written before outcomes were recorded, whose outcome is not known.
        error: why a FAILED attempt failed, in short ("no route to host", "name not resolved"), else None.
    """

    time: float
    pid: int
    role: str
    kind: str
    host: str
    port: int | None
    verdict: str
    action: str | None = None
    detail: str = ""
    outcome: str | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> AuditEntry:
        """An entry from its JSON line; one written before outcomes were recorded gets the outcome its
        verdict and kind imply (a refusal sent nothing, a seen connection was made) or None."""
        kind, verdict = str(data["kind"]), str(data["verdict"])
        if "outcome" in data:
            outcome = data["outcome"]
        else:
            outcome = REFUSED if verdict == BLOCKED else CONNECTED if kind == "connection" else None
        return cls(time=float(data["time"]), pid=int(data["pid"]), role=str(data["role"]), kind=kind,
                   host=str(data["host"]), port=_port_number(data.get("port")), verdict=verdict,
                   action=data.get("action"), detail=str(data.get("detail", "")), outcome=outcome,
                   error=data.get("error"))


@dataclass(frozen=True)
class AuditSession:
    """One session's audit file.

    Attributes:
        path: the JSON-lines file.
        started: when the session began (seconds since the epoch, from the file name).
    """

    path: Path
    started: float

    def entries(self) -> list[AuditEntry]:
        """The session's entries; lines that cannot be read (a crash mid-write) are skipped."""
        entries = []
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        for line in lines:
            try:
                entries.append(AuditEntry.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError):
                continue
        return entries


def audit_dir() -> Path:
    return data_dir() / "audit"


def list_sessions(directory: Path | None = None) -> list[AuditSession]:
    """The audit sessions kept in ``directory`` (default: ``audit_dir()``), newest first."""
    folder = directory or audit_dir()
    sessions = []
    for path in folder.glob("session-*.jsonl"):
        try:
            started = time.mktime(time.strptime(path.name[len("session-"):][:15], "%Y%m%d-%H%M%S"))
        except ValueError:
            continue
        sessions.append(AuditSession(path, started))
    return sorted(sessions, key=lambda session: session.path.name, reverse=True)


class AuditLog:
    """This session's audit entries, in memory and appended to one JSON-lines file per session.

    The file is ``session-YYYYmmdd-HHMMSS-PID.jsonl`` in ``directory``; creating the log deletes all
    but the newest ``keep_sessions`` files. When the disk cannot be written the entries stay in memory
    and ``write_error`` says why.

    Attributes:
        directory: the folder of the session files.
        session: this session (path and start time).
        write_error: the last error writing the file, or None.
    """

    def __init__(self, directory: Path | None = None, keep_sessions: int = 20) -> None:
        self.directory = directory or audit_dir()
        started = time.time()
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
        self.session = AuditSession(self.directory / f"session-{stamp}-{os.getpid()}.jsonl", started)
        self.write_error: str | None = None
        self._entries: list[AuditEntry] = []
        self._lock = threading.Lock()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.session.path.touch()
            for old in list_sessions(self.directory)[keep_sessions:]:
                old.path.unlink(missing_ok=True)
        except OSError as exc:
            self.write_error = str(exc)

    def append(self, entry: AuditEntry) -> None:
        line = json.dumps(entry.to_dict(), ensure_ascii=False) + "\n"
        with self._lock:
            self._entries.append(entry)
            try:
                with self.session.path.open("a", encoding="utf-8") as file:
                    file.write(line)
            except OSError as exc:
                self.write_error = str(exc)

    def entries(self) -> list[AuditEntry]:
        """This session's entries, oldest first."""
        with self._lock:
            return list(self._entries)

    def earlier_sessions(self) -> list[AuditSession]:
        """The sessions before this one that are still kept, newest first."""
        return [session for session in list_sessions(self.directory) if session.path != self.session.path]


# --- monitor --------------------------------------------------------------------------------------

class ConnectionMonitor:
    """Watches the sockets of MoEscope's processes and writes what it finds to the audit log.

    ``pids_provider()`` returns ``{pid: role}`` for the processes to watch, asked again on every poll
    (for example ``{os.getpid(): "gui", engine_pid: "engine"}``). Each poll lists their sockets with
    psutil; every socket is logged once, when first seen: connections with a remote end as
    "connection", sockets without one that can receive (TCP listening, bound UDP) as "listening".
    A non-local connection counts as allowed only when this process opened it for a running user
    action (or, while one runs, is a name lookup on port 53); any other is "unexpected".

    The policy's own decisions in this process (``own_role``) and the engine's ``network_blocked``
    events (passed in through ``record_engine_event``) are logged too: refusals, which never became a
    socket, and every attempt a user action allowed with its outcome, failed ones included.

    Attributes:
        policy: the policy connections are judged by.
        audit: the AuditLog written to.
        interval: seconds between polls.
        polls: how many polls have run.

    Callbacks:
        subscribe(callback): ``callback(AuditEntry)`` for every new entry, on the thread that found
            it (the monitor thread, the connecting thread, or the caller of record_engine_event).
    """

    DNS_PORT = 53

    def __init__(self, pids_provider: Callable[[], Mapping[int, str]], interval: float = 1.0, *,
                 policy: NetworkPolicy | None = None, audit: AuditLog | None = None,
                 own_role: str = "gui") -> None:
        self.pids_provider = pids_provider
        self.interval = interval
        self.policy = policy or current_policy() or NetworkPolicy()
        self.audit = audit or AuditLog()
        self.own_role = own_role
        self.polls = 0
        self._listeners = _Listeners()
        self._seen: set[tuple] = set()
        self._poll_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe_policy: Callable[[], None] | None = None

    def subscribe(self, callback: Callable[[AuditEntry], None]) -> Callable[[], None]:
        """Call ``callback(entry)`` for every new audit entry; returns a function that unsubscribes."""
        return self._listeners.add(callback)

    def start(self) -> None:
        """Log the policy's decisions in this process (earlier ones too); poll on a thread of its own."""
        if self._thread is not None:
            return
        self._unsubscribe_policy = self.policy.subscribe_attempts(self._on_attempt, replay=True)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="locality-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the polling thread and stop recording the policy's decisions."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        if self._unsubscribe_policy is not None:
            self._unsubscribe_policy()
            self._unsubscribe_policy = None

    def record(self, entry: AuditEntry) -> None:
        """Append ``entry`` to the audit log and tell the subscribers."""
        self.audit.append(entry)
        self._listeners.call(entry)

    def record_engine_event(self, pid: int, event: Mapping) -> None:
        """Log an engine's ``network_blocked`` event; other events are ignored, so all may be passed."""
        if event.get("event") == "network_blocked":
            self._record_attempt(NetworkAttempt.from_event(event), pid, "engine")

    def poll(self) -> None:
        """Look at every watched process's sockets once and log the ones not seen before."""
        with self._poll_lock:
            current: set[tuple] = set()
            for pid, role in dict(self.pids_provider()).items():
                try:
                    connections = psutil.Process(pid).net_connections(kind="inet")
                except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                    continue
                for conn in connections:
                    entry = self._judge(pid, role, conn)
                    if entry is None:
                        continue
                    key = (pid, conn.type, tuple(conn.laddr), tuple(conn.raddr), entry.kind)
                    current.add(key)
                    if key not in self._seen:
                        self.record(entry)
            self._seen = current
            self.polls += 1

    def _judge(self, pid: int, role: str, conn) -> AuditEntry | None:
        now = time.time()
        if not conn.raddr:
            bound_udp = conn.type == socket.SOCK_DGRAM and bool(conn.laddr)
            if conn.status != psutil.CONN_LISTEN and not bound_udp:
                return None
            if self.policy.is_local(conn.laddr.ip):
                verdict, detail = LOCAL, "listens on this computer only"
            else:
                verdict, detail = UNEXPECTED, "reachable from other computers"
            return AuditEntry(now, pid, role, "listening", conn.laddr.ip, conn.laddr.port, verdict,
                              detail=detail)
        host, port = conn.raddr.ip, conn.raddr.port
        if self.policy.is_local(host):
            return AuditEntry(now, pid, role, "connection", host, port, LOCAL, detail="within this computer",
                              outcome=CONNECTED)
        action = None
        if pid == os.getpid():
            action = self.policy.explain_connection(tuple(conn.laddr), tuple(conn.raddr))
            if action is None and port == self.DNS_PORT and self.policy.active_actions:
                action = self.policy.active_actions[0].label
        if action is not None:
            return AuditEntry(now, pid, role, "connection", host, port, ALLOWED, action,
                              "opened for a user action", CONNECTED)
        return AuditEntry(now, pid, role, "connection", host, port, UNEXPECTED,
                          detail="open although the policy did not allow it", outcome=CONNECTED)

    def _on_attempt(self, attempt: NetworkAttempt) -> None:
        self._record_attempt(attempt, os.getpid(), self.own_role)

    def _record_attempt(self, attempt: NetworkAttempt, pid: int, role: str) -> None:
        kind = "refused" if attempt.kind == "action" else "attempt"
        self.record(AuditEntry(attempt.time, pid, role, kind, attempt.host, attempt.port,
                               ALLOWED if attempt.allowed else BLOCKED, attempt.action, attempt.message,
                               attempt.outcome, attempt.error))

    def _run(self) -> None:
        while True:
            try:
                self.poll()
            except Exception:  # the monitor keeps watching whatever one poll ran into
                log.exception("locality monitor poll failed")
            if self._stop.wait(self.interval):
                return


# --- indicator state ------------------------------------------------------------------------------

class LocalityKind(enum.Enum):
    """The four things the locality indicator can say."""

    LOCAL = "local"
    DOWNLOAD = "download"
    OFFLINE = "offline"
    WARNING = "warning"


@dataclass(frozen=True)
class LocalityState:
    """What the locality indicator says.

    Attributes:
        kind: LOCAL, DOWNLOAD (a user action runs), OFFLINE or WARNING (an unexpected connection).
        host: the download's host, or the host of the unexpected connection; None otherwise.
        what: what a download receives ("the model file"); None otherwise.
    """

    kind: LocalityKind
    host: str | None = None
    what: str | None = None

    @classmethod
    def local(cls) -> LocalityState:
        return cls(LocalityKind.LOCAL)

    @classmethod
    def download(cls, host: str, what: str) -> LocalityState:
        return cls(LocalityKind.DOWNLOAD, host, what)

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
        if self.kind is LocalityKind.OFFLINE:
            return "Offline mode — network blocked"
        if self.kind is LocalityKind.WARNING:
            return f"Warning: unexpected connection to {self.host}"
        return "Local — nothing leaves this computer"


class LocalityTracker:
    """The indicator's current state, from the policy (actions, offline switch) and the monitor's entries.

    A blocked attempt or an unexpected connection or listening socket turns the state to WARNING,
    which stays until ``acknowledge()``, whatever else happens. Otherwise: DOWNLOAD while a user action
    runs (the oldest one), OFFLINE in offline mode, else LOCAL. A user action refused in offline mode
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
        self._listeners = _Listeners()
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
