"""Data locality: the network policy in both processes, the connection monitor, the indicator, the report.

Loopback only. "Another computer" is 127.0.0.2: every test installs a policy for which only
127.0.0.1 is this computer, and a server the test starts listens on 127.0.0.2 and writes down every
connection it accepts, so a test can check that nothing reached it.
"""

from __future__ import annotations

import asyncio
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

from app import __version__
from app.core import engine_client, locality
from app.core.audit_report import write_evidence_report
from app.core.demo_model import write_demo_model
from app.core.engine_client import EngineClient
from app.core.locality import (
    ALLOWED,
    BLOCKED,
    BLOCKED_LOG_PREFIX,
    LOCAL,
    POLICY_ENV,
    UNEXPECTED,
    AuditEntry,
    AuditLog,
    ConnectionMonitor,
    LocalityKind,
    LocalityState,
    LocalityTracker,
    NetworkBlocked,
    NetworkPolicy,
    install_policy,
    uninstall_policy,
)

OUTSIDE = "127.0.0.2"

SERVER = textwrap.dedent("""
    import http.server, socketserver, sys

    class Handler(http.server.BaseHTTPRequestHandler):
        def setup(self):
            with open(sys.argv[1], "a") as log:
                log.write("connection\\n")
            super().setup()

        def do_GET(self):
            body = b"GGUF model bytes"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    try:
        server = socketserver.TCPServer((sys.argv[2], 0), Handler)  # not HTTPServer: no reverse lookup
    except OSError as exc:
        print("unavailable", exc, flush=True)
        sys.exit(0)
    print(server.server_address[1], flush=True)
    server.serve_forever()
""")


class OutsideServer:
    """An HTTP server on 127.0.0.2 in a process of its own; ``connections()`` counts what it accepted."""

    def __init__(self, log_path) -> None:
        self.log_path = log_path
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(log_path), OUTSIDE],
                                        stdout=subprocess.PIPE, text=True)
        first = self.process.stdout.readline().strip()
        if not first.isdigit():
            self.process.wait()
            pytest.skip(f"{OUTSIDE} is not usable on this system: {first}")
        self.port = int(first)

    def connections(self, wait_for: int = 0) -> int:
        """Connections accepted so far, after waiting a moment (up to 5 s for ``wait_for`` of them)."""
        deadline = time.monotonic() + 5
        time.sleep(0.2)
        while self._count() < wait_for and time.monotonic() < deadline:
            time.sleep(0.05)
        return self._count()

    def _count(self) -> int:
        return len(self.log_path.read_text().splitlines()) if self.log_path.exists() else 0

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


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


@pytest.fixture(scope="module")
def small_moe(tmp_path_factory):
    return write_demo_model(tmp_path_factory.mktemp("models") / "small-moe.gguf", arch="qwen3moe", layers=3)


def next_event(events: queue.Queue, name: str, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        event = events.get(timeout=max(0.1, deadline - time.monotonic()))
        assert event["event"] not in ("error", "lost"), event
        if event["event"] == name:
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
    real = locality._ORIGINALS["getaddrinfo"]

    def name_server(host, port, *args, **kwargs):
        if host != "models.example.org":
            return real(host, port, *args, **kwargs)  # addresses: no name server involved
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (OUTSIDE, int(port)))]

    locality._ORIGINALS["getaddrinfo"] = name_server
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
        locality._ORIGINALS["getaddrinfo"] = real
    assert asked == ["models.example.org"]
    assert outside.connections(wait_for=1) == 1
    verdicts = [(entry.host, entry.verdict, entry.action)
                for entry in gui.entries() if entry.kind == "attempt"]
    assert verdicts == [("models.example.org", BLOCKED, None),
                        (OUTSIDE, ALLOWED, "download example.org"),  # connections are by address
                        ("telemetry.example.net", BLOCKED, None),
                        ("127.0.0.3", BLOCKED, None)]


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


# --- the engine process ---------------------------------------------------------------------------

ENGINE_THAT_TRIES = textwrap.dedent("""
    import socket, sys, threading, time
    from app.core import locality
    from app.main import main

    def phone_home():
        while locality.current_policy() is None:
            time.sleep(0.01)
        try:
            socket.create_connection(("{host}", {port}), timeout=5).close()
        except OSError:
            pass

    threading.Thread(target=phone_home, daemon=True).start()
    sys.exit(main(["--engine-host"]))
""")


def test_connection_from_the_engine_process_is_blocked_reported_and_warns(gui, outside, monkeypatch):
    """The real engine host, started by EngineClient, with a thread that tries to connect out."""
    script = ENGINE_THAT_TRIES.format(host=OUTSIDE, port=outside.port)
    monkeypatch.setattr(engine_client, "engine_command", lambda: [sys.executable, "-c", script])
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        assert next_event(events, "ready")["network_policy"]["local_networks"] == ["127.0.0.1/32"]
        blocked = next_event(events, "network_blocked", timeout=30)
        gui.monitor.record_engine_event(client.pid, blocked)
    finally:
        client.close()

    assert (blocked["host"], blocked["port"], blocked["reason"]) == (OUTSIDE, outside.port, "no_action")
    assert outside.connections() == 0
    [entry] = gui.entries()
    assert (entry.pid, entry.role, entry.host, entry.port, entry.verdict) == (
        client.pid, "engine", OUTSIDE, outside.port, BLOCKED)
    assert gui.tracker.state == LocalityState.warning(OUTSIDE)


def test_the_engine_host_and_the_command_line_install_the_policy_first(gui, outside):
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        policy = next_event(events, "ready")["network_policy"]
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


def test_a_whole_chat_session_on_a_local_model_opens_no_socket(gui, small_moe):
    gui.monitor.poll()
    before = len(gui.entries())  # sockets other tests in this process may have left open
    events: queue.Queue = queue.Queue()
    client = EngineClient(events.put)
    client.start()
    try:
        next_event(events, "ready")
        gui.pids[client.pid] = "engine"
        psutil.Process(client.pid).net_connections(kind="inet")  # the engine can be watched at all
        polls_before = gui.monitor.polls
        client.send({"cmd": "load", "path": str(small_moe), "n_ctx": 512})
        next_event(events, "loaded")
        for question in ("Hallo!", "Was ist ein Experte?"):
            client.send({"cmd": "generate", "messages": [{"role": "user", "content": question}],
                         "max_tokens": 8, "seed": 1})
            next_event(events, "finished")
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
    assert "@page" in page  # print layout
    for external in ("http://", "https://", "<script", "src=", "url(", "@import", "<link"):
        assert external not in page
