"""The network policy with a company server: exactly its host while it is in use, nothing in offline mode;
the indicator's SERVER state with the host and whether it is private; the evidence report names it."""

import queue
import socket

import pytest
from outside import OUTSIDE
from server_stand_ins import ServerStandIn

from app.core.engine import protocol
from app.core.locality.audit import AuditLog
from app.core.locality.guard import install_policy, uninstall_policy
from app.core.locality.monitor import ConnectionMonitor
from app.core.locality.policy import NetworkBlocked, NetworkPolicy
from app.core.locality.report import write_evidence_report
from app.core.locality.state import LocalityKind, LocalityState, LocalityTracker
from app.core.remote.client import RemoteClient
from app.core.remote.errors import BLOCKED, RemoteError
from app.core.remote.layout import model_path
from app.core.remote.probe import test_connection as connection_test
from app.core.remote.profiles import ServerProfile

OTHER = "127.0.0.3"  # another computer too, for the test policy


def test_only_the_server_in_use_is_allowed_exactly_and_never_offline():
    policy = NetworkPolicy()
    with pytest.raises(NetworkBlocked) as refused:
        policy.check("gpu01.example.internal", 443, "connect")
    assert refused.value.reason == "no_action"
    action = policy.use_server("gpu01.example.internal")
    assert policy.check("gpu01.example.internal", 443, "connect") is action and policy.server is action
    for other in ("gpu02.example.internal", "evil.gpu01.example.internal"):
        with pytest.raises(NetworkBlocked, match="company server in use may only reach gpu01") as refused:
            policy.check(other, 443, "connect")
        assert refused.value.reason == "other_host"
    assert "company server gpu01.example.internal" in policy.summary()
    policy.offline = True
    with pytest.raises(NetworkBlocked) as refused:
        policy.check("gpu01.example.internal", 443, "connect")
    assert refused.value.reason == "offline"
    policy.offline = False
    policy.use_server(None)
    with pytest.raises(NetworkBlocked):
        policy.check("gpu01.example.internal", 443, "connect")


def test_the_indicator_names_the_server_and_whether_its_address_is_private():
    policy = NetworkPolicy()
    tracker = LocalityTracker(policy)
    seen = []
    tracker.subscribe(seen.append)
    policy.use_server("10.1.2.3")
    assert tracker.state == LocalityState.server("10.1.2.3", True)
    assert tracker.state.text == "Company server 10.1.2.3 — your text goes to this server"
    policy.use_server("gpu01.example.com")  # a name not resolved yet: nothing says it is private
    assert tracker.state == LocalityState(LocalityKind.SERVER, "gpu01.example.com", private=False)
    policy.note_resolved(policy.server, [(socket.AF_INET, 1, 6, "", ("192.168.7.9", 443))])
    assert tracker.state.private
    policy.offline = True
    assert tracker.state.kind is LocalityKind.OFFLINE
    policy.offline = False
    policy.use_server(None)
    assert tracker.state.kind is LocalityKind.LOCAL
    assert [state.kind for state in seen] == [LocalityKind.SERVER] * 3 + [LocalityKind.OFFLINE, LocalityKind.SERVER,
                                                                        LocalityKind.LOCAL]


@pytest.fixture
def guarded(tmp_path):
    """A policy for which 127.0.0.2 and 127.0.0.3 are other computers, installed in this process, with a
    monitor logging its decisions (and no process's sockets: the stand-in serves from this one)."""
    policy = install_policy(NetworkPolicy(local_networks=["127.0.0.1/32"]))
    monitor = ConnectionMonitor(dict, interval=0.05, policy=policy, audit=AuditLog(tmp_path / "audit"))
    tracker = LocalityTracker(policy, monitor)
    monitor.start()
    yield policy, monitor, tracker
    tracker.close()
    monitor.stop()
    uninstall_policy()


def _events_until(events: queue.Queue, kinds: tuple) -> protocol.Event:
    while True:
        event = events.get(timeout=10)
        if isinstance(event, kinds):
            return event


def test_a_client_opens_exactly_its_server_while_it_runs_and_offline_mode_blocks_it(guarded, config_path, tmp_path):
    policy, monitor, tracker = guarded
    with ServerStandIn(host=OUTSIDE) as stand_in:
        profile = ServerProfile("outside", stand_in.url, stand_in.model, "sglang", config_path=str(config_path))
        events: queue.Queue = queue.Queue()
        client = RemoteClient(events.put, profile, None)
        client.start()
        try:
            assert tracker.state == LocalityState.server(OUTSIDE, True)
            client.send(protocol.Load(model_path(profile)))
            assert isinstance(_events_until(events, (protocol.Loaded, protocol.Error)), protocol.Loaded)
            with pytest.raises(NetworkBlocked, match=f"may only reach {OUTSIDE}"):
                socket.create_connection((OTHER, 9), timeout=5)
            policy.offline = True
            client.send(protocol.Generate(prompt="Hallo"))
            error = _events_until(events, (protocol.Finished, protocol.Error))
            assert error.kind == BLOCKED and "Offline mode is on" in error.message
            policy.offline = False
            client.send(protocol.Generate(prompt="Hallo"))
            assert isinstance(_events_until(events, (protocol.Finished, protocol.Error)), protocol.Finished)
            report = write_evidence_report(tmp_path / "evidence.html", monitor, models_dir=tmp_path,
                                           settings_location="settings").read_text(encoding="utf-8")
            assert "Company server" in report and f"{OUTSIDE} (private network address), in use since" in report
            assert f"company server {OUTSIDE}" in report  # its connections, in the log
        finally:
            client.close()
        assert tracker.state == LocalityState.warning(OTHER)  # the offline refusal of the server warns not
        tracker.acknowledge()
        assert policy.server is None and tracker.state.kind is LocalityKind.LOCAL
        with pytest.raises(NetworkBlocked):
            socket.create_connection((OUTSIDE, stand_in._server.server_address[1]), timeout=5)


def test_the_connection_test_reaches_the_server_only_while_it_runs_and_not_offline(guarded, config_path):
    policy, _monitor, tracker = guarded
    with ServerStandIn(host=OUTSIDE) as stand_in:
        profile = ServerProfile("outside", stand_in.url, stand_in.model, "sglang", config_path=str(config_path))
        capabilities = connection_test(profile, None)
        assert capabilities.chat and capabilities.streaming and capabilities.routed_experts
        assert capabilities.models == [stand_in.model] and capabilities.detail.endswith("It reports routed experts.")
        assert tracker.state.kind is LocalityKind.LOCAL and not policy.active_actions
        allowed = [attempt.action for attempt in policy._history if attempt.allowed]
        assert allowed and set(allowed) == {f"server-test {OUTSIDE}"}
        policy.offline = True
        with pytest.raises(RemoteError) as refused:
            connection_test(profile, None)
        assert refused.value.kind == BLOCKED
