"""EngineSupervisor without Qt and without an engine: phases, the restart limit, what a fresh engine loads,
the compatibility fallback, and a SIGKILL that is never blamed on the model."""

from __future__ import annotations

import signal

import pytest

from app.core.engine import protocol
from app.core.engine.compat import FAST, SAFE, CompatFallback, CompatStore
from app.core.engine.exits import EngineExit
from app.core.engine.protocol import USER, ChatMessage, Generate, Load, Lost
from app.core.engine.supervisor import (
    BACKOFF_FIRST_S,
    BACKOFF_MAX_S,
    CLOSED,
    CRASHED_LOADING,
    ENGINE_START,
    GAVE_UP,
    GENERATING,
    IDLE,
    KILLED_LOADING,
    LOADING,
    NOT_RUNNING,
    RESTART_LIMIT,
    RESTART_WINDOW_S,
    RESTARTING,
    START_FAILED,
    UNLOADING,
    EngineSupervisor,
    LoadRequest,
)

QUESTION = Generate(messages=(ChatMessage(USER, "Hallo"),), max_tokens=4)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path) -> CompatStore:
    return CompatStore(tmp_path / "compat.json", cpu="test-cpu")


@pytest.fixture
def models(tmp_path) -> dict[str, str]:
    paths = {}
    for name in ("a", "b"):
        path = tmp_path / f"{name}.gguf"
        path.write_bytes(name.encode() * 100)
        paths[name] = str(path)
    return paths


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def supervisor(store, clock) -> EngineSupervisor:
    return EngineSupervisor(CompatFallback(store), clock=clock)


def died(how: int | None) -> Lost:
    return Lost(EngineExit(None if how is None else -how), "last words")


def loaded(supervisor: EngineSupervisor, path: str) -> None:
    """Load ``path`` as the window does, and let the engine say it is loaded."""
    supervisor.load(LoadRequest(path))
    assert supervisor.on_loaded() is None


def test_phases_follow_the_requests_and_the_events(supervisor, models):
    assert supervisor.phase == IDLE and not supervisor.busy and supervisor.loaded_path is None
    command = supervisor.load(LoadRequest(models["a"], n_ctx=512, experts_per_token=4))
    assert command == Load(models["a"], 512, None, 4, safe=False, probe=True)  # never run here: probed
    assert supervisor.phase == LOADING and supervisor.busy
    assert supervisor.on_loaded() is None
    assert supervisor.phase == IDLE and supervisor.loaded_path == models["a"]

    assert supervisor.generate(QUESTION) is QUESTION and supervisor.phase == GENERATING
    supervisor.on_token()
    supervisor.on_finished()
    assert supervisor.phase == IDLE and not supervisor.busy

    assert supervisor.unload() == protocol.Unload() and supervisor.phase == UNLOADING
    supervisor.on_unloaded()
    assert supervisor.phase == IDLE and supervisor.loaded_path is None
    supervisor.close()
    assert supervisor.phase == CLOSED and supervisor.closed and not supervisor.busy
    assert supervisor.on_lost(died(signal.SIGSEGV)) is None  # closing anyway: no loss


def test_an_answer_stopped_for_loading_another_model_leaves_the_load_going(supervisor, models):
    loaded(supervisor, models["a"])
    supervisor.generate(QUESTION)
    supervisor.load(LoadRequest(models["b"]))
    supervisor.on_token()  # the end of the stopped answer proves nothing about the next model
    supervisor.on_finished()
    assert supervisor.phase == LOADING and supervisor.busy
    supervisor.on_loaded()
    assert supervisor.loaded_path == models["b"]


def test_a_refused_load_keeps_the_model_the_engine_still_has(supervisor, models):
    loaded(supervisor, models["a"])
    supervisor.load(LoadRequest(models["b"]))
    problem = supervisor.on_error(protocol.Error(protocol.BAD_MODEL, "b.gguf is empty.", "empty", {},
                                                 still_loaded=models["a"]))
    assert (problem.kind, problem.reason, problem.path) == (protocol.BAD_MODEL, "empty", models["b"])
    assert supervisor.phase == IDLE and supervisor.loaded_path == models["a"]

    supervisor.load(LoadRequest(models["b"]))
    supervisor.on_error(protocol.Error(protocol.LOAD_FAILED, "no memory", details={"stage": "model"}))
    assert supervisor.loaded_path is None  # the engine has nothing loaded any more


def test_a_refused_answer_is_about_no_file(supervisor, models):
    loaded(supervisor, models["a"])
    supervisor.generate(QUESTION)
    problem = supervisor.on_error(protocol.Error(protocol.CONTEXT_FULL, "too long",
                                                 details={"tokens": 9000, "n_ctx": 2048, "at_least": True}))
    assert problem.path is None and problem.details["tokens"] == 9000
    assert supervisor.phase == IDLE and supervisor.loaded_path == models["a"]


def test_a_crash_while_answering_reloads_the_model_it_had(supervisor, store, models):
    loaded(supervisor, models["a"])
    supervisor.generate(QUESTION)
    supervisor.on_token()  # the model's first answer token: its fast settings work here
    loss = supervisor.on_lost(died(signal.SIGSEGV))
    assert (loss.phase, loss.compat, loss.exit.signal) == (GENERATING, False, "SIGSEGV")
    assert supervisor.phase == RESTARTING and supervisor.busy and supervisor.loaded_path is None
    assert supervisor.begin_restart() is None
    restart = supervisor.restarted()
    assert restart.problem is None and restart.reload == LoadRequest(models["a"]) and not restart.after_crash
    assert supervisor.load(restart.reload).safe is False
    assert supervisor.on_loaded() is None  # the interrupted answer is not asked again
    assert store.choice(models["a"]).mode == FAST


def test_a_crash_while_loading_in_fast_mode_switches_the_model_to_compatibility_mode(supervisor, store, models):
    supervisor.load(LoadRequest(models["a"]))
    loss = supervisor.on_lost(died(signal.SIGABRT))
    assert loss.phase == LOADING and loss.compat
    assert store.choice(models["a"]).mode == SAFE  # remembered at once
    restart = supervisor.restarted()
    assert restart.problem is None and restart.reload == LoadRequest(models["a"]) and restart.after_crash
    command = supervisor.load(restart.reload, after_crash=restart.after_crash)
    assert command.safe and command.probe  # probed again: a model that crashes even so is broken
    supervisor.on_loaded()
    assert supervisor.loaded_path == models["a"] and supervisor.phase == IDLE


def test_a_first_answer_that_crashes_is_asked_again_in_compatibility_mode(supervisor, store, models):
    store.remember(models["a"], FAST)  # fast on this processor before: no probe, so the crash comes now
    loaded(supervisor, models["a"])
    supervisor.generate(QUESTION)
    loss = supervisor.on_lost(died(signal.SIGSEGV))
    assert loss.phase == GENERATING and loss.compat and store.choice(models["a"]).safe
    restart = supervisor.restarted()
    assert restart.reload == LoadRequest(models["a"]) and restart.after_crash
    supervisor.load(restart.reload, after_crash=True)
    assert supervisor.on_loaded() is QUESTION
    assert supervisor.phase == GENERATING
    supervisor.on_finished()
    assert supervisor.phase == IDLE


@pytest.mark.parametrize("phase", [LOADING, GENERATING])
def test_sigkill_is_never_blamed_on_the_model(supervisor, store, models, phase):
    """The out-of-memory killer's SIGKILL, while loading or in a first answer, leaves the model in fast mode."""
    loaded(supervisor, models["a"])
    if phase == LOADING:
        supervisor.load(LoadRequest(models["b"]))
    else:
        supervisor.generate(QUESTION)
    loss = supervisor.on_lost(died(signal.SIGKILL))
    assert loss.phase == phase and not loss.compat and loss.exit.killed
    assert not store.choice(models["b" if phase == LOADING else "a"]).safe
    restart = supervisor.restarted()
    if phase == LOADING:
        assert restart.problem.kind == protocol.LOAD_FAILED and restart.problem.reason == KILLED_LOADING
        assert restart.problem.path == models["b"] and "memory" in restart.problem.message
    else:
        assert restart.problem is None
    assert restart.reload == LoadRequest(models["a"]) and not restart.after_crash


def test_a_crash_while_loading_reloads_the_model_loaded_before(supervisor, store, models):
    """A file that crashes the engine in fast mode and again in compatibility mode is refused; the model
    that was loaded before is loaded again."""
    loaded(supervisor, models["a"])
    supervisor.load(LoadRequest(models["b"]))
    assert supervisor.on_lost(died(signal.SIGABRT)).compat
    restart = supervisor.restarted()
    supervisor.load(restart.reload, after_crash=restart.after_crash)
    loss = supervisor.on_lost(died(signal.SIGABRT))
    assert loss.phase == LOADING and not loss.compat
    assert store.choice(models["b"]).probe  # broken in any mode: probed again next time
    restart = supervisor.restarted()
    assert restart.problem.reason == CRASHED_LOADING and restart.problem.path == models["b"]
    assert supervisor.phase == IDLE and not supervisor.busy
    assert restart.reload == LoadRequest(models["a"]) and not restart.after_crash
    assert supervisor.load(restart.reload).safe is False


def test_a_crash_while_loading_with_nothing_loaded_before_loads_nothing(supervisor, models):
    supervisor.load(LoadRequest(models["a"], safe=True))  # compatibility mode as asked: no fallback
    assert not supervisor.on_lost(died(signal.SIGSEGV)).compat
    restart = supervisor.restarted()
    assert restart.problem.reason == CRASHED_LOADING and restart.reload is None
    assert supervisor.phase == IDLE


def test_a_model_lost_while_unloading_stays_unloaded(supervisor, models):
    loaded(supervisor, models["a"])
    supervisor.unload()
    loss = supervisor.on_lost(died(signal.SIGABRT))
    assert loss.phase == UNLOADING and not loss.compat
    restart = supervisor.restarted()
    assert restart == restart.__class__(None, None)
    assert supervisor.phase == IDLE and supervisor.loaded_path is None


def test_an_idle_engine_that_died_is_replaced_with_its_model(supervisor, models):
    loaded(supervisor, models["a"])
    loss = supervisor.on_lost(died(None))
    assert loss.phase == IDLE and loss.exit.kind == "no_status" and not loss.compat
    assert supervisor.restarted().reload == LoadRequest(models["a"])


def test_the_restart_limit_gives_up_after_three_losses_within_a_minute(supervisor, clock, models):
    loaded(supervisor, models["a"])
    for _loss in range(RESTART_LIMIT - 1):
        supervisor.on_lost(died(signal.SIGSEGV))
        assert supervisor.begin_restart() is None
        supervisor.load(supervisor.restarted().reload)
        supervisor.on_loaded()
        clock.now += RESTART_WINDOW_S / RESTART_LIMIT
    supervisor.on_lost(died(signal.SIGSEGV))
    problem = supervisor.begin_restart()
    assert (problem.kind, problem.reason, problem.details) == (ENGINE_START, GAVE_UP, {"count": RESTART_LIMIT})
    assert supervisor.phase == IDLE and not supervisor.busy
    assert supervisor.restarted().reload is None  # nothing is loaded again


def test_losses_spread_over_more_than_a_minute_are_restarted_every_time(supervisor, clock, models):
    loaded(supervisor, models["a"])
    for _loss in range(2 * RESTART_LIMIT):
        supervisor.on_lost(died(signal.SIGSEGV))
        assert supervisor.begin_restart() is None
        supervisor.load(supervisor.restarted().reload)
        supervisor.on_loaded()
        clock.now += RESTART_WINDOW_S / (RESTART_LIMIT - 1)


def test_an_engine_that_cannot_start_or_is_not_running_is_a_problem_and_the_engine_idle(supervisor, models):
    loaded(supervisor, models["a"])
    supervisor.on_lost(died(signal.SIGSEGV))
    problem = supervisor.start_failed("The engine process ended at start.")
    assert (problem.kind, problem.reason, problem.message) == (ENGINE_START, START_FAILED,
                                                              "The engine process ended at start.")
    assert supervisor.phase == IDLE
    supervisor.generate(QUESTION)
    assert supervisor.not_running().kind == NOT_RUNNING and supervisor.phase == IDLE



def test_scores_are_asked_for_in_every_mode_and_again_after_a_crash(supervisor, models):
    assert supervisor.load(LoadRequest(models["a"])).scores is False
    supervisor.on_loaded()
    command = supervisor.load(LoadRequest(models["b"], experts_per_token=3, scores=True))
    assert command == Load(models["b"], experts_per_token=3, safe=False, probe=True, scores=True)
    supervisor.on_lost(died(signal.SIGABRT))
    restart = supervisor.restarted()
    assert restart.reload == LoadRequest(models["b"], experts_per_token=3, scores=True) and restart.after_crash
    again = supervisor.load(restart.reload, after_crash=restart.after_crash)
    assert again.safe and again.scores and again.experts_per_token == 3


# --- the kiosk's guards and unattended restarts ------------------------------------------------------


def crash_and_restart(supervisor: EngineSupervisor) -> float:
    """The loaded model's engine dies and is replaced; returns the back-off delay it was started after."""
    supervisor.on_lost(died(signal.SIGSEGV))
    assert supervisor.begin_restart() is None
    delay = supervisor.restart_delay_s
    supervisor.load(supervisor.restarted().reload)
    supervisor.on_loaded()
    return delay


def test_unattended_restarts_never_give_up_but_back_off_until_an_engine_runs_a_calm_minute(supervisor, clock,
                                                                                           models):
    supervisor.set_guards(60, 0)
    assert supervisor.unattended
    loaded(supervisor, models["a"])
    delays = []
    for _loss in range(9):
        delays.append(crash_and_restart(supervisor))
        clock.now += 1 + delays[-1]
    assert delays == [0, 0, BACKOFF_FIRST_S, 4, 8, 16, 32, BACKOFF_MAX_S, BACKOFF_MAX_S]
    assert supervisor.loaded_path == models["a"] and supervisor.phase == IDLE

    clock.now += RESTART_WINDOW_S  # the last engine ran a whole minute: a crash then is restarted at once
    assert [crash_and_restart(supervisor) for _loss in range(RESTART_LIMIT - 1)] == [0, 0]


def test_guards_off_again_gives_up_as_before(supervisor, clock, models):
    supervisor.set_guards(0, 512 * 2**20)
    assert supervisor.unattended
    supervisor.set_guards(0, 0)
    assert not supervisor.unattended
    loaded(supervisor, models["a"])
    for _loss in range(RESTART_LIMIT - 1):
        assert crash_and_restart(supervisor) == 0
    supervisor.on_lost(died(signal.SIGSEGV))
    assert supervisor.begin_restart().reason == GAVE_UP


def test_unattended_an_engine_that_fails_to_start_is_tried_again(supervisor, models):
    supervisor.set_guards(30, 0)
    loaded(supervisor, models["a"])
    supervisor.on_lost(died(signal.SIGSEGV))
    assert supervisor.begin_restart() is None
    assert supervisor.start_failed("The engine process ended at start.").reason == START_FAILED
    assert supervisor.phase == RESTARTING and supervisor.busy
    assert supervisor.begin_restart() is None
    assert supervisor.restarted().reload == LoadRequest(models["a"])
    supervisor.load(LoadRequest(models["a"]))
    assert supervisor.start_failed("no engine").reason == START_FAILED
    assert supervisor.phase == IDLE  # not after a loss: told, not retried


def test_the_stall_watchdog_fires_once_when_an_answer_shows_no_progress(supervisor, clock, models):
    loaded(supervisor, models["a"])
    supervisor.generate(QUESTION)
    clock.now += 100
    assert not supervisor.stall_due()  # no guard set
    supervisor.set_guards(10, 0)
    supervisor.generate(QUESTION)
    clock.now += 9.9
    assert not supervisor.stall_due()
    supervisor.on_prompt_read()
    clock.now += 9.9
    supervisor.on_token()
    clock.now += 9.9
    assert not supervisor.stall_due()
    clock.now += 0.1
    assert supervisor.stall_due()
    assert not supervisor.stall_due()  # the caller ends the engine once
    supervisor.on_finished()
    clock.now += 100
    assert not supervisor.stall_due()  # nothing is being answered


def test_a_stalled_first_answer_is_not_blamed_on_the_model(supervisor, store, clock, models):
    """The watchdog ends an engine however it can (on Windows that is no SIGKILL): still not the model's fault."""
    store.remember(models["a"], FAST)
    supervisor.set_guards(5, 0)
    loaded(supervisor, models["a"])
    supervisor.generate(QUESTION)
    clock.now += 6
    assert supervisor.stall_due()
    loss = supervisor.on_lost(Lost(EngineExit(1), ""))
    assert loss.phase == GENERATING and not loss.compat
    assert store.choice(models["a"]).mode == FAST
    restart = supervisor.restarted()
    assert restart.reload == LoadRequest(models["a"]) and not restart.after_crash
    supervisor.load(restart.reload)
    assert supervisor.on_loaded() is None  # the stalled question is not asked again


def test_the_memory_guard_replaces_an_idle_engine_that_answered_and_grew(supervisor, clock, models):
    limit = 3 * 2**30  # more than a 32-bit int
    assert not supervisor.memory_reload_due(limit + 1)  # no guard set
    supervisor.set_guards(0, limit)
    loaded(supervisor, models["a"])
    assert not supervisor.memory_reload_due(limit + 1)  # not answered since it was loaded: the model itself
    supervisor.generate(QUESTION)
    assert not supervisor.memory_reload_due(limit + 1)  # answering
    supervisor.on_finished()
    assert not supervisor.memory_reload_due(limit) and not supervisor.memory_reload_due(None)
    assert supervisor.memory_reload_due(limit + 1)

    supervisor.renew()
    assert supervisor.phase == RESTARTING and supervisor.busy and supervisor.loaded_path is None
    restart = supervisor.restarted()
    assert restart == restart.__class__(None, LoadRequest(models["a"]))
    supervisor.load(restart.reload)
    supervisor.on_loaded()
    assert not supervisor.memory_reload_due(limit + 1)  # once per answer at most
    for _renewal in range(2 * RESTART_LIMIT):  # renewals are no losses: the restart count is untouched
        supervisor.generate(QUESTION)
        supervisor.on_finished()
        supervisor.renew()
        supervisor.load(supervisor.restarted().reload)
        supervisor.on_loaded()
    supervisor.set_guards(0, 0)
    assert [crash_and_restart(supervisor) for _loss in range(RESTART_LIMIT - 1)] == [0, 0]
