"""Data locality: the network policy in both processes, the connection monitor, the indicator, the report.

Loopback only. "Another computer" is 127.0.0.2: every test installs a policy for which only
127.0.0.1 is this computer, and a server the test starts listens on 127.0.0.2 and writes down every
connection it accepts, so a test can check that nothing reached it.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import queue
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request

import huggingface_hub.constants  # imported before any policy is installed, so uninstalling restores it
import psutil
import pytest
from fake_hub import FakeHub
from outside import ENGINE_THAT_TRIES, OUTSIDE, OutsideServer, no_name_resolves, outside_unusable

from app import __version__
from app.core.engine import client as engine_client
from app.core.engine import protocol
from app.core.engine.client import EngineClient
from app.core.hub.access import HubAccess
from app.core.hub.errors import HubError
from app.core.hub.request import DownloadRequest
from app.core.hub.transfer import download
from app.core.hub.search import search_gguf
from app.core.locality import guard
from app.core.locality.audit import AuditEntry, AuditLog
from app.core.locality.guard import install_policy, uninstall_policy
from app.core.locality.monitor import ConnectionMonitor
from app.core.locality.outcome import (
    CONNECTED,
    FAILED,
    NAME_NOT_RESOLVED,
    PENDING,
    REFUSED,
    RESOLVED,
    short_error,
    unsuccessful,
)
from app.core.locality.policy import (
    ALLOWED,
    BLOCKED,
    BLOCKED_LOG_PREFIX,
    LOCAL,
    POLICY_ENV,
    UNEXPECTED,
    NetworkAttempt,
    NetworkBlocked,
    NetworkPolicy,
)
from app.core.locality.report import summarize, verdict_sentence, write_evidence_report
from app.core.locality.state import LocalityKind, LocalityState, LocalityTracker
from app.core.models.demo import write_demo_model


@pytest.fixture
def outside(tmp_path):
    server = OutsideServer(tmp_path / "accepted.log")
    yield server
    server.stop()


class Locality:
    """A policy for which 127.0.0.2 is another computer, installed in this (the "gui") process, with a
    running monitor writing to a temporary audit folder, and a tracker."""

    def __init__(self, tmp_path) -> None:
        self.policy = install_policy(NetworkPolicy(local_networks=["127.0.0.1/32"]))
        self.pids = {os.getpid(): "gui"}
        self.monitor = ConnectionMonitor(lambda: self.pids, interval=0.05, policy=self.policy,
                                         audit=AuditLog(tmp_path / "audit"))
        self.tracker = LocalityTracker(self.policy, self.monitor)
        self.monitor.start()

    def entries(self) -> list[AuditEntry]:
        return self.monitor.audit.entries()

    def close(self) -> None:
        self.tracker.close()
        self.monitor.stop()
        uninstall_policy()


@pytest.fixture
def gui(tmp_path):
    started = Locality(tmp_path)
    yield started
    started.close()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.2 where nothing listens: connecting there is refused at once."""
    with socket.socket() as bound:
        try:
            bound.bind((OUTSIDE, 0))
        except OSError as exc:
            outside_unusable(exc)
        yield bound.getsockname()[1]  # bound, never listening: no other test can take it meanwhile


def attempts(entries: list[AuditEntry]) -> list[tuple]:
    """The policy's decisions among ``entries``: (host, port, verdict, action, outcome, error)."""
    return [(entry.host, entry.port, entry.verdict, entry.action, entry.outcome, entry.error)
            for entry in entries if entry.kind == "attempt"]


@pytest.fixture(scope="module")
def small_moe(tmp_path_factory):
    return write_demo_model(tmp_path_factory.mktemp("models") / "small-moe.gguf", arch="qwen3moe", layers=3)


def next_event(events: queue.Queue, kind: type, timeout: float = 60.0) -> protocol.Event:
    deadline = time.monotonic() + timeout
    while True:
        event = events.get(timeout=max(0.1, deadline - time.monotonic()))
        assert not isinstance(event, (protocol.Error, protocol.Lost)), event
        if isinstance(event, kind):
            return event


# --- the window's process -------------------------------------------------------------------------

def test_connection_from_the_window_process_is_blocked_logged_and_warns_until_acknowledged(gui, outside,
                                                                                           capfd):
    with pytest.raises(NetworkBlocked) as blocked:
        socket.create_connection((OUTSIDE, outside.port), timeout=5)

    assert isinstance(blocked.value, PermissionError)
    assert blocked.value.reason == "no_action" and blocked.value.host == OUTSIDE
    assert f"blocked a connection to {OUTSIDE}:{outside.port}" in str(blocked.value)
    assert BLOCKED_LOG_PREFIX in capfd.readouterr().err
    assert outside.connections() == 0
    [entry] = gui.entries()
    assert (entry.pid, entry.role, entry.kind, entry.host, entry.port, entry.verdict, entry.action) == (
        os.getpid(), "gui", "attempt", OUTSIDE, outside.port, BLOCKED, None)
    on_disk = [json.loads(line) for line in gui.monitor.audit.session.path.read_text().splitlines()]
    assert on_disk == [entry.to_dict()]

    assert gui.tracker.state == LocalityState.warning(OUTSIDE)
    assert gui.tracker.state.text == f"Warning: unexpected connection to {OUTSIDE}"
    assert gui.tracker.warning_entry == entry
    with gui.policy.allow_action("download", OUTSIDE):
        assert gui.tracker.state.kind is LocalityKind.WARNING  # sticks until acknowledged
        gui.tracker.acknowledge()
        assert gui.tracker.state.kind is LocalityKind.DOWNLOAD
    assert gui.tracker.state == LocalityState.local()


def test_every_other_way_out_is_blocked_too(gui, outside):
    attempts = [
        lambda: socket.socket().connect((OUTSIDE, outside.port)),
        lambda: socket.socket().connect_ex((OUTSIDE, outside.port)),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", (OUTSIDE, outside.port)),
        lambda: socket.gethostbyaddr(OUTSIDE),
        lambda: asyncio.run(asyncio.open_connection(OUTSIDE, outside.port)),
    ]
    for attempt in attempts:
        with pytest.raises(NetworkBlocked):
            attempt()
    assert outside.connections() == 0
    assert [entry.kind for entry in gui.entries()] == ["attempt"] * len(attempts)
    assert {entry.verdict for entry in gui.entries()} == {BLOCKED}
    with socket.create_server(("127.0.0.1", 0)) as local:  # this computer stays reachable
        socket.create_connection(local.getsockname()).close()


def test_names_are_resolved_only_for_the_running_action_and_only_its_addresses_are_reached(gui, outside):
    """A fake name server stands in for the real one, which must never be asked in a test."""
    asked = []
    real = guard._ORIGINALS["getaddrinfo"]

    def name_server(host, port, *args, **kwargs):
        if host != "models.example.org":
            return real(host, port, *args, **kwargs)  # addresses: no name server involved
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (OUTSIDE, int(port)))]

    guard._ORIGINALS["getaddrinfo"] = name_server
    try:
        with pytest.raises(NetworkBlocked, match="name lookup of models.example.org"):
            socket.getaddrinfo("models.example.org", outside.port)
        with gui.policy.allow_action("download", "example.org") as action:
            socket.create_connection(("models.example.org", outside.port), timeout=5).close()
            assert OUTSIDE in action.addresses
            with pytest.raises(NetworkBlocked, match="may only reach example.org") as other:
                socket.getaddrinfo("telemetry.example.net", 443)
            assert other.value.reason == "other_host"
            with pytest.raises(NetworkBlocked):
                socket.create_connection(("127.0.0.3", outside.port), timeout=5)
    finally:
        guard._ORIGINALS["getaddrinfo"] = real
    assert asked == ["models.example.org"]
    assert outside.connections(wait_for=1) == 1
    verdicts = [(entry.host, entry.verdict, entry.action, entry.outcome)
                for entry in gui.entries() if entry.kind == "attempt"]
    assert verdicts == [("models.example.org", BLOCKED, None, REFUSED),
                        ("models.example.org", ALLOWED, "download example.org", RESOLVED),
                        (OUTSIDE, ALLOWED, "download example.org", CONNECTED),  # connections are by address
                        ("telemetry.example.net", BLOCKED, None, REFUSED),
                        ("127.0.0.3", BLOCKED, None, REFUSED)]


def test_listening_sockets_are_reported(gui):
    with socket.create_server(("127.0.0.1", 0)) as local, socket.create_server((OUTSIDE, 0)) as exposed:
        gui.monitor.poll()
        expected = {local.getsockname(): LOCAL, exposed.getsockname(): UNEXPECTED}
    listening = {(entry.host, entry.port): entry.verdict
                 for entry in gui.entries() if entry.kind == "listening"}
    assert listening == expected
    assert gui.tracker.state == LocalityState.warning(OUTSIDE)


# --- user actions and offline mode ----------------------------------------------------------------

def test_user_download_shows_the_download_state_and_returns_to_local(gui, outside):
    states = []
    gui.tracker.subscribe(states.append)
    assert huggingface_hub.constants.is_offline_mode() and os.environ["HF_HUB_OFFLINE"] == "1"
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    with gui.policy.allow_action("download", OUTSIDE):
        assert gui.tracker.state == LocalityState.download(OUTSIDE, "the model file")
        assert gui.tracker.state.text == f"Download from {OUTSIDE} — only the model file is received"
        assert os.environ["HF_HUB_OFFLINE"] == "0" and not huggingface_hub.constants.is_offline_mode()
        with no_proxy.open(f"http://{OUTSIDE}:{outside.port}/model.gguf", timeout=10) as response:
            gui.monitor.poll()  # the connection is open now
            assert response.read() == b"GGUF model bytes"

    assert gui.tracker.state == LocalityState.local()
    assert gui.tracker.state.text == "Local — nothing leaves this computer"
    assert states == [LocalityState.download(OUTSIDE, "the model file"), LocalityState.local()]
    assert os.environ["HF_HUB_OFFLINE"] == "1" and huggingface_hub.constants.is_offline_mode()
    assert huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY
    assert outside.connections(wait_for=1) == 1
    seen = {(entry.kind, entry.verdict, entry.action) for entry in gui.entries()}
    assert seen == {("attempt", ALLOWED, f"download {OUTSIDE}"),
                    ("connection", ALLOWED, f"download {OUTSIDE}")}


def test_offline_mode_refuses_a_download_with_a_clear_message(gui, outside):
    gui.policy.offline = True
    assert gui.tracker.state == LocalityState.offline()
    assert gui.tracker.state.text == "Offline mode — network blocked"
    assert json.loads(os.environ[POLICY_ENV])["offline"] is True  # engines started from now on inherit it

    with pytest.raises(NetworkBlocked) as refused, gui.policy.allow_action("download", OUTSIDE):
        pytest.fail("the download ran in offline mode")
    assert refused.value.reason == "offline"
    assert str(refused.value).startswith(
        f"Offline mode is on, so MoEscope did not start the download from {OUTSIDE}")
    assert "Turn offline mode off" in str(refused.value)
    assert gui.tracker.state == LocalityState.offline()  # the user was told; this is no warning
    [entry] = gui.entries()
    assert (entry.kind, entry.verdict, entry.action) == ("refused", BLOCKED, f"download {OUTSIDE}")

    with pytest.raises(NetworkBlocked, match="Offline mode is on: MoEscope blocked a connection"):
        socket.create_connection((OUTSIDE, outside.port), timeout=5)
    assert gui.tracker.state == LocalityState.warning(OUTSIDE)
    assert outside.connections() == 0


def test_every_attempt_a_user_action_allowed_is_logged_with_its_outcome(gui, outside, closed_port):
    with no_name_resolves() as asked, gui.policy.allow_action("download", OUTSIDE, also=("models.invalid",)):
        socket.create_connection((OUTSIDE, outside.port), timeout=5).close()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((OUTSIDE, closed_port), timeout=5)
        with socket.socket() as sock:
            assert sock.connect_ex((OUTSIDE, closed_port)) == errno.ECONNREFUSED
        with pytest.raises(socket.gaierror):
            socket.getaddrinfo("models.invalid", 443)
    assert asked == ["models.invalid"]
    assert outside.connections(wait_for=1) == 1

    action = f"download {OUTSIDE}"
    refused = "connection refused by the host"
    assert attempts(gui.entries()) == [
        (OUTSIDE, outside.port, ALLOWED, action, CONNECTED, None),
        (OUTSIDE, closed_port, ALLOWED, action, FAILED, refused),
        (OUTSIDE, closed_port, ALLOWED, action, FAILED, refused),
        ("models.invalid", 443, ALLOWED, action, FAILED, NAME_NOT_RESOLVED),
    ]
    details = [entry.detail for entry in gui.entries() if entry.kind == "attempt"]
    assert details[0] == f"A connection to {OUTSIDE}:{outside.port} for the {action}: connected."
    assert details[3] == f"A name lookup of models.invalid:443 for the {action}: failed (name not resolved)."
    on_disk = [json.loads(line) for line in gui.monitor.audit.session.path.read_text().splitlines()]
    assert {"outcome": FAILED, "error": refused}.items() <= on_disk[1].items()
    assert gui.tracker.state == LocalityState.local()  # what the user asked for, failed or not: no warning
    assert verdict_sentence(gui.entries()) == (
        f"Connections to other computers were made for downloads or searches the user started: download "
        f"from {OUTSIDE} — {OUTSIDE}:{outside.port}.")


def test_failures_are_told_in_a_few_words():
    assert short_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known")) == NAME_NOT_RESOLVED
    assert short_error(socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")) == (
        NAME_NOT_RESOLVED)
    assert short_error(OSError(errno.EHOSTUNREACH, "No route to host")) == "no route to host"
    assert short_error(OSError(errno.ENETUNREACH, "Network is unreachable")) == "network unreachable"
    refused = "connection refused by the host"
    assert short_error(ConnectionRefusedError(errno.ECONNREFUSED, "refused")) == refused
    assert short_error(errno.ECONNREFUSED) == refused
    assert short_error(TimeoutError("timed out")) == "timed out"
    assert short_error(OSError(errno.EACCES, "Permission denied")) == "permission denied"
    assert unsuccessful(BlockingIOError(errno.EINPROGRESS, "in progress")) == (PENDING, None)
    assert unsuccessful(errno.EINPROGRESS) == (PENDING, None)
    assert unsuccessful(errno.EHOSTUNREACH) == (FAILED, "no route to host")


@pytest.fixture
def hub_with_outside_cdn():
    """A fake Hub on 127.0.0.1 whose CDN is on 127.0.0.2. Ask for it before ``gui``: starting a server
    looks up its own name, which the policy would refuse."""
    try:
        hub = FakeHub(cdn_host=OUTSIDE)
    except OSError as exc:
        outside_unusable(exc)
    with hub:
        yield hub


def test_downloads_and_searches_through_the_hub_client_are_logged_connected_or_failed(
        hub_with_outside_cdn, gui, tmp_path, closed_port):
    """The real download and search code, as the window runs them: a fake Hub whose CDN is on 127.0.0.2,
    a Hub whose name does not resolve, and a Hub on 127.0.0.2 where nothing listens."""
    def scope(kind: str):
        return lambda host: gui.policy.allow_action(kind, host)

    hub = hub_with_outside_cdn
    request = DownloadRequest("org/Tiny-GGUF", "tiny-Q8_0.gguf")
    hub.add_repo(request.repo, {request.filename: b"GGUF" + bytes(1000)})
    download(request, tmp_path / "models", HubAccess(endpoint=hub.endpoint, network_scope=scope("download")),
             disk_free=lambda _folder: 10**12, retry_wait=0)
    cdn_port = int(hub.cdn.rpartition(":")[2])
    assert (OUTSIDE, cdn_port, ALLOWED, f"download {OUTSIDE}", CONNECTED, None) in attempts(gui.entries())
    before = len(gui.entries())

    with no_name_resolves() as asked, pytest.raises(HubError) as failed:
        download(request, tmp_path / "models-2",
                 HubAccess(endpoint="http://huggingface.invalid", network_scope=scope("download")),
                 disk_free=lambda _folder: 10**12, retries=1, retry_wait=0)
    assert failed.value.kind == "offline" and asked == ["huggingface.invalid"]  # no retry: no internet
    with pytest.raises(HubError) as failed:
        search_gguf("qwen", HubAccess(endpoint=f"http://{OUTSIDE}:{closed_port}",
                                      network_scope=scope("search")))
    assert failed.value.kind == "network"

    assert attempts(gui.entries()[before:]) == [
        ("huggingface.invalid", 80, ALLOWED, "download huggingface.invalid", FAILED, NAME_NOT_RESOLVED),
        (OUTSIDE, closed_port, ALLOWED, f"search {OUTSIDE}", FAILED, "connection refused by the host"),
    ]
    # the monitor's thread may see the fake CDN listening on 127.0.0.2 meanwhile (checked below): not an attempt
    tried = [entry for entry in gui.entries()[before:] if entry.kind != "listening"]
    assert verdict_sentence(tried) == (
        "No connection to another computer was made for downloads or searches the user started: download "
        "from huggingface.invalid — huggingface.invalid:80 (failed: name not resolved); search on "
        f"{OUTSIDE} — {OUTSIDE}:{closed_port} (failed: connection refused by the host).")
    gui.monitor.poll()
    # the only warning is the fake CDN's socket listening on 127.0.0.2 in this process, no failed attempt
    assert gui.tracker.warning_entry.kind == "listening"


# --- the engine process ---------------------------------------------------------------------------


@pytest.mark.slow
def test_connection_from_the_engine_process_is_blocked_reported_and_warns(gui, outside, monkeypatch):
    """The real engine host, started by EngineClient, with a thread that tries to connect out."""
    script = ENGINE_THAT_TRIES.format(host=OUTSIDE, port=outside.port)
    monkeypatch.setattr(engine_client, "engine_command", lambda: [sys.executable, "-c", script])
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        assert next_event(events, protocol.Ready).network_policy["local_networks"] == ["127.0.0.1/32"]
        blocked = next_event(events, protocol.NetworkBlocked, timeout=30).attempt
        gui.monitor.record_engine_attempt(client.pid, blocked)
    finally:
        client.close()

    assert (blocked.host, blocked.port, blocked.reason) == (OUTSIDE, outside.port, "no_action")
    assert outside.connections() == 0
    [entry] = gui.entries()
    assert (entry.pid, entry.role, entry.host, entry.port, entry.verdict) == (
        client.pid, "engine", OUTSIDE, outside.port, BLOCKED)
    assert gui.tracker.state == LocalityState.warning(OUTSIDE)


ENGINE_WITH_AN_ACTION = textwrap.dedent("""
    import socket, sys, threading, time
    from app.core.locality.guard import current_policy
    from app.main import main

    def fetch():
        while current_policy() is None:
            time.sleep(0.01)
        with current_policy().allow_action("download", "{host}"):
            try:
                socket.create_connection(("{host}", {port}), timeout=5).close()
            except OSError:
                pass

    threading.Thread(target=fetch, daemon=True).start()
    sys.exit(main(["--engine-host"]))
""")


@pytest.mark.slow
def test_an_attempt_an_action_allowed_in_the_engine_process_is_reported_with_its_outcome(gui, closed_port,
                                                                                          monkeypatch):
    script = ENGINE_WITH_AN_ACTION.format(host=OUTSIDE, port=closed_port)
    monkeypatch.setattr(engine_client, "engine_command", lambda: [sys.executable, "-c", script])
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        next_event(events, protocol.Ready)
        # the event's name predates allowed attempts
        reported = next_event(events, protocol.NetworkBlocked, timeout=30).attempt
        gui.monitor.record_engine_attempt(client.pid, reported)
    finally:
        client.close()

    assert (reported.allowed, reported.outcome, reported.error) == (
        True, FAILED, "connection refused by the host")
    [entry] = gui.entries()
    assert (entry.pid, entry.role, entry.kind, entry.host, entry.port, entry.verdict, entry.action,
            entry.outcome) == (client.pid, "engine", "attempt", OUTSIDE, closed_port, ALLOWED,
                               f"download {OUTSIDE}", FAILED)
    assert gui.tracker.state == LocalityState.local()


@pytest.mark.slow
def test_the_engine_host_and_the_command_line_install_the_policy_first(gui, outside):
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        policy = next_event(events, protocol.Ready).network_policy
    finally:
        client.close()
    assert policy["installed"] and not policy["offline"] and policy["local_networks"] == ["127.0.0.1/32"]
    assert policy["hub_environment"] == {
        "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1", "DO_NOT_TRACK": "1",
        "HF_HUB_DISABLE_XET": "1", "HF_HUB_OFFLINE": "1"}

    script = textwrap.dedent(f"""
        import os, socket
        from app.main import main
        main(["info", "no-such-model.gguf"])
        print("telemetry", os.environ.get("HF_HUB_DISABLE_TELEMETRY"))
        try:
            socket.create_connection(("{OUTSIDE}", {outside.port}), timeout=5)
        except PermissionError as exc:
            print("refused", type(exc).__name__)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.stdout.split("\n")[:2] == ["telemetry 1", "refused NetworkBlocked"], done
    assert BLOCKED_LOG_PREFIX in done.stderr
    assert outside.connections() == 0


@pytest.mark.slow
def test_a_whole_chat_session_on_a_local_model_opens_no_socket(gui, small_moe):
    gui.monitor.poll()
    before = len(gui.entries())  # sockets other tests in this process may have left open
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        next_event(events, protocol.Ready)
        gui.pids[client.pid] = "engine"
        psutil.Process(client.pid).net_connections(kind="inet")  # the engine can be watched at all
        polls_before = gui.monitor.polls
        client.send(protocol.Load(str(small_moe), n_ctx=512))
        next_event(events, protocol.Loaded)
        for question in ("Hallo!", "Was ist ein Experte?"):
            client.send(protocol.Generate(messages=(protocol.ChatMessage(protocol.USER, question),), max_tokens=8,
                                          seed=1))
            next_event(events, protocol.Finished)
        gui.monitor.poll()
        assert gui.monitor.polls > polls_before
    finally:
        client.close()
    # No connection, no attempt, no listening socket, in either process.
    assert gui.entries()[before:] == []
    assert gui.tracker.state == LocalityState.local()


# --- configuration, audit files, report -----------------------------------------------------------

def test_the_policy_travels_through_the_environment_and_a_broken_one_fails_closed(monkeypatch):
    policy = NetworkPolicy(offline=True, local_networks=["127.0.0.1/32"])
    monkeypatch.setenv(POLICY_ENV, policy.to_json())
    again = NetworkPolicy.from_environment()
    assert (again.offline, again.local_networks) == (True, ("127.0.0.1/32",))
    monkeypatch.setenv(POLICY_ENV, "{not json")
    assert NetworkPolicy.from_environment().offline
    monkeypatch.delenv(POLICY_ENV)
    default = NetworkPolicy.from_environment()
    assert not default.offline and default.is_local("::1") and default.is_local("127.8.9.10")
    assert default.is_local("::ffff:127.0.0.1") and default.is_local("localhost")
    assert not default.is_local("0.0.0.0") and not default.is_local("192.168.1.1")


def test_audit_sessions_are_kept_listed_newest_first_and_pruned(tmp_path):
    folder = tmp_path / "audit"
    folder.mkdir()
    entry = AuditEntry(time=1.0, pid=1, role="gui", kind="attempt", host=OUTSIDE, port=80, verdict=BLOCKED)
    for stamp in ("20240101-100000", "20240102-100000", "20240103-100000"):
        (folder / f"session-{stamp}-1.jsonl").write_text(json.dumps(entry.to_dict()) + "\n{cut off mid-wr")

    audit = AuditLog(folder, keep_sessions=3)
    earlier = audit.earlier_sessions()
    assert [session.path.name for session in earlier] == ["session-20240103-100000-1.jsonl",
                                                         "session-20240102-100000-1.jsonl"]
    assert earlier[0].entries() == [entry]
    assert time.localtime(earlier[0].started)[:3] == (2024, 1, 3)
    assert audit.session.path.exists() and audit.entries() == []


def test_audit_lines_written_before_outcomes_were_recorded_are_read_with_what_is_known():
    old = {"time": 1.0, "pid": 1, "role": "gui", "host": OUTSIDE, "port": 443, "action": None, "detail": ""}
    read = [AuditEntry.from_dict({**old, "kind": kind, "verdict": verdict})
            for kind, verdict in (("attempt", BLOCKED), ("refused", BLOCKED), ("connection", ALLOWED),
                                  ("attempt", ALLOWED), ("listening", LOCAL))]
    assert [entry.outcome for entry in read] == [REFUSED, REFUSED, CONNECTED, None, None]
    assert all(entry.error is None for entry in read)
    # an old engine's event: no "allowed", no "outcome"
    event = {protocol.EVENT_KEY: protocol.NETWORK_BLOCKED, "host": OUTSIDE, "port": 443, "time": 1.0,
             "kind": "connect", "reason": "no_action", "message": "blocked"}
    attempt = protocol.decode_event(json.dumps(event).encode()).attempt
    assert (attempt.allowed, attempt.outcome) == (False, REFUSED)
    assert NetworkAttempt.from_dict(attempt.to_dict()) == attempt


def entry_of(verdict: str, outcome: str | None, host: str = OUTSIDE, action: str | None = None,
             error: str | None = None, kind: str = "attempt") -> AuditEntry:
    return AuditEntry(time=1.0, pid=1, role="gui", kind=kind, host=host, port=443, verdict=verdict,
                      action=action, outcome=outcome, error=error)


def test_the_verdict_tells_nothing_refused_failed_and_made_apart():
    search = "search huggingface.co"
    failed = entry_of(ALLOWED, FAILED, "huggingface.co", search, NAME_NOT_RESOLVED)
    blocked = entry_of(BLOCKED, REFUSED)
    made = entry_of(ALLOWED, CONNECTED, "18.0.0.1", "download huggingface.co")
    local = entry_of(LOCAL, CONNECTED, "127.0.0.1", kind="connection")
    assert verdict_sentence([]) == verdict_sentence([local]) == (
        "Nothing left this computer: no connection to another computer was made or attempted.")
    assert verdict_sentence([blocked]) == (
        "Nothing left this computer: 1 attempt(s) blocked before anything was sent.")
    assert verdict_sentence([failed, failed, blocked]) == (
        "No connection to another computer was made for downloads or searches the user started: search on "
        "huggingface.co — huggingface.co:443 (failed: name not resolved). 1 attempt(s) blocked before "
        "anything was sent.")
    assert verdict_sentence([made, failed]) == (
        "Connections to other computers were made for downloads or searches the user started: download from "
        "huggingface.co — 18.0.0.1:443. No connection was made for: search on huggingface.co — "
        "huggingface.co:443 (failed: name not resolved).")
    assert verdict_sentence([entry_of(UNEXPECTED, CONNECTED, kind="connection"), blocked]) == (
        "1 UNEXPECTED connection(s) or listening socket(s) seen open. 1 attempt(s) blocked before anything "
        "was sent.")
    legacy = entry_of(ALLOWED, None, action="download huggingface.co")  # may have failed: counted as made
    assert verdict_sentence([legacy]).startswith("Connections to other computers were made")


def test_downloads_and_searches_refused_in_offline_mode_are_not_counted_as_blocked_attempts():
    declined = entry_of(BLOCKED, REFUSED, "huggingface.co", "search huggingface.co", kind="refused")
    blocked = entry_of(BLOCKED, REFUSED)
    assert verdict_sentence([declined, declined]) == (
        "Nothing left this computer: 2 download(s) or search(es) the user started were not run because "
        "offline mode was on.")
    assert verdict_sentence([blocked, declined]) == (
        "Nothing left this computer: 1 attempt(s) blocked before anything was sent; 1 download(s) or "
        "search(es) the user started were not run because offline mode was on.")
    summary = summarize([blocked, declined, declined])
    assert (summary.refused, summary.declined, summary.nothing_left) == (1, 2, True)


def test_evidence_report_is_one_self_contained_page(gui, tmp_path):
    with pytest.raises(NetworkBlocked):
        socket.create_connection((OUTSIDE, 9), timeout=5)
    report = write_evidence_report(tmp_path / "evidence.html", gui.monitor, models_dir=tmp_path / "models",
                                   settings_location="/home/someone/.config/MoEscope/MoEscope.conf",
                                   extra_locations=[("Conversations", "/data/conversations.sqlite")])
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and f"MoEscope {__version__}" in page
    assert gui.policy.summary() in page and "127.0.0.1/32" in page
    for where in (str(tmp_path / "models"), "MoEscope.conf", "conversations.sqlite",
                  str(gui.monitor.audit.directory)):
        assert where in page
    assert f"{OUTSIDE}:9" in page and "<strong>blocked</strong>" in page
    assert "1 attempt(s) blocked before anything was sent" in page
    assert f"window (pid {os.getpid()})" in page and "gui (pid" not in page  # the panel's word
    assert "Connection log of this session" in page and "Audit" not in page
    assert "@page" in page  # print layout
    for external in ("http://", "https://", "<script", "src=", "url(", "@import", "<link"):
        assert external not in page
