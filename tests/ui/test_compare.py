"""Experts per token, side by side: the same question answered with two k through the real engine, the
model given back its own k afterwards (also when stopped or when a load fails), and the dialog refusing
architectures whose override llama.cpp ignores."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QObject, QThread, Signal

from app.core.engine import protocol
from app.core.engine.protocol import USER, ChatMessage
from app.core.engine.exits import EngineExit
from app.core.engine import supervisor
from app.core.engine.supervisor import Loss, Problem
from app.core.models.demo import write_demo_model
from app.core.models.gguf import ModelInfo, inspect_gguf
from app.ui.experts.compare import ComparisonDialog
from app.ui.engine_words import problem_text
from app.ui.experts.compare_run import (
    ANSWERING,
    DONE,
    FAILED,
    LOADING,
    RESTORING,
    STOPPED,
    ComparisonRun,
    active_params_at,
)
from app.worker import EngineWorker, start_engine_thread, stop_engine_thread
from window_helpers import ENGINE_TIMEOUT_MS

N_CTX = 1024


class Loader(QObject):
    """Asks the worker for a load the way the window does (a queued signal)."""

    load = Signal(str, int, int)


@pytest.fixture(scope="module")
def demo_moe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare-models")
    # seed 3: greedy decoding of "Keep talking" runs to the length limit instead of an early end
    return write_demo_model(folder / "demo-moe.gguf", arch="llama", layers=4, experts=8, top_k=2, seed=3)


@pytest.fixture
def engine(qtbot, demo_moe):
    """A real engine with the demo MoE loaded at its own k; every Loaded event in ``loads``."""
    worker, thread = start_engine_thread()
    loads: list[protocol.Loaded] = []
    worker.loaded.connect(loads.append)
    loader = Loader()
    loader.load.connect(worker.load)
    with qtbot.waitSignal(worker.loaded, timeout=ENGINE_TIMEOUT_MS) as loaded:
        loader.load.emit(str(demo_moe), N_CTX, 0)
    yield worker, loaded.args[0], loads
    stop_engine_thread(worker, thread)


def request(text: str, max_tokens: int) -> protocol.Generate:
    return protocol.Generate(messages=(ChatMessage(USER, text),), max_tokens=max_tokens, temperature=0.8)


def dialog_for(qtbot, worker, loaded: protocol.Loaded, generate: protocol.Generate) -> ComparisonDialog:
    dialog = ComparisonDialog(worker)
    qtbot.addWidget(dialog)
    dialog.set_model(loaded.info, loaded.n_ctx)
    dialog.set_request(generate)
    dialog.show()
    return dialog


@pytest.mark.slow
def test_both_answers_are_routed_with_their_k_and_the_model_gets_its_own_k_back(qtbot, engine):
    worker, loaded, loads = engine
    dialog = dialog_for(qtbot, worker, loaded, request("Keep talking", 24))
    assert [chooser.value() for chooser in dialog.k_choosers] == [2, 4]
    dialog.k_choosers[0].setValue(1)
    assert dialog.run_button.isEnabled()

    with qtbot.waitSignal(dialog.run.ended, timeout=ENGINE_TIMEOUT_MS) as ended:
        dialog.run_button.click()
    assert ended.args == [DONE], dialog.run.problem

    for side, k in zip(dialog.run.sides, (1, 4)):
        timeline = side.timeline
        answer = timeline.is_answer
        assert side.routed_k == k
        assert timeline.experts.shape[-1] == k
        assert answer.sum() == side.finished.answer_tokens > 0
        assert (timeline.experts[answer] >= 0).all(), "an answer token's routing did not have the new k"
        assert side.info.n_experts_used == k
    left, right = dialog.run.sides
    assert right.info.active_params > left.info.active_params
    assert left.finished.sampling["seed"] == right.finished.sampling["seed"]
    assert [event.info.n_experts_used for event in loads[1:]] == [1, 4, 2]
    qtbot.waitUntil(lambda: not dialog.run.running and dialog.run_button.isEnabled())
    for column in dialog.columns:
        assert "tokens/s" in column.speed.text() and column.answer.toPlainText()
        assert (column.heatmap.values > 0).any()
    assert dialog.summary.isVisible() and "×" in dialog.summary.text()
    assert not dialog.columns[0].own_badge.isVisible() and not dialog.columns[1].own_badge.isVisible()


@pytest.mark.slow
def test_stop_ends_the_answer_and_gives_the_model_its_own_k_back(qtbot, engine):
    worker, loaded, loads = engine
    dialog = dialog_for(qtbot, worker, loaded, request("Keep talking", 4000))
    dialog.k_choosers[0].setValue(8)
    dialog.run_button.click()
    run = dialog.run
    qtbot.waitUntil(lambda: run.phase == ANSWERING and run.sides[0].text != "", timeout=ENGINE_TIMEOUT_MS)
    assert dialog.stop_button.isEnabled()

    with qtbot.waitSignal(run.ended, timeout=ENGINE_TIMEOUT_MS) as ended:
        dialog.stop_button.click()
    assert ended.args == [STOPPED]
    first, second = run.sides
    assert first.finished.stop_reason == protocol.STOP_STOPPED
    assert first.timeline.experts.shape[-1] == 8
    assert second.finished is None and second.timeline is None
    # the run ends on the engine's Loaded at the model's own k; this test's list may hear it a moment later
    qtbot.waitUntil(lambda: loads[-1].info.n_experts_used == 2, timeout=ENGINE_TIMEOUT_MS)
    assert "back at its own 2" in dialog.status.text()


# --- without an engine ----------------------------------------------------------------------------


def moe_info(architecture: str = "llama", n_experts: int = 8, k: int = 2) -> ModelInfo:
    return ModelInfo(path="/models/moe.gguf", file_size=1, architecture=architecture, name="Some MoE",
                     size_label="", quantization="F16", n_layers=4, n_embd=64, context_length=4096,
                     n_experts=n_experts, n_experts_used=k, n_dense_leading=0, n_shared_experts=0,
                     moe_layers=[0, 1, 2, 3], total_params=1000, active_params=400)


@pytest.fixture
def idle_worker():
    """A worker whose thread never runs: nothing reaches an engine."""
    thread = QThread()
    worker = EngineWorker()
    worker.moveToThread(thread)
    return worker


def test_an_architecture_whose_override_is_ignored_is_refused_in_words(qtbot, idle_worker):
    dialog = ComparisonDialog(idle_worker)
    qtbot.addWidget(dialog)
    dialog.set_request(request("Why?", 10))
    dialog.set_model(moe_info(), N_CTX)
    assert dialog.run_button.isEnabled()

    dialog.set_model(moe_info("nemotron_h_moe"), N_CTX)
    assert not dialog.run_button.isEnabled()
    assert "llama.cpp ignores" in dialog.warning.text() and "nemotron_h_moe" in dialog.warning.text()
    dialog.start()
    assert not dialog.run.running


def test_dense_models_busy_engines_and_empty_questions_offer_no_run(qtbot, idle_worker):
    dialog = ComparisonDialog(idle_worker)
    qtbot.addWidget(dialog)
    assert not dialog.run_button.isEnabled() and dialog.warning.text()
    dialog.set_model(dataclasses.replace(moe_info(), n_experts=0, n_experts_used=0, moe_layers=[]), N_CTX)
    assert "dense" in dialog.warning.text() and not dialog.run_button.isEnabled()
    dialog.set_model(moe_info(), N_CTX)
    assert not dialog.run_button.isEnabled()  # no question yet
    dialog.question.setPlainText("Why?")
    assert dialog.run_button.isEnabled()
    dialog.set_engine_busy(True)
    assert not dialog.run_button.isEnabled() and "busy" in dialog.warning.text()


def test_k_choosers_default_to_the_models_own_k_and_twice_that(qtbot, idle_worker):
    dialog = ComparisonDialog(idle_worker)
    qtbot.addWidget(dialog)
    for (n, k), expected in {(8, 2): [2, 4], (8, 6): [6, 8], (8, 8): [8, 1]}.items():
        dialog.set_model(moe_info(n_experts=n, k=k), N_CTX)
        assert [chooser.value() for chooser in dialog.k_choosers] == expected
        assert all(chooser.maximum() == n and chooser.minimum() == 1 for chooser in dialog.k_choosers)


def test_the_request_is_the_conversation_up_to_its_last_question_as_edited(qtbot, idle_worker):
    dialog = ComparisonDialog(idle_worker)
    qtbot.addWidget(dialog)
    system = ChatMessage(protocol.SYSTEM, "Be brief.")
    chat = protocol.Generate(messages=(system, ChatMessage(USER, "Hi"), ChatMessage(protocol.ASSISTANT, "Hello"),
                                       ChatMessage(USER, "What is a router?"),
                                       ChatMessage(protocol.ASSISTANT, "It picks experts.")),
                             temperature=0.3, seed=7, max_tokens=99)
    dialog.set_request(chat)
    assert dialog.question.toPlainText() == "What is a router?"
    dialog.question.setPlainText("What is an expert?")
    asked = dialog.comparison_request()
    assert asked.messages == (*chat.messages[:3], ChatMessage(USER, "What is an expert?"))
    assert (asked.temperature, asked.seed, asked.max_tokens) == (0.3, 7, 99)


def test_active_parameters_at_another_k_are_those_the_file_gives_for_it(demo_moe):
    own = inspect_gguf(demo_moe)
    for k in range(1, own.n_experts + 1):
        assert active_params_at(own, k) == pytest.approx(inspect_gguf(demo_moe, k).active_params, abs=own.n_layers * 4)


class FakeWorker(QObject):
    """The worker's signals and slots, answered by the test."""

    loaded = Signal(object)
    promptRouting = Signal(object)
    token = Signal(object)
    finished = Signal(object)
    error = Signal(object)
    engineLost = Signal(object)
    compatibilityMode = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []
        self.stops = 0

    def load(self, path: str, n_ctx: int, k: int) -> None:
        self.calls.append(("load", k))

    def generate(self, generate: protocol.Generate) -> None:
        self.calls.append(("generate", generate.seed))

    def stop(self) -> None:
        self.stops += 1


def loaded_event(k: int) -> protocol.Loaded:
    return protocol.Loaded(dataclasses.replace(moe_info(), n_experts_used=k), 0.1, N_CTX, False)


def finished_event(seed: int) -> protocol.Finished:
    return protocol.Finished(3, 5, 0.1, 50.0, protocol.STOP_LENGTH, sampling={"seed": seed})


def test_the_second_answer_uses_the_first_ones_seed_and_loads_are_skipped_where_k_is_loaded(qtbot):
    worker = FakeWorker()
    run = ComparisonRun(worker)
    run.start(moe_info(), N_CTX, request("Why?", 5), (2, 3))
    assert worker.calls == [("generate", None)]  # the model has k = 2 already
    worker.finished.emit(finished_event(1234))
    assert worker.calls[-1] == ("load", 3) and run.phase == LOADING
    worker.loaded.emit(loaded_event(3))
    assert worker.calls[-1] == ("generate", 1234)
    worker.finished.emit(finished_event(1234))
    assert worker.calls[-1] == ("load", 0) and run.phase == RESTORING
    with qtbot.waitSignal(run.ended) as ended:
        worker.loaded.emit(loaded_event(2))
    assert ended.args == [DONE] and not run.running


def test_a_failed_load_is_told_in_words_and_the_model_gets_its_own_k_back(qtbot):
    worker = FakeWorker()
    run = ComparisonRun(worker)
    run.start(moe_info(), N_CTX, request("Why?", 5), (8, 2))
    assert worker.calls == [("load", 8)]
    problem = Problem(protocol.LOAD_FAILED, "out of memory", details={"stage": "context", "n_ctx": N_CTX})
    worker.error.emit(problem)
    assert worker.calls[-1] == ("load", 0) and run.phase == RESTORING
    with qtbot.waitSignal(run.ended) as ended:
        worker.loaded.emit(loaded_event(2))
    assert ended.args == [FAILED]
    assert run.problem == problem_text(problem) != ""
    assert run.sides[1].info is None


def test_stopping_while_loading_waits_for_the_load_then_gives_the_model_back(qtbot):
    worker = FakeWorker()
    run = ComparisonRun(worker)
    run.start(moe_info(), N_CTX, request("Why?", 5), (4, 2))
    run.stop()
    assert worker.stops == 0  # nothing to stop yet: the load goes on
    worker.loaded.emit(loaded_event(4))
    assert worker.calls == [("load", 4), ("load", 0)]
    with qtbot.waitSignal(run.ended) as ended:
        worker.loaded.emit(loaded_event(2))
    assert ended.args == [STOPPED]
    assert all(side.finished is None for side in run.sides)


def test_a_lost_engine_ends_the_run_in_words_and_the_reloaded_model_gets_its_own_k_back(qtbot):
    worker = FakeWorker()
    run = ComparisonRun(worker)
    run.start(moe_info(), N_CTX, request("Why?", 5), (2, 16))
    worker.finished.emit(finished_event(1))
    assert worker.calls[-1] == ("load", 16)
    with qtbot.waitSignal(run.ended) as ended:
        worker.engineLost.emit(Loss(supervisor.LOADING, EngineExit(-6), "ggml-impl.h: fatal error", False))
    assert ended.args == [FAILED] and "16 experts per token" in run.problem
    worker.loaded.emit(loaded_event(2))  # the fresh engine loads the model it had before
    assert worker.calls[-1] == ("load", 16)

    run.start(moe_info(), N_CTX, request("Why?", 5), (4, 2))
    worker.loaded.emit(loaded_event(4))
    with qtbot.waitSignal(run.ended):
        worker.engineLost.emit(Loss(supervisor.GENERATING, EngineExit(-11), "", False))
    worker.loaded.emit(loaded_event(4))  # the fresh engine loads the model as last asked: with k = 4
    assert worker.calls[-1] == ("load", 0)
