"""``moescope --self-test``: its checks, its report and exit status, and the offline bundle lookup."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.core.engine.protocol import ANSWER, Routing, Token
from app.core.models import bundle
from app.core.models.demo import write_demo_model
from app.core.models.gguf import ModelInfo
from app.core.selftest import NetworkWatch, SelfTestFailure, check_routing, run_self_test

ROOT = Path(__file__).resolve().parents[1]
INFO = ModelInfo(path="/models/m.gguf", file_size=1, architecture="llama", name="m", size_label="",
                 quantization="F32", n_layers=3, n_embd=64, context_length=512, n_experts=4, n_experts_used=2,
                 n_dense_leading=0, n_shared_experts=0, moe_layers=[0, 2])


def _token(pos: int, routing: dict[int, list[list]]) -> Token:
    """A token whose routing is ``{layer: [[expert, weight], ...]}``."""
    layers = tuple(routing)
    experts = np.array([[expert for expert, _ in chosen] for chosen in routing.values()], dtype=np.int32)
    weights = np.array([[weight for _, weight in chosen] for chosen in routing.values()], dtype=np.float32)
    return Token(pos, 0, "x", ANSWER, Routing(layers, experts.reshape(len(layers), -1), weights.reshape(len(layers), -1)))


def _self_test(*args: str, env: dict | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run ``python -m app --self-test ARGS`` the way a user would, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "app", "--self-test", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


# --- routing check --------------------------------------------------------------------------------


def test_check_routing_accepts_every_moe_layer_routed():
    tokens = [
        _token(0, {0: [[1, 0.7], [3, 0.3]], 2: [[0, 0.5], [2, 0.5]]}),
        _token(1, {0: [[2, 0.9], [0, 0.1]], 2: [[3, 0.6], [1, 0.4]]}),
    ]
    assert "all 2 MoE layer(s)" in check_routing(tokens, INFO)


@pytest.mark.parametrize(
    "routing, complaint",
    [
        ({0: [[1, 0.7], [3, 0.3]]}, "no routing for MoE layer(s) 2"),
        ({0: [[1, 1.0]], 2: [[0, 1.0]]}, "layer 0: 1 experts instead of 2"),
        ({0: [[1, 0.7], [9, 0.3]], 2: [[0, 0.5], [2, 0.5]]}, "expert 9 does not exist"),
        ({0: [[1, 0.7], [1, 0.3]], 2: [[0, 0.5], [2, 0.5]]}, "the same expert was chosen twice"),
        ({0: [[1, float("nan")], [3, 0.3]], 2: [[0, 0.5], [2, 0.5]]}, "is not a weight"),
        ({0: [[1, -0.5], [3, 0.3]], 2: [[0, 0.5], [2, 0.5]]}, "gate weight -0.5 is not a weight"),
    ],
)
def test_check_routing_names_what_is_wrong(routing, complaint):
    with pytest.raises(SelfTestFailure, match=re.escape(complaint)):
        check_routing([_token(5, routing)], INFO)


def test_check_routing_fails_without_tokens():
    with pytest.raises(SelfTestFailure, match="no tokens"):
        check_routing([], INFO)


# --- network watch --------------------------------------------------------------------------------


@pytest.fixture
def watch_data(tmp_path, monkeypatch):
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_loopback_connections_do_not_count(watch_data):
    watch = NetworkWatch(interval=0.01).start()
    server = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    try:
        assert watch.stop() == []
        assert watch.samples >= 1
        assert (watch_data / "audit").is_dir(), "the audit log goes to the data folder in force"
    finally:
        for sock in (accepted, client, server):
            sock.close()


def test_a_connection_to_another_computer_is_reported(watch_data):
    """127.0.0.2 plays another computer (loopback only: nothing leaves this machine)."""
    from app.core.locality.policy import NetworkPolicy

    policy = NetworkPolicy(local_networks=("127.0.0.1/32",))
    server = socket.create_server(("127.0.0.2", 0))
    watch = NetworkWatch(interval=0.01, policy=policy).start()
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    try:
        seen = watch.stop()
    finally:
        for sock in (accepted, client, server):
            sock.close()
    assert any(f"selftest (pid {os.getpid()}): connection 127.0.0.2:" in line for line in seen), seen


def test_the_watch_includes_child_processes(watch_data):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        watch = NetworkWatch()
        pids = watch._pids()  # other tests' servers (a session's llama-server) may be children too
        assert pids[os.getpid()] == "selftest" and pids[child.pid] == "engine"
        assert set(pids.values()) <= {"selftest", "engine"}
    finally:
        child.kill()
        child.wait()


# --- the whole self-test --------------------------------------------------------------------------


@pytest.mark.slow
def test_self_test_passes_and_reports_every_check(tmp_path):
    report = tmp_path / "report.txt"
    result = _self_test("--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("MoEscope ") and "self-test" in lines[0]
    for name in ("engine", "routing", "bundled model", "window", "network"):
        assert any(line.startswith(f"OK    {name}:") for line in lines), (name, result.stdout)
    assert "every token routed in all 4 MoE layer(s)" in result.stdout
    assert "FAIL" not in result.stdout
    assert lines[-1].startswith("self-test passed")
    assert report.read_text(encoding="utf-8").splitlines() == lines


@pytest.mark.slow
def test_self_test_loads_bundled_and_given_models(tmp_path):
    bundled_dir = tmp_path / "bundled"
    bundled_dir.mkdir()
    write_demo_model(bundled_dir / "kiosk.gguf", arch="qwen3moe", layers=3, experts=6, top_k=3, seed=3)
    dense = write_demo_model(tmp_path / "dense.gguf", arch="llama", layers=2, experts=0)
    result = _self_test("--no-window", "--model", str(dense), env={bundle.ENV_OVERRIDE: str(bundled_dir)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK    bundled model kiosk.gguf:" in result.stdout
    assert "every token routed in all 3 MoE layer(s), 3 of 6 experts each" in result.stdout
    assert "OK    model dense.gguf:" in result.stdout and "dense model has no routing" in result.stdout
    assert "OK    window: not checked (--no-window)" in result.stdout


@pytest.mark.slow
def test_a_broken_model_fails_the_self_test(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\x00" * 64)
    result = _self_test("--no-window", "--model", str(broken))
    assert result.returncode == 1
    assert "FAIL  model broken.gguf:" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("self-test FAILED")


@pytest.mark.slow
def test_a_window_that_cannot_be_built_fails_the_self_test(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOESCOPE_DATA_DIR", str(tmp_path / "untouched"))

    def broken_window(models_dir, model):
        raise ImportError("cannot import name 'MainWindow'")

    assert run_self_test([], window_check=broken_window) == 1
    out = capsys.readouterr().out
    assert "FAIL  window: ImportError: cannot import name 'MainWindow'" in out
    assert "OK    routing:" in out
    assert os.environ["MOESCOPE_DATA_DIR"] == str(tmp_path / "untouched")  # put back afterwards
    assert not (tmp_path / "untouched").exists()  # nothing written outside the temporary folder


def test_self_test_without_a_window_check_is_not_a_pass(monkeypatch, capsys):
    from app.core import selftest

    monkeypatch.setattr(selftest, "_engine_checks", lambda *args: [])
    assert run_self_test([]) == 1
    assert "FAIL  window: no window check available" in capsys.readouterr().out


# --- offline bundle -------------------------------------------------------------------------------


def test_bundled_models_lists_gguf_files_sorted(tmp_path, monkeypatch):
    monkeypatch.setenv(bundle.ENV_OVERRIDE, str(tmp_path))
    for name in ("b.gguf", "a.GGUF", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "folder.gguf").mkdir()
    assert [path.name for path in bundle.bundled_models()] == ["a.GGUF", "b.gguf"]


def test_bundled_models_of_a_frozen_build_are_in_its_resources(tmp_path, monkeypatch):
    monkeypatch.delenv(bundle.ENV_OVERRIDE, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert bundle.bundled_models() == []  # no folder: no bundle, no error
    folder = tmp_path / "resources" / "bundled-models"
    folder.mkdir(parents=True)
    (folder / "kiosk.gguf").write_bytes(b"x")
    assert bundle.bundled_models() == [folder / "kiosk.gguf"]


def test_main_hands_self_test_to_the_self_test(monkeypatch):
    """After installing the network policy first (recorded here, not installed: a policy left in the
    test process would refuse later tests' loopback servers)."""
    import app.main
    from app.core import selftest

    seen = {"order": []}

    def fake(argv, window_check=None):
        seen["order"].append("self-test")
        seen.update(argv=argv, window_check=window_check)
        return 7

    monkeypatch.setattr(app.main, "install_policy", lambda: seen["order"].append("policy"))
    monkeypatch.setattr(selftest, "run_self_test", fake)
    assert app.main.main(["--self-test", "--no-window"]) == 7
    assert seen["argv"] == ["--no-window"] and callable(seen["window_check"])
    assert seen["order"] == ["policy", "self-test"]
