"""The audit log: every connection, attempt and listening socket of a session, one JSON line each.

One file per session (``session-YYYYmmdd-HHMMSS-PID.jsonl``) in ``audit_dir()``; the newest sessions are
kept, so the panel and the evidence report can show earlier ones. The connection monitor writes it.

The log holds no prompts, answers, URLs or secrets: times, process ids and roles, hosts, ports, the
kind of action (``"download huggingface.co"``), the verdict and the outcome.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from app.core.locality.outcome import CONNECTED, REFUSED
from app.core.locality.policy import BLOCKED, port_number
from app.core.paths import data_dir

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
        outcome: one of ``outcome.OUTCOMES``: for "attempt" and "refused" what became of it,
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
                   host=str(data["host"]), port=port_number(data.get("port")), verdict=verdict,
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
    """Where the audit files are kept: ``audit`` in the data folder."""
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

