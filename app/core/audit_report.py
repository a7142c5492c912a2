"""The evidence report: one self-contained HTML page a security officer can print and file.

It states the app's version, the network policy and how it is enforced, where MoEscope keeps its
files, and this session's audit log, with a one-line verdict on top. No script, no external style
sheet, font or image: the page opens and prints the same on a computer without a network.
"""

from __future__ import annotations

import html
import platform
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.core.locality import ALLOWED, BLOCKED, LOCAL, UNEXPECTED, AuditEntry, ConnectionMonitor
from app.core.paths import data_dir

_VERDICT_WORDS = {
    LOCAL: "local",
    ALLOWED: "allowed (user action)",
    BLOCKED: "blocked",
    UNEXPECTED: "UNEXPECTED",
}

_STYLE = """
@page { size: A4; margin: 14mm; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 10pt; color: #111;
       max-width: 190mm; margin: 1em auto; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 .2em; }
h2 { font-size: 11.5pt; margin: 1.1em 0 .3em; border-bottom: 1px solid #999; }
.meta { color: #333; margin: 0 0 .8em; }
.verdict { border: 2px solid #111; padding: .5em .7em; font-weight: bold; font-size: 11pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #aaa; padding: 2px 5px; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { break-inside: avoid; page-break-inside: avoid; }
.small { font-size: 8.5pt; color: #333; }
code { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: 9pt; }
@media print { body { margin: 0; max-width: none; } th { background: #eee !important; } }
"""


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An HTML table; the cells are HTML already escaped."""
    head = "".join(f"<th>{_esc(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _verdict_cell(verdict: str) -> str:
    words = _esc(_VERDICT_WORDS.get(verdict, verdict))
    return f"<strong>{words}</strong>" if verdict in (BLOCKED, UNEXPECTED) else words


def verdict_sentence(entries: Sequence[AuditEntry]) -> str:
    """The verdict on one session's entries, in one English sentence."""
    allowed = sum(1 for entry in entries if entry.verdict == ALLOWED)
    blocked = sum(1 for entry in entries if entry.verdict == BLOCKED)
    unexpected = sum(1 for entry in entries if entry.verdict == UNEXPECTED)
    if not (allowed or blocked or unexpected):
        return "Nothing left this computer: no connection to another computer was made or attempted."
    parts = []
    if allowed:
        parts.append(f"{allowed} connection(s) for downloads or searches the user started")
    if blocked:
        parts.append(f"{blocked} attempt(s) blocked before anything was sent")
    if unexpected:
        parts.append(f"{unexpected} UNEXPECTED connection(s) or listening socket(s) seen open")
    return "; ".join(parts) + "."


def write_evidence_report(path: Path, monitor: ConnectionMonitor, *, models_dir: Path, settings_location: str,
                          extra_locations: Sequence[tuple[str, str]] = ()) -> Path:
    """Write the evidence report for the monitor's session to ``path`` (HTML) and return ``path``.

    Args:
        path: the file to write.
        monitor: the running ConnectionMonitor; its policy, audit log and poll count are reported.
        models_dir: the models folder in use.
        settings_location: where the settings are kept (for Qt: ``QSettings().fileName()``).
        extra_locations: further (what, where) rows for the storage table, such as the conversations.
    """
    policy, audit = monitor.policy, monitor.audit
    entries = audit.entries()
    described = policy.describe()
    frozen = bool(getattr(sys, "frozen", False))
    meta = (f"Generated {_esc(_when(time.time()))} on {_esc(socket.gethostname())} "
            f"({_esc(platform.platform())}). MoEscope {_esc(__version__)}, "
            f"{'installed build' if frozen else 'Python ' + _esc(platform.python_version())}: "
            f"<code>{_esc(sys.executable)}</code>. Session started {_esc(_when(audit.session.started))}.")

    enforcement = [
        ("Mode", "Offline: every network action is refused" if policy.offline
         else "Local: the network only for downloads or searches the user starts"),
        ("Allowed", policy.summary()),
        ("This computer", ", ".join(policy.local_networks)),
        ("User actions running now", ", ".join(described["active_actions"]) or "none"),
        ("Enforcement", ("Every outgoing connection, datagram and name lookup of the window process and of "
                         "the engine process is checked against this policy before it is made; refused ones "
                         "never reach the network and are logged.")),
        ("Monitoring", (f"The sockets of both processes are listed every {monitor.interval:g} s "
                        f"({monitor.polls} checks so far); connections and listening sockets are logged.")),
        ("Hugging Face client",
         ", ".join(f"{name}={value}" for name, value in described["hub_environment"].items())),
    ]
    policy_table = _table(("Item", "Value"), [(_esc(a), _esc(b)) for a, b in enforcement])

    locations = [("Models", str(models_dir)), ("Application data", str(data_dir())),
                 ("Settings", settings_location), *extra_locations,
                 ("Audit logs", str(audit.directory))]
    storage_table = _table(("What", "Where"),
                           [(_esc(what), f"<code>{_esc(where)}</code>") for what, where in locations])

    if entries:
        rows = [(_esc(_when(entry.time)), f"{_esc(entry.role)} (pid {entry.pid})", _esc(entry.kind),
                 _esc(entry.host if entry.port is None else f"{entry.host}:{entry.port}"),
                 _verdict_cell(entry.verdict), _esc(entry.action or "—"),
                 f'<span class="small">{_esc(entry.detail)}</span>') for entry in entries]
        headers = ("Time", "Process", "Kind", "Remote / address", "Verdict", "User action", "Detail")
        log_html = _table(headers, rows)
    else:
        log_html = "<p>No entries: no connection, connection attempt or listening socket was seen.</p>"
    write_note = (f'<p class="small">The audit file could not be written ({_esc(audit.write_error)}); '
                  f"the entries above were kept in memory.</p>" if audit.write_error else
                  f'<p class="small">Audit file: <code>{_esc(audit.session.path)}</code></p>')

    earlier = audit.earlier_sessions()
    if earlier:
        earlier_rows = []
        for session in earlier:
            found = session.entries()
            earlier_rows.append((_esc(_when(session.started)), _esc(len(found)),
                                 _esc(verdict_sentence(found))))
        earlier_html = _table(("Session started", "Entries", "Verdict"), earlier_rows)
    else:
        earlier_html = "<p>No earlier sessions are kept.</p>"

    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MoEscope — evidence of data locality</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>MoEscope — evidence of data locality</h1>
<p class="meta">{meta}</p>
<p class="verdict">This session: {_esc(verdict_sentence(entries))}</p>
<h2>Network policy</h2>
{policy_table}
<h2>Where MoEscope keeps data</h2>
{storage_table}
<h2>Audit log of this session</h2>
{log_html}
{write_note}
<h2>Earlier sessions</h2>
{earlier_html}
</body>
</html>
"""
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
