"""The evidence report: one self-contained HTML page a security officer can print and file.

It states the app's version, the network policy and how it is enforced (with the company server in use,
if any: its host, whether its address is private, since when), where MoEscope keeps its files, and this
session's connection log, with a verdict on top. Its words come from the caller as
ReportWords (the window passes them in the user's language; the defaults are English, for the command
line and tests). No script, no external style sheet, font or image: the page opens and prints the same on a
computer without a network.
"""

from __future__ import annotations

import html
import platform
import socket
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.core.locality.audit import AuditEntry
from app.core.locality.monitor import ConnectionMonitor
from app.core.locality.outcome import CONNECTED, FAILED, MADE, PENDING, REFUSED, RESOLVED, SENT
from app.core.locality.policy import ALLOWED, BLOCKED, LOCAL, SERVER_KIND, SERVER_TEST_KIND, UNEXPECTED
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


def _verdict_cell(verdict: str, words: ReportWords) -> str:
    words = _esc(words.verdict(verdict))
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
    return {"download": f"download from {host}", "search": f"search on {host}", SERVER_KIND: f"company server {host}",
            SERVER_TEST_KIND: f"connection test of {host}"}.get(kind, label)


def _monitoring_text(interval: float, polls: int) -> str:
    return (f"The sockets of both processes are listed every {interval:g} s ({polls} checks so far); "
            f"connections and listening sockets are logged.")


@dataclass(frozen=True)
class ReportWords:
    """Every word of the evidence report, in one language; the defaults are English.

    Templates name their blanks in braces (``{verdict}``) and are filled with ``str.format``; words that
    depend on a count or on an entry are functions, so that the caller can choose plural forms and reuse
    its own wording of verdicts, outcomes and actions. ``lang`` is the page's ``<html lang>``.
    """

    lang: str = "en"
    title: str = "MoEscope — evidence of data locality"
    meta: str = ("Generated {generated} on {computer} ({system}). MoEscope {version}, {build}: {program}. "
                 "Session started {started}.")
    installed_build: str = "installed build"
    python_build: str = "Python {version}"
    this_session: str = "This session: {verdict}"
    policy_heading: str = "Network policy"
    policy_headers: tuple[str, str] = ("Item", "Value")
    mode: str = "Mode"
    mode_offline: str = "Offline: every network action is refused"
    mode_local: str = "Local: the network only for downloads or searches the user starts"
    allowed: str = "Allowed"
    allowed_offline: str = ("Offline mode: connections only within this computer ({networks}); downloads and "
                            "searches are refused.")
    allowed_local: str = ("Connections only within this computer ({networks}), except to the host of a "
                          "download or search the user starts, while it runs.")
    this_computer: str = "This computer"
    company_server: str = "Company server"
    server_in_use: str = ("{host} ({where}), in use since {since}: the questions asked in MoEscope and their "
                          "answers go to this server")
    server_private: str = "private network address"
    server_public: str = "public address"
    no_server: str = "none: the answers are computed on this computer"
    actions_now: str = "User actions running now"
    no_actions: str = "none"
    enforcement: str = "Enforcement"
    enforcement_text: str = ("Every outgoing connection, datagram and name lookup of the window process and of "
                             "the engine process is checked against this policy before it is made; refused "
                             "ones never reach the network and are logged, allowed ones are logged with their "
                             "outcome.")
    monitoring: str = "Monitoring"
    monitoring_text: Callable[[float, int], str] = _monitoring_text
    hub_client: str = "Hugging Face client"
    storage_heading: str = "Where MoEscope keeps data"
    storage_headers: tuple[str, str] = ("What", "Where")
    models: str = "Models"
    application_data: str = "Application data"
    settings: str = "Settings"
    connection_log: str = "Connection log"
    log_heading: str = "Connection log of this session"
    log_headers: tuple[str, ...] = ("Time", "Process", "Kind", "Remote / address", "Verdict", "Outcome",
                                    "User action", "Detail")
    process: str = "{process} (pid {pid})"
    window: str = "window"
    engine: str = "engine"
    kind: Callable[[str], str] = str
    verdict: Callable[[str], str] = lambda verdict: _VERDICT_WORDS.get(verdict, verdict)
    outcome: Callable[[AuditEntry], str] = _outcome_text
    logged_action: Callable[[str], str] = str
    no_entries: str = "No entries: no connection, connection attempt or listening socket was seen."
    log_file: str = "Connection log file: {path}"
    log_unwritten: str = ("The connection log file could not be written ({error}); the entries above were "
                          "kept in memory.")
    earlier_heading: str = "Earlier sessions"
    earlier_headers: tuple[str, str, str] = ("Session started", "Entries", "Verdict")
    no_earlier: str = "There is no log of an earlier session on this computer."
    nothing_left: str = "Nothing left this computer: {reasons}."
    nothing_at_all: str = "Nothing left this computer: no connection to another computer was made or attempted."
    refused: Callable[[int], str] = lambda count: f"{count} attempt(s) blocked before anything was sent"
    declined: Callable[[int], str] = lambda count: (f"{count} download(s) or search(es) the user started were "
                                                    f"not run because offline mode was on")
    unexpected: Callable[[int], str] = lambda count: (f"{count} UNEXPECTED connection(s) or listening "
                                                      f"socket(s) seen open.")
    reached: str = ("Connections to other computers were made for downloads or searches the user started: "
                    "{actions}.")
    tried: str = ("No connection to another computer was made for downloads or searches the user started: "
                  "{actions}.")
    tried_too: str = "No connection was made for: {actions}."
    user_action: Callable[[str], str] = _action_text
    action_places: str = "{action} — {places}"
    more: Callable[[int], str] = lambda count: f"and {count} more"


ENGLISH = ReportWords()
"""The report's words in English."""


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


def summarize(entries: Sequence[AuditEntry],
              outcome: Callable[[AuditEntry], str] = _outcome_text) -> SessionSummary:
    """The SessionSummary of one session's entries; ``outcome`` words what became of a tried attempt."""
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
            group, item = tried, f"{place} ({outcome(entry)})"
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


def _per_action(groups: dict[str, list[str]], words: ReportWords) -> str:
    parts = []
    for label, items in groups.items():
        shown = ", ".join(items[:_PLACES_SHOWN])
        if len(items) > _PLACES_SHOWN:
            shown += f" {words.more(len(items) - _PLACES_SHOWN)}"
        parts.append(words.action_places.format(action=words.user_action(label), places=shown))
    return "; ".join(parts)


def verdict_sentence(entries: Sequence[AuditEntry], words: ReportWords = ENGLISH) -> str:
    """The verdict on one session's entries, in ``words``: whether anything left this computer, what was
    refused, which connections the user's downloads and searches made and to where, and which failed."""
    summary = summarize(entries, words.outcome)
    declined = words.declined(summary.declined) if summary.declined else ""
    if summary.nothing_left:
        reasons = [words.refused(summary.refused) if summary.refused else "", declined]
        if any(reasons):
            return words.nothing_left.format(reasons="; ".join(reason for reason in reasons if reason))
        return words.nothing_at_all
    sentences = []
    if summary.unexpected:
        sentences.append(words.unexpected(summary.unexpected))
    if summary.reached:
        sentences.append(words.reached.format(actions=_per_action(summary.reached, words)))
    if summary.tried:
        lead = words.tried_too if summary.reached else words.tried
        sentences.append(lead.format(actions=_per_action(summary.tried, words)))
    if summary.refused:
        sentences.append(f"{words.refused(summary.refused)}.")
    if declined:
        sentences.append(f"{declined[0].upper()}{declined[1:]}.")
    return " ".join(sentences)


def _server_text(server: dict | None, words: ReportWords) -> str:
    """The company server in use, in ``words`` (from NetworkPolicy.describe()'s ``server``)."""
    if server is None:
        return words.no_server
    where = words.server_private if server["private"] else words.server_public
    return words.server_in_use.format(host=server["host"], where=where, since=_when(server["since"]))


class Markup(str):
    """HTML already escaped, for a blank of ``_fill``."""


def _fill(template: str, **values: object) -> str:
    """``template`` as HTML with its blanks filled: both escaped, except values given as ``Markup``."""
    return _esc(template).format(**{name: value if isinstance(value, Markup) else _esc(value)
                                    for name, value in values.items()})


def write_evidence_report(path: Path, monitor: ConnectionMonitor, *, models_dir: Path, settings_location: str,
                          extra_locations: Sequence[tuple[str, str]] = (),
                          words: ReportWords = ENGLISH) -> Path:
    """Write the evidence report for the monitor's session to ``path`` (HTML) and return ``path``.

    Args:
        path: the file to write.
        monitor: the running ConnectionMonitor; its policy, audit log and poll count are reported.
        models_dir: the models folder in use.
        settings_location: where the settings are kept (for Qt: ``QSettings().fileName()``).
        extra_locations: further (what, where) rows for the storage table, such as the conversations.
        words: the report's words, in the reader's language.
    """
    policy, audit = monitor.policy, monitor.audit
    entries = audit.entries()
    described = policy.describe()
    frozen = bool(getattr(sys, "frozen", False))
    build = words.installed_build if frozen else words.python_build.format(version=platform.python_version())
    meta = _fill(words.meta, generated=_when(time.time()), computer=socket.gethostname(),
                 system=platform.platform(), version=__version__, build=build,
                 program=Markup(f"<code>{_esc(sys.executable)}</code>"), started=_when(audit.session.started))

    networks = ", ".join(policy.local_networks)
    enforcement = [
        (words.mode, words.mode_offline if policy.offline else words.mode_local),
        (words.allowed, (words.allowed_offline if policy.offline else words.allowed_local).format(
            networks=networks)),
        (words.this_computer, networks),
        (words.company_server, _server_text(described["server"], words)),
        (words.actions_now, ", ".join(words.logged_action(label) for label in described["active_actions"])
         or words.no_actions),
        (words.enforcement, words.enforcement_text),
        (words.monitoring, words.monitoring_text(monitor.interval, monitor.polls)),
        (words.hub_client, ", ".join(f"{name}={value}" for name, value in described["hub_environment"].items())),
    ]
    policy_table = _table(words.policy_headers, [(_esc(a), _esc(b)) for a, b in enforcement])

    locations = [(words.models, str(models_dir)), (words.application_data, str(data_dir())),
                 (words.settings, settings_location), *extra_locations,
                 (words.connection_log, str(audit.directory))]
    storage_table = _table(words.storage_headers,
                           [(_esc(what), f"<code>{_esc(where)}</code>") for what, where in locations])

    roles = {"gui": words.window, "engine": words.engine}
    if entries:
        rows = [(_esc(_when(entry.time)), _fill(words.process, process=roles.get(entry.role, entry.role),
                                                pid=entry.pid),
                 _esc(words.kind(entry.kind)),
                 _esc(entry.host if entry.port is None else f"{entry.host}:{entry.port}"),
                 _verdict_cell(entry.verdict, words), _esc(words.outcome(entry)),
                 _esc(words.logged_action(entry.action) if entry.action else "—"),
                 f'<span class="small">{_esc(entry.detail)}</span>') for entry in entries]
        log_html = _table(words.log_headers, rows)
    else:
        log_html = f"<p>{_esc(words.no_entries)}</p>"
    if audit.write_error:
        write_note = f'<p class="small">{_fill(words.log_unwritten, error=audit.write_error)}</p>'
    else:
        write_note = (f'<p class="small">'
                      f'{_fill(words.log_file, path=Markup(f"<code>{_esc(audit.session.path)}</code>"))}</p>')

    earlier = audit.earlier_sessions()
    if earlier:
        earlier_rows = []
        for session in earlier:
            found = session.entries()
            earlier_rows.append((_esc(_when(session.started)), _esc(len(found)),
                                 _esc(verdict_sentence(found, words))))
        earlier_html = _table(words.earlier_headers, earlier_rows)
    else:
        earlier_html = f"<p>{_esc(words.no_earlier)}</p>"

    title = _esc(words.title)
    page = f"""<!DOCTYPE html>
<html lang="{_esc(words.lang)}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{meta}</p>
<p class="verdict">{_fill(words.this_session, verdict=verdict_sentence(entries, words))}</p>
<h2>{_esc(words.policy_heading)}</h2>
{policy_table}
<h2>{_esc(words.storage_heading)}</h2>
{storage_table}
<h2>{_esc(words.log_heading)}</h2>
{log_html}
{write_note}
<h2>{_esc(words.earlier_heading)}</h2>
{earlier_html}
</body>
</html>
"""
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
