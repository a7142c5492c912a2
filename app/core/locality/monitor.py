"""The connection monitor: the sockets of MoEscope's own processes, judged and written to the audit log.

About once a second psutil lists the sockets of MoEscope's processes; every connection and every
listening socket is judged against the policy and written, with the policy's own decisions and the
attempts the engine reports, to the session's audit log. The monitor catches what the socket
wrapper cannot see (C code opening sockets itself), after the fact.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping

import psutil

from app.core.locality.audit import AuditEntry, AuditLog
from app.core.locality.guard import current_policy
from app.core.locality.outcome import CONNECTED
from app.core.locality.policy import (
    ALLOWED,
    BLOCKED,
    LOCAL,
    UNEXPECTED,
    Listeners,
    NetworkAttempt,
    NetworkPolicy,
)

log = logging.getLogger(__name__)

class ConnectionMonitor:
    """Watches the sockets of MoEscope's processes and writes what it finds to the audit log.

    ``pids_provider()`` returns ``{pid: role}`` for the processes to watch, asked again on every poll
    (for example ``{os.getpid(): "gui", engine_pid: "engine"}``). Each poll lists their sockets with
    psutil; every socket is logged once, when first seen: connections with a remote end as
    "connection", sockets without one that can receive (TCP listening, bound UDP) as "listening".
    A non-local connection counts as allowed only when this process opened it for a running user
    action (or, while one runs, is a name lookup on port 53); any other is "unexpected".

    The policy's own decisions in this process (``own_role``) and those the engine reports (passed in
    through ``record_engine_attempt``) are logged too: refusals, which never became a socket, and every
    attempt a user action allowed with its outcome, failed ones included.

    Attributes:
        policy: the policy connections are judged by.
        audit: the AuditLog written to.
        interval: seconds between polls.
        polls: how many polls have run.

    Callbacks:
        subscribe(callback): ``callback(AuditEntry)`` for every new entry, on the thread that found
            it (the monitor thread, the connecting thread, or the caller of record_engine_attempt).
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
        self._listeners = Listeners()
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

    def record_engine_attempt(self, pid: int, attempt: NetworkAttempt) -> None:
        """Log an attempt the network policy of the engine process ``pid`` decided on."""
        self._record_attempt(attempt, pid, "engine")

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
