"""Installing the network policy in a process: Python's socket layer, checked before every attempt.

``install_policy`` wraps the socket layer once, so that every outgoing connection (``connect``,
``connect_ex``), datagram (``sendto``, ``sendmsg``) and name lookup (``getaddrinfo`` and the other
module functions) is first put to the installed NetworkPolicy: a refused one raises NetworkBlocked and
never reaches the network; one a user action allowed is recorded with its outcome. Installing also sets
the Hub client's environment (``app.core.locality.hub_env``) and exports the policy in ``os.environ``,
so the engine process started later applies the same policy (``install_policy()`` there reads it back).
Call it first thing in every process. C code that opens sockets itself is not seen here; the connection
monitor catches that after the fact.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
from collections.abc import Callable

from app.core.locality.hub_env import (
    HUB_ENVIRONMENT,
    HUB_OFFLINE_ENV,
    hub_constants,
    restore_hub_constants,
    set_hub_offline,
)
from app.core.locality.outcome import CONNECTED, RESOLVED, SENT, unsuccessful
from app.core.locality.policy import POLICY_ENV, NetworkAction, NetworkPolicy, host_address, port_number

_installed: NetworkPolicy | None = None
_install_lock = threading.Lock()
_ORIGINALS: dict[str, Callable] = {}
_saved_environment: dict[str, str | None] = {}
_saved_hub_constants: dict[str, object] = {}
_SOCKET_METHODS = ("connect", "connect_ex", "sendto", "sendmsg")
_MODULE_FUNCTIONS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo")
_INET = (socket.AF_INET, socket.AF_INET6)
_SUCCESS = {"connect": CONNECTED, "lookup": RESOLVED, "send": SENT}


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
            _saved_hub_constants.update(hub_constants())
            _wrap_socket()
        else:
            _installed.installed = False
        _installed = policy
        policy.installed = True
    os.environ.update(HUB_ENVIRONMENT)
    os.environ[POLICY_ENV] = policy.to_json()
    set_hub_offline(not policy.active_actions)
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
        restore_hub_constants(_saved_hub_constants)
        _saved_environment.clear()
        _saved_hub_constants.clear()
        _installed.installed = False
        _installed = None


def _host_text(host: object) -> str:
    if isinstance(host, bytes):
        return host.decode("ascii", errors="replace")
    return "" if host is None else str(host)


def _check(host: object, port: object, kind: str) -> tuple[NetworkPolicy | None, NetworkAction | None]:
    """The installed policy and its decision (raises NetworkBlocked); (None, None) when none is installed."""
    policy = _installed
    if policy is None:
        return None, None
    return policy, policy.check(_host_text(host), port_number(port), kind)


def _attempt(policy: NetworkPolicy | None, action: NetworkAction | None, kind: str, host: object,
             port: object, call: Callable[[], object], sock: socket.socket | None = None) -> object:
    """Return ``call()``, the attempt itself; one a user action allowed is recorded with its outcome."""
    if policy is None or action is None:
        return call()
    note = functools.partial(policy.note_allowed, action, _host_text(host), port_number(port), kind,
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
            if host in (None, "", b"") or (not reverse and host_address(_host_text(host)) is not None):
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

