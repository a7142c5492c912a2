"""EngineWorker.use_server: a company server takes the engine's place behind the same signals; its failures
are errors (never losses, never restarts); "this computer" brings the engine process back."""

import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, QThread, Signal
from server_stand_ins import TOKENS, ServerStandIn

from app.core.engine import protocol
from app.core.remote.errors import SERVER
from app.core.remote.layout import model_path
from app.core.remote.profiles import ServerProfile
from app.worker import EngineWorker, stop_engine_thread

SIGNALS = ("started", "loaded", "token", "finished", "unloaded", "error", "engineLost", "engineRestarted",
           "busyChanged")
TIMEOUT_MS = 60_000


class Driver(QObject):
    """Drives a worker on its thread, as the window does, and records its signals."""

    generate = Signal(object)

    def __init__(self, worker: EngineWorker) -> None:
        super().__init__()
        self.log: list[tuple[str, tuple]] = []
        for name in SIGNALS:
            getattr(worker, name).connect(lambda *args, name=name: self.log.append((name, args)))
        self.generate.connect(worker.generate)

    def of(self, name: str) -> list[tuple]:
        return [args for seen, args in self.log if seen == name]


@pytest.fixture
def worker(qtbot):
    thread = QThread()
    thread.setObjectName("engine-worker")
    worker = EngineWorker()
    worker.moveToThread(thread)
    thread.start()
    yield worker
    stop_engine_thread(worker, thread)


def test_a_company_server_answers_through_the_worker_with_its_routing(qtbot, worker, config_path):
    driver = Driver(worker)
    with ServerStandIn(api_key="sk-w", seed=11) as stand_in:
        profile = ServerProfile("stand-in", stand_in.url, stand_in.model, "sglang", config_path=str(config_path))
        worker.use_server(profile, "sk-w")  # from the GUI thread: queued to the worker's
        qtbot.waitUntil(lambda: bool(driver.of("loaded")), timeout=TIMEOUT_MS)
        assert driver.of("started") and worker.server == profile and worker.pid is None
        assert driver.of("loaded")[0][0].info.path == model_path(profile) == worker.loaded_path
        driver.generate.emit(protocol.Generate(messages=(protocol.ChatMessage(protocol.USER, "Hallo"),)))
        qtbot.waitUntil(lambda: bool(driver.of("finished")), timeout=TIMEOUT_MS)
        tokens = [args[0] for args in driver.of("token")]
        assert [token.text for token in tokens] == list(TOKENS)
        assert all(np.array_equal(token.routing.experts, row) for token, row in zip(tokens, stand_in.answer_rows()))
        assert [args[0] for args in driver.of("busyChanged")][-1] is False

        stand_in.fault = "server_error"
        driver.generate.emit(protocol.Generate(prompt="Hallo"))
        qtbot.waitUntil(lambda: bool(driver.of("error")), timeout=TIMEOUT_MS)
        problem = driver.of("error")[0][0]
        assert problem.kind == SERVER and "HTTP 500" in problem.message
        time.sleep(0.3)
        assert not driver.of("engineLost") and not driver.of("engineRestarted")
        stand_in.fault = None
        driver.generate.emit(protocol.Generate(prompt="Hallo"))
        qtbot.waitUntil(lambda: len(driver.of("finished")) == 2, timeout=TIMEOUT_MS)

        worker.use_server(None, None)  # this computer again: the engine process
        qtbot.waitUntil(lambda: len(driver.of("started")) == 2, timeout=TIMEOUT_MS)
        assert driver.of("unloaded") and worker.server is None and worker.pid is not None
        assert worker.loaded_path is None
