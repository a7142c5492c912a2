"""The kiosk's engine: Forget between visitors, the stall watchdog, the memory guard and unattended restarts,
through EngineWorker on its thread with a real engine process and a demo model."""

from __future__ import annotations

import os
import signal
import time

import pytest
from PySide6.QtCore import QObject, Signal

from app.core.engine import protocol
from app.core.engine.host import STALL_ENV
from app.core.engine.protocol import USER, ChatMessage, Generate
from app.core.engine.supervisor import GENERATING
from app.core.models.demo import write_demo_model
from app.worker import EngineWorker, start_engine_thread, stop_engine_thread

pytestmark = pytest.mark.slow  # every test here runs llama.cpp

ENGINE_TIMEOUT_MS = 60_000
SIGNALS = ("loaded", "token", "finished", "error", "engineLost", "engineRestarted", "forgotten", "stalled",
           "memoryReload", "engineMemory")


@pytest.fixture(scope="module")
def demo_moe(tmp_path_factory):
    # seed 3: greedy decoding of "Keep talking" runs to the length limit instead of an early end
    return write_demo_model(tmp_path_factory.mktemp("kiosk") / "demo-moe.gguf", arch="llama", layers=4, experts=8,
                            top_k=2, seed=3)


@pytest.fixture(scope="module")
def slow_moe(tmp_path_factory):
    """A MoE big enough that an answer is still being written when the engine is killed."""
    return write_demo_model(tmp_path_factory.mktemp("kiosk") / "slow-moe.gguf", arch="llama", layers=8, embd=512,
                            ff=1024, heads=8, kv_heads=4, experts=8, top_k=2, dtype="f16", seed=2)


class Kiosk(QObject):
    """Drives an EngineWorker as the kiosk window does, and records every signal it gives with its time, in
    the order emitted (on the worker's and the client's threads)."""

    load = Signal(str, int, int)
    generate = Signal(object)
    guards = Signal(float, "qint64")
    forget = Signal()

    def __init__(self, worker: EngineWorker) -> None:
        super().__init__()
        self.worker = worker
        self.log: list[tuple[str, tuple, float]] = []
        for name in SIGNALS:
            getattr(worker, name).connect(lambda *args, name=name: self.log.append((name, args, time.monotonic())))
        self.load.connect(worker.load)
        self.generate.connect(worker.generate)
        self.guards.connect(worker.set_guards)
        self.forget.connect(worker.forget)

    def of(self, name: str) -> list[tuple]:
        return [args for seen, args, _at in self.log if seen == name]

    def count(self, name: str) -> int:
        return len(self.of(name))

    def at(self, name: str) -> list[float]:
        return [at for seen, _args, at in self.log if seen == name]

    def ask(self, qtbot, messages: tuple[ChatMessage, ...], max_tokens: int) -> tuple[str, protocol.Finished]:
        """One answer at temperature 0; its text and its Finished statistics."""
        start, answers = len(self.log), self.count("finished")
        self.generate.emit(Generate(messages=messages, max_tokens=max_tokens, temperature=0.0, seed=1))
        qtbot.waitUntil(lambda: self.count("finished") > answers, timeout=ENGINE_TIMEOUT_MS)
        text = "".join(args[0].text for name, args, _at in self.log[start:] if name == "token")
        return text, self.of("finished")[-1][0]


@pytest.fixture
def kiosk(qtbot):
    """Starts a worker with a model loaded and guards set; all of them are shut down after the test."""
    started = []

    def start(model, stall_seconds: float = 0.0, memory_limit: int = 0) -> Kiosk:
        worker, thread = start_engine_thread()
        started.append((worker, thread))
        driver = Kiosk(worker)
        driver.guards.emit(stall_seconds, memory_limit)
        driver.load.emit(str(model), 1024, 0)
        qtbot.waitUntil(lambda: driver.count("loaded") == 1, timeout=ENGINE_TIMEOUT_MS)
        return driver

    yield start
    for worker, thread in started:
        stop_engine_thread(worker, thread)


def user(text: str) -> ChatMessage:
    return ChatMessage(USER, text)


def test_forget_leaves_nothing_of_the_last_visitor(qtbot, kiosk, demo_moe):
    driver = kiosk(demo_moe)
    first, fresh = driver.ask(qtbot, (user("Keep talking"),), 8)
    assert fresh.reused_tokens == 0 and fresh.answer_tokens == 8
    _text, more = driver.ask(qtbot, (user("Keep talking"), ChatMessage(protocol.ASSISTANT, first), user("More")), 8)
    assert more.reused_tokens > 0  # the conversation's prompt was kept in the cache

    driver.forget.emit()
    qtbot.waitUntil(lambda: driver.count("forgotten") == 1, timeout=ENGINE_TIMEOUT_MS)
    again, after = driver.ask(qtbot, (user("Keep talking"),), 8)
    assert after.reused_tokens == 0, "the next visitor's prompt must be evaluated whole"
    assert (again, after.prompt_tokens, after.answer_tokens) == (first, fresh.prompt_tokens, fresh.answer_tokens)
    assert driver.count("engineLost") == 0 and driver.count("error") == 0


def test_a_stalled_answer_is_ended_and_the_engine_comes_back(qtbot, kiosk, demo_moe, monkeypatch):
    monkeypatch.setenv(STALL_ENV, "3")  # every answer hangs after its third token, in every engine
    stall = 2.0
    driver = kiosk(demo_moe, stall_seconds=stall)
    pid = driver.worker.pid
    driver.generate.emit(Generate(messages=(user("Keep talking"),), max_tokens=50, temperature=0.0))
    qtbot.waitUntil(lambda: driver.count("loaded") == 2, timeout=ENGINE_TIMEOUT_MS)

    assert driver.count("token") == 3 and driver.count("finished") == 0
    assert driver.count("stalled") == 1 and driver.count("engineRestarted") == 1
    (loss,), = driver.of("engineLost")
    assert loss.phase == GENERATING and not loss.compat
    waited = driver.at("engineLost")[0] - driver.at("token")[-1]
    assert stall <= waited <= stall + 2, f"the stalled answer was ended after {waited:.1f} s"
    assert driver.worker.pid not in (None, pid)

    text, finished = driver.ask(qtbot, (user("Keep talking"),), 2)  # below the injected stall
    assert finished.answer_tokens == 2 and text
    assert driver.count("error") == 0


def test_an_engine_past_the_memory_limit_is_replaced_after_the_answer(qtbot, kiosk, demo_moe):
    driver = kiosk(demo_moe, stall_seconds=60, memory_limit=2**20)  # 1 MB: any engine is past it
    pid = driver.worker.pid
    _text, finished = driver.ask(qtbot, (user("Keep talking"),), 4)
    assert finished.answer_tokens == 4
    qtbot.waitUntil(lambda: driver.count("loaded") == 2, timeout=ENGINE_TIMEOUT_MS)
    (rss,), = driver.of("memoryReload")
    assert rss > 2**20 and (rss,) in driver.of("engineMemory")
    assert driver.worker.pid not in (None, pid)
    assert driver.count("engineLost") == driver.count("engineRestarted") == driver.count("error") == 0

    checks = driver.count("engineMemory")
    qtbot.waitUntil(lambda: driver.count("engineMemory") > checks, timeout=ENGINE_TIMEOUT_MS)
    assert driver.count("memoryReload") == 1, "a model that has not answered since its load is not reloaded"
    _text, finished = driver.ask(qtbot, (user("Keep talking"),), 4)
    assert finished.answer_tokens == 4


def test_no_memory_limit_reloads_nothing(qtbot, kiosk, demo_moe):
    driver = kiosk(demo_moe, stall_seconds=60, memory_limit=0)
    pid = driver.worker.pid
    driver.ask(qtbot, (user("Keep talking"),), 4)
    qtbot.waitUntil(lambda: driver.count("engineMemory") >= 1, timeout=ENGINE_TIMEOUT_MS)
    assert driver.of("engineMemory")[0][0] > 2**20
    assert driver.count("memoryReload") == 0 and driver.count("loaded") == 1 and driver.worker.pid == pid


def test_an_engine_killed_mid_answer_again_and_again_keeps_coming_back(qtbot, kiosk, slow_moe):
    """Four kills within a minute: the window would give up after three; the kiosk backs off and goes on."""
    driver = kiosk(slow_moe, stall_seconds=60)
    started = time.monotonic()
    for kill in range(1, 5):
        tokens = driver.count("token")
        driver.generate.emit(Generate(messages=(user("Keep talking"),), max_tokens=2000, temperature=0.0))
        qtbot.waitUntil(lambda: driver.count("token") > tokens, timeout=ENGINE_TIMEOUT_MS)
        os.kill(driver.worker.pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: driver.count("loaded") == 1 + kill or driver.count("error"),  # noqa: B023
                        timeout=ENGINE_TIMEOUT_MS)
        assert driver.of("error") == [] and driver.count("engineLost") == driver.count("engineRestarted") == kill
    assert time.monotonic() - started < 60
    assert driver.count("error") == 0 and driver.count("finished") == 0
    assert all(loss.phase == GENERATING and loss.exit.killed for (loss,) in driver.of("engineLost"))
    _text, finished = driver.ask(qtbot, (user("Keep talking"),), 3)
    assert finished.answer_tokens == 3
