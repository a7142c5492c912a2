"""The evidence report: one self-contained HTML page a security officer can print and file.

It states the app's version, the network policy and how it is enforced, where MoEscope keeps its
files, and this session's connection log, with a verdict on top. The page is in English, for records that
anyone can check; the panel words the same verdict in the user's language from ``summarize``. No
script, no external style sheet, font or image: the page opens and prints the same on a computer
without a network.
"""

from __future__ import annotations

import html
import platform
import socket
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.core.locality.audit import AuditEntry
from app.core.locality.monitor import ConnectionMonitor
from app.core.locality.outcome import CONNECTED, FAILED, MADE, PENDING, REFUSED, RESOLVED, SENT
from app.core.locality.policy import ALLOWED, BLOCKED, LOCAL, UNEXPECTED
from app.core.paths import data_dir

_VERDICT_WORDS = {
    LOCAL: "local",
    ALLOWED: "allowed (user action)",
    BLOCKED: "blocked",
    UNEXPECTED: "UNEXPECTED",
}
_OUTCOME_WORDS = {
    CONNECTED: "connected",
    RESOLVED: "name resolved",
    SENT: "sent",
    PENDING: "begun, end not awaited",
    REFUSED: "nothing sent",
}
_ROLE_WORDS = {"gui": "window", "engine": "engine"}
"""The processes as the panel names them."""
_PLACES_SHOWN = 4

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


def _outcome_text(entry: AuditEntry) -> str:
    """What became of an entry's attempt or connection, in English ("failed: no route to host")."""
    if entry.outcome == FAILED:
        return f"failed: {entry.error}"
    if entry.outcome is None and entry.verdict == ALLOWED and entry.kind == "attempt":
        return "not recorded"
    return _OUTCOME_WORDS.get(entry.outcome or "", "—")


def _action_text(label: str) -> str:
    """A user action's label ("download huggingface.co") in English words ("download from huggingface.co")."""
    kind, _, host = label.partition(" ")
    return {"download": f"download from {host}", "search": f"search on {host}"}.get(kind, label)


@dataclass(frozen=True)
class SessionSummary:
    """What one session's audit entries amount to; the report and the panel word their verdicts from it.

    Attributes:
        reached: per user action (its label, in the order they came), where its allowed attempts reached
            another computer (``host:port``, no repeats): connections made, datagrams sent, connections
            begun whose end was not awaited, and, in logs written before outcomes were recorded, any
            allowed attempt (it may have failed: counted, to be on the safe side).
        tried: per user action that reached no other computer, what its attempts came to (``host:port``
            and outcome words, no repeats): failed ones, and names looked up.
        failed: how many allowed attempts failed, in all.
        refused: how many attempts the policy refused before anything was sent (not counting ``declined``).
        declined: how many downloads or searches the user started were not run because offline mode was on.
        unexpected: how many connections or listening sockets were seen open that the policy did not allow.
    """

    reached: dict[str, list[str]]
    tried: dict[str, list[str]]
    failed: int
    refused: int
    unexpected: int
    declined: int = 0

    @property
    def nothing_left(self) -> bool:
        """Whether no attempt the policy allowed and no unexpected socket is on record."""
        return not (self.reached or self.tried or self.unexpected)


def summarize(entries: Sequence[AuditEntry]) -> SessionSummary:
    """The SessionSummary of one session's entries."""
    reached: dict[str, list[str]] = {}
    tried: dict[str, list[str]] = {}
    for entry in entries:
        if entry.verdict != ALLOWED:
            continue
        place = entry.host if entry.port is None else f"{entry.host}:{entry.port}"
        label = entry.action or ""
        if entry.outcome in MADE or entry.outcome is None:
            group, item = reached, place
        else:
            group, item = tried, f"{place} ({_outcome_text(entry)})"
        items = group.setdefault(label, [])
        if item not in items:
            items.append(item)
    return SessionSummary(
        reached=reached,
        tried={label: items for label, items in tried.items() if label not in reached},
        failed=sum(1 for entry in entries if entry.verdict == ALLOWED and entry.outcome == FAILED),
        refused=sum(1 for entry in entries if entry.verdict == BLOCKED and entry.kind != "refused"),
        unexpected=sum(1 for entry in entries if entry.verdict == UNEXPECTED),
        declined=sum(1 for entry in entries if entry.verdict == BLOCKED and entry.kind == "refused"),
    )


def _per_action(groups: dict[str, list[str]]) -> str:
    parts = []
    for label, items in groups.items():
        shown = ", ".join(items[:_PLACES_SHOWN])
        if len(items) > _PLACES_SHOWN:
            shown += f" and {len(items) - _PLACES_SHOWN} more"
        parts.append(f"{_action_text(label)} — {shown}")
    return "; ".join(parts)


def verdict_sentence(entries: Sequence[AuditEntry]) -> str:
    """The verdict on one session's entries, in English: whether anything left this computer, what was
    refused, which connections the user's downloads and searches made and to where, and which failed."""
    summary = summarize(entries)
    declined = (f"{summary.declined} download(s) or search(es) the user started were not run because offline "
                f"mode was on" if summary.declined else "")
    if summary.nothing_left:
        reasons = [f"{summary.refused} attempt(s) blocked before anything was sent" if summary.refused else "",
                   declined]
        if any(reasons):
            return "Nothing left this computer: " + "; ".join(reason for reason in reasons if reason) + "."
        return "Nothing left this computer: no connection to another computer was made or attempted."
    sentences = []
    if summary.unexpected:
        sentences.append(f"{summary.unexpected} UNEXPECTED connection(s) or listening socket(s) seen open.")
    if summary.reached:
        sentences.append(f"Connections to other computers were made for downloads or searches the user "
                         f"started: {_per_action(summary.reached)}.")
    if summary.tried:
        lead = ("No connection was made for" if summary.reached
                else "No connection to another computer was made for downloads or searches the user started")
        sentences.append(f"{lead}: {_per_action(summary.tried)}.")
    if summary.refused:
        sentences.append(f"{summary.refused} attempt(s) blocked before anything was sent.")
    if declined:
        sentences.append(f"{declined[0].upper()}{declined[1:]}.")
    return " ".join(sentences)


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
                         "never reach the network and are logged, allowed ones are logged with their "
                         "outcome.")),
        ("Monitoring", (f"The sockets of both processes are listed every {monitor.interval:g} s "
                        f"({monitor.polls} checks so far); connections and listening sockets are logged.")),
        ("Hugging Face client",
         ", ".join(f"{name}={value}" for name, value in described["hub_environment"].items())),
    ]
    policy_table = _table(("Item", "Value"), [(_esc(a), _esc(b)) for a, b in enforcement])

    locations = [("Models", str(models_dir)), ("Application data", str(data_dir())),
                 ("Settings", settings_location), *extra_locations,
                 ("Connection log", str(audit.directory))]
    storage_table = _table(("What", "Where"),
                           [(_esc(what), f"<code>{_esc(where)}</code>") for what, where in locations])

    if entries:
        rows = [(_esc(_when(entry.time)), f"{_esc(_ROLE_WORDS.get(entry.role, entry.role))} (pid {entry.pid})",
                 _esc(entry.kind),
                 _esc(entry.host if entry.port is None else f"{entry.host}:{entry.port}"),
                 _verdict_cell(entry.verdict), _esc(_outcome_text(entry)), _esc(entry.action or "—"),
                 f'<span class="small">{_esc(entry.detail)}</span>') for entry in entries]
        headers = ("Time", "Process", "Kind", "Remote / address", "Verdict", "Outcome", "User action",
                   "Detail")
        log_html = _table(headers, rows)
    else:
        log_html = "<p>No entries: no connection, connection attempt or listening socket was seen.</p>"
    write_note = (f'<p class="small">The connection log file could not be written ({_esc(audit.write_error)}); '
                  f"the entries above were kept in memory.</p>" if audit.write_error else
                  f'<p class="small">Connection log file: <code>{_esc(audit.session.path)}</code></p>')

    earlier = audit.earlier_sessions()
    if earlier:
        earlier_rows = []
        for session in earlier:
            found = session.entries()
            earlier_rows.append((_esc(_when(session.started)), _esc(len(found)),
                                 _esc(verdict_sentence(found))))
        earlier_html = _table(("Session started", "Entries", "Verdict"), earlier_rows)
    else:
        earlier_html = "<p>There is no log of an earlier session on this computer.</p>"

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
<h2>Connection log of this session</h2>
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
