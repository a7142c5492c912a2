"""EngineSupervisor: the decisions about one engine process, without Qt and without I/O.

It keeps what the engine is doing (PHASES), which model it has and which it is loading, decides what
a death of the process means and what to load in a fresh engine afterwards: the model it had; after
a crash that was the fault of llama.cpp's extra buffer types (app.core.engine.compat.CompatFallback)
the same model again in compatibility mode, with an interrupted first question asked again; after a
load that crashed or was killed, the model that was loaded before. A process ended by SIGKILL (the
out-of-memory killer, a person) is never blamed on the model. After RESTART_LIMIT deaths within
RESTART_WINDOW_S it gives up.

Unattended (``set_guards`` with a stall time or a memory limit: the kiosk) it never gives up. From the
RESTART_LIMIT-th death within RESTART_WINDOW_S on, each fresh engine waits before it starts
(``restart_delay_s``): BACKOFF_FIRST_S, doubled with every further death, at most BACKOFF_MAX_S, until an
engine has run RESTART_WINDOW_S without dying; an engine that fails to start is tried again the same way.
The guards' decisions are here as well, asked by the caller's timers: an answer that has shown no
progress (its prompt read, a token, its end) for the stall time is stalled (``stall_due``: the caller
ends the engine, and its death is handled like any other, never blamed on the model); an idle engine
grown past the memory limit, whose model has answered since it was loaded, is replaced by a fresh one
with the same model (``memory_reload_due``, then ``renew``: no death, not counted).

The caller owns the EngineClient: it sends the commands the supervisor returns, reports every event
and every death here, starts a fresh engine when a loss asks for one, and says the outcomes (the
Problem, Loss and Restart values) to people. ``app.worker.EngineWorker`` is that caller for the window
(a Qt adapter: threads, signals and slots); ``app.core.engine.session.EngineSession`` for the command
line, the self-test and the benchmarks (synchronous; it starts a fresh engine only to switch a model
to compatibility mode, so its losses are not counted against the restart limit).

Methods are called from the caller's thread and from the client's reader thread; the state is guarded
by a lock, and no method blocks or calls out.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from app.core.defaults import DEFAULT_CONTEXT
from app.core.engine import protocol
from app.core.engine.compat import CompatFallback
from app.core.engine.exits import EngineExit

IDLE = "idle"
LOADING = "loading"
GENERATING = "generating"
UNLOADING = "unloading"
RESTARTING = "restarting"
CLOSED = "closed"
PHASES = (IDLE, LOADING, GENERATING, UNLOADING, RESTARTING, CLOSED)
BUSY_PHASES = (LOADING, GENERATING, UNLOADING, RESTARTING)

RESTART_LIMIT = 3
RESTART_WINDOW_S = 60.0
BACKOFF_FIRST_S = 2.0
BACKOFF_MAX_S = 60.0

ENGINE_START = "engine_start"  # no engine could be started (or none is started any more)
NOT_RUNNING = "not_running"  # a command found no engine
PROBLEM_KINDS = (*protocol.ERROR_KINDS, ENGINE_START, NOT_RUNNING)

START_FAILED = "start_failed"  # ENGINE_START: the process did not start; the message says why
GAVE_UP = "gave_up"  # ENGINE_START: RESTART_LIMIT losses within RESTART_WINDOW_S; details: count
CRASHED_LOADING = "crashed_loading"  # LOAD_FAILED: the engine crashed while loading the file
KILLED_LOADING = "killed_loading"  # LOAD_FAILED: the engine was killed while loading (memory, most likely)

_COMPAT = "compat"
_RELOAD = "reload"


@dataclass(frozen=True)
class LoadRequest:
    """A model to load: its file, the context length, the experts per token (None: the model's own),
    ``safe``: compatibility mode because it was asked for, ``scores``: capture the router's
    probabilities over all experts too, and ``embedding``: an embedding context (all kept when the model
    is loaded again after a crash)."""

    path: str
    n_ctx: int = DEFAULT_CONTEXT
    experts_per_token: int | None = None
    safe: bool = False
    scores: bool = False
    embedding: bool = False


@dataclass(frozen=True)
class Problem:
    """A request that was not carried out, for people to be told.

    Attributes:
        kind: one of PROBLEM_KINDS (the engine's ERROR_KINDS, ENGINE_START, NOT_RUNNING).
        message: what happened, in English (the engine's message, or the supervisor's).
        reason: the GGUFError's reason of a model file that cannot be used (gguf.REASONS), or one of
            START_FAILED, GAVE_UP, CRASHED_LOADING, KILLED_LOADING; else None.
        details: the numbers and names that go with ``reason`` or ``kind``.
        path: the model file being loaded, when the problem is about a load.
    """

    kind: str
    message: str
    reason: str | None = None
    details: dict = field(default_factory=dict)
    path: str | None = None


@dataclass(frozen=True)
class Loss:
    """The engine process died unexpectedly while in ``phase``, for the reason ``exit``.

    ``compat``: the model it was loading or answering with for the first time crashed it with its
    fast settings; a fresh engine loads it again in compatibility mode (and asks an interrupted first
    question again). Otherwise a fresh engine loads the model it had, if any.
    """

    phase: str
    exit: EngineExit
    last_words: str
    compat: bool


@dataclass(frozen=True)
class Restart:
    """What to do once a fresh engine runs after a loss: tell ``problem`` (the load that was lost),
    then load ``reload`` if there is one, with ``after_crash`` in compatibility mode."""

    problem: Problem | None
    reload: LoadRequest | None
    after_crash: bool = False


class EngineSupervisor:
    """The state and the decisions for one engine (see the module docstring).

    Attributes:
        fallback: the CompatFallback that chooses each model's mode and judges crashes.
    """

    def __init__(self, fallback: CompatFallback | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.fallback = fallback if fallback is not None else CompatFallback()
        self._clock = clock
        self._lock = threading.Lock()
        self._phase = IDLE
        self._loading: LoadRequest | None = None
        self._loaded: LoadRequest | None = None
        self._loaded_path: str | None = None
        self._answering: protocol.Generate | None = None
        self._retry: protocol.Generate | None = None
        self._compat_reload: LoadRequest | None = None
        self._after_loss: str | None = None
        self._lost_load: LoadRequest | None = None
        self._losses: deque[float] = deque(maxlen=RESTART_LIMIT)
        self._backoff = 0  # deaths since the restarts began to wait
        self._calm_from = 0.0  # when the engine started after the last death (its back-off delay included)
        self._restart_delay = 0.0
        self._stall_s = 0.0
        self._memory_limit = 0
        self._progress_at: float | None = None  # the answer's last sign of progress; None: not watched
        self._stall_ended = False
        self._answered = False  # the loaded model has finished an answer since it was loaded

    @property
    def phase(self) -> str:
        return self._phase

    @property
    def busy(self) -> bool:
        """Loading, generating, unloading or restarting."""
        return self._phase in BUSY_PHASES

    @property
    def closed(self) -> bool:
        return self._phase == CLOSED

    @property
    def loaded_path(self) -> str | None:
        """The model the engine has, or None (also while a lost engine is replaced)."""
        return self._loaded_path

    @property
    def unattended(self) -> bool:
        """A guard is set: restarts never give up, they wait longer instead."""
        return self._stall_s > 0 or self._memory_limit > 0

    @property
    def restart_delay_s(self) -> float:
        """How long to wait before starting the fresh engine that ``begin_restart`` allowed (0: at once)."""
        return self._restart_delay

    def set_guards(self, stall_seconds: float, memory_limit_bytes: int) -> None:
        """The stall time (seconds) and the memory limit (bytes) of the guards; 0 turns a guard off."""
        with self._lock:
            self._stall_s = max(0.0, float(stall_seconds))
            self._memory_limit = max(0, int(memory_limit_bytes))

    # requests --------------------------------------------------------------------------------------

    def load(self, request: LoadRequest, after_crash: bool = False) -> protocol.Load:
        """The Load command for ``request``, in the mode the model needs (``after_crash``: compatibility
        mode, probed, after a crash in fast mode)."""
        with self._lock:
            self._phase = LOADING
            self._loading = request
            command = self.fallback.load_command(request.path, request.n_ctx, request.experts_per_token,
                                                 safe=request.safe, after_crash=after_crash)
            return replace(command, scores=request.scores, embedding=request.embedding)

    def generate(self, request: protocol.Generate) -> protocol.Generate:
        now = self._clock()
        with self._lock:
            self._phase = GENERATING
            self._answering = request
            self._progress_at = now
        return request

    def unload(self) -> protocol.Unload:
        with self._lock:
            self._phase = UNLOADING
        return protocol.Unload()

    def not_running(self) -> Problem:
        """A command could not be sent: there is no engine."""
        with self._lock:
            self._phase = IDLE
        return Problem(NOT_RUNNING, "The engine is not running.")

    def close(self) -> None:
        """The engine is being shut down on purpose: its end is no loss."""
        with self._lock:
            self._phase = CLOSED

    # events ----------------------------------------------------------------------------------------

    def on_token(self) -> None:
        now = self._clock()
        with self._lock:
            if self._phase == GENERATING:  # not the end of an answer stopped for loading another model
                self.fallback.on_answer_progress()
                self._progress_at = now

    def on_prompt_read(self) -> None:
        """The answer's prompt was evaluated (its PromptRouting came)."""
        now = self._clock()
        with self._lock:
            if self._phase == GENERATING:
                self._progress_at = now

    def on_loaded(self) -> protocol.Generate | None:
        """The requested model is loaded; returns the interrupted first question to send again, if any."""
        now = self._clock()
        with self._lock:
            self.fallback.on_loaded()
            self._loaded, self._loading = self._loading, None
            self._loaded_path = self._loaded.path if self._loaded else None
            self._answered = False
            retry, self._retry = self._retry, None
            self._phase = GENERATING if retry is not None else IDLE
            if retry is not None:
                self._answering = retry
                self._progress_at = now
            return retry

    def on_finished(self) -> None:
        with self._lock:
            loading_next = self._phase == LOADING  # another model was asked for during the answer
            if not loading_next:
                self._phase = IDLE
                self.fallback.on_answer_progress()
                self._answered = True
            self._answering = None
            self._progress_at = None

    def on_unloaded(self) -> None:
        with self._lock:
            self.fallback.on_unloaded()
            self._phase = IDLE
            self._loaded = None
            self._loaded_path = None

    def on_error(self, error: protocol.Error) -> Problem:
        """The engine refused the last request; the Problem to tell."""
        with self._lock:
            if self._phase == LOADING:  # the engine says which model, if any, it still has
                if not error.still_loaded or self._loaded is None or self._loaded.path != error.still_loaded:
                    self._loaded = None
                self._loaded_path = self._loaded.path if self._loaded else None
            request, self._loading = self._loading, None
            self._answering = None
            self._phase = IDLE
        return Problem(error.kind, error.message, error.reason, dict(error.details),
                       request.path if request is not None else None)

    def on_lost(self, lost: protocol.Lost) -> Loss | None:
        """The engine process died; the Loss to tell, or None when it was being closed anyway.

        The caller starts a fresh engine next (the window after ``begin_restart``) and then asks
        ``restarted()`` what to load in it.
        """
        with self._lock:
            if self._phase == CLOSED:
                return None
            phase, self._phase = self._phase, RESTARTING
            killed, self._stall_ended = lost.exit.killed or self._stall_ended, False
            self._progress_at = None
            compat = not killed and self.fallback.should_retry_safe(
                loading=phase == LOADING, generating=phase == GENERATING)
            if compat and phase == LOADING:
                self._compat_reload = self._loading
            elif compat and phase == GENERATING:
                self._compat_reload = self._loaded
                self._retry = self._answering
            elif phase == UNLOADING:  # the model is gone with the engine, as asked
                self._loaded = None
                self.fallback.on_unloaded()
            if compat:
                self._after_loss = _COMPAT
            elif phase == LOADING:
                self._after_loss = KILLED_LOADING if killed else CRASHED_LOADING
            else:
                self._after_loss = _RELOAD
            self._lost_load = self._loading
            self._answering = self._loading = None
            self._loaded_path = None
        return Loss(phase, lost.exit, lost.last_words, compat)

    # guards ----------------------------------------------------------------------------------------

    def stall_due(self) -> bool:
        """The stall watchdog: has the answer being written shown no progress for the stall time? True once
        per stall; the caller ends the engine then, and its loss follows as any other."""
        now = self._clock()
        with self._lock:
            if (self._stall_s <= 0 or self._phase != GENERATING or self._progress_at is None
                    or now - self._progress_at < self._stall_s):
                return False
            self._progress_at = None
            self._stall_ended = True
            return True

    def memory_reload_due(self, rss: int | None) -> bool:
        """The memory guard: should the engine, holding ``rss`` bytes, be replaced now? When past the limit,
        idle, and its model has answered since it was loaded (so that a model bigger than the limit by
        itself is reloaded once per answer at most, not in a loop)."""
        with self._lock:
            return (self._memory_limit > 0 and rss is not None and rss > self._memory_limit
                    and self._phase == IDLE and self._loaded is not None and self._answered)

    def renew(self) -> None:
        """The caller replaces a working engine on purpose (``memory_reload_due``): no loss, not counted. It
        starts the fresh engine next and asks ``restarted()`` what to load: the model it had."""
        with self._lock:
            self._phase = RESTARTING
            self._after_loss = _RELOAD
            self._lost_load = None
            self._loaded_path = None

    # restarting ------------------------------------------------------------------------------------

    def begin_restart(self) -> Problem | None:
        """Count a loss before starting a fresh engine; after RESTART_LIMIT of them within
        RESTART_WINDOW_S, the Problem (GAVE_UP) to tell instead: then no engine is started again.
        Unattended it never gives up: ``restart_delay_s`` says how long to wait first (see the module)."""
        now = self._clock()
        with self._lock:
            if self._losses and now - self._calm_from >= RESTART_WINDOW_S:
                self._backoff = 0  # the last engine ran a whole window without dying
            self._losses.append(now)
            crowded = len(self._losses) == RESTART_LIMIT and now - self._losses[0] < RESTART_WINDOW_S
            self._restart_delay = 0.0
            if self.unattended and (crowded or self._backoff):
                self._restart_delay = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** min(self._backoff, 16))
                self._backoff += 1
            self._calm_from = now + self._restart_delay
            if not crowded or self.unattended:
                return None
            self._phase = IDLE
            self._loaded = self._retry = self._compat_reload = None
        return Problem(ENGINE_START, f"The engine stopped {RESTART_LIMIT} times within {RESTART_WINDOW_S:.0f} s, "
                       "so it was not started again.", GAVE_UP, {"count": RESTART_LIMIT})

    def start_failed(self, detail: str) -> Problem:
        """No engine could be started (``detail``: why, in English); the Problem to tell. Unattended, a
        fresh engine after a loss is tried again: the phase stays RESTARTING, and the caller goes back to
        ``begin_restart``."""
        with self._lock:
            if not (self._phase == RESTARTING and self.unattended):
                if self._phase != CLOSED:
                    self._phase = IDLE
                self._retry = None
        return Problem(ENGINE_START, detail, START_FAILED)

    def restarted(self) -> Restart:
        """A fresh engine runs after a loss: what to tell and what to load in it."""
        with self._lock:
            after, lost_load = self._after_loss, self._lost_load
            self._after_loss = self._lost_load = None
            if after in (CRASHED_LOADING, KILLED_LOADING):
                self._phase = IDLE
                message = ("The engine stopped while loading this file." if after == CRASHED_LOADING else
                           "The engine was ended while loading this model, most likely because memory ran out.")
                problem = Problem(protocol.LOAD_FAILED, message, after,
                                  path=lost_load.path if lost_load is not None else None)
                return Restart(problem, self._loaded)  # the model that was loaded before keeps working
            if after == _COMPAT and self._compat_reload is not None:
                reload, self._compat_reload = self._compat_reload, None
                return Restart(None, reload, after_crash=True)
            if after == _RELOAD and self._loaded is not None:
                return Restart(None, self._loaded)
            self._phase = IDLE
            self._retry = None
            return Restart(None, None)
